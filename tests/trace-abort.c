/*
 * trace-abort.c -- a program that dies by a signal after a malloc: a
 * trace must say so and keep what it recorded.
 */
#include <stdio.h>
#include <stdlib.h>

int
main(void)
{
	char	*p = malloc(48);

	/* Print the block, or the compiler may leave the malloc out. */
	fprintf(stderr, "about to abort with a block at %p\n", (void *)p);
	abort();
}
