/*
 * glibc-walk.c -- looking inside the glibc model: the chunks of every
 * sbrk segment and every mapping, and what each bin holds, for the
 * checker, the views and the tests.
 *
 * glibc keeps no list of its chunks: a walk starts at each region's base
 * and follows the sizes.  Whether a chunk is free is not in its header for
 * tcache and fastbin chunks (they keep the next chunk's PREV_INUSE set),
 * so the walk first collects every bin's chunks and looks each chunk up.
 * Every list is followed only through mapped, aligned memory and for a
 * bounded number of steps, so a damaged heap cannot make the walk loop or
 * fault.
 */
#include <stdlib.h>
#include <string.h>

#include "glibc-internal.h"
#include "memsrc.h"
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

#define LIST_MAX	1000000		/* no real bin is longer */

struct coll {
	struct gbinref	*v;
	size_t		 n, cap;
};

static void
coll_add(struct coll *c, void *chunk, int kind, int bin, void *next)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = xreallocarray(c->v, c->cap, sizeof *c->v);
	}
	c->v[c->n].chunk = chunk;
	c->v[c->n].kind = kind;
	c->v[c->n].bin = bin;
	c->v[c->n].next = next;
	c->n++;
}

static bool
readable(struct glibc *g, const void *p)
{
	return p != NULL && !misaligned(p) && gl_mapped(g, p, sizeof(struct
	    gchunk));
}

/*
 * Lists that loop.  A double free glibc lets through, or a link an
 * overflow rewrote, can close a list into a circle anywhere along it, not
 * only back at its head.  A walk lists each chunk once: it stops at the
 * first chunk it would list a second time (noted once more, "in the bin
 * twice").  How far that is comes first, from Floyd's tortoise and hare
 * on the links (no memory, a few passes), so that a circle costs its
 * length and not LIST_MAX turns.
 */
/* The next chunk along the list, NULL at its end or at an unreadable
 * chunk (which is not listed). */
struct gchunk *
gl_list_next(struct glibc *g, struct gchunk *p, enum gl_link how,
    struct gchunk *end)
{
	struct gchunk	*nx;

	if (p == NULL || p == end || !readable(g, p))
		return NULL;
	switch (how) {
	case GL_LINK_TCACHE:
		nx = gl_protect(&p->fd, p->fd);
		nx = nx == NULL ? NULL : mem2chunk(nx);
		break;
	case GL_LINK_FAST:
		nx = gl_protect(&p->fd, p->fd);
		break;
	case GL_LINK_FD:
		nx = p->fd;
		break;
	default:
		nx = p->bk;
		break;
	}
	return nx == end ? NULL : nx;
}

/* How many chunks to list from p: up to the list's end, or up to the
 * first one the list comes back to (*again, else NULL). */
size_t
gl_list_span(struct glibc *g, struct gchunk *p, enum gl_link how,
    struct gchunk *end, struct gchunk **again)
{
	struct gchunk	*slow = p, *fast = p;
	size_t		 mu, lambda, n = 0;

	*again = NULL;
	if (p == NULL || p == end)
		return 0;
	do {
		slow = gl_list_next(g, slow, how, end);
		fast = gl_list_next(g, gl_list_next(g, fast, how, end), how,
		    end);
		n++;
	} while (fast != NULL && fast != slow && n < LIST_MAX);
	if (fast == NULL || n >= LIST_MAX) {
		for (n = 0; p != NULL && readable(g, p) && n < LIST_MAX; n++)
			p = gl_list_next(g, p, how, end);
		return n;
	}
	/* a circle: where it starts (mu), how long it is (lambda) */
	for (mu = 0, slow = p; slow != fast; mu++) {
		slow = gl_list_next(g, slow, how, end);
		fast = gl_list_next(g, fast, how, end);
	}
	lambda = 1;
	for (fast = gl_list_next(g, slow, how, end); fast != slow; lambda++)
		fast = gl_list_next(g, fast, how, end);
	*again = slow;
	return mu + lambda;
}

/* A singly linked, safe-linked list from head (chunk addresses). */
static size_t
single_list(struct glibc *g, struct gchunk *p, bool tcache, int kind,
    int bin, struct coll *c, void **out, size_t max)
{
	enum gl_link	 how = tcache ? GL_LINK_TCACHE : GL_LINK_FAST;
	struct gchunk	*again;
	size_t		 n, span = gl_list_span(g, p, how, NULL, &again);

	for (n = 0; n < span; n++, p = gl_list_next(g, p, how, NULL)) {
		if (c != NULL)
			coll_add(c, p, kind, bin, gl_protect(&p->fd, p->fd));
		if (out != NULL && n < max)
			out[n] = p;
	}
	if (again != NULL && c != NULL)		/* in the bin twice */
		coll_add(c, again, kind, bin, NULL);
	return n;
}

/* A normal bin, from its last chunk along bk (the order malloc takes for
 * the unsorted and small bins; large bins are listed largest first). */
