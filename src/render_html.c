/* render_html.c - raw HTML in a note, and the markdown of a search snippet, read as text:
 * comments never show, <br> and block tags break lines, other tags are dropped and their text
 * kept, script and style are dropped whole, a few common entities are decoded; a snippet's
 * heading, list and emphasis marks, backticks and link targets go. Nothing is executed or
 * fetched. */
#include <stdio.h>
#include <stdlib.h>
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

/* ---- Snippets: markdown read as text ---------------------------------------------------- */

static bool is_mark(char c)
{
	return c == '\x02' || c == '\x03';
}

/* The character next to s[i] in direction dir (+1, -1), match marks skipped; '\0' (and '\n'
 * for a line end) at the ends. */
static char beside(const char *s, size_t n, size_t i, int dir)
{
	for (size_t j = i; dir > 0 ? j + 1 < n : j > 0;) {
		j = dir > 0 ? j + 1 : j - 1;
		if (!is_mark(s[j]))
			return s[j];
	}
	return '\0';
}

static bool blank(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n';
}

/* Whether s[i] ends a paragraph of the snippet: its end, or a line end before a blank line. */
static bool para_end(const char *s, size_t n, size_t i)
{
	return i >= n || (s[i] == '\n' && s[i + 1 + strspn(s + i + 1, " \t\r")] == '\n');
}

/* Where the closing backticks of the code span that opens at s[i] start, on its line; 0 when
 * it does not close there. (Spans may cross lines, but a snippet can start inside one, and
 * pairing its closing backticks with the next span's opening ones would hide the text
 * between as code.) */
static size_t code_close(const char *s, size_t n, size_t i)
{
	size_t k = strspn(s + i, "`");
	for (size_t j = i + k; j < n && s[j] != '\n'; j++) {
		size_t m = strspn(s + j, "`");
		if (m == k)
			return j;
		j += m ? m - 1 : 0;
	}
	return 0;
}

/* Whether the run of k emphasis characters (* or _) at s[i] opens emphasis that a run like
 * it closes later in the paragraph (code spans skipped); *close gets where that run starts. */
static bool emphasis(const char *s, size_t n, size_t i, size_t k, size_t *close)
{
	char c = s[i], before = beside(s, n, i, -1);
	if (blank(beside(s, n, i + k - 1, 1)) || (c == '_' && kb_ascii_isalnum((unsigned char)before)))
		return false;
	for (size_t j = i + k; j + k <= n && !para_end(s, n, j);) {
		size_t end;
		if (s[j] == '`') {
			j = (end = code_close(s, n, j)) ? end + strspn(s + end, "`") : j + strspn(s + j, "`");
			continue;
		}
		if (strncmp(s + j, s + i, k) == 0 && s[j + k] != c && s[j - 1] != c && !blank(beside(s, n, j, -1)) &&
		    !(c == '_' && kb_ascii_isalnum((unsigned char)beside(s, n, j + k - 1, 1)))) {
			*close = j;
			return true;
		}
		j++;
	}
	return false;
}

/* Where the link whose text opens with the '[' at s[i] ends: past "](url)" or "][ref]" (the
 * snippet's end when it cut the target off, a trailing ellipsis kept), its ']' in *text_end;
 * 0 when s[i] does not open one. */
static size_t link_end(const char *s, size_t n, size_t i, size_t *text_end)
{
	size_t j = i + 1, depth = 1;
	char open, closer;
	for (; !para_end(s, n, j) && depth; j++)
		depth += s[j] == '[' ? 1 : s[j] == ']' ? (size_t)-1 : 0;
	if (depth || j >= n || (s[j] != '(' && s[j] != '['))
		return 0;
	*text_end = j - 1;
	open = s[j], closer = open == '(' ? ')' : ']';
	for (depth = 0; j < n; j++) {
		depth += s[j] == open ? 1 : s[j] == closer ? (size_t)-1 : 0;
		if (!depth)
			return j + 1;
	}
	return n >= 3 && strcmp(s + n - 3, "…") == 0 ? n - 3 : n;
}

/* The length of the block marks at the start of a line at s: "## ", "- ", "> ", a code
 * fence with its info string (the whole line); 0 when there are none. A line that starts
 * with a code span ("```docker save```") is none, nor one the snippet ends in, cut. */
static size_t line_marks(const char *s, bool *fence)
{
	size_t i = strspn(s, " \t"), k, eol = i + strcspn(s + i, "\n");
	*fence = (strncmp(s + i, "```", 3) == 0 && !memchr(s + i + 3, '`', eol - i - 3)) ||
	         strncmp(s + i, "~~~", 3) == 0;
	*fence = *fence && s[eol] == '\n';
	if (*fence)
		return eol;
	if ((k = strspn(s + i, "#")) >= 1 && k <= 6 && s[i + k] == ' ')
		return i + k + 1;
	if (s[i] && strchr("-*+>", s[i]) && s[i + 1] == ' ')
		return i + 2;
	return 0;
}

/* Past the parenthesised target that opens at s[i] (the snippet's end when it cut it off, a
 * trailing ellipsis kept). */
static size_t target_end(const char *s, size_t n, size_t i)
{
	for (size_t depth = 0, j = i; j < n; j++) {
		depth += s[j] == '(' ? 1 : s[j] == ')' ? (size_t)-1 : 0;
		if (!depth)
			return j + 1;
	}
	return n >= 3 && strcmp(s + n - 3, "…") == 0 ? n - 3 : n;
}

/* Marks gone[] the inline markdown at s[i] that is not text (see markup) and returns where
 * the next starts. *bracket says whether a '[' came before in the paragraph. */
