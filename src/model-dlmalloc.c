/*
 * model-dlmalloc.c -- dlmalloc 2.8.6, the first allocator model: the core
 * in alloc*.c behind struct model_ops, with its bins and its words.
 *
 * dlmalloc's bins: 32 small bins of exact sizes (last in, first out), 32
 * tree bins of size ranges (best fit), the designated victim (the rest of
 * the last split, used first for locality) and top.  Its decisions are the
 * core's AEV_* records; here they are said in words, once for the reply
 * line of a command and once, with the arithmetic, for `explain`.
 */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "model.h"
#include "out.h"
#include "xmalloc.h"

/* The classes, numbered as the core's enum alloc_bin_kind. */
static const struct model_bin_class dl_classes[] = {
	[ALLOC_BIN_NONE] = { "none", "no bin", "no bin", 1, MODEL_BINS_NONE },
	[ALLOC_BIN_SMALL] = { "small", "small bin", NULL, ALLOC_NSMALLBINS,
	    MODEL_BINS_LIST },
	[ALLOC_BIN_TREE] = { "tree", "tree bin", NULL, ALLOC_NTREEBINS,
	    MODEL_BINS_LIST },
	[ALLOC_BIN_DV] = { "dv", "designated victim", "the designated victim",
	    1, MODEL_BINS_ONE },
	[ALLOC_BIN_TOP] = { "top", "top", "top", 1, MODEL_BINS_TOP },
};

#define A(m)	((struct alloc *)(m)->impl)
#define CA(m)	((const struct alloc *)(m)->impl)

static void
dl_on_event(void *ctx, const struct alloc_event *ev)
{
	struct model		*m = ctx;
	struct model_event	 e;

	if (m->hook == NULL)
		return;
	e.kind = ev->kind;
	e.chunk = ev->chunk;
	e.size = ev->size;
	e.other = ev->other;
	e.other_size = ev->other_size;
	e.bin_class = ev->bin_kind;
	e.bin = ev->bin;
	e.why = 0;
	m->hook(m->hook_ctx, &e);
}

