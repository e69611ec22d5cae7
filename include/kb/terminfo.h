/* terminfo.h - the terminal descriptions the statically linked kb carries, for hosts that have
 * no terminfo database. Other builds carry none, and these functions say so. */
#ifndef KB_TERMINFO_H
#define KB_TERMINFO_H

#include <stddef.h>

#ifdef KB_STATIC
/* The names of the built-in entries, NULL-terminated (static storage, never freed). */
const char *const *kb_terminfo_builtin(void);
/* The name ncurses last asked for and got from the built-in entries because the host had no
 * entry of its own, or NULL (static storage). */
const char *kb_terminfo_used(void);
#else
static inline const char *const *kb_terminfo_builtin(void)
{
	static const char *const none[] = {NULL};
	return none;
}
static inline const char *kb_terminfo_used(void)
{
	return NULL;
}
#endif

#endif
