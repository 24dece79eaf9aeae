/*
 * render.h -- the plain-text and JSON views.  Both read only a snapshot.
 */
#ifndef HEAPVIZ_RENDER_H
#define HEAPVIZ_RENDER_H

#include "events.h"
#include "out.h"
#include "snapshot.h"

/* render-text.c */
void	render_heap(const struct snapshot *, struct out *);
void	render_bins(const struct snapshot *, struct out *);
void	render_map(const struct snapshot *, struct out *);
void	render_log(const struct snapshot *, size_t last, struct out *);
void	render_chunk(const struct snapshot *, const struct snap_chunk *,
	    struct out *);
void	render_check(const struct snapshot *, struct out *);
const char *render_mapping_name(enum mapping_kind);
/* A mapping's size as `map` and the Memory map give it: "8 KiB",
 * "132 KiB", "4 MiB", or "4000 bytes" when not a whole KiB. */
void	 render_human_size(char *, size_t, uint64_t);

/* render-explain.c: the last step's decisions, in words. */
void	render_explain(const struct snapshot *, struct out *);

/* render-json.c: the whole state as one JSON object, no newline. */
void	render_json_state(const struct snapshot *, struct buf *);
/* The log entries of steps after..snapshot's step, as a JSON array. */
void	render_json_syscalls(const struct snapshot *, uint32_t after,
	    struct buf *);

#endif
