/*
 * snapshot-take.c -- which snapshot a session's views get: the allocator
 * model's walk (snapshot.c), or, on a trace, the recorded program's heap
 * (snapshot-trace.c).  The choice sits above both, so neither of them
 * calls the other.
 */
#include "engine.h"
#include "history.h"
#include "session.h"
#include "snapshot.h"
#include "snapshot-internal.h"

struct snapshot *
snapshot_take(struct session *s)
{
	struct snapshot	*snap;

	if (session_engine(s)->recording == NULL)
		return snapshot_of_model(s);
	/* `trace`: the recorded program's heap, not the allocator's.  The
	 * model's bins are named, all empty, for the views that list them. */
	snap = snapshot_of_recording(session_engine(s)->recording(s),
	    session_names(s)->v, session_names(s)->n, history_last_line(s));
	snapshot_specials_empty(s, snap);
	return snap;
}
