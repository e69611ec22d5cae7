/* cli_search.c - kb search, match, components, symptoms and list: finding entries from the
 * shell, for people (aligned, highlighted) and for scripts (tab-separated, JSON lines). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli_priv.h"
#include "kb/normalize.h"
#include "kb/query.h"
#include "kb/render.h"
#include "kb/search.h"

#define SGR_MATCH "\033[1;31m"
#define SGR_ID "\033[1m"
#define SGR_DIM "\033[2m"
#define SGR_OFF "\033[0m"
#define DEFAULT_LIMIT 20
#define LOG_LINE_MAX 65536 /* bytes of one log line that are looked at */

int kb_cli_out_init(struct kb_cli_out *out, const char *when)
{
	struct winsize ws;
	const char *nc = getenv("NO_COLOR");
	const char *cols = getenv("COLUMNS");
	out->tty = isatty(1);
	out->width = 80;
	out->height = 0;
	out->fold = false;
	if (out->tty && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
		out->width = ws.ws_col;
		out->height = ws.ws_row;
	} else if (cols && atoi(cols) > 0) {
		out->width = atoi(cols);
	}
	if (!when || strcmp(when, "auto") == 0)
		out->color = out->tty && !(nc && *nc) && getenv("TERM") && strcmp(getenv("TERM"), "dumb") != 0;
	else if (strcmp(when, "always") == 0)
		out->color = true;
	else if (strcmp(when, "never") == 0)
		out->color = false;
	else
		return -1;
	return 0;
}

bool kb_cli_page_opt(struct kb_cli_page_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'd': o->db = arg; return true;
	case 'w': o->width = atoi(arg); return true;
	case 'p': o->plain = true; return true;
	case 'c': o->color = arg; return true;
	default: return false;
	}
}

int kb_cli_page_out(const struct kb_cli_page_opts *o, struct kb_cli_out *out)
{
	if (kb_cli_out_init(out, o->color) != 0 || o->width < 0)
		return -1;
	if (o->plain)
		out->color = false;
	if (o->width > 0)
		out->width = o->width, out->fold = true;
	return 0;
}

void kb_cli_put(FILE *f, const char *s)
{
	struct kb_buf b = {0};
	kb_sanitize(&b, s ? s : "", s ? strlen(s) : 0, false);
	fputs(kb_buf_str(&b), f);
	kb_buf_free(&b);
}

int kb_cli_put_cols(FILE *f, const char *s, int cols)
{
	struct kb_buf b = {0};
	int used = 0;
	size_t i = 0;
	kb_sanitize(&b, s ? s : "", s ? strlen(s) : 0, false);
	if ((int)kb_width_str(b.s ? b.s : "", b.len) <= cols) {
		fputs(kb_buf_str(&b), f);
		used = (int)kb_width_str(kb_buf_str(&b), b.len);
		kb_buf_free(&b);
		return used;
	}
	while (i < b.len) {
		uint32_t cp;
		int len = kb_utf8_decode(b.s + i, b.len - i, &cp), w = kb_width_cp(cp);
		if (used + w > cols - 1)
			break;
		used += w;
		i += (size_t)len;
	}
	fwrite(b.s, 1, i, f);
	if (cols > 0) {
		fputs(kb_sanitize_is_ascii() ? "~" : "…", f);
		used++;
	}
	kb_buf_free(&b);
	return used;
}

/* A snippet on one line, marks kept: white space collapsed, fences dropped. Appends to flat. */
static void snippet_flat(struct kb_buf *flat_out, const char *snippet)
{
	struct kb_buf flat = *flat_out;
	bool space = false;
	char *raw = kb_render_snippet_tidy(snippet ? snippet : "");
	for (const char *p = raw; *p; p++) {
		if (*p == '\n' || *p == '\t' || *p == ' ' || *p == '\r') {
			space = flat.len > 0;
			continue;
		}
		if (strncmp(p, "```", 3) == 0) {
			p += 2;
			continue;
		}
		if (kb_sanitize_is_ascii() && strncmp(p, "…", 3) == 0) { /* FTS5's ellipsis */
			kb_buf_puts(&flat, space ? " ..." : "...");
			space = false;
			p += 2;
			continue;
		}
		if (space)
			kb_buf_putc(&flat, ' ');
		space = false;
		kb_buf_putc(&flat, *p);
	}
	free(raw);
	*flat_out = flat;
}

