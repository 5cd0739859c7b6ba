#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IOTLB invalidations per NVMe request, as QEMU's VT-d sees them: two boots
# of KERNEL in PROFILE with the vtd_inv_desc_iotlb_* trace events on, one
# running N 16 KiB reads from unaligned buffers and one running none; the
# difference divided by N.  Prints "iotlb: <per request> <N> <events>".
#   iotlb-count.sh KERNEL INITRAMFS PROFILE RUNDIR [N]
. "$(dirname "$0")/lib.sh"

kernel=$1 initrd=$2 profile=$3 rundir=$4 n=${5:-1000}
count() {
	local nios=$1 dir=$rundir/iotlb-$profile-$1
	mkdir -p "$dir"
	APPEND="harness.nios=$nios" \
	QEMU_EXTRA="-trace vtd_inv_desc_iotlb_* -D $dir/qemu-trace.log" \
		"$TOP/scripts/boot.sh" "$kernel" "$initrd" "$profile" "$dir" fio-count >&2 ||
		die "the iotlb-count boot ($profile, $nios reads) did not finish: $dir"
	grep -q '^ok 2 fio-count' "$dir/$profile.ktap" ||
		die "fio-count failed in the iotlb-count boot: $dir/$profile.ktap"
	grep -c 'vtd_inv_desc_iotlb' "$dir/qemu-trace.log" || true
}
base=$(count 0)
with=$(count "$n")
awk -v b="$base" -v w="$with" -v n="$n" \
	'BEGIN { printf "iotlb: %.3f %d %d\n", (w - b) / n, n, w - b }'
