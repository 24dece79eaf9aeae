/* cmd-realloc.c -- realloc NAME SIZE: resize a block. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "history.h"
#include "xmalloc.h"

/* Shared with reallocarray: run the resize and report it. */
enum session_status
cmd_resize(struct cmd_ctx *c, const char *arg, const char *callname,
    size_t nmemb, size_t size, bool array)
{
	struct session	*s = c->s;
	struct binding	*b;
	char		 name[NAMES_MAX], call[128], what[64];
	uint64_t	 addr;
	void		*host = NULL, *p;
	int		 err;

	if (cmd_get_pointer(c, arg, &addr, &b) != 0)
		return SESSION_ERROR;
	if (b != NULL && !b->live && session_model(s)->ops->param(
	    session_model(s), MODEL_CHECKS) == MODEL_CHECKS_STRICT) {
		cmd_dangling_error(c, callname, b);
		return SESSION_ERROR;
	}
	if (addr != 0 && (host = session_host(s, addr, 1)) == NULL) {
		out_record_kind(cmd_record(c), "invalid-pointer");
		out_kprintf(c->out, OUT_ERROR, "%s: 0x%llx is not in the heap "
		    "or any mapping\n  heapviz refused it; the heap is "
		    "unchanged\n", callname, (unsigned long long)addr);
		return SESSION_ERROR;
	}
	if (c->assign != NULL)
		strlcopy(name, c->assign, sizeof name);
	else if (b != NULL)
		strlcopy(name, b->name, sizeof name);
	else
		strlcopy(name, session_next_name(s), sizeof name);
	if (b != NULL)
		buf_snprintf(what, sizeof what, "%s", b->name);
	else
		buf_snprintf(what, sizeof what, addr ? "0x%llx" : "NULL",
		    (unsigned long long)addr);
	if (array)
		buf_snprintf(call, sizeof call, "%s(%s, %zu, %zu)", callname,
		    what, nmemb, size);
	else
		buf_snprintf(call, sizeof call, "%s(%s, %zu)", callname, what,
		    size);
	history_begin(s, false, "%s %s", callname, name);
	errno = 0;
	p = array ? session_reallocarray(s, host, nmemb, size) :
	    session_realloc(s, host, size);
	err = errno;
	out_record_uint(cmd_record(c), "old_address", addr);
	if (p == NULL && host != NULL && !array && size == 0 && err == 0) {
		/* realloc(p, 0): glibc frees p and returns NULL. */
		cmd_mark_freed(s, addr);
		cmd_record_alloc(c, name, call, 0, 0, 0);
		out_printf(c->out, "%s = NULL: the block was freed, as glibc "
		    "does\n", call);
		out_kprintf(c->out, OUT_NOTE, "note: C23 makes realloc(p, 0) "
		    "undefined; portable code calls free(p)\n");
		cmd_explain_step(c);
		return SESSION_OK;
	}
	if (p == NULL && err != EINVAL && host != NULL) {
		cmd_record_alloc(c, name, call, 0, nmemb * size, err);
		out_printf(c->out, "%s = NULL, errno %s (%s); %s is still "
		    "valid at 0x%llx\n", call, err == ENOMEM ? "ENOMEM" : "?",
		    strerror(err), what, (unsigned long long)addr);
		cmd_explain_step(c);
		return SESSION_OK;
	}
	if (p != NULL && host != NULL)
		cmd_mark_freed(s, addr);
	return cmd_alloc_result(c, name, call, p,
	    p != NULL ? nmemb * size : 0, err);
}

static enum session_status
cmd_realloc_exec(struct cmd_ctx *c)
{
	size_t	size;

	if (cmd_parse_csize(c, c->argv[1], "size", &size) != 0)
		return SESSION_ERROR;
	return cmd_resize(c, c->argv[0], "realloc", 1, size, false);
}

const struct cmd_entry cmd_realloc_entry = {
	.name = "realloc",
	.usage = "NAME|0xADDR|NULL SIZE",
	.summary = "resize a block: in place if it can, else move and copy",
	.help = "As realloc(3).  The block shrinks in place, grows in place "
	    "into a free\nneighbour or top, or moves (malloc, copy, free).  "
	    "The name follows the block;\nwith `q = realloc p1 SIZE` q gets "
	    "the result and p1 is left dangling.\nA failed realloc returns "
	    "NULL and leaves the old block valid.  realloc NAME 0\nfrees the "
	    "block and returns NULL, as glibc does (C23 leaves it undefined).",
	.args_min = 2,
	.args_max = 2,
	.flags = CMD_ASSIGNS | CMD_ALLOC | CMD_NAME_ARG,
	.exec = cmd_realloc_exec,
};
