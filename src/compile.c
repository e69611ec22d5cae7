/* compile.c - one markdown note to entries: checks the bytes, reads front matter, parses with
 * cmark, cuts the note into entries and gives each an id, a title, components and symptoms.
 *
 * How a note is cut (kb.5 says the same for authors):
 *  - H2 and H3 headings (and H1 when a note has more than one) start sections; a lone H1
 *    at the top is the note's title. H4 and deeper stay inside their section.
 *  - A section whose whole body is one list of problems gives one entry per item: an
 *    ordered list of two or more items, or a bullet list whose items each hold more than
 *    one block. The seed's "### title" followed by items 1 to 11 is this case.
 *  - Any other section is one entry; text before the first section is one entry too.
 *  - Front matter `split: none | sections | items | auto` overrides: one entry, no item
 *    entries, any sole list split into items, or the rule above.
 * Ids are "path.md#N" for items (N the item's number; "#section-N" when a note has several
 * such lists), "path.md#slug" for sections (GitHub-style slugs, -1, -2 on repeats) and
 * "path.md" for a note that is one entry or for the text before its first section. */
#include <cmark.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compile_priv.h"
#include "kb/normalize.h"
#include "kb/width.h"

#define TITLE_COLUMNS 80
#define SHORT_TITLE_COLUMNS 30
#define SLUG_BYTES 80

/* One planned entry: a run of top-level blocks, or one list item. */
struct plan {
	cmark_node *first, *last; /* top-level blocks first..last, or the item in first */
	bool item;
	int number;               /* item number */
	const char *section;      /* heading text the entry sits under (borrowed), or NULL */
	const char *heading;      /* the section's own heading text (borrowed), or NULL */
};

struct note {
	const char *relpath;
	const char *text; /* the note with BOM dropped and front matter blanked */
	size_t len;
	uint32_t *lines;  /* byte offset of each line start; lines[nlines] == len (a note is far
	                   * below 4 GiB: KB_COMPILE_MAX_BYTES; 32 bits halve it for a note of
	                   * millions of short lines) */
	int nlines;
	bool *hidden;     /* lines of HTML comment blocks, left out of entries (1-based) */
	struct kb_front_matter fm;
	const struct kb_components *comps;
	struct kb_diags *diags;
	struct plan *plans;
	size_t nplans, capplans;
	int item_lists;
	struct kb_strmap anchors;
	const char *file_title;  /* front matter title or lone H1 (owned by fm or headings), or NULL */
	struct kb_strv headings; /* owned heading texts the plans borrow */
};

/* ---- checking the bytes -------------------------------------------------------------- */

