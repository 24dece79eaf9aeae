/* cmd-calloc.c -- calloc NMEMB SIZE: allocate zeroed memory. */
#include <errno.h>
#include <stdio.h>

#include "cmd.h"
#include "history.h"
#include "xmalloc.h"

static enum session_status
cmd_calloc_exec(struct cmd_ctx *c)
{
	char	name[NAMES_MAX], call[96];
	size_t	nmemb, size;
	void	*p;

	if (cmd_parse_csize(c, c->argv[0], "count", &nmemb) != 0 ||
	    cmd_parse_csize(c, c->argv[1], "size", &size) != 0)
		return SESSION_ERROR;
	strlcopy(name, cmd_target_name(c), sizeof name);
	buf_snprintf(call, sizeof call, "calloc(%zu, %zu)", nmemb, size);
	history_begin(c->s, false, "calloc %s", name);
	errno = 0;
	p = session_calloc(c->s, nmemb, size);
	if (p == NULL && errno == ENOMEM && size != 0 &&
	    nmemb > (size_t)-1 / size)
		out_kprintf(c->out, OUT_NOTE, "note: %zu * %zu overflows a "
		    "64-bit size_t, so calloc refuses rather than allocate "
		    "too little\n", nmemb, size);
	return cmd_alloc_result(c, name, call, p,
	    p != NULL ? nmemb * size : 0, errno);
}

const struct cmd_entry cmd_calloc_entry = {
	.name = "calloc",
	.usage = "NMEMB SIZE",
	.summary = "allocate NMEMB * SIZE zeroed bytes",
	.help = "As calloc(3): the memory is zeroed even when a dirty free "
	    "chunk is reused.\nIf NMEMB * SIZE overflows, the result is NULL "
	    "with errno ENOMEM.",
	.args_min = 2,
	.args_max = 2,
	.flags = CMD_ASSIGNS | CMD_ALLOC,
	.exec = cmd_calloc_exec,
};
