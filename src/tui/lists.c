/* lists.c - the Components and Symptoms screens (names with entry counts) and the lists of
 * entries they lead to; each loads from the index the first time it is drawn. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_priv.h"

/* ---- components and symptoms ----------------------------------------------------------- */

struct counts_view {
	struct kb_tui_view base;
	bool symptoms;
	bool loaded;
	struct kb_counts counts;
	struct kb_tui_list list;
	char err[512];
};

static void counts_load(struct kb_tui *t, struct counts_view *cv)
{
	struct kb_err err;
	int rc;
	cv->loaded = true;
	rc = cv->symptoms ? kb_index_symptoms(t->ix, &cv->counts, &err) : kb_index_components(t->ix, &cv->counts, &err);
	if (rc != 0)
		snprintf(cv->err, sizeof cv->err, "%s", err.msg);
	cv->list.n = cv->counts.n;
	cv->list.rows = 1;
}

/* The name shown for item i: a component, or a symptom as written in a note. */
static const char *count_label(const struct counts_view *cv, size_t i)
{
	const struct kb_count *c = &cv->counts.v[i];
	return cv->symptoms && c->example ? c->example : c->name;
}

static void counts_draw(struct kb_tui *t, struct kb_tui_view *v, int top, int bottom)
{
	struct counts_view *cv = (struct counts_view *)v;
	int cols = COLS, rows = bottom - top - 1;
	char head[160], status[160];
	if (!cv->loaded)
		counts_load(t, cv);
	snprintf(head, sizeof head, cv->symptoms ? "%zu error signatures, most useful first" : "%zu components",
	         cv->counts.n);
	kb_tui_draw_list_head(top, cols, cv->err, head);
	kb_tui_list_fit(&cv->list, rows);
	for (size_t i = cv->list.top; i < cv->counts.n && (int)(i - cv->list.top) < rows; i++)
		kb_tui_draw_count(top + 1 + (int)(i - cv->list.top), cols, count_label(cv, i), cv->counts.v[i].entries,
		                  cv->symptoms ? KB_TUI_UI_TEXT : KB_TUI_UI_COMPONENT, i == cv->list.sel);
	if (cv->counts.n == 0) {
		kb_tui_draw_status(t, cv->symptoms ? "no symptoms in the index" : "no components in the index", NULL);
		return;
	}
	snprintf(status, sizeof status, "%zu/%zu", cv->list.sel + 1, cv->counts.n);
	if (cv->symptoms) {
		char *s = kb_xasprintf("signature: %s", cv->counts.v[cv->list.sel].name);
		kb_tui_draw_status(t, s, status);
		free(s);
	} else {
		kb_tui_draw_status(t, "Enter: the component's entries", status);
	}
}

static bool counts_act(struct kb_tui *t, struct kb_tui_view *v, int act, const struct kb_tui_event *ev)
{
	struct counts_view *cv = (struct counts_view *)v;
	const struct kb_count *c;
	(void)ev;
	if (!cv->loaded) /* keys typed ahead of the first draw */
		counts_load(t, cv);
	if (kb_tui_list_move(&cv->list, act, LINES - 3))
		return true;
	if (act != KB_TUI_A_OPEN)
		return false;
	if (cv->counts.n == 0)
		return true;
	c = &cv->counts.v[cv->list.sel];
	kb_tui_push(t, kb_tui_entries_new(cv->symptoms ? NULL : c->name, cv->symptoms ? c->name : NULL,
	                                  count_label(cv, cv->list.sel)));
	return true;
}

static void counts_free(struct kb_tui_view *v)
{
	struct counts_view *cv = (struct counts_view *)v;
	kb_counts_free(&cv->counts);
	free(cv);
}

static const struct kb_tui_view_ops components_ops = {
	KB_TUI_VIEW_COMPONENTS, kb_tui_list_context, counts_draw, counts_act, counts_free};
static const struct kb_tui_view_ops symptoms_ops = {
	KB_TUI_VIEW_SYMPTOMS, kb_tui_list_context, counts_draw, counts_act, counts_free};

struct kb_tui_view *kb_tui_components_new(void)
{
	struct counts_view *cv = kb_xcalloc(1, sizeof *cv);
	cv->base.ops = &components_ops;
	return &cv->base;
}

