/*
 * glibc-check.c -- the glibc model's invariants (the head comment of
 * glibc.c states them), tested over the whole heap.  A violation is one
 * line of text; the checker never aborts, and reads only mapped memory
 * (the walk and the bin lists guard every step).
 *
 * What it tests, in order:
 *   1. every segment: chunks tile it (sizes multiples of 16, >= 32), top
 *      is its last chunk with PREV_INUSE set, fenceposts only in pairs;
 *   2. each chunk's PREV_INUSE bit against the chunk below: clear exactly
 *      when that one is in a normal bin (unsorted, small, large), and then
 *      prev_size equals its size; no two such chunks are neighbours and
 *      none borders top;
 *   3. every chunk in a bin is a chunk of the walk, in one bin only;
 *   4. the normal bins' doubly linked lists, sizes against bin indices,
 *      large bins in descending order with a consistent nextsize list,
 *      binmap bits for every non-empty bin;
 *   5. the tcache: counts against list lengths (<= 7), alignment, sizes
 *      against the bin, the key; fastbins: sizes against the bin, and
 *      have_fastchunks;
 *   6. mapped chunks: IS_MMAPPED, page-aligned mapping.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glibc-internal.h"
#include "xmalloc.h"

/*
 * The model does on a damaged heap what glibc does on x86-64: follows a
 * link that may be misaligned and adds a size that may wrap, each read
 * checked against mapped memory first.  UBSan's alignment and
 * pointer-overflow checks name exactly that emulation, so clang (the fuzz
 * build) leaves them out here; every other check stays on.
 */
#if defined(__clang__)
#pragma clang attribute push(__attribute__((no_sanitize("alignment", \
    "pointer-overflow"))), apply_to = function)
#endif

struct ck {
	struct glibc	*g;
	char		(*out)[160];
	size_t		 max, n;
	/* the walk's previous chunk */
	const struct gbinref *refs;
	size_t		 nrefs, cur;
};

static void __attribute__((format(printf, 2, 3)))
bad(struct ck *k, const char *fmt, ...)
{
	va_list	ap;

	if (k->n < k->max) {
		va_start(ap, fmt);
		vsnprintf(k->out[k->n], sizeof k->out[k->n], fmt, ap);
		va_end(ap);
	}
	k->n++;
}

/* The bin entries of chunk (the walk goes up the addresses, and so does
 * the cursor into the sorted entries). */
static const struct gbinref *
ref_of(struct ck *k, const void *chunk, size_t *count)
{
	size_t	n = 0;

	while (k->cur < k->nrefs &&
	    (uintptr_t)k->refs[k->cur].chunk < (uintptr_t)chunk)
		k->cur++;
	while (k->cur + n < k->nrefs && k->refs[k->cur + n].chunk == chunk)
		n++;
	*count = n;
	return n > 0 ? &k->refs[k->cur] : NULL;
}

static bool
normal_kind(int kind)
{
	return kind == GLIBC_BIN_UNSORTED || kind == GLIBC_BIN_SMALL ||
	    kind == GLIBC_BIN_LARGE;
}

