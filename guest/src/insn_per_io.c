// SPDX-License-Identifier: GPL-2.0
/*
 * insn_per_io: the guest instructions a command costs, on a guest booted
 * with QEMU's -icount shift=0,sleep=off on one vCPU (scripts/boot.sh
 * ICOUNT=1), where guest time advances one nanosecond per instruction.
 *
 *   insn_per_io COMMAND [ARG...]
 *
 * A spinner at SCHED_IDLE counts loop iterations in shared memory, so
 * that the vCPU never idles: every nanosecond of guest time is then an
 * instruction that either the spinner or something else (the command,
 * its system calls, the interrupts it causes, the scheduler) executed.
 * The spinner's rate, in iterations per nanosecond, is measured alone
 * before and after the command; what the spinner did not execute while
 * the command ran is the command's cost:
 *
 *   cost = elapsed - iterations / rate
 *
 * The timer tick runs during the calibration too, so its cost is part of
 * the spinner's rate, not of the command's.  A command's start-up cancels
 * when the caller runs it with N and with 3N I/Os and takes the
 * difference (guest/bench/bench-io).  Prints one line:
 *
 *   insns=COST elapsed=NS spins=ITERATIONS rate=ITERATIONS_PER_NS drift=D
 *
 * (D: the change of the rate from the first calibration to the second,
 * relative to their mean)
 *
 * and exits with the command's status (2 on a usage or system error).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Guest time of each calibration, in ns (= instructions) */
#define CALIBRATE_NS	200000000L

static volatile uint64_t *spins;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "insn_per_io: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void __attribute__((noreturn)) spin(void)
{
	struct sched_param sp = { 0 };

	if (sched_setscheduler(0, SCHED_IDLE, &sp))
		die("sched_setscheduler(SCHED_IDLE)");
	for (;;)
		(*spins)++;
}

/* The spinner's iterations per ns while nothing else runs. */
static double calibrate(void)
{
	struct timespec ts = { 0, CALIBRATE_NS };
	uint64_t t0, c0, t1, c1;

	t0 = now_ns();
	c0 = *spins;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	c1 = *spins;
	t1 = now_ns();
	return (double)(c1 - c0) / (double)(t1 - t0);
}

int main(int argc, char **argv)
{
	uint64_t t0, c0, t1, c1;
	double before, after, rate, cost;
	pid_t spinner, cmd;
	int status;

	if (argc < 2) {
		fprintf(stderr, "usage: insn_per_io COMMAND [ARG...]\n");
		return 2;
	}
	spins = mmap(NULL, sizeof(*spins), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (spins == MAP_FAILED)
		die("mmap");
	spinner = fork();
	if (spinner < 0)
		die("fork");
	if (!spinner)
		spin();
	while (!*spins)
		sched_yield();

	before = calibrate();
	t0 = now_ns();
	c0 = *spins;
	cmd = fork();
	if (cmd < 0)
		die("fork");
	if (!cmd) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "insn_per_io: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	if (waitpid(cmd, &status, 0) < 0)
		die("waitpid");
	c1 = *spins;
	t1 = now_ns();
	after = calibrate();
	kill(spinner, SIGKILL);
	waitpid(spinner, NULL, 0);

	rate = (before + after) / 2;
	if (rate <= 0) {
		fprintf(stderr, "insn_per_io: the spinner never ran: is this guest on one vCPU?\n");
		return 2;
	}
	cost = (double)(t1 - t0) - (double)(c1 - c0) / rate;
	printf("insns=%.0f elapsed=%llu spins=%llu rate=%.6f drift=%.6f\n", cost,
	       (unsigned long long)(t1 - t0), (unsigned long long)(c1 - c0),
	       rate, (after - before) / rate);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 2;
}
