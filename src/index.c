/* index.c - reading kb.db: opening it safely, searching it with FTS5, browsing it. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "index_priv.h"
#include "kb/normalize.h"
#include "kb/tokenizer.h"

struct kb_index {
	sqlite3 *db;
	char *path;
	struct kb_packer *packer; /* unpacks bodies, for kb_index_get and kb_body() */
	sqlite3_stmt *vocab;      /* document frequency of a term, prepared on first use */
	sqlite3_stmt *signatures; /* an entry's signatures, prepared on first use */
};

const char kb_index_schema_sql[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
	/* pkey: kb_path_key(path), a 31-bit hash that notes_key indexes: a note is found by its
	 * path as `pkey = kb_path_key(?) AND path = ?` (KB_NOTE_PATH_IS). An index on the paths
	 * themselves would be more than twice the size of this one with its column. */
	"CREATE TABLE notes(id INTEGER PRIMARY KEY, path TEXT NOT NULL, pkey INTEGER NOT NULL,"
	" size INTEGER NOT NULL, mtime INTEGER NOT NULL, hash INTEGER NOT NULL, compiled INTEGER NOT NULL,"
	" title TEXT NOT NULL,"
	/* format: kb_format_name() of the note's format; source: kb_format_source() of it
	 * ("notes" or "man"), for the filters and the ranking */
	" format TEXT NOT NULL, source TEXT NOT NULL);"
	"CREATE TABLE dictionary(id INTEGER PRIMARY KEY, data BLOB NOT NULL);"
	/* an entry's id is its note's path, then '#' and its anchor unless that is empty; the
	 * path is stored once, in notes, not again in every entry and its index */
	"CREATE TABLE entries(rowid INTEGER PRIMARY KEY, note INTEGER NOT NULL, anchor TEXT NOT NULL,"
	" line INTEGER NOT NULL, end_line INTEGER NOT NULL, title TEXT NOT NULL, section TEXT,"
	" components TEXT NOT NULL, tags TEXT NOT NULL, body BLOB NOT NULL);"
	"CREATE TABLE entry_components(name TEXT NOT NULL, entry INTEGER NOT NULL,"
	" PRIMARY KEY(name, entry)) WITHOUT ROWID;"
	"CREATE TABLE entry_links(entry INTEGER NOT NULL, target TEXT NOT NULL,"
	" PRIMARY KEY(entry, target)) WITHOUT ROWID;"
	/* sig: a 64-bit hash of the text's signature (kb_normalize), which is not stored;
	 * seq: the symptom's place in its entry, the order in which fts_content lists them (an
	 * entry's rows are read in key order) */
	"CREATE TABLE symptoms(entry INTEGER NOT NULL, seq INTEGER NOT NULL, sig INTEGER NOT NULL,"
	" text TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY(entry, seq)) WITHOUT ROWID;"
	"CREATE TABLE files(path TEXT PRIMARY KEY, content BLOB NOT NULL) WITHOUT ROWID;"
	/* What FTS5 indexes, computed from the rows (nothing is stored twice): kb build puts
	 * the same values in when it inserts, and FTS5 reads them back for snippets. */
	"CREATE VIEW fts_content(rowid, title, keywords, symptoms, context, body) AS"
	" SELECT e.rowid, e.title,"
	" replace(e.components, char(10), ' ') || ' ' || replace(e.tags, char(10), ' '),"
	" coalesce((SELECT group_concat(s.text, char(10)) FROM symptoms s WHERE s.entry = e.rowid), ''),"
	" kb_context(n.title, n.path, e.section), kb_body(e.body)"
	" FROM entries e JOIN notes n ON n.id = e.note;"
	"CREATE VIRTUAL TABLE fts USING fts5(title, keywords, symptoms, context, body,"
	" content='fts_content', content_rowid='rowid', tokenize='kb');"
	"INSERT INTO fts(fts, rank) VALUES('rank', '" KB_INDEX_RANK "');";

/* The secondary indexes. A full build makes them once the rows are in: sorted in one pass,
 * they fill their pages, and it is faster than keeping them in order row by row. */
const char kb_index_indexes_sql[] =
	"CREATE INDEX notes_key ON notes(pkey);"
	/* a note's entries (a few each) are found by the note, then their anchors read: an
	 * index on (note, anchor) would be nearly twice the size */
	"CREATE INDEX entries_note ON entries(note);"
	"CREATE INDEX symptoms_sig ON symptoms(sig);";

/* An entry's id as SQL, from the rows e (entries) and n (its note): ENTRY_JOIN. */
#define ID_SQL "(n.path || CASE WHEN e.anchor = '' THEN '' ELSE '#' || e.anchor END)"
#define ENTRY_JOIN "entries e JOIN notes n ON n.id = e.note"
#define NOTE_IS(p) KB_NOTE_PATH_IS("n.", p) /* the note n whose path is parameter p */

void kb_index_error(sqlite3 *db, int rc, const char *what, struct kb_err *err)
{
	int prim = rc & 0xff;
	struct kb_buf why = {0};
	if (prim == SQLITE_CORRUPT || prim == SQLITE_NOTADB)
		kb_err_set(err, "%s: the index is damaged (%s); rebuild it with kb build", what,
		           db && (sqlite3_errcode(db) & 0xff) == prim ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	else if (prim == SQLITE_INTERRUPT && db && kb_index_guard_over(db)) /* index_guard.c */
		kb_err_set(err, "%s: the index is damaged (a query on it did not end); rebuild it with kb build", what);
	else if (prim == SQLITE_FULL)
		kb_err_set(err, "%s: the disk is full", what);
	else if (prim == SQLITE_NOMEM)
		kb_err_set(err, "%s: out of memory", what);
	/* kb's SQL fails on kb's schema only when the file is not what it was: emptied or
	 * replaced in place under a reader ("no such table") */
	else if (prim == SQLITE_ERROR && db && kb_index_check_schema(db, &why) != 1)
		kb_err_set(err, "%s: the index is damaged (%s); rebuild it with kb build", what,
		           why.len ? why.s : sqlite3_errmsg(db));
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
	 * caches next to nothing, and the 20 pages SQLite would otherwise link into a free
	 * list at the first read are 20 page faults (a twelfth of a search's). */
	sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
}

static int among_register(sqlite3 *db);

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
	if (kb_index_rank_register(kb_index_fts5(*db)) != SQLITE_OK || among_register(*db) != SQLITE_OK) {
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
		kb_err_set(err, "%s is not a kb index or is damaged (%s); rebuild it with kb build", path,
		           prim == SQLITE_INTERRUPT ? "a query on it did not end" : sqlite3_errmsg(db));
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
	/* one statement reads them all (a dozen short rows): each prepared statement costs a
	 * search 15-25 thousand instructions */
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
		kb_err_set(err, "%s is not a kb index or is damaged (%s); rebuild it with kb build", path, why.s);
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
	 * transaction: one lock and one check for a hot journal instead of one per statement
	 * (a third of a search's system calls). Only for readers that live milliseconds: a file truncated in place under
	 * a mapping (cp over it) would end a long-lived one with SIGBUS, where pread gets an
	 * error; kb build never changes an index in place, so nothing waits on the lock. */
	if (flags & KB_INDEX_MAPPED)
		sqlite3_exec(db, "PRAGMA mmap_size=2147418112; BEGIN", NULL, NULL, NULL); /* else: pread */
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
			kb_err_set(err, "%s: the index's dictionary is damaged; rebuild it with kb build", path);
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

/* Column i as a format kind: the kind named there, markdown for a name this kb does not know. */
static int note_format(sqlite3_stmt *st, int i)
{
	int k = kb_format_parse((const char *)sqlite3_column_text(st, i));
	return k < 0 ? KB_FORMAT_MARKDOWN : k;
}

static char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? kb_xstrdup((const char *)t) : NULL;
}

static void split_lines(const char *s, struct kb_strv *out)
{
	while (s && *s) {
		size_t n = strcspn(s, "\n");
		if (n)
			kb_strv_push_own(out, kb_xstrndup(s, n));
		s += n + (s[n] == '\n');
	}
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

void kb_hit_clear(struct kb_hit *x)
{
	free(x->id);
	free(x->path);
	free(x->title);
	free(x->section);
	free(x->snippet);
	free(x->source);
	kb_strv_free(&x->components);
	memset(x, 0, sizeof *x);
}

void kb_hits_free(struct kb_hits *h)
{
	for (size_t i = 0; i < h->n; i++)
		kb_hit_clear(&h->v[i]);
	free(h->v);
	memset(h, 0, sizeof *h);
}

void kb_hits_take(struct kb_hits *to, struct kb_hits *from, size_t i)
{
	kb_xgrow(&to->v, &to->cap, to->n + 1, sizeof *to->v);
	to->v[to->n++] = from->v[i];
	memset(&from->v[i], 0, sizeof from->v[i]);
}

/* Columns 0..7 of a hit row: rowid, id, path, line, title, section, components, source. */
#define HIT_COLUMNS "e.rowid, " ID_SQL ", n.path, e.line, e.title, e.section, e.components, n.source"

/* Fills h from columns 0..7 of st's row (HIT_COLUMNS). */
static void fill_hit(struct kb_hit *h, sqlite3_stmt *st)
{
	h->rowid = sqlite3_column_int64(st, 0);
	h->id = col_text(st, 1);
	h->path = col_text(st, 2);
	h->line = sqlite3_column_int(st, 3);
	h->title = col_text(st, 4);
	h->section = col_text(st, 5);
	split_lines((const char *)sqlite3_column_text(st, 6), &h->components);
	h->source = col_text(st, 7);
}

static void add_hit(struct kb_hits *out, sqlite3_stmt *st)
{
	kb_xgrow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
	memset(&out->v[out->n], 0, sizeof *out->v);
	fill_hit(&out->v[out->n++], st);
}

/* Steps st to the end, adding a hit per row. Returns 0 or -1 with err. */
static int collect(struct kb_index *ix, sqlite3_stmt *st, struct kb_hits *out, struct kb_err *err)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		add_hit(out, st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "search", err);
		return -1;
	}
	return 0;
}

/* A row the first pass of a search ranked: its rowid and score (higher is better). */
struct ranked {
	long long rowid;
	double score;
};

/* a before b: the higher score first, the lower rowid among equal scores */
static bool better(const struct ranked *a, const struct ranked *b)
{
	return a->score > b->score || (a->score == b->score && a->rowid < b->rowid);
}

static int cmp_ranked(const void *a, const void *b)
{
	return better(a, b) ? -1 : better(b, a) ? 1 : 0;
}

/* The k best rows seen (every row when k is 0): while full, a heap with the worst at v[0]. */
struct best {
	struct ranked *v;
	size_t n, cap, k;
};

static void best_add(struct best *b, struct ranked r)
{
	size_t i, c;
	if (b->k == 0 || b->n < b->k) {
		kb_xgrow(&b->v, &b->cap, b->n + 1, sizeof *b->v);
		for (i = b->n++; b->k && i > 0 && better(&b->v[(i - 1) / 2], &r); i = (i - 1) / 2)
			b->v[i] = b->v[(i - 1) / 2];
		b->v[i] = r;
		return;
	}
	if (!better(&r, &b->v[0]))
		return;
	for (i = 0; (c = 2 * i + 1) < b->n; i = c) {
		if (c + 1 < b->n && better(&b->v[c], &b->v[c + 1]))
			c++;
		if (better(&b->v[c], &r))
			break;
		b->v[i] = b->v[c];
	}
	b->v[i] = r;
}

/* The hits of one search by rowid: which of out->v each row is. */
struct slot {
	long long rowid;
	size_t hit;
};

struct rowid_set {
	struct slot *v;
	size_t n;
};

static int cmp_rowid(const void *a, const void *b)
{
	long long x = ((const struct slot *)a)->rowid, y = ((const struct slot *)b)->rowid;
	return (x > y) - (x < y);
}

static const struct slot *find_slot(const struct rowid_set *s, long long rowid)
{
	struct slot key = {.rowid = rowid};
	return s ? bsearch(&key, s->v, s->n, sizeof *s->v, cmp_rowid) : NULL;
}

/* kb_among(set, rowid): whether rowid is in set, a struct rowid_set bound as a pointer of
 * type "kb_rowids" (anything else is no set: false). */
static void sql_among(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_int(ctx, find_slot(sqlite3_value_pointer(argv[0], "kb_rowids"), sqlite3_value_int64(argv[1])) != NULL);
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

static int among_register(sqlite3 *db)
{
	int rc = sqlite3_create_function(db, "kb_among", 2, SQLITE_UTF8, NULL, sql_among, NULL, NULL);
	/* innocuous: no side effects, so a file's schema may use it (kb_index_guard) */
	return rc != SQLITE_OK ? rc
	                       : sqlite3_create_function(db, "kb_path_key", 1,
	                                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
	                                                 sql_path_key, NULL, NULL);
}

/* A search statement, prepared, with the match as ?1 and as ?2 the rank: kbrank keeping
 * the k best (0: all). NULL, with err, when it cannot be prepared. */
static sqlite3_stmt *ranked_stmt(struct kb_index *ix, const char *sql, const struct kb_search_req *req, size_t k,
                                 struct kb_err *err)
{
	const char *match = req->match;
	sqlite3_stmt *st;
	char rank[64];
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		kb_index_error(ix->db, rc, "search", err);
		return NULL;
	}
	snprintf(rank, sizeof rank, KB_INDEX_RANK_K, req->cover ? "kbcover" : "kbrank", k);
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rank, -1, SQLITE_TRANSIENT);
	return st;
}

/* ---- the bounded step: no search ranks more than KB_INDEX_BOUND_ROWS rows of one phrase --
 * A match of one phrase (one word, one CJK character, one prefix) can select a good part of
 * a big index (的, c*), and ranking a row costs far more than reading it from FTS5's
 * doclist (bench/RESULTS.md). Such a match is ranked in rowid order (rank_rows) and
 * stops after the bound: its hits are then the best of the first rows (the index's order,
 * the notes' paths), not of all, and say so (partial); a phrase of several words or CJK
 * pairs too, though the sorted plan would rank a small one faster (sorted_plan). A match
 * of several phrases, which an entry must all hold, keeps its plan unbounded. */
static bool one_phrase(const char *match)
{
	bool quoted = false;
	int nquoted = 0;
	for (const char *p = match; *p; p++) {
		if (*p == '"' && quoted && p[1] == '"')
			p++;
		else if (*p == '"')
			nquoted += (quoted = !quoted);
		else if (!quoted && !strchr("()* ", *p))
			return false;
	}
	return nquoted == 1;
}

/* ---- the prefix step: no common prefix has FTS5 merge every term that starts so ------
 * For a prefix ("c"*, and "的"*, which is how one CJK character is matched: the start of
 * the pairs it begins), FTS5 merges the doclists of every term that starts so before its
 * first row, however many there are in a big index. The search layer asks here for the
 * terms instead (kb_index_prefix_terms) and searches the first ones. */
#define PREFIX_WALK 1000 /* the most terms looked at: past them the prefix is common */

struct one_token {
	char *tok;
	int n;
};

static int take_token(void *ctx, const char *tok, int len)
{
	struct one_token *t = ctx;
	if (t->n++ == 0)
		t->tok = kb_xstrndup(tok, (size_t)len);
	return 0;
}

/* text's token when it makes one, else NULL (caller frees). */
static char *prefix_token(struct kb_index *ix, const char *text)
{
	struct one_token t = {0};
	if (kb_tokenizer_each(ix->db, text, take_token, &t) != 0 || t.n != 1) {
		free(t.tok);
		return NULL;
	}
	return t.tok;
}

int kb_index_prefix_terms(struct kb_index *ix, const char *text, size_t max_rows, size_t max_terms,
                          struct kb_strv *out, bool *partial)
{
	char *pre = prefix_token(ix, text);
	sqlite3_stmt *st = NULL;
	size_t plen = pre ? strlen(pre) : 0, seen = 0;
	long long rows = 0;
	bool ended = false;
	if (!pre)
		return 0;
	if (kb_index_doc_freq(ix, "") < 0 || /* makes temp.kb_vocab */
	    sqlite3_prepare_v2(ix->db, "SELECT term, doc FROM temp.kb_vocab WHERE term >= ?1", -1, &st, NULL) != SQLITE_OK) {
		free(pre);
		return -1;
	}
	sqlite3_bind_text(st, 1, pre, -1, SQLITE_STATIC);
	for (;;) {
		const char *term = sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
		if ((ended = !term || strncmp(term, pre, plen) != 0))
			break;
		if (rows >= (long long)max_rows || seen == PREFIX_WALK)
			break;
		if (out->n < max_terms)
			kb_strv_push(out, term);
		seen++;
		rows += sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	free(pre);
	if (ended && rows < (long long)max_rows) { /* few terms, few rows: FTS5's own is cheap */
		kb_strv_free(out);
		return 0;
	}
	*partial = *partial || !ended || seen > out->n;
	return 1;
}

/* First pass of a search: every row the match selects, ranked by kbrank told to keep the
 * k best (0: all), into *b; with a bound (the bounded step), only the first bound rows,
 * *partial set when there were more. With a component, only that component's rows are
 * ranked, and
 * kbrank computes each phrase's idf itself (index_rank.c: the deferred idf counts the
 * rows it ranks, which a filter would make too few). */
static int rank_rows(struct kb_index *ix, const struct kb_search_req *req, struct best *b, size_t bound,
                     bool *partial, struct kb_err *err)
{
	/* No ORDER BY: FTS5 would rank every row into SQLite's sorter and sort them all
	 * (a third of a search that selects 2,000 rows); the rows come in rowid order and
	 * only the k best are kept. "+rowid" keeps the filter out of FTS5, which would run
	 * the whole query again for each of the component's rows. */
	static const char plain[] = "SELECT rowid, rank FROM fts WHERE fts MATCH ?1 AND rank MATCH ?2";
	static const char filtered[] =
		"SELECT rowid, rank FROM fts WHERE fts MATCH ?1 AND rank MATCH ?2"
		" AND (?3 IS NULL OR +rowid IN (SELECT entry FROM entry_components WHERE name = ?3))"
		" AND ((?4 IS NULL AND ?5 IS NULL) OR +rowid IN (SELECT e.rowid FROM " ENTRY_JOIN
		" WHERE (?4 IS NULL OR n.source = ?4) AND (?5 IS NULL OR n.path GLOB 'man:*(' || ?5 || '*)')))";
	bool filter = req->component || req->source || req->man_section;
	sqlite3_stmt *st = ranked_stmt(ix, filter ? filtered : plain, req, b->k, err);
	double scale;
	int rc;
	if (!st)
		return -1;
	if (filter) {
		sqlite3_bind_text(st, 3, req->component, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, req->source, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, req->man_section, -1, SQLITE_STATIC);
	} else {
		kb_index_rank_begin();
	}
	for (size_t n = 0; (rc = sqlite3_step(st)) == SQLITE_ROW; n++) {
		if (bound && n == bound) {
			*partial = true;
			rc = SQLITE_DONE;
			break;
		}
		best_add(b, (struct ranked){sqlite3_column_int64(st, 0), -sqlite3_column_double(st, 1)});
	}
	scale = kb_index_rank_scale(); /* the idf of a one-phrase query (index_rank.c), else 1 */
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "search", err);
		return -1;
	}
	/* kbrank gave the rows it cut a bound below the k-th best, so none is among these */
	for (size_t i = 0; i < b->n; i++)
		b->v[i].score *= scale;
	if (b->n > 1) /* qsort must not be given NULL, even for no rows */
		qsort(b->v, b->n, sizeof *b->v, cmp_ranked);
	return 0;
}

#define SNIPPET_SQL "snippet(fts, -1, char(2), char(3), '…', 24)"

/* Fills the hits out->v[first..] (rowid and score set) from their rows, and gives them
 * snippets when asked. With snippets, one more pass of the match over the span of rowids
 * the hits cover gives both, FTS5 making a snippet for those rows alone (kb_among; CROSS
 * JOIN keeps the match the outer loop); not a lookup of each row: with the index in one
 * segment, a lookup reads its words' doclists from the start up to the row (a tenth of a
 * millisecond for a common word), and for a prefix merges every word's doclist. */
static int fetch_hits(struct kb_index *ix, const struct kb_search_req *req, struct kb_hits *out, size_t first)
{
	static const char by_row[] = "SELECT " HIT_COLUMNS " FROM " ENTRY_JOIN " WHERE e.rowid = ?1";
	static const char span[] =
		"SELECT " HIT_COLUMNS ", " SNIPPET_SQL " FROM fts CROSS JOIN entries e ON e.rowid = fts.rowid"
		" CROSS JOIN notes n ON n.id = e.note"
		" WHERE fts MATCH ?1 AND fts.rowid BETWEEN ?2 AND ?3 AND kb_among(?4, fts.rowid)";
	struct rowid_set set = {0};
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ix->db, req->snippets ? span : by_row, -1, &st, NULL);
	if (rc == SQLITE_OK && !req->snippets) {
		for (size_t i = first; rc == SQLITE_OK && i < out->n; i++) {
			sqlite3_bind_int64(st, 1, out->v[i].rowid);
			if ((rc = sqlite3_step(st)) == SQLITE_ROW)
				fill_hit(&out->v[i], st);
			rc = sqlite3_reset(st);
		}
	} else if (rc == SQLITE_OK) {
		set.v = kb_xmalloc(sizeof *set.v * (out->n - first));
		for (size_t i = first; i < out->n; i++)
			set.v[set.n++] = (struct slot){out->v[i].rowid, i};
		qsort(set.v, set.n, sizeof *set.v, cmp_rowid);
		sqlite3_bind_text(st, 1, req->match, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, set.v[0].rowid);
		sqlite3_bind_int64(st, 3, set.v[set.n - 1].rowid);
		sqlite3_bind_pointer(st, 4, &set, "kb_rowids", NULL);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const struct slot *sl = find_slot(&set, sqlite3_column_int64(st, 0));
			if (sl && !out->v[sl->hit].id) {
				fill_hit(&out->v[sl->hit], st);
				out->v[sl->hit].snippet = col_text(st, 8);
			}
		}
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		free(set.v);
	}
	sqlite3_finalize(st);
	return rc;
}

