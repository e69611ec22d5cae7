/* gen.c - the benchmark's corpus generator: a notes folder of exactly N entries, derived
 * from ../shared/corpora with variations, plus the query sets drawn from what it wrote.
 *
 *   kbgen [-s SEED] CORPORA_DIR OUT_DIR N
 *
 * Deterministic: the same corpora, seed and N give byte-identical output (one PRNG,
 * sorted file lists, no clock, no locale-dependent calls). Three kinds of notes:
 *  - tldr pages (English and Chinese), one entry each;
 *  - documentation pages (Kubernetes en and zh-cn, TiDB zh), many sections each;
 *  - error notes in the style of kb/paas/deployment-issues.md: an H3 title and a numbered
 *    list of problems, each with log lines (harvested from the corpora's code blocks,
 *    dressed in log prefixes) or an inline error, and Chinese prose around them.
 * Copies of a source page get other names (a few words renamed throughout), other ids,
 * addresses, dates and times, and shuffled sentences. Entries are counted with kb's own
 * compiler (kb_compile), so the folder holds exactly N entries: `kb build` says so.
 *
 * The notes (and a components.yaml) go to OUT_DIR/notes; beside them OUT_DIR gets
 * queries.tsv (kind, hit|miss, query text, the note it was drawn from), touch.lst (notes the
 * incremental-rebuild benchmark edits) and corpus.info (what was made). No corpus text enters the repository:
 * everything here is generated at bench time. */
#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kb/compile.h"
#include "kb/diag.h"
#include "kb/entry.h"
#include "kb/normalize.h"
#include "kb/util.h"
#include "kb/width.h"

#define QUERIES_HIT 20  /* queries per kind drawn from the corpus */
#define QUERIES_MISS 4  /* queries per kind made not to be in it */
#define TOUCH_NOTES 8   /* notes listed for the incremental-rebuild benchmark */

/* ---- a deterministic PRNG (splitmix64) ------------------------------------------------- */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static size_t rng_below(struct rng *r, size_t n)
{
	return n ? (size_t)(rng_next(r) % n) : 0;
}

static bool rng_pct(struct rng *r, unsigned pct)
{
	return rng_below(r, 100) < pct;
}

static struct rng rng_fork(struct rng *r, uint64_t salt)
{
	struct rng f = {rng_next(r) ^ (salt * 0xD1B54A32D192ED03ull)};
	rng_next(&f);
	return f;
}

/* ---- small helpers --------------------------------------------------------------------- */

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_word(int c)
{
	return is_alpha(c) || is_digit(c) || c == '_';
}

static bool is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f');
}

static void mkdirs(const char *path)
{
	char *p = kb_xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			fprintf(stderr, "kbgen: cannot create %s: %s\n", p, strerror(errno));
			exit(2);
		}
		*s = '/';
	}
	if (mkdir(p, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "kbgen: cannot create %s: %s\n", p, strerror(errno));
		exit(2);
	}
	free(p);
}

static void write_file(const char *path, const char *data, size_t len)
{
	char *dir = kb_xstrdup(path), *slash = strrchr(dir, '/');
	FILE *f;
	if (slash) {
		*slash = '\0';
		mkdirs(dir);
	}
	free(dir);
	if (!(f = fopen(path, "wb")) || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "kbgen: cannot write %s: %s\n", path, strerror(errno));
		exit(2);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the *.md files under root/rel (relative paths, "rel/…") to out. */
static void walk(const char *root, const char *rel, struct kb_strv *out)
{
	char *dir = *rel ? kb_xasprintf("%s/%s", root, rel) : kb_xstrdup(root);
	DIR *d = opendir(dir);
	struct dirent *de;
	if (!d) {
		fprintf(stderr, "kbgen: cannot read %s: %s\n", dir, strerror(errno));
		exit(2);
	}
	while ((de = readdir(d))) {
		char *child, *full;
		struct stat st;
		size_t n = strlen(de->d_name);
		if (de->d_name[0] == '.')
			continue;
		child = *rel ? kb_xasprintf("%s/%s", rel, de->d_name) : kb_xstrdup(de->d_name);
		full = kb_xasprintf("%s/%s", root, child);
		if (stat(full, &st) == 0 && S_ISDIR(st.st_mode))
			walk(root, child, out);
		else if (S_ISREG(st.st_mode) && n > 3 && strcmp(de->d_name + n - 3, ".md") == 0 && strchr(child, '/'))
			kb_strv_push(out, child); /* not the corpora's own README.md */
		free(full);
		free(child);
	}
	closedir(d);
	free(dir);
}

/* ---- sources and the pools harvested from them ----------------------------------------- */

enum kind { K_TLDR, K_DOC, K_ERR, K_NKINDS };
static const char *const kind_name[] = {"tldr", "doc", "error"};

struct src {
	char *rel, *data;
	size_t len;
	unsigned copies;
	bool zh;
};

struct srcs {
	struct src *v;
	size_t n, cap;
	size_t *order; /* a seeded permutation, walked round and round */
	size_t next;
};

static bool path_zh(const char *rel)
{
	return strstr(rel, "pages.zh/") || strstr(rel, "/zh-cn/") || kb_starts_with(rel, "tidb-docs-cn/");
}

/* One line of text at *p (advances *p past its newline); returns its length. */
static size_t next_line(const char **p, const char **line)
{
	size_t n = strcspn(*p, "\n");
	*line = *p;
	*p += n + ((*p)[n] == '\n');
	return n;
}

static bool fence_line(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	return n >= 3 && (strncmp(s, "```", 3) == 0 || strncmp(s, "~~~", 3) == 0);
}

static size_t cjk_chars(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += (size_t)kb_utf8_decode(s + i, n - i, &cp);
		k += kb_width_is_cjk(cp);
	}
	return k;
}

struct pools {
	struct kb_strv errors;  /* error-looking lines from code blocks */
	struct kb_strv zh;      /* Chinese sentences from prose */
	struct kb_strmap seen;
};

/* Whether a line reads like an error message someone would paste (not code, not a comment,
 * not a command). */
