/* cli_man.c - kb man: a page of the host's manual from the index, read as man(1) shows it,
 * rendered by kb's renderer (no man, mandoc, groff or terminfo needed on the host). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_priv.h"
#include "kb/format.h"
#include "kb/render.h"

/* man(1)'s order of sections when none is given. */
static const char section_order[] = "18234567n9";

/* "man:zh_CN/ls(1)" -> name "ls", section "1", language "zh_CN" (or ""). false if not a page. */
static bool page_parts(const char *path, char *name, char *sec, char *lang, size_t cap)
{
	const char *p = path + 4, *slash, *open, *close;
	if (strncmp(path, "man:", 4) != 0 || !(open = strrchr(p, '(')) || !(close = strrchr(p, ')')) || close < open)
		return false;
	slash = memchr(p, '/', (size_t)(open - p));
	snprintf(lang, cap, "%.*s", slash ? (int)(slash - p) : 0, p);
	p = slash ? slash + 1 : p;
	snprintf(name, cap, "%.*s", (int)(open - p), p);
	snprintf(sec, cap, "%.*s", (int)(close - open - 1), open + 1);
	return true;
}

static int section_rank(const char *sec)
{
	const char *at = strchr(section_order, *sec);
	return (at && *sec ? (int)(at - section_order) : (int)sizeof section_order) * 2 + (sec[0] && sec[1] != '\0');
}

static size_t distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b), *row = kb_xcalloc(m + 1, sizeof *row), d;
	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t cur = row[j], best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	d = row[m];
	free(row);
	return d;
}

/* The page for name (and section, or NULL): the untranslated one, in man(1)'s section order.
 * Returns the path (caller frees) or NULL, and fills near with the nearest names. */
static char *find_page(const struct kb_note_rec *v, size_t n, const char *want, const char *want_sec,
                       struct kb_strv *near)
{
	char name[256], sec[256], lang[256], *best = NULL;
	int best_rank = 0;
	size_t limit = strlen(want) / 3 > 2 ? strlen(want) / 3 : 2;
	for (size_t d = 1; d <= limit && !near->n; d++)
		for (size_t i = 0; i < n; i++)
			if (page_parts(v[i].path, name, sec, lang, sizeof name) && !*lang && strcmp(name, want) != 0 &&
			    distance(name, want) == d && near->n < 8)
				kb_strv_add_unique(near, name);
	for (size_t i = 0; i < n; i++) {
		int r;
		if (v[i].st.format != KB_FORMAT_ROFF || !page_parts(v[i].path, name, sec, lang, sizeof name) || *lang ||
		    strcmp(name, want) != 0 || (want_sec && strncmp(sec, want_sec, strlen(want_sec)) != 0))
			continue;
		r = section_rank(sec);
		if (!best || r < best_rank) {
			free(best);
			best = kb_xstrdup(v[i].path);
			best_rank = r;
		}
	}
	return best;
}

/* The page (or from #option, that entry) as markdown; NULL when the option is not there. */
static char *page_markdown(const struct kb_entries *es, const char *option)
{
	if (!option)
		return kb_format_man_page(es->v, es->n);
	for (size_t i = 0; i < es->n; i++) {
		const char *h = strchr(es->v[i].id, '#');
		if (h && strcmp(h + 1, option) == 0) {
			struct kb_buf b = {0};
			if (es->v[i].section)
				kb_buf_printf(&b, "## %s\n\n", es->v[i].section);
			kb_buf_puts(&b, es->v[i].body);
			return kb_buf_take(&b);
		}
	}
	return NULL;
}

/* Links to other pages (man:ls(1)) are entries when the index has the page. */
static char *resolve_link(void *ctx, const char *target, enum kb_link_kind *kind)
{
	bool entry;
	char *r = kb_index_resolve(ctx, target, &entry);
	if (r)
		*kind = entry ? KB_LINK_ENTRY : KB_LINK_FILE;
	return r;
}

