#!/bin/sh
# rank.test.sh - the right page first (issue 18): word forms, the page and its title, the
# fallback by coverage, the language of a tree that holds two, lang:, a page's other hits
# and its standing (the notes that link to it or name it).
. tests/lib.sh
N=$TMP/notes DB=$TMP/kb.db
mkdir -p "$N/cmd" "$N/docs/en/tasks" "$N/docs/zh-cn/tasks" "$N/vars"
w() { mkdir -p "$(dirname "$N/$1")"; cat >"$N/$1"; }
w cmd/drain.md <<'EOF'
# drain

Drain a node before maintenance: evict its pods and mark it unschedulable.
EOF
w cmd/uncordon.md <<'EOF'
# uncordon

Mark a node schedulable again after maintenance.
EOF
w cmd/tar.md <<'EOF'
# tar

Archiving utility: create, list and extract archives.
EOF
w cmd/git-get-tar-commit-id.md <<'EOF'
# git get-tar-commit-id

Get the commit id from a tar archive made by git archive. tar tar.
EOF
w cmd/pax.md <<'EOF'
# pax

Archiving utility like tar: pax reads tar archives, writes tar archives, lists tar archives.
EOF
w vars/system-variables.md <<'EOF'
# System variables

## tidb_opt_join_reorder_threshold

How many tables a join reorder looks at: join reorder join reorder.
EOF
w join-reorder.md <<'EOF'
# Join Reorder

The optimizer picks the order of a join: reorder the tables.
EOF
w faq.md <<'EOF'
# FAQ

## Connection refused

The server is down.

## Networking

A connection refused error, connection refused again and again, means connection refused.
EOF
w cover.md <<'EOF'
# Cover

## Common words

alpha beta gamma delta here.

## Rare word

zeta is rare.
EOF
w docs/en/tasks/debug-pods.md <<'EOF'
# Debug Pods

My pod stays pending: `FailedScheduling` means no node fits.
EOF
w docs/zh-cn/tasks/debug-pods.md <<'EOF'
# 调试 Pod

<!-- My pod stays pending -->
Pod 停滞在 pending 状态：`FailedScheduling` 表示没有合适的节点。
EOF
w db/proxy.md <<'EOF'
# Proxy errors

## Cannot reach the store

```
ERROR 8027 (HY000): Information schema is stale: schema failed to load in 2 lease, please make sure TiProxy can connect to TiDB
```

Check the network between the proxy and PD.
EOF
w db/sql-faq.md <<'EOF'
# SQL FAQ

## Why Information schema is out of date

The schema was not loaded within one DDL lease: check that TiDB reaches TiKV.
EOF
w tool/widgetctl-overview.md <<'EOF'
# Widget control

The tool compares the data of two clusters: widgetctl reads both.
EOF
w releases/widgetctl-notes.md <<'EOF'
# Release 1.0

Fixes: widgetctl widgetctl widgetctl.
EOF
w cmd/zap.md <<'EOF'
# zap

E[x]tract the [f]iles of an archive, [v]erbosely; a [link](x.md) and a [x] box stay.
EOF
w cmd/ss.md <<'EOF'
# ss

Show listening TCP sockets on a local port: `ss -lt src :8080`.
EOF
w cmd/bufctl.md <<'EOF'
# bufctl

Flushes the buffers: the cache is flushed to the disk.
EOF
w cmd/sftp.md <<'EOF'
# sftp

Host remote files transfer, with nothing else in between. Host remote files transfer.
EOF
w cmd/rsync.md <<'EOF'
# rsync

Transfer files to or from a remote host.
EOF
w dm/faq.md <<'EOF'
# DM 常见问题

## 如何重置数据迁移任务？

使用 stop-task 停止任务，清理下游数据后重新启动。
EOF
w dm/task-guide.md <<'EOF'
# DM 任务配置向导

## 配置迁移任务

本文介绍如何配置迁移任务：DM 的任务配置迁移任务。
EOF
status 0 "$KB" build -q --db "$DB" "$N"

# ---- word forms: English words by their stem, quoted phrases and identifiers as written --
same "draining nodes finds Drain a node" "$(first_id draining nodes)" "cmd/drain.md"
same "evicted: another form" "$(first_id evicted pod)" "cmd/drain.md"
status 0 "$KB" search --db "$DB" -n 1 flushing buffer
same "forms the index holds (flushes, buffers: not the stem itself)" "$(cut -f1 "$TMP/out")" "cmd/bufctl.md"
same "... as every word, not corrected" "$(cat "$TMP/err")" ""
status 1 "$KB" search --db "$DB" '"draining"'
same "a quoted word is not stemmed" "$(cat "$TMP/out")" ""
status 0 "$KB" search --db "$DB" FailedSchedulings
contains "identifiers are not stemmed (found only as a typo)" "$TMP/err" "showing results for FailedScheduling"