static bool error_line_ok(const char *line, size_t n)
{
	static const char *const must[] = {
		"error", "Error", "ERROR", "failed", "Failed", "FAILED", "refused", "timeout", "timed out",
		"not found", "denied", "unable to", "Unable to", "cannot", "Exception", "panic", "FATAL",
		"invalid", "Invalid", "BackOff", "OOMKilled", "x509", "unreachable", "no such", "forbidden",
		"Forbidden", "conflict", "rejected", "exceeded", "unavailable", "Unavailable"};
	static const char *const code[] = {
		" := ", "func ", "return ", "//", "kubectl ", "if err", "} else", "/*", "import ", "println",
		"printf", "Printf", "throw ", "catch", "err != nil", "SELECT ", "select ", "INSERT ", "CREATE ",
		"```", "{{", "--", "tiup ", "curl ", "echo ", "sudo ", "#"};
	bool hit = false;
	if (n < 24 || n > 200 || memchr(line, '\t', n) || memchr(line, '`', n) || kb_utf8_check(line, n) != n ||
	    cjk_chars(line, n) > 0 || strchr("-|{}[]();,<", line[0]) || line[n - 1] == ';' || line[n - 1] == '{' ||
	    line[n - 1] == ',' || line[n - 1] == '\\')
		return false;
	for (size_t i = 0; i < KB_NELEM(code); i++)
		if (strstr(line, code[i]))
			return false;
	for (size_t i = 0; i < KB_NELEM(must) && !hit; i++)
		hit = strstr(line, must[i]) != NULL;
	return hit && kb_normalize_errorish(line, n);
}

static void harvest_error(struct pools *pl, const char *s, size_t n)
{
	char *line;
	while (n && (*s == ' ' || *s == '\t' || *s == '$' || *s == '>'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	line = kb_xstrndup(s, n);
	if (error_line_ok(line, n) && !kb_strmap_get(&pl->seen, line, NULL)) {
		kb_strmap_put(&pl->seen, line, 1);
		kb_strv_push(&pl->errors, line);
	}
	free(line);
}

/* Error messages in the code spans of prose: `ERROR 1105 (HY000): …`. */
static void harvest_spans(struct pools *pl, const char *s, size_t n)
{
	for (const char *end = s + n, *a; s < end && (a = memchr(s, '`', (size_t)(end - s)));) {
		const char *b = memchr(a + 1, '`', (size_t)(end - a - 1));
		if (!b)
			break;
		if (b - a - 1 >= 24)
			harvest_error(pl, a + 1, (size_t)(b - a - 1));
		s = b + 1;
	}
}

static void harvest_zh(struct pools *pl, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '-' || *s == '*' || *s == '>'))
		s++, n--;
	if (!n || *s == '#' || *s == '|' || *s == '<' || *s == '{' || *s == '!' || is_digit(*s))
		return;
	while (n) {
		const char *end = strstr(s, "。");
		size_t k = end && (size_t)(end - s) < n ? (size_t)(end - s) : n;
		if (k >= 18 && k <= 240 && cjk_chars(s, k) >= 8 && !memchr(s, '[', k) && !memchr(s, '<', k) &&
		    !memchr(s, '{', k) && !memchr(s, '|', k) && kb_utf8_check(s, k) == k &&
		    pl->zh.n < 200000) {
			char *sent = kb_xasprintf("%.*s。", (int)k, s);
			kb_strv_push_own(&pl->zh, sent);
		}
		if (k == n)
			break;
		s += k + 3, n -= k + 3;
		while (n && *s == ' ')
			s++, n--;
	}
}

static void harvest(struct pools *pl, const struct src *sr)
{
	const char *p = sr->data, *line;
	bool fence = false, front = kb_starts_with(p, "---\n");
	int lineno = 0;
	while (*p) {
		size_t n = next_line(&p, &line);
		lineno++;
		if (front) {
			if (lineno > 1 && n == 3 && strncmp(line, "---", 3) == 0)
				front = false;
			continue;
		}
		if (fence_line(line, n)) {
			fence = !fence;
			continue;
		}
		if (fence && !strstr(sr->rel, "/zh-cn/")) /* zh-cn pages copy the en code blocks */
			harvest_error(pl, line, n);
		if (!fence && !strstr(sr->rel, "/zh-cn/"))
			harvest_spans(pl, line, n);
		if (!fence && sr->zh && !kb_starts_with(sr->rel, "tldr/"))
			harvest_zh(pl, line, n);
	}
}

static void load(const char *root, struct srcs *tldr, struct srcs *doc, struct pools *pl)
{
	struct kb_strv files = {0};
	walk(root, "", &files);
	qsort(files.v, files.n, sizeof *files.v, cmp_str);
	for (size_t i = 0; i < files.n; i++) {
		struct srcs *to = kb_starts_with(files.v[i], "tldr/") ? tldr : doc;
		char *full = kb_xasprintf("%s/%s", root, files.v[i]);
		struct kb_err err;
		struct src s = {.rel = kb_xstrdup(files.v[i]), .zh = path_zh(files.v[i])};
		if (kb_read_file(full, KB_COMPILE_MAX_BYTES, &s.data, &s.len, &err) != 0 ||
		    kb_utf8_check(s.data, s.len) != s.len) {
			free(s.rel);
			free(s.data);
			free(full);
			continue;
		}
		free(full);
		kb_xgrow(&to->v, &to->cap, to->n + 1, sizeof *to->v);
		to->v[to->n++] = s;
		if (to == doc)
			harvest(pl, &s);
	}
	kb_strv_free(&files);
	if (!tldr->n || !doc->n || pl->errors.n < 50 || pl->zh.n < 50) {
		fprintf(stderr, "kbgen: %s does not look like ../shared/corpora (tldr, k8s-docs, "
		        "tidb-docs-cn): %zu tldr pages, %zu others, %zu error lines, %zu Chinese sentences\n",
		        root, tldr->n, doc->n, pl->errors.n, pl->zh.n);
		exit(2);
	}
}

static void shuffle_order(struct srcs *s, struct rng *r)
{
	s->order = kb_xmalloc(s->n * sizeof *s->order);
	for (size_t i = 0; i < s->n; i++)
		s->order[i] = i;
	for (size_t i = s->n; i > 1; i--) {
		size_t j = rng_below(r, i), t = s->order[i - 1];
		s->order[i - 1] = s->order[j];
		s->order[j] = t;
	}
}

static struct src *next_src(struct srcs *s)
{
	struct src *x = &s->v[s->order[s->next++ % s->n]];
	return x;
}

/* ---- names: pronounceable words that stand in for renamed ones ---------------------------- */

#define NAMES 6000
static char *names[NAMES];

static void make_names(struct rng *r)
{
	static const char *const on[] = {"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v",
	                                 "z", "br", "dr", "gl", "kr", "pl", "st", "tr", "vr", "sh", "ch"};
	static const char *const nu[] = {"a", "e", "i", "o", "u", "ai", "ei", "ou", "ia", "y"};
	static const char *const co[] = {"", "", "n", "r", "l", "x", "s", "m", "k", "nd", "rt"};
	for (size_t i = 0; i < NAMES; i++) {
		struct kb_buf b = {0};
		size_t syl = 2 + rng_below(r, 2);
		for (size_t k = 0; k < syl; k++)
			kb_buf_printf(&b, "%s%s", on[rng_below(r, KB_NELEM(on))], nu[rng_below(r, KB_NELEM(nu))]);
		kb_buf_puts(&b, co[rng_below(r, KB_NELEM(co))]);
		names[i] = kb_buf_take(&b);
	}
}

