/* cmd-explain.c -- explain [STEP]: what the allocator did, and why. */
#include "cmd.h"
#include "history.h"
#include "render.h"


static enum session_status
cmd_explain_exec(struct cmd_ctx *c)
{
	struct session	*s = c->s;
	struct snapshot	*snap;
	size_t		 n, at = history_position(s);

	n = at;
	if (c->argc == 1 && cmd_parse_size(c, c->argv[0], "step", &n) != 0)
		return SESSION_ERROR;
	/* At step 0 (a fresh session, or gone back to it) there is nothing
	 * to explain, however many steps lie ahead. */
	if ((n == 0 && c->argc == 1) || n > history_length(s)) {
		out_kprintf(c->out, OUT_ERROR, "explain: no step %zu (steps go "
		    "from 1 to %zu)\n", n, history_length(s));
		return SESSION_ERROR;
	}
	/* Visit step n, tell, and come back. */
	if (n != at)
		history_goto(s, n, &out_null);
	snap = snapshot_take(s);
	render_explain(snap, c->out);
	snapshot_free(snap);
	if (n != at)
		history_goto(s, at, &out_null);
	return SESSION_OK;
}

const struct cmd_entry cmd_explain_entry = {
	.name = "explain",
	.usage = "[STEP]",
	.summary = "what the allocator did in the last step (or STEP), and why",
	.help = "Tells the step's decisions in order: the request padded to a "
	    "chunk size,\nthe bins looked at and why each was skipped or "
	    "taken, the chunk chosen, the\nsplit and where the remainder went, "
	    "the designated victim, the neighbours\nmerged, top extended and "
	    "the exact sbrk or mmap call, trimming.\nheapviz --batch --explain "
	    "prints this after every step.",
	.args_min = 0,
	.args_max = 1,
	.flags = CMD_READONLY | CMD_PAGE | CMD_ON_MODEL,
	.trace_refusal = "a trace records calls and system calls; the "
	    "decisions come from the glibc model replaying the program's "
	    "malloc calls, and none were recorded: `log` shows the rest",
	.exec = cmd_explain_exec,
};
