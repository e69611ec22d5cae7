/* search_screen.c - the Search screen: a prompt whose results follow what is typed (the last
 * word as a prefix; a pasted log line is matched by its error), and the list of those results. */
#include <curses.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb/query.h"
#include "tui_priv.h"

struct search_view {
	struct kb_tui_view base;
	struct kb_tui_prompt prompt;
	bool in_list;          /* the results list has the keys, not the prompt */
	char *posted;          /* the text last searched for; NULL: none yet */
	unsigned long gen;     /* its search's generation (searcher.c) */
	char *searched;        /* the text the results shown are for; NULL: none yet */
	struct kb_search_result res;
	bool have_res;
	struct kb_tui_list list;
	char err[512];
	bool open_when_found;  /* Enter came while the results were being updated */
	size_t more;           /* the results asked for to load more of the same; 0: none */
};

static const struct kb_tui_view_ops search_ops;

static unsigned search_context(const struct kb_tui_view *v)
{
	const struct search_view *sv = (const struct search_view *)v;
	/* in the list too, a key that types text edits the search */
	return sv->in_list ? KB_TUI_CTX_LIST | KB_TUI_CTX_TEXT : KB_TUI_CTX_PROMPT;
}

/* Whether the results shown are for other text than was last searched for. */
static bool updating(const struct search_view *sv)
{
	return sv->posted && (!sv->searched || strcmp(sv->searched, sv->posted) != 0);
}

/* Adds to the results shown those of f (the same search, more of its results) that they
 * do not hold yet, after them: the rows on the screen stay where they are. */
static void show_more(struct search_view *sv, struct kb_tui_found *f)
{
	struct kb_hits *h = &sv->res.hits;
	for (size_t i = 0; i < f->res.hits.n; i++) {
		bool have = false;
		for (size_t k = 0; k < h->n && !have; k++)
			have = h->v[k].rowid == f->res.hits.v[i].rowid;
		if (!have)
			kb_hits_take(h, &f->res.hits, i);
	}
	if (f->res.total > sv->res.total)
		sv->res.total = f->res.total;
	if (f->res.hits.n < f->limit) /* fewer than asked for: there are no more */
		sv->res.total = h->n;
	sv->list.n = h->n;
	kb_tui_found_free(f);
}

/* Shows the results of f (taking what it holds), for the text last searched for. */
static void show_found(struct search_view *sv, struct kb_tui_found *f)
{
	if (sv->more && f->ok && sv->have_res && !updating(sv)) {
		sv->more = 0;
		show_more(sv, f);
		return;
	}
	sv->more = 0;
	if (sv->have_res)
		kb_search_result_free(&sv->res);
	sv->have_res = f->ok;
	sv->res = f->res;
	snprintf(sv->err, sizeof sv->err, "%s", f->ok ? "" : f->err);
	memset(f, 0, sizeof *f);
	free(sv->searched);
	sv->searched = kb_xstrdup(sv->posted ? sv->posted : "");
	sv->list.sel = sv->list.top = 0;
	sv->list.n = sv->have_res ? sv->res.hits.n : 0;
}

/* Runs the Search screen's search of text on ix, into *f. */
void kb_tui_search_run(struct kb_index *ix, const char *text, size_t limit, struct kb_tui_found *f)
{
	struct kb_search_opts so = {.text = text, .query_flags = KB_QUERY_PREFIX_LAST,
	                            .limit = limit, .snippets = true, .count = true};
	struct kb_err err;
	f->limit = limit;
	if (kb_search_run(ix, &so, &f->res, &err) == 0) {
		f->ok = true;
		return;
	}
	kb_search_result_free(&f->res);
	snprintf(f->err, sizeof f->err, "%s", err.msg);
}

/* Starts the search when the prompt's text has changed since the last one: on the search
 * thread when there is one (its results come later, kb_tui_search_found), else here. */
