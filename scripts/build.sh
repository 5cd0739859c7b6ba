#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest kernel out of tree in the cache.
#   SERIES=patches (default): base + patches/, in build/series
#   SERIES=none: the unpatched base, in base/build/series
#   KIND=bench: the benchmark kernel (no debug options, no compile-only
#   drivers), in build/bench or base/build/bench
# Prints the path of the bzImage on stdout.
. "$(dirname "$0")/lib.sh"

SERIES=${SERIES:-patches}
KIND=${KIND:-test}
case $KIND in test|bench) ;; *) die "KIND=$KIND: use test (the guest kernel with debug options) or bench (without them)" ;; esac
src=$(tree_for "$SERIES")
out=$(build_for "$SERIES" "$KIND")
name=$([ "$SERIES" = none ] && echo base || echo series)
[ "$KIND" = test ] || name=$name-$KIND
log=$LOGS/build-$name.log

if [ "$SERIES" = none ]; then
	"$TOP/scripts/series.sh" base
else
	"$TOP/scripts/series.sh" apply
fi

mapfile -t frags < <(build_frags "$SERIES" "$KIND")
configure_kernel "$src" "$out" "$name" "${frags[@]}"

say "building $name kernel (log: $log)"
start=$(date +%s)
if ! make -C "$src" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" \
	-j"$(nproc)" bzImage modules >"$log" 2>&1; then
	grep -E '(error|Error [0-9]+):' "$log" | head -n 20 >&2 || true
	die_log "the $name kernel does not build" "$log" 10
fi
say "built $name in $(( $(date +%s) - start )) s: $(cat "$out/include/config/kernel.release")"
echo "$out/arch/x86/boot/bzImage"
