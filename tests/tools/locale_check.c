/* locale_check.c - checks the static kb's built-in UTF-8 LC_CTYPE (src/static/locale.c) against
 * glibc's C.UTF-8 on the build machine: the width and printability of every code point, and
 * the conversions on valid, invalid and cut UTF-8, byte by byte. Linked like the static kb
 * (ld --wrap) by mk/static.mk; tests/static.test.sh runs it. Ends "N passed, N failed". */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include <stdarg.h>

#include "kb/locale.h"
#include "kb/util.h"

#define MAXCASE 1024

static const char *const bytes[] = {
	"a", "\xc3\xa9", "\xe9\x95\x9c", "\xf0\x9f\x98\x80", "\xc3", "\xe9\x95", "\xff", "\x80",
	"\xc0\x80", "\xc1\xbf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5\x80",
	"\xe9\x95\x9c\xe5\x83\x8f", "a\xffz", "\xe9x", "\xef\xbc\x9a", "\xcc\x81", "",
	"\xf7\xbf\xbf\xbf", "\xf8\x88\x80\x80\x80", "\xc3\xc3\xa9", "\xe9\x95\xe9\x95\x9c",
	"\xf0\x8f\xbf\xbf", "\xed\x9f\xbf", "\xee\x80\x80", "\xfe\xff",
	"\xfc\x84\x80\x80\x80\x80", "\xfd\xbf\xbf\xbf\xbf\xbf", "\xf8\x80\x80\x80\x80",
	"\xfc\x80\x80\x80\x80\xbf", "x\xcc\x81\xe3\x80\x80",
};
static const wchar_t wides[] = {0, 0x41, 0x7F, 0x80, 0xE9, 0x301, 0x7FF, 0x800, 0x955C, 0xFF1A,
                                0x1F600, 0xD800, 0xDFFF, 0x10FFFF, 0x110000, 0x200000,
                                0x3FFFFFF, 0x4000000, 0x7FFFFFFF, (wchar_t)-1};

/* One result line per case; the two runs (built-in, glibc) are compared line by line. */
static char lines[2][MAXCASE][96];
static int nlines[2];

static void rec(int run, const char *fmt, ...) KB_PRINTF(2, 3);
static int label; /* which input the line is about */
static void rec(int run, const char *fmt, ...)
{
	va_list ap;
	char *line = lines[run][nlines[run]];
	int n;
	if (nlines[run] >= MAXCASE)
		return;
	n = snprintf(line, sizeof lines[0][0], "%d: ", label);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof lines[0][0] - (size_t)n, fmt, ap);
	va_end(ap);
	nlines[run]++;
}

/* mbrtowc over s, whole and then fed one byte at a time with one state. */
static void conversions_in(int run, const char *s)
{
	size_t len = strlen(s) + 1, r;
	mbstate_t st;
	wchar_t wc;
	memset(&st, 0, sizeof st);
	wc = 0, errno = 0, r = mbrtowc(&wc, s, len, &st);
	rec(run, "mbrtowc whole: %ld wc %lx errno %d", (long)r, (long)wc, r == (size_t)-1 ? errno : 0);
	memset(&st, 0, sizeof st);
	for (size_t i = 0; i < len; i++) {
		wc = 0, errno = 0, r = mbrtowc(&wc, s + i, 1, &st);
		rec(run, "mbrtowc byte: %ld wc %lx errno %d", (long)r, (long)wc, r == (size_t)-1 ? errno : 0);
		if (r == (size_t)-1)
			break;
	}
	mbtowc(NULL, NULL, 0);
	wc = 0, r = (size_t)mbtowc(&wc, s, len);
	rec(run, "mbtowc %ld wc %lx mblen %d", (long)r, (long)wc, mblen(s, len));
	rec(run, "mbrlen %ld mbstowcs %ld", (long)mbrlen(s, len, NULL), (long)mbstowcs(NULL, s, 0));
	for (size_t n = 0; n < 4; n++) {
		wchar_t out[4] = {0};
		const char *p = s;
		memset(&st, 0, sizeof st); /* after EILSEQ a state is undefined: a fresh one each time */
		errno = 0, r = mbsrtowcs(out, &p, n, &st);
		/* After EILSEQ glibc leaves *src inside the bad sequence, where POSIX has it after the
		 * last character converted (as the built-in one does): not compared. */
		rec(run, "mbsrtowcs n=%ld: %ld, consumed %ld, %lx %lx errno %d", (long)n, (long)r,
		    r == (size_t)-1 ? -9L : p ? (long)(p - s) : -1L, (long)out[0], (long)out[1],
		    r == (size_t)-1 ? errno : 0);
	}
}

