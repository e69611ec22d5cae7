/* compile_man_text.c - roff words to kb's markdown: escapes resolved through mandoc's own
 * escape parser and character table, fonts kept as emphasis, markdown's specials escaped. */
#include <stdlib.h>
#include <string.h>

#include "compile_man_priv.h"

/* Special characters a reader types in ASCII: searching for `--force` must find `\-\-force`. */
static const struct {
	const char *name, *ascii;
} ascii_specials[] = {
	{"-", "-"}, {"mi", "-"}, {"hy", "-"}, {"en", "-"}, {"aq", "'"}, {"dq", "\""}, {"ti", "~"},
	{"ha", "^"}, {"rs", "\\"}, {"e", "\\"}, {"cq", "'"}, {"oq", "'"}, {"lq", "\""}, {"rq", "\""},
	{"ga", "`"}, {"at", "@"}, {"sl", "/"}, {"ba", "|"}, {"or", "|"}, {"Lq", "\""}, {"Rq", "\""},
};

static void put_utf8(struct kb_buf *b, int cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
		return; /* nothing from a page reaches the terminal raw */
	if (cp < 0x80) {
		kb_buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		kb_buf_putc(b, (char)(0xc0 | (cp >> 6)));
		kb_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		kb_buf_putc(b, (char)(0xe0 | (cp >> 12)));
		kb_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		kb_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		kb_buf_putc(b, (char)(0xf0 | (cp >> 18)));
		kb_buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		kb_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		kb_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

static void put_special(struct kb_buf *b, const char *seq, int sz)
{
	int cp;
	for (size_t i = 0; i < KB_NELEM(ascii_specials); i++)
		if (strlen(ascii_specials[i].name) == (size_t)sz && memcmp(seq, ascii_specials[i].name, (size_t)sz) == 0) {
			kb_buf_puts(b, ascii_specials[i].ascii);
			return;
		}
	if ((cp = mchars_spec2cp(seq, (size_t)sz)) > 0)
		put_utf8(b, cp);
}

/* Plain bytes of a word: mandoc's in-band marks become what they stand for. */
static void put_bytes(struct kb_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ASCII_NBRSP || c == '\t')
			kb_buf_putc(b, ' ');
		else if (c == ASCII_HYPH)
			kb_buf_putc(b, '-');
		else if (c >= 0x20 && c != 0x7f)
			kb_buf_putc(b, (char)c);
	}
}

/* Resolves the word's escapes into b; font escapes call font(ctx, esc). */
static void decode(const char *word, struct kb_buf *b, void (*font)(void *, enum mandoc_esc), void *ctx)
{
	const char *seq;
	int sz, uc;
	while (*word) {
		size_t n = strcspn(word, "\\");
		put_bytes(b, word, n);
		word += n;
		if (!*word)
			break;
		word++;
		enum mandoc_esc esc = mandoc_escape(&word, &seq, &sz);
		switch (esc) {
		case ESCAPE_ERROR: /* as mandoc prints it: the escape goes, the word goes on
		                    * (pandoc's \f[C] and \f[V] are no fonts mandoc knows) */
			break;
		case ESCAPE_UNICODE:
			put_utf8(b, mchars_num2uc(seq + 1, (size_t)sz - 1));
			break;
		case ESCAPE_NUMBERED:
			if ((uc = mchars_num2char(seq, (size_t)sz)) > 0)
				put_utf8(b, uc);
			break;
		case ESCAPE_SPECIAL:
			put_special(b, seq, sz);
			break;
		case ESCAPE_UNDEF: /* \x is x; \<tab> a tab, which mandoc prints as space */
			put_utf8(b, *seq == '\t' ? ' ' : (unsigned char)*seq);
			break;
		case ESCAPE_FONT: case ESCAPE_FONTBOLD: case ESCAPE_FONTITALIC: case ESCAPE_FONTBI:
		case ESCAPE_FONTROMAN: case ESCAPE_FONTCR: case ESCAPE_FONTCB: case ESCAPE_FONTCI:
		case ESCAPE_FONTPREV: case ESCAPE_NOSPACE:
			if (font)
				font(ctx, esc);
			break;
		case ESCAPE_SKIPCHAR:
			if (*word)
				word++;
			break;
		default:
			break;
		}
	}
}

