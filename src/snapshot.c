/*
 * snapshot.c -- one read-only walk of a session for the views: every chunk,
 * bin, name and mapping, and the checker's findings (state --json, the text
 * views, explain and diff).  The full screen reads the windowed view in
 * snapshot-view.c instead.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "session.h"
#include "snapshot.h"
#include "snapshot-internal.h"
#include "xmalloc.h"

struct walk {
	struct session		*s;
	struct snapshot		*snap;
	size_t			 cap;
};

void
snapshot_chunk_from(struct session *s, const struct alloc_chunk *c,
    struct snap_chunk *sc)
{
	memset(sc, 0, sizeof *sc);
	sc->addr = session_disp(s, c->addr);
	sc->mem = sc->addr + 16;
	sc->size = c->size;
	sc->prev_foot = c->prev_foot;
	sc->head = c->head;
	sc->state = c->state;
	sc->bin_kind = c->bin_kind;
	sc->bin = c->bin;
	if (c->state == ALLOC_CHUNK_FREE) {
		/*
		 * A link is a display address: a chunk, or a bin's head in
		 * the allocator's state (the data segment); 0 if it points
		 * outside memory the simulation owns (a damaged link).
		 */
		sc->fd = session_disp(s, c->fd);
		sc->bk = session_disp(s, c->bk);
	}
}

static void
walk_chunk(void *ctx, const struct alloc_chunk *c)
{
	struct walk		*w = ctx;
	struct snapshot		*snap = w->snap;

	if (snap->nchunks == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		snap->chunks = xreallocarray(snap->chunks, w->cap,
		    sizeof *snap->chunks);
	}
	snapshot_chunk_from(w->s, c, &snap->chunks[snap->nchunks++]);
}

