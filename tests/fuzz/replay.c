/* replay.c - runs a fuzz target's LLVMFuzzerTestOneInput on files, without libFuzzer: how
 * every crash the fuzzers found stays a regression test in make check. */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kb/util.h"
#include "kb/width.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int failed = 0;
	setlocale(LC_ALL, "");
	kb_width_init();
	for (int i = 1; i < argc; i++) {
		char *data;
		size_t len;
		struct kb_err err;
		if (kb_read_file(argv[i], 64u << 20, &data, &len, &err) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], err.msg);
			failed++;
			continue;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)data, len);
		free(data);
	}
	printf("%d inputs replayed\n", argc - 1);
	return failed ? 1 : 0;
}