/* The sorted plan: FTS5 ranks every row the match selects into SQLite's sorter, with each
 * row's phrase positions, and steps through the best; their snippets come from those
 * positions, with no second pass over the index. Returns 0 or -1 with err. */
static int search_sorted(struct kb_index *ix, const struct kb_search_req *req, struct kb_hits *out,
                         struct kb_err *err)
{
	static const char sql[] =
		"SELECT " HIT_COLUMNS ", fts.rank, CASE WHEN ?4 THEN " SNIPPET_SQL " END"
		" FROM fts JOIN entries e ON e.rowid = fts.rowid JOIN notes n ON n.id = e.note"
		" WHERE fts MATCH ?1 AND fts.rank MATCH ?2 ORDER BY fts.rank LIMIT ?3";
	sqlite3_stmt *st = ranked_stmt(ix, sql, req, req->limit, err);
	size_t first = out->n;
	double scale;
	int rc;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 3, (sqlite3_int64)req->limit);
	sqlite3_bind_int(st, 4, req->snippets);
	kb_index_rank_begin();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		add_hit(out, st);
		out->v[out->n - 1].score = -sqlite3_column_double(st, 8);
		out->v[out->n - 1].snippet = col_text(st, 9);
	}
	sqlite3_finalize(st);
	scale = kb_index_rank_scale();
	for (size_t i = first; i < out->n; i++)
		out->v[i].score *= scale;
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "search", err);
		return -1;
	}
	return 0;
}

