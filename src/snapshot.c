/*
 * snapshot.c -- one read-only walk of a session for the views: every chunk,
 * bin, name and mapping, and the checker's findings (state --json, the text
 * views, explain and diff).  The full screen reads the windowed view in
 * snapshot-view.c instead.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "history.h"
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
snapshot_chunk_from(struct session *s, const struct model_chunk *c,
    struct snap_chunk *sc)
{
	snapshot_chunk_at(session_memsrc(s), c, sc);
}

static uint64_t
disp(struct memsrc *ms, const void *p)
{
	return p == NULL ? 0 : memsrc_to_display(ms, p);
}

void
snapshot_chunk_at(struct memsrc *ms, const struct model_chunk *c,
    struct snap_chunk *sc)
{
	memset(sc, 0, sizeof *sc);
	sc->addr = disp(ms, c->addr);
	sc->mem = disp(ms, c->mem);
	sc->size = c->size;
	sc->prev_foot = c->prev_foot;
	sc->head = c->head;
	sc->state = c->state;
	sc->bin_class = c->bin_class;
	sc->bin = c->bin;
	if (c->state == MODEL_CHUNK_FREE) {
		/*
		 * A link is a display address: a chunk, or a bin's head in
		 * the allocator's state (the data segment); 0 if it points
		 * outside memory the simulation owns (a damaged link).
		 */
		sc->fd = disp(ms, c->fd);
		sc->bk = disp(ms, c->bk);
		sc->fd_stored = c->fd_stored;
		sc->fd_mangled = c->fd_mangled;
		sc->fd_decoded = c->fd_mangled && c->fd_decoded != NULL ?
		    disp(ms, c->fd_decoded) : 0;
	}
}

static void
walk_chunk(void *ctx, const struct model_chunk *c)
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

const struct model_bin_class *
snapshot_special_at(const struct snapshot *snap, uint64_t addr)
{
	size_t	k;

	for (k = 0; snap->model != NULL && k < snap->nspecials; k++)
		if (snap->specials[k].has && snap->specials[k].addr == addr &&
		    snap->specials[k].cls > 0 &&
		    snap->specials[k].cls < snap->model->nclasses)
			return &snap->model->classes[snap->specials[k].cls];
	return NULL;
}

