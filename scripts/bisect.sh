#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prove the series bisectable: build the kernel after each patch, in a
# worktree and build directory of its own (the work tree is left alone).
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/series.sh" apply
# Same layout relative to each other as linux/ and build/series/, so that
# ccache (CCACHE_BASEDIR is the cache) sees the same relative paths and hits.
wt=$CACHE/bisect/linux
out=$CACHE/bisect/build/series
if [ ! -d "$wt" ]; then
	mkdir -p "$(dirname "$wt")"
	git -C "$SRC" worktree prune
	git -C "$SRC" worktree add -q --detach "$wt" "$BASE_TAG"
fi
mkdir -p "$out"
mapfile -t frags < <(build_frags patches test)
fail=0 n=0
for c in $(git -C "$SRC" rev-list --reverse "$BASE_TAG..$SERIES_BRANCH"); do
	n=$((n + 1))
	subj=$(git -C "$SRC" log -1 --format=%s "$c")
	git -C "$wt" checkout -q -f --detach "$c"
	log=$LOGS/bisect-$n.log
	# Each patch is built with the options the series config asks for,
	# as far as that patch already defines them.
	if (cd "$wt" && scripts/kconfig/merge_config.sh -n -O "$out" "${frags[@]}" &&
	    make -s O="$out" olddefconfig &&
	    make O="$out" CC="ccache gcc" HOSTCC="ccache gcc" -j"$(nproc)" bzImage modules) >"$log" 2>&1; then
		echo "PASS bisect/$n $subj"
	else
		echo "FAIL bisect/$n $subj # $log"
		fail=1
	fi
done
echo "$n patches built one by one"
exit $fail
