/*
 * cmd-goto.c -- goto N, and what back and forward share: move to a step
 * and say where the session is now.
 */
#include "cmd.h"
#include "history.h"
#include "lesson.h"

enum session_status
cmd_move_to(struct cmd_ctx *c, size_t n)
{
	struct session	*s = c->s;
	size_t		 len = history_length(s);
	const char	*line;

	if (history_goto(s, n, c->out) != 0)
		return SESSION_ERROR;
	lesson_follow(s);
	line = history_line(s, n);
	if (n == 0)
		out_printf(c->out, "at step 0 of %zu: the fresh heap\n", len);
	else
		out_printf(c->out, "at step %zu of %zu: %s\n", n, len,
		    line != NULL ? line : "");
	return SESSION_OK;
}

static enum session_status
cmd_goto_exec(struct cmd_ctx *c)
{
	size_t	n;

	if (cmd_parse_size(c, c->argv[0], "step", &n) != 0)
		return SESSION_ERROR;
	if (n > history_length(c->s)) {
		out_kprintf(c->out, OUT_ERROR, "goto: step %zu does not exist "
		    "(steps go from 0 to %zu)\n", n, history_length(c->s));
		return SESSION_ERROR;
	}
	return cmd_move_to(c, n);
}

const struct cmd_entry cmd_goto_entry = {
	.name = "goto",
	.usage = "STEP",
	.summary = "jump to step STEP (0: the fresh heap); `history` lists them",
	.help = "Every command that changes the heap is a numbered step.  goto "
	    "restores the\nexact state after step STEP: bytes, chunks, bins, "
	    "break, mappings, names and\nlog.  A new command given after "
	    "going back starts a new branch: the steps\nthat came after are "
	    "dropped, and heapviz says so.",
	.args_min = 1,
	.args_max = 1,
	.flags = CMD_ON_TRACE,
	.exec = cmd_goto_exec,
};
