/*
 * history.h -- every state-changing command is a numbered step; going back
 * and forth restores the exact state at any step.
 *
 * A step is kept as the command line that made it.  Every CHECKPOINT_EVERY
 * steps (more on a big heap: see history_due) the whole state is saved: the memory source's layout and bytes
 * (in 4 KiB pages, each shared with the checkpoint before when unchanged),
 * the allocator's own state, the names and the log's length.  Reaching step
 * N restores the checkpoint at or before N and replays the lines after it:
 * the simulation is deterministic, so the replay lands on the very same
 * bytes.
 */
#ifndef HEAPVIZ_HISTORY_H
#define HEAPVIZ_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct session;
struct out;
struct decision;
struct model_ops;

#define CHECKPOINT_EVERY	1024

/*
 * A step: begin numbers it and sets the log's cause (the allocator's and
 * the memory source's calls after it are the step's); commit makes it
 * join the history when the command is done (interp_exec does this);
 * abort takes back a refused one, and returns false (the step stands)
 * when the allocator had already called the memory source.
 */
void		 history_begin(struct session *, bool foreign,
		     const char *, ...) __attribute__((format(printf, 3, 4)));
void		 history_commit(struct session *);
bool		 history_abort(struct session *);
/* Commit the step begun at interpreter depth `depth`, if one is. */
void		 history_commit_at(struct session *, int depth);
/* Take back a step begun that did not happen (the process died). */
void		 history_cancel(struct session *);
/* How many later steps new steps dropped since last asked (then 0). */
size_t		 history_take_dropped(struct session *);
/* A trace's engine shows its own step and line: set them. */
void		 history_set_position(struct session *, uint32_t step,
		     const char *last);
/* The allocator's hook (the model's set_hook): each decision of the
 * step, in display addresses.  The engines set it. */
struct model_event;
void		 history_on_decision(void *, const struct model_event *);
/* `reset`: out of a trace, then a step back to the fresh state. */
void		 history_reset(struct session *);

struct history	*history_create(void);
void		 history_destroy(struct history *);

/* Whether the step just made should be a checkpoint. */
bool		 history_due(const struct session *);
/* Save the state as it is now as the checkpoint for step `step`. */
void		 history_checkpoint(struct session *, size_t step);
/* Put the session back to the state the session started in (step 0), on
 * the model it is on now. */
void		 history_restore_start(struct session *);
/*
 * The same on model ops: a fresh heap on it, the log and the history
 * going on (`allocator NAME`).  -1 when the mode cannot change its model
 * (the session as it was).
 */
int		 history_restore_fresh(struct session *,
		     const struct model_ops *);
/* The model step 0 is on: the one a saved script starts on. */
const struct model_ops *history_start_model(const struct session *);

/* Step s->step was made by line; returns how many steps of an old future
 * (after going back) it dropped. */
size_t		 history_push(struct session *, const char *line);

/* Move to step n (0 .. history_length); -1 with a message if out of range. */
int		 history_goto(struct session *, size_t n, struct out *);
/*
 * One step forward, after going back, running the step's line again where
 * out sees it: the result reads as it did when the step was made, and the
 * later steps are kept.  -1 when there is no later step.
 */
int		 history_forward_shown(struct session *, struct out *);
/* From step 0 (a fresh subject, in real mode) to step n, by replay. */
int		 history_replay_from_start(struct session *, size_t n,
		     struct out *);
/* Steps that changed the state so far (the one shown). */
uint32_t	 history_step(const struct session *);
/* The last command, for the views. */
const char	*history_last_line(const struct session *);
/* What the allocator decided in the last step, *n of them. */
const struct decision *history_decisions(const struct session *, size_t *n);
/* The log's first entry since reset, and the last step's first. */
size_t		 history_log_base(const struct session *);
size_t		 history_log_mark(const struct session *);
/* Whether the history is replaying a step (going back, restart). */
bool		 history_replaying(const struct session *);
size_t		 history_length(const struct session *);
size_t		 history_checkpoints(const struct session *);
size_t		 history_position(const struct session *);
const char	*history_line(const struct session *, size_t step);
/* Host memory kept for time travel, in bytes. */
size_t		 history_bytes(const struct session *);

#endif
