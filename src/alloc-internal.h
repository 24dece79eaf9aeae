/*
 * alloc-internal.h -- what alloc.c, alloc-check.c and alloc-walk.c share.
 *
 * The chunk layout, the constants of dlmalloc 2.8.6 on a 64-bit host, the
 * bookkeeping struct and the small helpers that decide whether an address
 * taken from the heap may be followed.  Nothing here is public.
 */
#ifndef HEAPVIZ_ALLOC_INTERNAL_H
#define HEAPVIZ_ALLOC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "alloc.h"

/* ---- Sizes (64-bit, no FOOTERS). ---- */

#define WORD		((size_t)8)
#define ALIGN_MASK	((size_t)ALLOC_ALIGN - 1)
#define OVERHEAD	((size_t)ALLOC_OVERHEAD)	/* in-use chunk */
#define MMAP_OVERHEAD	((size_t)16)			/* mmapped chunk */
#define MMAP_FOOT_PAD	((size_t)32)	/* fencepost room after a mapping */
#define MIN_CHUNK	((size_t)ALLOC_MIN_CHUNK)
#define MIN_REQUEST	(MIN_CHUNK - OVERHEAD - 1)		/* 23 */
#define MAX_REQUEST	((size_t)(-MIN_CHUNK) << 2)
#define HALF_MAX	(SIZE_MAX / 2)

#define SMALL_SHIFT	3
#define TREE_SHIFT	8
#define MIN_LARGE	((size_t)1 << TREE_SHIFT)		/* 256 */
#define MAX_SMALL_REQ	((size_t)ALLOC_MAX_SMALL_REQUEST)	/* 232 */

/* A segment record is a 32-byte struct, padded to a 48-byte chunk. */
#define SEGREC_SIZE	((size_t)48)
/* Room kept past top in every segment for that record and its fences. */
#define TOP_FOOT	(SEGREC_SIZE + MIN_CHUNK)		/* 80 */
#define SYS_PAD		(TOP_FOOT + ALLOC_ALIGN)		/* 96 */

/* ---- Head bits. ---- */

#define PINUSE		((size_t)1)
#define CINUSE		((size_t)2)
#define FLAG4		((size_t)4)
#define INUSE_BITS	(PINUSE | CINUSE)
#define FLAG_BITS	(PINUSE | CINUSE | FLAG4)
#define FENCE_HEAD	(INUSE_BITS | WORD)			/* 11 */

/* Segment flags (sflags word of a segment record). */
#define SEG_MMAPPED	1u

/* ---- The chunk, as the bytes of the heap hold it. ---- */

struct chunk {
	size_t		 prev_foot;	/* size of the previous chunk if free */
	size_t		 head;		/* size | CINUSE | PINUSE */
	struct chunk	*fd;		/* free chunks only */
	struct chunk	*bk;
};

struct tchunk {
	size_t		 prev_foot;
	size_t		 head;
	struct tchunk	*fd;
	struct tchunk	*bk;
	struct tchunk	*child[2];
	struct tchunk	*parent;
	uint32_t	 index;
};

/* The 32-byte record a segment keeps of the segment before it. */
struct segrec {
	char		*base;
	size_t		 size;
	struct segrec	*next;
	uint32_t	 sflags;
};

static inline size_t ck_size(const struct chunk *p) { return p->head & ~FLAG_BITS; }
/*
 * Top's size as its head holds it.  A segment that starts off the 16-byte
 * grid (a foreign sbrk left the break there) ends off it too, so top's
 * size need not be a multiple of 16: only the two INUSE bits are flags.
 */
static inline size_t top_head_size(const struct chunk *p) { return p->head & ~INUSE_BITS; }
/*
 * Does top's head agree with the size the allocator keeps for it?  When a
 * foreign sbrk left a segment off the grid, top's size can carry CINUSE
 * itself; dlmalloc then treats top as in use and clears its PINUSE when the
 * chunk below is freed.  That is dlmalloc's doing, not damage.
 */
static inline bool top_head_ok(const struct chunk *p, size_t topsize)
{
	size_t	h = p->head;

	/* The common case first: exactly topsize with PINUSE. */
	if (__builtin_expect(h == (topsize | PINUSE), 1))
		return true;
	return (h & ~INUSE_BITS) == (topsize & ~INUSE_BITS) &&
	    ((h & PINUSE) != 0 || (topsize & CINUSE) != 0);
}

/* Words that may sit off the 8-byte grid (top's trailing foot). */
static inline size_t load_word(const void *p)
{
	size_t	v;

	__builtin_memcpy(&v, p, sizeof v);
	return v;
}
static inline void store_word(void *p, size_t v)
{
	__builtin_memcpy(p, &v, sizeof v);
}
static inline bool ck_cinuse(const struct chunk *p) { return (p->head & CINUSE) != 0; }
static inline bool ck_pinuse(const struct chunk *p) { return (p->head & PINUSE) != 0; }
static inline bool ck_inuse(const struct chunk *p) { return (p->head & INUSE_BITS) != PINUSE; }
static inline bool ck_mmapped(const struct chunk *p) { return (p->head & INUSE_BITS) == 0; }
/* Integer arithmetic: off may come from a damaged header and wrap. */
static inline struct chunk *ck_at(const void *p, size_t off) { return (struct chunk *)((uintptr_t)p + off); }
static inline void *ck_mem(const struct chunk *p) { return (char *)p + 2 * WORD; }
static inline struct chunk *mem_ck(const void *m) { return (struct chunk *)((char *)m - 2 * WORD); }
static inline size_t align_off(const void *a)
{
	size_t	r = (uintptr_t)a & ALIGN_MASK;

	return r == 0 ? 0 : ALLOC_ALIGN - r;
}
/* The first chunk at or after base whose payload is aligned. */
static inline struct chunk *align_chunk(const char *base)
{
	return (struct chunk *)(base + align_off(base + 2 * WORD));
}
static inline size_t pad_req(size_t n)
{
	return (n + OVERHEAD + ALIGN_MASK) & ~ALIGN_MASK;
}
static inline bool is_small(size_t s) { return (s >> SMALL_SHIFT) < ALLOC_NSMALLBINS; }