static int count_token(void *ctx, const char *tok, int len)
{
	(void)tok, (void)len;
	return ++*(int *)ctx > 1;
}

/* Whether the match is better served by the sorted plan (search_sorted) than by ranking
 * in rowid order and a second pass for the snippets (rank_rows, fetch_hits). Sorting costs
 * about 2,000 instructions a row the match selects. Running the match again costs a few
 * hundred a row for one token, and for a prefix, whose doclists are merged once before
 * the first row, little more: the top-K plan (提升, 2,453 rows: 16.4 -> 10.3 M
 * instructions a search; Disp*, 6,548 rows: 37.7 -> 22.5 M). For phrases and several
 * words the match checks positions or skips along long doclists for each row it selects
 * (17,000 instructions a row for 统计信息 语句), and a second run costs more than the
 * sort: the sorted plan ("help in interactive": 6.3 M, 9.4 M with the other). */
static bool sorted_plan(struct kb_index *ix, const char *match)
{
	bool quoted = false, other = false;
	struct kb_buf text = {0};
	int nquoted = 0, ntok = 0;
	for (const char *p = match; *p; p++) {
		if (*p == '"' && quoted && p[1] == '"') {
			kb_buf_putc(&text, *p++);
		} else if (*p == '"') {
			quoted = !quoted;
			nquoted += quoted;
		} else if (quoted) {
			kb_buf_putc(&text, *p);
		} else if (*p == '*') {
			free(text.s);
			return false;
		} else if (*p != '(' && *p != ')' && *p != ' ') {
			other = true;
		}
	}
	if (nquoted == 1 && !other)
		/* a word marked for its stem (KB_TOKENIZER_STEM) is one token and its synonyms */
		kb_tokenizer_each(ix->db, !text.s ? "" : text.s + (text.s[0] == KB_TOKENIZER_STEM), count_token, &ntok);
	free(text.s);
	return ntok != 1;
}

