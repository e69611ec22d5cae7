/* script.c - the headless mode: keys and commands from a file instead of a terminal, and the
 * virtual screen dumped to files, so that every screen of the browser is a golden test.
 *
 * A script has one command a line ('#' starts a comment):
 *   size COLSxROWS     resize the virtual terminal (a resize event follows, as on SIGWINCH)
 *   type TEXT          type TEXT (UTF-8) in one burst, as fast typing or a paste would come
 *   paste TEXT         a bracketed paste of TEXT; \n \t \e \\ stand for newline, tab, ESC, \
 *   key NAME...        keys by name, one at a time: j Enter C-d S-Tab PgDn Esc / ? (keys.c)
 *   wheel up|down      one step of the mouse wheel
 *   dump FILE          the screen as UTF-8 text, trailing blanks cut
 *   dump-styled FILE   the screen with its attributes: {bold,rev,cyan}text{/}
 *   keys-mdoc FILE     the KEYS section of kb(1), generated from the action table
 *   signal INT|TERM|HUP   raise the signal
 *   settle on|off      whether each key waits for the search before it to finish (on by
 *                      default: screens then never depend on how fast a search is); with off,
 *                      keys come as a typist's would, whatever the search thread is doing
 *   settle             wait now for the search under way, and show its results
 *   pause MS           a typist's pause: MS milliseconds in which results may come
 *   slow-search MS     every search first takes MS milliseconds more (stoppably), as one on
 *                      a far bigger index would: for tests that typing never waits
 *   timing FILE        from now on, append to FILE a line for each screen drawn after keys:
 *                      "echo US", the microseconds from the first of those keys to the
 *                      screen, and for each search whose results are drawn "results US",
 *                      from the key whose screen started that search
 * The browser quits at the end of the script. */
#include <curses.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "kb/width.h"
#include "tui_priv.h"

struct script {
	FILE *f;
	char *path;
	int lineno;
	struct kb_tui_event *q;
	size_t nq, capq, head;
	bool drift;        /* "settle off": keys do not wait for the searches */
	long long pause_until; /* the end of a "pause", in now_us() */
};

/* The timing log: when the keys not yet on the screen came, and the search being timed. */
struct kb_tui_timing {
	FILE *f;
	long long key_at;    /* the first key not yet drawn; -1: none */
	long long posted_at; /* that key's time, for the search its screen started */
	unsigned long gen;   /* that search; 0: none */
	bool found;          /* its results are in: timed at the next draw */
};

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void kb_tui_timing_key(struct kb_tui *t)
{
	if (t->timing && t->timing->key_at < 0)
		t->timing->key_at = now_us();
}

void kb_tui_timing_posted(struct kb_tui *t, unsigned long gen)
{
	if (t->timing && t->timing->key_at >= 0) {
		t->timing->gen = gen;
		t->timing->posted_at = t->timing->key_at;
		t->timing->found = false;
	}
}

void kb_tui_timing_found(struct kb_tui *t, unsigned long gen)
{
	if (t->timing && gen == t->timing->gen)
		t->timing->found = true;
}

void kb_tui_timing_drawn(struct kb_tui *t)
{
	struct kb_tui_timing *tm = t->timing;
	long long now;
	if (!tm)
		return;
	now = now_us();
	if (tm->key_at >= 0)
		fprintf(tm->f, "echo %lld\n", now - tm->key_at);
	if (tm->found) {
		fprintf(tm->f, "results %lld\n", now - tm->posted_at);
		tm->gen = 0;
	}
	tm->key_at = -1;
	tm->found = false;
}

static int timing_open(struct kb_tui *t, const char *path)
{
	FILE *f = fopen(path, "a");
	if (!f)
		return -1;
	if (t->timing)
		fclose(t->timing->f);
	else
		t->timing = kb_xcalloc(1, sizeof *t->timing);
	t->timing->f = f;
	t->timing->key_at = -1;
	return 0;
}

int kb_tui_script_open(struct kb_tui *t, const char *path, struct kb_err *err)
{
	struct script *s;
	FILE *f = fopen(path, "r");
	if (!f) {
		kb_err_set(err, "%s: cannot open the script", path);
		return -1;
	}
	s = kb_xcalloc(1, sizeof *s);
	s->f = f;
	s->path = kb_xstrdup(path);
	t->script = s;
	return 0;
}

void kb_tui_script_close(struct kb_tui *t)
{
	struct script *s = t->script;
	if (!s)
		return;
	fclose(s->f);
	free(s->path);
	free(s->q);
	free(s);
	t->script = NULL;
	if (t->timing) {
		fclose(t->timing->f);
		free(t->timing);
		t->timing = NULL;
	}
}

static void queue(struct script *s, int kind, int key, bool pending)
{
	kb_xgrow(&s->q, &s->capq, s->nq + 1, sizeof *s->q);
	s->q[s->nq++] = (struct kb_tui_event){kind, key, pending};
}

/* ---- dumps ----------------------------------------------------------------------------- */

static const char *const color_names[] = {"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"};

