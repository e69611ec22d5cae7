/* test_pack.c - entry bodies packed and unpacked (src/index_pack.c): what goes in comes out,
 * with and without a trained dictionary, and a damaged blob is refused, never a crash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/index_priv.h"
#include "harness.h"
#include "kb/compile.h"
#include "kb/index.h"

#define NSAMPLES 64

/* A note-like text of about n bytes, different for each seed. */
static char *sample(unsigned seed, size_t n)
{
	static const char *const words[] = {"redis", "连接超时", "docker", "error:", "Connection refused",
	                                    "检查配置", "```", "\n", "- ", "10.0.3.7:6379", "重启服务", "# "};
	char *s = malloc(n + 32);
	size_t len = 0;
	while (len < n) {
		seed = seed * 1103515245u + 12345u;
		len += (size_t)sprintf(s + len, "%s ", words[(seed >> 16) % (sizeof words / sizeof *words)]);
	}
	return s;
}

static bool round_trip(struct kb_packer *p, const char *text, size_t len)
{
	size_t plen = 0, ulen = 0;
	char *packed = kb_packer_pack(p, text, len, &plen), *back;
	bool ok;
	if (!packed)
		return false;
	back = kb_packer_unpack(p, packed, plen, &ulen);
	ok = back && ulen == len && memcmp(back, text, len) == 0 && back[len] == '\0';
	free(back);
	free(packed);
	return ok;
}

/* Every truncation of a packed body, and every byte of it flipped: each unpacks to NULL or
 * to some text, never a crash (make asan and valgrind watch). *plen: the packed length;
 * *flips_refused: how many flips were refused. Returns how many truncations were refused. */
static size_t damaged(struct kb_packer *p, const char *text, size_t len, size_t *plen_out, size_t *flips_refused)
{
	size_t plen, refused = 0, ulen;
	char *packed = kb_packer_pack(p, text, len, &plen), *copy = malloc(plen ? plen : 1), *out;
	*flips_refused = 0;
	*plen_out = plen;
	for (size_t cut = 0; cut < plen; cut++) {
		memcpy(copy, packed, cut);
		if (!(out = kb_packer_unpack(p, copy, cut, &ulen)))
			refused++;
		free(out);
	}
	for (size_t i = 0; i < plen; i++) {
		memcpy(copy, packed, plen);
		copy[i] ^= 0x5a;
		if (!(out = kb_packer_unpack(p, copy, plen, &ulen)))
			(*flips_refused)++;
		free(out);
	}
	free(copy);
	free(packed);
	return refused;
}

/* A magicless zstd frame by hand: declaring `declared` bytes (4-byte content size, one
 * segment), then `blocks` RLE blocks of 128 KiB of 'a' each: 4 bytes a block, so a few KB
 * stand for many MB. *len: its size. Caller frees. */
static unsigned char *rle_frame(unsigned declared, unsigned blocks, size_t *len)
{
	unsigned char *f = malloc(5 + 4 * (size_t)blocks), *b;
	f[0] = 0xa0; /* content size in 4 bytes, single segment, no checksum, no dictionary id */
	for (int i = 0; i < 4; i++)
		f[1 + i] = (unsigned char)(declared >> (8 * i));
	b = f + 5;
	for (unsigned i = 0; i < blocks; i++, b += 4) {
		unsigned h = (131072u << 3) | (1u << 1) | (i + 1 == blocks); /* size, RLE, last */
		b[0] = (unsigned char)h, b[1] = (unsigned char)(h >> 8), b[2] = (unsigned char)(h >> 16), b[3] = 'a';
	}
	*len = (size_t)(b - f);
	return f;
}

