/* compile_man.c - one roff man page (man(7) or mdoc(7)) to entries: mandoc's parser library
 * reads it in process and this file walks the tree it builds.
 *
 * Entries: the page head (NAME and SYNOPSIS; every name a keyword), one per section and
 * subsection, and one per option or keyword item: .TP/.IP, the .PP+.RS layout of DocBook
 * pages, the .sp+.RS layout of asciidoctor pages, mdoc's .Bl -tag items (.It Fl, .It Cm ...).
 * Bodies are kb's markdown, so that the one renderer and the one FTS5 text serve both formats. */
#define _GNU_SOURCE /* memfd_create: mandoc reads a page from a file descriptor */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "compile_man_priv.h"
#include "kb/compile.h"
#include "kb/normalize.h"
#include "kb/width.h"

#define MAX_KEYWORDS 8
#define MAX_ANCHOR 64
#define MAX_GROUP_TITLE 160 /* tags joined into one title (a long list of bare names: several) */
#define MAX_ROFF_DIAGS 3 /* mandoc's messages kept per page; the rest are counted */

struct page {
	const char *id;                /* "man:ls(1)" */
	const struct roff_meta *meta;
	struct kb_entries *out;
	size_t first;                  /* out->n when the page began */
	struct kb_buf *bodies;         /* the markdown of entries first.. (parallel to out) */
	size_t nbodies, capbodies;
	size_t cur;                    /* the entry blocks go into (index into out) */
	struct inl inl;                /* the paragraph being written */
	bool code;                     /* a code fence is open in the current body */
	int item_depth;                /* > 0 inside an item: no entries for nested ones */
	bool term_ready;               /* inl holds a one-line paragraph an .RS may describe */
	char *sh;                      /* the section (.SH) being walked */
	bool symptoms;                 /* its items are error names or messages */
	int sh_index;                  /* sections seen so far */
	bool spacing_off;              /* mdoc's .Sm off: words join */
	bool spacing_fresh;            /* ... but the first word after it keeps its space */
	size_t group;                  /* an item entry without a description (0: none; the head is
	                                * the page's first entry), which */
	size_t group_mark;             /* the next item joins if its section's body is this long */
	struct kb_strmap refs;         /* the pages it refers to, as links (man:ls(1)): each once */
};

static void blocks(struct page *pg, struct roff_node *n);
static void inline_node(struct page *pg, struct roff_node *n, enum man_font f);
static bool layout_only(const struct roff_node *n);
static void children(struct page *pg, struct roff_node *n, enum man_font f);

/* ---- entries -------------------------------------------------------------------------- */

static struct kb_buf *body(struct page *pg)
{
	return &pg->bodies[pg->cur - pg->first];
}

static bool anchor_taken(const struct page *pg, const char *a)
{
	for (size_t i = pg->first; i < pg->out->n; i++) {
		const char *h = strchr(pg->out->v[i].id, '#');
		if (h ? strcmp(h + 1, a) == 0 : !*a)
			return true;
	}
	return false;
}

/* The anchor made safe for an id and a shell (no '#', space, quote, bracket or pipe; bounded)
 * and unique in the page. */
static char *unique_anchor(const struct page *pg, const char *want)
{
	struct kb_buf b = {0};
	char *a;
	for (const char *p = want; *p && b.len < MAX_ANCHOR; p++)
		kb_buf_putc(&b, strchr(" #`|\"'<>[](){}*\\?!;", *p) || (unsigned char)*p < 0x20 ? '-' : *p);
	a = kb_buf_take(&b);
	for (int k = 2; *a && anchor_taken(pg, a); k++) {
		char *next = kb_xasprintf("%.*s-%d", MAX_ANCHOR, want, k);
		free(a);
		a = next;
	}
	return a;
}

static size_t new_entry(struct page *pg, const char *anchor, const char *title, const char *section, int line)
{
	struct kb_entry *e;
	char *a = unique_anchor(pg, anchor);
	e = kb_entries_add(pg->out);
	e->format = KB_FORMAT_ROFF;
	e->id = *a ? kb_xasprintf("%s#%s", pg->id, a) : kb_xstrdup(pg->id);
	e->path = kb_xstrdup(pg->id);
	e->title = kb_xstrdup(title);
	e->section = section ? kb_xstrdup(section) : NULL;
	e->line = e->end_line = line > 0 ? line : 1;
	free(a);
	kb_xgrow(&pg->bodies, &pg->capbodies, pg->nbodies + 1, sizeof *pg->bodies);
	memset(&pg->bodies[pg->nbodies++], 0, sizeof *pg->bodies);
	return pg->out->n - 1;
}

/* ---- blocks --------------------------------------------------------------------------- */

static void code_close(struct page *pg)
{
	if (pg->code) {
		kb_buf_puts(body(pg), "\n```\n\n");
		pg->code = false;
	}
}

/* The length of a page reference at s, "**NAME**(SECTION)" or "*NAME*(SECTION)", or 0; *name
 * and *nlen say where NAME is, *sec and *slen where SECTION is. */
