/* search_exact.c - the entries that hold a pasted line's own text: its long runs of words
 * and its error identifiers, as written, before entries that only look alike.
 *
 * A pasted line's signature (kb_normalize) sets its variable parts aside; what is left
 * between them and the punctuation are runs of plain words ("information schema is out of
 * date", "gc life time is shorter than transaction duration"). An entry that holds such a
 * run verbatim, or an identifier of the line (ImagePullBackOff, ErrBackupGCSafepointExceeded,
 * USER_OR_PWD_ERR), explains that very error; an entry whose stored error only has the same
 * shape may not. Each run and identifier is searched for as an exact phrase, and an entry
 * is worth the words of what it holds. */
#include "search_priv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kb/normalize.h"
#include "kb/query.h"

#define RUN_MIN 3       /* words in a run worth looking for */
#define RUNS_MAX 5      /* the longest runs looked for */
#define IDENTS_MAX 3    /* identifiers looked for */
#define IDENT_WORTH 4   /* an identifier counts as a run of so many words */
#define PHRASE_HITS 20  /* entries taken per phrase */
#define WINDOW 4        /* words of a window across a message's punctuation */
#define WINDOWS_MAX 8   /* windows looked for */

struct piece {
	char *text;
	int worth; /* words, or IDENT_WORTH */
};

static int cmp_worth(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;
	return y->worth - x->worth;
}

static bool run_char(char c)
{
	return kb_ascii_isalnum((unsigned char)c) || c == '_' || c == ' ' || c == '-' || c == '.' || c == '\'' ||
	       (unsigned char)c >= 0x80;
}

/* The runs of the signature sig: word sequences with no placeholder or punctuation inside,
 * of RUN_MIN words or more. */
static void runs_of(const char *sig, struct piece *v, size_t *n, size_t max)
{
	for (const char *p = sig; *p;) {
		const char *from;
		int words = 0;
		bool in = false;
		if (*p == '<') { /* a placeholder */
			const char *close = strchr(p, '>');
			p = close ? close + 1 : p + 1;
			continue;
		}
		if (!run_char(*p)) {
			p++;
			continue;
		}
		from = p;
		for (; *p && run_char(*p); p++) { /* a word: what is between spaces, with a letter or digit */
			bool w = kb_ascii_isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80;
			words += w && !in;
			in = *p == ' ' ? false : in || w;
		}
		if (words >= RUN_MIN && *n < max)
			v[(*n)++] = (struct piece){kb_xstrndup(from, (size_t)(p - from)), words};
	}
}

/* Whether c joins two runs of a message as it is printed: "rpc error: code = Unimplemented",
 * "mismatch, local": a colon, equals sign or comma with spaces, which FTS5's phrase skips. */
static bool joint(const char *p)
{
	return (p[0] == ':' || p[0] == ',' || p[0] == '=') && p[1] == ' ';
}

/* The windows of WINDOW words of sig that cross a joint between runs (a run alone is looked
 * for whole): an entry that quotes the message's start ("`rpc error: code = Unimplemented
 * ...`") holds one though it holds no whole run. Their text is sig's, punctuation and all. */
static void windows_of(const char *sig, struct piece *v, size_t *n, size_t max)
{
	const char *start[64];
	size_t nw = 0;
	bool crossed[64] = {false};
	for (const char *p = sig; *p && nw < 64;) {
		if (kb_ascii_isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80) {
			start[nw++] = p;
			while (*p && run_char(*p) && *p != ' ')
				p++;
		} else if (*p == ' ') {
			p++;
		} else if (joint(p) && nw > 0) {
			crossed[nw] = true; /* between word nw - 1 and word nw */
			p++;
		} else { /* any other mark or a placeholder ends the message's words */
			if (*p == '<') {
				const char *close = strchr(p, '>');
				p = close ? close : p;
			}
			p++;
			if (nw > 0 && start[nw - 1])
				start[nw++] = NULL; /* a break: no window spans it */
		}
	}
	for (size_t i = 0; i + WINDOW <= nw && *n < max; i++) {
		bool whole = true, across = false;
		for (size_t k = i; k < i + WINDOW; k++)
			whole &= start[k] != NULL;
		for (size_t k = i + 1; whole && k < i + WINDOW; k++)
			across |= crossed[k];
		if (whole && across) {
			const char *end = start[i + WINDOW - 1];
			while (*end && run_char(*end) && *end != ' ')
				end++;
			v[(*n)++] = (struct piece){kb_xstrndup(start[i], (size_t)(end - start[i])), WINDOW};
		}
	}
}

/* Whether s[0..n) is an error identifier: CamelCase with a hump (ImagePullBackOff), or
 * capitals with '_' (USER_OR_PWD_ERR); eight characters or more. */
static bool ident(const char *s, size_t n)
{
	bool hump = false, lower = false, under = false, upper_only = true;
	if (n < 8)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'a' && c <= 'z')
			lower = true, upper_only = false;
		else if (c >= 'A' && c <= 'Z')
			hump |= lower;
		else if (c == '_')
			under = true;
		else if (!(c >= '0' && c <= '9'))
			return false;
	}
	return hump || (under && upper_only);
}

