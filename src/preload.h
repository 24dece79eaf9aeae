/*
 * preload.h -- what libheapviz-preload.so tells heapviz about a traced
 * program's malloc calls.
 *
 * The library is loaded into the program with LD_PRELOAD by `trace`.  It
 * interposes malloc, calloc, realloc, free, posix_memalign, memalign,
 * aligned_alloc, valloc and pvalloc (and the program's own sbrk and brk),
 * calls the real ones (dlsym(RTLD_NEXT)), and appends one fixed-size
 * record per call to a ring in memory it shares with heapviz: the
 * descriptor named by HEAPVIZ_PRELOAD_FD is a memfd holding struct
 * hvp_ring, which both map.  Appending is a few stores, no system call:
 * nothing allocated, no stdio.  Calls made while one is being reported
 * (libc calling malloc inside realloc, say) are not reported again.
 *
 * The ring.  A writer takes the next index from head (compare and swap)
 * only when that slot is free (the index less than a whole ring ahead of
 * tail), fills the slot and then sets the slot's stamp to index + 1: the
 * slot is ready.  Writers keep the tail they last read and read it again
 * only when that one says the ring is full, so that the line heapviz
 * writes tail to is not pulled back and forth at every call.
 * heapviz reads the slots in index order from tail, each once its stamp
 * says so, and moves tail on.  A writer that finds the ring full makes
 * one getppid(HVP_MAGIC) system call, which heapviz stops at (it is in
 * the seccomp filter) and drains the ring during; untraced, it waits
 * for heapviz to catch up.
 *
 * A call's record says where it came from by a number, not by name: the
 * first call from a return address makes the library look the address up
 * (dladdr) and send the file and function once, as a place record with a
 * new id, before the call's own record; later calls from there carry that
 * id.  Ids are never reused, so heapviz keeps every place it was sent.
 *
 * While a call runs, the thread's struct hvp_current in the ring says
 * which: heapviz, stopped at a brk or mmap system call of that thread,
 * reads it to know what caused the call.
 *
 * Each record carries the thread id of its caller; each thread has its
 * own struct hvp_current (HVP_THREADS of them; later threads have none,
 * and their system calls are put down to the program itself).
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
#define HVP_RING_SLOTS	8192		/* records the ring holds (2^n) */
#define HVP_THREADS	128		/* threads with a current slot */
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
	HVP_WHERE,		/* a place: where, its id; place */
	HVP_NKINDS
};

#define HVP_F_MAIN	0x1	/* the caller is in the program itself */
#define HVP_F_FAILED	0x2	/* the call failed (err holds errno) */

/* The file and function a call came from (dladdr's answer). */
struct hvp_place {
	char		object[HVP_OBJECT_MAX];	/* the caller's file */
	char		symbol[HVP_SYMBOL_MAX];	/* and function, if known */
};

/*
 * One record: a call (kinds HVP_MALLOC to HVP_BRK), HELLO, BYE, or a
 * place (HVP_WHERE).  A call names where it came from by `where`, the id
 * of a place record that came before it in the ring (0: not known); the
 * library sends each place once, the first time a return address is
 * seen, so a call's record holds no text.
 */
struct hvp_record {
	uint32_t	magic;
	uint16_t	kind;
	uint16_t	flags;
	int32_t		pid;
	int32_t		tid;		/* the thread that made the call */
	int32_t		err;
	uint32_t	where;		/* a call's place, a place's own id */
	uint64_t	seq;		/* its index in the ring, + 1 */
	union {
		struct {
			uint64_t	args[3];
			uint64_t	result;
			uint64_t	usable;	/* malloc_usable_size(result) */
			uint64_t	head;	/* the chunk's size field,
						 * 0: unread */
			uint64_t	prev_foot; /* the word before it */
			uint64_t	brk_before; /* libc's idea of the
						     * break */
			uint64_t	brk_after;
		};
		struct hvp_place	place;	/* HVP_WHERE */
	};
	uint64_t	lost;		/* records that could not be written */
};

/* The call a thread has in progress.  One cache line each. */
struct hvp_current {
	int32_t		tid;		/* 0: a free slot */
	uint32_t	kind;		/* HVP_NONE between calls */
	uint32_t	flags;
	uint32_t	where;		/* its place, as in its record */
	uint64_t	args[3];
} __attribute__((aligned(64)));

/* A record and its stamp: two cache lines. */
struct hvp_slot {
	uint64_t		stamp;		/* index + 1 once written */
	struct hvp_record	r;
} __attribute__((aligned(64)));

/* The memfd's contents.  head, tail and lost on lines of their own. */
struct hvp_ring {
	uint32_t		magic;
	uint32_t		nslots;
	uint64_t		head __attribute__((aligned(64)));
	uint64_t		tail __attribute__((aligned(64)));
	uint64_t		lost __attribute__((aligned(64)));
	uint32_t		nthreads;	/* current slots taken */
	struct hvp_current	cur[HVP_THREADS] __attribute__((aligned(64)));
	struct hvp_slot		slot[HVP_RING_SLOTS];
};

#endif
