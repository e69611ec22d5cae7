/* index_pack.c - the entries' markdown as the index stores it: each body compressed on its
 * own with zstd and a dictionary trained on the notes, so that reading one entry costs
 * microseconds while the index stays small (an entry is too short to compress well alone;
 * the dictionary brings what entries have in common). SQL reads bodies through kb_body(). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#define ZDICT_STATIC_LINKING_ONLY /* ZDICT_trainFromBuffer_fastCover: training with set parameters */
#include <zdict.h>
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_create[CD]Dict_advanced: set tables, a dictionary by reference */
#include <zstd.h>

#include "index_priv.h"
#include "kb/compile.h"
#include "kb/tokenizer.h"

/* How bodies are packed, and why (bench/PROFILE.md says what else was tried):
 * - zstd with one dictionary trained on the notes themselves: entries are short and alike,
 *   and a shared dictionary is what makes short frames small.
 * - Level 4 (dfast): with the dictionary attached, higher levels gain little and cost twice
 *   the build time; the index still stays within the bench's size target.
 * - A dictionary of at most 256 KiB and at most a quarter of what it is trained on: each
 *   search reads the whole dictionary to unpack its hits, so a larger one slows every
 *   search, and a small tree should not carry a large one.
 * - Match tables of 2^16 entries instead of level 4's 2^18: every position of every body
 *   looks them up at random, and the smaller tables stay in a CPU cache that another
 *   tenant of the machine shares, for bodies only slightly larger. */
#define PACK_LEVEL 4
#define DICT_TABLE_LOG 16
#define DICT_MAX (256u << 10)
#define DICT_MIN (16u << 10)
#define MIN_SAMPLES 32 /* fewer notes than this: no dictionary (nothing to gain) */

/* zstd's contexts and dictionaries allocate through kb's allocator, which never returns NULL
 * (out of memory ends kb with its message): a failed allocation inside zstd is then never
 * one that zstd forgot to check (1.5.4's ZSTD_createCDict_advanced used one unchecked). */
static void *zalloc(void *opaque, size_t size)
{
	(void)opaque;
	return kb_xmalloc(size);
}

static void zfree(void *opaque, void *p)
{
	(void)opaque;
	free(p);
}

static const ZSTD_customMem kb_zmem = {zalloc, zfree, NULL};

struct kb_packer {
	ZSTD_CCtx *cctx;   /* made on first use: readers never pack */
	ZSTD_DCtx *dctx;
	ZSTD_CDict *cdict; /* made on first use: hashing the dictionary is a search's largest cost */
	ZSTD_DDict *ddict;
	void *dict;        /* a copy; NULL without a dictionary */
	size_t dict_len;
	bool mapped;       /* dict is an anonymous mapping of dict_len bytes, not malloc'd */
};

int kb_pack_train(const char *const *samples, const size_t *sizes, size_t n, void **dict, size_t *len)
{
	size_t total = 0, got, cap;
	char *flat, *out;
	*dict = NULL;
	*len = 0;
	if (n < MIN_SAMPLES)
		return -1;
	for (size_t i = 0; i < n; i++)
		total += sizes[i];
	flat = kb_xmalloc(total);
	total = 0;
	for (size_t i = 0; i < n; i++) {
		memcpy(flat + total, samples[i], sizes[i]);
		total += sizes[i];
	}
	cap = total / 4 < DICT_MIN ? DICT_MIN : total / 4 > DICT_MAX ? DICT_MAX : total / 4;
	out = kb_xmalloc(cap);
	{
		/* Set parameters rather than ZDICT_trainFromBuffer's search for them, which trains
		 * several dictionaries to keep one: training is a serial step of kb build, and the
		 * searched-for parameters pack no better. Entropy tables are analysed at level 3
		 * (higher doubles the analysis for nothing worth having); the d-mer frequency table
		 * has 2^17 entries (f) so that it stays in cache. */
		ZDICT_fastCover_params_t params = {.k = 200, .d = 8, .f = 17, .accel = 1};
		params.zParams.compressionLevel = 3;
		got = ZDICT_trainFromBuffer_fastCover(out, cap, flat, sizes, (unsigned)n, params);
	}
	free(flat);
	if (ZDICT_isError(got)) {
		free(out);
		return -1;
	}
	*dict = out;
	*len = got;
	return 0;
}

static struct kb_packer *adopt(void *dict, size_t len, bool mapped)
{
	struct kb_packer *p = kb_xcalloc(1, sizeof *p);
	if (dict && len) {
		p->dict = dict;
		p->dict_len = len;
		p->mapped = mapped;
		/* by reference: a search would copy the dictionary once more */
		p->ddict = ZSTD_createDDict_advanced(dict, len, ZSTD_dlm_byRef, ZSTD_dct_auto, kb_zmem);
	}
	p->dctx = ZSTD_createDCtx_advanced(kb_zmem);
	if (!p->dctx || (p->dict && !p->ddict) ||
	    ZSTD_isError(ZSTD_DCtx_setParameter(p->dctx, ZSTD_d_format, ZSTD_f_zstd1_magicless))) {
		kb_packer_free(p);
		return NULL;
	}
	return p;
}

