/*
 * snapshot-trace.c -- the snapshot of a recording's current step, for the
 * views: what snapshot.c makes from the allocator's walk, made instead
 * from the recorded program's replayed blocks, names, map and log.  The
 * recording (recording.c) keeps the state; this file only reads it, so
 * the data flows up from the trace engine to the views and never back.
 */
#include <stdlib.h>

#include "recording.h"
#include "recording-internal.h"
#include "session.h"		/* struct binding */
#include "snapshot.h"
#include "snapshot-internal.h"
#include "xmalloc.h"

#define PAGE_UP(a)	(((a) + 4095) & ~(uint64_t)4095)

struct snapshot *
snapshot_of_recording(struct recording *rec, const struct binding *names,
    size_t nnames, const char *last)
{
	const struct rstate	*st = &rec->cur;
	struct snapshot		*snap = xcalloc(1, sizeof *snap);
	const struct rev	*e = st->step > 0 ? &rec->ev[st->step - 1] :
				    NULL;
	const struct rmark	*mk = e ? recording_mark(rec, st->step) : NULL;
	const struct mapset	*ms;
	uint64_t		 heap = mk ? mk->heap_start : rec->first_heap;
	uint64_t		 brk = mk ? mk->brk : heap;
	uint64_t		 touched = 0, mmapped = 0;
	size_t			 i, nm = 0, nlog = 0, set;
	bool			 heap_done = false;

	snap->mode = "trace";
	snap->heap_start = heap;
	snap->initial_brk = heap;
	snap->brk = brk;
	if (e != NULL && e->type == REV_CALL)
		touched = e->kind == HVP_FREE ? e->a0 : rev_ext(rec, e)->result;

	snap->chunks = xcalloc(st->n ? st->n : 1, sizeof *snap->chunks);
	snap->nchunks = st->n;
	for (i = 0; i < st->n; i++) {
		const struct rchunk	*c = &st->c[i];
		const struct rev	*made = &rec->ev[c->made - 1];
		struct snap_chunk	*sc = &snap->chunks[i];
		long			 k;

		sc->addr = c->addr;
		sc->mem = c->addr + 16;
		sc->size = c->size;
		/* The header as the call that made the block left it. */
		sc->prev_foot = rev_ext(rec, made)->prev_foot;
		sc->head = made->flags & REV_F_RAWSIZE ? 0 :
		    rev_ext(rec, made)->head;
		sc->state = c->st;
		sc->bin_class = 0;	/* not recorded */
		if (c->name != 0 && (k = recording_shown_find(rec, c->name)) >= 0 &&
		    (size_t)k < nnames) {
			sc->name = names[k].name;
			sc->dangling = !names[k].live;
		} else if (c->name != 0 && c->name <= st->nnames) {
			sc->name = recording_pname(rec, c->name);
			sc->dangling = st->names[c->name - 1].freed != 0;
		}
		sc->changed = touched != 0 && sc->mem == touched;
		if (c->st == MODEL_CHUNK_FREE)
			snap->stats.free += c->size;
		else
			snap->stats.inuse += c->size;
		if (c->st == MODEL_CHUNK_MMAPPED)
			mmapped += PAGE_UP(c->size);
	}
	snap->nnames = nnames;
	snap->names = xcalloc(nnames ? nnames : 1, sizeof *snap->names);
	for (i = 0; i < nnames; i++) {
		snap->names[i].name = names[i].name;
		snap->names[i].mem = names[i].mem;
		snap->names[i].request = names[i].request;
		snap->names[i].live = names[i].live;
	}
	snap->nforeign = st->nforeign;
	snap->foreign = xcalloc(st->nforeign ? st->nforeign : 1,
	    sizeof *snap->foreign);
	for (i = 0; i < st->nforeign; i++) {
		snap->foreign[i].start = st->foreign[i].start;
		snap->foreign[i].end = st->foreign[i].end;
		snap->foreign[i].who = st->foreign[i].who;
	}

	/* The map of the step, the heap drawn from the break. */
	set = mk ? mk->maps : 0;
	ms = set < rec->nsets ? &rec->sets[set] : NULL;
	snap->maps = xcalloc((ms ? ms->n : 0) + 1, sizeof *snap->maps);
	snap->map_names = xcalloc((ms ? ms->n : 0) + 1,
	    sizeof *snap->map_names);
	for (i = 0; ms != NULL && i <= ms->n; i++) {
		bool	heap_here = !heap_done && brk > heap &&
			    (i == ms->n || ms->maps[i].start >= heap);

		if (heap_here) {
			snap->maps[nm].start = heap;
			snap->maps[nm].end = PAGE_UP(brk);
			snap->maps[nm].kind = MAPPING_HEAP;
			snap->map_names[nm++] = "[heap]";
			heap_done = true;
		}
		if (i == ms->n)
			break;
		snap->maps[nm] = ms->maps[i];
		snap->map_names[nm++] = ms->names[i];
	}
	snap->nmaps = nm;

	nlog = mk != NULL ? mk->nlog : 0;
	snap->log = rec->log;
	snap->nlog = nlog;
	snap->log_new = e != NULL && e->type == REV_SYSCALL ? e->where : nlog;
	snap->stats.footprint = (brk > heap ? brk - heap : 0) + mmapped;
	snap->stats.max_footprint = snap->stats.footprint;
	snap->checks = MODEL_CHECKS_OFF;
	snap->checks_own = "off";
	snap->step = (uint32_t)st->step;
	snap->last = last;
	return snap;
}
