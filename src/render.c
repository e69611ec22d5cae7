/* render.c - markdown to a document of display lines: walks cmark's AST with its iterator and lays out each block.
 *
 * How things look (the choices the issue left open):
 * - Headings keep their "#" marks (one per level) in front of the text, in the heading's
 *   style: the level shows even without styles, and no screen line is spent on underlines.
 * - Links: the text is styled and followed by a reference number, "cluster_recovery.sh[1]";
 *   a "References" list closes the document, one "[1] target" per number. Links to the same
 *   target share a number; an autolink (text = target) gets none. Entries and files list
 *   their notes-relative path, missing targets read "(missing)", images "(image)". Relative
 *   targets are joined to the entry's directory (kb_render_join) and never leave the notes
 *   directory: one that climbs out is missing and never reaches the resolver.
 * - Code blocks: never reflowed; indented two columns under the text they belong to, with
 *   the info string, if any, as a label line "── sh" above. Their lines are NOT wrapped: the
 *   browser scrolls them sideways, and `kb show` prints them whole so that a copied command
 *   is exact (the terminal or pager folds them). Only when asked (opts->fold_code: kb show
 *   --width, which promises no wider line) a line folds at the width, a mark ending each
 *   piece but the last: a fold never looks like the note's own line break. Tabs expand to the next multiple of 8
 *   (KB_TAB), as `cat` and `less` show them, so pasted command output stays aligned.
 * - Lists keep their numbers (right-aligned: " 9." above "10."); bullets are • ◦ ▪ by depth.
 *   Block quotes carry a bar "│ ". Thematic breaks are a rule across the text width. With
 *   opts->ascii these are * - +, "| ", "-" and "-- ".
 * - Deep nesting: prefixes (bars, list indentation) stop growing once they would leave less
 *   than half the width (at least 8 columns) for text; deeper list markers are then put in
 *   front of the item's first paragraph instead.
 * - Tables: cmark has none, but a paragraph whose second line is a delimiter row ("|---|")
 *   is one: its columns are aligned, with a rule under the header, and text wraps inside its
 *   column when the table is too wide (then rules part the rows). When even that cannot fit
 *   (columns under 6), each row is a line of its own, wrapped under a hanging indent.
 * - Raw HTML is read as text (render_html.c): comments never show, <br> and block tags
 *   break lines, other tags go and their text stays.
 * - A heading's author-given id ("## Title {#id}") is not shown: it is the heading's anchor.
 * - opts->marks (for kb_doc_plain) writes `code`, *emphasis* and **strong** marks into the
 *   text, since plain output has no other way to show them.
 */
#include "kb/render.h"

#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kb/width.h"
#include "render_impl.h"

enum frame_kind { F_QUOTE, F_LIST, F_ITEM };

/* An open container block: it puts a prefix in front of every line inside it. */
struct frame {
	unsigned char kind;
	bool tight;       /* the nearest list (this one, or the one around) is tight */
	bool fits;        /* its prefix fits within the indentation limit */
	int col;          /* columns in front of its prefix */
	int indent;       /* columns its prefix takes */
	/* lists */
	bool ordered;
	char delim;
	long long next;   /* number of the next item */
	int digits;
	/* items */
	char marker[24];
	int marker_w;
};

/* An open link or image, and the unit where its text began. */
struct open_link {
	int link;
	size_t unit0;
};

struct render {
	const struct kb_render_opts *o;
	int width, max_indent;
	struct kb_doc *doc;
	size_t cap_lines, cap_spans, cap_text, cap_links, cap_codes;
	struct frame *st;
	size_t nst, cap_st;
	size_t nfit;       /* frames [0, nfit) fit within max_indent */
	size_t nstarted;   /* frames [0, nstarted) have shown their first line */
	int bullet_level;
	bool want_blank;   /* a blank line goes before the next line */
	struct kb_para para;
	struct kb_lb lb;
	int code;          /* code block the lines being emitted belong to, or -1 */
	int hang;          /* continuation indent of the current block */
	int emph, strong;
	struct open_link *ol;
	size_t nol, cap_ol;
	int src;           /* markdown line of the inline being added */
	bool table;
	bool para_first;   /* the paragraph's next line starts a source line (laid out in parts) */
	struct kb_refs refs;
};

/* ---- Glyphs ------------------------------------------------------------------------- */

static const char *glyph_bar(const struct render *r)
{
	return r->o->ascii ? "|" : "\u2502";
}

static const char *glyph_rule(const struct render *r)
{
	return r->o->ascii ? "-" : "\u2500";
}

static const char *glyph_bullet(const struct render *r, int level)
{
	static const char *const uni[] = {"\u2022", "\u25e6", "\u25aa"};
	static const char *const asc[] = {"*", "-", "+"};
	return (r->o->ascii ? asc : uni)[level % 3];
}

