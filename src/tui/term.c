/* term.c - the terminal: curses set up and always restored (quit, signals, fatal errors),
 * keys, resizes, the mouse wheel and bracketed pastes as events, OSC 52 for the clipboard. */
#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tui_priv.h"

#include <term.h> /* last: its capability macros (lines, columns ...) clash with names */

/* Key codes kb asks curses to report for the bracketed paste markers. */
#define KEY_PASTE_BEGIN (KEY_MAX + 1)
#define KEY_PASTE_END (KEY_MAX + 2)
/* The most base64 one copy sends: terminals cap OSC 52 (xterm and tmux take this much). */
#define OSC52_MAX 100000
#define WAIT_MS 250

struct tstate {
	SCREEN *scr;
	FILE *out, *in;
	bool own_files;
	char *paste_off; /* what turns bracketed paste off, when it was turned on */
	struct kb_tui_event queued;
	bool has_queued;
};

/* What the signal handlers need, set up before curses starts. */
static volatile sig_atomic_t got_signal;
static int tty_fd = -1;
static struct termios saved_tios;
static bool have_tios;
static char restore_seq[512];
static size_t restore_len;
static volatile sig_atomic_t term_up;

/* Terminal capabilities go to the browser's output, which is not stdout when headless. */
static FILE *cap_out;

static int cap_putc(int c)
{
	return putc(c, cap_out);
}

static void put_cap(const char *s)
{
	tputs(s, 1, cap_putc);
	fflush(cap_out);
}

/* ---- restoring from anywhere ----------------------------------------------------------- */

/* Appends a terminfo string without its padding ($<5>) to the emergency sequence. */
static void add_restore(const char *cap)
{
	const char *s = tigetstr(cap);
	if (!s || s == (const char *)-1)
		return;
	for (size_t i = 0; s[i] && restore_len < sizeof restore_seq - 1; i++) {
		const char *e;
		if (s[i] == '$' && s[i + 1] == '<' && (e = strchr(s + i, '>'))) {
			i = (size_t)(e - s);
			continue;
		}
		restore_seq[restore_len++] = s[i];
	}
}

/* Appends s to the emergency sequence. */
static void add_restore_str(const char *s)
{
	size_t n = strlen(s);
	if (restore_len + n < sizeof restore_seq) {
		memcpy(restore_seq + restore_len, s, n);
		restore_len += n;
	}
}

/* Appends what turns xterm-style mouse reporting off, for terminals that have a mouse. */
static void add_mouse_off(void)
{
	static const char off[] = "\033[?1006l\033[?1002l\033[?1000l";
	const char *kmous = tigetstr("kmous");
	if (!kmous || kmous == (const char *)-1 || restore_len + sizeof off >= sizeof restore_seq)
		return;
	memcpy(restore_seq + restore_len, off, sizeof off - 1);
	restore_len += sizeof off - 1;
}

/* Async-signal-safe: puts the terminal back as it was, without curses. */
static void emergency_restore(void)
{
	if (!term_up)
		return;
	term_up = 0;
	if (tty_fd >= 0) {
		ssize_t w = write(tty_fd, restore_seq, restore_len);
		(void)w;
		if (have_tios)
			tcsetattr(tty_fd, TCSANOW, &saved_tios);
	}
}

static void on_fatal(int sig)
{
	emergency_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_quit_signal(int sig)
{
	if (got_signal) { /* the loop did not answer the first one: leave now */
		emergency_restore();
		_exit(128 + sig);
	}
	got_signal = sig;
}

static void at_exit(void)
{
	emergency_restore();
}

int kb_tui_term_signal(void)
{
	return got_signal;
}

static void set_handlers(bool on)
{
	static const int quits[] = {SIGINT, SIGTERM, SIGHUP};
	static const int fatals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGQUIT};
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on ? on_quit_signal : SIG_DFL;
	for (size_t i = 0; i < KB_NELEM(quits); i++)
		sigaction(quits[i], &sa, NULL);
	sa.sa_handler = on ? on_fatal : SIG_DFL;
	sa.sa_flags = on ? SA_RESETHAND : 0;
	for (size_t i = 0; i < KB_NELEM(fatals); i++)
		sigaction(fatals[i], &sa, NULL);
}

/* ---- opening and closing ----------------------------------------------------------------- */

static int open_files(struct tstate *tm, const struct kb_tui_opts *o, struct kb_err *err)
{
	if (!o->script) {
		tm->out = stdout;
		tm->in = stdin;
		tty_fd = fileno(stdout);
		return 0;
	}
	tm->own_files = true;
	tm->out = fopen(o->output ? o->output : "/dev/null", "w");
	tm->in = fopen("/dev/null", "r");
	if (!tm->out || !tm->in) {
		kb_err_set(err, "%s: %s", o->output ? o->output : "/dev/null", strerror(errno));
		return -1;
	}
	return 0;
}

