/* util.h - allocation that aborts on exhaustion, growable strings and string vectors. */
#ifndef KB_UTIL_H
#define KB_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define KB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define KB_PRINTF(f, a)
#endif

#define KB_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation: these never return NULL; out of memory prints one line and aborts.
 * Everything they return is released with free(). */
void *kb_xmalloc(size_t n);
/* Says "out of memory" and aborts: for libraries whose allocations fail another way. */
void kb_oom(size_t n) __attribute__((noreturn));
void *kb_xcalloc(size_t n, size_t size);
void *kb_xrealloc(void *p, size_t n);
/* Grows *p (an array of elements of size `size`, capacity *cap) to hold at least `need`. */
void kb_xgrow(void *pp, size_t *cap, size_t need, size_t size);
char *kb_xstrdup(const char *s);
char *kb_xstrndup(const char *s, size_t n);
char *kb_xasprintf(const char *fmt, ...) KB_PRINTF(1, 2);
/* a, sep, b as one string: kb_xasprintf("%s%s%s", …) for the paths and ids a build makes
 * by the hundred thousand, without printf's two passes over the format. */
char *kb_xjoin(const char *a, const char *sep, const char *b);

/* What kind of failure an error is, for a caller that acts on it rather than passing the
 * message on: KB_ERR_FAILED (any failure), KB_ERR_TOO_BIG (a file larger than the reader's
 * limit), KB_ERR_OUTSIDE and KB_ERR_HIDDEN (what opened is not to be read: it is out of the
 * notes directory, or has a hidden name in it), KB_ERR_DAMAGED (an index that is damaged or
 * no longer what it was: kb_build then builds afresh rather than from it). */
enum kb_err_code { KB_ERR_FAILED, KB_ERR_TOO_BIG, KB_ERR_OUTSIDE, KB_ERR_HIDDEN, KB_ERR_DAMAGED };

/* A fallible function's error: a one-line message for the user, without "kb: ", and its kind. */
struct kb_err {
	char msg[512];
	enum kb_err_code code;
};
/* Sets err's message (code KB_ERR_FAILED); err may be NULL. */
void kb_err_set(struct kb_err *err, const char *fmt, ...) KB_PRINTF(2, 3);
/* The same with a code. */
void kb_err_set_code(struct kb_err *err, enum kb_err_code code, const char *fmt, ...) KB_PRINTF(3, 4);

/* A growable byte string, always NUL-terminated once anything was put in it.
 * Zero-initialise; release with kb_buf_free() or take ownership with kb_buf_take(). */
struct kb_buf {
	char *s;
	size_t len, cap;
};
void kb_buf_put(struct kb_buf *b, const char *s, size_t n);
void kb_buf_puts(struct kb_buf *b, const char *s);
static inline void kb_buf_putc(struct kb_buf *b, char c)
{
	if (b->len + 2 <= b->cap) { /* the common case, without a call */
		b->s[b->len++] = c;
		b->s[b->len] = '\0';
	} else {
		kb_buf_put(b, &c, 1);
	}
}
void kb_buf_printf(struct kb_buf *b, const char *fmt, ...) KB_PRINTF(2, 3);
void kb_buf_vprintf(struct kb_buf *b, const char *fmt, va_list ap) KB_PRINTF(2, 0);
/* Appends s as a JSON string literal, quotes included. */
void kb_buf_json(struct kb_buf *b, const char *s);
void kb_buf_reset(struct kb_buf *b);
void kb_buf_free(struct kb_buf *b);
/* Returns the string (never NULL: "" for an empty buffer), caller frees; b is reset. */
char *kb_buf_take(struct kb_buf *b);
/* Returns the contents as a C string ("" when empty); valid until the next change. */
const char *kb_buf_str(const struct kb_buf *b);

/* A growable vector of owned strings. Zero-initialise; release with kb_strv_free(). */
struct kb_strv {
	char **v;
	size_t n, cap;
};
void kb_strv_push(struct kb_strv *sv, const char *s);      /* pushes a copy */
void kb_strv_push_own(struct kb_strv *sv, char *s);        /* takes ownership */
/* Pushes a copy unless an equal string is already there; returns true if pushed. */
bool kb_strv_add_unique(struct kb_strv *sv, const char *s);
bool kb_strv_has(const struct kb_strv *sv, const char *s);
void kb_strv_sort(struct kb_strv *sv);
/* Returns the strings joined by sep, caller frees. */
char *kb_strv_join(const struct kb_strv *sv, const char *sep);
void kb_strv_free(struct kb_strv *sv);

