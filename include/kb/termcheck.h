/* termcheck.h - kb debug curses: proves on a given terminal that curses starts, finds a
 * terminal description and draws CJK text at the widths kb computes. */
#ifndef KB_TERMCHECK_H
#define KB_TERMCHECK_H

#include "kb/util.h"

/* Starts curses on the terminal of standard input and output ($TERM), draws what it found
 * (terminal description and where it came from, LC_CTYPE, colours) and text (UTF-8) with a
 * width check, waits for a key, ends curses and prints the same report on standard output.
 * Returns 0 when curses started and its width of text equals kb's, else -1 with err. */
int kb_termcheck_run(const char *text, struct kb_err *err);

#endif