/* Bracketed paste: pasted text then arrives between two markers, so that a pasted newline is
 * not Enter. From the terminal description; tmux and screen do it whatever theirs says. */
static void paste_on(struct kb_tui *t, struct tstate *tm)
{
	const char *be = tigetstr("BE"), *ps = tigetstr("PS"), *pe = tigetstr("PE");
	const char *term = getenv("TERM");
	bool known = be && be != (const char *)-1 && ps && ps != (const char *)-1 && pe && pe != (const char *)-1;
	if (!known && term && (kb_starts_with(term, "screen") || kb_starts_with(term, "tmux"))) {
		be = "\033[?2004h";
		ps = "\033[200~";
		pe = "\033[201~";
		known = true;
	}
	if (!known)
		return;
	define_key(ps, KEY_PASTE_BEGIN);
	define_key(pe, KEY_PASTE_END);
	put_cap(be);
	tm->paste_off = kb_xstrdup(be);
	tm->paste_off[strlen(tm->paste_off) - 1] = 'l'; /* ESC [ ? 2004 h -> l */
	add_restore_str(tm->paste_off);
	t->bracketed = true;
}

/* Home and End whatever the terminal sends: terminal descriptions name one form, but
 * xterm sends ESC [ H or ESC O H depending on its mode, tmux and screen ESC [ 1 ~ (also
 * under TERM=xterm-256color), rxvt ESC [ 7 ~. Sequences the description binds stay as it says. */
static void home_end_keys(void)
{
	static const struct {
		const char *seq;
		int key;
	} keys[] = {
		{"\033[1~", KEY_HOME}, {"\033[H", KEY_HOME}, {"\033OH", KEY_HOME}, {"\033[7~", KEY_HOME},
		{"\033[4~", KEY_END},  {"\033[F", KEY_END},  {"\033OF", KEY_END},  {"\033[8~", KEY_END},
	};
	for (size_t i = 0; i < KB_NELEM(keys); i++)
		if (key_defined(keys[i].seq) == 0)
			define_key(keys[i].seq, keys[i].key);
}

static void curses_setup(struct kb_tui *t, struct tstate *tm)
{
	const char *nc = getenv("NO_COLOR");
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(50);
	curs_set(0);
	wtimeout(stdscr, t->headless ? 0 : WAIT_MS);
	t->color = kb_tui_draw_init(!(nc && *nc), t->ascii);
	restore_len = 0;
	add_restore("sgr0");
	add_restore("cnorm");
	add_mouse_off();
	add_restore("rmkx");
	add_restore("rmcup");
	paste_on(t, tm);
	home_end_keys();
	kb_tui_term_mouse(t, t->mouse); /* off unless asked for: a drag then selects text */
	fflush(tm->out);
}

/* The terminal type to draw with when neither the host nor kb knows the user's: modern
 * emulators whose descriptions a server rarely has (xterm-kitty, alacritty, wezterm, foot,
 * ghostty, PuTTY's putty-256color, ...) speak xterm's language; the relatives of screen,
 * tmux and rxvt their family's; anything else VT100's, which every emulator understands. */
static const char *fallback_term(const char *name)
{
	static const struct {
		const char *prefix, *use;
	} families[] = {
		{"xterm", "xterm-256color"},   {"alacritty", "xterm-256color"}, {"kitty", "xterm-256color"},
		{"wezterm", "xterm-256color"}, {"foot", "xterm-256color"},      {"ghostty", "xterm-256color"},
		{"contour", "xterm-256color"}, {"konsole", "xterm-256color"},   {"gnome", "xterm-256color"},
		{"vte", "xterm-256color"},     {"iterm", "xterm-256color"},     {"st-", "xterm-256color"},
		{"putty", "xterm-256color"},   {"mintty", "xterm-256color"},    {"nsterm", "xterm-256color"},
		{"tmux", "tmux-256color"},     {"screen", "screen"},            {"rxvt", "rxvt-unicode-256color"},
	};
	for (size_t i = 0; i < KB_NELEM(families); i++)
		if (strncmp(name, families[i].prefix, strlen(families[i].prefix)) == 0)
			return families[i].use;
	return "vt100";
}

