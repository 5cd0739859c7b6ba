#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The patch series and the kernel work tree (the layout is in lib.sh:
# patches/series names the series, patches/NAME/ holds each one):
#   series.sh apply       make the work tree hold base + every series, in
#                         order (git am), with branch stack/NAME at the
#                         end of each but the last
#   series.sh export      write the work tree's commits back to patches/
#   series.sh status      say whether the two agree (exit 1 when they do not)
#   series.sh base        make the unpatched base tree (a worktree at tag base)
#   series.sh format DIR  write the series as export would, into DIR
#   series.sh stack STACK make the stack work tree hold a partial stack
#                         (series_stacks in lib.sh: FIRST, or FIRST+NAME
#                         with NAME's patch files applied on the first
#                         series alone); prints its path
# export writes the first series against the base and every other one
# against the first alone (its commits replayed onto it, so that its
# patches apply there), each with a cover letter that carries base-commit:
# and, for the others, the first series' prerequisite-patch-id: lines.
. "$(dirname "$0")/lib.sh"

STACKSRC=$CACHE/stack/linux

worktree_dirty() {
	[ -n "$(git -C "$SRC" status --porcelain --untracked-files=no)" ]
}

on_branch() {
	[ "$(git -C "$SRC" symbolic-ref -q --short HEAD)" = "$SERIES_BRANCH" ]
}

# git in a tree (default the work tree) as the user, or as the harness
# where git knows no committer (git am records one, format-patch signs
# the cover letter).
git_src() {
	local dir=$SRC
	[ "$1" != -C ] || { dir=$2; shift 2; }
	if git -C "$dir" var GIT_COMMITTER_IDENT >/dev/null 2>&1; then
		git -C "$dir" "$@"
	else
		env "${HARNESS_GIT_ENV[@]:2:2}" git -C "$dir" "$@"
	fi
}

# series_ends_ok: every series but the last ends at a stack/NAME branch,
# in order, on the series branch.
series_ends_ok() {
	local name prev=$BASE_TAG end
	for name in $(series_names); do
		end=$(series_end "$name")
		git -C "$SRC" rev-parse -q --verify "$end^{commit}" >/dev/null || return 1
		git -C "$SRC" merge-base --is-ancestor "$prev" "$end" || return 1
		git -C "$SRC" merge-base --is-ancestor "$end" "$SERIES_BRANCH" || return 1
		prev=$end
	done
}

# replay ONTO FROM TO: the commits FROM..TO applied one by one on ONTO
# through a scratch index (no checkout), with their authors and messages;
# prints the new tip, or fails naming the commit that does not apply.
replay() {
	local head=$1 c tree idx rc=0
	idx=$(mktemp)
	for c in $(git -C "$SRC" rev-list --reverse "$2..$3"); do
		GIT_INDEX_FILE=$idx git -C "$SRC" read-tree "$head"
		if ! git -C "$SRC" diff-tree -p --binary "$c^" "$c" |
		   GIT_INDEX_FILE=$idx git -C "$SRC" apply --cached 2>/dev/null; then
			git -C "$SRC" log -1 --format='%h ("%s")' "$c" >&2
			rc=1
			break
		fi
		tree=$(GIT_INDEX_FILE=$idx git -C "$SRC" write-tree)
		head=$(git -C "$SRC" log -1 --format=%B "$c" |
		       env GIT_AUTHOR_NAME="$(git -C "$SRC" log -1 --format=%an "$c")" \
			   GIT_AUTHOR_EMAIL="$(git -C "$SRC" log -1 --format=%ae "$c")" \
			   GIT_AUTHOR_DATE="$(git -C "$SRC" log -1 --format=%ad --date=raw "$c")" \
			   "${HARNESS_GIT_ENV[@]:2:2}" "${HARNESS_GIT_ENV[@]:5:1}" \
			   git -C "$SRC" commit-tree "$tree" -p "$head")
		# Inside $(...) set -e does not hold: check what came out.
		if [ -z "$tree" ] || [ -z "$head" ]; then
			echo "git could not replay $c" >&2
			rc=1
			break
		fi
	done
	rm -f "$idx"
	[ $rc -eq 0 ] && echo "$head"
}

