/*
 * test-alloc.c -- unit tests for the allocator core, speaking TAP.
 *
 * Expectations come from dlmalloc 2.8.6's documented rules (sizes, bins,
 * reuse order, when the system is asked for memory).  After every
 * operation the checker must find nothing wrong.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "memsrc.h"

static int	tap_n, tap_failed, check_failures;

static void __attribute__((format(printf, 2, 3)))
ok(int cond, const char *fmt, ...)
{
	va_list	ap;

	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
}

static void __attribute__((format(printf, 1, 2)))
diag(const char *fmt, ...)
{
	va_list	ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* ---- Fixtures. ---- */

struct heap {
	struct memsrc	*ms;
	struct alloc	*a;
	char		*base;		/* the break before the first malloc */
	int		 events[AEV_ENOMEM + 1];
};

static void
count_event(void *ctx, const struct alloc_event *ev)
{
	struct heap	*h = ctx;

	h->events[ev->kind]++;
}

static void
heap_open(struct heap *h)
{
	memset(h, 0, sizeof *h);
	h->ms = memsrc_sim_create(NULL);
	if (h->ms == NULL) {
		printf("Bail out! no memory source\n");
		exit(1);
	}
	h->a = alloc_create(h->ms, NULL);
	h->base = memsrc_sbrk(h->ms, 0);
	alloc_set_hook(h->a, count_event, h);
}

static void
heap_close(struct heap *h)
{
	alloc_destroy(h->a);
	memsrc_destroy(h->ms);
}

/* Run the checker; report and count any violation. */
static int
heap_clean(struct heap *h, const char *after)
{
	char	v[8][160];
	size_t	n = alloc_check(h->a, v, 8), i;

	if (n == 0)
		return 1;
	check_failures++;
	diag("checker after %s: %zu violations", after, n);
	for (i = 0; i < n && i < 8; i++)
		diag("  %s", v[i]);
	return 0;
}

static void *
M(struct heap *h, size_t n)
{
	void	*p = alloc_malloc(h->a, n);

	heap_clean(h, "malloc");
	return p;
}

static int
F(struct heap *h, void *p)
{
	int	rc = alloc_free(h->a, p);

	heap_clean(h, "free");
	return rc;
}

static void *
R(struct heap *h, void *p, size_t n)
{
	void	*q = alloc_realloc(h->a, p, n);

	heap_clean(h, "realloc");
	return q;
}

static void *
C(struct heap *h, size_t n, size_t s)
{
	void	*q = alloc_calloc(h->a, n, s);

	heap_clean(h, "calloc");
	return q;
}

static size_t
off(struct heap *h, const void *p)
{
	return (size_t)((const char *)p - h->base);
}

static size_t
chunk_size_of(const void *mem)
{
	return ((const size_t *)mem)[-1] & ~(size_t)7;
}

/* Copy of every segment's bytes, to show an operation changed nothing. */
struct image {
	char	*bytes;
	size_t	 len;
	uint32_t smallmap, treemap;
	void	*top, *dv;
	size_t	 topsize, dvsize;
};

static void
image_take(struct heap *h, struct image *im)
{
	struct alloc_segment	s[16];
	size_t			n = alloc_segments(h->a, s, 16), i, at = 0;

	im->len = 0;
	for (i = 0; i < n; i++)
		im->len += s[i].size;
	im->bytes = malloc(im->len ? im->len : 1);
	for (i = 0; i < n; i++) {
		memcpy(im->bytes + at, s[i].base, s[i].size);
		at += s[i].size;
	}
	im->smallmap = alloc_smallmap(h->a);
	im->treemap = alloc_treemap(h->a);
	im->top = alloc_top(h->a, &im->topsize);
	im->dv = alloc_dv(h->a, &im->dvsize);
}

static int
image_same(struct heap *h, struct image *before)
{
	struct image	now;
	int		same;

	image_take(h, &now);
	same = now.len == before->len &&
	    memcmp(now.bytes, before->bytes, now.len) == 0 &&
	    now.smallmap == before->smallmap &&
	    now.treemap == before->treemap && now.top == before->top &&
	    now.topsize == before->topsize && now.dv == before->dv &&
	    now.dvsize == before->dvsize;
	free(now.bytes);
	free(before->bytes);
	return same;
}

static int
last_glibc_is(struct heap *h, const char *msg)
{
	const struct alloc_error	*e = alloc_last_error(h->a);

	if (e->glibc != NULL && strcmp(e->glibc, msg) == 0)
		return 1;
	diag("last error: \"%s\" (%s); wanted \"%s\"",
	    e->glibc ? e->glibc : "(none)", e->what, msg);
	return 0;
}

/* ---- Walk helpers. ---- */

struct walk_acc {
	size_t	n, inuse, free, top, mmapped, fence, damaged;
	void	*last_free;
	size_t	last_free_size;
};

static void
walk_cb(void *ctx, const struct alloc_chunk *c)
{
	struct walk_acc	*w = ctx;

	w->n++;
	switch (c->state) {
	case ALLOC_CHUNK_INUSE: w->inuse++; break;
	case ALLOC_CHUNK_FREE:
		w->free++;
		w->last_free = c->addr;
		w->last_free_size = c->size;
		break;
	case ALLOC_CHUNK_TOP: w->top++; break;
	case ALLOC_CHUNK_MMAPPED: w->mmapped++; break;
	case ALLOC_CHUNK_FENCE: w->fence++; break;
	case ALLOC_CHUNK_DAMAGED: w->damaged++; break;
	}
}

static struct walk_acc
walk(struct heap *h)
{
	struct walk_acc	w;

	memset(&w, 0, sizeof w);
	alloc_walk(h->a, walk_cb, &w);
	return w;
}

/* ---- Tests. ---- */

static void
test_sizes(void)
{
	static const struct { size_t req, nb; } t[] = {
		{ 0, 32 }, { 1, 32 }, { 23, 32 }, { 24, 32 }, { 25, 48 },
		{ 32, 48 }, { 40, 48 }, { 41, 64 }, { 100, 112 },
		{ 232, 240 }, { 233, 256 }, { 248, 256 }, { 249, 272 },
		{ 1000, 1008 },
	};
	static const struct { size_t s; int i; } ti[] = {
		{ 256, 0 }, { 383, 0 }, { 384, 1 }, { 511, 1 }, { 512, 2 },
		{ 767, 2 }, { 768, 3 }, { 1024, 4 }, { 1536, 5 },
		{ 2048, 6 }, { 3072, 7 }, { 0x800000, 30 }, { 0xBFFFF0, 30 },
		{ 0xC00000, 31 }, { 0x1000000, 31 }, { (size_t)1 << 40, 31 },
	};
	size_t	i;
	int	good = 1;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (alloc_request2size(t[i].req) != t[i].nb) {
			diag("request2size(%zu) = %zu, want %zu", t[i].req,
			    alloc_request2size(t[i].req), t[i].nb);
			good = 0;
		}
	ok(good, "request2size: 0,24 -> 32; 25,32 -> 48; 100 -> 112; "
	    "232 -> 240; 233 -> 256");
	ok(alloc_small_index(32) == 4 && alloc_small_index(248) == 31 &&
	    alloc_small_index(112) == 14, "small bin index is size >> 3");
	good = 1;
	for (i = 0; i < sizeof ti / sizeof ti[0]; i++)
		if (alloc_tree_index(ti[i].s) != ti[i].i) {
			diag("tree_index(%#zx) = %d, want %d", ti[i].s,
			    alloc_tree_index(ti[i].s), ti[i].i);
			good = 0;
		}
	ok(good, "tree bin index boundaries 256, 384, 512, 768, ... 12M");
}

static void
test_first_chunks(void)
{
	struct heap	h;
	char		*p1, *p2, *p3;
	size_t		 tsz;
	void		*top;
	int		 c0 = check_failures;

	heap_open(&h);
	p1 = M(&h, 24);
	p2 = M(&h, 32);
	p3 = M(&h, 100);
	ok(p1 && off(&h, p1) == 16 && off(&h, p2) == 48 && off(&h, p3) == 96,
	    "first chunks at heap start: 24 -> +0x10, 32 -> +0x30, "
	    "100 -> +0x60");
	ok(chunk_size_of(p1) == 32 && chunk_size_of(p2) == 48 &&
	    chunk_size_of(p3) == 112, "chunk sizes 32, 48, 112");
	top = alloc_top(h.a, &tsz);
	ok(off(&h, top) == 192 && tsz == 4096 - 80 - 192,
	    "top follows; 80 bytes of TOP_FOOT kept below the 4096 break");
	ok(memsrc_break(h.ms) == h.ms->initial_break + 4096,
	    "first sys_alloc moved the break by one granule");
	ok(((uintptr_t)p1 & 15) == 0 && alloc_usable_size(h.a, p3) == 104,
	    "payloads are 16-aligned; usable size of 112-byte chunk is 104");
	ok(h.events[AEV_SYS_ALLOC] == 1 && h.events[AEV_TOP_HIT] == 3,
	    "events: one sys_alloc, three top hits");
	ok(check_failures == c0, "checker clean after every operation");
	heap_close(&h);
}

