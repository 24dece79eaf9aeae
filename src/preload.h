/*
 * preload.h -- what libheapviz-preload.so tells heapviz about a traced
 * program's malloc calls.
 *
 * The library is loaded into the program with LD_PRELOAD by `trace`.  It
 * interposes malloc, calloc, realloc, free, posix_memalign, memalign,
 * aligned_alloc, valloc and pvalloc (and the program's own sbrk and brk),
 * calls the real ones (dlsym(RTLD_NEXT)), and writes one fixed-size
 * record per call with write(2) to the descriptor named by
 * HEAPVIZ_PRELOAD_FD: nothing allocated, no stdio.  Calls made while one
 * is being reported (libc calling malloc inside realloc, say) are not
 * reported again.
 *
 * While a call runs, struct hvp_current in the program says which: heapviz,
 * stopped at a brk or mmap system call under ptrace, reads it to know what
 * caused the call.  Its address comes in the HELLO record, the first one.
 *
 * With HEAPVIZ_PRELOAD_SYNC naming a second descriptor (heapviz sets it
 * when ptrace is not permitted), the library waits for one byte on it
 * after HELLO and after BYE, so that heapviz can read /proc/PID/maps with
 * the program standing still before main and at exit.
 */
#ifndef HEAPVIZ_PRELOAD_H
#define HEAPVIZ_PRELOAD_H

#include <stdint.h>

#define HVP_MAGIC	UINT32_C(0x48565052)	/* "HVPR" */
#define HVP_OBJECT_MAX	24
#define HVP_SYMBOL_MAX	40

enum hvp_kind {
	HVP_NONE,
	HVP_HELLO,		/* the library is ready (before main) */
	HVP_BYE,		/* the program is exiting */
	HVP_MALLOC,		/* args: size */
	HVP_CALLOC,		/* nmemb, size */
	HVP_REALLOC,		/* ptr, size */
	HVP_FREE,		/* ptr */
	HVP_POSIX_MEMALIGN,	/* alignment, size; result: the block */
	HVP_MEMALIGN,		/* alignment, size */
	HVP_ALIGNED_ALLOC,	/* alignment, size */
	HVP_VALLOC,		/* size */
	HVP_PVALLOC,		/* size */
	HVP_SBRK,		/* increment; result: the old break */
	HVP_BRK,		/* addr; result: 0 or -1 */
	HVP_NKINDS
};

#define HVP_F_MAIN	0x1	/* the caller is in the program itself */
#define HVP_F_FAILED	0x2	/* the call failed (err holds errno) */

struct hvp_record {
	uint32_t	magic;
	uint16_t	kind;
	uint16_t	flags;
	int32_t		pid;
	int32_t		err;
	uint64_t	seq;		/* 1, 2, ... per process */
	uint64_t	args[3];
	uint64_t	result;
	uint64_t	usable;		/* malloc_usable_size(result) */
	uint64_t	head;		/* the chunk's size field, 0: unread */
	uint64_t	prev_foot;	/* the word before it */
	uint64_t	brk_before;	/* libc's idea of the break */
	uint64_t	brk_after;
	uint64_t	current;	/* HELLO: &hvp_current */
	uint64_t	lost;		/* records that could not be written */
	char		object[HVP_OBJECT_MAX];	/* the caller's file */
	char		symbol[HVP_SYMBOL_MAX];	/* and function, if known */
};

/* The call in progress, in the program's memory. */
struct hvp_current {
	uint32_t	kind;		/* HVP_NONE between calls */
	uint32_t	flags;
	uint64_t	seq;
	uint64_t	args[3];
	char		object[HVP_OBJECT_MAX];
	char		symbol[HVP_SYMBOL_MAX];
};

#endif
