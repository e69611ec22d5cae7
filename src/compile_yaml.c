/* compile_yaml.c - the YAML the compiler reads: a note's front matter and the components file.
 *
 * Both are read from libyaml's event stream, not its document loader: a flat mapping of
 * scalars and lists of scalars is all kb needs, aliases are refused rather than expanded
 * (no alias bombs), and deeper structures are skipped with a bounded count of events. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "compile_priv.h"

#define MAX_EVENTS 20000

struct yreader {
	yaml_parser_t parser;
	yaml_event_t ev;
	bool have_ev;
	const char *path;
	int first_line; /* file line of the YAML text's first line */
	struct kb_diags *diags;
	const struct yr_codes *codes; /* what its problems are reported as */
	int events;
	bool failed;
};

/* The diagnostics of the YAML reader's own problems, in front matter or the components file. */
static const struct yr_codes {
	enum kb_diag_code invalid, too_big, not_mapping, key, alias;
} fm_codes = {KB_D_FM_INVALID, KB_D_FM_TOO_BIG, KB_D_FM_NOT_MAPPING, KB_D_FM_KEY, KB_D_FM_ALIAS},
  comp_codes = {KB_D_COMP_INVALID, KB_D_COMP_TOO_BIG, KB_D_COMP_NOT_MAPPING, KB_D_COMP_KEY, KB_D_COMP_ALIAS};

/* Advances to the next event; false (with a diagnostic) on a syntax error or overflow. */
static bool yr_next(struct yreader *yr)
{
	if (yr->have_ev)
		yaml_event_delete(&yr->ev);
	yr->have_ev = false;
	if (yr->failed)
		return false;
	if (++yr->events > MAX_EVENTS) {
		kb_diag_add(yr->diags, yr->codes->too_big, yr->path, yr->first_line, 0);
		yr->failed = true;
		return false;
	}
	if (!yaml_parser_parse(&yr->parser, &yr->ev)) {
		const char *problem = yr->parser.problem ? yr->parser.problem : "syntax error";
		int line = yr->first_line + (int)yr->parser.problem_mark.line;
		int col = (int)yr->parser.problem_mark.column + 1;
		if (yr->parser.context)
			kb_diag_addf(yr->diags, yr->codes->invalid, yr->path, line, col, "%s %s at line %d", problem,
			             yr->parser.context, yr->first_line + (int)yr->parser.context_mark.line);
		else
			kb_diag_addf(yr->diags, yr->codes->invalid, yr->path, line, col, "%s", problem);
		yr->failed = true;
		return false;
	}
	yr->have_ev = true;
	return true;
}

static int yr_line(const struct yreader *yr)
{
	return yr->first_line + (int)yr->ev.start_mark.line;
}

static void yr_open(struct yreader *yr, const char *text, size_t len)
{
	memset(&yr->parser, 0, sizeof yr->parser);
	yaml_parser_initialize(&yr->parser);
	yaml_parser_set_input_string(&yr->parser, (const unsigned char *)text, len);
}

static void yr_close(struct yreader *yr)
{
	if (yr->have_ev)
		yaml_event_delete(&yr->ev);
	yr->have_ev = false;
	yaml_parser_delete(&yr->parser);
}

/* Skips the value that starts at the current event (a nested mapping or sequence). */
static bool yr_skip(struct yreader *yr)
{
	int depth = 0;
	do {
		switch (yr->ev.type) {
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT: depth++; break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT: depth--; break;
		default: break;
		}
		if (depth == 0)
			return true;
	} while (yr_next(yr));
	return false;
}

/* Reads the value at the current event as a list of strings: a scalar (split at commas
 * when split_commas), or a sequence of scalars. Returns false if it is neither. */
static bool yr_strings(struct yreader *yr, struct kb_strv *out, bool split_commas)
{
	if (yr->ev.type == YAML_SCALAR_EVENT) {
		const char *v = (const char *)yr->ev.data.scalar.value;
		if (!split_commas) {
			if (*v)
				kb_strv_push(out, v);
			return true;
		}
		for (const char *p = v; *p;) {
			size_t n = strcspn(p, ",");
			char *item = kb_xstrndup(p, n);
			char *s = item, *e;
			while (*s == ' ')
				s++;
			e = s + strlen(s);
			while (e > s && e[-1] == ' ')
				*--e = '\0';
			if (*s)
				kb_strv_push(out, s);
			free(item);
			p += n + (p[n] == ',');
		}
		return true;
	}
	if (yr->ev.type != YAML_SEQUENCE_START_EVENT)
		return false;
	while (yr_next(yr) && yr->ev.type != YAML_SEQUENCE_END_EVENT) {
		if (yr->ev.type == YAML_SCALAR_EVENT) {
			if (yr->ev.data.scalar.length)
				kb_strv_push(out, (const char *)yr->ev.data.scalar.value);
		} else if (!yr_skip(yr)) {
			return false;
		}
	}
	return !yr->failed;
}