/* Appends the tag for attributes a and colour pair p: "{bold,rev,cyan}". */
static void tag(struct kb_buf *out, attr_t a, short p)
{
	static const struct { attr_t a; const char *name; } names[] = {
		{A_BOLD, "bold"}, {A_DIM, "dim"}, {A_REVERSE, "rev"}, {A_UNDERLINE, "ul"},
		{A_ITALIC, "it"}, {A_BLINK, "blink"}};
	short fg = -1, bg = -1;
	size_t start = out->len;
	kb_buf_putc(out, '{');
	for (size_t i = 0; i < KB_NELEM(names); i++)
		if (a & names[i].a)
			kb_buf_printf(out, "%s%s", out->len > start + 1 ? "," : "", names[i].name);
	if (p > 0 && pair_content(p, &fg, &bg) == OK) {
		if (fg >= 0 && fg < 8)
			kb_buf_printf(out, "%s%s", out->len > start + 1 ? "," : "", color_names[fg]);
		if (bg >= 0 && bg < 8)
			kb_buf_printf(out, "%son-%s", out->len > start + 1 ? "," : "", color_names[bg]);
	}
	kb_buf_putc(out, '}');
}

/* Appends row y of the screen; styled adds tags. */
static void dump_row(struct kb_buf *out, int y, bool styled)
{
	const attr_t shown = A_BOLD | A_DIM | A_REVERSE | A_UNDERLINE | A_ITALIC | A_BLINK;
	attr_t cur = 0;
	short curp = 0;
	size_t start = out->len, keep = out->len;
	for (int x = 0; x < COLS;) {
		cchar_t cc;
		wchar_t wc[CCHARW_MAX + 1] = {0};
		attr_t a = 0;
		short p = 0;
		int w;
		mvwin_wch(stdscr, y, x, &cc);
		getcchar(&cc, wc, &a, &p, NULL);
		a &= shown;
		if (styled && (a != cur || p != curp)) {
			if (cur || curp)
				kb_buf_puts(out, "{/}");
			if (a || p)
				tag(out, a, p);
			cur = a;
			curp = p;
		}
		for (int i = 0; wc[i] && i < CCHARW_MAX; i++) {
			char enc[4];
			kb_buf_put(out, enc, (size_t)kb_utf8_encode((uint32_t)wc[i], enc));
		}
		if (!wc[0])
			kb_buf_putc(out, ' ');
		if ((wc[0] && wc[0] != L' ') || (styled && (a || p)))
			keep = out->len;
		w = wc[0] ? wcwidth(wc[0]) : 1;
		x += w > 0 ? w : 1;
	}
	if (styled && (cur || curp)) {
		kb_buf_puts(out, "{/}");
		keep = out->len;
	}
	out->len = keep >= start ? keep : start;
	kb_buf_putc(out, '\n');
}

static int dump(struct kb_tui *t, const char *path, bool styled)
{
	struct kb_buf b = {0};
	FILE *f;
	int cy, cx;
	kb_tui_draw(t);
	for (int y = 0; y < LINES; y++)
		dump_row(&b, y, styled);
	if (styled && kb_tui_cursor_at(&cy, &cx))
		kb_buf_printf(&b, "-- cursor at row %d, column %d\n", cy, cx);
	if (!(f = fopen(path, "w"))) {
		kb_buf_free(&b);
		return -1;
	}
	fwrite(kb_buf_str(&b), 1, b.len, f);
	kb_buf_free(&b);
	return fclose(f);
}

static int write_mdoc(const char *path)
{
	struct kb_buf b = {0};
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	kb_tui_keys_mdoc(&b);
	fwrite(kb_buf_str(&b), 1, b.len, f);
	kb_buf_free(&b);
	return fclose(f);
}

/* ---- commands ---------------------------------------------------------------------------- */

static void type_text(struct script *s, const char *text, bool paste)
{
	size_t n = strlen(text);
	if (paste)
		queue(s, KB_TUI_EV_PASTE_BEGIN, 0, true);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int len = kb_utf8_decode(text + i, n - i, &cp);
		if (paste && cp == '\\' && i + 1 < n) {
			char c = text[i + 1];
			cp = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'e' ? 27 : (uint32_t)(unsigned char)c;
			len = 2;
		}
		i += (size_t)len;
		queue(s, KB_TUI_EV_KEY, (int)cp, paste || i < n);
	}
	if (paste)
		queue(s, KB_TUI_EV_PASTE_END, 0, false);
}

static int keys(struct script *s, const char *names)
{
	for (const char *p = names + strspn(names, " "); *p;) {
		size_t n = strcspn(p, " ");
		int codes[4];
		if (kb_tui_key_parse(p, n, codes) == 0) {
			fprintf(stderr, "kb: %s:%d: unknown key %.*s\n", s->path, s->lineno, (int)n, p);
			return -1;
		}
		queue(s, KB_TUI_EV_KEY, codes[0], false);
		p += n;
		p += strspn(p, " ");
	}
	return 0;
}