/* 1 and 2: one segment. */
static void
check_segment(struct ck *k, char *base, char *end, size_t *seen)
{
	struct glibc	*g = k->g;
	struct garena	*av = &g->st->av;
	char		*c = base;
	bool		 prev_normal = false;
	size_t		 prev_size = 0;
	int		 fences = 0;

	while (c + HDR <= end) {
		struct gchunk		*p = (struct gchunk *)c;
		size_t			 size = chunksize(p), cnt;
		const struct gbinref	*r;
		bool			 normal;

		if (prev_inuse(p) && prev_normal)
			bad(k, "chunk %p has PREV_INUSE set, but the chunk "
			    "below is in a normal bin", (void *)p);
		if (!prev_inuse(p)) {
			if (c == base)
				bad(k, "chunk %p, first of its segment, has "
				    "PREV_INUSE clear", (void *)p);
			else if (!prev_normal)
				bad(k, "chunk %p has PREV_INUSE clear, but "
				    "the chunk below is not free in a normal "
				    "bin", (void *)p);
			else if (p->prev_size != prev_size)
				bad(k, "chunk %p: prev_size %#zx, but the free "
				    "chunk below has size %#zx", (void *)p,
				    p->prev_size, prev_size);
		}
		if (p == av->top) {
			if (!prev_inuse(p))
				bad(k, "top %p has PREV_INUSE clear", (void *)p);
			if ((uintptr_t)c + size != (uintptr_t)end)
				bad(k, "top %p (size %#zx) does not end at its "
				    "segment's end %p", (void *)p, size,
				    (void *)end);
			if (size < MINSIZE)
				bad(k, "top %p is smaller than MINSIZE",
				    (void *)p);
			return;
		}
		if (size == HDR) {
			fences++;
			c += HDR;
			prev_normal = false;
			continue;
		}
		if (fences != 0) {
			bad(k, "chunk %p follows a fencepost", (void *)p);
			return;
		}
		if (size < MINSIZE || (size & ALIGN_MASK) != 0 ||
		    size > (size_t)(end - c)) {
			bad(k, "chunk %p has size %#zx: not a chunk size, or "
			    "beyond its segment's end %p", (void *)p, size,
			    (void *)end);
			return;
		}
		r = ref_of(k, p, &cnt);
		if (r != NULL)
			*seen += cnt;
		if (cnt > 1)
			bad(k, "chunk %p is in bins %zu times (a double free "
			    "glibc let through)", (void *)p, cnt);
		normal = r != NULL && normal_kind(r->kind);
		if (normal && prev_normal)
			bad(k, "free chunks %p and the one below it are "
			    "neighbours: not merged", (void *)p);
		if (normal && (struct gchunk *)(c + size) == av->top)
			bad(k, "free chunk %p borders top: not merged",
			    (void *)p);
		prev_normal = normal;
		prev_size = size;
		c += size;
	}
	if (fences != 0 && fences != 2)
		bad(k, "segment %p ends with %d fenceposts, not 2",
		    (void *)base, fences);
}

/* 4: the normal bins. */
static void
check_bins(struct ck *k)
{
	struct glibc	*g = k->g;
	struct garena	*av = &g->st->av;
	int		 i;

	for (i = 1; i < NBINS - 1; i++) {
		struct gchunk	*b = bin_at(av, i), *p, *prev = b, *again;
		size_t		 n = 0, lo, hi, last = SIZE_MAX, span;

		glibc_bin_range(i, &lo, &hi);
		/* a list that loops is followed once round */
		span = gl_list_span(g, b->fd, GL_LINK_FD, b, &again);
		if (again != NULL)
			bad(k, "bin %d: its fd links come back to chunk %p: a "
			    "loop", i, (void *)again);
		for (p = b->fd; p != b; prev = p, p = p->fd) {
			size_t	size;

			if (again != NULL && n == span)
				break;
			if (++n > 1000000 || misaligned(p) ||
			    !gl_mapped(g, p, sizeof *p)) {
				bad(k, "bin %d: link %p leads out of the heap",
				    i, (void *)p);
				break;
			}
			if (p->bk != prev)
				bad(k, "bin %d: chunk %p's bk is %p, not %p",
				    i, (void *)p, (void *)p->bk, (void *)prev);
			size = chunksize(p);
			if (size < lo || size > hi)
				bad(k, "bin %d holds chunk %p of size %#zx, "
				    "outside its range", i, (void *)p, size);
			if (i >= 64) {
				if (size > last)
					bad(k, "large bin %d: chunk %p (size "
					    "%#zx) after a smaller one", i,
					    (void *)p, size);
				if (size != last && (p->fd_nextsize == NULL ||
				    p->bk_nextsize == NULL))
					bad(k, "large bin %d: chunk %p, first "
					    "of its size, has no nextsize "
					    "links", i, (void *)p);
				else if (size != last && gl_mapped(g,
				    p->fd_nextsize, sizeof *p) && gl_mapped(g,
				    p->bk_nextsize, sizeof *p) &&
				    (p->fd_nextsize->bk_nextsize != p ||
				    p->bk_nextsize->fd_nextsize != p))
					bad(k, "large bin %d: chunk %p's "
					    "nextsize links do not agree", i,
					    (void *)p);
				last = size;
			}
		}
		if (b->bk != prev && n <= 1000000 && again == NULL)
			bad(k, "bin %d: its bk is %p, not its last chunk %p", i,
			    (void *)b->bk, (void *)prev);
		if (i > 1 && n > 0 &&
		    (av->binmap[idx2block(i)] & idx2bit(i)) == 0)
			bad(k, "bin %d holds chunks but its binmap bit is "
			    "clear", i);
	}
}

