/* render.h - markdown to a document of display lines made of styled spans, at a given width. */
#ifndef KB_RENDER_H
#define KB_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "kb/util.h"

/* What a span is, semantically. Printers and the browser map these to their own looks. */
enum kb_style {
	KB_STYLE_TEXT,
	KB_STYLE_H1,
	KB_STYLE_H2,
	KB_STYLE_H3,
	KB_STYLE_H4, /* and deeper */
	KB_STYLE_CODE,       /* code span */
	KB_STYLE_CODEBLOCK,  /* a line of a code block */
	KB_STYLE_CODELABEL,  /* a code block's info string */
	KB_STYLE_LINK,       /* link text */
	KB_STYLE_LINKREF,    /* a link's reference number and its listed target */
	KB_STYLE_MISSING,    /* a link whose target does not exist */
	KB_STYLE_IMAGE,      /* an image's alt text */
	KB_STYLE_QUOTE,      /* the bar in front of quoted lines */
	KB_STYLE_MARKER,     /* list bullets and numbers */
	KB_STYLE_RULE,       /* a thematic break */
	KB_STYLE_HTML,       /* raw HTML, shown as literal text */
	KB_STYLE_ESCAPE,     /* a control character made visible (^[, <U+202E>) */
	KB_STYLE__COUNT
};

/* Attributes that combine with any style. */
enum {
	KB_ATTR_EMPH = 1 << 0,
	KB_ATTR_STRONG = 1 << 1,
	KB_ATTR_MATCH = 1 << 2,  /* a highlighted search match */
	KB_ATTR_STRIKE = 1 << 3,
};

struct kb_span {
	char *text;     /* UTF-8, safe to print: no control characters */
	size_t len;     /* bytes */
	int width;      /* display columns */
	unsigned char style; /* enum kb_style */
	unsigned char attr;  /* KB_ATTR_* */
	int link;       /* index into kb_doc.links, or -1 */
};

struct kb_line {
	struct kb_span *spans;
	size_t nspans;
	int width;      /* display columns of all spans */
	int code;       /* index into kb_doc.codes when this line belongs to a code block, else -1 */
	int src_line;   /* line in the markdown this display line comes from (1-based), 0 if none */
};

enum kb_link_kind {
	KB_LINK_URL,     /* absolute URL (http:, https:, mailto: ...) */
	KB_LINK_ENTRY,   /* another entry: resolved is its id */
	KB_LINK_FILE,    /* a file under the notes directory: resolved is its path */
	KB_LINK_ANCHOR,  /* #fragment inside this entry */
	KB_LINK_MISSING, /* relative target that does not exist, or leaves the notes directory */
};

struct kb_link {
	char *text;       /* the link text, flattened */
	char *target;     /* as written in the note */
	char *resolved;   /* entry id, notes-relative path, URL; NULL when missing */
	enum kb_link_kind kind;
	int number;       /* reference number shown in the text, 1-based */
	int line;         /* first display line where the link text appears */
};

struct kb_code {
	char *info;       /* info string, or NULL */
	char *text;       /* the code exactly as in the note, to copy */
	int first_line;   /* display line of the first code line */
	int nlines;
};

struct kb_doc {
	struct kb_line *lines;
	size_t nlines;
	struct kb_link *links;
	size_t nlinks;
	struct kb_code *codes;
	size_t ncodes;
	int width;        /* the width it was laid out for */
};

/* Resolves a link target that is relative to the notes directory (already joined with the
 * entry's directory and normalised: no "." or ".." left). Returns a malloc'd entry id or path
 * and sets *kind to KB_LINK_ENTRY or KB_LINK_FILE; returns NULL when there is no such thing. */
typedef char *(*kb_resolve_fn)(void *ctx, const char *target, enum kb_link_kind *kind);

struct kb_render_opts {
	int width;                 /* display columns, at least 10 */
	const char *const *highlight; /* NULL-terminated words to mark with KB_ATTR_MATCH, or NULL */
	bool ascii;                /* ASCII stand-ins for box drawing, bullets and quote bars */
	const char *base;          /* the entry's path relative to the notes directory */
	kb_resolve_fn resolve;     /* may be NULL: relative links are then all missing */
	void *resolve_ctx;
};

/* Renders markdown text[0..len) to a document. Never fails (out of memory aborts).
 * Returns a document the caller releases with kb_doc_free(). */
struct kb_doc *kb_render(const char *text, size_t len, const struct kb_render_opts *opts);
void kb_doc_free(struct kb_doc *doc);

/* Printers; each appends to out, one '\n' after every line. */
void kb_doc_plain(const struct kb_doc *doc, struct kb_buf *out);
/* ANSI SGR styles; the only escape sequences in the output are the ones this adds. */
void kb_doc_ansi(const struct kb_doc *doc, struct kb_buf *out);
/* Style-tagged text for golden tests: {h1}…{/}, {code}…{/} and so on. */
void kb_doc_tagged(const struct kb_doc *doc, struct kb_buf *out);

#endif
