/*
 * test-glibc-model.c -- the glibc 2.36 model through its interface,
 * speaking TAP: where chunks go and why (the events), the bytes glibc
 * keeps in them (safe-linked tcache and fastbin pointers, the key), each
 * malloc_printerr check reachable here with its exact message and the
 * heap untouched after the refusal, what glibc lets through (with its
 * warning, and strict mode's refusal), the thresholds, the walk, the
 * bins, the checker and saving/restoring.
 *
 * Expected offsets were read off the real glibc (tests/data/glibc).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glibc.h"
#include "memsrc.h"
#include "tap.h"

#define HEAP	((char *)(uintptr_t)SIM_HEAP_START)

struct h {
	struct memsrc	*ms;
	struct glibc	*g;
	int		 ev[GEV_ENOMEM + 1];
	int		 why[GEV_ENOMEM + 1];	/* the last why of each kind */
	int		 bin[GEV_ENOMEM + 1];
};

static void
hear(void *ctx, const struct glibc_event *e)
{
	struct h	*h = ctx;

	h->ev[e->kind]++;
	h->why[e->kind] = e->why;
	h->bin[e->kind] = e->bin;
}

static void
open_heap(struct h *h, enum glibc_checks checks)
{
	struct glibc_params	p = { 0, 0, 0, checks };

	memset(h, 0, sizeof *h);
	h->ms = memsrc_sim_create(NULL);
	if (h->ms == NULL) {
		printf("Bail out! no sim memory\n");
		exit(1);
	}
	h->g = glibc_create(h->ms, &p);
	glibc_set_hook(h->g, hear, h);
}

static void
close_heap(struct h *h)
{
	glibc_destroy(h->g);
	memsrc_destroy(h->ms);
}

static void
quiet(struct h *h)
{
	memset(h->ev, 0, sizeof h->ev);
}

static int
clean(struct h *h)
{
	char	v[4][160];
	size_t	n = glibc_check(h->g, v, 4);

	if (n != 0)
		diag("checker: %s", v[0]);
	return n == 0;
}

static size_t
off(const void *p)
{
	return (size_t)((const char *)p - HEAP);
}

static size_t
brk_off(struct h *h)
{
	return (size_t)(memsrc_break(h->ms) - SIM_HEAP_START);
}

/* ---- The memory, to show that a refusal changed nothing. ---- */

struct image {
	unsigned char	*b;
	size_t		 n;
	uint64_t	 brk;
};

static void
take(struct h *h, struct image *im)
{
	struct memsrc_range	rg[64];
	size_t			n = memsrc_ranges(h->ms, rg, 64), i, o = 0;

	im->n = 0;
	for (i = 0; i < n; i++)
		im->n += rg[i].len;
	im->b = malloc(im->n);
	for (i = 0; i < n; i++) {
		memcpy(im->b + o, rg[i].host, rg[i].len);
		o += rg[i].len;
	}
	im->brk = memsrc_break(h->ms);
}

static int
same(struct h *h, struct image *im)
{
	struct memsrc_range	rg[64];
	size_t			n = memsrc_ranges(h->ms, rg, 64), i, o = 0;
	int			ok_ = im->brk == memsrc_break(h->ms);

	for (i = 0; ok_ && i < n; i++) {
		if (o + rg[i].len > im->n ||
		    memcmp(rg[i].host, im->b + o, rg[i].len) != 0)
			ok_ = 0;
		o += rg[i].len;
	}
	free(im->b);
	return ok_ && o == im->n;
}

/* The call refused with glibc's message msg, the heap as it was. */
#define REFUSED(h, call, MSG, WHAT) do {				\
	struct image	im_;						\
	const struct glibc_error *e_;					\
	take(h, &im_);							\
	errno = 0;							\
	(void)(call);							\
	e_ = glibc_last_error((h)->g);					\
	ok(errno == EINVAL && e_->glibc != NULL &&			\
	    strcmp(e_->glibc, MSG) == 0, "%s: refused with \"%s\" (got "\
	    "\"%s\": %s)", WHAT, MSG, e_->glibc ? e_->glibc : "-",	\
	    e_->what);							\
	ok(same(h, &im_), "%s: the heap is byte for byte as before",	\
	    WHAT);							\
} while (0)

