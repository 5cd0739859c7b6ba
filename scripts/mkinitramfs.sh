#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest initramfs without root: busybox-static, fio, nvme-cli and
# their libraries, and guest/ (the /init and the cases), packed by the
# kernel's own usr/gen_initramfs.sh from the build directory BUILD.
#   mkinitramfs.sh BUILD OUT.cpio.gz
# GUEST_ARCH=arm64: the user space of that architecture, from Debian's
# packages unpacked by scripts/userland.sh, and the selftests cross-built.
. "$(dirname "$0")/lib.sh"

build=$1 out=$2
[ -x "$build/usr/gen_init_cpio" ] || die "$build/usr/gen_init_cpio missing: build the kernel first"
garch=${GUEST_ARCH:-x86_64}
triplet=$(guest_triplet "$garch")
sysroot=
if [ "$garch" != x86_64 ]; then
	sysroot=$("$TOP/scripts/userland.sh" "$garch")
fi

root=$(mktemp -d "$CACHE/initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,lib,tests,fio,root}
cp "$sysroot/bin/busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"

# copy_bin PROG: the program and every library ldd names for it.
copy_bin() {
	local p lib
	p=$(command -v "$1") || die "$1 not installed (run scripts/deps.sh)"
	cp -L "$p" "$root/bin/"
	for lib in $(ldd "$p" | grep -oE '/[^ ]+'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -Ln "$lib" "$root$lib"
	done
}

# copy_foreign PROG: the same from the sysroot, for a binary ldd cannot
# run: the libraries its ELF headers name (NEEDED, found in the sysroot's
# library directories and RUNPATHs), recursively, and its interpreter.
copy_foreign() {
	local p=$sysroot/usr/bin/$1 f lib dir found
	[ -x "$p" ] || p=$sysroot/usr/sbin/$1
	[ -x "$p" ] || die "$1 is not in the $garch user space ($sysroot)"
	cp -L "$p" "$root/bin/"
	local -a todo=("$p") dirs
	local -A seen=()
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]} todo=("${todo[@]:1}")
		dirs=("/lib/$triplet" "/usr/lib/$triplet" /lib /usr/lib)
		for dir in $(readelf -d "$f" | sed -n 's/.*R\(UN\)*PATH.*\[\(.*\)\]/\2/p' | tr ':' ' '); do
			dirs+=("$dir")
		done
		lib=$(readelf -l "$f" | sed -n 's/.*interpreter: \(.*\)\]/\1/p')
		if [ -n "$lib" ] && [ -z "${seen[$lib]:-}" ]; then
			seen[$lib]=1
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$sysroot$lib" "$root$lib"
		fi
		for lib in $(readelf -d "$f" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p'); do
			[ -z "${seen[$lib]:-}" ] || continue
			seen[$lib]=1
			found=
			for dir in "${dirs[@]}"; do
				[ -e "$sysroot$dir/$lib" ] || continue
				found=$dir/$lib
				break
			done
			[ -n "$found" ] || die "$1 needs $lib, which the $garch user space lacks ($sysroot)"
			mkdir -p "$root$(dirname "$found")"
			cp -L "$sysroot$found" "$root$found"
			todo+=("$sysroot$found")
		done
	done
}
[ -z "$sysroot" ] || copy_bin() { copy_foreign "$@"; }
# MINIMAL=1: no fio and nvme-cli, whose libraries (Ceph's, ICU's) take
# 90 MiB of RAM once unpacked: for guests with 256 MiB.
MINIMAL=${MINIMAL:-0}
if [ "$MINIMAL" != 1 ]; then
	copy_bin fio
	copy_bin nvme
fi

cp "$TOP/guest/init" "$root/init"
cp "$TOP/guest/harness.sh" "$root/lib/harness.sh"
# Benchmarks (guest/bench) and the jobs of make run and the IOTLB count
# (guest/jobs) are run like cases, but are not tests.
cp "$TOP"/guest/tests/* "$TOP"/guest/bench/* "$TOP"/guest/jobs/* "$root/tests/"
cp "$TOP"/guest/fio/* "$root/fio/"
mkdir -p "$root/etc/expect"
cp "$TOP"/guest/expect/* "$root/etc/expect/"
# The series' selftests (tools/testing/selftests/dma), static, into /usr/bin,
# from the tree the kernel was built from: the unpatched base has none.
src=$(tree_for "${SERIES:-patches}")
cross=
[ "$garch" = x86_64 ] || cross=$triplet-
st=$src/tools/testing/selftests/dma
if [ -f "$st/dma_edu_link.c" ]; then
	mkdir -p "$build/selftests/dma"
	make -s -C "$st" OUTPUT="$build/selftests/dma" CROSS_COMPILE="$cross" \
		CFLAGS="-O2 -Wall -static -pthread -idirafter $src/include -idirafter $src/include/uapi" \
		>"$LOGS/selftests.log" 2>&1 || die_log "building tools/testing/selftests/dma failed" "$LOGS/selftests.log"
	mkdir -p "$root/usr/bin"
	cp "$build"/selftests/dma/dma_edu_link "$build"/selftests/dma/dma_map_benchmark "$root/usr/bin/"
fi
# The guest's own helper programs (guest/src), static, into /usr/bin.
mkdir -p "$root/usr/bin"
for c in "$TOP"/guest/src/*.c; do
	"${cross}gcc" -O2 -Wall -static -o "$root/usr/bin/$(basename "$c" .c)" "$c" \
		>"$LOGS/guest-src.log" 2>&1 || die_log "guest/src/${c##*/} does not build" "$LOGS/guest-src.log"
done
# The kernel's modules, for the kunit boots: guest/init loads every KUnit
# test module (one with a .kunit_test_suites section, listed in
# /etc/kunit-modules) and with it, by modules.dep, what it needs.
if [ "$MINIMAL" != 1 ] && [ -s "$build/modules.order" ]; then
	[ -z "$sysroot" ] || export ARCH=$garch
	make -s -C "$src" O="$build" CROSS_COMPILE="$cross" INSTALL_MOD_PATH="$root" \
		INSTALL_MOD_STRIP=1 modules_install >"$LOGS/modules-install.log" 2>&1 ||
		die_log "installing the kernel's modules into the initramfs failed" "$LOGS/modules-install.log"
	[ -s "$root/lib/modules/$(cat "$build/include/config/kernel.release")/modules.dep" ] ||
		die_log "modules_install wrote no modules.dep (is kmod's depmod installed? run scripts/deps.sh)" \
			"$LOGS/modules-install.log"
	find "$root/lib/modules" -name '*.ko' | sort | while read -r ko; do
		if readelf -W -S "$ko" | grep -q '\.kunit_test_suites'; then
			basename "$ko" .ko
		fi
	done >"$root/etc/kunit-modules"
fi
# Extra files for the guest (e.g. selftest binaries) under $EXTRA/<path>.
if [ -n "${EXTRA:-}" ] && [ -d "$EXTRA" ]; then
	cp -a "$EXTRA"/. "$root"/
fi

list=$root.list
printf 'dir /dev 0755 0 0\nnod /dev/console 0600 0 0 c 5 1\n' >"$list"
(cd "$build" && "$SRC/usr/gen_initramfs.sh" -o "$out.tmp" -u squash -g squash \
	-d "$KBUILD_BUILD_TIMESTAMP" "$root" "$list") || { rm -f "$list"; die "gen_initramfs.sh failed"; }
rm -f "$list"
gzip -1 -n <"$out.tmp" >"$out.gz.tmp" && rm -f "$out.tmp" && mv "$out.gz.tmp" "$out"
