/*
 * glibc.h -- the second allocator model: glibc 2.36's ptmalloc2, as its
 * malloc/malloc.c places chunks (single thread, main arena, x86-64).
 *
 * Like the dlmalloc core (alloc.h) it is a real allocator on real bytes,
 * getting memory only from the struct memsrc it is handed, and it knows
 * nothing of stdio, curses or readline.  Pointers in and out are host
 * pointers; on the sim source they are the display addresses.
 *
 * The chunk format, the bins, the tcache and the invariants are drawn in
 * the head comment of glibc.c.
 */
#ifndef HEAPVIZ_GLIBC_H
#define HEAPVIZ_GLIBC_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct memsrc;
struct glibc;

#define GLIBC_MINSIZE		32
#define GLIBC_ALIGN		16
#define GLIBC_TCACHE_BINS	64
#define GLIBC_TCACHE_COUNT	7
#define GLIBC_NFASTBINS		10
#define GLIBC_NBINS		128
#define GLIBC_MAX_FAST		0x80	/* global_max_fast: chunk sizes */
#define GLIBC_MIN_LARGE		0x400	/* smallest large-bin chunk */
#define GLIBC_TCACHE_MAX	0x410	/* largest tcache chunk */
/* What glibc 2.36 prints (after "Fatal glibc error: ") when sysmalloc's
 * assertion on top fails: it aborts as malloc_printerr does. */
#define GLIBC_SYSMALLOC_ASSERT	"malloc assertion failure in sysmalloc: " \
	"(old_top == initial_top (av) && old_size == 0) || ((unsigned " \
	"long) (old_size) >= MINSIZE && prev_inuse (old_top) && " \
	"((unsigned long) old_end & (pagesize - 1)) == 0)"
#define GLIBC_TCACHE_STRUCT	0x290	/* tcache_perthread_struct's chunk */

#define GLIBC_DEFAULT_MMAP_THRESHOLD	(128 * 1024)
#define GLIBC_DEFAULT_TRIM_THRESHOLD	(128 * 1024)
#define GLIBC_DEFAULT_TOP_PAD		(128 * 1024)
#define GLIBC_MMAP_THRESHOLD_MAX	(32 * 1024 * 1024)
#define GLIBC_MXFAST_MAX		160	/* MAX_FAST_SIZE: 80 * 8 / 4 */
/* The tcache_key a real run would draw at random; fixed here. */
#define GLIBC_TCACHE_KEY	UINT64_C(0x5eed5eed0badf00d)

/*
 * What `set checks` chooses.  GLIBC: exactly glibc's checks -- what it
 * aborts on is refused, what it lets through goes through (with a
 * warning, when a hook listens).  STRICT: heapviz's refusals on top.
 */
enum glibc_checks {
	GLIBC_CHECKS_GLIBC,
	GLIBC_CHECKS_STRICT,
};

/* 0 means glibc's default.  Setting a threshold or the pad by hand turns
 * the dynamic mmap threshold off, as mallopt does. */
struct glibc_params {
	size_t			mmap_threshold;
	size_t			trim_threshold;
	size_t			top_pad;
	enum glibc_checks	checks;
};

/* The classes of bins glibc keeps. */
enum glibc_bin_kind {
	GLIBC_BIN_NONE,
	GLIBC_BIN_TCACHE,	/* index 0..63: chunk size 32 + 16 * index */
	GLIBC_BIN_FAST,		/* index 0..6: chunk size 32 + 16 * index */
	GLIBC_BIN_UNSORTED,	/* bin 1 */
	GLIBC_BIN_SMALL,	/* index 2..63: chunk size 16 * index */
	GLIBC_BIN_LARGE,	/* index 64..126: size ranges */
	GLIBC_BIN_TOP,
};