# ---- the page: its name and title first, an exact title first ----------------------------
same "tar: the page named tar" "$(first_id tar)" "cmd/tar.md"
same "widgetctl: the page named widgetctl-overview" "$(first_id widgetctl)" "tool/widgetctl-overview.md"
same "an entry titled as the query" "$(first_id connection refused)" "faq.md#connection-refused"
same "an identifier's parts are not a title" "$(first_id join reorder)" "join-reorder.md"

# ---- a letter marked in a word (tldr's E[x]tract) is the word's --------------------------
status 0 "$KB" search --db "$DB" -n 1 extract files verbosely
same "E[x]tract, [f]iles, [v]erbosely found as words" "$(cut -f1 "$TMP/out")" "cmd/zap.md"
same "... every word" "$(cat "$TMP/err")" ""
status 0 "$KB" search --db "$DB" -n 1 zap box
contains "a link and a box are left as they are" "$TMP/out" "[x] box"

# ---- a command line: its -words are options to find, not exclusions ---------------------
same "ss -lt src: the page titled ss" "$(first_id 'ss -lt src :9090')" "cmd/ss.md"
same "-word without a command first: still an exclusion" "$(first_id sockets -lt)" ""

# ---- nearness: the query's words side by side in its order, before the same words apart ----
same "transfer files to a remote host" "$(first_id transferring files remote host)" "cmd/rsync.md"
# ---- Chinese words apart: every word still, before the fallback ---------------------------
status 0 "$KB" search --db "$DB" -n 1 DM 重置迁移任务
lacks "a run's words apart are all the words" "$TMP/err" "no entry has all of the words"
same "重置数据迁移任务 for 重置迁移任务" "$(cut -f1 "$TMP/out")" "dm/faq.md#如何重置数据迁移任务"

# ---- fallback: most of the query (by idf) before one rare word of it ---------------------
status 0 "$KB" search --db "$DB" -n 1 alpha beta gamma zeta
contains "no entry has all the words" "$TMP/err" "no entry has all of the words"
same "coverage first" "$(cut -f1 "$TMP/out")" "cover.md#common-words"

# ---- language: the query's language first, lang: keeps one --------------------------------
same "English query: the en twin" "$(first_id my pod stays pending)" "docs/en/tasks/debug-pods.md"
same "Chinese query: the zh-cn twin" "$(first_id pending 状态)" "docs/zh-cn/tasks/debug-pods.md"
same "an error string: both, the query has no language to prefer... en by its words" \
	"$(first_id FailedScheduling)" "docs/en/tasks/debug-pods.md"
same "lang:zh" "$("$KB" search --db "$DB" -n 0 lang:zh FailedScheduling | cut -f1)" "docs/zh-cn/tasks/debug-pods.md"
same "lang:en" "$("$KB" search --db "$DB" -n 0 lang:en FailedScheduling | cut -f1)" "docs/en/tasks/debug-pods.md"
# ---- typos: the nearest indexed word, said, never in place of a query that has hits ------
status 0 "$KB" search --db "$DB" -n 1 FailedSchedulng
same "a misspelt identifier: its nearest word" "$(cut -f1 "$TMP/out")" "docs/en/tasks/debug-pods.md"
contains "and kb says so" "$TMP/err" "showing results for FailedScheduling"
status 0 "$KB" search --db "$DB" -n 1 --json archving utility
contains "--json says so too" "$TMP/out" '"showing_results_for":"archiving utility"'
status 0 "$KB" search --db "$DB" -n 1 drain maintenance
lacks "a query with hits is left alone" "$TMP/err" "showing results for"
status 1 "$KB" search --db "$DB" zzzzqqqq
lacks "nothing near: nothing said" "$TMP/err" "showing results for"

# ---- pasted lines: the entry holding the line's own text before one of the same shape -----
same "a long exact run of the line first" \
	"$(first_id 'ERROR 8027 (HY000): Information schema is out of date: schema failed to update in 3 lease, please make sure TiDB can connect to TiKV')" \
	"db/sql-faq.md#why-information-schema-is-out-of-date"
"$KB" search --db "$DB" -n 5 'ERROR 8027 (HY000): Information schema is out of date: schema failed to update in 3 lease, please make sure TiDB can connect to TiKV' >"$TMP/out"
contains "and the one of the same shape after it" "$TMP/out" "db/proxy.md#cannot-reach-the-store"
# ---- a page's other hits: a page many hits are on before one line of a glossary ---------
# (notes of their own: the scores are close by design, and other notes move the idf)
S=$TMP/support SDB=$TMP/support.db # built twice: the widget pool notes added after the first
mkdir -p "$S/ref" "$S/wp"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	printf '# Filler %s\n\nSome words about disks, memory number %s and other things.\n\n## Part\n\nMore text here about tables of numbers.\n' $i $i >"$S/filler$i.md"
done
cat >"$S/ref/glossary.md" <<'EOF'
# Glossary

## Mirror table

A mirror table, refreshed from the source table it copies now and then.

## Spill

Memory is spilled to disk.
EOF
cat >"$S/hot-copies.md" <<'EOF'
# Using copies of hot data

Keep a small hot table in memory as a copy of its source.

## Making one

