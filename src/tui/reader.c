/* reader.c - the reader: an entry (or a linked file, or the help) rendered at the window's
 * width, scrolled like less, with links and code blocks to select, follow and copy, a history
 * of the pages followed, and find in the page. */
#include <curses.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb/edit.h"
#include "kb/note.h"
#include "tui_priv.h"
#include "kb/format.h"
#include "kb/width.h"

#define WHEEL_STEP 3
#define SIDE_STEP 8

/* What a page shows. An entry and a whole note come from the index alone, whatever the
 * format or source of the note: the reader never asks where they came from. */
enum page_kind { PAGE_ENTRY, PAGE_NOTE, PAGE_FILE, PAGE_HELP };

/* A page in the reader's history, and where the reader was on it. */
struct place {
	int kind;
	char *ref; /* entry id, note path or file path */
	int top, left, focus;
	char *at;  /* a whole note's first visit: the entry to open at (owned), or NULL */
};

/* Something Tab selects: a link or a code block, in the order of the page. */
struct item {
	int line;
	int link, code; /* one of them is -1 */
};

struct reader {
	struct kb_tui_view base;
	struct place *hist;
	size_t nhist, caphist, cur;
	struct kb_strv words;   /* the search's words, highlighted on the first page */
	/* the page shown */
	bool loaded;
	struct kb_entry entry;
	bool have_entry;
	char *markdown;         /* of a file, a whole note or the help (an entry's is entry.body) */
	struct kb_note note;    /* the note of the entry or the whole note shown (ids, title) */
	int in_note;            /* where the entry is in note.ids, or -1 */
	char *fail;             /* why the page could not be shown */
	struct kb_doc *doc;
	int top, left, focus, anchor_src;
	struct item *items;
	size_t nitems;
	bool to_match;          /* once laid out, scroll to the first word of the search */
	/* find in the page */
	struct kb_tui_prompt find;
	bool finding;
	int find_dir;           /* 1 after /, -1 after ?: the way n goes */
	char *pattern;
	struct kb_doc_pos *matches;
	size_t nmatches, match;
};

static int page_rows(void)
{
	return LINES - 2;
}

/* ---- loading and laying out ------------------------------------------------------------- */

static char *resolve(void *ctx, const char *target, enum kb_link_kind *kind)
{
	bool entry;
	char *r = kb_index_resolve(ctx, target, &entry);
	if (r)
		*kind = entry ? KB_LINK_ENTRY : KB_LINK_FILE;
	return r;
}

