/* normalize.c - error lines to signatures: the parts that differ between two copies of one
 * error (addresses, ids, numbers, times, paths, names) become placeholders.
 *
 * The scanner walks the line once. At every word boundary it tries the matchers below,
 * longest-lived shapes first (URLs, UUIDs, addresses, dates and times, hex ids, versions,
 * paths, durations, numbers, quoted and bracketed names); whatever no matcher takes is
 * copied, ASCII lower-cased, with runs of white space collapsed to one space. */
#include "kb/normalize.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>

#include "kb/width.h"

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static bool is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(int c) { return c >= 'a' && c <= 'z'; }
static bool is_word(int c) { return kb_ascii_isword((unsigned char)c); }
static bool is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/* A matcher looks at s[i..n) and returns how many bytes it takes (0: not its shape). */
struct scan {
	const char *s;
	size_t n;
};

static int at(const struct scan *sc, size_t i)
{
	return i < sc->n ? (unsigned char)sc->s[i] : 0;
}

static bool word_end(const struct scan *sc, size_t j)
{
	return !is_word(at(sc, j));
}

static size_t span_of(const struct scan *sc, size_t i, bool (*cls)(int))
{
	size_t j = i;
	while (j < sc->n && cls((unsigned char)sc->s[j]))
		j++;
	return j - i;
}

static size_t m_url(const struct scan *sc, size_t i)
{
	size_t j = i;
	if (!is_lower(at(sc, j)) && !is_upper(at(sc, j)))
		return 0;
	while (kb_ascii_isalnum(at(sc, j)) || at(sc, j) == '+' || at(sc, j) == '.' || at(sc, j) == '-')
		j++;
	if (j - i < 2 || at(sc, j) != ':' || at(sc, j + 1) != '/' || at(sc, j + 2) != '/')
		return 0;
	j += 3;
	while (j < sc->n && at(sc, j) > 0x20 && at(sc, j) < 0x7f && !strchr("\"'<>`", at(sc, j)))
		j++;
	while (j > i && strchr(".,;:)]}", at(sc, j - 1)))
		j--;
	return j - i;
}

static size_t m_uuid(const struct scan *sc, size_t i)
{
	static const int groups[] = {8, 4, 4, 4, 12};
	size_t j = i;
	for (int g = 0; g < 5; g++) {
		if (g && at(sc, j++) != '-')
			return 0;
		for (int k = 0; k < groups[g]; k++)
			if (!is_hex(at(sc, j++)))
				return 0;
	}
	return word_end(sc, j) ? j - i : 0;
}

/* Digits and an optional fraction: "42", "3.5". */
static size_t m_decimal(const struct scan *sc, size_t i)
{
	size_t j = i + span_of(sc, i, is_digit);
	if (j == i)
		return 0;
	if (at(sc, j) == '.' && is_digit(at(sc, j + 1)))
		j += 1 + span_of(sc, j + 1, is_digit);
	return j - i;
}

static size_t m_port(const struct scan *sc, size_t j)
{
	size_t d;
	if (at(sc, j) == ':' && (d = span_of(sc, j + 1, is_digit)) > 0 && d <= 5 && word_end(sc, j + 1 + d))
		return 1 + d;
	return 0;
}

static size_t m_ipv4(const struct scan *sc, size_t i)
{
	size_t j = i;
	for (int g = 0; g < 4; g++) {
		size_t d;
		if (g && at(sc, j++) != '.')
			return 0;
		d = span_of(sc, j, is_digit);
		if (d == 0 || d > 3)
			return 0;
		j += d;
	}
	if (is_word(at(sc, j)) || (at(sc, j) == '.' && is_digit(at(sc, j + 1))))
		return 0;
	if (at(sc, j) == '/' && is_digit(at(sc, j + 1)))
		j += 1 + span_of(sc, j + 1, is_digit);
	return j + m_port(sc, j) - i;
}

static bool hex_or_colon(int c) { return is_hex(c) || c == ':'; }

