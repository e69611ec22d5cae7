/* cli_edit.c - kb edit: an entry's note in the user's editor at the entry's line, then the
 * index brought up to date. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_priv.h"
#include "kb/edit.h"

/* Prints the diagnostics about the note at path, the edit's own. */
static void print_note_diags(const struct kb_diags *d, const char *path)
{
	for (size_t i = 0; i < d->n; i++) {
		struct kb_buf line = {0};
		if (!d->v[i].path || strcmp(d->v[i].path, path) != 0 || kb_diag_level(d->v[i].code) == KB_DIAG_NOTE)
			continue;
		kb_diag_format(&d->v[i], &line);
		kb_cli_put(stderr, kb_buf_str(&line));
		fputc('\n', stderr);
		kb_buf_free(&line);
	}
}

/* Edits the note of entry e and rebuilds the index at db_path. Returns an exit status. */
static int edit_entry(struct kb_index *ix, const struct kb_entry *e)
{
	struct kb_err err;
	struct kb_diags diags = {0};
	char *notes, *path = kb_edit_path(ix, e, &notes, &err), *db = kb_xstrdup(kb_index_path(ix));
	int rc = KB_EXIT_ERROR, st;
	kb_index_close(ix); /* the editor may stay open for long, and the build replaces the file */
	if (!path) {
		kb_cli_error("cannot edit %s: %s", e->id, err.msg);
	} else if ((st = kb_edit_run(path, e->line, &err)) < 0) {
		kb_cli_error("%s", err.msg);
	} else if (st != 0) {
		kb_cli_error("the editor exited with %d: the index is as it was", st);
	} else if (kb_edit_rebuild(notes, db, &diags, &err) != 0) {
		kb_cli_error("%s", err.msg);
	} else {
		print_note_diags(&diags, e->path);
		rc = KB_EXIT_OK;
	}
	kb_diags_free(&diags);
	free(path);
	free(notes);
	free(db);
	return rc;
}

int kb_cmd_edit(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
	const char *db = NULL;
	struct kb_index *ix;
	struct kb_entry e;
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'h': return kb_cli_help("edit");
		default: return kb_cli_usage("edit");
		}
	}
	if (argc - optind != 1)
		return kb_cli_usage("edit");
	if (kb_cli_open(db, &ix) != 0)
		return KB_EXIT_ERROR;
	if ((rc = kb_cli_find_entry(ix, argv[optind], &e)) != 1) {
		kb_index_close(ix);
		return rc == 0 ? KB_EXIT_NONE : KB_EXIT_ERROR;
	}
	rc = edit_entry(ix, &e); /* closes ix */
	kb_entry_clear(&e);
	return rc;
}
