/* entry.h - the data model: an entry is one problem and its fix, cut from a note. */
#ifndef KB_ENTRY_H
#define KB_ENTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "kb/util.h"

/* An error string an operator would paste, as written in the note, and its normalised
 * signature (see normalize.h). */
struct kb_symptom {
	char *text;
	char *signature;
	int line; /* 1-based line in the note file */
};

/* The formats kb reads a source file in, and the source each belongs to; format.h says what
 * each does with a file. The index stores their names (kb_format_name, kb_format_source). */
enum kb_format_kind {
	KB_FORMAT_MARKDOWN, /* the team's notes */
	KB_FORMAT_ROFF,     /* the host's manual: man(7) and mdoc(7) pages */
	KB_FORMAT__COUNT
};

/* The name of a format as the index stores it ("markdown", "roff"); NULL out of range. */
const char *kb_format_name(int kind);
/* The source a format's files come from ("notes", "man"); NULL out of range. */
const char *kb_format_source(int kind);
/* Whether a file of the format is named by its path in words of its own, searched beside its
 * title as what its entries are part of: a note's file name is; a man page's id
 * ("man:ls(1)") only says its title again. */
bool kb_format_path_words(int kind);
/* How much of a note's title the context of its entries holds: a man page's title
 * ("ls(1)") without its section, which would be a word ("1") in every entry of every page of
 * that section, saying nothing of what one is about (the page's head has it in its title;
 * section:1 filters by it). */
size_t kb_format_context_title(int kind, const char *title);
/* Whether what an entry of the format is part of, as a list shows it, is its note rather than
 * its section: a man page's sections (OPTIONS, DESCRIPTION) are every page's, and ten pages
 * have an option --no-preserve-root; a note's sections are headings of its own. */
bool kb_format_context_page(int kind);
/* Whether files of the format are built once and read for long (a host's manual, not notes
 * an operator edits and rebuilds): the index packs them more densely, for more CPU. */
bool kb_format_read_long(int kind);
/* The format named name, or -1. */
int kb_format_parse(const char *name);
/* The length of the note suffix name ends with (".md", ".markdown", any case), or 0 when it
 * is not a note's name. The one place that decides which file names are notes. */
size_t kb_note_suffix_len(const char *name);

#define KB_ENTRY_MENTION_MAX 32 /* bytes of a name a mention may be (kb_entry.mentions) */

struct kb_entry {
	char *id;    /* "dir/file.md#anchor" or "dir/file.md"; "man:ls(1)#-l" for the manual;
	              * stable across rebuilds */
	char *path;  /* the note, relative to the notes directory */
	int line;    /* first line of the entry in the file (1-based) */
	int end_line;
	char *title;
	char *section;            /* heading the entry sits under, or NULL */
	char *doc_title;          /* the note's title: front matter, a lone H1, or the file name */
	struct kb_strv components; /* sorted, unique */
	struct kb_strv tags;
	struct kb_symptom *symptoms;
	size_t nsymptoms, capsymptoms;
	char *body; /* the entry's markdown, as in the note (list item indentation removed) */
	size_t body_len; /* its bytes */
	struct kb_strv links; /* relative link targets, resolved against the notes directory, and
	                       * man pages linked to (man:ls(1); a man page's head entry holds
	                       * every page its text refers to) */
	struct kb_strv mentions; /* names its prose quotes as code (`ln`, `git reset`): perhaps
	                          * other notes' titles, which count as links to them */
	unsigned char format; /* enum kb_format_kind: what body is written in and how it renders */
};

/* A growable array of entries. Zero-initialise; release with kb_entries_free(). */
struct kb_entries {
	struct kb_entry *v;
	size_t n, cap;
};

/* Appends a zeroed entry and returns it. */
struct kb_entry *kb_entries_add(struct kb_entries *es);
/* Adds a symptom (copies text and signature) unless one with the same signature is there. */
void kb_entry_add_symptom(struct kb_entry *e, const char *text, const char *signature, int line);
void kb_entry_clear(struct kb_entry *e);
/* The entry's anchor: its id after its note's path and '#', or "" when its id is the path. */
const char *kb_entry_anchor(const struct kb_entry *e);
void kb_entries_free(struct kb_entries *es);

#endif
