/* draw.c - the one place that turns styles (the browser's own and the renderer's) into curses
 * attributes and colours, and puts made-safe text on the screen cell by cell. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "kb/width.h"
#include "tui_priv.h"

/* Colour pairs: one per foreground colour on the terminal's own background, and one for
 * matched words. */
enum { P_NONE, P_RED, P_GREEN, P_YELLOW, P_BLUE, P_MAGENTA, P_CYAN, P_MATCH, P__COUNT };

struct look {
	attr_t mono;  /* attributes without colour */
	attr_t attr;  /* attributes with colour */
	short pair;
};

static bool use_color, use_ascii;

/* The browser's own text. */
static const struct look ui_looks[KB_TUI_UI__COUNT] = {
	[KB_TUI_UI_TEXT] = {A_NORMAL, A_NORMAL, P_NONE},
	[KB_TUI_UI_BAR] = {A_REVERSE, A_REVERSE, P_NONE},
	[KB_TUI_UI_BAR_CUR] = {A_BOLD, A_BOLD, P_NONE},
	[KB_TUI_UI_STATUS] = {A_REVERSE, A_REVERSE, P_NONE},
	[KB_TUI_UI_MSG] = {A_BOLD, A_BOLD, P_NONE},
	[KB_TUI_UI_ERROR] = {A_BOLD | A_UNDERLINE, A_BOLD, P_RED},
	[KB_TUI_UI_PROMPT] = {A_BOLD, A_BOLD, P_NONE},
	[KB_TUI_UI_HINT] = {A_DIM, A_DIM, P_NONE},
	[KB_TUI_UI_TITLE] = {A_BOLD, A_BOLD, P_NONE},
	[KB_TUI_UI_ID] = {A_DIM, A_DIM, P_NONE},
	[KB_TUI_UI_COMPONENT] = {A_NORMAL, A_NORMAL, P_CYAN},
	[KB_TUI_UI_MATCH] = {A_BOLD | A_UNDERLINE, A_BOLD, P_MATCH},
	[KB_TUI_UI_MORE] = {A_BOLD, A_BOLD, P_YELLOW},
};

/* The renderer's styles. */
static const struct look doc_looks[KB_STYLE__COUNT] = {
	[KB_STYLE_TEXT] = {A_NORMAL, A_NORMAL, P_NONE},
	[KB_STYLE_H1] = {A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE, P_MAGENTA},
	[KB_STYLE_H2] = {A_BOLD, A_BOLD, P_MAGENTA},
	[KB_STYLE_H3] = {A_BOLD, A_BOLD, P_NONE},
	[KB_STYLE_H4] = {A_BOLD, A_BOLD, P_NONE},
	[KB_STYLE_CODE] = {A_NORMAL, A_NORMAL, P_GREEN},
	[KB_STYLE_CODEBLOCK] = {A_NORMAL, A_NORMAL, P_GREEN},
	[KB_STYLE_CODELABEL] = {A_DIM, A_DIM, P_NONE},
	[KB_STYLE_LINK] = {A_UNDERLINE, A_UNDERLINE, P_CYAN},
	[KB_STYLE_LINKREF] = {A_DIM, A_DIM, P_CYAN},
	[KB_STYLE_MISSING] = {A_UNDERLINE, A_UNDERLINE, P_RED},
	[KB_STYLE_IMAGE] = {A_UNDERLINE, A_UNDERLINE, P_MAGENTA},
	[KB_STYLE_QUOTE] = {A_DIM, A_DIM, P_NONE},
	[KB_STYLE_MARKER] = {A_BOLD, A_BOLD, P_NONE},
	[KB_STYLE_RULE] = {A_DIM, A_DIM, P_NONE},
	[KB_STYLE_HTML] = {A_NORMAL, A_NORMAL, P_MAGENTA},
	[KB_STYLE_ESCAPE] = {A_BOLD | A_UNDERLINE, A_BOLD, P_RED},
};

bool kb_tui_draw_init(bool color, bool ascii)
{
	use_ascii = ascii;
	use_color = color && has_colors() && start_color() == OK && COLOR_PAIRS >= P__COUNT;
	if (!use_color)
		return false;
	short bg = use_default_colors() == OK ? -1 : COLOR_BLACK;
	init_pair(P_RED, COLOR_RED, bg);
	init_pair(P_GREEN, COLOR_GREEN, bg);
	init_pair(P_YELLOW, COLOR_YELLOW, bg);
	init_pair(P_BLUE, COLOR_BLUE, bg);
	init_pair(P_MAGENTA, COLOR_MAGENTA, bg);
	init_pair(P_CYAN, COLOR_CYAN, bg);
	init_pair(P_MATCH, COLOR_BLACK, COLOR_YELLOW);
	return true;
}

