/*
 * memsrc-replay.c -- the memory a traced program had, for a model replaying
 * its malloc calls (see memsrc-replay.h).
 *
 * The break: one host reservation, reserved and not committed, standing
 * for the program's heap from its initial break up; the host address keeps
 * the display address's offset within its page.  Pages the break leaves
 * are discarded, so that they read as zeros when it grows over them again,
 * as a kernel's fresh pages do.
 *
 * Mappings: each one its own host mapping, shown at the address the
 * program's own call returned.  The table is small (glibc maps only blocks
 * of 128 KiB and more) and searched in order.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* mremap */
#endif
#include <sys/mman.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "memsrc-replay.h"
#include "xmalloc.h"

#define PAGE		UINT64_C(4096)
#define PAGE_UP(x)	(((x) + PAGE - 1) & ~(PAGE - 1))
/* Where mappings the program did not make go: below any real one. */
#define STRAY_TOP	UINT64_C(0x100000000000)

struct region {
	uint64_t	 disp;
	char		*host;
	size_t		 len;		/* page multiple */
};

struct replay {
	struct memsrc			 ms;
	uint64_t			 brk0;		/* display */
	char				*res;		/* reservation */
	size_t				 reslen;
	char				*base;		/* host of brk0 */
	size_t				 max;		/* growth allowed */
	uint64_t			 brk;		/* offset from brk0 */
	uint64_t			 peak;		/* the highest brk */
	struct region			*r;
	size_t				 nr, capr;
	struct memsrc_replay_call	*want;		/* expected calls */
	size_t				 nwant, capwant;
	uint64_t			 stray_next;
	size_t				 strays;
};

static struct replay *
rp_of(struct memsrc *ms)
{
	return (struct replay *)ms;
}

static void *
rp_sbrk(struct memsrc *ms, intptr_t incr)
{
	struct replay	*r = rp_of(ms);
	uint64_t	 old = r->brk, new;

	if (incr < 0) {
		if ((uint64_t)-(incr + 1) >= old) {
			errno = ENOMEM;
			return MEMSRC_FAIL;
		}
		new = old - (uint64_t)-(incr + 1) - 1;
		/* Whole pages above the new break go back. */
		{
			uint64_t	lo = PAGE_UP(r->brk0 + new) - r->brk0;
			uint64_t	hi = PAGE_UP(r->brk0 + old) - r->brk0;

			if (lo < hi)
				madvise(r->base + lo, hi - lo, MADV_DONTNEED);
		}
	} else {
		if ((uint64_t)incr > r->max - old) {
			errno = ENOMEM;
			return MEMSRC_FAIL;
		}
		new = old + (uint64_t)incr;
		if (new > r->peak)
			r->peak = new;
	}
	r->brk = new;
	return r->base + old;
}

/* The expected call that fits, taken out of the list; -1 if none. */
static long
rp_take(struct replay *r, enum memsrc_call call, uint64_t old, uint64_t len)
{
	size_t	i;

	for (i = 0; i < r->nwant; i++) {
		const struct memsrc_replay_call	*w = &r->want[i];

		if (w->call != call || PAGE_UP(w->len) != PAGE_UP(len) ||
		    (call == MS_MREMAP && w->old != old))
			continue;
		return (long)i;
	}
	return -1;
}

static uint64_t
rp_place(struct replay *r, enum memsrc_call call, uint64_t old, size_t len)
{
	long		i = rp_take(r, call, old, len);
	uint64_t	disp;

	if (i >= 0) {
		disp = r->want[i].result;
		memmove(&r->want[i], &r->want[i + 1],
		    (r->nwant - (size_t)i - 1) * sizeof *r->want);
		r->nwant--;
		return disp;
	}
	r->strays++;
	r->stray_next -= PAGE_UP(len);
	return r->stray_next;
}

static void
rp_insert(struct replay *r, uint64_t disp, char *host, size_t len)
{
	if (r->nr == r->capr) {
		r->capr = r->capr ? r->capr * 2 : 16;
		r->r = xreallocarray(r->r, r->capr, sizeof *r->r);
	}
	r->r[r->nr].disp = disp;
	r->r[r->nr].host = host;
	r->r[r->nr].len = len;
	r->nr++;
}

static struct region *
rp_find_host(struct replay *r, const void *p)
{
	size_t	i;

	for (i = 0; i < r->nr; i++)
		if (r->r[i].host == p)
			return &r->r[i];
	return NULL;
}

static void *
rp_mmap(struct memsrc *ms, size_t len)
{
	struct replay	*r = rp_of(ms);
	char		*host;

	if (len == 0) {
		errno = EINVAL;
		return MEMSRC_FAIL;
	}
	len = PAGE_UP(len);
	host = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (host == MAP_FAILED) {
		errno = ENOMEM;
		return MEMSRC_FAIL;
	}
	rp_insert(r, rp_place(r, MS_MMAP, 0, len), host, len);
	return host;
}

