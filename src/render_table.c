/* render_table.c - pipe tables (cmark reads them as paragraphs) laid out as aligned columns. */
#include <stdlib.h>
#include <string.h>

#include "render_impl.h"

#define MIN_COL 6 /* the fewest columns a column is squeezed to before giving up */

/* Units [start, end) of the paragraph, and their columns. */
struct cell {
	size_t start, end;
	int width;
};

struct table {
	const struct kb_para *p;
	struct cell *cells; /* row-major, ncols a row; the delimiter row is not kept */
	size_t nrows, ncols, cap;
	char *align;        /* 'l', 'c' or 'r' per column */
	int *w;             /* columns given to each column */
	bool ascii, wrapped;
};

static bool is_pipe(const struct kb_ru *u)
{
	return u->cp == '|' && u->style != KB_STYLE_CODE && !(u->flags & KB_RU_ESC);
}

static struct cell trimmed(const struct kb_para *p, size_t s, size_t e)
{
	struct cell c;
	while (s < e && (p->u[s].flags & KB_RU_SPACE))
		s++;
	while (e > s && (p->u[e - 1].flags & KB_RU_SPACE))
		e--;
	c.start = s;
	c.end = e;
	c.width = 0;
	for (size_t i = s; i < e; i++)
		c.width += p->u[i].width;
	return c;
}

/* Splits the row in units [s, e) into cells; returns them (malloc'd) and their count. */
static struct cell *split_row(const struct kb_para *p, size_t s, size_t e, size_t *n)
{
	struct cell *v = NULL, row = trimmed(p, s, e);
	size_t cap = 0;
	s = row.start, e = row.end;
	if (s < e && is_pipe(&p->u[s]))
		s++;
	if (e > s && is_pipe(&p->u[e - 1]))
		e--;
	*n = 0;
	for (size_t cs = s;;) {
		size_t ce = cs;
		while (ce < e && !is_pipe(&p->u[ce]))
			ce++;
		kb_xgrow(&v, &cap, *n + 1, sizeof *v);
		v[(*n)++] = trimmed(p, cs, ce);
		if (ce >= e)
			break;
		cs = ce + 1;
	}
	return v;
}

static char cell_align(const struct kb_para *p, const struct cell *c)
{
	bool left = c->end > c->start && p->u[c->start].cp == ':';
	bool right = c->end > c->start && p->u[c->end - 1].cp == ':';
	return left && right ? 'c' : right ? 'r' : 'l';
}

/* Adds a row of cells: missing ones empty, extra ones joined to the last. */
static void add_row(struct table *t, struct cell *v, size_t n)
{
	kb_xgrow(&t->cells, &t->cap, (t->nrows + 1) * t->ncols, sizeof *t->cells);
	struct cell *row = &t->cells[t->nrows++ * t->ncols];
	for (size_t c = 0; c < t->ncols; c++)
		row[c] = c < n ? v[c] : (struct cell){0};
	if (n > t->ncols) {
		row[t->ncols - 1] = trimmed(t->p, v[t->ncols - 1].start, v[n - 1].end);
	}
}

/* Reads the rows; returns false if the second one is not a delimiter row that matches. */
static bool read_rows(struct table *t)
{
	const struct kb_para *p = t->p;
	size_t s = 0, row = 0;
	bool ok = true;
	while (ok && s < p->n) {
		size_t e = s, n;
		while (e < p->n && !(p->u[e].flags & KB_RU_HARD))
			e++;
		struct cell *v = split_row(p, s, e, &n);
		if (row == 0) {
			t->ncols = n;
			add_row(t, v, n);
		} else if (row == 1) {
			ok = n == t->ncols;
			t->align = kb_xmalloc(t->ncols);
			for (size_t c = 0; ok && c < n; c++)
				t->align[c] = cell_align(p, &v[c]);
		} else {
			add_row(t, v, n);
		}
		free(v);
		row++;
		s = e + 1;
	}
	return ok && row >= 2;
}

/* Gives each column its natural width if all fit in avail, else shares avail out: narrow
 * columns keep their width, the wide ones split the rest evenly. */
static bool size_columns(struct table *t, int avail)
{
	size_t nc = t->ncols, left_n = nc;
	int *natural = kb_xcalloc(nc, sizeof *natural), sum = 0;
	t->w = kb_xcalloc(nc, sizeof *t->w);
	for (size_t i = 0; i < t->nrows * nc; i++)
		if (t->cells[i].width > natural[i % nc])
			natural[i % nc] = t->cells[i].width;
	for (size_t c = 0; c < nc; c++)
		sum += natural[c];
	int room = avail - 3 * (int)(nc - 1), left = room;
	bool *fixed = kb_xcalloc(nc, sizeof *fixed), changed = true;
	t->wrapped = sum > room;
	while (t->wrapped && changed && left_n > 0) {
		changed = false;
		for (size_t c = 0; c < nc; c++) {
			if (!fixed[c] && natural[c] <= left / (int)left_n) {
				fixed[c] = changed = true;
				left -= natural[c];
				left_n--;
			}
		}
	}
	for (size_t c = 0, k = 0; c < nc; c++)
		t->w[c] = !t->wrapped || fixed[c] ? natural[c]
		          : left / (int)left_n + ((int)k++ < left % (int)left_n);
	bool ok = room >= MIN_COL * (int)nc;
	free(natural);
	free(fixed);
	return ok;
}

