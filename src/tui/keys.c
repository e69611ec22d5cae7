/* keys.c - the one table of actions and keys: it builds the keymap, the help screen and the
 * KEYS section of kb(1). */
#include <curses.h>
#include <string.h>

#include "kb/width.h"
#include "tui_priv.h"

#define C_ALL KB_TUI_CTX_ALL
#define C_NAV KB_TUI_CTX_NAV
#define C_LIST KB_TUI_CTX_LIST
#define C_READ KB_TUI_CTX_READER
#define C_PROMPT KB_TUI_CTX_PROMPT

/* The table. Key names: a character as itself, C-x for Ctrl-X, S-Tab for Shift-Tab, and
 * Up Down Left Right PgUp PgDn Home End Enter Tab Esc Space Backspace Delete F1. */
const struct kb_tui_binding kb_tui_bindings[] = {
	{KB_TUI_A_QUIT, "quit", "C-c", C_ALL, "Quit kb, from anywhere."},
	{KB_TUI_A_NEXT_SCREEN, "next-screen", "Tab", C_ALL,
	 "Next screen: Search, Components, Symptoms (and Manual, with man pages)."},
	{KB_TUI_A_PREV_SCREEN, "previous-screen", "S-Tab", C_ALL, "Previous screen."},
	{KB_TUI_A_HELP, "help", "F1", C_ALL, "This help."},
	{KB_TUI_A_REDRAW, "redraw", "C-l", C_ALL, "Draw the screen again."},

	{KB_TUI_A_BACK, "back", "q Esc Backspace", C_NAV,
	 "Back: close the help, the reader (after going back through the links followed in "
	 "it) or a list. On the Components and Symptoms screens q quits; on the Search "
	 "screen q is text and Ctrl-C quits."},
	{KB_TUI_A_SCREEN1, "search-screen", "1", C_NAV, "The Search screen."},
	{KB_TUI_A_SCREEN2, "components-screen", "2", C_NAV, "The Components screen."},
	{KB_TUI_A_SCREEN3, "symptoms-screen", "3", C_NAV, "The Symptoms screen."},
	{KB_TUI_A_SCREEN4, "manual-screen", "4", C_NAV,
	 "The Manual screen, when the index has man pages (kb build --man): sections, their pages."},
	{KB_TUI_A_HELP, "help", "?", C_NAV, "This help."},
	{KB_TUI_A_SEARCH, "search", "/", C_NAV, "A new search (Up in the prompt brings the last one back)."},
	{KB_TUI_A_DOWN, "down", "j Down C-n C-e", C_NAV, "Down one line (or one item)."},
	{KB_TUI_A_UP, "up", "k Up C-p C-y", C_NAV, "Up one line."},
	{KB_TUI_A_HALF_DOWN, "half-page-down", "C-d d", C_NAV, "Down half a page."},
	{KB_TUI_A_HALF_UP, "half-page-up", "C-u u", C_NAV, "Up half a page."},
	{KB_TUI_A_PAGE_DOWN, "page-down", "Space PgDn f C-f", C_NAV, "Down a page."},
	{KB_TUI_A_PAGE_UP, "page-up", "b PgUp C-b", C_NAV, "Up a page."},
	{KB_TUI_A_TOP, "top", "g Home <", C_NAV, "To the top."},
	{KB_TUI_A_BOTTOM, "bottom", "G End >", C_NAV, "To the bottom."},
	{KB_TUI_A_MOUSE, "mouse", "m", C_NAV,
	 "Mouse wheel on or off. While it is on, most terminals select text with Shift held."},

	{KB_TUI_A_OPEN, "open", "Enter Right l", C_LIST, "Open the selected item."},

	{KB_TUI_A_FIND, "find", "/", C_READ, "Find text in the page."},
	{KB_TUI_A_FIND_BACK, "find-backward", "?", C_READ, "Find text in the page, backward."},
	{KB_TUI_A_FIND_NEXT, "find-next", "n", C_READ,
	 "Next match of the find, in its direction (backward after ?)."},
	{KB_TUI_A_FIND_PREV, "find-previous", "N", C_READ,
	 "Previous match: against the find's direction."},
	{KB_TUI_A_LINK_NEXT, "next-link", "Tab", C_READ,
	 "Select the next link or code block."},
	{KB_TUI_A_LINK_PREV, "previous-link", "S-Tab", C_READ,
	 "Select the previous link or code block."},
	{KB_TUI_A_FOLLOW, "follow", "Enter", C_READ,
	 "Follow the selected link: another entry, or a file of the notes shown as text."},
	{KB_TUI_A_ENTRY_PREV, "previous-entry", "[", C_READ,
	 "The previous entry of the same note (on the whole note: to its start)."},
	{KB_TUI_A_ENTRY_NEXT, "next-entry", "]", C_READ,
	 "The next entry of the same note (on the whole note: to its start)."},
	{KB_TUI_A_WHOLE_NOTE, "whole-note", "w", C_READ,
	 "The whole note the entry is part of, scrolled to the entry (q comes back); on the "
	 "whole note, the entry at the top of the window."},
	{KB_TUI_A_EDIT, "edit", "e", C_READ,
	 "Edit the entry's note in $VISUAL (else $EDITOR, else vi) at the entry's line, then "
	 "rebuild the index and read the entry again. Only where the notes directory the index "
	 "was built from is (not on a bundle)."},
	{KB_TUI_A_BACK, "back", "H", C_READ, "Back to the page before the link followed."},
	{KB_TUI_A_FORWARD, "forward", "L", C_READ, "Forward again after going back."},
	{KB_TUI_A_LEFT, "scroll-left", "Left h", C_READ, "Scroll wide code blocks left."},
	{KB_TUI_A_RIGHT, "scroll-right", "Right l", C_READ, "Scroll wide code blocks right."},
	{KB_TUI_A_COPY, "copy", "y", C_READ,
	 "Copy the selected code block (else the first one on the screen, else the entry's "
	 "first) to the clipboard with OSC 52; a selected web link copies its address."},

	{KB_TUI_A_ACCEPT, "accept", "Enter", C_PROMPT,
	 "Search: open the selected result. Find: find."},
	{KB_TUI_A_CANCEL, "leave", "Esc", C_PROMPT,
	 "Search: leave the prompt for the results list. Find: cancel."},
	{KB_TUI_A_HIST_PREV, "history-back", "Up", C_PROMPT, "Earlier query from the history."},
	{KB_TUI_A_HIST_NEXT, "history-forward", "Down", C_PROMPT, "Later query from the history."},
	{KB_TUI_A_SEL_NEXT, "select-next", "C-n", C_PROMPT, "Select the next result."},
	{KB_TUI_A_SEL_PREV, "select-previous", "C-p", C_PROMPT, "Select the previous result."},
	{KB_TUI_A_PAGE_DOWN, "page-down", "PgDn", C_PROMPT, "A page further down the results."},
	{KB_TUI_A_PAGE_UP, "page-up", "PgUp", C_PROMPT, "A page further up the results."},
	{KB_TUI_A_CUR_LEFT, "cursor-left", "Left C-b", C_PROMPT, "Cursor left."},
	{KB_TUI_A_CUR_RIGHT, "cursor-right", "Right C-f", C_PROMPT, "Cursor right."},
	{KB_TUI_A_CUR_HOME, "cursor-start", "Home C-a", C_PROMPT, "Cursor to the start."},
	{KB_TUI_A_CUR_END, "cursor-end", "End C-e", C_PROMPT, "Cursor to the end."},
	{KB_TUI_A_DEL_BACK, "delete-back", "Backspace C-h", C_PROMPT,
	 "Delete the character before the cursor."},
	{KB_TUI_A_DEL_FWD, "delete", "Delete C-d", C_PROMPT, "Delete the character under the cursor."},
	{KB_TUI_A_DEL_WORD, "delete-word", "C-w", C_PROMPT, "Delete the word before the cursor."},
	{KB_TUI_A_KILL_START, "delete-to-start", "C-u", C_PROMPT, "Delete to the start."},
	{KB_TUI_A_KILL_END, "delete-to-end", "C-k", C_PROMPT, "Delete to the end."},
};
const size_t kb_tui_nbindings = KB_NELEM(kb_tui_bindings);

