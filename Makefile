# SPDX-License-Identifier: GPL-2.0
# The two-step DMA IOVA link API: the patch series and the harness that
# proves it.  "make run" is the main job, "make check" the test suite.

SHELL := /bin/bash
SERIES ?= patches
export SERIES

.PHONY: help run check check-full boot list lint bench status export prepare build bisect deps

help:
	@echo "make run      build the patched kernel, boot it with intel_iommu=on, run fio (mem_align=120, verify)"
	@echo "make check    the test suite CI runs; ends with 'N passed, N failed, N skipped'"
	@echo "make check-full  the same with every boot profile (adds kasan-strict, kasan-lazy)"
	@echo "make boot PROFILE=lazy CASES=\"fio-matrix edu-rotated-copy\"  build, boot one profile, run those cases"
	@echo "make list     every guest case and boot profile, with what it checks"
	@echo "make lint     shellcheck and Python compile over the harness"
	@echo "make bench    benchmark: map modes on edu (strict, lazy), CPU per I/O and fio, base vs patched -> results/"
	@echo "make status   do patches/ and the kernel work tree agree?"
	@echo "make export   write the work tree's commits back to patches/"
	@echo "make prepare  fetch the base and apply patches/ to the work tree"
	@echo "make build    build the guest kernel (SERIES=none: the unpatched base)"
	@echo "make bisect   build the kernel after every patch of the series"

run:
	@scripts/run.sh

check:
	@scripts/check.sh

check-full:
	@SUITE=full scripts/check.sh

# PROFILE (default strict; several: PROFILES="a b"), CASES (default: the
# profile's own), the boot stage of check.sh only.
boot:
	@STAGES=boots PROFILES="$(or $(PROFILES),$(PROFILE),strict)" CASES="$(CASES)" scripts/check.sh

list:
	@scripts/list.sh

lint:
	@scripts/deps.sh && scripts/lint.sh

bench:
	@scripts/bench.sh

status:
	@scripts/series.sh status

export:
	@scripts/series.sh export

prepare:
	@scripts/deps.sh && scripts/series.sh apply

build:
	@scripts/deps.sh && scripts/build.sh

bisect:
	@scripts/bisect.sh

deps:
	@scripts/deps.sh
