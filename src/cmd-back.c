/* cmd-back.c -- back [N] (also undo): go back one step, or N. */
#include "cmd.h"
#include "history.h"

static enum session_status
cmd_back_exec(struct cmd_ctx *c)
{
	size_t	n = 1, at = history_position(c->s);

	if (c->argc == 1 && cmd_parse_size(c, c->argv[0], "count", &n) != 0)
		return SESSION_ERROR;
	if (at == 0) {
		out_kprintf(c->out, OUT_ERROR, "back: already at step 0, the "
		    "fresh heap\n");
		return SESSION_ERROR;
	}
	if (n > at)
		n = at;
	return cmd_move_to(c, at - n);
}

const struct cmd_entry cmd_back_entry = {
	.name = "back",
	.alias = "undo",
	.usage = "[N]",
	.summary = "go back one step (or N); also undo",
	.help = "Restores the state before the last step, exactly.  "
	    "`forward` goes the other\nway until a new command starts a new "
	    "branch.",
	.args_min = 0,
	.args_max = 1,
	.flags = CMD_ON_TRACE,
	.exec = cmd_back_exec,
};
