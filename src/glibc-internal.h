/*
 * glibc-internal.h -- the glibc model's structures, shared by glibc.c,
 * glibc-walk.c and glibc-check.c.  The layouts follow glibc 2.36's
 * (struct malloc_chunk, struct malloc_state, tcache_perthread_struct) so
 * that the bytes a dump shows are the bytes a real process holds.
 */
#ifndef HEAPVIZ_GLIBC_INTERNAL_H
#define HEAPVIZ_GLIBC_INTERNAL_H

#include "glibc.h"

struct memsrc;

#define SZ		8		/* SIZE_SZ */
#define HDR		16		/* CHUNK_HDR_SZ */
#define MINSIZE		((size_t)GLIBC_MINSIZE)
#define ALIGN_MASK	((size_t)15)
#define PREV_INUSE	((size_t)1)
#define IS_MMAPPED	((size_t)2)
#define NON_MAIN_ARENA	((size_t)4)
#define SIZE_BITS	((size_t)7)
#define PAGE		((size_t)4096)
#define NBINS		GLIBC_NBINS
#define NFASTBINS	GLIBC_NFASTBINS
#define BINMAPSIZE	4
#define FASTBIN_CONSOLIDATION_THRESHOLD	((size_t)65536)
#define NONCONTIGUOUS_BIT	2

struct gchunk {
	size_t		 prev_size;
	size_t		 size;
	struct gchunk	*fd, *bk;
	struct gchunk	*fd_nextsize, *bk_nextsize;
};

/* struct malloc_state, field for field. */
struct garena {
	int		 mutex;
	int		 flags;
	int		 have_fastchunks;
	int		 pad_;
	struct gchunk	*fastbinsY[NFASTBINS];
	struct gchunk	*top;
	struct gchunk	*last_remainder;
	struct gchunk	*bins[NBINS * 2 - 2];
	unsigned int	 binmap[BINMAPSIZE];
	struct garena	*next, *next_free;
	size_t		 attached_threads;
	size_t		 system_mem, max_system_mem;
};

/* struct malloc_par, the fields single-threaded malloc reads. */
struct gpar {
	unsigned long	 trim_threshold;
	size_t		 top_pad;
	size_t		 mmap_threshold;
	size_t		 arena_test, arena_max;
	size_t		 thp_pagesize, hp_pagesize;
	int		 hp_flags;
	int		 n_mmaps, n_mmaps_max, max_n_mmaps;
	int		 no_dyn_threshold;
	size_t		 mmapped_mem, max_mmapped_mem;
	char		*sbrk_base;
	size_t		 tcache_bins, tcache_max_bytes, tcache_count;
	size_t		 tcache_unsorted_limit;
};

struct gtentry {
	struct gtentry	*next;
	uintptr_t	 key;
};

struct gtcache {
	uint16_t	 counts[GLIBC_TCACHE_BINS];
	struct gtentry	*entries[GLIBC_TCACHE_BINS];
};

#define GL_MAXSEGS	64

/* Everything of the model that lives where libc's data would. */
struct gstate {
	struct garena	 av;		/* main_arena */
	struct gpar	 mp;		/* mp_ */
	struct gtcache	*tcache;	/* the thread's tcache pointer */
	uintptr_t	 tcache_key;
	int		 checks;	/* enum glibc_checks */
	int		 nsegs;
	/* the sbrk regions the arena owns, for the walk (glibc keeps none) */
	struct { char *base; char *end; } seg[GL_MAXSEGS];
	size_t		 max_fast;	/* global_max_fast (M_MXFAST) */
};

/* One mapped chunk (host side, for the walk: glibc keeps no list). */
struct gmm {
	struct gchunk	*p;
};

/* One word written during an operation, to be put back on a refusal. */
struct gjournal {
	size_t	*addr;
	size_t	 old;
};

struct glibc {
	struct gstate	*st;
	struct memsrc	*src;
	bool		 state_static;
	glibc_hook	 hook;
	void		*hook_ctx;
	struct gmm	*mm;
	size_t		 nmm, mmcap;
	/* the refusal machinery */
	void		*jb[5];		/* __builtin_setjmp's */
	bool		 unlogged;	/* writes that cannot be refused */
	bool		 whole_op;	/* _int_malloc is the whole call */
	uintptr_t	 hlo, hlim;	/* memory gl_ok passes at once */
	uintptr_t	 joined_lo;	/* heap base joined to the arena */
	struct gjournal	*jr, *jp, *jend;	/* the words written, cursor */
	intptr_t	 sbrk_undo;	/* bytes sbrk'ed during the op */
	void		*mmap_undo;	/* the chunk of a mapping made */
	void		*mmap_undo_base;	/* during the call */
	size_t		 mmap_undo_len;
	unsigned char	*blob;		/* bytes overwritten by a copy */
	void		*blob_at;
	size_t		 blob_len, blobcap;
	struct glibc_error err;
	char		 warning[200];
};

