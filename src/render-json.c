/*
 * render-json.c -- the whole state as one JSON object on one line, for
 * scripts, autograders and tests.  Addresses and sizes are numbers
 * (display addresses).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "render.h"

#define U(v) ((unsigned long long)(v))

static void
json_str(struct buf *b, const char *s)
{
	buf_json_string(b, s, strlen(s));
}

static void
bin_label(struct buf *b, const struct snapshot *snap, int cls, int bin)
{
	char	tmp[32];

	if (snap->model == NULL)
		json_str(b, "none");
	else
		json_str(b, model_bin_label(snap->model, cls, bin,
		    MODEL_LABEL_SHORT, "none", tmp, sizeof tmp));
}

static void
json_chunks(const struct snapshot *snap, struct buf *b)
{
	size_t	i;

	buf_printf(b, "\"chunks\":[");
	for (i = 0; i < snap->nchunks; i++) {
		const struct snap_chunk	*c = &snap->chunks[i];

		buf_printf(b, "%s{\"addr\":%llu,\"mem\":%llu,\"size\":%llu,"
		    "\"state\":", i ? "," : "", U(c->addr), U(c->mem),
		    U(c->size));
		json_str(b, model_state_name(c->state));
		if (c->name != NULL) {
			buf_printf(b, ",\"name\":");
			json_str(b, c->name);
			if (c->dangling)
				buf_printf(b, ",\"dangling\":true");
		}
		if (c->state == MODEL_CHUNK_FREE) {
			buf_printf(b, ",\"bin\":");
			bin_label(b, snap, c->bin_class, c->bin);
			/* null: the link points outside our memory (or,
			 * safe-linked, ends the list); once either way. */
			if (c->fd != 0)
				buf_printf(b, ",\"fd\":%llu", U(c->fd));
			else
				buf_printf(b, ",\"fd\":null");
			if (c->fd_mangled)
				buf_printf(b, ",\"fd_stored\":%llu",
				    U(c->fd_stored));
			if (c->bk != 0)
				buf_printf(b, ",\"bk\":%llu", U(c->bk));
			else
				buf_printf(b, ",\"bk\":null");
		}
		if (c->changed)
			buf_printf(b, ",\"changed\":true");
		if (c->thread != 0)
			buf_printf(b, ",\"thread\":%ld", (long)c->thread);
		buf_printf(b, "}");
	}
	buf_printf(b, "]");
}

static void
json_bins(const struct snapshot *snap, struct buf *b)
{
	const char	*sep = "";
	size_t		 i, j;
	int		 cls;

	/* "small":{"6":[addr,...]}, "tree":{...}: each LIST class. */
	buf_printf(b, "\"bins\":{");
	for (cls = 1; snap->model != NULL && cls < snap->model->nclasses;
	    cls++) {
		bool	first = true;

		if (snap->model->classes[cls].shape != MODEL_BINS_LIST)
			continue;
		buf_printf(b, "%s\"%s\":{", sep, snap->model->classes[cls].key);
		sep = ",";
		for (i = 0; i < snap->nbins; i++) {
			const struct snap_bin	*sb = &snap->bins[i];

			if (sb->cls != cls)
				continue;
			buf_printf(b, "%s\"%d\":[", first ? "" : ",",
			    sb->index);
			for (j = 0; j < sb->n; j++)
				buf_printf(b, "%s%llu", j ? "," : "",
				    U(sb->chunks[j]));
			buf_printf(b, "]");
			first = false;
		}
		buf_printf(b, "}");
	}
	for (i = 0; i < snap->nspecials; i++) {
		const struct snap_special	*sp = &snap->specials[i];

		buf_printf(b, "%s\"%s\":", sep,
		    snap->model->classes[sp->cls].key);
		sep = ",";
		if (sp->has)
			buf_printf(b, "{\"addr\":%llu,\"size\":%llu}",
			    U(sp->addr), U(sp->size));
		else
			buf_printf(b, "null");
	}
	if (snap->has_top)
		buf_printf(b, "%s\"top\":{\"addr\":%llu,\"size\":%llu}", sep,
		    U(snap->top), U(snap->topsize));
	else
		buf_printf(b, "%s\"top\":null", sep);
	for (i = 0; i < snap->nbitmaps; i++)
		buf_printf(b, ",\"%s\":%u", snap->bitmaps[i].name,
		    snap->bitmaps[i].bits);
	buf_printf(b, "}");
}

static void
json_sysevent(const struct sysevent *e, size_t seq, struct buf *b)
{
	int	j;

	buf_printf(b, "{\"seq\":%zu,\"call\":", seq);
	json_str(b, evlog_call_name(e->call));
	buf_printf(b, ",\"args\":[");
	for (j = 0; j < e->nargs; j++)
		buf_printf(b, "%s%lld", j ? "," : "",
		    (long long)e->args[j]);
	buf_printf(b, "],\"result\":%lld,\"errno\":%d,\"step\":%u,"
	    "\"cause\":", (long long)e->result, e->err, e->step);
	json_str(b, e->cause);
	if (e->foreign)
		buf_printf(b, ",\"foreign\":true");
	if (e->kernel)
		buf_printf(b, ",\"kernel\":true");
	if (e->inferred)
		buf_printf(b, ",\"inferred\":true");
	buf_printf(b, "}");
}

static void
json_log(const struct snapshot *snap, struct buf *b)
{
	size_t	i;

	buf_printf(b, "\"log\":[");
	for (i = 0; i < snap->nlog; i++) {
		if (i > 0)
			buf_addc(b, ',');
		json_sysevent(&snap->log[i], i + 1, b);
	}
	buf_printf(b, "]");
}

void
render_json_syscalls(const struct snapshot *snap, uint32_t after,
    struct buf *b)
{
	size_t	i;
	bool	first = true;

