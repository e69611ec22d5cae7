/* index_rank.c - kbrank(K, weights...): FTS5's bm25 for a search that keeps the K best.
 *
 * FTS5 ranks every row a MATCH selects before it sorts them, and bm25 looks each row's
 * length up in fts_docsize: one B-tree search a row, a good part of a search that selects
 * many rows (bench/PROFILE.md). kbrank scores exactly as bm25 does (the same idf, k1 = 1.2,
 * b = 0.75 and column weights, computed in the same order, so the same doubles), but first
 * bounds a row's score from above by taking its length as short as it can be; when that
 * bound is below the K-th best score seen so far the row cannot be among the K best, and
 * it is given the bound instead of its score, without the lookup. The K best rows and
 * their order are bm25's. K = 0 ranks every row exactly.
 *
 * The bound takes for the row's length the least it can be: a phrase found at token i of
 * a column means that column is at least i + the phrase's length long. A match deep in a
 * long body bounds the score almost as tightly as the length would.
 *
 * The idf of a phrase needs the number of rows holding it, which bm25 counts by running the
 * phrase over the index again (for a prefix, merging the doclists of every term that has
 * it once more), and a search in FTS5's sorted plan does it twice: FTS5 ranks every row on
 * the cursor of its sorting statement, then calls the rank function again on its own
 * cursor for each row it returns (the other plan, rank_rows in index.c, ranks on one
 * cursor). Between kb_index_rank_begin() and kb_index_rank_scale() (one search statement,
 * kb_index_search) kbrank works that out once:
 * - the first cursor to rank computes the idf, and the statement's later cursor takes it;
 * - a query of one phrase selects exactly the rows holding that phrase, and its idf
 *   multiplies every score alike: kbrank ranks without it (same order, same pruning),
 *   counts the rows as the first cursor ranks them, and kb_index_rank_scale() gives the
 *   idf from that count, by which the caller multiplies the scores (X * idf is the double
 *   bm25 computes as idf * X).
 * - a query of several phrases counts each phrase's rows up to KB_INDEX_IDF_ROWS and no further:
 *   a common word's rows would be read over the whole index (seconds for a pasted log
 *   line of a big one). Past them the count is estimated from where the counting stopped
 *   (the share of the rowids it had read), which gives a common phrase the small idf it
 *   has without reading it all; a phrase in fewer rows gets bm25's exact idf.
 * Outside that window kbrank is bm25 to the bit on its own. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "index_priv.h"

#define K1 1.2
#define B 0.75
#define TITLE_BOOST 1.0   /* the factor page_factor adds for the whole query in the title */
#define CONTEXT_BOOST 0.5 /* ... in the context (note title and name, heading) */
#define EXACT_BOOST 3.0   /* ... for a title that is the query's words alone */
#define NEAR_BOOST 0.5    /* ... at most, for the query's words side by side as it has them */
#define NEAR_GAP 2        /* two words are side by side with at most so many tokens between */
#define NEAR_IDF 0.1      /* words of a lower idf (a, the, to: in most rows) are passed over */

/* The search statement being ranked on this thread (kb_index_rank_begin .. _scale). */
static _Thread_local struct {
	bool armed;
	const void *owner;    /* the rank data of the first cursor that ranked */
	int nphrase;
	double *idf;          /* its idf, for the statement's other cursor */
	bool deferred;        /* one phrase, ranked without its idf */
	sqlite3_int64 nrow, nhit;
	sqlite3_int64 last;   /* the index's last rowid: the span a count is estimated over */
} search;

