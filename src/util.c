/* util.c - allocation that aborts on exhaustion, growable strings and string vectors. */
#define _GNU_SOURCE /* preadv2 and RWF_NOWAIT (kb_read_file_times) */
#include "kb/util.h"
#include "kb/width.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

void kb_oom(size_t n)
{
	/* The one place outside main/cli/tui that writes to the terminal: there is
	 * nobody left to report to once memory is gone. */
	fprintf(stderr, "kb: out of memory (%zu bytes)\n", n);
	abort();
}

void *kb_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		kb_oom(n);
	return p;
}

void *kb_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		kb_oom(n * size);
	return p;
}

void *kb_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		kb_oom(n);
	return q;
}

void kb_xgrow(void *pp, size_t *cap, size_t need, size_t size)
{
	void **p = pp;
	size_t c = *cap;
	if (need <= c)
		return;
	if (c < 8)
		c = 8;
	while (c < need) {
		if (c > SIZE_MAX / 2 / size)
			kb_oom(SIZE_MAX);
		c *= 2;
	}
	*p = kb_xrealloc(*p, c * size);
	*cap = c;
}

char *kb_xstrdup(const char *s)
{
	return kb_xstrndup(s, strlen(s));
}

char *kb_xstrndup(const char *s, size_t n)
{
	char *p = kb_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *kb_xjoin(const char *a, const char *sep, const char *b)
{
	size_t na = strlen(a), ns = strlen(sep), nb = strlen(b);
	char *p = kb_xmalloc(na + ns + nb + 1);
	memcpy(p, a, na);
	memcpy(p + na, sep, ns);
	memcpy(p + na + ns, b, nb + 1);
	return p;
}

char *kb_xasprintf(const char *fmt, ...)
{
	struct kb_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	kb_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return kb_buf_take(&b);
}

static void err_vset(struct kb_err *err, enum kb_err_code code, const char *fmt, va_list ap)
	KB_PRINTF(3, 0);
static void err_vset(struct kb_err *err, enum kb_err_code code, const char *fmt, va_list ap)
{
	if (!err)
		return;
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	err->code = code;
}

void kb_err_set(struct kb_err *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(err, KB_ERR_FAILED, fmt, ap);
	va_end(ap);
}

void kb_err_set_code(struct kb_err *err, enum kb_err_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(err, code, fmt, ap);
	va_end(ap);
}

void kb_buf_put(struct kb_buf *b, const char *s, size_t n)
{
	kb_xgrow(&b->s, &b->cap, b->len + n + 1, 1);
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void kb_buf_puts(struct kb_buf *b, const char *s)
{
	kb_buf_put(b, s, strlen(s));
}

void kb_buf_vprintf(struct kb_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	kb_xgrow(&b->s, &b->cap, b->len + (size_t)n + 1, 1);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void kb_buf_printf(struct kb_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kb_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Code points JSON output escapes although JSON allows them raw: C1 controls, bidi
 * controls and JavaScript's line separators, so that printed JSON is safe on a terminal. */
static bool json_escaped(uint32_t cp)
{
	return (cp >= 0x80 && cp < 0xA0) || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

/* Decodes one UTF-8 sequence at p (up to n bytes): U+FFFD and 1 for a malformed byte, as
 * kb_utf8_decode_any finds them (overlong forms, C0 80 included, surrogates, code points
 * past U+10FFFF, bytes that start or continue nothing): JSON is UTF-8, whatever the index
 * holds. */
static int json_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	int len = kb_utf8_decode_any((const char *)p, n, cp);
	if (*cp == KB_UTF8_BAD)
		*cp = 0xFFFD;
	return len;
}

void kb_buf_json(struct kb_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	bool ascii = kb_sanitize_is_ascii();
	kb_buf_putc(b, '"');
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int len = json_decode(p + i, n - i, &cp);
		if (cp == '"' || cp == '\\')
			kb_buf_printf(b, "\\%c", (char)cp);
		else if (cp == '\n')
			kb_buf_puts(b, "\\n");
		else if (cp == '\t')
			kb_buf_puts(b, "\\t");
		else if (cp == '\r')
			kb_buf_puts(b, "\\r");
		else if (cp < 0x20 || cp == 0x7F || json_escaped(cp) || cp == 0xFFFD || (cp > 0x7F && ascii && cp < 0x10000))
			kb_buf_printf(b, "\\u%04x", (unsigned)cp);
		else if (cp > 0xFFFF && ascii) /* a surrogate pair */
			kb_buf_printf(b, "\\u%04x\\u%04x", 0xD800 + ((cp - 0x10000) >> 10), 0xDC00 + ((cp - 0x10000) & 0x3FF));
		else
			kb_buf_put(b, (const char *)p + i, (size_t)len);
		i += (size_t)len;
	}
	kb_buf_putc(b, '"');
}

void kb_buf_reset(struct kb_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void kb_buf_free(struct kb_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

char *kb_buf_take(struct kb_buf *b)
{
	char *s = b->s ? b->s : kb_xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

const char *kb_buf_str(const struct kb_buf *b)
{
	return b->s ? b->s : "";
}

void kb_strv_push_own(struct kb_strv *sv, char *s)
{
	kb_xgrow(&sv->v, &sv->cap, sv->n + 2, sizeof *sv->v);
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void kb_strv_push(struct kb_strv *sv, const char *s)
{
	kb_strv_push_own(sv, kb_xstrdup(s));
}

bool kb_strv_has(const struct kb_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

bool kb_strv_add_unique(struct kb_strv *sv, const char *s)
{
	if (kb_strv_has(sv, s))
		return false;
	kb_strv_push(sv, s);
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void kb_strv_sort(struct kb_strv *sv)
{
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof *sv->v, cmp_str);
}

char *kb_strv_join(const struct kb_strv *sv, const char *sep)
{
	struct kb_buf b = {0};
	for (size_t i = 0; i < sv->n; i++) {
		if (i)
			kb_buf_puts(&b, sep);
		kb_buf_puts(&b, sv->v[i]);
	}
	return kb_buf_take(&b);
}

void kb_strv_free(struct kb_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

/* The slot of key in m: where it is, or the empty slot where it would go. */
static size_t strmap_slot(const struct kb_strmap *m, const char *key)
{
	size_t mask = m->cap - 1, i = (size_t)kb_hash64(key, strlen(key)) & mask;
	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & mask;
	return i;
}

bool kb_strmap_get(const struct kb_strmap *m, const char *key, int *val)
{
	size_t i;
	if (m->n == 0)
		return false;
	i = strmap_slot(m, key);
	if (!m->keys[i])
		return false;
	if (val)
		*val = m->vals[i];
	return true;
}

void kb_strmap_put(struct kb_strmap *m, const char *key, int val)
{
	size_t i;
	if (2 * (m->n + 1) > m->cap) {
		struct kb_strmap old = *m;
		m->cap = old.cap ? old.cap * 2 : 16;
		m->keys = kb_xcalloc(m->cap, sizeof *m->keys);
		m->vals = kb_xcalloc(m->cap, sizeof *m->vals);
		for (size_t k = 0; k < old.cap; k++) {
			if (old.keys[k]) {
				i = strmap_slot(m, old.keys[k]);
				m->keys[i] = old.keys[k];
				m->vals[i] = old.vals[k];
			}
		}
		free(old.keys);
		free(old.vals);
	}
	i = strmap_slot(m, key);
	if (!m->keys[i]) {
		m->keys[i] = kb_xstrdup(key);
		m->n++;
	}
	m->vals[i] = val;
}

void kb_strmap_free(struct kb_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

#define WORD_BYTE(c) (((c) >= '0' && (c) <= '9') || ((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || (c) == '_')
#define WORD_BYTES4(c) WORD_BYTE(c), WORD_BYTE((c) + 1), WORD_BYTE((c) + 2), WORD_BYTE((c) + 3)
#define WORD_BYTES16(c) WORD_BYTES4(c), WORD_BYTES4((c) + 4), WORD_BYTES4((c) + 8), WORD_BYTES4((c) + 12)
#define WORD_BYTES64(c) WORD_BYTES16(c), WORD_BYTES16((c) + 16), WORD_BYTES16((c) + 32), WORD_BYTES16((c) + 48)
const bool kb_ascii_word_bytes[256] = {WORD_BYTES64(0), WORD_BYTES64(64), WORD_BYTES64(128), WORD_BYTES64(192)};

void kb_pair_bits_any_case(uint64_t *bits, unsigned pair)
{
	unsigned a = pair >> 8, b = pair & 0xFF;
	for (unsigned v = 0; v < 4; v++) {
		unsigned x = (v & 1) && a >= 'a' && a <= 'z' ? a - 32 : a, y = (v & 2) && b >= 'a' && b <= 'z' ? b - 32 : b;
		bits[(x << 8 | y) / 64] |= (uint64_t)1 << ((x << 8 | y) % 64);
	}
}

static uint64_t mix64(uint64_t x) /* a 64-bit finaliser (as in splitmix64) */
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

uint64_t kb_hash_file(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ mix64(w)) * 0x100000001b3ull;
	}
	w = 0;
	memcpy(&w, s, n);
	return mix64(h ^ mix64(w ^ (uint64_t)n << 56));
}

uint64_t kb_hash64(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

int kb_read_file(const char *path, size_t max, char **data, size_t *len, struct kb_err *err)
{
	return kb_read_file_times(path, max, data, len, NULL, NULL, NULL, err);
}

int kb_open_ahead(const char *path, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd >= 0)
		(void)posix_fadvise(fd, 0, max < (size_t)INT32_MAX ? (off_t)max + 1 : 0, POSIX_FADV_WILLNEED);
	return fd;
}

/* The first read of kb_read_file_times when it is asked whether the file was in the page
 * cache: one that fails with EAGAIN rather than wait for the disk (RWF_NOWAIT), then, if it
 * did, the same read waiting. Sets *uncached when the disk had to be waited for. */
static ssize_t first_read(int fd, char *buf, size_t n, bool *uncached)
{
#ifdef RWF_NOWAIT
	struct iovec iov = {.iov_base = buf, .iov_len = n};
	ssize_t r = preadv2(fd, &iov, 1, -1, RWF_NOWAIT);
	if (r >= 0)
		return r;
	if (errno == EAGAIN)
		*uncached = true;
	else if (errno != EOPNOTSUPP && errno != ENOSYS && errno != EINVAL)
		return r; /* not a question of the cache: EINTR, EIO... */
#else
	(void)uncached;
#endif
	return read(fd, buf, n);
}

int kb_read_file_times(const char *path, size_t max, char **data, size_t *len, long long *size,
                       long long *mtime_ns, bool *uncached, struct kb_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		kb_err_set(err, "%s", strerror(errno));
		return -1;
	}
	return kb_read_fd_times(fd, max, data, len, size, mtime_ns, uncached, err);
}

/* Reads straight into a buffer of the size fstat gives (one more byte, to see the end), and
 * grows it only for a file that grows while it is read. */
int kb_read_fd_times(int fd, size_t max, char **data, size_t *len, long long *size, long long *mtime_ns,
                     bool *uncached, struct kb_err *err)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0, cap;
	if (fstat(fd, &st) != 0) {
		kb_err_set(err, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		kb_err_set(err, "%s", S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
		close(fd);
		return -1;
	}
	if (size)
		*size = (long long)st.st_size;
	if (mtime_ns)
		*mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	if (st.st_size > 0 && (unsigned long long)st.st_size > max) {
		kb_err_set_code(err, KB_ERR_TOO_BIG, "file larger than %zu bytes", max);
		close(fd);
		return -1;
	}
	cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	buf = kb_xmalloc(cap + 1);
	for (;;) {
		ssize_t r;
		if (n == cap) { /* the file grew while being read */
			if (cap > max) {
				kb_err_set_code(err, KB_ERR_TOO_BIG, "file larger than %zu bytes", max);
				goto fail;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			buf = kb_xrealloc(buf, cap + 1);
		}
		r = n == 0 && uncached ? first_read(fd, buf, cap, uncached) : read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			kb_err_set(err, "%s", strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			kb_err_set_code(err, KB_ERR_TOO_BIG, "file larger than %zu bytes", max);
			goto fail;
		}
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	*data = buf;
	return 0;
fail:
	close(fd);
	free(buf);
	return -1;
}

bool kb_ascii_strcaseeq(const char *a, const char *b)
{
	while (*a && *b && kb_ascii_tolower((unsigned char)*a) == kb_ascii_tolower((unsigned char)*b))
		a++, b++;
	return *a == *b;
}

bool kb_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *kb_memcasemem(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	if (m == 0)
		return hay;
	for (size_t i = 0; i + m <= n; i++) {
		size_t j = 0;
		while (j < m && kb_ascii_tolower((unsigned char)hay[i + j]) ==
		                    kb_ascii_tolower((unsigned char)needle[j]))
			j++;
		if (j == m)
			return hay + i;
	}
	return NULL;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = kb_ascii_tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Appends segment seg[0..n) to the path in b, folding "." and ".."; false if it climbs out. */
static bool push_segment(struct kb_buf *b, const char *seg, size_t n)
{
	if (n == 0 || (n == 1 && seg[0] == '.'))
		return true;
	if (n == 2 && seg[0] == '.' && seg[1] == '.') {
		char *slash;
		if (b->len == 0)
			return false;
		slash = strrchr(b->s, '/');
		b->len = slash ? (size_t)(slash - b->s) : 0;
		b->s[b->len] = '\0';
		return true;
	}
	if (b->len)
		kb_buf_putc(b, '/');
	kb_buf_put(b, seg, n);
	return true;
}

static bool push_path(struct kb_buf *b, const char *p)
{
	while (*p) {
		size_t n = strcspn(p, "/");
		if (!push_segment(b, p, n))
			return false;
		p += n + (p[n] == '/');
	}
	return true;
}

char *kb_path_resolve(const char *from, const char *target)
{
	struct kb_buf dec = {0}, out = {0};
	size_t n = strcspn(target, "#?"), scheme = strcspn(target, ":/");
	bool ok = true;
	if (n == 0 || (target[scheme] == ':' && scheme > 0))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (target[i] == '%' && i + 2 < n && (hi = hexval((unsigned char)target[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)target[i + 2])) >= 0) {
			kb_buf_putc(&dec, (char)(hi * 16 + lo));
			i += 2;
		} else {
			kb_buf_putc(&dec, target[i]);
		}
	}
	if (memchr(dec.s, '\0', dec.len))
		ok = false;
	if (ok && dec.s[0] != '/') {
		const char *slash = strrchr(from, '/');
		if (slash) {
			char *dir = kb_xstrndup(from, (size_t)(slash - from));
			ok = push_path(&out, dir);
			free(dir);
		}
	}
	ok = ok && push_path(&out, dec.s);
	kb_buf_free(&dec);
	if (!ok || out.len == 0) {
		kb_buf_free(&out);
		return NULL;
	}
	return kb_buf_take(&out);
}