/* A search of a few hits (limit) takes the plan sorted_plan() chooses; one of every hit,
 * an offset or a component filter ranks in rowid order (the filter before ranking, so
 * only the component's rows are ranked). */
/* Of hits with equal scores, the team's notes come before the manual's pages. */
static void notes_first(struct kb_hits *h, size_t first)
{
	for (size_t i = first + 1; i < h->n; i++)
		for (size_t j = i; j > first && h->v[j].score == h->v[j - 1].score && h->v[j - 1].source &&
		                   strcmp(h->v[j - 1].source, "man") == 0 && h->v[j].source &&
		                   strcmp(h->v[j].source, "man") != 0; j--) {
			struct kb_hit t = h->v[j];
			h->v[j] = h->v[j - 1];
			h->v[j - 1] = t;
		}
}

int kb_index_search(struct kb_index *ix, const struct kb_search_req *req, struct kb_hits *out,
                    struct kb_err *err)
{
	struct best b = {.k = req->limit ? req->limit + req->offset : 0};
	size_t first = out->n, n, bound;
	bool filtered;
	int rc;
	if (b.k > KB_INDEX_RANK_MAX_K)
		b.k = 0;
	filtered = req->component || req->source || req->man_section;
	bound = b.k && !filtered && (req->bounded || one_phrase(req->match)) ? KB_INDEX_BOUND_ROWS : 0;
	if (b.k && !req->offset && !filtered && !bound && sorted_plan(ix, req->match)) {
		rc = search_sorted(ix, req, out, err);
		notes_first(out, first);
		return rc;
	}
	if (rank_rows(ix, req, &b, bound, &out->partial, err) != 0) {
		free(b.v);
		return -1;
	}
	kb_xgrow(&out->v, &out->cap, out->n + b.n, sizeof *out->v);
	for (size_t i = req->offset; i < b.n; i++) {
		memset(&out->v[out->n], 0, sizeof *out->v);
		out->v[out->n].rowid = b.v[i].rowid;
		out->v[out->n++].score = b.v[i].score;
	}
	free(b.v);
	rc = out->n > first ? fetch_hits(ix, req, out, first) : SQLITE_OK;
	/* a row the match selected has an entry, unless the index is damaged: drop any without */
	n = first;
	for (size_t i = first; i < out->n; i++) {
		if (out->v[i].id)
			out->v[n++] = out->v[i];
		else
			kb_hit_clear(&out->v[i]);
	}
	out->n = n;
	if (rc != SQLITE_OK) {
		kb_index_error(ix->db, rc, "search", err);
		return -1;
	}
	notes_first(out, first);
	return 0;
}

