/* build_priv.h - what build.c and build_man.c share: the man pages' part of a build. */
#ifndef KB_BUILD_PRIV_H
#define KB_BUILD_PRIV_H

#include "kb/build.h"
#include "kb/compile.h"
#include "kb/index.h"

/* Moves the man pages' records out of recs[0..*n) (sorted, and both stay sorted): *man
 * (caller frees the array; the records' strings move with them) and *nman. */
void kb_build_man_split(struct kb_note_rec *recs, size_t *n, struct kb_note_rec **man, size_t *nman);

/* The man trees a build reads (NULL: none) and their languages in *langs: o's, or with
 * neither --man nor --no-man, the old index's old_dirs and old_langs (what its last --man
 * build read). */
const char *kb_build_man_trees(const struct kb_build_opts *o, const char *old_dirs, const char *old_langs,
                               const char **langs);
/* Appends to out the text kb stores of up to max pages spread over the man trees dirs (langs
 * as for --man-lang), at most cap bytes of each, and their sizes to *sizes (out->n of them,
 * reallocated; the text holds NULs): samples for a new index's dictionary. */
void kb_build_man_samples(const char *dirs, const char *langs, size_t max, size_t cap, struct kb_strv *out,
                          size_t **sizes);

/* The man pages' part of a build, after the notes': with o->man_dirs the trees are walked and
 * what changed since old[0..nold) (the old index's man pages) is compiled; with o->man_drop the
 * pages go; otherwise they stay, and a fresh (not incremental) index reads old_dirs and
 * old_langs (what the last --man build read) again. Returns 0, or -1 with err. */
int kb_build_man(struct kb_index_writer *w, const struct kb_build_opts *o, const struct kb_note_rec *old,
                 size_t nold, const char *old_dirs, const char *old_langs, bool incremental,
                 struct kb_build_stats *stats, struct kb_diags *diags, struct kb_err *err);

#endif
