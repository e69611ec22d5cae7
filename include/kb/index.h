/* index.h - entries to and from kb.db: one SQLite file with an FTS5 table, written beside the
 * old one and renamed into place, searched and browsed into plain result arrays. */
#ifndef KB_INDEX_H
#define KB_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kb/entry.h"
#include "kb/util.h"

/* Bump when the tables change: an index of another schema is refused with a message. */
#define KB_INDEX_SCHEMA 12

/* ---- reading ------------------------------------------------------------------------- */

struct kb_index;
struct sqlite3;

/* Process-wide settings of the SQLite library; call first, before any thread starts. */
void kb_index_init(void);
/* Opens the index at path read-only and checks that this kb can read it (schema,
 * tokenizer and normaliser versions). Returns 0 and *out (close with kb_index_close), or
 * -1 with a message that says what to do (err). */
int kb_index_open(const char *path, struct kb_index **out, struct kb_err *err);
/* The same with flags: KB_INDEX_MAPPED, for commands that are over in milliseconds, reads
 * all in one transaction, and an index of up to 256 MiB through mmap (a bigger one through
 * a small page cache, which bounds the memory a search holds). */
#define KB_INDEX_MAPPED 1u
int kb_index_open_with(const char *path, unsigned flags, struct kb_index **out, struct kb_err *err);
void kb_index_close(struct kb_index *ix);
/* The path ix was opened from (owned by ix). */
const char *kb_index_path(const struct kb_index *ix);
/* Lets statements on ix be ended early: while one runs, stop(arg) is called now and then
 * on the thread running it, and when it returns true the statement fails (the search,
 * browse or lookup returns -1, its err saying "interrupted"). stop NULL: never. One
 * mechanism for every reason to stop (a newer search, a time limit); stop must be cheap and
 * safe to call from the thread that uses ix. */
void kb_index_set_stop(struct kb_index *ix, bool (*stop)(void *arg), void *arg);
/* The version of the SQLite library in use. */
const char *kb_index_sqlite_version(void);

struct kb_index_info {
	int schema, tokenizer, normalizer, compiler;
	long long entries, notes, symptoms, components;
	long long built;   /* unix time of the build */
	char *kb_version;  /* of the kb that built it */
	char *notes_dir;   /* absolute path the notes were read from */
};
/* Fills info (free with kb_index_info_free). Returns 0 or -1 with err. */
int kb_index_info(struct kb_index *ix, struct kb_index_info *info, struct kb_err *err);
void kb_index_info_free(struct kb_index_info *info);

struct kb_hit {
	long long rowid;
	char *id, *path, *title, *section;
	char *snippet;  /* with \x02 before and \x03 after each match; may be NULL */
	struct kb_strv components;
	int line;
	double score;   /* relevance, higher is better; comparable within one result list */
	char *source;   /* where the entry comes from: "notes" or "man" */
	int refs;       /* how many other notes link to its note or name it (a prior) */
	char *context;  /* what it is part of, for a list to show before its title: its section's
	                 * heading, or for a format whose sections say little of that
	                 * (kb_format_context_page) its note's title, "rm(1)"; may be NULL */
};

struct kb_hits {
	struct kb_hit *v;
	size_t n, cap;
	bool partial; /* the match selected more entries than a search ranks (kb_index_search):
	               * these are the best of the first KB_INDEX_BOUND_ROWS it selected */
};
void kb_hits_free(struct kb_hits *h);
/* Frees what one hit holds and zeroes it. */
void kb_hit_clear(struct kb_hit *h);
/* Moves hit i of from to the end of to (from keeps an empty slot: free with kb_hits_free). */
void kb_hits_take(struct kb_hits *to, struct kb_hits *from, size_t i);

#define KB_MARK_START '\x02'
#define KB_MARK_END '\x03'

struct kb_search_req {
	const char *match;     /* FTS5 MATCH text from kb_query_match() (never from a user) */
	const char *component; /* only entries with this component, or NULL */
	const char *source;    /* only entries of this source ("notes", "man"), or NULL */
	const char *man_section; /* only man pages of this section ("5" takes 5, 5ssl ...), or NULL */
	size_t limit, offset;
	bool snippets;
	bool bounded;          /* rank at most KB_INDEX_BOUND_ROWS rows, whatever the match */
	size_t bound_rows;     /* with bounded, so many rows instead (0: KB_INDEX_BOUND_ROWS) */
	bool cover;            /* the fallback: entries with most of the query (by idf) first */
};

