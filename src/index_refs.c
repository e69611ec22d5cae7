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
 * is taken. Each note counts once for each note it leads to, and never for itself.
 *
 * A link to a man page (man:ls(1), which man pages record for the pages their text refers
 * to, and notes for their own man: links) leads to the page of that name and section, in the
 * linking page's language when there is one (man:zh_CN/ls(1) from man:zh_CN/cp(1)), else
 * to the page that lists the name in its head (its NAME line's names and its aliases: vdir(1)
 * to ls(1) where vdir is an alias of ls), else to the page of that name in a section that
 * starts with the link's (openssl(1) to openssl(1ssl)); a name no page has leads nowhere.
 * Such links are set apart as they are read; the man pages are loaded only when there are
 * some, and of the names the pages go by only those the links use are kept.
 *
 * A note's entries are its rows first..last (notes.first, notes.last): its links and
 * mentions are read by that range of entries, and the entries' own rows, bodies and all,
 * are not read. Only the notes a link's last part or a mention could lead to are
 * kept in memory (the links and mentions, read first, name them), so an incremental build
 * pays for one pass over the notes, the links and the mentions. */
#include <stdlib.h>
#include <string.h>

#include "index_priv.h"

/* The notes a link or a mention may lead to. */
struct refs_notes {
	size_t n;
	sqlite3_int64 *id;  /* ascending */
	char **path, **key, **title;
	int *next_key, *next_title; /* chains of the notes with the same key's last part, title */
	struct kb_strmap by_base, by_title; /* the first note of each chain */
	struct kb_strmap bases, titles;     /* the names the links and mentions use */
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

/* The links' or mentions' rows: the linking note's id and the name, in the note's order. */
struct refs_rows {
	sqlite3_int64 *note;
	char **name;
	size_t n, cap;
};

static void push_row(struct refs_rows *rows, sqlite3_int64 note, const char *name)
{
	if (rows->n == rows->cap) {
		rows->cap = rows->cap ? 2 * rows->cap : 256;
		rows->note = kb_xrealloc(rows->note, rows->cap * sizeof *rows->note);
		rows->name = kb_xrealloc(rows->name, rows->cap * sizeof *rows->name);
	}
	rows->note[rows->n] = note;
	rows->name[rows->n++] = kb_xstrdup(name);
}

/* Reads the rows of sql (a note's id, a name) into rows, and gathers into ns->bases
 * (links: their key's last part) or ns->titles (mentions) the names they use; links to
 * man pages (man:...) go into man instead. */
static int read_rows(sqlite3 *db, const char *sql, bool link, struct refs_notes *ns, struct refs_rows *rows,
                     struct refs_rows *man)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		char *k;
		rc = SQLITE_OK;
		if (!name)
			continue;
		if (link && strncmp(name, "man:", 4) == 0) {
			push_row(man, sqlite3_column_int64(st, 0), name + 4);
			continue;
		}
		k = link ? note_key(name) : kb_xstrdup(name);
		if (!link)
			lower(k);
		kb_strmap_put(link ? &ns->bases : &ns->titles, link ? last_part(k) : k, 1);
		free(k);
		push_row(rows, sqlite3_column_int64(st, 0), name);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void free_rows(struct refs_rows *rows)
{
	for (size_t i = 0; i < rows->n; i++)
		free(rows->name[i]);
	free(rows->note);
	free(rows->name);
}

/* Loads the notes whose key's last part or title a link or mention uses. */
static int load_notes(sqlite3 *db, struct refs_notes *ns)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = sqlite3_prepare_v2(db, "SELECT id, path, title FROM notes ORDER BY id", -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *key = note_key((const char *)sqlite3_column_text(st, 1)), *title;
		rc = SQLITE_OK;
		title = kb_xstrdup((const char *)sqlite3_column_text(st, 2));
		lower(title);
		if (!kb_strmap_get(&ns->bases, last_part(key), NULL) && !kb_strmap_get(&ns->titles, title, NULL)) {
			free(key);
			free(title);
			continue;
		}
		if (ns->n == cap) {
			cap = cap ? 2 * cap : 256;
			ns->id = kb_xrealloc(ns->id, cap * sizeof *ns->id);
			ns->path = kb_xrealloc(ns->path, cap * sizeof *ns->path);
			ns->key = kb_xrealloc(ns->key, cap * sizeof *ns->key);
			ns->title = kb_xrealloc(ns->title, cap * sizeof *ns->title);
		}
		ns->id[ns->n] = sqlite3_column_int64(st, 0);
		ns->path[ns->n] = kb_xstrdup((const char *)sqlite3_column_text(st, 1));
		ns->key[ns->n] = key;
		ns->title[ns->n] = title;
		ns->n++;
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
	kb_strmap_free(&ns->bases);
	kb_strmap_free(&ns->titles);
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

/* The note a name leads to from the note of id src at path from: of the chain from map's
 * entry for name (whose keys fit when link, else all of them), the one sharing the longest
 * start with from, the first of equals; -1 for none or src itself. */
static int lead(const struct refs_notes *ns, sqlite3_int64 src, const char *from, const char *name, bool link)
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
		c = common_start(from, ns->path[i]);
		if (best < 0 || c > most) {
			best = i;
			most = c;
		}
	}
	free(k);
	return best >= 0 && ns->id[best] == src ? -1 : best;
}

