/* cli.c - kb's command line: global options, the command table, help, finding the index.
 * The commands themselves are in cli_build.c, cli_search.c and cli_show.c (all part of
 * the cli layer: with main.c and src/tui/, the only code that prints or exits). */
#include "kb/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_priv.h"
#include "kb/locale.h"
#include "kb/normalize.h"
#include "kb/terminfo.h"
#include "kb/tokenizer.h"
#include "kb/tui.h"

#ifndef KB_PREFIX
#define KB_PREFIX "/usr/local"
#endif

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

const struct kb_cli_cmd kb_cli_cmds[] = {
	{"build", kb_cmd_build, "kb build [--db FILE] [--full] [--man[=DIRS]] [--man-lang=LANGS] [--no-man] [-q] [-v] [DIR]",
	 "Compile the notes under DIR (default: ./kb) into the index. Only notes that changed\n"
	 "since the last build are compiled again; the new index replaces the old one\n"
	 "atomically. Problems with notes are reported as PATH:LINE: messages; every other\n"
	 "note is still indexed.\n"
	 "  --db FILE        where to write (default: $KB_DB, else $XDG_DATA_HOME/kb/kb.db)\n"
	 "  --full           compile every note again\n"
	 "  --man[=DIRS]     also index the host's manual: the man trees DIRS (colon-separated),\n"
	 "                   else those man(1) reads ($MANPATH, manpath, /etc/manpath.config)\n"
	 "  --man-lang=LANGS also the translated trees DIR/LANG of these languages (zh_CN,de)\n"
	 "  --no-man         remove the man pages; without --man or --no-man they are kept\n"
	 "  -q               no progress and no summary\n"
	 "  -v               also 'note:' diagnostics, mandoc's warnings, the notes read from disk\n"
	 "Exit status: 0 all notes indexed, 1 some notes skipped, 2 the index was not written."},
	{"search", kb_cmd_search, "kb search [--db FILE] [-n N] [--json] [--color=WHEN] [--words] QUERY...",
	 "Find entries. Words are ANDed; \"exact phrase\"; -word excludes (a lone one, or an\n"
	 "option a man page has, such as find -mtime, is a word); a OR b; word* is a prefix;\n"
	 "component:NAME, symptom:TEXT, source:notes|man, section:N and lang:en|zh filter.\n"
	 "English words match their other forms; a misspelt word is corrected when nothing has\n"
	 "every word as typed. A pasted log line is matched against the notes' text and error\n"
	 "strings, whatever its addresses, ids and times.\n"
	 "  -n N         at most N results (default 20; 0 for all)\n"
	 "  --json       one JSON object per line: id, path, line, title, components, score, snippet\n"
	 "  --color=WHEN auto (default), always or never\n"
	 "  --words      take the query as words even when it looks like a log line\n"
	 "Options may come anywhere; another word starting with - is the query's (-docker\n"
	 "excludes docker; -A and --since are words); -- ends the options.\n"
	 "Output: one hit per line (id, title, components; tab-separated with a snippet when\n"
	 "piped). Exit status: 0 hits, 1 none, 2 error."},
	{"show", kb_cmd_show, "kb show [--db FILE] [--width N] [--plain] [--color=WHEN] [--highlight QUERY] [--source] ID",
	 "Print an entry, rendered for the terminal (through $PAGER when longer than the screen).\n"
	 "ID may also be the path of a file a note links to (a script, a config): kb build\n"
	 "stores those in the index, and kb show prints them as text.\n"
	 "Code blocks are never wrapped, so that what you copy is what the note says.\n"
	 "  --width N        lay out for N columns (default: the terminal's, or 80)\n"
	 "  --plain          no styles\n"
	 "  --color=WHEN     auto (default; off when piped or NO_COLOR is set), always or never\n"
	 "  --highlight Q    mark the words of the query Q\n"
	 "  --source         print the entry's markdown as written in the note\n"
	 "Exit status: 0 shown, 1 no such entry, 2 error."},
	{"man", kb_cmd_man, "kb man [--db FILE] [--width N] [--plain] [--color=WHEN] [SECTION] NAME[#OPTION]",
	 "Print a page of the host's manual from the index (kb build --man puts it there), as\n"
	 "man(1) shows it, through $PAGER when longer than the screen: NAME, NAME(SECTION) or\n"
	 "SECTION NAME; NAME#OPTION prints that option's entry alone (kb man rm#--force).\n"
	 "Without a section the first of 1 8 2 3 4 5 6 7 is taken. No man, mandoc or groff is\n"
	 "needed on the host.\n"
	 "  --width N     lay out for N columns (default: the terminal's, or 80)\n"
	 "  --plain       no styles\n"
	 "  --color=WHEN  auto (default), always or never\n"
	 "Exit status: 0 shown, 1 no such page (the nearest names are listed), 2 error."},
	{"edit", kb_cmd_edit, "kb edit [--db FILE] ID",
	 "Open the note of entry ID in $VISUAL (else $EDITOR, else vi) at the entry's line, then\n"
	 "bring the index up to date (only the notes that changed are compiled). The notes\n"
	 "directory the index was built from must be on this host: an index carried alone, as\n"
	 "in a bundle, cannot be edited. Exit status: 0 edited and rebuilt, 1 no such entry,\n"
	 "2 error (the index is then as it was)."},
	{"match", kb_cmd_match, "kb match [--db FILE] [-n N] [--json] [FILE]",
	 "Read a log (FILE, or standard input), find its error-looking lines and list the\n"
	 "entries that explain them, most relevant first, each once, with the lines that matched.\n"
	 "Exit status: 0 some line matched, 1 none did, 2 error."},
	{"components", kb_cmd_components, "kb components [--db FILE] [--json]",
	 "List the components with the number of entries each has."},
	{"symptoms", kb_cmd_symptoms, "kb symptoms [--db FILE] [--json]",
	 "List the error signatures (symptoms with their variable parts replaced), with an\n"
	 "example as written in a note and the number of entries that have it."},
	{"list", kb_cmd_list, "kb list [--db FILE] [--json] (--component NAME | --symptom TEXT)",
	 "List the entries of a component, or those with a symptom (TEXT is normalised, so any\n"
	 "copy of the error will do)."},
	{"check", kb_cmd_check, "kb check [--json] [DIR [NOTE...]]",
	 "Compile notes without writing an index and show how kb reads them: the entries with\n"
	 "their ids, titles, components and symptoms, and every diagnostic. NOTE paths are\n"
	 "relative to DIR (default ./kb). --json: JSON objects, the entries on standard output,\n"
	 "the diagnostics (with their codes) on standard error. Exit status: 0 clean, 1 a note\n"
	 "has an error."},
	{"help", cmd_help, "kb help [COMMAND]", "Show help for kb or for one command."},
	{"version", cmd_version, "kb version [--db FILE]", "Same as kb --version."},
	{"debug", kb_cmd_debug,
	 "kb debug tokens|query|normalize TEXT | ids | verify | diagnostics | curses [TEXT]",
	 "Show how kb reads TEXT: the index tokens (tokens), the MATCH text (query), or the\n"
	 "error signature (normalize). kb debug ids lists every entry id (for shell completion);\n"
	 "kb debug verify checks that the index is sound and its full-text index agrees with\n"
	 "its entries; kb debug diagnostics lists every diagnostic kb gives about notes (name,\n"
	 "level, text);\n"
	 "kb debug curses starts curses on $TERM, draws a line of Chinese (or TEXT) and says\n"
	 "which terminal description and LC_CTYPE it used and whether the widths agree."},
	{NULL, NULL, NULL, NULL},
};