/* ---- Lines -------------------------------------------------------------------------- */

static int prefix_width(const struct render *r)
{
	if (r->nfit == 0)
		return 0;
	const struct frame *f = &r->st[r->nfit - 1];
	return f->col + f->indent;
}

/* Puts the containers' prefixes in r->lb; a blank line only gets those of containers
 * that have shown a line already, and never a list marker. */
static void put_prefix(struct render *r, bool blank)
{
	for (size_t i = 0; i < r->nfit; i++) {
		const struct frame *f = &r->st[i];
		bool started = i < r->nstarted;
		if (blank && !started)
			break;
		if (f->kind == F_QUOTE) {
			const char *bar = glyph_bar(r);
			kb_lb_put(&r->lb, bar, strlen(bar), 1, KB_STYLE_QUOTE, 0, -1);
			kb_lb_spaces(&r->lb, 1);
		} else if (f->kind == F_ITEM && !started) {
			kb_lb_put(&r->lb, f->marker, strlen(f->marker), f->marker_w, KB_STYLE_MARKER, 0,
			          -1);
			kb_lb_spaces(&r->lb, f->indent - f->marker_w);
		} else if (f->kind == F_ITEM) {
			kb_lb_spaces(&r->lb, f->indent);
		}
	}
}

/* The number of the next display line in the whole document. */
static int next_line(const struct render *r)
{
	return (int)(r->doc->first + r->doc->nlines);
}

/* Lines the document holds before opts->flush takes them. */
#define FLUSH_LINES 4096

/* Hands the lines held to opts->flush and drops them. */
static void flush_lines(struct render *r)
{
	struct kb_doc *d = r->doc;
	if (!r->o->flush || d->nlines == 0)
		return;
	r->o->flush(r->o->flush_ctx, d);
	d->first += d->nlines;
	d->nlines = d->nspans = d->ntext = 0;
}

/* Appends the spans of r->lb to the document's spans and text, for line l. */
static void take_spans(struct render *r, struct kb_line *l)
{
	struct kb_doc *d = r->doc;
	if (d->ntext + r->lb.text.len > UINT32_MAX || d->nspans + r->lb.n > UINT32_MAX)
		kb_oom(d->ntext + r->lb.text.len); /* offsets are 32 bits: kb reads no such note */
	l->span = (uint32_t)d->nspans;
	l->nspans = (uint32_t)r->lb.n;
	kb_xgrow(&d->spans, &r->cap_spans, d->nspans + r->lb.n, sizeof *d->spans);
	kb_xgrow(&d->text, &r->cap_text, d->ntext + r->lb.text.len + 1, 1);
	for (size_t i = 0; i < r->lb.n; i++) {
		const struct kb_lspan *s = &r->lb.v[i];
		d->spans[d->nspans++] = (struct kb_span){
			.off = (uint32_t)(d->ntext + s->off), .len = (uint32_t)s->len, .link = s->link,
			.width = (uint16_t)s->width, .style = s->style, .attr = s->attr};
	}
	if (r->lb.text.len)
		memcpy(d->text + d->ntext, r->lb.text.s, r->lb.text.len);
	d->ntext += r->lb.text.len;
	d->text[d->ntext] = '\0';
}

/* Moves r->lb into the document as its next line. */
static void push_line(struct render *r, int code, int src)
{
	struct kb_doc *d = r->doc;
	kb_lb_rtrim(&r->lb);
	for (size_t i = 0; i < r->lb.n; i++)
		if (r->lb.v[i].link >= 0 && d->links[r->lb.v[i].link].line < 0)
			d->links[r->lb.v[i].link].line = next_line(r);
	kb_xgrow(&d->lines, &r->cap_lines, d->nlines + 1, sizeof *d->lines);
	struct kb_line *l = &d->lines[d->nlines];
	l->width = r->lb.width;
	take_spans(r, l);
	kb_lb_reset(&r->lb);
	l->code = code;
	l->src_line = src;
	if (code >= 0 && d->codes[code].first_line < 0)
		d->codes[code].first_line = next_line(r);
	d->nlines++;
	if (d->nlines >= FLUSH_LINES)
		flush_lines(r);
}

/* Starts a display line in r->lb: the blank line that separates blocks, if one is due,
 * then the containers' prefixes. */
static void begin_line(struct render *r)
{
	if (r->want_blank && next_line(r) > 0) {
		kb_lb_reset(&r->lb);
		put_prefix(r, true);
		push_line(r, -1, 0);
	}
	r->want_blank = false;
	kb_lb_reset(&r->lb);
	put_prefix(r, false);
	r->nstarted = r->nst;
}

static bool tight(const struct render *r)
{
	return r->nst > 0 && r->st[r->nst - 1].tight;
}

/* ---- Containers --------------------------------------------------------------------- */

