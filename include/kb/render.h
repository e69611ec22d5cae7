/* render.h - markdown to a document of display lines made of styled spans, at a given width. */
#ifndef KB_RENDER_H
#define KB_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kb/util.h"

/* What a span is, semantically. Printers and the browser map these to their own looks. */
enum kb_style {
	KB_STYLE_TEXT,
	KB_STYLE_H1,         /* a heading's text, and the "#" marks in front of it */
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
	KB_ATTR_MATCH = 1 << 2,  /* a word of the search that led here (opts->highlight) */
	KB_ATTR_STRIKE = 1 << 3,
	KB_ATTR_FIND = 1 << 4,   /* an in-page search hit, set by kb_doc_mark() */
};

/* A run of a line's text in one look. Lines and spans are small fixed records and all the
 * text is one arena (kb_doc.text): a document of millions of short lines stays a few times
 * the size of its note. */
struct kb_span {
	uint32_t off;   /* its text is kb_doc.text + off, len bytes (no NUL of its own): UTF-8,
	                 * safe to print, no control characters */
	uint32_t len;
	int32_t link;   /* index into kb_doc.links, or -1 */
	uint16_t width; /* display columns; a wider run of text is several spans */
	unsigned char style; /* enum kb_style */
	unsigned char attr;  /* KB_ATTR_* */
};

struct kb_line {
	uint32_t span;   /* its spans are kb_doc.spans[span .. span + nspans) */
	uint32_t nspans;
	int32_t width;   /* display columns of all spans; never more than kb_doc.width unless code >= 0 */
	int32_t code;    /* index into kb_doc.codes when this line belongs to a code block, else -1 */
	int32_t src_line; /* line in the markdown this display line comes from (1-based), 0 if none */
};

enum kb_link_kind {
	KB_LINK_URL,     /* absolute URL (http:, https:, mailto: ...) */
	KB_LINK_ENTRY,   /* another entry: resolved is its id */
	KB_LINK_FILE,    /* a file under the notes directory: resolved is its path */
	KB_LINK_ANCHOR,  /* #fragment inside this entry: resolved is the fragment, without '#' */
	KB_LINK_MISSING, /* relative target that does not exist, or leaves the notes directory */
};

/* One link or image, in the order they appear (Tab in the browser walks this array). */
struct kb_link {
	char *text;       /* the link text (an image's alt text), flattened; safe to print */
	char *target;     /* as written in the note, made safe to print (see kb_sanitize) */
	char *resolved;   /* entry id, notes-relative path, URL or fragment, NOT sanitised (it is
	                   * for opening; sanitise before showing); NULL when missing */
	enum kb_link_kind kind;
	int number;       /* reference number shown after the text, 1-based; links to the same
	                   * target share it; 0 when the text is the target itself (autolinks),
	                   * which is then neither numbered nor listed */
	int line;         /* first display line where the link text appears */
	bool image;       /* an image rather than a link */
};

struct kb_code {
	char *info;       /* info string made safe to print, or NULL */
	char *text;       /* the code exactly as in the note, to copy; NOT sanitised */
	int first_line;   /* display line of the block's first line (its label, when it has one) */
	int nlines;       /* display lines of the block, label included; they have .code set */
};

/* A heading's author-given id and the display line where the heading is. */
struct kb_anchor {
	char *id;
	int line;
};

struct kb_doc {
	struct kb_line *lines;
	size_t nlines;    /* the lines held: display lines first .. first + nlines */
	size_t first;     /* display lines handed to kb_render_opts.flush and dropped; 0 without */
	struct kb_span *spans; /* every line's spans, in order */
	size_t nspans;
	char *text;       /* every span's text */
	size_t ntext;
	struct kb_link *links;
	size_t nlinks;
	struct kb_code *codes;
	size_t ncodes;
	int width;        /* the width it was laid out for */
	int refs_line;    /* display line of the "References" list under the entry, or -1 */
	struct kb_anchor *anchors; /* headings with an author-given id ("## Title {#id}") */
	size_t nanchors;
};

/* Resolves a link target that is relative to the notes directory (already joined with the
 * entry's directory and normalised: no "." or ".." left; a "#fragment" as written in the note
 * may follow the path). Returns a malloc'd entry id or path and sets *kind to KB_LINK_ENTRY or
 * KB_LINK_FILE; returns NULL when there is no such thing. */
typedef char *(*kb_resolve_fn)(void *ctx, const char *target, enum kb_link_kind *kind);

/* The mark that ends a folded piece of a code line (kb_render_opts.fold_code); ASCII: "\\". */
#define KB_RENDER_FOLD "\u21a9"

