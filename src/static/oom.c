/* oom.c - every allocation in the linked kb checked, the libraries' own included: kb's
 * policy is that running out of memory ends it with one line saying so, and some library
 * code does not look at what malloc returned (zstd 1.5.4's dictionary training creates a
 * compression dictionary and uses it unchecked: kb build died of SIGSEGV under ulimit -v).
 * The link wraps malloc, calloc and realloc (ld --wrap, see the Makefile and mk/static.mk):
 * every caller, SQLite, zstd, cmark, libyaml, ncurses and glibc's own, comes here, and a
 * failure prints kb's out-of-memory message and aborts, as kb_xmalloc does. Builds that
 * link glibc shared (the sanitizers', valgrind's, the tests' programs) do not wrap. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

/* kb_oom's message, without stdio, which might want memory itself. */
static void out_of_memory(size_t n)
{
	char msg[64];
	int len = snprintf(msg, sizeof msg, "kb: out of memory (%zu bytes)\n", n);
	if (len > 0 && write(2, msg, (size_t)len) < 0)
		len = 0;
	abort();
}

void *__wrap_malloc(size_t n)
{
	void *p = __real_malloc(n);
	if (!p && n)
		out_of_memory(n);
	return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
	void *p = __real_calloc(n, size);
	if (!p && n && size)
		out_of_memory(n * size);
	return p;
}

void *__wrap_realloc(void *p, size_t n)
{
	void *q = __real_realloc(p, n);
	if (!q && n) /* realloc(p, 0) frees */
		out_of_memory(n);
	return q;
}
