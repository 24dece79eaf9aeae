/*
 * trace-glibc.c -- a program for the glibc model to follow: every kind of
 * call glibc's malloc places differently, made by the main thread, so
 * that `trace` can check that the model put each block where glibc did.
 *
 *   trace-glibc mix      sizes around the tcache, fastbin, small, large and
 *                        mmap thresholds, frees that fill the tcache and
 *                        spill into the fastbins and the unsorted bin, a
 *                        large request that consolidates, the mmap
 *                        threshold raising itself, a trim, realloc in
 *                        place, moving and of a mapped block, calloc, the
 *                        aligned allocators, printf's buffer, and a few
 *                        thousand pseudo-random calls
 *   trace-glibc dup      a fastbin double free glibc does not catch: the
 *                        same block comes back twice
 *   trace-glibc tcache2  a tcache double free glibc catches: it aborts
 *   trace-glibc thread   a thread makes calls in its own arena while the
 *                        main thread makes its own, and frees one of the
 *                        main thread's blocks
 *   trace-glibc wait F   mix, then waits (up to a minute) until the file F
 *                        is there, then mix again: a test can look at
 *                        heapviz while the program runs
 *
 * Every block is written to, so the compiler keeps every call.
 */
#include <sys/stat.h>

#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void
use(void *p)
{
	if (p != NULL)
		*(volatile char *)p = 1;
}

static void *
m(size_t n)
{
	void	*p = malloc(n);

	use(p);
	return p;
}

static void
mix(void)
{
	void		*t[8], *f[10], *s[4], *big, *mm, *a, *b, *c;
	void		*slot[64] = { 0 };
	unsigned	 x = 12345;
	int		 i;

	/* tcache: 24..1032 bytes, last freed first reused */
	for (i = 0; i < 8; i++)
		t[i] = m(24 + 16 * (size_t)i);
	for (i = 0; i < 8; i++)
		free(t[i]);
	for (i = 0; i < 8; i++)
		t[i] = m(24 + 16 * (size_t)(7 - i));
	a = m(1032);		/* the last tcache size */
	b = m(1033);		/* the first beyond it */
	free(a);
	free(b);
	/* fastbins: seven fill the tcache, three more go to the fastbin */
	for (i = 0; i < 10; i++)
		f[i] = m(40);
	for (i = 0; i < 10; i++)
		free(f[i]);
	/* small and large chunks through the unsorted bin */
	s[0] = m(600);
	a = m(24);
	s[1] = m(3000);
	b = m(24);
	s[2] = m(5000);
	c = m(24);
	s[3] = m(600);
	free(s[0]);
	free(s[1]);
	free(s[2]);
	a = m(200);		/* split from the unsorted bin */
	b = m(2500);		/* sorts the rest into their bins */
	big = m(70000);		/* large request: malloc_consolidate */
	for (i = 0; i < 7; i++)
		t[i] = m(40);	/* empties the tcache for 48-byte chunks */
	(void)c;
	/* mmap: at and around the threshold, then the threshold rises */
	mm = m(128 * 1024 - 24);
	a = m(128 * 1024);
	b = m(200000);
	free(b);		/* a mapped free: threshold rises to 200 KiB+ */
	b = m(200000);		/* now from the heap */
	c = m(300000);		/* still mapped */
	/* realloc: grow in place into top, shrink, move, mapped, zero */
	free(big);
	big = realloc(b, 210000);
	use(big);
	big = realloc(big, 1000);
	a = realloc(a, 140000);	/* a mapped block: mremap */
	use(a);
	c = realloc(c, 600000);
	use(c);
	b = m(100);
	b = realloc(b, 4000);	/* moves */
	use(b);
	b = realloc(b, 0);	/* frees, and returns NULL */
	if (b != NULL)
		free(b);
	/* calloc and the aligned allocators */
	use(calloc(10, 100));
	use(calloc(1, 300000));
	use(memalign(64, 300));
	use(memalign(4096, 5000));
	use(aligned_alloc(256, 512));
	if (posix_memalign(&a, 128, 1000) == 0)
		use(a);
	use(valloc(100));
	use(pvalloc(5000));
	/* printf's buffer comes from malloc too */
	printf("mix: %p\n", mm);
	fflush(stdout);
	free(mm);
	free(c);
	/* pseudo-random calls over every size class */
	for (i = 0; i < 3000; i++) {
		unsigned	k;
		size_t		n;

		x = x * 1103515245 + 12345;
		k = (x >> 16) % 64;
		x = x * 1103515245 + 12345;
		switch ((x >> 16) % 4) {
		case 0: n = 1 + (x >> 8) % 120; break;
		case 1: n = 1 + (x >> 8) % 1100; break;
		case 2: n = 1000 + (x >> 8) % 20000; break;
		default: n = 60000 + (x >> 8) % 200000; break;
		}
		if (slot[k] != NULL) {
			if ((x >> 4) % 3 == 0) {
				slot[k] = realloc(slot[k], n);
				use(slot[k]);
			} else {
				free(slot[k]);
				slot[k] = NULL;
			}
		} else
			slot[k] = m(n);
	}
	for (i = 0; i < 64; i++)
		free(slot[i]);
	/* a trim: the top grows past the trim threshold, then is freed */
	a = m(400000 - 24 * 1024);
	b = m(300000);
	free(b);
	free(a);
}

