/*
 * alloc-check.c -- the allocator's invariants, restated as code.
 *
 * The head comment of alloc.c states them in prose; here each one is
 * tested and every breach becomes one line of text.  The checker never
 * aborts and never reads outside memory the allocator obtained: it trusts
 * only the host-side records of segments and mappings, and checks every
 * size and link it takes from the heap before following it.  Chunks are
 * named by segment and offset, never by host address.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-internal.h"
#include "memsrc.h"

struct ck {
	struct alloc	 *a;
	char		(*out)[160];
	size_t		  max, n;
	/* Chunks seen in bins: pointer and bin, sorted for lookups. */
	struct member {
		const void		*p;
		enum alloc_bin_kind	 kind;
		int			 bin;
	}		 *mem;
	size_t		  nmem, capmem;
	size_t		  limit;
	/* Tree nodes met, hashed: a damaged tree may share a child. */
	const void	**seen;
	size_t		  capseen, nseen;
};

/* Add tree node p to the nodes met; false if it was met already. */
static bool
seen_add(struct ck *k, const void *p)
{
	size_t	i;

	if (2 * (k->nseen + 1) > k->capseen) {
		const void	**old = k->seen;
		size_t		  oldcap = k->capseen;

		k->capseen = oldcap ? oldcap * 2 : 64;
		k->seen = calloc(k->capseen, sizeof *k->seen);
		if (k->seen == NULL)
			abort();
		k->nseen = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i] != NULL)
				seen_add(k, old[i]);
		free(old);
	}
	i = (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ULL) &
	    (k->capseen - 1);
	for (; k->seen[i] != NULL; i = (i + 1) & (k->capseen - 1))
		if (k->seen[i] == p)
			return false;
	k->seen[i] = p;
	k->nseen++;
	return true;
}

static void __attribute__((format(printf, 2, 3)))
bad(struct ck *k, const char *fmt, ...)
{
	va_list	ap;

	if (k->n < k->max) {
		va_start(ap, fmt);
		vsnprintf(k->out[k->n], sizeof k->out[k->n], fmt, ap);
		va_end(ap);
	}
	k->n++;
}

/* A place as the user sees it: its display address from the source. */
static const char *
where(struct ck *k, const void *p, char *buf, size_t len)
{
	uint64_t	disp = memsrc_to_display(k->a->src, p);

	if (disp != 0)
		snprintf(buf, len, "0x%llx", (unsigned long long)disp);
	else
		snprintf(buf, len, "an address outside the heap");
	return buf;
}

#define AT(p) where(k, (p), wbuf, sizeof wbuf)

static bool
in_heap(const struct ck *k, const void *p, size_t len)
{
	return ((uintptr_t)p & ALIGN_MASK) == 0 &&
	    alloc_seg_of(k->a, p, len) != NULL;
}

static void
add_member(struct ck *k, const void *p, enum alloc_bin_kind kind, int bin)
{
	if (k->nmem == k->capmem) {
		k->capmem = k->capmem ? k->capmem * 2 : 256;
		k->mem = realloc(k->mem, k->capmem * sizeof *k->mem);
		if (k->mem == NULL)
			abort();
	}
	k->mem[k->nmem].p = p;
	k->mem[k->nmem].kind = kind;
	k->mem[k->nmem].bin = bin;
	k->nmem++;
}

static int
by_ptr(const void *x, const void *y)
{
	uintptr_t	a = (uintptr_t)((const struct member *)x)->p;
	uintptr_t	b = (uintptr_t)((const struct member *)y)->p;

	return a < b ? -1 : a > b;
}

static const struct member *
find_member(const struct ck *k, const void *p)
{
	size_t	lo = 0, hi = k->nmem;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;

		if ((uintptr_t)k->mem[mid].p < (uintptr_t)p)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < k->nmem && k->mem[lo].p == p)
		return &k->mem[lo];
	return NULL;
}

