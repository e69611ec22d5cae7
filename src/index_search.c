/* index_search.c - searching kb.db with FTS5: the hits, the bounded and prefix steps, the two
 * plans (ranked in rowid order, or sorted by FTS5), and the counts of words and matches. */
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "index_priv.h"
#include "kb/tokenizer.h"
#include "kb/width.h"

void kb_hit_clear(struct kb_hit *x)
{
	free(x->id);
	free(x->path);
	free(x->title);
	free(x->section);
	free(x->snippet);
	free(x->source);
	free(x->context);
	kb_strv_free(&x->components);
	memset(x, 0, sizeof *x);
}

void kb_hits_free(struct kb_hits *h)
{
	for (size_t i = 0; i < h->n; i++)
		kb_hit_clear(&h->v[i]);
	free(h->v);
	memset(h, 0, sizeof *h);
}

void kb_hits_take(struct kb_hits *to, struct kb_hits *from, size_t i)
{
	kb_xgrow(&to->v, &to->cap, to->n + 1, sizeof *to->v);
	to->v[to->n++] = from->v[i];
	memset(&from->v[i], 0, sizeof from->v[i]);
}

int kb_index_fill_hit(struct kb_index *ix, struct kb_hit *h, sqlite3_stmt *st)
{
	struct kb_pack_fields f;
	const char *path = (const char *)sqlite3_column_text(st, 1);
	if (!path || kb_packer_fields(ix->packer, sqlite3_column_blob(st, 6), (size_t)sqlite3_column_bytes(st, 6),
	                              sqlite3_column_int64(st, 7), sqlite3_column_int64(st, 8), &f) != 0)
		return SQLITE_CORRUPT;
	h->rowid = sqlite3_column_int64(st, 0);
	h->id = kb_pack_id(path, &f);
	h->path = kb_xstrdup(path);
	h->line = sqlite3_column_int(st, 2);
	h->title = kb_pack_field(&f, KB_PACK_TITLE);
	h->section = kb_pack_field(&f, KB_PACK_SECTION);
	kb_index_split_lines((const char *)sqlite3_column_text(st, 3), &h->components);
	h->source = kb_index_col_text(st, 4);
	h->refs = sqlite3_column_int(st, 5);
	if (kb_format_context_page(kb_index_note_format(st, 10)))
		h->context = f.n[KB_PACK_ANCHOR] ? kb_index_col_text(st, 9) : NULL; /* a page's head is the page */
	else
		h->context = h->section ? kb_xstrdup(h->section) : NULL;
	return SQLITE_OK;
}

static int add_hit(struct kb_index *ix, struct kb_hits *out, sqlite3_stmt *st)
{
	kb_xgrow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
	memset(&out->v[out->n], 0, sizeof *out->v);
	if (kb_index_fill_hit(ix, &out->v[out->n], st) != SQLITE_OK)
		return SQLITE_CORRUPT;
	out->n++;
	return SQLITE_OK;
}

/* Steps st to the end, adding a hit per row. Returns 0 or -1 with err. */
int kb_index_collect(struct kb_index *ix, sqlite3_stmt *st, struct kb_hits *out, struct kb_err *err)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (add_hit(ix, out, st) != SQLITE_OK) {
			kb_index_damaged(ix->path, "an entry's text cannot be unpacked", err);
			return -1;
		}
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "search", err);
		return -1;
	}
	return 0;
}

/* A row the first pass of a search ranked: its rowid and score (higher is better). */
struct ranked {
	long long rowid;
	double score;
};

/* a before b: the higher score first, the lower rowid among equal scores */
static bool better(const struct ranked *a, const struct ranked *b)
{
	return a->score > b->score || (a->score == b->score && a->rowid < b->rowid);
}

static int cmp_ranked(const void *a, const void *b)
{
	return better(a, b) ? -1 : better(b, a) ? 1 : 0;
}

/* The k best rows seen (every row when k is 0): while full, a heap with the worst at v[0]. */
struct best {
	struct ranked *v;
	size_t n, cap, k;
};

