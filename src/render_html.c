/* render_html.c - raw HTML in a note read as text: comments never show, <br> and block tags
 * break lines, other tags are dropped and their text kept, script and style are dropped
 * whole, a few common entities are decoded. Nothing in it is executed or fetched. */
#include <stdio.h>
#include <string.h>

#include "render_impl.h"

/* Tags whose start or end breaks a line, as a browser would lay them out. */
static const char *const block_tags[] = {
	"address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
	"figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
	"li", "ol", "p", "pre", "section", "summary", "table", "tr", "ul",
};

static const struct {
	const char *name, *text;
} entities[] = {
	{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}, {"&quot;", "\""}, {"&#39;", "'"},
	{"&apos;", "'"}, {"&nbsp;", " "},
};

/* The tag name at s (just past '<' and an optional '/'), lower-cased into name. */
static void tag_name(const char *s, char name[16])
{
	size_t n = 0;
	while (n < 15 && kb_ascii_isalnum((unsigned char)s[n])) {
		name[n] = (char)kb_ascii_tolower((unsigned char)s[n]);
		n++;
	}
	name[n] = '\0';
}

bool kb_html_is_br(const char *tag)
{
	char name[16];
	if (tag[0] != '<')
		return false;
	tag_name(tag + 1, name);
	return strcmp(name, "br") == 0;
}

bool kb_html_breaks(const char *tag)
{
	char name[16];
	if (tag[0] != '<')
		return false;
	tag_name(tag + 1 + (tag[1] == '/'), name);
	for (size_t i = 0; i < KB_NELEM(block_tags); i++)
		if (strcmp(name, block_tags[i]) == 0)
			return true;
	return false;
}

/* Past the element that starts at s when it is script or style (its content is not text);
 * else s. */
static const char *skip_raw(const char *s)
{
	char name[16], close[24];
	const char *end;
	tag_name(s + 1, name);
	if (strcmp(name, "script") != 0 && strcmp(name, "style") != 0)
		return s;
	snprintf(close, sizeof close, "</%s", name);
	end = kb_memcasemem(s, strlen(s), close);
	if (!end)
		return s + strlen(s);
	end = strchr(end, '>');
	return end ? end + 1 : s + strlen(s);
}

/* Whether s starts a tag of HTML (a name of the lists above, or a few inline ones): "<b>",
 * "</span>"; "<node-name>" in prose is not one. Returns its length, or 0. */
static size_t html_tag(const char *s)
{
	static const char *const inline_tags[] = {"a", "b", "code", "em", "i", "img", "kbd", "span",
	                                          "strong", "sub", "sup", "td", "th", "thead", "tbody", "u"};
	char name[16];
	const char *end;
	bool known = false;
	if (s[0] != '<')
		return 0;
	tag_name(s + 1 + (s[1] == '/'), name);
	for (size_t i = 0; i < KB_NELEM(block_tags) && !known; i++)
		known = strcmp(name, block_tags[i]) == 0;
	for (size_t i = 0; i < KB_NELEM(inline_tags) && !known; i++)
		known = strcmp(name, inline_tags[i]) == 0;
	if (!known || !(end = strchr(s, '>')) || memchr(s, '\n', (size_t)(end - s)))
		return 0;
	return (size_t)(end - s) + 1;
}

char *kb_render_snippet_tidy(const char *s)
{
	struct kb_buf out = {0};
	const char *open = strstr(s, "<!--"), *close = strstr(s, "-->");
	if (close && (!open || close < open)) /* the end of a comment the snippet starts inside */
		s = close + 3;
	while (*s) {
		size_t n;
		const char *end;
		if (strncmp(s, "<!--", 4) == 0) {
			end = strstr(s + 4, "-->");
			s = end ? end + 3 : s + strlen(s); /* to its end, or the snippet's */
		} else if ((n = html_tag(s)) > 0) {
			s += n;
		} else if (s[0] == '{' && s[1] == '#' && (n = strspn(s + 2, "abcdefghijklmnopqrstuvwxyz"
		                                                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_\x02\x03")) > 0 &&
		           (s[2 + n] == '}' || s[2 + n] == '\0' || strcmp(s + 2 + n, "…") == 0)) {
			s += n + 2 + (s[2 + n] == '}'); /* an id the snippet cut off goes too */
		} else {
			kb_buf_putc(&out, *s++);
		}
	}
	return kb_buf_take(&out);
}

void kb_html_text(const char *s, struct kb_buf *out)
{
	while (*s) {
		const char *end;
		if (strncmp(s, "<!--", 4) == 0) {
			end = strstr(s + 4, "-->");
			s = end ? end + 3 : s + strlen(s);
		} else if (*s == '<' && (kb_ascii_isalnum((unsigned char)s[1]) || s[1] == '/' || s[1] == '!' || s[1] == '?')) {
			const char *raw = skip_raw(s);
			if (raw != s) {
				s = raw;
				continue;
			}
			if (kb_html_breaks(s))
				kb_buf_putc(out, '\n');
			end = strchr(s, '>');
			s = end ? end + 1 : s + strlen(s);
		} else if (*s == '&') {
			size_t i = 0;
			while (i < KB_NELEM(entities) && strncmp(s, entities[i].name, strlen(entities[i].name)) != 0)
				i++;
			kb_buf_puts(out, i < KB_NELEM(entities) ? entities[i].text : "&");
			s += i < KB_NELEM(entities) ? strlen(entities[i].name) : 1;
		} else {
			kb_buf_putc(out, *s++);
		}
	}
}
