# SPDX-License-Identifier: GPL-2.0
# The guest's helper library, /lib/harness.sh in the guest: sourced by
# /init and by every case.  A case exits 0 when it passes, 77 after
# printing "SKIP: reason" when it cannot run, anything else on failure; it
# prints what it did, which the host keeps as KTAP diagnostics.

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

# cmdline_arg NAME: the value of NAME=... on the kernel command line.
cmdline_arg() {
	# shellcheck disable=SC2013 # the command line is words
	for arg in $(cat /proc/cmdline); do
		case $arg in "$1"=*) echo "${arg#*=}"; return 0 ;; esac
	done
}

# missing_requirement CASEFILE: print why the case cannot run here, from
# its "# REQUIRES:" header line (see scripts/lib.sh), or nothing.
missing_requirement() {
	for r in $(sed -n 's/^# REQUIRES: *//p' "$1" | head -n 1); do
		case $r in
		nvme)
			for _ in $(seq 1 100); do
				[ -e /sys/class/nvme/nvme0 ] && break
				sleep 0.1
			done
			[ -e /sys/class/nvme/nvme0 ] || echo "no NVMe controller (nvme0) after 10 s" ;;
		fio) command -v fio >/dev/null || echo "no fio in this initramfs (the small one, for 256 MiB guests)" ;;
		edu) [ -e /sys/class/misc/dma_edu_test ] ||
			echo "no /dev/dma_edu_test: CONFIG_DMA_EDU_TEST off, or QEMU gave no edu device" ;;
		selftests) [ -x /usr/bin/dma_edu_link ] ||
			echo "no /usr/bin/dma_edu_link: the series' selftests were not built (SERIES=none?)" ;;
		dma-debug) [ -r /sys/kernel/debug/dma-api/dump ] ||
			echo "no /sys/kernel/debug/dma-api: CONFIG_DMA_API_DEBUG is off" ;;
		p2p)
			for _ in $(seq 1 100); do
				ls /sys/bus/pci/devices/*/p2pmem/allocate >/dev/null 2>&1 && break
				sleep 0.1
			done
			ls /sys/bus/pci/devices/*/p2pmem/allocate >/dev/null 2>&1 ||
				echo "no device publishes p2pmem: CONFIG_PCI_P2PDMA off, or a boot without the p2p controllers (scripts/check.sh gives these cases their own)" ;;
		kmemleak) [ -e /sys/kernel/debug/kmemleak ] ||
			echo "no /sys/kernel/debug/kmemleak: CONFIG_DEBUG_KMEMLEAK is off" ;;
		*) echo "unknown requirement '$r' in the case's header" ;;
		esac
	done | head -n 1
}

# wait_dev PATH: the NVMe namespace is probed asynchronously.
wait_dev() {
	for _ in $(seq 1 100); do
		[ -b "$1" ] || [ -c "$1" ] && return 0
		sleep 0.1
	done
	fail "$1 did not appear within 10 s"
}

# use_ns NSID: point NS (nvme0nY), NS_DEV (/dev/nvme0nY) and NS_NG
# (/dev/ng0nY) at namespace NSID of the NVMe controller.  The driver scans
# namespaces in parallel and names them in the order it finishes, so
# nvme0n1 is nsid 1 on one boot and nsid 2 (the one with protection
# information) on the next: never use the name, always the NSID.
use_ns() {
	for _ in $(seq 1 100); do
		for d in /sys/block/nvme0n*; do
			[ "$(cat "$d/nsid" 2>/dev/null)" = "$1" ] || continue
			NS=${d##*/}
			NS_DEV=/dev/$NS NS_NG=/dev/ng${NS#nvme}
			wait_dev "$NS_DEV"
			return 0
		done
		sleep 0.1
	done
	fail "nvme0 has no namespace with nsid $1 after 10 s"
}

# The namespaces QEMU gives the controller (scripts/boot.sh).
# shellcheck disable=SC2034 # for the cases
NSID_DATA=1	# 512-byte blocks, no metadata
# shellcheck disable=SC2034
NSID_PI=2	# 512-byte blocks, 8 bytes of metadata, T10 PI type 1

# iommu_mode: what the IOMMU does for the NVMe controller, as the kernel
# sees it: the iommu group's domain type (DMA, DMA-FQ, identity), or none.
iommu_mode() {
	dev=$(readlink -f /sys/class/nvme/nvme0/device)
	if [ -r "$dev/iommu_group/type" ]; then cat "$dev/iommu_group/type"; else echo none; fi
}

# expect_dmesg ERE: lines matching ERE are expected in this case's dmesg.
expect_dmesg() { echo "$1" >>/tmp/expect-dmesg; }

# run_fio JOBFILE [NSID]: run a verifying fio job file against namespace
# NSID (NSID_DATA unless given) as FIO_DEV, its generic char device as
# FIO_NG and its max transfer (at most 512 KiB) as MAX_BS; print a line
# per job, fail on any error or bad verification.
run_fio() {
	use_ns "${2:-$NSID_DATA}"
	FIO_DEV=$NS_DEV FIO_NG=$NS_NG
	# at most 512 KiB, QEMU's default mdts: pt and off lift it for
	# fio-prp-chain, and the jobs' sizes are not made for 8 MiB
	hw_kb=$(cat "/sys/block/$NS/queue/max_hw_sectors_kb")
	MAX_BS=$((hw_kb < 512 ? hw_kb : 512))k
	export FIO_DEV FIO_NG MAX_BS
	pi=$(cat "/sys/block/$NS/integrity/format" 2>/dev/null || echo none)
	echo "namespace: $NS (nsid ${2:-$NSID_DATA}, integrity $pi)"
	echo "iommu: $(iommu_mode)"
	echo "max transfer: ${hw_kb}k (jobs' largest: $MAX_BS)"
	# fio's I/O buffers follow each other in memory: at an mem_align that
	# is not a multiple of the cache line, two concurrent reads into
	# neighbouring buffers share a line, which dma-debug's cacheline
	# tracking reports (for scatterlists as for linked ranges).
	expect_dmesg 'DMA-API: nvme .*: cacheline tracking EEXIST, overlapping mappings'
	expect_dmesg 'WARNING: .* at .*kernel/dma/debug\.c:[0-9]+ add_dma_entry\+'
	expect_dmesg 'Call Trace:'
	log=/tmp/fio-$(basename "$1" .fio).log
	fio --output="$log" "$1"
	rc=$?
	grep -E '^[a-z_0-9-]+: \(groupid|err=|^ *(read|write):' "$log" |
		sed -e 's/^ *//' -e 's/: (groupid=[0-9]*, jobs=[0-9]*)//' \
		    -e 's/ pid=[0-9]*:.*//' -e 's/^/fio: /'
	if [ $rc -ne 0 ] || grep -q 'verify: bad' "$log" ||
	   grep -qE 'err= *[1-9]' "$log"; then
		tail -n 30 "$log"
		fail "fio $1 exited $rc"
	fi
	echo "fio: $(grep -c 'groupid' "$log") jobs verified"
}

# run_selftest PROG TEST [must-run]: run one test of a kselftest_harness
# program from /usr/bin (built from tools/testing/selftests/dma); its KTAP
# becomes this case's output, its skip this case's skip, or with must-run
# (a boot that has what the test needs) this case's failure.
run_selftest() {
	/usr/bin/"$1" -t "$2" >/tmp/selftest.out 2>&1
	rc=$?
	cat /tmp/selftest.out
	# The harness exits 0 or 4 (KSFT_SKIP) for a skipped test.
	why=$(sed -n "s/^ok [0-9]* .*$2 # SKIP //p" /tmp/selftest.out | head -n 1)
	case $rc in
	0|4) [ -z "$why" ] || [ "${3:-}" != must-run ] || fail "$1 -t $2 skipped where it must run: $why"
		[ -z "$why" ] || skip "$why"
		grep -qE "^ok [0-9]+ .*$2\$" /tmp/selftest.out || fail "$1 -t $2 ran no test" ;;
	*) fail "$1 -t $2 exited $rc" ;;
	esac
}

