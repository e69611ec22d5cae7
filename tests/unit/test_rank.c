/* test_rank.c - kbrank (src/index_rank.c) against FTS5's own bm25 on the same index: for
 * any K the K best rows, their order and their scores are bm25's, to the last bit, where no
 * word of the query is in a title or a context (there kbrank adds the page: search.test.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
		kb_index_rank_begin(0);
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

/* Up to 150 (rowid, score) of match, component filter (or NULL) and limit k (0: all), as
 * SQL ranks them with bm25, ties by rowid: what kb_index_search must give. */
static int reference(sqlite3 *db, const char *match, const char *component, int k, long long *rowid,
                     double *score)
{
	sqlite3_stmt *st;
	int n = 0;
	if (sqlite3_prepare_v2(db, "SELECT rowid, rank FROM fts WHERE fts MATCH ?1 AND rank MATCH '" KB_INDEX_RANK "'"
	                       " AND (?2 IS NULL OR rowid IN (SELECT entry FROM entry_components WHERE name = ?2))"
	                       " ORDER BY rank, rowid", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	if (component)
		sqlite3_bind_text(st, 2, component, -1, SQLITE_STATIC);
	while ((k == 0 || n < k) && n < 150 && sqlite3_step(st) == SQLITE_ROW) {
		rowid[n] = sqlite3_column_int64(st, 0);
		score[n++] = -sqlite3_column_double(st, 1);
	}
	sqlite3_finalize(st);
	return n;
}

/* FTS5's snippet of match for one row, as kb_index_search asks for it (caller frees). */
static char *snippet_of(sqlite3 *db, const char *match, long long rowid)
{
	sqlite3_stmt *st;
	char *s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT snippet(fts, -1, char(2), char(3), '…', 24) FROM fts"
	                       " WHERE fts MATCH ?1 AND rowid = ?2", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, rowid);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		s = kb_xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

/* kb_index_search, whichever plan it takes (sorted for phrases and several words; rowid
 * order with a second pass for snippets for one token, a prefix, a component, all hits),
 * gives bm25's best rows in order, ties by rowid, with their scores and FTS5's snippets. */
static void search_plans(sqlite3 *db, const char *path)
{
	static const char *const matches[] = {"timeout",         "\"connection refused\"", "filler1*",  "(\"filler2\")",
	                                      "timeout OR refused", "timeout filler3",      "zzznothing", "\"filler\"*"};
	static const char *const components[] = {NULL, "alpha"};
	static const int ks[] = {1, 3, 20, 150, 0};
	struct kb_packer *packer = kb_index_packer(db); /* for snippet_of: fts_content reads kb_body() */
	struct kb_index *ix;
	struct kb_err err;
	int searches = 0, bad = 0;
	if (!CHECK(packer && kb_index_register_body(db, packer, &err) == 0) ||
	    !CHECK(kb_index_open(path, &ix, &err) == 0)) {
		kb_packer_free(packer);
		return;
	}
	for (size_t m = 0; m < KB_NELEM(matches); m++) {
		for (size_t c = 0; c < KB_NELEM(components); c++) {
			for (size_t i = 0; i < KB_NELEM(ks); i++) {
				struct kb_search_req req = {.match = matches[m], .component = components[c],
				                            .limit = (size_t)ks[i], .snippets = true};
				struct kb_hits hits = {0};
				long long want_id[150];
				double want[150];
				int nw = reference(db, matches[m], components[c], ks[i], want_id, want);
				bool same = kb_index_search(ix, &req, &hits, &err) == 0 &&
				            (nw == 150 ? hits.n >= 150 : hits.n == (size_t)nw);
				for (int j = 0; same && j < nw; j++) {
					char *snip = snippet_of(db, matches[m], want_id[j]);
					same = hits.v[j].rowid == want_id[j] && hits.v[j].score == want[j] && snip &&
					       hits.v[j].snippet && strcmp(snip, hits.v[j].snippet) == 0 && hits.v[j].id;
					if (!same)
						printf("j=%d got %lld %.17g [%s] want %lld %.17g [%s]\n", j, hits.v[j].rowid, hits.v[j].score,
						       hits.v[j].snippet ? hits.v[j].snippet : "(null)", want_id[j], want[j], snip ? snip : "(null)");
					free(snip);
				}
				searches++;
				if (!same) {
					bad++;
					printf("     %s, component %s, limit %d: %zu hits, want %d; order, scores or snippets differ\n",
					       matches[m], components[c] ? components[c] : "-", ks[i], hits.n, nw);
				}
				kb_hits_free(&hits);
			}
		}
	}
	CHECK_INT(bad, 0);
	CHECK_INT(searches, 80);
	kb_index_close(ix);
	kb_packer_free(packer); /* db calls kb_body no more: the caller only closes it */
}

/* The context column: the note's title, its file name as words, the section when it says more. */
static void context(void)
{
	static const struct {
		const char *title, *path, *section, *want;
		int format;
	} cases[] = {
		/* a man page's id says only its title again: not repeated; nor its section, a word
		 * of every entry of the section's pages */
		{"rm(1)", "man:rm(1)", "OPTIONS", "rm\n\nOPTIONS", KB_FORMAT_ROFF},
		{"openssl-req(1ssl)", "man:openssl-req(1ssl)", NULL, "openssl-req\n", KB_FORMAT_ROFF},
		{"a(b)c", "man:a(b)c", NULL, "a(b)c\n", KB_FORMAT_ROFF},
		{"(1)", "man:(1)", NULL, "\n", KB_FORMAT_ROFF},
		{"Redis(1)", "redis.md", NULL, "Redis(1)\nredis", KB_FORMAT_MARKDOWN},
		{"Redis", "ops/redis-cluster_notes.md", "Failover", "Redis\nredis cluster notes\nFailover", KB_FORMAT_MARKDOWN},
		{"Redis", "redis.markdown", "Redis", "Redis\nredis", KB_FORMAT_MARKDOWN},
		{NULL, "a/b/x.md.md", NULL, "\nx.md", KB_FORMAT_MARKDOWN},
		/* the suffix is the one kb_note_suffix_len knows: any case, never the whole name */
		{"T", ".md", NULL, "T\n.md", KB_FORMAT_MARKDOWN},
		{"T", "dir/README.MD", "S", "T\nREADME\nS", KB_FORMAT_MARKDOWN},
		{"T", "md", NULL, "T\nmd", KB_FORMAT_MARKDOWN},
		{"", "x.markdown.txt", NULL, "\nx.markdown.txt", KB_FORMAT_MARKDOWN},
	};
	for (size_t i = 0; i < KB_NELEM(cases); i++) {
		char *got = kb_index_context(cases[i].title, cases[i].path, cases[i].section, cases[i].format);
		CHECK_STR(got, cases[i].want);
		free(got);
	}
}

/* The body text FTS5 indexes: tldr's marked letters joined to their words, a link's target
 * left out when it is a man page, and nothing else changed. */
static void body_text(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"E[x]tract the [f]iles, a [link](x.md) and a [x] box", "Extract the files, a [link](x.md) and a [x] box"},
		{"See [**ls**(1)](man:ls(1)), [dir](man:zh_CN/dir(1)).", "See [**ls**(1)](), [dir]()."},
		{"[a](man:b(1)) [c](man:d)", "[a]() [c]()"},
		/* not a man page's target: kept */
		{"[a](man:b c) [a](mans:b(1)) [a](man:(1)", "[a](man:b c) [a](mans:b(1)) [a](man:(1)"},
		{"[a](man:", "[a](man:"},
		{"no bracket (man:x)", "no bracket (man:x)"},
	};
	for (size_t i = 0; i < KB_NELEM(cases); i++) {
		char *t = kb_xstrdup(cases[i].in);
		t[kb_index_body_text(t, strlen(t))] = '\0';
		CHECK_STR(t, cases[i].want);
		free(t);
	}
}

