/*
 * main.c: blackbar's entry point: dispatches to a subcommand.
 */
#include "cli.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

/* SIGBUS: a file blackbar has mapped (its signature cache, a git pack) was cut
 * short under it, which blackbar itself never does. There is no way to go on from
 * there; exit 2 says "error" (and to an agent hook's caller, "refused"). */
static void on_sigbus(int sig)
{
	static const char msg[] = "blackbar: a mapped file (signature cache or git pack) was "
		"truncated while in use; nothing was decided, run again\n";
	(void)sig;
	ssize_t w = write(2, msg, sizeof msg - 1);
	(void)w;
	_exit(EXIT_ERROR);
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: blackbar COMMAND [OPTIONS]\n\n"
		"Finds secrets, PHI/PII and sensitive files before they leak.\n\n"
		"Commands:\n"
		"  scan [PATH...]         scan files and directories (see blackbar scan --help)\n"
		"  redact [FILE|-]        copy input to output with secrets replaced\n"
		"  redact -- CMD [ARGS]   run a command, redacting its stdout and stderr\n"
		"  hook claude            answer one Claude Code hook event (stdin -> stdout)\n"
		"  install claude         add blackbar's hooks to Claude Code's settings\n"
		"  uninstall claude       remove them\n"
		"  install git-hook       add a pre-commit hook (scan --staged) to a repository\n"
		"  signatures list|check  list the signatures, or run their examples\n"
		"  bench signatures       per-signature precision, recall and cost\n"
		"  version                print the version\n"
		"  help                   this text\n\n"
		"Exit status: 0 nothing found, 1 findings, 2 error.\n");
}

int main(int argc, char **argv)
{
	/* A closed pipe (blackbar scan | head) ends the program quietly: writes fail
	 * with EPIPE instead of killing it mid-report. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGBUS, on_sigbus);
	if (argc < 2) {
		usage(stderr);
		return EXIT_ERROR;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "scan"))
		return cmd_scan(argc - 2, argv + 2);
	if (!strcmp(cmd, "signatures"))
		return cmd_signatures(argc - 2, argv + 2);
	if (!strcmp(cmd, "redact"))
		return cmd_redact(argc - 2, argv + 2);
	if (!strcmp(cmd, "bench"))
		return cmd_bench(argc - 2, argv + 2);
	if (!strcmp(cmd, "hook"))
		return cmd_hook(argc - 2, argv + 2);
	if (!strcmp(cmd, "install") || !strcmp(cmd, "uninstall"))
		return cmd_install(argc - 2, argv + 2, cmd[0] == 'u');
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("blackbar %s\n", BB_VERSION);
		return EXIT_CLEAN;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(stdout);
		return EXIT_CLEAN;
	}
	fprintf(stderr, "blackbar: unknown command '%s'\n\n", cli_arg(cmd));
	usage(stderr);
	return EXIT_ERROR;
}