static void index_lines(struct note *nt)
{
	size_t cap = 0;
	nt->nlines = 0;
	kb_xgrow(&nt->lines, &cap, 2, sizeof *nt->lines);
	nt->lines[0] = 0;
	if (!memchr(nt->text, '\r', nt->len)) { /* most notes: lines end at \n alone */
		const char *p = nt->text, *end = nt->text + nt->len, *q;
		while ((q = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			kb_xgrow(&nt->lines, &cap, (size_t)nt->nlines + 3, sizeof *nt->lines);
			nt->lines[++nt->nlines] = (uint32_t)(q - nt->text) + 1;
			p = q + 1;
		}
	} else {
		for (size_t i = 0; i < nt->len; i++) {
			bool eol = nt->text[i] == '\n' || (nt->text[i] == '\r' && (i + 1 == nt->len || nt->text[i + 1] != '\n'));
			if (eol) {
				kb_xgrow(&nt->lines, &cap, (size_t)nt->nlines + 3, sizeof *nt->lines);
				nt->lines[++nt->nlines] = (uint32_t)(i + 1);
			}
		}
	}
	if (nt->lines[nt->nlines] != nt->len)
		nt->lines[++nt->nlines] = (uint32_t)nt->len;
}

static void line_col(const struct note *nt, size_t off, int *line, int *col)
{
	int lo = 0, hi = nt->nlines;
	while (lo + 1 < hi) {
		int mid = (lo + hi) / 2;
		if (nt->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = lo + 1;
	*col = (int)(off - nt->lines[lo]) + 1;
}

/* Returns false (with an error diagnostic) when the bytes are not a text note. */
static bool check_bytes(struct note *nt, const char *data, size_t len)
{
	const char *nul = memchr(data, '\0', len);
	size_t bad = kb_utf8_check(data, len);
	int line, col;
	bool blank = true;
	if (nul || bad < len) {
		nt->text = data, nt->len = len;
		index_lines(nt);
		line_col(nt, nul ? (size_t)(nul - data) : bad, &line, &col);
		if (nul)
			kb_diag_add(nt->diags, KB_D_BINARY, nt->relpath, line, col);
		else
			kb_diag_addf(nt->diags, KB_D_NOT_UTF8, nt->relpath, line, col, "byte 0x%02X",
			             (unsigned char)data[bad]);
		return false;
	}
	for (size_t i = 0; i < len && blank; i++)
		blank = strchr(" \t\r\n\f\v", data[i]) != NULL;
	if (blank) {
		kb_diag_add(nt->diags, KB_D_EMPTY, nt->relpath, 0, 0);
		return false;
	}
	return true;
}

/* Whether any of the eight bytes at s is below 0x20 or DEL (a byte below n: x - n borrows
 * into its top bit, which ~x keeps only for bytes below 0x80). */
static bool any_control(const char *s)
{
	const uint64_t ones = 0x0101010101010101ull, tops = 0x8080808080808080ull;
	uint64_t x, del;
	memcpy(&x, s, 8);
	del = x ^ (0x7F * ones);
	return (((x - 0x20 * ones) & ~x) | ((del - ones) & ~del)) & tops;
}

static void warn_controls(struct note *nt)
{
	for (size_t i = 0; i < nt->len; i++) {
		unsigned char c = (unsigned char)nt->text[i];
		if (i % 8 == 0 && i + 8 <= nt->len && !any_control(nt->text + i)) {
			i += 7; /* eight bytes at once */
			continue;
		}
		/* below 0x20 all but \t \n \f \r (bits 9, 10, 12, 13), and DEL */
		if (c < 0x20 ? (0xFFFFC9FFu >> c & 1) : c == 0x7f) {
			int line, col;
			line_col(nt, i, &line, &col);
			kb_diag_addf(nt->diags, KB_D_CONTROL, nt->relpath, line, col, "0x%02X", c);
			return;
		}
	}
}

/* ---- slicing the source -------------------------------------------------------------- */

static const char *line_ptr(const struct note *nt, int line, size_t *n)
{
	size_t a, b;
	if (line < 1 || line > nt->nlines || (nt->hidden && nt->hidden[line])) {
		*n = 0;
		return "";
	}
	a = nt->lines[line - 1];
	b = nt->lines[line];
	while (b > a && (nt->text[b - 1] == '\n' || nt->text[b - 1] == '\r'))
		b--;
	*n = b - a;
	return nt->text + a;
}

static void trim_blank_lines(struct kb_buf *b)
{
	size_t start = 0;
	while (b->len && (b->s[b->len - 1] == '\n' || b->s[b->len - 1] == ' ' || b->s[b->len - 1] == '\t'))
		b->s[--b->len] = '\0';
	for (size_t i = 0; i < b->len; i++) {
		if (b->s[i] == '\n')
			start = i + 1;
		else if (b->s[i] != ' ' && b->s[i] != '\t')
			break;
	}
	if (start) {
		memmove(b->s, b->s + start, b->len - start + 1);
		b->len -= start;
	}
}

/* Lines first..last verbatim. With strip > 0 (a list item), the first line loses its first
 * `strip` bytes (the marker) and the others up to `strip` columns of indentation. */
static char *slice(const struct note *nt, int first, int last, size_t strip)
{
	struct kb_buf b = {0};
	for (int l = first; l <= last; l++) {
		size_t n, skip = 0;
		const char *p = line_ptr(nt, l, &n);
		if (strip && l == first) {
			skip = strip < n ? strip : n;
		} else if (strip) {
			size_t cols = 0;
			while (skip < n && cols < strip && (p[skip] == ' ' || p[skip] == '\t')) {
				size_t w = p[skip] == '\t' ? 4 - cols % 4 : 1;
				if (cols + w > strip)
					break;
				cols += w;
				skip++;
			}
		}
		kb_buf_put(&b, p + skip, n - skip);
		kb_buf_putc(&b, '\n');
	}
	trim_blank_lines(&b);
	return kb_buf_take(&b);
}

/* The last line of a block. cmark 0.30.2 gives an HTML block closed by its end tag (</pre>,
 * -->, ...) the line before the tag's as its end: its lines are counted instead. */
static int end_line(cmark_node *n)
{
	int end = cmark_node_get_end_line(n), lines = 0;
	const char *lit;
	if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK || !(lit = cmark_node_get_literal(n)))
		return end;
	for (const char *p = lit; *p; p++)
		lines += *p == '\n' || (*p == '\r' && p[1] != '\n');
	lines += *lit && lit[strlen(lit) - 1] != '\n' && lit[strlen(lit) - 1] != '\r';
	return cmark_node_get_start_line(n) + lines - 1 > end ? cmark_node_get_start_line(n) + lines - 1 : end;
}

/* Whether an HTML block holds nothing but comments (and white space). */
static bool only_comments(const char *lit)
{
	if (!lit || strncmp(lit, "<!--", 4) != 0)
		return false;
	while (*lit) {
		const char *end;
		lit += strspn(lit, " \t\r\n");
		if (!*lit)
			break;
		if (strncmp(lit, "<!--", 4) != 0 || !(end = strstr(lit + 4, "-->")))
			return false;
		lit = end + 3;
	}
	return true;
}

/* HTML comments are for authors: no markdown reader shows them, and translated notes keep
 * whole originals in them. The lines of blocks that are only comments are left out of
 * entries (symptoms skip them too); render drops the others. */
static void hide_comments(struct note *nt, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		const char *lit;
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK)
			continue;
		lit = cmark_node_get_literal(n);
		if (!only_comments(lit))
			continue;
		if (!nt->hidden)
			nt->hidden = kb_xcalloc((size_t)nt->nlines + 2, sizeof *nt->hidden);
		for (int l = cmark_node_get_start_line(n); l <= end_line(n) && l <= nt->nlines; l++)
			nt->hidden[l] = true;
	}
	cmark_iter_free(it);
}

