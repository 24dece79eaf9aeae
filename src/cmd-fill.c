/* cmd-fill.c -- fill NAME BYTE [COUNT]. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "xmalloc.h"

static enum session_status
cmd_fill_exec(struct cmd_ctx *c)
{
	enum session_status	 st;
	struct binding		*b;
	size_t			 byte, count;
	char			*bytes;

	if ((b = cmd_get_name(c, c->argv[0])) == NULL)
		return SESSION_ERROR;
	if (c->argv[1][0] != '\0' && cmd_word_len(c->argv[1]) == 1 &&
	    !(c->argv[1][0] >= '0' && c->argv[1][0] <= '9'))
		byte = (unsigned char)c->argv[1][0];
	else if (cmd_parse_size(c, c->argv[1], "byte", &byte) != 0)
		return SESSION_ERROR;
	if (byte > 255) {
		out_kprintf(c->out, OUT_ERROR, "fill: byte %s is more than 255 "
		    "(0xff)\n", c->argv[1]);
		return SESSION_ERROR;
	}
	count = b->request;
	if (c->argc == 3 &&
	    cmd_parse_size(c, c->argv[2], "count", &count) != 0)
		return SESSION_ERROR;
	if (count > (size_t)1 << 30) {
		/* Without a COUNT it is the block's size: no argv[2] then. */
		out_kprintf(c->out, OUT_ERROR, "fill: count %zu%s is over "
		    "fill's limit of 1 GiB at a time\n", count,
		    c->argc == 3 ? "" : " (the size asked for)");
		return SESSION_ERROR;
	}
	bytes = xmalloc(count);
	memset(bytes, (int)byte, count);
	st = cmd_put_bytes(c, b, 0, bytes, count, "fill");
	free(bytes);
	return st;
}

const struct cmd_entry cmd_fill_entry = {
	.name = "fill",
	.usage = "NAME BYTE [COUNT]",
	.summary = "fill a block with one byte value",
	.help = "Sets COUNT bytes (default: the size asked for) of NAME to "
	    "BYTE, a number\n(0x41) or a single character (A).  A COUNT past "
	    "the end overflows into the\nnext chunk, as with write.",
	.args_min = 2,
	.args_max = 3,
	.flags = CMD_NAME_ARG,
	.exec = cmd_fill_exec,
};
