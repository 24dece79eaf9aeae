/*
 * test-diff.c -- a differential test of the allocator core against a
 * reference model, speaking TAP.
 *
 * The model is the C contract with nothing of dlmalloc in it: one record
 * per live allocation holding its requested size and a host copy of its
 * contents.  Random sequences of malloc, calloc, realloc, reallocarray and
 * free (with realloc(NULL, n), realloc(p, 0), free(NULL), requests that
 * overflow or exceed PTRDIFF_MAX, writes into the blocks, and the program
 * moving the break itself) run on both, and after every operation:
 *
 *   - the result agrees with the model: NULL exactly when the model says
 *     the call must fail, and then errno is ENOMEM; on success, and after
 *     every free, errno is what it was before the call;
 *   - a failed realloc or reallocarray leaves the old block valid and
 *     unchanged; realloc keeps the first min(old, new) bytes; calloc's
 *     memory reads as zeros, even where it reuses dirty memory;
 *   - the block is 16-byte aligned and has at least the bytes asked for;
 *   - the invariant checker (alloc_check) finds nothing.
 *
 * Every 64 operations and at the end, every live block is compared with
 * the model and the blocks are checked not to overlap.  Sequences alternate
 * `checks strict` and `checks off` (which must make no difference to a
 * correct program) and vary the mmap and trim thresholds.
 *
 *	tests/test-diff [SEQUENCES [OPS]]	(default 200 x 1200; `make
 *						check-long` runs 10000 x 2000)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "memsrc.h"
#include "tap.h"

#define NSLOTS		64
#define SENTINEL	4242		/* errno before every call */
#define IMPOSSIBLE	((size_t)1 << 36)	/* more than the sim holds */

struct blk {
	unsigned char	*p;		/* the allocator's block, or NULL */
	size_t		 n;		/* bytes asked for */
	unsigned char	*model;		/* what the block must hold */
};

struct counts {
	unsigned long	ops, mallocs, callocs, reallocs, frees, fails,
			moves, writes;
};

static uint64_t	rng;
static struct counts total;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Mostly small, sometimes tree-sized, now and then mmap-sized. */
static size_t
rand_size(void)
{
	switch (rnd() % 16) {
	case 0:
		return rnd() % 24;
	case 1: case 2: case 3: case 4: case 5: case 6:
		return rnd() % 256;
	case 7: case 8: case 9: case 10:
		return rnd() % 2048;
	case 11: case 12:
		return rnd() % 16384;
	case 13:
		return rnd() % 300000;
	case 14:
		return (rnd() % 8) * 16 + 8 + rnd() % 3;
	default:
		return rnd() % 1100000;
	}
}

/* A request that must fail: too large for any memory, or past PTRDIFF_MAX. */
static size_t
rand_huge(void)
{
	static const size_t	v[] = {
		SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 15, SIZE_MAX - 16,
		SIZE_MAX - 4096, (size_t)PTRDIFF_MAX + 1, (size_t)PTRDIFF_MAX,
		(size_t)PTRDIFF_MAX - 4096, IMPOSSIBLE, (size_t)1 << 40,
		((size_t)-64 << 2) - 1, (size_t)-64 << 2,
	};

	return v[rnd() % (sizeof v / sizeof v[0])];
}

struct run {
	uint64_t	 seed;
	int		 op;
	struct alloc	*a;
	struct memsrc	*ms;
	struct blk	 b[NSLOTS];
	unsigned long	 divergences;
	char		 first[256];
};

static void __attribute__((format(printf, 2, 3)))
diverge(struct run *r, const char *fmt, ...)
{
	va_list	ap;
	char	msg[200];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->divergences++ == 0)
		snprintf(r->first, sizeof r->first, "seed %llu op %d: %s",
		    (unsigned long long)r->seed, r->op, msg);
}

static void
fill_random(unsigned char *p, unsigned char *m, size_t from, size_t to)
{
	unsigned char	pat = (unsigned char)rnd();
	size_t		i;

	for (i = from; i < to; i++)
		p[i] = m[i] = (unsigned char)(pat + i * 7);
}

static int
same(const struct blk *b)
{
	return b->p == NULL || b->n == 0 || memcmp(b->p, b->model, b->n) == 0;
}

static void
drop(struct blk *b)
{
	free(b->model);
	b->model = NULL;
	b->p = NULL;
	b->n = 0;
}