# format_patches DIR: the work tree's series as export writes them.
format_patches() {
	local out=$1 name first prev=$BASE_TAG end from ref n c
	first=$(series_first)
	mkdir -p "$out"
	[ -z "$(git -C "$SRC" rev-list --min-parents=2 "$BASE_TAG..$SERIES_BRANCH")" ] ||
		die "$SERIES_BRANCH has merge commits: a posted series is a line of patches, rebase them away"
	for c in $(git -C "$SRC" rev-list "$BASE_TAG..$SERIES_BRANCH"); do
		! git -C "$SRC" diff-tree --quiet "$c^" "$c" ||
			die "commit $(git -C "$SRC" log -1 --format='%h ("%s")' "$c") is empty: drop it or give it a change"
	done
	series_ends_ok || die "the work tree's series branches are not in order: every series but the last must end at branch stack/NAME on $SERIES_BRANCH ('make prepare' recreates them from patches/)"
	for name in $(series_names); do
		end=$(series_end "$name")
		[ -f "$COVERS/$name.txt" ] || die "no cover letter for series $name: write cover-letters/$name.txt (subject line, blank line, body)"
		n=$(git -C "$SRC" rev-list --count "$prev..$end")
		[ "$n" -gt 0 ] || die "series $name is empty in the work tree (stack/$name is where the previous series ends)"
		from=$prev ref=$end
		if [ "$name" != "$first" ] && [ "$prev" != "stack/$first" ]; then
			# Posted against the first series alone.
			local tip
			tip=$(replay "stack/$first" "$prev" "$end") ||
				die "series $name does not apply on series $first alone (the commit above needs an earlier series): reorder or rework it"
			ref=export/$name
			git -C "$SRC" branch -f "$ref" "$tip" || die "cannot create branch $ref"
			from=stack/$first
		fi
		# The cover letter's text is given for this command only: status
		# writes nothing to the repository's config.
		git_src -c "branch.$ref.description=$(cat "$COVERS/$name.txt")" \
			format-patch -q --zero-commit --base="$BASE_TAG" \
			--cover-letter --cover-from-description=subject \
			-o "$out/$name" "$from..$ref" >/dev/null ||
			die "git format-patch of series $name failed"
		[ "$ref" = "$end" ] || git -C "$SRC" branch -q -D "$ref" || die "cannot delete branch $ref"
		(cd "$out/$name" && for p in [0-9][0-9][0-9][0-9]-*.patch; do
			[ "$p" = 0000-cover-letter.patch ] || echo "$p"
		done >series)
		echo "$name" >>"$out/series"
		prev=$end
	done
}

agrees() {
	local tmp rc=0
	tmp=$(mktemp -d)
	# In a process of its own, so that set -e holds inside it.
	"$TOP/scripts/series.sh" format "$tmp" >/dev/null 2>&1 || rc=1
	# The cover letters' date and sender come from whoever exports.
	[ $rc -ne 0 ] || diff -r -q -I '^Date: ' -I '^From: ' -I '^ <[^>]*>$' \
		"$tmp" "$PATCHES" >/dev/null 2>&1 || rc=1
	rm -rf "$tmp"
	return $rc
}

cmd_apply() {
	"$TOP/scripts/fetch-base.sh"
	[ -n "$(series_names)" ] || die "patches/series names no series"
	if on_branch && agrees; then
		if worktree_dirty; then
			warn "uncommitted changes in $SRC are not in patches/ (building them as they are)"
		fi
		return 0
	fi
	if worktree_dirty; then
		die "the work tree $SRC has uncommitted changes and patches/ differs from it: commit there and run 'make export', or discard them ('git -C $SRC checkout -f')"
	fi
	if git -C "$SRC" rev-parse -q --verify "$SERIES_BRANCH" >/dev/null &&
	   [ "$(git -C "$SRC" rev-list --count "$BASE_TAG..$SERIES_BRANCH")" -gt 0 ]; then
		local bk
		bk=backup/$(date +%Y%m%d-%H%M%S)
		git -C "$SRC" branch -f "$bk" "$SERIES_BRANCH"
		say "work tree differs from patches/: its commits are kept as branch $bk"
	fi
	git -C "$SRC" am --abort >/dev/null 2>&1 || true
	git -C "$SRC" checkout -q -f -B "$SERIES_BRANCH" "$BASE_TAG"
	local name p log=$LOGS/git-am.log n=0 last
	last=$(series_last)
	: >"$log"
	for name in $(series_names); do
		for p in $(series_patches "$name"); do
			[ -f "$PATCHES/$name/$p" ] || die "patches/$name/series names $p, which is not in patches/$name/"
			if ! git_src am -q --keep-cr "$PATCHES/$name/$p" >>"$log" 2>&1; then
				local files
				files=$(grep -E '^error: (patch failed|.*: does not exist|.*: already exists)' "$log" | sed 's/^error: //' | sort -u | tr '\n' ';' || true)
				git -C "$SRC" am --abort >/dev/null 2>&1 || true
				git -C "$SRC" checkout -q -f -B "$SERIES_BRANCH" "$BASE_TAG"
				die_log "patch $name/$p does not apply to base $(cat "$SRC/.git/base-version") and the series before it: ${files:-see log}" "$log"
			fi
			n=$((n + 1))
		done
		[ "$name" = "$last" ] || git -C "$SRC" branch -f "stack/$name" HEAD
	done
	say "applied $n patches in $(series_names | wc -l) series to base $(cat "$SRC/.git/base-version")"
}

