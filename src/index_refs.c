/* index_refs.c - note_refs: how many other notes link to each note or name it, worked out
 * from entry_links and entry_mentions at the end of a build, for the ranking's prior.
 *
 * A link's target is a path under the notes directory, as written: "faq/br-faq.md", or a
 * site's own path such as "docs/tasks/debug/debug-pods/" for content/en/docs/tasks/debug/
 * debug-pods.md. It leads to the notes whose path, without its note suffix (and an index
 * page's name: _index, index, README), is the target or ends with "/" and the target. A
 * mention (`ln`, `git reset` in a note's prose) leads to the notes titled so, in any case.
 * Where several notes fit (a page and its other language's twin, pages/common/df.md and
 * pages/linux/df.md) the one whose path shares the longest start with the linking note's
 * is taken. Each note counts once for each note it leads to, and never for itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "index_priv.h"

struct refs_notes {
	size_t n;
	sqlite3_int64 *id;  /* ascending */
	char **path, **key, **title;
	int *next_key, *next_title; /* chains of the notes with the same key's last part, title */
	struct kb_strmap by_base, by_title; /* the first note of each chain */
};

/* The key a path or a link target is matched by: its note suffix, a trailing slash and a
 * last part _index, index or README dropped. */
static char *note_key(const char *path)
{
	char *k = kb_xstrdup(path);
	size_t n = strlen(k), sfx;
	while (n > 0 && k[n - 1] == '/')
		k[--n] = '\0';
	sfx = kb_note_suffix_len(k);
	k[n - sfx] = '\0';
	for (const char *const *ix = (const char *const[]){"_index", "index", "README", NULL}; *ix; ix++) {
		size_t m = strlen(*ix), len = strlen(k);
		if (len > m && k[len - m - 1] == '/' && strcmp(k + len - m, *ix) == 0) {
			k[len - m - 1] = '\0';
			break;
		}
	}
	return k;
}

static const char *last_part(const char *k)
{
	const char *slash = strrchr(k, '/');
	return slash ? slash + 1 : k;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)kb_ascii_tolower((unsigned char)*s);
}

/* Links note i into the chain of map under name (kept in ascending order: called from the
 * last note to the first). */
static void chain(struct kb_strmap *map, int *next, const char *name, int i)
{
	int head = -1;
	next[i] = kb_strmap_get(map, name, &head) ? head : -1;
	kb_strmap_put(map, name, i);
}

static int load_notes(sqlite3 *db, struct refs_notes *ns)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = sqlite3_prepare_v2(db, "SELECT id, path, title FROM notes ORDER BY id", -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ns->n == cap) {
			cap = cap ? 2 * cap : 256;
			ns->id = kb_xrealloc(ns->id, cap * sizeof *ns->id);
			ns->path = kb_xrealloc(ns->path, cap * sizeof *ns->path);
			ns->key = kb_xrealloc(ns->key, cap * sizeof *ns->key);
			ns->title = kb_xrealloc(ns->title, cap * sizeof *ns->title);
		}
		ns->id[ns->n] = sqlite3_column_int64(st, 0);
		ns->path[ns->n] = kb_xstrdup((const char *)sqlite3_column_text(st, 1));
		ns->key[ns->n] = note_key(ns->path[ns->n]);
		ns->title[ns->n] = kb_xstrdup((const char *)sqlite3_column_text(st, 2));
		lower(ns->title[ns->n]);
		ns->n++;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	ns->next_key = kb_xcalloc(ns->n + 1, sizeof *ns->next_key);
	ns->next_title = kb_xcalloc(ns->n + 1, sizeof *ns->next_title);
	for (size_t i = ns->n; i-- > 0;) {
		chain(&ns->by_base, ns->next_key, last_part(ns->key[i]), (int)i);
		chain(&ns->by_title, ns->next_title, ns->title[i], (int)i);
	}
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void free_notes(struct refs_notes *ns)
{
	for (size_t i = 0; i < ns->n; i++) {
		free(ns->path[i]);
		free(ns->key[i]);
		free(ns->title[i]);
	}
	free(ns->id);
	free(ns->path);
	free(ns->key);
	free(ns->title);
	free(ns->next_key);
	free(ns->next_title);
	kb_strmap_free(&ns->by_base);
	kb_strmap_free(&ns->by_title);
}

