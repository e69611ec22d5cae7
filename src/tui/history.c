/* history.c - the search history, kept between runs in $XDG_STATE_HOME/kb/history: one query a
 * line, oldest first, written to a new file and renamed into place. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui_priv.h"

#define HISTORY_MAX 500
#define HISTORY_BYTES (1u << 20)

/* The history file's path (caller frees), or NULL when there is no home to keep it in. */
static char *history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	if (state && *state == '/')
		return kb_xasprintf("%s/kb/history", state);
	if (home && *home)
		return kb_xasprintf("%s/.local/state/kb/history", home);
	return NULL;
}

void kb_tui_history_load(struct kb_tui *t)
{
	char *data;
	size_t len;
	struct kb_err err;
	t->history_path = history_path();
	if (!t->history_path || kb_read_file(t->history_path, HISTORY_BYTES, &data, &len, &err) != 0)
		return;
	for (char *p = data; *p;) {
		size_t n = strcspn(p, "\n");
		if (n > 0) {
			char *q = kb_xstrndup(p, n);
			for (size_t i = 0; i < t->history.n; i++) /* keep the latest copy only */
				if (strcmp(t->history.v[i], q) == 0) {
					free(t->history.v[i]);
					memmove(&t->history.v[i], &t->history.v[i + 1],
					        (t->history.n - i - 1) * sizeof *t->history.v);
					t->history.n--;
					break;
				}
			kb_strv_push_own(&t->history, q);
		}
		p += n + (p[n] == '\n');
	}
	free(data);
}

/* Makes the directories above path (0700: queries may be private). */
static void make_dirs(const char *path)
{
	char *d = kb_xstrdup(path);
	for (char *p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0700) != 0 && errno != EEXIST)
			break;
		*p = '/';
	}
	free(d);
}

static void save(const struct kb_tui *t)
{
	char *tmp = kb_xasprintf("%s.%ld.tmp", t->history_path, (long)getpid());
	FILE *f;
	size_t from = t->history.n > HISTORY_MAX ? t->history.n - HISTORY_MAX : 0;
	make_dirs(t->history_path);
	if (!(f = fopen(tmp, "w"))) {
		free(tmp);
		return;
	}
	chmod(tmp, 0600);
	for (size_t i = from; i < t->history.n; i++)
		fprintf(f, "%s\n", t->history.v[i]);
	if (fclose(f) == 0)
		rename(tmp, t->history_path);
	else
		unlink(tmp);
	free(tmp);
}

void kb_tui_history_add(struct kb_tui *t, const char *query)
{
	size_t n = strlen(query);
	while (n > 0 && query[n - 1] == ' ')
		n--;
	while (n > 0 && *query == ' ')
		query++, n--;
	if (n == 0 || strchr(query, '\n'))
		return;
	for (size_t i = 0; i < t->history.n; i++)
		if (strlen(t->history.v[i]) == n && strncmp(t->history.v[i], query, n) == 0) {
			free(t->history.v[i]);
			memmove(&t->history.v[i], &t->history.v[i + 1], (t->history.n - i - 1) * sizeof *t->history.v);
			t->history.n--;
			break;
		}
	kb_strv_push_own(&t->history, kb_xstrndup(query, n));
	if (t->history_path)
		save(t);
}
