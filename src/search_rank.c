/* search_rank.c - what the search layer adds to the index's ranking: the page a hit is on
 * (its file's name against the query's words, its other hits) and its language (against
 * the query's).
 *
 * The index ranks entries (sections) by bm25 and by where the words are in them
 * (index_rank.c). Two things only the hit's path tells: a page named like the query
 * ("tar", "persistent volumes" for persistent-volumes.md, "coprocessor cache") is the page
 * about it, and a tree that holds a page in two languages (content/en and content/zh-cn,
 * pages and pages.zh) has a twin in the other language that must not come first. */
#include "search_priv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kb/width.h"

#define NAME_EXACT 3.0 /* the page's name is the query's words */
#define NAME_PART 1.0  /* ... added times the share of the query's words its name is */
#define OTHER_LANG 0.5 /* a page in the other language of a tree that has both */
#define SPELLED 3.0    /* an entry titled with an option or key the query spells (-mtime, Restart=) */
#define POPULAR 0.1    /* times the log of 1 + the notes that link to the page or name it */
#define SUPPORT 0.15   /* a hit gains so much of the score of its page's best other hit, half that
                        * of the next, and so on */

static const char *const small_words[] = {"a", "an", "the", "to", "of", "in", "on", "and", "or", "for",
                                          "with", "by", "at", "as", "is", "my", "how"};

static bool small_word(const char *w, size_t n)
{
	for (size_t i = 0; i < KB_NELEM(small_words); i++)
		if (strlen(small_words[i]) == n && memcmp(w, small_words[i], n) == 0)
			return true;
	return false;
}

/* Appends the lower-cased ASCII words of s[0..n) (letters and digits) to out, leaving the
 * small words out. */
static void ascii_words(const char *s, size_t n, struct kb_strv *out)
{
	for (size_t i = 0; i < n;) {
		size_t from;
		while (i < n && !kb_ascii_isalnum((unsigned char)s[i]))
			i++;
		from = i;
		while (i < n && kb_ascii_isalnum((unsigned char)s[i]))
			i++;
		if (i > from && !small_word(s + from, i - from)) {
			char *w = kb_xstrndup(s + from, i - from);
			for (char *p = w; *p; p++)
				*p = (char)kb_ascii_tolower((unsigned char)*p);
			kb_strv_add_unique(out, w);
			free(w);
		}
	}
}

/* Two words are one for a page's name when they are equal or one is the other with a
 * short ending (taints, toleration; draining, drain; autoscaling, autoscale). */
static bool same_word(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b), common = 0, longer = na > nb ? na : nb;
	while (common < na && common < nb && a[common] == b[common])
		common++;
	return common == longer || (common >= 4 && common + 3 >= longer);
}

static bool has_word(const struct kb_strv *v, const char *w)
{
	for (size_t i = 0; i < v->n; i++)
		if (same_word(v->v[i], w))
			return true;
	return false;
}

/* Whether a page's name ending in w (ticdc-overview.md, kubeadm-intro.md) names the page
 * about what comes before it. */
static bool overview_word(const char *w)
{
	return strcmp(w, "overview") == 0 || strcmp(w, "intro") == 0 || strcmp(w, "introduction") == 0;
}

/* The words of the page's name: its file name without the extension, or for an index page
 * (_index.md, index.md, README.md) its directory's; for a man page (man:[LANG/]NAME(SECTION))
 * its NAME: git-commit, systemd.service. A last word overview or intro is left out. */
static void name_words(const char *path, struct kb_strv *out)
{
	const char *base = strrchr(path, '/'), *dot;
	size_t n;
	if (strncmp(path, "man:", 4) == 0) {
		base = base ? base + 1 : path + 4;
		ascii_words(base, strcspn(base, "("), out);
		return;
	}
	base = base ? base + 1 : path;
	dot = strchr(base, '.');
	n = dot ? (size_t)(dot - base) : strlen(base);
	if ((n == 6 && strncmp(base, "_index", 6) == 0) || (n == 5 && strncmp(base, "index", 5) == 0) ||
	    (n == 6 && strncmp(base, "README", 6) == 0)) {
		const char *end = base > path ? base - 1 : path, *from = end;
		while (from > path && from[-1] != '/')
			from--;
		base = from;
		n = (size_t)(end - from);
	}
	ascii_words(base, n, out);
	if (out->n > 1 && overview_word(out->v[out->n - 1])) /* ticdc-overview.md: the ticdc page */
		free(out->v[--out->n]);
}

