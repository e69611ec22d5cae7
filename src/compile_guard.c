/* compile_guard.c - keeps cmark out of its quadratic corners: finds the paragraphs of a note
 * that would make the cmark this is built with take time in the square of their length, and
 * makes the offending markup text before cmark sees it, saying where and what.
 *
 * The corner: cmark 0.30.2 (Debian 12's; 0.30.3 fixed it) walks every image opener "![" that
 * is still open each time a link closes, so "![[]()" repeated costs the square of its
 * repetitions, and so does "kb show" of the entry again. The scan below follows the
 * brackets of each paragraph as cmark's inline parser would, closely enough to count that
 * walk (it never counts less), and when a paragraph's walk would pass a bound that no
 * written note comes near, its image openers become an escaped "\[": the same length, so
 * every line and column stays where it was. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "compile_priv.h"

/* Steps of cmark's walk a paragraph may cost before its image openers are kept as text: a
 * few milliseconds of cmark's time, and thousands of times what a gallery of images costs. */
#define WALK_MAX (1u << 22)

struct scan {
	struct kb_buf stack; /* open brackets, innermost last: 'i' image, 'l' link */
	size_t images;       /* image openers on the stack */
	size_t walk;         /* steps the paragraph has cost so far */
};

/* Follows one bracket byte at p (text[0..len)) as cmark would. */
static void bracket(struct scan *s, const char *text, size_t p, size_t len)
{
	if (text[p] == '[') {
		bool image = p > 0 && text[p - 1] == '!' && !(p > 1 && text[p - 2] == '\\');
		kb_buf_putc(&s->stack, image ? 'i' : 'l');
		s->images += image;
		return;
	}
	if (s->stack.len == 0)
		return;
	if (s->stack.s[--s->stack.len] == 'i') {
		s->images--;
	} else if (p + 1 < len && (text[p + 1] == '(' || text[p + 1] == '[')) {
		s->walk += s->images; /* a link closed: cmark walks the open image openers */
	}
}

/* Whether the line at text[p..) opens or closes a fenced code block (``` or ~~~). */
static bool fence(const char *text, size_t p, size_t end)
{
	size_t i = p;
	while (i < end && i - p < 3 && text[i] == ' ')
		i++;
	return end - i >= 3 && (memcmp(text + i, "```", 3) == 0 || memcmp(text + i, "~~~", 3) == 0);
}

/* Makes the image openers of text[from..to) escaped brackets; returns how many. */
static size_t keep_as_text(char *text, size_t from, size_t to)
{
	size_t n = 0;
	for (size_t p = from; p + 1 < to; p++) {
		if (text[p] == '!' && text[p + 1] == '[' && !(p > 0 && text[p - 1] == '\\')) {
			text[p] = '\\';
			n++;
		}
	}
	return n;
}

/* Scans the paragraph text[from..to) (its first line is line); defuses it when too costly. */
static void paragraph(const char *relpath, char *text, size_t from, size_t to, int line,
                      struct kb_diags *diags)
{
	struct scan s = {0};
	for (size_t p = from; p < to && s.walk <= WALK_MAX; p++) {
		if (text[p] == '\\')
			p++; /* an escaped byte is no bracket */
		else if (text[p] == '[' || text[p] == ']')
			bracket(&s, text, p, to);
	}
	if (s.walk > WALK_MAX) {
		size_t n = keep_as_text(text, from, to);
		kb_diag_add(diags, KB_D_DEEP, relpath, line, 0,
		            "%zu image brackets in one paragraph, with links inside them, would take cmark "
		            "time in the square of their number; kept as text",
		            n);
	}
	kb_buf_free(&s.stack);
}

void kb_guard_brackets(const char *relpath, char *text, size_t len, struct kb_diags *diags)
{
	size_t start = 0; /* of the current paragraph */
	int line = 1, start_line = 1;
	bool in_fence = false, blank = true;
	for (size_t p = 0, end; p < len; p = end + 1, line++) {
		bool is_blank = true;
		for (end = p; end < len && text[end] != '\n'; end++)
			is_blank &= text[end] == ' ' || text[end] == '\t' || text[end] == '\r';
		if (fence(text, p, end)) {
			in_fence = !in_fence;
			is_blank = true; /* a fence ends a paragraph and belongs to none */
		}
		if (in_fence || is_blank) {
			if (!blank)
				paragraph(relpath, text, start, p, start_line, diags);
			blank = true;
		} else if (blank) {
			start = p, start_line = line, blank = false;
		}
	}
	if (!blank)
		paragraph(relpath, text, start, len, start_line, diags);
}