/* The sections of the help screen and of kb(1), in order. */
static const struct {
	unsigned ctx;
	const char *title;
} sections[] = {
	{C_ALL, "Everywhere"},
	{C_NAV, "Lists, the reader and the help"},
	{C_LIST, "Lists"},
	{C_READ, "The reader"},
	{C_PROMPT, "Typing in a prompt"},
};

static const struct {
	const char *name, *shown;
	int codes[4];
	int n;
} named[] = {
	{"Up", "Up", {KB_TUI_FKEY + KEY_UP}, 1},
	{"Down", "Down", {KB_TUI_FKEY + KEY_DOWN}, 1},
	{"Left", "Left", {KB_TUI_FKEY + KEY_LEFT}, 1},
	{"Right", "Right", {KB_TUI_FKEY + KEY_RIGHT}, 1},
	{"PgUp", "PgUp", {KB_TUI_FKEY + KEY_PPAGE}, 1},
	{"PgDn", "PgDn", {KB_TUI_FKEY + KEY_NPAGE}, 1},
	{"Home", "Home", {KB_TUI_FKEY + KEY_HOME, KB_TUI_FKEY + KEY_FIND, KB_TUI_FKEY + KEY_A1}, 3},
	{"End", "End", {KB_TUI_FKEY + KEY_END, KB_TUI_FKEY + KEY_SELECT, KB_TUI_FKEY + KEY_C1}, 3},
	{"Enter", "Enter", {'\n', '\r', KB_TUI_FKEY + KEY_ENTER}, 3},
	{"Tab", "Tab", {'\t'}, 1},
	{"S-Tab", "Shift-Tab", {KB_TUI_FKEY + KEY_BTAB}, 1},
	{"Esc", "Esc", {27}, 1},
	{"Space", "Space", {' '}, 1},
	{"Backspace", "Backspace", {KB_TUI_FKEY + KEY_BACKSPACE, 127}, 2},
	{"Delete", "Delete", {KB_TUI_FKEY + KEY_DC}, 1},
	{"F1", "F1", {KB_TUI_FKEY + KEY_F(1)}, 1},
};

