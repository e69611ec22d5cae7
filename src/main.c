/* main.c - kb's entry point: sets up the locale and hands over to the command line. */
#include <locale.h>

#include "kb/cli.h"
#include "kb/width.h"

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	kb_width_init();
	return kb_cli_main(argc, argv);
}
