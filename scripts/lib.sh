# SPDX-License-Identifier: GPL-2.0
# Common settings and helpers for the harness scripts.  Sourced, not run.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${DMA_LINK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dma-iova-link}
SRC=$CACHE/linux			# the series work tree (branch "series")
# The unpatched base (a worktree detached at tag "base") and its build sit in
# the same layout relative to each other as linux/ and build/series/, so
# that ccache (CCACHE_BASEDIR is the cache) sees the same relative paths.
BASESRC=$CACHE/base/linux
LOGS=$CACHE/logs
BASE_TAG=base
SERIES_BRANCH=series
LOCK=$TOP/base.lock

# The product is a set of patch series, each posted to its own maintainers
# and applied in order on the base: patches/series names their
# directories, each of which holds its own series file, cover letter and
# patches; cover-letters/NAME.txt is the text of NAME's cover letter.
# The first series needs only the base, each of the others only the
# first.  In the kernel work tree the series are one branch
# ($SERIES_BRANCH), on which series NAME ends at branch stack/NAME (the
# last one at $SERIES_BRANCH itself).
PATCHES=$TOP/patches
COVERS=$TOP/cover-letters
series_names() {
	[ -f "$PATCHES/series" ] || return 0
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$PATCHES/series"
}
series_first() { series_names | head -n 1; }
series_last() { series_names | tail -n 1; }
# series_patches NAME: the patch files of series NAME, in order.
series_patches() {
	[ -f "$PATCHES/$1/series" ] || die "patches/series names $1, but patches/$1/series does not exist"
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$PATCHES/$1/series"
}
# series_end NAME: the work tree's ref at the end of series NAME.
series_end() {
	if [ "$1" = "$(series_last)" ]; then echo "$SERIES_BRANCH"; else echo "stack/$1"; fi
}
# series_stacks: the partial stacks that must build on their own: the
# first series alone, then the first with each other series (as
# FIRST+NAME), leaving out the whole stack.
series_stacks() {
	local first n
	first=$(series_first)
	n=$(series_names | wc -l)
	[ "$n" -le 1 ] || echo "$first"
	[ "$n" -le 2 ] || series_names | tail -n +2 | sed "s/^/$first+/"
}

export ARCH=x86_64
export CCACHE_DIR=$CACHE/ccache
export CCACHE_BASEDIR=$CACHE
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
export KBUILD_BUILD_TIMESTAMP='Sat Nov 21 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=harness
export KBUILD_BUILD_HOST=harness
export KBUILD_BUILD_VERSION=1
# Commits made by the harness itself (the base import) must hash the same
# on every machine, so their identity and dates are fixed.
HARNESS_GIT_ENV=(GIT_AUTHOR_NAME=harness GIT_AUTHOR_EMAIL=harness@localhost
		 GIT_COMMITTER_NAME=harness GIT_COMMITTER_EMAIL=harness@localhost
		 GIT_AUTHOR_DATE='2026-11-21T00:00:00Z'
		 GIT_COMMITTER_DATE='2026-11-21T00:00:00Z')

mkdir -p "$CACHE" "$LOGS"

say()  { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# die_log MSG LOG: fail with MSG, show the end of LOG and say where it is.
die_log() {
	printf 'ERROR: %s\n' "$1" >&2
	if [ -f "$2" ]; then
		printf -- '--- last lines of %s ---\n' "$2" >&2
		tail -n "${3:-25}" "$2" >&2
		printf -- '--- full log: %s ---\n' "$2" >&2
	fi
	exit 1
}

lock_get() { sed -n "s/^$1=//p" "$LOCK"; }

# The source tree and build directory for a SERIES setting: "none" is the
# unpatched base, anything else the series work tree.  KIND (second
# argument of build_for) is "test", the guest kernel with the debug
# options, "kasan", the same with KASAN, or "bench", the benchmark kernel
# without debug options.
KINDS="test kasan bench"
# GUEST_ARCH: the guest kernel's architecture (a profile's arch column),
# x86_64 or arm64; an arm64 build sits beside the x86_64 one with "-arm64"
# appended to its directory.
GUEST_ARCH=${GUEST_ARCH:-x86_64}
GUEST_ARCHS="x86_64 arm64"
# guest_triplet ARCH: Debian's multiarch triplet of a guest architecture
# (its library directories; its cross compiler's prefix without the "-").
guest_triplet() {
	case $1 in
	x86_64) echo x86_64-linux-gnu ;;
	arm64) echo aarch64-linux-gnu ;;
	*) die "no guest architecture '$1': use one of $GUEST_ARCHS" ;;
	esac
}
tree_for() { if [ "${1:-patches}" = none ]; then echo "$BASESRC"; else echo "$SRC"; fi; }
build_for() {
	local dir=$CACHE/build sfx=
	[ "${1:-patches}" = none ] && dir=$CACHE/base/build
	[ "$GUEST_ARCH" = x86_64 ] || sfx=-$GUEST_ARCH
	case ${2:-test} in
	test) echo "$dir/series$sfx" ;;
	*) echo "$dir/$2$sfx" ;;
	esac
}