struct kb_render_opts {
	int width;                 /* display columns, clamped to 10..4096 */
	const char *const *highlight; /* NULL-terminated words to mark with KB_ATTR_MATCH, or NULL */
	bool ascii;                /* ASCII stand-ins for box drawing, bullets and quote bars */
	bool marks;                /* for printing without styles (kb_doc_plain): keep `code`,
	                            * *emphasis* and **strong** marks visible in the text */
	bool fold_code;            /* code lines wider than the width fold, each piece but the
	                            * last ending in KB_RENDER_FOLD (no line is then wider) */
	const char *base;          /* the entry's path relative to the notes directory, or NULL */
	kb_resolve_fn resolve;     /* may be NULL: relative links are then all missing */
	void *resolve_ctx;
	/* May be NULL. Otherwise called whenever the document holds a few thousand lines, and at
	 * the end, to take them (print them): the lines are then dropped, and kb_doc.first counts
	 * them. Line numbers in links, codes, anchors and refs_line stay those of the whole
	 * document. For output in one pass in memory that does not grow with the document. */
	void (*flush)(void *ctx, const struct kb_doc *doc);
	void *flush_ctx;
};

/* Renders markdown text[0..len) to a document; opts may be NULL (width 80, nothing else).
 * Never fails (out of memory aborts). Returns a document the caller releases with
 * kb_doc_free(). */
struct kb_doc *kb_render(const char *text, size_t len, const struct kb_render_opts *opts);
/* Releases a document and everything in it; NULL is fine. */
void kb_doc_free(struct kb_doc *doc);

/* Joins a relative link target (a path, without "#fragment"; %XX escapes are decoded) to the
 * directory of base (a notes-relative file path, or NULL for the top) and removes "." and ".."
 * parts. A target starting with '/' is taken from the top of the notes directory. Returns the
 * malloc'd notes-relative path (caller frees), or NULL when it climbs out of the notes
 * directory, is empty, or decodes to a NUL byte. */
char *kb_render_join(const char *base, const char *target);

/* A search snippet (the entry's markdown as stored, with \x02 and \x03 around matches) without
 * what reading the entry would not show: HTML comments (a part cut off at either end too),
 * HTML tags (text kept), a heading's {#id}, markdown's heading, list, quote and emphasis
 * marks, backticks, link targets and fence lines, and the heading that opens it (the entry's
 * title, shown beside it). Returns a new string (caller frees). */
char *kb_render_snippet_tidy(const char *snippet);

/* Printers; each appends to out, one '\n' after every line. */
void kb_doc_plain(const struct kb_doc *doc, struct kb_buf *out);
/* ANSI SGR styles; the only escape sequences in the output are the ones this adds, each of
 * the form ESC [ digits ; ... m, and every line ends with the attributes reset. */
void kb_doc_ansi(const struct kb_doc *doc, struct kb_buf *out);
/* Style-tagged text for golden tests: {h1}…{/}, {code}…{/}, {link@0}…{/} (link index) and
 * so on; then the links and code blocks, one per line. */
void kb_doc_tagged(const struct kb_doc *doc, struct kb_buf *out);

/* The text of span s of doc: s->len bytes, not NUL-terminated. */
static inline const char *kb_span_text(const struct kb_doc *doc, const struct kb_span *s)
{
	return doc->text + s->off;
}

/* Where something is in a document: display line, first column and columns taken; span and
 * byte say where in that line's spans it starts (span counts from the line's first). */
struct kb_doc_pos {
	int line;
	int col;
	int width;
	size_t span;
	size_t byte;
};

/* Finds every occurrence of pattern (ASCII case folding, other text as is) within the
 * display lines of doc; a match does not run from one display line into the next. Returns
 * how many, and a malloc'd array of them in *out (caller frees; NULL when none). */
size_t kb_doc_find(const struct kb_doc *doc, const char *pattern, struct kb_doc_pos **out);
/* Lists the runs of text carrying every bit of attr (e.g. KB_ATTR_MATCH: where the search
 * words are). Returns how many, and a malloc'd array in *out (caller frees; NULL when none). */
size_t kb_doc_runs(const struct kb_doc *doc, unsigned attr, struct kb_doc_pos **out);
/* Sets attr (e.g. KB_ATTR_FIND) on every occurrence kb_doc_find() would report, splitting
 * spans as needed, after clearing attr everywhere. A NULL or empty pattern only clears.
 * Returns the number of occurrences marked. */
size_t kb_doc_mark(struct kb_doc *doc, const char *pattern, unsigned attr);

#endif
