#!/bin/sh
# cli.test.sh - kb build, search, show and friends on the user's notes and on broken trees.
. tests/lib.sh
DB=$TMP/kb.db

# ---- building the user's notes ---------------------------------------------------------
status 0 "$KB" build --db "$DB" kb
contains "build summary" "$TMP/err" "11 entries from 1 notes"
check "no temporary file left beside the index" test -z "$(ls "$TMP" | grep tmp-)"
same "the index records each note's format and source" \
	"$(sqlite3 "$DB" "SELECT DISTINCT format || '/' || source FROM notes")" "markdown/notes"
"$KB" check kb >"$TMP/check.txt" 2>&1
golden "how kb reads the seed" tests/compile/seed.expected "$TMP/check.txt"
same "11 entries" "$("$KB" check --json kb | grep -c '^{"id"')" 11

# ---- exact error strings find their entry first ----------------------------------------
same "MANIFEST_UNKNOWN" "$(first_id MANIFEST_UNKNOWN)" "paas/deployment-issues.md#2"
same "ImagePullBackOff" "$(first_id ImagePullBackOff)" "paas/deployment-issues.md#9"
same "USER_OR_PWD_ERR" "$(first_id USER_OR_PWD_ERR)" "paas/deployment-issues.md#8"
same "Storage Cluster is not available" "$(first_id Storage Cluster is not available)" "paas/deployment-issues.md#11"
same "toolbox.swr.bin.failReason" "$(first_id toolbox.swr.bin.failReason)" "paas/deployment-issues.md#2"
same "quoted phrase" "$(first_id '"Connection refused"')" "paas/deployment-issues.md#5"
same "Chinese word inside a longer run" "$(first_id 租户)" "paas/deployment-issues.md#8"

# ---- whatever is typed: hits or none, never an SQL or FTS5 error -------------------------
for q in 'OPS-306' 'device AND' '"' '*' '(' ')' 'a"b' 'NOT' 'OR' 'AND' '-' '-docker' 'docker -' \
	'NEAR(a b)' '{title}:x' 'title:redis' '^redis' '"unbalanced phrase' 'redis OR' 'OR redis' \
	'*redis' 'red*is' '::' "it's" '\' '%' '_' '；' '镜*' 'component:' 'symptom:' \
	'Could not connect to Redis at [2001:db8::5]:6379: Connection refused' \
	"$(printf 'line one\nERROR: line two')"; do
	status '0|1' "$KB" search --db "$DB" -- "$q"
	lacks "no SQL error for [$q]" "$TMP/err" "fts5"
	lacks "no SQL error for [$q]" "$TMP/err" "syntax"
done

# ---- output formats ----------------------------------------------------------------------
"$KB" search --db "$DB" redis >"$TMP/plain"
check "piped output is tab-separated: id, title, components, snippet" \
	awk -F'\t' 'NF != 4 { exit 1 }' "$TMP/plain"
"$KB" search --db "$DB" --json redis >"$TMP/json"
for field in '"id":' '"path":"paas/deployment-issues.md"' '"line":' '"title":' '"components":[' '"score":' '"snippet":'; do
	contains "json has $field" "$TMP/json" "$field"
done
same "one JSON object per line" "$(grep -vc '^{.*}$' "$TMP/json")" 0
status 1 "$KB" search --db "$DB" zzzznothinglikethis
status 2 "$KB" search --db "$TMP/missing.db" redis
contains "missing index says how to build one" "$TMP/err" "kb build"

# ---- kb show ----------------------------------------------------------------------------
status 0 "$KB" show --db "$DB" "paas/deployment-issues.md#5"
contains "show prints the entry" "$TMP/out" "Could not connect to Redis"
status 1 "$KB" show --db "$DB" "paas/deployment-issues.md#99"
contains "unknown id is named" "$TMP/err" "no entry"

