/*
 * render-text.c -- the plain-text views: for batch mode, pipes, screen
 * readers and tests.  They read only the snapshot.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "xmalloc.h"		/* strlcopy */
#include "render.h"

#define X(v) ((unsigned long long)(v))

/* The class of a free chunk's bin, or NULL: none, or not recorded. */
static const struct model_bin_class *
bin_class(const struct snapshot *snap, int cls)
{
	if (snap->model == NULL || cls <= 0 || cls >= snap->model->nclasses)
		return NULL;
	return &snap->model->classes[cls];
}

/* "small and tree": the model's LIST classes, by key. */
static const char *
list_classes(const struct snapshot *snap, char *buf, size_t len)
{
	size_t	n = 0, k = 0, at = 0;
	int	cls;

	buf[0] = '\0';
	for (cls = 1; snap->model != NULL && cls < snap->model->nclasses; cls++)
		n += snap->model->classes[cls].shape == MODEL_BINS_LIST;
	for (cls = 1; snap->model != NULL && cls < snap->model->nclasses; cls++) {
		const struct model_bin_class	*c = &snap->model->classes[cls];

		if (c->shape != MODEL_BINS_LIST)
			continue;
		k++;
		at += (size_t)snprintf(buf + at, at < len ? len - at : 0,
		    "%s%s", k == 1 ? "" : k == n ? " and " : ", ", c->key);
		if (at >= len)
			break;
	}
	return buf;
}

const char *
render_mapping_name(enum mapping_kind k)
{
	switch (k) {
	case MAPPING_CODE:
		return "code";
	case MAPPING_DATA:
		return "data";
	case MAPPING_HEAP:
		return "heap";
	case MAPPING_MMAP:
		return "mmap";
	case MAPPING_STACK:
		return "stack";
	}
	return "?";
}

/* The allocator's own structure addr lies in (main_arena), or NULL. */
static const char *
in_object(const struct snapshot *snap, uint64_t addr)
{
	size_t	k;

	for (k = 0; k < snap->nobjects; k++)
		if (addr >= snap->objects[k].start &&
		    addr < snap->objects[k].end)
			return snap->objects[k].name;
	return NULL;
}

/*
 * A free chunk's link: a chunk in the heap, or the head of its bin, which
 * lives in the allocator's state in the data segment below the heap.
 */
static const char *
link(char *buf, size_t len, const struct snapshot *snap, uint64_t addr)
{
	if (addr == 0)
		snprintf(buf, len, "?");
	else if (addr < snap->heap_start && addr >= SIM_DATA_START)
		snprintf(buf, len, "0x%llx (bin head%s%s)", X(addr),
		    in_object(snap, addr) ? " in " : "",
		    in_object(snap, addr) ? in_object(snap, addr) : "");
	else
		snprintf(buf, len, "0x%llx", X(addr));
	return buf;
}

/* What a safe-linked word decodes to: a pointer, or NULL (the end). */
static const char *
decoded(char *buf, size_t len, const struct snap_chunk *c)
{
	if (c->fd_decoded == 0)
		snprintf(buf, len, "NULL");
	else
		snprintf(buf, len, "0x%llx", X(c->fd_decoded));
	return buf;
}

static void
heap_line(struct out *out, const struct snapshot *snap,
    const struct snap_chunk *c)
{
	char	info[160] = "", bin[40], fd[40], bk[40], fl[8] = "";
	const struct model_bin_class *bc = bin_class(snap, c->bin_class);

	switch (c->state) {
	case MODEL_CHUNK_FREE:
		if (bc == NULL)		/* a trace's */
			snprintf(info, sizeof info, "freed (its bin is not "
			    "recorded)");
		else if (bc->shape == MODEL_BINS_LIST && c->fd_mangled)
			/* A safe-linked list: where the word leads, and the
			 * word itself. */
			snprintf(info, sizeof info, "%s  next %s, stored "
			    "0x%llx", model_bin_label(snap->model,
			    c->bin_class, c->bin, MODEL_LABEL_WORDS, "", bin,
			    sizeof bin), decoded(fd, sizeof fd, c),
			    X(c->fd_stored));
		else if (bc->shape == MODEL_BINS_LIST)
			snprintf(info, sizeof info, "%s  fd %s bk %s",
			    model_bin_label(snap->model, c->bin_class, c->bin,
			    MODEL_LABEL_WORDS, "", bin, sizeof bin),
			    link(fd, sizeof fd, snap, c->fd),
			    link(bk, sizeof bk, snap, c->bk));
		else			/* "dv (designated victim)" */
			snprintf(info, sizeof info, "%s (%s)", bc->key,
			    bc->name);
		break;
	case MODEL_CHUNK_TOP:
		snprintf(info, sizeof info, "break at 0x%llx", X(snap->brk));
		break;
	case MODEL_CHUNK_FENCE:
		snprintf(info, sizeof info, "segment record and fenceposts");
		break;
	case MODEL_CHUNK_DAMAGED:
		snprintf(info, sizeof info, "header damaged: head 0x%llx",
		    X(c->head));
		break;
	case MODEL_CHUNK_INUSE:
		/* An in-use chunk the model names (glibc's tcache struct). */
		if ((bc = snapshot_special_at(snap, c->addr)) != NULL)
			snprintf(info, sizeof info, "%s", bc->words);
		break;
	default:
		break;
	}
	if (snap->model != NULL) {
		size_t	n = strlen(snap->model->flag_heading);

		if (n < sizeof fl) {
			snap->model->flag_letters(c->head, c->state, fl);
			fl[n] = '\0';
		}
	}
	if (c->thread != 0) {
		/* Another thread's arena: a trace shows it as recorded. */
		char	t[48];

		snprintf(t, sizeof t, "[thread %ld's arena] ", (long)c->thread);
		if (strlen(t) + strlen(info) < sizeof info) {
			memmove(info + strlen(t), info, strlen(info) + 1);
			memcpy(info, t, strlen(t));
		}
	}
	out_printf(out, " 0x%llx %9llu  %-3s  %-7s  %-8s%s %s\n", X(c->addr),
	    X(c->size), fl, model_state_name(c->state), c->name ? c->name : "",
	    c->name && c->dangling ? "~" : (c->changed ? " " : " "),
	    info);
}

