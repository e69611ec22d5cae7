/* test_util.c - growable strings, string vectors, JSON quoting. */
#include <stdlib.h>

#include "harness.h"
#include "kb/util.h"

SUITE(util)
{
	{ /* the word-byte table: letters, digits and '_', nothing else */
		int wrong = 0;
		for (int c = 0; c < 256; c++)
			wrong += kb_ascii_isword((unsigned char)c) != (kb_ascii_isalnum(c) || c == '_');
		CHECK_INT(wrong, 0);
	}
	struct kb_buf b = {0};
	CHECK_STR(kb_buf_str(&b), "");
	kb_buf_printf(&b, "%d-%s", 42, "x");
	kb_buf_putc(&b, '!');
	CHECK_STR(b.s, "42-x!");
	CHECK_INT(b.len, 5);
	kb_buf_reset(&b);
	kb_buf_json(&b, "a\"b\\c\n\x1b");
	CHECK_STR(b.s, "\"a\\\"b\\\\c\\n\\u001b\"");
	kb_buf_reset(&b);
	kb_buf_json(&b, "\xc2\x9b" "a\xe2\x80\xae" "b\xff镜");
	CHECK_STR(b.s, "\"\\u009ba\\u202eb\\ufffd镜\"");
	char *s = kb_buf_take(&b);
	CHECK(b.s == NULL);
	free(s);

	struct kb_strv sv = {0};
	CHECK(kb_strv_add_unique(&sv, "b"));
	CHECK(kb_strv_add_unique(&sv, "a"));
	CHECK(!kb_strv_add_unique(&sv, "b"));
	kb_strv_sort(&sv);
	char *j = kb_strv_join(&sv, ",");
	CHECK_STR(j, "a,b");
	free(j);
	kb_strv_free(&sv);

	CHECK(kb_hash64("abc", 3) != kb_hash64("abd", 3));
	{ /* a file's hash: every byte and the length count, the tail bytes too */
		char a[40], flip[40];
		size_t same = 0;
		memset(a, 'x', sizeof a);
		for (size_t n = 0; n <= sizeof a; n++) {
			same += n && kb_hash_file(a, n) == kb_hash_file(a, n - 1);
			for (size_t i = 0; i < n; i++) {
				memcpy(flip, a, sizeof flip);
				flip[i] ^= 1;
				same += kb_hash_file(a, n) == kb_hash_file(flip, n);
			}
		}
		CHECK_INT(same, 0);
		CHECK(kb_hash_file("abc", 3) == kb_hash_file("abc", 3));
	}
	CHECK(kb_memcasemem("Hello World", 11, "WORLD") != NULL);
	CHECK(kb_memcasemem("Hello", 5, "hellos") == NULL);
	CHECK(kb_ascii_strcaseeq("ReDiS", "redis"));
}