static void
test_first_malloc(void)
{
	struct h	h;
	char		*a, *b;

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 24);
	is_u(off(a), 0x2a0, "malloc(24) after the 0x290 tcache struct");
	is_u(brk_off(&h), 0x21000, "first sbrk: 0x290 + 0x20 + 128 KiB pad, "
	    "page-rounded");
	ok(glibc_tcache_struct(h.g) == HEAP, "the tcache struct is the "
	    "heap's first chunk");
	ok(h.ev[GEV_TCACHE_INIT] == 1 && h.ev[GEV_SYSMALLOC] == 1 &&
	    (h.why[GEV_SYSMALLOC] & GW_FIRST), "events: tcache init, the "
	    "first sysmalloc");
	b = glibc_malloc(h.g, 25);
	is_u(off(b), 0x2c0, "malloc(25) is a 0x30 chunk after it");
	is_u(glibc_request2size(24), 0x20, "request2size(24)");
	is_u(glibc_request2size(1032), 0x410, "request2size(1032)");
	is_u(glibc_tcache_index(0x410), 63, "0x410 is tcache bin 63");
	ok(glibc_tcache_index(0x420) == -1, "0x420 has no tcache bin");
	is_u(glibc_bin_index(0x400), 64, "0x400 is the first large bin");
	ok(clean(&h), "checker clean");
	close_heap(&h);
}

static void
test_tcache(void)
{
	struct h	 h;
	char		*p[9];
	uintptr_t	*w;
	int		 i;

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	for (i = 0; i < 9; i++)
		p[i] = glibc_malloc(h.g, 40);
	glibc_free(h.g, p[0]);
	glibc_free(h.g, p[1]);
	w = (uintptr_t *)p[1];
	is_u(w[0], ((uintptr_t)p[1] >> 12) ^ (uintptr_t)p[0],
	    "tcache next is PROTECT_PTR(&next, previous head)");
	is_u(w[1], GLIBC_TCACHE_KEY, "the key word holds tcache_key");
	is_u(glibc_tcache_count(h.g, 1), 2, "tcache bin 1 counts 2");
	ok(glibc_malloc(h.g, 40) == p[1], "last freed, first reused");
	is_u(w[1], 0, "the key is cleared on the way out");
	for (i = 2; i < 9; i++)
		glibc_free(h.g, p[i]);
	is_u(glibc_tcache_count(h.g, 1), 7, "the bin holds 7");
	ok(h.ev[GEV_FASTBIN_PUT] == 1 && h.bin[GEV_FASTBIN_PUT] == 1,
	    "the eighth went to fastbin 1");
	{
		void	*fb[4];

		is_u(glibc_bin_chunks(h.g, GLIBC_BIN_FAST, 1, fb, 4), 1,
		    "fastbin 1 lists one chunk");
		ok(fb[0] == p[8] - 16, "... the last freed");
	}
	ok(clean(&h), "checker clean with tcache and fastbin chunks");
	/* A fastbin hit moves the rest of the bin into the tcache. */
	for (i = 0; i < 7; i++)
		glibc_malloc(h.g, 40);
	quiet(&h);
	ok(glibc_malloc(h.g, 40) == p[8] && h.ev[GEV_FASTBIN_GET] == 1,
	    "with the tcache empty, the fastbin serves");
	/* calloc bypasses the tcache */
	glibc_free(h.g, p[3]);
	ok(glibc_calloc(h.g, 1, 40) != p[3], "calloc does not take the "
	    "tcache's chunk");
	close_heap(&h);
}

