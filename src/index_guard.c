/* index_guard.c - what stands between kb and an index file someone else may have made (indexes
 * travel between hosts): the connection's safety settings, the check that the file holds
 * kb's schema and nothing else, and the budget that ends a statement that runs away. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "index_priv.h"
#include "kb/tokenizer.h"

/* ---- the budget ------------------------------------------------------------------------
 * SQLite calls the progress handler every GUARD_TICK instructions of its virtual machine
 * in any statement on the connection, those FTS5 and kb_body() run inside a statement of
 * kb's included. A statement of kb's, with all it runs, may take GUARD_BASE instructions
 * and GUARD_PER_BYTE more for each byte the file holds: the work of kb's statements grows
 * with the index, and none of them is recursive. The heaviest ones (a full build's flush of
 * FTS5's terms, a search by prefix for every hit, kb debug verify's checks) take a small
 * fraction of an instruction for each byte of the index (measured on the bench's corpora:
 * bench/RESULTS.md), so the budget leaves them a margin of more than tenfold
 * at any size, a million entries included. A statement that runs away (a recursive view, a
 * loop in a crafted file) hits it instead of never ending: within seconds on a small file,
 * since SQLite runs tens of millions of instructions a second. The statement then ends
 * with SQLITE_INTERRUPT, which kb_index_error reports as a damaged index. */
#define GUARD_TICK 1000
#define GUARD_BASE 200000000ull
#define GUARD_PER_BYTE 2ull
/* Instructions between two calls while a stop check is set (kb_index_guard_stop): often
 * enough that a search stopped for a newer one ends well within a frame, rarely enough
 * that the calls cost nothing measurable. */
#define GUARD_STOP_TICK 10

/* One a connection, found by it (guard_of); freed when it closes. */
struct guard {
	sqlite3 *db;
	unsigned long long spent, budget; /* instructions, since the statement of kb's began */
	int every;                        /* instructions between two calls of guard_progress */
	bool over;                        /* the last statement ended over its budget */
	bool (*stop)(void *arg);          /* kb_index_guard_stop */
	void *stop_arg;
	struct guard *next;
};

static struct guard *guards;
static pthread_mutex_t guards_mu = PTHREAD_MUTEX_INITIALIZER;

static struct guard *guard_of(sqlite3 *db)
{
	struct guard *g;
	pthread_mutex_lock(&guards_mu);
	for (g = guards; g && g->db != db; g = g->next)
		;
	pthread_mutex_unlock(&guards_mu);
	return g;
}

static void guard_drop(struct guard *g)
{
	pthread_mutex_lock(&guards_mu);
	for (struct guard **p = &guards; *p; p = &(*p)->next) {
		if (*p == g) {
			*p = g->next;
			break;
		}
	}
	pthread_mutex_unlock(&guards_mu);
	free(g);
}

/* The connection's one progress handler: every reason to end a statement early is here. */
static int guard_progress(void *p)
{
	struct guard *g = p;
	if ((g->spent += (unsigned)g->every) > g->budget) {
		g->over = true;
		return 1;
	}
	return g->stop && g->stop(g->stop_arg);
}

/* The instructions a statement may take on db now. */
static unsigned long long budget_of(sqlite3 *db)
{
	sqlite3_file *f = NULL;
	sqlite3_int64 size = 0;
	if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f || !f->pMethods ||
	    f->pMethods->xFileSize(f, &size) != SQLITE_OK || size < 0)
		size = 0;
	return GUARD_BASE + GUARD_PER_BYTE * (unsigned long long)size;
}

/* Whether a statement other than self is running on db: then self runs inside it (FTS5
 * reading its tables, the content view) or interleaved with it, and shares its budget. */
static bool other_running(sqlite3 *db, sqlite3_stmt *self)
{
	for (sqlite3_stmt *s = sqlite3_next_stmt(db, NULL); s; s = sqlite3_next_stmt(db, s))
		if (s != self && sqlite3_stmt_busy(s))
			return true;
	return false;
}

