/* diag.c - the catalogue of diagnostics about notes, with levels, and their one format. */
#include "kb/diag.h"

#include <stdlib.h>
#include <string.h>

#include "kb/width.h"

#define E KB_DIAG_ERROR
#define W KB_DIAG_WARNING
#define N KB_DIAG_NOTE

/* Every code's name (stable: tests and scripts match it), level and fixed text, as mandoc
 * keeps its messages: what varies (a size, a key, the system's error) comes after it as the
 * arguments. A text says what is wrong, then what kb did about it. kb.1 lists the same, and
 * tests/diag.test.sh checks that it does. The sizes are the limits in compile.h and build.h
 * (build.c asserts that they are). */
static const struct entry {
	const char *name;
	enum kb_diag_level level;
	const char *text;
} catalogue[KB_D__COUNT] = {
	[KB_D_UNREADABLE_KEPT] = {"unreadable-kept", E, "cannot be read; the index keeps what it had from it"},
	[KB_D_UNREADABLE] = {"unreadable", E, "cannot be read; skipped"},
	[KB_D_NOT_REGULAR] = {"not-regular", E, "not a regular file; skipped"},
	[KB_D_LINK_OUT] = {"link-out", E, "a symbolic link out of the notes directory; not indexed"},
	[KB_D_LINK_HIDDEN] = {"link-hidden", E, "a symbolic link to a hidden name (one starting with '.'); not indexed"},
	[KB_D_DIR_NAMED_NOTE] = {"dir-named-note", W, "a directory, not a note; the notes in it are read"},
	[KB_D_DIR_LOOP] = {"dir-loop", W, "a directory loop (a symbolic link back up the tree); not followed"},
	[KB_D_DIRS_TOO_DEEP] = {"dirs-too-deep", W, "directories nested too deep; not followed"},
	[KB_D_TOO_BIG] = {"too-big", E, "larger than 16 MiB; skipped"},
	[KB_D_BINARY] = {"binary", E, "binary (a NUL byte); skipped"},
	[KB_D_NOT_UTF8] = {"not-utf8", E,
	                   "not valid UTF-8 (convert it first, for example with iconv -f GB18030 -t UTF-8); skipped"},
	[KB_D_EMPTY] = {"empty", E, "empty note; skipped"},
	[KB_D_BOM] = {"bom", N, "byte order mark ignored"},
	[KB_D_CONTROL] = {"control", W, "control character; it will be shown escaped"},
	[KB_D_NO_CONTENT] = {"no-content", W, "only front matter; nothing to index"},
	[KB_D_BRACKETS] = {"brackets", W,
	                   "image brackets with links inside them would take the markdown parser time in the "
	                   "square of their number; kept as text"},
	[KB_D_DENSE_MARKS] = {"dense-marks", W,
	                      "emphasis, code, link, line and paragraph marks would take the markdown parser a "
	                      "hundred times their size; kept as raw text"},
	[KB_D_FM_INVALID] = {"fm-invalid", W, "front matter is not valid YAML; the note is indexed from its markdown"},
	[KB_D_FM_TOO_BIG] = {"fm-too-big", W,
	                     "front matter too large or too deeply nested; the note is indexed from its markdown"},
	[KB_D_FM_NOT_MAPPING] = {"fm-not-mapping", W, "front matter is not a mapping of names to values; ignored"},
	[KB_D_FM_KEY] = {"fm-key", W, "a front matter key that is not a plain name; skipped"},
	[KB_D_FM_ALIAS] = {"fm-alias", W, "YAML aliases are not followed; the field is ignored"},
	[KB_D_FM_TYPE] = {"fm-type", W, "front matter field of the wrong type; ignored"},
	[KB_D_FM_SPLIT] = {"fm-split", W, "split must be auto, none, sections or items; using auto"},
	[KB_D_FM_UNCLOSED] = {"fm-unclosed", W, "front matter opened with --- is never closed; read as markdown"},
	[KB_D_COMP_UNUSABLE] = {"comp-unusable", E,
	                        "the components file cannot be used; components come from directory names"},
	[KB_D_COMP_INVALID] = {"comp-invalid", E, "the components file is not valid YAML; the rest of it is ignored"},
	[KB_D_COMP_TOO_BIG] = {"comp-too-big", E,
	                       "the components file is too large or too deeply nested; the rest of it is ignored"},
	[KB_D_COMP_NOT_MAPPING] = {"comp-not-mapping", E,
	                           "the components file is not a mapping of names to lists of words; ignored"},
	[KB_D_COMP_KEY] = {"comp-key", E, "a component name that is not a plain name; skipped"},
	[KB_D_COMP_ALIAS] = {"comp-alias", E, "YAML aliases are not followed; the component is skipped"},
	[KB_D_COMP_WORDS] = {"comp-words", E, "a component needs a list of words; skipped"},
	[KB_D_LINKED_OUT] = {"linked-out", W, "a symbolic link out of the notes directory; a linked file, not stored"},
	[KB_D_LINKED_HIDDEN] = {"linked-hidden", W,
	                        "a hidden file (a name starting with '.') or a link to one; a linked file, not stored"},
	[KB_D_LINKED_NOT_REGULAR] = {"linked-not-regular", W, "not a regular file; a linked file, not stored"},
	[KB_D_LINKED_UNREADABLE] = {"linked-unreadable", W, "cannot be read; a linked file, not stored"},
	[KB_D_LINKED_TOO_BIG] = {"linked-too-big", N, "larger than 1 MiB; a linked file, not stored"},
	[KB_D_LINKED_BINARY] = {"linked-binary", N, "binary (a NUL byte); a linked file, not stored"},
	[KB_D_LINKED_NOT_UTF8] = {"linked-not-utf8", N, "not valid UTF-8; a linked file, not stored"},
	[KB_D_MAN_DIR] = {"man-dir", W, "a man directory that cannot be read; its pages are skipped"},
	[KB_D_MANDOC] = {"mandoc", W, "mandoc"},
	[KB_D_MANDOC_MORE] = {"mandoc-more", W, "more messages from mandoc, not shown"},
	[KB_D_INDEX_DAMAGED] = {"index-damaged", W, "the old index is damaged; every note is compiled again"},
};

