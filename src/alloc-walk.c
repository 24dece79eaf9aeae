/*
 * alloc-walk.c -- looking inside the allocator: chunks, segments, bins,
 * top, dv and totals.
 *
 * Everything here reads the heap as it is, which may be damaged: the user
 * can write any bytes over any header.  Each size is checked against the
 * segment before it is followed, link walks are bounded, and nothing reads
 * outside memory the allocator obtained.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc-internal.h"

/* Classify a free chunk of size s by where its size says it belongs. */
static void
bin_of(const struct alloc *a, const struct chunk *p, size_t s,
    struct alloc_chunk *c)
{
	if (p == a->dv) {
		c->bin_kind = ALLOC_BIN_DV;
		c->bin = 0;
	} else if (is_small(s)) {
		c->bin_kind = ALLOC_BIN_SMALL;
		c->bin = (int)(s >> SMALL_SHIFT);
	} else {
		c->bin_kind = ALLOC_BIN_TREE;
		c->bin = (int)tree_index(s);
	}
}

static void
fill(struct alloc_chunk *c, const struct chunk *p, size_t size,
    enum alloc_chunk_state state)
{
	memset(c, 0, sizeof *c);
	c->addr = (void *)p;
	c->mem = ck_mem(p);
	c->size = size;
	c->prev_foot = load_word(p);
	c->head = load_word((const char *)p + WORD);
	c->state = state;
}

/* Is p where segment i's record chunk (of an older segment) sits? */
static bool
is_record_chunk(const struct alloc *a, size_t i, const struct chunk *p)
{
	const struct segrec	*r = a->segs[i].rec;

	return r != NULL && (const char *)r - 2 * WORD == (const char *)p;
}

/*
 * Walk segment si from chunk q (its first chunk, or one a walk of it
 * reported) to its end, or until *budget chunks were reported.  Returns
 * false when the budget ran out.
 */
static bool
walk_segment(struct alloc *a, size_t si, struct chunk *q, size_t *budget,
    void (*fn)(void *, const struct alloc_chunk *), void *ctx)
{
	const struct seg	*s = &a->segs[si];
	char			*end = s->base + s->size;
	struct chunk		*after_top = NULL;
	struct alloc_chunk	 c;

	/* What follows top up to the segment's end is one fence. */
	if (a->top != NULL && (char *)a->top >= s->base &&
	    (char *)a->top < end && a->topsize <= (size_t)(end -
	    (char *)a->top))
		after_top = ck_at(a->top, a->topsize);
	while ((char *)q + 2 * WORD <= end) {
		size_t	sz;

		if (*budget == 0)
			return false;
		(*budget)--;

		if (q == a->top) {
			fill(&c, q, a->topsize, ALLOC_CHUNK_TOP);
			c.bin_kind = ALLOC_BIN_TOP;
			fn(ctx, &c);
			if (after_top == NULL)
				return true;
			q = after_top;
			if ((char *)q >= end)
				return true;
			if (*budget == 0)
				return false;
			(*budget)--;
		}
		if (q == after_top || is_record_chunk(a, si, q) ||
		    q->head == FENCE_HEAD) {
			fill(&c, q, (size_t)(end - (char *)q),
			    ALLOC_CHUNK_FENCE);
			fn(ctx, &c);
			return true;
		}
		sz = ck_size(q);
		if (sz < MIN_CHUNK || (sz & ALIGN_MASK) != 0 ||
		    sz > (size_t)(end - (char *)q) - 2 * WORD ||
		    (a->top != NULL && (char *)q < (char *)a->top &&
		    sz > (size_t)((char *)a->top - (char *)q))) {
			fill(&c, q, (size_t)(end - (char *)q),
			    ALLOC_CHUNK_DAMAGED);
			fn(ctx, &c);
			return true;
		}
		if (ck_cinuse(q))
			fill(&c, q, sz, ALLOC_CHUNK_INUSE);
		else if (ck_mmapped(q)) {
			/* Both bits clear: not something the heap holds. */
			fill(&c, q, (size_t)(end - (char *)q),
			    ALLOC_CHUNK_DAMAGED);
			fn(ctx, &c);
			return true;
		} else {
			fill(&c, q, sz, ALLOC_CHUNK_FREE);
			bin_of(a, q, sz, &c);
			c.fd = q->fd;
			c.bk = q->bk;
		}
		fn(ctx, &c);
		q = ck_at(q, sz);
	}
	return true;
}