const char *kb_tui_sym(int which)
{
	static const char *const utf8[] = {"…", "«", "»", "·", ">", " › "};
	static const char *const ascii[] = {"...", "<", ">", "-", ">", " > "};
	return use_ascii ? ascii[which] : utf8[which];
}

static void apply(const struct look *l, unsigned flags, attr_t *a, short *pair)
{
	*a = use_color ? l->attr : l->mono;
	*pair = use_color ? l->pair : 0;
	if (flags & KB_TUI_F_SEL)
		*a |= A_REVERSE;
}

/* ---- cells --------------------------------------------------------------------------- */

/* A code point as curses will draw it: one that the C library cannot measure is replaced by
 * a question mark of the width kb_width_cp() gives it, so that columns stay true. */
static wchar_t drawable(uint32_t cp, int w)
{
	if (wcwidth((wchar_t)cp) == w)
		return (wchar_t)cp;
	return w == 2 ? (wchar_t)0xFF1F : L'?';
}

/* Puts safe UTF-8 s[0..n) at (y, x) in at most maxw columns; combining marks join the cell
 * before them. Returns the columns used. */
static int put_cells(int y, int x, int maxw, const char *s, size_t n, attr_t a, short pair)
{
	int used = 0;
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		int len = kb_utf8_decode(s + i, n - i, &cp), w = kb_width_cp(cp);
		wchar_t wc[CCHARW_MAX + 1] = {0};
		int nwc = 0;
		cchar_t cc;
		if (w <= 0) { /* never raw (s is safe), or a combining mark with no cell before it */
			i += (size_t)len;
			continue;
		}
		if (used + w > maxw)
			break;
		wc[nwc++] = drawable(cp, w);
		i += (size_t)len;
		while (i < n) { /* combining marks that follow */
			uint32_t c2;
			int l2 = kb_utf8_decode(s + i, n - i, &c2);
			if (kb_width_cp(c2) != 0)
				break;
			if (nwc < CCHARW_MAX - 1 && wcwidth((wchar_t)c2) == 0)
				wc[nwc++] = (wchar_t)c2;
			i += (size_t)l2;
		}
		setcchar(&cc, wc, a, pair, NULL);
		mvadd_wch(y, x + used, &cc);
		used += w;
	}
	return used;
}

/* Columns of safe UTF-8 text. */
static int cols_of(const char *s, size_t n)
{
	return (int)kb_width_str(s, n);
}

int kb_tui_width(const char *s)
{
	return cols_of(s, strlen(s));
}

/* Puts safe text, ending with an ellipsis when it does not fit and cut is asked for. */
static int put_safe(int y, int x, int maxw, const char *s, size_t n, attr_t a, short pair, bool cut)
{
	const char *ell = kb_tui_sym(KB_TUI_SYM_ELLIPSIS);
	int ew = cols_of(ell, strlen(ell));
	if (maxw <= 0)
		return 0;
	if (cut && cols_of(s, n) > maxw && maxw > ew) {
		int used = put_cells(y, x, maxw - ew, s, n, a, pair);
		return used + put_cells(y, x + used, ew, ell, strlen(ell), a, pair);
	}
	return put_cells(y, x, maxw, s, n, a, pair);
}

int kb_tui_put(int y, int x, int maxw, const char *s, size_t n, int ui, unsigned flags)
{
	struct kb_buf b = {0};
	attr_t a;
	short pair;
	int used;
	apply(&ui_looks[ui], flags, &a, &pair);
	kb_sanitize(&b, s ? s : "", s ? n : 0, false);
	used = put_safe(y, x, maxw, kb_buf_str(&b), b.len, a, pair, flags & KB_TUI_F_CUT);
	kb_buf_free(&b);
	return used;
}

