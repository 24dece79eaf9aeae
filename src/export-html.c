/*
 * export-html.c -- every step of a session as one self-contained web page.
 *
 * The page is a skeleton of panes, the steps as data, and a small viewer
 * (export-viewer.js and .css, compiled in) that draws a step from the data.
 * Nothing is fetched: a Content-Security-Policy allows only this page's own
 * script and style, by their SHA-256 hashes, and no network at all.
 *
 * The data is JSON inside <script type="application/json">, which a
 * browser never runs; every string in it goes through export_json_string,
 * so no "<" can end the element early.  The viewer puts text into the page
 * only as text nodes.
 *
 * The data, compactly (a 1,000-step session is a few hundred kilobytes):
 *
 *	{"v":1, "title":S, "mode":S, "theme":S, "lesson":S|null,
 *	 "script":[S,...]|null, "at":N,	the lesson's lines, the step now
 *	 "strs":[S,...],		every string once; others are indexes
 *	 "log":[[text,cause,step,flags,errno],...],	the system calls
 *	 "steps":[{...},...]}		step 0, 1, ...
 *
 * A step: "l" its command line (-1: step 0), "b" the break, "hs" the
 * heap's start, "ib" the first break; "c" its chunks as [keep-first,
 * keep-last, then gap, size, code, name, bin for each new one], where the
 * first keep-first and last keep-last chunks are the previous step's,
 * gap is the distance from the end of the chunk before (the address
 * itself for the first), code is twice the state's name (a string:
 * "inuse", "free", ... as state --json says) plus 1 when its name is
 * dangling, and
 * name and bin (a free chunk's, or the model's name for an in-use chunk
 * it names: "tcache_struct") are strings or -1; "ch" the indexes of
 * the chunks the step changed; "bn" the bins that changed, [label,lo,hi,
 * addr...] each in link order, or [label] for one that emptied; "mp" the
 * mappings [[start,end,kind,name],...], "fo" the foreign memory [[start,
 * end,who],...], "dv" and "tp" [addr,size] or 0, "st" [in use, free,
 * footprint], and "b", "hs", "ib", each left out when the same as the step
 * before; "lg" [first, count, new]: the log is log[first..first+count)
 * and the step made the entries from first+new; "x" the explanation, "r"
 * the narration (-1: none), "ln" the lesson line that made the step (in
 * "script", the lesson's lines), "vi" the checker's complaints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "export-html.h"
#include "history.h"
#include "lesson.h"
#include "render.h"
#include "session.h"
#include "xmalloc.h"

#define U(v)	((unsigned long long)(v))

/* ---- SHA-256 (FIPS 180-4), for the page's Content-Security-Policy. */

static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
	0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
	0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
	0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152,
	0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
	0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
	0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
	0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n)	((x) >> (n) | (x) << (32 - (n)))