/* An index of one note of n entries, a common word in the first half of them and rare in
 * the first five: path (caller frees), or NULL. */
static char *halves(const char *under, int n)
{
	struct kb_build_opts bo = {0};
	struct kb_build_stats st;
	struct kb_diags d = {0};
	struct kb_err err;
	char *notes = kb_xasprintf("%s/halves", under), *path = kb_xasprintf("%s/halves.db", under), *md;
	FILE *f;
	mkdir(notes, 0755);
	md = kb_xasprintf("%s/h.md", notes);
	if ((f = fopen(md, "w"))) {
		fputs("# Halves\n", f);
		for (int i = 0; i < n; i++)
			fprintf(f, "\n## Part %d\n\nbody%d %s %s\n", i, i, i < n / 2 ? "common" : "other", i < 5 ? "rare" : "");
		fclose(f);
	}
	bo.notes_dir = notes;
	bo.db_path = path;
	if (!f || kb_build(&bo, &st, &d, &err) != 0) {
		free(path);
		path = NULL;
	}
	kb_diags_free(&d);
	free(md);
	free(notes);
	return path;
}

/* In a search, a phrase in more rows than KB_INDEX_IDF_ROWS is counted no further: its idf
 * is estimated from the rowids read. Here the common word fills the first half of the
 * index, so the estimate (all of it) is not bm25's count: the scores differ, the best
 * rows (the rare word's) stay. Outside a search kbrank is bm25 exactly (above). */
