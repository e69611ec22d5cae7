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
#include "kb/format.h"

/* Why the note rel of an index (anyone's file, carried between hosts) is not to be opened
 * under notes_dir, or NULL: it must be a note by its name, a relative path with no "." or
 * ".." and no hidden name (as the build walks), and stay under notes_dir once its symbolic
 * links are resolved. Else an index could have the editor open, and the build after it
 * write over, a file elsewhere ("../../etc/passwd"). */
static const char *not_a_note(const char *notes_dir, const char *rel)
{
	char *full, *real, *root;
	const char *why = NULL;
	size_t n;
	if (!kb_format_for_file(rel, "notes") || rel[0] == '/' || rel[0] == '.' || strstr(rel, "/.") || strstr(rel, "//"))
		return "not the path of a note under the notes directory";
	full = kb_xjoin(notes_dir, "/", rel);
	real = realpath(full, NULL);
	root = realpath(notes_dir, NULL);
	n = root ? strlen(root) : 0;
	if (!real || !root)
		why = strerror(errno);
	else if (strncmp(real, root, n) != 0 || (real[n] != '/' && n > 1) || strstr(real + n, "/."))
		why = "a symbolic link out of the notes directory";
	free(full);
	free(real);
	free(root);
	return why;
}

char *kb_edit_path(struct kb_index *ix, const struct kb_entry *e, char **notes_dir, struct kb_err *err)
{
	struct kb_index_info info;
	struct stat st;
	char *path;
	const char *why;
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
	if ((why = not_a_note(info.notes_dir, e->path))) {
		kb_err_set(err, "%s: %s", path, why);
		free(path);
		kb_index_info_free(&info);
		return NULL;
	}
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
