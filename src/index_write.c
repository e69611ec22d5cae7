/* index_write.c - writing kb.db: a new file beside the old one, seeded from it when it can be,
 * filled note by note in one transaction, made durable, then renamed into place. */
#define _GNU_SOURCE /* copy_file_range */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "index_priv.h"
#include "kb/compile.h"
#include "kb/normalize.h"
#include "kb/tokenizer.h"

struct kb_index_writer {
	sqlite3 *db;
	struct kb_packer *packer; /* for kb_body() and bodies not packed by the caller */
	char *path, *tmp, *stamp;
	bool incremental; /* seeded from the old index: a few notes change, so no full merge */
	sqlite3_int64 entries_before, entries_removed; /* of an incremental build */
	sqlite3_stmt *ins_entry, *ins_fts, *ins_comp, *ins_symptom, *ins_note, *ins_link, *ins_mention, *set_range;
};

static int prepare(struct kb_index_writer *w, sqlite3_stmt **st, const char *sql, struct kb_err *err)
{
	int rc = sqlite3_prepare_v3(w->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
	if (rc != SQLITE_OK) {
		kb_index_error(w->db, rc, "preparing the index", err);
		return -1;
	}
	return 0;
}

static int prepare_all(struct kb_index_writer *w, struct kb_err *err)
{
	return prepare(w, &w->ins_entry,
	               "INSERT INTO entries(note, line, end_line, components, at, len, back, body)"
	               " VALUES(?1,?2,?3,?4,?5,?6,?7,?8)", err) ||
	       prepare(w, &w->ins_link, "INSERT OR IGNORE INTO entry_links(target, entry) VALUES(?1,?2)", err) ||
	       prepare(w, &w->ins_mention, "INSERT OR IGNORE INTO entry_mentions(name, entry) VALUES(?1,?2)", err) ||
	       prepare(w, &w->ins_fts,
	               "INSERT INTO fts(rowid, title, keywords, symptoms, context, body) VALUES(?1,?2,?3,?4,?5,?6)",
	               err) ||
	       prepare(w, &w->ins_comp, "INSERT OR IGNORE INTO entry_components(name, entry) VALUES(?1,?2)", err) ||
	       prepare(w, &w->ins_symptom,
	               "INSERT INTO symptoms(entry, sig, text, line, seq) VALUES(?1,?2,?3,?4,?5)", err) ||
	       prepare(w, &w->ins_note,
	               "INSERT INTO notes(path, pkey, size, mtime, hash, compiled, title, format, source, first, last)"
	               " VALUES(?1,kb_path_key(?1),?2,?3,?4,?5,?6,?7,?8,1,0)", err) ||
	       prepare(w, &w->set_range, "UPDATE notes SET first = ?2, last = ?3 WHERE id = ?1", err)
	               ? -1 : 0;
}

static int copy_plain(int in, int out);

/* Turns the connection's defensive mode (kb_index_guard) on or off: off only for what
 * kb itself does to the new file, private until renamed, that the mode forbids to SQL in
 * general: no journal, and one write to FTS5's structure record (lift_segment). Returns 0,
 * or -1 when SQLite refuses. */
static int defend(sqlite3 *db, bool on)
{
	return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, NULL) == SQLITE_OK ? 0 : -1;
}

/* Copies the old index's bytes into the new file (fd) when its stamp matches, and opens
 * it. The old file is never written in place (it is only ever replaced by a rename), so a
 * byte copy is a consistent one. Returns 1 when copied, 0 when not (the file is then empty). */
static int seed_from_old(struct kb_index_writer *w, int fd)
{
	/* not blocking (a FIFO swapped in since kb_build looked), and only a regular file */
	int in = open(w->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW), copied = 0;
	struct stat st;
	char *stamp;
	if (in < 0)
		return 0;
	if (fstat(in, &st) == 0 && S_ISREG(st.st_mode)) {
		off_t left = st.st_size;
		copied = 1;
		while (left > 0) {
			ssize_t n = copy_file_range(in, NULL, fd, NULL, (size_t)left, 0);
			if (n <= 0) {
				copied = copy_plain(in, fd) == 0;
				break;
			}
			left -= n;
		}
	}
	close(in);
	if (!copied || kb_index_connect(w->tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, &w->db, NULL) != 0)
		goto none;
	/* only kb's own tables, views and indexes are carried forward: a file with anything
	 * else (a view or trigger someone added) is built afresh */
	{
		struct kb_buf why = {0};
		copied = kb_index_check_schema(w->db, &why) == 1;
		kb_buf_free(&why);
	}
	stamp = copied ? kb_index_meta(w->db, "stamp") : NULL;
	copied = stamp && strcmp(stamp, w->stamp) == 0;
	free(stamp);
	if (copied)
		return 1;
none:
	sqlite3_close(w->db);
	w->db = NULL;
	if (ftruncate(fd, 0) != 0)
		return -1;
	return 0;
}