static size_t m_ipv6_bare(const struct scan *sc, size_t i)
{
	size_t len = span_of(sc, i, hex_or_colon), colons = 0, group = 0;
	bool dbl = false;
	while (len > 0 && at(sc, i + len - 1) == ':' && at(sc, i + len - 2) != ':')
		len--; /* "host::1:" keeps "::1"; a lone trailing colon is punctuation */
	for (size_t k = 0; k < len; k++) {
		if (at(sc, i + k) == ':') {
			colons++;
			dbl |= k > 0 && at(sc, i + k - 1) == ':';
			group = 0;
		} else if (++group > 4) {
			return 0;
		}
	}
	if (colons < 2 || (!dbl && colons != 7) || is_word(at(sc, i + len)))
		return 0;
	if (at(sc, i + len) == '%') /* zone index: fe80::1%eth0 */
		len += 1 + span_of(sc, i + len + 1, is_word);
	return len;
}

static size_t m_ipv6(const struct scan *sc, size_t i)
{
	size_t len;
	if (at(sc, i) == '[') {
		len = m_ipv6_bare(sc, i + 1);
		if (len == 0 || at(sc, i + 1 + len) != ']')
			return 0;
		return 2 + len + m_port(sc, i + 2 + len);
	}
	return m_ipv6_bare(sc, i);
}

static size_t m_date(const struct scan *sc, size_t i)
{
	size_t j = i, d = span_of(sc, i, is_digit);
	int sep;
	if (d != 4)
		return 0;
	j += 4;
	sep = at(sc, j);
	if (sep != '-' && sep != '/' && sep != '.')
		return 0;
	for (int g = 0; g < 2; g++) {
		if (at(sc, j++) != sep)
			return 0;
		d = span_of(sc, j, is_digit);
		if (d == 0 || d > 2)
			return 0;
		j += d;
	}
	if (at(sc, j) == 'T' && is_digit(at(sc, j + 1)))
		return j - i; /* the time after T is matched on its own */
	return word_end(sc, j) ? j - i : 0;
}

static size_t m_time(const struct scan *sc, size_t i)
{
	size_t j = i, d = span_of(sc, i, is_digit);
	if (d == 0 || d > 2 || at(sc, i + d) != ':')
		return 0;
	j += d;
	for (int g = 0; g < 2 && at(sc, j) == ':' && span_of(sc, j + 1, is_digit) == 2; g++)
		j += 3;
	if (j == i + d)
		return 0;
	if ((at(sc, j) == '.' || at(sc, j) == ',') && is_digit(at(sc, j + 1)))
		j += 1 + span_of(sc, j + 1, is_digit);
	if (at(sc, j) == 'Z')
		j++;
	else if ((at(sc, j) == '+' || at(sc, j) == '-') && span_of(sc, j + 1, is_digit) == 2 &&
	         at(sc, j + 3) == ':' && span_of(sc, j + 4, is_digit) == 2)
		j += 6;
	return word_end(sc, j) ? j - i : 0;
}

static size_t m_hex(const struct scan *sc, size_t i)
{
	size_t len;
	bool digit = false, letter = false;
	if (at(sc, i) == '0' && (at(sc, i + 1) == 'x' || at(sc, i + 1) == 'X')) {
		len = span_of(sc, i + 2, is_hex);
		return len && word_end(sc, i + 2 + len) ? len + 2 : 0;
	}
	len = span_of(sc, i, is_hex);
	if (len < 7 || !word_end(sc, i + len))
		return 0;
	for (size_t k = 0; k < len; k++) {
		digit |= is_digit(at(sc, i + k));
		letter |= !is_digit(at(sc, i + k));
	}
	return digit && letter ? len : 0;
}

/* v1.2, 1.2.3, 3.04.06.01.03, v12.19.10.b06: three or more dotted parts, or v and two. */
static size_t m_version(const struct scan *sc, size_t i)
{
	size_t j = i, parts = 1;
	bool v = at(sc, i) == 'v' || at(sc, i) == 'V';
	if (v)
		j++;
	if (!is_digit(at(sc, j)))
		return 0;
	j += span_of(sc, j, is_digit);
	for (;;) {
		size_t len = span_of(sc, j + 1, kb_ascii_isalnum);
		bool digit = false;
		for (size_t k = 0; k < len; k++)
			digit |= is_digit(at(sc, j + 1 + k));
		/* .19 .b06 -rc1 are parts; .tar .gz are not */
		if ((at(sc, j) != '.' && at(sc, j) != '-') || len == 0 || !digit)
			break;
		j += 1 + len;
		parts++;
	}
	if (parts < 2 || (!v && parts < 3) || !word_end(sc, j))
		return 0;
	return j - i;
}