static void best_add(struct best *b, struct ranked r)
{
	size_t i, c;
	if (b->k == 0 || b->n < b->k) {
		kb_xgrow(&b->v, &b->cap, b->n + 1, sizeof *b->v);
		for (i = b->n++; b->k && i > 0 && better(&b->v[(i - 1) / 2], &r); i = (i - 1) / 2)
			b->v[i] = b->v[(i - 1) / 2];
		b->v[i] = r;
		return;
	}
	if (!better(&r, &b->v[0]))
		return;
	for (i = 0; (c = 2 * i + 1) < b->n; i = c) {
		if (c + 1 < b->n && better(&b->v[c], &b->v[c + 1]))
			c++;
		if (better(&b->v[c], &r))
			break;
		b->v[i] = b->v[c];
	}
	b->v[i] = r;
}

static int cmp_rowid(const void *a, const void *b)
{
	long long x = ((const struct kb_rowid_slot *)a)->rowid, y = ((const struct kb_rowid_slot *)b)->rowid;
	return (x > y) - (x < y);
}

const struct kb_rowid_slot *kb_rowid_set_find(const struct kb_rowid_set *s, long long rowid)
{
	struct kb_rowid_slot key = {.rowid = rowid};
	return s ? bsearch(&key, s->v, s->n, sizeof *s->v, cmp_rowid) : NULL;
}

/* A search statement, prepared, with the match as ?1 and as ?2 the rank: kbrank keeping
 * the k best (0: all). NULL, with err, when it cannot be prepared. */
static sqlite3_stmt *ranked_stmt(struct kb_index *ix, const char *sql, const struct kb_search_req *req, size_t k,
                                 struct kb_err *err)
{
	const char *match = req->match;
	sqlite3_stmt *st;
	char rank[64];
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		kb_index_error(ix->db, rc, "search", err);
		return NULL;
	}
	snprintf(rank, sizeof rank, KB_INDEX_RANK_K, req->cover ? "kbcover" : "kbrank", k);
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rank, -1, SQLITE_TRANSIENT);
	return st;
}

/* ---- the bounded step: no search ranks more than KB_INDEX_BOUND_ROWS rows of one phrase --
 * A match of one phrase (one word, one CJK character, one prefix) can select a good part of
 * a big index (的, c*), and ranking a row costs far more than reading it from FTS5's
 * doclist (bench/RESULTS.md). Such a match is ranked in rowid order (rank_rows) and
 * stops after the bound: its hits are then the best of the first rows (the index's order,
 * the notes' paths), not of all, and say so (partial); a phrase of several words or CJK
 * pairs too, though the sorted plan would rank a small one faster (sorted_plan). A match
 * of several phrases, which an entry must all hold, keeps its plan unbounded. */
static bool one_phrase(const char *match)
{
	bool quoted = false;
	int nquoted = 0;
	for (const char *p = match; *p; p++) {
		if (*p == '"' && quoted && p[1] == '"')
			p++;
		else if (*p == '"')
			nquoted += (quoted = !quoted);
		else if (!quoted && !strchr("()* ", *p))
			return false;
	}
	return nquoted == 1;
}

/* The entries' last rowid (kb_index_rank_begin), read once: -1 when it cannot be. */
static sqlite3_int64 last_rowid(struct kb_index *ix)
{
	sqlite3_stmt *st;
	if (ix->last_rowid == 0 &&
	    sqlite3_prepare_v2(ix->db, "SELECT max(rowid) FROM entries", -1, &st, NULL) == SQLITE_OK) {
		ix->last_rowid = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
		sqlite3_finalize(st);
	}
	return ix->last_rowid > 0 ? ix->last_rowid : 0;
}

/* ---- the prefix step: no common prefix has FTS5 merge every term that starts so ------
 * For a prefix ("c"*, and "的"*, which is how one CJK character is matched: the start of
 * the pairs it begins), FTS5 merges the doclists of every term that starts so before its
 * first row, however many there are in a big index. The search layer asks here for the
 * terms instead (kb_index_prefix_terms) and searches the first ones. */
#define PREFIX_WALK 1000 /* the most terms looked at: past them the prefix is common */

static int vocab_table(struct kb_index *ix);

struct one_token {
	char *tok;
	int n;
};

static int take_token(void *ctx, const char *tok, int len)
{
	struct one_token *t = ctx;
	if (t->n++ == 0)
		t->tok = kb_xstrndup(tok, (size_t)len);
	return 0;
}

/* text's token when it makes one, else NULL (caller frees). */
static char *prefix_token(struct kb_index *ix, const char *text)
{
	struct one_token t = {0};
	if (kb_tokenizer_each(ix->db, text, take_token, &t) != 0 || t.n != 1) {
		free(t.tok);
		return NULL;
	}
	return t.tok;
}

