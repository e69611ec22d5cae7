/* search.c - from what the user typed or pasted to ranked entries.
 *
 * Words: the query's MATCH text (all words), then, when no entry has them all, any of
 * them, ranked by bm25 so that entries with most of the rare words come first.
 * Pasted logs: each error-looking line is normalised to a signature; its distinctive words
 * (no placeholders, no stop words) find candidates through FTS5 (any word, bm25), and the
 * candidates are re-ranked by how alike their stored symptom signatures are to the line's. */
#include "search_priv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kb/normalize.h"
#include "kb/query.h"

#define LOG_CANDIDATES 40   /* FTS5 candidates re-ranked per log line */
#define LOG_MAX_LINES 200   /* error lines of one log that are looked at */
#define LOG_MIN_SCORE 0.30  /* below this, a line is not taken as explained by an entry */
#define LOG_STRONG 0.55     /* at or above this, a match outranks the word search's hits */
#define LOG_EXACT 0.9       /* an entry holding the line's own text scores this and up in kb match */
#define LOG_WORDS 8         /* at most so many of a line's rarest words look for candidates */
#define LOG_ROWS KB_SEARCH_COMMON /* and no more than about so many entries hold them all together */
#define LOG_LINE_WORDS 256  /* a line's first so many distinct words are weighed for that */
#define PREFIX_TERMS 64     /* the most terms a common prefix stands for */
#define EXACT_STRONG 4.0    /* an entry holding this many of a line's words as written comes first */
#define EXACT_TIER 1000.0   /* added to the score of those (shape_exact) */
#define SHAPE_WORTH 4.0     /* a signature's likeness (0..1) counts as so many words held */
#define PASTE_ROWS 100    /* entries with all of a pasted line's words ranked: copies of one error */
#define PASTE_WORDS 8     /* the rarest words of it that find them */
#define RANK_POOL 50        /* hits of a word search re-ranked by page and language */
#define LANG_POOL 500       /* ... with lang:, which drops the other language's, or an option spelled */
#define OPTION_LOOKUP 50    /* entries titled with an excluded -word looked at for it as an option */
#define WORD_FORMS 16       /* the most other forms of a word a query looks for */

static const char *const stop_words[] = {
	"a", "an", "the", "to", "of", "at", "in", "on", "is", "are", "was", "be", "by", "for", "and",
	"or", "with", "as", "it", "this", "that", "from", "not", "no", "please", "will", "can", "has",
	"have", "had", "but", "if", "then", "so", "do", "does", "did", "into", "than", "there"};

static bool stop_word(const char *w)
{
	for (size_t i = 0; i < KB_NELEM(stop_words); i++)
		if (strcmp(w, stop_words[i]) == 0)
			return true;
	return false;
}

/* The words of a signature worth searching for: no placeholders, no stop words, each once,
 * at most max of them (a pasted log has thousands; the first ones are the log's own). */
static void distinctive_words(const char *sig, struct kb_strv *out, size_t max)
{
	struct kb_strv all = {0};
	struct kb_strmap seen = {0};
	kb_normalize_words(sig, &all);
	for (size_t i = 0; i < out->n; i++)
		kb_strmap_put(&seen, out->v[i], 1);
	for (size_t i = 0; i < all.n && out->n < max; i++) {
		const char *w = all.v[i];
		if (w[0] == '<' || strlen(w) < 2 || stop_word(w) || kb_strmap_get(&seen, w, NULL))
			continue;
		kb_strmap_put(&seen, w, 1);
		kb_strv_push(out, w);
	}
	kb_strmap_free(&seen);
	kb_strv_free(&all);
}

static char *any_of(const struct kb_strv *words)
{
	struct kb_buf b = {0};
	for (size_t i = 0; i < words->n && i < 64; i++) {
		if (i)
			kb_buf_puts(&b, " OR ");
		kb_query_quote(&b, words->v[i], strlen(words->v[i]));
	}
	return b.len ? kb_buf_take(&b) : NULL;
}

/* ---- logs ---------------------------------------------------------------------------- */

static struct kb_log_match *find_match(struct kb_log_result *res, long long rowid)
{
	for (size_t i = 0; i < res->n; i++)
		if (res->v[i].hit.rowid == rowid)
			return &res->v[i];
	return NULL;
}

static bool has_line(const struct kb_log_match *m, size_t line)
{
	for (size_t i = 0; i < m->nlines; i++)
		if (m->lines[i] == line)
			return true;
	return false;
}

static void note_line(struct kb_log_match *m, size_t line)
{
	for (size_t i = 0; i < m->nlines; i++)
		if (m->lines[i] == line)
			return;
	m->lines = kb_xrealloc(m->lines, (m->nlines + 1) * sizeof *m->lines);
	m->lines[m->nlines++] = line;
}

