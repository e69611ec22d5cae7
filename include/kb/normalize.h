/* normalize.h - error lines to signatures: the parts that differ between two copies of one
 * error (addresses, ids, numbers, times, paths, names) become placeholders. */
#ifndef KB_NORMALIZE_H
#define KB_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "kb/util.h"

/* Bump when kb_normalize() maps any input differently: stored signatures go stale. */
#define KB_NORMALIZE_VERSION 1

/* Returns the signature of s[0..n): ASCII lower-cased, white space collapsed, and variable
 * parts replaced by <ip> <uuid> <hex> <date> <time> <dur> <num> <ver> <path> <url> <str>
 * <name> <id>. Placeholders an author typed (IPV6ADDRESS, <ip>, x.x.x.x) map the same way.
 * Caller frees. */
char *kb_normalize(const char *s, size_t n);
/* Whether kb_normalize, which tries at each word start only the matchers its first byte can
 * start, gives s[0..n) the signature that trying every matcher gives. For tests. */
bool kb_normalize_first_kinds_agree(const char *s, size_t n);

/* Appends the words of a signature to out: runs of letters and digits (any script),
 * placeholders as themselves ("<ip>"). */
void kb_normalize_words(const char *sig, struct kb_strv *out);

/* How alike two signatures are, from 0 (nothing shared) to 1 (same words, same order). */
double kb_normalize_similarity(const char *a, const char *b);

/* True when s[0..n) reads like an error message or error code: error words (error, failed,
 * refused, not found, timeout, 失败, 错误 ...) or an error-code shape (MANIFEST_UNKNOWN,
 * ImagePullBackOff, 0x80070005, HTTP 4xx/5xx). */
bool kb_normalize_errorish(const char *s, size_t n);

/* True when the word w[0..n) has an error-code shape: UPPER_SNAKE with an error part or
 * two or more parts (USER_OR_PWD_ERR), CamelCase with an error part (ImagePullBackOff,
 * NullPointerException), E-codes (ECONNREFUSED), or 0x-hex status codes. */
bool kb_normalize_is_code(const char *w, size_t n);
/* How worth listing a symptom is, by its signature sig and an example of its text: 0 when
 * it says too little to tell one error from another (under six letters outside the
 * placeholders; one word that is not an error identifier such as ImagePullBackOff, or is
 * a word any error has: EOF, FATAL, OnFailure), else its words, up to 8. */
double kb_normalize_usefulness(const char *sig, const char *example);

#endif