/* ---- titles, slugs, ids ---------------------------------------------------------------- */

static char *collapse(const char *s)
{
	struct kb_buf b = {0};
	for (; *s; s++) {
		bool sp = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
		if (sp && (b.len == 0 || b.s[b.len - 1] == ' '))
			continue;
		kb_buf_putc(&b, sp ? ' ' : *s);
	}
	while (b.len && b.s[b.len - 1] == ' ')
		b.s[--b.len] = '\0';
	return kb_buf_take(&b);
}

/* Length of the first sentence of s: up to a line break or a sentence end. */
static size_t first_sentence(const char *s)
{
	static const char *const ends[] = {"\xe3\x80\x82", "\xef\xbc\x81", "\xef\xbc\x9f", "\xef\xbc\x9b",
	                                   ". ", "! ", "? ", "\n"};
	size_t best = strlen(s);
	for (size_t i = 0; i < KB_NELEM(ends); i++) {
		const char *p = strstr(s, ends[i]);
		if (p && (size_t)(p - s) < best && p > s)
			best = (size_t)(p - s);
	}
	return best;
}

static bool is_clause_end(const char *s, size_t i)
{
	return s[i] == ',' || s[i] == ';' || strncmp(s + i, "\xef\xbc\x8c", 3) == 0 ||  /* ， */
	       strncmp(s + i, "\xe3\x80\x81", 3) == 0 || strncmp(s + i, "\xef\xbc\x9a", 3) == 0; /* 、： */
}

/* Cuts a title to TITLE_COLUMNS: at the last clause end that keeps half of it, else at a
 * character, with an ellipsis. Returns a new string. */
static char *fit_title(const char *s)
{
	size_t n = strlen(s), i = 0, cut = 0, clause = 0;
	int cols = 0;
	if ((int)kb_width_str(s, n) <= TITLE_COLUMNS)
		return kb_xstrdup(s);
	while (i < n) {
		uint32_t cp;
		int len = kb_utf8_decode(s + i, n - i, &cp), w = kb_width_cp(cp);
		if (cols + (w > 0 ? w : 1) > TITLE_COLUMNS - 1)
			break;
		if (is_clause_end(s, i) && cols >= TITLE_COLUMNS / 2)
			clause = i;
		cols += w > 0 ? w : 1;
		i += (size_t)len;
		cut = i;
	}
	if (clause)
		cut = clause;
	while (cut > 0 && s[cut - 1] == ' ')
		cut--;
	return kb_xasprintf("%.*s…", (int)cut, s);
}

/* Words that end a sentence introducing what follows ("…时出现", "如下", ":"). */
static bool introduces(const char *s, size_t n)
{
	static const char *const ends[] = {"出现", "出现了", "如下", "报错", "提示", ":", "\xef\xbc\x9a"};
	for (size_t i = 0; i < KB_NELEM(ends); i++) {
		size_t m = strlen(ends[i]);
		if (n >= m && memcmp(s + n - m, ends[i], m) == 0)
			return true;
	}
	return false;
}