static struct frame *push_frame(struct render *r, enum frame_kind kind, int indent)
{
	kb_xgrow(&r->st, &r->cap_st, r->nst + 1, sizeof *r->st);
	struct frame *parent = r->nst ? &r->st[r->nst - 1] : NULL;
	struct frame *f = &r->st[r->nst];
	memset(f, 0, sizeof *f);
	f->kind = (unsigned char)kind;
	f->indent = indent;
	f->tight = parent && parent->tight;
	f->col = !parent ? 0 : parent->fits ? parent->col + parent->indent : parent->col;
	f->fits = (!parent || parent->fits) && f->col + indent <= r->max_indent;
	r->nst++;
	if (f->fits)
		r->nfit = r->nst;
	return f;
}

static void pop_frame(struct render *r)
{
	if (r->st[r->nst - 1].kind == F_LIST && !r->st[r->nst - 1].ordered)
		r->bullet_level--;
	r->nst--;
	if (r->nfit > r->nst)
		r->nfit = r->nst;
	if (r->nstarted > r->nst)
		r->nstarted = r->nst;
	r->want_blank = !tight(r);
}

static int digits(long long n)
{
	int d = 1;
	for (n = n < 0 ? -n : n; n >= 10; n /= 10)
		d++;
	return d;
}

static void enter_list(struct render *r, cmark_node *node)
{
	long long count = 0;
	for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c))
		count++;
	if (!tight(r))
		r->want_blank = true;
	bool ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
	long long start = ordered ? cmark_node_get_list_start(node) : 0;
	int d = digits(count > 0 ? start + count - 1 : start);
	struct frame *f = push_frame(r, F_LIST, 0);
	f->tight = cmark_node_get_list_tight(node) != 0;
	f->ordered = ordered;
	f->delim = cmark_node_get_list_delim(node) == CMARK_PAREN_DELIM ? ')' : '.';
	f->next = start;
	f->digits = d;
	if (!ordered)
		r->bullet_level++;
}

static void enter_item(struct render *r)
{
	struct frame *list = &r->st[r->nst - 1]; /* cmark puts items only in lists */
	char marker[24];
	int mw;
	if (list->ordered) {
		mw = snprintf(marker, sizeof marker, "%*lld%c", list->digits, list->next++, list->delim);
	} else {
		snprintf(marker, sizeof marker, "%s", glyph_bullet(r, r->bullet_level - 1));
		mw = 1;
	}
	struct frame *f = push_frame(r, F_ITEM, mw + 1);
	memcpy(f->marker, marker, sizeof marker);
	f->marker_w = mw;
}

static void exit_item(struct render *r, cmark_node *node)
{
	if (r->nstarted < r->nst) { /* an empty item still shows its marker */
		begin_line(r);
		push_line(r, -1, cmark_node_get_start_line(node));
	}
	pop_frame(r);
}

/* ---- Links -------------------------------------------------------------------------- */

/* The text of units [from, n) of the paragraph, forced breaks as spaces. */
static char *para_text_from(const struct kb_para *p, size_t from)
{
	struct kb_buf b = {0};
	for (size_t i = from; i < p->n; i++) {
		if (p->u[i].flags & KB_RU_HARD)
			kb_buf_putc(&b, ' ');
		else
			kb_buf_put(&b, p->text.s + p->u[i].off, p->u[i].len);
	}
	return kb_buf_take(&b);
}

static void enter_link(struct render *r, cmark_node *node, bool image)
{
	kb_xgrow(&r->ol, &r->cap_ol, r->nol + 1, sizeof *r->ol);
	r->ol[r->nol++] = (struct open_link){
		kb_link_add(r->doc, &r->cap_links, r->o, cmark_node_get_url(node), image, &r->refs), r->para.n};
}

/* Text units are added with the style that the open links, emphasis and block give. */
static struct kb_ustyle cur_style(const struct render *r)
{
	struct kb_ustyle st = {.style = r->para.base, .link = -1, .src = r->src};
	if (r->nol) {
		const struct kb_link *l = &r->doc->links[r->ol[r->nol - 1].link];
		st.link = r->ol[r->nol - 1].link;
		st.style = l->kind == KB_LINK_MISSING ? KB_STYLE_MISSING
		           : l->image                 ? KB_STYLE_IMAGE
		                                      : KB_STYLE_LINK;
	}
	st.attr = (unsigned char)((r->emph ? KB_ATTR_EMPH : 0) | (r->strong ? KB_ATTR_STRONG : 0));
	return st;
}