static int
rp_munmap(struct memsrc *ms, void *addr, size_t len)
{
	struct replay	*r = rp_of(ms);
	struct region	*g = rp_find_host(r, addr);

	if (g == NULL || PAGE_UP(len) != g->len) {
		errno = EINVAL;
		return -1;
	}
	munmap(g->host, g->len);
	*g = r->r[--r->nr];
	return 0;
}

static void *
rp_mremap(struct memsrc *ms, void *old, size_t oldlen, size_t newlen,
    int flags)
{
	struct replay	*r = rp_of(ms);
	struct region	*g = rp_find_host(r, old);
	char		*host;

	if (g == NULL || PAGE_UP(oldlen) != g->len || newlen == 0) {
		errno = EINVAL;
		return MEMSRC_FAIL;
	}
	newlen = PAGE_UP(newlen);
	host = mremap(g->host, g->len, newlen, flags);
	if (host == MAP_FAILED)
		return MEMSRC_FAIL;
	g->disp = rp_place(r, MS_MREMAP, g->disp, newlen);
	g->host = host;
	g->len = newlen;
	return host;
}

static uint64_t
rp_to_display(struct memsrc *ms, const void *p)
{
	struct replay	*r = rp_of(ms);
	const char	*c = p;
	size_t		 i;

	if (c >= r->base && c <= r->base + r->max)
		return r->brk0 + (uint64_t)(c - r->base);
	for (i = 0; i < r->nr; i++)
		if (c >= r->r[i].host && c < r->r[i].host + r->r[i].len)
			return r->r[i].disp + (uint64_t)(c - r->r[i].host);
	return 0;
}

static void *
rp_to_host(struct memsrc *ms, uint64_t a, size_t len)
{
	struct replay	*r = rp_of(ms);
	size_t		 i;

	if (a >= r->brk0 && a + len >= a &&
	    a + len <= PAGE_UP(r->brk0 + r->brk))
		return r->base + (a - r->brk0);
	for (i = 0; i < r->nr; i++)
		if (a >= r->r[i].disp && a + len >= a &&
		    a + len <= r->r[i].disp + r->r[i].len)
			return r->r[i].host + (a - r->r[i].disp);
	return NULL;
}

static int
region_cmp(const void *a, const void *b)
{
	const struct mapping	*x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static size_t
rp_mappings(struct memsrc *ms, struct mapping *out, size_t max)
{
	struct replay	*r = rp_of(ms);
	size_t		 i, n = 0;

	if (out == NULL)
		return r->nr;
	for (i = 0; i < r->nr && n < max; i++, n++) {
		memset(&out[n], 0, sizeof out[n]);
		out[n].start = r->r[i].disp;
		out[n].end = r->r[i].disp + r->r[i].len;
		out[n].kind = MAPPING_MMAP;
	}
	qsort(out, n, sizeof *out, region_cmp);
	return r->nr;
}

static void
rp_destroy(struct memsrc *ms)
{
	struct replay	*r = rp_of(ms);
	size_t		 i;

	for (i = 0; i < r->nr; i++)
		munmap(r->r[i].host, r->r[i].len);
	munmap(r->res, r->reslen);
	free(r->r);
	free(r->want);
	free(r);
}

static const struct memsrc_ops replay_ops = {
	.name = "replay",
	.sbrk = rp_sbrk,
	.mmap = rp_mmap,
	.munmap = rp_munmap,
	.mremap = rp_mremap,
	.to_display = rp_to_display,
	.to_host = rp_to_host,
	.mappings = rp_mappings,
	.destroy = rp_destroy,
};

struct memsrc *
memsrc_replay_create(uint64_t brk0, size_t heap_max)
{
	struct replay	*r;
	size_t		 off = (size_t)(brk0 & (PAGE - 1));
	size_t		 len = (size_t)PAGE_UP(heap_max + off);
	char		*res;

	res = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (res == MAP_FAILED)
		return NULL;
	r = xcalloc(1, sizeof *r);
	r->ms.ops = &replay_ops;
	r->ms.initial_break = brk0;
	r->brk0 = brk0;
	r->res = res;
	r->reslen = len;
	r->base = res + off;
	r->max = len - off;
	r->stray_next = STRAY_TOP;
	return &r->ms;
}

void
memsrc_replay_expect(struct memsrc *ms, const struct memsrc_replay_call *c,
    size_t n)
{
	struct replay	*r = rp_of(ms);

	if (n > r->capwant) {
		r->capwant = n;
		r->want = xreallocarray(r->want, n, sizeof *r->want);
	}
	if (n > 0)
		memcpy(r->want, c, n * sizeof *c);
	r->nwant = n;
}

size_t
memsrc_replay_strays(const struct memsrc *ms)
{
	return ((const struct replay *)ms)->strays;
}

uint64_t
memsrc_replay_peak(const struct memsrc *ms)
{
	return ((const struct replay *)ms)->peak;
}
