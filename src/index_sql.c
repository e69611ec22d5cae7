/* index_sql.c - the SQL functions kb adds to a connection (kb_body, kb_context, kb_path_key,
 * kb_among), and what registers them. */
#include <stdlib.h>
#include <string.h>

#include "index_priv.h"
#include "kb/tokenizer.h"

/* kb_among(set, rowid): whether rowid is in set, a struct kb_rowid_set bound as a pointer of
 * type "kb_rowids" (anything else is no set: false). */
static void sql_among(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_int(ctx, kb_rowid_set_find(sqlite3_value_pointer(argv[0], "kb_rowids"), sqlite3_value_int64(argv[1])) != NULL);
}

/* notes.pkey of a path of len bytes. */
static long long path_key(const char *path, size_t len)
{
	return (long long)(kb_hash64(path, len) & 0x7fffffff); /* four bytes in a record */
}

/* kb_path_key(path): notes.pkey for a path. */
static void sql_path_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *path = (const char *)sqlite3_value_text(argv[0]);
	(void)argc;
	if (path)
		sqlite3_result_int64(ctx, path_key(path, (size_t)sqlite3_value_bytes(argv[0])));
	else
		sqlite3_result_null(ctx);
}

int kb_index_register_keys(sqlite3 *db)
{
	int rc = sqlite3_create_function(db, "kb_among", 2, SQLITE_UTF8, NULL, sql_among, NULL, NULL);
	/* innocuous: no side effects, so a file's schema may use it (kb_index_guard) */
	return rc != SQLITE_OK ? rc
	                       : sqlite3_create_function(db, "kb_path_key", 1,
	                                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
	                                                 sql_path_key, NULL, NULL);
}

static bool letter(const char *s, size_t n, size_t i)
{
	return i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'));
}

/* The length of a link's target "man:NAME(SECTION)" at s[0..n), up to the ")" that ends the
 * link (not taken), or 0 when s holds no such target. */
static size_t man_target(const char *s, size_t n)
{
	int depth = 0;
	if (n < 4 || memcmp(s, "man:", 4) != 0)
		return 0;
	for (size_t i = 4; i < n; i++) {
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && depth-- == 0)
			return i;
		else if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t')
			return 0;
	}
	return 0;
}

size_t kb_index_body_text(char *text, size_t n)
{
	size_t o = 0, t;
	if (!memchr(text, '[', n))
		return n;
	for (size_t i = 0; i < n; i++) {
		if (text[i] == ']' && i + 1 < n && text[i + 1] == '(' && (t = man_target(text + i + 2, n - i - 2)) > 0) {
			text[o++] = ']'; /* a link to a man page: its text names the page already */
			text[o++] = '(';
			i += 1 + t;
			continue;
		}
		if (text[i] == '[' && i + 2 < n && text[i + 2] == ']' && letter(text, n, i + 1) &&
		    ((i > 0 && letter(text, n, i - 1)) || letter(text, n, i + 3))) {
			text[o++] = text[i + 1];
			i += 2;
			continue;
		}
		text[o++] = text[i];
	}
	return o;
}

static void damaged(sqlite3_context *ctx)
{
	/* a corrupt index, in kb_index_error's words */
	sqlite3_result_error(ctx, "an entry's text is damaged", -1);
	sqlite3_result_error_code(ctx, SQLITE_CORRUPT);
}

/* The entry at [AT, AT + LEN) of the pack in argv[0..2] into f; -1 when it is damaged (no
 * pack, NULL, is damage too: every entry is in one). */
static int fields_of(sqlite3_context *ctx, sqlite3_value **argv, struct kb_pack_fields *f)
{
	return sqlite3_value_type(argv[0]) != SQLITE_BLOB
	               ? -1
	               : kb_packer_fields(sqlite3_user_data(ctx), sqlite3_value_blob(argv[0]),
	                                  (size_t)sqlite3_value_bytes(argv[0]), sqlite3_value_int64(argv[1]),
	                                  sqlite3_value_int64(argv[2]), f);
}

/* kb_body(PACK, AT, LEN): the markdown of the entry at [AT, AT + LEN) of the pack, as FTS5
 * indexes it (kb_index_body_text). A damaged pack, or a range outside it, is an error, not
 * a crash. */
static void sql_body(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct kb_pack_fields f;
	char *text;
	(void)argc;
	if (fields_of(ctx, argv, &f) != 0) {
		damaged(ctx);
		return;
	}
	text = kb_xmalloc(f.body_len + 1);
	memcpy(text, f.body, f.body_len);
	sqlite3_result_text(ctx, text, (int)kb_index_body_text(text, f.body_len), free);
}

