/* test_search.c - an index built from small notes, searched the way operators do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "kb/build.h"
#include "kb/query.h"
#include "kb/search.h"
#include "../../src/search_priv.h"

static char dir[] = "/tmp/kbunit.XXXXXX";

static void note(const char *rel, const char *text)
{
	char *p = kb_xasprintf("%s/notes/%s", dir, rel);
	FILE *f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(p);
}

/* The id of the first hit for text, or "" (caller frees). */
static char *first(struct kb_index *ix, const char *text, unsigned flags)
{
	struct kb_search_opts o = {.text = text, .query_flags = flags, .limit = 5};
	struct kb_search_result r;
	struct kb_err err;
	char *id;
	if (kb_search_run(ix, &o, &r, &err) != 0) {
		printf("     search error for [%s]: %s\n", text, err.msg);
		return kb_xstrdup("(error)");
	}
	id = kb_xstrdup(r.hits.n ? r.hits.v[0].id : "");
	kb_search_result_free(&r);
	return id;
}

static bool always(void *arg)
{
	++*(int *)arg;
	return true;
}

/* kb_index_set_stop: a statement asked to stop fails as interrupted; without it, it runs. */
static void stop_check(struct kb_index *ix)
{
	struct kb_search_opts o = {.text = "lock wait", .limit = 5};
	struct kb_search_result r;
	struct kb_err err;
	int asked = 0;
	kb_index_set_stop(ix, always, &asked);
	CHECK(kb_search_run(ix, &o, &r, &err) == -1);
	CHECK(strstr(err.msg, "interrupted") != NULL);
	CHECK(asked > 0);
	kb_search_result_free(&r);
	kb_index_set_stop(ix, NULL, NULL);
	CHECK(kb_search_run(ix, &o, &r, &err) == 0 && r.hits.n > 0);
	kb_search_result_free(&r);
}

/* The prefix step's vocabulary walk: nothing when the prefix's terms are few (FTS5's
 * own expansion is cheap), else the first ones up to a number of entries; two words are
 * not a prefix. */
static void prefix_terms_check(struct kb_index *ix)
{
	struct kb_strv all = {0}, few = {0};
	bool partial = false;
	CHECK(kb_index_prefix_terms(ix, "e", 100000, 64, &all, &partial) == 0); /* few: FTS5's own */
	CHECK(all.n == 0 && !partial);
	CHECK(kb_index_prefix_terms(ix, "e", 2, 64, &all, &partial) == 1);
	CHECK(all.n >= 1 && partial);
	for (size_t i = 0; i < all.n; i++)
		CHECK(all.v[i][0] == 'e');
	partial = false;
	CHECK(kb_index_prefix_terms(ix, "E", 1, 64, &few, &partial) == 1);
	CHECK(few.n == 1 && partial);
	CHECK(few.n && all.n && strcmp(few.v[0], all.v[0]) == 0);
	CHECK(kb_index_prefix_terms(ix, "lock wait", 100000, 64, &few, &partial) == 0); /* two tokens */
	kb_strv_free(&all);
	kb_strv_free(&few);
}

static void expect(struct kb_index *ix, const char *text, const char *want)
{
	char *got = first(ix, text, 0);
	if (!CHECK_STR(got, want))
		printf("     for query [%s]\n", text);
	free(got);
}

static void add_hit(struct kb_hits *h, long long rowid, const char *id, const char *title, const char *source,
                    double score)
{
	struct kb_hit *x;
	kb_xgrow(&h->v, &h->cap, h->n + 1, sizeof *h->v);
	x = &h->v[h->n++];
	memset(x, 0, sizeof *x);
	x->rowid = rowid;
	x->id = kb_xstrdup(id);
	x->path = kb_xstrndup(id, strcspn(id, "#"));
	x->title = kb_xstrdup(title);
	x->source = kb_xstrdup(source);
	x->score = score;
}

/* The search layer's re-ranking: of equal scores the note before the man page, whichever
 * the index wrote first; an entry titled with the option or key the query spells, as typed,
 * before one that only has its word. */
static void rank_pages_check(void)
{
	struct kb_hits h = {0};
	struct kb_strv words = {0};
	kb_strv_push(&words, "widget");
	add_hit(&h, 1, "man:frob(1)#x", "frob", "man", 2.0);
	add_hit(&h, 2, "ops/frob.md#x", "frob", "notes", 2.0);
	add_hit(&h, 3, "man:frob(8)#x", "frob", "man", 2.0);
	kb_search_rank_pages(&h, &words);
	CHECK_STR(h.n == 3 ? h.v[0].id : NULL, "ops/frob.md#x");
	CHECK_STR(h.n == 3 ? h.v[1].id : NULL, "man:frob(1)#x");
	kb_hits_free(&h);
	kb_strv_free(&words);
	kb_strv_push(&words, "Restart=");
	add_hit(&h, 1, "man:a(1)#restart", "restart", "man", 2.0);
	add_hit(&h, 2, "man:b(5)#Restart=", "Restart=", "man", 1.0);
	kb_search_rank_pages(&h, &words);
	CHECK_STR(h.n == 2 ? h.v[0].id : NULL, "man:b(5)#Restart=");
	kb_hits_free(&h);
	kb_strv_free(&words);
	CHECK(kb_search_title_spells("-l, --format=WORD", "-l"));
	CHECK(kb_search_title_spells("-l, --format=WORD", "--format"));
	CHECK(kb_search_title_spells("-L [bind_address:]port:host:hostport", "-L"));
	CHECK(kb_search_title_spells("ExecStartPre=, ExecStartPost=", "ExecStartPost="));
	CHECK(!kb_search_title_spells("-Llocal_socket:remote_socket", "-L"));
	CHECK(!kb_search_title_spells("--no-format", "--format"));
	CHECK(!kb_search_title_spells("restart", "Restart="));
	CHECK(!kb_search_title_spells("-l", ""));
	CHECK(kb_search_spelling("-mtime") && kb_search_spelling("--since") && kb_search_spelling("Restart="));
	CHECK(!kb_search_spelling("-") && !kb_search_spelling("=") && !kb_search_spelling("restart"));
}