static void
test_double_frees(void)
{
	struct h	 h;
	char		*a, *b, *q[7], *x, *y;
	int		 i;

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 24);
	glibc_malloc(h.g, 24);
	glibc_free(h.g, a);
	REFUSED(&h, glibc_free(h.g, a), "free(): double free detected in "
	    "tcache 2", "tcache double free");
	close_heap(&h);

	/* fastbins: the head is checked, the rest is not */
	open_heap(&h, GLIBC_CHECKS_GLIBC);
	for (i = 0; i < 7; i++)
		q[i] = glibc_malloc(h.g, 24);
	a = glibc_malloc(h.g, 24);
	b = glibc_malloc(h.g, 24);
	for (i = 0; i < 7; i++)
		glibc_free(h.g, q[i]);
	glibc_free(h.g, a);
	REFUSED(&h, glibc_free(h.g, a), "double free or corruption (fasttop)",
	    "fastbin double free in a row");
	glibc_free(h.g, b);
	quiet(&h);
	ok(glibc_free(h.g, a) == 0 && h.ev[GEV_WARNING] == 1 &&
	    strstr(glibc_warning(h.g), "fastbin") != NULL,
	    "fastbin dup: glibc lets it through, with a warning");
	ok(!clean(&h), "the checker sees a chunk in a bin twice");
	for (i = 0; i < 7; i++)
		glibc_malloc(h.g, 24);
	x = glibc_malloc(h.g, 24);
	glibc_malloc(h.g, 24);
	y = glibc_malloc(h.g, 24);
	ok(x == a && y == a, "two mallocs return the same block (how2heap's "
	    "fastbin_dup)");
	close_heap(&h);

	open_heap(&h, GLIBC_CHECKS_STRICT);
	for (i = 0; i < 7; i++)
		q[i] = glibc_malloc(h.g, 24);
	a = glibc_malloc(h.g, 24);
	b = glibc_malloc(h.g, 24);
	for (i = 0; i < 7; i++)
		glibc_free(h.g, q[i]);
	glibc_free(h.g, a);
	glibc_free(h.g, b);
	errno = 0;
	ok(glibc_free(h.g, a) == -1 && glibc_last_error(h.g)->strict &&
	    glibc_last_error(h.g)->glibc == NULL, "strict refuses the "
	    "fastbin dup as heapviz's own refusal");
	ok(clean(&h), "... and the heap stays sound");
	close_heap(&h);

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 2000);
	glibc_malloc(h.g, 24);
	glibc_free(h.g, a);
	REFUSED(&h, glibc_free(h.g, a), "double free or corruption (!prev)",
	    "double free of a 2000-byte block");
	close_heap(&h);

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 1300);
	glibc_free(h.g, a);
	REFUSED(&h, glibc_free(h.g, a), "double free or corruption (top)",
	    "double free of a block merged into top");
	close_heap(&h);

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 1300);
	b = glibc_malloc(h.g, 1300);
	glibc_free(h.g, b);
	glibc_free(h.g, a);
	REFUSED(&h, glibc_free(h.g, b), "double free or corruption (out)",
	    "double free of a block inside top");
	close_heap(&h);

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 200000);
	glibc_free(h.g, a);
	errno = 0;
	ok(glibc_free(h.g, a) == -1 && glibc_last_error(h.g)->segv,
	    "double free of an unmapped block: refused as glibc's crash");
	close_heap(&h);
}

