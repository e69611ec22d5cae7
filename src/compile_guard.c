/* compile_guard.c - keeps cmark out of its expensive corners: finds the paragraphs of a note
 * that would make the cmark kb is built with take time in the square of their length, or
 * memory many times their size, and makes the offending markup text before cmark sees it,
 * saying where and what. Lines stay where they were: nothing adds or removes a line end.
 *
 * Time: cmark 0.30.2 (Debian 12's; 0.30.3 fixed it) walks every image opener "![" still
 * open each time a link closes, so "![[]()" repeated costs the square of its repetitions,
 * and "kb show" of the entry pays it again. The scan follows each paragraph's brackets as
 * cmark's inline parser would, closely enough to count that walk (never less), and when it
 * would pass a bound no written note comes near, the paragraph's image openers become an
 * escaped "\[", in place.
 *
 * Memory: cmark makes a node of about a hundred and fifty bytes for each emphasis, code
 * span, link, break and line end, so a paragraph of "*a* " or of hard breaks takes a
 * hundred times its size, and a paragraph or list item a few more. A link costs several:
 * its node, its text's, the text after it, and the record kb keeps of it. When a note's marks would
 * take cmark many times the note's size, each stretch between its fenced code and headings whose
 * marks are denser than any prose's is wrapped in <pre> and </pre> on its first and last
 * lines: a raw HTML block, one node, shown as its lines as written.
 * (cmark 0.30.2 ends such a block a line early in its source positions: compile.c counts.) */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "compile_priv.h"

/* Steps of cmark's walk a paragraph may cost before its image openers are kept as text: a
 * few milliseconds of cmark's time, and thousands of times what a gallery of images costs. */
#define WALK_MAX (1u << 22)
/* Memory: cmark takes about NODE_BYTES for each node, and a mark makes about one. A note
 * whose marks would take more than NOTE_FACTOR times its size, plus NOTE_SLACK, has each of
 * its regions (what lies between fenced code and headings) with more than DENSE_MIN marks, one in
 * DENSE_BYTES bytes or more, kept as raw text. Written notes have a mark in tens of bytes
 * and stay far below. */
#define NODE_BYTES 160
#define NOTE_FACTOR 16
#define NOTE_SLACK (8u << 20)
#define DENSE_MIN 2048
#define DENSE_BYTES 12
#define RUN_MARKS 3 /* a paragraph's or list item's nodes besides its marks */
#define LINK_MARKS 4 /* a link's (or image's) cost besides its two brackets, when it has text */

struct scan {
	struct kb_buf stack; /* open brackets, innermost last: 'i' image, 'l' link */
	size_t images;       /* image openers on the stack */
	size_t walk;         /* steps the paragraph has cost so far */
	size_t marks;        /* bytes that may start a node of their own, line ends included */
};

