/*
 * sbrk-demo.c -- the seed's first program: sbrk(0), sbrk(32), sbrk(0),
 * and only then print the three results.  `heapviz --trace
 * examples/sbrk-demo` shows the break moving by exactly 0x20: nothing else
 * touches it before the printf at the end.
 */
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	void	*initial_break = sbrk(0);	/* the current break */
	void	*new_mem = sbrk(32);		/* 32 bytes more */
	void	*after_alloc;

	if (new_mem == (void *)-1) {
		perror("sbrk failed");
		return 1;
	}
	after_alloc = sbrk(0);			/* the new break */

	printf("Initial program break: %p\n", initial_break);
	printf("Allocated 32 bytes at: %p\n", new_mem);
	printf("Program break after sbrk: %p\n", after_alloc);
	return 0;
}
