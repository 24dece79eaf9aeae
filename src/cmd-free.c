/* cmd-free.c -- free NAME|0xADDR|NULL. */
#include <errno.h>
#include <stdio.h>

#include "cmd.h"
#include "history.h"

static enum session_status
cmd_free_exec(struct cmd_ctx *c)
{
	struct session	*s = c->s;
	struct binding	*b;
	char		 what[64];
	uint64_t	 addr;
	void		*host;

	if (cmd_get_pointer(c, c->argv[0], &addr, &b) != 0)
		return SESSION_ERROR;
	if (addr == 0) {
		out_printf(c->out, "free(NULL): nothing to do (freeing NULL is "
		    "allowed and does nothing)\n");
		return SESSION_OK;
	}
	/* An address that a name holds is that name. */
	if (b == NULL && (b = session_lookup_mem(s, addr, true)) == NULL)
		b = session_lookup_mem(s, addr, false);
	if (b != NULL && !b->live &&
	    session_model(s)->ops->param(session_model(s), MODEL_CHECKS) ==
	    MODEL_CHECKS_STRICT) {
		cmd_dangling_error(c, "free", b);
		return SESSION_ERROR;
	}
	host = session_host(s, addr, 1);
	if (host == NULL) {
		out_record_kind(cmd_record(c), "invalid-pointer");
		out_kprintf(c->out, OUT_ERROR, "free 0x%llx: that address is "
		    "not in the heap or in any mapping\n",
		    (unsigned long long)addr);
		out_kprintf(c->out, OUT_ERROR, "  heapviz refused it; the heap "
		    "is unchanged\n");
		return SESSION_ERROR;
	}
	if (b != NULL)
		buf_snprintf(what, sizeof what, "%s", b->name);
	else
		buf_snprintf(what, sizeof what, "0x%llx",
		    (unsigned long long)addr);
	history_begin(s, false, "free %s", what);
	if (session_free(s, host) != 0) {
		char	call[80];

		if (errno == ESRCH && session_death(s) != NULL)
			return SESSION_ERROR;	/* the subject died: said */
		snprintf(call, sizeof call, "free(%s)", what);
		/* Nothing changed: the step does not count. */
		cmd_report_alloc_error(s, c->out, call,
		    history_abort(s));
		return SESSION_ERROR;
	}
	cmd_mark_freed(s, addr);
	cmd_free_result(c, what, addr);
	return SESSION_OK;
}

const struct cmd_entry cmd_free_entry = {
	.name = "free",
	.usage = "NAME|0xADDR|NULL",
	.summary = "free a block; its name stays bound, shown as dangling",
	.help = "As free(3).  The chunk merges with free neighbours and goes "
	    "to a bin, the\ndesignated victim or top; a large top is trimmed. "
	    " The name stays bound\nand is shown dangling (~).  Freeing it "
	    "again is a double free: heapviz\nsays what the allocator would do "
	    "and refuses.  free NULL does nothing.",
	.args_min = 1,
	.args_max = 1,
	.flags = CMD_ALLOC | CMD_NAME_ARG,
	.exec = cmd_free_exec,
};
