/*
 * alloc.c -- the allocator core: a model of dlmalloc 2.8.6 on a 64-bit host.
 *
 * Written afresh for heapviz.  The rules (sizes, bins, the order in which
 * free memory is searched and reused, how the system is asked for more)
 * follow Doug Lea's malloc 2.8.6 exactly, so that the same sequence of
 * calls puts the same chunks at the same offsets; the code and the words
 * are ours.
 *
 * CHUNKS
 *
 * Every piece of the heap is a chunk whose payload starts 16 bytes after
 * the chunk and is 16-byte aligned.  Sizes are multiples of 16, at least
 * 32.  The low three bits of the size word are flags:
 *
 *	PINUSE (1)  the chunk just below this one is in use
 *	CINUSE (2)  this chunk is in use
 *	FLAG4  (4)  unused, always clear
 *
 * An in-use chunk:
 *
 *	chunk ->  +-------------------------------------------------+
 *	          | prev_foot: size of the chunk below, if that one  |
 *	          |            is free; otherwise the user's bytes   |
 *	          +-------------------------------------------------+
 *	          | head: size                        |  |CINUSE|P |
 *	  mem ->  +-------------------------------------------------+
 *	          | payload: size - 8 bytes, running on over the     |
 *	          | prev_foot word of the next chunk                 |
 *	  next -> +-------------------------------------------------+
 *	          | (next chunk's prev_foot: still our payload)      |
 *	          | next head                         |  |  ?   |1 |
 *	          +-------------------------------------------------+
 *
 * So an in-use chunk costs one word (8 bytes): malloc(24) fits a 32-byte
 * chunk, malloc(25) needs 48, malloc(100) needs 112.
 *
 * A free chunk:
 *
 *	chunk ->  +-------------------------------------------------+
 *	          | prev_foot (the chunk below is always in use,    |
 *	          |            so this word belongs to it)          |
 *	          +-------------------------------------------------+
 *	          | head: size                        |  |  0   |1 |
 *	          +-------------------------------------------------+
 *	          | fd: next chunk in its bin                       |
 *	          | bk: previous chunk in its bin                   |
 *	          | (tree chunks only, size >= 256:)                |
 *	          |   child[0], child[1], parent, index             |
 *	          | ... unused ...                                  |
 *	  next -> +-------------------------------------------------+
 *	          | prev_foot: size (the footer, a copy of size)    |
 *	          | next head                         |  |  1   |0 |
 *	          +-------------------------------------------------+
 *
 * A chunk obtained directly from mmap keeps both INUSE bits clear; its
 * prev_foot holds the distance from the start of the mapping, and the last
 * 32 bytes of the mapping hold a fencepost head (8|CINUSE|PINUSE) and a
 * zero head, so nothing ever coalesces across its end.
 *
 * WHERE FREE CHUNKS LIVE
 *
 * Chunks below 256 bytes sit in one of 32 small bins, one exact size per
 * bin (index = size / 8), kept as doubly linked lists used last in, first
 * out.  Larger chunks sit in 32 tree bins, two per power of two; each tree
 * bin is a bitwise trie keyed on the size bits below the bin's range, and
 * chunks of equal size hang off one tree node as a ring.  A bit map per
 * kind says which bins hold anything.  Besides the bins there are two
 * special free chunks: the designated victim (dv), the remainder of the
 * last split made for a small request, used first for the next small
 * request that the exact bins cannot meet; and top, the free space at the
 * end of the newest segment, which is never in a bin.
 *
 * THE INVARIANTS
 *
 * - No two free chunks are neighbours: freeing merges a chunk with a free
 *   chunk above or below it (top and dv included).
 * - A chunk's PINUSE bit is clear exactly when the chunk below it is free,
 *   and then its prev_foot equals that chunk's size.  The first chunk of a
 *   segment always has PINUSE set.
 * - Every free chunk other than dv and top is in exactly the bin its size
 *   names, its links agree (fd->bk and bk->fd lead back to it), and a bin's
 *   map bit is set exactly when the bin holds a chunk.
 * - In a tree bin a node's index is its bin, its children hold sizes whose
 *   next undecided bit is 0 (left) or 1 (right), each child's parent link
 *   points back, and only the node in the tree (not the others of its ring)
 *   has a parent.
 * - Top is the last chunk of the newest segment, has PINUSE set, and is
 *   followed by exactly 80 bytes (TOP_FOOT) reserved for a segment record.
 * - Older segments end with a 48-byte in-use chunk holding the record of
 *   that segment, then fencepost heads (8|CINUSE|PINUSE) to the end.
 * - All chunk sizes are multiples of 16 and at least 32; chunks tile each
 *   segment without gaps or overlap.
 *
 * The checker in alloc-check.c tests each of these and reports what it
 * finds instead of aborting.
 *
 * SAFETY
 *
 * Every pointer or size read from the heap is checked against the memory
 * this allocator obtained before it is followed.  In strict mode (the
 * default) every operation first verifies all it will read or change and
 * refuses, touching nothing, when something is inconsistent; with checks
 * off it behaves as an unchecked allocator would, but still refuses to go
 * outside its own memory.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-internal.h"
#include "memsrc.h"
#include "xmalloc.h"

#define SEG0_FAST_LEN	((size_t)64)

enum pass {
	VERIFY,		/* strict: look everything over, change nothing */
	APPLY,		/* change the heap, still refusing wild pointers */
};

/* The caller's buffer is full: it makes room (out of line, rare). */
static void __attribute__((noinline, cold))
events_full(struct alloc_events *ev)
{
	ev->full(ev);
}

/*
 * Record a decision: a few stores into the caller's buffer, no call (the
 * hot paths emit several per operation).  EMIT evaluates its arguments
 * (a bin index, say) only when someone records.
 */
static inline __attribute__((always_inline)) void
emit_at(struct alloc_event *e, enum alloc_event_kind kind, const void *chunk,
    size_t size, const void *other, size_t other_size,
    enum alloc_bin_kind bin_kind, int bin)
{
	e->chunk = (void *)chunk;
	e->size = size;
	e->other = (void *)other;
	e->other_size = other_size;
	e->kind = (uint16_t)kind;
	e->bin_kind = (uint16_t)bin_kind;
	e->bin = (int16_t)bin;
}

static inline __attribute__((always_inline)) void
emit(struct alloc_events *ev, enum alloc_event_kind kind, const void *chunk,
    size_t size, const void *other, size_t other_size,
    enum alloc_bin_kind bin_kind, int bin)
{
	emit_at(&ev->v[ev->n], kind, chunk, size, other, other_size, bin_kind,
	    bin);
	if (++ev->n >= ev->cap)
		events_full(ev);
}

/*
 * A record into room seen to beforehand (events_room): someone records,
 * and the buffer cannot fill, so there is nothing to test and nothing to
 * call.  A way that records only so keeps no registers for a call, and
 * keeps the write position in a register from one record to the next.
 */
static inline __attribute__((always_inline)) void
emit_room(struct alloc_events *ev, enum alloc_event_kind kind,
    const void *chunk, size_t size, const void *other, size_t other_size,
    enum alloc_bin_kind bin_kind, int bin)
{
	emit_at(&ev->v[ev->n], kind, chunk, size, other, other_size, bin_kind,
	    bin);
	ev->n++;
}

/*
 * Room for k more records and then one: writing k leaves n below cap, so
 * full() is not due.  (n < cap between operations, as full() leaves it.)
 */
static inline __attribute__((always_inline)) bool
events_room(const struct alloc_events *ev, unsigned k)
{
	return ev->n + k < ev->cap;
}

#define EMIT(a, k, c, s, o, os, bk, b) do {				\
	if (__builtin_expect((a)->ev != NULL, 0))			\
		emit((a)->ev, (k), (c), (s), (o), (os), (bk), (b));	\
} while (0)

/*
 * EMIT in a helper that also has a quiet copy: rec is a constant there,
 * false where the caller has seen a->ev == NULL (nobody records, and
 * nothing in the operation can start recording), so the copy tests
 * nothing; true elsewhere.
 */
#define EMITR(rec, a, k, c, s, o, os, bk, b) do {			\
	if (rec)							\
		EMIT(a, k, c, s, o, os, bk, b);				\
} while (0)

/*
 * The malloc bodies come in three copies: quiet (nobody records), one
 * that tests each record as EMIT does (the hook's one-record buffer, or a
 * buffer near its end), and one that writes into room seen to when the
 * operation began.  rec is a constant in each.
 */
enum rec {
	REC_OFF,	/* a->ev == NULL: nothing to record */
	REC_EACH,	/* EMIT: test, write, full() when due */
	REC_ROOM,	/* emit_room: events_room said every record fits */
};

#define EMITM(rec, a, k, c, s, o, os, bk, b) do {			\
	if ((rec) == REC_ROOM)						\
		emit_room((a)->ev, (k), (c), (s), (o), (os), (bk), (b));	\
	else if ((rec) == REC_EACH)					\
		EMIT(a, k, c, s, o, os, bk, b);				\
} while (0)

/* Host-side bookkeeping fails loudly, through the x-wrappers. */
static void *
host_alloc(size_t n, size_t size)
{
	return xcalloc(n, size);
}

static void *
host_grow(void *p, size_t n, size_t size)
{
	return xreallocarray(p, n, size);
}

/* Refuse: fill the error, set errno, report, return -1. */
static int __attribute__((format(printf, 4, 5), cold, noinline))
refuse(struct alloc *a, const char *glibc, const void *chunk,
    const char *fmt, ...)
{
	va_list	ap;

	a->refusals++;
	a->err.glibc = glibc;
	a->err.chunk = (void *)chunk;
	va_start(ap, fmt);
	vsnprintf(a->err.what, sizeof a->err.what, fmt, ap);
	va_end(ap);
	errno = EINVAL;
	EMIT(a, AEV_CORRUPTION, chunk, 0, NULL, 0, ALLOC_BIN_NONE, 0);
	return -1;
}

static void
out_of_memory(struct alloc *a, size_t bytes)
{
	errno = ENOMEM;
	EMIT(a, AEV_ENOMEM, NULL, bytes, NULL, 0, ALLOC_BIN_NONE, 0);
}

/* ------------------------------------------------------------------ */
/* Where memory is.                                                   */

const struct seg *
alloc_seg_of(const struct alloc *a, const void *p, size_t len)
{
	uintptr_t	x = (uintptr_t)p;
	size_t		i;

	for (i = 0; i < a->nsegs; i++) {
		const struct seg	*s = &a->segs[i];
		uintptr_t		 b = (uintptr_t)s->base;

		if (x >= b && len <= s->size && x - b <= s->size - len)
			return s;
	}
	return NULL;
}

