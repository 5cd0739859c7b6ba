#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The whole test suite: checkpatch over the series, the kernel build, the
# guest cases in every boot profile, and the KUnit suites, one result line
# per case in RUNDIR/results.txt; ends with "N passed, N failed, N skipped".
. "$(dirname "$0")/lib.sh"

PROFILES=${PROFILES:-kunit strict lazy pt off bounce}
CASES=${CASES:-iommu-mode fio-unaligned-verify fio-matrix fio-metadata fio-passthrough fio-iova-recycle nvme-fault-unwind}
EDU_CASES=${EDU_CASES:-edu-window-kind edu-rotated-copy edu-unlinked-page edu-bad-requests edu-two-threads}
# Run last in every guest boot, after the cases it checks.
LEAK_CASES=${LEAK_CASES:-kmemleak}
rundir=$CACHE/runs/check-$(date +%Y%m%d-%H%M%S)
mkdir -p "$rundir"
ln -sfn "$rundir" "$CACHE/runs/check-latest"
results=$rundir/results.txt
: >"$results"
t0=$(date +%s)

record() { echo "$*" >>"$results"; echo "$*"; }

summary() {
	local p f s
	p=$(grep -c '^PASS' "$results" || true)
	f=$(grep -c '^FAIL' "$results" || true)
	s=$(grep -c '^SKIP' "$results" || true)
	echo
	echo "results: $results ($(( $(date +%s) - t0 )) s)"
	echo "$p passed, $f failed, $s skipped"
	[ "$f" -eq 0 ]
}
trap 'summary; exit $?' EXIT

"$TOP/scripts/deps.sh"
"$TOP/scripts/series.sh" apply

