/* index_priv.h - what the files of the index layer (src/index*.c, the tokenizer) share: the
 * handle, the schema, the SQL they build statements from and the helpers they read rows with. */
#ifndef KB_INDEX_PRIV_H
#define KB_INDEX_PRIV_H

#include <sqlite3.h>

#include "kb/index.h"

/* An open index (kb_index_open, index_open.c). */
/* kb_index_resolve's statements (index_entry.c). */
enum {
	KB_RESOLVE_ENTRY, KB_RESOLVE_ANCHOR, KB_RESOLVE_FIRST, KB_RESOLVE_FILE, KB_RESOLVE_MAN_SECTION, KB_RESOLVE_MAN_ALIAS,
	KB_RESOLVE__COUNT
};

struct kb_index {
	sqlite3 *db;
	char *path;
	struct kb_packer *packer; /* unpacks bodies, for kb_index_get and kb_body() */
	sqlite3_stmt *vocab;      /* document frequency of a term, prepared on first use */
	sqlite3_stmt *signatures; /* an entry's signatures, prepared on first use */
	/* kb_index_resolve's statements, prepared on first use: a note may link to a hundred
	 * thousand targets, and preparing costs many times the lookup */
	sqlite3_stmt *resolve[KB_RESOLVE__COUNT];
	struct kb_strv man_sections; /* the manual's sections, shortest first, read on first use */
	bool man_sections_read;
	sqlite3_int64 last_rowid; /* the entries' last rowid, read on first use (0: not yet) */
};

/* SQL for the pack holding entry t (a table alias in quotes: "e"), and for the entry's
 * fields in it (kb_meta, index_sql.c): its title, anchor, section (NULL: none), tags (one a
 * line), and its id's part after the note's path ("#anchor", or "" for none). */
#define KB_INDEX_PACK_OF(t) "coalesce(" t ".body, (SELECT p.body FROM entries p WHERE p.rowid = " t ".rowid - " t ".back))"
#define KB_E_FIELD(t, i) "kb_meta(" KB_INDEX_PACK_OF(t) ", " t ".at, " t ".len, " #i ")"
#define KB_E_TITLE(t) KB_E_FIELD(t, 0)
#define KB_E_ANCHOR(t) KB_E_FIELD(t, 1)
#define KB_E_SECTION(t) KB_E_FIELD(t, 2)
#define KB_E_TAGS(t) KB_E_FIELD(t, 3)
#define KB_E_HASH_ANCHOR(t) KB_E_FIELD(t, 4)
/* An entry's id as SQL, from the rows e (entries) and n (its note): ENTRY_JOIN. */
#define ID_SQL "(n.path || " KB_E_HASH_ANCHOR("e") ")"
/* Whether entry e is its note's head, with anchor "": only an entry whose id is its note's
 * path has none, and that is the note's first (a note of one entry, a man page's head). */
#define HEAD_SQL "(e.rowid = n.first AND " KB_E_ANCHOR("e") " = '')"
#define ENTRY_JOIN "entries e JOIN notes n ON n.id = e.note AND e.rowid BETWEEN n.first AND n.last"
/* SQL that selects the rows of entries (unqualified) of the note whose id is p: its range
 * (notes.first and notes.last), and in it only its own, whatever a damaged index says. */
#define KB_NOTE_ROWS(p) "rowid BETWEEN (SELECT first FROM notes WHERE id = " p ") AND" \
	" (SELECT last FROM notes WHERE id = " p ") AND note = " p
#define NOTE_IS(p) KB_NOTE_PATH_IS("n.", p) /* the note n whose path is parameter p */
/* Columns 0..HIT_NCOLS-1 of a hit row: rowid, path, line, components, source, the note's
 * refs (note_refs, 0 for none), the entry's pack, at and len, and the note's title and
 * format (for the hit's context); from the pack
 * kb_index_fill_hit reads its id, title and section (one look at the pack a hit, where
 * kb_meta() in SQL would look again for each); what a statement selects after them starts
 * at HIT_NCOLS. */
