/*
 * trace-pairs.c -- the trace benchmark's C program: 1,000,000 malloc and
 * free pairs of sizes 16 to 79 bytes.
 */
#include <stdlib.h>

int
main(void)
{
	long	i;

	for (i = 0; i < 1000000; i++) {
		char * volatile	p = malloc(16 + (size_t)(i & 63));

		if (p == NULL)
			return 1;
		p[0] = 1;	/* used, so the compiler keeps the calls */
		free(p);
	}
	return 0;
}