/* The index of the note of id, or -1. */
static int note_index(const struct refs_notes *ns, sqlite3_int64 id)
{
	size_t lo = 0, hi = ns->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ns->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ns->n && ns->id[lo] == id ? (int)lo : -1;
}

static size_t common_start(const char *a, const char *b)
{
	size_t n = 0;
	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

/* Whether a note's key is the link key t or ends with "/" and t. */
static bool key_fits(const char *key, const char *t)
{
	size_t nk = strlen(key), nt = strlen(t);
	return nk == nt ? strcmp(key, t) == 0 : nk > nt && key[nk - nt - 1] == '/' && strcmp(key + nk - nt, t) == 0;
}

/* The note a name leads to from note src: of the chain from map's entry for name (whose
 * keys fit when link, else all of them), the one sharing the longest start with src's
 * path, the first of equals; -1 for none or src itself. */
static int lead(const struct refs_notes *ns, int src, const char *name, bool link)
{
	const struct kb_strmap *map = link ? &ns->by_base : &ns->by_title;
	const int *next = link ? ns->next_key : ns->next_title;
	int i = -1, best = -1;
	size_t most = 0;
	char *k = link ? note_key(name) : kb_xstrdup(name);
	if (!link)
		lower(k);
	for (bool any = kb_strmap_get(map, link ? last_part(k) : k, &i); any && i >= 0; i = next[i]) {
		size_t c;
		if (link && !key_fits(ns->key[i], k))
			continue;
		c = common_start(ns->path[src], ns->path[i]);
		if (best < 0 || c > most) {
			best = i;
			most = c;
		}
	}
	free(k);
	return best == src ? -1 : best;
}

struct edges {
	uint64_t *v; /* the note led to << 32 | the note leading */
	size_t n, cap;
};

/* Adds an edge for every row of sql (a note's id, a name) that leads somewhere. */
static int add_edges(sqlite3 *db, const struct refs_notes *ns, const char *sql, bool link, struct edges *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int src = note_index(ns, sqlite3_column_int64(st, 0)), dst;
		const char *name = (const char *)sqlite3_column_text(st, 1);
		rc = SQLITE_OK;
		if (src < 0 || !name || (dst = lead(ns, src, name, link)) < 0)
			continue;
		kb_xgrow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
		out->v[out->n++] = (uint64_t)dst << 32 | (uint32_t)src;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Writes note_refs afresh from the distinct edges. */
static int write_refs(sqlite3 *db, const struct refs_notes *ns, struct edges *e)
{
	sqlite3_stmt *st;
	int rc = sqlite3_exec(db, "DELETE FROM note_refs", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "INSERT INTO note_refs(note, refs) VALUES(?1, ?2)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	if (e->n > 1)
		qsort(e->v, e->n, sizeof *e->v, cmp_u64);
	for (size_t i = 0, j; rc == SQLITE_OK && i < e->n; i = j) {
		int refs = 1;
		for (j = i + 1; j < e->n && e->v[j] >> 32 == e->v[i] >> 32; j++)
			refs += e->v[j] != e->v[j - 1];
		sqlite3_bind_int64(st, 1, ns->id[e->v[i] >> 32]);
		sqlite3_bind_int(st, 2, refs);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

int kb_index_refs_db(sqlite3 *db, struct kb_err *err)
{
	struct refs_notes ns = {0};
	struct edges e = {0};
	int rc = load_notes(db, &ns);
	if (rc == SQLITE_OK)
		rc = add_edges(db, &ns, "SELECT e.note, l.target FROM entry_links l JOIN entries e ON e.rowid = l.entry",
		               true, &e);
	if (rc == SQLITE_OK)
		rc = add_edges(db, &ns, "SELECT e.note, m.name FROM entry_mentions m JOIN entries e ON e.rowid = m.entry",
		               false, &e);
	if (rc == SQLITE_OK)
		rc = write_refs(db, &ns, &e);
	free(e.v);
	free_notes(&ns);
	if (rc != SQLITE_OK) {
		kb_index_error(db, rc, "counting the links between notes", err);
		return -1;
	}
	return 0;
}
