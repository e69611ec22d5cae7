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

/* Every diagnostic kb can give about the notes, the components file, linked files and man
 * pages. The catalogue (diag.c) gives each its short name, its level and its fixed text; a
 * call site gives only the arguments (the variable part). kb.1 lists them all. */
enum kb_diag_code {
	/* notes and directories, as the tree is walked and read */
	KB_D_UNREADABLE_KEPT, /* error: exists, cannot be read now; the index keeps what it had */
	KB_D_UNREADABLE,      /* error: cannot be read (gone, or an error); skipped */
	KB_D_NOT_REGULAR,     /* error: a FIFO, device or socket named like a note */
	KB_D_LINK_OUT,        /* error: a symbolic link out of the notes directory */
	KB_D_LINK_HIDDEN,     /* error: a symbolic link to a hidden name */
	KB_D_DIR_NAMED_NOTE,  /* warning: a directory named like a note: walked as a directory */
	KB_D_DIR_LOOP,        /* warning: a symbolic link back up the tree */
	KB_D_DIRS_TOO_DEEP,   /* warning: directories nested deeper than kb walks */
	KB_D_TOO_BIG,         /* error: larger than kb reads */
	/* a note's bytes and markdown */
	KB_D_BINARY,          /* error: NUL bytes: not a text file */
	KB_D_NOT_UTF8,        /* error: not valid UTF-8 */
	KB_D_EMPTY,           /* error: nothing but white space */
	KB_D_BOM,             /* note: a byte order mark was dropped */
	KB_D_CONTROL,         /* warning: control characters will be shown escaped */
	KB_D_NO_CONTENT,      /* warning: front matter and nothing else: no entry */
	KB_D_BRACKETS,        /* warning: image brackets cmark would take quadratic time on */
	KB_D_DENSE_MARKS,     /* warning: marks cmark would take many times their size in memory on */
	/* front matter */
	KB_D_FM_INVALID,      /* warning: not valid YAML; the note is indexed from its markdown */
	KB_D_FM_TOO_BIG,      /* warning: too many YAML events; likewise */
	KB_D_FM_NOT_MAPPING,  /* warning: not a mapping; ignored */
	KB_D_FM_KEY,          /* warning: a key that is not a plain scalar */
	KB_D_FM_ALIAS,        /* warning: a YAML alias (never expanded) */
	KB_D_FM_TYPE,         /* warning: a known field of the wrong type */
	KB_D_FM_SPLIT,        /* warning: split: a value kb does not know */
	KB_D_FM_UNCLOSED,     /* warning: opened with --- and never closed */
	/* the components file */
	KB_D_COMP_UNUSABLE,   /* error: cannot be used at all */
	KB_D_COMP_INVALID,    /* error: not valid YAML */
	KB_D_COMP_TOO_BIG,    /* error: too many YAML events */
	KB_D_COMP_NOT_MAPPING, /* error: not a mapping */
	KB_D_COMP_KEY,        /* error: a name that is not a plain scalar */
	KB_D_COMP_ALIAS,      /* error: a YAML alias (never expanded) */
	KB_D_COMP_WORDS,      /* error: a component whose value is not a list of words */
	/* files the notes link to (stored for kb show) */
	KB_D_LINKED_OUT,      /* warning: a symbolic link out of the notes directory */
	KB_D_LINKED_HIDDEN,   /* warning: a hidden file, or a link to one */
	KB_D_LINKED_NOT_REGULAR, /* warning: a FIFO, device or socket */
	KB_D_LINKED_UNREADABLE, /* warning: cannot be read */
	KB_D_LINKED_TOO_BIG,  /* note: larger than kb stores */
	KB_D_LINKED_BINARY,   /* note: NUL bytes */
	KB_D_LINKED_NOT_UTF8, /* note: not UTF-8 */
	/* man pages */
	KB_D_MAN_DIR,         /* warning: a man directory that cannot be read */
	KB_D_MANDOC,          /* warning: mandoc's own message about a page; read as it reads it */
	KB_D_MANDOC_MORE,     /* warning: how many more of mandoc's messages were not kept */
	/* the index */
	KB_D_INDEX_DAMAGED,   /* warning: the old index is damaged: built afresh */
	KB_D__COUNT
};

struct kb_diag {
	enum kb_diag_code code;
	char *path; /* as given, usually relative to the notes directory */
	int line;   /* 1-based; 0 when the whole file is meant */
	int col;    /* 1-based; 0 when unknown */
	char *args; /* the variable part (a size, a key, a system error), or NULL */
};

/* A list of diagnostics. Zero-initialise; release with kb_diags_free(). */
struct kb_diags {
	struct kb_diag *v;
	size_t n, cap;
};

/* Adds a diagnostic of code about path (copied; NULL reads "-") with no arguments. */
void kb_diag_add(struct kb_diags *d, enum kb_diag_code code, const char *path, int line, int col);
/* Adds a diagnostic whose arguments are fmt and what follows, printf-style. */
void kb_diag_addf(struct kb_diags *d, enum kb_diag_code code, const char *path, int line, int col,
                  const char *fmt, ...) KB_PRINTF(6, 7);
/* The catalogue: a code's level, its short stable name (such as "not-utf8") and its fixed
 * text (static strings; an unknown code reads as an error named "unknown"). */
enum kb_diag_level kb_diag_level(enum kb_diag_code code);
const char *kb_diag_name(enum kb_diag_code code);
const char *kb_diag_text(enum kb_diag_code code);
const char *kb_diag_level_name(enum kb_diag_level level);
/* Appends "kb: PATH:LINE:COL: LEVEL: TEXT[: ARGS]" (line and column only when known), no
 * newline, with nothing of a note's bytes raw. */
void kb_diag_format(const struct kb_diag *d, struct kb_buf *out);
/* Appends d as one JSON object (path, line, col, level, code, text, args), no newline. */
void kb_diag_json(const struct kb_diag *d, struct kb_buf *out);
/* Number of diagnostics at or above level. */
size_t kb_diags_count(const struct kb_diags *d, enum kb_diag_level level);
void kb_diags_free(struct kb_diags *d);
/* Appends every diagnostic of from to to, leaving from empty. */
void kb_diags_move(struct kb_diags *to, struct kb_diags *from);

#endif
