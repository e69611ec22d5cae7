/* tui.c - the browser's one loop: events to actions through the keymap, actions to the view on
 * top of the current screen's stack, and what no view takes (back, screens, help, quit). */
#include <curses.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb/width.h"
#include "tui_priv.h"

/* The screens: what the bar calls them and the view each starts with. */
static const struct {
	const char *name;
	struct kb_tui_view *(*first)(void);
} screens[KB_TUI_SCREENS] = {
	{"Search", kb_tui_search_new},
	{"Components", kb_tui_components_new},
	{"Symptoms", kb_tui_symptoms_new},
	{"Manual", kb_tui_manual_new},
};

/* The view on top of the current screen's stack (never empty: a screen's first view stays). */
static struct kb_tui_view *top(struct kb_tui *t)
{
	struct kb_tui_stack *s = &t->stacks[t->screen];
	return s->v[s->n - 1];
}

void kb_tui_push(struct kb_tui *t, struct kb_tui_view *v)
{
	struct kb_tui_stack *s = &t->stacks[t->screen];
	kb_xgrow(&s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n++] = v;
}

static void pop(struct kb_tui *t)
{
	struct kb_tui_stack *s = &t->stacks[t->screen];
	struct kb_tui_view *v = s->v[--s->n];
	v->ops->free(v);
}

void kb_tui_screen(struct kb_tui *t, int i)
{
	t->screen = i;
	if (t->stacks[i].n)
		return;
	kb_tui_push(t, screens[i].first());
}

int kb_tui_reopen(struct kb_tui *t, struct kb_err *err)
{
	struct kb_index *nix;
	char *path = kb_xstrdup(kb_index_path(t->ix));
	int rc = kb_index_open(path, &nix, err);
	free(path);
	if (rc != 0)
		return -1;
	if (t->own_ix)
		kb_index_close(t->own_ix);
	t->ix = t->own_ix = nix;
	/* The search thread has a connection of its own, to the file that was replaced: it
	 * gets a new one, and the search screen searches its text again. Without a thread
	 * (it could not start), searches run here, on the new index. */
	if (t->searcher) {
		struct kb_err serr;
		kb_tui_searcher_free(t->searcher);
		t->searcher = kb_tui_searcher_new(kb_index_path(nix), &serr);
	}
	kb_tui_search_reset(t);
	return 0;
}

void kb_tui_msg(struct kb_tui *t, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_error = error;
}

/* ---- drawing ------------------------------------------------------------------------- */

void kb_tui_draw_bar(struct kb_tui *t, const char *help_key)
{
	int x = 0, cols = COLS;
	kb_tui_fill(0, 0, cols, KB_TUI_UI_BAR, 0);
	if (cols >= 60)
		x += kb_tui_put(0, x, cols - x, " kb ", 4, KB_TUI_UI_BAR, 0);
	for (int i = 0; i < t->nscreens && x < cols; i++) {
		char item[32];
		int n = snprintf(item, sizeof item, " %d %s ", i + 1, screens[i].name);
		x += kb_tui_put(0, x, cols - x, item, (size_t)n, i == t->screen ? KB_TUI_UI_BAR_CUR : KB_TUI_UI_BAR, 0);
	}
	if (help_key) {
		char h[32];
		int n = snprintf(h, sizeof h, "%s help ", help_key);
		if (cols - x > n)
			kb_tui_put(0, cols - n, n, h, (size_t)n, KB_TUI_UI_BAR, 0);
	}
}

/* Drops the last "  "-separated field of s; false when there is only one. */
static bool drop_field(char *s)
{
	char *last = NULL;
	for (char *p = strstr(s, "  "); p; p = strstr(p + 2, "  "))
		last = p;
	if (!last)
		return false;
	*last = '\0';
	return true;
}

void kb_tui_draw_status(struct kb_tui *t, const char *text, const char *right)
{
	int y = LINES - 1, cols = COLS, rw = 0;
	char *s;
	if (t->msg[0]) {
		kb_tui_put(y, 0, cols, t->msg, strlen(t->msg), t->msg_error ? KB_TUI_UI_ERROR : KB_TUI_UI_MSG,
		           KB_TUI_F_CUT);
		return;
	}
	kb_tui_fill(y, 0, cols, KB_TUI_UI_STATUS, 0);
	if (right && (rw = kb_tui_width(right)) + 12 < cols) {
		kb_tui_put(y, cols - rw - 1, rw, right, strlen(right), KB_TUI_UI_STATUS, 0);
		rw += 2;
	} else {
		rw = 0;
	}
	if (!text)
		return;
	s = kb_xstrdup(text); /* too wide: fewer fields before cutting one */
	while (kb_tui_width(s) > cols - rw && drop_field(s))
		;
	kb_tui_put(y, 0, cols - rw, s, strlen(s), KB_TUI_UI_STATUS, KB_TUI_F_CUT);
	free(s);
}