struct rank_data {
	int nphrase;
	double avgdl;
	double *idf;   /* [nphrase] */
	double *freq;  /* [nphrase]: scratch */
	double *best;  /* a min-heap of the k best scores so far */
	int k, nbest;
	bool deferred; /* one phrase, scored with idf 1 (see the top) */
	int ncol;
	int *plen;     /* [nphrase]: tokens in each phrase */
	int *least;    /* [ncol]: scratch, the least length of each column */
	unsigned char *where; /* [nphrase]: scratch, IN_TITLE | IN_CONTEXT */
	int qlen;      /* the query's tokens: the phrases' lengths added up */
	double idfsum; /* their idf added up */
	int *prev;     /* [nphrase]: the query's word before phrase i that counts for nearness, or -1 */
	double *pairw; /* [nphrase]: the weight of the pair (prev[i], i); pairsum: theirs added up */
	double pairsum;
	int *lastcol, *lastoff; /* [nphrase]: scratch, the phrase's last place seen in this row */
	unsigned char *near;    /* [nphrase]: scratch, the pair (prev[i], i) found side by side */
	bool cover;    /* kbcover: the fallback, ranked by coverage first */
};

#define IN_TITLE 1
#define IN_CONTEXT 2
#define IN_ANY 4

static void rank_data_free(void *p)
{
	struct rank_data *d = p;
	if (!d)
		return;
	free(d->idf);
	free(d->freq);
	free(d->best);
	free(d->plen);
	free(d->least);
	free(d->where);
	free(d->prev);
	free(d->pairw);
	free(d->lastcol);
	free(d->lastoff);
	free(d->near);
	free(d);
}

struct phrase_rows {
	sqlite3_int64 n, max; /* rows counted, and where to stop (0: never) */
	sqlite3_int64 rowid;  /* the last one */
};

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *user)
{
	struct phrase_rows *c = user;
	c->rowid = api->xRowid(fts);
	return ++c->n == c->max ? SQLITE_DONE : SQLITE_OK; /* SQLITE_DONE: xQueryPhrase stops, OK */
}

/* The rows holding phrase i: all counted, or in a search (search.last set) up to KB_INDEX_IDF_ROWS
 * and the rest estimated from the share of the rowids read (the top of the file). */
static int phrase_rows(const Fts5ExtensionApi *api, Fts5Context *fts, int i, sqlite3_int64 nrow,
                       sqlite3_int64 *nhit)
{
	struct phrase_rows c = {.max = search.armed && search.last > 0 ? KB_INDEX_IDF_ROWS : 0};
	int rc = api->xQueryPhrase(fts, i, &c, count_row);
	*nhit = c.n;
	if (rc == SQLITE_OK && c.max && c.n == c.max && c.rowid > 0 && c.rowid < search.last) {
		double est = (double)c.n * (double)search.last / (double)c.rowid;
		*nhit = est > (double)nrow ? nrow : (sqlite3_int64)est;
	}
	return rc;
}

/* bm25's idf of a phrase that nhit of the nrow rows hold. */
static double idf_of(sqlite3_int64 nrow, sqlite3_int64 nhit)
{
	double idf = log((nrow - nhit + 0.5) / (nhit + 0.5));
	return idf <= 0.0 ? 1e-6 : idf;
}

/* Keeps *d as the cursor's rank data; on failure (FTS5 frees it) *d is NULL. */
static int set_data(const Fts5ExtensionApi *api, Fts5Context *fts, struct rank_data **d)
{
	int rc = api->xSetAuxdata(fts, *d, rank_data_free); /* which frees it itself when it fails */
	if (rc != SQLITE_OK)
		*d = NULL;
	return rc;
}

