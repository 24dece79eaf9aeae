/*
 * render-explain.c -- what the allocator did in the last step, decision by
 * decision, with the arithmetic, then the system calls it made.  Reads
 * only the snapshot (its decisions and the log entries of the step).
 */
#include <stdbool.h>
#include <stdio.h>

#include "render.h"

#define X(v) ((unsigned long long)(v))

static void
request(struct out *out, size_t bytes, size_t nb)
{
	if (bytes == SIZE_MAX || nb == SIZE_MAX)
		out_printf(out, "- request of %zu bytes: more than any chunk can "
		    "hold, so it fails at once\n", bytes);
	else if (bytes + 8 <= 32)
		out_printf(out, "- request %zu bytes: with the 8-byte header "
		    "that is %zu, under the 32-byte minimum chunk, so the chunk "
		    "is 32 bytes\n", bytes, bytes + 8);
	else
		out_printf(out, "- request %zu bytes: %zu + 8 bytes of header = "
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
mapping_verdict(const struct snapshot *snap, size_t i, bool grew,
    struct out *out)
{
	const struct decision	*d = &snap->dec[i];
	size_t			 j;

	switch (d->kind) {
	case AEV_SMALLBIN_HIT:
	case AEV_TREEBIN_HIT:
	case AEV_DV_HIT:
		out_printf(out, "- so no mapping of its own: a free chunk "
		    "fits, and dlmalloc maps only when no bin and not top can "
		    "hold the chunk\n");
		return true;
	case AEV_TOP_HIT:
		if (grew)
			return false;	/* said at AEV_SYS_ALLOC */
		out_printf(out, "- so no mapping of its own: top has room, "
		    "and dlmalloc maps only when no bin and not top can hold "
		    "the chunk\n");
		return true;
	case AEV_REALLOC_SHRINK:
	case AEV_REALLOC_GROW:
		out_printf(out, "- so no new mapping: the block is resized "
		    "where it is\n");
		return true;
	case AEV_SYS_ALLOC:
		for (j = i + 1; j < snap->ndec &&
		    snap->dec[j].kind != AEV_REQUEST; j++) {
			if (snap->dec[j].kind == AEV_SEGMENT_NEW &&
			    snap->dec[j].other == 0) {
				out_printf(out, "- so no mapping of its own: "
				    "the heap does not exist yet, and dlmalloc "
				    "maps a chunk directly only once it has a "
				    "heap (top); the heap is made instead, and "
				    "the chunk comes from it\n");
				return true;
			}
		}
		out_printf(out, "- so no mapping of its own: the mmap call "
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

void
render_explain(const struct snapshot *snap, struct out *out)
{
	char	bin[40];
	size_t	i;
	bool	candidate = false, grew = false;

	if (snap->step == 0) {
		out_printf(out, "nothing to explain: no step yet\n");
		return;
	}
	out_printf(out, "step %u: %s\n", snap->step, snap->last);
	if (snap->ndec == 0)
		out_printf(out, "- the allocator took no decision in this step\n");
	for (i = 0; i < snap->ndec; i++) {
		const struct decision	*d = &snap->dec[i];

		render_bin_name(d->bin_kind, d->bin, bin, sizeof bin);
		switch (d->kind) {
		case AEV_REQUEST:
			request(out, d->size, d->other_size);
			if (d->other_size != SIZE_MAX &&
			    d->other_size >= snap->mmap_threshold)
				out_printf(out, "- %zu is at least the mmap "
				    "threshold (%zu): a candidate for a "
				    "mapping of its own\n", d->other_size,
				    snap->mmap_threshold);
			candidate = d->other_size != SIZE_MAX &&
			    d->other_size >= snap->mmap_threshold;
			grew = false;
			break;
		case AEV_SMALLBIN_EMPTY:
			out_printf(out, "- small bin %d (exact fit, %zu-byte "
			    "chunks) is empty\n", d->bin, (size_t)d->bin * 8);
			break;
		case AEV_SMALLBIN_HIT:
			out_printf(out, "- small bin %d has a free chunk: take "
			    "0x%llx (%zu bytes), the one at its head: the last "
			    "freed is the first reused\n", d->bin, X(d->chunk),
			    d->size);
			break;
		case AEV_TREEBIN_HIT:
			out_printf(out, "- tree bin %d: the smallest free chunk "
			    "that fits is 0x%llx (%zu bytes): best fit\n",
			    d->bin, X(d->chunk), d->size);
			break;
		case AEV_DV_HIT:
			out_printf(out, "- the designated victim, 0x%llx (%zu "
			    "bytes), the rest of the last split, is big enough: "
			    "use it first, for locality\n", X(d->chunk),
			    d->size);
			break;
		case AEV_TOP_HIT:
			out_printf(out, "- no bin fits: carve the chunk from top "
			    "at 0x%llx (%zu bytes)\n", X(d->chunk), d->size);
			break;
		case AEV_SPLIT:
			if (d->bin_kind == ALLOC_BIN_TOP)
				out_printf(out, "- split: the chunk keeps what "
				    "it needs; top moves up to 0x%llx with %zu "
				    "bytes\n", X(d->other), d->other_size);
			else
				out_printf(out, "- split 0x%llx (%zu bytes): the "
				    "remainder, 0x%llx with %zu bytes, goes to "
				    "%s\n", X(d->chunk), d->size, X(d->other),
				    d->other_size, bin);
			break;
		case AEV_DV_REPLACED:
			out_printf(out, "- the old designated victim, 0x%llx "
			    "(%zu bytes), goes to a bin; the new remainder "
			    "takes its place\n", X(d->other), d->other_size);
			break;
		case AEV_SYS_ALLOC:
			out_printf(out, "- top is too small for %zu bytes: the "
			    "heap must grow.  %zu + 96 (80 bytes that close a "
			    "segment, 16 for alignment) = %zu, rounded up to "
			    "whole pages = %zu; when the new memory continues "
			    "the heap, sbrk asks only for what top lacks\n",
			    d->other_size, d->other_size, d->other_size + 96,
			    d->size);
			break;
		case AEV_SEGMENT_EXTENDED:
			out_printf(out, "- the new memory continues the heap: "
			    "top grows by %zu bytes\n", d->size);
			break;
		case AEV_SEGMENT_NEW:
			if (d->other == 0)
				out_printf(out, "- the heap's first segment: "
				    "%zu bytes at 0x%llx, all of it top\n",
				    d->size, X(d->chunk));
			else
				out_printf(out, "- the break had moved (someone "
				    "else called sbrk): a new segment at 0x%llx; "
				    "the old top at 0x%llx is fenced off and "
				    "what is left of it freed\n", X(d->chunk),
				    X(d->other));
			break;
		case AEV_MMAP_CHUNK:
			out_printf(out, "- a mapping of its own: %zu bytes "
			    "mapped at 0x%llx for a %zu-byte chunk\n",
			    d->other_size, X(d->other), d->size);
			break;
		case AEV_MUNMAP_CHUNK:
			out_printf(out, "- a mapped chunk goes straight back to "
			    "the system: munmap of %zu bytes\n", d->other_size);
			break;
		case AEV_MREMAP_CHUNK:
			out_printf(out, "- a mapped chunk is resized in the "
			    "kernel with mremap: %zu bytes now\n", d->size);
			break;
		case AEV_FREE:
			out_printf(out, "- free the %zu-byte chunk at 0x%llx\n",
			    d->size, X(d->chunk));
			break;
		case AEV_COALESCE_PREV:
			out_printf(out, "- its PINUSE bit is clear: the chunk "
			    "before, 0x%llx (%zu bytes), is free; merge with "
			    "it\n", X(d->other), d->other_size);
			break;
		case AEV_COALESCE_NEXT:
			out_printf(out, "- the chunk after, 0x%llx (%zu bytes), is "
			    "free: merge with it\n", X(d->other), d->other_size);
			break;
		case AEV_INTO_TOP:
			out_printf(out, "- it borders top: it becomes part of top, "
			    "now 0x%llx with %zu bytes\n", X(d->chunk), d->size);
			break;
		case AEV_INTO_DV:
			out_printf(out, "- it borders the designated victim: "
			    "together they are the dv, %zu bytes\n", d->size);
			break;
		case AEV_BIN_INSERT:
			out_printf(out, "- put the %zu-byte chunk 0x%llx at the "
			    "head of %s\n", d->size, X(d->chunk), bin);
			break;
		case AEV_TRIM:
			out_printf(out, "- top is over the trim threshold (%zu): "
			    "give %zu bytes back to the system\n",
			    snap->trim_threshold, d->size);
			break;
		case AEV_REALLOC_SHRINK:
			out_printf(out, "- shrink in place%s\n", d->other ?
			    ": the freed tail becomes a free chunk" : "");
			break;
		case AEV_REALLOC_GROW:
			out_printf(out, "- grow in place into the free space "
			    "after it, 0x%llx\n", X(d->other));
			break;
		case AEV_REALLOC_MOVE:
			out_printf(out, "- cannot grow in place: allocate a new "
			    "chunk, copy the contents, free the old one\n");
			break;
		case AEV_CALLOC_ZERO:
			out_printf(out, "- zero %zu bytes: calloc's memory reads "
			    "as zeros even when the chunk was used before\n",
			    d->size);
			break;
		case AEV_CORRUPTION:
			out_printf(out, "- a check failed at 0x%llx: the "
			    "operation was refused\n", X(d->chunk));
			break;
		case AEV_ENOMEM:
			out_printf(out, "- no memory for %zu bytes: the result "
			    "is NULL with errno ENOMEM\n", d->size);
			break;
		}
		if (candidate && d->kind != AEV_REQUEST &&
		    mapping_verdict(snap, i, grew, out))
			candidate = false;
		if (d->kind == AEV_SYS_ALLOC)
			grew = true;
	}
	if (snap->log_new < snap->nlog) {
		out_printf(out, "system calls:\n");
		for (i = snap->log_new; i < snap->nlog; i++) {
			struct buf	b;

			buf_init(&b);
			render_syscall(&b, &snap->log[i]);
			out_printf(out, "  %s%s\n", b.s, snap->log[i].foreign ?
			    "  (not the allocator's)" : "");
			buf_free(&b);
		}
	}
}