int kb_tui_term_open(struct kb_tui *t, const struct kb_tui_opts *o, struct kb_err *err)
{
	struct tstate *tm = kb_xcalloc(1, sizeof *tm);
	const char *name = getenv("TERM");
	SCREEN *pre;
	if (open_files(tm, o, err) != 0)
		goto fail;
	if (!name || !*name)
		name = t->headless ? "xterm-256color" : "dumb";
	if (t->headless)
		use_env(FALSE);
	if (tty_fd >= 0 && tcgetattr(tty_fd, &saved_tios) == 0)
		have_tios = true;
	set_handlers(true);
	/* one pre-screen for both tries: each newterm() that fails keeps the one it made */
	pre = new_prescr();
	if (!pre || !(tm->scr = newterm_sp(pre, name, tm->out, tm->in))) {
		const char *use = fallback_term(name);
		if (!pre || t->headless || strcmp(use, name) == 0 || !(tm->scr = newterm_sp(pre, use, tm->out, tm->in))) {
			kb_err_set(err, "cannot use the terminal type %s", name);
			set_handlers(false);
			goto fail;
		}
		snprintf(t->msg, sizeof t->msg, "TERM=%.60s is not described on this host: drawing as %s", name, use);
	}
	t->term = tm;
	cap_out = tm->out;
	term_up = 1;
	atexit(at_exit);
	curses_setup(t, tm);
	return 0;
fail:
	if (tm->own_files && tm->out)
		fclose(tm->out);
	if (tm->own_files && tm->in)
		fclose(tm->in);
	free(tm);
	return -1;
}

static void on_ignored(int sig)
{
	(void)sig;
}

void kb_tui_term_suspend(struct kb_tui *t)
{
	struct tstate *tm = t->term;
	struct sigaction sa;
	bool mouse = t->mouse;
	if (!tm)
		return;
	kb_tui_term_mouse(t, false);
	t->mouse = mouse; /* for kb_tui_term_resume */
	if (tm->paste_off)
		put_cap(tm->paste_off);
	def_prog_mode();
	endwin();
	fflush(tm->out);
	/* Ctrl-C in the editor is the editor's, not a quit of kb's: caught (not ignored, which
	 * the editor would inherit) by a handler that does nothing */
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_ignored;
	sigaction(SIGINT, &sa, NULL);
}

void kb_tui_term_resume(struct kb_tui *t)
{
	struct tstate *tm = t->term;
	if (!tm)
		return;
	set_handlers(true);
	reset_prog_mode();
	if (tm->paste_off) { /* ESC [ ? 2004 l back to h */
		char *on = kb_xstrdup(tm->paste_off);
		on[strlen(on) - 1] = 'h';
		put_cap(on);
		free(on);
	}
	kb_tui_term_mouse(t, t->mouse);
	clearok(curscr, TRUE);
	fflush(tm->out);
}

void kb_tui_term_close(struct kb_tui *t)
{
	struct tstate *tm = t->term;
	if (!tm)
		return;
	kb_tui_term_mouse(t, false);
	if (tm->paste_off)
		put_cap(tm->paste_off);
	free(tm->paste_off);
	curs_set(1);
	endwin();
	term_up = 0;
	fflush(tm->out);
	delscreen(tm->scr);
	if (tm->own_files) {
		fclose(tm->out);
		fclose(tm->in);
	}
	set_handlers(false);
	free(tm);
	t->term = NULL;
}

void kb_tui_term_mouse(struct kb_tui *t, bool on)
{
	if (!t->term)
		return;
	t->mouse = on && mousemask(BUTTON4_PRESSED | BUTTON5_PRESSED, NULL) != 0;
	if (!on)
		mousemask(0, NULL);
	mouseinterval(0);
}

/* ---- events ---------------------------------------------------------------------------- */

/* Turns what wget_wch returned into an event; false for input to ignore (other mouse events). */
static bool to_event(int r, wint_t wch, struct kb_tui_event *ev)
{
	MEVENT me;
	memset(ev, 0, sizeof *ev);
	if (r == OK) {
		ev->kind = KB_TUI_EV_KEY;
		ev->key = (int)wch;
		return true;
	}
	switch (wch) {
	case KEY_RESIZE: ev->kind = KB_TUI_EV_RESIZE; return true;
	case KEY_PASTE_BEGIN: ev->kind = KB_TUI_EV_PASTE_BEGIN; return true;
	case KEY_PASTE_END: ev->kind = KB_TUI_EV_PASTE_END; return true;
	case KEY_MOUSE:
		if (getmouse(&me) != OK)
			return false;
		if (me.bstate & BUTTON4_PRESSED)
			ev->kind = KB_TUI_EV_WHEEL_UP;
		else if (me.bstate & BUTTON5_PRESSED)
			ev->kind = KB_TUI_EV_WHEEL_DOWN;
		else
			return false;
		return true;
	default:
		ev->kind = KB_TUI_EV_KEY;
		ev->key = KB_TUI_FKEY + (int)wch;
		return true;
	}
}