void man_plain_word(const char *word, struct kb_buf *out)
{
	decode(word, out, NULL, NULL);
}

bool inl_empty(const struct inl *w)
{
	return w->text.len == 0;
}

void inl_raw(struct inl *w, const char *s, size_t n, enum man_font f)
{
	if (!n)
		return;
	if (!w->nruns || w->runs[w->nruns - 1].font != f) {
		kb_xgrow(&w->runs, &w->cap, w->nruns + 1, sizeof *w->runs);
		w->runs[w->nruns].start = w->text.len;
		w->runs[w->nruns].len = 0;
		w->runs[w->nruns++].font = f;
	}
	kb_buf_put(&w->text, s, n);
	w->runs[w->nruns - 1].len += n;
}

struct word_ctx {
	struct inl *w;
	struct kb_buf piece;
	enum man_font f;
};

/* A font escape: the text so far goes out in the old font. */
static void on_font(void *ctx, enum mandoc_esc esc)
{
	struct word_ctx *c = ctx;
	enum man_font nf = c->f;
	if (esc == ESCAPE_NOSPACE) {
		c->w->nospace = true;
		return;
	}
	inl_raw(c->w, c->piece.s, c->piece.len, c->f);
	kb_buf_reset(&c->piece);
	switch (esc) {
	case ESCAPE_FONTBOLD: case ESCAPE_FONTCB: nf = FONT_B; break;
	case ESCAPE_FONTITALIC: case ESCAPE_FONTCI: nf = FONT_I; break;
	case ESCAPE_FONTBI: nf = FONT_BI; break;
	case ESCAPE_FONTPREV: nf = c->w->prev_font; break;
	default: nf = FONT_R; break;
	}
	c->w->prev_font = c->f;
	c->f = c->w->font = nf;
}

void inl_word(struct inl *w, const char *word, enum man_font f)
{
	struct word_ctx c = {.w = w, .f = f == FONT_R ? w->font : f};
	enum man_font saved = w->font;
	if (w->space && !w->nospace && !inl_empty(w))
		inl_raw(w, " ", 1, FONT_R);
	w->nospace = false;
	decode(word, &c.piece, on_font, &c);
	inl_raw(w, c.piece.s, c.piece.len, c.f);
	kb_buf_free(&c.piece);
	if (f != FONT_R)
		w->font = saved; /* a font macro's font, and what escapes did inside it, end with it */
	w->space = true;
}

/* Markdown's specials in text: backslash-escaped where they would mean something. */
static void put_escaped(struct kb_buf *out, const char *s, size_t n, bool line_start)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool alnum_l = i > 0 && kb_ascii_isalnum((unsigned char)s[i - 1]);
		bool alnum_r = i + 1 < n && kb_ascii_isalnum((unsigned char)s[i + 1]);
		if (strchr("\\`*[]<>|", c) || (c == '_' && !(alnum_l && alnum_r)) ||
		    (line_start && i == 0 && strchr("#+=>~-", c) && (c != '-' || n == 1 || s[1] == ' ' || s[1] == '-')) ||
		    (c == '&' && i + 1 < n && kb_ascii_isalnum((unsigned char)s[i + 1])))
			kb_buf_putc(out, '\\');
		else if (line_start && i > 0 && (c == '.' || c == ')') && strspn(s, "0123456789") == i)
			kb_buf_putc(out, '\\');
		kb_buf_putc(out, c);
	}
}

/* The spaces around a run's text: *lead bytes before it, its text ending at *end; *nbsp when
 * one of them is a \  (kept as it is: emphasis neither starts nor ends with a space). */