static void
test_unaligned_break(void)
{
	struct heap	h;
	char		*p;
	size_t		 tsz;
	void		*top;

	heap_open(&h);
	memsrc_sbrk(h.ms, 5);		/* someone left the break unaligned */
	h.base = memsrc_sbrk(h.ms, 0);
	p = M(&h, 10);
	top = alloc_top(h.a, &tsz);
	/* base+5: the first chunk starts at the next 16-aligned payload. */
	ok(p && off(&h, p) == 27 && ((uintptr_t)p & 15) == 0,
	    "unaligned initial break: first payload aligned (+27)");
	ok(memsrc_break(h.ms) == h.ms->initial_break + 4096 + 4096,
	    "sbrk asked for granule plus the page remainder (break page "
	    "aligned after)");
	ok(tsz == 4096 - 5 + 4096 - 80 - 11 - 32 && off(&h, top) == 11 + 32,
	    "top size accounts for alignment and TOP_FOOT");
	ok(heap_clean(&h, "unaligned"), "checker clean");
	heap_close(&h);
}

static void
test_smallbin_lifo(void)
{
	struct heap	h;
	void		*x[3], *g[3], *r1, *r2, *r3, *bin[8];
	int		 i, c0 = check_failures;
	size_t		 n;

	heap_open(&h);
	for (i = 0; i < 3; i++) {
		x[i] = M(&h, 40);
		g[i] = M(&h, 16);
	}
	F(&h, x[0]);
	F(&h, x[1]);
	F(&h, x[2]);
	n = alloc_bin_chunks(h.a, ALLOC_BIN_SMALL, 6, bin, 8);
	ok(n == 3 && (char *)bin[0] + 16 == (char *)x[2] &&
	    (char *)bin[2] + 16 == (char *)x[0],
	    "small bin 6 lists the three 48-byte chunks, last freed first");
	ok((alloc_smallmap(h.a) & (1u << 6)) != 0, "smallmap bit 6 set");
	r1 = M(&h, 40);
	r2 = M(&h, 33);
	r3 = M(&h, 48 - 8);
	ok(r1 == x[2] && r2 == x[1] && r3 == x[0],
	    "small bin reuse is last in, first out");
	ok((alloc_smallmap(h.a) & (1u << 6)) == 0, "smallmap bit cleared");
	(void)g;
	ok(check_failures == c0, "checker clean after every operation");
	heap_close(&h);
}

static void
test_split_dv(void)
{
	struct heap	h;
	char		*a, *g, *p, *q, *r;
	void		*dv;
	size_t		 dvs;
	int		 c0 = check_failures;

	heap_open(&h);
	a = M(&h, 200);		/* 208-byte chunk */
	g = M(&h, 8);
	F(&h, a);
	ok(alloc_bin_chunks(h.a, ALLOC_BIN_SMALL, 26, NULL, 0) == 1,
	    "freed 208-byte chunk sits in small bin 26");
	p = M(&h, 24);
	dv = alloc_dv(h.a, &dvs);
	ok(p == a && (char *)dv == a - 16 + 32 && dvs == 176,
	    "next nonempty small bin split; remainder (176) became dv");
	q = M(&h, 24);
	dv = alloc_dv(h.a, &dvs);
	ok(q == a + 32 && (char *)dv == a - 16 + 64 && dvs == 144,
	    "the next small request is carved from dv");
	r = M(&h, 136);		/* 144: exhausts dv exactly */
	ok(r == a + 64 && alloc_dv(h.a, &dvs) == NULL && dvs == 0,
	    "a request of the dv's size takes all of it");
	(void)g;
	ok(check_failures == c0, "checker clean after every operation");
	heap_close(&h);
}

static void
test_coalesce(void)
{
	struct heap	h;
	char		*a, *b, *c, *g, *bin[4];
	void		*top, *dv;
	size_t		 tsz, dvs, n;
	int		 c0 = check_failures;

	heap_open(&h);
	/* prev free */
	a = M(&h, 100); b = M(&h, 100); c = M(&h, 100); g = M(&h, 100);
	F(&h, a);
	F(&h, b);
	n = alloc_bin_chunks(h.a, ALLOC_BIN_SMALL, 28, (void **)bin, 4);
	ok(n == 1 && bin[0] == a - 16 && chunk_size_of(a) == 224,
	    "free with free previous: merged into one 224-byte chunk");
	/* next free */
	F(&h, c);
	ok(alloc_bin_chunks(h.a, ALLOC_BIN_SMALL, 28, NULL, 0) == 0 &&
	    chunk_size_of(a) == 336 &&
	    alloc_bin_chunks(h.a, ALLOC_BIN_TREE, 0, (void **)bin, 4) == 1 &&
	    bin[0] == a - 16, "free with free previous and next: 336 bytes, "
	    "in tree bin 0");
	heap_close(&h);

	heap_open(&h);
	a = M(&h, 100); b = M(&h, 100); c = M(&h, 100); g = M(&h, 100);
	F(&h, b);
	F(&h, a);
	ok(chunk_size_of(a) == 224 &&
	    alloc_bin_chunks(h.a, ALLOC_BIN_SMALL, 28, (void **)bin, 4) == 1 &&
	    bin[0] == a - 16, "free with free next: merged forward");
	F(&h, g);
	top = alloc_top(h.a, &tsz);
	ok(top == g - 16, "free next to top: joins top");
	F(&h, c);
	top = alloc_top(h.a, &tsz);
	ok(top == a - 16 && alloc_smallmap(h.a) == 0,
	    "free between free chunk and top: all merge into top");
	heap_close(&h);

	/* next is dv */
	heap_open(&h);
	a = M(&h, 40); b = M(&h, 200); g = M(&h, 8);
	F(&h, b);
	c = M(&h, 24);		/* splits b: c == b, dv after it */
	dv = alloc_dv(h.a, &dvs);
	ok(c == b && (char *)dv == b + 16 && dvs == 176, "dv set up");
	F(&h, c);
	dv = alloc_dv(h.a, &dvs);
	ok((char *)dv == b - 16 && dvs == 208 && h.events[AEV_INTO_DV] == 1,
	    "free before dv: joins dv");
	F(&h, a);
	dv = alloc_dv(h.a, &dvs);
	ok((char *)dv == a - 16 && dvs == 256, "free before dv again: dv "
	    "grows backward");
	ok(check_failures == c0, "checker clean after every operation");
	heap_close(&h);
}

static void
test_tree(void)
{
	struct heap	h;
	char		*big, *s1, *s2, *mid, *p, *q, *r;
	int		 c0 = check_failures;
	void		*bin[8];

	heap_open(&h);
	big = M(&h, 1000);	M(&h, 8);
	s1 = M(&h, 600);	M(&h, 8);
	mid = M(&h, 800);	M(&h, 8);
	s2 = M(&h, 600);	M(&h, 8);
	F(&h, big);
	F(&h, s1);
	F(&h, mid);
	F(&h, s2);
	ok(alloc_bin_chunks(h.a, ALLOC_BIN_TREE, 2, bin, 8) == 2 &&
	    alloc_bin_chunks(h.a, ALLOC_BIN_TREE, 3, bin, 8) == 2 &&
	    (char *)bin[0] + 16 == mid,
	    "608-byte chunks in tree bin 2; 816 and 1008 in bin 3, "
	    "smallest first");
	p = M(&h, 700);
	ok(p == mid, "best fit: 720 taken from the 816-byte chunk, not 1008");
	ok(alloc_bin_chunks(h.a, ALLOC_BIN_SMALL, 12, NULL, 0) == 1,
	    "its 96-byte remainder went to small bin 12 (not dv)");
	q = M(&h, 600);
	r = M(&h, 600);
	ok(q == s1 && r == s2, "equal sizes: first freed is reused first");
	ok(check_failures == c0, "checker clean after every operation");
	heap_close(&h);
}

static void
test_mmap(void)
{
	struct heap	h;
	char		*p, *q, *first;
	struct walk_acc	w;
	int		 c0 = check_failures;
	size_t		 i;

	heap_open(&h);
	first = M(&h, 1 << 20);
	ok(first != NULL && h.events[AEV_MMAP_CHUNK] == 0 &&
	    off(&h, first) == 16,
	    "first request of 1 MiB comes from sbrk (no top yet)");
	F(&h, first);
	heap_close(&h);

	heap_open(&h);
	q = M(&h, 10);
	p = M(&h, 256 * 1024);
	w = walk(&h);
	ok(p != NULL && h.events[AEV_MMAP_CHUNK] == 1 && w.mmapped == 1,
	    "256 KiB request gets its own mapping");
	ok(alloc_usable_size(h.a, p) >= 256 * 1024 &&
	    ((uintptr_t)p & 4095) == 16, "mapped chunk at mapping start + 16");
	for (i = 0; i < 256 * 1024; i++)
		p[i] = (char)i;
	p = R(&h, p, 600 * 1024);
	ok(p != NULL && h.events[AEV_MREMAP_CHUNK] == 1,
	    "realloc of a mapped chunk uses mremap");
	for (i = 0; i < 256 * 1024; i++)
		if (p[i] != (char)i)
			break;
	ok(i == 256 * 1024, "contents kept across mremap");
	ok(R(&h, p, 600 * 1024 - 4000) == p &&
	    h.events[AEV_MREMAP_CHUNK] == 1,
	    "a small shrink keeps the mapping as it is");
	ok(F(&h, p) == 0 && h.events[AEV_MUNMAP_CHUNK] == 1 &&
	    walk(&h).mmapped == 0, "free unmaps it");
	p = M(&h, 256 * 1024 - 100);
	ok(p != NULL && h.events[AEV_MMAP_CHUNK] == 1,
	    "just below the threshold: served from the heap");
	(void)q;
	ok(check_failures == c0, "checker clean after every operation");
	heap_close(&h);
}