/* Index of the last mapped chunk whose mapping starts at or below x. */
static size_t
mm_floor(const struct alloc *a, uintptr_t x, bool *found)
{
	size_t	lo = 0, hi = a->nmm;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;

		if ((uintptr_t)a->mm[mid].map <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo > 0;
	return lo > 0 ? lo - 1 : 0;
}

const struct mmchunk *
alloc_mm_of(const struct alloc *a, const void *p)
{
	bool	found;
	size_t	i = mm_floor(a, (uintptr_t)p, &found);

	if (found && a->mm[i].p == p)
		return &a->mm[i];
	return NULL;
}

bool
alloc_mapped(const struct alloc *a, const void *p, size_t len)
{
	uintptr_t	x = (uintptr_t)p;
	bool		found;
	size_t		i;

	if (alloc_seg_of(a, p, len) != NULL)
		return true;
	if (a->nmm == 0)
		return false;
	i = mm_floor(a, x, &found);
	if (!found)
		return false;
	return len <= a->mm[i].len &&
	    x - (uintptr_t)a->mm[i].map <= a->mm[i].len - len;
}

int
alloc_sbin_of(const struct alloc *a, const void *p)
{
	uintptr_t	x = (uintptr_t)p, b = (uintptr_t)&a->sbin[0];

	if (x < b || x >= b + sizeof a->sbin ||
	    (x - b) % sizeof a->sbin[0] != 0)
		return -1;
	return (int)((x - b) / sizeof a->sbin[0]);
}

int
alloc_tbin_of(const struct alloc *a, const void *p)
{
	uintptr_t	x = (uintptr_t)p, b = (uintptr_t)&a->tbin[0];

	if (x < b || x >= b + sizeof a->tbin ||
	    (x - b) % sizeof a->tbin[0] != 0)
		return -1;
	return (int)((x - b) / sizeof a->tbin[0]);
}

/* Does [p, p + len) lie in the newest segment?  (The cached range.) */
static inline __attribute__((always_inline)) bool
in_seg0(const struct alloc *a, const void *p, size_t len)
{
	uintptr_t	off = (uintptr_t)p - a->seg0_lo;

	return off < a->seg0_size && len <= a->seg0_size - off;
}

/* Recompute the cached range after segs[0] changed. */
static void
seg_cache(struct alloc *a)
{
	a->seg0_lo = a->nsegs > 0 ? (uintptr_t)a->segs[0].base : 0;
	a->seg0_size = a->nsegs > 0 ? a->segs[0].size : 0;
	a->seg0_room = a->seg0_size > SEG0_FAST_LEN - 1 ?
	    a->seg0_size - (SEG0_FAST_LEN - 1) : 0;
	a->seg0_first = a->nsegs > 0 ?
	    (uintptr_t)align_chunk(a->segs[0].base) : 0;
	a->seg0_lo16 = (a->seg0_lo + ALIGN_MASK) & ~(uintptr_t)ALIGN_MASK;
	a->seg0_room16 = a->seg0_lo + a->seg0_room > a->seg0_lo16 ?
	    (a->seg0_lo + a->seg0_room - a->seg0_lo16) / ALLOC_ALIGN : 0;
}

/*
 * Can len bytes at p be touched?  Checks the newest segment first: for a
 * length known at compile time and at most 64 bytes (every header and
 * link), in one compare that may say no where the exact test says yes
 * (the last 63 bytes of the segment); alloc_mapped then decides exactly.
 */
static inline __attribute__((always_inline)) bool
safe(const struct alloc *a, const void *p, size_t len)
{
	if (__builtin_constant_p(len) && len <= SEG0_FAST_LEN) {
		if (__builtin_expect((uintptr_t)p - a->seg0_lo < a->seg0_room,
		    1))
			return true;
	} else if (__builtin_expect(in_seg0(a, p, len), 1))
		return true;
	return alloc_mapped(a, p, len);
}

/*
 * A plausible free chunk address: aligned, and its links readable.  For a
 * header or links (a constant length of at most 64 bytes), first in one
 * compare: rotating p - seg0_lo16 right by 4 bits turns a misaligned
 * address, or one below the segment, into a huge number, and an aligned
 * one in it into its index in 16-byte steps.  A no there goes to the
 * exact test.
 */
static inline __attribute__((always_inline)) bool
chunk_safe(const struct alloc *a, const void *p, size_t len)
{
	if (__builtin_constant_p(len) && len <= SEG0_FAST_LEN) {
		uintptr_t	d = (uintptr_t)p - a->seg0_lo16;

		if (__builtin_expect(((d >> 4) |
		    (d << (sizeof d * CHAR_BIT - 4))) < a->seg0_room16, 1))
			return true;
	}
	return ((uintptr_t)p & ALIGN_MASK) == 0 && safe(a, p, len);
}

/*
 * A chunk of size s at p, with the next chunk's header: s comes from the
 * heap, so s + 16 may wrap; a size that large is never safe.
 */
static inline __attribute__((always_inline)) bool
span_safe(const struct alloc *a, const void *p, size_t s)
{
	return s <= HALF_MAX && chunk_safe(a, p, s + 2 * WORD);
}

static inline __attribute__((always_inline)) bool
tnode_safe(const struct alloc *a, const void *t)
{
	return chunk_safe(a, t, sizeof(struct tchunk));
}

static inline __attribute__((always_inline)) bool
slink_safe(struct alloc *a, const struct chunk *x, unsigned i)
{
	return x == &a->sbin[i] || chunk_safe(a, x, sizeof(struct chunk));
}

/* ------------------------------------------------------------------ */
/* Small bins.                                                         */

static inline void mark_small(struct alloc *a, unsigned i) { a->smallmap |= 1u << i; }
static inline void clear_small(struct alloc *a, unsigned i) { a->smallmap &= ~(1u << i); }
static inline bool small_marked(const struct alloc *a, unsigned i) { return (a->smallmap >> i) & 1; }
static inline void mark_tree(struct alloc *a, unsigned i) { a->treemap |= 1u << i; }
static inline void clear_tree(struct alloc *a, unsigned i) { a->treemap &= ~(1u << i); }
static inline bool tree_marked(const struct alloc *a, unsigned i) { return (a->treemap >> i) & 1; }

static const char MSG_LIST[] = "corrupted double-linked list";
static const char MSG_TLIST[] = "corrupted double-linked list (not small)";

/* Put p (size s, free, footer set) at the head of its small bin. */
static inline __attribute__((always_inline)) int
small_insert(struct alloc *a, struct chunk *p, size_t s, enum pass pass)
{
	unsigned	 i = (unsigned)(s >> SMALL_SHIFT);
	struct chunk	*b = &a->sbin[i], *f = b;

	if (small_marked(a, i)) {
		f = b->fd;
		if (!slink_safe(a, f, i))
			return refuse(a, MSG_LIST, f, "the first chunk of "
			    "small bin %u is not in the heap", i);
		if (pass == VERIFY && f->bk != b)
			return refuse(a, MSG_LIST, f, "the first chunk of "
			    "small bin %u does not link back to the bin", i);
	}
	if (pass == VERIFY)
		return 0;
	if (!small_marked(a, i))
		mark_small(a, i);
	b->fd = p;
	f->bk = p;
	p->fd = f;
	p->bk = b;
	EMIT(a, AEV_BIN_INSERT, p, s, NULL, 0, ALLOC_BIN_SMALL, (int)i);
	return 0;
}

/* Take p (size s) out of the middle of its small bin. */
static inline __attribute__((always_inline)) int
small_unlink(struct alloc *a, struct chunk *p, size_t s, enum pass pass)
{
	unsigned	 i = (unsigned)(s >> SMALL_SHIFT);
	struct chunk	*f = p->fd, *k = p->bk;

	if (!slink_safe(a, f, i) || !slink_safe(a, k, i)) {
		bool	bad_fd = !slink_safe(a, f, i);

		return refuse(a, MSG_LIST, p, "the %s link of this free "
		    "%zu-byte chunk, 0x%zx, leads outside the heap",
		    bad_fd ? "fd" : "bk", s,
		    (size_t)(uintptr_t)(bad_fd ? f : k));
	}
	if (pass == VERIFY) {
		if (f->bk != p || k->fd != p)
			return refuse(a, MSG_LIST, p, "this free %zu-byte "
			    "chunk's %s, but that chunk's %s does not point "
			    "back at it", s, f->bk != p ? "fd" : "bk",
			    f->bk != p ? "bk" : "fd");
		return 0;
	}
	if (k == f)
		clear_small(a, i);
	else {
		f->bk = k;
		k->fd = f;
	}
	return 0;
}

/* The first chunk of small bin i, checked; NULL after a refusal. */
static inline __attribute__((always_inline)) struct chunk *
small_first(struct alloc *a, unsigned i, enum pass pass)
{
	struct chunk	*b = &a->sbin[i], *p = b->fd, *f;
	size_t		 s = (size_t)i << SMALL_SHIFT;

	if (p == b || !chunk_safe(a, p, s + 2 * WORD)) {
		refuse(a, "malloc(): smallbin double linked list corrupted",
		    p, "small bin %u (%zu-byte chunks) leads outside the heap",
		    i, s);
		return NULL;
	}
	f = p->fd;
	if (!slink_safe(a, f, i)) {
		refuse(a, "malloc(): smallbin double linked list corrupted",
		    p, "the first %zu-byte chunk of small bin %u links outside "
		    "the heap", s, i);
		return NULL;
	}
	if (pass == VERIFY) {
		if (ck_size(p) != s || ck_cinuse(p)) {
			refuse(a, "malloc(): memory corruption", p, "the first "
			    "chunk of small bin %u has head 0x%zx, not a free "
			    "%zu-byte chunk", i, p->head, s);
			return NULL;
		}
		if (p->bk != b) {
			refuse(a, "malloc(): smallbin double linked list "
			    "corrupted", p, "the first %zu-byte chunk of small "
			    "bin %u has bk 0x%zx, not the bin's head", s, i,
			    (size_t)(uintptr_t)p->bk);
			return NULL;
		}
		if (f->bk != p) {
			refuse(a, "malloc(): smallbin double linked list "
			    "corrupted", p, "the first %zu-byte chunk of small "
			    "bin %u: the chunk its fd leads to has a bk that "
			    "does not point back", s, i);
			return NULL;
		}
	}
	return p;
}

static inline __attribute__((always_inline)) void
small_unlink_first(struct alloc *a, unsigned i, struct chunk *p)
{
	struct chunk	*b = &a->sbin[i], *f = p->fd;

	if (b == f)
		clear_small(a, i);
	else {
		f->bk = b;
		b->fd = f;
	}
}

/* ------------------------------------------------------------------ */
/* Tree bins.                                                          */

/* Defined with the planned insertion, whose walk it shares. */
static inline __attribute__((always_inline)) int
tree_insert(struct alloc *a, struct tchunk *x, size_t s, enum pass pass);

/*
 * What takes a tree node x's place when it leaves the tree: the leaf
 * reached by going right where it can, else left, from x's children (NULL
 * if x has none), and the slot *rp that leaf hangs from.  Every node on the
 * way is checked; -1 after a refusal if the subtree leaves the heap or
 * loops.  s is x's size, for the message.
 */
static inline __attribute__((always_inline)) int
tree_leaf_below(struct alloc *a, struct tchunk *x, size_t s,
    struct tchunk **rout, struct tchunk ***rpout)
{
	struct tchunk	**rp = &x->child[1], *r;
	int		  steps = 0;

	if ((r = *rp) == NULL)
		r = *(rp = &x->child[0]);
	if (r != NULL) {
		for (;;) {
			struct tchunk	**cp;

			if (!tnode_safe(a, r) || ++steps > 2 * 64) {
				*rout = NULL;
				*rpout = NULL;
				return refuse(a, MSG_TLIST, x, "the subtree "
				    "below a free %zu-byte chunk leaves the "
				    "heap or loops", s);
			}
			if (*(cp = &r->child[1]) == NULL &&
			    *(cp = &r->child[0]) == NULL)
				break;
			r = *(rp = cp);
		}
	}
	*rout = r;
	*rpout = rp;
	return 0;
}

static inline __attribute__((always_inline)) int
tree_unlink(struct alloc *a, struct tchunk *x, enum pass pass)
{
	struct tchunk	 *xp = x->parent, *r;
	size_t		  s = ck_size((struct chunk *)x);

	if (x->bk != x) {
		struct tchunk	*f = x->fd;

		r = x->bk;
		if (!tnode_safe(a, f) || !tnode_safe(a, r))
			return refuse(a, MSG_TLIST, x, "a free %zu-byte tree "
			    "chunk links outside the heap", s);
		if (pass == VERIFY && (f->bk != x || r->fd != x))
			return refuse(a, MSG_TLIST, x, "the ring of a free "
			    "%zu-byte tree chunk does not point back at it", s);
		if (pass == APPLY) {
			f->bk = r;
			r->fd = f;
		}
	} else {
		struct tchunk	**rp;

		if (tree_leaf_below(a, x, s, &r, &rp) != 0)
			return -1;
		if (r != NULL && pass == APPLY)
			*rp = NULL;
	}
	if (xp != NULL) {
		struct tchunk	**h;

		if (x->index >= ALLOC_NTREEBINS ||
		    (pass == VERIFY && x->index != tree_index(s)))
			return refuse(a, MSG_TLIST, x, "a free %zu-byte tree "
			    "chunk has a wrong bin index (%u)", s, x->index);
		h = &a->tbin[x->index];
		if (x == *h) {
			if (pass == VERIFY && xp != (struct tchunk *)h)
				return refuse(a, MSG_TLIST, x, "the root of "
				    "tree bin %u has a wrong parent", x->index);
			if (pass == APPLY && (*h = r) == NULL)
				clear_tree(a, x->index);
		} else {
			if (!tnode_safe(a, xp))
				return refuse(a, MSG_TLIST, x, "the parent of "
				    "a free %zu-byte tree chunk is outside the "
				    "heap", s);
			if (pass == VERIFY && xp->child[0] != x &&
			    xp->child[1] != x)
				return refuse(a, MSG_TLIST, x, "the parent of "
				    "a free %zu-byte tree chunk does not know "
				    "it", s);
			if (pass == APPLY) {
				if (xp->child[0] == x)
					xp->child[0] = r;
				else
					xp->child[1] = r;
			}
		}
		if (r != NULL) {
			struct tchunk	*c0 = x->child[0], *c1 = x->child[1];

			if ((c0 != NULL && !tnode_safe(a, c0)) ||
			    (c1 != NULL && !tnode_safe(a, c1)))
				return refuse(a, MSG_TLIST, x, "a child of a "
				    "free %zu-byte tree chunk is outside the "
				    "heap", s);
			if (pass == APPLY) {
				r->parent = xp;
				if ((c0 = x->child[0]) != NULL) {
					r->child[0] = c0;
					c0->parent = r;
				}
				if ((c1 = x->child[1]) != NULL) {
					r->child[1] = c1;
					c1->parent = r;
				}
			}
		}
	}
	return 0;
}

static inline __attribute__((always_inline)) int
bin_insert(struct alloc *a, struct chunk *p, size_t s, enum pass pass)
{
	if (is_small(s))
		return small_insert(a, p, s, pass);
	return tree_insert(a, (struct tchunk *)p, s, pass);
}

static inline __attribute__((always_inline)) int
bin_unlink(struct alloc *a, struct chunk *p, size_t s, enum pass pass)
{
	if (is_small(s))
		return small_unlink(a, p, s, pass);
	return tree_unlink(a, (struct tchunk *)p, pass);
}

/*
 * The last checks of verify_free_chunk, for a chunk whose span, size and
 * head are known good: its footer, and the next chunk's PINUSE.
 */
static inline __attribute__((always_inline)) int
verify_free_foot(struct alloc *a, struct chunk *p, size_t s,
    const char *glibc)
{
	struct chunk	*n = ck_at(p, s);

	if (n->prev_foot != s)
		return refuse(a, "corrupted size vs. prev_size", p, "the "
		    "footer after a free %zu-byte chunk says %zu", s,
		    n->prev_foot);
	if (ck_pinuse(n))
		return refuse(a, glibc, p, "the chunk after a free %zu-byte "
		    "chunk has PINUSE set", s);
	return 0;
}

/* A free chunk we are about to take out of a bin: is it what it says? */
static inline __attribute__((always_inline)) int
verify_free_chunk(struct alloc *a, struct chunk *p, size_t s,
    const char *glibc)
{
	if (!span_safe(a, p, s))
		return refuse(a, glibc, p, "a free chunk of %zu bytes runs "
		    "outside the heap", s);
	if (s < MIN_CHUNK || (s & ALIGN_MASK) != 0)
		return refuse(a, glibc, p, "a free chunk's size field says "
		    "%zu, which no chunk has (at least 32, a multiple of 16)",
		    s);
	if (ck_size(p) != s || ck_cinuse(p))
		return refuse(a, glibc, p, "a free chunk's head 0x%zx does "
		    "not say free, %zu bytes", p->head, s);
	return verify_free_foot(a, p, s, glibc);
}

/* Make p the dv, putting the old dv (always small) in its bin. */
static inline __attribute__((always_inline)) int
replace_dv(struct alloc *a, struct chunk *p, size_t s, enum pass pass)
{
	if (a->dvsize != 0) {
		if (small_insert(a, a->dv, a->dvsize, pass) != 0)
			return -1;
		if (pass == APPLY)
			EMIT(a, AEV_DV_REPLACED, p, s, a->dv, a->dvsize,
			    ALLOC_BIN_SMALL, (int)(a->dvsize >> SMALL_SHIFT));
	}
	if (pass == APPLY) {
		a->dvsize = s;
		a->dv = p;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Checked once, written once.                                         */

/*
 * A strict operation looks over everything it will follow or change and
 * refuses, untouched, if anything is wrong; only then does it write.  The
 * helpers above do that in two passes (VERIFY, then APPLY, which reads and
 * walks again).  The hot paths use these instead: a check reads and
 * validates each pointer once and keeps what the write needs (a plan);
 * the commit only writes.  With strict false a check makes only the
 * checks APPLY makes (pointers that would leave the heap), with the same
 * messages, so a plan can also be redone after an earlier commit changed
 * what it was made from.
 */

/*
 * A plan is committed only after its check filled it in (the same size
 * decides both), which GCC cannot follow through the inlining: it warns
 * "may be used uninitialized" at the commits.  Zeroing every plan first
 * costs a dozen stores a free; the warning is off for these helpers.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

/* The sizes tree_index puts in bin i: [tree_lo[i], tree_lo[i + 1]). */
#define TREE_LO(i) (((size_t)1 << (((i) >> 1) + TREE_SHIFT)) |		\
	((size_t)((i) & 1) << (((i) >> 1) + TREE_SHIFT - 1)))
static const size_t tree_lo[ALLOC_NTREEBINS + 1] = {
	0, TREE_LO(1), TREE_LO(2), TREE_LO(3), TREE_LO(4), TREE_LO(5),
	TREE_LO(6), TREE_LO(7), TREE_LO(8), TREE_LO(9), TREE_LO(10),
	TREE_LO(11), TREE_LO(12), TREE_LO(13), TREE_LO(14), TREE_LO(15),
	TREE_LO(16), TREE_LO(17), TREE_LO(18), TREE_LO(19), TREE_LO(20),
	TREE_LO(21), TREE_LO(22), TREE_LO(23), TREE_LO(24), TREE_LO(25),
	TREE_LO(26), TREE_LO(27), TREE_LO(28), TREE_LO(29), TREE_LO(30),
	TREE_LO(31), SIZE_MAX,
};

/*
 * tree_index for the tree sizes below 64 KiB, by table: for s >> 7 = j,
 * x = s >> 8 = j >> 1, k = log2(x), and the bit tree_index takes is bit
 * k of j.  Built by the preprocessor from that formula.
 */
#define TI_LOG2(x) ((x) >= 128 ? 7 : (x) >= 64 ? 6 : (x) >= 32 ? 5 :	\
	(x) >= 16 ? 4 : (x) >= 8 ? 3 : (x) >= 4 ? 2 : (x) >= 2 ? 1 : 0)
#define TI(j) ((j) < 2 ? 0 :						\
	2 * TI_LOG2((j) >> 1) + (((j) >> TI_LOG2((j) >> 1)) & 1))
#define TI4(j) TI(j), TI((j) + 1), TI((j) + 2), TI((j) + 3)
#define TI16(j) TI4(j), TI4((j) + 4), TI4((j) + 8), TI4((j) + 12)
#define TI64(j) TI16(j), TI16((j) + 16), TI16((j) + 32), TI16((j) + 48)
#define TI256(j) TI64(j), TI64((j) + 64), TI64((j) + 128), TI64((j) + 192)
static const uint8_t tree_index_tab[512] = { TI256(0), TI256(256) };

static inline unsigned
tree_index_fast(size_t s)
{
	if (__builtin_expect(s < 65536, 1))
		return tree_index_tab[s >> 7];
	return tree_index_large(s);
}

/* tree_index(s) == i, for i < 32, in two compares. */
static inline bool
in_tree_bin(size_t s, unsigned i)
{
	return s - tree_lo[i] < tree_lo[i + 1] - tree_lo[i];
}

/* Taking a tree chunk out: what tree_unlink would change. */
struct tunlink {
	struct tchunk	 *x;
	struct tchunk	 *xp;		/* x->parent: NULL unless x is in the tree */
	struct tchunk	 *r;		/* what takes x's place (or NULL) */
	struct tchunk	**rp;		/* the slot r leaves (no ring) */
	unsigned	  idx;		/* x's bin, when xp != NULL */
	bool		  ring;		/* x has equals: r is x->bk */
};

static inline __attribute__((always_inline)) int
tree_unlink_check(struct alloc *a, struct tchunk *x, bool strict,
    struct tunlink *u)
{
	struct tchunk	 *xp = x->parent, *r, **rp = NULL;
	size_t		  s = ck_size((struct chunk *)x);

	u->x = x;
	u->xp = xp;
	u->r = NULL;
	u->rp = NULL;
	u->idx = 0;
	if ((u->ring = x->bk != x)) {
		struct tchunk	*f = x->fd;

		r = x->bk;
		if (!tnode_safe(a, f) || !tnode_safe(a, r))
			return refuse(a, MSG_TLIST, x, "a free %zu-byte tree "
			    "chunk links outside the heap", s);
		if (strict && (f->bk != x || r->fd != x))
			return refuse(a, MSG_TLIST, x, "the ring of a free "
			    "%zu-byte tree chunk does not point back at it", s);
	} else if (tree_leaf_below(a, x, s, &r, &rp) != 0)
		return -1;
	u->r = r;
	u->rp = rp;
	if (xp != NULL) {
		struct tchunk	**h;

		if (x->index >= ALLOC_NTREEBINS ||
		    (strict && !in_tree_bin(s, x->index)))
			return refuse(a, MSG_TLIST, x, "a free %zu-byte tree "
			    "chunk has a wrong bin index (%u)", s, x->index);
		u->idx = x->index;
		h = &a->tbin[x->index];
		if (x == *h) {
			if (strict && xp != (struct tchunk *)h)
				return refuse(a, MSG_TLIST, x, "the root of "
				    "tree bin %u has a wrong parent", x->index);
		} else {
			if (!tnode_safe(a, xp))
				return refuse(a, MSG_TLIST, x, "the parent of "
				    "a free %zu-byte tree chunk is outside the "
				    "heap", s);
			if (strict && xp->child[0] != x && xp->child[1] != x)
				return refuse(a, MSG_TLIST, x, "the parent of "
				    "a free %zu-byte tree chunk does not know "
				    "it", s);
		}
		if (r != NULL) {
			struct tchunk	*c0 = x->child[0], *c1 = x->child[1];

			if ((c0 != NULL && !tnode_safe(a, c0)) ||
			    (c1 != NULL && !tnode_safe(a, c1)))
				return refuse(a, MSG_TLIST, x, "a child of a "
				    "free %zu-byte tree chunk is outside the "
				    "heap", s);
		}
	}
	return 0;
}

static inline __attribute__((always_inline)) void
tree_unlink_commit(struct alloc *a, const struct tunlink *u)
{
	struct tchunk	*x = u->x, *xp = u->xp, *r = u->r;

	if (u->ring) {
		struct tchunk	*f = x->fd;

		f->bk = r;
		r->fd = f;
	} else if (r != NULL)
		*u->rp = NULL;
	if (xp != NULL) {
		struct tchunk	**h = &a->tbin[u->idx], *c;

		if (x == *h) {
			if ((*h = r) == NULL)
				clear_tree(a, u->idx);
		} else if (xp->child[0] == x)
			xp->child[0] = r;
		else
			xp->child[1] = r;
		if (r != NULL) {
			r->parent = xp;
			if ((c = x->child[0]) != NULL) {
				r->child[0] = c;
				c->parent = r;
			}
			if ((c = x->child[1]) != NULL) {
				r->child[1] = c;
				c->parent = r;
			}
		}
	}
}

/* Putting a chunk of size s into its tree bin: where it will hang. */
struct tinsert {
	struct tchunk	 *t;		/* NULL: the bin is empty */
	struct tchunk	**c;		/* t's free child slot; NULL: t's ring */
	unsigned	  idx;
};

