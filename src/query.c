/* query.c - what the user typed to safe FTS5 MATCH text: every term quoted, never an error. */
#include "kb/query.h"

#include <stdlib.h>
#include <string.h>

#include "kb/normalize.h"
#include "kb/tokenizer.h"
#include "kb/width.h"

#define PAIRS_MAX 32 /* a CJK run of more characters is not cut into its words (KB_QUERY_PAIRS) */

struct term {
	char *text;
	bool prefix, neg, or_next; /* or_next: joined to the next term by OR */
	bool quoted;               /* typed in double quotes: always one phrase */
	bool written;              /* KB_QUERY_AS_WRITTEN: never in another form */
	char *forms;               /* kb_query_expand's: KB_TOKENIZER_STEM before each form */
};

struct kb_query {
	struct term *v;
	size_t n, cap;
	char *component, *symptom, *source, *section, *lang;
	struct kb_strmap seen; /* the terms so far, flags and text: a repeated one folds */
	size_t ignored;        /* terms past KB_QUERY_MAX_TERMS */
};

static bool space_at(const char *s, size_t *len)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v') {
		*len = 1;
		return true;
	}
	if (strncmp(s, "\xe3\x80\x80", 3) == 0) { /* ideographic space */
		*len = 3;
		return true;
	}
	return false;
}

/* Whether the tokenizer would find anything to index in s[0..n). */
static bool indexable(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int len = kb_utf8_decode(s + i, n - i, &cp);
		if (cp < 0x80 ? (kb_ascii_isalnum((int)cp) || cp == '_')
		              : (cp != KB_UTF8_BAD && !kb_width_is_cjk_punct(cp) && kb_width_cp(cp) > 0 &&
		                 !(cp >= 0x2000 && cp <= 0x2BFF)))
			return true;
		i += (size_t)len;
	}
	return false;
}

/* Whether q has the term already (and notes it when not). FTS5 pays for each term in every
 * snippet it makes, so "error error error ..." is one term, not thousands. */
static bool seen_term(struct kb_query *q, const struct term *t, const char *s, size_t n)
{
	struct kb_buf key = {0};
	bool seen;
	kb_buf_putc(&key, (char)('0' + t->neg + 2 * t->prefix + 4 * t->quoted));
	kb_buf_put(&key, s, n);
	seen = kb_strmap_get(&q->seen, kb_buf_str(&key), NULL);
	if (!seen)
		kb_strmap_put(&q->seen, kb_buf_str(&key), 1);
	kb_buf_free(&key);
	return seen;
}

static void add_term(struct kb_query *q, const char *s, size_t n, bool neg, bool quoted)
{
	struct term t = {.neg = neg, .quoted = quoted};
	if (!quoted) {
		while (n > 1 && s[n - 1] == '*') {
			n--;
			t.prefix = true;
		}
	}
	if (!indexable(s, n))
		return;
	if (seen_term(q, &t, s, n)) {
		if (q->n)
			q->v[q->n - 1].or_next = false; /* a OR a: a */
		return;
	}
	if (q->n >= KB_QUERY_MAX_TERMS) {
		q->ignored++;
		return;
	}
	t.text = kb_xstrndup(s, n);
	kb_xgrow(&q->v, &q->cap, q->n + 1, sizeof *q->v);
	q->v[q->n++] = t;
}

/* Reads a quoted string starting after the opening quote; returns its end (past the closing
 * quote, or the end of text when unbalanced) and its content in *s, *n. */
static const char *read_quoted(const char *p, const char **s, size_t *n)
{
	const char *close = strchr(p, '"');
	*s = p;
	*n = close ? (size_t)(close - p) : strlen(p);
	return close ? close + 1 : p + *n;
}

static const char *read_word(const char *p, const char **s, size_t *n)
{
	size_t sp;
	*s = p;
	while (*p && !space_at(p, &sp))
		p++;
	*n = (size_t)(p - *s);
	return p;
}

/* component:NAME, symptom:TEXT, source:notes|man or section:N at p; returns the end, or NULL
 * if p is not a filter. */
static const char *read_filter(struct kb_query *q, const char *p)
{
	static const char *const names[] = {"component:", "symptom:", "source:", "section:", "lang:"};
	char **slots[] = {&q->component, &q->symptom, &q->source, &q->section, &q->lang};
	for (size_t k = 0; k < KB_NELEM(names); k++) {
		size_t m = strlen(names[k]);
		const char *s;
		size_t n;
		char **slot = slots[k];
		if (strncmp(p, names[k], m) != 0)
			continue;
		p += m;
		p = *p == '"' ? read_quoted(p + 1, &s, &n) : read_word(p, &s, &n);
		if (n == 0)
			return p;
		free(*slot);
		*slot = kb_xstrndup(s, n);
		if (k != 1) /* all but symptom: in any case (components are stored lower-cased) */
			for (char *c = *slot; *c; c++)
				*c = (char)kb_ascii_tolower((unsigned char)*c);
		return p;
	}
	return NULL;
}

