/* test_render.c - the markdown renderer: wrapping rules, lists, code, links, highlight, search, and that nothing unsafe gets out. */
#include <stdlib.h>

#include "harness.h"
#include "kb/render.h"
#include "kb/width.h"

static struct kb_doc *doc_at(const char *md, int width)
{
	struct kb_render_opts o = {.width = width};
	return kb_render(md, strlen(md), &o);
}

/* The plain text of md rendered at width (no marks), caller frees. */
static char *plain_at(const char *md, int width)
{
	struct kb_buf b = {0};
	struct kb_doc *d = doc_at(md, width);
	kb_doc_plain(d, &b);
	kb_doc_free(d);
	return kb_buf_take(&b);
}

static void check_plain(const char *md, int width, const char *want)
{
	char *got = plain_at(md, width);
	CHECK_STR(got, want);
	free(got);
}

/* Whether some line is wider than the document's width (code lines aside). */
static bool too_wide(const struct kb_doc *d)
{
	for (size_t i = 0; i < d->nlines; i++)
		if (d->lines[i].code < 0 && d->lines[i].width > d->width)
			return true;
	return false;
}

/* Span j of line li. */
#define SPAN(d, li, j) (&(d)->spans[(d)->lines[li].span + (j)])

/* The text of span j of line li, as a string (valid until the next call). */
static const char *span_text(const struct kb_doc *d, size_t li, size_t j)
{
	static char buf[4096];
	const struct kb_span *s = SPAN(d, li, j);
	size_t n = s->len < sizeof buf - 1 ? s->len : sizeof buf - 1;
	memcpy(buf, kb_span_text(d, s), n);
	buf[n] = '\0';
	return buf;
}

/* The span of line li whose text is s, or NULL. */
static const struct kb_span *span_of(const struct kb_doc *d, size_t li, const char *s)
{
	for (size_t j = 0; li < d->nlines && j < d->lines[li].nspans; j++)
		if (strcmp(span_text(d, li, j), s) == 0)
			return SPAN(d, li, j);
	return NULL;
}

static void test_cjk_wrapping(void)
{
	/* Lines break between CJK characters, with no space needed. */
	check_plain("一二三四五六七八九十", 10, "一二三四五\n六七八九十\n");
	/* A wide character is never split at the edge: width 11 takes five, not five and a half. */
	check_plain("一二三四五六七", 11, "一二三四五\n六七\n");
	check_plain("a一二三四五六", 11, "a一二三四五\n六\n");
	/* Closing punctuation never starts a line: the character before it moves down too. */
	check_plain("一二三四五，六七", 10, "一二三四\n五，六七\n");
	check_plain("一二三四五。」六", 10, "一二三四\n五。」六\n");
	/* Opening brackets never end a line. */
	check_plain("一二三四（五六", 10, "一二三四\n（五六\n");
	check_plain("一二三四「五」", 10, "一二三四\n「五」\n");
	/* Latin closing punctuation after CJK stays with it too. */
	check_plain("一二三四五.", 10, "一二三四\n五.\n");
	/* Between CJK and Latin a line may break; inside a Latin word it may not. */
	check_plain("部署PaaS时出现MANIFEST_UNKNOWN错误", 20, "部署PaaS时出现\nMANIFEST_UNKNOWN错误\n");
}

static void test_widths(void)
{
	/* Combining marks take no column: ten e-acute (decomposed) fit in 10. */
	struct kb_buf md = {0};
	for (int i = 0; i < 10; i++)
		kb_buf_puts(&md, "e\xcc\x81");
	kb_buf_puts(&md, " x");
	struct kb_doc *d = doc_at(md.s, 10);
	CHECK_INT(d->nlines, 2);
	CHECK_INT(d->lines[0].width, 10);
	CHECK_INT(SPAN(d, 0, 0)->len, 30);
	kb_doc_free(d);
	kb_buf_free(&md);
	/* A tab in prose is a space. */
	check_plain("a\tb", 80, "a b\n");
}

static void test_ansi(void)
{
	struct kb_doc *d = doc_at("# T\n\n**b** *e* `c` [l](http://x)\n", 80);
	struct kb_buf b = {0};
	kb_doc_ansi(d, &b);
	CHECK_STR(b.s, "\x1b[1;4;35m# T\x1b[0m\n\n"
	               "\x1b[1mb\x1b[0m \x1b[3me\x1b[0m \x1b[36mc\x1b[0m \x1b[4ml\x1b[0m"
	               "\x1b[2m[1]\x1b[0m\n\n\x1b[2mReferences\x1b[0m\n\x1b[2m[1] http://x\x1b[0m\n");
	kb_buf_free(&b);
	kb_doc_free(d);
}

