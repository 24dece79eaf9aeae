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
	.help = "Lists the non-empty small bins (exact sizes, last in first out) and tree\nbins (size ranges, best fit), each with its chunks in the order the\nallocator would take them, then the designated victim, top, and the two\nbitmaps that say which bins hold chunks.\nOn glibc: the tcache (count/7; each entry's next word as stored,\nsafe-linked, and decoded), fastbins, the unsorted bin (its next to be\nprocessed marked), small and large bins with their size ranges, the\nbinmap, last_remainder, the tcache struct, top, then the thresholds\n(mmap, trim, top_pad, global_max_fast; whether the mmap threshold still\nrises by itself).",
	.args_min = 0,
	.args_max = 0,
	.flags = CMD_READONLY | CMD_PAGE | CMD_ON_MODEL,
	.trace_refusal = "a trace records no bins: they come from the glibc "
	    "model replaying the program's malloc calls, and none were recorded",
	.exec = cmd_bins_exec,
};
