# fts5.awk - the plain FTS5 baseline's SQL: escaped queries in, one SELECT per query out.
# Every whitespace-separated word of the query (all its lines) is double-quoted, inner
# quotes doubled, and the phrases are ANDed; each query is preceded by a row "@@ N".
# Needs lib.awk and -v nhits=N.
{
	q = unescape($0); n = split(q, w, /[ \t\n]+/); m = ""
	for (i = 1; i <= n; i++) if (w[i] != "") {
		gsub(/"/, "\"\"", w[i]); m = m (m == "" ? "" : " ") "\"" w[i] "\""
	}
	gsub(/'/, "''", m)
	print "SELECT '@@ " NR "';"
	if (m != "") print "SELECT path FROM d WHERE d MATCH '" m "' ORDER BY rank LIMIT " nhits ";"
}
