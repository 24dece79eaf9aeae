/* cmd-mode.c -- mode [sim|real [--aslr]]: simulated or real heap. */
#include <string.h>

#include "cmd.h"
#include "memsrc-subject.h"
#include "recording.h"

static enum session_status
cmd_mode_exec(struct cmd_ctx *c)
{
	struct session	*s = c->s;
	bool		 real, aslr = false;

	if (c->argc == 0) {
		if (s->rec != NULL)
			out_printf(c->out, "mode trace: a recording of %s; "
			    "`mode sim` or `mode real` starts afresh\n",
			    recording_program(s));
		else if (!session_is_real(s))
			out_printf(c->out, "mode sim: the simulated heap, the "
			    "same addresses on every machine\n");
		else
			out_printf(c->out, "mode real: the allocator runs in "
			    "subject process %ld (%s, address randomisation "
			    "%s)%s%s\n", memsrc_subject_pid(s->ms),
			    memsrc_subject_traced(s->ms) ? "traced with "
			    "ptrace" : "not traced: ptrace is refused here",
			    memsrc_subject_aslr(s->ms) ? "on" : "off",
			    memsrc_subject_death(s->ms) ? "; it " : "",
			    memsrc_subject_death(s->ms) ?
			    memsrc_subject_death(s->ms) : "");
		return SESSION_OK;
	}
	if (strcmp(c->argv[0], "sim") == 0)
		real = false;
	else if (strcmp(c->argv[0], "real") == 0)
		real = true;
	else {
		out_kprintf(c->out, OUT_ERROR, "mode: sim or real, not %s\n",
		    c->argv[0]);
		return SESSION_ERROR;
	}
	if (c->argc == 2) {
		if (!real || strcmp(c->argv[1], "--aslr") != 0) {
			out_kprintf(c->out, OUT_ERROR, "mode: unknown option "
			    "%s (only `mode real --aslr`)\n", c->argv[1]);
			return SESSION_ERROR;
		}
		aslr = true;
	}
	if (s->replaying)
		return SESSION_OK;	/* never a step; nothing to replay */
	if (s->in_lesson && s->rec == NULL && real == session_is_real(s) &&
	    (!real || aslr == memsrc_subject_aslr(s->ms))) {
		/* `open` started the lesson in the mode it asks for. */
		out_printf(c->out, "mode %s: the lesson started in it already\n",
		    real ? "real" : "sim");
		return SESSION_OK;
	}
	if (session_set_mode(s, real, aslr, c->out) != 0)
		return SESSION_ERROR;
	if (real)
		out_printf(c->out, "mode real: a fresh heap in subject process "
		    "%ld, %s; its break starts at 0x%llx\n",
		    memsrc_subject_pid(s->ms), memsrc_subject_traced(s->ms) ?
		    "traced with ptrace" : "untraced",
		    (unsigned long long)s->ms->initial_break);
	else
		out_printf(c->out, "mode sim: a fresh simulated heap\n");
	return SESSION_OK;
}

const struct cmd_entry cmd_mode_entry = {
	.name = "mode",
	.usage = "[sim|real [--aslr]]",
	.summary = "start afresh on the simulated heap or in a real process",
	.help = "mode real runs the allocator in a small separate process, "
	    "heapviz-subject,\non its own program break and mmap area: the "
	    "addresses are real, and the log\nshows every brk, mmap, munmap "
	    "and mremap it makes as the kernel saw them\n(traced with "
	    "ptrace), libc's own calls too.  printf calls the real printf.\n"
	    "Address randomisation is off in the subject, as gdb does; "
	    "--aslr keeps it.\nmode sim returns to the simulation.  Either "
	    "starts afresh.  Without an\nargument, says which mode is on.",
	.args_min = 0,
	.args_max = 2,
	.flags = CMD_ON_TRACE,
	.exec = cmd_mode_exec,
};
