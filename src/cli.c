/* cli.c - kb's command line: parses arguments and runs a subcommand or the browser. */
#include "kb/cli.h"

#include <stdio.h>
#include <string.h>

int kb_cli_main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("kb %s\n", KB_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: kb [--version]\n");
	return 2;
}