static void draw_too_small(void)
{
	char s[128];
	int n = snprintf(s, sizeof s, "terminal too small: %dx%d (kb needs %dx%d)", COLS, LINES,
	                 KB_TUI_MIN_COLS, KB_TUI_MIN_ROWS);
	if (n > COLS)
		n = snprintf(s, sizeof s, "too small: %dx%d", COLS, LINES);
	kb_tui_put(0, 0, COLS, s, (size_t)n, KB_TUI_UI_ERROR, KB_TUI_F_CUT);
}

static bool too_small(void)
{
	return COLS < KB_TUI_MIN_COLS || LINES < KB_TUI_MIN_ROWS;
}

void kb_tui_draw(struct kb_tui *t)
{
	struct kb_tui_view *v = top(t);
	erase();
	kb_tui_cursor(-1, 0);
	if (too_small()) {
		draw_too_small();
	} else {
		unsigned ctx = v->ops->context(v); /* where ? is text or find-backward: F1 */
		bool f1 = ctx == KB_TUI_CTX_PROMPT || ctx == KB_TUI_CTX_READER || (ctx & KB_TUI_CTX_TEXT);
		kb_tui_draw_bar(t, f1 ? "F1" : "?");
		v->ops->draw(t, v, 1, LINES - 1);
	}
	kb_tui_draw_done();
}

/* ---- actions ------------------------------------------------------------------------- */

/* The browser-wide actions (quit, back, screens, help, search ...): what the loop does with
 * an action the view left alone. */
static void global_act(struct kb_tui *t, int act, const struct kb_tui_event *ev)
{
	struct kb_tui_view *v;
	switch (act) {
	case KB_TUI_A_QUIT: t->quit = true; break;
	case KB_TUI_A_BACK:
		if (t->stacks[t->screen].n > 1)
			pop(t);
		else if (ev->key == 'q')
			t->quit = true;
		break;
	case KB_TUI_A_SCREEN1: case KB_TUI_A_SCREEN2: case KB_TUI_A_SCREEN3: case KB_TUI_A_SCREEN4:
		if (act - KB_TUI_A_SCREEN1 < t->nscreens)
			kb_tui_screen(t, act - KB_TUI_A_SCREEN1);
		break;
	case KB_TUI_A_NEXT_SCREEN: kb_tui_screen(t, (t->screen + 1) % t->nscreens); break;
	case KB_TUI_A_PREV_SCREEN: kb_tui_screen(t, (t->screen + t->nscreens - 1) % t->nscreens); break;
	case KB_TUI_A_HELP:
		v = top(t);
		if (v->ops->kind != KB_TUI_VIEW_HELP)
			kb_tui_push(t, kb_tui_reader_help());
		break;
	case KB_TUI_A_REDRAW: clearok(curscr, TRUE); break;
	case KB_TUI_A_MOUSE:
		kb_tui_term_mouse(t, !t->mouse);
		kb_tui_msg(t, false, t->mouse ? "mouse wheel on (Shift selects text in most terminals)"
		                              : "mouse off: the terminal selects text");
		break;
	case KB_TUI_A_SEARCH: case KB_TUI_A_PASTE_BEGIN:
		kb_tui_screen(t, 0);
		v = top(t);
		while (v->ops->kind != KB_TUI_VIEW_SEARCH) {
			pop(t);
			v = top(t);
		}
		v->ops->act(t, v, act, ev);
		break;
	default: break;
	}
}

/* Whether a key types text: a printable character, not a control key or a curses key. */
static bool types_text(int key)
{
	return key >= ' ' && key != 127 && key < KB_TUI_FKEY && kb_width_cp((uint32_t)key) >= 0;
}

static int action_of(struct kb_tui *t, const struct kb_tui_event *ev, unsigned ctx)
{
	switch (ev->kind) {
	case KB_TUI_EV_WHEEL_UP: return KB_TUI_A_WHEEL_UP;
	case KB_TUI_EV_WHEEL_DOWN: return KB_TUI_A_WHEEL_DOWN;
	case KB_TUI_EV_PASTE_BEGIN: return KB_TUI_A_PASTE_BEGIN;
	case KB_TUI_EV_PASTE_END: return KB_TUI_A_PASTE_END;
	case KB_TUI_EV_KEY: break;
	default: return KB_TUI_A_NONE;
	}
	if (t->pasting) /* pasted text is text, whatever keys it holds */
		return ctx == KB_TUI_CTX_PROMPT ? KB_TUI_A_INSERT : KB_TUI_A_NONE;
	if ((ctx & KB_TUI_CTX_TEXT) && types_text(ev->key))
		return KB_TUI_A_INSERT;
	if ((ctx & KB_TUI_CTX_TEXT) && (ev->key == 127 || ev->key == KB_TUI_FKEY + KEY_BACKSPACE))
		return KB_TUI_A_DEL_BACK;
	ctx &= ~(unsigned)KB_TUI_CTX_TEXT;
	int act = kb_tui_key_action(ev->key, ctx);
	if (act == KB_TUI_A_NONE && ctx == KB_TUI_CTX_PROMPT && ev->key < KB_TUI_FKEY &&
	    kb_width_cp((uint32_t)ev->key) >= 0)
		act = KB_TUI_A_INSERT;
	/* Without bracketed paste, Enter with more input right behind it is a newline inside a
	 * paste: a space, so that the rest of the paste is not taken for keys. */
	if (act == KB_TUI_A_ACCEPT && ev->pending && !t->bracketed && (ev->key == '\n' || ev->key == '\r'))
		act = KB_TUI_A_INSERT;
	return act;
}