/* Bodies never unpack beyond the size of the largest note kb build reads. */
static void bombs(struct kb_packer *p)
{
	size_t len, n;
	unsigned char *f;
	char *out, *most = malloc(KB_COMPILE_MAX_BYTES + 1);
	memset(most, 'a', KB_COMPILE_MAX_BYTES + 1);
	CHECK(round_trip(p, most, KB_COMPILE_MAX_BYTES));       /* the largest body there can be */
	out = kb_packer_pack(p, most, KB_COMPILE_MAX_BYTES + 1, &len); /* one byte more: refused */
	CHECK(kb_packer_unpack(p, out, len, &n) == NULL);
	free(out);
	free(most);
	/* hand-made frames: as declared (1 MiB) they unpack; 32 MiB is refused, whether declared
	 * or hidden behind a smaller size; so is 2 GiB declared over a few bytes */
	f = rle_frame(1u << 20, 8, &len);
	CHECK((out = kb_packer_unpack(p, f, len, &n)) != NULL && n == 1u << 20 && out[n - 1] == 'a');
	free(out);
	free(f);
	f = rle_frame(32u << 20, 256, &len);
	CHECK(len < 2000 && kb_packer_unpack(p, f, len, &n) == NULL);
	free(f);
	f = rle_frame(1u << 20, 256, &len);
	CHECK(kb_packer_unpack(p, f, len, &n) == NULL);
	free(f);
	f = rle_frame(0x7fffffffu, 1, &len);
	CHECK(kb_packer_unpack(p, f, len, &n) == NULL);
	free(f);
}

/* A note's entries packed together (kb_index_pack): consecutive short ones share a pack, a
 * long one starts its own, an empty body has a place too, and each comes back whole (title,
 * anchor, section or none, tags, body) from kb_packer_fields and kb_packer_body, from the
 * pack just unpacked or from another; a range outside its pack is refused. */
