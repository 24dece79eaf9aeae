/*
 * compare.c -- one session's steps on two allocator models, side by side
 * (compare.h).
 *
 * The two sides are sessions of their own, simulated, one on each model.
 * They never take a line from the user: they run the lines of the
 * session's history, which they find again on every compare_sync.  A
 * prefix of the history that is unchanged since the last sync (line for
 * line the same) is not run again; from the first line that differs (a
 * new step, or a new step after going back) each side goes back to the
 * step it stood at before that line and runs the lines that follow.  Then
 * each side goes to the step that matches the session's position.  The
 * simulation is deterministic, so a line run again does what it did.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "compare.h"
#include "engine.h"
#include "history.h"
#include "interp.h"
#include "memsrc.h"
#include "snapshot.h"
#include "xmalloc.h"

struct compare {
	const struct model_ops	*ops[2];
	struct session		*side[2];
	struct compare_step	*v;		/* the history's steps */
	size_t			 n, cap;
	size_t			 said;		/* steps whose words were given */
	size_t			 first;		/* first divergence; 0: none */
	const struct history	*hist;		/* the session's, when last */
	size_t			 synced;	/* followed, and its step then */
	size_t			 said_from;	/* the steps the last line */
	size_t			 said_to;	/* said: (from, to] */
};

static void	compare_line_done(struct session *, struct out *);
static void	compare_recorded(struct session *, struct out *);

static const struct session_watch compare_watch = {
	.recorded = compare_recorded,
	.destroyed = compare_stop,
	.line_done = compare_line_done,
};

struct compare *
compare_of(const struct session *s)
{
	return session_compare(s);
}

const struct model_ops *
compare_model(const struct compare *c, int side)
{
	return c->ops[side];
}

struct session *
compare_session(const struct compare *c, int side)
{
	return c->side[side];
}

size_t
compare_steps(const struct compare *c)
{
	return c->n;
}

const struct compare_step *
compare_step(const struct compare *c, size_t i)
{
	return i >= 1 && i <= c->n ? &c->v[i - 1] : NULL;
}

void
compare_last_said(const struct compare *c, size_t *from, size_t *to)
{
	*from = c->said_from;
	*to = c->said_to;
}

size_t
compare_first_divergence(const struct compare *c)
{
	return c->first;
}

/* Why the session cannot be compared as it is, or NULL. */
static const char *
cannot_follow(const struct session *s)
{
	int	caps = session_engine(s)->caps;

	if (caps & ENGINE_RECORDED)
		return "the session is a recording (a trace): its steps "
		    "were made by a program, not by a model";
	if (caps & ENGINE_PROCESS)
		return "real mode runs one allocator in a process; compare "
		    "runs simulated heaps (`mode sim` first)";
	return NULL;
}

static void
compare_free(struct compare *c)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].line);
	free(c->v);
	session_destroy(c->side[0]);
	session_destroy(c->side[1]);
	free(c);
}

void
compare_stop(struct session *s)
{
	if (session_compare(s) == NULL)
		return;
	compare_free(session_compare(s));
	session_set_compare(s, NULL, NULL);
}

int
compare_start(struct session *s, const struct model_ops *a,
    const struct model_ops *b, struct out *out)
{
	struct compare	*c;
	const char	*why;
	int		 i;

	if (a == b) {
		out_kprintf(out, OUT_ERROR, "compare: %s against itself "
		    "would say nothing: name two different models\n",
		    a->short_name);
		return -1;
	}
	if ((why = cannot_follow(s)) != NULL) {
		out_kprintf(out, OUT_ERROR, "compare: not here: %s\n", why);
		return -1;
	}
	c = xcalloc(1, sizeof *c);
	c->ops[0] = a;
	c->ops[1] = b;
	for (i = 0; i < 2; i++) {
		c->side[i] = session_create();
		session_set_run(c->side[i], interp_exec);
		if (session_model(c->side[i])->ops != c->ops[i] &&
		    session_set_model(c->side[i], c->ops[i], out) != 0) {
			compare_free(c);
			return -1;
		}
		/* A switch of model in the steps: afresh, on its own. */
		session_pin(c->side[i], c->ops[i]);
	}
	compare_stop(s);
	session_set_compare(s, c, &compare_watch);
	/* The steps made so far are compared, not said one by one. */
	compare_sync(c, s);
	c->said = c->n;
	return 0;
}