/* A snippet on one line: white space collapsed, fences dropped; matches bold when color,
 * unmarked otherwise. Appends to out. */
static void snippet_line(struct kb_buf *out, const char *raw, bool color)
{
	struct kb_buf flat = {0};
	snippet_flat(&flat, raw);
	for (const char *p = kb_buf_str(&flat); *p;) {
		size_t n = strcspn(p, "\x02\x03");
		kb_sanitize(out, p, n, false);
		p += n;
		if (*p == KB_MARK_START && color)
			kb_buf_puts(out, SGR_MATCH);
		else if (*p == KB_MARK_END && color)
			kb_buf_puts(out, SGR_OFF);
		if (*p)
			p++;
	}
	kb_buf_free(&flat);
}

/* Appends s[0..n) (safe text with \x02 and \x03 marks around matches), the marks as
 * colours when color; *in says whether a match is open. */
static void put_marked(struct kb_buf *out, const char *s, size_t n, bool color, bool *in)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == KB_MARK_START || s[i] == KB_MARK_END) {
			*in = s[i] == KB_MARK_START;
			kb_buf_puts(out, color ? (*in ? SGR_MATCH : SGR_OFF) : "");
		} else {
			kb_buf_putc(out, s[i]);
		}
	}
}

/* The columns of the character at p (0 for a mark); its bytes in *len. */
static int char_cols(const char *p, int *len, uint32_t *cp)
{
	int w;
	if (*p == KB_MARK_START || *p == KB_MARK_END) {
		*len = 1, *cp = 0;
		return 0;
	}
	*len = kb_utf8_decode_any(p, strnlen(p, 4), cp);
	w = kb_width_cp(*cp);
	return w > 0 ? w : 0;
}

/* Where a line of at most cols columns that starts at s ends: after the last space or next
 * to a wide character that fits, else (a word longer than the line) at a character; with
 * cut, at the last character that fits. *rest says whether text is left after the line. */
static const char *line_end(const char *s, int cols, bool cut, bool *rest)
{
	const char *p = s, *brk = NULL;
	int used = 0;
	while (*p) {
		uint32_t cp;
		int len, w = char_cols(p, &len, &cp);
		if (used + w > cols)
			break;
		if (w == 2 && p > s)
			brk = p;
		used += w;
		p += len;
		if (cp == ' ' || w == 2)
			brk = p;
	}
	*rest = *p != '\0';
	return !*p || cut || !brk ? p : brk;
}

void kb_cli_wrap(struct kb_buf *out, const char *text, int indent, int cols, int maxlines, bool color)
{
	struct kb_buf safe = {0};
	bool in = false, rest = false;
	int avail = cols - indent > 10 ? cols - indent : 10;
	for (const char *p = text; *p;) { /* safe text, the marks kept */
		size_t k = strcspn(p, "\x02\x03");
		kb_sanitize(&safe, p, k, false);
		p += k;
		if (*p)
			kb_buf_putc(&safe, *p++);
	}
	text = kb_buf_str(&safe);
	for (int line = 0; *text && line < maxlines; line++) {
		bool last = line == maxlines - 1;
		const char *end = line_end(text, avail, false, &rest), *next = end;
		if (rest && last)
			end = line_end(text, avail - 1, true, &rest);
		while (!last && end > text && end[-1] == ' ')
			end--;
		kb_buf_printf(out, "%*s%s", indent, "", color && in ? SGR_MATCH : "");
		put_marked(out, text, (size_t)(end - text), color, &in);
		kb_buf_puts(out, !(rest && last) ? "" : kb_sanitize_is_ascii() ? "~" : "…");
		kb_buf_puts(out, color && in ? SGR_OFF "\n" : "\n");
		text = next;
		while (*text == ' ')
			text++;
	}
	kb_buf_free(&safe);
}

