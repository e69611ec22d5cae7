/* list.c - what every list of the browser shares: moving a selection through items of one or
 * two rows, and drawing its head, an entry (a hit) as a title line and a snippet line, and a
 * name with its count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_priv.h"

#define WHEEL_STEP 3

/* Items that fit in rows screen rows (at least 1). */
static size_t visible(const struct kb_tui_list *l, int rows)
{
	int per = l->rows > 0 ? l->rows : 1;
	return rows / per > 0 ? (size_t)(rows / per) : 1;
}

static size_t step(size_t from, long delta, size_t n)
{
	long to = (long)from + delta;
	if (to < 0 || n == 0)
		return 0;
	return (size_t)to >= n ? n - 1 : (size_t)to;
}

bool kb_tui_list_move(struct kb_tui_list *l, int act, int rows)
{
	long vis = (long)visible(l, rows), half = vis / 2 > 0 ? vis / 2 : 1;
	switch (act) {
	case KB_TUI_A_DOWN: case KB_TUI_A_SEL_NEXT: l->sel = step(l->sel, 1, l->n); break;
	case KB_TUI_A_UP: case KB_TUI_A_SEL_PREV: l->sel = step(l->sel, -1, l->n); break;
	case KB_TUI_A_HALF_DOWN: l->sel = step(l->sel, half, l->n); break;
	case KB_TUI_A_HALF_UP: l->sel = step(l->sel, -half, l->n); break;
	case KB_TUI_A_PAGE_DOWN:
		l->sel = step(l->sel, vis, l->n);
		l->top = step(l->top, vis, l->n);
		break;
	case KB_TUI_A_PAGE_UP:
		l->sel = step(l->sel, -vis, l->n);
		l->top = step(l->top, -vis, l->n);
		break;
	case KB_TUI_A_WHEEL_DOWN: l->sel = step(l->sel, WHEEL_STEP, l->n); break;
	case KB_TUI_A_WHEEL_UP: l->sel = step(l->sel, -WHEEL_STEP, l->n); break;
	case KB_TUI_A_TOP: l->sel = 0; break;
	case KB_TUI_A_BOTTOM: l->sel = l->n ? l->n - 1 : 0; break;
	default: return false;
	}
	kb_tui_list_fit(l, rows);
	return true;
}

void kb_tui_list_fit(struct kb_tui_list *l, int rows)
{
	size_t vis = visible(l, rows);
	if (l->n == 0) {
		l->sel = l->top = 0;
		return;
	}
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (l->top + vis > l->n) /* no empty room under the last item */
		l->top = l->n > vis ? l->n - vis : 0;
	if (l->sel < l->top)
		l->top = l->sel;
	else if (l->sel >= l->top + vis)
		l->top = l->sel - vis + 1;
}

/* ---- entries in lists ------------------------------------------------------------------ */

/* The page an entry is part of, in front of its title ("Safely Drain a Node › ", "rm(1) › "),
 * in what the title leaves, else a quarter of avail; not at all when it would be cut to less
 * than 12 columns, nor when the title starts with it. Returns the columns drawn. */
static int draw_context(int y, int x, int avail, const struct kb_hit *h, unsigned f)
{
	const char *sep = kb_tui_sym(KB_TUI_SYM_CONTEXT);
	int sw, tw, room, used;
	if (!h->context || !*h->context || strncmp(h->title, h->context, strlen(h->context)) == 0)
		return 0;
	sw = kb_tui_width(h->context);
	tw = kb_tui_width(h->title) + kb_tui_width(sep);
	room = avail - tw > avail / 4 ? avail - tw : avail / 4;
	if (sw > room && room < 12) /* cut to less than 12 columns: left out */
		return 0;
	used = kb_tui_put(y, x, sw < room ? sw : room, h->context, strlen(h->context), KB_TUI_UI_HINT,
	                  f | KB_TUI_F_CUT);
	return used + kb_tui_put(y, x + used, avail - used, sep, strlen(sep), KB_TUI_UI_HINT, f);
}

void kb_tui_draw_hit(int y, int cols, const struct kb_hit *h, bool sel)
{
	unsigned f = sel ? KB_TUI_F_SEL : 0;
	char *comps = kb_strv_join(&h->components, ", ");
	int cw = 0, x = 2;
	if (sel) {
		kb_tui_fill(y, 0, cols, KB_TUI_UI_TITLE, f);
		kb_tui_put(y, 0, 1, kb_tui_sym(KB_TUI_SYM_SEL), strlen(kb_tui_sym(KB_TUI_SYM_SEL)),
		           KB_TUI_UI_TITLE, f);
	}
	if (*comps) {
		char *br = kb_xasprintf("[%s]", comps);
		int room = cols / 3;
		cw = kb_tui_width(br);
		cw = cw > room ? room : cw;
		kb_tui_put(y, cols - cw, cw, br, strlen(br), KB_TUI_UI_COMPONENT, f | KB_TUI_F_CUT);
		free(br);
	}
	x += draw_context(y, x, cols - x - cw - (cw ? 1 : 0), h, f);
	kb_tui_put(y, x, cols - x - cw - (cw ? 1 : 0), h->title, strlen(h->title), KB_TUI_UI_TITLE,
	           f | KB_TUI_F_CUT);
	if (h->snippet && *h->snippet)
		kb_tui_put_marked(y + 1, 4, cols - 4, h->snippet, KB_TUI_UI_TEXT, 0);
	else
		kb_tui_put(y + 1, 4, cols - 4, h->id, strlen(h->id), KB_TUI_UI_ID, KB_TUI_F_CUT);
	free(comps);
}

unsigned kb_tui_list_context(const struct kb_tui_view *v)
{
	(void)v;
	return KB_TUI_CTX_LIST;
}

void kb_tui_draw_list_head(int y, int cols, const char *err, const char *head)
{
	const char *s = err[0] ? err : head;
	kb_tui_put(y, 0, cols, s, strlen(s), err[0] ? KB_TUI_UI_ERROR : KB_TUI_UI_HINT, KB_TUI_F_CUT);
}

void kb_tui_draw_count(int y, int cols, const char *label, long long entries, int ui, bool sel)
{
	unsigned f = sel ? KB_TUI_F_SEL : 0;
	char n[32];
	int nw = snprintf(n, sizeof n, "%lld", entries);
	if (sel) {
		kb_tui_fill(y, 0, cols, KB_TUI_UI_TEXT, f);
		kb_tui_put(y, 0, 1, kb_tui_sym(KB_TUI_SYM_SEL), 1, KB_TUI_UI_TEXT, f);
	}
	kb_tui_put(y, cols - nw - 1, nw, n, (size_t)nw, KB_TUI_UI_ID, f);
	kb_tui_put(y, 2, cols - nw - 4, label, strlen(label), ui, f | KB_TUI_F_CUT);
}

char *kb_tui_where(const char *id, const char *path, int line)
{
	if (strcmp(id, path) == 0) /* a note that is one entry: its id is its path */
		return kb_xasprintf("%s:%d", path, line);
	return kb_xasprintf("%s  %s:%d", id, path, line);
}

char *kb_tui_hit_status(const struct kb_hit *h)
{
	return kb_tui_where(h->id, h->path, h->line);
}
