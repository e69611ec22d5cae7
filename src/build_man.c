/* build_man.c - the host's manual into the index beside the notes: man trees walked as man(1)
 * finds pages, gzip'd pages read, .so stubs and symbolic links made aliases of one page,
 * changed pages compiled by the roff format, pages gone removed. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "build_priv.h"
#include "kb/format.h"

#define STUB_MAX 1024 /* a .so stub is one line: larger files are pages */

struct man_page {
	char *id;       /* "man:ls(1)", "man:zh_CN/ls(1)" */
	char *path;     /* the file, resolved */
	char *name;     /* "ls" */
	long long size, mtime_ns;
	struct kb_strv aliases; /* other names of the page (links, stubs) */
	size_t order;   /* when it was found: of two pages with one id, the first wins */
};

struct man_alias {
	char *name;     /* the alias's page name ("kbtoolctl") */
	char *target;   /* the resolved path of the page it names */
	long long mtime_ns;
};

struct man_walk {
	struct man_page *pages;
	size_t npages, cap;
	struct man_alias *aliases;
	size_t naliases, capaliases;
	struct kb_diags *diags;
};

/* "ls.1.gz" -> name "ls", section "1". Returns false when it is not a page's name. */
static bool split_name(const char *file, char **name, char **sec)
{
	size_t n = strlen(file);
	const char *dot;
	char *copy;
	if (!kb_format_for_file(file, "man"))
		return false;
	if (n > 3 && strcmp(file + n - 3, ".gz") == 0)
		n -= 3;
	copy = kb_xstrndup(file, n);
	dot = strrchr(copy, '.');
	*name = kb_xstrndup(copy, (size_t)(dot - copy));
	*sec = kb_xstrdup(dot + 1);
	free(copy);
	return true;
}

/* Reads a page, gunzipping a .gz one (zlib reads plain files as they are too). */
static int read_page(const char *path, char **data, size_t *len)
{
	struct kb_buf b = {0};
	char chunk[65536];
	int n;
	gzFile g = gzopen(path, "rb");
	if (!g)
		return -1;
	while ((n = gzread(g, chunk, sizeof chunk)) > 0) {
		kb_buf_put(&b, chunk, (size_t)n);
		if (b.len > KB_COMPILE_MAX_BYTES)
			break;
	}
	gzclose(g);
	if (n < 0) {
		kb_buf_free(&b);
		return -1;
	}
	*len = b.len;
	*data = b.s ? kb_buf_take(&b) : kb_xstrdup("");
	return 0;
}

/* The target of a .so stub ("man1/ls.1"), or NULL when the page is more than a stub. */
static char *stub_target(const char *data, size_t len)
{
	char *target = NULL;
	for (size_t i = 0; i < len;) {
		const char *l = data + i, *nl = memchr(l, '\n', len - i);
		size_t n = nl ? (size_t)(nl - l) : len - i;
		i += n + 1;
		while (n && (l[n - 1] == '\r' || l[n - 1] == ' ' || l[n - 1] == '\t'))
			n--;
		if (!n || (n >= 3 && l[0] == '.' && l[1] == '\\' && l[2] == '"'))
			continue; /* blank lines and comments */
		if (!target && n > 4 && strncmp(l, ".so ", 4) == 0) {
			target = kb_xstrndup(l + 4, n - 4);
			continue;
		}
		free(target);
		return NULL;
	}
	return target;
}