static void hit_json(const struct kb_hit *h, const char *extra)
{
	struct kb_buf b = {0}, snip = {0};
	kb_buf_puts(&b, "{\"id\":");
	kb_buf_json(&b, h->id);
	kb_buf_puts(&b, ",\"path\":");
	kb_buf_json(&b, h->path);
	kb_buf_printf(&b, ",\"line\":%d,\"title\":", h->line);
	kb_buf_json(&b, h->title);
	kb_buf_puts(&b, ",\"components\":[");
	for (size_t i = 0; i < h->components.n; i++) {
		if (i)
			kb_buf_putc(&b, ',');
		kb_buf_json(&b, h->components.v[i]);
	}
	kb_buf_puts(&b, "],\"source\":");
	kb_buf_json(&b, h->source ? h->source : "notes");
	kb_buf_printf(&b, ",\"score\":%.4f,\"snippet\":", h->score);
	snippet_line(&snip, h->snippet, false);
	if (h->snippet)
		kb_buf_json(&b, kb_buf_str(&snip));
	else
		kb_buf_puts(&b, "null");
	kb_buf_puts(&b, extra ? extra : "");
	kb_buf_puts(&b, "}\n");
	fputs(kb_buf_str(&b), stdout);
	kb_buf_free(&b);
	kb_buf_free(&snip);
}

/* One hit: "ID  TITLE  [components]" fitted to the terminal, or id\ttitle\tcomponents\tsnippet. */
static void hit_line(const struct kb_hit *h, const struct kb_cli_out *o)
{
	char *comps = kb_strv_join(&h->components, ", ");
	struct kb_buf snip = {0};
	if (!o->tty) {
		snippet_line(&snip, h->snippet, o->color);
		kb_cli_put(stdout, h->id);
		putchar('\t');
		kb_cli_put(stdout, h->title);
		putchar('\t');
		kb_cli_put(stdout, comps);
		printf("\t%s\n", kb_buf_str(&snip));
	} else { /* the whole id (what kb show takes), then its page and title, then the snippet */
		struct kb_buf b = {0}, t = {0};
		int idw = (int)kb_width_str(h->id, strlen(h->id)), cw = (int)kb_width_str(comps, strlen(comps));
		kb_buf_puts(&b, o->color ? SGR_ID : "");
		kb_sanitize(&b, h->id, strlen(h->id), false);
		kb_buf_puts(&b, o->color ? SGR_OFF : "");
		if (*comps) { /* beside the id when they fit, else on a line of their own */
			kb_buf_printf(&b, "%s%s[", idw + 4 + cw <= o->width ? "  " : "\n  ", o->color ? SGR_DIM : "");
			kb_sanitize(&b, comps, strlen(comps), false);
			kb_buf_printf(&b, "]%s", o->color ? SGR_OFF : "");
		}
		kb_buf_putc(&b, '\n');
		if (h->section && *h->section && strcmp(h->section, h->title) != 0)
			kb_buf_printf(&t, "%s \xe2\x80\xba ", h->section);
		kb_buf_puts(&t, h->title);
		kb_cli_wrap(&b, kb_buf_str(&t), 2, o->width, 2, false);
		if (h->snippet) {
			snippet_flat(&snip, h->snippet);
			kb_cli_wrap(&b, kb_buf_str(&snip), 4, o->width, 2, o->color);
		}
		fputs(kb_buf_str(&b), stdout);
		kb_buf_free(&b);
		kb_buf_free(&t);
	}
	kb_buf_free(&snip);
	free(comps);
}

static int parse_limit(const char *s, size_t *n)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end || v < 0)
		return -1;
	*n = (size_t)v;
	return 0;
}

/* kb search's arguments: options anywhere, but a word starting with - that is not one of
 * them is a word of the query (-docker excludes docker); -- ends the options. */
struct search_args {
	const char *db, *color;
	bool json, help, bad;
	struct kb_search_opts so;
	struct kb_buf text;
};