static void note_packs(struct kb_packer *p)
{
	size_t lens[] = {300, 0, 500, 40000, 200, 70000, 10};
	enum { N = sizeof lens / sizeof *lens };
	struct kb_entry es[N];
	struct kb_packed *v;
	char *texts[N];
	char path[] = "dir/note.md", title[] = "Redis 连接超时", empty[] = "", id0[] = "dir/note.md",
	     id4[] = "dir/note.md#a-\xe2\x80\xae", id[] = "dir/note.md#redis", section[] = "排查";
	memset(es, 0, sizeof es);
	for (size_t i = 0; i < N; i++) {
		texts[i] = sample((unsigned)i + 200, lens[i]);
		texts[i][lens[i]] = '\0';
		es[i].body = texts[i];
		es[i].body_len = lens[i];
		es[i].path = path;
		es[i].title = i == 2 ? empty : title;
		es[i].id = i == 0 ? id0 : i == 4 ? id4 : id;
		es[i].section = i % 3 ? section : NULL;
		if (i == 5) {
			kb_strv_push(&es[i].tags, "redis");
			kb_strv_push(&es[i].tags, "超时");
		}
	}
	CHECK(kb_index_pack(p, es, 0) == NULL);
	v = kb_index_pack(p, es, N);
	/* {300, 0, 500} together, 40000 alone (it would make the pack too large), {200},
	 * 70000 alone, {10} */
	CHECK_INT(v->n, 5);
	CHECK(v->pack[0] == 0 && v->pack[1] == 0 && v->pack[2] == 0 && v->pack[3] == 1 && v->pack[4] == 2 &&
	      v->pack[5] == 3 && v->pack[6] == 4);
	CHECK(v->at[0] == 0 && v->at[1] == v->len[0] && v->at[2] == v->len[0] + v->len[1] && v->at[3] == 0 &&
	      v->at[6] == 0);
	for (size_t i = 0; i < N; i++)
		CHECK(v->len[i] > lens[i] && v->len[i] < lens[i] + 64);
	for (int round = 0; round < 2; round++) { /* the second time in reverse: other packs between */
		for (size_t k = 0; k < N; k++) {
			size_t i = round ? N - 1 - k : k, n = 99;
			const struct kb_pack *pk = &v->packs[v->pack[i]];
			struct kb_pack_fields f;
			const char *anchor = kb_entry_anchor(&es[i]);
			char *body = kb_packer_body(p, pk->data, pk->len, (long long)v->at[i], (long long)v->len[i], &n);
			CHECK(body && n == lens[i] && memcmp(body, texts[i], n) == 0 && body[n] == '\0');
			free(body);
			CHECK(kb_packer_fields(p, pk->data, pk->len, (long long)v->at[i], (long long)v->len[i], &f) == 0);
			CHECK(f.n[KB_PACK_TITLE] == strlen(es[i].title) &&
			      memcmp(f.v[KB_PACK_TITLE], es[i].title, f.n[KB_PACK_TITLE]) == 0);
			CHECK(f.n[KB_PACK_ANCHOR] == strlen(anchor) && memcmp(f.v[KB_PACK_ANCHOR], anchor, strlen(anchor)) == 0);
			CHECK(es[i].section ? f.v[KB_PACK_SECTION] && f.n[KB_PACK_SECTION] == strlen(es[i].section) &&
			                              memcmp(f.v[KB_PACK_SECTION], es[i].section, f.n[KB_PACK_SECTION]) == 0
			                    : f.v[KB_PACK_SECTION] == NULL);
			CHECK(i == 5 ? f.n[KB_PACK_TAGS] == strlen("redis\n超时") &&
			                       memcmp(f.v[KB_PACK_TAGS], "redis\n超时", f.n[KB_PACK_TAGS]) == 0
			             : f.n[KB_PACK_TAGS] == 0);
			CHECK(f.body_len == lens[i] && memcmp(f.body, texts[i], lens[i]) == 0);
		}
	}
	{
		const struct kb_pack *pk = &v->packs[0];
		size_t n = 99, end = v->at[2] + v->len[2];
		CHECK(kb_packer_body(p, pk->data, pk->len, 0, (long long)end + 1, &n) == NULL); /* one past its end */
		CHECK(kb_packer_body(p, pk->data, pk->len, (long long)end + 1, 0, &n) == NULL);
		CHECK(kb_packer_body(p, pk->data, pk->len, -1, 10, &n) == NULL);
		CHECK(kb_packer_body(p, pk->data, pk->len, 10, -1, &n) == NULL);
		CHECK(kb_packer_body(p, pk->data, pk->len, 1LL << 62, 1LL << 62, &n) == NULL);
		CHECK(kb_packer_body(p, pk->data, pk->len - 1, 0, 10, &n) == NULL); /* a pack cut short */
		/* an entry cut anywhere in its fields is damaged, not read past its end */
		for (size_t cut = 0; cut < v->len[0] - lens[0]; cut++)
			CHECK(kb_packer_body(p, pk->data, pk->len, 0, (long long)cut, &n) == NULL);
		{
			char *body = kb_packer_body(p, pk->data, pk->len, 0, (long long)(v->len[0] - lens[0]), &n);
			CHECK(body != NULL);
			free(body);
		}
	}
	for (size_t i = 0; i < N; i++) {
		kb_strv_free(&es[i].tags);
		free(texts[i]);
	}
	kb_packed_free(v);
}

