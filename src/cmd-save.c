/* cmd-save.c -- save FILE: the session's steps as a script. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "engine.h"
#include "history.h"
#include "model.h"

static enum session_status
cmd_save_exec(struct cmd_ctx *c)
{
	struct session	*s = c->s;
	size_t		 n = history_position(s), k;
	const char	*mode;
	const struct model_ops *start;
	FILE		*f;

	if ((f = fopen(c->argv[0], "w")) == NULL) {
		out_kprintf(c->out, OUT_ERROR, "save: cannot write %s: %s\n",
		    c->argv[0], strerror(errno));
		return SESSION_ERROR;
	}
	fprintf(f, "# heapviz session: %zu step%s; `heapviz --batch FILE` or "
	    "`source FILE`\n# replays it to the same state.\n", n,
	    n == 1 ? "" : "s");
	/* The model step 0 is on (a later switch is a step of its own). */
	start = history_start_model(s);
	if (start != model_list[0])
		fprintf(f, "allocator %s\n", start->short_name);
	mode = session_engine(s)->script_mode(s);
	if (*mode != '\0')	/* a real session replays for real */
		fprintf(f, "%s\n", mode);
	for (k = 1; k <= n; k++) {
		const char	*line = history_line(s, k);

		/* Opening a lesson made a fresh heap: in a script that is a
		 * reset (a lesson may not open another one). */
		if (strncmp(line, "open ", 5) == 0)
			fprintf(f, "reset  # %s\n", line);
		else
			fprintf(f, "%s\n", line);
	}
	if (fclose(f) != 0) {
		out_kprintf(c->out, OUT_ERROR, "save: writing %s failed: %s\n",
		    c->argv[0], strerror(errno));
		return SESSION_ERROR;
	}
	out_printf(c->out, "saved %zu step%s to %s\n", n, n == 1 ? "" : "s",
	    c->argv[0]);
	return SESSION_OK;
}

const struct cmd_entry cmd_save_entry = {
	.name = "save",
	.usage = "FILE",
	.summary = "write the steps so far as a script that replays them",
	.help = "Writes the commands of steps 1 to the current one to FILE, "
	    "one per line.\nRunning it (--batch, source, open) from a fresh "
	    "heap reaches the identical\nstate.",
	.args_min = 1,
	.args_max = 1,
	.trace_refusal = "a trace is not a script of commands",
	.exec = cmd_save_exec,
};