static const char *opt_value(int argc, char **argv, int *i, const char *shrt, const char *lng)
{
	size_t n = strlen(lng);
	if (strcmp(argv[*i], shrt) == 0 || strcmp(argv[*i], lng) == 0)
		return *i + 1 < argc ? argv[++*i] : NULL;
	if (strncmp(argv[*i], lng, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (shrt[0] && strncmp(argv[*i], shrt, 2) == 0 && argv[*i][2] && strlen(shrt) == 2 &&
	    argv[*i][2] >= '0' && argv[*i][2] <= '9')
		return argv[*i] + 2; /* -n5 */
	return NULL;
}

static bool is_opt(const char *a, const char *shrt, const char *lng)
{
	size_t n = strlen(lng);
	return strcmp(a, shrt) == 0 || strcmp(a, lng) == 0 || (strncmp(a, lng, n) == 0 && a[n] == '=') ||
	       (strlen(shrt) == 2 && strncmp(a, shrt, 2) == 0 && a[2] >= '0' && a[2] <= '9');
}

static void parse_search_args(int argc, char **argv, struct search_args *a)
{
	bool words_only = false;
	for (int i = 1; i < argc; i++) {
		const char *v, *arg = argv[i];
		if (!words_only && strcmp(arg, "--") == 0) {
			words_only = true;
		} else if (!words_only && is_opt(arg, "-d", "--db")) {
			a->bad |= !(a->db = opt_value(argc, argv, &i, "-d", "--db"));
		} else if (!words_only && is_opt(arg, "-n", "--limit")) {
			v = opt_value(argc, argv, &i, "-n", "--limit");
			a->bad |= !v || parse_limit(v, &a->so.limit) != 0;
		} else if (!words_only && (is_opt(arg, "", "--color") || is_opt(arg, "", "--colour"))) {
			a->bad |= !(a->color = opt_value(argc, argv, &i, "", arg[7] == 'u' ? "--colour" : "--color"));
		} else if (!words_only && (strcmp(arg, "--json") == 0 || strcmp(arg, "-j") == 0)) {
			a->json = true;
		} else if (!words_only && (strcmp(arg, "--words") == 0 || strcmp(arg, "-w") == 0)) {
			a->so.no_logline = true;
		} else if (!words_only && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
			a->help = true;
		} else { /* any other word, -docker and --since too, is the query's (kb.1) */
			kb_buf_printf(&a->text, "%s%s", a->text.len ? " " : "", arg);
		}
	}
}

int kb_cmd_search(int argc, char **argv)
{
	struct search_args a = {.so = {.limit = DEFAULT_LIMIT, .snippets = true}};
	struct kb_buf extra = {0}; /* --json: what each hit adds (the corrected query) */
	struct kb_search_result res;
	struct kb_index *ix;
	struct kb_cli_out out;
	struct kb_err err;
	int rc;
	parse_search_args(argc, argv, &a);
	if (a.help) {
		kb_buf_free(&a.text);
		return kb_cli_help("search");
	}
	if (a.bad || a.text.len == 0 || kb_cli_out_init(&out, a.color) != 0) {
		kb_buf_free(&a.text);
		return kb_cli_usage("search");
	}
	if (kb_cli_open(a.db, &ix) != 0) {
		kb_buf_free(&a.text);
		return KB_EXIT_ERROR;
	}
	a.so.text = kb_buf_str(&a.text);
	if (kb_search_run(ix, &a.so, &res, &err) != 0) {
		kb_cli_error("%s", err.msg);
		rc = KB_EXIT_ERROR;
	} else {
		if (res.ignored_words)
			kb_cli_error("only the first %d words of a query are searched: %zu more were left out", KB_QUERY_MAX_TERMS,
			             res.ignored_words);
		if (res.hits.partial)
			kb_cli_error("so many entries have that that only %d of them were ranked: add a word or letters "
			             "to narrow it", KB_INDEX_BOUND_ROWS);
		if (res.showing) {
			kb_buf_puts(&extra, ",\"showing_results_for\":");
			kb_buf_json(&extra, res.showing);
			kb_cli_error("nothing has the words as typed; showing results for %s", res.showing);
		} else if (res.how == KB_SEARCH_SOME && res.hits.n) {
			kb_cli_error("no entry has all of the words; showing those with most of them");
		} else if (res.how == KB_SEARCH_NOTHING) {
			kb_cli_error("nothing to search for in that query");
		}
		for (size_t i = 0; i < res.hits.n; i++) {
			if (a.json)
				hit_json(&res.hits.v[i], res.showing ? kb_buf_str(&extra) : NULL);
			else
				hit_line(&res.hits.v[i], &out);
		}
		rc = res.hits.n ? KB_EXIT_OK : KB_EXIT_NONE;
		kb_search_result_free(&res);
	}
	kb_index_close(ix);
	kb_buf_free(&a.text);
	kb_buf_free(&extra);
	return rc;
}

/* A log read a line at a time through a fixed buffer: memory stays the same however long
 * the log, NUL bytes (binary data in a text log) are dropped from their line, and a line
 * longer than LOG_LINE_MAX keeps its first LOG_LINE_MAX bytes, the rest read and dropped. */
struct log_reader {
	FILE *f;
	size_t pos, end;
	size_t nul_bytes, long_lines;
	bool eof;
	char buf[65536];
};

/* Refills the buffer. Returns false at the end of the stream or on an error (ferror says). */
static bool log_fill(struct log_reader *r)
{
	if (r->eof)
		return false;
	r->pos = 0;
	r->end = fread(r->buf, 1, sizeof r->buf, r->f);
	r->eof = r->end == 0;
	return !r->eof;
}

/* Appends buf[0..n) to line, without NUL bytes and up to LOG_LINE_MAX; returns whether all
 * of it fitted. */
static bool log_put(struct log_reader *r, struct kb_buf *line, const char *p, size_t n)
{
	bool fits = true;
	for (const char *nul; n; n -= (size_t)(nul - p) + 1, p = nul + 1) {
		size_t take;
		nul = memchr(p, '\0', n);
		take = nul ? (size_t)(nul - p) : n;
		if (line->len + take > LOG_LINE_MAX) {
			take = LOG_LINE_MAX - line->len;
			fits = false;
		}
		kb_buf_put(line, p, take);
		if (!nul)
			break;
		r->nul_bytes++;
	}
	return fits;
}

/* Reads the next line into line (without its "\n" or "\r\n"). Returns 1, or 0 at the end. */
static int log_line(struct log_reader *r, struct kb_buf *line)
{
	bool any = false, whole = true;
	kb_buf_reset(line);
	while (r->pos < r->end || log_fill(r)) {
		const char *p = r->buf + r->pos, *nl = memchr(p, '\n', r->end - r->pos);
		size_t n = nl ? (size_t)(nl - p) : r->end - r->pos;
		any = true;
		whole &= log_put(r, line, p, n);
		r->pos += n + (nl != NULL);
		if (nl)
			break;
	}
	if (line->len && line->s[line->len - 1] == '\r')
		line->s[--line->len] = '\0';
	r->long_lines += !whole;
	return any;
}

/* The text of the log's matched lines, by line number (ascending: they come in order). */
struct log_kept {
	struct kb_strv text;
	size_t *no;
};

static const char *kept_text(const struct log_kept *k, size_t no)
{
	size_t lo = 0, hi = k->text.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k->no[mid] == no)
			return k->text.v[mid];
		if (k->no[mid] < no)
			lo = mid + 1;
		else
			hi = mid;
	}
	return "";
}

