# score.awk - one results line per query: where each system ranks the right document.
# Inputs, in order: NAME.meta (kind TAB expected), NAME.q (escaped queries), NAME.kb.out
# (runq over kb search --json), NAME.fts5.out (sqlite3), NAME.grep.out (runq over grep).
# -v unit=entry: documents are kb entry ids (the seed), else file paths.
# A rank is the 1-based position among distinct documents, "-" when absent; expected
# may list several right documents separated by "|" (the best one counts). grep's rank
# is the position in its hits sorted by path.
# Output columns: kind expected kb fts5 grep kb_us kb_max_us kb_status grep_us query kb_top3
BEGIN { FS = "\t" }
FNR == 1 { file++ }
file == 1 {
	kind[FNR] = $1; expect[FNR] = $2; nq = FNR
	ne = split($2, e, "|")
	for (i = 1; i <= ne; i++) isexp[FNR, e[i]] = 1
	next
}
file == 2 { query[FNR] = $0; next }
/^@@ / {
	split($0, h, " "); cur = h[2]
	if (file == 3) { kbus[cur] = h[3]; kbmax[cur] = h[4]; kbst[cur] = h[5] }
	if (file == 5) gus[cur] = h[3]
	next
}
file == 3 { add(1, cur, jfield($0, unit == "entry" ? "id" : "path")); next }
file == 4 { add(2, cur, $0); next }
file == 5 {
	d = $0; sub(/^\.\//, "", d)
	if (d != "" && !((3, cur, d) in seen)) { seen[3, cur, d] = 1; g[cur, ++ng[cur]] = d }
	next
}
function add(sys, q, d,    r) {
	if (d == "" || (sys, q, d) in seen) return
	seen[sys, q, d] = 1
	r = ++cnt[sys, q]
	if (sys == 1 && r <= 3) top[q] = top[q] (r > 1 ? " | " : "") d
	if ((q, d) in isexp && !((sys, q) in rank)) rank[sys, q] = r
}
function grank(q,    i, j, best, r) {
	best = 0
	for (i = 1; i <= ng[q]; i++) {
		if (!((q, g[q, i]) in isexp)) continue
		r = 1
		for (j = 1; j <= ng[q]; j++) if (g[q, j] < g[q, i]) r++
		if (!best || r < best) best = r
	}
	return best ? best : "-"
}
END {
	for (q = 1; q <= nq; q++) {
		r1 = (1, q) in rank ? rank[1, q] : "-"
		r2 = (2, q) in rank ? rank[2, q] : "-"
		printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", kind[q], expect[q], r1, r2, grank(q),
			kbus[q], kbmax[q], kbst[q], gus[q], query[q], top[q]
	}
}
