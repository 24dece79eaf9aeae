/*
 * model-glibc.c -- glibc 2.36's ptmalloc2, the second allocator model: the
 * model in glibc*.c behind struct model_ops, with its bins and its words.
 *
 * glibc's places for a free chunk, in the order malloc looks: the tcache
 * (64 one-size bins of at most 7, LIFO, safe-linked), the fastbins (sizes
 * up to 0x80, LIFO, never merged until malloc_consolidate), the unsorted
 * bin (taken oldest first), the small bins (one size each) and the large
 * bins (size ranges, best fit).  Beside them: last_remainder (the rest of
 * the last split for a small request), the tcache_perthread_struct (an
 * in-use chunk that libc owns) and top.  Bins are numbered as glibc
 * numbers them: small[2..63], large[64..126].
 *
 * Tcache and fastbin chunks keep the next chunk's in-use bit set; their
 * state comes from the model's walk, never from the header bits.
 */
#include <errno.h>
#include <stdio.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glibc.h"
#include "model.h"
#include "out.h"
#include "xmalloc.h"

/*
 * The model does on a damaged heap what glibc does on x86-64: follows a
 * link that may be misaligned and adds a size that may wrap, each read
 * checked against mapped memory first.  UBSan's alignment and
 * pointer-overflow checks name exactly that emulation, so clang (the fuzz
 * build) leaves them out here; every other check stays on.
 */
#if defined(__clang__)
#pragma clang attribute push(__attribute__((no_sanitize("alignment", \
    "pointer-overflow"))), apply_to = function)
#endif

enum {
	GM_NONE,
	GM_TCACHE,
	GM_FAST,
	GM_UNSORTED,
	GM_SMALL,
	GM_LARGE,
	GM_REMAINDER,
	GM_TCACHE_STRUCT,
	GM_TOP,
};

static const struct model_bin_class gm_classes[] = {
	[GM_NONE] = { "none", "no bin", "no bin", 1, MODEL_BINS_NONE },
	[GM_TCACHE] = { "tcache", "tcache bin", NULL, GLIBC_TCACHE_BINS,
	    MODEL_BINS_LIST, GLIBC_TCACHE_COUNT },
	[GM_FAST] = { "fastbin", "fastbin", NULL, 7, MODEL_BINS_LIST },
	[GM_UNSORTED] = { "unsorted", "unsorted bin", "the unsorted bin", 1,
	    MODEL_BINS_LIST, 0, "next to be processed" },
	[GM_SMALL] = { "small", "small bin", NULL, 64, MODEL_BINS_LIST },
	[GM_LARGE] = { "large", "large bin", NULL, GLIBC_NBINS - 1,
	    MODEL_BINS_LIST },
	[GM_REMAINDER] = { "last_remainder", "last remainder",
	    "the last remainder", 1, MODEL_BINS_ONE },
	[GM_TCACHE_STRUCT] = { "tcache_struct", "tcache_perthread_struct",
	    "the tcache_perthread_struct (libc's)", 1, MODEL_BINS_ONE },
	[GM_TOP] = { "top", "top", "top", 1, MODEL_BINS_TOP },
};

#define G(m)	((struct glibc *)(m)->impl)
#define CG(m)	((const struct glibc *)(m)->impl)

/* The class of a bin glibc numbers i (normal bins: 1 unsorted, 2..63
 * small, 64..126 large). */
static int
normal_class(int i)
{
	if (i == 1)
		return GM_UNSORTED;
	if (i >= 2 && i < 64)
		return GM_SMALL;
	if (i >= 64 && i < GLIBC_NBINS - 1)
		return GM_LARGE;
	return GM_NONE;
}

static void
event_class(const struct glibc_event *ev, int *cls, int *bin)
{
	*cls = GM_NONE;
	*bin = 0;
	if (ev->bin < 0)
		return;
	switch (ev->kind) {
	case GEV_TCACHE_GET:
	case GEV_TCACHE_PUT:
	case GEV_FAST_TO_TCACHE:
	case GEV_SMALL_TO_TCACHE:
	case GEV_EXACT_TO_TCACHE:
	case GEV_RETURN_CACHED:
		*cls = GM_TCACHE;
		break;
	case GEV_FASTBIN_GET:
	case GEV_FASTBIN_PUT:
		*cls = GM_FAST;
		break;
	default:
		*cls = normal_class(ev->bin);
		break;
	}
	if (*cls == GM_UNSORTED)
		*bin = 0;
	else if (*cls != GM_NONE)
		*bin = ev->bin;
}

static void
gm_on_event(void *ctx, const struct glibc_event *ev)
{
	struct model		*m = ctx;
	struct model_event	 e;

	if (m->hook == NULL)
		return;
	e.kind = ev->kind;
	e.chunk = ev->chunk;
	e.size = ev->size;
	e.other = ev->other;
	e.other_size = ev->other_size;
	event_class(ev, &e.bin_class, &e.bin);
	e.why = ev->why;
	m->hook(m->hook_ctx, &e);
}

