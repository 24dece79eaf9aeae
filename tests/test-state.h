/*
 * test-state.h -- what the C tests ask of a session's state, through the
 * snapshot as every view does: the whole state as `state --json` prints
 * it (to compare two moments byte for byte), and how many violations the
 * checker finds.
 */
#ifndef HEAPVIZ_TEST_STATE_H
#define HEAPVIZ_TEST_STATE_H

#include <stddef.h>

#include "out.h"
#include "render.h"
#include "session.h"
#include "snapshot.h"

/* The state as one line of JSON; the caller frees it. */
static inline char *
test_state_json(struct session *s)
{
	struct snapshot	*snap = snapshot_take(s);
	struct buf	 b;

	buf_init(&b);
	render_json_state(snap, &b);
	snapshot_free(snap);
	return b.s;
}

static inline size_t
test_violations(struct session *s)
{
	struct snapshot	*snap = snapshot_take(s);
	size_t		 n = snap->nviolations;

	snapshot_free(snap);
	return n;
}

#endif
