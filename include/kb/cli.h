/* cli.h - kb's command line: parses arguments and runs a subcommand or the browser. */
#ifndef KB_CLI_H
#define KB_CLI_H

/* Runs kb with the given arguments. Returns the process exit status. */
int kb_cli_main(int argc, char **argv);

#endif