/* A linked file as markdown: one code block whose fence no line of the file can close. */
static char *fenced(const char *data, size_t len)
{
	struct kb_buf b = {0};
	size_t run = 0, longest = 0;
	for (size_t i = 0; i < len; i++) {
		run = data[i] == '`' ? run + 1 : 0;
		longest = run > longest ? run : longest;
	}
	for (size_t i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
		kb_buf_putc(&b, '`');
	size_t fence = b.len;
	kb_buf_putc(&b, '\n');
	kb_buf_put(&b, data, len);
	if (len && data[len - 1] != '\n')
		kb_buf_putc(&b, '\n');
	kb_buf_put(&b, b.s, fence);
	kb_buf_putc(&b, '\n');
	return kb_buf_take(&b);
}

static void unload(struct reader *r)
{
	if (r->have_entry)
		kb_entry_clear(&r->entry);
	r->have_entry = false;
	free(r->markdown);
	free(r->fail);
	kb_doc_free(r->doc);
	free(r->items);
	free(r->matches);
	kb_note_free(&r->note);
	r->in_note = -1;
	r->markdown = r->fail = NULL;
	r->doc = NULL;
	r->items = NULL;
	r->matches = NULL;
	r->nitems = r->nmatches = 0;
	r->match = SIZE_MAX;
	r->loaded = false;
}

/* An entry that is a heading alone (its subsections are entries of their own) shows its
 * section: the heading and everything under it, as kb show PATH#NAME prints it. */
static void whole_section(struct reader *r)
{
	const char *hash = strchr(r->entry.id, '#');
	size_t n = strcspn(r->entry.body, "\n");
	int first, last;
	char *anchor, *md;
	if (!hash || r->entry.body[0] != '#' || r->entry.body[n + strspn(r->entry.body + n, " \t\r\n")])
		return;
	if ((md = kb_note_section(&r->note, hash + 1, &first, &last, &anchor)) != NULL) {
		free(r->entry.body);
		r->entry.body = md;
		r->entry.body_len = strlen(md);
	}
	free(anchor);
}

static void load(struct kb_tui *t, struct reader *r)
{
	struct place *p = &r->hist[r->cur];
	struct kb_err err;
	char *data;
	size_t len;
	int rc;
	unload(r);
	r->loaded = true;
	r->top = p->top;
	r->left = p->left;
	r->focus = p->focus;
	r->anchor_src = -1;
	if (p->kind == PAGE_HELP) {
		struct kb_buf b = {0};
		kb_tui_keys_help(&b);
		r->markdown = kb_buf_take(&b);
	} else if (p->kind == PAGE_ENTRY) {
		rc = kb_index_get(t->ix, p->ref, &r->entry, &err);
		r->have_entry = rc == 1;
		if (rc == 1 && r->entry.format == KB_FORMAT_ROFF) { /* the whole page, at the option */
			int line = kb_tui_man_page(t, &r->entry, &err);
			if (line > 0 && p->top == 0)
				r->anchor_src = line;
			if (line < 0) {
				kb_entry_clear(&r->entry);
				r->have_entry = false;
				rc = -1;
			}
		}
		if (rc != 1)
			r->fail = rc == 0 ? kb_xasprintf("no entry %s in the index", p->ref) : kb_xstrdup(err.msg);
		else if (kb_note_load(t->ix, r->entry.path, &r->note, &err) == 1)
			r->in_note = kb_note_find(&r->note, p->ref), whole_section(r);
	} else if (p->kind == PAGE_NOTE) {
		if ((rc = kb_note_load(t->ix, p->ref, &r->note, &err)) != 1)
			r->fail = rc == 0 ? kb_xasprintf("no note %s in the index", p->ref) : kb_xstrdup(err.msg);
		else
			r->markdown = kb_xstrdup(r->note.markdown);
		if (rc == 1 && p->at && (r->in_note = kb_note_find(&r->note, p->at)) >= 0)
			r->anchor_src = r->note.lines[r->in_note]; /* layout scrolls there */
		free(p->at);
		p->at = NULL;
	} else if ((rc = kb_index_file(t->ix, p->ref, &data, &len, &err)) == 1) {
		r->markdown = fenced(data, len);
		free(data);
	} else {
		r->fail = rc == 0 ? kb_xasprintf("%s is not stored in the index", p->ref) : kb_xstrdup(err.msg);
	}
}

/* Links (not images) and code blocks, merged in the order of their lines. */
static void collect_items(struct reader *r)
{
	const struct kb_doc *d = r->doc;
	size_t li = 0, ci = 0;
	r->items = kb_xcalloc(d->nlinks + d->ncodes + 1, sizeof *r->items);
	r->nitems = 0;
	while (li < d->nlinks || ci < d->ncodes) {
		if (li < d->nlinks && d->links[li].image) {
			li++;
			continue;
		}
		if (ci >= d->ncodes || (li < d->nlinks && d->links[li].line <= d->codes[ci].first_line)) {
			r->items[r->nitems++] = (struct item){d->links[li].line, (int)li, -1};
			li++;
		} else {
			r->items[r->nitems++] = (struct item){d->codes[ci].first_line, -1, (int)ci};
			ci++;
		}
	}
	if (r->focus >= (int)r->nitems)
		r->focus = -1;
}

static void clamp_top(struct reader *r)
{
	int max = (int)r->doc->nlines - page_rows();
	if (r->top > max)
		r->top = max;
	if (r->top < 0)
		r->top = 0;
	if (r->left < 0)
		r->left = 0;
}

static void apply_find(struct reader *r);

/* An entry under no heading (a page's head, a note of one entry) is laid out under its title
 * as a heading, as kb show prints it, unless its own first line is a heading; the title's
 * lines come from no line of the entry (src_line 0), the entry's keep their numbers. */
static struct kb_doc *render_entry(const struct kb_entry *e, const struct kb_render_opts *o)
{
	struct kb_buf md = {0};
	struct kb_entry titled = *e;
	struct kb_doc *doc;
	if (e->format == KB_FORMAT_ROFF || e->section || !e->title || !*e->title || e->body[0] == '#')
		return kb_format_render(e, o);
	kb_buf_puts(&md, "# ");
	for (const char *c = e->title; *c; c++) { /* the title as text, not markdown */
		if ((unsigned char)*c < 0x80 && *c > ' ' && !kb_ascii_isalnum((unsigned char)*c))
			kb_buf_putc(&md, '\\');
		kb_buf_putc(&md, *c);
	}
	kb_buf_puts(&md, "\n\n");
	kb_buf_put(&md, e->body, e->body_len);
	titled.body = md.s;
	titled.body_len = md.len;
	doc = kb_format_render(&titled, o);
	for (size_t i = 0; i < doc->nlines; i++)
		doc->lines[i].src_line = doc->lines[i].src_line > 2 ? doc->lines[i].src_line - 2 : 0;
	kb_buf_free(&md);
	return doc;
}

/* Renders the page for the window's width when it is not laid out for it yet. */
static void layout(struct kb_tui *t, struct reader *r)
{
	const char **hl = NULL;
	const char *md = r->have_entry ? r->entry.body : r->markdown;
	/* Without colours, code spans keep their backquotes (marks); the help needs none. */
	struct kb_render_opts o = {.width = COLS, .ascii = t->ascii,
	                           .marks = !t->color && r->hist[r->cur].kind != PAGE_HELP,
	                           .base = r->have_entry ? r->entry.path : r->note.path,
	                           .resolve = resolve, .resolve_ctx = t->ix};
	if (r->doc && r->doc->width == COLS)
		return;
	if (r->doc && r->top < (int)r->doc->nlines) /* keep the same text at the top */
		r->anchor_src = r->doc->lines[r->top].src_line;
	if (r->cur == 0 && r->words.n) {
		hl = kb_xcalloc(r->words.n + 1, sizeof *hl);
		for (size_t i = 0; i < r->words.n; i++)
			hl[i] = r->words.v[i];
		o.highlight = hl;
	}
	kb_doc_free(r->doc);
	free(r->items);
	if (r->have_entry) {
		r->doc = render_entry(&r->entry, &o);
	} else if (r->hist[r->cur].kind == PAGE_NOTE) { /* rendered as its entries' format renders */
		struct kb_entry whole = {.path = r->note.path, .id = r->note.path, .body = r->markdown,
		                         .format = r->note.format};
		r->doc = kb_format_render(&whole, &o);
	} else {
		r->doc = kb_render(md ? md : "", md ? strlen(md) : 0, &o);
	}
	free(hl);
	collect_items(r);
	if (r->anchor_src > 0) {
		for (size_t i = 0; i < r->doc->nlines; i++)
			if (r->doc->lines[i].src_line >= r->anchor_src) {
				r->top = (int)i;
				break;
			}
	}
	if (r->pattern)
		apply_find(r);
	clamp_top(r);
}

/* ---- moving ---------------------------------------------------------------------------- */

static void scroll_to(struct reader *r, int line)
{
	int h = page_rows();
	if (line < r->top || line >= r->top + h) {
		r->top = line - h / 3;
		clamp_top(r);
	}
}

/* Loads and lays out the page if it is not yet. */
static void ready(struct kb_tui *t, struct reader *r)
{
	if (!r->loaded)
		load(t, r);
	if (r->fail)
		return;
	layout(t, r);
	if (r->to_match) { /* the first word of the search, when it is below the window */
		struct kb_doc_pos *runs;
		size_t n = kb_doc_runs(r->doc, KB_ATTR_MATCH, &runs);
		r->to_match = false;
		if (n && runs[0].line >= page_rows())
			scroll_to(r, runs[0].line);
		free(runs);
	}
}

static int widest_code(const struct reader *r)
{
	int w = 0;
	for (size_t i = 0; i < r->doc->nlines; i++)
		if (r->doc->lines[i].code >= 0 && r->doc->lines[i].width > w)
			w = r->doc->lines[i].width;
	return w;
}

static bool scroll_page(struct reader *r, int act)
{
	int h = page_rows(), half = h / 2 > 0 ? h / 2 : 1;
	switch (act) {
	case KB_TUI_A_DOWN: r->top++; break;
	case KB_TUI_A_UP: r->top--; break;
	case KB_TUI_A_HALF_DOWN: r->top += half; break;
	case KB_TUI_A_HALF_UP: r->top -= half; break;
	case KB_TUI_A_PAGE_DOWN: r->top += h; break;
	case KB_TUI_A_PAGE_UP: r->top -= h; break;
	case KB_TUI_A_WHEEL_DOWN: r->top += WHEEL_STEP; break;
	case KB_TUI_A_WHEEL_UP: r->top -= WHEEL_STEP; break;
	case KB_TUI_A_TOP: r->top = 0; break;
	case KB_TUI_A_BOTTOM: r->top = (int)r->doc->nlines; break;
	case KB_TUI_A_LEFT: r->left -= SIDE_STEP; break;
	case KB_TUI_A_RIGHT:
		if (r->left + COLS < widest_code(r))
			r->left += SIDE_STEP;
		break;
	default: return false;
	}
	clamp_top(r);
	return true;
}

/* ---- find -------------------------------------------------------------------------------- */

static void show_match(struct kb_tui *t, struct reader *r, const char *note)
{
	const struct kb_doc_pos *m = &r->matches[r->match];
	scroll_to(r, m->line);
	if (r->doc->lines[m->line].code >= 0 && (m->col < r->left || m->col + m->width > r->left + COLS - 1))
		r->left = m->col > SIDE_STEP ? m->col - SIDE_STEP : 0;
	kb_tui_msg(t, false, "%c%s: match %zu of %zu%s", r->find_dir < 0 ? '?' : '/', r->pattern,
	           r->match + 1, r->nmatches, note);
}

static void apply_find(struct reader *r)
{
	free(r->matches);
	r->matches = NULL;
	kb_doc_mark(r->doc, r->pattern, KB_ATTR_FIND);
	r->nmatches = kb_doc_find(r->doc, r->pattern, &r->matches);
	if (r->match != SIZE_MAX && r->match >= r->nmatches)
		r->match = r->nmatches ? 0 : SIZE_MAX;
}

static void find_start(struct kb_tui *t, struct reader *r)
{
	const char *text = kb_buf_str(&r->find.text);
	r->finding = false;
	if (*text) {
		free(r->pattern);
		r->pattern = kb_xstrdup(text);
	}
	if (!r->pattern)
		return;
	apply_find(r);
	if (!r->nmatches) {
		r->match = SIZE_MAX;
		kb_tui_msg(t, true, "not found: %s", r->pattern);
		return;
	}
	if (r->find_dir < 0) { /* as less: the last match above the window, else the last */
		for (r->match = r->nmatches; r->match > 0 && r->matches[r->match - 1].line >= r->top; r->match--)
			;
		r->match = r->match ? r->match - 1 : r->nmatches - 1;
	} else {
		for (r->match = 0; r->match < r->nmatches && r->matches[r->match].line < r->top; r->match++)
			;
		if (r->match == r->nmatches)
			r->match = 0;
	}
	show_match(t, r, "");
}

static void find_step(struct kb_tui *t, struct reader *r, int dir)
{
	const char *note = "";
	if (!r->pattern || !r->nmatches) {
		if (r->pattern)
			kb_tui_msg(t, true, "not found: %s", r->pattern);
		else
			kb_tui_msg(t, false, "nothing to find again: / finds");
		return;
	}
	if (r->match == SIZE_MAX)
		r->match = 0;
	else if (dir > 0 && ++r->match == r->nmatches) {
		r->match = 0;
		note = " (from the top again)";
	} else if (dir < 0 && r->match-- == 0) {
		r->match = r->nmatches - 1;
		note = " (from the bottom again)";
	}
	show_match(t, r, note);
}

/* ---- links and code blocks ------------------------------------------------------------------ */

static bool item_visible(const struct reader *r, int i)
{
	const struct item *it = &r->items[i];
	int first = it->line, last = it->line, h = page_rows();
	if (it->code >= 0)
		last = first + r->doc->codes[it->code].nlines - 1;
	return last >= r->top && first < r->top + h;
}

static void describe(struct kb_tui *t, const struct reader *r, const struct item *it)
{
	const struct kb_link *l;
	if (it->code >= 0) {
		const struct kb_code *c = &r->doc->codes[it->code];
		kb_tui_msg(t, false, "code block %d of %zu%s%s%s: y copies it", it->code + 1, r->doc->ncodes,
		           c->info ? " (" : "", c->info ? c->info : "", c->info ? ")" : "");
		return;
	}
	l = &r->doc->links[it->link];
	switch (l->kind) {
	case KB_LINK_ENTRY: kb_tui_msg(t, false, "entry %s: Enter reads it", l->resolved); break;
	case KB_LINK_FILE: kb_tui_msg(t, false, "file %s: Enter shows it", l->resolved); break;
	case KB_LINK_URL: kb_tui_msg(t, false, "%s: kb opens no browser; y copies the address", l->resolved); break;
	case KB_LINK_ANCHOR: kb_tui_msg(t, false, "#%s in this note: Enter goes there", l->resolved); break;
	default: kb_tui_msg(t, true, "missing: %s is not in the notes", l->target); break;
	}
}

static void focus_step(struct kb_tui *t, struct reader *r, int dir)
{
	long i, n = (long)r->nitems;
	if (!n) {
		kb_tui_msg(t, false, "no links or code blocks here");
		return;
	}
	if (r->focus >= 0 && item_visible(r, r->focus)) {
		i = r->focus + dir;
	} else if (dir > 0) {
		for (i = 0; i < n && r->items[i].line < r->top; i++)
			;
	} else {
		for (i = n - 1; i >= 0 && r->items[i].line >= r->top + page_rows(); i--)
			;
	}
	r->focus = (int)(i >= n ? 0 : i < 0 ? n - 1 : i);
	scroll_to(r, r->items[r->focus].line);
	describe(t, r, &r->items[r->focus]);
}

/* Lower-case ASCII letters, digits, non-ASCII, '-' and '_' of s, spaces as '-'. */
static void slug(struct kb_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 || kb_ascii_isalnum(c) || c == '-' || c == '_')
			kb_buf_putc(out, (char)kb_ascii_tolower(c));
		else if (c == ' ' && out->len)
			kb_buf_putc(out, '-');
	}
}

