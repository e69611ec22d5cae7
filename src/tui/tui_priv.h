/* tui_priv.h - what the browser's files share: its state, views, actions, events and drawing. */
#ifndef KB_TUI_PRIV_H
#define KB_TUI_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "kb/index.h"
#include "kb/render.h"
#include "kb/search.h"
#include "kb/tui.h"
#include "kb/util.h"

/* Below this the browser only says that the terminal is too small. */
#define KB_TUI_MIN_COLS 40
#define KB_TUI_MIN_ROWS 10

/* ---- keys and actions (keys.c) ------------------------------------------------------- */

/* A key is a Unicode code point (control characters included: Ctrl-D is 4), or
 * KB_TUI_FKEY + a curses KEY_ code for the keys that have no character. */
#define KB_TUI_FKEY 0x200000

/* Where a binding applies. A view's focus is one of PROMPT, LIST, READER or none (help);
 * a key is looked up there first, then in NAV (not from a prompt), then in ALL. */
enum {
	KB_TUI_CTX_ALL = 1 << 0,    /* everywhere, even while typing in a prompt */
	KB_TUI_CTX_NAV = 1 << 1,    /* lists, the reader and help: not while typing */
	KB_TUI_CTX_LIST = 1 << 2,   /* search results, components, symptoms, entries */
	KB_TUI_CTX_READER = 1 << 3, /* an entry, a linked file or this help */
	KB_TUI_CTX_PROMPT = 1 << 4, /* the search prompt and the reader's find prompt */
	/* Added to a view's context: a key that types text is text there (KB_TUI_A_INSERT;
	 * Backspace KB_TUI_A_DEL_BACK), whatever the keymap says (the Search screen's list). */
	KB_TUI_CTX_TEXT = 1 << 5,
};

enum kb_tui_act {
	KB_TUI_A_NONE,
	/* everywhere */
	KB_TUI_A_QUIT, KB_TUI_A_NEXT_SCREEN, KB_TUI_A_PREV_SCREEN, KB_TUI_A_HELP, KB_TUI_A_REDRAW,
	/* lists, reader, help */
	KB_TUI_A_BACK, KB_TUI_A_SCREEN1, KB_TUI_A_SCREEN2, KB_TUI_A_SCREEN3, KB_TUI_A_SCREEN4, KB_TUI_A_SEARCH,
	KB_TUI_A_MOUSE, KB_TUI_A_DOWN, KB_TUI_A_UP, KB_TUI_A_HALF_DOWN, KB_TUI_A_HALF_UP,
	KB_TUI_A_PAGE_DOWN, KB_TUI_A_PAGE_UP, KB_TUI_A_TOP, KB_TUI_A_BOTTOM,
	/* lists */
	KB_TUI_A_OPEN,
	/* reader */
	KB_TUI_A_FIND, KB_TUI_A_FIND_BACK, KB_TUI_A_FIND_NEXT, KB_TUI_A_FIND_PREV, KB_TUI_A_LINK_NEXT, KB_TUI_A_LINK_PREV,
	KB_TUI_A_FOLLOW, KB_TUI_A_FORWARD, KB_TUI_A_ENTRY_PREV, KB_TUI_A_ENTRY_NEXT, KB_TUI_A_WHOLE_NOTE,
	KB_TUI_A_EDIT, KB_TUI_A_LEFT, KB_TUI_A_RIGHT, KB_TUI_A_COPY,
	/* prompts */
	KB_TUI_A_ACCEPT, KB_TUI_A_CANCEL, KB_TUI_A_DEL_BACK, KB_TUI_A_DEL_FWD, KB_TUI_A_DEL_WORD,
	KB_TUI_A_KILL_START, KB_TUI_A_KILL_END, KB_TUI_A_CUR_LEFT, KB_TUI_A_CUR_RIGHT,
	KB_TUI_A_CUR_HOME, KB_TUI_A_CUR_END, KB_TUI_A_HIST_PREV, KB_TUI_A_HIST_NEXT,
	KB_TUI_A_SEL_NEXT, KB_TUI_A_SEL_PREV,
	/* not keys: what the terminal reports otherwise */
	KB_TUI_A_INSERT, KB_TUI_A_WHEEL_DOWN, KB_TUI_A_WHEEL_UP, KB_TUI_A_PASTE_BEGIN,
	KB_TUI_A_PASTE_END,
};

