/* terminfo.c - gives ncurses the terminal descriptions the static kb carries, through the hook
 * ncurses has for exactly this: _nc_fallback2(), which it calls when $TERMINFO, ~/.terminfo,
 * $TERMINFO_DIRS and the system directories have no entry for the terminal.
 *
 * ncurses built with `configure --with-fallbacks=LIST` generates this function (MKfallback.sh)
 * from `infocmp -E/-e` output; Debian's libtinfo has an empty one. The static link puts this
 * object before libtinfo.a, so the linker takes this definition and never loads libtinfo's
 * fallback.o. The data (kb_terminfo_data.h) is generated at build time by mkterminfo.sh from
 * the build machine's terminfo with the same ncurses as the one linked in, so the layout of
 * TERMTYPE2 matches. Nothing is written to disk, and nothing is needed from the host. */
#define NCURSES_INTERNALS 1 /* TERMTYPE2, the in-core form of an entry */
#include <curses.h>
#include <string.h>
#include <term.h>

#include "kb/terminfo.h"
#include "kb_terminfo_data.h"

#if NCURSES_VERSION_MAJOR != 6
#error "terminfo.c fills ncurses 6's TERMTYPE2"
#endif

const TERMTYPE2 *_nc_fallback2(const char *name);

static const char *used;

/* Whether name is one of the '|'-separated names in names. */
static int name_in(const char *names, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = names; *p;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n == len && memcmp(p, name, len) == 0)
			return 1;
		if (!bar)
			break;
		p = bar + 1;
	}
	return 0;
}

/* Called by ncurses (lib_setup.c) for a terminal the host's database lacks. Returns the built-in
 * entry, which ncurses copies, or NULL. */
const TERMTYPE2 *_nc_fallback2(const char *name)
{
	size_t n = sizeof kb_terminfo_entries / sizeof kb_terminfo_entries[0];
	if (!name)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (name_in(kb_terminfo_entries[i].term_names, name)) {
			used = kb_terminfo_list[i];
			return &kb_terminfo_entries[i];
		}
	}
	return NULL;
}

const char *const *kb_terminfo_builtin(void)
{
	return kb_terminfo_list;
}

const char *kb_terminfo_used(void)
{
	return used;
}
