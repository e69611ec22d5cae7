/* index_sql.c - the SQL functions kb adds to a connection, and what registers them. */
#include <stdlib.h>

#include "index_priv.h"

/* kb_among(set, rowid): whether rowid is in set, a struct kb_rowid_set bound as a pointer of
 * type "kb_rowids" (anything else is no set: false). */
static void sql_among(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_int(ctx, kb_rowid_set_find(sqlite3_value_pointer(argv[0], "kb_rowids"), sqlite3_value_int64(argv[1])) != NULL);
}

/* notes.pkey of a path of len bytes. */
static long long path_key(const char *path, size_t len)
{
	return (long long)(kb_hash64(path, len) & 0x7fffffff); /* four bytes in a record */
}

/* kb_path_key(path): notes.pkey for a path. */
static void sql_path_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *path = (const char *)sqlite3_value_text(argv[0]);
	(void)argc;
	if (path)
		sqlite3_result_int64(ctx, path_key(path, (size_t)sqlite3_value_bytes(argv[0])));
	else
		sqlite3_result_null(ctx);
}

int kb_index_register_keys(sqlite3 *db)
{
	int rc = sqlite3_create_function(db, "kb_among", 2, SQLITE_UTF8, NULL, sql_among, NULL, NULL);
	/* innocuous: no side effects, so a file's schema may use it (kb_index_guard) */
	return rc != SQLITE_OK ? rc
	                       : sqlite3_create_function(db, "kb_path_key", 1,
	                                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
	                                                 sql_path_key, NULL, NULL);
}