/* Walks a top-level mapping, calling field() with each key; field() consumes the value. */
static void yr_mapping(struct yreader *yr, void (*field)(struct yreader *, const char *, void *), void *ctx)
{
	while (yr_next(yr)) {
		if (yr->ev.type == YAML_STREAM_START_EVENT || yr->ev.type == YAML_DOCUMENT_START_EVENT)
			continue;
		if (yr->ev.type == YAML_STREAM_END_EVENT || yr->ev.type == YAML_DOCUMENT_END_EVENT)
			return;
		if (yr->ev.type == YAML_SCALAR_EVENT && yr->ev.data.scalar.length == 0)
			return; /* an empty document */
		if (yr->ev.type != YAML_MAPPING_START_EVENT) {
			kb_diag_add(yr->diags, yr->codes->not_mapping, yr->path, yr_line(yr), 0);
			return;
		}
		break;
	}
	while (yr_next(yr) && yr->ev.type != YAML_MAPPING_END_EVENT) {
		char *key;
		if (yr->ev.type != YAML_SCALAR_EVENT) {
			kb_diag_add(yr->diags, yr->codes->key, yr->path, yr_line(yr), 0);
			if (!yr_skip(yr) || !yr_next(yr) || !yr_skip(yr))
				return;
			continue;
		}
		key = kb_xstrdup((const char *)yr->ev.data.scalar.value);
		if (yr_next(yr)) {
			if (yr->ev.type == YAML_ALIAS_EVENT)
				kb_diag_addf(yr->diags, yr->codes->alias, yr->path, yr_line(yr), 0, "%s", key);
			else
				field(yr, key, ctx);
		}
		free(key);
	}
}

/* ---- front matter ------------------------------------------------------------------ */

static void fm_field(struct yreader *yr, const char *key, void *ctx)
{
	struct kb_front_matter *fm = ctx;
	int line = yr_line(yr);
	bool ok = true;
	if (strcmp(key, "title") == 0) {
		ok = yr->ev.type == YAML_SCALAR_EVENT;
		if (ok) {
			free(fm->title);
			fm->title = kb_xstrdup((const char *)yr->ev.data.scalar.value);
		}
	} else if (strcmp(key, "component") == 0 || strcmp(key, "components") == 0) {
		ok = yr_strings(yr, &fm->components, true);
	} else if (strcmp(key, "tags") == 0) {
		ok = yr_strings(yr, &fm->tags, true);
	} else if (strcmp(key, "symptoms") == 0 || strcmp(key, "symptom") == 0) {
		ok = yr_strings(yr, &fm->symptoms, false);
	} else if (strcmp(key, "split") == 0) {
		const char *v = yr->ev.type == YAML_SCALAR_EVENT ? (const char *)yr->ev.data.scalar.value : "";
		static const char *const names[] = {"auto", "none", "sections", "items"};
		for (size_t i = 0; i < KB_NELEM(names); i++) {
			if (strcmp(v, names[i]) == 0) {
				fm->split = (enum kb_split)i;
				return;
			}
		}
		kb_diag_add(yr->diags, KB_D_FM_SPLIT, yr->path, line, 0);
		yr_skip(yr);
		return;
	} else {
		yr_skip(yr); /* fields of other tools (Hugo's weight, reviewers ...) are fine */
		return;
	}
	if (!ok && yr_skip(yr) && !yr->failed) /* a syntax error says it all */
		kb_diag_addf(yr->diags, KB_D_FM_TYPE, yr->path, line, 0, "%s", key);
}

/* Returns the length of the line starting at p (without its \n or \r\n). */
static size_t line_len(const char *p, const char *end)
{
	const char *q = p;
	while (q < end && *q != '\n')
		q++;
	if (q > p && q[-1] == '\r')
		q--;
	return (size_t)(q - p);
}

