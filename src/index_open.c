/* index_open.c - opening kb.db read-only and safely: the connection, the checks of its schema and
 * versions before anything is read, the handle and what it says of the index. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "index_priv.h"
#include "kb/normalize.h"
#include "kb/tokenizer.h"

#define MAP_MAX ((off_t)256 << 20) /* the largest index a short-lived reader maps */

void kb_index_damaged(const char *what, const char *why, struct kb_err *err)
{
	kb_err_set_code(err, KB_ERR_DAMAGED, "%s: the index is damaged (%s); rebuild it with kb build", what, why);
}

/* Sets err to "PATH is not a kb index or is damaged (WHY); ...": a file that fails the checks
 * made on opening it, which may be something else than kb's index. */
static void not_kb_index(const char *path, const char *why, struct kb_err *err)
{
	kb_err_set(err, "%s is not a kb index or is damaged (%s); rebuild it with kb build", path, why);
}

void kb_index_error(sqlite3 *db, int rc, const char *what, struct kb_err *err)
{
	int prim = rc & 0xff;
	struct kb_buf why = {0};
	if (prim == SQLITE_CORRUPT || prim == SQLITE_NOTADB)
		kb_index_damaged(what, db && (sqlite3_errcode(db) & 0xff) == prim ? sqlite3_errmsg(db) : sqlite3_errstr(rc),
		                 err);
	else if (prim == SQLITE_INTERRUPT && db && kb_index_guard_over(db)) /* index_guard.c */
		kb_index_damaged(what, "a query on it did not end", err);
	else if (prim == SQLITE_FULL)
		kb_err_set(err, "%s: the disk is full", what);
	else if (prim == SQLITE_NOMEM)
		kb_err_set(err, "%s: out of memory", what);
	/* kb's SQL fails on kb's schema only when the file is not what it was: emptied or
	 * replaced in place under a reader ("no such table") */
	else if (prim == SQLITE_ERROR && db && kb_index_check_schema(db, &why) != 1)
		kb_index_damaged(what, why.len ? why.s : sqlite3_errmsg(db), err);
	else
		kb_err_set(err, "%s: %s", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	kb_buf_free(&why);
}

void kb_index_init(void)
{
	/* kb uses each connection from one thread (kb build's worker thread never calls
	 * SQLite), and reads no memory statistics: a search need not pay for the mutexes those
	 * need. */
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* No page cache set up in advance for each connection: a reader maps the index and
	 * caches next to nothing, and the pages SQLite would otherwise link into a free list at
	 * the first read are page faults of every search (bench/PROFILE.md, "A search"). */
	sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
}

int kb_index_connect(const char *path, int flags, sqlite3 **db, struct kb_err *err)
{
	int rc = sqlite3_open_v2(path, db, flags, NULL);
	if (rc != SQLITE_OK) {
		kb_err_set(err, "cannot open %s: %s", path, *db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));
		sqlite3_close(*db);
		*db = NULL;
		return -1;
	}
	sqlite3_extended_result_codes(*db, 1);
	sqlite3_busy_timeout(*db, 2000);
	if (kb_index_guard(*db) != SQLITE_OK) {
		kb_err_set(err, "cannot open %s: %s", path, sqlite3_errmsg(*db));
		sqlite3_close(*db);
		*db = NULL;
		return -1;
	}
	if (kb_tokenizer_register(*db, err) != 0) {
		sqlite3_close(*db);
		*db = NULL;
		return -1;
	}
	if (kb_index_rank_register(kb_index_fts5(*db)) != SQLITE_OK || kb_index_register_keys(*db) != SQLITE_OK) {
		kb_err_set(err, "cannot register kbrank, kb_among or kb_path_key: %s", sqlite3_errmsg(*db));
		sqlite3_close(*db);
		*db = NULL;
		return -1;
	}
	return 0;
}

int kb_index_exec(sqlite3 *db, const char *sql, const char *what, struct kb_err *err)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		kb_index_error(db, rc, what, err);
		return -1;
	}
	return 0;
}