/* A stretch to wrap in <pre>: its bytes text[from..to), to at the end of its last line. */
struct wrap {
	size_t from, to;
};
struct wraps {
	struct wrap *v;
	size_t n, cap;
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

/* Whether the line text[p..end) is an ATX heading: a block of its own, cheap, and left as
 * it is (the entries are cut at headings). */
static bool heading(const char *text, size_t p, size_t end)
{
	size_t i = p, h;
	while (i < end && i - p < 3 && text[i] == ' ')
		i++;
	for (h = 0; i + h < end && text[i + h] == '#'; h++)
		;
	return h >= 1 && h <= 6 && (i + h == end || text[i + h] == ' ' || text[i + h] == '\t' || text[i + h] == '\r');
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

static bool is_mark(unsigned char c)
{
	return c == '*' || c == '_' || c == '`' || c == '[' || c == ']' || c == '!' || c == '<' || c == '&' ||
	       c == '\n' || c == '\\';
}

/* Counts the marks and follows the brackets of the paragraph text[from..to). */
static void scan(struct scan *s, const char *text, size_t from, size_t to)
{
	for (size_t p = from; p < to; p++) {
		s->marks += is_mark((unsigned char)text[p]);
		if (text[p] == ']' && p > from && text[p - 1] != '[' && p + 1 < to &&
		    (text[p + 1] == '(' || text[p + 1] == '['))
			s->marks += LINK_MARKS; /* a link with text closes */
		if (text[p] == '\\')
			p++; /* an escaped byte is no bracket */
		else if ((text[p] == '[' || text[p] == ']') && s->walk <= WALK_MAX)
			bracket(s, text, p, to);
	}
}

/* What the guard does to a note: whether it is over its memory budget, and the stretches it
 * keeps as raw text. */
struct guard {
	const char *relpath;
	char *text;
	struct kb_diags *diags;
	bool dense_note;   /* the note's marks would take cmark more than its budget */
	size_t all_marks;  /* the first pass counts them here */
	struct wraps wraps;
};

/* Called for a stretch text[from..to) of lines first..last holding runs paragraphs. */
typedef void (*stretch_fn)(struct guard *g, size_t from, size_t to, int first, int last, size_t runs);

/* Calls fn for each paragraph of text[from..to), whose first line is line: a run of lines
 * that are not blank, outside fenced code, without ATX headings. With regions, for each
 * region instead: the paragraphs between two fences or headings (or the ends), blank lines
 * included. */
static void stretches(struct guard *g, size_t from, size_t to, int line, bool regions, stretch_fn fn)
{
	size_t start = from, last_end = from, runs = 0;
	int first = line, last = line;
	bool in_fence = false, open = false, after_blank = true;
	for (size_t p = from, end; p < to; p = end + 1, line++) {
		bool blank = true, f;
		for (end = p; end < to && g->text[end] != '\n'; end++)
			blank &= g->text[end] == ' ' || g->text[end] == '\t' || g->text[end] == '\r';
		if ((f = fence(g->text, p, end)))
			in_fence = !in_fence;
		if (f || in_fence || (blank && !regions) || heading(g->text, p, end)) {
			if (open)
				fn(g, start, last_end, first, last, runs);
			open = false, after_blank = true;
			continue;
		}
		if (blank) {
			after_blank = true;
			continue;
		}
		if (!open)
			start = p, first = line, runs = 0, open = true;
		runs += after_blank;
		after_blank = false;
		last_end = end < to ? end + 1 : end, last = line;
	}
	if (open)
		fn(g, start, last_end, first, last, runs);
}

/* A note's marks, and a node for each paragraph besides. */
static void count(struct guard *g, size_t from, size_t to, int first, int last, size_t runs)
{
	struct scan s = {0};
	(void)first, (void)last;
	scan(&s, g->text, from, to);
	kb_buf_free(&s.stack);
	g->all_marks += s.marks + RUN_MARKS * runs;
}

/* A paragraph whose image openers would cost cmark too much time has them escaped. */
static void brackets(struct guard *g, size_t from, size_t to, int first, int last, size_t runs)
{
	struct scan s = {0};
	(void)last, (void)runs;
	scan(&s, g->text, from, to);
	kb_buf_free(&s.stack);
	if (s.walk > WALK_MAX)
		kb_diag_addf(g->diags, KB_D_BRACKETS, g->relpath, first, 0, "%zu in one paragraph",
		             keep_as_text(g->text, from, to));
}

/* A region too dense for cmark's memory, in a note over its budget, is kept as raw text; the
 * paragraphs of any other are looked at for their brackets. */
static void region(struct guard *g, size_t from, size_t to, int first, int last, size_t runs)
{
	struct scan s = {0};
	size_t marks;
	if (!g->dense_note) {
		stretches(g, from, to, first, false, brackets);
		return;
	}
	scan(&s, g->text, from, to);
	kb_buf_free(&s.stack);
	marks = s.marks + RUN_MARKS * runs;
	if (marks <= DENSE_MIN || marks <= (to - from) / DENSE_BYTES) {
		stretches(g, from, to, first, false, brackets);
		return;
	}
	kb_xgrow(&g->wraps.v, &g->wraps.cap, g->wraps.n + 1, sizeof *g->wraps.v);
	g->wraps.v[g->wraps.n++] = (struct wrap){from, to};
	kb_diag_addf(g->diags, KB_D_DENSE_MARKS, g->relpath, first, 0, "%zu marks in %zu bytes to line %d", marks,
	             to - from, last);
}

/* Whether text[p..) starts an end tag that would close a <pre> block early. */
static bool closes_pre(const char *text, size_t p, size_t to)
{
	static const char *const tags[] = {"</pre>", "</script>", "</style>", "</textarea>"};
	for (size_t k = 0; k < KB_NELEM(tags); k++) {
		size_t n = strlen(tags[k]);
		if (to - p >= n && kb_ascii_eq_lower(text + p, tags[k], n))
			return true;
	}
	return false;
}

/* Returns text with each stretch of wraps between <pre> and </pre>; frees text. */
static char *wrap_all(char *text, size_t *len, const struct wraps *wraps)
{
	struct kb_buf out = {0};
	size_t at = 0;
	for (size_t i = 0; i < wraps->n; i++) {
		const struct wrap *w = &wraps->v[i];
		size_t to = w->to;
		while (to > w->from && (text[to - 1] == '\n' || text[to - 1] == '\r'))
			to--;
		kb_buf_put(&out, text + at, w->from - at);
		kb_buf_puts(&out, "<pre>");
		for (size_t p = w->from; p < to; p++)
			kb_buf_putc(&out, p < to && text[p] == '<' && closes_pre(text, p, to) ? '[' : text[p]);
		kb_buf_puts(&out, "</pre>");
		at = to;
	}
	kb_buf_put(&out, text + at, *len - at);
	free(text);
	*len = out.len;
	return kb_buf_take(&out);
}

char *kb_guard_markdown(const char *relpath, char *text, size_t *len, struct kb_diags *diags)
{
	struct guard g = {.relpath = relpath, .text = text, .diags = diags};
	stretches(&g, 0, *len, 1, true, count);
	g.dense_note = g.all_marks > (NOTE_FACTOR * *len + NOTE_SLACK) / NODE_BYTES;
	stretches(&g, 0, *len, 1, true, region);
	if (g.wraps.n)
		g.text = wrap_all(g.text, len, &g.wraps);
	free(g.wraps.v);
	return g.text;
}