void
render_heap(const struct snapshot *snap, struct out *out)
{
	size_t	i, f = 0, ninuse = 0, nfree = 0;
	bool	mapped = false;

	out_printf(out, "heap 0x%llx, break 0x%llx (+0x%llx since the start)\n",
	    X(snap->heap_start), X(snap->brk),
	    X(snap->brk - snap->initial_brk));
	if (snap->nchunks == 0 && snap->nforeign == 0) {
		out_printf(out, " (empty: nothing allocated yet)\n");
		return;
	}
	out_printf(out, " %-14s %9s  %-3s  %-7s  %s\n", "chunk", "size",
	    snap->model != NULL ? snap->model->flag_heading : "",
	    "state", "name");
	for (i = 0; i <= snap->nchunks; i++) {
		const struct snap_chunk	*c = i < snap->nchunks ?
					    &snap->chunks[i] : NULL;

		/* Memory the break covers that another allocator owns. */
		while (f < snap->nforeign && (c == NULL ||
		    snap->foreign[f].start <= c->addr)) {
			out_printf(out, " 0x%llx %9llu  ---  %-7s  %-8s  %s\n",
			    X(snap->foreign[f].start),
			    X(snap->foreign[f].end - snap->foreign[f].start),
			    "foreign", "", snap->foreign[f].who);
			f++;
		}
		if (c == NULL)
			break;
		if (c->state == MODEL_CHUNK_MMAPPED && !mapped) {
			out_printf(out, " mmapped chunks:\n");
			mapped = true;
		}
		if (c->state == MODEL_CHUNK_INUSE ||
		    c->state == MODEL_CHUNK_MMAPPED)
			ninuse++;
		else if (c->state == MODEL_CHUNK_FREE)
			nfree++;
		heap_line(out, snap, c);
	}
	out_printf(out, " %zu in use (%llu bytes), %zu free (%llu bytes incl. "
	    "top), footprint %llu\n", ninuse, X(snap->stats.inuse), nfree,
	    X(snap->stats.free), X(snap->stats.footprint));
	if (snap->nviolations > 0)
		out_printf(out, " the heap is damaged: %zu problem%s (`check` "
		    "lists them)\n", snap->nviolations,
		    snap->nviolations == 1 ? "" : "s");
}

static const char *
chunk_label(const struct snapshot *snap, uint64_t addr, char *buf,
    size_t len)
{
	const struct snap_chunk	*c = snapshot_find(snap, addr);

	if (c != NULL && c->addr == addr && c->name != NULL)
		snprintf(buf, len, "0x%llx (%s%s, %llu)", X(addr), c->name,
		    c->dangling ? "~" : "", X(c->size));
	else if (c != NULL && c->addr == addr)
		snprintf(buf, len, "0x%llx (%llu)", X(addr), X(c->size));
	else
		snprintf(buf, len, "0x%llx", X(addr));
	return buf;
}

/*
 * A safe-linked bin's words, entry by entry: the pointer each one's fd
 * word decodes to, and the word as memory holds it.
 */
static void
bin_links(const struct snapshot *snap, const struct snap_bin *b,
    struct out *out)
{
	char	dec[40];
	size_t	j;

