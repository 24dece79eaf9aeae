/*
 * memsrc-replay.h -- a memory source that replays a traced program's
 * memory system calls, so that a model run on the program's recorded
 * malloc calls gets the memory the program got.
 *
 * The break starts at the program's own initial break (a display address,
 * the real one) and moves as the model asks, over a host reservation
 * congruent to it modulo the page size, so that the model's alignment
 * arithmetic comes out as the program's did.  A mapping the model asks
 * for is placed where the program's matching mmap (or mremap) went: before
 * each call the replayer hands the source the system calls that call made
 * (memsrc_replay_expect), and the source takes the first one of the
 * length asked.  A mapping the program did not make goes below all the
 * others, where no real mapping was, and is counted (memsrc_replay_strays)
 * so the replayer can say why the model went elsewhere.
 */
#ifndef HEAPVIZ_MEMSRC_REPLAY_H
#define HEAPVIZ_MEMSRC_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "memsrc.h"

/* A mapping call the program made: what the model may be given. */
struct memsrc_replay_call {
	enum memsrc_call	 call;		/* MS_MMAP or MS_MREMAP */
	uint64_t		 old;		/* mremap: the old address */
	uint64_t		 len;		/* mmap: length; mremap: new */
	uint64_t		 result;	/* display address */
};

/*
 * A source whose break starts at brk0 and may grow by at most heap_max
 * bytes; NULL if the host has no room for the reservation.
 */
struct memsrc	*memsrc_replay_create(uint64_t brk0, size_t heap_max);
/* The mapping calls the next model call may make, in order (copied). */
void		 memsrc_replay_expect(struct memsrc *,
		     const struct memsrc_replay_call *, size_t n);
/* Mappings the model made that the program had not: where they went. */
size_t		 memsrc_replay_strays(const struct memsrc *);
/* The highest the break went, from brk0: what a smaller heap_max would
 * have refused. */
uint64_t	 memsrc_replay_peak(const struct memsrc *);

#endif
