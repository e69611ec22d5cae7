#!/bin/sh
# search.test.sh - finding the fix: pasted error lines, logs, Chinese words, browsing data.
. tests/lib.sh
DB=$TMP/kb.db
"$KB" build -q --db "$DB" kb

# ---- the seed's pasted error lines, with their own addresses, names and counts -----------
same "redis over IPv6" "$(first_id 'Could not connect to Redis at [2001:db8::5]:6379: Connection refused')" \
	"paas/deployment-issues.md#5"
same "image pull back-off" "$(first_id 'failed product [umebn-foo-bar] , reason = service foo-bar : Deploy service timeout over 7 Min, Error: ImagePullBackOff')" \
	"paas/deployment-issues.md#9"
same "storage cluster" "$(first_id 'post create persistentvolume [data-vol]  to PaaS fail, cause by {"message":"Storage Cluster is not available, Please connect Administrator!"}')" \
	"paas/deployment-issues.md#11"
same "tenant token" "$(first_id 'Exception: getAcceccToken error {"code":"USER_OR_PWD_ERR","message":"username or password error"}')" \
	"paas/deployment-issues.md#8"
cat >"$TMP/404.html" <<'EOF'
<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<title>404 Not Found</title>
<h1>Not Found</h1>
<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>
EOF
same "a pasted 404 page" "$(first_id "$(cat "$TMP/404.html")")" "paas/deployment-issues.md#3"
same "IPv4 instead of IPv6" "$(first_id 'Could not connect to Redis at 10.20.30.40:6380: Connection refused')" \
	"paas/deployment-issues.md#5"

# A pasted line's word search leaves out its variable parts (an address, a count), which no
# note holds as pasted: the note with all its other words is found as such, not as one with
# some of them (and FTS5 is not asked for every entry holding the address's numbers).
mkdir -p "$TMP/raft"
printf '# Raft\n\n## Quorum\n\nA fatal quorum lost message after many retries means a majority of the members is down: restart them one by one.\n\n## Other\n\nNothing about that here.\n' >"$TMP/raft/raft.md"
"$KB" build -q --db "$TMP/raft.db" "$TMP/raft"
status 0 "$KB" search --db "$TMP/raft.db" -- 'fatal: quorum lost on 10.9.8.7:2379 after 16 retries'
same "a pasted line's words without its address and count" "$(cut -f1 "$TMP/out")" "raft.md#quorum"
lacks "... all of them found" "$TMP/err" "no entry has all of the words"

# ---- Chinese words of one, two and more characters -----------------------------------------
same "蓝图 (blueprint)" "$("$KB" search --db "$DB" -n 0 蓝图 | cut -f1 | sort | tr '\n' ' ')" \
	"paas/deployment-issues.md#10 paas/deployment-issues.md#3 paas/deployment-issues.md#7 "
same "版本号 (version number)" "$("$KB" search --db "$DB" -n 0 版本号 | cut -f1 | sort | tr '\n' ' ')" \
	"paas/deployment-issues.md#10 paas/deployment-issues.md#5 "
same "存储集群 (storage cluster)" "$(first_id 存储集群)" "paas/deployment-issues.md#11"
same "mixed Chinese and English" "$(first_id 镜像 TAG)" "paas/deployment-issues.md#2"
same "prefix" "$(first_id 'commsrv*')" "paas/deployment-issues.md#4"
same "exclusion" "$("$KB" search --db "$DB" -n 0 蓝图 -升级 -浏览器 | cut -f1)" "paas/deployment-issues.md#10"
same "OR" "$("$KB" search --db "$DB" -n 0 ImagePullBackOff OR MANIFEST_UNKNOWN | cut -f1 | sort | tr '\n' ' ')" \
	"paas/deployment-issues.md#2 paas/deployment-issues.md#9 "
same "component filter" "$("$KB" search --db "$DB" -n 0 component:redis 脚本 | cut -f1 | sort | tr '\n' ' ')" \
	"paas/deployment-issues.md#4 "