static void test_long_words(void)
{
	/* A word longer than the line breaks hard, filling each line. */
	check_plain("aaaaaaaaaaaaaaaaaaaaaaaaa", 10, "aaaaaaaaaa\naaaaaaaaaa\naaaaa\n");
	/* ... after a '/' when there is one late enough in the line; a word that has to be cut
	 * anyway starts on a line less than half full, and one on a fuller line goes down. */
	check_plain("see /usr/share/doc/kb/examples", 12, "see /usr/\nshare/doc/\nkb/examples\n");
	check_plain("seeing it: /usr/share/doc/kb", 12, "seeing it:\n/usr/share/\ndoc/kb\n");
	/* A space breaks; several spaces in prose are one. */
	check_plain("aaa   bbb ccc", 10, "aaa bbb\nccc\n");
}

static void test_breaks(void)
{
	check_plain("foo  \nbar", 80, "foo\nbar\n");   /* two trailing spaces */
	check_plain("foo\\\nbar", 80, "foo\nbar\n");   /* backslash */
	check_plain("foo\nbar", 80, "foo bar\n");      /* soft: a space between Latin words */
	check_plain("中文\n字符", 80, "中文字符\n");   /* none between CJK characters */
	check_plain("中文。\n字符", 80, "中文。字符\n");
	check_plain("中文\nabc", 80, "中文 abc\n");
	check_plain("한국어\n문장", 80, "한국어 문장\n"); /* Korean uses spaces */
	check_plain("para one\n\npara two", 80, "para one\n\npara two\n");
}

static void test_lists(void)
{
	check_plain("7. seven\n8. eight\n", 80, "7. seven\n8. eight\n");
	char *s = plain_at("1. a\n2. b\n3. c\n4. d\n5. e\n6. f\n7. g\n8. h\n9. i\n10. j\n11. k\n", 80);
	CHECK(strncmp(s, " 1. a\n 2. b\n", 12) == 0);
	CHECK(strstr(s, "\n 9. i\n10. j\n11. k\n") != NULL);
	free(s);
	check_plain("3) x\n", 80, "3) x\n");
	/* Hanging indent under the marker; nested lists indent further. */
	check_plain("- aaa bbb ccc ddd", 10, "\u2022 aaa bbb\n  ccc ddd\n");
	check_plain("10. aaa bbb ccc ddd", 16, "10. aaa bbb ccc\n    ddd\n");
	/* At width 10 the indentation limit (half the width, 8 columns of text at least)
	 * leaves no room for a 4-column marker: it goes in front of the text instead. */
	check_plain("10. aaa bbb ccc", 10, "10. aaa\nbbb ccc\n");
	check_plain("- a\n  - b\n    - c\n", 80, "\u2022 a\n  \u25e6 b\n    \u25aa c\n");
	/* Tight lists have no blank lines between items, loose ones do. */
	check_plain("- a\n- b\n", 80, "\u2022 a\n\u2022 b\n");
	check_plain("- a\n\n- b\n", 80, "\u2022 a\n\n\u2022 b\n");
	check_plain("text\n- a\n- b\n\nafter", 80, "text\n\n\u2022 a\n\u2022 b\n\nafter\n");
	/* A quote inside an item, and an empty item. */
	check_plain("1. a\n   > q\n", 80, "1. a\n   \u2502 q\n");
	check_plain("-\n- b\n", 80, "\u2022\n\u2022 b\n");
}

static void test_quotes_rules_headings(void)
{
	check_plain("> aaa bbb ccc", 10, "\u2502 aaa bbb\n\u2502 ccc\n");
	check_plain("> a\n>\n> b", 80, "\u2502 a\n\u2502\n\u2502 b\n");
	check_plain("---", 10, "\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\n");
	check_plain("### Title here", 10, "### Title\n    here\n");
	struct kb_doc *d = doc_at("# One\n\n## Two\n\n#### Four\n\n###### Six", 80);
	CHECK_INT(d->nlines, 7);
	CHECK_INT(SPAN(d, 0, 0)->style, KB_STYLE_H1);
	CHECK_INT(SPAN(d, 2, 0)->style, KB_STYLE_H2);
	CHECK_INT(SPAN(d, 4, 0)->style, KB_STYLE_H4);
	CHECK_STR(span_text(d, 6, 0), "###### Six");
	kb_doc_free(d);
}

