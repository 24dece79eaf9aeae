/*
 * memsrc-os.h -- the memory source of the real-mode subject: the process's
 * own brk and mmap (see memsrc-os.c).
 */
#ifndef HEAPVIZ_MEMSRC_OS_H
#define HEAPVIZ_MEMSRC_OS_H

#include <stddef.h>
#include <stdint.h>

#include "memsrc.h"

/* A call the source made, as the allocator asked for it. */
struct memsrc_os_call {
	enum memsrc_call	call;
	int			err;
	int64_t			args[3];
	int64_t			result;
};

/*
 * One per process.  in_call is raised around every call the source makes;
 * static_area is where memsrc_static hands out the allocator's state;
 * calls (maxcalls of them) collects the calls until memsrc_os_calls.
 */
struct memsrc	*memsrc_os_create(volatile uint32_t *in_call,
		     void *static_area, size_t static_len,
		     struct memsrc_os_call *calls, size_t maxcalls);
/* How many calls were collected since the last time (and restart). */
size_t		 memsrc_os_calls(size_t *dropped);
size_t		 memsrc_os_static_used(void);

#endif
