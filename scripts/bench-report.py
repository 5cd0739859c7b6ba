#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the "# bench ..." lines of the bench boots into results.md and
chart.png: medians over the repeated runs, their spread (min-max), and the
ratios link / sg, link-reuse / single and patched / base.

    bench-report.py [--machine TEXT] [--reps N] RAWDIR OUTDIR

RAWDIR holds patched-strict.ktap, patched-lazy.ktap and base-strict.ktap.
"""
import argparse
import datetime
import os
import re
import statistics
import subprocess
import sys

MODES = ["single", "sg", "link", "link-reuse"]
PAGES = [1, 16, 64, 256]
OFFSETS = [0, 120]


def fields(line):
    return dict(kv.split("=", 1) for kv in line.split() if "=" in kv)


def parse(path):
    """{("map", mode, pages, off): [ns...], ("iotlb", ...): per-op,
    ("fio", cfg): [iops...]} from one KTAP file."""
    res = {}
    with open(path, errors="replace") as f:
        for line in f:
            m = re.match(r"# bench (map|iotlb|fio) (.*)", line)
            if not m:
                continue
            kind, kv = m.group(1), fields(m.group(2))
            if kind == "map":
                key = ("map", kv["mode"], int(kv["pages"]), int(kv["offset"]))
                res.setdefault(key, []).append(
                    int(kv["map_ns"]) + int(kv["unmap_ns"]))
            elif kind == "iotlb":
                key = ("iotlb", kv["mode"], int(kv["pages"]), int(kv["offset"]))
                ops = int(kv["ops"])
                res[key] = int(kv["invalidations"]) / ops if ops else None
            else:
                cfg = (kv["rw"], kv["bs"], int(kv["mem_align"]), int(kv["iodepth"]))
                res.setdefault(("fio", cfg), []).append(float(kv["iops"]))
    return res


def med(v):
    return statistics.median(v) if v else None


def spread(v):
    return "%s-%s" % (fmt(min(v)), fmt(max(v))) if v else "-"


def fmt(x, unit=""):
    if x is None:
        return "-"
    if x >= 100:
        return "%.0f%s" % (x, unit)
    return "%.3g%s" % (x, unit)


def ratio(a, b):
    return "%.2f" % (a / b) if a and b else "-"


def map_table(res, profile):
    out = ["### dma_map_benchmark, %s: map + unmap per operation (ns, median; spread)" % profile, "",
           "| pages | offset | single | sg | link | link-reuse | link / sg | link-reuse / single | IOTLB inv. per op (single / sg / link / link-reuse) |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|:---|"]
    for p in PAGES:
        for o in OFFSETS:
            cells, meds = [], {}
            for mode in MODES:
                v = res.get(("map", mode, p, o), [])
                meds[mode] = med(v)
                cells.append("%s (%s)" % (fmt(meds[mode]), spread(v)) if v else "-")
            inv = " / ".join(fmt(res.get(("iotlb", mode, p, o))) for mode in MODES)
            out.append("| %d | %d | %s | %s | %s | %s |" % (
                p, o, " | ".join(cells), ratio(meds["link"], meds["sg"]),
                ratio(meds["link-reuse"], meds["single"]), inv))
    return out


def fio_table(base, patched):
    out = ["### fio on the NVMe namespace, strict: IOPS (median; spread), patched / base", "",
           "| job | mem_align | iodepth | base | patched | patched / base |",
           "|:---|---:|---:|---:|---:|---:|"]
    keys = sorted({k[1] for k in list(base) + list(patched) if k[0] == "fio"},
                  key=lambda c: (c[1] != "4k", c[0], c[2], c[3]))
    for c in keys:
        b, pt = base.get(("fio", c), []), patched.get(("fio", c), [])
        out.append("| %s %s | %d | %d | %s (%s) | %s (%s) | %s |" % (
            c[0], c[1], c[2], c[3], fmt(med(b)), spread(b), fmt(med(pt)),
            spread(pt), ratio(med(pt), med(b))))
    return out


def chart(res, outdir):
    """Per-operation cost by mode and size, strict and lazy, offset 120."""
    dat = os.path.join(outdir, "chart.dat")
    with open(dat, "w") as f:
        f.write("# pages " + " ".join("%s-%s" % (p, m) for p in ("strict", "lazy") for m in MODES) + "\n")
        for p in PAGES:
            row = [str(p)]
            for prof in ("strict", "lazy"):
                for m in MODES:
                    v = med(res[prof].get(("map", m, p, 120), []))
                    row.append("%.0f" % v if v else "NaN")
            f.write(" ".join(row) + "\n")
    gp = """set terminal png size 1000,520
set output '%s'
set title 'map + unmap per operation, offset 120 (median ns, log scale; TCG guest)'
set style data histogram
set style histogram cluster gap 1
set style fill solid border -1
set logscale y
set ylabel 'ns per operation'
set xlabel 'pages per operation'
set key outside right
set grid ytics
plot for [i=2:9] '%s' using i:xtic(1) title columnhead(i)
""" % (os.path.join(outdir, "chart.png"), dat)
    subprocess.run(["gnuplot"], input=gp, text=True, check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--machine", default="")
    ap.add_argument("--reps", default="?")
    ap.add_argument("raw")
    ap.add_argument("out")
    a = ap.parse_args()
    res = {}
    for name in ("patched-strict", "patched-lazy", "base-strict"):
        path = os.path.join(a.raw, name + ".ktap")
        if not os.path.exists(path):
            sys.exit("bench-report.py: %s missing: run scripts/bench.sh" % path)
        res[name] = parse(path)
    res["strict"], res["lazy"] = res["patched-strict"], res["patched-lazy"]
    if not any(k[0] == "map" for k in res["strict"]):
        sys.exit("bench-report.py: no dma_map_benchmark results in %s" % a.raw)

    lines = ["# Benchmark: IOVA link API", "",
             "Measured %s on %s; %s runs per configuration, median and (min-max)." % (
                 datetime.date.today().isoformat(), a.machine, a.reps), "",
             "Not a test: no thresholds.  The guest runs under TCG, so absolute",
             "times are QEMU's; compare the ratios.  Debug options of the test",
             "kernel are off on the command line (dma_debug=off,",
             "lockdep.prove_locking=0, no_debug_objects) for both kernels.",
             "IOTLB invalidations are the VT-d driver's qi_submit trace events",
             "counted in the guest over one extra run per configuration.", ""]
    lines += map_table(res["strict"], "strict (VT-d caching mode)") + [""]
    lines += map_table(res["lazy"], "lazy (flush queue)") + [""]
    lines += fio_table(res["base-strict"], res["patched-strict"]) + [""]
    lines += ["![per-operation cost](chart.png)", ""]
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write("\n".join(lines))
    chart(res, a.out)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
