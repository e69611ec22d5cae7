/* compile_man_priv.h - what the roff format's compile files share: mandoc's tree and the
 * inline writer that turns its words into kb's markdown. Only compile_man*.c include it. */
#ifndef KB_COMPILE_MAN_PRIV_H
#define KB_COMPILE_MAN_PRIV_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mandoc.h"
#include "roff.h"
#include "mdoc.h"
#include "man.h"
#include "mandoc_parse.h"
#include "tbl.h"

#include "kb/util.h"

enum man_font { FONT_R, FONT_B, FONT_I, FONT_BI };

/* A paragraph being written: runs of text in one font, joined into markdown by inl_flush. */
struct inl {
	struct kb_buf text;   /* the runs' text, back to back */
	struct {
		size_t start, len;
		enum man_font font;
	} *runs;
	size_t nruns, cap;
	enum man_font font, prev_font; /* what the next word is set in (\f escapes change it) */
	bool space;           /* a space goes before the next word */
	bool nospace;         /* \c or Ns: the next word joins the last */
};

/* Appends the roff word (escapes resolved, fonts followed) in font f; a separating space
 * first unless the paragraph is empty or joined. */
void inl_word(struct inl *w, const char *word, enum man_font f);
/* Appends plain text (no escapes) in font f, without a space before it. */
void inl_raw(struct inl *w, const char *s, size_t n, enum man_font f);
bool inl_empty(const struct inl *w);
/* The paragraph as markdown (emphasis marks around runs, specials escaped), appended to
 * out; w is emptied. */
void inl_flush(struct inl *w, struct kb_buf *out);
/* The paragraph as plain text, appended to out; w is emptied. */
void inl_plain(struct inl *w, struct kb_buf *out);
void inl_free(struct inl *w);

/* The plain text of a roff word (escapes resolved, fonts dropped), appended to out. */
void man_plain_word(const char *word, struct kb_buf *out);

#endif
