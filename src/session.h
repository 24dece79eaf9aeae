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

/*
 * The session is opaque: its fields are private to the files that own
 * them (session-internal.h).  Everyone else reads it through the calls
 * below, history.h's (the step) and interp.h's (the line being run).
 */
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

/* ---- What the session holds, read through these. ---- */

/* The engine's: the allocator model, its memory source, the log. */
struct model	*session_model(const struct session *);
struct memsrc	*session_memsrc(const struct session *);
struct evlog	*session_log(const struct session *);
/* Which model the session runs (kept when the engine starts afresh). */
const struct model_ops *session_model_ops(const struct session *);
/* The model a session stands for, whatever its lines switch to (compare's
 * sides), or NULL; set once, after session_create. */
const struct model_ops *session_pinned(const struct session *);
void		 session_pin(struct session *, const struct model_ops *);

/* The program's: the names given blocks, in the order bound. */
const struct names *session_names(const struct session *);
/* The memory the break covers that is not the allocator's, *n of them. */
const struct foreign *session_foreign(const struct session *, size_t *n);
/* The break moved down to brk: the foreign memory above it is given
 * back, from the top down. */
void		 session_foreign_trim(struct session *, uint64_t brk);
/* printf has run once: libc's stdio buffer is in the heap. */
bool		 session_stdio_ready(const struct session *);
void		 session_set_stdio_ready(struct session *);

/* The open lesson (lesson.c's), its hooks, and whether one of its lines
 * is running. */
struct lesson	*session_lesson(const struct session *);
void		 session_set_lesson(struct session *, struct lesson *);
void		 session_set_watch(struct session *,
		     const struct session_watch *);
bool		 session_in_lesson(const struct session *);
void		 session_set_in_lesson(struct session *, bool);
/* The running `compare` (compare.c's) and its hooks, or NULL. */
struct compare	*session_compare(const struct session *);
void		 session_set_compare(struct session *, struct compare *,
		     const struct session_watch *);
/* Which history the engine keeps now: a new one when it starts afresh
 * (only to tell them apart; history.h reads it). */
const struct history *session_history(const struct session *);
/* The interpreter that runs a line on this session: going back in time
 * replays the history through it (interp_exec sets itself). */
typedef enum session_status session_run_fn(struct session *, const char *,
		     struct out *);
void		 session_set_run(struct session *, session_run_fn *);
session_run_fn	*session_run(const struct session *);
/* The line interp_exec is running, or NULL. */
const char	*session_exec_line(const struct session *);

/*
 * The full screen's: it says it runs (panes); a command meant for it
 * (zoom) leaves a request, "" for none, which the full screen reads and
 * clears after the line.  Commands never touch curses.
 */
bool		 session_ui_panes(const struct session *);
void		 session_ui_set_panes(struct session *, bool);
const char	*session_ui_request(const struct session *);
void		 session_ui_set_request(struct session *, const char *);

/*
 * The line being run's: batch mode's --json sends the fields of each
 * line to r (NULL: none); session_record is that record while the line
 * is the user's own (not one a script, a replay or a command runs), NULL
 * otherwise.  session_reply is where commands build a reply line.
 */
void		 session_set_record(struct session *, struct out_record *r);
struct out_record *session_record(const struct session *);
struct buf	*session_reply(struct session *);

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

/* Display address <-> host pointer for allocator results. */
uint64_t	 session_disp(struct session *, const void *);
void		*session_host(struct session *, uint64_t, size_t);

void		 session_add_foreign(struct session *, uint64_t, uint64_t,
		     const char *);
/* The lowest address the break may be moved down to. */
uint64_t	 session_break_floor(struct session *);

#endif