/* The mapped chunks from the i-th (in address order) on. */
static void
walk_mmapped(struct alloc *a, size_t i, size_t *budget,
    void (*fn)(void *, const struct alloc_chunk *), void *ctx)
{
	for (; i < a->nmm && *budget > 0; i++) {
		const struct mmchunk	*m = &a->mm[i];
		struct alloc_chunk	 c;
		size_t			 sz = ck_size(m->p);

		(*budget)--;
		if (ck_mmapped(m->p) && m->p->prev_foot ==
		    (size_t)((char *)m->p - m->map) &&
		    sz + m->p->prev_foot + MMAP_FOOT_PAD == m->len)
			fill(&c, m->p, sz, ALLOC_CHUNK_MMAPPED);
		else
			fill(&c, m->p, m->len - (size_t)((char *)m->p -
			    m->map), ALLOC_CHUNK_DAMAGED);
		fn(ctx, &c);
	}
}

void
alloc_walk(struct alloc *a, void (*fn)(void *, const struct alloc_chunk *),
    void *ctx)
{
	size_t		*order, i, j, budget = SIZE_MAX;

	/* Segments in address order. */
	order = calloc(a->nsegs ? a->nsegs : 1, sizeof *order);
	if (order == NULL)
		abort();
	for (i = 0; i < a->nsegs; i++) {
		for (j = i; j > 0 && a->segs[order[j - 1]].base >
		    a->segs[i].base; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (i = 0; i < a->nsegs; i++)
		walk_segment(a, order[i], align_chunk(a->segs[order[i]].base),
		    &budget, fn, ctx);
	free(order);
	walk_mmapped(a, 0, &budget, fn, ctx);
}

size_t
alloc_walk_mmapped(struct alloc *a,
    void (*fn)(void *, const struct alloc_chunk *), void *ctx)
{
	size_t	budget = SIZE_MAX;

	walk_mmapped(a, 0, &budget, fn, ctx);
	return a->nmm;
}

/*
 * The walk from a chunk on: the chunks alloc_walk reports from the one at
 * p (host address) on, in the same order and with the same contents, at
 * most max of them.  p must be a chunk a walk reported: the start of a
 * chunk in a segment, or a mapped chunk.  Given an address inside a chunk
 * the walk still stays in memory the source mapped (sizes are checked as
 * in alloc_walk), but what it reports is then meaningless.  Returns how
 * many chunks it reported; 0 if p is in no segment and no mapped chunk.
 */
size_t
alloc_walk_from(struct alloc *a, const void *p, size_t max,
    void (*fn)(void *, const struct alloc_chunk *), void *ctx)
{
	const struct mmchunk	*m;
	const struct seg	*s;
	size_t			 budget = max, i, k;

	if ((m = alloc_mm_of(a, p)) != NULL) {
		walk_mmapped(a, (size_t)(m - a->mm), &budget, fn, ctx);
		return max - budget;
	}
	if ((s = alloc_seg_of(a, p, 2 * WORD)) == NULL)
		return 0;
	i = (size_t)(s - a->segs);
	if (!walk_segment(a, i, (struct chunk *)p, &budget, fn, ctx))
		return max - budget;
	/* The segments above this one, in address order, then mmapped. */
	for (;;) {
		const struct seg	*next = NULL;

		for (k = 0; k < a->nsegs; k++)
			if (a->segs[k].base > s->base && (next == NULL ||
			    a->segs[k].base < next->base))
				next = &a->segs[k];
		if (next == NULL)
			break;
		s = next;
		if (!walk_segment(a, (size_t)(s - a->segs),
		    align_chunk(s->base), &budget, fn, ctx))
			return max - budget;
	}
	walk_mmapped(a, 0, &budget, fn, ctx);
	return max - budget;
}

size_t
alloc_segments(struct alloc *a, struct alloc_segment *out, size_t max)
{
	size_t	i, j, n = 0;

	/* In address order, for the views. */
	for (i = 0; i < a->nsegs; i++) {
		if (n < max) {
			for (j = n; j > 0 && (char *)out[j - 1].base >
			    a->segs[i].base; j--)
				out[j] = out[j - 1];
			out[j].base = a->segs[i].base;
			out[j].size = a->segs[i].size;
		}
		n++;
	}
	return n;
}

/* An upper bound on how many chunks the heap can hold: bounds link walks. */
static size_t
max_chunks(const struct alloc *a)
{
	size_t	i, total = 0;

	for (i = 0; i < a->nsegs; i++)
		total += a->segs[i].size;
	return total / MIN_CHUNK + 2;
}

static bool
readable(const struct alloc *a, const void *p, size_t len)
{
	return ((uintptr_t)p & ALIGN_MASK) == 0 && alloc_seg_of(a, p, len);
}

struct tnode_list {
	struct tchunk	**v;
	size_t		  n, cap;
};

static void
tlist_add(struct tnode_list *l, struct tchunk *t)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (l->v == NULL)
			abort();
	}
	l->v[l->n++] = t;
}

