/*
 * strlcopy.c -- copy a string into a fixed buffer, cut to fit, always
 * terminated.  On its own so that the real-mode subject, which has its own
 * allocation functions in place of xmalloc.c's, shares it.
 */
#include <string.h>

#include "xmalloc.h"

void
strlcopy(char *dst, const char *src, size_t n)
{
	size_t	len = strlen(src);

	if (n == 0)
		return;
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}