static size_t page_ref(const char *s, const char **name, size_t *nlen, const char **sec, size_t *slen)
{
	size_t m = strspn(s, "*"), n, k;
	if (m < 1 || m > 2)
		return 0;
	*name = s + m;
	n = strspn(*name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:+-");
	if (!n || strspn(*name + n, "*") != m || (*name)[n + m] != '(' || !strchr("123456789n", (*name)[n + m + 1]))
		return 0;
	*nlen = n;
	*sec = *name + n + m + 1;
	k = strspn(*sec, "abcdefghijklmnopqrstuvwxyz0123456789");
	if ((*sec)[k] != ')' || k > 8)
		return 0;
	*slen = k;
	return (size_t)(*sec + k + 1 - s);
}

/* Appends md with its page references ("**ls**(1)") made links to the pages (man:ls(1)),
 * which the renderer resolves against the index, and records each page referred to as a
 * link of the page's head entry: once a page and never itself, for the ranking's count of
 * the pages that refer to a page (index_refs.c), whichever of its entries it is in. */
static void linkify(struct page *pg, const char *md, struct kb_buf *out)
{
	for (const char *p = md; *p;) {
		const char *name, *sec;
		size_t nlen, slen, n = (p == md || p[-1] == ' ' || p[-1] == '(') ? page_ref(p, &name, &nlen, &sec, &slen) : 0;
		if (n) {
			char *target = kb_xasprintf("man:%.*s(%.*s)", (int)nlen, name, (int)slen, sec);
			kb_buf_printf(out, "[%.*s](%s)", (int)n, p, target);
			if (strcmp(target, pg->id) != 0 && !kb_strmap_get(&pg->refs, target, NULL)) {
				kb_strmap_put(&pg->refs, target, 1);
				kb_strv_push(&pg->out->v[pg->first].links, target);
			}
			free(target);
			p += n;
		} else {
			kb_buf_putc(out, *p++);
		}
	}
}

/* The paragraph being written goes into the current body. */
static void para(struct page *pg)
{
	pg->term_ready = false;
	if (inl_empty(&pg->inl)) {
		inl_free(&pg->inl);
		return;
	}
	code_close(pg);
	{
		struct kb_buf md = {0};
		inl_flush(&pg->inl, &md);
		linkify(pg, md.s ? md.s : "", body(pg));
		kb_buf_free(&md);
	}
	kb_buf_puts(body(pg), "\n\n");
}

/* Appends text to the open code block: on a line of its own when new_line, else after a space. */
static void code_text(struct page *pg, const char *text, size_t n, bool new_line)
{
	struct kb_buf *b;
	para(pg);
	b = body(pg);
	if (!pg->code) {
		kb_buf_puts(b, "```\n");
		pg->code = true;
	} else if (new_line) {
		kb_buf_putc(b, '\n');
	} else if (n) {
		kb_buf_putc(b, ' ');
	}
	for (size_t i = 0; i < n; i++) /* a fence inside the page's text would end ours */
		kb_buf_putc(b, text[i] == '`' && i + 2 < n && text[i + 1] == '`' && text[i + 2] == '`' ? '\'' : text[i]);
}

/* Text of a nofill line (and of the macros on it), as code. */
static void code_node(struct page *pg, struct roff_node *n)
{
	struct kb_buf t = {0};
	if (layout_only(n))
		return; /* not even an empty line */
	if (n->type == ROFFT_TEXT) {
		man_plain_word(n->string, &t);
	} else {
		struct page tmp = {.meta = pg->meta, .spacing_off = pg->spacing_off};
		inline_node(&tmp, n, FONT_R);
		inl_plain(&tmp.inl, &t);
	}
	code_text(pg, t.s ? t.s : "", t.len, (n->flags & NODE_LINE) != 0);
	kb_buf_free(&t);
}

/* ---- tables --------------------------------------------------------------------------- */

static enum man_font cell_font(const struct tbl_cell *c)
{
	switch (c ? c->font : ESCAPE_FONTROMAN) {
	case ESCAPE_FONTBOLD: case ESCAPE_FONTCB: return FONT_B;
	case ESCAPE_FONTITALIC: case ESCAPE_FONTCI: return FONT_I;
	case ESCAPE_FONTBI: return FONT_BI;
	default: return FONT_R;
	}
}

/* One row of a pipe table: each column's cell as markdown ('|' escaped, a T{ block's lines
 * joined), a cell that spans columns in the first of them. */
/* Whether a row of the table is a rule: a _ or = line, or a layout row of only those. */
static bool rule_row(const struct tbl_span *sp)
{
	if (sp->pos != TBL_SPAN_DATA)
		return true;
	if (!sp->layout || !sp->layout->first)
		return false;
	for (const struct tbl_cell *c = sp->layout->first; c; c = c->next)
		if (c->pos != TBL_CELL_HORIZ && c->pos != TBL_CELL_DHORIZ)
			return false;
	return true;
}

/* The data cell of column c in row sp, or NULL. */
static const struct tbl_dat *cell_at(const struct tbl_span *sp, int c)
{
	for (const struct tbl_dat *d = sp->first; d; d = d->next)
		if (d->layout && d->layout->col == c)
			return d->string && d->pos == TBL_DATA_DATA ? d : NULL;
	return NULL;
}

/* One cell of a pipe table, its markdown md (n bytes) and the '|' after it: a '|' of the
 * text stays in the cell, a line break is a space. */
static void put_cell(struct kb_buf *out, const char *md, size_t n)
{
	kb_buf_puts(out, " ");
	for (size_t i = 0; i < n; i++) {
		if (md[i] == '\n') {
			kb_buf_putc(out, ' ');
		} else if (md[i] == '\\' && i + 1 < n && md[i + 1] == '|') {
			kb_buf_puts(out, "`|`"); /* cmark drops the \ of \|: a code span stays one cell */
			i++;
		} else {
			kb_buf_putc(out, md[i]);
			if (md[i] == '\\' && i + 1 < n)
				kb_buf_putc(out, md[++i]);
		}
	}
	kb_buf_puts(out, " |");
}

/* One row of a pipe table from the n rows at sp (a header may take two or three: their
 * cells joined), each column's cell as markdown ('|' kept in a cell, a T{ block's lines
 * joined), a cell that spans columns in the first of them. */
static void table_row(struct kb_buf *out, const struct tbl_span *sp, size_t n, int cols)
{
	kb_buf_putc(out, '|');
	for (int c = 0; c < cols; c++) {
		struct inl w = {0};
		struct kb_buf md = {0};
		const struct tbl_span *r = sp;
		for (size_t k = 0; k < n && r; k++, r = r->next) {
			const struct tbl_dat *d = rule_row(r) ? NULL : cell_at(r, c);
			char *one = d ? kb_xstrdup(d->string) : NULL;
			for (char *q = one; q && *q; q++)
				*q = *q == '\n' || *q == '\t' ? ' ' : *q;
			if (one && *one)
				inl_word(&w, one, cell_font(d->layout));
			free(one);
		}
		inl_flush(&w, &md);
		inl_free(&w);
		put_cell(out, md.s ? md.s : "", md.len);
		kb_buf_free(&md);
	}
	kb_buf_putc(out, '\n');
}

/* A tbl table, from its first row on, as a pipe table that the renderer lays out as one.
 * Its header is the rows above a rule among the first three, or a first row in bold; else
 * it is empty (the renderer shows no header then). Other rules are not kept. */
static void table(struct page *pg, const struct tbl_span *first)
{
	const struct tbl_span *rows = first, *lay;
	int cols = first->opts ? first->opts->cols : 0;
	size_t nhead = 0;
	bool bold = !rule_row(first) && first->first;
	struct kb_buf *b;
	if (cols <= 0)
		return;
	for (const struct tbl_dat *d = first->first; bold && d; d = d->next)
		bold = !d->string || !*d->string || cell_font(d->layout) == FONT_B;
	for (rows = first; rows && !rule_row(rows) && nhead < 4; rows = rows->next)
		nhead++;
	if (nhead == 4 || !rows) /* no rule near the top */
		nhead = bold ? 1 : 0;
	rows = first;
	for (size_t k = 0; k < nhead; k++)
		rows = rows->next;
	para(pg);
	code_close(pg);
	b = body(pg);
	table_row(b, first, nhead, cols);
	kb_buf_putc(b, '|');
	/* the columns' alignment: the layout of the rows under the header */
	for (lay = rows; lay && rule_row(lay);)
		lay = lay->next;
	lay = lay ? lay : first;
	for (const struct tbl_cell *c = lay->layout ? lay->layout->first : NULL; cols > 0; cols--) {
		enum tbl_cellt pos = c ? c->pos : TBL_CELL_LEFT;
		kb_buf_puts(b, pos == TBL_CELL_CENTRE ? " :-: |" : pos == TBL_CELL_RIGHT || pos == TBL_CELL_NUMBER ? " --: |" : " --- |");
		c = c ? c->next : NULL;
	}
	kb_buf_putc(b, '\n');
	for (const struct tbl_span *sp = rows; sp; sp = sp->next)
		if (!rule_row(sp))
			table_row(b, sp, 1, first->opts->cols);
	kb_buf_putc(b, '\n');
}

/* A tbl row: the table's first one writes the whole table, the others are in it. */
static void tbl_node(struct page *pg, struct roff_node *n)
{
	if (n->span && !n->span->prev)
		table(pg, n->span);
}

/* ---- items ---------------------------------------------------------------------------- */

/* The plain text and the markdown of an item's tag (nodes from first on, or the paragraph in
 * pg->inl when first is NULL). */
static void term_text(struct page *pg, struct roff_node *first, char **plain, char **md)
{
	struct page tmp = {.meta = pg->meta, .spacing_off = pg->spacing_off};
	struct kb_buf p = {0}, m = {0};
	if (first) {
		for (struct roff_node *n = first; n; n = n->next)
			inline_node(&tmp, n, FONT_R);
		for (struct roff_node *n = first; n; n = n->next)
			inline_node(pg, n, FONT_R);
		inl_plain(&tmp.inl, &p);
		inl_flush(&pg->inl, &m);
	} else {
		kb_buf_put(&p, pg->inl.text.s, pg->inl.text.len);
		inl_flush(&pg->inl, &m);
		{ /* trim the plain copy */
			size_t a = 0, z = p.len;
			while (a < z && p.s[a] == ' ')
				a++;
			while (z > a && p.s[z - 1] == ' ')
				z--;
			memmove(p.s, p.s + a, z - a);
			p.len = z - a;
			p.s[p.len] = '\0';
		}
	}
	*plain = kb_buf_take(&p);
	*md = kb_buf_take(&m);
}

/* Adds to e's keywords the spellings of the options and names in the tag: "-l, --format=WORD"
 * gives -l, --format= and --format; "Restart=" gives Restart= and Restart. */
static void spellings(struct kb_entry *e, const char *tag)
{
	bool first = true;
	char *copy = kb_xstrdup(tag), *save = NULL;
	for (char *t = strtok_r(copy, " ,|\t", &save); t && e->tags.n < MAX_KEYWORDS; t = strtok_r(NULL, " ,|\t", &save)) {
		size_t n;
		char *word;
		while (*t && strchr("[(<{\"'", *t))
			t++;
		n = strcspn(t, "[=<>)]}\"'");
		if (t[n] == '=')
			n++; /* Restart= and --format= keep their '=' */
		while (n > 1 && strchr(".:;", t[n - 1]))
			n--;
		if (n == 0 || (!first && *t != '-' && *t != '+' && t[n - 1] != '='))
			continue; /* after the first word, only options and keys: not argument names */
		first = false;
		word = kb_xstrndup(t, n);
		kb_strv_add_unique(&e->tags, word);
		if (n > 1 && word[n - 1] == '=') {
			word[n - 1] = '\0';
			kb_strv_add_unique(&e->tags, word);
		}
		free(word);
	}
	free(copy);
}

/* The anchor of an item: its first long option, else its first option or word, as typed
 * ("Restart=" keeps its '=', "--format=WORD" is "--format"). Caller frees. */
static char *item_anchor(const char *tag)
{
	char *copy = kb_xstrdup(tag), *save = NULL, *best = NULL;
	for (char *t = strtok_r(copy, " ,|\t", &save); t; t = strtok_r(NULL, " ,|\t", &save)) {
		size_t n;
		while (*t && strchr("[(<{\"'", *t))
			t++;
		n = strcspn(t, "[=<>)]}\"'");
		if (t[n] == '=' && t[0] != '-')
			n++;
		while (n > 1 && strchr(".:;", t[n - 1]))
			n--;
		if (!n)
			continue;
		if (t[0] == '-' && t[1] == '-' && n > 2) {
			free(best);
			best = kb_xstrndup(t, n);
			break;
		}
		if (!best)
			best = kb_xstrndup(t, n);
		if (t[0] != '-')
			break;
	}
	free(copy);
	return best ? best : kb_xstrdup("");
}

/* Whether cp, beyond ASCII, is a mark rather than part of a word: Latin-1's punctuation and
 * signs, general punctuation (dashes, •, ‣), arrows, shapes (○, ■) and other symbols. */
static bool symbol(uint32_t cp)
{
	return (cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F) ||
	       (cp >= 0x2190 && cp <= 0x2BFF) || cp == KB_UTF8_BAD;
}

/* Whether a tag is a list's mark, and how the item starts as markdown (*lead, *indent: the
 * columns of its other lines): a bullet alone ("•", "○", "\\(em", "-", "*") as "- "; a
 * number ("1.", "2)") as itself, markdown's ordered list; a number or letter in
 * parentheses ("(1)", "(a)", "b)") as text before the item's first words. */
static bool list_mark(const char *plain, char *lead, size_t cap, size_t *indent)
{
	size_t n = strlen(plain), d = strspn(plain, "0123456789");
	uint32_t cp;
	int len;
	if (n == 0 || n + 2 > cap)
		return false;
	len = kb_utf8_decode(plain, n, &cp);
	if ((size_t)len == n && (cp == '-' || cp == '*' || cp == '+' || cp == 0xB7 || cp == 0x2022 || cp == 0x2023 ||
	                         cp == 0x2043 || cp == 0x2013 || cp == 0x2014 || cp == 0x25CB || cp == 0x25E6 ||
	                         cp == 0x25AA || cp == 0x25CF || cp == 0x25A0 || cp == 0x25A1)) {
		snprintf(lead, cap, "- ");
		*indent = 2;
		return true;
	}
	if (d > 0 && d <= 3 && n == d + 1 && (plain[d] == '.' || plain[d] == ')')) {
		snprintf(lead, cap, "%s ", plain);
		*indent = n + 1;
		return true;
	}
	if ((n == 3 && plain[0] == '(' && plain[2] == ')' && kb_ascii_isalnum((unsigned char)plain[1])) ||
	    (n == 2 && plain[1] == ')' && plain[0] >= 'a' && plain[0] <= 'z') ||
	    (n >= 3 && n <= 5 && plain[0] == '(' && plain[n - 1] == ')' && strspn(plain + 1, "0123456789") == n - 2)) {
		snprintf(lead, cap, "%s ", plain);
		*indent = 0;
		return true;
	}
	return false;
}

/* Makes the text b->s[from..] (its paragraphs and displays) one item of a list: lead before
 * its first line, indent spaces before each other one. The lead alone when it is empty. */
static void list_item(struct kb_buf *b, size_t from, const char *lead, size_t indent)
{
	size_t at = from + strspn(b->s ? b->s + from : "", "\n"), end = b->len;
	struct kb_buf out = {0};
	bool first = true;
	while (end > at && b->s[end - 1] == '\n')
		end--;
	kb_buf_puts(&out, lead);
	/* a mark that is text ("(1)") starts a paragraph: a display, a table or a heading
	 * first stands under it, as it cannot go on the mark's line */
	if (indent == 0 && at < end && strchr("`|# ", b->s[at])) {
		out.len -= out.len && out.s[out.len - 1] == ' ';
		kb_buf_puts(&out, "\n\n");
	}
	while (at < end) {
		size_t n = strcspn(b->s + at, "\n");
		if (n > end - at)
			n = end - at;
		if (n && !first)
			kb_buf_printf(&out, "%*s", (int)indent, "");
		kb_buf_put(&out, b->s + at, n);
		kb_buf_putc(&out, '\n');
		first = false;
		at += n + 1;
	}
	if (first)
		kb_buf_putc(&out, '\n');
	b->len = from;
	kb_buf_put(b, out.s, out.len);
	kb_buf_putc(b, '\n');
	kb_buf_free(&out);
}

/* Whether a tag names something (an option, a word, a message), not a list's bullet or
 * number mark ("•", "○", "\(em"): it has a letter or a digit. */
static bool term_like(const char *plain)
{
	size_t n = strlen(plain);
	bool alnum = false;
	for (size_t i = 0; i < n && !alnum;) {
		uint32_t cp;
		i += (size_t)kb_utf8_decode(plain + i, n - i, &cp);
		alnum = cp < 0x80 ? kb_ascii_isalnum((unsigned char)cp) : !symbol(cp);
	}
	return alnum && n <= 160;
}

/* Whether md (an item's description) only points at other pages: "systemd.service(5)",
 * "**ssh**(1), **sshd**(8)." — a list of where names are explained, not an explanation. */
static bool only_references(const char *md)
{
	int refs = 0;
	while (*md) {
		size_t n;
		md += strspn(md, " \n*\\,.;[");
		n = strcspn(md, " \n*\\,;(");
		if (!*md)
			break;
		if (n == 0 || (md[n] != '(' && !(md[n] == '*' && md[n + strspn(md + n, "*")] == '(')))
			return false;
		md += n + strspn(md + n, "*");
		if (*md != '(' || !kb_ascii_isalnum((unsigned char)md[1]))
			return false;
		n = strcspn(md, ")");
		if (!md[n] || n > 12)
			return false;
		md += n + 1;
		if (strncmp(md, "](man:", 6) == 0) { /* the reference's link (linkify) */
			md += strcspn(md, ")");
			md += *md ? 1 : 0;
			md += *md == ')' ? 1 : 0;
		}
		refs++;
	}
	return refs > 0;
}

/* Undoes the item entry e (the last one made): its text goes into the section's body. */
static void unmake_item(struct page *pg, size_t e)
{
	struct kb_buf *b = &pg->bodies[e - pg->first];
	size_t tag = strcspn(b->s, "\n");
	kb_buf_put(body(pg), b->s + tag + 2, b->len > tag + 2 ? b->len - tag - 2 : 0);
	kb_buf_free(b);
	pg->nbodies--;
	kb_entry_clear(&pg->out->v[e]);
	pg->out->n--;
}

/* An item: tag (nodes from tag_first, or the paragraph in pg->inl) and its description, the
 * children of desc. At the top of a section it is an entry of its own, and the section's
 * entry lists its tag; nested, it is a paragraph and its description. */
static void item(struct page *pg, struct roff_node *tag_first, struct roff_node *desc, int line)
{
	char *plain, *md, lead[16];
	size_t indent;
	size_t saved = pg->cur;
	if (tag_first)
		para(pg);
	term_text(pg, tag_first, &plain, &md);
	pg->term_ready = false;
	if (list_mark(plain, lead, sizeof lead, &indent)) { /* a list's item, not an entry */
		size_t from;
		code_close(pg);
		from = body(pg)->len;
		pg->item_depth++;
		blocks(pg, desc);
		para(pg);
		code_close(pg);
		pg->item_depth--;
		list_item(body(pg), from, lead, indent);
	} else if (pg->item_depth > 0 || !term_like(plain)) {
		code_close(pg);
		if (*md)
			kb_buf_printf(body(pg), "%s\n\n", md);
		pg->item_depth++;
		blocks(pg, desc);
		para(pg);
		pg->item_depth--;
	} else {
		/* a message of DIAGNOSTICS is its own anchor; elsewhere the first option or word */
		char *bare = kb_xstrndup(plain + strspn(plain, "[("), strcspn(plain + strspn(plain, "[("), "])"));
		char *anchor = pg->symptoms && *plain != '-' ? kb_xstrdup(bare) : item_anchor(plain);
		size_t e, tags;
		bool joined;
		code_close(pg);
		/* tags in a row that share one description (.TP+.TQ, mdoc's .It without a body)
		 * are one entry: the first one's anchor, every tag in its title */
		joined = pg->group && pg->group + 1 == pg->out->n && body(pg)->len == pg->group_mark &&
		         strlen(pg->out->v[pg->group].title) + strlen(plain) + 2 <= MAX_GROUP_TITLE;
		kb_buf_printf(body(pg), "%s\n\n", md);
		if (joined) {
			struct kb_entry *g = &pg->out->v[pg->group];
			const char *h = strchr(g->id, '#');
			char *t = kb_xasprintf("%s, %s", g->title, plain);
			free(g->title);
			g->title = t;
			e = pg->group;
			if (h && strncmp(h + 1, "--", 2) != 0 && strncmp(anchor, "--", 2) == 0) {
				char *a = unique_anchor(pg, anchor); /* -h, --help: its long option, as one tag's */
				free(g->id);
				g->id = kb_xasprintf("%s#%s", pg->id, a);
				free(a);
			}
		} else {
			e = new_entry(pg, anchor, plain, pg->sh, line);
		}
		spellings(&pg->out->v[e], plain);
		if (pg->symptoms) {
			char *sig = kb_normalize(bare, strlen(bare));
			kb_entry_add_symptom(&pg->out->v[e], bare, sig, line);
			free(sig);
		}
		pg->cur = e;
		kb_buf_printf(body(pg), "%s\n\n", md);
		tags = body(pg)->len;
		pg->item_depth++;
		blocks(pg, desc);
		para(pg);
		code_close(pg);
		pg->item_depth--;
		pg->cur = saved;
		pg->group = pg->bodies[e - pg->first].len == tags ? e : 0;
		pg->group_mark = body(pg)->len;
		if (!joined && only_references(pg->bodies[e - pg->first].s + tags)) {
			unmake_item(pg, e); /* an index of names (systemd.directives): not an entry */
			pg->group = 0;
		}
		free(anchor);
		free(bare);
	}
	free(plain);
	free(md);
}

/* ---- the node walk -------------------------------------------------------------------- */

static enum man_font alt_font(enum roff_tok tok, int i)
{
	static const struct {
		enum roff_tok tok;
		enum man_font a, b;
	} alts[] = {
		{MAN_BI, FONT_B, FONT_I}, {MAN_IB, FONT_I, FONT_B}, {MAN_BR, FONT_B, FONT_R},
		{MAN_RB, FONT_R, FONT_B}, {MAN_RI, FONT_R, FONT_I}, {MAN_IR, FONT_I, FONT_R},
	};
	for (size_t k = 0; k < KB_NELEM(alts); k++)
		if (alts[k].tok == tok)
			return i % 2 ? alts[k].b : alts[k].a;
	return FONT_R;
}

static void children(struct page *pg, struct roff_node *n, enum man_font f)
{
	for (struct roff_node *c = n ? n->child : NULL; c; c = c->next)
		inline_node(pg, c, f);
}

/* A word the page wrote in place, joined to what came before. */
static void glue(struct page *pg, const char *s, enum man_font f)
{
	pg->inl.nospace = true;
	inl_word(&pg->inl, s, f);
}

static void mdoc_enclosed(struct page *pg, struct roff_node *n, const char *open, const char *close, enum man_font f)
{
	inl_word(&pg->inl, open, FONT_R);
	pg->inl.nospace = true;
	if (n->type == ROFFT_BLOCK) {
		children(pg, n->head, f);
		children(pg, n->body, f);
	} else {
		children(pg, n, f);
	}
	glue(pg, close, FONT_R);
}

/* A function, .Fn name args or .Fo name with .Fa args, as mandoc prints it: "name(arg, arg)",
 * and in the SYNOPSIS a prototype ending in ';'. */
static void mdoc_function(struct page *pg, struct roff_node *n)
{
	struct roff_node *name = n->tok == MDOC_Fn ? n->child : n->head ? n->head->child : NULL;
	struct roff_node *args = n->tok == MDOC_Fn ? (name ? name->next : NULL) : n->body ? n->body->child : NULL;
	if (n->tok == MDOC_Fo && n->type != ROFFT_BLOCK)
		return; /* the block writes its head and body */
	if (name)
		inline_node(pg, name, FONT_B);
	glue(pg, "(", FONT_R);
	pg->inl.nospace = true;
	for (struct roff_node *c = args; c; c = c->next) {
		inline_node(pg, c, FONT_I);
		if (c->next)
			glue(pg, ",", FONT_R);
	}
	glue(pg, ")", FONT_R);
	if (n->sec == SEC_SYNOPSIS) {
		glue(pg, ";", FONT_R);
		para(pg);
	}
}

/* A part of a reference (.Rs): followed by ',' or, the last, '.'; authors joined as mandoc
 * joins them ("A and B", "A, B, and C"). */
static void rs_part(struct page *pg, struct roff_node *n)
{
	bool author = n->tok == MDOC__A, prev_a = n->prev && n->prev->tok == MDOC__A;
	bool next_a = n->next && n->next->tok == MDOC__A;
	if (author && prev_a && !next_a)
		inl_word(&pg->inl, "and", FONT_R);
	children(pg, n, n->tok == MDOC__B || n->tok == MDOC__I || n->tok == MDOC__J || n->tok == MDOC__T ? FONT_I
	                                                                                                 : FONT_R);
	if (author && next_a && !prev_a && !(n->next->next && n->next->next->tok == MDOC__A))
		return; /* two authors: "A and B" */
	glue(pg, n->next ? "," : ".", FONT_R);
}

static void mdoc_inline(struct page *pg, struct roff_node *n, enum man_font f)
{
	if (n->type == ROFFT_ELEM && n->parent && n->parent->tok == MDOC_Rs) {
		rs_part(pg, n);
		return;
	}
	switch (n->tok) {
	case MDOC_Fl:
		if (!n->child)
			inl_word(&pg->inl, "\\-", FONT_B);
		for (struct roff_node *c = n->child; c; c = c->next) {
			if (c->type == ROFFT_TEXT && !(c->flags & NODE_DELIMC)) {
				char *w = kb_xasprintf("\\-%s", c->string);
				inl_word(&pg->inl, w, FONT_B);
				free(w);
			} else {
				inline_node(pg, c, FONT_B);
			}
		}
		break;
	case MDOC_Nm: /* mandoc's validation gives a bare .Nm the page's name */
		if (n->type == ROFFT_BLOCK && n->sec == SEC_SYNOPSIS)
			para(pg); /* a form of the command: a line of its own */
		if (n->type == ROFFT_BLOCK) {
			children(pg, n->head, FONT_B);
			children(pg, n->body, f);
		} else {
			children(pg, n, n->type == ROFFT_BODY ? f : FONT_B);
		}
		break;
	case MDOC_Ar:
		if (n->child)
			children(pg, n, FONT_I);
		else
			inl_word(&pg->inl, "file ...", FONT_I);
		break;
	case MDOC_Fn: case MDOC_Fo:
		mdoc_function(pg, n);
		break;
	case MDOC_In: /* a header: #include <x.h> on a line of its own in the SYNOPSIS, else <x.h> */
		if (n->sec == SEC_SYNOPSIS) {
			para(pg);
			inl_word(&pg->inl, "#include", FONT_B);
		}
		inl_word(&pg->inl, "<", FONT_R);
		pg->inl.nospace = true;
		children(pg, n, FONT_B);
		glue(pg, ">", FONT_R);
		if (n->sec == SEC_SYNOPSIS)
			para(pg);
		break;
	case MDOC_Fd:
		if (n->sec == SEC_SYNOPSIS)
			para(pg);
		children(pg, n, FONT_B);
		if (n->sec == SEC_SYNOPSIS)
			para(pg);
		break;
	case MDOC_Cm: case MDOC_Ic: case MDOC_Sy: case MDOC_Cd:
		children(pg, n, FONT_B);
		break;
	case MDOC_Ft: /* a function's type begins a prototype in the SYNOPSIS */
		if (n->sec == SEC_SYNOPSIS)
			para(pg);
		children(pg, n, FONT_I);
		break;
	case MDOC_Em: case MDOC_Fa: case MDOC_Pa: case MDOC_Va: case MDOC_Vt: case MDOC__T:
		children(pg, n, FONT_I);
		break;
	case MDOC_Bf: /* .Bf Em|Sy|Li: the font is the head, not text */
		children(pg, n->type == ROFFT_BLOCK ? n->body : n,
		         !n->norm || n->type != ROFFT_BLOCK ? f : n->norm->Bf.font == FONT_Em ? FONT_I
		                                                : n->norm->Bf.font == FONT_Sy ? FONT_B : FONT_R);
		break;
	case MDOC_Xr:
		if (n->child) {
			inline_node(pg, n->child, FONT_B);
			if (n->child->next) {
				glue(pg, "(", FONT_R);
				pg->inl.nospace = true;
				inline_node(pg, n->child->next, FONT_R);
				glue(pg, ")", FONT_R);
			}
		}
		break;
	case MDOC_Op: case MDOC_Oo: mdoc_enclosed(pg, n, "[", "]", f); break;
	case MDOC_Dq: case MDOC_Do: mdoc_enclosed(pg, n, "\\(lq", "\\(rq", f); break;
	case MDOC_Qq: case MDOC_Qo: mdoc_enclosed(pg, n, "\"", "\"", f); break;
	case MDOC_Sq: case MDOC_So: case MDOC_Ql: mdoc_enclosed(pg, n, "\\(oq", "\\(cq", f); break;
	case MDOC_Pq: case MDOC_Po: mdoc_enclosed(pg, n, "(", ")", f); break;
	case MDOC_Bq: case MDOC_Bo: mdoc_enclosed(pg, n, "[", "]", f); break;
	case MDOC_Brq: case MDOC_Bro: mdoc_enclosed(pg, n, "{", "}", f); break;
	case MDOC_Aq: case MDOC_Ao: mdoc_enclosed(pg, n, "<", ">", f); break;
	case MDOC_Ns:
		pg->inl.nospace = true;
		break;
	case MDOC_Tg: /* a tag for mandoc's search ("setb"), not text */
		break;
	case MDOC_Sm:
		pg->spacing_off = n->child && n->child->type == ROFFT_TEXT ? strcmp(n->child->string, "off") == 0
		                                                           : !pg->spacing_off;
		pg->spacing_fresh = pg->spacing_off; /* as mandoc prints it: -L local_socket:host */
		break;
	case MDOC_Ap:
		glue(pg, "'", FONT_R);
		pg->inl.nospace = true;
		break;
	case MDOC_Pf:
		children(pg, n, f);
		pg->inl.nospace = true;
		break;
	case MDOC_Nd:
		inl_word(&pg->inl, "\\-", FONT_R);
		children(pg, n->type == ROFFT_BLOCK ? n->body : n, f);
		break;
	case MDOC_Bx: case MDOC_Ox: case MDOC_Nx: case MDOC_Fx: case MDOC_Dx: case MDOC_Bsx: case MDOC_Ux:
		children(pg, n, f); /* mandoc's validation writes the system's name into the node */
		break;
	default:
		if (n->type == ROFFT_BLOCK) {
			children(pg, n->head, f);
			children(pg, n->body, f);
			children(pg, n->tail, f);
		} else {
			children(pg, n, f);
		}
		break;
	}
}

/* Whether n only sets layout (a roff request such as .ft or .ta, or .PD, .in, .DT, .UC, .AT):
 * its arguments ("P", "0", "168u", "2i") are not text, wherever it stands (in a tag, a
 * display, a macro's expansion). */
static bool layout_only(const struct roff_node *n)
{
	if (n->type == ROFFT_TEXT || n->type == ROFFT_COMMENT || n->type == ROFFT_TBL || n->type == ROFFT_EQN)
		return false;
	return n->tok < ROFF_MAX || n->tok == MAN_PD || n->tok == MAN_in || n->tok == MAN_DT ||
	       n->tok == MAN_UC || n->tok == MAN_AT;
}

static void inline_node(struct page *pg, struct roff_node *n, enum man_font f)
{
	if ((n->flags & NODE_NOPRT) || layout_only(n))
		return;
	switch (n->type) {
	case ROFFT_TEXT:
		if ((n->flags & NODE_DELIMC) || (pg->spacing_off && !pg->spacing_fresh))
			pg->inl.nospace = true;
		pg->spacing_fresh = false;
		inl_word(&pg->inl, n->string, f);
		if (n->flags & NODE_DELIMO)
			pg->inl.nospace = true;
		return;
	case ROFFT_COMMENT: case ROFFT_EQN: case ROFFT_TBL:
		return;
	default:
		break;
	}
	if (pg->meta->macroset == MACROSET_MDOC && n->tok >= MDOC_Dd && n->tok < MDOC_MAX) {
		mdoc_inline(pg, n, f);
		return;
	}
	switch (n->tok) {
	case MAN_B: case MAN_SB: children(pg, n, FONT_B); return;
	case MAN_I: children(pg, n, FONT_I); return;
	case MAN_BI: case MAN_IB: case MAN_BR: case MAN_RB: case MAN_RI: case MAN_IR: {
		int i = 0;
		for (struct roff_node *c = n->child; c; c = c->next, i++) {
			if (i > 0)
				pg->inl.nospace = true;
			inline_node(pg, c, alt_font(n->tok, i));
		}
		return;
	}
	case MAN_OP:
		inl_word(&pg->inl, "[", FONT_R);
		pg->inl.nospace = true;
		children(pg, n, FONT_B);
		glue(pg, "]", FONT_R);
		return;
	default:
		if (n->type == ROFFT_BLOCK) {
			if (n->tok == MAN_IP || n->tok == MAN_HP) /* .IP tag 4: the tag, not its indent */
				inline_node(pg, n->head && n->head->child ? n->head->child : n->head, f);
			else if (n->tok != MAN_RS) /* .RS 4: the indent is not text */
				children(pg, n->head, f);
			children(pg, n->body, f);
		} else {
			children(pg, n, f);
		}
		return;
	}
}

/* A short paragraph right before an .RS is a term the .RS describes (DocBook's .PP+.RS,
 * asciidoctor's .sp+.RS). */
/* A line that ends with a colon ("The options are:", "For example:") leads into the indented
 * block after it; it is no term that block describes. */
static bool term_before_rs(const struct page *pg, const struct roff_node *n)
{
	const struct kb_buf *t = &pg->inl.text;
	size_t end = t->len;
	while (end > 0 && (t->s[end - 1] == ' ' || t->s[end - 1] == '\n'))
		end--;
	return n->next && n->next->tok == MAN_RS && !pg->code && end > 0 && t->len <= 160 && t->s[end - 1] != ':';
}

static void man_block(struct page *pg, struct roff_node *n)
{
	switch (n->tok) {
	case MAN_PP: case MAN_LP: case MAN_P:
		para(pg);
		blocks(pg, n->body);
		/* a short paragraph followed by .RS: a DocBook term and its description */
		pg->term_ready = term_before_rs(pg, n);
		return;
	case MAN_TP: case MAN_TQ: {
		struct roff_node *tag = n->head ? n->head->child : NULL;
		while (tag && tag->line == n->line && tag->type == ROFFT_TEXT)
			tag = tag->next; /* .TP 2m: the indent, not the tag (that is the next line) */
		if (tag)
			item(pg, tag, n->body, n->line);
		else
			blocks(pg, n->body);
		return;
	}
	case MAN_IP: case MAN_HP:
		if (n->head && n->head->child && n->head->child->next && n->head->child->line == n->line &&
		    n->head->child->next->type == ROFFT_TEXT) {
			struct roff_node *width = n->head->child->next; /* .IP tag 4: the indent goes */
			width->flags |= NODE_NOPRT;
		}
		if (n->tok == MAN_IP && n->head && n->head->child)
			item(pg, n->head->child, n->body, n->line);
		else {
			para(pg);
			blocks(pg, n->body);
			para(pg);
		}
		return;
	case MAN_RS:
		if (pg->term_ready && !inl_empty(&pg->inl)) {
			item(pg, NULL, n->body, n->line);
		} else {
			para(pg);
			blocks(pg, n->body);
			para(pg);
		}
		return;
	case MAN_PD: case MAN_in: case MAN_DT: case MAN_UC: case MAN_AT:
		/* paragraph spacing, indent, tab stops, a BSD version for the footer: their
		 * arguments ("0", "168u") are not text */
		return;
	case MAN_SY:
		para(pg);
		children(pg, n->head, FONT_B);
		children(pg, n->body, FONT_R);
		para(pg);
		return;
	default:
		inline_node(pg, n, FONT_R);
		return;
	}
}

/* Whether a row of a column list is a header: every cell in .Sy (tmux's "Token Meaning"). */
static bool column_header(const struct roff_node *it)
{
	bool any = false;
	for (const struct roff_node *c = it->child; c; c = c->next) {
		if (c->type != ROFFT_BODY)
			continue;
		for (const struct roff_node *k = c->child; k; k = k->next) {
			if (k->tok != MDOC_Sy)
				return false;
			any = true;
		}
	}
	return any;
}

/* One row of a column list: each .Ta cell (a body of the .It) as markdown. */
static void column_row(struct page *pg, struct roff_node *it, int cols, struct kb_buf *out)
{
	int k = 0;
	kb_buf_putc(out, '|');
	for (struct roff_node *c = it ? it->child : NULL; c && k < cols; c = c->next) {
		struct page tmp = {.meta = pg->meta};
		struct kb_buf md = {0};
		if (c->type != ROFFT_BODY)
			continue;
		children(&tmp, c, FONT_R);
		inl_flush(&tmp.inl, &md);
		put_cell(out, md.s ? md.s : "", md.len);
		kb_buf_free(&md);
		k++;
	}
	for (; k < cols; k++)
		kb_buf_puts(out, "  |");
	kb_buf_putc(out, '\n');
}

/* An mdoc column list (.Bl -column) as a pipe table, as tbl's are: a first row in .Sy is its
 * header, else the header is empty. */
static void mdoc_columns(struct page *pg, struct roff_node *bl)
{
	struct roff_node *first = NULL;
	int cols = 0;
	struct kb_buf *b;
	for (struct roff_node *it = bl->body ? bl->body->child : NULL; it; it = it->next) {
		int k = 0;
		if (it->tok != MDOC_It)
			continue;
		first = first ? first : it;
		for (struct roff_node *c = it->child; c; c = c->next)
			k += c->type == ROFFT_BODY;
		cols = k > cols ? k : cols;
	}
	if (!first || cols == 0)
		return;
	para(pg);
	code_close(pg);
	b = body(pg);
	column_row(pg, column_header(first) ? first : NULL, cols, b);
	kb_buf_putc(b, '|');
	for (int k = 0; k < cols; k++)
		kb_buf_puts(b, " --- |");
	kb_buf_putc(b, '\n');
	for (struct roff_node *it = column_header(first) ? first->next : first; it; it = it->next)
		if (it->tok == MDOC_It)
			column_row(pg, it, cols, b);
	kb_buf_putc(b, '\n');
}

static void mdoc_list(struct page *pg, struct roff_node *bl)
{
	int number = 0;
	enum mdoc_list type = bl->norm ? bl->norm->Bl.type : LIST_tag;
	if (type == LIST_column) {
		mdoc_columns(pg, bl);
		return;
	}
	para(pg);
	for (struct roff_node *it = bl->body ? bl->body->child : NULL; it; it = it->next) {
		if (it->tok != MDOC_It)
			continue;
		if ((type == LIST_tag || type == LIST_hang || type == LIST_ohang || type == LIST_inset ||
		     type == LIST_diag) && it->head && it->head->child) {
			item(pg, it->head->child, it->body, it->line);
		} else if (type == LIST_enum) {
			char *mark = kb_xasprintf("%d. ", ++number); /* as mandoc numbers them */
			para(pg);
			inl_raw(&pg->inl, mark, strlen(mark), FONT_R);
			free(mark);
			pg->inl.nospace = true;
			blocks(pg, it->body);
			para(pg);
		} else {
			para(pg);
			inl_raw(&pg->inl, "\xe2\x80\xa2 ", 4, FONT_R); /* a bullet: the list's own marks are not kept */
			pg->inl.nospace = true;
			blocks(pg, it->body);
			para(pg);
		}
	}
	para(pg);
}

static void mdoc_block(struct page *pg, struct roff_node *n)
{
	switch (n->tok) {
	case MDOC_Pp: case MDOC_Lp:
		para(pg);
		return;
	case MDOC_Bl:
		mdoc_list(pg, n);
		return;
	case MDOC_Bd:
		para(pg);
		if (n->norm && (n->norm->Bd.type == DISP_literal || n->norm->Bd.type == DISP_unfilled)) {
			for (struct roff_node *c = n->body ? n->body->child : NULL; c; c = c->next)
				code_node(pg, c);
			code_close(pg);
		} else {
			blocks(pg, n->body);
			para(pg);
		}
		return;
	case MDOC_Dl:
		para(pg);
		for (struct roff_node *c = n->body ? n->body->child : NULL; c; c = c->next)
			code_node(pg, c);
		code_close(pg);
		return;
	case MDOC_D1: case MDOC_Rs: /* a display, a reference: paragraphs of their own */
		para(pg);
		blocks(pg, n->body);
		para(pg);
		return;
	default:
		inline_node(pg, n, FONT_R);
		return;
	}
}

static void block(struct page *pg, struct roff_node *n)
{
	bool request = n->type != ROFFT_TEXT && (n->tok < ROFF_MAX || (n->tok > ROFF_MAX && n->tok < MDOC_Dd));
	if (n->flags & NODE_NOPRT)
		return;
	if (n->type == ROFFT_TBL) {
		tbl_node(pg, n);
		return;
	}
	if (n->type == ROFFT_COMMENT || n->type == ROFFT_EQN)
		return;
	if (request && n->tok == ROFF_ce) { /* centred lines (after the count): a paragraph each */
		para(pg);
		for (struct roff_node *c = n->child ? n->child->next : NULL; c; c = c->next) {
			block(pg, c);
			para(pg);
		}
		return;
	}
	if (request && (n->tok == ROFF_sp || n->tok == ROFF_br)) {
		if (pg->code && n->tok == ROFF_sp) /* a blank line of the display */
			code_text(pg, "", 0, true);
		else if (!pg->code)
			para(pg);
		return;
	}
	if (request)
		return; /* other requests change nothing a reader sees here */
	if (pg->code && !(n->flags & NODE_NOFILL))
		code_close(pg);
	if ((n->flags & NODE_NOFILL) && (n->type == ROFFT_TEXT || n->type == ROFFT_ELEM)) {
		code_node(pg, n);
		return;
	}
	if (pg->meta->macroset == MACROSET_MDOC && n->tok >= MDOC_Dd && n->tok < MDOC_MAX &&
	    n->type != ROFFT_TEXT)
		mdoc_block(pg, n);
	else if (n->type == ROFFT_TEXT)
		inline_node(pg, n, FONT_R);
	else
		man_block(pg, n);
}

/* One node of a body; a line of text right before .RS may be the term it describes. */
static void walk_one(struct page *pg, struct roff_node *c)
{
	if (c->tok != MAN_RS)
		pg->term_ready = false;
	block(pg, c);
	if (c->type == ROFFT_TEXT || c->type == ROFFT_ELEM)
		pg->term_ready = term_before_rs(pg, c);
}

static void blocks(struct page *pg, struct roff_node *n)
{
	for (struct roff_node *c = n ? n->child : NULL; c; c = c->next)
		walk_one(pg, c);
}

/* ---- sections ------------------------------------------------------------------------- */

/* The plain text of a node's children. Caller frees. */
static char *plain_of(struct page *pg, struct roff_node *n)
{
	struct page tmp = {.meta = pg->meta, .spacing_off = pg->spacing_off};
	struct kb_buf b = {0};
	children(&tmp, n, FONT_R);
	inl_plain(&tmp.inl, &b);
	return kb_buf_take(&b);
}

/* A heading of the current body: its text as markdown (fontconfig's ".SS <dir prefix=...>"
 * is text, not an HTML tag). */
static void heading(struct page *pg, const char *marks, const char *text)
{
	struct inl w = {0};
	kb_buf_printf(body(pg), "%s ", marks);
	inl_raw(&w, text, strlen(text), FONT_R);
	inl_flush(&w, body(pg));
	kb_buf_puts(body(pg), "\n\n");
}

/* Section headings of translated pages, and the English heading each stands for: anchors
 * and the sections that make the head or symptoms are found by it. */
static const struct {
	const char *english, *names;
} headings[] = {
	{"NAME", "|名称|名稱|名前|NOM|NOMBRE|NOME|NAAM|NAZWA|ИМЯ|НАЗВАНИЕ|"},
	{"SYNOPSIS", "|概述|大纲|摘要|概要|書式|总览|總覽|语法|ÜBERSICHT|SYNTAX|SYNOPSIS|SINOPSIS|SKŁADNIA|"
	             "СИНТАКСИС|ОБЗОР|"},
	{"DESCRIPTION", "|描述|说明|說明|説明|BESCHREIBUNG|DESCRIPCIÓN|DESCRIÇÃO|BESCHRIJVING|OPIS|ОПИСАНИЕ|"},
	{"OPTIONS", "|选项|選項|オプション|OPTIONEN|OPCIONES|OPÇÕES|OPCJE|ОПЦИИ|ПАРАМЕТРЫ|"},
	{"ERRORS", "|错误|錯誤|エラー|FEHLER|ERREURS|ERRORES|ERROS|BŁĘDY|ОШИБКИ|"},
	{"EXIT STATUS", "|退出状态|返回值|終了ステータス|EXIT-STATUS|RÜCKGABEWERT|CODE DE RETOUR|"
	                "ESTADO DE SALIDA|КОД ЗАВЕРШЕНИЯ|"},
	{"DIAGNOSTICS", "|诊断|診断|DIAGNOSE|DIAGNOSTIC|DIAGNÓSTICOS|ДИАГНОСТИКА|"},
};

/* The English heading title stands for (itself when it is one), or NULL. */
static const char *canonical_heading(const char *title)
{
	char *bar = kb_xasprintf("|%s|", title);
	const char *found = NULL;
	for (size_t i = 0; !found && i < KB_NELEM(headings); i++)
		if (kb_ascii_strcaseeq(title, headings[i].english) || strstr(headings[i].names, bar))
			found = headings[i].english;
	free(bar);
	return found;
}

static bool is_symptom_section(const char *canon, enum roff_sec sec)
{
	return sec == SEC_ERRORS || sec == SEC_DIAGNOSTICS || sec == SEC_EXIT_STATUS ||
	       (canon && (strcmp(canon, "ERRORS") == 0 || strcmp(canon, "DIAGNOSTICS") == 0 ||
	                  strcmp(canon, "EXIT STATUS") == 0));
}

/* The body of a section of the page's head (NAME, SYNOPSIS): its subsections are headings in
 * it, its items (.TP forms of a command, pod2man's list of modules) no entries of their own. */
static void head_blocks(struct page *pg, struct roff_node *sh)
{
	pg->item_depth++;
	for (struct roff_node *c = sh->body ? sh->body->child : NULL; c; c = c->next) {
		if (c->tok == MAN_SS || c->tok == MDOC_Ss) {
			char *ss = plain_of(pg, c->head);
			para(pg);
			code_close(pg);
			heading(pg, "###", ss);
			blocks(pg, c->body);
			free(ss);
		} else {
			walk_one(pg, c);
		}
	}
	pg->item_depth--;
	para(pg);
	code_close(pg);
}

/* The plain text of NAME's first paragraph: what follows it (pod2man's "This text also
 * documents...", rst2man's table of contents) is no part of the names and description. */
static char *name_text(struct page *pg, struct roff_node *body)
{
	struct page tmp = {.meta = pg->meta};
	struct kb_buf b = {0};
	for (struct roff_node *c = body ? body->child : NULL; c; c = c->next) {
		if (c->type != ROFFT_TEXT && (c->tok == ROFF_sp || c->tok == ROFF_br || c->tok == MAN_PP ||
		                              c->tok == MAN_LP || c->tok == MAN_P || c->tok == MAN_IP ||
		                              c->tok == MAN_TP || c->tok == MAN_TQ || c->tok == MAN_HP ||
		                              c->tok == MAN_RS || c->tok == MAN_SS || c->tok == MDOC_Pp ||
		                              c->tok == MDOC_Bl || c->tok == MDOC_Bd || c->tok == MDOC_Ss))
			break;
		inline_node(&tmp, c, FONT_R);
	}
	inl_plain(&tmp.inl, &b);
	return kb_buf_take(&b);
}

/* NAME: "ls, dir \- list directory contents": the names become the head's keywords, the
 * description its title. */
static void name_section(struct page *pg, struct roff_node *sh)
{
	struct kb_entry *e = &pg->out->v[pg->first];
	char *text = name_text(pg, sh->body), *dash = strstr(text, " - ");
	char *save = NULL;
	if (dash)
		*dash = '\0';
	for (char *t = strtok_r(text, ",", &save); t && e->tags.n < MAX_KEYWORDS; t = strtok_r(NULL, ",", &save)) {
		size_t n;
		t += strspn(t, " ");
		n = strlen(t);
		while (n && t[n - 1] == ' ')
			t[--n] = '\0';
		if (n)
			kb_strv_add_unique(&e->tags, t);
	}
	if (dash && dash[3]) {
		char *title = kb_xasprintf("%s - %s", e->title, dash + 3);
		free(e->title);
		e->title = title;
	}
	free(text);
	head_blocks(pg, sh);
}

static void section(struct page *pg, struct roff_node *sh)
{
	char *title = plain_of(pg, sh->head);
	const char *canon = canonical_heading(title);
	pg->sh_index++;
	if (pg->sh_index == 1 || sh->sec == SEC_NAME) {
		name_section(pg, sh);
	} else if (sh->sec == SEC_SYNOPSIS || (canon && strcmp(canon, "SYNOPSIS") == 0 && pg->sh_index == 2)) {
		/* a translated heading ("SYNTAX") is the synopsis only where one stands, after
		 * NAME: cmake-language(7)'s SYNTAX is a section of its own */
		heading(pg, "##", title);
		head_blocks(pg, sh);
	} else {
		free(pg->sh);
		pg->sh = kb_xstrdup(title);
		pg->symptoms = is_symptom_section(canon, sh->sec);
		pg->cur = new_entry(pg, canon ? canon : title, title, NULL, sh->line);
		heading(pg, "##", title);
		for (struct roff_node *c = sh->body ? sh->body->child : NULL; c; c = c->next) {
			if (c->tok == MAN_SS || c->tok == MDOC_Ss) {
				char *ss = plain_of(pg, c->head);
				para(pg);
				code_close(pg);
				pg->cur = new_entry(pg, ss, ss, pg->sh, c->line);
				heading(pg, "###", ss);
				blocks(pg, c->body);
				free(ss);
			} else {
				walk_one(pg, c);
			}
		}
		para(pg);
		code_close(pg);
		pg->cur = pg->first;
	}
	free(title);
}

/* ---- the page ------------------------------------------------------------------------- */

/* The page's bodies into its entries, each with the page's name as its document title. */
static void finish(struct page *pg)
{
	const char *name = strncmp(pg->id, "man:", 4) == 0 ? pg->id + 4 : pg->id;
	for (size_t i = pg->first; i < pg->out->n; i++) {
		struct kb_entry *e = &pg->out->v[i];
		struct kb_buf *b = &pg->bodies[i - pg->first];
		while (b->len && b->s[b->len - 1] == '\n')
			b->len--;
		kb_buf_putc(b, '\n');
		e->body_len = b->len;
		e->body = kb_buf_take(b);
		e->doc_title = kb_xstrdup(name);
		if (i + 1 < pg->out->n && pg->out->v[i + 1].line > e->line)
			e->end_line = pg->out->v[i + 1].line - 1;
	}
	free(pg->bodies);
	free(pg->sh);
	inl_free(&pg->inl);
	kb_strmap_free(&pg->refs);
}

static void walk_page(struct page *pg)
{
	const char *name = strncmp(pg->id, "man:", 4) == 0 ? pg->id + 4 : pg->id;
	const char *slash = strrchr(name, '/'); /* man:zh_CN/ls(1): the language is not the name */
	pg->cur = new_entry(pg, "", slash ? slash + 1 : name, NULL, 1);
	for (struct roff_node *n = pg->meta->first ? pg->meta->first->child : NULL; n; n = n->next)
		if ((n->tok == MAN_SH || n->tok == MDOC_Sh) && n->type == ROFFT_BLOCK)
			section(pg, n);
	para(pg);
	code_close(pg);
	finish(pg);
}

/* A copy of the page with its .so requests made comments: mandoc would open the file named,
 * and nothing outside the page gets in (kb build resolves .so stubs itself). */
static char *without_so(const char *data, size_t len, size_t *out_len)
{
	struct kb_buf b = {0};
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (data + i)) + 1 : len - i, k = 1;
		const char *l = data + i;
		if (n > 1 && (l[0] == '.' || l[0] == '\'')) {
			while (k < n && (l[k] == ' ' || l[k] == '\t'))
				k++;
			/* a .so ending the page is a stub: mandoc only notes its target (anything after
			 * it, even a blank line, and mandoc would open the file) */
			if (k + 2 <= n && l[k] == 's' && l[k + 1] == 'o' &&
			    (k + 2 == n || l[k + 2] == ' ' || l[k + 2] == '\t' || l[k + 2] == '\n') &&
			    i + n < len) {
				/* what mandoc prints for a file it does not read (zshall(1)'s parts), on
				 * the request's one line: the lines after it keep their numbers */
				size_t a = k + 2 + strspn(l + k + 2, " \t"), z = n;
				while (z > a && (l[z - 1] == '\n' || l[z - 1] == ' ' || l[z - 1] == '\t'))
					z--;
				kb_buf_printf(&b, "See the file %.*s.\n", (int)(z - a), l + a);
				i += n;
				continue;
			}
		}
		kb_buf_put(&b, l, n);
		i += n;
	}
	*out_len = b.len;
	return kb_buf_take(&b);
}