	buf_addc(b, '[');
	for (i = 0; i < snap->nlog; i++) {
		const struct sysevent	*e = &snap->log[i];

		if (e->step <= after || e->step > snap->step)
			continue;
		if (!first)
			buf_addc(b, ',');
		json_sysevent(e, i + 1, b);
		first = false;
	}
	buf_addc(b, ']');
}

/* The model against the real allocator: "model": {...}, */
static void
json_verify(const struct engine_verify *v, struct buf *b)
{
	const struct engine_divergence	*d = &v->first;

	buf_printf(b, "\"model\":{\"allocator\":");
	json_str(b, v->allocator);
	buf_printf(b, ",\"calls\":%lu,\"agree\":%lu,\"first_divergence\":",
	    v->calls, v->agree);
	if (!v->diverged)
		buf_printf(b, "null");
	else {
		char	why[200];

		/* The trace's object's members first (step, call, real,
		 * model, why), then the word's address and field. */
		buf_printf(b, "{\"step\":%u,\"call\":", d->step);
		json_str(b, d->line);
		buf_printf(b, ",\"real\":");
		if (d->unreadable)
			buf_printf(b, "null");
		else
			buf_printf(b, "%llu", U(d->real));
		buf_printf(b, ",\"model\":%llu,\"why\":", U(d->model));
		snprintf(why, sizeof why, "%s differs from the real glibc's",
		    d->field);
		json_str(b, why);
		buf_printf(b, ",\"addr\":%llu,\"field\":", U(d->addr));
		json_str(b, d->field);
		buf_printf(b, "}");
	}
	buf_printf(b, "},");
}

void
render_json_state(const struct snapshot *snap, struct buf *b)
{
	size_t	i;

	buf_printf(b, "{\"mode\":");
	json_str(b, snap->mode);
	buf_printf(b, ",\"step\":%u,\"heap_start\":%llu,\"break\":%llu,"
	    "\"initial_break\":%llu,", snap->step, U(snap->heap_start),
	    U(snap->brk), U(snap->initial_brk));
	if (snap->model != NULL) {
		buf_printf(b, "\"allocator\":");
		json_str(b, snap->model->name);
		buf_printf(b, ",");
	}
	if (snap->verify != NULL)
		json_verify(snap->verify, b);
	else if (snap->has_tverify) {
		/* a trace's: its calls' addresses */
		const struct snap_verify	*v = &snap->tverify;

		buf_printf(b, "\"model\":{\"allocator\":");
		json_str(b, v->allocator);
		buf_printf(b, ",\"calls\":%zu,\"agree\":%zu,"
		    "\"first_divergence\":", v->calls, v->agree);
		if (v->diverged) {
			buf_printf(b, "{\"step\":%zu,\"call\":", v->step);
			json_str(b, v->call);
			buf_printf(b, ",\"real\":%llu,\"model\":", U(v->real));
			if (v->model_null)
				buf_printf(b, "null");
			else
				buf_printf(b, "%llu", U(v->model));
			buf_printf(b, ",\"why\":");
			json_str(b, v->why);
			buf_printf(b, "}");
		} else
			buf_printf(b, "null");
		buf_printf(b, "},");
	}
	json_chunks(snap, b);
	buf_printf(b, ",");
	json_bins(snap, b);
	buf_printf(b, ",\"names\":{");
	for (i = 0; i < snap->nnames; i++) {
		const struct snap_name	*n = &snap->names[i];

		buf_printf(b, "%s", i ? "," : "");
		json_str(b, n->name);
		buf_printf(b, ":{\"mem\":%llu,\"request\":%llu,\"live\":%s}",
		    U(n->mem), U(n->request), n->live ? "true" : "false");
	}
	buf_printf(b, "},\"mappings\":[");
	for (i = 0; i < snap->nmaps; i++) {
		buf_printf(b, "%s{\"start\":%llu,\"end\":%llu,\"kind\":",
		    i ? "," : "", U(snap->maps[i].start), U(snap->maps[i].end));
		json_str(b, render_mapping_name(snap->maps[i].kind));
		if (snap->map_names != NULL && snap->map_names[i] != NULL) {
			/* the file a real process or a trace maps */
			buf_printf(b, ",\"name\":");
			json_str(b, snap->map_names[i]);
		}
		buf_printf(b, "}");
	}
	buf_printf(b, "],\"foreign\":[");
	for (i = 0; i < snap->nforeign; i++) {
		buf_printf(b, "%s{\"start\":%llu,\"end\":%llu,\"who\":",
		    i ? "," : "", U(snap->foreign[i].start),
		    U(snap->foreign[i].end));
		json_str(b, snap->foreign[i].who);
		buf_printf(b, "}");
	}
	buf_printf(b, "],");
	json_log(snap, b);
	buf_printf(b, ",\"stats\":{\"footprint\":%llu,\"max_footprint\":%llu,"
	    "\"inuse\":%llu,\"free\":%llu},", U(snap->stats.footprint),
	    U(snap->stats.max_footprint), U(snap->stats.inuse),
	    U(snap->stats.free));
	buf_printf(b, "\"settings\":{\"mmap_threshold\":%llu,"
	    "\"trim_threshold\":%llu,\"checks\":\"%s\"},",
	    U(snap->mmap_threshold), U(snap->trim_threshold),
	    snap->checks == MODEL_CHECKS_STRICT ? "strict" :
	    snap->checks_own != NULL ? snap->checks_own : "off");
	buf_printf(b, "\"violations\":[");
	for (i = 0; i < snap->nviolations; i++) {
		buf_printf(b, "%s", i ? "," : "");
		json_str(b, snap->violations[i]);
	}
	buf_printf(b, "]}");
}
