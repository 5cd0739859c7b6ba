#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn a guest's KTAP report into one result line per case:

    PASS|FAIL|SKIP <prefix>/<case>[ # reason]

Cases the plan announced but the report never reached are FAIL (the guest
died or hung), named after --cases if given (the names the guest was asked
to run, in order).  With --kunit-console, read a console log holding the
KTAP the kernel's built-in KUnit suites printed, parse it with the base
tree's 'kunit.py parse --json' (--src names the tree; its JSON is kept
beside the console) and flatten that the same way.  Exit 1 when a line is
FAIL.
"""
import argparse
import json
import os
import re
import subprocess
import sys

RESULT = re.compile(r'^(ok|not ok) (\d+)\s*-?\s*([^#]*?)\s*(?:#\s*(.*))?$')


def flat_ktap(path, prefix, cases=()):
    out, plan, seen = [], None, set()
    try:
        f = open(path, errors='replace')
    except OSError as e:
        return [f'FAIL {prefix}/report # no report: {e.strerror}: {path}']
    with f:
        for line in f:
            line = line.rstrip('\r\n')
            m = re.match(r'^1\.\.(\d+)$', line)
            if m and plan is None:
                plan = int(m.group(1))
                continue
            m = RESULT.match(line)
            if not m:
                continue
            ok, num, name, directive = m.groups()
            seen.add(int(num))
            if directive and directive.upper().startswith('SKIP'):
                out.append(f'SKIP {prefix}/{name} # {directive[4:].strip()}')
            else:
                out.append(f'{"PASS" if ok == "ok" else "FAIL"} {prefix}/{name}')
    if plan is None:
        out.append(f'FAIL {prefix}/report # no KTAP plan: the guest never ran its cases')
        plan = 0
    for n in range(1, plan + 1):
        if n not in seen:
            name = cases[n - 1] if n <= len(cases) else f'case-{n}'
            out.append(f'FAIL {prefix}/{name} # not reported: the guest stopped early')
    return out


def flat_kunit(path, prefix, reasons=None):
    out = []
    reasons = reasons or {}

    def walk(group, names):
        for case in group.get('test_cases', []):
            status = case.get('status', 'FAIL')
            name = '/'.join(names + [case['name']])
            if status == 'SKIP':
                why = reasons.get(case['name'])
                out.append(f'SKIP {prefix}/{name}' + (f' # {why}' if why else ''))
            elif status == 'PASS':
                out.append(f'PASS {prefix}/{name}')
            else:
                out.append(f'FAIL {prefix}/{name} # {status}')
        for sub in group.get('sub_groups', []):
            walk(sub, names + [sub['name']])

    with open(path) as f:
        data = json.load(f)
    for sub in data.get('sub_groups', []):
        walk(sub, [sub['name']])
    return out


# Drivers probing asynchronously (nvme) print between KTAP lines, and one
# between "KTAP version" and "# Subtest" derails kunit.py: keep only the
# KTAP lines of the console.
KTAP_LINE = re.compile(r'^(\[ *[0-9.]+\] )? *(KTAP version|TAP version|1\.\.[0-9]|ok |not ok |#)')


# A KUnit module prints a KTAP document of its own when it is loaded,
# after the built-in suites' one: a header and a plan for its suites,
# numbered from 1 again.  Make the two one document: a single header, a
# plan that adds up every plan, and the suites numbered in the order they
# ran.
TOP_VERSION = re.compile(r'^(\[ *[0-9.]+\] )?K?TAP version')
TOP_RESULT = re.compile(r'^(\[ *[0-9.]+\] )?((?:not )?ok )[0-9]+(.*)$', re.S)
TOP_PLAN = re.compile(r'^(\[ *[0-9.]+\] )?1\.\.([0-9]+)(\s*)$')


def merge_documents(lines):
    plans = [int(m.group(2)) for m in map(TOP_PLAN.match, lines) if m]
    out, n, versions, planned = [], 0, 0, False
    for line in lines:
        if TOP_VERSION.match(line):
            versions += 1
            if versions > 1:
                continue
        m = TOP_PLAN.match(line)
        if m:
            if planned:
                continue
            planned = True
            line = f'{m.group(1) or ""}1..{sum(plans)}{m.group(3)}'
        m = TOP_RESULT.match(line)
        if m:
            n += 1
            line = f'{m.group(1) or ""}{m.group(2)}{n}{m.group(3)}'
        out.append(line)
    return out


def kunit_console(path, prefix, src):
    with open(path, errors='replace') as f:
        lines = merge_documents([line for line in f if KTAP_LINE.match(line)])
    if not any('KTAP version' in line for line in lines):
        return [f'FAIL {prefix}/report # no KUnit output in {path}']
    base = os.path.splitext(path)[0]
    with open(base + '.kunit.ktap', 'w') as f:
        f.writelines(lines)
    jpath = base + '.kunit.json'
    with open(base + '.kunit.log', 'w') as log:
        subprocess.run([sys.executable, 'tools/testing/kunit/kunit.py', 'parse',
                        '--json=' + jpath, base + '.kunit.ktap'],
                       cwd=src, stdout=log, stderr=subprocess.STDOUT, check=False)
    if not os.path.exists(jpath) or os.path.getsize(jpath) == 0:
        return [f'FAIL {prefix}/parse # kunit.py parse wrote no JSON: {base}.kunit.log']
    # kunit.py's JSON drops the reason a case gave for its skip: take it
    # from the case's own result line.
    reasons = {}
    for line in lines:
        m = re.search(r'\bok [0-9]+ (.+?) # SKIP ?(.*)$', line)
        if m:
            reasons[m.group(1).strip()] = m.group(2).strip()
    return flat_kunit(jpath, prefix, reasons)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('file')
    ap.add_argument('--prefix', required=True)
    ap.add_argument('--kunit-console', action='store_true')
    ap.add_argument('--src', help='the kernel tree whose kunit.py parses')
    ap.add_argument('--cases', default='',
                    help='space-separated case names, in plan order')
    args = ap.parse_args()
    if args.kunit_console:
        if not args.src:
            ap.error('--kunit-console needs --src (the kernel tree)')
        lines = kunit_console(args.file, args.prefix, args.src)
    else:
        lines = flat_ktap(args.file, args.prefix, args.cases.split())
    print('\n'.join(lines))
    return 1 if any(line.startswith('FAIL') for line in lines) else 0


if __name__ == '__main__':
    sys.exit(main())