static void test_code(void)
{
	const char *md = "```sh\ndocker ps\t-a\n\tindented   \n```\n\n    plain code\n";
	struct kb_doc *d = doc_at(md, 10);
	CHECK_INT(d->ncodes, 2);
	CHECK_STR(d->codes[0].info, "sh");
	CHECK_STR(d->codes[0].text, "docker ps\t-a\n\tindented   \n"); /* exact, to copy */
	CHECK_INT(d->codes[0].first_line, 0);
	CHECK_INT(d->codes[0].nlines, 3);
	CHECK_INT(d->lines[0].code, 0);
	CHECK_INT(SPAN(d, 0, 0)->style, KB_STYLE_CODELABEL);
	/* Not reflowed even though wider than 10; tabs to the next multiple of 8. */
	CHECK_STR(span_text(d, 1, 1), "docker ps       -a");
	CHECK_INT(d->lines[1].width, 2 + 18);
	CHECK_STR(span_text(d, 2, 1), "        indented");
	CHECK_INT(d->lines[1].src_line, 2);
	CHECK_INT(d->lines[3].code, -1);  /* the blank line between */
	CHECK_INT(d->lines[4].code, 1);
	CHECK(d->codes[1].info == NULL);
	CHECK_INT(d->codes[1].first_line, 4);
	CHECK_INT(d->lines[4].src_line, 6);
	kb_doc_free(d);
	/* Code spans stay apart from text, marks or not. */
	d = doc_at("run `ls -l` now", 80);
	const struct kb_span *s = span_of(d, 0, "ls -l");
	CHECK(s && s->style == KB_STYLE_CODE);
	kb_doc_free(d);
	struct kb_render_opts o = {.width = 80, .marks = true};
	d = kb_render("run `ls` *now* **here**", 23, &o);
	struct kb_buf b = {0};
	kb_doc_plain(d, &b);
	CHECK_STR(b.s, "run `ls` *now* **here**\n");
	kb_buf_free(&b);
	kb_doc_free(d);
}

static void test_emphasis_across_wrap(void)
{
	struct kb_doc *d = doc_at("x *aaa bbb ccc ddd* y", 10);
	CHECK_INT(d->nlines, 2);
	const struct kb_span *a = span_of(d, 0, "aaa bbb"), *b = span_of(d, 1, "ccc ddd");
	CHECK(a && a->attr == KB_ATTR_EMPH);
	CHECK(b && b->attr == KB_ATTR_EMPH);
	CHECK(span_of(d, 0, "x ") && span_of(d, 0, "x ")->attr == 0);
	CHECK(span_of(d, 1, " y") && span_of(d, 1, " y")->attr == 0);
	kb_doc_free(d);
	d = doc_at("**strong [link text here](http://x)**", 12);
	const struct kb_span *l = span_of(d, 1, "text here");
	CHECK(l && l->style == KB_STYLE_LINK && (l->attr & KB_ATTR_STRONG) && l->link == 0);
	kb_doc_free(d);
}

static void test_highlight(void)
{
	const char *words[] = {"REFUSED", "镜像", "foobar", NULL};
	struct kb_render_opts o = {.width = 80, .highlight = words};
	const char *md = "Connection refused; 导出镜像时 foo**bar** and refusedrefused\n\n```\nrefused\n```";
	struct kb_doc *d = kb_render(md, strlen(md), &o);
	const struct kb_span *s = span_of(d, 0, "refused");
	CHECK(s && s->attr == KB_ATTR_MATCH);
	s = span_of(d, 0, "镜像");
	CHECK(s && s->attr == KB_ATTR_MATCH);
	CHECK(span_of(d, 0, "; 导出") != NULL); /* split around the match */
	s = span_of(d, 0, "bar");
	CHECK(s && s->attr == (KB_ATTR_MATCH | KB_ATTR_STRONG));
	s = span_of(d, 0, "refusedrefused");
	CHECK(s && s->attr == KB_ATTR_MATCH);
	s = span_of(d, 2, "refused");
	CHECK(s && s->attr == KB_ATTR_MATCH && s->style == KB_STYLE_CODEBLOCK);
	struct kb_doc_pos *pos;
	size_t n = kb_doc_runs(d, KB_ATTR_MATCH, &pos);
	CHECK_INT(n, 5);
	CHECK_INT(pos[0].col, 11); /* "Connection " */
	CHECK_INT(pos[0].width, 7);
	CHECK_INT(pos[1].col, 24); /* "镜像" after "Connection refused; 导出" */
	CHECK_INT(pos[1].width, 4);
	free(pos);
	kb_doc_free(d);
	/* A match that a wrap cuts in two is marked on both lines. */
	const char *w2[] = {"bbb ccc", NULL};
	o.width = 10;
	o.highlight = w2;
	d = kb_render("aaa bbb ccc", 11, &o);
	CHECK(span_of(d, 0, "bbb") && span_of(d, 0, "bbb")->attr == KB_ATTR_MATCH);
	CHECK(span_of(d, 1, "ccc") && span_of(d, 1, "ccc")->attr == KB_ATTR_MATCH);
	kb_doc_free(d);
}

