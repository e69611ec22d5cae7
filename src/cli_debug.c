/* cli_debug.c - kb debug, the hidden commands for looking inside: how text is tokenized,
 * queried and normalised, every entry id (for shell completion), the index's soundness, the
 * catalogue of diagnostics, and how the terminal draws (see termcheck.h). */
#include <stdlib.h>
#include <string.h>

#include "cli_priv.h"
#include "kb/diag.h"
#include "kb/normalize.h"
#include "kb/query.h"
#include "kb/termcheck.h"
#include "kb/tokenizer.h"

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

/* kb debug tokens|qtokens TEXT: the tokens kb's tokenizer makes of TEXT, as a document or
 * as a query. */
static int debug_tokens(const char *how, const char *text)
{
	struct kb_strv out = {0};
	struct kb_err err;
	if (kb_tokenizer_dump(text, how[0] == 'q', &out, &err) != 0) {
		kb_cli_error("%s", err.msg);
		return KB_EXIT_ERROR;
	}
	for (size_t i = 0; i < out.n; i++) {
		kb_cli_put(stdout, out.v[i]);
		putchar('\n');
	}
	kb_strv_free(&out);
	return KB_EXIT_OK;
}

/* kb debug query TEXT: the MATCH texts kb searches with, and whether TEXT reads as a log line. */
static int debug_query(const char *text)
{
	struct kb_query *q = kb_query_parse(text, 0);
	char *all = kb_query_match(q, KB_QUERY_ALL), *any = kb_query_match(q, KB_QUERY_ANY);
	/* kb_cli_put: a stem's mark (KB_TOKENIZER_STEM) is a control byte, shown as such */
	fputs("all: ", stdout);
	kb_cli_put(stdout, all ? all : "(nothing)");
	fputs("\nany: ", stdout);
	kb_cli_put(stdout, any ? any : "(nothing)");
	printf("\nlogline: %s\n", kb_query_is_logline(text) ? "yes" : "no");
	free(all);
	free(any);
	kb_query_free(q);
	return KB_EXIT_OK;
}

/* kb debug normalize TEXT: TEXT's signature, and whether it looks like an error. */
static int debug_normalize(const char *text)
{
	char *sig = kb_normalize(text, strlen(text));
	kb_cli_put(stdout, sig);
	printf("\nerrorish: %s\n", kb_normalize_errorish(text, strlen(text)) ? "yes" : "no");
	free(sig);
	return KB_EXIT_OK;
}

/* Prints the catalogue of diagnostics, one a line: name, level and fixed text, tab-separated
 * (what kb.1 lists, and tests compare it with). */
static int debug_diagnostics(void)
{
	for (int c = 0; c < KB_D__COUNT; c++)
		printf("%s\t%s\t%s\n", kb_diag_name(c), kb_diag_level_name(kb_diag_level(c)), kb_diag_text(c));
	return KB_EXIT_OK;
}

int kb_cmd_debug(int argc, char **argv)
{
	const char *db = take_db(&argc, argv);
	const char *cmd = argc >= 2 ? argv[1] : "", *arg = argc >= 3 ? argv[2] : NULL;
	if (argc == 2 && strcmp(cmd, "ids") == 0)
		return debug_ids(db);
	if (argc == 2 && strcmp(cmd, "verify") == 0)
		return debug_verify(db);
	if (argc == 2 && strcmp(cmd, "diagnostics") == 0)
		return debug_diagnostics();
	if ((argc == 2 || argc == 3) && strcmp(cmd, "curses") == 0)
		return debug_curses(arg);
	if (argc != 3)
		return kb_cli_usage("debug");
	if (strcmp(cmd, "tokens") == 0 || strcmp(cmd, "qtokens") == 0)
		return debug_tokens(cmd, arg);
	if (strcmp(cmd, "query") == 0)
		return debug_query(arg);
	if (strcmp(cmd, "normalize") == 0)
		return debug_normalize(arg);
	return kb_cli_usage("debug");
}