char *kb_index_meta(sqlite3 *db, const char *key)
{
	sqlite3_stmt *st;
	char *v = NULL;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = kb_xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static int meta_int(sqlite3 *db, const char *key)
{
	char *v = kb_index_meta(db, key);
	int n = v ? atoi(v) : -1;
	free(v);
	return n;
}

/* Says why the file cannot be read as an index (the error is db's). */
static void unreadable(sqlite3 *db, const char *path, struct kb_err *err)
{
	int prim = sqlite3_errcode(db) & 0xff;
	if (prim == SQLITE_NOTADB || prim == SQLITE_CORRUPT || prim == SQLITE_INTERRUPT)
		not_kb_index(path, prim == SQLITE_INTERRUPT ? "a query on it did not end" : sqlite3_errmsg(db), err);
	else
		kb_err_set(err, "%s is not a kb index (%s); build one with: kb build --db %s NOTES_DIR", path,
		           sqlite3_errmsg(db), path);
}

/* Checks that this kb can read the index; the message says what to do when it cannot. */
static int check_versions(sqlite3 *db, const char *path, struct kb_err *err)
{
	static const struct {
		const char *key, *what;
		int want;
	} need[] = {
		{"schema", "index schema", KB_INDEX_SCHEMA},
		{"tokenizer", "tokenizer", KB_TOKENIZER_VERSION},
		{"normalizer", "normaliser", KB_NORMALIZE_VERSION},
	};
	int have[KB_NELEM(need)];
	sqlite3_stmt *st;
	/* one statement reads them all (a dozen short rows): each prepared statement has a
	 * cost of its own in every search (bench/PROFILE.md) */
	int rc = sqlite3_prepare_v2(db, "SELECT key, value FROM meta", -1, &st, NULL);
	for (size_t i = 0; i < KB_NELEM(need); i++)
		have[i] = -1;
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		rc = SQLITE_OK;
		for (size_t i = 0; key && i < KB_NELEM(need); i++)
			if (strcmp(key, need[i].key) == 0 && sqlite3_column_type(st, 1) != SQLITE_NULL)
				have[i] = atoi((const char *)sqlite3_column_text(st, 1));
	}
	rc = rc == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	sqlite3_finalize(st);
	if (rc != SQLITE_OK) {
		unreadable(db, path, err);
		return -1;
	}
	for (size_t i = 0; i < KB_NELEM(need); i++) {
		if (have[i] != need[i].want) {
			kb_err_set(err, "%s was built by %s kb (%s version %d, this kb needs %d); "
			           "rebuild it with kb build", path, have[i] < need[i].want ? "an older" : "a newer",
			           need[i].what, have[i], need[i].want);
			return -1;
		}
	}
	return 0;
}

/* Checks that the file holds kb's schema and nothing else (index_guard.c) before any of
 * its tables is read, then its versions. A schema that differs is told as the version that
 * differs when kb's own meta table says so: an index built by an older kb. */
static int check_index(sqlite3 *db, const char *path, struct kb_err *err)
{
	struct kb_buf why = {0};
	int ok = kb_index_check_schema(db, &why);
	if (ok < 0)
		unreadable(db, path, err);
	else if (ok == 0 && (!kb_index_object_is_kbs(db, "table", "meta") || check_versions(db, path, err) == 0))
		not_kb_index(path, why.s, err);
	kb_buf_free(&why);
	return ok == 1 ? check_versions(db, path, err) : -1;
}

int kb_index_open(const char *path, struct kb_index **out, struct kb_err *err)
{
	return kb_index_open_with(path, 0, out, err);
}

