#!/bin/sh
# entries.test.sh - each of the user's 11 entries as kb show prints it (plain) and as the
# renderer tags it, at widths 80, 40 and 20: tests/render/entries/N.WIDTH.{plain,tagged}.
# UPDATE=1 rewrites them; read every change by eye.
. tests/lib.sh
: "${BUILD_DIR:=build}"
R=$BUILD_DIR/kbrender
DB=$TMP/kb.db
"$KB" build -q --db "$DB" kb
for n in 1 2 3 4 5 6 7 8 9 10 11; do
	id="paas/deployment-issues.md#$n"
	"$KB" show --db "$DB" --source "$id" >"$TMP/src.md"
	for w in 80 40 20; do
		"$KB" show --db "$DB" --plain --width $w "$id" >"$TMP/out.plain"
		golden "kb show $id at $w" "tests/render/entries/$n.$w.plain" "$TMP/out.plain"
		"$R" --tagged --width $w --base paas/deployment-issues.md --notes kb "$TMP/src.md" >"$TMP/out.tagged"
		golden "tagged $id at $w" "tests/render/entries/$n.$w.tagged" "$TMP/out.tagged"
	done
done
# kb show --highlight marks the words of the search, in every output mode, and nothing raw
"$KB" show --db "$DB" --color=always --highlight 'redis' "paas/deployment-issues.md#5" >"$TMP/hl"
contains "highlight in reverse video" "$TMP/hl" "$(printf '\033[7mRedis')"
finish