/* One row of the action table: an action, the keys that do it in a context, and what the
 * help screen and kb(1) say about it. An action may have rows in several contexts. */
struct kb_tui_binding {
	int act;
	const char *name;
	const char *keys;  /* key names separated by spaces: j Down C-n S-Tab PgDn Space ... */
	unsigned ctx;
	const char *help;
};
extern const struct kb_tui_binding kb_tui_bindings[];
extern const size_t kb_tui_nbindings;

/* Builds the keymap from the table. Returns 0, or -1 when a key name is unknown or a key is
 * bound twice in one context (a bug in the table; err says which). */
int kb_tui_keys_init(struct kb_err *err);
/* The action for key in a view whose focus is ctx (KB_TUI_CTX_PROMPT, _LIST, _READER or 0),
 * or KB_TUI_A_NONE. */
int kb_tui_key_action(int key, unsigned ctx);
/* Parses one key name (as in the table, or a single character). Writes up to 4 key codes to
 * out and returns how many; 0 when the name is unknown. */
int kb_tui_key_parse(const char *name, size_t n, int out[4]);
/* Appends the help screen's markdown: every binding, by context. */
void kb_tui_keys_help(struct kb_buf *out);

/* ---- events (term.c, script.c) ------------------------------------------------------- */

enum kb_tui_ev_kind {
	KB_TUI_EV_KEY,
	KB_TUI_EV_RESIZE,
	KB_TUI_EV_WHEEL_UP,
	KB_TUI_EV_WHEEL_DOWN,
	KB_TUI_EV_PASTE_BEGIN,
	KB_TUI_EV_PASTE_END,
	KB_TUI_EV_SIGNAL, /* SIGINT, SIGTERM or SIGHUP arrived */
	KB_TUI_EV_FOUND,  /* the search thread has a result ready (searcher.c) */
	KB_TUI_EV_END,    /* the script is over (headless), or the terminal is gone */
};

struct kb_tui_event {
	int kind;
	int key;      /* KB_TUI_EV_KEY: see KB_TUI_FKEY */
	bool pending; /* more input is already waiting: a paste or typeahead; draw later */
};

/* ---- the browser's state ------------------------------------------------------------- */

struct kb_tui;
struct kb_tui_view;

/* What a view is: the loop goes back to the Search view for a search or a paste, and opens
 * help over any view but help. */
enum kb_tui_view_kind {
	KB_TUI_VIEW_SEARCH,
	KB_TUI_VIEW_COMPONENTS,
	KB_TUI_VIEW_SYMPTOMS,
	KB_TUI_VIEW_ENTRIES,
	KB_TUI_VIEW_MANUAL,
	KB_TUI_VIEW_READER,
	KB_TUI_VIEW_HELP,
};

/* A view is a table of handlers; the loop in tui.c drives whichever is on top. */
struct kb_tui_view_ops {
	enum kb_tui_view_kind kind;
	/* The keymap context of the view's focus (KB_TUI_CTX_PROMPT, _LIST, _READER). */
	unsigned (*context)(const struct kb_tui_view *v);
	/* Draws the view into rows [top, bottom) of the screen and the status line. */
	void (*draw)(struct kb_tui *t, struct kb_tui_view *v, int top, int bottom);
	/* Handles an action; returns false to leave it to the loop (back, screens, quit). */
	bool (*act)(struct kb_tui *t, struct kb_tui_view *v, int act, const struct kb_tui_event *ev);
	void (*free)(struct kb_tui_view *v);
};

/* Every view starts with this. */
struct kb_tui_view {
	const struct kb_tui_view_ops *ops;
};

