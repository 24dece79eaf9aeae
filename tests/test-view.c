/*
 * test-view.c -- the full screen's windowed view (snapshot_view) against
 * the full snapshot (snapshot_take), on a heap of thousands of chunks.
 *
 * After every command, allocator calls that the view follows piecemeal and
 * the commands after which it walks the heap whole (write past a block,
 * set checks off, time travel, reset), the view must list the same chunks
 * as the full snapshot -- every chunk's place, and windows of them read in
 * full at the top, the middle and the end as a pane scrolled there would --
 * the same bins with the same counts and entries, and the same first
 * changed chunk and bin entry.  And the allocator calls must be followed
 * without a whole walk.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "interp.h"
#include "snapshot.h"
#include "tap.h"

static struct out_buf	 ob;
static struct snap_index *ix;
static unsigned long	 rng = 12345;

static unsigned
rnd(unsigned n)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((rng >> 33) % n);
}

static enum session_status
run(struct session *s, const char *line)
{
	buf_reset(&ob.text);
	buf_reset(&ob.errors);
	return interp_exec(s, line, &ob.out);
}

static bool
same_chunk(const struct snap_chunk *a, const struct snap_chunk *b)
{
	return a->addr == b->addr && a->mem == b->mem && a->size == b->size &&
	    a->prev_foot == b->prev_foot && a->head == b->head &&
	    a->state == b->state && a->bin_class == b->bin_class &&
	    a->bin == b->bin && a->fd == b->fd && a->bk == b->bk &&
	    a->dangling == b->dangling && a->changed == b->changed &&
	    (a->name == NULL) == (b->name == NULL) &&
	    (a->name == NULL || strcmp(a->name, b->name) == 0);
}

/* Read chunks first.. of the view, n of them, and compare. */
static bool
same_window(const struct snapshot *v, const struct snapshot *f, size_t first,
    size_t n)
{
	struct snap_chunk	w[40];
	size_t			got, k;

	if (first >= f->nchunks)
		return true;
	if (n > f->nchunks - first)
		n = f->nchunks - first;
	got = snapshot_view_chunks(v, first, n, w);
	if (got != n) {
		diag("window at %zu: %zu chunks read, want %zu", first, got, n);
		return false;
	}
	for (k = 0; k < n; k++)
		if (!same_chunk(&w[k], &f->chunks[first + k])) {
			diag("window at %zu: chunk %zu (0x%" PRIx64 ") differs",
			    first, first + k, f->chunks[first + k].addr);
			return false;
		}
	return true;
}

/* The first bin entry whose chunk changed, in the full snapshot. */
static bool
full_bins_changed(const struct snapshot *f, size_t *bp, size_t *pp)
{
	size_t	b, j;

	for (b = 0; b < f->nbins; b++)
		for (j = 0; j < f->bins[b].n; j++) {
			const struct snap_chunk	*c =
			    snapshot_find(f, f->bins[b].chunks[j]);

			if (c != NULL && c->changed) {
				*bp = b;
				*pp = j;
				return true;
			}
		}
	return false;
}