/* Whether an excluded word could be an option as typed after its '-': -mtime, -no-cache,
 * -Wall, -o2. A phrase or other punctuation is only ever an exclusion. */
static bool option_like(const struct term *t)
{
	if (t->quoted || t->prefix || !kb_ascii_isalnum((unsigned char)t->text[0]))
		return false;
	for (const char *c = t->text; *c; c++)
		if (!kb_ascii_isalnum((unsigned char)*c) && !strchr("-_.", *c))
			return false;
	return true;
}

/* Whether the word at p is an exclusion: -word or -"phrase". A command-line option as
 * people paste them (-A, -p, --since, -9) is a word to find, not to exclude. */
static bool excludes(const char *p)
{
	size_t sp, n = 0;
	if (p[0] != '-' || !p[1] || space_at(p + 1, &sp) || p[1] == '-')
		return false;
	if (p[1] == '"')
		return true;
	while (p[1 + n] && !space_at(p + 1 + n, &sp))
		n++;
	if (n == 1 && (unsigned char)p[1] < 0x80)
		return false; /* -A: an option */
	return !(p[1] >= '0' && p[1] <= '9'); /* -9, -1: numbers and signals */
}

struct kb_query *kb_query_parse(const char *text, unsigned flags)
{
	struct kb_query *q = kb_xcalloc(1, sizeof *q);
	const char *p = text ? text : "";
	bool last_plain = false;
	while (*p) {
		const char *s, *f;
		size_t n, sp;
		bool neg = false, quoted;
		if (space_at(p, &sp)) {
			p += sp;
			continue;
		}
		if ((f = read_filter(q, p))) {
			p = f;
			last_plain = false;
			continue;
		}
		if (excludes(p)) {
			neg = true;
			p++;
		}
		quoted = *p == '"';
		p = quoted ? read_quoted(p + 1, &s, &n) : read_word(p, &s, &n);
		if (!quoted && !neg && n == 2 && memcmp(s, "OR", 2) == 0 && q->n && *p) {
			q->v[q->n - 1].or_next = true;
			continue;
		}
		size_t before = q->n;
		add_term(q, s, n, neg, quoted);
		last_plain = q->n > before && !quoted && !neg;
	}
	if (q->n && q->v[q->n - 1].or_next)
		q->v[q->n - 1].or_next = false;
	if (q->n == 1 && q->v[0].neg && !q->component && !q->symptom && kb_query_include(q, q->v[0].text))
		last_plain = true; /* -mtime alone: nothing to exclude it from; -mt as typed, a prefix */
	if ((flags & KB_QUERY_PREFIX_LAST) && last_plain)
		q->v[q->n - 1].prefix = true;
	for (size_t i = 0; i < q->n; i++)
		q->v[i].written = (flags & KB_QUERY_AS_WRITTEN) != 0;
	return q;
}

void kb_query_options(const struct kb_query *q, struct kb_strv *out)
{
	for (size_t i = 0; i < q->n; i++) {
		if (q->v[i].neg && option_like(&q->v[i])) {
			char *w = kb_xasprintf("-%s", q->v[i].text);
			kb_strv_add_unique(out, w);
			free(w);
		}
	}
}

bool kb_query_include(struct kb_query *q, const char *option)
{
	const char *w = option + (option[0] == '-');
	for (size_t i = 0; i < q->n; i++) {
		struct term *t = &q->v[i];
		if (!t->neg || !option_like(t) || strcmp(t->text, w) != 0)
			continue;
		char *typed = kb_xasprintf("-%s", t->text);
		free(t->text);
		t->text = typed;
		t->neg = false;
		return true;
	}
	return false;
}

char *kb_query_title_match(const char *word)
{
	struct kb_buf b = {0};
	if (!indexable(word, strlen(word)))
		return NULL;
	kb_buf_puts(&b, "title : ");
	kb_query_quote(&b, word, strlen(word));
	return kb_buf_take(&b);
}

void kb_query_free(struct kb_query *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++) {
		free(q->v[i].text);
		free(q->v[i].forms);
	}
	free(q->v);
	free(q->component);
	free(q->symptom);
	free(q->source);
	free(q->section);
	kb_strmap_free(&q->seen);
	free(q->lang);
	free(q);
}