static bool fence_line(const char *p, size_t n, const char *mark)
{
	if (n < 3 || strncmp(p, mark, 3) != 0)
		return false;
	for (size_t i = 3; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return false;
	return true;
}

size_t kb_fm_read(const char *path, const char *text, size_t len, struct kb_front_matter *fm,
                  struct kb_diags *diags)
{
	const char *end = text + len, *p = text;
	int line = 1;
	memset(fm, 0, sizeof *fm);
	if (!fence_line(p, line_len(p, end), "---"))
		return 0;
	for (p += line_len(p, end); p < end; line++) {
		size_t n;
		p++; /* the \n */
		n = line_len(p, end);
		if (fence_line(p, n, "---") || fence_line(p, n, "...")) {
			struct yreader yr = {.path = path, .first_line = 2, .diags = diags, .codes = &fm_codes};
			const char *yaml = strchr(text, '\n') + 1;
			fm->present = true;
			fm->first_line = 1;
			fm->last_line = line + 1;
			yr_open(&yr, yaml, (size_t)(p - yaml));
			yr_mapping(&yr, fm_field, fm);
			yr_close(&yr);
			if (yr.failed) { /* indexed from the markdown alone */
				kb_fm_free(fm);
				fm->present = true;
				fm->first_line = 1;
				fm->last_line = line + 1;
			}
			while (p < end && *p != '\n')
				p++;
			return (size_t)(p - text) + (p < end);
		}
		p += n;
		while (p < end && *p != '\n')
			p++;
	}
	kb_diag_add(diags, KB_D_FM_UNCLOSED, path, 1, 1);
	return 0;
}

void kb_fm_free(struct kb_front_matter *fm)
{
	free(fm->title);
	kb_strv_free(&fm->components);
	kb_strv_free(&fm->tags);
	kb_strv_free(&fm->symptoms);
	memset(fm, 0, sizeof *fm);
}

/* ---- the components file ----------------------------------------------------------- */

/* s lower-cased in place (ASCII): components match in any case. */
static char *lower(char *s)
{
	for (char *p = s; *p; p++)
		*p = (char)kb_ascii_tolower((unsigned char)*p);
	return s;
}

struct kb_components {
	struct component {
		char *name;
		struct kb_strv words;
	} *v;
	size_t n, cap;
	int dir_level;          /* the directory level that names an entry's component */
	struct kb_strv dirs;    /* the directory names at that level, sorted */
	/* every component's words, lower-cased, ordered by their first two bytes, and where
	 * each pair of bytes starts in that order (index + 1): one pass over a text finds them.
	 * pair_bits has a bit set for each pair that starts a word, in each case it can be
	 * written in (8 KiB, where pair_start is 256 KiB): most bytes of a text start no word,
	 * and the bit says so from cache, on the text as it is. */
	struct cword {
		char *w;
		size_t len, comp;
		bool ascii;
		unsigned pair;
	} *words;
	size_t nwords;
	bool inner; /* a word of other letters starts with an ASCII letter: look inside words */
	bool single; /* some word is one byte long */
	uint32_t *pair_start;
	uint64_t pair_bits[65536 / 64];
};

static void comp_field(struct yreader *yr, const char *key, void *ctx)
{
	struct kb_components *c = ctx;
	struct component comp = {.name = kb_xstrdup(key)};
	lower(comp.name); /* component: matches in any case */
	int line = yr_line(yr);
	if (!yr_strings(yr, &comp.words, false)) {
		if (!yr->failed) {
			kb_diag_addf(yr->diags, KB_D_COMP_WORDS, yr->path, line, 0, "%s", key);
			yr_skip(yr);
		}
		free(comp.name);
		kb_strv_free(&comp.words);
		return;
	}
	if (comp.words.n == 0)
		kb_strv_push(&comp.words, key);
	kb_xgrow(&c->v, &c->cap, c->n + 1, sizeof *c->v);
	c->v[c->n++] = comp;
}

static unsigned pair_of(const char *w, size_t len)
{
	return (unsigned)(unsigned char)w[0] << 8 | (len > 1 ? (unsigned char)w[1] : 0);
}

static int cmp_cword(const void *a, const void *b)
{
	const struct cword *x = a, *y = b;
	return x->pair < y->pair ? -1 : x->pair > y->pair;
}

/* Builds the word index of the table. Words of one byte are matched by their byte alone. */
static void index_words(struct kb_components *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++)
		n += c->v[i].words.n;
	c->words = kb_xcalloc(n + 1, sizeof *c->words);
	for (size_t i = 0; i < c->n; i++) {
		for (size_t k = 0; k < c->v[i].words.n; k++) {
			struct cword *cw = &c->words[c->nwords];
			if (!*c->v[i].words.v[k]) /* an empty word (`? ` in YAML) reveals nothing */
				continue;
			cw->w = kb_xstrdup(c->v[i].words.v[k]);
			cw->len = strlen(cw->w);
			cw->ascii = true;
			for (char *p = cw->w; *p; p++) {
				cw->ascii &= (unsigned char)*p < 0x80;
				*p = (char)kb_ascii_tolower((unsigned char)*p);
			}
			cw->comp = i;
			cw->pair = pair_of(cw->w, cw->len);
			c->inner |= !cw->ascii && kb_ascii_isword((unsigned char)cw->w[0]);
			c->single |= cw->len == 1;
			c->nwords++;
		}
	}
	qsort(c->words, c->nwords, sizeof *c->words, cmp_cword);
	c->pair_start = kb_xcalloc(65536, sizeof *c->pair_start);
	for (size_t k = c->nwords; k-- > 0;) {
		c->pair_start[c->words[k].pair] = (uint32_t)(k + 1);
		kb_pair_bits_any_case(c->pair_bits, c->words[k].pair);
	}
}