/* Everything a pane reads, compared; a message for the first difference. */
static const char *
compare(struct session *s, enum snap_hint hint)
{
	static char		 why[200];
	struct snapshot		*v = snapshot_view(s, ix, hint);
	struct snapshot		*f = snapshot_take(s);
	size_t			 i, b, first, vb = 0, vp = 0, fb = 0, fp = 0;
	bool			 vc, fc;
	uint64_t		 ent[40];

	why[0] = '\0';
	if (snapshot_view_count(v) != f->nchunks) {
		snprintf(why, sizeof why, "%zu chunks, want %zu",
		    snapshot_view_count(v), f->nchunks);
		goto out;
	}
	for (i = 0; i < f->nchunks; i++) {
		uint64_t		addr, size;
		enum model_chunk_state	st;

		snapshot_view_entry(v, i, &addr, &size, &st);
		if (addr != f->chunks[i].addr || size != f->chunks[i].size ||
		    st != f->chunks[i].state) {
			snprintf(why, sizeof why, "chunk %zu: 0x%" PRIx64
			    " %" PRIu64 " %d, want 0x%" PRIx64 " %" PRIu64
			    " %d", i, addr, size, st, f->chunks[i].addr,
			    f->chunks[i].size, f->chunks[i].state);
			goto out;
		}
		if (snapshot_view_find(v, f->chunks[i].addr +
		    f->chunks[i].size / 2) != i) {
			snprintf(why, sizeof why, "find: not chunk %zu", i);
			goto out;
		}
	}
	/* Windows where a pane could be scrolled to. */
	for (first = 0; first < f->nchunks; first += f->nchunks / 7 + 1)
		if (!same_window(v, f, first, 40)) {
			snprintf(why, sizeof why, "window at %zu", first);
			goto out;
		}
	if (f->nchunks > 0 && !same_window(v, f, f->nchunks - 1, 1)) {
		snprintf(why, sizeof why, "the last chunk");
		goto out;
	}
	if (v->nbins != f->nbins) {
		snprintf(why, sizeof why, "%zu bins, want %zu", v->nbins,
		    f->nbins);
		goto out;
	}
	for (b = 0; b < f->nbins; b++) {
		const struct snap_bin	*fb_ = &f->bins[b], *vb_ = &v->bins[b];
		size_t			 from, n, k;

		if (vb_->cls != fb_->cls || vb_->index != fb_->index ||
		    vb_->n != fb_->n || vb_->lo != fb_->lo ||
		    vb_->hi != fb_->hi) {
			snprintf(why, sizeof why, "bin %zu: %d[%d] %zu, want "
			    "%d[%d] %zu", b, vb_->cls, vb_->index, vb_->n,
			    fb_->cls, fb_->index, fb_->n);
			goto out;
		}
		/* Head, middle, back half and end of each bin. */
		for (from = 0; from < fb_->n; from += fb_->n / 5 + 1) {
			n = snapshot_view_bin_chunks(v, b, from, ent, 40);
			for (k = 0; k < n && from + k < fb_->n; k++)
				if (ent[k] != fb_->chunks[from + k])
					break;
			if (k < n || n != (fb_->n - from < 40 ? fb_->n -
			    from : 40)) {
				snprintf(why, sizeof why, "bin %zu from %zu: "
				    "entry %zu differs (%zu read)", b, from,
				    from + k, n);
				goto out;
			}
		}
	}
	first = SIZE_MAX;
	for (i = 0; i < f->nchunks; i++)
		if (f->chunks[i].changed) {
			first = i;
			break;
		}
	if (snapshot_view_first_changed(v) != first) {
		snprintf(why, sizeof why, "first changed %zu, want %zu",
		    snapshot_view_first_changed(v), first);
		goto out;
	}
	vc = snapshot_view_bins_changed(v, &vb, &vp);
	fc = full_bins_changed(f, &fb, &fp);
	if (vc != fc || (fc && (vb != fb || vp != fp))) {
		snprintf(why, sizeof why, "first changed bin entry %d %zu:%zu,"
		    " want %d %zu:%zu", vc, vb, vp, fc, fb, fp);
		goto out;
	}
	if (v->brk != f->brk || v->nlog != f->nlog || v->has_top != f->has_top ||
	    v->top != f->top || v->nspecials != f->nspecials ||
	    memcmp(v->specials, f->specials, sizeof v->specials) != 0)
		snprintf(why, sizeof why, "break, log, top or dv differ");
out:
	snapshot_free(v);
	snapshot_free(f);
	return why[0] != '\0' ? why : NULL;
}

/* One random allocator call, as a user would type it. */
static void
random_alloc_line(char *b, size_t n, unsigned names)
{
	static const size_t	sizes[] = { 8, 24, 40, 100, 200, 300, 700, 1500,
	    5000, 300000 };
	unsigned		k = 1 + rnd(names);

	switch (rnd(6)) {
	case 0:
	case 1:
		snprintf(b, n, "q%u = malloc %zu", k, sizes[rnd(10)]);
		break;
	case 2:
		snprintf(b, n, "q%u = calloc 3 %zu", k, sizes[rnd(9)]);
		break;
	case 3:
		snprintf(b, n, "realloc q%u %zu", k, sizes[rnd(10)]);
		break;
	default:
		snprintf(b, n, "free q%u", k);
		break;
	}
}

/*
 * n random allocator calls, each of which must make the view walk whole
 * (damaged heap, checks off) and still agree with the full snapshot.
 * Returns how many did not; the first is described in bad.
 */
static size_t
walked_whole(struct session *s, int n, char *bad, size_t badlen)
{
	char		 line[128];
	const char	*why;
	size_t		 rebuilds, ndiff = 0;
	int		 i;

	for (i = 0; i < n; i++) {
		rebuilds = snap_index_rebuilds(ix);
		random_alloc_line(line, sizeof line, 4000);
		run(s, line);
		if ((why = compare(s, SNAP_ALLOC)) != NULL ||
		    snap_index_rebuilds(ix) == rebuilds) {
			if (ndiff++ == 0)
				snprintf(bad, badlen, "after `%s`: %s",
				    line, why ? why : "not walked whole");
		}
	}
	return ndiff;
}

