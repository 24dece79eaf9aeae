/*
 * memsrc-sim.c -- the simulated address space.
 *
 * The break: one host reservation of SIM_HEAP_MAX bytes (reserved, not
 * committed: the kernel supplies pages as they are touched) stands for the
 * heap from SIM_HEAP_START up.  The reservation is placed AT the display
 * addresses when the host allows it (heapviz is linked without PIE so that
 * nothing of its own sits there), together with the data segment below the
 * heap, where the allocator keeps its state as dlmalloc keeps its in .bss.
 * Then every pointer the allocator writes into the heap (a free chunk's
 * fd and bk, a tree node's children, a bin's head) is a display address,
 * and a hex dump shows the numbers a student would see in gdb.  Where the
 * host has something there already, the reservation goes anywhere and only
 * the views translate; raw dumps then show host addresses.  Moving the break moves an offset into it;
 * pages given back are discarded with MADV_DONTNEED, so memory the break
 * grows over again reads as zeros, as fresh pages from the kernel do.
 *
 * Mappings: a second reservation of SIM_MMAP_MAX bytes stands for the mmap
 * region below SIM_MMAP_TOP (at those addresses too, where the host allows).
 * A new mapping goes where Linux would put it, in the highest gap that
 * fits, and the regions are kept in a small table sorted by address.  As
 * in a real process, mappings that touch are contiguous memory, which
 * dlmalloc relies on when it merges mmapped segments.
 *
 * Nothing here depends on the host's addresses, so a class sees the same
 * numbers on every machine, every run.
 *
 * memsrc_sim_create_at makes the same thing at another process's
 * addresses, for real mode's glibc model: the model then writes the very
 * words the real process holds, and the two can be compared.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* mremap */
#endif
#include <sys/mman.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "memsrc.h"
#include "xmalloc.h"

#define PAGE_ROUND(x) (((x) + SIM_PAGE_SIZE - 1) & ~(uint64_t)(SIM_PAGE_SIZE - 1))

#define SIM_MMAP_LOW	(SIM_MMAP_TOP - SIM_MMAP_MAX)
#define MM_LOW(s)	((s)->mm_top - SIM_MMAP_MAX)

struct region {
	uint64_t	 disp;	/* display start, page aligned */
	size_t		 len;	/* page multiple */
};

#define SIM_DATA_SIZE	(SIM_HEAP_START - SIM_DATA_START)

struct sim {
	struct memsrc	 ms;
	uint64_t	 data_start;	/* display addresses */
	uint64_t	 heap_start;
	uint64_t	 mm_top;	/* the mmap region's top */
	bool		 split;		/* data and heap reserved apart */
	struct memsrc_sim_hooks hooks;	/* memsrc_sim_create_at's, or none */
	char		*data;		/* the data segment: allocator state */
	size_t		 data_used;
	char		*heap;		/* host reservation for the break */
	uint64_t	 brk;		/* offset of the break into it */
	char		*mm;		/* host reservation for mappings */
	struct region	*r;		/* sorted by disp, ascending */
	size_t		 nr, cap;
};

static struct sim *
sim_of(struct memsrc *ms)
{
	return (struct sim *)ms;
}

static void *
sim_sbrk(struct memsrc *ms, intptr_t incr)
{
	struct sim	*s = sim_of(ms);
	uint64_t	 old = s->brk, new;

	if (s->hooks.sbrk != NULL && s->hooks.sbrk(s->hooks.ctx, incr) != 0)
		return MEMSRC_FAIL;
	if (incr < 0) {
		if ((uint64_t)-(incr + 1) >= old) {
			errno = ENOMEM;
			return MEMSRC_FAIL;
		}
		new = old - (uint64_t)-(incr + 1) - 1;
		/* Pages wholly above the new break go back to the kernel. */
		if (PAGE_ROUND(new) < PAGE_ROUND(old))
			madvise(s->heap + PAGE_ROUND(new),
			    PAGE_ROUND(old) - PAGE_ROUND(new), MADV_DONTNEED);
	} else {
		if ((uint64_t)incr > SIM_HEAP_MAX - old) {
			errno = ENOMEM;
			return MEMSRC_FAIL;
		}
		new = old + (uint64_t)incr;
	}
	s->brk = new;
	return s->heap + old;
}

