/* build.c - the notes directory to kb.db: walks it, compiles what changed, writes the index. */
#include "kb/build.h"

#include "build_priv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pthread.h>
#include <unistd.h>

#include "kb/compile.h"
#include "kb/format.h"
#include "kb/index.h"
#include "kb/normalize.h"
#include "kb/tokenizer.h"
#include "kb/width.h"

#define MAX_DEPTH 64
/* diag.c's texts name the limits */
_Static_assert(KB_BUILD_LINKED_MAX == 1u << 20, "the text of KB_D_LINKED_TOO_BIG says 1 MiB");
_Static_assert(KB_COMPILE_MAX_BYTES == 16u << 20, "the text of KB_D_TOO_BIG says 16 MiB");

struct note_file {
	char *rel;
	const struct kb_format *fmt; /* the format that takes it */
	long long size, mtime_ns; /* when timed (else the worker learns them as it reads) */
	bool timed;
};

struct walk {
	const char *root;
	char *real_root; /* root with its symbolic links resolved (NULL: unknown; no link is followed) */
	struct note_file *v;
	size_t n, cap;
	struct kb_diags *diags;
	struct kb_strv unread; /* directories and notes that exist but could not be read ("": all) */
	struct {
		dev_t dev;
		ino_t ino;
	} seen[MAX_DEPTH]; /* directories on the current path, to refuse symlink loops */
	int depth;
	bool times; /* stat every note for its size and time (an incremental build compares them) */
};

/* A name in a directory, and its type as readdir tells it (DT_UNKNOWN: look). */
struct dir_name {
	char *name;
	unsigned char type;
};

static int cmp_dir_name(const void *a, const void *b)
{
	return strcmp(((const struct dir_name *)a)->name, ((const struct dir_name *)b)->name);
}

/* The format of the notes directory's file name, or NULL when it is not a note. */
static const struct kb_format *note_format(const char *name)
{
	return kb_format_for_file(name, "notes");
}

/* What a file that is neither a directory nor a regular file is, for a diagnostic. */
static const char *file_kind(mode_t mode)
{
	return S_ISDIR(mode) ? "a directory" : S_ISFIFO(mode) ? "a FIFO" : S_ISCHR(mode) ? "a character device"
	     : S_ISBLK(mode) ? "a block device" : S_ISSOCK(mode) ? "a socket" : "not a regular file";
}

/* Whether real (a path with no symbolic links in it) is the directory real_root or under it. */
static bool within(const char *real, const char *real_root)
{
	size_t n = strlen(real_root);
	if (n == 1 && real_root[0] == '/')
		return real[0] == '/';
	return strncmp(real, real_root, n) == 0 && (real[n] == '\0' || real[n] == '/');
}

/* Whether a path relative to the notes directory has a hidden name (one starting with '.',
 * as .git, .env) in it. */
static bool hidden(const char *rel)
{
	return rel[0] == '.' || strstr(rel, "/.") != NULL;
}

/* Whether root/rel, once every symbolic link in it is resolved, is still inside the notes
 * directory real_root: 1 yes, 0 no, -1 when it cannot be resolved (errno says why). *real
 * (when not NULL) gets the resolved path (caller frees). */
static int resolve_inside(const char *root, const char *real_root, const char *rel, char **real)
{
	char *full = kb_xjoin(root, "/", rel), *r = realpath(full, NULL);
	int rc = !r ? -1 : real_root && within(r, real_root);
	free(full);
	if (real)
		*real = r;
	else
		free(r);
	return rc;
}

/* Why a file found as it was opened is not read: what it is told with begins so. */
#define OPENED_LINK "a symbolic link "
#define OPENED_OUTSIDE OPENED_LINK "out of the notes directory"
#define OPENED_HIDDEN OPENED_LINK "to a hidden file (a name starting with '.')"

/* Why the open file fd may not be read (OPENED_OUTSIDE or OPENED_HIDDEN, *code set to
 * KB_ERR_OUTSIDE or KB_ERR_HIDDEN; or an error, KB_ERR_FAILED), or NULL: it must be under the notes
 * directory real_root with no hidden name below it. The walk looked at each name earlier,
 * and anyone who may write in the notes can replace one by a symbolic link (or a directory
 * on its path by one) before it is read: the kernel names the file a descriptor is
 * (/proc/self/fd/N), whatever names led to it, so what is read is checked as it is opened.
 * Without /proc that cannot be asked, and the walk's look stands; nor when the notes
 * directory's own real path is unknown (real_root NULL). */
static const char *fd_refusal(int fd, const char *real_root, enum kb_err_code *code)
{
	char link[32], real[PATH_MAX];
	ssize_t n;
	*code = KB_ERR_FAILED;
	if (!real_root)
		return NULL;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if ((n = readlink(link, real, sizeof real - 1)) < 0)
		return errno == ENOENT ? NULL : strerror(errno);
	real[n] = '\0';
	if (!within(real, real_root))
		return *code = KB_ERR_OUTSIDE, OPENED_OUTSIDE;
	if (hidden(real + strlen(real_root)))
		return *code = KB_ERR_HIDDEN, OPENED_HIDDEN;
	return NULL;
}

/* kb_read_fd_times of fd (which it closes) when fd_refusal has nothing against it; else
 * closes it and returns -1 with err saying why. */
static int read_fd_inside(const char *real_root, int fd, size_t max, char **data, size_t *len, long long *size,
                          long long *mtime_ns, bool *uncached, struct kb_err *err)
{
	enum kb_err_code code;
	const char *why = fd_refusal(fd, real_root, &code);
	if (why) {
		kb_err_set_code(err, code, "%s", why);
		close(fd);
		return -1;
	}
	return kb_read_fd_times(fd, max, data, len, size, mtime_ns, uncached, err);
}

/* kb_read_file_times of path, a file the walk found, when what opens may be read (see
 * fd_refusal; else -1 with err saying why). Opened without blocking: a FIFO put there since
 * never hangs the build. */
static int read_inside(const char *real_root, const char *path, size_t max, char **data, size_t *len,
                       long long *size, long long *mtime_ns, bool *uncached, struct kb_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		kb_err_set(err, "%s", strerror(errno));
		return -1;
	}
	return read_fd_inside(real_root, fd, max, data, len, size, mtime_ns, uncached, err);
}

/* Whether an error reading a file or directory that exists means it could not be read this
 * time (permissions, I/O, a path too long) rather than that it is gone or broken. */
static bool unreadable_errno(int e)
{
	return e != ENOENT && e != ENOTDIR && e != ELOOP;
}

/* Reports that rel could not be read and remembers it: what the old index has from it is kept. */
static void unread(struct walk *w, const char *rel, int e)
{
	if (unreadable_errno(e)) {
		kb_diag_addf(w->diags, KB_D_UNREADABLE_KEPT, *rel ? rel : w->root, 0, 0, "%s", strerror(e));
		kb_strv_push(&w->unread, rel);
	} else {
		kb_diag_addf(w->diags, KB_D_UNREADABLE, *rel ? rel : w->root, 0, 0, "%s", strerror(e));
	}
}

