#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's linux-source-6.12 with apt and import it into the cache as a
# git repository whose first commit (tag "base") is the unpatched tree.
. "$(dirname "$0")/lib.sh"

pkg=$(lock_get package)
want=$(lock_get version)
want_sha=$(lock_get sha256)

have_version() { [ -f "$SRC/.git/base-version" ] && cat "$SRC/.git/base-version"; }

if [ -d "$SRC/.git" ] && git -C "$SRC" rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null &&
   [ -n "$(have_version)" ]; then
	got=$(have_version)
	[ "$got" = "$want" ] || warn "the base in the cache is $pkg $got; base.lock says $want (delete $SRC to refetch)"
	exit 0
fi

# Which version to use: the locked one if apt still offers it, else the
# newest 6.12.y apt offers, said out loud.
versions() { apt-cache madison "$pkg" 2>/dev/null | awk '{print $3}'; }
if [ -z "$(versions)" ]; then
	say "apt knows no $pkg yet: running apt-get update"
	apt-get update -qq >"$LOGS/apt-update.log" 2>&1 ||
		die_log "apt-get update failed: the Debian archive is needed to fetch $pkg" "$LOGS/apt-update.log"
fi
[ -n "$(versions)" ] || die "apt offers no $pkg: enable bookworm-security in /etc/apt/sources.list and run apt-get update"
if versions | grep -qxF "$want"; then
	ver=$want
else
	ver=$(apt-cache policy "$pkg" | sed -n 's/^ *Candidate: //p')
	warn "apt no longer offers $pkg $want (base.lock); going on with $ver"
	warn "if the series applies to it, record it: set version=$ver and the sha256 printed below in base.lock"
fi

dl=$CACHE/dl
mkdir -p "$dl"
deb=$(ls "$dl"/"${pkg}_${ver/:/%3a}"_all.deb 2>/dev/null || true)
if [ -z "$deb" ]; then
	say "downloading $pkg $ver with apt"
	tmp=$(mktemp -d "$dl/tmp.XXXXXX")
	(cd "$tmp" && apt-get download "$pkg=$ver") >"$LOGS/apt-download.log" 2>&1 ||
		{ rm -rf "$tmp"; die_log "apt-get download $pkg=$ver failed" "$LOGS/apt-download.log"; }
	mv "$tmp"/*.deb "$dl"/ && rmdir "$tmp"
	deb=$(find "$dl" -maxdepth 1 -name "${pkg}_*${ver##*:}*_all.deb" | sort | head -n1)
fi

tarball=$dl/linux-source-6.12-$ver.tar.xz
if [ ! -f "$tarball" ]; then
	say "extracting the source tarball from $(basename "$deb")"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.12.tar.xz >"$tarball.tmp"
	mv "$tarball.tmp" "$tarball"
fi
sha=$(sha256sum "$tarball" | cut -d' ' -f1)
if [ "$ver" = "$want" ] && [ "$sha" != "$want_sha" ]; then
	rm -f "$tarball"
	die "sha256 of $pkg $ver tarball is $sha, base.lock says $want_sha: the archive changed under the lock; removed it, rerun to refetch"
fi
[ "$ver" = "$want" ] || say "$pkg $ver: tarball sha256 $sha (for base.lock)"

if [ -e "$SRC" ]; then
	old=$SRC.old-$(date +%s)
	warn "$SRC holds another base or a broken import: moved to $old (your commits there are kept)"
	mv "$SRC" "$old"
fi
say "importing $pkg $ver into $SRC (tag $BASE_TAG)"
tmp=$CACHE/linux.import
rm -rf "$tmp"
mkdir -p "$tmp"
tar -xJf "$tarball" -C "$tmp" --strip-components=1
(
	cd "$tmp"
	git init -q -b "$SERIES_BRANCH"
	git config core.autocrlf false
	git config gc.auto 0
	# The tarball's .gitignore ignores every top-level path (Debian's
	# packaging stanza): -f is needed to add the tree at all.
	git add -f -A
	env "${HARNESS_GIT_ENV[@]}" git commit -q -m "Debian $pkg $ver" \
		-m "Imported unmodified from the tarball in Debian's $pkg package (sha256 $sha)."
	git tag "$BASE_TAG"
	echo "$ver" >.git/base-version
) >"$LOGS/import.log" 2>&1 || die_log "importing the base into git failed" "$LOGS/import.log"
mv "$tmp" "$SRC"
say "base $ver imported: $(git -C "$SRC" rev-parse --short "$BASE_TAG")"
