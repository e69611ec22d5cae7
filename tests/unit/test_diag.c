/* test_diag.c - the catalogue of diagnostics: every code named, levelled and worded, and the
 * one format its lines have, for people and as JSON. */
#include <ctype.h>
#include <stdlib.h>

#include "harness.h"
#include "kb/diag.h"

/* Whether name is a short stable name: lower-case letters, digits and inner hyphens. */
static bool good_name(const char *name)
{
	if (!name || !*name || name[0] == '-' || name[strlen(name) - 1] == '-')
		return false;
	for (const char *p = name; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-')
			return false;
	return true;
}

static char *formatted(const struct kb_diag *d, bool json)
{
	struct kb_buf b = {0};
	if (json)
		kb_diag_json(d, &b);
	else
		kb_diag_format(d, &b);
	return kb_buf_take(&b);
}

SUITE(diag)
{
	/* every code: a distinct good name, a text that says what is wrong and then what kb did
	 * (no trailing period, no colon: a colon starts the arguments) */
	for (int c = 0; c < KB_D__COUNT; c++) {
		const char *name = kb_diag_name(c), *text = kb_diag_text(c);
		if (!CHECK(good_name(name) && strcmp(name, "unknown") != 0) || !CHECK(text && *text))
			printf("     code %d\n", c);
		for (int k = 0; k < c; k++)
			if (!CHECK(strcmp(name, kb_diag_name(k)) != 0))
				printf("     %s twice\n", name);
		if (!CHECK(text[strlen(text) - 1] != '.' && !strstr(text, ": ")))
			printf("     %s: %s\n", name, text);
	}
	CHECK_STR(kb_diag_name(KB_D__COUNT), "unknown");
	CHECK(kb_diag_level(KB_D__COUNT) == KB_DIAG_ERROR);
	/* levels as they were before the catalogue: an error skips a whole note (and makes
	 * kb build exit 1), a warning reads part of it differently */
	CHECK(kb_diag_level(KB_D_NOT_UTF8) == KB_DIAG_ERROR && kb_diag_level(KB_D_COMP_WORDS) == KB_DIAG_ERROR);
	CHECK(kb_diag_level(KB_D_FM_INVALID) == KB_DIAG_WARNING && kb_diag_level(KB_D_MANDOC) == KB_DIAG_WARNING);
	CHECK(kb_diag_level(KB_D_BOM) == KB_DIAG_NOTE && kb_diag_level(KB_D_LINKED_BINARY) == KB_DIAG_NOTE);

	struct kb_diags d = {0};
	char *s;
	kb_diag_addf(&d, KB_D_NOT_UTF8, "ops/gbk.md", 3, 1, "byte 0x%02X", 0xb4);
	kb_diag_add(&d, KB_D_EMPTY, "empty.md", 0, 0);
	kb_diag_addf(&d, KB_D_FM_TYPE, "a\x1b[2Jb.md", 2, 0, "ti\x1btle");
	kb_diag_add(&d, KB_D_BOM, NULL, 1, 1);
	CHECK_INT(d.n, 4);
	CHECK_INT(kb_diags_count(&d, KB_DIAG_ERROR), 2);
	CHECK_INT(kb_diags_count(&d, KB_DIAG_NOTE), 4);
	CHECK_STR(s = formatted(&d.v[0], false), "kb: ops/gbk.md:3:1: error: not valid UTF-8 (convert it first, "
	                                         "for example with iconv -f GB18030 -t UTF-8); skipped: byte 0xB4");
	free(s);
	CHECK_STR(s = formatted(&d.v[1], false), "kb: empty.md: error: empty note; skipped");
	free(s);
	/* a path or an argument from a note never reaches the terminal raw */
	CHECK_STR(s = formatted(&d.v[2], false),
	          "kb: a^[[2Jb.md:2: warning: front matter field of the wrong type; ignored: ti^[tle");
	free(s);
	CHECK_STR(s = formatted(&d.v[3], false), "kb: -:1:1: note: byte order mark ignored");
	free(s);
	CHECK_STR(s = formatted(&d.v[0], true),
	          "{\"path\":\"ops/gbk.md\",\"line\":3,\"col\":1,\"level\":\"error\",\"code\":\"not-utf8\",\"text\":"
	          "\"not valid UTF-8 (convert it first, for example with iconv -f GB18030 -t UTF-8); skipped\","
	          "\"args\":\"byte 0xB4\"}");
	free(s);
	CHECK_STR(s = formatted(&d.v[1], true),
	          "{\"path\":\"empty.md\",\"line\":0,\"col\":0,\"level\":\"error\",\"code\":\"empty\",\"text\":"
	          "\"empty note; skipped\",\"args\":null}");
	free(s);
	kb_diags_free(&d);
}