int
main(void)
{
	struct session	*s = session_create();
	char		 line[128], bad[200] = "";
	size_t		 i, rebuilds, nsteps = 0, ndiff = 0;
	const char	*why;
	struct snapshot	*f;

	out_buf_init(&ob);
	ix = snap_index_create();

	/* Before any command: no chunks, no decisions. */
	why = compare(s, SNAP_ANY);
	ok(why == NULL, "a fresh session: the same (no chunks)%s%s",
	    why ? ": " : "", why ? why : "");

	/* Thousands of chunks, a quarter of them free, before looking. */
	for (i = 1; i <= 4000; i++) {
		snprintf(line, sizeof line, "q%zu = malloc %zu", i,
		    16 + (i % 9) * 8 + (i % 13 == 0) * 400);
		run(s, line);
	}
	for (i = 1; i <= 4000; i += 4) {
		snprintf(line, sizeof line, "free q%zu", i);
		run(s, line);
	}
	why = compare(s, SNAP_ANY);
	ok(why == NULL, "a heap of thousands of chunks: the view lists what "
	    "the full snapshot does%s%s", why ? ": " : "", why ? why : "");

	/* Allocator calls: followed, never walked whole. */
	rebuilds = snap_index_rebuilds(ix);
	for (i = 0; i < 600; i++) {
		random_alloc_line(line, sizeof line, 4000);
		run(s, line);
		nsteps++;
		if ((why = compare(s, SNAP_ALLOC)) != NULL && ndiff++ == 0)
			snprintf(bad, sizeof bad, "after `%s`: %s", line, why);
	}
	ok(ndiff == 0, "after each of %zu malloc/calloc/realloc/free the view "
	    "lists the same chunks, bins and changes%s%s", nsteps,
	    ndiff ? ": " : "", bad);
	/* Refused and mmapped ones included: some steps may need a walk
	 * (a new segment), but not most. */
	ok(snap_index_rebuilds(ix) - rebuilds < nsteps / 10, "and follows "
	    "them piecemeal: %zu whole walks in %zu steps",
	    snap_index_rebuilds(ix) - rebuilds, nsteps);

	/* A command that only looks changes nothing. */
	run(s, "heap");
	rebuilds = snap_index_rebuilds(ix);
	why = compare(s, SNAP_VIEW);
	ok(why == NULL && snap_index_rebuilds(ix) == rebuilds, "a view "
	    "command: the same, without a walk%s%s", why ? ": " : "",
	    why ? why : "");

	/* Damage: a write past a block walks whole, and still agrees. */
	run(s, "d1 = malloc 24");
	run(s, "d2 = malloc 24");
	compare(s, SNAP_ALLOC);
	rebuilds = snap_index_rebuilds(ix);
	run(s, "write d1 24 \"AAAAAAAAAAAAAAAAAAAAAAAA\"");
	why = compare(s, SNAP_ANY);
	ok(why == NULL && snap_index_rebuilds(ix) > rebuilds, "a write over "
	    "the next chunk's header: the view walks whole and agrees%s%s",
	    why ? ": " : "", why ? why : "");
	f = snapshot_take(s);
	ok(f->nviolations > 0, "and the checker's verdict stands: %zu "
	    "problem(s)", f->nviolations);
	snapshot_free(f);
	run(s, "check");
	ok(strstr(ob.text.s != NULL ? ob.text.s : "", "problem") != NULL,
	    "`check` after the write reports the damage");
	/* Allocator calls on a damaged heap: walked whole each time. */
	ndiff = walked_whole(s, 20, bad, sizeof bad);
	ok(ndiff == 0, "on the damaged heap every step is walked whole and "
	    "agrees%s%s", ndiff ? ": " : "", bad);
	f = snapshot_take(s);
	ok(f->nviolations > 0, "and the damage is still reported after them");
	snapshot_free(f);

	/* Time travel back before the damage, and on again. */
	run(s, "back 30");
	why = compare(s, SNAP_ANY);
	ok(why == NULL, "back 30: the same%s%s", why ? ": " : "",
	    why ? why : "");
	ndiff = 0;
	for (i = 0; i < 100; i++) {
		random_alloc_line(line, sizeof line, 4000);
		run(s, line);
		if ((why = compare(s, SNAP_ALLOC)) != NULL && ndiff++ == 0)
			snprintf(bad, sizeof bad, "after `%s`: %s", line, why);
	}
	ok(ndiff == 0, "and allocator calls after it%s%s", ndiff ? ": " : "",
	    bad);

	/* Checks off: nothing is followed piecemeal. */
	run(s, "set checks off");
	compare(s, SNAP_ANY);
	ndiff = walked_whole(s, 30, bad, sizeof bad);
	ok(ndiff == 0, "with checks off every step is walked whole and "
	    "agrees%s%s", ndiff ? ": " : "", bad);

	run(s, "reset");
	why = compare(s, SNAP_ANY);
	ok(why == NULL, "reset: the same (no chunks)%s%s", why ? ": " : "",
	    why ? why : "");
	run(s, "malloc 32");
	why = compare(s, SNAP_ALLOC);
	ok(why == NULL, "and the first malloc after it%s%s", why ? ": " : "",
	    why ? why : "");

	snap_index_free(ix);
	session_destroy(s);
	out_buf_free(&ob);
	tap_done();
	return tap_exit();
}