static double best_similarity(const char *sig, const struct kb_strv *sigs)
{
	double best = 0;
	for (size_t i = 0; i < sigs->n; i++) {
		double s = kb_normalize_similarity(sig, sigs->v[i]);
		if (s > best)
			best = s;
	}
	return best;
}

struct word_freq {
	const char *w;
	long long df;
	size_t at; /* the word's place in the line: of words as common, the first first */
};

static int cmp_freq(const void *a, const void *b)
{
	const struct word_freq *x = a, *y = b;
	if (x->df != y->df)
		return x->df < y->df ? -1 : 1;
	return (x->at > y->at) - (x->at < y->at);
}

long long kb_search_word_rows(struct kb_index *ix, const char *word, struct kb_strmap *cache)
{
	struct kb_buf m = {0};
	char *key = kb_xstrdup(word);
	long long df;
	int got;
	for (char *c = key; *c; c++) /* the index folds ASCII case: so does the cache */
		*c = (char)kb_ascii_tolower((unsigned char)*c);
	if (cache && kb_strmap_get(cache, key, &got)) {
		free(key);
		return got;
	}
	kb_query_quote(&m, word, strlen(word));
	df = kb_index_count_upto(ix, kb_buf_str(&m), KB_SEARCH_COMMON + 1);
	kb_buf_free(&m);
	if (cache)
		kb_strmap_put(cache, key, (int)df);
	free(key);
	return df;
}

/* The words in some entry, rarest first (of words as common, the first first): *out, of
 * the returned length (caller frees). */
static size_t by_rarity(struct kb_index *ix, const struct kb_strv *words, struct kb_strmap *cache,
                        struct word_freq **out)
{
	struct word_freq *f = kb_xcalloc(words->n + 1, sizeof *f);
	size_t n = 0;
	for (size_t i = 0; i < words->n; i++) {
		long long df = kb_search_word_rows(ix, words->v[i], cache);
		if (df != 0) /* -1: unknown, kept */
			f[n++] = (struct word_freq){words->v[i], df < 0 ? LOG_ROWS : df, i};
	}
	if (n > 1)
		qsort(f, n, sizeof *f, cmp_freq);
	*out = f;
	return n;
}

/* The rarest words of a line, as an OR for FTS5: enough of them to find the entries that
 * explain it, not so many that a frequent word ("error", "failed") makes FTS5 rank tens of
 * thousands of rows. *common is set when the words picked may select more than LOG_ROWS
 * rows: the search is then bounded. Returns NULL when no word is left. */
static char *rare_words(struct kb_index *ix, const struct kb_strv *words, bool *common, struct kb_strmap *cache)
{
	struct word_freq *f;
	struct kb_strv pick = {0};
	long long rows = 0;
	size_t n = by_rarity(ix, words, cache, &f);
	char *match;
	for (size_t i = 0; i < n && pick.n < LOG_WORDS && (pick.n < 2 || rows + f[i].df <= LOG_ROWS); i++) {
		kb_strv_push(&pick, f[i].w);
		rows += f[i].df;
	}
	*common = rows > LOG_ROWS;
	match = any_of(&pick);
	kb_strv_free(&pick);
	free(f);
	return match;
}

/* The MATCH text for a line's candidates: its rarest words, in the entries' error strings
 * (those can be alike). Caller frees; NULL when no word is left. */
static char *log_match(struct kb_index *ix, const char *sig, bool *common, struct kb_strmap *cache)
{
	struct kb_strv words = {0};
	char *rare, *m = NULL;
	distinctive_words(sig, &words, LOG_LINE_WORDS);
	rare = rare_words(ix, &words, common, cache);
	if (rare)
		m = kb_xasprintf("symptoms : (%s)", rare);
	free(rare);
	kb_strv_free(&words);
	return m;
}

/* The entries worth comparing with a log line: those with its very signature, then the
 * best ones for its rarest words. */
static int candidates(struct kb_index *ix, const char *sig, struct kb_hits *hits, struct kb_strmap *cache,
                      struct kb_err *err)
{
	long long *exact = NULL;
	size_t nexact = 0;
	char *match;
	bool common = false;
	int rc = kb_index_by_signature(ix, sig, &exact, &nexact, err);
	for (size_t i = 0; rc == 0 && i < nexact && i < LOG_CANDIDATES; i++)
		rc = kb_index_hit(ix, exact[i], hits, err);
	free(exact);
	match = rc == 0 ? log_match(ix, sig, &common, cache) : NULL;
	if (match) {
		struct kb_search_req req = {.match = match, .limit = LOG_CANDIDATES, .bounded = common,
		                            .bound_rows = LOG_ROWS};
		rc = kb_index_search(ix, &req, hits, err);
	}
	free(match);
	return rc;
}

char *kb_search_log_match(struct kb_index *ix, const char *line)
{
	bool common = false;
	char *sig = kb_normalize(line, strlen(line)), *m = log_match(ix, sig, &common, NULL);
	free(sig);
	return m;
}