int
snapshot_chunk_cmp(const void *a, const void *b)
{
	const struct snap_chunk	*x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

const struct snap_chunk *
snapshot_find(const struct snapshot *snap, uint64_t addr)
{
	size_t	lo = 0, hi = snap->nchunks;

	while (lo < hi) {
		size_t			 mid = lo + (hi - lo) / 2;
		const struct snap_chunk	*c = &snap->chunks[mid];

		if (addr < c->addr)
			hi = mid;
		else if (addr >= c->addr + c->size)
			lo = mid + 1;
		else
			return c;
	}
	return NULL;
}

/* Name each chunk: the newest live binding, else the newest dangling one. */
static void
snapshot_names(struct session *s, struct snapshot *snap)
{
	size_t	i;

	snap->nnames = s->names.n;
	snap->names = xcalloc(s->names.n ? s->names.n : 1, sizeof *snap->names);
	for (i = 0; i < s->names.n; i++) {
		const struct binding	*b = &s->names.v[i];
		struct snap_chunk	*c;

		snap->names[i].name = b->name;
		snap->names[i].mem = b->mem;
		snap->names[i].request = b->request;
		snap->names[i].live = b->live;
		if (b->mem < 16)
			continue;
		c = (struct snap_chunk *)snapshot_find(snap, b->mem - 16);
		if (c == NULL || c->mem != b->mem)
			continue;
		if (b->live || c->name == NULL || c->dangling) {
			c->name = b->name;
			c->dangling = !b->live;
		}
	}
}

static void
snapshot_changes(struct session *s, struct snapshot *snap)
{
	size_t	i;

	for (i = 0; i < s->ndec; i++) {
		const struct decision	*d = &s->dec[i];
		uint64_t		 a[2] = { d->chunk, d->other };
		int			 j;

		for (j = 0; j < 2; j++) {
			struct snap_chunk	*c;

			if (a[j] == 0)
				continue;
			c = (struct snap_chunk *)snapshot_find(snap, a[j]);
			if (c != NULL)
				c->changed = true;
		}
	}
}

/* The sizes tree bin i holds: [lo, hi]. */
void
snapshot_tree_range(int i, size_t *lo, size_t *hi)
{
	*lo = (size_t)1 << ((i >> 1) + 8);
	*lo |= (size_t)(i & 1) << ((i >> 1) + 7);
	if (i == ALLOC_NTREEBINS - 1)
		*hi = SIZE_MAX;
	else {
		size_t	next, unused;

		snapshot_tree_range(i + 1, &next, &unused);
		*hi = next - 1;
	}
}

static void
snapshot_bins(struct session *s, struct snapshot *snap)
{
	void	**tmp = NULL;
	size_t	  cap = 0;
	int	  kind, i;

	snap->bins = xcalloc(ALLOC_NSMALLBINS + ALLOC_NTREEBINS,
	    sizeof *snap->bins);
	for (kind = 0; kind < 2; kind++) {
		enum alloc_bin_kind	 k = kind ? ALLOC_BIN_TREE :
					     ALLOC_BIN_SMALL;

		for (i = 0; i < 32; i++) {
			struct snap_bin	*b;
			size_t		 n, j;

			/* One walk of the bin, or two when it outgrew tmp. */
			n = alloc_bin_chunks(s->a, k, i, tmp, cap);
			if (n == 0)
				continue;
			if (n > cap) {
				cap = n * 2;
				tmp = xreallocarray(tmp, cap, sizeof *tmp);
				n = alloc_bin_chunks(s->a, k, i, tmp, cap);
				if (n > cap)
					n = cap;
			}
			b = &snap->bins[snap->nbins++];
			b->kind = k;
			b->index = i;
			b->n = n;
			b->chunks = xcalloc(n, sizeof *b->chunks);
			for (j = 0; j < n; j++)
				b->chunks[j] = session_disp(s, tmp[j]);
			if (k == ALLOC_BIN_SMALL)
				b->lo = b->hi = (size_t)i << 3;
			else
				snapshot_tree_range(i, &b->lo, &b->hi);
		}
	}
	free(tmp);
}

/* What both kinds of snapshot hold: all but chunks, names, bins, stats
 * and violations.  Costs the mappings and the foreign ranges, no walk. */
void
snapshot_common(struct session *s, struct snapshot *snap)
{
	size_t		 i, nmaps;
	void		*p;
	size_t		 sz;

	snap->mode = session_engine(s)->name;	/* "sim" or "real" */
	snap->process = (session_engine(s)->caps & ENGINE_PROCESS) != 0;
	snap->heap_start = s->ms->initial_break;
	snap->initial_brk = s->ms->initial_break;
	snap->brk = memsrc_break(s->ms);

	snap->smallmap = alloc_smallmap(s->a);
	snap->treemap = alloc_treemap(s->a);
	if ((p = alloc_dv(s->a, &sz)) != NULL && sz > 0) {
		snap->has_dv = true;
		snap->dv = session_disp(s, p);
		snap->dvsize = sz;
	}
	if ((p = alloc_top(s->a, &sz)) != NULL) {
		snap->has_top = true;
		snap->top = session_disp(s, p);
		snap->topsize = sz;
	}

	nmaps = memsrc_mappings(s->ms, NULL, 0);
	snap->maps = xcalloc(nmaps ? nmaps : 1, sizeof *snap->maps);
	snap->nmaps = memsrc_mappings(s->ms, snap->maps, nmaps);
	if (snap->nmaps > nmaps)
		snap->nmaps = nmaps;
	/* A real process names what it maps (libc, ld.so, the vdso): the
	 * views show the names, as they do a trace's. */
	for (i = 0; i < snap->nmaps; i++) {
		if (snap->maps[i].name[0] == '\0')
			continue;
		if (snap->map_names == NULL)
			snap->map_names = xcalloc(snap->nmaps,
			    sizeof *snap->map_names);
		snap->map_names[i] = snap->maps[i].name;
	}

	snap->nforeign = s->nforeign;
	snap->foreign = xcalloc(s->nforeign ? s->nforeign : 1,
	    sizeof *snap->foreign);
	for (i = 0; i < s->nforeign; i++) {
		snap->foreign[i].start = s->foreign[i].start;
		snap->foreign[i].end = s->foreign[i].end;
		snap->foreign[i].who = s->foreign[i].who;
	}

	/* The log since the last reset; numbered from 1 by the views. */
	/* An empty log has no array yet: NULL + 0 is undefined in C. */
	snap->log = s->log->v != NULL ? s->log->v + s->log_base : NULL;
	snap->nlog = s->log->n - s->log_base;
	snap->log_new = s->log_mark > s->log_base ? s->log_mark - s->log_base :
	    0;
	snap->dec = s->dec;
	snap->ndec = s->ndec;

	snap->mmap_threshold = alloc_mmap_threshold(s->a);
	snap->trim_threshold = alloc_trim_threshold(s->a);
	snap->checks = alloc_checks(s->a);
	snap->step = s->step;
	snap->last = s->last;
}

struct snapshot *
snapshot_take(struct session *s)
{
	struct snapshot	*snap;
	struct walk	 w = { .s = s, .snap = NULL, .cap = 0 };
	size_t		 i, nv;

	/* `trace`: the recorded program's heap, not the allocator's. */
	if (session_engine(s)->snapshot != NULL)
		return session_engine(s)->snapshot(s);
	snap = xcalloc(1, sizeof *snap);
	w.snap = snap;
	snapshot_common(s, snap);
	alloc_walk(s->a, walk_chunk, &w);
	/* The walk is in address order but for segments made out of order
	 * (a break moved down and up again): sort only then. */
	for (i = 1; i < snap->nchunks; i++) {
		if (snap->chunks[i].addr < snap->chunks[i - 1].addr) {
			qsort(snap->chunks, snap->nchunks,
			    sizeof *snap->chunks, snapshot_chunk_cmp);
			break;
		}
	}
	snapshot_names(s, snap);
	snapshot_changes(s, snap);
	snapshot_bins(s, snap);
	alloc_stats(s->a, &snap->stats);

	{
		char	one[1][160];

		nv = alloc_check(s->a, one, 1);
	}
	if (nv > 0) {
		snap->violations = xcalloc(nv, sizeof *snap->violations);
		snap->nviolations = alloc_check(s->a, snap->violations, nv);
		if (snap->nviolations > nv)
			snap->nviolations = nv;
	}
	return snap;
}

void
snapshot_free(struct snapshot *snap)
{
	size_t	i;

	if (snap == NULL)
		return;
	for (i = 0; i < snap->nbins; i++)
		free(snap->bins[i].chunks);
	free(snap->bins);
	free(snap->chunks);
	free(snap->names);
	free(snap->maps);
	free(snap->map_names);
	free(snap->foreign);
	free(snap->violations);
	free(snap);
}
