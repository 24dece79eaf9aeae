/*
 * fdio.h -- whole records over a pipe: read or write all of them, going
 * on after a signal interrupts.  Used on both ends of real mode's pipes
 * (heapviz and heapviz-subject), so it takes no memory and no stdio.
 */
#ifndef HEAPVIZ_FDIO_H
#define HEAPVIZ_FDIO_H

#include <stddef.h>

/* Write all len bytes: 0, or -1 with errno from the write that failed. */
int	fd_write_all(int fd, const void *p, size_t len);
/* Read exactly len bytes: 0, or -1 at the end of the data or an error. */
int	fd_read_all(int fd, void *p, size_t len);

#endif
