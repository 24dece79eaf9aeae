/*
 * sbrk-printf.c -- the seed's second program: the same calls, but the
 * initial break is printed before sbrk(32).  That first printf makes libc
 * malloc a buffer for stdout, and malloc moves the break by 0x21000 first:
 * the 32 bytes land 0x21000 above the break printed.  `heapviz --trace
 * examples/sbrk-printf` shows the brk call inside printf's malloc.
 */
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	void	*initial_break = sbrk(0);
	void	*new_mem, *after_alloc;

	printf("Initial program break: %p\n", initial_break);

	new_mem = sbrk(32);
	if (new_mem == (void *)-1) {
		perror("sbrk failed");
		return 1;
	}
	printf("Allocated 32 bytes at: %p\n", new_mem);

	after_alloc = sbrk(0);
	printf("Program break after sbrk: %p\n", after_alloc);
	return 0;
}