static size_t inline_markup(const char *s, size_t n, size_t i, char *gone, bool *bracket)
{
	size_t k, close, text_end = 0, end;
	if (s[i] == '`') {
		k = strspn(s + i, "`");
		memset(gone + i, 1, k); /* a lone run (its span cut off) goes too */
		if ((close = code_close(s, n, i)) == 0)
			return i + k;
		memset(gone + close, 1, k);
		return close + k;
	}
	if (s[i] == '\\' && s[i + 1] && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", s[i + 1])) {
		gone[i] = 1;
		return i + 2;
	}
	if ((s[i] == '[' || (s[i] == '!' && s[i + 1] == '[')) && (end = link_end(s, n, i + (s[i] == '!'), &text_end)) > 0) {
		k = 1 + (s[i] == '!');
		memset(gone + i, 1, k);
		memset(gone + text_end, 1, end - text_end);
		return i + k;
	}
	*bracket = *bracket || s[i] == '[';
	if (s[i] == ']' && s[i + 1] == '(' && !*bracket) { /* the link's text began before the snippet */
		end = target_end(s, n, i + 1);
		memset(gone + i, 1, end - i);
		return end;
	}
	if (s[i] != '*' && s[i] != '_')
		return i + 1;
	k = strspn(s + i, s[i] == '*' ? "*" : "_");
	if ((k <= 2 && emphasis(s, n, i, k, &close)) || (k == 2 && s[i] == '*')) {
		memset(gone + i, 1, k); /* "**" without its pair: cut off, or not emphasis to cmark */
		if (k <= 2 && emphasis(s, n, i, k, &close))
			memset(gone + close, 1, k);
	}
	return i + k;
}

/* Whether the text s[from..end) ends a sentence or a clause (marks and blanks aside). */
static bool ends_clause(const char *s, size_t from, size_t end)
{
	static const char *const cjk[] = {"\xe3\x80\x82", "\xef\xbc\x9a", "\xef\xbc\x9f", "\xef\xbc\x81"}; /* 。：？！ */
	while (end > from && (blank(s[end - 1]) || s[end - 1] == '\r' || is_mark(s[end - 1])))
		end--;
	if (end > from && strchr(".:?!", s[end - 1]))
		return true;
	for (size_t i = 0; i < KB_NELEM(cjk); i++)
		if (end >= from + 3 && memcmp(s + end - 3, cjk[i], 3) == 0)
			return true;
	return false;
}

/* Marks gone[] the markdown of s that is not text (1): block marks, the heading that opens
 * the snippet (the entry's own title, shown above it), emphasis marks, code backticks, link
 * targets and the backslash of escapes; and the line end of a heading inside the snippet
 * (2: it reads ": ", so that the heading does not run into the text after it). */
static void markup(const char *s, size_t n, char *gone)
{
	bool fence, bracket = false;
	size_t first = strncmp(s, "…", 3) == 0 ? strcspn(s, "`\n") : n, k;
	/* A snippet cut inside a code span: the backticks that close it pair with nothing. They
	 * look it: text before them, no letter or digit after. */
	if (first < n && s[first] == '`' && !blank(beside(s, n, first, -1)) &&
	    !kb_ascii_isalnum((unsigned char)beside(s, n, first + (k = strspn(s + first, "`")) - 1, 1)))
		memset(gone + first, 1, k);
	for (size_t i = 0; i < n;) {
		if (i == 0 || s[i - 1] == '\n') {
			size_t m = line_marks(s + i, &fence), eol = i + strcspn(s + i, "\n");
			bool heading = m && !fence && s[i + strspn(s + i, " \t")] == '#';
			if (heading && i == 0 && s[eol + strspn(s + eol, " \t\r\n")])
				m = eol + strspn(s + eol, " \t\r\n"); /* the entry's heading: the title above says it */
			else if (heading && s[eol] == '\n' && !ends_clause(s, i + m, eol))
				gone[eol] = 2;
			memset(gone + i, 1, m);
			bracket = bracket && !(i > 0 && para_end(s, n, i - 1));
			i += m;
			if (m)
				continue;
		}
		i = gone[i] ? i + 1 : inline_markup(s, n, i, gone, &bracket);
	}
}

/* The snippet's markdown as the text it shows (markup), match marks kept. */
static char *snippet_text(const char *s)
{
	size_t n = strlen(s);
	char *gone = kb_xcalloc(n + 1, 1);
	struct kb_buf out = {0};
	markup(s, n, gone);
	for (size_t i = 0; i < n; i++) {
		if (gone[i] == 2)
			kb_buf_puts(&out, ": ");
		if (gone[i] && !is_mark(s[i]))
			continue;
		if (s[i] == '\x03' && out.len && out.s[out.len - 1] == '\x02')
			out.s[--out.len] = '\0'; /* a match all gone (in the heading, say) */
		else if (!(out.len == 0 && blank(s[i]))) /* nor blanks where marks went first */
			kb_buf_putc(&out, s[i]);
	}
	free(gone);
	if (!out.s)
		return kb_xstrdup("");
	return kb_buf_take(&out);
}

/* Whether an entity of the table starts s: its text appended to out, its length in *n. */
static bool entity(const char *s, struct kb_buf *out, size_t *n)
{
	for (size_t i = 0; i < KB_NELEM(entities); i++) {
		if (strncmp(s, entities[i].name, strlen(entities[i].name)) == 0) {
			kb_buf_puts(out, entities[i].text);
			*n = strlen(entities[i].name);
			return true;
		}
	}
	return false;
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
		} else if (*s == '&' && entity(s, &out, &n)) {
			s += n;
		} else {
			kb_buf_putc(&out, *s++);
		}
	}
	{
		char *text = snippet_text(kb_buf_str(&out));
		kb_buf_free(&out);
		return text;
	}
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