/* The query's idf and average length, as bm25 computes them (once a query). */
static int rank_data(const Fts5ExtensionApi *api, Fts5Context *fts, int k, struct rank_data **out)
{
	struct rank_data *d = api->xGetAuxdata(fts, 0);
	sqlite3_int64 nrow = 0, ntok = 0;
	int rc;
	if (d) {
		*out = d;
		return SQLITE_OK;
	}
	d = kb_xcalloc(1, sizeof *d);
	d->nphrase = api->xPhraseCount(fts);
	d->idf = kb_xcalloc((size_t)d->nphrase + 1, sizeof *d->idf);
	d->freq = kb_xcalloc((size_t)d->nphrase + 1, sizeof *d->freq);
	d->k = k;
	d->best = kb_xcalloc((size_t)k + 1, sizeof *d->best);
	d->ncol = api->xColumnCount(fts);
	d->least = kb_xcalloc((size_t)d->ncol + 1, sizeof *d->least);
	d->plen = kb_xcalloc((size_t)d->nphrase + 1, sizeof *d->plen);
	d->where = kb_xcalloc((size_t)d->nphrase + 1, 1);
	d->prev = kb_xcalloc((size_t)d->nphrase + 1, sizeof *d->prev);
	d->pairw = kb_xcalloc((size_t)d->nphrase + 1, sizeof *d->pairw);
	d->lastcol = kb_xcalloc((size_t)d->nphrase + 1, sizeof *d->lastcol);
	d->lastoff = kb_xcalloc((size_t)d->nphrase + 1, sizeof *d->lastoff);
	d->near = kb_xcalloc((size_t)d->nphrase + 1, 1);
	d->cover = api->xUserData(fts) != NULL;
	for (int i = 0; i < d->nphrase; i++) {
		d->plen[i] = api->xPhraseSize(fts, i);
		d->qlen += d->plen[i];
	}
	rc = api->xRowCount(fts, &nrow);
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &ntok);
	if (rc == SQLITE_OK)
		d->avgdl = (double)ntok / (double)nrow;
	if (rc == SQLITE_OK && search.armed && search.owner && search.nphrase == d->nphrase) {
		/* the statement's other cursor: the same query, its idf worked out already */
		d->deferred = search.deferred;
		memcpy(d->idf, search.idf, sizeof *d->idf * (size_t)d->nphrase);
		*out = d;
		return set_data(api, fts, out);
	}
	d->deferred = search.armed && d->nphrase == 1;
	if (d->deferred)
		d->idf[0] = 1.0;
	for (int i = 0; rc == SQLITE_OK && !d->deferred && i < d->nphrase; i++) {
		sqlite3_int64 nhit = 0;
		rc = phrase_rows(api, fts, i, nrow, &nhit);
		if (rc == SQLITE_OK)
			d->idf[i] = idf_of(nrow, nhit);
	}
	if (rc == SQLITE_OK && search.armed) { /* the first cursor of the search statement */
		free(search.idf);
		search.idf = kb_xmalloc(sizeof *d->idf * ((size_t)d->nphrase + 1));
		memcpy(search.idf, d->idf, sizeof *d->idf * (size_t)d->nphrase);
		search.owner = d;
		search.nphrase = d->nphrase;
		search.deferred = d->deferred;
		search.nrow = nrow;
		search.nhit = 0;
	}
	if (rc != SQLITE_OK) {
		rank_data_free(d);
		return rc;
	}
	*out = d;
	return set_data(api, fts, out);
}

/* Keeps score among the k best of d->best (a min-heap: best[0] is the k-th best). */
static void keep(struct rank_data *d, double score)
{
	int i;
	if (d->nbest < d->k) {
		for (i = d->nbest++; i > 0 && d->best[(i - 1) / 2] > score; i = (i - 1) / 2)
			d->best[i] = d->best[(i - 1) / 2];
		d->best[i] = score;
		return;
	}
	if (score <= d->best[0])
		return;
	for (i = 0;;) {
		int c = 2 * i + 1;
		if (c >= d->nbest)
			break;
		if (c + 1 < d->nbest && d->best[c + 1] < d->best[c])
			c++;
		if (d->best[c] >= score)
			break;
		d->best[i] = d->best[c];
		i = c;
	}
	d->best[i] = score;
}

/* The pairs of the query's words that nearness counts: each word of an idf above NEAR_IDF
 * with the one before it (small words between them passed over), weighted by the lesser
 * idf of the two. Once a query, with its idf. */