static char *item_title(cmark_node *item, const struct kb_entry *e)
{
	cmark_node *first = cmark_node_first_child(item);
	char *raw = first ? kb_node_text(first) : kb_xstrdup("");
	size_t n = first_sentence(raw);
	char *sentence, *title, *out;
	raw[n] = '\0';
	sentence = collapse(raw);
	n = strlen(sentence);
	while (n && strchr(".,;", sentence[n - 1]))
		sentence[--n] = '\0';
	if (n && introduces(sentence, n) && (int)kb_width_str(sentence, n) < SHORT_TITLE_COLUMNS) {
		const struct kb_symptom *best = kb_symptoms_best(e);
		if (best) {
			title = kb_xasprintf("%s %s", sentence, best->text);
			free(sentence);
			sentence = title;
		}
	}
	out = fit_title(sentence);
	free(sentence);
	free(raw);
	return out;
}

/* Cuts an author-given id ("## Examining logs {#examine-logs}") off a heading's text and
 * returns it (caller frees), or NULL when there is none. */
static char *cut_given_id(char *text)
{
	size_t n = strlen(text);
	char *open = n >= 4 && text[n - 1] == '}' ? strstr(text, "{#") : NULL, *id;
	if (!open)
		return NULL;
	for (const char *p = open + 2; p < text + n - 1; p++)
		if (!kb_ascii_isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return NULL;
	id = kb_xstrndup(open + 2, (size_t)(text + n - 1 - (open + 2)));
	while (open > text && open[-1] == ' ')
		open--;
	*open = '\0';
	return id;
}

char *kb_md_heading_text(cmark_node *h, char **given)
{
	char *raw = kb_node_text(h), *t = collapse(raw), *id = cut_given_id(t);
	free(raw);
	if (given)
		*given = id;
	else
		free(id);
	return t;
}

static char *heading_text(cmark_node *h)
{
	return kb_md_heading_text(h, NULL);
}

char *kb_md_slug(const char *s)
{
	struct kb_buf b = {0};
	size_t n = strlen(s);
	for (size_t i = 0; i < n && b.len < SLUG_BYTES;) {
		uint32_t cp;
		int len = kb_utf8_decode(s + i, n - i, &cp);
		if (cp < 0x80) {
			if (kb_ascii_isalnum((int)cp) || cp == '-' || cp == '_')
				kb_buf_putc(&b, (char)kb_ascii_tolower((int)cp));
			else if (cp == ' ')
				kb_buf_putc(&b, '-');
		} else if (!kb_width_is_cjk_punct(cp) && kb_width_cp(cp) > 0) {
			kb_buf_put(&b, s + i, (size_t)len);
		}
		i += (size_t)len;
	}
	return kb_buf_take(&b);
}

/* Returns a unique anchor for the note, based on want (which it may suffix). */
static char *unique_anchor(struct note *nt, const char *want)
{
	const char *base = *want ? want : "section";
	char *a = kb_xstrdup(base);
	int k = 0;
	if (kb_strmap_get(&nt->anchors, base, &k)) /* resume where the last repeat stopped */
		k++;
	while (kb_strmap_get(&nt->anchors, a, NULL)) {
		free(a);
		a = kb_xasprintf("%s-%d", base, k++);
	}
	kb_strmap_put(&nt->anchors, a, 0);
	kb_strmap_put(&nt->anchors, base, k > 0 ? k - 1 : 0);
	return a;
}

/* ---- planning: which blocks make which entries ---------------------------------------- */

static void add_plan(struct note *nt, struct plan p)
{
	kb_xgrow(&nt->plans, &nt->capplans, nt->nplans + 1, sizeof *nt->plans);
	nt->plans[nt->nplans++] = p;
}

static bool ignorable(cmark_node *n)
{
	const char *lit;
	if (cmark_node_get_type(n) == CMARK_NODE_THEMATIC_BREAK)
		return true;
	if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK)
		return false;
	lit = cmark_node_get_literal(n);
	return only_comments(lit);
}

static int child_count(cmark_node *n)
{
	int k = 0;
	for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
		k++;
	return k;
}

