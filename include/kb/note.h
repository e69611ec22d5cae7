/* note.h - a whole note put together from its entries in the index, for reading it as a page. */
#ifndef KB_NOTE_H
#define KB_NOTE_H

#include "kb/index.h"
#include "kb/util.h"

struct kb_note {
	char *path;          /* notes-relative */
	char *title;         /* the note's title (front matter, a lone H1, or the file name) */
	struct kb_strv ids;  /* its entries, in the note's order */
	char *markdown;      /* their markdown, one after the other */
	int *lines;          /* ids.n of them: the markdown line (1-based) where each starts */
	unsigned char format; /* its entries' format (enum kb_format_kind): how markdown renders */
};

/* Loads the note at path. Returns 1 (out filled; release with kb_note_free), 0 when the index
 * has no such note, or -1 with err. */
int kb_note_load(struct kb_index *ix, const char *path, struct kb_note *out, struct kb_err *err);
/* Where id is in n->ids, or -1. */
int kb_note_find(const struct kb_note *n, const char *id);
/* Where line (1-based) of n->markdown starts; its end when the line is past it. */
const char *kb_note_line(const struct kb_note *n, int line);
/* The section of a markdown note that name names (kb_compile_section: a heading's id, anchor
 * or text, and everything under it). Returns its markdown (caller frees) with *first and *last
 * its lines in n->markdown and *anchor its heading's anchor (caller frees), or NULL when no
 * heading is so named or the note is not markdown. */
char *kb_note_section(const struct kb_note *n, const char *name, int *first, int *last, char **anchor);
/* Releases what kb_note_load filled and zeroes it. */
void kb_note_free(struct kb_note *n);

#endif