static void add_note(struct walk *w, char *rel, const struct kb_format *fmt, const struct stat *st)
{
	kb_xgrow(&w->v, &w->cap, w->n + 1, sizeof *w->v);
	w->v[w->n] = (struct note_file){.rel = rel, .fmt = fmt};
	if (st) {
		w->v[w->n].size = (long long)st->st_size;
		w->v[w->n].mtime_ns = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
		w->v[w->n].timed = true;
	}
	w->n++;
}

static void walk_dir(struct walk *w, const char *rel);

/* Walks into the directory child (st: what it is), unless it is one on the current path. */
static void walk_subdir(struct walk *w, const char *child, const struct stat *st)
{
	bool loop = false;
	for (int i = 0; i < w->depth; i++)
		loop |= w->seen[i].dev == st->st_dev && w->seen[i].ino == st->st_ino;
	if (loop || w->depth >= MAX_DEPTH) {
		kb_diag_add(w->diags, loop ? KB_D_DIR_LOOP : KB_D_DIRS_TOO_DEEP, child, 0, 0);
		return;
	}
	w->seen[w->depth].dev = st->st_dev;
	w->seen[w->depth].ino = st->st_ino;
	w->depth++;
	walk_dir(w, child);
	w->depth--;
}

/* Looks at child (name in the open directory dir, or from the root when dir is -1; type:
 * what readdir said it is) as what it leads to: 0 with *st, or -1 when it is not to be
 * walked or read (reported, unless it is a link to a file that is no note: kb never reads
 * those). A symbolic link is followed only to a directory or note inside the notes
 * directory. */
static int look(struct walk *w, int dir, const char *child, const char *name, unsigned char type, bool note,
                struct stat *st)
{
	char *full = dir < 0 ? kb_xjoin(w->root, "/", child) : NULL;
	int at = dir < 0 ? AT_FDCWD : dir, rc = 0, in;
	const char *p = dir < 0 ? full : name;
	bool link = type == DT_LNK ||
	            (type == DT_UNKNOWN && fstatat(at, p, st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st->st_mode));
	if (fstatat(at, p, st, 0) != 0) {
		unread(w, child, errno);
		rc = -1;
	} else if ((link || dir < 0) && (S_ISDIR(st->st_mode) || note)) { /* dir < 0: a path, maybe via links */
		char *real = NULL;
		if ((in = resolve_inside(w->root, w->real_root, child, &real)) < 0) {
			unread(w, child, errno);
			rc = -1;
		} else if (!in || hidden(real + strlen(w->real_root))) { /* hidden: ignored, as when walked */
			kb_diag_add(w->diags, !in ? KB_D_LINK_OUT : KB_D_LINK_HIDDEN, child, 0, 0);
			rc = -1;
		}
		free(real);
	} else if (link) {
		rc = -1;
	}
	free(full);
	return rc;
}

/* dir: the directory rel, open (its entries are looked at from it: no path to resolve
 * again from the root for each), or -1. type: what readdir said name is. A regular file
 * needs no stat unless w->times: a full build's worker learns each note's size and time
 * when it reads the note (a stat for each note was nearly all of the walk's time).
 * Files that are neither notes, directories nor links to them are never looked at. */
static void walk_entry(struct walk *w, int dir, const char *rel, const char *name, unsigned char type)
{
	char *child = *rel ? kb_xjoin(rel, "/", name) : kb_xstrdup(name);
	const struct kb_format *fmt = note_format(name);
	bool note = fmt != NULL;
	struct stat st;
	if ((type == DT_REG && (!note || !w->times)) ||
	    (!note && type != DT_DIR && type != DT_LNK && type != DT_UNKNOWN)) {
		if (type == DT_REG && note)
			add_note(w, child, fmt, NULL);
		else
			free(child);
		return;
	}
	if (look(w, dir, child, name, type, note, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			if (note)
				kb_diag_add(w->diags, KB_D_DIR_NAMED_NOTE, child, 0, 0);
			walk_subdir(w, child, &st);
		} else if (note && S_ISREG(st.st_mode)) {
			add_note(w, child, fmt, &st);
			return; /* child is the note's now */
		} else if (note) {
			kb_diag_addf(w->diags, KB_D_NOT_REGULAR, child, 0, 0, "%s", file_kind(st.st_mode));
		}
	}
	free(child);
}

static void walk_dir(struct walk *w, const char *rel)
{
	char *full = *rel ? kb_xjoin(w->root, "/", rel) : kb_xstrdup(w->root);
	DIR *d = opendir(full);
	struct dirent *de;
	struct dir_name *names = NULL;
	size_t n = 0, cap = 0;
	if (!d) {
		unread(w, rel, errno);
		free(full);
		return;
	}
	for (errno = 0; (de = readdir(d)); errno = 0) {
		if (de->d_name[0] == '.')
			continue;
		kb_xgrow(&names, &cap, n + 1, sizeof *names);
		names[n++] = (struct dir_name){kb_xstrdup(de->d_name), de->d_type};
	}
	if (errno != 0) /* what was read of it is walked; what was not is kept */
		unread(w, rel, errno);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_dir_name);
	for (size_t i = 0; i < n; i++) {
		walk_entry(w, dirfd(d), rel, names[i].name, names[i].type);
		free(names[i].name);
	}
	closedir(d);
	free(names);
	free(full);
}

/* Whether path is, or is under, one of the parts of the tree the walk could not read. */
static bool in_unread(const struct walk *w, const char *path)
{
	for (size_t i = 0; i < w->unread.n; i++) {
		size_t n = strlen(w->unread.v[i]);
		if (n == 0 || (strncmp(path, w->unread.v[i], n) == 0 && (path[n] == '\0' || path[n] == '/')))
			return true;
	}
	return false;
}

/* Starts a walk of root: its real path, and the root as the first directory of the path. */
static void walk_begin(struct walk *w, const char *root, const struct stat *st, struct kb_diags *diags)
{
	*w = (struct walk){.root = root, .diags = diags, .real_root = realpath(root, NULL), .depth = 1};
	w->seen[0].dev = st->st_dev; /* a link back to the top is a loop too */
	w->seen[0].ino = st->st_ino;
}

static void walk_free(struct walk *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i].rel);
	free(w->v);
	free(w->real_root);
	kb_strv_free(&w->unread);
}

char *kb_build_components_path(const char *notes_dir)
{
	static const char *const names[] = {"components.yaml", "components.yml"};
	for (size_t i = 0; i < KB_NELEM(names); i++) {
		char *p = kb_xjoin(notes_dir, "/", names[i]);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			return p;
		free(p);
	}
	return NULL;
}

