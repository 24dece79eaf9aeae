/*
 * alloc.h -- the allocator core: a model of dlmalloc 2.8.6 (64-bit).
 *
 * The core is a real allocator on real bytes.  It gets memory only from the
 * struct memsrc it is handed, knows nothing of stdio, curses or readline, and
 * records each decision it takes, into a caller's buffer or through a hook.  Pointers
 * in and out are host pointers; the session translates them to display
 * addresses through the memory source.
 *
 * The chunk format, the bins and the invariants are drawn and stated in the
 * head comment of alloc.c.
 */
#ifndef HEAPVIZ_ALLOC_H
#define HEAPVIZ_ALLOC_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct memsrc;
struct alloc;

#define ALLOC_ALIGN		16
#define ALLOC_MIN_CHUNK		32
#define ALLOC_OVERHEAD		8	/* bytes of header on an in-use chunk */
#define ALLOC_NSMALLBINS	32
#define ALLOC_NTREEBINS		32
#define ALLOC_MAX_SMALL_REQUEST	232	/* larger requests go to tree bins */

#define ALLOC_DEFAULT_MMAP_THRESHOLD	(256 * 1024)
#define ALLOC_DEFAULT_TRIM_THRESHOLD	(2 * 1024 * 1024)
#define ALLOC_DEFAULT_GRANULARITY	4096

/* What `set checks` chooses. */
enum alloc_checks {
	ALLOC_CHECKS_STRICT,	/* refuse an operation on a damaged heap */
	ALLOC_CHECKS_OFF,	/* proceed as an unchecked allocator would */
};

struct alloc_params {
	size_t			mmap_threshold;	/* 0 means the default */
	size_t			trim_threshold;	/* SIZE_MAX turns trimming off */
	enum alloc_checks	checks;
};

/* Which bin a free chunk sits in. */
enum alloc_bin_kind {
	ALLOC_BIN_NONE,		/* in use, or not in any bin */
	ALLOC_BIN_SMALL,	/* index 0..31: chunks of exactly index * 8 bytes */
	ALLOC_BIN_TREE,		/* index 0..31 */
	ALLOC_BIN_DV,		/* the designated victim */
	ALLOC_BIN_TOP,		/* the top chunk */
};

/*
 * Decisions, in the order the allocator takes them.  Fields that do not
 * apply are zero.  `chunk` and `other` are host pointers to chunks.
 */
enum alloc_event_kind {
	AEV_REQUEST,		/* size: bytes asked; other_size: chunk size nb */
	AEV_SMALLBIN_HIT,	/* took chunk from small bin `bin` (exact or next) */
	AEV_SMALLBIN_EMPTY,	/* small bin `bin` (the exact fit) was empty */
	AEV_TREEBIN_HIT,	/* best fit `chunk` (size) in tree bin `bin` */
	AEV_DV_HIT,		/* took the designated victim */
	AEV_TOP_HIT,		/* carved the chunk from top */
	AEV_SPLIT,		/* chunk of `size` split; remainder `other`,
				 * other_size bytes, went to bin_kind/bin */
	AEV_DV_REPLACED,	/* `other` (old dv) put in a bin; `chunk` new dv */
	AEV_SYS_ALLOC,		/* top too small: asked the system for size bytes */
	AEV_SEGMENT_EXTENDED,	/* top extended contiguously by size bytes */
	AEV_SEGMENT_NEW,	/* break moved by someone else: new segment at
				 * chunk, size bytes; old top fenced off */
	AEV_MMAP_CHUNK,		/* request served by its own mapping */
	AEV_MUNMAP_CHUNK,	/* a mmapped chunk was unmapped */
	AEV_MREMAP_CHUNK,	/* a mmapped chunk was resized by mremap */
	AEV_FREE,		/* freeing chunk of size */
	AEV_COALESCE_PREV,	/* merged with the free chunk before (other) */
	AEV_COALESCE_NEXT,	/* merged with the free chunk after (other) */
	AEV_INTO_TOP,		/* the freed chunk became part of top */
	AEV_INTO_DV,		/* the freed chunk joined the designated victim */
	AEV_BIN_INSERT,		/* chunk put at the head of bin_kind/bin */
	AEV_TRIM,		/* top trimmed: size bytes given back */
	AEV_REALLOC_SHRINK,	/* shrunk in place; remainder other */
	AEV_REALLOC_GROW,	/* grew in place into the next free chunk/top */
	AEV_REALLOC_MOVE,	/* had to move: malloc, copy, free */
	AEV_CALLOC_ZERO,	/* zeroed size bytes */
	AEV_ALIGN_LEAD,		/* memalign: chunk (size) starts at the
				 * alignment; the lead, other (other_size),
				 * freed, or for a mapped chunk kept in its
				 * mapping's offset */
	AEV_ALIGN_TAIL,		/* memalign: the tail past the request,
				 * other (other_size), freed */
	AEV_CORRUPTION,		/* a check failed: see alloc_last_error() */
	AEV_ENOMEM,		/* the request could not be met */
};

