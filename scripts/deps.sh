#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the harness needs, and say which ones.
. "$(dirname "$0")/lib.sh"

# command-or-file  package
need=(
	"gcc gcc" "make make" "flex flex" "bison bison" "bc bc"
	"/usr/include/libelf.h libelf-dev" "/usr/include/openssl/ssl.h libssl-dev"
	"pahole dwarves" "ccache ccache" "cpio cpio" "xz xz-utils"
	"perl perl" "python3 python3" "git git" "rsync rsync"
	"qemu-system-x86_64 qemu-system-x86" "fio fio"
	"/bin/busybox busybox-static" "nvme nvme-cli" "apt-get apt"
	"/usr/bin/python3 python3"
	"/usr/lib/python3/dist-packages/ply python3-ply"
	"/usr/lib/python3/dist-packages/git python3-git"
	"/usr/lib/x86_64-linux-gnu/libc.a libc6-dev"
	"gnuplot gnuplot-nox"
	"aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu" "shellcheck shellcheck"
	"/usr/aarch64-linux-gnu/lib/libc.a libc6-dev-arm64-cross"
	"qemu-system-aarch64 qemu-system-arm" "readelf binutils"
	"dpkg-deb dpkg" "lsb_release lsb-release" "gdb gdb"
	"/sbin/depmod kmod" "dtc device-tree-compiler"
)
missing=()
for n in "${need[@]}"; do
	what=${n% *} pkg=${n#* }
	case $what in
	/*) [ -e "$what" ] && continue ;;
	*) command -v "$what" >/dev/null 2>&1 && continue ;;
	esac
	missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

say "installing missing Debian packages: ${missing[*]}"
[ "$(id -u)" -eq 0 ] || die "need root to install ${missing[*]}: run 'sudo apt-get install ${missing[*]}' and retry"
command -v apt-get >/dev/null || die "apt-get not found: this harness needs Debian 12 (bookworm)"
log=$LOGS/apt-install.log
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
	die_log "apt-get could not install ${missing[*]} (is the Debian archive reachable?)" "$log"
fi
