/* tokenizer.c - the "kb" FTS5 tokenizer: unicode61 plus CJK bigrams and identifier parts.
 *
 * It wraps unicode61 the way FTS5's porter tokenizer does: it asks unicode61 for tokens and
 * rewrites them. A token whose source text holds CJK characters is cut into CJK runs and
 * other runs; the other runs are folded by a second unicode61 instance (the first is busy
 * producing the outer token). Inside the tokenizer, allocation failures follow SQLite's
 * SQLITE_NOMEM contract instead of aborting. */
#include "kb/tokenizer.h"

#include <sqlite3.h>
#include <limits.h>
#include <string.h>

#include "index_priv.h"
#include "kb/width.h"

#define PART_MAX 128 /* identifiers longer than this are not cut into parts */
#define STEM_MAX 64  /* nor words longer than this stemmed (porter's own limit) */

struct kbtok {
	fts5_tokenizer parent;     /* unicode61's methods */
	Fts5Tokenizer *outer, *inner;
	fts5_tokenizer porter;     /* FTS5's porter over unicode61: the stems of English words */
	Fts5Tokenizer *stemmer;
};

struct tctx {
	struct kbtok *tok;
	void *ctx;
	int flags;
	const char *text; /* what the outer tokenizer reads: the text from byte base on */
	int base;
	int (*xToken)(void *, int, const char *, int, int, int);
	int offset; /* added to offsets reported by the inner tokenizer */
};

/* Whether kb_xtokenize cuts what it knows of itself (ASCII, common ideographs and
 * punctuation) or leaves all of it to unicode61; off only inside kb_tokenizer_cuts_agree. */
static bool own_cuts = true;

static const char *u61_args[] = {"remove_diacritics", "2", "tokenchars", "_"};

/* Colocated alternatives (identifier parts, a CJK run's last character) are for the index
 * alone: a query names what it looks for, and FTS5's snippet and highlight skip them
 * (they count positions from the other tokens), so tokenizing a hit for its snippet
 * leaves them out. */
static bool for_index(int flags)
{
	return (flags & FTS5_TOKENIZE_DOCUMENT) != 0;
}


/* Emits the lower-cased parts of an ASCII identifier s[0..n) (folded: its lower-cased
 * copy) split at _ and at case humps, at the whole word's position. Nothing when it has
 * one part. */
static int emit_parts(struct tctx *c, const char *s, const char *folded, int n, int start)
{
	int bounds[PART_MAX + 1], nb = 0, rc = SQLITE_OK;
	if (n > PART_MAX)
		return SQLITE_OK;
	for (int i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i], prev = i ? (unsigned char)s[i - 1] : 0;
		unsigned char next = i + 1 < n ? (unsigned char)s[i + 1] : 0;
		bool up = ch >= 'A' && ch <= 'Z';
		bool hump = i > 0 && up && ((prev >= 'a' && prev <= 'z') ||
		                            (prev >= 'A' && prev <= 'Z' && next >= 'a' && next <= 'z'));
		if (ch == '_' || hump)
			bounds[nb++] = i;
	}
	if (nb == 0)
		return SQLITE_OK;
	bounds[nb++] = n;
	for (int k = 0, from = 0; k < nb && rc == SQLITE_OK; k++) {
		int to = bounds[k];
		if (from < n && s[from] == '_')
			from++;
		if (to > from && !(from == 0 && to == n))
			rc = c->xToken(c->ctx, FTS5_TOKEN_COLOCATED, folded + from, to - from, start + from, start + to);
		from = to;
	}
	return rc;
}

/* Whether s[0..n) is a word porter may stem: 3 to STEM_MAX ASCII letters, capitalised at
 * most at its start. Identifiers (parts, digits, '_', inner capitals: ImagePullBackOff,
 * HY000), constants in capitals (PENDING), paths and CJK are left as they are. */
static bool stemmable(const char *s, int n)
{
	if (n < 3 || n > STEM_MAX)
		return false;
	for (int i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!((ch >= 'a' && ch <= 'z') || (i == 0 && ch >= 'A' && ch <= 'Z')))
			return false;
	}
	return true;
}

