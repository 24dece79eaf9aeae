/* cmd-forward.c -- forward [N] (also redo): go forward one step, or N. */
#include "cmd.h"
#include "history.h"

static enum session_status
cmd_forward_exec(struct cmd_ctx *c)
{
	size_t	n = 1, at = history_position(c->s);
	size_t	len = history_length(c->s);

	if (c->argc == 1 && cmd_parse_size(c, c->argv[0], "count", &n) != 0)
		return SESSION_ERROR;
	if (at == len) {
		out_kprintf(c->out, OUT_ERROR, "forward: already at the last "
		    "step (%zu)\n", len);
		return SESSION_ERROR;
	}
	if (n > len - at)
		n = len - at;
	return cmd_move_to(c, at + n);
}

const struct cmd_entry cmd_forward_entry = {
	.name = "forward",
	.alias = "redo",
	.usage = "[N]",
	.summary = "go forward one step (or N) after going back; also redo",
	.help = "Replays the next step of the history, exactly as it ran.",
	.args_min = 0,
	.args_max = 1,
	.flags = CMD_ON_TRACE,
	.exec = cmd_forward_exec,
};