int kb_tui_key_parse(const char *name, size_t n, int out[4])
{
	uint32_t cp;
	for (size_t i = 0; i < KB_NELEM(named); i++)
		if (strlen(named[i].name) == n && strncmp(named[i].name, name, n) == 0) {
			memcpy(out, named[i].codes, sizeof named[i].codes);
			return named[i].n;
		}
	if (n == 3 && name[0] == 'C' && name[1] == '-' && name[2] >= 'a' && name[2] <= 'z') {
		out[0] = name[2] & 0x1f;
		return 1;
	}
	if (n > 0 && kb_utf8_decode(name, n, &cp) == (int)n && cp != KB_UTF8_BAD && cp > ' ') {
		out[0] = (int)cp;
		return 1;
	}
	return 0;
}

/* How a key name is shown to people: Ctrl-D, Shift-Tab, j. */
static void key_shown(struct kb_buf *out, const char *name, size_t n)
{
	for (size_t i = 0; i < KB_NELEM(named); i++)
		if (strlen(named[i].name) == n && strncmp(named[i].name, name, n) == 0) {
			kb_buf_puts(out, named[i].shown);
			return;
		}
	if (n == 3 && name[0] == 'C' && name[1] == '-')
		kb_buf_printf(out, "Ctrl-%c", name[2] - 'a' + 'A');
	else
		kb_buf_put(out, name, n);
}

/* ---- the keymap ---------------------------------------------------------------------- */

struct bind {
	int key;
	unsigned ctx;
	int act;
};
static struct bind *keymap;
static size_t nkeymap, capkeymap;

static int find(int key, unsigned ctx)
{
	for (size_t i = 0; i < nkeymap; i++)
		if (keymap[i].key == key && keymap[i].ctx == ctx)
			return keymap[i].act;
	return KB_TUI_A_NONE;
}

/* Adds the keys of binding b to the keymap. Returns 0 or -1 with err. */
static int add_binding(const struct kb_tui_binding *b, struct kb_err *err)
{
	for (const char *p = b->keys; *p;) {
		size_t n = strcspn(p, " ");
		int codes[4], nc = kb_tui_key_parse(p, n, codes);
		if (nc == 0) {
			kb_err_set(err, "key table: unknown key %.*s for %s", (int)n, p, b->name);
			return -1;
		}
		for (int i = 0; i < nc; i++) {
			if (find(codes[i], b->ctx) != KB_TUI_A_NONE) {
				kb_err_set(err, "key table: %.*s is bound twice (%s)", (int)n, p, b->name);
				return -1;
			}
			kb_xgrow(&keymap, &capkeymap, nkeymap + 1, sizeof *keymap);
			keymap[nkeymap++] = (struct bind){codes[i], b->ctx, b->act};
		}
		p += n;
		p += strspn(p, " ");
	}
	return 0;
}

