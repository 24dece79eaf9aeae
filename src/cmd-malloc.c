/* cmd-malloc.c -- malloc SIZE: allocate, bind the next name. */
#include <errno.h>
#include <stdio.h>

#include "cmd.h"
#include "history.h"
#include "xmalloc.h"

static enum session_status
cmd_malloc_exec(struct cmd_ctx *c)
{
	char	name[NAMES_MAX], call[64];
	size_t	size;
	void	*p;

	if (cmd_parse_csize(c, c->argv[0], "size", &size) != 0)
		return SESSION_ERROR;
	strlcopy(name, cmd_target_name(c), sizeof name);
	call[0] = '\0';
	if (out_active(c->out))		/* the words are for the user only */
		buf_snprintf(call, sizeof call, "malloc(%zu)", size);
	history_begin(c->s, false, "malloc %s", name);
	errno = 0;
	p = session_malloc(c->s, size);
	return cmd_alloc_result(c, name, call, p, size, errno);
}

const struct cmd_entry cmd_malloc_entry = {
	.name = "malloc",
	.usage = "SIZE",
	.summary = "allocate SIZE bytes; the block is named p1, p2, ...",
	.help = "Allocates SIZE bytes as malloc(3) does and binds the result "
	    "to the next\nfree name (p1, p2, ...), or to NAME with `NAME = "
	    "malloc SIZE`.  The request\nis padded to a chunk: 8 bytes of "
	    "header, rounded up to 16, at least 32.\nSIZE is decimal or 0x "
	    "hex, with an optional K, M or G suffix.  A negative\nSIZE is "
	    "converted as C converts it: -1 is SIZE_MAX, and the result is "
	    "NULL\nwith errno ENOMEM.",
	.args_min = 1,
	.args_max = 1,
	.flags = CMD_ASSIGNS | CMD_ALLOC,
	.exec = cmd_malloc_exec,
};
