/* cmd-reset.c -- reset: a fresh heap. */
#include "cmd.h"
#include "history.h"

static enum session_status
cmd_reset_exec(struct cmd_ctx *c)
{
	history_reset(c->s);
	out_printf(c->out, "reset: a fresh heap; names, settings and the log "
	    "are cleared\n");
	return SESSION_OK;
}

const struct cmd_entry cmd_reset_entry = {
	.name = "reset",
	.usage = "",
	.summary = "start again with a fresh heap",
	.help = "Throws away every block, name, setting and log line: the "
	    "session starts\nagain as heapviz starts.",
	.args_min = 0,
	.args_max = 0,
	.flags = CMD_ON_TRACE,
	.exec = cmd_reset_exec,
};
