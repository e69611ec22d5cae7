/* test_tokenizer.c - the kb FTS5 tokenizer: CJK pairs, identifier parts, unicode61 folding. */
#include <stdlib.h>

#include <string.h>

#include "../../src/index_priv.h"
#include "harness.h"
#include "kb/tokenizer.h"

/* kb_xtokenize's own cutting (ASCII, common CJK) against unicode61 doing all of it: the same
 * tokens, flags and offsets, as a document, a query, a prefix query and for snippets. */
static bool same_both_ways(const char *text, size_t len)
{
	static const int flags[] = {FTS5_TOKENIZE_DOCUMENT, FTS5_TOKENIZE_QUERY,
	                            FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX, FTS5_TOKENIZE_AUX};
	static int shown;
	bool same = true;
	for (size_t f = 0; f < sizeof flags / sizeof *flags; f++) {
		struct kb_buf why = {0};
		if (kb_tokenizer_cuts_agree(text, len, flags[f], &why) != 1) {
			if (shown++ == 0) /* the first difference is enough to go on */
				fprintf(stderr, "tokenizer: its own cutting and unicode61's differ on \"%.*s\" (flags %d):\n%s",
				        (int)len, text, flags[f], kb_buf_str(&why));
			same = false;
		}
		kb_buf_free(&why);
	}
	return same;
}

static void fast_path_matches_unicode61(void)
{
	/* pieces where ASCII and unicode61's cutting meet: accents and combining marks next to
	 * ASCII letters, full-width letters and spaces, CJK, bytes that are not UTF-8, long
	 * identifiers around PART_MAX (128), NUL */
	static const char *const pieces[] = {
		"a", "Z", "q", "0", "9", "_", " ", "-", ".", "/", ":", "\n", "\t", "'", "\"", "\x7f", "\x01",
		"\xc3\xa9", "E\xcc\x81", "\xcc\x81", "\xef\xbc\xa1", "\xe3\x80\x80", "\xe3\x80\x82", "\xe9\x95\x9c",
		"\xe5\x83\x8f", "\xe3\x83\xad", "\xed\x95\x9c", "\x80", "\xc3", "\xff", "\xf0\x9f\x98\x80",
		"\xe2\x80\x8b", "\xc2\xa0", "\xc2\xb5", "getAccessToken", "MANIFEST_UNKNOWN", "HTTPServer",
		"0x80070005", "\0", "\xef\xbc\x8c", "\xe3\x80\x81", "\xe3\x80\x8c", "\xe3\x80\x8d",
		"\xe3\x80\x8a", "\xe2\x80\x9c", "\xe2\x80\x94", "\xe2\x80\xa6", "\xc2\xb7", "\xef\xbc\x9f",
		"\xe4\xb8\x80", "\xe9\xbe\xa5", "\xe9\xbe\xa6", "\xe3\x80\x85", "\xe3\x80\x87", "\xe4\xb8",
		"\xef\xbd\xa1", "\xe3\x80\x93", "\xe3\x80\xaa"};
	static const char *const fixed[] = {
		"", "abc", "  abc  def ", "Élan CAFÉ élan", "cafe\xcc\x81s", "错误信息为toolbox.failReason",
		"ＡＢＣ abc", "abc\xe3\x80\x80" "def", "x\x80y", "\xc3" "abc", "a_b_c __x__ _",
	};
	struct kb_buf b = {0};
	uint32_t seed = 20261127;
	size_t fails = 0;
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		fails += !same_both_ways(fixed[i], strlen(fixed[i]));
	for (int len = 120; len <= 140; len++) { /* one identifier about PART_MAX long */
		kb_buf_free(&b);
		for (int k = 0; k < len; k++)
			kb_buf_putc(&b, "aB_c"[k % 4]);
		kb_buf_puts(&b, " \xc3\xa9");
		fails += !same_both_ways(kb_buf_str(&b), b.len);
	}
	/* every code point kb_xtokenize decides on by itself, between ASCII, ideographs and
	 * each other, and the ones around them */
	kb_buf_free(&b);
	for (uint32_t cp = 0x80; cp <= 0xFFFF; cp++) {
		char u[4];
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 0x3F)), u[2] = (char)(0x80 | (cp & 0x3F));
		if (cp < 0x800)
			u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F));
		kb_buf_put(&b, u, cp < 0x800 ? 2 : 3);
		kb_buf_puts(&b, cp % 3 ? "a" : cp % 5 ? "\xe4\xb8\x80 " : "_Z");
		if (cp % 64 == 0 || cp == 0xFFFF) {
			fails += !same_both_ways(kb_buf_str(&b), b.len);
			kb_buf_free(&b);
		}
	}
	for (int n = 0; n < 600; n++) { /* random strings of those pieces, the same each run */
		kb_buf_free(&b);
		for (int k = 0; k < 24; k++) {
			const char *p;
			seed = seed * 1103515245u + 12345u;
			p = pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)];
			kb_buf_put(&b, p, *p ? strlen(p) : 1);
		}
		fails += !same_both_ways(kb_buf_str(&b), b.len);
	}
	{
		char *md;
		size_t len;
		struct kb_err err;
		if (CHECK(kb_read_file("kb/paas/deployment-issues.md", 1 << 20, &md, &len, &err) == 0)) {
			fails += !same_both_ways(md, len);
			free(md);
		}
	}
	kb_buf_free(&b);
	CHECK_INT(fails, 0);
}

