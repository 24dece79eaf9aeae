/* cmd-heap.c -- heap: the chunks in address order: size, flags, state, name, bin. */
#include "cmd.h"
#include "render.h"

static enum session_status
cmd_heap_exec(struct cmd_ctx *c)
{
	struct snapshot	*snap = snapshot_take(c->s);

	render_heap(snap, c->out);
	snapshot_free(snap);
	return SESSION_OK;
}

const struct cmd_entry cmd_heap_entry = {
	.name = "heap",
	.usage = "",
	.summary = "the chunks in address order: size, flags, state, name, bin",
	.help = "Lists every chunk of every heap segment in address order, then the mmapped\nchunks: address, size, the P (previous in use), C (in use) and M (mmapped)\nbits, state, the name bound to it (~ marks a freed name), and for a free\nchunk its bin and links.  Memory another allocator owns (libc's heap after\nprintf) and the user's own sbrk memory are shown where they sit.",
	.args_min = 0,
	.args_max = 0,
	.flags = CMD_READONLY | CMD_PAGE | CMD_ON_TRACE,
	.exec = cmd_heap_exec,
};
