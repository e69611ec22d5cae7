/* diag.h - the catalogue of diagnostics about notes, with levels, and their one format. */
#ifndef KB_DIAG_H
#define KB_DIAG_H

#include <stddef.h>

#include "kb/util.h"

enum kb_diag_level {
	KB_DIAG_NOTE,    /* information: nothing was lost */
	KB_DIAG_WARNING, /* part of a note was read differently from what its author meant */
	KB_DIAG_ERROR,   /* a whole note was skipped */
};

/* Every diagnostic kb can give about the notes. Its level is fixed by the catalogue. */
enum kb_diag_code {
	KB_D_UNREADABLE,     /* error: cannot open or read the file */
	KB_D_EMPTY,          /* error: the file holds nothing but white space */
	KB_D_BINARY,         /* error: NUL bytes: not a text file */
	KB_D_NOT_UTF8,       /* error: not valid UTF-8 */
	KB_D_TOO_BIG,        /* error: larger than kb reads */
	KB_D_YAML,           /* warning: front matter is not valid YAML; indexed from markdown */
	KB_D_FRONT_MATTER,   /* warning: a front matter field has the wrong type or is unknown */
	KB_D_UNCLOSED_FM,    /* warning: front matter opened with --- and never closed */
	KB_D_DUPLICATE_ID,   /* warning: two entries would get one id; the later one renamed */
	KB_D_COMPONENTS,     /* error: the components file cannot be used */
	KB_D_BOM,            /* note: a byte order mark was dropped */
	KB_D_CONTROL,        /* warning: control characters will be shown escaped */
	KB_D_SKIPPED_DIR,    /* warning: a directory could not be read or was a loop */
	KB_D_DEEP,           /* warning: nesting deeper than kb follows; kept as text */
	KB_D_NO_CONTENT,     /* warning: front matter and nothing else: no entry */
	KB_D_OUTSIDE,        /* error: a symbolic link out of the notes directory: not followed */
	KB_D_DIR_NAMED_NOTE, /* warning: a directory named like a note: walked as a directory */
	KB_D_LINK_REFUSED,   /* warning: a linked file kb never stores (outside, hidden, not a file) */
	KB_D_LINK_SKIPPED,   /* note: a linked file not stored (binary, not UTF-8, too large) */
	KB_D_ROFF,           /* warning: mandoc found a problem in a man page; read as it reads it */
	KB_D__COUNT
};

struct kb_diag {
	enum kb_diag_code code;
	char *path; /* as given, usually relative to the notes directory */
	int line;   /* 1-based; 0 when the whole file is meant */
	int col;    /* 1-based; 0 when unknown */
	char *msg;
};

/* A list of diagnostics. Zero-initialise; release with kb_diags_free(). */
struct kb_diags {
	struct kb_diag *v;
	size_t n, cap;
};

void kb_diag_add(struct kb_diags *d, enum kb_diag_code code, const char *path, int line, int col,
                 const char *fmt, ...) KB_PRINTF(6, 7);
enum kb_diag_level kb_diag_level(enum kb_diag_code code);
const char *kb_diag_level_name(enum kb_diag_level level);
/* Appends "kb: PATH:LINE:COL: LEVEL: MESSAGE" (line and column only when known), no newline. */
void kb_diag_format(const struct kb_diag *d, struct kb_buf *out);
/* Number of diagnostics at or above level. */
size_t kb_diags_count(const struct kb_diags *d, enum kb_diag_level level);
void kb_diags_free(struct kb_diags *d);
/* Appends every diagnostic of from to to, leaving from empty. */
void kb_diags_move(struct kb_diags *to, struct kb_diags *from);

#endif
