#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The patch series and the kernel work tree:
#   series.sh apply    make the work tree hold base + patches/ (git am)
#   series.sh export   write the work tree's commits back to patches/
#   series.sh status   say whether the two agree (exit 1 when they do not)
#   series.sh base     make the unpatched base tree (a worktree at tag base)
. "$(dirname "$0")/lib.sh"

PATCHES=$TOP/patches
COVER=$TOP/cover-letter.txt

patch_list() {
	[ -f "$PATCHES/series" ] || return 0
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$PATCHES/series"
}

# format_patches DIR: the work tree's series as export writes it.
format_patches() {
	local out=$1 n
	mkdir -p "$out"
	n=$(git -C "$SRC" rev-list --count "$BASE_TAG..$SERIES_BRANCH")
	[ "$n" -gt 0 ] || return 0
	git -C "$SRC" config "branch.$SERIES_BRANCH.description" "$(cat "$COVER")"
	git_src format-patch -q --zero-commit --base="$BASE_TAG" \
		--cover-letter --cover-from-description=subject \
		-o "$out" "$BASE_TAG..$SERIES_BRANCH" >/dev/null
	(cd "$out" && for p in [0-9][0-9][0-9][0-9]-*.patch; do
		[ "$p" = 0000-cover-letter.patch ] || echo "$p"
	done >series)
}

worktree_dirty() {
	[ -n "$(git -C "$SRC" status --porcelain --untracked-files=no)" ]
}

on_branch() {
	[ "$(git -C "$SRC" symbolic-ref -q --short HEAD)" = "$SERIES_BRANCH" ]
}

agrees() {
	local tmp rc=0
	tmp=$(mktemp -d)
	format_patches "$tmp"
	if [ -z "$(patch_list)" ]; then
		[ ! -s "$tmp/series" ] || rc=1
	else
		# The cover letter's date and sender come from whoever exports.
		diff -r -q -I '^Date: ' -I '^From: ' -I '^ <[^>]*>$' \
			"$tmp" "$PATCHES" >/dev/null 2>&1 || rc=1
	fi
	rm -rf "$tmp"
	return $rc
}

# git in the work tree as the user, or as the harness where git knows no
# committer (git am records one, format-patch signs the cover letter).
git_src() {
	if git -C "$SRC" var GIT_COMMITTER_IDENT >/dev/null 2>&1; then
		git -C "$SRC" "$@"
	else
		env "${HARNESS_GIT_ENV[@]:2:2}" git -C "$SRC" "$@"
	fi
}
git_am() { git_src am -q --keep-cr "$1"; }

cmd_apply() {
	"$TOP/scripts/fetch-base.sh"
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
	local p log=$LOGS/git-am.log n=0
	: >"$log"
	for p in $(patch_list); do
		[ -f "$PATCHES/$p" ] || die "patches/series names $p, which is not in patches/"
		if ! git_am "$PATCHES/$p" >>"$log" 2>&1; then
			local files
			files=$(grep -E '^error: (patch failed|.*: does not exist|.*: already exists)' "$log" | sed 's/^error: //' | sort -u | tr '\n' ';')
			git -C "$SRC" am --abort >/dev/null 2>&1 || true
			git -C "$SRC" checkout -q -f -B "$SERIES_BRANCH" "$BASE_TAG"
			die_log "patch $p does not apply to base $(cat "$SRC/.git/base-version"): ${files:-see log}" "$log"
		fi
		n=$((n + 1))
	done
	say "applied $n patches to base $(cat "$SRC/.git/base-version")"
}

cmd_export() {
	[ -d "$SRC/.git" ] || die "no work tree at $SRC: run 'make prepare' first"
	on_branch || die "$SRC is not on branch $SERIES_BRANCH"
	worktree_dirty && die "$SRC has uncommitted changes: commit them (one commit per patch) first"
	local tmp
	tmp=$(mktemp -d "$TOP/.export.XXXXXX")
	format_patches "$tmp"
	rm -f "$PATCHES"/*.patch "$PATCHES/series"
	mkdir -p "$PATCHES"
	[ -z "$(ls -A "$tmp")" ] || mv "$tmp"/* "$PATCHES"/
	rmdir "$tmp"
	say "exported $(patch_list | wc -l) patches to patches/"
}

cmd_status() {
	if [ ! -d "$SRC/.git" ]; then
		echo "no kernel work tree yet ($SRC); 'make prepare' creates it"
		return 0
	fi
	local rc=0
	if ! on_branch; then
		echo "work tree $SRC is not on branch $SERIES_BRANCH"; rc=1
	elif worktree_dirty; then
		echo "work tree $SRC has uncommitted changes:"
		git -C "$SRC" status --short --untracked-files=no | head -n 20
		rc=1
	fi
	if on_branch && ! agrees; then
		echo "patches/ and the work tree's commits ($BASE_TAG..$SERIES_BRANCH) differ: 'make export' writes the work tree to patches/, 'make prepare' re-applies patches/"
		rc=1
	fi
	[ $rc -ne 0 ] || echo "patches/ and the work tree agree ($(patch_list | wc -l) patches on $(cat "$SRC/.git/base-version"))"
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

case ${1:-} in
apply) cmd_apply ;;
export) cmd_export ;;
status) cmd_status ;;
base) cmd_base ;;
*) die "usage: $0 apply|export|status|base" ;;
esac
