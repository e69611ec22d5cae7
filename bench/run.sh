#!/bin/sh
# run.sh - make bench: generates the corpora, builds them with kb, times builds and queries
# (kb in-process and as a process, the sqlite3 shell on the same index, grep -rF, rg -F),
# records peak memory and sizes, and writes RESULTS.md (bench/report.sh).
#
# Environment (mk/bench.mk sets the first five):
#   KB               the kb binary                       BENCH_SIZES    1k,10k,100k (any N, Nk)
#   BENCH_DIR        corpora, indexes, results           BENCH_SEED     the generator's seed
#   BENCH_CORPORA    ../shared/corpora
#   BENCH_BUILD_REPS, BENCH_INCR_NOTES, BENCH_QUERY_REPS, BENCH_GREP_REPS   override repetitions
#   BENCH_BROWSER_CMD  another command for the browser's first screen, run with sh -c and KB,
#                      DB, NOTES set (empty: the headless mode, KB_TUI_SCRIPT, at 80x24)
#   BENCH_RESULTS    where RESULTS.md goes (default: bench/RESULTS.md for the full set of
#                    sizes, $BENCH_DIR/RESULTS.md for a subset)
#   BENCH_STEPS      all (default), or queries: the searches (in-process, as processes, the
#                    browser's keys) against the corpus and index a run left in BENCH_DIR,
#                    nothing generated or built
#   BENCH_BASELINES  1 (default), or 0: no bare FTS5, kb SQL, sqlite3 shell, grep or rg
set -eu

: "${KB:=build/kb}" "${BENCH_DIR:=build/bench}" "${BENCH_SIZES:=1k,10k,100k}"
: "${BENCH_SEED:=20240601}" "${BENCH_CORPORA:=../shared/corpora}" "${BENCH_BROWSER_CMD:=}"
: "${BENCH_STEPS:=all}" "${BENCH_BASELINES:=1}"
export KBBENCH_BASELINES=$BENCH_BASELINES
export LC_ALL=C.UTF-8
TAB=$(printf '\t')

abspath() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
KB=$(abspath "$KB")
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(abspath "$BENCH_DIR")
KBGEN=$BENCH_DIR/kbgen
KBBENCH=$BENCH_DIR/kbbench
KBEVICT=$BENCH_DIR/kbevict
KBTOK=$BENCH_DIR/kbtok
export KBBENCH_OUT="$BENCH_DIR/scratch.out"

say() { printf 'bench: %s\n' "$*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

size_n() {
	case $1 in
	*k | *K) echo $((${1%?} * 1000)) ;;
	*m | *M) echo $((${1%?} * 1000000)) ;;
	*) echo "$1" ;;
	esac
}

# ---- the machine ------------------------------------------------------------------------
machine() {
	m=$BENCH_DIR/machine.tsv
	{
		printf 'date\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
		printf 'host_cpu\t%s\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
		printf 'cpus\t%s\n' "$(nproc)"
		printf 'mem\t%s MB\n' "$(awk '/^MemTotal/ {printf "%d", $2 / 1024}' /proc/meminfo)"
		printf 'os\t%s\n' "$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
		printf 'kernel\t%s\n' "$(uname -r)"
		printf 'kb\t%s\n' "$("$KB" --version 2>/dev/null | head -1)"
		printf 'commit\t%s\n' "$(git describe --always --dirty 2>/dev/null || echo '?')"
		printf 'cc\t%s\n' "$(${CC:-cc} --version 2>/dev/null | head -1)"
		printf 'rg\t%s\n' "$(rg --version | head -1)"
		printf 'grep\t%s\n' "$(grep --version | head -1)"
		printf 'sqlite3\t%s\n' "$(sqlite3 --version | cut -d' ' -f1)"
		printf 'seed\t%s\n' "$BENCH_SEED"
		printf 'load_start\t%s\n' "$(loadavg)"
	} >"$m"
}