/* Loads the components file; *hash identifies its content for the index stamp. */
static struct kb_components *load_components(const char *dir, uint64_t *hash, struct kb_diags *diags)
{
	char *path = kb_build_components_path(dir), *data = NULL;
	size_t len = 0;
	struct kb_err err;
	struct kb_components *c = NULL;
	char *real_root = realpath(dir, NULL);
	const char *base = path ? strrchr(path, '/') + 1 : NULL;
	*hash = 0;
	if (!path) {
		free(real_root);
		return NULL;
	}
	if (resolve_inside(dir, real_root, base, NULL) != 1) {
		kb_diag_addf(diags, KB_D_COMP_UNUSABLE, path, 0, 0, "%s", OPENED_OUTSIDE);
	} else if (read_inside(real_root, path, KB_COMPILE_MAX_BYTES, &data, &len, NULL, NULL, NULL, &err) != 0) {
		kb_diag_addf(diags, KB_D_COMP_UNUSABLE, path, 0, 0, "%s", err.msg);
	} else {
		c = kb_components_parse(base, data, len, diags);
		*hash = kb_hash_file(data, len);
	}
	free(data);
	free(path);
	free(real_root);
	return c;
}

/* Binary search in a vector sorted with strcmp. */
static bool sorted_has(char *const *v, size_t n, const char *s)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(v[mid], s);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int cmp_note(const void *a, const void *b)
{
	return strcmp(((const struct note_file *)a)->rel, ((const struct note_file *)b)->rel);
}

/* ---- bringing changed notes up to date, on two threads ------------------------------------
 * A worker thread reads and compiles the changed notes in order while this thread writes
 * the ones it has finished into the index: SQLite stays on one thread, and compiling
 * overlaps writing. The worker stays at most PIPE_BYTES of notes ahead. */

#define PIPE_BYTES (4u << 20)

struct job {
	const struct note_file *f;
	bool known;                /* the old index has this note */
	struct kb_note_state old;  /* and knew this of it (when have_old) */
	bool have_old;
	struct kb_note_state st;   /* what the note is now */
	bool same_content;         /* read, and the same bytes as before */
	int n;                     /* entries compiled, or -1: skipped */
	struct kb_entries es;
	struct kb_packed *packed;  /* the entries' bodies, packed for the index */
	struct kb_diags diags;
	int fd;                    /* the note, opened by read_ahead (-1: not yet) */
	bool unread;               /* it is there but could not be read: what the index had is kept */
};

struct pipeline {
	struct job *jobs;
	size_t njobs;
	const char *root, *real_root; /* the notes directory, and its real path (see walk) */
	const struct kb_components *comps;
	struct kb_packer *packer; /* the worker's; NULL until the dictionary is trained */
	const struct walk *train_from; /* a new index: its dictionary is trained on these notes */
	const char *man_dirs, *man_langs; /* and on the pages of these man trees (none: NULL) */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t done;     /* jobs[0..done) are compiled */
	size_t consumed; /* jobs[0..consumed) are written */
	size_t ahead;    /* bytes compiled and not yet written */
	bool stop;
	size_t released; /* jobs[0..released) are freed (by the worker: see release_job) */
	/* the worker's: whether a note had to be waited for from the disk, how far the notes
	 * after it have been asked for since (read_ahead), and counts of both */
	bool cold;
	size_t advised, nadvised, nwaited;
	size_t train_advised; /* notes the training asked for ahead (the writing thread's) */
};

static void pack_bodies(struct kb_packer *packer, struct job *j)
{
	j->packed = kb_index_pack(packer, j->es.v, j->es.n);
}

static void free_packed(struct job *j)
{
	kb_packed_free(j->packed);
	j->packed = NULL;
}

/* Frees what a written job holds. The worker does it for the jobs written since it last
 * looked: memory goes back to the thread that took it. When the writing thread freed the
 * worker's allocations, the two contended for the worker's malloc arena (most of a build's
 * futex calls, each a system call and often a context switch). */
static void release_job(struct job *j)
{
	free_packed(j);
	kb_entries_free(&j->es);
}

/* Whether the note rel, which could not be read, is still a regular file: then it was not
 * read this time (permissions, I/O) and what the index had from it is kept. */
static bool still_there(const char *root, const char *rel)
{
	char *full = kb_xjoin(root, "/", rel);
	struct stat st;
	bool there = stat(full, &st) == 0 ? S_ISREG(st.st_mode) : unreadable_errno(errno);
	free(full);
	return there;
}

/* Says why the note rel could not be read (err); kept: what the index had from it stays. */
static void read_failed(struct kb_diags *d, const char *rel, const struct kb_err *err, bool kept)
{
	switch (err->code) {
	case KB_ERR_TOO_BIG: kb_diag_add(d, KB_D_TOO_BIG, rel, 0, 0); break;
	case KB_ERR_OUTSIDE: kb_diag_add(d, KB_D_LINK_OUT, rel, 0, 0); break;
	case KB_ERR_HIDDEN: kb_diag_add(d, KB_D_LINK_HIDDEN, rel, 0, 0); break;
	case KB_ERR_FAILED:
	case KB_ERR_DAMAGED: /* not from reading a file */
		kb_diag_addf(d, kept ? KB_D_UNREADABLE_KEPT : KB_D_UNREADABLE, rel, 0, 0, "%s", err->msg);
		break;
	}
}

/* Reads, hashes and (when its bytes changed) compiles one note; packs its bodies when pack
 * (else the writing thread does, as it puts them in). Sets *uncached when the note had to
 * be read from the disk. */
static void run_job(const struct pipeline *p, struct job *j, bool pack, bool *uncached)
{
	char *data = NULL;
	size_t len = 0;
	struct kb_err rerr;
	long long size = j->f->size, mtime_ns = j->f->mtime_ns, *psize = j->f->timed ? NULL : &size;
	long long *pmtime = j->f->timed ? NULL : &mtime_ns;
	int rc;
	if (j->fd >= 0) { /* opened by read_ahead */
		rc = read_fd_inside(p->real_root, j->fd, KB_COMPILE_MAX_BYTES, &data, &len, psize, pmtime, uncached,
		                    &rerr);
		j->fd = -1; /* closed */
	} else {
		char *full = kb_xjoin(p->root, "/", j->f->rel);
		rc = read_inside(p->real_root, full, KB_COMPILE_MAX_BYTES, &data, &len, psize, pmtime, uncached, &rerr);
		free(full);
	}
	j->st = (struct kb_note_state){.size = size, .mtime_ns = mtime_ns, .format = j->f->fmt->kind};
	if (rc != 0) {
		j->unread = rerr.code == KB_ERR_FAILED && still_there(p->root, j->f->rel);
		read_failed(&j->diags, j->f->rel, &rerr, j->unread);
		j->n = -1;
	} else {
		j->st.hash = kb_hash_file(data, len);
		j->same_content = j->have_old && j->old.compiled && j->old.hash == j->st.hash;
		j->n = j->same_content ? 0 : j->f->fmt->compile(j->f->rel, data, len, p->comps, &j->es, &j->diags);
		if (pack)
			pack_bodies(p->packer, j);
	}
	j->st.compiled = j->n >= 0;
	free(data);
}

