/* render_line.c - paragraphs as unbreakable units, line breaking by display columns (CJK and kinsoku aware), and building display lines. */
#include "render_impl.h"

#include <stdlib.h>
#include <string.h>

#include "kb/width.h"

/* ---- Character classes for line breaking ------------------------------------------- */

/* Never starts a line: closing brackets and quotes, CJK and Latin stops, small kana... */
static bool is_close(uint32_t cp)
{
	static const uint32_t cjk[] = {
		0x00BB, 0x2019, 0x201D, 0x2026, 0x203C, 0x2047, 0x2048, 0x2049, 0x3001, 0x3002,
		0x3005, 0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3017, 0x3019, 0x301B,
		0x301E, 0x301F, 0x303B, 0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083,
		0x3085, 0x3087, 0x308E, 0x3095, 0x3096, 0x309D, 0x309E, 0x30A1, 0x30A3, 0x30A5,
		0x30A7, 0x30A9, 0x30C3, 0x30E3, 0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6, 0x30FB,
		0x30FC, 0x30FD, 0x30FE, 0xFF01, 0xFF09, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F,
		0xFF3D, 0xFF5D, 0xFF60, 0xFF61, 0xFF63, 0xFF64, 0xFF65,
	};
	if (cp < 0x80)
		return cp && strchr(")]},.;:!?%", (int)cp) != NULL;
	if (cp >= 0x31F0 && cp <= 0x31FF) /* small katakana extensions */
		return true;
	size_t lo = 0, hi = KB_NELEM(cjk);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cjk[mid] == cp)
			return true;
		if (cjk[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Never ends a line: opening brackets and quotes. */
static bool is_open(uint32_t cp)
{
	static const uint32_t cjk[] = {
		0x00AB, 0x2018, 0x201C, 0x3008, 0x300A, 0x300C, 0x300E, 0x3010, 0x3014, 0x3016,
		0x3018, 0x301A, 0x301D, 0xFF08, 0xFF3B, 0xFF5B, 0xFF5F, 0xFF62,
	};
	if (cp < 0x80)
		return cp && strchr("([{", (int)cp) != NULL;
	for (size_t i = 0; i < KB_NELEM(cjk); i++)
		if (cjk[i] == cp)
			return true;
	return false;
}

static bool is_hangul(uint32_t cp)
{
	return (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF) ||
	       (cp >= 0x3130 && cp <= 0x318F);
}

/* Scripts written without spaces: a soft line break between two of these joins them. */
static bool joins_without_space(uint32_t cp)
{
	return (kb_width_is_cjk(cp) && !is_hangul(cp)) || kb_width_is_cjk_punct(cp);
}

static unsigned char char_flags(uint32_t cp, int width)
{
	unsigned char f = 0;
	if (is_close(cp))
		f |= KB_RU_CLOSE;
	if (is_open(cp))
		f |= KB_RU_OPEN;
	if (width == 2 || kb_width_is_cjk(cp) || kb_width_is_cjk_punct(cp))
		f |= KB_RU_CJK;
	return f;
}

/* ---- Collecting units ---------------------------------------------------------------- */

void kb_para_reset(struct kb_para *p, unsigned char base_style)
{
	kb_buf_reset(&p->text);
	p->n = 0;
	p->col = 0;
	p->soft = false;
	p->base = base_style;
	p->next_flags = 0;
}

void kb_para_free(struct kb_para *p)
{
	kb_buf_free(&p->text);
	free(p->u);
	memset(p, 0, sizeof *p);
}

static struct kb_ru *push_unit(struct kb_para *p, const char *s, size_t len, uint32_t cp,
                               int width, const struct kb_ustyle *st, unsigned char flags)
{
	kb_xgrow(&p->u, &p->cap, p->n + 1, sizeof *p->u);
	struct kb_ru *u = &p->u[p->n++];
	*u = (struct kb_ru){
		.off = (uint32_t)p->text.len, .len = (uint32_t)len, .cp = cp, .src = st->src,
		.link = st->link, .width = (unsigned char)width, .style = st->style,
		.attr = st->attr, .flags = (unsigned char)(flags | p->next_flags),
	};
	p->next_flags = 0;
	kb_buf_put(&p->text, s, len);
	p->col += width;
	return u;
}

/* A pending soft break becomes a space unless both sides are CJK (then nothing). */
static void settle_soft(struct kb_para *p, uint32_t next, const struct kb_ustyle *st)
{
	if (!p->soft)
		return;
	p->soft = false;
	if (p->n == 0)
		return;
	const struct kb_ru *prev = &p->u[p->n - 1];
	if (prev->flags & (KB_RU_SPACE | KB_RU_HARD))
		return;
	if (joins_without_space(prev->cp) && joins_without_space(next))
		return;
	struct kb_ustyle sp = {
		.style = prev->style == st->style ? st->style : p->base,
		.attr = prev->attr & st->attr,
		.link = prev->link == st->link ? st->link : -1,
		.src = prev->src,
	};
	push_unit(p, " ", 1, ' ', 1, &sp, KB_RU_SPACE);
}

static void add_space(struct kb_para *p, uint32_t cp, const struct kb_ustyle *st, unsigned mode)
{
	p->soft = false;
	if ((mode & KB_PA_COLLAPSE) && p->n > 0 && (p->u[p->n - 1].flags & KB_RU_SPACE))
		return;
	if (cp == '\t' && (mode & KB_PA_CODE)) {
		static const char spaces[KB_TAB] = "        ";
		int n = KB_TAB - p->col % KB_TAB;
		push_unit(p, spaces, (size_t)n, ' ', n, st, KB_RU_SPACE);
		return;
	}
	push_unit(p, " ", 1, ' ', 1, st, KB_RU_SPACE);
}

/* A control character, bidi control or malformed byte (escape true), or a character a
 * terminal that is not UTF-8 cannot be sent (kb_sanitize_ascii): its visible form, one unit
 * a byte, in the escape style for the first. */
static void add_escape(struct kb_para *p, const char *s, size_t len, const struct kb_ustyle *st, bool escape)
{
	struct kb_buf v = {0};
	struct kb_ustyle es = *st;
	if (escape)
		es.style = KB_STYLE_ESCAPE;
	kb_sanitize(&v, s, len, false);
	settle_soft(p, (unsigned char)v.s[0], st);
	for (size_t i = 0; i < v.len; i++)
		push_unit(p, v.s + i, 1, (unsigned char)v.s[i], 1, &es,
		          KB_RU_ESC | (i ? KB_RU_GLUE : 0));
	kb_buf_free(&v);
}

static void add_char(struct kb_para *p, const char *s, size_t len, uint32_t cp, int width,
                     const struct kb_ustyle *st)
{
	if (width == 0 && p->n > 0 && !p->soft &&
	    !(p->u[p->n - 1].flags & (KB_RU_SPACE | KB_RU_HARD | KB_RU_ESC))) {
		/* A combining mark or other zero-width character stays with its base. */
		p->u[p->n - 1].len += (uint32_t)len;
		kb_buf_put(&p->text, s, len);
		return;
	}
	settle_soft(p, cp, st);
	push_unit(p, s, len, cp, width, st, char_flags(cp, width));
}

void kb_para_add(struct kb_para *p, const char *s, size_t n, const struct kb_ustyle *st,
                 unsigned mode)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		int len = 1;
		if ((unsigned char)s[i] < 0x80)
			cp = (unsigned char)s[i];
		else
			len = kb_utf8_decode(s + i, n - i, &cp);
		if (cp == ' ' || cp == '\t' || cp == '\n' || (cp == '\r' && !(mode & KB_PA_CODE))) {
			add_space(p, cp, st, mode);
		} else {
			int w = kb_width_cp(cp);
			if (w < 0 || (cp >= 0x80 && kb_sanitize_is_ascii()))
				add_escape(p, s + i, (size_t)len, st, w < 0);
			else
				add_char(p, s + i, (size_t)len, cp, w, st);
		}
		i += (size_t)len;
	}
}

