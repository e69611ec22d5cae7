/* cli_build.c - kb build and kb check: the commands that read notes, not the index. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_priv.h"
#include "kb/build.h"
#include "kb/normalize.h"
#include "kb/query.h"
#include "kb/tokenizer.h"

static int cmp_diag(const void *a, const void *b)
{
	const struct kb_diag *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	return x->line != y->line ? (x->line < y->line ? -1 : 1) : 0;
}

/* Prints diagnostics (notes, and mandoc's warnings about man pages, only when verbose) in
 * path and line order, each a line for people or (json) a JSON object. */
static void print_diags(struct kb_diags *d, bool verbose, bool json)
{
	struct kb_buf line = {0};
	if (d->n > 1)
		qsort(d->v, d->n, sizeof *d->v, cmp_diag);
	for (size_t i = 0; i < d->n; i++) {
		if (!verbose && (kb_diag_level(d->v[i].code) == KB_DIAG_NOTE || d->v[i].code == KB_D_MANDOC ||
		                 d->v[i].code == KB_D_MANDOC_MORE))
			continue;
		kb_buf_reset(&line);
		if (json)
			kb_diag_json(&d->v[i], &line);
		else
			kb_diag_format(&d->v[i], &line);
		fprintf(stderr, "%s\n", kb_buf_str(&line));
	}
	kb_buf_free(&line);
}

struct progress {
	bool on;
	struct timespec last;
};

static void show_progress(void *ctx, size_t done, size_t total)
{
	struct progress *p = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (done < total && (now.tv_sec - p->last.tv_sec) * 1000000000L + (now.tv_nsec - p->last.tv_nsec) < 100000000L)
		return;
	p->last = now;
	fprintf(stderr, "\rkb: reading notes %zu/%zu", done, total);
	if (done == total)
		fprintf(stderr, "\r\033[K");
	fflush(stderr);
}

/* The man trees as man(1) finds them: $MANPATH, else what manpath(1) says, else the
 * MANDATORY_MANPATH lines of /etc/manpath.config, else the usual directories. An empty
 * element of $MANPATH (a leading, trailing or doubled ':') stands for the rest. Caller frees. */
static char *default_man_path(void)
{
	const char *env = getenv("MANPATH");
	char *sys = NULL, *out;
	FILE *p;
	if ((p = popen("manpath -q 2>/dev/null", "r"))) {
		char line[4096];
		if (fgets(line, sizeof line, p) && *line && *line != '\n') {
			line[strcspn(line, "\n")] = '\0';
			sys = kb_xstrdup(line);
		}
		pclose(p);
	}
	if (!sys && (p = fopen("/etc/manpath.config", "r"))) {
		struct kb_buf b = {0};
		char line[4096], dir[4096];
		while (fgets(line, sizeof line, p))
			if (sscanf(line, "MANDATORY_MANPATH %4095s", dir) == 1)
				kb_buf_printf(&b, "%s%s", b.len ? ":" : "", dir);
		fclose(p);
		sys = b.len ? kb_buf_take(&b) : NULL;
		kb_buf_free(&b);
	}
	if (!sys)
		sys = kb_xstrdup("/usr/share/man:/usr/local/share/man:/usr/local/man");
	if (!env || !*env)
		return sys;
	if (env[0] == ':' || env[strlen(env) - 1] == ':' || strstr(env, "::")) {
		struct kb_buf b = {0};
		for (const char *e = env; ; ) { /* each empty element becomes the system's path */
			size_t n = strcspn(e, ":");
			kb_buf_printf(&b, "%s%.*s", b.len ? ":" : "", (int)(n ? n : strlen(sys)), n ? e : sys);
			if (!e[n])
				break;
			e += n + 1;
		}
		out = kb_buf_take(&b);
	} else {
		out = kb_xstrdup(env);
	}
	free(sys);
	return out;
}