/* A successful result: aligned, big enough. */
static int
good_block(struct run *r, const void *p, size_t n, const char *call)
{
	if (((uintptr_t)p & 15) != 0) {
		diverge(r, "%s returned a misaligned %p", call, p);
		return 0;
	}
	if (alloc_usable_size(r->a, p) < n) {
		diverge(r, "%s(%zu): only %zu usable bytes", call, n,
		    alloc_usable_size(r->a, p));
		return 0;
	}
	return 1;
}

static void
expect_errno(struct run *r, int want, const char *call)
{
	if (errno != want)
		diverge(r, "%s: errno %d, want %d", call, errno, want);
}

static int
cmp_ptr(const void *x, const void *y)
{
	const struct blk	*a = x, *b = y;

	return a->p < b->p ? -1 : a->p > b->p;
}

static void
check_all(struct run *r)
{
	struct blk	sorted[NSLOTS];
	size_t		n = 0, i;

	for (i = 0; i < NSLOTS; i++) {
		if (r->b[i].p == NULL)
			continue;
		if (!same(&r->b[i]))
			diverge(r, "slot %zu: contents differ from the model",
			    i);
		sorted[n++] = r->b[i];
	}
	qsort(sorted, n, sizeof *sorted, cmp_ptr);
	for (i = 1; i < n; i++) {
		size_t	u = alloc_usable_size(r->a, sorted[i - 1].p);

		if (sorted[i - 1].p + u > sorted[i].p)
			diverge(r, "blocks at %p (+%zu) and %p overlap",
			    (void *)sorted[i - 1].p, u, (void *)sorted[i].p);
	}
}

