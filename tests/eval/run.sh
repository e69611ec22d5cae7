#!/bin/sh
# run.sh - `make eval`: how often kb finds the right document, side by side with plain
# FTS5 unicode61 and grep -F, on the seed note and on the corpora in ../shared/corpora.
#
# Environment (set by mk/eval.mk): KB, RUNQ, OUT (cache and results directory), CORPORA,
# REPEAT (runs per kb query; its fastest is the query's time), ONLY (space-separated
# corpus names to run, default all), MISSES (non-empty: list kb's misses at the end).
# Read tests/eval/README.md for the query files and the rules.
set -eu

KB=${KB:-build/kb}
RUNQ=${RUNQ:-build/eval/runq}
OUT=${OUT:-build/eval}
CORPORA=${CORPORA:-../shared/corpora}
REPEAT=${REPEAT:-3}
ONLY=${ONLY:-}
MISSES=${MISSES:-}
HERE=tests/eval
NHITS=50        # entries asked of kb per query; enough for 5 distinct documents
export LC_ALL=C

die() { echo "eval: $*" >&2; exit 2; }
note() { echo "eval: $*" >&2; }

[ -x "$KB" ] || die "no $KB: run make first"
[ -x "$RUNQ" ] || die "no $RUNQ"
command -v sqlite3 >/dev/null 2>&1 || die "the sqlite3 shell is missing: make test-deps (or apt-get install sqlite3)"
mkdir -p "$OUT"
KB=$(cd "$(dirname "$KB")" && pwd)/$(basename "$KB")
RUNQ=$(cd "$(dirname "$RUNQ")" && pwd)/$(basename "$RUNQ")
OUT=$(cd "$OUT" && pwd)
TOP=$(pwd)

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# stale FILE DEP...: true when FILE is missing or older than one of DEP (a DEP that is
# a directory counts every file below it).
stale() {
	f=$1; shift
	[ -e "$f" ] || return 0
	for d in "$@"; do
		if [ -d "$d" ]; then
			[ -z "$(find "$d" -newer "$f" -type f | head -n 1)" ] || return 0
		elif [ "$d" -nt "$f" ]; then
			return 0
		fi
	done
	return 1
}

# split_seed NOTE DIR: one file per numbered item of the user's note, named by its kb
# entry id (paas/deployment-issues.md#N), so that the baselines rank entries too.
split_seed() {
	rm -rf "$2" && mkdir -p "$2/paas"
	awk -v dir="$2/paas" '
		/^[0-9]+\. / { n = $0; sub(/\..*/, "", n); f = dir "/deployment-issues.md#" n }
		f != "" { print > f }' "$1"
}

# build_kb NAME DOCS: the kb index, rebuilt (--full) when older than kb or the notes.
build_kb() {
	db=$OUT/$1.kb.db
	if stale "$db" "$KB" "$2"; then
		t0=$(now_ms)
		st=0
		"$KB" build --full --db "$db" "$2" 2>"$OUT/$1.kb.build.log" || st=$?
		[ "$st" -le 1 ] || { cat "$OUT/$1.kb.build.log" >&2; die "kb build failed for $1"; }
		summary=$(grep -E 'entries from' "$OUT/$1.kb.build.log" | tail -n 1 | sed 's/^kb: //; s/ in .*(/ (/')
		echo "$(($(now_ms) - t0)) $summary" >"$OUT/$1.kb.build"
		echo "built"
	else
		echo "cached"
	fi
}