/* Streams the log through the matcher, keeping the text of the lines it matched.
 * Returns 0, or -1 with err (the matcher's error, or "cannot read"). */
static int match_stream(FILE *f, struct kb_index *ix, struct kb_log_result *res, struct log_kept *kept,
                        struct log_reader *r, struct kb_err *err)
{
	struct kb_buf line = {0};
	int rc = 0;
	r->f = f;
	for (size_t no = 0; rc == 0 && log_line(r, &line); no++) {
		rc = kb_search_log_line(ix, kb_buf_str(&line), no, res, err);
		if (rc == 1) {
			kept->no = kb_xrealloc(kept->no, (kept->text.n + 1) * sizeof *kept->no);
			kept->no[kept->text.n] = no;
			kb_strv_push_own(&kept->text, kb_buf_take(&line));
			rc = 0;
		}
	}
	kb_buf_free(&line);
	if (rc == 0 && ferror(f)) {
		kb_err_set(err, "cannot read the log");
		rc = -1;
	}
	return rc;
}

static void match_out(const struct kb_log_match *m, const struct log_kept *lines, bool json,
                      const struct kb_cli_out *o)
{
	if (json) {
		struct kb_buf extra = {0};
		kb_buf_puts(&extra, ",\"lines\":[");
		for (size_t i = 0; i < m->nlines; i++) {
			kb_buf_printf(&extra, "%s{\"line\":%zu,\"text\":", i ? "," : "", m->lines[i] + 1);
			kb_buf_json(&extra, kept_text(lines, m->lines[i]));
			kb_buf_putc(&extra, '}');
		}
		kb_buf_putc(&extra, ']');
		hit_json(&m->hit, kb_buf_str(&extra));
		kb_buf_free(&extra);
		return;
	}
	hit_line(&m->hit, o);
	for (size_t i = 0; i < m->nlines && i < 5; i++) {
		int w = printf("    %zu: ", m->lines[i] + 1);
		kb_cli_put_cols(stdout, kept_text(lines, m->lines[i]), o->tty ? o->width - w : 1 << 20);
		putchar('\n');
	}
	if (m->nlines > 5)
		printf("    (%zu more lines)\n", m->nlines - 5);
}

