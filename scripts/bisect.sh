#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prove the series bisectable: build the test kernel after each patch of
# each series (the first on the base, every other on the first alone) with
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
# Every series on its prerequisites: the first on the base, every other
# one as its patch files apply on the first alone (series.sh stack).
first=$(series_first)
fail=0 n=0
for name in $(series_names); do
	if [ "$name" = "$first" ]; then
		from=$BASE_TAG to=stack/$first
	else
		"$TOP/scripts/series.sh" stack "$first+$name" >/dev/null
		from=stack/$first to=alone/$name
	fi
	i=0
	for c in $(git -C "$SRC" rev-list --reverse "$from..$to"); do
		n=$((n + 1)) i=$((i + 1))
		tag=$name/$(printf '%02d' $i)
		subj=$(git -C "$SRC" log -1 --format=%s "$c")
		git -C "$wt" checkout -q -f --detach "$c"
		# An option a later patch defines is not there yet (ALLOW_UNDEFINED).
		if BUILD_TREE=$wt BUILD_OUT=$out BUILD_NAME=bisect-$n ALLOW_UNDEFINED=1 \
			"$TOP/scripts/build.sh" >/dev/null 2>"$LOGS/bisect-$n.err"; then
			echo "PASS bisect/$tag $subj"
		else
			echo "FAIL bisect/$tag $subj # $LOGS/build-bisect-$n.log"
			sed 's/^/    /' "$LOGS/bisect-$n.err" | tail -n 12
			fail=1
		fi
	done
done
echo "$n patches of $(series_names | wc -l) series built one by one"
exit $fail