# build_fts5 NAME DOCS GLOB: the plain FTS5 unicode61 table d(path, body) of the files
# matching GLOB under DOCS, filled by the sqlite3 shell's fsdir().
build_fts5() {
	db=$OUT/$1.fts5.db
	if stale "$db" "$2" "$HERE/run.sh"; then
		t0=$(now_ms)
		rm -f "$db.tmp"
		(cd "$2" && sqlite3 "$db.tmp" "
			CREATE VIRTUAL TABLE d USING fts5(path UNINDEXED, body, tokenize='unicode61');
			INSERT INTO d(path, body)
			  SELECT substr(name, 3), CAST(data AS TEXT) FROM fsdir('.')
			  WHERE mode & 61440 = 32768 AND name GLOB './$3';") || die "fts5 build failed for $1"
		mv "$db.tmp" "$db"
		echo "$(($(now_ms) - t0)) $(sqlite3 "$db" 'SELECT count(*) FROM d') files" >"$OUT/$1.fts5.build"
		echo "built"
	else
		echo "cached"
	fi
}

# fts5_sql: queries on stdin (escaped, one a line) -> SQL for the FTS5 baseline (fts5.awk).
fts5_sql() {
	awk -f "$HERE/lib.awk" -f "$HERE/fts5.awk" -v nhits="$NHITS"
}

# eval_corpus NAME DOCS UNIT GLOB [LABEL TSV]: run NAME.tsv (or TSV, reported as LABEL, on
# NAME's indexes) against kb, fts5 and grep; write LABEL.results.
eval_corpus() {
	name=$1 docs=$2 unit=$3 glob=$4 label=${5:-$1} base=$OUT/${5:-$1} ix=$OUT/$1
	tsv=${6:-$HERE/$name.tsv}
	[ -f "$tsv" ] || die "no query file $tsv"
	bdocs=$docs
	if [ "$unit" = entry ]; then
		bdocs=$OUT/seed-items
		if stale "$bdocs.stamp" "$docs/paas/deployment-issues.md" "$HERE/run.sh"; then
			split_seed "$docs/paas/deployment-issues.md" "$bdocs" && touch "$bdocs.stamp"
		fi
	fi
	kbst=$(build_kb "$name" "$docs") || exit 2
	ftst=$(build_fts5 "$name" "$bdocs" "$glob") || exit 2

	# meta: kind TAB expected; q: the query, still escaped
	awk -F'\t' '/^#/ || NF == 0 { next }
		NF != 3 { printf "eval: %s:%d: want kind<TAB>expected<TAB>query\n", FILENAME, FNR > "/dev/stderr"; exit 1 }
		{ print $1 "\t" $2 > meta; print $3 > q }' meta="$base.meta" q="$base.q" "$tsv" || exit 2
	n=$(wc -l <"$base.q")

	"$RUNQ" -r "$REPEAT" -- "$KB" search --db "$ix.kb.db" --json -n "$NHITS" -- <"$base.q" >"$base.kb.out"
	t0=$(now_ms)
	fts5_sql <"$base.q" | sqlite3 "$ix.fts5.db" >"$base.fts5.out" 2>"$base.fts5.err" || true
	fts5ms=$(($(now_ms) - t0))
	ginc=; [ "$glob" = '*' ] || ginc=--include=$glob
	"$RUNQ" -1 -C "$bdocs" -- grep -rlF $ginc -- <"$base.q" >"$base.grep.out"

	awk -f "$HERE/lib.awk" -f "$HERE/score.awk" -v unit="$unit" \
		"$base.meta" "$base.q" "$base.kb.out" "$base.fts5.out" "$base.grep.out" >"$base.results"
	echo "$label $n $kbst $ftst $fts5ms $(grep -c '' "$base.fts5.err" || true)" >>"$OUT/run.info"
}

: >"$OUT/run.info"
ran=
for spec in "seed kb entry *" "tldr $CORPORA/tldr file *.md" \
	"k8s-docs $CORPORA/k8s-docs file *.md" "tidb-docs-cn $CORPORA/tidb-docs-cn file *.md"; do
	set -f; set -- $spec; set +f
	if [ -n "$ONLY" ] && ! echo " $ONLY " | grep -q " $1 "; then continue; fi
	if [ ! -d "$2" ]; then
		note "skipping $1: no corpus at $2"
		echo "$1 absent $2" >>"$OUT/run.info"
		continue
	fi
	note "running $1 ..."
	eval_corpus "$1" "$(cd "$2" && pwd)" "$3" "$4"
	ran="$ran $OUT/$1.results"
	if [ -f "$HERE/held-out/$1.tsv" ]; then # never tuned on: reported apart
		eval_corpus "$1" "$(cd "$2" && pwd)" "$3" "$4" "$1.held" "$HERE/held-out/$1.tsv"
		ran="$ran $OUT/$1.held.results"
	fi
done
[ -n "$ran" ] || die "nothing to evaluate"

sh "$HERE/report.sh" "$OUT" ${MISSES:+--misses}
