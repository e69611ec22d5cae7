/* locale.c - the static kb's built-in UTF-8 LC_CTYPE, for hosts with no locale files.
 *
 * A statically linked glibc loads every locale but C and POSIX from files (C.UTF-8 included:
 * glibc 2.35+ ships it as /usr/lib/locale/C.utf8, it is not built in), so in an empty root
 * setlocale(LC_CTYPE, "C.UTF-8") fails and the C locale is ASCII: wcrtomb() refuses 镜,
 * wcwidth() says -1, and ncursesw draws nothing right. There is no public way to hand glibc
 * locale data from memory, and LOCPATH needs a directory on disk.
 *
 * So the static link wraps (ld --wrap, see mk/static.mk) the LC_CTYPE functions that kb,
 * ncursesw and tinfo call. Each wrapper calls glibc's own function unless kb_width_init() found
 * no UTF-8 locale and called kb_locale_builtin_enable(); then it behaves as C.UTF-8 does:
 * glibc's UTF-8 conversions, redone here, and widths and printability from a table generated
 * at build time from the build machine's C.UTF-8 (mkwidth.c). tests/tools/locale_check.c
 * compares the two, code point by code point and byte by byte. glibc's internal callers
 * (printf's %ls, iconv) are not wrapped: kb does not use them. mk/static.mk fails the build if
 * a linked object calls an LC_CTYPE function that is not wrapped here. */
#include "kb/locale.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

struct kb_width_range {
	uint32_t first, last;
	int8_t width;
};
#include "kb_width_data.h"

/* The wrappers and the glibc functions they wrap (ld --wrap=NAME: calls to NAME reach
 * __wrap_NAME, and __real_NAME is glibc's). */
#define KB_WRAP(ret, name, params)    \
	ret __real_##name params; \
	ret __wrap_##name params;
KB_WRAP(size_t, mbrtowc, (wchar_t *pwc, const char *s, size_t n, mbstate_t *ps))
KB_WRAP(size_t, mbrlen, (const char *s, size_t n, mbstate_t *ps))
KB_WRAP(size_t, __mbrlen, (const char *s, size_t n, mbstate_t *ps)) /* glibc's inline mbrlen */
KB_WRAP(int, mbtowc, (wchar_t *pwc, const char *s, size_t n))
KB_WRAP(int, mblen, (const char *s, size_t n))
KB_WRAP(size_t, mbstowcs, (wchar_t *dst, const char *src, size_t n))
KB_WRAP(size_t, mbsrtowcs, (wchar_t *dst, const char **src, size_t n, mbstate_t *ps))
KB_WRAP(size_t, wcrtomb, (char *s, wchar_t wc, mbstate_t *ps))
KB_WRAP(int, wctomb, (char *s, wchar_t wc))
KB_WRAP(size_t, wcsrtombs, (char *dst, const wchar_t **src, size_t n, mbstate_t *ps))
KB_WRAP(size_t, wcstombs, (char *dst, const wchar_t *src, size_t n))
KB_WRAP(wint_t, btowc, (int c))
KB_WRAP(int, wctob, (wint_t c))
KB_WRAP(int, wcwidth, (wchar_t c))
KB_WRAP(int, wcswidth, (const wchar_t *s, size_t n))
KB_WRAP(int, iswprint, (wint_t c))
KB_WRAP(char *, nl_langinfo, (nl_item item))
KB_WRAP(char *, setlocale, (int category, const char *locale))
KB_WRAP(size_t, __ctype_get_mb_cur_max, (void))

static bool builtin;

void kb_locale_builtin_enable(void)
{
	builtin = true;
}

bool kb_locale_builtin(void)
{
	return builtin;
}

/* glibc's UTF-8, as its mbrtowc() has it: lead bytes C2..DF, E0..EF, F0..F7, F8..FB and
 * FC..FD start sequences of 2 to 6 bytes (values up to 0x7FFFFFFF); a cut sequence whose
 * bytes so far fit is incomplete; overlong forms and surrogates are errors once whole.
 * A character being read is kept as glibc keeps it, in mbstate_t: the bytes seen and the
 * sequence's length in __count, the bits so far in __value.__wch. */
struct pending {
	unsigned seen, len;
	uint32_t bits;
};

/* The length of the sequence lead byte c starts (1..6), or 0 if it starts none. */
static unsigned seq_len(unsigned c)
{
	return c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF8 ? 4
	       : c < 0xFC ? 5 : c < 0xFE ? 6 : 0;
}

/* Feeds s[0..n) to the character p is reading. Returns the bytes of s that completed it
 * (*wc set, p cleared), -2 when all n were taken and it is still incomplete (n == 0 too),
 * -1 when they are not UTF-8 (p cleared). */