/* Appends text that never breaks inside (and, glued, not before it either). */
static void add_fixed(struct render *r, const char *s, const struct kb_ustyle *st, bool glued)
{
	size_t from = r->para.n;
	r->para.next_flags = glued ? KB_RU_GLUE : 0;
	kb_para_add(&r->para, s, strlen(s), st, 0);
	for (size_t i = from; i < r->para.n; i++) {
		if (i > from)
			r->para.u[i].flags |= KB_RU_GLUE;
		r->para.u[i].flags &= (unsigned char)~(KB_RU_SPACE | KB_RU_CJK);
	}
}

static void exit_link(struct render *r)
{
	struct open_link ol = r->ol[r->nol - 1];
	struct kb_link *l = &r->doc->links[ol.link];
	/* A soft break just before the link became a space inside it: not the link's. */
	while (ol.unit0 < r->para.n && r->para.u[ol.unit0].link != ol.link &&
	       (r->para.u[ol.unit0].flags & KB_RU_SPACE))
		ol.unit0++;
	if (l->image && r->para.n == ol.unit0) {
		struct kb_ustyle st = cur_style(r);
		kb_para_add(&r->para, "image", 5, &st, 0);
	}
	l->text = para_text_from(&r->para, ol.unit0);
	r->nol--;
	if (!kb_link_number(r->doc, ol.link, &r->refs))
		return;
	char ref[32];
	snprintf(ref, sizeof ref, "[%d]", l->number);
	struct kb_ustyle st = {.style = KB_STYLE_LINKREF, .link = ol.link, .src = r->src};
	add_fixed(r, ref, &st, true);
}

/* ---- Paragraphs and headings -------------------------------------------------------- */

/* Whether a line of text is a table's delimiter row, like "| --- | :-: |". */
static bool is_delim_row(const char *s)
{
	bool dash = false, pipe = false;
	for (; *s; s++) {
		if (*s == '-')
			dash = true;
		else if (*s == '|')
			pipe = true;
		else if (*s != ':' && *s != ' ' && *s != '\t')
			return false;
	}
	return dash && pipe;
}

/* A paragraph is a table when its first line has a '|' and its second is a delimiter row. */
static bool is_table(cmark_node *para)
{
	bool pipe = false;
	cmark_node *c = cmark_node_first_child(para);
	for (; c && cmark_node_get_type(c) != CMARK_NODE_SOFTBREAK; c = cmark_node_next(c)) {
		const char *lit = cmark_node_get_literal(c);
		if (cmark_node_get_type(c) == CMARK_NODE_TEXT && lit && strchr(lit, '|'))
			pipe = true;
	}
	if (!c || !pipe || !(c = cmark_node_next(c)) || cmark_node_get_type(c) != CMARK_NODE_TEXT)
		return false;
	cmark_node *after = cmark_node_next(c);
	return is_delim_row(cmark_node_get_literal(c)) &&
	       (!after || cmark_node_get_type(after) == CMARK_NODE_SOFTBREAK);
}

static void para_begin(struct render *r, cmark_node *node, unsigned char base, int hang)
{
	kb_para_reset(&r->para, base);
	r->hang = hang;
	r->para_first = true;
	r->src = cmark_node_get_start_line(node);
	r->table = cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH && is_table(node);
	/* Markers of list items nested too deep for their own indentation go in front. */
	size_t from = r->nstarted > r->nfit ? r->nstarted : r->nfit;
	for (size_t i = from; i < r->nst; i++) {
		if (r->st[i].kind != F_ITEM)
			continue;
		struct kb_ustyle st = {.style = KB_STYLE_MARKER, .link = -1, .src = r->src};
		add_fixed(r, r->st[i].marker, &st, false);
		kb_para_add(&r->para, " ", 1, &st, KB_PA_COLLAPSE);
	}
}

static void emit_line(void *ctx, const struct kb_para *p, size_t start, size_t end, bool first)
{
	struct render *r = ctx;
	begin_line(r);
	if (!first)
		kb_lb_spaces(&r->lb, r->hang);
	kb_lb_units(&r->lb, p, start, end);
	push_line(r, r->code, start < end ? p->u[start].src : r->src);
}

static void emit_table_line(void *ctx, struct kb_lb *lb, int src)
{
	struct render *r = ctx;
	begin_line(r);
	kb_lb_append(&r->lb, lb);
	push_line(r, -1, src);
}

/* A table shown as its rows, one a line: the delimiter row says nothing, and its wrapped
 * rows get a hanging indent. */
static void drop_delimiter_row(struct render *r)
{
	struct kb_para *p = &r->para;
	size_t a = 0, b;
	while (a < p->n && !(p->u[a].flags & KB_RU_HARD))
		a++;
	for (b = a + 1; b < p->n && !(p->u[b].flags & KB_RU_HARD); b++)
		;
	if (b < p->n)
		kb_para_cut(p, a + 1, b + 1);
	r->hang = 2;
}

/* Lays out the collected paragraph under the open containers. A table that cannot be
 * aligned in the width keeps its rows apart: one a line, wrapped under a hanging indent. */