/* What kb match says on standard error about the log besides the entries. */
static void match_notes(const struct kb_log_result *res, const struct log_reader *r)
{
	if (r->nul_bytes)
		kb_cli_error("%zu NUL bytes in the log were skipped", r->nul_bytes);
	if (r->long_lines)
		kb_cli_error("log lines longer than %d bytes were read only that far: %zu of them",
		             LOG_LINE_MAX, r->long_lines);
	if (res->error_lines == 0)
		kb_cli_error("no error-looking lines in the log");
	if (res->unmatched_lines)
		kb_cli_error("only the first %zu error-looking lines were matched; %zu more were not",
		             res->error_lines, res->unmatched_lines);
}

int kb_cmd_match(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"json", no_argument, NULL, 'j'},
		{"color", required_argument, NULL, 'c'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
	const char *db = NULL, *color = NULL;
	bool json = false;
	size_t limit = DEFAULT_LIMIT;
	struct log_kept kept = {0};
	struct log_reader *reader;
	struct kb_log_result res = {0};
	struct kb_index *ix;
	struct kb_cli_out out;
	struct kb_err err;
	FILE *f = stdin;
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:n:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'n':
			if (parse_limit(optarg, &limit) != 0)
				return kb_cli_usage("match");
			break;
		case 'j': json = true; break;
		case 'c': color = optarg; break;
		case 'h': return kb_cli_help("match");
		default: return kb_cli_usage("match");
		}
	}
	if (argc - optind > 1 || kb_cli_out_init(&out, color) != 0)
		return kb_cli_usage("match");
	if (optind < argc && strcmp(argv[optind], "-") != 0 && !(f = fopen(argv[optind], "r"))) {
		kb_cli_error("%s: cannot read it", argv[optind]);
		return KB_EXIT_ERROR;
	}
	if (kb_cli_open(db, &ix) != 0) {
		if (f != stdin)
			fclose(f);
		return KB_EXIT_ERROR;
	}
	reader = kb_xcalloc(1, sizeof *reader);
	rc = match_stream(f, ix, &res, &kept, reader, &err);
	if (f != stdin)
		fclose(f);
	if (rc != 0) {
		kb_cli_error("%s", err.msg);
		rc = KB_EXIT_ERROR;
	} else {
		match_notes(&res, reader);
		kb_search_log_finish(&res, limit);
		for (size_t i = 0; i < res.n; i++)
			match_out(&res.v[i], &kept, json, &out);
		rc = res.n ? KB_EXIT_OK : KB_EXIT_NONE;
	}
	kb_log_result_free(&res);
	kb_index_close(ix);
	kb_strv_free(&kept.text);
	free(kept.no);
	free(reader);
	return rc;
}

/* Shared option parsing of the browsing commands. Returns -1 on a usage error. */
static int browse_opts(int argc, char **argv, const char *cmd, const char **db, bool *json,
                       const char **comp, const char **symptom)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"json", no_argument, NULL, 'j'},
		{"component", required_argument, NULL, 'C'}, {"symptom", required_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:jh", opts, NULL)) != -1) {
		if (c == 'd')
			*db = optarg;
		else if (c == 'j')
			*json = true;
		else if (c == 'C' && comp)
			*comp = optarg;
		else if (c == 'S' && symptom)
			*symptom = optarg;
		else if (c == 'h')
			return 1;
		else
			return -1;
	}
	if (optind != argc)
		return -1;
	(void)cmd;
	return 0;
}

