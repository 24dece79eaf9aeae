/* cmd-diff.c -- diff [A [B]]: what changed between two steps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "history.h"
#include "render.h"
#include "xmalloc.h"

#define X(v) ((unsigned long long)(v))

/* One step's heap, as lines that can be compared: owned copies. */
struct side {
	uint64_t	  brk;
	size_t		  n, nlog;
	uint64_t	 *addr;
	char		**line;
};


static void
side_take(struct session *s, struct side *sd)
{
	struct snapshot	*snap = snapshot_take(s);
	char		 bin[40], tmp[160];
	size_t		 i;

	sd->brk = snap->brk;
	sd->nlog = snap->nlog;
	sd->n = snap->nchunks;
	sd->addr = xcalloc(sd->n ? sd->n : 1, sizeof *sd->addr);
	sd->line = xcalloc(sd->n ? sd->n : 1, sizeof *sd->line);
	for (i = 0; i < snap->nchunks; i++) {
		const struct snap_chunk	*c = &snap->chunks[i];

		snprintf(tmp, sizeof tmp, "0x%llx %9llu  %-7s  %s%s%s%s",
		    X(c->addr), X(c->size), model_state_name(c->state),
		    c->name ? c->name : "", c->name && c->dangling ? "~" : "",
		    c->state == MODEL_CHUNK_FREE ? "  " : "",
		    c->state == MODEL_CHUNK_FREE ? model_bin_label(snap->model,
		    c->bin_class, c->bin, MODEL_LABEL_WORDS, "", bin,
		    sizeof bin) : "");
		sd->addr[i] = c->addr;
		sd->line[i] = xstrdup(tmp);
	}
	snapshot_free(snap);
}

static void
side_free(struct side *sd)
{
	size_t	i;

	for (i = 0; i < sd->n; i++)
		free(sd->line[i]);
	free(sd->line);
	free(sd->addr);
}

static enum session_status
cmd_diff_exec(struct cmd_ctx *c)
{
	struct session	*s = c->s;
	struct side	 a, b;
	size_t		 at = history_position(s), len = history_length(s);
	size_t		 from, to, i = 0, j = 0, shown = 0;

	to = at;
	from = at > 0 ? at - 1 : 0;
	if (c->argc >= 1 &&
	    cmd_parse_size(c, c->argv[0], "step", &from) != 0)
		return SESSION_ERROR;
	if (c->argc == 2 && cmd_parse_size(c, c->argv[1], "step", &to) != 0)
		return SESSION_ERROR;
	if (from > len || to > len) {
		out_kprintf(c->out, OUT_ERROR, "diff: no step %zu (steps go "
		    "from 0 to %zu)\n", from > len ? from : to, len);
		return SESSION_ERROR;
	}
	history_goto(s, from, &out_null);
	side_take(s, &a);
	history_goto(s, to, &out_null);
	side_take(s, &b);
	history_goto(s, at, &out_null);

	out_printf(c->out, "step %zu -> step %zu", from, to);
	if (to == from + 1 && history_line(s, to) != NULL)
		out_printf(c->out, ": %s", history_line(s, to));
	out_printf(c->out, "\n");
	/* Both sides are in address order: walk them together. */
	while (i < a.n || j < b.n) {
		if (j == b.n || (i < a.n && a.addr[i] < b.addr[j])) {
			out_printf(c->out, "  - %s\n", a.line[i++]);
			shown++;
		} else if (i == a.n || b.addr[j] < a.addr[i]) {
			out_printf(c->out, "  + %s\n", b.line[j++]);
			shown++;
		} else {
			if (strcmp(a.line[i], b.line[j]) != 0) {
				out_printf(c->out, "  - %s\n", a.line[i]);
				out_printf(c->out, "  + %s\n", b.line[j]);
				shown++;
			}
			i++;
			j++;
		}
	}
	if (shown == 0)
		out_printf(c->out, "  the chunks are the same\n");
	if (a.brk != b.brk)
		out_printf(c->out, "  break 0x%llx -> 0x%llx (%s0x%llx)\n",
		    X(a.brk), X(b.brk), b.brk > a.brk ? "+" : "-",
		    X(b.brk > a.brk ? b.brk - a.brk : a.brk - b.brk));
	if (b.nlog > a.nlog)
		out_printf(c->out, "  %zu system call%s in between (`log` "
		    "lists them)\n", b.nlog - a.nlog,
		    b.nlog - a.nlog == 1 ? "" : "s");
	side_free(&a);
	side_free(&b);
	return SESSION_OK;
}

const struct cmd_entry cmd_diff_entry = {
	.name = "diff",
	.usage = "[A [B]]",
	.summary = "what changed between two steps (default: the last one)",
	.help = "Compares the heap after step A with the heap after step B "
	    "(default: the\nstep before and the current one; with one "
	    "argument, A and the current one):\nchunks that went (-) and came "
	    "(+), the break, the system calls between.",
	.args_min = 0,
	.args_max = 2,
	.flags = CMD_READONLY | CMD_PAGE | CMD_ON_TRACE,
	.exec = cmd_diff_exec,
};
