/* index_entry.c - reading entries out of kb.db (by id, by rowid, a note's) with what hangs off
 * them: symptoms, links, linked files, the notes' records a build compares. */
#include <stdlib.h>
#include <string.h>

#include "index_priv.h"
#include "kb/normalize.h"
#include "kb/query.h"

/* Column i as a format kind: the kind named there, markdown for a name this kb does not know. */
int kb_index_note_format(sqlite3_stmt *st, int i)
{
	int k = kb_format_parse((const char *)sqlite3_column_text(st, i));
	return k < 0 ? KB_FORMAT_MARKDOWN : k;
}

char *kb_index_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? kb_xstrdup((const char *)t) : NULL;
}

void kb_index_split_lines(const char *s, struct kb_strv *out)
{
	while (s && *s) {
		size_t n = strcspn(s, "\n");
		if (n)
			kb_strv_push_own(out, kb_xstrndup(s, n));
		s += n + (s[n] == '\n');
	}
}

static int get_entry(struct kb_index *ix, sqlite3_stmt *st, struct kb_entry *e, struct kb_err *err)
{
	struct kb_pack_fields f;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		kb_index_error(ix->db, rc, "reading an entry", err);
		return -1;
	}
	memset(e, 0, sizeof *e);
	e->path = kb_index_col_text(st, 1);
	e->line = sqlite3_column_int(st, 2);
	e->end_line = sqlite3_column_int(st, 3);
	kb_index_split_lines((const char *)sqlite3_column_text(st, 6), &e->components);
	if (kb_packer_fields(ix->packer, sqlite3_column_blob(st, 8), (size_t)sqlite3_column_bytes(st, 8),
	                     sqlite3_column_int64(st, 12), sqlite3_column_int64(st, 13), &f) != 0 || !e->path) {
		kb_entry_clear(e);
		kb_index_damaged(ix->path, "an entry's text cannot be unpacked", err);
		return -1;
	}
	e->title = kb_pack_field(&f, KB_PACK_TITLE);
	e->section = kb_pack_field(&f, KB_PACK_SECTION);
	e->id = kb_pack_id(e->path, &f);
	{
		char *tags = kb_pack_field(&f, KB_PACK_TAGS);
		kb_index_split_lines(tags, &e->tags);
		free(tags);
	}
	e->body = kb_xstrndup(f.body, f.body_len);
	e->body_len = f.body_len;
	e->doc_title = kb_index_col_text(st, 9);
	e->format = (unsigned char)kb_index_note_format(st, 11);
	return 1;
}

/* Fills e->symptoms and e->links from their tables. */
static void get_rows(struct kb_index *ix, long long rowid, struct kb_entry *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(ix->db, "SELECT text, line FROM symptoms WHERE entry = ?1 ORDER BY seq", -1, &st,
	                       NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, rowid);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *text = (const char *)sqlite3_column_text(st, 0);
			char *sig = kb_normalize(text, strlen(text));
			kb_entry_add_symptom(e, text, sig, sqlite3_column_int(st, 1));
			free(sig);
		}
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(ix->db, "SELECT target FROM entry_links WHERE entry = ?1 ORDER BY target", -1, &st,
	                       NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, rowid);
		while (sqlite3_step(st) == SQLITE_ROW)
			kb_strv_push(&e->links, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
}

/* Loads the entry the WHERE clause (over entries e) selects, binding a, b, c as ?1..?3 (or
 * rowid as ?1 when a is NULL). */
static int get_by(struct kb_index *ix, const char *where, const char *a, const char *b, const char *c,
                  long long rowid, struct kb_entry *e, struct kb_err *err)
{
	char *sql = kb_xasprintf("SELECT NULL, n.path, e.line, e.end_line, NULL, NULL,"
	                         " e.components, NULL, " KB_INDEX_PACK_OF("e") ", n.title, e.rowid, n.format, e.at, e.len"
	                         " FROM " ENTRY_JOIN " WHERE %s", where);
	sqlite3_stmt *st;
	long long found = 0;
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		kb_index_error(ix->db, rc, "reading an entry", err);
		return -1;
	}
	if (a) {
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, c, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_int64(st, 1, rowid);
	}
	rc = get_entry(ix, st, e, err);
	if (rc == 1)
		found = sqlite3_column_int64(st, 10);
	sqlite3_finalize(st);
	if (rc == 1)
		get_rows(ix, found, e);
	return rc;
}

