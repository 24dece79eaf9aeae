/*
 * glibc.c -- the second allocator model: ptmalloc2 as glibc 2.36 runs it,
 * single-threaded, on the main arena, on x86-64.
 *
 * Written for heapviz after reading glibc 2.36's malloc/malloc.c.  The
 * rules (request2size, the tcache, fastbins, the unsorted bin and its
 * last-remainder rule, small and large bins, the binmap, consolidation,
 * sysmalloc, systrim, the mmap threshold) are glibc's, so that the same
 * calls put the same chunks at the same offsets from the initial break and
 * move the break the same way; the code and the words are ours.  Functions
 * named in the comments are glibc's.
 *
 * CHUNKS
 *
 * Every chunk starts with two words, and the payload (mem) starts 16 bytes
 * in, 16-byte aligned.  Sizes are multiples of 16, at least 32 (MINSIZE).
 * The low bits of the size word:
 *
 *	PREV_INUSE (1)      the chunk just below is in use (or is a
 *	                    tcache/fastbin chunk, which keep it set)
 *	IS_MMAPPED (2)      the chunk is a mapping of its own
 *	NON_MAIN_ARENA (4)  never set here: one arena
 *
 *	chunk ->  +------------------------------------------------+
 *	          | prev_size: size of the chunk below if it is    |
 *	          |   free (not tcache/fast), else its user bytes  |
 *	          | size                                |0 |M |P | |
 *	  mem ->  +------------------------------------------------+
 *	          | in use: size - 8 user bytes, over the next     |
 *	          |   chunk's prev_size                            |
 *	          | in a normal bin: fd, bk (and for large sizes   |
 *	          |   fd_nextsize, bk_nextsize); footer = size     |
 *	          | in the tcache: next (safe-linked), key         |
 *	          | in a fastbin: fd (safe-linked)                 |
 *	          +------------------------------------------------+
 *
 * request2size(n) = max(32, (n + 8 + 15) & ~15): malloc(24) is a 0x20
 * chunk, malloc(25) 0x30, malloc(1032) 0x410.
 *
 * WHERE FREE CHUNKS LIVE (in the order malloc looks)
 *
 *   tcache     64 bins of one size each (0x20 .. 0x410), at most 7 chunks
 *              each, LIFO, singly linked through `next`, stored
 *              PROTECT_PTR'd: (address of the field >> 12) ^ pointer.  The
 *              counts and heads are in tcache_perthread_struct, the first
 *              chunk the heap ever gives (0x290 bytes), taken by the first
 *              malloc, calloc, realloc or free.  A cached chunk's `key`
 *              word holds tcache_key: a free finding it walks the bin to
 *              tell a double free from a coincidence.  Chunks stay "in
 *              use" to the heap (the next chunk's PREV_INUSE stays set).
 *   fastbins   chunk sizes 0x20 .. 0x80 (global_max_fast), one LIFO list
 *              per size, safe-linked, also still "in use", never merged
 *              until malloc_consolidate empties them all into the
 *              unsorted bin.
 *   unsorted   bin 1: where freed and split-off chunks wait one malloc
 *              before they are sorted; malloc takes them oldest first.
 *   small      bins 2..63, one size each (16 * index), FIFO.
 *   large      bins 64..126, size ranges growing 64, 512, 4 KiB, 32 KiB,
 *              256 KiB wide; each kept sorted, largest first, with the
 *              first chunk of every size on a second list (fd_nextsize).
 *   binmap     four 32-bit words, one bit per bin: possibly non-empty.
 *              A set bit may be stale; malloc clears it when it finds the
 *              bin empty.
 *   top        the chunk at the end of the heap, never in a bin; grown by
 *              sysmalloc, given back by systrim.
 *   last_remainder  the rest of the last split made for a small request.
 *
 * THE INVARIANTS (glibc-check.c tests each)
 *
 * - Chunks tile each sbrk segment; sizes are multiples of 16, >= 32.
 * - A chunk in a normal bin (unsorted, small, large) has the next chunk's
 *   PREV_INUSE clear and that chunk's prev_size equal to its size; no two
 *   such chunks are neighbours, and none borders top.
 * - tcache and fastbin chunks keep the next chunk's PREV_INUSE set.
 * - Each bin's doubly linked list is consistent; a small bin holds one
 *   size, a large bin sizes of its range in descending order, and its
 *   nextsize list links the first chunk of each size.
 * - A non-empty bin has its binmap bit set.
 * - tcache counts equal the list lengths (<= 7), every entry is 16-aligned,
 *   of its bin's size, and holds tcache_key.
 * - have_fastchunks is set whenever a fastbin holds a chunk.
 * - top has PREV_INUSE set, is at least MINSIZE, and ends at the break.
 * - A mapped chunk has IS_MMAPPED, starts prev_size bytes into a
 *   page-aligned mapping, and ends at its end.
 *
 * REFUSALS
 *
 * Where glibc calls malloc_printerr and aborts, the model refuses the
 * call instead: it sets the exact message, undoes every word it wrote
 * during the call (a journal of the words, the sbrk or mapping made, the
 * bytes a copy covered) and returns.  The heap is then byte for byte as
 * before.  The short ways (THE SHORT WAYS, near the end) write without
 * the journal: each makes its checks before its writes, or keeps the few
 * words it wrote first and puts them back, and leaves any refusal to the
 * whole way.  What glibc lets through (a fastbin double free that is not
 * the bin's head) goes through, with a warning when a hook listens;
 * strict mode refuses it instead.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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

#define MMAP_AS_MORECORE_SIZE	((size_t)1024 * 1024)

/* ---------------------------------------------------------------------
 * Decisions, refusals, and the journal that makes refusals clean.
 */

static void __attribute__((noinline))
emit(struct glibc *g, enum glibc_event_kind kind, const void *chunk,
    size_t size, const void *other, size_t other_size, int bin, int why)
{
	struct glibc_event	e;

	e.chunk = (void *)chunk;
	e.size = size;
	e.other = (void *)other;
	e.other_size = other_size;
	e.kind = (uint16_t)kind;
	e.why = (uint16_t)why;
	e.bin = (int16_t)bin;
	g->hook(g->hook_ctx, &e);
}

#define EV(kind, c, s, o, os, bin, why) do {				\
	if (g->hook != NULL)						\
		emit(g, kind, c, s, o, os, bin, why);			\
} while (0)

static void __attribute__((noinline, cold))
jr_grow(struct glibc *g, size_t room)
{
	size_t	n = (size_t)(g->jp - g->jr);
	size_t	cap = n + room > 1024 ? 2 * (n + room) : 1024;

	g->jr = xreallocarray(g->jr, cap, sizeof *g->jr);
	g->jp = g->jr + n;
	g->jend = g->jr + cap;
}

/*
 * Room for the next JR_STEP writes.  Every operation starts with it, and
 * so does every turn of a loop (the unsorted bin, consolidation, a tcache
 * refill) and every free and sysmalloc: no step between two of these
 * writes more words than that, so W itself never checks.
 */
#define JR_STEP	256

static inline void
jr_reserve(struct glibc *g)
{
	if (__builtin_expect(g->jend - g->jp < JR_STEP, 0))
		jr_grow(g, JR_STEP);
}

/* Note the word *w before it changes. */
static inline __attribute__((always_inline)) void
jr_log(struct glibc *g, size_t *w)
{
	struct gjournal	*j = g->jp;

	j->addr = w;
	j->old = *w;
	g->jp = j + 1;
}

/*
 * A logged write: every store into the heap or the arena goes this way.
 * Not logged while g->unlogged: a step that cannot refuse, run by a short
 * way that writes without the journal (free_short's systrim), or the last
 * writes of a call after its last check (no_more_checks).
 */
#define W(lv, v) do {							\
	_Static_assert(sizeof(lv) == sizeof(size_t), "W: a word");	\
	if (!g->unlogged)						\
		jr_log(g, (size_t *)(void *)&(lv));			\
	(lv) = (v);							\
} while (0)
/* The same for a field narrower than a word: the word around it. */
#define WN(lv, v) do {							\
	if (!g->unlogged)						\
		jr_log(g, (size_t *)((uintptr_t)&(lv) & ~(uintptr_t)7)); \
	(lv) = (v);							\
} while (0)

/*
 * _int_malloc has made its last check (and guard): when it is the whole
 * call (malloc_slow's), nothing after this can refuse, so the writes
 * left need no log.
 */
static inline void
no_more_checks(struct glibc *g)
{
	if (g->whole_op)
		g->unlogged = true;
}

static void
set_error(struct glibc *g, const char *msg, const void *chunk,
    const char *fmt, va_list ap)
{
	g->err.glibc = msg;
	g->err.chunk = (void *)chunk;
	g->err.segv = false;
	g->err.strict = msg == NULL;	/* glibc always has words */
	vsnprintf(g->err.what, sizeof g->err.what, fmt, ap);
}

/* Refuse without jumping (nothing was written yet). */
static void __attribute__((format(printf, 4, 5), cold))
refuse(struct glibc *g, const char *msg, const void *chunk,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	set_error(g, msg, chunk, fmt, ap);
	va_end(ap);
	EV(GEV_CORRUPTION, chunk, 0, NULL, 0, -1, 0);
	errno = EINVAL;
}

/* malloc_printerr: refuse and unwind to the operation's entry. */
static void __attribute__((format(printf, 4, 5), noreturn, cold))
printerr(struct glibc *g, const char *msg, const void *chunk,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	set_error(g, msg, chunk, fmt, ap);
	va_end(ap);
	__builtin_longjmp(g->jb, 1);
}

static void
warn(struct glibc *g, const void *chunk, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(g->warning, sizeof g->warning, fmt, ap);
	va_end(ap);
	EV(GEV_WARNING, chunk, 0, NULL, 0, -1, 0);
}

static void
mm_add(struct glibc *g, struct gchunk *p)
{
	if (g->nmm == g->mmcap) {
		g->mmcap = g->mmcap ? g->mmcap * 2 : 16;
		g->mm = xreallocarray(g->mm, g->mmcap, sizeof *g->mm);
	}
	g->mm[g->nmm++].p = p;
}

static void
mm_remove(struct glibc *g, struct gchunk *p)
{
	size_t	i;

	for (i = g->nmm; i-- > 0; )
		if (g->mm[i].p == p) {
			g->mm[i] = g->mm[--g->nmm];
			return;
		}
}

static void
mm_replace(struct glibc *g, struct gchunk *old, struct gchunk *p)
{
	size_t	i;

	for (i = g->nmm; i-- > 0; )
		if (g->mm[i].p == old) {
			g->mm[i].p = p;
			return;
		}
}

static void	heap_span(struct glibc *);

/* A call begins: nothing written yet. */
static inline void
op_start(struct glibc *g)
{
	g->jp = g->jr;
	jr_reserve(g);
	g->unlogged = false;
	g->whole_op = false;
	g->sbrk_undo = 0;
	g->mmap_undo = NULL;
	g->blob_len = 0;
	g->warning[0] = '\0';
	g->err.glibc = NULL;
	g->err.what[0] = '\0';
}

/*
 * A refusal: put back the bytes, every word, the break, the mapping.
 * The bytes first: they were kept just before a copy, after the words
 * the call had already logged, and some of those words lie inside them
 * (realloc's new chunk held its free-list links when malloc took it).
 * Putting the kept bytes back gives the words' values of that moment;
 * the journal, unwound after, takes them back to the call's start.
 */
static void __attribute__((cold))
rollback(struct glibc *g)
{
	size_t	i;

	if (g->blob_len > 0)
		memcpy(g->blob_at, g->blob, g->blob_len);
	for (i = (size_t)(g->jp - g->jr); i-- > 0; )
		*g->jr[i].addr = g->jr[i].old;
	g->jp = g->jr;
	if (g->mmap_undo != NULL) {
		mm_remove(g, g->mmap_undo);
		memsrc_munmap(g->src, g->mmap_undo_base, g->mmap_undo_len);
	}
	if (g->sbrk_undo != 0)
		memsrc_sbrk(g->src, -g->sbrk_undo);
	heap_span(g);
	EV(GEV_CORRUPTION, g->err.chunk, 0, NULL, 0, -1, 0);
	errno = EINVAL;
}

/* Keep the bytes [p, p + n) to put back on a refusal. */
static void
blob_keep(struct glibc *g, void *p, size_t n)
{
	if (n > g->blobcap) {
		g->blobcap = n;
		g->blob = xrealloc(g->blob, n);
	}
	memcpy(g->blob, p, n);
	g->blob_at = p;
	g->blob_len = n;
}

/* Whether [p, p + n) is memory the source mapped (a read would not fault). */
bool
gl_mapped(struct glibc *g, const void *p, size_t n)
{
	struct gstate	*st = g->st;
	uint64_t	 d;
	int		 i;

	for (i = 0; i < st->nsegs; i++) {
		/* in integers, so that p + n cannot wrap past the end */
		uintptr_t	a = (uintptr_t)p,
				lo = (uintptr_t)st->seg[i].base,
				hi = (uintptr_t)st->seg[i].end;

		if (a >= lo && a <= hi && n <= hi - a)
			return true;
	}
	d = memsrc_to_display(g->src, p);
	return d != 0 && memsrc_to_host(g->src, d, n) != NULL;
}

/*
 * Before a pointer read from the heap (or the arena, which a user may
 * write too) is followed: the bytes [p, p + n) must be mapped.  Mostly
 * they are in the first segment or the arena; the rest asks the source.
 * A real process would crash here with SIGSEGV: the model refuses so.
 */
