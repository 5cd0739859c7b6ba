#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Peer-to-peer DMA in QEMU: two NVMe controllers behind one PCIe switch
# (x3130-upstream, two xio3130-downstream ports), the first with a 64 MiB
# controller memory buffer that the nvme driver publishes as p2pmem;
# p2p_copy does direct I/O between the second one's namespace and that
# memory.  Boots the test kernel plus config/p2p.config in the strict, pt
# and off profiles and keeps each boot's KTAP and console here.
#   results/p2p-probe/probe.sh [PROFILE...]
# APPEND=... adds kernel parameters (e.g. pci=disable_acs_redir=...).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/lib.sh"

# SERIES=none: the unpatched base instead of the series.
profiles=${*:-strict pt off}
SERIES=${SERIES:-patches}
name=p2p-probe
if [ "$SERIES" = none ]; then
	name=p2p-probe-base out=$CACHE/base/build/p2p-probe
	"$TOP/scripts/series.sh" base >&2
else
	out=$CACHE/build/p2p-probe
	"$TOP/scripts/series.sh" apply >&2
fi
src=$(tree_for "$SERIES")
mapfile -t frags < <(build_frags "$SERIES" test)
configure_kernel "$src" "$out" "$name" "${frags[@]}" "$TOP/config/p2p.config"
say "building the $name kernel (log: $LOGS/build-$name.log)"
make -C "$src" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" -j"$(nproc)" bzImage \
	>"$LOGS/build-$name.log" 2>&1 || die_log "the $name kernel does not build" "$LOGS/build-$name.log"

extra=$(mktemp -d)
trap 'rm -rf "$extra"' EXIT
mkdir -p "$extra/usr/bin" "$extra/tests"
gcc -O2 -Wall -static -o "$extra/usr/bin/p2p_copy" "$here/p2p_copy.c" || die "p2p_copy does not build"
cp "$here/p2p-copy" "$extra/tests/"
SERIES=$SERIES EXTRA=$extra "$TOP/scripts/mkinitramfs.sh" "$out" "$out/initramfs.cpio.gz"

for f in a b; do [ -f "$CACHE/p2p-$f.img" ] || truncate -s 64M "$CACHE/p2p-$f.img"; done
# TOPOLOGY=switch (the default): both controllers below one switch.
# TOPOLOGY=rootports: each on a root port of its own, so that their path
# goes through the host bridge.  CPU=... replaces the guest's -cpu (the
# kernel lets AMD family 17h and later route P2P through the host bridge).
case ${TOPOLOGY:-switch} in
switch) ports="-device pcie-root-port,id=rp9,bus=pcie.0,chassis=9,slot=9
 -device x3130-upstream,id=up9,bus=rp9
 -device xio3130-downstream,id=dn1,bus=up9,chassis=10,slot=0
 -device xio3130-downstream,id=dn2,bus=up9,chassis=11,slot=0" ;;
rootports) ports="-device pcie-root-port,id=dn1,bus=pcie.0,chassis=9,slot=9
 -device pcie-root-port,id=dn2,bus=pcie.0,chassis=10,slot=10" ;;
*) die "TOPOLOGY=${TOPOLOGY}: switch or rootports" ;;
esac
switch="$ports
 -drive file=$CACHE/p2p-a.img,if=none,id=p2pa,format=raw,cache=unsafe
 -device nvme,serial=p2pa,drive=p2pa,bus=dn1,cmb_size_mb=64
 -drive file=$CACHE/p2p-b.img,if=none,id=p2pb,format=raw,cache=unsafe
 -device nvme,serial=p2pb,drive=p2pb,bus=dn2${CPU:+ -cpu $CPU}"
runs=$here/runs/${TOPOLOGY:-switch}${CPU:+-$(echo "$CPU" | tr -c 'a-zA-Z0-9=\n' '_')}
[ "$SERIES" != none ] || runs=$runs-base
mkdir -p "$runs"
for p in $profiles; do
	QEMU_EXTRA=$switch "$TOP/scripts/boot.sh" "$out/arch/x86/boot/bzImage" \
		"$out/initramfs.cpio.gz" "$p" "$runs" p2p-copy || true
	"$TOP/scripts/ktap.py" --prefix "${runs##*/}/$p" --cases "boot-dmesg-clean p2p-copy" "$runs/$p.ktap" || true
done
