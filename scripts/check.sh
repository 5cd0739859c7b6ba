#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The test suite, in stages, one result line per case in RUNDIR/results.txt;
# ends with "N passed, N failed, N skipped, N known to fail" and fails if
# one case failed (a known failure, XFAIL, is a case's "# XFAIL:" header
# naming the profile: a host defect the case reports, see scripts/lib.sh).
#   static  checkpatch --strict over every patch of every series, each
#           cover letter's base-commit: and prerequisite-patch-id: lines,
#           kernel-doc over the files the series touch, make lint
#   build   the test kernel, and the series in every config/matrix/ config,
#           whole and as each partial stack (the first series alone, the
#           first with each other one)
#   boots   every boot profile of the suite (config/profiles), each with
#           the cases that run there (guest/tests, found by scripts/lib.sh)
#   iotlb   the VT-d IOTLB invalidations per NVMe request in strict mode
# Settings (make check / make check-full / make boot set them):
#   STAGES    the stages to run (default: all four)
#   SUITE     check (the profiles CI boots) or full (every profile)
#   PROFILES  the profiles to boot instead of the suite's
#   CASES     the guest cases to run instead of each profile's own
. "$(dirname "$0")/lib.sh"

STAGES=${STAGES:-static build boots iotlb}
SUITE=${SUITE:-check}
case $SUITE in
check) suites=check ;;
full) suites="check full" ;;
*) die "SUITE=$SUITE: use check (what CI runs) or full (every profile)" ;;
esac
# shellcheck disable=SC2086
PROFILES=${PROFILES:-$(profile_names $suites | tr '\n' ' ')}
for p in $PROFILES; do profile_get "$p" runs >/dev/null; done
for c in ${CASES:-}; do
	[ -x "$CASES_DIR/$c" ] || die "no guest case '$c' (make list names them all)"
done

rundir=$CACHE/runs/check-$(date +%Y%m%d-%H%M%S)
mkdir -p "$rundir"
ln -sfn "$rundir" "$CACHE/runs/check-latest"
results=$rundir/results.txt
: >"$results"
t0=$(date +%s)

record() { echo "$*" >>"$results"; echo "$*"; }

summary() {
	local p f s x
	p=$(grep -c '^PASS' "$results" || true)
	f=$(grep -c '^FAIL' "$results" || true)
	s=$(grep -c '^SKIP' "$results" || true)
	x=$(grep -c '^XFAIL' "$results" || true)
	echo
	echo "results: $results ($(( $(date +%s) - t0 )) s)"
	grep '^XFAIL' "$results" || true
	echo "$p passed, $f failed, $s skipped, $x known to fail"
	[ "$f" -eq 0 ]
}
# A stage that stops the script (set -e: the apply, a missing tool) must
# not end as a pass: it is a failure of its own.
finish() {
	local rc=$1
	[ "$rc" -eq 0 ] || record "FAIL harness/aborted # the check stopped early (exit $rc): see the messages above"
	if summary; then exit 0; else exit 1; fi
}
trap 'finish $?' EXIT

"$TOP/scripts/deps.sh"
"$TOP/scripts/series.sh" apply