#define HIT_COLUMNS "e.rowid, n.path, e.line, e.components, n.source," \
	" coalesce((SELECT r.refs FROM note_refs r WHERE r.note = n.id), 0), " KB_INDEX_PACK_OF("e") ", e.at, e.len," \
	" n.title, n.format"
#define HIT_NCOLS 11
/* note_refs (index_refs.c) worked out afresh from the index's links and mentions. Returns 0
 * or -1 with err. */
int kb_index_refs_db(sqlite3 *db, struct kb_err *err);

/* Reading rows (index_entry.c). Column i as a format kind: the kind named there, markdown
 * for a name this kb does not know. */
int kb_index_note_format(sqlite3_stmt *st, int i);
/* Column i's text (caller frees), or NULL. */
char *kb_index_col_text(sqlite3_stmt *st, int i);
/* Appends the non-empty lines of s to out. */
void kb_index_split_lines(const char *s, struct kb_strv *out);
/* Fills h from the columns HIT_COLUMNS of st's row (index_search.c). Returns SQLITE_OK, or
 * SQLITE_CORRUPT when its pack is damaged (h is then left empty). */
int kb_index_fill_hit(struct kb_index *ix, struct kb_hit *h, sqlite3_stmt *st);
/* Steps st (HIT_COLUMNS) to the end, adding a hit per row (index_search.c). Returns 0 or
 * -1 with err. */
int kb_index_collect(struct kb_index *ix, sqlite3_stmt *st, struct kb_hits *out, struct kb_err *err);

/* The hits of one search by rowid, sorted: which of out->v each row is (index_search.c).
 * kb_among() (index_sql.c) is given one as a pointer of type "kb_rowids". */
struct kb_rowid_slot {
	long long rowid;
	size_t hit;
};

struct kb_rowid_set {
	struct kb_rowid_slot *v;
	size_t n;
};
/* The slot of rowid in s (NULL: none, or s is NULL). */
const struct kb_rowid_slot *kb_rowid_set_find(const struct kb_rowid_set *s, long long rowid);
/* Registers kb_among() and kb_path_key() (index_sql.c). Returns an SQLite result code. */
int kb_index_register_keys(sqlite3 *db);


/* bm25 weights of the FTS columns in their order: body, title, keywords (components and
 * tags), symptoms, context (the note's title and the section's heading: what the entry is
 * part of). */
#define KB_INDEX_RANK "bm25(1.0, 10.0, 4.0, 6.0, 5.0)"

/* The search statement's rank: kbrank (index_rank.c), or kbcover for the fallback, with K
 * (the hits wanted, 0 for all) and the same weights. */
#define KB_INDEX_RANK_K "%s(%zu, 1.0, 10.0, 4.0, 6.0, 5.0)"
/* The columns kbrank looks at beyond bm25: what an entry is about. */
#define KB_INDEX_COL_BODY 0
#define KB_INDEX_COL_TITLE 1
#define KB_INDEX_COL_CONTEXT 4
/* The largest K kbrank keeps; beyond it, as for 0, it ranks every row exactly. */
#define KB_INDEX_RANK_MAX_K 100000

/* The FTS5 API of the connection, or NULL. */
fts5_api *kb_index_fts5(sqlite3 *db);
/* Whether the kb tokenizer's own cutting of ASCII and common CJK text gives, for text[0..len)
 * tokenized with flags (an FTS5_TOKENIZE_* value), the tokens, flags and offsets unicode61
 * gives when it does all of the cutting: 1 yes, 0 no (both lists appended to why, unless
 * NULL, "flags start end token" a line), -1 error. For tests. */
int kb_tokenizer_cuts_agree(const char *text, size_t len, int flags, struct kb_buf *why);

/* Registers kbrank() (index_rank.c). Returns an SQLite result code. */
int kb_index_rank_register(fts5_api *api);
/* Around one statement that ranks with kbrank (a search): kb_index_rank_begin() before it
 * runs, kb_index_rank_scale() after its last row, and every score (-rank) it returned
 * multiplied by what that gives. Then the statement works out the idf once, and a query
 * of one phrase not at all until the end; the products are bm25's scores to the bit, but
 * for the idf of a phrase in more rows than a search counts (index_rank.c), estimated over
 * the rowids up to last (the index's last rowid; 0: all counted). */
