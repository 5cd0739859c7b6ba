#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn a guest's KTAP report into one result line per case:

    PASS|FAIL|SKIP <prefix>/<case>[ # reason]

Cases the plan announced but the report never reached are FAIL (the guest
died or hung), named after --cases if given (the names the guest was asked
to run, in order).  With --kunit-json, read the JSON that the base tree's
'kunit.py parse --json' writes and flatten it the same way.
"""
import argparse
import json
import re
import sys

RESULT = re.compile(r'^(ok|not ok) (\d+)\s*-?\s*([^#]*?)\s*(?:#\s*(.*))?$')


def flat_ktap(path, prefix, cases=()):
    out, plan, seen = [], None, set()
    with open(path, errors='replace') as f:
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


def flat_kunit(path, prefix):
    out = []

    def walk(group, names):
        for case in group.get('test_cases', []):
            status = case.get('status', 'FAIL')
            name = '/'.join(names + [case['name']])
            if status == 'SKIP':
                out.append(f'SKIP {prefix}/{name}')
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('file')
    ap.add_argument('--prefix', required=True)
    ap.add_argument('--kunit-json', action='store_true')
    ap.add_argument('--cases', default='',
                    help='space-separated case names, in plan order')
    args = ap.parse_args()
    if args.kunit_json:
        lines = flat_kunit(args.file, args.prefix)
    else:
        lines = flat_ktap(args.file, args.prefix, args.cases.split())
    print('\n'.join(lines))
    return 0


if __name__ == '__main__':
    sys.exit(main())
