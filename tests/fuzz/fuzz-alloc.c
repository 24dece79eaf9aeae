/*
 * fuzz-alloc.c -- libFuzzer target: the allocator models (dlmalloc 2.8.6
 * and glibc 2.36's ptmalloc2, through the model seam of model.h) fed
 * arbitrary operation sequences mixed with arbitrary writes into the
 * simulated heap.
 *
 * The first byte picks the model and what else the input may do: its bit
 * 0 picks the model (0 dlmalloc, 1 glibc); with bit 1 set, operation 15
 * with bit 4 set is a memalign instead of a malloc_usable_size.  (Inputs
 * written before there were two models start with a 0 byte added.)  The
 * rest is a little program: each operation is one byte, followed by
 * the bytes its arguments take (sizes, slot numbers, offsets, data).  The
 * operations are malloc, calloc, realloc, reallocarray and free on 32 slots
 * (a slot keeps its pointer after a free, so double frees and uses after
 * free happen), frees of arbitrary addresses, writes of arbitrary bytes
 * anywhere in the heap and the mappings (through memsrc_to_host, as the
 * `write` command does) or just around a slot's header, `set checks`,
 * the mmap and trim thresholds, and foreign sbrk calls that make the
 * allocator start new segments (dlmalloc) or fenceposts (glibc).  After
 * every operation the model's invariant checker runs; every few
 * operations the walk, every bin of every class, the special chunks, the
 * bitmaps, the facts and the stats are read too.  None of it may crash or
 * touch memory outside what the simulation owns: AddressSanitizer reports
 * any access to host memory the simulation did not map, UBSan any
 * undefined arithmetic.
 *
 *	_build-fuzz/tests/fuzz/fuzz-alloc CORPUS_DIR tests/fuzz/corpus-alloc
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "memsrc.h"
#include "model.h"

#define NSLOTS	32

static bool	trace;		/* FUZZ_TRACE set: say what each step does */

struct rd {
	const uint8_t	*p;
	size_t		 n;
};

static uint8_t
u8(struct rd *r)
{
	if (r->n == 0)
		return 0;
	r->n--;
	return *r->p++;
}

static uint64_t
un(struct rd *r, int bytes)
{
	uint64_t	v = 0;
	int		i;

	for (i = 0; i < bytes; i++)
		v |= (uint64_t)u8(r) << (8 * i);
	return v;
}

static const size_t edges[] = {
	0, 1, 8, 23, 24, 25, 232, 233, 248, 256, 1000, 4096,
	128 * 1024, 256 * 1024 - 1, 256 * 1024, 1 << 20, 2 << 20,
	(size_t)64 << 20, ((size_t)64 << 20) - 4096, (size_t)3 << 30,
	(size_t)1 << 32,
	(size_t)PTRDIFF_MAX, (size_t)PTRDIFF_MAX + 1, (size_t)PTRDIFF_MAX - 15,
	SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 15, SIZE_MAX - 128, SIZE_MAX / 2 - 4096,
	(size_t)-64 << 2, ((size_t)-64 << 2) - 1, SIZE_MAX / 3, SIZE_MAX / 16,
	0x7fffffff, 0x80000000, 0xffffffff,
};

/* A size, mostly small, sometimes huge. */
static size_t
size_of(struct rd *r)
{
	uint8_t	b = u8(r);

	switch (b & 7) {
	case 0: case 1: case 2:
		return u8(r);
	case 3:
		return (size_t)un(r, 2);
	case 4:
		return (size_t)un(r, 3) & 0x1fffff;
	case 5:
		return edges[u8(r) % (sizeof edges / sizeof edges[0])];
	case 6:
		return (size_t)un(r, 8);
	default:
		return (size_t)u8(r) * 16 + (b >> 3);
	}
}