struct kb_tui_stack {
	struct kb_tui_view **v;
	size_t n, cap;
};

#define KB_TUI_SCREENS 4 /* search, components, symptoms, manual (when the index has man pages) */

struct kb_tui {
	struct kb_index *ix;
	struct kb_index *own_ix; /* t->ix after kb_tui_reopen (the caller's stays open), or NULL */
	int screen;                                /* 0..nscreens-1 */
	int nscreens;       /* KB_TUI_SCREENS, or one fewer: no Manual without man pages */
	struct kb_tui_stack stacks[KB_TUI_SCREENS]; /* "back" pops; 1/2/3 switch stacks */
	bool quit;
	int status;         /* exit status */
	bool ascii;         /* the user's locale is not UTF-8: ASCII for everything kb draws */
	bool color;         /* colours in use (else bold, underline and reverse only) */
	bool mouse;
	bool headless;
	bool bracketed;     /* the terminal marks pastes (bracketed paste mode is on) */
	bool pasting;       /* between the markers of a bracketed paste */
	char msg[400];      /* a one-shot message for the status line, cleared on the next key */
	bool msg_error;
	struct kb_strv history; /* search history, oldest first */
	char *history_path;     /* NULL: not kept */
	long long entries;      /* entries in the index; -1 until asked (after the first draw),
	                         * -2 when the index could not say */
	struct kb_tui_searcher *searcher; /* NULL: searches run on the input path */
	struct kb_tui_timing *timing;     /* the script's timing log, or NULL */
	void *term;             /* term.c's state */
	void *script;           /* script.c's state, when headless */
};

/* tui.c: the loop and the view stacks. */
/* Pushes v (taking ownership) on the current screen's stack. */
void kb_tui_push(struct kb_tui *t, struct kb_tui_view *v);
/* Draws the whole screen as it is now (the script's dump calls it). */
void kb_tui_draw(struct kb_tui *t);
/* Sets the status line's one-shot message (printf-like; sanitised when drawn). */
void kb_tui_msg(struct kb_tui *t, bool error, const char *fmt, ...) KB_PRINTF(3, 4);
/* Opens the index again at its path (after a rebuild replaced the file): t->ix is then the
 * new connection (kb_tui_run closes it). Returns 0 or -1 with err (t->ix unchanged). */
int kb_tui_reopen(struct kb_tui *t, struct kb_err *err);
/* Switches to screen i (0 search, 1 components, 2 symptoms), creating its first view. */
void kb_tui_screen(struct kb_tui *t, int i);

/* term.c: the terminal. */
/* Sets up curses on the terminal (or headless on opts->output) and the signal handlers.
 * Returns 0 or -1 with err (nothing to restore then). */
int kb_tui_term_open(struct kb_tui *t, const struct kb_tui_opts *opts, struct kb_err *err);
/* Restores the terminal; safe to call twice. */
void kb_tui_term_close(struct kb_tui *t);
/* Waits for the next event from the terminal, or from the script when headless. */
void kb_tui_term_next(struct kb_tui *t, struct kb_tui_event *ev);
/* Gives the terminal to another program (the editor) and takes it back. */
void kb_tui_term_suspend(struct kb_tui *t);
void kb_tui_term_resume(struct kb_tui *t);
/* Turns mouse reporting (the wheel) on or off. */
void kb_tui_term_mouse(struct kb_tui *t, bool on);
/* Sends data to the terminal's clipboard with OSC 52. Returns 0, or -1 with err (too long). */
int kb_tui_term_copy(struct kb_tui *t, const char *data, size_t len, struct kb_err *err);
/* Appends base64 of data[0..len) to out. */
void kb_tui_base64(struct kb_buf *out, const char *data, size_t len);
/* The signal that ended the browser, or 0. */
int kb_tui_term_signal(void);