static const char *const stop[] = {
	"a", "as", "at", "be", "in", "is", "it", "of", "on", "or", "to", "the", "for", "not", "you", "can",
	"use", "are", "was", "has", "its", "one", "how", "why", "see", "get", "set", "new", "now", "out",
	"about", "above", "after", "again", "against", "all", "also", "an", "and", "any", "are", "because",
	"been", "before", "being", "below", "between", "both", "but", "by", "can", "content", "could",
	"does", "doing", "down", "during", "each", "example", "false", "few", "for", "from", "further",
	"have", "having", "here", "http", "https", "into", "itself", "just", "more", "most", "must", "need",
	"only", "other", "over", "same", "should", "some", "such", "than", "that", "their", "them", "then",
	"there", "these", "they", "this", "those", "through", "title", "true", "under", "until", "using",
	"very", "weight", "were", "what", "when", "where", "which", "while", "will", "with", "would",
	"your", "reviewers", "nbsp", "html", "note", "shortcode", "include", "name", "more", "information"};

static bool stop_word(const char *w, size_t n)
{
	for (size_t i = 0; i < KB_NELEM(stop); i++) {
		size_t k = strlen(stop[i]), j;
		if (k != n)
			continue;
		for (j = 0; j < n && kb_ascii_tolower((unsigned char)w[j]) == stop[i][j]; j++)
			;
		if (j == n)
			return true;
	}
	return false;
}

/* ---- variations ------------------------------------------------------------------------- */

struct rename {
	char *from; /* lower case */
	const char *to;
};

/* The ASCII word (letters only, 5..20) at s[i], bounded by non-word characters; its length or 0. */
static size_t word_at(const char *s, size_t len, size_t i)
{
	size_t k = i;
	if (i > 0 && (is_word((unsigned char)s[i - 1]) || (unsigned char)s[i - 1] >= 0x80))
		return 0;
	while (k < len && is_alpha((unsigned char)s[k]))
		k++;
	if (k < len && (is_word((unsigned char)s[k]) || (unsigned char)s[k] >= 0x80))
		return 0;
	return k - i;
}

/* Picks up to `want` words of the note to rename (plus `first`, a tldr page's command). */
static size_t pick_renames(const char *s, size_t len, struct rng *r, const char *first,
                           struct rename *out, size_t want)
{
	size_t n = 0;
	if (first) {
		out[n].from = kb_xstrdup(first);
		for (char *c = out[n].from; *c; c++)
			*c = (char)kb_ascii_tolower((unsigned char)*c);
		out[n++].to = names[rng_below(r, NAMES)];
	}
	for (size_t tries = 0; tries < 40 && n < want && len > 0; tries++) {
		size_t i = rng_below(r, len), w;
		while (i < len && !(is_alpha((unsigned char)s[i]) && (w = word_at(s, len, i)) > 0))
			i++;
		if (i >= len || (w = word_at(s, len, i)) < 5 || w > 20 || stop_word(s + i, w))
			continue;
		char *lw = kb_xstrndup(s + i, w);
		bool dup = false;
		for (char *c = lw; *c; c++)
			*c = (char)kb_ascii_tolower((unsigned char)*c);
		for (size_t k = 0; k < n; k++)
			dup |= strcmp(out[k].from, lw) == 0;
		if (dup) {
			free(lw);
			continue;
		}
		out[n].from = lw;
		out[n++].to = names[rng_below(r, NAMES)];
	}
	return n;
}

/* Writes `to` with the letter case of `from` (Capitalised, UPPER or lower). */
static void put_cased(struct kb_buf *b, const char *from, size_t n, const char *to)
{
	bool upper = n > 1 && from[0] >= 'A' && from[0] <= 'Z' && from[1] >= 'A' && from[1] <= 'Z';
	bool cap = from[0] >= 'A' && from[0] <= 'Z';
	for (size_t i = 0; to[i]; i++) {
		char c = to[i];
		if (upper || (cap && i == 0))
			c = (char)(c - 'a' + 'A');
		kb_buf_putc(b, c);
	}
}

static void apply_renames(struct kb_buf *out, const char *s, size_t len, const struct rename *rn, size_t nrn)
{
	for (size_t i = 0; i < len;) {
		size_t w = is_alpha((unsigned char)s[i]) ? word_at(s, len, i) : 0;
		const char *to = NULL;
		for (size_t k = 0; w && k < nrn && !to; k++) {
			size_t j;
			if (strlen(rn[k].from) != w)
				continue;
			for (j = 0; j < w && kb_ascii_tolower((unsigned char)s[i + j]) == rn[k].from[j]; j++)
				;
			if (j == w)
				to = rn[k].to;
		}
		if (to) {
			put_cased(out, s + i, w, to);
			i += w;
		} else if (w) {
			kb_buf_put(out, s + i, w);
			i += w;
		} else {
			size_t k = i + 1;
			while (k < len && !is_alpha((unsigned char)s[k]))
				k++;
			kb_buf_put(out, s + i, k - i);
			i = k;
		}
	}
}

static size_t digits(const char *s, size_t n, size_t i)
{
	size_t k = i;
	while (k < n && is_digit((unsigned char)s[k]))
		k++;
	return k - i;
}

static void rand_digits(struct kb_buf *b, struct rng *r, size_t n, bool lead_zero_ok)
{
	for (size_t i = 0; i < n; i++)
		kb_buf_putc(b, (char)('0' + (i == 0 && !lead_zero_ok ? 1 + rng_below(r, 9) : rng_below(r, 10))));
}

