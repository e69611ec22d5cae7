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
	/* in a locale named and not UTF-8 nothing but ASCII goes out (kb_sanitize_ascii); with
	 * none named, UTF-8 as on a jump host, whose terminal is the operator's */
	kb_sanitize_ascii(!kb_width_init() && kb_width_locale_named());
	kb_index_init();
	return kb_cli_main(argc, argv);
}