static inline __attribute__((always_inline)) int
tree_insert_check(struct alloc *a, size_t s, bool strict, struct tinsert *ti)
{
	unsigned	 i = tree_index_fast(s);
	struct tchunk	*t;
	size_t		 k, steps;

	ti->idx = i;
	ti->t = NULL;
	ti->c = NULL;
	if (!tree_marked(a, i))
		return 0;
	t = a->tbin[i];
	k = s << tree_shift(i);
	for (steps = 0;; steps++) {
		if (steps > 2 * 64 || !tnode_safe(a, t))
			return refuse(a, MSG_TLIST, t, "tree bin %u leads "
			    "outside the heap or loops", i);
		if (ck_size((struct chunk *)t) != s) {
			struct tchunk	**c = &t->child[(k >> 63) & 1];

			k <<= 1;
			if (*c != NULL)
				t = *c;
			else {
				ti->t = t;
				ti->c = c;
				return 0;
			}
		} else {
			struct tchunk	*f = t->fd;

			if (!tnode_safe(a, f))
				return refuse(a, MSG_TLIST, t, "a %zu-byte "
				    "chunk in tree bin %u links outside the "
				    "heap", s, i);
			if (strict && f->bk != t)
				return refuse(a, MSG_TLIST, t, "the ring of "
				    "%zu-byte chunks in tree bin %u is broken",
				    s, i);
			ti->t = t;
			return 0;
		}
	}
}

/*
 * Was the plan made before unlinking u still right?  Only if the node it
 * hangs from is neither the chunk taken out nor the one that moved into
 * its place: every other node keeps its place and its free slots.
 */
static inline bool
tree_insert_stale(const struct tinsert *ti, const struct tunlink *u)
{
	return ti->t != NULL && (ti->t == u->x || ti->t == u->r);
}

/*
 * Make a stale plan right for the tree as it will be once u is committed
 * (called before that commit).  The plan's walk passed x (or hung from the
 * leaf r that is about to take x's place), so the walk on the new tree
 * is the same down to there: where x was, r now is, with x's children.
 * False if the case is none of these (only on a damaged heap): the caller
 * then walks again after the commit.
 */
static inline __attribute__((always_inline)) bool
tree_insert_fix(struct alloc *a, struct tinsert *ti, const struct tunlink *u)
{
	struct tchunk	*x = u->x, *r = u->r, *xp = u->xp;

	if (xp == NULL)		/* x only leaves a ring: the tree stays */
		return true;
	if (ti->t == x) {
		ptrdiff_t	d = ti->c - &x->child[0];

		/* The free slot was x's: it is r's now, or x's own slot. */
		if (d != 0 && d != 1)
			return false;
		if (r != NULL) {
			if (u->ring && r->child[d] != NULL)
				return false;
			ti->t = r;
			ti->c = &r->child[d];
		} else if (x == a->tbin[u->idx]) {
			ti->t = NULL;
			ti->c = NULL;
		} else {
			ti->t = xp;
			ti->c = xp->child[0] == x ? &xp->child[0] :
			    &xp->child[1];
		}
		return true;
	}
	/* ti->t == r, a leaf: it moves up; the slot it leaves is free. */
	if (u->ring || ti->c == NULL)
		return false;
	if (u->rp == &x->child[0] || u->rp == &x->child[1]) {
		ti->t = r;
		ti->c = &r->child[u->rp - &x->child[0]];
	} else {
		ti->t = r->parent;
		ti->c = u->rp;
	}
	return true;
}

static inline __attribute__((always_inline)) void
tree_insert_commit(struct alloc *a, struct tchunk *x, size_t s,
    const struct tinsert *ti, bool rec)
{
	unsigned	 i = ti->idx;
	struct tchunk	*t = ti->t;

	x->index = i;
	x->child[0] = x->child[1] = NULL;
	if (t == NULL) {
		mark_tree(a, i);
		a->tbin[i] = x;
		x->parent = (struct tchunk *)&a->tbin[i];
		x->fd = x->bk = x;
	} else if (ti->c != NULL) {
		*ti->c = x;
		x->parent = t;
		x->fd = x->bk = x;
	} else {
		struct tchunk	*f = t->fd;

		t->fd = f->bk = x;
		x->fd = f;
		x->bk = t;
		x->parent = NULL;
	}
	EMITR(rec, a, AEV_BIN_INSERT, x, s, NULL, 0, ALLOC_BIN_TREE, (int)i);
}

/*
 * The step-by-step insertion (pass VERIFY looks, APPLY writes): the
 * planned insertion's walk, checked as strictly as pass asks, then its
 * writes.  APPLY sets x's index and clears its children before the walk,
 * as it always has, so that with checks off a damaged heap in which x is
 * on its own path ends as it did.
 */
static inline __attribute__((always_inline)) int
tree_insert(struct alloc *a, struct tchunk *x, size_t s, enum pass pass)
{
	struct tinsert	ti;

	if (pass == APPLY) {
		x->index = tree_index(s);
		x->child[0] = x->child[1] = NULL;
	}
	if (tree_insert_check(a, s, pass == VERIFY, &ti) != 0)
		return -1;
	if (pass == APPLY)
		tree_insert_commit(a, x, s, &ti, true);
	return 0;
}

/* Small bins: the checks of small_unlink and small_insert; the commits
 * read the list heads again (an earlier commit may have moved them). */
static inline __attribute__((always_inline)) int
small_unlink_check(struct alloc *a, struct chunk *p, size_t s)
{
	return small_unlink(a, p, s, VERIFY);
}

static inline __attribute__((always_inline)) void
small_unlink_commit(struct alloc *a, struct chunk *p, size_t s)
{
	unsigned	 i = (unsigned)(s >> SMALL_SHIFT);
	struct chunk	*f = p->fd, *k = p->bk;

	if (k == f)
		clear_small(a, i);
	else {
		f->bk = k;
		k->fd = f;
	}
}

static inline __attribute__((always_inline)) void
small_insert_commit(struct alloc *a, struct chunk *p, size_t s, bool rec)
{
	unsigned	 i = (unsigned)(s >> SMALL_SHIFT);
	struct chunk	*b = &a->sbin[i], *f = b;

	if (small_marked(a, i))
		f = b->fd;
	else
		mark_small(a, i);
	b->fd = p;
	f->bk = p;
	p->fd = f;
	p->bk = b;
	EMITR(rec, a, AEV_BIN_INSERT, p, s, NULL, 0, ALLOC_BIN_SMALL, (int)i);
}

/* replace_dv's writes, after its check. */
static inline __attribute__((always_inline)) void
replace_dv_commit(struct alloc *a, struct chunk *p, size_t s, bool rec)
{
	if (a->dvsize != 0) {
		small_insert_commit(a, a->dv, a->dvsize, rec);
		EMITR(rec, a, AEV_DV_REPLACED, p, s, a->dv, a->dvsize,
		    ALLOC_BIN_SMALL, (int)(a->dvsize >> SMALL_SHIFT));
	}
	a->dvsize = s;
	a->dv = p;
}

/* Any free chunk out of its bin, planned (tree) or checked (small). */
static inline __attribute__((always_inline)) int
unlink_check(struct alloc *a, struct chunk *p, size_t s, struct tunlink *u)
{
	if (is_small(s))
		return small_unlink_check(a, p, s);
	return tree_unlink_check(a, (struct tchunk *)p, true, u);
}