/* The chunks a walk has met: a damaged tree may reach one by many paths. */
struct seen {
	const void	**v;
	size_t		  cap, n;
};

/* Add p; false if it was there already. */
static bool
seen_add(struct seen *s, const void *p)
{
	size_t	i;

	if (2 * (s->n + 1) > s->cap) {
		struct seen	t = { NULL, s->cap ? s->cap * 2 : 64, 0 };

		t.v = calloc(t.cap, sizeof *t.v);
		if (t.v == NULL)
			abort();
		for (i = 0; i < s->cap; i++)
			if (s->v[i] != NULL)
				seen_add(&t, s->v[i]);
		free(s->v);
		*s = t;
	}
	i = (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ULL) & (s->cap - 1);
	for (; s->v[i] != NULL; i = (i + 1) & (s->cap - 1))
		if (s->v[i] == p)
			return false;
	s->v[i] = p;
	s->n++;
	return true;
}

/*
 * Collect a tree bin's chunks: each node, then its ring in bk order.
 * A damaged tree may loop: a ring that misses its node stops where it
 * comes round (Brent's check), and no path goes deeper than a trie of
 * 64-bit keys can (with the ring, the tree's index array holds the depth).
 */
#define TREE_DEPTH_MAX	130
static void
collect_tree(const struct alloc *a, struct tchunk *root,
    struct tnode_list *out, size_t limit)
{
	struct tnode_list	stack = { NULL, 0, 0 };
	struct tnode_list	depth = { NULL, 0, 0 };
	struct seen		seen = { NULL, 0, 0 };

	if (root == NULL)
		return;
	tlist_add(&stack, root);
	tlist_add(&depth, NULL);
	while (stack.n > 0 && out->n < limit) {
		struct tchunk	*t = stack.v[--stack.n], *u, *mark = NULL;
		size_t		 d = (size_t)(uintptr_t)depth.v[--depth.n];
		size_t		 ring = 0, power = 1, lam = 0;

		/* Each chunk once, however many links lead to it. */
		if (!readable(a, t, sizeof *t) || d > TREE_DEPTH_MAX ||
		    !seen_add(&seen, t))
			continue;
		tlist_add(out, t);
		for (u = t->bk; u != t && out->n < limit && ring < limit;
		    u = u->bk, ring++) {
			if (!readable(a, u, sizeof *u) || u == mark ||
			    !seen_add(&seen, u))
				break;
			tlist_add(out, u);
			if (++lam == power) {
				mark = u;
				power *= 2;
				lam = 0;
			}
		}
		if (t->child[1] != NULL) {
			tlist_add(&stack, t->child[1]);
			tlist_add(&depth, (struct tchunk *)(uintptr_t)(d + 1));
		}
		if (t->child[0] != NULL) {
			tlist_add(&stack, t->child[0]);
			tlist_add(&depth, (struct tchunk *)(uintptr_t)(d + 1));
		}
	}
	free(stack.v);
	free(depth.v);
	free(seen.v);
}

/* Sort key: size, then the order collected (a stable sort by size). */
struct tsorted {
	struct tchunk	*t;
	size_t		 size, pos;
};

