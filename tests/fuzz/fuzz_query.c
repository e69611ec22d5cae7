/* fuzz_query.c - libFuzzer target: any text as a query, in every mode, then the MATCH
 * text it makes is run against a real FTS5 table with the kb tokenizer: it must never be an
 * FTS5 syntax error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb/build.h"
#include "kb/query.h"
#include "kb/search.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kb_index *ix;
static char dir[] = "/tmp/kbfuzzq.XXXXXX";

static void cleanup(void)
{
	char *db = kb_xasprintf("%s/kb.db", dir);
	kb_index_close(ix);
	unlink(db);
	rmdir(dir);
	free(db);
}

static struct kb_index *fuzz_index(void)
{
	struct kb_build_opts o = {0};
	struct kb_build_stats st;
	struct kb_diags d = {0};
	struct kb_err err;
	char *db;
	if (!mkdtemp(dir))
		abort();
	db = kb_xasprintf("%s/kb.db", dir);
	o.notes_dir = "kb";
	o.db_path = db;
	if (kb_build(&o, &st, &d, &err) != 0 || kb_index_open(db, &ix, &err) != 0)
		abort();
	kb_diags_free(&d);
	free(db);
	atexit(cleanup);
	return ix;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = kb_xstrndup((const char *)data, size);
	struct kb_err err;
	if (!ix)
		fuzz_index();
	for (unsigned flags = 0; flags < 2; flags++) {
		struct kb_query *q = kb_query_parse(text, flags);
		struct kb_strv words = {0};
		for (int mode = 0; mode < 2; mode++) {
			char *m = kb_query_match(q, (enum kb_query_mode)mode);
			struct kb_hits hits = {0};
			struct kb_search_req req = {.match = m, .limit = 3, .snippets = true};
			if (m && kb_index_search(ix, &req, &hits, &err) != 0)
				abort(); /* a MATCH text kb made was refused */
			kb_hits_free(&hits);
			free(m);
		}
		kb_query_words(q, &words);
		kb_strv_free(&words);
		kb_query_is_logline(text);
		kb_query_free(q);
	}
	{
		struct kb_search_opts o = {.text = text, .limit = 3, .snippets = true};
		struct kb_search_result r;
		if (kb_search_run(ix, &o, &r, &err) != 0)
			abort();
		kb_search_result_free(&r);
	}
	free(text);
	return 0;
}