static bool path_char(int c)
{
	return c > 0x20 && c < 0x7f && !strchr("\"'`<>|,;()[]{}", c);
}

static size_t m_path(const struct scan *sc, size_t i)
{
	size_t j = i, slashes = 0;
	if (at(sc, i) == '~' && at(sc, i + 1) == '/')
		j++;
	else if (at(sc, i) == '.' && (at(sc, i + 1) == '/' || (at(sc, i + 1) == '.' && at(sc, i + 2) == '/')))
		j += at(sc, i + 1) == '/' ? 1 : 2;
	else if (at(sc, i) != '/' || (!is_word(at(sc, i + 1)) && at(sc, i + 1) != '.'))
		return 0;
	while (path_char(at(sc, j))) {
		slashes += at(sc, j) == '/';
		j++;
	}
	while (j > i && strchr(".:", at(sc, j - 1)))
		j--;
	return slashes >= (j - i > 1 && at(sc, i) == '/' ? 2u : 1u) ? j - i : 0;
}

static size_t m_duration(const struct scan *sc, size_t i)
{
	static const char *const units[] = {"ms", "us", "ns", "s", "m", "h", "d", "min", "mins",
	                                    "sec", "secs", "seconds", "minutes", "hours"};
	size_t j = i, k;
	bool any = false;
	while ((k = m_decimal(sc, j)) > 0) {
		size_t u = span_of(sc, j + k, is_lower), best = 0;
		for (size_t x = 0; x < KB_NELEM(units); x++)
			if (strlen(units[x]) == u && strncmp(sc->s + j + k, units[x], u) == 0)
				best = u;
		if (!best)
			break;
		j += k + best;
		any = true;
	}
	return any && word_end(sc, j) ? j - i : 0;
}

static size_t m_number(const struct scan *sc, size_t i)
{
	size_t k = m_decimal(sc, i);
	return k && word_end(sc, i + k) ? k : 0;
}

static bool name_char(int c)
{
	return kb_ascii_isalnum(c) || strchr("._:/-@", c);
}

/* A name in quotes or brackets: no spaces, and a digit or separator, so that a quoted
 * message or an UPPER_CODE stays as it is. */
static size_t m_delimited_name(const struct scan *sc, size_t i, int open, int close)
{
	size_t len;
	bool shape = false, lower = false;
	if (at(sc, i) != open)
		return 0;
	len = span_of(sc, i + 1, name_char);
	if (len == 0 || len > 80 || at(sc, i + 1 + len) != close || strchr("/.~", at(sc, i + 1)))
		return 0;
	for (size_t k = 0; k < len; k++) {
		int c = at(sc, i + 1 + k);
		shape |= is_digit(c) || (strchr(".:/-@", c) && k > 0 && k + 1 < len);
		lower |= is_lower(c);
	}
	return shape && lower ? len + 2 : 0;
}

/* Placeholders an author typed for an address. */
static size_t m_typed_ip(const struct scan *sc, size_t i)
{
	static const char *const words[] = {"IPV6ADDRESS", "IPV4ADDRESS", "IPADDRESS", "IP_ADDRESS",
	                                    "IPV6_ADDRESS", "IPV4_ADDRESS", "IPADDR", "IP_ADDR",
	                                    "HOST_IP", "HOSTIP", "x.x.x.x", "X.X.X.X", "<ip>"};
	if (!strchr("IHxX<", at(sc, i)) || at(sc, i) == 0)
		return 0; /* the first letters of the words */
	for (size_t k = 0; k < KB_NELEM(words); k++) {
		size_t len = strlen(words[k]);
		if (len <= sc->n - i && memcmp(sc->s + i, words[k], len) == 0 && word_end(sc, i + len))
			return len;
	}
	return 0;
}