/* Fields whose lengths lie: past the entry, past 32 bits, a varint that never ends. */
static void bad_fields(void)
{
	static const struct {
		const char *s;
		size_t n;
	} bad[] = {
		{"", 0},                                    /* no title's length */
		{"\x05" "abc", 4},                            /* a title longer than the entry */
		{"\x00\x00\x00", 3},                        /* no tags' length */
		{"\xff\xff\xff\xff\xff\x01", 6},             /* a varint of 36 bits */
		{"\xff\xff\xff\xff\x7f\x00\x00\x00\x00", 9}, /* 2^35 - 1: past 32 bits */
		{"\x80\x80\x80", 3},                        /* a varint cut short */
		{"\x00\x00\x05" "ab\x00", 6},                /* a section past the end */
	};
	struct kb_pack_fields f;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(kb_pack_fields(bad[i].s, bad[i].n, &f) == -1);
	CHECK(kb_pack_fields("\x01T\x00\x00\x00" "body", 9, &f) == 0 && f.n[KB_PACK_TITLE] == 1 &&
	      f.v[KB_PACK_SECTION] == NULL && f.body_len == 4 && memcmp(f.body, "body", 4) == 0);
	CHECK(kb_pack_fields("\x00\x00\x01\x00", 4, &f) == 0 && f.v[KB_PACK_SECTION] && f.n[KB_PACK_SECTION] == 0 &&
	      f.body_len == 0);
}

SUITE(pack)
{
	char *samples[NSAMPLES];
	size_t sizes[NSAMPLES], flips, plen, refused, plen_dict, plen_plain;
	void *dict = NULL;
	size_t dict_len = 0;
	struct kb_packer *plain = kb_packer_new(NULL, 0), *trained;
	char *big = sample(99, 1 << 20), *p1, *p2;

	for (unsigned i = 0; i < NSAMPLES; i++) {
		samples[i] = sample(i, 300 + 40 * i);
		sizes[i] = strlen(samples[i]);
	}
	CHECK(kb_pack_train((const char *const *)samples, sizes, 8, &dict, &dict_len) == -1 && !dict);
	CHECK(kb_pack_train((const char *const *)samples, sizes, NSAMPLES, &dict, &dict_len) == 0);
	CHECK(dict && dict_len > 0);
	trained = kb_packer_new(dict, dict_len);
	free(dict); /* the packer keeps a copy */

	CHECK(round_trip(plain, "", 0));
	CHECK(round_trip(trained, "", 0));
	CHECK(round_trip(plain, "x", 1));
	CHECK(round_trip(trained, samples[3], sizes[3]));
	CHECK(round_trip(plain, samples[3], sizes[3]));
	CHECK(round_trip(trained, big, strlen(big)));
	CHECK(round_trip(trained, "a\0b", 3)); /* bytes, not a C string */

	/* the dictionary is what makes a short body small */
	p1 = kb_packer_pack(trained, samples[5], sizes[5], &plen_dict);
	p2 = kb_packer_pack(plain, samples[5], sizes[5], &plen_plain);
	CHECK(plen_dict < plen_plain);
	/* frames carry no magic number and no dictionary id: they start with the header's
	 * descriptor byte, whose top two bits give the content size field's width */
	CHECK(plen_dict >= 4 && memcmp(p1, "\x28\xb5\x2f\xfd", 4) != 0);
	/* a body packed with the dictionary cannot be read without it */
	{
		size_t n;
		char *wrong = kb_packer_unpack(plain, p1, plen_dict, &n);
		CHECK(wrong == NULL);
		free(wrong);
	}
	free(p1);
	free(p2);

	/* damaged bodies: every cut short of the whole is refused; most flips are seen (a flip
	 * in a literal can go unnoticed: there is no checksum, to keep bodies small) */
	refused = damaged(trained, samples[7], sizes[7], &plen, &flips);
	CHECK_INT(refused, plen);
	CHECK(flips > plen / 2);
	refused = damaged(plain, big, 5000, &plen, &flips);
	CHECK_INT(refused, plen);
	CHECK(flips > 0);
	CHECK(kb_packer_unpack(trained, "", 0, NULL) == NULL);
	CHECK(kb_packer_unpack(trained, "\xff\xff\xff\xff\xff\xff\xff\xff", 8, NULL) == NULL);
	bombs(plain);
	bombs(trained);
	note_packs(plain);
	note_packs(trained);
	bad_fields();

	for (unsigned i = 0; i < NSAMPLES; i++)
		free(samples[i]);
	free(big);
	kb_packer_free(plain);
	kb_packer_free(trained);
}
