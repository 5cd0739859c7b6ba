#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job: fetch the base, apply the series, build the guest kernel,
# boot it with intel_iommu=on and run fio with mem_align=120 and crc32c
# verification on the NVMe namespace with the DMA API's tracepoints on,
# then print a short summary: fio's result and how the requests were
# mapped (windows, ranges linked per window, single mappings, IOTLB
# invalidations per command).
#   SERIES=none for the unpatched base; PROFILE= a row of config/profiles.
. "$(dirname "$0")/lib.sh"

SERIES=${SERIES:-patches}
PROFILE=${PROFILE:-strict}
"$TOP/scripts/deps.sh"
kernel=$("$TOP/scripts/build.sh" | tail -n 1)
build=$(build_for "$SERIES")
name=$([ "$SERIES" = none ] && echo "the unpatched base" || echo "base + patches/")
rundir=$CACHE/runs/run-$(date +%Y%m%d-%H%M%S)
mkdir -p "$rundir"
"$TOP/scripts/mkinitramfs.sh" "$build" "$rundir/initramfs.cpio.gz"

say "booting $name in QEMU"
res=$(boot_report "$kernel" "$rundir/initramfs.cpio.gz" "$PROFILE" "$rundir" "$PROFILE" \
	fio-api-trace) || true
ktap=$rundir/$PROFILE.ktap
echo
echo "kernel:      $(sed -n 's/.*kernel=\([^ ]*\).*/\1/p' "$ktap" | head -n1) ($name)"
echo "boot:        $PROFILE ($(sed -n 's/.*cmdline=//p' "$ktap" | grep -oE '(intel_iommu|iommu[.a-z]*|swiotlb)=[^ ]*' | tr '\n' ' '))"
echo "iommu:       $(sed -n 's/^# iommu: //p' "$ktap" | head -n1) (the NVMe controller's domain as the guest sees it)"
sed -n 's/^# fio: /fio:         /p' "$ktap"
sed -n 's/^# api: /api:         /p' "$ktap"
echo "results:     $rundir"
if grep -q '^FAIL' <<<"$res"; then
	grep '^FAIL' <<<"$res"
	echo "FAIL"
	exit 1
fi
echo "PASS"
