/* compile_symptoms.c - finds the error strings an operator would paste: error-looking lines of
 * code blocks, code spans and quoted strings, English error messages inside Chinese prose,
 * and the error codes (MANIFEST_UNKNOWN, ImagePullBackOff) inside all of those. */
#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "compile_priv.h"
#include "kb/normalize.h"
#include "kb/width.h"

#define MAX_SYMPTOMS 64
#define MAX_SYMPTOM_BYTES 300
#define CODE_SEP '\x1f' /* stands for a code span inside flattened prose */

/* Lines too common to tell one problem from another. */
static const char *const generic[] = {
	"traceback (most recent call last):", "error", "errors", "failed", "fail", "exception",
	"stack trace:", "caused by:", "error:", "fatal error", "unknown", "<num> errors",
	"fail count : <num>", "error count : <num>", "warning", "panic:",
};

static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == CODE_SEP;
}

/* Trims white space and trailing punctuation that is not part of an error string. */
static void trim(const char **s, size_t *n)
{
	while (*n && is_blank((unsigned char)**s))
		(*s)++, (*n)--;
	for (;;) {
		if (*n && (is_blank((unsigned char)(*s)[*n - 1]) || strchr(",;", (*s)[*n - 1]))) {
			(*n)--;
		} else if (*n >= 3 && (strncmp(*s + *n - 3, "，", 3) == 0 || strncmp(*s + *n - 3, "。", 3) == 0 ||
		                       strncmp(*s + *n - 3, "；", 3) == 0)) {
			*n -= 3;
		} else {
			break;
		}
	}
}

/* Cuts n down to at most max bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

static void add(struct kb_entry *e, const char *s, size_t n, int line);

/* Adds the error codes found among the words of s[0..n). */
static void add_codes(struct kb_entry *e, const char *s, size_t n, int line)
{
	for (size_t i = 0; i < n;) {
		size_t len = 0;
		while (i + len < n && kb_ascii_isword((unsigned char)s[i + len]))
			len++;
		if (len && (i == 0 || !kb_ascii_isword((unsigned char)s[i - 1])) && kb_normalize_is_code(s + i, len)) {
			char *sig = kb_normalize(s + i, len);
			char *text = kb_xstrndup(s + i, len);
			if (e->nsymptoms < MAX_SYMPTOMS)
				kb_entry_add_symptom(e, text, sig, line);
			free(text);
			free(sig);
		}
		i += len ? len : 1;
	}
}

static void add(struct kb_entry *e, const char *s, size_t n, int line)
{
	char *text, *sig;
	bool generic_line = false, letters = false;
	trim(&s, &n);
	n = utf8_cut(s, n, MAX_SYMPTOM_BYTES);
	if (n < 3 || e->nsymptoms >= MAX_SYMPTOMS)
		return;
	text = kb_xstrndup(s, n);
	sig = kb_normalize(s, n);
	for (size_t i = 0; i < KB_NELEM(generic); i++)
		generic_line |= strcmp(sig, generic[i]) == 0;
	for (const char *p = sig; *p; p++)
		letters |= (*p >= 'a' && *p <= 'z') || (unsigned char)*p >= 0x80;
	if (!generic_line && letters)
		kb_entry_add_symptom(e, text, sig, line);
	add_codes(e, s, n, line);
	free(text);
	free(sig);
}

/* Source lines that show code rather than an error. */
static bool code_statement(const char *s, size_t n)
{
	static const char *const starts[] = {"raise ", "throw ", "except ", "catch ", "} catch", "if ", "#"};
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	for (size_t i = 0; i < KB_NELEM(starts); i++)
		if (n >= strlen(starts[i]) && strncmp(s, starts[i], strlen(starts[i])) == 0)
			return true;
	return false;
}

static void scan_code_block(struct kb_entry *e, const char *lit, int first_line)
{
	int line = first_line;
	for (const char *p = lit, *end = lit + strlen(lit); p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n && kb_normalize_errorish(p, n) && !code_statement(p, n))
			add(e, p, n, line);
		p += n + (nl != NULL);
	}
}