/* An old index swapped for a FIFO after kb_build looked at it: the writer neither blocks on
 * it nor copies it (issue 22); the alarm ends the run if it blocks. */
static void fifo_check(void)
{
	char *fifo = kb_xasprintf("%s/fifo.db", dir);
	struct kb_index_writer *w = NULL;
	bool incremental = true;
	struct kb_err err;
	if (CHECK(mkfifo(fifo, 0644) == 0)) {
		alarm(30);
		CHECK(kb_index_write_begin(fifo, "stamp", true, &w, &incremental, &err) == 0);
		alarm(0);
		CHECK(!incremental);
		if (w)
			kb_index_write_abort(w);
	}
	unlink(fifo);
	free(fifo);
}

SUITE(search)
{
	struct kb_build_opts bo = {0};
	struct kb_build_stats st;
	struct kb_diags d = {0};
	struct kb_err err;
	struct kb_index *ix = NULL;
	char *notes, *db;
	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	notes = kb_xasprintf("%s/notes", dir);
	db = kb_xasprintf("%s/kb.db", dir);
	mkdir(notes, 0755);
	note("image.md", "# 镜像导出\n\n导出镜像时要用 docker save，不要用 docker export。\n");
	note("tenant.md", "# 创建租户失败\n\n部署集成UME的OTCP时创建租户失败，报错 getAcceccToken error。\n");
	note("lock.md", "# Lock wait\n\n```\nERROR 1205 (HY000): Lock wait timeout exceeded; try restarting transaction\n```\n");
	note("k8s.md", "# Pods\n\n```\nBack-off pulling image \"web:1.2\": ErrImagePull; pod web-5f7d9c-x2k\n```\n"
	     "The umebn-unified-servicecenter service and MANIFEST_UNKNOWN.\n");
	note("ja.md", "# ログイン\n\nログイン失敗の時は再起動してください。\n");
	bo.notes_dir = notes;
	bo.db_path = db;
	CHECK(kb_build(&bo, &st, &d, &err) == 0);
	CHECK_INT(st.entries, 5);
	if (!CHECK(kb_index_open(db, &ix, &err) == 0))
		goto out;

	/* one, two and three or more CJK characters inside longer runs */
	expect(ix, "镜像", "image.md");
	expect(ix, "像", "image.md");
	expect(ix, "出镜像", "image.md");
	expect(ix, "租户", "tenant.md");
	expect(ix, "户", "tenant.md");
	expect(ix, "创建租户失败", "tenant.md");
	expect(ix, "集成UME", "tenant.md");
	expect(ix, "失敗", "ja.md");
	expect(ix, "镜像 docker", "image.md");
	/* identifiers whole and by parts */
	expect(ix, "getAcceccToken", "tenant.md");
	expect(ix, "token", "tenant.md");
	expect(ix, "MANIFEST_UNKNOWN", "k8s.md");
	expect(ix, "manifest", "k8s.md");
	expect(ix, "umebn-unified-servicecenter", "k8s.md");
	expect(ix, "servicecenter", "k8s.md");
	expect(ix, "ErrImagePull", "k8s.md");
	/* a pasted line with other numbers and names */
	expect(ix, "ERROR 1205 (HY000): Lock wait timeout exceeded; try restarting transaction", "lock.md");
	expect(ix, "Back-off pulling image \"api:3.4\": ErrImagePull; pod api-77c9d-q8w2z", "k8s.md");
	/* most of the words when none has all */
	expect(ix, "lock wait nonsenseword", "lock.md");
	/* the browser's "2 of 3": the total when the limit cuts the hits, none when it does not */
	{
		struct kb_search_opts o = {.text = "docker OR token OR lock", .limit = 2, .count = true};
		struct kb_search_result r;
		CHECK(kb_search_run(ix, &o, &r, &err) == 0);
		CHECK_INT(r.hits.n, 2);
		CHECK_INT(r.total, 3);
		kb_search_result_free(&r);
		o.limit = 5;
		CHECK(kb_search_run(ix, &o, &r, &err) == 0);
		CHECK_INT(r.total, 0);
		kb_search_result_free(&r);
	}
	/* search as you type */
	{
		char *got = first(ix, "restart", KB_QUERY_PREFIX_LAST);
		CHECK_STR(got, "lock.md");
		free(got);
	}
	/* nothing typed can make an error */
	{
		static const char *const nasty[] = {
			"\"", "(", ")", "*", "-", "OR", "AND", "NOT", "NEAR(x y)", "a\"b", "{title}:x",
			"title:x", "^x", "x:", ":x", "\"a\" \"", "-\"", "*x", "'", "\\", "\x01", "AND AND",
			"component:", "symptom:", "symptom:\"", "镜*", "-镜像 x", "OR OR OR", "a OR",
		};
		for (size_t i = 0; i < KB_NELEM(nasty); i++) {
			char *got = first(ix, nasty[i], 0);
			CHECK(strcmp(got, "(error)") != 0);
			free(got);
			got = first(ix, nasty[i], KB_QUERY_PREFIX_LAST);
			CHECK(strcmp(got, "(error)") != 0);
			free(got);
		}
	}
	stop_check(ix);
	prefix_terms_check(ix);
	rank_pages_check();
	fifo_check();
	kb_index_close(ix);
out:
	kb_diags_free(&d);
	t_remove_tree(dir);
	free(notes);
	free(db);
}
