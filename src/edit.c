/* edit.c - an entry's note in the user's editor at the entry's line, then the index brought
 * up to date (kb edit, the browser's e). */
#include "kb/edit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kb/build.h"
#include "kb/diag.h"

char *kb_edit_path(struct kb_index *ix, const struct kb_entry *e, char **notes_dir, struct kb_err *err)
{
	struct kb_index_info info;
	struct stat st;
	char *path;
	*notes_dir = NULL;
	if (kb_index_info(ix, &info, err) != 0)
		return NULL;
	if (!info.notes_dir || !*info.notes_dir || stat(info.notes_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		kb_err_set(err, "only the index is on this host, not the notes it was built from (%s)",
		           info.notes_dir && *info.notes_dir ? info.notes_dir : "unknown");
		kb_index_info_free(&info);
		return NULL;
	}
	path = kb_xjoin(info.notes_dir, "/", e->path);
	if (access(path, W_OK) != 0) {
		kb_err_set(err, "%s: %s", path, strerror(errno));
		free(path);
		kb_index_info_free(&info);
		return NULL;
	}
	*notes_dir = kb_xstrdup(info.notes_dir);
	kb_index_info_free(&info);
	return path;
}

int kb_edit_run(const char *path, int line, struct kb_err *err)
{
	/* the editor may be a command with options ("code -w"): the shell splits it, and gets
	 * the file and the line from the environment, quoted */
	static const char script[] = "exec ${VISUAL:-${EDITOR:-vi}} \"+$KB_EDIT_LINE\" \"$KB_EDIT_FILE\"";
	char lines[24];
	int status;
	pid_t pid;
	snprintf(lines, sizeof lines, "%d", line > 0 ? line : 1);
	pid = fork();
	if (pid < 0) {
		kb_err_set(err, "cannot start the editor: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		setenv("KB_EDIT_FILE", path, 1);
		setenv("KB_EDIT_LINE", lines, 1);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127); /* the child that could not become the shell: the parent says why */
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			kb_err_set(err, "waiting for the editor: %s", strerror(errno));
			return -1;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		kb_err_set(err, "no editor could be run (set VISUAL or EDITOR)");
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int kb_edit_rebuild(const char *notes_dir, const char *db_path, struct kb_diags *diags, struct kb_err *err)
{
	struct kb_build_opts bo = {.notes_dir = notes_dir, .db_path = db_path};
	struct kb_build_stats st;
	return kb_build(&bo, &st, diags, err);
}