static int get_entry(struct kb_index *ix, sqlite3_stmt *st, struct kb_entry *e, struct kb_err *err)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		kb_index_error(ix->db, rc, "reading an entry", err);
		return -1;
	}
	memset(e, 0, sizeof *e);
	e->id = col_text(st, 0);
	e->path = col_text(st, 1);
	e->line = sqlite3_column_int(st, 2);
	e->end_line = sqlite3_column_int(st, 3);
	e->title = col_text(st, 4);
	e->section = col_text(st, 5);
	split_lines((const char *)sqlite3_column_text(st, 6), &e->components);
	split_lines((const char *)sqlite3_column_text(st, 7), &e->tags);
	e->body = kb_packer_unpack(ix->packer, sqlite3_column_blob(st, 8), (size_t)sqlite3_column_bytes(st, 8), &e->body_len);
	if (!e->body) {
		kb_entry_clear(e);
		kb_err_set(err, "%s: the index is damaged (an entry's text cannot be unpacked); rebuild it with kb build",
		           ix->path);
		return -1;
	}
	e->doc_title = col_text(st, 9);
	e->format = (unsigned char)note_format(st, 11);
	return 1;
}

/* Fills e->symptoms and e->links from their tables. */
static void get_rows(struct kb_index *ix, long long rowid, struct kb_entry *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(ix->db, "SELECT text, line FROM symptoms WHERE entry = ?1 ORDER BY seq", -1, &st,
	                       NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, rowid);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *text = (const char *)sqlite3_column_text(st, 0);
			char *sig = kb_normalize(text, strlen(text));
			kb_entry_add_symptom(e, text, sig, sqlite3_column_int(st, 1));
			free(sig);
		}
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(ix->db, "SELECT target FROM entry_links WHERE entry = ?1 ORDER BY target", -1, &st,
	                       NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, rowid);
		while (sqlite3_step(st) == SQLITE_ROW)
			kb_strv_push(&e->links, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
}

