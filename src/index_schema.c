/* index_schema.c - kb.db's tables, view, FTS5 table and indexes, as the SQL that makes them. */
#include "index_priv.h"

const char kb_index_schema_sql[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
	/* pkey: kb_path_key(path), a 31-bit hash that notes_key indexes: a note is found by its
	 * path as `pkey = kb_path_key(?) AND path = ?` (KB_NOTE_PATH_IS). An index on the paths
	 * themselves would be more than twice the size of this one with its column. */
	"CREATE TABLE notes(id INTEGER PRIMARY KEY, path TEXT NOT NULL, pkey INTEGER NOT NULL,"
	" size INTEGER NOT NULL, mtime INTEGER NOT NULL, hash INTEGER NOT NULL, compiled INTEGER NOT NULL,"
	" title TEXT NOT NULL,"
	/* format: kb_format_name() of the note's format; source: kb_format_source() of it
	 * ("notes" or "man"), for the filters and the ranking */
	" format TEXT NOT NULL, source TEXT NOT NULL,"
	/* first, last: its entries are the rows first..last of entries (none: last < first). A
	 * note's entries are put together, one row after the other, so their rowids are a
	 * range: an index of entries by note would cost every entry a row of its own. */
	" first INTEGER NOT NULL, last INTEGER NOT NULL);"
	"CREATE TABLE dictionary(id INTEGER PRIMARY KEY, data BLOB NOT NULL);"
	/* an entry's id is its note's path, then '#' and its anchor unless that is empty; the
	 * path is stored once, in notes, not again in every entry and its index */
	/* The entry's title, anchor, section, tags and markdown are bytes [at, at + len) of a
	 * pack (index_pack.c): consecutive entries of one note, packed together. The first entry
	 * of a pack holds it in body; the others have no body, and back says how many rows
	 * before them that entry is (a note's entries are consecutive rows). No table of packs: a
	 * row of its own costs each pack bytes that most notes, of a few entries, would not win
	 * back. The title and the rest are in the pack, not in columns of their own: they are
	 * read only for the few rows a search lists, and packed with the markdown they take a
	 * quarter of the room (they are a tenth of a man page's text, and alike). */
	"CREATE TABLE entries(rowid INTEGER PRIMARY KEY, note INTEGER NOT NULL,"
	" line INTEGER NOT NULL, end_line INTEGER NOT NULL, components TEXT NOT NULL,"
	" at INTEGER NOT NULL, len INTEGER NOT NULL, back INTEGER NOT NULL, body BLOB);"
	"CREATE TABLE entry_components(name TEXT NOT NULL, entry INTEGER NOT NULL,"
	" PRIMARY KEY(name, entry)) WITHOUT ROWID;"
	"CREATE TABLE entry_links(entry INTEGER NOT NULL, target TEXT NOT NULL,"
	" PRIMARY KEY(entry, target)) WITHOUT ROWID;"
	/* the names an entry's prose quotes as code (kb_entry.mentions), which note_refs resolves */
	"CREATE TABLE entry_mentions(entry INTEGER NOT NULL, name TEXT NOT NULL,"
	" PRIMARY KEY(entry, name)) WITHOUT ROWID;"
	/* refs: how many other notes link to the note or name it (index_refs.c), for the
	 * ranking; a note none does has no row */
	"CREATE TABLE note_refs(note INTEGER PRIMARY KEY, refs INTEGER NOT NULL);"
	/* sig: a 64-bit hash of the text's signature (kb_normalize), which is not stored;
	 * seq: the symptom's place in its entry, the order in which fts_content lists them (an
	 * entry's rows are read in key order) */
	"CREATE TABLE symptoms(entry INTEGER NOT NULL, seq INTEGER NOT NULL, sig INTEGER NOT NULL,"
	" text TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY(entry, seq)) WITHOUT ROWID;"
	"CREATE TABLE files(path TEXT PRIMARY KEY, content BLOB NOT NULL) WITHOUT ROWID;"
	/* What FTS5 indexes, computed from the rows (nothing is stored twice): kb build puts
	 * the same values in when it inserts, and FTS5 reads them back for snippets. */
	"CREATE VIEW fts_content(rowid, title, keywords, symptoms, context, body) AS"
	" SELECT e.rowid, " KB_E_TITLE("e") ","
	" replace(e.components, char(10), ' ') || ' ' || replace(" KB_E_TAGS("e") ", char(10), ' '),"
	" coalesce((SELECT group_concat(s.text, char(10)) FROM symptoms s WHERE s.entry = e.rowid), ''),"
	" kb_context(n.title, n.path, " KB_E_SECTION("e") ", n.format), kb_body(" KB_INDEX_PACK_OF("e") ", e.at, e.len)"
	" FROM entries e JOIN notes n ON n.id = e.note;"
	/* body is FTS5's column 0: a row's positions in column 0 are stored without the column's
	 * number before them, and most of a row's terms are in its body */
	"CREATE VIRTUAL TABLE fts USING fts5(body, title, keywords, symptoms, context,"
	" content='fts_content', content_rowid='rowid', tokenize='kb');"
	"INSERT INTO fts(fts, rank) VALUES('rank', '" KB_INDEX_RANK "');";

/* The secondary indexes. A full build makes them once the rows are in: sorted in one pass,
 * they fill their pages, and it is faster than keeping them in order row by row. */
const char kb_index_indexes_sql[] =
	"CREATE INDEX notes_key ON notes(pkey);"
	"CREATE INDEX symptoms_sig ON symptoms(sig);";
