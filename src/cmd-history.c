/* cmd-history.c -- history [all]: the numbered steps. */
#include <string.h>

#include "cmd.h"
#include "history.h"

#define HISTORY_AROUND	10

static enum session_status
cmd_history_exec(struct cmd_ctx *c)
{
	size_t	len = history_length(c->s), at = history_position(c->s);
	size_t	from = 1, to = len, k;

	if (c->argc == 1 && strcmp(c->argv[0], "all") != 0) {
		out_kprintf(c->out, OUT_ERROR, "history: unknown argument %s "
		    "(history, or history all)\n", c->argv[0]);
		return SESSION_ERROR;
	}
	if (len == 0) {
		out_printf(c->out, "no steps yet: the heap is fresh\n");
		return SESSION_OK;
	}
	if (c->argc == 0) {
		from = at > HISTORY_AROUND ? at - HISTORY_AROUND : 1;
		to = at + HISTORY_AROUND < len ? at + HISTORY_AROUND : len;
	}
	if (from > 1)
		out_printf(c->out, "  ... %zu earlier (history all)\n",
		    from - 1);
	if (at == 0)
		out_printf(c->out, "> %5d  (the fresh heap)\n", 0);
	for (k = from; k <= to; k++)
		out_printf(c->out, "%c %5zu  %s\n", k == at ? '>' : ' ', k,
		    history_line(c->s, k));
	if (to < len)
		out_printf(c->out, "  ... %zu later\n", len - to);
	return SESSION_OK;
}

const struct cmd_entry cmd_history_entry = {
	.name = "history",
	.usage = "[all]",
	.summary = "the numbered steps, > marks where the session is",
	.help = "Lists the steps around the current one (all of them with "
	    "`all`): each is a\ncommand that changed the heap.  goto, back and "
	    "forward move between them.",
	.args_min = 0,
	.args_max = 1,
	.flags = CMD_READONLY | CMD_PAGE | CMD_ON_TRACE,
	.exec = cmd_history_exec,
};