	for (j = 0; j < b->n; j++) {
		const struct snap_chunk	*c;

		c = snapshot_find(snap, b->chunks[j]);
		if (c == NULL || c->addr != b->chunks[j] || !c->fd_mangled)
			return;
		out_printf(out, "   0x%llx next %s, stored 0x%llx\n",
		    X(c->addr), decoded(dec, sizeof dec, c), X(c->fd_stored));
	}
}

void
render_bins(const struct snapshot *snap, struct out *out)
{
	char	label[96];
	size_t	i, j;

	/* "smallmap 0x00000010  treemap 0x00000000" */
	for (i = 0; i < snap->nbitmaps; i++)
		out_printf(out, "%s%s 0x%08x", i ? "  " : "",
		    snap->bitmaps[i].name, snap->bitmaps[i].bits);
	out_printf(out, "\n");
	if (snap->nbins == 0)
		out_printf(out, " all %s bins are empty\n",
		    list_classes(snap, label, sizeof label));
	for (i = 0; i < snap->nbins; i++) {
		const struct snap_bin	*b = &snap->bins[i];
		const struct model_bin_class *bc = &snap->model->classes[b->cls];
		const char		*name = bc->name;
		char			 ix[16] = "", cap[32] = "";

		/* A class of one bin needs no index; a bin with a limit says
		 * how full it is ("2/7"). */
		if (bc->nbins > 1)
			snprintf(ix, sizeof ix, " %2d", b->index);
		if (bc->cap > 0)
			snprintf(cap, sizeof cap, ", %zu/%d", b->n, bc->cap);
		if (b->lo == b->hi)
			out_printf(out, " %s%s (%zu bytes%s):", name, ix, b->lo,
			    cap);
		else if (b->hi == SIZE_MAX)
			out_printf(out, " %s%s (%zu bytes and up%s):", name,
			    ix, b->lo, cap);
		else
			out_printf(out, " %s%s (%zu..%zu bytes%s):", name, ix,
			    b->lo, b->hi, cap);
		for (j = 0; j < b->n; j++) {
			out_printf(out, "%s%s", j ? " -> " : " ",
			    chunk_label(snap, b->chunks[j], label,
			    sizeof label));
			if (j == 0 && bc->first != NULL)
				out_printf(out, " [%s]", bc->first);
		}
		out_printf(out, "\n");
		bin_links(snap, b, out);
	}
	for (i = 0; i < snap->nspecials; i++) {
		const struct snap_special	*sp = &snap->specials[i];

		out_printf(out, " %s: %s\n", snap->model->classes[sp->cls].key,
		    sp->has ? chunk_label(snap, sp->addr, label,
		    sizeof label) : "none");
	}
	if (snap->has_top)
		out_printf(out, " top: 0x%llx (%llu bytes)\n", X(snap->top),
		    X(snap->topsize));
	else
		out_printf(out, " top: none (nothing allocated yet)\n");
	for (i = 0; i < snap->nfacts; i++)
		out_printf(out, " %s %s: %s\n", snap->facts[i].key,
		    snap->facts[i].value, snap->facts[i].note);
}

void
render_human_size(char *buf, size_t len, uint64_t n)
{
	if (n >= (UINT64_C(1) << 30) && n % (UINT64_C(1) << 30) == 0)
		snprintf(buf, len, "%llu GiB", X(n >> 30));
	else if (n >= (UINT64_C(1) << 20) && n % (UINT64_C(1) << 20) == 0)
		snprintf(buf, len, "%llu MiB", X(n >> 20));
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(buf, len, "%llu KiB", X(n >> 10));
	else
		snprintf(buf, len, "%llu bytes", X(n));
}

/* The allocator's own state inside mapping m, each on a line below it. */
static void
map_objects(const struct snapshot *snap, const struct mapping *m,
    struct out *out)
{
	size_t	k;

	for (k = 0; k < snap->nobjects; k++) {
		const struct snap_object	*o = &snap->objects[k];

		if (o->start < m->start || o->start >= m->end)
			continue;
		out_printf(out, "   0x%012llx-0x%012llx  %s  %llu bytes: %s\n",
		    X(o->start), X(o->end), o->name, X(o->end - o->start),
		    o->words);
	}
}

