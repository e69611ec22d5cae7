/* search_priv.h - what search.c, search_rank.c, search_exact.c and search_typo.c share. */
#ifndef KB_SEARCH_PRIV_H
#define KB_SEARCH_PRIV_H

#include "kb/search.h"

/* Sorts h best first: the higher score, then a note before a man page, then the lower
 * rowid (search.c). */
void kb_search_sort(struct kb_hits *h);

/* Re-ranks word-search hits by their page and language: a hit whose file is named like the
 * query's words (words: the query's words and phrases as typed) is worth more, and so is
 * one titled with an option or key the query spells (-mtime, --since, Restart=); one in the
 * other language of a tree that holds both (by a path part such as zh-cn/ or pages.zh/)
 * less; each hit gains a share of its page's other hits' scores. Sorts h, best first; of
 * equal scores, notes before man pages. */
void kb_search_rank_pages(struct kb_hits *h, const struct kb_strv *words);
/* Whether w is an option or a key as people type them: -l, --since, -mtime, Restart=. */
bool kb_search_spelling(const char *w);
/* Whether an entry's title spells word as typed, as one of its options or keys: at the
 * title's start or after a space, ',', '|', '[' or '(', and followed by the end or one of
 * " ,=[<|):" ("-l, --format=WORD" spells -l and --format; "Restart=" spells Restart=). */
bool kb_search_title_spells(const char *title, const char *word);
/* A hit's language for the lang: filter, "en" or "zh": the language its path names, else
 * zh when its title holds CJK, else en. A static string. */
const char *kb_search_lang(const struct kb_hit *h);

/* The entries that hold a pasted text's own words as written: its longest runs of plain
 * words between its variable parts, and its error identifiers (CamelCase, CAPS_WITH_UNDER),
 * each searched for as an exact phrase (but a run of common words alone, rows: the cache of
 * kb_search_word_rows, or NULL). A hit's score is the words of the runs it holds
 * (an identifier counts as four), best first; appended to out. Returns 0 or -1 with err. */
int kb_search_exact(struct kb_index *ix, const char *text, bool snippets, struct kb_strmap *rows, struct kb_hits *out,
                    struct kb_err *err);

/* Past so many entries a word is common: a pasted line's words are counted no further. */
#define KB_SEARCH_COMMON 3000
/* How many entries hold word, counted up to KB_SEARCH_COMMON + 1 (past that it is common,
 * and counting costs a read of its doclist), remembered in cache (when not NULL): a pasted
 * line's words are weighed for its candidates, its exact runs and its word search. -1 when
 * it cannot be told. */
long long kb_search_word_rows(struct kb_index *ix, const char *word, struct kb_strmap *cache);

/* The query text with each word the index does not have (ASCII, four characters or more)
 * replaced by the nearest indexed word, or NULL when none is (caller frees). */
char *kb_search_correct(struct kb_index *ix, const char *text, struct kb_err *err);

#endif
