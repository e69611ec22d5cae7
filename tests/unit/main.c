/* main.c - runs every unit test suite (or those named on the command line) and counts. */
#include <locale.h>
#include <stdlib.h>

#include "harness.h"
#include "kb/util.h"
#include "kb/width.h"

int t_passed, t_failed;
const char *t_suite = "";

static const struct {
	const char *name;
	void (*fn)(void);
} suites[] = {
#define X(name) {#name, test_##name},
#include "suites.h"
#undef X
};

bool t_check(bool ok, const char *file, int line, const char *what)
{
	if (ok) {
		t_passed++;
	} else {
		t_failed++;
		printf("FAIL %s: %s:%d: %s\n", t_suite, file, line, what);
	}
	return ok;
}

bool t_check_str(const char *got, const char *want, const char *file, int line, const char *what)
{
	bool ok = (got == NULL && want == NULL) || (got && want && strcmp(got, want) == 0);
	if (!t_check(ok, file, line, what))
		printf("     got:  %s%s%s\n     want: %s%s%s\n", got ? "\"" : "", got ? got : "NULL",
		       got ? "\"" : "", want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
	return ok;
}

bool t_check_int(long long got, long long want, const char *file, int line, const char *what)
{
	bool ok = got == want;
	if (!t_check(ok, file, line, what))
		printf("     got:  %lld\n     want: %lld\n", got, want);
	return ok;
}

void t_remove_tree(const char *dir)
{
	char *cmd = kb_xasprintf("rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	free(cmd);
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	kb_width_init();
	for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) {
		bool run = argc < 2;
		for (int a = 1; a < argc; a++)
			run |= strcmp(argv[a], suites[i].name) == 0;
		if (!run)
			continue;
		t_suite = suites[i].name;
		suites[i].fn();
	}
	printf("%d passed, %d failed\n", t_passed, t_failed);
	return t_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