static int resize(struct script *s, const char *arg)
{
	int cols, rows;
	if (sscanf(arg, "%dx%d", &cols, &rows) != 2 || cols < 1 || rows < 1 || cols > 1000 || rows > 1000) {
		fprintf(stderr, "kb: %s:%d: size wants COLSxROWS\n", s->path, s->lineno);
		return -1;
	}
	resizeterm(rows, cols);
	queue(s, KB_TUI_EV_RESIZE, 0, false);
	return 0;
}

static int run_signal(const char *arg)
{
	int sig = strcmp(arg, "INT") == 0 ? SIGINT : strcmp(arg, "TERM") == 0 ? SIGTERM :
	          strcmp(arg, "HUP") == 0 ? SIGHUP : 0;
	return sig ? raise(sig) : -1;
}

static int settle(struct kb_tui *t, struct script *s, const char *arg)
{
	if (strcmp(arg, "on") == 0 || strcmp(arg, "off") == 0)
		s->drift = arg[1] == 'f';
	else if (*arg)
		return -1;
	else if (t->searcher)
		kb_tui_searcher_wait(t->searcher);
	return 0;
}

/* pause MS, slow-search MS */
static int wait_cmd(struct kb_tui *t, struct script *s, bool pause, const char *arg)
{
	char *end;
	long ms = strtol(arg, &end, 10);
	if (end == arg || *end || ms < 0 || ms > 600000)
		return -1;
	if (pause)
		s->pause_until = now_us() + ms * 1000;
	else if (t->searcher)
		kb_tui_searcher_delay(t->searcher, (int)ms);
	return 0;
}

/* Whether the search thread has results to show before the script goes on: settling, it
 * waits for them; drifting, it only looks; in a pause, it waits until the pause is over. */
static bool found_ready(struct kb_tui *t, struct script *s)
{
	struct pollfd p = {.fd = kb_tui_searcher_fd(t->searcher), .events = POLLIN};
	long long left;
	if (!t->searcher)
		return false;
	if (!s->drift) {
		kb_tui_searcher_wait(t->searcher);
		return kb_tui_searcher_busy(t->searcher);
	}
	while ((left = s->pause_until - now_us()) > 0) {
		if (poll(&p, 1, (int)((left + 999) / 1000)) > 0)
			return true;
	}
	return poll(&p, 1, 0) > 0;
}

/* Runs one line of the script. Returns 0 or -1 (message printed). */
static int run_line(struct kb_tui *t, struct script *s, char *line)
{
	size_t n = strcspn(line, " ");
	char *arg = line[n] ? line + n + 1 : line + n;
	int rc = 0;
	line[n] = '\0';
	if (!*line || *line == '#')
		return 0;
	if (strcmp(line, "type") == 0 || strcmp(line, "paste") == 0)
		type_text(s, arg, line[0] == 'p');
	else if (strcmp(line, "key") == 0)
		rc = keys(s, arg);
	else if (strcmp(line, "size") == 0)
		rc = resize(s, arg);
	else if (strcmp(line, "wheel") == 0 && (strcmp(arg, "up") == 0 || strcmp(arg, "down") == 0))
		queue(s, arg[0] == 'u' ? KB_TUI_EV_WHEEL_UP : KB_TUI_EV_WHEEL_DOWN, 0, false);
	else if (strcmp(line, "dump") == 0 || strcmp(line, "dump-styled") == 0)
		rc = dump(t, arg, line[4] == '-');
	else if (strcmp(line, "keys-mdoc") == 0)
		rc = write_mdoc(arg);
	else if (strcmp(line, "signal") == 0)
		rc = run_signal(arg);
	else if (strcmp(line, "settle") == 0)
		rc = settle(t, s, arg);
	else if (strcmp(line, "pause") == 0 || strcmp(line, "slow-search") == 0)
		rc = wait_cmd(t, s, line[0] == 'p', arg);
	else if (strcmp(line, "timing") == 0 && *arg)
		rc = timing_open(t, arg);
	else
		rc = -1;
	if (rc != 0)
		fprintf(stderr, "kb: %s:%d: cannot run: %s %s\n", s->path, s->lineno, line, arg);
	return rc;
}

void kb_tui_script_next(struct kb_tui *t, struct kb_tui_event *ev)
{
	struct script *s = t->script;
	char buf[8192];
	for (;;) {
		memset(ev, 0, sizeof *ev);
		if (kb_tui_term_signal()) {
			ev->kind = KB_TUI_EV_SIGNAL;
			return;
		}
		if (found_ready(t, s)) {
			ev->kind = KB_TUI_EV_FOUND;
			return;
		}
		if (s->head < s->nq) {
			*ev = s->q[s->head++];
			return;
		}
		s->nq = s->head = 0;
		if (!fgets(buf, sizeof buf, s->f)) {
			ev->kind = KB_TUI_EV_END;
			return;
		}
		s->lineno++;
		buf[strcspn(buf, "\r\n")] = '\0';
		if (run_line(t, s, buf) != 0) {
			t->status = 2;
			ev->kind = KB_TUI_EV_END;
			return;
		}
	}
}
