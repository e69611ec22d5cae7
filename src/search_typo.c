/* search_typo.c - "showing results for": a word the index does not have, replaced by the
 * nearest word it has, when that finds entries with every word and the query did not.
 *
 * The nearest word is looked for in the index's vocabulary (fts5vocab) among the words
 * with the same first letter and a length within two: edit distance with transpositions
 * (journalclt, journalctl), case-blind, one edit for short words and two for longer ones;
 * of equally near words, the one in most entries. Identifiers are words too
 * (ImagePulBackOff, ImagePullBackOff), and the correction keeps the typed capitals. */
#include "search_priv.h"

#include <stdlib.h>
#include <string.h>

#define TYPO_MIN 4      /* shorter words are not corrected */
#define TYPO_MAX 64     /* nor longer ones */

/* Edit distance of a[0..na) and b[0..nb) with adjacent transpositions (optimal string
 * alignment), both lower case; max + 1 as soon as it must exceed max. */
static size_t distance(const char *a, size_t na, const char *b, size_t nb, size_t max)
{
	size_t d[3][TYPO_MAX + 3], best = 0;
	if (na > TYPO_MAX || nb > TYPO_MAX + 2)
		return max + 1;
	for (size_t j = 0; j <= nb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t *cur = d[i % 3], *prev = d[(i - 1) % 3], *pp = d[(i + 1) % 3];
		cur[0] = best = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t cost = a[i - 1] != b[j - 1], v = prev[j - 1] + cost;
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
	}
	return d[na % 3][nb];
}

/* Whether w is a word worth correcting: ASCII letters, digits and '_', with a letter. */
static bool correctable(const char *w, size_t n)
{
	bool letter = false;
	if (n < TYPO_MIN || n > TYPO_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = w[i];
		if (!kb_ascii_isalnum((unsigned char)c) && c != '_')
			return false;
		letter |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	}
	return letter;
}

/* The indexed word term (lower case) with the capitals of the typed word w[0..n): the
 * typed text before and after the part that differs, the term's own between. */
static char *recase(const char *w, size_t n, const char *term)
{
	size_t nt = strlen(term), pre = 0, suf = 0;
	struct kb_buf b = {0};
	while (pre < n && pre < nt && kb_ascii_tolower((unsigned char)w[pre]) == term[pre])
		pre++;
	while (suf < n - pre && suf < nt - pre && kb_ascii_tolower((unsigned char)w[n - 1 - suf]) == term[nt - 1 - suf])
		suf++;
	kb_buf_put(&b, w, pre);
	kb_buf_put(&b, term + pre, nt - pre - suf);
	kb_buf_put(&b, w + n - suf, suf);
	return kb_buf_take(&b);
}

/* The indexed word nearest to w[0..n), recased, or NULL (caller frees). */
static char *nearest(struct kb_index *ix, const char *w, size_t n, struct kb_err *err)
{
	char low[TYPO_MAX + 1], from[2], to[2];
	struct kb_counts vocab = {0};
	size_t max = n <= 5 ? 1 : 2, bestd = max + 1;
	long long bestdf = 0;
	const char *best = NULL;
	char *out = NULL;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)kb_ascii_tolower((unsigned char)w[i]);
	low[n] = '\0';
	from[0] = low[0], from[1] = '\0';
	to[0] = (char)(low[0] + 1), to[1] = '\0';
	if (kb_index_vocab(ix, from, to, n - max, n + max, &vocab, err) != 0)
		return NULL;
	for (size_t i = 0; i < vocab.n; i++) {
		const char *t = vocab.v[i].name;
		size_t d = distance(low, n, t, strlen(t), max);
		if (d == 0 || d > max || !correctable(t, strlen(t)))
			continue;
		if (d < bestd || (d == bestd && vocab.v[i].entries > bestdf)) {
			best = t;
			bestd = d;
			bestdf = vocab.v[i].entries;
		}
	}
	if (best)
		out = recase(w, n, best);
	kb_counts_free(&vocab);
	return out;
}

char *kb_search_correct(struct kb_index *ix, const char *text, struct kb_err *err)
{
	struct kb_buf b = {0};
	bool changed = false;
	for (const char *p = text; *p;) {
		size_t sp = strspn(p, " \t"), n;
		char *near = NULL;
		kb_buf_put(&b, p, sp);
		p += sp;
		n = strcspn(p, " \t");
		if (n && correctable(p, n)) {
			char *word = kb_xstrndup(p, n);
			if (kb_index_doc_freq(ix, word, 1) == 0)
				near = nearest(ix, p, n, err);
			free(word);
		}
		if (near) {
			kb_buf_puts(&b, near);
			changed = true;
			free(near);
		} else {
			kb_buf_put(&b, p, n);
		}
		p += n;
	}
	if (!changed) {
		kb_buf_free(&b);
		return NULL;
	}
	return kb_buf_take(&b);
}
