/*
 * recording.c -- a traced program's recording as the session sees it:
 * the replay state of each step, time travel over it, the commands a
 * trace session allows (snapshot-trace.c draws a step).  recording-run.c
 * runs the program and builds the recording (`trace PROGRAM`);
 * recording-internal.h is what the two share.
 *
 * Replay.  Step k is the state after the first k events: the blocks (a
 * sorted array of chunks, each in use, mmapped or freed), the names, the
 * memory the program's own sbrk calls took, the break and the map.  Going
 * forward applies events; going back restores the nearest checkpoint (one
 * every REC_CP_EVERY steps or more, kept by recording-run.c as it records)
 * and applies from there.
 *
 * While a recording is the session, the simulated session's names, step
 * and last line are kept in it; recording_leave gives them back and frees
 * the recording.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "preload.h"
#include "recording.h"
#include "recording-internal.h"
#include "session.h"		/* struct binding, struct foreign */
#include "xmalloc.h"

/* ---- The maps a recording keeps. ---- */
void
recording_mapset_free(struct mapset *ms)
{
	size_t	i;

	for (i = 0; i < ms->n; i++)
		free(ms->names[i]);
	free(ms->names);
	free(ms->maps);
	memset(ms, 0, sizeof *ms);
}

/* ---- The replay state. ---- */
static void
state_free(struct rstate *st)
{
	free(st->c);
	free(st->names);
	free(st->foreign);
	free(st->seen);
	memset(st, 0, sizeof *st);
}

/*
 * The chunks are one array in address order with the free room in it
 * kept where the last change was (a gap buffer): chunks [0, gap) at the
 * front, cap - n free entries, then the rest at the back.  A program that
 * fills a hole in the middle of its heap, block after block, then costs
 * no move of everything above the hole at each block (perl's hash
 * program moved 760 MB that way).  Readers outside the replay see the
 * array settled (the gap at the end): recording_state_settle.
 */
#define AT(st, i) \
	(&(st)->c[(i) < (st)->gap ? (i) : (i) + (st)->cap - (st)->n])

/* The index of chunk c, which is in st's array. */
static size_t
chunk_index(const struct rstate *st, const struct rchunk *c)
{
	size_t	p = (size_t)(c - st->c);

	return p < st->gap ? p : p - (st->cap - st->n);
}

/* Put the gap before chunk pos. */
static void
gap_move(struct rstate *st, size_t pos)
{
	size_t	g = st->gap, w = st->cap - st->n;

	if (w > 0 && pos < g)
		memmove(&st->c[pos + w], &st->c[pos], (g - pos) *
		    sizeof *st->c);
	else if (w > 0 && pos > g)
		memmove(&st->c[g], &st->c[g + w], (pos - g) * sizeof *st->c);
	st->gap = pos;
}

void
recording_state_settle(struct rstate *st)
{
	gap_move(st, st->n);
}

/* A copy of n elements of size bytes, with room for at least one. */
static void *
copy_array(const void *src, size_t n, size_t size, size_t *cap)
{
	void	*dst;

	*cap = n ? n : 1;
	dst = xcalloc(*cap, size);
	if (n)
		memcpy(dst, src, n * size);
	return dst;
}

void
recording_state_copy(struct rstate *dst, const struct rstate *src)
{
	*dst = *src;
	dst->seen = NULL;	/* a cache of the running state only */
	dst->seen_bits = 0;
	/* The chunks before the gap, then those after it. */
	dst->c = copy_array(src->c, src->gap, sizeof *dst->c, &dst->cap);
	if (src->n > src->gap) {
		dst->cap = src->n;
		dst->c = xreallocarray(dst->c, dst->cap, sizeof *dst->c);
		memcpy(dst->c + src->gap, AT(src, src->gap), (src->n -
		    src->gap) * sizeof *dst->c);
	}
	dst->gap = src->n;
	dst->names = copy_array(src->names, src->nnames, sizeof *dst->names,
	    &dst->capnames);
	dst->foreign = copy_array(src->foreign, src->nforeign,
	    sizeof *dst->foreign, &dst->capforeign);
}

