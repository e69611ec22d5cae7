#!/bin/sh
# man.test.sh - the manual pages are lint-clean and document every command kb has.
. tests/lib.sh
for page in man/*.[1-8]; do
	mandoc -Tlint -Wwarning "$page" >"$TMP/lint" 2>&1
	check "$page is clean under mandoc -Tlint" test ! -s "$TMP/lint"
	cat "$TMP/lint"
done
# every command in kb's help has a .Cm entry in kb.1
"$KB" --help | sed -n 's/^ *\(usage: \)\{0,1\}kb \([a-z]*\) .*/\2/p' | sort -u >"$TMP/cmds"
check "kb --help lists commands" test -s "$TMP/cmds"
while read -r cmd; do
	contains "kb.1 documents kb $cmd" man/kb.1 ".Cm $cmd"
done <"$TMP/cmds"
for page in man/*.[1-8]; do
	MANWIDTH=80 man -l "$page" >"$TMP/man.txt" 2>/dev/null
	check "$page renders" test -s "$TMP/man.txt"
	check "$page fits 80 columns" test "$(wc -L <"$TMP/man.txt")" -le 80
done
finish
