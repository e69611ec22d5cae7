/* cli_priv.h - what the command line's files share: the command table, output settings,
 * finding and opening the index, error messages. */
#ifndef KB_CLI_PRIV_H
#define KB_CLI_PRIV_H

#include <stdbool.h>
#include <stdio.h>

#include "kb/index.h"
#include "kb/util.h"
#include "kb/width.h"

/* Exit statuses, as grep has them. */
#define KB_EXIT_OK 0
#define KB_EXIT_NONE 1  /* nothing found, or something was skipped */
#define KB_EXIT_ERROR 2

struct kb_cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage, *help;
};
extern const struct kb_cli_cmd kb_cli_cmds[];
const struct kb_cli_cmd *kb_cli_find(const char *name);

int kb_cmd_build(int argc, char **argv);
int kb_cmd_check(int argc, char **argv);
int kb_cmd_search(int argc, char **argv);
int kb_cmd_match(int argc, char **argv);
int kb_cmd_components(int argc, char **argv);
int kb_cmd_symptoms(int argc, char **argv);
int kb_cmd_list(int argc, char **argv);
int kb_cmd_show(int argc, char **argv);
int kb_cmd_man(int argc, char **argv);
int kb_cmd_debug(int argc, char **argv);
int kb_cmd_edit(int argc, char **argv);
/* Finds an entry by id, or by a unique id prefix (kb show, kb edit). Returns 1 (e filled;
 * release with kb_entry_clear), 0 (message printed) or -1 (message printed). */
struct kb_entry;
int kb_cli_find_entry(struct kb_index *ix, const char *id, struct kb_entry *e);
/* kb with no command: the browser on a terminal, else the usage. */
int kb_cli_browse(const char *db, bool mouse);

/* Prints the help of cmd on stdout; returns KB_EXIT_OK. */
int kb_cli_help(const char *cmd);
/* Prints "usage: ..." for cmd on stderr; returns KB_EXIT_ERROR. */
int kb_cli_usage(const char *cmd);
/* Writes text to standard output, through $PAGER (default "less -R") when it is longer than
 * the screen (cli_show.c). */
struct kb_cli_out;
void kb_cli_page(const char *text, const struct kb_cli_out *o);
/* Prints "kb: MESSAGE" on stderr, with anything unsafe made visible. */
void kb_cli_error(const char *fmt, ...) KB_PRINTF(1, 2);

/* The index to read: --db, $KB_DB, kb.db beside the binary, $XDG_DATA_HOME/kb/kb.db,
 * PREFIX/share/kb/kb.db. Returns a path (caller frees) or NULL with err. */
char *kb_cli_find_index(const char *opt_db, struct kb_err *err);
/* Where kb build writes by default: --db, $KB_DB, else $XDG_DATA_HOME/kb/kb.db. */
char *kb_cli_build_target(const char *opt_db);
/* Finds and opens the index, printing why not. Returns 0 or -1. */
int kb_cli_open(const char *opt_db, struct kb_index **ix);

/* How to write to standard output. */
struct kb_cli_out {
	bool tty;    /* standard output is a terminal */
	bool color;  /* use SGR styles */
	int width;   /* columns */
	int height;  /* rows (0 when not a terminal) */
	bool fold;   /* --width given: code lines fold within it too */
};
/* Fills out from the terminal, NO_COLOR and a --color=WHEN value (NULL for auto).
 * Returns -1 for a WHEN that is not auto, always or never. */
int kb_cli_out_init(struct kb_cli_out *out, const char *when);
/* The options of the commands that print a page (show, man): --db, --width, --plain and
 * --color (or --colour). KB_CLI_PAGE_OPTIONS goes into their struct option table, and
 * "d:w:p" into their getopt string. */
struct kb_cli_page_opts {
	const char *db, *color;
	bool plain;
	int width;
};
#define KB_CLI_PAGE_OPTIONS                                                                          \
	{"db", required_argument, NULL, 'd'}, {"width", required_argument, NULL, 'w'},                  \
	{"plain", no_argument, NULL, 'p'}, {"color", required_argument, NULL, 'c'},                      \
	{"colour", required_argument, NULL, 'c'}
/* Takes getopt's option c (with arg) into o when it is one of those. Returns whether it was. */
bool kb_cli_page_opt(struct kb_cli_page_opts *o, int c, const char *arg);
/* Fills out for o (kb_cli_out_init, then --plain and --width). Returns 0, or -1 for a
 * --color or --width that is not one (a usage error). */
int kb_cli_page_out(const struct kb_cli_page_opts *o, struct kb_cli_out *out);
/* Writes s to f with anything unsafe made visible. */
void kb_cli_put(FILE *f, const char *s);
/* Writes at most cols columns of s (sanitised), with "…" when cut; returns columns used. */
int kb_cli_put_cols(FILE *f, const char *s, int cols);
/* Appends text (with \x02 and \x03 marks around matches) made safe and wrapped to cols
 * columns after indent spaces, in at most maxlines lines: lines break after a space or next
 * to a wide character, a word longer than a line at a character, and the last line ends in
 * "…" (cut at a character) when text is left over; nothing is ever skipped. The marks become
 * colours when color, else go. */
void kb_cli_wrap(struct kb_buf *out, const char *text, int indent, int cols, int maxlines, bool color);

#endif