static struct model *
gm_create(struct memsrc *src)
{
	struct model	*m = xcalloc(1, sizeof *m);

	m->ops = &model_glibc;
	m->impl = glibc_create(src, NULL);
	if (m->impl == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

static void
gm_destroy(struct model *m)
{
	if (m == NULL)
		return;
	glibc_destroy(G(m));
	free(m);
}

static void
gm_set_hook(struct model *m, model_hook hook, void *ctx)
{
	m->hook = hook;
	m->hook_ctx = ctx;
	glibc_set_hook(G(m), hook != NULL ? gm_on_event : NULL, m);
}

static void *
gm_malloc(struct model *m, size_t n)
{
	return glibc_malloc(G(m), n);
}

static void *
gm_calloc(struct model *m, size_t nmemb, size_t size)
{
	return glibc_calloc(G(m), nmemb, size);
}

static void *
gm_realloc(struct model *m, void *p, size_t n)
{
	return glibc_realloc(G(m), p, n);
}

/* reallocarray(3) in glibc 2.36: the product checked, then realloc. */
static void *
gm_reallocarray(struct model *m, void *p, size_t nmemb, size_t size)
{
	size_t	n;

	if (__builtin_mul_overflow(nmemb, size, &n)) {
		errno = ENOMEM;
		return NULL;
	}
	return glibc_realloc(G(m), p, n);
}

static void *
gm_memalign(struct model *m, size_t alignment, size_t size)
{
	return glibc_memalign(G(m), alignment, size);
}

static int
gm_free(struct model *m, void *p)
{
	return glibc_free(G(m), p);
}

static size_t
gm_usable_size(struct model *m, const void *p)
{
	return glibc_usable_size(G(m), p);
}

static const struct model_error *
gm_last_error(struct model *m)
{
	const struct glibc_error	*e = glibc_last_error(G(m));

	if (e == NULL || (e->glibc == NULL && e->what[0] == '\0'))
		return NULL;
	m->err.glibc = e->glibc;
	m->err.says = e->glibc;
	m->err.segv = e->segv;
	m->err.strict = e->strict;
	buf_snprintf(m->err.what, sizeof m->err.what, "%s", e->what);
	m->err.chunk = e->chunk;
	return &m->err;
}

static const char *
gm_warning(struct model *m)
{
	const char	*w = glibc_warning(G(m));

	return w != NULL && *w != '\0' ? w : NULL;
}

/*
 * mallopt's parameters.  A threshold of 0 is heapviz's "the default";
 * glibc refuses an mmap threshold over 32 MiB (EINVAL here).  `checks
 * glibc` (MODEL_CHECKS_OFF, the default) is glibc's own checks (what it
 * aborts on is refused, the rest goes through), `strict` adds heapviz's.
 * mxfast and mmap_max are M_MXFAST and M_MMAP_MAX.
 */
static size_t gm_param(const struct model *, enum model_param);

static int
gm_set_param(struct model *m, enum model_param key, size_t v)
{
	size_t	old = gm_param(m, key);
	int	ok = 1;

	switch (key) {
	case MODEL_MMAP_THRESHOLD:
		ok = glibc_set_mmap_threshold(G(m), v != 0 ? v :
		    GLIBC_DEFAULT_MMAP_THRESHOLD);
		break;
	case MODEL_TRIM_THRESHOLD:
		ok = glibc_set_trim_threshold(G(m), v != 0 ? v :
		    GLIBC_DEFAULT_TRIM_THRESHOLD);
		break;
	case MODEL_CHECKS:
		glibc_set_checks(G(m), v == MODEL_CHECKS_STRICT ?
		    GLIBC_CHECKS_STRICT : GLIBC_CHECKS_GLIBC);
		break;
	case MODEL_TCACHE_KEY:
		glibc_set_tcache_key(G(m), (uintptr_t)v);
		break;
	case MODEL_MXFAST:
		ok = glibc_set_mxfast(G(m), v);
		break;
	case MODEL_MMAP_MAX:
		ok = glibc_set_mmap_max(G(m), v);
		break;
	default:
		ok = 0;
		break;
	}
	if (ok < 0) {
		errno = ECANCELED;	/* glibc would abort: last_error */
		return -1;
	}
	if (!ok) {
		errno = EINVAL;
		return -1;
	}
	/* A threshold set by hand is a decision explain tells, with the
	 * values before and after. */
	if (m->hook != NULL && (key == MODEL_MMAP_THRESHOLD ||
	    key == MODEL_TRIM_THRESHOLD)) {
		struct model_event	e;

		memset(&e, 0, sizeof e);
		e.kind = GEV_PARAM_SET;
		e.size = gm_param(m, key);
		e.other_size = old;
		e.why = (int)key;
		m->hook(m->hook_ctx, &e);
	}
	return 0;
}

static size_t
gm_param(const struct model *m, enum model_param key)
{
	switch (key) {
	case MODEL_MMAP_THRESHOLD:
		return glibc_mmap_threshold(CG(m));
	case MODEL_TRIM_THRESHOLD:
		return glibc_trim_threshold(CG(m));
	case MODEL_CHECKS:
		return glibc_checks(CG(m)) == GLIBC_CHECKS_STRICT ?
		    MODEL_CHECKS_STRICT : MODEL_CHECKS_OFF;
	case MODEL_TCACHE_KEY:
		return glibc_tcache_key(CG(m));
	case MODEL_MXFAST:
		return glibc_mxfast(CG(m));
	case MODEL_MMAP_MAX:
		return glibc_mmap_max(CG(m));
	}
	return 0;
}

/* ---- Looking inside. ---- */

static void
to_model_chunk(const struct glibc_chunk *c, struct model_chunk *mc)
{
	memset(mc, 0, sizeof *mc);
	mc->addr = c->addr;
	mc->mem = c->mem;
	mc->size = c->size;
	mc->prev_foot = c->prev_size;
	mc->head = c->head;
	mc->fd = c->fd;
	mc->bk = c->bk;
	/* tcache and fastbin links are stored safe-linked: show where they
	 * lead (a tcache link points at the payload: its chunk). */
	if (c->state == GLIBC_CHUNK_FREE && (c->bin_kind == GLIBC_BIN_TCACHE ||
	    c->bin_kind == GLIBC_BIN_FAST)) {
		mc->fd_stored = (uint64_t)(uintptr_t)c->fd;
		mc->fd_mangled = true;
		mc->fd_decoded = c->next;
		if (c->bin_kind == GLIBC_BIN_FAST)
			mc->fd = c->next;
		else
			mc->fd = c->next != NULL ? (char *)((uintptr_t)c->next - 16) : NULL;
	}
	switch (c->state) {
	case GLIBC_CHUNK_INUSE:
	case GLIBC_CHUNK_TCACHE_STRUCT:
		mc->state = MODEL_CHUNK_INUSE;
		break;
	case GLIBC_CHUNK_FREE:
		mc->state = MODEL_CHUNK_FREE;
		switch (c->bin_kind) {
		case GLIBC_BIN_TCACHE:
			mc->bin_class = GM_TCACHE;
			mc->bin = c->bin;
			break;
		case GLIBC_BIN_FAST:
			mc->bin_class = GM_FAST;
			mc->bin = c->bin;
			break;
		case GLIBC_BIN_UNSORTED:
			mc->bin_class = GM_UNSORTED;
			break;
		case GLIBC_BIN_SMALL:
			mc->bin_class = GM_SMALL;
			mc->bin = c->bin;
			break;
		case GLIBC_BIN_LARGE:
			mc->bin_class = GM_LARGE;
			mc->bin = c->bin;
			break;
		default:
			break;
		}
		break;
	case GLIBC_CHUNK_TOP:
		mc->state = MODEL_CHUNK_TOP;
		mc->bin_class = GM_TOP;
		break;
	case GLIBC_CHUNK_MMAPPED:
		mc->state = MODEL_CHUNK_MMAPPED;
		break;
	case GLIBC_CHUNK_FENCE:
		mc->state = MODEL_CHUNK_FENCE;
		break;
	case GLIBC_CHUNK_DAMAGED:
		mc->state = MODEL_CHUNK_DAMAGED;
		break;
	}
}

/*
 * One walk serves all three forms: everything, from a chunk on (at most
 * max), or the mapped chunks only.  glibc keeps no list to start a walk in
 * the middle, so walk_from walks from the start and skips.
 */
struct gm_walk {
	model_walk_fn	 fn;
	void		*ctx;
	const char	*from;		/* NULL: from the start */
	bool		 started;
	bool		 mapped_only;
	size_t		 max, n;
};

static void
gm_walk_chunk(void *ctx, const struct glibc_chunk *c)
{
	struct gm_walk		*w = ctx;
	struct model_chunk	 mc;
	const char		*a = c->addr;

	if (w->mapped_only && c->state != GLIBC_CHUNK_MMAPPED)
		return;
	if (w->from != NULL && !w->started) {
		/* in integers: a damaged chunk's size may wrap */
		uintptr_t	f = (uintptr_t)w->from, lo = (uintptr_t)a;

		if (f < lo || f - lo >= (c->size ? c->size : 16))
			return;
		w->started = true;
	}
	if (w->n >= w->max)
		return;
	to_model_chunk(c, &mc);
	w->n++;
	w->fn(w->ctx, &mc);
}

static void
gm_walk(struct model *m, model_walk_fn fn, void *ctx)
{
	struct gm_walk	w = { fn, ctx, NULL, true, false, SIZE_MAX, 0 };

	glibc_walk(G(m), gm_walk_chunk, &w);
}

static size_t
gm_walk_from(struct model *m, const void *p, size_t max, model_walk_fn fn,
    void *ctx)
{
	struct gm_walk	w = { fn, ctx, p, false, false, max, 0 };

	if (max == 0)
		return 0;
	glibc_walk(G(m), gm_walk_chunk, &w);
	return w.n;
}

static size_t
gm_walk_mmapped(struct model *m, model_walk_fn fn, void *ctx)
{
	struct gm_walk	w = { fn, ctx, NULL, true, true, SIZE_MAX, 0 };

	glibc_walk(G(m), gm_walk_chunk, &w);
	return w.n;
}

static size_t
gm_segments(struct model *m, struct model_segment *out, size_t max)
{
	struct glibc_segment	seg[64];
	size_t			n, i;

	n = glibc_segments(G(m), seg, 64);
	for (i = 0; i < n && i < max && i < 64; i++) {
		out[i].base = seg[i].base;
		out[i].size = seg[i].size;
	}
	return n;
}

/* A model class and index as glibc's bin kind and index. */
static bool
glibc_bin_of(int cls, int i, enum glibc_bin_kind *kind, int *gi)
{
	*gi = i;
	switch (cls) {
	case GM_TCACHE:
		*kind = GLIBC_BIN_TCACHE;
		return i >= 0 && i < GLIBC_TCACHE_BINS;
	case GM_FAST:
		*kind = GLIBC_BIN_FAST;
		return i >= 0 && i < 7;
	case GM_UNSORTED:
		*kind = GLIBC_BIN_UNSORTED;
		*gi = 1;
		return i == 0;
	case GM_SMALL:
		*kind = GLIBC_BIN_SMALL;
		return i >= 2 && i < 64;
	case GM_LARGE:
		*kind = GLIBC_BIN_LARGE;
		return i >= 64 && i < GLIBC_NBINS - 1;
	default:
		return false;
	}
}

static size_t
gm_bin_chunks(struct model *m, int cls, int i, void **out, size_t max)
{
	enum glibc_bin_kind	kind;
	int			gi;

	if (!glibc_bin_of(cls, i, &kind, &gi))
		return 0;
	return glibc_bin_chunks(G(m), kind, gi, out, max);
}

static size_t
gm_bin_chunks_from(struct model *m, int cls, int i, size_t skip,
    size_t count, void **out, size_t max)
{
	void	**all;
	size_t	  n, got = 0;

	(void)count;
	n = gm_bin_chunks(m, cls, i, NULL, 0);
	if (n <= skip || max == 0)
		return 0;
	all = xcalloc(n, sizeof *all);
	n = gm_bin_chunks(m, cls, i, all, n);
	while (skip + got < n && got < max) {
		out[got] = all[skip + got];
		got++;
	}
	free(all);
	return got;
}

static void
gm_bin_range(int cls, int i, size_t *lo, size_t *hi)
{
	*lo = 0;
	*hi = SIZE_MAX;
	switch (cls) {
	case GM_TCACHE:
	case GM_FAST:
		*lo = *hi = GLIBC_MINSIZE + 16 * (size_t)i;
		break;
	case GM_UNSORTED:
		*lo = GLIBC_MINSIZE;
		break;
	case GM_SMALL:
	case GM_LARGE:
		glibc_bin_range(i, lo, hi);
		break;
	default:
		break;
	}
}

static size_t
chunk_size_at(const void *p)
{
	return ((const size_t *)p)[1] & ~(size_t)7;
}

static void *
gm_special(const struct model *m, int cls, size_t *size)
{
	void	*p = NULL;

	*size = 0;
	switch (cls) {
	case GM_TOP:
		p = glibc_top(CG(m), size);
		break;
	case GM_TCACHE_STRUCT:
		if ((p = glibc_tcache_struct(CG(m))) != NULL)
			*size = chunk_size_at(p);
		break;
	case GM_REMAINDER: {
		/* glibc keeps the pointer after the chunk is taken: name it
		 * only while it is still a free chunk in the unsorted bin. */
		void	*lr = glibc_last_remainder(CG(m)), *u[64];
		size_t	 n, k;

		if (lr == NULL)
			break;
		n = glibc_bin_chunks((struct glibc *)m->impl,
		    GLIBC_BIN_UNSORTED, 1, u, 64);
		for (k = 0; k < n && k < 64; k++)
			if (u[k] == lr) {
				p = lr;
				*size = chunk_size_at(p);
				break;
			}
		break;
	}
	default:
		break;
	}
	return p;
}

static size_t
gm_bitmaps(const struct model *m, struct model_bitmap *out, size_t max)
{
	static const char *const names[] = {
		"binmap[0]", "binmap[1]", "binmap[2]", "binmap[3]",
	};
	size_t	i;

	for (i = 0; i < 4 && i < max; i++) {
		out[i].name = names[i];
		out[i].bits = glibc_binmap(CG(m), (int)i);
	}
	return 4;
}

static void
gm_stats(struct model *m, struct model_stats *st)
{
	struct glibc_stats	gs;
	size_t			arena, mapped;

	glibc_stats(G(m), &gs);
	glibc_memory(CG(m), &arena, &mapped);
	st->footprint = gs.system_mem + gs.mmapped_mem;
	if (st->footprint < arena + mapped)
		st->footprint = arena + mapped;
	st->max_footprint = st->footprint;
	st->inuse = gs.inuse;
	st->free = gs.free;
}

/*
 * The settings malloc reads as it decides, beside the bins: mp_'s
 * thresholds and pad, and global_max_fast.
 */
static size_t
gm_facts(const struct model *m, struct model_fact *out, size_t max)
{
	const struct glibc	*g = CG(m);
	size_t			 mt = glibc_mmap_threshold(g);
	size_t			 tt = glibc_trim_threshold(g);
	size_t			 tp = glibc_top_pad(g);
	bool			 dyn = glibc_dynamic_threshold(g);
	size_t			 n = 0;

	if (n < max) {
		out[n].key = "mmap_threshold";
		buf_snprintf(out[n].value, sizeof out[n].value, "%zu (0x%zx), "
		    "%s", mt, mt, dyn ? "dynamic" : "fixed");
		buf_snprintf(out[n].note, sizeof out[n].note, "a chunk this "
		    "big or bigger gets a mapping of its own; %s", dyn ?
		    "freeing a bigger mapped chunk raises it" : "set by hand, "
		    "so it no longer rises");
	}
	n++;
	if (n < max && tt == SIZE_MAX) {
		out[n].key = "trim_threshold";
		buf_snprintf(out[n].value, sizeof out[n].value, "-1 (off)");
		buf_snprintf(out[n].note, sizeof out[n].note, "top is never "
		    "given back to the system");
	} else if (n < max) {
		out[n].key = "trim_threshold";
		buf_snprintf(out[n].value, sizeof out[n].value, "%zu (0x%zx)",
		    tt, tt);
		buf_snprintf(out[n].note, sizeof out[n].note, "a free that "
		    "leaves top this big gives the excess back to the system");
	}
	n++;
	if (n < max) {
		out[n].key = "top_pad";
		buf_snprintf(out[n].value, sizeof out[n].value, "%zu (0x%zx)",
		    tp, tp);
		buf_snprintf(out[n].note, sizeof out[n].note, "extra bytes "
		    "each sbrk asks for beyond the request");
	}
	n++;
	if (n < max) {
		out[n].key = "global_max_fast";
		buf_snprintf(out[n].value, sizeof out[n].value, "0x%zx",
		    glibc_mxfast(CG(m)));
		buf_snprintf(out[n].note, sizeof out[n].note, "the largest "
		    "chunk a fastbin takes");
	}
	n++;
	return n;
}

/*
 * main_arena: glibc's struct malloc_state, a global of libc's .data in a
 * real process; the model keeps it where the memory source puts the
 * allocator's globals.  Its size is 2.36's on x86-64, 0x898 bytes.
 */
static size_t
gm_objects(const struct model *m, struct model_object *out, size_t max)
{
	if (max > 0) {
		out[0].name = "main_arena";
		out[0].words = "glibc's struct malloc_state (libc's .data): "
		    "fastbins, top, bins, binmap";
		out[0].addr = glibc_arena(CG(m));
		out[0].size = 0x898;
	}
	return 1;
}

/* What glibc-check.c verifies, in the order it does. */
static const char *const gm_invariants[] = {
	"chunks tile each heap segment: sizes are multiples of 16, at least "
	    "32; top ends it, with PREV_INUSE set",
	"PREV_INUSE is clear exactly after a chunk in the unsorted, a small "
	    "or a large bin, whose size prev_size repeats; no two such "
	    "chunks touch, and none touches top",
	"tcache and fastbin chunks keep their in-use bit: they count as free "
	    "only by being in a list",
	"every chunk in a bin is a chunk of the heap, in one bin only",
	"the unsorted, small and large bins are doubly linked (fd->bk and "
	    "bk->fd lead back); each chunk's size belongs to its bin; large "
	    "bins run largest first with their fd_nextsize list; the binmap "
	    "has the bit of every non-empty bin",
	"each tcache bin holds at most 7 chunks, its count says how many, "
	    "each 16-aligned, of the bin's size, its key set; each fastbin "
	    "holds chunks of its size only",
	"mapped chunks have IS_MMAPPED and start their own page-aligned "
	    "mapping",
	NULL,
};

static size_t
gm_check(struct model *m, char (*v)[160], size_t max)
{
	return glibc_check(G(m), v, max);
}

/* ---- Going back in time: the state lives in the source's data
 * segment; the host side is the list of mapped chunks. ---- */

static struct model_saved *
gm_save(const struct model *m)
{
	return (struct model_saved *)glibc_save(CG(m));
}

static struct model_live *
gm_live_take(const struct model *m)
{
	(void)m;
	return NULL;		/* nothing of the process's to keep aside */
}

static void
gm_restore(struct model *m, const struct model_saved *sv,
    struct model_live *lv)
{
	(void)lv;
	glibc_restore(G(m), (const struct glibc_saved *)sv);
}

static size_t
gm_saved_bytes(const struct model_saved *sv)
{
	return glibc_saved_bytes((const struct glibc_saved *)sv);
}

static void
gm_saved_free(struct model_saved *sv)
{
	glibc_saved_free((struct glibc_saved *)sv);
}

static size_t
gm_regions(const struct model *m, struct model_segment *out, size_t max)
{
	return gm_segments((struct model *)m, out, max);
}

static void *
gm_state(const struct model *m)
{
	return m->impl;
}

/* ---- Against the real glibc. ---- */

static size_t
word(struct model_word *w, size_t n, size_t max, size_t off, unsigned width,
    const char *fmt, int i)
{
	if (n < max) {
		w[n].off = off;
		w[n].width = width;
		snprintf(w[n].name, sizeof w[n].name, fmt, i);
	}
	return n + 1;
}

/*
 * The words glibc writes, chunk by chunk: prev_size where the chunk
 * before is free in a bin that sets it (the P bit clear), the size, and
 * the links each bin keeps -- the tcache's next (safe-linked) and key, a
 * fastbin's fd (safe-linked; its bk is left as it was), a normal bin's fd
 * and bk, and a large bin's nextsize pair.  The tcache struct: its counts
 * and entries.  The arena: have_fastchunks, the fastbins, top,
 * last_remainder, the bins, the binmap and system_mem, at their offsets in
 * struct malloc_state.
 */
static size_t
gm_words(struct model *m, const struct model_chunk *c, void **base,
    struct model_word *w, size_t max)
{
	size_t	n = 0;
	int	i;

	if (c == NULL) {
		*base = glibc_arena(G(m));
		n = word(w, n, max, 4, 4, "flags", 0);
		n = word(w, n, max, 8, 4, "have_fastchunks", 0);
		for (i = 0; i < GLIBC_NFASTBINS; i++)
			n = word(w, n, max, 16 + 8 * (size_t)i, 8,
			    "fastbinsY[%d]", i);
		n = word(w, n, max, 0x60, 8, "top", 0);
		n = word(w, n, max, 0x68, 8, "last_remainder", 0);
		for (i = 0; i < GLIBC_NBINS * 2 - 2; i++)
			n = word(w, n, max, 0x70 + 8 * (size_t)i, 8,
			    "bins[%d]", i);
		for (i = 0; i < 4; i++)
			n = word(w, n, max, 0x860 + 4 * (size_t)i, 4,
			    "binmap[%d]", i);
		n = word(w, n, max, 0x888, 8, "system_mem", 0);
		return n;
	}
	if (c->state == MODEL_CHUNK_DAMAGED)
		return 0;
	if (!(c->head & 1) || c->state == MODEL_CHUNK_MMAPPED)
		n = word(w, n, max, 0, 8, "prev_size", 0);
	n = word(w, n, max, 8, 8, "size", 0);
	if (c->state == MODEL_CHUNK_INUSE && c->bin_class == GM_TCACHE_STRUCT) {
		for (i = 0; i < GLIBC_TCACHE_BINS; i++)
			n = word(w, n, max, 16 + 2 * (size_t)i, 2,
			    "counts[%d]", i);
		for (i = 0; i < GLIBC_TCACHE_BINS; i++)
			n = word(w, n, max, 16 + 2 * GLIBC_TCACHE_BINS +
			    8 * (size_t)i, 8, "entries[%d]", i);
		return n;
	}
	if (c->state != MODEL_CHUNK_FREE)
		return n;
	switch (c->bin_class) {
	case GM_TCACHE:
		n = word(w, n, max, 16, 8, "next", 0);
		n = word(w, n, max, 24, 8, "key", 0);
		break;
	case GM_FAST:
		n = word(w, n, max, 16, 8, "fd", 0);
		break;
	default:
		n = word(w, n, max, 16, 8, "fd", 0);
		n = word(w, n, max, 24, 8, "bk", 0);
		if (c->bin_class == GM_LARGE) {
			n = word(w, n, max, 32, 8, "fd_nextsize", 0);
			n = word(w, n, max, 40, 8, "bk_nextsize", 0);
		}
		break;
	}
	return n;
}

/* ---- Decisions in words. ---- */

static unsigned
gm_decision_flags(int kind)
{
	switch (kind) {
	case GEV_CONSOLIDATE:
	case GEV_FENCEPOSTS:
	case GEV_CORRUPTION:
	case GEV_SYSMALLOC:
	case GEV_TRIM:
		return MODEL_DEC_RELAYOUT;
	case GEV_MMAP_CHUNK:
	case GEV_MUNMAP_CHUNK:
	case GEV_MREMAP_CHUNK:
		return MODEL_DEC_MAPPING;
	case GEV_WARNING:
		return MODEL_DEC_WARNING;
	default:
		return 0;
	}
}

static void
gm_free_result(const struct decision *dec, size_t n,
    struct model_free_result *fr)
{
	size_t	i;

	memset(fr, 0, sizeof *fr);
	for (i = 0; i < n; i++) {
		const struct decision	*d = &dec[i];

		switch (d->kind) {
		case GEV_FREE:
			if (fr->size == 0)
				fr->size = d->size;
			break;
		case GEV_COALESCE_PREV:
		case GEV_COALESCE_NEXT:
			if (fr->nmerged < MODEL_FREE_MERGED)
				fr->merged[fr->nmerged++] = d->other;
			break;
		case GEV_INTO_TOP:
			fr->went = "top";
			break;
		case GEV_TCACHE_PUT:
		case GEV_FASTBIN_PUT:
		case GEV_UNSORTED_PUT:
			fr->went = model_bin_label(&model_glibc, d->bin_class,
			    d->bin, MODEL_LABEL_SHORT, "none", fr->label,
			    sizeof fr->label);
			break;
		case GEV_MUNMAP_CHUNK:
			fr->went = "unmapped";
			break;
		case GEV_TRIM:
			fr->trimmed += d->size;
			break;
		default:
			break;
		}
	}
}

static void
gm_summary(const struct decision *d, struct buf *b)
{
	switch (d->kind) {
	case GEV_TCACHE_INIT:
		buf_printf(b, "the first call: libc's tcache_perthread_struct "
		    "took a 0x%zx chunk", (size_t)0x290);
		break;
	case GEV_TCACHE_GET:
		buf_printf(b, "reused from tcache bin %d (%zu left)", d->bin,
		    d->size);
		break;
	case GEV_TCACHE_PUT:
		buf_printf(b, "put in tcache bin %d (%zu/7)", d->bin, d->size);
		break;
	case GEV_FASTBIN_GET:
		buf_printf(b, "reused from fastbin %d", d->bin);
		break;
	case GEV_FASTBIN_PUT:
		buf_printf(b, "put at the head of fastbin %d", d->bin);
		break;
	case GEV_SMALLBIN_HIT:
		buf_printf(b, "reused a free chunk from small bin %d", d->bin);
		break;
	case GEV_LARGEBIN_HIT:
		buf_printf(b, "best fit from large bin %d (a %zu-byte chunk)",
		    d->bin, d->size);
		break;
	case GEV_BINMAP_SCAN:
		buf_printf(b, "the binmap found %s bin %d (a %zu-byte chunk)",
		    d->bin < 64 ? "small" : "large", d->bin, d->size);
		break;
	case GEV_UNSORTED_TAKEN:
		buf_printf(b, "%s from the unsorted bin", d->why ==
		    GW_LAST_REMAINDER ? "split the last remainder" :
		    "an exact fit");
		break;
	case GEV_RETURN_CACHED:
		buf_printf(b, "served from tcache bin %d, just filled", d->bin);
		break;
	case GEV_CONSOLIDATE:
		buf_printf(b, "malloc_consolidate emptied the fastbins");
		break;
	case GEV_TOP_SPLIT:
		buf_printf(b, "split from top");
		break;
	case GEV_SYSMALLOC:
		buf_printf(b, "top was too small, so the heap grew by 0x%zx",
		    d->size);
		break;
	case GEV_FENCEPOSTS:
		buf_printf(b, "the break had moved under the heap: fenceposts "
		    "close the old top");
		break;
	case GEV_MMAP_CHUNK:
		buf_printf(b, "at or above the mmap threshold: its own mapping "
		    "of %zu bytes (0x%zx)", d->size, d->size);
		break;
	case GEV_MUNMAP_CHUNK:
		buf_printf(b, "its mapping was unmapped");
		break;
	case GEV_MREMAP_CHUNK:
		buf_printf(b, "its mapping was resized with mremap");
		break;
	case GEV_THRESHOLD_RAISE:
		buf_printf(b, "the mmap threshold rose to %zu (trim threshold "
		    "%zu)", d->size, d->other_size);
		break;
	case GEV_TRIM:
		buf_printf(b, "top was past the trim threshold: %zu bytes given "
		    "back", d->size);
		break;
	case GEV_COALESCE_PREV:
		buf_printf(b, "merged with the free chunk before it at 0x%"
		    PRIx64, d->other);
		break;
	case GEV_COALESCE_NEXT:
		buf_printf(b, "merged with the free chunk after it at 0x%"
		    PRIx64, d->other);
		break;
	case GEV_INTO_TOP:
		buf_printf(b, "merged into top");
		break;
	case GEV_UNSORTED_PUT:
		buf_printf(b, "put in the unsorted bin");
		break;
	case GEV_REALLOC_SHRINK:
		buf_printf(b, "shrunk in place");
		break;
	case GEV_REALLOC_GROW_TOP:
	case GEV_REALLOC_GROW_NEXT:
		buf_printf(b, "grew in place");
		break;
	case GEV_REALLOC_MOVE:
		buf_printf(b, "could not grow in place: moved (malloc, copy, "
		    "free)");
		break;
	case GEV_CALLOC_ZERO:
		buf_printf(b, "zeroed %zu bytes", d->size);
		break;
	case GEV_MEMALIGN_LEAD:
		buf_printf(b, "aligned: the %zu bytes before it freed",
		    d->other_size);
		break;
	case GEV_MEMALIGN_TAIL:
		buf_printf(b, "the %zu bytes after it freed", d->other_size);
		break;
	default:
		break;
	}
}

#define X(v) ((unsigned long long)(v))

static const char *
consolidate_why(unsigned why)
{
	switch (why) {
	case GW_LARGE_REQUEST:
		return "a large-bin request found chunks in the fastbins";
	case GW_FREE_64K:
		return "a free made a chunk of 64 KiB or more "
		    "(FASTBIN_CONSOLIDATION_THRESHOLD)";
	case GW_TOP_TOO_SMALL:
		return "top cannot serve the request and the fastbins hold "
		    "chunks: merge them and try again";
	case GW_MALLOPT:
		return "a parameter was set (mallopt consolidates first)";
	default:
		return "the fastbins are emptied";
	}
}

/*
 * The first sbrk of the heap, worked out: the chunk, top_pad and MINSIZE,
 * rounded up to pages (nothing of an old top to subtract).  Said only
 * where the sum gives what sysmalloc asked for.
 */
static void
sysmalloc_sum(const struct decision *d, struct buf *b)
{
	size_t	sum, page;

	sum = d->other_size + GLIBC_DEFAULT_TOP_PAD + GLIBC_MINSIZE;
	page = (sum + 4095) & ~(size_t)4095;

	if (!(d->why & GW_FIRST) || !(d->why & GW_PAD) || page != d->size)
		return;
	buf_printf(b, "- 0x%zx + 0x%x + 0x%x = 0x%zx", d->other_size,
	    GLIBC_DEFAULT_TOP_PAD, GLIBC_MINSIZE, sum);
	if (page != sum)
		buf_printf(b, ", rounded up to 0x1000s: 0x%zx", page);
	buf_printf(b, "\n");
}

/* A threshold's value: -1 is glibc's "never" (trimming off). */
static const char *
param_text(char *buf, size_t len, size_t v)
{
	if (v == SIZE_MAX)
		buf_snprintf(buf, len, "-1 (off)");
	else
		buf_snprintf(buf, len, "%zu", v);
	return buf;
}

/*
 * Safe-linking with its numbers.  The fd word of a tcache or fastbin
 * chunk sits at pos, the chunk's payload; it holds PROTECT_PTR(pos, ptr)
 * = (pos >> 12) ^ ptr, and REVEAL_PTR undoes it with the same pos.  The
 * decision carries the word as memory holds it (other_size; 0: unknown).
 */
static void
protect(const struct decision *d, const char *ptr_is, struct buf *b)
{
	uint64_t	pos = d->chunk + 16, word = d->other_size;
	uint64_t	ptr = word ^ (pos >> 12);

	if (word == 0)
		return;
	if (ptr == 0)
		buf_printf(b, "- its next word, PROTECT_PTR(pos, NULL) = "
		    "(0x%llx >> 12) ^ 0 = 0x%llx (the bin was empty)\n",
		    X(pos), X(word));
	else
		buf_printf(b, "- its next word, PROTECT_PTR(pos, %s) = "
		    "(0x%llx >> 12) ^ 0x%llx = 0x%llx\n", ptr_is, X(pos),
		    X(ptr), X(word));
}

static void
reveal(const struct decision *d, const char *whose, struct buf *b)
{
	uint64_t	pos = d->chunk + 16, word = d->other_size;
	uint64_t	ptr = word ^ (pos >> 12);

	if (word == 0)
		return;
	buf_printf(b, "- REVEAL_PTR of its next word: 0x%llx ^ (0x%llx >> 12) "
	    "= %s%llx, %s new head%s\n", X(word), X(pos), ptr ? "0x" : "",
	    X(ptr), whose, ptr ? "" : " (NULL: now empty)");
}

static void
gm_explain(const struct decision *dec, size_t n,
    const struct model_explain_ctx *x, struct buf *b)
{
	char	bin[48];
	size_t	i, nb = 0, lo, hi, merged = 0;
	int	prev = -1;

	for (i = 0; i < n; prev = dec[i].kind, i++) {
		const struct decision	*d = &dec[i];

		model_bin_label(&model_glibc, d->bin_class, d->bin,
		    MODEL_LABEL_WORDS, "none", bin, sizeof bin);
		switch (d->kind) {
		case GEV_REQUEST:
			/* the chunk size the decisions after it serve */
			nb = d->other_size != SIZE_MAX ? d->other_size : 0;
			if (d->other_size == SIZE_MAX || d->size == SIZE_MAX)
				buf_printf(b, "- request of %zu bytes: more "
				    "than any chunk can hold\n", d->size);
			else if (d->size + 8 + 15 < 32)
				buf_printf(b, "- request %zu bytes: request2size "
				    "gives the 32-byte minimum chunk\n",
				    d->size);
			else
				buf_printf(b, "- request %zu bytes: request2size "
				    "= (%zu + 8 + 15) & ~15 = a 0x%zx-byte "
				    "chunk\n", d->size, d->size,
				    d->other_size);
			if (d->other_size != SIZE_MAX &&
			    d->other_size <= GLIBC_TCACHE_MAX)
				buf_printf(b, "- tcache index (0x%zx - 0x20) / "
				    "0x10 = %zu\n", d->other_size,
				    (d->other_size - 32) / 16);
			if (d->other_size != SIZE_MAX &&
			    d->other_size >= x->mmap_threshold)
				buf_printf(b, "- at least the mmap threshold "
				    "(%zu): served by a mapping of its own "
				    "unless a bin or top fits first\n",
				    x->mmap_threshold);
			break;
		case GEV_TCACHE_INIT:
			buf_printf(b, "- the first call sets up the tcache: "
			    "tcache_perthread_struct (64 counts, 64 heads) "
			    "takes a 0x290 chunk at 0x%llx, owned by libc\n",
			    X(d->chunk));
			break;
		case GEV_TCACHE_GET:
			buf_printf(b, "- tcache bin %d holds one: take 0x%llx "
			    "from its head (last freed, first reused); %zu "
			    "left\n", d->bin, X(d->chunk), d->size);
			reveal(d, "the bin's", b);
			break;
		case GEV_TCACHE_PUT:
			buf_printf(b, "- tcache bin %d (0x%zx-byte chunks) has "
			    "room: 0x%llx goes to its head, now %zu of 7; its "
			    "key word marks it cached\n", d->bin,
			    (size_t)(32 + 16 * d->bin), X(d->chunk), d->size);
			protect(d, "the old head's payload", b);
			break;
		case GEV_FASTBIN_GET:
			buf_printf(b, "- fastbin %d has a chunk: take 0x%llx "
			    "from its head\n", d->bin, X(d->chunk));
			reveal(d, "the fastbin's", b);
			break;
		case GEV_FASTBIN_PUT:
			buf_printf(b, "- the tcache does not take it (its bin is "
			    "full, or there is no tcache yet) and 0x%zx is at "
			    "most global_max_fast (0x%zx): 0x%llx goes to the "
			    "head of fastbin %d, its in-use bit still set, "
			    "never merged until malloc_consolidate\n",
			    d->size, x->max_fast, X(d->chunk), d->bin);
			protect(d, "the old head chunk", b);
			break;
		case GEV_FAST_TO_TCACHE:
		case GEV_SMALL_TO_TCACHE:
			buf_printf(b, "- 0x%llx, another chunk of the same size, "
			    "moves to tcache bin %d to fill it\n", X(d->chunk),
			    d->bin);
			break;
		case GEV_EXACT_TO_TCACHE:
			buf_printf(b, "- tcache bin %d has room, so the exact "
			    "fit 0x%llx is cached rather than returned, and "
			    "the pass goes on (the request is served from "
			    "the tcache at the end)\n", d->bin, X(d->chunk));
			break;
		case GEV_RETURN_CACHED:
			buf_printf(b, "- the unsorted pass filled tcache bin %d "
			    "with exact fits: the request is served from it\n",
			    d->bin);
			break;
		case GEV_SMALLBIN_HIT:
			buf_printf(b, "- small bin %d has a chunk: take 0x%llx "
			    "from its tail (oldest first)\n", d->bin,
			    X(d->chunk));
			break;
		case GEV_UNSORTED_TAKEN:
			if (d->why == GW_LAST_REMAINDER)
				buf_printf(b, "- unsorted chunk 0x%llx (0x%zx "
				    "bytes) taken: it is the last remainder, "
				    "alone in the bin, the request is small "
				    "(0x%zx < 0x%x) and it is bigger than "
				    "0x%zx + MINSIZE: split it\n", X(d->chunk),
				    d->size, nb, GLIBC_MIN_LARGE, nb);
			else
				buf_printf(b, "- unsorted chunk 0x%llx (0x%zx "
				    "bytes) taken: exactly the 0x%zx asked\n",
				    X(d->chunk), d->size, nb);
			break;
		case GEV_UNSORTED_SORTED:
			glibc_bin_range(d->bin, &lo, &hi);
			buf_printf(b, "- unsorted chunk 0x%llx (0x%zx bytes) "
			    "is not the 0x%zx asked (nor a last remainder to "
			    "split): sorted into %s", X(d->chunk), d->size, nb,
			    bin);
			if (lo == hi)
				buf_printf(b, ", which holds 0x%zx-byte "
				    "chunks\n", lo);
			else
				buf_printf(b, ", which holds 0x%zx..0x%zx "
				    "bytes\n", lo, hi);
			break;
		case GEV_REMAINDER_SPLIT:
		case GEV_SPLIT:
			/* The binmap's split of a small request keeps its
			 * remainder as the last remainder (_int_malloc). */
			buf_printf(b, "- split 0x%llx: the chunk keeps 0x%zx; "
			    "the remainder 0x%llx (%zu bytes) goes to the "
			    "unsorted bin%s\n", X(d->chunk), d->size,
			    X(d->other), d->other_size, d->kind ==
			    GEV_REMAINDER_SPLIT || (prev == GEV_BINMAP_SCAN &&
			    nb != 0 && nb < GLIBC_MIN_LARGE) ? " and is the "
			    "new last remainder (the request is small)" : "");
			break;
		case GEV_LARGEBIN_HIT:
			buf_printf(b, "- large bin %d: the smallest chunk that "
			    "fits is 0x%llx (%zu bytes): best fit\n", d->bin,
			    X(d->chunk), d->size);
			break;
		case GEV_BINMAP_SCAN:
			buf_printf(b, "- no exact fit: the binmap's next set "
			    "bit above bin %d is binmap[%d] bit %d, bin %d: "
			    "its last chunk 0x%llx (%zu bytes) is big enough\n",
			    nb != 0 ? glibc_bin_index(nb) : 0, d->bin / 32,
			    d->bin % 32, d->bin, X(d->chunk), d->size);
			break;
		case GEV_BINMAP_CLEAR:
			buf_printf(b, "- bin %d's binmap bit was stale (the bin "
			    "is empty): cleared\n", d->bin);
			break;
		case GEV_CONSOLIDATE:
			buf_printf(b, "- malloc_consolidate: %s",
			    consolidate_why(d->why));
			/* The numbers behind the trigger, where known. */
			if (d->why == GW_LARGE_REQUEST && nb != 0)
				buf_printf(b, " (0x%zx is at least 0x%x, a "
				    "large-bin size)", nb, GLIBC_MIN_LARGE);
			else if (d->why == GW_FREE_64K && merged != 0)
				buf_printf(b, " (0x%zx >= 0x10000)", merged);
			buf_printf(b, "\n");
			break;
		case GEV_CONSOLIDATE_CHUNK:
			buf_printf(b, "- a fastbin chunk, merged with its free "
			    "neighbours to 0x%llx (%zu bytes), goes to the "
			    "unsorted bin\n", X(d->chunk), d->size);
			break;
		case GEV_TOP_SPLIT:
			buf_printf(b, "- no bin fits: carve 0x%zx from top at "
			    "0x%llx; top moves up to 0x%llx with %zu bytes\n",
			    d->size, X(d->chunk), X(d->other), d->other_size);
			break;
		case GEV_SYSMALLOC:
			buf_printf(b, "- top is too small for 0x%zx: sysmalloc "
			    "asks sbrk for 0x%zx bytes%s%s%s%s\n",
			    d->other_size, d->size, d->why & GW_PAD ?
			    " (the chunk + top_pad 128 KiB + MINSIZE" : "",
			    d->why & GW_PAGE_ROUND ? ", rounded up to whole "
			    "pages" : "", d->why & GW_PAD ? ")" : "",
			    d->why & GW_ALIGN_FIX ? "; the break was not "
			    "16-aligned: a second sbrk corrects it" : "");
			sysmalloc_sum(d, b);
			break;
		case GEV_FENCEPOSTS:
			buf_printf(b, "- the break had moved (someone else "
			    "called sbrk): the old top at 0x%llx keeps %zu "
			    "bytes, closed by two 0x10 fenceposts at 0x%llx, "
			    "and is freed\n", X(d->chunk), d->size,
			    X(d->other));
			break;
		case GEV_MMAP_CHUNK:
			buf_printf(b, "- a mapping of its own: %zu bytes at "
			    "0x%llx, the chunk plus 8, rounded up to pages",
			    d->size, X(d->chunk));
			/* The sum, where the request's size adds up to it. */
			if (nb != 0 && ((nb + 8 + 4095) & ~(size_t)4095) ==
			    d->size)
				buf_printf(b, ": (0x%zx + 8) rounded up to "
				    "0x1000s = 0x%zx", nb, d->size);
			buf_printf(b, "\n");
			break;
		case GEV_MUNMAP_CHUNK:
			buf_printf(b, "- a mapped chunk goes straight back to "
			    "the system: munmap of %zu bytes\n", d->size);
			break;
		case GEV_MREMAP_CHUNK:
			buf_printf(b, "- a mapped chunk is resized with mremap: "
			    "%zu bytes now\n", d->size);
			break;
		case GEV_THRESHOLD_RAISE:
			buf_printf(b, "- freeing a mapped chunk larger than the "
			    "mmap threshold raises it to that chunk's size, "
			    "%zu, and the trim threshold to twice that, %zu "
			    "(the dynamic threshold; a `set` turns it off)\n",
			    d->size, d->other_size);
			break;
		case GEV_TRIM:
			buf_printf(b, "- top is over the trim threshold (%zu): "
			    "systrim gives %zu bytes back to the system\n",
			    x->trim_threshold, d->size);
			break;
		case GEV_FREE:
			merged = d->size;
			buf_printf(b, "- free the 0x%zx-byte chunk at 0x%llx\n",
			    d->size, X(d->chunk));
			if (d->size >= GLIBC_MINSIZE &&
			    d->size <= GLIBC_TCACHE_MAX)
				buf_printf(b, "- tcache index (0x%zx - 0x20) / "
				    "0x10 = %zu\n", d->size,
				    (d->size - 32) / 16);
			else if (d->size > GLIBC_TCACHE_MAX)
				buf_printf(b, "- 0x%zx is above 0x%x, the "
				    "largest size the tcache keeps, and above "
				    "global_max_fast (0x%x): no tcache, no "
				    "fastbin\n", d->size, GLIBC_TCACHE_MAX,
				    GLIBC_MAX_FAST);
			break;
		case GEV_COALESCE_PREV:
			merged += d->other_size;
			buf_printf(b, "- PREV_INUSE is clear: the chunk before, "
			    "0x%llx (%zu bytes), is free; merge with it\n",
			    X(d->other), d->other_size);
			break;
		case GEV_COALESCE_NEXT:
			merged += d->other_size;
			buf_printf(b, "- the chunk after, 0x%llx (%zu bytes), is "
			    "free: merge with it\n", X(d->other),
			    d->other_size);
			break;
		case GEV_INTO_TOP:
			/* glibc weighs the merged size, top included. */
			merged = d->size;
			buf_printf(b, "- it borders top: it becomes part of top, "
			    "now 0x%llx with %zu bytes\n", X(d->chunk),
			    d->size);
			break;
		case GEV_UNSORTED_PUT:
			buf_printf(b, "- 0x%llx (%zu bytes) goes to the head of "
			    "the unsorted bin; the next malloc sorts it\n",
			    X(d->chunk), d->size);
			break;
		case GEV_REALLOC_SHRINK:
			buf_printf(b, "- shrink in place%s\n", d->other ?
			    ": the tail is freed" : "");
			break;
		case GEV_REALLOC_GROW_TOP:
			buf_printf(b, "- grow in place into top\n");
			break;
		case GEV_REALLOC_GROW_NEXT:
			buf_printf(b, "- grow in place into the free chunk "
			    "after it, 0x%llx\n", X(d->other));
			break;
		case GEV_REALLOC_MOVE:
			buf_printf(b, "- cannot grow in place: malloc a new "
			    "chunk, copy, free the old one\n");
			break;
		case GEV_CALLOC_ZERO:
			buf_printf(b, "- zero %zu bytes (calloc never takes "
			    "from the tcache)\n", d->size);
			break;
		case GEV_MEMALIGN_LEAD:
			buf_printf(b, "- aligned: the chunk starts at 0x%llx; "
			    "the %zu bytes before it, 0x%llx, are freed\n",
			    X(d->chunk), d->other_size, X(d->other));
			break;
		case GEV_MEMALIGN_TAIL:
			buf_printf(b, "- the chunk keeps %zu bytes; the %zu "
			    "after it, 0x%llx, are freed\n", d->size,
			    d->other_size, X(d->other));
			break;
		case GEV_WARNING:
			buf_printf(b, "- glibc let through what it does not "
			    "check here (see the warning)\n");
			break;
		case GEV_CORRUPTION:
			buf_printf(b, "- a check failed at 0x%llx: glibc would "
			    "abort; the operation was refused\n",
			    X(d->chunk));
			break;
		case GEV_PARAM_SET: {
			char	was[32], now[32];

			buf_printf(b, "- mallopt(%s, %s): the %s goes from %s "
			    "to %s; mallopt sets no_dyn_threshold, so freeing "
			    "a mapped chunk no longer raises the thresholds\n",
			    d->why == MODEL_MMAP_THRESHOLD ?
			    "M_MMAP_THRESHOLD" : "M_TRIM_THRESHOLD",
			    param_text(now, sizeof now,
			    d->size), d->why == MODEL_MMAP_THRESHOLD ?
			    "mmap threshold" : "trim threshold",
			    param_text(was, sizeof was, d->other_size), now);
			break;
		}
		case GEV_ENOMEM:
			buf_printf(b, "- no memory for %zu bytes: NULL with "
			    "errno ENOMEM\n", d->size);
			break;
		default:
			break;
		}
	}
}

/* ---- The header's flag bits: PREV_INUSE, IS_MMAPPED, NON_MAIN_ARENA. */
static void
gm_flag_letters(uint64_t head, enum model_chunk_state st, char *out)
{
	(void)st;
	out[0] = head & 1 ? 'P' : '-';
	out[1] = head & 2 ? 'M' : '-';
	out[2] = head & 4 ? 'A' : '-';
}

static void
gm_flag_names(uint64_t head, const char *sep, bool minor, char *buf,
    size_t len)
{
	(void)minor;
	buf_snprintf(buf, len, "%s%s%s%s%s%s", head & 1 ? sep : "",
	    head & 1 ? "PREV_INUSE" : "", head & 2 ? sep : "",
	    head & 2 ? "IS_MMAPPED" : "", head & 4 ? sep : "",
	    head & 4 ? "NON_MAIN_ARENA" : "");
}

const struct model_ops model_glibc = {
	.name = "glibc-2.36",
	.short_name = "glibc",
	.libc = true,
	.classes = gm_classes,
	.nclasses = sizeof gm_classes / sizeof gm_classes[0],

	.create = gm_create,
	.destroy = gm_destroy,
	.adopt = NULL,			/* real mode runs dlmalloc only */
	.regions = gm_regions,
	.state = gm_state,
	.words = gm_words,
	.set_hook = gm_set_hook,

	.malloc = gm_malloc,
	.calloc = gm_calloc,
	.realloc = gm_realloc,
	.reallocarray = gm_reallocarray,
	.memalign = gm_memalign,
	.free = gm_free,
	.usable_size = gm_usable_size,
	.last_error = gm_last_error,
	.warning = gm_warning,
	.params = MODEL_PARAM(MODEL_MMAP_THRESHOLD) |
	    MODEL_PARAM(MODEL_TRIM_THRESHOLD) | MODEL_PARAM(MODEL_CHECKS) |
	    MODEL_PARAM(MODEL_MXFAST) | MODEL_PARAM(MODEL_MMAP_MAX),
	.checks_own = "glibc",
	.set_param = gm_set_param,
	.param = gm_param,

	.walk = gm_walk,
	.walk_from = gm_walk_from,
	.walk_mmapped = gm_walk_mmapped,
	.segments = gm_segments,
	.bin_chunks = gm_bin_chunks,
	.bin_chunks_from = gm_bin_chunks_from,
	.bin_range = gm_bin_range,
	.special = gm_special,
	.bitmaps = gm_bitmaps,
	.stats = gm_stats,
	.facts = gm_facts,
	.objects = gm_objects,
	.invariants = gm_invariants,
	.check = gm_check,

	.save = gm_save,
	.live_take = gm_live_take,
	.restore = gm_restore,
	.saved_bytes = gm_saved_bytes,
	.saved_free = gm_saved_free,

	.summary = gm_summary,
	.explain = gm_explain,
	.decision_flags = gm_decision_flags,
	.free_result = gm_free_result,

	.flag_heading = "PMA",
	.flag_letters = gm_flag_letters,
	.flag_names = gm_flag_names,
};

#if defined(__clang__)
#pragma clang attribute pop
#endif
