/*
 * big-malloc.c -- one small block and one above glibc's mmap threshold
 * (128 KiB): the small one comes from the heap (the break moves), the big
 * one gets a mapping of its own (an mmap line), and freeing it unmaps it.
 */
#include <stdlib.h>
#include <string.h>

int
main(void)
{
	char	*small = malloc(32);
	char	*big = malloc(200000);

	if (small == NULL || big == NULL)
		return 1;
	memset(small, 'a', 32);
	memset(big, 'b', 200000);
	free(big);
	free(small);
	return 0;
}