# ---- progress on a terminal only; a non-UTF-8 locale stays readable ------------------------
script -qec "$KB build --db $TMP/tty.db kb" /dev/null >"$TMP/tty.out" 2>&1
contains "progress on a terminal" "$TMP/tty.out" "reading notes 1/1"
"$KB" build --db "$TMP/pipe.db" kb 2>"$TMP/pipe.err"
lacks "no progress when piped" "$TMP/pipe.err" "reading notes"
LC_ALL=C "$KB" show --db "$DB" --width 40 "paas/deployment-issues.md#2" >"$TMP/c-locale"
contains "C locale: an ASCII quote bar, ASCII text" "$TMP/c-locale" "| <U+6B64><U+5904>"
lacks "C locale: no box drawing" "$TMP/c-locale" "│"
LC_ALL=C.UTF-8 "$KB" show --db "$DB" --width 40 "paas/deployment-issues.md#2" >"$TMP/utf8-locale"
contains "UTF-8 locale: a box-drawing quote bar" "$TMP/utf8-locale" "│ 此处没有理解具体原理"

# ---- help and version ---------------------------------------------------------------------
status 0 "$KB" --help
status 0 "$KB" help search
contains "help search shows the syntax" "$TMP/out" "component:NAME"
status 0 "$KB" --version
contains "version names SQLite" "$TMP/out" "SQLite"
status 2 "$KB" frobnicate
status 2 "$KB" search

# ---- a tree with bad notes: every good note is still indexed ----------------------------
BAD=$TMP/bad
mkdir -p "$BAD/ops" "$BAD/db"
printf '# Disk full\n\nENOSPC: no space left on device\n' >"$BAD/ops/disk.md"
printf 'binary\000data\n' >"$BAD/ops/blob.md"
printf '# GBK\n\n\264\355\316\363\n' >"$BAD/db/gbk.md"
: >"$BAD/db/empty.md"
printf -- '---\ntitle: [unclosed\n---\n# Lock wait timeout\n\nERROR 1205 (HY000): Lock wait timeout exceeded\n' >"$BAD/db/lock.md"
status 1 "$KB" build --db "$TMP/bad.db" "$BAD"
contains "binary file named with its line" "$TMP/err" "kb: ops/blob.md:1:7: error: binary (a NUL byte); skipped"
contains "non-UTF-8 file named with its line" "$TMP/err" "kb: db/gbk.md:3:1: error: not valid UTF-8"
contains "empty file named" "$TMP/err" "kb: db/empty.md: error: empty note"
contains "YAML error named with its lines" "$TMP/err" "kb: db/lock.md:3:1: warning: front matter is not valid YAML; the note is indexed from its markdown: did not find expected ',' or ']' while parsing a flow sequence at line 2"
DB=$TMP/bad.db
same "good note indexed" "$(first_id ENOSPC)" "ops/disk.md"
same "note with bad front matter indexed from its markdown" "$(first_id Lock wait timeout)" "db/lock.md"

# ---- incremental builds, stable ids, atomic replacement ----------------------------------
INC=$TMP/inc
mkdir -p "$INC"
cp -r kb/. "$INC/"
"$KB" build --db "$TMP/inc.db" "$INC" 2>/dev/null
DB=$TMP/inc.db
status 0 "$KB" debug verify --db "$DB"
contains "a full build's index is whole and agrees with itself" "$TMP/out" "ok"
cp "$DB" "$TMP/noidx.db"
sqlite3 "$TMP/noidx.db" "DROP INDEX symptoms_sig"
status 2 "$KB" debug verify --db "$TMP/noidx.db"
contains "kb debug verify finds a missing index" "$TMP/err" "it has no index symptoms_sig"
# a note is found by its path through notes.pkey: a wrong one hides it, and verify says so
cp "$DB" "$TMP/badkey.db"
note1=$(sqlite3 "$DB" "SELECT path FROM notes ORDER BY path LIMIT 1")
id1=$("$KB" debug ids --db "$DB" | grep -F "$note1#" | head -n 1)
sqlite3 "$TMP/badkey.db" "UPDATE notes SET pkey = pkey + 1 WHERE path = '$note1'"
status 0 "$KB" show --db "$DB" "$id1"
check "kb show shows an entry" test -s "$TMP/out"
status 1 "$KB" show --db "$TMP/badkey.db" "$id1"
check "an entry of a note under the wrong key is not found" test ! -s "$TMP/out"
status 2 "$KB" debug verify --db "$TMP/badkey.db"
contains "kb debug verify finds a note under the wrong key" "$TMP/err" "the note $note1 is filed under the wrong key"
cp "$DB" "$TMP/twice.db"
sqlite3 "$TMP/twice.db" "INSERT INTO notes(path, pkey, size, mtime, hash, compiled, title, format, source, first, last)
	SELECT path, pkey, size, mtime, hash, compiled, title, format, source, 1, 0 FROM notes WHERE path = '$note1'"
