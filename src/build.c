/* build.c - the notes directory to kb.db: walks it, compiles what changed, writes the index. */
#include "kb/build.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kb/compile.h"
#include "kb/index.h"
#include "kb/normalize.h"
#include "kb/tokenizer.h"

#define MAX_DEPTH 64

struct note_file {
	char *rel;
	long long size, mtime_ns;
};

struct walk {
	const char *root;
	struct note_file *v;
	size_t n, cap;
	struct kb_diags *diags;
	struct {
		dev_t dev;
		ino_t ino;
	} seen[MAX_DEPTH]; /* directories on the current path, to refuse symlink loops */
	int depth;
};

static bool is_note(const char *name)
{
	size_t n = strlen(name);
	return (n > 3 && kb_ascii_strcaseeq(name + n - 3, ".md")) ||
	       (n > 9 && kb_ascii_strcaseeq(name + n - 9, ".markdown"));
}

static void walk_dir(struct walk *w, const char *rel);

static void walk_entry(struct walk *w, const char *rel, const char *name)
{
	char *child = *rel ? kb_xasprintf("%s/%s", rel, name) : kb_xstrdup(name);
	char *full = kb_xasprintf("%s/%s", w->root, child);
	struct stat st;
	if (stat(full, &st) != 0) {
		kb_diag_add(w->diags, KB_D_UNREADABLE, child, 0, 0, "%s; skipped", strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		bool loop = false;
		for (int i = 0; i < w->depth; i++)
			loop |= w->seen[i].dev == st.st_dev && w->seen[i].ino == st.st_ino;
		if (loop || w->depth >= MAX_DEPTH) {
			kb_diag_add(w->diags, KB_D_SKIPPED_DIR, child, 0, 0,
			            loop ? "directory loop (a symbolic link back up the tree); not followed"
			                 : "directories nested too deep; not followed");
		} else {
			w->seen[w->depth].dev = st.st_dev;
			w->seen[w->depth].ino = st.st_ino;
			w->depth++;
			walk_dir(w, child);
			w->depth--;
		}
	} else if (S_ISREG(st.st_mode) && is_note(name)) {
		kb_xgrow(&w->v, &w->cap, w->n + 1, sizeof *w->v);
		w->v[w->n++] = (struct note_file){
			.rel = kb_xstrdup(child),
			.size = (long long)st.st_size,
			.mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
		};
	}
	free(full);
	free(child);
}

static void walk_dir(struct walk *w, const char *rel)
{
	char *full = *rel ? kb_xasprintf("%s/%s", w->root, rel) : kb_xstrdup(w->root);
	DIR *d = opendir(full);
	struct dirent *de;
	struct kb_strv names = {0};
	if (!d) {
		kb_diag_add(w->diags, KB_D_SKIPPED_DIR, *rel ? rel : w->root, 0, 0, "%s; its notes are skipped",
		            strerror(errno));
		free(full);
		return;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			kb_strv_push(&names, de->d_name);
	closedir(d);
	kb_strv_sort(&names);
	for (size_t i = 0; i < names.n; i++)
		walk_entry(w, rel, names.v[i]);
	kb_strv_free(&names);
	free(full);
}

char *kb_build_components_path(const char *notes_dir)
{
	static const char *const names[] = {"components.yaml", "components.yml"};
	for (size_t i = 0; i < KB_NELEM(names); i++) {
		char *p = kb_xasprintf("%s/%s", notes_dir, names[i]);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			return p;
		free(p);
	}
	return NULL;
}

/* Loads the components file; *hash identifies its content for the index stamp. */
static struct kb_components *load_components(const char *dir, uint64_t *hash, struct kb_diags *diags)
{
	char *path = kb_build_components_path(dir), *data = NULL;
	size_t len = 0;
	struct kb_err err;
	struct kb_components *c = NULL;
	*hash = 0;
	if (!path)
		return NULL;
	if (kb_read_file(path, KB_COMPILE_MAX_BYTES, &data, &len, &err) != 0) {
		kb_diag_add(diags, KB_D_COMPONENTS, path, 0, 0, "%s; components come from directory names", err.msg);
	} else {
		const char *base = strrchr(path, '/') + 1;
		c = kb_components_parse(base, data, len, diags);
		*hash = kb_hash64(data, len);
	}
	free(data);
	free(path);
	return c;
}

/* Compiles one changed note into the index. */
static int update_note(struct kb_index_writer *w, const struct walk *wk, const struct note_file *f,
                       const struct kb_components *comps, bool known, struct kb_build_stats *stats,
                       struct kb_err *err)
{
	char *full = kb_xasprintf("%s/%s", wk->root, f->rel), *data = NULL;
	size_t len = 0;
	struct kb_note_state old, st = {.size = f->size, .mtime_ns = f->mtime_ns};
	struct kb_entries es = {0};
	struct kb_err rerr;
	int rc = 0, n;
	if (kb_read_file(full, KB_COMPILE_MAX_BYTES, &data, &len, &rerr) != 0) {
		bool big = strstr(rerr.msg, "larger than") != NULL;
		kb_diag_add(wk->diags, big ? KB_D_TOO_BIG : KB_D_UNREADABLE, f->rel, 0, 0, "%s; skipped",
		            big ? "larger than 16 MiB" : rerr.msg);
		n = -1;
	} else {
		st.hash = kb_hash64(data, len);
		if (known && kb_index_note_state(w, f->rel, &old) && old.compiled && old.hash == st.hash) {
			st.compiled = true;
			stats->unchanged++;
			rc = kb_index_touch_note(w, f->rel, &st, err);
			goto done;
		}
		n = kb_compile(f->rel, data, len, comps, &es, wk->diags);
	}
	st.compiled = n >= 0;
	if (n < 0)
		stats->skipped++;
	else
		stats->compiled++;
	if ((known && kb_index_remove_note(w, f->rel, err) != 0) ||
	    kb_index_put_note(w, f->rel, &st, es.v, es.n, err) != 0)
		rc = -1;
done:
	kb_entries_free(&es);
	free(data);
	free(full);
	return rc;
}

/* Binary search in a vector sorted with strcmp. */
static bool sorted_has(char *const *v, size_t n, const char *s)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(v[mid], s);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int cmp_note(const void *a, const void *b)
{
	return strcmp(((const struct note_file *)a)->rel, ((const struct note_file *)b)->rel);
}

static int sync_notes(struct kb_index_writer *w, const struct walk *wk, const struct kb_components *comps,
                      const struct kb_build_opts *o, struct kb_build_stats *stats, struct kb_err *err)
{
	struct kb_strv old = {0};
	int rc = kb_index_note_paths(w, &old, err);
	struct kb_strv found = {0};
	for (size_t i = 0; i < wk->n; i++)
		kb_strv_push_own(&found, wk->v[i].rel);
	for (size_t i = 0; rc == 0 && i < old.n; i++) {
		if (!sorted_has(found.v, found.n, old.v[i])) {
			rc = kb_index_remove_note(w, old.v[i], err);
			stats->removed++;
		}
	}
	free(found.v); /* the strings belong to wk */
	for (size_t i = 0; rc == 0 && i < wk->n; i++) {
		const struct note_file *f = &wk->v[i];
		struct kb_note_state st;
		bool known = sorted_has(old.v, old.n, f->rel);
		if (known && kb_index_note_state(w, f->rel, &st) && st.compiled && st.size == f->size &&
		    st.mtime_ns == f->mtime_ns)
			stats->unchanged++;
		else
			rc = update_note(w, wk, f, comps, known, stats, err);
		if (o->progress)
			o->progress(o->progress_ctx, i + 1, wk->n);
	}
	kb_strv_free(&old);
	return rc;
}

/* Stores the files under the notes directory that entries link to (scripts, configs). */
static int store_linked(struct kb_index_writer *w, const char *root, struct kb_build_stats *stats,
                        struct kb_err *err)
{
	struct kb_strv links = {0}, kept = {0};
	int rc = kb_index_links(w, &links, err);
	for (size_t i = 0; rc == 0 && i < links.n; i++) {
		char *full = kb_xasprintf("%s/%s", root, links.v[i]), *data = NULL;
		size_t len;
		if (!is_note(links.v[i]) && kb_read_file(full, KB_BUILD_LINKED_MAX, &data, &len, NULL) == 0) {
			rc = kb_index_put_file(w, links.v[i], data, len, err);
			kb_strv_push(&kept, links.v[i]);
			stats->files++;
		}
		free(data);
		free(full);
	}
	if (rc == 0)
		rc = kb_index_prune_files(w, &kept, err);
	kb_strv_free(&links);
	kb_strv_free(&kept);
	return rc;
}

int kb_build(const struct kb_build_opts *o, struct kb_build_stats *stats, struct kb_diags *diags,
             struct kb_err *err)
{
	struct walk wk = {.root = o->notes_dir, .diags = diags};
	struct kb_components *comps;
	struct kb_index_writer *w = NULL;
	struct stat st;
	uint64_t comp_hash;
	char *stamp = NULL, *abs = NULL;
	int rc = -1;
	memset(stats, 0, sizeof *stats);
	if (stat(o->notes_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		kb_err_set(err, "%s: %s", o->notes_dir, stat(o->notes_dir, &st) != 0 ? strerror(errno) : "not a directory");
		return -1;
	}
	comps = load_components(o->notes_dir, &comp_hash, diags);
	stamp = kb_xasprintf("schema=%d tokenizer=%d normalizer=%d compiler=%d components=%016llx",
	                     KB_INDEX_SCHEMA, KB_TOKENIZER_VERSION, KB_NORMALIZE_VERSION, KB_COMPILE_VERSION,
	                     (unsigned long long)comp_hash);
	wk.seen[0].dev = st.st_dev; /* a link back to the top is a loop too */
	wk.seen[0].ino = st.st_ino;
	wk.depth = 1;
	walk_dir(&wk, "");
	if (wk.n > 1)
		qsort(wk.v, wk.n, sizeof *wk.v, cmp_note);
	stats->notes = wk.n;
	if (kb_index_write_begin(o->db_path, stamp, !o->full, &w, &stats->incremental, err) != 0)
		goto done;
	if (sync_notes(w, &wk, comps, o, stats, err) != 0 || store_linked(w, o->notes_dir, stats, err) != 0) {
		kb_index_write_abort(w);
		goto done;
	}
	stats->entries = (size_t)kb_index_entry_count(w);
	abs = realpath(o->notes_dir, NULL);
	rc = kb_index_write_commit(w, abs ? abs : o->notes_dir, err);
done:
	for (size_t i = 0; i < wk.n; i++)
		free(wk.v[i].rel);
	free(wk.v);
	free(abs);
	free(stamp);
	kb_components_free(comps);
	return rc;
}

int kb_build_check(const char *notes_dir, const char *only, struct kb_entries *out,
                   struct kb_diags *diags, struct kb_err *err)
{
	struct walk wk = {.root = notes_dir, .diags = diags};
	struct kb_components *comps;
	struct stat st;
	uint64_t hash;
	int n = 0;
	if (stat(notes_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		kb_err_set(err, "%s: %s", notes_dir, stat(notes_dir, &st) != 0 ? strerror(errno) : "not a directory");
		return -1;
	}
	comps = load_components(notes_dir, &hash, diags);
	wk.seen[0].dev = st.st_dev;
	wk.seen[0].ino = st.st_ino;
	wk.depth = 1;
	if (only)
		walk_entry(&wk, "", only);
	else
		walk_dir(&wk, "");
	if (wk.n > 1)
		qsort(wk.v, wk.n, sizeof *wk.v, cmp_note);
	for (size_t i = 0; i < wk.n; i++) {
		char *full = kb_xasprintf("%s/%s", notes_dir, wk.v[i].rel), *data;
		size_t len;
		struct kb_err rerr;
		if (kb_read_file(full, KB_COMPILE_MAX_BYTES, &data, &len, &rerr) != 0) {
			kb_diag_add(diags, KB_D_UNREADABLE, wk.v[i].rel, 0, 0, "%s; skipped", rerr.msg);
		} else {
			kb_compile(wk.v[i].rel, data, len, comps, out, diags);
			free(data);
		}
		free(full);
		free(wk.v[i].rel);
		n++;
	}
	free(wk.v);
	kb_components_free(comps);
	return n;
}