/* A hash map from strings (copied) to ints. Zero-initialise; release with kb_strmap_free(). */
struct kb_strmap {
	char **keys;
	int *vals;
	size_t cap, n;
};
/* Returns true and sets *val (when val is not NULL) if key is in m. */
bool kb_strmap_get(const struct kb_strmap *m, const char *key, int *val);
/* Sets key to val, adding key if it is new. */
void kb_strmap_put(struct kb_strmap *m, const char *key, int val);
void kb_strmap_free(struct kb_strmap *m);

/* 64-bit FNV-1a of n bytes: cheap change detection, not cryptography. Symptom signatures
 * are stored as this hash: it must not change without a new index schema. */
uint64_t kb_hash64(const void *p, size_t n);
/* A 64-bit hash of a whole file's bytes, read eight at a time (kb build hashes every note
 * it reads to tell a changed note from a touched one). Not cryptography either. */
uint64_t kb_hash_file(const void *p, size_t n);

/* Reads a whole regular file into a NUL-terminated buffer (caller frees *data).
 * Refuses files larger than max bytes. Returns 0, or -1 with err set. */
int kb_read_file(const char *path, size_t max, char **data, size_t *len, struct kb_err *err);
/* The same, and the file's size and modification time (ns) as it was opened, and (when
 * uncached is not NULL) whether its first bytes had to come from the disk: *uncached is set
 * then, and left alone otherwise. */
int kb_read_file_times(const char *path, size_t max, char **data, size_t *len, long long *size,
                       long long *mtime_ns, bool *uncached, struct kb_err *err);
/* The same from a descriptor open for reading, which it closes. */
int kb_read_fd_times(int fd, size_t max, char **data, size_t *len, long long *size, long long *mtime_ns,
                     bool *uncached, struct kb_err *err);
/* Opens the file at path and asks the kernel to start reading it (its first max + 1 bytes:
 * enough to tell that a larger file is too large) into the page cache, without waiting for
 * it. Returns the descriptor (for kb_read_fd_times), or -1 when it cannot be opened. */
int kb_open_ahead(const char *path, size_t max);

/* Resolves a link target written in the note `from` (a path relative to the notes
 * directory) to a path relative to the notes directory: "#fragment" and "?query" dropped,
 * %XX decoded, "." and ".." folded, a leading "/" meaning the notes directory. Returns a
 * new string, or NULL for URLs (scheme:), bare fragments, empty targets and anything that
 * would leave the notes directory. */
char *kb_path_resolve(const char *from, const char *target);

/* ASCII helpers that ignore the locale. */
static inline bool kb_ascii_isalnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
/* Letters, digits and '_': the bytes of a word (a table: the scanners read every byte). */
extern const bool kb_ascii_word_bytes[256];
static inline bool kb_ascii_isword(unsigned char c)
{
	return kb_ascii_word_bytes[c];
}
static inline int kb_ascii_tolower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}
bool kb_ascii_strcaseeq(const char *a, const char *b);
bool kb_starts_with(const char *s, const char *prefix);
/* Whether s[0..n), ASCII letters lower-cased, is lower[0..n) (already lower-case). Inline:
 * the scanners call it for every candidate word. */
static inline bool kb_ascii_eq_lower(const char *s, const char *lower, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (kb_ascii_tolower((unsigned char)s[k]) != (unsigned char)lower[k])
			return false;
	return true;
}
/* Sets in bits (65536 of them) the bit of the byte pair (first << 8 | second, both
 * lower-case) and of its pairs with either letter upper-case: a text is then looked up by
 * its pairs as written. */
void kb_pair_bits_any_case(uint64_t *bits, unsigned pair);
/* Returns the ASCII-case-insensitive position of needle in hay[0..n), or NULL. */
const char *kb_memcasemem(const char *hay, size_t n, const char *needle);

#endif
