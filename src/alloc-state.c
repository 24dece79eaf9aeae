/*
 * alloc-state.c -- saving and restoring the allocator's own state, for
 * going back in time.
 *
 * The allocator's state is its struct (bins, maps, dv, top, thresholds)
 * and two host-side arrays (segments, mapped chunks).  Everything else it
 * knows is in the memory source's bytes, which the caller saves and puts
 * back separately, at the same addresses: pointers saved here stay valid.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc-internal.h"
#include "xmalloc.h"

struct alloc_saved {
	struct alloc	 a;
	struct seg	*segs;
	struct mmchunk	*mm;
};

/* What belongs to the running process, not to the saved moment. */
struct alloc_live {
	struct seg	*segs;
	struct mmchunk	*mm;
	size_t		 segcap, mmcap;
	struct memsrc	*src;
	struct alloc_events *ev;
	alloc_hook	 hook;
	void		*hook_ctx;
	bool		 is_static;
};

static void
copy(void *dst, const void *src, size_t n)
{
	if (n > 0)
		memcpy(dst, src, n);
}

struct alloc_saved *
alloc_save(const struct alloc *a)
{
	struct alloc_saved	*sv = xcalloc(1, sizeof *sv);

	sv->a = *a;
	sv->segs = xcalloc(a->nsegs ? a->nsegs : 1, sizeof *sv->segs);
	copy(sv->segs, a->segs, a->nsegs * sizeof *sv->segs);
	sv->mm = xcalloc(a->nmm ? a->nmm : 1, sizeof *sv->mm);
	copy(sv->mm, a->mm, a->nmm * sizeof *sv->mm);
	return sv;
}

struct alloc_live *
alloc_live_take(const struct alloc *a)
{
	struct alloc_live	*lv = xcalloc(1, sizeof *lv);

	lv->segs = a->segs;
	lv->mm = a->mm;
	lv->segcap = a->segcap;
	lv->mmcap = a->mmcap;
	lv->src = a->src;
	lv->ev = a->ev;
	lv->hook = a->hook;
	lv->hook_ctx = a->hook_ctx;
	lv->is_static = a->state_is_static;
	return lv;
}

void
alloc_restore(struct alloc *a, const struct alloc_saved *sv,
    struct alloc_live *lv)
{
	/* The struct as it was, but with the process's host-side pointers. */
	*a = sv->a;
	a->src = lv->src;
	/* Where decisions go is the process's too (the hook's one-record
	 * buffer lives in the struct: made again). */
	if (lv->hook != NULL)
		alloc_set_hook(a, lv->hook, lv->hook_ctx);
	else
		alloc_set_events(a, lv->ev);
	a->state_is_static = lv->is_static;
	if (lv->segcap < sv->a.nsegs) {
		lv->segcap = sv->a.nsegs;
		lv->segs = xreallocarray(lv->segs, lv->segcap,
		    sizeof *lv->segs);
	}
	if (lv->mmcap < sv->a.nmm) {
		lv->mmcap = sv->a.nmm;
		lv->mm = xreallocarray(lv->mm, lv->mmcap, sizeof *lv->mm);
	}
	copy(lv->segs, sv->segs, sv->a.nsegs * sizeof *lv->segs);
	copy(lv->mm, sv->mm, sv->a.nmm * sizeof *lv->mm);
	a->segs = lv->segs;
	a->segcap = lv->segcap;
	a->mm = lv->mm;
	a->mmcap = lv->mmcap;
	free(lv);
}

size_t
alloc_saved_bytes(const struct alloc_saved *sv)
{
	return sizeof *sv + sv->a.nsegs * sizeof *sv->segs +
	    sv->a.nmm * sizeof *sv->mm;
}

void
alloc_saved_free(struct alloc_saved *sv)
{
	if (sv == NULL)
		return;
	free(sv->segs);
	free(sv->mm);
	free(sv);
}

/*
 * Real mode.  The subject's allocator state and its two arrays sit in its
 * static area, which heapviz copies byte for byte to the same address in
 * its own memory, with the heap and every mapping beside it; pointers in
 * the copy are then good here.  What is not good here is the host side:
 * the memory source, the hook, and the refusal message, a pointer into the
 * subject's own constant strings.
 */
struct alloc *
alloc_adopt(void *state, struct memsrc *src, const char *glibc)
{
	struct alloc	*a = state;

	a->src = src;
	a->hook = NULL;
	a->hook_ctx = NULL;
	a->ev = NULL;		/* the subject's buffer, its full() theirs */
	a->err.glibc = glibc != NULL && *glibc != '\0' ? glibc : NULL;
	a->state_is_static = true;
	return a;
}

size_t
alloc_regions(const struct alloc *a, struct alloc_segment *out, size_t max)
{
	size_t	i, n = 0;

	for (i = 0; i < a->nsegs; i++, n++) {
		if (n < max) {
			out[n].base = a->segs[i].base;
			out[n].size = a->segs[i].size;
		}
	}
	for (i = 0; i < a->nmm; i++, n++) {
		if (n < max) {
			out[n].base = a->mm[i].map;
			out[n].size = a->mm[i].len;
		}
	}
	return n;
}