# The config fragments of a guest kernel: build_frags SERIES KIND.  The
# drivers only compile-tested (build-only.config) are built for x86_64, and
# so is peer-to-peer DMA (p2p.config), which the p2p boots need.
build_frags() {
	local frags=("$TOP/config/guest.config" "$TOP/config/guest-$GUEST_ARCH.config") only=0
	if [ "${2:-test}" = bench ]; then
		frags+=("$TOP/config/bench.config")
	else
		frags+=("$TOP/config/debug.config")
	fi
	if [ "${2:-test}" != bench ] && [ "$GUEST_ARCH" = x86_64 ]; then
		frags+=("$TOP/config/build-only.config" "$TOP/config/p2p.config")
		only=1
	fi
	[ "${2:-test}" != kasan ] || frags+=("$TOP/config/kasan.config")
	[ "${1:-patches}" = none ] || frags+=("$TOP/config/series.config")
	[ "${1:-patches}" = none ] || [ "${2:-test}" = bench ] ||
		frags+=("$TOP/config/series-kunit.config" "$TOP/config/series-odp.config")
	[ "${1:-patches}" = none ] || [ $only = 0 ] ||
		frags+=("$TOP/config/build-only-kunit.config")
	printf '%s\n' "${frags[@]}"
}

# configure_kernel SRC OUT NAME FRAGMENT...: merge the fragments onto
# allnoconfig (for $ARCH) into OUT/.config with the base's merge_config.sh,
# and fail by name on any requested option that olddefconfig dropped.  With
# ALLOW_UNDEFINED=1 (scripts/bisect.sh), an option whose symbol no Kconfig
# of SRC defines yet (a later patch adds it) is let go; with
# ALLOW_UNDEFINED="SYM..." (scripts/matrix.sh on a partial stack), only
# those symbols are (the options of the series left out); a defined one
# that was dropped always fails.  The .config is regenerated only when a
# fragment or a Kconfig file of SRC changed, so an unchanged run leaves
# the build directory untouched.
kconfig_defines() { # SRC SYMBOL (without CONFIG_)
	git -C "$1" grep -qE "^[[:space:]]*(menu)?config $2\$" -- ':(glob)**/Kconfig*'
}
configure_kernel() {
	local src=$1 out=$2 name=$3 stamp line sym
	shift 3
	local dropped=()
	mkdir -p "$out"
	stamp=$( (echo "$ARCH ${ALLOW_UNDEFINED:-}"; cat "$@"; git -C "$src" ls-files -s -- ':(glob)**/Kconfig*') |
		sha256sum | cut -d' ' -f1)
	[ "$(cat "$out/.harness-config" 2>/dev/null)" = "$stamp" ] && [ -f "$out/.config" ] && return 0
	say "configuring $name ($ARCH): allnoconfig + $(printf '%s ' "${@##*/}")"
	rm -f "$out/.harness-config"
	(cd "$src" && scripts/kconfig/merge_config.sh -n -O "$out" "$@" &&
	 make -s O="$out" olddefconfig) >"$LOGS/config-$name.log" 2>&1 ||
		die_log "kernel configuration $name failed" "$LOGS/config-$name.log"
	while IFS= read -r line; do
		case $line in
		CONFIG_*=n) sym=${line%%=*}
			grep -q "^$sym=" "$out/.config" && dropped+=("$line") ;;
		CONFIG_*=*) grep -qxF "$line" "$out/.config" ||
			dropped+=("$line (got: $(grep -E "^(# )?${line%%=*}[= ]" "$out/.config" || echo unset))") ;;
		'# CONFIG_'*' is not set') sym=${line#\# }; sym=${sym%% *}
			grep -q "^$sym=" "$out/.config" && dropped+=("$line (got: $(grep "^$sym=" "$out/.config"))") ;;
		esac
	done < <(cat "$@" | sed -e '/^# CONFIG_.* is not set$/b' -e 's/[[:space:]]*#.*//' -e '/^$/d')
	if [ "${ALLOW_UNDEFINED:-0}" != 0 ] && [ ${#dropped[@]} -gt 0 ]; then
		local keep=()
		for line in "${dropped[@]}"; do
			sym=${line#\# }; sym=${sym%%[= ]*}
			if kconfig_defines "$src" "${sym#CONFIG_}"; then
				keep+=("$line")
			elif [ "$ALLOW_UNDEFINED" != 1 ] &&
			     [[ " $ALLOW_UNDEFINED " != *" ${sym#CONFIG_} "* ]]; then
				keep+=("$line (no Kconfig defines it)")
			fi
		done
		dropped=("${keep[@]}")
	fi
	if [ ${#dropped[@]} -gt 0 ]; then
		printf 'ERROR: olddefconfig dropped requested options of %s (a missing dependency?):\n' "$name" >&2
		printf '  %s\n' "${dropped[@]}" >&2
		die "fix the config fragments; full log: $LOGS/config-$name.log"
	fi
	echo "$stamp" >"$out/.harness-config"
}

# The boot profiles (config/profiles): one row per profile, " | " between
# columns.  profile_names [SUITE...]: the names, in table order, of the
# rows of those suites (all rows without one).  profile_get NAME FIELD:
# one column (suite, arch, kernel, runs, iommu, params, domain, qemu) of a
# row (empty where a row has no such column).
PROFILES_TABLE=$TOP/config/profiles
profile_rows() { sed -e '/^#/d' -e '/^[[:space:]]*$/d' "$PROFILES_TABLE"; }
profile_names() {
	profile_rows | awk -F' *[|] *' -v want=" $* " \
		'want == "  " || index(want, " " $2 " ") { print $1 }'
}
profile_get() {
	local col
	case $2 in
	suite) col=2 ;; arch) col=3 ;; kernel) col=4 ;; runs) col=5 ;;
	iommu) col=6 ;; params) col=7 ;; domain) col=8 ;; qemu) col=9 ;;
	*) die "profile_get: no column '$2'" ;;
	esac
	profile_rows | awk -F' *[|] *' -v n="$1" -v c=$col '$1 == n { sub(/ +$/, "", $c); print $c; f = 1 }
		END { exit !f }' ||
		die "unknown boot profile '$1': config/profiles has $(profile_names | tr '\n' ' ')"
}