/* Make dst a copy of src (NULL: step 0), in the room dst has. */
static void
state_assign(struct rstate *dst, const struct rstate *src)
{
	static const struct rstate	empty;

	if (src == NULL)
		src = &empty;
	if (dst->cap < src->n) {
		dst->cap = src->n;
		dst->c = xreallocarray(dst->c, dst->cap, sizeof *dst->c);
	}
	if (dst->capnames < src->nnames) {
		dst->capnames = src->nnames;
		dst->names = xreallocarray(dst->names, dst->capnames,
		    sizeof *dst->names);
	}
	if (dst->capforeign < src->nforeign) {
		dst->capforeign = src->nforeign;
		dst->foreign = xreallocarray(dst->foreign, dst->capforeign,
		    sizeof *dst->foreign);
	}
	if (src->n > 0)
		memcpy(dst->c, src->c, src->n * sizeof *dst->c);
	if (src->nnames > 0)
		memcpy(dst->names, src->names, src->nnames *
		    sizeof *dst->names);
	if (src->nforeign > 0)
		memcpy(dst->foreign, src->foreign, src->nforeign *
		    sizeof *dst->foreign);
	dst->step = src->step;
	dst->n = src->n;
	dst->gap = src->n;	/* src is settled: checkpoints are */
	dst->nnames = src->nnames;
	dst->nforeign = src->nforeign;
	dst->hint = 0;
}

/* Whether chunk i is the first whose end is above addr. */
static bool
first_above(const struct rstate *st, size_t i, uint64_t addr)
{
	return (i == st->n || AT(st, i)->addr + AT(st, i)->size > addr) &&
	    (i == 0 || AT(st, i - 1)->addr + AT(st, i - 1)->size <= addr);
}

/*
 * The first chunk whose end is above addr.  Programs work near where
 * they worked last, and at the end of the heap: those places are tried
 * before the binary search.
 */
