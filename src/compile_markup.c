/* compile_markup.c - static-site template markup (Hugo shortcodes) read as a terminal reader
 * wants it: replaced by its readable text, before the markdown is parsed, as Hugo does.
 *
 * The rule (kb.5 says the same for authors): a shortcode {{< name args >}} or
 * {{% name args %}} becomes its text= argument, else its title= argument (a tab its name=); the
 * heading shortcode becomes its heading ("prerequisites" reads "Before you begin"); the
 * callouts note, caution and warning read "Note:", "Caution:", "Warning:". Any other
 * shortcode, and every closing one ({{< /note >}}), is dropped; the text between an opening
 * and a closing shortcode stays. The escaped form, {{< name >}} with a comment's marks just
 * inside its braces, is shown as {{< name >}}.
 * Line breaks inside a shortcode are kept, so that lines keep their numbers. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "compile_priv.h"

/* A shortcode longer than this is not one (and the scan stays linear on hostile input). */
#define SHORTCODE_MAX 1024

static const struct {
	const char *name, *arg, *text;
} fixed[] = {
	{"heading", "prerequisites", "Before you begin"},
	{"heading", "whatsnext", "What's next"},
	{"heading", "objectives", "Objectives"},
	{"heading", "cleanup", "Cleaning up"},
	{"heading", "seealso", "See also"},
	{"heading", "synopsis", "Synopsis"},
	{"heading", "options", "Options"},
	{"note", NULL, "Note:"},
	{"caution", NULL, "Caution:"},
	{"warning", NULL, "Warning:"},
};

/* One argument: key (NULL for a positional one) and value, both pointing into the text. */
struct arg {
	const char *key, *val;
	size_t keylen, vallen;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Reads the next argument of s[*i..n). Returns false at the end. */
static bool next_arg(const char *s, size_t n, size_t *i, struct arg *a)
{
	size_t p = *i, start;
	while (p < n && is_space(s[p]))
		p++;
	if (p >= n)
		return false;
	*a = (struct arg){0};
	start = p;
	while (p < n && !is_space(s[p]) && s[p] != '=' && s[p] != '"')
		p++;
	if (p < n && s[p] == '=') {
		a->key = s + start, a->keylen = p - start;
		start = ++p;
	}
	if (p < n && s[p] == '"') {
		const char *q = memchr(s + p + 1, '"', n - p - 1);
		size_t end = q ? (size_t)(q - s) : n;
		a->val = s + p + 1, a->vallen = end - p - 1;
		p = end + (q != NULL);
	} else {
		while (p < n && !is_space(s[p]))
			p++;
		a->val = s + start, a->vallen = p - start;
	}
	*i = p;
	return true;
}

static bool eq(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

/* The readable text of the shortcode whose inside (between the delimiters) is s[0..n):
 * points *text at it and returns its length; 0 when it has none. */
static size_t readable(const char *s, size_t n, const char **text)
{
	static const char *const keys[] = {"text", "name", "title"}; /* name: a tab's */
	struct arg name, a, pos = {0}, named = {0};
	size_t i = 0, best = KB_NELEM(keys);
	if (!next_arg(s, n, &i, &name) || name.key || (name.vallen && name.val[0] == '/'))
		return 0;
	while (next_arg(s, n, &i, &a)) {
		for (size_t k = 0; a.key && k < best; k++)
			if (eq(a.key, a.keylen, keys[k]) && (k != 1 || eq(name.val, name.vallen, "tab")))
				best = k, named = a;
		if (!a.key && !pos.val)
			pos = a;
	}
	if (best < KB_NELEM(keys)) {
		*text = named.val;
		return named.vallen;
	}
	for (size_t k = 0; k < KB_NELEM(fixed); k++)
		if (eq(name.val, name.vallen, fixed[k].name) &&
		    (!fixed[k].arg || (pos.val && eq(pos.val, pos.vallen, fixed[k].arg)))) {
			*text = fixed[k].text;
			return strlen(fixed[k].text);
		}
	if (eq(name.val, name.vallen, "heading") && pos.val) {
		*text = pos.val;
		return pos.vallen;
	}
	return 0;
}

/* Whether a shortcode starts at s[i]; sets *end past its closing delimiter and *esc when it
 * is the escaped form. */
static bool shortcode_at(const char *s, size_t len, size_t i, size_t *end, bool *esc)
{
	char kind;
	size_t lim = len - i < SHORTCODE_MAX ? len : i + SHORTCODE_MAX;
	if (i + 6 > len || s[i] != '{' || s[i + 1] != '{' || (s[i + 2] != '<' && s[i + 2] != '%'))
		return false;
	kind = s[i + 2] == '<' ? '>' : '%';
	*esc = s[i + 3] == '/' && s[i + 4] == '*';
	for (size_t p = i + 3; p + 3 <= lim; p++) {
		if (s[p] == '{' && s[p + 1] == '{')
			return false;
		if (s[p] == kind && s[p + 1] == '}' && s[p + 2] == '}') {
			if (*esc && (p < i + 7 || s[p - 1] != '/' || s[p - 2] != '*'))
				return false;
			*end = p + 3;
			return true;
		}
	}
	return false;
}

char *kb_shortcodes_apply(const char *text, size_t len, size_t *outlen)
{
	struct kb_buf b = {0};
	size_t i = 0, done = 0, end;
	bool esc;
	const char *p;
	while ((p = memchr(text + i, '{', len - i)) != NULL) {
		i = (size_t)(p - text);
		if (!shortcode_at(text, len, i, &end, &esc)) {
			i++;
			continue;
		}
		kb_buf_put(&b, text + done, i - done);
		if (esc) { /* the escaped form shows as the shortcode itself */
			kb_buf_put(&b, text + i, 3);
			kb_buf_put(&b, text + i + 5, end - 5 - (i + 5));
			kb_buf_put(&b, text + end - 3, 3);
		} else {
			const char *r = NULL;
			size_t rn = readable(text + i + 3, end - 3 - (i + 3), &r);
			if (rn)
				kb_buf_put(&b, r, rn);
			for (size_t k = i; k < end; k++)
				if (text[k] == '\n')
					kb_buf_putc(&b, '\n');
		}
		i = done = end;
	}
	kb_buf_put(&b, text + done, len - done);
	*outlen = b.len;
	return kb_buf_take(&b);
}
