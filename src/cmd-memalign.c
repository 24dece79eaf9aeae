/* cmd-memalign.c -- memalign ALIGN SIZE: an aligned block, named as malloc's. */
#include "cmd.h"
#include "xmalloc.h"

static enum session_status
cmd_memalign_exec(struct cmd_ctx *c)
{
	char	name[NAMES_MAX];

	strlcopy(name, cmd_target_name(c), sizeof name);
	return cmd_aligned_alloc(c, "memalign", name, c->argv[0], c->argv[1],
	    false);
}

const struct cmd_entry cmd_memalign_entry = {
	.name = "memalign",
	.usage = "ALIGN SIZE",
	.summary = "allocate SIZE bytes at an ALIGN-aligned address",
	.help = "As memalign(3): SIZE bytes whose address is a multiple of "
	    "ALIGN, bound to the\nnext free name (or NAME with `NAME = "
	    "memalign ALIGN SIZE`).  An ALIGN that is\nnot a power of two is "
	    "rounded up to one, as both allocators do.  The chunk is\ncarved "
	    "from a bigger one; the pieces before and after the aligned "
	    "chunk are\nfreed (`explain` shows them).",
	.args_min = 2,
	.args_max = 2,
	.flags = CMD_ASSIGNS,
	.exec = cmd_memalign_exec,
};