static void usage_all(FILE *f)
{
	fprintf(f, "usage: kb [--db FILE] [--mouse]    open the browser\n");
	for (const struct kb_cli_cmd *c = kb_cli_cmds; c->name; c++)
		if (strcmp(c->name, "debug") != 0 && strcmp(c->name, "version") != 0)
			fprintf(f, "       %s\n", c->usage);
	fprintf(f, "       kb --version | --help\n"
	           "Run kb help COMMAND for one command, man kb for everything.\n");
}

const struct kb_cli_cmd *kb_cli_find(const char *name)
{
	for (const struct kb_cli_cmd *c = kb_cli_cmds; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int kb_cli_help(const char *cmd)
{
	const struct kb_cli_cmd *c = kb_cli_find(cmd);
	if (c)
		printf("usage: %s\n\n%s\n", c->usage, c->help);
	return KB_EXIT_OK;
}

int kb_cli_usage(const char *cmd)
{
	const struct kb_cli_cmd *c = kb_cli_find(cmd);
	fprintf(stderr, "usage: %s\nRun kb help %s for more.\n", c ? c->usage : "kb", cmd);
	return KB_EXIT_ERROR;
}

static int cmd_help(int argc, char **argv)
{
	const struct kb_cli_cmd *c;
	if (argc < 2) {
		printf("kb - an offline troubleshooting knowledge base\n\n");
		usage_all(stdout);
		return 0;
	}
	if (!(c = kb_cli_find(argv[1]))) {
		fprintf(stderr, "kb: no command %s\n", argv[1]);
		usage_all(stderr);
		return KB_EXIT_ERROR;
	}
	printf("usage: %s\n\n%s\n", c->usage, c->help);
	return 0;
}

static bool file_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static char *data_home_db(void)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	if (xdg && *xdg == '/')
		return kb_xasprintf("%s/kb/kb.db", xdg);
	if (home && *home)
		return kb_xasprintf("%s/.local/share/kb/kb.db", home);
	return NULL;
}

/* argv[0] as kb was started, for finding the binary where there is no /proc. */
static const char *argv0;

/* The file argv[0] names: itself when it holds a '/', else the first executable of that name
 * in $PATH, as the shell found it. Returns a path to free, or NULL. */
static char *argv0_path(void)
{
	const char *path = getenv("PATH");
	if (!argv0 || !*argv0)
		return NULL;
	if (strchr(argv0, '/'))
		return kb_xstrdup(argv0);
	for (const char *p = path ? path : ""; p;) {
		const char *colon = strchr(p, ':');
		int len = colon ? (int)(colon - p) : (int)strlen(p);
		char *cand = kb_xasprintf("%.*s%s%s", len, p, len ? "/" : "", argv0);
		struct stat st;
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
			return cand;
		free(cand);
		p = colon ? colon + 1 : NULL;
	}
	return NULL;
}

/* kb.db in the directory of the running binary (symbolic links followed): found through
 * /proc/self/exe, else through argv[0] (an empty root, or a host without /proc mounted).
 * Returns a path to free, or NULL. */
static char *beside_binary(void)
{
	char exe[4096], *real = NULL, *slash, *db;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		real = kb_xstrdup(exe);
	} else {
		char *p = argv0_path();
		if (p && !(real = realpath(p, NULL)))
			real = kb_xstrdup(p);
		free(p);
	}
	if (!real)
		return NULL;
	slash = strrchr(real, '/');
	db = slash ? kb_xasprintf("%.*s/kb.db", (int)(slash - real), real) : kb_xstrdup("kb.db");
	free(real);
	return db;
}