static void
sha_block(uint32_t h[8], const unsigned char *p)
{
	uint32_t	w[64], a, b, c, d, e, f, g, hh, t1, t2;
	int		i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^
			    w[i - 15] >> 3;
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^
			    w[i - 2] >> 10;

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; hh = h[7];
	for (i = 0; i < 64; i++) {
		t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
		    ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
		    ((a & b) ^ (a & c) ^ (b & c));
		hh = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

/* The digest of s as the base64 CSP wants ("sha256-" not included). */
static void
sha256_base64(const char *s, size_t n, char out[45])
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789+/";
	uint32_t	h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	unsigned char	tail[128], d[33];
	size_t		i, rest = n % 64, tl;
	uint64_t	bits = (uint64_t)n * 8;

	for (i = 0; i + 64 <= n; i += 64)
		sha_block(h, (const unsigned char *)s + i);
	memset(tail, 0, sizeof tail);
	memcpy(tail, s + i, rest);
	tail[rest] = 0x80;
	tl = rest + 1 + 8 <= 64 ? 64 : 128;
	for (i = 0; i < 8; i++)
		tail[tl - 1 - i] = (unsigned char)(bits >> (8 * i));
	sha_block(h, tail);
	if (tl == 128)
		sha_block(h, tail + 64);
	for (i = 0; i < 32; i++)
		d[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
	d[32] = 0;
	for (i = 0; i < 11; i++) {		/* 33 bytes: 44 characters */
		uint32_t v = (uint32_t)d[3 * i] << 16 |
			    (uint32_t)(3 * i + 1 < 32 ? d[3 * i + 1] : 0) << 8 |
			    (3 * i + 2 < 32 ? d[3 * i + 2] : 0);

		out[4 * i] = b64[v >> 18 & 63];
		out[4 * i + 1] = b64[v >> 12 & 63];
		out[4 * i + 2] = b64[v >> 6 & 63];
		out[4 * i + 3] = b64[v & 63];
	}
	out[43] = '=';		/* 32 bytes: the last group has two */
	out[44] = '\0';
}

static void
add_buf(struct buf *b, const struct buf *from)
{
	if (from->len > 0)
		buf_add(b, from->s, from->len);
}

/* ---- Strings, each once. */

struct strtab {
	struct buf	 json;		/* "a","b",... */
	size_t		 n;
	char		**keys;		/* open addressing on the text */
	size_t		*idx;
	size_t		 cap;
};

static uint64_t
hash(const char *s, size_t n)
{
	uint64_t	h = 1469598103934665603ULL;
	size_t		i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static void
strtab_grow(struct strtab *t)
{
	size_t	 ncap = t->cap ? t->cap * 2 : 256, i, j;
	char	**keys = xcalloc(ncap, sizeof *keys);
	size_t	*idx = xcalloc(ncap, sizeof *idx);

	for (i = 0; i < t->cap; i++) {
		if (t->keys[i] == NULL)
			continue;
		j = hash(t->keys[i], strlen(t->keys[i])) & (ncap - 1);
		while (keys[j] != NULL)
			j = (j + 1) & (ncap - 1);
		keys[j] = t->keys[i];
		idx[j] = t->idx[i];
	}
	free(t->keys);
	free(t->idx);
	t->keys = keys;
	t->idx = idx;
	t->cap = ncap;
}

static long
strtab_add(struct strtab *t, const char *s)
{
	size_t	j, n;

	if (s == NULL)
		return -1;
	if (2 * (t->n + 1) > t->cap)
		strtab_grow(t);
	n = strlen(s);
	j = hash(s, n) & (t->cap - 1);
	while (t->keys[j] != NULL) {
		if (strcmp(t->keys[j], s) == 0)
			return (long)t->idx[j];
		j = (j + 1) & (t->cap - 1);
	}
	t->keys[j] = xstrdup(s);
	t->idx[j] = t->n;
	if (t->n > 0)
		buf_addc(&t->json, ',');
	export_json_string(&t->json, s, n);
	return (long)t->n++;
}

static void
strtab_free(struct strtab *t)
{
	size_t	i;

	for (i = 0; i < t->cap; i++)
		free(t->keys[i]);
	free(t->keys);
	free(t->idx);
	buf_free(&t->json);
}

/* ---- The steps. */

struct ch {
	uint64_t	addr, size;
	int		code;
	long		name, bin;
};

/* The fields left out when they are what the step before had. */
enum field { F_B, F_HS, F_IB, F_MP, F_FO, F_DV, F_TP, F_ST, F_COUNT };

/* A bin as the step before had it: its label and its entry. */
struct pbin {
	long		 label;
	char		*entry;
};

struct html {
	const char	*no_explain;	/* why the session cannot explain */
	struct strtab	 strs;
	struct buf	 steps;		/* the steps' objects, comma-joined */
	struct buf	 log;		/* the log's entries */
	size_t		 nlog;		/* entries in log */
	uint64_t	 last_seq;	/* the last entry's seq, result */
	int64_t		 last_result;
	size_t		 log_first;	/* where this run of the log starts */
	struct ch	*prev;		/* the step before's chunks */
	size_t		 nprev;
	struct buf	 was[F_COUNT];	/* each field at the step before */
	struct pbin	*bins;		/* the bins at the step before */
	size_t		 nbins;
	struct buf	 part, tmp;
	size_t		 nsteps;
};

static bool
same_ch(const struct ch *a, const struct ch *b)
{
	return a->addr == b->addr && a->size == b->size &&
	    a->code == b->code && a->name == b->name && a->bin == b->bin;
}

static void
step_chunks(struct html *h, const struct snapshot *snap, struct buf *o)
{
	struct ch	*cur = xcalloc(snap->nchunks + 1, sizeof *cur);
	size_t		 n = snap->nchunks, p = 0, q = 0, i, min;
	uint64_t	 end = 0;
	bool		 first = true;

	for (i = 0; i < n; i++) {
		const struct snap_chunk	*c = &snap->chunks[i];

		cur[i].addr = c->addr;
		cur[i].size = c->size;
		/* The state by the name the model gives it. */
		cur[i].code = (int)strtab_add(&h->strs,
		    model_state_name(c->state)) * 2 +
		    (c->name != NULL && c->dangling ? 1 : 0);
		cur[i].name = strtab_add(&h->strs, c->name);
		cur[i].bin = -1;
		if (c->state == MODEL_CHUNK_INUSE &&
		    snapshot_special_at(snap, c->addr) != NULL)
			/* In use, and named by the model (the tcache
			 * struct): the name in the bin column. */
			cur[i].bin = strtab_add(&h->strs,
			    snapshot_special_at(snap, c->addr)->key);
		else if (c->state == MODEL_CHUNK_FREE) {
			char	lab[40];

			cur[i].bin = strtab_add(&h->strs, snap->model == NULL ?
			    "none" : model_bin_label(snap->model, c->bin_class,
			    c->bin, MODEL_LABEL_SHORT, "none", lab,
			    sizeof lab));
		}
	}
	min = n < h->nprev ? n : h->nprev;
	while (p < min && same_ch(&cur[p], &h->prev[p]))
		p++;
	while (q < min - p && same_ch(&cur[n - 1 - q],
	    &h->prev[h->nprev - 1 - q]))
		q++;
	buf_printf(o, ",\"c\":[%zu,%zu", p, q);
	if (p > 0)
		end = cur[p - 1].addr + cur[p - 1].size;
	else
		first = true;
	for (i = p; i < n - q; i++) {
		uint64_t gap = (i == 0) ? cur[i].addr : cur[i].addr - end;

		(void)first;
		/* Chunks are in address order: gaps are not negative. */
		buf_printf(o, ",%llu,%llu,%d,%ld,%ld", U(gap),
		    U(cur[i].size), cur[i].code, cur[i].name, cur[i].bin);
		end = cur[i].addr + cur[i].size;
	}
	buf_printf(o, "],\"ch\":[");
	first = true;
	for (i = 0; i < n; i++) {
		if (!snap->chunks[i].changed)
			continue;
		buf_printf(o, "%s%zu", first ? "" : ",", i);
		first = false;
	}
	buf_addc(o, ']');
	free(h->prev);
	h->prev = cur;
	h->nprev = n;
}

/* Add part to o as "key":part unless it is what the step before had. */
static void
unless_same(struct html *h, const char *key, enum field f)
{
	struct buf	*o = &h->steps, *part = &h->part, *prev = &h->was[f];

	if (h->nsteps > 0 && part->len == prev->len &&
	    (part->len == 0 || memcmp(part->s, prev->s, part->len) == 0))
		return;
	buf_printf(o, ",\"%s\":", key);
	add_buf(o, part);
	buf_reset(prev);
	add_buf(prev, part);
}

static void
step_log(struct html *h, const struct snapshot *snap, struct buf *o)
{
	size_t	i, have = h->nlog - h->log_first;
	bool	prefix = snap->nlog >= have;

	/* The log at this step goes on from the one before, normally. */
	if (prefix && have > 0) {
		const struct sysevent *e = &snap->log[have - 1];

		prefix = e->seq == h->last_seq && e->result == h->last_result;
	}
	if (!prefix) {
		h->log_first = h->nlog;
		have = 0;
	}
	for (i = have; i < snap->nlog; i++) {
		const struct sysevent	*e = &snap->log[i];
		int			 flags = (e->foreign ? 1 : 0) |
					    (e->kernel ? 2 : 0) |
					    (e->inferred ? 4 : 0);

		buf_reset(&h->tmp);
		sysevent_text(&h->tmp, e);
		buf_printf(&h->log, "%s[%ld,%ld,%u,%d,%d]", h->nlog ? "," : "",
		    strtab_add(&h->strs, h->tmp.s), strtab_add(&h->strs,
		    e->cause), e->step, flags, e->err);
		h->nlog++;
		h->last_seq = e->seq;
		h->last_result = e->result;
	}
	buf_printf(o, ",\"lg\":[%zu,%zu,%zu]", h->log_first, snap->nlog,
	    snap->log_new <= snap->nlog ? snap->log_new : snap->nlog);
}

/* The bins that changed since the step before: [label,lo,hi,addr...]
 * each, and [label] for one that emptied. */
static void
step_bins(struct html *h, const struct snapshot *snap, struct buf *o)
{
	struct pbin	*cur = xcalloc(snap->nbins + 1, sizeof *cur);
	struct buf	*e = &h->tmp;
	size_t		 i, j;
	bool		 first = true;
	char		 lab[40];

	buf_printf(o, ",\"bn\":[");
	for (i = 0; i < snap->nbins; i++) {
		const struct snap_bin	*sb = &snap->bins[i];

		model_bin_label(snap->model, sb->cls, sb->index,
		    MODEL_LABEL_SHORT, "bin", lab, sizeof lab);
		cur[i].label = strtab_add(&h->strs, lab);
		buf_reset(e);
		buf_printf(e, "[%ld,%zu,%zu", cur[i].label, sb->lo, sb->hi);
		for (j = 0; j < sb->n; j++)
			buf_printf(e, ",%llu", U(sb->chunks[j]));
		buf_addc(e, ']');
		cur[i].entry = xstrdup(e->s);
		for (j = 0; j < h->nbins; j++)
			if (h->bins[j].label == cur[i].label)
				break;
		if (j < h->nbins && strcmp(h->bins[j].entry, cur[i].entry) == 0)
			continue;
		buf_printf(o, "%s%s", first ? "" : ",", cur[i].entry);
		first = false;
	}
	for (j = 0; j < h->nbins; j++) {
		for (i = 0; i < snap->nbins; i++)
			if (cur[i].label == h->bins[j].label)
				break;
		if (i == snap->nbins) {
			buf_printf(o, "%s[%ld]", first ? "" : ",",
			    h->bins[j].label);
			first = false;
		}
		free(h->bins[j].entry);
	}
	buf_addc(o, ']');
	free(h->bins);
	h->bins = cur;
	h->nbins = snap->nbins;
}

static int
html_step(struct session *s, size_t n, void *ctx)
{
	struct html	*h = ctx;
	struct snapshot	*snap = snapshot_take(s);
	struct buf	*o = &h->steps, *part = &h->part;
	size_t		 i;

	if (h->nsteps > 0)
		buf_addc(o, ',');
	buf_printf(o, "{\"l\":%ld", n == 0 ? -1L : strtab_add(&h->strs,
	    history_line(s, n)));
	buf_reset(part);
	buf_printf(part, "%llu", U(snap->brk));
	unless_same(h, "b", F_B);
	buf_reset(part);
	buf_printf(part, "%llu", U(snap->heap_start));
	unless_same(h, "hs", F_HS);
	buf_reset(part);
	buf_printf(part, "%llu", U(snap->initial_brk));
	unless_same(h, "ib", F_IB);
	step_chunks(h, snap, o);
	step_bins(h, snap, o);

	buf_reset(part);
	buf_addc(part, '[');
	for (i = 0; i < snap->nmaps; i++)
		buf_printf(part, "%s[%llu,%llu,%ld,%ld]", i ? "," : "",
		    U(snap->maps[i].start), U(snap->maps[i].end),
		    strtab_add(&h->strs, render_mapping_name(
		    snap->maps[i].kind)), snap->map_names != NULL ?
		    strtab_add(&h->strs, snap->map_names[i]) : -1L);
	buf_addc(part, ']');
	unless_same(h, "mp", F_MP);

	buf_reset(part);
	buf_addc(part, '[');
	for (i = 0; i < snap->nforeign; i++)
		buf_printf(part, "%s[%llu,%llu,%ld]", i ? "," : "",
		    U(snap->foreign[i].start), U(snap->foreign[i].end),
		    strtab_add(&h->strs, snap->foreign[i].who));
	buf_addc(part, ']');
	unless_same(h, "fo", F_FO);

	buf_reset(part);
	/* "dv": the model's one-chunk bin (dlmalloc's dv), if it has one. */
	if (snap->nspecials > 0 && snap->specials[0].has)
		buf_printf(part, "[%llu,%llu]", U(snap->specials[0].addr),
		    U(snap->specials[0].size));
	else
		buf_addc(part, '0');
	unless_same(h, "dv", F_DV);
	buf_reset(part);
	if (snap->has_top)
		buf_printf(part, "[%llu,%llu]", U(snap->top),
		    U(snap->topsize));
	else
		buf_addc(part, '0');
	unless_same(h, "tp", F_TP);
	buf_reset(part);
	buf_printf(part, "[%zu,%zu,%zu]", snap->stats.inuse, snap->stats.free,
	    snap->stats.footprint);
	unless_same(h, "st", F_ST);
	step_log(h, snap, o);

	buf_reset(part);
	if (n > 0 && h->no_explain != NULL)
		buf_add_str(part, h->no_explain);
	else if (n > 0)
		export_explain(snap, part);
	buf_printf(o, ",\"x\":%ld", part->len ? strtab_add(&h->strs,
	    part->s) : -1L);
	buf_reset(part);
	export_narration(s, n, part);
	buf_printf(o, ",\"r\":%ld", part->len ? strtab_add(&h->strs,
	    part->s) : -1L);
	if (session_lesson(s) != NULL && n > 0 &&
	    n < session_lesson(s)->nmade &&
	    session_lesson(s)->made[n] != 0)
		buf_printf(o, ",\"ln\":%zu", session_lesson(s)->made[n] - 1);
	if (snap->nviolations > 0) {
		buf_printf(o, ",\"vi\":[");
		for (i = 0; i < snap->nviolations; i++)
			buf_printf(o, "%s%ld", i ? "," : "",
			    strtab_add(&h->strs, snap->violations[i]));
		buf_addc(o, ']');
	}
	buf_addc(o, '}');
	h->nsteps++;
	snapshot_free(snap);
	return 0;
}

static void
html_free(struct html *h)
{
	size_t	i;

	strtab_free(&h->strs);
	buf_free(&h->steps);
	buf_free(&h->log);
	for (i = 0; i < F_COUNT; i++)
		buf_free(&h->was[i]);
	for (i = 0; i < h->nbins; i++)
		free(h->bins[i].entry);
	free(h->bins);
	buf_free(&h->part);
	buf_free(&h->tmp);
	free(h->prev);
}

/* The panes, filled by the viewer. */
static const char skeleton[] =
"<header>\n"
"<h1 id=\"hv-title\"></h1>\n"
"<div class=\"hv-controls\">\n"
"<button id=\"hv-prev\" type=\"button\" title=\"previous step (left arrow)\">"
"&#9664; back</button>\n"
"<input id=\"hv-slider\" type=\"range\" min=\"0\" max=\"0\" value=\"0\" "
"aria-label=\"step\">\n"
"<button id=\"hv-next\" type=\"button\" title=\"next step (right arrow)\">"
"forward &#9654;</button>\n"
"<span id=\"hv-where\" aria-live=\"polite\"></span>\n"
"</div>\n"
"<p id=\"hv-command\"></p>\n"
"</header>\n"
"<main>\n"
"<section id=\"hv-pane-heap\" class=\"hv-pane hv-wide\"><h2>Heap</h2>\n"
"<div id=\"hv-strip\" aria-hidden=\"true\"></div>\n"
"<p id=\"hv-heap-summary\"></p>\n"
"<table id=\"hv-heap\"><thead><tr><th></th><th>chunk</th><th>size</th>"
"<th>state</th><th>name</th><th>bin</th></tr></thead><tbody></tbody>"
"</table></section>\n"
"<section id=\"hv-pane-lesson\" class=\"hv-pane\"><h2>Lesson</h2>\n"
"<div id=\"hv-narration\"></div>\n<ol id=\"hv-script\"></ol></section>\n"
"<section id=\"hv-pane-explain\" class=\"hv-pane\"><h2>Explain</h2>\n"
"<pre id=\"hv-explain\"></pre></section>\n"
"<section id=\"hv-pane-bins\" class=\"hv-pane\"><h2>Bins</h2>\n"
"<div id=\"hv-bins\"></div></section>\n"
"<section id=\"hv-pane-map\" class=\"hv-pane\"><h2>Memory map</h2>\n"
"<table id=\"hv-map\"><thead><tr><th>start</th><th>end</th><th>size</th>"
"<th>what</th></tr></thead><tbody></tbody></table></section>\n"
"<section id=\"hv-pane-log\" class=\"hv-pane hv-wide\"><h2>Log: system "
"calls</h2>\n<ol id=\"hv-log\"></ol></section>\n"
"</main>\n"
"<footer><p>Keys: &#8592; &#8594; a step, Home and End, Page Up and Page "
"Down ten steps.  A link to a step ends in #step=N.  Made by heapviz."
"</p></footer>\n";

int
export_html(struct session *s, enum export_theme theme, struct buf *b,
    struct out *out)
{
	struct html	 h;
	struct out_buf	 why;
	char		 js_hash[45], css_hash[45];
	size_t		 len = history_length(s);
	struct buf	 title;
	int		 r;

	memset(&h, 0, sizeof h);
	/* A session that refuses `explain` (a trace) says why instead. */
	out_buf_init(&why);
	if (!cmd_allowed(s, &cmd_explain_entry, &why.out))
		h.no_explain = why.errors.len > 0 ? why.errors.s : "";
	r = export_visit(s, 0, len, html_step, &h, out);
	h.no_explain = NULL;
	out_buf_free(&why);
	if (r != 0) {
		html_free(&h);
		return -1;
	}
	buf_init(&title);
	if (session_lesson(s) != NULL)
		buf_printf(&title, "heapviz lesson %s",
		    lesson_name(session_lesson(s)));
	else
		buf_printf(&title, "heapviz session");
	buf_printf(&title, ": %zu step%s", len, len == 1 ? "" : "s");

	sha256_base64(export_viewer_js, strlen(export_viewer_js), js_hash);
	sha256_base64(export_viewer_css, strlen(export_viewer_css), css_hash);
	buf_printf(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; script-src 'sha256-%s'; "
	    "style-src 'sha256-%s'; img-src 'none'; connect-src 'none'; "
	    "base-uri 'none'; form-action 'none'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<meta name=\"generator\" content=\"heapviz\">\n"
	    "<title>", js_hash, css_hash);
	export_xml_text(b, title.s, title.len);
	buf_printf(b, "</title>\n<style>");
	buf_add_str(b, export_viewer_css);
	buf_printf(b, "</style>\n</head>\n<body class=\"hv-%s\">\n"
	    "<noscript><p>This page draws the heap with its own small script; "
	    "turn JavaScript on to step through it.</p></noscript>\n",
	    theme == EXPORT_DARK ? "dark" : "light");
	buf_add_str(b, skeleton);
	buf_printf(b, "<script type=\"application/json\" id=\"hv-data\">"
	    "{\"v\":1,\"title\":");
	export_json_string(b, title.s, title.len);
	buf_printf(b, ",\"mode\":");
	{
		struct snapshot	*snap = snapshot_take(s);

		export_json_string(b, snap->mode, strlen(snap->mode));
		snapshot_free(snap);
	}
	buf_printf(b, ",\"theme\":\"%s\",\"lesson\":", theme == EXPORT_DARK ?
	    "dark" : "light");
	if (session_lesson(s) != NULL)
		export_json_string(b, lesson_name(session_lesson(s)),
		    strlen(lesson_name(session_lesson(s))));
	else
		buf_printf(b, "null");
	buf_printf(b, ",\"script\":");
	if (session_lesson(s) != NULL) {
		size_t	i;

		buf_addc(b, '[');
		for (i = 0; i < session_lesson(s)->n; i++) {
			buf_printf(b, "%s", i ? "," : "");
			export_json_string(b, session_lesson(s)->lines[i],
			    strlen(session_lesson(s)->lines[i]));
		}
		buf_addc(b, ']');
	} else
		buf_printf(b, "null");
	buf_printf(b, ",\"at\":%zu,\n\"strs\":[", history_position(s));
	add_buf(b, &h.strs.json);
	buf_printf(b, "],\n\"log\":[");
	add_buf(b, &h.log);
	buf_printf(b, "],\n\"steps\":[");
	add_buf(b, &h.steps);
	buf_printf(b, "]}</script>\n<script>");
	buf_add_str(b, export_viewer_js);
	buf_printf(b, "</script>\n</body>\n</html>\n");
	buf_free(&title);
	html_free(&h);
	return 0;
}