static void
test_corruption(void)
{
	struct h	 h;
	char		*a, *b, *c;
	size_t		*hd;

	/* the example: p1 overflows into p2's size */
	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 24);
	b = glibc_malloc(h.g, 24);
	memset(a, 'A', 24 + 8);		/* over b's size word */
	ok(glibc_free(h.g, a) == 0, "free p1: glibc caches it and carries "
	    "on");
	REFUSED(&h, glibc_free(h.g, b), "double free or corruption (out)",
	    "free p2 with its size overwritten by 'A's");
	close_heap(&h);

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 100);
	REFUSED(&h, glibc_free(h.g, a + 8), "free(): invalid pointer",
	    "free of a misaligned pointer");
	hd = (size_t *)(void *)(a + 100 + 4);	/* top's size */
	*(size_t *)(a + 104) = 0xffffffffffffff01;	/* house of force */
	(void)hd;
	REFUSED(&h, glibc_malloc(h.g, 5000), "malloc(): corrupted top size",
	    "malloc after top's size was overwritten");
	close_heap(&h);

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 40);
	b = glibc_malloc(h.g, 40);
	glibc_free(h.g, a);
	glibc_free(h.g, b);
	*(uintptr_t *)b = 0x4141;	/* the head's next pointer */
	glibc_malloc(h.g, 40);
	REFUSED(&h, glibc_malloc(h.g, 40), "malloc(): unaligned tcache chunk "
	    "detected", "malloc with a poisoned tcache pointer");
	close_heap(&h);

	/* poisoned to an aligned address nobody mapped: glibc would crash */
	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 40);
	b = glibc_malloc(h.g, 40);
	glibc_free(h.g, a);
	glibc_free(h.g, b);
	*(uintptr_t *)b = ((uintptr_t)b >> 12) ^ 0x4141414141414140;
	glibc_set_hook(h.g, NULL, NULL);	/* the fast path too */
	ok(glibc_malloc(h.g, 40) == b, "the poisoned head's chunk comes out");
	{
		struct image	im;

		take(&h, &im);
		errno = 0;
		ok(glibc_malloc(h.g, 40) == NULL && errno == EINVAL &&
		    glibc_last_error(h.g)->segv, "the next malloc would follow "
		    "0x4141414141414140: refused as glibc's crash");
		ok(same(&h, &im), "... the heap as it was");
	}
	close_heap(&h);

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 3000);
	b = glibc_malloc(h.g, 24);
	c = glibc_malloc(h.g, 3000);
	glibc_malloc(h.g, 24);
	glibc_free(h.g, a);
	((size_t *)(void *)a)[1] = (size_t)(b - 16);	/* a's bk */
	REFUSED(&h, glibc_malloc(h.g, 5000), "malloc(): unsorted double "
	    "linked list corrupted", "malloc over a damaged unsorted chunk");
	((size_t *)(void *)a)[1] = 0x4141414141414140;
	{
		struct image	im;

		take(&h, &im);
		errno = 0;
		ok(glibc_malloc(h.g, 5000) == NULL && errno == EINVAL &&
		    glibc_last_error(h.g)->segv, "a wild bk: refused as the "
		    "crash glibc would have, not followed");
		ok(same(&h, &im), "... the heap as it was");
	}
	(void)c;
	close_heap(&h);

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 3000);
	glibc_malloc(h.g, 24);
	glibc_free(h.g, a);
	((size_t *)(void *)a)[-1] = 0x11;	/* its size */
	REFUSED(&h, glibc_malloc(h.g, 5000), "malloc(): invalid size "
	    "(unsorted)", "malloc over an unsorted chunk of size 0x10");
	close_heap(&h);

	/* a free that merges with a chunk whose size disagrees */
	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 3000);
	b = glibc_malloc(h.g, 3000);
	glibc_malloc(h.g, 24);
	glibc_free(h.g, a);
	((size_t *)(void *)a)[-1] = 0xbd1;	/* a's size, 0x10 short */
	REFUSED(&h, glibc_free(h.g, b), "corrupted size vs. prev_size while "
	    "consolidating", "free next to a free chunk with a wrong size");
	close_heap(&h);

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 200000);
	((size_t *)(void *)a)[-2] = 16;	/* prev_size: the mapping's offset */
	REFUSED(&h, glibc_free(h.g, a), "munmap_chunk(): invalid pointer",
	    "free of a mapped chunk with a damaged prev_size");
	REFUSED(&h, glibc_realloc(h.g, a, 300000), "mremap_chunk(): invalid "
	    "pointer", "realloc of it");
	close_heap(&h);

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 2000);
	glibc_malloc(h.g, 24);
	((size_t *)(void *)a)[-1] = 0x100000001;	/* past system_mem */
	REFUSED(&h, glibc_realloc(h.g, a, 3000), "realloc(): invalid old "
	    "size", "realloc with the old size overwritten");
	((size_t *)(void *)a)[-1] = 0x11;	/* 0x10: the next header */
	REFUSED(&h, glibc_realloc(h.g, a, 3000), "realloc(): invalid next "
	    "size", "realloc with the old size 0x10");
	close_heap(&h);

	/* the checker sees damage glibc has not met yet */
	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 3000);
	glibc_malloc(h.g, 24);
	glibc_free(h.g, a);
	ok(clean(&h), "checker clean before");
	((size_t *)(void *)a)[0] = (size_t)a;	/* fd */
	ok(!clean(&h), "checker: a damaged fd link");
	close_heap(&h);
}

/*
 * The short ways (no hook, glibc's checks) write without the journal: a
 * merging free keeps the words its unlinks wrote and puts them back when
 * a later check fails, then the whole way refuses with glibc's words.
 */