/* Loads the entry the WHERE clause (over entries e) selects, binding a, b, c as ?1..?3 (or
 * rowid as ?1 when a is NULL). */
static int get_by(struct kb_index *ix, const char *where, const char *a, const char *b, const char *c,
                  long long rowid, struct kb_entry *e, struct kb_err *err)
{
	char *sql = kb_xasprintf("SELECT " ID_SQL ", n.path, e.line, e.end_line, e.title, e.section,"
	                         " e.components, e.tags, e.body, n.title, e.rowid, n.format"
	                         " FROM " ENTRY_JOIN " WHERE %s", where);
	sqlite3_stmt *st;
	long long found = 0;
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		kb_index_error(ix->db, rc, "reading an entry", err);
		return -1;
	}
	if (a) {
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, c, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_int64(st, 1, rowid);
	}
	rc = get_entry(ix, st, e, err);
	if (rc == 1)
		found = sqlite3_column_int64(st, 10);
	sqlite3_finalize(st);
	if (rc == 1)
		get_rows(ix, found, e);
	return rc;
}

int kb_index_get(struct kb_index *ix, const char *id, struct kb_entry *e, struct kb_err *err)
{
	const char *hash = strrchr(id, '#');
	char *path = hash ? kb_xstrndup(id, (size_t)(hash - id)) : kb_xstrdup("");
	int rc = get_by(ix, "(e.note = (SELECT id FROM notes n WHERE " NOTE_IS("?1") ") AND e.anchor = '')"
	                " OR (e.note = (SELECT id FROM notes n WHERE " NOTE_IS("?2") ") AND e.anchor = ?3)", id, path,
	                hash ? hash + 1 : "", 0, e, err);
	free(path);
	return rc;
}

int kb_index_note_entries(struct kb_index *ix, const char *path, struct kb_entries *out, struct kb_err *err)
{
	static const char sql[] = "SELECT " ID_SQL ", n.path, e.line, e.end_line, e.title, e.section,"
	                          " e.components, e.tags, e.body, n.title, e.rowid, n.format"
	                          " FROM " ENTRY_JOIN " WHERE " NOTE_IS("?1") " ORDER BY e.line, e.rowid";
	sqlite3_stmt *st;
	struct kb_entry e;
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		kb_index_error(ix->db, rc, "reading a note's entries", err);
		return -1;
	}
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	while ((rc = get_entry(ix, st, &e, err)) == 1)
		*kb_entries_add(out) = e;
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int kb_index_get_rowid(struct kb_index *ix, long long rowid, struct kb_entry *e, struct kb_err *err)
{
	return get_by(ix, "e.rowid = ?1", NULL, NULL, NULL, rowid, e, err);
}

int kb_index_signatures(struct kb_index *ix, long long rowid, struct kb_strv *out, struct kb_err *err)
{
	int rc = SQLITE_OK;
	if (!ix->signatures)
		rc = sqlite3_prepare_v2(ix->db, "SELECT text FROM symptoms WHERE entry = ?1", -1, &ix->signatures, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(ix->signatures, 1, rowid);
		while ((rc = sqlite3_step(ix->signatures)) == SQLITE_ROW) {
			const char *text = (const char *)sqlite3_column_text(ix->signatures, 0);
			kb_strv_push_own(out, kb_normalize(text, strlen(text)));
		}
		sqlite3_reset(ix->signatures);
	}
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "reading symptoms", err);
		return -1;
	}
	return 0;
}

struct freq_ctx {
	struct kb_index *ix;
	long long min;
};

static int token_freq(void *pctx, const char *tok, int len)
{
	struct freq_ctx *f = pctx;
	long long df = 0;
	sqlite3_bind_text(f->ix->vocab, 1, tok, len, SQLITE_STATIC);
	if (sqlite3_step(f->ix->vocab) == SQLITE_ROW)
		df = sqlite3_column_int64(f->ix->vocab, 0);
	sqlite3_reset(f->ix->vocab);
	if (f->min < 0 || df < f->min)
		f->min = df;
	return df == 0; /* one token in no entry: so is the word */
}