void kb_query_quote(struct kb_buf *out, const char *s, size_t n)
{
	kb_buf_putc(out, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			kb_buf_putc(out, '"');
		kb_buf_putc(out, s[i]);
	}
	kb_buf_putc(out, '"');
}

static bool single_cjk(const char *s)
{
	uint32_t cp;
	size_t n = strlen(s);
	int len = kb_utf8_decode(s, n, &cp);
	return (size_t)len == n && kb_width_is_cjk(cp);
}

/* Whether a term is a plain English word, which the tokenizer is asked to stem: letters
 * only, three or more, capitalised at most at the start (the tokenizer's rule, checked
 * again there). Quoted phrases, prefixes, identifiers and CJK match as written. */
static bool plain_word(const struct term *t)
{
	size_t n = strlen(t->text);
	if (t->quoted || t->prefix || t->written || n < 3)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = t->text[i];
		if (!((ch >= 'a' && ch <= 'z') || (i == 0 && ch >= 'A' && ch <= 'Z')))
			return false;
	}
	return true;
}

static void put_term(struct kb_buf *b, const struct term *t)
{
	if (plain_word(t)) {
		kb_buf_putc(b, '"');
		kb_buf_putc(b, KB_TOKENIZER_STEM);
		kb_buf_puts(b, t->text);
		if (t->forms)
			kb_buf_puts(b, t->forms);
		kb_buf_putc(b, '"');
		return;
	}
	kb_query_quote(b, t->text, strlen(t->text));
	/* One CJK character is matched as the start of the two-character tokens it begins. */
	if (t->prefix || single_cjk(t->text))
		kb_buf_putc(b, '*');
}

/* A term of CJK characters only, three or more: in the fallback, its overlapping pairs
 * are words of their own, so that a paraphrase finds the text with most of them. */
static bool cjk_run(const char *s, size_t *chars)
{
	size_t n = strlen(s);
	*chars = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += (size_t)kb_utf8_decode(s + i, n - i, &cp);
		if (!kb_width_is_cjk(cp))
			return false;
		(*chars)++;
	}
	return *chars >= 3;
}

static void put_pairs(struct kb_buf *b, const char *s)
{
	size_t n = strlen(s), prev = 0;
	bool first = true;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t at = i;
		i += (size_t)kb_utf8_decode(s + i, n - i, &cp);
		if (at > 0) {
			if (!first)
				kb_buf_puts(b, " OR ");
			kb_query_quote(b, s + prev, i - prev);
			first = false;
		}
		prev = at;
	}
}

/* A CJK run s (cjk_run, chars characters) as its two-character words in turn, ANDed: a
 * text that writes them apart (重置数据迁移任务 for 重置迁移任务) has them all, while the
 * pairs across two words (置迁) are left out. An odd run's last character goes with the
 * one before it. A run longer than PAIRS_MAX is matched as written. */
static void put_words(struct kb_buf *b, const struct term *t, size_t chars)
{
	const char *s = t->text;
	size_t n = strlen(s), at[PAIRS_MAX + 1], c = 0;
	if (chars > PAIRS_MAX) {
		put_term(b, t);
		return;
	}
	for (size_t i = 0; i < n; c++) {
		uint32_t cp;
		at[c] = i;
		i += (size_t)kb_utf8_decode(s + i, n - i, &cp);
	}
	at[chars] = n;
	for (c = 0; c + 1 < chars; c += 2) {
		size_t from = c + 3 == chars ? c + 1 : c; /* the odd character: its last pair overlaps */
		if (c)
			kb_buf_puts(b, " AND ");
		if (c + 3 == chars) {
			kb_query_quote(b, s + at[c], at[c + 2] - at[c]);
			kb_buf_puts(b, " AND ");
		}
		kb_query_quote(b, s + at[from], at[from + 2] - at[from]);
	}
}

static void put_positives(struct kb_buf *b, const struct kb_query *q, enum kb_query_mode mode)
{
	bool first = true, in_group = false;
	for (size_t i = 0; i < q->n; i++) {
		const struct term *t = &q->v[i];
		if (t->neg)
			continue;
		if (!first)
			kb_buf_puts(b, mode == KB_QUERY_ANY || in_group ? " OR " : " AND ");
		if (mode != KB_QUERY_ANY && t->or_next && !in_group) {
			kb_buf_putc(b, '(');
			in_group = true;
		}
		size_t chars;
		if (mode == KB_QUERY_ANY && !t->prefix && !t->quoted && cjk_run(t->text, &chars))
			put_pairs(b, t->text);
		else if (mode == KB_QUERY_PAIRS && !t->prefix && !t->quoted && cjk_run(t->text, &chars) && chars >= 4)
			put_words(b, t, chars);
		else
			put_term(b, t);
		if (in_group && !t->or_next) {
			kb_buf_putc(b, ')');
			in_group = false;
		}
		first = false;
	}
	if (in_group)
		kb_buf_putc(b, ')');
}

