/* cmd-aligned_alloc.c -- aligned_alloc ALIGN SIZE: C11's aligned block. */
#include "cmd.h"
#include "xmalloc.h"

static enum session_status
cmd_aligned_alloc_exec(struct cmd_ctx *c)
{
	char	name[NAMES_MAX];

	strlcopy(name, cmd_target_name(c), sizeof name);
	return cmd_aligned_alloc(c, "aligned_alloc", name, c->argv[0],
	    c->argv[1], false);
}

const struct cmd_entry cmd_aligned_alloc_entry = {
	.name = "aligned_alloc",
	.usage = "ALIGN SIZE",
	.summary = "C11's aligned allocation: memalign by another name",
	.help = "As aligned_alloc(3): SIZE bytes at a multiple of ALIGN, "
	    "named as malloc names\nits result.  glibc 2.36 runs it as "
	    "memalign, without C11's checks of ALIGN\nand SIZE (2.38 added "
	    "them); heapviz does the same with either model.",
	.args_min = 2,
	.args_max = 2,
	.flags = CMD_ASSIGNS,
	.exec = cmd_aligned_alloc_exec,
};