static bool
sim_range_free(struct sim *s, uint64_t disp, size_t len)
{
	size_t	i;

	if (disp < MM_LOW(s) || disp > s->mm_top ||
	    len > s->mm_top - disp)
		return false;
	for (i = 0; i < s->nr; i++)
		if (s->r[i].disp < disp + len && disp < s->r[i].disp +
		    s->r[i].len)
			return false;
	return true;
}

/*
 * Where the hooks say the kernel would put it (old: the mapping mremap
 * moves, or 0), when that is free here; else *where stays as it was.
 */
static void
sim_hooked_place(struct sim *s, uint64_t old, size_t oldlen, size_t len,
    uint64_t *where)
{
	uint64_t	w;

	if (s->hooks.place == NULL)
		return;
	w = s->hooks.place(s->hooks.ctx, old, oldlen, len);
	if (w != 0 && (w & (SIM_PAGE_SIZE - 1)) == 0 && sim_range_free(s, w,
	    len))
		*where = w;
}

/* Where a new mapping of len bytes goes: the highest gap that fits. */
static int
sim_place(struct sim *s, size_t len, uint64_t *where)
{
	uint64_t	hi = s->mm_top;
	size_t		i;

	for (i = s->nr; i > 0; i--) {
		const struct region	*r = &s->r[i - 1];

		if (hi - (r->disp + r->len) >= len) {
			*where = hi - len;
			return 0;
		}
		hi = r->disp;
	}
	if (hi - MM_LOW(s) < len)
		return -1;
	*where = hi - len;
	return 0;
}

static char *
sim_mm_host(struct sim *s, uint64_t disp)
{
	return s->mm + (disp - MM_LOW(s));
}

/* Give pages back: they read as zeros when mapped again. */
static void
sim_discard(struct sim *s, uint64_t disp, size_t len)
{
	if (len > 0)
		madvise(sim_mm_host(s, disp), len, MADV_DONTNEED);
}

static void
sim_insert(struct sim *s, uint64_t disp, size_t len)
{
	size_t	i;

	if (s->nr == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->r = xreallocarray(s->r, s->cap, sizeof *s->r);
	}
	for (i = s->nr; i > 0 && s->r[i - 1].disp > disp; i--)
		s->r[i] = s->r[i - 1];
	s->r[i].disp = disp;
	s->r[i].len = len;
	s->nr++;
}

static void
sim_remove(struct sim *s, size_t i)
{
	memmove(&s->r[i], &s->r[i + 1], (s->nr - i - 1) * sizeof *s->r);
	s->nr--;
}

/* The region that starts exactly at host pointer p. */
static struct region *
sim_find_host(struct sim *s, const void *p, size_t *index)
{
	size_t	i;

	for (i = 0; i < s->nr; i++) {
		if (sim_mm_host(s, s->r[i].disp) == p) {
			if (index != NULL)
				*index = i;
			return &s->r[i];
		}
	}
	return NULL;
}

static void *
sim_mmap(struct memsrc *ms, size_t len)
{
	struct sim	*s = sim_of(ms);
	uint64_t	 disp;

	if (len == 0) {
		errno = EINVAL;
		return MEMSRC_FAIL;
	}
	if (len > SIM_MMAP_MAX || sim_place(s, PAGE_ROUND(len), &disp) != 0) {
		errno = ENOMEM;
		return MEMSRC_FAIL;
	}
	sim_hooked_place(s, 0, 0, PAGE_ROUND(len), &disp);
	sim_insert(s, disp, PAGE_ROUND(len));
	return sim_mm_host(s, disp);
}

