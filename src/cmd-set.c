/* cmd-set.c -- set [KEY VALUE]: the allocator's tunables. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "history.h"

/*
 * The keys, each a model parameter; a model has those its params bits
 * say.  lacks: why a model without it has none (for the refusal).
 */
static const struct key {
	const char		*name;
	enum session_tunable	 tunable;
	enum model_param	 param;
	const char		*lacks;
} keys[] = {
	{ "mmap_threshold", SESSION_MMAP_THRESHOLD, MODEL_MMAP_THRESHOLD,
	  NULL },
	{ "trim_threshold", SESSION_TRIM_THRESHOLD, MODEL_TRIM_THRESHOLD,
	  NULL },
	{ "checks", SESSION_CHECKS, MODEL_CHECKS, NULL },
	{ "mxfast", SESSION_MXFAST, MODEL_MXFAST,
	  "mallopt's M_MXFAST sizes fastbins, which this model does not keep" },
	{ "mmap_max", SESSION_MMAP_MAX, MODEL_MMAP_MAX,
	  "mallopt's M_MMAP_MAX caps how many chunks are mapped, which this "
	  "model does not count; `set mmap_threshold` moves where mapping "
	  "starts" },
};
#define NKEYS	(sizeof keys / sizeof keys[0])

static bool
has(const struct model *m, const struct key *k)
{
	return (m->ops->params & MODEL_PARAM(k->param)) != 0;
}

static void
show(struct cmd_ctx *c)
{
	struct model	*m = session_model(c->s);
	size_t		 t = m->ops->param(m, MODEL_TRIM_THRESHOLD), f;

	out_printf(c->out, "mmap_threshold %zu\n",
	    m->ops->param(m, MODEL_MMAP_THRESHOLD));
	if (t == SIZE_MAX)
		out_printf(c->out, "trim_threshold off\n");
	else
		out_printf(c->out, "trim_threshold %zu\n", t);
	out_printf(c->out, "checks %s\n",
	    m->ops->param(m, MODEL_CHECKS) == MODEL_CHECKS_STRICT ? "strict" :
	    m->ops->checks_own);
	if (has(m, &keys[3])) {
		/* global_max_fast: set_max_fast's rounding of the request. */
		f = m->ops->param(m, MODEL_MXFAST);
		if (f < 32)
			out_printf(c->out, "mxfast 0 (no fastbins)\n");
		else
			out_printf(c->out, "mxfast %zu (fastbin chunks up to "
			    "0x%zx)\n", f, f);
	}
	if (has(m, &keys[4]))
		out_printf(c->out, "mmap_max %zu%s\n",
		    m->ops->param(m, MODEL_MMAP_MAX),
		    m->ops->param(m, MODEL_MMAP_MAX) == 0 ? " (no mmap)" : "");
}

/* The keys model m has, ", "-separated, into b. */
static void
key_list(const struct model *m, struct buf *b)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++)
		if (has(m, &keys[i]))
			buf_printf(b, "%s%s", b->len ? ", " : "", keys[i].name);
}

/* checks VALUE: strict, or the model's own checks' name. */
static int
parse_checks(struct cmd_ctx *c, const char *val, size_t *v)
{
	const struct model_ops	*ops = session_model(c->s)->ops;
	size_t			 i;

	if (strcmp(val, "strict") == 0) {
		*v = MODEL_CHECKS_STRICT;
		return 0;
	}
	if (strcmp(val, ops->checks_own) == 0) {
		*v = MODEL_CHECKS_OFF;
		return 0;
	}
	for (i = 0; model_list[i] != NULL; i++) {
		if (strcmp(val, model_list[i]->checks_own) != 0)
			continue;
		out_kprintf(c->out, OUT_ERROR, "set: the %s model has no "
		    "checks %s (the %s model's); checks is strict or %s\n",
		    ops->short_name, val, model_list[i]->short_name,
		    ops->checks_own);
		return -1;
	}
	out_kprintf(c->out, OUT_ERROR, "set: checks is strict or %s, not %s\n",
	    ops->checks_own, val);
	return -1;
}

/*
 * The allocator would not take it.  glibc's mallopt consolidates the
 * fastbins first, and aborts on a damaged one: refused as a malloc is,
 * with glibc's message.  Else the value itself is refused.
 */
