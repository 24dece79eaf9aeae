/* cmd-brk.c -- brk ADDR: set the program break. */
#include "cmd.h"

static enum session_status
cmd_brk_exec(struct cmd_ctx *c)
{
	uint64_t	addr, cur = memsrc_break(session_memsrc(c->s));
	uint64_t	start = session_memsrc(c->s)->initial_break;

	if (cmd_parse_addr(c, c->argv[0], &addr) != 0)
		return SESSION_ERROR;
	if (addr < start || addr - cur + cur != addr ||
	    addr > start + SIM_HEAP_MAX) {
		out_kprintf(c->out, OUT_ERROR, "brk: 0x%llx is outside the "
		    "heap's range 0x%llx..0x%llx\n", (unsigned long long)addr,
		    (unsigned long long)start,
		    (unsigned long long)(start + SIM_HEAP_MAX));
		return SESSION_ERROR;
	}
	return cmd_move_break(c, (int64_t)(addr - cur), true, addr);
}

const struct cmd_entry cmd_brk_entry = {
	.name = "brk",
	.usage = "ADDR",
	.summary = "set the program break to ADDR",
	.help = "As brk(2): sets the break to ADDR, returning 0 on success.  "
	    "Unlike sbrk it\ndoes not say where the break was: `sbrk 0` "
	    "reads it.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_brk_exec,
};
