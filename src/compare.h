/*
 * compare.h -- one session's steps on two allocator models, side by side.
 *
 * `compare` (and `heapviz --compare A,B`) runs every step the session
 * makes on two models at once: two more sessions, one on each model, that
 * run the lines of the session's history in the same order.  The session
 * the user types into stays the truth for the lines and for where in time
 * it is; the two follow it (compare_sync), so back, forward, goto and a
 * new step after going back move them too.  Names are the same on both
 * sides because the same lines bind them.
 *
 * For every step each side keeps what it did: the block it placed or
 * freed (name, address, offset from its own heap start, chunk size,
 * whether it was mapped), the model's words for its decisions, or its
 * refusal.  The first divergence is the first step where the two place a
 * block differently: at different offsets from their heap starts, one
 * mapped and the other not, or one places it and the other does not.
 */
#ifndef HEAPVIZ_COMPARE_H
#define HEAPVIZ_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "names.h"
#include "out.h"
#include "session.h"

struct compare;

/* What one model did with one line. */
struct compare_side {
	bool		 made;		/* the line made a step there */
	bool		 refused;	/* it refused the line (why in did) */
	char		 name[NAMES_MAX]; /* the block the step placed or
					 * freed, or "" */
	bool		 placed;	/* placed it (else freed it) */
	uint64_t	 mem;		/* 0: NULL, or no block */
	uint64_t	 heap_start;
	uint64_t	 first;		/* the first block this side placed in
					 * its heap, by this step; 0: none yet.
					 * Placements are compared from it:
					 * glibc's tcache struct puts all of
					 * glibc's blocks 0x290 further in */
	size_t		 chunk;		/* its chunk's size; 0: unknown */
	bool		 mapped;	/* outside the heap: mmapped */
	char		 did[240];	/* the model's words, or why refused */
};

struct compare_step {
	char			*line;
	uint32_t		 at[2];		/* each side's step after it */
	struct compare_side	 side[2];
	bool			 diverged;	/* placed differently */
};

/*
 * Compare the session's steps on a and b (two different models), from
 * its first step; -1 with a message when it cannot (a recording, a live
 * process, the same model twice).  Starting again replaces the pair.
 */
int		 compare_start(struct session *, const struct model_ops *a,
		     const struct model_ops *b, struct out *);
/* Stop comparing (nothing if it was not). */
void		 compare_stop(struct session *);
/* The session's comparison, or NULL. */
struct compare	*compare_of(const struct session *);

/* Bring both sides to the session's history and step. */
void		 compare_sync(struct compare *, struct session *);

const struct model_ops *compare_model(const struct compare *, int side);
/* A side's session, at the step the session is at (after compare_sync). */
struct session	*compare_session(const struct compare *, int side);
/* Steps compared (the session's history) and step i of them (1-based). */
size_t		 compare_steps(const struct compare *);
const struct compare_step *compare_step(const struct compare *, size_t i);
/* The first step where the two place a block differently; 0: none. */
size_t		 compare_first_divergence(const struct compare *);

/* The steps the last line the user ran made and the comparison said
 * (after each line it says the new ones): from + 1 .. to. */
void		 compare_last_said(const struct compare *, size_t *from,
		     size_t *to);
/* Step i in words: a line per side, and the divergence if it is one. */
void		 compare_say_step(const struct compare *, size_t i,
		     struct out *);
/* Step i as one JSON object (no newline). */
void		 compare_json_step(const struct compare *, size_t i,
		     struct buf *);
/* Where the comparison stands, in a line or two. */
void		 compare_say_status(const struct compare *, struct out *);
/* The session's step on both sides: what it did, and each heap as it
 * stands then (after compare_sync). */
void		 compare_say_here(const struct compare *,
		     const struct session *, struct out *);

#endif
