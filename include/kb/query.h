/* query.h - what the user typed to safe FTS5 MATCH text: every term quoted, never an error.
 *
 * Syntax: words are ANDed; "exact phrase"; -word or -"phrase" excludes; OR between two
 * terms; word* is a prefix; component:NAME, symptom:TEXT, source:, section: and lang:en or
 * lang:zh filter. Options as people paste them (-A, --since, -9) are words; a -word is an
 * exclusion unless it is the query's only word, or the search layer finds it is an option
 * the index has (kb_query_options, kb_query_include): find -mtime.
 * Everything else is literal text: OPS-306, device AND, an unbalanced ", a lone * or ( are
 * just words.
 * A repeated term counts once; terms past KB_QUERY_MAX_TERMS are left out and counted. */
#ifndef KB_QUERY_H
#define KB_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "kb/util.h"

enum {
	KB_QUERY_PREFIX_LAST = 1 << 0, /* the last word is a prefix (search as you type) */
	KB_QUERY_AS_WRITTEN = 1 << 1,  /* no word in its other forms (a pasted line's words) */
};

enum kb_query_mode {
	KB_QUERY_ALL, /* every term must match */
	KB_QUERY_ANY, /* any term may match: the fallback when no entry has them all */
	KB_QUERY_PAIRS, /* every term, a CJK run of four or more characters as its two-character
	                 * words in turn (重置迁移任务: 重置 迁移 任务), each anywhere: the step
	                 * between ALL and ANY */
};

/* The most distinct terms a query keeps; a repeated term counts once. FTS5's snippets and
 * ranking cost grows with the terms times the text, and no one types more. */
#define KB_QUERY_MAX_TERMS 32

struct kb_query;

/* Parses text. Never fails; returns a query the caller frees with kb_query_free(). */
struct kb_query *kb_query_parse(const char *text, unsigned flags);
void kb_query_free(struct kb_query *q);

/* Returns FTS5 MATCH text for the query in the given mode (caller frees), or NULL when the
 * query has nothing to search for (only filters, only exclusions, or only punctuation). */
char *kb_query_match(const struct kb_query *q, enum kb_query_mode mode);
/* Whether KB_QUERY_ANY can find what KB_QUERY_ALL cannot: two or more terms, or a run of
 * Chinese characters that the fallback takes apart. */
bool kb_query_has_alternatives(const struct kb_query *q);
/* Gives each plain English word of q (not quoted, not a prefix, not an identifier) its
 * other forms, which its MATCH text then finds too: forms(ctx, word, out) appends those of
 * the folded word to out and returns 0, or -1 (kb_query_expand then returns -1). Without
 * it a plain word finds itself and its porter stem. Returns 0. */
int kb_query_expand(struct kb_query *q, int (*forms)(void *ctx, const char *word, struct kb_strv *out),
                    void *ctx);
/* Whether KB_QUERY_PAIRS differs from KB_QUERY_ALL: a CJK run of four or more characters. */
bool kb_query_has_pairs(const struct kb_query *q);
/* Number of terms past KB_QUERY_MAX_TERMS that were left out. */
size_t kb_query_ignored(const struct kb_query *q);
/* Number of positive terms (words and phrases that are not excluded). */
size_t kb_query_terms(const struct kb_query *q);
/* The component: filter, or NULL. */
const char *kb_query_component(const struct kb_query *q);
/* The source: filter ("notes", "man"), or NULL. */
const char *kb_query_source(const struct kb_query *q);
/* The section: filter (a man section: "5"), or NULL. */
const char *kb_query_section(const struct kb_query *q);
/* The symptom: filter text, or NULL. */
const char *kb_query_symptom(const struct kb_query *q);
/* The lang: filter (en, zh), or NULL. */
const char *kb_query_lang(const struct kb_query *q);
/* Appends the positive words and phrases, as typed, for highlighting. */
void kb_query_words(const struct kb_query *q, struct kb_strv *out);
/* True when the text reads like a pasted log line or error message rather than words to
 * look up: long, and error-looking or full of addresses, ids and times. */
bool kb_query_is_logline(const char *text);

/* Appends the excluded words that could be options as typed, with their '-' (-mtime:
 * letters, digits, '-', '_' and '.', not quoted), for the search layer to look up. */
void kb_query_options(const struct kb_query *q, struct kb_strv *out);
/* Makes the exclusion of option (as kb_query_options gives it) a word to find, as typed.
 * Returns whether q had it. */
bool kb_query_include(struct kb_query *q, const char *option);
/* Returns MATCH text for the entries whose title has word's tokens in a row (caller frees),
 * or NULL when word has nothing to index. */
char *kb_query_title_match(const char *word);

/* Quotes s as one FTS5 string ("" doubled). Appends to out. */
void kb_query_quote(struct kb_buf *out, const char *s, size_t n);

#endif
