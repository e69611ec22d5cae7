/* index_pack.c - the entries' text as the index stores it: a note's entries one after the
 * other (each its title, anchor, section, tags and markdown), cut into packs of a few KiB,
 * each pack a zstd frame compressed with a dictionary trained on the notes. An entry is too
 * short to compress well alone, and a man page's options are many short entries: the rest of
 * its pack and the dictionary bring what they have in common, while reading one entry still
 * unpacks only its pack. SQL reads them through kb_body() and kb_meta() (index_sql.c). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#define ZDICT_STATIC_LINKING_ONLY /* ZDICT_trainFromBuffer_fastCover: training with set parameters */
#include <zdict.h>
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_create[CD]Dict_advanced: set tables, a dictionary by reference */
#include <zstd.h>

#include "index_priv.h"
#include "kb/compile.h"

/* How bodies are packed, and why (bench/PROFILE.md says what else was tried):
 * - zstd with one dictionary trained on the notes themselves: entries are short and alike,
 *   and a shared dictionary is what makes short frames small.
 * - Level 4 (dfast): with the dictionary attached, higher levels gain little and cost much
 *   more build time; the index still stays within the bench's size target.
 * - A dictionary of at most 256 KiB and at most a quarter of what it is trained on: each
 *   search reads the whole dictionary to unpack its hits, so a larger one slows every
 *   search, and a small tree should not carry a large one.
 * - Match tables of 2^16 entries instead of level 4's 2^18: every position of every body
 *   looks them up at random, and the smaller tables stay in a CPU cache that another
 *   tenant of the machine shares, for bodies only slightly larger. A man page's packs
 *   (MAN_LEVEL) keep their level's tables: capped, they come out larger (bench/PROFILE.md). */
#define PACK_LEVEL 4
/* The level of a man page's packs: a manual is built once and read for long, it is most of
 * an index that holds one, and its build has time to spare: its packs come out markedly
 * smaller than at PACK_LEVEL, for little more CPU over a host's manual (bench/PROFILE.md).
 * Notes keep the faster level: their build is what an operator waits for after an edit. */
#define MAN_LEVEL 9
#define DICT_TABLE_LOG 16
#define DICT_MAX (256u << 10)
#define DICT_MIN (16u << 10)
#define MIN_SAMPLES 32 /* fewer notes than this: no dictionary (nothing to gain) */
/* A pack holds consecutive bodies of one note up to this much text (a longer body has a pack
 * of its own): enough for a man page's short options to share a frame with their
 * neighbours. Larger packs are no smaller in the file, whose pages then hold the larger rows
 * less tightly (bench/PROFILE.md), and every read of an entry unpacks its whole pack. */
#define PACK_BYTES (4u << 10)

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

/* A packer's compression at one level: made on first use (readers never pack; hashing the
 * dictionary is a search's largest cost). */
struct kb_zpack {
	ZSTD_CCtx *cctx;
	ZSTD_CDict *cdict;
};

struct kb_packer {
	struct kb_zpack z[2]; /* at levels[i] */
	ZSTD_DCtx *dctx;
	ZSTD_DDict *ddict;
	void *dict;        /* a copy; NULL without a dictionary */
	size_t dict_len;
	bool mapped;       /* dict is an anonymous mapping of dict_len bytes, not malloc'd */
	/* the last pack unpacked: a copy of its bytes (the key: pack ids may be reused by a
	 * build) and its text. FTS5 asks for the hits of one note one after the other, a
	 * note's entries are read together, and a hit's title, id and body are in one pack. */
	char *cache_key, *cache_text;
	size_t cache_key_len, cache_text_len;
};

/* Whether the address space holds twice what dictionary training takes at once: the
 * samples' offsets and copy, fastCover's tables, and the compression context and the
 * dictionary's tables its entropy analysis makes. zstd 1.5 does not check each of those
 * allocations (ZSTD_createCDict_advanced goes on with a workspace it did not get): where
 * the memory is not there, it crashes rather than failing. So it is asked for first, mapped
 * and unmapped untouched (past the malloc of the static kb, which would abort: that kb
 * checks every allocation, src/static/oom.c), and without it there is no dictionary. */
