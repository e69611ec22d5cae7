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

/* Sections and subsections start with their heading; the head entry has no section. */
static bool is_item(const struct kb_entry *e)
{
	return e->section && e->body && strncmp(e->body, "## ", 3) != 0 && strncmp(e->body, "### ", 4) != 0;
}

/* Appends s[0..n), one newline fewer when b already ends a line and s starts one. */
static void put_joined(struct kb_buf *b, const char *s, size_t n)
{
	if (b->len && b->s[b->len - 1] == '\n' && n && *s == '\n' && (n < 2 || s[1] == '\n')) {
		s++;
		n--;
	}
	kb_buf_put(b, s, n);
}

/* The length of the paragraph s starts with, without the newline that ends an entry: an
 * item of tags alone (no description) is all tag. */
static size_t first_para(const char *s)
{
	const char *end = strstr(s, "\n\n");
	size_t n = end ? (size_t)(end - s) : strlen(s);
	while (n && s[n - 1] == '\n')
		n--;
	return n;
}

char *kb_format_man_page(const struct kb_entry *es, size_t n)
{
	struct kb_buf b = {0};
	for (size_t i = 0; i < n;) {
		const char *body = es[i].body ? es[i].body : "", *at = body;
		size_t j = i + 1;
		if (b.len)
			kb_buf_putc(&b, '\n');
		if (is_item(&es[i])) { /* an item whose section is not in the list */
			kb_buf_puts(&b, body);
			i++;
			continue;
		}
		for (; j < n && is_item(&es[j]); j++) {
			const char *item = es[j].body ? es[j].body : "";
			size_t tag = first_para(item);
			char *want = kb_xasprintf("\n\n%.*s\n", (int)tag, item);
			const char *found = strstr(at, want);
			if (found) { /* the section up to the tag, then the item in the tag's place */
				const char *p = item + tag;
				put_joined(&b, at, (size_t)(found - at) + 2);
				at = found + 2 + tag;
				/* tags in a row that share the item (.TP and .TQ: "**--url**", "**-u**")
				 * are each in the section: the item takes all their places */
				while (strncmp(p, "\n\n", 2) == 0 && strncmp(at, "\n\n", 2) == 0) {
					const char *q = p + 2;
					size_t len = first_para(q);
					if (len == 0 || strncmp(at + 2, q, len) != 0 || at[2 + len] != '\n')
						break;
					at += 2 + len;
					p = q + len;
				}
			} else {
				put_joined(&b, at, strlen(at));
				at += strlen(at);
				kb_buf_putc(&b, '\n');
			}
			kb_buf_puts(&b, item);
			free(want);
		}
		put_joined(&b, at, strlen(at));
		i = j;
	}
	return b.s ? kb_buf_take(&b) : kb_xstrdup("");
}
