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
# options, or "bench", the benchmark kernel without them.
tree_for() { if [ "${1:-patches}" = none ]; then echo "$BASESRC"; else echo "$SRC"; fi; }
build_for() {
	local dir=$CACHE/build
	[ "${1:-patches}" = none ] && dir=$CACHE/base/build
	if [ "${2:-test}" = bench ]; then echo "$dir/bench"; else echo "$dir/series"; fi
}

# The config fragments of a guest kernel: build_frags SERIES KIND.
build_frags() {
	local frags=("$TOP/config/guest.config")
	[ "${2:-test}" = bench ] ||
		frags+=("$TOP/config/debug.config" "$TOP/config/build-only.config")
	[ "${1:-patches}" = none ] || frags+=("$TOP/config/series.config")
	[ "${1:-patches}" = none ] || [ "${2:-test}" = bench ] ||
		frags+=("$TOP/config/series-kunit.config")
	printf '%s\n' "${frags[@]}"
}

# configure_kernel SRC OUT NAME FRAGMENT...: merge the fragments onto
# allnoconfig (for $ARCH) into OUT/.config with the base's merge_config.sh,
# and fail by name on any requested option that olddefconfig dropped.  The
# .config is regenerated only when a fragment or the base changed, so an
# unchanged run leaves the build directory untouched.
configure_kernel() {
	local src=$1 out=$2 name=$3 stamp line sym
	shift 3
	local dropped=()
	mkdir -p "$out"
	stamp=$( (echo "$ARCH"; cat "$@"; git -C "$src" rev-parse "$BASE_TAG") | sha256sum | cut -d' ' -f1)
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
	if [ ${#dropped[@]} -gt 0 ]; then
		printf 'ERROR: olddefconfig dropped requested options of %s (a missing dependency?):\n' "$name" >&2
		printf '  %s\n' "${dropped[@]}" >&2
		die "fix the config fragments; full log: $LOGS/config-$name.log"
	fi
	echo "$stamp" >"$out/.harness-config"
}