/* script.c: the headless mode. */
/* Opens the script at path. Returns 0 or -1 with err. */
int kb_tui_script_open(struct kb_tui *t, const char *path, struct kb_err *err);
/* The next event of the script, running its commands (size, dump ...) on the way. */
void kb_tui_script_next(struct kb_tui *t, struct kb_tui_event *ev);
void kb_tui_script_close(struct kb_tui *t);

/* script.c: the timing log (script command "timing FILE"), for the bench: how long each key
 * took to be on the screen and its search's results after it. */
/* A key event was taken: it is timed from now. */
void kb_tui_timing_key(struct kb_tui *t);
/* The screen was drawn: the keys taken since the last draw are echoed. */
void kb_tui_timing_drawn(struct kb_tui *t);
/* A search for the text as of the last key was posted (gen) / its results drawn. */
void kb_tui_timing_posted(struct kb_tui *t, unsigned long gen);
void kb_tui_timing_found(struct kb_tui *t, unsigned long gen);

/* history.c: search history kept between runs. */
/* Loads the history ($XDG_STATE_HOME/kb/history) into t->history. */
void kb_tui_history_load(struct kb_tui *t);
/* Adds a query (moving an older copy to the end) and saves the file. */
void kb_tui_history_add(struct kb_tui *t, const char *query);

/* ---- drawing (draw.c: the one map from styles to curses attributes) ------------------ */

/* What a piece of the browser's own text is, for draw.c to style. */
enum kb_tui_ui {
	KB_TUI_UI_TEXT,
	KB_TUI_UI_BAR,       /* the screen bar at the top */
	KB_TUI_UI_BAR_CUR,   /* the current screen's name in it */
	KB_TUI_UI_STATUS,    /* the status line at the bottom */
	KB_TUI_UI_MSG,       /* a message */
	KB_TUI_UI_ERROR,     /* an error message */
	KB_TUI_UI_PROMPT,    /* a prompt's label */
	KB_TUI_UI_HINT,      /* quiet explanations */
	KB_TUI_UI_TITLE,     /* an entry's title in a list */
	KB_TUI_UI_ID,        /* an entry id, a count */
	KB_TUI_UI_COMPONENT, /* component names */
	KB_TUI_UI_MATCH,     /* a word of the search */
	KB_TUI_UI_MORE,      /* the marks that say a line goes on sideways */
	KB_TUI_UI__COUNT
};

/* Flags combined with a style. */
enum {
	KB_TUI_F_SEL = 1 << 0,  /* the selected row of a list */
	KB_TUI_F_CUT = 1 << 1,  /* end with an ellipsis when the text does not fit */
};

/* Sets up colours (when color) and the ASCII stand-ins (when ascii). Returns whether colours
 * are used (the terminal may have none). */
bool kb_tui_draw_init(bool color, bool ascii);
/* Draws s[0..n) (made safe: control characters visible) at row y, column x, in at most maxw
 * columns; a wide character never straddles the edge. Returns the columns drawn. */
int kb_tui_put(int y, int x, int maxw, const char *s, size_t n, int ui, unsigned flags);
/* Same for a string with \x02...\x03 around matched words (an index snippet): white space
 * runs become one space, the marked words get KB_TUI_UI_MATCH. */
int kb_tui_put_marked(int y, int x, int maxw, const char *s, int ui, unsigned flags);
/* Blanks w columns of row y from x in a style. */
void kb_tui_fill(int y, int x, int w, int ui, unsigned flags);
/* Columns that s takes once made safe. */
int kb_tui_width(const char *s);

/* What to show specially on a document line. */
struct kb_tui_overlay {
	int focus_link;  /* link index drawn reversed, or -1 */
	int focus_code;  /* code block drawn reversed, or -1 */
	int find_line, find_col, find_width; /* the current in-page match (line -1: none) */
};
/* Draws display line lineno of doc at row y in maxw columns, starting at column left of the
 * line (code lines only: others always start at 0). */
void kb_tui_draw_line(int y, int maxw, const struct kb_doc *doc, int lineno, int left,
                      const struct kb_tui_overlay *ov);
