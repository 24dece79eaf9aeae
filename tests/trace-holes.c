/*
 * trace-holes.c -- a program that makes holes in the middle of its heap
 * and fills them block after block (as perl does), among random mallocs,
 * reallocs and frees; at the end it prints the address of every block it
 * still holds, one a line, in decimal.  Those must be exactly the blocks
 * heapviz's recording has in use at the last step (what else is in use
 * there is libc's: its stdout buffer).  Deterministic: a fixed seed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SLOTS	512

static uint64_t	seed = 88172645463325252ULL;

static unsigned
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)seed;
}

int
main(void)
{
	static void	*slot[SLOTS];
	void		*big, *guard, *p;
	int		 i, k;

	for (i = 0; i < 20000; i++) {
		if (i % 1000 == 0) {
			/* A hole of 40 KiB below the top of the heap. */
			big = malloc(40 * 1024);
			guard = malloc(16);
			free(big);
			slot[rnd() % SLOTS] = guard;	/* may leak one */
		}
		k = (int)(rnd() % SLOTS);
		switch (rnd() % 5) {
		case 0:
		case 1:
			free(slot[k]);
			slot[k] = malloc(1 + rnd() % 120);
			break;
		case 2:
			if ((p = realloc(slot[k], 1 + rnd() % 600)) != NULL)
				slot[k] = p;
			break;
		case 3:
			free(slot[k]);
			slot[k] = NULL;
			break;
		default:
			slot[k] = malloc(1 + rnd() % 60);	/* may leak */
			break;
		}
	}
	for (k = 0; k < SLOTS; k++) {
		if (slot[k] != NULL)
			printf("%lu\n", (unsigned long)(uintptr_t)slot[k]);
	}
	return 0;
}