long long kb_index_doc_freq(struct kb_index *ix, const char *word)
{
	struct freq_ctx f = {ix, -1};
	if (!ix->vocab &&
	    (sqlite3_exec(ix->db, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_vocab USING fts5vocab(main, fts, row)",
	                  NULL, NULL, NULL) != SQLITE_OK ||
	     sqlite3_prepare_v2(ix->db, "SELECT doc FROM temp.kb_vocab WHERE term = ?1", -1, &ix->vocab, NULL) != SQLITE_OK))
		return -1;
	if (kb_tokenizer_each(ix->db, word, token_freq, &f) != 0)
		return -1;
	return f.min < 0 ? 0 : f.min;
}

long long kb_index_count(struct kb_index *ix, const char *match, const char *component)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(ix->db, "SELECT count(*) FROM fts WHERE fts MATCH ?1 AND (?2 IS NULL OR"
	                       " +rowid IN (SELECT entry FROM entry_components WHERE name = ?2))", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	if (component)
		sqlite3_bind_text(st, 2, component, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int kb_index_vocab(struct kb_index *ix, const char *from, const char *to, size_t minlen, size_t maxlen,
                   struct kb_counts *out, struct kb_err *err)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_exec(ix->db, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_vocab USING fts5vocab(main, fts, row)",
	                 NULL, NULL, NULL) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(ix->db, "SELECT term, doc FROM temp.kb_vocab WHERE term >= ?1 AND term < ?2"
	                             " AND length(CAST(term AS BLOB)) BETWEEN ?3 AND ?4", -1, &st, NULL)) != SQLITE_OK) {
		kb_index_error(ix->db, sqlite3_errcode(ix->db), "reading the vocabulary", err);
		return -1;
	}
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)minlen);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)maxlen);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kb_xgrow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
		out->v[out->n++] = (struct kb_count){.name = col_text(st, 0), .entries = sqlite3_column_int64(st, 1)};
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "reading the vocabulary", err);
		return -1;
	}
	return 0;
}

int kb_index_by_signature(struct kb_index *ix, const char *signature, long long **rowids, size_t *n,
                          struct kb_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = sqlite3_prepare_v2(ix->db, "SELECT DISTINCT entry FROM symptoms WHERE sig = ?1 LIMIT 100",
	                            -1, &st, NULL);
	*rowids = NULL;
	*n = 0;
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, kb_index_sig(signature));
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			kb_xgrow(rowids, &cap, *n + 1, sizeof **rowids);
			(*rowids)[(*n)++] = sqlite3_column_int64(st, 0);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "reading symptoms", err);
		return -1;
	}
	return 0;
}

void kb_counts_free(struct kb_counts *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].name);
		free(c->v[i].example);
	}
	free(c->v);
	memset(c, 0, sizeof *c);
}

static int counts(struct kb_index *ix, const char *sql, struct kb_counts *out, struct kb_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			kb_xgrow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
			out->v[out->n++] = (struct kb_count){
				.name = col_text(st, 0),
				.example = col_text(st, 1),
				.entries = sqlite3_column_int64(st, 2),
			};
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "reading the index", err);
		return -1;
	}
	return 0;
}

int kb_index_components(struct kb_index *ix, struct kb_counts *out, struct kb_err *err)
{
	return counts(ix, "SELECT name, NULL, count(*) FROM entry_components GROUP BY name ORDER BY name",
	              out, err);
}

/* Most entries first, then by name. */
static int cmp_count(const void *a, const void *b)
{
	const struct kb_count *x = a, *y = b;
	if (x->entries != y->entries)
		return x->entries > y->entries ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmp_useful(const void *a, const void *b)
{
	const struct kb_count *x = a, *y = b;
	if (x->useful != y->useful)
		return x->useful > y->useful ? -1 : 1;
	return cmp_count(a, b);
}

int kb_index_symptoms(struct kb_index *ix, struct kb_counts *out, struct kb_err *err)
{
	int rc = counts(ix, "SELECT NULL, min(text), count(DISTINCT entry) FROM symptoms GROUP BY sig", out, err);
	size_t n = 0;
	for (size_t i = 0; rc == 0 && i < out->n; i++) {
		struct kb_count *c = &out->v[i];
		double worth;
		c->name = kb_normalize(c->example, strlen(c->example));
		worth = kb_normalize_usefulness(c->name, c->example);
		if (worth <= 0) { /* EOF, FATAL, a lone number: nothing to paste */
			free(c->name);
			free(c->example);
			continue;
		}
		c->useful = worth * log2(2.0 + (double)c->entries);
		out->v[n++] = *c;
	}
	out->n = rc == 0 ? n : out->n;
	if (rc == 0 && out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, cmp_useful);
	return rc;
}

/* A man page's section, from its path "man:[LANG/]NAME(SECTION)", as SQL over notes n. */
#define MAN_SECTION_SQL "substr(n.path, instr(n.path, '(') + 1, length(n.path) - instr(n.path, '(') - 1)"

int kb_index_man_sections(struct kb_index *ix, struct kb_counts *out, struct kb_err *err)
{
	static const char sql[] = "SELECT " MAN_SECTION_SQL " AS s, count(*) FROM notes n WHERE n.source = 'man'"
	                          " AND instr(n.path, '(') > 0 GROUP BY s ORDER BY s";
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		kb_xgrow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
		out->v[out->n++] = (struct kb_count){.name = col_text(st, 0), .entries = sqlite3_column_int64(st, 1)};
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "reading the manual's sections", err);
		return -1;
	}
	return 0;
}

int kb_index_man_pages(struct kb_index *ix, const char *section, struct kb_hits *out, struct kb_err *err)
{
	static const char sql[] = "SELECT " HIT_COLUMNS " FROM " ENTRY_JOIN " WHERE n.source = 'man'"
	                          " AND e.anchor = '' AND " MAN_SECTION_SQL " = ?1 ORDER BY n.path";
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		kb_index_error(ix->db, rc, "listing the manual", err);
		return -1;
	}
	sqlite3_bind_text(st, 1, section, -1, SQLITE_STATIC);
	rc = collect(ix, st, out, err);
	sqlite3_finalize(st);
	return rc;
}