/* Copies in to out with read and write (where copy_file_range cannot). */
static int copy_plain(int in, int out)
{
	char buf[1 << 16];
	ssize_t n;
	if (lseek(in, 0, SEEK_SET) < 0 || lseek(out, 0, SEEK_SET) < 0 || ftruncate(out, 0) != 0)
		return -1;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			return -1;
	return n < 0 ? -1 : 0;
}

/* The tables keyed by entry. Rows go into them in entry order, or in no order at all
 * (entry_components is keyed by name first), and a B-tree filled that way leaves much of
 * each page empty. A full build therefore puts their rows into copies in temp (in memory),
 * made from the same definitions and named the same, so that while notes go in they take
 * the place of main's; at the end (unstage) each copy goes into its empty main table in one
 * INSERT ... SELECT *, which SQLite does as a transfer in key order that fills every page.
 * This saves as much as a VACUUM of the whole file, which is no longer needed after a full
 * build. */
static const char *const staged[] = {"symptoms", "entry_links", "entry_mentions", "entry_components"};

static int stage(struct kb_index_writer *w, struct kb_err *err)
{
	for (size_t i = 0; i < KB_NELEM(staged); i++) {
		sqlite3_stmt *st;
		int rc = sqlite3_prepare_v2(w->db, "SELECT 'CREATE TEMP TABLE' || substr(sql, 13) FROM main.sqlite_schema"
		                            " WHERE type = 'table' AND name = ?1 AND sql LIKE 'CREATE TABLE %'",
		                            -1, &st, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_text(st, 1, staged[i], -1, SQLITE_STATIC);
			rc = sqlite3_step(st);
			rc = rc == SQLITE_ROW ? sqlite3_exec(w->db, (const char *)sqlite3_column_text(st, 0), NULL, NULL, NULL)
			     : rc == SQLITE_DONE ? SQLITE_CORRUPT : rc;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_OK) {
			kb_index_error(w->db, rc, "starting the build", err);
			return -1;
		}
	}
	return 0;
}