static void handle(struct kb_tui *t, const struct kb_tui_event *ev)
{
	struct kb_tui_view *v = top(t);
	unsigned ctx = v->ops->context(v);
	int act = action_of(t, ev, ctx);
	struct kb_tui_event e = *ev;
	if (act == KB_TUI_A_PASTE_BEGIN)
		t->pasting = true;
	else if (act == KB_TUI_A_PASTE_END)
		t->pasting = false;
	if (act == KB_TUI_A_NONE)
		return;
	if (too_small()) { /* nothing to see: only leaving works */
		if (act == KB_TUI_A_QUIT || (act == KB_TUI_A_BACK && ev->key == 'q'))
			t->quit = true;
		return;
	}
	if (act == KB_TUI_A_INSERT && (e.key == '\n' || e.key == '\r' || e.key == '\t'))
		e.key = ' ';
	if (act == KB_TUI_A_PASTE_BEGIN && ctx != KB_TUI_CTX_PROMPT) { /* a paste goes to the search */
		global_act(t, act, &e);
		return;
	}
	if (!v->ops->act(t, v, act, &e))
		global_act(t, act, &e);
}

static void loop(struct kb_tui *t)
{
	bool dirty = true;
	while (!t->quit) {
		struct kb_tui_event ev;
		if (dirty) {
			kb_tui_draw(t);
			kb_tui_timing_drawn(t);
			dirty = false;
		}
		if (t->entries == -1) { /* cheap, but after the first screen is up */
			struct kb_index_info info;
			struct kb_err err;
			t->entries = -2; /* unknown: the hint goes without a count */
			if (kb_index_info(t->ix, &info, &err) == 0) {
				t->entries = info.entries;
				kb_index_info_free(&info);
			}
			dirty = true;
			continue;
		}
		kb_tui_term_next(t, &ev);
		if (ev.kind == KB_TUI_EV_END)
			break;
		if (ev.kind == KB_TUI_EV_SIGNAL) {
			int sig = kb_tui_term_signal();
			t->status = sig == SIGINT ? 0 : 128 + sig;
			break;
		}
		if (ev.kind == KB_TUI_EV_FOUND) {
			dirty = kb_tui_search_found(t) || dirty;
			continue;
		}
		if (ev.kind == KB_TUI_EV_KEY || ev.kind == KB_TUI_EV_WHEEL_UP || ev.kind == KB_TUI_EV_WHEEL_DOWN)
			t->msg[0] = '\0';
		if (ev.kind == KB_TUI_EV_KEY)
			kb_tui_timing_key(t);
		handle(t, &ev);
		dirty = !ev.pending;
	}
}

int kb_tui_run(struct kb_index *ix, const struct kb_tui_opts *opts)
{
	static const struct kb_tui_opts none = {0};
	struct kb_tui t;
	struct kb_err err;
	memset(&t, 0, sizeof t);
	opts = opts ? opts : &none;
	t.ix = ix;
	t.ascii = !kb_width_locale_utf8();
	t.headless = opts->script != NULL;
	t.mouse = opts->mouse;
	t.entries = -1;
	if (kb_tui_keys_init(&err) != 0 || (t.headless && kb_tui_script_open(&t, opts->script, &err) != 0)) {
		fprintf(stderr, "kb: %s\n", err.msg);
		return 2;
	}
	if (kb_tui_term_open(&t, opts, &err) != 0) {
		kb_tui_script_close(&t);
		fprintf(stderr, "kb: %s\n", err.msg);
		return 2;
	}
	kb_tui_history_load(&t);
	/* Searches run on a thread of their own, so that typing never waits for one; without
	 * it (it could not start) they run here, as they did before there was one. */
	t.searcher = kb_tui_searcher_new(kb_index_path(ix), &err);
	t.nscreens = kb_tui_has_manual(&t) ? KB_TUI_SCREENS : KB_TUI_SCREENS - 1;
	kb_tui_screen(&t, 0);
	loop(&t);
	kb_tui_searcher_free(t.searcher);
	for (int i = 0; i < KB_TUI_SCREENS; i++) {
		t.screen = i;
		while (t.stacks[i].n)
			pop(&t);
		free(t.stacks[i].v);
	}
	kb_index_close(t.own_ix); /* NULL: nothing was reopened */
	kb_tui_term_close(&t);
	kb_tui_script_close(&t);
	kb_strv_free(&t.history);
	free(t.history_path);
	return t.status;
}