struct stem {
	char buf[STEM_MAX];
	int n;
};

static int stem_token(void *pctx, int tflags, const char *tok, int ntok, int start, int end)
{
	struct stem *st = pctx;
	(void)tflags, (void)start, (void)end;
	if (ntok > STEM_MAX || st->n > 0)
		return SQLITE_OK;
	memcpy(st->buf, tok, (size_t)ntok);
	st->n = ntok;
	return SQLITE_OK;
}

/* The porter stem of the folded word fold[0..n) into *st (st->n = 0: none). */
static int stem_of(struct kbtok *t, const char *fold, int n, struct stem *st)
{
	st->n = 0;
	return t->porter.xTokenize(t->stemmer, st, FTS5_TOKENIZE_DOCUMENT, fold, n, stem_token);
}

static int inner_token(void *pctx, int tflags, const char *tok, int ntok, int start, int end)
{
	struct tctx *c = pctx;
	(void)tflags;
	return c->xToken(c->ctx, 0, tok, ntok, c->offset + start, c->offset + end);
}

/* Emits a CJK run s[0..n) that starts at byte start of the text: its overlapping pairs,
 * then (documents only) its last character at the last pair's position. */
static int emit_cjk(struct tctx *c, const char *s, int n, int start)
{
	int prev = -1, chars = 0, rc = SQLITE_OK;
	for (int i = 0; i < n && rc == SQLITE_OK; chars++) {
		uint32_t cp;
		int len = kb_utf8_decode(s + i, (size_t)(n - i), &cp);
		if (prev >= 0)
			rc = c->xToken(c->ctx, 0, s + prev, i + len - prev, start + prev, start + i + len);
		prev = i;
		i += len;
	}
	if (rc != SQLITE_OK || prev < 0)
		return rc;
	if (chars == 1)
		return c->xToken(c->ctx, 0, s, n, start, start + n);
	if (for_index(c->flags))
		return c->xToken(c->ctx, FTS5_TOKEN_COLOCATED, s + prev, n - prev, start + prev, start + n);
	return SQLITE_OK;
}

/* Splits s[0..n) (at byte start of the text) into CJK and other runs. */
static int split_cjk(struct tctx *c, const char *s, int n, int start)
{
	int i = 0, rc = SQLITE_OK;
	while (i < n && rc == SQLITE_OK) {
		int from = i;
		uint32_t cp;
		bool cjk;
		kb_utf8_decode(s + i, (size_t)(n - i), &cp);
		cjk = kb_width_is_cjk(cp);
		while (i < n) {
			int len = kb_utf8_decode(s + i, (size_t)(n - i), &cp);
			if (kb_width_is_cjk(cp) != cjk)
				break;
			i += len;
		}
		if (cjk) {
			rc = emit_cjk(c, s + from, i - from, start + from);
		} else {
			c->offset = start + from;
			rc = c->tok->parent.xTokenize(c->tok->inner, c, c->flags, s + from, i - from, inner_token);
		}
	}
	return rc;
}


