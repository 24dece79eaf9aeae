/*
 * snapshot.h -- the one read-only view of a session every renderer uses.
 *
 * Taking a snapshot walks the allocator, the names, the mappings and the log
 * once; renderers (text, JSON, the full-screen panes) read only this and
 * never reach into the allocator.  All addresses are display addresses.
 */
#ifndef HEAPVIZ_SNAPSHOT_H
#define HEAPVIZ_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "events.h"
#include "memsrc.h"
#include "model.h"

struct session;

struct snap_chunk {
	uint64_t		 addr, mem, size;
	uint64_t		 prev_foot, head;	/* raw header fields */
	enum model_chunk_state	 state;
	int			 bin_class;		/* free chunks: the
							 * model's class */
	int			 bin;
	uint64_t		 fd, bk;		/* free chunks; 0: wild */
	uint64_t		 fd_stored;	/* the fd word, when the model
						 * stores it mangled */
	uint64_t		 fd_decoded;	/* and what it decodes to */
	bool			 fd_mangled;
	const char		*name;		/* bound name, or NULL */
	bool			 dangling;	/* the name was freed */
	bool			 changed;	/* touched by the last step */
	int32_t			 thread;	/* a trace: the thread whose
						 * arena holds it; 0: main */
};

struct snap_bin {
	int			 cls;		/* a LIST class of the model */
	int			 index;
	size_t			 n;
	uint64_t		*chunks;	/* in link order */
	size_t			 lo, hi;	/* the sizes the bin holds */
};

struct snap_name {
	const char	*name;
	uint64_t	 mem;
	size_t		 request;
	bool		 live;
};

/* A ONE class's chunk (dlmalloc's dv), present or not. */
struct snap_special {
	int			 cls;
	bool			 has;
	uint64_t		 addr, size;
};

/* A piece of the allocator's own state (glibc's main_arena). */
struct snap_object {
	const char	*name, *words;
	uint64_t	 start, end;
};

#define SNAP_MAX_BITMAPS	8
#define SNAP_MAX_SPECIALS	4
#define SNAP_MAX_FACTS		8
#define SNAP_MAX_OBJECTS	4

struct snap_foreign {
	uint64_t	 start, end;
	const char	*who;
};

/*
 * A model checked against a traced program's addresses: how
 * many calls it made, how many came out at the real address, and the
 * first that did not.
 */
struct snap_verify {
	const char	*allocator;		/* "glibc-2.36" */
	size_t		 calls, agree;
	bool		 diverged;
	size_t		 step;			/* the first divergence */
	const char	*call;			/* "malloc(100)" */
	uint64_t	 real, model;
	bool		 model_null;		/* refused, or NULL */
	const char	*why;
};

struct snapshot {
	const char		*mode;			/* "sim" */
	bool			 process;	/* a live process's heap (real) */
	bool			 recorded;	/* a recording's step: nothing
						 * typed changes it (trace) */
	/* A recording: the bins are a model's, replaying the program
	 * (model_view); or no model follows it at this step, and no bins
	 * are known (bins_unknown: the views say so, not "empty"). */
	bool			 model_view;
	bool			 bins_unknown;
	const struct model_ops	*model;			/* whose bins */
	uint64_t		 heap_start, brk, initial_brk;

	struct snap_chunk	*chunks;		/* address order */
	size_t			 nchunks;

	struct snap_bin		*bins;			/* non-empty only */
	size_t			 nbins;
	struct model_bitmap	 bitmaps[SNAP_MAX_BITMAPS];
	size_t			 nbitmaps;
	struct snap_special	 specials[SNAP_MAX_SPECIALS];	/* ONE */
	size_t			 nspecials;			/* classes */
	bool			 has_top;
	uint64_t		 top, topsize;
	struct model_fact	 facts[SNAP_MAX_FACTS];	/* the model's */
	size_t			 nfacts;		/* settings */
	struct snap_object	 objects[SNAP_MAX_OBJECTS];
	size_t			 nobjects;

	struct snap_name	*names;			/* binding order */
	size_t			 nnames;

	struct mapping		*maps;			/* address order */
	size_t			 nmaps;
	const char		**map_names;		/* trace: per map */
	struct snap_foreign	*foreign;
	size_t			 nforeign;

	const struct sysevent	*log;			/* the session's log */
	size_t			 nlog;
	size_t			 log_new;		/* first of last step */

	const struct decision	*dec;			/* last step's */
	size_t			 ndec;

	/* The model checked against the real allocator (real mode on
	 * glibc), or NULL. */
	const struct engine_verify *verify;

	struct model_stats	 stats;
	size_t			 mmap_threshold, trim_threshold;
	enum model_checks	 checks;
	const char		*checks_own;	/* checks OFF's word */
	size_t			 max_fast;	/* MODEL_MXFAST's, or 0 */
	uint32_t		 step;
	const char		*last;			/* last command */

