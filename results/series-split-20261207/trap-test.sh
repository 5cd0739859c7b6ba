#!/bin/bash
set -euo pipefail
results=/tmp/trap-res.txt; : > $results
record() { echo "$*" >>"$results"; echo "$*"; }
summary() { local f; f=$(grep -c '^FAIL' "$results" || true); echo "$f failed"; [ "$f" -eq 0 ]; }
finish() {
	local rc=$1
	[ "$rc" -eq 0 ] || record "FAIL harness/aborted # the check stopped early (exit $rc): see the messages above"
	if summary; then exit 0; else exit 1; fi
}
trap 'finish $?' EXIT
record "PASS a"
[ "${1:-}" = abort ] && false
record "PASS b"