/* Copies a hyphenated identifier, replacing generated parts (web-5f7d9c-x2k) by <id>. */
static size_t m_generated(const struct scan *sc, size_t i, struct kb_buf *out)
{
	size_t j = i + span_of(sc, i, kb_ascii_isalnum), seg = 0;
	bool any = false;
	struct kb_buf tmp = {0};
	if (at(sc, j) != '-' || !kb_ascii_isalnum(at(sc, j + 1)))
		return 0; /* one part: nothing to replace */
	j = i;
	while (kb_ascii_isalnum(at(sc, j))) {
		size_t len = span_of(sc, j, kb_ascii_isalnum);
		bool digit = false, alpha = false;
		for (size_t k = 0; k < len; k++) {
			digit |= is_digit(at(sc, j + k));
			alpha |= !is_digit(at(sc, j + k));
		}
		if (seg > 0 && (at(sc, j) == 'v' || at(sc, j) == 'V') && is_digit(at(sc, j + 1)))
			break; /* a version follows: name-v1.2.3 */
		if (seg > 0 && digit && alpha && len >= 3 && len <= 16) {
			kb_buf_puts(&tmp, "<id>");
			any = true;
		} else {
			for (size_t k = 0; k < len; k++)
				kb_buf_putc(&tmp, (char)kb_ascii_tolower(at(sc, j + k)));
		}
		j += len;
		seg++;
		if (at(sc, j) != '-' || !kb_ascii_isalnum(at(sc, j + 1)))
			break;
		kb_buf_putc(&tmp, '-');
		j++;
	}
	if (j > i && sc->s[j - 1] == '-') { /* stopped before a version: give the - back */
		j--;
		tmp.len--;
	}
	if (any && seg >= 2 && word_end(sc, j))
		kb_buf_put(out, tmp.s, tmp.len);
	else
		j = i;
	kb_buf_free(&tmp);
	return j - i;
}

static const char *const month_day_names[] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static size_t m_date_word(const struct scan *sc, size_t i)
{
	if (span_of(sc, i, kb_ascii_isalnum) != 3 || !is_upper(at(sc, i)))
		return 0;
	for (size_t k = 0; k < KB_NELEM(month_day_names); k++)
		if (kb_ascii_tolower(at(sc, i)) == month_day_names[k][0] &&
		    at(sc, i + 1) == month_day_names[k][1] && at(sc, i + 2) == month_day_names[k][2])
			return 3;
	return 0;
}

/* What a byte can start, for try_matchers: each matcher returns 0 unless the text at i
 * starts with a byte of its kind (a URL with a letter, an address with a digit, a hex
 * letter, '[' or ':' ...), so only those are tried. A word start costs a dozen matchers
 * otherwise, most of which scan on into the word: for every symptom of every build. */
enum {
	F_DIGIT = 1, F_HEXLETTER = 2, F_LOWER = 4, F_UPPER = 8, F_V = 16, F_TYPED = 32, F_PATH = 64,
	F_IPV6 = 128, F_QUOTE = 256,
	F_ANY = 511
};

static unsigned first_kind(int c)
{
	unsigned f = 0;
	if (is_digit(c))
		return F_DIGIT;
	if (is_lower(c) || is_upper(c)) {
		f |= is_lower(c) ? F_LOWER : F_UPPER;
		f |= is_hex(c) ? F_HEXLETTER : 0;
		f |= c == 'v' || c == 'V' ? F_V : 0;
		f |= c == 'I' || c == 'H' || c == 'x' || c == 'X' ? F_TYPED : 0;
		return f;
	}
	switch (c) {
	case '<': return F_TYPED;
	case '~': case '.': case '/': return F_PATH;
	case ':': return F_IPV6;
	case '[': return F_IPV6 | F_QUOTE;
	case '"': case '\'': return F_QUOTE;
	default: return 0;
	}
}

/* Tries the matchers at s[i] (a word boundary): those its first byte can start, or (for
 * kb_normalize_first_kinds_agree) all of them. Appends the replacement and returns the
 * bytes consumed, or 0. */
