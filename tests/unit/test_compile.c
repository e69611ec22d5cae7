/* test_compile.c - how notes are cut into entries, and what each entry gets. */
#include <stdlib.h>

#include "harness.h"
#include "kb/compile.h"

struct out {
	struct kb_entries es;
	struct kb_diags d;
	int rc;
};

static struct out compile_n(const char *path, const char *md, size_t len, const char *components)
{
	struct out o = {0};
	struct kb_components *c = components ? kb_components_parse("components.yaml", components,
	                                                             strlen(components), &o.d) : NULL;
	o.rc = kb_compile(path, md, len, c, &o.es, &o.d);
	kb_components_free(c);
	return o;
}

static struct out compile(const char *path, const char *md, const char *components)
{
	return compile_n(path, md, strlen(md), components);
}

static void done(struct out *o)
{
	kb_entries_free(&o->es);
	kb_diags_free(&o->d);
}

static char *ids(const struct out *o)
{
	struct kb_strv v = {0};
	char *s;
	for (size_t i = 0; i < o->es.n; i++)
		kb_strv_push(&v, o->es.v[i].id);
	s = kb_strv_join(&v, " ");
	kb_strv_free(&v);
	return s;
}

static void check_ids(const struct out *o, const char *want)
{
	char *got = ids(o);
	CHECK_STR(got, want);
	free(got);
}

static bool has_symptom(const struct kb_entry *e, const char *text)
{
	for (size_t i = 0; i < e->nsymptoms; i++)
		if (strcmp(e->symptoms[i].text, text) == 0)
			return true;
	return false;
}

static void seed(void)
{
	char *md;
	size_t len;
	struct kb_err err;
	struct out o = {0};
	if (!CHECK(kb_read_file("kb/paas/deployment-issues.md", 1 << 20, &md, &len, &err) == 0))
		return;
	o.rc = kb_compile("paas/deployment-issues.md", md, len, NULL, &o.es, &o.d);
	CHECK_INT(o.rc, 11);
	CHECK_INT(o.d.n, 0);
	if (o.es.n == 11) {
		CHECK_STR(o.es.v[0].id, "paas/deployment-issues.md#1");
		CHECK_STR(o.es.v[10].id, "paas/deployment-issues.md#11");
		CHECK_STR(o.es.v[0].section, "记录部署过程中出现的问题");
		CHECK_INT(o.es.v[0].line, 2);
		CHECK_INT(o.es.v[4].line, 35);
		/* the list item's marker and indentation are gone from the body */
		CHECK(kb_starts_with(o.es.v[0].body, "部署一个新的镜像时"));
		CHECK(strstr(o.es.v[0].body, "\n```docker save [OPTIONS] IMAGE```") != NULL);
		CHECK(has_symptom(&o.es.v[1], "MANIFEST_UNKNOWN"));
		CHECK(has_symptom(&o.es.v[1], "toolbox.swr.bin.failReason"));
		CHECK(has_symptom(&o.es.v[4], "Could not connect to Redis at IPV6ADDRESS: Connection refused"));
		CHECK(has_symptom(&o.es.v[7], "USER_OR_PWD_ERR"));
		CHECK(has_symptom(&o.es.v[8], "ImagePullBackOff"));
		CHECK(!has_symptom(&o.es.v[7], "Traceback (most recent call last):"));
		CHECK_INT(o.es.v[0].nsymptoms, 0); /* commands are not errors */
		CHECK_STR(o.es.v[3].links.n ? o.es.v[3].links.v[0] : NULL, "paas/resource/cluster_recovery.sh");
		/* without a components file, the directory */
		CHECK_STR(o.es.v[0].components.v[0], "paas");
	}
	done(&o);
	free(md);
}

/* Component matching against a plain reference: each word of each component looked for at
 * every byte of the lower-cased text, an ASCII word only as a whole word. Random texts of
 * pieces made to sit at the edges: words inside words, words of other letters that start
 * with an ASCII letter, punctuation and CJK on either side. */
