#!/bin/sh
# render.test.sh - the renderer's golden files (tests/render/NAME.WIDTH.MODE) and its width property over the corpora.
# UPDATE=1 rewrites the golden files instead of comparing; read every change by eye.
: "${BUILD_DIR:=build}"
R=$BUILD_DIR/kbrender
passed=0 failed=0
tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT

ok() { passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

# golden NAME SOURCE BASE NOTES MODE [OPTION...]: one file per width
golden() {
	name=$1 src=$2 base=$3 notes=$4 mode=$5
	shift 5
	for w in 80 40 20; do
		want=tests/render/$name.$w.$mode
		if ! "$R" --width "$w" "$@" --base "$base" --notes "$notes" "$src" >"$tmp"; then
			fail "$want: kbrender failed"
		elif [ "${UPDATE:-0}" = 1 ]; then
			cp "$tmp" "$want" && echo "wrote $want" && ok
		elif [ ! -f "$want" ]; then
			fail "$want: missing (make it with UPDATE=1, then read it)"
		elif diff -u "$want" "$tmp"; then
			ok
		else
			fail "$want differs"
		fi
	done
}

for mode in plain tagged; do
	golden elements tests/render/elements.md elements.md tests/render $mode --$mode
	golden deployment-issues kb/paas/deployment-issues.md paas/deployment-issues.md kb $mode --$mode
done
golden elements tests/render/elements.md elements.md tests/render ascii --plain --ascii

# The fixtures at every width from 10 to 100: no line too wide, spans as they say.
fixtures="tests/render/elements.md kb/paas/deployment-issues.md"
if "$R" --check $(seq -s ' --width ' -f %g 10 9 100 | sed 's/^/--width /') $fixtures >"$tmp"; then
	ok
else
	fail "fixture width check"
	cat "$tmp"
fi

# Every line but code lines fits its width, for every note of the corpora, at 40 and 80
# columns, as the browser gets them and as `kb show` prints them (marks, and ASCII
# stand-ins as in a non-UTF-8 locale); kbrender also checks each span's width and that no
# control byte is in it, and a crash fails the test. All files in one process per pass:
# about 3 s each. Skipped when ../shared/corpora is not there (as in CI).
corpora=../shared/corpora
if [ -d "$corpora" ]; then
	find "$corpora" -name '*.md' -type f | sort >"$tmp"
	files=$(wc -l <"$tmp")
	[ "$files" -gt 0 ] || fail "no .md files under $corpora"
	for opts in "" "--marks --ascii"; do
		start=$(date +%s)
		if "$R" --check --width 40 --width 80 $opts - <"$tmp" >"$tmp.out" 2>&1; then
			ok
		else
			fail "corpus width check $opts (status $?)"
			head -n 20 "$tmp.out"
		fi
		tail -n 1 "$tmp.out"
		echo "corpus width check ${opts:-(styled)}: $files files in $(($(date +%s) - start)) s"
	done
	rm -f "$tmp.out"
else
	echo "note: $corpora not found: corpus width check skipped (counted as passed)"
	ok
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