/* The section body first..end (exclusive) as a list of problems, or NULL. */
static cmark_node *problem_list(const struct note *nt, cmark_node *first, cmark_node *end)
{
	cmark_node *list = NULL;
	int items;
	if (nt->fm.split == KB_SPLIT_NONE || nt->fm.split == KB_SPLIT_SECTIONS)
		return NULL;
	for (cmark_node *n = first; n && n != end; n = cmark_node_next(n)) {
		if (ignorable(n))
			continue;
		if (list || cmark_node_get_type(n) != CMARK_NODE_LIST)
			return NULL;
		list = n;
	}
	if (!list)
		return NULL;
	items = child_count(list);
	if (nt->fm.split == KB_SPLIT_ITEMS)
		return items >= 1 ? list : NULL;
	if (items < 2)
		return NULL;
	if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST)
		return list;
	for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it))
		if (child_count(it) < 2)
			return NULL;
	return list;
}

static const char *keep_heading(struct note *nt, char *text)
{
	kb_strv_push_own(&nt->headings, text);
	return text;
}

/* Plans the entries of one section: its heading (NULL for the text before the first
 * section, or that text's title heading when preamble) then the blocks first..end
 * (exclusive). Returns the heading's text (owned by nt), or NULL. */
static const char *plan_section(struct note *nt, cmark_node *heading, cmark_node *first,
                                cmark_node *end, const char *parent, bool preamble)
{
	cmark_node *list = problem_list(nt, first, end), *last = NULL, *start;
	const char *htext = heading && !preamble ? keep_heading(nt, heading_text(heading)) : NULL;
	if (list) {
		int number = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST ? cmark_node_get_list_start(list) : 1;
		for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it), number++)
			add_plan(nt, (struct plan){.first = it, .item = true, .number = number,
			                           .section = htext ? htext : parent});
		nt->item_lists++;
		return htext;
	}
	start = heading ? heading : first;
	if (start == end)
		return NULL;
	for (cmark_node *n = start; n && n != end; n = cmark_node_next(n))
		last = n;
	add_plan(nt, (struct plan){.first = start, .last = last, .section = preamble ? NULL : parent,
	                           .heading = htext});
	return htext;
}

static bool cuts(cmark_node *n, int h1s)
{
	int level;
	if (cmark_node_get_type(n) != CMARK_NODE_HEADING)
		return false;
	level = cmark_node_get_heading_level(n);
	return level == 2 || level == 3 || (level == 1 && h1s > 1);
}

/* Returns the note's title heading (a lone H1 first), or NULL. */
static cmark_node *plan_note(struct note *nt, cmark_node *doc)
{
	cmark_node *first = cmark_node_first_child(doc), *title = NULL, *start;
	const char *file_title, *h2_text = NULL;
	int h1s = 0;
	for (cmark_node *n = first; n; n = cmark_node_next(n))
		h1s += cmark_node_get_type(n) == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) == 1;
	if (first && h1s == 1 && cmark_node_get_type(first) == CMARK_NODE_HEADING &&
	    cmark_node_get_heading_level(first) == 1)
		title = first;
	file_title = nt->fm.title ? nt->fm.title : title ? keep_heading(nt, heading_text(title)) : NULL;
	nt->file_title = file_title;
	if (nt->fm.split == KB_SPLIT_NONE) {
		add_plan(nt, (struct plan){.first = first, .last = cmark_node_last_child(doc)});
		return title;
	}
	start = title ? cmark_node_next(title) : first;
	while (start && !cuts(start, h1s))
		start = cmark_node_next(start);
	plan_section(nt, title, title ? cmark_node_next(title) : first, start, file_title, true);
	while (start) {
		cmark_node *end = cmark_node_next(start);
		bool sub = cmark_node_get_heading_level(start) == 3;
		const char *text;
		while (end && !cuts(end, h1s))
			end = cmark_node_next(end);
		text = plan_section(nt, start, cmark_node_next(start), end, sub && h2_text ? h2_text : file_title,
		                    false);
		if (!sub)
			h2_text = text;
		start = end;
	}
	return title;
}

/* ---- building entries ------------------------------------------------------------------ */

static char *file_stem(const char *relpath)
{
	const char *base = strrchr(relpath, '/');
	base = base ? base + 1 : relpath;
	return kb_xstrndup(base, strlen(base) - kb_note_suffix_len(base));
}

/* The file name as words: "deployment-issues.md" -> "deployment issues". */
static char *file_words(const char *relpath)
{
	char *w = file_stem(relpath);
	for (char *p = w; *p; p++)
		if (*p == '-' || *p == '_')
			*p = ' ';
	return w;
}