static bool __attribute__((noinline))
gl_ok_slow(struct glibc *g, const void *p, size_t n)
{
	uintptr_t	a = (uintptr_t)p, b = (uintptr_t)&g->st->av;

	if (a >= b && a + n <= b + sizeof g->st->av && a + n > a)
		return true;
	return gl_mapped(g, p, n);
}

/* The usual case in one compare: inside the span heap_span keeps (n is
 * at most 48, which the span's limit leaves room for). */
static inline __attribute__((always_inline)) bool
gl_ok(struct glibc *g, const void *p, size_t n)
{
	if ((uintptr_t)p - g->hlo <= g->hlim)
		return true;
	return gl_ok_slow(g, p, n);
}

/*
 * The span gl_ok passes in one compare: the arena, and the sbrk heap from
 * the lowest segment's base to the highest one's end (what lies between is
 * mapped too: someone else's sbrk), joined into one when the memory between
 * the arena and the heap is mapped (the sim's data segment lies just below
 * its heap).
 */
static void
heap_span(struct glibc *g)
{
	const struct gstate	*st = g->st;
	uintptr_t		 lo = UINTPTR_MAX, hi = 0;
	uintptr_t		 av = (uintptr_t)&st->av;
	uint64_t		 d;
	int			 i;

	g->hlo = av;
	g->hlim = sizeof st->av - 48;
	for (i = 0; i < st->nsegs; i++) {
		if ((uintptr_t)st->seg[i].base < lo)
			lo = (uintptr_t)st->seg[i].base;
		if ((uintptr_t)st->seg[i].end > hi)
			hi = (uintptr_t)st->seg[i].end;
	}
	if (st->nsegs == 0 || hi - lo <= 48 || av >= lo)
		return;
	/* the memory from the arena up to the heap: mapped, page by page
	 * (looked at once for a given heap base) */
	if (g->joined_lo != lo) {
		uintptr_t	a;

		g->joined_lo = 0;
		if (lo - av > ((uintptr_t)1 << 20))
			return;
		for (a = av; a < lo; a = (a | (PAGE - 1)) + 1) {
			size_t	n = (size_t)(((a | (PAGE - 1)) + 1 < lo ?
				    (a | (PAGE - 1)) + 1 : lo) - a);

			d = memsrc_to_display(g->src, (void *)a);
			if (d == 0 || memsrc_to_host(g->src, d, n) != (void *)a)
				return;
		}
		g->joined_lo = lo;
	}
	g->hlim = hi - av - 48;
}

static void __attribute__((noreturn, cold, noinline))
segv(struct glibc *g, const void *p)
{
	g->err.glibc = NULL;
	g->err.chunk = (void *)p;
	g->err.segv = true;
	g->err.strict = false;
	snprintf(g->err.what, sizeof g->err.what, "%p, reached through a "
	    "pointer or size in the heap, is not mapped: glibc would crash "
	    "with a segmentation fault reading it (a link or size was "
	    "overwritten)", p);
	__builtin_longjmp(g->jb, 1);
}

/* The chunk at p may be read: its header and links (large: nextsize). */
#define RD(p)	((void)(gl_ok(g, (p), 4 * SZ) || (segv(g, (p)), 0)))
#define RDL(p)	((void)(gl_ok(g, (p), 6 * SZ) || (segv(g, (p)), 0)))

/* ---------------------------------------------------------------------
 * Creating the model: malloc_init_state and mp_'s defaults.
 */

static void
init_state(struct gstate *st)
{
	struct garena	*av = &st->av;
	int		 i;

	memset(st, 0, sizeof *st);
	for (i = 1; i < NBINS; i++) {
		struct gchunk	*b = bin_at(av, i);

		b->fd = b->bk = b;
	}
	av->top = unsorted(av);		/* initial_top: size reads 0 */
	av->flags = 0;			/* contiguous; have_fastchunks 0 */
	st->mp.trim_threshold = GLIBC_DEFAULT_TRIM_THRESHOLD;
	st->mp.top_pad = GLIBC_DEFAULT_TOP_PAD;
	st->mp.mmap_threshold = GLIBC_DEFAULT_MMAP_THRESHOLD;
	st->mp.n_mmaps_max = 65536;
	st->mp.arena_test = 8;
	st->mp.tcache_bins = GLIBC_TCACHE_BINS;
	st->mp.tcache_max_bytes = 1032;
	st->mp.tcache_count = GLIBC_TCACHE_COUNT;
	st->mp.tcache_unsorted_limit = 0;
	st->tcache_key = GLIBC_TCACHE_KEY;
	st->checks = GLIBC_CHECKS_GLIBC;
	st->max_fast = GLIBC_MAX_FAST;
}

struct glibc *
glibc_create(struct memsrc *src, const struct glibc_params *params)
{
	struct glibc	*g = xcalloc(1, sizeof *g);

	g->src = src;
	g->st = memsrc_static(src, sizeof *g->st);
	g->state_static = g->st != NULL;
	if (g->st == NULL)
		g->st = xcalloc(1, sizeof *g->st);
	init_state(g->st);
	heap_span(g);
	if (params != NULL) {
		if (params->mmap_threshold != 0)
			glibc_set_mmap_threshold(g, params->mmap_threshold);
		if (params->trim_threshold != 0)
			glibc_set_trim_threshold(g, params->trim_threshold);
		if (params->top_pad != 0)
			glibc_set_top_pad(g, params->top_pad);
		g->st->checks = params->checks;
	}
	return g;
}

void
glibc_destroy(struct glibc *g)
{
	if (g == NULL)
		return;
	if (!g->state_static)
		free(g->st);
	free(g->mm);
	free(g->jr);
	free(g->blob);
	free(g);
}

void
glibc_set_tcache_key(struct glibc *g, uintptr_t key)
{
	struct gtcache	*tc = g->st->tcache;
	int		 i, k;

	if (tc != NULL && gl_mapped(g, tc, sizeof *tc)) {
		for (i = 0; i < GLIBC_TCACHE_BINS; i++) {
			struct gtentry	*e = tc->entries[i];

			for (k = 0; e != NULL && k < tc->counts[i] &&
			    gl_mapped(g, e, sizeof *e); k++) {
				if (e->key == g->st->tcache_key)
					e->key = key;
				e = gl_protect(&e->next, e->next);
			}
		}
	}
	g->st->tcache_key = key;
}

uintptr_t
glibc_tcache_key(const struct glibc *g)
{
	return g->st->tcache_key;
}

void
glibc_set_hook(struct glibc *g, glibc_hook hook, void *ctx)
{
	g->hook = hook;
	g->hook_ctx = ctx;
}

const struct glibc_error *
glibc_last_error(const struct glibc *g)
{
	return &g->err;
}

const char *
glibc_warning(const struct glibc *g)
{
	return g->warning;
}

/* ---------------------------------------------------------------------
 * Sizes.
 */

/* checked_request2size: 0 when the request is above PTRDIFF_MAX. */
static inline size_t
req2size(size_t req)
{
	if (req > PTRDIFF_MAX)
		return 0;
	if (req + SZ + ALIGN_MASK < MINSIZE)
		return MINSIZE;
	return (req + SZ + ALIGN_MASK) & ~ALIGN_MASK;
}

size_t
glibc_request2size(size_t req)
{
	return req2size(req);
}

int
glibc_tcache_index(size_t csize)
{
	size_t	i;

	if (csize < MINSIZE)
		return -1;
	i = csize2tidx(csize);
	return i < GLIBC_TCACHE_BINS ? (int)i : -1;
}

int
glibc_fastbin_index(size_t csize)
{
	if (csize < MINSIZE || csize > GLIBC_MAX_FAST)
		return -1;
	return (int)fastbin_index(csize);
}

int
glibc_bin_index(size_t csize)
{
	return (int)bin_index(csize);
}

/* The smallest chunk size of large bin i (64..126). */
static size_t
large_lo(int i)
{
	static size_t	lo[NBINS];
	size_t		s;

	if (lo[64] == 0) {
		for (s = GLIBC_MIN_LARGE; s < ((size_t)1 << 21); s += 16)
			if (lo[largebin_index(s)] == 0)
				lo[largebin_index(s)] = s;
	}
	return lo[i];
}

void
glibc_bin_range(int i, size_t *lo, size_t *hi)
{
	if (i <= 1 || i >= NBINS - 1) {
		*lo = MINSIZE;
		*hi = SIZE_MAX;
		return;
	}
	if (i < 64) {
		*lo = *hi = (size_t)i * 16;
		return;
	}
	*lo = large_lo(i);
	*hi = i == 126 ? SIZE_MAX : large_lo(i + 1) - 16;
}

/* ---------------------------------------------------------------------
 * The tcache: tcache_init, tcache_put, tcache_get.
 */

static void *int_malloc(struct glibc *, size_t);
static void int_free(struct glibc *, struct gchunk *, int);

/* The thread's first call: its tcache_perthread_struct from the arena. */
static void
tcache_init(struct glibc *g)
{
	void	*victim = int_malloc(g, sizeof(struct gtcache));

	if (victim != NULL) {
		size_t	i;

		jr_reserve(g);
		for (i = 0; i < sizeof(struct gtcache); i += 8)
			W(*(size_t *)((char *)victim + i), 0);
		W(g->st->tcache, victim);
		EV(GEV_TCACHE_INIT, mem2chunk(victim), sizeof(struct gtcache),
		    NULL, 0, -1, 0);
	}
}

static inline void
tcache_put(struct glibc *g, struct gchunk *p, size_t tc_idx)
{
	struct gtcache	*tc = g->st->tcache;
	struct gtentry	*e = chunk2mem(p);

	W(e->key, g->st->tcache_key);
	W(e->next, gl_protect(&e->next, tc->entries[tc_idx]));
	W(tc->entries[tc_idx], e);
	WN(tc->counts[tc_idx], tc->counts[tc_idx] + 1);
	EV(GEV_TCACHE_PUT, p, tc->counts[tc_idx], NULL,
	    (size_t)(uintptr_t)e->next, (int)tc_idx, 0);
}

static inline void *
tcache_get(struct glibc *g, size_t tc_idx)
{
	struct gtcache	*tc = g->st->tcache;
	struct gtentry	*e = tc->entries[tc_idx];

	if (misaligned(e))
		printerr(g, "malloc(): unaligned tcache chunk detected", e,
		    "tcache bin %zu's head %p is not 16-byte aligned: its "
		    "next pointer was overwritten", tc_idx, (void *)e);
	RD(e);
	W(tc->entries[tc_idx], gl_protect(&e->next, e->next));
	WN(tc->counts[tc_idx], tc->counts[tc_idx] - 1);
	W(e->key, 0);
	EV(GEV_TCACHE_GET, mem2chunk(e), tc->counts[tc_idx], NULL,
	    (size_t)(uintptr_t)e->next, (int)tc_idx, 0);
	return e;
}

/* ---------------------------------------------------------------------
 * unlink_chunk: take a chunk off its (normal) bin, checking both lists.
 */
static inline __attribute__((always_inline)) void
unlink_chunk(struct glibc *g, struct gchunk *p)
{
	struct gchunk	*fd, *bk;

	RDL(p);
	RD(next_chunk(p));
	if (chunksize(p) != next_chunk(p)->prev_size)
		printerr(g, "corrupted size vs. prev_size", p,
		    "chunk %p says size %#zx but the next chunk's prev_size "
		    "says %#zx: one of them was overwritten", (void *)p,
		    chunksize(p), next_chunk(p)->prev_size);
	fd = p->fd;
	bk = p->bk;
	RDL(fd);
	RDL(bk);
	if (fd->bk != p || bk->fd != p)
		printerr(g, "corrupted double-linked list", p,
		    "free chunk %p: fd->bk or bk->fd does not lead back to it "
		    "(fd %p, bk %p): a link was overwritten", (void *)p,
		    (void *)fd, (void *)bk);
	W(fd->bk, bk);
	W(bk->fd, fd);
	if (!in_smallbin(chunksize_nomask(p)) && p->fd_nextsize != NULL) {
		RDL(p->fd_nextsize);
		RDL(p->bk_nextsize);
		if (p->fd_nextsize->bk_nextsize != p ||
		    p->bk_nextsize->fd_nextsize != p)
			printerr(g, "corrupted double-linked list (not small)",
			    p, "large chunk %p: its fd_nextsize/bk_nextsize "
			    "neighbours do not point back", (void *)p);
		if (fd->fd_nextsize == NULL) {
			if (p->fd_nextsize == p) {
				W(fd->fd_nextsize, fd);
				W(fd->bk_nextsize, fd);
			} else {
				W(fd->fd_nextsize, p->fd_nextsize);
				W(fd->bk_nextsize, p->bk_nextsize);
				W(p->fd_nextsize->bk_nextsize, fd);
				W(p->bk_nextsize->fd_nextsize, fd);
			}
		} else {
			W(p->fd_nextsize->bk_nextsize, p->bk_nextsize);
			W(p->bk_nextsize->fd_nextsize, p->fd_nextsize);
		}
	}
}

static inline void
mark_bin(struct glibc *g, unsigned i)
{
	struct garena	*av = &g->st->av;

	WN(av->binmap[idx2block(i)], av->binmap[idx2block(i)] | idx2bit(i));
}

/* Put p at the head of the unsorted bin (a complete insert); last: the
 * caller's last check is this one's. */