/* One operation on slot t, against the model. */
static void
step(struct run *r, struct blk *t)
{
	unsigned	 op = (unsigned)(rnd() % 100);
	void		*q;
	size_t		 n, m;

	total.ops++;
	errno = SENTINEL;
	if (op < 25 || (t->p == NULL && op < 60)) {		/* malloc */
		bool	 huge = rnd() % 40 == 0;

		n = huge ? rand_huge() : rand_size();
		if (t->p != NULL) {
			if (alloc_free(r->a, t->p) != 0)
				diverge(r, "free of a live block refused");
			drop(t);
		}
		total.mallocs++;
		errno = SENTINEL;
		q = alloc_malloc(r->a, n);
		if (huge) {
			total.fails++;
			if (q != NULL)
				diverge(r, "malloc(%zu) succeeded", n);
			expect_errno(r, ENOMEM, "malloc(huge)");
			return;
		}
		if (q == NULL) {
			diverge(r, "malloc(%zu) failed, errno %d", n, errno);
			return;
		}
		expect_errno(r, SENTINEL, "malloc");
		if (!good_block(r, q, n, "malloc"))
			return;
		t->p = q;
		t->n = n;
		t->model = malloc(n + 1);
		fill_random(t->p, t->model, 0, n);
	} else if (op < 35) {					/* calloc */
		bool	 overflow = rnd() % 20 == 0;
		size_t	 i;

		if (overflow) {
			n = rnd() % 2 ? SIZE_MAX / 2 + 1 + rnd() % 1000 :
			    ((size_t)1 << 32) + rnd() % 5;
			m = rnd() % 2 ? 2 + rnd() % 100 :
			    ((size_t)1 << 32) + rnd() % 5;
			if (rnd() % 2) {
				size_t	x = n;

				n = m;
				m = x;
			}
		} else {
			n = rnd() % 9;
			m = n ? rand_size() / n : rand_size();
		}
		if (t->p != NULL) {
			if (alloc_free(r->a, t->p) != 0)
				diverge(r, "free of a live block refused");
			drop(t);
		}
		total.callocs++;
		errno = SENTINEL;
		q = alloc_calloc(r->a, n, m);
		if (overflow) {
			total.fails++;
			if (q != NULL)
				diverge(r, "calloc(%zu, %zu) overflowed but "
				    "succeeded", n, m);
			expect_errno(r, ENOMEM, "calloc(overflow)");
			return;
		}
		if (q == NULL) {
			diverge(r, "calloc(%zu, %zu) failed", n, m);
			return;
		}
		expect_errno(r, SENTINEL, "calloc");
		if (!good_block(r, q, n * m, "calloc"))
			return;
		for (i = 0; i < n * m; i++)
			if (((unsigned char *)q)[i] != 0) {
				diverge(r, "calloc(%zu, %zu): byte %zu is "
				    "0x%02x", n, m, i, ((unsigned char *)q)[i]);
				break;
			}
		t->p = q;
		t->n = n * m;
		t->model = calloc(1, t->n + 1);
	} else if (op < 60) {				/* realloc(array) */
		bool	 array = rnd() % 4 == 0;
		bool	 huge = rnd() % 25 == 0;
		bool	 zero = !huge && rnd() % 30 == 0;
		bool	 overflow = array && !huge && !zero &&
		    rnd() % 10 == 0;
		size_t	 want, keep;
		int	 err;

		if (huge)
			n = rand_huge(), m = 1;
		else if (zero)
			n = 0, m = 1;
		else if (overflow)
			n = SIZE_MAX / 3, m = 4 + rnd() % 10;
		else if (array)
			m = 1 + rnd() % 8, n = rand_size() / m;
		else
			n = rand_size(), m = 1;
		if (array && rnd() % 2) {
			size_t	x = n;

			n = m;
			m = x;
		}
		total.reallocs++;
		errno = SENTINEL;
		q = array ? alloc_reallocarray(r->a, t->p, n, m) :
		    alloc_realloc(r->a, t->p, n * m);
		err = errno;
		want = n * m;
		if (huge || overflow) {
			total.fails++;
			if (q != NULL)
				diverge(r, "realloc%s(%zu, %zu) succeeded",
				    array ? "array" : "", n, m);
			if (err != ENOMEM)
				diverge(r, "realloc%s(%s, %zu, %zu) failed with "
				    "errno %d, not ENOMEM", array ? "array" : "",
				    t->p ? "p" : "NULL", n, m, err);
			if (!same(t))
				diverge(r, "a failed realloc changed the block");
			if (t->p != NULL && alloc_usable_size(r->a, t->p) < t->n)
				diverge(r, "a failed realloc shrank the block");
			return;
		}
		if (want == 0 && t->p != NULL && !array) {
			/* realloc(p, 0): frees p, returns NULL (glibc). */
			if (q != NULL)
				diverge(r, "realloc(p, 0) returned %p", q);
			expect_errno(r, SENTINEL, "realloc(p, 0)");
			drop(t);
			return;
		}
		if (want == 0 && t->p != NULL && array) {
			/* reallocarray(p, 0, m) is realloc(p, 0) too. */
			if (q != NULL)
				diverge(r, "reallocarray(p, 0) returned %p", q);
			drop(t);
			return;
		}
		if (q == NULL) {
			diverge(r, "realloc(%zu) failed, errno %d", want, err);
			return;
		}
		errno = err;
		expect_errno(r, SENTINEL, "realloc");
		if (!good_block(r, q, want, "realloc"))
			return;
		if (q != t->p && t->p != NULL)
			total.moves++;
		keep = want < t->n ? want : t->n;
		if (t->p != NULL && keep > 0 && memcmp(q, t->model, keep) != 0)
			diverge(r, "realloc(%zu -> %zu) lost the contents",
			    t->n, want);
		t->model = realloc(t->model, want + 1);
		t->p = q;
		t->n = want;
		fill_random(t->p, t->model, keep, want);
	} else if (op < 80) {					/* free */
		total.frees++;
		if (alloc_free(r->a, t->p) != 0)
			diverge(r, "free refused: %s",
			    alloc_last_error(r->a)->what);
		expect_errno(r, SENTINEL, t->p ? "free" : "free(NULL)");
		drop(t);
	} else if (op < 97) {					/* write */
		if (t->p == NULL || t->n == 0)
			return;
		total.writes++;
		n = rnd() % t->n;
		m = n + rnd() % (t->n - n) + 1;
		fill_random(t->p, t->model, n, m);
	} else if (op < 98) {			/* the program moves the break */
		memsrc_sbrk(r->ms, (intptr_t)(rnd() % 9000));
	} else {						/* compare */
		if (!same(t))
			diverge(r, "contents differ from the model");
	}
}

