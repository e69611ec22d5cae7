/* kbtok_ext.c - the kb FTS5 tokenizer and SQL functions (kb_body, kb_context: what the
 * fts_content view reads) as a loadable SQLite extension, so that the sqlite3
 * shell can read a kb index (the benchmark's raw-FTS5 floor; also handy for poking at an
 * index by hand):
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

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_kbtok_init(sqlite3 *db, char **errmsg, const sqlite3_api_routines *api);

int sqlite3_kbtok_init(sqlite3 *db, char **errmsg, const sqlite3_api_routines *api)
{
	struct kb_err err;
	void *dict = NULL;
	size_t len = 0;
	struct kb_packer *p = NULL;
	SQLITE_EXTENSION_INIT2(api);
	if (kb_tokenizer_register(db, &err) != 0)
		goto fail;
	kb_index_load_dict(db, &dict, &len); /* none yet (no index, or not one of kb's): fine */
	p = kb_packer_new(dict, len);
	free(dict);
	if (!p || kb_index_register_body(db, p, &err) != 0) /* p lives as long as the process */
		goto fail;
	return SQLITE_OK;
fail:
	if (errmsg)
		*errmsg = sqlite3_mprintf("%s", p ? err.msg : "cannot set up zstd");
	return SQLITE_ERROR;
}