/* The display line of the heading whose anchor is frag (its author-given id, else the
 * anchor of its text), or -1. */
static int heading_line(const struct reader *r, const char *frag)
{
	for (size_t i = 0; i < r->doc->nanchors; i++)
		if (strcmp(r->doc->anchors[i].id, frag) == 0)
			return r->doc->anchors[i].line;
	for (size_t i = 0; i < r->doc->nlines; i++) {
		const struct kb_line *l = &r->doc->lines[i];
		struct kb_buf b = {0};
		bool same;
		const struct kb_span *sp = l->nspans ? &r->doc->spans[l->span] : NULL;
		if (!sp || sp[0].style < KB_STYLE_H1 || sp[0].style > KB_STYLE_H4)
			continue;
		for (size_t j = 0; j < l->nspans; j++)
			slug(&b, kb_span_text(r->doc, &sp[j]), sp[j].len);
		same = strcmp(kb_buf_str(&b), frag) == 0;
		kb_buf_free(&b);
		if (same)
			return (int)i;
	}
	return -1;
}

static void save_place(struct reader *r)
{
	struct place *p = &r->hist[r->cur];
	p->top = r->top;
	p->left = r->left;
	p->focus = r->focus;
}

static void go(struct kb_tui *t, struct reader *r, int kind, const char *ref)
{
	save_place(r);
	for (size_t i = r->cur + 1; i < r->nhist; i++)
		free(r->hist[i].ref), free(r->hist[i].at);
	r->nhist = r->cur + 1;
	kb_xgrow(&r->hist, &r->caphist, r->nhist + 1, sizeof *r->hist);
	r->hist[r->nhist++] = (struct place){kind, kb_xstrdup(ref), 0, 0, -1, NULL};
	r->cur++;
	load(t, r);
}