static void idents_of(const char *text, struct piece *v, size_t *n, size_t max)
{
	for (const char *p = text; *p && *n < max;) {
		size_t len = 0;
		while (p[len] && (kb_ascii_isalnum((unsigned char)p[len]) || p[len] == '_'))
			len++;
		if (len == 0) {
			p++;
			continue;
		}
		if (ident(p, len)) {
			bool dup = false;
			for (size_t i = 0; i < *n; i++)
				dup |= strlen(v[i].text) == len && memcmp(v[i].text, p, len) == 0;
			if (!dup)
				v[(*n)++] = (struct piece){kb_xstrndup(p, len), IDENT_WORTH};
		}
		p += len;
	}
}

static struct kb_hit *find_hit(struct kb_hits *h, long long rowid)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].rowid == rowid)
			return &h->v[i];
	return NULL;
}

/* Whether the hit's title holds text, in any case. */
static bool title_holds(const struct kb_hit *h, const char *text)
{
	size_t n = strlen(text);
	for (const char *t = h->title; t && *t; t++)
		if (strncasecmp(t, text, n) == 0)
			return true;
	return false;
}

/* Adds the entries holding one piece to out, each worth the piece's words more (twice
 * that when its title holds it); none when PHRASE_HITS entries or more hold it. */
static int look_for(struct kb_index *ix, const struct piece *pc, bool snippets, struct kb_hits *out,
                    struct kb_err *err)
{
	struct kb_buf m = {0};
	struct kb_hits found = {0};
	int rc;
	kb_query_quote(&m, pc->text, strlen(pc->text));
	/* no more rows than that are read: one more says the piece is too common to count */
	struct kb_search_req req = {.match = kb_buf_str(&m), .limit = PHRASE_HITS, .snippets = snippets,
	                            .bounded = true, .bound_rows = PHRASE_HITS};
	double worth = pc->worth;
	rc = kb_index_search(ix, &req, &found, err);
	if (found.n >= PHRASE_HITS || found.partial)
		found.n = 0; /* in that many entries (more than were asked for), it tells none apart */
	for (size_t i = 0; rc == 0 && i < found.n; i++) {
		struct kb_hit *h = find_hit(out, found.v[i].rowid);
		/* the phrase's own rank orders entries worth the same: a fraction of a word */
		double tie = 0.5 * (double)(found.n - i) / (double)(found.n + 1);
		/* an entry whose title holds the piece is about that very error: worth twice */
		double w = title_holds(&found.v[i], pc->text) ? 2 * worth : worth;
		if (h) {
			h->score += w;
		} else {
			found.v[i].score = w + tie;
			kb_hits_take(out, &found, i);
		}
	}
	kb_hits_free(&found);
	kb_buf_free(&m);
	return rc;
}

/* Whether every word of a piece is common (kb_search_word_rows): such a run is in too many
 * entries to tell them apart, or FTS5 would walk the positions of all of them to find the
 * few that hold it, whichever it is. */
static bool all_common(struct kb_index *ix, const char *text, struct kb_strmap *rows)
{
	for (const char *p = text; *p;) {
		size_t w = 0;
		while (p[w] && ((unsigned char)p[w] >= 0x80 || kb_ascii_isword((unsigned char)p[w])))
			w++;
		if (w) {
			char *word = kb_xstrndup(p, w);
			long long df = kb_search_word_rows(ix, word, rows);
			free(word);
			if (df >= 0 && df <= KB_SEARCH_COMMON)
				return false;
		}
		p += w ? w : 1;
	}
	return true;
}

int kb_search_exact(struct kb_index *ix, const char *text, bool snippets, struct kb_strmap *rows, struct kb_hits *out,
                    struct kb_err *err)
{
	struct piece v[RUNS_MAX + WINDOWS_MAX + IDENTS_MAX + 32];
	size_t n = 0, nruns, keep;
	int rc = 0;
	char *sig = kb_normalize(text, strlen(text));
	runs_of(sig, v, &n, KB_NELEM(v) - IDENTS_MAX);
	free(sig);
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_worth);
	for (size_t i = RUNS_MAX; i < n; i++)
		free(v[i].text);
	nruns = n < RUNS_MAX ? n : RUNS_MAX;
	n = nruns;
	sig = kb_normalize(text, strlen(text));
	windows_of(sig, v, &n, nruns + WINDOWS_MAX);
	free(sig);
	idents_of(text, v, &n, n + IDENTS_MAX);
	keep = n;
	for (size_t i = 0; rc == 0 && i < keep; i++)
		rc = all_common(ix, v[i].text, rows) ? 0 : look_for(ix, &v[i], snippets, out, err);
	for (size_t i = 0; i < keep; i++)
		free(v[i].text);
	kb_search_sort(out);
	return rc;
}