/* Scores the candidates of one log line and merges them into res. */
static int match_line(struct kb_index *ix, const char *line, size_t line_no, struct kb_log_result *res,
                      struct kb_strmap *cache, struct kb_err *err)
{
	char *sig = kb_normalize(line, strlen(line));
	struct kb_hits hits = {0};
	int rc = candidates(ix, sig, &hits, cache, err);
	for (size_t i = 0; rc == 0 && i < hits.n; i++) {
		struct kb_strv sigs = {0};
		struct kb_log_match *m;
		double score;
		if (!hits.v[i].id)
			continue; /* taken already: the same entry found twice */
		rc = kb_index_signatures(ix, hits.v[i].rowid, &sigs, err);
		score = 0.8 * best_similarity(sig, &sigs) + 0.2 / (1.0 + (double)i);
		kb_strv_free(&sigs);
		if (score < LOG_MIN_SCORE)
			continue;
		if (!(m = find_match(res, hits.v[i].rowid))) {
			kb_xgrow(&res->v, &res->cap, res->n + 1, sizeof *res->v);
			m = &res->v[res->n++];
			memset(m, 0, sizeof *m);
			m->hit = hits.v[i];
			memset(&hits.v[i], 0, sizeof hits.v[i]);
		} else if (!has_line(m, line_no)) {
			m->score += 0.02; /* another line of the log points here too */
		}
		if (score > m->score)
			m->score = score;
		note_line(m, line_no);
	}
	kb_hits_free(&hits);
	free(sig);
	return rc;
}

static int cmp_match(const void *a, const void *b)
{
	const struct kb_log_match *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(x->hit.id, y->hit.id);
}

/* The entries that hold a log line's own text (search_exact.c): one holding EXACT_STRONG
 * words or more of it is taken as explaining the line, whatever prefix the log format put
 * before the error (klog, journald, an event row, a JSON record), above LOG_EXACT. */
/* What a paste's searches share, looked up once: the entries holding its own text
 * (kb_search_exact, snippets as asked), which the paste's merge wants for the whole text and
 * the log match for a line that is the whole text (a one-line paste); and the entries its
 * words are in (kb_search_word_rows). */
struct exact_once {
	const char *text;
	bool snippets, done;
	struct kb_hits hits;
	struct kb_strmap rows;
};

static void hit_copy(struct kb_hit *to, const struct kb_hit *h)
{
	char **s[] = {&to->id, &to->path, &to->title, &to->section, &to->snippet, &to->source, &to->context};
	*to = *h;
	memset(&to->components, 0, sizeof to->components);
	for (size_t i = 0; i < KB_NELEM(s); i++)
		*s[i] = *s[i] ? kb_xstrdup(*s[i]) : NULL;
	for (size_t i = 0; i < h->components.n; i++)
		kb_strv_push(&to->components, h->components.v[i]);
}

/* The exact hits of line into ex: once's (copied) when line is its text, else looked up. */
static int exact_hits(struct kb_index *ix, const char *line, struct exact_once *once, struct kb_hits *ex,
                      struct kb_err *err)
{
	if (!once || strcmp(once->text, line) != 0)
		return kb_search_exact(ix, line, false, once ? &once->rows : NULL, ex, err);
	if (!once->done && kb_search_exact(ix, line, once->snippets, &once->rows, &once->hits, err) != 0)
		return -1;
	once->done = true;
	kb_xgrow(&ex->v, &ex->cap, once->hits.n, sizeof *ex->v);
	for (size_t i = 0; i < once->hits.n; i++)
		hit_copy(&ex->v[ex->n++], &once->hits.v[i]);
	return 0;
}

static int exact_line(struct kb_index *ix, const char *line, size_t line_no, struct kb_log_result *res,
                      struct exact_once *once, struct kb_err *err)
{
	struct kb_hits ex = {0};
	int rc = exact_hits(ix, line, once, &ex, err);
	for (size_t i = 0; rc == 0 && i < ex.n && ex.v[i].score >= EXACT_STRONG; i++) {
		double score = LOG_EXACT + (1.0 - LOG_EXACT) * (ex.v[i].score > 40 ? 1.0 : ex.v[i].score / 40);
		struct kb_log_match *m = find_match(res, ex.v[i].rowid);
		if (!m) {
			kb_xgrow(&res->v, &res->cap, res->n + 1, sizeof *res->v);
			m = &res->v[res->n++];
			memset(m, 0, sizeof *m);
			m->hit = ex.v[i];
			memset(&ex.v[i], 0, sizeof ex.v[i]);
		}
		if (score > m->score)
			m->score = score;
		note_line(m, line_no);
	}
	kb_hits_free(&ex);
	return rc;
}