static void near_pairs(struct rank_data *d)
{
	int last = -1;
	d->pairsum = 0;
	for (int i = 0; i < d->nphrase; i++) {
		d->prev[i] = -1;
		if (d->idf[i] <= NEAR_IDF)
			continue;
		if (last >= 0) {
			d->prev[i] = last;
			d->pairw[i] = d->idf[last] < d->idf[i] ? d->idf[last] : d->idf[i];
			d->pairsum += d->pairw[i];
		}
		last = i;
	}
}

/* Notes that phrase ip starts at offset io of column ic, and whether it follows the
 * query's word before it as the query has them: after it, with at most NEAR_GAP other
 * tokens between them besides the small words the query has there. FTS5 gives a row's
 * places in order, so the last place seen of that word is the nearest one before. */
static void near_seen(struct rank_data *d, int ip, int ic, int io)
{
	int j = d->prev[ip];
	if (j >= 0 && d->lastcol[j] == ic && d->lastoff[j] >= 0 && io > d->lastoff[j] &&
	    io - d->lastoff[j] <= NEAR_GAP + (ip - j))
		d->near[ip] = 1;
	d->lastcol[ip] = ic;
	d->lastoff[ip] = io + d->plen[ip] - 1; /* where it ends */
}

/* What the page is worth beyond bm25: a factor from where the query's phrases are. The
 * entry's title and its context (the note's title and name, the heading it is under) are
 * what it is about: each phrase found there (weighted by its idf) raises the factor, and a
 * title that is the query's words and nothing more (exact: "tar", "Troubleshooting
 * kubeadm" for kubeadm troubleshooting) raises it most. The query's words found side by
 * side in a column, in the query's order ("list failed units", "transfer files to a
 * remote host"), raise it by up to NEAR_BOOST, by the share of the pairs so found. With cover (the fallback, where no
 * entry has every word) the share of the query's idf the entry holds multiplies it too,
 * squared, so that most of the query beats one rare word of it. */
static double page_factor(const struct rank_data *d, bool exact)
{
	double title = 0, context = 0, any = 0, f;
	for (int i = 0; i < d->nphrase; i++) {
		title += d->where[i] & IN_TITLE ? d->idf[i] : 0;
		context += d->where[i] & IN_CONTEXT ? d->idf[i] : 0;
		any += d->where[i] & IN_ANY ? d->idf[i] : 0;
	}
	if (d->idfsum <= 0)
		return 1.0;
	f = 1.0 + TITLE_BOOST * title / d->idfsum + CONTEXT_BOOST * context / d->idfsum + (exact ? EXACT_BOOST : 0);
	if (d->pairsum > 0) {
		double near = 0;
		for (int i = 0; i < d->nphrase; i++)
			near += d->near[i] ? d->pairw[i] : 0;
		f *= 1.0 + NEAR_BOOST * near / d->pairsum;
	}
	if (d->cover)
		f *= (any / d->idfsum) * (any / d->idfsum);
	return f;
}

/* Whether the title may be the query's words and nothing more: every phrase is in it, at
 * as many places as the query has tokens (an identifier's parts, "join" and "reorder" of
 * tidb_opt_join_reorder_threshold, share one place: not a title of two words). */
static bool title_is_query(const struct rank_data *d, uint64_t places)
{
	for (int i = 0; i < d->nphrase; i++)
		if (!(d->where[i] & IN_TITLE))
			return false;
	return d->nphrase > 0 && __builtin_popcountll(places) == d->qlen;
}