static void
test_trim(void)
{
	struct heap	h;
	char		*p[50];
	uint64_t	 peak;
	int		 i, c0 = check_failures;
	size_t		 tsz;

	heap_open(&h);
	for (i = 0; i < 50; i++)
		p[i] = M(&h, 100 * 1024);
	peak = memsrc_break(h.ms);
	ok(peak - h.ms->initial_break > 4 * 1024 * 1024,
	    "4 MiB of 100 KiB blocks grew the break");
	for (i = 49; i >= 1; i--)
		F(&h, p[i]);
	alloc_top(h.a, &tsz);
	ok(memsrc_break(h.ms) < peak && h.events[AEV_TRIM] >= 1,
	    "freeing into a top above 2 MiB gave memory back");
	ok(tsz < 2 * 1024 * 1024 + 4096,
	    "top no longer exceeds the threshold (top %zu)", tsz);
	ok(memsrc_break(h.ms) == (uint64_t)((char *)p[0] - 16 - h.base) +
	    h.ms->initial_break + 102416 + tsz + 80,
	    "the break sits at the end of top plus TOP_FOOT");
	ok(check_failures == c0, "checker clean after every operation");
	heap_close(&h);
}

static void
test_realloc(void)
{
	struct heap	h;
	char		*a, *b, *g, *p;
	int		 c0 = check_failures, i, good;
	void		*top;
	size_t		 tsz;

	heap_open(&h);
	a = M(&h, 500);
	memset(a, 'x', 500);
	g = M(&h, 8);
	p = R(&h, a, 100);
	ok(p == a && chunk_size_of(a) == 112 &&
	    h.events[AEV_REALLOC_SHRINK] == 1, "shrink in place");
	ok(alloc_bin_chunks(h.a, ALLOC_BIN_TREE, 1, NULL, 0) == 1,
	    "the 400-byte remainder went to tree bin 1");
	p = R(&h, a, 400);
	ok(p == a && h.events[AEV_REALLOC_GROW] == 1 &&
	    alloc_treemap(h.a) == 0, "grow into the next free chunk");
	for (good = 1, i = 0; i < 100; i++)
		good &= a[i] == 'x';
	ok(good, "contents kept");
	F(&h, g);
	b = M(&h, 50);
	p = R(&h, b, 3000);
	top = alloc_top(h.a, &tsz);
	ok(p == b && (char *)top == b - 16 + 3008, "grow into top");
	g = M(&h, 10);
	memset(b, 'y', 3000);
	p = R(&h, b, 5000);
	ok(p != b && h.events[AEV_REALLOC_MOVE] == 1, "blocked: moves");
	for (good = 1, i = 0; i < 3000; i++)
		good &= p[i] == 'y';
	ok(good, "moved contents kept");
	b = R(&h, NULL, 30);
	ok(b != NULL && chunk_size_of(b) == 48, "realloc(NULL, n) is malloc");
	errno = 0;
	ok(R(&h, b, 0) == NULL && alloc_bin_chunks(h.a, ALLOC_BIN_SMALL, 6,
	    NULL, 0) + (alloc_dv(h.a, NULL) != NULL) >= 1,
	    "realloc(p, 0) frees and returns NULL");
	ok(check_failures == c0, "checker clean after every operation");
	heap_close(&h);
}

static void
test_calloc(void)
{
	struct heap	h;
	unsigned char	*p, *q;
	int		 i, good, c0 = check_failures;

	heap_open(&h);
	p = M(&h, 100);
	memset(p, 0xAA, 100);
	M(&h, 8);
	F(&h, p);
	q = C(&h, 1, 100);
	for (good = 1, i = 0; i < 100; i++)
		good &= q[i] == 0;
	ok(q == p && good, "calloc zeroes reused dirty memory");
	/* dirty top */
	p = M(&h, 2000);
	memset(p, 0x55, 2000);
	F(&h, p);
	q = C(&h, 20, 100);
	for (good = 1, i = 0; i < 2000; i++)
		good &= q[i] == 0;
	ok(q == p && good && h.events[AEV_CALLOC_ZERO] == 2,
	    "calloc zeroes memory from top that was used before");
	ok(check_failures == c0, "checker clean after every operation");
	heap_close(&h);
}

static uint64_t	rng;
static uint64_t	rnd(void);

static void *
MA(struct heap *h, size_t al, size_t n)
{
	void	*q = alloc_memalign(h->a, al, n);

	heap_clean(h, "memalign");
	return q;
}

/* The first chunk of the heap, as the walk reports it. */
static void
first_cb(void *ctx, const struct alloc_chunk *c)
{
	struct alloc_chunk	*f = ctx;

	if (f->addr == NULL)
		*f = *c;
}

static void
test_memalign(void)
{
	static const size_t	 als[] = { 32, 64, 128, 256, 4096, 65536 };
	static const size_t	 ns[] = { 1, 24, 100, 1000, 5000 };
	struct heap		 h;
	struct alloc_chunk	 first;
	char			*p, *q, *kept[64];
	size_t			 i, j, k = 0;
	bool			 good = true;
	int			 c0 = check_failures;

	heap_open(&h);
	p = MA(&h, 16, 100);
	ok(p != NULL && ((uintptr_t)p & 15) == 0 &&
	    h.events[AEV_ALIGN_LEAD] == 0 && chunk_size_of(p) == 112,
	    "memalign(16, 100) is malloc(100)");
	F(&h, p);
	heap_close(&h);

	heap_open(&h);
	q = MA(&h, 4096, 100);
	memset(&first, 0, sizeof first);
	alloc_walk(h.a, first_cb, &first);
	ok(q != NULL && ((uintptr_t)q & 4095) == 0 &&
	    alloc_usable_size(h.a, q) >= 100 && chunk_size_of(q) == 112,
	    "memalign(4096, 100): aligned, a 112-byte chunk");
	ok(first.state == ALLOC_CHUNK_FREE &&
	    (char *)first.addr + first.size == (char *)q - 16,
	    "the lead before it is a free chunk");
	ok(h.events[AEV_ALIGN_LEAD] == 1 && h.events[AEV_ALIGN_TAIL] == 1 &&
	    walk(&h).top == 1, "lead and tail given back; the tail joined "
	    "top");
	ok(F(&h, q) == 0 && walk(&h).free == 0, "freeing it merges all "
	    "back into top");

	q = MA(&h, 48, 10);
	ok(q != NULL && ((uintptr_t)q & 63) == 0, "alignment 48 is "
	    "rounded up to 64");
	F(&h, q);

	for (i = 0; i < sizeof als / sizeof als[0]; i++)
		for (j = 0; j < sizeof ns / sizeof ns[0]; j++) {
			q = MA(&h, als[i], ns[j]);
			if (q == NULL || ((uintptr_t)q & (als[i] - 1)) != 0 ||
			    alloc_usable_size(h.a, q) < ns[j])
				good = false;
			else
				memset(q, (int)(i * 8 + j), ns[j]);
			kept[k++] = q;
			if (j % 2 == 0)
				M(&h, 40);	/* something between */
		}
	for (i = 0; i < k && good; i++) {
		size_t	n = ns[i % 5], b;

		for (b = 0; b < n; b++)
			if (kept[i][b] != (char)((i / 5) * 8 + i % 5))
				good = false;
	}
	ok(good, "every alignment and size: aligned, big enough, "
	    "contents kept");
	for (i = 0; i < k; i++)
		F(&h, kept[i]);
	heap_close(&h);

	heap_open(&h);
	M(&h, 10);		/* a top first: the first request is sbrk's */
	q = MA(&h, 4096, 300 * 1024);
	ok(q != NULL && ((uintptr_t)q & 4095) == 0 &&
	    h.events[AEV_MMAP_CHUNK] == 1 && walk(&h).mmapped == 1 &&
	    alloc_usable_size(h.a, q) >= 300 * 1024,
	    "a large aligned request is a mapped chunk, aligned in it");
	memset(q, 7, 300 * 1024);
	ok(F(&h, q) == 0 && h.events[AEV_MUNMAP_CHUNK] == 1 &&
	    walk(&h).mmapped == 0, "and free unmaps it");

	errno = 0;
	ok(MA(&h, (size_t)1 << 63, 10) == NULL && errno == ENOMEM,
	    "an alignment past any request: NULL, ENOMEM");
	errno = 0;
	ok(MA(&h, 64, SIZE_MAX - 100) == NULL && errno == ENOMEM,
	    "a size that leaves no room to align: NULL, ENOMEM");

	rng = 0x9E3779B97F4A7C15ULL;
	memset(kept, 0, sizeof kept);
	for (i = 0, good = true; i < 3000; i++) {
		size_t	slot = rnd() % 64;

		if (kept[slot] != NULL) {
			if (F(&h, kept[slot]) != 0)
				good = false;
			kept[slot] = NULL;
		} else {
			size_t	al = (size_t)32 << (rnd() % 9);

			kept[slot] = MA(&h, al, rnd() % 3000);
			if (kept[slot] == NULL ||
			    ((uintptr_t)kept[slot] & (al - 1)) != 0)
				good = false;
		}
	}
	ok(good, "3000 random memaligns and frees, each aligned");
	ok(check_failures == c0, "checker clean after every operation");
	heap_close(&h);
}

