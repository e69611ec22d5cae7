/* search.h - from what the user typed or pasted to ranked entries: the query layer's MATCH
 * text run through the index, with the fallbacks a person expects (most of the words when
 * no entry has all of them; pasted log lines matched by their error signatures).
 *
 * Like build, this sits above two siblings (query and index) that never include each
 * other; the CLI and the browser both search through here. */
#ifndef KB_SEARCH_H
#define KB_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "kb/index.h"
#include "kb/util.h"

struct kb_search_opts {
	const char *text;
	unsigned query_flags; /* KB_QUERY_* */
	size_t limit;         /* 0: no limit */
	bool snippets;
	bool no_logline;      /* treat the text as words even when it looks like a log line */
	bool count;           /* fill the result's total when the limit cuts the hits */
};

enum kb_search_how {
	KB_SEARCH_NOTHING,  /* nothing to search for (only punctuation, only exclusions) */
	KB_SEARCH_ALL,      /* entries with all the words */
	KB_SEARCH_SOME,     /* no entry had all the words: entries with most of them */
	KB_SEARCH_LOG,      /* read as a pasted log line: entries with that error first */
	KB_SEARCH_LIST,     /* only a component: filter: that component's entries */
};

struct kb_search_result {
	struct kb_hits hits;
	enum kb_search_how how;
	struct kb_strv words; /* words to highlight in snippets and the reader */
	size_t ignored_words; /* words past KB_QUERY_MAX_TERMS, left out (not of a log line) */
	size_t total;         /* with opts.count: how many entries the words find in all
	                       * (the browser's "100 of 3,007"); else, or unknown, 0 */
	char *showing;        /* the query as kb searched it instead, its misspelt words
	                       * replaced by the nearest indexed ones; NULL when not */
};

/* Runs a search. Returns 0 (result filled; free with kb_search_result_free) or -1 with err
 * (result empty). */
int kb_search_run(struct kb_index *ix, const struct kb_search_opts *opts,
                  struct kb_search_result *res, struct kb_err *err);
void kb_search_result_free(struct kb_search_result *res);

/* One entry found for a log, with the log lines (0-based indexes) that led to it. */
struct kb_log_match {
	struct kb_hit hit;
	double score; /* 0..1 */
	size_t *lines;
	size_t nlines;
};
struct kb_log_result {
	struct kb_log_match *v;
	size_t n, cap;
	size_t error_lines;     /* how many lines of the log looked like errors and were matched */
	size_t unmatched_lines; /* error-looking lines past the most that are matched */
};

/* Matches the error-looking lines of a log (lines[0..n)) against the entries' symptoms.
 * Each entry appears once, best first. Returns 0 or -1 with err. */
int kb_search_log(struct kb_index *ix, char *const *lines, size_t n, size_t limit,
                  struct kb_log_result *res, struct kb_err *err);
void kb_log_result_free(struct kb_log_result *res);

/* The same a line at a time, for a log read as it streams by: res starts zeroed, each line
 * goes to kb_search_log_line with its 0-based number, and kb_search_log_finish ranks what
 * was found and keeps the best limit (0: all). kb_search_log_line returns 1 when the line
 * looked like an error and was matched (the caller keeps its text to print: at most a few
 * hundred lines of a log are), 0 when it was passed over, -1 with err. */
int kb_search_log_line(struct kb_index *ix, const char *line, size_t line_no, struct kb_log_result *res,
                       struct kb_err *err);
void kb_search_log_finish(struct kb_log_result *res, size_t limit);

/* The MATCH text of the candidate query kb_search_log runs for one log line (its rarest
 * words in the symptoms column), or NULL when it runs none. Caller frees. For benchmarks
 * and kb debug query. */
char *kb_search_log_match(struct kb_index *ix, const char *line);

#endif