/* A paragraph of more units than are collected at once is laid out as it comes: the lines
 * are those of laying it out whole (greedy, under the list item's hanging indent), with its
 * highlight, however it was cut. */
static void test_long_paragraph(void)
{
	struct kb_buf md = {0}, want = {0}, line = {0}, got = {0};
	static const char *const hl[] = {"w15000", NULL};
	struct kb_render_opts o = {.width = 40, .highlight = hl};
	struct kb_doc_pos *pos;
	kb_buf_puts(&md, "- ");
	kb_buf_puts(&line, "\u2022");
	for (int i = 0; i < 30000; i++) {
		char w[16];
		int n = snprintf(w, sizeof w, "w%d", i);
		kb_buf_printf(&md, "%s ", w);
		if (kb_width_str(line.s, line.len) + 1 + (size_t)n > 40) {
			kb_buf_printf(&want, "%s\n", line.s);
			kb_buf_reset(&line);
			kb_buf_puts(&line, " ");
		}
		kb_buf_printf(&line, " %s", w);
	}
	kb_buf_printf(&want, "%s\n", line.s);
	struct kb_doc *d = kb_render(md.s, md.len, &o);
	kb_doc_plain(d, &got);
	CHECK(got.len == want.len && memcmp(got.s, want.s, got.len) == 0);
	CHECK_INT(kb_doc_runs(d, KB_ATTR_MATCH, &pos), 1);
	free(pos);
	CHECK(!too_wide(d));
	kb_doc_free(d);
	kb_buf_free(&md);
	kb_buf_free(&want);
	kb_buf_free(&line);
	kb_buf_free(&got);
}

static void test_find_and_mark(void)
{
	struct kb_doc *d = doc_at("# Redis\n\nCheck **redis** and REDIS; 查询redis的容器", 80);
	struct kb_doc_pos *pos;
	size_t n = kb_doc_find(d, "redis", &pos);
	CHECK_INT(n, 4);
	CHECK_INT(pos[0].line, 0);
	CHECK_INT(pos[0].col, 2);
	CHECK_INT(pos[1].line, 2);
	CHECK_INT(pos[1].col, 6);
	CHECK_INT(pos[3].col, 27); /* after "Check redis and REDIS; 查询" */
	CHECK_INT(pos[3].width, 5);
	free(pos);
	CHECK_INT(kb_doc_mark(d, "redis", KB_ATTR_FIND), 4);
	const struct kb_span *s = span_of(d, 2, "redis");
	CHECK(s && s->attr == (KB_ATTR_FIND | KB_ATTR_STRONG));
	s = span_of(d, 2, "REDIS");
	CHECK(s && s->attr == KB_ATTR_FIND);
	CHECK(span_of(d, 2, "; 查询") != NULL);
	CHECK_INT(kb_doc_runs(d, KB_ATTR_FIND, &pos), 4);
	free(pos);
	CHECK_INT(kb_doc_mark(d, NULL, KB_ATTR_FIND), 0);
	CHECK_INT(kb_doc_runs(d, KB_ATTR_FIND, &pos), 0);
	CHECK(pos == NULL);
	CHECK_INT(kb_doc_find(d, "", &pos), 0);
	kb_doc_free(d);
}

static void check_join(const char *base, const char *target, const char *want)
{
	char *got = kb_render_join(base, target);
	CHECK_STR(got, want);
	free(got);
}