static size_t try_matchers(const struct scan *sc, size_t i, struct kb_buf *out, bool by_kind)
{
	static const struct {
		size_t (*fn)(const struct scan *, size_t);
		const char *repl;
		unsigned first; /* first_kind() of the bytes it can start with */
	} matchers[] = {
		{m_url, "<url>", F_LOWER | F_UPPER},
		{m_uuid, "<uuid>", F_DIGIT | F_HEXLETTER},
		{m_typed_ip, "<ip>", F_TYPED},
		{m_ipv4, "<ip>", F_DIGIT},
		{m_ipv6, "<ip>", F_DIGIT | F_HEXLETTER | F_IPV6},
		{m_time, "<time>", F_DIGIT},
		{m_hex, "<hex>", F_DIGIT | F_HEXLETTER},
		{m_version, "<ver>", F_DIGIT | F_V},
		{m_path, "<path>", F_PATH},
		{m_duration, "<dur>", F_DIGIT},
		{m_number, "<num>", F_DIGIT},
		{m_date_word, "<date>", F_UPPER},
	};
	unsigned kind = by_kind ? first_kind(at(sc, i)) : F_ANY;
	size_t k, t;
	if (!(kind & F_DIGIT))
		k = 0;
	else if ((k = m_date(sc, i)) > 0) { /* 2023-09-04T10:20:30Z keeps its T */
		kb_buf_puts(out, "<date>");
		if (at(sc, i + k) == 'T' && (t = m_time(sc, i + k + 1)) > 0) {
			kb_buf_puts(out, "T<time>");
			k += 1 + t;
		}
		return k;
	}
	for (size_t m = 0; m < KB_NELEM(matchers); m++) {
		if ((matchers[m].first & kind) && (k = matchers[m].fn(sc, i)) > 0) {
			kb_buf_puts(out, matchers[m].repl);
			return k;
		}
	}
	if (!(kind & F_QUOTE))
		return kind & (F_DIGIT | F_LOWER | F_UPPER) ? m_generated(sc, i, out) : 0;
	if ((k = m_delimited_name(sc, i, '"', '"')) || (k = m_delimited_name(sc, i, '\'', '\''))) {
		kb_buf_printf(out, "%c<str>%c", sc->s[i], sc->s[i]);
		return k;
	}
	if ((k = m_delimited_name(sc, i, '[', ']')) && memchr(sc->s + i, '-', k) &&
	    !memchr(sc->s + i, '.', k) && !memchr(sc->s + i, ':', k) && !memchr(sc->s + i, '/', k)) {
		kb_buf_puts(out, "[<name>]");
		return k;
	}
	return m_generated(sc, i, out);
}

static char *normalize(const char *s, size_t n, bool by_kind)
{
	struct scan sc = {s, n};
	struct kb_buf out = {0};
	size_t i = 0;
	kb_xgrow(&out.s, &out.cap, n + 16, 1); /* placeholders rarely make a line longer */
	out.s[0] = '\0';
	while (i < n) {
		int c = (unsigned char)s[i];
		size_t k;
		if (is_space(c)) {
			if (out.len && out.s[out.len - 1] != ' ')
				kb_buf_putc(&out, ' ');
			i++;
			continue;
		}
		if ((i == 0 || !is_word((unsigned char)s[i - 1])) && (k = try_matchers(&sc, i, &out, by_kind)) > 0) {
			i += k;
			continue;
		}
		if (is_word(c)) { /* copy the rest of the word: no matcher starts inside one */
			while (i < n && is_word((unsigned char)s[i]))
				kb_buf_putc(&out, (char)kb_ascii_tolower((unsigned char)s[i++]));
			continue;
		}
		kb_buf_putc(&out, (char)c);
		i++;
	}
	while (out.len && out.s[out.len - 1] == ' ')
		out.s[--out.len] = '\0';
	return kb_buf_take(&out);
}

char *kb_normalize(const char *s, size_t n)
{
	return normalize(s, n, true);
}

bool kb_normalize_first_kinds_agree(const char *s, size_t n)
{
	char *a = normalize(s, n, true), *b = normalize(s, n, false);
	bool same = strcmp(a, b) == 0;
	free(a);
	free(b);
	return same;
}

/* The next word of a signature at or after *p (a placeholder such as <ip>, or a run of
 * letters): its start and length, *p moved past it; false at the end. */