#define chunk2mem(p)	((void *)((uintptr_t)(p) + HDR))
#define mem2chunk(m)	((struct gchunk *)((uintptr_t)(m) - HDR))
#define chunksize(p)	((p)->size & ~SIZE_BITS)
#define chunksize_nomask(p) ((p)->size)
/* In integers: a damaged size may carry p past the address space's end,
 * where glibc's pointer sum wraps; C's pointer arithmetic may not. */
#define at_offset(p, o)	((struct gchunk *)((uintptr_t)(p) + (uintptr_t)(o)))
#define end_of(p, o)	((char *)((uintptr_t)(p) + (uintptr_t)(o)))
#define next_chunk(p)	at_offset(p, chunksize(p))
#define prev_inuse(p)	((p)->size & PREV_INUSE)
#define is_mmapped(p)	((p)->size & IS_MMAPPED)
#define inuse_at(p, s)	(at_offset(p, s)->size & PREV_INUSE)
#define in_smallbin(sz)	((size_t)(sz) < GLIBC_MIN_LARGE)
#define smallbin_index(sz) ((unsigned)((sz) >> 4))
#define fastbin_index(sz) ((unsigned)(((unsigned)(sz) >> 4) - 2))
#define csize2tidx(x)	(((x) - MINSIZE + ALIGN_MASK) / 16)
#define misaligned(p)	((uintptr_t)(p) & ALIGN_MASK)
#define bin_at(av, i)	((struct gchunk *)((char *)&(av)->bins[((i) - 1) * 2] \
			    - offsetof(struct gchunk, fd)))
#define unsorted(av)	bin_at(av, 1)
#define first(b)	((b)->fd)
#define last(b)		((b)->bk)
#define idx2block(i)	((i) >> 5)
#define idx2bit(i)	(1U << ((i) & 31))
#define contiguous(av)	(((av)->flags & NONCONTIGUOUS_BIT) == 0)

static inline unsigned
largebin_index(size_t sz)
{
	if ((sz >> 6) <= 48)
		return 48 + (unsigned)(sz >> 6);
	if ((sz >> 9) <= 20)
		return 91 + (unsigned)(sz >> 9);
	if ((sz >> 12) <= 10)
		return 110 + (unsigned)(sz >> 12);
	if ((sz >> 15) <= 4)
		return 119 + (unsigned)(sz >> 15);
	if ((sz >> 18) <= 2)
		return 124 + (unsigned)(sz >> 18);
	return 126;
}

static inline unsigned
bin_index(size_t sz)
{
	return in_smallbin(sz) ? smallbin_index(sz) : largebin_index(sz);
}

/*
 * Safe-linking: PROTECT_PTR.  Computed on host addresses, which on the
 * sim source are the display addresses (the source maps its memory at
 * them), so the stored words are a real run's with randomisation off.
 */
#define gl_protect(pos, ptr) \
	((void *)(((uintptr_t)(pos) >> 12) ^ (uintptr_t)(ptr)))

/* The bin a free chunk is in, for the walk and the checker. */
struct gbinref {
	void		*chunk;
	int		 kind;		/* enum glibc_bin_kind */
	int		 bin;
	void		*next;
};
size_t		 gl_collect_bins(struct glibc *, struct gbinref **);
/* Following a bin's links (glibc-walk.c): the tcache's and fastbins'
 * safe-linked next, or a normal bin's fd or bk, stopping at end. */
enum gl_link { GL_LINK_TCACHE, GL_LINK_FAST, GL_LINK_FD, GL_LINK_BK };
struct gchunk	*gl_list_next(struct glibc *, struct gchunk *, enum gl_link,
		    struct gchunk *);
size_t		 gl_list_span(struct glibc *, struct gchunk *, enum gl_link,
		    struct gchunk *, struct gchunk **);
bool		 gl_mapped(struct glibc *, const void *, size_t);

#endif
