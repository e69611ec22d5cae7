/* format.c - the table of source formats (format.h): one row per format, looked up by kind or
 * by file name. */
#include "kb/format.h"

#include <stdlib.h>
#include <string.h>

#include "kb/compile.h"
#include "kb/render.h"

static bool markdown_takes(const char *name)
{
	return kb_note_suffix_len(name) != 0;
}

/* A man page's file name: NAME.SECTION, the section a digit or n/l/o and maybe a suffix
 * ("ls.1", "openssl.1ssl", "File::Spec.3perl"), maybe gzip'd (".gz"). */
static bool roff_takes(const char *name)
{
	size_t n = strlen(name);
	const char *dot;
	char *copy;
	bool ok;
	if (n > 3 && strcmp(name + n - 3, ".gz") == 0)
		n -= 3;
	copy = kb_xstrndup(name, n);
	dot = strrchr(copy, '.');
	ok = dot && dot > copy && dot[1] && strchr("123456789nlo", dot[1]);
	for (const char *p = dot ? dot + 2 : ""; ok && *p; p++)
		ok = kb_ascii_isalnum((unsigned char)*p);
	free(copy);
	return ok;
}

static struct kb_doc *markdown_render(const struct kb_entry *e, const struct kb_render_opts *o)
{
	return kb_render(e->body ? e->body : "", e->body ? strlen(e->body) : 0, o);
}

static const struct kb_format formats[KB_FORMAT__COUNT] = {
	[KB_FORMAT_MARKDOWN] = {
		.kind = KB_FORMAT_MARKDOWN, .name = "markdown", .source = "notes",
		.takes = markdown_takes, .compile = kb_compile, .body_syntax = "markdown",
		.render = markdown_render,
	},
	[KB_FORMAT_ROFF] = {
		.kind = KB_FORMAT_ROFF, .name = "roff", .source = "man",
		.takes = roff_takes, .compile = kb_compile_man, .body_syntax = "markdown",
		.render = markdown_render,
	},
};

const struct kb_format *kb_format_get(int kind)
{
	return kind >= 0 && kind < KB_FORMAT__COUNT ? &formats[kind] : NULL;
}

const struct kb_format *kb_format_for_file(const char *name, const char *source)
{
	for (int i = 0; i < KB_FORMAT__COUNT; i++)
		if (formats[i].takes && strcmp(formats[i].source, source) == 0 && formats[i].takes(name))
			return &formats[i];
	return NULL;
}

struct kb_doc *kb_format_render(const struct kb_entry *e, const struct kb_render_opts *o)
{
	const struct kb_format *f = kb_format_get(e->format);
	return (f ? f : &formats[KB_FORMAT_MARKDOWN])->render(e, o);
}