# Copies the notes saved in WORK/orig back into NOTES.
restore_notes() {
	[ -d "$1/orig" ] || return 0
	(cd "$1/orig" && find . -type f) | while read -r rel; do cp -p "$1/orig/$rel" "$2/$rel"; done
	rm -rf "$1/orig"
}

# ---- one size -----------------------------------------------------------------------------
# Writes $BENCH_DIR/results-SIZE.tsv: "stat LABEL n p50 p99 p25 p75 min max maxrss_kb failed"
# (milliseconds, KB) and "info KEY VALUE" lines.
bench_size() {
	size=$1
	n=$(size_n "$size")
	dir=$BENCH_DIR/corpus-$size
	notes=$dir/notes
	db=$BENCH_DIR/kb-$size.db
	res=$BENCH_DIR/results-$size.tsv
	work=$BENCH_DIR/work-$size
	if [ "$n" -le 20000 ]; then
		breps=${BENCH_BUILD_REPS:-5} qreps=${BENCH_QUERY_REPS:-10} greps=${BENCH_GREP_REPS:-3}
	else
		breps=${BENCH_BUILD_REPS:-5} qreps=${BENCH_QUERY_REPS:-10} greps=${BENCH_GREP_REPS:-2}
	fi
	creps=${BENCH_COLD_REPS:-3}
	incr=${BENCH_INCR_NOTES:-8}
	sample=0 # grep and rg: every query of a kind (0), or its first so many
	if [ "$n" -gt 200000 ]; then
		# A million entries: one full build (a minute), no builds from a cold page cache, fewer
		# repetitions, and grep and rg (seconds a query over 750 MB) on 4 queries a kind:
		# bench/README.md gives the time, disk and memory this takes.
		breps=${BENCH_BUILD_REPS:-1} qreps=${BENCH_QUERY_REPS:-5} greps=${BENCH_GREP_REPS:-1}
		creps=${BENCH_COLD_REPS:-0} incr=${BENCH_INCR_NOTES:-3} sample=4
	fi
	rm -rf "$work"
	mkdir -p "$work"
	: >"$res"
	info() { printf 'info\t%s\t%s\n' "$1" "$2" >>"$res"; }
	info size "$size"
	info load_before "$(loadavg)"

	if [ "$BENCH_STEPS" = queries ]; then
		[ -f "$dir/queries.tsv" ] && [ -f "$db" ] || { say "$size: no corpus or index in $BENCH_DIR to search"; exit 1; }
		while IFS="$TAB" read -r k v; do info "corpus_$k" "$v"; done <"$dir/corpus.info"
		info entries "$(sqlite3 -readonly "$db" 'SELECT count(*) FROM entries')"
		bench_queries
		return
	fi

	# The corpus, made once per size, seed and generator.
	stamp="$n $BENCH_SEED $(cksum <"$KBGEN" | cut -d' ' -f1) $(abspath "$BENCH_CORPORA")"
	if [ ! -f "$dir/corpus.info" ] || [ "$(cat "$dir/stamp" 2>/dev/null)" != "$stamp" ]; then
		say "$size: generating $n entries from $BENCH_CORPORA into $dir"
		rm -rf "$dir"
		"$KBGEN" -s "$BENCH_SEED" "$BENCH_CORPORA" "$dir" "$n"
		printf '%s\n' "$stamp" >"$dir/stamp"
	fi
	while IFS="$TAB" read -r k v; do info "corpus_$k" "$v"; done <"$dir/corpus.info"
	find "$notes" -name '*.md' -exec cat {} + >/dev/null # the page cache, for every tool alike

	# Full builds, from nothing. The machine's speed is taken before and after them: on a
	# shared machine the same build can take markedly longer minutes later (bench/PROFILE.md,
	# "The machine").
	info machine_before "$("$KBBENCH" machine)"
	say "$size: full build x$breps"
	printf 'build.full\tsh\t-c\trm -f "$1" && exec "$0" build -q --db "$1" "$2"\t%s\t%s\t%s\n' \
		"$KB" "$db" "$notes" >"$work/full.cmds"
	KBBENCH_WARMUP=none "$KBBENCH" procs "$breps" "$work/full.cmds" >>"$res"
	# Full builds of notes that are not in the page cache (as after a reboot): the notes'
	# pages dropped before each build, untimed; the inodes stay cached.
	if [ "$creps" -gt 0 ] && [ -x "$KBEVICT" ] && "$KBEVICT" "$(find "$notes" -name '*.md' | head -1)"; then
		say "$size: full build of notes read from the disk x$creps"
		sed 's/^build\.full/build.cold/' "$work/full.cmds" >"$work/cold.cmds"
		KBBENCH_PREP="find '$notes' -name '*.md' -exec '$KBEVICT' {} +" KBBENCH_WARMUP=none \
			"$KBBENCH" procs "$creps" "$work/cold.cmds" >>"$res"
		find "$notes" -name '*.md' -exec cat {} + >/dev/null
	fi
	info machine_after "$("$KBBENCH" machine)"
	line=$("$KB" build --db "$db" "$notes" 2>&1 | tail -1)
	info build_summary "$line"
	info entries "$(printf '%s\n' "$line" | sed -n 's/^kb: \([0-9]*\) entries from \([0-9]*\) notes.*/\1/p')"
	# Sizes of the index as a full build leaves it.
	info db_bytes "$(stat -c %s "$db")"
	info md_bytes "$(find "$notes" -name '*.md' -exec cat {} + | wc -c)"
	info db_free_bytes "$(sqlite3 -readonly "$db" 'PRAGMA page_size; PRAGMA freelist_count' | awk 'NR == 1 {p = $1} NR == 2 {print p * $1}')"
	sqlite3 -readonly "$db" "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC" 2>/dev/null |
		while IFS='|' read -r t b; do info "dbstat_$t" "$b"; done

	# One note changed, then kb build: each of touch.lst's notes once (the first one also
	# once before, untimed). The notes are restored afterwards and the index brought back.
	say "$size: one-note rebuilds x$incr"
	mkdir -p "$work/orig"
	# Put the notes back even when the run is interrupted: the corpus is reused.
	trap 'restore_notes "$work" "$notes"' EXIT
	trap 'exit 130' INT TERM
	head -n "$incr" "$dir/touch.lst" | while read -r rel; do
		mkdir -p "$work/orig/$(dirname "$rel")"
		cp -p "$notes/$rel" "$work/orig/$rel"
		printf 'build.incr\tsh\t-c\tprintf "\\n更新记录：基准测试改动了这一条。\\n" >>"$0" && exec "$1" build -q --db "$2" "$3"\t%s\t%s\t%s\t%s\n' \
			"$notes/$rel" "$KB" "$db" "$notes"
	done >"$work/incr.cmds"
	KBBENCH_WARMUP=one "$KBBENCH" procs 1 "$work/incr.cmds" >>"$res"
	restore_notes "$work" "$notes"
	trap - EXIT
	"$KB" build -q --db "$db" "$notes"
	printf 'build.noop\t%s\tbuild\t-q\t--db\t%s\t%s\n' "$KB" "$db" "$notes" >"$work/noop.cmds"
	"$KBBENCH" procs "$breps" "$work/noop.cmds" >>"$res"

	info db_bytes_after_rebuilds "$(stat -c %s "$db")"
	bench_queries
}