/* Walks the instances of the terms that start with pre, term by term, each term's in the
 * order of its entries, until the terms seen hold max_rows entries between them: the first
 * max_terms of them to out. Returns the rows counted, *seen the terms, *ended whether the
 * walk reached the last such term; -1 when the vocabulary cannot be read. */
static long long walk_terms(struct kb_index *ix, const char *pre, size_t max_rows, size_t max_terms,
                            struct kb_strv *out, size_t *seen, bool *ended)
{
	sqlite3_stmt *st = NULL;
	size_t plen = strlen(pre);
	long long rows = 0, doc = -1;
	char *cur = NULL;
	int rc;
	if (vocab_table(ix) != 0 ||
	    sqlite3_prepare_v2(ix->db, "SELECT term, doc FROM temp.kb_terms WHERE term >= ?1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, pre, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW || rc == SQLITE_DONE) {
		const char *term = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
		long long d = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : -1;
		if ((*ended = !term || strncmp(term, pre, plen) != 0) || rows >= (long long)max_rows)
			break;
		if (!cur || strcmp(term, cur) != 0) { /* the next term */
			if (*seen == PREFIX_WALK)
				break;
			free(cur);
			cur = kb_xstrdup(term);
			if (out->n < max_terms)
				kb_strv_push(out, term);
			++*seen;
			doc = -1;
		}
		rows += d != doc; /* an entry's instances are one row */
		doc = d;
	}
	free(cur);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? rows : -1;
}

int kb_index_prefix_terms(struct kb_index *ix, const char *text, size_t max_rows, size_t max_terms,
                          struct kb_strv *out, bool *partial)
{
	char *pre = prefix_token(ix, text);
	size_t seen = 0;
	bool ended = false;
	long long rows;
	if (!pre)
		return 0;
	rows = walk_terms(ix, pre, max_rows, max_terms, out, &seen, &ended);
	free(pre);
	if (rows < 0 || (ended && rows < (long long)max_rows)) { /* few terms, few rows: FTS5's own is cheap */
		kb_strv_free(out);
		return rows < 0 ? -1 : 0;
	}
	*partial = *partial || !ended || seen > out->n;
	return 1;
}

/* First pass of a search: every row the match selects, ranked by kbrank told to keep the
 * k best (0: all), into *b; with a bound (the bounded step), only the first bound rows,
 * *partial set when there were more. With a component, only that component's rows are
 * ranked, and
 * kbrank computes each phrase's idf itself (index_rank.c: the deferred idf counts the
 * rows it ranks, which a filter would make too few). */
static int rank_rows(struct kb_index *ix, const struct kb_search_req *req, struct best *b, size_t bound,
                     bool *partial, struct kb_err *err)
{
	/* No ORDER BY: FTS5 would rank every row into SQLite's sorter and sort them all, a
	 * large part of a search that selects many rows; the rows come in rowid order and
	 * only the k best are kept. "+rowid" keeps the filter out of FTS5, which would run
	 * the whole query again for each of the component's rows. */
	static const char plain[] = "SELECT rowid, rank FROM fts WHERE fts MATCH ?1 AND rank MATCH ?2";
	static const char filtered[] =
		"SELECT rowid, rank FROM fts WHERE fts MATCH ?1 AND rank MATCH ?2"
		" AND (?3 IS NULL OR +rowid IN (SELECT entry FROM entry_components WHERE name = ?3))"
		" AND ((?4 IS NULL AND ?5 IS NULL) OR +rowid IN (SELECT e.rowid FROM " ENTRY_JOIN
		" WHERE (?4 IS NULL OR n.source = ?4) AND (?5 IS NULL OR n.path GLOB 'man:*(' || ?5 || '*)')))";
	bool filter = req->component || req->source || req->man_section;
	sqlite3_stmt *st = ranked_stmt(ix, filter ? filtered : plain, req, b->k, err);
	double scale;
	int rc;
	if (!st)
		return -1;
	if (filter) {
		sqlite3_bind_text(st, 3, req->component, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, req->source, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, req->man_section, -1, SQLITE_STATIC);
	} else {
		kb_index_rank_begin(last_rowid(ix));
	}
	for (size_t n = 0; (rc = sqlite3_step(st)) == SQLITE_ROW; n++) {
		if (bound && n == bound) {
			*partial = true;
			rc = SQLITE_DONE;
			break;
		}
		best_add(b, (struct ranked){sqlite3_column_int64(st, 0), -sqlite3_column_double(st, 1)});
	}
	scale = kb_index_rank_scale(); /* the idf of a one-phrase query (index_rank.c), else 1 */
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "search", err);
		return -1;
	}
	/* kbrank gave the rows it cut a bound below the k-th best, so none is among these */
	for (size_t i = 0; i < b->n; i++)
		b->v[i].score *= scale;
	if (b->n > 1) /* qsort must not be given NULL, even for no rows */
		qsort(b->v, b->n, sizeof *b->v, cmp_ranked);
	return 0;
}

