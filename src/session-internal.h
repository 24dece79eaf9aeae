/*
 * session-internal.h -- the session's state, field by field, for the
 * files that own a part of it: session.c (the program's: names, foreign
 * memory; the lesson's and the full screen's slots), history.c (the
 * step's), interp.c (the interpreter's) and engine-*.c (the engine's).
 * Everyone else reads and changes a session through the calls of
 * session.h, history.h and interp.h; tests/layers.sh fails when another
 * file includes this.
 */
#ifndef HEAPVIZ_SESSION_INTERNAL_H
#define HEAPVIZ_SESSION_INTERNAL_H

#include "session.h"

/*
 * The state.  Each group says whose it is (a trace's engine also shows
 * its step and names in the step's and the program's).
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

	/*
	 * The step's: history.c's alone (begin, commit, abort, going back),
	 * and session.c's to make fresh and free (and to read replaying).
	 * Everyone else, the engines and the interpreter too, goes through
	 * history.h.
	 */
	struct step_state {
		uint32_t	 step;		/* steps that changed state */
		char		 last[128];	/* the last command */
		struct decision	*dec;		/* the last step's decisions */
		size_t		 ndec, capdec;
		struct decision	*dec_prev;	/* the step before, for */
		size_t		 ndec_prev, capdec_prev; /* history_abort */
		size_t		 log_base;	/* first entry since reset */
		size_t		 log_mark;	/* the step's first entry */
		size_t		 log_mark_prev;
		char		 last_prev[128];
		bool		 pending;	/* a step begun, not recorded */
		int		 pending_depth;
		char		 pending_line[4100];
		size_t		 dropped;	/* old future dropped */
		bool		 replaying;	/* a step is replayed */
	}			 st;

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
	/* Reached through session_reply and session_record. */
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

#endif
