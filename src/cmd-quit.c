/* cmd-quit.c -- quit. */
#include "cmd.h"

static enum session_status
cmd_quit_exec(struct cmd_ctx *c)
{
	(void)c;
	return SESSION_QUIT;
}

const struct cmd_entry cmd_quit_entry = {
	.name = "quit",
	.alias = "exit",
	.usage = "",
	.summary = "leave heapviz (also exit, or Ctrl-D)",
	.help = "Ends the session.",
	.args_min = 0,
	.args_max = 0,
	.flags = CMD_ON_TRACE,
	.exec = cmd_quit_exec,
};
