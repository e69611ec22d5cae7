#!/bin/sh
# report.sh - RESULTS.md from what bench/run.sh measured: report.sh BENCH_DIR SIZES
# (machine.tsv and results-SIZE.tsv in BENCH_DIR; SIZES comma-separated, smallest first).
set -eu
dir=$1
sizes=$2
files="$dir/machine.tsv"
for s in $(printf '%s\n' "$sizes" | tr ',' ' '); do files="$files $dir/results-$s.tsv"; done

# shellcheck disable=SC2086
awk -F'\t' -v sizes="$sizes" -v benchdir="$dir" '
function ms(x) { return x == "" ? "–" : x < 10 ? sprintf("%.2f", x) : x < 100 ? sprintf("%.1f", x) : sprintf("%.0f", x) }
function mb(b) { return sprintf("%.1f", b / 1e6) }
function has(s, l) { return ((s, l, "n") in st) }
function get(s, l, f) { return st[s, l, f] }
# "p50 (p25–p75)" in ms for a label
function lat(s, l) { return has(s, l) ? ms(get(s, l, "p50")) " (" ms(get(s, l, "p25")) "–" ms(get(s, l, "p75")) ")" : "–" }
function p99(s, l) { return has(s, l) ? ms(get(s, l, "p99")) : "–" }
function pass(ok) { return ok ? "**pass**" : "**FAIL**" }
function row(metric, value, target, ok) { printf "| %s | %s | %s | %s |\n", metric, value, target, ok }
FNR == 1 { file++ ; sz = (file == 1) ? "" : size[file - 1] }
BEGIN { ns = split(sizes, size, ","); big = size[ns] }
file == 1 { m[$1] = $2; next }
$1 == "info" { inf[sz, $2] = $3; next }
$1 == "stat" {
	l = $2; st[sz, l, "n"] = $3; st[sz, l, "p50"] = $4; st[sz, l, "p99"] = $5; st[sz, l, "p25"] = $6
	st[sz, l, "p75"] = $7; st[sz, l, "min"] = $8; st[sz, l, "max"] = $9; st[sz, l, "rss"] = $10
	st[sz, l, "failed"] = $11; next
}
$1 == "query" {
	q[sz, $2]++; if ($4 > 0) qh[sz, $2]++; if ($5 == "found") qf[sz, $2]++
	if ($3 == "hit") qw[sz, $2]++
	mt[sz, $2, q[sz, $2]] = $6 + 0; next
}
# the median of mt[s, k, 1..n]
function medmatch(s, k,    n, i, j, t, a) {
	n = q[s, k]; for (i = 1; i <= n; i++) a[i] = mt[s, k, i]
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n ? a[int((n + 1) / 2)] " (max " a[n] ")" : "–"
}
END {
	nk = split("word phrase chinese prefix error short cjk1", kind, " ")
	split("word phrase chinese prefix", wk, " ")
	print "# kb benchmark results"
	print ""
	printf "`make bench` (bench/run.sh, bench/report.sh) on %s.  \n", m["date"]
	printf "Machine: %s, %s CPUs, %s RAM; %s, Linux %s.  \n", m["host_cpu"], m["cpus"], m["mem"], m["os"], m["kernel"]
	printf "Software: %s (commit %s); %s; SQLite shell %s; %s; %s.  \n", m["kb"], m["commit"], m["cc"], m["sqlite3"], m["rg"], m["grep"]
	printf "Load average (1, 5, 15 min) at the start %s, at the end %s", m["load_start"], m["load_end"]
	for (i = 1; i <= ns; i++) printf "; %s: %s before, %s after", size[i], inf[size[i], "load_before"], inf[size[i], "load_after"]
	print ".  "
	printf "The machine'"'"'s speed before and after the full builds (`kbbench machine`: ns a random read within 256 KiB, 4 MiB and 64 MiB; ns for eight multiplies)"
	for (i = 1; i <= ns; i++) printf "%s %s: %s, %s", (i == 1 ? ":" : ";"), size[i], inf[size[i], "machine_before"], inf[size[i], "machine_after"]
	print ".  "
	printf "Corpora: generated from ../shared/corpora with seed %s into %s (see bench/README.md).\n", m["seed"], benchdir
	print ""
	print "Times are wall-clock milliseconds unless marked; \"p50 (p25–p75)\" is the median and the"
	print "interquartile range over all samples of a row (every query of the kind × repetitions);"
	print "p99 is nearest-rank. Where the time goes: bench/PROFILE.md."
	print ""

	s = big
	printf "## Targets (at %s entries%s)\n\n", s, (s == "100k" ? "" : "; the targets are for 100k, so this is indicative only")
	print "| metric | value | target | result |"
	print "|---|---|---|---|"
	for (i = 1; i <= 4; i++) {
		k = wk[i]; v = get(s, "proc." k, "p50")
		row("`kb search` process p50, " k, ms(v) " ms", "≤ 20 ms", pass(v != "" && v <= 20))
	}
	for (i = 1; i <= 4; i++) {
		k = wk[i]; a = get(s, "rg." k, "p50"); b = get(s, "proc." k, "p50")
		r = (b > 0) ? a / b : 0
		row("`rg -F` p50 / `kb search` p50, " k, sprintf("%.1f× (rg %s ms)", r, ms(a)), "≥ 50×", pass(r >= 50))
	}
	for (i = 1; i <= 4; i++) {
		k = wk[i]; v = get(s, "inproc." k, "p50")
		row("in-process query p50, " k, ms(v) " ms", "≤ 5 ms", pass(v != "" && v <= 5))
	}
	v = get(s, "proc.error", "p50")
	row("pasted error line, `kb search` process p50", ms(v) " ms (in-process " ms(get(s, "inproc.error", "p50")) ")", "≤ 30 ms", pass(v != "" && v <= 30))
	v = get(s, "build.full", "p50"); mbs = v > 0 ? inf[s, "md_bytes"] / 1e6 / (v / 1000) : 0
	row("full build", sprintf("%.1f MB/s (%s s for %s MB)", mbs, ms(v / 1000), mb(inf[s, "md_bytes"])), "≥ 20 MB/s", pass(mbs >= 20))
	v = get(s, "build.incr", "p50")
	row("one-note rebuild p50", ms(v / 1000) " s", "≤ 0.5 s", pass(v != "" && v <= 500))
	r = 0; for (i = 1; i <= nk; i++) if (get(s, "proc." kind[i], "rss") > r) r = get(s, "proc." kind[i], "rss")
	row("`kb search` peak RSS (max over all queries)", sprintf("%.1f MB", r / 1024), "≤ 32 MB", pass(r > 0 && r <= 32 * 1024))
	r = inf[s, "md_bytes"] > 0 ? inf[s, "db_bytes"] / inf[s, "md_bytes"] : 0
	row("index size / markdown size", sprintf("%.2f× (%s MB / %s MB)", r, mb(inf[s, "db_bytes"]), mb(inf[s, "md_bytes"])), "≤ 1.5×", pass(r > 0 && r <= 1.5))
	w = wi = 0; slowk = slowik = "–"
	for (i = 1; i <= nk; i++) {
		if (get(s, "proc." kind[i], "p99") + 0 > w) { w = get(s, "proc." kind[i], "p99") + 0; slowk = kind[i] }
		if (get(s, "inproc." kind[i], "p99") + 0 > wi) { wi = get(s, "inproc." kind[i], "p99") + 0; slowik = kind[i] }
	}
	row("`kb search` process p99, slowest kind (" slowk ")", ms(w) " ms", "≤ 50 ms", pass(w > 0 && w <= 50))
	row("in-process query p99, slowest kind (" slowik ")", ms(wi) " ms", "≤ 20 ms", pass(wi > 0 && wi <= 20))
	if (has(s, "browser.keys")) {
		v = get(s, "browser.keys", "p99")
		row("browser: a key to the screen that shows it, p99 (headless)", ms(v) " ms", "≤ 16 ms", pass(v <= 16))
	}
	if (has(s, "browser")) {
		v = get(s, "browser", "p50")
		row("browser first screen p50 (headless)", ms(v) " ms, " sprintf("%.1f MB", get(s, "browser", "rss") / 1024), "≤ 50 ms", pass(v <= 50))
	} else {
		row("browser first screen (headless)", "not measured", "≤ 50 ms", "–")
	}
	print ""

	print "## Builds, sizes and memory"
	print ""
	printf "| metric |"; for (i = 1; i <= ns; i++) printf " %s |", size[i]; print ""
	printf "|---|"; for (i = 1; i <= ns; i++) printf "---|"; print ""
	printf "| entries (kb build) / asked |"; for (i = 1; i <= ns; i++) printf " %s / %s |", inf[size[i], "entries"], inf[size[i], "corpus_entries"]; print ""
	printf "| notes (tldr / doc / error entries) |"; for (i = 1; i <= ns; i++) printf " %s (%s / %s / %s) |", inf[size[i], "corpus_notes"], inf[size[i], "corpus_entries_tldr"], inf[size[i], "corpus_entries_doc"], inf[size[i], "corpus_entries_error"]; print ""
	printf "| markdown |"; for (i = 1; i <= ns; i++) printf " %s MB |", mb(inf[size[i], "md_bytes"]); print ""
	printf "| index (kb.db) after a full build |"; for (i = 1; i <= ns; i++) printf " %s MB (%.2f×) |", mb(inf[size[i], "db_bytes"]), inf[size[i], "db_bytes"] / inf[size[i], "md_bytes"]; print ""
	printf "| index after the one-note rebuilds |"; for (i = 1; i <= ns; i++) printf " %s MB |", mb(inf[size[i], "db_bytes_after_rebuilds"]); print ""
	printf "| full build, s: p50 (min–max), n |"; for (i = 1; i <= ns; i++) { s = size[i]; printf " %s (%s–%s), %s |", ms(get(s, "build.full", "p50") / 1000), ms(get(s, "build.full", "min") / 1000), ms(get(s, "build.full", "max") / 1000), get(s, "build.full", "n") }; print ""
	printf "| full build, MB/s and entries/s |"; for (i = 1; i <= ns; i++) { s = size[i]; t = get(s, "build.full", "p50") / 1000; printf " %.1f MB/s, %.0f/s |", (t > 0 ? inf[s, "md_bytes"] / 1e6 / t : 0), (t > 0 ? inf[s, "entries"] / t : 0) }; print ""
	printf "| full build of notes not in the page cache, s: p50 (min–max), n |"; for (i = 1; i <= ns; i++) { s = size[i]; printf " %s |", has(s, "build.cold") ? sprintf("%s (%s–%s), %s", ms(get(s, "build.cold", "p50") / 1000), ms(get(s, "build.cold", "min") / 1000), ms(get(s, "build.cold", "max") / 1000), get(s, "build.cold", "n")) : "not measured" }; print ""
	printf "| full build peak RSS |"; for (i = 1; i <= ns; i++) printf " %.1f MB |", get(size[i], "build.full", "rss") / 1024; print ""
	printf "| full build peak RSS per million entries |"; for (i = 1; i <= ns; i++) printf " %.0f MB |", (inf[size[i], "entries"] > 0 ? get(size[i], "build.full", "rss") / 1024 / (inf[size[i], "entries"] / 1e6) : 0); print ""
	printf "| one-note rebuild, s: p50 (min–max), n |"; for (i = 1; i <= ns; i++) { s = size[i]; printf " %s (%s–%s), %s |", ms(get(s, "build.incr", "p50") / 1000), ms(get(s, "build.incr", "min") / 1000), ms(get(s, "build.incr", "max") / 1000), get(s, "build.incr", "n") }; print ""
	printf "| one-note rebuild peak RSS |"; for (i = 1; i <= ns; i++) printf " %.1f MB |", get(size[i], "build.incr", "rss") / 1024; print ""
	printf "| no-change rebuild, s: p50 (min–max) |"; for (i = 1; i <= ns; i++) { s = size[i]; printf " %s (%s–%s) |", ms(get(s, "build.noop", "p50") / 1000), ms(get(s, "build.noop", "min") / 1000), ms(get(s, "build.noop", "max") / 1000) }; print ""
	printf "| `kb search` peak RSS (max) |"; for (i = 1; i <= ns; i++) { r = 0; for (j = 1; j <= nk; j++) if (get(size[i], "proc." kind[j], "rss") > r) r = get(size[i], "proc." kind[j], "rss"); printf " %.1f MB |", r / 1024 }; print ""
	printf "| in-process driver peak RSS (all queries) |"; for (i = 1; i <= ns; i++) printf " %.1f MB |", get(size[i], "inproc.word", "rss") / 1024; print ""
	printf "| kb_index_open, ms |"; for (i = 1; i <= ns; i++) printf " %s |", ms(inf[size[i], "open_ms"]); print ""
	printf "| browser first screen |"; for (i = 1; i <= ns; i++) printf " %s |", (has(size[i], "browser") ? lat(size[i], "browser") : "slot"); print ""
	printf "| browser: a key to the screen, p50 (IQR) / p99, n |"; for (i = 1; i <= ns; i++) printf " %s / %s, %s |", lat(size[i], "browser.keys"), p99(size[i], "browser.keys"), get(size[i], "browser.keys", "n"); print ""
	printf "| browser: a key to its results on the screen, p50 (IQR) / p99, n |"; for (i = 1; i <= ns; i++) printf " %s / %s, %s |", lat(size[i], "browser.results"), p99(size[i], "browser.results"), get(size[i], "browser.results", "n"); print ""
	printf "| `kb show ID` (reader content, proxy) p50, RSS |"; for (i = 1; i <= ns; i++) printf " %s ms, %.1f MB |", ms(get(size[i], "show", "p50")), get(size[i], "show", "rss") / 1024; print ""
	printf "| `kb components` (browse list, proxy) p50, RSS |"; for (i = 1; i <= ns; i++) printf " %s ms, %.1f MB |", ms(get(size[i], "components", "p50")), get(size[i], "components", "rss") / 1024; print ""
	print ""

	for (i = 1; i <= ns; i++) {
		s = size[i]
		printf "## Queries at %s entries (ms)\n\n", s
		print "| kind | rows ranked, median (max) | in-process p50 (IQR) | p99 | `kb search` p50 (IQR) | p99 | sqlite3 shell p50 | bare FTS5 in-proc p50 | kb SQL in-proc p50 | grep -rF p50 | rg -F p50 | rg / kb | grep / kb | kb RSS |"
		print "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
		for (j = 1; j <= nk; j++) {
			k = kind[j]; b = get(s, "proc." k, "p50")
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.1f× | %.1f× | %.1f MB |\n", k, medmatch(s, k), lat(s, "inproc." k), p99(s, "inproc." k), lat(s, "proc." k), p99(s, "proc." k), ms(get(s, "shell." k, "p50")), ms(get(s, "fts-bare." k, "p50")), ms(get(s, "fts-kbsql." k, "p50")), ms(get(s, "grep." k, "p50")), ms(get(s, "rg." k, "p50")), (b > 0 ? get(s, "rg." k, "p50") / b : 0), (b > 0 ? get(s, "grep." k, "p50") / b : 0), get(s, "proc." k, "rss") / 1024
		}
		printf "\nRows ranked: entries the query'"'"'s MATCH selects (count(*)), all of which FTS5 scores (kb: kbrank, bm25 that skips the length lookup of rows that cannot be among the best; the shell and bare FTS5: bm25) and sorts for ORDER BY rank.  \n"
		printf "Samples per kind: in-process %s, kb search %s, sqlite3 shell %s, grep and rg %s.\n", get(s, "inproc.word", "n"), get(s, "proc.word", "n"), get(s, "shell.word", "n"), get(s, "rg.word", "n")
		printf "Queries (drawn from the corpus / made up, with hits, pasted lines whose note is in the top 20):"
		for (j = 1; j <= nk; j++) { k = kind[j]; printf " %s %d/%d, %d with hits%s;", k, qw[s, k], q[s, k] - qw[s, k], qh[s, k], (k == "error" ? sprintf(", %d found", qf[s, k]) : "") }
		print "\n"
	}

	s = big
	printf "## Index composition at %s (dbstat, MB)\n\n", s
	n = 0; for (key in inf) { split(key, kk, SUBSEP); if (kk[1] == s && kk[2] ~ /^dbstat_/) { n++; dn[n] = substr(kk[2], 8); dv[n] = inf[key] } }
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (dv[j] + 0 > dv[i] + 0) { t = dv[i]; dv[i] = dv[j]; dv[j] = t; t = dn[i]; dn[i] = dn[j]; dn[j] = t }
	print "| table or index | MB | share |"
	print "|---|---|---|"
	for (i = 1; i <= n; i++) printf "| %s | %s | %.0f%% |\n", dn[i], mb(dv[i]), 100 * dv[i] / inf[s, "db_bytes"]
	printf "| (free pages) | %s | %.0f%% |\n", mb(inf[s, "db_free_bytes"]), 100 * inf[s, "db_free_bytes"] / inf[s, "db_bytes"]
	print ""
	if ((getline line < (benchdir "/hostile.md")) > 0) {
		do print line; while ((getline line < (benchdir "/hostile.md")) > 0)
		close(benchdir "/hostile.md")
	}
	print "## How it was measured"
	print ""
	print "- Corpora: bench/gen.c derives notes from ../shared/corpora (tldr pages, Kubernetes and TiDB"
	print "  docs, and error notes in the style of kb/paas/deployment-issues.md built from the corpora'"'"'s"
	print "  error lines) with other names, ids, addresses, dates and shuffled sentences, counting"
	print "  entries with kb'"'"'s own compiler so that `kb build` finds exactly the number asked."
	print "- Queries: 20 drawn from the corpus and 4 made up per kind (word, \"phrase\", Chinese, prefix*,"
	print "  pasted error line with other values), the same set for every tool; grep and rg get the"
	print "  literal text (quotes and * removed), case-sensitive, output to a file. Beside them the"
	print "  worst cases: `short` (c* s* a* p* ch* st* co* re*) and `cjk1` (的 是 在 一 中 了 不 和), not"
	print "  for grep and rg; above 200k entries grep and rg run the first 4 queries of each kind."
	print "- The browser'"'"'s keystrokes: the headless mode with its timing log types 4 queries of each"
	print "  kind a key at a time, 80 ms apart, the searches on their thread (`settle off`); a key is"
	print "  timed to the screen that shows it, and to the screen with its search'"'"'s results."
	print "- Processes are timed by bench/kbbench.c (fork, exec, wait4: wall time and peak RSS), one"
	print "  untimed warm-up round first, all with a warm page cache. `kb search` and `rg -F` run"
	print "  interleaved, query by query and round by round (the kb runs of a query, then its rg run), so"
	print "  that their ratio compares them at the same moments. In-process: kb_search_run() as"
	print "  `kb search` calls it (20 hits, snippets); \"bare FTS5\" is `SELECT rowid FROM fts WHERE fts"
	print "  MATCH ? ORDER BY rank LIMIT 20` (40 for a pasted line: kb'"'"'s candidate query) and \"kb SQL\""
	print "  the statement of kb_index_search with the join and snippets, same connection settings."
	print "- The sqlite3 shell loads the kb tokenizer (bench/kbtok_ext.c) and runs the bare statement"
	print "  with the MATCH text of `kb debug query` (for pasted lines: the ORed words kb searches first)."
	print "- One-note rebuild: a line appended to one note (a different note each time), then `kb"
	print "  build`; the notes are restored afterwards. Full build: the index removed, then `kb build`."
}' $files