static void set_components(const struct note *nt, struct kb_entry *e)
{
	for (size_t i = 0; i < nt->fm.components.n; i++) {
		char *c = collapse(nt->fm.components.v[i]);
		for (char *p = c; *p; p++)
			*p = *p == ' ' ? '-' : (char)kb_ascii_tolower((unsigned char)*p);
		if (*c)
			kb_strv_add_unique(&e->components, c);
		free(c);
	}
	if (e->components.n == 0 && nt->comps) { /* no word runs from one into the other */
		kb_components_match(nt->comps, e->title, strlen(e->title), &e->components);
		kb_components_match(nt->comps, e->body, e->body_len, &e->components);
	}
	if (e->components.n == 0) {
		char *dir = kb_components_of_path(nt->comps, nt->relpath);
		if (dir && *dir)
			kb_strv_push_own(&e->components, dir);
		else
			free(dir);
	}
	kb_strv_sort(&e->components);
}

static void add_front_matter_symptoms(const struct note *nt, struct kb_entry *e);

static bool lower_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

/* Whether code text may be a page's title as prose names it: one or two words of lower-case
 * letters, digits and . _ + - (each starting with a letter or digit), 2 to
 * KB_ENTRY_MENTION_MAX bytes: ln, git reset, ssh-copy-id. */
static bool mention_name(const char *s)
{
	size_t n = strlen(s), words = 0;
	if (n < 2 || n > KB_ENTRY_MENTION_MAX)
		return false;
	for (const char *p = s; *p;) {
		if (!lower_alnum(*p) || ++words > 2)
			return false;
		for (; *p && *p != ' '; p++)
			if (!lower_alnum(*p) && !strchr("._+-", *p))
				return false;
		if (*p == ' ')
			p++;
	}
	return true;
}

/* Keeps code n's text as a mention when it is quoted in prose (a paragraph that holds more
 * than the code: "See also: `git reset`", not a command line alone on its line) and names
 * something (mention_name). */
static void add_mention(struct kb_entry *e, struct kb_strmap *seen, cmark_node *n)
{
	const char *text = cmark_node_get_literal(n);
	if ((!cmark_node_previous(n) && !cmark_node_next(n)) || !text || !mention_name(text) ||
	    kb_strmap_get(seen, text, NULL))
		return;
	kb_strmap_put(seen, text, 1);
	kb_strv_push(&e->mentions, text);
}

/* Records the entry's relative link and image targets, resolved against the notes directory,
 * its links to man pages (man:ls(1), without an option's #fragment), which count for the
 * pages' standing, and the names its prose quotes as code (add_mention), each once (a hash: a note may hold a
 * hundred thousand links). */
static void collect_links(const struct note *nt, struct kb_entry *e, cmark_node *first, cmark_node *last)
{
	struct kb_strmap seen = {0}, named = {0};
	for (size_t i = 0; i < e->links.n; i++)
		kb_strmap_put(&seen, e->links.v[i], 1);
	for (size_t i = 0; i < e->mentions.n; i++)
		kb_strmap_put(&named, e->mentions.v[i], 1);
	for (cmark_node *b = first; b; b = cmark_node_next(b)) {
		cmark_iter *it = cmark_iter_new(b);
		cmark_event_type ev;
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			cmark_node *n = cmark_iter_get_node(it);
			cmark_node_type t = cmark_node_get_type(n);
			const char *url;
			char *path;
			if (ev == CMARK_EVENT_ENTER && t == CMARK_NODE_CODE)
				add_mention(e, &named, n);
			if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE))
				continue;
			url = cmark_node_get_url(n);
			path = !url ? NULL
			       : kb_starts_with(url, "man:") ? kb_xstrndup(url, strcspn(url, "#")) /* a page, as written */
			                                     : kb_path_resolve(nt->relpath, url);
			if (path) {
				if (!kb_strmap_get(&seen, path, NULL)) {
					kb_strmap_put(&seen, path, 1);
					kb_strv_push_own(&e->links, path);
				} else {
					free(path);
				}
			}
		}
		cmark_iter_free(it);
		if (!last || b == last)
			break;
	}
	kb_strmap_free(&seen);
	kb_strmap_free(&named);
}

