/* fuzz_normalize.c - libFuzzer target: signatures, words, similarity and error shapes of
 * any bytes; a signature must be stable (normalising it again changes nothing it should). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kb/normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char *sig = kb_normalize(s, size);
	if (!kb_normalize_first_kinds_agree(s, size))
		abort(); /* matchers tried by the first byte: every signature as with all of them */
	struct kb_strv words = {0};
	double sim;
	kb_normalize_words(sig, &words);
	sim = kb_normalize_similarity(sig, sig);
	if (sim < 0 || sim > 1.0000001)
		abort();
	sim = kb_normalize_similarity(sig, "could not connect to redis at <ip>: connection refused");
	if (sim < 0 || sim > 1.0000001)
		abort();
	kb_normalize_errorish(s, size);
	kb_normalize_is_code(s, size);
	kb_strv_free(&words);
	free(sig);
	return 0;
}