static void kbrank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
                   sqlite3_value **val)
{
	struct rank_data *d;
	sqlite3_int64 k = nval > 0 ? sqlite3_value_int64(val[0]) : 0;
	double score = 0.0, bound = 0.0;
	int ninst = 0, rc, ntok = 0, least = 0, ntitle = 0;
	uint64_t places = 0; /* the title's tokens the query's phrases are at */
	if (k < 0 || k > KB_INDEX_RANK_MAX_K)
		k = 0;
	rc = rank_data(api, fts, (int)k, &d);
	if (rc == SQLITE_OK && d->deferred && search.armed && search.owner == d)
		search.nhit++; /* a row the one-phrase query selects */
	if (rc == SQLITE_OK) {
		memset(d->freq, 0, sizeof *d->freq * (size_t)d->nphrase);
		memset(d->least, 0, sizeof *d->least * (size_t)d->ncol);
		memset(d->where, 0, (size_t)d->nphrase);
		memset(d->near, 0, (size_t)d->nphrase);
		for (int i = 0; i < d->nphrase; i++)
			d->lastoff[i] = -1;
		if (d->idfsum <= 0) {
			for (int i = 0; i < d->nphrase; i++)
				d->idfsum += d->idf[i];
			near_pairs(d);
		}
		rc = api->xInstCount(fts, &ninst);
	}
	for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
		int ip, ic, io;
		rc = api->xInst(fts, i, &ip, &ic, &io);
		if (rc == SQLITE_OK) {
			d->freq[ip] += nval > ic + 1 ? sqlite3_value_double(val[ic + 1]) : 1.0;
			d->where[ip] |= (unsigned char)(IN_ANY | (ic == KB_INDEX_COL_TITLE ? IN_TITLE : 0) |
			                                (ic == KB_INDEX_COL_CONTEXT ? IN_CONTEXT : 0));
			for (int t = io; ic == KB_INDEX_COL_TITLE && t >= 0 && t < io + d->plen[ip] && t < 64; t++)
				places |= (uint64_t)1 << t;
			if (d->pairsum > 0)
				near_seen(d, ip, ic, io);
			if (ic >= 0 && ic < d->ncol && io + d->plen[ip] > d->least[ic])
				d->least[ic] = io + d->plen[ip];
		}
	}
	if (rc == SQLITE_OK && d->k > 0 && d->nbest == d->k) {
		for (int c = 0; c < d->ncol; c++)
			least += d->least[c];
		for (int i = 0; i < d->nphrase; i++)
			bound += d->idf[i] * ((d->freq[i] * (K1 + 1.0)) / (d->freq[i] + K1 * (1 - B + B * least / d->avgdl)));
		bound *= page_factor(d, title_is_query(d, places)); /* exact at best */
		if (bound < d->best[0]) { /* not among the k best, whatever its length */
			sqlite3_result_double(ctx, -1.0 * bound);
			return;
		}
	}
	if (rc == SQLITE_OK)
		rc = api->xColumnSize(fts, -1, &ntok);
	if (rc == SQLITE_OK && title_is_query(d, places))
		rc = api->xColumnSize(fts, KB_INDEX_COL_TITLE, &ntitle);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	for (int i = 0; i < d->nphrase; i++)
		score += d->idf[i] * ((d->freq[i] * (K1 + 1.0)) / (d->freq[i] + K1 * (1 - B + B * ntok / d->avgdl)));
	score *= page_factor(d, ntitle == d->qlen);
	if (d->k > 0)
		keep(d, score);
	sqlite3_result_double(ctx, -1.0 * score);
}

static void search_reset(bool armed, sqlite3_int64 last)
{
	free(search.idf);
	search.idf = NULL;
	search.owner = NULL;
	search.armed = armed;
	search.last = last;
}

void kb_index_rank_begin(sqlite3_int64 last)
{
	search_reset(true, last);
}

double kb_index_rank_scale(void)
{
	double scale = search.armed && search.owner && search.deferred ? idf_of(search.nrow, search.nhit) : 1.0;
	search_reset(false, 0);
	return scale;
}

int kb_index_rank_register(fts5_api *api)
{
	static char cover; /* kbcover's user data: any non-NULL pointer */
	int rc = api->xCreateFunction(api, "kbrank", NULL, kbrank, NULL);
	return rc != SQLITE_OK ? rc : api->xCreateFunction(api, "kbcover", &cover, kbrank, NULL);
}