/* How many entries match (FTS5 MATCH text from the query layer), of the component when
 * not NULL; -1 on an error. */
long long kb_index_count(struct kb_index *ix, const char *match, const char *component);
/* How many entries match, counting no further than max: FTS5 reads the match's doclists
 * only so far. -1 on an error. */
long long kb_index_count_upto(struct kb_index *ix, const char *match, long long max);
/* A match of one word, one CJK character or one prefix ranks at most so many of the entries
 * it selects (the first ones, in the index's order), so that no search takes long however
 * common its word; below that its hits are the full ranking's. */
#define KB_INDEX_BOUND_ROWS 5000

/* Appends the hits of req, best first, to out (out->partial set when the bound cut the
 * ranking short). Returns 0 or -1 with err. */
int kb_index_search(struct kb_index *ix, const struct kb_search_req *req, struct kb_hits *out,
                    struct kb_err *err);

/* The prefix step: when text (a prefix as typed) is one token whose terms hold max_rows
 * entries or more between them (or are too many to merge cheaply), appends to out the first of those terms, in the vocabulary's order, up to
 * max_terms and about max_rows entries (*partial set: there are more). Cheap where FTS5's
 * own expansion of such a prefix merges every term's doclist before its first row. Returns
 * 1 (out filled), 0 when text is not one token or FTS5's own expansion is cheap (out
 * untouched: search the prefix as it is), -1 when the vocabulary cannot be read. */
int kb_index_prefix_terms(struct kb_index *ix, const char *text, size_t max_rows, size_t max_terms,
                          struct kb_strv *out, bool *partial);

/* Loads the entry with the given id into *e (kb_entry_clear it). Returns 1, 0 when there is
 * no such entry, or -1 with err. */
int kb_index_get(struct kb_index *ix, const char *id, struct kb_entry *e, struct kb_err *err);
/* Appends the entries of the note (or man page) path to out, in the order of their lines
 * (no symptoms or links filled in). Returns 0 (none is not an error) or -1 with err. */
int kb_index_note_entries(struct kb_index *ix, const char *path, struct kb_entries *out, struct kb_err *err);
/* Same, by rowid. */
int kb_index_get_rowid(struct kb_index *ix, long long rowid, struct kb_entry *e, struct kb_err *err);

/* In how many entries a word occurs (the least of its tokens' counts; 0 when one of them
 * is in none), counting no further than max (0: all), or -1 on an error. Costs the entries
 * counted: a walk of each token's doclist in the FTS5 vocabulary, stopped at max. */
long long kb_index_doc_freq(struct kb_index *ix, const char *word, long long max);
/* The rowids of the entries (at most 100) that have a symptom with exactly this signature:
 * *rowids (caller frees) and *n. Returns 0 or -1 with err. */
int kb_index_by_signature(struct kb_index *ix, const char *signature, long long **rowids, size_t *n,
                          struct kb_err *err);
/* Appends the hit for the entry rowid (no score, no snippet) to out. Returns 0 or -1. */
int kb_index_hit(struct kb_index *ix, long long rowid, struct kb_hits *out, struct kb_err *err);

/* Appends an entry's symptom signatures to out. Returns 0 or -1 with err. */
int kb_index_signatures(struct kb_index *ix, long long rowid, struct kb_strv *out, struct kb_err *err);

/* A name (component or signature) with an example and the number of entries it has. */
struct kb_count {
	char *name, *example;
	long long entries;
	double useful; /* symptoms: how worth pasting (kb_normalize_usefulness by entries) */
};
struct kb_counts {
	struct kb_count *v;
	size_t n, cap;
};
void kb_counts_free(struct kb_counts *c);
/* The indexed words (lower-cased, as the tokenizer stores them) from from up to before to,
 * minlen..maxlen bytes long, each with the number of entries holding it (in .entries), in
 * order; appended to out. For "did you mean". Returns 0 or -1 with err. */
int kb_index_vocab(struct kb_index *ix, const char *from, const char *to, size_t minlen, size_t maxlen,
                   struct kb_counts *out, struct kb_err *err);

/* The other forms of the folded English word word that the index holds (draining: drain,
 * drains, drained: the words of the vocabulary with its porter stem), at most max of
 * them, appended to out. Returns 0 or -1 with err. */