/* Snippet text on one line: white space runs become one space, code fences go. */
static void flatten(struct kb_buf *out, const char *s)
{
	bool space = false;
	for (const char *p = s; *p; p++) {
		if (*p == '\n' || *p == '\t' || *p == ' ' || *p == '\r') {
			space = out->len > 0;
			continue;
		}
		if (strncmp(p, "```", 3) == 0) {
			p += 2;
			continue;
		}
		if (use_ascii && strncmp(p, "…", 3) == 0) { /* the index's snippet ellipsis */
			kb_buf_puts(out, space ? " ..." : "...");
			space = false;
			p += 2;
			continue;
		}
		if (space)
			kb_buf_putc(out, ' ');
		space = false;
		kb_buf_putc(out, *p);
	}
}

/* Where to start showing s (flattened, marked) in maxw columns: at its start, unless it
 * does not fit and its first match ends past three quarters of them (FTS5 starts a snippet
 * at a sentence, which can put the match out of sight); then at the character that brings
 * the match to a third of the way in. */
static size_t marked_start(const char *s, int maxw)
{
	size_t m = strcspn(s, "\x02"), e, i = 0, w;
	if (!s[m] || maxw <= 0 || cols_of(s, strlen(s)) <= maxw)
		return 0;
	e = m + 1 + strcspn(s + m + 1, "\x03");
	w = (size_t)cols_of(s, m);
	if (w + (size_t)cols_of(s + m + 1, e - m - 1) <= (size_t)maxw * 3 / 4)
		return 0;
	while (i < m && w > (size_t)maxw / 3) {
		uint32_t cp;
		int len = kb_utf8_decode_any(s + i, m - i, &cp);
		w -= (size_t)cols_of(s + i, (size_t)len);
		i += (size_t)len;
	}
	return i;
}

/* Columns of marked text once made safe, the marks aside. */
static int marked_width(const char *p)
{
	struct kb_buf seg = {0};
	int w = 0;
	while (*p) {
		size_t n = strcspn(p, "\x02\x03");
		kb_buf_reset(&seg);
		kb_sanitize(&seg, p, n, false);
		w += cols_of(kb_buf_str(&seg), seg.len);
		p += n + (p[n] != '\0');
	}
	kb_buf_free(&seg);
	return w;
}

int kb_tui_put_marked(int y, int x, int maxw, const char *s, int ui, unsigned flags)
{
	struct kb_buf flat = {0}, seg = {0};
	const char *ell = kb_tui_sym(KB_TUI_SYM_ELLIPSIS), *p;
	bool in = false;
	int used = 0, ew = cols_of(ell, strlen(ell));
	size_t from;
	{
		char *tidy = kb_render_snippet_tidy(s ? s : "");
		flatten(&flat, tidy);
		free(tidy);
	}
	p = kb_buf_str(&flat);
	if ((from = marked_start(p, maxw - ew)) > 0) { /* an ellipsis for what it leaves out */
		attr_t a;
		short pair;
		apply(&ui_looks[ui], flags, &a, &pair);
		used = put_safe(y, x, maxw, ell, strlen(ell), a, pair, false);
		p += from;
	}
	/* What does not fit is cut at a character and ends in an ellipsis: once a character
	 * has not fitted, nothing after it is drawn (a narrow one would fit where a wide one
	 * did not, and read as if nothing were missing). */
	bool cut = marked_width(p) > maxw - used && maxw - used > ew;
	int limit = cut ? maxw - ew : maxw;
	while (used < limit) {
		size_t n = strcspn(p, "\x02\x03");
		attr_t a;
		short pair;
		int w;
		apply(&ui_looks[in ? KB_TUI_UI_MATCH : ui], flags, &a, &pair);
		kb_buf_reset(&seg);
		kb_sanitize(&seg, p, n, false);
		w = put_safe(y, x + used, limit - used, kb_buf_str(&seg), seg.len, a, pair, false);
		used += w;
		if (w < cols_of(kb_buf_str(&seg), seg.len))
			break;
		p += n;
		if (!*p)
			break;
		in = *p++ == KB_MARK_START;
	}
	if (cut) {
		attr_t a;
		short pair;
		apply(&ui_looks[ui], flags, &a, &pair);
		used += put_safe(y, x + used, maxw - used, ell, strlen(ell), a, pair, false);
	}
	kb_buf_free(&flat);
	kb_buf_free(&seg);
	return used;
}

void kb_tui_fill(int y, int x, int w, int ui, unsigned flags)
{
	attr_t a;
	short pair;
	apply(&ui_looks[ui], flags, &a, &pair);
	for (int i = 0; i < w; i++)
		put_cells(y, x + i, 1, " ", 1, a, pair);
}

