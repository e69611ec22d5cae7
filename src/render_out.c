/* render_out.c - a rendered document's printers (plain, ANSI, tagged) and searching within it. */
#include <stdlib.h>
#include <string.h>

#include "kb/width.h"
#include "render_impl.h"

/* ---- Printers ------------------------------------------------------------------------ */

void kb_doc_plain(const struct kb_doc *doc, struct kb_buf *out)
{
	for (size_t i = 0; i < doc->nlines; i++) {
		const struct kb_line *l = &doc->lines[i];
		for (size_t j = 0; j < l->nspans; j++)
			kb_buf_put(out, l->spans[j].text, l->spans[j].len);
		kb_buf_putc(out, '\n');
	}
}

/* SGR parameters for each style: only attributes and the eight basic colours, which
 * terminals adapt to dark and light backgrounds alike (no yellow, no blue text). */
static const char *const sgr_style[KB_STYLE__COUNT] = {
	[KB_STYLE_H1] = "1;4;35",
	[KB_STYLE_H2] = "1;35",
	[KB_STYLE_H3] = "1",
	[KB_STYLE_H4] = "1;3",
	[KB_STYLE_CODE] = "36",
	[KB_STYLE_CODEBLOCK] = "36",
	[KB_STYLE_CODELABEL] = "2",
	[KB_STYLE_LINK] = "4",
	[KB_STYLE_LINKREF] = "2",
	[KB_STYLE_MISSING] = "4;31",
	[KB_STYLE_IMAGE] = "3;4",
	[KB_STYLE_QUOTE] = "2",
	[KB_STYLE_MARKER] = "1",
	[KB_STYLE_RULE] = "2",
	[KB_STYLE_HTML] = "35",
	[KB_STYLE_ESCAPE] = "1;31",
};

static void put_sgr(struct kb_buf *out, unsigned style, unsigned attr)
{
	static const struct {
		unsigned attr;
		const char *sgr;
	} attrs[] = {
		{KB_ATTR_STRONG, "1"}, {KB_ATTR_EMPH, "3"}, {KB_ATTR_STRIKE, "9"},
		{KB_ATTR_MATCH, "7"}, {KB_ATTR_FIND, "30;43"},
	};
	const char *s = style < KB_STYLE__COUNT ? sgr_style[style] : NULL;
	bool any = s != NULL;
	kb_buf_puts(out, "\x1b[");
	if (s)
		kb_buf_puts(out, s);
	for (size_t i = 0; i < KB_NELEM(attrs); i++) {
		if (!(attr & attrs[i].attr))
			continue;
		if (any)
			kb_buf_putc(out, ';');
		kb_buf_puts(out, attrs[i].sgr);
		any = true;
	}
	kb_buf_puts(out, any ? "m" : "0m");
}

void kb_doc_ansi(const struct kb_doc *doc, struct kb_buf *out)
{
	for (size_t i = 0; i < doc->nlines; i++) {
		const struct kb_line *l = &doc->lines[i];
		for (size_t j = 0; j < l->nspans; j++) {
			const struct kb_span *s = &l->spans[j];
			bool plain = s->style == KB_STYLE_TEXT && s->attr == 0;
			if (!plain)
				put_sgr(out, s->style, s->attr);
			kb_buf_put(out, s->text, s->len);
			if (!plain)
				kb_buf_puts(out, "\x1b[0m");
		}
		kb_buf_putc(out, '\n');
	}
}

static const char *const style_names[KB_STYLE__COUNT] = {
	"text", "h1", "h2", "h3", "h4", "code", "codeblock", "codelabel", "link", "linkref",
	"missing", "image", "quote", "marker", "rule", "html", "escape",
};

static void put_tag(struct kb_buf *out, const struct kb_span *s)
{
	static const char *const attr_names[] = {"emph", "strong", "match", "strike", "find"};
	const char *sep = "";
	kb_buf_putc(out, '{');
	if (s->style != KB_STYLE_TEXT || s->attr == 0) {
		kb_buf_puts(out, s->style < KB_STYLE__COUNT ? style_names[s->style] : "?");
		sep = "+";
	}
	for (size_t i = 0; i < KB_NELEM(attr_names); i++) {
		if (s->attr & (1u << i)) {
			kb_buf_printf(out, "%s%s", sep, attr_names[i]);
			sep = "+";
		}
	}
	if (s->link >= 0)
		kb_buf_printf(out, "@%d", s->link);
	kb_buf_putc(out, '}');
}

