/* index_browse.c - browsing kb.db without a search: components, symptoms, the manual's sections
 * and pages, entries by component or signature, the vocabulary, every id. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "index_priv.h"
#include "kb/normalize.h"
#include "kb/tokenizer.h"

#define FORMS_WALK 256 /* the most words of the vocabulary looked at for one word's forms */
#define FORMS_LONGER 6 /* a form is at most so many bytes longer than the word (+ational) */

int kb_index_vocab(struct kb_index *ix, const char *from, const char *to, size_t minlen, size_t maxlen,
                   struct kb_counts *out, struct kb_err *err)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_exec(ix->db, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_vocab USING fts5vocab(main, fts, row)",
	                 NULL, NULL, NULL) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(ix->db, "SELECT term, doc FROM temp.kb_vocab WHERE term >= ?1 AND term < ?2"
	                             " AND length(CAST(term AS BLOB)) BETWEEN ?3 AND ?4", -1, &st, NULL)) != SQLITE_OK) {
		kb_index_error(ix->db, sqlite3_errcode(ix->db), "reading the vocabulary", err);
		return -1;
	}
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)minlen);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)maxlen);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kb_xgrow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
		out->v[out->n++] = (struct kb_count){.name = kb_index_col_text(st, 0), .entries = sqlite3_column_int64(st, 1)};
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "reading the vocabulary", err);
		return -1;
	}
	return 0;
}

int kb_index_by_signature(struct kb_index *ix, const char *signature, long long **rowids, size_t *n,
                          struct kb_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = sqlite3_prepare_v2(ix->db, "SELECT DISTINCT entry FROM symptoms WHERE sig = ?1 LIMIT 100",
	                            -1, &st, NULL);
	*rowids = NULL;
	*n = 0;
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, kb_index_sig(signature));
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			kb_xgrow(rowids, &cap, *n + 1, sizeof **rowids);
			(*rowids)[(*n)++] = sqlite3_column_int64(st, 0);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "reading symptoms", err);
		return -1;
	}
	return 0;
}

void kb_counts_free(struct kb_counts *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].name);
		free(c->v[i].example);
	}
	free(c->v);
	memset(c, 0, sizeof *c);
}

static int counts(struct kb_index *ix, const char *sql, struct kb_counts *out, struct kb_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			kb_xgrow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
			out->v[out->n++] = (struct kb_count){
				.name = kb_index_col_text(st, 0),
				.example = kb_index_col_text(st, 1),
				.entries = sqlite3_column_int64(st, 2),
			};
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "reading the index", err);
		return -1;
	}
	return 0;
}

/* The part of a stem every form of it starts with: porter ends a stem with i for y
 * (directori) and gives some an e (hoping: hope): without them. */
static size_t stem_prefix(const char *stem)
{
	size_t n = strlen(stem);
	return n > 2 && (stem[n - 1] == 'i' || stem[n - 1] == 'e') ? n - 1 : n;
}

static bool letters(const char *s)
{
	for (; *s; s++)
		if (*s < 'a' || *s > 'z')
			return false;
	return true;
}

int kb_index_word_forms(struct kb_index *ix, const char *word, size_t max, struct kb_strv *out, struct kb_err *err)
{
	struct kb_strv one = {0}, stem = {0}, cand = {0}, stems = {0};
	struct kb_counts vocab = {0};
	char *from = NULL, *to = NULL;
	int rc = 0;
	kb_strv_push(&one, word);
	if (kb_tokenizer_stems(ix->db, &one, &stem) != 0 || stem.n != 1) {
		kb_err_set(err, "the index has no FTS5 to stem words with");
		rc = -1;
		goto done;
	}
	from = kb_xstrndup(stem.v[0], stem_prefix(stem.v[0]));
	to = kb_xstrdup(from);
	to[strlen(to) - 1]++;
	rc = kb_index_vocab(ix, from, to, strlen(from), strlen(word) + FORMS_LONGER, &vocab, err);
	for (size_t i = 0; rc == 0 && i < vocab.n && cand.n < FORMS_WALK; i++)
		if (letters(vocab.v[i].name) && strcmp(vocab.v[i].name, word) != 0)
			kb_strv_push(&cand, vocab.v[i].name);
	if (rc == 0 && cand.n && kb_tokenizer_stems(ix->db, &cand, &stems) != 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < stems.n && out->n < max; i++)
		if (strcmp(stems.v[i], stem.v[0]) == 0)
			kb_strv_push(out, cand.v[i]);
done:
	free(from);
	free(to);
	kb_counts_free(&vocab);
	kb_strv_free(&one);
	kb_strv_free(&stem);
	kb_strv_free(&cand);
	kb_strv_free(&stems);
	return rc;
}