static inline __attribute__((always_inline)) void
unsorted_put(struct glibc *g, struct gchunk *p, size_t size, const char *msg,
    bool last)
{
	struct garena	*av = &g->st->av;
	struct gchunk	*bck = unsorted(av), *fwd = bck->fd;

	RD(fwd);
	if (fwd->bk != bck)
		printerr(g, msg, fwd, "the unsorted bin's first chunk %p does "
		    "not link back to the bin: its bk was overwritten",
		    (void *)fwd);
	if (last)
		no_more_checks(g);
	W(p->fd, fwd);
	W(p->bk, bck);
	if (!in_smallbin(size)) {
		W(p->fd_nextsize, NULL);
		W(p->bk_nextsize, NULL);
	}
	W(bck->fd, p);
	W(fwd->bk, p);
}

/* ---------------------------------------------------------------------
 * sysmalloc: the heap needs memory.
 *
 * 1. At or above the mmap threshold (and below n_mmaps_max): a mapping of
 *    its own, nb + 8 rounded up to pages (sysmalloc_mmap).
 * 2. Otherwise sbrk nb + top_pad + MINSIZE, less what top already has if
 *    the heap is contiguous, rounded up to pages.
 * 3. If the new memory starts where top ends: top grows.
 * 4. Else (the first time, or after a foreign sbrk): the new memory's
 *    first payload must be 16-aligned, and the heap's end page-aligned,
 *    so a second sbrk asks the correction (plus the old top's size,
 *    which cannot be joined).  The new top starts at the aligned break.
 *    An old top is cut down to leave two 0x10 fenceposts, and what is
 *    left of it (if >= MINSIZE) is freed.
 * 5. If sbrk fails: a mapping of at least 1 MiB serves as the heap's next
 *    piece, and the heap is noncontiguous from then on.
 * 6. Carve nb from top.
 */

static void *
sysmalloc_mmap(struct glibc *g, size_t nb)
{
	struct gpar	*mp = &g->st->mp;
	size_t		 size = (nb + SZ + PAGE - 1) & ~(PAGE - 1);
	char		*mm;
	struct gchunk	*p;

	if (size <= nb)
		return MAP_FAILED;
	mm = memsrc_mmap(g->src, size);
	if (mm == MEMSRC_FAIL)
		return MAP_FAILED;
	p = (struct gchunk *)mm;
	p->prev_size = 0;
	p->size = size | IS_MMAPPED;
	g->mmap_undo = p;
	g->mmap_undo_base = mm;
	g->mmap_undo_len = size;
	mm_add(g, p);
	WN(mp->n_mmaps, mp->n_mmaps + 1);
	if (mp->n_mmaps > mp->max_n_mmaps)
		WN(mp->max_n_mmaps, mp->n_mmaps);
	W(mp->mmapped_mem, mp->mmapped_mem + size);
	if (mp->mmapped_mem > mp->max_mmapped_mem)
		W(mp->max_mmapped_mem, mp->mmapped_mem);
	EV(GEV_MMAP_CHUNK, p, size, NULL, nb, -1, 0);
	return chunk2mem(p);
}

/* The walk's list of sbrk regions: one that grows or shrinks at its end
 * keeps its entry (seg_end), a new one is added (seg_add). */
static void
seg_end(struct glibc *g, char *old_end, char *end)
{
	struct gstate	*st = g->st;
	int		 i;

	for (i = st->nsegs; i-- > 0; )
		if (st->seg[i].end == old_end) {
			W(st->seg[i].end, end);
			heap_span(g);
			return;
		}
}

static void
seg_add(struct glibc *g, char *base, char *end)
{
	struct gstate	*st = g->st;

	if (st->nsegs < GL_MAXSEGS) {
		W(st->seg[st->nsegs].base, base);
		W(st->seg[st->nsegs].end, end);
		WN(st->nsegs, st->nsegs + 1);
		heap_span(g);
	}
}

static void *
sysmalloc(struct glibc *g, size_t nb)
{
	struct gstate	*st = g->st;
	struct garena	*av = &st->av;
	struct gpar	*mp = &st->mp;
	struct gchunk	*old_top = av->top, *p;
	size_t		 old_size;
	char		*old_end;
	char		*brk = MEMSRC_FAIL, *snd_brk = MEMSRC_FAIL;
	long		 size, correction;
	int		 why = GW_PAD | GW_PAGE_ROUND;

	jr_reserve(g);
	RD(old_top);
	old_size = chunksize(old_top);
	old_end = end_of(old_top, old_size);
	if (nb >= mp->mmap_threshold && mp->n_mmaps < mp->n_mmaps_max) {
		void	*mm = sysmalloc_mmap(g, nb);

		if (mm != MAP_FAILED)
			return mm;
	}
	/* glibc asserts (in release builds too) that top is sane before it
	 * grows it: none yet, or at least MINSIZE, PREV_INUSE set, and
	 * ending on a page boundary. */
	if (!(old_top == unsorted(av) && old_size == 0) &&
	    (old_size < MINSIZE || !prev_inuse(old_top) ||
	    ((uintptr_t)old_end & (PAGE - 1)) != 0))
		printerr(g, GLIBC_SYSMALLOC_ASSERT, old_top, "top (%p) has size "
		    "%#zx%s: glibc grows only a top of at least 32 bytes, "
		    "PREV_INUSE set, that ends on a page boundary",
		    (void *)old_top, old_size, prev_inuse(old_top) ? "" :
		    " and PREV_INUSE clear");
	/* glibc's long arithmetic, without C's signed overflow: a damaged
	 * top may be bigger than the request by any amount. */
	{
		size_t	usize = nb + mp->top_pad + MINSIZE;

		if (contiguous(av))
			usize -= old_size;
		size = (long)((usize + PAGE - 1) & ~(PAGE - 1));
	}
	if (size > 0) {
		brk = memsrc_sbrk(g->src, size);
		if (brk != MEMSRC_FAIL)
			g->sbrk_undo += size;
	}
	if (brk == MEMSRC_FAIL) {
		/* sysmalloc_mmap_fallback */
		char	*mbrk;

		if (contiguous(av))
			size = (long)(((size_t)size + old_size + PAGE - 1) &
			    ~(PAGE - 1));
		if ((size_t)size < MMAP_AS_MORECORE_SIZE)
			size = (long)MMAP_AS_MORECORE_SIZE;
		if ((size_t)size > nb &&
		    (mbrk = memsrc_mmap(g->src, (size_t)size)) != MEMSRC_FAIL) {
			WN(av->flags, av->flags | NONCONTIGUOUS_BIT);
			brk = mbrk;
			snd_brk = brk + size;
		}
	}
	if (brk != MEMSRC_FAIL) {
		if (mp->sbrk_base == NULL)
			W(mp->sbrk_base, brk);
		W(av->system_mem, av->system_mem + (size_t)size);
		if (brk == old_end && snd_brk == MEMSRC_FAIL) {
			W(old_top->size, ((size_t)size + old_size) | PREV_INUSE);
			seg_end(g, brk, brk + size);
			EV(GEV_SYSMALLOC, old_top, (size_t)size, NULL, nb, -1,
			    why);
		} else if (contiguous(av) && old_size && brk < old_end) {
			printerr(g, "break adjusted to free malloc space",
			    old_top, "the break is below the end of top "
			    "(%p < %p): someone else moved it back over "
			    "memory malloc owns", (void *)brk,
			    (void *)old_end);
		} else {
			size_t	 front_misalign, end_misalign;
			char	*aligned_brk = brk;

			correction = 0;
			why |= old_size ? GW_FOREIGN : GW_FIRST;
			if (contiguous(av)) {
				if (old_size)
					W(av->system_mem, av->system_mem +
					    (size_t)(brk - old_end));
				/* in unsigned words: glibc's long sums
				 * wrap on a damaged old top's size */
				size_t	ucorr = 0;

				front_misalign = (uintptr_t)(brk + HDR) &
				    ALIGN_MASK;
				if (front_misalign > 0) {
					ucorr = 16 - front_misalign;
					aligned_brk += ucorr;
					why |= GW_ALIGN_FIX;
				}
				ucorr += old_size;
				end_misalign = (uintptr_t)brk +
				    (uintptr_t)size + ucorr;
				ucorr += ((end_misalign + PAGE - 1) &
				    ~(PAGE - 1)) - end_misalign;
				correction = (long)ucorr;
				snd_brk = memsrc_sbrk(g->src, correction);
				if (snd_brk == MEMSRC_FAIL) {
					correction = 0;
					snd_brk = memsrc_sbrk(g->src, 0);
				} else
					g->sbrk_undo += correction;
			} else if (snd_brk == MEMSRC_FAIL)
				snd_brk = memsrc_sbrk(g->src, 0);
			EV(GEV_SYSMALLOC, aligned_brk, (size_t)size +
			    (size_t)correction, NULL, nb, -1, why);
			if (snd_brk != MEMSRC_FAIL) {
				W(av->top, (struct gchunk *)aligned_brk);
				W(av->top->size, (size_t)(snd_brk -
				    aligned_brk + correction) | PREV_INUSE);
				W(av->system_mem, av->system_mem +
				    (size_t)correction);
				seg_add(g, aligned_brk, (char *)av->top +
				    chunksize(av->top));
				if (old_size != 0) {
					/* two fenceposts where the old
					 * top ended */
					old_size = (old_size - 2 * HDR) &
					    ~ALIGN_MASK;
					RD(at_offset(old_top, old_size));
					W(old_top->size, old_size | PREV_INUSE);
					W(at_offset(old_top, old_size)->size,
					    HDR | PREV_INUSE);
					W(at_offset(old_top, old_size +
					    HDR)->size, HDR | PREV_INUSE);
					EV(GEV_FENCEPOSTS, old_top, old_size,
					    at_offset(old_top, old_size),
					    2 * HDR, -1, 0);
					if (old_size >= MINSIZE)
						int_free(g, old_top, 1);
				}
			}
		}
	}
	if (av->system_mem > av->max_system_mem)
		W(av->max_system_mem, av->system_mem);
	p = av->top;
	if (chunksize(p) >= nb + MINSIZE) {
		size_t	rem = chunksize(p) - nb;

		W(av->top, at_offset(p, nb));
		W(p->size, nb | PREV_INUSE);
		W(av->top->size, rem | PREV_INUSE);
		EV(GEV_TOP_SPLIT, p, nb, av->top, rem, -1, 0);
		return chunk2mem(p);
	}
	errno = ENOMEM;
	return NULL;
}

/* systrim: give back whole pages of top above top_pad, if the break is
 * still where malloc left it. */
static int
systrim(struct glibc *g, size_t pad)
{
	struct garena	*av = &g->st->av;
	size_t		 top_size = chunksize(av->top);
	long		 top_area = (long)top_size - (long)MINSIZE - 1, extra;
	char		*cur, *now;

	if (top_area <= (long)pad)
		return 0;
	extra = (long)(((size_t)top_area - pad) & ~(PAGE - 1));
	if (extra == 0)
		return 0;
	cur = memsrc_sbrk(g->src, 0);
	if (cur != end_of(av->top, top_size))
		return 0;
	memsrc_sbrk(g->src, -extra);
	now = memsrc_sbrk(g->src, 0);
	if (now != MEMSRC_FAIL && cur - now != 0) {
		long	released = cur - now;

		W(av->system_mem, av->system_mem - (size_t)released);
		W(av->top->size, (top_size - (size_t)released) | PREV_INUSE);
		seg_end(g, cur, now);
		EV(GEV_TRIM, av->top, (size_t)released, NULL, 0, -1, 0);
		return 1;
	}
	return 0;
}

/* munmap_chunk: after glibc's check that the mapping is page-aligned. */
static void
munmap_chunk(struct glibc *g, struct gchunk *p)
{
	struct gpar	*mp = &g->st->mp;
	size_t		 size = chunksize(p);
	uintptr_t	 mem = (uintptr_t)chunk2mem(p);
	uintptr_t	 block = (uintptr_t)p - p->prev_size;
	size_t		 total = p->prev_size + size;
	uintptr_t	 low = mem & (PAGE - 1);

	if (((block | total) & (PAGE - 1)) != 0 || (low & (low - 1)) != 0)
		printerr(g, "munmap_chunk(): invalid pointer", p,
		    "chunk %p is marked mmapped but its mapping (%#zx bytes "
		    "from %#lx) is not page-aligned: a header was "
		    "overwritten, or the pointer is not malloc's", (void *)p,
		    total, (unsigned long)block);
	WN(mp->n_mmaps, mp->n_mmaps - 1);
	W(mp->mmapped_mem, mp->mmapped_mem - total);
	EV(GEV_MUNMAP_CHUNK, p, size, NULL, 0, -1, 0);
	mm_remove(g, p);
	memsrc_munmap(g->src, (void *)block, total);
}

static struct gchunk *
mremap_chunk(struct glibc *g, struct gchunk *p, size_t new_size)
{
	struct gpar	*mp = &g->st->mp;
	size_t		 offset = p->prev_size, size = chunksize(p);
	uintptr_t	 block = (uintptr_t)p - offset;
	uintptr_t	 low = (uintptr_t)chunk2mem(p) & (PAGE - 1);
	size_t		 total = offset + size;
	char		*cp;
	struct gchunk	*np;

	if (((block | total) & (PAGE - 1)) != 0 || (low & (low - 1)) != 0)
		printerr(g, "mremap_chunk(): invalid pointer", p,
		    "chunk %p is marked mmapped but its mapping is not "
		    "page-aligned: a header was overwritten", (void *)p);
	new_size = (new_size + offset + SZ + PAGE - 1) & ~(PAGE - 1);
	if (total == new_size)
		return p;
	cp = memsrc_mremap(g->src, (void *)block, total, new_size,
	    MREMAP_MAYMOVE);
	if (cp == MEMSRC_FAIL)
		return NULL;
	np = (struct gchunk *)(cp + offset);
	np->size = (new_size - offset) | IS_MMAPPED;
	mm_replace(g, p, np);
	W(mp->mmapped_mem, mp->mmapped_mem + new_size - size - offset);
	if (mp->mmapped_mem > mp->max_mmapped_mem)
		W(mp->max_mmapped_mem, mp->mmapped_mem);
	EV(GEV_MREMAP_CHUNK, np, new_size - offset, p, size, -1, 0);
	return np;
}

