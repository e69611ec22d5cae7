/* test_guard.c - what guards a connection from a file someone else made (src/index_guard.c):
 * the schema kb expects is the one SQLite makes, anything else in a file is found, and a
 * statement that runs away ends within seconds. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/index_priv.h"
#include "harness.h"

/* The schema as the guard reads it from kb's statements is the one SQLite makes from them. */
static void expected_is_made(void)
{
	struct kb_strv read = {0}, made = {0};
	CHECK(kb_index_schema_rows(false, &read) == 0);
	CHECK(kb_index_schema_rows(true, &made) == 0);
	CHECK(read.n > 10);
	CHECK_INT(read.n, made.n);
	for (size_t i = 0; i < read.n && i < made.n; i++)
		CHECK_STR(read.v[i], made.v[i]);
	kb_strv_free(&read);
	kb_strv_free(&made);
}

/* A database in memory with kb's schema, changed by sql (NULL: none); the result of
 * kb_index_check_schema, what it said in why. */
static int check_after(const char *sql, struct kb_buf *why)
{
	sqlite3 *db;
	struct kb_err err;
	int rc = -2;
	if (!CHECK(kb_index_connect(":memory:", SQLITE_OPEN_READWRITE, &db, &err) == 0))
		return rc;
	CHECK(sqlite3_exec(db, kb_index_schema_sql, NULL, NULL, NULL) == SQLITE_OK);
	CHECK(sqlite3_exec(db, kb_index_indexes_sql, NULL, NULL, NULL) == SQLITE_OK);
	if (!sql || CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK))
		rc = kb_index_check_schema(db, why);
	sqlite3_close(db);
	return rc;
}

static void foreign_objects(void)
{
	static const struct {
		const char *sql, *why;
	} cases[] = {
		{"CREATE VIEW meta2 AS SELECT 1", "it has a view meta2"},
		{"CREATE TABLE aaa(x)", "it has a table aaa"},
		{"CREATE INDEX notes_path ON notes(path)", "it has an index notes_path"},
		{"CREATE TRIGGER t AFTER INSERT ON notes BEGIN SELECT 1; END", "it has a trigger t"},
		{"DROP INDEX symptoms_sig", "it has no index symptoms_sig"},
		{"DROP TABLE files", "it has no table files"},
		{"DROP TABLE files; CREATE TABLE files(path TEXT PRIMARY KEY, content BLOB DEFAULT (zeroblob(1e9)))"
		 " WITHOUT ROWID", "its table files is not kb's"},
		{"DROP TABLE meta; CREATE VIEW meta(key, value) AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL"
		 " SELECT x + 1 FROM c) SELECT 'schema', x FROM c", "it has no table meta"},
	};
	struct kb_buf why = {0};
	CHECK_INT(check_after(NULL, &why), 1);
	CHECK_INT(why.len, 0);
	for (size_t i = 0; i < KB_NELEM(cases); i++) {
		why.len = 0;
		CHECK_INT(check_after(cases[i].sql, &why), 0);
		CHECK_STR(why.s, cases[i].why);
	}
	kb_buf_free(&why);
}

/* A statement that never ends by itself is ended by the budget, within seconds of CPU time
 * (the machine may be shared: its wall-clock time says little). */
static void runaway(void)
{
	sqlite3 *db;
	struct kb_err err;
	struct timespec a, b;
	double secs;
	if (!CHECK(kb_index_connect(":memory:", SQLITE_OPEN_READWRITE, &db, &err) == 0))
		return;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	CHECK_INT(sqlite3_exec(db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
	                           " SELECT count(*) FROM c", NULL, NULL, NULL), SQLITE_INTERRUPT);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	if (!CHECK(secs < 30))
		printf("     the runaway statement took %.1f s\n", secs);
	CHECK(kb_index_guard_over(db));
	/* the next statement has a budget of its own */
	CHECK_INT(sqlite3_exec(db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100000)"
	                           " SELECT count(*) FROM c", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static bool stop_now(void *arg)
{
	return ++*(int *)arg > 3;
}

/* A stop check goes through the guard's handler, and the budget stays with it. */
static void stops(void)
{
	sqlite3 *db;
	struct kb_err err;
	int calls = 0;
	if (!CHECK(kb_index_connect(":memory:", SQLITE_OPEN_READWRITE, &db, &err) == 0))
		return;
	kb_index_guard_stop(db, stop_now, &calls);
	CHECK_INT(sqlite3_exec(db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
	                           " SELECT count(*) FROM c", NULL, NULL, NULL), SQLITE_INTERRUPT);
	CHECK_INT(calls, 4);
	CHECK(!kb_index_guard_over(db)); /* stopped, not over budget */
	kb_index_guard_stop(db, NULL, NULL);
	calls = 0;
	CHECK_INT(sqlite3_exec(db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100000)"
	                           " SELECT count(*) FROM c", NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(calls, 0);
	sqlite3_close(db);
}

/* Defensive, schema not trusted, no triggers. */
static void settings(void)
{
	sqlite3 *db;
	struct kb_err err;
	int on = -1;
	if (!CHECK(kb_index_connect(":memory:", SQLITE_OPEN_READWRITE, &db, &err) == 0))
		return;
	CHECK(sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, -1, &on) == SQLITE_OK && on == 1);
	CHECK(sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, -1, &on) == SQLITE_OK && on == 0);
	CHECK(sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, -1, &on) == SQLITE_OK && on == 0);
	sqlite3_close(db);
}

SUITE(guard)
{
	expected_is_made();
	foreign_objects();
	runaway();
	stops();
	settings();
}