static void
test_short_ways(void)
{
	struct h	 h;
	char		*a, *b, *c, *e, *f[8];
	int		 i;

	/* the unlink of the chunk above fails after the one below was
	 * unlinked (its fd is healed by that unlink, its bk is not) */
	open_heap(&h, GLIBC_CHECKS_GLIBC);
	glibc_set_hook(h.g, NULL, NULL);
	a = glibc_malloc(h.g, 3000);
	b = glibc_malloc(h.g, 3000);
	c = glibc_malloc(h.g, 3000);
	glibc_malloc(h.g, 24);
	glibc_free(h.g, a);
	glibc_free(h.g, c);
	((size_t *)(void *)c)[1] = (size_t)(b - 16);	/* c's bk */
	REFUSED(&h, glibc_free(h.g, b), "corrupted double-linked list",
	    "short way: free between two free chunks, the upper one's bk "
	    "damaged");
	close_heap(&h);

	/* the unsorted bin's first chunk does not link back, found after
	 * the chunk below was unlinked and the next one's bit cleared */
	open_heap(&h, GLIBC_CHECKS_GLIBC);
	glibc_set_hook(h.g, NULL, NULL);
	a = glibc_malloc(h.g, 3000);
	b = glibc_malloc(h.g, 3000);
	glibc_malloc(h.g, 24);
	e = glibc_malloc(h.g, 3000);
	glibc_malloc(h.g, 24);
	glibc_free(h.g, a);
	glibc_free(h.g, e);
	((size_t *)(void *)e)[1] = (size_t)(b - 16);	/* e's bk */
	REFUSED(&h, glibc_free(h.g, b), "free(): corrupted unsorted chunks",
	    "short way: free merging down, the unsorted bin's head damaged");
	close_heap(&h);

	/* _int_malloc stops logging after its last check: a refusal at an
	 * unlink after the unsorted bin was sorted still undoes the sort */
	open_heap(&h, GLIBC_CHECKS_GLIBC);
	glibc_set_hook(h.g, NULL, NULL);
	a = glibc_malloc(h.g, 3000);
	glibc_malloc(h.g, 24);
	b = glibc_malloc(h.g, 2000);
	glibc_malloc(h.g, 24);
	glibc_free(h.g, a);
	glibc_malloc(h.g, 5000);		/* a into its large bin */
	glibc_free(h.g, b);			/* b waits unsorted */
	((size_t *)(void *)a)[0] = (size_t)(b - 16);	/* a's fd */
	REFUSED(&h, glibc_malloc(h.g, 2500), "corrupted double-linked list",
	    "short way: malloc sorting b, then splitting a with its fd "
	    "damaged");
	close_heap(&h);

	/* a merge down and into top past 64 KiB with a fastbin chunk
	 * waiting: the consolidation that follows finds that chunk's size
	 * overwritten */
	open_heap(&h, GLIBC_CHECKS_GLIBC);
	glibc_set_hook(h.g, NULL, NULL);
	for (i = 0; i < 8; i++)
		f[i] = glibc_malloc(h.g, 40);
	glibc_malloc(h.g, 24);
	a = glibc_malloc(h.g, 3000);
	b = glibc_malloc(h.g, 3000);
	for (i = 0; i < 8; i++)
		glibc_free(h.g, f[i]);		/* 7 cached, 1 in a fastbin */
	glibc_free(h.g, a);			/* b merges down, then up */
	((size_t *)(void *)f[7])[-1] = 0x41;	/* its size */
	REFUSED(&h, glibc_free(h.g, b), "malloc_consolidate(): invalid "
	    "chunk size", "short way: free into top past 64 KiB, a fastbin "
	    "chunk's size damaged");
	((size_t *)(void *)f[7])[-1] = 0x31;
	ok(glibc_free(h.g, b) == 0 && clean(&h), "... repaired, the same "
	    "free goes through");
	close_heap(&h);
}

/*
 * One call running another that refuses late: everything the first part
 * wrote is undone.  realloc of a chunk already in the tcache (glibc does
 * not look) that must move: its malloc sorts the unsorted bin and takes
 * an exact fit, the copy overwrites that chunk's links, then the free of
 * the old chunk finds it in the tcache and aborts.
 */
static void
realloc_cached_moves(bool hook)
{
	struct h	 h;
	char		*a, *b, *c;
	const char	*how = hook ? "listened to" : "no listener";

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	if (!hook)
		glibc_set_hook(h.g, NULL, NULL);
	a = glibc_malloc(h.g, 1024);		/* 0x410: tcache bin 63 */
	glibc_malloc(h.g, 24);
	b = glibc_malloc(h.g, 3000);
	glibc_malloc(h.g, 24);
	c = glibc_malloc(h.g, 2000);		/* 0x7e0 */
	glibc_malloc(h.g, 24);
	glibc_free(h.g, b);			/* oldest in the unsorted bin */
	glibc_free(h.g, c);
	glibc_free(h.g, a);
	memset(c + 16, 0x5a, 64);	/* bytes past c's links, to copy over */
	ok(clean(&h), "realloc of a cached chunk (%s): checker clean before",
	    how);
	REFUSED(&h, glibc_realloc(h.g, a, 2000), "free(): double free "
	    "detected in tcache 2", hook ? "realloc of a cached chunk that "
	    "moves into an exact fit after sorting (listened to)" :
	    "realloc of a cached chunk that moves into an exact fit after "
	    "sorting (no listener)");
	ok(clean(&h), "... (%s) the checker still finds the heap whole", how);
	/* the same refusal after the heap had to grow for the new block
	 * (top holds 128352 bytes), and after a mapping was made for it */
	REFUSED(&h, glibc_realloc(h.g, a, 131000), "free(): double free "
	    "detected in tcache 2", hook ? "realloc of a cached chunk that "
	    "moves into a grown heap (listened to)" : "realloc of a cached "
	    "chunk that moves into a grown heap (no listener)");
	REFUSED(&h, glibc_realloc(h.g, a, 200000), "free(): double free "
	    "detected in tcache 2", hook ? "realloc of a cached chunk that "
	    "moves into a mapping (listened to)" : "realloc of a cached "
	    "chunk that moves into a mapping (no listener)");
	ok(clean(&h) && glibc_malloc(h.g, 1024) == a, "... (%s) and the "
	    "tcache still hands the chunk out", how);
	close_heap(&h);
}