/* ---- prose ------------------------------------------------------------------------- */

/* Words that, just before a quoted string, say it is what the screen showed. */
static const char *const intro_words[] = {"出现", "报错", "提示", "显示", "信息为", "错误为", "报",
                                          "error:", "Error:", "message:"};

static bool introduced(const char *prose, size_t at)
{
	size_t from = at > 16 ? at - 16 : 0;
	for (size_t i = 0; i < KB_NELEM(intro_words); i++) {
		const char *w = intro_words[i];
		size_t m = strlen(w);
		for (size_t k = from; k + m <= at; k++)
			if (memcmp(prose + k, w, m) == 0 && at - (k + m) <= 6)
				return true;
	}
	return false;
}

struct quote_pair {
	const char *open, *close;
};

static const struct quote_pair quotes[] = {
	{"\xe2\x80\x9c", "\xe2\x80\x9d"}, /* “ ” */
	{"\xe3\x80\x8c", "\xe3\x80\x8d"}, /* 「 」 */
	{"\xe3\x80\x8e", "\xe3\x80\x8f"}, /* 『 』 */
	{"\"", "\""},
	{"'", "'"},
	{"`", "`"},
};

static void scan_quotes(struct kb_entry *e, const char *prose, size_t len, int line)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)prose[i];
		if (c != '"' && c != '\'' && c != '`' && c != 0xE2 && c != 0xE3)
			continue; /* no quote starts here */
		for (size_t q = 0; q < KB_NELEM(quotes); q++) {
			size_t om = strlen(quotes[q].open);
			const char *end;
			if (len - i < om || memcmp(prose + i, quotes[q].open, om) != 0)
				continue;
			if (om == 1 && i > 0 && kb_ascii_isword((unsigned char)prose[i - 1]))
				continue; /* an apostrophe: can't */
			end = strstr(prose + i + om, quotes[q].close);
			if (!end || (size_t)(end - prose) > len || end - (prose + i + om) > MAX_SYMPTOM_BYTES ||
			    memchr(prose + i + om, '\n', (size_t)(end - (prose + i + om))))
				continue;
			{
				const char *s = prose + i + om;
				size_t n = (size_t)(end - s);
				if (n >= 2 && (kb_normalize_errorish(s, n) || introduced(prose, i)))
					add(e, s, n, line);
				i = (size_t)(end - prose) + strlen(quotes[q].close) - 1;
			}
			break;
		}
	}
}


/* In Chinese prose, an English run between Chinese characters that reads like an error
 * message: "如果出现Could not connect to Redis at IPV6ADDRESS: Connection refused，那…" */
static void scan_latin_runs(struct kb_entry *e, const char *prose, size_t len, int line)
{
	size_t i = 0;
	while (i < len) {
		size_t start = i, words = 0;
		bool inword = false;
		while (i < len) {
			uint32_t cp;
			int l = kb_utf8_decode(prose + i, len - i, &cp);
			if (cp >= 0x80 || prose[i] == '\n' || prose[i] == CODE_SEP || prose[i] == '"')
				break;
			if (kb_ascii_isalnum(prose[i]) && !inword)
				words++;
			inword = kb_ascii_isalnum(prose[i]);
			i += (size_t)l;
		}
		if (words >= 3 && kb_normalize_errorish(prose + start, i - start))
			add(e, prose + start, i - start, line);
		if (i < len) {
			uint32_t cp;
			i += (size_t)kb_utf8_decode(prose + i, len - i, &cp);
		}
	}
}

static bool ident_char(int c)
{
	return kb_ascii_isword((unsigned char)c) || c == '.' || c == '-';
}

