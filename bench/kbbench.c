/* kbbench.c - the benchmark's timing driver: in-process searches through libkb, the raw
 * FTS5 floor under them, and whole processes (kb, grep, rg, the sqlite3 shell) timed with
 * their peak memory.
 *
 *   kbbench search DB QUERIES REPS     kb_search_run() per query, as `kb search` calls it
 *                                      (limit 20, snippets), plus the same MATCH through
 *                                      bare FTS5 and through kb's own SQL, in this process
 *                                      (KBBENCH_BASELINES=0: kb's searches alone)
 *   kbbench procs REPS CMDS            runs each command of CMDS (lines: label TAB argv0 TAB
 *                                      argv1 …) REPS times, round robin after a warm-up
 *                                      round (KBBENCH_WARMUP=all|one|none); stdout goes to
 *                                      KBBENCH_OUT (a file, so that grep cannot take the
 *                                      /dev/null shortcut), stderr to /dev/null; the shell
 *                                      command KBBENCH_PREP, if set, runs untimed before
 *                                      each run
 *   kbbench match QUERIES              the MATCH text kb's first FTS5 query uses, per query
 *   kbbench stats                      numbers (one a line) on stdin to n/p50/p99/…
 *   kbbench machine                    the machine's speed at the moment: nanoseconds a
 *                                      random read within 256 KiB, 4 MiB and 64 MiB, and
 *                                      for eight independent multiplies
 *
 * Output lines are tab-separated for bench/run.sh: "stat LABEL n p50 p99 p25 p75 min max
 * maxrss_kb" with times in milliseconds. Samples are wall-clock (CLOCK_MONOTONIC); peak
 * RSS comes from wait4() (children) or getrusage() (this process). */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kb/index.h"
#include "kb/normalize.h"
#include "kb/query.h"
#include "kb/search.h"
#include "kb/tokenizer.h"
#include "kb/width.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- samples and their statistics ---------------------------------------------------------- */

struct samples {
	char *label;
	double *v;
	size_t n, cap;
	long maxrss_kb;
	size_t failed; /* processes that exited with 2 or more, or were killed */
};

struct sets {
	struct samples *v;
	size_t n, cap;
};

static struct samples *set_of(struct sets *s, const char *label)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].label, label) == 0)
			return &s->v[i];
	kb_xgrow(&s->v, &s->cap, s->n + 1, sizeof *s->v);
	memset(&s->v[s->n], 0, sizeof s->v[s->n]);
	s->v[s->n].label = kb_xstrdup(label);
	return &s->v[s->n++];
}