static void run_bounds(const char *s, size_t n, size_t *lead, size_t *end, bool *nbsp)
{
	*lead = 0;
	*nbsp = false;
	for (;;) {
		if (*lead < n && s[*lead] == ' ')
			(*lead)++;
		else if (*lead + 1 < n && memcmp(s + *lead, "\xc2\xa0", 2) == 0)
			*lead += 2, *nbsp = true;
		else
			break;
	}
	for (;;) {
		if (n > *lead && s[n - 1] == ' ')
			n--;
		else if (n > *lead + 1 && memcmp(s + n - 2, "\xc2\xa0", 2) == 0)
			n -= 2, *nbsp = true;
		else
			break;
	}
	*end = n;
}

static bool is_punct(char c)
{
	return c > ' ' && c < 0x7f && !kb_ascii_isalnum((unsigned char)c);
}

/* Whether c, next to a mark of emphasis, makes the mark part of a word. */
static bool wordish(char c)
{
	return c && c != ' ' && !is_punct(c);
}

/* One run of text t (n bytes) in marks m. Emphasis that begins or ends with punctuation
 * right against a word ("\fINO_\fPBAD_PATTERN") is no emphasis to cmark and shows its marks:
 * that punctuation goes outside the marks. Returns whether out ends with the marks. */
static bool put_run(struct kb_buf *out, const char *t, size_t n, const char *m, bool start, bool word_before,
                    bool word_after)
{
	size_t a = 0, z = n;
	while (*m && word_before && a < z && is_punct(t[a]))
		a++;
	while (*m && word_after && z > a && is_punct(t[z - 1]))
		z--;
	put_escaped(out, t, a, start);
	if (z > a) {
		kb_buf_puts(out, m);
		put_escaped(out, t + a, z - a, start && !a && !*m);
		kb_buf_puts(out, m);
	}
	put_escaped(out, t + z, n - z, false);
	return *m && z > a && z == n;
}

void inl_flush(struct inl *w, struct kb_buf *out)
{
	/* Two runs in emphasis with nothing between ("\fBINT\fIN\fB_MIN") take marks of
	 * alternate characters: "**INT***N***" would be one run of delimiters to cmark, and
	 * the marks would show ("**INT**_N_**\_MIN**" is three runs of emphasis). */
	static const char *const stars[] = {"", "**", "*", "***"}, *const lines[] = {"", "__", "_", "___"};
	bool start = true;
	char last = 0; /* the mark character out ends with, when it ends a run of emphasis */
	for (size_t i = 0; i < w->nruns; i++) {
		const char *s = w->text.s + w->runs[i].start;
		size_t lead, n;
		bool nbsp;
		run_bounds(s, w->runs[i].len, &lead, &n, &nbsp);
		if (!start && lead) {
			kb_buf_put(out, s, lead);
			last = 0;
		}
		if (n > lead) {
			const char *m = (last == '*' ? lines : stars)[w->runs[i].font];
			bool before = !start && !lead && out->len && wordish(out->s[out->len - 1]);
			bool after = n == w->runs[i].len && i + 1 < w->nruns && w->runs[i + 1].font == FONT_R &&
			             wordish(w->text.s[w->runs[i + 1].start]);
			last = put_run(out, s + lead, n - lead, m, start, before, after) ? *m : 0;
			start = false;
		}
		if (n > lead && w->runs[i].len > n) {
			kb_buf_put(out, s + n, nbsp ? w->runs[i].len - n : 1);
			last = 0;
		}
	}
	inl_free(w);
}

void inl_plain(struct inl *w, struct kb_buf *out)
{
	size_t from = 0, to = w->text.len;
	while (from < to && w->text.s[from] == ' ')
		from++;
	while (to > from && w->text.s[to - 1] == ' ')
		to--;
	kb_buf_put(out, w->text.s + from, to - from);
	inl_free(w);
}

void inl_free(struct inl *w)
{
	kb_buf_free(&w->text);
	free(w->runs);
	memset(w, 0, sizeof *w);
}
