/* cli_show.c - kb show: one entry, laid out for the terminal and paged like man does. */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_priv.h"
#include "kb/format.h"
#include "kb/note.h"
#include "kb/query.h"
#include "kb/render.h"

static char *resolve_link(void *ctx, const char *target, enum kb_link_kind *kind)
{
	bool entry;
	char *r = kb_index_resolve(ctx, target, &entry);
	if (r)
		*kind = entry ? KB_LINK_ENTRY : KB_LINK_FILE;
	return r;
}

/* Where the rendered lines go as they come: the document is not kept whole. */
struct print_to {
	const struct kb_cli_out *o;
	struct kb_buf *out;
};

static void print_lines(void *ctx, const struct kb_doc *doc)
{
	const struct print_to *p = ctx;
	if (p->o->color)
		kb_doc_ansi(doc, p->out);
	else
		kb_doc_plain(doc, p->out);
}

/* An entry's (or a whole note's) markdown rendered for o, the words of highlight marked. */
static void render_body(struct kb_index *ix, const struct kb_entry *e, const struct kb_cli_out *o,
                        const char *highlight, struct kb_buf *out)
{
	struct kb_strv words = {0};
	struct print_to to = {o, out};
	struct kb_render_opts ro = {
		.width = o->width, .ascii = !kb_width_locale_utf8(), .marks = !o->color, .fold_code = o->fold,
		.base = e->path, .resolve = resolve_link, .resolve_ctx = ix,
		.flush = print_lines, .flush_ctx = &to};
	struct kb_doc *doc;
	if (highlight) {
		struct kb_query *q = kb_query_parse(highlight, 0);
		kb_query_words(q, &words);
		kb_query_free(q);
		ro.highlight = words.n ? (const char *const *)words.v : NULL;
	}
	doc = kb_format_render(e, &ro); /* its lines went to print_lines */
	kb_doc_free(doc);
	kb_strv_free(&words);
}

/* The two lines above an entry or a note: where it sits (title, in bold; may be NULL), then
 * its id and place (dimmed), each wrapped within the width, then a blank line. */
static void format_header(const char *title, const char *meta, const struct kb_cli_out *o,
                          struct kb_buf *out)
{
	if (title) { /* the header too keeps within the width */
		kb_buf_puts(out, o->color ? "\033[1m" : "");
		kb_cli_wrap(out, title, 0, o->width, INT_MAX, false);
		kb_buf_puts(out, o->color ? "\033[0m" : "");
	}
	kb_buf_puts(out, o->color ? "\033[2m" : "");
	kb_cli_wrap(out, meta, 0, o->width, INT_MAX, false);
	kb_buf_puts(out, o->color ? "\033[0m\n" : "\n");
}

/* The entry as the reader sees it: where it sits, then its markdown rendered for o. */
static void format_entry(struct kb_index *ix, const struct kb_entry *e, const struct kb_cli_out *o,
                         const char *highlight, struct kb_buf *out)
{
	struct kb_buf meta = {0};
	char *comps = kb_strv_join(&e->components, ", ");
	kb_buf_printf(&meta, "%s  (line %d)%s%s%s", e->id, e->line, *comps ? "  [" : "", comps, *comps ? "]" : "");
	/* an entry under no heading (a page's head, a note of one entry): its title, unless
	 * its own first line is a heading that says it */
	format_header(e->section ? e->section : e->body[0] != '#' ? e->title : NULL, meta.s, o, out);
	render_body(ix, e, o, highlight, out);
	kb_buf_free(&meta);
	free(comps);
}