static bool training_fits(size_t total, size_t n, size_t cap)
{
	size_t need = ZSTD_estimateCDictSize(cap, 3) + ZSTD_estimateCCtxSize(3) + (8u << 17) +
	              (n + 1) * sizeof(size_t) + total + cap + ZSTD_BLOCKSIZE_MAX;
	void *p = mmap(NULL, 2 * need, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return false;
	munmap(p, 2 * need);
	return true;
}

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
	cap = total / 4 < DICT_MIN ? DICT_MIN : total / 4 > DICT_MAX ? DICT_MAX : total / 4;
	if (!training_fits(total, n, cap))
		return -1;
	flat = kb_xmalloc(total);
	total = 0;
	for (size_t i = 0; i < n; i++) {
		memcpy(flat + total, samples[i], sizes[i]);
		total += sizes[i];
	}
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

struct kb_packer *kb_packer_copy(const struct kb_packer *p)
{
	return kb_packer_new(p->dict, p->dict_len);
}

void kb_packer_free(struct kb_packer *p)
{
	if (!p)
		return;
	for (int i = 0; i < 2; i++) {
		ZSTD_freeCCtx(p->z[i].cctx);
		ZSTD_freeCDict(p->z[i].cdict);
	}
	ZSTD_freeDCtx(p->dctx);
	ZSTD_freeDDict(p->ddict);
	free(p->cache_key);
	free(p->cache_text);
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

/* The levels of p->z: notes', a manual's. */
static const int levels[2] = {PACK_LEVEL, MAN_LEVEL};

/* Packs text[0..len) with p->z[lv], at levels[lv]. */
static char *pack_at(struct kb_packer *p, int lv, const char *text, size_t len, size_t *out_len)
{
	struct kb_zpack *z = &p->z[lv];
	int level = levels[lv];
	size_t cap = ZSTD_compressBound(len), n;
	char *out = kb_xmalloc(cap);
	if (!z->cctx) {
		if (!(z->cctx = ZSTD_createCCtx_advanced(kb_zmem)) || set_format(z->cctx, level) != 0)
			kb_oom(sizeof *p); /* zstd could not allocate: out of memory, as for any allocation */
		if (p->dict) {
			ZSTD_compressionParameters cp = ZSTD_getCParams(level, 0, p->dict_len);
			if (lv == 0 && cp.hashLog > DICT_TABLE_LOG)
				cp.hashLog = DICT_TABLE_LOG;
			if (lv == 0 && cp.chainLog > DICT_TABLE_LOG)
				cp.chainLog = DICT_TABLE_LOG;
			/* by reference: the packer keeps the dictionary as long as the tables */
			if (!(z->cdict = ZSTD_createCDict_advanced(p->dict, p->dict_len, ZSTD_dlm_byRef, ZSTD_dct_auto,
			                                           cp, kb_zmem)) ||
			    ZSTD_isError(ZSTD_CCtx_refCDict(z->cctx, z->cdict)))
				kb_oom(p->dict_len);
		}
	}
	n = ZSTD_compress2(z->cctx, out, cap, text, len);
	if (ZSTD_isError(n)) { /* cannot happen with a bound-sized buffer; pack it without the dictionary */
		ZSTD_CCtx_reset(z->cctx, ZSTD_reset_session_and_parameters);
		if (set_format(z->cctx, 1) != 0 || ZSTD_isError(n = ZSTD_compress2(z->cctx, out, cap, text, len)))
			kb_oom(cap);
		ZSTD_freeCCtx(z->cctx); /* which dropped the parameters: set them again next time */
		ZSTD_freeCDict(z->cdict);
		z->cctx = NULL;
		z->cdict = NULL;
	}
	*out_len = n;
	return out;
}

char *kb_packer_pack(struct kb_packer *p, const char *text, size_t len, size_t *out_len)
{
	return pack_at(p, 0, text, len, out_len);
}

/* An entry's lengths are varints: 7 bits a byte, low first, the high bit set on all but
 * the last. Lengths are below 2^32 (an entry is part of a note: KB_COMPILE_MAX_BYTES). */
static void put_len(struct kb_buf *b, size_t n)
{
	do {
		kb_buf_putc(b, (char)((n & 0x7f) | (n > 0x7f ? 0x80 : 0)));
		n >>= 7;
	} while (n);
}

/* Reads a varint from s[*at..n) into *v; -1 when it runs past n or past 32 bits. */
static int get_len(const char *s, size_t n, size_t *at, size_t *v)
{
	size_t x = 0;
	for (unsigned shift = 0; shift < 35; shift += 7) {
		unsigned char c;
		if (*at >= n)
			return -1;
		c = (unsigned char)s[(*at)++];
		x |= (size_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = x;
			return x > 0xffffffffu ? -1 : 0;
		}
	}
	return -1;
}

static void put_field(struct kb_buf *b, const char *s, size_t n)
{
	put_len(b, n);
	kb_buf_put(b, s, n);
}

void kb_index_pack_entry(struct kb_buf *b, const struct kb_entry *e)
{
	const char *anchor = kb_entry_anchor(e);
	put_field(b, e->title ? e->title : "", e->title ? strlen(e->title) : 0);
	put_field(b, anchor, strlen(anchor));
	put_len(b, e->section ? strlen(e->section) + 1 : 0);
	kb_buf_puts(b, e->section ? e->section : "");
	{ /* the tags one a line, as kb_index_split_lines reads them */
		char *tags = kb_strv_join(&e->tags, "\n");
		put_field(b, tags, strlen(tags));
		free(tags);
	}
	kb_buf_put(b, e->body ? e->body : "", e->body_len);
}

int kb_pack_fields(const char *s, size_t n, struct kb_pack_fields *f)
{
	size_t at = 0, len;
	memset(f, 0, sizeof *f);
	for (int i = 0; i < KB_PACK_NFIELDS; i++) {
		if (get_len(s, n, &at, &len) != 0)
			return -1;
		if (i == KB_PACK_SECTION && len-- == 0) { /* none */
			f->v[i] = NULL;
			continue;
		}
		if (len > n - at)
			return -1;
		f->v[i] = s + at;
		f->n[i] = len;
		at += len;
	}
	f->body = s + at;
	f->body_len = n - at;
	return 0;
}

char *kb_pack_field(const struct kb_pack_fields *f, int i)
{
	return f->v[i] ? kb_xstrndup(f->v[i], f->n[i]) : NULL;
}

char *kb_pack_id(const char *path, const struct kb_pack_fields *f)
{
	return f->n[KB_PACK_ANCHOR] ? kb_xasprintf("%s#%.*s", path, (int)f->n[KB_PACK_ANCHOR], f->v[KB_PACK_ANCHOR])
	                            : kb_xstrdup(path);
}

/* Packs the text gathered in b as v's next pack, with p->z[lv], and empties b. */
static void flush(struct kb_packer *p, int lv, struct kb_packed *v, struct kb_buf *b)
{
	struct kb_pack *k = &v->packs[v->n++];
	k->data = pack_at(p, lv, b->s ? b->s : "", b->len, &k->len);
	b->len = 0;
}

struct kb_packed *kb_index_pack(struct kb_packer *p, const struct kb_entry *es, size_t n)
{
	struct kb_packed *v;
	struct kb_buf b = {0}, one = {0};
	int dense; /* the index of p->z: MAN_LEVEL for a file built once and read for long */
	if (n == 0)
		return NULL;
	dense = kb_format_read_long(es[0].format);
	v = kb_xcalloc(1, sizeof *v);
	v->packs = kb_xcalloc(n, sizeof *v->packs);
	v->pack = kb_xcalloc(n, sizeof *v->pack);
	v->at = kb_xcalloc(n, sizeof *v->at);
	v->len = kb_xcalloc(n, sizeof *v->len);
	for (size_t i = 0; i < n; i++) {
		one.len = 0;
		kb_index_pack_entry(&one, &es[i]);
		if (b.len > 0 && b.len + one.len > PACK_BYTES)
			flush(p, dense, v, &b);
		v->pack[i] = v->n;
		v->at[i] = b.len;
		v->len[i] = one.len;
		kb_buf_put(&b, one.s, one.len);
	}
	flush(p, dense, v, &b);
	kb_buf_free(&b);
	kb_buf_free(&one);
	return v;
}

void kb_packed_free(struct kb_packed *v)
{
	for (size_t i = 0; v && i < v->n; i++)
		free(v->packs[i].data);
	if (v) {
		free(v->packs);
		free(v->pack);
		free(v->at);
		free(v->len);
	}
	free(v);
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

/* The slice [at, at + n) of the pack in data[0..len), from the pack last unpacked when it is
 * that one (kept in p until the next pack is unpacked); NULL when the pack is damaged or does
 * not hold that range. */
static const char *slice(struct kb_packer *p, const void *data, size_t len, long long at, long long n)
{
	if (!(p->cache_key && len == p->cache_key_len && memcmp(data, p->cache_key, len) == 0)) {
		size_t tlen;
		char *text = kb_packer_unpack(p, data, len, &tlen);
		if (!text)
			return NULL;
		free(p->cache_key);
		free(p->cache_text);
		p->cache_key = kb_xmalloc(len ? len : 1);
		memcpy(p->cache_key, data, len);
		p->cache_key_len = len;
		p->cache_text = text;
		p->cache_text_len = tlen;
	}
	if (at < 0 || n < 0 || (unsigned long long)at > p->cache_text_len ||
	    (unsigned long long)n > p->cache_text_len - (size_t)at)
		return NULL; /* outside its pack: damaged */
	return p->cache_text + at;
}

int kb_packer_fields(struct kb_packer *p, const void *data, size_t len, long long at, long long n,
                     struct kb_pack_fields *f)
{
	const char *s = slice(p, data, len, at, n);
	return s ? kb_pack_fields(s, (size_t)n, f) : -1;
}

char *kb_packer_body(struct kb_packer *p, const void *data, size_t len, long long at, long long n, size_t *out_len)
{
	struct kb_pack_fields f;
	char *out;
	if (kb_packer_fields(p, data, len, at, n, &f) != 0)
		return NULL;
	out = kb_xmalloc(f.body_len + 1);
	memcpy(out, f.body, f.body_len);
	out[f.body_len] = '\0';
	if (out_len)
		*out_len = f.body_len;
	return out;
}

struct kb_packer *kb_index_packer(sqlite3 *db)
{
	void *dict;
	size_t len;
	return read_dict(db, true, &dict, &len) == 0 ? adopt(dict, len, true) : NULL;
}