int kb_index_get(struct kb_index *ix, const char *id, struct kb_entry *e, struct kb_err *err)
{
	const char *hash = strrchr(id, '#');
	char *path = hash ? kb_xstrndup(id, (size_t)(hash - id)) : kb_xstrdup("");
	int rc = get_by(ix, "(" NOTE_IS("?1") " AND " HEAD_SQL ") OR (" NOTE_IS("?2") " AND " KB_E_ANCHOR("e") " = ?3)", id, path,
	                hash ? hash + 1 : "", 0, e, err);
	free(path);
	return rc;
}

int kb_index_note_entries(struct kb_index *ix, const char *path, struct kb_entries *out, struct kb_err *err)
{
	static const char sql[] = "SELECT NULL, n.path, e.line, e.end_line, NULL, NULL,"
	                          " e.components, NULL, " KB_INDEX_PACK_OF("e") ", n.title, e.rowid, n.format, e.at, e.len"
	                          " FROM " ENTRY_JOIN " WHERE " NOTE_IS("?1") " ORDER BY e.line, e.rowid";
	sqlite3_stmt *st;
	struct kb_entry e;
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		kb_index_error(ix->db, rc, "reading a note's entries", err);
		return -1;
	}
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	while ((rc = get_entry(ix, st, &e, err)) == 1)
		*kb_entries_add(out) = e;
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int kb_index_get_rowid(struct kb_index *ix, long long rowid, struct kb_entry *e, struct kb_err *err)
{
	return get_by(ix, "e.rowid = ?1", NULL, NULL, NULL, rowid, e, err);
}

int kb_index_signatures(struct kb_index *ix, long long rowid, struct kb_strv *out, struct kb_err *err)
{
	int rc = SQLITE_OK;
	if (!ix->signatures)
		rc = sqlite3_prepare_v2(ix->db, "SELECT text FROM symptoms WHERE entry = ?1", -1, &ix->signatures, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(ix->signatures, 1, rowid);
		while ((rc = sqlite3_step(ix->signatures)) == SQLITE_ROW) {
			const char *text = (const char *)sqlite3_column_text(ix->signatures, 0);
			kb_strv_push_own(out, kb_normalize(text, strlen(text)));
		}
		sqlite3_reset(ix->signatures);
	}
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "reading symptoms", err);
		return -1;
	}
	return 0;
}

int kb_index_file(struct kb_index *ix, const char *path, char **data, size_t *len, struct kb_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ix->db, "SELECT content FROM files WHERE path = ?1", -1, &st, NULL);
	int found = 0;
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*len = (size_t)sqlite3_column_bytes(st, 0);
			*data = kb_xstrndup(sqlite3_column_blob(st, 0) ? sqlite3_column_blob(st, 0) : "", *len);
			found = 1;
			rc = SQLITE_DONE;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "reading a file", err);
		return -1;
	}
	return found;
}

/* The first column of the first row of kb_index_resolve's statement which (sql), with a and
 * b (or NULL) bound, or NULL. */
