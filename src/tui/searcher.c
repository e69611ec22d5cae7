/* searcher.c - the browser's searches off its input path: a thread with its own connection
 * to the index runs the newest query typed, a newer one stops an older one, and a result
 * that is ready makes a pipe readable, which the event loop waits on beside the terminal. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui_priv.h"

struct kb_tui_searcher {
	struct kb_index *ix;     /* the thread's own connection */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work;     /* a query was posted, or quit */
	pthread_cond_t done;     /* a query finished (for kb_tui_searcher_wait) */
	int pipe[2];             /* [0] readable when a result is ready */
	/* under mu */
	char *text;              /* the newest query posted; NULL: none to run */
	size_t limit;            /* the results it wants */
	bool running;            /* the thread is running a query */
	bool quit;
	bool have;               /* a result is ready for taking */
	struct kb_tui_found found;
	/* read without the lock too: which query is wanted now; a search for another stops */
	atomic_ulong gen;
	atomic_int delay_ms;     /* for tests: each search first waits this long (stoppably) */
};

struct job {
	struct kb_tui_searcher *s;
	unsigned long gen;
	size_t limit;
};

static bool stale(void *arg)
{
	const struct job *j = arg;
	return atomic_load(&j->s->gen) != j->gen;
}

/* The test delay: sleeps delay_ms in short steps, returning early once the query is stale. */
static void test_delay(struct job *j)
{
	int ms = atomic_load(&j->s->delay_ms);
	for (int slept = 0; slept < ms && !stale(j); slept += 5) {
		struct timespec ts = {0, 5 * 1000000L};
		nanosleep(&ts, NULL);
	}
}

/* Runs one query on the thread's connection. */
static void run(struct job *j, const char *text, struct kb_tui_found *f)
{
	memset(f, 0, sizeof *f);
	test_delay(j);
	if (!stale(j))
		kb_tui_search_run(j->s->ix, text, j->limit, f);
	f->gen = j->gen;
}

static void found_free(struct kb_tui_found *f)
{
	if (f->ok)
		kb_search_result_free(&f->res);
	memset(f, 0, sizeof *f);
}

static void *worker(void *arg)
{
	struct kb_tui_searcher *s = arg;
	pthread_mutex_lock(&s->mu);
	for (;;) {
		struct job j = {s, 0, 0};
		struct kb_tui_found f;
		char *text;
		while (!s->quit && !s->text)
			pthread_cond_wait(&s->work, &s->mu);
		if (s->quit)
			break;
		text = s->text;
		s->text = NULL;
		j.limit = s->limit;
		s->running = true;
		j.gen = atomic_load(&s->gen);
		pthread_mutex_unlock(&s->mu);
		kb_index_set_stop(s->ix, stale, &j);
		run(&j, text, &f);
		kb_index_set_stop(s->ix, NULL, NULL);
		free(text);
		pthread_mutex_lock(&s->mu);
		if (stale(&j)) { /* the text changed meanwhile: nobody wants this */
			found_free(&f);
		} else {
			ssize_t w = write(s->pipe[1], "", 1); /* when full, it is readable already */
			(void)w;
			found_free(&s->found);
			s->found = f;
			s->have = true;
		}
		s->running = false;
		pthread_cond_broadcast(&s->done);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static int nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ? -1 : 0;
}

struct kb_tui_searcher *kb_tui_searcher_new(const char *db_path, struct kb_err *err)
{
	struct kb_tui_searcher *s = kb_xcalloc(1, sizeof *s);
	s->pipe[0] = s->pipe[1] = -1;
	if (kb_index_open(db_path, &s->ix, err) != 0) {
		free(s);
		return NULL;
	}
	if (pipe(s->pipe) != 0 || nonblocking(s->pipe[0]) != 0 || nonblocking(s->pipe[1]) != 0) {
		kb_err_set(err, "cannot make a pipe: %s", strerror(errno));
		goto fail;
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->work, NULL);
	pthread_cond_init(&s->done, NULL);
	atomic_init(&s->gen, 0);
	atomic_init(&s->delay_ms, 0);
	if (pthread_create(&s->thread, NULL, worker, s) != 0) {
		kb_err_set(err, "cannot start the search thread");
		pthread_cond_destroy(&s->done);
		pthread_cond_destroy(&s->work);
		pthread_mutex_destroy(&s->mu);
		goto fail;
	}
	return s;
fail:
	if (s->pipe[0] >= 0)
		close(s->pipe[0]);
	if (s->pipe[1] >= 0)
		close(s->pipe[1]);
	kb_index_close(s->ix);
	free(s);
	return NULL;
}

void kb_tui_searcher_free(struct kb_tui_searcher *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->quit = true;
	atomic_fetch_add(&s->gen, 1); /* stops the search under way */
	pthread_cond_signal(&s->work);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	free(s->text);
	found_free(&s->found);
	pthread_cond_destroy(&s->done);
	pthread_cond_destroy(&s->work);
	pthread_mutex_destroy(&s->mu);
	close(s->pipe[0]);
	close(s->pipe[1]);
	kb_index_close(s->ix);
	free(s);
}

unsigned long kb_tui_searcher_post(struct kb_tui_searcher *s, const char *text, size_t limit)
{
	unsigned long gen;
	pthread_mutex_lock(&s->mu);
	free(s->text);
	s->text = text ? kb_xstrdup(text) : NULL;
	s->limit = limit;
	gen = atomic_fetch_add(&s->gen, 1) + 1;
	found_free(&s->found); /* any result ready is for older text */
	s->have = false;
	pthread_cond_signal(&s->work);
	pthread_mutex_unlock(&s->mu);
	return gen;
}

int kb_tui_searcher_fd(const struct kb_tui_searcher *s)
{
	return s ? s->pipe[0] : -1;
}

bool kb_tui_searcher_take(struct kb_tui_searcher *s, struct kb_tui_found *out)
{
	char buf[64];
	bool have;
	while (read(s->pipe[0], buf, sizeof buf) > 0)
		;
	pthread_mutex_lock(&s->mu);
	have = s->have;
	if (have) {
		*out = s->found;
		memset(&s->found, 0, sizeof s->found);
		s->have = false;
	}
	pthread_mutex_unlock(&s->mu);
	return have;
}

void kb_tui_found_free(struct kb_tui_found *f)
{
	found_free(f);
}

bool kb_tui_searcher_busy(struct kb_tui_searcher *s)
{
	bool busy;
	pthread_mutex_lock(&s->mu);
	busy = s->text || s->running || s->have;
	pthread_mutex_unlock(&s->mu);
	return busy;
}

void kb_tui_searcher_wait(struct kb_tui_searcher *s)
{
	pthread_mutex_lock(&s->mu);
	while (s->text || s->running)
		pthread_cond_wait(&s->done, &s->mu);
	pthread_mutex_unlock(&s->mu);
}

void kb_tui_searcher_delay(struct kb_tui_searcher *s, int ms)
{
	atomic_store(&s->delay_ms, ms);
}
