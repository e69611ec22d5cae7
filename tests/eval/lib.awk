# lib.awk - helpers shared by the eval scripts (POSIX awk; mawk is enough).

# unescape(S): the query text of an escaped query field: \n newline, \t tab, \\ backslash;
# any other backslash stays as it is.
function unescape(s,    out, i, c, d) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\\" && i < length(s)) {
			d = substr(s, i + 1, 1)
			if (d == "n") { out = out "\n"; i++; continue }
			if (d == "t") { out = out "\t"; i++; continue }
			if (d == "\\") { out = out "\\"; i++; continue }
		}
		out = out c
	}
	return out
}

# jfield(LINE, KEY): the string value of "KEY":"..." in a JSON line of kb search --json
# (ids and paths hold no escaped quotes).
function jfield(s, k,    p, v) {
	p = index(s, "\"" k "\":\"")
	if (!p) return ""
	v = substr(s, p + length(k) + 4)
	return substr(v, 1, index(v, "\"") - 1)
}