# The searches of one size (bench_size's variables): in-process, as processes, the browser.
bench_queries() {

	# Queries: the corpus's, and the worst cases for an index (what the prefix step and
	# the bound on rows ranked are for, src/index_search.c): prefixes of one and two letters, and
	# single common CJK characters (each matched as the start of the pairs it begins).
	queries=$work/queries.tsv
	cp "$dir/queries.tsv" "$queries"
	for t in 'c*' 's*' 'a*' 'p*' 'ch*' 'st*' 'co*' 're*'; do printf 'short\thit\t%s\t-\n' "$t"; done >>"$queries"
	for t in 的 是 在 一 中 了 不 和; do printf 'cjk1\thit\t%s\t-\n' "$t"; done >>"$queries"
	# In-process (with the FTS5 floor under them).
	say "$size: in-process queries x$qreps"
	"$KBBENCH" search "$db" "$queries" "$qreps" >"$work/inproc.out"
	grep -v '^query' "$work/inproc.out" | sed 's/^open\t/info\topen_ms\t/' >>"$res"
	grep '^query' "$work/inproc.out" >>"$res"

	# The same queries as whole processes: kb search, the sqlite3 shell, grep -rF, rg -F.
	"$KBBENCH" match "$db" "$queries" >"$work/match.tsv"
	: >"$work/kb.cmds"
	: >"$work/kb-rg.cmds"
	: >"$work/grepped"
	copies=$(((qreps + greps - 1) / greps))
	: >"$work/shell.cmds"
	: >"$work/grep.cmds"
	paste "$queries" "$work/match.tsv" | while IFS="$TAB" read -r kind want text src k2 mode match; do
		printf '%s\t%s\tsearch\t--db\t%s\t--\t%s\n' "proc.$kind" "$KB" "$db" "$text" >"$work/kb.one"
		cat "$work/kb.one" >>"$work/kb.cmds"
		# kb search and rg -F interleaved: for each query, kb's runs and then rg's, round after
		# round, so that the ratio compares the two at the same minutes. Measured a minute
		# apart, the machine's drift would go into it.
		i=0
		while [ "$i" -lt "$copies" ]; do cat "$work/kb.one" >>"$work/kb-rg.cmds"; i=$((i + 1)); done
		if [ "$mode" = all ]; then # what kb debug query says kb searches for
			match=$("$KB" debug query "$text" | sed -n 's/^all: //p')
			limit=20
		else
			limit=40 # search.c's LOG_CANDIDATES: the first FTS5 query of a pasted line
		fi
		if [ -n "$match" ] && [ "$match" != "(nothing)" ]; then
			sql="SELECT rowid FROM fts WHERE fts MATCH '$(printf '%s' "$match" | sed "s/'/''/g")' ORDER BY rank LIMIT $limit;"
			printf '%s\tsqlite3\t-init\t/dev/null\t-readonly\t-cmd\t.load %s\t%s\t%s\n' "shell.$kind" \
				"$KBTOK" "$db" "$sql" >>"$work/shell.cmds"
		fi
		# grep and rg: not for a letter or a character (what would the literal be?), and on a
		# sample of each kind at a million entries
		case $kind in short | cjk1) continue ;; esac
		echo "$kind" >>"$work/grepped"
		[ "$sample" -eq 0 ] || [ "$(grep -cx "$kind" "$work/grepped")" -le "$sample" ] || continue
		lit=$(printf '%s' "$text" | sed 's/^"//; s/"$//; s/\*$//')
		printf '%s\tgrep\t-rF\t-e\t%s\t%s\n' "grep.$kind" "$lit" "$notes" >>"$work/grep.cmds"
		printf '%s\trg\t--no-ignore\t-F\t-e\t%s\t%s\n' "rg.$kind" "$lit" "$notes" >>"$work/kb-rg.cmds"
	done
	if [ "$BENCH_BASELINES" = 0 ]; then
		: >"$work/shell.cmds"
		: >"$work/grep.cmds"
		grep -v '^rg\.' "$work/kb-rg.cmds" >"$work/kb.only" || true
		mv "$work/kb.only" "$work/kb-rg.cmds"
	fi
	say "$size: kb search x$((copies * greps)) and rg -F x$greps, interleaved"
	KBBENCH_WARMUP=one "$KBBENCH" procs "$greps" "$work/kb-rg.cmds" >>"$res"
	say "$size: sqlite3 shell x$qreps"
	"$KBBENCH" procs "$qreps" "$work/shell.cmds" >>"$res"
	say "$size: grep -rF x$greps"
	KBBENCH_WARMUP=one "$KBBENCH" procs "$greps" "$work/grep.cmds" >>"$res"

	# The browser's first screen, in its headless mode (KB_TUI_SCRIPT, see src/tui/script.c):
	# start, open the index, draw the search screen at 80x24, dump it, quit. The process goes
	# through env(1) to set the variables: about half a millisecond of the figure is env's.
	# Also kb show (the reader's content) and kb components (a browse list).
	id=$("$KB" search --db "$db" -n 1 -- "$(awk -F'\t' 'NR == 1 {print $3}' "$dir/queries.tsv")" | cut -f1)
	printf 'size 80x24\ndump /dev/null\n' >"$work/first-screen.script"
	{
		printf 'show\t%s\tshow\t--db\t%s\t%s\n' "$KB" "$db" "$id"
		printf 'components\t%s\tcomponents\t--db\t%s\n' "$KB" "$db"
		if [ -n "$BENCH_BROWSER_CMD" ]; then
			printf 'browser\tsh\t-c\tKB="$0" DB="$1" NOTES="$2"; %s\t%s\t%s\t%s\n' "$BENCH_BROWSER_CMD" "$KB" "$db" "$notes"
		else
			printf 'browser\tenv\tKB_TUI_SCRIPT=%s\tTERM=xterm-256color\t%s\t--db\t%s\n' \
				"$work/first-screen.script" "$KB" "$db"
		fi
	} >"$work/ui.cmds"
	"$KBBENCH" procs "$qreps" "$work/ui.cmds" >>"$res"

	# The browser's keystrokes, in its headless mode with a timing log (src/tui/script.c): 4
	# queries of each kind typed a key at a time with a typist's pause, the searches running
	# on their thread meanwhile ("settle off"). browser.keys: from a key to the screen that
	# shows it; browser.results: from the key to the screen with its search's results.
	{
		printf 'size 80x24\nsettle off\ntiming %s\n' "$work/keys.timing"
		awk -F'\t' '$2 == "hit" && $1 != "error" && n[$1]++ < 4 { print $3 }' "$queries" |
			while IFS= read -r text; do
				printf 'key C-u\npause 150\n'
				printf '%s\n' "$text" | sed 's/./&\n/g' | sed '/^$/d; s/^/type /; s/$/\npause 80/'
			done
		printf 'settle\n'
	} >"$work/keys.script"
	rm -f "$work/keys.timing"
	say "$size: the browser's keystrokes"
	KB_TUI_SCRIPT="$work/keys.script" TERM=xterm-256color "$KB" --db "$db"
	for w in keys:echo results:results; do
		sed -n "s/^${w#*:} //p" "$work/keys.timing" | awk '{ print $1 / 1000 }' | "$KBBENCH" stats "browser.${w%%:*}" >>"$res"
	done
	info load_after "$(loadavg)"
}

machine
say "load average $(loadavg); $(nproc) CPUs; results in $BENCH_DIR"
for s in $(printf '%s\n' "$BENCH_SIZES" | tr ',' ' '); do
	bench_size "$s"
done
printf 'load_end\t%s\n' "$(loadavg)" >>"$BENCH_DIR/machine.tsv"
if [ "$BENCH_STEPS" = all ]; then
	say "hostile notes"
	KB=$KB BENCH_DIR=$BENCH_DIR KBBENCH=$KBBENCH sh bench/hostile.sh >/dev/null
fi

if [ -z "${BENCH_RESULTS:-}" ]; then
	if [ "$BENCH_SIZES" = "1k,10k,100k" ]; then BENCH_RESULTS=bench/RESULTS.md; else BENCH_RESULTS=$BENCH_DIR/RESULTS.md; fi
fi
sh bench/report.sh "$BENCH_DIR" "$BENCH_SIZES" >"$BENCH_RESULTS.tmp"
mv "$BENCH_RESULTS.tmp" "$BENCH_RESULTS"
cat "$BENCH_RESULTS"
say "wrote $BENCH_RESULTS"
