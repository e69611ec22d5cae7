/* render_impl.h - what the render module's files share: paragraphs as units, line breaking, line building. */
#ifndef KB_RENDER_IMPL_H
#define KB_RENDER_IMPL_H

#include <stdint.h>

#include "kb/render.h"

/* Unit flags. */
enum {
	KB_RU_SPACE = 1 << 0, /* a space: lines break here and drop it */
	KB_RU_HARD = 1 << 1,  /* a forced line break (text "\n", never shown) */
	KB_RU_GLUE = 1 << 2,  /* never break before this unit */
	KB_RU_OPEN = 1 << 3,  /* opening bracket: never break after it */
	KB_RU_CLOSE = 1 << 4, /* closing punctuation: never break before it */
	KB_RU_CJK = 1 << 5,   /* a wide character: lines may break on either side */
	KB_RU_ESC = 1 << 6,   /* part of a control character's visible form */
};

/* One unbreakable piece of a paragraph: a character with its combining marks, a space, a
 * forced break, or one character of a control character's visible form. Its text is
 * p->text[off..off+len); units follow each other in the text without gaps. */
struct kb_ru {
	uint32_t off, len;
	uint32_t cp;          /* the (first) code point */
	int src;              /* markdown line */
	int link;
	unsigned char width, style, attr, flags;
};

/* How the next text added to a paragraph looks. */
struct kb_ustyle {
	unsigned char style, attr;
	int link;
	int src;
};

/* kb_para_add() modes. */
enum {
	KB_PA_COLLAPSE = 1 << 0, /* runs of spaces become one (prose) */
	KB_PA_CODE = 1 << 1,     /* tabs expand to the next multiple of KB_TAB; CR is shown */
};

#define KB_TAB 8

/* A paragraph being collected: display text cut into units. Zero-initialise; reuse with
 * kb_para_reset(); release with kb_para_free(). */
struct kb_para {
	struct kb_buf text;
	struct kb_ru *u;
	size_t n, cap;
	int col;              /* columns since the last forced break (for tabs) */
	bool soft;            /* a soft line break waits for the next character */
	unsigned char base;   /* the block's text style */
	unsigned char next_flags; /* flags for the next unit added */
};

void kb_para_reset(struct kb_para *p, unsigned char base_style);
void kb_para_free(struct kb_para *p);
/* Appends s[0..n) (UTF-8; anything unsafe becomes a visible ESCAPE form). */
void kb_para_add(struct kb_para *p, const char *s, size_t n, const struct kb_ustyle *st,
                 unsigned mode);
/* Removes units [from, to); they must be whole lines, forced break included. */
void kb_para_cut(struct kb_para *p, size_t from, size_t to);
void kb_para_soft(struct kb_para *p);
void kb_para_hard(struct kb_para *p, int src);
/* Marks every ASCII-case-insensitive occurrence of each word with KB_ATTR_MATCH. */
void kb_para_highlight(struct kb_para *p, const char *const *words);

/* Called for each display line of a paragraph: units [start, end), and whether it starts a
 * line of the source (the paragraph's first, or one after a forced break); the others,
 * made by wrapping, get the hanging indent. */
typedef void (*kb_para_emit_fn)(void *ctx, const struct kb_para *p, size_t start, size_t end,
                                bool first);
/* Breaks p into lines of at most avail columns (avail - hang after the first). */
void kb_para_layout(const struct kb_para *p, int avail, int hang, kb_para_emit_fn emit,
                    void *ctx);
/* The same, the first line starting a source line only when first says so (a paragraph laid
 * out in parts: kb_para_layout_part). */
void kb_para_layout_from(const struct kb_para *p, int avail, int hang, bool first,
                         kb_para_emit_fn emit, void *ctx);
/* Lays out only the lines of p that units added later cannot change, and removes their units
 * and text from p, so that a long paragraph is laid out as it is collected. first says
 * whether the first line starts a source line; returns what the line after the last one
 * emitted is. */
bool kb_para_layout_part(struct kb_para *p, int avail, int hang, bool first, kb_para_emit_fn emit,
                         void *ctx);
/* The same for units [start, n) only. */
void kb_para_layout_range(const struct kb_para *p, size_t start, size_t n, int avail, int hang,
                          kb_para_emit_fn emit, void *ctx);

/* A display line being built: spans as offsets into one text buffer, merged when alike and
 * together no wider than a kb_span holds. */
#define KB_SPAN_WIDTH_MAX 0xFFFF
struct kb_lspan {
	size_t off, len;
	int width;
	unsigned char style, attr;
	int link;
};
struct kb_lb {
	struct kb_buf text;
	struct kb_lspan *v;
	size_t n, cap;
	int width;
};
void kb_lb_reset(struct kb_lb *lb);
void kb_lb_free(struct kb_lb *lb);
void kb_lb_put(struct kb_lb *lb, const char *s, size_t len, int width, int style, int attr,
               int link);
void kb_lb_spaces(struct kb_lb *lb, int n);
/* Appends the spans of another line. */
void kb_lb_append(struct kb_lb *lb, const struct kb_lb *from);
/* Appends units [start, end) of p. */
void kb_lb_units(struct kb_lb *lb, const struct kb_para *p, size_t start, size_t end);
/* Drops trailing spaces. */
void kb_lb_rtrim(struct kb_lb *lb);

/* Returns a malloc'd copy of s with anything unsafe made visible (kb_sanitize). */
char *kb_render_safe(const char *s);
/* The reference numbers given so far, by target; the links added so far, by URL. */
struct kb_refs {
	struct kb_strmap numbers;
	struct kb_strmap urls; /* the index of the first link to each URL */
};
/* Appends a link (or an image) to url to d->links (capacity *cap), its kind and resolved
 * target worked out as o says, or copied from an earlier link to the same url (refs): the
 * resolver is asked once a target, however often a note links to it. Text and number are
 * the caller's to fill. Returns its index. */
int kb_link_add(struct kb_doc *d, size_t *cap, const struct kb_render_opts *o, const char *url,
                bool image, struct kb_refs *refs);
/* Gives link (its text filled in) its reference number: the number of an earlier link to the
 * same target, else the next one. Returns it, or 0 for a link whose text is its target. */
int kb_link_number(struct kb_doc *d, int link, struct kb_refs *refs);
void kb_refs_free(struct kb_refs *refs);

/* Called for each display line of a table, its content (without prefix) in lb. */
typedef void (*kb_table_emit_fn)(void *ctx, struct kb_lb *lb, int src);
/* Lays out p as a table within avail columns: rows at forced breaks, cells between '|',
 * the second row the delimiter row ("|---|:-:|"). Columns are aligned, their text wrapped
 * inside them when the table is too wide. Returns false, having emitted nothing, when p is
 * not such a table or its columns cannot get at least a few columns each. */
bool kb_table_layout(const struct kb_para *p, int avail, bool ascii, kb_table_emit_fn emit,
                     void *ctx);

/* render_html.c: raw HTML read as text. */
/* Whether the tag at tag ("<br>", "<br/>", any case) is a line break. */
bool kb_html_is_br(const char *tag);
/* Whether the tag at tag ("<p>", "</div>") starts or ends a block: a line break. */
bool kb_html_breaks(const char *tag);
/* Appends the text of raw HTML s to out: comments, tags, script and style dropped, a '\n'
 * for each block tag, &lt; &gt; &amp; &quot; &#39; &apos; &nbsp; decoded. */
void kb_html_text(const char *s, struct kb_buf *out);

#endif