static size_t
double_list(struct glibc *g, int i, struct coll *c, void **out, size_t max)
{
	struct garena	*av = &g->st->av;
	struct gchunk	*b = bin_at(av, i), *p, *again;
	bool		 large = i >= 64;
	enum gl_link	 how = large ? GL_LINK_FD : GL_LINK_BK;
	int		 kind = i == 1 ? GLIBC_BIN_UNSORTED : i < 64 ?
			    GLIBC_BIN_SMALL : GLIBC_BIN_LARGE;
	size_t		 n, span;

	p = large ? b->fd : b->bk;
	span = gl_list_span(g, p, how, b, &again);
	for (n = 0; n < span; n++, p = gl_list_next(g, p, how, b)) {
		if (c != NULL)
			coll_add(c, p, kind, i, NULL);
		if (out != NULL && n < max)
			out[n] = p;
	}
	return n;
}

static int
cmp_ref(const void *a, const void *b)
{
	const struct gbinref	*x = a, *y = b;

	return (uintptr_t)x->chunk < (uintptr_t)y->chunk ? -1 :
	    (uintptr_t)x->chunk > (uintptr_t)y->chunk;
}

/* Every chunk in every bin, sorted by address (duplicates kept). */
size_t
gl_collect_bins(struct glibc *g, struct gbinref **out)
{
	struct gstate	*st = g->st;
	struct coll	 c = { NULL, 0, 0 };
	int		 i;

	if (st->tcache != NULL && readable(g, mem2chunk(st->tcache)))
		for (i = 0; i < GLIBC_TCACHE_BINS; i++)
			if (st->tcache->entries[i] != NULL)
				single_list(g, mem2chunk(st->tcache->entries[i]),
				    true, GLIBC_BIN_TCACHE, i, &c, NULL, 0);
	for (i = 0; i < NFASTBINS; i++)
		single_list(g, st->av.fastbinsY[i], false, GLIBC_BIN_FAST, i,
		    &c, NULL, 0);
	for (i = 1; i < NBINS - 1; i++)
		double_list(g, i, &c, NULL, 0);
	if (c.n > 1)
		qsort(c.v, c.n, sizeof *c.v, cmp_ref);
	*out = c.v;
	return c.n;
}

static const struct gbinref *
find_ref(const struct gbinref *v, size_t n, const void *chunk)
{
	size_t	lo = 0, hi = n;

	while (lo < hi) {
		size_t	mid = (lo + hi) / 2;

		if ((uintptr_t)v[mid].chunk < (uintptr_t)chunk)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].chunk == chunk ? &v[lo] : NULL;
}

static int
cmp_seg(const void *a, const void *b)
{
	const struct glibc_segment	*x = a, *y = b;

	return (uintptr_t)x->base < (uintptr_t)y->base ? -1 :
	    (uintptr_t)x->base > (uintptr_t)y->base;
}

size_t
glibc_segments(struct glibc *g, struct glibc_segment *out, size_t max)
{
	struct gstate	*st = g->st;
	size_t		 i, n = 0;

	for (i = 0; i < (size_t)st->nsegs; i++)
		if (st->seg[i].end > st->seg[i].base) {
			if (n < max) {
				out[n].base = st->seg[i].base;
				out[n].size = (size_t)(st->seg[i].end -
				    st->seg[i].base);
			}
			n++;
		}
	if (n > 1 && n <= max)
		qsort(out, n, sizeof *out, cmp_seg);
	return n;
}

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t	x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

void
glibc_walk(struct glibc *g, void (*fn)(void *, const struct glibc_chunk *),
    void *ctx)
{
	struct gstate		*st = g->st;
	struct glibc_segment	 segs[GL_MAXSEGS];
	struct gbinref		*refs;
	size_t			 nrefs = gl_collect_bins(g, &refs);
	size_t			 nseg = glibc_segments(g, segs, GL_MAXSEGS), s, i;
	void			**mm;

	for (s = 0; s < nseg && s < GL_MAXSEGS; s++) {
		char	*c = segs[s].base, *end = c + segs[s].size;

		while (c + HDR <= end) {
			struct gchunk		*p = (struct gchunk *)c;
			struct glibc_chunk	 ch;
			const struct gbinref	*r;
			size_t			 size = chunksize(p);

			memset(&ch, 0, sizeof ch);
			ch.addr = p;
			ch.mem = chunk2mem(p);
			ch.prev_size = p->prev_size;
			ch.head = p->size;
			ch.size = size;
			ch.bin = -1;
			if (p == st->av.top) {
				ch.state = GLIBC_CHUNK_TOP;
				ch.bin_kind = GLIBC_BIN_TOP;
				fn(ctx, &ch);
				break;
			}
			if (size == HDR) {
				ch.state = GLIBC_CHUNK_FENCE;
				fn(ctx, &ch);
				c += HDR;
				continue;
			}
			if (size < MINSIZE || size > (size_t)(end - c) ||
			    (size & ALIGN_MASK) != 0) {
				ch.state = GLIBC_CHUNK_DAMAGED;
				ch.size = (size_t)(end - c);
				fn(ctx, &ch);
				break;
			}
			if (st->tcache != NULL &&
			    p == mem2chunk(st->tcache))
				ch.state = GLIBC_CHUNK_TCACHE_STRUCT;
			else if ((r = find_ref(refs, nrefs, p)) != NULL) {
				ch.state = GLIBC_CHUNK_FREE;
				ch.bin_kind = (enum glibc_bin_kind)r->kind;
				ch.bin = r->bin;
				ch.fd = p->fd;
				ch.bk = r->kind == GLIBC_BIN_TCACHE ||
				    r->kind == GLIBC_BIN_FAST ? NULL : p->bk;
				ch.next = r->next;
			} else
				ch.state = GLIBC_CHUNK_INUSE;
			fn(ctx, &ch);
			c += size;
		}
	}
	free(refs);
	mm = xcalloc(g->nmm ? g->nmm : 1, sizeof *mm);
	for (i = 0; i < g->nmm; i++)
		mm[i] = g->mm[i].p;
	qsort(mm, g->nmm, sizeof *mm, cmp_ptr);
	for (i = 0; i < g->nmm; i++) {
		struct gchunk		*p = mm[i];
		struct glibc_chunk	 ch;

		memset(&ch, 0, sizeof ch);
		ch.addr = p;
		ch.mem = chunk2mem(p);
		ch.prev_size = p->prev_size;
		ch.head = p->size;
		ch.size = chunksize(p);
		ch.state = GLIBC_CHUNK_MMAPPED;
		ch.bin = -1;
		fn(ctx, &ch);
	}
	free(mm);
}