Turn a table into a mirror table with ALTER TABLE: the mirror table is refreshed on every write.

## When it is refreshed

A mirror table is refreshed when its lease ends: until the table is refreshed, reads see old rows.

## Limits

A mirror table holds at most 64 MiB: a larger mirror table is refreshed no more.

## Reading one

Reads of a mirror table come from memory: the mirror table is refreshed in the background.
EOF
status 0 "$KB" build -q --db "$SDB" "$S"
same "the page whose sections all say it, before a glossary's line that says it a little better" \
	"$("$KB" search --db "$SDB" -n 1 mirror table refreshed | cut -f1)" "hot-copies.md#when-it-is-refreshed"
cat >"$S/wp/about.md" <<'EOF'
# Widget pool

Hands out widgets.
EOF
cat >"$S/wp/widget-pool.md" <<'EOF'
## Sizing

Size the widget pool to the number of workers, or they wait.

## Limits

A widget pool holds at most 512 widgets and refuses more.

## Metrics

The widget pool reports how many widgets are out.

## Draining

Drain the widget pool before a restart.

## Errors

A widget pool that is empty says so.
EOF
status 0 "$KB" build -q --db "$SDB" "$S"
same "an entry titled as the query keeps its place before the page its other hits raise" \
	"$("$KB" search --db "$SDB" -n 1 widget pool | cut -f1)" "wp/about.md"
for i in $(seq 1 20); do
	printf '# Ref %s\n\nSee [the pool](wp/widget-pool.md).\n' $i >"$S/ref$i.md"
done
status 0 "$KB" build -q --db "$SDB" "$S"
same "... and before the page twenty notes link to" \
	"$("$KB" search --db "$SDB" -n 1 widget pool | cut -f1)" "wp/about.md"
# ---- a page's standing: the notes that link to it or name it in their prose -------------
P=$TMP/standing PDB=$TMP/standing.db
mkdir -p "$P/tools" "$P/docs/en/run" "$P/docs/zh/run"
for i in 1 2 3 4 5 6 7 8; do
	printf '# Filler %s\n\nSome words about memory number %s and other things.\n' $i $i >"$P/filler$i.md"
done
cat >"$P/docs/en/run/debugging.md" <<'EOF'
# Debugging

When an app fails, look at its events.
EOF
cat >"$P/docs/en/run/guide1.md" <<'EOF'
# Guide 1

Read [debugging](/run/why-it-broke/) first.
EOF
cat >"$P/docs/en/run/guide2.md" <<'EOF'
# Guide 2

Read [debugging](/run/why-it-broke/) first.
EOF
cat >"$P/docs/en/run/why-it-broke.md" <<'EOF'
# Breakage

When an app fails, look at its events first.
EOF
cat >"$P/docs/zh/run/why-it-broke.md" <<'EOF'
# 调试应用

应用失败时 (app fails)，查看 events。
EOF
cat >"$P/tools/colors1.md" <<'EOF'
# colors 1

In color:

`dfc`
EOF
cat >"$P/tools/colors2.md" <<'EOF'
# colors 2

In color:

`dfc`
EOF
cat >"$P/tools/colors3.md" <<'EOF'
# colors 3

In color:

`dfc`
EOF
cat >"$P/tools/df.md" <<'EOF'
# df

Show the disk space usage of file systems, and more.
EOF
cat >"$P/tools/dfc.md" <<'EOF'
# dfc

Show the disk space usage of file systems.
EOF
cat >"$P/tools/du.md" <<'EOF'
# du

How big directories are. See also: `df`, `ncdu`.
EOF
cat >"$P/tools/ncdu.md" <<'EOF'
# ncdu

A browser of directory sizes: for a whole file system, `df` is quicker.
EOF
status 0 "$KB" build -q --db "$PDB" "$P"
same "named in two notes' prose (\`df\`): df before dfc, which says it a little better" \
	"$("$KB" search --db "$PDB" -n 1 disk space usage | cut -f1)" "tools/df.md"
same "linked from two notes by its site path (/run/why-it-broke/): before a page a little better" \
	"$("$KB" search --db "$PDB" -n 1 app fails events | cut -f1)" "docs/en/run/why-it-broke.md"
same "the counts: a code line alone (\`dfc\`) names nothing; a link leads to the twin nearest the linking note" \
	"$(sqlite3 "$PDB" "SELECT n.path || ' ' || r.refs FROM note_refs r JOIN notes n ON n.id = r.note ORDER BY n.path" | tr '\n' ,)" \
	"docs/en/run/why-it-broke.md 2,tools/df.md 2,tools/ncdu.md 1,"
rm "$P/tools/du.md" "$P/docs/en/run/guide1.md"
status 0 "$KB" build -q --db "$PDB" "$P"
same "an incremental build counts again" \
	"$(sqlite3 "$PDB" "SELECT n.path || ' ' || r.refs FROM note_refs r JOIN notes n ON n.id = r.note ORDER BY n.path" | tr '\n' ,)" \
	"docs/en/run/why-it-broke.md 1,tools/df.md 1,"
finish
