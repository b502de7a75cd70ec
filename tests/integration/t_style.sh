#!/bin/sh
# The style check (STYLE.md: <= 80 columns, no banned function): the tree
# keeps it, and the check catches a wide line and a banned call while
# leaving comments and strings that merely name one.
. "$(dirname "$0")/lib/common.sh"

CHECK="$TOP/tests/check-style.py"
check "the source tree keeps the house style" python3 "$CHECK" "$TOP"

# A small tree of the layer folders, each case broken in one way.
tree() {
	rm -rf "$T/tree"
	mkdir -p "$T/tree/util" "$T/tree/tests/unit"
	printf '/* sprintf() in a comment is no call */\n' \
	    > "$T/tree/util/ok.c"
	printf 'static const char *s = "strcpy(a, b)";\n' \
	    >> "$T/tree/util/ok.c"
}

tree
check "comments and strings naming a banned function pass" \
    python3 "$CHECK" "$T/tree"

tree
printf 'int\nf(char *b)\n{\n\treturn atoi(b);\n}\n' >> "$T/tree/util/ok.c"
python3 "$CHECK" "$T/tree" > "$T/atoi.out" 2>&1
assert_eq "a banned call fails the check" 1 "$?"
assert_contains "it names the file, line and function" "$T/atoi.out" \
    'util/ok.c:6: calls atoi\(\)'

tree
printf 'void\nt(char *a)\n{\n\tstrcat (a, "x");\n}\n' \
    > "$T/tree/tests/unit/test_x.c"
python3 "$CHECK" "$T/tree" > "$T/test.out" 2>&1
assert_eq "a banned call in a unit test fails too" 1 "$?"
assert_contains "it names the test" "$T/test.out" \
    'tests/unit/test_x.c:4: calls strcat\(\)'

tree
printf '\t/* %s */\n' "$(printf '%075d' 0)" >> "$T/tree/util/ok.c"
python3 "$CHECK" "$T/tree" > "$T/wide.out" 2>&1
assert_eq "a line over 80 columns (a tab is 8) fails" 1 "$?"
assert_contains "it names the line and its width" "$T/wide.out" \
    'util/ok.c:3: 89 columns'

finish
