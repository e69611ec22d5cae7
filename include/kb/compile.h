/* compile.h - one markdown note to entries and diagnostics; the components file. Pure: no
 * files are read here, no database is touched. */
#ifndef KB_COMPILE_H
#define KB_COMPILE_H

#include <stddef.h>

#include "kb/diag.h"
#include "kb/entry.h"

/* Bump when the same note would compile to different entries: the index recompiles all. */
#define KB_COMPILE_VERSION 6

/* Largest note kb reads, in bytes. */
#define KB_COMPILE_MAX_BYTES (16u << 20)

/* The components file: component name -> words that reveal it in a note. */
struct kb_components;

/* Parses the components file text (YAML mapping of name to a list of words). Errors go to
 * diags under `path`; returns a table (possibly empty, never NULL) the caller frees with
 * kb_components_free(). */
struct kb_components *kb_components_parse(const char *path, const char *text, size_t len,
                                          struct kb_diags *diags);
void kb_components_free(struct kb_components *c);
/* Adds to out (unique) the components whose words occur in text[0..n): ASCII words match
 * whole words ignoring case, other words match anywhere. */
void kb_components_match(const struct kb_components *c, const char *text, size_t n,
                         struct kb_strv *out);
/* Number of components in the table. */
size_t kb_components_count(const struct kb_components *c);
/* An empty table (no components file), for kb_components_set_dirs. Free with
 * kb_components_free(). */
struct kb_components *kb_components_new(void);
/* The directory level of a tree of notes (paths[0..n), relative) that divides it: the first
 * level at which the notes are not all in one directory (a directory's language pieces,
 * such as en/ and zh-cn/ or pages/ and pages.zh/, count as one name), or the deepest level
 * every note is under. Its directory names are added to names. Returns the level (0: the
 * top directory). */
int kb_components_dividing_level(char *const *paths, size_t n, struct kb_strv *names);
/* Sets the level and the directory names (kb_components_dividing_level) that give an entry
 * its component when nothing else does. */
void kb_components_set_dirs(struct kb_components *c, int level, const struct kb_strv *names);
/* The component a note's path gives it (c's level; c may be NULL: the top directory), or
 * NULL (caller frees). */
char *kb_components_of_path(const struct kb_components *c, const char *relpath);

/* Compiles the note `relpath` (relative to the notes directory; used for ids and the
 * directory-name component) whose bytes are data[0..len). Appends its entries to out and
 * its diagnostics to diags. comps may be NULL. Returns the number of entries added (0 for
 * a note with nothing but front matter), or -1 when the note was skipped (an error
 * diagnostic says why). */
int kb_compile(const char *relpath, const char *data, size_t len, const struct kb_components *comps,
               struct kb_entries *out, struct kb_diags *diags);

/* Finds the section of markdown text[0..len) (a note's, as kb_note_load puts it together) that
 * name names: the top-level heading whose author-given id ("{#id}"), anchor (the GitHub-style
 * slug of its text, -1, -2 on repeats, as entry ids have it) or text (ASCII case ignored, or
 * as a slug) is name, and everything under it up to the next heading of its level or a higher
 * one. Returns 1 with *first and *last its lines (1-based, inclusive) and *anchor the
 * heading's anchor (caller frees), or 0 when no heading is so named (*anchor NULL). */
int kb_compile_section(const char *text, size_t len, const char *name, int *first, int *last,
                       char **anchor);

/* Compiles one roff man page (man(7) or mdoc(7), uncompressed) whose id is `id`
 * ("man:ls(1)", "man:zh_CN/ls(1)"): entry ids are the id, then '#' and a section, subsection
 * or option ("man:rm(1)#--no-preserve-root"). Bodies are markdown. .so requests are not
 * followed: a page that is only a .so stub gives no entry (0). comps is not used. Appends
 * entries and diagnostics (mandoc's warnings as KB_D_MANDOC); returns the number of entries
 * added, or -1 when the page was skipped. */
int kb_compile_man(const char *id, const char *data, size_t len, const struct kb_components *comps,
                   struct kb_entries *out, struct kb_diags *diags);

#endif
