/* nodl.c - SQLite's dynamic loading in the static kb: there is none. SQLite's unix VFS calls
 * dlopen() for sqlite3_load_extension(), which kb never calls (and SQLite's load_extension()
 * SQL function is off unless enabled). In a static glibc binary dlopen() would need the build
 * machine's shared libraries at run time, and the link warns about it. The static link wraps
 * these four (ld --wrap, see mk/static.mk) so that SQLite's calls come here and fail, and the
 * warning goes. glibc's own loader stays in the binary, as in any static glibc program that
 * uses locales: gconv would load modules for charsets other than UTF-8, and kb's LC_CTYPE is
 * always UTF-8 (or the built-in one, whose conversions never reach gconv). */
#include <stddef.h>

void *__wrap_dlopen(const char *file, int mode);
void *__wrap_dlsym(void *handle, const char *name);
int __wrap_dlclose(void *handle);
char *__wrap_dlerror(void);

void *__wrap_dlopen(const char *file, int mode)
{
	(void)file;
	(void)mode;
	return NULL;
}

void *__wrap_dlsym(void *handle, const char *name)
{
	(void)handle;
	(void)name;
	return NULL;
}

int __wrap_dlclose(void *handle)
{
	(void)handle;
	return -1;
}

char *__wrap_dlerror(void)
{
	static char msg[] = "the static kb cannot load shared objects";
	return msg;
}