/* ---------------------------------------------------------------------
 * malloc_consolidate: empty every fastbin into the unsorted bin, merging
 * each chunk with free neighbours (and with top).
 */
static void
consolidate(struct glibc *g, int why)
{
	struct garena	*av = &g->st->av;
	struct gchunk	*ub = unsorted(av);
	unsigned	 i;

	EV(GEV_CONSOLIDATE, NULL, 0, NULL, 0, -1, why);
	WN(av->have_fastchunks, 0);
	for (i = 0; i < NFASTBINS; i++) {
		struct gchunk	*p = av->fastbinsY[i], *nextp;

		if (p == NULL)
			continue;
		W(av->fastbinsY[i], NULL);
		do {
			struct gchunk	*nextchunk;
			size_t		 size, nextsize, prevsize;

			jr_reserve(g);
			if (misaligned(p))
				printerr(g, "malloc_consolidate(): unaligned "
				    "fastbin chunk detected", p, "fastbin %u "
				    "holds %p, not 16-byte aligned: a fd "
				    "pointer was overwritten", i, (void *)p);
			RD(p);
			if (fastbin_index(chunksize(p)) != i)
				printerr(g, "malloc_consolidate(): invalid "
				    "chunk size", p, "chunk %p in fastbin %u "
				    "has size %#zx, not that bin's: its size "
				    "was overwritten", (void *)p, i,
				    chunksize(p));
			nextp = gl_protect(&p->fd, p->fd);
			size = chunksize(p);
			nextchunk = at_offset(p, size);
			RD(nextchunk);
			nextsize = chunksize(nextchunk);
			if (!prev_inuse(p)) {
				prevsize = p->prev_size;
				size += prevsize;
				p = at_offset(p, -(long)prevsize);
				RD(p);
				if (chunksize(p) != prevsize)
					printerr(g, "corrupted size vs. "
					    "prev_size in fastbins", p,
					    "the chunk below a fastbin chunk "
					    "has size %#zx, not its prev_size "
					    "%#zx", chunksize(p), prevsize);
				unlink_chunk(g, p);
			}
			if (nextchunk != av->top) {
				RD(at_offset(nextchunk, nextsize));
				if (!inuse_at(nextchunk, nextsize)) {
					size += nextsize;
					unlink_chunk(g, nextchunk);
				} else
					W(nextchunk->size, nextchunk->size &
					    ~PREV_INUSE);
				{
					struct gchunk *fu = ub->fd;

					RD(fu);
					W(ub->fd, p);
					W(fu->bk, p);
					if (!in_smallbin(size)) {
						W(p->fd_nextsize, NULL);
						W(p->bk_nextsize, NULL);
					}
					W(p->size, size | PREV_INUSE);
					W(p->bk, ub);
					W(p->fd, fu);
					W(at_offset(p, size)->prev_size, size);
				}
				EV(GEV_CONSOLIDATE_CHUNK, p, size, NULL, 0, 1,
				    0);
			} else {
				size += nextsize;
				W(p->size, size | PREV_INUSE);
				W(av->top, p);
				EV(GEV_INTO_TOP, p, size, NULL, 0, -1, 0);
			}
			p = nextp;
		} while (p != NULL);
	}
}

/* ---------------------------------------------------------------------
 * _int_malloc.
 *
 * Basic algorithm:
 *  1. nb = request2size(bytes).
 *  2. nb <= 0x80 and its fastbin holds a chunk: take the head, move the
 *     rest of that bin into the tcache (up to 7), return the head.
 *  3. nb < 0x400 and its small bin holds a chunk: take the oldest, move
 *     the rest into the tcache, return it.
 *     Else (a large request) consolidate the fastbins if any hold chunks.
 *  4. Process the unsorted bin, oldest first:
 *     a. a small request, this chunk alone in the bin and the last
 *        remainder, and bigger than nb + MINSIZE: split it, the rest
 *        stays the last remainder, return;
 *     b. an exact fit: into the tcache while it has room (and remember
 *        to return one from there), else return it;
 *     c. otherwise sort it into its small or large bin.
 *     After the bin is empty, a cached exact fit is returned.
 *  5. A large request: the smallest chunk in its own bin that fits
 *     (skipping to the second chunk of a size), split, the rest to the
 *     unsorted bin.
 *  6. Scan the binmap from the next bin up for the first non-empty bin:
 *     its last (smallest) chunk, split, the rest to the unsorted bin (and
 *     the last remainder, for a small request).
 *  7. Top, if it holds nb + MINSIZE.  Else if fastbins hold chunks:
 *     consolidate and go back to 4.  Else sysmalloc.
 */
static void *
int_malloc(struct glibc *g, size_t bytes)
{
	struct gstate	*st = g->st;
	struct garena	*av = &st->av;
	struct gtcache	*tc = st->tcache;
	struct gchunk	*victim, *bin, *bck, *fwd, *rem;
	size_t		 nb, size, rem_size, tc_idx, tcache_nb = 0;
	unsigned	 idx, vidx, block, bit, map;
	int		 return_cached = 0, iters;

	nb = req2size(bytes);
	if (nb == 0) {
		errno = ENOMEM;
		return NULL;
	}
	tc_idx = csize2tidx(nb);

	if (nb <= g->st->max_fast) {
		struct gchunk	**fb;

		idx = fastbin_index(nb);
		fb = &av->fastbinsY[idx];
		victim = *fb;
		if (victim != NULL) {
			if (misaligned(victim))
				printerr(g, "malloc(): unaligned fastbin chunk "
				    "detected 2", victim, "fastbin %u's head "
				    "%p is not 16-byte aligned: a fd pointer "
				    "was overwritten", idx, (void *)victim);
			RD(victim);
			W(*fb, gl_protect(&victim->fd, victim->fd));
			if (fastbin_index(chunksize(victim)) != idx)
				printerr(g, "malloc(): memory corruption "
				    "(fast)", victim, "chunk %p from fastbin "
				    "%u has size %#zx, not that bin's: its "
				    "size was overwritten", (void *)victim,
				    idx, chunksize(victim));
			EV(GEV_FASTBIN_GET, victim, nb, NULL,
			    (size_t)(uintptr_t)victim->fd, (int)idx, 0);
			if (tc != NULL && tc_idx < GLIBC_TCACHE_BINS) {
				struct gchunk	*tv;

				while (tc->counts[tc_idx] < GLIBC_TCACHE_COUNT &&
				    (tv = *fb) != NULL) {
					jr_reserve(g);					if (misaligned(tv))
						printerr(g, "malloc(): unaligned "
						    "fastbin chunk detected 3",
						    tv, "fastbin %u holds %p, "
						    "not 16-byte aligned", idx,
						    (void *)tv);
					RD(tv);
					W(*fb, gl_protect(&tv->fd, tv->fd));
					EV(GEV_FAST_TO_TCACHE, tv, nb, NULL, 0,
					    (int)tc_idx, 0);
					tcache_put(g, tv, tc_idx);
				}
			}
			return chunk2mem(victim);
		}
	}

	if (in_smallbin(nb)) {
		idx = smallbin_index(nb);
		bin = bin_at(av, idx);
		if ((victim = last(bin)) != bin) {
			RD(victim);
			bck = victim->bk;
			RD(bck);
			RD(at_offset(victim, nb));
			if (bck->fd != victim)
				printerr(g, "malloc(): smallbin double linked "
				    "list corrupted", victim, "small bin %u's "
				    "last chunk %p: its bk's fd does not lead "
				    "back", idx, (void *)victim);
			W(at_offset(victim, nb)->size,
			    at_offset(victim, nb)->size | PREV_INUSE);
			W(bin->bk, bck);
			W(bck->fd, bin);
			EV(GEV_SMALLBIN_HIT, victim, nb, NULL, 0, (int)idx, 0);
			if (tc != NULL && tc_idx < GLIBC_TCACHE_BINS) {
				struct gchunk	*tv;

				while (tc->counts[tc_idx] < GLIBC_TCACHE_COUNT &&
				    (tv = last(bin)) != bin) {
					jr_reserve(g);
					RD(tv);
					bck = tv->bk;
					RD(bck);
					RD(at_offset(tv, nb));
					W(at_offset(tv, nb)->size,
					    at_offset(tv, nb)->size |
					    PREV_INUSE);
					W(bin->bk, bck);
					W(bck->fd, bin);
					EV(GEV_SMALL_TO_TCACHE, tv, nb, NULL, 0,
					    (int)tc_idx, 0);
					tcache_put(g, tv, tc_idx);
				}
			}
			return chunk2mem(victim);
		}
	} else {
		idx = largebin_index(nb);
		if (av->have_fastchunks)
			consolidate(g, GW_LARGE_REQUEST);
	}

	if (tc != NULL && tc_idx < GLIBC_TCACHE_BINS)
		tcache_nb = nb;

	for (;;) {
		iters = 0;
		while ((victim = unsorted(av)->bk) != unsorted(av)) {
			struct gchunk	*next;

			jr_reserve(g);
			RDL(victim);
			bck = victim->bk;
			size = chunksize(victim);
			next = at_offset(victim, size);
			if (size > HDR && size <= av->system_mem)
				RD(next);
			if (size <= HDR || size > av->system_mem)
				printerr(g, "malloc(): invalid size (unsorted)",
				    victim, "unsorted chunk %p has size %#zx: "
				    "its size was overwritten", (void *)victim,
				    size);
			if (chunksize_nomask(next) < HDR ||
			    chunksize_nomask(next) > av->system_mem)
				printerr(g, "malloc(): invalid next size "
				    "(unsorted)", next, "the chunk after "
				    "unsorted chunk %p has size %#zx: a write "
				    "ran past %p's end", (void *)victim,
				    chunksize_nomask(next), (void *)victim);
			if ((next->prev_size & ~SIZE_BITS) != size)
				printerr(g, "malloc(): mismatching "
				    "next->prev_size (unsorted)", victim,
				    "unsorted chunk %p has size %#zx but the "
				    "next chunk's prev_size is %#zx",
				    (void *)victim, size, next->prev_size);
			RD(bck);
			if (bck->fd != victim || victim->fd != unsorted(av))
				printerr(g, "malloc(): unsorted double linked "
				    "list corrupted", victim, "unsorted chunk "
				    "%p: its links do not agree with its "
				    "neighbours'", (void *)victim);
			if (prev_inuse(next))
				printerr(g, "malloc(): invalid next->prev_inuse "
				    "(unsorted)", victim, "the chunk after "
				    "unsorted chunk %p says %p is in use: a "
				    "double free, or its header was "
				    "overwritten", (void *)victim,
				    (void *)victim);

			if (in_smallbin(nb) && bck == unsorted(av) &&
			    victim == av->last_remainder &&
			    size > nb + MINSIZE) {
				rem_size = size - nb;
				rem = at_offset(victim, nb);
				no_more_checks(g);
				W(unsorted(av)->bk, rem);
				W(unsorted(av)->fd, rem);
				W(av->last_remainder, rem);
				W(rem->bk, unsorted(av));
				W(rem->fd, unsorted(av));
				if (!in_smallbin(rem_size)) {
					W(rem->fd_nextsize, NULL);
					W(rem->bk_nextsize, NULL);
				}
				W(victim->size, nb | PREV_INUSE);
				W(rem->size, rem_size | PREV_INUSE);
				W(at_offset(rem, rem_size)->prev_size,
				    rem_size);
				EV(GEV_UNSORTED_TAKEN, victim, size, NULL, 0, 1,
				    GW_LAST_REMAINDER);
				EV(GEV_REMAINDER_SPLIT, victim, nb, rem,
				    rem_size, 1, 0);
				return chunk2mem(victim);
			}

			if (bck->fd != victim)
				printerr(g, "malloc(): corrupted unsorted "
				    "chunks 3", victim, "unsorted chunk %p: "
				    "its bk's fd does not lead back",
				    (void *)victim);
			W(unsorted(av)->bk, bck);
			W(bck->fd, unsorted(av));

			if (size == nb) {
				W(at_offset(victim, size)->size,
				    at_offset(victim, size)->size | PREV_INUSE);
				EV(GEV_UNSORTED_TAKEN, victim, size, NULL, 0, 1,
				    GW_EXACT_FIT);
				if (tcache_nb && tc->counts[tc_idx] <
				    GLIBC_TCACHE_COUNT) {
					EV(GEV_EXACT_TO_TCACHE, victim, size,
					    NULL, 0, (int)tc_idx, 0);
					tcache_put(g, victim, tc_idx);
					return_cached = 1;
					continue;
				}
				return chunk2mem(victim);
			}

			if (in_smallbin(size)) {
				vidx = smallbin_index(size);
				bck = bin_at(av, vidx);
				fwd = bck->fd;
				RD(fwd);
			} else {
				unsigned	vi = largebin_index(size);

				bck = bin_at(av, vi);
				fwd = bck->fd;
				RDL(fwd);
				RDL(bck->bk);
				if (fwd != bck) {
					size_t	sz1 = size | PREV_INUSE;

					if (sz1 < chunksize_nomask(bck->bk)) {
						fwd = bck;
						bck = bck->bk;
						RDL(fwd->fd->bk_nextsize);
						W(victim->fd_nextsize, fwd->fd);
						W(victim->bk_nextsize,
						    fwd->fd->bk_nextsize);
						W(fwd->fd->bk_nextsize, victim);
						W(victim->bk_nextsize->
						    fd_nextsize, victim);
					} else {
						while (sz1 <
						    chunksize_nomask(fwd)) {
							fwd = fwd->fd_nextsize;
							RDL(fwd);
						}
						if (sz1 == chunksize_nomask(fwd)) {
							fwd = fwd->fd;
							RDL(fwd);
						}
						else {
							W(victim->fd_nextsize,
							    fwd);
							W(victim->bk_nextsize,
							    fwd->bk_nextsize);
							RDL(fwd->bk_nextsize);
							if (fwd->bk_nextsize->
							    fd_nextsize != fwd)
								printerr(g,
"malloc(): largebin double linked list corrupted (nextsize)", fwd,
"large chunk %p: its bk_nextsize's fd_nextsize does not lead back",
								    (void *)fwd);
							W(fwd->bk_nextsize,
							    victim);
							W(victim->bk_nextsize->
							    fd_nextsize, victim);
						}
						bck = fwd->bk;
						RDL(bck);
						if (bck->fd != fwd)
							printerr(g,
"malloc(): largebin double linked list corrupted (bk)", fwd,
"large chunk %p: its bk's fd does not lead back", (void *)fwd);
					}
				} else {
					W(victim->fd_nextsize, victim);
					W(victim->bk_nextsize, victim);
				}
				vidx = vi;
			}
			mark_bin(g, vidx);
			W(victim->bk, bck);
			W(victim->fd, fwd);
			W(fwd->bk, victim);
			W(bck->fd, victim);
			EV(GEV_UNSORTED_SORTED, victim, size, NULL, 0, (int)vidx,
			    GW_NOT_FIT);
			if (++iters >= 10000)
				break;
		}
		if (return_cached) {
			EV(GEV_RETURN_CACHED, NULL, nb, NULL, 0, (int)tc_idx, 0);
			return tcache_get(g, tc_idx);
		}

		if (!in_smallbin(nb)) {
			bin = bin_at(av, idx);
			if ((victim = first(bin)) != bin &&
			    (RDL(victim), chunksize_nomask(victim) >= nb)) {
				victim = victim->bk_nextsize;
				RDL(victim);
				while ((size = chunksize(victim)) < nb) {
					victim = victim->bk_nextsize;
					RDL(victim);
				}
				RDL(victim->fd);
				if (victim != last(bin) &&
				    chunksize_nomask(victim) ==
				    chunksize_nomask(victim->fd))
					victim = victim->fd;
				rem_size = size - nb;
				unlink_chunk(g, victim);  /* guards next */
				EV(GEV_LARGEBIN_HIT, victim, size, NULL, 0,
				    (int)idx, 0);
				if (rem_size < MINSIZE)
					W(at_offset(victim, size)->size,
					    at_offset(victim, size)->size |
					    PREV_INUSE);
				else {
					rem = at_offset(victim, nb);
					unsorted_put(g, rem, rem_size,
					    "malloc(): corrupted unsorted "
					    "chunks", true);
					W(victim->size, nb | PREV_INUSE);
					W(rem->size, rem_size | PREV_INUSE);
					W(at_offset(rem, rem_size)->prev_size,
					    rem_size);
					EV(GEV_SPLIT, victim, nb, rem, rem_size,
					    1, 0);
				}
				return chunk2mem(victim);
			}
		}

		++idx;
		bin = bin_at(av, idx);
		block = idx2block(idx);
		map = av->binmap[block];
		bit = idx2bit(idx);
		for (;;) {
			if (bit > map || bit == 0) {
				do {
					if (++block >= BINMAPSIZE)
						goto use_top;
				} while ((map = av->binmap[block]) == 0);
				idx = block << 5;
				bin = bin_at(av, idx);
				bit = 1;
			}
			/* the next set bit (glibc steps to it bin by bin) */
			if ((bit & map) == 0) {
				unsigned	sh = (unsigned)__builtin_ctz(map &
				    ~(bit - 1)) - (unsigned)__builtin_ctz(bit);

				idx += sh;
				bin = bin_at(av, idx);
				bit <<= sh;
			}
			victim = last(bin);
			if (victim == bin) {
				map &= ~bit;
				WN(av->binmap[block], map);
				EV(GEV_BINMAP_CLEAR, NULL, 0, NULL, 0, (int)idx,
				    0);
				idx++;
				bin = bin_at(av, idx);
				bit <<= 1;
				continue;
			}
			RDL(victim);
			size = chunksize(victim);
			rem_size = size - nb;
			unlink_chunk(g, victim);	/* guards next */
			EV(GEV_BINMAP_SCAN, victim, size, NULL, 0, (int)idx, 0);
			if (rem_size < MINSIZE)
				W(at_offset(victim, size)->size,
				    at_offset(victim, size)->size | PREV_INUSE);
			else {
				rem = at_offset(victim, nb);
				unsorted_put(g, rem, rem_size, "malloc(): "
				    "corrupted unsorted chunks 2", true);
				if (in_smallbin(nb))
					W(av->last_remainder, rem);
				W(victim->size, nb | PREV_INUSE);
				W(rem->size, rem_size | PREV_INUSE);
				W(at_offset(rem, rem_size)->prev_size, rem_size);
				EV(GEV_SPLIT, victim, nb, rem, rem_size, 1, 0);
			}
			return chunk2mem(victim);
		}
use_top:
		victim = av->top;
		RD(victim);
		size = chunksize(victim);
		if (size > av->system_mem)
			printerr(g, "malloc(): corrupted top size", victim,
			    "top %p has size %#zx, more than the arena owns "
			    "(%#zx): a write ran over top's header",
			    (void *)victim, size, av->system_mem);
		if (size >= nb + MINSIZE) {
			rem_size = size - nb;
			rem = at_offset(victim, nb);
			RD(rem);
			no_more_checks(g);
			W(av->top, rem);
			W(victim->size, nb | PREV_INUSE);
			W(rem->size, rem_size | PREV_INUSE);
			EV(GEV_TOP_SPLIT, victim, nb, rem, rem_size, -1, 0);
			return chunk2mem(victim);
		} else if (av->have_fastchunks) {
			consolidate(g, GW_TOP_TOO_SMALL);
			idx = in_smallbin(nb) ? smallbin_index(nb) :
			    largebin_index(nb);
		} else
			return sysmalloc(g, nb);
	}
}