static int
sim_munmap(struct memsrc *ms, void *addr, size_t len)
{
	struct sim	*s = sim_of(ms);
	struct region	*r;
	size_t		 i;

	/* The allocator only ever unmaps whole mappings. */
	r = sim_find_host(s, addr, &i);
	if (r == NULL || PAGE_ROUND(len) != r->len) {
		errno = EINVAL;
		return -1;
	}
	sim_discard(s, r->disp, r->len);
	sim_remove(s, i);
	return 0;
}

/*
 * Move len bytes of pages from old to new (both in the reservation, and
 * they may overlap) without copying: through a scratch range outside the
 * reservation, refilling the hole the pages leave at old.
 */
static int
sim_move(void *old, void *new, size_t len)
{
	const int	 flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	void		*tmp;

	tmp = mmap(NULL, len, PROT_NONE, flags, -1, 0);
	if (tmp == MAP_FAILED)
		return -1;
	if (mremap(old, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, tmp) != tmp) {
		munmap(tmp, len);
		return -1;
	}
	/* From here on, a failure would leave a hole in the reservation. */
	if (mmap(old, len, PROT_READ | PROT_WRITE, flags | MAP_FIXED, -1,
	    0) != old ||
	    mremap(tmp, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, new) != new)
		abort();
	return 0;
}

static void *
sim_mremap(struct memsrc *ms, void *old, size_t oldlen, size_t newlen,
    int flags)
{
	struct sim	*s = sim_of(ms);
	struct region	*r, saved;
	uint64_t	 disp, limit;
	size_t		 i;

	r = sim_find_host(s, old, &i);
	if (r == NULL || PAGE_ROUND(oldlen) != r->len || newlen == 0) {
		errno = EINVAL;
		return MEMSRC_FAIL;
	}
	newlen = PAGE_ROUND(newlen);
	if (newlen > SIM_MMAP_MAX) {
		errno = ENOMEM;
		return MEMSRC_FAIL;
	}
	saved = *r;
	/* In place when it shrinks, or when the range above is free. */
	limit = i + 1 < s->nr ? s->r[i + 1].disp : s->mm_top;
	if (s->hooks.place != NULL && newlen > r->len && s->hooks.place(
	    s->hooks.ctx, r->disp, r->len, newlen) != r->disp)
		limit = r->disp + r->len;	/* the kernel would move it */
	if (newlen <= r->len) {
		sim_discard(s, r->disp + newlen, r->len - newlen);
		r->len = newlen;
		return old;
	}
	if (limit - r->disp >= newlen) {
		r->len = newlen;
		return old;
	}
	if (!(flags & 1)) {	/* MREMAP_MAYMOVE */
		errno = ENOMEM;
		return MEMSRC_FAIL;
	}
	sim_remove(s, i);
	if (sim_place(s, newlen, &disp) != 0) {
		sim_insert(s, saved.disp, saved.len);
		errno = ENOMEM;
		return MEMSRC_FAIL;
	}
	sim_hooked_place(s, saved.disp, saved.len, newlen, &disp);
	/*
	 * The kernel moves the pages without copying them, and so does the
	 * sim: the host's mremap moves them inside the reservation.  Copying
	 * would touch every page of a mapping that may be gigabytes
	 * (`realloc p1 3G`), most of which were never written.  The copy
	 * below is only for a host that refuses.
	 */
	if (sim_move(old, sim_mm_host(s, disp), saved.len) == 0) {
		sim_insert(s, disp, newlen);
		return sim_mm_host(s, disp);
	}
	memmove(sim_mm_host(s, disp), old, saved.len);
	if (disp + saved.len <= saved.disp || saved.disp + saved.len <= disp)
		sim_discard(s, saved.disp, saved.len);
	else if (disp < saved.disp)
		sim_discard(s, disp + saved.len, saved.disp + saved.len -
		    (disp + saved.len));
	sim_insert(s, disp, newlen);
	return sim_mm_host(s, disp);
}

