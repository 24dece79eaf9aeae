/*
 * cmd-try.c -- try COMMAND...: run a command that is expected to fail.
 * CMD_RAW: the interpreter hands it the rest of the line before the words
 * are split, so the command keeps its quoting; `try` alone has no rest.
 */
#include "cmd.h"
#include "interp.h"

static enum session_status
cmd_try_exec(struct cmd_ctx *c)
{
	enum session_status	st;

	if (c->rest != NULL) {
		st = interp_exec(c->s, c->rest, c->out);
		return st == SESSION_ERROR ? SESSION_OK : st;
	}
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
	.flags = CMD_ON_TRACE | CMD_RAW,
	.exec = cmd_try_exec,
};