static void
test_overflow(void)
{
	struct heap	h;
	char		*p;
	int		 c0 = check_failures;

	heap_open(&h);
	p = M(&h, 64);
	strcpy(p, "survivor");
	errno = 0;
	ok(C(&h, SIZE_MAX, 2) == NULL && errno == ENOMEM,
	    "calloc(SIZE_MAX, 2) -> NULL, ENOMEM");
	errno = 0;
	ok(C(&h, 2, SIZE_MAX) == NULL && errno == ENOMEM,
	    "calloc(2, SIZE_MAX) -> NULL, ENOMEM");
	errno = 0;
	ok(C(&h, (size_t)1 << 32, (size_t)1 << 32) == NULL && errno == ENOMEM,
	    "calloc(2^32, 2^32) -> NULL, ENOMEM");
	errno = 0;
	ok(alloc_reallocarray(h.a, p, SIZE_MAX, 2) == NULL && errno == ENOMEM &&
	    strcmp(p, "survivor") == 0, "reallocarray overflow -> ENOMEM, old "
	    "block intact");
	errno = 0;
	ok(alloc_reallocarray(h.a, p, 3, SIZE_MAX / 2) == NULL &&
	    errno == ENOMEM && strcmp(p, "survivor") == 0,
	    "reallocarray overflow, other order");
	errno = 0;
	ok(M(&h, SIZE_MAX) == NULL && errno == ENOMEM, "malloc(SIZE_MAX)");
	errno = 0;
	ok(R(&h, p, SIZE_MAX - 10) == NULL && errno == ENOMEM &&
	    strcmp(p, "survivor") == 0, "realloc to SIZE_MAX-10 fails, old "
	    "block intact");
	errno = 0;
	ok(M(&h, (size_t)PTRDIFF_MAX + 1) == NULL && errno == ENOMEM,
	    "malloc(PTRDIFF_MAX + 1) -> NULL, ENOMEM");
	errno = 0;
	ok(M(&h, (size_t)5 << 30) == NULL && errno == ENOMEM &&
	    h.events[AEV_ENOMEM] >= 1, "a request the source cannot meet -> "
	    "ENOMEM");
	ok(M(&h, 100000) != NULL && strcmp(p, "survivor") == 0,
	    "the heap still works afterwards");
	ok(alloc_free(h.a, NULL) == 0, "free(NULL) is a no-op");
	ok(check_failures == c0, "checker clean after every operation");
	heap_close(&h);
}

static void
test_foreign_break(void)
{
	struct heap	h;
	char		*a, *b, *c;
	struct alloc_segment s[4];
	struct walk_acc	w;
	int		 c0 = check_failures;

	heap_open(&h);
	a = M(&h, 100);
	memsrc_sbrk(h.ms, 100);		/* someone else moves the break */
	b = M(&h, 5000);
	ok(b != NULL && alloc_segments(h.a, s, 4) == 2 &&
	    h.events[AEV_SEGMENT_NEW] == 2,
	    "break moved by someone else: a second segment");
	ok((char *)b > (char *)a + 4096 && ((uintptr_t)b & 15) == 0,
	    "new chunk lies beyond the foreign bytes, aligned");
	w = walk(&h);
	ok(w.fence >= 2 && w.top == 1 && w.damaged == 0,
	    "walk shows the old segment's record and fenceposts");
	ok(w.free == 1, "the rest of the old top became a free chunk");
	c = M(&h, 3000);
	F(&h, a);
	F(&h, b);
	F(&h, c);
	ok(heap_clean(&h, "foreign") && check_failures == c0,
	    "checker clean after every operation");
	heap_close(&h);
}

static void
test_refusals(void)
{
	struct heap	h;
	char		*a, *b, *c, *g;
	struct image	im;
	size_t		*hd;

	heap_open(&h);
	a = M(&h, 100);
	b = M(&h, 100);
	c = M(&h, 100);
	g = M(&h, 100);
	F(&h, b);
	image_take(&h, &im);
	errno = 0;
	ok(alloc_free(h.a, b) == -1 && errno == EINVAL &&
	    last_glibc_is(&h, "double free or corruption (!prev)"),
	    "double free refused: double free or corruption (!prev)");
	ok(image_same(&h, &im), "heap untouched by the refused free");
	ok(h.events[AEV_CORRUPTION] == 1 && alloc_last_error(h.a)->what[0],
	    "corruption event and an explanation");

	memset(a, 0, 100);
	image_take(&h, &im);
	ok(alloc_free(h.a, a + 32) == -1 &&
	    last_glibc_is(&h, "free(): invalid pointer"),
	    "free of a pointer inside a block refused");
	ok(image_same(&h, &im), "heap untouched");
	ok(alloc_free(h.a, a + 3) == -1 &&
	    last_glibc_is(&h, "free(): invalid pointer"),
	    "misaligned pointer refused");
	ok(alloc_free(h.a, &im) == -1 &&
	    last_glibc_is(&h, "free(): invalid pointer"),
	    "pointer outside the heap refused");
	ok(alloc_realloc(h.a, a + 32, 10) == NULL && errno == EINVAL &&
	    last_glibc_is(&h, "realloc(): invalid pointer"),
	    "realloc of a pointer inside a block refused");

	/* Overflow a's payload into c's header. */
	hd = (size_t *)(c - 8);
	*hd = 0x4141414141414141ULL;
	image_take(&h, &im);
	ok(alloc_free(h.a, c) == -1 &&
	    last_glibc_is(&h, "double free or corruption (out)"),
	    "size overwritten, reaching past the heap: double free or "
	    "corruption (out)");
	ok(image_same(&h, &im), "heap untouched");
	ok(alloc_check(h.a, NULL, 0) > 0, "the checker sees the damage");
	ok(walk(&h).damaged == 1, "the walk reports one damaged chunk");
	*hd = 112 | 1 | 2;	/* repair, but say the previous is in use... */
	*hd = 112 | 2;		/* ...no: PINUSE clear, prev_foot wrong */
	((size_t *)(c - 16))[0] = 64;
	image_take(&h, &im);
	ok(alloc_free(h.a, c) == -1 && last_glibc_is(&h,
	    "corrupted size vs. prev_size while consolidating"),
	    "bad prev_size: corrupted size vs. prev_size while consolidating");
	ok(image_same(&h, &im), "heap untouched");
	((size_t *)(c - 16))[0] = 112;
	ok(alloc_check(h.a, NULL, 0) == 0, "repaired");

	/* Clear PINUSE of g: a is in use, so freeing a's neighbour... */
	hd = (size_t *)(g - 8);
	*hd &= ~(size_t)1;
	image_take(&h, &im);
	ok(alloc_free(h.a, c) == -1 && last_glibc_is(&h,
	    "double free or corruption (!prev)"),
	    "next chunk's PINUSE clear: double free or corruption (!prev)");
	ok(image_same(&h, &im), "heap untouched");
	*hd |= 1;

	/* Corrupt b's (free, in small bin 14) fd, then use the bin. */
	((void **)b)[0] = a;
	image_take(&h, &im);
	ok(alloc_malloc(h.a, 100) == NULL && errno == EINVAL &&
	    last_glibc_is(&h, "malloc(): smallbin double linked list "
	    "corrupted"), "corrupted fd: malloc refuses");
	ok(image_same(&h, &im), "heap untouched");
	image_take(&h, &im);
	ok(alloc_free(h.a, a) == -1 &&
	    last_glibc_is(&h, "corrupted double-linked list"),
	    "corrupted fd: coalescing free refuses");
	ok(image_same(&h, &im), "heap untouched");
	{
		void	*bin[4];

		((void **)b)[0] = b - 16;	/* a cycle on itself */
		ok(alloc_bin_chunks(h.a, ALLOC_BIN_SMALL, 14, bin, 4) == 1,
		    "a self-looping bin is walked within bounds, the loop "
		    "listed once");
	}
	heap_close(&h);

	/* Corrupted top size. */
	heap_open(&h);
	a = M(&h, 100);
	((size_t *)(a + 104))[0] = 0xFFFFFFFFFFFFFF01ULL;
	image_take(&h, &im);
	ok(alloc_malloc(h.a, 100) == NULL &&
	    last_glibc_is(&h, "malloc(): corrupted top size"),
	    "corrupted top size: malloc refuses");
	ok(image_same(&h, &im), "heap untouched");
	alloc_set_checks(h.a, ALLOC_CHECKS_OFF);
	ok(alloc_free(h.a, (char *)0x1000) == -1 &&
	    alloc_free(h.a, &im) == -1, "checks off: wild pointers still "
	    "refused");
	heap_close(&h);

	/* Mapped chunk header overwritten. */
	heap_open(&h);
	M(&h, 10);
	a = M(&h, 300000);
	((size_t *)a)[-1] = 0x1000;
	ok(alloc_free(h.a, a) == -1 &&
	    last_glibc_is(&h, "munmap_chunk(): invalid pointer"),
	    "mapped chunk with a damaged header: munmap_chunk(): invalid "
	    "pointer");
	heap_close(&h);
}

/*
 * A free whose neighbours are both in use, into a bin whose links are
 * damaged: refused with glibc's message for the damage, the heap
 * untouched, whether nobody records, a hook records each decision, or a
 * buffer has room for them all (the three ways into the free path).
 */
static void
noop_full(struct alloc_events *ev)
{
	ev->n = 0;
}