void
render_map(const struct snapshot *snap, struct out *out)
{
	char	size[32];
	size_t	i;

	out_printf(out, "address space, highest first (%s)\n",
	    snap->map_names ? "the program's real addresses" :
	    "display addresses");
	for (i = snap->nmaps; i > 0; i--) {
		const struct mapping	*m = &snap->maps[i - 1];

		render_human_size(size, sizeof size, m->end - m->start);
		out_printf(out, " 0x%012llx-0x%012llx  %-5s  %s", X(m->start),
		    X(m->end), render_mapping_name(m->kind), size);
		if (snap->map_names && snap->map_names[i - 1] &&
		    m->kind != MAPPING_HEAP)
			out_printf(out, "  %s", snap->map_names[i - 1]);
		if (m->kind == MAPPING_HEAP)
			out_printf(out, "  break 0x%llx (+0x%llx since the "
			    "start)", X(snap->brk),
			    X(snap->brk - snap->initial_brk));
		out_printf(out, "\n");
		map_objects(snap, m, out);
		if (i > 1 && (m->kind == MAPPING_STACK ||
		    (m->kind == MAPPING_MMAP &&
		    snap->maps[i - 2].kind != MAPPING_MMAP)))
			out_printf(out, " %31s  free\n", "...");
	}
	if (snap->brk == snap->initial_brk)
		out_printf(out, " break 0x%llx: not moved since the start\n",
		    X(snap->brk));
}

void
render_log(const struct snapshot *snap, size_t last, struct out *out)
{
	size_t	i = 0;

	if (snap->nlog == 0) {
		out_printf(out, "no system calls yet\n");
		return;
	}
	if (last > 0 && last < snap->nlog)
		i = snap->nlog - last;
	for (; i < snap->nlog; i++) {
		const struct sysevent	*e = &snap->log[i];
		struct buf		 b;

		buf_init(&b);
		sysevent_text(&b, e);
		out_printf(out, "%4zu  %-52s  step %u: %s%s\n", i + 1, b.s,
		    e->step, e->cause, i >= snap->log_new ? "  *" : "");
		buf_free(&b);
	}
}

void
render_chunk(const struct snapshot *snap, const struct snap_chunk *c,
    struct out *out)
{
	char	fl[64], bin[40], fd[40], bk[40];

	fl[0] = '\0';
	if (snap->model != NULL)
		snap->model->flag_names(c->head, " | ", true, fl, sizeof fl);
	out_printf(out, "chunk 0x%llx: %llu bytes, %s%s%s\n", X(c->addr),
	    X(c->size), model_state_name(c->state),
	    c->name ? ", named " : "", c->name ? c->name : "");
	if (c->state == MODEL_CHUNK_MMAPPED)
		out_printf(out, "  prev_foot 0x%016llx  (offset of the chunk "
		    "in its mapping)\n", X(c->prev_foot));
	else if (c->head & 1)
		out_printf(out, "  prev_foot 0x%016llx  (unused: the chunk "
		    "before is in use, so this belongs to its payload)\n",
		    X(c->prev_foot));
	else
		out_printf(out, "  prev_foot 0x%016llx  (the size of the free "
		    "chunk before)\n", X(c->prev_foot));
	out_printf(out, "  head      0x%016llx  = size %llu%s\n", X(c->head),
	    X(c->head & ~(uint64_t)7), fl);
	if (c->state == MODEL_CHUNK_FREE && c->fd_mangled &&
	    bin_class(snap, c->bin_class))
		/* A safe-linked list: the word, its arithmetic, where it
		 * leads; the word after it is no link. */
		out_printf(out, "  in %s\n  fd word   0x%016llx  = (0x%llx >> "
		    "12) ^ %s: %s%s\n", model_bin_label(snap->model,
		    c->bin_class, c->bin, MODEL_LABEL_WORDS, "", bin,
		    sizeof bin), X(c->fd_stored), X(c->mem),
		    c->fd_decoded ? decoded(bk, sizeof bk, c) : "0", c->fd ?
		    "the next is chunk " : "NULL, the end of the bin", c->fd ?
		    link(fd, sizeof fd, snap, c->fd) : "");
	else if (c->state == MODEL_CHUNK_FREE && bin_class(snap, c->bin_class))
		out_printf(out, "  fd %s  bk %s  in %s\n", link(fd, sizeof fd,
		    snap, c->fd), link(bk, sizeof bk, snap, c->bk),
		    model_bin_label(snap->model, c->bin_class, c->bin,
		    MODEL_LABEL_WORDS, "", bin, sizeof bin));
}

void
render_check(const struct snapshot *snap, struct out *out)
{
	size_t	i;

	if (snap->nviolations == 0) {
		out_printf(out, "heap is consistent: %zu chunks checked, no "
		    "problems\n", snap->nchunks);
		/* What held, in the model's words. */
		for (i = 0; snap->model != NULL &&
		    snap->model->invariants != NULL &&
		    snap->model->invariants[i] != NULL; i++)
			out_printf(out, " - %s\n", snap->model->invariants[i]);
		return;
	}
	out_printf(out, "%zu problem%s found:\n", snap->nviolations,
	    snap->nviolations == 1 ? "" : "s");
	for (i = 0; i < snap->nviolations; i++)
		out_printf(out, " %s\n", snap->violations[i]);
}
