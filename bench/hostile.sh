#!/bin/sh
# hostile.sh - peak memory and time of kb build and kb show for notes made to cost kb the
# square of their size or many times it in memory (issue 22: emphasis, hard breaks, list
# items, open image brackets, links, one paragraph of plain words), each note alone in its
# own notes directory, at about the size kb reads at most. Writes $BENCH_DIR/hostile.md, a table that bench/report.sh puts into
# RESULTS.md. Run by bench/run.sh, or alone: KB=build/kb BENCH_DIR=build/bench sh bench/hostile.sh
set -eu
: "${KB:=build/kb}" "${BENCH_DIR:=build/bench}"
KBBENCH=${KBBENCH:-$BENCH_DIR/kbbench}
work=$BENCH_DIR/hostile
rm -rf "$work"
mkdir -p "$work"
export KBBENCH_OUT="$work/scratch.out"

# note NAME AWK-PROGRAM: $work/NAME/NAME.md from the program's output
note() { mkdir -p "$work/$1" && awk "BEGIN { $2 }" >"$work/$1/$1.md"; }
note stars 'printf "# Stars\n\n"; for (i = 0; i < 4000000; i++) printf "*a* "; print ""'
note breaks 'printf "# Breaks\n\n"; for (i = 0; i < 3900000; i++) printf "a  \n"'
note brackets 'printf "# Brackets\n\n"; for (i = 0; i < 2700000; i++) printf "![[]()"; print ""'
note items 'printf "# Items\n\n"; for (i = 0; i < 3200000; i++) printf "- a\n\n"'
note sparse 'printf "# Sparse\n\n"; for (i = 0; i < 400000; i++) printf "![ an image bracket left open []() "; print ""'
note links 'printf "# Links\n\n"; for (i = 0; i < 100000; i++) printf "[x](f%d.sh) ", i; print ""'
note linked 'printf "# Linked\n\n"; for (i = 0; i < 270000; i++) printf "[x](f%d.sh) and words to keep the links apart a b ", i; print ""'
note images 'printf "# Images\n\n"; for (i = 0; i < 2000000; i++) printf "![](a) "; print ""'
note prose 'printf "# Prose\n\n"; for (i = 0; i < 4000000; i++) printf "abc "; print ""'

names="stars breaks items brackets sparse links linked images prose"
for n in $names; do
	printf 'build.%s\t%s\tbuild\t-q\t--db\t%s\t%s\n' "$n" "$KB" "$work/$n.db" "$work/$n"
done >"$work/build.cmds"
for n in $names; do
	printf 'show.%s\t%s\tshow\t--db\t%s\t%s\n' "$n" "$KB" "$work/$n.db" "$n.md"
done >"$work/show.cmds"
KBBENCH_WARMUP=none "$KBBENCH" procs 1 "$work/build.cmds" >"$work/results.tsv"
KBBENCH_WARMUP=none "$KBBENCH" procs 1 "$work/show.cmds" >>"$work/results.tsv"

# "stat LABEL n p50 p99 p25 p75 min max maxrss_kb failed" rows to the table
for n in $names; do printf 'size\t%s\t%s\n' "$n" "$(wc -c <"$work/$n/$n.md")"; done >"$work/sizes.tsv"
awk -F'\t' -v names="$names" '
	FNR == NR { size[$2] = $3; next }
	$1 == "stat" { ms[$2] = $4; rss[$2] = $10; bad[$2] = $11 }
	function cell(l, n) {
		if (!(l in ms)) return "– | –"
		return sprintf("%.0f ms%s | %.1f MB (%.1f×)", ms[l], bad[l] > 0 ? " (failed)" : "", rss[l] / 1024, rss[l] * 1024 / size[n])
	}
	END {
		print "## Hostile notes (one run each)"
		print ""
		print "Each note alone: `kb build` from nothing, then `kb show` of it (bench/hostile.sh). Peak"
		print "RSS, and in brackets that over the note'"'"'s size."
		print ""
		print "| note | size | build | build peak RSS | show | show peak RSS |"
		print "|---|---|---|---|---|---|"
		k = split(names, nm, " ")
		for (i = 1; i <= k; i++)
			printf "| %s | %.1f MB | %s | %s |\n", nm[i], size[nm[i]] / 1e6, cell("build." nm[i], nm[i]), cell("show." nm[i], nm[i])
		print ""
	}' "$work/sizes.tsv" "$work/results.tsv" >"$BENCH_DIR/hostile.md"
cat "$BENCH_DIR/hostile.md"