static int print_counts(const char *cmd, int argc, char **argv, bool symptoms)
{
	const char *db = NULL;
	bool json = false;
	struct kb_index *ix;
	struct kb_counts counts = {0};
	struct kb_cli_out out;
	struct kb_err err;
	int rc = browse_opts(argc, argv, cmd, &db, &json, NULL, NULL);
	if (rc != 0)
		return rc > 0 ? kb_cli_help(cmd) : kb_cli_usage(cmd);
	kb_cli_out_init(&out, NULL);
	if (kb_cli_open(db, &ix) != 0)
		return KB_EXIT_ERROR;
	rc = (symptoms ? kb_index_symptoms : kb_index_components)(ix, &counts, &err);
	if (rc != 0) {
		kb_cli_error("%s", err.msg);
		kb_index_close(ix);
		return KB_EXIT_ERROR;
	}
	for (size_t i = 0; i < counts.n; i++) {
		const struct kb_count *k = &counts.v[i];
		if (json) {
			struct kb_buf b = {0};
			kb_buf_puts(&b, symptoms ? "{\"signature\":" : "{\"name\":");
			kb_buf_json(&b, k->name);
			if (symptoms) {
				kb_buf_puts(&b, ",\"example\":");
				kb_buf_json(&b, k->example ? k->example : "");
			}
			kb_buf_printf(&b, ",\"entries\":%lld}\n", k->entries);
			fputs(kb_buf_str(&b), stdout);
			kb_buf_free(&b);
		} else if (!out.tty) {
			kb_cli_put(stdout, k->name);
			if (symptoms) {
				putchar('\t');
				kb_cli_put(stdout, k->example);
			}
			printf("\t%lld\n", k->entries);
		} else {
			printf("%6lld  ", k->entries);
			kb_cli_put_cols(stdout, symptoms ? k->example : k->name, out.width - 8);
			putchar('\n');
		}
	}
	rc = counts.n ? KB_EXIT_OK : KB_EXIT_NONE;
	kb_counts_free(&counts);
	kb_index_close(ix);
	return rc;
}

int kb_cmd_components(int argc, char **argv)
{
	return print_counts("components", argc, argv, false);
}

int kb_cmd_symptoms(int argc, char **argv)
{
	return print_counts("symptoms", argc, argv, true);
}

int kb_cmd_list(int argc, char **argv)
{
	const char *db = NULL, *comp = NULL, *symptom = NULL;
	bool json = false;
	struct kb_index *ix;
	struct kb_hits hits = {0};
	struct kb_cli_out out;
	struct kb_err err;
	char *sig = NULL;
	int rc = browse_opts(argc, argv, "list", &db, &json, &comp, &symptom);
	if (rc != 0 || (!comp && !symptom))
		return rc > 0 ? kb_cli_help("list") : kb_cli_usage("list");
	kb_cli_out_init(&out, NULL);
	if (kb_cli_open(db, &ix) != 0)
		return KB_EXIT_ERROR;
	if (symptom)
		sig = kb_normalize(symptom, strlen(symptom));
	rc = kb_index_list(ix, comp, sig, &hits, &err);
	if (rc == 0 && hits.n == 0 && symptom) { /* not a stored signature: the text in symptoms */
		struct kb_search_opts so = {.no_logline = true};
		struct kb_search_result res;
		struct kb_buf q = {0};
		kb_buf_puts(&q, "symptom:");
		kb_query_quote(&q, symptom, strlen(symptom));
		if (comp)
			kb_buf_printf(&q, " component:%s", comp);
		so.text = kb_buf_str(&q);
		rc = kb_search_run(ix, &so, &res, &err);
		if (rc == 0) {
			hits = res.hits;
			memset(&res.hits, 0, sizeof res.hits);
			kb_search_result_free(&res);
		}
		kb_buf_free(&q);
	}
	if (rc != 0) {
		kb_cli_error("%s", err.msg);
		rc = KB_EXIT_ERROR;
	} else {
		for (size_t i = 0; i < hits.n; i++) {
			if (json)
				hit_json(&hits.v[i], NULL);
			else
				hit_line(&hits.v[i], &out);
		}
		rc = hits.n ? KB_EXIT_OK : KB_EXIT_NONE;
	}
	kb_hits_free(&hits);
	free(sig);
	kb_index_close(ix);
	return rc;
}