# The guest cases (guest/tests): every executable file there is one, run
# in the boots whose profile it allows.  Its header declares, blktests
# style, in comment lines near the top:
#   # DESCRIPTION: one line: the property the case checks
#   # REQUIRES: what it needs in the guest (nvme, fio, edu, selftests,
#   #           dma-debug, kmemleak, fault-injection); the guest's /init
#   #           skips the case, saying which is missing, when one is
#   # PROFILES: the profiles it runs in (default: every "cases" profile)
#   # ORDER: last, for a case that checks what the others left behind
#   # XFAIL: PROFILE...: why it is known to fail there (a host defect):
#   #        its failure there is XFAIL, not FAIL; a pass says XPASS
# case_names: every case, "last" ones at the end.  case_get CASE FIELD.
CASES_DIR=$TOP/guest/tests
case_get() { sed -n "s/^# $2: *//p" "$CASES_DIR/$1" | head -n 1; }
case_names() {
	local c last=()
	for c in "$CASES_DIR"/*; do
		[ -f "$c" ] && [ -x "$c" ] || continue
		c=${c##*/}
		if [ "$(case_get "$c" ORDER)" = last ]; then last+=("$c"); else echo "$c"; fi
	done
	[ ${#last[@]} -eq 0 ] || printf '%s\n' "${last[@]}"
}
# cases_for PROFILE: the cases that run in PROFILE, in order.
cases_for() {
	local c p
	for c in $(case_names); do
		p=$(case_get "$c" PROFILES)
		[ -z "$p" ] || [[ " $p " == *" $1 "* ]] || continue
		echo "$c"
	done
}
# case_requires CASE WHAT: does CASE declare it needs WHAT?
case_requires() { [[ " $(case_get "$1" REQUIRES) " == *" $2 "* ]]; }

# The peer-to-peer boots, for the cases that REQUIRE p2p: two more NVMe
# controllers, p2pa with a 64 MiB controller memory buffer that the nvme
# driver publishes as p2pmem, and p2pb, whose namespace the cases do
# direct I/O to and from that memory (results/p2p-probe has the evidence
# for what follows).
#   p2p_topology PROFILE: switch, both below one x3130 switch, so that the
#     kernel gives p2pb the CMB's bus address; or rootports, one root port
#     each with an AMD family 17h CPU, so that the path crosses the host
#     bridge (which the kernel allows for that CPU only) and the CMB is
#     mapped like memory, through the IOMMU.  A profile whose IOMMU
#     translates gets rootports: QEMU 7.2 sends switch-local DMA through
#     VT-d too, which has no mapping for a bus address.
#   p2p_qemu_args TOPOLOGY: the QEMU arguments.
p2p_topology() {
	case $(profile_get "$1" domain) in
	DMA|DMA-FQ) echo rootports ;;
	*) echo switch ;;
	esac
}
p2p_qemu_args() {
	local f
	for f in a b; do [ -f "$CACHE/p2p-$f.img" ] || truncate -s 64M "$CACHE/p2p-$f.img"; done
	case $1 in
	switch) echo "-device pcie-root-port,id=rp9,bus=pcie.0,chassis=9,slot=9
		-device x3130-upstream,id=up9,bus=rp9
		-device xio3130-downstream,id=p2p1,bus=up9,chassis=10,slot=0
		-device xio3130-downstream,id=p2p2,bus=up9,chassis=11,slot=0" ;;
	rootports) echo "-device pcie-root-port,id=p2p1,bus=pcie.0,chassis=9,slot=9
		-device pcie-root-port,id=p2p2,bus=pcie.0,chassis=10,slot=10
		-cpu max,vendor=AuthenticAMD,family=23,model=1" ;;
	*) die "p2p topology '$1': switch or rootports" ;;
	esac
	echo "-drive file=$CACHE/p2p-a.img,if=none,id=p2pa,format=raw,cache=unsafe
		-device nvme,serial=p2pa,drive=p2pa,bus=p2p1,cmb_size_mb=64
		-drive file=$CACHE/p2p-b.img,if=none,id=p2pb,format=raw,cache=unsafe
		-device nvme,serial=p2pb,drive=p2pb,bus=p2p2"
}