/* Line ranges of one cell, as the line breaker cuts it. */
struct ranges {
	size_t *v; /* start, end pairs */
	size_t n, cap;
};

static void add_range(void *ctx, const struct kb_para *p, size_t start, size_t end, bool first)
{
	struct ranges *r = ctx;
	(void)p, (void)first;
	kb_xgrow(&r->v, &r->cap, 2 * r->n + 2, sizeof *r->v);
	r->v[2 * r->n] = start;
	r->v[2 * r->n + 1] = end;
	r->n++;
}

static void put_bar(const struct table *t, struct kb_lb *lb, const char *bar)
{
	kb_lb_spaces(lb, 1);
	kb_lb_put(lb, bar, strlen(bar), 1, KB_STYLE_RULE, 0, -1);
	kb_lb_spaces(lb, 1);
	(void)t;
}

/* Appends line k of a cell, padded to its column as aligned. */
static void put_cell_line(const struct table *t, struct kb_lb *lb, const struct ranges *r,
                          size_t k, size_t c, bool header)
{
	int width = 0, pad;
	size_t s = k < r->n ? r->v[2 * k] : 0, e = k < r->n ? r->v[2 * k + 1] : 0;
	for (size_t i = s; i < e; i++)
		width += t->p->u[i].width;
	pad = t->w[c] - width;
	pad = pad < 0 ? 0 : pad;
	int before = t->align[c] == 'r' ? pad : t->align[c] == 'c' ? pad / 2 : 0;
	struct kb_lb text = {0};
	kb_lb_units(&text, t->p, s, e);
	for (size_t i = 0; header && i < text.n; i++)
		text.v[i].attr |= KB_ATTR_STRONG;
	kb_lb_spaces(lb, before);
	kb_lb_append(lb, &text);
	kb_lb_spaces(lb, pad - before);
	kb_lb_free(&text);
}

static void emit_row(const struct table *t, size_t row, kb_table_emit_fn emit, void *ctx)
{
	const struct cell *cells = &t->cells[row * t->ncols];
	struct ranges *r = kb_xcalloc(t->ncols, sizeof *r);
	struct kb_lb lb = {0};
	size_t height = 1;
	for (size_t c = 0; c < t->ncols; c++) {
		kb_para_layout_range(t->p, cells[c].start, cells[c].end, t->w[c], 0, add_range, &r[c]);
		height = r[c].n > height ? r[c].n : height;
	}
	int src = cells[0].start < t->p->n ? t->p->u[cells[0].start].src : 0;
	for (size_t k = 0; k < height; k++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c > 0)
				put_bar(t, &lb, t->ascii ? "|" : "\u2502");
			put_cell_line(t, &lb, &r[c], k, c, row == 0);
		}
		emit(ctx, &lb, src);
		kb_lb_reset(&lb);
	}
	for (size_t c = 0; c < t->ncols; c++)
		free(r[c].v);
	free(r);
	kb_lb_free(&lb);
}

/* The rule under the header (and between rows whose cells wrap). */
static void emit_rule(const struct table *t, kb_table_emit_fn emit, void *ctx)
{
	const char *h = t->ascii ? "-" : "\u2500", *x = t->ascii ? "+" : "\u253c";
	struct kb_lb lb = {0};
	for (size_t c = 0; c < t->ncols; c++) {
		if (c > 0) {
			kb_lb_put(&lb, h, strlen(h), 1, KB_STYLE_RULE, 0, -1);
			kb_lb_put(&lb, x, strlen(x), 1, KB_STYLE_RULE, 0, -1);
			kb_lb_put(&lb, h, strlen(h), 1, KB_STYLE_RULE, 0, -1);
		}
		for (int i = 0; i < t->w[c]; i++)
			kb_lb_put(&lb, h, strlen(h), 1, KB_STYLE_RULE, 0, -1);
	}
	emit(ctx, &lb, 0);
	kb_lb_free(&lb);
}

/* Whether the header row has no text: a table without a header (a man page's tbl table
 * often has none), shown without the empty row and its rule. */
static bool headless(const struct table *t)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (t->cells[c].end > t->cells[c].start)
			return false;
	return true;
}

bool kb_table_layout(const struct kb_para *p, int avail, bool ascii, kb_table_emit_fn emit,
                     void *ctx)
{
	struct table t = {.p = p, .ascii = ascii};
	bool ok = read_rows(&t) && size_columns(&t, avail);
	size_t first = ok && t.nrows > 1 && headless(&t) ? 1 : 0;
	for (size_t row = first; ok && row < t.nrows; row++) {
		if (row > first && (row == 1 || t.wrapped))
			emit_rule(&t, emit, ctx);
		emit_row(&t, row, emit, ctx);
	}
	free(t.cells);
	free(t.align);
	free(t.w);
	return ok;
}