static char *resolve_text3(struct kb_index *ix, int which, const char *sql, const char *a, const char *b,
                           const char *c)
{
	sqlite3_stmt *st = ix->resolve[which];
	char *v = NULL;
	if (!st && sqlite3_prepare_v3(ix->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &ix->resolve[which],
	                              NULL) != SQLITE_OK)
		return NULL;
	st = ix->resolve[which];
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	if (c)
		sqlite3_bind_text(st, 3, c, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = kb_index_col_text(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return v;
}

/* The first column of the first row of the statement sql (prepared once, as which) with
 * parameters a and b (NULL: unbound), or NULL. Caller frees. */
static char *resolve_text(struct kb_index *ix, int which, const char *sql, const char *a, const char *b)
{
	return resolve_text3(ix, which, sql, a, b, NULL);
}

/* p as a GLOB pattern that matches p alone: its * ? [ each in brackets. Appends to b. */
static void glob_literal(struct kb_buf *b, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kb_buf_printf(b, strchr("*?[", p[i]) ? "[%c]" : "%c", p[i]);
}

/* A site-absolute link ("/docs/concepts/x", "/x.md"; the '/' kept, a "#fragment" may follow)
 * that the top of the notes directory did not resolve: the note whose path is the link's
 * path P as a page (P.md, P/_index.md, P/index.md, P/README.md; P itself when it names a
 * note) or ends in "/" and that, the shortest path first, then in byte order. Resolved as
 * kb_index_resolve does; NULL when no note is such. */
static char *resolve_site(struct kb_index *ix, const char *target, bool *is_entry)
{
	static const char *const pages[] = {".md", "/_index.md", "/index.md", "/README.md"};
	size_t plen = strcspn(target, "#");
	const char *p = target + 1;
	size_t n = plen - 1;
	struct kb_buf sql = {0}, pat[8] = {{0}};
	size_t npat = 0;
	sqlite3_stmt *st;
	char *v = NULL;
	while (n && p[n - 1] == '/')
		n--;
	for (size_t i = 0; n && i < (kb_note_suffix_len(p) ? 1 : KB_NELEM(pages)); i++) {
		for (int deep = 0; deep < 2; deep++, npat++) { /* the path itself, and under a directory */
			kb_buf_puts(&pat[npat], deep ? "*/" : "");
			glob_literal(&pat[npat], p, n);
			kb_buf_puts(&pat[npat], kb_note_suffix_len(p) ? "" : pages[i]);
		}
	}
	kb_buf_puts(&sql, "SELECT path FROM notes WHERE 0");
	for (size_t i = 0; i < npat; i++)
		kb_buf_printf(&sql, " OR path GLOB ?%zu", i + 1);
	kb_buf_puts(&sql, " ORDER BY length(path), path LIMIT 1");
	if (npat && sqlite3_prepare_v2(ix->db, sql.s, -1, &st, NULL) == SQLITE_OK) {
		for (size_t i = 0; i < npat; i++)
			sqlite3_bind_text(st, (int)i + 1, kb_buf_str(&pat[i]), -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			char *found = kb_xasprintf("%s%s", (const char *)sqlite3_column_text(st, 0), target + plen);
			v = kb_index_resolve(ix, found, is_entry);
			free(found);
		}
		sqlite3_finalize(st);
	}
	for (size_t i = 0; i < KB_NELEM(pat); i++)
		kb_buf_free(&pat[i]);
	kb_buf_free(&sql);
	return v;
}

/* The manual's sections ("1", "1ssl", "3pm" ...), shortest first, read once an index. */
static const struct kb_strv *man_sections(struct kb_index *ix)
{
	struct kb_counts c = {0};
	struct kb_err err;
	if (!ix->man_sections_read && kb_index_man_sections(ix, &c, &err) == 0) {
		for (size_t len = 1; ix->man_sections.n < c.n; len++)
			for (size_t i = 0; i < c.n; i++)
				if (strlen(c.v[i].name) == len)
					kb_strv_push(&ix->man_sections, c.v[i].name);
	}
	ix->man_sections_read = true;
	kb_counts_free(&c);
	return &ix->man_sections;
}

/* A man page a reference names that the index holds under another id, as man(1) finds it:
 * in a longer section (openssl(1) is openssl(1ssl)), else as another name of a page of
 * that section (its head's keywords: an alias). path is "man:[LANG/]NAME(SECTION)". Each
 * way is a lookup by key, not a pass over the manual: a page may name hundreds of pages the
 * index does not hold. Returns the page's id (caller frees), or NULL. */
static char *resolve_man(struct kb_index *ix, const char *path)
{
	const char *open = strrchr(path, '('), *name = strchr(path, '/');
	const struct kb_strv *secs = man_sections(ix);
	struct kb_buf b = {0};
	char *v = NULL, *alias;
	size_t close, sec;
	if (!open || !(close = strlen(open)) || open[close - 1] != ')' || close < 3)
		return NULL;
	sec = close - 2;
	name = name && name < open ? name + 1 : path + 4;
	for (size_t i = 0; !v && i < secs->n; i++) {
		if (strlen(secs->v[i]) <= sec || strncmp(secs->v[i], open + 1, sec) != 0)
			continue;
		kb_buf_reset(&b);
		kb_buf_put(&b, path, (size_t)(open - path) + 1);
		kb_buf_printf(&b, "%s)", secs->v[i]);
		v = resolve_text(ix, KB_RESOLVE_MAN_SECTION, "SELECT path FROM notes WHERE " KB_NOTE_PATH_IS("", "?1"),
		                 kb_buf_str(&b), NULL);
	}
	if (!v) { /* the pages whose keywords hold the name, through FTS5, then exactly so */
		struct kb_buf pat = {0};
		alias = kb_xstrndup(name, (size_t)(open - name));
		kb_buf_reset(&b);
		kb_buf_puts(&b, "keywords : ");
		kb_query_quote(&b, alias, strlen(alias));
		/* man:[LANG/]*(SECTION*): a page of that section and language */
		glob_literal(&pat, path, (size_t)(name - path));
		kb_buf_puts(&pat, "*(");
		glob_literal(&pat, open + 1, sec);
		kb_buf_puts(&pat, "*)");
		v = resolve_text3(ix, KB_RESOLVE_MAN_ALIAS,
		                  "SELECT n.path FROM fts JOIN entries e ON e.rowid = fts.rowid JOIN notes n ON n.id = e.note"
		                  " WHERE fts MATCH ?3 AND n.source = 'man' AND n.path GLOB ?2 AND " HEAD_SQL
		                  " AND instr(char(10) || " KB_E_TAGS("e") " || char(10), char(10) || ?1 || char(10)) > 0"
		                  " ORDER BY length(n.path), n.path LIMIT 1",
		                  alias, kb_buf_str(&pat), kb_buf_str(&b));
		kb_buf_free(&pat);
		free(alias);
	}
	kb_buf_free(&b);
	return v;
}

char *kb_index_resolve(struct kb_index *ix, const char *target, bool *is_entry)
{
	size_t plen = strcspn(target, "#");
	char *path, *v;
	if (target[0] == '/')
		return resolve_site(ix, target, is_entry);
	path = kb_xstrndup(target, plen);
	*is_entry = true;
	if (!(v = resolve_text(ix, KB_RESOLVE_ENTRY, "SELECT " ID_SQL " FROM " ENTRY_JOIN " WHERE " NOTE_IS("?1") " AND " HEAD_SQL, target, NULL)) &&
	    target[plen] == '#')
		v = resolve_text(ix, KB_RESOLVE_ANCHOR, "SELECT " ID_SQL " FROM " ENTRY_JOIN " WHERE " NOTE_IS("?1") " AND " KB_E_ANCHOR("e") " = ?2", path,
		                 target + plen + 1);
	if (!v)
		v = resolve_text(ix, KB_RESOLVE_FIRST, "SELECT " ID_SQL " FROM " ENTRY_JOIN " WHERE " NOTE_IS("?1")
		                 /* the first entry, found without sorting (which costs a table each time) */
		                 " AND e.line = (SELECT min(line) FROM entries WHERE rowid BETWEEN n.first AND n.last AND note = n.id)"
		                 " LIMIT 1", path, NULL);
	if (!v && kb_starts_with(path, "man:")) {
		char *page = resolve_man(ix, path);
		if (page && strcmp(page, path) != 0) {
			char *found = kb_xasprintf("%s%s", page, target + plen);
			v = kb_index_resolve(ix, found, is_entry);
			free(found);
		}
		free(page);
		free(path);
		return v; /* never a file */
	}
	if (!v) {
		*is_entry = false;
		v = resolve_text(ix, KB_RESOLVE_FILE, "SELECT path FROM files WHERE path = ?1", path, NULL);
	}
	free(path);
	return v;
}

const struct kb_note_rec *kb_note_rec_find(const struct kb_note_rec *v, size_t n, const char *path)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid].path, path);
		if (c == 0)
			return &v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void kb_note_recs_free(struct kb_note_rec *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

int kb_index_notes(struct kb_index *ix, struct kb_note_rec **v, size_t *n, struct kb_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = sqlite3_prepare_v2(ix->db, "SELECT path, size, mtime, hash, compiled, format FROM notes"
	                            " ORDER BY path",
	                            -1, &st, NULL);
	*v = NULL;
	*n = 0;
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		kb_xgrow(v, &cap, *n + 1, sizeof **v);
		(*v)[(*n)++] = (struct kb_note_rec){
			.path = kb_index_col_text(st, 0),
			.st = {.size = sqlite3_column_int64(st, 1), .mtime_ns = sqlite3_column_int64(st, 2),
			       .hash = (uint64_t)sqlite3_column_int64(st, 3), .compiled = sqlite3_column_int(st, 4) != 0,
			       .format = (unsigned char)kb_index_note_format(st, 5)},
		};
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "reading the notes", err);
		kb_note_recs_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int kb_index_link_targets(struct kb_index *ix, struct kb_strv *out, struct kb_err *err)
{
	return kb_index_link_targets_db(ix->db, out, err);
}

int kb_index_link_targets_db(sqlite3 *db, struct kb_strv *out, struct kb_err *err)
{
	sqlite3_stmt *st;
	/* links to man pages (man:ls(1)) lead to pages of the index, never to files */
	int rc = sqlite3_prepare_v2(db,
	                            "SELECT DISTINCT target FROM entry_links WHERE target NOT GLOB 'man:*'"
	                            " ORDER BY target",
	                            -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		kb_strv_push(out, (const char *)sqlite3_column_text(st, 0));
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(db, rc, "reading links", err);
		return -1;
	}
	return 0;
}

int kb_index_hit(struct kb_index *ix, long long rowid, struct kb_hits *out, struct kb_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ix->db, "SELECT " HIT_COLUMNS " FROM " ENTRY_JOIN " WHERE e.rowid = ?1", -1, &st, NULL);
	if (rc != SQLITE_OK) {
		kb_index_error(ix->db, rc, "reading an entry", err);
		return -1;
	}
	sqlite3_bind_int64(st, 1, rowid);
	rc = kb_index_collect(ix, st, out, err);
	sqlite3_finalize(st);
	return rc;
}