static const char *const kind_names[] = {"url", "entry", "file", "anchor", "missing"};

static void tagged_meta(const struct kb_doc *doc, struct kb_buf *out)
{
	for (size_t i = 0; i < doc->nlinks; i++) {
		const struct kb_link *l = &doc->links[i];
		struct kb_buf res = {0};
		if (l->resolved)
			kb_sanitize(&res, l->resolved, strlen(l->resolved), false);
		kb_buf_printf(out, "link %zu: %s%s [%d] line %d text \"%s\" target \"%s\"%s%s%s\n", i,
		              kind_names[l->kind], l->image ? " image" : "", l->number, l->line + 1,
		              l->text, l->target, l->resolved ? " resolved \"" : "",
		              kb_buf_str(&res), l->resolved ? "\"" : "");
		kb_buf_free(&res);
	}
	for (size_t i = 0; i < doc->ncodes; i++) {
		const struct kb_code *c = &doc->codes[i];
		kb_buf_printf(out, "code %zu: ", i);
		if (c->nlines > 0)
			kb_buf_printf(out, "lines %d-%d", c->first_line + 1, c->first_line + c->nlines);
		else
			kb_buf_puts(out, "no lines");
		kb_buf_printf(out, " info \"%s\" bytes %zu\n", c->info ? c->info : "", strlen(c->text));
	}
	if (doc->refs_line >= 0)
		kb_buf_printf(out, "references: line %d\n", doc->refs_line + 1);
}

void kb_doc_tagged(const struct kb_doc *doc, struct kb_buf *out)
{
	for (size_t i = 0; i < doc->nlines; i++) {
		const struct kb_line *l = &doc->lines[i];
		for (size_t j = 0; j < l->nspans; j++) {
			const struct kb_span *s = &l->spans[j];
			bool plain = s->style == KB_STYLE_TEXT && s->attr == 0 && s->link < 0;
			if (!plain)
				put_tag(out, s);
			kb_buf_put(out, s->text, s->len);
			if (!plain)
				kb_buf_puts(out, "{/}");
		}
		kb_buf_putc(out, '\n');
	}
	kb_buf_puts(out, "----\n");
	tagged_meta(doc, out);
}

/* ---- Searching ----------------------------------------------------------------------- */

/* A line's text, all spans end to end. */
static void line_text(const struct kb_line *l, struct kb_buf *b)
{
	kb_buf_reset(b);
	kb_buf_put(b, "", 0);
	for (size_t j = 0; j < l->nspans; j++)
		kb_buf_put(b, l->spans[j].text, l->spans[j].len);
}

static bool is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* Calls fn for each occurrence of pattern in line li: bytes [start, end) of its text. */
typedef void (*hit_fn)(void *ctx, size_t li, const struct kb_buf *text, size_t start, size_t end);

static size_t find_all(const struct kb_doc *doc, const char *pattern, hit_fn fn, void *ctx)
{
	size_t n = 0, plen = pattern ? strlen(pattern) : 0;
	struct kb_buf b = {0};
	if (plen == 0)
		return 0;
	for (size_t li = 0; li < doc->nlines; li++) {
		line_text(&doc->lines[li], &b);
		const char *at;
		size_t pos = 0;
		while ((at = kb_memcasemem(b.s + pos, b.len - pos, pattern)) != NULL) {
			size_t start = (size_t)(at - b.s), end = start + plen;
			pos = start + 1;
			if (is_cont((unsigned char)b.s[start]) ||
			    (end < b.len && is_cont((unsigned char)b.s[end])))
				continue; /* not on character boundaries */
			fn(ctx, li, &b, start, end);
			n++;
			pos = end;
		}
	}
	kb_buf_free(&b);
	return n;
}

