/*
 * names.c -- the names a user gave blocks, found by name and by address.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "xmalloc.h"

/* Binding indexes here are index + 1; 0 is none. */
struct names_memslot {
	uint64_t		 mem;
	uint32_t		 live;		/* live bindings, newest first */
	uint32_t		 all;		/* every binding, in no order */
	uint32_t		 top;		/* the newest of all; 0: unknown */
	uint32_t		 used;		/* the slot holds an address */
};

/*
 * The indexes of names.  A trace replay binds thousands of names and runs
 * a lookup by name and one by address per command, so both are hashed:
 * names in an open-addressing table of indexes; addresses in a table
 * whose slots hold the live bindings at that address (a chain, newest
 * first: the one a user means; nearly always one) and every binding there,
 * live or dangling (a doubly linked list with its newest remembered), so
 * that freeing a block does not walk the names that were freed there
 * before (a trace frees thousands of blocks at one address).  Slots of
 * addresses no longer bound stay until the next rebuild, which happens
 * when a table is half full.
 */
static size_t
name_hash(const char *name)
{
	uint64_t	h = UINT64_C(14695981039346656037);

	while (*name != '\0')
		h = (h ^ (unsigned char)*name++) * UINT64_C(1099511628211);
	return (size_t)(h ^ (h >> 29));
}

static size_t
mem_hash(uint64_t m)
{
	m ^= m >> 33;
	m *= UINT64_C(0xff51afd7ed558ccd);
	return (size_t)(m ^ (m >> 33));
}

static void
name_index(struct names *nm, size_t i)
{
	size_t	mask = nm->ix_cap - 1, h = name_hash(nm->v[i].name) & mask;

	while (nm->name_ix[h] != 0)
		h = (h + 1) & mask;
	nm->name_ix[h] = (uint32_t)i + 1;
}

static struct names_memslot *
mem_slot(struct names *nm, uint64_t mem, bool add)
{
	size_t	mask = nm->ix_cap - 1, h = mem_hash(mem) & mask;

	for (;; h = (h + 1) & mask) {
		struct names_memslot	*m = &nm->mem_ix[h];

		if (m->used && m->mem == mem)
			return m;
		if (!m->used) {
			if (!add)
				return NULL;
			m->used = 1;
			m->mem = mem;
			nm->mem_used++;
			return m;
		}
	}
}

/* Binding i is live at m's address: into the chain, newest first. */
static void
live_link(struct names *nm, struct names_memslot *m, size_t i)
{
	uint32_t	k;

	if (m->live == 0 || m->live - 1 < i) {
		nm->mem_next[i] = m->live;
		m->live = (uint32_t)i + 1;
		return;
	}
	k = m->live - 1;
	while (nm->mem_next[k] != 0 && nm->mem_next[k] - 1 > i)
		k = nm->mem_next[k] - 1;
	nm->mem_next[i] = nm->mem_next[k];
	nm->mem_next[k] = (uint32_t)i + 1;
}

static void
live_unlink(struct names *nm, struct names_memslot *m, size_t i)
{
	uint32_t	*l;

	for (l = &m->live; *l != 0; l = &nm->mem_next[*l - 1]) {
		if (*l - 1 == i) {
			*l = nm->mem_next[i];
			return;
		}
	}
}

/* Put binding i in the indexes of its address. */
static void
mem_link(struct names *nm, size_t i)
{
	struct names_memslot	*m = mem_slot(nm, nm->v[i].mem, true);

	nm->all_prev[i] = 0;
	nm->all_next[i] = m->all;
	if (m->all != 0)
		nm->all_prev[m->all - 1] = (uint32_t)i + 1;
	else
		m->top = (uint32_t)i + 1;	/* the only one */
	m->all = (uint32_t)i + 1;
	if (m->top != 0 && m->top - 1 < i)
		m->top = (uint32_t)i + 1;
	if (nm->v[i].live)
		live_link(nm, m, i);
}

/* Take binding i out of the indexes of its address (as its live says). */
static void
mem_unlink(struct names *nm, size_t i)
{
	struct names_memslot	*m = mem_slot(nm, nm->v[i].mem, false);

	if (m == NULL)
		return;
	if (nm->all_prev[i] != 0)
		nm->all_next[nm->all_prev[i] - 1] = nm->all_next[i];
	else if (m->all == i + 1)
		m->all = nm->all_next[i];
	if (nm->all_next[i] != 0)
		nm->all_prev[nm->all_next[i] - 1] = nm->all_prev[i];
	if (m->top == i + 1)
		m->top = 0;		/* found again when asked for */
	if (nm->v[i].live)
		live_unlink(nm, m, i);
}

/* The arrays beside names, as long as names can grow. */
static void
names_side_arrays(struct names *nm, size_t n)
{
	nm->mem_next = xreallocarray(nm->mem_next, n, sizeof *nm->mem_next);
	nm->all_next = xreallocarray(nm->all_next, n, sizeof *nm->all_next);
	nm->all_prev = xreallocarray(nm->all_prev, n, sizeof *nm->all_prev);
}