/* A free chunk as its bin holds it: claims to be free, links agree. */
static bool
check_binned(struct ck *k, const struct chunk *p, const char *bin)
{
	char	wbuf[64];
	size_t	s = ck_size(p);

	if (!ck_pinuse(p) || ck_cinuse(p)) {
		bad(k, "%s: chunk at %s has head 0x%zx, not a free chunk "
		    "after an in-use one", bin, AT(p), p->head);
		return false;
	}
	if (s < MIN_CHUNK || (s & ALIGN_MASK) != 0 || s > HALF_MAX ||
	    !in_heap(k, p, s + 2 * WORD)) {
		bad(k, "%s: chunk at %s has size %zu, which does not fit",
		    bin, AT(p), s);
		return false;
	}
	return true;
}

static void
check_smallbins(struct ck *k)
{
	struct alloc	*a = k->a;
	char		 wbuf[64], name[32];
	unsigned	 i;

	for (i = 0; i < ALLOC_NSMALLBINS; i++) {
		struct chunk	*b = &a->sbin[i], *p, *prev = b, *mark = NULL;
		size_t		 n = 0, power = 1, lam = 0;
		bool		 marked = (a->smallmap >> i) & 1;

		snprintf(name, sizeof name, "small bin %u", i);
		if (!marked)
			continue;
		if (i < MIN_CHUNK >> SMALL_SHIFT)
			bad(k, "%s: marked, but no chunk is that small", name);
		if (b->fd == b) {
			bad(k, "%s: marked in the small map but empty", name);
			continue;
		}
		for (p = b->fd; p != b; prev = p, p = p->fd) {
			/*
			 * A cycle that misses the bin (a double free with
			 * checks off links a chunk to itself) is found when
			 * the walk meets Brent's mark again: once, not after
			 * `limit` chunks of violations.
			 */
			if (++n > k->limit || p == mark) {
				bad(k, "%s: the list does not come back to "
				    "the bin (a cycle)", name);
				break;
			}
			if (++lam == power) {
				mark = p;
				power *= 2;
				lam = 0;
			}
			if (!in_heap(k, p, sizeof *p)) {
				bad(k, "%s: a link leads to %s", name, AT(p));
				break;
			}
			if (p->bk != prev)
				bad(k, "%s: chunk at %s: bk does not point to "
				    "the chunk before it", name, AT(p));
			if (!check_binned(k, p, name))
				break;
			if (ck_size(p) != (size_t)i << SMALL_SHIFT)
				bad(k, "%s: chunk at %s has size %zu, not %u",
				    name, AT(p), ck_size(p), i << SMALL_SHIFT);
			add_member(k, p, ALLOC_BIN_SMALL, (int)i);
		}
		if (p == b && b->bk != prev)
			bad(k, "%s: the bin's bk is not its last chunk", name);
	}
}

/* Bit d (from the top) of size in tree bin i's key. */
static unsigned
key_bit(size_t size, unsigned i, unsigned d)
{
	size_t	key = size << tree_shift(i);

	return d >= 64 ? 0 : (unsigned)((key << d) >> 63);
}

