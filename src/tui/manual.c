/* manual.c - the host's manual in the browser: the Manual screen (sections with their page
 * counts, then a section's pages) and whole pages for the reader, opened at an option. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb/format.h"
#include "tui_priv.h"

int kb_tui_man_page(struct kb_tui *t, struct kb_entry *e, struct kb_err *err)
{
	struct kb_entries es = {0};
	char *page;
	const char *at;
	int line = 1;
	if (kb_index_note_entries(t->ix, e->path, &es, err) != 0) {
		kb_entries_free(&es);
		return -1;
	}
	if (es.n == 0) {
		kb_entries_free(&es);
		return 0;
	}
	page = kb_format_man_page(es.v, es.n);
	kb_entries_free(&es);
	/* an item's text is in the page as it is in the entry: the option starts there */
	at = strchr(e->id, '#') && e->body ? strstr(page, e->body) : NULL;
	for (const char *p = page; at && p < at; p++)
		line += *p == '\n';
	free(e->body);
	e->body = page;
	e->body_len = strlen(page);
	return at ? line : 0;
}

bool kb_tui_has_manual(struct kb_tui *t)
{
	struct kb_counts c = {0};
	struct kb_err err;
	bool any = kb_index_man_sections(t->ix, &c, &err) == 0 && c.n > 0;
	kb_counts_free(&c);
	return any;
}

/* ---- the Manual screen: its sections ------------------------------------------------- */

struct manual_view {
	struct kb_tui_view base;
	bool loaded;
	struct kb_counts sections;
	struct kb_tui_list list;
	char err[512];
};

static void manual_load(struct kb_tui *t, struct manual_view *mv)
{
	struct kb_err err;
	if (mv->loaded)
		return;
	mv->loaded = true;
	if (kb_index_man_sections(t->ix, &mv->sections, &err) != 0)
		snprintf(mv->err, sizeof mv->err, "%s", err.msg);
	mv->list.n = mv->sections.n;
	mv->list.rows = 1;
}

static void manual_draw(struct kb_tui *t, struct kb_tui_view *v, int top, int bottom)
{
	struct manual_view *mv = (struct manual_view *)v;
	int cols = COLS, rows = bottom - top - 1;
	char head[160], pos[48];
	manual_load(t, mv);
	snprintf(head, sizeof head, "%zu sections of the manual (kb build --man)", mv->sections.n);
	kb_tui_draw_list_head(top, cols, mv->err, head);
	kb_tui_list_fit(&mv->list, rows);
	for (size_t i = mv->list.top; i < mv->sections.n && (int)(i - mv->list.top) < rows; i++) {
		char *label = kb_xasprintf("Section %s", mv->sections.v[i].name);
		kb_tui_draw_count(top + 1 + (int)(i - mv->list.top), cols, label, mv->sections.v[i].entries,
		                  KB_TUI_UI_COMPONENT, i == mv->list.sel);
		free(label);
	}
	if (!mv->sections.n) {
		kb_tui_draw_status(t, "no man pages in the index (kb build --man)", NULL);
		return;
	}
	snprintf(pos, sizeof pos, "%zu/%zu", mv->list.sel + 1, mv->sections.n);
	kb_tui_draw_status(t, "Enter: the section's pages", pos);
}

static bool manual_act(struct kb_tui *t, struct kb_tui_view *v, int act, const struct kb_tui_event *ev)
{
	struct manual_view *mv = (struct manual_view *)v;
	(void)ev;
	manual_load(t, mv);
	if (kb_tui_list_move(&mv->list, act, LINES - 3))
		return true;
	if (act != KB_TUI_A_OPEN)
		return false;
	if (mv->sections.n)
		kb_tui_push(t, kb_tui_man_pages_new(mv->sections.v[mv->list.sel].name));
	return true;
}

static void manual_free(struct kb_tui_view *v)
{
	struct manual_view *mv = (struct manual_view *)v;
	kb_counts_free(&mv->sections);
	free(mv);
}

static const struct kb_tui_view_ops manual_ops = {KB_TUI_VIEW_MANUAL, kb_tui_list_context, manual_draw, manual_act, manual_free};

struct kb_tui_view *kb_tui_manual_new(void)
{
	struct manual_view *mv = kb_xcalloc(1, sizeof *mv);
	mv->base.ops = &manual_ops;
	return &mv->base;
}
