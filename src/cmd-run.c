/* cmd-run.c -- run: the lesson's commands up to the next pause. */
#include "cmd.h"
#include "lesson.h"

static enum session_status
cmd_run_exec(struct cmd_ctx *c)
{
	bool	paused = false;

	if (session_in_lesson(c->s)) {
		out_kprintf(c->out, OUT_ERROR, "%s: a lesson's own lines cannot "
		    "%s it\n", "run", "run");
		return SESSION_ERROR;
	}
	if (session_lesson(c->s) == NULL) {
		out_kprintf(c->out, OUT_ERROR, "run: no lesson is open (`open "
		    "LESSON`; `lessons` lists them)\n");
		return SESSION_ERROR;
	}
	while (session_lesson(c->s) != NULL &&
	    lesson_step(c->s, c->out, &paused)) {
		if (paused) {
			out_printf(c->out, "paused: `run` goes on, `step` runs "
			    "one command\n");
			return SESSION_OK;
		}
	}
	out_printf(c->out, "the lesson is over\n");
	return SESSION_OK;
}

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.usage = "",
	.summary = "run the open lesson to the end or to its next pause",
	.help = "Runs the lesson's commands one after another until a line "
	    "that says `pause`\nor the end.",
	.args_min = 0,
	.args_max = 0,
	.flags = CMD_LESSON | CMD_TAIL,
	.exec = cmd_run_exec,
};