# checkpatch --strict over every patch of the series.
for p in $(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/patches/series" 2>/dev/null); do
	# Debian's python3 first: checkpatch runs spdxcheck.py, which needs
	# python3-ply and python3-git.
	if (cd "$SRC" && PATH=/usr/bin:$PATH scripts/checkpatch.pl --strict --quiet \
		"$TOP/patches/$p") >"$rundir/checkpatch-$p.log" 2>&1; then
		record "PASS checkpatch/$p"
	else
		record "FAIL checkpatch/$p # see $rundir/checkpatch-$p.log"
		sed 's/^/    /' "$rundir/checkpatch-$p.log" | head -n 20
	fi
done

# kernel-doc: no warning in a file the series touches that the base did
# not already have there (line numbers aside).
kdoc_warnings() { "$SRC/scripts/kernel-doc" -none "$1" 2>&1 | sed -E 's/^[^:]+:[0-9]+: //' | sort; }
kdoc_new=
for f in $(git -C "$SRC" diff --name-only "$BASE_TAG" "$SERIES_BRANCH" -- '*.c' '*.h'); do
	tmp=$(mktemp -d)
	mkdir -p "$tmp/$(dirname "$f")"
	git -C "$SRC" show "$BASE_TAG:$f" >"$tmp/$f" 2>/dev/null || : >"$tmp/$f"
	new=$(comm -13 <(kdoc_warnings "$tmp/$f") <(kdoc_warnings "$SRC/$f"))
	rm -rf "$tmp"
	[ -z "$new" ] || kdoc_new+="$f: $new"$'\n'
done
if [ -z "$kdoc_new" ]; then
	record "PASS kernel-doc/series"
else
	record "FAIL kernel-doc/series"
	printf '%s' "$kdoc_new" | sed 's/^/    /' | head -n 20
fi

if ! kernel=$("$TOP/scripts/build.sh" | tail -n 1); then
	record "FAIL build/series # see $LOGS/build-series.log"
	exit 1
fi
record "PASS build/series"

# The series in the other configurations it must build in (config/matrix/):
# without IOMMU support at all, and cross-built for arm64 with SMMUv3.
for m in "$TOP"/config/matrix/*.config; do
	m=$(basename "$m" .config)
	if "$TOP/scripts/matrix.sh" "$m" >/dev/null; then
		record "PASS build/$m"
	else
		record "FAIL build/$m # see $LOGS/build-$m.log"
	fi
done
build=$(build_for patches)
"$TOP/scripts/mkinitramfs.sh" "$build" "$rundir/initramfs.cpio.gz"
MINIMAL=1 "$TOP/scripts/mkinitramfs.sh" "$build" "$rundir/initramfs-small.cpio.gz"

# boot_cases PROFILE TAG INITRAMFS CASE...: one boot, its results as TAG/...
boot_cases() {
	local profile=$1 tag=$2 initrd=$3 dir=$rundir
	shift 3
	[ "$tag" = "$profile" ] || dir=$rundir/$tag
	mkdir -p "$dir"
	say "booting profile $profile${GUEST_MEM:+ ($GUEST_MEM)}${*:+: $*}"
	if ! "$TOP/scripts/boot.sh" "$kernel" "$initrd" "$profile" "$dir" "$@"; then
		warn "guest $tag did not finish: $dir/$profile.console"
		# The first signs of trouble, for a log read without the run dir.
		grep -m 8 -E 'WARNING:|BUG:|Oops|error|blocked for more' \
			"$dir/$profile.console" 2>/dev/null | sed 's/^/    console: /' || true
	fi
	"$TOP/scripts/ktap.py" --prefix "$tag" --cases "boot-dmesg-clean $*" \
		"$dir/$profile.ktap" 2>/dev/null | tee -a "$results" ||
		record "FAIL $tag/report # no report: $dir/$profile.console"
	grep '^# ' "$dir/$profile.ktap" 2>/dev/null | grep -E 'iommu:|fio:|FAIL|SKIP' | sed 's/^/    /' || true
}

for profile in $PROFILES; do
	# The kunit boot runs the KUnit suites built into the kernel and no
	# guest case; the other boots run the guest cases with KUnit off.
	# The edu device addresses 28 bits: where nothing translates its DMA
	# (pt, off, bounce) every page it is given, and the swiotlb pool, must
	# lie below 256 MiB, so its cases get a boot of their own with 256 MiB
	# and no fio (whose libraries alone need 90 MiB).
	case $profile in
	kunit) boot_cases kunit kunit "$rundir/initramfs.cpio.gz" ;;
	pt|off|bounce)
		# shellcheck disable=SC2086
		boot_cases "$profile" "$profile" "$rundir/initramfs.cpio.gz" $CASES $LEAK_CASES
		# shellcheck disable=SC2086
		GUEST_MEM=256M boot_cases "$profile" "$profile-256M" \
			"$rundir/initramfs-small.cpio.gz" $EDU_CASES $LEAK_CASES ;;
	*)
		# shellcheck disable=SC2086
		boot_cases "$profile" "$profile" "$rundir/initramfs.cpio.gz" $CASES $EDU_CASES $LEAK_CASES ;;
	esac

	# KUnit prints KTAP to the kernel log: parse the console with the base
	# tree's kunit.py.
	if [ "$profile" = kunit ]; then
		if ! grep -q 'KTAP version' "$rundir/kunit.console"; then
			record "FAIL kunit/report # no KUnit output in $rundir/kunit.console"
		else
			# Drivers probing asynchronously (nvme) print between KTAP lines,
			# and one between "KTAP version" and "# Subtest" derails the
			# parser: keep only the KTAP lines.
			grep -E '^(\[ *[0-9.]+\] )? *(KTAP version|TAP version|1\.\.[0-9]|ok |not ok |#)' \
				"$rundir/kunit.console" >"$rundir/kunit.ktap"
			if (cd "$SRC" && python3 tools/testing/kunit/kunit.py parse --json="$rundir/kunit.json" \
				"$rundir/kunit.ktap") >"$rundir/kunit.log" 2>&1 || [ -s "$rundir/kunit.json" ]; then
				"$TOP/scripts/ktap.py" --kunit-json --prefix kunit "$rundir/kunit.json" | tee -a "$results"
			else
				record "FAIL kunit/parse # see $rundir/kunit.log"
			fi
		fi
	fi
done

# IOTLB invalidations per request in strict mode, from QEMU's VT-d trace:
# a request mapped through one linked IOVA window costs one sync after
# linking and one invalidation at unlink.
if [ "${IOTLB:-1}" = 1 ]; then
	if out=$("$TOP/scripts/iotlb-count.sh" "$kernel" "$rundir/initramfs.cpio.gz" strict "$rundir" 1000); then
		per=$(awk '{print $2}' <<<"$out")
		echo "    # $out (invalidations per request, events)"
		if awk -v p="$per" 'BEGIN { exit !(p >= 1.5 && p <= 2.5) }'; then
			record "PASS iotlb/strict-two-per-request # $per"
		else
			record "FAIL iotlb/strict-two-per-request # $per invalidations per request, want 2"
		fi
	else
		record "FAIL iotlb/strict-two-per-request # the counting boots failed"
	fi
fi