static int
by_size_pos(const void *x, const void *y)
{
	const struct tsorted	*a = x, *b = y;

	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

size_t
alloc_bin_chunks(struct alloc *a, enum alloc_bin_kind kind, int bin,
    void **out, size_t max)
{
	size_t	n = 0, limit = max_chunks(a);

	switch (kind) {
	case ALLOC_BIN_SMALL: {
		struct chunk	*b, *p, *mark = NULL;
		size_t		 power = 1, lam = 0;

		if (bin < 0 || bin >= ALLOC_NSMALLBINS ||
		    !((a->smallmap >> bin) & 1))
			return 0;
		b = &a->sbin[bin];
		/*
		 * A double free with checks off links a chunk to itself:
		 * stop where the list comes round again (Brent's cycle
		 * check), so the loop is listed once, not `limit` times.
		 */
		for (p = b->fd; p != b && n < limit; p = p->fd) {
			if (!readable(a, p, sizeof *p) || p == mark)
				break;
			if (n < max)
				out[n] = p;
			n++;
			if (++lam == power) {
				mark = p;
				power *= 2;
				lam = 0;
			}
		}
		return n;
	}
	case ALLOC_BIN_TREE: {
		struct tnode_list	l = { NULL, 0, 0 };
		size_t			i;

		if (bin < 0 || bin >= ALLOC_NTREEBINS ||
		    !((a->treemap >> bin) & 1))
			return 0;
		collect_tree(a, a->tbin[bin], &l, limit);
		/*
		 * Reuse goes smallest first; equal sizes keep ring order.
		 * qsort on (size, position): a damaged tree can yield up to
		 * `limit` entries, too many for an insertion sort.
		 */
		if (l.n > 1) {
			struct tsorted	*v = calloc(l.n, sizeof *v);

			if (v == NULL)
				abort();
			for (i = 0; i < l.n; i++) {
				v[i].t = l.v[i];
				v[i].size = ck_size((struct chunk *)l.v[i]);
				v[i].pos = i;
			}
			qsort(v, l.n, sizeof *v, by_size_pos);
			for (i = 0; i < l.n; i++)
				l.v[i] = v[i].t;
			free(v);
		}
		for (i = 0; i < l.n; i++)
			if (i < max)
				out[i] = l.v[i];
		n = l.n;
		free(l.v);
		return n;
	}
	case ALLOC_BIN_DV:
		if (a->dvsize == 0)
			return 0;
		if (max > 0)
			out[0] = a->dv;
		return 1;
	case ALLOC_BIN_TOP:
		if (a->top == NULL)
			return 0;
		if (max > 0)
			out[0] = a->top;
		return 1;
	default:
		return 0;
	}
}

size_t
alloc_bin_chunks_from(struct alloc *a, enum alloc_bin_kind kind, int bin,
    size_t skip, size_t count, void **out, size_t max)
{
	void	**all;
	size_t	  n, i, got = 0;

	if (kind == ALLOC_BIN_SMALL) {
		struct chunk	*b, *p, *mark = NULL;
		size_t		 power = 1, lam = 0, limit = max_chunks(a);

		if (bin < 0 || bin >= ALLOC_NSMALLBINS ||
		    !((a->smallmap >> bin) & 1))
			return 0;
		if (count > 0 && skip >= count)
			return 0;
		if (count > 0 && skip > count / 2) {
			/*
			 * Nearer the end: from the back along bk (a small
			 * bin is a ring), then turned round.  Only for a
			 * caller that knows the count, so a sound bin.
			 */
			size_t	hi = skip + max < count ? skip + max : count;

			b = &a->sbin[bin];
			n = count;
			for (p = b->bk; p != b && n > skip; p = p->bk) {
				if (!readable(a, p, sizeof *p))
					break;
				n--;
				if (n < hi)
					out[got++] = p;
			}
			for (i = 0; i < got / 2; i++) {
				void	*x = out[i];

				out[i] = out[got - 1 - i];
				out[got - 1 - i] = x;
			}
			return got;
		}
		/* As alloc_bin_chunks walks it, stopping once out is full. */
		b = &a->sbin[bin];
		n = 0;
		for (p = b->fd; p != b && n < limit && got < max; p = p->fd) {
			if (!readable(a, p, sizeof *p) || p == mark)
				break;
			if (n >= skip)
				out[got++] = p;
			n++;
			if (++lam == power) {
				mark = p;
				power *= 2;
				lam = 0;
			}
		}
		return got;
	}
	/* A tree bin is listed by size: it has to be collected whole. */
	n = alloc_bin_chunks(a, kind, bin, NULL, 0);
	if (n <= skip)
		return 0;
	all = calloc(n, sizeof *all);
	if (all == NULL)
		abort();
	n = alloc_bin_chunks(a, kind, bin, all, n);
	for (i = skip; i < n && got < max; i++)
		out[got++] = all[i];
	free(all);
	return got;
}

uint32_t
alloc_smallmap(const struct alloc *a)
{
	return a->smallmap;
}

uint32_t
alloc_treemap(const struct alloc *a)
{
	return a->treemap;
}

void *
alloc_top(const struct alloc *a, size_t *size)
{
	if (size != NULL)
		*size = a->top != NULL ? a->topsize : 0;
	return a->top;
}

void *
alloc_dv(const struct alloc *a, size_t *size)
{
	if (size != NULL)
		*size = a->dvsize;
	return a->dvsize != 0 ? a->dv : NULL;
}

struct stats_acc {
	size_t	inuse, free;
};

static void
stats_cb(void *ctx, const struct alloc_chunk *c)
{
	struct stats_acc	*s = ctx;

	switch (c->state) {
	case ALLOC_CHUNK_INUSE:
	case ALLOC_CHUNK_MMAPPED:
		s->inuse += c->size;
		break;
	case ALLOC_CHUNK_FREE:
	case ALLOC_CHUNK_TOP:
		s->free += c->size;
		break;
	default:
		break;
	}
}

void
alloc_stats(struct alloc *a, struct alloc_stats *st)
{
	struct stats_acc	acc = { 0, 0 };

	alloc_walk(a, stats_cb, &acc);
	st->footprint = a->footprint;
	st->max_footprint = a->max_footprint;
	st->inuse = acc.inuse;
	st->free = acc.free;
}