/* Other values in one line: IPv4 addresses, dates, times, hex ids and numbers. */
static void vary_values(struct kb_buf *out, const char *s, size_t n, struct rng *r, unsigned pct)
{
	size_t i = 0, lead = 0;
	while (lead < n && s[lead] == ' ')
		lead++;
	while (i < n) {
		unsigned char c = (unsigned char)s[i], prev = i ? (unsigned char)s[i - 1] : ' ';
		size_t d = is_digit(c) && !is_word(prev) && prev != '.' && prev != '+' ? digits(s, n, i) : 0;
		size_t k;
		if (d >= 1 && d <= 3) { /* an IPv4 address? */
			size_t j = i + d, parts = 1;
			while (parts < 4 && j < n && s[j] == '.' && (k = digits(s, n, j + 1)) >= 1 && k <= 3)
				j += 1 + k, parts++;
			if (parts == 4 && !(j < n && (is_word((unsigned char)s[j]) || (s[j] == '.' && j + 1 < n &&
			                                                                 is_digit((unsigned char)s[j + 1]))))) {
				size_t which = rng_below(r, 3);
				unsigned a = (unsigned)rng_below(r, 256), b2 = (unsigned)rng_below(r, 256);
				unsigned c2 = 1 + (unsigned)rng_below(r, 254);
				if (which == 0)
					kb_buf_printf(out, "10.%u.%u.%u", a, b2, c2);
				else if (which == 1)
					kb_buf_printf(out, "192.168.%u.%u", b2, c2);
				else
					kb_buf_printf(out, "172.%u.%u.%u", 16 + a % 16, b2, c2);
				i = j;
				continue;
			}
		}
		if (d == 4 && i + 10 <= n && (s[i + 4] == '-' || s[i + 4] == '/') && digits(s, n, i + 5) == 2 &&
		    s[i + 7] == s[i + 4] && digits(s, n, i + 8) == 2) {
			kb_buf_printf(out, "%04u%c%02u%c%02u", 2015 + (unsigned)rng_below(r, 11), s[i + 4],
			              1 + (unsigned)rng_below(r, 12), s[i + 4], 1 + (unsigned)rng_below(r, 28));
			i += 10;
			continue;
		}
		if (d == 2 && i + 8 <= n && s[i + 2] == ':' && digits(s, n, i + 3) == 2 && s[i + 5] == ':' &&
		    digits(s, n, i + 6) == 2) {
			kb_buf_printf(out, "%02u:%02u:%02u", (unsigned)rng_below(r, 24), (unsigned)rng_below(r, 60),
			              (unsigned)rng_below(r, 60));
			i += 8;
			continue;
		}
		if (is_hex(c) && !is_word(prev)) { /* a hex id: 8+ hex digits with letters and digits */
			size_t j = i, let = 0, dig = 0;
			while (j < n && is_hex((unsigned char)s[j])) {
				let += !is_digit((unsigned char)s[j]);
				dig += is_digit((unsigned char)s[j]);
				j++;
			}
			if (j - i >= 8 && let && dig && !(j < n && is_word((unsigned char)s[j]))) {
				for (size_t q = i; q < j; q++)
					kb_buf_putc(out, "0123456789abcdef"[rng_below(r, 16)]);
				i = j;
				continue;
			}
		}
		if (d >= 2 && !(i == lead && i + d < n && (s[i + d] == '.' || s[i + d] == ')')) && rng_pct(r, pct)) {
			rand_digits(out, r, d, s[i] == '0');
			i += d;
			continue;
		}
		if (d) {
			kb_buf_put(out, s + i, d);
			i += d;
			continue;
		}
		k = i + 1;
		while (k < n && !is_word((unsigned char)s[k]))
			k++;
		if (k > i + 1) {
			kb_buf_put(out, s + i, k - i);
			i = k;
		} else {
			while (k < n && is_word((unsigned char)s[k]))
				k++;
			kb_buf_put(out, s + i, k - i);
			i = k;
		}
	}
}