static void para_flush(struct render *r)
{
	int avail = r->width - prefix_width(r);
	kb_para_highlight(&r->para, r->o->highlight);
	if (r->table && kb_table_layout(&r->para, avail, r->o->ascii, emit_table_line, r))
		return;
	if (r->table)
		drop_delimiter_row(r);
	if (r->hang > avail / 2)
		r->hang = avail / 2;
	kb_para_layout_from(&r->para, avail, r->hang, r->para_first, emit_line, r);
	r->para_first = true;
}

/* Units a paragraph collects before the lines that no later unit can change are laid out:
 * a unit for each character takes many times the text, and a note may be one paragraph. */
#define PARA_UNITS 65536

/* Lays out what is final of a long paragraph (not a table, whose columns need every row,
 * nor inside a link, whose text is taken from its units at its end). */
static void para_part(struct render *r)
{
	if (r->para.n < PARA_UNITS || r->table || r->nol > 0)
		return;
	int avail = r->width - prefix_width(r);
	kb_para_highlight(&r->para, r->o->highlight);
	if (r->hang > avail / 2)
		r->hang = avail / 2;
	r->para_first = kb_para_layout_part(&r->para, avail, r->hang, r->para_first, emit_line, r);
}

static void para_end(struct render *r)
{
	para_flush(r);
	r->want_blank = !tight(r);
}

static void enter_heading(struct render *r, cmark_node *node)
{
	int level = cmark_node_get_heading_level(node);
	unsigned char style = (unsigned char)(KB_STYLE_H1 + (level < 4 ? level : 4) - 1);
	char hashes[8] = "######";
	level = level < 1 ? 1 : level > 6 ? 6 : level;
	hashes[level] = ' ';
	hashes[level + 1] = '\0';
	para_begin(r, node, style, level + 1);
	struct kb_ustyle st = {.style = style, .link = -1, .src = r->src};
	add_fixed(r, hashes, &st, false);
}

/* ---- Inlines ------------------------------------------------------------------------ */

/* Marks for printing without styles: `code`, *emph*, **strong**. */
static void add_mark(struct render *r, const char *mark, const struct kb_ustyle *st, bool open)
{
	if (!r->o->marks)
		return;
	if (!open)
		r->para.next_flags = KB_RU_GLUE;
	kb_para_add(&r->para, mark, strlen(mark), st, 0);
	if (open) {
		for (size_t i = r->para.n - strlen(mark); i < r->para.n; i++)
			r->para.u[i].flags |= KB_RU_OPEN;
	} else {
		for (size_t i = r->para.n - strlen(mark); i < r->para.n; i++)
			r->para.u[i].flags |= KB_RU_GLUE;
	}
}

/* The bytes of a text node to show: all but a heading's trailing author-given id
 * ("## Title {#id}", as compile.c reads it: letters, digits, - and _). */
static size_t heading_text_len(cmark_node *node, const char *lit)
{
	size_t n = strlen(lit), i;
	cmark_node *parent = cmark_node_parent(node);
	if (n < 4 || lit[n - 1] != '}' || cmark_node_next(node) || !parent ||
	    cmark_node_get_type(parent) != CMARK_NODE_HEADING)
		return n;
	for (i = n - 1; i > 0 && (kb_ascii_isalnum((unsigned char)lit[i - 1]) || lit[i - 1] == '-' || lit[i - 1] == '_'); i--)
		;
	if (i < 2 || i == n - 1 || lit[i - 1] != '#' || lit[i - 2] != '{')
		return n;
	i -= 2;
	while (i > 0 && lit[i - 1] == ' ')
		i--;
	return i;
}

/* The length of the next piece of s[0..n) to add at once: all of it when short, else up to
 * a space (or a character's start) near a few thousand bytes. */
static size_t html_piece(const char *s, size_t n)
{
	size_t k = 4096;
	if (n <= k)
		return n;
	while (k > 2048 && s[k - 1] != ' ')
		k--;
	if (s[k - 1] != ' ')
		for (k = 4096; k > 1 && ((unsigned char)s[k] & 0xC0) == 0x80; k--)
			;
	return k;
}

