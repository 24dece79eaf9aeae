/*
 * trace-threads.c -- four threads each make 3000 malloc and free calls
 * while the main thread waits for them in pthread_join, a system call
 * heapviz does not stop in: the records must still all arrive, and the
 * program must not block on a full pipe.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *
work(void *arg)
{
	int	i;

	for (i = 0; i < 3000; i++) {
		char * volatile	p = malloc(100 + (size_t)(i % 50));

		if (p == NULL)
			return NULL;
		p[0] = 1;	/* used, so the compiler keeps the calls */
		free(p);
	}
	return arg;
}

int
main(void)
{
	pthread_t	t[4];
	int		i;

	for (i = 0; i < 4; i++) {
		if (pthread_create(&t[i], NULL, work, NULL) != 0)
			return 1;
	}
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	puts("done");
	return 0;
}
