/* cmd-show.c -- show NAME: a name, its block and the chunk's header. */
#include <stdio.h>

#include "cmd.h"
#include "render.h"

#define X(v) ((unsigned long long)(v))

static enum session_status
cmd_show_exec(struct cmd_ctx *c)
{
	struct snapshot		*snap;
	const struct snap_chunk	*ch;
	struct binding		*b;

	if ((b = cmd_get_name(c, c->argv[0])) == NULL)
		return SESSION_ERROR;
	out_printf(c->out, "%s: %s, mem 0x%llx, asked for %zu bytes, since "
	    "step %u\n", b->name, b->live ? "live" : "dangling (freed)",
	    X(b->mem), b->request, b->step);
	snap = snapshot_take(c->s);
	ch = b->mem >= 16 ? snapshot_find(snap, b->mem - 16) : NULL;
	if (ch != NULL)
		render_chunk(snap, ch, c->out);
	if (ch != NULL && ch->addr != b->mem - 16)
		out_printf(c->out, "  (the address is now inside that chunk, "
		    "not at its start)\n");
	if (ch != NULL && ch->state == MODEL_CHUNK_INUSE &&
	    ch->addr + ch->size < snap->brk) {
		const struct snap_chunk	*next = snapshot_find(snap,
					    ch->addr + ch->size);

		if (next != NULL && next->addr == ch->addr + ch->size) {
			out_printf(c->out, "next ");
			render_chunk(snap, next, c->out);
		}
	}
	snapshot_free(snap);
	return SESSION_OK;
}

const struct cmd_entry cmd_show_entry = {
	.name = "show",
	.usage = "NAME",
	.summary = "a name, its chunk's header fields decoded, the next chunk",
	.help = "Shows where NAME points, whether it is live or freed, and "
	    "the header of its\nchunk field by field (prev_foot, head with "
	    "its size and bits, links when\nfree), then the next chunk's, "
	    "which an overflow would hit first.",
	.args_min = 1,
	.args_max = 1,
	.flags = CMD_READONLY | CMD_PAGE | CMD_ON_TRACE | CMD_NAME_ARG,
	.exec = cmd_show_exec,
};