# run_odp_selftest TEST [must-run]: run_selftest dma_edu_link TEST, with a
# kprobe event on each of umem_odp's entry points.  The edu driver's ODP
# mode mirrors memory through RDMA's umem_odp: a test that ran must have
# called each of UMEM_ODP_CALLS (every count is printed).  The probes of
# the last case stay until the next one replaces them.
UMEM_ODP_CALLS="ib_umem_odp_get ib_umem_odp_map_dma_and_lock ib_umem_odp_unmap_dma_pages ib_umem_odp_release"
run_odp_selftest() {
	tr=/sys/kernel/tracing
	mount -t tracefs tracefs $tr 2>/dev/null
	[ -w $tr/kprobe_events ] ||
		fail "no $tr/kprobe_events: the kernel lacks CONFIG_KPROBE_EVENTS (config/series-odp.config)"
	[ -d $tr/events/umem_odp ] && echo 0 >$tr/events/umem_odp/enable
	echo >$tr/kprobe_events
	for f in $UMEM_ODP_CALLS ib_umem_odp_alloc_implicit ib_umem_odp_alloc_child; do
		echo "p:umem_odp/$f $f" >>$tr/kprobe_events ||
			fail "cannot probe $f: umem_odp is not built in (CONFIG_INFINIBAND_ON_DEMAND_PAGING, config/series-odp.config)"
	done
	echo 1 >$tr/events/umem_odp/enable
	run_selftest dma_edu_link "$1" "${2:-}"
	echo 0 >$tr/events/umem_odp/enable
	echo "umem_odp calls: $(awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }' $tr/kprobe_profile)"
	for f in $UMEM_ODP_CALLS; do
		n=$(awk -v f="$f" '$1 == f { print $2 }' $tr/kprobe_profile)
		[ "${n:-0}" -gt 0 ] ||
			fail "the test ran without a call of $f: the edu ODP mode does not go through umem_odp"
	done
}

# The PCI address of the edu test device as the VT-d driver prints it.
edu_bdf() {
	basename "$(readlink -f /sys/class/misc/dma_edu_test/device)" | sed 's/^0000://'
}

# expect_edu_iommu_faults: the IOMMU fault reports a case provokes on
# purpose, a device write to an unlinked IOVA of the edu device, in the
# wording of VT-d, virtio-iommu (the endpoint by its PCI requester ID) and
# SMMUv3 (which names the stream in the event's dwords, read by the
# selftest; the line announcing an event names no device).
expect_edu_iommu_faults() {
	[ -e /sys/class/misc/dma_edu_test ] || return 0
	bdf=$(edu_bdf)
	expect_dmesg "DMAR: DRHD: handling fault status reg"
	expect_dmesg "DMAR: \[DMA (Read|Write) NO_PASID\] Request device \[$bdf\] fault addr"
	expect_dmesg "virtio_iommu virtio[0-9]+: page fault from EP [0-9]+ at 0x"
	expect_dmesg "arm-smmu-v3 .*: event 0x1[0-3] received"
}

# expect_edu_odp_refusal: under swiotlb=force the edu driver's ODP ranges
# are refused, and the mm/hmm DMA helpers say why.
expect_edu_odp_refusal() {
	expect_dmesg "dma_edu_test .*: cannot mirror memory for DMA: swiotlb=force bounces all of its DMA"
}
