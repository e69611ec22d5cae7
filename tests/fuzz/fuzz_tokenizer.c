/* fuzz_tokenizer.c - libFuzzer target: the kb FTS5 tokenizer over any bytes, as a document
 * and as a query; and its own cutting of ASCII and common CJK against unicode61 doing all of
 * it, which must give the same tokens, flags and offsets (abort otherwise). */
#include <stdint.h>
#include <stdlib.h>

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
	for (size_t f = 0; f < sizeof flags / sizeof *flags; f++)
		if (kb_tokenizer_cuts_agree((const char *)data, size, flags[f], NULL) != 1)
			abort();
	return 0;
}
