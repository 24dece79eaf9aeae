/* cmd-map.c -- map: the address space: code, data, heap and break, mmaps, stack. */
#include "cmd.h"
#include "render.h"

static enum session_status
cmd_map_exec(struct cmd_ctx *c)
{
	struct snapshot	*snap = snapshot_take(c->s);

	render_map(snap, c->out);
	snapshot_free(snap);
	return SESSION_OK;
}

const struct cmd_entry cmd_map_entry = {
	.name = "map",
	.usage = "",
	.summary = "the address space: code, data, heap and break, mmaps, stack",
	.help = "Draws the address space, highest first, as in the classic picture: the\nstack, the mmap region with each mapping, free space, the heap up to the\nprogram break (and how far the break moved since the start), data/bss,\ncode.  The addresses are the simulation's fixed display addresses.\nOn glibc, main_arena (its struct malloc_state, 0x898 bytes) is shown\nunder the mapping that holds it: libc.so.6's data in real mode, the\ndata mapping in the simulation.",
	.args_min = 0,
	.args_max = 0,
	.flags = CMD_READONLY | CMD_PAGE | CMD_ON_TRACE,
	.exec = cmd_map_exec,
};