static bool next_word(const char **p, const char **word, size_t *len)
{
	while (**p) {
		const char *q, *s = *p;
		if (*s == '<' && (q = strchr(s, '>')) && q - s <= 6 && q > s + 1 && is_lower((unsigned char)s[1])) {
			*word = s;
			*len = (size_t)(q - s + 1);
			*p = q + 1;
			return true;
		}
		q = s;
		while (*q) {
			uint32_t cp;
			int n = kb_utf8_decode(q, strnlen(q, 4), &cp);
			bool letter = cp < 0x80 ? is_word((int)cp) : !kb_width_is_cjk_punct(cp) && cp != KB_UTF8_BAD;
			if (!letter)
				break;
			q += n;
		}
		if (q > s) {
			*word = s;
			*len = (size_t)(q - s);
			*p = q;
			return true;
		}
		uint32_t cp;
		*p += kb_utf8_decode(s, strnlen(s, 4), &cp);
	}
	return false;
}

void kb_normalize_words(const char *sig, struct kb_strv *out)
{
	const char *p = sig, *w;
	size_t n;
	while (next_word(&p, &w, &n))
		kb_strv_push_own(out, kb_xstrndup(w, n));
}

/* A signature's words and its pairs of neighbouring words as 64-bit hashes (FNV-1a), each
 * list sorted: similarity compares numbers, not strings it would allocate. */
struct hashed {
	uint64_t *w, *b;
	size_t nw, nb;
};

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

static void hash_words(const char *sig, struct hashed *h)
{
	const char *p = sig, *w;
	size_t n, cap = 0;
	memset(h, 0, sizeof *h);
	while (next_word(&p, &w, &n)) {
		uint64_t x = 14695981039346656037u;
		for (size_t i = 0; i < n; i++)
			x = (x ^ (unsigned char)w[i]) * 1099511628211u;
		kb_xgrow(&h->w, &cap, h->nw + 1, sizeof *h->w);
		h->w[h->nw++] = x;
	}
	h->b = kb_xcalloc(h->nw + 1, sizeof *h->b);
	for (size_t i = 0; i + 1 < h->nw; i++) /* a pair: its first word's hash mixed, then the second's */
		h->b[h->nb++] = (h->w[i] * 0x9E3779B97F4A7C15u) ^ (h->w[i + 1] + 0x632BE59BD9B4E019u);
	if (h->nw > 1)
		qsort(h->w, h->nw, sizeof *h->w, cmp_u64);
	if (h->nb > 1)
		qsort(h->b, h->nb, sizeof *h->b, cmp_u64);
}

/* Dice coefficient of two sorted multisets. */
static double dice(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	size_t i = 0, j = 0, common = 0;
	if (na + nb == 0)
		return 0;
	while (i < na && j < nb) {
		if (a[i] == b[j])
			common++, i++, j++;
		else if (a[i] < b[j])
			i++;
		else
			j++;
	}
	return 2.0 * (double)common / (double)(na + nb);
}

double kb_normalize_similarity(const char *a, const char *b)
{
	struct hashed ha, hb;
	double s;
	hash_words(a, &ha);
	hash_words(b, &hb);
	s = (ha.nw < 2 || hb.nw < 2) ? dice(ha.w, ha.nw, hb.w, hb.nw)
	                             : 0.4 * dice(ha.w, ha.nw, hb.w, hb.nw) + 0.6 * dice(ha.b, ha.nb, hb.b, hb.nb);
	free(ha.w);
	free(ha.b);
	free(hb.w);
	free(hb.b);
	return s;
}

/* Error words found inside identifiers too (failReason, ImagePullBackOff). */
static const char *const error_stems[] = {
	"error", "fail", "exception", "refused", "denied", "timeout", "backoff", "panic", "fatal",
	"invalid", "unknown", "unable", "unavailable", "forbidden", "unauthorized", "illegal",
	"crash", "abort", "mismatch", "corrupt", "deadlock", "overflow", "notfound", "killed",
	"rejected", "violation", "traceback", "cannot", "unreachable", "expired", "conflict",
	"exceeded", "exhausted", "not_found", "missing"};
/* Whole words or phrases only. */
static const char *const error_phrases[] = {
	"err", "oom", "not found", "timed out", "no such", "could not", "couldn't", "can't",
	"not available", "not allowed", "broken pipe", "connection reset", "not exist",
	"does not exist", "404", "500", "502", "503", "504", "401", "403", "segmentation fault",
	"eof", "run out", "out of memory", "no space", "too many"};
