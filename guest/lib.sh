# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest case scripts.  A case exits 0 when it passes,
# 77 after printing "SKIP: reason" when it cannot run, anything else on
# failure; it prints what it did, which the host keeps as KTAP diagnostics.

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

# wait_dev PATH: the NVMe namespace is probed asynchronously.
wait_dev() {
	for _ in $(seq 1 100); do
		[ -b "$1" ] || [ -c "$1" ] && return 0
		sleep 0.1
	done
	fail "$1 did not appear within 10 s"
}

# iommu_mode: what the IOMMU does for the NVMe controller, as the kernel
# sees it: the iommu group's domain type (DMA, DMA-FQ, identity), or none.
iommu_mode() {
	dev=$(readlink -f /sys/class/nvme/nvme0/device)
	if [ -r "$dev/iommu_group/type" ]; then cat "$dev/iommu_group/type"; else echo none; fi
}

# expect_dmesg ERE: lines matching ERE are expected in this case's dmesg.
expect_dmesg() { echo "$1" >>/tmp/expect-dmesg; }
