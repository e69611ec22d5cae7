/* runq.c - run one command per query line and time each whole process, for `make eval`.
 *
 * usage: runq [-r REPEAT] [-1] [-C DIR] -- COMMAND [ARG...]  <queries
 *
 * Each line of standard input is one query, escaped as in the tests/eval query files: \n is a
 * newline, \t a tab, \\ a backslash; any other backslash is literal. For each query the
 * command is run with the decoded query appended as its last argument (-1: only its
 * first line), REPEAT times (default 1), in DIR if given, with stdin from /dev/null and
 * stderr discarded. Output, per query: a line "@@ N MIN_US MAX_US STATUS" (N counts
 * from 1, MIN/MAX wall time of a whole run from fork to exit, STATUS the exit status of
 * the first run, 128+signal when killed) and then the first run's standard output.
 * Exits 2 on a usage or system error, else 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "runq: %s: %s\n", what, strerror(errno));
	exit(2);
}

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Decodes the escapes of LINE in place, cutting it at the first newline when FIRST. */
static void decode(char *line, int first)
{
	char *r = line, *w = line;
	for (; *r; r++) {
		if (*r == '\\' && (r[1] == 'n' || r[1] == 't' || r[1] == '\\')) {
			r++;
			*w = *r == 'n' ? '\n' : *r == 't' ? '\t' : '\\';
		} else {
			*w = *r;
		}
		if (first && *w == '\n')
			break;
		w++;
	}
	*w = '\0';
}

/* Runs ARGV once with stdout going to OUT (or /dev/null when OUT < 0); returns the
 * exit status and stores the elapsed microseconds in *US. */
static int run(char **argv, const char *dir, int out, long long *us)
{
	long long t0 = now_us();
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null < 0 || (dir && chdir(dir) < 0))
			_exit(127);
		dup2(null, 0);
		dup2(out >= 0 ? out : null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	*us = now_us() - t0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	int repeat = 1, first = 0, opt;
	const char *dir = NULL;
	while ((opt = getopt(argc, argv, "r:1C:")) != -1) {
		if (opt == 'r')
			repeat = atoi(optarg);
		else if (opt == '1')
			first = 1;
		else if (opt == 'C')
			dir = optarg;
		else
			return 2;
	}
	if (optind >= argc || repeat < 1) {
		fprintf(stderr, "usage: runq [-r REPEAT] [-1] [-C DIR] -- COMMAND [ARG...] <queries\n");
		return 2;
	}
	int n = argc - optind;
	char **cmd = calloc((size_t)n + 2, sizeof *cmd);
	if (!cmd)
		die("calloc");
	memcpy(cmd, argv + optind, (size_t)n * sizeof *cmd);

	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	char tmpl[] = "/tmp/runq.XXXXXX";
	int tmp = mkstemp(tmpl);
	if (tmp < 0)
		die("mkstemp");
	unlink(tmpl);
	for (long q = 1; (len = getline(&line, &cap, stdin)) >= 0; q++) {
		if (len > 0 && line[len - 1] == '\n')
			line[len - 1] = '\0';
		decode(line, first);
		cmd[n] = line;
		if (ftruncate(tmp, 0) < 0 || lseek(tmp, 0, SEEK_SET) < 0)
			die("temporary file");
		long long us, min = 0, max = 0;
		int status = 0;
		for (int i = 0; i < repeat; i++) {
			int s = run(cmd, dir, i == 0 ? tmp : -1, &us);
			if (i == 0) {
				status = s;
				min = max = us;
			}
			min = us < min ? us : min;
			max = us > max ? us : max;
		}
		printf("@@ %ld %lld %lld %d\n", q, min, max, status);
		fflush(stdout);
		char buf[65536];
		ssize_t got;
		lseek(tmp, 0, SEEK_SET);
		while ((got = read(tmp, buf, sizeof buf)) > 0)
			if (fwrite(buf, 1, (size_t)got, stdout) != (size_t)got)
				die("write");
		/* Keep the header of the next query on a line of its own. */
		if (lseek(tmp, 0, SEEK_END) > 0) {
			char last;
			if (pread(tmp, &last, 1, lseek(tmp, 0, SEEK_END) - 1) == 1 && last != '\n')
				putchar('\n');
		}
	}
	free(line);
	free(cmd);
	return ferror(stdout) ? 2 : 0;
}
