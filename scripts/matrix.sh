#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the series in a configuration other than the guest's:
#   scripts/matrix.sh NAME         builds config/matrix/NAME.config
#   scripts/matrix.sh NAME STACK   the same on a partial stack (the first
#                                  series alone, or FIRST+SERIES: see
#                                  series_stacks in lib.sh), in
#                                  stack/build/NAME; an option that only
#                                  another series defines is let go
# The fragment's header names the architecture ("# arch:"), the cross
# compiler prefix ("# cross-compile:", if any) and the make target
# ("# target:"); it is merged onto that architecture's allnoconfig, in
# build/NAME beside the guest build.  Prints the build log's path.
. "$(dirname "$0")/lib.sh"

names() { for f in "$TOP"/config/matrix/*.config; do f=${f##*/}; printf '%s ' "${f%.config}"; done; }
name=${1:?usage: scripts/matrix.sh NAME [STACK] (NAME one of: $(names))}
stack=${2:-}
frag=$TOP/config/matrix/$name.config
[ -f "$frag" ] || die "no build configuration '$name': config/matrix/ has $(names)"
header() { sed -n "s/^# $1: *//p" "$frag" | head -n 1; }
ARCH=$(header arch)
cross=$(header cross-compile)
target=$(header target)
{ [ -n "$ARCH" ] && [ -n "$target" ]; } || die "$frag needs '# arch:' and '# target:' lines"
export ARCH
if [ -n "$cross" ]; then
	command -v "${cross}gcc" >/dev/null ||
		die "no ${cross}gcc: run 'make deps' (it installs Debian's cross compiler)"
	export CROSS_COMPILE=$cross
fi

if [ -z "$stack" ]; then
	"$TOP/scripts/series.sh" apply >&2
	src=$SRC head=$SERIES_BRANCH
	out=$CACHE/build/$name
	log=$LOGS/build-$name.log
	configure_kernel "$src" "$out" "$name" "$frag"
else
	src=$("$TOP/scripts/series.sh" stack "$stack" | tail -n 1)
	head=HEAD
	# The same layout relative to the tree as build/NAME to linux/, for
	# ccache's relative paths.
	out=$CACHE/stack/build/$name
	log=$LOGS/build-$name@$stack.log
	name=$name@$stack
	# Only the options that a series left out of the stack defines may be
	# missing: one of the stack's own that no Kconfig defines is an error.
	others=$(series_names | grep -vxF -e "${stack%%+*}" -e "${stack#*+}" || true)
	allow=$(for o in $others; do cat "$PATCHES/$o"/[0-9]*.patch; done |
		sed -nE 's/^[+](menu)?config ([A-Z0-9_]+)$/\2/p' | sort -u | tr '\n' ' ')
	ALLOW_UNDEFINED=${allow:-none} configure_kernel "$src" "$out" "$name" "$frag"
fi
# With modules configured, build them too: modpost checks what they use
# is exported.
targets=("$target")
grep -q '^CONFIG_MODULES=y' "$out/.config" && targets+=(modules)
say "building $name ($ARCH ${targets[*]}, log: $log)"
start=$(date +%s)
if ! make -C "$src" O="$out" CC="ccache ${cross}gcc" HOSTCC="ccache gcc" \
	-j"$(nproc)" "${targets[@]}" >"$log" 2>&1; then
	grep -E '(error|Error [0-9]+|undefined reference)' "$log" | head -n 20 >&2 || true
	die_log "the series does not build in $name" "$log" 10
fi
# A compiler warning in a file the series touches fails the build too.
touched=$(git -C "$src" diff --name-only "$BASE_TAG" "$head" -- '*.c' '*.h' | sed 's/[.]/[.]/g' | paste -sd'|')
if grep -E "($touched):[0-9]+:[0-9]+: warning:" "$log" >&2; then
	die "the series builds with compiler warnings in $name: $log"
fi
say "built $name in $(( $(date +%s) - start )) s"
echo "$log"
