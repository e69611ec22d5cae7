#!/bin/sh
# man.sh - the man query sets against an index of the host's manual: how often the right
# page, and the right option entry, comes first, side by side with man-db's apropos, mandoc's
# apropos (installed as mapropos) and, with MANK=1, man -K. Not part of make check.
#   sh tests/eval/man.sh DB [KB]      DB: an index built with kb build --man
# tests/eval/man.tsv is the tuned set, tests/eval/held-out/man.tsv the held-out one (never
# tuned on), reported apart. mandoc's apropos needs its own database: the first run hard-links
# the manual into MANDOC_TREE (copies it if that fails) and runs makewhatis there.
DB=${1:?usage: man.sh DB [KB]}
KB=${2:-build/kb}
MANDIR=${MANDIR:-/usr/share/man}
MANDOC_TREE=${MANDOC_TREE:-build/eval/mandoc-tree}
tab=$(printf '\t')

if command -v mapropos >/dev/null 2>&1 && command -v makewhatis >/dev/null 2>&1; then
	if [ ! -f "$MANDOC_TREE/mandoc.db" ]; then
		rm -rf "$MANDOC_TREE" && mkdir -p "$(dirname "$MANDOC_TREE")"
		cp -al "$MANDIR" "$MANDOC_TREE" 2>/dev/null || cp -R "$MANDIR" "$MANDOC_TREE"
		makewhatis "$MANDOC_TREE" 2>/dev/null
	fi
	MAPROPOS=1
fi

# names WANT: the page names of the right answers, one a line ("man:ls(1)|man:dir(1)#x" ->
# ls, dir).
names() { printf '%s\n' "$1" | tr '|' '\n' | sed 's/#.*//; s/^man://; s/(.*//'; }
# named NAMES LIST: whether a name of LIST (space or comma separated) is one of NAMES.
named() {
	for a in $(printf '%s' "$2" | tr ',' ' '); do
		printf '%s\n' "$1" | grep -qxF -- "$a" && return 0
	done
	return 1
}

# run FILE LABEL: each query of FILE through kb and the baselines; prints the misses and one
# summary per system.
run() {
	n=0 page=0 entry=0 nentry=0 apr=0 mapr=0 mank=0
	while IFS=$tab read -r kind want query; do
		case $kind in '#'* | '') continue ;; esac
		n=$((n + 1))
		# shellcheck disable=SC2086 # the query's words as separate arguments, as typed
		got=$("$KB" search --db "$DB" -n 1 -- $query 2>/dev/null | cut -f1)
		gotpage=${got%%#*} ok_page=0 ok_entry=-
		old=$IFS; IFS='|'
		for w in $want; do
			[ "$gotpage" = "${w%%#*}" ] && ok_page=1
			case $w in *'#'*) ok_entry=0 ;; esac
		done
		for w in $want; do case $w in *'#'*) [ "$got" = "$w" ] && ok_entry=1 ;; esac; done
		IFS=$old
		page=$((page + ok_page))
		[ "$ok_entry" != - ] && nentry=$((nentry + 1)) && entry=$((entry + ok_entry))
		want_names=$(names "$want")
		# the baselines, each given the query's words, all of which must match: the first
		# page they list counts (apropos lists by name; mandoc's lists a page's names)
		# shellcheck disable=SC2086
		a=$(apropos -a -- $query 2>/dev/null | head -n 1 | cut -d' ' -f1)
		named "$want_names" "$a" && apr=$((apr + 1))
		if [ -n "${MAPROPOS:-}" ]; then
			expr=$(printf '%s\n' $query | sed '1!s/^/-a\n/')
			# shellcheck disable=SC2086
			a=$(IFS='
'; mapropos -M "$MANDOC_TREE" -- $expr 2>/dev/null | head -n 1 | sed 's/(.*//')
			named "$want_names" "$a" && mapr=$((mapr + 1))
		fi
		if [ -n "${MANK:-}" ]; then
			k=$(timeout 20 man -K -w -- "$query" 2>/dev/null | head -n 1)
			k=${k##*/}
			named "$want_names" "${k%%.*}" && mank=$((mank + 1))
		fi
		[ "$ok_page" = 1 ] && [ "$ok_entry" != 0 ] || printf 'miss\t%s\t%s\t%s\n' "$kind" "$query" "$got"
	done <"$1"
	echo "$2 queries: $n"
	echo "  kb: right page first $page/$n; right entry first $entry/$nentry (queries that name one)"
	echo "  apropos (man-db): right page first $apr/$n"
	[ -n "${MAPROPOS:-}" ] && echo "  apropos (mandoc): right page first $mapr/$n"
	[ -n "${MANK:-}" ] && echo "  man -K: right page first $mank/$n"
	return 0
}

run tests/eval/man.tsv tuned
[ -f tests/eval/held-out/man.tsv ] && run tests/eval/held-out/man.tsv held-out
exit 0
