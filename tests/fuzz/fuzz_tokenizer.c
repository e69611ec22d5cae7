/* fuzz_tokenizer.c - libFuzzer target: the kb FTS5 tokenizer over any bytes, as a document
 * and as a query. */
#include <stdint.h>
#include <stdlib.h>

#include "kb/tokenizer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = kb_xstrndup((const char *)data, size);
	struct kb_err err;
	for (int q = 0; q < 2; q++) {
		struct kb_strv out = {0};
		if (kb_tokenizer_dump(text, q, &out, &err) != 0)
			abort();
		kb_strv_free(&out);
	}
	free(text);
	return 0;
}
