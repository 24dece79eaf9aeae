/* cmd-set.c -- set [KEY VALUE]: the allocator's tunables. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "history.h"

static const char *const keys[] = {
	"mmap_threshold", "trim_threshold", "checks", NULL
};

static void
show(struct cmd_ctx *c)
{
	struct model	*m = session_model(c->s);
	size_t		 t = m->ops->param(m, MODEL_TRIM_THRESHOLD);

	out_printf(c->out, "mmap_threshold %zu\n",
	    m->ops->param(m, MODEL_MMAP_THRESHOLD));
	if (t == SIZE_MAX)
		out_printf(c->out, "trim_threshold off\n");
	else
		out_printf(c->out, "trim_threshold %zu\n", t);
	out_printf(c->out, "checks %s\n",
	    m->ops->param(m, MODEL_CHECKS) == MODEL_CHECKS_STRICT ? "strict" :
	    "off");
}

/*
 * The allocator would not take it.  glibc's mallopt consolidates the
 * fastbins first, and aborts on a damaged one: refused as a malloc is,
 * with glibc's message.  Else the value itself is refused.
 */
static enum session_status
tune_failed(struct cmd_ctx *c, const char *key, const char *val)
{
	int	err = errno;
	char	call[96];

	if (err == ESRCH && session_death(c->s) != NULL)
		return SESSION_ERROR;		/* the subject died: said */
	if (err == ECANCELED) {
		snprintf(call, sizeof call, "set %s %s (mallopt)", key, val);
		cmd_report_alloc_error(c->s, c->out, call,
		    history_abort(c->s));
		return SESSION_ERROR;
	}
	history_abort(c->s);
	out_kprintf(c->out, OUT_ERROR, "set: the %s model refuses %s %s\n",
	    session_model(c->s)->ops->short_name, key, val);
	return SESSION_ERROR;
}

static enum session_status
cmd_set_exec(struct cmd_ctx *c)
{
	const char	*key, *val;
	size_t		 v;

	if (c->argc == 0) {
		show(c);
		return SESSION_OK;
	}
	key = c->argv[0];
	if (c->argc == 1) {
		out_kprintf(c->out, OUT_ERROR, "set: %s needs a value (usage: "
		    "set KEY VALUE)\n", key);
		return SESSION_ERROR;
	}
	val = c->argv[1];
	if (strcmp(key, "mmap_threshold") == 0) {
		if (cmd_parse_size(c, val, "mmap_threshold", &v) != 0)
			return SESSION_ERROR;
		history_begin(c->s, false, "set mmap_threshold");
		if (session_tune(c->s, SESSION_MMAP_THRESHOLD, v) != 0)
			return tune_failed(c, "mmap_threshold", val);
	} else if (strcmp(key, "trim_threshold") == 0) {
		if (strcmp(val, "off") == 0)
			v = SIZE_MAX;
		else if (cmd_parse_size(c, val, "trim_threshold", &v) != 0)
			return SESSION_ERROR;
		history_begin(c->s, false, "set trim_threshold");
		if (session_tune(c->s, SESSION_TRIM_THRESHOLD, v) != 0)
			return tune_failed(c, "trim_threshold", val);
	} else if (strcmp(key, "checks") == 0) {
		enum model_checks	ck;

		if (strcmp(val, "strict") == 0)
			ck = MODEL_CHECKS_STRICT;
		else if (strcmp(val, "off") == 0)
			ck = MODEL_CHECKS_OFF;
		else {
			out_kprintf(c->out, OUT_ERROR, "set: checks is strict "
			    "or off, not %s\n", val);
			return SESSION_ERROR;
		}
		history_begin(c->s, false, "set checks");
		if (session_tune(c->s, SESSION_CHECKS, (size_t)ck) != 0)
			return SESSION_ERROR;
	} else {
		out_kprintf(c->out, OUT_ERROR, "set: unknown key %s (keys: "
		    "mmap_threshold, trim_threshold, checks)\n", key);
		return SESSION_ERROR;
	}
	show(c);
	return SESSION_OK;
}

static void
cmd_set_complete(int n, void (*add)(void *, const char *), void *ctx)
{
	size_t	i;

	if (n == 1) {
		for (i = 0; keys[i] != NULL; i++)
			add(ctx, keys[i]);
	} else if (n == 2) {
		add(ctx, "strict");
		add(ctx, "off");
	}
}

const struct cmd_entry cmd_set_entry = {
	.name = "set",
	.usage = "[KEY VALUE]",
	.summary = "set mmap_threshold, trim_threshold or checks; alone: list",
	.help = "mmap_threshold SIZE  requests of at least SIZE get their own "
	    "mapping\n                     (default 262144, 256 KiB)\n"
	    "trim_threshold SIZE  give memory back when top exceeds SIZE "
	    "(default\n                     2097152, 2 MiB); `off` never "
	    "trims\nchecks strict|off     strict (default): refuse an operation "
	    "on a damaged\n                     heap or a bad pointer; off: "
	    "proceed as an unchecked\n                     allocator would "
	    "(a double free hands the block out\n                     "
	    "twice), but never outside the simulated memory",
	.args_min = 0,
	.args_max = 2,
	.exec = cmd_set_exec,
	.complete = cmd_set_complete,
};