static void
check_tree(struct ck *k, struct tchunk *t, unsigned i, struct tchunk *parent,
    unsigned depth, size_t prefix, size_t *count)
{
	char		 wbuf[64], name[32];
	struct tchunk	*u;
	size_t		 tsize, ring = 0;
	unsigned	 d, side;

	snprintf(name, sizeof name, "tree bin %u", i);
	if (depth > 64 || ++*count > k->limit) {
		bad(k, "%s: the tree is too deep or has a cycle", name);
		return;
	}
	if (!in_heap(k, t, sizeof *t)) {
		bad(k, "%s: a tree link leads to %s", name, AT(t));
		return;
	}
	/* Followed once: shared children would multiply the paths. */
	if (!seen_add(k, t)) {
		bad(k, "%s: chunk at %s is reached by two tree links", name,
		    AT(t));
		return;
	}
	if (!check_binned(k, (struct chunk *)t, name))
		return;
	tsize = ck_size((struct chunk *)t);
	if (tree_index(tsize) != i || tsize < MIN_LARGE)
		bad(k, "%s: chunk at %s of %zu bytes belongs in tree bin %u",
		    name, AT(t), tsize, tree_index(tsize));
	for (d = 0; d < depth; d++)
		if (key_bit(tsize, i, d) != ((prefix >> (63 - d)) & 1)) {
			bad(k, "%s: chunk at %s of %zu bytes is on the wrong "
			    "side of the tree at depth %u", name, AT(t), tsize,
			    d);
			break;
		}
	if (t->parent != parent)
		bad(k, "%s: chunk at %s: parent link is wrong", name, AT(t));
	/* The ring of equal sizes. */
	u = t;
	do {
		if (!in_heap(k, u, sizeof *u)) {
			bad(k, "%s: a ring link leads to %s", name, AT(u));
			break;
		}
		if (u != t) {
			if (!check_binned(k, (struct chunk *)u, name))
				break;
			if (u->parent != NULL)
				bad(k, "%s: chunk at %s is in a ring but has a "
				    "parent", name, AT(u));
			if (ck_size((struct chunk *)u) != tsize)
				bad(k, "%s: chunk at %s of %zu bytes is in the "
				    "ring of %zu-byte chunks", name, AT(u),
				    ck_size((struct chunk *)u), tsize);
		}
		if (u->index != i)
			bad(k, "%s: chunk at %s has index %u", name, AT(u),
			    u->index);
		if (!in_heap(k, u->fd, sizeof *u) || u->fd->bk != u) {
			bad(k, "%s: chunk at %s: fd->bk does not come back",
			    name, AT(u));
			break;
		}
		if (!in_heap(k, u->bk, sizeof *u) || u->bk->fd != u) {
			bad(k, "%s: chunk at %s: bk->fd does not come back",
			    name, AT(u));
			break;
		}
		add_member(k, u, ALLOC_BIN_TREE, (int)i);
		u = u->fd;
		if (++ring > k->limit) {
			bad(k, "%s: a ring does not close", name);
			break;
		}
	} while (u != t);
	for (side = 0; side < 2; side++) {
		struct tchunk	*c = t->child[side];

		if (c == NULL)
			continue;
		if (c == t) {
			bad(k, "%s: chunk at %s is its own child", name, AT(t));
			continue;
		}
		/* Past 64 levels (a damaged tree) there is no key bit. */
		check_tree(k, c, i, t, depth + 1, depth < 64 ?
		    prefix | ((size_t)side << (63 - depth)) : prefix, count);
	}
	if (t->child[0] != NULL && t->child[1] != NULL &&
	    in_heap(k, t->child[0], sizeof *t) &&
	    in_heap(k, t->child[1], sizeof *t) &&
	    ck_size((struct chunk *)t->child[0]) >=
	    ck_size((struct chunk *)t->child[1]))
		bad(k, "%s: chunk at %s: left child not smaller than right",
		    name, AT(t));
}

static void
check_treebins(struct ck *k)
{
	struct alloc	*a = k->a;
	unsigned	 i;

	for (i = 0; i < ALLOC_NTREEBINS; i++) {
		bool	marked = (a->treemap >> i) & 1;
		size_t	count = 0;

		if (!marked && a->tbin[i] != NULL)
			bad(k, "tree bin %u: not marked in the tree map but "
			    "holds a tree", i);
		if (marked && a->tbin[i] == NULL)
			bad(k, "tree bin %u: marked in the tree map but empty",
			    i);
		if (marked && a->tbin[i] != NULL)
			check_tree(k, a->tbin[i], i,
			    (struct tchunk *)&a->tbin[i], 0, 0, &count);
	}
}