size_t
glibc_bin_chunks(struct glibc *g, enum glibc_bin_kind kind, int i,
    void **out, size_t max)
{
	struct gstate	*st = g->st;

	switch (kind) {
	case GLIBC_BIN_TCACHE:
		if (st->tcache == NULL || i < 0 || i >= GLIBC_TCACHE_BINS ||
		    st->tcache->entries[i] == NULL)
			return 0;
		return single_list(g, mem2chunk(st->tcache->entries[i]), true,
		    kind, i, NULL, out, max);
	case GLIBC_BIN_FAST:
		if (i < 0 || i >= NFASTBINS)
			return 0;
		return single_list(g, st->av.fastbinsY[i], false, kind, i,
		    NULL, out, max);
	case GLIBC_BIN_UNSORTED:
		return double_list(g, 1, NULL, out, max);
	case GLIBC_BIN_SMALL:
		if (i < 2 || i >= 64)
			return 0;
		return double_list(g, i, NULL, out, max);
	case GLIBC_BIN_LARGE:
		if (i < 64 || i >= NBINS - 1)
			return 0;
		return double_list(g, i, NULL, out, max);
	default:
		return 0;
	}
}

unsigned
glibc_tcache_count(struct glibc *g, int i)
{
	if (g->st->tcache == NULL || i < 0 || i >= GLIBC_TCACHE_BINS)
		return 0;
	return g->st->tcache->counts[i];
}

void *
glibc_tcache_struct(const struct glibc *g)
{
	return g->st->tcache != NULL ? mem2chunk(g->st->tcache) : NULL;
}

uint32_t
glibc_binmap(const struct glibc *g, int word)
{
	return word >= 0 && word < BINMAPSIZE ? g->st->av.binmap[word] : 0;
}

void *
glibc_top(const struct glibc *g, size_t *size)
{
	struct gchunk	*t = g->st->av.top;

	if (t == unsorted(&g->st->av)) {	/* no heap yet */
		if (size != NULL)
			*size = 0;
		return NULL;
	}
	if (size != NULL)
		*size = chunksize(t);
	return t;
}

void *
glibc_last_remainder(const struct glibc *g)
{
	return g->st->av.last_remainder;
}

/* The size model-glibc.c gives main_arena in the memory map. */
_Static_assert(sizeof(struct garena) == 0x898,
    "struct malloc_state is 0x898 bytes in glibc 2.36 on x86-64");

void *
glibc_arena(const struct glibc *g)
{
	return &g->st->av;
}

struct stats_ctx {
	struct glibc_stats	*s;
};

static void
stats_one(void *ctx, const struct glibc_chunk *c)
{
	struct glibc_stats	*s = ctx;

	switch (c->state) {
	case GLIBC_CHUNK_FREE:
	case GLIBC_CHUNK_TOP:
		s->free += c->size;
		break;
	case GLIBC_CHUNK_INUSE:
	case GLIBC_CHUNK_MMAPPED:
	case GLIBC_CHUNK_TCACHE_STRUCT:
		s->inuse += c->size;
		break;
	default:
		break;
	}
}

void
glibc_stats(struct glibc *g, struct glibc_stats *s)
{
	memset(s, 0, sizeof *s);
	s->system_mem = g->st->av.system_mem;
	s->mmapped_mem = g->st->mp.mmapped_mem;
	glibc_walk(g, stats_one, s);
}

void
glibc_memory(const struct glibc *g, size_t *arena, size_t *mapped)
{
	*arena = g->st->av.system_mem;
	*mapped = g->st->mp.mmapped_mem;
}

#if defined(__clang__)
#pragma clang attribute pop
#endif
