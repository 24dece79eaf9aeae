/*
 * names.h -- the names a user gave blocks (p1, p2, ... or chosen), and
 * the indexes that find them by name and by address.
 *
 * A name stays bound after its block is freed (dangling), and several may
 * be bound to one address over time; the newest live one is the one a
 * user means.  The array is read directly (v, n); it is changed only
 * through names_bind and names_mark_freed, or replaced wholesale and then
 * names_rehash called (going back in time, a trace's step).
 */
#ifndef HEAPVIZ_NAMES_H
#define HEAPVIZ_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NAMES_MAX	32		/* bytes of a name, with its NUL */

/* A name bound to a block. */
struct binding {
	char		 name[NAMES_MAX];
	uint64_t	 mem;		/* display address of the block */
	size_t		 request;	/* bytes asked for */
	bool		 live;		/* false once freed: dangling */
	uint32_t	 step;		/* when it was bound or freed */
};

struct names_memslot;

struct names {
	struct binding		*v;		/* in the order they were bound */
	size_t			 n, cap;
	unsigned		 next_auto;	/* the n of the next pN */
	/*
	 * The indexes, kept by names.c: by name (open addressing, index +
	 * 1) and by address (each slot heads a chain of the live bindings
	 * through mem_next, newest first, and a list of all through
	 * all_next/all_prev).
	 */
	uint32_t		*name_ix;
	struct names_memslot	*mem_ix;
	uint32_t		*mem_next;
	uint32_t		*all_next, *all_prev;
	size_t			 ix_cap, mem_used, ix_n;
};

void		 names_free(struct names *);
/* After v was replaced wholesale. */
void		 names_rehash(struct names *);
/* Make the names these n (copied), with next_auto. */
void		 names_replace(struct names *, const struct binding *, size_t,
		     unsigned next_auto);

struct binding	*names_lookup(struct names *, const char *);
/* The newest binding at mem (live: the newest live one), or NULL. */
struct binding	*names_lookup_mem(struct names *, uint64_t mem, bool live);
/* Bind (or rebind) a name at step; NULL picks the next pN. */
struct binding	*names_bind(struct names *, const char *, uint64_t mem,
		     size_t request, uint32_t step);
/* Every live name bound to mem is dangling from step on. */
void		 names_mark_freed(struct names *, uint64_t mem, uint32_t step);
const char	*names_next(struct names *);
/* A letter or _, then letters, digits or _; not NULL; short enough. */
bool		 names_valid(const char *);

#endif
