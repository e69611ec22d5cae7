/* tui.h - the browser: kb with no command on a terminal (search, components, symptoms, reader). */
#ifndef KB_TUI_H
#define KB_TUI_H

#include <stdbool.h>

#include "kb/index.h"
#include "kb/util.h"

struct kb_tui_opts {
	/* Headless mode: read keys and commands from this file instead of the terminal
	 * (see src/tui/script.c for the commands); NULL for the real terminal. */
	const char *script;
	/* Headless mode: where the terminal output goes (default /dev/null). */
	const char *output;
	/* Wheel scrolling from the start (kb --mouse); else the mouse is the terminal's. */
	bool mouse;
};

/* Runs the browser on ix (still owned by the caller) until the user quits. The terminal is
 * restored whatever happens (q, Ctrl-C, SIGTERM, SIGHUP, a fatal error). Returns the process
 * exit status: 0 after q or Ctrl-C, 128+N after signal N (SIGTERM, SIGHUP), 2 after an error
 * (its message printed on stderr once the terminal is restored). */
int kb_tui_run(struct kb_index *ix, const struct kb_tui_opts *opts);

/* Appends the KEYS section of kb(1), in mdoc, generated from the action table that also
 * builds the keymap and the help screen. */
void kb_tui_keys_mdoc(struct kb_buf *out);

#endif