static uint64_t
sim_to_display(struct memsrc *ms, const void *p)
{
	struct sim	*s = sim_of(ms);
	uintptr_t	 a = (uintptr_t)p, h = (uintptr_t)s->heap;
	uintptr_t	 d = (uintptr_t)s->data;

	if (a >= h && a - h <= SIM_HEAP_MAX)
		return s->heap_start + (a - h);
	if (a >= d && a - d < SIM_DATA_SIZE)
		return s->data_start + (a - d);
	if (a >= (uintptr_t)s->mm && a - (uintptr_t)s->mm <= SIM_MMAP_MAX)
		return MM_LOW(s) + (a - (uintptr_t)s->mm);
	return 0;
}

static void *
sim_to_host(struct memsrc *ms, uint64_t addr, size_t len)
{
	struct sim	*s = sim_of(ms);
	uint64_t	 top = PAGE_ROUND(s->brk);
	size_t		 i;

	if (addr >= s->heap_start && addr - s->heap_start <= top &&
	    len <= top - (addr - s->heap_start))
		return s->heap + (addr - s->heap_start);
	if (addr >= s->data_start && addr - s->data_start < SIM_DATA_SIZE &&
	    len <= SIM_DATA_SIZE - (addr - s->data_start))
		return s->data + (addr - s->data_start);
	for (i = 0; i < s->nr; i++) {
		const struct region	*r = &s->r[i];

		if (addr >= r->disp && addr - r->disp <= r->len &&
		    len <= r->len - (addr - r->disp))
			return sim_mm_host(s, addr);
	}
	return NULL;
}

static size_t
sim_mappings(struct memsrc *ms, struct mapping *out, size_t max)
{
	struct sim	*s = sim_of(ms);
	size_t		 n = 0, i;

	if (s->hooks.mappings != NULL)
		return s->hooks.mappings(s->hooks.ctx, out, max);
#define ADD(a, b, k) do {						\
	if (n < max) {							\
		out[n].start = (a);					\
		out[n].end = (b);					\
		out[n].kind = (k);					\
		out[n].name[0] = '\0';					\
	}								\
	n++;								\
} while (0)
	ADD(SIM_CODE_START, SIM_DATA_START, MAPPING_CODE);
	ADD(SIM_DATA_START, SIM_HEAP_START, MAPPING_DATA);
	if (s->brk > 0)
		ADD(s->heap_start, s->heap_start + PAGE_ROUND(s->brk),
		    MAPPING_HEAP);
	for (i = 0; i < s->nr; i++)
		ADD(s->r[i].disp, s->r[i].disp + s->r[i].len, MAPPING_MMAP);
	ADD(SIM_STACK_START, SIM_STACK_END, MAPPING_STACK);
#undef ADD
	return n;
}

static void
sim_destroy(struct memsrc *ms)
{
	struct sim	*s = sim_of(ms);

	munmap(s->mm, SIM_MMAP_MAX);
	if (s->split) {
		munmap(s->data, SIM_DATA_SIZE);
		munmap(s->heap, SIM_HEAP_MAX);
	} else
		munmap(s->data, SIM_DATA_SIZE + SIM_HEAP_MAX);
	free(s->r);
	free(s);
}

static size_t
sim_ranges(struct memsrc *ms, struct memsrc_range *out, size_t max)
{
	struct sim	*s = sim_of(ms);
	size_t		 n = 0, i;

#define RANGE(d, h, l) do {						\
	if (n < max) {							\
		out[n].disp = (d);					\
		out[n].host = (h);					\
		out[n].len = (l);					\
	}								\
	n++;								\
} while (0)
	RANGE(s->data_start, s->data, SIM_DATA_SIZE);
	if (s->brk > 0)
		RANGE(s->heap_start, s->heap, PAGE_ROUND(s->brk));
	for (i = 0; i < s->nr; i++)
		RANGE(s->r[i].disp, sim_mm_host(s, s->r[i].disp), s->r[i].len);
