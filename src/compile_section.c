/* compile_section.c - a section of a note's markdown named as a link or kb show names it: its
 * heading found by id, anchor or text, and the lines under it up to the next heading of its
 * level or a higher one (its subsections stay in). */
#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compile_priv.h"

/* The anchor compile.c gives the heading whose own anchor is want: want itself the first time,
 * then want-1, want-2 (seen holds the anchors given so far). Returns a new string. */
static char *next_anchor(struct kb_strmap *seen, const char *want)
{
	char *a = kb_xstrdup(want);
	int k = 0;
	if (kb_strmap_get(seen, want, &k))
		k++;
	while (kb_strmap_get(seen, a, NULL)) {
		free(a);
		a = kb_xasprintf("%s-%d", want, k++);
	}
	kb_strmap_put(seen, a, 0);
	kb_strmap_put(seen, want, k > 0 ? k - 1 : 0);
	return a;
}

/* Whether heading h is the one name names; *anchor gets its anchor when it is (caller frees). */
static bool names(cmark_node *h, const char *name, struct kb_strmap *seen, char **anchor)
{
	char *given, *text = kb_md_heading_text(h, &given), *slug = kb_md_slug(text);
	char *a = given ? kb_xstrdup(given) : next_anchor(seen, *slug ? slug : "section");
	char *name_slug = kb_md_slug(name);
	bool is = strcmp(a, name) == 0 || strcasecmp(text, name) == 0 ||
	          (*name_slug && strcmp(name_slug, slug) == 0);
	if (given) /* an author's id is taken as the heading's anchor: no other heading gets it */
		kb_strmap_put(seen, given, 0);
	*anchor = is ? a : NULL;
	if (!is)
		free(a);
	free(text);
	free(given);
	free(slug);
	free(name_slug);
	return is;
}

static int count_lines(const char *s, size_t len)
{
	int n = 0;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n + (len > 0 && s[len - 1] != '\n');
}

int kb_compile_section(const char *text, size_t len, const char *name, int *first, int *last,
                       char **anchor)
{
	cmark_node *doc = cmark_parse_document(text, len, CMARK_OPT_SOURCEPOS), *h = NULL, *n;
	struct kb_strmap seen = {0};
	int level = 0;
	*anchor = NULL;
	for (n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) != CMARK_NODE_HEADING)
			continue;
		if (h && cmark_node_get_heading_level(n) <= level)
			break;
		if (!h && names(n, name, &seen, anchor)) {
			h = n;
			level = cmark_node_get_heading_level(n);
		}
	}
	if (h) {
		*first = cmark_node_get_start_line(h);
		*last = n ? cmark_node_get_start_line(n) - 1 : count_lines(text, len);
	}
	kb_strmap_free(&seen);
	cmark_node_free(doc);
	return h != NULL;
}