same "options after the query, and -word as a word" "$("$KB" search 蓝图 -升级 --db "$DB" -n 5 -浏览器 | cut -f1)" \
	"paas/deployment-issues.md#10"
same "symptom filter" "$("$KB" search --db "$DB" -n 0 'symptom:"connection refused"' | cut -f1)" \
	"paas/deployment-issues.md#5"
status 0 "$KB" search --db "$DB" redis zzzznonsense
contains "fallback is announced" "$TMP/err" "no entry has all of the words"

# ---- snippets: markers become bold on a terminal and vanish when piped ----------------------
"$KB" search --db "$DB" -n 1 MANIFEST_UNKNOWN >"$TMP/piped"
check "no marker bytes when piped" sh -c "! grep -q \"\$(printf '\\002')\" '$TMP/piped'"
contains "snippet text when piped" "$TMP/piped" "MANIFEST_UNKNOWN"
"$KB" search --db "$DB" --color=always -n 1 MANIFEST_UNKNOWN >"$TMP/color"
contains "matches in bold with --color=always" "$TMP/color" "$(printf '\033[1;31mMANIFEST_UNKNOWN')"

# Chinese pairs overlap; two matched in a row (的节 for 的*, then 节点) make FTS5's
# highlighter copy the rest of the entry into the snippet: kb cuts it
mkdir -p "$TMP/cjk"
{ printf '# 调度

## 节点选择

调度器会为 Pod 选出合适的节点。'
  i=0; while [ $i -lt 60 ]; do printf '过滤阶段会检查候选项的可用资源能否满足请求。'; i=$((i + 1)); done
  printf '
'; } >"$TMP/cjk/sched.md"
"$KB" build -q --db "$TMP/cjk.db" "$TMP/cjk"
"$KB" search --db "$TMP/cjk.db" -n 1 '节点 的' >"$TMP/piped"
contains "two matched Chinese pairs in a row: the snippet around them" "$TMP/piped" "的节点"
check "... and short, not the rest of the entry" sh -c "[ \$(wc -c <'$TMP/piped') -lt 700 ]"
"$KB" search --db "$TMP/cjk.db" --color=always -n 1 '节点 的' >"$TMP/color"
contains "... marked" "$TMP/color" "$(printf '\033[1;31m的')"

# ---- kb match: logs, stack traces, journal excerpts -----------------------------------------
cat >"$TMP/app.log" <<'EOF'
2026-11-26 03:12:01 INFO starting deployment
2026-11-26 03:12:09 INFO uploading image
Traceback (most recent call last):
  File "/opt/tools/utils/tenant_tool.py", line 40, in getAcceccToken
    raise Exception('getAcceccToken error %s' % str(e.message))
Exception: getAcceccToken error {"code":"USER_OR_PWD_ERR","message":"username or password error"}
Nov 26 03:13:00 node-7 redis-cli[2211]: Could not connect to Redis at [fd00::17]:6379: Connection refused
2026-11-26 03:14:00 INFO done
EOF
status 0 "$KB" match --db "$DB" "$TMP/app.log"
head -n 1 "$TMP/out" | cut -f1 >"$TMP/first"
check "match lists an entry first" grep -q 'paas/deployment-issues.md#[58]' "$TMP/first"
contains "the tenant entry" "$TMP/out" "paas/deployment-issues.md#8"
contains "the redis entry" "$TMP/out" "paas/deployment-issues.md#5"
contains "with the log line that matched" "$TMP/out" "7: Nov 26 03:13:00 node-7"
same "each entry once" "$(grep -c '^paas/deployment-issues.md#8' "$TMP/out")" 1
"$KB" match --db "$DB" --json <"$TMP/app.log" >"$TMP/json"
contains "json lines" "$TMP/json" '"lines":[{"line":'
printf 'all good\nnothing to see\n' | "$KB" match --db "$DB" >/dev/null 2>&1
same "a quiet log matches nothing" "$?" 1

# ---- browsing data ---------------------------------------------------------------------
status 0 "$KB" components --db "$DB"
contains "components with counts" "$TMP/out" "$(printf 'redis\t2')"
contains "components with counts" "$TMP/out" "$(printf 'blueprint\t3')"
status 0 "$KB" symptoms --db "$DB"
contains "symptoms: signature, example, count" "$TMP/out" \
	"$(printf 'could not connect to redis at <ip>: connection refused\tCould not connect to Redis at IPV6ADDRESS: Connection refused\t1')"
status 0 "$KB" list --db "$DB" --component storage
same "list by component" "$(cut -f1 "$TMP/out")" "paas/deployment-issues.md#11"
status 0 "$KB" list --db "$DB" --symptom 'Could not connect to Redis at 192.168.1.5:6379: Connection refused'
same "list by a copy of a symptom" "$(cut -f1 "$TMP/out")" "paas/deployment-issues.md#5"
status 1 "$KB" list --db "$DB" --component nosuchthing
"$KB" components --db "$DB" --json >"$TMP/cj"
contains "components json" "$TMP/cj" '{"name":"redis","entries":2}'

# ---- ranking: the K best of a search are bm25's, whatever K ------------------------------
# kbrank skips the length lookup of rows that cannot be among the K best (index_rank.c):
# the first K of a search for K hits must be the first K of the search for all of them, in
# order and with the same scores (tests/unit/test_rank.c holds them to FTS5's own bm25).
# 400 notes of different lengths and word counts, so that rows are cut.
R=$TMP/rank
mkdir -p "$R"
awk 'BEGIN { for (i = 0; i < 400; i++) {
	f = sprintf("%s/n%03d.md", ARGV[1], i); printf "# Note %d\n\n", i > f
	for (j = 0; j <= (i * 7) % 53; j++) printf "filler%d ", (i + j) % 17 > f
	for (j = 0; j < i % 5; j++) printf "timeout " > f
	if (i % 3 == 0) printf "connection refused " > f
	printf "\n" > f; close(f) } }' "$R"
