#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Peer-to-peer DMA in QEMU, in every topology and profile asked for, not
# only the ones make check boots: the guest case p2p-copy (guest/tests)
# with the p2p controllers of scripts/lib.sh (p2p_qemu_args), each boot's
# KTAP and console kept under runs/.
#   results/p2p-probe/probe.sh [PROFILE...]      strict pt off by default
#   TOPOLOGY=switch|rootports                    switch by default
#   CPU=...                                      replaces the guest's -cpu
#   SERIES=none                                  the unpatched base
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/lib.sh"

profiles=${*:-strict pt off}
SERIES=${SERIES:-patches}
topology=${TOPOLOGY:-switch}
kernel=$(SERIES=$SERIES "$TOP/scripts/build.sh" | tail -n 1) || die "the test kernel does not build"
out=$(build_for "$SERIES" test)
SERIES=$SERIES "$TOP/scripts/mkinitramfs.sh" "$out" "$out/initramfs-p2p.cpio.gz"

runs=$here/runs/$topology${CPU:+-$(echo "$CPU" | tr -c 'a-zA-Z0-9=\n' '_')}
[ "$SERIES" != none ] || runs=$runs-base
mkdir -p "$runs"
for p in $profiles; do
	QEMU_EXTRA="$(p2p_qemu_args "$topology")${CPU:+ -cpu $CPU}" "$TOP/scripts/boot.sh" \
		"$kernel" "$out/initramfs-p2p.cpio.gz" "$p" "$runs" p2p-copy || true
	"$TOP/scripts/ktap.py" --prefix "${runs##*/}/$p" --cases "boot-dmesg-clean p2p-copy" \
		"$runs/$p.ktap" || true
done
