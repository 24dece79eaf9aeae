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

#include "model.h"
#include "preload.h"

struct binding;
struct foreign;
struct mapping;
struct memsrc;
struct rmodel;
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

#define REV_F_RAWSIZE	0x8000	/* head holds the chunk's size, not its
				 * header (the header could not be read) */

/*
 * One event, as kept: 24 bytes, and 32 more (struct rext) for a call
 * with a result (a free has none).  Where a call came from (file,
 * function, thread) is an index into a table of the places seen.  Its
 * line is written when asked for.
 */
struct rev {
	uint8_t		 type;		/* enum rev_type */
	uint8_t		 kind;		/* REV_CALL: enum hvp_kind */
	uint16_t	 flags;		/* HVP_F_*, REV_F_RAWSIZE */
	uint32_t	 where;		/* REV_CALL: rec->wheres[where];
					 * REV_SYSCALL: rec->log[where];
					 * REV_EXEC, REV_END: rec->texts */
	uint64_t	 a0;		/* the call's first argument */
	uint32_t	 name;		/* the n of the pn it bound, 0: none */
	uint32_t	 ext;		/* rec->ext[ext - 1], 0: none */
};

struct rext {
	uint64_t	 a1;		/* the second argument */
	uint64_t	 result;
	uint64_t	 head;		/* the chunk's size field (failed: 0) */
	uint64_t	 prev_foot;	/* the word before it (failed: errno) */
};

/* Where calls came from: interned, so an event keeps 4 bytes of it. */
struct rwhere {
	int32_t		 tid;
	uint16_t	 flags;		/* HVP_F_MAIN */
	char		 object[HVP_OBJECT_MAX];
	char		 symbol[HVP_SYMBOL_MAX];
};

/* From step `step` on (until the next mark): the break, the map... */
struct rmark {
	size_t		 step;
	uint64_t	 brk;
	uint64_t	 heap_start;
	size_t		 maps;
	size_t		 nlog;
};

/* A block at a step: the event that made it has its header. */
struct rchunk {
	uint64_t		 addr, size;
	uint32_t		 made;		/* the step that made it */
	uint32_t		 name;		/* the n of pn, 0: none */
	enum model_chunk_state	 st;
};

/* A name pn at a step: the step that bound it (its block, its size:
 * that event's) and the step that freed it (0: live). */
struct rname {
	uint32_t	 bound, freed;
};

struct rstate {
	size_t		 step;
	struct rchunk	*c;
	size_t		 n, cap;
	size_t		 gap;		/* see recording.c: c[gap] on are at
					 * the back of the array */
	size_t		 hint;		/* where the last lookup ended */
	uint32_t	*seen;		/* chunk indexes by address (a guess) */
	unsigned	 seen_bits;	/* it has 2^seen_bits entries */
	struct rname	*names;		/* names[k]: p(k+1) */
	size_t		 nnames, capnames;
	struct foreign	*foreign;
	size_t		 nforeign, capforeign;
};

struct recording {
	char		*prog;		/* the program's file name */
	bool		 traced;	/* false: ptrace was refused */
	struct rev	*ev;
	size_t		 nev, capev;
	struct rext	*ext;
	size_t		 next, capext;
	struct rmark	*marks;
	size_t		 nmarks, capmarks;
	struct rwhere	*wheres;
	size_t		 nwheres, capwheres;
	uint32_t	*where_ix;	/* open addressing: index + 1 */
	uint32_t	 last_where;	/* the last one found */
	size_t		 where_slots;
	char		**texts;	/* the lines of exec and the end */
	size_t		 ntexts;
	struct sysevent	*log;
	size_t		 nlog, caplog;
	struct mapset	*sets;
	size_t		 nsets, capsets;
	uint64_t	 heap_start;	/* now (recording), or at the end */
	uint64_t	 first_heap;	/* at step 0 */
	struct rstate	 cur;
	struct rstate	*cps;		/* checkpoints, by step */
	size_t		 ncps, capcps;
	char		 line[2][512];	/* recording_line's, in turn */
	unsigned	 nline;
	/* The names the session holds: the n of each (ascending). */
	uint32_t	*shown;
	size_t		 nshown, capshown;
	char		*pnames;	/* "p1", "p2"... (recording.c) */
	uint32_t	 npnames;
	struct binding	*bind;		/* the shown names as bindings */
	size_t		 capbind;
	struct rmodel	*model;		/* the glibc model's replay
					 * (recording-model.c), or NULL */
	bool		 judge_failed;	/* the judge started with the trace
					 * failed: judged at the end */
};

/* recording-run.c */
/* The bytes the recording holds, checkpoints and all. */
size_t		 recording_bytes(const struct recording *);

/* recording-model.c */
/* What replaying the main thread's calls through the glibc model found. */
struct rverdict {
	char		 allocator[24];	/* "glibc-2.36" */
	size_t		 calls;		/* the calls it made */
	size_t		 agree;		/* at the real address */
	bool		 diverged;
	/* The first that did not agree: */
	size_t		 step;
	char		 call[64];	/* "malloc(100)" */
	uint64_t	 real, model;	/* model 0: NULL or refused */
	bool		 refused;	/* the model refused the call */
	char		 why[200];
};
/* Start judging a trace of prog as it runs (a child, before the program
 * starts), feed it what was recorded since (never waiting), or give it
 * up (the trace did not start). */
void		 recording_judge_start(const char *prog);
void		 recording_judge_feed(const struct recording *);
void		 recording_judge_cancel(void);
/* Replay the whole recording once, comparing (after it is recorded): the
 * judge started with the trace finishes. */
void		 recording_model_judge(struct recording *);
/* What that found; NULL before. */
const struct rverdict *recording_verdict(const struct recording *);
/* The model as it stands at step (and its memory in *ms), replayed as
 * far as needed; NULL where the model is not the program's. */
struct model	*recording_model_at(struct recording *, size_t step,
		     struct memsrc **ms);
/* The decisions of the step recording_model_at last stood the model at
 * (none for a step that is no call of the main thread). */
const struct decision *recording_model_decisions(const struct recording *,
		     size_t *n);

/* recording-text.c */
/* A call and where it came from, "malloc(32) in prog", into b: the cause
 * of the system calls it makes.  object and symbol come from the program
 * and need not be terminated. */
void		 recording_call_cause(const struct recording *, char *b,
		     size_t len, unsigned kind, const uint64_t *args,
		     unsigned flags, const char *object, const char *symbol);

/* recording.c */
void		 recording_mapset_free(struct mapset *);
void		 recording_state_copy(struct rstate *, const struct rstate *);
/* The chunks in c[0] to c[n - 1], for those who read them. */
void		 recording_state_settle(struct rstate *);
/* The mark in force at step (the break, map and log then). */
const struct rmark *recording_mark(const struct recording *, size_t step);
/* "pN", the text of name n (the recording keeps it). */
const char	*recording_pname(struct recording *, uint32_t n);
/* The index among the names the session holds of name n, or -1. */
long		 recording_shown_find(const struct recording *, uint32_t n);
/* The request an allocating call made (calloc: nmemb * size). */
size_t		 recording_request(const struct recording *,
		     const struct rev *);

/* An event's result and the rest (all 0 for one without). */
static inline const struct rext *
rev_ext(const struct recording *rec, const struct rev *e)
{
	static const struct rext	none;

	return e->ext != 0 ? &rec->ext[e->ext - 1] : &none;
}
/* Step st->step + 1: event i.  Returns the n of the pn it bound, or 0. */
uint32_t	 recording_apply(const struct recording *, struct rstate *,
		     size_t);

#endif