/* One sequence; returns its divergences (the first is kept in *first). */
static unsigned long
sequence(uint64_t seed, int ops, char *first, size_t firstlen)
{
	struct run	r;
	char		v[4][160];
	int		i;

	memset(&r, 0, sizeof r);
	r.seed = seed;
	rng = seed * 0x9E3779B97F4A7C15ULL + 0x1234567;
	r.ms = memsrc_sim_create(NULL);
	if (r.ms == NULL) {
		printf("Bail out! cannot create the simulated memory\n");
		exit(1);
	}
	r.a = alloc_create(r.ms, NULL);
	if (seed % 2 == 0)
		alloc_set_checks(r.a, ALLOC_CHECKS_OFF);
	if (seed % 3 == 1)
		alloc_set_mmap_threshold(r.a, 4096 << (rnd() % 8));
	if (seed % 5 == 2)
		alloc_set_trim_threshold(r.a, rnd() % 3 ? 4096 * (rnd() % 64) :
		    SIZE_MAX);
	for (i = 0; i < ops && r.divergences == 0; i++) {
		r.op = i;
		step(&r, &r.b[rnd() % NSLOTS]);
		if (alloc_check(r.a, v, 4) != 0)
			diverge(&r, "checker: %s", v[0]);
		if (i % 64 == 63)
			check_all(&r);
	}
	check_all(&r);
	for (i = 0; i < NSLOTS; i++) {
		if (r.b[i].p != NULL && alloc_free(r.a, r.b[i].p) != 0)
			diverge(&r, "final free refused");
		drop(&r.b[i]);
	}
	if (alloc_check(r.a, v, 4) != 0)
		diverge(&r, "checker at the end: %s", v[0]);
	alloc_destroy(r.a);
	memsrc_destroy(r.ms);
	if (r.divergences)
		snprintf(first, firstlen, "%s", r.first);
	return r.divergences;
}

int
main(int argc, char **argv)
{
	unsigned long	seqs = argc > 1 ? strtoul(argv[1], NULL, 10) : 200;
	int		ops = argc > 2 ? atoi(argv[2]) : 1200;
	unsigned long	bad[2] = { 0, 0 }, div[2] = { 0, 0 }, seed;
	char		first[2][256] = { "", "" };
	static const uint64_t regress[] = { 2352 };
	unsigned long	nregress[2] = { 0, 0 };
	size_t		i;

	for (seed = 1; seed <= seqs; seed++) {
		char		f[256];
		int		mode = seed % 2 == 0;	/* 1: checks off */
		unsigned long	d = sequence(seed, ops, f, sizeof f);

		if (d != 0) {
			if (bad[mode]++ == 0)
				snprintf(first[mode], sizeof first[mode], "%s",
				    f);
			else if (bad[mode] <= 10)
				diag("also: %s", f);
			div[mode] += d;
		}
	}
	/*
	 * Seeds past the default count that once diverged, run every time:
	 * 2352 (checks off) unlinked a free chunk from its tree twice when
	 * an mmapped segment holding only that chunk was released.
	 */
	for (i = 0; i < sizeof regress / sizeof regress[0]; i++) {
		char		f[256];
		int		mode = regress[i] % 2 == 0;
		unsigned long	d;

		if (regress[i] <= seqs)
			continue;
		d = sequence(regress[i], 2000, f, sizeof f);
		if (d != 0) {
			if (bad[mode]++ == 0)
				snprintf(first[mode], sizeof first[mode], "%s",
				    f);
			div[mode] += d;
		}
		nregress[mode]++;
	}
	ok(bad[0] == 0, "checks strict: %lu sequences x %d operations, %lu "
	    "divergences from the model, checker clean after every "
	    "operation", (seqs + 1) / 2 + nregress[0], ops, div[0]);
	if (bad[0])
		diag("%lu sequences diverged; first: %s", bad[0], first[0]);
	ok(bad[1] == 0, "checks off: %lu sequences x %d operations, %lu "
	    "divergences from the model, checker clean after every "
	    "operation", seqs / 2 + nregress[1], ops, div[1]);
	if (bad[1])
		diag("%lu sequences diverged; first: %s", bad[1], first[1]);
	diag("%lu operations: %lu malloc, %lu calloc, %lu realloc (%lu "
	    "moved), %lu free, %lu writes, %lu calls that had to fail",
	    total.ops, total.mallocs, total.callocs, total.reallocs,
	    total.moves, total.frees, total.writes, total.fails);
	ok(total.fails > 0 && total.moves > 0 && total.callocs > 0,
	    "the sequences exercised failures, moves and calloc");
	tap_done();
	return tap_exit();
}