static bool ascii(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

static int outer_token(void *pctx, int tflags, const char *tok, int ntok, int start, int end)
{
	struct tctx *c = pctx;
	const char *src = c->text + start;
	int n = end - start, rc;
	(void)tflags;
	start += c->base;
	end += c->base;
	if (kb_width_has_cjk(src, (size_t)n))
		return split_cjk(c, src, n, start);
	rc = c->xToken(c->ctx, 0, tok, ntok, start, end);
	if (rc == SQLITE_OK && for_index(c->flags) && ascii(src, n) && ntok == n)
		rc = emit_parts(c, src, tok, n, start);
	return rc;
}

/* What kb_xtokenize knows of unicode61's view of a code point above ASCII. */
enum known { K_OTHER, K_SEP, K_IDEO };

static enum known known_cp(uint32_t cp)
{
	if (cp >= 0x4E00 && cp <= 0x9FA5) /* the ideographs of Unicode 1.1: letters (Lo), unfolded */
		return K_IDEO;
	if ((cp >= 0x3000 && cp <= 0x3004) || (cp >= 0x3008 && cp <= 0x3011) || (cp >= 0x3014 && cp <= 0x301F) ||
	    (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
	    (cp >= 0xFF5B && cp <= 0xFF65) || (cp >= 0x2018 && cp <= 0x201F) || cp == 0x2014 || cp == 0x2026 ||
	    cp == 0xB7) /* CJK and full-width punctuation, quotes, dashes: separators */
		return K_SEP;
	return K_OTHER;
}

/* The character at text[i] (of n bytes): its length in *len, and what is known of it.
 * unicode61 reads a lead byte with every continuation byte after it, so a character
 * followed by a stray continuation byte is not the one it looks like. In line at each of
 * its calls (GCC otherwise calls it from the separator loop, the hottest loop of a build). */
static inline __attribute__((always_inline)) enum known known_at(const char *text, int i, int n, int *len)
{
	uint32_t cp;
	*len = kb_utf8_decode(text + i, (size_t)(n - i), &cp);
	if (i + *len < n && ((unsigned char)text[i + *len] & 0xC0) == 0x80)
		return K_OTHER;
	return known_cp(cp);
}

/* A piece of ASCII token characters and ideographs as outer_token would have it from
 * unicode61 (one token, which holds CJK): its ASCII runs folded, its ideograph runs as
 * emit_cjk gives them (ideographs of the BMP take three bytes). No ASCII run is longer
 * than PART_MAX. */
static int emit_mixed(struct tctx *c, const char *text, int start, int end)
{
	char fold[PART_MAX];
	int i = start, rc = SQLITE_OK;
	while (i < end && rc == SQLITE_OK) {
		int from = i;
		if ((unsigned char)text[i] < 0x80) {
			for (; i < end && (unsigned char)text[i] < 0x80; i++)
				fold[i - from] = (char)kb_ascii_tolower((unsigned char)text[i]);
			rc = c->xToken(c->ctx, 0, fold, i - from, from, i);
			continue;
		}
		while (i < end && (unsigned char)text[i] >= 0x80)
			i += 3;
		if (i - from == 3) {
			rc = c->xToken(c->ctx, 0, text + from, 3, from, i);
			continue;
		}
		for (int k = from; k + 3 < i && rc == SQLITE_OK; k += 3)
			rc = c->xToken(c->ctx, 0, text + k, 6, k, k + 6);
		if (rc == SQLITE_OK && for_index(c->flags))
			rc = c->xToken(c->ctx, FTS5_TOKEN_COLOCATED, text + i - 3, 3, i - 3, i);
	}
	return rc;
}

/* The length of a query's part s[0..n) up to the next KB_TOKENIZER_STEM. */
static int part_len(const char *s, int n)
{
	const char *end = memchr(s, KB_TOKENIZER_STEM, (size_t)n);
	return end ? (int)(end - s) : n;
}

/* A query's word that the query layer marked for its other forms: KB_TOKENIZER_STEM, the
 * word (stemmable), then KB_TOKENIZER_STEM before each of the forms of it the index holds
 * (search.c finds them, kb_index_word_forms). The word folded, and as its synonyms its
 * porter stem and those forms: "draining" finds drain and drains. */
static int query_forms(struct tctx *c, const char *s, int n)
{
	char fold[STEM_MAX];
	int w = part_len(s, n), rc;
	struct stem st;
	for (int i = 0; i < w; i++)
		fold[i] = (char)kb_ascii_tolower((unsigned char)s[i]);
	rc = c->xToken(c->ctx, 0, fold, w, 1, w + 1);
	if (rc == SQLITE_OK) /* the stem as a word too: porter stems exceed as excee, exceeding as exceed */
		rc = stem_of(c->tok, fold, w, &st);
	if (rc == SQLITE_OK && st.n > 0 && (st.n != w || memcmp(st.buf, fold, (size_t)w) != 0))
		rc = c->xToken(c->ctx, FTS5_TOKEN_COLOCATED, st.buf, st.n, 1, w + 1);
	for (int i = w + 1; rc == SQLITE_OK && i < n;) {
		int len = part_len(s + i, n - i);
		if (stemmable(s + i, len)) {
			for (int k = 0; k < len; k++)
				fold[k] = (char)kb_ascii_tolower((unsigned char)s[i + k]);
			rc = c->xToken(c->ctx, FTS5_TOKEN_COLOCATED, fold, len, 1, w + 1);
		}
		i += len + 1;
	}
	return rc;
}

/* The tokens of text[0..n) are those unicode61 gives, rewritten by outer_token. For most
 * text unicode61's work is known: ASCII other than letters, digits and '_' and the usual
 * CJK and full-width punctuation are separators; ASCII folds to lower case; the common
 * ideographs are letters that do not fold. So the text is cut at known separators here,
 * and a piece made of ASCII token characters and common ideographs is tokenized here as
 * outer_token would have done it; only a piece holding anything else (accents, kana,
 * Hangul, full-width letters, bytes that are not UTF-8) goes through unicode61, which
 * then finds no known separator inside it and cuts it as it would have in the whole text.
 * Same tokens, same offsets: test_tokenizer and the tokenizer fuzz target compare the two
 * ways. */
static int kb_xtokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
                        int (*xToken)(void *, int, const char *, int, int, int))
{
	struct kbtok *t = (struct kbtok *)p;
	struct tctx c = {.tok = t, .ctx = ctx, .flags = flags, .text = text, .xToken = xToken};
	int i = 0, rc = SQLITE_OK;
	if ((flags & FTS5_TOKENIZE_QUERY) && n > 1 && text[0] == KB_TOKENIZER_STEM &&
	    stemmable(text + 1, part_len(text + 1, n - 1)))
		return query_forms(&c, text + 1, n - 1);
	if (!own_cuts || n < 0)
		return t->parent.xTokenize(t->outer, &c, flags, text, n, outer_token);
	while (i < n && rc == SQLITE_OK) {
		int start, end, run = 0, longest = 0, len;
		bool other = false;
		while (i < n) { /* separators */
			if ((unsigned char)text[i] < 0x80) {
				if (kb_ascii_isword((unsigned char)text[i])) /* unicode61's token characters */
					break;
				i++;
				continue;
			}
			if (known_at(text, i, n, &len) != K_SEP)
				break;
			i += len;
		}
		start = i;
		if (i < n && (unsigned char)text[i] < 0x80) { /* an ASCII word, up to a separator */
			int j = i;
			while (j < n && kb_ascii_isword((unsigned char)text[j]))
				j++;
			if (j - i <= PART_MAX &&
			    (j == n || (unsigned char)text[j] < 0x80 || known_at(text, j, n, &len) == K_SEP)) {
				/* as outer_token has it: parts need a '_' or a capital after the first letter */
				char fold[PART_MAX];
				unsigned char upper = text[i] == '_';
				fold[0] = (char)kb_ascii_tolower((unsigned char)text[i]);
				for (int k = i + 1; k < j; k++) {
					unsigned char ch = (unsigned char)text[k], lo = (unsigned char)kb_ascii_tolower(ch);
					fold[k - i] = (char)lo;
					upper |= (unsigned char)((lo ^ ch) | (ch == '_'));
				}
				rc = xToken(ctx, 0, fold, j - i, i, j);
				if (rc == SQLITE_OK && upper && for_index(flags))
					rc = emit_parts(&c, text + i, fold, j - i, i);
				i = j;
				continue;
			}
		}
		/* Any other piece holds a character above ASCII (ASCII word characters and the
		 * common ideographs: emit_mixed; anything else, or an ASCII run longer than
		 * PART_MAX: unicode61) or is an ASCII word longer than PART_MAX (unicode61). */
		while (i < n) {
			enum known k;
			unsigned char ch = (unsigned char)text[i];
			if (ch < 0x80) {
				if (!kb_ascii_isword(ch))
					break;
				i++;
				if (++run > longest)
					longest = run;
				continue;
			}
			k = known_at(text, i, n, &len);
			if (k == K_SEP)
				break;
			other |= k == K_OTHER;
			run = 0;
			i += len;
		}
		end = i;
		if (start == end)
			break;
		if (other || longest > PART_MAX) { /* unicode61 for this piece */
			c.text = text + start;
			c.base = start;
			rc = t->parent.xTokenize(t->outer, &c, flags, text + start, end - start, outer_token);
		} else {
			rc = emit_mixed(&c, text, start, end);
		}
	}
	return rc;
}

static void kb_xdelete(Fts5Tokenizer *p)
{
	struct kbtok *t = (struct kbtok *)p;
	if (!t)
		return;
	if (t->outer)
		t->parent.xDelete(t->outer);
	if (t->inner)
		t->parent.xDelete(t->inner);
	if (t->stemmer)
		t->porter.xDelete(t->stemmer);
	sqlite3_free(t);
}

static int kb_xcreate(void *api_ptr, const char **argv, int argc, Fts5Tokenizer **out)
{
	fts5_api *api = api_ptr;
	void *u61_ctx = NULL, *porter_ctx = NULL;
	struct kbtok *t;
	int rc;
	(void)argv;
	*out = NULL;
	if (argc != 0)
		return SQLITE_ERROR;
	t = sqlite3_malloc(sizeof *t);
	if (!t)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof *t);
	rc = api->xFindTokenizer(api, "unicode61", &u61_ctx, &t->parent);
	if (rc == SQLITE_OK)
		rc = t->parent.xCreate(u61_ctx, u61_args, 4, &t->outer);
	if (rc == SQLITE_OK)
		rc = t->parent.xCreate(u61_ctx, u61_args, 4, &t->inner);
	if (rc == SQLITE_OK)
		rc = api->xFindTokenizer(api, "porter", &porter_ctx, &t->porter);
	if (rc == SQLITE_OK)
		rc = t->porter.xCreate(porter_ctx, NULL, 0, &t->stemmer);
	if (rc != SQLITE_OK) {
		kb_xdelete((Fts5Tokenizer *)t);
		return rc;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

fts5_api *kb_index_fts5(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return api;
}

int kb_tokenizer_register(struct sqlite3 *db, struct kb_err *err)
{
	static fts5_tokenizer methods = {kb_xcreate, kb_xdelete, kb_xtokenize};
	fts5_api *api = kb_index_fts5(db);
	if (!api || api->iVersion < 2) {
		kb_err_set(err, "this SQLite has no FTS5");
		return -1;
	}
	if (api->xCreateTokenizer(api, "kb", api, &methods, NULL) != SQLITE_OK) {
		kb_err_set(err, "cannot register the kb tokenizer: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

struct dump_ctx {
	struct kb_strv *out;
	int pos;
};

static int dump_token(void *pctx, int tflags, const char *tok, int ntok, int start, int end)
{
	struct dump_ctx *d = pctx;
	(void)start, (void)end;
	if (!(tflags & FTS5_TOKEN_COLOCATED))
		d->pos++;
	kb_strv_push_own(d->out, kb_xasprintf("%.*s@%d", ntok, tok, d->pos - 1));
	return SQLITE_OK;
}

int kb_tokenizer_dump(const char *text, bool query, struct kb_strv *out, struct kb_err *err)
{
	sqlite3 *db = NULL;
	fts5_api *api;
	void *ctx = NULL;
	fts5_tokenizer m;
	Fts5Tokenizer *t = NULL;
	struct dump_ctx d = {.out = out};
	int rc = -1;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK || kb_tokenizer_register(db, err) != 0)
		goto done;
	api = kb_index_fts5(db);
	if (api->xFindTokenizer(api, "kb", &ctx, &m) != SQLITE_OK || m.xCreate(ctx, NULL, 0, &t) != SQLITE_OK) {
		kb_err_set(err, "cannot create the kb tokenizer");
		goto done;
	}
	if (m.xTokenize(t, &d, query ? FTS5_TOKENIZE_QUERY : FTS5_TOKENIZE_DOCUMENT, text,
	                (int)strlen(text), dump_token) == SQLITE_OK)
		rc = 0;
	m.xDelete(t);
done:
	sqlite3_close(db);
	return rc;
}

static int trace_token(void *pctx, int tflags, const char *tok, int ntok, int start, int end)
{
	kb_buf_printf(pctx, "%d %d %d ", tflags, start, end);
	kb_buf_put(pctx, tok, (size_t)ntok);
	kb_buf_put(pctx, "\n", 1);
	return SQLITE_OK;
}

/* Appends every token of text[0..len) as the kb tokenizer gives it with flags to out. */
static int trace(const char *text, size_t len, int flags, struct kb_buf *out)
{
	sqlite3 *db = NULL;
	fts5_api *api;
	void *ctx = NULL;
	fts5_tokenizer m;
	Fts5Tokenizer *t = NULL;
	struct kb_err err;
	int rc = -1;
	if (len > INT_MAX || sqlite3_open(":memory:", &db) != SQLITE_OK || kb_tokenizer_register(db, &err) != 0)
		goto done;
	api = kb_index_fts5(db);
	if (api->xFindTokenizer(api, "kb", &ctx, &m) != SQLITE_OK || m.xCreate(ctx, NULL, 0, &t) != SQLITE_OK)
		goto done;
	if (m.xTokenize(t, out, flags, text, (int)len, trace_token) == SQLITE_OK)
		rc = 0;
	m.xDelete(t);
done:
	sqlite3_close(db);
	return rc;
}

int kb_tokenizer_cuts_agree(const char *text, size_t len, int flags, struct kb_buf *why)
{
	struct kb_buf own = {0}, u61 = {0};
	int rc;
	own_cuts = true;
	rc = trace(text, len, flags, &own);
	own_cuts = false;
	rc |= trace(text, len, flags, &u61);
	own_cuts = true;
	if (rc != 0)
		rc = -1;
	else if (own.len == u61.len && memcmp(kb_buf_str(&own), kb_buf_str(&u61), own.len) == 0)
		rc = 1;
	else if (why)
		kb_buf_printf(why, "%s---\n%s", kb_buf_str(&own), kb_buf_str(&u61));
	kb_buf_free(&own);
	kb_buf_free(&u61);
	return rc;
}

struct each_ctx {
	int (*fn)(void *ctx, const char *tok, int len);
	void *ctx;
};

static int each_token(void *pctx, int tflags, const char *tok, int ntok, int start, int end)
{
	struct each_ctx *e = pctx;
	(void)tflags, (void)start, (void)end;
	return e->fn(e->ctx, tok, ntok) ? SQLITE_DONE : SQLITE_OK;
}

int kb_tokenizer_each(struct sqlite3 *db, const char *text,
                      int (*fn)(void *ctx, const char *tok, int len), void *ctx)
{
	fts5_api *api = kb_index_fts5(db);
	void *uctx = NULL;
	fts5_tokenizer m;
	Fts5Tokenizer *t = NULL;
	struct each_ctx e = {fn, ctx};
	int rc;
	if (!api || api->xFindTokenizer(api, "kb", &uctx, &m) != SQLITE_OK || m.xCreate(uctx, NULL, 0, &t) != SQLITE_OK)
		return -1;
	rc = m.xTokenize(t, &e, FTS5_TOKENIZE_QUERY, text, (int)strlen(text), each_token);
	m.xDelete(t);
	return rc == SQLITE_OK || rc == SQLITE_DONE ? 0 : -1;
}

int kb_tokenizer_stems(struct sqlite3 *db, const struct kb_strv *words, struct kb_strv *stems)
{
	fts5_api *api = kb_index_fts5(db);
	void *uctx = NULL;
	fts5_tokenizer m;
	Fts5Tokenizer *t = NULL;
	int rc = SQLITE_OK;
	if (!api || api->xFindTokenizer(api, "porter", &uctx, &m) != SQLITE_OK || m.xCreate(uctx, NULL, 0, &t) != SQLITE_OK)
		return -1;
	for (size_t i = 0; rc == SQLITE_OK && i < words->n; i++) {
		struct stem st = {.n = 0};
		size_t n = strlen(words->v[i]);
		rc = n <= STEM_MAX ? m.xTokenize(t, &st, FTS5_TOKENIZE_DOCUMENT, words->v[i], (int)n, stem_token) : SQLITE_OK;
		if (st.n > 0)
			kb_strv_push_own(stems, kb_xstrndup(st.buf, (size_t)st.n));
		else
			kb_strv_push(stems, words->v[i]);
	}
	m.xDelete(t);
	return rc == SQLITE_OK ? 0 : -1;
}
