/* locale.h - the UTF-8 LC_CTYPE the statically linked kb carries, for hosts that have no locale
 * files for it. Other builds rely on the host's C.UTF-8, and these functions say so. */
#ifndef KB_LOCALE_H
#define KB_LOCALE_H

#include <stdbool.h>

#ifdef KB_STATIC
/* Makes the multibyte and wide-character functions kb and ncursesw call (mbrtowc, wcrtomb,
 * wcwidth, iswprint, nl_langinfo(CODESET) ...) behave as in C.UTF-8, with the widths of the
 * build machine's C.UTF-8. For when setlocale() cannot load a UTF-8 LC_CTYPE. */
void kb_locale_builtin_enable(void);
/* Whether the built-in UTF-8 LC_CTYPE is in use. */
bool kb_locale_builtin(void);
#else
static inline void kb_locale_builtin_enable(void)
{
}
static inline bool kb_locale_builtin(void)
{
	return false;
}
#endif

#endif