static const char *const error_cjk[] = {
	"失败", "错误", "异常", "报错", "超时", "拒绝", "无法", "不可用", "不存在", "非法",
	"不支持", "找不到", "未找到", "崩溃", "冲突", "出错"};

/* The words of the three lists (each of two bytes or more) ordered by their first two
 * bytes, and where each pair of bytes starts in that order (index + 1; 0: no word starts
 * so): filled once. */
struct error_word {
	const char *w;
	size_t len;
	bool whole; /* a phrase: only as whole words */
	bool stem;  /* a stem, or "err": what has_error_stem looks for inside identifiers */
	unsigned pair;
};
static struct error_word words_by_pair[KB_NELEM(error_stems) + KB_NELEM(error_phrases) + KB_NELEM(error_cjk)];
static uint16_t pair_start[65536];
/* The pairs of bytes that start a word, in any case: 8 KiB, read first, on the text as it is. */
static uint64_t pair_bits[65536 / 64];
static pthread_once_t pair_once = PTHREAD_ONCE_INIT;

static unsigned pair_of(const char *w)
{
	return (unsigned)(unsigned char)w[0] << 8 | (unsigned char)w[1];
}

static int cmp_pair(const void *a, const void *b)
{
	const struct error_word *x = a, *y = b;
	return x->pair < y->pair ? -1 : x->pair > y->pair;
}

static void fill_pairs(void)
{
	const char *const *lists[] = {error_stems, error_phrases, error_cjk};
	size_t sizes[] = {KB_NELEM(error_stems), KB_NELEM(error_phrases), KB_NELEM(error_cjk)}, n = 0;
	for (size_t l = 0; l < 3; l++)
		for (size_t k = 0; k < sizes[l]; k++)
			words_by_pair[n++] = (struct error_word){lists[l][k], strlen(lists[l][k]), l == 1,
			                                         l == 0 || strcmp(lists[l][k], "err") == 0,
			                                         pair_of(lists[l][k])};
	qsort(words_by_pair, n, sizeof *words_by_pair, cmp_pair);
	for (size_t k = n; k-- > 0;) {
		pair_start[words_by_pair[k].pair] = (uint16_t)(k + 1);
		kb_pair_bits_any_case(pair_bits, words_by_pair[k].pair);
	}
}

/* Whether a listed word can start at s[i]: a bit for its first two bytes as written. */
static inline bool may_start(const char *s, size_t i)
{
	unsigned pair = (unsigned)(unsigned char)s[i] << 8 | (unsigned char)s[i + 1];
	return pair_bits[pair / 64] >> (pair % 64) & 1;
}

/* Whether a listed word starts at s[i] (of n bytes; may_start said it can), in any case:
 * with stems, a stem (or "err") anywhere; else any word of the lists, a phrase only as
 * whole words. */
static bool listed_at(const char *s, size_t n, size_t i, bool stems)
{
	unsigned pair = (unsigned)kb_ascii_tolower((unsigned char)s[i]) << 8 | (unsigned)kb_ascii_tolower((unsigned char)s[i + 1]);
	for (size_t k = pair_start[pair]; k > 0 && k <= KB_NELEM(words_by_pair) && words_by_pair[k - 1].pair == pair; k++) {
		const struct error_word *e = &words_by_pair[k - 1];
		/* its first two bytes are the pair: compare the rest */
		if ((stems && !e->stem) || i + e->len > n || !kb_ascii_eq_lower(s + i + 2, e->w + 2, e->len - 2))
			continue;
		if (stems || !e->whole ||
		    ((i == 0 || !is_word((unsigned char)s[i - 1])) && (i + e->len == n || !is_word((unsigned char)s[i + e->len]))))
			return true;
	}
	return false;
}

/* One pass: a listed word at any byte, or a word that is a code (kb_normalize_is_code: only
 * words that start with a capital or 0 can be). */