int kb_index_list(struct kb_index *ix, const char *component, const char *signature,
                  struct kb_hits *out, struct kb_err *err)
{
	static const char sql[] =
		"SELECT " HIT_COLUMNS " FROM " ENTRY_JOIN
		" WHERE (?1 IS NULL OR e.rowid IN (SELECT entry FROM entry_components WHERE name = ?1))"
		" AND (?2 IS NULL OR e.rowid IN (SELECT entry FROM symptoms WHERE sig = ?2))"
		" ORDER BY n.path, e.line";
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		kb_index_error(ix->db, rc, "listing", err);
		return -1;
	}
	if (component)
		sqlite3_bind_text(st, 1, component, -1, SQLITE_STATIC);
	if (signature)
		sqlite3_bind_int64(st, 2, kb_index_sig(signature));
	rc = collect(ix, st, out, err);
	sqlite3_finalize(st);
	return rc;
}

int kb_index_ids(struct kb_index *ix, struct kb_strv *out, struct kb_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ix->db, "SELECT " ID_SQL " AS id FROM " ENTRY_JOIN " ORDER BY id", -1, &st, NULL);
	if (rc == SQLITE_OK)
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			kb_strv_push(out, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "listing", err);
		return -1;
	}
	return 0;
}

int kb_index_file(struct kb_index *ix, const char *path, char **data, size_t *len, struct kb_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ix->db, "SELECT content FROM files WHERE path = ?1", -1, &st, NULL);
	int found = 0;
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*len = (size_t)sqlite3_column_bytes(st, 0);
			*data = kb_xstrndup(sqlite3_column_blob(st, 0) ? sqlite3_column_blob(st, 0) : "", *len);
			found = 1;
			rc = SQLITE_DONE;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "reading a file", err);
		return -1;
	}
	return found;
}

/* The first value of a one-column query with one text parameter, or NULL. */
static char *first_text(struct kb_index *ix, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	char *v = NULL;
	if (sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = col_text(st, 0);
	sqlite3_finalize(st);
	return v;
}

static char *first_text2(struct kb_index *ix, const char *sql, const char *a, const char *b)
{
	sqlite3_stmt *st;
	char *v = NULL;
	if (sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = col_text(st, 0);
	sqlite3_finalize(st);
	return v;
}

char *kb_index_resolve(struct kb_index *ix, const char *target, bool *is_entry)
{
	size_t plen = strcspn(target, "#");
	char *path = kb_xstrndup(target, plen), *v;
	*is_entry = true;
	if (!(v = first_text(ix, "SELECT " ID_SQL " FROM " ENTRY_JOIN " WHERE " NOTE_IS("?1") " AND e.anchor = ''", target)) &&
	    target[plen] == '#')
		v = first_text2(ix, "SELECT " ID_SQL " FROM " ENTRY_JOIN " WHERE " NOTE_IS("?1") " AND e.anchor = ?2", path,
		                target + plen + 1);
	if (!v)
		v = first_text(ix, "SELECT " ID_SQL " FROM " ENTRY_JOIN " WHERE " NOTE_IS("?1") " ORDER BY e.line LIMIT 1", path);
	if (!v) {
		*is_entry = false;
		v = first_text(ix, "SELECT path FROM files WHERE path = ?1", path);
	}
	free(path);
	return v;
}

char *kb_index_meta_get(struct kb_index *ix, const char *key)
{
	return kb_index_meta(ix->db, key);
}

const struct kb_note_rec *kb_note_rec_find(const struct kb_note_rec *v, size_t n, const char *path)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid].path, path);
		if (c == 0)
			return &v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void kb_note_recs_free(struct kb_note_rec *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

int kb_index_notes(struct kb_index *ix, struct kb_note_rec **v, size_t *n, struct kb_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = sqlite3_prepare_v2(ix->db, "SELECT path, size, mtime, hash, compiled, format FROM notes"
	                            " ORDER BY path",
	                            -1, &st, NULL);
	*v = NULL;
	*n = 0;
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		kb_xgrow(v, &cap, *n + 1, sizeof **v);
		(*v)[(*n)++] = (struct kb_note_rec){
			.path = col_text(st, 0),
			.st = {.size = sqlite3_column_int64(st, 1), .mtime_ns = sqlite3_column_int64(st, 2),
			       .hash = (uint64_t)sqlite3_column_int64(st, 3), .compiled = sqlite3_column_int(st, 4) != 0,
			       .format = (unsigned char)note_format(st, 5)},
		};
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "reading the notes", err);
		kb_note_recs_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int kb_index_link_targets(struct kb_index *ix, struct kb_strv *out, struct kb_err *err)
{
	return kb_index_link_targets_db(ix->db, out, err);
}

int kb_index_link_targets_db(sqlite3 *db, struct kb_strv *out, struct kb_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "SELECT DISTINCT target FROM entry_links ORDER BY target", -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		kb_strv_push(out, (const char *)sqlite3_column_text(st, 0));
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(db, rc, "reading links", err);
		return -1;
	}
	return 0;
}

int kb_index_hit(struct kb_index *ix, long long rowid, struct kb_hits *out, struct kb_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ix->db, "SELECT " HIT_COLUMNS " FROM " ENTRY_JOIN " WHERE e.rowid = ?1", -1, &st, NULL);
	if (rc != SQLITE_OK) {
		kb_index_error(ix->db, rc, "reading an entry", err);
		return -1;
	}
	sqlite3_bind_int64(st, 1, rowid);
	rc = collect(ix, st, out, err);
	sqlite3_finalize(st);
	return rc;
}

int kb_index_dictionary(struct kb_index *ix, void **dict, size_t *len)
{
	return kb_index_load_dict(ix->db, dict, len);
}

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

long long kb_index_sig(const char *signature)
{
	return (long long)kb_hash64(signature, strlen(signature));
}

