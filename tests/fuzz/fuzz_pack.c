/* fuzz_pack.c - libFuzzer target: any bytes as an entry's packed fields (kb_pack_fields), and
 * as the text of a pack read at any place (kb_packer_fields, kb_packer_body): every field is
 * inside the bytes, or the entry is refused as damaged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/index_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kb_packer *packer;

/* Reads every byte of f's fields and body (ASan: inside the input), and checks that they lie
 * in s[0..n) in order, the body last, up to its end. */
static void check_fields(const char *s, size_t n, const struct kb_pack_fields *f)
{
	const char *at = s;
	volatile unsigned sum = 0;
	for (int i = 0; i < KB_PACK_NFIELDS; i++) {
		if (!f->v[i]) {
			if (i != KB_PACK_SECTION || f->n[i] != 0)
				abort();
			continue;
		}
		if (f->v[i] < at || f->n[i] > n || f->v[i] + f->n[i] > s + n)
			abort();
		for (size_t k = 0; k < f->n[i]; k++)
			sum += (unsigned char)f->v[i][k];
		at = f->v[i] + f->n[i];
	}
	if (f->body < at || f->body + f->body_len != s + n)
		abort();
	for (size_t k = 0; k < f->body_len; k++)
		sum += (unsigned char)f->body[k];
}

/* The bytes s[0..n) as a pack: a magicless zstd frame of one raw block (n < 128 KiB). */
static char *frame(const char *s, size_t n, size_t *len)
{
	char *p = kb_xmalloc(n + 8);
	size_t h = (n << 3) | 1; /* a raw block, the last */
	p[0] = (char)0xA0;       /* single segment, a 4-byte content size */
	for (int i = 0; i < 4; i++)
		p[1 + i] = (char)((n >> (8 * i)) & 0xff);
	for (int i = 0; i < 3; i++)
		p[5 + i] = (char)((h >> (8 * i)) & 0xff);
	memcpy(p + 8, s, n);
	*len = n + 8;
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct kb_pack_fields f;
	if (!packer && !(packer = kb_packer_new(NULL, 0)))
		abort();
	if (kb_pack_fields(s, size, &f) == 0)
		check_fields(s, size, &f);
	/* the bytes after the first two as a pack, read at the place and length those give
	 * (signed: before the pack, past it) */
	if (size >= 2 && size - 2 < (128u << 10)) {
		size_t len, blen;
		char *pack = frame(s + 2, size - 2, &len), *body;
		long long at = (signed char)data[0], n = (signed char)data[1];
		if (kb_packer_fields(packer, pack, len, at, n, &f) == 0) {
			struct kb_pack_fields g;
			if (at < 0 || n < 0 || (size_t)(at + n) > size - 2)
				abort(); /* a place outside the pack was read */
			/* the same fields as those bytes read in place, in the packer's copy */
			if (kb_pack_fields(s + 2 + at, (size_t)n, &g) != 0 || f.body_len != g.body_len)
				abort();
			for (int i = 0; i < KB_PACK_NFIELDS; i++)
				if (f.n[i] != g.n[i] || !f.v[i] != !g.v[i] || (f.v[i] && memcmp(f.v[i], g.v[i], f.n[i]) != 0))
					abort();
			if (memcmp(f.body, g.body, f.body_len) != 0)
				abort();
		}
		body = kb_packer_body(packer, pack, len, at, n, &blen);
		free(body);
		free(pack);
	}
	return 0;
}