/*
 * The binding the step just made on side t placed or freed, or NULL:
 * the one bound or freed at this step among those the line's first words
 * name (`NAME = ...`, `free NAME`, `free 0xADDR`), or the newest one (a
 * pN the step bound).  Looked up, not searched for: a loaded trace makes
 * thousands of steps and binds thousands of names.
 */
static const struct binding *
step_binding(struct session *t, const char *line)
{
	const struct binding	*b = NULL, *x;
	const struct names	*nm = session_names(t);
	char			**argv = NULL, err[160], *end;
	int			 argc, i;

	argc = cmd_tokenize(line, &argv, err, sizeof err);
	for (i = 0; i < argc && i < 4 && b == NULL; i++) {
		if (strncmp(argv[i], "0x", 2) == 0)
			x = session_lookup_mem(t, strtoull(argv[i], &end, 16),
			    false);
		else
			x = session_lookup(t, argv[i]);
		if (x != NULL && x->step == history_step(t))
			b = x;
	}
	cmd_free_words(argv, argc);
	if (b == NULL && nm->n > 0 &&
	    nm->v[nm->n - 1].step == history_step(t))
		b = &nm->v[nm->n - 1];
	return b;
}

/* Keep the first line of the buffer's text, without its newline. */
static void
first_line(char *dst, size_t len, const struct buf *src)
{
	const char	*nl;
	size_t		 n = src->len;

	if (src->s == NULL)
		n = 0;
	else if ((nl = memchr(src->s, '\n', n)) != NULL)
		n = (size_t)(nl - src->s);
	if (n >= len)
		n = len - 1;
	if (n > 0)
		memcpy(dst, src->s, n);
	dst[n] = '\0';
}

/* Run line on side t at step `from`, and say what it did in r. */
static void
run_side(struct session *t, uint32_t from, const char *line,
    struct compare_side *r)
{
	const struct binding	*b;
	struct out_buf		 ob;
	struct buf		 did;
	enum session_status	 st;
	uint32_t		 before;

	memset(r, 0, sizeof *r);
	if (history_step(t) != from)
		history_goto(t, from, &out_null);
	before = history_step(t);
	out_buf_init(&ob);
	st = interp_exec(t, line, &ob.out);
	r->made = history_step(t) != before;
	r->refused = st == SESSION_ERROR;
	r->heap_start = session_memsrc(t)->initial_break;
	if (r->refused) {
		first_line(r->did, sizeof r->did, &ob.errors);
		out_buf_free(&ob);
		if (!r->made)
			return;
	} else
		out_buf_free(&ob);
	if (!r->made)
		return;
	if ((b = step_binding(t, line)) != NULL) {
		strlcopy(r->name, b->name, sizeof r->name);
		r->placed = b->live;
		r->mem = b->mem;
	}
	if (r->mem != 0) {
		r->mapped = r->mem < r->heap_start ||
		    r->mem >= memsrc_break(session_memsrc(t));
		if (r->placed) {
			const uint64_t	*head = session_host(t, r->mem - 8, 8);

			r->chunk = head != NULL ? *head & ~(uint64_t)7 : 0;
		} else {
			struct model_free_result	fr;
			const struct decision		*dec;
			size_t				 ndec;

			dec = history_decisions(t, &ndec);
			session_model(t)->ops->free_result(dec, ndec, &fr);
			r->chunk = fr.size;
		}
	}
	if (!r->refused) {
		buf_init(&did);
		cmd_summary(t, &did);
		first_line(r->did, sizeof r->did, &did);
		buf_free(&did);
	}
}

/* Whether the two sides placed the step's block differently. */
static bool
placed_apart(const struct compare_side *a, const struct compare_side *b)
{
	bool	pa = a->made && a->placed && a->mem != 0;
	bool	pb = b->made && b->placed && b->mem != 0;

	if (!pa && !pb)
		return false;
	if (pa != pb || a->mapped != b->mapped)
		return true;
	return !a->mapped && a->mem - a->first != b->mem - b->first;
}

