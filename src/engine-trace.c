/*
 * engine-trace.c -- the trace mode: a real program's recorded run
 * (recording.c), stepped through.  Nothing runs: the allocator's calls
 * are absent, only commands marked CMD_ON_TRACE may run, and the steps,
 * the names and the snapshot are the recording's.
 *
 * A trace stands over the engine it was entered from: the session's
 * names, step and last line under it are kept here while it lasts, and
 * given back when it is left (`reset`, `mode`, another `trace`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "history.h"
#include "recording.h"
#include "session.h"
#include "session-internal.h"
#include "xmalloc.h"

struct trace {
	struct recording	*rec;
	const struct engine_ops	*under;		/* the engine it stands over */
	void			*under_data;	/* and that engine's own */
	/* The session's under the recording, given back on leaving. */
	uint32_t		 step;
	char			 last[128];
	struct binding		*names;
	size_t			 nnames;
	unsigned		 next_auto;
};

static struct trace *
trace_of(const struct session *s)
{
	return s->eng_data;
}

/* The session shows the recording where it is. */
static void
trace_sync(struct session *s)
{
	struct trace		*t = trace_of(s);
	const struct binding	*names;
	size_t			 n;
	unsigned		 next_auto;
	char			 last[128];

	names = recording_names(t->rec, &n, &next_auto);
	names_replace(&s->names, names, n, next_auto);
	recording_last(t->rec, last, sizeof last);
	history_set_position(s, (uint32_t)recording_position(t->rec), last);
}

void
engine_trace_enter(struct session *s, struct recording *rec,
    struct out *out)
{
	struct trace	*t;

	if (s->watch != NULL && s->watch->recorded != NULL)
		s->watch->recorded(s, out);
	if (s->compare_watch != NULL && s->compare_watch->recorded != NULL)
		s->compare_watch->recorded(s, out);
	session_leave(s);		/* from one trace to the next */
	t = xcalloc(1, sizeof *t);
	t->rec = rec;
	t->under = s->eng;
	t->under_data = s->eng_data;
	t->step = history_step(s);
	snprintf(t->last, sizeof t->last, "%s", history_last_line(s));
	t->names = xcalloc(s->names.n ? s->names.n : 1, sizeof *s->names.v);
	if (s->names.n > 0)
		memcpy(t->names, s->names.v, s->names.n * sizeof *s->names.v);
	t->nnames = s->names.n;
	t->next_auto = s->names.next_auto;
	s->eng = &engine_trace;
	s->eng_data = t;
	trace_sync(s);
}

static void
trace_leave(struct session *s)
{
	struct trace	*t = trace_of(s);

	names_replace(&s->names, t->names, t->nnames, t->next_auto);
	history_set_position(s, t->step, t->last);
	s->eng = t->under;
	s->eng_data = t->under_data;
	recording_model_free(t->rec);
	recording_free(t->rec);
	free(t->names);
	free(t);
}

static size_t
trace_length(const struct session *s)
{
	return recording_length(trace_of(s)->rec);
}

static const char *
trace_line(const struct session *s, size_t step)
{
	return recording_line(trace_of(s)->rec, step);
}

static int
trace_go(struct session *s, size_t n, struct out *out)
{
	if (recording_goto(trace_of(s)->rec, n, out) != 0)
		return -1;
	trace_sync(s);
	return 0;
}

static struct recording *
trace_recording(const struct session *s)
{
	return trace_of(s)->rec;
}

static const char *
trace_program(const struct session *s)
{
	return recording_program(trace_of(s)->rec);
}

static bool
trace_modelled(struct session *s, char *why, size_t len)
{
	return recording_modelled(trace_of(s)->rec, why, len);
}

static void
trace_describe(struct session *s, struct out *out, bool fresh)
{
	(void)fresh;
	out_printf(out, "mode trace: a recording of %s; `mode sim` or `mode "
	    "real` starts afresh\n", trace_program(s));
}

static const char *
trace_script_mode(const struct session *s)
{
	(void)s;
	return "";
}

static void
trace_no_memory(char *why, size_t len)
{
	snprintf(why, len, "a recording runs nothing");
}

const struct engine_ops engine_trace = {
	.name = "trace",
	.caps = ENGINE_RECORDED,
	.describe = trace_describe,
	.script_mode = trace_script_mode,
	.no_memory = trace_no_memory,
	.length = trace_length,
	.line = trace_line,
	.go = trace_go,
	.recording = trace_recording,
	.program = trace_program,
	.modelled = trace_modelled,
	.leave = trace_leave,
};