void
names_rehash(struct names *nm)
{
	size_t	cap = 64, i;

	while (cap < 4 * (nm->n + 1))
		cap *= 2;
	free(nm->name_ix);
	free(nm->mem_ix);
	nm->name_ix = xcalloc(cap, sizeof *nm->name_ix);
	nm->mem_ix = xcalloc(cap, sizeof *nm->mem_ix);
	names_side_arrays(nm, nm->cap > nm->n ? nm->cap :
	    nm->n + 1);
	nm->ix_cap = cap;
	nm->mem_used = 0;
	for (i = 0; i < nm->n; i++) {
		name_index(nm, i);
		mem_link(nm, i);
	}
	nm->ix_n = nm->n;
}

/* The indexes, rebuilt if the names changed behind their back. */
static void
names_indexed(struct names *nm)
{
	if (nm->ix_cap == 0 || nm->ix_n != nm->n)
		names_rehash(nm);
}

struct binding *
names_lookup(struct names *nm, const char *name)
{
	size_t	mask, h;

	names_indexed(nm);
	mask = nm->ix_cap - 1;
	for (h = name_hash(name) & mask; nm->name_ix[h] != 0;
	    h = (h + 1) & mask) {
		struct binding	*b = &nm->v[nm->name_ix[h] - 1];

		if (strcmp(b->name, name) == 0)
			return b;
	}
	return NULL;
}

struct binding *
names_lookup_mem(struct names *nm, uint64_t mem, bool live)
{
	struct names_memslot	*m;
	uint32_t		 k;

	/* The newest binding first: it is the one a user means. */
	names_indexed(nm);
	if ((m = mem_slot(nm, mem, false)) == NULL)
		return NULL;
	if (live)
		return m->live != 0 ? &nm->v[m->live - 1] : NULL;
	if (m->all == 0)
		return NULL;
	if (m->top == 0) {
		for (k = m->all; k != 0; k = nm->all_next[k - 1]) {
			if (k > m->top)
				m->top = k;
		}
	}
	return &nm->v[m->top - 1];
}

void
names_mark_freed(struct names *nm, uint64_t mem, uint32_t step)
{
	struct names_memslot	*m;
	uint32_t		 k;

	names_indexed(nm);
	if ((m = mem_slot(nm, mem, false)) == NULL)
		return;
	for (k = m->live; k != 0; k = nm->mem_next[k - 1]) {
		struct binding	*b = &nm->v[k - 1];

		b->live = false;
		b->step = step;
	}
	m->live = 0;
}

bool
names_valid(const char *name)
{
	size_t	i, n = strlen(name);

	if (n == 0 || n >= NAMES_MAX)
		return false;
	if (!isalpha((unsigned char)name[0]) && name[0] != '_')
		return false;
	for (i = 1; i < n; i++) {
		if (!isalnum((unsigned char)name[i]) && name[i] != '_')
			return false;
	}
	return strcmp(name, "NULL") != 0;
}

const char *
names_next(struct names *nm)
{
	static char	name[NAMES_MAX];

	for (;;) {
		snprintf(name, sizeof name, "p%u", nm->next_auto);
		if (names_lookup(nm, name) == NULL)
			return name;
		nm->next_auto++;
	}
}

struct binding *
names_bind(struct names *nm, const char *name, uint64_t mem,
    size_t request, uint32_t step)
{
	struct binding	*b;
	size_t		 i;

	if (name == NULL)
		name = names_next(nm);
	b = names_lookup(nm, name);
	if (b == NULL) {
		if (nm->n == nm->cap) {
			nm->cap = nm->cap ? nm->cap * 2 : 16;
			nm->v = xreallocarray(nm->v, nm->cap,
			    sizeof *nm->v);
			names_side_arrays(nm, nm->cap);
		}
		i = nm->n++;
		b = &nm->v[i];
		memset(b, 0, sizeof *b);
		strlcopy(b->name, name, sizeof b->name);
		b->mem = mem;
		b->live = true;
		if (4 * nm->n > nm->ix_cap || 2 * (nm->mem_used + 1) >
		    nm->ix_cap)
			names_rehash(nm);
		else {
			name_index(nm, i);
			mem_link(nm, i);
			nm->ix_n = nm->n;
		}
	} else if (b->mem != mem) {
		i = (size_t)(b - nm->v);
		mem_unlink(nm, i);
		b->mem = mem;
		b->live = true;
		if (2 * (nm->mem_used + 1) > nm->ix_cap)
			names_rehash(nm);
		else
			mem_link(nm, i);
	} else if (!b->live) {
		/* Bound again where it was: it joins the live ones there. */
		i = (size_t)(b - nm->v);
		b->live = true;
		live_link(nm, mem_slot(nm, mem, true), i);
	}
	b->request = request;
	b->step = step;
	return b;
}

void
names_replace(struct names *nm, const struct binding *v, size_t n,
    unsigned next_auto)
{
	if (nm->cap < n) {
		nm->cap = n;
		nm->v = xreallocarray(nm->v, nm->cap, sizeof *nm->v);
	}
	if (n > 0)
		memcpy(nm->v, v, n * sizeof *nm->v);
	nm->n = n;
	nm->next_auto = next_auto;
	names_rehash(nm);
}

void
names_free(struct names *nm)
{
	free(nm->v);
	free(nm->name_ix);
	free(nm->mem_ix);
	free(nm->mem_next);
	free(nm->all_next);
	free(nm->all_prev);
	memset(nm, 0, sizeof *nm);
}