# boot_report KERNEL INITRAMFS PROFILE DIR TAG CASE...: boot KERNEL in
# PROFILE with the cases (scripts/boot.sh, its files in DIR), then print
# one result line per case as "PASS|FAIL|SKIP TAG/CASE[ # why]"
# (scripts/ktap.py; for a kunit profile, the KUnit cases from the console)
# and the cases' iommu:, fio: and failure diagnostics to stderr.  Fails
# when a line is FAIL.  check.sh, run.sh and bench.sh all boot through it.
boot_report() {
	local kernel=$1 initrd=$2 profile=$3 dir=$4 tag=$5 out
	shift 5
	mkdir -p "$dir"
	say "booting profile $profile${GUEST_MEM:+ ($GUEST_MEM)}${*:+: $*}"
	if ! "$TOP/scripts/boot.sh" "$kernel" "$initrd" "$profile" "$dir" "$@"; then
		warn "guest $tag did not finish: $dir/$profile.console"
		# The first signs of trouble, for a log read without the run dir.
		grep -m 8 -E 'WARNING:|BUG:|Oops|error|blocked for more' \
			"$dir/$profile.console" 2>/dev/null | sed 's/^/    console: /' >&2 || true
	fi
	out=$("$TOP/scripts/ktap.py" --prefix "$tag" --cases "boot-dmesg-clean $*" \
		"$dir/$profile.ktap" 2>/dev/null | xfail_filter "$profile" "$tag" || true)
	if [ "$(profile_get "$profile" runs)" = kunit ]; then
		out+=$'\n'$("$TOP/scripts/ktap.py" --kunit-console --src "$SRC" --prefix "$tag" \
			"$dir/$profile.console" || true)
	fi
	echo "$out"
	grep '^# ' "$dir/$profile.ktap" 2>/dev/null | grep -E 'iommu:|fio:|FAIL|SKIP' |
		sed 's/^/    /' >&2 || true
	! grep -q '^FAIL' <<<"$out"
}

# xfail_filter PROFILE TAG: result lines in, result lines out, with the
# FAIL of a case whose "# XFAIL:" header names PROFILE turned into XFAIL
# (the header's reason after it), and its PASS marked XPASS.
xfail_filter() {
	local profile=$1 tag=$2 line res name x
	while IFS= read -r line; do
		res=${line%% *} name=${line#* }
		name=${name%% *} name=${name#"$tag"/} x=
		[ ! -f "$CASES_DIR/$name" ] || x=$(case_get "$name" XFAIL)
		if [ -n "$x" ] && [[ " ${x%%:*} " == *" $profile "* ]]; then
			case $res in
			FAIL) line="XFAIL $tag/$name # ${x#*: }" ;;
			PASS) line="$line # XPASS: known to fail in $profile: ${x#*: }" ;;
			esac
		fi
		echo "$line"
	done
}