enum lang { LANG_NONE, LANG_EN, LANG_ZH };

/* The language a path names in one of its parts (a directory or a dot-separated piece of
 * one: content/zh-cn/, pages.zh/, README.zh-CN.md, content/en/), or LANG_NONE. */
static enum lang path_lang(const char *path)
{
	static const char *const zh[] = {"zh", "zh-cn", "zh_cn", "zh-hans", "zh-tw", "zh_tw", "zh-hant", "cn"};
	static const char *const en[] = {"en", "en-us", "en_us", "en-gb"};
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/.");
		for (size_t i = 0; i < KB_NELEM(zh); i++)
			if (strlen(zh[i]) == n && strncasecmp(p, zh[i], n) == 0)
				return LANG_ZH;
		for (size_t i = 0; i < KB_NELEM(en); i++)
			if (strlen(en[i]) == n && strncasecmp(p, en[i], n) == 0)
				return LANG_EN;
		p += n + (p[n] != '\0');
	}
	return LANG_NONE;
}


const char *kb_search_lang(const struct kb_hit *h)
{
	enum lang l = path_lang(h->path);
	if (l == LANG_NONE)
		l = kb_width_has_cjk(h->title, strlen(h->title)) ? LANG_ZH : LANG_EN;
	return l == LANG_ZH ? "zh" : "en";
}

bool kb_search_spelling(const char *w)
{
	size_t n = strlen(w);
	if (w[0] == '-')
		return kb_ascii_isalnum((unsigned char)w[1 + (w[1] == '-')]);
	return n >= 2 && w[n - 1] == '=' && kb_ascii_isalnum((unsigned char)w[0]);
}

bool kb_search_title_spells(const char *title, const char *word)
{
	size_t n = strlen(word);
	if (!n)
		return false;
	for (const char *p = title; (p = strstr(p, word)); p++) {
		char after = p[n];
		if ((p == title || strchr(" ,|[(\t", p[-1])) && (!after || strchr(" ,=[<|):\t", after)))
			return true;
	}
	return false;
}

/* The factor a hit's page and language give its score. */
static double page_factor(const struct kb_hit *h, const struct kb_strv *qwords, enum lang qlang,
                          const struct kb_strv *spelled)
{
	struct kb_strv name = {0};
	double f = 1.0;
	for (size_t i = 0; i < spelled->n; i++)
		if (kb_search_title_spells(h->title, spelled->v[i])) {
			f *= SPELLED;
			break;
		}
	size_t inq = 0;
	enum lang l = path_lang(h->path);
	name_words(h->path, &name);
	for (size_t i = 0; i < name.n; i++)
		inq += has_word(qwords, name.v[i]);
	if (name.n && inq == name.n) {
		size_t inname = 0;
		for (size_t i = 0; i < qwords->n; i++)
			inname += has_word(&name, qwords->v[i]);
		f *= inname == qwords->n ? NAME_EXACT : 1.0 + NAME_PART * (double)name.n / (double)qwords->n;
	}
	if (l != LANG_NONE && qlang != LANG_NONE && l != qlang)
		f *= OTHER_LANG;

	kb_strv_free(&name);
	return f;
}

/* Orders hits by their page, and within a page best first. */
static int cmp_page(const void *a, const void *b)
{
	const struct kb_hit *x = *(const struct kb_hit *const *)a, *y = *(const struct kb_hit *const *)b;
	int c = strcmp(x->path, y->path);
	return c ? c : (x->score < y->score) - (x->score > y->score);
}

/* What the page's other hits give hit k of the page's hits v[from..to) (best first): the
 * first other's score times SUPPORT, the next's half that, and so on. */
static double support(const struct kb_hit *const *v, size_t from, size_t to, size_t k)
{
	double w = SUPPORT, sum = 0;
	for (size_t m = from; m < to; m++)
		if (m != k) {
			sum += w * v[m]->score;
			w /= 2;
		}
	return sum;
}

/* Appends s's words to out lower-cased, one space between them: ASCII letters and digits
 * and every byte of a multi-byte character make words, anything else parts them. */
