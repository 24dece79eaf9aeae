/*
 * memsrc.h -- where the allocator gets its memory.
 *
 * A memory source is the seam between the allocator and the operating
 * system: dlmalloc calls the same thing CALL_MORECORE and CALL_MMAP.  The
 * allocator core reaches memory through nothing else.
 *
 * Every call made through the memsrc_* wrappers below is recorded in the
 * event log the source was given (if any), with its arguments and result in
 * *display addresses* and the cause the session set before the command ran.
 *
 * Two kinds exist:
 *   sim   deterministic, in-process: host memory reserved once and shown at
 *         fixed display addresses (heap at 0x555555559000, mmap region below
 *         0x7ffff7fc0000), the same on every machine and every run.
 *   host  the process's own memory, for benchmarks (later).
 */
#ifndef HEAPVIZ_MEMSRC_H
#define HEAPVIZ_MEMSRC_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "events.h"	/* enum memsrc_call: what the log records */

struct evlog;

#define MEMSRC_FAIL ((void *)-1)

/* The layout of the simulated address space, in display addresses. */
#define SIM_CODE_START   UINT64_C(0x555555554000)
#define SIM_DATA_START   UINT64_C(0x555555557000)
#define SIM_HEAP_START   UINT64_C(0x555555559000)
#define SIM_HEAP_MAX     (UINT64_C(1) << 30)         /* brk may grow 1 GiB */
#define SIM_MMAP_TOP     UINT64_C(0x7ffff7fc0000)
#define SIM_MMAP_MAX     (UINT64_C(4) << 30)         /* 4 GiB of mappings */
#define SIM_STACK_START  UINT64_C(0x7ffffffde000)
#define SIM_STACK_END    UINT64_C(0x7ffffffff000)
#define SIM_PAGE_SIZE    4096

/* A mapping of the address space, for the views. */
enum mapping_kind {
	MAPPING_CODE,
	MAPPING_DATA,
	MAPPING_HEAP,
	MAPPING_MMAP,
	MAPPING_STACK,
};

struct mapping {
	uint64_t		 start;		/* display address */
	uint64_t		 end;		/* one past the last byte */
	enum mapping_kind	 kind;
	/* What is mapped, where a real process says so: a file's base name
	 * ("libc.so.6"), "[vdso]"; "" for anonymous memory and the sim. */
	char			 name[40];
};

struct memsrc;

/* A piece of memory the source owns (for saving it). */
struct memsrc_range {
	uint64_t	 disp;
	char		*host;
	size_t		 len;
};

/* Where the break is and which mappings exist. */
struct memsrc_layout {
	uint64_t	 brk;		/* display address */
	size_t		 n;
	struct mapping	*maps;		/* MAPPING_MMAP only */
};

struct memsrc_ops {
	const char	*name;
	void		*(*sbrk)(struct memsrc *, intptr_t);
	void		*(*mmap)(struct memsrc *, size_t);
	int		 (*munmap)(struct memsrc *, void *, size_t);
	void		*(*mremap)(struct memsrc *, void *, size_t, size_t,
			     int);
	uint64_t	 (*to_display)(struct memsrc *, const void *);
	void		*(*to_host)(struct memsrc *, uint64_t, size_t);
	size_t		 (*mappings)(struct memsrc *, struct mapping *, size_t);
	void		*(*static_area)(struct memsrc *, size_t);
	size_t		 (*ranges)(struct memsrc *, struct memsrc_range *,
			     size_t);
	void		 (*get_layout)(struct memsrc *, struct memsrc_layout *);
	void		 (*set_layout)(struct memsrc *,
			     const struct memsrc_layout *);
	void		 (*destroy)(struct memsrc *);
	/* Optional: zero memory the source mapped (see memsrc_zero). */
	void		 (*zero)(struct memsrc *, void *, size_t);
};

struct memsrc {
	const struct memsrc_ops	*ops;
	struct evlog		*log;		/* where calls are recorded */
	uint64_t		 initial_break;	/* display address */
};