void kb_index_rank_begin(sqlite3_int64 last);
#define KB_INDEX_IDF_ROWS 512 /* a phrase's rows counted for its idf in a search */
double kb_index_rank_scale(void);

/* Opens a connection with the kb tokenizer, kbrank(), kb_among() and kb_path_key() registered.
 * Returns 0 or -1 with err. */
int kb_index_connect(const char *path, int flags, sqlite3 **db, struct kb_err *err);
/* Runs SQL that returns no rows. Returns 0 or -1 with err ("what: sqlite message"). */
int kb_index_exec(sqlite3 *db, const char *sql, const char *what, struct kb_err *err);
/* Reads meta value for key (caller frees), or NULL. */
char *kb_index_meta(sqlite3 *db, const char *key);
/* A message for a failed SQLite call, in an operator's words. */
void kb_index_error(sqlite3 *db, int rc, const char *what, struct kb_err *err);
/* Sets err to "WHAT: the index is damaged (WHY); rebuild it with kb build", the one message
 * of every damage found in an open index. */
void kb_index_damaged(const char *what, const char *why, struct kb_err *err);

/* The sorted, distinct relative link targets of every entry (kb_index_link_targets). */
int kb_index_link_targets_db(sqlite3 *db, struct kb_strv *out, struct kb_err *err);

/* SQL that finds a note by its path through the index notes_key: t prefixes the columns of
 * notes ("" or "n."), p is the parameter holding the path ("?1"). */
#define KB_NOTE_PATH_IS(t, p) t "pkey = kb_path_key(" p ") AND " t "path = " p
/* The stored hash of a symptom signature. */
long long kb_index_sig(const char *signature);
/* The context column of an entry: its note's title, the note's file name as words (when the
 * note's format is named by its path: kb_format_path_words) and the heading it sits under
 * (caller frees). fts_content computes it with kb_context(). */
char *kb_index_context(const char *doc_title, const char *path, const char *section, int format);
/* The body text FTS5 indexes, in place in text[0..n): a letter marked in brackets inside a
 * word (tldr's mnemonics: E[x]tract, [c]reate) joined to it (Extract, create), so that the
 * word is found; a link's target that is a man page ("[**ls**(1)](man:ls(1))") left out,
 * its text naming the page already ("[**ls**(1)]()"), so that "man" and the page's name are
 * not words of every reference. Returns the new length. fts_content's kb_body() gives the
 * same. */
size_t kb_index_body_text(char *text, size_t n);

/* Packing one body (index_pack.c). Trains a dictionary on samples[0..n) (sizes in sizes).
 * Returns 0 and *dict (caller frees) and *len, or -1 when there is too little to train on
 * (then use no dictionary). */
int kb_pack_train(const char *const *samples, const size_t *sizes, size_t n, void **dict, size_t *len);
/* A packer with the dictionary (NULL, 0: none). Returns NULL only if zstd cannot allocate. */
struct kb_packer *kb_packer_new(const void *dict, size_t len);
/* A packer with p's dictionary, for another thread; NULL as for kb_packer_new. */
struct kb_packer *kb_packer_copy(const struct kb_packer *p);
/* Returns text[0..len) packed (caller frees) and its size in *out_len. */
char *kb_packer_pack(struct kb_packer *p, const char *text, size_t len, size_t *out_len);
/* Returns the text packed in data[0..len), NUL-terminated (caller frees), or NULL when the
 * data is damaged or would unpack to more than a note may hold (KB_COMPILE_MAX_BYTES). */
char *kb_packer_unpack(struct kb_packer *p, const void *data, size_t len, size_t *out_len);
/* An entry as a pack holds it (kb_index_pack_entry): its title, anchor, section (NULL: none)
 * and tags (one a line), each v[i][0..n[i]), not NUL-terminated, then its markdown. */
enum { KB_PACK_TITLE, KB_PACK_ANCHOR, KB_PACK_SECTION, KB_PACK_TAGS, KB_PACK_NFIELDS };
struct kb_pack_fields {
	const char *v[KB_PACK_NFIELDS];
	size_t n[KB_PACK_NFIELDS];
	const char *body;
	size_t body_len;
};
/* Reads the entry packed in s[0..n) into f (pointers into s). Returns 0, or -1 when it is
 * damaged. */
