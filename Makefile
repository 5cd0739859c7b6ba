# SPDX-License-Identifier: GPL-2.0
# The two-step DMA IOVA link API: the patch series and the harness that
# proves it.  "make run" is the main job, "make check" the test suite.

SHELL := /bin/bash
SERIES ?= patches
export SERIES

.PHONY: help run check bench status export prepare base build bisect deps lock

help:
	@echo "make run      build the patched kernel, boot it with intel_iommu=on, run fio (mem_align=120, verify)"
	@echo "make check    the whole test suite; ends with 'N passed, N failed, N skipped'"
	@echo "make bench    benchmark: map modes on edu (strict, lazy), fio base vs patched -> results/"
	@echo "make status   do patches/ and the kernel work tree agree?"
	@echo "make export   write the work tree's commits back to patches/"
	@echo "make prepare  fetch the base and apply patches/ to the work tree"
	@echo "make build    build the guest kernel (SERIES=none: the unpatched base)"
	@echo "make bisect   build the kernel after every patch of the series"

run:
	@scripts/run.sh

check:
	@scripts/check.sh

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