static long feed(struct pending *p, const unsigned char *s, size_t n, wchar_t *wc)
{
	for (size_t i = 0; i < n; i++) {
		if (p->seen == 0) {
			if (!(p->len = seq_len(s[i])))
				goto bad;
			p->bits = p->len == 1 ? s[i] : s[i] & (0xFFu >> (p->len + 1));
		} else if ((s[i] & 0xC0) == 0x80) {
			p->bits = (p->bits << 6) | (s[i] & 0x3Fu);
		} else {
			goto bad;
		}
		if (++p->seen < p->len)
			continue;
		if ((p->len > 2 && (p->bits >> (5 * p->len - 4)) == 0) ||
		    (p->bits >= 0xD800 && p->bits <= 0xDFFF))
			goto bad;
		*wc = (wchar_t)p->bits;
		memset(p, 0, sizeof *p);
		return (long)i + 1;
	}
	return -2;
bad:
	memset(p, 0, sizeof *p);
	return -1;
}

/* Decodes the character s[0..n) starts. Returns as feed(). */
static long decode(const char *s, size_t n, wchar_t *wc)
{
	struct pending p = {0, 0, 0};
	return feed(&p, (const unsigned char *)s, n, wc);
}

/* Encodes wc into out (6 bytes room): glibc writes every value up to 0x7FFFFFFF but
 * surrogates, in up to 6 bytes. Returns the bytes written, or -1. */
static int encode(wchar_t wc, char *out)
{
	static const unsigned char lead[] = {0, 0, 0xC0, 0xE0, 0xF0, 0xF8, 0xFC};
	uint32_t c = (uint32_t)wc;
	unsigned char *o = (unsigned char *)out;
	int len = 2;
	if (c < 0x80) {
		o[0] = (unsigned char)c;
		return 1;
	}
	if (c > 0x7FFFFFFF || (c & 0xFFFFF800) == 0xD800)
		return -1;
	while (len < 6 && (c >> (5 * len + 1)) != 0)
		len++;
	for (int i = len - 1; i > 0; i--, c >>= 6)
		o[i] = (unsigned char)(0x80 | (c & 0x3F));
	o[0] = (unsigned char)(lead[len] | c);
	return len;
}

/* Width of c from the table: -1 not printable, 0, 1 or 2. */
static int width_of(wchar_t wc)
{
	size_t lo = 0, hi = sizeof kb_width_ranges / sizeof kb_width_ranges[0];
	uint32_t c = (uint32_t)wc;
	if (wc < 0 || c > 0x10FFFF)
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c < kb_width_ranges[mid].first)
			hi = mid;
		else if (c > kb_width_ranges[mid].last)
			lo = mid + 1;
		else
			return kb_width_ranges[mid].width;
	}
	return 1;
}

size_t __wrap_mbrtowc(wchar_t *pwc, const char *s, size_t n, mbstate_t *ps)
{
	static mbstate_t own;
	struct pending p;
	wchar_t wc = 0;
	long r;
	if (!builtin)
		return __real_mbrtowc(pwc, s, n, ps);
	if (!ps)
		ps = &own;
	if (!s) {
		memset(ps, 0, sizeof *ps);
		return 0;
	}
	p.seen = (unsigned)ps->__count & 7;
	p.len = ((unsigned)ps->__count >> 3) & 7;
	p.bits = ps->__value.__wch;
	r = feed(&p, (const unsigned char *)s, n, &wc);
	ps->__count = (int)(p.seen | p.len << 3);
	ps->__value.__wch = p.bits;
	if (r == -1) {
		errno = EILSEQ;
		return (size_t)-1;
	}
	if (r == -2)
		return (size_t)-2;
	if (pwc)
		*pwc = wc;
	return wc == 0 ? 0 : (size_t)r;
}

size_t __wrap_mbrlen(const char *s, size_t n, mbstate_t *ps)
{
	static mbstate_t own;
	if (!builtin)
		return __real_mbrlen(s, n, ps);
	return __wrap_mbrtowc(NULL, s, n, ps ? ps : &own);
}

size_t __wrap___mbrlen(const char *s, size_t n, mbstate_t *ps)
{
	if (!builtin)
		return __real___mbrlen(s, n, ps);
	return __wrap_mbrlen(s, n, ps);
}

int __wrap_mbtowc(wchar_t *pwc, const char *s, size_t n)
{
	wchar_t wc = 0;
	long r;
	if (!builtin)
		return __real_mbtowc(pwc, s, n);
	if (!s)
		return 0; /* UTF-8 has no shift states */
	r = decode(s, n, &wc);
	if (r < 0) { /* incomplete is an error here */
		errno = EILSEQ;
		return -1;
	}
	if (pwc)
		*pwc = wc;
	return wc == 0 ? 0 : (int)r;
}

int __wrap_mblen(const char *s, size_t n)
{
	if (!builtin)
		return __real_mblen(s, n);
	return __wrap_mbtowc(NULL, s, n);
}