static int log_line(struct kb_index *ix, const char *line, size_t line_no, struct kb_log_result *res,
                    struct exact_once *once, struct kb_err *err)
{
	if (!kb_normalize_errorish(line, strlen(line)))
		return 0;
	if (res->error_lines >= LOG_MAX_LINES) {
		res->unmatched_lines++;
		return 0;
	}
	res->error_lines++;
	if (match_line(ix, line, line_no, res, once ? &once->rows : NULL, err) != 0 ||
	    exact_line(ix, line, line_no, res, once, err) != 0)
		return -1;
	return 1;
}

int kb_search_log_line(struct kb_index *ix, const char *line, size_t line_no, struct kb_log_result *res,
                       struct kb_err *err)
{
	return log_line(ix, line, line_no, res, NULL, err);
}

void kb_search_log_finish(struct kb_log_result *res, size_t limit)
{
	if (res->n > 1)
		qsort(res->v, res->n, sizeof *res->v, cmp_match);
	while (limit && res->n > limit) {
		res->n--;
		kb_hit_clear(&res->v[res->n].hit);
		free(res->v[res->n].lines);
	}
}

int kb_search_log(struct kb_index *ix, char *const *lines, size_t n, size_t limit,
                  struct kb_log_result *res, struct kb_err *err)
{
	memset(res, 0, sizeof *res);
	for (size_t i = 0; i < n && res->error_lines < LOG_MAX_LINES; i++)
		if (kb_search_log_line(ix, lines[i], i, res, err) < 0)
			return -1;
	kb_search_log_finish(res, limit);
	return 0;
}

void kb_log_result_free(struct kb_log_result *res)
{
	for (size_t i = 0; i < res->n; i++) {
		kb_hit_clear(&res->v[i].hit);
		free(res->v[i].lines);
	}
	free(res->v);
	memset(res, 0, sizeof *res);
}

/* ---- words and pastes ------------------------------------------------------------------ */

static void split_lines(const char *text, struct kb_strv *out)
{
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		kb_strv_push_own(out, kb_xstrndup(p, n));
		p += n + (p[n] == '\n');
	}
}

/* A pasted log or error line: entries by symptom signature, falling back to any word. */
static int search_paste(struct kb_index *ix, const struct kb_search_opts *o, struct exact_once *once,
                        struct kb_search_result *res, struct kb_err *err)
{
	struct kb_strv lines = {0};
	struct kb_log_result lr = {0};
	char *sig;
	int rc = 0;
	split_lines(o->text, &lines);
	for (size_t i = 0; rc == 0 && i < lines.n && lr.error_lines < LOG_MAX_LINES; i++)
		rc = log_line(ix, lines.v[i], i, &lr, once, err) < 0 ? -1 : 0;
	if (rc == 0)
		kb_search_log_finish(&lr, o->limit);
	if (rc == 0 && lr.error_lines == 0 && lines.n) { /* nothing looked like an error: all lines */
		kb_log_result_free(&lr);
		for (size_t i = 0; rc == 0 && i < lines.n && i < LOG_MAX_LINES; i++)
			rc = match_line(ix, lines.v[i], i, &lr, &once->rows, err);
		if (lr.n > 1)
			qsort(lr.v, lr.n, sizeof *lr.v, cmp_match);
	}
	for (size_t i = 0; rc == 0 && i < lr.n && (!o->limit || res->hits.n < o->limit); i++) {
		struct kb_hits one = {.v = &lr.v[i].hit, .n = 1};
		lr.v[i].hit.score = lr.v[i].score;
		kb_hits_take(&res->hits, &one, 0); /* leaves lr's slot empty for the free below */
	}
	kb_log_result_free(&lr);
	sig = kb_normalize(o->text, strlen(o->text));
	distinctive_words(sig, &res->words, KB_QUERY_MAX_TERMS);
	free(sig);
	kb_strv_free(&lines);
	res->how = KB_SEARCH_LOG;
	return rc;
}

/* The prefix step: a match of one prefix ("c"*, "Dis"*, or "的"*: one CJK character) whose
 * terms are many or common is searched as the OR of the first terms that start so
 * (kb_index_prefix_terms), ranked at most KB_INDEX_BOUND_ROWS rows: FTS5 would merge every
 * such term's doclist first. Returns that MATCH text (caller frees), or NULL to search
 * match as it is. */
static char *prefix_step(struct kb_index *ix, const char *match, bool *partial)
{
	struct kb_strv terms = {0};
	size_t n = strlen(match);
	char *text, *m = NULL;
	int rc;
	if (n >= 2 && match[0] == '(' && match[n - 1] == ')') /* kb_query_match's ("c"*) */
		match++, n -= 2;
	if (n < 4 || match[0] != '"' || strncmp(match + n - 2, "\"*", 2) != 0 || memchr(match + 1, '"', n - 3))
		return NULL;
	text = kb_xstrndup(match + 1, n - 3);
	rc = kb_index_prefix_terms(ix, text, KB_INDEX_BOUND_ROWS, PREFIX_TERMS, &terms, partial);
	free(text);
	if (rc == 1)
		m = terms.n ? any_of(&terms) : kb_xstrdup("\"\""); /* no term: an empty phrase finds none */
	kb_strv_free(&terms);
	return m;
}

