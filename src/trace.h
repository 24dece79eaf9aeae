/*
 * trace.h -- allocation traces in the CS:APP malloc-lab format.
 *
 * Four header lines (suggested heap size, number of block ids, number of
 * operations, weight), then one operation a line:
 *
 *	a ID SIZE	allocate SIZE bytes as block ID
 *	r ID SIZE	reallocate block ID to SIZE bytes
 *	f ID		free block ID
 *
 * The parser reads and checks the whole trace before anything uses it: ids
 * in range, no block allocated twice while live, no realloc or free of a
 * block that is not live, as many operations as the header says.  A trace
 * that fails gets one message naming the line.  Used by `load` and by the
 * benchmark.
 */
#ifndef HEAPVIZ_TRACE_H
#define HEAPVIZ_TRACE_H

#include <stddef.h>
#include <stdint.h>

struct trace_op {
	char		 kind;		/* 'a', 'r' or 'f' */
	uint32_t	 id;
	uint32_t	 size;		/* 0 for 'f' */
	uint32_t	 line;		/* where it stands in the file */
};

struct trace {
	size_t		 heap_size;	/* the header's suggestion */
	uint32_t	 nids;
	size_t		 weight;
	struct trace_op	*ops;
	size_t		 nops;
	size_t		 peak_payload;	/* most bytes live at once */
};

/*
 * Parse the trace in text[0..len).  0 on success; -1 with a message ("line
 * 7: f 3: block 3 is not allocated") in err and *t untouched.
 */
int	trace_parse(const char *text, size_t len, struct trace *t, char *err,
	    size_t errlen);
/* Read and parse a file; the message then starts with the path. */
int	trace_load(const char *path, struct trace *t, char *err, size_t errlen);
void	trace_free(struct trace *);

#endif
