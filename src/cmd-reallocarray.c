/* cmd-reallocarray.c -- reallocarray NAME NMEMB SIZE. */
#include <errno.h>

#include "cmd.h"

static enum session_status
cmd_reallocarray_exec(struct cmd_ctx *c)
{
	size_t	nmemb, size;

	if (cmd_parse_csize(c, c->argv[1], "count", &nmemb) != 0 ||
	    cmd_parse_csize(c, c->argv[2], "size", &size) != 0)
		return SESSION_ERROR;
	if (size != 0 && nmemb > (size_t)-1 / size)
		out_kprintf(c->out, OUT_NOTE, "note: %zu * %zu overflows a "
		    "64-bit size_t: reallocarray returns NULL with ENOMEM "
		    "(plain realloc would have been handed the wrapped "
		    "product)\n", nmemb, size);
	return cmd_resize(c, c->argv[0], "reallocarray", nmemb, size, true);
}

const struct cmd_entry cmd_reallocarray_entry = {
	.name = "reallocarray",
	.usage = "NAME|0xADDR|NULL NMEMB SIZE",
	.summary = "realloc to NMEMB * SIZE bytes, refusing on overflow",
	.help = "As reallocarray(3): like realloc, but NMEMB * SIZE is "
	    "checked: on overflow\nthe result is NULL with errno ENOMEM and "
	    "the old block stays valid.",
	.args_min = 3,
	.args_max = 3,
	.flags = CMD_ASSIGNS | CMD_ALLOC | CMD_NAME_ARG,
	.exec = cmd_reallocarray_exec,
};