/* Where the terminal's cursor goes once the screen is drawn (a prompt's); y < 0 hides it. */
void kb_tui_cursor(int y, int x);
/* Where the cursor was left by the last draw; false when hidden. */
bool kb_tui_cursor_at(int *y, int *x);
/* Moves the cursor there (or hides it) and sends the screen to the terminal. */
void kb_tui_draw_done(void);
/* The symbol for a piece of chrome: "…" or "..." and the like. */
const char *kb_tui_sym(int which);
enum { KB_TUI_SYM_ELLIPSIS, KB_TUI_SYM_LEFT, KB_TUI_SYM_RIGHT, KB_TUI_SYM_SEP, KB_TUI_SYM_SEL,
       KB_TUI_SYM_CONTEXT /* between a page and its section: "Safely Drain a Node › Drain" */ };

/* ---- the line editor (prompt.c) ------------------------------------------------------ */

struct kb_tui_prompt {
	struct kb_buf text;
	size_t cur;          /* byte offset of the cursor */
	size_t hist;         /* position in the history while browsing it; SIZE_MAX: not */
	char *saved;         /* what was typed before browsing the history */
	bool paste;          /* inside a bracketed paste */
};
/* Applies an editing action; returns true when the text changed. hist may be NULL. */
bool kb_tui_prompt_act(struct kb_tui_prompt *p, int act, const struct kb_tui_event *ev,
                       const struct kb_strv *hist);
/* Draws label and text at row y, leaving the curses cursor where the text cursor is. */
void kb_tui_prompt_draw(const struct kb_tui_prompt *p, int y, int cols, const char *label);
void kb_tui_prompt_set(struct kb_tui_prompt *p, const char *s);
void kb_tui_prompt_free(struct kb_tui_prompt *p);
/* Whether act is one the prompt handles (editing, history). */
bool kb_tui_prompt_takes(int act);

/* ---- lists (list.c) ------------------------------------------------------------------ */

struct kb_tui_list {
	size_t n;     /* items */
	size_t sel;   /* selected item */
	size_t top;   /* first item shown */
	int rows;     /* screen rows per item */
};
/* Moves the selection for a motion action (down, page up, top ...) given the rows visible.
 * Returns false when act is not a motion. */
bool kb_tui_list_move(struct kb_tui_list *l, int act, int rows);
/* Makes the selection visible in rows screen rows. */
void kb_tui_list_fit(struct kb_tui_list *l, int rows);
/* The keymap context of a view that is a list (its ops' context): KB_TUI_CTX_LIST. */
unsigned kb_tui_list_context(const struct kb_tui_view *v);
/* Draws a list's head line at row y: err when it is not empty (as an error), else head. */
void kb_tui_draw_list_head(int y, int cols, const char *err, const char *head);
/* Draws row y of a list of names with counts: label at the left in style ui (cut to fit),
 * entries at the right, the row marked when selected. */
void kb_tui_draw_count(int y, int cols, const char *label, long long entries, int ui, bool sel);

/* ---- searching off the input path (searcher.c) ------------------------------------- */

/* The results the Search screen lists at first, and loads more by when the selection
 * reaches the last one. */
#define KB_TUI_RESULTS_MAX 100

/* A finished search: for the query posted as gen, of its first limit results; ok and res,
 * or err. */
struct kb_tui_found {
	unsigned long gen;
	size_t limit;
	bool ok;
	struct kb_search_result res;
	char err[512];
};
void kb_tui_found_free(struct kb_tui_found *f);
/* Runs the Search screen's search of text (the last word a prefix, the first limit
 * results) on ix, into *f (zeroed by the caller). */
void kb_tui_search_run(struct kb_index *ix, const char *text, size_t limit, struct kb_tui_found *f);

struct kb_tui_searcher;
/* Starts the search thread on its own connection to the index at db_path. Returns it (free
 * with kb_tui_searcher_free), or NULL with err. */