static void estimated_idf(void)
{
	char *path = halves(dir, 3 * KB_INDEX_IDF_ROWS);
	struct kb_search_req req = {.match = "common rare", .limit = 5};
	struct kb_hits hits = {0};
	struct kb_index *ix = NULL;
	struct kb_err err;
	sqlite3 *db = NULL;
	long long want_id[150];
	double want[150];
	int nw;
	if (!CHECK(path != NULL) || !CHECK(kb_index_connect(path, SQLITE_OPEN_READONLY, &db, &err) == 0) ||
	    !CHECK(kb_index_open(path, &ix, &err) == 0))
		goto out;
	nw = reference(db, "common rare", NULL, 5, want_id, want);
	CHECK_INT(nw, 5);
	if (CHECK(kb_index_search(ix, &req, &hits, &err) == 0) && CHECK_INT((int)hits.n, nw)) {
		int same_rows = 1, same_scores = 1;
		for (int j = 0; j < nw; j++) {
			same_rows &= hits.v[j].rowid == want_id[j];
			same_scores &= hits.v[j].score == want[j];
		}
		CHECK(same_rows);
		CHECK(!same_scores);
	}
out:
	kb_hits_free(&hits);
	kb_index_close(ix);
	sqlite3_close(db);
	free(path);
}

/* kb search maps a small index, and reads a big one through SQLite's cache (a mapped page
 * stays in the process): a copy of the index made sparse past the size it maps. */
static void mapped_by_size(const char *path)
{
	char *big = kb_xasprintf("%s.big", path), *cmd = kb_xasprintf("cp '%s' '%s'", path, big);
	struct kb_index *ix;
	struct kb_err err;
	long long map[2] = {-1, -1};
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st;
		if (i == 1 && !CHECK(system(cmd) == 0 && truncate(big, (off_t)300 << 20) == 0))
			break;
		if (!CHECK(kb_index_open_with(i ? big : path, KB_INDEX_MAPPED, &ix, &err) == 0))
			break;
		if (sqlite3_prepare_v2(ix->db, "PRAGMA mmap_size", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
			map[i] = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		kb_index_close(ix);
	}
	CHECK(map[0] > 0);
	CHECK(map[1] == 0);
	unlink(big);
	free(cmd);
	free(big);
}

SUITE(rank)
{
	context();
	body_text();
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
			if (i % 4 == 0)
				fputs("---\ncomponents: [alpha]\n---\n", f);
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
				snprintf(rank, sizeof rank, KB_INDEX_RANK_K, "kbrank", (size_t)k);
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
	search_plans(db, path);
	mapped_by_size(path);
	estimated_idf();
	sqlite3_close(db);
out:
	kb_diags_free(&d);
	t_remove_tree(dir);
	free(notes);
	free(path);
}