/*
 * The allocator's view.  Each returns what the C call would (sbrk: the old
 * break or MEMSRC_FAIL; mmap: the mapping or MEMSRC_FAIL; munmap: 0 or -1;
 * mremap: the new address or MEMSRC_FAIL, flags as MREMAP_MAYMOVE) and sets
 * errno on failure.  Addresses are host pointers.
 */
void		*memsrc_sbrk(struct memsrc *, intptr_t);
void		*memsrc_mmap(struct memsrc *, size_t);
int		 memsrc_munmap(struct memsrc *, void *, size_t);
void		*memsrc_mremap(struct memsrc *, void *, size_t, size_t, int);

/* brk(ADDR) as the user's `brk` command means it: display address in. */
int		 memsrc_brk(struct memsrc *, uint64_t);
/* The current break (display address). */
uint64_t	 memsrc_break(struct memsrc *);

/* Host pointer -> display address; 0 if the pointer is not ours. */
uint64_t	 memsrc_to_display(struct memsrc *, const void *);
/*
 * Display address -> host pointer, only when all of [addr, addr + len) lies
 * in memory the source has mapped (below the page-rounded break, or in one
 * mapping).  NULL otherwise: this is the guard that keeps every user write
 * inside simulated memory.
 */
void		*memsrc_to_host(struct memsrc *, uint64_t, size_t);
/* The address-space map, in address order; returns the count. */
size_t		 memsrc_mappings(struct memsrc *, struct mapping *, size_t);
/*
 * Static memory for the allocator's own state, where a C allocator's
 * globals would be (the data segment), so that pointers to its bins are
 * addresses a student can read.  NULL when the source has none: then the
 * allocator uses host memory.  Lives as long as the source.
 */
void		*memsrc_static(struct memsrc *, size_t);
/*
 * For going back in time: the memory the source owns (the data segment,
 * the heap up to the page-rounded break, each mapping), in address order;
 * the layout; and setting a layout, which leaves memory outside it zeroed
 * and memory inside it for the caller to fill.  Sources that cannot do
 * this return 0 / do nothing.
 */
size_t		 memsrc_ranges(struct memsrc *, struct memsrc_range *, size_t);
void		 memsrc_get_layout(struct memsrc *, struct memsrc_layout *);
void		 memsrc_set_layout(struct memsrc *, const struct memsrc_layout *);
void		 memsrc_layout_free(struct memsrc_layout *);

/*
 * Zero len bytes at p, memory the source mapped: memset, except that a
 * source may hand whole pages back to be read as zeros, as fresh pages
 * from the kernel are, so that calloc of gigabytes does not touch them.
 */
void		 memsrc_zero(struct memsrc *, void *, size_t);
/* Whether host pointers into the heap are the display addresses. */
bool		 memsrc_identity(struct memsrc *);
void		 memsrc_destroy(struct memsrc *);

/* memsrc-sim.c */
struct memsrc	*memsrc_sim_create(struct evlog *);

/*
 * What a sim at another process's addresses asks of the one who made it
 * (each may be NULL).  place: where that process's kernel would put a
 * mapping of len bytes (old 0), or move the mapping old of oldlen bytes
 * to grow it to len (old itself: it grows in place); 0 for no answer.
 * sbrk: the break is about to move by incr (-1 with errno refuses).
 * mappings: the address space, as the memsrc op.
 */
struct memsrc_sim_hooks {
	void		*ctx;
	uint64_t	 (*place)(void *ctx, uint64_t old, size_t oldlen,
			     size_t len);
	int		 (*sbrk)(void *ctx, intptr_t incr);
	size_t		 (*mappings)(void *ctx, struct mapping *, size_t);
};
/*
 * A sim whose heap starts at heap_start (page-aligned) and whose first
 * static allocation is at data_at, both at those very addresses in this
 * process (NULL when they are taken here), with its mappings below
 * mmap_top (0: the sim's own).
 */
struct memsrc	*memsrc_sim_create_at(struct evlog *, uint64_t heap_start,
		     uint64_t data_at, uint64_t mmap_top,
		     const struct memsrc_sim_hooks *);

#endif