/* ---- Host-side bookkeeping. ---- */

/* One segment, in dlmalloc's list order (0 is the newest, "m->seg"). */
struct seg {
	char		*base;
	size_t		 size;
	uint32_t	 sflags;
	struct segrec	*rec;	/* where the heap holds this entry (0: none) */
};

/* One directly mapped chunk, kept sorted by address. */
struct mmchunk {
	struct chunk	*p;
	char		*map;
	size_t		 len;
};

struct alloc {
	uint32_t	 smallmap;
	uint32_t	 treemap;
	size_t		 dvsize;
	size_t		 topsize;
	char		*least_addr;
	struct chunk	*dv;
	struct chunk	*top;
	size_t		 trim_check;
	size_t		 release_checks;
	struct chunk	 sbin[ALLOC_NSMALLBINS];	/* list heads */
	struct tchunk	*tbin[ALLOC_NTREEBINS];
	size_t		 footprint;
	size_t		 max_footprint;
	bool		 noncontiguous;

	struct memsrc	*src;
	size_t		 page_size;
	size_t		 granularity;
	size_t		 mmap_threshold;
	size_t		 trim_threshold;
	enum alloc_checks checks;

	struct alloc_events *ev;	/* decisions go here, or NULL */
	alloc_hook	 hook;		/* alloc_set_hook's: ev is then */
	void		*hook_ctx;	/* hook_buf, one record long */
	struct alloc_events hook_buf;
	struct alloc_event hook_rec;
	struct alloc_error err;
	unsigned long	 refusals;	/* count of refused operations */

	struct seg	*segs;
	size_t		 nsegs, segcap;
	/* segs[0] as [seg0_lo, seg0_lo + seg0_size), for the hot checks
	 * (0, 0 with no segment); kept by alloc.c's seg_cache().  seg0_room
	 * is seg0_size - 63 (0 if smaller): p - seg0_lo < seg0_room says in
	 * one compare that 64 bytes at p lie in the segment. */
	uintptr_t	 seg0_lo;
	size_t		 seg0_size;
	size_t		 seg0_room;
	uintptr_t	 seg0_first;	/* its first chunk */
	/* For aligned addresses: seg0_lo rounded up to 16, and how many
	 * 16-byte steps from there stay within seg0_room. */
	uintptr_t	 seg0_lo16;
	size_t		 seg0_room16;
	struct mmchunk	*mm;
	size_t		 nmm, mmcap;
	bool		 state_is_static;	/* in memsrc_static() memory */
};

/* ---- Index helpers (alloc.c). ---- */

static inline unsigned tree_index(size_t s)
{
	size_t		x = s >> TREE_SHIFT;
	unsigned	k;

	if (x == 0)
		return 0;
	if (x > 0xFFFF)
		return ALLOC_NTREEBINS - 1;
	k = 31u - (unsigned)__builtin_clz((unsigned)x);
	return (k << 1) + (unsigned)((s >> (k + TREE_SHIFT - 1)) & 1);
}
/* The same for a size known to be at least 256 (a tree chunk's). */
static inline unsigned tree_index_large(size_t s)
{
	size_t		x = s >> TREE_SHIFT;
	unsigned	k;

	if (x > 0xFFFF)
		return ALLOC_NTREEBINS - 1;
	k = 63u - (unsigned)__builtin_clzll(x | 1);
	return (k << 1) + (unsigned)((s >> (k + TREE_SHIFT - 1)) & 1);
}
/* Shift that puts the first undecided size bit of bin i at the top. */
static inline unsigned tree_shift(unsigned i)
{
	return i == ALLOC_NTREEBINS - 1 ? 0 :
	    (unsigned)(63 - ((i >> 1) + TREE_SHIFT - 2));
}
static inline size_t tree_minsize(unsigned i)
{
	return ((size_t)1 << ((i >> 1) + TREE_SHIFT)) |
	    ((size_t)(i & 1) << ((i >> 1) + TREE_SHIFT - 1));
}

/* ---- Address checks (alloc.c). ---- */

/* The segment holding [p, p + len), or NULL. */
const struct seg *alloc_seg_of(const struct alloc *, const void *, size_t);
/* The mapped chunk whose chunk header is exactly at p, or NULL. */
const struct mmchunk *alloc_mm_of(const struct alloc *, const void *);
/* True if [p, p + len) lies in memory this allocator obtained. */
bool	alloc_mapped(const struct alloc *, const void *, size_t);
/* A sentinel of a small bin (host struct), or -1. */
int	alloc_sbin_of(const struct alloc *, const void *);
/* A tree bin slot pointer (as a root's parent holds it), or -1. */
int	alloc_tbin_of(const struct alloc *, const void *);

#endif