static bool ref_word_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static void components_reference(bool with_c) /* without it, no word of one byte */
{
	const char *yaml = with_c ? "redis: [redis]\ndotnet: [.net]\nk8s: [k8s集群]\ncluster: [集群]\nc: [c, c++]\n"
	                            "storage: [存储]\nnode: [node-1]\nunder: [_x]\nphrase: [a b]\nlatin: [é]\n"
	                            "login: [登录, Login]\n"
	                          : "redis: [redis]\ndotnet: [.net]\nk8s: [k8s集群]\ncluster: [集群]\n"
	                            "storage: [存储]\nnode: [node-1]\nunder: [_x]\nphrase: [a b]\nlatin: [é]\n"
	                            "login: [登录, Login]\n";
	static const char *const pieces[] = {
		"redis", "Redis", "xredis", "redisx", ".net", "asp.net", "k8s集群", "ak8s集群", "集群", "c", "C++",
		"c++x", "存储", "node-1", "node-12", "_x", "a_x", "a b", "é", "aé", " ", " ", "\n", ",", "-", "中",
		"x", "1", "登录", "LOGIN", "登录login", "。", "\xe2\x80\x9c",
		/* the first two bytes of a word, then others: "rexis", 雀 (e9 9b 80) for 集 (e9 9b 86) */
		"rexis", "ReXis", "noxe-1", ".nxt", "k8x集群", "雀群", "孙储", "発录", "loxin", "c+"};
	struct kb_diags d = {0};
	struct kb_components *c = kb_components_parse("components.yaml", yaml, strlen(yaml), &d);
	unsigned long long r = 42;
	size_t bad = 0;
	CHECK_INT(d.n, 0);
	CHECK_INT(kb_components_count(c), with_c ? 11 : 10);
	for (int round = 0; round < 3000; round++) {
		char text[256] = "", lower[256];
		struct kb_strv got = {0}, want = {0};
		size_t n;
		int k = 1 + (int)(r % 9);
		for (int i = 0; i < k; i++) {
			r = r * 6364136223846793005ull + 1442695040888963407ull;
			strcat(text, pieces[(r >> 33) % KB_NELEM(pieces)]);
		}
		n = strlen(text);
		for (size_t i = 0; i <= n; i++)
			lower[i] = (char)kb_ascii_tolower((unsigned char)text[i]);
		kb_components_match(c, text, n, &got);
		/* the reference, in the order of the components file */
		{
			static const struct {
				const char *name, *words[2];
			} comps[] = {{"redis", {"redis"}}, {"dotnet", {".net"}}, {"k8s", {"k8s集群"}},
			             {"cluster", {"集群"}}, {"c", {"c", "c++"}}, {"storage", {"存储"}},
			             {"node", {"node-1"}}, {"under", {"_x"}}, {"phrase", {"a b"}},
			             {"latin", {"é"}}, {"login", {"登录", "login"}}};
			for (size_t ci = 0; ci < KB_NELEM(comps); ci++) {
				bool hit = false;
				if (!with_c && strcmp(comps[ci].name, "c") == 0)
					continue;
				for (size_t wi = 0; wi < 2 && comps[ci].words[wi] && !hit; wi++) {
					const char *w = comps[ci].words[wi];
					size_t m = strlen(w);
					bool ascii = true;
					for (size_t x = 0; x < m; x++)
						ascii &= (unsigned char)w[x] < 0x80;
					for (size_t i = 0; i + m <= n && !hit; i++)
						hit = memcmp(lower + i, w, m) == 0 &&
						      (!ascii || ((i == 0 || !ref_word_char((unsigned char)lower[i - 1])) &&
						                  (i + m == n || !ref_word_char((unsigned char)lower[i + m]))));
				}
				if (hit)
					kb_strv_push(&want, comps[ci].name);
			}
		}
		{
			char *g = kb_strv_join(&got, ","), *w = kb_strv_join(&want, ",");
			if (strcmp(g, w) != 0 && bad++ < 3)
				printf("     components of [%s]: got [%s], want [%s]\n", text, g, w);
			free(g);
			free(w);
		}
		kb_strv_free(&got);
		kb_strv_free(&want);
	}
	CHECK_INT(bad, 0);
	kb_components_free(c);
	kb_diags_free(&d);
}