char *kb_cli_find_index(const char *opt_db, struct kb_err *err)
{
	const char *env = getenv("KB_DB");
	char *cand[3];
	struct kb_buf tried = {0};
	if (opt_db)
		return kb_xstrdup(opt_db);
	if (env && *env)
		return kb_xstrdup(env);
	cand[0] = beside_binary();
	cand[1] = data_home_db();
	cand[2] = kb_xstrdup(KB_PREFIX "/share/kb/kb.db");
	for (size_t i = 0; i < 3; i++) {
		if (cand[i] && file_exists(cand[i])) {
			char *found = cand[i];
			cand[i] = NULL;
			for (size_t j = 0; j < 3; j++)
				free(cand[j]);
			kb_buf_free(&tried);
			return found;
		}
		if (cand[i])
			kb_buf_printf(&tried, "%s%s", tried.len ? ", " : "", cand[i]);
		free(cand[i]);
		cand[i] = NULL; /* freed: the loop above frees what is left when one is found */
	}
	kb_err_set(err, "no index found (looked for $KB_DB, %s); build one with: kb build NOTES_DIR",
	           kb_buf_str(&tried));
	kb_buf_free(&tried);
	return NULL;
}

char *kb_cli_build_target(const char *opt_db)
{
	const char *env = getenv("KB_DB");
	char *p;
	if (opt_db)
		return kb_xstrdup(opt_db);
	if (env && *env)
		return kb_xstrdup(env);
	p = data_home_db();
	if (p) { /* make $XDG_DATA_HOME/kb */
		char *slash = strrchr(p, '/');
		*slash = '\0';
		char *parent = kb_xstrdup(p), *s2 = strrchr(parent, '/');
		if (s2) {
			*s2 = '\0';
			mkdir(parent, 0755);
		}
		mkdir(p, 0755);
		free(parent);
		*slash = '/';
	}
	return p ? p : kb_xstrdup("kb.db");
}

/* Opens the index for a command (flags 0: the browser, which stays open; see
 * kb_index_open_with). */