#define STR_(x) #x
#define STR(x) STR_(x)
#define SNIPPET_SQL "snippet(fts, " STR(KB_INDEX_COL_BODY) ", char(2), char(3), '…', 24)"
/* Bytes of a snippet kept. FTS5's snippet is its 24 tokens, but Chinese pairs overlap, and
 * where two matched pairs follow each other its highlighter copies the rest of the entry
 * into the snippet (a negative length it reads as "to the end"): a snippet is cut here, at
 * a character, its mark closed, so that no hit brings a page of text with it. */
#define SNIPPET_MAX 600

/* The snippet in column i of st, cut to SNIPPET_MAX bytes; NULL when there is none. */
static char *snippet_col(sqlite3_stmt *st, int i)
{
	char *s = kb_index_col_text(st, i);
	size_t n, at = 0;
	bool open = false;
	if (!s || (n = strlen(s)) <= SNIPPET_MAX)
		return s;
	while (at < n) {
		uint32_t cp;
		int len = kb_utf8_decode(s + at, n - at, &cp);
		if (at + (size_t)len > SNIPPET_MAX)
			break;
		open = s[at] == '\x02' ? true : s[at] == '\x03' ? false : open;
		at += (size_t)len;
	}
	s[at] = '\0';
	{
		char *cut = kb_xasprintf("%s%s…", s, open ? "\x03" : "");
		free(s);
		return cut;
	}
}

/* Fills the hits out->v[first..] (rowid and score set) from their rows, and gives them
 * snippets when asked. With snippets, one more pass of the match over the span of rowids
 * the hits cover gives both, FTS5 making a snippet for those rows alone (kb_among; CROSS
 * JOIN keeps the match the outer loop); not a lookup of each row: with the index in one
 * segment, a lookup reads its words' doclists from the start up to the row (long for a
 * common word), and for a prefix merges every word's doclist. */
static int fetch_hits(struct kb_index *ix, const struct kb_search_req *req, struct kb_hits *out, size_t first)
{
	static const char by_row[] = "SELECT " HIT_COLUMNS " FROM " ENTRY_JOIN " WHERE e.rowid = ?1";
	static const char span[] =
		"SELECT " HIT_COLUMNS ", " SNIPPET_SQL " FROM fts CROSS JOIN entries e ON e.rowid = fts.rowid"
		" CROSS JOIN notes n ON n.id = e.note"
		" WHERE fts MATCH ?1 AND fts.rowid BETWEEN ?2 AND ?3 AND kb_among(?4, fts.rowid)";
	struct kb_rowid_set set = {0};
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ix->db, req->snippets ? span : by_row, -1, &st, NULL);
	if (rc == SQLITE_OK && !req->snippets) {
		for (size_t i = first; rc == SQLITE_OK && i < out->n; i++) {
			sqlite3_bind_int64(st, 1, out->v[i].rowid);
			if ((rc = sqlite3_step(st)) == SQLITE_ROW && (rc = kb_index_fill_hit(ix, &out->v[i], st)) != SQLITE_OK)
				break;
			rc = sqlite3_reset(st);
		}
	} else if (rc == SQLITE_OK) {
		set.v = kb_xmalloc(sizeof *set.v * (out->n - first));
		for (size_t i = first; i < out->n; i++)
			set.v[set.n++] = (struct kb_rowid_slot){out->v[i].rowid, i};
		qsort(set.v, set.n, sizeof *set.v, cmp_rowid);
		sqlite3_bind_text(st, 1, req->match, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, set.v[0].rowid);
		sqlite3_bind_int64(st, 3, set.v[set.n - 1].rowid);
		sqlite3_bind_pointer(st, 4, &set, "kb_rowids", NULL);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const struct kb_rowid_slot *sl = kb_rowid_set_find(&set, sqlite3_column_int64(st, 0));
			if (sl && !out->v[sl->hit].id) {
				if ((rc = kb_index_fill_hit(ix, &out->v[sl->hit], st)) != SQLITE_OK)
					break;
				out->v[sl->hit].snippet = snippet_col(st, HIT_NCOLS);
			}
		}
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		free(set.v);
	}
	sqlite3_finalize(st);
	return rc;
}