/* True when the terminal hung up or standard input is gone; asked after a read found
 * nothing. A hung-up terminal polls as readable too (its reads return at once with
 * nothing), so POLLIN alongside POLLHUP does not mean there is more to read: ncurses has
 * just tried. Without SIGHUP (the session's leader may be make, as under `make run`, which
 * dies of the hangup without passing it on) this is what ends kb when the terminal goes,
 * instead of a loop of empty reads. */
static bool input_gone(struct tstate *tm)
{
	struct pollfd p = {.fd = fileno(tm->in), .events = POLLIN};
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

/* Waits up to WAIT_MS for input or for wake (a search's result) to be readable. Returns
 * true when wake is and no input is waiting. */
static bool wait_input(struct tstate *tm, int wake)
{
	struct pollfd p[2] = {{.fd = fileno(tm->in), .events = POLLIN}, {.fd = wake, .events = POLLIN}};
	return poll(p, 2, WAIT_MS) > 0 && (p[1].revents & POLLIN) && !(p[0].revents & POLLIN);
}

/* Reads one event, waiting at most ms (-1: until there is one, or until wake, unless -1, is
 * readable: then the event is KB_TUI_EV_FOUND). Returns false on timeout. */
static bool read_event(struct tstate *tm, int ms, int wake, struct kb_tui_event *ev)
{
	for (;;) {
		wint_t wch;
		int r;
		if (got_signal) {
			memset(ev, 0, sizeof *ev);
			ev->kind = KB_TUI_EV_SIGNAL;
			return true;
		}
		/* with something else to wait for, curses only looks; poll() does the waiting */
		wtimeout(stdscr, ms < 0 && wake >= 0 ? 0 : ms < 0 ? WAIT_MS : ms);
		r = wget_wch(stdscr, &wch);
		if (r == ERR) {
			if (got_signal)
				continue;
			if (input_gone(tm)) {
				memset(ev, 0, sizeof *ev);
				ev->kind = KB_TUI_EV_END;
				return true;
			}
			if (ms >= 0)
				return false;
			if (wake >= 0 && wait_input(tm, wake)) {
				memset(ev, 0, sizeof *ev);
				ev->kind = KB_TUI_EV_FOUND;
				return true;
			}
			continue;
		}
		if (to_event(r, wch, ev))
			return true;
	}
}

void kb_tui_term_next(struct kb_tui *t, struct kb_tui_event *ev)
{
	struct tstate *tm = t->term;
	if (t->headless) {
		kb_tui_script_next(t, ev);
		return;
	}
	if (tm->has_queued) {
		*ev = tm->queued;
		tm->has_queued = false;
	} else {
		read_event(tm, -1, kb_tui_searcher_fd(t->searcher), ev);
	}
	/* Typeahead: when more input is already there (a paste), say so and keep it. */
	if (ev->kind == KB_TUI_EV_KEY || ev->kind == KB_TUI_EV_PASTE_BEGIN) {
		tm->has_queued = read_event(tm, 0, -1, &tm->queued);
		ev->pending = tm->has_queued && tm->queued.kind == KB_TUI_EV_KEY;
	}
}

/* ---- the clipboard ------------------------------------------------------------------------ */

void kb_tui_base64(struct kb_buf *out, const char *data, size_t len)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)data;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		size_t left = len - i;
		if (left > 1)
			v |= (unsigned)p[i + 1] << 8;
		if (left > 2)
			v |= p[i + 2];
		kb_buf_putc(out, alphabet[v >> 18 & 63]);
		kb_buf_putc(out, alphabet[v >> 12 & 63]);
		kb_buf_putc(out, left > 1 ? alphabet[v >> 6 & 63] : '=');
		kb_buf_putc(out, left > 2 ? alphabet[v & 63] : '=');
	}
}

int kb_tui_term_copy(struct kb_tui *t, const char *data, size_t len, struct kb_err *err)
{
	struct tstate *tm = t->term;
	struct kb_buf seq = {0};
	if ((len + 2) / 3 * 4 > OSC52_MAX) {
		kb_err_set(err, "too long to copy (%zu bytes; terminals take about %d)", len, OSC52_MAX / 4 * 3);
		return -1;
	}
	/* ESC ] 52 ; c ; base64 BEL: only base64 comes from the note. No DCS wrapping for tmux:
	 * with set-clipboard on, tmux takes OSC 52 itself and passes it to the outer terminal. */
	kb_buf_puts(&seq, "\033]52;c;");
	kb_tui_base64(&seq, data, len);
	kb_buf_puts(&seq, "\007");
	fflush(tm->out);
	fwrite(seq.s, 1, seq.len, tm->out);
	fflush(tm->out);
	kb_buf_free(&seq);
	return 0;
}