/* A whole note: its title, where it is, then its entries' markdown rendered for o. */
static void format_note(struct kb_index *ix, const struct kb_note *n, const struct kb_cli_out *o,
                        const char *highlight, struct kb_buf *out)
{
	struct kb_entry e = {.path = n->path, .id = n->path, .line = 1, .body = n->markdown,
	                     .format = n->format};
	struct kb_buf meta = {0};
	kb_buf_printf(&meta, "%s  (the whole note: %zu entries)", n->path, n->ids.n);
	format_header(n->title, meta.s, o, out);
	kb_buf_free(&meta);
	render_body(ix, &e, o, highlight, out);
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Writes text through $PAGER (default "less -R") when it is longer than the screen. */
static void page(const char *text, const struct kb_cli_out *o)
{
	const char *pager = getenv("PAGER");
	FILE *p;
	int status;
	if (!o->tty || o->height <= 0 || count_lines(text) < o->height) {
		fputs(text, stdout);
		return;
	}
	if (!pager || !*pager)
		pager = "less -R";
	if (!getenv("LESS"))
		setenv("LESS", "FRX", 1);
	fflush(stdout);
	signal(SIGPIPE, SIG_IGN);
	if (!(p = popen(pager, "w"))) {
		fputs(text, stdout);
		return;
	}
	fputs(text, p);
	status = pclose(p);
	signal(SIGPIPE, SIG_DFL);
	/* The shell could not run the pager (a jump host without less): print it as it is. */
	if (status == -1 || (WIFEXITED(status) && WEXITSTATUS(status) == 127))
		fputs(text, stdout);
}

/* A file a note links to, stored in the index (a script, a config): its text, made safe.
 * Returns 1 when path is one, 0 when not, -1 on an error (printed). */
static int show_file(struct kb_index *ix, const char *path, struct kb_buf *out)
{
	char *data;
	size_t len;
	struct kb_err err;
	int rc = kb_index_file(ix, path, &data, &len, &err);
	if (rc < 0) {
		kb_cli_error("%s", err.msg);
		return -1;
	}
	if (rc == 1) {
		kb_sanitize(out, data, len, true);
		if (len && data[len - 1] != '\n')
			kb_buf_putc(out, '\n');
		free(data);
	}
	return rc;
}

int kb_cli_find_entry(struct kb_index *ix, const char *id, struct kb_entry *e)
{
	struct kb_strv ids = {0}, cand = {0};
	struct kb_err err;
	int rc = kb_index_get(ix, id, e, &err);
	if (rc != 0) {
		if (rc < 0)
			kb_cli_error("%s", err.msg);
		return rc;
	}
	if (kb_index_ids(ix, &ids, &err) != 0) {
		kb_cli_error("%s", err.msg);
		return -1;
	}
	for (size_t i = 0; i < ids.n; i++)
		if (kb_starts_with(ids.v[i], id))
			kb_strv_push(&cand, ids.v[i]);
	if (cand.n == 1) {
		rc = kb_index_get(ix, cand.v[0], e, &err);
	} else if (cand.n > 1) {
		kb_cli_error("%s names %zu entries:", id, cand.n);
		for (size_t i = 0; i < cand.n && i < 20; i++) {
			fputs("  ", stderr);
			kb_cli_put(stderr, cand.v[i]);
			fputc('\n', stderr);
		}
	} else {
		kb_cli_error("no entry %s (kb search finds entries; kb list --component NAME lists them)", id);
	}
	kb_strv_free(&ids);
	kb_strv_free(&cand);
	return rc;
}

/* A note of several entries, named by its path: all of it. Returns 1 when path is one
 * (printed into out), 0 when not, -1 on an error (printed). */
static int show_note(struct kb_index *ix, const char *path, const struct kb_cli_out *o,
                     const char *highlight, bool source, struct kb_buf *out)
{
	struct kb_note n;
	struct kb_err err;
	int rc = strchr(path, '#') ? 0 : kb_note_load(ix, path, &n, &err);
	if (rc < 0)
		kb_cli_error("%s", err.msg);
	if (rc != 1)
		return rc;
	if (n.ids.n < 2) /* a note of one entry: that entry, as kb show ID shows it */
		rc = 0;
	else if (source)
		kb_sanitize(out, n.markdown, strlen(n.markdown), true), kb_buf_putc(out, '\n');
	else
		format_note(ix, &n, o, highlight, out);
	kb_note_free(&n);
	return rc;
}

/* The section heading's place in the note: "(the section: N entries)", or the entry it is in. */
static char *section_meta(const struct kb_note *n, const char *anchor, int first, int last, int *only)
{
	int k = 0, in = 0;
	*only = -1;
	for (size_t i = 0; i < n->ids.n; i++) {
		if (n->lines[i] <= first)
			in = (int)i;
		if (n->lines[i] >= first && n->lines[i] <= last)
			k++, *only = (int)i;
	}
	if (k != 1 || n->lines[*only] != first || (*only + 1 < (int)n->ids.n && n->lines[*only + 1] <= last))
		*only = -1; /* not one entry from its heading on */
	if (k > 1)
		return kb_xasprintf("%s#%s  (the section: %d entries)", n->path, anchor, k);
	return kb_xasprintf("%s#%s  (in %s)", n->path, anchor, n->ids.v[in]);
}

/* Whether id is that of an entry of n that is not a heading's section (an item of a list of
 * problems, "path#3"): it is that entry, whatever heading has the same name. */
static bool item_id(const struct kb_note *n, const char *id)
{
	int i = kb_note_find(n, id);
	return i >= 0 && *kb_note_line(n, n->lines[i]) != '#';
}

/* A section of a note, PATH#NAME (NAME a heading's id, anchor or text; kb_compile_section):
 * the heading and everything under it, its subsections included, though they are entries of
 * their own. Returns 1 when printed into out, 0 when it names no heading or exactly one entry
 * (*id then gets that entry's id, caller frees), -1 on an error (printed). */
static int show_section(struct kb_index *ix, const char *arg, const struct kb_cli_out *o,
                        const char *highlight, bool source, struct kb_buf *out, char **id)
{
	const char *hash = strchr(arg, '#');
	char *path, *anchor = NULL, *meta, *md;
	struct kb_note n;
	struct kb_err err;
	int rc, first, last, only;
	if (!hash || !hash[1])
		return 0;
	path = kb_xstrndup(arg, (size_t)(hash - arg));
	rc = kb_note_load(ix, path, &n, &err);
	free(path);
	if (rc < 0)
		kb_cli_error("%s", err.msg);
	if (rc != 1)
		return rc;
	if (item_id(&n, arg) || !(md = kb_note_section(&n, hash + 1, &first, &last, &anchor))) {
		kb_note_free(&n);
		return 0;
	}
	meta = section_meta(&n, anchor, first, last, &only);
	if (only >= 0) {
		*id = kb_xstrdup(n.ids.v[only]);
		rc = 0;
	} else {
		struct kb_entry e = {.path = n.path, .id = anchor, .line = first, .format = n.format,
		                     .body = md};
		md = NULL;
		if (source) {
			kb_sanitize(out, e.body, strlen(e.body), true);
			kb_buf_putc(out, '\n');
		} else {
			format_header(n.title, meta, o, out);
			render_body(ix, &e, o, highlight, out);
		}
		free(e.body);
		rc = 1;
	}
	free(md);
	free(meta);
	free(anchor);
	kb_note_free(&n);
	return rc;
}

int kb_cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		KB_CLI_PAGE_OPTIONS, {"highlight", required_argument, NULL, 'H'},
		{"source", no_argument, NULL, 's'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
	struct kb_cli_page_opts po = {0};
	const char *highlight = NULL;
	bool source = false;
	int c, rc;
	struct kb_cli_out out;
	struct kb_index *ix;
	struct kb_entry e;
	struct kb_buf text = {0};
	char *id = NULL; /* the entry a section name named */
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:w:pH:sh", opts, NULL)) != -1) {
		if (kb_cli_page_opt(&po, c, optarg))
			continue;
		switch (c) {
		case 's': source = true; break;
		case 'H': highlight = optarg; break;
		case 'h': return kb_cli_help("show");
		default: return kb_cli_usage("show");
		}
	}
	if (argc - optind != 1 || kb_cli_page_out(&po, &out) != 0)
		return kb_cli_usage("show");
	if (kb_cli_open(po.db, &ix) != 0)
		return KB_EXIT_ERROR;
	rc = show_file(ix, argv[optind], &text);
	if (rc == 0 && (rc = show_note(ix, argv[optind], &out, highlight, source, &text)) == 0 &&
	    (rc = show_section(ix, argv[optind], &out, highlight, source, &text, &id)) == 0 &&
	    (rc = kb_cli_find_entry(ix, id ? id : argv[optind], &e)) == 1) {
		if (source) { /* the markdown as stored, control characters made visible */
			kb_sanitize(&text, e.body, strlen(e.body), true);
			kb_buf_putc(&text, '\n');
		} else {
			format_entry(ix, &e, &out, highlight, &text);
		}
		kb_entry_clear(&e);
	}
	kb_index_close(ix); /* before the pager, which may stay open for long (kb_index_open_with) */
	if (rc == 1)
		page(kb_buf_str(&text), &out);
	kb_buf_free(&text);
	free(id);
	return rc == 1 ? KB_EXIT_OK : rc == 0 ? KB_EXIT_NONE : KB_EXIT_ERROR;
}

void kb_cli_page(const char *text, const struct kb_cli_out *o)
{
	page(text, o);
}