/* ---- the note around the entry -------------------------------------------------------------- */

/* The previous or next entry of the note (dir -1 or 1): in place of this entry (q does not
 * walk back through them), or, on the whole note, the window moves to its start. */
static void note_step(struct kb_tui *t, struct reader *r, int dir)
{
	struct place *p = &r->hist[r->cur];
	int i, n = (int)r->note.ids.n;
	if (p->kind == PAGE_NOTE) { /* the entry the top line is in, then the one before or after */
		int src = r->top < (int)r->doc->nlines ? r->doc->lines[r->top].src_line : 0;
		for (i = 0; i + 1 < n && r->note.lines[i + 1] <= src; i++)
			;
		if (dir < 0 && i > 0 && r->note.lines[i] < src)
			i++; /* [ first goes to the start of the entry the window is in */
	} else if (p->kind != PAGE_ENTRY || r->in_note < 0 || n < 2) {
		kb_tui_msg(t, false, "no other entries in this page's note");
		return;
	} else {
		i = r->in_note;
	}
	if (i + dir < 0 || i + dir >= n) {
		kb_tui_msg(t, false, dir < 0 ? "the first entry of the note" : "the last entry of the note");
		return;
	}
	i += dir;
	if (p->kind == PAGE_NOTE) {
		for (size_t l = 0; l < r->doc->nlines; l++)
			if (r->doc->lines[l].src_line >= r->note.lines[i]) {
				r->top = (int)l;
				break;
			}
		clamp_top(r);
		return;
	}
	free(p->ref);
	p->ref = kb_xstrdup(r->note.ids.v[i]);
	p->top = p->left = 0;
	p->focus = -1;
	load(t, r);
}

