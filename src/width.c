/* width.c - UTF-8 decoding, display width in terminal columns, and making text safe to show. */
#include "kb/width.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "kb/locale.h"

static bool locale_utf8 = true;

int kb_utf8_decode_any(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c = s[0], min;
	int len;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2, c &= 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, c &= 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, c &= 0x07, min = 0x10000;
	} else {
		goto bad;
	}
	if ((size_t)len > n)
		goto bad;
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*cp = c;
	return len;
bad:
	*cp = KB_UTF8_BAD;
	return 1;
}

int kb_utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	} else if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t kb_utf8_check(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		uint64_t eight;
		if (i + 8 <= n && (memcpy(&eight, s + i, 8), (eight & 0x8080808080808080ull) == 0)) {
			i += 8; /* eight ASCII bytes */
			continue;
		}
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		int len = kb_utf8_decode(s + i, n - i, &cp);
		if (cp == KB_UTF8_BAD)
			return i;
		i += (size_t)len;
	}
	return n;
}

static bool codeset_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* Whether the environment asks for a UTF-8 LC_CTYPE (the first of LC_ALL, LC_CTYPE, LANG that
 * is set), loaded or not: ssh brings LANG=en_US.UTF-8 to hosts without that locale, or with no
 * locale files at all, and the terminal is UTF-8 all the same. */
static bool env_says_utf8(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v) {
			for (; *v; v++)
				if ((v[0] == 'U' || v[0] == 'u') && (v[1] == 'T' || v[1] == 't') &&
				    (v[2] == 'F' || v[2] == 'f') && (v[3] == '8' || (v[3] == '-' && v[4] == '8')))
					return true;
			return false;
		}
	}
	return false;
}

bool kb_width_init(void)
{
	locale_utf8 = codeset_is_utf8() || env_says_utf8();
	if (!codeset_is_utf8()) {
		/* Width must not depend on the user's locale: notes are UTF-8 whatever it is. */
		if (!setlocale(LC_CTYPE, "C.UTF-8"))
			setlocale(LC_CTYPE, "C.utf8");
		/* No locale files (the static kb in an empty root): its built-in C.UTF-8. */
		if (!codeset_is_utf8())
			kb_locale_builtin_enable();
	}
	return locale_utf8;
}

bool kb_width_locale_utf8(void)
{
	return locale_utf8;
}

bool kb_width_locale_named(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
	for (size_t i = 0; i < KB_NELEM(vars); i++)
		if (getenv(vars[i]) && *getenv(vars[i]))
			return true;
	return false;
}

static bool is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

int kb_width_cp(uint32_t cp)
{
	if (cp == KB_UTF8_BAD || cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || is_bidi_control(cp))
		return -1;
	if (cp < 0x7F)
		return 1;
	int w = wcwidth((wchar_t)cp);
	if (w < 0) {
		/* Unassigned or unknown to this libc: a CJK code point is still wide. */
		return kb_width_is_cjk(cp) ? 2 : 1;
	}
	return w;
}

bool kb_width_is_cjk(uint32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) ||   /* CJK Unified Ideographs */
	       (cp >= 0x3400 && cp <= 0x4DBF) ||   /* Extension A */
	       (cp >= 0x20000 && cp <= 0x3134F) || /* Extensions B..G */
	       (cp >= 0xF900 && cp <= 0xFAFF) ||   /* Compatibility Ideographs */
	       (cp >= 0x3040 && cp <= 0x309F) ||   /* Hiragana */
	       (cp >= 0x30A0 && cp <= 0x30FA) ||   /* Katakana (not the middle dot) */
	       (cp >= 0x30FC && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
	       (cp >= 0xFF66 && cp <= 0xFF9F) ||   /* Halfwidth Katakana */
	       (cp >= 0xAC00 && cp <= 0xD7AF) ||   /* Hangul syllables */
	       (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F) ||
	       (cp >= 0x3100 && cp <= 0x312F) ||   /* Bopomofo */
	       cp == 0x3005 || cp == 0x3007;       /* 々 〇 */
}

bool kb_width_has_cjk(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		i += (size_t)kb_utf8_decode(s + i, n - i, &cp);
		if (kb_width_is_cjk(cp))
			return true;
	}
	return false;
}

bool kb_width_is_cjk_punct(uint32_t cp)
{
	return (cp >= 0x3000 && cp <= 0x303F && cp != 0x3005 && cp != 0x3007) || cp == 0x30FB ||
	       (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	       (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
	       (cp >= 0x2018 && cp <= 0x201F) || cp == 0x2026 || cp == 0x2014;
}

/* The visible form of an unsafe code point (or malformed byte b). */
static void visible(struct kb_buf *out, uint32_t cp, unsigned char b)
{
	if (cp == KB_UTF8_BAD)
		kb_buf_printf(out, "<%02X>", b);
	else if (cp < 0x20)
		kb_buf_printf(out, "^%c", (char)(cp + 0x40));
	else if (cp == 0x7F)
		kb_buf_puts(out, "^?");
	else
		kb_buf_printf(out, "<U+%04X>", (unsigned)cp);
}

size_t kb_width_str(const char *s, size_t n)
{
	size_t w = 0, i = 0;
	while (i < n) {
		uint32_t cp;
		int len = kb_utf8_decode(s + i, n - i, &cp);
		int cw = kb_width_cp(cp);
		if (cw < 0) {
			struct kb_buf v = {0};
			visible(&v, cp, (unsigned char)s[i]);
			cw = (int)v.len;
			kb_buf_free(&v);
		}
		w += (size_t)cw;
		i += (size_t)len;
	}
	return w;
}

static bool ascii_only; /* kb_sanitize_ascii */

void kb_sanitize_ascii(bool on)
{
	ascii_only = on;
}

bool kb_sanitize_is_ascii(void)
{
	return ascii_only;
}

void kb_sanitize(struct kb_buf *out, const char *s, size_t n, bool keep_space)
{
	size_t i = 0, run = 0; /* run: start of the pending safe bytes */
	while (i < n) {
		uint32_t cp;
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F) {
			i++;
			continue;
		}
		int len = kb_utf8_decode(s + i, n - i, &cp);
		bool safe = (kb_width_cp(cp) >= 0 && !(ascii_only && cp >= 0x80)) ||
		            (keep_space && (cp == '\t' || cp == '\n'));
		if (!safe) {
			kb_buf_put(out, s + run, i - run);
			visible(out, cp, (unsigned char)s[i]);
			run = i + (size_t)len;
		}
		i += (size_t)len;
	}
	kb_buf_put(out, s + run, i - run);
}
