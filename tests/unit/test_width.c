/* test_width.c - UTF-8 decoding, display widths, CJK classes and sanitising. */
#include "harness.h"
#include "kb/width.h"

static size_t w(const char *s)
{
	return kb_width_str(s, strlen(s));
}

static void check_sanitize(const char *in, const char *want)
{
	struct kb_buf b = {0};
	kb_sanitize(&b, in, strlen(in), false);
	CHECK_STR(kb_buf_str(&b), want);
	kb_buf_free(&b);
}

SUITE(width)
{
	uint32_t cp;
	CHECK_INT(kb_utf8_decode("\xe9\x95\x9c", 3, &cp), 3);
	CHECK_INT(cp, 0x955C);
	CHECK_INT(kb_utf8_decode("\xe9\x95", 2, &cp), 1); /* truncated */
	CHECK(cp == KB_UTF8_BAD);
	CHECK_INT(kb_utf8_decode("\xc0\xaf", 2, &cp), 1); /* overlong */
	CHECK(cp == KB_UTF8_BAD);
	CHECK_INT(kb_utf8_decode("\xed\xa0\x80", 3, &cp), 1); /* surrogate */
	{ /* the in-line three-byte path agrees with the whole decoder on every lead E0-EF pair */
		size_t wrong = 0;
		for (unsigned lead = 0xE0; lead <= 0xEF; lead++)
			for (unsigned b = 0; b < 65536; b++) {
				char seq[3] = {(char)lead, (char)(b >> 8), (char)(b & 0xFF)};
				uint32_t a, z;
				for (size_t n = 1; n <= 3; n++)
					wrong += kb_utf8_decode(seq, n, &a) != kb_utf8_decode_any(seq, n, &z) || a != z;
			}
		CHECK_INT(wrong, 0);
	}
	CHECK_INT(kb_utf8_check("ok\xff", 3), 2);
	/* a bad byte anywhere among ASCII ones (read eight at a time), or a sequence cut short */
	for (size_t at = 0; at < 20; at++) {
		char buf[21];
		memset(buf, 'a', 20);
		buf[at] = '\xc3';
		CHECK_INT(kb_utf8_check(buf, 20), at); /* a lead byte followed by ASCII */
		buf[at] = '\x80';
		CHECK_INT(kb_utf8_check(buf, 20), at);
		if (at + 2 <= 20) {
			memcpy(buf + at, "\xc3\xa9", 2);
			CHECK_INT(kb_utf8_check(buf, 20), 20);
		}
	}
	CHECK_INT(kb_utf8_check("abcdefg\xe4\xb8", 9), 7);
	char enc[4];
	CHECK_INT(kb_utf8_encode(0x1F600, enc), 4);

	CHECK_INT(w("abc"), 3);
	CHECK_INT(w("镜像"), 4);
	CHECK_INT(w("e\xcc\x81"), 1);          /* e + combining acute */
	CHECK_INT(w("，"), 2);                  /* fullwidth comma */
	CHECK_INT(w("\x1b"), 2);                /* shown as ^[ */
	CHECK(kb_width_is_cjk(0x955C));
	CHECK(kb_width_is_cjk(0x30AB)); /* カ */
	CHECK(kb_width_is_cjk(0xD55C)); /* 한 */
	CHECK(!kb_width_is_cjk('a'));
	CHECK(!kb_width_is_cjk(0xFF0C));
	CHECK(kb_width_is_cjk_punct(0xFF0C));
	CHECK(kb_width_is_cjk_punct(0x3002));

	check_sanitize("a\x1b[2Jb", "a^[[2Jb");
	check_sanitize("\x1b]52;c;AAAA\x07", "^[]52;c;AAAA^G");
	check_sanitize("x\xc2\x9by", "x<U+009B>y");        /* C1 CSI */
	check_sanitize("\xe2\x80\xae" "evil", "<U+202E>evil"); /* bidi override */
	check_sanitize("bad\xff", "bad<FF>");
	check_sanitize("tab\there", "tab^Ihere");
	check_sanitize("镜像 ok", "镜像 ok");
}