static void
test_nested_refusals(void)
{
	struct h	 h;
	char		*f[8];
	int		 i;
	size_t		 before;

	realloc_cached_moves(true);
	realloc_cached_moves(false);

	/* mallopt consolidates first: a damaged fastbin chunk refuses the
	 * setting, and nothing of the consolidation stays */
	open_heap(&h, GLIBC_CHECKS_GLIBC);
	for (i = 0; i < 8; i++)
		f[i] = glibc_malloc(h.g, 40);
	glibc_malloc(h.g, 24);
	for (i = 0; i < 8; i++)
		glibc_free(h.g, f[i]);		/* 7 cached, 1 in a fastbin */
	before = glibc_mmap_threshold(h.g);
	((size_t *)(void *)f[7])[-1] = 0x41;	/* its size */
	REFUSED(&h, glibc_set_mmap_threshold(h.g, 0x40000),
	    "malloc_consolidate(): invalid chunk size", "set mmap_threshold "
	    "with a fastbin chunk's size damaged");
	ok(glibc_mmap_threshold(h.g) == before && glibc_dynamic_threshold(h.g),
	    "... the threshold and its raise are as they were");
	close_heap(&h);
}

/*
 * A list that closes into a circle past its head (a link overwritten):
 * the bins list each chunk once, and the checker says so once, instead
 * of following the circle a million times round (a random session's
 * snapshots once grew to gigabytes that way).
 */
static void
test_looping_lists(void)
{
	struct h	 h;
	char		*t[3], *a, *c, v[64][160];
	void		*out[16];
	size_t		 n, i, loops = 0;

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	for (i = 0; i < 3; i++)
		t[i] = glibc_malloc(h.g, 24);
	a = glibc_malloc(h.g, 3000);
	glibc_malloc(h.g, 24);
	c = glibc_malloc(h.g, 3000);
	glibc_malloc(h.g, 24);
	for (i = 0; i < 3; i++)
		glibc_free(h.g, t[i]);		/* tcache 0: t2, t1, t0 */
	glibc_free(h.g, a);
	glibc_free(h.g, c);			/* unsorted: c, a */
	/* t0's next back to t1 (safe-linked), a's fd and c's bk round */
	((uintptr_t *)(void *)t[0])[0] = ((uintptr_t)t[0] >> 12) ^
	    (uintptr_t)t[1];
	((char **)(void *)a)[0] = c - 16;
	((char **)(void *)c)[1] = a - 16;
	n = glibc_bin_chunks(h.g, GLIBC_BIN_TCACHE, 0, out, 16);
	ok(n == 3 && out[0] == t[2] - 16 && out[2] == t[0] - 16,
	    "a tcache list looping past its head lists its 3 chunks once "
	    "(got %zu)", n);
	n = glibc_bin_chunks(h.g, GLIBC_BIN_UNSORTED, 1, out, 16);
	ok(n == 2, "an unsorted bin looping past its head lists its 2 "
	    "chunks once (got %zu)", n);
	n = glibc_check(h.g, v, 64);
	for (i = 0; i < n && i < 64; i++)
		loops += strstr(v[i], "come back to chunk") != NULL;
	ok(n > 0 && n < 20 && loops == 1, "the checker names the fd loop "
	    "once, with a few other words (%zu violations)", n);
	close_heap(&h);
}

