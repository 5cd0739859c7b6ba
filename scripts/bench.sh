#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmark ("make bench"), beside the test suite and never part of it:
# no thresholds, only numbers.  In one run it
#   - boots the patched kernel in strict and lazy mode and runs
#     dma_map_benchmark on the edu device: single, sg, link and link-reuse
#     for 1, 16, 64 and 256 pages, aligned and at offset 120, with the
#     VT-d IOTLB invalidations per operation counted in the guest;
#   - runs the same fio jobs on the unpatched base and the patched kernel
#     (strict mode) on the NVMe namespace;
# and writes results/bench-DATE/: results.md (ratios, medians and spread
# over BENCH_REPS runs), chart.png and the raw KTAP logs.
# The guest kernel is the debug-config one the tests use, with DMA-API
# debugging, lockdep proving, debug objects and kmemleak turned off on its
# command line; both kernels get the same.  Numbers are TCG's, not hardware's:
# compare ratios, not absolute times.
. "$(dirname "$0")/lib.sh"

reps=${BENCH_REPS:-3}
out=${BENCH_OUT:-$TOP/results/bench-$(date +%Y%m%d-%H%M%S)}
raw=$out/raw
mkdir -p "$raw"
"$TOP/scripts/deps.sh"

kernel=$("$TOP/scripts/build.sh" | tail -n 1) || die "building the patched kernel failed"
build=$(build_for patches)
base_kernel=$(SERIES=none "$TOP/scripts/build.sh" | tail -n 1) || die "building the base failed"
base_build=$(build_for none)
"$TOP/scripts/mkinitramfs.sh" "$build" "$raw/initramfs.cpio.gz"
SERIES=none "$TOP/scripts/mkinitramfs.sh" "$base_build" "$raw/base-initramfs.cpio.gz"

export APPEND="dma_debug=off lockdep.prove_locking=0 no_debug_objects kmemleak=off bench.reps=$reps ${BENCH_APPEND:-}"
bench_boot() { # NAME KERNEL INITRAMFS PROFILE CASE...
	local name=$1 k=$2 i=$3 p=$4
	shift 4
	say "bench: $name ($p): $*"
	mkdir -p "$raw/$name"
	"$TOP/scripts/boot.sh" "$k" "$i" "$p" "$raw/$name" "$@" ||
		die "the $name guest did not finish: $raw/$name/$p.console"
	cp "$raw/$name/$p.ktap" "$raw/$name.ktap"
	if grep -q '^not ok' "$raw/$name.ktap"; then
		grep -B5 '^not ok' "$raw/$name.ktap" >&2
		die "a bench case failed in $name: $raw/$name.ktap"
	fi
}
bench_boot patched-strict "$kernel" "$raw/initramfs.cpio.gz" strict bench-map bench-fio
bench_boot patched-lazy "$kernel" "$raw/initramfs.cpio.gz" lazy bench-map
bench_boot base-strict "$base_kernel" "$raw/base-initramfs.cpio.gz" strict bench-fio

"$TOP/scripts/bench-report.py" --machine "$(nproc) CPUs, $(awk '/MemTotal/ {printf "%d GiB", $2 / 1048576 + 0.5}' /proc/meminfo), QEMU $(qemu-system-x86_64 --version | sed -n 's/.*version \([^ ]*\).*/\1/p') TCG" \
	--reps "$reps" "$raw" "$out" || die "bench-report.py failed"
say "bench results: $out/results.md, $out/chart.png"
