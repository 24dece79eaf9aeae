/*
 * xmalloc.h -- host-side allocation that fails loudly.
 *
 * heapviz's own bookkeeping (names, logs, snapshots) lives in ordinary host
 * memory.  Running out of it is not something a session can recover from,
 * so these print why and exit.  The simulated heap never goes through here.
 */
#ifndef HEAPVIZ_XMALLOC_H
#define HEAPVIZ_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Copy src into dst of size n, cut to fit, always terminated. */
void	 strlcopy(char *, const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	     __attribute__((format(printf, 2, 3)));

#endif