/* Dotted or snake or camel identifiers that carry an error word: toolbox.swr.bin.failReason. */
static void scan_identifiers(struct kb_entry *e, const char *prose, size_t len, int line)
{
	for (size_t i = 0; i < len;) {
		size_t n = 0;
		bool shaped = false;
		while (i + n < len && ident_char((unsigned char)prose[i + n]))
			n++;
		while (n && (prose[i + n - 1] == '.' || prose[i + n - 1] == '-'))
			n--;
		for (size_t k = 1; k < n; k++)
			shaped |= prose[i + k] == '.' || prose[i + k] == '_' ||
			          (prose[i + k] >= 'A' && prose[i + k] <= 'Z' && prose[i + k - 1] >= 'a' &&
			           prose[i + k - 1] <= 'z');
		if (n >= 6 && shaped && kb_normalize_errorish(prose + i, n))
			add(e, prose + i, n, line);
		i += n ? n : 1;
	}
}

/* Flattens the inline text of a node: breaks as \n; code spans as their text, or as one
 * CODE_SEP when mark_code (so that prose scanners do not read into them). */
static char *flatten(cmark_node *node, bool mark_code)
{
	struct kb_buf b = {0};
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_CODE:
			if (mark_code) {
				kb_buf_putc(&b, CODE_SEP);
				break;
			}
			/* fall through */
		case CMARK_NODE_TEXT:
		case CMARK_NODE_HTML_INLINE:
			kb_buf_puts(&b, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			kb_buf_putc(&b, '\n');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	return kb_buf_take(&b);
}

static void scan_prose(struct kb_entry *e, cmark_node *block)
{
	char *p = flatten(block, true);
	size_t n = strlen(p);
	int line = cmark_node_get_start_line(block);
	scan_quotes(e, p, n, line);
	if (kb_normalize_errorish(p, n)) { /* else no run or identifier in it can be */
		if (kb_width_has_cjk(p, n))
			scan_latin_runs(e, p, n, line);
		scan_identifiers(e, p, n, line);
	}
	free(p);
}

static void scan_node(struct kb_entry *e, cmark_node *node)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		const char *lit;
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HTML_BLOCK:
			lit = cmark_node_get_literal(n);
			if (lit && strncmp(lit, "<!--", 4) == 0)
				break; /* a comment: not part of the entry */
			scan_code_block(e, lit, cmark_node_get_start_line(n) + 1);
			break;
		case CMARK_NODE_CODE_BLOCK:
			scan_code_block(e, cmark_node_get_literal(n), cmark_node_get_start_line(n) + 1);
			break;
		case CMARK_NODE_CODE:
			lit = cmark_node_get_literal(n);
			if (lit && kb_normalize_errorish(lit, strlen(lit)))
				add(e, lit, strlen(lit), cmark_node_get_start_line(n));
			break;
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
			scan_prose(e, n);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

void kb_symptoms_find(struct kb_entry *e, cmark_node *first, cmark_node *last)
{
	for (cmark_node *n = first; n; n = cmark_node_next(n)) {
		scan_node(e, n);
		if (!last || n == last)
			break;
	}
}

char *kb_node_text(cmark_node *node)
{
	return flatten(node, false);
}

static int symptom_score(const struct kb_symptom *s)
{
	static const char *const strong_starts[] = {"Error", "ERROR", "Exception", "FATAL", "Fatal",
	                                            "fatal", "panic", "error", "E0", "failed", "Failed"};
	const char *t = s->text;
	size_t n = strlen(t);
	int score = 1;
	for (size_t i = 0; i < KB_NELEM(strong_starts); i++)
		if (kb_starts_with(t, strong_starts[i]))
			score += 2;
	for (size_t i = 0; i < n;) {
		size_t len = 0;
		while (i + len < n && kb_ascii_isword((unsigned char)t[i + len]))
			len++;
		if (len && len < n && kb_normalize_is_code(t + i, len)) {
			score += 3;
			break;
		}
		i += len ? len : 1;
	}
	if (n < 12)
		score -= 2; /* a bare code says less than the line around it */
	return score;
}

const struct kb_symptom *kb_symptoms_best(const struct kb_entry *e)
{
	const struct kb_symptom *best = NULL;
	int best_score = 0;
	for (size_t i = 0; i < e->nsymptoms; i++) {
		int sc = symptom_score(&e->symptoms[i]);
		if (sc > best_score) {
			best = &e->symptoms[i];
			best_score = sc;
		}
	}
	return best;
}