/* The sorted plan: FTS5 ranks every row the match selects into SQLite's sorter, with each
 * row's phrase positions, and steps through the best; their snippets come from those
 * positions, with no second pass over the index. Returns 0 or -1 with err. */
static int search_sorted(struct kb_index *ix, const struct kb_search_req *req, struct kb_hits *out,
                         struct kb_err *err)
{
	static const char sql[] =
		"SELECT " HIT_COLUMNS ", fts.rank, CASE WHEN ?4 THEN " SNIPPET_SQL " END"
		" FROM fts JOIN entries e ON e.rowid = fts.rowid JOIN notes n ON n.id = e.note"
		" WHERE fts MATCH ?1 AND fts.rank MATCH ?2 ORDER BY fts.rank LIMIT ?3";
	sqlite3_stmt *st = ranked_stmt(ix, sql, req, req->limit, err);
	size_t first = out->n;
	double scale;
	int rc;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 3, (sqlite3_int64)req->limit);
	sqlite3_bind_int(st, 4, req->snippets);
	kb_index_rank_begin(last_rowid(ix));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = add_hit(ix, out, st)) != SQLITE_OK)
			break;
		out->v[out->n - 1].score = -sqlite3_column_double(st, HIT_NCOLS);
		out->v[out->n - 1].snippet = snippet_col(st, HIT_NCOLS + 1);
	}
	sqlite3_finalize(st);
	scale = kb_index_rank_scale();
	for (size_t i = first; i < out->n; i++)
		out->v[i].score *= scale;
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "search", err);
		return -1;
	}
	return 0;
}

static int count_token(void *ctx, const char *tok, int len)
{
	(void)tok, (void)len;
	return ++*(int *)ctx > 1;
}

/* Whether the match is better served by the sorted plan (search_sorted) than by ranking
 * in rowid order and a second pass for the snippets (rank_rows, fetch_hits). Sorting costs
 * the same for every row the match selects. Running the match again costs much less than
 * that for one token, and for a prefix, whose doclists are merged once before the first
 * row, little more: the top-K plan. For phrases and several words the match checks
 * positions or skips along long doclists for each row it selects, and a second run costs
 * more than the sort: the sorted plan (bench/PROFILE.md, "A search"; bench/RESULTS.md for
 * how much). */
static bool sorted_plan(struct kb_index *ix, const char *match)
{
	bool quoted = false, other = false;
	struct kb_buf text = {0};
	int nquoted = 0, ntok = 0;
	for (const char *p = match; *p; p++) {
		if (*p == '"' && quoted && p[1] == '"') {
			kb_buf_putc(&text, *p++);
		} else if (*p == '"') {
			quoted = !quoted;
			nquoted += quoted;
		} else if (quoted) {
			kb_buf_putc(&text, *p);
		} else if (*p == '*') {
			free(text.s);
			return false;
		} else if (*p != '(' && *p != ')' && *p != ' ') {
			other = true;
		}
	}
	if (nquoted == 1 && !other)
		/* a word marked for its stem (KB_TOKENIZER_STEM) is one token and its synonyms */
		kb_tokenizer_each(ix->db, !text.s ? "" : text.s + (text.s[0] == KB_TOKENIZER_STEM), count_token, &ntok);
	free(text.s);
	return ntok != 1;
}

/* A search of a few hits (limit) takes the plan sorted_plan() chooses; one of every hit,
 * an offset or a component filter ranks in rowid order (the filter before ranking, so
 * only the component's rows are ranked). */
/* Of hits with equal scores, the team's notes come before the manual's pages. */
static void notes_first(struct kb_hits *h, size_t first)
{
	for (size_t i = first + 1; i < h->n; i++)
		for (size_t j = i; j > first && h->v[j].score == h->v[j - 1].score && h->v[j - 1].source &&
		                   strcmp(h->v[j - 1].source, "man") == 0 && h->v[j].source &&
		                   strcmp(h->v[j].source, "man") != 0; j--) {
			struct kb_hit t = h->v[j];
			h->v[j] = h->v[j - 1];
			h->v[j - 1] = t;
		}
}