/* kb_meta(PACK, AT, LEN, I): field I of that entry (KB_E_FIELD): its title, anchor, section
 * (NULL: none), tags, or "#" and its anchor ("" for none). */
static void sql_meta(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct kb_pack_fields f;
	int i = sqlite3_value_int(argv[3]);
	(void)argc;
	if (fields_of(ctx, argv, &f) != 0 || i < 0 || i > KB_PACK_NFIELDS) {
		damaged(ctx);
	} else if (i == KB_PACK_NFIELDS) { /* the id's part after the path */
		char *s;
		if (f.n[KB_PACK_ANCHOR] == 0) {
			sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
			return;
		}
		s = kb_xmalloc(f.n[KB_PACK_ANCHOR] + 1);
		s[0] = '#';
		memcpy(s + 1, f.v[KB_PACK_ANCHOR], f.n[KB_PACK_ANCHOR]);
		sqlite3_result_text(ctx, s, (int)f.n[KB_PACK_ANCHOR] + 1, free);
	} else if (!f.v[i]) {
		sqlite3_result_null(ctx);
	} else {
		sqlite3_result_text(ctx, f.v[i], (int)f.n[i], SQLITE_TRANSIENT);
	}
}

char *kb_index_context(const char *doc_title, const char *path, const char *section, int format)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t n = kb_format_path_words(format) ? strlen(base) : 0, from;
	struct kb_buf b = {0};
	if (doc_title)
		kb_buf_put(&b, doc_title, kb_format_context_title(format, doc_title));
	kb_buf_putc(&b, '\n');
	n -= n ? kb_note_suffix_len(base) : 0; /* the file name without .md or .markdown */
	from = b.len;
	kb_buf_put(&b, base, n);
	for (size_t i = from; i < b.len; i++)
		if (b.s[i] == '-' || b.s[i] == '_')
			b.s[i] = ' ';
	if (section && (!doc_title || strcmp(section, doc_title) != 0)) {
		kb_buf_putc(&b, '\n');
		kb_buf_puts(&b, section);
	}
	return kb_buf_take(&b);
}

/* kb_context(doc_title, path, section, format): the context column (kb_index_context). */
static void sql_context(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int format = kb_format_parse((const char *)sqlite3_value_text(argv[3]));
	char *c;
	(void)argc;
	c = kb_index_context((const char *)sqlite3_value_text(argv[0]),
	                     sqlite3_value_text(argv[1]) ? (const char *)sqlite3_value_text(argv[1]) : "",
	                     (const char *)sqlite3_value_text(argv[2]), format < 0 ? KB_FORMAT_MARKDOWN : format);
	sqlite3_result_text(ctx, c, -1, free);
}

static void drop_packer(void *p)
{
	kb_packer_free(p);
}

/* Registers kb_body(), kb_meta() and kb_context(); the connection frees p when own. */
static int register_body(sqlite3 *db, struct kb_packer *p, bool own, struct kb_err *err)
{
	/* innocuous (no side effects, bounded work): fts_content, a view, may call them with
	 * the schema not trusted (kb_index_guard) */
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	if (sqlite3_create_function_v2(db, "kb_body", 3, flags, p, sql_body, NULL, NULL, own ? drop_packer : NULL) !=
	            SQLITE_OK ||
	    sqlite3_create_function(db, "kb_meta", 4, flags, p, sql_meta, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "kb_context", 4, flags, NULL, sql_context, NULL, NULL) != SQLITE_OK) {
		kb_err_set(err, "cannot register kb_body: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

int kb_index_register_body(sqlite3 *db, struct kb_packer *p, struct kb_err *err)
{
	return register_body(db, p, false, err);
}

int kb_index_register_sql(struct sqlite3 *db, struct kb_err *err)
{
	struct kb_packer *p;
	if (kb_tokenizer_register(db, err) != 0)
		return -1;
	if (kb_index_rank_register(kb_index_fts5(db)) != SQLITE_OK) {
		kb_err_set(err, "cannot register kbrank: %s", sqlite3_errmsg(db));
		return -1;
	}
	p = kb_index_packer(db); /* without a dictionary when not an index of kb's yet: fine */
	if (!p) {
		kb_err_set(err, "the index's dictionary is damaged");
		return -1;
	}
	return register_body(db, p, true, err);
}
