#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmark ("make bench"), beside the test suite and never part of it:
# no thresholds, only numbers, and the targets they meet or miss.  On the
# benchmark kernels (the guest config without the debug fragment, patched
# and unpatched base built the same way) it runs
#   map: dma_map_benchmark on the edu device (guest/bench/bench-map), in
#        strict and lazy mode, once under QEMU's -icount (instruction
#        counts, one run per configuration: they repeat) and once on
#        multi-threaded TCG (wall clock, BENCH_REPS runs, and the VT-d
#        IOTLB invalidations per operation);
#   map-arm64: the same map modes on arm64's virt behind its SMMUv3
#        (io-pgtable-arm), strict, under -icount: the arm64 benchmark
#        kernel and user space, cross-built;
#   io:  CPU per NVMe I/O (guest/bench/bench-io): guest instructions
#        per fio I/O under -icount on the base and the patched kernel, in
#        the strict, lazy, pt and off profiles, BENCH_REPS runs each;
#   fio: the NVMe fio jobs (guest/bench/bench-fio) on the base and the
#        patched kernel, booted alternately, BENCH_ROUNDS rounds, in the
#        strict, lazy and pt profiles (wall clock);
# and writes results/bench-DATE/: results.md, chart.png and the raw KTAP.
#   BENCH_PARTS="map map-arm64 io fio" (default all four), BENCH_REPS (3), BENCH_ROUNDS (5),
#   BENCH_MODES="page hmm" (default all): the dma_map_benchmark modes run;
#   BENCH_IO_PROFILES (default "strict lazy pt off"): the io part's profiles;
#   BENCH_IO_JOBS=RW:BS:ALIGN:DEPTH,... only those io jobs (guest/bench/bench-io)
. "$(dirname "$0")/lib.sh"

reps=${BENCH_REPS:-3}
modes=${BENCH_MODES:+bench.modes=$(printf '%s' "$BENCH_MODES" | tr ' ' ,)}
rounds=${BENCH_ROUNDS:-5}
parts=${BENCH_PARTS:-map map-arm64 io fio}
for w in $parts; do
	case $w in
	map | map-arm64 | io | fio) ;;
	*) die "BENCH_PARTS: no part '$w' (the parts: map map-arm64 io fio, separated by spaces)" ;;
	esac
done
out=${BENCH_OUT:-$TOP/results/bench-$(date +%Y%m%d-%H%M%S)}
raw=$out/raw
# The initramfs images (40 MiB each) stay in the cache, not in results/.
img=$CACHE/bench
mkdir -p "$img"
mkdir -p "$raw"
"$TOP/scripts/deps.sh"

# The x86_64 parts (map, io, fio) need the x86_64 benchmark kernel.
x86=0
[[ " $parts " =~ \ (map|io|fio)\  ]] && x86=1
if [ $x86 = 1 ]; then
	kernel=$(KIND=bench "$TOP/scripts/build.sh" | tail -n 1) ||
		die "building the patched benchmark kernel failed"
	"$TOP/scripts/mkinitramfs.sh" "$(build_for patches bench)" "$img/initramfs.cpio.gz"
fi
if [[ " $parts " =~ \ (io|fio)\  ]]; then
	base_kernel=$(SERIES=none KIND=bench "$TOP/scripts/build.sh" | tail -n 1) ||
		die "building the base benchmark kernel failed"
	SERIES=none "$TOP/scripts/mkinitramfs.sh" "$(build_for none bench)" "$img/base-initramfs.cpio.gz"
fi

bench_boot() { # NAME KERNEL INITRAMFS PROFILE CASE...
	local name=$1 k=$2 i=$3 p=$4
	shift 4
	say "bench: $name ($p): $*"
	if ! boot_report "$k" "$i" "$p" "$raw/$name" "$name" "$@" >"$raw/$name.results"; then
		grep -B5 '^not ok' "$raw/$name/$p.ktap" >&2 || true
		grep '^FAIL' "$raw/$name.results" >&2
		die "a bench case failed in $name: $raw/$name/$p.ktap"
	fi
	cp "$raw/$name/$p.ktap" "$raw/$name.ktap"
}

if [[ " $parts " == *" map "* ]]; then
	for p in strict lazy; do
		APPEND="bench.reps=1 bench.iotlb=0 $modes" ICOUNT=1 \
			bench_boot "map-$p-icount" "$kernel" "$img/initramfs.cpio.gz" "$p" bench-map
		APPEND="bench.reps=$reps bench.iotlb=1 $modes" \
			bench_boot "map-$p" "$kernel" "$img/initramfs.cpio.gz" "$p" bench-map
	done
fi
if [[ " $parts " == *" map-arm64 "* ]]; then
	arm_kernel=$(GUEST_ARCH=arm64 KIND=bench "$TOP/scripts/build.sh" | tail -n 1) ||
		die "building the patched arm64 benchmark kernel failed"
	GUEST_ARCH=arm64 "$TOP/scripts/mkinitramfs.sh" "$(GUEST_ARCH=arm64 build_for patches bench)" \
		"$img/initramfs-arm64.cpio.gz"
	APPEND="bench.reps=1 bench.iotlb=0 $modes" ICOUNT=1 bench_boot "map-arm64-strict-icount" \
		"$arm_kernel" "$img/initramfs-arm64.cpio.gz" arm64-strict bench-map
fi
if [[ " $parts " == *" io "* ]]; then
	io_jobs=${BENCH_IO_JOBS:+bench.jobs=$BENCH_IO_JOBS}
	for p in ${BENCH_IO_PROFILES:-strict lazy pt off}; do
		APPEND="bench.reps=$reps $io_jobs" ICOUNT=1 bench_boot "io-$p-base" "$base_kernel" \
			"$img/base-initramfs.cpio.gz" "$p" bench-io
		APPEND="bench.reps=$reps $io_jobs" ICOUNT=1 bench_boot "io-$p-patched" "$kernel" \
			"$img/initramfs.cpio.gz" "$p" bench-io
	done
fi
if [[ " $parts " == *" fio "* ]]; then
	for r in $(seq 1 "$rounds"); do
		for p in strict lazy pt; do
			APPEND="bench.reps=1" bench_boot "fio-$p-base-$r" "$base_kernel" \
				"$img/base-initramfs.cpio.gz" "$p" bench-fio
			APPEND="bench.reps=1" bench_boot "fio-$p-patched-$r" "$kernel" \
				"$img/initramfs.cpio.gz" "$p" bench-fio
		done
	done
fi

qemu="qemu-system-x86_64"
[ $x86 = 1 ] || qemu="qemu-system-aarch64"
"$TOP/scripts/bench-report.py" --machine "$(nproc) CPUs, $(awk '/MemTotal/ {printf "%d GiB", $2 / 1048576 + 0.5}' /proc/meminfo), QEMU $($qemu --version | sed -n 's/.*version \([^ ]*\).*/\1/p') TCG" \
	--reps "$reps" "$raw" "$out" || die "bench-report.py failed"
say "bench results: $out/results.md, $out/chart.png"