static void build_entry(struct note *nt, const struct plan *p, cmark_node *title_node,
                        struct kb_entries *out)
{
	struct kb_entry *e = kb_entries_add(out);
	int first = cmark_node_get_start_line(p->first);
	int last = end_line(p->last ? p->last : p->first);
	char *anchor = NULL;
	e->path = kb_xstrdup(nt->relpath);
	e->section = p->section ? kb_xstrdup(p->section) : NULL;
	e->doc_title = nt->file_title ? collapse(nt->file_title) : file_words(nt->relpath);
	add_front_matter_symptoms(nt, e);
	kb_symptoms_find(e, p->first, p->last);
	collect_links(nt, e, p->first, p->last);
	if (p->item) {
		cmark_node *c = cmark_node_first_child(p->first);
		size_t strip = c ? (size_t)cmark_node_get_start_column(c) - 1 : 0;
		if (c && cmark_node_get_start_line(c) != first)
			strip = 0; /* a marker alone on its line: content starts below */
		e->body = slice(nt, first, last, strip);
		e->body_len = strlen(e->body);
		e->title = item_title(p->first, e);
		if (nt->item_lists > 1 && p->section) {
			char *s = kb_md_slug(p->section), *want = kb_xasprintf("%s-%d", s, p->number);
			anchor = unique_anchor(nt, want);
			free(s);
			free(want);
		} else {
			char *want = kb_xasprintf("%d", p->number);
			anchor = unique_anchor(nt, want);
			free(want);
		}
	} else {
		e->body = slice(nt, first, last, 0);
		e->body_len = strlen(e->body);
		if (p->heading) {
			char *given, *text = kb_md_heading_text(p->first, &given);
			char *s = given ? given : kb_md_slug(text);
			anchor = unique_anchor(nt, s);
			free(s);
			free(text);
			e->title = fit_title(p->heading);
		} else if (nt->fm.title || title_node) { /* the text before the first section */
			char *t = nt->fm.title ? collapse(nt->fm.title) : heading_text(title_node);
			e->title = fit_title(t);
			free(t);
		} else {
			e->title = file_stem(nt->relpath);
		}
	}
	if (nt->nplans == 1 && nt->fm.title) {
		free(e->title);
		e->title = fit_title(nt->fm.title);
	}
	e->line = first;
	e->end_line = last;
	e->id = anchor && nt->nplans > 1 ? kb_xjoin(nt->relpath, "#", anchor) : kb_xstrdup(nt->relpath);
	free(anchor);
	for (size_t i = 0; i < nt->fm.tags.n; i++)
		kb_strv_add_unique(&e->tags, nt->fm.tags.v[i]);
	set_components(nt, e);
}

static void add_front_matter_symptoms(const struct note *nt, struct kb_entry *e)
{
	for (size_t i = 0; i < nt->fm.symptoms.n; i++) {
		const char *s = nt->fm.symptoms.v[i];
		char *sig = kb_normalize(s, strlen(s));
		kb_entry_add_symptom(e, s, sig, nt->fm.first_line);
		free(sig);
	}
}

/* Replaces the front matter's bytes (but not its line ends) with spaces. */
static char *blank_front_matter(const char *text, size_t len, size_t fm_end)
{
	char *t = kb_xstrndup(text, len);
	for (size_t i = 0; i < fm_end; i++)
		if (t[i] != '\n' && t[i] != '\r')
			t[i] = ' ';
	return t;
}

/* cmark's memory while a note compiles: its nodes, strings, iterators and parser state come
 * from chunks taken in turn and all given back at once when the note is done, instead of
 * from malloc one by one (a note's tree is tens of thousands of small blocks, and malloc and
 * free were a fifth of a build's compiling). Each thread has its own: kb build compiles
 * notes on two. cmark's allocator has no context argument, hence the thread-local state;
 * the chunks live only for one kb_compile call, so nothing outlives a thread. */
#define CHUNK_BYTES (64u << 10)

struct chunk {
	struct chunk *next;
	size_t cap, used;
	max_align_t data[]; /* cap bytes */
};

/* Before each block: its size, so that realloc knows what to copy. */
struct block {
	size_t size;
	max_align_t align[];
};

static _Thread_local struct {
	struct chunk *head;
	void *last; /* the latest block (realloc grows it in place when there is room) */
} arena;

static size_t block_bytes(size_t size)
{
	size_t a = _Alignof(max_align_t), n = sizeof(struct block) + size;
	if (size > SIZE_MAX / 2)
		kb_oom(size);
	return (n + a - 1) / a * a;
}