/* Whether a side still runs the model it was made for. */
static bool
sides_sound(const struct compare *c)
{
	return session_model(c->side[0])->ops == c->ops[0] &&
	    session_model(c->side[1])->ops == c->ops[1];
}

/* Like compare_sync; -1 when a line changed a side's model. */
static int
sync_steps(struct compare *c, struct session *s)
{
	size_t		 len = history_length(s), k = 0, i, pos;
	const char	*line;
	int		 j;

	/*
	 * Lines change only where a new step is pushed, at the session's
	 * step or after: those before the step it stood at when last
	 * followed are as they were (unless its history was made anew).
	 */
	if (c->hist == session_history(s)) {
		k = c->synced < c->n ? c->synced : c->n;
		if (k > len)
			k = len;
	}
	while (k < c->n && k < len &&
	    strcmp(c->v[k].line, history_line(s, k + 1)) == 0)
		k++;
	for (i = k; i < c->n; i++)
		free(c->v[i].line);
	c->n = k;
	if (c->said > k)
		c->said = k;
	if (c->first > k)
		c->first = 0;
	for (i = k; i < len; i++) {
		struct compare_step	*st;

		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 32;
			c->v = xreallocarray(c->v, c->cap, sizeof *c->v);
		}
		st = &c->v[c->n];
		line = history_line(s, i + 1);
		st->line = xstrdup(line != NULL ? line : "");
		for (j = 0; j < 2; j++) {
			struct compare_side	*r = &st->side[j];

			run_side(c->side[j], i == 0 ? 0 : c->v[i - 1].at[j],
			    st->line, r);
			st->at[j] = history_step(c->side[j]);
			r->first = i == 0 ? 0 : c->v[i - 1].side[j].first;
			if (r->first == 0 && r->placed && r->mem != 0 &&
			    !r->mapped)
				r->first = r->mem;
		}
		st->diverged = placed_apart(&st->side[0], &st->side[1]);
		c->n++;
		if (st->diverged && c->first == 0)
			c->first = c->n;
		if (!sides_sound(c))
			return -1;
	}
	pos = history_position(s);
	if (pos > c->n)
		pos = c->n;
	c->hist = session_history(s);
	c->synced = pos;
	for (j = 0; j < 2; j++) {
		uint32_t	to = pos == 0 ? 0 : c->v[pos - 1].at[j];

		if (history_step(c->side[j]) != to)
			history_goto(c->side[j], to, &out_null);
	}
	return 0;
}

void
compare_sync(struct compare *c, struct session *s)
{
	(void)sync_steps(c, s);
}

/* After each line the user ran: follow it, and say its new steps. */
static void
compare_line_done(struct session *s, struct out *out)
{
	struct compare	*c = session_compare(s);
	const char	*why;
	size_t		 i;

	if ((why = cannot_follow(s)) != NULL) {
		out_kprintf(out, OUT_NOTE, "note: compare is off: %s\n", why);
		compare_stop(s);
		return;
	}
	if (sync_steps(c, s) != 0) {
		out_kprintf(out, OUT_NOTE, "note: compare is off: a line "
		    "changed the allocator model of one side\n");
		compare_stop(s);
		return;
	}
	c->said_from = c->said_to = c->said;
	/* The full screen shows the two heaps instead (ui_panes). */
	for (i = c->said; i < c->n && i < history_position(s); i++)
		if (!session_ui_panes(s))
			compare_say_step(c, i + 1, out);
	if (c->said < i)
		c->said = c->said_to = i;
}

static void
compare_recorded(struct session *s, struct out *out)
{
	out_kprintf(out, OUT_NOTE, "note: compare is off: a trace is a "
	    "recording, not steps a model can run\n");
	compare_stop(s);
}

/* "+0x2a0" from the heap start, or "mmap" for a mapped block. */
static void
say_where(const struct compare_side *r, struct buf *b)
{
	if (r->mapped)
		buf_printf(b, "mmapped at 0x%llx",
		    (unsigned long long)r->mem);
	else
		buf_printf(b, "at heap+0x%llx (0x%llx)",
		    (unsigned long long)(r->mem - r->heap_start),
		    (unsigned long long)r->mem);
}