struct edge {
	sqlite3_int64 dst, src; /* the ids of the note led to and of the note leading */
};

struct edges {
	struct edge *v;
	size_t n, cap;
};

/* The man pages a man: link may lead to: "[LANG/]NAME(SECTION)" -> an index into id. A
 * page's path without "man:" leads to it; then, where no page has the key, each name its
 * head entry lists (its NAME line's names, its aliases) in its language and section; then
 * its names in its section's first character, as man(1) finds openssl(1ssl) for
 * "man 1 openssl". */
struct refs_man {
	struct kb_strmap by_name;
	struct kb_strmap used; /* the names (ls) the links use: no other name is kept */
	sqlite3_int64 *id;
	size_t n, cap;
};

#define MAN_SQL                                                                                         \
	"SELECT n.id, n.path, " KB_E_TAGS("e") " FROM notes n JOIN entries e ON e.rowid = n.first"       \
	" WHERE n.source = 'man' AND n.last >= n.first ORDER BY n.id"

/* Adds to man the names page i (at path, "man:[LANG/]NAME(SECTION)") lists in its head (tags,
 * one a line), in its section or (!whole, for a section of several characters) in its first
 * character, that no page has taken. */
static void man_names(struct refs_man *man, int i, const char *path, const char *tags, bool whole)
{
	const char *p = path + 4, *open = strrchr(p, '('), *close = strrchr(p, ')'), *slash;
	size_t lang;
	if (!open || !close || close < open + 2 || (!whole && close == open + 2))
		return;
	slash = memchr(p, '/', (size_t)(open - p));
	lang = slash ? (size_t)(slash + 1 - p) : 0;
	for (const char *t = tags; *t; t += *t == '\n') {
		size_t n = strcspn(t, "\n");
		char *name = kb_xstrndup(t, n), *k;
		t += n;
		if (!n || !kb_strmap_get(&man->used, name, NULL)) {
			free(name);
			continue;
		}
		k = kb_xasprintf("%.*s%s(%.*s)", (int)lang, p, name, whole ? (int)(close - open - 1) : 1, open + 1);
		if (!kb_strmap_get(&man->by_name, k, NULL))
			kb_strmap_put(&man->by_name, k, i);
		free(k);
		free(name);
	}
}

/* The names page path ("man:[LANG/]NAME(SECTION)") goes by, one a line: its own and those
 * its head entry's tags list (caller frees). */
static char *own_names(const char *path, const char *tags)
{
	const char *p = path + 4, *open = strrchr(p, '('), *slash = open ? memchr(p, '/', (size_t)(open - p)) : NULL;
	p = slash ? slash + 1 : p;
	return kb_xasprintf("%.*s\n%s", open ? (int)(open - p) : 0, p, tags);
}

/* Loads the index's man pages and the names they go by, of those the links (rows: "ls(1)",
 * "zh_CN/ls(1)") use. */
