#!/bin/bash
# quick -icount map bench of the patched bench kernel: strict, x86_64 (and arm64 with ARM=1)
. /work/main/scripts/lib.sh
modes=bench.modes=${MODES:-single,sg,link,link-vec}
out=/tmp/qbench-$(date +%H%M%S); mkdir -p $out
kernel=$(KIND=bench "$TOP/scripts/build.sh" | tail -n 1) || exit 1
"$TOP/scripts/mkinitramfs.sh" "$(build_for patches bench)" "$CACHE/bench/initramfs.cpio.gz"
APPEND="bench.reps=1 bench.iotlb=0 $modes" ICOUNT=1 boot_report "$kernel" "$CACHE/bench/initramfs.cpio.gz" strict "$out/x86" qb bench-map > $out/x86.results
if [ "${ARM:-0}" = 1 ]; then
  ak=$(GUEST_ARCH=arm64 KIND=bench "$TOP/scripts/build.sh" | tail -n 1) || exit 1
  GUEST_ARCH=arm64 "$TOP/scripts/mkinitramfs.sh" "$(GUEST_ARCH=arm64 build_for patches bench)" "$CACHE/bench/initramfs-arm64.cpio.gz"
  APPEND="bench.reps=1 bench.iotlb=0 $modes" ICOUNT=1 boot_report "$ak" "$CACHE/bench/initramfs-arm64.cpio.gz" arm64-strict "$out/arm" qb bench-map > $out/arm.results
fi
grep -h "bench map" $out/*/*.ktap | grep "offset=0 contig=1" | awk '{for(i=1;i<=NF;i++){split($i,a,"="); v[a[1]]=a[2]} printf "%s %-9s %4s map=%7s unmap=%6s total=%7d\n", FILENAME, v["mode"], v["pages"], v["map_ns"], v["unmap_ns"], v["map_ns"]+v["unmap_ns"]}'
echo $out