#undef RANGE
	return n;
}

static void
sim_get_layout(struct memsrc *ms, struct memsrc_layout *l)
{
	struct sim	*s = sim_of(ms);
	size_t		 i;

	l->n = s->nr;
	l->maps = xcalloc(s->nr ? s->nr : 1, sizeof *l->maps);
	for (i = 0; i < s->nr; i++) {
		l->maps[i].start = s->r[i].disp;
		l->maps[i].end = s->r[i].disp + s->r[i].len;
		l->maps[i].kind = MAPPING_MMAP;
	}
}

static void
sim_set_layout(struct memsrc *ms, const struct memsrc_layout *l)
{
	struct sim	*s = sim_of(ms);
	uint64_t	 brk = l->brk - s->heap_start;
	size_t		 i;

	/* What lies beyond the new break reads as zeros, as from the kernel. */
	if (PAGE_ROUND(brk) < PAGE_ROUND(s->brk))
		madvise(s->heap + PAGE_ROUND(brk),
		    PAGE_ROUND(s->brk) - PAGE_ROUND(brk), MADV_DONTNEED);
	s->brk = brk;
	for (i = 0; i < s->nr; i++)
		sim_discard(s, s->r[i].disp, s->r[i].len);
	s->nr = 0;
	for (i = 0; i < l->n; i++)
		sim_insert(s, l->maps[i].start, l->maps[i].end -
		    l->maps[i].start);
}

/* Room in the data segment for the allocator's state (dlmalloc's _gm_). */
static void *
sim_static(struct memsrc *ms, size_t size)
{
	struct sim	*s = sim_of(ms);
	void		*p;

	size = (size + 15) & ~(size_t)15;
	if (size > SIM_DATA_SIZE - s->data_used)
		return NULL;
	p = s->data + s->data_used;
	s->data_used += size;
	return p;
}

/*
 * Zero memory of the sim: whole pages inside either reservation are given
 * back (MADV_DONTNEED: they read as zeros and hold no host memory), the
 * ragged ends are cleared.  calloc of a 3 GiB block from an mmapped
 * segment would otherwise touch 3 GiB of the host.
 */
static void
sim_zero(struct memsrc *ms, void *p, size_t len)
{
	struct sim	*s = sim_of(ms);
	uintptr_t	 a = (uintptr_t)p, lo, hi;
	uintptr_t	 h = (uintptr_t)s->heap, m = (uintptr_t)s->mm;
	int		 ours = (a >= h && a - h <= SIM_HEAP_MAX &&
			    len <= SIM_HEAP_MAX - (a - h)) ||
			    (a >= m && a - m <= SIM_MMAP_MAX &&
			    len <= SIM_MMAP_MAX - (a - m));

	lo = (a + SIM_PAGE_SIZE - 1) & ~(uintptr_t)(SIM_PAGE_SIZE - 1);
	hi = (a + len) & ~(uintptr_t)(SIM_PAGE_SIZE - 1);
	if (!ours || len < 16 * SIM_PAGE_SIZE || hi <= lo ||
	    madvise((void *)lo, hi - lo, MADV_DONTNEED) != 0) {
		memset(p, 0, len);
		return;
	}
	memset(p, 0, lo - a);
	memset((void *)hi, 0, a + len - hi);
}

static const struct memsrc_ops sim_ops = {
	.name = "sim",
	.sbrk = sim_sbrk,
	.mmap = sim_mmap,
	.munmap = sim_munmap,
	.mremap = sim_mremap,
	.to_display = sim_to_display,
	.to_host = sim_to_host,
	.mappings = sim_mappings,
	.static_area = sim_static,
	.ranges = sim_ranges,
	.get_layout = sim_get_layout,
	.set_layout = sim_set_layout,
	.destroy = sim_destroy,
	.zero = sim_zero,
};