/* A resolver that knows two things and remembers what it was asked. */
static char *fake_resolve(void *ctx, const char *target, enum kb_link_kind *kind)
{
	struct kb_strv *asked = ctx;
	kb_strv_push(asked, target);
	if (strcmp(target, "paas/resource/cluster_recovery.sh") == 0) {
		*kind = KB_LINK_FILE;
		return kb_xstrdup(target);
	}
	if (strcmp(target, "redis/login.md#slow") == 0) {
		*kind = KB_LINK_ENTRY;
		return kb_xstrdup("redis/login.md#slow");
	}
	return NULL;
}

static void test_links(void)
{
	check_join("paas/deployment-issues.md", "resource/cluster_recovery.sh",
	           "paas/resource/cluster_recovery.sh");
	check_join("a/b/c.md", "../d.md", "a/d.md");
	check_join("a/b.md", "./x/.././y//z", "a/y/z");
	check_join("a/b.md", "/top.md", "top.md");
	check_join("a/b.md", "my%20file.md", "a/my file.md");
	check_join(NULL, "x.md", "x.md");
	check_join("paas/deployment-issues.md", "../../etc/passwd", NULL);
	check_join("paas/x.md", "../x/../../y", NULL);
	check_join("a/b.md", "%2e%2e/%2E%2E/etc/passwd", NULL);
	check_join("a/b.md", "/../etc/passwd", NULL);
	check_join("a/b.md", "x%00.md", NULL);
	check_join("a/b.md", "", NULL);

	struct kb_strv asked = {0};
	struct kb_render_opts o = {.width = 40, .base = "paas/deployment-issues.md",
	                           .resolve = fake_resolve, .resolve_ctx = &asked};
	const char *md = "[script](resource/cluster_recovery.sh) [slow](../redis/login.md#slow) "
	                 "[pw](../../etc/passwd) [web](https://example.com/a) "
	                 "[again](https://example.com/a) <https://x.org> [top](#top) [gone](nope.md)";
	struct kb_doc *d = kb_render(md, strlen(md), &o);
	CHECK_INT(d->nlinks, 8);
	CHECK_INT(d->links[0].kind, KB_LINK_FILE);
	CHECK_STR(d->links[0].resolved, "paas/resource/cluster_recovery.sh");
	CHECK_INT(d->links[1].kind, KB_LINK_ENTRY);
	CHECK_INT(d->links[2].kind, KB_LINK_MISSING);
	CHECK(d->links[2].resolved == NULL);
	CHECK(!kb_strv_has(&asked, "etc/passwd") && !kb_strv_has(&asked, "../../etc/passwd"));
	CHECK_INT(asked.n, 3); /* the script, the entry and nope.md: never the climber */
	CHECK_INT(d->links[3].kind, KB_LINK_URL);
	CHECK_INT(d->links[3].number, 4);
	CHECK_INT(d->links[4].number, 4); /* the same target, the same number */
	CHECK_INT(d->links[5].number, 0); /* an autolink shows its target already */
	CHECK_INT(d->links[6].kind, KB_LINK_ANCHOR);
	CHECK_STR(d->links[6].resolved, "top");
	CHECK_INT(d->links[7].kind, KB_LINK_MISSING);
	CHECK_STR(d->links[0].text, "script");
	CHECK_INT(d->links[0].line, 0);
	const struct kb_span *s = span_of(d, 0, "[1]");
	CHECK(s && s->style == KB_STYLE_LINKREF && s->link == 0);
	s = span_of(d, 0, "pw");
	CHECK(s && s->style == KB_STYLE_MISSING);
	CHECK(d->refs_line > 0 && d->links[7].line < d->refs_line);
	CHECK_STR(span_text(d, d->refs_line, 0), "References");
	struct kb_buf b = {0};
	kb_doc_plain(d, &b);
	CHECK(strstr(b.s, "\n[1] paas/resource/cluster_recovery.sh\n") != NULL);
	CHECK(strstr(b.s, "\n[3] ../../etc/passwd (missing)\n") != NULL);
	CHECK(strstr(b.s, "[5]") == NULL || strstr(b.s, "https://x.org[") == NULL);
	kb_buf_free(&b);
	kb_doc_free(d);
	kb_strv_free(&asked);
}

