/* test_format.c - the table of formats: which files each takes, and what the index names. */
#include "harness.h"
#include "kb/format.h"

SUITE(format)
{
	const struct kb_format *md = kb_format_get(KB_FORMAT_MARKDOWN);
	CHECK(md && md->kind == KB_FORMAT_MARKDOWN && md->compile && md->render);
	CHECK_STR(md ? md->name : NULL, "markdown");
	CHECK_STR(md ? md->source : NULL, "notes");
	CHECK(kb_format_get(KB_FORMAT__COUNT) == NULL && kb_format_get(-1) == NULL);
	/* the one place that says which names are notes */
	CHECK_INT(kb_note_suffix_len("a.md"), 3);
	CHECK_INT(kb_note_suffix_len("A.MARKDOWN"), 9);
	CHECK_INT(kb_note_suffix_len(".md"), 0);
	CHECK_INT(kb_note_suffix_len("a.mdx"), 0);
	CHECK(kb_format_for_file("x.md", "notes") == md);
	CHECK(kb_format_for_file("x.Markdown", "notes") == md);
	CHECK(kb_format_for_file("x.txt", "notes") == NULL);
	CHECK(kb_format_for_file("x.md", "man") == NULL);
	/* names the index stores, both ways */
	CHECK_STR(kb_format_name(KB_FORMAT_ROFF), "roff");
	CHECK_STR(kb_format_source(KB_FORMAT_ROFF), "man");
	CHECK_INT(kb_format_parse("roff"), KB_FORMAT_ROFF);
	CHECK_INT(kb_format_parse("markdown"), KB_FORMAT_MARKDOWN);
	CHECK_INT(kb_format_parse("troff"), -1);
	CHECK(kb_format_name(KB_FORMAT__COUNT) == NULL);
}