/* The whole note, scrolled to this entry (q comes back); from the whole note, the entry at
 * the top of the window. */
static void whole_note(struct kb_tui *t, struct reader *r)
{
	struct place *p = &r->hist[r->cur];
	if (p->kind == PAGE_NOTE) {
		int src = r->top < (int)r->doc->nlines ? r->doc->lines[r->top].src_line : 0, i;
		for (i = 0; i + 1 < (int)r->note.ids.n && r->note.lines[i + 1] <= src; i++)
			;
		if (r->note.ids.n)
			go(t, r, PAGE_ENTRY, r->note.ids.v[i]);
		return;
	}
	if (p->kind != PAGE_ENTRY || !r->have_entry) {
		kb_tui_msg(t, false, "this page is not part of a note");
		return;
	}
	char *path = kb_xstrdup(r->entry.path), *at = kb_xstrdup(p->ref);
	go(t, r, PAGE_NOTE, path);
	r->hist[r->cur].at = at;
	load(t, r); /* again, now that it knows where to open */
	free(path);
}

/* e: the entry's note in the user's editor at the entry's line, then the index rebuilt and
 * the entry read again; where the notes are not (an index carried alone), why not. */
static void edit(struct kb_tui *t, struct reader *r)
{
	struct kb_err err;
	struct kb_diags diags = {0};
	char *notes, *path, *db;
	int st;
	if (!r->have_entry) {
		kb_tui_msg(t, false, "e edits the note of an entry: this page is not one");
		return;
	}
	if (!(path = kb_edit_path(t->ix, &r->entry, &notes, &err))) {
		kb_tui_msg(t, true, "cannot edit: %s", err.msg);
		return;
	}
	db = kb_xstrdup(kb_index_path(t->ix));
	kb_tui_term_suspend(t);
	st = kb_edit_run(path, r->entry.line, &err);
	kb_tui_term_resume(t);
	if (st != 0)
		kb_tui_msg(t, true, st < 0 ? "%s" : "the editor exited with %s: nothing rebuilt",
		           st < 0 ? err.msg : "an error");
	else if (kb_edit_rebuild(notes, db, &diags, &err) != 0 || kb_tui_reopen(t, &err) != 0)
		kb_tui_msg(t, true, "%s", err.msg);
	else {
		size_t errors = kb_diags_count(&diags, KB_DIAG_ERROR) + kb_diags_count(&diags, KB_DIAG_WARNING);
		save_place(r);
		load(t, r);
		kb_tui_msg(t, errors > 0, errors ? "%s rebuilt, with %zu problems (kb check says which)"
		                                 : "%s rebuilt", r->have_entry ? r->entry.path : "the index", errors);
	}
	kb_diags_free(&diags);
	free(path);
	free(notes);
	free(db);
}