/* Why a decision was taken (the `why` of an event). */
enum glibc_why {
	GW_NONE,
	/* consolidation */
	GW_LARGE_REQUEST,	/* a large-bin request met fastbin chunks */
	GW_FREE_64K,		/* a free made a chunk of 64 KiB or more */
	GW_TOP_TOO_SMALL,	/* top cannot serve the request: retry */
	GW_MALLOPT,		/* a parameter was set */
	/* unsorted bin */
	GW_EXACT_FIT,		/* taken: exactly the size asked */
	GW_LAST_REMAINDER,	/* taken: the last remainder, alone in the bin */
	GW_NOT_FIT,		/* sorted: not the size asked */
	/* sysmalloc (bits) */
	GW_PAD = 1 << 8,	/* the request plus top_pad plus MINSIZE */
	GW_PAGE_ROUND = 1 << 9,	/* rounded up to whole pages */
	GW_ALIGN_FIX = 1 << 10,	/* break not 16-aligned: a correcting sbrk */
	GW_FOREIGN = 1 << 11,	/* someone else moved the break */
	GW_FIRST = 1 << 12,	/* the first sbrk of the heap */
};

enum glibc_event_kind {
	GEV_REQUEST,		/* size: bytes asked; other_size: chunk size nb */
	GEV_TCACHE_INIT,	/* the tcache_perthread_struct's chunk */
	/* The four below: other_size is the chunk's fd word as memory
	 * holds it (safe-linked), after a put, before a get. */
	GEV_TCACHE_GET,		/* chunk from tcache bin `bin`; size: count left */
	GEV_TCACHE_PUT,		/* chunk into tcache bin `bin`; size: count now */
	GEV_FASTBIN_GET,	/* chunk from fastbin `bin` */
	GEV_FASTBIN_PUT,	/* chunk into fastbin `bin` */
	GEV_FAST_TO_TCACHE,	/* a fastbin chunk moved to tcache bin `bin` */
	GEV_SMALLBIN_HIT,	/* chunk from small bin `bin` */
	GEV_SMALL_TO_TCACHE,	/* a small-bin chunk moved to tcache bin `bin` */
	GEV_UNSORTED_TAKEN,	/* chunk taken from the unsorted bin (why) */
	GEV_UNSORTED_SORTED,	/* chunk put in small/large bin `bin` (why) */
	GEV_EXACT_TO_TCACHE,	/* an exact fit went to tcache bin `bin` */
	GEV_RETURN_CACHED,	/* the request is served from the tcache filled */
	GEV_REMAINDER_SPLIT,	/* last remainder split; other: new remainder */
	GEV_LARGEBIN_HIT,	/* best fit chunk in large bin `bin` */
	GEV_BINMAP_SCAN,	/* the binmap found bin `bin` */
	GEV_BINMAP_CLEAR,	/* bin `bin` was empty: its bit cleared */
	GEV_SPLIT,		/* chunk split; other (other_size) to unsorted */
	GEV_CONSOLIDATE,	/* malloc_consolidate (why) */
	GEV_CONSOLIDATE_CHUNK,	/* a fastbin chunk, merged to size, placed */
	GEV_TOP_SPLIT,		/* carved from top */
	GEV_SYSMALLOC,		/* asked sbrk for size bytes (why bits) */
	GEV_FENCEPOSTS,		/* break moved by someone else: fenceposts at
				 * other; old top chunk kept size bytes */
	GEV_MMAP_CHUNK,		/* a chunk of its own mapping, size bytes */
	GEV_MUNMAP_CHUNK,
	GEV_MREMAP_CHUNK,	/* size: new chunk size */
	GEV_THRESHOLD_RAISE,	/* size: new mmap threshold, other_size: trim */
	GEV_TRIM,		/* size bytes given back to the system */
	GEV_FREE,		/* chunk of size freed */
	GEV_COALESCE_PREV,	/* merged with the free chunk before (other) */
	GEV_COALESCE_NEXT,	/* merged with the free chunk after (other) */
	GEV_INTO_TOP,		/* became part of top */
	GEV_UNSORTED_PUT,	/* chunk (size) put at the unsorted bin's head */
	GEV_REALLOC_SHRINK,	/* in place; remainder other freed */
	GEV_REALLOC_GROW_TOP,	/* grew into top */
	GEV_REALLOC_GROW_NEXT,	/* grew into the free chunk after (other) */
	GEV_REALLOC_MOVE,	/* malloc, copy, free */
	GEV_CALLOC_ZERO,	/* size bytes zeroed (other_size: not needed) */
	GEV_MEMALIGN_LEAD,	/* the leading piece other (other_size) freed */
	GEV_MEMALIGN_TAIL,	/* the trailing piece other (other_size) freed */
	GEV_WARNING,		/* glibc let it through: see glibc_warning() */
	GEV_CORRUPTION,		/* refused: see glibc_last_error() */
	GEV_ENOMEM,
	/* model-glibc.c's, after a mallopt: size the new value, other_size
	 * the old, why the enum model_param */
	GEV_PARAM_SET,
};