/* mandoc's messages ("kb: FILE:LINE:COL: WARNING: text") to diagnostics: the first few
 * kept, the rest counted in one more. */
static void roff_diags(const char *id, const char *msgs, size_t len, struct kb_diags *diags)
{
	size_t kept = 0, more = 0;
	for (size_t i = 0; i < len;) {
		const char *l = msgs + i, *nl = memchr(l, '\n', len - i), *lev;
		size_t n = nl ? (size_t)(nl - l) : len - i;
		char *line = kb_xstrndup(l, n);
		int ln = 0, col = 0;
		i += n + 1;
		lev = strstr(line, ": WARNING: ");
		if (!lev)
			lev = strstr(line, ": ERROR: ");
		if (!lev)
			lev = strstr(line, ": UNSUPP: ");
		if (lev) {
			const char *p = lev;
			while (p > line && (p[-1] == ':' || (p[-1] >= '0' && p[-1] <= '9')))
				p--;
			while (*p == ':')
				p++;
			if (sscanf(p, "%d:%d", &ln, &col) != 2)
				ln = col = 0;
			if (kept < MAX_ROFF_DIAGS)
				kb_diag_addf(diags, KB_D_MANDOC, id, ln, col, "%s", lev + 2), kept++;
			else
				more++;
		}
		free(line);
	}
	if (more)
		kb_diag_addf(diags, KB_D_MANDOC_MORE, id, 0, 0, "%zu", more);
}

