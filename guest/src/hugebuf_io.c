// SPDX-License-Identifier: GPL-2.0
/*
 * hugebuf_io: O_DIRECT I/O of BS bytes a call from a buffer in 2 MiB huge
 * pages that starts OFFSET bytes into its first page, checked through a
 * second, independent layout.
 *
 *   hugebuf_io DEVICE SIZE BS OFFSET     (sizes in bytes, or with k or m)
 *
 * Pass 1 writes [0, SIZE) of DEVICE through the huge-page buffer and
 * reads it back 128 KiB at a time into ordinary page-aligned memory;
 * pass 2 writes it 128 KiB at a time from ordinary memory and reads it
 * back through the huge-page buffer.  Every 8-byte word holds its own
 * byte offset on the device, mixed with a tag of the pass, so a page of
 * a request that the device reads from or writes to the wrong place, or
 * never, does not match: a mistake that one layout makes the same way
 * on the write and on the read (which a write-then-verify with the same
 * buffers cannot see) shows here, since the other side of each pass has
 * a layout of its own.
 *
 * Exits 0 when every word matched, 1 at the first mismatch (printed), 2
 * on a usage or system error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_SIZE	(2UL << 20)
#define PIECE		(128UL << 10)

static const uint64_t tags[2] = {
	0xa5a5a5a500000000ull, 0x5a5a5a5a00000000ull,
};

static void die(const char *what)
{
	fprintf(stderr, "hugebuf_io: %s: %s\n", what, strerror(errno));
	exit(2);
}

static unsigned long parse_size(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (*end == 'k' || *end == 'K')
		v <<= 10, end++;
	else if (*end == 'm' || *end == 'M')
		v <<= 20, end++;
	if (*end || end == s) {
		fprintf(stderr, "hugebuf_io: bad size '%s'\n", s);
		exit(2);
	}
	return v;
}

/* Fill @len bytes at @buf with the words of device offset @pos on. */
static void fill(unsigned char *buf, size_t len, uint64_t pos, uint64_t tag)
{
	size_t i;

	for (i = 0; i < len; i += 8) {
		uint64_t w = (pos + i) ^ tag;

		memcpy(buf + i, &w, 8);
	}
}

/* Check @len bytes at @buf read from device offset @pos; 0 if they match. */
static int check(const unsigned char *buf, size_t len, uint64_t pos,
		 uint64_t tag, const char *how)
{
	size_t i;

	for (i = 0; i < len; i += 8) {
		uint64_t w, want = (pos + i) ^ tag;

		memcpy(&w, buf + i, 8);
		if (w != want) {
			printf("hugebuf_io: %s: device offset %#llx holds %#llx, not %#llx (the data of device offset %#llx)\n",
			       how, (unsigned long long)(pos + i),
			       (unsigned long long)w, (unsigned long long)want,
			       (unsigned long long)(w ^ tag));
			return 1;
		}
	}
	return 0;
}

static void io(int write, int fd, void *buf, size_t len, uint64_t pos)
{
	ssize_t n = write ? pwrite(fd, buf, len, pos) : pread(fd, buf, len, pos);

	if (n < 0)
		die(write ? "pwrite" : "pread");
	if ((size_t)n != len) {
		fprintf(stderr, "hugebuf_io: short %s at %#llx: %zd of %zu bytes\n",
			write ? "write" : "read", (unsigned long long)pos, n, len);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	unsigned long size, bs, offset, map_len;
	unsigned char *huge, *buf, *piece;
	uint64_t pos, p;
	int fd;

	if (argc != 5) {
		fprintf(stderr, "usage: hugebuf_io DEVICE SIZE BS OFFSET\n");
		return 2;
	}
	size = parse_size(argv[2]);
	bs = parse_size(argv[3]);
	offset = parse_size(argv[4]);
	if (!bs || size % bs || bs % PIECE || offset % 8 || offset >= HUGE_SIZE) {
		fprintf(stderr, "hugebuf_io: SIZE must be a multiple of BS, BS of 128 KiB, OFFSET of 8 and below 2 MiB\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0)
		die(argv[1]);
	map_len = (offset + bs + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
	huge = mmap(NULL, map_len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (huge == MAP_FAILED)
		die("mmap of 2 MiB huge pages (vm.nr_hugepages?)");
	buf = huge + offset;
	if (posix_memalign((void **)&piece, 4096, PIECE))
		die("posix_memalign");

	/* pass 1: through the huge pages, back in 128 KiB pieces */
	for (pos = 0; pos < size; pos += bs) {
		fill(buf, bs, pos, tags[0]);
		io(1, fd, buf, bs, pos);
	}
	for (pos = 0; pos < size; pos += PIECE) {
		memset(piece, 0xff, PIECE);
		io(0, fd, piece, PIECE, pos);
		if (check(piece, PIECE, pos, tags[0], "written through huge pages"))
			return 1;
	}

	/* pass 2: in 128 KiB pieces, back through the huge pages */
	for (pos = 0; pos < size; pos += PIECE) {
		fill(piece, PIECE, pos, tags[1]);
		io(1, fd, piece, PIECE, pos);
	}
	for (pos = 0; pos < size; pos += bs) {
		for (p = 0; p < bs; p += PIECE)
			memset(buf + p, 0xff, PIECE);
		io(0, fd, buf, bs, pos);
		if (check(buf, bs, pos, tags[1], "read through huge pages"))
			return 1;
	}
	printf("hugebuf_io: %lu bytes in %lu-byte calls from huge pages %lu bytes in: written and read back through 128 KiB pieces of ordinary memory, both ways, every word in place\n",
	       size, bs, offset);
	return 0;
}
