/*
 * snapshot-view.c -- the windowed view the full screen reads: an index of
 * the heap's chunks (address, size, state, bin) kept across steps and
 * patched after each allocator call from the chunks its decisions name, so
 * that what the screen costs after a command does not grow with the heap.
 * Only the rows a pane shows are read from the heap, when drawn.  Any
 * other command, a damaged heap, checks off or real mode: the whole walk
 * (and the checker) again.  snapshot.c has the full, one-off snapshot.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "history.h"
#include "session.h"
#include "snapshot.h"
#include "snapshot-internal.h"
#include "xmalloc.h"

/* ---- The windowed view: an index of the heap kept across steps. ---- */

/* Where a chunk is and what it is: all the index keeps of it. */
struct ix_entry {
	uint64_t	addr, size;
	uint8_t		state;		/* enum model_chunk_state */
	uint8_t		bin_class;	/* the model's bin class */
	uint8_t		bin;
};

/*
 * Blocks of at most IX_BLOCK entries.  A step replaces a few entries in a
 * block or two (O(IX_BLOCK)) and moves the block table along (O(blocks));
 * finding the i-th entry or an address is a binary search over the blocks,
 * then within one.
 */
#define IX_BLOCK	256
#define IX_SPECIALS	8

struct ix_block {
	struct ix_entry	*e;
	size_t		 n;
	size_t		 nfree, ninuse, nmmap;
};

struct ix_vec {
	struct ix_entry	*v;
	size_t		 n, cap;
};

struct snap_index {
	struct ix_block		*b;
	size_t			 nb, capb;
	size_t			*cum;		/* entries before block k */
	size_t			 cum_ok;	/* cum[0..cum_ok) are right */
	size_t			 n;
	const struct model_ops	*ops;		/* whose bins binn counts */
	size_t			*binn;		/* chunks in each bin, by */
	size_t			 nslots;	/* bin_slot */

	/* What the index was taken from, and when. */
	bool			 valid;		/* false: walk whole next time */
	bool			 sound;		/* the checker passed */
	const struct model	*m;
	const struct memsrc	*ms;
	uint32_t		 step;
	uint64_t		 special[IX_SPECIALS];	/* top and the ONE
						 * classes' chunks (display
						 * addresses, 0: none) */
	struct model_segment	*segs;		/* host, address order */
	size_t			 nsegs, capsegs;

	struct ix_vec		 tmp, nw;	/* scratch */
	size_t			 rebuilds;

	/* `trace`: the recorded program's heap is not the allocator's; the
	 * view is then backed by a full snapshot of it, kept here. */
	struct snapshot		*full;

	/* The chunks the last step changed: those holding an address its
	 * decisions name, sorted, each once (set by snapshot_view). */
	uint64_t		*chg;
	size_t			 nchg, capchg;
};

static void
vec_add(struct ix_vec *v, const struct ix_entry *e)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 64;
		v->v = xreallocarray(v->v, v->cap, sizeof *v->v);
	}
	v->v[v->n++] = *e;
}

static void
entry_from(struct session *s, const struct model_chunk *c,
    struct ix_entry *e)
{
	e->addr = session_disp(s, c->addr);
	e->size = c->size;
	e->state = (uint8_t)c->state;
	e->bin_class = (uint8_t)c->bin_class;
	e->bin = (uint8_t)c->bin;
}

struct snap_index *
snap_index_create(void)
{
	return xcalloc(1, sizeof(struct snap_index));
}

static void
ix_clear(struct snap_index *ix)
{
	size_t	k;

	for (k = 0; k < ix->nb; k++)
		free(ix->b[k].e);
	ix->nb = 0;
	ix->n = 0;
	ix->cum_ok = 0;
}

void
snap_index_free(struct snap_index *ix)
{
	if (ix == NULL)
		return;
	ix_clear(ix);
	free(ix->b);
	free(ix->cum);
	free(ix->segs);
	free(ix->binn);
	free(ix->tmp.v);
	free(ix->nw.v);
	free(ix->chg);
	snapshot_free(ix->full);
	free(ix);
}

size_t
snap_index_rebuilds(const struct snap_index *ix)
{
	return ix->rebuilds;
}

static void
block_counts(struct ix_block *b)
{
	size_t	i;

	b->nfree = b->ninuse = b->nmmap = 0;
	for (i = 0; i < b->n; i++) {
		b->nfree += b->e[i].state == MODEL_CHUNK_FREE;
		b->ninuse += b->e[i].state == MODEL_CHUNK_INUSE;
		b->nmmap += b->e[i].state == MODEL_CHUNK_MMAPPED;
	}
}

