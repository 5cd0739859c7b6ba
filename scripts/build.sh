#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest kernel out of tree in the cache; print its bzImage's path.
#   SERIES=patches (default): base + patches/, in build/series
#   SERIES=none: the unpatched base (base/linux), in base/build/series
#   KIND=test (default): the guest kernel with the debug options
#   KIND=kasan: the same with KASAN, in build/kasan (base/build/kasan)
#   KIND=bench: the benchmark kernel (no debug options, no compile-only
#   drivers), in build/bench (base/build/bench)
#   GUEST_ARCH=arm64: the arm64 guest kernel (an Image, cross-built), in
#   the same directory with "-arm64" appended
#   BUILD_TREE=DIR BUILD_OUT=DIR: build that checkout as it is (no apply),
#   with the series' fragments, in BUILD_OUT (scripts/bisect.sh does)
. "$(dirname "$0")/lib.sh"

SERIES=${SERIES:-patches}
KIND=${KIND:-test}
[[ " $KINDS " == *" $KIND "* ]] ||
	die "KIND=$KIND: use test (the guest kernel with debug options), kasan (the same with KASAN) or bench (no debug options)"
src=$(tree_for "$SERIES")
out=$(build_for "$SERIES" "$KIND")
name=$([ "$SERIES" = none ] && echo base || echo series)
[ "$KIND" = test ] || name=$name-$KIND
[[ " $GUEST_ARCHS " == *" $GUEST_ARCH "* ]] || die "GUEST_ARCH=$GUEST_ARCH: use one of $GUEST_ARCHS"
cross='' target=bzImage image=arch/x86/boot/bzImage
if [ "$GUEST_ARCH" != x86_64 ]; then
	name=$name-$GUEST_ARCH
	export ARCH=$GUEST_ARCH
	cross=$(guest_triplet "$GUEST_ARCH")- target=Image image=arch/arm64/boot/Image
	command -v "${cross}gcc" >/dev/null ||
		die "no ${cross}gcc: run 'make deps' (it installs Debian's cross compiler)"
fi

if [ -n "${BUILD_TREE:-}" ]; then
	[ -n "${BUILD_OUT:-}" ] || die "BUILD_TREE needs BUILD_OUT (the build directory)"
	src=$BUILD_TREE out=$BUILD_OUT name=${BUILD_NAME:-$name}
elif [ "$SERIES" = none ]; then
	"$TOP/scripts/series.sh" base
else
	"$TOP/scripts/series.sh" apply
fi
log=$LOGS/build-$name.log

mapfile -t frags < <(build_frags "$SERIES" "$KIND")
configure_kernel "$src" "$out" "$name" "${frags[@]}"

say "building $name kernel (log: $log)"
start=$(date +%s)
if ! make -C "$src" O="$out" CROSS_COMPILE="$cross" CC="ccache ${cross}gcc" \
	HOSTCC="ccache gcc" -j"$(nproc)" "$target" modules >"$log" 2>&1; then
	grep -E '(error|Error [0-9]+):' "$log" | head -n 20 >&2 || true
	die_log "the $name kernel does not build" "$log" 10
fi
say "built $name in $(( $(date +%s) - start )) s: $(cat "$out/include/config/kernel.release")"
echo "$out/$image"
