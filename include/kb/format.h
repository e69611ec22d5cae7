/* format.h - the table of source formats: which files each takes, how it compiles a file into
 * entries, what FTS5 indexes of an entry, and how an entry renders.
 *
 * Build, index, search and the browser go through this table and never ask which format an
 * entry came from. Markdown (the notes) is the first row, roff (the manual) the second. */
#ifndef KB_FORMAT_H
#define KB_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "kb/diag.h"
#include "kb/entry.h"

struct kb_components;
struct kb_doc;
struct kb_render_opts;

struct kb_format {
	enum kb_format_kind kind;
	const char *name;   /* kb_format_name(kind) */
	const char *source; /* kb_format_source(kind): "notes" or "man" */
	/* Whether a file of this name, found in a tree of this format's source, is one. */
	bool (*takes)(const char *name);
	/* Compiles the file id (the note's path, or "man:NAME(SECTION)") whose bytes are
	 * data[0..len): appends entries (format set to kind) and diagnostics. comps may be
	 * NULL. Returns the number of entries added, or -1 when the file was skipped. */
	int (*compile)(const char *id, const char *data, size_t len, const struct kb_components *comps,
	               struct kb_entries *out, struct kb_diags *diags);
	/* What an entry's body holds. FTS5 indexes the body as stored (kb_body() in the index),
	 * so a format stores a body whose text is what should be searched: both formats store
	 * markdown (roff pages are compiled into it, escapes resolved). */
	const char *body_syntax;
	/* Renders an entry's body (returns a document the caller frees with kb_doc_free). */
	struct kb_doc *(*render)(const struct kb_entry *e, const struct kb_render_opts *o);
};

/* The row of a format kind (never NULL for a kind below KB_FORMAT__COUNT; NULL otherwise). */
const struct kb_format *kb_format_get(int kind);
/* The format that takes the file name in a tree of the given source ("notes", "man"), or NULL
 * when none does. */
const struct kb_format *kb_format_for_file(const char *name, const char *source);
/* Renders e with its format's renderer: e->format picks the row. Returns a document the
 * caller frees with kb_doc_free(). */
struct kb_doc *kb_format_render(const struct kb_entry *e, const struct kb_render_opts *o);

/* A whole man page as markdown, from its entries es[0..n) in the order of their lines (the
 * head, sections and subsections, the items): each item's description takes the place of
 * its tag in its section. Caller frees. */
char *kb_format_man_page(const struct kb_entry *es, size_t n);

#endif