status 2 "$KB" debug verify --db "$TMP/twice.db"
contains "kb debug verify finds a note twice" "$TMP/err" "the note $note1 is in the index twice"
# an old index whose entries' row numbers are used up (SQLite then picks them at random):
# the build stops with what to do, and the old index stays as it was
mkdir -p "$TMP/used"
cp -r kb/. "$TMP/used/"
"$KB" build -q --db "$TMP/used.db" "$TMP/used" 2>/dev/null
sqlite3 "$TMP/used.db" "INSERT INTO entries(rowid, note, line, end_line, components, at, len, back, body)
	SELECT 9223372036854775807, note, line, end_line, components, at, len, 0, body FROM entries
	WHERE body IS NOT NULL LIMIT 1"
printf '\nchecked again\n' >>"$TMP/used/$note1"
status 2 "$KB" build --db "$TMP/used.db" "$TMP/used"
contains "row numbers used up: said, with what to do" "$TMP/err" "row numbers are used up; rebuild it with kb build --full"
status 0 "$KB" search --db "$TMP/used.db" -n 1 ImagePullBackOff
contains "and the old index still answers" "$TMP/out" "$note1"
status 0 "$KB" build --full --db "$TMP/used.db" "$TMP/used"
# a note's entries are a range of rows, and an entry's body is in a pack of its own note
cp "$DB" "$TMP/range.db"
sqlite3 "$TMP/range.db" "UPDATE notes SET last = first - 1 WHERE path = '$note1'"
status 2 "$KB" debug verify --db "$TMP/range.db"
contains "kb debug verify finds an entry outside its note's rows" "$TMP/err" "the note $note1 has entries outside its rows"
status 1 "$KB" show --db "$TMP/range.db" "$id1"
cp "$DB" "$TMP/pack.db"
sqlite3 "$TMP/pack.db" "UPDATE entries SET body = NULL, back = 0 WHERE note = (SELECT id FROM notes WHERE path = '$note1')"
status 2 "$KB" debug verify --db "$TMP/pack.db"
contains "kb debug verify finds a body in no pack" "$TMP/err" "the note $note1 has an entry whose text is in no pack"
"$KB" search --db "$DB" -n 0 --json 部署 | sed 's/,"score".*//' | sort >"$TMP/ids1"
status 0 "$KB" build --db "$TMP/inc.db" "$INC"
contains "unchanged note not recompiled" "$TMP/err" "(0 compiled, 1 unchanged"
"$KB" search --db "$DB" -n 0 --json 部署 | sed 's/,"score".*//' | sort >"$TMP/ids2"
check "ids stable across a rebuild" cmp -s "$TMP/ids1" "$TMP/ids2"
printf '# Kernel panic\n\nKernel panic - not syncing: VFS: Unable to mount root fs\n' >"$INC/boot.md"
status 0 "$KB" build --db "$TMP/inc.db" "$INC"
contains "new note compiled alone" "$TMP/err" "(1 compiled, 1 unchanged"
same "new note found" "$(first_id Kernel panic)" "boot.md"
rm "$INC/boot.md"
status 0 "$KB" build --db "$TMP/inc.db" "$INC"
contains "deleted note removed" "$TMP/err" "1 removed"
status 1 "$KB" search --db "$DB" "Kernel panic"
ino=$(stat -c %i "$DB")
status 0 "$KB" build --db "$TMP/inc.db" "$INC"
same "nothing changed: the index file is left as it is" "$(stat -c %i "$DB")" "$ino"
# most notes deleted: the index drops their words, as a build from nothing would
mkdir -p "$TMP/many"
i=0; while [ $i -lt 300 ]; do
	{ printf '# Note %d\n\n' $i; j=0; while [ $j -lt 40 ]; do printf 'word%d_%d text%d ' $i $j $j; j=$((j + 1)); done; echo; } >"$TMP/many/n$i.md"
	i=$((i + 1))