/* Whether s holds a byte sequence that a terminal could take as a control: ESC (other than
 * the well-formed SGR sequences allowed when sgr_ok), any C0 but newline, C1 (U+0080..U+009F
 * in UTF-8), or a bidi control (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C). */
static bool unsafe(const char *s, bool sgr_ok)
{
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++) {
		if (*p == 0x1b) {
			if (!sgr_ok || p[1] != '[')
				return true;
			const unsigned char *q = p + 2;
			while ((*q >= '0' && *q <= '9') || *q == ';')
				q++;
			if (*q != 'm' || q == p + 2)
				return true;
			p = q;
		} else if ((*p < 0x20 && *p != '\n') || *p == 0x7f) {
			return true;
		} else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			return true;
		} else if (p[0] == 0xe2 && ((p[1] == 0x80 && ((p[2] >= 0xaa && p[2] <= 0xae) ||
		                                                p[2] == 0x8e || p[2] == 0x8f)) ||
		                            (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9))) {
			return true;
		} else if (p[0] == 0xd8 && p[1] == 0x9c) {
			return true;
		}
	}
	return false;
}

static void test_escape_safety(void)
{
	/* OSC 52 (clipboard), CSI 2J (clear), OSC 8 (hyperlink), C1 CSI, bidi override, BEL,
	 * DEL, everywhere a note can put them. */
	const char *md =
		"# Head \x1b]52;c;ZXZpbA==\x07 \x1b[2J\n\n"
		"Text \x1b[2J \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ c1 \xc2\x9b" "31m bidi \xe2\x80\xae" "olleh \x7f\n\n"
		"Code `\x1b[2J \xe2\x81\xa6` and [li\x1bnk](http://x/\x1b[2J \"t\") "
		"![al\x1b]52;c;AA\x07t](im\x1bg.png) <b\x1b[1m>x</b>\n\n"
		"```sh\x1b]52;c;QUFB\x07\ncode \x1b[2J \x1b]8;;x\x1b\\ \xc2\x85\r\n```\n\n"
		"<div>\x1b]52;c;AA\x07 \xe2\x80\x8f</div>\n\n"
		"| a\x1b[2J | b |\n|---|---|\n| \x1b]8;;u\x1b\\ | \xd8\x9c |\n\n"
		"Entities &#x1b;[2J &#x9b; &#x202e; &#27;\n\n"
		"- item \x1b[2J\n  > quote \x1b[2J\n";
	const int widths[] = {10, 20, 80};
	int problems = 0, visible = 0;
	for (size_t w = 0; w < KB_NELEM(widths); w++) {
		for (int flags = 0; flags < 4; flags++) {
			struct kb_render_opts o = {.width = widths[w], .ascii = flags & 1,
			                           .marks = (flags & 2) != 0};
			struct kb_doc *d = kb_render(md, strlen(md), &o);
			struct kb_buf p = {0}, a = {0}, t = {0};
			kb_doc_plain(d, &p);
			kb_doc_ansi(d, &a);
			kb_doc_tagged(d, &t);
			problems += unsafe(p.s, false) + unsafe(t.s, false) + unsafe(a.s, true);
			visible += strstr(p.s, "^[]52;c;") != NULL && strstr(p.s, "<U+202E>") != NULL &&
			           strstr(p.s, "<U+009B>") != NULL && strstr(t.s, "{escape") != NULL;
			for (size_t i = 0; i < d->nlinks; i++)
				problems += unsafe(d->links[i].text, false) + unsafe(d->links[i].target, false);
			for (size_t i = 0; i < d->ncodes; i++)
				problems += d->codes[i].info && unsafe(d->codes[i].info, false);
			problems += too_wide(d);
			kb_buf_free(&p);
			kb_buf_free(&a);
			kb_buf_free(&t);
			kb_doc_free(d);
		}
	}
	CHECK_INT(problems, 0);
	CHECK_INT(visible, 12);
	/* The checker itself finds what it must. */
	CHECK(unsafe("a\x1b[2Jb", true) && unsafe("\x1b]8;;x", true) && unsafe("\xc2\x9b", false));
	CHECK(unsafe("\xe2\x80\xae", false) && unsafe("\x1b[m", false) && !unsafe("\x1b[0;1m", true));
	/* The code to copy is exact; what is shown is not. */
	struct kb_doc *d = doc_at("```\n\x1b[2J\n```", 80);
	CHECK_STR(d->codes[0].text, "\x1b[2J\n");
	CHECK_STR(span_text(d, 0, 1), "^[");
	CHECK_INT(SPAN(d, 0, 1)->style, KB_STYLE_ESCAPE);
	kb_doc_free(d);
}