static long long mtime_of(const struct stat *st)
{
	return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

/* path resolved, when it lies under root (a resolved directory). Caller frees; NULL if not. */
static char *inside(const char *root, const char *path)
{
	char *real = realpath(path, NULL);
	size_t n = strlen(root);
	if (real && strncmp(real, root, n) == 0 && real[n] == '/')
		return real;
	free(real);
	return NULL;
}

static void add_alias(struct man_walk *mw, const char *name, char *target, long long mtime_ns)
{
	kb_xgrow(&mw->aliases, &mw->capaliases, mw->naliases + 1, sizeof *mw->aliases);
	mw->aliases[mw->naliases++] = (struct man_alias){.name = kb_xstrdup(name), .target = target,
	                                                  .mtime_ns = mtime_ns};
}

/* One file of a section directory: a page, an alias (link or stub), or nothing of ours. */
static void walk_file(struct man_walk *mw, const char *root, const char *tree, const char *lang,
                      const char *dir, const char *file)
{
	char *full = kb_xasprintf("%s/%s", dir, file), *name, *sec, *id, *real;
	struct stat st;
	if (!split_name(file, &name, &sec)) {
		free(full);
		return;
	}
	id = kb_xasprintf("man:%s%s%s(%s)", lang ? lang : "", lang ? "/" : "", name, sec);
	if (lstat(full, &st) != 0) {
		kb_diag_addf(mw->diags, KB_D_UNREADABLE, full, 0, 0, "%s", strerror(errno));
	} else if (S_ISLNK(st.st_mode)) {
		if ((real = inside(root, full)))
			add_alias(mw, name, real, mtime_of(&st));
	} else if (S_ISREG(st.st_mode)) {
		char *data = NULL, *target = NULL;
		size_t len = 0;
		if (st.st_size < STUB_MAX && read_page(full, &data, &len) == 0 && (target = stub_target(data, len))) {
			char *to = kb_xasprintf("%s/%s", tree, target);
			if (!strstr(target, "..") && (real = inside(root, to)))
				add_alias(mw, name, real, mtime_of(&st));
			free(to);
		} else if ((real = realpath(full, NULL))) {
			kb_xgrow(&mw->pages, &mw->cap, mw->npages + 1, sizeof *mw->pages);
			mw->pages[mw->npages] = (struct man_page){.id = kb_xstrdup(id), .path = real,
				.name = kb_xstrdup(name), .size = (long long)st.st_size, .mtime_ns = mtime_of(&st),
				.order = mw->npages};
			mw->npages++;
		}
		free(target);
		free(data);
	}
	free(id);
	free(name);
	free(sec);
	free(full);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir, sorted (so that ids and aliases come out the same on every build). */
static size_t list_dir(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0, cap = 0;
	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			kb_xgrow(out, &cap, n + 1, sizeof **out);
			(*out)[n++] = kb_xstrdup(de->d_name);
		}
	closedir(d);
	if (n > 1)
		qsort(*out, n, sizeof **out, cmp_str);
	return n;
}

/* A tree (DIR, or DIR/LANG): its man* section directories. */
static void walk_tree(struct man_walk *mw, const char *root, const char *tree, const char *lang)
{
	char **secs;
	size_t nsecs = list_dir(tree, &secs);
	for (size_t i = 0; i < nsecs; i++) {
		char *dir = kb_xasprintf("%s/%s", tree, secs[i]), **files;
		struct stat st;
		if (strncmp(secs[i], "man", 3) == 0 && stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
			size_t nfiles = list_dir(dir, &files);
			for (size_t k = 0; k < nfiles; k++) {
				walk_file(mw, root, tree, lang, dir, files[k]);
				free(files[k]);
			}
			free(files);
		}
		free(dir);
		free(secs[i]);
	}
	free(secs);
}

static int cmp_page_path(const void *a, const void *b)
{
	return strcmp(((const struct man_page *)a)->path, ((const struct man_page *)b)->path);
}

static int cmp_page_id(const void *a, const void *b)
{
	return strcmp(((const struct man_page *)a)->id, ((const struct man_page *)b)->id);
}

static int cmp_page_id_order(const void *a, const void *b)
{
	const struct man_page *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->order < y->order ? -1 : x->order > y->order);
}

static void page_free(struct man_page *p)
{
	free(p->id);
	free(p->path);
	free(p->name);
	kb_strv_free(&p->aliases);
}

/* Of pages with one id (the same page in two trees), the first found stays, as in man(1). */
static void dedupe(struct man_walk *mw)
{
	size_t keep = 0;
	if (mw->npages > 1)
		qsort(mw->pages, mw->npages, sizeof *mw->pages, cmp_page_id_order);
	for (size_t i = 0; i < mw->npages; i++) {
		if (keep && strcmp(mw->pages[keep - 1].id, mw->pages[i].id) == 0)
			page_free(&mw->pages[i]);
		else
			mw->pages[keep++] = mw->pages[i];
	}
	mw->npages = keep;
}