/* A display address inside the heap or a mapping, and its host pointer. */
static void *
somewhere(struct memsrc *ms, struct rd *r, size_t len)
{
	struct mapping	maps[64];
	size_t		n = memsrc_mappings(ms, maps, 64), k = 0, i;
	struct mapping	ours[64];
	uint64_t	span, off;

	if (n > 64)
		n = 64;
	for (i = 0; i < n; i++)
		if (maps[i].kind == MAPPING_HEAP || maps[i].kind == MAPPING_MMAP)
			ours[k++] = maps[i];
	if (k == 0)
		return NULL;
	i = u8(r) % k;
	span = ours[i].end - ours[i].start;
	off = un(r, 4) % span;
	/* Often near the start, where the chunks are. */
	if (u8(r) & 1)
		off %= 4096 < span ? 4096 : span;
	return memsrc_to_host(ms, ours[i].start + off, len);
}

struct fz {
	struct model	*m;
	struct memsrc	*ms;
};

static void
hook(void *ctx, const struct model_event *ev)
{
	struct fz	*f = ctx;
	uint64_t	 c = 0, o = 0;

	/* What the session does with every decision. */
	if (ev->chunk != NULL)
		c = memsrc_to_display(f->ms, ev->chunk);
	if (ev->other != NULL)
		o = memsrc_to_display(f->ms, ev->other);
	if ((f->m->ops->decision_flags(ev->kind) & MODEL_DEC_WARNING) &&
	    f->m->ops->warning != NULL) {
		const char	*w = f->m->ops->warning(f->m);

		if (trace && w != NULL)
			fprintf(stderr, "  warning: %s\n", w);
	}
	if (trace)
		fprintf(stderr, "  event %d chunk 0x%llx size %zu other 0x%llx "
		    "%zu\n", ev->kind, (unsigned long long)c, ev->size,
		    (unsigned long long)o, ev->other_size);
}

static void
walk_fn(void *ctx, const struct model_chunk *c)
{
	size_t	*n = ctx;

	*n += c->size != 0;
}

