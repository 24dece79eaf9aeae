/*
 * history.c -- numbered steps, checkpoints and replay.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "history.h"
#include "out.h"
#include "session.h"
#include "session-internal.h"
#include "xmalloc.h"

#define PAGE	4096

/*
 * A saved page, compressed: runs of zero words (most of a heap is zeros:
 * fresh pages, untouched payloads) cost four bytes, the rest is kept as
 * it is.  The encoding is a series of [zero bytes:u16][literal bytes:u16]
 * [literal], all counts multiples of 8, covering the whole page.
 */
struct page {
	unsigned	 refs;
	uint32_t	 len;
	unsigned char	 data[];
};

#define WORDS	(PAGE / 8)

static inline uint64_t
word_at(const unsigned char *src, size_t i)
{
	uint64_t	w;

	memcpy(&w, src + i * 8, 8);
	return w;
}

static size_t
page_pack(const unsigned char *src, unsigned char *dst)
{
	size_t		i = 0, n = 0;

	while (i < WORDS) {
		size_t		z = i, l;
		uint16_t	hz, hl;

		while (z < WORDS && word_at(src, z) == 0)
			z++;
		for (l = z; l < WORDS && word_at(src, l) != 0; l++)
			;
		hz = (uint16_t)((z - i) * 8);
		hl = (uint16_t)((l - z) * 8);
		memcpy(dst + n, &hz, 2);
		memcpy(dst + n + 2, &hl, 2);
		memcpy(dst + n + 4, src + z * 8, hl);
		n += 4 + hl;
		i = l;
	}
	return n;
}

/* Whether n bytes (a multiple of 8) at src are all zero. */
static bool
all_zero(const unsigned char *src, size_t n)
{
	uint64_t	acc = 0;
	size_t		i = 0, words = n / 8;

	for (; i + 4 <= words; i += 4) {
		acc |= word_at(src, i) | word_at(src, i + 1) |
		    word_at(src, i + 2) | word_at(src, i + 3);
		if (acc != 0)
			return false;
	}
	for (; i < words; i++)
		acc |= word_at(src, i);
	return acc == 0;
}

/*
 * Whether the page at src holds what p saved, read straight from the
 * packed form: a checkpoint asks this of every page the session owns, and
 * most have not changed since the checkpoint before.
 */
static bool
page_same(const struct page *p, const unsigned char *src)
{
	size_t	i = 0, n = 0;

	while (n < p->len) {
		uint16_t	z, l;

		memcpy(&z, p->data + n, 2);
		memcpy(&l, p->data + n + 2, 2);
		if (i + z + l > PAGE || !all_zero(src + i, z) ||
		    memcmp(src + i + z, p->data + n + 4, l) != 0)
			return false;
		i += (size_t)z + l;
		n += 4 + (size_t)l;
	}
	return i == PAGE;
}

static void
page_unpack(const struct page *p, unsigned char *dst)
{
	size_t	i = 0, n = 0;

	while (n < p->len) {
		uint16_t	z, l;

		memcpy(&z, p->data + n, 2);
		memcpy(&l, p->data + n + 2, 2);
		memset(dst + i, 0, z);
		memcpy(dst + i + z, p->data + n + 4, l);
		i += (size_t)z + l;
		n += 4 + (size_t)l;
	}
}

struct cp_range {
	uint64_t	  disp;
	size_t		  npages;
	struct page	**pages;
};

/*
 * The names at a checkpoint, in blocks of NAME_BLOCK bindings, each shared
 * with the checkpoint before when unchanged: a long trace binds thousands
 * of names, and between two checkpoints only the ones it used change.  A
 * block is kept packed: a binding is 56 bytes, mostly the zeros after a
 * short name, and packed it is its name and four numbers (about 15 bytes).
 * Which blocks changed is found against an unpacked copy of the newest
 * checkpoint's names (the shadow), not by packing every block again.
 */
#define NAME_BLOCK	64

struct name_block {
	unsigned	 refs;
	uint32_t	 n;		/* bindings */
	uint32_t	 len;		/* bytes of data */
	unsigned char	 data[];
};

/* Every field of struct binding is packed: a new one must be too. */
struct binding_fields {
	char		 name[NAMES_MAX];
	uint64_t	 mem;
	size_t		 request;
	bool		 live;
	uint32_t	 step;
};
_Static_assert(sizeof(struct binding) == sizeof(struct binding_fields),
    "name_pack and name_unpack know every field of struct binding");