bool kb_normalize_errorish(const char *s, size_t n)
{
	pthread_once(&pair_once, fill_pairs);
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (i + 1 < n && may_start(s, i) && listed_at(s, n, i, false))
			return true;
		if ((is_upper(c) || c == '0') && (i == 0 || !is_word((unsigned char)s[i - 1]))) {
			size_t len = span_of(&(struct scan){s, n}, i, is_word);
			if (kb_normalize_is_code(s + i, len))
				return true;
		}
	}
	return false;
}

static const char *const errno_names[] = {
	"ENOENT", "EACCES", "EPERM", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EADDRINUSE",
	"ENOSPC", "EMFILE", "ENFILE", "ENOMEM", "EEXIST", "EPIPE", "EAGAIN", "EHOSTUNREACH",
	"ENETUNREACH", "EINVAL", "EBUSY", "EROFS", "ENOTDIR", "EISDIR", "ENOTEMPTY", "EIO"};

static bool has_error_stem(const char *w, size_t n)
{
	pthread_once(&pair_once, fill_pairs);
	for (size_t i = 0; i + 1 < n; i++)
		if (may_start(w, i) && listed_at(w, n, i, true))
			return true;
	return false;
}

bool kb_normalize_is_code(const char *w, size_t n)
{
	size_t upper = 0, lower = 0, under = 0, humps = 0;
	if (n >= 6 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X'))
		return true;
	if (n < 3 || !is_upper((unsigned char)w[0]))
		return false; /* every other shape starts with a capital: most words stop here */
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)w[i];
		if (!is_word(c))
			return false;
		upper += is_upper(c);
		lower += is_lower(c);
		under += c == '_';
		humps += i > 0 && is_upper(c) && is_lower((unsigned char)w[i - 1]);
	}
	if (w[0] == 'E' && lower == 0 && under == 0) {
		for (size_t k = 0; k < KB_NELEM(errno_names); k++)
			if (strncmp(w, errno_names[k], n) == 0 && errno_names[k][n] == '\0')
				return true;
	}
	if (n < 5)
		return false;
	if (lower == 0 && under > 0 && upper >= 4 && w[n - 1] != '_')
		return has_error_stem(w, n); /* UPPER_SNAKE: MANIFEST_UNKNOWN, USER_OR_PWD_ERR */
	if (lower > 0 && humps >= 1 && under == 0)
		return has_error_stem(w, n); /* ImagePullBackOff, OOMKilled, ErrImagePull */
	return false;
}

/* Single words that say an error happened but not which: not worth a place among symptoms. */
static const char *const stop_signatures[] = {
	"eof", "fatal", "error", "errors", "warning", "warn", "failed", "failure", "onfailure", "panic",
	"exception", "timeout", "killed", "crash", "abort", "aborted", "denied", "refused", "unknown", "invalid"};

double kb_normalize_usefulness(const char *sig, const char *example)
{
	size_t words = 0, letters = 0, wletters = 0;
	char first[16] = "";
	for (const char *p = sig; *p;) {
		if (*p == '<') { /* a placeholder says nothing of the error */
			const char *close = strchr(p, '>');
			p = close ? close + 1 : p + 1;
			continue;
		}
		if (!is_word((unsigned char)*p) && (unsigned char)*p < 0x80) {
			p++;
			continue;
		}
		wletters = 0;
		const char *from = p;
		size_t wide = 0; /* bytes of characters above ASCII (CJK: three a character) */
		for (; *p && (is_word((unsigned char)*p) || (unsigned char)*p >= 0x80); p++) {
			wletters += is_lower((unsigned char)*p) || is_upper((unsigned char)*p);
			wide += (unsigned char)*p >= 0x80;
		}
		/* a Chinese character says about as much as two letters, and two of them a word */
		wletters += 2 * (wide / 3);
		words += wide / 6;
		if (wletters >= 2) {
			if (words++ == 0 && (size_t)(p - from) < sizeof first)
				snprintf(first, sizeof first, "%.*s", (int)(p - from), from);
			letters += wletters;
		}
	}
	if (letters < 6)
		return 0;
	if (words == 1) {
		size_t n = strspn(example, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
		for (size_t i = 0; i < KB_NELEM(stop_signatures); i++)
			if (strcmp(first, stop_signatures[i]) == 0)
				return 0;
		if (!kb_normalize_is_code(example, n))
			return 0;
	}
	return (double)(words < 8 ? words : 8);
}
