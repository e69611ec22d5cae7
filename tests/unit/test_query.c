/* test_query.c - user text to FTS5 MATCH text: quoting, operators, filters, prefixes. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kb/query.h"

static void m(const char *text, unsigned flags, enum kb_query_mode mode, const char *want)
{
	struct kb_query *q = kb_query_parse(text, flags);
	char *got = kb_query_match(q, mode);
	CHECK_STR(got, want);
	free(got);
	kb_query_free(q);
}

static void all(const char *text, const char *want)
{
	m(text, 0, KB_QUERY_ALL, want);
}

SUITE(query)
{
	all("redis", "(\"\001redis\")");
	all("redis  connection", "(\"\001redis\" AND \"\001connection\")");
	all("\"connection refused\" redis", "(\"connection refused\" AND \"\001redis\")");
	all("redis -docker", "(\"\001redis\") NOT \"\001docker\"");
	all("redis -\"docker ps\"", "(\"\001redis\") NOT \"docker ps\"");
	all("a OR b c", "((\"a\" OR \"b\") AND \"c\")");
	all("conn*", "(\"conn\"*)");
	all("镜", "(\"镜\"*)");
	all("镜像", "(\"镜像\")");
	/* plain English words are marked for stemming; identifiers, capitals, short words not */
	all("Draining nodes ImagePullBackOff HY000 NOT ab",
	    "(\"\001Draining\" AND \"\001nodes\" AND \"ImagePullBackOff\" AND \"HY000\" AND \"NOT\" AND \"ab\")");
	/* everything else is literal */
	all("OPS-306", "(\"OPS-306\")");
	all("tcpdump -A --since -9", "(\"\001tcpdump\" AND \"-A\" AND \"--since\" AND \"-9\")");
	all("device AND", "(\"\001device\" AND \"AND\")");
	all("a\"b", "(\"a\"\"b\")");
	all("\"unbalanced", "(\"unbalanced\")");
	all("NEAR(a b)", "(\"NEAR(a\" AND \"b)\")");
	all("redis OR", "(\"\001redis\" AND \"OR\")");
	all("*", NULL);
	all("(", NULL);
	all("\"\"", NULL);
	/* a -word alone has nothing to be excluded from: it is a word to find, as typed */
	all("-mtime", "(\"-mtime\")");
	all("-\"docker ps\"", NULL);
	all("-aa -bb", NULL);
	all("component:redis -docker", NULL);
	all("", NULL);
	all("，。", NULL);
	/* filters */
	{
		struct kb_query *q = kb_query_parse("component:redis refused symptom:\"Connection refused\"", 0);
		char *got = kb_query_match(q, KB_QUERY_ALL);
		CHECK_STR(kb_query_component(q), "redis");
		CHECK_STR(kb_query_symptom(q), "Connection refused");
		CHECK_STR(got, "(\"\001refused\" AND symptoms : \"Connection refused\")");
		free(got);
		kb_query_free(q);
	}
	/* search as you type; the fallback */
	m("redis conn", KB_QUERY_PREFIX_LAST, KB_QUERY_ALL, "(\"\001redis\" AND \"conn\"*)");
	m("-mti", KB_QUERY_PREFIX_LAST, KB_QUERY_ALL, "(\"-mti\"*)");
	m("find -mti", KB_QUERY_PREFIX_LAST, KB_QUERY_ALL, "(\"\001find\") NOT \"\001mti\"");
	m("redis \"conn\"", KB_QUERY_PREFIX_LAST, KB_QUERY_ALL, "(\"\001redis\" AND \"conn\")");
	m("a b -cc", 0, KB_QUERY_ANY, "(\"a\" OR \"b\") NOT \"cc\"");
	/* a Chinese paraphrase falls back to the pairs it is made of; a quoted phrase does not */
	m("安全地清空 x", 0, KB_QUERY_ANY, "(\"安全\" OR \"全地\" OR \"地清\" OR \"清空\" OR \"x\")");
	m("\"安全地清空\" x", 0, KB_QUERY_ANY, "(\"安全地清空\" OR \"x\")");
	/* the step between: a run of four or more as its two-character words, an odd one's last
	 * pair overlapping; shorter runs, quoted ones and other words as in KB_QUERY_ALL */
	m("DM 重置迁移任务", 0, KB_QUERY_PAIRS, "(\"DM\" AND \"重置\" AND \"迁移\" AND \"任务\")");
	m("终端复用器 目录", 0, KB_QUERY_PAIRS, "(\"终端\" AND \"复用\" AND \"用器\" AND \"目录\")");
	m("\"重置迁移任务\" 目录大", 0, KB_QUERY_PAIRS, "(\"重置迁移任务\" AND \"目录大\")");
	{
		struct kb_query *q = kb_query_parse("DM 重置迁移任务", 0), *r = kb_query_parse("目录大 \"重置迁移任务\"", 0);
		CHECK(kb_query_has_pairs(q));
		CHECK(!kb_query_has_pairs(r));
		kb_query_free(q);
		kb_query_free(r);
	}
	/* a repeated word counts once; words past the most a query keeps are left out and counted */
	all("error error Error error", "(\"\001error\" AND \"\001Error\")");
	all("a OR a b", "(\"a\" AND \"b\")");
	all("aa -aa aa* -aa", "(\"aa\" AND \"aa\"*) NOT \"aa\"");
	{
		struct kb_buf text = {0};
		struct kb_query *q;
		char *got;
		for (int i = 0; i < 5000; i++)
			kb_buf_printf(&text, "w%d w%d ", i % (KB_QUERY_MAX_TERMS + 8), i % 3);
		q = kb_query_parse(kb_buf_str(&text), 0);
		CHECK_INT(kb_query_terms(q), KB_QUERY_MAX_TERMS);
		CHECK_INT(kb_query_ignored(q), 8);
		got = kb_query_match(q, KB_QUERY_ALL);
		CHECK(strstr(got, "\"w31\"") && !strstr(got, "\"w32\""));
		free(got);
		kb_query_free(q);
		kb_buf_free(&text);
	}

	/* excluded words that could be options: the search layer makes the indexed ones words */
	{
		struct kb_query *q = kb_query_parse("find -mtime -\"a b\" -x.y -no=1 redis", 0);
		struct kb_strv opts = {0};
		char *got;
		kb_query_options(q, &opts);
		CHECK_INT(opts.n, 2);
		CHECK_STR(opts.n > 1 ? opts.v[0] : NULL, "-mtime");
		CHECK_STR(opts.n > 1 ? opts.v[1] : NULL, "-x.y");
		CHECK(kb_query_include(q, "-mtime"));
		CHECK(!kb_query_include(q, "-a b"));
		CHECK(!kb_query_include(q, "-redis"));
		got = kb_query_match(q, KB_QUERY_ALL);
		CHECK_STR(got, "(\"\001find\" AND \"-mtime\" AND \"\001redis\") NOT \"a b\" NOT \"x.y\" NOT \"no=1\"");
		free(got);
		kb_strv_free(&opts);
		kb_query_words(q, &opts);
		CHECK_STR(opts.n > 1 ? opts.v[1] : NULL, "-mtime");
		kb_strv_free(&opts);
		kb_query_free(q);
		got = kb_query_title_match("-mtime");
		CHECK_STR(got, "title : \"-mtime\"");
		free(got);
		CHECK(kb_query_title_match("--") == NULL);
	}

	CHECK(kb_query_is_logline("Could not connect to Redis at [2001:db8::5]:6379: Connection refused"));
	CHECK(kb_query_is_logline("ERROR 1205 (HY000): Lock wait timeout exceeded; try restarting transaction"));
	CHECK(kb_query_is_logline("line one\nline two"));
	CHECK(!kb_query_is_logline("redis connection refused"));
	CHECK(!kb_query_is_logline("镜像 导出"));
}