/* ---------------------------------------------------------------------
 * _int_free.
 *
 * Basic algorithm:
 *  1. glibc's sanity checks on the pointer and the size.
 *  2. A tcache size: if the key says "in the tcache", walk the bin: a
 *     double free aborts.  With room in the bin: put it there, done.
 *  3. A fastbin size: check the next chunk's size, refuse if the chunk
 *     is the bin's head (the only double free seen here), push it.
 *  4. Otherwise (not mapped): check against top and the next chunk,
 *     merge with a free chunk below and above (or into top), put the
 *     result at the head of the unsorted bin.  A result of 64 KiB or
 *     more consolidates the fastbins, and trims top above the trim
 *     threshold.
 *  5. Mapped chunks go back with munmap.
 */

/* Step 2's walk; strict mode and listeners also look for a cached
 * chunk whose key was overwritten. */
static void
tcache_double_free_walk(struct glibc *g, struct gtentry *e, size_t tc_idx,
    bool keyed)
{
	struct gtcache	*tc = g->st->tcache;
	struct gtentry	*t;
	size_t		 cnt = 0;

	for (t = tc->entries[tc_idx]; t != NULL;
	    t = gl_protect(&t->next, t->next), cnt++) {
		if (cnt >= g->st->mp.tcache_count)
			printerr(g, "free(): too many chunks detected in "
			    "tcache", e, "tcache bin %zu holds more chunks than "
			    "its limit: a next pointer loops", tc_idx);
		if (misaligned(t))
			printerr(g, "free(): unaligned chunk detected in "
			    "tcache 2", e, "tcache bin %zu holds %p, not "
			    "16-byte aligned: a next pointer was overwritten",
			    tc_idx, (void *)t);
		RD(t);
		if (t == e) {
			if (keyed)
				printerr(g, "free(): double free detected in "
				    "tcache 2", mem2chunk(e), "chunk %p is "
				    "already in tcache bin %zu (its key word "
				    "holds tcache_key): a double free",
				    (void *)mem2chunk(e), tc_idx);
			g->err.strict = true;
			printerr(g, NULL, mem2chunk(e), "chunk %p is already in "
			    "tcache bin %zu although its key was overwritten: "
			    "a double free glibc would let through",
			    (void *)mem2chunk(e), tc_idx);
		}
	}
}

static void
int_free(struct glibc *g, struct gchunk *p, int have_lock)
{
	struct gstate	*st = g->st;
	struct garena	*av = &st->av;
	struct gtcache	*tc = st->tcache;
	size_t		 size, nextsize, prevsize, tc_idx;
	struct gchunk	*nextchunk;

	jr_reserve(g);
	RD(p);
	size = chunksize(p);
	if ((uintptr_t)p > (uintptr_t)-size || misaligned(p))
		printerr(g, "free(): invalid pointer", p, "%p is not a chunk "
		    "malloc gave: misaligned, or its size %#zx wraps",
		    chunk2mem(p), size);
	if (size < MINSIZE || (size & ALIGN_MASK) != 0)
		printerr(g, "free(): invalid size", p, "chunk %p has size "
		    "%#zx: below 32 or not a multiple of 16, so its header "
		    "was overwritten or the pointer is not malloc's",
		    (void *)p, size);
	tc_idx = csize2tidx(size);
	if (tc != NULL && tc_idx < GLIBC_TCACHE_BINS) {
		struct gtentry	*e = chunk2mem(p);

		if (e->key == st->tcache_key)
			tcache_double_free_walk(g, e, tc_idx, true);
		else if (st->checks == GLIBC_CHECKS_STRICT)
			tcache_double_free_walk(g, e, tc_idx, false);
		if (tc->counts[tc_idx] < GLIBC_TCACHE_COUNT) {
			EV(GEV_FREE, p, size, NULL, 0, -1, 0);
			tcache_put(g, p, tc_idx);
			return;
		}
	}

	EV(GEV_FREE, p, size, NULL, 0, -1, 0);
	if (size <= g->st->max_fast) {
		struct gchunk	*nx = at_offset(p, size), *old;
		unsigned	 idx;

		RD(nx);
		if (chunksize_nomask(nx) <= HDR ||
		    chunksize(nx) >= av->system_mem)
			printerr(g, "free(): invalid next size (fast)", p,
			    "the chunk after %p has size %#zx: a write ran "
			    "past %p's end", (void *)p, chunksize_nomask(nx),
			    chunk2mem(p));
		idx = fastbin_index(size);
		old = av->fastbinsY[idx];
		if (old == p)
			printerr(g, "double free or corruption (fasttop)", p,
			    "chunk %p is already the head of fastbin %u: "
			    "freed twice in a row", (void *)p, idx);
		if (g->hook != NULL || st->checks == GLIBC_CHECKS_STRICT) {
			struct gchunk	*q = old;
			size_t		 n = 0;

			while (q != NULL && q != p && n++ < 100000 &&
			    !misaligned(q) && gl_mapped(g, q, 2 * HDR))
				q = gl_protect(&q->fd, q->fd);
			if (q == p) {
				if (st->checks == GLIBC_CHECKS_STRICT) {
					g->err.strict = true;
					printerr(g, NULL, p, "chunk %p is "
					    "already in fastbin %u (not at its "
					    "head, so glibc would let this "
					    "double free through)", (void *)p,
					    idx);
				}
				warn(g, p, "chunk %p is already in fastbin %u: "
				    "glibc checks only the bin's head, so this "
				    "double free goes through and two later "
				    "mallocs will return the same block",
				    (void *)p, idx);
			}
		}
		WN(av->have_fastchunks, 1);
		W(p->fd, gl_protect(&p->fd, old));
		W(av->fastbinsY[idx], p);
		if (have_lock && old != NULL && (RD(old), 1) &&
		    fastbin_index(chunksize(old)) != idx)
			printerr(g, "invalid fastbin entry (free)", old,
			    "fastbin %u's old head %p has size %#zx, not the "
			    "bin's", idx, (void *)old, chunksize(old));
		EV(GEV_FASTBIN_PUT, p, size, NULL,
		    (size_t)(uintptr_t)p->fd, (int)idx, 0);
		return;
	}

	if (is_mmapped(p)) {
		munmap_chunk(g, p);
		return;
	}

	nextchunk = at_offset(p, size);
	RD(av->top);
	if (p == av->top)
		printerr(g, "double free or corruption (top)", p,
		    "%p is the top chunk: it was freed already and merged "
		    "into top", chunk2mem(p));
	if (contiguous(av) &&
	    (char *)nextchunk >= end_of(av->top, chunksize(av->top)))
		printerr(g, "double free or corruption (out)", p,
		    "chunk %p (size %#zx) would end beyond top's end: it was "
		    "freed and taken back by top already, or its size was "
		    "overwritten", (void *)p, size);
	RD(nextchunk);
	if (!prev_inuse(nextchunk))
		printerr(g, "double free or corruption (!prev)", p,
		    "the chunk after %p says %p is free: a double free, or "
		    "that header was overwritten", (void *)p, (void *)p);
	nextsize = chunksize(nextchunk);
	if (chunksize_nomask(nextchunk) <= HDR || nextsize >= av->system_mem)
		printerr(g, "free(): invalid next size (normal)", p,
		    "the chunk after %p has size %#zx: a write ran past %p's "
		    "end", (void *)p, chunksize_nomask(nextchunk),
		    chunk2mem(p));

	if (!prev_inuse(p)) {
		prevsize = p->prev_size;
		size += prevsize;
		p = at_offset(p, -(long)prevsize);
		RD(p);
		if (chunksize(p) != prevsize)
			printerr(g, "corrupted size vs. prev_size while "
			    "consolidating", p, "the free chunk below has size "
			    "%#zx but prev_size says %#zx", chunksize(p),
			    prevsize);
		unlink_chunk(g, p);
		EV(GEV_COALESCE_PREV, p, size, p, prevsize, -1, 0);
	}
	if (nextchunk != av->top) {
		RD(at_offset(nextchunk, nextsize));
		if (!inuse_at(nextchunk, nextsize)) {
			unlink_chunk(g, nextchunk);
			size += nextsize;
			EV(GEV_COALESCE_NEXT, p, size, nextchunk, nextsize, -1,
			    0);
		} else
			W(nextchunk->size, nextchunk->size & ~PREV_INUSE);
		unsorted_put(g, p, size, "free(): corrupted unsorted chunks",
		    false);
		W(p->size, size | PREV_INUSE);
		W(at_offset(p, size)->prev_size, size);
		EV(GEV_UNSORTED_PUT, p, size, NULL, 0, 1, 0);
	} else {
		size += nextsize;
		W(p->size, size | PREV_INUSE);
		W(av->top, p);
		EV(GEV_INTO_TOP, p, size, NULL, 0, -1, 0);
	}
	if (size >= FASTBIN_CONSOLIDATION_THRESHOLD) {
		if (av->have_fastchunks)
			consolidate(g, GW_FREE_64K);
		if (chunksize(av->top) >= st->mp.trim_threshold)
			systrim(g, st->mp.top_pad);
	}
}