size_t __wrap_mbsrtowcs(wchar_t *dst, const char **src, size_t n, mbstate_t *ps)
{
	const char *s = *src;
	size_t i = 0;
	if (!builtin)
		return __real_mbsrtowcs(dst, src, n, ps);
	for (; !dst || i < n; i++) {
		wchar_t wc = 0;
		long r = *s ? decode(s, strnlen(s, 6), &wc) : 1;
		if (r < 0) {
			*src = s;
			errno = EILSEQ;
			return (size_t)-1;
		}
		if (dst)
			dst[i] = wc;
		if (wc == 0) {
			if (dst)
				*src = NULL;
			return i;
		}
		s += r;
	}
	*src = s;
	return i;
}

size_t __wrap_mbstowcs(wchar_t *dst, const char *src, size_t n)
{
	if (!builtin)
		return __real_mbstowcs(dst, src, n);
	return __wrap_mbsrtowcs(dst, &src, n, NULL);
}

size_t __wrap_wcrtomb(char *s, wchar_t wc, mbstate_t *ps)
{
	int r;
	if (!builtin)
		return __real_wcrtomb(s, wc, ps);
	if (ps)
		memset(ps, 0, sizeof *ps);
	if (!s)
		return 1;
	if ((r = encode(wc, s)) < 0) {
		errno = EILSEQ;
		return (size_t)-1;
	}
	return (size_t)r;
}

int __wrap_wctomb(char *s, wchar_t wc)
{
	int r;
	if (!builtin)
		return __real_wctomb(s, wc);
	if (!s)
		return 0;
	if ((r = encode(wc, s)) < 0)
		errno = EILSEQ;
	return r;
}

/* Stops before a character that would not fit in n bytes; *src becomes NULL once the
 * terminating L'\0' is stored. */
size_t __wrap_wcsrtombs(char *dst, const wchar_t **src, size_t n, mbstate_t *ps)
{
	const wchar_t *p = *src;
	size_t len = 0;
	char buf[6];
	if (!builtin)
		return __real_wcsrtombs(dst, src, n, ps);
	for (;; p++) {
		int r = encode(*p, buf);
		if (r < 0) {
			if (dst)
				*src = p;
			errno = EILSEQ;
			return (size_t)-1;
		}
		if (dst && len + (size_t)r > n) {
			*src = p;
			return len;
		}
		if (dst)
			memcpy(dst + len, buf, (size_t)r);
		if (*p == L'\0') {
			if (dst)
				*src = NULL;
			return len;
		}
		len += (size_t)r;
	}
}

size_t __wrap_wcstombs(char *dst, const wchar_t *src, size_t n)
{
	if (!builtin)
		return __real_wcstombs(dst, src, n);
	return __wrap_wcsrtombs(dst, &src, n, NULL);
}

wint_t __wrap_btowc(int c)
{
	if (!builtin)
		return __real_btowc(c);
	return c >= 0 && c < 0x80 ? (wint_t)c : WEOF;
}

int __wrap_wctob(wint_t c)
{
	if (!builtin)
		return __real_wctob(c);
	return c < 0x80 ? (int)c : EOF;
}

int __wrap_wcwidth(wchar_t c)
{
	return builtin ? width_of(c) : __real_wcwidth(c);
}

int __wrap_wcswidth(const wchar_t *s, size_t n)
{
	int sum = 0;
	if (!builtin)
		return __real_wcswidth(s, n);
	for (size_t i = 0; i < n && s[i]; i++) {
		int w = width_of(s[i]);
		if (w < 0)
			return -1;
		sum += w;
	}
	return sum;
}

int __wrap_iswprint(wint_t c)
{
	if (!builtin)
		return __real_iswprint(c);
	return c != 0 && c <= 0x10FFFF && width_of((wchar_t)c) >= 0;
}

char *__wrap_nl_langinfo(nl_item item)
{
	static char utf8[] = "UTF-8";
	return builtin && item == CODESET ? utf8 : __real_nl_langinfo(item);
}

/* Queries of LC_CTYPE name the built-in locale. A setlocale() that loads a real UTF-8
 * LC_CTYPE ends the built-in one; one that loads another keeps it, as kb_width_init() would. */
char *__wrap_setlocale(int category, const char *locale)
{
	static char name[] = "C.UTF-8";
	char *r;
	if (!builtin)
		return __real_setlocale(category, locale);
	if (!locale && category == LC_CTYPE)
		return name;
	r = __real_setlocale(category, locale);
	if (r && locale && (category == LC_CTYPE || category == LC_ALL) &&
	    strcmp(__real_nl_langinfo(CODESET), "UTF-8") == 0)
		builtin = false;
	return r;
}

size_t __wrap___ctype_get_mb_cur_max(void)
{
	return builtin ? 6 : __real___ctype_get_mb_cur_max();
}
