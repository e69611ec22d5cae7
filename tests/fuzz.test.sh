#!/bin/sh
# fuzz.test.sh - every input that ever crashed a fuzz target (tests/fuzz/regress/TARGET/*),
# replayed through the same target built with the normal compiler (and under make asan).
. tests/lib.sh
: "${BUILD_DIR:=build}"
for dir in tests/fuzz/regress/*/; do
	t=$(basename "$dir")
	set -- "$dir"*
	[ -e "$1" ] || continue
	check "fuzz target $t replays its $# regression inputs" "$BUILD_DIR/fuzz-replay-$t" "$@"
done
finish
