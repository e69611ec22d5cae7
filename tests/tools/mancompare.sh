#!/bin/sh
# mancompare.sh - the words kb man shows against the words mandoc shows, page by page: what a
# reader of kb's rendering gets that man would not show (a "0" of .PD 0, a macro's argument),
# and what mandoc shows that kb drops. Not part of make check: an audit, run by hand.
#   sh tests/tools/mancompare.sh DB MANDIR [KB] > report
# DB: an index built with kb build --man=MANDIR. Words are lowercased runs of letters, digits
# and '_', so that punctuation, quotes, hyphenation and line breaks differ freely; mandoc's
# header and footer lines and kb's title line and link list are left out. Prints one line a
# page that differs ("PAGE<tab>kb: w w ...<tab>mandoc: w w ..."), then the words that differ
# on the most pages and the totals. Known differences that remain: kb folds code lines wider
# than --width (a word cut in two), and shows invisible characters (U+200E) visibly.
DB=${1:?usage: mancompare.sh DB MANDIR [KB]}
MANDIR=${2:?usage: mancompare.sh DB MANDIR [KB]}
KB=${3:-build/kb}
export LC_ALL=C.UTF-8
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
esc=$(printf '\033')

# words: one lowercased word a line
words() { grep -oE '[[:alnum:]_]+' | tr '[:upper:]' '[:lower:]'; }

# kb_text SECTION NAME: the page as kb man shows it, without its title line and link list
kb_text() {
	"$KB" man --db "$DB" --color=always --width 200 "$1" "$2" 2>/dev/null |
		sed "s/${esc}\[2m\[[0-9]*\] *${esc}\[0m//g; s/${esc}\[[0-9;]*m//g" |
		awk 'NR > 1 { line[++n] = $0 }
		     END { end = n
		           for (i = n; i > 0; i--) if (line[i] == "References") break
		           if (i > 0) { ok = 1
		                        for (j = i + 1; j <= n; j++)
		                            if (line[j] != "" && line[j] !~ /^\[[0-9]+\] / && line[j] !~ /^man:[^ ]+ \(missing\)$/)
		                                ok = 0
		                        if (ok) end = i - 1 }
		           for (i = 1; i <= end; i++) print line[i] }'
}

# mandoc_text FILE: the page as mandoc shows it, without header, footer and the NAME heading
mandoc_text() {
	zcat -f "$1" | mandoc -T utf8 -O width=300 2>/dev/null | col -b |
		awk '{ line[++n] = $0; if ($0 ~ /[^ \t]/) { if (!first) first = n; last = n } }
		     END { named = 0
		           for (i = first + 1; i < last; i++) {
		               if (!named && line[i] ~ /[^ \t]/) { named = 1; if (line[i] !~ /^[ \t]/) continue }
		               print line[i] } }'
}

: >"$tmp/all"
find "$MANDIR"/man* -type f | sort | while read -r f; do
	base=${f##*/}
	base=${base%.gz}
	name=${base%.*}
	sec=${base##*.}
	# a .so stub is an alias kb indexes under its target
	if [ "$(zcat -f "$f" | head -c 4096 | grep -c .)" -le 2 ] && zcat -f "$f" | grep -q '^\.so '; then
		continue
	fi
	kb_text "$sec" "$name" | words >"$tmp/k"
	mandoc_text "$f" | words >"$tmp/m"
	awk -v page="$name($sec)" '
		FNR == NR { k[$0]++; next }
		{ m[$0]++ }
		END { for (w in k) if (k[w] > m[w]) { kb = kb " " w; nk += k[w] - m[w]; print "K", w > "/dev/stderr" }
		      for (w in m) if (m[w] > k[w]) { md = md " " w; nm += m[w] - k[w]; print "M", w > "/dev/stderr" }
		      if (nk || nm) printf "%s\tkb:%s\tmandoc:%s\n", page, kb, md
		      printf "T %d %d\n", nk, nm > "/dev/stderr" }' "$tmp/k" "$tmp/m" 2>>"$tmp/all"
done
echo
echo "words only kb shows, on the most pages:"
grep '^K ' "$tmp/all" | sort | uniq -c | sort -rn | head -20
echo "words only mandoc shows, on the most pages:"
grep '^M ' "$tmp/all" | sort | uniq -c | sort -rn | head -20
awk '$1 == "T" { pages++; if ($2) pk++; if ($3) pm++; tk += $2; tm += $3 }
     END { printf "%d pages: %d with words only kb shows (%d words), %d with words only mandoc shows (%d words)\n",
                  pages, pk, tk, pm, tm }' "$tmp/all"
