/* cmd-log.c -- log [N]: the system calls, newest last. */
#include "cmd.h"
#include "render.h"

static enum session_status
cmd_log_exec(struct cmd_ctx *c)
{
	struct snapshot	*snap;
	size_t		 last = 0;

	if (c->argc == 1 && cmd_parse_size(c, c->argv[0], "count", &last) != 0)
		return SESSION_ERROR;
	snap = snapshot_take(c->s);
	render_log(snap, last, c->out);
	snapshot_free(snap);
	return SESSION_OK;
}

const struct cmd_entry cmd_log_entry = {
	.name = "log",
	.usage = "[N]",
	.summary = "every sbrk/brk/mmap/munmap/mremap call and its cause",
	.help = "Lists the memory-source calls, oldest first (the last N with "
	    "N): the call\nwith its arguments, the result, and the step and "
	    "command that caused it.\nThe calls of the last step are marked "
	    "with *.",
	.args_min = 0,
	.args_max = 1,
	.flags = CMD_READONLY | CMD_PAGE | CMD_ON_TRACE,
	.exec = cmd_log_exec,
};
