#!/bin/sh
# The layer check: the tree keeps its layers, and the check catches an
# include that goes up and a circle between modules.
. "$(dirname "$0")/lib/common.sh"

CHECK="$TOP/tests/check-layers.py"
check "the source tree keeps its layers" python3 "$CHECK" "$TOP"

# A copy of the layer folders, each broken in one way.
copy() {
	rm -rf "$T/tree"
	mkdir "$T/tree"
	for d in util inputs store match collectors netmap reports run cli; do
		cp -r "$TOP/$d" "$T/tree/$d"
	done
}

copy
printf '#include "cli.h"\n' >> "$T/tree/util/util.c"
python3 "$CHECK" "$T/tree" > "$T/up.out" 2>&1
assert_eq "an upward include fails the check" 1 "$?"
assert_contains "it names the file and the layers" "$T/up.out" \
    'util/util.c:[0-9]+: util/ may not include cli/'

copy
printf '#include "match.h"\n' >> "$T/tree/match/pattern.h"
python3 "$CHECK" "$T/tree" > "$T/circle.out" 2>&1
assert_eq "a circle fails the check" 1 "$?"
assert_contains "it names the circle" "$T/circle.out" \
    'circle: .*match/match -> match/pattern -> match/match|circle: .*match/pattern -> match/match -> match/pattern'

copy
printf '#include "../util/util.h"\n' >> "$T/tree/store/store.c"
python3 "$CHECK" "$T/tree" > "$T/path.out" 2>&1
assert_eq "an include by path fails the check" 1 "$?"

finish