static void
check_records(struct ck *k)
{
	struct alloc	*a = k->a;
	char		 wbuf[64];
	size_t		 i, j;

	for (i = 0; i < a->nsegs; i++) {
		const struct seg	*s = &a->segs[i];
		const struct segrec	*r = s->rec;

		if (s->size == 0)
			bad(k, "segment %zu: empty", i);
		for (j = 0; j < a->nsegs; j++)
			if (j != i && a->segs[j].base < s->base + s->size &&
			    s->base < a->segs[j].base + a->segs[j].size)
				bad(k, "segments %zu and %zu overlap", i, j);
		for (j = 0; j < a->nmm; j++)
			if (a->mm[j].map < s->base + s->size &&
			    s->base < a->mm[j].map + a->mm[j].len)
				bad(k, "segment %zu overlaps mapping %zu", i, j);
		if (a->least_addr != NULL && s->base < a->least_addr)
			bad(k, "segment %zu lies below least_addr", i);
		if (i == 0) {
			if (r != NULL)
				bad(k, "segment 0 should have no record");
			continue;
		}
		if (r == NULL || !in_heap(k, r, sizeof *r) ||
		    alloc_seg_of(a, r, sizeof *r) != s) {
			bad(k, "segment %zu: its record is not inside it", i);
			continue;
		}
		if (r->base != s->base || r->size != s->size ||
		    r->sflags != s->sflags)
			bad(k, "segment %zu: the record at %s says base/size/"
			    "flags other than the segment's", i, AT(r));
		if (r->next != (i + 1 < a->nsegs ? a->segs[i + 1].rec : NULL))
			bad(k, "segment %zu: the record's next link is wrong", i);
		if (((const struct chunk *)((const char *)r - 2 * WORD))->head !=
		    (SEGREC_SIZE | CINUSE) &&
		    ((const struct chunk *)((const char *)r - 2 * WORD))->head !=
		    (SEGREC_SIZE | CINUSE | PINUSE))
			bad(k, "segment %zu: the record's chunk head is wrong",
			    i);
	}
}