/* Make room for nb blocks in the table. */
static void
ix_reserve(struct snap_index *ix, size_t nb)
{
	if (nb <= ix->capb && ix->cum != NULL)
		return;
	ix->capb = ix->capb ? ix->capb : 16;
	while (ix->capb < nb)
		ix->capb *= 2;
	ix->b = xreallocarray(ix->b, ix->capb, sizeof *ix->b);
	ix->cum = xreallocarray(ix->cum, ix->capb + 1, sizeof *ix->cum);
}

/* Blocks made of v[0..n), evenly filled, at table slot k on. */
static size_t
blocks_for(size_t n)
{
	return (n + IX_BLOCK - 1) / IX_BLOCK;
}

static void
fill_blocks(struct snap_index *ix, size_t k, const struct ix_entry *v,
    size_t n)
{
	size_t	nb = blocks_for(n), j, at = 0;

	for (j = 0; j < nb; j++) {
		struct ix_block	*b = &ix->b[k + j];
		size_t		 m = (n - at) / (nb - j);

		b->n = m;
		b->e = xreallocarray(NULL, m, sizeof *b->e);
		memcpy(b->e, v + at, m * sizeof *b->e);
		block_counts(b);
		at += m;
	}
}

static void
ix_load(struct snap_index *ix, const struct ix_entry *v, size_t n)
{
	ix_clear(ix);
	ix_reserve(ix, blocks_for(n));
	fill_blocks(ix, 0, v, n);
	ix->nb = blocks_for(n);
	ix->n = n;
	ix->cum_ok = 0;
}

static void
ix_cum(struct snap_index *ix)
{
	size_t	k;

	ix_reserve(ix, 1);
	if (ix->cum_ok == 0) {
		ix->cum[0] = 0;
		ix->cum_ok = 1;
	}
	for (k = ix->cum_ok; k <= ix->nb; k++)
		ix->cum[k] = ix->cum[k - 1] + ix->b[k - 1].n;
	ix->cum_ok = ix->nb + 1;
}