done
"$KB" build -q --db "$TMP/many.db" "$TMP/many"
rm "$TMP"/many/n1*.md "$TMP"/many/n2*.md "$TMP"/many/n3*.md "$TMP"/many/n4*.md "$TMP"/many/n5*.md "$TMP"/many/n6*.md "$TMP"/many/n7*.md "$TMP"/many/n8*.md
"$KB" build -q --db "$TMP/many.db" "$TMP/many"
"$KB" build -q --db "$TMP/fresh.db" "$TMP/many"
check "an index whose notes were mostly deleted is no larger than half again a fresh one" \
	sh -c "[ \$(stat -c %s '$TMP/many.db') -le \$(( \$(stat -c %s '$TMP/fresh.db') * 3 / 2 )) ]"
# a linked file is stored, and stored again when it changes (even with no note changed)
mkdir -p "$INC/paas/resource"
printf '#!/bin/sh\necho recover v1\n' >"$INC/paas/resource/cluster_recovery.sh"
status 0 "$KB" build --db "$TMP/inc.db" "$INC"
status 0 "$KB" show --db "$DB" paas/resource/cluster_recovery.sh
contains "kb show prints a linked file" "$TMP/out" "echo recover v1"
printf '#!/bin/sh\necho recover v2 \033[2J\n' >"$INC/paas/resource/cluster_recovery.sh"
status 0 "$KB" build --db "$TMP/inc.db" "$INC"
status 0 "$KB" show --db "$DB" paas/resource/cluster_recovery.sh
contains "a changed linked file is stored again" "$TMP/out" "echo recover v2 ^[[2J"
"$KB" show --db "$DB" --plain "paas/deployment-issues.md#4" >"$TMP/four"
lacks "the link is no longer missing" "$TMP/four" "(missing)"
status 0 "$KB" debug verify --db "$DB"
contains "after incremental builds the full-text index agrees with the entries" "$TMP/out" "ok"
# ---- a full build leaves its index compact ----------------------------------------------
# 1000 notes of 1-3 entries with error lines, links and components: FTS5's index is one
# segment, the tables keyed by entry fill their leaf pages, the file has no free page.
BIG=$TMP/big
mkdir -p "$BIG"
printf 'redis:\n  - redis\ndocker:\n  - docker\nmysql:\n  - mysql\n' >"$BIG/components.yaml"
awk -v dir="$BIG" 'BEGIN {
	for (i = 0; i < 1000; i++) {
		f = dir "/n" i ".md"
		printf "# Note %d\n\n## 1. redis on node-%d\n\n```\nERROR: connection to 10.0.%d.1:6379 refused (attempt %d)\n```\n", i, i, i % 250, i >f
		printf "\nSee [a](guide-%d.md), [b](ops/b-%d.md) and [c](c-%d.md#x). docker mysql `Err%dFailed`.\n", i, i, i, i >f
		if (i % 2 == 0)
			printf "\n## 2. docker %d\n\n`MANIFEST_UNKNOWN` then \"timeout after %ds\"; 镜像拉取失败%d, [d](d-%d.md) redis\n", i, i, i, i >f
		if (i % 3 == 0)
			printf "\n## 3. both %d\n\nredis docker mysql: could not resolve host-%d [e](e-%d.md)\n", i, i, i >f
		close(f)
	}
}'
status 0 "$KB" build --db "$TMP/big.db" "$BIG"
same "the build's FTS5 index is one segment" "$(sqlite3 "$TMP/big.db" 'SELECT count(DISTINCT segid) FROM fts_idx')" 1
same "no free pages after a full build" "$(sqlite3 "$TMP/big.db" 'PRAGMA freelist_count')" 0
for t in symptoms entry_components entry_links; do
	fill=$(sqlite3 "$TMP/big.db" "SELECT CAST(100 * sum(pgsize - unused) / sum(pgsize) AS INT), count(*)
		FROM dbstat WHERE name = '$t' AND pagetype = 'leaf'")
	check "$t: 5 leaf pages or more, 88% full or more ($fill)" test "${fill%|*}" -ge 88 -a "${fill#*|}" -ge 5
done
# FTS5's segment sits on level 1 (an empty level 0 and one level holding one segment), so
# that the segments later builds add are merged without it: after nine one-note rebuilds
# (the eighth used to merge the whole index) its leaves are as the full build wrote them.
same "the full build's segment is on level 1" \
	"$(sqlite3 "$TMP/big.db" "SELECT substr(hex(block), 9, 4) || '|' || substr(hex(block), 15, 8) FROM fts_data WHERE id = 10")" "0201|00000001"
leaves() { sqlite3 "$TMP/big.db" "SELECT count(*), sum(length(block)), group_concat(id) FROM fts_data WHERE id >= (1 << 37) AND id < (2 << 37)" | cksum; }
before=$(leaves)
for i in 1 2 3 4 5 6 7 8 9; do
	printf '\nedited %d\n' $i >>"$BIG/n$i.md"
	"$KB" build -q --db "$TMP/big.db" "$BIG" || fail "rebuild $i"
done
same "nine one-note rebuilds leave the full build's segment alone" "$(leaves)" "$before"
status 0 "$KB" debug verify --db "$TMP/big.db"
same "a search on it" "$("$KB" search --db "$TMP/big.db" -n 1 Err123Failed 2>/dev/null | cut -f1)" "n123.md#1-redis-on-node-123"

# Notes the page cache does not hold are asked of the disk ahead of compiling them (build.c:
# read_ahead); notes it holds are just read. The index is the same either way.
status 0 "$KB" build -v --db "$TMP/warm.db" "$BIG"
lacks "notes in the page cache: nothing read ahead" "$TMP/err" "read ahead"
EVICT=${BUILD_DIR:-build}/kbevict
if [ ! -x "$EVICT" ]; then
	echo "note: $EVICT not built: the reading-ahead check skipped (counted as passed)"
	pass
elif "$EVICT" "$BIG"/*.md; then
	status 0 "$KB" build -v --db "$TMP/cold.db" "$BIG"
	contains "a full build reads ahead the notes not in the page cache" "$TMP/err" "notes not in the page cache:"
	same "the same index from notes read ahead" \
		"$("$KB" search --db "$TMP/cold.db" --json -n 0 redis | cksum)" "$("$KB" search --db "$TMP/warm.db" --json -n 0 redis | cksum)"
	same "the same entries" "$(sqlite3 "$TMP/cold.db" "SELECT count(*), sum(length(body)) FROM entries")" \
		"$(sqlite3 "$TMP/warm.db" "SELECT count(*), sum(length(body)) FROM entries")"
	# an incremental build trains nothing: the worker alone reads ahead, from the third note
	for f in "$BIG"/*.md; do printf '\nchecked again\n' >>"$f"; done
	"$EVICT" "$BIG"/*.md
	status 0 "$KB" build -v --db "$TMP/cold.db" "$BIG"
	contains "an incremental build reads ahead the notes it has to read" "$TMP/err" \
		"1000 compiled, 0 unchanged"
	# how many had to wait depends on the disk and on the machine's load (a note asked for
	# may still be on its way, or long arrived when a busy worker gets to it); how many were
	# asked does not, beyond the page cache taking some back in meanwhile
	check "all but the first two asked for" grep -qE \
		"notes not in the page cache: [0-9]+ waited for, (99[0-8]|9[0-8][0-9]) asked of the disk ahead" "$TMP/err"
	status 0 "$KB" debug verify --db "$TMP/cold.db"
else
	echo "note: this file system keeps files in memory: the reading-ahead check skipped (counted as passed)"
	pass
fi

cp "$DB" "$TMP/before.db"
status 2 "$KB" build --db "$DB" "$TMP/no-such-dir"
check "a failed build leaves the index untouched" cmp -s "$DB" "$TMP/before.db"

# ---- index faults: clear messages, never a crash -------------------------------------------
head -c 5000 /dev/urandom >"$TMP/garbage.db"
status 2 "$KB" search --db "$TMP/garbage.db" redis
contains "garbage index is named" "$TMP/err" "not a kb index"
cp "$TMP/inc.db" "$TMP/old.db"
sqlite3 "$TMP/old.db" "UPDATE meta SET value = '0' WHERE key = 'schema'"
status 2 "$KB" search --db "$TMP/old.db" redis
contains "old schema gets a clear message" "$TMP/err" "rebuild it with kb build"

finish