SUITE(compile)
{
	struct out o;
	seed();

	/* sections at H2 and H3; the text before them; a sole numbered list gives items */
	o = compile("db/mysql.md", "# MySQL\n\nIntro.\n\n## Lock wait\n\nERROR 1205\n\n### Fix it\n\nKill it.\n\n"
	            "## Known issues\n\n1. First problem here.\n2. Second problem here.\n", NULL);
	check_ids(&o, "db/mysql.md db/mysql.md#lock-wait db/mysql.md#fix-it db/mysql.md#1 db/mysql.md#2");
	if (o.es.n == 5) {
		CHECK_STR(o.es.v[0].title, "MySQL");
		CHECK_STR(o.es.v[2].section, "Lock wait");
		CHECK_STR(o.es.v[3].section, "Known issues");
		CHECK_STR(o.es.v[3].title, "First problem here");
		CHECK_STR(o.es.v[1].body, "## Lock wait\n\nERROR 1205");
		CHECK_STR(o.es.v[0].components.v[0], "db");
	}
	done(&o);

	/* an HTML block closed by its end tag ends on its own last line (cmark 0.30.2 says the line
	 * before): a <pre> block at the end of an entry is all in it, a comment there is not */
	o = compile("h.md", "## A\n\ntext a\n\n<pre>one\ntwo</pre>\n\n## B\n\ntext b\n<!-- x -->\n", NULL);
	check_ids(&o, "h.md#a h.md#b");
	CHECK_STR(o.es.n == 2 ? o.es.v[0].body : NULL, "## A\n\ntext a\n\n<pre>one\ntwo</pre>");
	CHECK_STR(o.es.n == 2 ? o.es.v[1].body : NULL, "## B\n\ntext b");
	done(&o);

	/* one entry: no structure, or split: none */
	o = compile("a.md", "Just a paragraph with ECONNREFUSED.\n", NULL);
	check_ids(&o, "a.md");
	CHECK_STR(o.es.n ? o.es.v[0].title : NULL, "a");
	done(&o);
	o = compile("a.md", "---\nsplit: none\ntitle: All in one\n---\n## A\n\nx\n\n## B\n\ny\n", NULL);
	check_ids(&o, "a.md");
	CHECK_STR(o.es.n ? o.es.v[0].title : NULL, "All in one");
	CHECK_INT(o.es.n ? o.es.v[0].line : 0, 5);
	done(&o);

	/* bullets split only when each item holds more than one block */
	o = compile("b.md", "## Links\n\n- one link here\n- two link here\n", NULL);
	check_ids(&o, "b.md");
	done(&o);
	o = compile("b.md", "- Problem one\n\n  ```\n  error: one\n  ```\n- Problem two\n\n  more text\n", NULL);
	check_ids(&o, "b.md#1 b.md#2");
	done(&o);

	/* repeated headings get -1, -2; CJK headings keep their characters */
	o = compile("c.md", "## 镜像导出\n\nx\n\n## Example\n\ny\n\n## Example\n\nz\n", NULL);
	check_ids(&o, "c.md#镜像导出 c.md#example c.md#example-1");
	done(&o);

	/* an author's own heading id wins, and is not part of the title */
	o = compile("k.md", "## Examining pod logs {#examine-pod-logs}\n\nx\n\n### Sub\n\ny\n", NULL);
	check_ids(&o, "k.md#examine-pod-logs k.md#sub");
	CHECK_STR(o.es.n == 2 ? o.es.v[0].title : NULL, "Examining pod logs");
	CHECK_STR(o.es.n == 2 ? o.es.v[1].section : NULL, "Examining pod logs");
	done(&o);

	/* front matter: fields, and a YAML error with its line */
	o = compile("d.md", "---\ntitle: Disk full\ncomponents: [storage, Linux Host]\ntags: disk, ops\n"
	            "symptoms:\n  - \"No space left on device\"\nweight: 10\n---\nBody text.\n", NULL);
	CHECK_INT(o.d.n, 0);
	if (CHECK_INT(o.es.n, 1)) {
		CHECK_STR(o.es.v[0].title, "Disk full");
		CHECK_STR(o.es.v[0].components.v[0], "linux-host");
		CHECK_STR(o.es.v[0].components.v[1], "storage");
		CHECK_INT(o.es.v[0].tags.n, 2);
		CHECK(has_symptom(&o.es.v[0], "No space left on device"));
		CHECK_INT(o.es.v[0].line, 9);
	}
	done(&o);
	o = compile("e.md", "---\ntitle: ok\ncomponents: {a: [\n---\n# Still here\n", NULL);
	CHECK_INT(o.es.n, 1);
	CHECK(o.d.n == 1 && o.d.v[0].code == KB_D_FM_INVALID && o.d.v[0].line >= 3);
	done(&o);
	o = compile("f.md", "---\ntitle: never closed\n# Heading\n", NULL);
	CHECK(o.d.n == 1 && o.d.v[0].code == KB_D_FM_UNCLOSED);
	CHECK_INT(o.es.n, 1);
	done(&o);
	o = compile("g.md", "---\nx: &a [1]\ny: *a\n---\ntext\n", NULL);
	CHECK_INT(o.es.n, 1); /* aliases are refused, not expanded */
	done(&o);

	/* components file: whole ASCII words, Chinese anywhere; front matter wins */
	o = compile("h.md", "Redis 连接失败 in commsrvredis\n", "redis: [redis]\nstorage: [存储]\nlogin: [登录, login]\n");
	if (CHECK_INT(o.es.n, 1) && CHECK_INT(o.es.v[0].components.n, 1))
		CHECK_STR(o.es.v[0].components.v[0], "redis");
	done(&o);
	components_reference(true);
	components_reference(false);
	o = compile("x/h.md", "nothing known\n", "redis: [redis]\n");
	CHECK_STR(o.es.n ? o.es.v[0].components.v[0] : NULL, "x");
	done(&o);

	/* a control character anywhere (the bytes are looked at eight at a time): a warning with
	 * its line and column, the note indexed; tab, form feed, CR and bytes >= 0x80 are not */
	for (int at = 0; at < 20; at++) {
		static const char controls[] = {'\x01', '\x1b', '\x1f', '\x7f', '\x0b'};
		char md[64] = "# T\n\nline two\tis\fhere and more words \xc3\xa9\n";
		size_t len = strlen(md);
		bool one;
		md[5 + at] = controls[at % 5];
		o = compile_n("ctl.md", md, len, NULL);
		one = o.d.n == 1 && o.d.v[0].code == KB_D_CONTROL && o.d.v[0].line == 3 && o.d.v[0].col == at + 1;
		if (!CHECK(o.rc == 1 && one))
			printf("     control 0x%02x at byte %d: %zu diagnostics\n", (unsigned char)controls[at % 5], 5 + at, o.d.n);
		done(&o);
	}
	o = compile("ctl.md", "# T\n\ntab\there, form\ffeed, \xc3\xa9\xe4\xb8\xad and a long line of words\r\n", NULL);
	CHECK_INT(o.d.n, 0);
	done(&o);

	/* bad bytes: skipped with file, line and column */
	o = compile_n("bin.md", "ok\nbad\x01\x00zero\n", 14, NULL);
	CHECK_INT(o.rc, -1);
	CHECK(o.d.n == 1 && o.d.v[0].code == KB_D_BINARY && o.d.v[0].line == 2 && o.d.v[0].col == 5);
	done(&o);
	o = compile("gbk.md", "# \xb4\xed\xce\xf3\n", NULL);
	CHECK(o.rc == -1 && o.d.n == 1 && o.d.v[0].code == KB_D_NOT_UTF8 && o.d.v[0].col == 3);
	done(&o);
	o = compile("empty.md", " \n\t\n", NULL);
	CHECK(o.rc == -1 && o.d.n == 1 && o.d.v[0].code == KB_D_EMPTY);
	done(&o);
	/* BOM, CRLF and lone CR read like LF */
	o = compile("crlf.md", "\xef\xbb\xbf## A\r\n\r\nx\r\n\r\n## B\r\n\r\ny\r\n", NULL);
	check_ids(&o, "crlf.md#a crlf.md#b");
	CHECK_INT(o.es.n == 2 ? o.es.v[1].line : 0, 5);
	CHECK(o.d.n == 1 && o.d.v[0].code == KB_D_BOM);
	done(&o);
	o = compile("cr.md", "## A\r\rx\r\r## B\r\ry\r", NULL);
	check_ids(&o, "cr.md#a cr.md#b");
	CHECK_INT(o.es.n == 2 ? o.es.v[1].line : 0, 5);
	done(&o);

	/* links resolve under the notes directory, never outside it */
	{
		char *p = kb_path_resolve("a/b/c.md", "../d/e.sh#x");
		CHECK_STR(p, "a/d/e.sh");
		free(p);
		CHECK(kb_path_resolve("a/c.md", "../../etc/passwd") == NULL);
		CHECK(kb_path_resolve("a/c.md", "..%2F..%2Fetc/passwd") == NULL);
		CHECK(kb_path_resolve("a/c.md", "https://example.com/x") == NULL);
		CHECK(kb_path_resolve("a/c.md", "#anchor") == NULL);
		p = kb_path_resolve("a/c.md", "/top/x%20y.txt");
		CHECK_STR(p, "top/x y.txt");
		free(p);
	}
}
