/*
 * snapshot-internal.h -- what the full snapshot (snapshot.c), the
 * windowed view (snapshot-view.c) and a recording's (snapshot-trace.c)
 * share.  Not for the renderers.
 */
#ifndef HEAPVIZ_SNAPSHOT_INTERNAL_H
#define HEAPVIZ_SNAPSHOT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "snapshot.h"

struct binding;
struct memsrc;
struct recording;
struct session;

/* One chunk of the allocator's walk, in display addresses. */
void	snapshot_chunk_from(struct session *, const struct model_chunk *,
	    struct snap_chunk *);
/* The same, from a model on the memory source ms (a trace's model). */
void	snapshot_chunk_at(struct memsrc *, const struct model_chunk *,
	    struct snap_chunk *);
/* The model's non-empty bins, its bitmaps, ONE classes and top, from a
 * model on ms. */
void	snapshot_model_bins(struct model *, struct memsrc *,
	    struct snapshot *);
void	snapshot_model_specials(struct model *, struct memsrc *,
	    struct snapshot *);
/* qsort order of struct snap_chunk: by address. */
int	snapshot_chunk_cmp(const void *, const void *);
/* The model's bitmaps, its ONE classes' chunks and top. */
void	snapshot_specials(struct session *, struct snapshot *);
/* The same, all empty (a trace's heap is not the model's). */
void	snapshot_specials_empty(struct session *, struct snapshot *);
/* The snapshot of the session's own allocator (snapshot_take's, but for
 * a recording's). */
struct snapshot *snapshot_of_session(struct session *);
/* What both kinds of snapshot hold: all but chunks, names, bins, stats
 * and violations (the mappings and the foreign ranges; no walk). */
void	snapshot_common(struct session *, struct snapshot *);
/* The snapshot of a recording's current step (snapshot-trace.c), with
 * the names the session holds (recording_names' order) and the line it
 * shows as the last. */
struct snapshot *snapshot_of_recording(struct recording *,
	    const struct binding *, size_t, const char *last);
/* Where the recording's model follows the program at the snapshot's
 * step: its heap, bins and checks in place of the recorded blocks of the
 * main arena (false: it does not, nothing changed).  And what the model's
 * replay found, for `state --json`. */
bool	snapshot_recording_model(struct recording *, struct snapshot *);
void	snapshot_recording_verdict(struct recording *, struct snapshot *);

#endif