/* Reserve len bytes at display address disp if the host lets us, else
 * anywhere. */
static char *
sim_reserve(uint64_t disp, size_t len)
{
	const int	 flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	void		*want = (void *)(uintptr_t)disp, *p;

#ifdef MAP_FIXED_NOREPLACE
	p = mmap(want, len, PROT_READ | PROT_WRITE, flags | MAP_FIXED_NOREPLACE,
	    -1, 0);
	/* Kernels before 4.17 take the flag as a hint and may go elsewhere. */
	if (p != MAP_FAILED && p != want) {
		munmap(p, len);
		p = MAP_FAILED;
	}
#else
	p = MAP_FAILED;
#endif
	if (p == MAP_FAILED)
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

struct memsrc *
memsrc_sim_create(struct evlog *log)
{
	struct sim	*s = xcalloc(1, sizeof *s);

	s->mm_top = SIM_MMAP_TOP;
	s->data = sim_reserve(SIM_DATA_START, SIM_DATA_SIZE + SIM_HEAP_MAX);
	s->mm = sim_reserve(MM_LOW(s), SIM_MMAP_MAX);
	if (s->data == NULL || s->mm == NULL) {
		if (s->data != NULL)
			munmap(s->data, SIM_DATA_SIZE + SIM_HEAP_MAX);
		if (s->mm != NULL)
			munmap(s->mm, SIM_MMAP_MAX);
		free(s);
		return NULL;
	}
	s->heap = s->data + SIM_DATA_SIZE;
	s->data_start = SIM_DATA_START;
	s->heap_start = SIM_HEAP_START;
	s->ms.ops = &sim_ops;
	s->ms.log = log;
	s->ms.initial_break = SIM_HEAP_START;
	return &s->ms;
}

/*
 * The same at another process's addresses.  The data segment's first
 * allocation (the allocator's state) lands exactly at data_at, so a model
 * whose state is glibc's struct malloc_state sits where the real
 * main_arena does, and the links that point into its bins are the same
 * numbers.  Both pieces must be placed at their addresses here (NULL
 * otherwise): the allocator's pointers are those addresses.
 */
struct memsrc *
memsrc_sim_create_at(struct evlog *log, uint64_t heap_start,
    uint64_t data_at, uint64_t mmap_top, const struct memsrc_sim_hooks *hooks)
{
	struct sim	*s = xcalloc(1, sizeof *s);
	uint64_t	 data_start = data_at & ~(uint64_t)(SIM_PAGE_SIZE - 1);

	s->mm_top = mmap_top != 0 ? mmap_top & ~(uint64_t)(SIM_PAGE_SIZE - 1) :
	    SIM_MMAP_TOP;

	s->split = true;
	s->data = sim_reserve(data_start, SIM_DATA_SIZE);
	s->heap = sim_reserve(heap_start, SIM_HEAP_MAX);
	s->mm = sim_reserve(MM_LOW(s), SIM_MMAP_MAX);
	if (s->data != (char *)(uintptr_t)data_start ||
	    s->heap != (char *)(uintptr_t)heap_start || s->mm == NULL ||
	    (heap_start & (SIM_PAGE_SIZE - 1)) != 0) {
		if (s->data != NULL)
			munmap(s->data, SIM_DATA_SIZE);
		if (s->heap != NULL)
			munmap(s->heap, SIM_HEAP_MAX);
		if (s->mm != NULL)
			munmap(s->mm, SIM_MMAP_MAX);
		free(s);
		return NULL;
	}
	s->data_start = data_start;
	s->data_used = (size_t)(data_at - data_start);
	s->heap_start = heap_start;
	if (hooks != NULL)
		s->hooks = *hooks;
	s->ms.ops = &sim_ops;
	s->ms.log = log;
	s->ms.initial_break = heap_start;
	return &s->ms;
}
