/*
 * session.h -- one heapviz session: the allocator, its memory source, the
 * names the user gave blocks, the log, and the settings.
 *
 * Commands (cmd-*.c) change a session only through the session_* calls
 * below, which run the allocator where the engine runs it (engine.h) and
 * keep the names, and through history_begin/commit/abort (history.h),
 * which number the step and set the cause of its memory-source calls.
 */
#ifndef HEAPVIZ_SESSION_H
#define HEAPVIZ_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"
#include "events.h"
#include "memsrc.h"
#include "names.h"
#include "out.h"

/* Memory the break covers that is not our allocator's. */
struct foreign {
	uint64_t	 start, end;	/* display addresses */
	char		 who[40];	/* "libc stdio buffer", "sbrk command" */
};


enum session_status {
	SESSION_OK,
	SESSION_ERROR,		/* the command failed; the session is as it was */
	SESSION_QUIT,
};

struct session;

/*
 * What rides on the session from a higher layer (an open lesson) is told
 * through these: the session and its history call up only so.
 */
struct session_watch {
	void	 (*committed)(struct session *);  /* step s->step stands */
	void	 (*recorded)(struct session *, struct out *); /* a trace */
	void	 (*destroyed)(struct session *);
	/* A line the interpreter ran is done (a line of a file or a
	 * lesson too; not one going back in time replays); out is where
	 * its words went. */
	void	 (*line_done)(struct session *, struct out *);
};

/*
 * The state.  Each group says whose it is (a trace's engine also shows
 * its step and names in the step's and the program's); anyone reads it.
 * Commands change it only through the calls below and history.h's.
 */
struct session {
	/* The engine's (engine*.c): where the allocator runs. */
	const struct engine_ops	*eng;		/* the mode (engine.h) */
	void			*eng_data;	/* that engine's own */
	struct evlog		*log;
	struct memsrc		*ms;
	struct model		*m;		/* the allocator model */
	struct history		*hist;		/* every step, for going back */
	const struct model_ops	*model_ops;	/* which model m is: kept
						 * when the engine starts
						 * afresh */
	const struct model_ops	*pinned;	/* a session that stands for
						 * one model (compare's
						 * sides): `allocator NAME`
						 * starts afresh on it */

	/* The program's, besides its heap: session.c, names.c. */
	struct names		 names;		/* names.h */
	struct foreign		*foreign;
	size_t			 nforeign, capforeign;
	bool			 stdio_ready;	/* printf has run once */

	/* The step's: history.c (begin, commit, abort, going back). */
	uint32_t		 step;		/* steps that changed state */
	char			 last[128];	/* the last command, for views */
	struct decision		*dec;		/* the last step's decisions */
	size_t			 ndec, capdec;
	struct decision		*dec_prev;	/* the step before, for */
	size_t			 ndec_prev, capdec_prev; /* history_abort */
	size_t			 log_base;	/* first log entry since reset */
	size_t			 log_mark;	/* first log entry of the step */
	size_t			 log_mark_prev;
	char			 last_prev[128];
	bool			 pending;	/* a step begun, not yet recorded */
	int			 pending_depth;
	char			 pending_line[4100];
	size_t			 dropped;	/* future steps a new one dropped */
	bool			 replaying;	/* history is replaying a step */

	/* The interpreter's (interp.c). */
	/* Runs one line: interp_exec puts itself here, and going back in
	 * time replays the history through it. */
	enum session_status	 (*run)(struct session *, const char *,
				    struct out *);
	const char		*exec_line;	/* the line interp_exec runs */
	int			 exec_depth;	/* nesting of interp_exec */
	int			 depth;		/* nesting of `source` */
	const char		*file;		/* the script being read, if any */
	unsigned		 line;
	struct buf		 reply;		/* cmd.c builds replies here */
	struct out_record	*record;	/* --json: the line's fields */

	/* What rides on it: the open lesson (lesson.c). */
	struct lesson		*lesson;	/* the script `open` loaded */
	const struct session_watch *watch;	/* its hooks, or NULL */
	bool			 in_lesson;	/* running a lesson's line */
	/* The same steps on two models, side by side (compare.c). */
	struct compare		*compare;
	const struct session_watch *compare_watch;	/* its hooks */