stage_static() {
	local p f tmp new kdoc_new=
	# patches/ is what the work tree exports: the apply above re-applies
	# patches/ when they differ, so what can still differ is a cover
	# letter's text changed without 'make export'.
	if "$TOP/scripts/series.sh" status >"$rundir/series-status.log" 2>&1; then
		record "PASS series/patches-agree"
	else
		record "FAIL series/patches-agree # $(head -n 1 "$rundir/series-status.log")"
	fi
	# checkpatch --strict over every patch of every series.
	while read -r p; do
		# Debian's python3 first: checkpatch runs spdxcheck.py, which needs
		# python3-ply and python3-git.
		if (cd "$SRC" && PATH=/usr/bin:$PATH scripts/checkpatch.pl --strict --quiet \
			"$PATCHES/$p") >"$rundir/checkpatch-${p//\//-}.log" 2>&1; then
			record "PASS checkpatch/$p"
		else
			record "FAIL checkpatch/$p # see $rundir/checkpatch-${p//\//-}.log"
			sed 's/^/    /' "$rundir/checkpatch-${p//\//-}.log" | head -n 20
		fi
	done < <(for s in $(series_names); do series_patches "$s" | sed "s,^,$s/,"; done)

	# Every cover letter says what its series applies to: base-commit:
	# the base, and for every series but the first, prerequisite-patch-id:
	# exactly the first series' patches.  Their ids are the ones git
	# format-patch computes for a commit on top of the first series (Debian
	# 12's git patch-id tool disagrees with it on some hunks of one line).
	local first want got s
	first=$(series_first)
	want=$(git -C "$SRC" format-patch --stdout --base="$BASE_TAG" -1 \
		"$(git -C "$SRC" rev-list --reverse "stack/$first..$SERIES_BRANCH" | head -n 1)" |
		sed -n 's/^prerequisite-patch-id: //p' | sort)
	[ "$(wc -l <<<"$want")" -eq "$(series_patches "$first" | wc -l)" ] ||
		record "FAIL cover-letter/ids # format-patch names $(wc -l <<<"$want") prerequisites for series $first's $(series_patches "$first" | wc -l) patches"
	for s in $(series_names); do
		f=$PATCHES/$s/0000-cover-letter.patch
		got=$(sed -n 's/^prerequisite-patch-id: //p' "$f" 2>/dev/null | sort)
		if [ ! -f "$COVERS/$s.txt" ]; then
			record "FAIL cover-letter/$s # no cover-letters/$s.txt"
		elif ! grep -qx "base-commit: $(git -C "$SRC" rev-parse "$BASE_TAG")" "$f" 2>/dev/null; then
			record "FAIL cover-letter/$s # no base-commit: line naming the base in $f"
		elif [ "$s" = "$first" ] && [ -n "$got" ]; then
			record "FAIL cover-letter/$s # the first series names prerequisite patches"
		elif [ "$s" != "$first" ] && [ "$got" != "$want" ]; then
			record "FAIL cover-letter/$s # its prerequisite-patch-id: lines are not series $first's patches"
		elif [ "$(grep -cE '^ {1,2}[0-9]+\. ' "$COVERS/$s.txt")" -ne "$(series_patches "$s" | wc -l)" ]; then
			record "FAIL cover-letter/$s # cover-letters/$s.txt lists $(grep -cE '^ {1,2}[0-9]+\. ' "$COVERS/$s.txt") patches (lines '  N. what it does'), the series has $(series_patches "$s" | wc -l)"
		else
			record "PASS cover-letter/$s"
		fi
	done

	# kernel-doc: no warning in a file the series touches that the base did
	# not already have there (line numbers aside).
	kdoc_warnings() { "$SRC/scripts/kernel-doc" -none "$1" 2>&1 | sed -E 's/^[^:]+:[0-9]+: //' | sort; }
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

	if "$TOP/scripts/lint.sh" >"$rundir/lint.log" 2>&1; then
		record "PASS lint/harness"
	else
		record "FAIL lint/harness # see $rundir/lint.log"
		sed 's/^/    /' "$rundir/lint.log" | head -n 30
	fi
}

