/* note.c - a whole note put together from its entries, in the note's order: what the reader's
 * whole-note page and kb show PATH print. Only the index is asked, never the notes directory,
 * so a bundle (an index and no notes) shows whole notes too. */
#include "kb/note.h"

#include <stdlib.h>
#include <string.h>

#include "kb/compile.h"
#include "kb/entry.h"

static int count_lines(const char *s, size_t n)
{
	int k = 0;
	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

/* An item of a list of problems (id "path#N") lost its number to the entry: it goes back in
 * front, in bold, so that the items of the whole note stay apart. */
static void number_item(struct kb_buf *md, const struct kb_entry *e)
{
	const char *hash = strrchr(e->id, '#');
	size_t n = hash ? strspn(hash + 1, "0123456789") : 0;
	if (!hash || n == 0 || hash[1 + n] != '\0')
		return;
	kb_buf_printf(md, "**%.*s.**", (int)n, hash + 1);
	/* before text on its line; alone on its line before a code block, a list, a heading */
	kb_buf_puts(md, strchr(" \t`~#>-*+|0123456789<", e->body[0]) ? "\n\n" : " ");
}

/* The level of the heading an entry's body opens with ("### x": 3), or 0. */
static int heading_level(const struct kb_entry *e)
{
	size_t k = strspn(e->body, "#");
	return k >= 1 && k <= 6 && (e->body[k] == ' ' || e->body[k] == '\0') ? (int)k : 0;
}

/* The level of the heading of the list of problems whose first item is es->v[i] (the index
 * keeps the items, not the heading): an H3 when the heading before is one and the first
 * heading after the items is not an H3 under this one; else an H2. */
static int items_level(const struct kb_entries *es, size_t i)
{
	const char *sec = es->v[i].section;
	int before = 0;
	for (size_t j = i; j-- > 0 && !before;)
		before = heading_level(&es->v[j]);
	for (size_t j = i; j < es->n; j++) {
		int after = heading_level(&es->v[j]);
		if (after)
			return before >= 3 && !(after == 3 && es->v[j].section && strcmp(es->v[j].section, sec) == 0) ? 3 : 2;
	}
	return before >= 3 ? 3 : 2;
}

/* Appends entry es->v[i] to md and returns the line it starts on. The entries of a list of
 * problems hold their items, not the section's heading: it goes in front of the first of
 * them (items_level). *prev is the section of the entry before (owned; replaced). */
static int append_entry(struct kb_buf *md, const struct kb_entries *es, size_t i, const char *title, char **prev)
{
	const struct kb_entry *e = &es->v[i];
	int line;
	if (md->len)
		kb_buf_puts(md, "\n\n");
	if (e->body[0] != '#' && e->section && (!*prev || strcmp(*prev, e->section) != 0) &&
	    (!title || strcmp(e->section, title) != 0))
		kb_buf_printf(md, "%s %s\n\n", items_level(es, i) == 3 ? "###" : "##", e->section);
	free(*prev);
	*prev = e->section ? kb_xstrdup(e->section) : NULL;
	line = count_lines(md->s ? md->s : "", md->len) + 1;
	number_item(md, e);
	kb_buf_puts(md, e->body);
	return line;
}

int kb_note_load(struct kb_index *ix, const char *path, struct kb_note *out, struct kb_err *err)
{
	struct kb_entries es = {0};
	struct kb_buf md = {0};
	char *prev = NULL;
	memset(out, 0, sizeof *out);
	if (kb_index_note_entries(ix, path, &es, err) != 0) {
		kb_entries_free(&es); /* those read before the damaged one */
		return -1;
	}
	if (es.n == 0)
		return 0;
	out->path = kb_xstrdup(path);
	out->lines = kb_xcalloc(es.n, sizeof *out->lines);
	for (size_t i = 0; i < es.n; i++) {
		const struct kb_entry *e = &es.v[i];
		if (!out->title && e->doc_title)
			out->title = kb_xstrdup(e->doc_title);
		out->format = e->format;
		kb_strv_push(&out->ids, e->id);
		out->lines[i] = append_entry(&md, &es, i, out->title, &prev);
	}
	free(prev);
	out->markdown = kb_buf_take(&md);
	kb_entries_free(&es);
	return 1;
}

int kb_note_find(const struct kb_note *n, const char *id)
{
	for (size_t i = 0; i < n->ids.n; i++)
		if (strcmp(n->ids.v[i], id) == 0)
			return (int)i;
	return -1;
}

const char *kb_note_line(const struct kb_note *n, int line)
{
	const char *p = n->markdown;
	for (int l = 1; l < line && *p; l++)
		p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != '\0');
	return p;
}

char *kb_note_section(const struct kb_note *n, const char *name, int *first, int *last, char **anchor)
{
	const char *from, *to;
	*anchor = NULL;
	if (n->format != KB_FORMAT_MARKDOWN ||
	    !kb_compile_section(n->markdown, strlen(n->markdown), name, first, last, anchor))
		return NULL;
	from = kb_note_line(n, *first);
	to = kb_note_line(n, *last + 1);
	return kb_xstrndup(from, (size_t)(to - from));
}

void kb_note_free(struct kb_note *n)
{
	free(n->path);
	free(n->title);
	kb_strv_free(&n->ids);
	free(n->markdown);
	free(n->lines);
	memset(n, 0, sizeof *n);
}