int kb_cmd_build(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"full", no_argument, NULL, 'f'},
		{"quiet", no_argument, NULL, 'q'}, {"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'}, {"man", optional_argument, NULL, 'm'},
		{"man-lang", required_argument, NULL, 'L'}, {"no-man", no_argument, NULL, 'N'}, {0, 0, 0, 0}};
	const char *db = NULL;
	char *man_dirs = NULL;
	bool quiet = false, verbose = false, man = false;
	struct kb_build_opts bo = {.notes_dir = "kb"};
	struct kb_build_stats st;
	struct kb_diags diags = {0};
	struct progress prog = {0};
	struct kb_err err;
	char *target;
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:fqvh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'f': bo.full = true; break;
		case 'q': quiet = true; break;
		case 'v': verbose = true; break;
		case 'h': return kb_cli_help("build");
		case 'm':
			man = true;
			free(man_dirs);
			man_dirs = optarg ? kb_xstrdup(optarg) : NULL;
			break;
		case 'L': bo.man_langs = optarg; break;
		case 'N': bo.man_drop = true; break;
		default: free(man_dirs); return kb_cli_usage("build");
		}
	}
	if (man && bo.man_drop) {
		free(man_dirs);
		kb_cli_error("--man and --no-man: choose one");
		return KB_EXIT_ERROR;
	}
	if (man && !man_dirs)
		man_dirs = default_man_path();
	bo.man_dirs = man_dirs;
	if (argc - optind > 1)
		return kb_cli_usage("build");
	if (optind < argc)
		bo.notes_dir = argv[optind];
	target = kb_cli_build_target(db);
	bo.db_path = target;
	prog.on = !quiet && isatty(2);
	if (prog.on) {
		bo.progress = show_progress;
		bo.progress_ctx = &prog;
	}
	rc = kb_build(&bo, &st, &diags, &err);
	print_diags(&diags, verbose, false);
	if (rc != 0) {
		kb_cli_error("%s", err.msg);
		rc = KB_EXIT_ERROR;
	} else {
		if (!quiet) {
			struct kb_buf safe = {0};
			kb_sanitize(&safe, target, strlen(target), false);
			fprintf(stderr, "kb: %zu entries from %zu notes in %s (%zu compiled, %zu unchanged, "
			        "%zu skipped, %zu removed", st.entries, st.notes, kb_buf_str(&safe), st.compiled,
			        st.unchanged, st.skipped, st.removed);
			if (st.kept)
				fprintf(stderr, ", %zu kept unread", st.kept);
			fputs(")\n", stderr);
			if (st.man_pages || st.man_unchanged)
				fprintf(stderr, "kb: man pages: %zu found, %zu compiled, %zu unchanged; mandoc warned about %zu%s\n",
				        st.man_pages, st.man_compiled, st.man_unchanged, st.man_warned,
				        st.man_warned && !verbose ? " (kb build -v lists its warnings)" : "");
			if (verbose && (st.read_ahead || st.read_waited))
				fprintf(stderr, "kb: notes not in the page cache: %zu waited for, %zu asked of the disk ahead\n",
				        st.read_waited, st.read_ahead);
			kb_buf_free(&safe);
		}
		rc = kb_diags_count(&diags, KB_DIAG_ERROR) ? KB_EXIT_NONE : KB_EXIT_OK;
	}
	kb_diags_free(&diags);
	free(target);
	free(man_dirs);
	return rc;
}

static void json_strv(struct kb_buf *b, const struct kb_strv *sv)
{
	kb_buf_putc(b, '[');
	for (size_t i = 0; i < sv->n; i++) {
		if (i)
			kb_buf_putc(b, ',');
		kb_buf_json(b, sv->v[i]);
	}
	kb_buf_putc(b, ']');
}

static void entry_json(struct kb_buf *b, const struct kb_entry *e)
{
	kb_buf_puts(b, "{\"id\":");
	kb_buf_json(b, e->id);
	kb_buf_puts(b, ",\"path\":");
	kb_buf_json(b, e->path);
	kb_buf_printf(b, ",\"line\":%d,\"end_line\":%d,\"title\":", e->line, e->end_line);
	kb_buf_json(b, e->title);
	kb_buf_puts(b, ",\"doc_title\":");
	kb_buf_json(b, e->doc_title ? e->doc_title : "");
	kb_buf_puts(b, ",\"section\":");
	if (e->section)
		kb_buf_json(b, e->section);
	else
		kb_buf_puts(b, "null");
	kb_buf_puts(b, ",\"components\":");
	json_strv(b, &e->components);
	kb_buf_puts(b, ",\"tags\":");
	json_strv(b, &e->tags);
	kb_buf_puts(b, ",\"links\":");
	json_strv(b, &e->links);
	kb_buf_puts(b, ",\"symptoms\":[");
	for (size_t i = 0; i < e->nsymptoms; i++) {
		kb_buf_puts(b, i ? ",{\"text\":" : "{\"text\":");
		kb_buf_json(b, e->symptoms[i].text);
		kb_buf_puts(b, ",\"signature\":");
		kb_buf_json(b, e->symptoms[i].signature);
		kb_buf_printf(b, ",\"line\":%d}", e->symptoms[i].line);
	}
	kb_buf_puts(b, "],\"body\":");
	kb_buf_json(b, e->body);
	kb_buf_puts(b, "}\n");
}

static void entry_text(const struct kb_entry *e)
{
	char *comps = kb_strv_join(&e->components, ", ");
	kb_cli_put(stdout, e->id);
	printf(":%d-%d\n  title: ", e->line, e->end_line);
	kb_cli_put(stdout, e->title);
	printf("\n  components: ");
	kb_cli_put(stdout, comps);
	printf("\n");
	for (size_t i = 0; i < e->nsymptoms; i++) {
		printf("  symptom: ");
		kb_cli_put(stdout, e->symptoms[i].text);
		printf("\n");
	}
	free(comps);
}

int kb_cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
	bool json = false;
	const char *dir = "kb";
	struct kb_entries es = {0};
	struct kb_diags diags = {0};
	struct kb_err err;
	int c, rc = KB_EXIT_OK;
	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		if (c == 'j')
			json = true;
		else if (c == 'h')
			return kb_cli_help("check");
		else
			return kb_cli_usage("check");
	}
	if (optind < argc)
		dir = argv[optind++];
	do {
		const char *only = optind < argc ? argv[optind] : NULL;
		if (kb_build_check(dir, only, &es, &diags, &err) < 0) {
			kb_cli_error("%s", err.msg);
			rc = KB_EXIT_ERROR;
			break;
		}
	} while (++optind < argc);
	for (size_t i = 0; i < es.n; i++) {
		if (json) {
			struct kb_buf b = {0};
			entry_json(&b, &es.v[i]);
			fputs(kb_buf_str(&b), stdout);
			kb_buf_free(&b);
		} else {
			entry_text(&es.v[i]);
		}
	}
	print_diags(&diags, true, json);
	if (rc == KB_EXIT_OK && kb_diags_count(&diags, KB_DIAG_ERROR))
		rc = KB_EXIT_NONE;
	kb_entries_free(&es);
	kb_diags_free(&diags);
	return rc;
}
