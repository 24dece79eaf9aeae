/*
 * trace-aligned.c -- one call of each aligned allocator the preload
 * library stands in for, then free: a trace must record each by name.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

int
main(void)
{
	void	*p[5];

	p[0] = memalign(64, 100);
	p[1] = aligned_alloc(256, 512);
	p[2] = valloc(200);
	p[3] = pvalloc(300);
	if (posix_memalign(&p[4], 128, 40) != 0)
		p[4] = NULL;
	/* Print the blocks, or the compiler may leave the calls out. */
	printf("%p %p %p %p %p\n", p[0], p[1], p[2], p[3], p[4]);
	for (int i = 0; i < 5; i++)
		free(p[i]);
	return 0;
}