static void
test_bins(void)
{
	struct h	 h;
	char		*a, *b, *p[20];
	void		*v[8];
	int		 i;

	/* the unsorted bin and the last remainder */
	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 3000);
	glibc_malloc(h.g, 24);
	glibc_free(h.g, a);
	is_u(glibc_bin_chunks(h.g, GLIBC_BIN_UNSORTED, 1, v, 8), 1,
	    "a freed 3000-byte block waits in the unsorted bin");
	quiet(&h);
	b = glibc_malloc(h.g, 100);
	ok(b == a && h.ev[GEV_UNSORTED_SORTED] == 1 &&
	    h.ev[GEV_BINMAP_SCAN] == 1 && h.ev[GEV_SPLIT] == 1,
	    "malloc(100): sorted into a bin, found by the binmap, split");
	ok(glibc_last_remainder(h.g) == a - 16 + 0x70, "the rest is the last "
	    "remainder");
	quiet(&h);
	b = glibc_malloc(h.g, 100);
	ok(b == a + 0x70 && h.ev[GEV_UNSORTED_TAKEN] == 1 &&
	    h.why[GEV_UNSORTED_TAKEN] == GW_LAST_REMAINDER,
	    "the next small request splits the last remainder");
	ok(clean(&h), "checker clean");
	close_heap(&h);

	/* consolidation on a large request */
	open_heap(&h, GLIBC_CHECKS_GLIBC);
	for (i = 0; i < 17; i++)
		p[i] = glibc_malloc(h.g, 24);
	glibc_malloc(h.g, 24);
	for (i = 0; i < 17; i++)
		glibc_free(h.g, p[i]);
	quiet(&h);
	a = glibc_malloc(h.g, 2000);
	ok(h.ev[GEV_CONSOLIDATE] == 1 &&
	    h.why[GEV_CONSOLIDATE] == GW_LARGE_REQUEST,
	    "a large request consolidates the fastbins");
	{
		void	*v[2];

		ok(glibc_bin_chunks(h.g, GLIBC_BIN_SMALL, 20, v, 2) == 1 &&
		    v[0] == p[7] - 16, "... the ten merged into one 0x140 "
		    "chunk, sorted into small bin 20; the request from top");
		ok(a > p[16], "... (%p)", (void *)a);
	}
	ok(clean(&h), "checker clean");
	close_heap(&h);

	/* large bins keep sizes in order */
	open_heap(&h, GLIBC_CHECKS_GLIBC);
	for (i = 0; i < 6; i++) {
		p[i] = glibc_malloc(h.g, 1080 + (size_t)(i % 3) * 16);
		glibc_malloc(h.g, 24);
	}
	for (i = 0; i < 6; i++)
		glibc_free(h.g, p[i]);
	glibc_malloc(h.g, 5000);
	is_u(glibc_bin_chunks(h.g, GLIBC_BIN_LARGE, 65, v, 8), 6,
	    "six chunks sorted into large bin 65");
	{
		int	sorted = 1;

		for (i = 1; i < 6; i++)
			if (((size_t *)v[i])[1] > ((size_t *)v[i - 1])[1])
				sorted = 0;
		ok(sorted, "largest first");
	}
	ok(glibc_binmap(h.g, 2) & 2, "binmap bit of bin 65 set");
	ok(clean(&h), "checker clean");
	close_heap(&h);
}

