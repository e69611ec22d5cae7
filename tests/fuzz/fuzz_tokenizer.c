/* fuzz_tokenizer.c - libFuzzer target: the kb FTS5 tokenizer over any bytes, as a document
 * and as a query; and its own cutting of ASCII and common CJK against unicode61 doing all of
 * it, which must give the same tokens, flags and offsets (abort otherwise). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/index_priv.h"
#include "kb/tokenizer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int flags[] = {FTS5_TOKENIZE_DOCUMENT, FTS5_TOKENIZE_QUERY, FTS5_TOKENIZE_AUX};
	char *text = kb_xstrndup((const char *)data, size);
	struct kb_err err;
	for (int q = 0; q < 2; q++) {
		struct kb_strv out = {0};
		if (kb_tokenizer_dump(text, q, &out, &err) != 0)
			abort();
		kb_strv_free(&out);
	}
	free(text);
	for (size_t f = 0; f < sizeof flags / sizeof *flags; f++) {
		struct kb_buf fast = {0}, slow = {0};
		kb_tokenizer_own_cuts = true;
		if (kb_tokenizer_trace((const char *)data, size, flags[f], &fast) != 0)
			abort();
		kb_tokenizer_own_cuts = false;
		if (kb_tokenizer_trace((const char *)data, size, flags[f], &slow) != 0)
			abort();
		kb_tokenizer_own_cuts = true;
		if (fast.len != slow.len || memcmp(kb_buf_str(&fast), kb_buf_str(&slow), fast.len) != 0)
			abort();
		kb_buf_free(&fast);
		kb_buf_free(&slow);
	}
	return 0;
}