/* Sentences of a prose line, shuffled: Chinese split after 。, English after ". X". */
static bool shuffle_sentences(struct kb_buf *out, const char *s, size_t n, struct rng *r)
{
	size_t pre = 0, starts[64], ns = 0;
	while (pre < n && s[pre] == ' ')
		pre++;
	if (pre < n && (s[pre] == '-' || s[pre] == '*') && pre + 1 < n && s[pre + 1] == ' ')
		pre += 2;
	starts[ns++] = pre;
	for (size_t i = pre; i + 1 < n && ns < 63; i++) {
		if (i + 3 <= n && memcmp(s + i, "。", 3) == 0 && i + 3 < n)
			starts[ns++] = i + 3;
		else if (s[i] == '.' && s[i + 1] == ' ' && i + 2 < n && s[i + 2] >= 'A' && s[i + 2] <= 'Z' &&
		         i > pre && is_alpha((unsigned char)s[i - 1]))
			starts[ns++] = i + 2;
	}
	if (ns < 2)
		return false;
	starts[ns] = n;
	size_t order[64];
	for (size_t i = 0; i < ns; i++)
		order[i] = i;
	for (size_t i = ns; i > 1; i--) {
		size_t j = rng_below(r, i), t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	kb_buf_put(out, s, pre);
	for (size_t k = 0; k < ns; k++) {
		size_t a = starts[order[k]], b = starts[order[k] + 1];
		while (b > a && s[b - 1] == ' ')
			b--;
		if (k && out->len && out->s[out->len - 1] == '.')
			kb_buf_putc(out, ' ');
		kb_buf_put(out, s + a, b - a);
	}
	return true;
}

static bool prose_line(const char *s, size_t n)
{
	while (n && *s == ' ')
		s++, n--;
	return n > 40 && !strchr("#|<{`>![", *s);
}

/* A copy of a source note with other names, values and sentence order. */
static char *vary_note(const struct src *sr, struct rng *r, size_t *outlen)
{
	struct rename rn[8];
	struct kb_buf renamed = {0}, out = {0};
	const char *first = NULL;
	char cmd[64];
	size_t nrn;
	if (kb_starts_with(sr->data, "# ") && rng_pct(r, 60)) { /* a tldr page's command */
		size_t w = 0;
		while (w < sizeof cmd - 1 && is_alpha((unsigned char)sr->data[2 + w]))
			cmd[w] = sr->data[2 + w], w++;
		cmd[w] = '\0';
		if (w >= 2 && (sr->data[2 + w] == '\n' || sr->data[2 + w] == '-' || sr->data[2 + w] == ' '))
			first = cmd;
	}
	nrn = pick_renames(sr->data, sr->len, r, first, rn, first ? 3 : 4);
	apply_renames(&renamed, sr->data, sr->len, rn, nrn);
	for (size_t k = 0; k < nrn; k++)
		free(rn[k].from);
	{
		const char *p = kb_buf_str(&renamed), *line;
		bool fence = false, front = kb_starts_with(p, "---\n");
		int lineno = 0;
		while (*p) {
			size_t n = next_line(&p, &line);
			struct kb_buf tmp = {0};
			lineno++;
			if (front && lineno > 1 && n == 3 && strncmp(line, "---", 3) == 0)
				front = false;
			else if (!front && fence_line(line, n))
				fence = !fence;
			if (!front && !fence && prose_line(line, n) && rng_pct(r, 35) && shuffle_sentences(&tmp, line, n, r))
				vary_values(&out, tmp.s, tmp.len, r, 60);
			else
				vary_values(&out, line, n, r, 60);
			kb_buf_free(&tmp);
			if (line[n] == '\n')
				kb_buf_putc(&out, '\n');
		}
	}
	kb_buf_free(&renamed);
	*outlen = out.len;
	return kb_buf_take(&out);
}

/* ---- error notes ---------------------------------------------------------------------------- */

static const char *const comps[] = {
	"redis", "docker", "kubelet", "etcd", "coredns", "containerd", "ingress", "tikv", "pd", "tidb",
	"ticdc", "dm", "br", "lightning", "otcp", "msb", "portal", "swr", "harbor", "nginx", "mysql",
	"kafka", "zookeeper", "calico", "helm", "prometheus", "grafana", "minio", "keepalived", "haproxy"};

static const char *const titles[] = {
	"记录@部署过程中出现的问题", "@ 运维常见问题", "@ 升级时遇到的错误", "排查 @ 故障的记录",
	"@ 问题汇总", "@ 上线检查中发现的问题", "@ 环境搭建踩坑记录", "@ 值班记录"};

static const char *const intros[] = {
	"部署 @ 时出现", "升级 @ 之后，日志中出现", "在 @ 节点重启后出现", "执行扩容操作时 @ 报错",
	"@ 启动失败，日志如下", "创建 @ 实例的时候出现", "使用 @ 导入数据时出现", "@ 连接超时，具体 Log 如下",
	"在 @ 中无法登录 portal 的问题，报错", "@ 备份任务失败，出现", "切换 @ 主节点的时候出现",
	"@ 的健康检查一直不通过，查看日志发现"};

static const char *const fixes[] = {
	"建议检查 @ 的配置文件，确认地址和端口正确。", "重启 @ 后问题消失，但需要观察一段时间。",
	"原因是 @ 的版本与平台版本不匹配，建议换一个版本。", "需要清理 @ 的缓存目录后重试。",
	"确认防火墙和网络策略放通了 @ 使用的端口。", "查看 @ 所在节点的磁盘空间，清理后恢复正常。",
	"这个问题是证书过期导致的，更新 @ 的证书即可。", "把 @ 的超时时间调大以后没有再出现。"};

static const char *const srcfiles[] = {"server.go", "region.go", "client.go", "kubelet.go", "pod_workers.go",
                                       "main.rs", "raft.rs", "manager.go", "conn.go", "backup.go", "syncer.go"};

/* A template with @ standing for the component. */
static void put_tmpl(struct kb_buf *b, const char *t, const char *comp)
{
	for (; *t; t++) {
		if (*t == '@')
			kb_buf_puts(b, comp);
		else
			kb_buf_putc(b, *t);
	}
}

static void log_line(struct kb_buf *out, const char *err, const char *comp, struct rng *r)
{
	struct kb_buf e = {0};
	unsigned y = 2018 + (unsigned)rng_below(r, 8), mo = 1 + (unsigned)rng_below(r, 12);
	unsigned d = 1 + (unsigned)rng_below(r, 28), h = (unsigned)rng_below(r, 24);
	unsigned mi = (unsigned)rng_below(r, 60), se = (unsigned)rng_below(r, 60), ms = (unsigned)rng_below(r, 1000);
	const char *f = srcfiles[rng_below(r, KB_NELEM(srcfiles))];
	unsigned ln = 20 + (unsigned)rng_below(r, 900);
	vary_values(&e, err, strlen(err), r, 70);
	switch (rng_below(r, 5)) {
	case 0: kb_buf_puts(out, kb_buf_str(&e)); break;
	case 1:
		kb_buf_printf(out, "[%04u/%02u/%02u %02u:%02u:%02u.%03u +08:00] [ERROR] [%s:%u] [\"%s\"]", y, mo, d, h, mi,
		              se, ms, f, ln, kb_buf_str(&e));
		break;
	case 2:
		kb_buf_printf(out, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ ERROR %s %s", y, mo, d, h, mi, se, ms, comp,
		              kb_buf_str(&e));
		break;
	case 3:
		kb_buf_printf(out, "E%02u%02u %02u:%02u:%02u.%06u    %u %s:%u] %s", mo, d, h, mi, se,
		              (unsigned)rng_below(r, 1000000), 1000 + (unsigned)rng_below(r, 30000), f, ln, kb_buf_str(&e));
		break;
	default:
		kb_buf_printf(out, "%04u-%02u-%02u %02u:%02u:%02u,%03u ERROR [%s] %s", y, mo, d, h, mi, se, ms, comp,
		              kb_buf_str(&e));
		break;
	}
	kb_buf_free(&e);
}

static const char *pick(const struct kb_strv *v, struct rng *r)
{
	return v->v[rng_below(r, v->n)];
}

/* An error note: "### title", then numbered problems, each with logs or an inline error. */
static char *error_note(const char *comp, const struct pools *pl, struct rng *r, size_t *len)
{
	struct kb_buf b = {0};
	size_t items = 4 + rng_below(r, 11);
	kb_buf_puts(&b, "### ");
	put_tmpl(&b, titles[rng_below(r, KB_NELEM(titles))], comp);
	kb_buf_putc(&b, '\n');
	for (size_t i = 1; i <= items; i++) {
		const char *err = pick(&pl->errors, r);
		size_t style = rng_below(r, 100);
		struct rename rn[1];
		struct kb_buf renamed = {0};
		if (rng_pct(r, 40) && pick_renames(err, strlen(err), r, NULL, rn, 1) == 1) {
			apply_renames(&renamed, err, strlen(err), rn, 1); /* another product's message */
			free(rn[0].from);
			err = kb_buf_str(&renamed);
		}
		kb_buf_printf(&b, "%zu.%s", i, i < 10 ? "  " : " ");
		if (style < 60) {
			size_t lines = 1 + rng_below(r, 5);
			put_tmpl(&b, intros[rng_below(r, KB_NELEM(intros))], comp);
			kb_buf_puts(&b, "\n    ```\n");
			for (size_t k = 0; k < lines; k++) {
				kb_buf_puts(&b, "    ");
				log_line(&b, k ? pick(&pl->errors, r) : err, comp, r);
				kb_buf_putc(&b, '\n');
			}
			kb_buf_puts(&b, "    ```\n    ");
		} else if (style < 85) {
			kb_buf_puts(&b, "如果出现");
			vary_values(&b, err, strlen(err), r, 70);
			kb_buf_puts(&b, "，");
		} else {
			put_tmpl(&b, intros[rng_below(r, KB_NELEM(intros))], comp);
			kb_buf_puts(&b, " `");
			vary_values(&b, err, strlen(err), r, 70);
			kb_buf_puts(&b, "`。");
		}
		if (rng_pct(r, 50))
			kb_buf_puts(&b, pick(&pl->zh, r));
		else
			put_tmpl(&b, fixes[rng_below(r, KB_NELEM(fixes))], comp);
		if (rng_pct(r, 40))
			kb_buf_puts(&b, pick(&pl->zh, r));
		kb_buf_putc(&b, '\n');
		kb_buf_free(&renamed);
	}
	*len = b.len;
	return kb_buf_take(&b);
}

static const char components_yaml[] =
	"# Components of the generated benchmark corpus (written by bench/gen.c).\n"
	"redis: [redis]\ndocker: [docker, 容器, container]\nkubelet: [kubelet]\netcd: [etcd]\n"
	"coredns: [coredns, CoreDNS]\ncontainerd: [containerd]\ningress: [ingress, Ingress]\n"
	"tikv: [TiKV, tikv]\npd: [PD]\ntidb: [TiDB]\nticdc: [TiCDC]\ndm: [DM]\nbr: [BR]\n"
	"lightning: [Lightning]\nimage: [镜像, image, ImagePullBackOff]\nnetwork: [网络, network, DNS]\n"
	"storage: [存储, storage, PersistentVolume]\nsecurity: [证书, certificate, TLS, RBAC]\n"
	"scheduler: [调度, scheduler]\nbackup: [备份, backup]\n";

/* ---- the generator proper ---------------------------------------------------------------- */

struct made {
	char *rel;
	enum kind kind;
	bool zh;
	size_t entries;
};

struct gen {
	const char *out;
	size_t want, total, bytes, notes;
	size_t by_kind[K_NKINDS], budget[K_NKINDS];
	struct made *v;
	size_t n, cap;
	struct kb_entries es;
	struct kb_diags diags;
	struct kb_strmap written; /* the notes' paths so far: none is written twice */
};

/* Frees what the generator holds (the sanitizer builds check that nothing leaks). */
static void free_gen(struct gen *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->v[i].rel);
	free(g->v);
	kb_entries_free(&g->es);
	kb_diags_free(&g->diags);
	kb_strmap_free(&g->written);
}

