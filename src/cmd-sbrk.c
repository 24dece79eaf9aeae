/* cmd-sbrk.c -- sbrk INCREMENT: move the program break by hand. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "history.h"
#include "engine.h"

#define X(v) ((unsigned long long)(v))

/* Shared with brk. */
enum session_status
cmd_move_break(struct cmd_ctx *c, int64_t incr, bool is_brk, uint64_t target)
{
	struct session	*s = c->s;
	uint64_t	 old = memsrc_break(session_memsrc(s)), floor, new;
	void		*r;

	if (incr == 0 && !is_brk) {
		out_record_uint(cmd_record(c), "old_break", old);
		out_record_int(cmd_record(c), "increment", 0);
		out_printf(c->out, "sbrk(0) = 0x%llx: the break, unmoved\n",
		    X(old));
		return SESSION_OK;
	}
	new = old + (uint64_t)incr;
	floor = session_break_floor(s);
	if (incr < 0 && (uint64_t)-incr > old - floor) {
		out_record_kind(cmd_record(c), "refused");
		out_kprintf(c->out, OUT_ERROR, "%s: refused: the break may not "
		    "go below 0x%llx, where memory the allocator%s owns ends "
		    "(that would unmap live chunks)\n", is_brk ? "brk" : "sbrk",
		    X(floor), session_stdio_ready(s) ? " or libc" : "");
		return SESSION_ERROR;
	}
	history_begin(s, true, "%s command", is_brk ? "brk" : "sbrk");
	if (is_brk)
		r = memsrc_brk(session_memsrc(s), target) == 0 ? NULL :
		    MEMSRC_FAIL;
	else
		r = memsrc_sbrk(session_memsrc(s), (intptr_t)incr);
	out_record_uint(cmd_record(c), "old_break", old);
	out_record_int(cmd_record(c), "increment", incr);
	if (r == MEMSRC_FAIL) {
		int	err = errno;

		char	why[64];

		out_record_int(cmd_record(c), "errno", err);
		out_record_str(cmd_record(c), "errno_name", err == ENOMEM ?
		    "ENOMEM" : "?");

		if (err == ESRCH && session_death(s) != NULL)
			return SESSION_ERROR;	/* the subject died: said */
		session_engine(s)->no_memory(why, sizeof why);
		if (is_brk)
			out_printf(c->out, "brk(0x%llx) = -1, errno ENOMEM: "
			    "%s\n", X(target), why);
		else
			out_printf(c->out, "sbrk(%lld) = (void *)-1, errno %s: "
			    "%s\n", (long long)incr, err == ENOMEM ? "ENOMEM" :
			    "?", why);
		return SESSION_OK;
	}
	out_record_int(cmd_record(c), "errno", 0);
	out_record_null(cmd_record(c), "errno_name");
	if (incr > 0)
		session_add_foreign(s, old, new, "sbrk command");
	else	/* the user's own raw memory goes back from the top down */
		session_foreign_trim(s, new);
	if (is_brk)
		out_printf(c->out, "brk(0x%llx) = 0: the break moved from "
		    "0x%llx by %s0x%llx\n", X(target), X(old),
		    incr < 0 ? "-" : "+", X(incr < 0 ? -(uint64_t)incr :
		    (uint64_t)incr));
	else
		out_printf(c->out, "sbrk(%lld) = 0x%llx; the break is now "
		    "0x%llx\n", (long long)incr, X(old), X(new));
	return SESSION_OK;
}

static enum session_status
cmd_sbrk_exec(struct cmd_ctx *c)
{
	int64_t	incr;

	if (cmd_parse_signed(c, c->argv[0], "increment", &incr) != 0)
		return SESSION_ERROR;
	return cmd_move_break(c, incr, false, 0);
}

const struct cmd_entry cmd_sbrk_entry = {
	.name = "sbrk",
	.usage = "INCREMENT",
	.summary = "move the program break by INCREMENT bytes (sbrk 0 reads it)",
	.help = "As sbrk(2): returns the old break and moves it by INCREMENT "
	    "(negative to\nshrink).  The memory is the program's own, not the "
	    "allocator's: the next time\nthe allocator grows, it finds the "
	    "break moved and starts a new segment.\nThe break cannot go below "
	    "memory the allocator or libc still owns.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_sbrk_exec,
};