void kb_para_cut(struct kb_para *p, size_t from, size_t to)
{
	memmove(&p->u[from], &p->u[to], (p->n - to) * sizeof *p->u);
	p->n -= to - from;
}

void kb_para_soft(struct kb_para *p)
{
	p->soft = true;
}

void kb_para_hard(struct kb_para *p, int src)
{
	struct kb_ustyle st = {.style = p->base, .link = -1, .src = src};
	p->soft = false;
	p->next_flags = 0;
	push_unit(p, "\n", 1, '\n', 0, &st, KB_RU_HARD);
	p->col = 0;
}

/* Index of the unit holding byte off of the text. */
static size_t unit_at(const struct kb_para *p, size_t off)
{
	size_t lo = 0, hi = p->n;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (p->u[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

void kb_para_highlight(struct kb_para *p, const char *const *words)
{
	if (!words || p->n == 0)
		return;
	for (; *words; words++) {
		size_t wl = strlen(*words);
		if (wl == 0)
			continue;
		const char *t = p->text.s, *at;
		size_t pos = 0;
		while ((at = kb_memcasemem(t + pos, p->text.len - pos, *words)) != NULL) {
			size_t start = (size_t)(at - t), end = start + wl;
			for (size_t k = unit_at(p, start); k < p->n && p->u[k].off < end; k++)
				if (!(p->u[k].flags & KB_RU_HARD))
					p->u[k].attr |= KB_ATTR_MATCH;
			pos = start + 1;
		}
	}
}

/* ---- Line breaking ------------------------------------------------------------------- */

/* May a line break between units a and b (neither a space)? */
static bool can_break(const struct kb_ru *a, const struct kb_ru *b)
{
	if ((b->flags & (KB_RU_GLUE | KB_RU_CLOSE)) || (a->flags & KB_RU_OPEN))
		return false;
	return ((a->flags | b->flags) & KB_RU_CJK) != 0;
}

/* Characters after which a word too long for a line breaks best: paths, URLs, names. */
static bool breaks_after(const struct kb_ru *u)
{
	return u->cp < 0x80 && u->cp && !(u->flags & KB_RU_ESC) &&
	       strchr("/-_.,;:&?=+>|\\", (int)u->cp) != NULL;
}

static bool keeps_together(const struct kb_para *p, size_t k)
{
	return (p->u[k].flags & (KB_RU_CLOSE | KB_RU_GLUE)) || (p->u[k - 1].flags & KB_RU_OPEN);
}

/* Breaking inside a word that does not fit, before unit i and after unit lo: after a '/',
 * '-' and the like in the last two thirds of the line if there is one; else as late as
 * possible, keeping closing punctuation and glued units off the start of the next line where
 * that can be done. Returns where the line ends, in (lo, i]. */
static size_t emergency_cut(const struct kb_para *p, size_t start, size_t lo, size_t i)
{
	size_t floor = start + (i - start) / 3 > lo + 1 ? start + (i - start) / 3 : lo + 1;
	for (size_t k = i; k > floor; k--)
		if (breaks_after(&p->u[k - 1]) && !keeps_together(p, k))
			return k;
	size_t k = i;
	while (k > lo + 1 && keeps_together(p, k))
		k--;
	if (k == lo + 1 && keeps_together(p, k))
		k = i;
	return k > lo ? k : lo + 1;
}

/* Whether the word at unit w (up to the next place a line may break) is wider than avail;
 * *open is set when that took every unit up to n (units added later could change it). */
static bool word_wider(const struct kb_para *p, size_t w, size_t n, int avail, bool *open)
{
	int width = 0;
	size_t k;
	for (k = w; k < n && width <= avail; k++) {
		if ((p->u[k].flags & (KB_RU_SPACE | KB_RU_HARD)) ||
		    (k > w && can_break(&p->u[k - 1], &p->u[k])))
			break;
		width += p->u[k].width;
	}
	if (k == n && width <= avail)
		*open = true;
	return width > avail;
}

/* Finds where the line starting at unit start ends (*end) and the next begins (*next),
 * looking no further than unit n. Returns false when it took every unit up to n, so that
 * units added after them could end the line elsewhere. */
static bool line_end(const struct kb_para *p, size_t start, size_t n, int avail, size_t *end,
                     size_t *next)
{
	bool open = false;
	size_t brk = start, i;
	int col = 0;
	for (i = start; i < n; i++) {
		const struct kb_ru *u = &p->u[i];
		if (u->flags & KB_RU_HARD) {
			*end = i;
			*next = i + 1;
			return true;
		}
		if (u->flags & KB_RU_SPACE) {
			if (i > start && !(p->u[i - 1].flags & KB_RU_SPACE))
				brk = i;
			col += u->width;
			continue;
		}
		if (i > start && !(p->u[i - 1].flags & KB_RU_SPACE) && can_break(&p->u[i - 1], u))
			brk = i;
		if (col + u->width > avail)
			break;
		col += u->width;
	}
	if (i == n) {
		*end = *next = n;
		return false;
	}
	if (brk == start) {
		*end = *next = emergency_cut(p, start, start, i);
		return true;
	}
	size_t w = brk;
	while (w < n && (p->u[w].flags & KB_RU_SPACE))
		w++;
	int used = 0;
	for (size_t k = start; k < w; k++)
		used += p->u[k].width;
	if (w + 1 < i && 2 * used < avail && word_wider(p, w, n, avail, &open)) {
		/* The word will be cut wherever it starts: begin it here rather than leave this
		 * line less than half full. */
		*end = *next = emergency_cut(p, start, w, i);
		return true;
	}
	*end = brk;
	*next = w;
	return !open;
}

/* Lays out units [start, n) from a line that starts a source line or not (*first), up to
 * the end, or (part) only the lines that units added later cannot change. Returns where it
 * stopped; *first is then what the next line is. */
static size_t layout(const struct kb_para *p, size_t start, size_t n, int avail, int hang,
                     bool *first, bool part, kb_para_emit_fn emit, void *ctx)
{
	if (hang > avail / 2)
		hang = avail / 2;
	while (start < n) {
		size_t end, next;
		if (!line_end(p, start, n, *first ? avail : avail - hang, &end, &next) && part)
			break;
		emit(ctx, p, start, end, *first);
		*first = end < n && (p->u[end].flags & KB_RU_HARD);
		start = next;
	}
	return start;
}

void kb_para_layout_range(const struct kb_para *p, size_t start, size_t n, int avail, int hang,
                          kb_para_emit_fn emit, void *ctx)
{
	bool first = true;
	layout(p, start, n, avail, hang, &first, false, emit, ctx);
}

void kb_para_layout_from(const struct kb_para *p, int avail, int hang, bool first,
                         kb_para_emit_fn emit, void *ctx)
{
	layout(p, 0, p->n, avail, hang, &first, false, emit, ctx);
}

bool kb_para_layout_part(struct kb_para *p, int avail, int hang, bool first, kb_para_emit_fn emit,
                         void *ctx)
{
	size_t done = layout(p, 0, p->n, avail, hang, &first, true, emit, ctx);
	if (done == 0)
		return first;
	/* what is laid out goes, its text with it */
	size_t off = p->u[done < p->n ? done : p->n - 1].off + (done < p->n ? 0 : p->u[p->n - 1].len);
	memmove(p->u, p->u + done, (p->n - done) * sizeof *p->u);
	p->n -= done;
	memmove(p->text.s, p->text.s + off, p->text.len - off);
	p->text.len -= off;
	p->text.s[p->text.len] = '\0';
	for (size_t i = 0; i < p->n; i++)
		p->u[i].off -= (uint32_t)off;
	return first;
}

void kb_para_layout(const struct kb_para *p, int avail, int hang, kb_para_emit_fn emit,
                    void *ctx)
{
	kb_para_layout_range(p, 0, p->n, avail, hang, emit, ctx);
}

/* ---- Building display lines ---------------------------------------------------------- */

void kb_lb_reset(struct kb_lb *lb)
{
	kb_buf_reset(&lb->text);
	lb->n = 0;
	lb->width = 0;
}

void kb_lb_free(struct kb_lb *lb)
{
	kb_buf_free(&lb->text);
	free(lb->v);
	memset(lb, 0, sizeof *lb);
}

void kb_lb_put(struct kb_lb *lb, const char *s, size_t len, int width, int style, int attr,
               int link)
{
	if (len == 0)
		return;
	struct kb_lspan *last = lb->n ? &lb->v[lb->n - 1] : NULL;
	if (!last || last->style != style || last->attr != attr || last->link != link ||
	    last->width + width > KB_SPAN_WIDTH_MAX) {
		kb_xgrow(&lb->v, &lb->cap, lb->n + 1, sizeof *lb->v);
		last = &lb->v[lb->n++];
		*last = (struct kb_lspan){.off = lb->text.len, .style = (unsigned char)style,
		                          .attr = (unsigned char)attr, .link = link};
	}
	kb_buf_put(&lb->text, s, len);
	last->len += len;
	last->width += width;
	lb->width += width;
}

void kb_lb_append(struct kb_lb *lb, const struct kb_lb *from)
{
	for (size_t i = 0; i < from->n; i++) {
		const struct kb_lspan *s = &from->v[i];
		kb_lb_put(lb, from->text.s + s->off, s->len, s->width, s->style, s->attr, s->link);
	}
}

void kb_lb_spaces(struct kb_lb *lb, int n)
{
	static const char spaces[] = "                ";
	while (n > 0) {
		int k = n < 16 ? n : 16;
		kb_lb_put(lb, spaces, (size_t)k, k, KB_STYLE_TEXT, 0, -1);
		n -= k;
	}
}

void kb_lb_units(struct kb_lb *lb, const struct kb_para *p, size_t start, size_t end)
{
	size_t i = start;
	while (i < end) {
		const struct kb_ru *u = &p->u[i];
		size_t j = i + 1;
		int width = u->width;
		while (j < end && p->u[j].style == u->style && p->u[j].attr == u->attr &&
		       p->u[j].link == u->link && !(p->u[j].flags & KB_RU_HARD) &&
		       width + p->u[j].width <= KB_SPAN_WIDTH_MAX)
			width += p->u[j++].width;
		if (!(u->flags & KB_RU_HARD)) {
			size_t to = p->u[j - 1].off + p->u[j - 1].len;
			kb_lb_put(lb, p->text.s + u->off, to - u->off, width, u->style, u->attr, u->link);
		}
		i = j;
	}
}

void kb_lb_rtrim(struct kb_lb *lb)
{
	while (lb->n > 0) {
		struct kb_lspan *s = &lb->v[lb->n - 1];
		while (s->len > 0 && lb->text.s[s->off + s->len - 1] == ' ') {
			s->len--;
			s->width--;
			lb->width--;
			lb->text.len--;
		}
		if (s->len > 0)
			break;
		lb->n--;
	}
	if (lb->text.s)
		lb->text.s[lb->text.len] = '\0';
}
