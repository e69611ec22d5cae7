/* edit.h - an entry's note opened in the user's editor at the entry's line, then the index
 * brought up to date: kb edit and the browser's e. */
#ifndef KB_EDIT_H
#define KB_EDIT_H

#include "kb/diag.h"
#include "kb/entry.h"
#include "kb/index.h"
#include "kb/util.h"

/* The note of entry e on this host: the notes directory the index was built from, joined
 * with e->path, when that directory is here, e->path is a note's relative path that stays
 * under it (an index is anyone's file: no "..", no hidden name, no symbolic link out) and
 * the note can be written. Returns the path (caller frees) and sets *notes_dir (caller
 * frees), or NULL with err saying why not (an index carried without its notes, as in a
 * bundle, has no notes directory here). */
char *kb_edit_path(struct kb_index *ix, const struct kb_entry *e, char **notes_dir, struct kb_err *err);
/* Runs $VISUAL, else $EDITOR, else vi on path at line ("+LINE", which vi, vim, nano, emacs
 * and less understand) and waits for it. The path and line reach the editor as arguments,
 * never as shell text. Returns the editor's exit status, or -1 with err when it could not
 * be run. */
int kb_edit_run(const char *path, int line, struct kb_err *err);
/* Brings the index at db_path up to date with notes_dir (only changed notes are compiled),
 * appending the notes' diagnostics to diags. Returns 0, or -1 with err (the old index is
 * then untouched). */
int kb_edit_rebuild(const char *notes_dir, const char *db_path, struct kb_diags *diags, struct kb_err *err);

#endif