/* Runs one word search: the index's best RANK_POOL (or more) hits, re-ranked by their page
 * and language (search_rank.c), those of another language dropped with lang:, then the
 * best o->limit kept. A common prefix takes the prefix step (prefix_step). */
static int run_match(struct kb_index *ix, const struct kb_search_opts *o, const struct kb_query *q,
                     const char *match, bool cover, size_t bound, struct kb_hits *out, struct kb_err *err)
{
	const char *lang = kb_query_lang(q);
	size_t pool = lang ? LANG_POOL : RANK_POOL, n = 0;
	struct kb_search_req req = {.match = match, .component = kb_query_component(q), .source = kb_query_source(q),
	                            .man_section = kb_query_section(q), .snippets = o->snippets, .cover = cover,
	                            .bounded = bound > 0, .bound_rows = bound};
	struct kb_strv words = {0};
	bool partial = false;
	char *expanded = o->limit && !req.component && !req.source && !req.man_section
	                         ? prefix_step(ix, match, &partial) : NULL;
	int rc;
	kb_query_words(q, &words);
	for (size_t i = 0; i < words.n; i++)
		if (kb_search_spelling(words.v[i]))
			pool = LANG_POOL; /* an option's item can be far down bm25's list: its title spells it */
	req.limit = o->limit && o->limit < pool ? pool : o->limit;
	if (expanded) {
		req.match = expanded;
		req.bounded = true;
	}
	rc = kb_index_search(ix, &req, out, err);
	out->partial = out->partial || partial;
	free(expanded);
	if (rc != 0) {
		kb_strv_free(&words);
		return rc;
	}
	kb_search_rank_pages(out, &words);
	kb_strv_free(&words);
	for (size_t i = 0; i < out->n; i++) {
		if ((lang && strcmp(kb_search_lang(&out->v[i]), lang) != 0) || (o->limit && n >= o->limit))
			kb_hit_clear(&out->v[i]);
		else
			out->v[n++] = out->v[i];
	}
	out->n = n;
	return 0;
}

static bool has_hit(const struct kb_hits *h, long long rowid)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].rowid == rowid)
			return true;
	return false;
}

static bool from_man(const struct kb_hit *h)
{
	return h->source && strcmp(h->source, "man") == 0;
}

/* Best first; of equal scores the team's notes before the manual's pages (kb.1 says so). */
static int cmp_hit_score(const void *a, const void *b)
{
	const struct kb_hit *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (from_man(x) != from_man(y))
		return from_man(x) ? 1 : -1;
	return (x->rowid > y->rowid) - (x->rowid < y->rowid);
}

void kb_search_sort(struct kb_hits *h)
{
	if (h->n > 1) /* qsort must not be given NULL */
		qsort(h->v, h->n, sizeof *h->v, cmp_hit_score);
}

/* Orders the entries that hold a line's own text by that, then by how alike their stored
 * errors are to it (two pages with the same long run: the one whose error is the line's);
 * those holding EXACT_STRONG words or more are put in a tier of their own (EXACT_TIER). */
static void shape_exact(struct kb_hits *exact, const struct kb_hits *paste)
{
	for (size_t i = 0; i < exact->n; i++) {
		bool tier = exact->v[i].score >= EXACT_STRONG;
		for (size_t j = 0; j < paste->n; j++)
			if (paste->v[j].id && paste->v[j].rowid == exact->v[i].rowid)
				exact->v[i].score += SHAPE_WORTH * paste->v[j].score;
		if (tier)
			exact->v[i].score += EXACT_TIER;
	}
	kb_search_sort(exact);
}

/* Puts a pasted line's matches and the word search's hits in one list: entries that hold
 * the line's own text (a long run of it, an identifier: search_exact.c) first, then matches
 * whose signature is close, then the word hits, the weaker matches, the shorter runs. */