int kb_tui_keys_init(struct kb_err *err)
{
	nkeymap = 0;
	for (size_t i = 0; i < kb_tui_nbindings; i++)
		if (add_binding(&kb_tui_bindings[i], err) != 0)
			return -1;
	return 0;
}

int kb_tui_key_action(int key, unsigned ctx)
{
	int a = ctx ? find(key, ctx) : KB_TUI_A_NONE;
	if (a == KB_TUI_A_NONE && ctx != C_PROMPT)
		a = find(key, C_NAV);
	if (a == KB_TUI_A_NONE)
		a = find(key, C_ALL);
	return a;
}

/* ---- help and kb(1) -------------------------------------------------------------------- */

/* Calls fn for every key of binding b that a more specific context takes over. */
static void shadowed(const struct kb_tui_binding *b, void (*fn)(void *, const char *, size_t,
                     const struct kb_tui_binding *), void *ctx)
{
	for (const char *p = b->keys; *p;) {
		size_t n = strcspn(p, " ");
		for (size_t j = 0; j < kb_tui_nbindings; j++) {
			const struct kb_tui_binding *o = &kb_tui_bindings[j];
			bool wider = b->ctx == C_ALL ? o->ctx != C_ALL : b->ctx == C_NAV && o->ctx != C_ALL &&
			             o->ctx != C_NAV && o->ctx != C_PROMPT;
			if (!wider || o->act == b->act)
				continue;
			for (const char *q = o->keys; *q;) {
				size_t m = strcspn(q, " ");
				if (m == n && strncmp(p, q, n) == 0)
					fn(ctx, p, n, o);
				q += m;
				q += strspn(q, " ");
			}
		}
		p += n;
		p += strspn(p, " ");
	}
}

/* Appends "(in the reader, Tab is next-link)" notes for the keys of b taken over elsewhere. */
static void note_shadow(void *ctx, const char *key, size_t n, const struct kb_tui_binding *o)
{
	struct kb_buf *out = ctx;
	kb_buf_puts(out, " In ");
	kb_buf_puts(out, o->ctx == C_PROMPT ? "a prompt" : o->ctx == C_LIST ? "lists" : "the reader");
	kb_buf_puts(out, ", ");
	key_shown(out, key, n);
	kb_buf_printf(out, " is %s instead.", o->name);
}

/* The keys of a binding as shown: "j, Down, Ctrl-N". */
static void keys_shown(struct kb_buf *out, const char *keys, const char *sep)
{
	for (const char *p = keys; *p;) {
		size_t n = strcspn(p, " ");
		key_shown(out, p, n);
		p += n;
		p += strspn(p, " ");
		if (*p)
			kb_buf_puts(out, sep);
	}
}

void kb_tui_keys_help(struct kb_buf *out)
{
	kb_buf_puts(out, "# Keys\n\n"
	                 "Three screens (Tab, or 1 2 3 when not typing): **Search** finds entries as "
	                 "you type (a pasted error line works too), **Components** and **Symptoms** "
	                 "list the entries by what they are about. Enter reads one.\n\n"
	                 "On the Search screen every key that types text edits the search, in its "
	                 "results list too: there the arrows, PgUp and PgDn move, Enter opens, Esc "
	                 "goes back to the prompt, and letters are never commands.\n");
	for (size_t s = 0; s < KB_NELEM(sections); s++) {
		kb_buf_printf(out, "\n## %s\n\n", sections[s].title);
		for (size_t i = 0; i < kb_tui_nbindings; i++) {
			const struct kb_tui_binding *b = &kb_tui_bindings[i];
			if (b->ctx != sections[s].ctx)
				continue;
			kb_buf_puts(out, "- **");
			keys_shown(out, b->keys, "**, **");
			kb_buf_printf(out, "**: %s", b->help);
			shadowed(b, note_shadow, out);
			kb_buf_putc(out, '\n');
		}
	}
	kb_buf_puts(out, "\nThe mouse is left to the terminal (a drag selects text); m, or kb --mouse, "
	                 "turns wheel scrolling on.\n");
}

/* Appends s for mdoc: escapes backslashes, keeps a line from starting with '.' or '\''. */
static void mdoc_text(struct kb_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\')
			kb_buf_puts(out, "\\e");
		else
			kb_buf_putc(out, s[i]);
	}
}

