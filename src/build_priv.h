/* build_priv.h - what build.c and build_man.c share: the man pages' part of a build. */
#ifndef KB_BUILD_PRIV_H
#define KB_BUILD_PRIV_H

#include "kb/build.h"
#include "kb/compile.h"
#include "kb/index.h"

/* Moves the man pages' records out of recs[0..*n) (sorted, and both stay sorted): *man
 * (caller frees the array; the records' strings move with them) and *nman. */
void kb_build_man_split(struct kb_note_rec *recs, size_t *n, struct kb_note_rec **man, size_t *nman);

/* The man pages' part of a build, after the notes': with o->man_dirs the trees are walked and
 * what changed since old[0..nold) (the old index's man pages) is compiled; with o->man_drop the
 * pages go; otherwise they stay, and a fresh (not incremental) index reads old_dirs and
 * old_langs (what the last --man build read) again. Returns 0, or -1 with err. */
int kb_build_man(struct kb_index_writer *w, const struct kb_build_opts *o, const struct kb_note_rec *old,
                 size_t nold, const char *old_dirs, const char *old_langs, bool incremental,
                 struct kb_build_stats *stats, struct kb_diags *diags, struct kb_err *err);

#endif