static int show_page(struct kb_index *ix, const char *path, const char *option, const struct kb_cli_out *o,
                     struct kb_buf *text)
{
	struct kb_entries es = {0};
	struct kb_err err;
	struct kb_render_opts ro = {.width = o->width, .ascii = !kb_width_locale_utf8(), .marks = !o->color, .fold_code = o->fold,
	                            .resolve = resolve_link, .resolve_ctx = ix};
	char *md;
	struct kb_doc *doc;
	if (kb_index_note_entries(ix, path, &es, &err) != 0) {
		kb_cli_error("%s", err.msg);
		kb_entries_free(&es); /* those read before the damaged one */
		return -1;
	}
	if (!(md = page_markdown(&es, option))) {
		kb_cli_error("%s has no entry #%s", path, option);
		kb_entries_free(&es);
		return 0;
	}
	kb_buf_puts(text, o->color ? "\033[1m" : "");
	kb_sanitize(text, es.n ? es.v[0].title : path, strlen(es.n ? es.v[0].title : path), false);
	kb_buf_puts(text, o->color ? "\033[0m\n\n" : "\n\n");
	doc = kb_render(md, strlen(md), &ro);
	if (o->color)
		kb_doc_ansi(doc, text);
	else
		kb_doc_plain(doc, text);
	kb_doc_free(doc);
	free(md);
	kb_entries_free(&es);
	return 1;
}

/* NAME, NAME(SECTION), NAME#option; SECTION NAME. */
static int lookup(struct kb_index *ix, int argc, char **argv, const struct kb_cli_out *o, struct kb_buf *text)
{
	struct kb_note_rec *v;
	struct kb_strv near = {0};
	struct kb_err err;
	size_t n;
	char *arg = kb_xstrdup(argv[argc - 1]), *hash = strchr(arg, '#'), *open, *sec = argc == 2 ? argv[0] : NULL;
	char *path;
	int rc = 0;
	if (hash)
		*hash++ = '\0';
	if ((open = strchr(arg, '(')) && open[strlen(open) - 1] == ')') {
		*open++ = '\0';
		open[strlen(open) - 1] = '\0';
		sec = open;
	}
	if (kb_index_notes(ix, &v, &n, &err) != 0) {
		kb_cli_error("%s", err.msg);
		free(arg);
		return -1;
	}
	if ((path = find_page(v, n, arg, sec, &near))) {
		rc = show_page(ix, path, hash, o, text);
	} else {
		kb_cli_error("no manual page %s%s%s%s in the index%s", arg, sec ? "(" : "", sec ? sec : "", sec ? ")" : "",
		             near.n ? "; the nearest:" : " (kb build --man adds the host's manual)");
		for (size_t i = 0; i < near.n; i++) {
			fputs("  ", stderr);
			kb_cli_put(stderr, near.v[i]);
			fputc('\n', stderr);
		}
	}
	free(path);
	kb_strv_free(&near);
	kb_note_recs_free(v, n);
	free(arg);
	return rc;
}

int kb_cmd_man(int argc, char **argv)
{
	static const struct option opts[] = {KB_CLI_PAGE_OPTIONS, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
	struct kb_cli_page_opts po = {0};
	int c, rc;
	struct kb_cli_out out;
	struct kb_index *ix;
	struct kb_buf text = {0};
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:w:ph", opts, NULL)) != -1) {
		if (kb_cli_page_opt(&po, c, optarg))
			continue;
		return c == 'h' ? kb_cli_help("man") : kb_cli_usage("man");
	}
	if (argc - optind < 1 || argc - optind > 2 || kb_cli_page_out(&po, &out) != 0)
		return kb_cli_usage("man");
	if (kb_cli_open(po.db, &ix) != 0)
		return KB_EXIT_ERROR;
	rc = lookup(ix, argc - optind, argv + optind, &out, &text);
	kb_index_close(ix);
	if (rc == 1)
		kb_cli_page(kb_buf_str(&text), &out);
	kb_buf_free(&text);
	return rc == 1 ? KB_EXIT_OK : rc == 0 ? KB_EXIT_NONE : KB_EXIT_ERROR;
}
