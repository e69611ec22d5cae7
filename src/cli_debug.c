/* cli_debug.c - the hidden commands for shell completion and for trying a terminal: kb debug ids
 * (every entry id, one a line) and kb debug curses [TEXT] (see termcheck.h). kb debug's other
 * subcommands are in cli_build.c, which hands these two over. */
#include <stdlib.h>
#include <string.h>

#include "cli_priv.h"
#include "kb/termcheck.h"

/* What debug curses draws when given no text: the kind of line the notes hold. */
#define SAMPLE_TEXT "镜像导出失败：MANIFEST_UNKNOWN（部署）"

/* Removes --db FILE / --db=FILE from argv (they may come anywhere); returns FILE or NULL and
 * the number of arguments left in *argc. */
static const char *take_db(int *argc, char **argv)
{
	const char *db = NULL;
	int n = 0;
	for (int i = 0; i < *argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < *argc)
			db = argv[++i];
		else if (strncmp(argv[i], "--db=", 5) == 0)
			db = argv[i] + 5;
		else
			argv[n++] = argv[i];
	}
	*argc = n;
	return db;
}

/* Prints every entry id, one a line. Completion runs it with stderr to /dev/null: no index
 * means no ids, and status 2. */
static int debug_ids(const char *db)
{
	struct kb_index *ix;
	struct kb_strv ids = {0};
	struct kb_err err;
	int rc = KB_EXIT_OK;
	if (kb_cli_open(db, &ix) != 0)
		return KB_EXIT_ERROR;
	if (kb_index_ids(ix, &ids, &err) != 0) {
		kb_cli_error("%s", err.msg);
		rc = KB_EXIT_ERROR;
	}
	for (size_t i = 0; i < ids.n; i++) {
		kb_cli_put(stdout, ids.v[i]);
		putchar('\n');
	}
	kb_strv_free(&ids);
	kb_index_close(ix);
	return rc;
}

static int debug_curses(const char *text)
{
	struct kb_err err;
	if (kb_termcheck_run(text ? text : SAMPLE_TEXT, &err) != 0) {
		kb_cli_error("%s", err.msg);
		return KB_EXIT_ERROR;
	}
	return KB_EXIT_OK;
}

/* kb debug verify: the index is sound and its full-text index agrees with its entries. */
static int debug_verify(const char *db)
{
	struct kb_err err;
	char *path = kb_cli_find_index(db, &err);
	int rc = path && kb_index_verify(path, &err) == 0 ? KB_EXIT_OK : KB_EXIT_ERROR;
	if (rc == KB_EXIT_OK)
		printf("ok\n");
	else
		kb_cli_error("%s", err.msg);
	free(path);
	return rc;
}

int kb_cli_debug_more(int argc, char **argv)
{
	const char *db = take_db(&argc, argv);
	if (argc >= 2 && strcmp(argv[1], "ids") == 0 && argc == 2)
		return debug_ids(db);
	if (argc == 2 && strcmp(argv[1], "verify") == 0)
		return debug_verify(db);
	if (argc >= 2 && strcmp(argv[1], "curses") == 0 && argc <= 3)
		return debug_curses(argc == 3 ? argv[2] : NULL);
	if (argc >= 2 && (strcmp(argv[1], "ids") == 0 || strcmp(argv[1], "curses") == 0))
		return kb_cli_usage("debug");
	return -1;
}
