/* fuzz_render.c - libFuzzer target: any bytes as markdown, rendered at several widths with
 * and without highlights, through every printer. Checked: no line but code wider than the
 * width, spans as wide as they say, and no byte of the note as a terminal control. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kb/render.h"
#include "kb/width.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *resolve(void *ctx, const char *target, enum kb_link_kind *kind)
{
	(void)ctx;
	*kind = strstr(target, ".md") ? KB_LINK_ENTRY : KB_LINK_FILE;
	return strlen(target) % 2 ? kb_xstrdup(target) : NULL;
}

static void check_doc(const struct kb_doc *d)
{
	for (size_t i = 0; i < d->nlines; i++) {
		const struct kb_line *l = &d->lines[i];
		int sum = 0;
		for (size_t j = 0; j < l->nspans; j++) {
			const struct kb_span *s = &d->spans[l->span + j];
			const char *t = kb_span_text(d, s);
			for (size_t k = 0; k < s->len; k++)
				if ((unsigned char)t[k] < 0x20 || t[k] == 0x7f)
					abort(); /* a control byte in a span */
			if ((size_t)s->width != kb_width_str(t, s->len))
				abort();
			sum += s->width;
		}
		if (sum != l->width || (l->code < 0 && l->width > d->width))
			abort();
	}
}

static void check_ansi(const struct kb_buf *b)
{
	for (const char *p = kb_buf_str(b); (p = strchr(p, '\033')); p++) {
		const char *q = p + 1;
		if (*q++ != '[')
			abort();
		while ((*q >= '0' && *q <= '9') || *q == ';')
			q++;
		if (*q != 'm')
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int widths[] = {10, 13, 24, 41, 80};
	static const char *const words[] = {"error", "镜像", "a", NULL};
	for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
		struct kb_render_opts o = {
			.width = widths[w], .highlight = w % 2 ? words : NULL, .ascii = w == 2,
			.marks = w == 3, .base = "dir/note.md", .resolve = resolve};
		struct kb_doc *d = kb_render((const char *)data, size, &o);
		struct kb_buf b = {0};
		struct kb_doc_pos *pos = NULL;
		check_doc(d);
		kb_doc_plain(d, &b);
		if (memchr(b.s ? b.s : "", '\033', b.len))
			abort();
		kb_buf_reset(&b);
		kb_doc_ansi(d, &b);
		check_ansi(&b);
		kb_buf_reset(&b);
		kb_doc_tagged(d, &b);
		kb_buf_free(&b);
		free(pos);
		kb_doc_find(d, "e", &pos);
		free(pos);
		kb_doc_mark(d, "a", KB_ATTR_FIND);
		check_doc(d);
		kb_doc_free(d);
	}
	return 0;
}