/* The position of bytes [start, end) of line li. */
static struct kb_doc_pos pos_of(const struct kb_doc *doc, size_t li, const struct kb_buf *text,
                                size_t start, size_t end)
{
	const struct kb_line *l = &doc->lines[li];
	struct kb_doc_pos p = {.line = (int)li};
	size_t off = 0;
	for (size_t j = 0; j < l->nspans; j++) {
		if (start < off + l->spans[j].len) {
			p.span = j;
			p.byte = start - off;
			break;
		}
		off += l->spans[j].len;
	}
	p.col = (int)kb_width_str(text->s, start);
	p.width = (int)kb_width_str(text->s + start, end - start);
	return p;
}

struct pos_list {
	const struct kb_doc *doc;
	struct kb_doc_pos *v;
	size_t n, cap;
};

static void add_pos(void *ctx, size_t li, const struct kb_buf *text, size_t start, size_t end)
{
	struct pos_list *pl = ctx;
	kb_xgrow(&pl->v, &pl->cap, pl->n + 1, sizeof *pl->v);
	pl->v[pl->n++] = pos_of(pl->doc, li, text, start, end);
}

size_t kb_doc_find(const struct kb_doc *doc, const char *pattern, struct kb_doc_pos **out)
{
	struct pos_list pl = {.doc = doc};
	find_all(doc, pattern, add_pos, &pl);
	*out = pl.v;
	return pl.n;
}

size_t kb_doc_runs(const struct kb_doc *doc, unsigned attr, struct kb_doc_pos **out)
{
	struct pos_list pl = {.doc = doc};
	for (size_t li = 0; li < doc->nlines && attr; li++) {
		const struct kb_line *l = &doc->lines[li];
		int col = 0;
		for (size_t j = 0; j < l->nspans; j++) {
			const struct kb_span *s = &l->spans[j];
			bool on = (s->attr & attr) == attr;
			bool cont = on && j > 0 && (l->spans[j - 1].attr & attr) == attr;
			if (cont) {
				pl.v[pl.n - 1].width += s->width;
			} else if (on) {
				kb_xgrow(&pl.v, &pl.cap, pl.n + 1, sizeof *pl.v);
				pl.v[pl.n++] = (struct kb_doc_pos){(int)li, col, s->width, j, 0};
			}
			col += s->width;
		}
	}
	*out = pl.v;
	return pl.n;
}

/* Splits span j of line l at byte k (0 < k < len); the new span is j + 1. */
static void split_span(struct kb_line *l, size_t j, size_t k)
{
	struct kb_span *s;
	l->spans = kb_xrealloc(l->spans, (l->nspans + 1) * sizeof *l->spans);
	memmove(&l->spans[j + 2], &l->spans[j + 1], (l->nspans - j - 1) * sizeof *l->spans);
	l->nspans++;
	s = &l->spans[j];
	struct kb_span tail = *s;
	tail.text = kb_xstrndup(s->text + k, s->len - k);
	tail.len = s->len - k;
	tail.width = (int)kb_width_str(tail.text, tail.len);
	s->text[k] = '\0';
	s->len = k;
	s->width -= tail.width;
	l->spans[j + 1] = tail;
}

struct mark_ctx {
	struct kb_doc *doc;
	unsigned attr;
};

/* Sets attr on bytes [start, end) of line li, splitting spans at both ends. */
static void mark_range(void *ctx, size_t li, const struct kb_buf *text, size_t start, size_t end)
{
	const struct mark_ctx *mc = ctx;
	unsigned attr = mc->attr;
	struct kb_line *l = &mc->doc->lines[li];
	size_t off = 0;
	(void)text;
	for (size_t j = 0; j < l->nspans && off < end; j++) {
		struct kb_span *s = &l->spans[j];
		if (off + s->len <= start) {
			off += s->len;
			continue;
		}
		if (off < start) { /* the match begins inside: keep the head as it is */
			split_span(l, j, start - off);
			off = start;
			continue;
		}
		if (off + s->len > end) /* the match ends inside */
			split_span(l, j, end - off);
		l->spans[j].attr |= (unsigned char)attr;
		off += l->spans[j].len;
	}
}

size_t kb_doc_mark(struct kb_doc *doc, const char *pattern, unsigned attr)
{
	for (size_t li = 0; li < doc->nlines; li++)
		for (size_t j = 0; j < doc->lines[li].nspans; j++)
			doc->lines[li].spans[j].attr &= (unsigned char)~attr;
	struct mark_ctx mc = {doc, attr};
	return find_all(doc, pattern, mark_range, &mc);
}
