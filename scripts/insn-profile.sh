#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Where a call's instructions go: boot the benchmark kernel (KIND=bench,
# built by "make bench") with bench-map and QEMU's gdbstub, let gdb stop
# at FUNCTION (when CONDITION holds, after SKIP hits), single-step that one
# call to its return and print the instructions executed per function.
#   insn-profile.sh FUNCTION [CONDITION [SKIP]]
# e.g. insn-profile.sh dma_link_range '$rcx == 0x5000'  (a link at offset
# 20 KiB, so not the first of its window), or iommu_dma_map_sg
# '$rdx == 16' (a 16-entry scatterlist).  Functions inlined into others
# count as those; interrupts are masked while QEMU single-steps.
#   PROFILE (strict) boots that profile; SERIES=none profiles the unpatched
#   base's benchmark kernel; CASE=bench-io (default bench-map) runs the
#   NVMe jobs instead, BENCH_JOBS=RW:BS:ALIGN:DEPTH (default read:128k:0:1)
#   only that one, on one vCPU under -icount, e.g.
#   PROFILE=pt CASE=bench-io insn-profile.sh nvme_queue_rq '' 200
. "$(dirname "$0")/lib.sh"

func=${1:?usage: insn-profile.sh FUNCTION [CONDITION [SKIP]]}
cond=${2:-} skip=${3:-3}
"$TOP/scripts/deps.sh"
build=$(build_for "${SERIES:-patches}" bench)
profile=${PROFILE:-strict} case=${CASE:-bench-map}
[ -f "$build/vmlinux" ] || die "no $build/vmlinux: run 'make bench' (or KIND=bench scripts/build.sh) first"
work=$(mktemp -d)
trap 'pkill -f "qemu-system-x86_64.*$work" 2>/dev/null; rm -rf "$work"' EXIT
"$TOP/scripts/mkinitramfs.sh" "$build" "$work/initramfs.cpio.gz"
icount=0 append="bench.reps=1 bench.iotlb=0 bench.secs=4"
if [ "$case" = bench-io ]; then
	icount=1 append="bench.reps=100 bench.jobs=${BENCH_JOBS:-read:128k:0:1}"
fi
APPEND=$append ICOUNT=$icount QEMU_EXTRA="-s" \
	"$TOP/scripts/boot.sh" "$build/arch/x86/boot/bzImage" "$work/initramfs.cpio.gz" \
	"$profile" "$work" "$case" >"$LOGS/insn-profile-boot.log" 2>&1 &

cat >"$work/trace.py" <<'PY'
import collections, os, time
import gdb

gdb.execute("set pagination off")
# QEMU's gdbstub listens once the boot got that far: try for a minute.
for _ in range(60):
    try:
        gdb.execute("target remote :1234")
        break
    except gdb.error:
        time.sleep(1)
bp = gdb.Breakpoint("*" + os.environ["FUNC"])
if os.environ["COND"]:
    bp.condition = os.environ["COND"]
for _ in range(int(os.environ["SKIP"]) + 1):
    gdb.execute("continue")
bp.delete()
ret = int(gdb.parse_and_eval("*(unsigned long *)$sp"))
sp0 = int(gdb.parse_and_eval("$sp"))
counts = collections.Counter()
n = 0
while n < 1000000:
    pc = int(gdb.parse_and_eval("$pc"))
    if pc == ret and int(gdb.parse_and_eval("$sp")) > sp0:
        break
    sym = gdb.execute("info symbol 0x%x" % pc, to_string=True).split()
    counts[sym[0] if sym else hex(pc)] += 1
    gdb.execute("stepi", to_string=True)
    n += 1
print("# %d instructions in one call of %s" % (n, os.environ["FUNC"]))
for name, c in counts.most_common():
    print("%7d %s" % (c, name))
gdb.execute("detach")
PY
sleep 3
FUNC=$func COND=$cond SKIP=$skip timeout 1200 gdb -q --batch -ex "file $build/vmlinux" \
	-x "$work/trace.py" 2>&1 | grep -E '^(#|  *[0-9]+ )' ||
	die "gdb found no call of $func (boot log: $LOGS/insn-profile-boot.log)"
