// SPDX-License-Identifier: GPL-2.0
/*
 * p2p_copy: direct I/O between an NVMe namespace and another device's
 * p2pmem (a controller memory buffer published by the nvme driver).
 *
 *   p2p_copy P2PMEM-ALLOCATE-FILE BLOCK-DEVICE BYTES
 *
 * Fills BYTES of p2pmem with a pattern, writes them to the block device
 * with O_DIRECT (the device reads the p2pmem), reads them back into RAM
 * and compares; then reads the block into p2pmem (the device writes the
 * p2pmem) after clearing it, and compares.  Then the same with vectored
 * I/O whose buffer is half RAM and half p2pmem, in one system call: the
 * block layer must not put both kinds in one request.  Prints what
 * failed, with errno, and exits 1 on any failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

static uint8_t pattern(uint8_t seed, size_t i)
{
	return (uint8_t)(seed + i * 7 + (i >> 12));
}

static int check(const volatile uint8_t *buf, size_t len, uint8_t seed,
		 const char *what)
{
	size_t i;

	for (i = 0; i < len; i++) {
		uint8_t want = pattern(seed, i);

		if (buf[i] != want) {
			printf("%s: byte %zu is %#x, not %#x\n", what, i,
			       buf[i], want);
			return 1;
		}
	}
	printf("%s: %zu bytes ok\n", what, len);
	return 0;
}

int main(int argc, char **argv)
{
	volatile uint8_t *p2p;
	struct iovec iov[2];
	uint8_t *ram;
	size_t len, half, i;
	int pfd, bfd, bad = 0;
	ssize_t n;

	if (argc != 4) {
		fprintf(stderr, "usage: %s P2PMEM-ALLOCATE BLOCK-DEVICE BYTES\n", argv[0]);
		return 2;
	}
	len = strtoul(argv[3], NULL, 0);
	pfd = open(argv[1], O_RDWR);
	if (pfd < 0) {
		printf("open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	p2p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, pfd, 0);
	if (p2p == MAP_FAILED) {
		printf("mmap %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	bfd = open(argv[2], O_RDWR | O_DIRECT);
	if (bfd < 0) {
		printf("open %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	if (posix_memalign((void **)&ram, 4096, len))
		return 1;

	for (i = 0; i < len; i++)
		p2p[i] = (uint8_t)(0x5a + i * 7 + (i >> 12));
	n = pwrite(bfd, (const void *)p2p, len, 0);
	if (n != (ssize_t)len) {
		printf("write from p2pmem: %zd: %s\n", n, n < 0 ? strerror(errno) : "short");
		return 1;
	}
	memset(ram, 0, len);
	n = pread(bfd, ram, len, 0);
	if (n != (ssize_t)len) {
		printf("read into RAM: %zd: %s\n", n, n < 0 ? strerror(errno) : "short");
		return 1;
	}
	bad |= check(ram, len, 0x5a, "device read p2pmem");

	for (i = 0; i < len; i++)
		ram[i] = (uint8_t)(0x33 + i * 7 + (i >> 12));
	n = pwrite(bfd, ram, len, 0);
	if (n != (ssize_t)len) {
		printf("write from RAM: %zd: %s\n", n, n < 0 ? strerror(errno) : "short");
		return 1;
	}
	for (i = 0; i < len; i++)
		p2p[i] = 0;
	n = pread(bfd, (void *)p2p, len, 0);
	if (n != (ssize_t)len) {
		printf("read into p2pmem: %zd: %s\n", n, n < 0 ? strerror(errno) : "short");
		return 1;
	}
	bad |= check(p2p, len, 0x33, "device wrote p2pmem");

	/* RAM then p2pmem in one write; p2pmem then RAM in one read. */
	half = len / 2;
	for (i = 0; i < half; i++) {
		ram[i] = pattern(0x71, i);
		p2p[i] = pattern(0x71, half + i);
	}
	iov[0].iov_base = ram;
	iov[0].iov_len = half;
	iov[1].iov_base = (void *)p2p;
	iov[1].iov_len = half;
	n = pwritev(bfd, iov, 2, 0);
	if (n != (ssize_t)len) {
		printf("write from RAM and p2pmem: %zd: %s\n", n, n < 0 ? strerror(errno) : "short");
		return 1;
	}
	for (i = 0; i < half; i++) {
		ram[i] = 0;
		p2p[i] = 0;
	}
	iov[0].iov_base = (void *)p2p;
	iov[1].iov_base = ram;
	n = preadv(bfd, iov, 2, 0);
	if (n != (ssize_t)len) {
		printf("read into p2pmem and RAM: %zd: %s\n", n, n < 0 ? strerror(errno) : "short");
		return 1;
	}
	bad |= check(p2p, half, 0x71, "mixed vector, p2pmem half");
	for (i = 0; i < half; i++)
		if (ram[i] != pattern(0x71, half + i)) {
			printf("mixed vector, RAM half: byte %zu is %#x, not %#x\n",
			       i, ram[i], pattern(0x71, half + i));
			return 1;
		}
	printf("mixed vector, RAM half: %zu bytes ok\n", half);
	return bad;
}