static void
check_segment(struct ck *k, size_t si, bool *saw_top, bool *saw_dv)
{
	struct alloc		*a = k->a;
	const struct seg	*s = &a->segs[si];
	char			*end = s->base + s->size;
	struct chunk		*q = align_chunk(s->base);
	struct chunk		*last = NULL;
	char			 wbuf[64];
	const char		*rec = s->rec ? (const char *)s->rec - 2 * WORD :
	    NULL;

	if ((char *)q + 2 * WORD <= end && !ck_pinuse(q))
		bad(k, "segment %zu: the first chunk has PINUSE clear", si);
	while ((char *)q + 2 * WORD <= end) {
		size_t			 sz;
		const struct member	*m;

		if (q == a->top) {
			char	*tend;

			*saw_top = true;
			if (si != 0)
				bad(k, "top is not in the newest segment");
			if (top_head_size(q) != (a->topsize & ~INUSE_BITS))
				bad(k, "top at %s: head says %zu bytes, top "
				    "size is %zu", AT(q), top_head_size(q),
				    a->topsize);
			if (!ck_pinuse(q))
				bad(k, "top at %s has PINUSE clear", AT(q));
			if (last != NULL && !ck_cinuse(last))
				bad(k, "top at %s follows a free chunk", AT(q));
			if (a->topsize > (size_t)(end - (char *)q)) {
				bad(k, "top at %s runs past its segment",
				    AT(q));
				return;
			}
			tend = (char *)q + a->topsize;
			/*
			 * TOP_FOOT bytes close a segment, and up to 15 more
			 * where its end is misaligned (see init_top).
			 */
			if ((size_t)(end - tend) < TOP_FOOT ||
			    (size_t)(end - tend) >= TOP_FOOT + ALLOC_ALIGN)
				bad(k, "top at %s is not followed by %zu to "
				    "%zu bytes to the segment end", AT(q),
				    TOP_FOOT, TOP_FOOT + ALLOC_ALIGN - 1);
			else if (load_word(tend + WORD) & PINUSE)
				bad(k, "the foot after top has PINUSE set");
			if (find_member(k, q))
				bad(k, "top is in a bin");
			return;
		}
		if ((const char *)q == rec) {
			struct chunk	*f = ck_at(q, SEGREC_SIZE);

			if (last != NULL && !ck_cinuse(last) &&
			    ck_pinuse(q))
				bad(k, "segment %zu: record chunk has PINUSE "
				    "set after a free chunk", si);
			for (; (char *)&f->head + WORD <= end;
			    f = ck_at(f, WORD))
				if (f->head != FENCE_HEAD) {
					bad(k, "segment %zu: fencepost at %s "
					    "is 0x%zx", si, AT(f), f->head);
					break;
				}
			return;
		}
		sz = ck_size(q);
		if (sz < MIN_CHUNK || (sz & ALIGN_MASK) != 0 ||
		    sz > (size_t)(end - (char *)q) - 2 * WORD) {
			bad(k, "chunk at %s: size %zu does not fit its "
			    "segment (damaged header 0x%zx)", AT(q), sz,
			    q->head);
			return;
		}
		if (q->head & FLAG4)
			bad(k, "chunk at %s: FLAG4 is set", AT(q));
		m = find_member(k, q);
		if (ck_mmapped(q)) {
			bad(k, "chunk at %s in the heap has both INUSE bits "
			    "clear", AT(q));
		} else if (ck_cinuse(q)) {
			if (m != NULL)
				bad(k, "in-use chunk at %s is in a bin", AT(q));
			if (q == a->dv)
				bad(k, "the dv at %s is marked in use", AT(q));
			if (!ck_pinuse(ck_at(q, sz)))
				bad(k, "in-use chunk at %s: next chunk has "
				    "PINUSE clear", AT(q));
		} else {
			struct chunk	*n = ck_at(q, sz);

			if (last != NULL && !ck_cinuse(last))
				bad(k, "free chunks at %s and %s are "
				    "neighbours", where(k, last, wbuf,
				    sizeof wbuf), AT(q));
			if (n->prev_foot != sz)
				bad(k, "free chunk at %s of %zu bytes: footer "
				    "says %zu", AT(q), sz, n->prev_foot);
			if (ck_pinuse(n))
				bad(k, "free chunk at %s: next chunk has "
				    "PINUSE set", AT(q));
			if (q == a->dv) {
				*saw_dv = true;
				if (m != NULL)
					bad(k, "the dv at %s is also in a bin",
					    AT(q));
				if (sz != a->dvsize)
					bad(k, "the dv at %s: head says %zu, dv "
					    "size is %zu", AT(q), sz,
					    a->dvsize);
			} else if (m == NULL)
				bad(k, "free chunk at %s of %zu bytes is in no "
				    "bin", AT(q), sz);
			else if (is_small(sz) ? (m->kind != ALLOC_BIN_SMALL ||
			    m->bin != (int)(sz >> SMALL_SHIFT)) :
			    (m->kind != ALLOC_BIN_TREE ||
			    m->bin != (int)tree_index(sz)))
				bad(k, "free chunk at %s of %zu bytes is in "
				    "the wrong bin", AT(q), sz);
		}
		if (!ck_pinuse(q) && (last == NULL || ck_cinuse(last)))
			bad(k, "chunk at %s has PINUSE clear after an in-use "
			    "chunk", AT(q));
		if (ck_pinuse(q) && last != NULL && !ck_cinuse(last))
			bad(k, "chunk at %s has PINUSE set after a free chunk",
			    AT(q));
		if (!ck_pinuse(q) && last != NULL &&
		    q->prev_foot != ck_size(last))
			bad(k, "chunk at %s: prev_foot %zu but the chunk "
			    "before has %zu bytes", AT(q), q->prev_foot,
			    ck_size(last));
		last = q;
		q = ck_at(q, sz);
	}
	if (si == 0 && a->top != NULL)
		bad(k, "segment 0 ends without reaching top");
	else if (si != 0)
		bad(k, "segment %zu ends without its record", si);
}