static void
test_thresholds(void)
{
	struct h	 h;
	char		*a, *b;
	size_t		 brk;

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 200000);
	ok(a != NULL && brk_off(&h) == 0x21000 && h.ev[GEV_MMAP_CHUNK] == 1,
	    "200000 bytes: a mapping of its own");
	glibc_free(h.g, a);
	is_u(glibc_mmap_threshold(h.g), 0x31000, "freeing it raised the mmap "
	    "threshold to its size");
	is_u(glibc_trim_threshold(h.g), 0x62000, "... and the trim threshold "
	    "to twice that");
	b = glibc_malloc(h.g, 150000);
	ok(b != NULL && off(b) == 0x2a0 && brk_off(&h) == 0x45000,
	    "150000 now comes from the heap");
	glibc_free(h.g, b);
	ok(brk_off(&h) == 0x45000 && h.ev[GEV_TRIM] == 0, "freeing it does "
	    "not trim: top is below the raised trim threshold");
	close_heap(&h);

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 100000);
	b = glibc_malloc(h.g, 100000);
	brk = brk_off(&h);
	glibc_free(h.g, b);
	glibc_free(h.g, a);
	ok(brk_off(&h) == 0x21000 && h.ev[GEV_TRIM] == 2, "with the default "
	    "thresholds, freeing 200 KB trims top (break 0x%zx -> 0x%zx)",
	    brk, brk_off(&h));
	close_heap(&h);

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	ok(glibc_set_mmap_threshold(h.g, 0x40000) == 1 &&
	    !glibc_dynamic_threshold(h.g), "setting the threshold by hand "
	    "turns the raise off");
	a = glibc_malloc(h.g, 300000);
	glibc_free(h.g, a);
	is_u(glibc_mmap_threshold(h.g), 0x40000, "... freeing a mapping no "
	    "longer moves it");
	ok(glibc_set_mmap_threshold(h.g, 64 << 20) == 0, "above 32 MiB is "
	    "refused, as mallopt does");
	close_heap(&h);

	/* realloc of mapped chunks */
	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 200000);
	memset(a, 7, 200000);
	quiet(&h);
	a = glibc_realloc(h.g, a, 1000000);
	ok(a != NULL && h.ev[GEV_MREMAP_CHUNK] == 1 && a[199999] == 7,
	    "a mapped chunk grows by mremap, contents kept");
	ok(glibc_realloc(h.g, a, 0) == NULL && h.ev[GEV_MUNMAP_CHUNK] == 1,
	    "realloc(p, 0) frees and returns NULL");
	close_heap(&h);
}

static void
test_aligned(void)
{
	struct h	 h;
	void		*p = NULL;

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	ok(((uintptr_t)glibc_memalign(h.g, 4096, 100) & 4095) == 0,
	    "memalign(4096)");
	ok(((uintptr_t)glibc_aligned_alloc(h.g, 64, 10) & 63) == 0,
	    "aligned_alloc(64)");
	ok(glibc_posix_memalign(h.g, &p, 256, 10) == 0 &&
	    ((uintptr_t)p & 255) == 0, "posix_memalign(256)");
	ok(glibc_posix_memalign(h.g, &p, 24, 10) == EINVAL,
	    "posix_memalign: 24 is not a power of two");
	ok(clean(&h), "checker clean after the leading and trailing pieces");
	close_heap(&h);
}

static void
test_save_restore(void)
{
	struct h		 h;
	struct glibc_saved	*sv;
	void			*top0, *top1, *a;

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	glibc_malloc(h.g, 24);
	top0 = glibc_top(h.g, NULL);
	sv = glibc_save(h.g);
	a = glibc_malloc(h.g, 300000);
	glibc_free(h.g, a);
	glibc_malloc(h.g, 5000);
	top1 = glibc_top(h.g, NULL);
	glibc_restore(h.g, sv);
	ok(top1 != top0 && glibc_top(h.g, NULL) == top0 &&
	    glibc_mmap_threshold(h.g) == GLIBC_DEFAULT_MMAP_THRESHOLD,
	    "restore puts back top and the thresholds");
	glibc_saved_free(sv);
	close_heap(&h);
}

struct walkc {
	int	n, tstruct, top, free_tc;
};

static void
walk_one(void *ctx, const struct glibc_chunk *c)
{
	struct walkc	*w = ctx;

	w->n++;
	if (c->state == GLIBC_CHUNK_TCACHE_STRUCT)
		w->tstruct++;
	if (c->state == GLIBC_CHUNK_TOP)
		w->top++;
	if (c->state == GLIBC_CHUNK_FREE && c->bin_kind == GLIBC_BIN_TCACHE)
		w->free_tc++;
}

static void
test_walk(void)
{
	struct h	h;
	struct walkc	w = { 0, 0, 0, 0 };
	void		*a;

	open_heap(&h, GLIBC_CHECKS_GLIBC);
	a = glibc_malloc(h.g, 24);
	glibc_malloc(h.g, 24);
	glibc_free(h.g, a);
	glibc_malloc(h.g, 200000);
	glibc_walk(h.g, walk_one, &w);
	ok(w.n == 5 && w.tstruct == 1 && w.top == 1 && w.free_tc == 1,
	    "walk: tcache struct, a cached chunk (free, in-use bit set), a "
	    "chunk, top, a mapped chunk (%d chunks)", w.n);
	close_heap(&h);
}

int
main(void)
{
	test_first_malloc();
	test_tcache();
	test_double_frees();
	test_corruption();
	test_short_ways();
	test_nested_refusals();
	test_looping_lists();
	test_bins();
	test_thresholds();
	test_aligned();
	test_save_restore();
	test_walk();
	tap_done();
	return tap_exit();
}