struct kb_components *kb_components_parse(const char *path, const char *text, size_t len,
                                          struct kb_diags *diags)
{
	struct kb_components *c = kb_xcalloc(1, sizeof *c);
	struct yreader yr = {.path = path, .first_line = 1, .diags = diags, .codes = &comp_codes};
	yr_open(&yr, text, len);
	yr_mapping(&yr, comp_field, c);
	yr_close(&yr);
	index_words(c);
	return c;
}

void kb_components_free(struct kb_components *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].name);
		kb_strv_free(&c->v[i].words);
	}
	for (size_t i = 0; i < c->nwords; i++)
		free(c->words[i].w);
	free(c->words);
	free(c->pair_start);
	free(c->v);
	kb_strv_free(&c->dirs);
	free(c);
}

size_t kb_components_count(const struct kb_components *c)
{
	return c ? c->n : 0;
}

struct kb_components *kb_components_new(void)
{
	struct kb_components *c = kb_xcalloc(1, sizeof *c);
	index_words(c);
	return c;
}

void kb_components_set_dirs(struct kb_components *c, int level, const struct kb_strv *names)
{
	c->dir_level = level;
	kb_strv_free(&c->dirs);
	for (size_t i = 0; i < names->n; i++)
		kb_strv_add_unique(&c->dirs, names->v[i]);
	kb_strv_sort(&c->dirs);
}

/* A part of a path s[0..n) without its language pieces (pages.zh -> pages; zh-cn -> ""). */
static void strip_lang(const char *s, size_t n, struct kb_buf *out)
{
	static const char *const langs[] = {"en", "en-us", "zh", "zh-cn", "zh_cn", "zh-tw", "zh-hans", "zh-hant", "cn"};
	for (size_t i = 0; i < n;) {
		size_t len = 0;
		bool lang = false;
		while (i + len < n && s[i + len] != '.')
			len++;
		for (size_t k = 0; k < KB_NELEM(langs); k++)
			lang |= strlen(langs[k]) == len && strncasecmp(s + i, langs[k], len) == 0;
		if (!lang) {
			if (out->len)
				kb_buf_putc(out, '.');
			kb_buf_put(out, s + i, len);
		}
		i += len + 1;
	}
}

/* The directory part of path at level (0: the top), in *s and *n; false when the path has
 * no directory that deep. */
static bool dir_at(const char *path, int level, const char **s, size_t *n)
{
	const char *p = path;
	for (int l = 0;; l++) {
		const char *slash = strchr(p, '/');
		if (!slash)
			return false;
		if (l == level) {
			*s = p;
			*n = (size_t)(slash - p);
			return true;
		}
		p = slash + 1;
	}
}

int kb_components_dividing_level(char *const *paths, size_t n, struct kb_strv *names)
{
	for (int level = 0; level < 16; level++) {
		struct kb_buf first = {0}, key = {0};
		bool seen = false, differ = false, all = true;
		for (size_t i = 0; i < n; i++) {
			const char *s;
			size_t len;
			if (!dir_at(paths[i], level, &s, &len)) {
				all = false;
				continue;
			}
			key.len = 0;
			kb_buf_put(&key, "", 0);
			strip_lang(s, len, &key);
			if (!seen)
				kb_buf_put(&first, kb_buf_str(&key), key.len);
			else if (key.len != first.len || memcmp(kb_buf_str(&key), kb_buf_str(&first), key.len) != 0)
				differ = true;
			seen = true;
		}
		kb_buf_free(&first);
		kb_buf_free(&key);
		if (!seen || differ || !all) { /* the level that divides: this one, or the last one */
			int at = !seen && level > 0 ? level - 1 : level;
			for (size_t i = 0; i < n; i++) {
				const char *s;
				size_t len;
				if (dir_at(paths[i], at, &s, &len)) {
					char *d = kb_xstrndup(s, len);
					kb_strv_add_unique(names, d);
					free(d);
				}
			}
			return at;
		}
	}
	return 0;
}

