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

#include "alloc.h"
#include "events.h"
#include "memsrc.h"

struct session;

struct snap_chunk {
	uint64_t		 addr, mem, size;
	uint64_t		 prev_foot, head;	/* raw header fields */
	enum alloc_chunk_state	 state;
	enum alloc_bin_kind	 bin_kind;		/* free chunks */
	int			 bin;
	uint64_t		 fd, bk;		/* free chunks; 0: wild */
	const char		*name;		/* bound name, or NULL */
	bool			 dangling;	/* the name was freed */
	bool			 changed;	/* touched by the last step */
};

struct snap_bin {
	enum alloc_bin_kind	 kind;		/* SMALL or TREE */
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

struct snap_foreign {
	uint64_t	 start, end;
	const char	*who;
};

struct snapshot {
	const char		*mode;			/* "sim" */
	uint64_t		 heap_start, brk, initial_brk;

	struct snap_chunk	*chunks;		/* address order */
	size_t			 nchunks;

	struct snap_bin		*bins;			/* non-empty only */
	size_t			 nbins;
	uint32_t		 smallmap, treemap;
	bool			 has_dv, has_top;
	uint64_t		 dv, dvsize, top, topsize;

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

	struct alloc_stats	 stats;
	size_t			 mmap_threshold, trim_threshold;
	enum alloc_checks	 checks;
	uint32_t		 step;
	const char		*last;			/* last command */

	char			(*violations)[160];
	size_t			 nviolations;
};

/* The snapshot points into the session: valid until the session changes. */
struct snapshot	*snapshot_take(struct session *);
void		 snapshot_free(struct snapshot *);
/* The chunk containing addr (binary search), or NULL. */
const struct snap_chunk *snapshot_find(const struct snapshot *, uint64_t);

#endif
