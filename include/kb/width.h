/* width.h - UTF-8 decoding, display width in terminal columns, and making text safe to show. */
#ifndef KB_WIDTH_H
#define KB_WIDTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kb/util.h"

#define KB_UTF8_BAD 0xFFFFFFFFu /* what kb_utf8_decode() yields for a malformed byte */

/* Decodes one code point from s[0..n) (n > 0) into *cp. Returns the bytes used (1..4);
 * a malformed or truncated sequence yields *cp = KB_UTF8_BAD and 1. */
int kb_utf8_decode_any(const char *s, size_t n, uint32_t *cp);
/* The same, the common three-byte sequences (CJK) decoded in line: scanners call it per
 * character of every note. */
static inline int kb_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xE0 && s[0] <= 0xEF && n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		uint32_t c = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (uint32_t)(s[2] & 0x3F);
		if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
			*cp = c;
			return 3;
		}
	}
	return kb_utf8_decode_any(str, n, cp);
}
/* Encodes cp into out (4 bytes room); returns the bytes written. */
int kb_utf8_encode(uint32_t cp, char *out);
/* Returns the offset of the first malformed byte in s[0..n), or n if all is valid UTF-8. */
size_t kb_utf8_check(const char *s, size_t n);

/* Makes the process measure widths the same everywhere: if LC_CTYPE is not UTF-8, switches
 * LC_CTYPE to C.UTF-8 (in the static kb, to its built-in one when the host has no locale
 * files: see kb/locale.h). Call once, after setlocale(LC_CTYPE, ""). Returns whether the
 * user's own locale is UTF-8: loaded so, or named so by LC_ALL, LC_CTYPE or LANG even if the
 * host cannot load it (see kb_width_locale_utf8()). */
bool kb_width_init(void);
/* Whether the user's locale (as found by kb_width_init) is UTF-8. */
bool kb_width_locale_utf8(void);
/* Whether the environment names a locale at all (LC_ALL, LC_CTYPE or LANG set): a host
 * reached with none (a bare jump host, env -i) is taken to have a UTF-8 terminal. */
bool kb_width_locale_named(void);

/* Columns a code point takes: 0 (combining, zero-width), 1 or 2 (East Asian wide).
 * Returns -1 for what must never be written raw: C0/C1 controls, DEL, bidi controls,
 * malformed bytes. kb_sanitize() turns those into visible text. */
int kb_width_cp(uint32_t cp);
/* Columns of s[0..n) once sanitised (every -1 counted at its visible form's width). */
size_t kb_width_str(const char *s, size_t n);

/* True for Han, Hiragana, Katakana, Hangul and Bopomofo letters: the scripts written
 * without spaces between words. */
bool kb_width_is_cjk(uint32_t cp);
/* Whether s[0..n) holds a CJK letter (kb_width_is_cjk); ASCII bytes are passed over. */
bool kb_width_has_cjk(const char *s, size_t n);
/* True for CJK and fullwidth punctuation (U+3000..U+303F, U+FF00..U+FF65 not letters). */
bool kb_width_is_cjk_punct(uint32_t cp);

/* Appends s[0..n) to out with everything kb_width_cp() calls unsafe made visible:
 * ESC as "^[", other C0 as "^X", DEL as "^?", C1 and bidi controls as "<U+XXXX>",
 * malformed bytes as "<XX>". Tabs and newlines are kept when keep_space is true. */
void kb_sanitize(struct kb_buf *out, const char *s, size_t n, bool keep_space);
/* From now on (on: true), kb_sanitize also shows every code point outside ASCII as
 * "<U+XXXX>" and kb_buf_json escapes it as \uXXXX: for a terminal that is not UTF-8, where
 * UTF-8's bytes 0x80..0x9F would be C1 controls (0x9B CSI, 0x9C ST, 0x9D OSC on an 8-bit
 * terminal). main sets it when the environment names a locale that is not UTF-8. */
void kb_sanitize_ascii(bool on);
bool kb_sanitize_is_ascii(void);

#endif