/* The component of the note relpath from its directories (c's level); a note above that
 * level whose file name starts with one of c's directory names and '-' (ticdc-overview.md
 * beside ticdc/) takes that one. Caller frees; NULL when none. */
char *kb_components_of_path(const struct kb_components *c, const char *relpath)
{
	const char *s, *base = strrchr(relpath, '/');
	size_t n, best = 0;
	int level = c ? c->dir_level : 0;
	if (dir_at(relpath, level, &s, &n))
		return lower(kb_xstrndup(s, n));
	base = base ? base + 1 : relpath;
	for (size_t i = 0; c && i < c->dirs.n; i++) {
		size_t len = strlen(c->dirs.v[i]);
		if (len > best && strncmp(base, c->dirs.v[i], len) == 0 && base[len] == '-')
			best = len;
	}
	return best ? lower(kb_xstrndup(base, best)) : NULL;
}

/* Whether the word is at text[i], in any case, and (an ASCII word) as a whole word. Its
 * first two bytes (or its one) are the pair match_pair found there. */
static bool word_at(const char *text, size_t n, size_t i, const struct cword *cw)
{
	size_t known = cw->len < 2 ? cw->len : 2;
	if (i + cw->len > n || !kb_ascii_eq_lower(text + i + known, cw->w + known, cw->len - known))
		return false;
	return !cw->ascii || ((i == 0 || !kb_ascii_isword((unsigned char)text[i - 1])) &&
	                      (i + cw->len == n || !kb_ascii_isword((unsigned char)text[i + cw->len])));
}

/* Marks in hit the components whose words start with the bytes pair (as written) at text[i]. */
static bool pair_starts(const struct kb_components *c, unsigned pair)
{
	return c->pair_bits[pair / 64] >> (pair % 64) & 1;
}

static void match_pair(const struct kb_components *c, unsigned pair, const char *text, size_t n,
                       size_t i, bool *hit)
{
	pair = (unsigned)kb_ascii_tolower((int)(pair >> 8)) << 8 | (unsigned)kb_ascii_tolower((int)(pair & 0xFF));
	for (size_t k = c->pair_start[pair]; k > 0 && k <= c->nwords && c->words[k - 1].pair == pair; k++)
		if (!hit[c->words[k - 1].comp] && word_at(text, n, i, &c->words[k - 1]))
			hit[c->words[k - 1].comp] = true;
}

void kb_components_match(const struct kb_components *c, const char *text, size_t n,
                         struct kb_strv *out)
{
	bool *hit;
	if (!c || c->nwords == 0)
		return;
	hit = kb_xcalloc(c->n + 1, sizeof *hit);
	for (size_t i = 0, next; i < n; i = next) {
		/* Where a word can start: an ASCII word is matched whole, so at the first letter of
		 * a run of letters and digits, or at punctuation; a word of other letters at the
		 * first byte of a character (unless it starts with an ASCII letter: c->inner). */
		unsigned two, one, b = (unsigned char)text[i];
		next = i + 1;
		if (b >= 0x80) { /* past the character's continuation bytes */
			while (next < n && ((unsigned char)text[next] & 0xC0) == 0x80)
				next++;
			if (b < 0xC0)
				continue; /* a stray continuation byte starts nothing */
		} else if (kb_ascii_isword((unsigned char)b) && !c->inner) {
			while (next < n && kb_ascii_isword((unsigned char)text[next]))
				next++;
		}
		/* words of two bytes or more, then of one byte (ASCII) */
		two = pair_of(text + i, n - i);
		one = b << 8;
		if (pair_starts(c, two))
			match_pair(c, two, text, n, i, hit);
		if (c->single && one != two && b < 0x80 && pair_starts(c, one))
			match_pair(c, one, text, n, i, hit);
	}
	for (size_t i = 0; i < c->n; i++)
		if (hit[i])
			kb_strv_add_unique(out, c->v[i].name);
	free(hit);
}
