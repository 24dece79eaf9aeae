/*
 * cmd-load.c -- load FILE.rep: replay a malloc-lab trace as steps.
 *
 * The trace (trace.h) is read and checked whole first, so a malformed one
 * is refused, with its line, before anything changes.  Then each operation
 * runs as the command a user would type -- `i3 = malloc 100`, `realloc i3
 * 200`, `free i3` -- one step each, so that the views, the log and going
 * back and forth see a trace exactly as they see typed commands.  What the
 * steps print is not shown (a trace has thousands); errors are, with the
 * trace's line.
 */
#include <stdio.h>

#include "cmd.h"
#include "history.h"
#include "interp.h"
#include "trace.h"

/* Keeps what the steps report as errors; drops the rest. */
struct load_out {
	struct out	 out;
	struct buf	 errors;
};

static void
load_write(void *ctx, enum out_kind kind, const char *s, size_t n)
{
	struct load_out	*l = ctx;

	if (kind == OUT_ERROR)
		buf_add(&l->errors, s, n);
}

static enum session_status
cmd_load_exec(struct cmd_ctx *c)
{
	struct session	*s = c->s;
	struct trace	 t;
	struct load_out	 lo;
	char		 err[320], line[64];
	size_t		 i, counts[3] = { 0, 0, 0 };
	uint32_t	 first = history_step(s) + 1;
	enum session_status st = SESSION_OK;

	if (trace_load(c->argv[0], &t, err, sizeof err) != 0) {
		out_kprintf(c->out, OUT_ERROR, "load: %s\n", err);
		out_kprintf(c->out, OUT_ERROR, "  the trace was not loaded; the "
		    "session is unchanged\n");
		return SESSION_ERROR;
	}
	lo.out.write = load_write;
	lo.out.ctx = &lo;
	buf_init(&lo.errors);
	for (i = 0; i < t.nops; i++) {
		const struct trace_op	*op = &t.ops[i];

		switch (op->kind) {
		case 'a':
			snprintf(line, sizeof line, "i%u = malloc %u", op->id,
			    op->size);
			counts[0]++;
			break;
		case 'r':
			snprintf(line, sizeof line, "realloc i%u %u", op->id,
			    op->size);
			counts[1]++;
			break;
		default:
			snprintf(line, sizeof line, "free i%u", op->id);
			counts[2]++;
			break;
		}
		if (interp_exec(s, line, &lo.out) != SESSION_OK) {
			out_kprintf(c->out, OUT_ERROR, "load: %s:%u: `%s` "
			    "failed; the trace stops there (%zu of %zu "
			    "operations ran)\n", c->argv[0], op->line, line, i,
			    t.nops);
			if (lo.errors.len > 0)
				out_kprintf(c->out, OUT_ERROR, "  %s",
				    lo.errors.s);
			st = SESSION_ERROR;
			break;
		}
		buf_reset(&lo.errors);
	}
	if (st == SESSION_OK)
		out_printf(c->out, "loaded %s: %zu operations (%zu malloc, %zu "
		    "realloc, %zu free) as steps %u to %u; blocks are named "
		    "i<ID>; the most live at once was %zu bytes\n", c->argv[0],
		    t.nops, counts[0], counts[1], counts[2], first,
		    history_step(s), t.peak_payload);
	buf_free(&lo.errors);
	trace_free(&t);
	return st;
}

const struct cmd_entry cmd_load_entry = {
	.name = "load",
	.usage = "FILE.rep",
	.summary = "replay a malloc-lab trace as steps; blocks are named i<ID>",
	.help = "Reads an allocation trace in the CS:APP malloc-lab format: "
	    "four header\nlines (suggested heap size, number of ids, number of "
	    "operations, weight),\nthen `a ID SIZE`, `r ID SIZE` or `f ID` a "
	    "line.  Each operation runs as\n`iID = malloc SIZE`, `realloc iID "
	    "SIZE` or `free iID`, one step each, so\n`back` and `goto` move "
	    "through it.  A malformed trace is refused with its\nline number "
	    "and nothing runs.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_load_exec,
};