static void inline_leaf(struct render *r, cmark_node *node, cmark_node_type type)
{
	const char *lit = cmark_node_get_literal(node);
	int line = cmark_node_get_start_line(node);
	if (line > r->src)
		r->src = line;
	struct kb_ustyle st = cur_style(r);
	switch (type) {
	case CMARK_NODE_TEXT: /* a piece at a time: a paragraph may be one text of megabytes */
		for (size_t n = heading_text_len(node, lit), k; n > 0; lit += k, n -= k) {
			k = html_piece(lit, n);
			kb_para_add(&r->para, lit, k, &st, KB_PA_COLLAPSE);
			para_part(r);
		}
		break;
	case CMARK_NODE_CODE:
		st.style = KB_STYLE_CODE;
		add_mark(r, "`", &st, true);
		kb_para_add(&r->para, lit, strlen(lit), &st, 0);
		add_mark(r, "`", &st, false);
		break;
	case CMARK_NODE_HTML_INLINE: /* <br> breaks the line; comments and other tags go */
		if (kb_html_is_br(lit))
			kb_para_hard(&r->para, r->src);
		break;
	case CMARK_NODE_SOFTBREAK:
		if (r->table)
			kb_para_hard(&r->para, r->src);
		else
			kb_para_soft(&r->para);
		r->src++;
		break;
	case CMARK_NODE_LINEBREAK:
		kb_para_hard(&r->para, r->src);
		r->src++;
		break;
	default:
		break;
	}
}

static void inline_span(struct render *r, cmark_node *node, cmark_node_type type, bool enter)
{
	struct kb_ustyle st;
	switch (type) {
	case CMARK_NODE_EMPH:
	case CMARK_NODE_STRONG: {
		int *depth = type == CMARK_NODE_EMPH ? &r->emph : &r->strong;
		const char *mark = type == CMARK_NODE_EMPH ? "*" : "**";
		if (enter)
			++*depth;
		st = cur_style(r);
		add_mark(r, mark, &st, enter);
		if (!enter)
			--*depth;
		break;
	}
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		if (enter)
			enter_link(r, node, type == CMARK_NODE_IMAGE);
		else
			exit_link(r);
		break;
	default:
		break;
	}
}

/* ---- Leaf blocks -------------------------------------------------------------------- */

static void code_label(struct render *r, const char *info, int src)
{
	char lead[16];
	snprintf(lead, sizeof lead, "%s%s ", glyph_rule(r), glyph_rule(r));
	kb_para_reset(&r->para, KB_STYLE_CODELABEL);
	r->hang = 0;
	r->src = src;
	struct kb_ustyle st = {.style = KB_STYLE_CODELABEL, .link = -1, .src = src};
	add_fixed(r, lead, &st, false);
	kb_para_add(&r->para, info, strlen(info), &st, KB_PA_COLLAPSE);
	kb_para_layout(&r->para, r->width - prefix_width(r), 0, emit_line, r);
}

/* Where the piece of a code line's units that starts at unit start ends: all of them when
 * they fit in avail columns or fold_code is off, else as many as leave a column for the
 * fold mark (one at least). */
static size_t code_piece(const struct render *r, size_t start, int avail)
{
	const struct kb_para *p = &r->para;
	size_t end = start;
	int w = 0;
	for (size_t i = start; i < p->n; i++)
		w += p->u[i].width;
	if (!r->o->fold_code || w <= avail)
		return p->n;
	for (w = 0; end < p->n && (end == start || w + p->u[end].width <= avail - 1); end++)
		w += p->u[end].width;
	return end;
}

static void code_line(struct render *r, const char *s, size_t n, int src)
{
	int avail = r->width - prefix_width(r) - 2;
	size_t start = 0, end;
	if (n > 0 && s[n - 1] == '\r')
		n--;
	kb_para_reset(&r->para, KB_STYLE_CODEBLOCK);
	struct kb_ustyle st = {.style = KB_STYLE_CODEBLOCK, .link = -1, .src = src};
	kb_para_add(&r->para, s, n, &st, KB_PA_CODE);
	kb_para_highlight(&r->para, r->o->highlight);
	do {
		end = code_piece(r, start, avail);
		begin_line(r);
		kb_lb_spaces(&r->lb, 2);
		kb_lb_units(&r->lb, &r->para, start, end);
		if (end < r->para.n) {
			const char *mark = r->o->ascii ? "\\" : KB_RENDER_FOLD;
			kb_lb_put(&r->lb, mark, strlen(mark), 1, KB_STYLE_CODELABEL, 0, -1);
		}
		push_line(r, r->code, src);
		start = end;
	} while (start < r->para.n);
}

static void code_block(struct render *r, cmark_node *node)
{
	struct kb_doc *d = r->doc;
	const char *lit = cmark_node_get_literal(node), *info = cmark_node_get_fence_info(node);
	lit = lit ? lit : "";
	kb_xgrow(&d->codes, &r->cap_codes, d->ncodes + 1, sizeof *d->codes);
	struct kb_code *c = &d->codes[d->ncodes];
	*c = (struct kb_code){.info = info && *info ? kb_render_safe(info) : NULL,
	                      .text = kb_xstrdup(lit), .first_line = -1};
	r->code = (int)d->ncodes++;
	int src = cmark_node_get_start_line(node), nl = 0;
	for (const char *p = lit; *p; p++)
		nl += *p == '\n';
	bool fenced = cmark_node_get_end_line(node) - src + 1 > nl;
	if (info && *info)
		code_label(r, info, src);
	src += fenced;
	for (const char *p = lit, *end = lit + strlen(lit); p < end;) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t n = e ? (size_t)(e - p) : (size_t)(end - p);
		code_line(r, p, n, src++);
		p += n + (e != NULL);
	}
	if (c->first_line < 0)
		c->first_line = next_line(r);
	c->nlines = next_line(r) - c->first_line;
	r->code = -1;
	r->want_blank = !tight(r);
}