/* Whether s[0..len) holds what kb never writes raw to a terminal (kb_width_cp: C0 controls
 * but tab and newline, DEL, C1 and bidi controls, malformed bytes). */
static bool has_controls(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int n = kb_utf8_decode(s + i, len - i, &cp);
		if (cp != '\t' && cp != '\n' && kb_width_cp(cp) < 0)
			return true;
		i += (size_t)n;
	}
	return false;
}

static void copy_text(struct kb_tui *t, const char *what, const char *s)
{
	struct kb_err err;
	size_t len = strlen(s);
	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r')) /* no Enter pressed by a paste */
		len--;
	/* The clipboard gets pasted into a shell: an ESC there (ESC [ 201 ~ ends a bracketed
	 * paste, so the lines after it run as typed) or any other control character is refused,
	 * never copied raw. */
	if (has_controls(s, len))
		kb_tui_msg(t, true, "not copied: %s holds control characters (shown as ^[, <U+202E> and the like)",
		           what);
	else if (kb_tui_term_copy(t, s, len, &err) != 0)
		kb_tui_msg(t, true, "%s", err.msg);
	else
		kb_tui_msg(t, false, "copied %s (%zu bytes) with OSC 52", what, len);
}

static void copy_code(struct kb_tui *t, struct reader *r, int code)
{
	char what[64];
	snprintf(what, sizeof what, "code block %d of %zu", code + 1, r->doc->ncodes);
	copy_text(t, what, r->doc->codes[code].text);
}

static bool history_act(struct kb_tui *t, struct reader *r, int act);

/* Brings the heading whose anchor is frag to the top: in the page, else the entry of this
 * note with that id, else on the whole note (a heading inside an entry: an H4, say).
 * Returns false, with a message, when the note has no such heading. */
static bool land(struct kb_tui *t, struct reader *r, const char *frag)
{
	char *id, *path;
	int line, i;
	ready(t, r);
	if (r->fail || !r->doc)
		return false;
	if ((line = heading_line(r, frag)) >= 0) {
		r->top = line;
		clamp_top(r);
		return true;
	}
	if (!r->note.path) {
		kb_tui_msg(t, true, "#%s: no such heading here", frag);
		return false;
	}
	id = kb_xjoin(r->note.path, "#", frag);
	path = kb_xstrdup(r->note.path);
	if ((i = kb_note_find(&r->note, id)) >= 0 && r->hist[r->cur].kind == PAGE_ENTRY) {
		go(t, r, PAGE_ENTRY, id);
	} else if (r->hist[r->cur].kind == PAGE_ENTRY) {
		go(t, r, PAGE_NOTE, path);
		ready(t, r);
		if (r->doc && (line = heading_line(r, frag)) >= 0) {
			r->top = line;
			clamp_top(r);
		} else {
			history_act(t, r, KB_TUI_A_BACK);
			kb_tui_msg(t, true, "#%s: no such heading in %s", frag, path);
			i = -2;
		}
	} else {
		kb_tui_msg(t, true, "#%s: no such heading in %s", frag, path);
		i = -2;
	}
	free(id);
	free(path);
	return i != -2;
}

static void follow(struct kb_tui *t, struct reader *r)
{
	const struct kb_link *l;
	if (r->focus < 0 || !item_visible(r, r->focus)) {
		kb_tui_msg(t, false, "no link selected: Tab selects one");
		return;
	}
	if (r->items[r->focus].code >= 0) {
		copy_code(t, r, r->items[r->focus].code);
		return;
	}
	l = &r->doc->links[r->items[r->focus].link];
	if (l->kind == KB_LINK_ENTRY || l->kind == KB_LINK_FILE) {
		/* another note's heading: the entry the index knows, then the heading in it */
		const char *hash = l->kind == KB_LINK_ENTRY ? strchr(l->target, '#') : NULL;
		char *ref = kb_xstrdup(l->resolved), *frag = hash && hash[1] ? kb_xstrdup(hash + 1) : NULL;
		go(t, r, l->kind == KB_LINK_ENTRY ? PAGE_ENTRY : PAGE_FILE, ref);
		if (frag && (!strchr(ref, '#') || strcmp(strchr(ref, '#') + 1, frag) != 0))
			land(t, r, frag); /* not the entry's own id: a heading inside the note */
		free(ref);
		free(frag);
	} else if (l->kind == KB_LINK_ANCHOR) {
		land(t, r, l->resolved);
	} else {
		describe(t, r, &r->items[r->focus]);
	}
}