static void plain_words(const char *s, struct kb_buf *out)
{
	bool gap = false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x80 && !kb_ascii_isalnum(c)) {
			gap = true;
			continue;
		}
		if (gap && out->len)
			kb_buf_putc(out, ' ');
		gap = false;
		kb_buf_putc(out, (char)kb_ascii_tolower(c));
	}
}

/* Raises each hit by its page's other hits (support): a page that many of the hits are
 * on, a general page whose sections all speak of the query, comes before a page with one
 * section that says it a little better (a glossary's line, a narrower tool's summary). As
 * SUPPORT is below 1 a page's hits keep their order; a hit exact[i] is raised as much as
 * any. */
static void page_support(struct kb_hits *h, const bool *exact)
{
	const struct kb_hit **v = kb_xcalloc(h->n + 1, sizeof *v);
	double *add = kb_xcalloc(h->n + 1, sizeof *add), most = 0;
	for (size_t i = 0; i < h->n; i++)
		v[i] = &h->v[i];
	qsort(v, h->n, sizeof *v, cmp_page);
	for (size_t i = 0, j; i < h->n; i = j) {
		for (j = i + 1; j < h->n && strcmp(v[j]->path, v[i]->path) == 0;)
			j++;
		for (size_t k = i; j - i > 1 && k < j; k++) {
			add[v[k] - h->v] = support(v, i, j, k);
			most = add[v[k] - h->v] > most ? add[v[k] - h->v] : most;
		}
	}
	for (size_t i = 0; i < h->n; i++)
		h->v[i].score += exact[i] ? most : add[i];
	free(v);
	free(add);
}

/* The prior a page's standing gives its hits: the more other notes link to it or name it
 * (`ln` in "see the `ln` command"), the more it is the page people mean, the general
 * one, rather than a narrower page that says the same words (link for ln, dfc for df). On
 * the log of the count, and mild: it decides between pages the words find alike. */
static double standing(const struct kb_hit *h)
{
	return 1.0 + POPULAR * log(1.0 + (h->refs > 0 ? h->refs : 0));
}

/* Raises the hits by their page's standing and by its other hits (page_support). An entry
 * titled with the query's words and nothing else (exact, as plain_words gives them) is
 * raised as much as any hit, so that it keeps its place before the pages so raised. */
static void raise_pages(struct kb_hits *h, const char *exact)
{
	bool *titled = kb_xcalloc(h->n + 1, sizeof *titled);
	double best = 1.0;
	for (size_t i = 0; i < h->n; i++) {
		struct kb_buf t = {0};
		plain_words(h->v[i].title, &t);
		titled[i] = *exact && strcmp(kb_buf_str(&t), exact) == 0;
		kb_buf_free(&t);
		best = standing(&h->v[i]) > best ? standing(&h->v[i]) : best;
	}
	for (size_t i = 0; i < h->n; i++)
		h->v[i].score *= titled[i] ? best : standing(&h->v[i]);
	page_support(h, titled);
	free(titled);
}

void kb_search_rank_pages(struct kb_hits *h, const struct kb_strv *words)
{
	struct kb_strv qwords = {0}, spelled = {0};
	struct kb_buf typed = {0}, exact = {0};
	bool cjk = false;
	enum lang qlang;
	for (size_t i = 0; i < words->n; i++) {
		ascii_words(words->v[i], strlen(words->v[i]), &qwords);
		cjk |= kb_width_has_cjk(words->v[i], strlen(words->v[i]));
		if (kb_search_spelling(words->v[i]))
			kb_strv_push(&spelled, words->v[i]);
		kb_buf_puts(&typed, words->v[i]);
		kb_buf_putc(&typed, ' ');
	}
	plain_words(kb_buf_str(&typed), &exact);
	qlang = cjk ? LANG_ZH : qwords.n ? LANG_EN : LANG_NONE;
	for (size_t i = 0; i < h->n; i++)
		h->v[i].score *= page_factor(&h->v[i], &qwords, qlang, &spelled);
	raise_pages(h, kb_buf_str(&exact));
	kb_search_sort(h);
	kb_buf_free(&typed);
	kb_buf_free(&exact);
	kb_strv_free(&qwords);
	kb_strv_free(&spelled);
}