/* Appends the help text of b, one sentence per line as mdoc wants. */
static void mdoc_sentences(struct kb_buf *out, const char *help)
{
	const char *p = help;
	while (*p) {
		const char *end = strstr(p, ". ");
		size_t n = end ? (size_t)(end - p) + 1 : strlen(p);
		if (*p == '.' || *p == '\'')
			kb_buf_puts(out, "\\&");
		mdoc_text(out, p, n);
		kb_buf_putc(out, '\n');
		p += n;
		while (*p == ' ')
			p++;
	}
}

static void mdoc_keys(struct kb_buf *out, const char *keys)
{
	kb_buf_puts(out, ".It");
	for (const char *p = keys; *p;) {
		size_t n = strcspn(p, " ");
		struct kb_buf k = {0};
		key_shown(&k, p, n);
		kb_buf_puts(out, " Ic ");
		if (k.len == 1 && strchr("<>|,.;:()[]?!", k.s[0]))
			kb_buf_puts(out, "\\&");
		mdoc_text(out, k.s, k.len);
		kb_buf_free(&k);
		p += n;
		p += strspn(p, " ");
		if (*p)
			kb_buf_puts(out, " ,");
	}
	kb_buf_putc(out, '\n');
}

static void mdoc_shadow(void *ctx, const char *key, size_t n, const struct kb_tui_binding *o)
{
	struct kb_buf *out = ctx, k = {0};
	key_shown(&k, key, n);
	kb_buf_printf(out, "In %s,\n.Ic %s%s\nis\n.Cm %s\ninstead.\n",
	              o->ctx == C_PROMPT ? "a prompt" : o->ctx == C_LIST ? "lists" : "the reader",
	              k.len == 1 && strchr("<>|,.;:()[]?!", k.s[0]) ? "\\&" : "", kb_buf_str(&k), o->name);
	kb_buf_free(&k);
}

void kb_tui_keys_mdoc(struct kb_buf *out)
{
	kb_buf_puts(out, ".Sh KEYS\n"
	                 "With no command, on a terminal,\n.Nm\nopens a browser with three screens:\n"
	                 ".Em Search\n(entries found as you type; a pasted error line works too),\n"
	                 ".Em Components\nand\n.Em Symptoms\n"
	                 "(entries listed by what they are about).\n"
	                 "Enter reads an entry; an entry that is a heading alone, its subsections entries of their\n"
	                 "own, reads as its whole section.\n"
	                 "Typing never waits for a search: until the results for the new text\n"
	                 "come, those for the text before stay, marked\n.Dq updating ,\n"
	                 "and an Enter typed meanwhile reads the first entry the new text finds.\n"
	                 "On the Search screen every key that types text edits the search, in its\n"
	                 "results list too: there the arrows, PgUp and PgDn move, Enter opens,\n"
	                 "Esc goes back to the prompt, and letters are never commands.\n"
	                 "The list starts with the best 100 entries and says how many there are\n"
	                 ".Pq Dq 100 of 3,007 entries ;\n"
	                 "moving onto its last entry loads the next 100 after it.\n"
	                 "Queries are kept in\n.Pa $XDG_STATE_HOME/kb/history\n"
	                 ".Pq default: Pa ~/.local/state/kb/history .\n"
	                 "Copying sends the text to the terminal with an OSC 52 escape sequence;\n"
	                 "inside\n.Xr tmux 1\nthat needs\n.Ic set -g set-clipboard on .\n"
	                 "The mouse is left to the terminal, so that a drag selects text as in\n"
	                 ".Xr less 1 ;\n"
	                 ".Ic m ,\nor the option\n.Fl \\-mouse ,\nturns wheel scrolling on.\n"
	                 "The keys, with the names of their actions:\n");
	for (size_t s = 0; s < KB_NELEM(sections); s++) {
		kb_buf_printf(out, ".Ss %s\n.Bl -tag -width Ds\n", sections[s].title);
		for (size_t i = 0; i < kb_tui_nbindings; i++) {
			const struct kb_tui_binding *b = &kb_tui_bindings[i];
			if (b->ctx != sections[s].ctx)
				continue;
			mdoc_keys(out, b->keys);
			kb_buf_printf(out, ".Pq Cm %s\n", b->name);
			mdoc_sentences(out, b->help);
			shadowed(b, mdoc_shadow, out);
		}
		kb_buf_puts(out, ".El\n");
	}
}