struct kb_packer *kb_packer_new(const void *dict, size_t len)
{
	void *copy = NULL;
	if (dict && len) {
		copy = kb_xmalloc(len);
		memcpy(copy, dict, len);
	}
	return adopt(copy, len, false);
}

void kb_packer_free(struct kb_packer *p)
{
	if (!p)
		return;
	ZSTD_freeCCtx(p->cctx);
	ZSTD_freeDCtx(p->dctx);
	ZSTD_freeCDict(p->cdict);
	ZSTD_freeDDict(p->ddict);
	if (p->mapped)
		munmap(p->dict, p->dict_len);
	else
		free(p->dict);
	free(p);
}

/* Frames without zstd's magic number and the dictionary's id (there is one dictionary):
 * 8 bytes an entry saved. Their content size stays in the header. */
static int set_format(ZSTD_CCtx *c, int level)
{
	return ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level)) ||
	       ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_format, ZSTD_f_zstd1_magicless)) ||
	       ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_dictIDFlag, 0)) ? -1 : 0;
}

char *kb_packer_pack(struct kb_packer *p, const char *text, size_t len, size_t *out_len)
{
	size_t cap = ZSTD_compressBound(len), n;
	char *out = kb_xmalloc(cap);
	if (!p->cctx) {
		if (!(p->cctx = ZSTD_createCCtx_advanced(kb_zmem)) || set_format(p->cctx, PACK_LEVEL) != 0)
			kb_oom(sizeof *p); /* zstd could not allocate: out of memory, as for any allocation */
		if (p->dict) {
			ZSTD_compressionParameters cp = ZSTD_getCParams(PACK_LEVEL, 0, p->dict_len);
			if (cp.hashLog > DICT_TABLE_LOG)
				cp.hashLog = DICT_TABLE_LOG;
			if (cp.chainLog > DICT_TABLE_LOG)
				cp.chainLog = DICT_TABLE_LOG;
			/* by reference: the packer keeps the dictionary as long as the tables */
			if (!(p->cdict = ZSTD_createCDict_advanced(p->dict, p->dict_len, ZSTD_dlm_byRef, ZSTD_dct_auto,
			                                           cp, kb_zmem)) ||
			    ZSTD_isError(ZSTD_CCtx_refCDict(p->cctx, p->cdict)))
				kb_oom(p->dict_len);
		}
	}
	n = ZSTD_compress2(p->cctx, out, cap, text, len);
	if (ZSTD_isError(n)) { /* cannot happen with a bound-sized buffer; pack it without the dictionary */
		ZSTD_CCtx_reset(p->cctx, ZSTD_reset_session_and_parameters);
		if (set_format(p->cctx, 1) != 0 || ZSTD_isError(n = ZSTD_compress2(p->cctx, out, cap, text, len)))
			kb_oom(cap);
		ZSTD_freeCCtx(p->cctx); /* which dropped the parameters: set them again next time */
		ZSTD_freeCDict(p->cdict);
		p->cctx = NULL;
		p->cdict = NULL;
	}
	*out_len = n;
	return out;
}

/* A body is the text of an entry, a part of its note, and kb build reads no note larger
 * than KB_COMPILE_MAX_BYTES: a frame that says it holds more is damaged or made to exhaust
 * memory (a few KB of zstd can stand for a GB of one repeated byte). Unpacking writes into
 * a buffer of the size the frame declares, and zstd refuses to write past its end, so a
 * frame whose blocks hold more than it declares is refused too: memory stays bounded. */
#define BODY_MAX KB_COMPILE_MAX_BYTES

char *kb_packer_unpack(struct kb_packer *p, const void *data, size_t len, size_t *out_len)
{
	ZSTD_frameHeader h;
	unsigned long long size;
	char *out;
	size_t n;
	if (ZSTD_getFrameHeader_advanced(&h, data, len, ZSTD_f_zstd1_magicless) != 0 ||
	    h.frameType != ZSTD_frame || (size = h.frameContentSize) == ZSTD_CONTENTSIZE_UNKNOWN || size > BODY_MAX)
		return NULL;
	out = kb_xmalloc((size_t)size + 1);
	n = p->ddict ? ZSTD_decompress_usingDDict(p->dctx, out, (size_t)size, data, len, p->ddict)
	             : ZSTD_decompressDCtx(p->dctx, out, (size_t)size, data, len);
	if (ZSTD_isError(n) || n != size) {
		free(out);
		return NULL;
	}
	out[n] = '\0';
	if (out_len)
		*out_len = n;
	return out;
}

