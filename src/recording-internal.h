/*
 * recording-internal.h -- what recording.c and recording-run.c share.
 *
 * The recording as it is kept: its events, the system-call log, the memory
 * maps, the replay state of a step and its checkpoints, and what the
 * simulated session had while the trace is the session.  The functions
 * are the few that cross between the two files: recording-run.c applies
 * each event to the replay state as it records it and hands the finished
 * recording to the session; recording.c frees the maps it read.  Nothing
 * here is public.
 */
#ifndef HEAPVIZ_RECORDING_INTERNAL_H
#define HEAPVIZ_RECORDING_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "preload.h"

struct binding;
struct foreign;
struct mapping;
struct session;
struct sysevent;

struct mapset {
	struct mapping	 *maps;
	char		**names;
	size_t		  n;
};

enum rev_type {
	REV_SYSCALL,
	REV_CALL,
	REV_EXEC,		/* a new program in the same process */
	REV_END,
};

struct rev {
	enum rev_type		 type;
	size_t			 log;		/* REV_SYSCALL: rec->log[log] */
	struct hvp_record	 call;		/* REV_CALL */
	uint64_t		 brk;		/* the break after the event */
	uint64_t		 heap_start;	/* where the heap starts then */
	size_t			 maps;		/* the map after it */
	size_t			 nlog;		/* log entries up to it */
	char			*line;
};

struct rchunk {
	uint64_t		 addr, size, head, prev_foot;
	enum alloc_chunk_state	 st;
	long			 name;		/* index in names, -1: none */
};

struct rstate {
	size_t		 step;
	struct rchunk	*c;
	size_t		 n, cap;
	struct binding	*names;
	size_t		 nnames, capnames;
	struct foreign	*foreign;
	size_t		 nforeign, capforeign;
	unsigned	 next_auto;
};

struct recording {
	char		*prog;		/* the program's file name */
	bool		 traced;	/* false: ptrace was refused */
	struct rev	*ev;
	size_t		 nev, capev;
	struct sysevent	*log;
	size_t		 nlog, caplog;
	struct mapset	*sets;
	size_t		 nsets, capsets;
	uint64_t	 heap_start;	/* now (recording), or at the end */
	uint64_t	 first_heap;	/* at step 0 */
	struct rstate	 cur;
	struct rstate	*cps;		/* checkpoints, by step */
	size_t		 ncps, capcps;

	/* The simulated session's, given back on leaving. */
	uint32_t	 sim_step;
	char		 sim_last[128];
	struct binding	*sim_names;
	size_t		 sim_nnames;
	unsigned	 sim_next_auto;
};

/* recording-run.c */
void		 recording_mapset_free(struct mapset *);

/* recording.c */
void		 recording_state_copy(struct rstate *, const struct rstate *);
/* Step st->step + 1: event i.  Returns the name it bound, or NULL. */
const char	*recording_apply(const struct recording *, struct rstate *,
		     size_t);
/* Make rec the session (leaving any recording it had), at rec->cur. */
void		 recording_attach(struct session *, struct recording *);

#endif