static void merge_paste(struct kb_search_result *res, struct kb_hits *paste, struct kb_hits *exact,
                        struct kb_search_result *w, size_t limit)
{
	struct kb_hits out = {0}, *words = &w->hits;
	bool strong;
	shape_exact(exact, paste);
	strong = (paste->n && paste->v[0].score >= LOG_STRONG) || (exact->n && exact->v[0].score >= EXACT_TIER);
	if (strong && w->how == KB_SEARCH_SOME)
		kb_hits_free(words); /* the error was found: entries with a few of its words are noise */
	res->how = strong ? KB_SEARCH_LOG : w->how;
	for (int pass = 0; pass < 5; pass++) {
		struct kb_hits *from = pass == 0 || pass == 4 ? exact : pass == 2 ? words : paste;
		double bar = pass == 0 || pass == 4 ? EXACT_TIER : LOG_STRONG;
		for (size_t i = 0; i < from->n && (!limit || out.n < limit); i++) {
			bool close = from->v[i].score >= bar;
			if (!from->v[i].id || ((pass == 0 || pass == 1) && !close) || (pass == 3 && close) ||
			    has_hit(&out, from->v[i].rowid))
				continue;
			kb_hits_take(&out, from, i);
		}
	}
	kb_hits_free(paste);
	kb_hits_free(exact);
	kb_hits_free(words);
	res->hits = out;
}

/* Words: all of them (a long Chinese run as one phrase, then as its two-character words
 * anywhere), or when no entry has them all, any of them. */
static int search_words(struct kb_index *ix, const struct kb_search_opts *o, const struct kb_query *q,
                        bool fallback, size_t bound, struct kb_search_result *res, struct kb_err *err)
{
	char *match = kb_query_match(q, KB_QUERY_ALL);
	const char *comp = kb_query_component(q);
	int rc = 0;
	if (match) {
		res->how = KB_SEARCH_ALL;
		rc = run_match(ix, o, q, match, false, bound, &res->hits, err);
		if (rc == 0 && fallback && res->hits.n == 0 && kb_query_has_pairs(q)) {
			free(match); /* the Chinese words apart: still every word, not a fallback */
			match = kb_query_match(q, KB_QUERY_PAIRS);
			rc = run_match(ix, o, q, match, false, bound, &res->hits, err);
		}
		if (rc == 0 && fallback && res->hits.n == 0 && kb_query_has_alternatives(q)) {
			free(match);
			match = kb_query_match(q, KB_QUERY_ANY);
			res->how = KB_SEARCH_SOME;
			rc = run_match(ix, o, q, match, true, bound, &res->hits, err);
		}
		if (rc == 0 && o->count && o->limit && res->hits.n >= o->limit && !kb_query_lang(q) && !res->hits.partial) {
			long long n = kb_index_count(ix, match, comp);
			res->total = n > 0 ? (size_t)n : 0;
		}
	} else if (comp) {
		res->how = KB_SEARCH_LIST;
		rc = kb_index_list(ix, comp, NULL, &res->hits, err);
	}
	free(match);
	return rc;
}

/* The command a query starts with, as a page would be titled: its first word, and the
 * second too when that is not an option (docker compose -p ...). NULL when the text does
 * not start with a word followed by an option (ss -lt src :9090). Caller frees. */
static char *command_of(const char *text, char **one)
{
	const char *p = text + strspn(text, " \t"), *w2, *w3;
	size_t n1 = strcspn(p, " \t\n"), n2;
	*one = NULL;
	if (!n1 || !kb_ascii_isalnum((unsigned char)p[0]))
		return NULL;
	w2 = p + n1 + strspn(p + n1, " \t");
	n2 = strcspn(w2, " \t\n");
	w3 = w2 + n2 + strspn(w2 + n2, " \t");
	if (w2[0] == '-' && n2 > 1) {
		*one = kb_xstrndup(p, n1);
		return NULL;
	}
	if (!n2 || w3[0] != '-' || !kb_ascii_isalnum((unsigned char)w2[0]))
		return NULL;
	*one = kb_xstrndup(p, n1);
	return kb_xstrndup(p, (size_t)(w2 + n2 - p));
}

/* Whether an entry is titled exactly title (a command's page: ss, docker compose). */
static int titled(struct kb_index *ix, const char *title, bool *yes, struct kb_err *err)
{
	char *match = kb_query_title_match(title);
	struct kb_search_req req = {.match = match, .limit = OPTION_LOOKUP};
	struct kb_hits hits = {0};
	int rc = match ? kb_index_search(ix, &req, &hits, err) : 0;
	for (size_t j = 0; rc == 0 && j < hits.n && !*yes; j++)
		*yes = strcasecmp(hits.v[j].title, title) == 0;
	kb_hits_free(&hits);
	free(match);
	return rc;
}

/* A command line (a word that titles a page, then options: ss -lt src :9090, docker
 * compose -p shop -f x.yml up) has options, not exclusions: each -word is to be found. */
static int command_options(struct kb_index *ix, const char *text, struct kb_query *q, struct kb_err *err)
{
	char *one, *two = command_of(text, &one);
	bool yes = false;
	int rc = 0;
	if (two)
		rc = titled(ix, two, &yes, err);
	if (rc == 0 && !yes && one)
		rc = titled(ix, one, &yes, err);
	if (rc == 0 && yes) {
		struct kb_strv opts = {0};
		kb_query_options(q, &opts);
		for (size_t i = 0; i < opts.n; i++)
			kb_query_include(q, opts.v[i]);
		kb_strv_free(&opts);
	}
	free(one);
	free(two);
	return rc;
}

