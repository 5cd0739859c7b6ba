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
# unpatched base, anything else the series work tree.
tree_for() { if [ "${1:-patches}" = none ]; then echo "$BASESRC"; else echo "$SRC"; fi; }
build_for() { if [ "${1:-patches}" = none ]; then echo "$CACHE/base/build/series"; else echo "$CACHE/build/series"; fi; }