static void
test_plain_free_refusals(void)
{
	static const char *const mode_name[3] = { "quiet", "hook", "buffer" };
	static const char *const case_name[5] = {
		"small bin's first chunk: bk not the bin",
		"tree ring: fd outside the heap",
		"tree ring: bk not back",
		"tree walk: children outside the heap",
		"tree walk: children loop",
	};
	static struct alloc_event	v[256];
	int				mode, k;

	for (mode = 0; mode < 3; mode++) {
		for (k = 0; k < 5; k++) {
			struct heap		h;
			struct alloc_events	ev = { v, 0, 256, noop_full,
						    NULL };
			struct image		im;
			char			*a, *b, *d;
			const char		*msg = k == 0 ?
			    "corrupted double-linked list" :
			    "corrupted double-linked list (not small)";
			size_t			sz = k == 0 ? 100 : 500;

			heap_open(&h);
			if (mode == 0)
				alloc_set_hook(h.a, NULL, NULL);
			else if (mode == 2)
				alloc_set_events(h.a, &ev);
			a = M(&h, 100);
			b = M(&h, sz);
			M(&h, 100);
			d = M(&h, k >= 3 ? sz + 20 : sz);
			M(&h, 100);
			F(&h, b);
			switch (k) {
			case 0:
			case 2:
				((void **)b)[1] = a - 16;
				break;
			case 1:
				((void **)b)[0] = (void *)(uintptr_t)0x1000;
				break;
			case 3:
				((void **)b)[2] = ((void **)b)[3] =
				    (void *)(uintptr_t)0x1000;
				break;
			case 4:
				((void **)b)[2] = ((void **)b)[3] = b - 16;
				break;
			}
			image_take(&h, &im);
			ok(alloc_free(h.a, d) == -1 && errno == EINVAL &&
			    last_glibc_is(&h, msg), "plain free (%s), %s: "
			    "refused: %s", mode_name[mode], case_name[k], msg);
			ok(image_same(&h, &im), "plain free (%s), %s: heap "
			    "untouched", mode_name[mode], case_name[k]);
			heap_close(&h);
		}
	}
}

/*
 * A free that merges with a free neighbour in a bin, each link it reads
 * damaged in turn: refused with glibc's message for the damage, the heap
 * untouched, quiet, with a hook, and with a buffer.  Around the freed
 * chunk x: its neighbours p (before) and n (after), and t, a chunk of the
 * merged size or of p's bin, elsewhere; guards keep them apart.
 */
static void
test_merge_free_refusals(void)
{
	static const struct mcase {
		const char	*name, *msg;
		size_t		 psz, xsz, nsz, tsz;
		int		 free_p, free_n, free_t;
	} cs[] = {
		{ "prev small: bk does not lead back",
		  "corrupted double-linked list", 100, 100, 100, 100, 1, 0, 0 },
		{ "prev tree: ring does not lead back",
		  "corrupted double-linked list (not small)",
		  500, 100, 100, 100, 1, 0, 0 },
		{ "prev tree: parent does not know it",
		  "corrupted double-linked list (not small)",
		  520, 100, 100, 500, 1, 0, 1 },
		{ "next: footer wrong",
		  "corrupted size vs. prev_size", 100, 100, 100, 100, 0, 1, 0 },
		{ "prev tree: index of another bin",
		  "corrupted double-linked list (not small)",
		  520, 100, 100, 500, 1, 0, 1 },
		{ "small bin of the total: first chunk's bk wrong",
		  "corrupted double-linked list", 100, 100, 100, 216, 1, 0, 1 },
		{ "tree bin of the total: ring broken",
		  "corrupted double-linked list (not small)",
		  248, 248, 100, 500, 1, 0, 1 },
		{ "prev tree root: wrong parent",
		  "corrupted double-linked list (not small)",
		  500, 100, 100, 100, 1, 0, 0 },
		{ "prev tree: ring leads outside the heap",
		  "corrupted double-linked list (not small)",
		  500, 100, 100, 100, 1, 0, 0 },
		{ "next small: fd outside the heap",
		  "corrupted double-linked list", 100, 100, 100, 100, 0, 1, 0 },
		{ "next tree: ring does not lead back",
		  "corrupted double-linked list (not small)",
		  100, 100, 500, 100, 0, 1, 0 },
		{ "both free, next small: fd outside the heap",
		  "corrupted double-linked list", 100, 100, 100, 100, 1, 1, 0 },
		{ "both free in tree bins, next: ring does not lead back",
		  "corrupted double-linked list (not small)",
		  500, 100, 800, 100, 1, 1, 0 },
	};
	static const char *const mode_name[3] = { "quiet", "hook", "buffer" };
	static struct alloc_event	v[256];
	size_t				k;
	int				mode;

	for (mode = 0; mode < 3; mode++) {
		for (k = 0; k < sizeof cs / sizeof cs[0]; k++) {
			const struct mcase	*c = &cs[k];
			struct heap		h;
			struct alloc_events	ev = { v, 0, 256, noop_full,
						    NULL };
			struct image		im;
			char			*a, *p, *x, *n, *g, *t;

			heap_open(&h);
			if (mode == 0)
				alloc_set_hook(h.a, NULL, NULL);
			else if (mode == 2)
				alloc_set_events(h.a, &ev);
			a = M(&h, 100);
			p = M(&h, c->psz);
			x = M(&h, c->xsz);
			n = M(&h, c->nsz);
			g = M(&h, 100);
			t = M(&h, c->tsz);
			M(&h, 100);
			memset(a, 0, 100);
			if (c->free_t)
				F(&h, t);
			if (c->free_p)
				F(&h, p);
			if (c->free_n)
				F(&h, n);
			switch (k) {
			case 0:
			case 1:
				((void **)p)[1] = a - 16;
				break;
			case 2:
				((void **)t)[2] = ((void **)t)[3] = NULL;
				break;
			case 3:
				((size_t *)g)[-2] = 96;
				break;
			case 4:
				((uint32_t *)(p + 40))[0] = 3;
				break;
			case 5:
			case 6:
				((void **)t)[1] = a - 16;
				break;
			case 7:
				((void **)p)[4] = a - 16;
				break;
			case 8:
				((void **)p)[1] = (void *)(uintptr_t)0x1000;
				break;
			case 9:
				((void **)n)[0] = (void *)(uintptr_t)0x1000;
				break;
			case 10:
			case 12:
				((void **)n)[1] = a - 16;
				break;
			case 11:
				((void **)n)[0] = (void *)(uintptr_t)0x1000;
				break;
			}
			image_take(&h, &im);
			ok(alloc_free(h.a, x) == -1 && errno == EINVAL &&
			    last_glibc_is(&h, c->msg), "merging free (%s), "
			    "%s: refused: %s", mode_name[mode], c->name,
			    c->msg);
			ok(image_same(&h, &im), "merging free (%s), %s: heap "
			    "untouched", mode_name[mode], c->name);
			heap_close(&h);
		}
	}
}

/* ---- Randomized test against a trivial model. ---- */

static uint64_t rng;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct slot {
	unsigned char	*p;
	size_t		 n;
	unsigned char	 pat;
};

static int
slot_cmp(const void *x, const void *y)
{
	const struct slot	*a = x, *b = y;

	return (uintptr_t)a->p < (uintptr_t)b->p ? -1 :
	    (uintptr_t)a->p > (uintptr_t)b->p;
}

static size_t
rand_size(void)
{
	uint64_t	r = rnd() % 100;

	if (r < 55)
		return rnd() % 256;
	if (r < 85)
		return rnd() % 4096;
	if (r < 97)
		return rnd() % 65536;
	return rnd() % (600 * 1024);
}

static int
slot_intact(const struct slot *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (s->p[i] != (unsigned char)(s->pat + i))
			return 0;
	return 1;
}

static void
slot_fill(struct slot *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		s->p[i] = (unsigned char)(s->pat + i);
}