cmd_export() {
	[ -d "$SRC/.git" ] || die "no work tree at $SRC: run 'make prepare' first"
	on_branch || die "$SRC is not on branch $SERIES_BRANCH"
	worktree_dirty && die "$SRC has uncommitted changes: commit them (one commit per patch) first"
	local tmp name
	tmp=$(mktemp -d "$TOP/.export.XXXXXX")
	"$TOP/scripts/series.sh" format "$tmp" || { rm -rf "$tmp"; exit 1; }
	for name in $(series_names); do
		rm -rf "${PATCHES:?}/$name"
		mv "$tmp/$name" "$PATCHES/$name"
	done
	mv "$tmp/series" "$PATCHES/series"
	rmdir "$tmp"
	for name in $(series_names); do
		say "exported $(series_patches "$name" | wc -l) patches to patches/$name/"
	done
}

cmd_status() {
	if [ ! -d "$SRC/.git" ]; then
		echo "no kernel work tree yet ($SRC); 'make prepare' creates it"
		return 0
	fi
	local rc=0 name sum=
	if ! on_branch; then
		echo "work tree $SRC is not on branch $SERIES_BRANCH"; rc=1
	elif worktree_dirty; then
		echo "work tree $SRC has uncommitted changes:"
		git -C "$SRC" status --short --untracked-files=no | head -n 20
		rc=1
	fi
	if on_branch && ! series_ends_ok; then
		echo "the work tree's series do not end at branches stack/NAME in order on $SERIES_BRANCH ($(series_names | head -n -1 | sed 's,^,stack/,' | tr '\n' ' ')): 'make prepare' re-applies patches/"
		rc=1
	elif on_branch && ! agrees; then
		echo "patches/ and the work tree's commits ($BASE_TAG..$SERIES_BRANCH) differ: 'make export' writes the work tree to patches/, 'make prepare' re-applies patches/"
		rc=1
	fi
	for name in $(series_names); do sum+="$name $(series_patches "$name" | wc -l), "; done
	[ $rc -ne 0 ] || echo "patches/ and the work tree agree (${sum%, } patches on $(cat "$SRC/.git/base-version"))"
	return $rc
}

cmd_base() {
	"$TOP/scripts/fetch-base.sh"
	if [ ! -d "$BASESRC" ]; then
		say "checking out the unpatched base at $BASESRC"
		mkdir -p "$(dirname "$BASESRC")"
		git -C "$SRC" worktree prune
		git -C "$SRC" worktree add -q --detach "$BASESRC.tmp" "$BASE_TAG"
		git -C "$SRC" worktree move "$BASESRC.tmp" "$BASESRC"
	fi
	[ "$(git -C "$BASESRC" rev-parse HEAD)" = "$(git -C "$SRC" rev-parse "$BASE_TAG")" ] ||
		git -C "$BASESRC" checkout -q -f --detach "$BASE_TAG"
}

# The partial stack STACK in $STACKSRC (detached), as branch alone/NAME
# for FIRST+NAME: series NAME's patch files applied with git am on the
# first series alone, as its maintainers would apply them.
cmd_stack() {
	local stack=${1:?usage: series.sh stack FIRST|FIRST+NAME} first name p log
	first=$(series_first)
	[[ $'\n'$(series_stacks)$'\n' == *$'\n'"$stack"$'\n'* ]] ||
		die "no partial stack '$stack': use one of $(series_stacks | tr '\n' ' ')"
	cmd_apply >&2
	if [ ! -d "$STACKSRC" ]; then
		mkdir -p "$(dirname "$STACKSRC")"
		git -C "$SRC" worktree prune
		git -C "$SRC" worktree add -q --detach "$STACKSRC" "$BASE_TAG"
	fi
	git -C "$STACKSRC" am --abort >/dev/null 2>&1 || true
	git -C "$STACKSRC" checkout -q -f --detach "stack/$first"
	if [ "$stack" != "$first" ]; then
		name=${stack#"$first"+}
		log=$LOGS/git-am-$name.log
		: >"$log"
		for p in $(series_patches "$name"); do
			git_src -C "$STACKSRC" am -q --keep-cr "$PATCHES/$name/$p" >>"$log" 2>&1 ||
				die_log "patch $name/$p does not apply on series $first alone" "$log"
		done
		git -C "$STACKSRC" branch -f "alone/$name" HEAD
	fi
	echo "$STACKSRC"
}

case ${1:-} in
apply) cmd_apply ;;
export) cmd_export ;;
status) cmd_status ;;
base) cmd_base ;;
stack) cmd_stack "${2:-}" ;;
format) format_patches "${2:?usage: series.sh format DIR}" ;;
*) die "usage: $0 apply|export|status|base|stack STACK" ;;
esac