/* One side's line; indent: spaces before it (the first side follows
 * "  step N" on its line). */
static void
say_side(const struct compare *c, int j, const struct compare_side *r,
    const char *line, size_t width, size_t indent, struct buf *b)
{
	const char	*name = c->ops[j]->short_name;

	buf_printf(b, "%*s  %s:%*s ", (int)indent, "", name,
	    (int)(width - strlen(name)), "");
	if (r->refused && !r->made) {
		buf_printf(b, "refused: %s\n", r->did);
		return;
	}
	if (r->name[0] != '\0' && r->mem != 0) {
		buf_printf(b, "%s %s ", r->placed ? "placed" : "freed",
		    r->name);
		say_where(r, b);
		if (r->chunk != 0)
			buf_printf(b, ", chunk %zu", r->chunk);
	} else if (r->name[0] != '\0' && r->placed)
		buf_printf(b, "%s = NULL", r->name);
	else
		buf_printf(b, "`%s`, no block placed or freed", line);
	if (r->did[0] != '\0')
		buf_printf(b, ": %s", r->did);
	if (r->refused)
		buf_printf(b, " (refused after it asked the system for "
		    "memory)");
	buf_addc(b, '\n');
}

void
compare_say_step(const struct compare *c, size_t i, struct out *out)
{
	const struct compare_step	*st = compare_step(c, i);
	size_t				 w0, w1, w, head;
	struct buf			 b;
	int				 j;

	if (st == NULL)
		return;
	w0 = strlen(c->ops[0]->short_name);
	w1 = strlen(c->ops[1]->short_name);
	w = w0 > w1 ? w0 : w1;
	buf_init(&b);
	buf_printf(&b, "  step %zu", i);
	head = b.len;
	for (j = 0; j < 2; j++)
		say_side(c, j, &st->side[j], st->line, w, j == 0 ? 0 : head,
		    &b);
	if (i == c->first) {
		const struct compare_side	*a = &st->side[0],
						*z = &st->side[1];

		buf_printf(&b, "  ** first divergence, step %zu: ", i);
		if (a->mapped != z->mapped && a->mem != 0 && z->mem != 0)
			buf_printf(&b, "%s mmaps %s, %s places it in "
			    "the heap\n", a->mapped ? c->ops[0]->short_name :
			    c->ops[1]->short_name, a->name,
			    a->mapped ? c->ops[1]->short_name :
			    c->ops[0]->short_name);
		else if (a->mem != 0 && z->mem != 0 && a->placed && z->placed)
			buf_printf(&b, "%s lands 0x%llx past the first "
			    "block on %s, 0x%llx past it on %s\n", a->name,
			    (unsigned long long)(a->mem - a->first),
			    c->ops[0]->short_name,
			    (unsigned long long)(z->mem - z->first),
			    c->ops[1]->short_name);
		else
			buf_printf(&b, "only %s places a block\n",
			    a->mem != 0 && a->placed ? c->ops[0]->short_name :
			    c->ops[1]->short_name);
	} else if (st->diverged)
		buf_printf(&b, "  (placed differently)\n");
	out_write(out, OUT_TEXT, b.s, b.len);
	buf_free(&b);
}

