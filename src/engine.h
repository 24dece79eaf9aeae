/*
 * engine.h -- the mode: where the allocator runs, and what a step is.
 *
 * A session runs on one engine at a time, as the allocator runs on one
 * memory source (memsrc.h).  `mode` and `trace` choose it; nothing else
 * asks which one it is: the session calls through these operations, and
 * reads what the mode offers from its caps.
 *
 *   sim    the allocator in this process, on the simulated address space:
 *          the same addresses on every machine, every run (engine-sim.c).
 *   real   the allocator in a subject process, on that process's own brk
 *          and mmap, traced from outside; the session keeps a copy of the
 *          allocator's state to draw (engine-real.c).
 *   trace  a real program's recorded run, stepped through: nothing runs,
 *          and only commands that look or move in time are allowed
 *          (engine-trace.c, over recording.c).  It stands over the engine
 *          it was entered from, which `reset` returns to.
 *
 * An operation a mode does not have is NULL; the session_* call that
 * reaches it then does what the comment says.
 */
#ifndef HEAPVIZ_ENGINE_H
#define HEAPVIZ_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct out;
struct session;
struct snapshot;
struct model_ops;
enum session_tunable;

/* What a mode offers. */
#define ENGINE_LOCAL	0x1	/* the heap's memory is in this process: a
				 * checkpoint copies it back, and the views
				 * may follow a step by its decisions */
#define ENGINE_PROCESS	0x2	/* a process runs the program: printf is its
				 * libc's, a write lands where it points (no
				 * guard), and the process can die */
#define ENGINE_RECORDED	0x4	/* a recording: only what looks or moves in
				 * time (CMD_ON_TRACE) may run */

/*
 * Real mode with a libc model: the model runs beside the real allocator
 * and is compared with it after each call (engine-real.c).  The first
 * word found different, and where.
 */
struct engine_divergence {
	uint32_t	 step;		/* the step of the call */
	char		 line[128];	/* its command */
	uint64_t	 addr;		/* the word's address */
	char		 field[96];	/* "the size of the chunk at 0x...",
					 * "main_arena.top", "the address
					 * returned", "the program break" */
	uint64_t	 model, real;	/* what each holds there */
	bool		 unreadable;	/* the subject has no memory there */
};

struct engine_verify {
	const char	*allocator;	/* the model's name: "glibc-2.36" */
	unsigned long	 calls;		/* allocator calls made by both */
	unsigned long	 agree;		/* ... after which all words agreed */
	bool		 diverged;
	struct engine_divergence first;
};

struct engine_ops {
	const char	*name;		/* as `state --json` says the mode */
	int		 caps;		/* ENGINE_* */

	/*
	 * Make the memory source, the allocator and the history (at step 0)
	 * of a fresh session (s->log exists); -1 with a message in err.
	 * note: something to say (ptrace refused), or left empty.  stop
	 * undoes it.
	 */
	int		(*start)(struct session *, bool aslr, char *err,
			    size_t, char *note, size_t);
	void		(*stop)(struct session *);

	/* The allocator's calls, as the C calls (errno set). */
	void		*(*malloc)(struct session *, size_t);
	void		*(*calloc)(struct session *, size_t, size_t);
	void		*(*realloc)(struct session *, void *, size_t);
	void		*(*reallocarray)(struct session *, void *, size_t,
			    size_t);
	/* memalign(3); NULL: the allocator's model is called directly
	 * (ENGINE_LOCAL), or there is none. */
	void		*(*memalign)(struct session *, size_t, size_t);
	int		 (*free)(struct session *, void *);
	int		 (*tune)(struct session *, enum session_tunable,
			    size_t);
	/* Put bytes at a display address; -1 if they cannot go there. */
	int		 (*poke)(struct session *, uint64_t, const void *,
			    size_t);
	/* ENGINE_PROCESS: the program's printf("%s", text), its output to
	 * out; what printf returned, or -1. */
	int64_t		 (*printf)(struct session *, const char *, size_t,
			    struct out *);

	/*
	 * After each command: whether the process died under it, said once
	 * through out; true when the command failed for want of it.  NULL:
	 * nothing can die.
	 */
	bool		 (*after)(struct session *, struct out *,
			    const char *line);
	/* How the process ended, or NULL while it runs (or there is none). */
	const char	*(*death)(const struct session *);
	long		 (*pid)(const struct session *);
	/*
	 * A fresh heap on model ops (another one, or the same afresh): a new
	 * memory source and allocator as start makes them, on the same log
	 * and history, so that an allocator switch is a step like any other
	 * and a checkpoint of another model can be restored.  NULL: the mode
	 * keeps the model its process started with.
	 */
	void		 (*remodel)(struct session *, const struct model_ops *);
	/* A fresh process at step 0, where going back replays from. */
	int		 (*rewind)(struct session *, struct out *);
	/* `restart`: a new process brought to the current step. */
	int		 (*restart)(struct session *, struct out *);

	/* Whether its process keeps address randomisation (NULL: none). */
	bool		 (*aslr)(const struct session *);
	/* What `mode` says: fresh, just started, or as it is. */
	void		 (*describe)(struct session *, struct out *,
			    bool fresh);
	/* The line a saved script starts with to replay in this mode ("":
	 * none). */
	const char	*(*script_mode)(const struct session *);
	/* Why the break could not move (ENOMEM), in a few words. */
	void		 (*no_memory)(char *, size_t);

	/*
	 * A recording's own steps and state, in place of the session's
	 * history and allocator.  NULL: the history serves (history.c) and
	 * the snapshot walks the allocator (snapshot.c).  recording: the
	 * recording whose step the views draw (snapshot-trace.c reads it).
	 */
	size_t		 (*length)(const struct session *);
	const char	*(*line)(const struct session *, size_t);
	int		 (*go)(struct session *, size_t, struct out *);
	struct recording *(*recording)(const struct session *);
	/* What a recording is of (its program), for messages. */
	const char	*(*program)(const struct session *);
	/* Whether a model follows the recording at its step, so that the
	 * model's views (bins, explain, check: CMD_ON_MODEL) may run; if
	 * not, why ("" when there is no model at all).  NULL: none. */
	bool		 (*modelled)(struct session *, char *why, size_t);
	/* Back to the engine under this one (trace); NULL: none. */
	void		 (*leave)(struct session *);
	/*
	 * The model checked against a real allocator, call by call (real
	 * mode on glibc); NULL (or a NULL op): nothing is checked.
	 */
	const struct engine_verify *(*verify)(const struct session *);
};

extern const struct engine_ops engine_sim;
extern const struct engine_ops engine_real;
extern const struct engine_ops engine_trace;

/* The engine `mode NAME` chooses (sim, real), or NULL. */
const struct engine_ops *engine_find(const char *);

struct recording;
/*
 * Make rec the session's mode, over the engine it is on, at rec's step;
 * what rides on the session is told first (an open lesson closes).
 */
void		 engine_trace_enter(struct session *, struct recording *,
		     struct out *);

#endif
