/* cmd-pause.c -- pause: where `run` stops in a lesson. */
#include "cmd.h"

static enum session_status
cmd_pause_exec(struct cmd_ctx *c)
{
	(void)c;
	return SESSION_OK;
}

const struct cmd_entry cmd_pause_entry = {
	.name = "pause",
	.usage = "",
	.summary = "in a lesson, where `run` stops; elsewhere nothing",
	.help = "A line of its own in a lesson: `run` stops there so the class "
	    "can look.\nRun as a script with --batch, it does nothing.",
	.args_min = 0,
	.args_max = 0,
	.exec = cmd_pause_exec,
};