/* Each alias becomes a name of the page it leads to; a page's time is its newest name's. */
static void resolve_aliases(struct man_walk *mw)
{
	if (mw->npages > 1)
		qsort(mw->pages, mw->npages, sizeof *mw->pages, cmp_page_path);
	for (size_t i = 0; i < mw->naliases; i++) {
		struct man_page key = {.path = mw->aliases[i].target}, *p;
		p = mw->npages ? bsearch(&key, mw->pages, mw->npages, sizeof *mw->pages, cmp_page_path) : NULL;
		if (p && strcmp(p->name, mw->aliases[i].name) != 0) {
			kb_strv_add_unique(&p->aliases, mw->aliases[i].name);
			if (mw->aliases[i].mtime_ns > p->mtime_ns)
				p->mtime_ns = mw->aliases[i].mtime_ns;
		}
	}
	if (mw->npages > 1)
		qsort(mw->pages, mw->npages, sizeof *mw->pages, cmp_page_id);
}

static void man_walk(struct man_walk *mw, const char *dirs, const char *langs)
{
	char *copy = kb_xstrdup(dirs), *save = NULL;
	for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char *root = realpath(d, NULL);
		if (!root) {
			kb_diag_addf(mw->diags, KB_D_MAN_DIR, d, 0, 0, "%s", strerror(errno));
			continue;
		}
		walk_tree(mw, root, root, NULL);
		if (langs) {
			char *lc = kb_xstrdup(langs), *ls = NULL;
			for (char *l = strtok_r(lc, ",", &ls); l; l = strtok_r(NULL, ",", &ls)) {
				char *tree = kb_xasprintf("%s/%s", root, l);
				if (!strchr(l, '/') && strcmp(l, "..") != 0 && strcmp(l, ".") != 0)
					walk_tree(mw, root, tree, l);
				free(tree);
			}
			free(lc);
		}
		free(root);
	}
	free(copy);
	dedupe(mw);
	resolve_aliases(mw);
}

static void man_walk_free(struct man_walk *mw)
{
	for (size_t i = 0; i < mw->npages; i++)
		page_free(&mw->pages[i]);
	for (size_t i = 0; i < mw->naliases; i++) {
		free(mw->aliases[i].name);
		free(mw->aliases[i].target);
	}
	free(mw->pages);
	free(mw->aliases);
}

/* Compiles one page (its aliases made keywords of its head) and puts it in the index. */
static int put_page(struct kb_index_writer *w, const struct man_page *p, bool known, struct kb_build_stats *stats,
                    struct kb_diags *diags, struct kb_err *err)
{
	const struct kb_format *fmt = kb_format_get(KB_FORMAT_ROFF);
	struct kb_entries es = {0};
	struct kb_note_state st = {.size = p->size, .mtime_ns = p->mtime_ns, .format = KB_FORMAT_ROFF};
	size_t before = diags->n;
	char *data = NULL;
	size_t len = 0;
	int n = -1, rc;
	if (read_page(p->path, &data, &len) != 0)
		kb_diag_add(diags, KB_D_UNREADABLE, p->path, 0, 0);
	else
		n = fmt->compile(p->id, data, len, NULL, &es, diags);
	for (size_t i = 0; n > 0 && i < p->aliases.n; i++)
		kb_strv_add_unique(&es.v[0].tags, p->aliases.v[i]);
	st.hash = data ? kb_hash_file(data, len) : 0;
	st.compiled = n >= 0;
	stats->man_compiled += n >= 0;
	stats->skipped += n < 0;
	for (size_t i = before; i < diags->n; i++)
		if (diags->v[i].code == KB_D_MANDOC) {
			stats->man_warned++;
			break;
		}
	rc = (known && kb_index_remove_note(w, p->id, err) != 0) ||
	     kb_index_put_note(w, p->id, &st, es.v, NULL, es.n, err) != 0 ? -1 : 0;
	kb_entries_free(&es);
	free(data);
	return rc;
}

/* Brings the index's man pages (old[0..nold), sorted) up to date with the trees in dirs. */
static int sync_man(struct kb_index_writer *w, const char *dirs, const char *langs, const struct kb_note_rec *old,
                    size_t nold, struct kb_build_stats *stats, struct kb_diags *diags, struct kb_err *err)
{
	struct man_walk mw = {.diags = diags};
	int rc = 0;
	man_walk(&mw, dirs, langs);
	stats->man_pages = mw.npages;
	for (size_t i = 0; rc == 0 && i < nold; i++) {
		struct man_page key = {.id = old[i].path};
		if (!mw.npages || !bsearch(&key, mw.pages, mw.npages, sizeof *mw.pages, cmp_page_id)) {
			rc = kb_index_remove_note(w, old[i].path, err);
			stats->removed++;
		}
	}
	for (size_t i = 0; rc == 0 && i < mw.npages; i++) {
		const struct kb_note_rec *r = kb_note_rec_find(old, nold, mw.pages[i].id);
		if (r && r->st.compiled && r->st.size == mw.pages[i].size && r->st.mtime_ns == mw.pages[i].mtime_ns)
			stats->man_unchanged++;
		else
			rc = put_page(w, &mw.pages[i], r != NULL, stats, diags, err);
	}
	if (rc == 0)
		rc = kb_index_set_meta(w, "man", dirs, err) || kb_index_set_meta(w, "man_lang", langs ? langs : "", err);
	man_walk_free(&mw);
	return rc ? -1 : 0;
}