/* 5: the tcache and the fastbins. */
static void
check_singles(struct ck *k)
{
	struct glibc	*g = k->g;
	struct gstate	*st = g->st;
	int		 i;
	bool		 any = false;

	if (st->tcache != NULL)
		for (i = 0; i < GLIBC_TCACHE_BINS; i++) {
			struct gtentry	*e = st->tcache->entries[i];
			size_t		 n = 0;

			while (e != NULL && n <= GLIBC_TCACHE_COUNT) {
				struct gchunk	*p = mem2chunk(e);

				if (misaligned(e) || !gl_mapped(g, p, 32)) {
					bad(k, "tcache bin %d: entry %p is not "
					    "a chunk of the heap", i, (void *)e);
					break;
				}
				if (csize2tidx(chunksize(p)) != (size_t)i)
					bad(k, "tcache bin %d holds chunk %p of "
					    "size %#zx", i, (void *)p,
					    chunksize(p));
				if (e->key != st->tcache_key)
					bad(k, "tcache bin %d: chunk %p's key "
					    "is not tcache_key", i, (void *)p);
				n++;
				e = gl_protect(&e->next, e->next);
			}
			if (n != st->tcache->counts[i])
				bad(k, "tcache bin %d: count %u, but %zu%s "
				    "chunks in its list", i,
				    st->tcache->counts[i], n,
				    n > GLIBC_TCACHE_COUNT ? " or more" : "");
		}
	for (i = 0; i < NFASTBINS; i++) {
		struct gchunk	*p = st->av.fastbinsY[i];
		size_t		 n = 0;

		while (p != NULL && n++ < 100000) {
			if (misaligned(p) || !gl_mapped(g, p, 32)) {
				bad(k, "fastbin %d: link %p is not a chunk of "
				    "the heap", i, (void *)p);
				break;
			}
			any = true;
			if (fastbin_index(chunksize(p)) != (unsigned)i) {
				bad(k, "fastbin %d holds chunk %p of size %#zx",
				    i, (void *)p, chunksize(p));
				break;
			}
			p = gl_protect(&p->fd, p->fd);
		}
	}
	if (any && !st->av.have_fastchunks)
		bad(k, "fastbins hold chunks but have_fastchunks is clear");
}

size_t
glibc_check(struct glibc *g, char (*out)[160], size_t max)
{
	struct ck		 k;
	struct gbinref		*refs;
	struct glibc_segment	 segs[GL_MAXSEGS];
	size_t			 nseg, s, seen = 0, i;

	memset(&k, 0, sizeof k);
	k.g = g;
	k.out = out;
	k.max = max;
	k.nrefs = gl_collect_bins(g, &refs);
	k.refs = refs;
	nseg = glibc_segments(g, segs, GL_MAXSEGS);
	for (s = 0; s < nseg && s < GL_MAXSEGS; s++)
		check_segment(&k, segs[s].base, segs[s].base + segs[s].size,
		    &seen);
	if (seen != k.nrefs)
		bad(&k, "%zu chunks in bins are not chunks of the heap",
		    k.nrefs - seen);
	check_bins(&k);
	check_singles(&k);
	for (i = 0; i < g->nmm; i++) {
		struct gchunk	*p = g->mm[i].p;
		uintptr_t	 base = (uintptr_t)p - p->prev_size;

		if (!is_mmapped(p))
			bad(&k, "mapped chunk %p lacks IS_MMAPPED", (void *)p);
		if (((base | (p->prev_size + chunksize(p))) & (PAGE - 1)) != 0)
			bad(&k, "mapped chunk %p: its mapping is not whole "
			    "pages", (void *)p);
	}
	free(refs);
	return k.n;
}

#if defined(__clang__)
#pragma clang attribute pop
#endif