static void free_srcs(struct srcs *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].rel);
		free(s->v[i].data);
	}
	free(s->v);
	free(s->order);
}

/* Counts the note's entries with kb's compiler; writes it when they fit. Returns the count
 * written, 0 when the note has no entries or its path is taken already (a source named like
 * another's copy: tidb-docs-cn's ticdc-open-api-v2.md and the second copy of
 * ticdc-open-api.md; writing both, the second replaced the first, whose entries were counted
 * but never built), -1 when they would go past the total wanted. */
static long emit(struct gen *g, const char *rel, const char *data, size_t len, enum kind k, bool zh,
                   bool must_fit)
{
	int n, taken;
	char *path;
	if (kb_strmap_get(&g->written, rel, &taken))
		return 0;
	kb_entries_free(&g->es);
	kb_diags_free(&g->diags);
	n = kb_compile(rel, data, len, NULL, &g->es, &g->diags);
	if (n <= 0)
		return 0;
	if (must_fit && g->total + (size_t)n > g->want)
		return -1;
	path = kb_xasprintf("%s/notes/%s", g->out, rel);
	write_file(path, data, len);
	free(path);
	kb_strmap_put(&g->written, rel, 1);
	g->total += (size_t)n;
	g->by_kind[k] += (size_t)n;
	g->bytes += len;
	g->notes++;
	kb_xgrow(&g->v, &g->cap, g->n + 1, sizeof *g->v);
	g->v[g->n++] = (struct made){kb_xstrdup(rel), k, zh, (size_t)n};
	return n;
}

static char *copy_name(const struct src *s)
{
	size_t n = strlen(s->rel);
	if (s->copies == 0)
		return kb_xstrdup(s->rel);
	return kb_xasprintf("%.*s-v%u.md", (int)(n - 3), s->rel, s->copies);
}

static enum kind choose_kind(struct gen *g, struct rng *r, const bool *open)
{
	size_t left[K_NKINDS], sum = 0, x;
	for (int k = 0; k < K_NKINDS; k++) {
		left[k] = open[k] && g->by_kind[k] < g->budget[k] ? g->budget[k] - g->by_kind[k] : 0;
		sum += left[k];
	}
	if (sum == 0)
		return K_TLDR;
	x = rng_below(r, sum);
	for (int k = 0; k < K_NKINDS; k++) {
		if (x < left[k])
			return (enum kind)k;
		x -= left[k];
	}
	return K_TLDR;
}

static void generate(struct gen *g, struct srcs *tldr, struct srcs *doc, const struct pools *pl, struct rng *r)
{
	bool open[K_NKINDS] = {true, true, true};
	size_t nerr = 0, stuck = 0;
	g->budget[K_TLDR] = g->want * 35 / 100;
	g->budget[K_DOC] = g->want * 40 / 100;
	g->budget[K_ERR] = g->want - g->budget[K_TLDR] - g->budget[K_DOC];
	while (g->total < g->want) {
		enum kind k = choose_kind(g, r, open);
		struct rng nr = rng_fork(r, g->notes);
		size_t len;
		long got;
		char *data, *rel;
		bool zh = false;
		if (k == K_ERR) {
			const char *comp = comps[rng_below(&nr, KB_NELEM(comps))];
			rel = kb_xasprintf("errors/%s/%s-issues-%zu.md", comp, comp, ++nerr);
			data = error_note(comp, pl, &nr, &len);
			zh = true;
		} else {
			struct src *s = next_src(k == K_TLDR ? tldr : doc);
			rel = copy_name(s);
			data = s->copies ? vary_note(s, &nr, &len) : kb_xstrndup(s->data, len = s->len);
			s->copies++;
			zh = s->zh;
		}
		got = emit(g, rel, data, len, k, zh, true);
		if (got < 0 && k != K_TLDR)
			open[k] = false; /* would overshoot: the rest is filled with one-entry pages */
		stuck = got > 0 ? 0 : stuck + 1;
		if (stuck > 100000) {
			fprintf(stderr, "kbgen: cannot reach %zu entries (at %zu)\n", g->want, g->total);
			exit(2);
		}
		free(rel);
		free(data);
	}
}

/* ---- queries ------------------------------------------------------------------------------- */

struct lines {
	const char **v;
	size_t *len;
	size_t n, cap;
	char *data;
};