int kb_index_word_forms(struct kb_index *ix, const char *word, size_t max, struct kb_strv *out,
                        struct kb_err *err);

/* Components with their entry counts, by name. Returns 0 or -1 with err. */
int kb_index_components(struct kb_index *ix, struct kb_counts *out, struct kb_err *err);
/* Symptom signatures with an example text and their entry counts, the most useful first
 * (specific ones held by more entries); those too vague to paste (EOF, FATAL, a number)
 * left out. */
int kb_index_symptoms(struct kb_index *ix, struct kb_counts *out, struct kb_err *err);
/* Entries with the component (exact name) or the symptom signature, by id. Either may be
 * NULL. Returns 0 or -1 with err. */
int kb_index_list(struct kb_index *ix, const char *component, const char *signature,
                  struct kb_hits *out, struct kb_err *err);
/* The sections of the man pages in the index ("1", "3ssl" ...) with their page counts, by
 * section. Returns 0 or -1 with err. */
int kb_index_man_sections(struct kb_index *ix, struct kb_counts *out, struct kb_err *err);
/* The pages of a man section (their head entries), by id. Returns 0 or -1 with err. */
int kb_index_man_pages(struct kb_index *ix, const char *section, struct kb_hits *out, struct kb_err *err);
/* All entry ids (for completion), by id. */
int kb_index_ids(struct kb_index *ix, struct kb_strv *out, struct kb_err *err);

/* What a notes-relative link target (a path, maybe with "#fragment") is in this index:
 * an entry (its id is returned: the exact id, else the note's first entry) or a stored
 * linked file (its path is returned). A target starting with '/' is a site-absolute link
 * ("/docs/concepts/x/") that the top of the notes directory did not resolve: it is the note
 * whose path ends in "/" and the link's path as a page (P.md, P/_index.md, P/index.md,
 * P/README.md), the shortest such path first. Returns a malloc'd string and sets *is_entry,
 * or NULL when it is neither. */
char *kb_index_resolve(struct kb_index *ix, const char *target, bool *is_entry);

/* What the index remembers of a note, to skip it when unchanged. */
struct kb_note_state {
	long long size, mtime_ns;
	uint64_t hash;
	bool compiled; /* false: it was skipped for an error last time, so try again */
	unsigned char format; /* enum kb_format_kind; the index stores its name and source */
};

struct kb_note_rec {
	char *path;
	struct kb_note_state st;
};
/* Every note the index knows, sorted by path in strcmp order. Returns 0 and *v, *n (free
 * with kb_note_recs_free), or -1 with err. */
int kb_index_notes(struct kb_index *ix, struct kb_note_rec **v, size_t *n, struct kb_err *err);
void kb_note_recs_free(struct kb_note_rec *v, size_t n);
/* The record of path in v[0..n) (sorted by path, as kb_index_notes gives them), or NULL. */
const struct kb_note_rec *kb_note_rec_find(const struct kb_note_rec *v, size_t n, const char *path);
/* A meta value of the index (stamp, entries, links ...): caller frees; NULL when absent. */
char *kb_index_meta_get(struct kb_index *ix, const char *key);
/* Appends every relative link target of the entries, each once, sorted (links to man pages,
 * man:ls(1), left out: they lead to pages, not files). Returns 0 or -1 with err. */
int kb_index_link_targets(struct kb_index *ix, struct kb_strv *out, struct kb_err *err);

/* A file under the notes directory that a note links to, stored at build time.
 * Returns 1 (caller frees *data), 0 when not stored, -1 with err. */
int kb_index_file(struct kb_index *ix, const char *path, char **data, size_t *len, struct kb_err *err);

/* Checks that the FTS5 index agrees with the entries (FTS5's integrity-check, comparing
 * with what fts_content computes) and that SQLite finds the file sound. Returns 0, or -1
 * with err saying what is wrong. */
int kb_index_verify(const char *path, struct kb_err *err);
/* Makes a raw SQLite connection to an index able to read it like kb does: the kb
 * tokenizer, kb_body(), kb_context() and kbrank() (for tools: benchmarks, the sqlite3
 * shell's extension). Returns 0 or -1 with err. */
int kb_index_register_sql(struct sqlite3 *db, struct kb_err *err);