struct kb_tui_searcher *kb_tui_searcher_new(const char *db_path, struct kb_err *err);
/* Stops the thread (ending the search under way) and frees everything. NULL: nothing. */
void kb_tui_searcher_free(struct kb_tui_searcher *s);
/* Asks for a search of text (copied), its first limit results, or for none (NULL): any
 * older search is stopped and its result, ready or not, dropped. Returns the new
 * generation, which the result carries. */
unsigned long kb_tui_searcher_post(struct kb_tui_searcher *s, const char *text, size_t limit);
/* The descriptor that is readable while a result is ready (-1 for no searcher). */
int kb_tui_searcher_fd(const struct kb_tui_searcher *s);
/* Moves the ready result, if any, to *out (free with kb_tui_found_free). Returns whether
 * there was one; it is always for the newest query posted. */
bool kb_tui_searcher_take(struct kb_tui_searcher *s, struct kb_tui_found *out);
/* Whether a query is waiting, running, or its result not yet taken. */
bool kb_tui_searcher_busy(struct kb_tui_searcher *s);
/* Waits until no query is waiting or running (the headless mode's settling). */
void kb_tui_searcher_wait(struct kb_tui_searcher *s);
/* For tests: each search first waits ms, as a slow one on a big index would (a newer
 * query still stops it at once). */
void kb_tui_searcher_delay(struct kb_tui_searcher *s, int ms);

/* ---- the views (search_screen.c, lists.c, reader.c) ----------------------------------- */

struct kb_tui_view *kb_tui_search_new(void);
/* Gives the Search screen the result the search thread has ready, if it is for what is
 * typed now (else it is dropped). Returns whether the screen changed. */
bool kb_tui_search_found(struct kb_tui *t);
/* Makes the Search screen search its text again when it is next drawn (the index was
 * rebuilt under it). */
void kb_tui_search_reset(struct kb_tui *t);
struct kb_tui_view *kb_tui_components_new(void);
/* The Manual screen (manual.c): the manual's sections, Enter lists a section's pages. */
struct kb_tui_view *kb_tui_manual_new(void);
/* The pages of a man section (lists.c). */
struct kb_tui_view *kb_tui_man_pages_new(const char *section);
/* Whether the index has man pages (the Manual screen is offered only then). */
bool kb_tui_has_manual(struct kb_tui *t);
/* Makes e (an entry of a man page) the whole page: its body becomes the page's markdown.
 * Returns the line of that markdown where e's own text starts (its option), 0 when e is the
 * page's head or a section or the page has no entries (e is then left as it was), or -1
 * with err when the page cannot be read (a damaged index: not shown as a part of it). */
int kb_tui_man_page(struct kb_tui *t, struct kb_entry *e, struct kb_err *err);
struct kb_tui_view *kb_tui_symptoms_new(void);
/* The entries of a component (component non-NULL) or of a symptom signature. */
struct kb_tui_view *kb_tui_entries_new(const char *component, const char *signature,
                                       const char *label);
/* The reader on an entry; words (may be NULL) are the search's, to highlight. */
struct kb_tui_view *kb_tui_reader_entry(const char *id, const struct kb_strv *words);
/* The reader on the help screen. */
struct kb_tui_view *kb_tui_reader_help(void);

/* Draws the one-line screen bar (row 0) and the status line (last row) helpers. */
void kb_tui_draw_bar(struct kb_tui *t, const char *where);
/* Draws the status line: the message when there is one, else text (may be NULL) in
 * KB_TUI_UI_STATUS with right (may be NULL) flush right. */
void kb_tui_draw_status(struct kb_tui *t, const char *text, const char *right);
/* Draws hit h as two rows at y: title and components, then snippet or id. */
void kb_tui_draw_hit(int y, int cols, const struct kb_hit *h, bool sel);
/* Where an entry is: "id  path:line", or "path:line" when the id is the path (caller frees). */
char *kb_tui_where(const char *id, const char *path, int line);
/* kb_tui_where() of a hit (caller frees). */
char *kb_tui_hit_status(const struct kb_hit *h);

#endif
