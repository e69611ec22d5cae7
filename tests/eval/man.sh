#!/bin/sh
# man.sh - the man query set (man.tsv) against an index of the host's manual: how often the
# right page, and the right option entry, comes first, side by side with man-db's apropos
# and man -K and, when installed as mapropos, mandoc's apropos. Not part of make check.
#   sh tests/eval/man.sh DB [KB]      DB: an index built with kb build --man
DB=${1:?usage: man.sh DB [KB]}
KB=${2:-build/kb}
Q=tests/eval/man.tsv
tab=$(printf '\t')
n=0 page=0 entry=0 nentry=0 apr=0 mank=0
while IFS=$tab read -r kind want query; do
	case $kind in '#'* | '') continue ;; esac
	n=$((n + 1))
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
	# apropos: the first name it prints; man -K: the first page it finds (both by words)
	first_want=$(printf '%s' "${want%%|*}" | sed 's/#.*//; s/^man://; s/(.*//')
	a=$(apropos -- "$query" 2>/dev/null | head -n 1 | cut -d' ' -f1)
	[ "$a" = "$first_want" ] && apr=$((apr + 1))
	if [ -n "${MANK:-}" ]; then
		k=$(timeout 20 man -K -w -- "$query" 2>/dev/null | head -n 1)
		case $k in */"$first_want".*) mank=$((mank + 1)) ;; esac
	fi
	[ "$ok_page" = 1 ] && [ "$ok_entry" != 0 ] || printf 'miss\t%s\t%s\t%s\n' "$kind" "$query" "$got"
done <"$Q"
echo "queries: $n"
echo "kb: right page first $page/$n; right entry first $entry/$nentry (queries that name one)"
echo "apropos: right page first $apr/$n"
[ -n "${MANK:-}" ] && echo "man -K: right page first $mank/$n"
exit 0
