/*
 * cmd-try.c -- try COMMAND...: run a command that is expected to fail.
 * session_exec handles `try` before the words are split (the command keeps
 * its quoting); this entry is for `help` and for `try` alone.
 */
#include "cmd.h"

static enum session_status
cmd_try_exec(struct cmd_ctx *c)
{
	out_kprintf(c->out, OUT_ERROR, "try: what? (for example `try free "
	    "p1` after p1 was freed)\n");
	return SESSION_ERROR;
}

const struct cmd_entry cmd_try_entry = {
	.name = "try",
	.usage = "COMMAND...",
	.summary = "run a command that is meant to fail (lessons, scripts)",
	.help = "Runs COMMAND; if it fails, its message is shown as usual but "
	    "the script\ngoes on as if it had succeeded, and the exit status "
	    "stays 0.  Lessons use\nit to show a double free or an invalid "
	    "pointer on purpose.",
	.args_min = 0,
	.args_max = -1,
	.exec = cmd_try_exec,
};