static void refresh_results(struct kb_tui *t, struct search_view *sv)
{
	const char *text = kb_buf_str(&sv->prompt.text);
	struct kb_tui_found f = {.ok = false};
	if (sv->posted && strcmp(sv->posted, text) == 0)
		return;
	sv->more = 0;
	free(sv->posted);
	sv->posted = kb_xstrdup(text);
	if (text[strspn(text, " ")] == '\0') { /* nothing to search for: no results, now */
		if (t->searcher)
			sv->gen = kb_tui_searcher_post(t->searcher, NULL, 0);
		show_found(sv, &f);
		return;
	}
	if (t->searcher) {
		sv->gen = kb_tui_searcher_post(t->searcher, text, KB_TUI_RESULTS_MAX);
		kb_tui_timing_posted(t, sv->gen);
		return;
	}
	kb_tui_search_run(t->ix, text, KB_TUI_RESULTS_MAX, &f);
	show_found(sv, &f);
}

/* Loads more of the results when the selection is on the last one shown and the search has
 * more (the count says so): the same search for a page more of them, whose new ones
 * show_found puts after those shown. */
static void load_more(struct kb_tui *t, struct search_view *sv)
{
	struct kb_tui_found f = {.ok = false};
	size_t n = sv->have_res ? sv->res.hits.n : 0;
	if (!n || sv->more || updating(sv) || sv->list.sel + 1 < n || sv->res.total <= n)
		return;
	sv->more = n + KB_TUI_RESULTS_MAX;
	if (t->searcher) {
		sv->gen = kb_tui_searcher_post(t->searcher, sv->posted, sv->more);
		return;
	}
	kb_tui_search_run(t->ix, sv->posted, sv->more, &f);
	show_found(sv, &f);
}

