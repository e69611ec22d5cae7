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
 *  - in documents, an English word (3 or more letters, capitalised at most at its start)
 *    whose porter stem differs from it also gets the stem, marked with KB_TOKENIZER_STEM
 *    in front, at its own position.
 * Queries get whole words only, so a typed identifier matches as itself; a query's word
 * given as KB_TOKENIZER_STEM then the word (the query layer does so for plain words) is
 * the word and, as its synonym, its marked stem: "draining" finds drain and drains. */
#ifndef KB_TOKENIZER_H
#define KB_TOKENIZER_H

#include "kb/util.h"

/* Bump when any text tokenizes differently: an index built by another version is refused. */
#define KB_TOKENIZER_VERSION 2

/* The byte in front of a stem in the index, and of a query word to be stemmed. */
#define KB_TOKENIZER_STEM '\x01'

struct sqlite3;

/* Registers the tokenizer as "kb" on db. Returns 0, or -1 with err set. */
int kb_tokenizer_register(struct sqlite3 *db, struct kb_err *err);

/* Calls fn with each token of text, tokenized as a query, by the kb tokenizer registered
 * on db. Stops when fn returns non-zero. Returns 0, or -1 when db has no kb tokenizer. */
int kb_tokenizer_each(struct sqlite3 *db, const char *text,
                      int (*fn)(void *ctx, const char *tok, int len), void *ctx);

/* Tokenizes text as a document (query = false) or a query, appending "token@position"
 * strings to out; for tests and `kb debug tokens`. Returns 0, or -1 with err set. */
int kb_tokenizer_dump(const char *text, bool query, struct kb_strv *out, struct kb_err *err);

#endif
