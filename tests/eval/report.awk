# report.awk - the eval tables: recall by corpus and kind, overall by kind against the
# targets, latency and build times; with -v misses=--misses, kb's misses as well.
# Inputs: OUT/run.info, then the NAME.results files (columns: see score.awk).
BEGIN {
	FS = "\t"
	nk = split("english chinese mixed error pasted", kinds, " ")
	target["english"] = 0.85; target["mixed"] = 0.85; target["chinese"] = 0.90
	target["error"] = 0.95; target["pasted"] = 0.95
	nsys = split("kb fts5 grep", sysname, " ")
}
FNR == 1 { file++ }
file == 1 {
	split($0, f, " ")
	corpus[++nc] = f[1]
	if (f[2] == "absent") absent[f[1]] = f[3]
	else { info[f[1]] = $0; nquery[f[1]] = f[2] }
	next
}
FNR == 1 { c = FILENAME; sub(/.*\//, "", c); sub(/\.results$/, "", c) }
{
	# kind/class: the kind (language or error) is judged against its target; the class
	# (forms, page, fallback, lang, logs, typo, exact ...) says what the query tests
	k = $1; cls = "-"
	if (k ~ /\//) { cls = k; sub(/^[^\/]*\//, "", cls); sub(/\/.*/, "", k) }
	held = c ~ /\.held$/
	all = held ? "HELD" : "ALL"; ck = (held ? "held " : "") cls
	if (!(ck in seencls)) { seencls[ck] = 1; classes[++ncls] = ck }
	n[c, k]++; n[all, k]++; n[c]++; n[all, "*"]++; n["CLS", ck]++
	# the targets for error and pasted are about error lines: tldr's are command lines
	tg = !held && !(c == "tldr" && (k == "error" || k == "pasted"))
	if (tg) n["TGT", k]++
	for (s = 1; s <= nsys; s++) {
		r = $(2 + s)
		if (r == 1) { r1[c, k, s]++; r1[all, k, s]++; r1[all, "*", s]++; r1["CLS", ck, s]++; if (tg) r1["TGT", k, s]++ }
		if (r != "-" && r <= 5) { r5[c, k, s]++; r5[all, k, s]++; r5[all, "*", s]++; r5["CLS", ck, s]++ }
	}
	# confidently wrong: kb's first hit is wrong and the right document is not in its first five
	if ($11 != "" && ($3 == "-" || $3 > 5)) { wrong[all]++; wrong["CLS", ck]++ }
	lat[c, n[c]] = $6 / 1000; latmax[c, n[c]] = $7 / 1000; glat[c, n[c]] = $9 / 1000
	if ($8 > 1) kberr[c]++
	qtext[c, n[c]] = $10
	if ($3 != 1) { miss[++nm] = c "\t" $0 }
}
function ratio(a, b) { return b ? sprintf("%.2f", a / b) : "  - " }
function row(label, c, k,    s, line) {
	line = sprintf("%-13s %-8s %4d", label, k, n[c, k])
	for (s = 1; s <= nsys; s++)
		line = line sprintf("   %5s %5s", ratio(r1[c, k, s], n[c, k]), ratio(r5[c, k, s], n[c, k]))
	return line
}
function header(first) {
	printf "%-13s %-8s %4s", first, "kind", "n"
	for (s = 1; s <= nsys; s++) printf "   %5s %5s", sysname[s] "@1", sysname[s] "@5"
}
# sorts a[1..m] (numbers) in place
function nsort(a, m,    i, j, t) {
	for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
}
function pct(a, m, p,    i) { i = int(p * m + 0.999999); if (i < 1) i = 1; if (i > m) i = m; return a[i] }
END {
	print "kb search evaluation: recall of the right document (seed: the right entry) at ranks 1 and 5"
	print "kb = kb search --json -n 50 (hits mapped to documents, first occurrence kept);"
	print "fts5 = plain FTS5 unicode61, every word quoted and ANDed, ORDER BY rank; grep = grep -rlF of the"
	print "whole query (first line), hits sorted by path."
	print ""
	header("corpus"); print ""
	for (i = 1; i <= nc; i++) {
		c = corpus[i]
		if (c in absent) { printf "%-13s (skipped: no corpus at %s)\n", c, absent[c]; continue }
		for (j = 1; j <= nk; j++) if (n[c, kinds[j]]) print row(c, c, kinds[j])
	}
	print ""
	header("ALL"); printf "   %s\n", "kb@1 against its target"
	n["ALL", "all"] = n["ALL", "*"]
	for (s = 1; s <= nsys; s++) { r1["ALL", "all", s] = r1["ALL", "*", s]; r5["ALL", "all", s] = r5["ALL", "*", s] }
	for (j = 1; j <= nk; j++) {
		k = kinds[j]; if (!n["ALL", k]) continue
		v = n["TGT", k] ? r1["TGT", k, 1] / n["TGT", k] : 0
		printf "%s   %.2f %s %.2f %s%s\n", row("ALL", "ALL", k), v, (v >= target[k] ? ">=" : "< "), target[k],
			(v >= target[k] ? "ok" : "MISSED"), (n["TGT", k] != n["ALL", k] ? " (without tldr)" : "")
	}
	print row("ALL", "ALL", "all")
	printf "kb confidently wrong (first hit wrong, right document not in the first five): %d of %d (%s)\n", wrong["ALL"], n["ALL", "*"], ratio(wrong["ALL"], n["ALL", "*"])
	if (n["HELD", "*"]) {
		print ""
		header("HELD-OUT"); print "   (queries never tuned on: tests/eval/held-out/)"
		for (j = 1; j <= nk; j++) if (n["HELD", kinds[j]]) print row("HELD-OUT", "HELD", kinds[j])
		n["HELD", "all"] = n["HELD", "*"]
		for (s = 1; s <= nsys; s++) { r1["HELD", "all", s] = r1["HELD", "*", s]; r5["HELD", "all", s] = r5["HELD", "*", s] }
		print row("HELD-OUT", "HELD", "all")
		printf "kb confidently wrong on the held-out queries: %d of %d (%s)\n", wrong["HELD"], n["HELD", "*"], ratio(wrong["HELD"], n["HELD", "*"])
	}
	print ""
	printf "%-13s %-8s %4s", "by class", "", "n"
	for (s = 1; s <= nsys; s++) printf "   %5s %5s", sysname[s] "@1", sysname[s] "@5"
	print "   kb wrong"
	for (j = 1; j <= ncls; j++) {
		ck = classes[j]; if (ck == "-" || ck == "held -") continue
		line = sprintf("%-22s %4d", ck, n["CLS", ck])
		for (s = 1; s <= nsys; s++)
			line = line sprintf("   %5s %5s", ratio(r1["CLS", ck, s], n["CLS", ck]), ratio(r5["CLS", ck, s], n["CLS", ck]))
		printf "%s   %5s\n", line, ratio(wrong["CLS", ck], n["CLS", ck])
	}
	if (n["seed"]) printf "seed: %d of %d queries find their entry first (every seed case must)\n", r1["seed", "english", 1] + r1["seed", "chinese", 1] + r1["seed", "mixed", 1] + r1["seed", "error", 1] + r1["seed", "pasted", 1], n["seed"]

	print ""
	print "latency of kb: whole `kb search` processes (fork to exit; kb in-process is not available"
	print "from the shell), fastest of the repeated runs per query; grep -rlF for comparison"
	printf "%-13s %4s %9s %7s %7s %12s %11s   %s\n", "corpus", "n", "median ms", "p90 ms", "max ms", "worst run ms", "grep median", "slowest query (kb)"
	for (i = 1; i <= nc; i++) {
		c = corpus[i]; m = n[c]; if (!m) continue
		worst = 0; slow = 1; wrun = 0
		for (q = 1; q <= m; q++) {
			a[q] = lat[c, q]; b[q] = glat[c, q]
			if (lat[c, q] > worst) { worst = lat[c, q]; slow = q }
			if (latmax[c, q] > wrun) wrun = latmax[c, q]
		}
		nsort(a, m); nsort(b, m)
		sq = qtext[c, slow]; if (length(sq) > 50) sq = substr(sq, 1, 47) "..."
		printf "%-13s %4d %9.1f %7.1f %7.1f %12.1f %11.1f   %s\n", c, m, pct(a, m, 0.5), pct(a, m, 0.9), a[m], wrun, pct(b, m, 0.5), sq
		if (kberr[c]) printf "%-13s %d queries ended with kb exit status 2 (error)\n", "", kberr[c]
	}

	print ""
	print "builds (cached indexes are reused until kb or the corpus changes; time of the last build)"
	printf "%-13s %-13s %6s %7s %10s   %s\n", "corpus", "kb/fts5 index", "kb s", "fts5 s", "fts5/query", "kb build summary"
	for (i = 1; i <= nc; i++) {
		c = corpus[i]; if (c in absent) continue
		split(info[c], f, " ")
		kbb = readline(out "/" c ".kb.build"); ftb = readline(out "/" c ".fts5.build")
		split(kbb, kbf, " "); split(ftb, ftf, " ")
		sum = kbb; sub(/^[0-9]+ /, "", sum)
		printf "%-13s %-13s %6.2f %7.2f %8.2fms   %s%s\n", c, f[3] (f[4] != f[3] ? "/" f[4] : ""), kbf[1] / 1000, ftf[1] / 1000, f[5] / (f[2] ? f[2] : 1), sum,
			f[6] ? sprintf("  (%d FTS5 errors)", f[6]) : ""
	}

	if (misses != "") {
		print ""
		print "kb misses (the right document is not kb's first): corpus kind | kb fts5 grep ranks | query"
		for (i = 1; i <= nm; i++) {
			split(miss[i], f, "\t")
			q = f[11]; if (length(q) > 160) q = substr(q, 1, 157) "..."
			printf "[%s %s] kb %s, fts5 %s, grep %s | %s\n", f[1], f[2], f[4], f[5], f[6], q
			printf "    expected: %s\n    kb top 3: %s\n", f[3], f[12] == "" ? "(no hits)" : f[12]
		}
	}
}
function readline(path,    l) { l = ""; if ((getline l < path) <= 0) l = "0 ?"; close(path); return l }