#undef E
#undef W
#undef N

static const struct entry *entry_of(enum kb_diag_code code)
{
	static const struct entry unknown = {"unknown", KB_DIAG_ERROR, "unknown diagnostic"};
	return (unsigned)code < KB_D__COUNT && catalogue[code].name ? &catalogue[code] : &unknown;
}

static void add(struct kb_diags *d, enum kb_diag_code code, const char *path, int line, int col, char *args)
{
	kb_xgrow(&d->v, &d->cap, d->n + 1, sizeof *d->v);
	d->v[d->n++] = (struct kb_diag){
		.code = code,
		.path = kb_xstrdup(path ? path : "-"),
		.line = line,
		.col = col,
		.args = args,
	};
}

void kb_diag_add(struct kb_diags *d, enum kb_diag_code code, const char *path, int line, int col)
{
	add(d, code, path, line, col, NULL);
}

void kb_diag_addf(struct kb_diags *d, enum kb_diag_code code, const char *path, int line, int col,
                  const char *fmt, ...)
{
	struct kb_buf args = {0};
	va_list ap;
	va_start(ap, fmt);
	kb_buf_vprintf(&args, fmt, ap);
	va_end(ap);
	add(d, code, path, line, col, kb_buf_take(&args));
}

enum kb_diag_level kb_diag_level(enum kb_diag_code code)
{
	return entry_of(code)->level;
}

const char *kb_diag_name(enum kb_diag_code code)
{
	return entry_of(code)->name;
}

const char *kb_diag_text(enum kb_diag_code code)
{
	return entry_of(code)->text;
}

const char *kb_diag_level_name(enum kb_diag_level level)
{
	switch (level) {
	case KB_DIAG_NOTE: return "note";
	case KB_DIAG_WARNING: return "warning";
	case KB_DIAG_ERROR: return "error";
	}
	return "error";
}

void kb_diag_format(const struct kb_diag *d, struct kb_buf *out)
{
	struct kb_buf raw = {0};
	kb_buf_printf(&raw, "kb: %s", d->path);
	if (d->line > 0)
		kb_buf_printf(&raw, ":%d", d->line);
	if (d->line > 0 && d->col > 0)
		kb_buf_printf(&raw, ":%d", d->col);
	kb_buf_printf(&raw, ": %s: %s", kb_diag_level_name(kb_diag_level(d->code)), kb_diag_text(d->code));
	if (d->args)
		kb_buf_printf(&raw, ": %s", d->args);
	/* Paths and arguments may quote a note: nothing of it reaches a terminal raw. */
	kb_sanitize(out, raw.s, raw.len, false);
	kb_buf_free(&raw);
}

void kb_diag_json(const struct kb_diag *d, struct kb_buf *out)
{
	kb_buf_puts(out, "{\"path\":");
	kb_buf_json(out, d->path);
	kb_buf_printf(out, ",\"line\":%d,\"col\":%d,\"level\":\"%s\",\"code\":\"%s\",\"text\":", d->line, d->col,
	              kb_diag_level_name(kb_diag_level(d->code)), kb_diag_name(d->code));
	kb_buf_json(out, kb_diag_text(d->code));
	kb_buf_puts(out, ",\"args\":");
	if (d->args)
		kb_buf_json(out, d->args);
	else
		kb_buf_puts(out, "null");
	kb_buf_putc(out, '}');
}

size_t kb_diags_count(const struct kb_diags *d, enum kb_diag_level level)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += kb_diag_level(d->v[i].code) >= level;
	return n;
}

void kb_diags_free(struct kb_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].path);
		free(d->v[i].args);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

void kb_diags_move(struct kb_diags *to, struct kb_diags *from)
{
	kb_xgrow(&to->v, &to->cap, to->n + from->n, sizeof *to->v);
	if (from->n)
		memcpy(to->v + to->n, from->v, from->n * sizeof *from->v);
	to->n += from->n;
	free(from->v);
	memset(from, 0, sizeof *from);
}