struct alloc_event {
	void			*chunk;
	size_t			 size;
	void			*other;
	size_t			 other_size;
	uint16_t		 kind;		/* enum alloc_event_kind */
	uint16_t		 bin_kind;	/* enum alloc_bin_kind */
	int16_t			 bin;
};				/* 40 bytes: five stores a decision */

/*
 * Where the decisions go: a buffer the caller owns.  The core writes each
 * decision as a record at v[n] (host pointers, nothing translated) and adds
 * one to n; when n reaches cap it calls full(), which must make room before
 * returning: grow v and cap, or read the records and set n back to 0.  A
 * consumer that reads them later (translating addresses only then) pays a
 * few stores a decision and one call a bufferful.  ctx is the owner's.
 */
struct alloc_events {
	struct alloc_event	*v;
	unsigned long long	 n, cap;	/* a type no heap word has */
	void			(*full)(struct alloc_events *);
	void			*ctx;
};

/* Or each decision as it is taken: a one-record buffer and a call. */
typedef void (*alloc_hook)(void *ctx, const struct alloc_event *);

/*
 * What a check found.  `glibc` is the message glibc prints for the same
 * condition ("free(): invalid pointer", "double free or corruption (out)",
 * "corrupted size vs. prev_size", ...); `what` explains it in heapviz's words.
 */
struct alloc_error {
	const char	*glibc;
	char		 what[160];
	void		*chunk;		/* the chunk at fault, if known */
};

struct alloc	*alloc_create(struct memsrc *, const struct alloc_params *);
/* Frees the host-side state only; the memory source owns the memory. */
void		 alloc_destroy(struct alloc *);
/* Record decisions into ev from now on (NULL: stop). */
void		 alloc_set_events(struct alloc *, struct alloc_events *);
/* Hand each decision to hook from now on (NULL: stop). */
void		 alloc_set_hook(struct alloc *, alloc_hook, void *);

void		 alloc_set_mmap_threshold(struct alloc *, size_t);
void		 alloc_set_trim_threshold(struct alloc *, size_t);
void		 alloc_set_checks(struct alloc *, enum alloc_checks);
size_t		 alloc_mmap_threshold(const struct alloc *);
size_t		 alloc_trim_threshold(const struct alloc *);
enum alloc_checks alloc_checks(const struct alloc *);

/*
 * As in C: NULL with errno ENOMEM on failure (including nmemb * size
 * overflow, and requests above PTRDIFF_MAX).  realloc(p, 0) frees p and
 * returns NULL as glibc does.  When a check fails (a damaged heap, a double
 * free, a pointer that is not a chunk) the operation is refused: NULL, or -1
 * from alloc_free, errno EINVAL, the heap untouched, and alloc_last_error()
 * says what was found.  alloc_free(NULL) is a no-op returning 0.
 */
void		*alloc_malloc(struct alloc *, size_t);
void		*alloc_calloc(struct alloc *, size_t, size_t);
void		*alloc_realloc(struct alloc *, void *, size_t);
void		*alloc_reallocarray(struct alloc *, void *, size_t, size_t);
/*
 * As memalign(3) in dlmalloc: an alignment of 16 or less is malloc; any
 * other is rounded up to a power of two (at least 32).  NULL with ENOMEM
 * when the request, padded for the alignment, cannot be met.
 */
void		*alloc_memalign(struct alloc *, size_t alignment, size_t);
int		 alloc_free(struct alloc *, void *);
const struct alloc_error *alloc_last_error(const struct alloc *);

/* Sizes, as dlmalloc computes them. */
size_t		 alloc_request2size(size_t);	/* padded chunk size */
int		 alloc_small_index(size_t);	/* chunk size -> small bin */
int		 alloc_tree_index(size_t);	/* chunk size -> tree bin */
size_t		 alloc_usable_size(struct alloc *, const void *);

/* ---- Looking inside, for the checker, the snapshot and the tests. ---- */

enum alloc_chunk_state {
	ALLOC_CHUNK_INUSE,
	ALLOC_CHUNK_FREE,
	ALLOC_CHUNK_TOP,
	ALLOC_CHUNK_MMAPPED,
	ALLOC_CHUNK_FENCE,	/* segment record and fenceposts at a segment's end */
	ALLOC_CHUNK_DAMAGED,	/* the walk met a header it cannot trust */
};