/* ---- document lines ------------------------------------------------------------------ */

static void span_look(const struct kb_span *sp, const struct kb_line *l,
                      const struct kb_tui_overlay *ov, attr_t *a, short *pair)
{
	const struct look *lk = &doc_looks[sp->style < KB_STYLE__COUNT ? sp->style : 0];
	apply(lk, 0, a, pair);
	if (sp->attr & KB_ATTR_STRONG)
		*a |= A_BOLD;
	if (sp->attr & KB_ATTR_EMPH)
		*a |= A_ITALIC;
	if (sp->attr & KB_ATTR_MATCH) {
		attr_t ma;
		short mp;
		apply(&ui_looks[KB_TUI_UI_MATCH], 0, &ma, &mp);
		*a |= ma;
		*pair = mp;
	}
	if (sp->attr & KB_ATTR_FIND)
		*a |= A_REVERSE;
	if ((sp->link >= 0 && sp->link == ov->focus_link) || (l->code >= 0 && l->code == ov->focus_code))
		*a |= A_REVERSE;
}

/* Draws the part of span sp (its text at text) from line column col that falls in
 * [left, left+maxw) at row y. */
static void draw_span(int y, int maxw, const struct kb_span *sp, const char *text, int col,
                      int left, attr_t a, short pair, const struct kb_tui_overlay *ov, int lineno)
{
	size_t i = 0;
	while (i < sp->len) {
		uint32_t cp;
		int len = kb_utf8_decode(text + i, sp->len - i, &cp), w = kb_width_cp(cp);
		size_t end = (size_t)len + i;
		attr_t ca = a;
		if (w < 0)
			w = 0;
		while (end < sp->len) { /* keep combining marks with their base */
			uint32_t c2;
			int l2 = kb_utf8_decode(text + end, sp->len - end, &c2);
			if (kb_width_cp(c2) != 0)
				break;
			end += (size_t)l2;
		}
		if (lineno == ov->find_line && col >= ov->find_col && col < ov->find_col + ov->find_width)
			ca |= A_REVERSE | A_BOLD | A_UNDERLINE;
		if (w > 0 && col >= left && col + w <= left + maxw)
			put_cells(y, col - left, w, text + i, end - i, ca, pair);
		else if (w > 0 && col < left && col + w > left) /* a wide character cut at the left */
			put_cells(y, 0, 1, " ", 1, ca, pair);
		col += w;
		i = end;
		if (col >= left + maxw)
			break;
	}
}

void kb_tui_draw_line(int y, int maxw, const struct kb_doc *doc, int lineno, int left,
                      const struct kb_tui_overlay *ov)
{
	const struct kb_line *l = &doc->lines[lineno];
	int col = 0, room = maxw;
	bool more;
	if (l->code < 0)
		left = 0;
	more = l->width - left > maxw;
	if (more)
		room = maxw - 1;
	for (size_t i = 0; i < l->nspans && col < left + room; i++) {
		const struct kb_span *sp = &doc->spans[l->span + i];
		attr_t a;
		short pair;
		span_look(sp, l, ov, &a, &pair);
		if (col + sp->width > left)
			draw_span(y, room, sp, kb_span_text(doc, sp), col, left, a, pair, ov, lineno);
		col += sp->width;
	}
	if (more)
		kb_tui_put(y, maxw - 1, 1, kb_tui_sym(KB_TUI_SYM_RIGHT), strlen(kb_tui_sym(KB_TUI_SYM_RIGHT)),
		           KB_TUI_UI_MORE, 0);
	if (left > 0 && l->width > 0)
		kb_tui_put(y, 0, 1, kb_tui_sym(KB_TUI_SYM_LEFT), strlen(kb_tui_sym(KB_TUI_SYM_LEFT)),
		           KB_TUI_UI_MORE, 0);
}

/* ---- the cursor ---------------------------------------------------------------------- */

static int cursor_y = -1, cursor_x;

void kb_tui_cursor(int y, int x)
{
	cursor_y = y;
	cursor_x = x;
}

void kb_tui_draw_done(void)
{
	if (cursor_y >= 0) {
		move(cursor_y, cursor_x);
		curs_set(1);
	} else {
		curs_set(0);
	}
	refresh();
}

bool kb_tui_cursor_at(int *y, int *x)
{
	*y = cursor_y;
	*x = cursor_x;
	return cursor_y >= 0;
}