static int load_man(sqlite3 *db, const struct refs_rows *rows, struct refs_man *man)
{
	sqlite3_stmt *st;
	struct kb_strv paths = {0}, tags = {0};
	int rc;
	for (size_t i = 0; i < rows->n; i++) {
		const char *open = strrchr(rows->name[i], '('), *name = rows->name[i], *slash;
		char *bare;
		if (!open)
			continue;
		slash = memchr(name, '/', (size_t)(open - name));
		name = slash ? slash + 1 : name;
		bare = kb_xstrndup(name, (size_t)(open - name));
		kb_strmap_put(&man->used, bare, 1);
		free(bare);
	}
	rc = sqlite3_prepare_v2(db, MAN_SQL, -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(st, 1), *t = (const char *)sqlite3_column_text(st, 2);
		rc = SQLITE_OK;
		if (!path || strncmp(path, "man:", 4) != 0)
			continue;
		kb_xgrow(&man->id, &man->cap, man->n + 1, sizeof *man->id);
		man->id[man->n] = sqlite3_column_int64(st, 0);
		kb_strmap_put(&man->by_name, path + 4, (int)man->n++);
		kb_strv_push(&paths, path);
		kb_strv_push_own(&tags, own_names(path, t ? t : ""));
	}
	sqlite3_finalize(st);
	for (int whole = 1; whole >= 0; whole--) /* after every page's own name: those come first */
		for (size_t i = 0; i < paths.n; i++)
			man_names(man, (int)i, paths.v[i], tags.v[i], whole);
	kb_strv_free(&paths);
	kb_strv_free(&tags);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The id of the man page name ("ls(1)", from a man: link) leads to from the note of id src
 * at path from: the one in from's language when from is a translated page and there is
 * one, else the untranslated one; -1 for none or src itself. */
static sqlite3_int64 lead_man(const struct refs_man *man, sqlite3_int64 src, const char *from, const char *name)
{
	const char *p = from + 4, *slash;
	int i = -1;
	if (strncmp(from, "man:", 4) == 0 && !strchr(name, '/') && (slash = memchr(p, '/', strcspn(p, "(")))) {
		char *k = kb_xasprintf("%.*s%s", (int)(slash + 1 - p), p, name);
		if (!kb_strmap_get(&man->by_name, k, &i))
			i = -1;
		free(k);
	}
	if (i < 0 && !kb_strmap_get(&man->by_name, name, &i))
		i = -1;
	return i >= 0 && man->id[i] != src ? man->id[i] : -1;
}

/* Adds an edge for every row that leads somewhere: rows of links (link), of mentions, or,
 * when man is not NULL, of links to man pages. */
static int add_edges(sqlite3 *db, const struct refs_notes *ns, const struct refs_man *man,
                     const struct refs_rows *rows, bool link, struct edges *out)
{
	sqlite3_stmt *path_of;
	sqlite3_int64 last = -1;
	char *from = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT path FROM notes WHERE id = ?1", -1, &path_of, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < rows->n; i++) {
		sqlite3_int64 dst;
		int at;
		if (rows->note[i] != last) { /* the linking note's path, once a note */
			free(from);
			from = NULL;
			last = rows->note[i];
			sqlite3_bind_int64(path_of, 1, last);
			rc = sqlite3_step(path_of);
			if (rc == SQLITE_ROW)
				from = kb_xstrdup((const char *)sqlite3_column_text(path_of, 0));
			rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? sqlite3_reset(path_of) : rc;
		}
		if (!from)
			continue;
		if (man)
			dst = lead_man(man, last, from, rows->name[i]);
		else
			dst = (at = lead(ns, last, from, rows->name[i], link)) < 0 ? -1 : ns->id[at];
		if (dst < 0)
			continue;
		kb_xgrow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
		out->v[out->n++] = (struct edge){dst, last};
	}
	free(from);
	sqlite3_finalize(path_of);
	return rc;
}

static int cmp_edge(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;
	if (x->dst != y->dst)
		return x->dst < y->dst ? -1 : 1;
	return (x->src > y->src) - (x->src < y->src);
}

/* Writes note_refs afresh from the distinct edges. */
static int write_refs(sqlite3 *db, struct edges *e)
{
	sqlite3_stmt *st;
	int rc = sqlite3_exec(db, "DELETE FROM note_refs", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "INSERT INTO note_refs(note, refs) VALUES(?1, ?2)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	if (e->n > 1)
		qsort(e->v, e->n, sizeof *e->v, cmp_edge);
	for (size_t i = 0, j; rc == SQLITE_OK && i < e->n; i = j) {
		int refs = 1;
		for (j = i + 1; j < e->n && e->v[j].dst == e->v[i].dst; j++)
			refs += e->v[j].src != e->v[j - 1].src;
		sqlite3_bind_int64(st, 1, e->v[i].dst);
		sqlite3_bind_int(st, 2, refs);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

#define LINKS_SQL "SELECT n.id, l.target FROM notes n CROSS JOIN entry_links l ON l.entry BETWEEN n.first AND n.last"
#define MENTIONS_SQL \
	"SELECT n.id, m.name FROM notes n CROSS JOIN entry_mentions m ON m.entry BETWEEN n.first AND n.last"

int kb_index_refs_db(sqlite3 *db, struct kb_err *err)
{
	struct refs_notes ns = {0};
	struct refs_man man = {0};
	struct refs_rows links = {0}, mentions = {0}, man_links = {0};
	struct edges e = {0};
	int rc = read_rows(db, LINKS_SQL, true, &ns, &links, &man_links);
	if (rc == SQLITE_OK)
		rc = read_rows(db, MENTIONS_SQL, false, &ns, &mentions, NULL);
	if (rc == SQLITE_OK)
		rc = load_notes(db, &ns);
	if (rc == SQLITE_OK && man_links.n)
		rc = load_man(db, &man_links, &man);
	if (rc == SQLITE_OK)
		rc = add_edges(db, &ns, NULL, &links, true, &e);
	if (rc == SQLITE_OK)
		rc = add_edges(db, &ns, NULL, &mentions, false, &e);
	if (rc == SQLITE_OK && man_links.n)
		rc = add_edges(db, &ns, &man, &man_links, true, &e);
	if (rc == SQLITE_OK)
		rc = write_refs(db, &e);
	free(e.v);
	free_rows(&links);
	free_rows(&mentions);
	free_rows(&man_links);
	free(man.id);
	kb_strmap_free(&man.by_name);
	kb_strmap_free(&man.used);
	free_notes(&ns);
	if (rc != SQLITE_OK) {
		kb_index_error(db, rc, "counting the links between notes", err);
		return -1;
	}
	return 0;
}