/* kb_body(BLOB): an entry's markdown. A damaged blob is an error, not a crash. */
static void sql_body(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct kb_packer *p = sqlite3_user_data(ctx);
	size_t n;
	char *text;
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	text = kb_packer_unpack(p, sqlite3_value_blob(argv[0]), (size_t)sqlite3_value_bytes(argv[0]), &n);
	if (!text) { /* a corrupt index, in kb_index_error's words */
		sqlite3_result_error(ctx, "an entry's text is damaged", -1);
		sqlite3_result_error_code(ctx, SQLITE_CORRUPT);
		return;
	}
	sqlite3_result_text(ctx, text, (int)n, free);
}

char *kb_index_context(const char *doc_title, const char *path, const char *section)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t n = strlen(base), from;
	struct kb_buf b = {0};
	kb_buf_puts(&b, doc_title ? doc_title : "");
	kb_buf_putc(&b, '\n');
	n -= kb_note_suffix_len(base); /* the file name without .md or .markdown */
	from = b.len;
	kb_buf_put(&b, base, n);
	for (size_t i = from; i < b.len; i++)
		if (b.s[i] == '-' || b.s[i] == '_')
			b.s[i] = ' ';
	if (section && (!doc_title || strcmp(section, doc_title) != 0)) {
		kb_buf_putc(&b, '\n');
		kb_buf_puts(&b, section);
	}
	return kb_buf_take(&b);
}

/* kb_context(doc_title, path, section): the context column (kb_index_context). */
static void sql_context(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char *c;
	(void)argc;
	c = kb_index_context((const char *)sqlite3_value_text(argv[0]),
	                     sqlite3_value_text(argv[1]) ? (const char *)sqlite3_value_text(argv[1]) : "",
	                     (const char *)sqlite3_value_text(argv[2]));
	sqlite3_result_text(ctx, c, -1, free);
}

static void drop_packer(void *p)
{
	kb_packer_free(p);
}

/* Registers kb_body() and kb_context(); the connection frees p when own. */
static int register_body(sqlite3 *db, struct kb_packer *p, bool own, struct kb_err *err)
{
	/* innocuous (no side effects, bounded work): fts_content, a view, may call them with
	 * the schema not trusted (kb_index_guard) */
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	if (sqlite3_create_function_v2(db, "kb_body", 1, flags, p, sql_body, NULL, NULL, own ? drop_packer : NULL) !=
	            SQLITE_OK ||
	    sqlite3_create_function(db, "kb_context", 3, flags, NULL, sql_context, NULL, NULL) != SQLITE_OK) {
		kb_err_set(err, "cannot register kb_body: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* Reads the dictionary stored in the index into *dict (*len bytes; NULL when there is none):
 * malloc'd, or when mapped an anonymous mapping filled in one call (a search reads all of
 * it, and faulting its pages in one at a time is a measurable part of a search). Returns 0,
 * or -1 when it cannot be read. */
static int read_dict(sqlite3 *db, bool mapped, void **dict, size_t *len)
{
	sqlite3_blob *b;
	int n;
	*dict = NULL;
	*len = 0;
	if (sqlite3_blob_open(db, "main", "dictionary", "data", 1, 0, &b) != SQLITE_OK)
		return (sqlite3_errcode(db) & 0xff) == SQLITE_ERROR ? 0 : -1; /* no such row or table: none */
	if ((n = sqlite3_blob_bytes(b)) > 0) {
		if (!mapped) {
			*dict = kb_xmalloc((size_t)n);
		} else if ((*dict = mmap(NULL, (size_t)n, PROT_READ | PROT_WRITE,
		                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0)) == MAP_FAILED) {
			kb_oom((size_t)n);
		}
		if (sqlite3_blob_read(b, *dict, n, 0) != SQLITE_OK) {
			if (mapped)
				munmap(*dict, (size_t)n);
			else
				free(*dict);
			*dict = NULL;
			n = -1;
		}
	}
	sqlite3_blob_close(b);
	if (n < 0)
		return -1;
	*len = (size_t)n;
	return 0;
}

int kb_index_load_dict(sqlite3 *db, void **dict, size_t *len)
{
	return read_dict(db, false, dict, len);
}

struct kb_packer *kb_index_packer(sqlite3 *db)
{
	void *dict;
	size_t len;
	return read_dict(db, true, &dict, &len) == 0 ? adopt(dict, len, true) : NULL;
}

int kb_index_register_body(sqlite3 *db, struct kb_packer *p, struct kb_err *err)
{
	return register_body(db, p, false, err);
}

int kb_index_register_sql(struct sqlite3 *db, struct kb_err *err)
{
	struct kb_packer *p;
	if (kb_tokenizer_register(db, err) != 0)
		return -1;
	if (kb_index_rank_register(kb_index_fts5(db)) != SQLITE_OK) {
		kb_err_set(err, "cannot register kbrank: %s", sqlite3_errmsg(db));
		return -1;
	}
	p = kb_index_packer(db); /* without a dictionary when not an index of kb's yet: fine */
	if (!p) {
		kb_err_set(err, "the index's dictionary is damaged");
		return -1;
	}
	return register_body(db, p, true, err);
}