/* The line under the prompt: how the text was read and how many entries it found. */
/* n with a comma between each three digits ("3,007"), in buf. */
static const char *thousands(size_t n, char *buf, size_t len)
{
	char digits[32];
	size_t nd = (size_t)snprintf(digits, sizeof digits, "%zu", n), o = 0;
	for (size_t i = 0; i < nd && o + 2 < len; i++) {
		if (i && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

static void draw_info(struct kb_tui *t, struct search_view *sv, int y, int cols)
{
	char s[256], num[32];
	size_t n = sv->have_res ? sv->res.hits.n : 0;
	const char *plural = n == 1 ? "entry" : "entries";
	if (sv->err[0] && !updating(sv)) {
		kb_tui_put(y, 0, cols, sv->err, strlen(sv->err), KB_TUI_UI_ERROR, KB_TUI_F_CUT);
		return;
	}
	if (!sv->have_res && sv->searched && sv->searched[0] && sv->searched[strspn(sv->searched, " ")])
		snprintf(s, sizeof s, "nothing to search for in that");
	else if (!sv->have_res && t->entries >= 0)
		snprintf(s, sizeof s, "Type words, or paste an error line. %lld entries.", t->entries);
	else if (!sv->have_res)
		snprintf(s, sizeof s, "Type words, or paste an error line.");
	else if (sv->res.how == KB_SEARCH_NOTHING)
		snprintf(s, sizeof s, "nothing to search for in that");
	else if (n == 0)
		snprintf(s, sizeof s, "nothing found");
	else if (sv->res.showing)
		snprintf(s, sizeof s, "showing results for %.200s: %zu %s", sv->res.showing, n, plural);
	else if (sv->res.how == KB_SEARCH_SOME)
		snprintf(s, sizeof s, "no entry has all the words: %zu %s with some of them", n, plural);
	else if (sv->res.how == KB_SEARCH_LOG)
		snprintf(s, sizeof s, "read as a log line: %zu %s with that error", n, plural);
	else if (sv->res.total > n)
		snprintf(s, sizeof s, "%zu of %s entries%s", n, thousands(sv->res.total, num, sizeof num),
		         sv->more ? "  (loading more)" : "");
	else
		snprintf(s, sizeof s, "%zu %s", n, plural);
	if (sv->have_res && sv->res.hits.partial && n)
		snprintf(s + strlen(s), sizeof s - strlen(s), " (of the first %d with that: type more)",
		         KB_INDEX_BOUND_ROWS);
	if (sv->have_res && sv->res.ignored_words)
		snprintf(s + strlen(s), sizeof s - strlen(s), " (only the first %d words are searched)",
		         KB_QUERY_MAX_TERMS);
	if (updating(sv) && !sv->have_res && !sv->err[0])
		snprintf(s, sizeof s, "searching%s", kb_tui_sym(KB_TUI_SYM_ELLIPSIS));
	else if (updating(sv)) /* the results of the text before, until the new ones come */
		snprintf(s + strlen(s), sizeof s - strlen(s), "  (updating%s)", kb_tui_sym(KB_TUI_SYM_ELLIPSIS));
	if (sv->in_list && n) /* what the keys do now that they are not typing */
		snprintf(s + strlen(s), sizeof s - strlen(s), "   Enter: read  Esc: edit");
	kb_tui_put(y, 0, cols, s, strlen(s), KB_TUI_UI_HINT, KB_TUI_F_CUT);
}

static void search_draw(struct kb_tui *t, struct kb_tui_view *v, int top, int bottom)
{
	struct search_view *sv = (struct search_view *)v;
	int cols = COLS, rows = bottom - top - 2;
	refresh_results(t, sv);
	load_more(t, sv);
	draw_info(t, sv, top + 1, cols);
	sv->list.rows = 2;
	kb_tui_list_fit(&sv->list, rows);
	for (size_t i = sv->list.top; i < sv->list.n && (int)(i - sv->list.top) * 2 + 1 < rows; i++)
		kb_tui_draw_hit(top + 2 + (int)(i - sv->list.top) * 2, cols, &sv->res.hits.v[i],
		                i == sv->list.sel);
	if (sv->list.n) {
		char *s = kb_tui_hit_status(&sv->res.hits.v[sv->list.sel]), pos[48];
		snprintf(pos, sizeof pos, "%zu/%zu", sv->list.sel + 1, sv->list.n);
		kb_tui_draw_status(t, s, pos);
		free(s);
	} else {
		kb_tui_draw_status(t, "Tab: Components, Symptoms  F1: help  Ctrl-C: quit", NULL);
	}
	if (!sv->in_list) /* last: it leaves the cursor in the prompt */
		kb_tui_prompt_draw(&sv->prompt, top, cols, "Search: ");
	else {
		kb_tui_put(top, 0, cols, "Search: ", 8, KB_TUI_UI_HINT, 0);
		kb_tui_put(top, 8, cols - 8, kb_buf_str(&sv->prompt.text), sv->prompt.text.len,
		           KB_TUI_UI_HINT, KB_TUI_F_CUT);
	}
}

static void open_selected(struct kb_tui *t, struct search_view *sv)
{
	refresh_results(t, sv);
	if (updating(sv)) { /* the list is the text before's: open when this text's comes */
		sv->open_when_found = true;
		return;
	}
	if (!sv->list.n) {
		kb_tui_msg(t, false, "no entry to open");
		return;
	}
	kb_tui_history_add(t, kb_buf_str(&sv->prompt.text));
	sv->prompt.hist = SIZE_MAX;
	sv->in_list = true; /* back from the reader: arrows and Enter pick another; typing edits */
	kb_tui_push(t, kb_tui_reader_entry(sv->res.hits.v[sv->list.sel].id, &sv->res.words));
}

static bool prompt_act(struct kb_tui *t, struct search_view *sv, int act, const struct kb_tui_event *ev)
{
	if (kb_tui_prompt_takes(act)) {
		if (kb_tui_prompt_act(&sv->prompt, act, ev, &t->history))
			sv->list.sel = sv->list.top = 0;
		return true;
	}
	switch (act) {
	case KB_TUI_A_ACCEPT: open_selected(t, sv); return true;
	case KB_TUI_A_CANCEL: sv->in_list = true; return true;
	case KB_TUI_A_SEL_NEXT: case KB_TUI_A_SEL_PREV: case KB_TUI_A_PAGE_DOWN: case KB_TUI_A_PAGE_UP:
	case KB_TUI_A_WHEEL_DOWN: case KB_TUI_A_WHEEL_UP:
		refresh_results(t, sv);
		kb_tui_list_move(&sv->list, act, LINES - 4);
		return true;
	default: return false;
	}
}

static bool search_act(struct kb_tui *t, struct kb_tui_view *v, int act, const struct kb_tui_event *ev)
{
	struct search_view *sv = (struct search_view *)v;
	sv->open_when_found = false; /* another key came after Enter: that one is not wanted */
	if (act == KB_TUI_A_SEARCH || act == KB_TUI_A_PASTE_BEGIN) {
		if (act == KB_TUI_A_SEARCH || sv->in_list) { /* a new search; Up brings this one back */
			kb_tui_history_add(t, kb_buf_str(&sv->prompt.text));
			kb_tui_prompt_set(&sv->prompt, "");
		}
		sv->in_list = false;
		if (act == KB_TUI_A_PASTE_BEGIN)
			kb_tui_prompt_act(&sv->prompt, act, ev, NULL);
		return true;
	}
	if (sv->in_list && (act == KB_TUI_A_INSERT || act == KB_TUI_A_DEL_BACK))
		sv->in_list = false; /* typing goes on with the search, whatever had the focus */
	if (!sv->in_list)
		return prompt_act(t, sv, act, ev);
	refresh_results(t, sv);
	if (kb_tui_list_move(&sv->list, act, LINES - 4))
		return true;
	if (act == KB_TUI_A_OPEN) {
		open_selected(t, sv);
		return true;
	}
	if (act == KB_TUI_A_BACK && ev->key == 27) { /* Esc from the list: back to typing */
		sv->in_list = false;
		return true;
	}
	return false;
}

static void search_free(struct kb_tui_view *v)
{
	struct search_view *sv = (struct search_view *)v;
	kb_tui_prompt_free(&sv->prompt);
	free(sv->searched);
	free(sv->posted);
	if (sv->have_res)
		kb_search_result_free(&sv->res);
	free(sv);
}

static const struct kb_tui_view_ops search_ops = {
	KB_TUI_VIEW_SEARCH, search_context, search_draw, search_act, search_free};

void kb_tui_search_reset(struct kb_tui *t)
{
	struct kb_tui_stack *st = &t->stacks[0];
	struct search_view *sv = st->n && st->v[0]->ops == &search_ops ? (struct search_view *)st->v[0] : NULL;
	if (sv) {
		free(sv->posted);
		sv->posted = NULL;
	}
}

bool kb_tui_search_found(struct kb_tui *t)
{
	struct kb_tui_stack *st = &t->stacks[0];
	struct search_view *sv;
	struct kb_tui_found f;
	if (!t->searcher || !kb_tui_searcher_take(t->searcher, &f))
		return false;
	sv = st->n && st->v[0]->ops == &search_ops ? (struct search_view *)st->v[0] : NULL;
	if (!sv || f.gen != sv->gen) { /* for text that has changed since */
		kb_tui_found_free(&f);
		return false;
	}
	show_found(sv, &f);
	kb_tui_timing_found(t, sv->gen);
	if (sv->open_when_found && t->screen == 0 && st->n == 1) {
		sv->open_when_found = false;
		open_selected(t, sv);
	}
	return true;
}

struct kb_tui_view *kb_tui_search_new(void)
{
	struct search_view *sv = kb_xcalloc(1, sizeof *sv);
	sv->base.ops = &search_ops;
	sv->prompt.hist = SIZE_MAX;
	return &sv->base;
}