/* =====================================================================
 *
 * THE SHORT WAYS: the same algorithm, made fast.
 *
 * Nothing here decides anything the sections above do not.  Each way is
 * a few of _int_malloc's or _int_free's steps, taken in the same order
 * with the same checks, for the cases that are most of a program's calls
 * when nobody listens (no hook) and the checks are glibc's: a tcache hit
 * or put (in glibc_malloc and glibc_free), a fastbin hit with its tcache
 * refill, a small-bin hit (malloc_quick), a fastbin put and a merging
 * free (free_short).  They write without the journal, so each makes
 * every check that could refuse before its first write (or keeps the
 * few words it wrote and puts them back); any doubt sends the call the
 * whole way, which then refuses it with glibc's words.  Read the
 * sections above to learn the algorithm; read this one to see what it
 * costs.  The measured gain is in BENCHMARKS.
 *
 * =====================================================================
 */

/*
 * _int_malloc's first two steps for the common cases, a fastbin or a
 * small bin holding the size, when every check they make can be made
 * before anything is written: then no journal is needed.  NULL: take
 * the whole way.
 */
static void * __attribute__((noinline))
malloc_quick(struct glibc *g, size_t nb)
{
	struct garena	*av = &g->st->av;
	struct gtcache	*tc = g->st->tcache;
	size_t		 tc_idx = csize2tidx(nb);
	unsigned	 idx;

	if (nb <= g->st->max_fast) {
		struct gchunk	**fb, *victim, *t;
		unsigned	  room, k;

		idx = fastbin_index(nb);
		fb = &av->fastbinsY[idx];
		victim = *fb;
		if (victim == NULL)
			goto small;
		if (misaligned(victim) || !gl_ok(g, victim, 4 * SZ) ||
		    fastbin_index(chunksize(victim)) != idx)
			return NULL;
		/* the chunks the tcache refill will take must be aligned */
		room = GLIBC_TCACHE_COUNT - tc->counts[tc_idx];
		t = gl_protect(&victim->fd, victim->fd);
		for (k = 0; k < room && t != NULL; k++) {
			if (misaligned(t) || !gl_ok(g, t, 4 * SZ))
				return NULL;
			t = gl_protect(&t->fd, t->fd);
		}
		*fb = gl_protect(&victim->fd, victim->fd);
		while (tc->counts[tc_idx] < GLIBC_TCACHE_COUNT &&
		    (t = *fb) != NULL) {
			struct gtentry	*e = chunk2mem(t);

			*fb = gl_protect(&t->fd, t->fd);
			e->key = g->st->tcache_key;
			e->next = gl_protect(&e->next, tc->entries[tc_idx]);
			tc->entries[tc_idx] = e;
			tc->counts[tc_idx]++;
		}
		return chunk2mem(victim);
	}
small:
	if (in_smallbin(nb)) {
		struct gchunk	*bin, *victim, *bck, *t;

		idx = smallbin_index(nb);
		bin = bin_at(av, idx);
		victim = last(bin);
		if (victim == bin || !gl_ok(g, victim, 4 * SZ) ||
		    !gl_ok(g, victim->bk, 4 * SZ) ||
		    !gl_ok(g, at_offset(victim, nb), 4 * SZ) ||
		    victim->bk->fd != victim)
			return NULL;
		bck = victim->bk;
		at_offset(victim, nb)->size |= PREV_INUSE;
		bin->bk = bck;
		bck->fd = bin;
		while (tc->counts[tc_idx] < GLIBC_TCACHE_COUNT &&
		    (t = last(bin)) != bin) {
			struct gtentry	*e = chunk2mem(t);

			/* no checks here in glibc; a wild link would crash */
			if (!gl_ok(g, t, 4 * SZ) || !gl_ok(g, t->bk, 4 * SZ) ||
			    !gl_ok(g, at_offset(t, nb), 4 * SZ))
				break;
			bck = t->bk;
			at_offset(t, nb)->size |= PREV_INUSE;
			bin->bk = bck;
			bck->fd = bin;
			e->key = g->st->tcache_key;
			e->next = gl_protect(&e->next, tc->entries[tc_idx]);
			tc->entries[tc_idx] = e;
			tc->counts[tc_idx]++;
		}
		return chunk2mem(victim);
	}
	return NULL;
}

/*
 * free, the merging way: _int_free's steps for a chunk too big for the
 * tcache (or with its tcache bin full) and the fastbins, not mapped, in
 * _int_free's order with its checks, each made once in the state glibc
 * makes it in.  Its writes are not logged: the only ones made before a
 * check are the two unlinks' (at most five words), which it keeps and puts
 * back when a later check fails, or when the merged chunk would reach 64
 * KiB with fastbin chunks waiting (malloc_consolidate, whose checks follow
 * the free's writes).  Then the call goes the logged way, which refuses
 * it with glibc's words.  systrim never refuses.  false: nothing written.
 * glibc_free calls it for a chunk that passed _int_free's first checks
 * (pointer, size, not mapped, not cached) and goes neither to the tcache
 * nor to a fastbin.
 */
struct kept {
	size_t	*w[5];
	size_t	 old[5];
	int	 n;
};

static inline __attribute__((always_inline)) void
keep_write(struct kept *k, size_t *w, size_t v)
{
	k->w[k->n] = w;
	k->old[k->n++] = *w;
	*w = v;
}

static inline __attribute__((always_inline)) bool
put_back(struct kept *k)
{
	while (k->n > 0) {
		k->n--;
		*k->w[k->n] = k->old[k->n];
	}
	return false;
}

/* unlink_chunk on a small or unsorted chunk (no nextsize links) of the
 * size the caller saw, its checks first: false if one fails (nothing
 * written).  The caller has made sure that q's six words and the next
 * chunk's prev_size may be read. */
static inline __attribute__((always_inline)) bool
unlink_short(struct glibc *g, struct gchunk *q, size_t size, struct kept *k)
{
	struct gchunk	*fd, *bk;

	if (chunksize(q) != size || at_offset(q, size)->prev_size != size)
		return false;
	fd = q->fd;
	bk = q->bk;
	if (!gl_ok(g, fd, 4 * SZ) || !gl_ok(g, bk, 4 * SZ) ||
	    fd->bk != q || bk->fd != q ||
	    (!in_smallbin(chunksize_nomask(q)) && q->fd_nextsize != NULL))
		return false;
	keep_write(k, (size_t *)&fd->bk, (size_t)bk);
	keep_write(k, (size_t *)&bk->fd, (size_t)fd);
	return true;
}

static bool
free_short(struct glibc *g, struct gchunk *p)
{
	struct gstate	*st = g->st;
	struct garena	*av = &st->av;
	size_t		 size = chunksize(p), nextsize;
	struct gchunk	*next = at_offset(p, size), *top = av->top, *fwd;
	struct kept	 k;

	/* _int_free's guard on p (header_ok may have seen only its header) */
	if (!gl_ok(g, p, 4 * SZ) || !gl_ok(g, top, 2 * SZ) ||
	    !gl_ok(g, next, 6 * SZ))
		return false;
	if (p == top || !contiguous(av) ||
	    (char *)next >= end_of(top, chunksize(top)) ||
	    !prev_inuse(next) || chunksize_nomask(next) <= HDR ||
	    (nextsize = chunksize(next)) >= av->system_mem)
		return false;
	k.n = 0;
	if (!prev_inuse(p)) {
		size_t		 prevsize = p->prev_size;
		struct gchunk	*q = at_offset(p, -(long)prevsize);

		/* q's next chunk is p, whose header is known readable */
		if (!gl_ok(g, q, 6 * SZ) || !unlink_short(g, q, prevsize, &k))
			return false;
		size += prevsize;
		p = q;
	}
	if (next != top) {
		if (!gl_ok(g, at_offset(next, nextsize), 2 * SZ))
			return put_back(&k);
		if (!inuse_at(next, nextsize)) {
			if (!unlink_short(g, next, nextsize, &k))
				return put_back(&k);
			size += nextsize;
		} else
			keep_write(&k, &next->size, next->size & ~PREV_INUSE);
		fwd = unsorted(av)->fd;
		if (!gl_ok(g, fwd, 4 * SZ) || fwd->bk != unsorted(av) ||
		    (size >= FASTBIN_CONSOLIDATION_THRESHOLD &&
		    av->have_fastchunks))
			return put_back(&k);
		p->fd = fwd;
		p->bk = unsorted(av);
		if (!in_smallbin(size)) {
			p->fd_nextsize = NULL;
			p->bk_nextsize = NULL;
		}
		unsorted(av)->fd = p;
		fwd->bk = p;
		p->size = size | PREV_INUSE;
		at_offset(p, size)->prev_size = size;
	} else {
		size += nextsize;
		if (size >= FASTBIN_CONSOLIDATION_THRESHOLD &&
		    av->have_fastchunks)
			return put_back(&k);
		p->size = size | PREV_INUSE;
		av->top = p;
	}
	if (size >= FASTBIN_CONSOLIDATION_THRESHOLD &&
	    chunksize(av->top) >= st->mp.trim_threshold) {
		g->unlogged = true;
		systrim(g, st->mp.top_pad);
		g->unlogged = false;
	}
	return true;
}

/* ---------------------------------------------------------------------
 * The public calls.  The common cases (a tcache hit, a free into the
 * tcache) run first, checking before they write; everything else runs
 * under the journal, from which a refusal unwinds.
 */

#define OP_RUN(g) (op_start(g), __builtin_setjmp((g)->jb))

/* __libc_malloc past its fast path: the tcache made if need be, a hit
 * taken from it, else _int_malloc. */
static void *
libc_malloc(struct glibc *g, size_t bytes)
{
	size_t	tc_idx = csize2tidx(req2size(bytes));

	if (g->st->tcache == NULL)
		tcache_init(g);
	if (g->st->tcache != NULL && tc_idx < GLIBC_TCACHE_BINS &&
	    g->st->tcache->counts[tc_idx] > 0)
		return tcache_get(g, tc_idx);
	return int_malloc(g, bytes);
}

/* The whole way, under the refusal point; tcache_seen: glibc_malloc
 * found the tcache bin empty (or the size beyond the tcache). */
static void * __attribute__((noinline))
malloc_slow(struct glibc *g, size_t bytes, bool tcache_seen)
{
	void	*victim;

	if (OP_RUN(g) != 0) {
		rollback(g);
		return NULL;
	}
	EV(GEV_REQUEST, NULL, bytes, NULL, req2size(bytes), -1, 0);
	if (tcache_seen) {
		g->whole_op = true;
		victim = int_malloc(g, bytes);
		g->whole_op = g->unlogged = false;
	} else
		victim = libc_malloc(g, bytes);
	if (victim == NULL)
		EV(GEV_ENOMEM, NULL, bytes, NULL, 0, -1, 0);
	return victim;
}

void *
glibc_malloc(struct glibc *g, size_t bytes)
{
	struct gstate	*st = g->st;
	struct gtcache	*tc = st->tcache;
	size_t		 tbytes = req2size(bytes), tc_idx;

	if (tbytes == 0) {
		errno = ENOMEM;
		EV(GEV_ENOMEM, NULL, bytes, NULL, 0, -1, 0);
		return NULL;
	}
	tc_idx = csize2tidx(tbytes);
	if (tc == NULL || g->hook != NULL)
		return malloc_slow(g, bytes, false);
	if (tc_idx < GLIBC_TCACHE_BINS && tc->counts[tc_idx] > 0) {
		struct gtentry	*e = tc->entries[tc_idx];

		if (misaligned(e) || !gl_ok(g, e, 2 * SZ))
			return malloc_slow(g, bytes, false);
		tc->entries[tc_idx] = gl_protect(&e->next, e->next);
		tc->counts[tc_idx]--;
		e->key = 0;
		g->warning[0] = '\0';
		return e;
	}
	/* malloc_quick's ways need a chunk in the size's fastbin or small
	 * bin: look first, without the call */
	if ((tbytes <= st->max_fast &&
	    st->av.fastbinsY[fastbin_index(tbytes)] != NULL) ||
	    (in_smallbin(tbytes) && last(bin_at(&st->av,
	    smallbin_index(tbytes))) != bin_at(&st->av,
	    smallbin_index(tbytes)))) {
		void	*v = malloc_quick(g, tbytes);

		if (v != NULL) {
			g->warning[0] = '\0';
			return v;
		}
	}
	return malloc_slow(g, bytes, true);
}