static int guard_trace(unsigned type, void *p, void *stmt, void *x)
{
	struct guard *g = p;
	if (type == SQLITE_TRACE_CLOSE) {
		guard_drop(g);
	} else if (type == SQLITE_TRACE_STMT && strncmp(x, "--", 2) != 0 && /* not a trigger's */
	           !other_running(g->db, stmt)) {
		g->spent = 0; /* a new statement of kb's: a new budget */
		g->over = false;
		g->budget = budget_of(g->db);
	}
	return 0;
}

int kb_index_guard(sqlite3 *db)
{
	struct guard *g = kb_xcalloc(1, sizeof *g);
	int rc;
	g->db = db;
	g->budget = GUARD_BASE;
	g->every = GUARD_TICK;
	/* freed with the connection (SQLITE_TRACE_CLOSE) */
	if ((rc = sqlite3_trace_v2(db, SQLITE_TRACE_STMT | SQLITE_TRACE_CLOSE, guard_trace, g)) != SQLITE_OK) {
		free(g);
		return rc;
	}
	pthread_mutex_lock(&guards_mu);
	g->next = guards;
	guards = g;
	pthread_mutex_unlock(&guards_mu);
	sqlite3_progress_handler(db, g->every, guard_progress, g);
	/* Defensive: no SQL may corrupt the file on purpose. Schema not trusted: a function a
	 * view, trigger or index of the file calls must be one registered as innocuous (kb's
	 * own pure functions are). No triggers: kb makes none, so none of a file's may fire. */
	if ((rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL)) != SQLITE_OK)
		return rc;
	return SQLITE_OK;
}

void kb_index_guard_stop(sqlite3 *db, bool (*stop)(void *arg), void *arg)
{
	struct guard *g = guard_of(db);
	if (!g)
		return;
	g->stop = stop;
	g->stop_arg = arg;
	g->every = stop ? GUARD_STOP_TICK : GUARD_TICK;
	sqlite3_progress_handler(db, g->every, guard_progress, g);
}

bool kb_index_guard_over(sqlite3 *db)
{
	struct guard *g = guard_of(db);
	return g && g->over;
}

/* ---- the schema ------------------------------------------------------------------------
 * What a file must hold: the objects kb_index_schema_sql and kb_index_indexes_sql create,
 * each with the very text SQLite stores for it (its statement, without the semicolon), and
 * the tables FTS5 makes for each of its virtual tables. Each object is a row of type, name,
 * table and SQL text in one string, the columns parted by the unit separator, which the SQL
 * kb writes never holds: a file's row equals one of these only when each column does.
 * Read from the statements themselves, not from a database they are run in: making one in
 * memory would cost more than the search it guards. tests/unit checks that SQLite makes
 * exactly these. */

#define SCHEMA_SQL "SELECT type, name, tbl_name, sql FROM main.sqlite_schema"
#define SEP "\037"

/* The tables FTS5 (with external content, as kb's) keeps a virtual table in: the suffix of
 * the name and what follows the name in the statement that makes it. */
static const char *const fts5_tables[][2] = {
	{"config", "(k PRIMARY KEY, v) WITHOUT ROWID"},
	{"data", "(id INTEGER PRIMARY KEY, block BLOB)"},
	{"docsize", "(id INTEGER PRIMARY KEY, sz BLOB)"},
	{"idx", "(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID"},
};

static struct kb_strv expected;
static pthread_once_t expected_once = PTHREAD_ONCE_INIT;

/* The length of a schema row's type and name, their separator included. */
static size_t object_len(const char *row)
{
	size_t n = strcspn(row, SEP);
	return row[n] ? n + 1 + strcspn(row + n + 1, SEP) : n;
}

/* Tables first, then views, triggers and indexes: the first object that differs is then the
 * one that tells most (a dropped table takes its indexes with it). */
