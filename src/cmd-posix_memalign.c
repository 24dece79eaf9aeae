/* cmd-posix_memalign.c -- posix_memalign NAME ALIGN SIZE: the result into
 * NAME, 0 or an error number back. */
#include "cmd.h"

static enum session_status
cmd_posix_memalign_exec(struct cmd_ctx *c)
{
	if (!names_valid(c->argv[0])) {
		out_record_kind(cmd_record(c), "bad-arguments");
		out_kprintf(c->out, OUT_ERROR, "posix_memalign: %s is not a "
		    "name (letters, digits and _, not starting with a "
		    "digit)\n", c->argv[0]);
		return SESSION_ERROR;
	}
	return cmd_aligned_alloc(c, "posix_memalign", c->argv[0], c->argv[1],
	    c->argv[2], true);
}

const struct cmd_entry cmd_posix_memalign_entry = {
	.name = "posix_memalign",
	.usage = "VAR ALIGN SIZE",
	.summary = "allocate SIZE bytes at an ALIGN-aligned address into VAR",
	.help = "As posix_memalign(3): stores an ALIGN-aligned block of SIZE "
	    "bytes in VAR (a\nname, bound as malloc binds it) and returns 0; "
	    "ALIGN must be a power of two\nand a multiple of 8, else the "
	    "result is EINVAL and nothing is allocated;\nENOMEM leaves VAR as "
	    "it was.",
	.args_min = 3,
	.args_max = 3,
	.exec = cmd_posix_memalign_exec,
};