static int unstage(struct kb_index_writer *w, struct kb_err *err)
{
	for (size_t i = 0; i < KB_NELEM(staged); i++) {
		char *sql = kb_xasprintf("INSERT INTO main.%s SELECT * FROM temp.%s; DROP TABLE temp.%s;", staged[i],
		                         staged[i], staged[i]);
		int rc = kb_index_exec(w->db, sql, "writing the index", err);
		free(sql);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static void finalize_all(struct kb_index_writer *w)
{
	sqlite3_finalize(w->ins_entry);
	sqlite3_finalize(w->ins_fts);
	sqlite3_finalize(w->ins_comp);
	sqlite3_finalize(w->ins_symptom);
	sqlite3_finalize(w->ins_note);
	sqlite3_finalize(w->set_range);
	sqlite3_finalize(w->ins_link);
	sqlite3_finalize(w->ins_mention);
	w->ins_entry = w->ins_fts = w->ins_comp = w->ins_symptom = w->ins_note = w->ins_link = w->ins_mention =
	    w->set_range = NULL;
}

static void writer_free(struct kb_index_writer *w)
{
	finalize_all(w);
	sqlite3_close(w->db);
	kb_packer_free(w->packer);
	free(w->path);
	free(w->tmp);
	free(w->stamp);
	free(w);
}

/* Removes "<path>.tmp-PID" files left by builds that were killed (PID no longer runs). */
static void remove_stale(const char *path)
{
	char *dir = kb_xstrdup(path), *base = kb_xstrdup(path);
	const char *d = dirname(dir), *b = basename(base);
	size_t blen = strlen(b);
	DIR *dh = opendir(d);
	struct dirent *de;
	while (dh && (de = readdir(dh))) {
		char *end;
		long pid;
		if (strncmp(de->d_name, b, blen) != 0 || strncmp(de->d_name + blen, ".tmp-", 5) != 0)
			continue;
		pid = strtol(de->d_name + blen + 5, &end, 10);
		if ((*end && strcmp(end, ".v") != 0) || pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		char *stale = kb_xasprintf("%s/%s", d, de->d_name);
		unlink(stale);
		free(stale);
	}
	if (dh)
		closedir(dh);
	free(dir);
	free(base);
}

static int use_dictionary(struct kb_index_writer *w, struct kb_err *err);

/* "<dir>/<base of path><suffix>" with dir the real directory of path: SQLite opens the
 * build's files with SQLITE_OPEN_NOFOLLOW, which refuses a symbolic link anywhere in the
 * name, and a directory reached through one is the user's choice. Caller frees. */
static char *beside(const char *path, const char *suffix)
{
	char *dir = kb_xstrdup(path), *base = kb_xstrdup(path), *real = realpath(dirname(dir), NULL);
	char *v = real ? kb_xasprintf("%s/%s%s", real, basename(base), suffix) : kb_xasprintf("%s%s", path, suffix);
	free(real);
	free(dir);
	free(base);
	return v;
}

/* Creates path, a name SQLite then opens, as a new empty file of kb's own. In a directory
 * others may write, a symbolic link planted at the name would send the index (or its
 * compacted copy) wherever it leads: a link or anything but a regular file there is refused;
 * a regular file is one left by an earlier process of the same PID, replaced. SQLite's
 * SQLITE_OPEN_NOFOLLOW refuses a link put there after this. Returns the open file, or -1
 * with err. */
static int create_private(const char *path, const char *what, struct kb_err *err)
{
	struct stat st;
	int fd;
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		kb_err_set(err, "%s: %s where kb writes %s; nothing written", path,
		           S_ISLNK(st.st_mode) ? "a symbolic link" : "not a regular file", what);
		return -1;
	}
	unlink(path);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		kb_err_set(err, "cannot write %s at %s: %s", what, path, strerror(errno));
	return fd;
}

/* Counts the entries of the note whose id is note, or of every note when note is 0. */
static int count_entries(struct kb_index_writer *w, sqlite3_int64 note, sqlite3_int64 *n, struct kb_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(w->db, note ? "SELECT count(*) FROM entries WHERE " KB_NOTE_ROWS("?1")
	                                        : "SELECT count(*) FROM entries", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		if (note)
			sqlite3_bind_int64(st, 1, note);
		rc = sqlite3_step(st);
	}
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		kb_index_error(w->db, rc, "counting entries", err);
		return -1;
	}
	return 0;
}

int kb_index_write_begin(const char *path, const char *stamp, bool reuse, struct kb_index_writer **out,
                         bool *incremental, struct kb_err *err)
{
	struct kb_index_writer *w = kb_xcalloc(1, sizeof *w);
	int fd;
	*out = NULL;
	w->path = kb_xstrdup(path);
	{
		char suffix[32];
		snprintf(suffix, sizeof suffix, ".tmp-%ld", (long)getpid());
		w->tmp = beside(path, suffix);
	}
	w->stamp = kb_xstrdup(stamp);
	remove_stale(path);
	/* created here, for an errno that says why not (read-only, full, no access) */
	fd = create_private(w->tmp, "the new index", err);
	if (fd < 0) {
		writer_free(w);
		return -1;
	}
	*incremental = reuse && seed_from_old(w, fd) == 1;
	close(fd);
	w->incremental = *incremental;
	if (!w->db && kb_index_connect(w->tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, &w->db, err) != 0)
		goto fail;
	/* The new file is private until renamed, so no journal and no syncs until then. 8 KiB
	 * pages: rows of a few hundred bytes to a few KiB leave less of each page unused than
	 * with 4 KiB pages. A full build makes
	 * the secondary indexes after the rows are in (kb_index_indexes_sql): sorted once, they
	 * fill their pages, and it is faster than keeping them in order row by row.
	 * FTS5 holds up to 128 MiB of new index in memory before it writes a segment (its
	 * default is 1 MiB), and merges no segments while notes go in. Up to a size that
	 * bench/PROFILE.md gives, a full build thus writes its whole FTS5 index once, as one
	 * segment, and has nothing to merge at the end; a larger one merges its segments once
	 * (kb_index_write_commit), an incremental one a little: a faster build for more memory
	 * while it runs (with 1 MiB, a segment was written for every MiB, merged 16 at a time
	 * as they piled up, and all merged into one at the end). FTS5 leaves of 8100 bytes (pgsz; its default is
	 * 4050) fill one 8 KiB page each: half as many rows for the final write of the index to
	 * insert, a slightly smaller index, searches no slower. */
	if (defend(w->db, false) ||
	    kb_index_exec(w->db, "PRAGMA page_size=8192; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
	                         " PRAGMA locking_mode=EXCLUSIVE;"
	                         " PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;", "setting up", err) ||
	    defend(w->db, true) ||
	    (!*incremental && (kb_index_exec(w->db, kb_index_schema_sql, "creating the index", err) ||
	                       stage(w, err))) ||
	    use_dictionary(w, err) ||
	    kb_index_exec(w->db, "BEGIN; INSERT INTO fts(fts, rank) VALUES('automerge', 0);"
	                         " INSERT INTO fts(fts, rank) VALUES('hashsize', 128 * 1048576);"
	                         " INSERT INTO fts(fts, rank) VALUES('pgsz', 8100);",
	                  "starting the build", err) ||
	    prepare_all(w, err) || (*incremental && count_entries(w, 0, &w->entries_before, err)))
		goto fail;
	*out = w;
	return 0;
fail:
	unlink(w->tmp);
	writer_free(w);
	return -1;
}

/* Unpacks with the dictionary the new index has now (none yet in a fresh one). */
static int use_dictionary(struct kb_index_writer *w, struct kb_err *err)
{
	struct kb_packer *p = kb_index_packer(w->db);
	if (!p) {
		kb_err_set(err, "the old index's dictionary is damaged; rebuild with kb build --full");
		return -1;
	}
	if (kb_index_register_body(w->db, p, err) != 0) {
		kb_packer_free(p);
		return -1;
	}
	kb_packer_free(w->packer);
	w->packer = p;
	return 0;
}

int kb_index_set_dictionary(struct kb_index_writer *w, const void *dict, size_t len, struct kb_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(w->db, "INSERT OR REPLACE INTO dictionary(id, data) VALUES(1, ?1)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_blob(st, 1, dict, (int)len, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(w->db);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK) {
		kb_index_error(w->db, rc, "storing the dictionary", err);
		return -1;
	}
	return use_dictionary(w, err);
}

int kb_index_train(struct kb_index_writer *w, const char *const *samples, const size_t *sizes, size_t n,
                   struct kb_err *err)
{
	void *dict;
	size_t len;
	int rc;
	if (kb_pack_train(samples, sizes, n, &dict, &len) != 0)
		return 0; /* too little to train on: no dictionary */
	rc = kb_index_set_dictionary(w, dict, len, err);
	free(dict);
	return rc;
}

struct kb_packer *kb_index_packer_for(struct kb_index_writer *w)
{
	return kb_packer_copy(w->packer);
}

long long kb_index_entry_count(struct kb_index_writer *w)
{
	sqlite3_stmt *st;
	long long n = 0;
	if (sqlite3_prepare_v2(w->db, "SELECT count(*) FROM entries", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Statements that remove a note: the FTS rows need the indexed values back ('delete'). */
/* What removing a note deletes, ?1 being its id in notes. */
#define NOTE_ROWS "(SELECT rowid FROM entries WHERE " KB_NOTE_ROWS("?1") ")"
static const char remove_sql[] =
	"INSERT INTO fts(fts, rowid, title, keywords, symptoms, context, body)"
	" SELECT 'delete', rowid, title, keywords, symptoms, context, body FROM fts_content"
	" WHERE rowid IN " NOTE_ROWS ";"
	"DELETE FROM entry_components WHERE entry IN " NOTE_ROWS ";"
	"DELETE FROM symptoms WHERE entry IN " NOTE_ROWS ";"
	"DELETE FROM entry_links WHERE entry IN " NOTE_ROWS ";"
	"DELETE FROM entry_mentions WHERE entry IN " NOTE_ROWS ";"
	"DELETE FROM note_refs WHERE note = ?1;"
	"DELETE FROM entries WHERE " KB_NOTE_ROWS("?1") ";"
	"DELETE FROM notes WHERE id = ?1;";

int kb_index_remove_note(struct kb_index_writer *w, const char *relpath, struct kb_err *err)
{
	const char *sql = remove_sql;
	sqlite3_stmt *st;
	sqlite3_int64 note;
	int rc = sqlite3_prepare_v2(w->db, "SELECT id FROM notes WHERE " KB_NOTE_PATH_IS("", "?1"),
	                            -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, relpath, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	note = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE) /* not in the index: nothing to remove */
		return 0;
	if (rc == SQLITE_ROW) {
		sqlite3_int64 n;
		if (count_entries(w, note, &n, err) != 0)
			return -1;
		w->entries_removed += n;
	}
	while (rc == SQLITE_ROW && *sql) {
		const char *tail = "";
		rc = sqlite3_prepare_v2(w->db, sql, -1, &st, &tail);
		if (rc == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, note);
			rc = sqlite3_step(st);
		}
		sqlite3_finalize(st);
		rc = rc == SQLITE_DONE ? SQLITE_ROW : rc; /* SQLITE_ROW: go on */
		sql = tail;
	}
	if (rc != SQLITE_ROW) {
		kb_index_error(w->db, rc, relpath, err);
		return -1;
	}
	return 0;
}

static int step_reset(struct kb_index_writer *w, sqlite3_stmt *st, const char *what, struct kb_err *err)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(w->db, rc, what, err);
		return -1;
	}
	return 0;
}

/* The keywords column as fts_content computes it: components, then tags, space-separated. */
static char *keywords_of(const struct kb_entry *e)
{
	char *c = kb_strv_join(&e->components, " "), *t = kb_strv_join(&e->tags, " ");
	char *kw = kb_xjoin(c, " ", t);
	free(c);
	free(t);
	return kw;
}

/* The symptoms column as fts_content computes it: the texts, one a line, in order. */
static char *symptoms_of(const struct kb_entry *e)
{
	struct kb_buf b = {0};
	for (size_t i = 0; i < e->nsymptoms; i++) {
		if (i)
			kb_buf_putc(&b, '\n');
		kb_buf_puts(&b, e->symptoms[i].text);
	}
	return kb_buf_take(&b);
}

/* The anchor part of an entry's id ("" for an id that is just the path). */
static int put_rows(struct kb_index_writer *w, const struct kb_entry *e, sqlite3_int64 rowid, struct kb_err *err)
{
	for (size_t i = 0; i < e->components.n; i++) {
		sqlite3_bind_text(w->ins_comp, 1, e->components.v[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(w->ins_comp, 2, rowid);
		if (step_reset(w, w->ins_comp, e->id, err) != 0)
			return -1;
	}
	for (size_t i = 0; i < e->links.n; i++) {
		sqlite3_bind_text(w->ins_link, 1, e->links.v[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(w->ins_link, 2, rowid);
		if (step_reset(w, w->ins_link, e->id, err) != 0)
			return -1;
	}
	for (size_t i = 0; i < e->mentions.n; i++) {
		sqlite3_bind_text(w->ins_mention, 1, e->mentions.v[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(w->ins_mention, 2, rowid);
		if (step_reset(w, w->ins_mention, e->id, err) != 0)
			return -1;
	}
	for (size_t i = 0; i < e->nsymptoms; i++) {
		sqlite3_bind_int64(w->ins_symptom, 1, rowid);
		sqlite3_bind_int64(w->ins_symptom, 2, kb_index_sig(e->symptoms[i].signature));
		sqlite3_bind_text(w->ins_symptom, 3, e->symptoms[i].text, -1, SQLITE_STATIC);
		sqlite3_bind_int(w->ins_symptom, 4, e->symptoms[i].line);
		sqlite3_bind_int64(w->ins_symptom, 5, (sqlite3_int64)i);
		if (step_reset(w, w->ins_symptom, e->id, err) != 0)
			return -1;
	}
	return 0;
}

/* Records entry e of a note, packed at bytes [at, at + len) of a pack: pack, when the pack
 * starts with e, or else the pack of the entry back rows before. */
static int put_entry(struct kb_index_writer *w, sqlite3_int64 note, const struct kb_entry *e,
                     const struct kb_pack *pack, size_t back, size_t at, size_t len, struct kb_err *err)
{
	char *comps = kb_strv_join(&e->components, "\n");
	char *kw = keywords_of(e), *sym = symptoms_of(e), *ctx = kb_index_context(e->doc_title, e->path, e->section, e->format);
	char *body = NULL;
	sqlite3_int64 rowid;
	sqlite3_stmt *st = w->ins_entry;
	int rc = -1;
	sqlite3_bind_int64(st, 1, note);
	sqlite3_bind_int(st, 2, e->line);
	sqlite3_bind_int(st, 3, e->end_line);
	sqlite3_bind_text(st, 4, comps, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)at);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)len);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)back);
	if (pack)
		sqlite3_bind_blob(st, 8, pack->data, (int)pack->len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 8);
	if (step_reset(w, st, e->id, err) != 0)
		goto done;
	rowid = sqlite3_last_insert_rowid(w->db);
	st = w->ins_fts;
	sqlite3_bind_int64(st, 1, rowid);
	sqlite3_bind_text(st, 2, e->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kw, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, sym, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ctx, -1, SQLITE_STATIC);
	body = kb_xmalloc(e->body_len + 1);
	memcpy(body, e->body, e->body_len);
	sqlite3_bind_text(st, 6, body, (int)kb_index_body_text(body, e->body_len), SQLITE_STATIC);
	if (step_reset(w, st, e->id, err) != 0 || put_rows(w, e, rowid, err) != 0)
		goto done;
	rc = 0;
done:
	free(comps);
	free(kw);
	free(sym);
	free(ctx);
	free(body);
	return rc;
}

static int put_state(struct kb_index_writer *w, const char *relpath, const struct kb_note_state *st,
                     const char *title, struct kb_err *err)
{
	sqlite3_bind_text(w->ins_note, 1, relpath, -1, SQLITE_STATIC);
	sqlite3_bind_int64(w->ins_note, 2, st->size);
	sqlite3_bind_int64(w->ins_note, 3, st->mtime_ns);
	sqlite3_bind_int64(w->ins_note, 4, (sqlite3_int64)st->hash);
	sqlite3_bind_int(w->ins_note, 5, st->compiled);
	sqlite3_bind_text(w->ins_note, 6, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->ins_note, 7, kb_format_name(st->format), -1, SQLITE_STATIC);
	sqlite3_bind_text(w->ins_note, 8, kb_format_source(st->format), -1, SQLITE_STATIC);
	return step_reset(w, w->ins_note, relpath, err);
}

int kb_index_put_note(struct kb_index_writer *w, const char *relpath, const struct kb_note_state *st,
                      const struct kb_entry *es, const struct kb_packed *packed, size_t n,
                      struct kb_err *err)
{
	sqlite3_int64 note, row0 = 0;
	struct kb_packed *own = NULL;
	size_t first = 0; /* the entry its pack starts with */
	int rc = -1;
	/* the note's row first: its entries refer to it, and fts_content reads its title */
	if (put_state(w, relpath, st, n && es[0].doc_title ? es[0].doc_title : "", err) != 0)
		return -1;
	note = sqlite3_last_insert_rowid(w->db);
	if (n == 0)
		return 0;
	if (!packed)
		packed = own = kb_index_pack(w->packer, es, n);
	for (size_t i = 0; i < n; i++) { /* in order: the rows of a pack follow its first */
		bool starts = i == 0 || packed->pack[i] != packed->pack[i - 1];
		if (starts)
			first = i;
		if (put_entry(w, note, &es[i], starts ? &packed->packs[packed->pack[i]] : NULL, i - first,
		              packed->at[i], packed->len[i], err) != 0)
			goto done;
		if (i == 0) {
			row0 = sqlite3_last_insert_rowid(w->db);
		} else if (sqlite3_last_insert_rowid(w->db) != row0 + (sqlite3_int64)i) {
			/* SQLite gives the next rowid past the largest, unless the largest is the
			 * largest there is: then one at random, and the note's rows are no range */
			kb_err_set(err, "%s: its entries' row numbers are used up; rebuild it with kb build --full",
			           w->path);
			goto done;
		}
	}
	/* one row after the other: rowids past the largest, nothing deleted in between */
	sqlite3_bind_int64(w->set_range, 1, note);
	sqlite3_bind_int64(w->set_range, 2, row0);
	sqlite3_bind_int64(w->set_range, 3, sqlite3_last_insert_rowid(w->db));
	if (step_reset(w, w->set_range, relpath, err) != 0)
		goto done;
	rc = 0;
done:
	kb_packed_free(own);
	return rc;
}

int kb_index_touch_note(struct kb_index_writer *w, const char *relpath, const struct kb_note_state *st,
                        struct kb_err *err)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(w->db, "UPDATE notes SET size = ?2, mtime = ?3"
	                            " WHERE " KB_NOTE_PATH_IS("", "?1"), -1, &q, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(q, 1, relpath, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, st->size);
		sqlite3_bind_int64(q, 3, st->mtime_ns);
		rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(w->db);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_OK) {
		kb_index_error(w->db, rc, relpath, err);
		return -1;
	}
	return 0;
}

int kb_index_put_file(struct kb_index_writer *w, const char *relpath, const char *data, size_t len,
                      struct kb_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(w->db, "INSERT OR REPLACE INTO files(path, content) VALUES(?1, ?2)",
	                            -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, relpath, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, data, (int)len, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(w->db);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK) {
		kb_index_error(w->db, rc, relpath, err);
		return -1;
	}
	return 0;
}

int kb_index_links(struct kb_index_writer *w, struct kb_strv *out, struct kb_err *err)
{
	return kb_index_link_targets_db(w->db, out, err);
}

int kb_index_prune_files(struct kb_index_writer *w, const struct kb_strv *keep, struct kb_err *err)
{
	struct kb_strv have = {0};
	struct kb_strmap kept = {0};
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(w->db, "SELECT path FROM files", -1, &st, NULL);
	if (rc == SQLITE_OK)
		while (sqlite3_step(st) == SQLITE_ROW)
			kb_strv_push(&have, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	for (size_t i = 0; i < keep->n; i++)
		kb_strmap_put(&kept, keep->v[i], 0);
	rc = sqlite3_prepare_v2(w->db, "DELETE FROM files WHERE path = ?1", -1, &st, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < have.n; i++) {
		if (kb_strmap_get(&kept, have.v[i], NULL))
			continue;
		sqlite3_bind_text(st, 1, have.v[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(w->db);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	kb_strv_free(&have);
	kb_strmap_free(&kept);
	if (rc != SQLITE_OK) {
		kb_index_error(w->db, rc, "pruning files", err);
		return -1;
	}
	return 0;
}

int kb_index_set_meta(struct kb_index_writer *w, const char *key, const char *value, struct kb_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(w->db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(w->db);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK) {
		kb_index_error(w->db, rc, "writing meta data", err);
		return -1;
	}
	return 0;
}

static int write_meta(struct kb_index_writer *w, const char *notes_dir, struct kb_err *err)
{
	char num[32];
	const struct {
		const char *key;
		int value;
	} versions[] = {
		{"schema", KB_INDEX_SCHEMA},
		{"tokenizer", KB_TOKENIZER_VERSION},
		{"normalizer", KB_NORMALIZE_VERSION},
		{"compiler", KB_COMPILE_VERSION},
	};
	static const struct {
		const char *key, *sql;
	} counts[] = {
		{"entries", "SELECT count(*) FROM entries"},
		{"notes", "SELECT count(*) FROM notes"},
		{"symptoms", "SELECT count(DISTINCT sig) FROM symptoms"},
		{"components", "SELECT count(DISTINCT name) FROM entry_components"},
	};
	for (size_t i = 0; i < KB_NELEM(versions); i++) {
		snprintf(num, sizeof num, "%d", versions[i].value);
		if (kb_index_set_meta(w, versions[i].key, num, err) != 0)
			return -1;
	}
	for (size_t i = 0; i < KB_NELEM(counts); i++) { /* so that kb --version need not count */
		sqlite3_stmt *st;
		long long n = 0;
		if (sqlite3_prepare_v2(w->db, counts[i].sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		snprintf(num, sizeof num, "%lld", n);
		if (kb_index_set_meta(w, counts[i].key, num, err) != 0)
			return -1;
	}
	snprintf(num, sizeof num, "%lld", (long long)time(NULL));
	return kb_index_set_meta(w, "built", num, err) || kb_index_set_meta(w, "stamp", w->stamp, err) ||
	       kb_index_set_meta(w, "kb_version", KB_VERSION, err) || kb_index_set_meta(w, "notes_dir", notes_dir, err)
	       ? -1 : 0;
}

/* fsyncs a file or directory by path. */
static int sync_path(const char *path, bool dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC), rc;
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Rewrites the index compactly when merging FTS5 segments freed a tenth of the file or more
 * (a VACUUM of a large index would cost more than a small change). After a full build of
 * an index whose FTS5 part was written as one segment (bench/PROFILE.md says up to what
 * size) there is nothing to gain: the FTS5 index was written once, the tables keyed by
 * entry were filled in key order (unstage), the secondary indexes sorted once. An
 * incremental build that removed a quarter of the entries or more merges all of FTS5's
 * segments first (kb_index_write_commit), which drops what the removed entries left in them:
 * without that, an index whose notes were mostly deleted kept their words for ever. */
static int compact(struct kb_index_writer *w, struct kb_err *err)
{
	long long free_pages = 0, pages = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(w->db, "SELECT freelist_count, page_count FROM pragma_freelist_count,"
	                       " pragma_page_count", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		free_pages = sqlite3_column_int64(st, 0);
		pages = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (free_pages * 10 < pages)
		return 0;
	/* VACUUM INTO writes the compact copy straight to a file of its own (a plain VACUUM would
	 * build it in memory first); that file then takes the place of the new index */
	{
		char *into = kb_xasprintf("%s.v", w->tmp);
		/* an empty file of kb's own (VACUUM INTO writes into one), opened by SQLite with the
		 * connection's SQLITE_OPEN_NOFOLLOW */
		int fd = create_private(into, "the compacted index", err), rc;
		if (fd < 0) {
			free(into);
			return -1;
		}
		close(fd);
		rc = sqlite3_prepare_v2(w->db, "VACUUM INTO ?1", -1, &st, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_text(st, 1, into, -1, SQLITE_STATIC);
			rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(w->db);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_OK) {
			kb_index_error(w->db, rc, "compacting the index", err);
			unlink(into);
			free(into);
			return -1;
		}
		unlink(w->tmp);
		free(w->tmp);
		w->tmp = into;
	}
	return 0;
}

/* The length of the SQLite varint at p (at most n bytes), or 0 when it does not end there. */
static size_t varint_len(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n && i < 9; i++)
		if (!(p[i] & 0x80) || i == 8)
			return i + 1;
	return 0;
}

/* Puts the one FTS5 segment of a full build on level 1, where FTS5's own optimize leaves
 * the segment it merges. Written at once, the segment lands on level 0 with the small
 * segments each later incremental build adds, and the eighth of those builds would merge
 * them all, the whole index with them (several times what the one-note rebuild costs).
 * FTS5 has no command that moves a lone segment, so this rewrites its structure
 * record (fts_data row 10: a 4-byte cookie, then varints: levels, segments, write counter,
 * and per level: segments being merged, segments, each as id, first and last page) from
 * one level holding one segment to an empty level 0 and that segment on level 1: what
 * optimize writes. Any other record (more segments, another format) is left alone.
 * tests/cli.test.sh checks the level, FTS5's integrity check and the rebuilds. */
static int lift_segment(struct kb_index_writer *w, struct kb_err *err)
{
	sqlite3_stmt *st;
	unsigned char rec[64], out[66];
	size_t n = 0, at, wc, tail;
	int rc = sqlite3_prepare_v2(w->db, "SELECT block FROM fts_data WHERE id = 10", -1, &st, NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW && (size_t)sqlite3_column_bytes(st, 0) <= sizeof rec) {
		n = (size_t)sqlite3_column_bytes(st, 0);
		memcpy(rec, sqlite3_column_blob(st, 0), n);
	}
	sqlite3_finalize(st);
	/* cookie, 1 level, 1 segment, the write counter, then level 0: 0 merging, 1 segment */
	if (n < 4 + 2 + 1 + 2 + 3 || rec[4] != 1 || rec[5] != 1 || !(wc = varint_len(rec + 6, n - 6)))
		return 0;
	at = 6 + wc;
	if (at + 2 > n || rec[at] != 0 || rec[at + 1] != 1)
		return 0;
	tail = at + 2; /* the segment: three varints, the end of the record */
	for (int k = 0; k < 3; k++) {
		size_t len = varint_len(rec + tail, n - tail);
		if (!len)
			return 0;
		tail += len;
	}
	if (tail != n)
		return 0;
	memcpy(out, rec, at);
	out[4] = 2; /* two levels */
	out[at] = 0, out[at + 1] = 0;     /* level 0: empty */
	out[at + 2] = 0, out[at + 3] = 1; /* level 1: the segment */
	memcpy(out + at + 4, rec + at + 2, n - (at + 2));
	defend(w->db, false); /* a write to one of FTS5's own tables */
	if ((rc = sqlite3_prepare_v2(w->db, "UPDATE fts_data SET block = ?1 WHERE id = 10", -1, &st, NULL)) != SQLITE_OK) {
		kb_index_error(w->db, rc, "writing the index", err);
		defend(w->db, true);
		return -1;
	}
	sqlite3_bind_blob(st, 1, out, (int)(n + 2), SQLITE_STATIC);
	rc = step_reset(w, st, "writing the index", err);
	sqlite3_finalize(st);
	defend(w->db, true);
	return rc;
}

int kb_index_write_commit(struct kb_index_writer *w, const char *notes_dir, struct kb_err *err)
{
	char *dir;
	int rc = -1;
	finalize_all(w); /* their tables may go (unstage) */
	if ((!w->incremental && (unstage(w, err) || kb_index_exec(w->db, kb_index_indexes_sql, "indexing", err))) ||
	    kb_index_refs_db(w->db, err) || /* once the rows and their indexes are in */
	    write_meta(w, notes_dir, err) ||
	    kb_index_exec(w->db, w->incremental && w->entries_removed * 4 < w->entries_before
	                         ? "INSERT INTO fts(fts, rank) VALUES('automerge', 4)"
	                         : "INSERT INTO fts(fts, rank) VALUES('automerge', 4);"
	                           " INSERT INTO fts(fts) VALUES('optimize')", "optimizing the index", err) ||
	    (!w->incremental && lift_segment(w, err)) ||
	    kb_index_exec(w->db, "COMMIT", "writing the index", err) || compact(w, err))
		goto done;
	if (sqlite3_close(w->db) != SQLITE_OK) {
		kb_err_set(err, "closing %s: %s", w->tmp, sqlite3_errmsg(w->db));
		goto done;
	}
	w->db = NULL;
	if (sync_path(w->tmp, false) != 0 || rename(w->tmp, w->path) != 0) {
		kb_err_set(err, "cannot put the new index in place at %s: %s", w->path, strerror(errno));
		goto done;
	}
	dir = kb_xstrdup(w->path);
	sync_path(dirname(dir), true);
	free(dir);
	rc = 0;
done:
	if (rc != 0)
		unlink(w->tmp);
	writer_free(w);
	return rc;
}

void kb_index_write_abort(struct kb_index_writer *w)
{
	if (!w)
		return;
	unlink(w->tmp);
	writer_free(w);
}