static void conversions_out(int run, wchar_t wc)
{
	char buf[8] = {0};
	mbstate_t st;
	size_t r;
	memset(&st, 0, sizeof st);
	errno = 0, r = wcrtomb(buf, wc, &st);
	rec(run, "wcrtomb: %ld bytes %02x%02x%02x%02x%02x%02x errno %d", (long)r,
	    (unsigned char)buf[0], (unsigned char)buf[1], (unsigned char)buf[2],
	    (unsigned char)buf[3], (unsigned char)buf[4], (unsigned char)buf[5],
	    r == (size_t)-1 ? errno : 0);
	memset(buf, 0, sizeof buf);
	rec(run, "wctomb %d %02x btowc %ld wctob %d", wctomb(buf, wc), (unsigned char)buf[0],
	    (long)btowc((int)wc), wctob((wint_t)wc));
}

/* wcsrtombs into buffers of 0..8 bytes: where it stops, and what it says. */
static void strings(int run)
{
	static const wchar_t text[] = {L'a', 0x955C, L'b', 0x1F600, 0};
	char out[16];
	for (size_t n = 0; n <= 8; n++) {
		const wchar_t *src = text;
		size_t r = wcsrtombs(out, &src, n, NULL);
		rec(run, "wcsrtombs n=%ld: %ld, consumed %ld", (long)n, (long)r, src ? (long)(src - text) : -1L);
	}
	rec(run, "wcstombs %ld wcswidth %d %d", (long)wcstombs(NULL, text, 0), wcswidth(text, 4),
	    wcswidth(L"a\x0301\x955C", 3));
	rec(run, "codeset %s mb_cur_max %ld", nl_langinfo(CODESET), (long)MB_CUR_MAX);
}

static void run_cases(int run)
{
	label = 0;
	for (size_t i = 0; i < sizeof bytes / sizeof bytes[0]; i++, label++)
		conversions_in(run, bytes[i]);
	for (size_t i = 0; i < sizeof wides / sizeof wides[0]; i++, label++)
		conversions_out(run, wides[i]);
	strings(run);
}

/* Every code point's width and printability, built-in (run 0) against glibc (run 1). */
static long widths(long *failed)
{
	static signed char w[0x110000], p[0x110000];
	long passed = 0;
	kb_locale_builtin_enable();
	for (long c = 0; c < 0x110000; c++)
		w[c] = (signed char)wcwidth((wchar_t)c), p[c] = iswprint((wint_t)c) != 0;
	setlocale(LC_CTYPE, "C.UTF-8"); /* a real UTF-8 LC_CTYPE ends the built-in one */
	for (long c = 0; c < 0x110000; c++) {
		if (w[c] == wcwidth((wchar_t)c) && p[c] == (iswprint((wint_t)c) != 0)) {
			passed++;
		} else if ((*failed)++ < 10) {
			printf("FAIL: U+%04lX: built-in width %d print %d, glibc %d %d\n", c, w[c], p[c],
			       wcwidth((wchar_t)c), iswprint((wint_t)c) != 0);
		}
	}
	return passed;
}

int main(void)
{
	long passed = 0, failed = 0;
	if (!setlocale(LC_CTYPE, "C") || strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		return 2;
	passed += widths(&failed);
	if (kb_locale_builtin() || strcmp(nl_langinfo(CODESET), "UTF-8") != 0) {
		printf("FAIL: setlocale(LC_CTYPE, \"C.UTF-8\") did not end the built-in locale\n");
		failed++;
	}
	setlocale(LC_CTYPE, "C");
	kb_locale_builtin_enable();
	run_cases(0);
	setlocale(LC_CTYPE, "C.UTF-8");
	run_cases(1);
	for (int i = 0; i < nlines[1]; i++) {
		if (i < nlines[0] && strcmp(lines[0][i], lines[1][i]) == 0) {
			passed++;
		} else {
			failed++;
			printf("FAIL: case %d: built-in \"%s\", glibc \"%s\"\n", i, i < nlines[0] ? lines[0][i] : "",
			       lines[1][i]);
		}
	}
	printf("%ld passed, %ld failed\n", passed, failed);
	return failed != 0;
}