static size_t
put_varint(unsigned char *dst, uint64_t v)
{
	size_t	n = 0;

	while (v >= 0x80) {
		dst[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	dst[n++] = (unsigned char)v;
	return n;
}

static uint64_t
get_varint(const unsigned char **src)
{
	const unsigned char	*p = *src;
	uint64_t		 v = 0;
	unsigned		 shift = 0;

	do {
		v |= (uint64_t)(*p & 0x7f) << shift;
		shift += 7;
	} while (*p++ & 0x80);
	*src = p;
	return v;
}

/* At most this many bytes a packed binding. */
#define PACKED_BINDING	(1 + NAMES_MAX + 10 + 10 + 5 + 1)

static size_t
name_pack(const struct binding *b, unsigned char *dst)
{
	size_t	n = strnlen(b->name, sizeof b->name - 1);

	dst[0] = (unsigned char)n;
	memcpy(dst + 1, b->name, n);
	n++;
	n += put_varint(dst + n, b->mem);
	n += put_varint(dst + n, b->request);
	n += put_varint(dst + n, b->step);
	dst[n++] = b->live;
	return n;
}

static const unsigned char *
name_unpack(struct binding *b, const unsigned char *src)
{
	size_t	n = src[0];

	memset(b, 0, sizeof *b);
	memcpy(b->name, src + 1, n);
	src += 1 + n;
	b->mem = get_varint(&src);
	b->request = (size_t)get_varint(&src);
	b->step = (uint32_t)get_varint(&src);
	b->live = *src++ != 0;
	return src;
}

struct checkpoint {
	size_t			 step;
	struct memsrc_layout	 layout;
	struct cp_range		*ranges;
	size_t			 nranges;
	struct model_saved	*as;
	const struct model_ops	*mops;		/* whose as is */

	struct name_block	**names;	/* nnames / NAME_BLOCK, up */
	size_t			 nnames;
	unsigned		 next_auto;
	struct foreign		*foreign;
	size_t			 nforeign;
	bool			 stdio_ready;
	size_t			 log_len, log_base, log_mark;
	struct decision		*dec;
	size_t			 ndec;
	char			 last[128];
};

/*
 * The lines that made the steps, end to end in blocks that never move (so
 * history_line's pointers stay good), appended in step order: keeping a
 * step costs its line and a pointer, with no allocation of its own, and
 * dropping a future cuts the blocks back to where its first line starts.
 */
#ifndef LINE_BLOCK
#define LINE_BLOCK	(64 * 1024)
#endif

struct line_block {
	char		*text;
	size_t		 used, size;
	size_t		 first;		/* the step index of its first line */
};

struct history {
	size_t			  last_pages;	/* in the newest checkpoint */
	struct binding		 *shadow;	/* names at shadow_step */
	size_t			  nshadow, capshadow, shadow_step;
	bool			  shadow_ok;
	char			**lines;	/* lines[k - 1] made step k */
	size_t			  len, cap;
	struct line_block	 *blocks;
	size_t			  nblocks, capblocks;
	size_t			  line_bytes;	/* text of lines[0 .. len) */
	struct checkpoint	 *cp;		/* sorted by step; cp[0]: 0 */
	size_t			  ncp, capcp;
	size_t			  bytes;	/* pages and saved state */
};

struct history *
history_create(void)
{
	return xcalloc(1, sizeof(struct history));
}

static void
page_drop(struct history *h, struct page *p)
{
	if (p != NULL && --p->refs == 0) {
		h->bytes -= sizeof *p + p->len;
		free(p);
	}
}

static void
name_block_drop(struct history *h, struct name_block *nb)
{
	if (--nb->refs == 0) {
		h->bytes -= sizeof *nb + nb->len;
		free(nb);
	}
}

static void
checkpoint_free(struct history *h, struct checkpoint *c)
{
	size_t	i, j;

	for (i = 0; i * NAME_BLOCK < c->nnames; i++)
		name_block_drop(h, c->names[i]);
	if (h->shadow_ok && h->shadow_step == c->step)
		h->shadow_ok = false;

	for (i = 0; i < c->nranges; i++) {
		for (j = 0; j < c->ranges[i].npages; j++)
			page_drop(h, c->ranges[i].pages[j]);
		free(c->ranges[i].pages);
	}
	free(c->ranges);
	memsrc_layout_free(&c->layout);
	h->bytes -= c->mops->saved_bytes(c->as);
	c->mops->saved_free(c->as);
	h->bytes -= c->nforeign * sizeof *c->foreign +
	    c->ndec * sizeof *c->dec;
	free(c->names);
	free(c->foreign);
	free(c->dec);
}

void
history_destroy(struct history *h)
{
	size_t	i;

	if (h == NULL)
		return;
	for (i = 0; i < h->ncp; i++)
		checkpoint_free(h, &h->cp[i]);
	free(h->cp);
	for (i = 0; i < h->nblocks; i++)
		free(h->blocks[i].text);
	free(h->blocks);
	free(h->lines);
	free(h->shadow);
	free(h);
}

/* The page at disp in the checkpoint before, if it is there. */
static struct page *
page_before(const struct checkpoint *prev, uint64_t disp)
{
	size_t	i;

	if (prev == NULL)
		return NULL;
	for (i = 0; i < prev->nranges; i++) {
		const struct cp_range	*r = &prev->ranges[i];

		if (disp >= r->disp && disp < r->disp + r->npages * PAGE)
			return r->pages[(disp - r->disp) / PAGE];
	}
	return NULL;
}

static void
copy(void *dst, const void *src, size_t n)
{
	if (n > 0)
		memcpy(dst, src, n);
}

static void *
dup_array(const void *src, size_t n, size_t size)
{
	void	*p = xcalloc(n ? n : 1, size);

	copy(p, src, n * size);
	return p;
}

void
history_checkpoint(struct session *s, size_t step)
{
	struct history		*h = s->hist;
	struct checkpoint	*c, *prev;
	struct memsrc_range	*rg;
	unsigned char		 packed[PAGE + PAGE / 2];
	size_t			 n, i, j, at, len;
	bool			 newest, shadow;

	for (at = h->ncp; at > 0 && h->cp[at - 1].step >= step; at--) {
		if (h->cp[at - 1].step == step)
			return;
	}
	if (h->ncp == h->capcp) {
		h->capcp = h->capcp ? h->capcp * 2 : 16;
		h->cp = xreallocarray(h->cp, h->capcp, sizeof *h->cp);
	}
	memmove(&h->cp[at + 1], &h->cp[at], (h->ncp - at) * sizeof *h->cp);
	h->ncp++;
	c = &h->cp[at];
	prev = at > 0 ? &h->cp[at - 1] : NULL;
	memset(c, 0, sizeof *c);
	c->step = step;

	memsrc_get_layout(s->ms, &c->layout);
	n = memsrc_ranges(s->ms, NULL, 0);
	rg = xcalloc(n ? n : 1, sizeof *rg);
	n = memsrc_ranges(s->ms, rg, n);
	c->ranges = xcalloc(n ? n : 1, sizeof *c->ranges);
	c->nranges = n;
	for (i = 0; i < n; i++) {
		struct cp_range	*r = &c->ranges[i];

		r->disp = rg[i].disp;
		r->npages = rg[i].len / PAGE;
		r->pages = xcalloc(r->npages ? r->npages : 1,
		    sizeof *r->pages);
		for (j = 0; j < r->npages; j++) {
			const unsigned char	*src = (const unsigned char *)
						    rg[i].host + j * PAGE;
			struct page		*old = page_before(prev,
						    r->disp + j * PAGE);

			/* An unchanged page is shared with the one before. */
			if (old != NULL && page_same(old, src)) {
				old->refs++;
				r->pages[j] = old;
				continue;
			}
			len = page_pack(src, packed);
			r->pages[j] = xmalloc(sizeof *r->pages[j] + len);
			r->pages[j]->refs = 1;
			r->pages[j]->len = (uint32_t)len;
			memcpy(r->pages[j]->data, packed, len);
			h->bytes += sizeof *r->pages[j] + len;
		}
	}
	free(rg);
	h->last_pages = 0;
	for (i = 0; i < c->nranges; i++)
		h->last_pages += c->ranges[i].npages;
	c->mops = s->m->ops;
	c->as = s->m->ops->save(s->m);
	h->bytes += s->m->ops->saved_bytes(c->as);

	c->nnames = s->names.n;
	c->names = xcalloc(s->names.n / NAME_BLOCK + 1, sizeof *c->names);
	/* The shadow holds prev's names when prev is the newest before. */
	newest = at == h->ncp - 1;
	shadow = newest && prev != NULL && h->shadow_ok &&
	    h->shadow_step == prev->step;
	if (newest && h->capshadow < s->names.n) {
		h->capshadow = h->capshadow * 2 > s->names.n ?
		    h->capshadow * 2 : s->names.n;
		h->shadow = xreallocarray(h->shadow, h->capshadow,
		    sizeof *h->shadow);
	}
	for (i = 0; i * NAME_BLOCK < s->names.n; i++) {
		const struct binding	*src = s->names.v + i * NAME_BLOCK;
		struct name_block	*nb;
		unsigned char		 tmp[NAME_BLOCK * PACKED_BINDING];
		size_t			 k = s->names.n - i * NAME_BLOCK, b;

		if (k > NAME_BLOCK)
			k = NAME_BLOCK;
		if (shadow && i * NAME_BLOCK + k <= h->nshadow &&
		    i * NAME_BLOCK < prev->nnames && prev->names[i]->n == k &&
		    memcmp(h->shadow + i * NAME_BLOCK, src,
		    k * sizeof *src) == 0) {
			prev->names[i]->refs++;
			c->names[i] = prev->names[i];
			continue;
		}
		for (b = 0, len = 0; b < k; b++)
			len += name_pack(&src[b], tmp + len);
		nb = xmalloc(sizeof *nb + len);
		nb->refs = 1;
		nb->n = (uint32_t)k;
		nb->len = (uint32_t)len;
		memcpy(nb->data, tmp, len);
		c->names[i] = nb;
		h->bytes += sizeof *nb + len;
		if (newest)
			memcpy(h->shadow + i * NAME_BLOCK, src,
			    k * sizeof *src);
	}
	if (newest) {
		h->nshadow = s->names.n;
		h->shadow_step = step;
		h->shadow_ok = true;
	}
	c->next_auto = s->names.next_auto;
	c->foreign = dup_array(s->foreign, s->nforeign, sizeof *s->foreign);
	c->nforeign = s->nforeign;
	c->stdio_ready = s->stdio_ready;
	c->log_len = s->log->n;
	c->log_base = s->st.log_base;
	c->log_mark = s->st.log_mark;
	c->dec = dup_array(s->st.dec, s->st.ndec, sizeof *s->st.dec);
	c->ndec = s->st.ndec;
	memcpy(c->last, s->st.last, sizeof c->last);
	h->bytes += c->nforeign * sizeof *c->foreign +
	    c->ndec * sizeof *c->dec;
}

static void
grow_to(void **p, size_t *cap, size_t n, size_t size)
{
	if (*cap < n) {
		*cap = n;
		*p = xreallocarray(*p, n, size);
	}
}

/* Put everything back as it was at checkpoint c. */
static int
checkpoint_restore(struct session *s, const struct checkpoint *c,
    bool keep_log, struct out *out)
{
	size_t			 i, j;

	if (!(session_engine(s)->caps & ENGINE_LOCAL)) {
		/* Nothing here to copy back: the engine starts afresh. */
		if (session_engine(s)->rewind(s, out) != 0)
			return -1;
	} else {
		struct model_live	*live;

		/* Another model's state: a fresh heap on that model first. */
		if (c->mops != s->m->ops && session_engine(s)->remodel != NULL)
			session_engine(s)->remodel(s, c->mops);
		live = s->m->ops->live_take(s->m);

		memsrc_set_layout(s->ms, &c->layout);
		for (i = 0; i < c->nranges; i++) {
			const struct cp_range	*r = &c->ranges[i];

			for (j = 0; j < r->npages; j++) {
				char	*dst = memsrc_to_host(s->ms,
					    r->disp + j * PAGE, PAGE);

				if (dst != NULL)
					page_unpack(r->pages[j],
					    (unsigned char *)dst);
			}
		}
		s->m->ops->restore(s->m, c->as, live);
	}

	grow_to((void **)&s->names.v, &s->names.cap, c->nnames,
	    sizeof *s->names.v);
	for (i = 0; i * NAME_BLOCK < c->nnames; i++) {
		const unsigned char	*p = c->names[i]->data;

		for (j = 0; j < c->names[i]->n; j++)
			p = name_unpack(&s->names.v[i * NAME_BLOCK + j], p);
	}
	s->names.n = c->nnames;
	names_rehash(&s->names);
	s->names.next_auto = c->next_auto;
	grow_to((void **)&s->foreign, &s->capforeign, c->nforeign,
	    sizeof *s->foreign);
	copy(s->foreign, c->foreign, c->nforeign * sizeof *s->foreign);
	s->nforeign = c->nforeign;
	s->stdio_ready = c->stdio_ready;
	grow_to((void **)&s->st.dec, &s->st.capdec, c->ndec, sizeof *s->st.dec);
	copy(s->st.dec, c->dec, c->ndec * sizeof *s->st.dec);
	s->st.ndec = c->ndec;
	memcpy(s->st.last, c->last, sizeof s->st.last);
	s->st.step = (uint32_t)c->step;
	if (!keep_log) {
		evlog_set_length(s->log, c->log_len);
		s->st.log_base = c->log_base;
		s->st.log_mark = c->log_mark;
	}
	return 0;
}

void
history_restore_start(struct session *s)
{
	history_restore_fresh(s, s->m->ops);
}

int
history_restore_fresh(struct session *s, const struct model_ops *ops)
{
	/* `reset`: the state of step 0, but the log and history go on, and
	 * the step is still the reset (for explain).  On another model than
	 * step 0's: step 0's names and the rest, on a fresh heap of ops. */
	size_t	step = s->st.step;
	char	last[sizeof s->st.last];

	if (ops != s->hist->cp[0].mops &&
	    session_engine(s)->remodel == NULL)
		return -1;
	memcpy(last, s->st.last, sizeof last);
	checkpoint_restore(s, &s->hist->cp[0], true, &out_null);
	if (ops != s->m->ops)
		session_engine(s)->remodel(s, ops);
	memcpy(s->st.last, last, sizeof s->st.last);
	s->st.step = (uint32_t)step;
	s->st.log_base = s->log->n;
	s->st.log_mark = s->log->n;
	return 0;
}

const struct model_ops *
history_start_model(const struct session *s)
{
	return s->hist->cp[0].mops;
}

/* Forget the lines of steps n + 1 and on. */
static void
lines_cut(struct history *h, size_t n)
{
	size_t	keep;		/* blocks kept */

	if (n >= h->len)
		return;
	while (h->len > n) {
		h->len--;
		h->line_bytes -= strlen(h->lines[h->len]) + 1;
	}
	/* The block that holds line n: the last one starting at or before. */
	for (keep = h->nblocks; h->blocks[keep - 1].first > n; keep--)
		;
	if (h->blocks[keep - 1].first == n)
		keep--;		/* it starts there: it goes whole */
	else
		h->blocks[keep - 1].used = (size_t)(h->lines[n] -
		    h->blocks[keep - 1].text);
	while (h->nblocks > keep)
		free(h->blocks[--h->nblocks].text);
}

/* Keep a copy of line as the line of the next step. */
static void
lines_add(struct history *h, const char *line)
{
	size_t			 n = strlen(line) + 1;
	struct line_block	*b = h->nblocks > 0 ?
				    &h->blocks[h->nblocks - 1] : NULL;

	if (b == NULL || b->size - b->used < n) {
		if (h->nblocks == h->capblocks) {
			h->capblocks = h->capblocks ? h->capblocks * 2 : 16;
			h->blocks = xreallocarray(h->blocks, h->capblocks,
			    sizeof *h->blocks);
		}
		b = &h->blocks[h->nblocks++];
		b->size = n > LINE_BLOCK ? n : LINE_BLOCK;
		b->text = xmalloc(b->size);
		b->used = 0;
		b->first = h->len;
	}
	if (h->len == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->lines = xreallocarray(h->lines, h->cap, sizeof *h->lines);
	}
	memcpy(b->text + b->used, line, n);
	h->lines[h->len++] = b->text + b->used;
	b->used += n;
	h->line_bytes += n;
}

size_t
history_push(struct session *s, const char *line)
{
	struct history	*h = s->hist;
	size_t		 dropped = 0;
	size_t		 cur = s->st.step - 1;	/* the step before it */

	if (cur < h->len) {
		dropped = h->len - cur;
		lines_cut(h, cur);
		while (h->ncp > 1 && h->cp[h->ncp - 1].step > cur)
			checkpoint_free(h, &h->cp[--h->ncp]);
		evlog_drop_future(s->log);
	}
	lines_add(h, line);
	return dropped;
}

void
history_reset(struct session *s)
{
	/* Out of a trace: back to the session under it, then afresh. */
	session_leave(s);
	/* A step of its own, so that `back` can undo it. */
	history_begin(s, false, "reset");
	history_restore_start(s);
}

/*
 * A step: history_begin numbers it and sets the log's cause; the command
 * ends it with history_commit (interp_exec does), or takes it back with
 * history_abort when it was refused.
 */
void
history_begin(struct session *s, bool foreign, const char *fmt, ...)
{
	va_list	ap;

	/* Keep the last step's account, in case this one is refused. */
	struct decision	*d = s->st.dec;
	size_t		 cap = s->st.capdec;

	s->st.dec = s->st.dec_prev;
	s->st.capdec = s->st.capdec_prev;
	s->st.dec_prev = d;
	s->st.capdec_prev = cap;
	s->st.ndec_prev = s->st.ndec;
	s->st.log_mark_prev = s->st.log_mark;
	memcpy(s->st.last_prev, s->st.last, sizeof s->st.last);

	history_commit(s);
	if (!s->st.replaying) {
		/* Recorded once the command is done and was not refused. */
		s->st.pending = true;
		s->st.pending_depth = s->exec_depth;
		strlcopy(s->st.pending_line, s->exec_line ? s->exec_line : "",
		    sizeof s->st.pending_line);
	}
	s->st.step++;
	s->st.ndec = 0;
	s->st.log_mark = s->log->n;
	va_start(ap, fmt);
	buf_vsnprintf(s->st.last, sizeof s->st.last, fmt, ap);
	va_end(ap);
	evlog_set_cause(s->log, s->st.step, foreign, s->st.last);
}

/* The step begun by this command stands: it joins the history. */
void
history_commit(struct session *s)
{
	if (!s->st.pending)
		return;
	s->st.pending = false;
	s->st.dropped += history_push(s, s->st.pending_line);
	if (s->watch != NULL && s->watch->committed != NULL)
		s->watch->committed(s);
	if (history_due(s))
		history_checkpoint(s, s->st.step);
}

/* The allocator's hook: keep each decision, in display addresses. */
void
history_on_decision(void *ctx, const struct model_event *ev)
{
	struct session	*s = ctx;
	struct decision	*d;

	if (s->st.ndec == s->st.capdec) {
		s->st.capdec = s->st.capdec ? s->st.capdec * 2 : 16;
		s->st.dec = xreallocarray(s->st.dec, s->st.capdec,
		    sizeof *s->st.dec);
	}
	d = &s->st.dec[s->st.ndec++];
	d->kind = ev->kind;
	d->chunk = ev->chunk ? memsrc_to_display(s->ms, ev->chunk) : 0;
	d->size = ev->size;
	d->other = ev->other ? memsrc_to_display(s->ms, ev->other) : 0;
	d->other_size = ev->other_size;
	d->bin_class = ev->bin_class;
	d->why = ev->why;
	d->bin = ev->bin;
}

void
history_commit_at(struct session *s, int depth)
{
	if (s->st.pending && s->st.pending_depth == depth)
		history_commit(s);
}

void
history_cancel(struct session *s)
{
	if (!s->st.pending)
		return;
	s->st.pending = false;
	s->st.step--;
	s->st.ndec = 0;
}

size_t
history_take_dropped(struct session *s)
{
	size_t	n = s->st.dropped;

	s->st.dropped = 0;
	return n;
}

void
history_set_position(struct session *s, uint32_t step, const char *last)
{
	s->st.step = step;
	snprintf(s->st.last, sizeof s->st.last, "%s", last);
}

bool
history_abort(struct session *s)
{
	struct decision	*d = s->st.dec;
	size_t		 cap = s->st.capdec;

	/*
	 * A refusal that came after the allocator had already asked the
	 * system for memory changed the state: it stays a step, so that
	 * going back and forth replays it too.
	 */
	if (s->log->n != s->st.log_mark)
		return false;
	s->st.dec = s->st.dec_prev;
	s->st.capdec = s->st.capdec_prev;
	s->st.dec_prev = d;
	s->st.capdec_prev = cap;
	s->st.ndec = s->st.ndec_prev;
	s->st.log_mark = s->st.log_mark_prev;
	memcpy(s->st.last, s->st.last_prev, sizeof s->st.last);
	s->st.step--;
	s->st.pending = false;
	return true;
}


bool
history_due(const struct session *s)
{
	const struct history	*h = s->hist;
	size_t			 every = CHECKPOINT_EVERY;

	/*
	 * A checkpoint reads every page the session owns, so the bigger the
	 * heap the further apart they are: about four steps per page keeps
	 * what a step costs the same for any heap, and a jump replays at
	 * most that many steps.
	 */
	if (h->last_pages * 4 > every)
		every = h->last_pages * 4;
	if (!(session_engine(s)->caps & ENGINE_LOCAL))
		return h->ncp == 0;	/* only step 0: see checkpoint_restore */
	return h->ncp == 0 || s->st.step >= h->cp[h->ncp - 1].step + every;
}

size_t
history_checkpoints(const struct session *s)
{
	return s->hist->ncp;
}

uint32_t
history_step(const struct session *s)
{
	return s->st.step;
}

const char *
history_last_line(const struct session *s)
{
	return s->st.last;
}

const struct decision *
history_decisions(const struct session *s, size_t *n)
{
	*n = s->st.ndec;
	return s->st.dec;
}

size_t
history_log_base(const struct session *s)
{
	return s->st.log_base;
}

size_t
history_log_mark(const struct session *s)
{
	return s->st.log_mark;
}

bool
history_replaying(const struct session *s)
{
	return s->st.replaying;
}

size_t
history_length(const struct session *s)
{
	if (session_engine(s)->length != NULL)
		return session_engine(s)->length(s);
	return s->hist->len;
}

size_t
history_position(const struct session *s)
{
	return s->st.step;
}

const char *
history_line(const struct session *s, size_t step)
{
	if (session_engine(s)->line != NULL)
		return session_engine(s)->line(s, step);
	if (step == 0 || step > s->hist->len)
		return NULL;
	return s->hist->lines[step - 1];
}

size_t
history_bytes(const struct session *s)
{
	const struct history	*h = s->hist;

	return h->bytes + h->line_bytes + h->len * sizeof *h->lines;
}


/* Run the recorded lines of steps from+1..n again, quietly. */
static int
replay(struct session *s, size_t from, size_t n, struct out *out)
{
	size_t	i;

	s->st.replaying = true;
	for (i = from; i < n; i++) {
		s->run(s, s->hist->lines[i], &out_null);
		if (session_death(s) != NULL) {
			s->st.replaying = false;
			out_kprintf(out, OUT_ERROR, "the subject died again "
			    "replaying step %zu (`%s`): %s\n", i + 1,
			    s->hist->lines[i], session_death(s));
			return -1;
		}
	}
	s->st.replaying = false;
	return 0;
}

int
history_goto(struct session *s, size_t n, struct out *out)
{
	struct history	*h = s->hist;
	size_t		 i, from = s->st.step;

	if (session_engine(s)->go != NULL)
		return session_engine(s)->go(s, n, out);
	if (n > h->len) {
		out_kprintf(out, OUT_ERROR, "step %zu does not exist (the "
		    "history has %zu step%s)\n", n, h->len,
		    h->len == 1 ? "" : "s");
		return -1;
	}
	if (n == s->st.step)
		return 0;
	/* The nearest checkpoint at or before n... */
	for (i = h->ncp; i > 1 && h->cp[i - 1].step > n; i--)
		;
	/* ...unless stepping forward from here is closer. */
	if (!(n > s->st.step && s->st.step >= h->cp[i - 1].step) ||
	    session_death(s) != NULL) {
		if (checkpoint_restore(s, &h->cp[i - 1], false, out) != 0)
			return -1;
		from = h->cp[i - 1].step;
	}
	return replay(s, from, n, out);
}

int
history_forward_shown(struct session *s, struct out *out)
{
	struct history	*h = s->hist;
	size_t		 n = s->st.step + 1;

	if (session_engine(s)->go != NULL || s->st.step >= h->len)
		return -1;	/* a recording's steps, or none ahead */
	if (session_death(s) != NULL)
		return history_goto(s, n, out);
	/* From here the replay is the step itself: no checkpoint needed. */
	s->st.replaying = true;
	s->run(s, h->lines[s->st.step], out);
	s->st.replaying = false;
	if (s->st.step != n) {
		out_kprintf(out, OUT_ERROR, "replaying step %zu (`%s`) did not "
		    "make it again\n", n, h->lines[n - 1]);
		return history_goto(s, n, out);
	}
	return 0;
}

int
history_replay_from_start(struct session *s, size_t n, struct out *out)
{
	if (n > s->hist->len)
		n = s->hist->len;
	if (checkpoint_restore(s, &s->hist->cp[0], false, out) != 0)
		return -1;
	return replay(s, s->hist->cp[0].step, n, out);
}