"$KB" build -q --db "$TMP/rank.db" "$R"
for q in timeout 'connection refused' 'filler1*' 'timeout OR refused'; do
	for k in 1 5 20; do
		"$KB" search --db "$TMP/rank.db" --json -n 0 -- "$q" | head -n "$k" >"$TMP/all"
		"$KB" search --db "$TMP/rank.db" --json -n "$k" -- "$q" >"$TMP/top"
		check "the $k best of '$q' are the first $k of all" cmp -s "$TMP/all" "$TMP/top"
	done
done

# ---- bounded searches: a word in most entries, a common prefix ---------------------------
# One note of 5,100 entries, all with "zebra", and 40 with a yakN word: a one-word match
# ranks at most 5,000 entries (KB_INDEX_BOUND_ROWS) and says so; a common prefix
# is searched as the first terms that start so (the prefix step) and, below the
# bound, finds what FTS5's own expansion of it finds, in the same order (-n 0: every hit,
# unbounded, is the full ranking).
B=$TMP/bound
mkdir -p "$B"
awk 'BEGIN { f = ARGV[1] "/many.md"; printf "# Many\n\n" > f
	for (i = 0; i < 5100; i++) {
		printf "## Entry %d\n\nthe zebra number id%d", i, i > f
		if (i % 127 == 0) { for (j = 0; j <= i % 7; j++) printf " yak%d", i % 40 > f }
		printf "\n\n" > f }
	close(f) }' "$B"
"$KB" build -q --db "$TMP/bound.db" "$B"
status 0 "$KB" search --db "$TMP/bound.db" zebra
contains "a word in more entries than are ranked says so" "$TMP/err" "only 5000 of them were ranked"
same "and still lists hits" "$(wc -l <"$TMP/out")" 20
status 0 "$KB" search --db "$TMP/bound.db" 'z*'
contains "so does a one-letter prefix of such a word" "$TMP/err" "only 5000 of them were ranked"
status 0 "$KB" search --db "$TMP/bound.db" id42
lacks "a word in few entries is ranked whole" "$TMP/err" "ranked"
for q in 'y*' 'ya*'; do
	"$KB" search --db "$TMP/bound.db" -n 0 -- "$q" | head -n 10 >"$TMP/all"
	"$KB" search --db "$TMP/bound.db" -n 10 -- "$q" >"$TMP/top" 2>"$TMP/err"
	check "'$q' (short prefix, below the bound) finds the full expansion's first hits" cmp -s "$TMP/all" "$TMP/top"
	lacks "'$q' says nothing of a bound" "$TMP/err" "ranked"