static enum session_status
tune_failed(struct cmd_ctx *c, const struct key *k, const char *val)
{
	int	err = errno;
	char	call[96];

	if (err == ESRCH && session_death(c->s) != NULL)
		return SESSION_ERROR;		/* the subject died: said */
	if (err == ECANCELED) {
		snprintf(call, sizeof call, "set %s %s (mallopt)", k->name,
		    val);
		cmd_report_alloc_error(c->s, c->out, call,
		    history_abort(c->s));
		return SESSION_ERROR;
	}
	history_abort(c->s);
	if (err == ENOTSUP)
		out_kprintf(c->out, OUT_ERROR, "set: %s is not sent to a real "
		    "subject yet (the simulated heap takes it)\n", k->name);
	else if (k->param == MODEL_MXFAST)
		out_kprintf(c->out, OUT_ERROR, "set: mxfast is 0 (no "
		    "fastbins) to 160 (glibc's MAX_FAST_SIZE, 80 * "
		    "sizeof(size_t) / 4), not %s\n", val);
	else
		out_kprintf(c->out, OUT_ERROR, "set: the %s model refuses %s "
		    "%s\n", session_model(c->s)->ops->short_name, k->name, val);
	return SESSION_ERROR;
}

static enum session_status
cmd_set_exec(struct cmd_ctx *c)
{
	struct model		*m = session_model(c->s);
	const struct key	*k = NULL;
	const char		*val;
	struct buf		 b;
	size_t			 v, i;

	if (c->argc == 0) {
		show(c);
		return SESSION_OK;
	}
	for (i = 0; i < NKEYS; i++)
		if (strcmp(c->argv[0], keys[i].name) == 0)
			k = &keys[i];
	if (k == NULL || !has(m, k)) {
		buf_init(&b);
		key_list(m, &b);
		if (k == NULL)
			out_kprintf(c->out, OUT_ERROR, "set: unknown key %s "
			    "(keys: %s)\n", c->argv[0], b.s);
		else
			out_kprintf(c->out, OUT_ERROR, "set: the %s model has "
			    "no %s (%s); its keys: %s\n", m->ops->short_name,
			    k->name, k->lacks, b.s);
		buf_free(&b);
		return SESSION_ERROR;
	}
	if (c->argc == 1) {
		out_kprintf(c->out, OUT_ERROR, "set: %s needs a value (usage: "
		    "set KEY VALUE)\n", k->name);
		return SESSION_ERROR;
	}
	val = c->argv[1];
	if (k->param == MODEL_CHECKS) {
		if (parse_checks(c, val, &v) != 0)
			return SESSION_ERROR;
	} else if (k->param == MODEL_TRIM_THRESHOLD && strcmp(val, "off") == 0)
		v = SIZE_MAX;
	else if (cmd_parse_size(c, val, k->name, &v) != 0)
		return SESSION_ERROR;
	history_begin(c->s, false, "set %s", k->name);
	if (session_tune(c->s, k->tunable, v) != 0)
		return tune_failed(c, k, val);
	show(c);
	return SESSION_OK;
}

static void
cmd_set_complete(int n, void (*add)(void *, const char *), void *ctx)
{
	size_t	i;

	if (n == 1) {
		for (i = 0; i < NKEYS; i++)
			add(ctx, keys[i].name);
	} else if (n == 2) {
		add(ctx, "strict");
		for (i = 0; model_list[i] != NULL; i++)
			add(ctx, model_list[i]->checks_own);
	}
}

const struct cmd_entry cmd_set_entry = {
	.name = "set",
	.usage = "[KEY VALUE]",
	.summary = "set mmap_threshold, trim_threshold, checks, mxfast or "
	    "mmap_max; alone: list",
	.help = "mmap_threshold SIZE  requests of at least SIZE get their own "
	    "mapping\n                     (dlmalloc 262144; glibc 131072, "
	    "raised as mapped\n                     chunks are freed until a "
	    "threshold is set)\n"
	    "trim_threshold SIZE  give memory back when top exceeds SIZE "
	    "(dlmalloc\n                     2097152; glibc 131072); `off` "
	    "never trims\n"
	    "checks strict|off     dlmalloc: strict (default) refuses an "
	    "operation on a\n                     damaged heap or a bad "
	    "pointer; off: dlmalloc's own few\n                     checks "
	    "only (a double free hands the block out twice)\n"
	    "checks glibc|strict   glibc: glibc (default) does what glibc "
	    "does: what it\n                     aborts on is refused, what "
	    "it lets through goes\n                     through with a "
	    "warning; strict adds heapviz's refusals\n"
	    "mxfast N             glibc: M_MXFAST, fastbins take chunks up to "
	    "request N\n                     (0..160, default 128; 0: no "
	    "fastbins); consolidates\n"
	    "mmap_max N           glibc: M_MMAP_MAX, at most N mapped chunks "
	    "(0: no mmap)\n"
	    "Either model: never outside the simulated memory.  Setting "
	    "mmap_threshold,\ntrim_threshold or mmap_max on glibc turns its "
	    "dynamic threshold off, and\nevery glibc set runs "
	    "malloc_consolidate first, as mallopt does.",
	.args_min = 0,
	.args_max = 2,
	.exec = cmd_set_exec,
	.complete = cmd_set_complete,
};
