#!/bin/sh
# run.sh - runs every test suite and ends with one line "N passed, N failed".
: "${KB:=build/kb}" "${UNIT:=build/unit}" "${BUILD_DIR:=build}"
export KB UNIT BUILD_DIR
passed=0 failed=0
tally() { # reads a suite's output, echoes it, adds its last "N passed, N failed" line
	out=$1
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL: suite printed no result line"; failed=$((failed + 1)); return
	fi
	set -- $line
	passed=$((passed + $1)); failed=$((failed + $3))
}
echo "== unit"
tally "$("$UNIT" 2>&1)"
for t in tests/*.test.sh; do
	[ -f "$t" ] || continue
	echo "== $t"
	tally "$(sh "$t" 2>&1)"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
