/* cmd-step.c -- step: run the lesson's next command. */
#include "cmd.h"
#include "history.h"
#include "lesson.h"

static enum session_status
cmd_step_exec(struct cmd_ctx *c)
{
	bool	paused;

	if (session_in_lesson(c->s)) {
		out_kprintf(c->out, OUT_ERROR, "%s: a lesson's own lines cannot "
		    "%s it\n", "step", "step");
		return SESSION_ERROR;
	}
	if (session_lesson(c->s) == NULL && history_position(c->s) <
	    history_length(c->s) && history_forward_shown(c->s, c->out) == 0) {
		/* After `back`, step goes forward through the steps made. */
		out_kprintf(c->out, OUT_NOTE, "note: step %zu of %zu again, "
		    "from the history%s\n", history_position(c->s),
		    history_length(c->s), history_position(c->s) <
		    history_length(c->s) ? ": the later steps are kept" : "");
		return SESSION_OK;
	}
	if (session_lesson(c->s) == NULL) {
		out_kprintf(c->out, OUT_ERROR, "step: no lesson is open (`open "
		    "LESSON`; `lessons` lists them)\n");
		return SESSION_ERROR;
	}
	if (!lesson_step(c->s, c->out, &paused) && !paused)
		out_printf(c->out, "the lesson is over (`back` goes back "
		    "through it)\n");
	return SESSION_OK;
}

const struct cmd_entry cmd_step_entry = {
	.name = "step",
	.usage = "",
	.summary = "run the open lesson's next command; after back, redo a step",
	.help = "Runs the next command of the lesson `open` loaded, after "
	    "showing the comment\nlines just before it.  After `back`, the "
	    "step the line made is still ahead:\nit is made again as it ran, "
	    "and the later steps are kept.  Without a lesson,\nstep after "
	    "`back` does the same with the next step of the history.",
	.args_min = 0,
	.args_max = 0,
	.flags = CMD_LESSON,
	.exec = cmd_step_exec,
};