static int open_index(const char *opt_db, unsigned flags, struct kb_index **ix)
{
	struct kb_err err;
	char *path = kb_cli_find_index(opt_db, &err);
	if (!path || kb_index_open_with(path, flags, ix, &err) != 0) {
		kb_cli_error("%s", err.msg);
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

int kb_cli_open(const char *opt_db, struct kb_index **ix)
{
	return open_index(opt_db, KB_INDEX_MAPPED, ix);
}

void kb_cli_error(const char *fmt, ...)
{
	struct kb_buf raw = {0}, safe = {0};
	va_list ap;
	va_start(ap, fmt);
	kb_buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	kb_sanitize(&safe, kb_buf_str(&raw), raw.len, false);
	fflush(stdout);
	fprintf(stderr, "kb: %s\n", kb_buf_str(&safe));
	kb_buf_free(&raw);
	kb_buf_free(&safe);
}

/* The static kb says so, and what it carries (kb/terminfo.h, kb/locale.h). */
static void static_line(void)
{
	const char *const *terms = kb_terminfo_builtin();
	int n = 0;
	while (terms[n])
		n++;
	if (n > 0)
		printf("static: terminfo for %d terminals built in; LC_CTYPE %s\n", n,
		       kb_locale_builtin() ? "C.UTF-8 built in (no locale files here)"
		                           : "from the host's locale files");
}

static int cmd_version(int argc, char **argv)
{
	const char *db = NULL;
	struct kb_index *ix = NULL;
	struct kb_index_info info;
	struct kb_err err;
	char *path;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
	printf("kb %s (SQLite %s, index schema %d, tokenizer %d, normaliser %d)\n", KB_VERSION,
	       kb_index_sqlite_version(), KB_INDEX_SCHEMA, KB_TOKENIZER_VERSION, KB_NORMALIZE_VERSION);
	static_line();
	path = kb_cli_find_index(db, &err);
	if (path && kb_index_open(path, &ix, &err) == 0 && kb_index_info(ix, &info, &err) == 0) {
		struct kb_buf b = {0};
		kb_sanitize(&b, path, strlen(path), false);
		printf("index %s: %lld entries from %lld notes, schema %d, tokenizer %d, built by kb %s\n",
		       kb_buf_str(&b), info.entries, info.notes, info.schema, info.tokenizer,
		       info.kb_version ? info.kb_version : "?");
		kb_buf_free(&b);
		kb_index_info_free(&info);
	} else {
		printf("index: %s\n", path ? err.msg : "none found");
	}
	kb_index_close(ix);
	free(path);
	return 0;
}

int kb_cli_browse(const char *db, bool mouse)
{
	/* KB_TUI_SCRIPT runs the browser headless (tests, bug reports): see src/tui/script.c. */
	const char *script = getenv("KB_TUI_SCRIPT"), *output = getenv("KB_TUI_OUTPUT");
	struct kb_tui_opts o = {.script = script && *script ? script : NULL,
	                        .output = output && *output ? output : NULL, .mouse = mouse};
	struct kb_index *ix;
	int rc;
	if (!o.script && (!isatty(0) || !isatty(1))) /* not a terminal: say what there is */
		return cmd_help(1, NULL);
	if (open_index(db, 0, &ix) != 0)
		return KB_EXIT_ERROR;
	fflush(stdout);
	rc = kb_tui_run(ix, &o);
	kb_index_close(ix);
	return rc;
}

int kb_cli_main(int argc, char **argv)
{
	char *db = NULL;
	const struct kb_cli_cmd *c;
	bool mouse = false;
	int i = 1;
	argv0 = argc > 0 ? argv[0] : NULL;
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-V") == 0) {
			if (db) { /* kb --db FILE --version */
				static char dbopt[] = "--db";
				char *args[] = {argv[i], dbopt, db, NULL};
				return cmd_version(3, args);
			}
			return cmd_version(argc - i, argv + i);
		}
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return cmd_help(1, argv);
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			db = argv[i + 1];
			i += 2;
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			db = argv[i] + 5;
			i++;
		} else if (strcmp(argv[i], "--mouse") == 0) { /* the browser's */
			mouse = true;
			i++;
		} else {
			kb_cli_error("unknown option %s", argv[i]);
			usage_all(stderr);
			return KB_EXIT_ERROR;
		}
	}
	if (i == argc)
		return kb_cli_browse(db, mouse);
	if (!(c = kb_cli_find(argv[i]))) {
		kb_cli_error("no command %s", argv[i]);
		usage_all(stderr);
		return KB_EXIT_ERROR;
	}
	if (db) { /* kb --db FILE search ...: hand the option to the command */
		static char dbopt[] = "--db";
		char **args = kb_xcalloc((size_t)(argc - i + 3), sizeof *args);
		int n = 0, rc;
		args[n++] = argv[i];
		args[n++] = dbopt;
		args[n++] = db;
		for (int k = i + 1; k < argc; k++)
			args[n++] = argv[k];
		rc = c->run(n, args);
		free(args);
		return rc;
	}
	return c->run(argc - i, argv + i);
}