static void copy(struct kb_tui *t, struct reader *r)
{
	int code = -1;
	if (r->focus >= 0 && item_visible(r, r->focus)) {
		const struct item *it = &r->items[r->focus];
		if (it->link >= 0 && r->doc->links[it->link].kind == KB_LINK_URL) {
			copy_text(t, "the address", r->doc->links[it->link].resolved);
			return;
		}
		code = it->code;
	}
	for (size_t i = 0; code < 0 && i < r->nitems; i++)
		if (r->items[i].code >= 0 && item_visible(r, (int)i))
			code = r->items[i].code;
	if (code < 0 && r->doc->ncodes)
		code = 0;
	if (code < 0)
		kb_tui_msg(t, false, "no code block in this page");
	else
		copy_code(t, r, code);
}

/* ---- the view ---------------------------------------------------------------------------- */

static unsigned reader_context(const struct kb_tui_view *v)
{
	const struct reader *r = (const struct reader *)v;
	return r->finding ? KB_TUI_CTX_PROMPT : KB_TUI_CTX_READER;
}

/* "Top", "Bot", "All" or how far down the page the window ends, as less says it. */
static void where(const struct reader *r, char *out, size_t n)
{
	int h = page_rows(), lines = (int)r->doc->nlines;
	if (lines <= h)
		snprintf(out, n, "All");
	else if (r->top == 0)
		snprintf(out, n, "Top");
	else if (r->top + h >= lines)
		snprintf(out, n, "Bot");
	else
		snprintf(out, n, "%d%%", (r->top + h) * 100 / lines);
}

static void draw_status(struct kb_tui *t, struct reader *r)
{
	const struct place *p = &r->hist[r->cur];
	char pos[16], *s;
	if (r->finding) {
		kb_tui_prompt_draw(&r->find, LINES - 1, COLS, r->find_dir < 0 ? "?" : "/");
		return;
	}
	where(r, pos, sizeof pos);
	if (p->kind == PAGE_HELP) {
		s = kb_xstrdup("Help: the keys of kb   q: back");
	} else if (p->kind == PAGE_NOTE) {
		s = kb_xasprintf("%s  (the whole note: %zu entries)  %s", r->note.title ? r->note.title : p->ref,
		                 r->note.ids.n, p->ref);
	} else if (p->kind == PAGE_FILE) {
		s = kb_xasprintf("%s  (a file of the notes)", p->ref);
	} else if (r->have_entry) {
		/* "id  [components]  path:line": when narrow, the last fields go first */
		const struct kb_entry *e = &r->entry;
		char *comps = kb_strv_join(&e->components, ", ");
		struct kb_buf b = {0};
		bool one = strcmp(e->id, e->path) == 0; /* a note that is one entry */
		if (r->in_note >= 0 && r->note.ids.n > 1) /* where it is in its note, first */
			kb_buf_printf(&b, "%d/%zu in %s  ", r->in_note + 1, r->note.ids.n,
			              r->note.title ? r->note.title : e->path);
		if (one)
			kb_buf_printf(&b, "%s:%d", e->path, e->line);
		else
			kb_buf_puts(&b, e->id);
		if (*comps)
			kb_buf_printf(&b, "  [%s]", comps);
		if (!one)
			kb_buf_printf(&b, "  %s:%d", e->path, e->line);
		s = kb_buf_take(&b);
		free(comps);
	} else {
		s = kb_xstrdup(p->ref);
	}
	kb_tui_draw_status(t, s, pos);
	free(s);
}

static void reader_draw(struct kb_tui *t, struct kb_tui_view *v, int top, int bottom)
{
	struct reader *r = (struct reader *)v;
	struct kb_tui_overlay ov = {-1, -1, -1, 0, 0};
	ready(t, r);
	if (r->fail) {
		kb_tui_put(top, 0, COLS, r->fail, strlen(r->fail), KB_TUI_UI_ERROR, KB_TUI_F_CUT);
		kb_tui_draw_status(t, "q: back", NULL);
		return;
	}
	if (r->focus >= 0) {
		ov.focus_link = r->items[r->focus].link;
		ov.focus_code = r->items[r->focus].code;
	}
	if (r->match != SIZE_MAX && r->match < r->nmatches)
		ov = (struct kb_tui_overlay){ov.focus_link, ov.focus_code, r->matches[r->match].line,
		                             r->matches[r->match].col, r->matches[r->match].width};
	for (int y = top; y < bottom && r->top + (y - top) < (int)r->doc->nlines; y++)
		kb_tui_draw_line(y, COLS, r->doc, r->top + (y - top), r->left, &ov);
	draw_status(t, r);
}

