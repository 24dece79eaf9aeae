/*
 * snapshot-trace.c -- the snapshot of a recording's current step, for the
 * views: what snapshot.c makes from the allocator's walk, made instead
 * from the recorded program's replayed blocks, names, map and log.  The
 * recording (recording.c) keeps the state; this file only reads it, so
 * the data flows up from the trace engine to the views and never back.
 */
#include <stdlib.h>
#include <string.h>

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
	snap->recorded = true;
	snap->bins_unknown = true;	/* until a model says */
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
		if (made->type == REV_CALL)
			sc->thread = rec->wheres[made->where].tid;
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

/* ---- Where the glibc model follows the program: its heap. ---- */

struct mwalk {
	struct memsrc		*ms;
	struct snap_chunk	*v;
	size_t			 n, cap;
};

static void
mwalk_chunk(void *ctx, const struct model_chunk *c)
{
	struct mwalk	*w = ctx;

	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->v = xreallocarray(w->v, w->cap, sizeof *w->v);
	}
	snapshot_chunk_at(w->ms, c, &w->v[w->n++]);
}

/* The chunk of v[0..n) (address order) that holds addr, or NULL. */
static struct snap_chunk *
find_in(struct snap_chunk *v, size_t n, uint64_t addr)
{
	size_t	lo = 0, hi = n;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;

		if (addr < v[mid].addr)
			hi = mid;
		else if (addr >= v[mid].addr + v[mid].size)
			lo = mid + 1;
		else
			return &v[mid];
	}
	return NULL;
}

void
snapshot_recording_verdict(struct recording *rec, struct snapshot *snap)
{
	const struct rverdict	*v = recording_verdict(rec);

	if (v == NULL)
		return;
	snap->has_tverify = true;
	snap->tverify.allocator = v->allocator;
	snap->tverify.calls = v->calls;
	snap->tverify.agree = v->agree;
	snap->tverify.diverged = v->diverged;
	snap->tverify.step = v->step;
	snap->tverify.call = v->call;
	snap->tverify.real = v->real;
	snap->tverify.model = v->model;
	snap->tverify.model_null = v->refused || v->model == 0;
	snap->tverify.why = v->why;
}

bool
snapshot_recording_model(struct recording *rec, struct snapshot *snap)
{
	struct memsrc		*ms;
	struct model		*m = recording_model_at(rec, snap->step, &ms);
	struct mwalk		 w = { 0 };
	size_t			 i, nkept = 0;
	char			 one[1][160];

	if (m == NULL)
		return false;
	w.ms = ms;
	m->ops->walk(m, mwalk_chunk, &w);
	for (i = 1; i < w.n; i++)
		if (w.v[i].addr < w.v[i - 1].addr) {
			qsort(w.v, w.n, sizeof *w.v, snapshot_chunk_cmp);
			break;
		}
	/*
	 * The recording's blocks: those in the model's heap lend it their
	 * names; the rest are other threads' arenas, kept as recorded.
	 */
	for (i = 0; i < snap->nchunks; i++) {
		struct snap_chunk	*rc = &snap->chunks[i];
		struct snap_chunk	*mc = find_in(w.v, w.n, rc->addr);

		if (mc != NULL || memsrc_to_host(ms, rc->mem, 1) != NULL) {
			if (mc != NULL && mc->mem == rc->mem) {
				mc->name = rc->name;
				mc->dangling = rc->dangling;
				mc->changed = rc->changed;
			}
			continue;
		}
		snap->chunks[nkept++] = *rc;
	}
	m->ops->stats(m, &snap->stats);
	for (i = 0; i < nkept; i++) {
		if (snap->chunks[i].state == MODEL_CHUNK_FREE)
			snap->stats.free += snap->chunks[i].size;
		else
			snap->stats.inuse += snap->chunks[i].size;
	}
	if (w.n + nkept > w.cap) {
		w.cap = w.n + nkept;
		w.v = xreallocarray(w.v, w.cap ? w.cap : 1, sizeof *w.v);
	}
	if (nkept > 0)
		memcpy(&w.v[w.n], snap->chunks, nkept * sizeof *w.v);
	free(snap->chunks);
	snap->chunks = w.v != NULL ? w.v : xcalloc(1, sizeof *snap->chunks);
	snap->nchunks = w.n + nkept;
	if (nkept > 0)
		qsort(snap->chunks, snap->nchunks, sizeof *snap->chunks,
		    snapshot_chunk_cmp);
	snapshot_model_bins(m, ms, snap);
	snapshot_model_specials(m, ms, snap);
	snap->model_view = true;
	snap->bins_unknown = false;
	snap->dec = recording_model_decisions(rec, &snap->ndec);
	snap->mmap_threshold = m->ops->param(m, MODEL_MMAP_THRESHOLD);
	snap->trim_threshold = m->ops->param(m, MODEL_TRIM_THRESHOLD);
	snap->checks = (enum model_checks)m->ops->param(m, MODEL_CHECKS);
	if (m->ops->check(m, one, 1) > 0) {
		size_t	nv = m->ops->check(m, one, 1);

		snap->violations = xcalloc(nv, sizeof *snap->violations);
		snap->nviolations = m->ops->check(m, snap->violations, nv);
		if (snap->nviolations > nv)
			snap->nviolations = nv;
	}
	return true;
}
