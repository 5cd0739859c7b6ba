#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest kernel out of tree in the cache.
#   SERIES=patches (default): base + patches/, in build/series
#   SERIES=none: the unpatched base, in build/base
# Prints the path of the bzImage on stdout.
. "$(dirname "$0")/lib.sh"

SERIES=${SERIES:-patches}
src=$(tree_for "$SERIES")
out=$(build_for "$SERIES")
name=$([ "$SERIES" = none ] && echo base || echo series)
log=$LOGS/build-$name.log

if [ "$SERIES" = none ]; then
	"$TOP/scripts/series.sh" base
else
	"$TOP/scripts/series.sh" apply
fi

frags=("$TOP/config/guest.config" "$TOP/config/debug.config" "$TOP/config/build-only.config")
[ "$SERIES" = none ] || frags+=("$TOP/config/series.config")
mkdir -p "$out"

# Regenerate .config only when a fragment or the base changed, so that an
# unchanged run leaves the build directory untouched.
stamp=$( (cat "${frags[@]}"; git -C "$src" rev-parse "$BASE_TAG") | sha256sum | cut -d' ' -f1)
if [ "$(cat "$out/.harness-config" 2>/dev/null)" != "$stamp" ] || [ ! -f "$out/.config" ]; then
	say "configuring $name: allnoconfig + ${frags[*]##*/}"
	rm -f "$out/.harness-config"
	(cd "$src" && scripts/kconfig/merge_config.sh -n -O "$out" "${frags[@]}" &&
	 make -s O="$out" olddefconfig) >"$LOGS/config-$name.log" 2>&1 ||
		die_log "kernel configuration failed" "$LOGS/config-$name.log"
	dropped=()
	while IFS= read -r line; do
		case $line in
		CONFIG_*=n) sym=${line%%=*}
			grep -q "^$sym=" "$out/.config" && dropped+=("$line") ;;
		CONFIG_*=*) grep -qxF "$line" "$out/.config" ||
			dropped+=("$line (got: $(grep -E "^(# )?${line%%=*}[= ]" "$out/.config" || echo unset))") ;;
		esac
	done < <(cat "${frags[@]}" | sed -e 's/[[:space:]]*#.*//' -e '/^$/d')
	if [ ${#dropped[@]} -gt 0 ]; then
		printf 'ERROR: olddefconfig dropped requested options (a missing dependency?):\n' >&2
		printf '  %s\n' "${dropped[@]}" >&2
		die "fix config/*.config; full log: $LOGS/config-$name.log"
	fi
	echo "$stamp" >"$out/.harness-config"
fi

say "building $name kernel (log: $log)"
start=$(date +%s)
if ! make -C "$src" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" \
	-j"$(nproc)" bzImage modules >"$log" 2>&1; then
	grep -E '(error|Error [0-9]+):' "$log" | head -n 20 >&2 || true
	die_log "the $name kernel does not build" "$log" 10
fi
say "built $name in $(( $(date +%s) - start )) s: $(cat "$out/include/config/kernel.release")"
echo "$out/arch/x86/boot/bzImage"
