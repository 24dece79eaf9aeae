/* cmd-check.c -- check: run the invariant checker over the heap. */
#include "cmd.h"
#include "render.h"

static enum session_status
cmd_check_exec(struct cmd_ctx *c)
{
	struct snapshot	*snap = snapshot_take(c->s);

	render_check(snap, c->out);
	snapshot_free(snap);
	return SESSION_OK;
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "",
	.summary = "run the invariant checker over the heap",
	.help = "Checks dlmalloc's invariants: no two free chunks side by side, boundary\ntags that agree, every free chunk in the bin its size says, consistent\nlinks, tree shape, top last.  After an overflow it says what is damaged.\nOn glibc it checks glibc's invariants (tcache counts and keys, fastbin\nsizes, doubly linked bins, large-bin order, the binmap, PREV_INUSE only\nafter normal-bin chunks) and, when all hold, restates them.",
	.args_min = 0,
	.args_max = 0,
	.flags = CMD_READONLY | CMD_ON_MODEL,
	.trace_refusal = "a trace records calls, not the heap's bytes: the "
	    "glibc model replaying them had none to replay",
	.exec = cmd_check_exec,
};
