/* termcheck.c - kb debug curses: starts curses on $TERM, draws a report and a line of CJK text,
 * and compares the column curses ends that text at with kb's own width of it. The static kb's
 * built-in terminal descriptions and UTF-8 LC_CTYPE are exercised exactly as the browser
 * exercises them (tests/static.test.sh runs it in an empty root under tmux). */
#include "kb/termcheck.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb/locale.h"
#include "kb/terminfo.h"
#include "kb/width.h"

/* The report's lines, in out (each ends with '\n'). */
static void report(struct kb_buf *out, const char *text, int curses_cols, int kb_cols)
{
	const char *builtin = kb_terminfo_used();
	kb_buf_printf(out, "kb debug curses: TERM=%s (%s)\n", termname(), longname());
	kb_buf_printf(out, "terminfo: %s\n", builtin ? "built into kb (the host has no entry)"
	                                              : "the host's terminfo database");
	kb_buf_printf(out, "LC_CTYPE: %s, codeset %s%s\n", setlocale(LC_CTYPE, NULL),
	              nl_langinfo(CODESET), kb_locale_builtin() ? " (built into kb)" : "");
	kb_buf_printf(out, "colors: %d, size: %dx%d\n", has_colors() ? COLORS : 0, COLS, LINES);
	kb_buf_printf(out, "text: [%s]\n", text);
	kb_buf_printf(out, "width: curses %d, kb %d: %s\n", curses_cols, kb_cols,
	              curses_cols == kb_cols ? "same" : "DIFFERENT");
}

/* Draws text at row y between brackets; returns the columns curses advanced over text. */
static int draw_text(int y, const char *text)
{
	int x0;
	mvaddstr(y, 0, "text: [");
	x0 = getcurx(stdscr);
	attron(A_BOLD);
	addstr(text);
	attroff(A_BOLD);
	int cols = getcury(stdscr) == y ? getcurx(stdscr) - x0 : -1;
	addstr("]");
	return cols;
}

int kb_termcheck_run(const char *text, struct kb_err *err)
{
	struct kb_buf safe = {0}, out = {0};
	SCREEN *scr;
	int cols, kb_cols, y = 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		kb_err_set(err, "kb debug curses needs a terminal");
		return -1;
	}
	if (!(scr = newterm(NULL, stdout, stdin))) {
		const char *t = getenv("TERM");
		kb_err_set(err, "curses cannot use the terminal %s: no terminfo entry for it",
		           t && *t ? t : "(TERM is not set)");
		return -1;
	}
	cbreak();
	noecho();
	if (has_colors())
		start_color();
	kb_sanitize(&safe, text, strlen(text), false);
	kb_cols = (int)kb_width_str(kb_buf_str(&safe), safe.len);
	cols = draw_text(4, kb_buf_str(&safe));
	report(&out, kb_buf_str(&safe), cols, kb_cols);
	for (const char *p = kb_buf_str(&out), *nl; (nl = strchr(p, '\n')); p = nl + 1, y++)
		if (y != 4) /* the text line, drawn above */
			mvaddnstr(y, 0, p, (int)(nl - p));
	mvaddstr(y + 1, 0, "press a key");
	refresh();
	getch();
	endwin();
	delscreen(scr);
	fputs(kb_buf_str(&out), stdout);
	kb_buf_free(&safe);
	kb_buf_free(&out);
	if (cols != kb_cols) {
		kb_err_set(err, "curses drew the text in %d columns, kb measures %d", cols, kb_cols);
		return -1;
	}
	return 0;
}
