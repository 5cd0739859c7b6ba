#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a built kernel in QEMU (q35, or virt for an arm64 profile; NVMe, edu
# and the profile's IOMMU) with a boot profile (a row of config/profiles)
# and run guest cases; the guest's KTAP goes to RUNDIR/PROFILE.ktap and its
# console to RUNDIR/PROFILE.console.
#   boot.sh BZIMAGE INITRAMFS PROFILE RUNDIR CASE...
# Exit 0 when the guest reported every case (whatever their results),
# 2 when it crashed, hung or never started.
. "$(dirname "$0")/lib.sh"

kernel=$1 initrd=$2 profile=$3 rundir=$4
shift 4
cases=$(IFS=,; echo "$*")

runs=$(profile_get "$profile" runs)
mode="$(profile_get "$profile" params) harness.domain=$(profile_get "$profile" domain) harness.runs=$runs"
iommu=$(profile_get "$profile" iommu)
arch=$(profile_get "$profile" arch)
read -ra qemu_extra <<<"$(profile_get "$profile" qemu)"
# The machine: q35 with a 16550 console and the KTAP on a second port, or
# arm64's virt with GICv3 (its ITS gives PCI devices MSIs), a PL011
# console and the KTAP on a virtio-mmio console, which no IOMMU translates.
# The iommu column is a device (-device ...), or smmuv3: virt's own.
case $arch in
x86_64)
	qemu=qemu-system-x86_64 con=ttyS0 tcg_cpu=max
	machine=(-M "q35,kernel-irqchip=split")
	ktap_port=(-serial "file:$rundir/$profile.ktap") ;;
arm64)
	qemu=qemu-system-aarch64 con=ttyAMA0 tcg_cpu=cortex-a57
	m=virt,gic-version=3
	[ "$iommu" != smmuv3 ] || m=$m,iommu=smmuv3 iommu=none
	machine=(-M "$m")
	ktap_port=(-device virtio-serial-device -chardev "file,id=ktap,path=$rundir/$profile.ktap"
		   -device "virtconsole,chardev=ktap") ;;
*) die "profile $profile: no machine for arch '$arch' (x86_64 or arm64)" ;;
esac
command -v "$qemu" >/dev/null || die "no $qemu: run 'make deps' (it installs Debian's QEMU)"
iommu_dev=()
[ "$iommu" = none ] || iommu_dev=(-device "$iommu")

smp=2
[ "${ICOUNT:-0}" != 1 ] || smp=1
# GUEST_MEM: 2 GiB unless asked (check.sh boots the edu cases of the
# untranslated profiles with 256 MiB: see there).
mem=${GUEST_MEM:-2G}

# noncoherent-pcie in the qemu column is no QEMU option: it boots virt with
# its own device tree less the PCIe host's dma-coherent, so that every PCI
# device (NVMe, edu) is not DMA-coherent, as on most arm64 SoCs.  The tree
# is dumped with this boot's machine, CPU, memory and vCPUs, which it
# describes.  TCG models no caches: such a boot shows that the cache
# maintenance and bounce buffers are used and balanced, not what caches do.
dtb_args=() extra=()
for o in "${qemu_extra[@]}"; do
	[ "$o" = noncoherent-pcie ] || { extra+=("$o"); continue; }
	[ "$arch" = arm64 ] || die "profile $profile: noncoherent-pcie needs an arm64 profile (QEMU's virt)"
	command -v dtc >/dev/null || die "no dtc: run 'make deps' (it installs Debian's device-tree-compiler)"
	dtb=$rundir/$profile.dtb
	"$qemu" -M "$m,dumpdtb=$dtb.orig" -accel tcg -cpu "$tcg_cpu" -smp "$smp" \
		-m "$mem" -nodefaults -display none >"$rundir/$profile.dtb.log" 2>&1 ||
		die_log "QEMU could not dump virt's device tree" "$rundir/$profile.dtb.log"
	dtc -q -I dtb -O dts "$dtb.orig" >"$dtb.dts" ||
		die "dtc could not read the device tree QEMU dumped ($dtb.orig)"
	# virt's PCIe host: pcie@<address>, one tab deep, its properties two.
	awk '/^\tpcie@/ { p = 1 } p && /^\t};/ { p = 0 }
	     p && /^\t\tdma-coherent;/ { n++; next } { print }
	     END { exit n != 1 }' "$dtb.dts" >"$dtb.nc.dts" ||
		die "virt's device tree has no PCIe host node with dma-coherent: see $dtb.dts"
	dtc -q -I dts -O dtb -o "$dtb" "$dtb.nc.dts" ||
		die "dtc could not build the device tree without dma-coherent ($dtb.nc.dts)"
	dtb_args=(-dtb "$dtb")
	mode="$mode harness.pcie=noncoherent"
done
qemu_extra=("${extra[@]}")

