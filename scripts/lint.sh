#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lint the harness: shellcheck over the bash scripts (scripts/, .ci/) and
# the guest's busybox sh scripts (guest/), py_compile over the Python.
# Prints what it finds; exits non-zero when it finds anything.
. "$(dirname "$0")/lib.sh"

command -v shellcheck >/dev/null || die "no shellcheck: run 'make deps' (it installs Debian's shellcheck)"
cd "$TOP"
mapfile -t host < <(grep -l -E '^#!/bin/bash' scripts/* .ci/* 2>/dev/null)
mapfile -t guest < <(grep -l -E '^#!/bin/(busybox )?sh' guest/init guest/tests/* guest/bench/* guest/jobs/*)
mapfile -t py < <(grep -l -E '^#!/usr/bin/env python3' scripts/*)
rc=0
# lib.sh is sourced by every script: checked with them (-x), not alone.
shellcheck -x -P scripts -s bash "${host[@]}" || rc=1
# The guest runs busybox ash: "local" is there, POSIX sh has not got it
# (SC3043); /lib/harness.sh is guest/harness.sh (SC1091: not followed).
shellcheck -s dash -e SC3043,SC1091 guest/harness.sh "${guest[@]}" || rc=1
for f in "${py[@]}"; do
	python3 -c 'import sys; compile(open(sys.argv[1]).read(), sys.argv[1], "exec")' "$f" || rc=1
done
[ $rc -eq 0 ] && echo "lint: ${#host[@]} bash scripts, $(( ${#guest[@]} + 1 )) guest scripts, ${#py[@]} Python scripts clean"
exit $rc
