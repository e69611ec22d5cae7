/* test_rank.c - kbrank (src/index_rank.c) against FTS5's own bm25 on the same index: for
 * any K the K best rows, their order and their scores are bm25's, to the last bit. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/index_priv.h"
#include "harness.h"
#include "kb/build.h"

static char dir[] = "/tmp/kbrank.XXXXXX";

/* Up to k (rowid, score) of match ranked by the rank function rank ("bm25(…)" or
 * "kbrank(…)"); returns how many. armed: between kb_index_rank_begin() and _scale(), the
 * scores multiplied by the scale, as kb_index_search has them. */
static int ranked(sqlite3 *db, const char *match, const char *rank, int k, long long *rowid, double *score,
                  bool armed)
{
	sqlite3_stmt *st;
	int n = 0;
	if (sqlite3_prepare_v2(db, "SELECT rowid, rank FROM fts WHERE fts MATCH ?1 AND rank MATCH ?2"
	                       " ORDER BY rank LIMIT ?3", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rank, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, k);
	if (armed)
		kb_index_rank_begin();
	while (n < k && sqlite3_step(st) == SQLITE_ROW) {
		rowid[n] = sqlite3_column_int64(st, 0);
		score[n++] = -sqlite3_column_double(st, 1);
	}
	if (armed) {
		double scale = kb_index_rank_scale();
		for (int i = 0; i < n; i++)
			score[i] *= scale;
	}
	sqlite3_finalize(st);
	return n;
}

/* The context column: the note's title, its file name as words, the section when it says more. */
static void context(void)
{
	static const struct {
		const char *title, *path, *section, *want;
	} cases[] = {
		{"Redis", "ops/redis-cluster_notes.md", "Failover", "Redis\nredis cluster notes\nFailover"},
		{"Redis", "redis.markdown", "Redis", "Redis\nredis"},
		{NULL, "a/b/x.md.md", NULL, "\nx.md"},
		{"T", ".md", NULL, "T\n"},
		{"T", "dir/README.MD", "S", "T\nREADME.MD\nS"},
		{"T", "md", NULL, "T\nmd"},
		{"", "x.markdown.txt", NULL, "\nx.markdown.txt"},
	};
	for (size_t i = 0; i < KB_NELEM(cases); i++) {
		char *got = kb_index_context(cases[i].title, cases[i].path, cases[i].section);
		CHECK_STR(got, cases[i].want);
		free(got);
	}
}

SUITE(rank)
{
	context();
	static const char *const matches[] = {"timeout", "\"connection refused\"", "filler1*",
	                                      "timeout OR refused", "timeout filler3", "zzznothing"};
	static const int ks[] = {1, 3, 20, 150};
	struct kb_build_opts bo = {0};
	struct kb_build_stats st;
	struct kb_diags d = {0};
	struct kb_err err;
	sqlite3 *db = NULL;
	char *notes, *path;
	int cut = 0;
	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	notes = kb_xasprintf("%s/notes", dir);
	path = kb_xasprintf("%s/kb.db", dir);
	mkdir(notes, 0755);
	/* notes of many lengths, with the words a different number of times each */
	for (int i = 0; i < 300; i++) {
		char *p = kb_xasprintf("%s/n%03d.md", notes, i);
		FILE *f = fopen(p, "w");
		if (f) {
			fprintf(f, "# Note %d\n\n", i);
			for (int j = 0; j <= (i * 7) % 53; j++)
				fprintf(f, "filler%d ", (i + j) % 17);
			for (int j = 0; j < i % 5; j++)
				fputs("timeout ", f);
			if (i % 3 == 0)
				fputs("connection refused", f);
			fputs("\n", f);
			fclose(f);
		}
		free(p);
	}
	bo.notes_dir = notes;
	bo.db_path = path;
	CHECK(kb_build(&bo, &st, &d, &err) == 0);
	if (!CHECK(kb_index_connect(path, SQLITE_OPEN_READONLY, &db, &err) == 0))
		goto out;
	for (size_t m = 0; m < KB_NELEM(matches); m++) {
		for (size_t i = 0; i < KB_NELEM(ks); i++) {
			for (int armed = 0; armed < 2; armed++) {
				long long want_id[150], got_id[150];
				double want[150], got[150];
				char rank[80];
				int k = ks[i], nw, ng, same = 1;
				snprintf(rank, sizeof rank, KB_INDEX_RANK_K, (size_t)k);
				nw = ranked(db, matches[m], KB_INDEX_RANK, k, want_id, want, false);
				ng = ranked(db, matches[m], rank, k, got_id, got, armed);
				CHECK_INT(ng, nw);
				for (int j = 0; j < nw && j < ng; j++)
					same &= got_id[j] == want_id[j] && got[j] == want[j];
				if (!CHECK(same))
					printf("     %s, K = %d%s: kbrank's order or scores differ from bm25's\n", matches[m], k,
					       armed ? " (in a search)" : "");
			}
		}
	}
	/* and it does cut: with K = 1, some rows of "timeout" get their bound, not their score */
	{
		long long id[300];
		double all[300], bounded[300];
		int n = ranked(db, "timeout", "kbrank(0, 10.0, 4.0, 6.0, 5.0, 1.0)", 300, id, all, false);
		int nb = ranked(db, "timeout", "kbrank(1, 10.0, 4.0, 6.0, 5.0, 1.0)", 300, id, bounded, false);
		CHECK_INT(nb, n);
		for (int j = 1; j < n && j < nb; j++)
			cut += bounded[j] != all[j];
		CHECK(n > 100 && cut > 0);
	}
	sqlite3_close(db);
out:
	kb_diags_free(&d);
	t_remove_tree(dir);
	free(notes);
	free(path);
}
