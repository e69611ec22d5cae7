#!/bin/sh
# cliwidth.test.sh - kb search and kb show fitted to the terminal: whole ids, titles and
# snippets wrapped at word or CJK boundaries within the width, a cut line ending in … with no
# character skipped (wide characters at every column parity), piped output one tab-separated
# line per hit, option-like words searched for as kb.1 says. UPDATE=1 rewrites the golden files.
. tests/lib.sh
DB=$TMP/kb.db
"$KB" build -q --db "$DB" kb || fail "building the user's notes"
# Notes whose snippets put a wide character at the edge, at both parities of text and width
# (the snippet drops the heading that opens it: the line after it says the title again).
mkdir -p "$TMP/wide/a-long-directory-name/and-another-one"
for k in 9 10 11 12; do
	w=$(printf '询%.0s' $(seq 1 $k))
	for p in "" a ab abc; do
		printf '# W%d %s\n\n= W%d %s redis %s %sredis tail\n' $k "$p" $k "$p" "$p" "$w" >"$TMP/wide/p$k$p.md"
	done
done
printf '# Long\n\n## A heading long enough to need two lines at forty columns wide\n\nredis here\n' \
	>"$TMP/wide/a-long-directory-name/and-another-one/a-note-with-a-long-name.md"
"$KB" build -q --db "$TMP/wide.db" "$TMP/wide" || fail "building the wide notes"

# tty COLS CMD...: runs kb on a terminal COLS wide; the output, \r dropped, in $TMP/tty.
tty() {
	cols=$1; shift
	script -qec "stty cols $cols rows 50; $*" /dev/null 2>&1 | tr -d '\r' >"$TMP/tty"
}
for cols in 40 41 80; do
	tty $cols "$KB" search --db "$TMP/wide.db" -n 0 redis
	golden "kb search at $cols columns" "tests/cliwidth/search.$cols" "$TMP/tty"
	# ids are whole (what kb show takes), even when the terminal has to fold them
	check "kb search at $cols columns: no title or snippet line wider" \
		test "$(grep '^ ' "$TMP/tty" | wc -L)" -le $cols
	contains "kb search at $cols columns: the whole id" "$TMP/tty" \
		"a-long-directory-name/and-another-one/a-note-with-a-long-name.md#a-heading-long-enough-to-need-two-lines-at-forty-columns-wide"
	for k in 9 10 11 12; do # no character skipped where a line breaks or is cut
		for p in "" a ab abc; do
			n=$(grep -A4 "^p$k$p.md" "$TMP/tty" | grep -v '^[a-p]' | grep -o '询' | wc -l)
			same "kb search at $cols columns: p$k$p.md shows its $k wide characters" "$n" $k
		done
	done
	tty $cols "$KB" search --db "$DB" 镜像
	check "kb search 镜像 at $cols columns: no title or snippet line wider" \
		test "$(grep '^ ' "$TMP/tty" | wc -L)" -le $cols
done
# Piped: one line per hit, four tab-separated fields, whatever the width.
"$KB" search --db "$TMP/wide.db" -n 0 redis >"$TMP/piped"
same "piped: one line per hit" "$(wc -l <"$TMP/piped")" 17
same "piped: four fields on every line" "$(awk -F'\t' 'NF != 4' "$TMP/piped" | wc -l)" 0

# Words that look like options are words of the query (kb.1, search): never a usage error.
status "0|1" "$KB" search --db "$DB" kubectl --since
status "0|1" "$KB" search --db "$DB" --since 1h kubectl
status 2 "$KB" search --db "$DB" -n

# kb show --width N: every line within N, the header too; a code line folds, each piece but
# the last ending in ↩ (\ without UTF-8), and reads whole again once the folds are joined.
CMD='kubectl drain node-with-a-very-long-name --ignore-daemonsets --delete-emptydir-data --force'
CJK='echo 查询redis失败时请检查网络连接以及防火墙配置是否正确并重新启动服务'
mkdir -p "$TMP/code"
printf '# 代码很长的说明 with long code\n\n```sh\n%s\n```\n\n1. In a list:\n\n   ```\n   %s\n   ```\n\n```a-very-long-info-string-for-the-label-line\nx\n```\n' \
	"$CMD" "$CJK" >"$TMP/code/long.md"
"$KB" build -q --db "$TMP/code.db" "$TMP/code" || fail "building the code note"
unfold() { sed -e ':a' -e "/$1\$/{N;s/$1\n *//;ba}" "$TMP/show"; }
for w in 40 20; do
	"$KB" show --db "$TMP/code.db" --plain --width $w long.md >"$TMP/show"
	check "kb show --width $w, long code lines: no line wider" test "$(wc -L <"$TMP/show")" -le $w
	contains "kb show --width $w: a folded code line ends in ↩" "$TMP/show" "↩"
	same "kb show --width $w: the folded command, joined" "$(unfold ↩ | grep -c -- "^ *$CMD\$")" 1
	same "kb show --width $w: the folded CJK line, joined" "$(unfold ↩ | grep -c -- "^ *$CJK\$")" 1
	LC_ALL=C "$KB" show --db "$TMP/code.db" --plain --width $w long.md >"$TMP/show"
	check "kb show --width $w in the C locale: no line wider" test "$(wc -L <"$TMP/show")" -le $w
	same "kb show --width $w in the C locale: the fold mark is \\" "$(unfold '\\' | grep -c -- "^ *$CMD\$")" 1
done
"$KB" show --db "$TMP/code.db" --plain long.md >"$TMP/show"
same "kb show without --width: a code line whole, for copying" "$(grep -c -- "^ *$CMD\$" "$TMP/show")" 1
for w in 30 41 60; do
	"$KB" show --db "$TMP/wide.db" --plain --width $w \
		a-long-directory-name/and-another-one/a-note-with-a-long-name.md#a-heading-long-enough-to-need-two-lines-at-forty-columns-wide >"$TMP/show"
	check "kb show --width $w: no line wider" test "$(wc -L <"$TMP/show")" -le $w
done
finish