# Built-in KUnit suites run only in the boots that run them: their misuse
# cases warn on purpose, which those boots alone expect (guest/expect/kunit).
[ "$runs" = kunit ] || mode="$mode kunit.enable=0"

img=$CACHE/nvme.img
[ -f "$img" ] || truncate -s 256M "$img"
# A second namespace with 8 bytes of separate metadata per block holding
# protection information (type 1): the block layer generates and checks it,
# and the driver maps it as the request's metadata.
img2=$CACHE/nvme-pi.img
[ -f "$img2" ] || truncate -s 64M "$img2"

# KVM only where a probe shows that it really runs a guest: /dev/kvm may
# open and still not boot anything (no nested virtualization).
# ICOUNT=1: single-threaded TCG with -icount shift=0,sleep=off, so that
# guest time advances one nanosecond per executed instruction (the map
# benchmark's figures become instruction counts that repeat), on one vCPU:
# with two, the idle one's timers went unserved for 20 s of guest time
# while the other ran the benchmark (RCU stall reports in lazy mode).
accel_args() {
	local want=${ACCEL:-auto} probe=$CACHE/kvm-probe
	if [ "${ICOUNT:-0}" = 1 ]; then
		echo "-accel tcg,thread=single -cpu $tcg_cpu -icount shift=0,sleep=off"
		return
	fi
	if [ "$want" = auto ] && [ "$arch" = x86_64 ] && [ -w /dev/kvm ]; then
		local key
		key="$(uname -r) $(qemu-system-x86_64 --version | head -n1)"
		if [ "$(sed -n 1p "$probe" 2>/dev/null)" != "$key" ]; then
			timeout 20 qemu-system-x86_64 -accel kvm -M q35 -cpu host -m 256M \
				-nodefaults -display none -serial "file:$probe.log" -no-reboot \
				-kernel "$kernel" -append "console=ttyS0 panic=-1" >/dev/null 2>&1
			if grep -q 'Kernel panic' "$probe.log" 2>/dev/null; then r=kvm; else r=tcg; fi
			printf '%s\n%s\n' "$key" "$r" >"$probe"
		fi
		want=$(sed -n 2p "$probe")
	fi
	case $want in
	kvm) echo "-accel kvm -cpu host" ;;
	*) echo "-accel tcg,thread=multi -cpu $tcg_cpu" ;;
	esac
}

console=$rundir/$profile.console
ktap=$rundir/$profile.ktap
rm -f "$console" "$ktap"
# A task stuck in D state for the kernel's hung-task timeout (120 s)
# panics the guest, which ends QEMU (-no-reboot) instead of the watchdog.
append="console=$con panic=-1 sysctl.kernel.hung_task_panic=1 $mode harness.profile=$profile harness.cases=$cases ${APPEND:-}"
# x86 checks that the timer interrupt arrives through the IO-APIC within
# a busy loop; under TCG on a loaded host it may not, and with interrupt
# remapping the kernel panics ("timer doesn't work through
# Interrupt-remapped IO-APIC", seen once in a check of 2026-12-07 while
# the host compiled).  The timer works: skip the check, as VM guests do.
[ "$arch" != x86_64 ] || append="no_timer_check $append"
# shellcheck disable=SC2046,SC2086 # accel_args and QEMU_EXTRA are word lists
timeout "${BOOT_TIMEOUT:-900}" "$qemu" \
	"${machine[@]}" $(accel_args) -smp "$smp" -m "$mem" \
	-nodefaults -display none -no-reboot \
	"${iommu_dev[@]}" \
	-drive "file=$img,if=none,id=nvm,format=raw,cache=unsafe" \
	-device nvme,serial=dmalink0,drive=nvm,id=nvme0 \
	-drive "file=$img2,if=none,id=nvmpi,format=raw,cache=unsafe" \
	-device nvme-ns,bus=nvme0,drive=nvmpi,nsid=2,ms=8,mset=0,pi=1 \
	-device edu \
	"${qemu_extra[@]}" "${dtb_args[@]}" \
	-serial "file:$console" \
	"${ktap_port[@]}" \
	-kernel "$kernel" -initrd "$initrd" -append "$append" \
	${QEMU_EXTRA:-} >"$rundir/$profile.qemu.log" 2>&1
rc=$?
if ! grep -q '^# harness: done' "$ktap" 2>/dev/null; then
	if [ $rc -eq 124 ]; then
		echo "ERROR: the $profile guest hung (no result after ${BOOT_TIMEOUT:-900} s)" >&2
	else
		echo "ERROR: the $profile guest stopped before reporting every case (qemu exit $rc)" >&2
	fi
	cat "$rundir/$profile.qemu.log" >&2
	printf -- '--- last lines of %s ---\n' "$console" >&2
	tail -n 30 "$console" >&2 2>/dev/null
	exit 2
fi
exit 0