static int
random_run(uint64_t seed, int ops)
{
	struct heap	 h;
	struct slot	 s[64], sorted[64];
	int		 i, k, ns;
	char		 v[4][160];

	heap_open(&h);
	rng = seed * 0x9E3779B97F4A7C15ULL + 1;
	memset(s, 0, sizeof s);
	if (seed % 7 == 3)
		alloc_set_mmap_threshold(h.a, 64 * 1024);
	if (seed % 5 == 1)
		alloc_set_trim_threshold(h.a, 128 * 1024);
	for (i = 0; i < ops; i++) {
		struct slot	*t = &s[rnd() % 64];
		uint64_t	 op = rnd() % 10;

		if (seed % 11 == 5 && rnd() % 500 == 0)
			memsrc_sbrk(h.ms, (intptr_t)(rnd() % 5000) & ~(intptr_t)7);
		if (t->p != NULL && !slot_intact(t)) {
			diag("seed %llu op %d: block contents changed",
			    (unsigned long long)seed, i);
			goto fail;
		}
		if (t->p == NULL || op < 2) {
			size_t	n = rand_size();

			if (t->p != NULL && alloc_free(h.a, t->p) != 0)
				goto fail;
			t->p = NULL;
			if (op == 0) {
				size_t	m = rnd() % 8 + 1;

				t->p = alloc_calloc(h.a, m, n / m + 1);
				n = m * (n / m + 1);
				if (t->p != NULL)
					for (k = 0; k < (int)n; k++)
						if (t->p[k] != 0) {
							diag("calloc not zero");
							goto fail;
						}
			} else
				t->p = alloc_malloc(h.a, n);
			if (t->p == NULL) {
				diag("seed %llu op %d: malloc(%zu) failed",
				    (unsigned long long)seed, i, n);
				goto fail;
			}
			t->n = n;
			t->pat = (unsigned char)rnd();
			slot_fill(t);
		} else if (op < 5) {
			size_t			n = rand_size(), keep;
			unsigned char		*q;

			q = alloc_realloc(h.a, t->p, n);
			if (q == NULL && n != 0) {
				diag("seed %llu op %d: realloc failed",
				    (unsigned long long)seed, i);
				goto fail;
			}
			keep = n < t->n ? n : t->n;
			t->p = q;
			t->n = keep;
			if (q != NULL && !slot_intact(t)) {
				diag("seed %llu op %d: realloc lost data",
				    (unsigned long long)seed, i);
				goto fail;
			}
			t->n = n;
			if (q != NULL)
				slot_fill(t);
		} else {
			if (alloc_free(h.a, t->p) != 0)
				goto fail;
			t->p = NULL;
		}
		if (t->p != NULL && (((uintptr_t)t->p & 15) != 0 ||
		    alloc_usable_size(h.a, t->p) < t->n)) {
			diag("seed %llu op %d: misaligned or short block",
			    (unsigned long long)seed, i);
			goto fail;
		}
		if (alloc_check(h.a, v, 4) != 0) {
			diag("seed %llu op %d: %s", (unsigned long long)seed,
			    i, v[0]);
			goto fail;
		}
		if (i % 64 == 0) {
			for (ns = 0, k = 0; k < 64; k++)
				if (s[k].p != NULL)
					sorted[ns++] = s[k];
			qsort(sorted, (size_t)ns, sizeof *sorted, slot_cmp);
			for (k = 1; k < ns; k++)
				if (sorted[k - 1].p + sorted[k - 1].n >
				    sorted[k].p) {
					diag("seed %llu: blocks overlap",
					    (unsigned long long)seed);
					goto fail;
				}
			for (k = 0; k < ns; k++)
				if (!slot_intact(&sorted[k])) {
					diag("seed %llu: contents changed",
					    (unsigned long long)seed);
					goto fail;
				}
		}
	}
	for (k = 0; k < 64; k++)
		if (s[k].p != NULL && alloc_free(h.a, s[k].p) != 0)
			goto fail;
	if (alloc_check(h.a, v, 4) != 0)
		goto fail;
	heap_close(&h);
	return 1;
fail:
	heap_close(&h);
	return 0;
}

static void
test_random(void)
{
	int		good = 0;
	uint64_t	seed;
	/* HV_TEST_SEEDS: fewer under valgrind (tests/valgrind.sh). */
	int		seeds = getenv("HV_TEST_SEEDS") != NULL ?
			    atoi(getenv("HV_TEST_SEEDS")) : 200;

	for (seed = 1; seed <= (uint64_t)seeds; seed++)
		good += random_run(seed, 2000);
	ok(good == seeds, "randomized: %d seeds x 2000 ops, contents kept, "
	    "no overlap, aligned, checker clean (%d/%d)", seeds, good, seeds);
}

/* ---- The decisions through a buffer, as through the hook. ---- */

struct evlist {
	struct memsrc	*ms;
	struct alloc_event *v;
	size_t		 n, cap;
};

static void
evlist_add(struct evlist *l, const struct alloc_event *e)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (l->v == NULL) {
			printf("Bail out! out of memory\n");
			exit(1);
		}
	}
	l->v[l->n++] = *e;
}

static void
evlist_hook(void *ctx, const struct alloc_event *e)
{
	evlist_add(ctx, e);
}

static void
evlist_full(struct alloc_events *ev)
{
	unsigned long long	i;

	for (i = 0; i < ev->n; i++)
		evlist_add(ev->ctx, &ev->v[i]);
	ev->n = 0;
}

static uint64_t
disp(struct memsrc *ms, void *p)
{
	return p != NULL ? memsrc_to_display(ms, p) : 0;
}

static void
test_event_buffer(void)
{
	struct heap		 h1, h2;
	struct evlist		 l1 = { 0 }, l2 = { 0 };
	struct alloc_event	 rec[3];
	struct alloc_events	 ev;
	void			*p1[64] = { 0 }, *p2[64] = { 0 };
	uint64_t		 x = 12345;
	size_t			 i, same = 0;
	int			 k;

	heap_open(&h1);
	heap_open(&h2);
	l1.ms = h1.ms;
	l2.ms = h2.ms;
	alloc_set_hook(h1.a, evlist_hook, &l1);
	memset(&ev, 0, sizeof ev);
	ev.v = rec;
	ev.cap = 3;
	ev.full = evlist_full;
	ev.ctx = &l2;
	alloc_set_events(h2.a, &ev);
	for (k = 0; k < 3000; k++) {
		unsigned	s;
		size_t		n;

		x = x * 6364136223846793005u + 1442695040888963407u;
		s = (unsigned)(x >> 33) % 64;
		n = (x >> 40) % 4 == 0 ? (x >> 20) % 300000 :
		    (x >> 20) % 2000;
		if (p1[s] == NULL) {
			p1[s] = M(&h1, n);
			p2[s] = M(&h2, n);
		} else if ((x >> 45) % 3 == 0) {
			p1[s] = R(&h1, p1[s], n + 1);
			p2[s] = R(&h2, p2[s], n + 1);
		} else {
			F(&h1, p1[s]);
			F(&h2, p2[s]);
			p1[s] = p2[s] = NULL;
		}
	}
	evlist_full(&ev);
	for (i = 0; i < l1.n && i < l2.n; i++) {
		const struct alloc_event *a = &l1.v[i], *b = &l2.v[i];

		if (a->kind == b->kind && a->size == b->size &&
		    a->other_size == b->other_size &&
		    a->bin_kind == b->bin_kind && a->bin == b->bin &&
		    disp(h1.ms, a->chunk) == disp(h2.ms, b->chunk) &&
		    disp(h1.ms, a->other) == disp(h2.ms, b->other))
			same++;
	}
	ok(l1.n > 10000 && l1.n == l2.n && same == l1.n, "decisions through "
	    "a 3-record buffer are the hook's, in order (%zu and %zu, %zu "
	    "the same)", l1.n, l2.n, same);
	free(l1.v);
	free(l2.v);
	heap_close(&h1);
	heap_close(&h2);
}

/*
 * ---- A recording malloc takes the same ways as a quiet one. ----
 *
 * Four heaps see the same operations: one nobody records (the quiet short
 * ways), one recording through the hook (a one-record buffer), one
 * through a 7-record buffer read only when full (so an operation starts
 * at every place in it: with room for all its records, or with full()
 * falling inside it), and one whose mallocs are made with the checks off
 * for that call, which sends them to the generic path (do_malloc) that
 * recorded every malloc before the short ways could: its records are the
 * reference.  After each operation the results, the heaps (walked chunk
 * for chunk) and the records of the three recording heaps must agree, the
 * buffer must not be full, and the checker must find nothing.
 */
enum { W_QUIET, W_HOOK, W_BUF, W_SLOW, W_N };

#define W_CAP	7

struct ways {
	struct heap		 h[W_N];
	struct evlist		 l[W_N];
	struct alloc_events	 ev[W_N];
	struct alloc_event	 rec[W_N][W_CAP];
	size_t			 mark[W_N];	/* records before this op */
	int			 bad;		/* operations that differed */
	const char		*label;
	int			 op;
};

struct wptr {
	void	*p[W_N];
};

struct wchunk {
	uint64_t	addr;
	size_t		size, head;
	int		state, bin_kind, bin;
};

struct wlist {
	struct memsrc	*ms;
	struct wchunk	*v;
	size_t		 n, cap;
};

static void
wlist_cb(void *ctx, const struct alloc_chunk *c)
{
	struct wlist	*w = ctx;

	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 64;
		w->v = realloc(w->v, w->cap * sizeof *w->v);
		if (w->v == NULL) {
			printf("Bail out! out of memory\n");
			exit(1);
		}
	}
	memset(&w->v[w->n], 0, sizeof w->v[w->n]);
	w->v[w->n].addr = memsrc_to_display(w->ms, c->addr);
	w->v[w->n].size = c->size;
	w->v[w->n].head = c->head;
	w->v[w->n].state = (int)c->state;
	w->v[w->n].bin_kind = (int)c->bin_kind;
	w->v[w->n].bin = c->bin;
	w->n++;
}

static void
ways_open(struct ways *w)
{
	int	i;

	memset(w, 0, sizeof *w);
	for (i = 0; i < W_N; i++) {
		heap_open(&w->h[i]);
		w->l[i].ms = w->h[i].ms;
		if (i == W_QUIET) {
			alloc_set_hook(w->h[i].a, NULL, NULL);
			continue;
		}
		if (i == W_HOOK) {
			alloc_set_hook(w->h[i].a, evlist_hook, &w->l[i]);
			continue;
		}
		w->ev[i].v = w->rec[i];
		w->ev[i].cap = W_CAP;
		w->ev[i].full = evlist_full;
		w->ev[i].ctx = &w->l[i];
		alloc_set_events(w->h[i].a, &w->ev[i]);
	}
}

static void
ways_close(struct ways *w)
{
	int	i;

	for (i = 0; i < W_N; i++) {
		heap_close(&w->h[i]);
		free(w->l[i].v);
	}
}