/* Notes the worker asks the kernel for ahead of itself once one was not in the page cache
 * (a first build after a reboot, or notes the kernel has since evicted). Read one by one, as
 * the worker needs them, such notes cost a wait for the disk each, and a cold build waited
 * for the disk about as long as it computed; asked for ahead, the disk has many of them to
 * read at once. Notes in
 * the page cache cost nothing more: whether one was is the answer of its first read. */
#define READ_AHEAD 256

/* Asks for jobs[i..i + READ_AHEAD) and keeps them open for run_job, which then opens no
 * note twice (up to READ_AHEAD descriptors are held; a note that cannot be opened now is
 * opened again when its turn comes). */
static void read_ahead(struct pipeline *p, size_t i)
{
	size_t end = p->njobs - i > READ_AHEAD ? i + READ_AHEAD : p->njobs;
	if (p->advised < i)
		p->advised = i;
	for (; p->advised < end; p->advised++, p->nadvised++) {
		struct job *j = &p->jobs[p->advised];
		char *full = kb_xjoin(p->root, "/", j->f->rel);
		j->fd = kb_open_ahead(full, KB_COMPILE_MAX_BYTES);
		free(full);
	}
}

/* Packing bodies (zstd) is work either thread can do. The worker does it while the writing
 * thread has a quarter of PIPE_BYTES or more still to write, and leaves it to the writing
 * thread when that thread is about to wait for it: whichever thread has time packs. */
