#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prove the series bisectable: build the test kernel after each patch with
# scripts/build.sh (the same fragments, merge and dropped-option check as
# every build, as far as that patch already defines the options), in a
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
fail=0 n=0
for c in $(git -C "$SRC" rev-list --reverse "$BASE_TAG..$SERIES_BRANCH"); do
	n=$((n + 1))
	subj=$(git -C "$SRC" log -1 --format=%s "$c")
	git -C "$wt" checkout -q -f --detach "$c"
	# An option a later patch defines is not there yet (ALLOW_UNDEFINED).
	if BUILD_TREE=$wt BUILD_OUT=$out BUILD_NAME=bisect-$n ALLOW_UNDEFINED=1 \
		"$TOP/scripts/build.sh" >/dev/null 2>"$LOGS/bisect-$n.err"; then
		echo "PASS bisect/$n $subj"
	else
		echo "FAIL bisect/$n $subj # $LOGS/build-bisect-$n.log"
		sed 's/^/    /' "$LOGS/bisect-$n.err" | tail -n 12
		fail=1
	fi
done
echo "$n patches built one by one"
exit $fail
