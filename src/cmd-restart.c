/* cmd-restart.c -- restart: a new real-mode subject, at the same step. */
#include "cmd.h"
#include "history.h"

static enum session_status
cmd_restart_exec(struct cmd_ctx *c)
{
	struct session	*s = c->s;

	if (session_restart(s, c->out) != 0)
		return SESSION_ERROR;
	out_printf(c->out, "restart: a new subject (pid %ld), brought to step "
	    "%u by replaying the history\n", session_pid(s), history_step(s));
	return SESSION_OK;
}

const struct cmd_entry cmd_restart_entry = {
	.name = "restart",
	.usage = "",
	.summary = "real mode: start a new subject and replay the steps",
	.help = "In real mode, after the subject process died (a fault, or "
	    "libc's abort), or\nany time: starts a new one and replays every "
	    "step up to the current one,\nso the heap is as it was before "
	    "the command that killed it.",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_restart_exec,
};
