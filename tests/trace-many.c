/*
 * trace-many.c -- 20000 malloc calls (or argv[1]) of sizes 1, 2, 3, ...
 * each freed at once: more records than heapviz's ring holds (many more
 * with HEAPVIZ_TRACE_RING=16), which must all arrive, in order, each after
 * the brk calls it made.  Given more than 65536, more names than a trace
 * session holds at once: the views must still name the old blocks.
 */
#include <stdio.h>
#include <stdlib.h>

int
main(int argc, char **argv)
{
	char	*keep[64];
	int	 i, n = argc > 1 ? atoi(argv[1]) : 20000;

	for (i = 0; i < n; i++) {
		char * volatile	p = malloc((size_t)i + 1);

		if (p == NULL)
			return 1;
		p[0] = 1;	/* used, so the compiler keeps the call */
		/* Every 400th block kept: the heap grows, brk moves. */
		if (i % 400 == 0)
			keep[i / 400 % 64] = p;
		else
			free(p);
	}
	printf("kept %p\n", (void *)keep[0]);
	return 0;
}