int kb_index_search(struct kb_index *ix, const struct kb_search_req *req, struct kb_hits *out,
                    struct kb_err *err)
{
	struct best b = {.k = req->limit ? req->limit + req->offset : 0};
	size_t first = out->n, n, bound;
	bool filtered;
	int rc;
	if (b.k > KB_INDEX_RANK_MAX_K)
		b.k = 0;
	filtered = req->component || req->source || req->man_section;
	bound = b.k && !filtered && (req->bounded || one_phrase(req->match)) ? KB_INDEX_BOUND_ROWS : 0;
	if (bound && req->bounded && req->bound_rows)
		bound = req->bound_rows;
	if (b.k && !req->offset && !filtered && !bound && sorted_plan(ix, req->match)) {
		rc = search_sorted(ix, req, out, err);
		notes_first(out, first);
		return rc;
	}
	if (rank_rows(ix, req, &b, bound, &out->partial, err) != 0) {
		free(b.v);
		return -1;
	}
	kb_xgrow(&out->v, &out->cap, out->n + b.n, sizeof *out->v);
	for (size_t i = req->offset; i < b.n; i++) {
		memset(&out->v[out->n], 0, sizeof *out->v);
		out->v[out->n].rowid = b.v[i].rowid;
		out->v[out->n++].score = b.v[i].score;
	}
	free(b.v);
	rc = out->n > first ? fetch_hits(ix, req, out, first) : SQLITE_OK;
	/* a row the match selected has an entry, unless the index is damaged: drop any without */
	n = first;
	for (size_t i = first; i < out->n; i++) {
		if (out->v[i].id)
			out->v[n++] = out->v[i];
		else
			kb_hit_clear(&out->v[i]);
	}
	out->n = n;
	if (rc != SQLITE_OK) {
		kb_index_error(ix->db, rc, "search", err);
		return -1;
	}
	notes_first(out, first);
	return 0;
}

/* The vocabulary as instances of terms (fts5vocab's instance table: a term, an entry, a
 * column, a position), read in order and no further than needed: the row table counts the
 * entries of each term it returns over its whole doclist, megabytes for a common word of a
 * big index, which a search would read and map to count to a few thousand. Returns 0 or -1. */
static int vocab_table(struct kb_index *ix)
{
	if (ix->vocab)
		return 0;
	if (sqlite3_exec(ix->db, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_terms USING fts5vocab(main, fts, instance)",
	                 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(ix->db, "SELECT doc FROM temp.kb_terms WHERE term = ?1", -1, &ix->vocab, NULL) != SQLITE_OK)
		return -1;
	return 0;
}

struct freq_ctx {
	struct kb_index *ix;
	long long min, max;
};

static int token_freq(void *pctx, const char *tok, int len)
{
	struct freq_ctx *f = pctx;
	long long df = 0, doc = -1;
	sqlite3_bind_text(f->ix->vocab, 1, tok, len, SQLITE_STATIC);
	while (df < f->max && sqlite3_step(f->ix->vocab) == SQLITE_ROW) {
		long long d = sqlite3_column_int64(f->ix->vocab, 0);
		df += d != doc; /* an entry's instances come together */
		doc = d;
	}
	sqlite3_reset(f->ix->vocab);
	if (f->min < 0 || df < f->min)
		f->min = df;
	return df == 0; /* one token in no entry: so is the word */
}

long long kb_index_doc_freq(struct kb_index *ix, const char *word, long long max)
{
	struct freq_ctx f = {ix, -1, max > 0 ? max : LLONG_MAX};
	if (vocab_table(ix) != 0 || kb_tokenizer_each(ix->db, word, token_freq, &f) != 0)
		return -1;
	return f.min < 0 ? 0 : f.min;
}

long long kb_index_count_upto(struct kb_index *ix, const char *match, long long max)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(ix->db, "SELECT count(*) FROM (SELECT 1 FROM fts WHERE fts MATCH ?1 LIMIT ?2)", -1, &st,
	                       NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, max);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

long long kb_index_count(struct kb_index *ix, const char *match, const char *component)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(ix->db, "SELECT count(*) FROM fts WHERE fts MATCH ?1 AND (?2 IS NULL OR"
	                       " +rowid IN (SELECT entry FROM entry_components WHERE name = ?2))", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	if (component)
		sqlite3_bind_text(st, 2, component, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}