/* The block holding entry i (i < n). */
static size_t
ix_block_of(struct snap_index *ix, size_t i)
{
	size_t	lo = 0, hi = ix->nb;

	ix_cum(ix);
	while (hi - lo > 1) {
		size_t	mid = lo + (hi - lo) / 2;

		if (ix->cum[mid] <= i)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static const struct ix_entry *
ix_get(struct snap_index *ix, size_t i)
{
	size_t	k = ix_block_of(ix, i);

	return &ix->b[k].e[i - ix->cum[k]];
}

/* The first entry at or above addr (n if none). */
static size_t
ix_lower(struct snap_index *ix, uint64_t addr)
{
	size_t	lo = 0, hi = ix->nb, k;

	if (ix->nb == 0)
		return 0;
	ix_cum(ix);
	/* The first block whose first entry is at or above addr. */
	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;

		if (ix->b[mid].e[0].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;
	k = lo - 1;
	{
		const struct ix_block	*b = &ix->b[k];
		size_t			 l = 0, h = b->n;

		while (l < h) {
			size_t	mid = l + (h - l) / 2;

			if (b->e[mid].addr < addr)
				l = mid + 1;
			else
				h = mid;
		}
		return ix->cum[k] + l;
	}
}

/* The entry containing addr, or SIZE_MAX. */
static size_t
ix_find(struct snap_index *ix, uint64_t addr)
{
	size_t			 j = ix_lower(ix, addr);
	const struct ix_entry	*e;

	if (j < ix->n && ix_get(ix, j)->addr == addr)
		return j;
	if (j == 0)
		return SIZE_MAX;
	e = ix_get(ix, j - 1);
	return addr - e->addr < e->size ? j - 1 : SIZE_MAX;
}

/*
 * Replace entries [i0, i1) with v[0..k).  Only the blocks holding them
 * (and a small neighbour, so that blocks do not crumble) are rebuilt.
 */
static void
ix_splice(struct snap_index *ix, size_t i0, size_t i1,
    const struct ix_entry *v, size_t k)
{
	struct ix_vec	*t = &ix->tmp;
	size_t		 kb, ke, j, nold, nnew;

	if (ix->nb == 0) {
		ix_load(ix, v, k);
		return;
	}
	ix_cum(ix);
	kb = i0 < ix->n ? ix_block_of(ix, i0) : ix->nb - 1;
	ke = i1 > i0 ? ix_block_of(ix, i1 - 1) : kb;
	t->n = 0;
	for (j = ix->cum[kb]; j < i0; j++)
		vec_add(t, &ix->b[kb].e[j - ix->cum[kb]]);
	for (j = 0; j < k; j++)
		vec_add(t, &v[j]);
	for (j = i1; j < ix->cum[ke] + ix->b[ke].n; j++)
		vec_add(t, &ix->b[ke].e[j - ix->cum[ke]]);
	if (t->n < IX_BLOCK / 2 && ke + 1 < ix->nb) {
		ke++;
		for (j = 0; j < ix->b[ke].n; j++)
			vec_add(t, &ix->b[ke].e[j]);
	}
	nold = ke - kb + 1;
	nnew = blocks_for(t->n);
	for (j = kb; j <= ke; j++)
		free(ix->b[j].e);
	ix_reserve(ix, ix->nb - nold + nnew);
	memmove(&ix->b[kb + nnew], &ix->b[ke + 1],
	    (ix->nb - ke - 1) * sizeof *ix->b);
	fill_blocks(ix, kb, t->v, t->n);
	ix->nb = ix->nb - nold + nnew;
	ix->n = ix->n - (i1 - i0) + k;
	if (ix->cum_ok > kb + 1)
		ix->cum_ok = kb + 1;
}

struct ix_walk {
	struct session	*s;
	struct ix_vec	*v;
	bool		 damaged;
};

static void
ix_walk_chunk(void *ctx, const struct model_chunk *c)
{
	struct ix_walk	*w = ctx;
	struct ix_entry	 e;

	entry_from(w->s, c, &e);
	w->damaged |= c->state == MODEL_CHUNK_DAMAGED;
	vec_add(w->v, &e);
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct ix_entry	*x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/*
 * Where bin i of LIST class cls counts in binn: the model's LIST classes'
 * bins end to end.  SIZE_MAX for a chunk in no such bin.
 */
static size_t
bin_slot(const struct model_ops *ops, int cls, int i)
{
	size_t	at = 0;
	int	k;

	if (cls <= 0 || cls >= ops->nclasses ||
	    ops->classes[cls].shape != MODEL_BINS_LIST || i < 0 ||
	    i >= ops->classes[cls].nbins)
		return SIZE_MAX;
	for (k = 1; k < cls; k++)
		if (ops->classes[k].shape == MODEL_BINS_LIST)
			at += (size_t)ops->classes[k].nbins;
	return at + (size_t)i;
}

/* The chunks of top and of the ONE classes, in class order. */
static void
specials_of(struct session *s, uint64_t *v)
{
	struct model		*m = session_model(s);
	const struct model_ops	*ops = m->ops;
	size_t			 n = 0, sz;
	int			 cls;

	for (cls = 1; cls < ops->nclasses && n < IX_SPECIALS; cls++) {
		if (ops->classes[cls].shape != MODEL_BINS_ONE &&
		    ops->classes[cls].shape != MODEL_BINS_TOP)
			continue;
		v[n++] = session_disp(s, ops->special(m, cls, &sz));
	}
	while (n < IX_SPECIALS)
		v[n++] = 0;
}

static void
ix_note(struct session *s, struct snap_index *ix)
{
	struct model		*m = session_model(s);
	size_t	 n;

	ix->m = m;
	ix->ms = session_memsrc(s);
	ix->step = history_step(s);
	specials_of(s, ix->special);
	n = m->ops->segments(m, NULL, 0);
	if (n > ix->capsegs) {
		ix->capsegs = n * 2;
		ix->segs = xreallocarray(ix->segs, ix->capsegs,
		    sizeof *ix->segs);
	}
	ix->nsegs = m->ops->segments(m, ix->segs, n);
}

/* Walk the whole heap: what snapshot_take would list, and the bins. */
static void
ix_rebuild(struct session *s, struct snap_index *ix)
{
	struct model		*m = session_model(s);
	struct ix_walk	w = { s, &ix->tmp, false };
	bool		sorted = true;
	const struct model_ops *ops = m->ops;
	size_t		i, slot;
	int		cls, k;
	char		one[1][160];

	if (ix->ops != ops) {
		ix->ops = ops;
		ix->nslots = 0;
		for (cls = 1; cls < ops->nclasses; cls++)
			if (ops->classes[cls].shape == MODEL_BINS_LIST)
				ix->nslots += (size_t)ops->classes[cls].nbins;
		free(ix->binn);
		ix->binn = xcalloc(ix->nslots ? ix->nslots : 1,
		    sizeof *ix->binn);
	}
	ix->tmp.n = 0;
	ops->walk(m, ix_walk_chunk, &w);
	for (i = 1; i < ix->tmp.n; i++)
		if (ix->tmp.v[i].addr < ix->tmp.v[i - 1].addr)
			sorted = false;
	if (!sorted)
		qsort(ix->tmp.v, ix->tmp.n, sizeof *ix->tmp.v, entry_cmp);
	ix_load(ix, ix->tmp.v, ix->tmp.n);
	for (cls = 1, slot = 0; cls < ops->nclasses; cls++) {
		if (ops->classes[cls].shape != MODEL_BINS_LIST)
			continue;
		for (k = 0; k < ops->classes[cls].nbins; k++)
			ix->binn[slot++] = ops->bin_chunks(m, cls, k, NULL,
			    0);
	}
	/*
	 * Whether the next steps may be followed piecemeal: the simulation,
	 * strict checks, chunks in walk order, and a heap the checker
	 * passes.  Only then is the heap what the decisions say it is.
	 */
	ix->sound = !w.damaged && sorted &&
	    (session_engine(s)->caps & ENGINE_LOCAL) &&
	    ops->param(m, MODEL_CHECKS) == MODEL_CHECKS_STRICT &&
	    ops->check(m, one, 1) == 0;
	ix_note(s, ix);
	ix->valid = true;
	ix->rebuilds++;
}

static void
bin_count(struct snap_index *ix, const struct ix_entry *e, int d)
{
	size_t	slot;

	if (e->state != MODEL_CHUNK_FREE || ix->ops == NULL)
		return;
	slot = bin_slot(ix->ops, e->bin_class, e->bin);
	if (slot != SIZE_MAX)
		ix->binn[slot] += (size_t)d;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct ix_step {
	struct session	*s;
	struct ix_vec	*v;
	uint64_t	 p, end;	/* the point; the segment's end */
	struct snap_index *ix;
	bool		 stop, damaged;
	uint64_t	 at;		/* where the walk stopped */
	uint64_t	 next;		/* where the next chunk starts */
};

static void
ix_step_chunk(void *ctx, const struct model_chunk *c)
{
	struct ix_step	*w = ctx;
	struct ix_entry	 e;
	size_t		 j;

	if (w->stop)
		return;
	entry_from(w->s, c, &e);
	/* Out of the segment, or back on a boundary the index had. */
	if (e.addr >= w->end || (w->v->n > 0 && e.addr > w->p &&
	    (j = ix_lower(w->ix, e.addr)) < w->ix->n &&
	    ix_get(w->ix, j)->addr == e.addr)) {
		w->stop = true;
		w->at = e.addr;
		return;
	}
	w->damaged |= c->state == MODEL_CHUNK_DAMAGED;
	vec_add(w->v, &e);
	w->next = e.addr + e.size;
}

/*
 * Walk again around point p (a display address in segment [lo, hi)): from
 * the chunk the index has there, until the walk comes back onto a boundary
 * the index had past p, or leaves the segment.  Returns where it stopped.
 */
static uint64_t
ix_rewalk(struct session *s, struct snap_index *ix, uint64_t p, uint64_t lo,
    uint64_t hi, uint64_t old_hi)
{
	struct model		*m = session_model(s);
	struct ix_step	 w = { s, &ix->nw, p, hi, ix, false, false, 0, 0 };
	size_t		 i, j, k;
	uint64_t	 start;

	i = ix_find(ix, p);
	if (i == SIZE_MAX || ix_get(ix, i)->addr < lo) {
		i = ix_lower(ix, lo);
		if (i >= ix->n || ix_get(ix, i)->addr >= hi)
			return p + 1;
	}
	start = ix_get(ix, i)->addr;
	ix->nw.n = 0;
	w.next = start;
	while (!w.stop) {
		void	*h = session_host(s, w.next, 16);
		size_t	 got;

		if (w.next >= hi || h == NULL)
			break;
		got = m->ops->walk_from(m, h, 32, ix_step_chunk, &w);
		if (got == 0)
			break;
		if (got < 32 && !w.stop)
			break;		/* the heap ended */
	}
	/* Old entries from start up to where the walk stopped. */
	j = w.stop && w.at < hi ? ix_lower(ix, w.at) : ix_lower(ix, old_hi);
	for (k = i; k < j; k++)
		bin_count(ix, ix_get(ix, k), -1);
	for (k = 0; k < ix->nw.n; k++)
		bin_count(ix, &ix->nw.v[k], 1);
	if (w.damaged)
		ix->sound = false;
	ix_splice(ix, i, j, ix->nw.v, ix->nw.n);
	return w.stop ? w.at : hi;
}

/* The mapped chunks again: they follow every segment's. */
static void
ix_remap(struct session *s, struct snap_index *ix, uint64_t segs_end)
{
	struct model		*m = session_model(s);
	struct ix_walk	w = { s, &ix->nw, false };
	size_t		i0 = ix_lower(ix, segs_end), k;

	ix->nw.n = 0;
	m->ops->walk_mmapped(m, ix_walk_chunk, &w);
	for (k = 1; k < ix->nw.n; k++)
		if (ix->nw.v[k].addr <= ix->nw.v[k - 1].addr)
			ix->valid = false;
	if (ix->nw.n > 0 && ix->nw.v[0].addr < segs_end)
		ix->valid = false;
	if (w.damaged)
		ix->sound = false;
	ix_splice(ix, i0, ix->n, ix->nw.v, ix->nw.n);
}

/*
 * Follow one allocator call: false if it cannot be followed piecemeal
 * (then the caller walks whole).
 */
static bool
ix_follow(struct session *s, struct snap_index *ix)
{
	struct model_segment	 seg[64];
	uint64_t		*pt, segs_end = 0, now[IX_SPECIALS];
	size_t			 nseg, npt = 0, i, k;
	bool			 remap = false;
	unsigned		 flags;
	struct model		*m = session_model(s);
	size_t			 ndec;
	const struct decision	*dec = history_decisions(s, &ndec);

	nseg = m->ops->segments(m, seg, 64);
	if (nseg != ix->nsegs || nseg > 64)
		return false;
	for (k = 0; k < nseg; k++)
		if (seg[k].base != ix->segs[k].base)
			return false;
	pt = xcalloc(2 * ndec + 2 * IX_SPECIALS, sizeof *pt);
	for (i = 0; i < ndec; i++) {
		const struct decision	*d = &dec[i];

		flags = m->ops->decision_flags(d->kind);
		if (flags & MODEL_DEC_RELAYOUT) {
			free(pt);
			return false;
		}
		if (flags & MODEL_DEC_MAPPING)
			remap = true;
		if (d->chunk != 0)
			pt[npt++] = d->chunk;
		if (d->other != 0)
			pt[npt++] = d->other;
	}
	/* Top and the like, where they were and where they are. */
	specials_of(s, now);
	for (k = 0; k < IX_SPECIALS; k++) {
		pt[npt++] = ix->special[k];
		pt[npt++] = now[k];
	}
	qsort(pt, npt, sizeof *pt, u64_cmp);

	for (k = 0; k < nseg; k++) {
		uint64_t	lo = session_disp(s, seg[k].base);
		uint64_t	hi = lo + seg[k].size;
		uint64_t	old_hi = lo + ix->segs[k].size;
		uint64_t	covered = 0;

		if (old_hi < hi)
			old_hi = hi;
		if (old_hi > segs_end)
			segs_end = old_hi;
		for (i = 0; i < npt; i++) {
			if (pt[i] == 0 || pt[i] < lo || pt[i] >= hi ||
			    pt[i] < covered)
				continue;
			covered = ix_rewalk(s, ix, pt[i], lo, hi, old_hi);
		}
		/* The segment shrank (trimmed): drop what lay past it. */
		if (old_hi > hi) {
			size_t	j0 = ix_lower(ix, hi), j1 = ix_lower(ix, old_hi);

			for (i = j0; i < j1; i++)
				bin_count(ix, ix_get(ix, i), -1);
			ix_splice(ix, j0, j1, NULL, 0);
		}
	}
	free(pt);
	if (remap)
		ix_remap(s, ix, segs_end);
	if (!ix->valid)
		return false;
	ix_note(s, ix);
	return true;
}

static void
ix_update(struct session *s, struct snap_index *ix, enum snap_hint hint)
{
	struct model	*m = session_model(s);
	uint32_t	 step = history_step(s);
	bool		 same = ix->valid && ix->sound && ix->m == m &&
			    ix->ms == session_memsrc(s) &&
			    (session_engine(s)->caps & ENGINE_LOCAL) &&
			    m->ops->param(m, MODEL_CHECKS) ==
			    MODEL_CHECKS_STRICT;

	if (same && hint != SNAP_ANY && step == ix->step)
		return;			/* nothing happened */
	if (same && hint == SNAP_ALLOC && step == ix->step + 1 &&
	    ix_follow(s, ix))
		return;
	ix_rebuild(s, ix);
}

/* The changed set: what snapshot_changes marks, as chunk addresses. */
static void
ix_changes(struct session *s, struct snap_index *ix)
{
	size_t			 i, k, j, n = 0, ndec;
	const struct decision	*dec = history_decisions(s, &ndec);

	if (ix->capchg < 2 * ndec) {
		ix->capchg = 2 * ndec;
		ix->chg = xreallocarray(ix->chg, ix->capchg, sizeof *ix->chg);
	}
	for (i = 0; i < ndec; i++) {
		uint64_t	a[2] = { dec[i].chunk, dec[i].other };

		for (k = 0; k < 2; k++)
			if (a[k] != 0 && (j = ix_find(ix, a[k])) != SIZE_MAX)
				ix->chg[n++] = ix_get(ix, j)->addr;
	}
	if (n > 1)
		qsort(ix->chg, n, sizeof *ix->chg, u64_cmp);
	for (i = k = 0; i < n; i++)
		if (k == 0 || ix->chg[i] != ix->chg[k - 1])
			ix->chg[k++] = ix->chg[i];
	ix->nchg = k;
}

static bool
ix_changed(const struct snap_index *ix, uint64_t addr)
{
	size_t	lo = 0, hi = ix->nchg;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;

		if (ix->chg[mid] < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->nchg && ix->chg[lo] == addr;
}

/*
 * A view backed by a full snapshot (of a `trace` recording): the index is
 * loaded from its chunks, the rows are read from it.  Costs what
 * snapshot_take costs; the next view of the allocator walks whole.
 */
static struct snapshot *
view_of_full(struct session *s, struct snap_index *ix)
{
	struct snapshot	*full = snapshot_take(s), *snap;
	size_t		 i, n = 0;

	snapshot_free(ix->full);
	ix->full = full;
	for (i = 1; i < full->nchunks; i++)
		if (full->chunks[i].addr < full->chunks[i - 1].addr) {
			qsort(full->chunks, full->nchunks,
			    sizeof *full->chunks, snapshot_chunk_cmp);
			break;
		}
	ix->tmp.n = 0;
	for (i = 0; i < full->nchunks; i++) {
		const struct snap_chunk	*c = &full->chunks[i];
		struct ix_entry		 e = { c->addr, c->size,
					    (uint8_t)c->state,
					    (uint8_t)c->bin_class,
					    (uint8_t)c->bin };

		vec_add(&ix->tmp, &e);
	}
	ix_load(ix, ix->tmp.v, ix->tmp.n);
	ix->valid = ix->sound = false;
	ix->m = NULL;
	ix->rebuilds++;
	if (ix->capchg < full->nchunks) {
		ix->capchg = full->nchunks;
		ix->chg = xreallocarray(ix->chg, ix->capchg, sizeof *ix->chg);
	}
	for (i = 0; i < full->nchunks; i++)
		if (full->chunks[i].changed)
			ix->chg[n++] = full->chunks[i].addr;
	ix->nchg = n;

	/* The view takes all but the chunks, names, bins' lists and
	 * violations, which stay with the full snapshot. */
	snap = xcalloc(1, sizeof *snap);
	*snap = *full;
	snap->chunks = NULL;
	snap->nchunks = 0;
	snap->names = NULL;
	snap->nnames = 0;
	snap->violations = NULL;
	snap->nviolations = 0;
	full->maps = NULL;
	full->map_names = NULL;
	full->foreign = NULL;
	snap->bins = xcalloc(full->nbins ? full->nbins : 1,
	    sizeof *snap->bins);
	for (i = 0; i < full->nbins; i++) {
		snap->bins[i] = full->bins[i];
		snap->bins[i].chunks = NULL;
	}
	snap->ix = ix;
	snap->sess = s;
	return snap;
}

struct snapshot *
snapshot_view(struct session *s, struct snap_index *ix, enum snap_hint hint)
{
	struct snapshot	*snap;
	const struct model_ops *ops;
	size_t		 slot;
	int		 cls, i;

	if (session_engine(s)->recording != NULL)
		return view_of_full(s, ix);
	snapshot_free(ix->full);
	ix->full = NULL;
	snap = xcalloc(1, sizeof *snap);
	snapshot_common(s, snap);
	ix_update(s, ix, hint);
	ix_changes(s, ix);
	snap->ix = ix;
	snap->sess = s;
	ops = ix->ops;
	snap->bins = xcalloc(ix->nslots ? ix->nslots : 1, sizeof *snap->bins);
	for (cls = 1, slot = 0; cls < ops->nclasses; cls++) {
		if (ops->classes[cls].shape != MODEL_BINS_LIST)
			continue;
		for (i = 0; i < ops->classes[cls].nbins; i++, slot++) {
			struct snap_bin	*b;

			if (ix->binn[slot] == 0)
				continue;
			b = &snap->bins[snap->nbins++];
			b->cls = cls;
			b->index = i;
			b->n = ix->binn[slot];
			ops->bin_range(cls, i, &b->lo, &b->hi);
		}
	}
	return snap;
}

size_t
snapshot_view_count(const struct snapshot *snap)
{
	return snap->ix->n;
}

void
snapshot_view_entry(const struct snapshot *snap, size_t i, uint64_t *addr,
    uint64_t *size, enum model_chunk_state *state)
{
	const struct ix_entry	*e = ix_get(snap->ix, i);

	if (addr != NULL)
		*addr = e->addr;
	if (size != NULL)
		*size = e->size;
	if (state != NULL)
		*state = (enum model_chunk_state)e->state;
}

size_t
snapshot_view_lower(const struct snapshot *snap, uint64_t addr)
{
	return ix_lower(snap->ix, addr);
}

size_t
snapshot_view_find(const struct snapshot *snap, uint64_t addr)
{
	return ix_find(snap->ix, addr);
}

/* Name and changed mark of a chunk, as snapshot_take gives them. */
static void
chunk_marks(struct session *s, const struct snapshot *snap,
    struct snap_chunk *c)
{
	struct binding	*b;

	/* The newest live binding, else the newest dangling one. */
	if ((b = session_lookup_mem(s, c->mem, true)) == NULL)
		b = session_lookup_mem(s, c->mem, false);
	if (b != NULL) {
		c->name = b->name;
		c->dangling = !b->live;
	}
	c->changed = ix_changed(snap->ix, c->addr);
}

struct view_walk {
	struct session		*s;
	struct snap_chunk	*out;
	size_t			 n;
};

static void
view_chunk(void *ctx, const struct model_chunk *c)
{
	struct view_walk	*w = ctx;

	snapshot_chunk_from(w->s, c, &w->out[w->n++]);
}

size_t
snapshot_view_chunks(const struct snapshot *snap, size_t first, size_t n,
    struct snap_chunk *out)
{
	struct snap_index	*ix = snap->ix;
	struct view_walk	 w = { snap->sess, out, 0 };
	size_t			 k;
	void			*h;
	struct model		*m = session_model(snap->sess);

	if (first >= ix->n)
		return 0;
	if (n > ix->n - first)
		n = ix->n - first;
	if (ix->full != NULL) {
		memcpy(out, &ix->full->chunks[first], n * sizeof *out);
		return n;
	}
	/* Chunk by chunk from the first, or from each where the index
	 * says the walk jumps (chunks sorted out of walk order). */
	while (w.n < n) {
		const struct ix_entry	*e = ix_get(ix, first + w.n);
		size_t			 before = w.n;

		h = session_host(snap->sess, e->addr, 16);
		if (h == NULL || m->ops->walk_from(m, h, n - w.n, view_chunk,
		    &w) == 0) {
			ix->valid = false;
			break;
		}
		for (k = before; k < w.n; k++) {
			e = ix_get(ix, first + k);
			if (out[k].addr != e->addr || out[k].size != e->size ||
			    out[k].state != e->state) {
				/* Not what the index has: walk whole next
				 * time, show what the heap holds now. */
				ix->valid = false;
				w.n = k + 1;
				break;
			}
		}
		if (!ix->valid)
			break;
	}
	for (k = 0; k < w.n; k++)
		chunk_marks(snap->sess, snap, &out[k]);
	return w.n;
}

bool
snapshot_view_chunk_at(const struct snapshot *snap, uint64_t addr,
    struct snap_chunk *out)
{
	size_t	i = ix_find(snap->ix, addr);

	return i != SIZE_MAX && snapshot_view_chunks(snap, i, 1, out) == 1;
}

void
snapshot_view_kinds(const struct snapshot *snap, size_t i0, size_t i1,
    bool *has_free, bool *has_inuse)
{
	struct snap_index	*ix = snap->ix;
	size_t			 k, j;

	*has_free = *has_inuse = false;
	if (i1 > ix->n)
		i1 = ix->n;
	if (i0 >= i1)
		return;
	/* Whole blocks by their counts; stop once both are found. */
	k = ix_block_of(ix, i0);
	for (; k < ix->nb && ix->cum[k] < i1 && !(*has_free && *has_inuse);
	    k++) {
		const struct ix_block	*b = &ix->b[k];
		size_t			 lo = ix->cum[k], hi = lo + b->n;

		if (lo >= i0 && hi <= i1) {
			*has_free |= b->nfree > 0;
			*has_inuse |= b->ninuse > 0;
			continue;
		}
		if ((b->nfree == 0 || *has_free) &&
		    (b->ninuse == 0 || *has_inuse))
			continue;
		for (j = lo > i0 ? lo : i0; j < hi && j < i1 &&
		    !(*has_free && *has_inuse); j++) {
			*has_free |= b->e[j - lo].state == MODEL_CHUNK_FREE;
			*has_inuse |= b->e[j - lo].state == MODEL_CHUNK_INUSE;
		}
	}
}

size_t
snapshot_view_first_mmapped(const struct snapshot *snap)
{
	struct snap_index	*ix = snap->ix;
	size_t			 k, j;

	ix_cum(ix);
	for (k = 0; k < ix->nb; k++) {
		if (ix->b[k].nmmap == 0)
			continue;
		for (j = 0; j < ix->b[k].n; j++)
			if (ix->b[k].e[j].state == MODEL_CHUNK_MMAPPED)
				return ix->cum[k] + j;
	}
	return ix->n;
}

size_t
snapshot_view_first_changed(const struct snapshot *snap)
{
	struct snap_index	*ix = snap->ix;

	return ix->nchg > 0 ? ix_lower(ix, ix->chg[0]) : SIZE_MAX;
}

size_t
snapshot_view_bin_chunks(const struct snapshot *snap, size_t bi, size_t from,
    uint64_t *out, size_t max)
{
	const struct snap_bin	*b = &snap->bins[bi];
	void			**h;
	size_t			  n, k;

	if (max == 0)
		return 0;
	if (snap->ix->full != NULL) {
		const struct snap_bin	*fb = &snap->ix->full->bins[bi];

		for (n = 0; n < max && from + n < fb->n; n++)
			out[n] = fb->chunks[from + n];
		return n;
	}
	h = xcalloc(max, sizeof *h);
	n = session_model(snap->sess)->ops->bin_chunks_from(
	    session_model(snap->sess), b->cls,
	    b->index, from, snap->ix->sound ? b->n : 0, h, max);
	for (k = 0; k < n; k++)
		out[k] = session_disp(snap->sess, h[k]);
	free(h);
	return n;
}

/*
 * The first entry of bin bi whose chunk is in the changed set, looking at
 * most max entries in; SIZE_MAX if none.  Read in growing slices, so that
 * an early hit costs little.
 */
static size_t
bin_first_changed(const struct snapshot *snap, size_t bi, size_t max)
{
	struct snap_index	*ix = snap->ix;
	uint64_t		*v = NULL;
	size_t			 from = 0, want = 64, n, k, j;

	while (from < max) {
		if (want > max - from)
			want = max - from;
		v = xreallocarray(v, want, sizeof *v);
		n = snapshot_view_bin_chunks(snap, bi, from, v, want);
		for (k = 0; k < n; k++)
			if ((j = ix_find(ix, v[k])) != SIZE_MAX &&
			    ix_changed(ix, ix_get(ix, j)->addr)) {
				free(v);
				return from + k;
			}
		if (n < want)
			break;
		from += n;
		want *= 2;
	}
	free(v);
	return SIZE_MAX;
}

bool
snapshot_view_bins_changed(const struct snapshot *snap, size_t *bp,
    size_t *posp)
{
	struct snap_index	*ix = snap->ix;
	bool			*want;
	size_t			 i, bi, pos, slot;

	/*
	 * On a sound heap every free chunk but dv is in the bin its size
	 * says, once: only the bins of changed free chunks can hold a
	 * changed entry.  Otherwise any bin may, anywhere.
	 */
	if (ix->nchg == 0 || ix->ops == NULL)
		return false;
	want = xcalloc(ix->nslots ? ix->nslots : 1, sizeof *want);
	memset(want, !ix->sound, ix->nslots * sizeof *want);
	for (i = 0; ix->sound && i < ix->nchg; i++) {
		const struct ix_entry	*e = ix_get(ix, ix_lower(ix,
					    ix->chg[i]));

		if (e->state == MODEL_CHUNK_FREE &&
		    (slot = bin_slot(ix->ops, e->bin_class, e->bin)) !=
		    SIZE_MAX)
			want[slot] = true;
	}
	for (bi = 0; bi < snap->nbins; bi++) {
		const struct snap_bin	*b = &snap->bins[bi];

		slot = bin_slot(ix->ops, b->cls, b->index);
		if (slot == SIZE_MAX || !want[slot])
			continue;
		if ((pos = bin_first_changed(snap, bi, b->n)) != SIZE_MAX) {
			*bp = bi;
			*posp = pos;
			free(want);
			return true;
		}
	}
	free(want);
	return false;
}