done
check "and they are yak entries" grep -q "yak" "$TMP/top"

# ---- a pasted line that only shares a stored error's shape never stands alone ------------
# The stored line has the pasted one's framing ([FATAL], Other(...), a components/ path) but
# another error; the page whose heading holds the pasted error's words must be listed too.
mkdir -p "$TMP/shape"
cat >"$TMP/shape/compat.md" <<'NOTE'
# TiKV versions

## Compatibility

A TiKV that reads an encrypted file of a newer version stops:

```
[2020/12/07 07:26:33.598 +08:00] [FATAL] [lib.rs:483] ["called `Result::unwrap()` on an `Err` value: Other(\"[components/encryption/src/encrypted_file/header.rs:18]: unknown version 2\")"]
```
NOTE
cat >"$TMP/shape/faq.md" <<'NOTE'
# Cluster FAQ

## TiKV fails to start: cluster ID mismatch

The cluster ID stored by TiKV differs from the PD's: the PD data was deleted and a new PD
deployed while TiKV kept its old data.
NOTE
"$KB" build -q --db "$TMP/shape.db" "$TMP/shape" 2>/dev/null
status 0 "$KB" search --db "$TMP/shape.db" -n 5 'Mar 02 10:11:12 tikv-3 tikv-server[2817]: [2024/03/02 10:11:12.345 +08:00] [FATAL] [server.rs:952] ["failed to start node: Other(\"[components/server/src/server.rs:952]: cluster ID mismatch, local 7112233445566778899 != remote 7223344556677889900, you are trying to connect to another cluster, please reconnect to the correct PD\")"]'
contains "a pasted line's own error words find their page beside a stored error of its shape" "$TMP/out" "faq.md#"
# its shortest clause, "cluster ID mismatch", is the one the heading holds: the line's five
# longest runs are looked for, and it is its fourth
same "and the heading holding the line's own words comes first" "$(head -n 1 "$TMP/out" | cut -f1 | cut -d'#' -f1)" \
	"faq.md"

# ---- a message's words across its punctuation: the heading that quotes its start ---------
# The release note holds only an identifier of the line; the troubleshooting heading quotes
# the message's first words, "rpc error: code = Unimplemented", which no run of the line
# (runs end at punctuation) holds whole.
mkdir -p "$TMP/quote"
printf '# Release 2.0

## TiKV

- Simplify the `ImportSST::Upload` interface
- Support the ImportSST API
' \
	>"$TMP/quote/release.md"
printf '# Troubleshooting the importer

## switch-mode fails with `rpc error: code = Unimplemented ...`

A node of the cluster does not support switch-mode: upgrade it.
' \
	>"$TMP/quote/trouble.md"
"$KB" build -q --db "$TMP/quote.db" "$TMP/quote" 2>/dev/null
status 0 "$KB" search --db "$TMP/quote.db" -n 5 'Error: rpc error: code = Unimplemented desc = unknown service import_sstpb.ImportSST'
same "the heading that quotes the message comes before the note that names its identifier" \
	"$(head -n 1 "$TMP/out" | cut -f1 | cut -d'#' -f1)" "trouble.md"

# ---- an index from another tokenizer is refused, not silently wrong -----------------------
cp "$DB" "$TMP/tok.db"
sqlite3 "$TMP/tok.db" "UPDATE meta SET value = '999' WHERE key = 'tokenizer'"
status 2 "$KB" search --db "$TMP/tok.db" redis
contains "tokenizer version named" "$TMP/err" "tokenizer version 999"
contains "and what to do" "$TMP/err" "rebuild it with kb build"
finish