char *kb_query_match(const struct kb_query *q, enum kb_query_mode mode)
{
	struct kb_buf b = {0};
	size_t pos = kb_query_terms(q);
	if (pos == 0 && !q->symptom)
		return NULL;
	kb_buf_putc(&b, '(');
	if (pos)
		put_positives(&b, q, mode);
	if (q->symptom) {
		if (pos)
			kb_buf_puts(&b, " AND ");
		kb_buf_puts(&b, "symptoms : ");
		kb_query_quote(&b, q->symptom, strlen(q->symptom));
	}
	kb_buf_putc(&b, ')');
	for (size_t i = 0; i < q->n; i++) {
		if (!q->v[i].neg)
			continue;
		kb_buf_puts(&b, " NOT ");
		put_term(&b, &q->v[i]);
	}
	return kb_buf_take(&b);
}

bool kb_query_has_alternatives(const struct kb_query *q)
{
	size_t chars;
	if (kb_query_terms(q) >= 2)
		return true;
	for (size_t i = 0; i < q->n; i++)
		if (!q->v[i].neg && !q->v[i].quoted && !q->v[i].prefix && cjk_run(q->v[i].text, &chars))
			return true;
	return false;
}

int kb_query_expand(struct kb_query *q, int (*forms)(void *ctx, const char *word, struct kb_strv *out),
                    void *ctx)
{
	for (size_t i = 0; i < q->n; i++) {
		struct term *t = &q->v[i];
		struct kb_strv v = {0};
		struct kb_buf b = {0};
		char *word;
		int rc;
		if (t->neg || t->forms || !plain_word(t))
			continue;
		word = kb_xstrdup(t->text);
		word[0] = (char)kb_ascii_tolower((unsigned char)word[0]);
		rc = forms(ctx, word, &v);
		for (size_t k = 0; rc == 0 && k < v.n; k++) {
			kb_buf_putc(&b, KB_TOKENIZER_STEM);
			kb_buf_puts(&b, v.v[k]);
		}
		t->forms = rc == 0 && b.len ? kb_buf_take(&b) : NULL;
		kb_buf_free(&b);
		kb_strv_free(&v);
		free(word);
		if (rc != 0)
			return -1;
	}
	return 0;
}

bool kb_query_has_pairs(const struct kb_query *q)
{
	size_t chars;
	for (size_t i = 0; i < q->n; i++)
		if (!q->v[i].neg && !q->v[i].quoted && !q->v[i].prefix && cjk_run(q->v[i].text, &chars) && chars >= 4)
			return true;
	return false;
}

size_t kb_query_terms(const struct kb_query *q)
{
	size_t n = 0;
	for (size_t i = 0; i < q->n; i++)
		n += !q->v[i].neg;
	return n;
}

size_t kb_query_ignored(const struct kb_query *q)
{
	return q->ignored;
}

const char *kb_query_component(const struct kb_query *q)
{
	return q->component;
}

const char *kb_query_symptom(const struct kb_query *q)
{
	return q->symptom;
}

const char *kb_query_source(const struct kb_query *q)
{
	return q->source;
}

const char *kb_query_section(const struct kb_query *q)
{
	return q->section;
}

const char *kb_query_lang(const struct kb_query *q)
{
	return q->lang;
}

void kb_query_words(const struct kb_query *q, struct kb_strv *out)
{
	for (size_t i = 0; i < q->n; i++)
		if (!q->v[i].neg)
			kb_strv_add_unique(out, q->v[i].text);
	if (q->symptom)
		kb_strv_add_unique(out, q->symptom);
}

bool kb_query_is_logline(const char *text)
{
	size_t n = strlen(text), words = 0, placeholders = 0;
	bool inword = false, punct = false;
	char *sig;
	if (strchr(text, '\n') && indexable(text, n))
		return true;
	for (size_t i = 0; i < n; i++) {
		bool w = kb_ascii_isalnum((unsigned char)text[i]) || (unsigned char)text[i] >= 0x80;
		words += w && !inword;
		inword = w;
		punct |= strchr(":=[]{}()/\"<>|", text[i]) != NULL;
	}
	if (words >= 10)
		return true;
	if (n < 24 || words < 4)
		return false;
	sig = kb_normalize(text, n);
	for (const char *p = sig; (p = strchr(p, '<')); p++)
		placeholders++;
	free(sig);
	return kb_normalize_errorish(text, n) && (punct || placeholders > 0);
}