/* Units a raw HTML block collects before it is laid out and the rest starts afresh: a unit
 * per character takes many times the text, and a block's lines are laid out apart anyway. */
#define HTML_UNITS 65536

/* Raw HTML: its text (render_html.c: tags dropped, comments gone), a line for each line of it
 * that is not blank; a <pre> block keeps its lines as written, blank and indented ones too
 * (the guard keeps text too dense for cmark in one). A huge block is laid out a piece at a
 * time: a line longer than HTML_UNITS characters breaks there too. */
static void html_block(struct render *r, cmark_node *node)
{
	const char *lit = cmark_node_get_literal(node);
	struct kb_buf text = {0};
	bool any = false, pre = lit && strncasecmp(lit, "<pre", 4) == 0;
	struct kb_ustyle st = {.style = KB_STYLE_TEXT, .link = -1};
	kb_html_text(lit ? lit : "", &text);
	for (const char *p = kb_buf_str(&text), *end = p + text.len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)); /* not strcspn: megabytes of lines */
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), a = 0;
		while (!pre && a < n && (p[a] == ' ' || p[a] == '\t' || p[a] == '\r'))
			a++;
		if (a < n || (pre && any)) {
			if (!any)
				para_begin(r, node, KB_STYLE_TEXT, 0), st.src = r->src;
			else if (r->para.n > HTML_UNITS)
				para_flush(r), kb_para_reset(&r->para, KB_STYLE_TEXT);
			else
				kb_para_hard(&r->para, r->src);
			for (size_t k, done = a; done < n; done += k) {
				k = html_piece(p + done, n - done);
				kb_para_add(&r->para, p + done, k, &st, pre ? 0 : KB_PA_COLLAPSE);
				if (done + k < n && r->para.n > HTML_UNITS)
					para_flush(r), kb_para_reset(&r->para, KB_STYLE_TEXT);
			}
			any = true;
		}
		p += n + (p[n] == '\n');
	}
	if (any)
		para_end(r);
	kb_buf_free(&text);
}

static void thematic_break(struct render *r, cmark_node *node)
{
	const char *g = glyph_rule(r);
	begin_line(r);
	int n = r->width - prefix_width(r);
	for (int i = 0; i < n; i++)
		kb_lb_put(&r->lb, g, strlen(g), 1, KB_STYLE_RULE, 0, -1);
	push_line(r, -1, cmark_node_get_start_line(node));
	r->want_blank = !tight(r);
}

/* Records the author-given id of heading node, whose lines start at display line first. */
static void add_anchor(struct render *r, cmark_node *node, size_t first)
{
	cmark_node *last = cmark_node_last_child(node);
	const char *lit = last && cmark_node_get_type(last) == CMARK_NODE_TEXT ? cmark_node_get_literal(last) : NULL;
	size_t keep = lit ? heading_text_len(last, lit) : 0, n = lit ? strlen(lit) : 0;
	const char *open = lit && keep < n ? strstr(lit + keep, "{#") : NULL;
	struct kb_doc *d = r->doc;
	if (!open)
		return;
	/* the blank line before (unless flushed already) */
	while (first >= d->first && first + 1 < d->first + d->nlines &&
	       d->lines[first - d->first].nspans == 0)
		first++;
	d->anchors = kb_xrealloc(d->anchors, (d->nanchors + 1) * sizeof *d->anchors);
	d->anchors[d->nanchors++] = (struct kb_anchor){kb_xstrndup(open + 2, (size_t)(lit + n - 1 - (open + 2))),
	                                              (int)first};
}

/* ---- The walk ----------------------------------------------------------------------- */

static void block(struct render *r, cmark_node *node, cmark_node_type type, bool enter)
{
	switch (type) {
	case CMARK_NODE_BLOCK_QUOTE:
		if (enter) {
			if (!tight(r))
				r->want_blank = true;
			push_frame(r, F_QUOTE, 2);
		} else {
			pop_frame(r);
		}
		break;
	case CMARK_NODE_LIST:
		if (enter)
			enter_list(r, node);
		else
			pop_frame(r);
		break;
	case CMARK_NODE_ITEM:
		if (enter)
			enter_item(r);
		else
			exit_item(r, node);
		break;
	case CMARK_NODE_PARAGRAPH:
		if (enter)
			para_begin(r, node, KB_STYLE_TEXT, 0);
		else
			para_end(r);
		break;
	case CMARK_NODE_HEADING:
		if (enter) {
			enter_heading(r, node);
		} else {
			size_t first = (size_t)next_line(r);
			para_end(r);
			add_anchor(r, node, first);
		}
		break;
	case CMARK_NODE_CODE_BLOCK:
		code_block(r, node);
		break;
	case CMARK_NODE_HTML_BLOCK:
		html_block(r, node);
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		thematic_break(r, node);
		break;
	default:
		break;
	}
}