int kb_index_components(struct kb_index *ix, struct kb_counts *out, struct kb_err *err)
{
	return counts(ix, "SELECT name, NULL, count(*) FROM entry_components GROUP BY name ORDER BY name",
	              out, err);
}

/* Most entries first, then by name. */
static int cmp_count(const void *a, const void *b)
{
	const struct kb_count *x = a, *y = b;
	if (x->entries != y->entries)
		return x->entries > y->entries ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmp_useful(const void *a, const void *b)
{
	const struct kb_count *x = a, *y = b;
	if (x->useful != y->useful)
		return x->useful > y->useful ? -1 : 1;
	return cmp_count(a, b);
}

int kb_index_symptoms(struct kb_index *ix, struct kb_counts *out, struct kb_err *err)
{
	int rc = counts(ix, "SELECT NULL, min(text), count(DISTINCT entry) FROM symptoms GROUP BY sig", out, err);
	size_t n = 0;
	for (size_t i = 0; rc == 0 && i < out->n; i++) {
		struct kb_count *c = &out->v[i];
		double worth;
		c->name = kb_normalize(c->example, strlen(c->example));
		worth = kb_normalize_usefulness(c->name, c->example);
		if (worth <= 0) { /* EOF, FATAL, a lone number: nothing to paste */
			free(c->name);
			free(c->example);
			continue;
		}
		c->useful = worth * log2(2.0 + (double)c->entries);
		out->v[n++] = *c;
	}
	out->n = rc == 0 ? n : out->n;
	if (rc == 0 && out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, cmp_useful);
	return rc;
}

/* A man page's section, from its path "man:[LANG/]NAME(SECTION)", as SQL over notes n. */
#define MAN_SECTION_SQL "substr(n.path, instr(n.path, '(') + 1, length(n.path) - instr(n.path, '(') - 1)"

int kb_index_man_sections(struct kb_index *ix, struct kb_counts *out, struct kb_err *err)
{
	static const char sql[] = "SELECT " MAN_SECTION_SQL " AS s, count(*) FROM notes n WHERE n.source = 'man'"
	                          " AND instr(n.path, '(') > 0 GROUP BY s ORDER BY s";
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		kb_xgrow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
		out->v[out->n++] = (struct kb_count){.name = kb_index_col_text(st, 0), .entries = sqlite3_column_int64(st, 1)};
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "reading the manual's sections", err);
		return -1;
	}
	return 0;
}

int kb_index_man_pages(struct kb_index *ix, const char *section, struct kb_hits *out, struct kb_err *err)
{
	static const char sql[] = "SELECT " HIT_COLUMNS " FROM " ENTRY_JOIN " WHERE n.source = 'man'"
	                          " AND " HEAD_SQL " AND " MAN_SECTION_SQL " = ?1 ORDER BY n.path";
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		kb_index_error(ix->db, rc, "listing the manual", err);
		return -1;
	}
	sqlite3_bind_text(st, 1, section, -1, SQLITE_STATIC);
	rc = kb_index_collect(ix, st, out, err);
	sqlite3_finalize(st);
	return rc;
}

int kb_index_list(struct kb_index *ix, const char *component, const char *signature,
                  struct kb_hits *out, struct kb_err *err)
{
	static const char sql[] =
		"SELECT " HIT_COLUMNS " FROM " ENTRY_JOIN
		" WHERE (?1 IS NULL OR e.rowid IN (SELECT entry FROM entry_components WHERE name = ?1))"
		" AND (?2 IS NULL OR e.rowid IN (SELECT entry FROM symptoms WHERE sig = ?2))"
		" ORDER BY n.path, e.line";
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		kb_index_error(ix->db, rc, "listing", err);
		return -1;
	}
	if (component)
		sqlite3_bind_text(st, 1, component, -1, SQLITE_STATIC);
	if (signature)
		sqlite3_bind_int64(st, 2, kb_index_sig(signature));
	rc = kb_index_collect(ix, st, out, err);
	sqlite3_finalize(st);
	return rc;
}

int kb_index_ids(struct kb_index *ix, struct kb_strv *out, struct kb_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ix->db, "SELECT " ID_SQL " AS id FROM " ENTRY_JOIN " ORDER BY id", -1, &st, NULL);
	if (rc == SQLITE_OK)
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			kb_strv_push(out, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_index_error(ix->db, rc, "listing", err);
		return -1;
	}
	return 0;
}

long long kb_index_sig(const char *signature)
{
	return (long long)kb_hash64(signature, strlen(signature));
}
