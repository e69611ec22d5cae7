/* kbtok_ext.c - the kb FTS5 tokenizer and SQL functions (kb_body, kb_context: what the
 * fts_content view reads; kbrank, the search's ranking) as a loadable SQLite extension,
 * so that the sqlite3 shell can read a kb index (the benchmark's raw-FTS5 floor; also
 * handy for poking at an index by hand):
 *
 *   sqlite3 -readonly kb.db -cmd '.load build/bench/kbtok' "SELECT rowid FROM fts WHERE fts MATCH '\"redis\"'"
 *
 * src/tokenizer.c is compiled into this one translation unit after <sqlite3ext.h>, so its
 * sqlite3_* calls go through the API table the shell hands over (SQLITE_EXTENSION_INIT2)
 * rather than through a second copy of the library; width.c and util.c are linked beside it. */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "../src/tokenizer.c"
#include "../src/index_pack.c"
#include "../src/index_rank.c"
#include "../src/index_sql.c"

/* kb_among()'s lookup, as index_search.c has it: the rest of that file (the searches) is
 * not the extension's. */
static int cmp_slot(const void *a, const void *b)
{
	long long x = ((const struct kb_rowid_slot *)a)->rowid, y = ((const struct kb_rowid_slot *)b)->rowid;
	return (x > y) - (x < y);
}

const struct kb_rowid_slot *kb_rowid_set_find(const struct kb_rowid_set *s, long long rowid)
{
	struct kb_rowid_slot key = {.rowid = rowid};
	return s ? bsearch(&key, s->v, s->n, sizeof *s->v, cmp_slot) : NULL;
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_kbtok_init(sqlite3 *db, char **errmsg, const sqlite3_api_routines *api);

int sqlite3_kbtok_init(sqlite3 *db, char **errmsg, const sqlite3_api_routines *api)
{
	struct kb_err err;
	SQLITE_EXTENSION_INIT2(api);
	if (kb_index_register_sql(db, &err) != 0) {
		if (errmsg)
			*errmsg = sqlite3_mprintf("%s", err.msg);
		return SQLITE_ERROR;
	}
	return SQLITE_OK;
}