static struct model *
dl_create(struct memsrc *src)
{
	struct model	*m = xcalloc(1, sizeof *m);

	m->ops = &model_dlmalloc;
	m->impl = alloc_create(src, NULL);
	if (m->impl == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

static void
dl_destroy(struct model *m)
{
	if (m == NULL)
		return;
	alloc_destroy(A(m));
	free(m);
}

static struct model *
dl_adopt(struct model *into, void *state, struct memsrc *src,
    const char *glibc)
{
	memset(into, 0, sizeof *into);
	into->ops = &model_dlmalloc;
	into->impl = alloc_adopt(state, src, glibc);
	return into;
}

static size_t
dl_regions(const struct model *m, struct model_segment *out, size_t max)
{
	struct alloc_segment	*all;
	size_t			 n = alloc_regions(CA(m), NULL, 0), i;

	if (max == 0 || n == 0)
		return n;
	all = xcalloc(n, sizeof *all);
	alloc_regions(CA(m), all, n);
	for (i = 0; i < n && i < max; i++) {
		out[i].base = all[i].base;
		out[i].size = all[i].size;
	}
	free(all);
	return n;
}

static void *
dl_state(const struct model *m)
{
	return m->impl;
}

static void
dl_set_hook(struct model *m, model_hook hook, void *ctx)
{
	m->hook = hook;
	m->hook_ctx = ctx;
	alloc_set_hook(A(m), hook != NULL ? dl_on_event : NULL, m);
}

static void *
dl_malloc(struct model *m, size_t n)
{
	return alloc_malloc(A(m), n);
}

static void *
dl_calloc(struct model *m, size_t nmemb, size_t size)
{
	return alloc_calloc(A(m), nmemb, size);
}

static void *
dl_realloc(struct model *m, void *p, size_t n)
{
	return alloc_realloc(A(m), p, n);
}

static void *
dl_reallocarray(struct model *m, void *p, size_t nmemb, size_t size)
{
	return alloc_reallocarray(A(m), p, nmemb, size);
}

static void *
dl_memalign(struct model *m, size_t alignment, size_t size)
{
	return alloc_memalign(A(m), alignment, size);
}

static int
dl_free(struct model *m, void *p)
{
	return alloc_free(A(m), p);
}

static size_t
dl_usable_size(struct model *m, const void *p)
{
	return alloc_usable_size(A(m), p);
}

static const struct model_error *
dl_last_error(struct model *m)
{
	const struct alloc_error	*e = alloc_last_error(A(m));

	if (e == NULL)
		return NULL;
	m->err.glibc = e->glibc;
	m->err.says = NULL;	/* dlmalloc's abort() says nothing */
	strlcopy(m->err.what, e->what, sizeof m->err.what);
	m->err.chunk = e->chunk;
	m->err.segv = false;	/* dlmalloc's checks never crash */
	m->err.strict = false;
	return &m->err;
}

static int
dl_set_param(struct model *m, enum model_param key, size_t v)
{
	switch (key) {
	case MODEL_MMAP_THRESHOLD:
		alloc_set_mmap_threshold(A(m), v);
		return 0;
	case MODEL_TRIM_THRESHOLD:
		alloc_set_trim_threshold(A(m), v);
		return 0;
	case MODEL_CHECKS:
		alloc_set_checks(A(m), v == MODEL_CHECKS_OFF ?
		    ALLOC_CHECKS_OFF : ALLOC_CHECKS_STRICT);
		return 0;
	case MODEL_TCACHE_KEY:
		break;		/* dlmalloc has no tcache */
	default:	/* no fastbins, no limit on mappings */
		break;
	}
	errno = ENOTSUP;
	return -1;
}

static size_t
dl_param(const struct model *m, enum model_param key)
{
	switch (key) {
	case MODEL_MMAP_THRESHOLD:
		return alloc_mmap_threshold(CA(m));
	case MODEL_TRIM_THRESHOLD:
		return alloc_trim_threshold(CA(m));
	case MODEL_CHECKS:
		return alloc_checks(CA(m)) == ALLOC_CHECKS_OFF ?
		    MODEL_CHECKS_OFF : MODEL_CHECKS_STRICT;
	case MODEL_TCACHE_KEY:
	default:
		break;
	}
	return 0;
}

/* ---- Looking inside. ---- */

static enum model_chunk_state
dl_state_of(enum alloc_chunk_state st)
{
	switch (st) {
	case ALLOC_CHUNK_INUSE:
		return MODEL_CHUNK_INUSE;
	case ALLOC_CHUNK_FREE:
		return MODEL_CHUNK_FREE;
	case ALLOC_CHUNK_TOP:
		return MODEL_CHUNK_TOP;
	case ALLOC_CHUNK_MMAPPED:
		return MODEL_CHUNK_MMAPPED;
	case ALLOC_CHUNK_FENCE:
		return MODEL_CHUNK_FENCE;
	case ALLOC_CHUNK_DAMAGED:
		break;
	}
	return MODEL_CHUNK_DAMAGED;
}

struct dl_walk {
	model_walk_fn	 fn;
	void		*ctx;
};

static void
dl_walk_chunk(void *ctx, const struct alloc_chunk *c)
{
	struct dl_walk		*w = ctx;
	struct model_chunk	 mc;

	mc.addr = c->addr;
	mc.mem = c->mem;
	mc.size = c->size;
	mc.prev_foot = c->prev_foot;
	mc.head = c->head;
	mc.state = dl_state_of(c->state);
	mc.bin_class = c->bin_kind;
	mc.bin = c->bin;
	mc.fd = c->fd;
	mc.bk = c->bk;
	mc.fd_stored = 0;	/* dlmalloc stores its links plain */
	mc.fd_mangled = false;
	mc.fd_decoded = NULL;
	w->fn(w->ctx, &mc);
}

static void
dl_walk(struct model *m, model_walk_fn fn, void *ctx)
{
	struct dl_walk	w = { fn, ctx };

	alloc_walk(A(m), dl_walk_chunk, &w);
}

static size_t
dl_walk_from(struct model *m, const void *p, size_t max, model_walk_fn fn,
    void *ctx)
{
	struct dl_walk	w = { fn, ctx };

	return alloc_walk_from(A(m), p, max, dl_walk_chunk, &w);
}

static size_t
dl_walk_mmapped(struct model *m, model_walk_fn fn, void *ctx)
{
	struct dl_walk	w = { fn, ctx };

	return alloc_walk_mmapped(A(m), dl_walk_chunk, &w);
}

static size_t
dl_segments(struct model *m, struct model_segment *out, size_t max)
{
	struct alloc_segment	seg[64];
	size_t			n, i, got;

	if (max <= 64) {
		n = alloc_segments(A(m), seg, max);
		got = n < max ? n : max;
		for (i = 0; i < got; i++) {
			out[i].base = seg[i].base;
			out[i].size = seg[i].size;
		}
		return n;
	} else {
		struct alloc_segment	*all = xcalloc(max, sizeof *all);

		n = alloc_segments(A(m), all, max);
		got = n < max ? n : max;
		for (i = 0; i < got; i++) {
			out[i].base = all[i].base;
			out[i].size = all[i].size;
		}
		free(all);
		return n;
	}
}

static bool
dl_list_class(int cls)
{
	return cls == ALLOC_BIN_SMALL || cls == ALLOC_BIN_TREE;
}

static size_t
dl_bin_chunks(struct model *m, int cls, int i, void **out, size_t max)
{
	if (!dl_list_class(cls))
		return 0;
	return alloc_bin_chunks(A(m), (enum alloc_bin_kind)cls, i, out, max);
}

static size_t
dl_bin_chunks_from(struct model *m, int cls, int i, size_t skip,
    size_t count, void **out, size_t max)
{
	if (!dl_list_class(cls))
		return 0;
	return alloc_bin_chunks_from(A(m), (enum alloc_bin_kind)cls, i, skip,
	    count, out, max);
}

/* Small bin i: chunks of exactly 8i bytes; tree bin i: a range that
 * doubles every two bins, from 256 bytes, the last open-ended. */
static void
dl_bin_range(int cls, int i, size_t *lo, size_t *hi)
{
	if (cls == ALLOC_BIN_SMALL) {
		*lo = *hi = (size_t)i << 3;
		return;
	}
	if (cls != ALLOC_BIN_TREE) {
		*lo = 0;
		*hi = SIZE_MAX;
		return;
	}
	*lo = (size_t)1 << ((i >> 1) + 8);
	*lo |= (size_t)(i & 1) << ((i >> 1) + 7);
	if (i == ALLOC_NTREEBINS - 1)
		*hi = SIZE_MAX;
	else {
		size_t	next, unused;

		dl_bin_range(cls, i + 1, &next, &unused);
		*hi = next - 1;
	}
}

static void *
dl_special(const struct model *m, int cls, size_t *size)
{
	void	*p = NULL;

	*size = 0;
	if (cls == ALLOC_BIN_TOP)
		p = alloc_top(CA(m), size);
	else if (cls == ALLOC_BIN_DV) {
		p = alloc_dv(CA(m), size);
		if (*size == 0)
			p = NULL;
	}
	return p;
}

static size_t
dl_bitmaps(const struct model *m, struct model_bitmap *out, size_t max)
{
	if (max >= 1) {
		out[0].name = "smallmap";
		out[0].bits = alloc_smallmap(CA(m));
	}
	if (max >= 2) {
		out[1].name = "treemap";
		out[1].bits = alloc_treemap(CA(m));
	}
	return 2;
}

static void
dl_stats(struct model *m, struct model_stats *st)
{
	struct alloc_stats	as;

	alloc_stats(A(m), &as);
	st->footprint = as.footprint;
	st->max_footprint = as.max_footprint;
	st->inuse = as.inuse;
	st->free = as.free;
}

static size_t
dl_check(struct model *m, char (*v)[160], size_t max)
{
	return alloc_check(A(m), v, max);
}

/* The core's saved state, under the model's opaque names. */
static struct model_saved *
dl_save(const struct model *m)
{
	return (struct model_saved *)alloc_save(CA(m));
}

static struct model_live *
dl_live_take(const struct model *m)
{
	return (struct model_live *)alloc_live_take(CA(m));
}

static void
dl_restore(struct model *m, const struct model_saved *sv,
    struct model_live *lv)
{
	alloc_restore(A(m), (const struct alloc_saved *)sv,
	    (struct alloc_live *)lv);
}

static size_t
dl_saved_bytes(const struct model_saved *sv)
{
	return alloc_saved_bytes((const struct alloc_saved *)sv);
}

static void
dl_saved_free(struct model_saved *sv)
{
	alloc_saved_free((struct alloc_saved *)sv);
}

/* ---- Decisions in words. ---- */

static unsigned
dl_decision_flags(int kind)
{
	switch (kind) {
	case AEV_SEGMENT_NEW:
	case AEV_CORRUPTION:
		return MODEL_DEC_RELAYOUT;
	case AEV_MMAP_CHUNK:
	case AEV_MUNMAP_CHUNK:
	case AEV_MREMAP_CHUNK:
		return MODEL_DEC_MAPPING;
	default:
		return 0;
	}
}

static void
dl_free_result(const struct decision *dec, size_t n,
    struct model_free_result *fr)
{
	size_t	i;

	memset(fr, 0, sizeof *fr);
	for (i = 0; i < n; i++) {
		const struct decision	*d = &dec[i];

		switch (d->kind) {
		case AEV_FREE:
			if (fr->size == 0)
				fr->size = d->size;
			break;
		case AEV_COALESCE_PREV:
		case AEV_COALESCE_NEXT:
			if (fr->nmerged < MODEL_FREE_MERGED)
				fr->merged[fr->nmerged++] = d->other;
			break;
		case AEV_INTO_TOP:
		case AEV_INTO_DV:
			fr->went = dl_classes[d->kind == AEV_INTO_TOP ?
			    ALLOC_BIN_TOP : ALLOC_BIN_DV].key;
			break;
		case AEV_BIN_INSERT:
			fr->went = model_bin_label(&model_dlmalloc,
			    d->bin_class, d->bin, MODEL_LABEL_SHORT, "none",
			    fr->label, sizeof fr->label);
			break;
		case AEV_MUNMAP_CHUNK:
			fr->went = "unmapped";
			break;
		case AEV_TRIM:
			fr->trimmed += d->size;
			break;
		default:
			break;
		}
	}
}

/* An int in decimal, as %d. */
static void
add_int(struct buf *b, int v)
{
	if (v < 0) {
		buf_add(b, "-", 1);
		buf_add_uint(b, 0 - (uint64_t)(int64_t)v, 10);
	} else
		buf_add_uint(b, (uint64_t)v, 10);
}

/*
 * The reply line's phrase.  Every command says these, so the common ones
 * are put together piece by piece (ADD, NUM, HEX) without a formatter,
 * each with the format it stands for beside it.
 */
static void
dl_summary(const struct decision *d, struct buf *b)
{
#define ADD(text)	buf_add(b, text, sizeof text - 1)
#define NUM(v)		buf_add_uint(b, (uint64_t)(v), 10)
#define HEX(v)		buf_add_uint(b, (uint64_t)(v), 16)
	switch (d->kind) {
	case AEV_SMALLBIN_HIT:
		/* "reused a free chunk from small bin %d" */
		ADD("reused a free chunk from small bin ");
		add_int(b, d->bin);
		break;
	case AEV_TREEBIN_HIT:
		/* "best fit from tree bin %d (a %zu-byte chunk)" */
		ADD("best fit from tree bin ");
		add_int(b, d->bin);
		ADD(" (a ");
		NUM(d->size);
		ADD("-byte chunk)");
		break;
	case AEV_DV_HIT:
		ADD("carved from the designated victim");
		break;
	case AEV_TOP_HIT:
		ADD("split from top");
		break;
	case AEV_SPLIT:
		if (d->bin_class == ALLOC_BIN_TOP)
			break;
		/* "the %zu-byte remainder went to %s" */
		ADD("the ");
		NUM(d->other_size);
		ADD("-byte remainder went to ");
		model_bin_words(&model_dlmalloc, d->bin_class, d->bin, b);
		break;
	case AEV_SYS_ALLOC:
		ADD("top was too small, so the heap grew");
		break;
	case AEV_SEGMENT_NEW:
		if (d->other == 0)
			buf_printf(b, "the heap's first segment starts at 0x%"
			    PRIx64, d->chunk);
		else
			buf_printf(b, "the break had moved under the heap: new "
			    "segment at 0x%" PRIx64, d->chunk);
		break;
	case AEV_MMAP_CHUNK:
		buf_printf(b, "at or above the mmap threshold: its own mapping "
		    "of %zu bytes (0x%zx)", d->other_size, d->other_size);
		break;
	case AEV_MUNMAP_CHUNK:
		ADD("its mapping was unmapped");
		break;
	case AEV_MREMAP_CHUNK:
		ADD("its mapping was resized with mremap");
		break;
	case AEV_COALESCE_PREV:
		/* "merged with the free chunk before it at 0x%" PRIx64 */
		ADD("merged with the free chunk before it at 0x");
		HEX(d->other);
		break;
	case AEV_COALESCE_NEXT:
		/* "merged with the free chunk after it at 0x%" PRIx64 */
		ADD("merged with the free chunk after it at 0x");
		HEX(d->other);
		break;
	case AEV_INTO_TOP:
		ADD("merged into top");
		break;
	case AEV_INTO_DV:
		ADD("joined the designated victim");
		break;
	case AEV_BIN_INSERT:
		ADD("put at the head of ");
		model_bin_words(&model_dlmalloc, d->bin_class, d->bin, b);
		break;
	case AEV_TRIM:
		buf_printf(b, "top was past the trim threshold: %zu bytes given "
		    "back", d->size);
		break;
	case AEV_REALLOC_SHRINK:
		ADD("shrunk in place");
		break;
	case AEV_REALLOC_GROW:
		ADD("grew in place");
		break;
	case AEV_REALLOC_MOVE:
		ADD("could not grow in place: moved (malloc, copy, free)");
		break;
	case AEV_CALLOC_ZERO:
		buf_printf(b, "zeroed %zu bytes", d->size);
		break;
	case AEV_ALIGN_LEAD:
		buf_printf(b, "aligned: the %zu bytes before it given back",
		    d->other_size);
		break;
	case AEV_ALIGN_TAIL:
		buf_printf(b, "the %zu bytes after it given back",
		    d->other_size);
		break;
	default:
		break;
	}
#undef ADD
#undef NUM
#undef HEX
}

#define X(v) ((unsigned long long)(v))

/* request2size, with its arithmetic. */
static void
explain_request(struct buf *b, size_t bytes, size_t nb)
{
	if (bytes == SIZE_MAX || nb == SIZE_MAX)
		buf_printf(b, "- request of %zu bytes: more than any chunk can "
		    "hold, so it fails at once\n", bytes);
	else if (bytes + 8 <= 32)
		buf_printf(b, "- request %zu bytes: with the 8-byte header "
		    "that is %zu, under the 32-byte minimum chunk, so the chunk "
		    "is 32 bytes\n", bytes, bytes + 8);
	else
		buf_printf(b, "- request %zu bytes: %zu + 8 bytes of header = "
		    "%zu, rounded up to a multiple of 16 = a %zu-byte chunk\n",
		    bytes, bytes, bytes + 8, nb);
}

/*
 * A request at or above the mmap threshold is only a candidate for a
 * mapping of its own: dlmalloc maps it only when no bin and not top can
 * hold it, and only once the heap exists.  Says how the candidacy ended,
 * at the decision that ended it (decision i); false if i did not.
 */
static bool
mapping_verdict(const struct decision *dec, size_t n, size_t i,
    bool grew, struct buf *b)
{
	const struct decision	*d = &dec[i];
	size_t			 j;

	switch (d->kind) {
	case AEV_SMALLBIN_HIT:
	case AEV_TREEBIN_HIT:
	case AEV_DV_HIT:
		buf_printf(b, "- so no mapping of its own: a free chunk "
		    "fits, and dlmalloc maps only when no bin and not top can "
		    "hold the chunk\n");
		return true;
	case AEV_TOP_HIT:
		if (grew)
			return false;	/* said at AEV_SYS_ALLOC */
		buf_printf(b, "- so no mapping of its own: top has room, "
		    "and dlmalloc maps only when no bin and not top can hold "
		    "the chunk\n");
		return true;
	case AEV_REALLOC_SHRINK:
	case AEV_REALLOC_GROW:
		buf_printf(b, "- so no new mapping: the block is resized "
		    "where it is\n");
		return true;
	case AEV_SYS_ALLOC:
		for (j = i + 1; j < n &&
		    dec[j].kind != AEV_REQUEST; j++) {
			if (dec[j].kind == AEV_SEGMENT_NEW &&
			    dec[j].other == 0) {
				buf_printf(b, "- so no mapping of its own: "
				    "the heap does not exist yet, and dlmalloc "
				    "maps a chunk directly only once it has a "
				    "heap (top); the heap is made instead, and "
				    "the chunk comes from it\n");
				return true;
			}
		}
		buf_printf(b, "- so no mapping of its own: the mmap call "
		    "failed (see the system calls), so the heap grows "
		    "instead\n");
		return true;
	case AEV_MMAP_CHUNK:
	case AEV_MREMAP_CHUNK:
	case AEV_ENOMEM:
	case AEV_CORRUPTION:
		return true;		/* their own lines say it */
	default:
		return false;
	}
}

static void
dl_explain(const struct decision *dec, size_t n,
    const struct model_explain_ctx *x, struct buf *b)
{
	char	bin[40];
	size_t	i;
	bool	candidate = false, grew = false;

	for (i = 0; i < n; i++) {
		const struct decision	*d = &dec[i];

		model_bin_label(&model_dlmalloc, d->bin_class, d->bin,
		    MODEL_LABEL_WORDS, "none", bin, sizeof bin);
		switch (d->kind) {
		case AEV_REQUEST:
			explain_request(b, d->size, d->other_size);
			if (d->other_size != SIZE_MAX &&
			    d->other_size >= x->mmap_threshold)
				buf_printf(b, "- %zu is at least the mmap "
				    "threshold (%zu): a candidate for a "
				    "mapping of its own\n", d->other_size,
				    x->mmap_threshold);
			candidate = d->other_size != SIZE_MAX &&
			    d->other_size >= x->mmap_threshold;
			grew = false;
			break;
		case AEV_SMALLBIN_EMPTY:
			buf_printf(b, "- small bin %d (exact fit, %zu-byte "
			    "chunks) is empty\n", d->bin, (size_t)d->bin * 8);
			break;
		case AEV_SMALLBIN_HIT:
			buf_printf(b, "- small bin %d has a free chunk: take "
			    "0x%llx (%zu bytes), the one at its head: the last "
			    "freed is the first reused\n", d->bin, X(d->chunk),
			    d->size);
			break;
		case AEV_TREEBIN_HIT:
			buf_printf(b, "- tree bin %d: the smallest free chunk "
			    "that fits is 0x%llx (%zu bytes): best fit\n",
			    d->bin, X(d->chunk), d->size);
			break;
		case AEV_DV_HIT:
			buf_printf(b, "- the designated victim, 0x%llx (%zu "
			    "bytes), the rest of the last split, is big enough: "
			    "use it first, for locality\n", X(d->chunk),
			    d->size);
			break;
		case AEV_TOP_HIT:
			buf_printf(b, "- no bin fits: carve the chunk from top "
			    "at 0x%llx (%zu bytes)\n", X(d->chunk), d->size);
			break;
		case AEV_SPLIT:
			if (d->bin_class == ALLOC_BIN_TOP)
				buf_printf(b, "- split: the chunk keeps what "
				    "it needs; top moves up to 0x%llx with %zu "
				    "bytes\n", X(d->other), d->other_size);
			else
				buf_printf(b, "- split 0x%llx (%zu bytes): the "
				    "remainder, 0x%llx with %zu bytes, goes to "
				    "%s\n", X(d->chunk), d->size, X(d->other),
				    d->other_size, bin);
			break;
		case AEV_DV_REPLACED:
			buf_printf(b, "- the old designated victim, 0x%llx "
			    "(%zu bytes), goes to a bin; the new remainder "
			    "takes its place\n", X(d->other), d->other_size);
			break;
		case AEV_SYS_ALLOC:
			buf_printf(b, "- top is too small for %zu bytes: the "
			    "heap must grow.  %zu + 96 (80 bytes that close a "
			    "segment, 16 for alignment) = %zu, rounded up to "
			    "whole pages = %zu; when the new memory continues "
			    "the heap, sbrk asks only for what top lacks\n",
			    d->other_size, d->other_size, d->other_size + 96,
			    d->size);
			break;
		case AEV_SEGMENT_EXTENDED:
			buf_printf(b, "- the new memory continues the heap: "
			    "top grows by %zu bytes\n", d->size);
			break;
		case AEV_SEGMENT_NEW:
			if (d->other == 0)
				buf_printf(b, "- the heap's first segment: "
				    "%zu bytes at 0x%llx, all of it top\n",
				    d->size, X(d->chunk));
			else
				buf_printf(b, "- the break had moved (someone "
				    "else called sbrk): a new segment at 0x%llx; "
				    "the old top at 0x%llx is fenced off and "
				    "what is left of it freed\n", X(d->chunk),
				    X(d->other));
			break;
		case AEV_MMAP_CHUNK:
			buf_printf(b, "- a mapping of its own: %zu bytes "
			    "mapped at 0x%llx for a %zu-byte chunk\n",
			    d->other_size, X(d->other), d->size);
			break;
		case AEV_MUNMAP_CHUNK:
			buf_printf(b, "- a mapped chunk goes straight back to "
			    "the system: munmap of %zu bytes\n", d->other_size);
			break;
		case AEV_MREMAP_CHUNK:
			buf_printf(b, "- a mapped chunk is resized in the "
			    "kernel with mremap: %zu bytes now\n", d->size);
			break;
		case AEV_FREE:
			buf_printf(b, "- free the %zu-byte chunk at 0x%llx\n",
			    d->size, X(d->chunk));
			break;
		case AEV_COALESCE_PREV:
			buf_printf(b, "- its PINUSE bit is clear: the chunk "
			    "before, 0x%llx (%zu bytes), is free; merge with "
			    "it\n", X(d->other), d->other_size);
			break;
		case AEV_COALESCE_NEXT:
			buf_printf(b, "- the chunk after, 0x%llx (%zu bytes), is "
			    "free: merge with it\n", X(d->other), d->other_size);
			break;
		case AEV_INTO_TOP:
			buf_printf(b, "- it borders top: it becomes part of top, "
			    "now 0x%llx with %zu bytes\n", X(d->chunk), d->size);
			break;
		case AEV_INTO_DV:
			buf_printf(b, "- it borders the designated victim: "
			    "together they are the dv, %zu bytes\n", d->size);
			break;
		case AEV_BIN_INSERT:
			buf_printf(b, "- put the %zu-byte chunk 0x%llx at the "
			    "head of %s\n", d->size, X(d->chunk), bin);
			break;
		case AEV_TRIM:
			buf_printf(b, "- top is over the trim threshold (%zu): "
			    "give %zu bytes back to the system\n",
			    x->trim_threshold, d->size);
			break;
		case AEV_REALLOC_SHRINK:
			buf_printf(b, "- shrink in place%s\n", d->other ?
			    ": the freed tail becomes a free chunk" : "");
			break;
		case AEV_REALLOC_GROW:
			buf_printf(b, "- grow in place into the free space "
			    "after it, 0x%llx\n", X(d->other));
			break;
		case AEV_REALLOC_MOVE:
			buf_printf(b, "- cannot grow in place: allocate a new "
			    "chunk, copy the contents, free the old one\n");
			break;
		case AEV_CALLOC_ZERO:
			buf_printf(b, "- zero %zu bytes: calloc's memory reads "
			    "as zeros even when the chunk was used before\n",
			    d->size);
			break;
		case AEV_ALIGN_LEAD:
			buf_printf(b, "- the payload must be aligned: the chunk "
			    "starts at 0x%llx, the first aligned place with room "
			    "for a chunk before it; the %zu bytes before it, "
			    "0x%llx, are given back (a mapped chunk keeps them "
			    "in its mapping)\n", X(d->chunk), d->other_size,
			    X(d->other));
			break;
		case AEV_ALIGN_TAIL:
			buf_printf(b, "- the chunk keeps %zu bytes; the %zu "
			    "after it, 0x%llx, are given back\n", d->size,
			    d->other_size, X(d->other));
			break;
		case AEV_CORRUPTION:
			buf_printf(b, "- a check failed at 0x%llx: the "
			    "operation was refused\n", X(d->chunk));
			break;
		case AEV_ENOMEM:
			buf_printf(b, "- no memory for %zu bytes: the result "
			    "is NULL with errno ENOMEM\n", d->size);
			break;
		}
		if (candidate && d->kind != AEV_REQUEST &&
		    mapping_verdict(dec, n, i, grew, b))
			candidate = false;
		if (d->kind == AEV_SYS_ALLOC)
			grew = true;
	}
}

/* ---- The header's flag bits. ---- */

/* PINUSE (1): the chunk before is in use; CINUSE (2): this one is; the
 * column's M is a chunk with a mapping of its own (both bits clear). */
static void
dl_flag_letters(uint64_t head, enum model_chunk_state st, char *out)
{
	out[0] = head & 1 ? 'P' : '-';
	out[1] = head & 2 ? 'C' : '-';
	out[2] = st == MODEL_CHUNK_MMAPPED ? 'M' : '-';
}

static void
dl_flag_names(uint64_t head, const char *sep, bool minor, char *buf,
    size_t len)
{
	buf_snprintf(buf, len, "%s%s%s%s%s%s", head & 2 ? sep : "",
	    head & 2 ? "CINUSE" : "", head & 1 ? sep : "",
	    head & 1 ? "PINUSE" : "", minor && (head & 4) ? sep : "",
	    minor && (head & 4) ? "bit 2" : "");
}

const struct model_ops model_dlmalloc = {
	.name = "dlmalloc-2.8.6",
	.short_name = "dlmalloc",
	.classes = dl_classes,
	.nclasses = sizeof dl_classes / sizeof dl_classes[0],

	.create = dl_create,
	.destroy = dl_destroy,
	.adopt = dl_adopt,
	.regions = dl_regions,
	.state = dl_state,
	.set_hook = dl_set_hook,

	.malloc = dl_malloc,
	.calloc = dl_calloc,
	.realloc = dl_realloc,
	.reallocarray = dl_reallocarray,
	.memalign = dl_memalign,
	.free = dl_free,
	.usable_size = dl_usable_size,
	.last_error = dl_last_error,
	.params = MODEL_PARAM(MODEL_MMAP_THRESHOLD) |
	    MODEL_PARAM(MODEL_TRIM_THRESHOLD) | MODEL_PARAM(MODEL_CHECKS),
	.checks_own = "off",
	.set_param = dl_set_param,
	.param = dl_param,

	.walk = dl_walk,
	.walk_from = dl_walk_from,
	.walk_mmapped = dl_walk_mmapped,
	.segments = dl_segments,
	.bin_chunks = dl_bin_chunks,
	.bin_chunks_from = dl_bin_chunks_from,
	.bin_range = dl_bin_range,
	.special = dl_special,
	.bitmaps = dl_bitmaps,
	.stats = dl_stats,
	.check = dl_check,

	.save = dl_save,
	.live_take = dl_live_take,
	.restore = dl_restore,
	.saved_bytes = dl_saved_bytes,
	.saved_free = dl_saved_free,

	.summary = dl_summary,
	.explain = dl_explain,
	.decision_flags = dl_decision_flags,
	.free_result = dl_free_result,

	.flag_heading = "PCM",
	.flag_letters = dl_flag_letters,
	.flag_names = dl_flag_names,
};
