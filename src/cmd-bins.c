/* cmd-bins.c -- bins: the free bins in reuse order, dv, top and the bin maps. */
#include "cmd.h"
#include "render.h"

static enum session_status
cmd_bins_exec(struct cmd_ctx *c)
{
	struct snapshot	*snap = snapshot_take(c->s);

	render_bins(snap, c->out);
	snapshot_free(snap);
	return SESSION_OK;
}

const struct cmd_entry cmd_bins_entry = {
	.name = "bins",
	.usage = "",
	.summary = "the free bins in reuse order, dv, top and the bin maps",
	.help = "Lists the non-empty small bins (exact sizes, last in first out) and tree\nbins (size ranges, best fit), each with its chunks in the order the\nallocator would take them, then the designated victim, top, and the two\nbitmaps that say which bins hold chunks.",
	.args_min = 0,
	.args_max = 0,
	.flags = CMD_READONLY | CMD_PAGE,
	.trace_refusal = "glibc's bins are not recorded in a trace",
	.exec = cmd_bins_exec,
};
