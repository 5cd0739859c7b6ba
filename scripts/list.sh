#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "make list": every guest case (guest/tests) with its description, what it
# requires and where it runs, then every boot profile (config/profiles).
. "$(dirname "$0")/lib.sh"

echo "Guest cases (guest/tests; run in every 'cases' profile unless PROFILES says):"
for c in $(case_names); do
	printf '  %-22s %s\n' "$c" "$(case_get "$c" DESCRIPTION)"
	extra="requires: $(case_get "$c" REQUIRES)"
	p=$(case_get "$c" PROFILES)
	[ -z "$p" ] || extra+="; profiles: $p"
	[ "$(case_get "$c" ORDER)" != last ] || extra+="; runs last"
	[ -z "$(case_get "$c" XFAIL)" ] || extra+="; known to fail in $(case_get "$c" XFAIL | cut -d: -f1)"
	printf "  %-22s (%s)\n" "" "$extra"
	[ -n "$(case_get "$c" DESCRIPTION)" ] || die "guest/tests/$c has no '# DESCRIPTION:' line"
done
echo
echo "Boot profiles (config/profiles; make check boots suite 'check', make check-full all):"
printf '  %-14s %-6s %-7s %-6s %-6s %-9s %-41s %-31s %s\n' name suite arch kernel runs domain iommu "kernel parameters" qemu
for p in $(profile_names check full); do
	printf '  %-14s %-6s %-7s %-6s %-6s %-9s %-41s %-31s %s\n' "$p" "$(profile_get "$p" suite)" \
		"$(profile_get "$p" arch)" "$(profile_get "$p" kernel)" "$(profile_get "$p" runs)" \
		"$(profile_get "$p" domain)" \
		"$(profile_get "$p" iommu)" "$(profile_get "$p" params)" \
		"$(profile_get "$p" qemu)"
done
