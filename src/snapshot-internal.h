/*
 * snapshot-internal.h -- what the full snapshot (snapshot.c) and the
 * windowed view (snapshot-view.c) share.  Not for the renderers.
 */
#ifndef HEAPVIZ_SNAPSHOT_INTERNAL_H
#define HEAPVIZ_SNAPSHOT_INTERNAL_H

#include <stddef.h>

#include "alloc.h"
#include "snapshot.h"

struct session;

/* One chunk of the allocator's walk, in display addresses. */
void	snapshot_chunk_from(struct session *, const struct alloc_chunk *,
	    struct snap_chunk *);
/* qsort order of struct snap_chunk: by address. */
int	snapshot_chunk_cmp(const void *, const void *);
/* The sizes tree bin i holds: [lo, hi]. */
void	snapshot_tree_range(int i, size_t *lo, size_t *hi);
/* What both kinds of snapshot hold: all but chunks, names, bins, stats
 * and violations (the mappings and the foreign ranges; no walk). */
void	snapshot_common(struct session *, struct snapshot *);

#endif