/* The query's exclusions that an entry of the index has as an option, spelled so in its
 * title (find -mtime: find(1) has an item -mtime), become words to find, as typed. */
static int options_as_typed(struct kb_index *ix, struct kb_query *q, struct kb_err *err)
{
	struct kb_strv opts = {0};
	int rc = 0;
	kb_query_options(q, &opts);
	for (size_t i = 0; rc == 0 && i < opts.n; i++) {
		char *match = kb_query_title_match(opts.v[i]);
		struct kb_search_req req = {.match = match, .limit = OPTION_LOOKUP};
		struct kb_hits hits = {0};
		if (match)
			rc = kb_index_search(ix, &req, &hits, err);
		for (size_t j = 0; rc == 0 && j < hits.n; j++)
			if (kb_search_title_spells(hits.v[j].title, opts.v[i])) {
				kb_query_include(q, opts.v[i]);
				break;
			}
		kb_hits_free(&hits);
		free(match);
	}
	kb_strv_free(&opts);
	return rc;
}

struct forms_ctx {
	struct kb_index *ix;
	struct kb_err *err;
};

static int word_forms(void *ctx, const char *word, struct kb_strv *out)
{
	struct forms_ctx *f = ctx;
	return kb_index_word_forms(f->ix, word, WORD_FORMS, out, f->err);
}

/* Gives the query's English words their other forms in the index (draining: drain,
 * drains), which the words then find too. */
static int expand(struct kb_index *ix, struct kb_query *q, struct kb_err *err)
{
	struct forms_ctx f = {ix, err};
	return kb_query_expand(q, word_forms, &f);
}

/* A pasted text's words for a word query (out, each once, at most KB_QUERY_MAX_TERMS): the
 * words of its chunks (between spaces) as typed, but for chunks with a variable part (an
 * address, a time, a number, an id: kb_normalize's placeholders), which no note holds as
 * pasted and whose numbers are in most entries of a big index, and for stop words ("the",
 * "is"), which FTS5 would read in nearly every entry for nothing. ASCII punctuation parts
 * words, as the tokenizer does: log.Error("Cannot is three words, not a phrase. */
static void paste_words_of(const char *text, struct kb_strv *out)
{
	for (const char *p = text; *p && out->n < KB_QUERY_MAX_TERMS;) {
		size_t n = strcspn(p, " \t\n\r"), marks = 0, own = 0;
		char *sig;
		if (!n) {
			p++;
			continue;
		}
		sig = kb_normalize(p, n);
		for (const char *c = sig; *c; c++)
			marks += *c == '<';
		for (size_t i = 0; i < n; i++)
			own += p[i] == '<';
		for (size_t i = 0; marks <= own && !(n < 8 && stop_word(sig)) && i < n && out->n < KB_QUERY_MAX_TERMS;) {
			size_t w = 0;
			while (i + w < n && ((unsigned char)p[i + w] >= 0x80 || kb_ascii_isword((unsigned char)p[i + w])))
				w++;
			if (w) {
				char *word = kb_xstrndup(p + i, w);
				kb_strv_add_unique(out, word);
				free(word);
			}
			i += w ? w : 1;
		}
		free(sig);
		p += n;
	}
}

/* A pasted text's word search: the entries with all its words but the variable ones
 * (paste_words_of), as far as its rarest words tell them (up to PASTE_WORDS; common ones
 * only as the first two: an AND of common words has FTS5 leap along all their doclists),
 * PASTE_ROWS of them ranked: copies of one error. None when a word is in no entry. When none has them all and none of its lines
 * matched a stored error closely (nomatch), its rarest words (rare_words over words, its distinctive ones), by how
 * many of them an entry holds: not any of all its words, most of which are common in a log
 * line ("on", "after", "code"), and whose OR has a big index ranked whole. */
static int paste_words(struct kb_index *ix, const struct kb_search_opts *o, const struct kb_strv *words,
                       bool nomatch, struct kb_strmap *rows, struct kb_search_result *res, struct kb_err *err)
{
	struct kb_search_opts wo = *o;
	char *match;
	struct kb_strv all = {0};
	struct kb_buf rare = {0};
	struct word_freq *f;
	struct kb_query *q;
	bool common = false;
	size_t n;
	int rc = 0;
	paste_words_of(o->text, &all);
	n = by_rarity(ix, &all, rows, &f);
	for (size_t i = 0; n == all.n && i < n && i < PASTE_WORDS && (i < 2 || f[i].df <= KB_SEARCH_COMMON); i++)
		kb_buf_printf(&rare, "%s ", f[i].w);
	q = kb_query_parse(kb_buf_str(&rare), o->query_flags | KB_QUERY_AS_WRITTEN);
	wo.count = false; /* the entries with all of a line's words: a count of them says nothing */
	o = &wo;
	res->how = KB_SEARCH_ALL;
	if (rare.len)
		rc = search_words(ix, o, q, false, PASTE_ROWS, res, err);
	if (rc == 0 && nomatch && res->hits.n == 0 && (match = rare_words(ix, words, &common, rows))) {
		kb_hits_free(&res->hits);
		res->how = KB_SEARCH_SOME;
		rc = run_match(ix, o, q, match, true, common ? KB_INDEX_BOUND_ROWS : 0, &res->hits, err);
		free(match);
	}
	kb_query_free(q);
	kb_buf_free(&rare);
	free(f);
	kb_strv_free(&all);
	return rc;
}

