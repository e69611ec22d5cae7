/* build.h - the notes directory to kb.db: walks it, compiles what changed, writes the index.
 *
 * This sits above compile and index (which never meet): it is the one place that reads
 * note files from disk and hands entries from one to the other. */
#ifndef KB_BUILD_H
#define KB_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "kb/diag.h"
#include "kb/entry.h"
#include "kb/util.h"

#define KB_BUILD_LINKED_MAX (1u << 20) /* linked files larger than this are not stored */

struct kb_build_opts {
	const char *notes_dir;
	const char *db_path;
	bool full; /* recompile every note even when the old index could be reused */
	/* The host's manual (kb build --man): colon-separated man trees to index, or NULL to keep
	 * the pages an earlier build indexed (a fresh index reads their trees again); man_langs:
	 * comma-separated languages whose translated trees (DIR/LANG/man*) are read too, or NULL;
	 * man_drop: remove the pages instead. */
	const char *man_dirs;
	const char *man_langs;
	bool man_drop;
	/* Called after each note with the number done and the total; may be NULL. */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
};

struct kb_build_stats {
	size_t notes;     /* note files found */
	size_t compiled;  /* compiled this time */
	size_t unchanged; /* reused from the old index */
	size_t skipped;   /* not indexed because of an error */
	size_t removed;   /* gone from the notes directory since the last build */
	size_t kept;      /* could not be read: what the old index had of them is kept */
	size_t entries;   /* entries in the new index */
	size_t files;     /* linked files stored */
	size_t read_waited; /* notes whose reading had to wait for the disk */
	size_t read_ahead;  /* read-ahead requests made, once a note was not in the page cache (a
	                     * note the dictionary's training asked for may be asked for again) */
	bool incremental;
	size_t man_pages;     /* man pages found (aliases not counted) */
	size_t man_compiled;  /* compiled this time */
	size_t man_unchanged; /* reused from the old index */
	size_t man_warned;    /* of those compiled, the pages mandoc warned about */
};

/* Builds or updates the index. Diagnostics about notes go to diags (the build goes on);
 * returns 0 when the new index is in place, -1 with err when it could not be written (the
 * old index is then untouched). An update that finds the old index damaged builds afresh
 * instead, with a KB_D_INDEX_DAMAGED warning. */
int kb_build(const struct kb_build_opts *opts, struct kb_build_stats *stats, struct kb_diags *diags,
             struct kb_err *err);

/* Compiles the notes under notes_dir (or the one note file `only`, relative to notes_dir,
 * when not NULL) without writing an index, appending entries and diagnostics. Returns the
 * number of notes read, or -1 with err when notes_dir cannot be read. */
int kb_build_check(const char *notes_dir, const char *only, struct kb_entries *out,
                   struct kb_diags *diags, struct kb_err *err);

/* Path of the components file in notes_dir (components.yaml or .yml), or NULL. Caller frees. */
char *kb_build_components_path(const char *notes_dir);

#endif