struct alloc_chunk {
	void			*addr;		/* chunk (host) */
	void			*mem;		/* addr + 16 */
	size_t			 size;		/* chunk size from the header */
	size_t			 prev_foot;	/* raw field */
	size_t			 head;		/* raw field, with the bits */
	enum alloc_chunk_state	 state;
	enum alloc_bin_kind	 bin_kind;	/* free chunks: which bin */
	int			 bin;
	void			*fd, *bk;	/* free chunks: raw links */
};

/*
 * Calls fn for every chunk of every segment in address order, then for
 * every mmapped chunk in address order.  The walk validates each size
 * against its segment and never leaves memory the source mapped: a header
 * it cannot trust is reported as one DAMAGED chunk to the segment's end.
 */
void		 alloc_walk(struct alloc *,
		     void (*fn)(void *, const struct alloc_chunk *), void *);
/*
 * The same walk from the chunk at p on (a chunk address a walk reported:
 * in a segment, or a mapped chunk), for at most max chunks: what alloc_walk
 * reports from that chunk on, chunk for chunk, so that a view can read the
 * few chunks it shows without walking the heap.  Returns how many it
 * reported (0: p is in no segment and no mapped chunk).  Given an address
 * that is not a chunk's start it stays in mapped memory, but reports
 * nonsense; the caller must know p is a chunk.
 */
size_t		 alloc_walk_from(struct alloc *, const void *p, size_t max,
		     void (*fn)(void *, const struct alloc_chunk *), void *);
/* Only the mapped chunks, as alloc_walk ends; returns how many. */
size_t		 alloc_walk_mmapped(struct alloc *,
		     void (*fn)(void *, const struct alloc_chunk *), void *);

struct alloc_segment {
	void	*base;
	size_t	 size;
};
size_t		 alloc_segments(struct alloc *, struct alloc_segment *, size_t);

/* Bins: the chunks of one bin in link order (the order reuse takes them). */
size_t		 alloc_bin_chunks(struct alloc *, enum alloc_bin_kind, int,
		     void **, size_t);
/*
 * The same list from position skip on, at most max of them: written to
 * out, how many returned.  A small bin is walked only as far as that; a tree
 * bin (listed by size) is collected whole.  count, if not 0, is how many the
 * bin holds (known from elsewhere, on a heap the checker passed): then a
 * position in a small bin's back half is reached from its end, along bk.
 */
size_t		 alloc_bin_chunks_from(struct alloc *, enum alloc_bin_kind,
		     int, size_t skip, size_t count, void **, size_t max);
uint32_t	 alloc_smallmap(const struct alloc *);
uint32_t	 alloc_treemap(const struct alloc *);
void		*alloc_top(const struct alloc *, size_t *);
void		*alloc_dv(const struct alloc *, size_t *);

struct alloc_stats {
	size_t	footprint;	/* bytes obtained from the memory source */
	size_t	max_footprint;
	size_t	inuse;		/* bytes in in-use chunks (incl. mmapped) */
	size_t	free;		/* bytes in free chunks, dv and top */
};
void		 alloc_stats(struct alloc *, struct alloc_stats *);

/*
 * The checker: dlmalloc's invariants restated as code.  Writes up to max
 * violations (one line of text each) and returns how many it found in all.
 * Never aborts and never reads outside memory the source mapped.
 */
size_t		 alloc_check(struct alloc *, char (*)[160], size_t);

/*
 * alloc-state.c: the allocator's own state (not the heap's bytes, which
 * belong to the memory source) saved and put back, for going back in time.
 * The state may live in the source's data segment, so restoring is in
 * three moves: take what belongs to the running process (alloc_live_take),
 * put the source's bytes back, then alloc_restore.
 */
struct alloc_saved;
struct alloc_live;
struct alloc_saved *alloc_save(const struct alloc *);
struct alloc_live *alloc_live_take(const struct alloc *);
void		 alloc_restore(struct alloc *, const struct alloc_saved *,
		     struct alloc_live *);
size_t		 alloc_saved_bytes(const struct alloc_saved *);
void		 alloc_saved_free(struct alloc_saved *);

/*
 * Real mode (alloc-state.c): another process's allocator state, copied
 * byte for byte to the same address together with its memory, made fit to
 * look inside (walk, check, bins; never to allocate): its memory source
 * becomes src, it has no hook, and its last refusal reads glibc.  And the
 * memory such a copy needs: every segment and mapped chunk, unordered.
 */
struct alloc	*alloc_adopt(void *state, struct memsrc *src,
		     const char *glibc);
size_t		 alloc_regions(const struct alloc *, struct alloc_segment *,
		     size_t);

#endif