int kb_index_open_with(const char *path, unsigned flags, struct kb_index **out, struct kb_err *err)
{
	struct stat st;
	sqlite3 *db = NULL;
	*out = NULL;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			kb_err_set(err, "no index at %s; build one with: kb build --db %s NOTES_DIR", path, path);
		else
			kb_err_set(err, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		kb_err_set(err, "%s is not a file", path);
		return -1;
	}
	if (kb_index_connect(path, SQLITE_OPEN_READONLY, &db, err) != 0)
		return -1;
	/* Mapped, SQLite reads pages where they lie instead of copying each into its cache,
	 * which is most of a short search's time. And all of a command's reads are one
	 * transaction: one lock and one check for a hot journal instead of one per statement,
	 * whose system calls would be a good part of a short search's. Only for short-lived
	 * readers: a file truncated in place under a mapping (cp over it) would end a long-lived
	 * one with SIGBUS, where pread gets an error; kb build never changes an index in place,
	 * so nothing waits on the lock. But a mapped page stays in the process until it exits,
	 * and the kernel maps its neighbours with it: one search of a common word in a big index
	 * touches more of the file than a search may hold (bench/RESULTS.md). Past MAP_MAX,
	 * pages are read into SQLite's small cache instead, whose size bounds them. */
	if ((flags & KB_INDEX_MAPPED) && st.st_size <= MAP_MAX)
		sqlite3_exec(db, "PRAGMA mmap_size=2147418112; BEGIN", NULL, NULL, NULL);
	else if (flags & KB_INDEX_MAPPED)
		sqlite3_exec(db, "BEGIN", NULL, NULL, NULL); /* pread, in one transaction */
	if (check_index(db, path, err) != 0) {
		sqlite3_close(db);
		return -1;
	}
	*out = kb_xcalloc(1, sizeof **out);
	(*out)->db = db;
	(*out)->path = kb_xstrdup(path);
	(*out)->packer = kb_index_packer(db);
	if (!(*out)->packer || kb_index_register_body(db, (*out)->packer, err) != 0) {
		if (!(*out)->packer)
			kb_index_damaged(path, "its compression dictionary cannot be loaded", err);
		kb_index_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

void kb_index_close(struct kb_index *ix)
{
	if (!ix)
		return;
	sqlite3_finalize(ix->vocab);
	sqlite3_finalize(ix->signatures);
	for (int i = 0; i < KB_RESOLVE__COUNT; i++)
		sqlite3_finalize(ix->resolve[i]);
	kb_strv_free(&ix->man_sections);
	sqlite3_close(ix->db);
	kb_packer_free(ix->packer);
	free(ix->path);
	free(ix);
}

const char *kb_index_path(const struct kb_index *ix)
{
	return ix->path;
}

void kb_index_set_stop(struct kb_index *ix, bool (*stop)(void *arg), void *arg)
{
	kb_index_guard_stop(ix->db, stop, arg); /* the guard's progress handler asks it */
}

const char *kb_index_sqlite_version(void)
{
	return sqlite3_libversion();
}

static long long count_of(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int kb_index_info(struct kb_index *ix, struct kb_index_info *info, struct kb_err *err)
{
	char *built;
	memset(info, 0, sizeof *info);
	info->schema = meta_int(ix->db, "schema");
	info->tokenizer = meta_int(ix->db, "tokenizer");
	info->normalizer = meta_int(ix->db, "normalizer");
	info->compiler = meta_int(ix->db, "compiler");
	info->kb_version = kb_index_meta(ix->db, "kb_version");
	info->notes_dir = kb_index_meta(ix->db, "notes_dir");
	built = kb_index_meta(ix->db, "built");
	info->built = built ? atoll(built) : 0;
	free(built);
	info->entries = meta_int(ix->db, "entries");
	info->notes = meta_int(ix->db, "notes");
	info->symptoms = meta_int(ix->db, "symptoms");
	info->components = meta_int(ix->db, "components");
	if (info->entries < 0 || count_of(ix->db, "SELECT count(*) FROM meta") < 0) {
		kb_index_error(ix->db, sqlite3_errcode(ix->db), ix->path, err);
		kb_index_info_free(info);
		return -1;
	}
	return 0;
}

void kb_index_info_free(struct kb_index_info *info)
{
	free(info->kb_version);
	free(info->notes_dir);
	memset(info, 0, sizeof *info);
}

char *kb_index_meta_get(struct kb_index *ix, const char *key)
{
	return kb_index_meta(ix->db, key);
}
