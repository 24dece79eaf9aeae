/*
 * snapshot-take.c -- snapshot_take: the one read-only view of the session
 * at its step, from whatever holds the heap.  A recording's engine (a
 * trace) holds the program's recorded blocks and, where the glibc model
 * follows the program, the model's heap (snapshot-trace.c); every other
 * engine, the session's own allocator (snapshot.c).
 */
#include "engine.h"
#include "history.h"
#include "session.h"
#include "snapshot.h"
#include "snapshot-internal.h"

struct snapshot *
snapshot_take(struct session *s)
{
	struct recording	*rec;
	struct snapshot		*snap;

	if (session_engine(s)->recording == NULL)
		return snapshot_of_session(s);
	/* `trace`: the recorded program's heap, not the allocator's; the
	 * model's where it follows the program, else its bins are named,
	 * all empty, and said to be unknown. */
	rec = session_engine(s)->recording(s);
	snap = snapshot_of_recording(rec, session_names(s)->v,
	    session_names(s)->n, history_last_line(s));
	snapshot_recording_verdict(rec, snap);
	if (!snapshot_recording_model(rec, snap))
		snapshot_specials_empty(s, snap);
	return snap;
}
