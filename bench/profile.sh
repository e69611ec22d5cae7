#!/bin/sh
# profile.sh - make bench-profile: callgrind (instruction counts, repeatable on a loaded
# machine) on the slow paths, at the largest corpus make bench left:
#   search-KIND-median  kb search (a whole process) for the query of the kind whose MATCH
#                       selects the median number of rows (word, prefix, chinese, error)
#   search-word-max     the word that selects the most rows (the p99 tail)
#   build-full      kb build from nothing, on the 10k corpus (100k takes ~15 minutes)
#   build-one-note  kb build after one note changed
# plus strace -c of the one-note rebuild (where the wall time goes in system calls).
# Summaries go to $BENCH_DIR/profile/NAME.txt (top functions, inclusive) and NAME.tree
# (callers and callees with call counts); raw callgrind.out.NAME files are kept for
# kcachegrind.
#
# Debian's libsqlite3 has no symbols for FTS5's static functions. With BENCH_SQLITE_SRC
# pointing at an SQLite amalgamation (sqlite3.c of the same 3.40 series), a copy is built
# with -g and the Debian compile options and used through LD_LIBRARY_PATH, so the profiles
# name fts5Bm25Function, sqlite3Fts5StorageDocsize and the like.
set -eu
: "${KB:=build/kb}" "${BENCH_DIR:=build/bench}" "${BENCH_SQLITE_SRC:=}"
export LC_ALL=C.UTF-8
out=$BENCH_DIR/profile
mkdir -p "$out"

size=$(ls -d "$BENCH_DIR"/corpus-* 2>/dev/null | sed 's/.*corpus-//' | sort -n | tail -1)
[ -n "$size" ] || { echo "bench: no corpus in $BENCH_DIR: run make bench first" >&2; exit 1; }
db=$BENCH_DIR/kb-$size.db
notes=$BENCH_DIR/corpus-$size/notes
queries=$BENCH_DIR/corpus-$size/queries.tsv
small=$BENCH_DIR/corpus-10k/notes
[ -d "$small" ] || small=$notes

if [ -n "$BENCH_SQLITE_SRC" ]; then
	lib=$out/sqlite
	if [ ! -f "$lib/libsqlite3.so.0" ] || [ "$BENCH_SQLITE_SRC" -nt "$lib/libsqlite3.so.0" ]; then
		echo "bench: building a symbolized libsqlite3 from $BENCH_SQLITE_SRC" >&2
		mkdir -p "$lib"
		${CC:-cc} -O2 -g -fPIC -shared -o "$lib/libsqlite3.so.0" "$BENCH_SQLITE_SRC" \
			-DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_DBSTAT_VTAB \
			-DSQLITE_OMIT_LOOKASIDE -DSQLITE_SECURE_DELETE -DSQLITE_THREADSAFE=1 \
			-DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_MAX_VARIABLE_NUMBER=250000 \
			-DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_USE_URI=1 -DSQLITE_TEMP_STORE=1 \
			-DHAVE_ISNAN -DHAVE_PREAD=1 -DHAVE_PWRITE=1 -DHAVE_FDATASYNC=1 -DHAVE_USLEEP=1 \
			-DHAVE_LOCALTIME_R=1 -DHAVE_GMTIME_R=1 -lpthread -ldl -lm
	fi
	LD_LIBRARY_PATH=$(cd "$lib" && pwd)
	export LD_LIBRARY_PATH
fi
echo "bench: profiling at $size ($("$KB" --version | head -1))" >&2

cg() {
	name=$1
	shift
	valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out.$name" "$@" >/dev/null 2>"$out/$name.log" || true
	callgrind_annotate --inclusive=yes "$out/callgrind.out.$name" 2>/dev/null |
		sed -n '/^Ir/,/^-- Auto-annotated/p' | head -80 >"$out/$name.txt"
	callgrind_annotate --inclusive=yes --tree=calling "$out/callgrind.out.$name" >"$out/$name.tree" 2>/dev/null
	echo "bench: $name: $(sed -n 's/.*I *refs: *//p' "$out/$name.log") instructions -> $out/$name.txt" >&2
}

# The queries of a kind drawn from the corpus, by the number of rows their MATCH selects
# (kbbench search with 0 repetitions: column 6 of its "query" lines).
"$BENCH_DIR/kbbench" search "$db" "$queries" 0 | awk -F'\t' '$1 == "query" && $3 == "hit"' |
	sort -t"$(printf '\t')" -k2,2 -k6,6n >"$out/queries.ranked"
pick() { # kind median|max
	awk -F'\t' -v k="$1" -v w="$2" '$2 == k {v[++n] = $7; r[n] = $6}
		END {i = w == "max" ? n : int((n + 1) / 2); print r[i] "\t" v[i]}' "$out/queries.ranked"
}
: >"$out/queries.txt"
for spec in word:median word:max prefix:median chinese:median error:median; do
	kind=${spec%:*} which=${spec#*:}
	line=$(pick "$kind" "$which")
	printf '%s %s: %s rows: %s\n' "$kind" "$which" "${line%%"$(printf '\t')"*}" "${line#*"$(printf '\t')"}" >>"$out/queries.txt"
	cg "search-$kind-$which" "$KB" search --db "$db" -- "${line#*"$(printf '\t')"}"
done

tmpdb=$out/build-full.db
rm -f "$tmpdb"
cg build-full "$KB" build -q --db "$tmpdb" "$small"
rm -f "$tmpdb"

note=$notes/$(head -1 "$BENCH_DIR/corpus-$size/touch.lst")
cp -p "$note" "$out/note.orig"
cp "$db" "$out/one-note.db"
printf '\n更新记录：profile.\n' >>"$note"
cg build-one-note "$KB" build -q --db "$out/one-note.db" "$notes"
if command -v strace >/dev/null 2>&1; then # with the system's libsqlite3, as timed
	printf '\n更新记录：strace.\n' >>"$note"
	env -u LD_LIBRARY_PATH strace -f -c -w -o "$out/build-one-note.strace" "$KB" build -q --db "$out/one-note.db" "$notes" || true
	echo "bench: one-note rebuild system calls -> $out/build-one-note.strace" >&2
fi
cp -p "$out/note.orig" "$note"
rm -f "$out/one-note.db" "$out/note.orig"
"$KB" build -q --db "$db" "$notes"
