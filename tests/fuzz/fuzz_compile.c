/* fuzz_compile.c - libFuzzer target: any bytes as a note, with front matter and a
 * components file cut from the same input. The compiler must never crash or leak. */
#include <stdint.h>
#include <string.h>

#include "kb/compile.h"
#include "kb/width.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kb_entries es = {0};
	struct kb_diags d = {0};
	struct kb_components *c = NULL;
	const char *text = (const char *)data;
	const uint8_t *split = memchr(data, 0xff, size < 512 ? size : 512);
	if (split) { /* bytes before a 0xff are a components file */
		c = kb_components_parse("components.yaml", text, (size_t)(split - data), &d);
		size -= (size_t)(split - data) + 1;
		text = (const char *)split + 1;
	}
	kb_compile("fuzz/note.md", text, size, c, &es, &d);
	for (size_t i = 0; i < d.n; i++) {
		struct kb_buf b = {0};
		kb_diag_format(&d.v[i], &b);
		kb_buf_free(&b);
	}
	kb_entries_free(&es);
	kb_diags_free(&d);
	kb_components_free(c);
	return 0;
}