void kb_build_man_samples(const char *dirs, const char *langs, size_t max, size_t cap, struct kb_strv *out,
                          size_t **sizes)
{
	const struct kb_format *fmt = kb_format_get(KB_FORMAT_ROFF);
	struct kb_diags quiet = {0}; /* the build itself reports what the pages hold */
	struct man_walk mw = {.diags = &quiet};
	size_t n;
	man_walk(&mw, dirs, langs);
	n = mw.npages < max ? mw.npages : max;
	for (size_t i = 0; i < n; i++) {
		const struct man_page *p = &mw.pages[i * mw.npages / n];
		struct kb_entries es = {0};
		struct kb_buf b = {0};
		char *data;
		size_t len;
		if (read_page(p->path, &data, &len) != 0)
			continue;
		if (fmt->compile(p->id, data, len, NULL, &es, &quiet) > 0)
			for (size_t k = 0; k < es.n && b.len < cap; k++) /* as kb_index_pack packs them */
				kb_index_pack_entry(&b, &es.v[k]);
		if (b.len > cap)
			b.len = cap;
		if (b.len > 0) {
			*sizes = kb_xrealloc(*sizes, (out->n + 1) * sizeof **sizes);
			(*sizes)[out->n] = b.len;
			kb_strv_push_own(out, kb_buf_take(&b));
		}
		kb_buf_free(&b);
		kb_entries_free(&es);
		free(data);
	}
	man_walk_free(&mw);
	kb_diags_free(&quiet);
}

const char *kb_build_man_trees(const struct kb_build_opts *o, const char *old_dirs, const char *old_langs,
                               const char **langs)
{
	*langs = NULL;
	if (o->man_drop)
		return NULL;
	if (o->man_dirs) {
		*langs = o->man_langs;
		return o->man_dirs;
	}
	if (old_dirs && *old_dirs) {
		*langs = old_langs && *old_langs ? old_langs : NULL;
		return old_dirs;
	}
	return NULL;
}

void kb_build_man_split(struct kb_note_rec *recs, size_t *n, struct kb_note_rec **man, size_t *nman)
{
	size_t keep = 0, cap = 0;
	*man = NULL;
	*nman = 0;
	for (size_t i = 0; i < *n; i++) {
		if (recs[i].st.format == KB_FORMAT_ROFF) {
			kb_xgrow(man, &cap, *nman + 1, sizeof **man);
			(*man)[(*nman)++] = recs[i];
		} else {
			recs[keep++] = recs[i];
		}
	}
	*n = keep;
}

int kb_build_man(struct kb_index_writer *w, const struct kb_build_opts *o, const struct kb_note_rec *old,
                 size_t nold, const char *old_dirs, const char *old_langs, bool incremental,
                 struct kb_build_stats *stats, struct kb_diags *diags, struct kb_err *err)
{
	if (o->man_drop) {
		for (size_t i = 0; incremental && i < nold; i++) {
			if (kb_index_remove_note(w, old[i].path, err) != 0)
				return -1;
			stats->removed++;
		}
		return 0;
	}
	if (o->man_dirs)
		return sync_man(w, o->man_dirs, o->man_langs, incremental ? old : NULL, incremental ? nold : 0, stats,
		                diags, err);
	/* kb build without --man keeps the pages: a fresh index reads the same trees again */
	if (!incremental && old_dirs && *old_dirs) {
		const char *langs, *dirs = kb_build_man_trees(o, old_dirs, old_langs, &langs);
		return sync_man(w, dirs, langs, NULL, 0, stats, diags, err);
	}
	stats->man_unchanged = nold;
	return 0;
}