static inline __attribute__((always_inline)) void
unlink_commit(struct alloc *a, struct chunk *p, size_t s,
    const struct tunlink *u)
{
	if (is_small(s))
		small_unlink_commit(a, p, s);
	else
		tree_unlink_commit(a, u);
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* ------------------------------------------------------------------ */
/* Chunks of their own mapping.                                        */

static void
mm_add(struct alloc *a, struct chunk *p, char *map, size_t len)
{
	bool	found;
	size_t	i = 0;

	if (a->nmm == a->mmcap) {
		a->mmcap = a->mmcap ? a->mmcap * 2 : 16;
		a->mm = host_grow(a->mm, a->mmcap, sizeof *a->mm);
	}
	if (a->nmm > 0) {
		i = mm_floor(a, (uintptr_t)map, &found);
		if (found)
			i++;
	}
	memmove(&a->mm[i + 1], &a->mm[i], (a->nmm - i) * sizeof *a->mm);
	a->mm[i].p = p;
	a->mm[i].map = map;
	a->mm[i].len = len;
	a->nmm++;
}

static void
mm_remove(struct alloc *a, const struct mmchunk *m)
{
	size_t	i = (size_t)(m - a->mm);

	memmove(&a->mm[i], &a->mm[i + 1], (a->nmm - i - 1) * sizeof *a->mm);
	a->nmm--;
}

static inline size_t
page_align(const struct alloc *a, size_t s)
{
	return (s + a->page_size - 1) & ~(a->page_size - 1);
}

static inline size_t
gran_align(const struct alloc *a, size_t s)
{
	return (s + a->granularity - 1) & ~(a->granularity - 1);
}

static void
footprint_add(struct alloc *a, size_t n)
{
	if ((a->footprint += n) > a->max_footprint)
		a->max_footprint = a->footprint;
}

static void *
mmap_alloc(struct alloc *a, size_t nb)
{
	size_t		 len = page_align(a, nb + 6 * WORD + ALIGN_MASK);
	char		*mm;
	size_t		 off, psize;
	struct chunk	*p;

	if (len <= nb)		/* wrapped */
		return NULL;
	mm = memsrc_mmap(a->src, len);
	if (mm == MEMSRC_FAIL)
		return NULL;
	off = align_off(mm + 2 * WORD);
	psize = len - off - MMAP_FOOT_PAD;
	p = (struct chunk *)(mm + off);
	p->prev_foot = off;
	p->head = psize;
	ck_at(p, psize)->head = FENCE_HEAD;
	ck_at(p, psize + WORD)->head = 0;
	if (a->least_addr == NULL || mm < a->least_addr)
		a->least_addr = mm;
	footprint_add(a, len);
	mm_add(a, p, mm, len);
	EMIT(a, AEV_MMAP_CHUNK, p, psize, mm, len, ALLOC_BIN_NONE, 0);
	return ck_mem(p);
}

/* Resize a mapped chunk; NULL if the caller must move it. */
static struct chunk *
mmap_resize(struct alloc *a, struct chunk *oldp, size_t nb, int flags)
{
	size_t			 oldsize = ck_size(oldp);
	const struct mmchunk	*m;
	size_t			 off, oldlen, newlen, psize;
	char			*cp;
	struct chunk		*newp;
	int			 saved;

	if (is_small(nb))	/* never shrink a mapping below small */
		return NULL;
	if (oldsize >= nb + WORD && oldsize - nb <= (a->granularity << 1))
		return oldp;
	off = oldp->prev_foot;
	oldlen = oldsize + off + MMAP_FOOT_PAD;
	newlen = page_align(a, nb + 6 * WORD + ALIGN_MASK);
	saved = errno;		/* a failed mremap is no error of realloc's */
	cp = memsrc_mremap(a->src, (char *)oldp - off, oldlen, newlen, flags);
	errno = saved;
	if (cp == MEMSRC_FAIL)
		return NULL;
	m = alloc_mm_of(a, oldp);
	if (m != NULL)
		mm_remove(a, m);
	newp = (struct chunk *)(cp + off);
	psize = newlen - off - MMAP_FOOT_PAD;
	newp->head = psize;
	ck_at(newp, psize)->head = FENCE_HEAD;
	ck_at(newp, psize + WORD)->head = 0;
	if (cp < a->least_addr)
		a->least_addr = cp;
	footprint_add(a, newlen - oldlen);
	mm_add(a, newp, cp, newlen);
	EMIT(a, AEV_MREMAP_CHUNK, newp, psize, oldp, oldsize, ALLOC_BIN_NONE,
	    0);
	return newp;
}

/* ------------------------------------------------------------------ */
/* Segments and top.                                                   */

static void
init_top(struct alloc *a, struct chunk *p, size_t psize)
{
	size_t	off = align_off(ck_mem(p));

	p = ck_at(p, off);
	psize -= off;
	/*
	 * A deliberate departure from dlmalloc: when someone else left the
	 * break misaligned (`sbrk 5`) and a new segment starts there, dlmalloc
	 * makes top's size misaligned too, its low bits land on the flag bits
	 * and its own heap reads as damaged.  Here top ends on the alignment
	 * below; where sizes are aligned, as always in a heap that only this
	 * allocator moves, nothing changes.
	 */
	psize &= ~(size_t)(ALLOC_ALIGN - 1);
	a->top = p;
	a->topsize = psize;
	p->head = psize | PINUSE;
	store_word((char *)p + psize + WORD, TOP_FOOT);
	a->trim_check = a->trim_threshold;
}

static void
seg_push(struct alloc *a, char *base, size_t size, uint32_t sflags,
    struct segrec *rec_of_old_head)
{
	if (a->nsegs == a->segcap) {
		a->segcap = a->segcap ? a->segcap * 2 : 8;
		a->segs = host_grow(a->segs, a->segcap, sizeof *a->segs);
	}
	memmove(&a->segs[1], &a->segs[0], a->nsegs * sizeof *a->segs);
	a->nsegs++;
	if (a->nsegs > 1)
		a->segs[1].rec = rec_of_old_head;
	a->segs[0].base = base;
	a->segs[0].size = size;
	a->segs[0].sflags = sflags;
	a->segs[0].rec = NULL;
	seg_cache(a);
}

/* Write segment i's fields back to its record in the heap, if it has one. */
static void
seg_sync(struct alloc *a, size_t i)
{
	struct segrec	*r = a->segs[i].rec;

	seg_cache(a);
	if (r == NULL)
		return;
	r->base = a->segs[i].base;
	r->size = a->segs[i].size;
	r->sflags = a->segs[i].sflags;
	r->next = i + 1 < a->nsegs ? a->segs[i + 1].rec : NULL;
}

static size_t
seg_index_holding(const struct alloc *a, const void *p)
{
	size_t	i;

	for (i = 0; i < a->nsegs; i++)
		if ((const char *)p >= a->segs[i].base &&
		    (const char *)p < a->segs[i].base + a->segs[i].size)
			return i;
	return SIZE_MAX;
}

/* Verify what prepend_alloc will read of the old first chunk. */
static int
prepend_verify(struct alloc *a, char *oldbase)
{
	struct chunk	*oldfirst = align_chunk(oldbase);
	size_t		 nsize;

	if (oldfirst == a->top || oldfirst == a->dv || ck_inuse(oldfirst))
		return 0;
	nsize = ck_size(oldfirst);
	if (verify_free_chunk(a, oldfirst, nsize, MSG_LIST) != 0)
		return -1;
	return bin_unlink(a, oldfirst, nsize, VERIFY);
}

static void *
prepend_alloc(struct alloc *a, char *newbase, char *oldbase, size_t nb)
{
	struct chunk	*p = align_chunk(newbase);
	struct chunk	*oldfirst = align_chunk(oldbase);
	size_t		 psize = (size_t)((char *)oldfirst - (char *)p);
	struct chunk	*q = ck_at(p, nb);
	size_t		 qsize = psize - nb;

	p->head = nb | PINUSE | CINUSE;
	if (oldfirst == a->top) {
		size_t	tsize = a->topsize += qsize;

		a->top = q;
		q->head = tsize | PINUSE;
	} else if (oldfirst == a->dv) {
		size_t	dsize = a->dvsize += qsize;

		a->dv = q;
		q->head = dsize | PINUSE;
		ck_at(q, dsize)->prev_foot = dsize;
	} else {
		if (!ck_inuse(oldfirst)) {
			size_t	nsize = ck_size(oldfirst);

			if (!span_safe(a, oldfirst, nsize) ||
			    bin_unlink(a, oldfirst, nsize, APPLY) != 0)
				return NULL;
			oldfirst = ck_at(oldfirst, nsize);
			qsize += nsize;
		}
		oldfirst->head &= ~PINUSE;
		q->head = qsize | PINUSE;
		ck_at(q, qsize)->prev_foot = qsize;
		if (bin_insert(a, q, qsize, APPLY) != 0)
			return NULL;
	}
	return ck_mem(p);
}

/* Verify the insertion add_segment will make for the old top's rest. */
static int
add_segment_verify(struct alloc *a)
{
	char		*old_top = (char *)a->top;
	const struct seg *os = &a->segs[0];
	char		*old_end = os->base + os->size;
	char		*raw = old_end - (SEGREC_SIZE + 4 * WORD + ALIGN_MASK);
	char		*asp = raw + align_off(raw + 2 * WORD);
	char		*csp = asp < old_top + MIN_CHUNK ? old_top : asp;

	if (csp != old_top)
		return bin_insert(a, (struct chunk *)old_top,
		    (size_t)(csp - old_top), VERIFY);
	return 0;
}

static void
add_segment(struct alloc *a, char *tbase, size_t tsize, uint32_t sflags)
{
	char		*old_top = (char *)a->top;
	char		*old_end = a->segs[0].base + a->segs[0].size;
	char		*raw = old_end - (SEGREC_SIZE + 4 * WORD + ALIGN_MASK);
	char		*asp = raw + align_off(raw + 2 * WORD);
	char		*csp = asp < old_top + MIN_CHUNK ? old_top : asp;
	struct chunk	*sp = (struct chunk *)csp;
	struct segrec	*ss = (struct segrec *)ck_mem(sp);
	struct chunk	*p = ck_at(sp, SEGREC_SIZE);
	size_t		 oldtopsize = a->topsize;

	init_top(a, (struct chunk *)tbase, tsize - TOP_FOOT);

	/* The record of the old head segment, in a chunk of its own. */
	sp->head = SEGREC_SIZE | PINUSE | CINUSE;
	ss->base = a->segs[0].base;
	ss->size = a->segs[0].size;
	ss->sflags = a->segs[0].sflags;
	ss->next = a->nsegs > 1 ? a->segs[1].rec : NULL;
	memset((char *)ss + offsetof(struct segrec, sflags) + 4, 0, 4);
	seg_push(a, tbase, tsize, sflags, ss);

	/* Fenceposts from there to the old end. */
	for (;;) {
		struct chunk	*nextp = ck_at(p, WORD);

		p->head = FENCE_HEAD;
		if ((char *)&nextp->head < old_end)
			p = nextp;
		else
			break;
	}

	EMIT(a, AEV_SEGMENT_NEW, a->top, tsize, old_top, oldtopsize,
	    ALLOC_BIN_NONE, 0);

	/* What is left of the old top becomes an ordinary free chunk. */
	if (csp != old_top) {
		struct chunk	*q = (struct chunk *)old_top;
		size_t		 psize = (size_t)(csp - old_top);

		ck_at(q, psize)->head &= ~PINUSE;
		q->head = psize | PINUSE;
		ck_at(q, psize)->prev_foot = psize;
		bin_insert(a, q, psize, APPLY);
	}
}

/* Get memory from the system for a request of nb that top cannot meet. */
static void *
sys_alloc(struct alloc *a, size_t nb)
{
	char		*tbase = MEMSRC_FAIL;
	size_t		 tsize = 0, asize;
	uint32_t	 mmap_flag = 0;

	/* Large requests get their own mapping, once the heap exists. */
	if (nb >= a->mmap_threshold && a->topsize != 0) {
		void	*mem = mmap_alloc(a, nb);

		if (mem != NULL)
			return mem;
	}

	asize = gran_align(a, nb + SYS_PAD);
	if (asize <= nb)
		return NULL;
	EMIT(a, AEV_SYS_ALLOC, a->top, asize, NULL, nb, ALLOC_BIN_NONE, 0);

	if (!a->noncontiguous) {
		char	*br = MEMSRC_FAIL;
		size_t	 ssize = asize;

		if (a->top == NULL) {	/* the first time */
			char	*base = memsrc_sbrk(a->src, 0);

			if (base != MEMSRC_FAIL) {
				size_t	mis = (uintptr_t)base &
				    (a->page_size - 1);

				if (mis != 0)
					ssize += a->page_size - mis;
				if (ssize > nb && ssize < HALF_MAX &&
				    (br = memsrc_sbrk(a->src,
				    (intptr_t)ssize)) == base) {
					tbase = base;
					tsize = ssize;
				}
			}
		} else {
			const struct seg	*ss = &a->segs[0];

			ssize = gran_align(a, nb - a->topsize + SYS_PAD);
			if (ssize < HALF_MAX &&
			    (br = memsrc_sbrk(a->src, (intptr_t)ssize)) ==
			    ss->base + ss->size) {
				tbase = br;
				tsize = ssize;
			}
		}

		if (tbase == MEMSRC_FAIL) {	/* partial failure */
			if (br != MEMSRC_FAIL) {
				if (ssize < HALF_MAX && ssize < nb + SYS_PAD) {
					size_t	esize = gran_align(a,
					    nb + SYS_PAD - ssize);

					if (esize < HALF_MAX) {
						char	*end = memsrc_sbrk(
						    a->src, (intptr_t)esize);

						if (end != MEMSRC_FAIL)
							ssize += esize;
						else {
							memsrc_sbrk(a->src,
							    -(intptr_t)ssize);
							br = MEMSRC_FAIL;
						}
					}
				}
			}
			if (br != MEMSRC_FAIL) {
				tbase = br;
				tsize = ssize;
			} else
				a->noncontiguous = true;
		}
	}

	if (tbase == MEMSRC_FAIL) {	/* a mapping as a segment */
		char	*mp = memsrc_mmap(a->src, asize);

		if (mp != MEMSRC_FAIL) {
			tbase = mp;
			tsize = asize;
			mmap_flag = SEG_MMAPPED;
		}
	}

	if (tbase == MEMSRC_FAIL && asize < HALF_MAX) {	/* any sbrk */
		char	*br = memsrc_sbrk(a->src, (intptr_t)asize);
		char	*end = memsrc_sbrk(a->src, 0);

		if (br != MEMSRC_FAIL && end != MEMSRC_FAIL && br < end) {
			size_t	ssize = (size_t)(end - br);

			if (ssize > nb + TOP_FOOT) {
				tbase = br;
				tsize = ssize;
			}
		}
	}

	if (tbase == MEMSRC_FAIL)
		return NULL;

	footprint_add(a, tsize);
	if (a->top == NULL) {
		if (a->least_addr == NULL || tbase < a->least_addr)
			a->least_addr = tbase;
		seg_push(a, tbase, tsize, mmap_flag, NULL);
		a->release_checks = 4095;
		init_top(a, (struct chunk *)tbase, tsize - TOP_FOOT);
		EMIT(a, AEV_SEGMENT_NEW, a->top, tsize, NULL, 0,
		    ALLOC_BIN_NONE, 0);
	} else {
		size_t	i;

		for (i = 0; i < a->nsegs; i++)
			if (tbase == a->segs[i].base + a->segs[i].size)
				break;
		if (i < a->nsegs && a->segs[i].sflags == mmap_flag &&
		    (char *)a->top >= a->segs[i].base &&
		    (char *)a->top < a->segs[i].base + a->segs[i].size) {
			a->segs[i].size += tsize;
			seg_sync(a, i);
			init_top(a, a->top, a->topsize + tsize);
			EMIT(a, AEV_SEGMENT_EXTENDED, a->top, tsize, NULL, 0,
			    ALLOC_BIN_NONE, 0);
		} else {
			if (tbase < a->least_addr)
				a->least_addr = tbase;
			for (i = 0; i < a->nsegs; i++)
				if (a->segs[i].base == tbase + tsize)
					break;
			if (i < a->nsegs && a->segs[i].sflags == mmap_flag) {
				char	*oldbase = a->segs[i].base;
				void	*mem;

				if (a->checks == ALLOC_CHECKS_STRICT &&
				    prepend_verify(a, oldbase) != 0)
					return NULL;
				a->segs[i].base = tbase;
				a->segs[i].size += tsize;
				seg_sync(a, i);
				EMIT(a, AEV_SEGMENT_EXTENDED, tbase, tsize,
				    oldbase, 0, ALLOC_BIN_NONE, 1);
				mem = prepend_alloc(a, tbase, oldbase, nb);
				return mem;
			}
			if (a->checks == ALLOC_CHECKS_STRICT &&
			    add_segment_verify(a) != 0)
				return NULL;
			add_segment(a, tbase, tsize, mmap_flag);
		}
	}

	if (nb < a->topsize) {
		size_t		 rsize = a->topsize -= nb;
		struct chunk	*p = a->top;
		struct chunk	*r = a->top = ck_at(p, nb);

		EMIT(a, AEV_TOP_HIT, p, rsize + nb, NULL, 0, ALLOC_BIN_TOP, 0);
		r->head = rsize | PINUSE;
		p->head = nb | PINUSE | CINUSE;
		EMIT(a, AEV_SPLIT, p, nb, r, rsize, ALLOC_BIN_TOP, 0);
		return ck_mem(p);
	}
	return NULL;
}

/* Give back mapped segments that hold nothing but one free chunk. */
static size_t
release_unused_segments_do(struct alloc *a)
{
	size_t	released = 0, nsegs = 0, i = 1;

	while (i < a->nsegs) {
		struct seg	*sp = &a->segs[i];
		char		*base = sp->base;
		size_t		 size = sp->size;
		bool		 removed = false;

		nsegs++;
		if (sp->sflags & SEG_MMAPPED) {
			struct chunk	*p = align_chunk(base);
			size_t		 psize;

			if (!safe(a, p, 2 * WORD))
				goto next;
			psize = ck_size(p);
			/* In integers, and bounded: psize comes from the heap. */
			if (!ck_inuse(p) &&
			    psize <= size - (size_t)((char *)p - base) &&
			    (size_t)((char *)p - base) + psize >= size - TOP_FOOT) {
				struct tchunk	*tp = (struct tchunk *)p;

				if (p == a->dv) {
					a->dv = NULL;
					a->dvsize = 0;
				} else {
					/* Verify (strict), then unlink once:
					 * with checks off this unlinked the
					 * chunk twice, breaking its tree. */
					if (a->checks == ALLOC_CHECKS_STRICT &&
					    tree_unlink(a, tp, VERIFY) != 0)
						goto next;
					if (tree_unlink(a, tp, APPLY) != 0)
						goto next;
				}
				if (memsrc_munmap(a->src, base, size) == 0) {
					released += size;
					a->footprint -= size;
					memmove(&a->segs[i], &a->segs[i + 1],
					    (a->nsegs - i - 1) *
					    sizeof *a->segs);
					a->nsegs--;
					seg_sync(a, i - 1);
					removed = true;
					EMIT(a, AEV_TRIM, base, size, NULL, 0,
					    ALLOC_BIN_NONE, 1);
				} else
					tree_insert(a, tp, psize, APPLY);
			}
		}
next:
		if (!removed)
			i++;
	}
	a->release_checks = nsegs > 4095 ? nsegs : 4095;
	return released;
}

/*
 * The system calls below may set errno; a free that succeeds leaves it
 * alone, so the trimming saves and restores it (not every free).
 */
static size_t
release_unused_segments(struct alloc *a)
{
	int	saved = errno;
	size_t	released = release_unused_segments_do(a);

	errno = saved;
	return released;
}

static int
sys_trim_do(struct alloc *a, size_t pad);

static int
sys_trim(struct alloc *a, size_t pad)
{
	int	saved = errno;
	int	rc = sys_trim_do(a, pad);

	errno = saved;
	return rc;
}

static int
sys_trim_do(struct alloc *a, size_t pad)
{
	size_t	released = 0;

	if (pad < MAX_REQUEST && a->top != NULL) {
		pad += TOP_FOOT;
		if (a->topsize > pad) {
			size_t		 unit = a->granularity;
			size_t		 extra = ((a->topsize - pad + (unit - 1)) /
			    unit - 1) * unit;
			size_t		 si = seg_index_holding(a, a->top);
			struct seg	*sp;

			if (si == SIZE_MAX)
				return 0;
			sp = &a->segs[si];

			if (sp->sflags & SEG_MMAPPED) {
				size_t	k;
				bool	pinned = false;

				for (k = 1; k < a->nsegs; k++) {
					char	*r = (char *)a->segs[k].rec;

					if (r >= sp->base &&
					    r < sp->base + sp->size)
						pinned = true;
				}
				if (sp->size >= extra && !pinned) {
					size_t	newsize = sp->size - extra;

					if (memsrc_mremap(a->src, sp->base,
					    sp->size, newsize, 0) !=
					    MEMSRC_FAIL ||
					    memsrc_munmap(a->src,
					    sp->base + newsize, extra) == 0)
						released = extra;
				}
			} else {
				char	*old_br, *rel_br, *new_br;

				if (extra >= HALF_MAX)
					extra = HALF_MAX + 1 - unit;
				old_br = memsrc_sbrk(a->src, 0);
				if (old_br == sp->base + sp->size) {
					rel_br = memsrc_sbrk(a->src,
					    -(intptr_t)extra);
					new_br = memsrc_sbrk(a->src, 0);
					if (rel_br != MEMSRC_FAIL &&
					    new_br != MEMSRC_FAIL &&
					    new_br < old_br)
						released = (size_t)(old_br -
						    new_br);
				}
			}
			if (released != 0) {
				sp->size -= released;
				seg_sync(a, si);
				a->footprint -= released;
				init_top(a, a->top, a->topsize - released);
				EMIT(a, AEV_TRIM, a->top, released, NULL, 0,
				    ALLOC_BIN_TOP, 0);
			}
		}
		released += release_unused_segments_do(a);
		if (released == 0 && a->topsize > a->trim_check)
			a->trim_check = SIZE_MAX;
	}
	return released != 0;
}

/* ------------------------------------------------------------------ */
/* malloc.                                                             */

static const char MSG_MCORR[] = "malloc(): memory corruption";
static const char MSG_TOP[] = "malloc(): corrupted top size";

/*
 * malloc(bytes).  Basic algorithm (dlmalloc's, in its order):
 *
 *  1. Pad the request to a chunk size nb: 8 bytes of header, rounded up
 *     to a multiple of 16, at least 32 (pad_req).
 *  2. A small request (under 233 bytes, nb under 256):
 *     a. its exact small bin (dlmalloc looks at the next one too, 8
 *        bytes up, which 16-byte chunk sizes leave empty): take the
 *        bin's first chunk, the last freed, whole (malloc_small_hit);
 *     b. unless dv can hold nb: the first non-empty small bin above, its
 *        first chunk split, the remainder the new dv; or, if the small
 *        bins are empty, the smallest chunk of the tree bins, split the
 *        same way (tmalloc_small).
 *  3. A large request: the best fit of the tree bins, the smallest chunk
 *     that holds nb (unless dv fits as well or better), split, the
 *     remainder to a bin (tmalloc_large).
 *  4. dv, if it holds nb: carve nb from its start (malloc_from_dv).
 *  5. top, if it is bigger than nb: carve nb from it (malloc_from_top).
 *  6. Ask the system (sys_alloc): a request at or above the mmap
 *     threshold gets a mapping of its own; anything else grows top
 *     (sbrk, or a new segment if the break moved under us), and nb is
 *     carved from the new top.
 *
 * do_malloc, right below, is that list in code; the steps it names
 * follow it.  alloc_malloc, at the end of this file, takes short ways
 * for the commonest requests: the same steps, in the same order, with
 * fewer tests.
 */
static void	*take_tree_chunk(struct alloc *, struct tchunk *, size_t, bool);
static void	*tmalloc_small(struct alloc *, size_t, bool *);
static void	*tmalloc_large(struct alloc *, size_t, bool *);
static inline __attribute__((always_inline)) void *malloc_small_hit(
		    struct alloc *, size_t, unsigned, uint32_t, bool, enum rec);
static inline __attribute__((always_inline)) void *malloc_from_dv(
		    struct alloc *, size_t, bool, enum rec);
static inline __attribute__((always_inline)) void *malloc_from_top(
		    struct alloc *, size_t, enum rec);

/*
 * The generic malloc.  recorded: a large request whose AEV_REQUEST the
 * recording short way (way_large) has already written before it
 * found that only this path could serve it; the rest is recorded as ever.
 */
static inline __attribute__((always_inline)) void *
do_malloc(struct alloc *a, size_t bytes, bool recorded)
{
	size_t		 nb;
	bool		 strict = a->checks == ALLOC_CHECKS_STRICT;
	bool		 refused = false;
	void		*mem;

	if (bytes <= MAX_SMALL_REQ) {
		unsigned	idx;
		uint32_t	smallbits;

		nb = bytes < MIN_REQUEST ? MIN_CHUNK : pad_req(bytes);
		EMIT(a, AEV_REQUEST, NULL, bytes, NULL, nb, ALLOC_BIN_NONE, 0);
		idx = (unsigned)(nb >> SMALL_SHIFT);
		smallbits = a->smallmap >> idx;

		if ((smallbits & 3u) != 0)	/* exact or next bin */
			return malloc_small_hit(a, nb, idx, smallbits, strict,
			    REC_EACH);
		EMIT(a, AEV_SMALLBIN_EMPTY, NULL, nb, NULL, 0, ALLOC_BIN_SMALL,
		    (int)idx);
		if (nb > a->dvsize) {
			if (smallbits != 0) {	/* next nonempty bin: split */
				uint32_t	 bit = 1u << idx;
				uint32_t	 left = (smallbits << idx) &
				    ((bit << 1) | -(bit << 1));
				unsigned	 i = (unsigned)__builtin_ctz(left);
				size_t		 s = (size_t)i << SMALL_SHIFT;
				size_t		 rsize = s - nb;
				struct chunk	*p, *r;

				if ((p = small_first(a, i, strict ? VERIFY :
				    APPLY)) == NULL)
					return NULL;
				if (strict && (verify_free_chunk(a, p, s,
				    MSG_MCORR) != 0 || (rsize >= MIN_CHUNK &&
				    a->dvsize != 0 && small_insert(a, a->dv,
				    a->dvsize, VERIFY) != 0)))
					return NULL;
				small_unlink_first(a, i, p);
				EMIT(a, AEV_SMALLBIN_HIT, p, s, NULL, 0,
				    ALLOC_BIN_SMALL, (int)i);
				if (rsize < MIN_CHUNK) {
					p->head = s | PINUSE | CINUSE;
					ck_at(p, s)->head |= PINUSE;
				} else {
					p->head = nb | PINUSE | CINUSE;
					r = ck_at(p, nb);
					r->head = rsize | PINUSE;
					ck_at(r, rsize)->prev_foot = rsize;
					EMIT(a, AEV_SPLIT, p, s, r, rsize,
					    ALLOC_BIN_DV, 0);
					replace_dv(a, r, rsize, APPLY);
				}
				return ck_mem(p);
			}
			if (a->treemap != 0) {
				mem = tmalloc_small(a, nb, &refused);
				if (mem != NULL || refused)
					return mem;
			}
		}
	} else if (bytes >= MAX_REQUEST) {
		nb = SIZE_MAX;	/* cannot be met: fails in sys_alloc */
		EMIT(a, AEV_REQUEST, NULL, bytes, NULL, nb, ALLOC_BIN_NONE, 0);
	} else {
		nb = pad_req(bytes);
		if (!recorded)
			EMIT(a, AEV_REQUEST, NULL, bytes, NULL, nb,
			    ALLOC_BIN_NONE, 0);
		if (a->treemap != 0) {
			mem = tmalloc_large(a, nb, &refused);
			if (mem != NULL || refused)
				return mem;
		}
	}

	if (nb <= a->dvsize)
		return malloc_from_dv(a, nb, strict, REC_EACH);

	if (strict && a->top != NULL && !top_head_ok(a->top, a->topsize)) {
		refuse(a, MSG_TOP, a->top, "top should be %zu bytes with PINUSE "
		    "set, but its head is 0x%zx", a->topsize, a->top->head);
		return NULL;
	}
	if (nb < a->topsize)
		return malloc_from_top(a, nb, REC_EACH);

	{
		size_t		 fp = a->footprint;
		unsigned long	 r0 = a->refusals;
		int		 saved = errno;	/* kept when memory comes */

		mem = sys_alloc(a, nb);
		/*
		 * A new segment that starts off the 16-byte grid (the program
		 * moved the break by an odd amount) loses up to 15 bytes to
		 * alignment in init_top, which dlmalloc would keep as a
		 * misaligned top: the memory just obtained can fall short of
		 * nb by those bytes.  Ask once more; the break now ends at the
		 * new segment, so the second call extends it.
		 */
		if (mem == NULL && a->refusals == r0 && a->footprint > fp)
			mem = sys_alloc(a, nb);
		if (mem != NULL)
			errno = saved;
	}
	return mem;
}

static void * __attribute__((noinline))
malloc_slow(struct alloc *a, size_t bytes, bool recorded)
{
	unsigned long	 r0 = a->refusals;
	void		*mem;

	/* errno is left alone on success: only sys_alloc may touch it. */
	mem = do_malloc(a, bytes, recorded);
	if (mem == NULL && a->refusals == r0)
		out_of_memory(a, bytes);
	return mem;
}

/* ---- The steps of malloc, as do_malloc names them. ---- */

/*
 * Split v (a tree chunk of v_size) for nb; remainder to dv or a bin.
 * Unchecked: each step checks what it follows (pointers out of the heap)
 * and writes, as an unchecked allocator would, even if a later step then
 * refuses.
 */
static void *
take_tree_chunk_unchecked(struct alloc *a, struct tchunk *tv, size_t nb,
    bool to_dv)
{
	struct chunk	*v = (struct chunk *)tv;
	size_t		 vsize = ck_size(v), rsize = vsize - nb;
	struct chunk	*r = ck_at(v, nb);

	if (!span_safe(a, v, vsize) || (char *)r <= (char *)v) {
		refuse(a, MSG_MCORR, v, "a free tree chunk claims %zu bytes "
		    "and runs outside the heap", vsize);
		return NULL;
	}
	/* Even unchecked: a smaller chunk would leave a remainder of -n. */
	if (vsize < nb || (vsize & ALIGN_MASK) != 0) {
		refuse(a, MSG_MCORR, v, "a free tree chunk's size field says "
		    "%zu, not a chunk of at least %zu bytes: something wrote "
		    "over its header", vsize, nb);
		return NULL;
	}
	if (tree_unlink(a, tv, APPLY) != 0)
		return NULL;
	EMIT(a, AEV_TREEBIN_HIT, v, vsize, NULL, 0, ALLOC_BIN_TREE,
	    (int)tree_index(vsize));
	if (rsize < MIN_CHUNK) {
		v->head = vsize | PINUSE | CINUSE;
		ck_at(v, vsize)->head |= PINUSE;
	} else {
		v->head = nb | PINUSE | CINUSE;
		r->head = rsize | PINUSE;
		ck_at(r, rsize)->prev_foot = rsize;
		if (to_dv) {
			EMIT(a, AEV_SPLIT, v, vsize, r, rsize, ALLOC_BIN_DV, 0);
			replace_dv(a, r, rsize, APPLY);
		} else {
			EMIT(a, AEV_SPLIT, v, vsize, r, rsize,
			    is_small(rsize) ? ALLOC_BIN_SMALL : ALLOC_BIN_TREE,
			    is_small(rsize) ? (int)(rsize >> SMALL_SHIFT) :
			    (int)tree_index(rsize));
			bin_insert(a, r, rsize, APPLY);
		}
	}
	return ck_mem(v);
}

/*
 * The same, strict: every check first (v's span and head, its unlink, the
 * remainder's bin), then the writes from the plans, so that a refusal
 * leaves the heap as it was.
 */
static inline __attribute__((always_inline)) void *
take_tree_chunk_do(struct alloc *a, struct tchunk *tv, size_t nb, bool to_dv,
    enum rec rec)
{
	struct chunk	*v = (struct chunk *)tv;
	size_t		 vsize = ck_size(v), rsize = vsize - nb;
	struct chunk	*r = ck_at(v, nb);
	struct tunlink	 u;
	struct tinsert	 ti;
	bool		 rewalk = false;

	if (a->checks != ALLOC_CHECKS_STRICT)
		return take_tree_chunk_unchecked(a, tv, nb, to_dv);
	if (!span_safe(a, v, vsize) || (char *)r <= (char *)v) {
		refuse(a, MSG_MCORR, v, "a free tree chunk claims %zu bytes "
		    "and runs outside the heap", vsize);
		return NULL;
	}
	if (vsize < nb || (vsize & ALIGN_MASK) != 0) {
		refuse(a, MSG_MCORR, v, "a free tree chunk's size field says "
		    "%zu, not a chunk of at least %zu bytes: something wrote "
		    "over its header", vsize, nb);
		return NULL;
	}
	/*
	 * verify_free_chunk(v), less what the two checks above have shown
	 * (its span, and a size of at least nb >= 32, a multiple of 16).
	 */
	if (ck_cinuse(v)) {
		refuse(a, MSG_MCORR, v, "a free chunk's head 0x%zx does not "
		    "say free, %zu bytes", v->head, vsize);
		return NULL;
	}
	if (verify_free_foot(a, v, vsize, MSG_MCORR) != 0 ||
	    tree_unlink_check(a, tv, true, &u) != 0)
		return NULL;
	ti.t = NULL;
	ti.c = NULL;
	ti.idx = 0;
	if (rsize >= MIN_CHUNK) {
		if (to_dv) {
			if (a->dvsize != 0 &&
			    small_insert(a, a->dv, a->dvsize, VERIFY) != 0)
				return NULL;
		} else if (is_small(rsize)) {
			if (small_insert(a, r, rsize, VERIFY) != 0)
				return NULL;
		} else if (tree_insert_check(a, rsize, true, &ti) != 0)
			return NULL;
	}
	if (tree_insert_stale(&ti, &u) && !tree_insert_fix(a, &ti, &u))
		rewalk = true;
	tree_unlink_commit(a, &u);
	EMITM(rec, a, AEV_TREEBIN_HIT, v, vsize, NULL, 0, ALLOC_BIN_TREE,
	    (int)tree_index(vsize));
	if (rsize < MIN_CHUNK) {
		v->head = vsize | PINUSE | CINUSE;
		ck_at(v, vsize)->head |= PINUSE;
		return ck_mem(v);
	}
	v->head = nb | PINUSE | CINUSE;
	r->head = rsize | PINUSE;
	ck_at(r, rsize)->prev_foot = rsize;
	if (to_dv) {
		EMITM(rec, a, AEV_SPLIT, v, vsize, r, rsize, ALLOC_BIN_DV, 0);
		replace_dv_commit(a, r, rsize, rec != REC_OFF);
	} else if (is_small(rsize)) {
		EMITM(rec, a, AEV_SPLIT, v, vsize, r, rsize, ALLOC_BIN_SMALL,
		    (int)(rsize >> SMALL_SHIFT));
		small_insert_commit(a, r, rsize, rec != REC_OFF);
	} else {
		EMITM(rec, a, AEV_SPLIT, v, vsize, r, rsize, ALLOC_BIN_TREE,
		    (int)tree_index(rsize));
		/* A plan tree_insert_fix could not mend is made again on the
		 * tree as it is now (as before, a remainder that could not be
		 * binned would be left out, the chunk still given). */
		if (rewalk && tree_insert_check(a, rsize, false, &ti) != 0)
			return ck_mem(v);
		tree_insert_commit(a, (struct tchunk *)r, rsize, &ti,
		    rec != REC_OFF);
	}
	return ck_mem(v);
}

static void * __attribute__((noinline))
take_tree_chunk(struct alloc *a, struct tchunk *tv, size_t nb, bool to_dv)
{
	return take_tree_chunk_do(a, tv, nb, to_dv, REC_EACH);
}

static inline size_t
tsize_of(const struct tchunk *t)
{
	return ck_size((const struct chunk *)t);
}

static inline struct tchunk *
leftmost(const struct tchunk *t)
{
	return t->child[0] != NULL ? t->child[0] : t->child[1];
}

/* Best fit among the tree bins for a small request. */
static void *
tmalloc_small(struct alloc *a, size_t nb, bool *refused)
{
	unsigned	 i = (unsigned)__builtin_ctz(a->treemap);
	struct tchunk	*t, *v;
	size_t		 rsize;
	int		 steps = 0;
	void		*mem;

	v = t = a->tbin[i];
	if (!tnode_safe(a, t))
		goto bad;
	rsize = tsize_of(t) - nb;
	while ((t = leftmost(t)) != NULL) {
		size_t	trem;

		if (!tnode_safe(a, t) || ++steps > 2 * 64)
			goto bad;
		trem = tsize_of(t) - nb;
		if (trem < rsize) {
			rsize = trem;
			v = t;
		}
	}
	mem = take_tree_chunk(a, v, nb, true);
	if (mem == NULL)
		*refused = true;
	return mem;
bad:
	refuse(a, MSG_TLIST, t, "tree bin %u leads outside the heap or loops",
	    i);
	*refused = true;
	return NULL;
}

/*
 * Best fit for a large request: the tree chunk to split, or NULL if dv
 * fits better or nothing fits (or, *refused set, the walk left the heap).
 * Only looks: the callers split, out of line (do_malloc) or inline (the
 * short ways, quiet or recording).
 */
static inline __attribute__((always_inline)) struct tchunk *
tree_fit_large(struct alloc *a, size_t nb, bool *refused)
{
	struct tchunk	*v = NULL, *t;
	size_t		 rsize = -nb;
	unsigned	 idx = tree_index_fast(nb);
	int		 steps = 0;

	if ((t = a->tbin[idx]) != NULL) {
		size_t		 sizebits = nb << tree_shift(idx);
		struct tchunk	*rst = NULL;

		for (;;) {
			struct tchunk	*rt;
			size_t		 trem;

			if (!tnode_safe(a, t) || ++steps > 2 * 64)
				goto bad;
			trem = tsize_of(t) - nb;
			if (trem < rsize) {
				v = t;
				if ((rsize = trem) == 0)
					break;
			}
			rt = t->child[1];
			t = t->child[(sizebits >> 63) & 1];
			if (rt != NULL && rt != t)
				rst = rt;
			if (t == NULL) {
				t = rst;
				break;
			}
			sizebits <<= 1;
		}
	}
	if (t == NULL && v == NULL) {
		uint32_t	bit = 1u << idx;
		uint32_t	left = ((bit << 1) | -(bit << 1)) & a->treemap;

		if (left != 0)
			t = a->tbin[__builtin_ctz(left)];
	}
	while (t != NULL) {
		size_t	trem;

		if (!tnode_safe(a, t) || ++steps > 4 * 64)
			goto bad;
		trem = tsize_of(t) - nb;
		if (trem < rsize) {
			rsize = trem;
			v = t;
		}
		t = leftmost(t);
	}
	if (v != NULL && rsize < (size_t)(a->dvsize - nb))
		return v;
	return NULL;
bad:
	refuse(a, MSG_TLIST, t, "tree bin %u leads outside the heap or loops",
	    idx);
	*refused = true;
	return NULL;
}

/* The same, and the split: do_malloc's, the split out of line. */
static void *
tmalloc_large(struct alloc *a, size_t nb, bool *refused)
{
	struct tchunk	*v = tree_fit_large(a, nb, refused);
	void		*mem;

	if (v == NULL)
		return NULL;
	mem = take_tree_chunk(a, v, nb, false);
	if (mem == NULL)
		*refused = true;
	return mem;
}

/* malloc from the exact small bin for nb, or the next one (idx: nb's). */
static inline __attribute__((always_inline)) void *
malloc_small_hit(struct alloc *a, size_t nb, unsigned idx, uint32_t smallbits,
    bool strict, enum rec rec)
{
	struct chunk	*p;
	size_t		 s;

	if ((smallbits & 1u) == 0)
		EMITM(rec, a, AEV_SMALLBIN_EMPTY, NULL, nb, NULL, 0,
		    ALLOC_BIN_SMALL, (int)idx);
	idx += ~smallbits & 1u;
	s = (size_t)idx << SMALL_SHIFT;
	if ((p = small_first(a, idx, strict ? VERIFY : APPLY)) == NULL)
		return NULL;
	if (strict && verify_free_chunk(a, p, s, MSG_MCORR))
		return NULL;
	small_unlink_first(a, idx, p);
	EMITM(rec, a, AEV_SMALLBIN_HIT, p, s, NULL, 0, ALLOC_BIN_SMALL,
	    (int)idx);
	p->head = s | PINUSE | CINUSE;
	ck_at(p, s)->head |= PINUSE;
	return ck_mem(p);
}

/* malloc from the designated victim (nb <= dvsize). */
static inline __attribute__((always_inline)) void *
malloc_from_dv(struct alloc *a, size_t nb, bool strict, enum rec rec)
{
	size_t		 rsize = a->dvsize - nb;
	struct chunk	*p = a->dv;

	if (strict && (ck_size(p) != a->dvsize || ck_cinuse(p) ||
	    ck_at(p, a->dvsize)->prev_foot != a->dvsize)) {
		refuse(a, "malloc(): invalid size (unsorted)", p, "the "
		    "designated victim should be a free %zu-byte chunk "
		    "but its head is 0x%zx", a->dvsize, p->head);
		return NULL;
	}
	EMITM(rec, a, AEV_DV_HIT, p, a->dvsize, NULL, 0, ALLOC_BIN_DV, 0);
	if (rsize >= MIN_CHUNK) {
		struct chunk	*r = a->dv = ck_at(p, nb);

		a->dvsize = rsize;
		r->head = rsize | PINUSE;
		ck_at(r, rsize)->prev_foot = rsize;
		p->head = nb | PINUSE | CINUSE;
		EMITM(rec, a, AEV_SPLIT, p, nb + rsize, r, rsize, ALLOC_BIN_DV,
		    0);
	} else {
		size_t	dvs = a->dvsize;

		a->dvsize = 0;
		a->dv = NULL;
		p->head = dvs | PINUSE | CINUSE;
		ck_at(p, dvs)->head |= PINUSE;
	}
	return ck_mem(p);
}

/* malloc from top (nb < topsize; top's head already checked if strict). */
static inline __attribute__((always_inline)) void *
malloc_from_top(struct alloc *a, size_t nb, enum rec rec)
{
	size_t		 rsize = a->topsize -= nb;
	struct chunk	*p = a->top;
	struct chunk	*r = a->top = ck_at(p, nb);

	EMITM(rec, a, AEV_TOP_HIT, p, rsize + nb, NULL, 0, ALLOC_BIN_TOP, 0);
	r->head = rsize | PINUSE;
	p->head = nb | PINUSE | CINUSE;
	EMITM(rec, a, AEV_SPLIT, p, nb + rsize, r, rsize, ALLOC_BIN_TOP, 0);
	return ck_mem(p);
}



/* ------------------------------------------------------------------ */
/* free.                                                               */

static const char MSG_INVPTR[] = "free(): invalid pointer";
static const char MSG_DFREE[] = "double free or corruption (!prev)";

/*
 * free(mem).  Basic algorithm (dlfree's):
 *
 *  1. Find the chunk: mem - 16.  A chunk with a mapping of its own (both
 *     INUSE bits clear) is unmapped whole (free_mapped).
 *  2. Check it is an in-use chunk of ours whose neighbours agree
 *     (verify_inuse): its PINUSE and the next chunk's, the sizes, the
 *     footer of a free chunk before it.  A check that fails refuses the
 *     free with glibc's message for the same condition.
 *  3. The chunk before is free (PINUSE clear): merge with it, taking it
 *     out of its bin; if it is dv, the two are the new dv.
 *  4. The chunk after is free: if it is top, the chunk joins top (and top
 *     is trimmed when it has grown past the trim threshold); if it is dv,
 *     the chunk joins dv; else it is taken out of its bin and merged.
 *     If it is in use, clear its PINUSE and write our size in its
 *     prev_foot (the footer).
 *  5. Put the result at the head of its small bin, or into its tree bin.
 *
 * free_chunk, right below, is steps 3 to 5.  alloc_free, at the end of
 * this file, runs steps 1 and 2 (locate) and then free_chunk; with strict
 * checks (the default) it takes the short ways of the last section, which
 * check everything steps 3 to 5 will read before the first write.
 */
static int	verify_inuse(struct alloc *, const struct seg *,
		    struct chunk *, bool);

static inline __attribute__((always_inline)) int
free_chunk(struct alloc *a, struct chunk *p)
{
	size_t		 psize = ck_size(p);
	struct chunk	*next = ck_at(p, psize);

	EMIT(a, AEV_FREE, p, psize, NULL, 0, ALLOC_BIN_NONE, 0);
	if (!ck_pinuse(p)) {
		size_t		 prevsize = p->prev_foot;
		struct chunk	*prev = (struct chunk *)((uintptr_t)p - prevsize);

		if (prevsize == 0 || prevsize > (size_t)(char *)p ||
		    !span_safe(a, prev, prevsize))
			return refuse(a, "corrupted size vs. prev_size while "
			    "consolidating", p, "the chunk before this one is "
			    "%zu bytes back, outside the heap", prevsize);
		EMIT(a, AEV_COALESCE_PREV, p, psize, prev, prevsize,
		    ALLOC_BIN_NONE, 0);
		psize += prevsize;
		p = prev;
		if (p != a->dv) {
			if (bin_unlink(a, p, prevsize, APPLY) != 0)
				return -1;
		} else if ((next->head & INUSE_BITS) == INUSE_BITS) {
			a->dvsize = psize;
			next->head &= ~PINUSE;
			p->head = psize | PINUSE;
			next->prev_foot = psize;
			EMIT(a, AEV_INTO_DV, p, psize, NULL, 0, ALLOC_BIN_DV,
			    0);
			return 0;
		}
	}
	/*
	 * With checks off, a chunk freed twice (next's PINUSE already clear)
	 * goes into its bin a second time, as in an unchecked allocator:
	 * that is the double-free lesson, and every write below stays
	 * inside chunks verify_inuse and span_safe have bounded.
	 */
	if ((char *)p >= (char *)next ||
	    (!ck_pinuse(next) && a->checks == ALLOC_CHECKS_STRICT))
		return refuse(a, MSG_DFREE, p, "the chunk after a %zu-byte "
		    "chunk being freed has PINUSE clear", psize);
	if (!ck_cinuse(next)) {
		if (next == a->top) {
			size_t	tsize = a->topsize += psize;

			EMIT(a, AEV_COALESCE_NEXT, p, psize, next, tsize - psize,
			    ALLOC_BIN_TOP, 0);
			a->top = p;
			p->head = tsize | PINUSE;
			if (p == a->dv) {
				a->dv = NULL;
				a->dvsize = 0;
			}
			EMIT(a, AEV_INTO_TOP, p, tsize, NULL, 0, ALLOC_BIN_TOP,
			    0);
			if (tsize > a->trim_check)
				sys_trim(a, 0);
			return 0;
		} else if (next == a->dv) {
			size_t	dsize = a->dvsize += psize;

			EMIT(a, AEV_COALESCE_NEXT, p, psize, next, dsize - psize,
			    ALLOC_BIN_DV, 0);
			a->dv = p;
			p->head = dsize | PINUSE;
			ck_at(p, dsize)->prev_foot = dsize;
			EMIT(a, AEV_INTO_DV, p, dsize, NULL, 0, ALLOC_BIN_DV,
			    0);
			return 0;
		} else {
			size_t	nsize = ck_size(next);

			if (!span_safe(a, next, nsize))
				return refuse(a, "free(): invalid next size "
				    "(normal)", next, "the free chunk after "
				    "this one claims %zu bytes", nsize);
			EMIT(a, AEV_COALESCE_NEXT, p, psize, next, nsize,
			    ALLOC_BIN_NONE, 0);
			if (bin_unlink(a, next, nsize, APPLY) != 0)
				return -1;
			psize += nsize;
			p->head = psize | PINUSE;
			ck_at(p, psize)->prev_foot = psize;
			if (p == a->dv) {
				a->dvsize = psize;
				EMIT(a, AEV_INTO_DV, p, psize, NULL, 0,
				    ALLOC_BIN_DV, 0);
				return 0;
			}
		}
	} else {
		next->head &= ~PINUSE;
		p->head = psize | PINUSE;
		next->prev_foot = psize;
	}
	if (is_small(psize))
		return small_insert(a, p, psize, APPLY);
	if (tree_insert(a, (struct tchunk *)p, psize, APPLY) != 0)
		return -1;
	if (--a->release_checks == 0)
		release_unused_segments(a);
	return 0;
}

/*
 * Is p proved not to be the start of a chunk of segment s?  A walk from
 * the segment's first chunk, for error reports.  When the walk meets a
 * header it cannot step over (damaged by an overflow) before it reaches
 * p, nothing is proved: the caller then reports the check p failed, not
 * a pointer into the middle of a block.
 */
static bool
not_a_chunk_start(const struct alloc *a, const struct seg *s,
    const struct chunk *p)
{
	struct chunk	*q = align_chunk(s->base);
	char		*end = s->base + s->size;

	while ((char *)q + 2 * WORD <= end) {
		size_t	sz;

		if (q == p)
			return false;
		if (q == a->top || q->head == FENCE_HEAD || (char *)q > (char *)p)
			return true;
		sz = ck_size(q);
		if (sz < 2 * WORD || (sz & ALIGN_MASK) != 0 ||
		    sz > (size_t)(end - (char *)q))
			return false;	/* the walk cannot go on: unknown */
		q = ck_at(q, sz);
	}
	return true;
}

/*
 * Verify a free of p (in segment s) as dlfree would do it.  With op
 * "realloc" the messages are realloc's.  On success *nextp is set.
 */
static inline __attribute__((always_inline)) int
verify_inuse(struct alloc *a, const struct seg *s, struct chunk *p,
    bool is_realloc)
{
	char		*end = s->base + s->size;
	size_t		 psize;
	struct chunk	*next;
	bool		 strict = a->checks == ALLOC_CHECKS_STRICT;
	const char	*m_ptr = is_realloc ? "realloc(): invalid pointer" :
	    MSG_INVPTR;

	if ((char *)p < (char *)align_chunk(s->base) ||
	    (char *)p + 2 * WORD > end)
		return refuse(a, m_ptr, p, "the pointer is not the payload of "
		    "any chunk");
	if (p == a->top)
		return refuse(a, is_realloc ? m_ptr :
		    "double free or corruption (top)", p, "the pointer is the "
		    "top chunk, which is free");
	if (s == &a->segs[0] && a->top != NULL && (char *)p > (char *)a->top)
		return refuse(a, m_ptr, p, "the pointer lies inside the top "
		    "chunk, which is free");
	if (ck_mmapped(p)) {
		if (not_a_chunk_start(a, s, p))
			return refuse(a, m_ptr, p, "the pointer is not the "
			    "payload of any chunk");
		return refuse(a, is_realloc ? m_ptr :
		    "munmap_chunk(): invalid pointer", p, "the chunk's head "
		    "0x%zx has both INUSE bits clear, as if mapped, but it "
		    "lies in the heap", p->head);
	}
	psize = ck_size(p);
	if (psize < MIN_CHUNK || (psize & ALIGN_MASK) != 0 ||
	    psize > (size_t)(end - (char *)p) - 2 * WORD ||
	    (s == &a->segs[0] && a->top != NULL &&
	    psize > (size_t)((char *)a->top - (char *)p))) {
		if (not_a_chunk_start(a, s, p))
			return refuse(a, m_ptr, p, "the pointer is not the "
			    "payload of any chunk");
		if (psize < MIN_CHUNK || (psize & ALIGN_MASK) != 0)
			return refuse(a, is_realloc ? "realloc(): invalid old "
			    "size" : "free(): invalid size", p, "the size field "
			    "(head 0x%zx) says %zu bytes, which no chunk has: "
			    "at least 32, a multiple of 16", p->head, psize);
		return refuse(a, is_realloc ? "realloc(): invalid old size" :
		    "double free or corruption (out)", p, "the size field "
		    "(head 0x%zx) says %zu bytes, so the next chunk would lie "
		    "past the end of the heap", p->head, psize);
	}
	if (!ck_cinuse(p) && (strict || is_realloc)) {
		if (not_a_chunk_start(a, s, p))
			return refuse(a, m_ptr, p, "the pointer is not the "
			    "payload of any chunk");
		return refuse(a, is_realloc ? m_ptr : MSG_DFREE, p,
		    "the %zu-byte chunk is already free (its CINUSE bit is "
		    "clear)", psize);
	}
	next = ck_at(p, psize);
	if (!strict)
		return 0;
	if (next != a->top) {
		size_t	ns = ck_size(next);

		if (next->head != FENCE_HEAD && (ns < MIN_CHUNK ||
		    (ns & ALIGN_MASK) != 0 ||
		    ns > (size_t)(end - (char *)next) - 2 * WORD))
			return refuse(a, is_realloc ?
			    "realloc(): invalid next size" :
			    "free(): invalid next size (normal)", p, "the "
			    "chunk after this %zu-byte chunk has a size of "
			    "%zu, which does not fit the heap", psize, ns);
	} else if (!top_head_ok(next, a->topsize))
		return refuse(a, is_realloc ? "realloc(): invalid next size" :
		    "free(): invalid next size (normal)", p, "top, after this "
		    "%zu-byte chunk, should be %zu bytes but says %zu", psize,
		    a->topsize, top_head_size(next));
	if (!ck_pinuse(next)) {
		if (not_a_chunk_start(a, s, p))
			return refuse(a, m_ptr, p, "the pointer is not the "
			    "payload of any chunk");
		return refuse(a, is_realloc ? m_ptr : MSG_DFREE, p, "the "
		    "chunk after this %zu-byte chunk has PINUSE clear, so this "
		    "one looks free already", psize);
	}
	if (!ck_pinuse(p)) {
		size_t		 prevsize = p->prev_foot;
		struct chunk	*prev = (struct chunk *)((uintptr_t)p - prevsize);

		if (prevsize < MIN_CHUNK || (prevsize & ALIGN_MASK) != 0 ||
		    prevsize > (size_t)((char *)p - (char *)align_chunk(
		    s->base)) || ck_size(prev) != prevsize)
			return refuse(a, "corrupted size vs. prev_size while "
			    "consolidating", p, "this %zu-byte chunk says the "
			    "free chunk before it has %zu bytes, which does "
			    "not match", psize, prevsize);
		if (ck_cinuse(prev))
			return refuse(a, "corrupted size vs. prev_size while "
			    "consolidating", p, "this %zu-byte chunk has "
			    "PINUSE clear but the %zu-byte chunk before it is "
			    "in use", psize, prevsize);
	}
	return 0;
}

/* Verify a free of an in-segment chunk, all the way (strict). */
static inline __attribute__((always_inline)) int
verify_free(struct alloc *a, struct chunk *p)
{
	size_t		 psize = ck_size(p);
	struct chunk	*next = ck_at(p, psize);

	if (!ck_pinuse(p)) {
		size_t		 prevsize = p->prev_foot;
		struct chunk	*prev = (struct chunk *)((uintptr_t)p - prevsize);

		psize += prevsize;
		p = prev;
		if (p == a->dv && prevsize != a->dvsize)
			return refuse(a, "corrupted size vs. prev_size while "
			    "consolidating", p, "the designated victim before "
			    "this chunk should be %zu bytes, not %zu",
			    a->dvsize, prevsize);
		if (p != a->dv) {
			if (verify_free_chunk(a, p, prevsize, MSG_DFREE) != 0 ||
			    bin_unlink(a, p, prevsize, VERIFY) != 0)
				return -1;
		} else if ((next->head & INUSE_BITS) == INUSE_BITS)
			return 0;
	}
	if (!ck_cinuse(next)) {
		if (next == a->top)
			return 0;
		if (next == a->dv) {
			if (ck_size(next) != a->dvsize)
				return refuse(a, "free(): invalid next size "
				    "(normal)", next, "the designated victim "
				    "after this chunk should be %zu bytes but "
				    "says %zu", a->dvsize, ck_size(next));
			return 0;
		}
		if (verify_free_chunk(a, next, ck_size(next), MSG_DFREE) != 0 ||
		    bin_unlink(a, next, ck_size(next), VERIFY) != 0)
			return -1;
		psize += ck_size(next);
		if (p == a->dv)
			return 0;
	}
	return bin_insert(a, p, psize, VERIFY);
}



static int
free_mapped(struct alloc *a, const struct mmchunk *m, bool is_realloc,
    bool verify_only)
{
	struct chunk	*p = m->p;
	size_t		 psize = ck_size(p);
	char		*map = m->map;
	size_t		 len = m->len;
	int		 saved;

	if (!ck_mmapped(p) || p->prev_foot != (size_t)((char *)p - map) ||
	    psize + p->prev_foot + MMAP_FOOT_PAD != len)
		return refuse(a, is_realloc ? "realloc(): invalid pointer" :
		    "munmap_chunk(): invalid pointer", p, "the header of a "
		    "mapped chunk of %zu bytes was overwritten (head 0x%zx, "
		    "prev_foot 0x%zx)", len - MMAP_FOOT_PAD, p->head,
		    p->prev_foot);
	if (verify_only)
		return 0;
	EMIT(a, AEV_FREE, p, psize, NULL, 0, ALLOC_BIN_NONE, 0);
	saved = errno;
	if (memsrc_munmap(a->src, map, len) == 0) {
		a->footprint -= len;
		mm_remove(a, m);
		EMIT(a, AEV_MUNMAP_CHUNK, p, psize, map, len, ALLOC_BIN_NONE,
		    0);
	}
	errno = saved;
	return 0;
}

/* Find what mem is and verify it: 0 with segp or mmp set, or -1. */
static inline __attribute__((always_inline)) int
locate(struct alloc *a, void *mem, const struct seg **segp,
    const struct mmchunk **mmp, bool is_realloc)
{
	struct chunk	*p = mem_ck(mem);

	*segp = NULL;
	*mmp = NULL;
	if (((uintptr_t)mem & ALIGN_MASK) != 0 || (uintptr_t)mem < 2 * WORD)
		return refuse(a, is_realloc ? "realloc(): invalid pointer" :
		    MSG_INVPTR, NULL, "the pointer is not 16-byte aligned, so "
		    "it is no chunk's payload");
	/*
	 * The newest segment first: a mapped chunk has a mapping of its own,
	 * never inside a segment, so a pointer there is no mapped chunk.
	 */
	if (__builtin_expect(in_seg0(a, p, 2 * WORD), 1)) {
		*segp = &a->segs[0];
		return verify_inuse(a, *segp, p, is_realloc);
	}
	if ((*mmp = alloc_mm_of(a, p)) != NULL)
		return free_mapped(a, *mmp, is_realloc, true);
	if ((*segp = alloc_seg_of(a, p, 2 * WORD)) == NULL)
		return refuse(a, is_realloc ? "realloc(): invalid pointer" :
		    MSG_INVPTR, NULL, "the pointer is not in the heap nor the "
		    "payload of a mapped chunk");
	return verify_inuse(a, *segp, p, is_realloc);
}

/*
 * The common case of verify_inuse (strict) for a chunk of the newest
 * segment, as a few compares that together imply all its checks pass: p
 * at or after the first chunk and below top; its head in use, with a
 * size that stays below top; the next head with PINUSE and a size that
 * fits (or top's exact head); and, if the chunk before is free, its size
 * and head as prev_foot says.  A no proves nothing: the caller then runs
 * verify_inuse, which finds the check that fails, and its message, or
 * none.  Needs p - seg0_lo < seg0_room (64 bytes at p are the segment's).
 */
static inline __attribute__((always_inline)) bool
inuse_ok_seg0(const struct alloc *a, const struct chunk *p)
{
	uintptr_t		 x = (uintptr_t)p, first = a->seg0_first;
	uintptr_t		 top = (uintptr_t)a->top;
	uintptr_t		 end = a->seg0_lo + a->seg0_size, lim;
	size_t			 head = p->head, psize = head & ~FLAG_BITS;
	const struct chunk	*next;

	if (top == 0 || x - first >= top - first)
		return false;
	/* x < top, and x < end - 63 (the caller's bound): the two limits
	 * in one, min(top, end - 16) - x. */
	lim = top < end - 2 * WORD ? top : end - 2 * WORD;
	if ((head & (CINUSE | ALLOC_ALIGN / 2)) != CINUSE ||
	    psize < MIN_CHUNK || psize > lim - x)
		return false;
	next = ck_at(p, psize);
	if ((uintptr_t)next == top) {
		if (next->head != (a->topsize | PINUSE))
			return false;
	} else {
		size_t	nh = next->head, ns = nh & ~FLAG_BITS;

		if ((nh & (PINUSE | ALLOC_ALIGN / 2)) != PINUSE ||
		    ns < MIN_CHUNK || ns > end - (uintptr_t)next - 2 * WORD)
			return false;
	}
	if ((head & PINUSE) == 0) {
		size_t	prevsize = p->prev_foot;

		if ((prevsize & ALIGN_MASK) != 0 || prevsize < MIN_CHUNK ||
		    prevsize > x - first ||
		    (ck_at(p, -prevsize)->head & ~(PINUSE | FLAG4)) != prevsize)
			return false;
	}
	return true;
}


/* ------------------------------------------------------------------ */
/* calloc, realloc, memalign.                                         */

/*
 * calloc(n, size).  Basic algorithm:
 *
 *  1. n * size, refused (ENOMEM) if it overflows.
 *  2. malloc that many bytes.
 *  3. Zero them, unless the chunk is a fresh mapping (the kernel's pages
 *     are zero already).  A chunk from a bin holds the bytes its last
 *     owner left: calloc is malloc and memset.
 */
void *
alloc_calloc(struct alloc *a, size_t n, size_t size)
{
	size_t	 req = 0;
	void	*mem;

	if (n != 0) {
		if (__builtin_mul_overflow(n, size, &req)) {
			EMIT(a, AEV_REQUEST, NULL, SIZE_MAX, NULL, SIZE_MAX,
			    ALLOC_BIN_NONE, 0);
			out_of_memory(a, SIZE_MAX);
			return NULL;
		}
	}
	mem = alloc_malloc(a, req);
	if (mem != NULL && !ck_mmapped(mem_ck(mem))) {
		memsrc_zero(a->src, mem, req);
		EMIT(a, AEV_CALLOC_ZERO, mem_ck(mem), req, NULL, 0,
		    ALLOC_BIN_NONE, 0);
	}
	return mem;
}

/*
 * realloc(mem, bytes).  Basic algorithm (dlrealloc's):
 *
 *  1. realloc(NULL, n) is malloc(n); realloc(mem, 0) frees mem and
 *     returns NULL (as glibc does).
 *  2. Check mem as free would (locate, verify_inuse).
 *  3. Pad the request to a chunk size nb.
 *  4. In place, if it can be done (realloc_in_place): a mapped chunk is
 *     resized with mremap; a chunk at least nb bytes is cut down and its
 *     tail freed (if the tail is a chunk's worth); a chunk followed by
 *     top or by a free chunk that together hold nb grows into it, the
 *     rest of that space left as top or freed.
 *  5. Else move: malloc(bytes), copy the old contents, free(mem).  If the
 *     malloc fails, mem is left as it was.
 */
static struct chunk *realloc_in_place(struct alloc *, struct chunk *, size_t,
		    bool *);

void *
alloc_realloc(struct alloc *a, void *oldmem, size_t bytes)
{
	const struct seg	*s;
	const struct mmchunk	*m;
	struct chunk		*oldp, *newp;
	size_t			 nb, oc;
	bool			 refused = false;
	void			*mem;
	int			 saved;

	/* errno is left alone on success; only mremap and the move below
	 * may touch it, and they put it back. */
	if (oldmem == NULL)
		return alloc_malloc(a, bytes);
	oldp = mem_ck(oldmem);
	/* The common case first, as in alloc_free: strict, newest segment. */
	if (__builtin_expect(a->checks == ALLOC_CHECKS_STRICT &&
	    ((uintptr_t)oldmem & ALIGN_MASK) == 0 &&
	    (uintptr_t)oldp - a->seg0_lo < a->seg0_room, 1)) {
		if (!inuse_ok_seg0(a, oldp) &&
		    verify_inuse(a, &a->segs[0], oldp, true) != 0)
			return NULL;
	} else if (locate(a, oldmem, &s, &m, true) != 0)
		return NULL;
	if (bytes == 0) {
		alloc_free(a, oldmem);
		return NULL;
	}
	if (bytes >= MAX_REQUEST) {
		out_of_memory(a, bytes);
		return NULL;
	}
	nb = bytes < MIN_REQUEST ? MIN_CHUNK : pad_req(bytes);
	EMIT(a, AEV_REQUEST, oldp, bytes, NULL, nb, ALLOC_BIN_NONE, 0);
	newp = realloc_in_place(a, oldp, nb, &refused);
	if (refused)
		return NULL;
	if (newp != NULL)
		return ck_mem(newp);
	saved = errno;
	oc = ck_size(oldp) - (ck_mmapped(oldp) ? MMAP_OVERHEAD : OVERHEAD);
	if (a->checks == ALLOC_CHECKS_STRICT && !ck_mmapped(oldp) &&
	    verify_free(a, oldp) != 0)
		return NULL;
	EMIT(a, AEV_REALLOC_MOVE, oldp, ck_size(oldp), NULL, nb,
	    ALLOC_BIN_NONE, 0);
	mem = alloc_malloc(a, bytes);
	if (mem != NULL) {
		/*
		 * memmove: with checks off, a realloc through a dangling
		 * pointer can be handed memory that overlaps the old block.
		 */
		memmove(mem, oldmem, oc < bytes ? oc : bytes);
		alloc_free(a, oldmem);
		errno = saved;
	}
	return mem;
}

void *
alloc_reallocarray(struct alloc *a, void *p, size_t n, size_t size)
{
	size_t	bytes;

	if (__builtin_mul_overflow(n, size, &bytes)) {
		out_of_memory(a, SIZE_MAX);
		return NULL;
	}
	return alloc_realloc(a, p, bytes);
}


/*
 * memalign(alignment, bytes).  Basic algorithm (dlmemalign's):
 *
 *  1. An alignment every chunk has anyway (16 or less) is malloc.
 *  2. Round the alignment up to a power of two, at least 32.
 *  3. malloc room to find an aligned chunk in: nb + alignment + 32 - 8
 *     bytes (nb: the request padded to a chunk size).
 *  4. If the payload is not aligned, the chunk moves up to the first
 *     aligned payload at least 32 bytes in, so that what is left before
 *     it is a chunk: that lead is freed (a mapped chunk keeps it as part
 *     of its offset in the mapping instead).
 *  5. If the chunk is more than a chunk's worth bigger than nb, the tail
 *     past nb is freed too.
 *
 * With strict checks both frees are checked before either is written; if
 * one would be refused, the whole block is freed again and memalign
 * refuses (NULL, EINVAL).
 */
static int	dispose(struct alloc *, struct chunk *, size_t, enum pass);
static inline void set_inuse(struct chunk *, size_t);

void *
alloc_memalign(struct alloc *a, size_t alignment, size_t bytes)
{
	bool		 strict = a->checks == ALLOC_CHECKS_STRICT;
	struct chunk	*p, *newp, *rem = NULL;
	size_t		 nb, psize, lead = 0, rsize = 0, al = 2 * ALLOC_ALIGN;
	char		*mem;

	if (alignment <= ALLOC_ALIGN)
		return alloc_malloc(a, bytes);
	if (alignment > MAX_REQUEST) {
		out_of_memory(a, bytes);
		return NULL;
	}
	while (al < alignment)
		al <<= 1;
	if (bytes >= MAX_REQUEST - al) {
		out_of_memory(a, bytes);
		return NULL;
	}
	nb = bytes < MIN_REQUEST ? MIN_CHUNK : pad_req(bytes);
	mem = alloc_malloc(a, nb + al + MIN_CHUNK - OVERHEAD);
	if (mem == NULL)
		return NULL;
	p = newp = mem_ck(mem);
	psize = ck_size(p);
	if (((uintptr_t)mem & (al - 1)) != 0) {
		char	*br = (char *)mem_ck((void *)(((uintptr_t)mem + al - 1) &
			    ~(uintptr_t)(al - 1)));

		if ((size_t)(br - (char *)p) < MIN_CHUNK)
			br += al;
		newp = (struct chunk *)br;
		lead = (size_t)(br - (char *)p);
	}
	if (!ck_mmapped(p) && psize - lead > nb + MIN_CHUNK) {
		rsize = psize - lead - nb;
		rem = ck_at(newp, nb);
	}
	if (strict && !ck_mmapped(p) &&
	    ((lead != 0 && bin_insert(a, p, lead, VERIFY) != 0) ||
	    (rem != NULL && dispose(a, rem, rsize, VERIFY) != 0))) {
		alloc_free(a, mem);
		errno = EINVAL;
		return NULL;
	}
	if (lead != 0) {
		EMIT(a, AEV_ALIGN_LEAD, newp, psize - lead, p, lead,
		    ALLOC_BIN_NONE, 0);
		if (ck_mmapped(p)) {
			struct mmchunk	*m = (struct mmchunk *)alloc_mm_of(a, p);

			newp->prev_foot = p->prev_foot + lead;
			newp->head = psize - lead;
			if (m != NULL)
				m->p = newp;
		} else {
			set_inuse(newp, psize - lead);
			set_inuse(p, lead);
			dispose(a, p, lead, APPLY);
		}
	}
	if (rem != NULL) {
		EMIT(a, AEV_ALIGN_TAIL, newp, nb, rem, rsize, ALLOC_BIN_NONE,
		    0);
		set_inuse(newp, nb);
		set_inuse(rem, rsize);
		dispose(a, rem, rsize, APPLY);
	}
	return ck_mem(newp);
}

/* Free r (size rsize, marked in use) into the heap: dlmalloc's dispose. */
static int
dispose(struct alloc *a, struct chunk *p, size_t psize, enum pass pass)
{
	struct chunk	*next = ck_at(p, psize);

	/* p follows an in-use chunk here, so only forward merging. */
	if (!ck_cinuse(next)) {
		if (next == a->top) {
			size_t	tsize;

			if (pass == VERIFY)
				return 0;
			tsize = a->topsize += psize;
			EMIT(a, AEV_COALESCE_NEXT, p, psize, next,
			    tsize - psize, ALLOC_BIN_TOP, 0);
			a->top = p;
			p->head = tsize | PINUSE;
			EMIT(a, AEV_INTO_TOP, p, tsize, NULL, 0, ALLOC_BIN_TOP,
			    0);
			return 0;
		} else if (next == a->dv) {
			size_t	dsize;

			if (pass == VERIFY)
				return 0;
			dsize = a->dvsize += psize;
			EMIT(a, AEV_COALESCE_NEXT, p, psize, next,
			    dsize - psize, ALLOC_BIN_DV, 0);
			a->dv = p;
			p->head = dsize | PINUSE;
			ck_at(p, dsize)->prev_foot = dsize;
			EMIT(a, AEV_INTO_DV, p, dsize, NULL, 0, ALLOC_BIN_DV,
			    0);
			return 0;
		} else {
			size_t	nsize = ck_size(next);

			if (!span_safe(a, next, nsize))
				return refuse(a, "realloc(): invalid next size",
				    next, "the free chunk after this one claims "
				    "%zu bytes", nsize);
			if (pass == VERIFY) {
				if (verify_free_chunk(a, next, nsize,
				    MSG_DFREE) != 0 ||
				    bin_unlink(a, next, nsize, VERIFY) != 0)
					return -1;
				return bin_insert(a, p, psize + nsize, VERIFY);
			}
			EMIT(a, AEV_COALESCE_NEXT, p, psize, next, nsize,
			    ALLOC_BIN_NONE, 0);
			if (bin_unlink(a, next, nsize, APPLY) != 0)
				return -1;
			psize += nsize;
			p->head = psize | PINUSE;
			ck_at(p, psize)->prev_foot = psize;
		}
	} else {
		if (pass == VERIFY)
			return bin_insert(a, p, psize, VERIFY);
		next->head &= ~PINUSE;
		p->head = psize | PINUSE;
		next->prev_foot = psize;
	}
	return bin_insert(a, p, psize, APPLY);
}

/* Mark p in use with size s, keeping its PINUSE; set next's PINUSE. */
static inline void
set_inuse(struct chunk *p, size_t s)
{
	p->head = (p->head & PINUSE) | s | CINUSE;
	ck_at(p, s)->head |= PINUSE;
}

/* In place if possible (dlmalloc's try_realloc_chunk); NULL if not. */
static struct chunk *
realloc_in_place(struct alloc *a, struct chunk *p, size_t nb, bool *refused)
{
	size_t		 oldsize = ck_size(p);
	struct chunk	*next = ck_at(p, oldsize);
	bool		 strict = a->checks == ALLOC_CHECKS_STRICT;

	if (ck_mmapped(p)) {
		struct chunk	*n = mmap_resize(a, p, nb, 1);

		if (n == p)
			EMIT(a, nb <= oldsize ? AEV_REALLOC_SHRINK :
			    AEV_REALLOC_GROW, p, oldsize, NULL, 0,
			    ALLOC_BIN_NONE, 0);
		return n;
	}
	if (oldsize >= nb) {
		size_t	rsize = oldsize - nb;

		if (rsize >= MIN_CHUNK) {
			struct chunk	*r = ck_at(p, nb);

			if (strict && dispose(a, r, rsize, VERIFY) != 0) {
				*refused = true;
				return NULL;
			}
			EMIT(a, AEV_REALLOC_SHRINK, p, nb, r, rsize,
			    ALLOC_BIN_NONE, 0);
			set_inuse(p, nb);
			set_inuse(r, rsize);
			if (dispose(a, r, rsize, APPLY) != 0)
				*refused = true;
		} else
			EMIT(a, AEV_REALLOC_SHRINK, p, oldsize, NULL, 0,
			    ALLOC_BIN_NONE, 0);
		return p;
	}
	if (next == a->top) {
		if (oldsize + a->topsize > nb) {
			size_t		 newsize = oldsize + a->topsize;
			size_t		 newtopsize = newsize - nb;
			struct chunk	*newtop = ck_at(p, nb);

			if (strict && !top_head_ok(next, a->topsize)) {
				refuse(a, MSG_TOP, next, "top should be %zu "
				    "bytes with PINUSE set, but its head is "
				    "0x%zx", a->topsize, next->head);
				*refused = true;
				return NULL;
			}
			EMIT(a, AEV_REALLOC_GROW, p, nb, next, a->topsize,
			    ALLOC_BIN_TOP, 0);
			set_inuse(p, nb);
			newtop->head = newtopsize | PINUSE;
			a->top = newtop;
			a->topsize = newtopsize;
			return p;
		}
		return NULL;
	}
	if (next == a->dv) {
		size_t	dvs = a->dvsize;

		if (oldsize + dvs >= nb) {
			size_t	dsize = oldsize + dvs - nb;

			if (strict && (ck_size(next) != dvs ||
			    ck_cinuse(next))) {
				refuse(a, "malloc(): invalid size (unsorted)",
				    next, "the designated victim should be a "
				    "free %zu-byte chunk but its head is 0x%zx",
				    dvs, next->head);
				*refused = true;
				return NULL;
			}
			EMIT(a, AEV_REALLOC_GROW, p, nb, next, dvs,
			    ALLOC_BIN_DV, 0);
			if (dsize >= MIN_CHUNK) {
				struct chunk	*r = ck_at(p, nb);
				struct chunk	*n = ck_at(r, dsize);

				set_inuse(p, nb);
				r->head = dsize | PINUSE;
				n->prev_foot = dsize;
				n->head &= ~PINUSE;
				a->dvsize = dsize;
				a->dv = r;
			} else {
				set_inuse(p, oldsize + dvs);
				a->dvsize = 0;
				a->dv = NULL;
			}
			return p;
		}
		return NULL;
	}
	if (!ck_cinuse(next)) {
		size_t	nextsize = ck_size(next);

		if (!span_safe(a, next, nextsize)) {
			refuse(a, "realloc(): invalid next size", next, "the "
			    "free chunk after this one claims %zu bytes",
			    nextsize);
			*refused = true;
			return NULL;
		}
		if (oldsize + nextsize >= nb) {
			size_t	rsize = oldsize + nextsize - nb;

			if (strict) {
				bool	bad = verify_free_chunk(a, next,
				    nextsize, MSG_DFREE) != 0 ||
				    bin_unlink(a, next, nextsize, VERIFY) != 0;

				if (!bad && rsize >= MIN_CHUNK)
					bad = bin_insert(a, ck_at(p, nb), rsize,
					    VERIFY) != 0;
				if (bad) {
					*refused = true;
					return NULL;
				}
			}
			EMIT(a, AEV_REALLOC_GROW, p, nb, next, nextsize,
			    is_small(nextsize) ? ALLOC_BIN_SMALL :
			    ALLOC_BIN_TREE, is_small(nextsize) ?
			    (int)(nextsize >> SMALL_SHIFT) :
			    (int)tree_index(nextsize));
			if (bin_unlink(a, next, nextsize, APPLY) != 0) {
				*refused = true;
				return NULL;
			}
			if (rsize < MIN_CHUNK)
				set_inuse(p, oldsize + nextsize);
			else {
				struct chunk	*r = ck_at(p, nb);

				set_inuse(p, nb);
				set_inuse(r, rsize);
				if (dispose(a, r, rsize, APPLY) != 0)
					*refused = true;
			}
			return p;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Sizes, parameters, life cycle.                                      */

size_t
alloc_request2size(size_t req)
{
	return req < MIN_REQUEST ? MIN_CHUNK : pad_req(req);
}

int
alloc_small_index(size_t s)
{
	return (int)(s >> SMALL_SHIFT);
}

int
alloc_tree_index(size_t s)
{
	return (int)tree_index(s);
}

size_t
alloc_usable_size(struct alloc *a, const void *mem)
{
	struct chunk	*p;

	if (mem == NULL || ((uintptr_t)mem & ALIGN_MASK) != 0)
		return 0;
	p = mem_ck(mem);
	if (alloc_mm_of(a, p) != NULL)
		return ck_mmapped(p) ? ck_size(p) - MMAP_OVERHEAD : 0;
	if (!safe(a, p, 2 * WORD) || !ck_inuse(p) || ck_mmapped(p))
		return 0;
	if (!safe(a, p, ck_size(p) + WORD))
		return 0;
	return ck_size(p) - OVERHEAD;
}

struct alloc *
alloc_create(struct memsrc *src, const struct alloc_params *params)
{
	struct alloc	*a;
	unsigned	 i;

	/*
	 * The state lives where a C allocator's globals would, in the data
	 * segment the memory source provides (dlmalloc's _gm_ is in .bss):
	 * the links from chunks to bin heads are then addresses a student can
	 * read.  A source without one gets host memory.
	 */
	a = memsrc_static(src, sizeof *a);
	if (a != NULL) {
		memset(a, 0, sizeof *a);
		a->state_is_static = true;
	} else
		a = host_alloc(1, sizeof *a);
	a->src = src;
	a->page_size = 4096;
	a->granularity = ALLOC_DEFAULT_GRANULARITY;
	a->mmap_threshold = ALLOC_DEFAULT_MMAP_THRESHOLD;
	a->trim_threshold = ALLOC_DEFAULT_TRIM_THRESHOLD;
	a->checks = ALLOC_CHECKS_STRICT;
	if (params != NULL) {
		if (params->mmap_threshold != 0)
			a->mmap_threshold = params->mmap_threshold;
		if (params->trim_threshold != 0)
			a->trim_threshold = params->trim_threshold;
		a->checks = params->checks;
	}
	for (i = 0; i < ALLOC_NSMALLBINS; i++)
		a->sbin[i].fd = a->sbin[i].bk = &a->sbin[i];
	a->err.glibc = NULL;
	return a;
}

void
alloc_destroy(struct alloc *a)
{
	if (a == NULL)
		return;
	free(a->segs);
	free(a->mm);
	if (!a->state_is_static)
		free(a);
}

void
alloc_set_events(struct alloc *a, struct alloc_events *ev)
{
	a->hook = NULL;
	a->hook_ctx = NULL;
	a->ev = ev;
}

/* The hook's buffer is full after every decision: hand it over. */
static void
hook_full(struct alloc_events *ev)
{
	struct alloc	*a = ev->ctx;

	ev->n = 0;
	a->hook(a->hook_ctx, &ev->v[0]);
}

void
alloc_set_hook(struct alloc *a, alloc_hook hook, void *ctx)
{
	a->hook = hook;
	a->hook_ctx = ctx;
	a->hook_buf.v = &a->hook_rec;
	a->hook_buf.n = 0;
	a->hook_buf.cap = 1;
	a->hook_buf.full = hook_full;
	a->hook_buf.ctx = a;
	a->ev = hook != NULL ? &a->hook_buf : NULL;
}
void
alloc_set_mmap_threshold(struct alloc *a, size_t v)
{
	a->mmap_threshold = v;
}

void
alloc_set_trim_threshold(struct alloc *a, size_t v)
{
	a->trim_threshold = v;
	/*
	 * dlmalloc's mallopt only sets the parameter and trim_check follows at
	 * the next init_top; a teacher who types `set trim_threshold` expects
	 * the next free to use it, so it takes effect at once here.
	 */
	if (a->top != NULL)
		a->trim_check = v;
}

void
alloc_set_checks(struct alloc *a, enum alloc_checks c)
{
	a->checks = c;
}

size_t alloc_mmap_threshold(const struct alloc *a) { return a->mmap_threshold; }
size_t alloc_trim_threshold(const struct alloc *a) { return a->trim_threshold; }
enum alloc_checks alloc_checks(const struct alloc *a) { return a->checks; }

const struct alloc_error *
alloc_last_error(const struct alloc *a)
{
	return &a->err;
}

/* ================================================================== */
/*                                                                    */
/*  THE SHORT WAYS: the same algorithm, made fast.                    */
/*                                                                    */
/*  Nothing below decides anything the sections above do not: each   */
/*  way is a few of do_malloc's or free_chunk's steps, taken in the   */
/*  same order with the same checks and recording the same decisions, */
/*  for the cases that are most of a program's calls.  Read the       */
/*  sections above to learn the algorithm; read this one to see what  */
/*  it costs.  The measured gain of each is in BENCHMARKS.            */
/*                                                                    */
/* ================================================================== */

/*
 * The commonest requests take a short way when the checks are on: a small
 * request met by its own or the next small bin, by dv, or by top when no
 * bin could be used instead; a large one by the tree bins, dv or top.
 * These are do_malloc's own steps (the same helpers, the same checks in the
 * same order) and, when someone records, its own decisions, record for
 * record; anything else is do_malloc's.  None of them can run out of
 * memory: a NULL here is a refusal.
 *
 * Each way has three copies, compiled from one body with rec constant
 * (enum rec, WAY_COPIES): quiet, recording with each record tested
 * (_each), and recording into room seen to when the operation began
 * (_room).  The recording copies write AEV_REQUEST themselves (and AEV_SMALLBIN_EMPTY
 * where do_malloc would), so that the choice records nothing and keeps no
 * registers.
 */

/*
 * The most records a short way writes (a refusal ends one sooner): the
 * request, then SMALLBIN_EMPTY and DV_HIT or TOP_HIT and SPLIT, or
 * TREEBIN_HIT, SPLIT and the remainder's BIN_INSERT.  test-alloc fails
 * if a way writes more than it asked room for.
 */
#define WAY_RECORDS	4u

/*
 * Three copies of the way whose one body is the always-inline function
 * WAY(rec, args...): NAME_quiet, NAME_each and NAME_room, each out of
 * line with its own small frame, rec a constant in each.  TAKE picks the
 * copy rec names, as a tail call.
 */
#define UNPAREN(...)	__VA_ARGS__
#define WAY_COPIES(way, params, args)					\
	static void * __attribute__((noinline)) way##_quiet params	\
	{ return way(REC_OFF, UNPAREN args); }				\
	static void * __attribute__((noinline)) way##_each params	\
	{ return way(REC_EACH, UNPAREN args); }				\
	static void * __attribute__((noinline)) way##_room params	\
	{ return way(REC_ROOM, UNPAREN args); }
#define TAKE(rec, way, args)						\
	((rec) == REC_ROOM ? way##_room args :				\
	    (rec) == REC_EACH ? way##_each args : way##_quiet args)

/* What do_malloc records before it turns to dv or top: the request, and
 * for a small one that its exact bin was empty. */
static inline __attribute__((always_inline)) void
record_request(struct alloc *a, size_t bytes, size_t nb, enum rec rec)
{
	EMITM(rec, a, AEV_REQUEST, NULL, bytes, NULL, nb, ALLOC_BIN_NONE, 0);
	if (bytes <= MAX_SMALL_REQ)
		EMITM(rec, a, AEV_SMALLBIN_EMPTY, NULL, nb, NULL, 0,
		    ALLOC_BIN_SMALL, (int)(nb >> SMALL_SHIFT));
}

/* Step 2a: the exact small bin or the next. */
static inline __attribute__((always_inline)) void *
way_small_hit(enum rec rec, struct alloc *a, size_t bytes, size_t nb,
    unsigned idx, uint32_t smallbits)
{
	EMITM(rec, a, AEV_REQUEST, NULL, bytes, NULL, nb, ALLOC_BIN_NONE, 0);
	return malloc_small_hit(a, nb, idx, smallbits, true, rec);
}
WAY_COPIES(way_small_hit, (struct alloc *a, size_t bytes, size_t nb,
    unsigned idx, uint32_t smallbits), (a, bytes, nb, idx, smallbits))

/* Step 4: dv. */
static inline __attribute__((always_inline)) void *
way_dv(enum rec rec, struct alloc *a, size_t bytes, size_t nb)
{
	record_request(a, bytes, nb, rec);
	return malloc_from_dv(a, nb, true, rec);
}
WAY_COPIES(way_dv, (struct alloc *a, size_t bytes, size_t nb),
    (a, bytes, nb))

/*
 * Step 5: top, when no bin could serve instead.  Its quiet and room
 * copies are not calls but inline where the way is chosen (the
 * commonest malloc of a growing heap); only _each is out of line.
 */
static inline __attribute__((always_inline)) void *
way_top(enum rec rec, struct alloc *a, size_t bytes, size_t nb)
{
	record_request(a, bytes, nb, rec);
	return malloc_from_top(a, nb, rec);
}
static void * __attribute__((noinline))
way_top_each(struct alloc *a, size_t bytes, size_t nb)
{
	return way_top(REC_EACH, a, bytes, nb);
}
#define way_top_quiet(a, bytes, nb)	way_top(REC_OFF, a, bytes, nb)
#define way_top_room(a, bytes, nb)	way_top(REC_ROOM, a, bytes, nb)

/*
 * Step 3 and after, for a large request: the tree bins (the split inline,
 * one frame for the walk and the split), then dv and top.  What is left
 * (the system, or a refusal) is do_malloc's: its tree walk finds again
 * that no tree chunk will do, and changes nothing.
 */
static inline __attribute__((always_inline)) void *
way_large(enum rec rec, struct alloc *a, size_t bytes, size_t nb)
{
	bool		 refused = false;
	struct tchunk	*v;

	EMITM(rec, a, AEV_REQUEST, NULL, bytes, NULL, nb, ALLOC_BIN_NONE, 0);
	v = tree_fit_large(a, nb, &refused);
	if (v != NULL)
		return take_tree_chunk_do(a, v, nb, false, rec);
	if (refused)
		return NULL;
	if (nb <= a->dvsize)
		return malloc_from_dv(a, nb, true, rec);
	if (a->top != NULL && nb < a->topsize &&
	    top_head_ok(a->top, a->topsize))
		return malloc_from_top(a, nb, rec);
	return malloc_slow(a, bytes, rec != REC_OFF);
}
WAY_COPIES(way_large, (struct alloc *a, size_t bytes, size_t nb),
    (a, bytes, nb))

/* The choice of a short way: do_malloc's tests, in its order. */
static inline __attribute__((always_inline)) void *
malloc_short(struct alloc *a, size_t bytes, enum rec rec)
{
	if (__builtin_expect(bytes <= MAX_SMALL_REQ, 1)) {
		size_t		 nb = bytes < MIN_REQUEST ? MIN_CHUNK :
		    pad_req(bytes);
		unsigned	 idx = (unsigned)(nb >> SMALL_SHIFT);
		uint32_t	 smallbits = a->smallmap >> idx;

		if ((smallbits & 3u) != 0)
			return TAKE(rec, way_small_hit,
			    (a, bytes, nb, idx, smallbits));
		if (nb <= a->dvsize)
			return TAKE(rec, way_dv, (a, bytes, nb));
		if (smallbits == 0 && a->treemap == 0 && a->top != NULL &&
		    nb < a->topsize && top_head_ok(a->top, a->topsize))
			return TAKE(rec, way_top, (a, bytes, nb));
	} else if (bytes < MAX_REQUEST) {
		size_t	nb = pad_req(bytes);

		if (a->treemap != 0)
			return TAKE(rec, way_large, (a, bytes, nb));
		if (nb <= a->dvsize)
			return TAKE(rec, way_dv, (a, bytes, nb));
		if (a->top != NULL && nb < a->topsize &&
		    top_head_ok(a->top, a->topsize))
			return TAKE(rec, way_top, (a, bytes, nb));
	}
	return malloc_slow(a, bytes, false);
}

/* Recording: the same choice, out of alloc_malloc's way. */
static void * __attribute__((noinline))
malloc_short_rec(struct alloc *a, size_t bytes)
{
	if (__builtin_expect(events_room(a->ev, WAY_RECORDS), 1))
		return malloc_short(a, bytes, REC_ROOM);
	return malloc_short(a, bytes, REC_EACH);
}

void *
alloc_malloc(struct alloc *a, size_t bytes)
{
	/* With the checks off, every request is do_malloc's. */
	if (__builtin_expect(a->checks != ALLOC_CHECKS_STRICT, 0))
		return malloc_slow(a, bytes, false);
	if (__builtin_expect(a->ev != NULL, 0))
		return malloc_short_rec(a, bytes);
	return malloc_short(a, bytes, REC_OFF);
}

/* ---- free. ---- */

/*
 * A strict free of a chunk verify_inuse passed, in one pass: verify_free's
 * checks in its order, each pointer validated once and the bin changes
 * planned; then free_chunk's writes and decisions, from the plans.  (The
 * plans: see the warning note at tree_lo.)
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
static inline __attribute__((always_inline)) int
free_strict_do(struct alloc *a, struct chunk *p, bool rec)
{
	size_t		 psize = ck_size(p), prevsize = 0, nsize, total;
	struct chunk	*next = ck_at(p, psize), *q = p;
	struct tunlink	 up, un;
	struct tinsert	 ti;
	bool		 rewalk = false;

	/* Only what tree_insert_stale reads before the checks fill them
	 * (and ti.idx, which GCC cannot see is always set when read). */
	up.x = up.r = un.x = un.r = NULL;
	ti.t = NULL;
	ti.idx = 0;
	total = psize;
	if (!ck_pinuse(p)) {
		prevsize = p->prev_foot;
		q = (struct chunk *)((uintptr_t)p - prevsize);
		total += prevsize;
		if (q == a->dv) {
			if (prevsize != a->dvsize)
				return refuse(a, "corrupted size vs. prev_size "
				    "while consolidating", q, "the designated "
				    "victim before this chunk should be %zu "
				    "bytes, not %zu", a->dvsize, prevsize);
			if ((next->head & INUSE_BITS) == INUSE_BITS)
				goto write;
		} else if (unlink_check(a, q, prevsize, &up) != 0)
			return -1;
		/*
		 * verify_free_chunk(q) is not needed: verify_inuse checked
		 * prevsize, q's head and that q lies in the segment, and q's
		 * footer is the prev_foot prevsize came from.
		 */
	}
	if (!ck_cinuse(next)) {
		if (next == a->top)
			goto write;
		if (next == a->dv) {
			if (ck_size(next) != a->dvsize)
				return refuse(a, "free(): invalid next size "
				    "(normal)", next, "the designated victim "
				    "after this chunk should be %zu bytes but "
				    "says %zu", a->dvsize, ck_size(next));
			goto write;
		}
		/*
		 * Of verify_free_chunk(next), only what verify_inuse has not
		 * checked: it bounded next's size by the segment and saw
		 * CINUSE clear, so the chunk after next is there to read.
		 */
		nsize = ck_size(next);
		if (verify_free_foot(a, next, nsize, MSG_DFREE) != 0 ||
		    unlink_check(a, next, nsize, &un) != 0)
			return -1;
		total += nsize;
		if (q == a->dv)
			goto write;
	}
	if (is_small(total)) {
		if (small_insert(a, q, total, VERIFY) != 0)
			return -1;
	} else if (tree_insert_check(a, total, true, &ti) != 0)
		return -1;

write:
	EMITR(rec, a, AEV_FREE, p, psize, NULL, 0, ALLOC_BIN_NONE, 0);
	if (!ck_pinuse(p)) {
		EMITR(rec, a, AEV_COALESCE_PREV, p, psize, q, prevsize,
		    ALLOC_BIN_NONE, 0);
		psize += prevsize;
		p = q;
		if (p != a->dv) {
			if (tree_insert_stale(&ti, &up) &&
			    !tree_insert_fix(a, &ti, &up))
				rewalk = true;
			unlink_commit(a, p, prevsize, &up);
		} else if ((next->head & INUSE_BITS) == INUSE_BITS) {
			a->dvsize = psize;
			next->head &= ~PINUSE;
			p->head = psize | PINUSE;
			next->prev_foot = psize;
			EMITR(rec, a, AEV_INTO_DV, p, psize, NULL, 0,
			    ALLOC_BIN_DV, 0);
			return 0;
		}
	}
	if (!ck_cinuse(next)) {
		if (next == a->top) {
			size_t	tsize = a->topsize += psize;

			EMITR(rec, a, AEV_COALESCE_NEXT, p, psize, next,
			    tsize - psize, ALLOC_BIN_TOP, 0);
			a->top = p;
			p->head = tsize | PINUSE;
			if (p == a->dv) {
				a->dv = NULL;
				a->dvsize = 0;
			}
			EMITR(rec, a, AEV_INTO_TOP, p, tsize, NULL, 0,
			    ALLOC_BIN_TOP, 0);
			if (tsize > a->trim_check)
				sys_trim(a, 0);
			return 0;
		} else if (next == a->dv) {
			size_t	dsize = a->dvsize += psize;

			EMITR(rec, a, AEV_COALESCE_NEXT, p, psize, next,
			    dsize - psize, ALLOC_BIN_DV, 0);
			a->dv = p;
			p->head = dsize | PINUSE;
			ck_at(p, dsize)->prev_foot = dsize;
			EMITR(rec, a, AEV_INTO_DV, p, dsize, NULL, 0,
			    ALLOC_BIN_DV, 0);
			return 0;
		}
		nsize = ck_size(next);
		EMITR(rec, a, AEV_COALESCE_NEXT, p, psize, next, nsize,
		    ALLOC_BIN_NONE, 0);
		/* Both neighbours in one tree: the first unlink may have
		 * moved what the second's plan was made from. */
		if (up.x != NULL && !is_small(nsize) &&
		    tree_index_fast(nsize) == tree_index_fast(prevsize) &&
		    tree_unlink_check(a, (struct tchunk *)next, false, &un) != 0)
			return -1;
		if (tree_insert_stale(&ti, &un) && !tree_insert_fix(a, &ti, &un))
			rewalk = true;
		unlink_commit(a, next, nsize, &un);
		psize += nsize;
		p->head = psize | PINUSE;
		ck_at(p, psize)->prev_foot = psize;
		if (p == a->dv) {
			a->dvsize = psize;
			EMITR(rec, a, AEV_INTO_DV, p, psize, NULL, 0,
			    ALLOC_BIN_DV, 0);
			return 0;
		}
	} else {
		next->head &= ~PINUSE;
		p->head = psize | PINUSE;
		next->prev_foot = psize;
	}
	if (is_small(psize)) {
		small_insert_commit(a, p, psize, rec);
		return 0;
	}
	if (rewalk && tree_insert_check(a, psize, false, &ti) != 0)
		return -1;
	tree_insert_commit(a, (struct tchunk *)p, psize, &ti, rec);
	if (--a->release_checks == 0)
		release_unused_segments(a);
	return 0;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

static inline __attribute__((always_inline)) int
free_strict(struct alloc *a, struct chunk *p)
{
	return free_strict_do(a, p, true);
}

/* verify_inuse out of line, for when inuse_ok_seg0 said no. */
static int __attribute__((noinline))
verify_inuse_seg0(struct alloc *a, struct chunk *p)
{
	return verify_inuse(a, &a->segs[0], p, false);
}

/* free_strict out of line, after verify_inuse_seg0 cleared the chunk. */
static int __attribute__((noinline))
free_strict_seg0(struct alloc *a, struct chunk *p)
{
	return free_strict(a, p);
}

/*
 * free_strict_do's steps for a chunk whose neighbours are both in use
 * (PINUSE set, the next chunk's CINUSE set): no merge, so no unlink
 * plans, only the insertion's check and then the writes and decisions.
 * A small frame for the commonest free; quiet when nobody records.  It
 * earns its place: without it (free_strict_do for every strict free) the
 * malloc-lab median costs 197 instructions per operation instead of 192
 * (core), 251 instead of 247 (core+events), callgrind, same build.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
static inline __attribute__((always_inline)) int
free_plain_do(struct alloc *a, struct chunk *p, size_t psize, bool rec)
{
	struct chunk	*next = ck_at(p, psize);
	struct tinsert	 ti;

	if (is_small(psize)) {
		if (small_insert(a, p, psize, VERIFY) != 0)
			return -1;
		EMITR(rec, a, AEV_FREE, p, psize, NULL, 0, ALLOC_BIN_NONE, 0);
		next->head &= ~PINUSE;
		p->head = psize | PINUSE;
		next->prev_foot = psize;
		small_insert_commit(a, p, psize, rec);
		return 0;
	}
	if (tree_insert_check(a, psize, true, &ti) != 0)
		return -1;
	EMITR(rec, a, AEV_FREE, p, psize, NULL, 0, ALLOC_BIN_NONE, 0);
	next->head &= ~PINUSE;
	p->head = psize | PINUSE;
	next->prev_foot = psize;
	tree_insert_commit(a, (struct tchunk *)p, psize, &ti, rec);
	if (--a->release_checks == 0)
		release_unused_segments(a);
	return 0;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* Everything but a strict free in the newest segment. */
static int __attribute__((noinline))
free_other(struct alloc *a, void *mem)
{
	const struct seg	*s;
	const struct mmchunk	*m;
	struct chunk		*p;

	if (locate(a, mem, &s, &m, false) != 0)
		return -1;
	if (m != NULL)
		return free_mapped(a, m, false, false);
	p = mem_ck(mem);
	if (a->checks == ALLOC_CHECKS_STRICT)
		return free_strict(a, p);
	return free_chunk(a, p);
}

/* The whole strict free of a chunk of the newest segment, one frame. */
static inline __attribute__((always_inline)) int
free_seg0_do(struct alloc *a, struct chunk *p, bool rec)
{
	if (__builtin_expect(inuse_ok_seg0(a, p), 1)) {
		size_t	psize = ck_size(p);

		if (ck_pinuse(p) && ck_cinuse(ck_at(p, psize)))
			return free_plain_do(a, p, psize, rec);
		return free_strict_do(a, p, rec);
	}
	if (verify_inuse_seg0(a, p) != 0)
		return -1;
	return free_strict_seg0(a, p);
}

static int __attribute__((noinline))
free_seg0_quiet(struct alloc *a, struct chunk *p)
{
	return free_seg0_do(a, p, false);
}

static int __attribute__((noinline))
free_seg0(struct alloc *a, struct chunk *p)
{
	return free_seg0_do(a, p, true);
}

int
alloc_free(struct alloc *a, void *mem)
{
	struct chunk	*p;

	/* errno is left alone on success: only trimming and munmap may
	 * touch it, and they put it back. */
	if (mem == NULL)
		return 0;
	p = mem_ck(mem);
	if (__builtin_expect(a->checks == ALLOC_CHECKS_STRICT &&
	    ((uintptr_t)mem & ALIGN_MASK) == 0 &&
	    (uintptr_t)p - a->seg0_lo < a->seg0_room, 1)) {
		return a->ev == NULL ? free_seg0_quiet(a, p) :
		    free_seg0(a, p);
	}
	return free_other(a, mem);
}