/* Tokens of text as "tok@pos tok@pos ...". */
static void toks(const char *text, bool query, const char *want)
{
	struct kb_strv out = {0};
	struct kb_err err;
	char *got;
	CHECK(kb_tokenizer_dump(text, query, &out, &err) == 0);
	got = kb_strv_join(&out, " ");
	CHECK_STR(got, want);
	free(got);
	kb_strv_free(&out);
}

SUITE(tokenizer)
{
	/* CJK runs: overlapping pairs, and the last character alone at the last pair's place */
	toks("导出镜像时", false, "导出@0 出镜@1 镜像@2 像时@3 时@3");
	toks("镜像", true, "镜像@0");
	toks("导出镜像", true, "导出@0 出镜@1 镜像@2");
	toks("像", true, "像@0");
	toks("错误信息为toolbox", false, "错误@0 误信@1 信息@2 息为@3 为@3 toolbox@4");
	toks("信息为toolbox", true, "信息@0 息为@1 toolbox@2");
	toks("为toolbox", true, "为@0 toolbox@1");
	toks("部署，导出", false, "部署@0 署@0 导出@1 出@1");
	toks("ログイン失敗", false, "ログ@0 グイ@1 イン@2 ン失@3 失敗@4 敗@4");
	toks("한국어 문서", false, "한국@0 국어@1 어@1 문서@2 서@2");
	/* identifiers: whole, and their parts at the same place in documents only */
	toks("MANIFEST_UNKNOWN", false, "manifest_unknown@0 manifest@0 unknown@0");
	toks("MANIFEST_UNKNOWN", true, "manifest_unknown@0");
	toks("getAcceccToken", false, "getaccecctoken@0 get@0 accecc@0 token@0");
	toks("toolbox.swr.bin.failReason", false, "toolbox@0 swr@1 bin@2 failreason@3 fail@3 reason@3");
	toks("HTTPServer", false, "httpserver@0 http@0 server@0");
	toks("umebn-unified-servicecenter", false, "umebn@0 unified@1 servicecenter@2");
	toks("0x80070005 v12.19.10.b06", false, "0x80070005@0 v12@1 19@2 10@3 b06@4");
	/* English words: as written in documents (their forms are the query's business) */
	toks("Draining nodes drain", false, "draining@0 nodes@1 drain@2");
	toks("ImagePullBackOff PENDING runs2 ran", false,
	     "imagepullbackoff@0 image@0 pull@0 back@0 off@0 pending@1 runs2@2 ran@3");
	toks("draining", true, "draining@0");
	/* a query word the query layer marked: the word, its stem and the forms it was given as
	 * synonyms (a form that is not a plain word is dropped) */
	toks("\001draining", true, "draining@0 drain@0");
	toks("\001Draining", true, "draining@0 drain@0");
	toks("\001drain", true, "drain@0");
	toks("\001exceeding\001exceeds\001exceeded", true, "exceeding@0 exceed@0 exceeds@0 exceeded@0");
	toks("\001draining\001drain_x\001\001Drain", true, "draining@0 drain@0 drain@0");
	toks("\001HY000", true, "hy000@0");
	toks("\001HY000\001hy", true, "hy000@0 hy@1");
	/* unicode61 folding outside CJK */
	toks("Élan CAFÉ", false, "elan@0 cafe@1");
	toks("", false, "");
	fast_path_matches_unicode61();
}