struct glibc_event {
	void			*chunk;
	size_t			 size;
	void			*other;
	size_t			 other_size;
	uint16_t		 kind;		/* enum glibc_event_kind */
	uint16_t		 why;		/* enum glibc_why */
	int16_t			 bin;
};

typedef void (*glibc_hook)(void *ctx, const struct glibc_event *);

/*
 * A refusal.  `glibc` is exactly what glibc 2.36 prints before it aborts
 * (malloc_printerr), or NULL when glibc would not print but crash
 * (segv: reading a header in memory that is not mapped) or when the
 * refusal is heapviz's own (strict).  `what` is heapviz's account: the
 * chunk, the field and the likely cause.
 */
struct glibc_error {
	const char	*glibc;
	char		 what[200];
	void		*chunk;
	bool		 segv;
	bool		 strict;	/* heapviz's refusal, not glibc's */
};

struct glibc	*glibc_create(struct memsrc *, const struct glibc_params *);
void		 glibc_destroy(struct glibc *);
void		 glibc_set_hook(struct glibc *, glibc_hook, void *);

/*
 * As the C calls.  A refusal (glibc would abort, or strict refuses)
 * returns NULL (or -1 from glibc_free, EINVAL from posix_memalign) with
 * errno EINVAL, the heap byte for byte as before, and glibc_last_error()
 * saying why.  ENOMEM as glibc gives it.
 */
void		*glibc_malloc(struct glibc *, size_t);
void		*glibc_calloc(struct glibc *, size_t, size_t);
void		*glibc_realloc(struct glibc *, void *, size_t);
void		*glibc_memalign(struct glibc *, size_t, size_t);
void		*glibc_aligned_alloc(struct glibc *, size_t, size_t);
int		 glibc_posix_memalign(struct glibc *, void **, size_t, size_t);
int		 glibc_free(struct glibc *, void *);
const struct glibc_error *glibc_last_error(const struct glibc *);
/* What glibc let through on the last call ("" when nothing). */
const char	*glibc_warning(const struct glibc *);

/*
 * mallopt: 1 on success, 0 when glibc would refuse the value, -1 when the
 * malloc_consolidate mallopt starts with finds a damaged fastbin and glibc
 * would abort (last_error says why; nothing changed).
 */
int		 glibc_set_mmap_threshold(struct glibc *, size_t);
int		 glibc_set_trim_threshold(struct glibc *, size_t);
int		 glibc_set_top_pad(struct glibc *, size_t);
/* mallopt's M_MXFAST (request bytes, 0 .. GLIBC_MXFAST_MAX: 0 turns the
 * fastbins off) and M_MMAP_MAX (0: no mmap); both consolidate first. */
int		 glibc_set_mxfast(struct glibc *, size_t);
int		 glibc_set_mmap_max(struct glibc *, size_t);
/* global_max_fast (a chunk size) and n_mmaps_max. */
size_t		 glibc_mxfast(const struct glibc *);
size_t		 glibc_mmap_max(const struct glibc *);
void		 glibc_set_checks(struct glibc *, enum glibc_checks);
/*
 * tcache_key: a real process draws it at random at its first malloc.
 * Setting it rewrites the key word of every chunk in the tcache now, as
 * if the model had drawn that one.
 */
void		 glibc_set_tcache_key(struct glibc *, uintptr_t);
uintptr_t	 glibc_tcache_key(const struct glibc *);
size_t		 glibc_mmap_threshold(const struct glibc *);
size_t		 glibc_trim_threshold(const struct glibc *);
size_t		 glibc_top_pad(const struct glibc *);
bool		 glibc_dynamic_threshold(const struct glibc *);
enum glibc_checks glibc_checks(const struct glibc *);