	/*
	 * The full screen's: it sets ui_panes while it runs; a command meant
	 * for it (zoom) leaves its request in ui_request, which the full
	 * screen reads and clears after the line.  Commands never touch
	 * curses.
	 */
	bool			 ui_panes;
	char			 ui_request[32];
};

struct engine_ops;

struct session	*session_create(void);
/*
 * Start afresh on engine e (engine.h: sim or real; aslr keeps a real
 * subject's address randomisation).  On failure the session is a fresh
 * simulated one and out says why.
 */
int		 session_set_mode(struct session *, const struct engine_ops *,
		     bool aslr, struct out *);
/*
 * Starts afresh on another allocator model, in the same mode (a mode that
 * runs a process takes only a model that can adopt a live process's
 * state).  -1 with a message through out, the session as it was, when it
 * cannot.
 */
int		 session_set_model(struct session *, const struct model_ops *,
		     struct out *);
/* Whether the mode cannot run model ops (said through out). */
bool		 session_model_refused(struct session *,
		     const struct model_ops *, struct out *);
/* The engine the session runs on: ask it what the mode offers. */
const struct engine_ops *session_engine(const struct session *);
/* Whether it runs on e already, keeping address randomisation or not. */
bool		 session_is_in(const struct session *,
		     const struct engine_ops *, bool aslr);
/* Out of a recording, back to the engine under it (if any). */
void		 session_leave(struct session *);
/* How the engine's process ended, or NULL while it runs (or none). */
const char	*session_death(const struct session *);
/* A new process, brought to the current step by replay (`restart`). */
int		 session_restart(struct session *, struct out *);
/* The engine's process, or 0. */
long		 session_pid(const struct session *);
void		 session_destroy(struct session *);

/* ---- For commands. ---- */

/*
 * The allocator's operations, as the C calls (errno set), run where the
 * engine runs the allocator: in this process, or in the real-mode
 * subject.  A recording runs none: they fail with EPERM.
 */
void		*session_malloc(struct session *, size_t);
void		*session_calloc(struct session *, size_t, size_t);
/* memalign(3) (aligned_alloc and posix_memalign too); NULL with ENOSYS in
 * real mode, whose subject does not take it yet. */
void		*session_memalign(struct session *, size_t, size_t);
void		*session_realloc(struct session *, void *, size_t);
void		*session_reallocarray(struct session *, void *, size_t,
		     size_t);
int		 session_free(struct session *, void *);
enum session_tunable {
	SESSION_MMAP_THRESHOLD,
	SESSION_TRIM_THRESHOLD,
	SESSION_CHECKS,		/* value: enum model_checks */
	SESSION_MXFAST,		/* mallopt's M_MXFAST */
	SESSION_MMAP_MAX,	/* mallopt's M_MMAP_MAX */
};
int		 session_tune(struct session *, enum session_tunable, size_t);
/* Put bytes in memory the program owns (write, fill); -1 if unmapped. */
int		 session_poke(struct session *, uint64_t, const void *, size_t);
/* A process's printf("%s", text) (ENGINE_PROCESS); its output to out. */
int64_t		 session_printf_real(struct session *, const char *, size_t,
		     struct out *);

/* Every live name bound to mem is dangling from now on (free). */
void		 session_mark_freed(struct session *, uint64_t);

struct binding	*session_lookup(struct session *, const char *);
struct binding	*session_lookup_mem(struct session *, uint64_t, bool live);
/* Bind (or rebind) a name; NULL name picks the next pN.  Returns it. */
struct binding	*session_bind(struct session *, const char *, uint64_t,
		     size_t);
const char	*session_next_name(struct session *);

/* The allocator's hook (the model's set_hook): the engines set it. */
void		 session_on_decision(void *, const struct model_event *);

/* Display address <-> host pointer for allocator results. */
uint64_t	 session_disp(struct session *, const void *);
void		*session_host(struct session *, uint64_t, size_t);

void		 session_add_foreign(struct session *, uint64_t, uint64_t,
		     const char *);
/* The lowest address the break may be moved down to. */
uint64_t	 session_break_floor(struct session *);

#endif