int kb_pack_fields(const char *s, size_t n, struct kb_pack_fields *f);
/* The entry at [at, at + n) of the pack in data[0..len) into f, its pointers into p's copy
 * of the pack, good until p unpacks another (the pack last unpacked is kept in p for its other
 * entries). Returns 0, or -1 when the pack is damaged or does not hold that entry. */
int kb_packer_fields(struct kb_packer *p, const void *data, size_t len, long long at, long long n,
                     struct kb_pack_fields *f);
/* Field i of f as a string (caller frees), NULL for a section that is none. */
char *kb_pack_field(const struct kb_pack_fields *f, int i);
/* The id of the entry of f in the note at path: path, then '#' and its anchor if it has one
 * (caller frees). */
char *kb_pack_id(const char *path, const struct kb_pack_fields *f);
/* The markdown of that entry, NUL-terminated (caller frees), its length in *out_len; NULL
 * as for kb_packer_fields. */
char *kb_packer_body(struct kb_packer *p, const void *data, size_t len, long long at, long long n, size_t *out_len);
/* A note's entries packed (kb_index_pack): packs[0..n), and for each entry i, the pack
 * pack[i] holding it in bytes [at[i], at[i] + len[i]). */
struct kb_pack {
	char *data;
	size_t len;
};
struct kb_packed {
	size_t n;
	struct kb_pack *packs;
	size_t *pack, *at, *len;
};
/* Gives a new (not incremental) index its compression dictionary, before any note is put
 * (index_write.c). Returns 0 or -1 with err. */
int kb_index_set_dictionary(struct kb_index_writer *w, const void *dict, size_t len, struct kb_err *err);

/* Registers kb_body(BLOB) and kb_context() on db, unpacking with p (which must outlive db's
 * use of it). */
int kb_index_register_body(sqlite3 *db, struct kb_packer *p, struct kb_err *err);
/* A packer with the dictionary stored in the index on db (none when it has none), or NULL
 * when that cannot be read. */
struct kb_packer *kb_index_packer(sqlite3 *db);

/* Makes a connection safe to use on a file someone else may have made (index_guard.c):
 * defensive, the schema not trusted, no triggers, and a budget of machine instructions for
 * each statement kb runs (with all that runs inside it), past which the statement ends
 * with SQLITE_INTERRUPT. Returns an SQLite result code. The connection's one progress
 * handler is the guard's: other reasons to stop go through kb_index_guard_stop. */
int kb_index_guard(sqlite3 *db);
/* Adds stop(arg) to db's guard (NULL: takes it away): while a statement runs, it is called
 * every few instructions on the thread running it, and when it returns true the statement
 * ends with SQLITE_INTERRUPT (kb_index_set_stop). */
void kb_index_guard_stop(sqlite3 *db, bool (*stop)(void *arg), void *arg);
/* Whether the last statement on db ended for going over its budget, not for a stop. */
bool kb_index_guard_over(sqlite3 *db);
/* Whether db holds exactly the tables, views, indexes and triggers kb_index_schema_sql and
 * kb_index_indexes_sql make (and FTS5 with them), and nothing else: 1, or 0 with the first
 * difference appended to why ("it has a view meta"), or -1 when its schema cannot be read
 * (the error is db's). */
int kb_index_check_schema(sqlite3 *db, struct kb_buf *why);
/* Whether the object of that type and name in db is exactly the one kb makes. */
bool kb_index_object_is_kbs(sqlite3 *db, const char *type, const char *name);
/* Appends to out the objects kb_index_check_schema expects (made false: as it reads them
 * from the schema's statements) or those SQLite makes when it runs the statements in a
 * database in memory (made true), one string a row: type, name, table and SQL, parted by
 * \037, in one order. Returns 0 or -1. For tests: both must agree. */
int kb_index_schema_rows(bool made, struct kb_strv *out);

extern const char kb_index_schema_sql[];  /* the tables, the view and the FTS5 table */
extern const char kb_index_indexes_sql[]; /* their secondary indexes */

#endif