/* ---- writing ------------------------------------------------------------------------- */

struct kb_index_writer;

/* Starts writing a new index that will replace path: a new file beside it, seeded with a
 * byte copy of the old index when reuse is true and the old one has the same stamp
 * (versions of everything that decides the content). *incremental says whether it was.
 * Returns 0 or -1 with err. */
int kb_index_write_begin(const char *path, const char *stamp, bool reuse, struct kb_index_writer **out,
                         bool *incremental, struct kb_err *err);
/* Number of entries the new index holds so far. */
long long kb_index_entry_count(struct kb_index_writer *w);
/* Sets a meta value of the new index. Returns 0 or -1 with err. */
int kb_index_set_meta(struct kb_index_writer *w, const char *key, const char *value, struct kb_err *err);
/* Removes a note and its entries. Returns 0 or -1 with err. */
int kb_index_remove_note(struct kb_index_writer *w, const char *relpath, struct kb_err *err);
/* The entries' markdown is stored packed (index_pack.c), a note's bodies together, with a
 * dictionary the index trains on the notes when it is first built. kb_index_put_note packs what it is given unpacked; a
 * caller that compiles on another thread can have that thread pack instead, with a packer
 * of its own (one a thread). */
struct kb_packer;
/* Trains the compression dictionary of a new (not incremental) index on samples[0..n)
 * (sizes in sizes: notes, or their starts), stores it and packs with it from then on; too
 * little to train on leaves the index without one. Before any note is put. Returns 0 or -1
 * with err. */
int kb_index_train(struct kb_index_writer *w, const char *const *samples, const size_t *sizes, size_t n,
                   struct kb_err *err);
/* A packer that packs bodies as w does now (after kb_index_train, or with the dictionary of
 * the index an incremental w was seeded from), for another thread. Returns it (free with
 * kb_packer_free), or NULL when zstd cannot allocate. */
struct kb_packer *kb_index_packer_for(struct kb_index_writer *w);
void kb_packer_free(struct kb_packer *p);
/* A note's entries' markdown, packed for kb_index_put_note (kb_index_pack). */
struct kb_packed;
/* The entries es[0..n), one note's, packed with p (free with kb_packed_free), NULL when n
 * is 0: each its title, anchor, section, tags and markdown (kb_index_pack_entry). */
struct kb_packed *kb_index_pack(struct kb_packer *p, const struct kb_entry *es, size_t n);
/* Appends entry e as a pack holds it to b: what kb_index_pack packs, for a dictionary
 * trained on what it will pack. */
void kb_index_pack_entry(struct kb_buf *b, const struct kb_entry *e);
void kb_packed_free(struct kb_packed *v);
/* Records a note with its entries es[0..n) (n may be 0 for a skipped note), their bodies
 * packed in packed (kb_index_pack of the same es, or NULL: packed here). Any earlier record of the note must have
 * been removed. Returns 0 or -1 with err. */
int kb_index_put_note(struct kb_index_writer *w, const char *relpath, const struct kb_note_state *st,
                      const struct kb_entry *es, const struct kb_packed *packed, size_t n,
                      struct kb_err *err);
/* Updates only the size and time of an unchanged note. */
int kb_index_touch_note(struct kb_index_writer *w, const char *relpath, const struct kb_note_state *st,
                        struct kb_err *err);
/* Stores a linked file's content (replacing any earlier copy). Returns 0 or -1 with err. */
int kb_index_put_file(struct kb_index_writer *w, const char *relpath, const char *data, size_t len,
                      struct kb_err *err);
/* Appends the relative link targets of every entry in the index, each once, sorted (not the
 * links to man pages: kb_index_link_targets). */
int kb_index_links(struct kb_index_writer *w, struct kb_strv *out, struct kb_err *err);
/* Drops stored linked files no entry links to any more. */
int kb_index_prune_files(struct kb_index_writer *w, const struct kb_strv *keep, struct kb_err *err);
/* Finishes: counts every note's references again (note_refs), writes the meta data, makes
 * the file durable and renames it over the old index.
 * The writer is freed either way. Returns 0 or -1 with err (the old index is untouched). */
int kb_index_write_commit(struct kb_index_writer *w, const char *notes_dir, struct kb_err *err);
/* Abandons the new file; the old index is untouched. */
void kb_index_write_abort(struct kb_index_writer *w);

#endif