static pthread_mutex_t parser_mu = PTHREAD_MUTEX_INITIALIZER;
static struct mparse *parser; /* mandoc's parser keeps global state: one page at a time */

/* Parses src (len bytes, already in fd) and walks the tree under parser_mu. */
static void parse_walk(struct page *pg, int fd, char **msgs, size_t *msglen)
{
	FILE *mf;
	pthread_mutex_lock(&parser_mu);
	if (!parser) {
		mchars_alloc();
		parser = mparse_alloc(MPARSE_UTF8 | MPARSE_LATIN1 | MPARSE_VALIDATE, MANDOC_OS_OTHER, NULL);
	}
	mf = open_memstream(msgs, msglen);
	mandoc_msg_setoutfile(mf);
	mandoc_msg_setmin(MANDOCERR_WARNING);
	mparse_readfd(parser, fd, pg->id);
	pg->meta = mparse_result(parser);
	if (!pg->meta->sodest)
		walk_page(pg);
	mparse_reset(parser);
	mandoc_msg_setoutfile(NULL);
	mandoc_msg_setinfilename(NULL);
	pthread_mutex_unlock(&parser_mu);
	if (mf)
		fclose(mf);
}

int kb_compile_man(const char *id, const char *data, size_t len, const struct kb_components *comps,
                   struct kb_entries *out, struct kb_diags *diags)
{
	struct page pg = {.id = id, .out = out, .first = out->n};
	size_t srclen, done = 0;
	char *src, *msgs = NULL;
	size_t msglen = 0;
	int fd;
	(void)comps; /* components are the team's words for the notes */
	if (len > KB_COMPILE_MAX_BYTES) {
		kb_diag_add(diags, KB_D_TOO_BIG, id, 0, 0);
		return -1;
	}
	if (memchr(data, '\0', len)) {
		kb_diag_add(diags, KB_D_BINARY, id, 0, 0);
		return -1;
	}
	src = without_so(data, len, &srclen);
	fd = memfd_create("kb-man", MFD_CLOEXEC);
	while (fd >= 0 && done < srclen) {
		ssize_t w = write(fd, src + done, srclen - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	free(src);
	if (fd < 0 || done < srclen || lseek(fd, 0, SEEK_SET) != 0) {
		kb_diag_addf(diags, KB_D_UNREADABLE, id, 0, 0, "%s", "cannot hand the page to mandoc");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	parse_walk(&pg, fd, &msgs, &msglen);
	close(fd);
	roff_diags(id, msgs, msglen, diags);
	free(msgs);
	return (int)(out->n - pg.first);
}