# kernel_for KIND [ARCH]: build the test or kasan kernel for ARCH (x86_64
# unless given; once, recording the result) and set $kernel to its image;
# fails if it does not build.
declare -A kernels=()
kernel_for() {
	local k arch=${2:-x86_64} key=$1-${2:-x86_64} name=series${1/#test/}
	[ "$1" = test ] || name=series-$1
	[ "$arch" = x86_64 ] || name=$name-$arch
	if [ -z "${kernels[$key]:-}" ]; then
		if k=$(GUEST_ARCH=$arch KIND=$1 "$TOP/scripts/build.sh" | tail -n 1); then
			record "PASS build/$name"
			kernels[$key]=$k
		else
			record "FAIL build/$name # see $LOGS/build-$name.log"
			kernels[$key]=failed
		fi
	fi
	kernel=${kernels[$key]}
	[ "$kernel" != failed ]
}

stage_build() {
	local m st
	kernel_for test || true
	# The series in the other configurations it must build in
	# (config/matrix/): without IOMMU support at all, and cross-built for
	# arm64 with SMMUv3.
	for m in "$TOP"/config/matrix/*.config; do
		m=$(basename "$m" .config)
		if "$TOP/scripts/matrix.sh" "$m" >/dev/null; then
			record "PASS build/$m"
		else
			record "FAIL build/$m # see $LOGS/build-$m.log"
		fi
	done
	# Each series on its prerequisites alone, in the same configurations:
	# the first series alone, and the first with each other one
	# (series_stacks in scripts/lib.sh), built one after the other in one
	# build directory per configuration.
	for m in "$TOP"/config/matrix/*.config; do
		m=$(basename "$m" .config)
		for st in $(series_stacks); do
			if "$TOP/scripts/matrix.sh" "$m" "$st" >/dev/null; then
				record "PASS build/$m/$st"
			else
				record "FAIL build/$m/$st # see $LOGS/build-$m@$st.log"
			fi
		done
	done
}

# initramfs_for KIND SIZE [ARCH]: the guest initramfs of a kernel (SIZE
# full, or small: no fio or nvme-cli, for 256 MiB guests), for ARCH
# (x86_64 unless given), built once per run.
initramfs_for() {
	local arch=${3:-x86_64} f=$rundir/initramfs-$1-$2-${3:-x86_64}.cpio.gz min=0
	[ "$2" != small ] || min=1
	if [ ! -f "$f" ]; then
		GUEST_ARCH=$arch MINIMAL=$min "$TOP/scripts/mkinitramfs.sh" \
			"$(GUEST_ARCH=$arch build_for patches "$1")" "$f"
	fi
	echo "$f"
}

# boot_profile PROFILE: one boot for the profile's cases; where nothing
# translates DMA (domain identity or none), the cases that need the edu
# device (28-bit DMA) go to a second boot with 256 MiB, so that every page
# they are given and the swiotlb pool lie below 256 MiB, and without fio
# (whose libraries alone need 90 MiB).  The peer-to-peer cases get a boot
# of their own with the p2p controllers (p2p_qemu_args in scripts/lib.sh).
boot_profile() {
	local p=$1 kind arch c domain cases=() low=() last=() p2p=()
	kind=$(profile_get "$p" kernel)
	arch=$(profile_get "$p" arch)
	if ! kernel_for "$kind" "$arch"; then
		record "FAIL $p/boot # no $kind kernel for $arch"
		return
	fi
	if [ "$(profile_get "$p" runs)" = kunit ]; then
		boot_report "$kernel" "$(initramfs_for "$kind" full "$arch")" "$p" "$rundir" "$p" |
			tee -a "$results" || true
		return
	fi
	domain=$(profile_get "$p" domain)
	for c in ${CASES:-$(cases_for "$p")}; do
		if [ "$(case_get "$c" ORDER)" = last ]; then
			last+=("$c")
		elif case_requires "$c" p2p; then
			p2p+=("$c")
		elif case_requires "$c" edu && [[ $domain == identity || $domain == none ]]; then
			low+=("$c")
		else
			cases+=("$c")
		fi
	done
	if [ ${#cases[@]} -gt 0 ] || { [ ${#low[@]} -eq 0 ] && [ ${#p2p[@]} -eq 0 ]; }; then
		boot_report "$kernel" "$(initramfs_for "$kind" full "$arch")" "$p" "$rundir" "$p" \
			"${cases[@]}" "${last[@]}" | tee -a "$results" || true
	fi
	if [ ${#low[@]} -gt 0 ]; then
		GUEST_MEM=256M boot_report "$kernel" "$(initramfs_for "$kind" small "$arch")" "$p" \
			"$rundir/$p-256M" "$p-256M" "${low[@]}" "${last[@]}" | tee -a "$results" || true
	fi
	if [ ${#p2p[@]} -gt 0 ]; then
		QEMU_EXTRA=$(p2p_qemu_args "$(p2p_topology "$p")") boot_report "$kernel" \
			"$(initramfs_for "$kind" full "$arch")" "$p" "$rundir/$p-p2p" "$p-p2p" \
			"${p2p[@]}" "${last[@]}" | tee -a "$results" || true
	fi
}

stage_boots() {
	local p
	for p in $PROFILES; do
		boot_profile "$p"
	done
}

# IOTLB invalidations per request in strict mode, from QEMU's VT-d trace:
# a request mapped through one linked IOVA window costs one sync after
# linking and one invalidation at unlink.
stage_iotlb() {
	local out per
	kernel_for test || return 0
	if out=$("$TOP/scripts/iotlb-count.sh" "$kernel" "$(initramfs_for test full)" strict "$rundir" 1000); then
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
}

for s in $STAGES; do
	case $s in
	static|build|boots|iotlb) "stage_$s" ;;
	*) die "STAGES: no stage '$s' (static build boots iotlb)" ;;
	esac
done
