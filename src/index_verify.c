/* index_verify.c - kb debug verify's deep look at an index: SQLite's page checks, the notes' keys
 * and FTS5's own integrity check. */
#include <string.h>

#include "index_priv.h"

int kb_index_verify(const char *path, struct kb_err *err)
{
	struct kb_index *ix;
	sqlite3 *rw = NULL;
	sqlite3_stmt *st;
	int rc = -1;
	if (kb_index_open(path, &ix, err) != 0)
		return -1;
	/* integrity-check is spelt as an INSERT: it needs a connection that may write */
	if (kb_index_connect(path, SQLITE_OPEN_READWRITE, &rw, err) != 0 ||
	    kb_index_register_body(rw, ix->packer, err) != 0)
		goto done;
	if ((rc = sqlite3_prepare_v2(rw, "PRAGMA quick_check", -1, &st, NULL)) == SQLITE_OK &&
	    (rc = sqlite3_step(st)) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		kb_err_set(err, "%s: %s", path, sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		rc = -1;
		goto done;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		kb_index_error(rw, rc, path, err);
		rc = -1;
		goto done;
	}
	rc = -1;
	/* a note whose pkey is not its path's would not be found by its path; no index keeps
	 * paths unique (kb build does) */
	if (sqlite3_prepare_v2(rw, "SELECT path, 'is filed under the wrong key' FROM notes"
	                       " WHERE pkey IS NOT kb_path_key(path)"
	                       " UNION ALL SELECT path, 'is in the index twice' FROM notes GROUP BY path HAVING count(*) > 1"
	                       /* its entries are found as the rows first..last, and their bodies in
	                        * packs of the same note */
	                       " UNION ALL SELECT n.path, 'has entries outside its rows' FROM entries e"
	                       " JOIN notes n ON n.id = e.note WHERE e.rowid NOT BETWEEN n.first AND n.last"
	                       " UNION ALL SELECT n.path, 'has an entry whose text is in no pack' FROM entries e"
	                       " JOIN notes n ON n.id = e.note WHERE e.body IS NULL AND NOT EXISTS(SELECT 1 FROM"
	                       " entries p WHERE p.rowid = e.rowid - e.back AND p.note = e.note AND p.body IS NOT NULL)"
	                       " LIMIT 1", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		kb_err_set(err, "%s: the note %s %s; rebuild it with kb build --full", path, sqlite3_column_text(st, 0),
		           sqlite3_column_text(st, 1));
		sqlite3_finalize(st);
		goto done;
	}
	sqlite3_finalize(st);
	if (kb_index_exec(rw, "INSERT INTO fts(fts, rank) VALUES('integrity-check', 1)", path, err) != 0)
		goto done;
	rc = 0;
done:
	sqlite3_close(rw);
	kb_index_close(ix);
	return rc;
}