static bool finding_act(struct kb_tui *t, struct reader *r, int act, const struct kb_tui_event *ev)
{
	if (kb_tui_prompt_takes(act)) {
		kb_tui_prompt_act(&r->find, act, ev, NULL);
		return true;
	}
	if (act == KB_TUI_A_ACCEPT) {
		find_start(t, r);
		return true;
	}
	if (act == KB_TUI_A_CANCEL) {
		r->finding = false;
		return true;
	}
	return act != KB_TUI_A_QUIT && act != KB_TUI_A_NEXT_SCREEN && act != KB_TUI_A_PREV_SCREEN &&
	       act != KB_TUI_A_HELP && act != KB_TUI_A_REDRAW;
}

static bool history_act(struct kb_tui *t, struct reader *r, int act)
{
	if (act == KB_TUI_A_BACK) {
		if (r->cur == 0)
			return false;
		save_place(r);
		r->cur--;
		load(t, r);
		return true;
	}
	if (r->cur + 1 >= r->nhist) {
		kb_tui_msg(t, false, "nothing to go forward to");
		return true;
	}
	save_place(r);
	r->cur++;
	load(t, r);
	return true;
}

static bool reader_act(struct kb_tui *t, struct kb_tui_view *v, int act, const struct kb_tui_event *ev)
{
	struct reader *r = (struct reader *)v;
	if (r->finding)
		return finding_act(t, r, act, ev);
	if (act == KB_TUI_A_BACK || act == KB_TUI_A_FORWARD)
		return history_act(t, r, act);
	ready(t, r); /* keys may come before the first draw */
	if (!r->doc)
		return false;
	if (scroll_page(r, act))
		return true;
	switch (act) {
	case KB_TUI_A_FIND: case KB_TUI_A_FIND_BACK:
		r->finding = true;
		r->find_dir = act == KB_TUI_A_FIND_BACK ? -1 : 1;
		kb_tui_prompt_set(&r->find, "");
		return true;
	case KB_TUI_A_FIND_NEXT: find_step(t, r, r->find_dir); return true;
	case KB_TUI_A_FIND_PREV: find_step(t, r, -r->find_dir); return true;
	case KB_TUI_A_LINK_NEXT: focus_step(t, r, 1); return true;
	case KB_TUI_A_LINK_PREV: focus_step(t, r, -1); return true;
	case KB_TUI_A_FOLLOW: follow(t, r); return true;
	case KB_TUI_A_ENTRY_PREV: note_step(t, r, -1); return true;
	case KB_TUI_A_ENTRY_NEXT: note_step(t, r, 1); return true;
	case KB_TUI_A_WHOLE_NOTE: whole_note(t, r); return true;
	case KB_TUI_A_EDIT: edit(t, r); return true;
	case KB_TUI_A_COPY: copy(t, r); return true;
	default: return false;
	}
}

static void reader_free(struct kb_tui_view *v)
{
	struct reader *r = (struct reader *)v;
	unload(r);
	for (size_t i = 0; i < r->nhist; i++)
		free(r->hist[i].ref), free(r->hist[i].at);
	free(r->hist);
	kb_strv_free(&r->words);
	kb_tui_prompt_free(&r->find);
	free(r->pattern);
	free(r);
}

static const struct kb_tui_view_ops reader_ops = {
	KB_TUI_VIEW_READER, reader_context, reader_draw, reader_act, reader_free};
static const struct kb_tui_view_ops help_ops = {
	KB_TUI_VIEW_HELP, reader_context, reader_draw, reader_act, reader_free};

static struct reader *reader_new(const struct kb_tui_view_ops *ops, int kind, const char *ref)
{
	struct reader *r = kb_xcalloc(1, sizeof *r);
	r->base.ops = ops;
	r->match = SIZE_MAX;
	r->focus = -1;
	r->in_note = -1;
	r->find_dir = 1;
	r->find.hist = SIZE_MAX;
	kb_xgrow(&r->hist, &r->caphist, 1, sizeof *r->hist);
	r->hist[r->nhist++] = (struct place){kind, ref ? kb_xstrdup(ref) : NULL, 0, 0, -1, NULL};
	return r;
}

struct kb_tui_view *kb_tui_reader_entry(const char *id, const struct kb_strv *words)
{
	struct reader *r = reader_new(&reader_ops, PAGE_ENTRY, id);
	for (size_t i = 0; words && i < words->n; i++)
		kb_strv_push(&r->words, words->v[i]);
	r->to_match = r->words.n > 0;
	return &r->base;
}

struct kb_tui_view *kb_tui_reader_help(void)
{
	return &reader_new(&help_ops, PAGE_HELP, NULL)->base;
}