/* The prose lines (outside code, front matter, headings and tables) or the code lines of a note. */
static void note_lines(const char *out, const char *rel, bool code, struct lines *l)
{
	char *path = kb_xasprintf("%s/notes/%s", out, rel), *data;
	const char *p, *line;
	size_t len, cap2 = 0;
	bool fence = false, front;
	int lineno = 0;
	struct kb_err err;
	memset(l, 0, sizeof *l);
	if (kb_read_file(path, KB_COMPILE_MAX_BYTES, &data, &len, &err) != 0) {
		fprintf(stderr, "kbgen: %s\n", err.msg);
		exit(2);
	}
	free(path);
	l->data = data;
	front = kb_starts_with(data, "---\n");
	for (p = data; *p;) {
		size_t n = next_line(&p, &line);
		bool want;
		lineno++;
		if (front) {
			if (lineno > 1 && n == 3 && strncmp(line, "---", 3) == 0)
				front = false;
			continue;
		}
		if (fence_line(line, n)) {
			fence = !fence;
			continue;
		}
		want = code ? fence : !fence && n > 0 && !strchr("#|<{!", line[strspn(line, " ")]) &&
		                         !strstr(line, "{{") && !kb_starts_with(line + strspn(line, " "), "<!--");
		if (!want)
			continue;
		kb_xgrow(&l->v, &l->cap, l->n + 1, sizeof *l->v);
		kb_xgrow(&l->len, &cap2, l->n + 1, sizeof *l->len);
		l->v[l->n] = line;
		l->len[l->n++] = n;
	}
}

static void lines_free(struct lines *l)
{
	free(l->v);
	free(l->len);
	free(l->data);
}

/* Words (letters only, 4..14, not stop words) of a line: start offsets into s. */
static size_t line_words(const char *s, size_t n, size_t *at, size_t *wl, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k < max;) {
		size_t w = is_alpha((unsigned char)s[i]) ? word_at(s, n, i) : 0;
		if (w >= 4 && w <= 14 && !stop_word(s + i, w)) {
			at[k] = i;
			wl[k++] = w;
		}
		if (w) {
			i += w;
		} else {
			i++;
			while (i < n && is_word((unsigned char)s[i - 1]) && is_word((unsigned char)s[i]))
				i++;
		}
	}
	return k;
}

static bool query_word(const struct lines *l, struct rng *r, struct kb_buf *q, bool prefix)
{
	size_t at[256], wl[256];
	for (int t = 0; t < 20; t++) {
		size_t i = rng_below(r, l->n), n = line_words(l->v[i], l->len[i], at, wl, 256), k;
		if (!n)
			continue;
		k = rng_below(r, n);
		if (prefix && wl[k] < 5)
			continue;
		kb_buf_put(q, l->v[i] + at[k], prefix ? 3 + rng_below(r, 3) : wl[k]);
		if (prefix)
			kb_buf_putc(q, '*');
		return true;
	}
	return false;
}

/* Two or three words that follow each other with one space between. */
static bool query_phrase(const struct lines *l, struct rng *r, struct kb_buf *q)
{
	for (int t = 0; t < 40; t++) {
		size_t i = rng_below(r, l->n);
		const char *s = l->v[i];
		size_t n = l->len[i], at, k = 2 + rng_below(r, 2), j, w = 0;
		if (n < 20)
			continue;
		at = rng_below(r, n);
		while (at < n && !(is_alpha((unsigned char)s[at]) && word_at(s, n, at) >= 3))
			at++;
		for (j = at; j < n && w < k; w++) {
			size_t ww = word_at(s, n, j);
			if (ww < 2)
				break;
			j += ww;
			if (w + 1 < k) {
				if (j + 1 >= n || s[j] != ' ' || !is_alpha((unsigned char)s[j + 1]))
					break;
				j++;
			}
		}
		if (w < k || at >= n)
			continue;
		{
			size_t w1 = word_at(s, n, at), last = j;
			while (last > at && is_alpha((unsigned char)s[last - 1]))
				last--;
			if (stop_word(s + at, w1) || stop_word(s + last, j - last) || j - at < 9)
				continue;
		}
		kb_buf_putc(q, '"');
		kb_buf_put(q, s + at, j - at);
		kb_buf_putc(q, '"');
		return true;
	}
	return false;
}

/* Characters that seldom start a word: a query starts after them. */
static bool cjk_function(uint32_t cp)
{
	static const char fn[] = "的了和是在到与或及将把被对从为也就都而且中上下个这那其以可要会不";
	for (size_t i = 0; i < sizeof fn - 1;) {
		uint32_t c;
		i += (size_t)kb_utf8_decode(fn + i, sizeof fn - 1 - i, &c);
		if (c == cp)
			return true;
	}
	return false;
}

/* The start of a run of CJK characters (after a function character, if any), 2 or 4 long:
 * the way people type Chinese search words. Appends it to q. */
static bool cjk_run(const char *s, size_t n, struct rng *r, struct kb_buf *q)
{
	size_t starts[256], ns = 0;
	for (size_t i = 0; i < n && ns < 256;) {
		uint32_t cp, prev = 0;
		int len = kb_utf8_decode(s + i, n - i, &cp);
		if (i)
			kb_utf8_decode(s + i - 1 - (i >= 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80 ? 2 : 0),
			               n - i + 1, &prev);
		if (kb_width_is_cjk(cp) && !cjk_function(cp) && (!i || !kb_width_is_cjk(prev) || cjk_function(prev)))
			starts[ns++] = i;
		i += (size_t)len;
	}
	for (int t = 0; t < 10 && ns > 0; t++) {
		size_t k = rng_below(r, ns), chars = rng_pct(r, 65) ? 2 : 4, c = 0, i = starts[k];
		while (c < chars && i < n) {
			uint32_t cp;
			int len = kb_utf8_decode(s + i, n - i, &cp);
			if (!kb_width_is_cjk(cp))
				break;
			i += (size_t)len, c++;
		}
		if (c == chars) {
			kb_buf_put(q, s + starts[k], i - starts[k]);
			return true;
		}
	}
	return false;
}

static bool query_chinese(const struct lines *l, struct rng *r, struct kb_buf *q)
{
	for (int t = 0; t < 40; t++) {
		size_t i = rng_below(r, l->n);
		if (cjk_chars(l->v[i], l->len[i]) < 6 || !cjk_run(l->v[i], l->len[i], r, q))
			continue;
		if (rng_pct(r, 30)) {
			struct kb_buf two = {0};
			if (cjk_run(l->v[i], l->len[i], r, &two) && strcmp(kb_buf_str(&two), kb_buf_str(q)) != 0) {
				kb_buf_putc(q, ' ');
				kb_buf_put(q, two.s, two.len);
			}
			kb_buf_free(&two);
		}
		return true;
	}
	return false;
}

