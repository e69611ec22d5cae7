/* test_util.c - growable strings, string vectors, JSON quoting. */
#include <stdlib.h>

#include <unistd.h>

#include "harness.h"
#include "kb/util.h"

SUITE(util)
{
	{ /* joining: what kb_xasprintf("%s%s%s") gives, empty parts included */
		static const char *const parts[] = {"", "a", "notes/redis", "连接#1"};
		for (size_t i = 0; i < KB_NELEM(parts); i++)
			for (size_t j = 0; j < KB_NELEM(parts); j++)
				for (size_t k = 0; k < KB_NELEM(parts); k++) {
					char *got = kb_xjoin(parts[i], parts[j], parts[k]);
					char *want = kb_xasprintf("%s%s%s", parts[i], parts[j], parts[k]);
					CHECK_STR(got, want);
					free(got);
					free(want);
				}
	}
	{ /* reading whole files: every size around the buffer's edges, the limit, a file whose
	   size says 0 (procfs), not a regular file */
		static const size_t sizes[] = {0, 1, 4095, 4096, 4097, 65536, 65537, 200000};
		char path[] = "/tmp/kbunit-read.XXXXXX";
		int fd = mkstemp(path);
		if (CHECK(fd >= 0)) {
			for (size_t k = 0; k < KB_NELEM(sizes); k++) {
				char *want = kb_xmalloc(sizes[k] + 1), *got = NULL;
				size_t len = 0;
				long long size = -1, mtime = -1;
				struct kb_err err;
				for (size_t i = 0; i < sizes[k]; i++)
					want[i] = (char)('a' + (i * 7 + k) % 26);
				if (ftruncate(fd, 0) != 0 || pwrite(fd, want, sizes[k], 0) != (ssize_t)sizes[k])
					CHECK(false);
				CHECK(kb_read_file_times(path, 200000, &got, &len, &size, &mtime, NULL, &err) == 0);
				CHECK(got && len == sizes[k] && memcmp(got, want, len) == 0 && got[len] == '\0');
				CHECK(size == (long long)sizes[k] && mtime > 0);
				free(got);
				got = NULL;
				{ /* asked whether it was in the page cache (it was: just written) */
					bool uncached = false;
					CHECK(kb_read_file_times(path, 200000, &got, &len, NULL, NULL, &uncached, &err) == 0);
					CHECK(got && len == sizes[k] && memcmp(got, want, len) == 0 && got[len] == '\0');
					CHECK(!uncached);
					free(got);
					got = NULL;
				}
				CHECK(kb_read_file(path, sizes[k] ? sizes[k] - 1 : 0, &got, &len, &err) == (sizes[k] ? -1 : 0));
				if (sizes[k])
					CHECK(err.code == KB_ERR_TOO_BIG && strstr(err.msg, "larger than") != NULL);
				free(got);
				free(want);
			}
			close(fd);
			unlink(path);
		}
		{
			char *got = NULL;
			size_t len = 0;
			struct kb_err err;
			if (CHECK(kb_read_file("/proc/self/status", 1 << 20, &got, &len, &err) == 0))
				CHECK(len > 100 && strstr(got, "Name:") != NULL && strlen(got) == len);
			free(got);
			got = NULL;
			if (CHECK(kb_read_file("/proc/self/smaps", 1 << 24, &got, &len, &err) == 0)) /* says 0, holds more than 4 KiB */
				CHECK(len > 8192 && strlen(got) == len && got[len - 1] == '\n');
			free(got);
			got = NULL;
			{ /* procfs refuses a read that may not wait: read as usual */
				bool uncached = false;
				if (CHECK(kb_read_file_times("/proc/self/smaps", 1 << 24, &got, &len, NULL, NULL, &uncached, &err) == 0))
					CHECK(len > 8192 && strlen(got) == len && got[len - 1] == '\n');
				free(got);
			}
			CHECK(kb_read_file("/tmp", 1 << 20, &got, &len, &err) == -1);
		}
	}
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
	/* whatever bytes the index holds, the JSON is UTF-8: malformed forms are replaced, C1
	 * controls escaped */
	{
		static const char *const bad[][2] = {
			{"\xc0\x80", "\\ufffd\\ufffd"},                           /* NUL, overlong */
			{"\xc1\x9b", "\\ufffd\\ufffd"},                           /* '[' overlong, a CSI byte after */
			{"\xe0\x80\xaf", "\\ufffd\\ufffd\\ufffd"},                /* '/' overlong */
			{"\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd"},                /* a surrogate */
			{"\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd"},     /* past U+10FFFF */
			{"\xf8\x88\x80\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd"},
			{"a\x80\x9b", "a\\ufffd\\ufffd"},                         /* bare continuations */
			{"\xc2\x80\xc2\x9d\xc2\x9f\xc2\xa0", "\\u0080\\u009d\\u009f\xc2\xa0"}, /* C1 escaped */
			{"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},                 /* U+1F600 stays */
		};
		for (size_t i = 0; i < KB_NELEM(bad); i++) {
			char *want = kb_xasprintf("\"%s\"", bad[i][1]);
			kb_buf_reset(&b);
			kb_buf_json(&b, bad[i][0]);
			CHECK_STR(b.s, want);
			free(want);
		}
	}
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