static size_t
chunk_at_or_after(struct rstate *st, uint64_t addr)
{
	size_t	lo = 0, hi = st->n;

	if (st->hint <= st->n && first_above(st, st->hint, addr))
		return st->hint;
	if (st->hint + 1 <= st->n && first_above(st, st->hint + 1, addr))
		return ++st->hint;
	if (first_above(st, st->n, addr))
		return st->hint = st->n;
	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;

		if (AT(st, mid)->addr + AT(st, mid)->size <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return st->hint = lo;
}

/*
 * Where the chunk at addr was last seen, from a table by address: an
 * entry is only a guess, taken when the chunk at that index still has
 * that address (chunks move when one is put in before them), so a stale
 * one costs a binary search, never a wrong answer.  The table has at
 * least twice as many entries as there are chunks (a program that frees
 * its blocks in no order of address, as perl does at exit, finds most of
 * them there), and is filled afresh when it grows.
 */
#define SEEN_MIN_BITS	16
#define SEEN_SLOT(st, a) \
	(((a) >> 4) * 0x9e3779b97f4a7c15ULL >> (64 - (st)->seen_bits))

static void
seen_put(struct rstate *st, uint64_t addr, size_t i)
{
	if (st->seen == NULL || st->n * 2 > (size_t)1 << st->seen_bits) {
		unsigned	bits = SEEN_MIN_BITS;
		size_t		k;

		while (((size_t)1 << bits) < st->n * 2)
			bits++;
		free(st->seen);
		st->seen = xcalloc((size_t)1 << bits, sizeof *st->seen);
		st->seen_bits = bits;
		for (k = 0; k < st->n; k++)
			st->seen[SEEN_SLOT(st, AT(st, k)->addr)] =
			    (uint32_t)k + 1;
	}
	st->seen[SEEN_SLOT(st, addr)] = (uint32_t)i + 1;
}

static struct rchunk *
chunk_find(struct rstate *st, uint64_t addr)
{
	size_t	i;

	if (st->seen != NULL && (i = st->seen[SEEN_SLOT(st, addr)]) != 0 &&
	    i - 1 < st->n && AT(st, i - 1)->addr == addr)
		return AT(st, i - 1);
	i = chunk_at_or_after(st, addr);
	if (i < st->n && AT(st, i)->addr == addr) {
		seen_put(st, addr, i);
		return AT(st, i);
	}
	return NULL;
}

/* Chunk c is gone: into the gap with it. */
static void
chunk_remove(struct rstate *st, const struct rchunk *c)
{
	size_t	i = chunk_index(st, c);

	gap_move(st, i + 1);
	st->gap = i;
	st->n--;
}

/* A new block: whatever it overlaps (freed chunks) is gone. */
static struct rchunk *
chunk_add(struct rstate *st, uint64_t addr, uint64_t size)
{
	size_t		 i = chunk_at_or_after(st, addr), k = i;
	struct rchunk	*c;

	while (k < st->n && AT(st, k)->addr < addr + size)
		k++;
	if (k == i) {
		if (st->n == st->cap) {
			recording_state_settle(st);
			st->cap = st->cap ? st->cap * 2 : 32;
			st->c = xreallocarray(st->c, st->cap, sizeof *st->c);
		}
		gap_move(st, i);
		st->gap++;
		st->n++;
	} else if (k > i + 1) {
		/* Several overlapped: one place for the new one. */
		gap_move(st, k);
		st->gap = i + 1;
		st->n -= k - i - 1;
	}
	c = AT(st, i);
	memset(c, 0, sizeof *c);
	c->addr = addr;
	c->size = size;
	seen_put(st, addr, i);
	return c;
}

size_t
recording_request(const struct recording *rec, const struct rev *e)
{
	switch (e->kind) {
	case HVP_CALLOC:
		return (size_t)(e->a0 * rev_ext(rec, e)->a1);
	case HVP_POSIX_MEMALIGN:
	case HVP_MEMALIGN:
	case HVP_ALIGNED_ALLOC:
	case HVP_REALLOC:
		return (size_t)rev_ext(rec, e)->a1;
	default:
		return (size_t)e->a0;
	}
}

/* The live name of the block in chunk c, or 0: the name is still
 * bound to the block the step that made the chunk returned. */
static uint32_t
name_of(const struct rstate *st, const struct rchunk *c)
{
	if (c == NULL || c->name == 0 || st->names[c->name - 1].freed != 0 ||
	    st->names[c->name - 1].bound != c->made)
		return 0;
	return c->name;
}

static uint32_t
name_new(struct rstate *st)
{
	if (st->nnames == st->capnames) {
		st->capnames = st->capnames ? st->capnames * 2 : 32;
		st->names = xreallocarray(st->names, st->capnames,
		    sizeof *st->names);
	}
	st->names[st->nnames].bound = (uint32_t)st->step;
	st->names[st->nnames].freed = 0;
	return (uint32_t)++st->nnames;
}

static void
foreign_add(struct rstate *st, uint64_t start, uint64_t end, const char *who)
{
	struct foreign	*f;

	if (st->nforeign == st->capforeign) {
		st->capforeign = st->capforeign ? st->capforeign * 2 : 4;
		st->foreign = xreallocarray(st->foreign, st->capforeign,
		    sizeof *st->foreign);
	}
	f = &st->foreign[st->nforeign++];
	f->start = start;
	f->end = end;
	snprintf(f->who, sizeof f->who, "%s", who);
}

/* The chunk size an event's block has, and whether it is mmapped. */
static uint64_t
event_chunk_size(const struct rev *e, const struct rext *x, bool *mmapped)
{
	*mmapped = false;
	if (e->flags & REV_F_RAWSIZE)
		return x->head;
	*mmapped = (x->head & 2) != 0;
	return x->head & ~(uint64_t)7;
}

/* The chunk a block lands in (event e, step st->step). */
static void
block_add(struct rstate *st, const struct rev *e, const struct rext *x,
    uint32_t name)
{
	bool		 mmapped;
	uint64_t	 size = event_chunk_size(e, x, &mmapped);
	struct rchunk	*c = chunk_add(st, x->result - 16, size);

	c->made = (uint32_t)st->step;
	c->st = mmapped ? MODEL_CHUNK_MMAPPED : MODEL_CHUNK_INUSE;
	c->name = name;
}

static void
block_free(const struct recording *rec, struct rstate *st, uint64_t mem)
{
	struct rchunk	*c = mem >= 16 ? chunk_find(st, mem - 16) : NULL;
	uint32_t	 n = name_of(st, c);

	(void)rec;
	if (n != 0)
		st->names[n - 1].freed = (uint32_t)st->step;
	if (c == NULL)
		return;
	if (c->st == MODEL_CHUNK_MMAPPED)
		chunk_remove(st, c);	/* unmapped */
	else {
		c->st = MODEL_CHUNK_FREE;
		c->name = n;
	}
}

/* Step st->step + 1: event i.  Returns the n of the name it bound, or 0. */
uint32_t
recording_apply(const struct recording *rec, struct rstate *st, size_t i)
{
	const struct rev	*e = &rec->ev[i];
	const struct rext	*x = rev_ext(rec, e);
	uint32_t		 n;

	st->step = i + 1;
	if (e->type == REV_EXEC) {
		size_t	k;

		/* The old program's memory is gone, blocks and all. */
		st->n = 0;
		st->gap = 0;
		st->nforeign = 0;
		for (k = 0; k < st->nnames; k++) {
			if (st->names[k].freed == 0)
				st->names[k].freed = (uint32_t)st->step;
		}
		return 0;
	}
	if (e->type != REV_CALL || (e->flags & HVP_F_FAILED))
		return 0;
	switch (e->kind) {
	case HVP_FREE:
		if (e->a0 != 0)
			block_free(rec, st, e->a0);
		return 0;
	case HVP_REALLOC:
		if (e->a0 == 0)
			break;
		if (x->result == 0) {		/* realloc(p, 0) freed p */
			block_free(rec, st, e->a0);
			return 0;
		}
		/* The name moves with the block, as `realloc NAME` does. */
		{
			struct rchunk	*c = e->a0 >= 16 ?
					    chunk_find(st, e->a0 - 16) : NULL;

			n = name_of(st, c);
			if ((e->a0 != x->result || n == 0) && c != NULL)
				chunk_remove(st, c);
		}
		if (n == 0)
			n = name_new(st);
		st->names[n - 1].bound = (uint32_t)st->step;
		block_add(st, e, x, n);
		return n;
	case HVP_SBRK:
		if ((int64_t)e->a0 > 0) {
			char	who[40];

			snprintf(who, sizeof who, "sbrk(%lld) by %s",
			    (long long)e->a0, rec->prog);
			foreign_add(st, x->result, x->result + e->a0, who);
		}
		return 0;
	case HVP_BRK:
		return 0;
	default:
		break;
	}
	if (x->result == 0)
		return 0;
	n = name_new(st);
	block_add(st, e, x, n);
	return n;
}

const struct rmark *
recording_mark(const struct recording *rec, size_t step)
{
	size_t	lo = 0, hi = rec->nmarks;

	/* The last mark at or before step; the first is at step 0. */
	while (hi - lo > 1) {
		size_t	mid = lo + (hi - lo) / 2;

		if (rec->marks[mid].step <= step)
			lo = mid;
		else
			hi = mid;
	}
	return &rec->marks[lo];
}

/* ---- Joining and leaving the session. ---- */
void
recording_free(struct recording *rec)
{
	size_t	i;

	if (rec == NULL)
		return;
	free(rec->ev);
	free(rec->ext);
	free(rec->marks);
	free(rec->wheres);
	free(rec->where_ix);
	for (i = 0; i < rec->ntexts; i++)
		free(rec->texts[i]);
	free(rec->texts);
	free(rec->log);
	for (i = 0; i < rec->nsets; i++)
		recording_mapset_free(&rec->sets[i]);
	free(rec->sets);
	state_free(&rec->cur);
	for (i = 0; i < rec->ncps; i++)
		state_free(&rec->cps[i]);
	free(rec->cps);
	free(rec->shown);
	free(rec->pnames);
	free(rec->bind);
	free(rec->prog);
	free(rec);
}

/*
 * The names the session holds (for show NAME, state --json): all of them
 * up to NAMES_ALL.  Beyond that a long trace would give the session a
 * binding for every block it ever made, dozens of bytes each: it holds
 * the names bound or freed in the last NAMES_RECENT steps, and the views
 * name every block from the recording's own table (pname).
 */
#define NAMES_ALL	65536
#define NAMES_RECENT	4096

/* "p1", "p2"...: the text of name n, in one buffer made once. */
static size_t
pname_offset(uint32_t n)
{
	size_t		off = 0, first = 1, count = 9, digits = 1;

	while (n >= first + count) {
		off += count * (digits + 2);
		first += count;
		count *= 10;
		digits++;
	}
	return off + (n - first) * (digits + 2);
}

const char *
recording_pname(struct recording *rec, uint32_t n)
{
	uint32_t	k;

	if (rec->pnames == NULL || n > rec->npnames) {
		free(rec->pnames);
		rec->npnames = (uint32_t)rec->cur.nnames;
		if (n > rec->npnames)
			rec->npnames = n;
		rec->pnames = xmalloc(pname_offset(rec->npnames + 1));
		for (k = 1; k <= rec->npnames; k++)
			sprintf(rec->pnames + pname_offset(k), "p%u", k);
	}
	return rec->pnames + pname_offset(n);
}

static void
shown_add(struct recording *rec, uint32_t n)
{
	if (rec->nshown == rec->capshown) {
		rec->capshown = rec->capshown ? rec->capshown * 2 : 64;
		rec->shown = xreallocarray(rec->shown, rec->capshown,
		    sizeof *rec->shown);
	}
	rec->shown[rec->nshown++] = n;
}

/* The session's index of name n, or -1. */
long
recording_shown_find(const struct recording *rec, uint32_t n)
{
	size_t	lo = 0, hi = rec->nshown;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;

		if (rec->shown[mid] < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rec->nshown && rec->shown[lo] == n ? (long)lo : -1;
}

/* ---- What the trace engine (engine-trace.c) reads and moves. ---- */

/*
 * The names a session on the recording holds now, as bindings in an array
 * the recording keeps (valid until the next call): the shown ones, in
 * order, and the n of the next pN.
 */
const struct binding *
recording_names(struct recording *rec, size_t *n, unsigned *next_auto)
{
	const struct rstate	*st = &rec->cur;
	size_t			 i, k;

	rec->nshown = 0;
	for (i = 0; i < st->nnames; i++) {
		const struct rname	*r = &st->names[i];
		uint32_t		 last = r->freed ? r->freed : r->bound;

		if (st->nnames <= NAMES_ALL || last + NAMES_RECENT > st->step)
			shown_add(rec, (uint32_t)i + 1);
	}
	if (rec->capbind < rec->nshown) {
		rec->capbind = rec->nshown;
		rec->bind = xreallocarray(rec->bind, rec->capbind,
		    sizeof *rec->bind);
	}
	for (k = 0; k < rec->nshown; k++) {
		const struct rname	*r = &st->names[rec->shown[k] - 1];
		const struct rev	*e = &rec->ev[r->bound - 1];
		struct binding		*b = &rec->bind[k];

		memset(b, 0, sizeof *b);
		snprintf(b->name, sizeof b->name, "p%u", rec->shown[k]);
		b->mem = rev_ext(rec, e)->result;
		b->request = recording_request(rec, e);
		b->live = r->freed == 0;
		b->step = r->freed ? r->freed : r->bound;
	}
	*n = rec->nshown;
	*next_auto = (unsigned)st->nnames + 1;
	return rec->bind;
}

size_t
recording_position(const struct recording *rec)
{
	return rec->cur.step;
}

const char *
recording_program(const struct recording *rec)
{
	return rec->prog;
}

size_t
recording_length(const struct recording *rec)
{
	return rec->nev;
}

int
recording_goto(struct recording *rec, size_t n, struct out *out)
{
	size_t	i;

	if (n > rec->nev) {
		out_kprintf(out, OUT_ERROR, "step %zu does not exist (the "
		    "trace has %zu steps)\n", n, rec->nev);
		return -1;
	}
	if (n < rec->cur.step) {
		size_t	k = rec->ncps;

		/* The nearest checkpoint at or before n, or the start. */
		while (k > 0 && rec->cps[k - 1].step > n)
			k--;
		/* Into the arrays it has: no new pages to clear. */
		state_assign(&rec->cur, k > 0 ? &rec->cps[k - 1] : NULL);
	}
	for (i = rec->cur.step; i < n; i++)
		recording_apply(rec, &rec->cur, i);
	recording_state_settle(&rec->cur);
	return 0;
}

