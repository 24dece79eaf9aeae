/* cmd-open.c -- open LESSON: load a script to step through. */
#include <string.h>

#include "cmd.h"
#include "engine.h"
#include "history.h"
#include "lesson.h"
#include "model.h"

/*
 * A lesson starts on a fresh heap, in the mode it asks for.  In the mode
 * the session is in already that is a step, as `reset` is, so `back`
 * returns to the session before; another mode starts afresh, as `mode`
 * does.  Returns -1 when the mode could not be had (out says why).
 */
static int
fresh_heap(struct cmd_ctx *c, struct lesson *l)
{
	struct session		*s = c->s;
	const struct engine_ops	*e;
	const struct model_ops	*model;
	bool			 real, aslr;
	int			 r;

	lesson_mode(l, &real, &aslr, &model);
	e = real ? &engine_real : &engine_sim;
	if (model == session_model(s)->ops && session_is_in(s, e, aslr)) {
		l->start = 0;
		if (history_length(s) == 0)
			return 0;	/* nothing done yet: fresh already */
		history_begin(s, false, "open %s", lesson_name(l));
		history_restore_start(s);
		l->start = history_position(s);
		out_printf(c->out, "step %zu: a fresh heap for %s; `back` "
		    "returns to the session before it\n", l->start,
		    lesson_name(l));
		return 0;
	}
	/* The lesson just loaded is not under way: let the mode change. */
	session_set_lesson(s, NULL);
	if (model != session_model(s)->ops) {
		/* The model first, on the simulated heap; then the mode. */
		r = session_engine(s)->caps & ENGINE_PROCESS ?
		    session_set_mode(s, &engine_sim, false, c->out) : 0;
		if (r == 0)
			r = session_set_model(s, model, c->out);
		if (r == 0 && !session_is_in(s, e, aslr))
			r = session_set_mode(s, e, aslr, c->out);
		session_set_lesson(s, l);
		l->start = 0;
		if (r != 0)
			return -1;
		out_printf(c->out, "allocator %s: %s asks for the %s model, so "
		    "it starts afresh on it (the steps before are gone)\n",
		    model->short_name, lesson_name(l), model->name);
		return 0;
	}
	r = session_set_mode(s, e, aslr, c->out);
	session_set_lesson(s, l);
	l->start = 0;
	if (r != 0)
		return -1;
	out_printf(c->out, "mode %s: %s asks for %s, so it starts afresh "
	    "there (the steps before are gone)\n", real ? "real" : "sim",
	    lesson_name(l), real ? "a real process" : "the simulated heap");
	return 0;
}

static enum session_status
cmd_open_exec(struct cmd_ctx *c)
{
	struct lesson	*l;
	size_t		 cmds = 0, i;

	if (history_replaying(c->s)) {
		/* Going back and forth: only the fresh heap is replayed; the
		 * lesson open now stays the one that is open. */
		history_begin(c->s, false, "open %s", c->argv[0]);
		history_restore_start(c->s);
		return SESSION_OK;
	}
	if (session_in_lesson(c->s)) {
		out_kprintf(c->out, OUT_ERROR, "%s: a lesson's own lines cannot "
		    "%s it\n", "open", "open another lesson over");
		return SESSION_ERROR;
	}
	if (lesson_open(c->s, c->argv[0], c->out) != 0)
		return SESSION_ERROR;
	l = session_lesson(c->s);
	if (fresh_heap(c, l) != 0)
		return SESSION_ERROR;
	for (i = 0; i < l->n; i++) {
		const char	*p = l->lines[i] + strspn(l->lines[i], " \t");

		if (*p != '\0' && *p != '#' && strncmp(p, "pause", 5) != 0)
			cmds++;
	}
	out_printf(c->out, "opened %s: %zu command%s; `step` runs the next, "
	    "`run` runs to the next pause, `back` undoes\n", lesson_name(l),
	    cmds, cmds == 1 ? "" : "s");
	return SESSION_OK;
}

const struct cmd_entry cmd_open_entry = {
	.name = "open",
	.usage = "LESSON",
	.summary = "start a lesson script on a fresh heap, without running it",
	.help = "Loads LESSON (a file, or a name from `lessons`) to be run a "
	    "command at a\ntime: `step` (Space or n on an empty line in the "
	    "full screen) runs the next\ncommand, `run` runs to the end or "
	    "the next `pause` line, `back` undoes.\nComment lines just before "
	    "a command are narration, shown when it runs.\nThe lesson starts "
	    "on a fresh heap, as `reset` makes, and `back` returns to\nthe "
	    "session before it; a lesson whose first command is `mode real` "
	    "starts\nafresh in a real process instead, and any other on the "
	    "simulated heap.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_open_exec,
};
