/* cmd-source.c -- source FILE: run the commands in a file. */
#include "cmd.h"
#include "interp.h"

static enum session_status
cmd_source_exec(struct cmd_ctx *c)
{
	return interp_source(c->s, c->argv[0], c->out);
}

const struct cmd_entry cmd_source_entry = {
	.name = "source",
	.usage = "FILE",
	.summary = "run the commands in FILE, one per line",
	.help = "Runs FILE line by line as if typed.  An error names the file "
	    "and line and\nthe rest of the file still runs; `quit` in the file "
	    "ends the session.",
	.args_min = 1,
	.args_max = 1,
	.flags = CMD_PAGE | CMD_ON_TRACE,
	.exec = cmd_source_exec,
};