/* __libc_free's mapped-chunk part: the dynamic threshold, then munmap. */
static void
free_mapped(struct glibc *g, struct gchunk *p)
{
	struct gpar	*mp = &g->st->mp;

	if (!mp->no_dyn_threshold && chunksize_nomask(p) > mp->mmap_threshold &&
	    chunksize_nomask(p) <= GLIBC_MMAP_THRESHOLD_MAX) {
		W(mp->mmap_threshold, chunksize(p));
		W(mp->trim_threshold, 2 * mp->mmap_threshold);
		EV(GEV_THRESHOLD_RAISE, p, mp->mmap_threshold, NULL,
		    mp->trim_threshold, -1, 0);
	}
	EV(GEV_FREE, p, chunksize(p), NULL, 0, -1, 0);
	munmap_chunk(g, p);
}

/* A pointer handed back: its header must be readable at all (glibc would
 * crash reading it otherwise) and, in strict mode, in our memory. */
static bool header_check(struct glibc *, void *);

static int free_slow(struct glibc *, struct gchunk *);

/* The usual case inline: a chunk of the first heap segment. */
static inline bool
header_ok(struct glibc *g, void *mem)
{
	struct gstate	*st = g->st;
	char		*p = (char *)mem - HDR;

	if (st->nsegs > 0 && p >= st->seg[0].base && p + 4 * SZ <=
	    st->seg[0].end && st->checks == GLIBC_CHECKS_GLIBC)
		return true;
	return header_check(g, mem);
}

static bool __attribute__((noinline))
header_check(struct glibc *g, void *mem)
{
	struct gchunk	*p = mem2chunk(mem);
	size_t		 i;

	if (!gl_mapped(g, p, HDR)) {	/* the header glibc reads first */
		g->err.glibc = NULL;
		g->err.chunk = p;
		g->err.segv = true;
		g->err.strict = false;
		snprintf(g->err.what, sizeof g->err.what, "%p's header is in "
		    "memory that is not mapped (freed already, or never "
		    "malloc's): glibc would crash with a segmentation fault "
		    "reading it", mem);
		EV(GEV_CORRUPTION, p, 0, NULL, 0, -1, 0);
		errno = EINVAL;
		return false;
	}
	if (g->st->checks == GLIBC_CHECKS_STRICT) {
		struct gstate	*st = g->st;
		int		 s;

		for (s = 0; s < st->nsegs; s++)
			if ((char *)p >= st->seg[s].base &&
			    (char *)p < st->seg[s].end)
				return true;
		for (i = 0; i < g->nmm; i++)
			if (g->mm[i].p == p)
				return true;
		refuse(g, NULL, p, "%p is not in the heap nor a mapped chunk: "
		    "not a pointer malloc gave", mem);
		g->err.strict = true;
		return false;
	}
	return true;
}

/*
 * A pointer off the 16-byte grid: glibc reads its header anyway, and
 * refuses it as "free(): invalid pointer" (_int_free's first check) or,
 * with the mmapped bit set there, "munmap_chunk(): invalid pointer".
 * Its header words are read bytewise here: C may not read a size_t
 * through a misaligned pointer, as the chunk code below would.
 */
static int __attribute__((cold, noinline))
free_misaligned(struct glibc *g, void *mem)
{
	size_t		 w[2];		/* prev_size, size */
	uintptr_t	 low = (uintptr_t)mem & (PAGE - 1);

	memcpy(w, (char *)mem - 2 * SZ, sizeof w);
	if ((w[1] & IS_MMAPPED) != 0)
		refuse(g, (((uintptr_t)mem - 2 * SZ - w[0]) |
		    (w[0] + (w[1] & ~SIZE_BITS))) & (PAGE - 1) ||
		    (low & (low - 1)) != 0 ? "munmap_chunk(): invalid pointer" :
		    NULL, mem2chunk(mem), "%p is not on the 16-byte grid "
		    "every chunk is on, and its header says mmapped: not a "
		    "pointer malloc gave", mem);
	else
		refuse(g, "free(): invalid pointer", mem2chunk(mem), "%p is "
		    "not a chunk malloc gave: misaligned (not a multiple of "
		    "16)", mem);
	return -1;
}

int
glibc_free(struct glibc *g, void *mem)
{
	struct gstate	*st = g->st;
	struct gchunk	*p;
	size_t		 size, tc_idx;
	struct gtcache	*tc;

	if (mem == NULL)
		return 0;
	p = mem2chunk(mem);
	if (!header_ok(g, mem))
		return -1;
	if (misaligned(p))
		return free_misaligned(g, mem);
	size = chunksize(p);
	tc = st->tcache;
	/* The short ways, when nobody listens, the checks are glibc's, and
	 * _int_free's first checks pass: a plain chunk, not cached. */
	if (tc != NULL && g->hook == NULL && st->checks == GLIBC_CHECKS_GLIBC &&
	    !is_mmapped(p) && (uintptr_t)p <= (uintptr_t)-size &&
	    !misaligned(p) && size >= MINSIZE && (size & ALIGN_MASK) == 0 &&
	    ((struct gtentry *)mem)->key != st->tcache_key) {
		tc_idx = csize2tidx(size);
		if (tc_idx < GLIBC_TCACHE_BINS &&
		    tc->counts[tc_idx] < GLIBC_TCACHE_COUNT) {
			struct gtentry	*e = mem;

			e->key = st->tcache_key;
			e->next = gl_protect(&e->next, tc->entries[tc_idx]);
			tc->entries[tc_idx] = e;
			tc->counts[tc_idx]++;
			g->warning[0] = '\0';
			return 0;
		}
		if (size <= st->max_fast) {
			/* its tcache bin full: a fastbin, glibc's checks
			 * all made first */
			struct gchunk	*nx = at_offset(p, size), **fb;

			fb = &st->av.fastbinsY[fastbin_index(size)];
			if (gl_ok(g, nx, 2 * SZ) && chunksize_nomask(nx) > HDR &&
			    chunksize(nx) < st->av.system_mem && *fb != p) {
				p->fd = gl_protect(&p->fd, *fb);
				*fb = p;
				st->av.have_fastchunks = 1;
				g->warning[0] = '\0';
				return 0;
			}
		} else if (free_short(g, p)) {
			g->warning[0] = '\0';
			return 0;
		}
	}
	return free_slow(g, p);
}

/* The rest of free, under the refusal point. */
static int __attribute__((noinline))
free_slow(struct glibc *g, struct gchunk *p)
{
	if (OP_RUN(g) != 0) {
		rollback(g);
		return -1;
	}
	if (is_mmapped(p)) {
		free_mapped(g, p);
		return 0;
	}
	if (g->st->tcache == NULL)
		tcache_init(g);
	int_free(g, p, 0);
	return 0;
}

/* The checks _int_free would make of a chunk, in short: whether a free
 * after a copy might refuse (then the copy's bytes are kept). */
static bool
free_may_refuse(struct glibc *g, struct gchunk *p)
{
	struct garena	*av = &g->st->av;
	size_t		 size = chunksize(p);
	struct gchunk	*nx = at_offset(p, size);

	return ((struct gtentry *)chunk2mem(p))->key == g->st->tcache_key ||
	    size < MINSIZE || !prev_inuse(nx) || p == av->top ||
	    (size <= g->st->max_fast &&
	    av->fastbinsY[fastbin_index(size)] == p) ||
	    g->st->checks == GLIBC_CHECKS_STRICT;
}

/*
 * _int_realloc.
 *
 * Basic algorithm:
 *  1. Check the old size and the next chunk's.
 *  2. Already big enough: keep it (split below).
 *  3. The next chunk is top and together they hold nb + MINSIZE: grow
 *     into top, done.
 *  4. The next chunk is free and together they hold nb: take it in.
 *  5. Else malloc (not the tcache), copy, free the old chunk -- unless
 *     the new chunk is the one right after: then merge instead.
 *  6. Split off anything of MINSIZE or more beyond nb and free it.
 */
static void *
int_realloc(struct glibc *g, struct gchunk *oldp, size_t oldsize, size_t nb)
{
	struct garena	*av = &g->st->av;
	struct gchunk	*next, *newp, *rem;
	size_t		 nextsize, newsize, rem_size;
	void		*newmem;

	if (chunksize_nomask(oldp) <= HDR || oldsize >= av->system_mem)
		printerr(g, "realloc(): invalid old size", oldp, "chunk %p has "
		    "size %#zx: its header was overwritten", (void *)oldp,
		    chunksize_nomask(oldp));
	next = at_offset(oldp, oldsize);
	RD(next);
	nextsize = chunksize(next);
	if (chunksize_nomask(next) <= HDR || nextsize >= av->system_mem)
		printerr(g, "realloc(): invalid next size", oldp, "the chunk "
		    "after %p has size %#zx: a write ran past its end",
		    (void *)oldp, chunksize_nomask(next));

	if (oldsize >= nb) {
		newp = oldp;
		newsize = oldsize;
	} else if (next == av->top && (newsize = oldsize + nextsize) >=
	    nb + MINSIZE && (RD(at_offset(oldp, nb)), 1)) {
		W(oldp->size, nb | (oldp->size & SIZE_BITS));
		W(av->top, at_offset(oldp, nb));
		W(av->top->size, (newsize - nb) | PREV_INUSE);
		EV(GEV_REALLOC_GROW_TOP, oldp, nb, av->top, newsize - nb, -1,
		    0);
		return chunk2mem(oldp);
	} else if (next != av->top && (RD(at_offset(next, nextsize)), 1) &&
	    !inuse_at(next, nextsize) &&
	    (newsize = oldsize + nextsize) >= nb) {
		newp = oldp;
		unlink_chunk(g, next);
		EV(GEV_REALLOC_GROW_NEXT, oldp, newsize, next, nextsize, -1,
		    0);
	} else {
		newmem = int_malloc(g, nb - ALIGN_MASK);
		if (newmem == NULL)
			return NULL;
		newp = mem2chunk(newmem);
		newsize = chunksize(newp);
		if (newp == next) {
			newsize += oldsize;
			newp = oldp;
			EV(GEV_REALLOC_GROW_NEXT, oldp, newsize, next,
			    newsize - oldsize, -1, 0);
		} else {
			size_t	n = oldsize - SZ;	/* memsize */

			if (free_may_refuse(g, oldp))
				blob_keep(g, newmem, n);
			memcpy(newmem, chunk2mem(oldp), n);
			EV(GEV_REALLOC_MOVE, oldp, oldsize, newp, newsize, -1,
			    0);
			int_free(g, oldp, 1);
			return newmem;
		}
	}

	rem_size = newsize - nb;
	if (rem_size < MINSIZE) {
		W(newp->size, newsize | (newp->size & SIZE_BITS));
		W(at_offset(newp, newsize)->size,
		    at_offset(newp, newsize)->size | PREV_INUSE);
	} else {
		rem = at_offset(newp, nb);
		W(newp->size, nb | (newp->size & SIZE_BITS));
		W(rem->size, rem_size | PREV_INUSE);
		W(at_offset(rem, rem_size)->size,
		    at_offset(rem, rem_size)->size | PREV_INUSE);
		EV(GEV_REALLOC_SHRINK, newp, nb, rem, rem_size, -1, 0);
		int_free(g, rem, 1);
	}
	return chunk2mem(newp);
}

/* glibc reallocs a chunk sitting in the tcache without a word; say so
 * (strict: refuse). */
static void
realloc_cached(struct glibc *g, struct gchunk *p)
{
	struct gstate	*st = g->st;
	struct gtentry	*e = chunk2mem(p), *t;
	size_t		 tc_idx = csize2tidx(chunksize(p)), n = 0;

	if (st->tcache == NULL || tc_idx >= GLIBC_TCACHE_BINS ||
	    e->key != st->tcache_key)
		return;
	for (t = st->tcache->entries[tc_idx]; t != NULL && t != e &&
	    n++ < GLIBC_TCACHE_COUNT && !misaligned(t) &&
	    gl_mapped(g, t, 16); t = gl_protect(&t->next, t->next))
		;
	if (t != e)
		return;
	if (st->checks == GLIBC_CHECKS_STRICT) {
		g->err.strict = true;
		printerr(g, NULL, p, "chunk %p is free, in tcache bin %zu: "
		    "realloc of a freed block (glibc would go on)", (void *)p,
		    tc_idx);
	}
	warn(g, p, "chunk %p is free, in tcache bin %zu: glibc reallocs it "
	    "anyway, and the tcache still hands it out", (void *)p, tc_idx);
}