/* Everything the views read, as the snapshot reads it. */
static void
look(struct model *m, void *near)
{
	const struct model_ops	*ops = m->ops;
	struct model_stats	 st;
	struct model_segment	 seg[16];
	struct model_bitmap	 bm[8];
	struct model_fact	 fact[16];
	struct model_object	 obj[4];
	void			*v[64];
	size_t			 n = 0, size;
	int			 c, i;

	ops->walk(m, walk_fn, &n);
	(void)ops->walk_mmapped(m, walk_fn, &n);
	if (near != NULL)
		(void)ops->walk_from(m, near, 8, walk_fn, &n);
	for (c = 1; c < ops->nclasses; c++) {
		const struct model_bin_class	*k = &ops->classes[c];

		if (k->shape != MODEL_BINS_LIST) {
			(void)ops->special(m, c, &size);
			continue;
		}
		for (i = 0; i < k->nbins; i++) {
			size_t	 all = ops->bin_chunks(m, c, i, v, 64);

			if (all > 2)
				(void)ops->bin_chunks_from(m, c, i, all - 2,
				    0, v, 64);
		}
	}
	(void)ops->bitmaps(m, bm, 8);
	if (ops->facts != NULL)
		(void)ops->facts(m, fact, 16);
	if (ops->objects != NULL)
		(void)ops->objects(m, obj, 4);
	ops->stats(m, &st);
	(void)ops->segments(m, seg, 16);
}

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd	 r = { data, size };
	struct evlog	*log = evlog_create();
	struct memsrc	*ms = memsrc_sim_create(log);
	struct model	*a;
	const struct model_ops *ops;
	struct fz	 f;
	void		*slot[NSLOTS] = { 0 };
	char		 viol[8][160];
	unsigned	 nops = 0;
	uint8_t		 how;

	if (ms == NULL)
		abort();
	trace = getenv("FUZZ_TRACE") != NULL;
	how = u8(&r);
	ops = how & 1 ? &model_glibc : &model_dlmalloc;
	if ((a = ops->create(ms)) == NULL)
		abort();
	f.m = a;
	f.ms = ms;
	ops->set_hook(a, hook, &f);
	if (trace)
		fprintf(stderr, "model %s\n", ops->name);
	while (r.n > 0 && nops++ < 2000) {
		uint8_t	 op = u8(&r);
		unsigned s = u8(&r) % NSLOTS;
		void	*p;
		size_t	 n, m, len, i;
		char	*h;

		switch (op % 16) {
		case 0: case 1:
			p = ops->malloc(a, size_of(&r));
			if (p != NULL)
				slot[s] = p;
			break;
		case 2:
			n = size_of(&r);
			m = size_of(&r);
			/*
			 * calloc clears what it returns, up to gigabytes from
			 * an mmapped segment: keep products that do not
			 * overflow below 16 MiB, or a few inputs use all the
			 * time and the fuzzer's RSS limit.
			 */
			if (n != 0 && m <= SIZE_MAX / n && n * m > (16u << 20))
				m = (16u << 20) / n;
			p = ops->calloc(a, n, m);
			if (p != NULL)
				slot[s] = p;
			break;
		case 3:
			p = ops->realloc(a, slot[s], size_of(&r));
			if (p != NULL)
				slot[s] = p;
			break;
		case 4:
			n = size_of(&r);
			p = ops->reallocarray(a, slot[s], n, size_of(&r));
			if (p != NULL)
				slot[s] = p;
			break;
		case 5: case 6:
			(void)ops->free(a, slot[s]);
			break;
		case 7:		/* free something that may be no chunk */
			h = somewhere(ms, &r, 1);
			if (h != NULL)
				(void)ops->free(a, h);
			break;
		case 8: case 9:	/* arbitrary bytes anywhere in the heap */
			len = u8(&r) % 65;
			h = somewhere(ms, &r, len);
			if (h != NULL)
				for (i = 0; i < len; i++)
					h[i] = (char)u8(&r);
			if (h != NULL && trace)
				fprintf(stderr, "  wrote %zu bytes at 0x%llx\n",
				    len, (unsigned long long)
				    memsrc_to_display(ms, h));
			break;
		case 10: case 11: /* a word around a slot: headers, links */
			if (slot[s] == NULL)
				break;
			m = memsrc_to_display(ms, slot[s]);
			n = m - 16 + (u8(&r) % 40) * 8;
			h = memsrc_to_host(ms, n, 8);
			if (h != NULL) {
				uint64_t	w;

				switch (u8(&r) & 3) {
				case 0: w = un(&r, 8); break;
				case 1: w = un(&r, 2); break;
				case 2: w = memsrc_to_display(ms, slot[u8(&r) %
				    NSLOTS]) - 16; break;
				default: w = (uint64_t)(uintptr_t)slot[u8(&r) %
				    NSLOTS] + (uint64_t)(int8_t)u8(&r); break;
				}
				memcpy(h, &w, 8);
				if (trace)
					fprintf(stderr, "  wrote 0x%llx at "
					    "0x%zx\n", (unsigned long long)w, n);
			}
			break;
		case 12:
			(void)ops->set_param(a, MODEL_CHECKS, (u8(&r) & 1) ?
			    MODEL_CHECKS_OFF : MODEL_CHECKS_STRICT);
			break;
		case 13:
			if (u8(&r) & 1)
				(void)ops->set_param(a, MODEL_MMAP_THRESHOLD,
				    size_of(&r));
			else
				(void)ops->set_param(a, MODEL_TRIM_THRESHOLD,
				    size_of(&r));
			break;
		case 14:	/* the program moves the break itself */
			n = un(&r, 2);
			memsrc_sbrk(ms, (intptr_t)n);
			break;
		default:
			if ((how & 2) && (op & 0x10)) {
				/* Mostly powers of two, sometimes not. */
				n = u8(&r);
				n = n & 0x80 ? n & 0x7f : (size_t)1 << (n % 24);
				p = ops->memalign(a, n, size_of(&r));
				if (p != NULL)
					slot[s] = p;
			} else
				(void)ops->usable_size(a, slot[s]);
			break;
		}
		if (trace) {
			size_t	k = ops->check(a, viol, 8);

			fprintf(stderr, "op %u: %u slot %u -> errno %d; %zu "
			    "violations%s%s\n", nops, op % 16, s, errno, k,
			    k ? ": " : "", k ? viol[0] : "");
		} else
			(void)ops->check(a, viol, 8);
		if ((nops & 15) == 0)
			look(a, slot[s]);
	}
	look(a, slot[0]);
	ops->destroy(a);
	memsrc_destroy(ms);
	evlog_destroy(log);
	return 0;
}
