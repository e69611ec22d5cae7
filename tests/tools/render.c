/* render.c - kbrender, the render module's test driver: renders markdown files, or checks line widths over many. */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kb/render.h"
#include "kb/width.h"

static const char usage[] =
	"usage: kbrender [--width N] [--plain|--ansi|--tagged] [--ascii] [--marks|--no-marks]\n"
	"                [--highlight WORD]... [--base PATH] [--notes DIR] FILE\n"
	"       kbrender --check [--width N]... [--ascii] [--marks] FILE...\n"
	"                (FILE - reads file names from stdin)\n";

struct notes {
	const char *dir;
};

/* The driver's resolver: a target names an entry when it is a .md file, else a file. */
static char *resolve(void *ctx, const char *target, enum kb_link_kind *kind)
{
	const struct notes *n = ctx;
	struct stat st;
	size_t plen = strcspn(target, "#");
	char *path = kb_xasprintf("%s/%.*s", n->dir, (int)plen, target);
	int rc = stat(path, &st);
	free(path);
	if (rc != 0)
		return NULL;
	*kind = plen > 3 && strncmp(target + plen - 3, ".md", 3) == 0 ? KB_LINK_ENTRY : KB_LINK_FILE;
	return kb_xstrdup(target);
}

/* Checks one document: returns the number of problems, printing each. */
static int check_doc(const char *name, const struct kb_doc *d)
{
	int bad = 0;
	for (size_t i = 0; i < d->nlines; i++) {
		const struct kb_line *l = &d->lines[i];
		int sum = 0;
		for (size_t j = 0; j < l->nspans; j++) {
			const struct kb_span *s = &d->spans[l->span + j];
			const char *t = kb_span_text(d, s);
			sum += s->width;
			if ((size_t)s->width != kb_width_str(t, s->len) ||
			    kb_utf8_check(t, s->len) != s->len || memchr(t, '\0', s->len)) {
				printf("%s: width %d: line %zu: span %zu is not what it says\n", name,
				       d->width, i + 1, j);
				bad++;
			}
			for (size_t k = 0; k < s->len; k++) {
				unsigned char c = (unsigned char)t[k];
				if (c < 0x20 || c == 0x7f) {
					printf("%s: line %zu: control byte 0x%02x\n", name, i + 1, c);
					bad++;
				}
			}
		}
		if (sum != l->width || (l->code < 0 && l->width > d->width)) {
			printf("%s: width %d: line %zu is %d columns (spans %d)\n", name, d->width,
			       i + 1, l->width, sum);
			bad++;
		}
	}
	return bad;
}

/* How --check renders: the options given, at each width. */
static struct kb_render_opts check_opts;

static int check_file(const char *path, const int *widths, int nw, long *lines)
{
	char *text;
	size_t len;
	struct kb_err err;
	int bad = 0;
	if (kb_read_file(path, 64u << 20, &text, &len, &err) != 0) {
		printf("%s: %s\n", path, err.msg);
		return 1;
	}
	for (int w = 0; w < nw; w++) {
		struct kb_render_opts o = check_opts;
		o.width = widths[w];
		o.base = path;
		struct kb_doc *d = kb_render(text, len, &o);
		bad += check_doc(path, d);
		*lines += (long)d->nlines;
		kb_doc_free(d);
	}
	free(text);
	return bad;
}

static int check(char **files, int nfiles, const int *widths, int nw)
{
	long lines = 0, nf = 0;
	int bad = 0;
	for (int i = 0; i < nfiles; i++) {
		if (strcmp(files[i], "-") != 0) {
			bad += check_file(files[i], widths, nw, &lines);
			nf++;
			continue;
		}
		char buf[PATH_MAX + 2];
		while (fgets(buf, sizeof buf, stdin)) {
			buf[strcspn(buf, "\n")] = '\0';
			if (buf[0]) {
				bad += check_file(buf, widths, nw, &lines);
				nf++;
			}
		}
	}
	printf("kbrender: %ld files, %ld display lines, %d problems\n", nf, lines, bad);
	return bad ? 1 : 0;
}

enum mode { PLAIN, ANSI, TAGGED };

/* What the command line asked for. */
struct args {
	enum mode mode;
	int widths[32], nw, marks; /* marks: -1 as the mode has it */
	bool checking;
	struct kb_strv hl;
	struct kb_render_opts o;
	struct notes notes;
};

/* Reads the options; returns the index of the first file name. */
static int parse_args(int argc, char **argv, struct args *g)
{
	int a;
	for (a = 1; a < argc && argv[a][0] == '-' && argv[a][1]; a++) {
		const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;
		if (strcmp(opt, "--width") == 0 && val && g->nw < 32)
			g->widths[g->nw++] = atoi(val), a++;
		else if (strcmp(opt, "--highlight") == 0 && val)
			kb_strv_push(&g->hl, val), a++;
		else if (strcmp(opt, "--base") == 0 && val)
			g->o.base = val, a++;
		else if (strcmp(opt, "--notes") == 0 && val)
			g->notes.dir = val, a++;
		else if (strcmp(opt, "--plain") == 0 || strcmp(opt, "--ansi") == 0 ||
		         strcmp(opt, "--tagged") == 0)
			g->mode = opt[2] == 'p' ? PLAIN : opt[2] == 'a' ? ANSI : TAGGED;
		else if (strcmp(opt, "--ascii") == 0)
			g->o.ascii = true;
		else if (strcmp(opt, "--marks") == 0 || strcmp(opt, "--no-marks") == 0)
			g->marks = opt[2] == 'm';
		else if (strcmp(opt, "--check") == 0)
			g->checking = true;
		else
			break;
	}
	if (g->nw == 0)
		g->widths[g->nw++] = 80;
	return a;
}

/* Renders one file to standard output as args say. */
static int show(const char *path, struct args *g)
{
	char *text;
	size_t len;
	struct kb_err err;
	if (kb_read_file(path, 64u << 20, &text, &len, &err) != 0) {
		fprintf(stderr, "kbrender: %s: %s\n", path, err.msg);
		return 1;
	}
	g->o.width = g->widths[0];
	g->o.highlight = g->hl.n ? (const char *const *)g->hl.v : NULL;
	g->o.marks = g->marks < 0 ? g->mode == PLAIN : g->marks;
	if (g->notes.dir) {
		g->o.resolve = resolve;
		g->o.resolve_ctx = &g->notes;
	}
	struct kb_doc *d = kb_render(text, len, &g->o);
	struct kb_buf out = {0};
	if (g->mode == PLAIN)
		kb_doc_plain(d, &out);
	else if (g->mode == ANSI)
		kb_doc_ansi(d, &out);
	else
		kb_doc_tagged(d, &out);
	fwrite(out.s ? out.s : "", 1, out.len, stdout);
	kb_buf_free(&out);
	kb_doc_free(d);
	free(text);
	return 0;
}

int main(int argc, char **argv)
{
	struct args g = {.mode = PLAIN, .marks = -1};
	int rc = 2;
	setlocale(LC_ALL, "");
	kb_width_init();
	int a = parse_args(argc, argv, &g);
	if (g.checking && a < argc) {
		check_opts.ascii = g.o.ascii;
		check_opts.marks = g.marks > 0;
		rc = check(argv + a, argc - a, g.widths, g.nw);
	} else if (a == argc - 1) {
		rc = show(argv[a], &g);
	} else {
		fputs(usage, stderr);
	}
	kb_strv_free(&g.hl);
	return rc;
}