static void walk(struct render *r, cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		bool enter = ev == CMARK_EVENT_ENTER;
		if (type >= CMARK_NODE_FIRST_INLINE && type <= CMARK_NODE_LAST_INLINE) {
			if (type == CMARK_NODE_EMPH || type == CMARK_NODE_STRONG ||
			    type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE)
				inline_span(r, node, type, enter);
			else
				inline_leaf(r, node, type);
			para_part(r);
		} else {
			block(r, node, type, enter);
		}
	}
	cmark_iter_free(it);
}

/* The "References" list: one line (wrapped as needed) per reference number. */
static void references(struct render *r)
{
	struct kb_doc *d = r->doc;
	if (r->refs.numbers.n == 0)
		return;
	size_t *first = kb_xcalloc(r->refs.numbers.n + 1, sizeof *first); /* link index + 1 */
	for (size_t i = 0; i < d->nlinks; i++)
		if (d->links[i].number && !first[d->links[i].number])
			first[d->links[i].number] = i + 1;
	r->want_blank = true;
	r->hang = 0;
	r->src = 0;
	struct kb_ustyle st = {.style = KB_STYLE_LINKREF, .link = -1};
	kb_para_reset(&r->para, KB_STYLE_LINKREF);
	kb_para_add(&r->para, "References", 10, &st, 0);
	para_flush(r);
	d->refs_line = next_line(r) - 1;
	for (size_t num = 1; num <= r->refs.numbers.n; num++) {
		size_t i = first[num] - 1;
		const struct kb_link *l = &d->links[i];
		char lead[32];
		int n = snprintf(lead, sizeof lead, "[%zu] ", num);
		bool found = l->kind == KB_LINK_ENTRY || l->kind == KB_LINK_FILE;
		const char *shown = found ? l->resolved : l->target;
		kb_para_reset(&r->para, KB_STYLE_LINKREF);
		st = (struct kb_ustyle){.style = KB_STYLE_LINKREF, .link = (int)i};
		add_fixed(r, lead, &st, false);
		st.style = l->kind == KB_LINK_MISSING ? KB_STYLE_MISSING : KB_STYLE_LINKREF;
		kb_para_add(&r->para, shown, strlen(shown), &st, 0);
		if (l->kind == KB_LINK_MISSING)
			kb_para_add(&r->para, " (missing)", 10, &st, 0);
		if (l->image)
			kb_para_add(&r->para, " (image)", 8, &st, 0);
		r->hang = n;
		para_flush(r);
	}
	free(first);
}

struct kb_doc *kb_render(const char *text, size_t len, const struct kb_render_opts *opts)
{
	static const struct kb_render_opts defaults = {.width = 80};
	struct render r = {.o = opts ? opts : &defaults, .code = -1};
	r.width = r.o->width < 10 ? 10 : r.o->width > 4096 ? 4096 : r.o->width;
	r.max_indent = r.width - (r.width / 2 > 8 ? r.width / 2 : 8);
	r.doc = kb_xcalloc(1, sizeof *r.doc);
	r.doc->width = r.width;
	r.doc->refs_line = -1;
	cmark_node *root = cmark_parse_document(text ? text : "", text ? len : 0,
	                                        CMARK_OPT_SOURCEPOS | CMARK_OPT_VALIDATE_UTF8);
	walk(&r, root);
	cmark_node_free(root);
	references(&r);
	kb_para_free(&r.para);
	kb_lb_free(&r.lb);
	free(r.st);
	free(r.ol);
	kb_refs_free(&r.refs);
	flush_lines(&r);
	return r.doc;
}

void kb_doc_free(struct kb_doc *doc)
{
	if (!doc)
		return;
	free(doc->spans);
	free(doc->text);
	for (size_t i = 0; i < doc->nlinks; i++) {
		free(doc->links[i].text);
		free(doc->links[i].target);
		free(doc->links[i].resolved);
	}
	for (size_t i = 0; i < doc->ncodes; i++) {
		free(doc->codes[i].info);
		free(doc->codes[i].text);
	}
	free(doc->lines);
	free(doc->links);
	free(doc->codes);
	for (size_t i = 0; i < doc->nanchors; i++)
		free(doc->anchors[i].id);
	free(doc->anchors);
	free(doc);
}
