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
		for (size_t j = 0; j < l->nspans; j++) {
			const struct kb_span *s = &doc->spans[l->span + j];
			kb_buf_put(out, kb_span_text(doc, s), s->len);
		}
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
			const struct kb_span *s = &doc->spans[l->span + j];
			bool plain = s->style == KB_STYLE_TEXT && s->attr == 0;
			if (!plain)
				put_sgr(out, s->style, s->attr);
			kb_buf_put(out, kb_span_text(doc, s), s->len);
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
			const struct kb_span *s = &doc->spans[l->span + j];
			bool plain = s->style == KB_STYLE_TEXT && s->attr == 0 && s->link < 0;
			if (!plain)
				put_tag(out, s);
			kb_buf_put(out, kb_span_text(doc, s), s->len);
			if (!plain)
				kb_buf_puts(out, "{/}");
		}
		kb_buf_putc(out, '\n');
	}
	kb_buf_puts(out, "----\n");
	tagged_meta(doc, out);
}

/* ---- Searching ----------------------------------------------------------------------- */

/* A line's text, all spans end to end: they follow each other in doc->text. */
static const char *line_text(const struct kb_doc *doc, const struct kb_line *l, size_t *len)
{
	if (l->nspans == 0) {
		*len = 0;
		return "";
	}
	const struct kb_span *a = &doc->spans[l->span], *z = &doc->spans[l->span + l->nspans - 1];
	*len = z->off + z->len - a->off;
	return kb_span_text(doc, a);
}

static bool is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* Calls fn for each occurrence of pattern in line li: bytes [start, end) of its text t. */
typedef void (*hit_fn)(void *ctx, size_t li, const char *t, size_t start, size_t end);

static size_t find_all(const struct kb_doc *doc, const char *pattern, hit_fn fn, void *ctx)
{
	size_t n = 0, plen = pattern ? strlen(pattern) : 0;
	if (plen == 0)
		return 0;
	for (size_t li = 0; li < doc->nlines; li++) {
		size_t len;
		const char *t = line_text(doc, &doc->lines[li], &len), *at;
		size_t pos = 0;
		while ((at = kb_memcasemem(t + pos, len - pos, pattern)) != NULL) {
			size_t start = (size_t)(at - t), end = start + plen;
			pos = start + 1;
			if (is_cont((unsigned char)t[start]) || (end < len && is_cont((unsigned char)t[end])))
				continue; /* not on character boundaries */
			fn(ctx, li, t, start, end);
			n++;
			pos = end;
		}
	}
	return n;
}

/* The position of bytes [start, end) of line li, whose text is t. */
static struct kb_doc_pos pos_of(const struct kb_doc *doc, size_t li, const char *t,
                                size_t start, size_t end)
{
	const struct kb_line *l = &doc->lines[li];
	struct kb_doc_pos p = {.line = (int)(doc->first + li)};
	size_t off = 0;
	for (size_t j = 0; j < l->nspans; j++) {
		size_t len = doc->spans[l->span + j].len;
		if (start < off + len) {
			p.span = j;
			p.byte = start - off;
			break;
		}
		off += len;
	}
	p.col = (int)kb_width_str(t, start);
	p.width = (int)kb_width_str(t + start, end - start);
	return p;
}

struct pos_list {
	const struct kb_doc *doc;
	struct kb_doc_pos *v;
	size_t n, cap;
};

static void add_pos(void *ctx, size_t li, const char *t, size_t start, size_t end)
{
	struct pos_list *pl = ctx;
	kb_xgrow(&pl->v, &pl->cap, pl->n + 1, sizeof *pl->v);
	pl->v[pl->n++] = pos_of(pl->doc, li, t, start, end);
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
		const struct kb_span *sp = l->nspans ? &doc->spans[l->span] : NULL;
		int col = 0;
		for (size_t j = 0; j < l->nspans; j++) {
			bool on = (sp[j].attr & attr) == attr;
			bool cont = on && j > 0 && (sp[j - 1].attr & attr) == attr;
			if (cont) {
				pl.v[pl.n - 1].width += sp[j].width;
			} else if (on) {
				kb_xgrow(&pl.v, &pl.cap, pl.n + 1, sizeof *pl.v);
				pl.v[pl.n++] = (struct kb_doc_pos){(int)(doc->first + li), col, sp[j].width, j, 0};
			}
			col += sp[j].width;
		}
	}
	*out = pl.v;
	return pl.n;
}

/* An occurrence to mark: bytes [start, end) of the text of line li. */
struct hit {
	size_t li, start, end;
};
struct hits {
	struct hit *v;
	size_t n, cap;
};

static void add_hit(void *ctx, size_t li, const char *t, size_t start, size_t end)
{
	struct hits *h = ctx;
	(void)t;
	kb_xgrow(&h->v, &h->cap, h->n + 1, sizeof *h->v);
	h->v[h->n++] = (struct hit){li, start, end};
}

/* Appends span s of doc to *out (capacity *cap) cut where the hits of its line (from *k on,
 * in order, apart) begin and end, the pieces inside one with attr set. off is where s
 * begins in its line's text. */
static void cut_span(const struct kb_doc *doc, const struct kb_span *s, size_t off,
                     const struct hits *h, size_t *k, size_t li, unsigned attr,
                     struct kb_span **out, size_t *n, size_t *cap)
{
	size_t pos = off, end = off + s->len;
	while (pos < end) {
		while (*k < h->n && (h->v[*k].li < li || (h->v[*k].li == li && h->v[*k].end <= pos)))
			++*k;
		bool mine = *k < h->n && h->v[*k].li == li;
		bool in = mine && h->v[*k].start <= pos;
		size_t to = !mine ? end : in ? h->v[*k].end : h->v[*k].start;
		to = to < end ? to : end;
		struct kb_span piece = *s;
		piece.off = (uint32_t)(s->off + (pos - off));
		piece.len = (uint32_t)(to - pos);
		if (piece.len != s->len)
			piece.width = (uint16_t)kb_width_str(kb_span_text(doc, &piece), piece.len);
		if (in)
			piece.attr |= (unsigned char)attr;
		kb_xgrow(out, cap, *n + 1, sizeof **out);
		(*out)[(*n)++] = piece;
		pos = to;
	}
}

size_t kb_doc_mark(struct kb_doc *doc, const char *pattern, unsigned attr)
{
	struct hits h = {0};
	for (size_t i = 0; i < doc->nspans; i++)
		doc->spans[i].attr &= (unsigned char)~attr;
	find_all(doc, pattern, add_hit, &h);
	if (h.n == 0)
		return 0;
	/* The spans again, cut at the hits: the text stays where it is. */
	struct kb_span *v = NULL;
	size_t n = 0, cap = doc->nspans + 2 * h.n, k = 0;
	v = kb_xcalloc(cap, sizeof *v);
	for (size_t li = 0; li < doc->nlines; li++) {
		struct kb_line *l = &doc->lines[li];
		size_t first = n, off = 0;
		for (size_t j = 0; j < l->nspans; j++) {
			const struct kb_span *s = &doc->spans[l->span + j];
			cut_span(doc, s, off, &h, &k, li, attr, &v, &n, &cap);
			off += s->len;
		}
		l->span = (uint32_t)first;
		l->nspans = (uint32_t)(n - first);
	}
	free(doc->spans);
	doc->spans = v;
	doc->nspans = n;
	n = h.n;
	free(h.v);
	return n;
}