static int type_rank(const char *row)
{
	static const char *const types[] = {"table" SEP, "view" SEP, "trigger" SEP, "index" SEP};
	for (size_t i = 0; i < KB_NELEM(types); i++)
		if (strncmp(row, types[i], strlen(types[i])) == 0)
			return (int)i;
	return (int)KB_NELEM(types);
}

/* The order of schema rows: by type (type_rank), then type and name as bytes. */
static int cmp_object(const char *a, const char *b)
{
	size_t na = object_len(a), nb = object_len(b);
	int c = type_rank(a) - type_rank(b);
	if (!c)
		c = memcmp(a, b, na < nb ? na : nb);
	return c ? c : (na > nb) - (na < nb);
}

static int cmp_rows(const void *a, const void *b)
{
	return cmp_object(*(char *const *)a, *(char *const *)b);
}

/* The name at *p (kb's are bare identifiers), after any blanks; *p moves past it. */
static char *take_name(const char **p)
{
	const char *s = *p + strspn(*p, " "), *e = s;
	while ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9') || *e == '_')
		e++;
	*p = e;
	return kb_xstrndup(s, (size_t)(e - s));
}

/* row, then SEP, a, SEP and b: row freed, the result returned (caller frees). */
static char *join3(char *row, const char *a, const char *b)
{
	char *ra = kb_xjoin(row, SEP, a), *r = kb_xjoin(ra, SEP, b);
	free(row);
	free(ra);
	return r;
}

/* Adds the rows of one statement of kb's, sql[0..n) ("CREATE TABLE name(...", "CREATE
 * INDEX name ON table(...", ...; anything else makes no object). */
static void expect_statement(const char *sql, size_t n)
{
	static const struct {
		const char *head, *type;
	} kinds[] = {
		{"CREATE TABLE ", "table"}, {"CREATE VIEW ", "view"}, {"CREATE INDEX ", "index"},
		{"CREATE UNIQUE INDEX ", "index"}, {"CREATE TRIGGER ", "trigger"}, {"CREATE VIRTUAL TABLE ", "table"},
	};
	char *text = kb_xstrndup(sql, n), *name, *table;
	const char *p = text;
	for (size_t k = 0; k < KB_NELEM(kinds); k++) {
		if (strncmp(text, kinds[k].head, strlen(kinds[k].head)) != 0)
			continue;
		p += strlen(kinds[k].head);
		name = take_name(&p);
		if (strcmp(kinds[k].type, "index") == 0 || strcmp(kinds[k].type, "trigger") == 0)
			p = strstr(p, " ON "); /* they belong to the table after ON */
		else
			p = NULL;
		table = p ? (p += 4, take_name(&p)) : kb_xstrdup(name);
		kb_strv_push_own(&expected, kb_xjoin(kinds[k].type, SEP, name));
		expected.v[expected.n - 1] = join3(expected.v[expected.n - 1], table, text);
		for (size_t t = 0; k == KB_NELEM(kinds) - 1 && strstr(text, " USING fts5(") && t < KB_NELEM(fts5_tables); t++)
			kb_strv_push_own(&expected, kb_xasprintf("table" SEP "%s_%s" SEP "%s_%s" SEP "CREATE TABLE '%s_%s'%s", name,
			                                         fts5_tables[t][0], name, fts5_tables[t][0], name,
			                                         fts5_tables[t][0], fts5_tables[t][1]));
		free(name);
		free(table);
		break;
	}
	free(text);
}

/* Cuts SQL into its statements (at semicolons outside quotes) and adds their rows. */
static void expect_script(const char *sql)
{
	while (*sql) {
		const char *p = sql;
		char quote = 0;
		for (; *p && (quote || *p != ';'); p++)
			quote = quote ? (*p == quote ? 0 : quote) : (*p == '\'' || *p == '"') ? *p : 0;
		expect_statement(sql, (size_t)(p - sql));
		sql = *p ? p + 1 : p;
	}
}