static void add(struct samples *s, double ms)
{
	kb_xgrow(&s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n++] = ms;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v[0..n). */
static double pct(const double *v, size_t n, double p)
{
	size_t k = (size_t)ceil(p / 100.0 * (double)n);
	return n ? v[k ? k - 1 : 0] : 0;
}

static void print_stat(const char *prefix, struct samples *s)
{
	double *v = s->v;
	size_t n = s->n;
	if (n)
		qsort(v, n, sizeof *v, cmp_double);
	printf("stat\t%s%s\t%zu\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%ld\t%zu\n", prefix, s->label, n, pct(v, n, 50),
	       pct(v, n, 99), pct(v, n, 25), pct(v, n, 75), n ? v[0] : 0, n ? v[n - 1] : 0, s->maxrss_kb, s->failed);
}

/* ---- queries ----------------------------------------------------------------------------------- */

struct query {
	char *kind, *want, *text, *source;
};

struct queries {
	struct query *v;
	size_t n, cap;
};

static char *field(char **p)
{
	char *s = *p, *t = strchr(s, '\t');
	if (t) {
		*t = '\0';
		*p = t + 1;
	} else {
		*p = s + strlen(s);
	}
	return kb_xstrdup(s);
}

static void read_queries(const char *path, struct queries *q)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	if (!f) {
		fprintf(stderr, "kbbench: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	while (fgets(line, sizeof line, f)) {
		char *p = line;
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		kb_xgrow(&q->v, &q->cap, q->n + 1, sizeof *q->v);
		q->v[q->n].kind = field(&p);
		q->v[q->n].want = field(&p);
		q->v[q->n].text = field(&p);
		q->v[q->n].source = field(&p);
		q->n++;
	}
	fclose(f);
}

/* The MATCH text of kb's first FTS5 query for this text. Words: kb_query_match (what
 * `kb debug query` prints as "all:"). A pasted log line (kb_query_is_logline): the
 * candidate query of kb_search_log (kb_search_log_match). Caller frees; NULL when there is
 * nothing to search. */
static char *match_text(struct kb_index *ix, const char *text, bool *logline)
{
	*logline = kb_query_is_logline(text);
	if (*logline) {
		return kb_search_log_match(ix, text);
	} else {
		struct kb_query *q = kb_query_parse(text, 0);
		char *m = kb_query_match(q, KB_QUERY_ALL);
		kb_query_free(q);
		return m;
	}
}

static int cmd_match(int argc, char **argv)
{
	struct queries q = {0};
	struct kb_index *ix;
	struct kb_err err;
	if (argc != 2)
		return 2;
	if (kb_index_open(argv[0], &ix, &err) != 0) {
		fprintf(stderr, "kbbench: %s\n", err.msg);
		return 2;
	}
	read_queries(argv[1], &q);
	for (size_t i = 0; i < q.n; i++) {
		bool logline;
		char *m = match_text(ix, q.v[i].text, &logline);
		printf("%s\t%s\t%s\n", q.v[i].kind, logline ? "log" : "all", m ? m : "");
		free(m);
	}
	kb_index_close(ix);
	return 0;
}

/* ---- in-process searches ----------------------------------------------------------------- */

/* kb's search statement (index_search.c, kb_index_search, with its HIT_COLUMNS), copied to
 * time it on its own: keep the two the same. The id, title and section kb then reads from
 * the pack in C are not read here. */
static const char kb_sql[] =
	"SELECT e.rowid, n.path, e.line, e.components, n.source,"
	" coalesce((SELECT r.refs FROM note_refs r WHERE r.note = n.id), 0),"
	" coalesce(e.body, (SELECT p.body FROM entries p WHERE p.rowid = e.rowid - e.back)), e.at, e.len, fts.rank,"
	" CASE WHEN ?5 THEN snippet(fts, -1, char(2), char(3), '…', 24) END"
	" FROM fts JOIN entries e ON e.rowid = fts.rowid JOIN notes n ON n.id = e.note"
	" WHERE fts MATCH ?1 AND fts.rank MATCH ?6"
	" AND (?2 IS NULL OR e.rowid IN (SELECT entry FROM entry_components WHERE name = ?2))"
	" ORDER BY fts.rank LIMIT ?3 OFFSET ?4";
static const char bare_sql[] = "SELECT rowid FROM fts WHERE fts MATCH ?1 ORDER BY rank LIMIT ?3";
/* How many rows FTS5 ranks for the query: ORDER BY rank scores every one of them. */
static const char count_sql[] = "SELECT count(*) FROM fts WHERE fts MATCH ?1";

static int run_sql(sqlite3_stmt *st, const char *match, bool logline)
{
	int rc, rows = 0;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, logline ? 40 : 20); /* search.c: LOG_CANDIDATES, or the CLI's -n 20 */
	if (sqlite3_bind_parameter_count(st) >= 6) {
		sqlite3_bind_int64(st, 4, 0);
		sqlite3_bind_int(st, 5, !logline);
		sqlite3_bind_text(st, 6, logline ? "kbrank(40, 10.0, 4.0, 6.0, 5.0, 1.0)"
		                                 : "kbrank(20, 10.0, 4.0, 6.0, 5.0, 1.0)", -1, SQLITE_STATIC);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		rows++;
	return rc == SQLITE_DONE ? rows : -1;
}

static bool has_source(const struct kb_hits *h, const char *source)
{
	size_t n = strlen(source);
	for (size_t i = 0; i < h->n; i++)
		if (strncmp(h->v[i].id, source, n) == 0 && (h->v[i].id[n] == '\0' || h->v[i].id[n] == '#'))
			return true;
	return false;
}

static int cmd_search(int argc, char **argv)
{
	struct queries q = {0};
	struct kb_index *ix;
	struct kb_err err;
	struct sets kb = {0}, bare = {0}, ksql = {0};
	sqlite3 *db;
	sqlite3_stmt *st_bare, *st_kb, *st_count;
	char **match;
	bool *logline;
	size_t *hits, *found, reps;
	long long *matched;
	struct rusage ru;
	double t0;
	bool baselines; /* bare FTS5 and kb's SQL beside each query (KBBENCH_BASELINES=0: not) */
	if (argc != 3)
		return 2;
	reps = (size_t)atol(argv[2]);
	baselines = !getenv("KBBENCH_BASELINES") || strcmp(getenv("KBBENCH_BASELINES"), "0") != 0;
	read_queries(argv[1], &q);
	t0 = now_ms();
	if (kb_index_open(argv[0], &ix, &err) != 0) {
		fprintf(stderr, "kbbench: %s\n", err.msg);
		return 2;
	}
	printf("open\t%.3f\n", now_ms() - t0);
	if (sqlite3_open_v2(argv[0], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    kb_index_register_sql(db, &err) != 0 || sqlite3_prepare_v2(db, bare_sql, -1, &st_bare, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, kb_sql, -1, &st_kb, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, count_sql, -1, &st_count, NULL) != SQLITE_OK) {
		fprintf(stderr, "kbbench: %s: %s\n", argv[0], sqlite3_errmsg(db));
		return 2;
	}
	match = kb_xcalloc(q.n, sizeof *match);
	logline = kb_xcalloc(q.n, sizeof *logline);
	hits = kb_xcalloc(q.n, sizeof *hits);
	found = kb_xcalloc(q.n, sizeof *found);
	matched = kb_xcalloc(q.n, sizeof *matched);
	for (size_t i = 0; i < q.n; i++) {
		match[i] = match_text(ix, q.v[i].text, &logline[i]);
		sqlite3_reset(st_count);
		sqlite3_bind_text(st_count, 1, match[i], -1, SQLITE_STATIC);
		matched[i] = match[i] && sqlite3_step(st_count) == SQLITE_ROW ? sqlite3_column_int64(st_count, 0) : 0;
	}
	for (size_t r = 0; r <= reps; r++) { /* round 0 warms the page cache and is not counted */
		for (size_t i = 0; i < q.n; i++) {
			struct kb_search_opts so = {.text = q.v[i].text, .limit = 20, .snippets = true};
			struct kb_search_result res;
			double t = now_ms(), dt;
			if (kb_search_run(ix, &so, &res, &err) != 0) {
				fprintf(stderr, "kbbench: %s: %s\n", q.v[i].text, err.msg);
				return 2;
			}
			dt = now_ms() - t;
			if (r == 0) {
				hits[i] = res.hits.n;
				found[i] = strcmp(q.v[i].source, "-") != 0 && has_source(&res.hits, q.v[i].source);
			} else {
				add(set_of(&kb, q.v[i].kind), dt);
			}
			kb_search_result_free(&res);
			if (!match[i] || !baselines)
				continue;
			t = now_ms();
			if (run_sql(st_bare, match[i], logline[i]) < 0)
				fprintf(stderr, "kbbench: bare FTS5 on %s: %s\n", match[i], sqlite3_errmsg(db));
			if (r)
				add(set_of(&bare, q.v[i].kind), now_ms() - t);
			t = now_ms();
			if (run_sql(st_kb, match[i], logline[i]) < 0)
				fprintf(stderr, "kbbench: kb SQL on %s: %s\n", match[i], sqlite3_errmsg(db));
			if (r)
				add(set_of(&ksql, q.v[i].kind), now_ms() - t);
		}
	}
	getrusage(RUSAGE_SELF, &ru);
	for (size_t i = 0; i < kb.n; i++) {
		kb.v[i].maxrss_kb = ru.ru_maxrss;
		print_stat("inproc.", &kb.v[i]);
	}
	for (size_t i = 0; i < bare.n; i++)
		print_stat("fts-bare.", &bare.v[i]);
	for (size_t i = 0; i < ksql.n; i++)
		print_stat("fts-kbsql.", &ksql.v[i]);
	for (size_t i = 0; i < q.n; i++)
		printf("query\t%s\t%s\t%zu\t%s\t%lld\t%s\n", q.v[i].kind, q.v[i].want, hits[i],
		       found[i] ? "found" : "-", matched[i], q.v[i].text);
	sqlite3_finalize(st_bare);
	sqlite3_finalize(st_kb);
	sqlite3_finalize(st_count);
	sqlite3_close(db);
	kb_index_close(ix);
	return 0;
}

/* ---- whole processes -------------------------------------------------------------------- */

struct cmd {
	char *label;
	char **argv;
};

static void read_cmds(const char *path, struct cmd **out, size_t *n)
{
	FILE *f = fopen(path, "r");
	char line[16384];
	size_t cap = 0;
	if (!f) {
		fprintf(stderr, "kbbench: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	*n = 0;
	while (fgets(line, sizeof line, f)) {
		char *p = line;
		size_t na = 0, capa = 0;
		struct cmd c = {0};
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		c.label = field(&p);
		do {
			kb_xgrow(&c.argv, &capa, na + 2, sizeof *c.argv);
			c.argv[na++] = field(&p);
		} while (*p);
		kb_xgrow(&c.argv, &capa, na + 1, sizeof *c.argv);
		c.argv[na] = NULL;
		kb_xgrow(out, &cap, *n + 1, sizeof **out);
		(*out)[(*n)++] = c;
	}
	fclose(f);
}

/* Runs argv with stdin from /dev/null, stdout to `out` (truncated), stderr to /dev/null.
 * Returns the wall time in ms; *rss_kb and *status are filled. */
static double run_once(char **argv, const char *out, long *rss_kb, int *status)
{
	struct rusage ru;
	double t = now_ms();
	pid_t pid = fork();
	if (pid < 0) {
		perror("kbbench: fork");
		exit(2);
	}
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY), o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open("/dev/null", O_WRONLY);
		if (in < 0 || o < 0 || e < 0)
			_exit(127);
		dup2(in, 0);
		dup2(o, 1);
		if (!getenv("KBBENCH_STDERR"))
			dup2(e, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, status, 0, &ru) < 0) {
		perror("kbbench: wait4");
		exit(2);
	}
	t = now_ms() - t;
	*rss_kb = ru.ru_maxrss;
	return t;
}

static int cmd_procs(int argc, char **argv)
{
	struct cmd *c;
	struct sets sets = {0};
	size_t n, reps;
	const char *out = getenv("KBBENCH_OUT") ? getenv("KBBENCH_OUT") : "/tmp/kbbench.out";
	if (argc != 2)
		return 2;
	reps = (size_t)atol(argv[0]);
	read_cmds(argv[1], &c, &n);
	/* Round 0 warms up and is not counted: every command (KBBENCH_WARMUP=all, the
	 * default), only the first (one) or none. */
	const char *warm = getenv("KBBENCH_WARMUP") ? getenv("KBBENCH_WARMUP") : "all";
	/* KBBENCH_PREP: a shell command run, untimed, before each run of each command */
	char *prep = getenv("KBBENCH_PREP"), sh[] = "/bin/sh", dash_c[] = "-c";
	char *prep_argv[] = {sh, dash_c, prep, NULL};
	for (size_t r = 0; r <= reps; r++) {
		for (size_t i = 0; i < n; i++) {
			struct samples *s = set_of(&sets, c[i].label);
			long rss;
			int status;
			double t;
			if (r == 0 && (strcmp(warm, "none") == 0 || (strcmp(warm, "one") == 0 && i > 0)))
				continue;
			if (prep) /* untimed, before each run */
				run_once(prep_argv, out, &rss, &status);
			t = run_once(c[i].argv, out, &rss, &status);
			if (r == 0)
				continue;
			add(s, t);
			if (rss > s->maxrss_kb)
				s->maxrss_kb = rss;
			if (!WIFEXITED(status) || WEXITSTATUS(status) >= 2) {
				s->failed++;
				if (s->failed == 1)
					fprintf(stderr, "kbbench: %s exited with status %d\n", c[i].argv[0],
					        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
			}
		}
	}
	for (size_t i = 0; i < sets.n; i++)
		print_stat("", &sets.v[i]);
	return 0;
}

/* ---- the machine's speed at the moment ------------------------------------------------ */

/* Nanoseconds a read in a random walk over bytes of memory, one pointer to a 64-byte line:
 * each read waits for the one before, so it takes what the level of the memory hierarchy
 * holding that many bytes takes (with the TLB misses of a walk that large). */
static double walk_ns(size_t bytes)
{
	size_t n = bytes / 64, p = 0, steps = 2000000;
	size_t *order = malloc(n * sizeof *order), *line = aligned_alloc(64, n * 64);
	uint64_t x = 88172645463325252u;
	double t0, t1;
	if (!order || !line) {
		free(order);
		free(line);
		return NAN;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n - 1; i > 0; i--) { /* a random cycle through every line */
		size_t j, t;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		j = (size_t)(x % (i + 1));
		t = order[i], order[i] = order[j], order[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		line[order[i] * 8] = order[(i + 1) % n] * 8;
	for (size_t k = 0; k < n; k++) /* once round, to bring it in */
		p = line[p];
	t0 = now_ms();
	for (size_t k = 0; k < steps; k++)
		p = line[p];
	t1 = now_ms();
	free(order);
	free(line);
	return (t1 - t0) * 1e6 / (double)steps + (p == SIZE_MAX ? 1 : 0);
}

/* Nanoseconds for eight independent 64-bit multiplies: the core's arithmetic throughput. */
static double mul_ns(void)
{
	volatile uint64_t sink;
	uint64_t h[8] = {1, 2, 3, 4, 5, 6, 7, 8}, rounds = 100000000, sum = 0;
	double t0 = now_ms(), t1;
	for (uint64_t k = 0; k < rounds; k++)
#pragma GCC unroll 8
		for (int j = 0; j < 8; j++)
			h[j] = (h[j] ^ k) * 1099511628211u;
	t1 = now_ms();
	for (int j = 0; j < 8; j++)
		sum += h[j];
	sink = sum;
	(void)sink;
	return (t1 - t0) * 1e6 / (double)rounds;
}

/* One line, "L2 L3 DRAM MUL" in nanoseconds: the same machine runs the same work at
 * different speeds from one quarter hour to the next, and this says how fast it was. */
static int cmd_machine(void)
{
	printf("%.1f %.1f %.1f %.2f\n", walk_ns(256u << 10), walk_ns(4u << 20), walk_ns(64u << 20), mul_ns());
	return 0;
}

static int cmd_stats(int argc, char **argv)
{
	static char deflabel[] = "stdin";
	struct samples s = {.label = argc > 0 ? argv[0] : deflabel};
	double x;
	while (scanf("%lf", &x) == 1)
		add(&s, x);
	print_stat("", &s);
	return 0;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	kb_width_init();
	if (argc >= 2 && strcmp(argv[1], "search") == 0)
		return cmd_search(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "procs") == 0)
		return cmd_procs(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "match") == 0)
		return cmd_match(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "stats") == 0)
		return cmd_stats(argc - 2, argv + 2);
	if (argc == 2 && strcmp(argv[1], "machine") == 0)
		return cmd_machine();
	fprintf(stderr, "usage: kbbench search DB QUERIES REPS | procs REPS CMDS | match QUERIES | stats [LABEL]"
	                " | machine\n");
	return 2;
}
