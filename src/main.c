/* main.c - kb's entry point: sets up the locale and hands over to the command line. */
#include <locale.h>

#include "kb/cli.h"
#include "kb/index.h"
#include "kb/width.h"

int main(int argc, char **argv)
{
	/* LC_CTYPE only: kb needs no other category, and LC_NUMERIC would put a decimal comma
	 * into the JSON of kb search --json under de_DE.UTF-8. */
	setlocale(LC_CTYPE, "");
	/* outside a UTF-8 locale nothing but ASCII goes out (kb_sanitize_ascii) */
	kb_sanitize_ascii(!kb_width_init());
	kb_index_init();
	return kb_cli_main(argc, argv);
}
