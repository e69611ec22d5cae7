/* tokenizer.h - the "kb" FTS5 tokenizer: unicode61 plus CJK bigrams and identifier parts.
 *
 * Text outside CJK runs is tokenized and folded exactly as unicode61 does
 * (remove_diacritics 2, with "_" a token character). Then:
 *  - a CJK run (Han, kana, Hangul) c1 c2 … cn becomes the overlapping pairs c1c2, c2c3, …,
 *    at consecutive positions, and a document also gets the last character cn alone at the
 *    position of the last pair; a run of one character is that character. So a 2-character
 *    query is one token, a longer one a phrase of pairs, and a 1-character query is matched
 *    as a prefix ("镜"*: the query layer adds the *);
 *  - in documents, an identifier with parts (MANIFEST_UNKNOWN, getAcceccToken,
 *    failReason) also gets its lower-cased parts at its own position, so that "manifest",
 *    "token" and "reason" find it as well as the whole word does.
 * Queries get whole words only, so a typed identifier matches as itself. English word forms
 * are the query's business, not the index's (stems in every document made the index a
 * tenth bigger): a query's word given as KB_TOKENIZER_STEM, the word (3 or more letters,
 * capitalised at most at its start), then KB_TOKENIZER_STEM before each other form of it
 * (the search layer takes them from the index's vocabulary: kb_index_word_forms) is the
 * word with those forms as its synonyms, and with none given, its porter stem:
 * "\001draining\001drain\001drains" finds draining, drain and drains. */
#ifndef KB_TOKENIZER_H
#define KB_TOKENIZER_H

#include "kb/util.h"

/* Bump when any text tokenizes differently: an index built by another version is refused. */
#define KB_TOKENIZER_VERSION 4

/* The byte in front of a query word to be taken in its other forms, and of each form. */
#define KB_TOKENIZER_STEM '\x01'

struct sqlite3;

/* Registers the tokenizer as "kb" on db. Returns 0, or -1 with err set. */
int kb_tokenizer_register(struct sqlite3 *db, struct kb_err *err);

/* Calls fn with each token of text, tokenized as a query, by the kb tokenizer registered
 * on db. Stops when fn returns non-zero. Returns 0, or -1 when db has no kb tokenizer. */
int kb_tokenizer_each(struct sqlite3 *db, const char *text,
                      int (*fn)(void *ctx, const char *tok, int len), void *ctx);

/* Appends to stems the porter stem of each of words (folded English words; a word porter
 * leaves alone, or one too long, is its own stem), using FTS5's porter on db. Returns 0,
 * or -1 when db has no FTS5. */
int kb_tokenizer_stems(struct sqlite3 *db, const struct kb_strv *words, struct kb_strv *stems);

/* Tokenizes text as a document (query = false) or a query, appending "token@position"
 * strings to out; for tests and `kb debug tokens`. Returns 0, or -1 with err set. */
int kb_tokenizer_dump(const char *text, bool query, struct kb_strv *out, struct kb_err *err);

#endif