static void *arena_alloc(size_t size)
{
	size_t need = block_bytes(size);
	struct chunk *c = arena.head;
	struct block *b;
	if (!c || c->cap - c->used < need) {
		size_t cap = need > CHUNK_BYTES ? need : CHUNK_BYTES;
		c = kb_xmalloc(sizeof *c + cap);
		c->cap = cap;
		c->used = 0;
		c->next = arena.head;
		arena.head = c;
	}
	b = (struct block *)((char *)c->data + c->used);
	c->used += need;
	b->size = size;
	arena.last = b->align;
	return b->align;
}

static void *arena_calloc(size_t n, size_t size)
{
	void *p;
	if (size && n > SIZE_MAX / size)
		kb_oom(SIZE_MAX);
	p = arena_alloc(n * size);
	memset(p, 0, n * size);
	return p;
}

static void *arena_realloc(void *p, size_t size)
{
	struct block *b;
	void *q;
	if (!p)
		return arena_alloc(size);
	b = (struct block *)((char *)p - offsetof(struct block, align));
	if (p == arena.last) { /* the latest block of the latest chunk: grow it where it is */
		struct chunk *c = arena.head;
		size_t had = block_bytes(b->size), need = block_bytes(size);
		if (c->used - had + need <= c->cap) {
			c->used = c->used - had + need;
			b->size = size;
			return p;
		}
		if (c->used == had && need > CHUNK_BYTES) {
			/* alone in a chunk of its own (cmark's buffer of a long block, grown a line at
			 * a time): the chunk grows, rather than leaving each smaller copy behind */
			c = kb_xrealloc(c, sizeof *c + need);
			c->cap = c->used = need;
			arena.head = c;
			b = (struct block *)(void *)c->data;
			b->size = size;
			arena.last = b->align;
			return b->align;
		}
	}
	if (size <= b->size)
		return p;
	q = arena_alloc(size);
	memcpy(q, p, b->size);
	return q;
}

static void arena_free(void *p)
{
	(void)p; /* all at once, in arena_release */
}

static void arena_release(void)
{
	while (arena.head) {
		struct chunk *c = arena.head;
		arena.head = c->next;
		free(c);
	}
	arena.last = NULL;
}

static cmark_mem arena_mem = {arena_calloc, arena_realloc, arena_free};

int kb_compile(const char *relpath, const char *data, size_t len, const struct kb_components *comps,
               struct kb_entries *out, struct kb_diags *diags)
{
	struct note nt = {.relpath = relpath, .comps = comps, .diags = diags};
	size_t fm_end, before = out->n;
	char *text;
	cmark_node *doc, *title;
	if (len > KB_COMPILE_MAX_BYTES) {
		kb_diag_add(diags, KB_D_TOO_BIG, relpath, 0, 0);
		return -1;
	}
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		kb_diag_add(diags, KB_D_BOM, relpath, 1, 1);
		data += 3, len -= 3;
	}
	if (!check_bytes(&nt, data, len)) {
		free(nt.lines);
		return -1;
	}
	fm_end = kb_fm_read(relpath, data, len, &nt.fm, diags);
	{
		char *blanked = blank_front_matter(data, len, fm_end);
		text = kb_shortcodes_apply(blanked, len, &len); /* then guarded: what cmark reads */
		free(blanked);
	}
	text = kb_guard_markdown(relpath, text, &len, diags);
	nt.text = text, nt.len = len;
	index_lines(&nt);
	warn_controls(&nt);
	{
		cmark_parser *parser = cmark_parser_new_with_mem(CMARK_OPT_SOURCEPOS, &arena_mem);
		cmark_parser_feed(parser, text, len);
		doc = cmark_parser_finish(parser);
		cmark_parser_free(parser);
	}
	hide_comments(&nt, doc);
	title = plan_note(&nt, doc);
	if (nt.nplans == 0 && cmark_node_first_child(doc))
		add_plan(&nt, (struct plan){.first = cmark_node_first_child(doc), .last = cmark_node_last_child(doc)});
	for (size_t i = 0; i < nt.nplans; i++)
		build_entry(&nt, &nt.plans[i], title, out);
	if (nt.nplans == 0)
		kb_diag_add(diags, KB_D_NO_CONTENT, relpath, 0, 0);
	free(nt.plans);
	arena_release(); /* doc and everything cmark made for it */
	kb_fm_free(&nt.fm);
	kb_strmap_free(&nt.anchors);
	kb_strv_free(&nt.headings);
	free(nt.lines);
	free(nt.hidden);
	free(text);
	return (int)(out->n - before);
}