static void *worker(void *arg)
{
	struct pipeline *p = arg;
	for (size_t i = 0; i < p->njobs; i++) {
		bool pack;
		size_t written;
		pthread_mutex_lock(&p->mu);
		while (!p->stop && i > p->consumed && p->ahead > PIPE_BYTES)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		pack = p->packer && p->ahead >= PIPE_BYTES / 4;
		written = p->consumed;
		pthread_mutex_unlock(&p->mu);
		for (; p->released < written; p->released++)
			release_job(&p->jobs[p->released]);
		bool waited = false;
		if (p->cold)
			read_ahead(p, i + 1);
		run_job(p, &p->jobs[i], pack, &waited);
		p->cold |= waited;
		p->nwaited += waited;
		pthread_mutex_lock(&p->mu);
		p->done = i + 1;
		p->ahead += (size_t)p->jobs[i].st.size;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

/* Writes one compiled note into the index and its diagnostics into diags. */
static int apply_job(struct kb_index_writer *w, struct job *j, struct kb_diags *diags,
                     struct kb_build_stats *stats, struct kb_err *err)
{
	int rc = 0;
	kb_diags_move(diags, &j->diags);
	if (j->unread) { /* what the index has of it stays (a new index gets it: carry_unread) */
		stats->kept += j->known;
	} else if (j->same_content) {
		stats->unchanged++;
		rc = kb_index_touch_note(w, j->f->rel, &j->st, err);
	} else {
		if (j->n < 0)
			stats->skipped++;
		else
			stats->compiled++;
		if ((j->known && kb_index_remove_note(w, j->f->rel, err) != 0) ||
		    kb_index_put_note(w, j->f->rel, &j->st, j->es.v, j->packed, j->es.n, err) != 0)
			rc = -1;
	}
	return rc;
}

static int train(struct kb_index_writer *w, const struct walk *wk, const char *man_dirs, const char *man_langs,
                 size_t *advised, struct kb_err *err);

/* The dictionary of a new index, trained by the index on notes the writing thread reads
 * while the worker compiles the first ones (it packs none until then), and the worker's
 * packer made with it. */
static int start_packing(struct kb_index_writer *w, struct pipeline *p, bool threaded, struct kb_err *err)
{
	struct kb_packer *packer;
	int rc = train(w, p->train_from, p->man_dirs, p->man_langs, &p->train_advised, err);
	packer = kb_index_packer_for(w);
	if (!packer && rc == 0) {
		kb_err_set(err, "cannot set up compression");
		rc = -1;
	}
	if (threaded)
		pthread_mutex_lock(&p->mu);
	p->packer = packer;
	p->stop |= rc != 0;
	if (threaded) {
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return rc;
}

/* Compiles and writes the jobs; returns 0 or -1 with err. */
static int run_pipeline(struct kb_index_writer *w, struct pipeline *p, struct kb_diags *diags,
                        const struct kb_build_opts *o, size_t total, size_t base,
                        struct kb_build_stats *stats, struct kb_err *err)
{
	pthread_t t;
	bool threaded = p->njobs > 1;
	int rc = 0;
	if (threaded) {
		pthread_mutex_init(&p->mu, NULL);
		pthread_cond_init(&p->cv, NULL);
		if (pthread_create(&t, NULL, worker, p) != 0) { /* then compile here, in turn */
			pthread_cond_destroy(&p->cv);
			pthread_mutex_destroy(&p->mu);
			threaded = false;
		}
	}
	if (p->train_from)
		rc = start_packing(w, p, threaded, err);
	for (size_t i = 0; rc == 0 && i < p->njobs; i++) {
		if (threaded) {
			pthread_mutex_lock(&p->mu);
			while (p->done <= i)
				pthread_cond_wait(&p->cv, &p->mu);
			pthread_mutex_unlock(&p->mu);
		} else {
			run_job(p, &p->jobs[i], true, NULL);
		}
		if (rc == 0)
			rc = apply_job(w, &p->jobs[i], diags, stats, err);
		if (!threaded)
			release_job(&p->jobs[i]);
		else {
			pthread_mutex_lock(&p->mu);
			p->consumed = i + 1;
			p->ahead -= (size_t)p->jobs[i].st.size;
			p->stop |= rc != 0;
			pthread_cond_broadcast(&p->cv);
			pthread_mutex_unlock(&p->mu);
			if (rc != 0)
				break;
		}
		if (o->progress)
			o->progress(o->progress_ctx, base + i + 1, total);
	}
	stats->read_ahead += p->train_advised;
	if (threaded) {
		pthread_join(t, NULL);
		stats->read_ahead += p->nadvised;
		stats->read_waited += p->nwaited;
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
	}
	for (size_t i = 0; i < p->njobs; i++) { /* what the worker left, or a failure */
		if (p->jobs[i].fd >= 0)
			close(p->jobs[i].fd);
		release_job(&p->jobs[i]);
		kb_diags_free(&p->jobs[i].diags);
	}
	return rc;
}

static bool untouched(const struct kb_note_rec *r, const struct note_file *f)
{
	return r && r->st.compiled && r->st.size == f->size && r->st.mtime_ns == f->mtime_ns;
}

/* Whether the walk found the note path. */
static bool walked(const struct walk *wk, const char *path)
{
	size_t lo = 0, hi = wk->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(wk->v[mid].rel, path);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Puts the entries the old index ix has of the note rec into the new index, recorded as not
 * compiled (the next build reads the note again). ids: every id of ix, sorted. */
static int carry_note(struct kb_index_writer *w, struct kb_index *ix, const struct kb_strv *ids,
                      const struct kb_note_rec *rec, struct kb_err *err)
{
	struct kb_entries es = {0};
	struct kb_note_state st = {.format = rec->st.format};
	const char *path = rec->path;
	size_t len = strlen(path), lo = 0, hi = ids->n;
	int rc;
	while (lo < hi) { /* the first id not before path: the note's ids follow it */
		size_t mid = (lo + hi) / 2;
		if (strcmp(ids->v[mid], path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < ids->n && strncmp(ids->v[i], path, len) == 0; i++) {
		struct kb_entry *e;
		if (ids->v[i][len] != '\0' && ids->v[i][len] != '#')
			continue;
		e = kb_entries_add(&es);
		if (kb_index_get(ix, ids->v[i], e, NULL) != 1 || strcmp(e->path, path) != 0) {
			kb_entry_clear(e); /* another note's id (path#...) or gone: not this one */
			es.n--;
		}
	}
	rc = kb_index_put_note(w, path, &st, es.v, NULL, es.n, err);
	kb_entries_free(&es);
	return rc;
}

/* A new index (not a copy of the old one) gets from the old index at db_path what it had
 * of the notes this build could not read: those under the parts of the tree the walk
 * could not read, and those whose reading failed in p. Returns 0 or -1 with err. */
static int carry_unread(struct kb_index_writer *w, const char *db_path, const struct walk *wk,
                        const struct pipeline *p, struct kb_build_stats *stats, struct kb_err *err)
{
	struct kb_index *ix = NULL;
	struct kb_note_rec *recs = NULL;
	struct kb_strv failed = {0}, ids = {0};
	size_t n = 0;
	int rc = 0;
	for (size_t i = 0; i < p->njobs; i++)
		if (p->jobs[i].unread)
			kb_strv_push(&failed, p->jobs[i].f->rel); /* in walk order: sorted */
	if ((failed.n || wk->unread.n) && kb_index_open(db_path, &ix, NULL) == 0 &&
	    kb_index_notes(ix, &recs, &n, NULL) == 0 && kb_index_ids(ix, &ids, NULL) == 0) {
		for (size_t i = 0; rc == 0 && i < n; i++) {
			const char *path = recs[i].path;
			if (sorted_has(failed.v, failed.n, path) || (in_unread(wk, path) && !walked(wk, path))) {
				rc = carry_note(w, ix, &ids, &recs[i], err);
				stats->kept++;
			}
		}
	}
	if (ix)
		kb_index_close(ix);
	kb_note_recs_free(recs, n);
	kb_strv_free(&ids);
	kb_strv_free(&failed);
	return rc;
}

/* Brings the new index up to date with the notes wk found: when it is a copy of the old one
 * (whose notes are old[0..nold)), notes gone are removed and notes whose size or time
 * changed are read again. packer: the old index's, or NULL for a new index, whose
 * dictionary is trained first (start_packing), on the notes and on the pages of the man
 * trees man[0] (languages man[1]) it will hold. */
static int sync_notes(struct kb_index_writer *w, const struct walk *wk, const struct kb_note_rec *old,
                      size_t nold, const struct kb_components *comps, struct kb_packer *packer,
                      const struct kb_build_opts *o, const char *const man[2], struct kb_build_stats *stats,
                      struct kb_err *err)
{
	struct kb_strv found = {0};
	struct pipeline p = {.root = wk->root, .real_root = wk->real_root, .comps = comps, .packer = packer, .train_from = packer ? NULL : wk};
	if (!packer) { /* a new index: its dictionary learns the man pages it will hold too */
		p.man_dirs = man[0];
		p.man_langs = man[1];
	}
	int rc = 0;
	for (size_t i = 0; i < wk->n; i++)
		kb_strv_push_own(&found, wk->v[i].rel);
	for (size_t i = 0; rc == 0 && i < nold; i++) {
		if (sorted_has(found.v, found.n, old[i].path)) {
			continue;
		} else if (in_unread(wk, old[i].path)) {
			stats->kept++; /* not seen because its directory could not be read: kept */
		} else {
			rc = kb_index_remove_note(w, old[i].path, err);
			stats->removed++;
		}
	}
	free(found.v); /* the strings belong to wk */
	p.jobs = kb_xcalloc(wk->n, sizeof *p.jobs);
	for (size_t i = 0; rc == 0 && i < wk->n; i++) {
		struct job *j = &p.jobs[p.njobs];
		const struct kb_note_rec *r = kb_note_rec_find(old, nold, wk->v[i].rel);
		j->f = &wk->v[i];
		j->fd = -1;
		j->known = j->have_old = r != NULL;
		if (r)
			j->old = r->st;
		if (untouched(r, j->f))
			stats->unchanged++; /* size and time unchanged: not even read */
		else
			p.njobs++;
	}
	if (rc == 0)
		rc = run_pipeline(w, &p, wk->diags, o, wk->n, wk->n - p.njobs, stats, err);
	if (rc == 0 && !stats->incremental)
		rc = carry_unread(w, o->db_path, wk, &p, stats, err);
	if (p.train_from)
		kb_packer_free(p.packer);
	free(p.jobs);
	return rc;
}

/* What the linked files are now (each target's size and time, or its absence), so that a
 * build can tell that none of them changed without reading them. Links that lead out of
 * the notes directory count as absent: nothing outside it is even looked at. */
static uint64_t links_fingerprint(const struct walk *wk, const struct kb_strv *links)
{
	struct kb_buf b = {0};
	uint64_t h;
	for (size_t i = 0; i < links->n; i++) {
		char *real = NULL;
		struct stat st;
		if (!note_format(links->v[i]) && resolve_inside(wk->root, wk->real_root, links->v[i], &real) == 1 &&
		    stat(real, &st) == 0 && S_ISREG(st.st_mode))
			kb_buf_printf(&b, "%s %s %lld %lld.%ld\n", links->v[i], real, (long long)st.st_size,
			              (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
		else
			kb_buf_printf(&b, "%s -\n", links->v[i]);
		free(real);
	}
	h = kb_hash64(kb_buf_str(&b), b.len);
	kb_buf_free(&b);
	return h;
}

/* Why the linked file rel (a link target, never a note) is not stored, as a diagnostic's code
 * and arguments (*args: static, or NULL), or KB_D__COUNT when it may be: it is stored only
 * when it is, its symbolic links resolved, a regular file inside the notes directory with no
 * hidden name on the way, of at most KB_BUILD_LINKED_MAX bytes, UTF-8 text without NUL
 * bytes. *real: the file to read (caller frees). A missing file or a directory is KB_D__COUNT
 * with *real NULL: a dead link is no news. */
static enum kb_diag_code linked_refusal(const struct walk *wk, const char *rel, char **real, const char **args)
{
	struct stat st;
	int in;
	*real = NULL;
	*args = NULL;
	if (hidden(rel))
		return KB_D_LINKED_HIDDEN;
	if ((in = resolve_inside(wk->root, wk->real_root, rel, real)) < 0)
		return unreadable_errno(errno) ? (*args = strerror(errno), KB_D_LINKED_UNREADABLE) : KB_D__COUNT;
	if (!in)
		return KB_D_LINKED_OUT;
	if (hidden(*real + strlen(wk->real_root)))
		return KB_D_LINKED_HIDDEN;
	if (stat(*real, &st) != 0)
		return unreadable_errno(errno) ? (*args = strerror(errno), KB_D_LINKED_UNREADABLE) : KB_D__COUNT;
	if (S_ISDIR(st.st_mode)) {
		free(*real);
		*real = NULL;
		return KB_D__COUNT;
	}
	if (!S_ISREG(st.st_mode))
		return *args = file_kind(st.st_mode), KB_D_LINKED_NOT_REGULAR;
	return (unsigned long long)st.st_size > KB_BUILD_LINKED_MAX ? KB_D_LINKED_TOO_BIG : KB_D__COUNT;
}

/* Reads the linked file rel when it may be stored (see linked_refusal): 0 with *data, *len
 * (caller frees), or -1, having said why in wk->diags unless it is missing. */
static int read_linked(const struct walk *wk, const char *rel, char **data, size_t *len)
{
	char *real;
	const char *args;
	enum kb_diag_code code = linked_refusal(wk, rel, &real, &args);
	struct kb_err rerr;
	int rc = -1;
	if (code == KB_D__COUNT && real) {
		if (read_inside(wk->real_root, real, KB_BUILD_LINKED_MAX, data, len, NULL, NULL, NULL, &rerr) != 0) {
			static const enum kb_diag_code codes[] = {[KB_ERR_FAILED] = KB_D_LINKED_UNREADABLE,
			                                          [KB_ERR_TOO_BIG] = KB_D_LINKED_TOO_BIG,
			                                          [KB_ERR_OUTSIDE] = KB_D_LINKED_OUT,
			                                          [KB_ERR_HIDDEN] = KB_D_LINKED_HIDDEN};
			code = codes[rerr.code];
			args = rerr.code == KB_ERR_FAILED ? rerr.msg : NULL;
		} else if (memchr(*data, '\0', *len)) {
			code = KB_D_LINKED_BINARY;
		} else if (kb_utf8_check(*data, *len) != *len) {
			code = KB_D_LINKED_NOT_UTF8;
		} else {
			rc = 0;
		}
		if (rc != 0) {
			free(*data);
			*data = NULL;
		}
	}
	if (code != KB_D__COUNT && args)
		kb_diag_addf(wk->diags, code, rel, 0, 0, "%s", args);
	else if (code != KB_D__COUNT)
		kb_diag_add(wk->diags, code, rel, 0, 0);
	free(real);
	return rc;
}

/* Stores the files under the notes directory that entries link to (scripts, configs). */
static int store_linked(struct kb_index_writer *w, const struct walk *wk, struct kb_build_stats *stats,
                        struct kb_err *err)
{
	struct kb_strv links = {0}, kept = {0};
	int rc = kb_index_links(w, &links, err);
	for (size_t i = 0; rc == 0 && i < links.n; i++) {
		char *data = NULL;
		size_t len;
		if (!note_format(links.v[i]) && read_linked(wk, links.v[i], &data, &len) == 0) {
			rc = kb_index_put_file(w, links.v[i], data, len, err);
			kb_strv_push(&kept, links.v[i]);
			stats->files++;
		}
		free(data);
	}
	if (rc == 0)
		rc = kb_index_prune_files(w, &kept, err);
	if (rc == 0) {
		char fp[32];
		snprintf(fp, sizeof fp, "%016llx", (unsigned long long)links_fingerprint(wk, &links));
		rc = kb_index_set_meta(w, "links", fp, err);
	}
	kb_strv_free(&links);
	kb_strv_free(&kept);
	return rc;
}

#define TRAIN_NOTES 2000        /* notes a dictionary is trained on, at most */
#define TRAIN_PAGES 400         /* man pages, at most */
#define TRAIN_BYTES (8u << 10)  /* of each, at most */

/* Has the new index train its compression dictionary on notes spread over the whole tree
 * (kb_index_train), and on pages of the man trees man_dirs it will hold (NULL: none), as kb
 * stores them. When the first note is not in the page cache, asks for all the others at
 * once, and adds how many to *advised. Returns 0 or -1 with err. */
static int train(struct kb_index_writer *w, const struct walk *wk, const char *man_dirs, const char *man_langs,
                 size_t *advised, struct kb_err *err)
{
	size_t n = wk->n < TRAIN_NOTES ? wk->n : TRAIN_NOTES, got = 0;
	struct kb_strv pages = {0};
	char **samples;
	size_t *sizes, *page_sizes = NULL;
	bool cold = false;
	int trained;
	if (man_dirs)
		kb_build_man_samples(man_dirs, man_langs, TRAIN_PAGES, TRAIN_BYTES, &pages, &page_sizes);
	samples = kb_xcalloc(n + pages.n + 1, sizeof *samples);
	sizes = kb_xcalloc(n + pages.n + 1, sizeof *sizes);
	for (size_t i = 0; i < pages.n; i++) {
		sizes[got] = page_sizes[i];
		samples[got++] = pages.v[i];
	}
	free(pages.v); /* the strings are the samples' now */
	free(page_sizes);
	for (size_t i = 0; i < n; i++) {
		const struct note_file *f = &wk->v[i * wk->n / n];
		char *full = kb_xjoin(wk->root, "/", f->rel), *data;
		size_t dlen;
		int rc = read_inside(wk->real_root, full, KB_COMPILE_MAX_BYTES, &data, &dlen, NULL, NULL, i ? NULL : &cold,
		                     NULL);
		for (size_t k = 1; i == 0 && cold && k < n; k++, (*advised)++) { /* the first had to wait */
			char *next = kb_xjoin(wk->root, "/", wk->v[k * wk->n / n].rel);
			int fd = kb_open_ahead(next, KB_COMPILE_MAX_BYTES);
			if (fd >= 0)
				close(fd); /* up to 2,000 notes: too many to keep open */
			free(next);
		}
		if (rc == 0) {
			if (dlen > 0) {
				sizes[got] = dlen < TRAIN_BYTES ? dlen : TRAIN_BYTES;
				samples[got++] = data;
			} else {
				free(data);
			}
		}
		free(full);
	}
	trained = kb_index_train(w, (const char *const *)samples, sizes, got, err);
	for (size_t i = 0; i < got; i++)
		free(samples[i]);
	free(samples);
	free(sizes);
	return trained;
}

/* What the index being replaced holds, when it was built the same way. */
struct old_index {
	bool usable;           /* same stamp: its notes can be kept */
	struct kb_note_rec *recs;
	size_t n;
	struct kb_strv links;  /* its link targets */
	char *links_fp;        /* their fingerprint when it was built */
	long long entries;
	char *man_dirs, *man_langs; /* the man trees its last --man build read, or NULL */
	char *stamp;           /* its whole stamp (the directory level's part is checked after the walk) */
};

static void load_old(const struct kb_build_opts *o, const char *stamp, struct old_index *old)
{
	struct kb_index *ix;
	char *s, *entries;
	if (kb_index_open(o->db_path, &ix, NULL) != 0)
		return;
	s = kb_index_meta_get(ix, "stamp");
	entries = kb_index_meta_get(ix, "entries");
	old->links_fp = kb_index_meta_get(ix, "links");
	old->entries = entries ? atoll(entries) : -1;
	old->usable = s && strncmp(s, stamp, strlen(stamp)) == 0 && kb_index_notes(ix, &old->recs, &old->n, NULL) == 0 &&
	              kb_index_link_targets(ix, &old->links, NULL) == 0;
	old->stamp = s;
	free(entries);
	kb_index_close(ix);
}

static void old_free(struct old_index *old)
{
	kb_note_recs_free(old->recs, old->n);
	kb_strv_free(&old->links);
	free(old->links_fp);
	free(old->man_dirs);
	free(old->man_langs);
	free(old->stamp);
}

/* What the old index's last --man build read (also when the rest of it cannot be reused: a
 * full build keeps the pages by reading them again). */
static void load_old_man(const char *db_path, struct old_index *old)
{
	struct kb_index *ix;
	if (kb_index_open(db_path, &ix, NULL) != 0)
		return;
	old->man_dirs = kb_index_meta_get(ix, "man");
	old->man_langs = kb_index_meta_get(ix, "man_lang");
	kb_index_close(ix);
}

/* Sets the directory level that names components (kb_components_dividing_level) on *comps
 * (made when there is no components file) and returns the stamp with it: a change of level
 * or of its directories compiles every note again. */
static char *dir_components(const struct walk *wk, struct kb_components **comps, const char *stamp)
{
	char **paths = kb_xcalloc(wk->n + 1, sizeof *paths);
	struct kb_strv names = {0};
	struct kb_buf key = {0};
	int level;
	char *full;
	for (size_t i = 0; i < wk->n; i++)
		paths[i] = wk->v[i].rel;
	level = kb_components_dividing_level(paths, wk->n, &names);
	if (!*comps)
		*comps = kb_components_new();
	kb_components_set_dirs(*comps, level, &names);
	kb_buf_printf(&key, "%d", level);
	for (size_t i = 0; i < names.n; i++)
		kb_buf_printf(&key, "/%s", names.v[i]);
	full = kb_xasprintf("%s dirs=%016llx", stamp, (unsigned long long)kb_hash64(kb_buf_str(&key), key.len));
	kb_buf_free(&key);
	kb_strv_free(&names);
	free(paths);
	return full;
}

/* True when every note is as the old index has it, none is new or gone, and no linked file
 * changed: then there is nothing to write. */
static bool nothing_changed(const struct walk *wk, const struct old_index *old,
                            struct kb_build_stats *stats)
{
	char fp[32];
	if (wk->n != old->n || !old->links_fp || old->entries < 0)
		return false;
	for (size_t i = 0; i < wk->n; i++)
		if (strcmp(wk->v[i].rel, old->recs[i].path) != 0 || !untouched(&old->recs[i], &wk->v[i]))
			return false;
	snprintf(fp, sizeof fp, "%016llx", (unsigned long long)links_fingerprint(wk, &old->links));
	if (strcmp(fp, old->links_fp) != 0)
		return false;
	stats->unchanged = wk->n;
	stats->entries = (size_t)old->entries;
	stats->incremental = true;
	return true;
}

/* True, with err, when notes were there and not one could be read (nor a directory with
 * notes, if none were seen): then the index is left as it was. */
static bool nothing_read(const struct walk *wk, const struct kb_build_stats *stats, struct kb_err *err)
{
	if (stats->compiled + stats->unchanged + stats->skipped > 0 || (wk->n == 0 && wk->unread.n == 0))
		return false;
	kb_err_set(err, "%s: nothing could be read; the index is left as it was", wk->root);
	return true;
}

/* Whether the regular file path is empty or begins as an SQLite database does (the 16 bytes
 * "SQLite format 3" and a NUL): a file a build may replace. Anything else (a note, a log,
 * /etc/passwd named by mistake) is no index, whatever its name. */
static bool may_be_index(const char *path, const struct stat *st)
{
	static const char magic[16] = "SQLite format 3";
	char head[sizeof magic];
	int fd;
	bool ok;
	if (st->st_size == 0)
		return true;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
		return true; /* unreadable: the build's own open says why */
	ok = read(fd, head, sizeof head) == (ssize_t)sizeof head && memcmp(head, magic, sizeof magic) == 0;
	close(fd);
	return ok;
}

/* The file a build replaces: db_path itself, or the file a symbolic link there leads to (so
 * that the link keeps leading to the index). A build writes only over an index (a regular
 * file that is empty or an SQLite database) or where nothing is; anything else (a device,
 * a FIFO, a directory, a socket, a link to nothing, a file that is no database) is refused
 * before anything is touched. Returns the path (caller frees) or NULL with err. */
static char *db_target(const char *db_path, struct kb_err *err)
{
	struct stat st;
	char *real = NULL;
	if (lstat(db_path, &st) != 0)
		return kb_xstrdup(db_path); /* nothing there (or a path that fails when written) */
	if (S_ISLNK(st.st_mode) && (stat(db_path, &st) != 0 || !(real = realpath(db_path, NULL)))) {
		kb_err_set(err, "%s: a symbolic link to nothing usable (%s); nothing written", db_path, strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || !may_be_index(real ? real : db_path, &st)) {
		kb_err_set(err, "%s: %s, not an index file; nothing written", db_path,
		           S_ISREG(st.st_mode) ? "a file that is no SQLite database" : file_kind(st.st_mode));
		free(real);
		return NULL;
	}
	return real ? real : kb_xstrdup(db_path);
}

/* kb_build, from the old index unless opts->full. */
static int build(const struct kb_build_opts *opts, struct kb_build_stats *stats, struct kb_diags *diags,
                 struct kb_err *err)
{
	struct kb_build_opts ro = *opts, *o = &ro;
	struct walk wk = {0};
	struct kb_components *comps = NULL;
	struct kb_index_writer *w = NULL;
	struct kb_packer *packer = NULL;
	struct old_index old = {0};
	struct kb_note_rec *man_old = NULL; /* the old index's man pages, apart from its notes */
	const char *man[2];                 /* the man trees the index will hold, and their languages */
	size_t nman = 0;
	struct stat st;
	uint64_t comp_hash;
	char *stamp = NULL, *abs = NULL, *db, *full;
	int rc = -1;
	memset(stats, 0, sizeof *stats);
	if (stat(o->notes_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		kb_err_set(err, "%s: %s", o->notes_dir, stat(o->notes_dir, &st) != 0 ? strerror(errno) : "not a directory");
		return -1;
	}
	if (!(db = db_target(opts->db_path, err)))
		return -1;
	ro.db_path = db;
	comps = load_components(o->notes_dir, &comp_hash, diags);
	stamp = kb_xasprintf("schema=%d tokenizer=%d normalizer=%d compiler=%d components=%016llx",
	                     KB_INDEX_SCHEMA, KB_TOKENIZER_VERSION, KB_NORMALIZE_VERSION, KB_COMPILE_VERSION,
	                     (unsigned long long)comp_hash);
	if (!o->full)
		load_old(o, stamp, &old);
	kb_build_man_split(old.recs, &old.n, &man_old, &nman);
	if (!o->man_dirs && !o->man_drop)
		load_old_man(o->db_path, &old);
	walk_begin(&wk, o->notes_dir, &st, diags);
	wk.times = old.usable; /* notes untouched since the old index need not be read */
	walk_dir(&wk, "");
	if (wk.n > 1)
		qsort(wk.v, wk.n, sizeof *wk.v, cmp_note);
	stats->notes = wk.n;
	if ((wk.n == 0 || in_unread(&wk, "")) && nothing_read(&wk, stats, err))
		goto done; /* before anything is written */
	full = dir_components(&wk, &comps, stamp);
	free(stamp);
	stamp = full;
	if (old.usable && (!old.stamp || strcmp(old.stamp, stamp) != 0)) { /* other directory components */
		kb_note_recs_free(old.recs, old.n);
		old.recs = NULL;
		old.n = 0;
		old.usable = false;
	}
	if (old.usable && !o->man_dirs && !(o->man_drop && nman) && nothing_changed(&wk, &old, stats)) {
		stats->man_unchanged = nman;
		rc = 0; /* the index is up to date: leave it as it is */
		goto done;
	}
	if (kb_index_write_begin(o->db_path, stamp, old.usable, &w, &stats->incremental, err) != 0)
		goto done;
	if (!stats->incremental) { /* the copy failed or raced with another build: start afresh */
		kb_note_recs_free(old.recs, old.n);
		old.recs = NULL;
		old.n = 0;
	}
	/* a new index gets a dictionary of its own (sync_notes trains it) */
	man[0] = kb_build_man_trees(o, old.man_dirs, old.man_langs, &man[1]);
	if (stats->incremental && !(packer = kb_index_packer_for(w)))
		kb_err_set(err, "cannot set up compression");
	if ((stats->incremental && !packer) || sync_notes(w, &wk, old.recs, old.n, comps, packer, o, man, stats, err) != 0 ||
	    nothing_read(&wk, stats, err) || store_linked(w, &wk, stats, err) != 0 ||
	    kb_build_man(w, o, man_old, nman, old.man_dirs, old.man_langs, stats->incremental, stats, diags, err) != 0) {
		kb_index_write_abort(w);
		goto done;
	}
	stats->entries = (size_t)kb_index_entry_count(w);
	abs = realpath(o->notes_dir, NULL);
	rc = kb_index_write_commit(w, abs ? abs : o->notes_dir, err);
done:
	walk_free(&wk);
	free(db);
	free(abs);
	free(stamp);
	kb_note_recs_free(man_old, nman);
	old_free(&old);
	kb_packer_free(packer);
	kb_components_free(comps);
	return rc;
}

/* Drops the diagnostics past the first n. */
static void diags_cut(struct kb_diags *d, size_t n)
{
	while (d->n > n) {
		d->n--;
		free(d->v[d->n].path);
		free(d->v[d->n].args);
	}
}

/* An incremental build reads the old index's rows for the notes it removes or replaces (FTS5
 * needs a row's indexed values back to delete it) and for the links between notes: a damaged
 * old index stops it wherever it is read, and the next incremental build would stop at the
 * same place. So the index is built afresh instead, and a warning says why: what the old
 * index held is not carried forward. */
int kb_build(const struct kb_build_opts *opts, struct kb_build_stats *stats, struct kb_diags *diags,
             struct kb_err *err)
{
	struct kb_build_opts full = *opts;
	size_t n = diags->n;
	int rc = build(opts, stats, diags, err);
	if (rc == 0 || opts->full || !stats->incremental || err->code != KB_ERR_DAMAGED)
		return rc;
	diags_cut(diags, n); /* the notes are compiled again: their diagnostics come again */
	{
		const char *tail = strstr(err->msg, "; rebuild it with kb build");
		char *why = kb_xstrndup(err->msg, tail ? (size_t)(tail - err->msg) : strlen(err->msg));
		kb_diag_addf(diags, KB_D_INDEX_DAMAGED, opts->db_path, 0, 0, "%s", why);
		free(why);
	}
	full.full = true;
	return build(&full, stats, diags, err);
}

int kb_build_check(const char *notes_dir, const char *only, struct kb_entries *out,
                   struct kb_diags *diags, struct kb_err *err)
{
	struct walk wk = {0};
	struct kb_components *comps;
	struct stat st;
	uint64_t hash;
	int n = 0;
	if (stat(notes_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		kb_err_set(err, "%s: %s", notes_dir, stat(notes_dir, &st) != 0 ? strerror(errno) : "not a directory");
		return -1;
	}
	comps = load_components(notes_dir, &hash, diags);
	walk_begin(&wk, notes_dir, &st, diags);
	if (only)
		walk_entry(&wk, -1, "", only, DT_UNKNOWN);
	else
		walk_dir(&wk, "");
	if (wk.n > 1)
		qsort(wk.v, wk.n, sizeof *wk.v, cmp_note);
	for (size_t i = 0; i < wk.n; i++) {
		char *full = kb_xjoin(notes_dir, "/", wk.v[i].rel), *data;
		size_t len;
		struct kb_err rerr;
		if (read_inside(wk.real_root, full, KB_COMPILE_MAX_BYTES, &data, &len, NULL, NULL, NULL, &rerr) != 0) {
			read_failed(diags, wk.v[i].rel, &rerr, false);
		} else {
			wk.v[i].fmt->compile(wk.v[i].rel, data, len, comps, out, diags);
			free(data);
		}
		free(full);
		n++;
	}
	walk_free(&wk);
	kb_components_free(comps);
	return n;
}
