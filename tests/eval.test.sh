#!/bin/sh
# eval.test.sh - a cheap, corpus-independent check of the `make eval` harness: the query
# files are well formed, the seed's expected entries exist, and the scoring ranks right.
. tests/lib.sh
E=tests/eval

# ---- query files ---------------------------------------------------------------------------
for f in $E/seed.tsv $E/tldr.tsv $E/k8s-docs.tsv $E/tidb-docs-cn.tsv $E/held-out/*.tsv; do
	[ "${f##*/}" = man.tsv ] && continue
	check "$f: kind<TAB>expected<TAB>query, known kinds" awk -F'\t' '
		/^#/ || NF == 0 { next }
		NF != 3 || $1 !~ /^(english|chinese|mixed|error|pasted)(\/[a-z]+)?$/ || $2 == "" || $3 == "" {
			printf "    %s:%d: %s\n", FILENAME, FNR, $0; bad = 1 }
		END { exit bad }' "$f"
done
# the man sets (man.sh): their own kinds, every expected answer a man: id
for f in $E/man.tsv $E/held-out/man.tsv; do
	check "$f: kind<TAB>man:id[|man:id]<TAB>query, known kinds" awk -F'\t' '
		/^#/ || NF == 0 { next }
		NF != 3 || $1 !~ /^(option|config|errno|diag|task)$/ || $2 !~ /^man:[^|]+\([0-9a-z]+\)/ || $3 == "" {
			printf "    %s:%d: %s\n", FILENAME, FNR, $0; bad = 1 }
		END { exit bad }' "$f"
done
"$KB" check --json kb | sed -n 's/^{"id":"\([^"]*\)".*/\1/p' >"$TMP/ids"
check "the seed has 11 entries" test "$(grep -c '' "$TMP/ids")" -eq 11
awk -F'\t' '!/^#/ && NF { n = split($2, e, "|"); for (i = 1; i <= n; i++) print e[i] }' $E/seed.tsv |
	sort -u >"$TMP/want"
same "every expected seed entry exists" "$(grep -vxFf "$TMP/ids" "$TMP/want")" ""
for q in 'Could not connect to Redis at [2001:db8::5]:6379: Connection refused' \
	'failed product [umebn-foo-bar] , reason = service foo-bar : Deploy service timeout over 7 Min, Error: ImagePullBackOff' \
	'post create persistentvolume [data-vol]  to PaaS fail, cause by {"message":"Storage Cluster is not available, Please connect Administrator!"}' \
	'Exception: getAcceccToken error {"code":"USER_OR_PWD_ERR","message":"username or password error"}' \
	'<title>404 Not Found</title>\n<h1>Not Found</h1>'; do
	contains "mandatory seed case" $E/seed.tsv "$q"
done

# ---- scoring: first occurrence per document, "|" alternatives, grep ranked by path --------
printf 'error\ta.md|c.md\nenglish\tz.md\n' >"$TMP/meta"
printf 'one\\ntwo\nthree\n' >"$TMP/q"
printf '@@ 1 900 1200 0\n{"id":"b.md#x","path":"b.md"}\n{"id":"b.md#y","path":"b.md"}\n{"id":"c.md","path":"c.md"}\n@@ 2 800 800 1\n' >"$TMP/kb"
printf '@@ 1\nc.md\n@@ 2\nz.md\n' >"$TMP/fts5"
printf '@@ 1 10 10 0\nd.md\n./c.md\nb.md\n@@ 2 10 10 1\n' >"$TMP/grep"
awk -f $E/lib.awk -f $E/score.awk -v unit=file "$TMP/meta" "$TMP/q" "$TMP/kb" "$TMP/fts5" "$TMP/grep" >"$TMP/res"
same "ranks of query 1 (kb fts5 grep)" "$(sed -n 1p "$TMP/res" | cut -f3-5)" "$(printf '2\t1\t2')"
same "ranks of query 2 (kb fts5 grep)" "$(sed -n 2p "$TMP/res" | cut -f3-5)" "$(printf -- '-\t1\t-')"
same "kb's top documents, deduplicated" "$(sed -n 1p "$TMP/res" | cut -f11)" "b.md | c.md"

# ---- the FTS5 baseline quotes every word -------------------------------------------------
printf 'it'"'"'s "x" a:b\n' | awk -f $E/lib.awk -f $E/fts5.awk -v nhits=5 >"$TMP/sql"
contains "words quoted and ANDed, quotes doubled" "$TMP/sql" "MATCH '\"it''s\" \"\"\"x\"\"\" \"a:b\"'"

# ---- the report --------------------------------------------------------------------------
echo "seed 2 built built 3 0" >"$TMP/run.info"
cp "$TMP/res" "$TMP/seed.results"
echo "0 2 entries" >"$TMP/seed.kb.build"; echo "0 2 files" >"$TMP/seed.fts5.build"
sh $E/report.sh "$TMP" --misses >"$TMP/report" 2>&1
contains "report has the table" "$TMP/report" "seed          error       1    0.00  1.00"
contains "report lists the misses" "$TMP/report" "[seed english] kb -, fts5 1, grep -"
# kind/class lines, held-out results apart, and the confidently wrong rate
printf 'english/typo\tz.md\t-\t1\t-\t10\t10\t0\t10\tq\ta.md | b.md\n' >"$TMP/x.results"
printf 'english/typo\tz.md\t1\t1\t-\t10\t10\t0\t10\tq\tz.md\n' >"$TMP/x.held.results"
printf 'x 1 built built 3 0\nx.held 1 built built 3 0\n' >"$TMP/run.info"
for f in x x.held; do echo "0 1 entries" >"$TMP/$f.kb.build"; echo "0 1 files" >"$TMP/$f.fts5.build"; done
sh $E/report.sh "$TMP" >"$TMP/report2" 2>&1
contains "the kind without its class" "$TMP/report2" "x             english     1    0.00  0.00"
contains "confidently wrong: a wrong first hit, the right one not in five" "$TMP/report2" "confidently wrong (first hit wrong, right document not in the first five): 1 of 1 (1.00)"
contains "held-out queries apart" "$TMP/report2" "HELD-OUT      english     1    1.00  1.00"
contains "by class" "$TMP/report2" "typo                      1    0.00  0.00"
finish