static void
dup(void)
{
	void		*t[7], *c, *d, *e;
	void * volatile	 a, * volatile b;	/* freed twice on purpose */
	int		 i;

	for (i = 0; i < 7; i++)
		t[i] = m(40);
	a = m(40);
	b = m(40);
	for (i = 0; i < 7; i++)
		free(t[i]);	/* the tcache for 48 is full */
	free(a);
	free(b);
	free(a);		/* fastbin dup: glibc lets it through */
	for (i = 0; i < 7; i++)
		t[i] = m(40);
	c = m(40);
	d = m(40);
	e = m(40);
	printf("dup: %s\n", c == e ? "the same block twice" : "no dup");
	(void)d;
}

static void
tcache2(void)
{
	void * volatile	a = m(100);	/* freed twice on purpose */

	free(a);
	free(a);		/* glibc: "free(): double free detected in
				 * tcache 2", and abort */
	puts("not reached");
}

static void	*shared;

static void *
work(void *arg)
{
	void	*p[20];
	int	 i;

	for (i = 0; i < 20; i++)
		p[i] = m(32 + 8 * (size_t)i);
	for (i = 0; i < 20; i += 2)
		free(p[i]);
	free(shared);		/* a main-arena block, freed here */
	return arg;
}

static void
thread(void)
{
	pthread_t	th;
	void		*p[30];
	int		 i;

	for (i = 0; i < 10; i++)
		p[i] = m(100 + 10 * (size_t)i);
	shared = m(2000);
	if (pthread_create(&th, NULL, work, NULL) != 0)
		exit(1);
	pthread_join(th, NULL);
	for (i = 10; i < 30; i++)
		p[i] = m(100 + 10 * (size_t)i);
	for (i = 0; i < 30; i += 3)
		free(p[i]);
}

static void
wait_for(const char *file)
{
	struct timespec	tick = { 0, 20 * 1000 * 1000 };
	struct stat	st;
	int		i;

	mix();
	for (i = 0; i < 3000 && stat(file, &st) != 0; i++)
		nanosleep(&tick, NULL);
	mix();
}

int
main(int argc, char **argv)
{
	const char	*what = argc > 1 ? argv[1] : "mix";

	if (strcmp(what, "mix") == 0)
		mix();
	else if (strcmp(what, "dup") == 0)
		dup();
	else if (strcmp(what, "tcache2") == 0)
		tcache2();
	else if (strcmp(what, "thread") == 0)
		thread();
	else if (strcmp(what, "wait") == 0 && argc > 2)
		wait_for(argv[2]);
	else {
		fprintf(stderr, "usage: trace-glibc mix|dup|tcache2|thread|"
		    "wait FILE\n");
		return 2;
	}
	return 0;
}
