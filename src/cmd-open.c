/* cmd-open.c -- open LESSON: load a script to step through. */
#include <string.h>

#include "cmd.h"
#include "lesson.h"

static enum session_status
cmd_open_exec(struct cmd_ctx *c)
{
	struct lesson	*l;
	size_t		 cmds = 0, i;

	if (c->s->in_lesson) {
		out_kprintf(c->out, OUT_ERROR, "%s: a lesson's own lines cannot "
		    "%s it\n", "open", "open another lesson over");
		return SESSION_ERROR;
	}
	if (lesson_open(c->s, c->argv[0], c->out) != 0)
		return SESSION_ERROR;
	l = c->s->lesson;
	for (i = 0; i < l->n; i++) {
		const char	*p = l->lines[i] + strspn(l->lines[i], " \t");

		if (*p != '\0' && *p != '#' && strncmp(p, "pause", 5) != 0)
			cmds++;
	}
	out_printf(c->out, "opened %s: %zu command%s; `step` runs the next, "
	    "`run` runs to the next pause, `back` undoes\n", lesson_name(l), cmds,
	    cmds == 1 ? "" : "s");
	return SESSION_OK;
}

const struct cmd_entry cmd_open_entry = {
	.name = "open",
	.usage = "LESSON",
	.summary = "load a lesson script without running it",
	.help = "Loads LESSON (a file, or a name from `lessons`) to be run a "
	    "command at a\ntime: `step` (Space or n on an empty line in the "
	    "full screen) runs the next\ncommand, `run` runs to the end or "
	    "the next `pause` line, `back` undoes.\nComment lines just before "
	    "a command are narration, shown when it runs.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_open_exec,
};