/* Name each chunk: the newest live binding, else the newest dangling one. */
static void
snapshot_names(struct session *s, struct snapshot *snap)
{
	const struct names	*nm = session_names(s);
	size_t			 i;

	snap->nnames = nm->n;
	snap->names = xcalloc(nm->n ? nm->n : 1, sizeof *snap->names);
	for (i = 0; i < nm->n; i++) {
		const struct binding	*b = &nm->v[i];
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
	size_t			 i, ndec;
	const struct decision	*dec = history_decisions(s, &ndec);

	for (i = 0; i < ndec; i++) {
		const struct decision	*d = &dec[i];
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

/* Every non-empty bin of every LIST class the model declares. */
static void
snapshot_bins(struct session *s, struct snapshot *snap)
{
	snapshot_model_bins(session_model(s), session_memsrc(s), snap);
}

void
snapshot_model_bins(struct model *m, struct memsrc *ms,
    struct snapshot *snap)
{
	const struct model_ops	*ops = m->ops;
	void			**tmp = NULL;
	size_t			  cap = 0, all = 0;
	int			  cls, i;

	for (cls = 1; cls < ops->nclasses; cls++)
		if (ops->classes[cls].shape == MODEL_BINS_LIST)
			all += (size_t)ops->classes[cls].nbins;
	snap->bins = xcalloc(all ? all : 1, sizeof *snap->bins);
	for (cls = 1; cls < ops->nclasses; cls++) {
		if (ops->classes[cls].shape != MODEL_BINS_LIST)
			continue;
		for (i = 0; i < ops->classes[cls].nbins; i++) {
			struct snap_bin	*b;
			size_t		 n, j;

			/* One walk of the bin, or two when it outgrew tmp. */
			n = ops->bin_chunks(m, cls, i, tmp, cap);
			if (n == 0)
				continue;
			if (n > cap) {
				cap = n * 2;
				tmp = xreallocarray(tmp, cap, sizeof *tmp);
				n = ops->bin_chunks(m, cls, i, tmp, cap);
				if (n > cap)
					n = cap;
			}
			b = &snap->bins[snap->nbins++];
			b->cls = cls;
			b->index = i;
			b->n = n;
			b->chunks = xcalloc(n, sizeof *b->chunks);
			for (j = 0; j < n; j++)
				b->chunks[j] = disp(ms, tmp[j]);
			ops->bin_range(cls, i, &b->lo, &b->hi);
		}
	}
	free(tmp);
}

/* Where the allocator keeps its own state, in display addresses. */
static void
snapshot_objects(struct session *s, struct snapshot *snap)
{
	struct model		*m = session_model(s);
	struct model_object	obj[SNAP_MAX_OBJECTS];
	size_t			n, i;

	snap->nobjects = 0;
	if (m->ops->objects == NULL)
		return;
	n = m->ops->objects(m, obj, SNAP_MAX_OBJECTS);
	for (i = 0; i < n && i < SNAP_MAX_OBJECTS; i++) {
		struct snap_object	*o = &snap->objects[snap->nobjects];

		o->start = session_disp(s, obj[i].addr);
		if (o->start == 0)
			continue;	/* not in memory the source shows */
		o->end = o->start + obj[i].size;
		o->name = obj[i].name;
		o->words = obj[i].words;
		snap->nobjects++;
	}
}

/* The bitmaps, the ONE classes' chunks, top, the settings and where the
 * allocator's state lives: no walk. */
void
snapshot_specials(struct session *s, struct snapshot *snap)
{
	if (session_model(s) == NULL)
		return;		/* no allocator to ask */
	snapshot_model_specials(session_model(s), session_memsrc(s), snap);
	snapshot_objects(s, snap);
}

void
snapshot_model_specials(struct model *m, struct memsrc *ms,
    struct snapshot *snap)
{
	const struct model_ops	*ops = m->ops;
	void			*p;
	size_t			 sz;
	int			 cls;

	snap->model = ops;
	snap->nbitmaps = ops->bitmaps(m, snap->bitmaps, SNAP_MAX_BITMAPS);
	if (snap->nbitmaps > SNAP_MAX_BITMAPS)
		snap->nbitmaps = SNAP_MAX_BITMAPS;
	snap->nspecials = 0;
	snap->nfacts = ops->facts != NULL ? ops->facts(m, snap->facts,
	    SNAP_MAX_FACTS) : 0;
	if (snap->nfacts > SNAP_MAX_FACTS)
		snap->nfacts = SNAP_MAX_FACTS;
	for (cls = 1; cls < ops->nclasses; cls++) {
		enum model_bin_shape	 shape = ops->classes[cls].shape;

		if (shape == MODEL_BINS_TOP) {
			if ((p = ops->special(m, cls, &sz)) != NULL) {
				snap->has_top = true;
				snap->top = disp(ms, p);
				snap->topsize = sz;
			}
		} else if (shape == MODEL_BINS_ONE &&
		    snap->nspecials < SNAP_MAX_SPECIALS) {
			struct snap_special	*sp;

			sp = &snap->specials[snap->nspecials++];
			sp->cls = cls;
			if ((p = ops->special(m, cls, &sz)) != NULL) {
				sp->has = true;
				sp->addr = disp(ms, p);
				sp->size = sz;
			}
		}
	}
}

void
snapshot_specials_empty(struct session *s, struct snapshot *snap)
{
	size_t	i;

	snapshot_specials(s, snap);
	for (i = 0; i < snap->nbitmaps; i++)
		snap->bitmaps[i].bits = 0;
	for (i = 0; i < snap->nspecials; i++)
		snap->specials[i].has = false;
	snap->nfacts = 0;
	snap->nobjects = 0;
	snap->has_top = false;
	snap->top = snap->topsize = 0;
}

/* What both kinds of snapshot hold: all but chunks, names, bins, stats
 * and violations.  Costs the mappings and the foreign ranges, no walk. */
void
snapshot_common(struct session *s, struct snapshot *snap)
{
	struct memsrc		*ms = session_memsrc(s);
	struct model		*m = session_model(s);
	const struct evlog	*log = session_log(s);
	const struct foreign	*fo;
	size_t			 i, nmaps, nfo;
	size_t			 base = history_log_base(s);
	size_t			 mark = history_log_mark(s);

	snap->mode = session_engine(s)->name;	/* "sim" or "real" */
	if (session_engine(s)->verify != NULL)
		snap->verify = session_engine(s)->verify(s);
	snap->process = (session_engine(s)->caps & ENGINE_PROCESS) != 0;
	snap->heap_start = ms->initial_break;
	snap->initial_brk = ms->initial_break;
	snap->brk = memsrc_break(ms);

	snapshot_specials(s, snap);

	nmaps = memsrc_mappings(ms, NULL, 0);
	snap->maps = xcalloc(nmaps ? nmaps : 1, sizeof *snap->maps);
	snap->nmaps = memsrc_mappings(ms, snap->maps, nmaps);
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

	fo = session_foreign(s, &nfo);
	snap->nforeign = nfo;
	snap->foreign = xcalloc(nfo ? nfo : 1, sizeof *snap->foreign);
	for (i = 0; i < nfo; i++) {
		snap->foreign[i].start = fo[i].start;
		snap->foreign[i].end = fo[i].end;
		snap->foreign[i].who = fo[i].who;
	}

	/* The log since the last reset; numbered from 1 by the views. */
	/* An empty log has no array yet: NULL + 0 is undefined in C. */
	snap->log = log->v != NULL ? log->v + base : NULL;
	snap->nlog = log->n - base;
	snap->log_new = mark > base ? mark - base : 0;
	snap->dec = history_decisions(s, &snap->ndec);

	snap->mmap_threshold = m->ops->param(m, MODEL_MMAP_THRESHOLD);
	snap->trim_threshold = m->ops->param(m, MODEL_TRIM_THRESHOLD);
	snap->checks = (enum model_checks)m->ops->param(m, MODEL_CHECKS);
	snap->checks_own = m->ops->checks_own;
	if (m->ops->params & MODEL_PARAM(MODEL_MXFAST))
		snap->max_fast = m->ops->param(m, MODEL_MXFAST);
	snap->step = history_step(s);
	snap->last = history_last_line(s);
}

struct snapshot *
snapshot_of_session(struct session *s)
{
	struct snapshot	*snap;
	struct walk	 w = { .s = s, .snap = NULL, .cap = 0 };
	struct model	*m = session_model(s);
	size_t		 i, nv;

	snap = xcalloc(1, sizeof *snap);
	w.snap = snap;
	snapshot_common(s, snap);
	m->ops->walk(m, walk_chunk, &w);
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
	m->ops->stats(m, &snap->stats);

	{
		char	one[1][160];

		nv = m->ops->check(m, one, 1);
	}
	if (nv > 0) {
		snap->violations = xcalloc(nv, sizeof *snap->violations);
		snap->nviolations = m->ops->check(m, snap->violations,
		    nv);
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