/* An error line of an error note as someone would paste it: other values, no indentation. */
static bool query_error(const struct lines *l, struct rng *r, struct kb_buf *q)
{
	for (int t = 0; t < 40; t++) {
		size_t i = rng_below(r, l->n);
		const char *s = l->v[i];
		size_t n = l->len[i];
		while (n && *s == ' ')
			s++, n--;
		if (n < 24 || !kb_normalize_errorish(s, n) || memchr(s, '\t', n))
			continue;
		vary_values(q, s, n, r, 100);
		return true;
	}
	return false;
}

static void query_miss(enum kind k, int which, size_t i, struct rng *r, struct kb_buf *q)
{
	static const char *const zh[] = {"龘靐齉", "齾爩", "麤灥", "䨻䲜"};
	const char *w1 = names[rng_below(r, NAMES)];
	(void)k;
	switch (which) {
	case 0: kb_buf_printf(q, "zq%sxv", w1); break;
	case 1: kb_buf_printf(q, "\"zq%s xv%s\"", w1, names[rng_below(r, NAMES)]); break;
	case 2: kb_buf_puts(q, zh[i % KB_NELEM(zh)]); break;
	case 3: kb_buf_printf(q, "zqx%.3s*", w1); break;
	default:
		kb_buf_printf(q, "fatal: zq%s quorum lost on 10.%u.%u.%u:%u after %u retries (code ZQX_%zu_FAILED)",
		              w1, (unsigned)rng_below(r, 256), (unsigned)rng_below(r, 256),
		              (unsigned)rng_below(r, 256), 1024 + (unsigned)rng_below(r, 60000),
		              (unsigned)rng_below(r, 20), i);
	}
}

static const char *const qkinds[] = {"word", "phrase", "chinese", "prefix", "error"};

static void make_queries(struct gen *g, struct rng *r, FILE *f)
{
	struct kb_strmap seen = {0};
	for (int qk = 0; qk < 5; qk++) {
		size_t got = 0, tries = 0;
		while (got < QUERIES_HIT && tries++ < 100000) {
			const struct made *m = &g->v[rng_below(r, g->n)];
			struct lines l;
			struct kb_buf q = {0};
			bool ok;
			if ((qk == 0 || qk == 1 || qk == 3) && (m->zh || m->kind == K_ERR))
				continue;
			if (qk == 2 && !m->zh)
				continue;
			if (qk == 4 && m->kind != K_ERR)
				continue;
			note_lines(g->out, m->rel, qk == 4, &l);
			ok = l.n && (qk == 0   ? query_word(&l, r, &q, false)
			             : qk == 1 ? query_phrase(&l, r, &q)
			             : qk == 2 ? query_chinese(&l, r, &q)
			             : qk == 3 ? query_word(&l, r, &q, true)
			                       : query_error(&l, r, &q));
			lines_free(&l);
			if (ok && !strchr(kb_buf_str(&q), '\t') && !kb_strmap_get(&seen, kb_buf_str(&q), NULL)) {
				kb_strmap_put(&seen, kb_buf_str(&q), 1);
				fprintf(f, "%s\thit\t%s\t%s\n", qkinds[qk], kb_buf_str(&q), m->rel);
				got++;
			}
			kb_buf_free(&q);
		}
		for (size_t i = 0; i < QUERIES_MISS; i++) {
			struct kb_buf q = {0};
			query_miss(K_TLDR, qk, i, r, &q);
			fprintf(f, "%s\tmiss\t%s\t-\n", qkinds[qk], kb_buf_str(&q));
			kb_buf_free(&q);
		}
	}
	kb_strmap_free(&seen);
}

int main(int argc, char **argv)
{
	struct srcs tldr = {0}, doc = {0};
	struct pools pl = {0};
	struct gen g = {0};
	uint64_t seed = 20240601;
	struct rng r;
	char *path;
	FILE *f;
	int a = 1;
	setlocale(LC_ALL, "");
	kb_width_init();
	if (a + 1 < argc && strcmp(argv[a], "-s") == 0) {
		seed = strtoull(argv[a + 1], NULL, 10);
		a += 2;
	}
	if (argc - a != 3 || atol(argv[a + 2]) <= 0) {
		fprintf(stderr, "usage: kbgen [-s SEED] CORPORA_DIR OUT_DIR ENTRIES\n");
		return 2;
	}
	g.out = argv[a + 1];
	g.want = (size_t)atol(argv[a + 2]);
	r.s = seed;
	make_names(&r);
	load(argv[a], &tldr, &doc, &pl);
	shuffle_order(&tldr, &r);
	shuffle_order(&doc, &r);
	mkdirs(g.out);
	path = kb_xasprintf("%s/notes/components.yaml", g.out);
	write_file(path, components_yaml, strlen(components_yaml));
	free(path);
	generate(&g, &tldr, &doc, &pl, &r);

	path = kb_xasprintf("%s/queries.tsv", g.out);
	if (!(f = fopen(path, "w")))
		return 2;
	make_queries(&g, &r, f);
	fclose(f);
	free(path);

	path = kb_xasprintf("%s/touch.lst", g.out);
	if (!(f = fopen(path, "w")))
		return 2;
	for (size_t i = 0; i < TOUCH_NOTES; i++)
		fprintf(f, "%s\n", g.v[rng_below(&r, g.n)].rel);
	fclose(f);
	free(path);

	path = kb_xasprintf("%s/corpus.info", g.out);
	if (!(f = fopen(path, "w")))
		return 2;
	fprintf(f, "seed\t%llu\nentries\t%zu\nnotes\t%zu\nmd_bytes\t%zu\n", (unsigned long long)seed, g.total,
	        g.notes, g.bytes);
	for (int k = 0; k < K_NKINDS; k++)
		fprintf(f, "entries_%s\t%zu\n", kind_name[k], g.by_kind[k]);
	fprintf(f, "pool_error_lines\t%zu\npool_zh_sentences\t%zu\n", pl.errors.n, pl.zh.n);
	fclose(f);
	free(path);
	fprintf(stderr, "kbgen: %zu entries in %zu notes (%.1f MB) under %s/notes\n", g.total, g.notes,
	        (double)g.bytes / 1e6, g.out);
	free_gen(&g);
	free_srcs(&tldr);
	free_srcs(&doc);
	kb_strv_free(&pl.errors);
	kb_strv_free(&pl.zh);
	kb_strmap_free(&pl.seen);
	return 0;
}