void *
glibc_realloc(struct glibc *g, void *oldmem, size_t bytes)
{
	struct gchunk	*oldp;
	size_t		 oldsize, nb;
	void		*newmem;

	if (bytes == 0 && oldmem != NULL) {
		glibc_free(g, oldmem);
		return NULL;
	}
	if (oldmem == NULL)
		return glibc_malloc(g, bytes);
	if (!header_ok(g, oldmem))
		return NULL;
	oldp = mem2chunk(oldmem);
	if (misaligned(oldp)) {
		/* __libc_realloc's first check, before any read of its own */
		refuse(g, "realloc(): invalid pointer", oldp, "%p is not a "
		    "chunk malloc gave: misaligned (not a multiple of 16)",
		    oldmem);
		return NULL;
	}
	oldsize = chunksize(oldp);
	if (OP_RUN(g) != 0) {
		rollback(g);
		return NULL;
	}
	EV(GEV_REQUEST, oldp, bytes, NULL, req2size(bytes), -1, 0);
	if (!is_mmapped(oldp) && g->st->tcache == NULL)
		tcache_init(g);
	if (!is_mmapped(oldp) && (g->hook != NULL ||
	    g->st->checks == GLIBC_CHECKS_STRICT))
		realloc_cached(g, oldp);
	if ((uintptr_t)oldp > (uintptr_t)-oldsize || misaligned(oldp))
		printerr(g, "realloc(): invalid pointer", oldp, "%p is not a "
		    "chunk malloc gave: misaligned, or its size %#zx wraps",
		    oldmem, oldsize);
	nb = req2size(bytes);
	if (nb == 0) {
		errno = ENOMEM;
		return NULL;
	}
	if (is_mmapped(oldp)) {
		struct gchunk	*np = mremap_chunk(g, oldp, nb);

		if (np != NULL)
			return chunk2mem(np);
		if (oldsize - SZ >= nb)
			return oldmem;
		newmem = libc_malloc(g, bytes);
		if (newmem == NULL)
			return NULL;
		memcpy(newmem, oldmem, oldsize - HDR);
		munmap_chunk(g, oldp);
		return newmem;
	}
	newmem = int_realloc(g, oldp, oldsize, nb);
	if (newmem == NULL)
		EV(GEV_ENOMEM, NULL, bytes, NULL, 0, -1, 0);
	return newmem;
}

void *
glibc_calloc(struct glibc *g, size_t n, size_t elem)
{
	struct gstate	*st = g->st;
	struct garena	*av = &st->av;
	struct gchunk	*oldtop, *p;
	size_t		 sz, oldtopsize, csz;
	void		*mem;

	if (__builtin_mul_overflow(n, elem, &sz) || sz > PTRDIFF_MAX) {
		errno = ENOMEM;
		EV(GEV_ENOMEM, NULL, sz, NULL, 0, -1, 0);
		return NULL;
	}
	if (OP_RUN(g) != 0) {
		rollback(g);
		return NULL;
	}
	if (st->tcache == NULL)
		tcache_init(g);
	oldtop = av->top;
	oldtopsize = chunksize(oldtop);
	/* memory past the most the arena ever had is fresh from the kernel */
	if (st->mp.sbrk_base != NULL && oldtopsize <
	    (size_t)(st->mp.sbrk_base + av->max_system_mem - (char *)oldtop))
		oldtopsize = (size_t)(st->mp.sbrk_base + av->max_system_mem -
		    (char *)oldtop);
	mem = int_malloc(g, sz);
	if (mem == NULL) {
		EV(GEV_ENOMEM, NULL, sz, NULL, 0, -1, 0);
		return NULL;
	}
	p = mem2chunk(mem);
	if (is_mmapped(p)) {
		EV(GEV_CALLOC_ZERO, p, 0, NULL, chunksize(p), -1, 0);
		return mem;
	}
	csz = chunksize(p);
	if (p == oldtop && csz > oldtopsize)
		csz = oldtopsize;
	EV(GEV_CALLOC_ZERO, p, csz - SZ, NULL, chunksize(p) - csz, -1, 0);
	if (csz - SZ >= 16 * PAGE)
		memsrc_zero(g->src, mem, csz - SZ);
	else
		memset(mem, 0, csz - SZ);
	return mem;
}

/*
 * _int_memalign.
 *
 * Basic algorithm:
 *  1. malloc nb + alignment + MINSIZE (without the tcache).
 *  2. If the payload is not aligned: the next aligned spot at least
 *     MINSIZE into the chunk starts the new chunk; a mapped chunk just
 *     moves its start (prev_size grows), a heap chunk frees its leader.
 *  3. Free the tail beyond nb if more than MINSIZE is left.
 */
static void *
int_memalign(struct glibc *g, size_t alignment, size_t bytes)
{
	size_t		 nb = req2size(bytes), leadsize, newsize, size;
	char		*m, *brk;
	struct gchunk	*p, *newp, *rem;

	if (nb == 0 || nb + alignment + MINSIZE < nb) {
		errno = ENOMEM;
		return NULL;
	}
	m = int_malloc(g, nb + alignment + MINSIZE);
	if (m == NULL)
		return NULL;
	p = mem2chunk(m);
	if ((uintptr_t)m % alignment != 0) {
		brk = (char *)mem2chunk(((uintptr_t)m + alignment - 1) &
		    -(uintptr_t)alignment);
		if ((size_t)(brk - (char *)p) < MINSIZE)
			brk += alignment;
		newp = (struct gchunk *)brk;
		leadsize = (size_t)(brk - (char *)p);
		newsize = chunksize(p) - leadsize;
		if (is_mmapped(p)) {
			W(newp->prev_size, p->prev_size + leadsize);
			W(newp->size, newsize | IS_MMAPPED);
			mm_replace(g, p, newp);
			if (g->mmap_undo == p)
				g->mmap_undo = newp;	/* same mapping */
			EV(GEV_MEMALIGN_LEAD, newp, newsize, p, leadsize, -1,
			    0);
			return chunk2mem(newp);
		}
		W(newp->size, newsize | PREV_INUSE);
		W(at_offset(newp, newsize)->size,
		    at_offset(newp, newsize)->size | PREV_INUSE);
		W(p->size, leadsize | (p->size & SIZE_BITS));
		EV(GEV_MEMALIGN_LEAD, newp, newsize, p, leadsize, -1, 0);
		int_free(g, p, 1);
		p = newp;
	}
	if (!is_mmapped(p)) {
		size = chunksize(p);
		if (size > nb + MINSIZE) {
			rem = at_offset(p, nb);
			W(rem->size, (size - nb) | PREV_INUSE);
			W(p->size, nb | (p->size & SIZE_BITS));
			EV(GEV_MEMALIGN_TAIL, p, nb, rem, size - nb, -1, 0);
			int_free(g, rem, 1);
		}
	}
	return chunk2mem(p);
}

static void * __attribute__((noinline))
memalign_slow(struct glibc *g, size_t alignment, size_t bytes)
{
	void	*p;

	if (OP_RUN(g) != 0) {
		rollback(g);
		return NULL;
	}
	EV(GEV_REQUEST, NULL, bytes, NULL, alignment, -1, 0);
	p = int_memalign(g, alignment, bytes);
	if (p == NULL)
		EV(GEV_ENOMEM, NULL, bytes, NULL, 0, -1, 0);
	return p;
}

/* _mid_memalign */
void *
glibc_memalign(struct glibc *g, size_t alignment, size_t bytes)
{

	if (alignment <= GLIBC_ALIGN)
		return glibc_malloc(g, bytes);
	if (alignment < MINSIZE)
		alignment = MINSIZE;
	if (alignment > SIZE_MAX / 2 + 1) {
		errno = EINVAL;
		return NULL;
	}
	if ((alignment & (alignment - 1)) != 0) {
		size_t	a = GLIBC_ALIGN * 2;

		while (a < alignment)
			a <<= 1;
		alignment = a;
	}
	return memalign_slow(g, alignment, bytes);
}

/* 2.36's aligned_alloc is memalign itself. */
void *
glibc_aligned_alloc(struct glibc *g, size_t alignment, size_t bytes)
{
	return glibc_memalign(g, alignment, bytes);
}

int
glibc_posix_memalign(struct glibc *g, void **out, size_t alignment,
    size_t bytes)
{
	void	*p;

	if (alignment % sizeof(void *) != 0 ||
	    ((alignment / sizeof(void *)) & (alignment / sizeof(void *) -
	    1)) != 0 || alignment == 0)
		return EINVAL;
	p = glibc_memalign(g, alignment, bytes);
	if (p == NULL)
		return g->err.glibc != NULL || g->err.segv || g->err.strict ?
		    EINVAL : ENOMEM;
	*out = p;
	return 0;
}

size_t
glibc_usable_size(struct glibc *g, const void *mem)
{
	struct gchunk	*p;

	if (mem == NULL)
		return 0;
	p = mem2chunk(mem);
	if (misaligned(p) || !gl_ok(g, p, HDR))
		return 0;
	if (is_mmapped(p))
		return chunksize(p) - HDR;
	if (!gl_ok(g, next_chunk(p), HDR))
		return 0;
	if (inuse_at(p, chunksize(p)))
		return chunksize(p) - SZ;
	return 0;
}

/* ---------------------------------------------------------------------
 * Parameters: mallopt consolidates first, and a value set by hand turns
 * the dynamic threshold off.
 */
static int
mallopt_consolidate(struct glibc *g)
{
	if (OP_RUN(g) != 0) {
		rollback(g);
		return -1;
	}
	consolidate(g, GW_MALLOPT);
	return 0;
}

int
glibc_set_mmap_threshold(struct glibc *g, size_t v)
{
	if (mallopt_consolidate(g) != 0)
		return -1;
	if (v > GLIBC_MMAP_THRESHOLD_MAX)
		return 0;
	g->st->mp.mmap_threshold = v;
	g->st->mp.no_dyn_threshold = 1;
	return 1;
}

int
glibc_set_trim_threshold(struct glibc *g, size_t v)
{
	if (mallopt_consolidate(g) != 0)
		return -1;
	g->st->mp.trim_threshold = v;
	g->st->mp.no_dyn_threshold = 1;
	return 1;
}

/* M_MXFAST: 0 .. MAX_FAST_SIZE (80 * SIZE_SZ / 4); set_max_fast's
 * rounding, where a value under 8 leaves no chunk small enough. */
int
glibc_set_mxfast(struct glibc *g, size_t v)
{
	if (mallopt_consolidate(g) != 0)
		return -1;
	if (v > GLIBC_MXFAST_MAX)
		return 0;
	g->st->max_fast = v <= ALIGN_MASK - SZ ? MINSIZE / 2 :
	    (v + SZ) & ~(size_t)ALIGN_MASK;
	return 1;
}

/* M_MMAP_MAX: at most this many mapped chunks at once; 0: none. */
int
glibc_set_mmap_max(struct glibc *g, size_t v)
{
	if (mallopt_consolidate(g) != 0)
		return -1;
	if (v > INT32_MAX)
		return 0;
	g->st->mp.n_mmaps_max = (int)v;
	g->st->mp.no_dyn_threshold = 1;
	return 1;
}

size_t
glibc_mxfast(const struct glibc *g)
{
	return g->st->max_fast;
}

size_t
glibc_mmap_max(const struct glibc *g)
{
	return (size_t)g->st->mp.n_mmaps_max;
}

int
glibc_set_top_pad(struct glibc *g, size_t v)
{
	if (mallopt_consolidate(g) != 0)
		return -1;
	g->st->mp.top_pad = v;
	g->st->mp.no_dyn_threshold = 1;
	return 1;
}

void
glibc_set_checks(struct glibc *g, enum glibc_checks c)
{
	g->st->checks = c;
}

size_t
glibc_mmap_threshold(const struct glibc *g)
{
	return g->st->mp.mmap_threshold;
}

size_t
glibc_trim_threshold(const struct glibc *g)
{
	return g->st->mp.trim_threshold;
}

size_t
glibc_top_pad(const struct glibc *g)
{
	return g->st->mp.top_pad;
}

bool
glibc_dynamic_threshold(const struct glibc *g)
{
	return !g->st->mp.no_dyn_threshold;
}

enum glibc_checks
glibc_checks(const struct glibc *g)
{
	return (enum glibc_checks)g->st->checks;
}

/* ---------------------------------------------------------------------
 * Saving and restoring, for going back in time.
 */
struct glibc_saved {
	struct gstate	 st;
	struct gmm	*mm;
	size_t		 nmm;
};

struct glibc_saved *
glibc_save(const struct glibc *g)
{
	struct glibc_saved	*sv = xcalloc(1, sizeof *sv);

	sv->st = *g->st;
	sv->nmm = g->nmm;
	sv->mm = xcalloc(g->nmm ? g->nmm : 1, sizeof *sv->mm);
	if (g->nmm > 0)
		memcpy(sv->mm, g->mm, g->nmm * sizeof *sv->mm);
	return sv;
}

void
glibc_restore(struct glibc *g, const struct glibc_saved *sv)
{
	*g->st = sv->st;
	if (g->mmcap < sv->nmm) {
		g->mmcap = sv->nmm;
		g->mm = xreallocarray(g->mm, g->mmcap, sizeof *g->mm);
	}
	if (sv->nmm > 0)
		memcpy(g->mm, sv->mm, sv->nmm * sizeof *g->mm);
	g->nmm = sv->nmm;
	heap_span(g);
	g->err.glibc = NULL;
	g->err.what[0] = '\0';
	g->warning[0] = '\0';
}

size_t
glibc_saved_bytes(const struct glibc_saved *sv)
{
	return sizeof *sv + sv->nmm * sizeof *sv->mm;
}

void
glibc_saved_free(struct glibc_saved *sv)
{
	if (sv == NULL)
		return;
	free(sv->mm);
	free(sv);
}

#if defined(__clang__)
#pragma clang attribute pop
#endif