static void
check_mapped(struct ck *k)
{
	struct alloc	*a = k->a;
	size_t		 i;

	for (i = 0; i < a->nmm; i++) {
		const struct mmchunk	*m = &a->mm[i];
		const struct chunk	*p = m->p;
		size_t			 sz, off = (size_t)((char *)p - m->map);

		if (i > 0 && a->mm[i - 1].map + a->mm[i - 1].len > m->map)
			bad(k, "mappings %zu and %zu overlap", i - 1, i);
		if ((m->len & (a->page_size - 1)) != 0)
			bad(k, "mapping %zu: length is not whole pages", i);
		if (!ck_mmapped(p)) {
			bad(k, "mapping %zu: chunk head 0x%zx should have both "
			    "INUSE bits clear", i, p->head);
			continue;
		}
		sz = ck_size(p);
		if (p->prev_foot != off)
			bad(k, "mapping %zu: prev_foot %zu should be the "
			    "offset %zu", i, p->prev_foot, off);
		if (sz + off + MMAP_FOOT_PAD != m->len) {
			bad(k, "mapping %zu: chunk size %zu does not match the "
			    "mapping", i, sz);
			continue;
		}
		if (is_small(sz))
			bad(k, "mapping %zu: chunk of %zu bytes is small", i,
			    sz);
		if (ck_at(p, sz)->head != FENCE_HEAD ||
		    ck_at(p, sz + WORD)->head != 0)
			bad(k, "mapping %zu: the trailing fenceposts are wrong",
			    i);
	}
}

size_t
alloc_check(struct alloc *a, char (*out)[160], size_t max)
{
	struct ck	k;
	size_t		i, total = 0;
	bool		saw_top = false, saw_dv = false;

	memset(&k, 0, sizeof k);
	k.a = a;
	k.out = out;
	k.max = max;
	for (i = 0; i < a->nsegs; i++)
		total += a->segs[i].size;
	k.limit = total / MIN_CHUNK + 2;

	check_smallbins(&k);
	check_treebins(&k);
	if (k.nmem > 1)
		qsort(k.mem, k.nmem, sizeof *k.mem, by_ptr);
	for (i = 1; i < k.nmem; i++)
		if (k.mem[i].p == k.mem[i - 1].p)
			bad(&k, "a chunk is in bins twice (%s %d and %s %d)",
			    k.mem[i - 1].kind == ALLOC_BIN_SMALL ? "small" :
			    "tree", k.mem[i - 1].bin,
			    k.mem[i].kind == ALLOC_BIN_SMALL ? "small" : "tree",
			    k.mem[i].bin);
	if (a->dvsize != 0) {
		if (a->dv == NULL || !in_heap(&k, a->dv, 2 * WORD))
			bad(&k, "the dv is not in the heap");
		else if (a->dvsize < MIN_CHUNK)
			bad(&k, "the dv is smaller than a chunk");
	}
	check_records(&k);
	for (i = 0; i < a->nsegs; i++)
		check_segment(&k, i, &saw_top, &saw_dv);
	if (a->top != NULL && !saw_top)
		bad(&k, "top was not met walking the heap");
	if (a->top == NULL && a->topsize != 0)
		bad(&k, "no top but a top size of %zu", a->topsize);
	if (a->dvsize != 0 && !saw_dv)
		bad(&k, "the dv was not met walking the heap");
	check_mapped(&k);

	total = 0;
	for (i = 0; i < a->nsegs; i++)
		total += a->segs[i].size;
	for (i = 0; i < a->nmm; i++)
		total += a->mm[i].len;
	if (total != a->footprint)
		bad(&k, "footprint %zu differs from the memory held, %zu",
		    a->footprint, total);
	if (a->footprint > a->max_footprint)
		bad(&k, "footprint exceeds its maximum");
	free(k.mem);
	free(k.seen);
	return k.n;
}