static int
same_event(struct memsrc *ma, const struct alloc_event *a,
    struct memsrc *mb, const struct alloc_event *b)
{
	return a->kind == b->kind && a->size == b->size &&
	    a->other_size == b->other_size && a->bin_kind == b->bin_kind &&
	    a->bin == b->bin && disp(ma, a->chunk) == disp(mb, b->chunk) &&
	    disp(ma, a->other) == disp(mb, b->other);
}

/* Heap i's records so far: those handed on, then those in its buffer. */
static size_t
w_count(struct ways *w, int i)
{
	return w->l[i].n + (i == W_BUF ? w->ev[i].n : 0);
}

static const struct alloc_event *
w_at(struct ways *w, int i, size_t k)
{
	return k < w->l[i].n ? &w->l[i].v[k] : &w->ev[i].v[k - w->l[i].n];
}

static void
diag_events(struct ways *w, int i, const char *who, size_t from)
{
	size_t	k;

	for (k = from; k < w_count(w, i); k++) {
		const struct alloc_event *e = w_at(w, i, k);

		diag("  %s: kind %u size %zu other_size %zu bin %u/%d "
		    "chunk %#llx other %#llx", who, e->kind, e->size,
		    e->other_size, e->bin_kind, e->bin,
		    (unsigned long long)disp(w->l[i].ms, e->chunk),
		    (unsigned long long)disp(w->l[i].ms, e->other));
	}
}

/* After one operation on all four: compare, and keep the first difference. */
static void
ways_after(struct ways *w, const char *what, const struct wptr *r)
{
	static const char	*name[W_N] = { "quiet", "hook", "buffer",
				    "do_malloc" };
	struct wlist		 wl[W_N];
	int			 i, bad = 0;
	size_t			 k;

	for (i = 0; i < W_N; i++)
		heap_clean(&w->h[i], what);
	evlist_full(&w->ev[W_SLOW]);
	if (w->ev[W_BUF].n >= w->ev[W_BUF].cap) {
		if (!w->bad)
			diag("%s op %d (%s): the buffer was left full (%llu "
			    "of %llu)", w->label, w->op, what,
			    w->ev[W_BUF].n, w->ev[W_BUF].cap);
		bad = 1;
	}
	for (i = 1; i < W_N && r != NULL; i++)
		if ((r->p[i] == NULL) != (r->p[0] == NULL) ||
		    disp(w->h[i].ms, r->p[i]) != disp(w->h[0].ms, r->p[0])) {
			if (!w->bad)
				diag("%s op %d (%s): %s gave %#llx, quiet "
				    "%#llx", w->label, w->op, what, name[i],
				    (unsigned long long)disp(w->h[i].ms,
				    r->p[i]), (unsigned long long)disp(
				    w->h[0].ms, r->p[0]));
			bad = 1;
		}
	for (i = 0; i < W_N; i++) {
		memset(&wl[i], 0, sizeof wl[i]);
		wl[i].ms = w->h[i].ms;
		alloc_walk(w->h[i].a, wlist_cb, &wl[i]);
	}
	for (i = 1; i < W_N; i++)
		if (wl[i].n != wl[0].n || memcmp(wl[i].v, wl[0].v,
		    wl[0].n * sizeof *wl[0].v) != 0) {
			if (!w->bad && !bad)
				diag("%s op %d (%s): the %s heap differs from "
				    "the quiet one", w->label, w->op, what,
				    name[i]);
			bad = 1;
		}
	for (i = W_HOOK; i < W_N; i++) {
		size_t	n = w_count(w, i) - w->mark[i];
		size_t	n0 = w_count(w, W_SLOW) - w->mark[W_SLOW];

		for (k = 0; n == n0 && k < n; k++)
			if (!same_event(w->l[i].ms,
			    w_at(w, i, w->mark[i] + k), w->l[W_SLOW].ms,
			    w_at(w, W_SLOW, w->mark[W_SLOW] + k)))
				break;
		if (n != n0 || k < n) {
			if (!w->bad && !bad) {
				diag("%s op %d (%s): %s recorded %zu, "
				    "do_malloc %zu", w->label, w->op, what,
				    name[i], n, n0);
				diag_events(w, i, name[i], w->mark[i]);
				diag_events(w, W_SLOW, "do_malloc",
				    w->mark[W_SLOW]);
			}
			bad = 1;
		}
	}
	for (i = 0; i < W_N; i++) {
		w->mark[i] = w_count(w, i);
		free(wl[i].v);
	}
	w->bad += bad;
	w->op++;
}

static struct wptr
w_malloc(struct ways *w, size_t n)
{
	struct wptr	r;
	int		i;

	for (i = 0; i < W_N; i++) {
		struct alloc	*a = w->h[i].a;

		if (i == W_SLOW)
			alloc_set_checks(a, ALLOC_CHECKS_OFF);
		r.p[i] = alloc_malloc(a, n);
		if (i == W_SLOW)
			alloc_set_checks(a, ALLOC_CHECKS_STRICT);
	}
	ways_after(w, "malloc", &r);
	return r;
}

static struct wptr
w_calloc(struct ways *w, size_t m, size_t n)
{
	struct wptr	r;
	int		i;

	for (i = 0; i < W_N; i++) {
		struct alloc	*a = w->h[i].a;

		if (i == W_SLOW)
			alloc_set_checks(a, ALLOC_CHECKS_OFF);
		r.p[i] = alloc_calloc(a, m, n);
		if (i == W_SLOW)
			alloc_set_checks(a, ALLOC_CHECKS_STRICT);
	}
	ways_after(w, "calloc", &r);
	return r;
}

static struct wptr
w_realloc(struct ways *w, struct wptr p, size_t n)
{
	struct wptr	r;
	int		i;

	for (i = 0; i < W_N; i++)
		r.p[i] = alloc_realloc(w->h[i].a, p.p[i], n);
	ways_after(w, "realloc", &r);
	return r;
}

static void
w_free(struct ways *w, struct wptr p)
{
	int	i;

	for (i = 0; i < W_N; i++)
		alloc_free(w->h[i].a, p.p[i]);
	ways_after(w, "free", NULL);
}

/*
 * The kinds the last operation recorded (the same on every recording
 * heap, ways_after has seen to that) are want[], in order.
 */
static int
w_recorded(struct ways *w, const char *what, const uint16_t *want, size_t n)
{
	struct evlist	*l = &w->l[W_HOOK];
	size_t		 from, got, i;

	/* ways_after moved the mark past the operation: find its start. */
	from = l->n;
	for (i = l->n; i > 0; i--)
		if (l->v[i - 1].kind == AEV_REQUEST) {
			from = i - 1;
			break;
		}
	got = l->n - from;
	for (i = 0; i < n && i < got; i++)
		if (l->v[from + i].kind != want[i])
			break;
	if (got == n && i == n)
		return 1;
	diag("%s: recorded %zu decisions, wanted %zu", what, got, n);
	diag_events(w, W_HOOK, "hook", from);
	return 0;
}

#define RECORDED(w, what, ...) do {					\
	static const uint16_t	want_[] = { __VA_ARGS__ };		\
									\
	ok(w_recorded((w), (what), want_, sizeof want_ /		\
	    sizeof want_[0]), "recording malloc, %s: %s", (what),	\
	    #__VA_ARGS__);						\
} while (0)

/* A record of the last operation, back from its last. */
static const struct alloc_event *
w_last(struct ways *w, size_t back)
{
	struct evlist	*l = &w->l[W_HOOK];

	return l->n > back ? &l->v[l->n - 1 - back] : NULL;
}

