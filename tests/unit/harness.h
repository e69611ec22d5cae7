/* harness.h - the unit tests' small harness: checks that count, and a registry of suites. */
#ifndef KB_TEST_HARNESS_H
#define KB_TEST_HARNESS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

extern int t_passed, t_failed;
extern const char *t_suite;

bool t_check(bool ok, const char *file, int line, const char *what);
bool t_check_str(const char *got, const char *want, const char *file, int line, const char *what);
bool t_check_int(long long got, long long want, const char *file, int line, const char *what);

/* Removes a scratch directory and everything in it (a check: it must succeed). */
void t_remove_tree(const char *dir);

#define CHECK(c) t_check((c), __FILE__, __LINE__, #c)
#define CHECK_STR(got, want) t_check_str((got), (want), __FILE__, __LINE__, #got)
#define CHECK_INT(got, want) t_check_int((long long)(got), (long long)(want), __FILE__, __LINE__, #got)

/* Each suite file defines one `void test_NAME(void)` and lists it in suites.h. */
#define SUITE(name) void test_##name(void)
#define X(name) SUITE(name);
#include "suites.h"
#undef X

#endif