static void make_expected(void)
{
	expect_script(kb_index_schema_sql);
	expect_script(kb_index_indexes_sql);
	qsort(expected.v, expected.n, sizeof *expected.v, cmp_rows);
}

/* The row of st (SCHEMA_SQL) as one string. Caller frees. */
static char *schema_row(sqlite3_stmt *st)
{
	struct kb_buf b = {0};
	for (int i = 0; i < 4; i++) {
		const char *s = (const char *)sqlite3_column_text(st, i);
		if (i)
			kb_buf_putc(&b, SEP[0]);
		kb_buf_put(&b, s ? s : "", s ? (size_t)sqlite3_column_bytes(st, i) : 0);
	}
	return kb_buf_take(&b);
}

/* Appends the schema rows of db to out, sorted (cmp_object). Returns an SQLite result code. */
static int read_schema(sqlite3 *db, struct kb_strv *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, SCHEMA_SQL, -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		kb_strv_push_own(out, schema_row(st));
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, cmp_rows);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Appends to why what is wrong with the object of a schema row: one too many (how 1), one
 * missing (-1), or one that differs (0). */
static void describe(struct kb_buf *why, const char *row, int how)
{
	size_t type = strcspn(row, SEP), name = strcspn(row + type + 1, SEP);
	if (how == 0)
		kb_buf_printf(why, "its %.*s %.*s is not kb's", (int)type, row, (int)name, row + type + 1);
	else
		kb_buf_printf(why, "it has %s %.*s %.*s", how < 0 ? "no" : row[0] == 'i' ? "an" : "a", (int)type, row,
		              (int)name, row + type + 1);
}

int kb_index_check_schema(sqlite3 *db, struct kb_buf *why)
{
	struct kb_strv have = {0};
	size_t i = 0, j = 0;
	int same = 1;
	pthread_once(&expected_once, make_expected);
	if (read_schema(db, &have) != SQLITE_OK) {
		kb_strv_free(&have);
		return -1;
	}
	if (have.n == 0) {
		kb_buf_puts(why, "it is empty");
		same = 0;
	}
	/* both sorted alike: the first object that differs */
	while (same && (i < have.n || j < expected.n)) {
		int c = i == have.n ? 1 : j == expected.n ? -1 : cmp_object(have.v[i], expected.v[j]);
		same = c == 0 && strcmp(have.v[i], expected.v[j]) == 0;
		if (!same)
			describe(why, c > 0 ? expected.v[j] : have.v[i], c < 0 ? 1 : c > 0 ? -1 : 0);
		i++, j++;
	}
	kb_strv_free(&have);
	return same;
}

bool kb_index_object_is_kbs(sqlite3 *db, const char *type, const char *name)
{
	sqlite3_stmt *st;
	bool same = false;
	pthread_once(&expected_once, make_expected);
	if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM main.sqlite_schema WHERE type = ?1 AND name = ?2",
	                       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			char *row = schema_row(st);
			same = kb_strv_has(&expected, row) && sqlite3_step(st) == SQLITE_DONE; /* one of the name */
			free(row);
		}
	}
	sqlite3_finalize(st);
	return same;
}

int kb_index_schema_rows(bool made, struct kb_strv *out)
{
	sqlite3 *db = NULL;
	struct kb_err err;
	int rc;
	if (!made) {
		pthread_once(&expected_once, make_expected);
		for (size_t i = 0; i < expected.n; i++)
			kb_strv_push(out, expected.v[i]);
		return 0;
	}
	rc = kb_index_connect(":memory:", SQLITE_OPEN_READWRITE, &db, &err) == 0 &&
	     sqlite3_exec(db, kb_index_schema_sql, NULL, NULL, NULL) == SQLITE_OK &&
	     sqlite3_exec(db, kb_index_indexes_sql, NULL, NULL, NULL) == SQLITE_OK && read_schema(db, out) == SQLITE_OK
	     ? 0 : -1;
	sqlite3_close(db);
	return rc;
}