static void test_ascii(void)
{
	struct kb_render_opts o = {.width = 40, .ascii = true};
	const char *md = "# T\n\n- a\n  - b\n    - c\n\n> q\n\n---\n\n```sh\nx\n```\n\n"
	                 "| a | b |\n|---|---|\n| 1 | 2 |\n";
	struct kb_doc *d = kb_render(md, strlen(md), &o);
	struct kb_buf b = {0};
	kb_doc_plain(d, &b);
	bool ascii = true;
	for (size_t i = 0; i < b.len; i++)
		ascii &= (unsigned char)b.s[i] < 0x80;
	CHECK(ascii);
	CHECK(strstr(b.s, "* a\n  - b\n    + c\n") != NULL);
	CHECK(strstr(b.s, "| q\n") != NULL);
	CHECK(strstr(b.s, "-- sh\n") != NULL);
	CHECK(strstr(b.s, "a | b\n--+--\n1 | 2\n") != NULL);
	kb_buf_free(&b);
	kb_doc_free(d);
}

static void test_tables(void)
{
	const char *md = "| Error | Fix |\n|:--|--:|\n| `E1` | x |\n| MANIFEST | re-export |\n";
	check_plain(md, 80,
	            "Error    \u2502       Fix\n"
	            "\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u253c"
	            "\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\n"
	            "E1       \u2502         x\n"
	            "MANIFEST \u2502 re-export\n");
	/* Too wide for aligned columns: rows one a line, wrapped under an indent. */
	check_plain("| aaaa | bbbb | cccc |\n|---|---|---|\n| 1 | 2 | 3 |", 12,
	            "| aaaa |\n  bbbb |\n  cccc |\n| 1 | 2 | 3\n  |\n");
	/* An empty header row (a man page's tbl table without one): neither it nor its rule */
	check_plain("|  |  |\n|---|---|\n| /etc/x | settings |\n| /var/y | cache |\n", 80,
	            "/etc/x \u2502 settings\n/var/y \u2502 cache\n");
}

static void test_deep_nesting(void)
{
	/* 10,000 levels of quotes and of lists: no crash, no line too wide, text kept. */
	struct kb_buf md = {0};
	for (int i = 0; i < 10000; i++)
		kb_buf_puts(&md, "> ");
	kb_buf_puts(&md, "deep text\n\n");
	for (int i = 0; i < 10000; i++)
		kb_buf_puts(&md, "- ");
	kb_buf_puts(&md, "deep item\n\n");
	for (int i = 0; i < 200; i++)
		kb_buf_printf(&md, "%*s- level %d\n", 2 * i, "", i);
	for (int w = 20; w <= 80; w += 60) {
		struct kb_doc *d = doc_at(md.s, w);
		struct kb_buf b = {0};
		kb_doc_plain(d, &b);
		CHECK(!too_wide(d));
		CHECK(strstr(b.s, "deep text") != NULL);
		CHECK(strstr(b.s, "item") != NULL);
		CHECK(strstr(b.s, "199") != NULL);
		kb_buf_free(&b);
		kb_doc_free(d);
	}
	kb_buf_free(&md);
}

static void test_src_lines(void)
{
	struct kb_doc *d = doc_at("# T\n\nline one\nline two  \nline three\n\n- item\n", 10);
	/* T, blank, "line one", "line two", "line three", blank, item */
	CHECK_INT(d->lines[0].src_line, 1);
	CHECK_INT(d->lines[2].src_line, 3);
	CHECK_INT(d->lines[3].src_line, 4); /* "line two", joined to line 3 by a soft break */
	CHECK_INT(d->lines[4].src_line, 5);
	CHECK_INT(d->lines[d->nlines - 1].src_line, 7);
	kb_doc_free(d);
}

SUITE(render)
{
	test_cjk_wrapping();
	test_long_words();
	test_widths();
	test_ansi();
	test_breaks();
	test_lists();
	test_quotes_rules_headings();
	test_code();
	test_emphasis_across_wrap();
	test_highlight();
	test_long_paragraph();
	test_find_and_mark();
	test_links();
	test_escape_safety();
	test_ascii();
	test_tables();
	test_deep_nesting();
	test_src_lines();
}
