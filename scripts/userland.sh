#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The guest's user space for an architecture other than the host's: Debian
# 12's busybox-static, fio and nvme-cli for ARCH and the libraries they
# need, unpacked from their .debs (nothing is installed on the host) into
# a sysroot in the cache.  Prints the sysroot's path.
#   userland.sh arm64
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: scripts/userland.sh DEBIAN-ARCH (arm64)}
pkgs=(busybox-static fio nvme-cli)
root=$CACHE/userland/$arch
stamp=$root/.stamp
want="${pkgs[*]} $(lsb_release -sc 2>/dev/null || echo bookworm)"
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
	echo "$root"
	exit 0
fi

[ "$(id -u)" -eq 0 ] || die "need root to add the $arch package lists (dpkg --add-architecture $arch): run as root"
log=$LOGS/userland-$arch.log
: >"$log"
if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
	say "adding Debian's $arch package lists (dpkg --add-architecture $arch; nothing of $arch is installed)"
	{ dpkg --add-architecture "$arch" && apt-get update -qq; } >>"$log" 2>&1 ||
		die_log "could not add the $arch package lists" "$log"
fi

# Every package the three depend on, recursively; only their shared
# libraries are used (scripts/mkinitramfs.sh copies what the ELF headers
# name), so the rest is unpacked and ignored.
mapfile -t deps < <(apt-cache depends --recurse --no-recommends --no-suggests \
	--no-conflicts --no-breaks --no-replaces --no-enhances \
	"${pkgs[@]/%/:$arch}" 2>>"$log" | grep -E "^[a-z0-9].*:$arch\$" | sort -u)
[ ${#deps[@]} -gt 0 ] || die_log "apt-cache found no $arch packages for ${pkgs[*]} (run 'apt-get update')" "$log"

debs=$CACHE/userland/debs-$arch
mkdir -p "$debs"
say "downloading ${#deps[@]} Debian $arch packages for the guest's user space (log: $log)"
(cd "$debs" && apt-get download -qq "${deps[@]}") >>"$log" 2>&1 ||
	die_log "apt-get download failed for $arch (is the Debian archive reachable?)" "$log"

rm -rf "$root.tmp"
mkdir -p "$root.tmp"
for d in "$debs"/*_"$arch".deb "$debs"/*_all.deb; do
	[ -e "$d" ] || continue
	dpkg-deb -x "$d" "$root.tmp" >>"$log" 2>&1 || die_log "dpkg-deb -x $d failed" "$log"
done
[ -x "$root.tmp/bin/busybox" ] || die "no busybox in the $arch packages: see $log"
echo "$want" >"$root.tmp/.stamp"
rm -rf "$root"
mv "$root.tmp" "$root"
echo "$root"