	char			(*violations)[160];
	size_t			 nviolations;

	bool			 has_tverify;	/* tverify holds something */
	struct snap_verify	 tverify;	/* a trace's (verify: real
						 * mode's) */

	/* A view (snapshot_view): chunks, names and the bins' lists are
	 * not copied but read through snapshot_view_*; NULL otherwise. */
	struct snap_index	*ix;
	struct session		*sess;
};

/* The snapshot points into the session: valid until the session changes. */
struct snapshot	*snapshot_take(struct session *);
void		 snapshot_free(struct snapshot *);
/* The chunk containing addr (binary search), or NULL. */
const struct snap_chunk *snapshot_find(const struct snapshot *, uint64_t);
/* The ONE class that names the chunk at addr (glibc's tcache struct, an
 * in-use chunk; dlmalloc's dv), or NULL. */
const struct model_bin_class *snapshot_special_at(const struct snapshot *,
		    uint64_t);

/*
 * ---- The windowed view, for the full-screen panes. ----
 *
 * The panes show a screenful of rows, and what they show after a command
 * must not cost more on a heap of 100,000 chunks than on one of ten.
 * snapshot_take walks every chunk and every bin and runs the checker;
 * snapshot_view does none of that.  It keeps, from one step to the next,
 * an index of where every chunk is (struct snap_index: address, size and
 * state of each, in blocks of a few hundred with counts, so that the n-th
 * chunk, the chunk at an address and the free/in-use counts of a range are
 * found without a walk), and after a step it walks again only around what
 * the step touched: from each chunk the allocator's decisions name, and
 * old and new top and dv, forward until the walk meets a chunk boundary
 * the index already had.  The rows a pane shows are read fresh from the
 * heap (alloc_walk_from), a screenful at a time; the bins' lists likewise,
 * only as far as shown.  A view snapshot has nchunks 0, no names, no
 * stats, no violations, and bins[] with their counts but chunks NULL.
 *
 * The index is walked whole again (and the checker run, to know whether
 * the heap is sound) after any step but one allocator call on a sound heap
 * with strict checks in the simulation: `write` and `fill` can put any
 * byte anywhere, time travel, scripts and lessons make many steps at once,
 * `set checks off` lets an operation follow a damaged link, real mode
 * copies a whole process back.  So what is quick is the common case, and
 * the rest costs what snapshot_take costs.  A chunk read for the screen
 * that does not match the index also has it walked whole the next time.
 *
 * The index belongs to the caller and lives as long as the session it
 * follows (one per full screen); the view snapshot points into both.
 */
struct snap_index;

enum snap_hint {
	SNAP_ANY,	/* anything may have changed */
	SNAP_VIEW,	/* a command that only looks (heap, help, show, ...) */
	SNAP_ALLOC,	/* one allocator call (malloc, calloc, realloc, free) */
};

struct snap_index *snap_index_create(void);
void		 snap_index_free(struct snap_index *);
/* Whole walks of the heap the index took (for tests). */
size_t		 snap_index_rebuilds(const struct snap_index *);

struct snapshot	*snapshot_view(struct session *, struct snap_index *,
		     enum snap_hint);

/* Chunks of a view, in address order as snapshot_take lists them. */
size_t		 snapshot_view_count(const struct snapshot *);
/* Where chunk i is, without reading it. */
void		 snapshot_view_entry(const struct snapshot *, size_t i,
		     uint64_t *addr, uint64_t *size,
		     enum model_chunk_state *);
/* The first chunk at or above addr (count if none). */
size_t		 snapshot_view_lower(const struct snapshot *, uint64_t);
/* The chunk containing addr, or SIZE_MAX. */
size_t		 snapshot_view_find(const struct snapshot *, uint64_t);
/* Chunks first.. read in full (names, links, changed), at most n. */
size_t		 snapshot_view_chunks(const struct snapshot *, size_t first,
		     size_t n, struct snap_chunk *);
/* The chunk containing addr, read in full; false if none. */
bool		 snapshot_view_chunk_at(const struct snapshot *, uint64_t,
		     struct snap_chunk *);
/* Whether chunks i0..i1-1 include a free one, an in-use one. */
void		 snapshot_view_kinds(const struct snapshot *, size_t i0,
		     size_t i1, bool *has_free, bool *has_inuse);
/* The first mmapped chunk (count if none). */
size_t		 snapshot_view_first_mmapped(const struct snapshot *);
/* The first chunk the last step changed (SIZE_MAX if none). */
size_t		 snapshot_view_first_changed(const struct snapshot *);
/* Bin b's (an index into bins[]) chunks from position from, at most max. */
size_t		 snapshot_view_bin_chunks(const struct snapshot *, size_t b,
		     size_t from, uint64_t *, size_t max);
/* The first bin entry (bin, position) whose chunk the last step changed. */
bool		 snapshot_view_bins_changed(const struct snapshot *, size_t *b,
		     size_t *pos);

#endif
