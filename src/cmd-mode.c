/* cmd-mode.c -- mode [sim|real [--aslr]]: simulated or real heap. */
#include <string.h>

#include "cmd.h"
#include "engine.h"
#include "history.h"

static enum session_status
cmd_mode_exec(struct cmd_ctx *c)
{
	struct session		*s = c->s;
	const struct engine_ops	*e;
	bool			 aslr = false;

	if (c->argc == 0) {
		session_engine(s)->describe(s, c->out, false);
		return SESSION_OK;
	}
	if ((e = engine_find(c->argv[0])) == NULL) {
		out_kprintf(c->out, OUT_ERROR, "mode: sim or real, not %s\n",
		    c->argv[0]);
		return SESSION_ERROR;
	}
	if (c->argc == 2) {
		if (e != &engine_real || strcmp(c->argv[1], "--aslr") != 0) {
			out_kprintf(c->out, OUT_ERROR, "mode: unknown option "
			    "%s (only `mode real --aslr`)\n", c->argv[1]);
			return SESSION_ERROR;
		}
		aslr = true;
	}
	if (history_replaying(s))
		return SESSION_OK;	/* never a step; nothing to replay */
	if (session_in_lesson(s) && session_is_in(s, e, aslr)) {
		/* `open` started the lesson in the mode it asks for. */
		out_printf(c->out, "mode %s: the lesson started in it already\n",
		    e->name);
		return SESSION_OK;
	}
	/* A lesson may choose its mode in its first lines, not later. */
	if (session_lesson(s) != NULL && history_length(s) > 0) {
		out_kprintf(c->out, OUT_ERROR, "mode: a lesson is under way; a "
		    "new mode would start afresh under it\n");
		return SESSION_ERROR;
	}
	if (session_set_mode(s, e, aslr, c->out) != 0)
		return SESSION_ERROR;
	e->describe(s, c->out, true);
	return SESSION_OK;
}

static void
cmd_mode_complete(int n, void (*add)(void *, const char *), void *ctx)
{
	if (n == 1) {
		add(ctx, "sim");
		add(ctx, "real");
	} else if (n == 2)
		add(ctx, "--aslr");
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
	    "--aslr keeps it.\nWith the glibc model (`allocator glibc`), the "
	    "subject calls its own libc's\nmalloc family instead, and the "
	    "model runs beside it: after each call the\ntwo are compared "
	    "word for word (\"verified against the real glibc\", or the\n"
	    "first difference), and what glibc would abort on is refused "
	    "before the\nsubject sees it.  mode sim returns to the "
	    "simulation.  Either starts\nafresh.  Without an argument, says "
	    "which mode is on.",
	.args_min = 0,
	.args_max = 2,
	.flags = CMD_ON_TRACE,
	.exec = cmd_mode_exec,
	.complete = cmd_mode_complete,
};
