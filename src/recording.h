/*
 * recording.h -- a traced program's run, kept as a session to step through.
 *
 * `trace PROGRAM [ARGS...]` runs the program to its end under sysmon with
 * libheapviz-preload.so loaded into it, and records in order every brk,
 * mmap, munmap and mremap system call (from the kernel's side: arguments
 * and result), every malloc-family call the library reports, and the end.
 * Step k of the session is the first k recorded events: the views show the
 * program's break, its blocks at their real addresses (in use, or freed:
 * dangling) and its memory map as they were then, and the log shows the
 * system calls with the call that caused them.
 *
 * A recording is a mode of its own: the trace engine (engine-trace.c)
 * makes it the session's state, asks it for steps and snapshots, and
 * refuses commands that would change the heap.  `reset` leaves the
 * recording and the session is the one it was entered from again.
 */
#ifndef HEAPVIZ_RECORDING_H
#define HEAPVIZ_RECORDING_H

#include <stdbool.h>
#include <stddef.h>

struct binding;
struct session;
struct snapshot;
struct out;
struct recording;

/* recording_trace's flags. */
#define RECORDING_QUIET_OUTPUT	0x1	/* the program's output: dropped */

/*
 * Run argv[0] with its arguments and make the recording the session, at
 * its last step.  0, or -1 (the program could not be started) with a
 * message through out and the session as it was.  Ctrl-C (SIGINT, or
 * feedback's interrupted) stops the program and keeps what it did.
 */
int		 recording_trace(struct session *, char *const argv[],
		     unsigned flags, struct out *);

/*
 * What the front end shows while a program runs: progress gets a line a
 * few times a second (NULL at the end: take it away); interrupted says
 * whether the user asked to stop the program (the full screen's Ctrl-C
 * is a key, not a signal).  Either may be NULL.
 */
struct recording_feedback {
	void		 (*progress)(void *ctx, const char *line);
	bool		 (*interrupted)(void *ctx);
	void		*ctx;
};
void		 recording_set_feedback(const struct recording_feedback *);
/* A recording's end: its model's replay first (recording-model.c), then
 * the recording itself. */
void		 recording_model_free(struct recording *);
void		 recording_free(struct recording *);

/* What the trace engine (engine-trace.c) reads and moves. */
const char	*recording_program(const struct recording *);
size_t		 recording_length(const struct recording *);
/* Step's line, in one of two buffers the recording keeps, in turn. */
const char	*recording_line(struct recording *, size_t step);
/* The step the recording is at, its line as the last command, and the
 * names a session on it holds (an array the recording keeps). */
size_t		 recording_position(const struct recording *);
void		 recording_last(struct recording *, char *, size_t);
const struct binding *recording_names(struct recording *, size_t *n,
		     unsigned *next_auto);
int		 recording_goto(struct recording *, size_t step, struct out *);
/*
 * Whether the glibc model (recording-model.c) follows the program at the
 * step the recording is at, so that its bins and decisions are the
 * program's; if not, why in words (or "" when no model ran at all).
 */
bool		 recording_modelled(struct recording *, char *why, size_t);

#endif