static void
json_side(const struct compare *c, int j, const struct compare_side *r,
    struct buf *b)
{
	buf_printf(b, "{\"allocator\":");
	buf_json_string(b, c->ops[j]->name, strlen(c->ops[j]->name));
	buf_printf(b, ",\"made\":%s,\"refused\":%s,\"name\":",
	    r->made ? "true" : "false", r->refused ? "true" : "false");
	if (r->name[0] != '\0')
		buf_json_string(b, r->name, strlen(r->name));
	else
		buf_printf(b, "null");
	buf_printf(b, ",\"placed\":%s", r->name[0] != '\0' && r->placed ?
	    "true" : "false");
	if (r->mem != 0)
		buf_printf(b, ",\"address\":%llu,\"offset\":",
		    (unsigned long long)r->mem);
	else
		buf_printf(b, ",\"address\":null,\"offset\":");
	if (r->mem != 0 && !r->mapped)
		buf_printf(b, "%llu",
		    (unsigned long long)(r->mem - r->heap_start));
	else
		buf_printf(b, "null");
	buf_printf(b, ",\"heap_start\":%llu,\"from_first\":",
	    (unsigned long long)r->heap_start);
	if (r->mem != 0 && !r->mapped && r->placed && r->first != 0)
		buf_printf(b, "%llu", (unsigned long long)(r->mem - r->first));
	else
		buf_printf(b, "null");
	buf_printf(b, ",\"chunk_size\":");
	if (r->chunk != 0)
		buf_printf(b, "%zu", r->chunk);
	else
		buf_printf(b, "null");
	buf_printf(b, ",\"mmapped\":%s,\"did\":", r->mapped ? "true" :
	    "false");
	buf_json_string(b, r->did, strlen(r->did));
	buf_printf(b, "}");
}

void
compare_json_step(const struct compare *c, size_t i, struct buf *b)
{
	const struct compare_step	*st = compare_step(c, i);
	int				 j;

	if (st == NULL)
		return;
	buf_printf(b, "{\"step\":%zu,\"line\":", i);
	buf_json_string(b, st->line, strlen(st->line));
	buf_printf(b, ",\"diverged\":%s,\"first_divergence\":%s,"
	    "\"models\":[", st->diverged ? "true" : "false",
	    i == c->first ? "true" : "false");
	for (j = 0; j < 2; j++) {
		if (j > 0)
			buf_addc(b, ',');
		json_side(c, j, &st->side[j], b);
	}
	buf_printf(b, "]}");
}

/* A side's heap as it stands, in a line: each chunk by offset. */
static void
say_heap(const struct compare *c, int j, struct buf *b)
{
	struct snapshot	*snap = snapshot_take(c->side[j]);
	size_t		 i;

	buf_printf(b, "  %s heap, break heap+0x%llx:", c->ops[j]->short_name,
	    (unsigned long long)(snap->brk - snap->heap_start));
	for (i = 0; i < snap->nchunks && i < 40; i++) {
		const struct snap_chunk	*k = &snap->chunks[i];

		if (k->state == MODEL_CHUNK_MMAPPED)
			buf_printf(b, " 0x%llx", (unsigned long long)k->addr);
		else
			buf_printf(b, " +0x%llx",
			    (unsigned long long)(k->addr - snap->heap_start));
		buf_printf(b, " %llu %s%s%s%s;", (unsigned long long)k->size,
		    model_state_name(k->state), k->name != NULL ? " " : "",
		    k->name != NULL ? k->name : "", k->dangling ? "~" : "");
	}
	if (snap->nchunks == 0)
		buf_printf(b, " no chunks yet");
	if (snap->nchunks > 40)
		buf_printf(b, " and %zu more", snap->nchunks - 40);
	if (b->len > 0 && b->s[b->len - 1] == ';')
		b->len--;
	buf_addc(b, '\n');
	snapshot_free(snap);
}

void
compare_say_status(const struct compare *c, struct out *out)
{
	out_printf(out, "compare %s %s: %zu step%s on both", c->ops[0]->short_name,
	    c->ops[1]->short_name, c->n, c->n == 1 ? "" : "s");
	if (c->first != 0)
		out_printf(out, "; they first place a block differently at "
		    "step %zu (`%s`)\n", c->first, c->v[c->first - 1].line);
	else
		out_printf(out, "; they place every block alike so far\n");
}

void
compare_say_here(const struct compare *c, const struct session *s,
    struct out *out)
{
	size_t		 at = history_position(s);
	struct buf	 b;
	int		 j;

	if (at > c->n)
		at = c->n;
	out_printf(out, "at step %zu of %zu%s\n", at, c->n, at == 0 ?
	    ": nothing done yet" : "");
	if (at > 0)
		compare_say_step(c, at, out);
	buf_init(&b);
	for (j = 0; j < 2; j++)
		say_heap(c, j, &b);
	out_write(out, OUT_TEXT, b.s, b.len);
	buf_free(&b);
}