static void
test_event_ways(void)
{
	struct ways		 w;
	struct wptr		 g, x, y, t, u, v;
	const struct alloc_event *e;
	int			 c0 = check_failures;

	ways_open(&w);
	w.label = "ways";
	w_malloc(&w, 24);			/* the first: the system */
	w_malloc(&w, 24);
	RECORDED(&w, "small from top", AEV_REQUEST, AEV_SMALLBIN_EMPTY,
	    AEV_TOP_HIT, AEV_SPLIT);
	e = w_last(&w, 3);
	ok(e != NULL && e->size == 24 && e->other_size == 32 &&
	    w_last(&w, 2)->bin == 4 && w_last(&w, 0)->bin_kind ==
	    ALLOC_BIN_TOP, "request 24 -> 32; exact bin 4 empty; the rest "
	    "stays top");
	w_malloc(&w, 1000);
	RECORDED(&w, "large from top", AEV_REQUEST, AEV_TOP_HIT, AEV_SPLIT);

	g = w_malloc(&w, 8);
	x = w_malloc(&w, 100);
	w_malloc(&w, 8);
	w_free(&w, x);
	w_malloc(&w, 100);
	RECORDED(&w, "small bin hit", AEV_REQUEST, AEV_SMALLBIN_HIT);
	ok(w_last(&w, 0)->bin == 14, "... from bin 14");

	y = w_malloc(&w, 200);
	w_malloc(&w, 8);
	w_free(&w, y);
	w_malloc(&w, 24);
	RECORDED(&w, "next small bin split (do_malloc's own way)",
	    AEV_REQUEST, AEV_SMALLBIN_EMPTY, AEV_SMALLBIN_HIT, AEV_SPLIT);
	w_malloc(&w, 24);
	RECORDED(&w, "small from dv", AEV_REQUEST, AEV_SMALLBIN_EMPTY,
	    AEV_DV_HIT, AEV_SPLIT);
	ok(w_last(&w, 0)->bin_kind == ALLOC_BIN_DV, "... the rest stays dv");

	/* Guards of 300 bytes from here on: a small one would come from dv,
	 * and the chunk before it would merge into top when freed. */
	t = w_malloc(&w, 4000);
	w_malloc(&w, 300);
	w_free(&w, t);
	w_malloc(&w, 1000);
	RECORDED(&w, "tree, remainder to a tree bin", AEV_REQUEST,
	    AEV_TREEBIN_HIT, AEV_SPLIT, AEV_BIN_INSERT);
	ok(w_last(&w, 0)->bin_kind == ALLOC_BIN_TREE, "... a tree bin");
	w_malloc(&w, 2900);
	RECORDED(&w, "tree, remainder to a small bin", AEV_REQUEST,
	    AEV_TREEBIN_HIT, AEV_SPLIT, AEV_BIN_INSERT);
	ok(w_last(&w, 0)->bin_kind == ALLOC_BIN_SMALL &&
	    w_last(&w, 0)->bin == 12, "... small bin 12");
	u = w_malloc(&w, 600);
	w_malloc(&w, 300);
	w_free(&w, u);
	w_malloc(&w, 600);
	RECORDED(&w, "tree, exact fit", AEV_REQUEST, AEV_TREEBIN_HIT);

	v = w_malloc(&w, 500);
	w_malloc(&w, 300);
	w_free(&w, v);
	w_malloc(&w, 2000);
	RECORDED(&w, "large, no tree chunk fits, top too small: the system "
	    "(do_malloc's own way, the request recorded once)", AEV_REQUEST,
	    AEV_SYS_ALLOC, AEV_SEGMENT_EXTENDED, AEV_TOP_HIT, AEV_SPLIT);
	w_malloc(&w, 2000);
	RECORDED(&w, "large, no tree chunk fits: top", AEV_REQUEST,
	    AEV_TOP_HIT, AEV_SPLIT);
	(void)g;
	ok(w.bad == 0, "ways: the same results, heaps and records on all four "
	    "(%d operations differed)", w.bad);
	ways_close(&w);

	/* A dv that fits better than any tree chunk. */
	ways_open(&w);
	w.label = "ways/dv";
	x = w_malloc(&w, 5000);
	w_malloc(&w, 8);
	y = w_malloc(&w, 8000);
	w_malloc(&w, 8);
	w_free(&w, x);
	w_malloc(&w, 24);
	RECORDED(&w, "small from a tree chunk (do_malloc's own way)",
	    AEV_REQUEST, AEV_SMALLBIN_EMPTY, AEV_TREEBIN_HIT, AEV_SPLIT);
	w_malloc(&w, 1000);
	RECORDED(&w, "large from dv", AEV_REQUEST, AEV_DV_HIT, AEV_SPLIT);
	w_free(&w, y);
	w_malloc(&w, 1000);
	RECORDED(&w, "large from dv, a worse tree chunk in its bin",
	    AEV_REQUEST, AEV_DV_HIT, AEV_SPLIT);
	w_calloc(&w, 10, 10);
	w_malloc(&w, 400000);
	RECORDED(&w, "mapped", AEV_REQUEST, AEV_MMAP_CHUNK);
	ok(w.bad == 0, "ways/dv: the same results, heaps and records on all "
	    "four (%d operations differed)", w.bad);
	ok(check_failures == c0, "checker clean after every operation");
	ways_close(&w);
}

/* A refusal on a short way: the request, then the corruption, no more. */
static void
test_event_ways_refused(void)
{
	struct heap		 h;
	struct evlist		 l = { 0 };
	struct alloc_events	 ev;
	struct alloc_event	 rec[64];
	char			*a, *t, *q;
	size_t			*head;
	size_t			 sv, n0;

	heap_open(&h);
	l.ms = h.ms;
	memset(&ev, 0, sizeof ev);
	ev.v = rec;
	ev.cap = 64;
	ev.full = evlist_full;
	ev.ctx = &l;
	alloc_set_events(h.a, &ev);
	a = M(&h, 100);
	M(&h, 8);
	t = M(&h, 3000);
	M(&h, 8);
	F(&h, a);
	F(&h, t);

	head = (size_t *)a - 1;		/* the free small chunk's head */
	sv = *head;
	*head = sv ^ 0x40;
	evlist_full(&ev);
	n0 = l.n;
	q = alloc_malloc(h.a, 100);
	evlist_full(&ev);
	ok(q == NULL && l.n == n0 + 2 && l.v[n0].kind == AEV_REQUEST &&
	    l.v[n0 + 1].kind == AEV_CORRUPTION, "refused small bin hit "
	    "records the request and the corruption");
	*head = sv;

	head = (size_t *)t - 1;		/* the free tree chunk's head */
	sv = *head;
	*head = sv | 2;
	n0 = l.n;
	q = alloc_malloc(h.a, 1000);
	evlist_full(&ev);
	ok(q == NULL && l.n == n0 + 2 && l.v[n0].kind == AEV_REQUEST &&
	    l.v[n0 + 1].kind == AEV_CORRUPTION, "refused tree split "
	    "records the request and the corruption");
	*head = sv;

	/* A bad top head: the large short way hands over to do_malloc. */
	{
		size_t	 tsz;
		char	*top = alloc_top(h.a, &tsz);

		head = (size_t *)(top + 8);
		sv = *head;
		*head = sv & ~(size_t)1;
		n0 = l.n;
		q = alloc_malloc(h.a, 5000);
		evlist_full(&ev);
		ok(q == NULL && l.n == n0 + 2 && l.v[n0].kind == AEV_REQUEST &&
		    l.v[n0 + 1].kind == AEV_CORRUPTION, "large request, bad "
		    "top: one request, then the corruption");
		*head = sv;
	}
	ok(alloc_check(h.a, NULL, 0) == 0, "heap whole again");
	heap_close(&h);

	/* The same for a small request (no bin, no tree, no dv to use). */
	heap_open(&h);
	l.ms = h.ms;
	l.n = 0;
	alloc_set_events(h.a, &ev);
	M(&h, 24);
	{
		size_t	 tsz;
		char	*top = alloc_top(h.a, &tsz);

		head = (size_t *)(top + 8);
		sv = *head;
		*head = sv & ~(size_t)1;
		evlist_full(&ev);
		n0 = l.n;
		q = alloc_malloc(h.a, 24);
		evlist_full(&ev);
		ok(q == NULL && l.n == n0 + 3 && l.v[n0].kind == AEV_REQUEST &&
		    l.v[n0 + 1].kind == AEV_SMALLBIN_EMPTY &&
		    l.v[n0 + 2].kind == AEV_CORRUPTION, "small request, bad "
		    "top: request, empty bin, corruption");
		*head = sv;
	}
	ok(alloc_check(h.a, NULL, 0) == 0, "heap whole again");
	free(l.v);
	heap_close(&h);
}

/* Random operations on the four heaps. */
static int
ways_random(uint64_t seed, int ops)
{
	struct ways	 w;
	struct wptr	 s[48];
	int		 i, bad;

	ways_open(&w);
	w.label = "random";
	rng = seed * 0x2545F4914F6CDD1DULL + 7;
	memset(s, 0, sizeof s);
	for (i = 0; i < ops; i++) {
		struct wptr	*t = &s[rnd() % 48];
		uint64_t	 op = rnd() % 10;

		if (t->p[0] == NULL) {
			size_t	n = rnd() % 4 == 0 ? rand_size() :
			    rnd() % 1200;

			*t = op == 0 ? w_calloc(&w, rnd() % 4 + 1, n / 4 + 1) :
			    w_malloc(&w, n);
		} else if (op < 2)
			*t = w_realloc(&w, *t, rnd() % 3000);
		else {
			w_free(&w, *t);
			memset(t, 0, sizeof *t);
		}
	}
	for (i = 0; i < 48; i++)
		if (s[i].p[0] != NULL)
			w_free(&w, s[i]);
	bad = w.bad;
	if (bad)
		diag("seed %llu: %d operations differed",
		    (unsigned long long)seed, bad);
	ways_close(&w);
	return bad == 0;
}

static void
test_event_ways_random(void)
{
	int		good = 0, seeds = getenv("HV_TEST_SEEDS") != NULL ?
			    atoi(getenv("HV_TEST_SEEDS")) : 30;
	int		c0 = check_failures;
	uint64_t	seed;

	if (seeds > 30)
		seeds = 30;
	for (seed = 1; seed <= (uint64_t)seeds; seed++)
		good += ways_random(seed, 3000);
	ok(good == seeds && check_failures == c0, "randomized: %d seeds x "
	    "3000 ops, recording or not, through the short ways or "
	    "do_malloc: the same results and heaps, the same records "
	    "(%d/%d)", seeds, good, seeds);
}

int
main(void)
{
	test_sizes();
	test_first_chunks();
	test_unaligned_break();
	test_smallbin_lifo();
	test_split_dv();
	test_coalesce();
	test_tree();
	test_mmap();
	test_trim();
	test_realloc();
	test_calloc();
	test_memalign();
	test_overflow();
	test_foreign_break();
	test_refusals();
	test_plain_free_refusals();
	test_merge_free_refusals();
	test_random();
	test_event_buffer();
	test_event_ways();
	test_event_ways_refused();
	test_event_ways_random();
	ok(check_failures == 0, "no checker violation anywhere");
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}