struct kb_tui_view *kb_tui_symptoms_new(void)
{
	struct counts_view *cv = kb_xcalloc(1, sizeof *cv);
	cv->base.ops = &symptoms_ops;
	cv->symptoms = true;
	return &cv->base;
}

/* ---- the entries of a component or a symptom -------------------------------------------- */

struct entries_view {
	struct kb_tui_view base;
	char *component, *signature, *label;
	char *man_section; /* the pages of this section of the manual, instead */
	bool loaded;
	struct kb_hits hits;
	struct kb_tui_list list;
	char err[512];
};

static void entries_load(struct kb_tui *t, struct entries_view *ev)
{
	struct kb_err err;
	if (ev->loaded)
		return;
	ev->loaded = true;
	if ((ev->man_section ? kb_index_man_pages(t->ix, ev->man_section, &ev->hits, &err)
	                     : kb_index_list(t->ix, ev->component, ev->signature, &ev->hits, &err)) != 0)
		snprintf(ev->err, sizeof ev->err, "%s", err.msg);
	ev->list.n = ev->hits.n;
	ev->list.rows = 2;
}

static void entries_draw(struct kb_tui *t, struct kb_tui_view *v, int top, int bottom)
{
	struct entries_view *ev = (struct entries_view *)v;
	int cols = COLS, rows = bottom - top - 1;
	char *head;
	entries_load(t, ev);
	head = ev->man_section ? kb_xasprintf("Manual section %s: %zu page%s", ev->man_section, ev->hits.n,
	                                      ev->hits.n == 1 ? "" : "s")
	                       : kb_xasprintf("%s %s: %zu entr%s", ev->component ? "Component" : "Symptom", ev->label,
	                                      ev->hits.n, ev->hits.n == 1 ? "y" : "ies");
	kb_tui_draw_list_head(top, cols, ev->err, head);
	free(head);
	kb_tui_list_fit(&ev->list, rows);
	for (size_t i = ev->list.top; i < ev->hits.n && (int)(i - ev->list.top) * 2 + 1 < rows; i++)
		kb_tui_draw_hit(top + 1 + (int)(i - ev->list.top) * 2, cols, &ev->hits.v[i], i == ev->list.sel);
	if (ev->hits.n) {
		char *s = kb_tui_hit_status(&ev->hits.v[ev->list.sel]), pos[48];
		snprintf(pos, sizeof pos, "%zu/%zu", ev->list.sel + 1, ev->hits.n);
		kb_tui_draw_status(t, s, pos);
		free(s);
	} else {
		kb_tui_draw_status(t, "no entries", NULL);
	}
}

static bool entries_act(struct kb_tui *t, struct kb_tui_view *v, int act, const struct kb_tui_event *e)
{
	struct entries_view *ev = (struct entries_view *)v;
	(void)e;
	entries_load(t, ev);
	if (kb_tui_list_move(&ev->list, act, LINES - 3))
		return true;
	if (act != KB_TUI_A_OPEN)
		return false;
	if (ev->hits.n)
		kb_tui_push(t, kb_tui_reader_entry(ev->hits.v[ev->list.sel].id, NULL));
	return true;
}

static void entries_free(struct kb_tui_view *v)
{
	struct entries_view *ev = (struct entries_view *)v;
	kb_hits_free(&ev->hits);
	free(ev->component);
	free(ev->signature);
	free(ev->label);
	free(ev->man_section);
	free(ev);
}

static const struct kb_tui_view_ops entries_ops = {
	KB_TUI_VIEW_ENTRIES, kb_tui_list_context, entries_draw, entries_act, entries_free};

struct kb_tui_view *kb_tui_entries_new(const char *component, const char *signature, const char *label)
{
	struct entries_view *ev = kb_xcalloc(1, sizeof *ev);
	ev->base.ops = &entries_ops;
	ev->component = component ? kb_xstrdup(component) : NULL;
	ev->signature = signature ? kb_xstrdup(signature) : NULL;
	ev->label = kb_xstrdup(label);
	return &ev->base;
}

struct kb_tui_view *kb_tui_man_pages_new(const char *section)
{
	struct entries_view *ev = (struct entries_view *)kb_tui_entries_new(NULL, NULL, section);
	ev->man_section = kb_xstrdup(section);
	return &ev->base;
}