/* Sizes, as glibc computes them. */
size_t		 glibc_request2size(size_t);
int		 glibc_tcache_index(size_t);	/* chunk size -> 0..63, or -1 */
int		 glibc_fastbin_index(size_t);	/* chunk size -> 0..6, or -1 */
int		 glibc_bin_index(size_t);	/* chunk size -> 2..126 */
size_t		 glibc_usable_size(struct glibc *, const void *);
/* The size range [lo, hi] of chunks normal bin i (1..126) holds. */
void		 glibc_bin_range(int, size_t *, size_t *);

/* ---- Looking inside (glibc-walk.c), for the checker, views, tests. ---- */

enum glibc_chunk_state {
	GLIBC_CHUNK_INUSE,
	GLIBC_CHUNK_FREE,	/* in a bin: see bin_kind (tcache and fastbin
				 * chunks keep their in-use bit set) */
	GLIBC_CHUNK_TOP,
	GLIBC_CHUNK_MMAPPED,
	GLIBC_CHUNK_FENCE,	/* the two 0x10 fenceposts after a foreign sbrk */
	GLIBC_CHUNK_TCACHE_STRUCT,	/* tcache_perthread_struct */
	GLIBC_CHUNK_DAMAGED,	/* a header the walk cannot trust */
};

struct glibc_chunk {
	void			*addr;
	void			*mem;
	size_t			 size;
	size_t			 prev_size;	/* raw field */
	size_t			 head;		/* raw field, with the bits */
	enum glibc_chunk_state	 state;
	enum glibc_bin_kind	 bin_kind;
	int			 bin;
	void			*fd, *bk;	/* raw links (fd as stored) */
	void			*next;		/* tcache/fastbin: fd revealed */
};

/* Every chunk of every sbrk segment in address order, then every mapped
 * chunk in address order. */
void		 glibc_walk(struct glibc *,
		     void (*fn)(void *, const struct glibc_chunk *), void *);
/* The chunks of one bin in the order reuse takes them (tcache/fastbin:
 * head first; unsorted: the next to be processed first; small/large:
 * as malloc searches).  Returns how many, writing at most max. */
size_t		 glibc_bin_chunks(struct glibc *, enum glibc_bin_kind, int,
		     void **, size_t);
unsigned	 glibc_tcache_count(struct glibc *, int);
void		*glibc_tcache_struct(const struct glibc *);
uint32_t	 glibc_binmap(const struct glibc *, int word);
void		*glibc_top(const struct glibc *, size_t *);
void		*glibc_last_remainder(const struct glibc *);
void		*glibc_arena(const struct glibc *);	/* main_arena */

struct glibc_segment {
	void	*base;
	size_t	 size;
};
size_t		 glibc_segments(struct glibc *, struct glibc_segment *, size_t);

struct glibc_stats {
	size_t	system_mem;	/* sbrk bytes the arena owns */
	size_t	mmapped_mem;
	size_t	inuse;		/* bytes in in-use chunks (incl. mapped) */
	size_t	free;		/* bytes in free chunks and top */
};
void		 glibc_stats(struct glibc *, struct glibc_stats *);
/* What mallinfo2 calls arena and hblkhd, without a walk. */
void		 glibc_memory(const struct glibc *, size_t *, size_t *);

/* glibc-check.c: glibc's invariants restated; up to max violations
 * written, the number found returned.  Never aborts. */
size_t		 glibc_check(struct glibc *, char (*)[160], size_t);

/* State save/restore for time travel: the arena, the parameters and the
 * tcache pointer live in the source's data segment (saved with its bytes);
 * the host side keeps the list of mapped chunks. */
struct glibc_saved;
struct glibc_saved *glibc_save(const struct glibc *);
void		 glibc_restore(struct glibc *, const struct glibc_saved *);
void		 glibc_saved_free(struct glibc_saved *);
size_t		 glibc_saved_bytes(const struct glibc_saved *);

#endif