/* When no entry has every word: the query with its misspelt words corrected, which takes
 * res's place (res->showing says so) only when some entry has every word of it. */
static int search_corrected(struct kb_index *ix, const struct kb_search_opts *o, struct kb_search_result *res,
                            struct kb_err *err)
{
	struct kb_search_opts co = *o;
	struct kb_search_result fixed = {0};
	struct kb_query *q;
	char *text = kb_search_correct(ix, o->text, err);
	int rc = 0;
	if (!text)
		return 0;
	co.text = text;
	q = kb_query_parse(text, o->query_flags);
	rc = options_as_typed(ix, q, err);
	kb_query_words(q, &fixed.words);
	if (rc == 0)
		rc = expand(ix, q, err);
	if (rc == 0)
		rc = search_words(ix, &co, q, false, 0, &fixed, err);
	kb_query_free(q);
	if (rc == 0 && fixed.how == KB_SEARCH_ALL && fixed.hits.n) {
		kb_search_result_free(res);
		*res = fixed;
		res->showing = text;
		return 0;
	}
	kb_search_result_free(&fixed);
	free(text);
	return rc;
}

/* Whether a pasted line matched a stored error closely (LOG_STRONG): not only its shape. */
static bool matched_closely(const struct kb_hits *h)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].score >= LOG_STRONG)
			return true;
	return false;
}

int kb_search_run(struct kb_index *ix, const struct kb_search_opts *o, struct kb_search_result *res,
                  struct kb_err *err)
{
	bool logline = !o->no_logline && kb_query_is_logline(o->text);
	struct kb_query *q = kb_query_parse(o->text, o->query_flags | (logline ? KB_QUERY_AS_WRITTEN : 0));
	int rc = 0;
	memset(res, 0, sizeof *res);
	res->how = KB_SEARCH_NOTHING;
	if (logline && kb_query_component(q)) { /* words with a filter: not a pasted line */
		kb_query_free(q);
		logline = false;
		q = kb_query_parse(o->text, o->query_flags);
	}
	if (logline) {
		struct kb_search_result words = {0};
		struct kb_strv pasted = {0};
		struct exact_once once = {.text = o->text, .snippets = o->snippets};
		struct kb_hits exact = {0};
		rc = search_paste(ix, o, &once, res, err);
		if (rc == 0 && once.done) {
			exact = once.hits;
			memset(&once.hits, 0, sizeof once.hits);
		} else if (rc == 0) {
			rc = kb_search_exact(ix, o->text, o->snippets, &once.rows, &exact, err);
		}
		kb_hits_free(&once.hits);
		/* the words too; the rarest of them only when the line matched no symptom closely:
		 * a stored error of the same shape but other words must not stand alone */
		if (rc == 0)
			rc = paste_words(ix, o, &res->words, !matched_closely(&res->hits), &once.rows, &words, err);
		if (rc == 0) {
			pasted = res->words;
			merge_paste(res, &res->hits, &exact, &words, o->limit);
			res->words = pasted;
		}
		kb_search_result_free(&words);
		kb_hits_free(&exact);
		kb_strmap_free(&once.rows);
	} else {
		rc = command_options(ix, o->text, q, err);
		if (rc == 0)
			rc = options_as_typed(ix, q, err);
		kb_query_words(q, &res->words);
		if (rc == 0)
			rc = expand(ix, q, err);
		if (rc == 0)
			rc = search_words(ix, o, q, true, 0, res, err);
		if (rc == 0 && (res->how == KB_SEARCH_SOME || (res->how == KB_SEARCH_ALL && res->hits.n == 0)))
			rc = search_corrected(ix, o, res, err);
		res->ignored_words = kb_query_ignored(q);
	}
	kb_query_free(q);
	if (rc != 0) /* a damaged index: nothing half-found is kept */
		kb_search_result_free(res);
	return rc;
}

void kb_search_result_free(struct kb_search_result *res)
{
	kb_hits_free(&res->hits);
	kb_strv_free(&res->words);
	free(res->showing);
	memset(res, 0, sizeof *res);
}
