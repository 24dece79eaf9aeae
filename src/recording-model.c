/*
 * recording-model.c -- a traced program's malloc calls replayed through
 * the glibc model, and every address it gives compared with the real one.
 *
 * The program ran on glibc, so the glibc model, started at the program's
 * own initial break and handed the program's own mappings (memsrc-replay.c),
 * should place every block where the program's malloc did.  Replaying
 * the recording from its first event:
 *
 *   - a malloc-family call of the main thread is made on the model; what
 *     it returns is compared with what the program got (a free or a
 *     realloc of a block the model never gave out is not a call the model
 *     can make: it stands for a block of another thread's arena);
 *   - the program's own sbrk and brk move the model's break too, as they
 *     moved the program's (a foreign sbrk the model must live with);
 *   - a call of another thread lands in that thread's arena: it is not
 *     modelled, its blocks are remembered as the thread's;
 *   - an exec starts a new program: the model starts afresh at its break.
 *
 * The first call whose address differs ends the model's account: from
 * there on its heap is not the program's, and the views say so instead of
 * showing bins that are not there.  Why it differed is a guess from what
 * went before (a thread freeing a main-arena block, a block of another
 * arena freed by the main thread, GLIBC_TUNABLES, a mapping the program
 * did not make, a libc that is not 2.36).
 *
 * The first replay runs in a child process started with the trace and fed
 * the records as they come (so that it costs the trace little wall time
 * on a second core), which sends back only the verdict at the end: the
 * model's copy of the program's heap costs heapviz nothing
 * until a view asks for it.  The views ask for the model at the step the
 * session is at: it is replayed from the step it stands at, or from the
 * start when the session went back (a model call takes a fraction of a
 * microsecond: a million events replay in a fraction of a second, and
 * nothing is kept per step).  Only the step shown has its decisions
 * reported (for explain), since reporting costs.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <signal.h>

#include <gnu/libc-version.h>
#include <errno.h>
#include <unistd.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "fdio.h"
#include "memsrc-replay.h"
#include "model.h"
#include "recording.h"
#include "recording-internal.h"
#include "xmalloc.h"

#define X(v)		((unsigned long long)(v))
#define HEAP_SLACK	((size_t)64 << 20)
/* The heap reserved while the trace runs (reserved, not committed). */
#define STREAM_HEAP	(UINT64_C(1) << 36)
/* The largest request a tcache takes (glibc's tcache_max_bytes). */
#define TCACHE_MAX_BYTES	1032

/* Blocks of other threads' arenas, live: an open-addressing set. */
struct aset {
	uint64_t	*v;		/* 0: empty, 1: deleted */
	int32_t		*tid;
	size_t		 cap, n;
};

struct rmodel {
	struct memsrc		*ms;
	struct model		*m;
	size_t			 step;		/* events applied */
	struct aset		 others;
	char			 hint[160];	/* why it may diverge */
	size_t			 hint_step;
	/* What the first replay found. */
	struct rverdict		 v;
	bool			 judged;
	/* The step from which the model is not the program's (SIZE_MAX:
	 * never). */
	size_t			 valid_to;
	struct memsrc_replay_call *want;
	size_t			 capwant;
	/* The decisions of the last event applied (display addresses). */
	struct decision		*dec;
	size_t			 ndec, capdec;
	size_t			 dec_step;	/* whose they are (SIZE_MAX:
						 * none kept) */
	/* Judging as the trace runs (the judge's child): the heaps it
	 * gave the model, each (brk0, the highest break), to check at the
	 * end against the heap_max the whole recording gives. */
	bool			 stream;
	bool			 lost;		/* a heap could not be made */
	uint64_t		(*seg)[2];
	size_t			 nseg, capseg;
};

/* ---- The set of other arenas' blocks. ---- */
static size_t
aset_slot(const struct aset *s, uint64_t a)
{
	return (size_t)((a >> 4) * UINT64_C(0x9e3779b97f4a7c15) >> 20) &
	    (s->cap - 1);
}

static long
aset_find(const struct aset *s, uint64_t a)
{
	size_t	i;

	if (s->cap == 0 || a <= 1)
		return -1;
	for (i = aset_slot(s, a); s->v[i] != 0; i = (i + 1) & (s->cap - 1))
		if (s->v[i] == a)
			return (long)i;
	return -1;
}

static void
aset_add(struct aset *s, uint64_t a, int32_t tid)
{
	size_t	i;

	if (a <= 1 || aset_find(s, a) >= 0)
		return;
	if ((s->n + 1) * 2 > s->cap) {
		struct aset	old = *s;

		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xcalloc(s->cap, sizeof *s->v);
		s->tid = xcalloc(s->cap, sizeof *s->tid);
		s->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.v[i] > 1)
				aset_add(s, old.v[i], old.tid[i]);
		free(old.v);
		free(old.tid);
	}
	for (i = aset_slot(s, a); s->v[i] > 1; i = (i + 1) & (s->cap - 1))
		;
	s->v[i] = a;
	s->tid[i] = tid;
	s->n++;
}

static void
aset_del(struct aset *s, long i)
{
	if (i >= 0)
		s->v[i] = 1;
}

/* ---- Replaying. ---- */

/* The call as C, "malloc(100)", from its cause "malloc(100) in prog". */
static void
call_only(const struct recording *rec, const struct rev *e, char *b,
    size_t len)
{
	const struct rwhere	*w = &rec->wheres[e->where];
	uint64_t		 args[3] = { e->a0, rev_ext(rec, e)->a1, 0 };
	char			*cut;

	recording_call_cause(rec, b, len, e->kind, args, e->flags, w->object,
	    w->symbol);
	if ((cut = strstr(b, ") ")) != NULL)
		cut[1] = '\0';
}

static uint64_t
heap_max(const struct recording *rec, uint64_t brk0)
{
	uint64_t	hi = brk0;
	size_t		i;

	for (i = 0; i < rec->nmarks; i++)
		if (rec->marks[i].brk > hi && rec->marks[i].brk - brk0 <
		    (UINT64_C(1) << 40))
			hi = rec->marks[i].brk;
	return hi - brk0 + HEAP_SLACK;
}

/* The heap the model had, with the highest its break went. */
static void
rm_segment(struct rmodel *rm)
{
	if (rm->nseg == rm->capseg) {
		rm->capseg = rm->capseg ? rm->capseg * 2 : 4;
		rm->seg = xreallocarray(rm->seg, rm->capseg, sizeof *rm->seg);
	}
	rm->seg[rm->nseg][0] = rm->ms->initial_break;
	rm->seg[rm->nseg][1] = memsrc_replay_peak(rm->ms);
	rm->nseg++;
}

/* The model's hook: keep each decision of the event, as the views
 * name them. */
static void
rm_on_decision(void *ctx, const struct model_event *ev)
{
	struct rmodel	*rm = ctx;
	struct decision	*d;

	if (rm->ndec == rm->capdec) {
		rm->capdec = rm->capdec ? rm->capdec * 2 : 16;
		rm->dec = xreallocarray(rm->dec, rm->capdec, sizeof *rm->dec);
	}
	d = &rm->dec[rm->ndec++];
	d->kind = ev->kind;
	d->chunk = ev->chunk ? memsrc_to_display(rm->ms, ev->chunk) : 0;
	d->size = ev->size;
	d->other = ev->other ? memsrc_to_display(rm->ms, ev->other) : 0;
	d->other_size = ev->other_size;
	d->bin_class = ev->bin_class;
	d->bin = ev->bin;
	d->why = ev->why;
}

static void
rm_fresh(const struct recording *rec, struct rmodel *rm, uint64_t brk0)
{
	uint64_t	max = heap_max(rec, brk0);

	if (rm->stream && rm->ms != NULL)
		rm_segment(rm);
	if (rm->m != NULL)
		rm->m->ops->destroy(rm->m);
	memsrc_destroy(rm->ms);
	rm->m = NULL;
	/* Judging as the trace runs, the marks to come are not known: a
	 * roomy heap, checked at the end (recording_model_judge). */
	if (rm->stream && max < STREAM_HEAP)
		max = STREAM_HEAP;
	rm->ms = memsrc_replay_create(brk0, (size_t)max);
	if (rm->stream && rm->ms == NULL)
		rm->lost = true;
	if (rm->ms != NULL)
		rm->m = model_glibc.create(rm->ms);
	rm->ndec = 0;
	rm->dec_step = SIZE_MAX;
	free(rm->others.v);
	free(rm->others.tid);
	memset(&rm->others, 0, sizeof rm->others);
}

static void
rm_start(const struct recording *rec, struct rmodel *rm)
{
	rm->step = 0;
	rm->hint[0] = '\0';
	rm_fresh(rec, rm, rec->first_heap);
}

/*
 * The mapping calls event i made, from the system calls just before it
 * that name it as their cause.
 */
static size_t
rm_expected(const struct recording *rec, struct rmodel *rm, size_t i)
{
	char	cause[160];
	size_t	j, n = 0;

	if (i == 0 || rec->ev[i - 1].type != REV_SYSCALL)
		return 0;
	{
		const struct rev	*e = &rec->ev[i];
		const struct rwhere	*w = &rec->wheres[e->where];
		uint64_t		 args[3] = { e->a0, rev_ext(rec, e)->a1,
					    0 };

		recording_call_cause(rec, cause, sizeof cause, e->kind, args,
		    e->flags, w->object, w->symbol);
	}
	for (j = i; j > 0 && rec->ev[j - 1].type == REV_SYSCALL; j--)
		;
	for (; j < i; j++) {
		const struct sysevent	*l = &rec->log[rec->ev[j].where];
		struct memsrc_replay_call c;

		if (l->foreign || l->err != 0 ||
		    strncmp(l->cause, cause, sizeof l->cause - 1) != 0)
			continue;
		if (l->call == MS_MMAP && l->args[1] == 0 && l->args[4] == -1) {
			c.call = MS_MMAP;
			c.old = 0;
			c.len = (uint64_t)l->args[0];
		} else if (l->call == MS_MREMAP) {
			c.call = MS_MREMAP;
			c.old = (uint64_t)l->args[0];
			c.len = (uint64_t)l->args[2];
		} else
			continue;
		c.result = (uint64_t)l->result;
		if (n == rm->capwant) {
			rm->capwant = rm->capwant ? rm->capwant * 2 : 8;
			rm->want = xreallocarray(rm->want, rm->capwant,
			    sizeof *rm->want);
		}
		rm->want[n++] = c;
	}
	return n;
}

static void
rm_hint(struct rmodel *rm, size_t step, const char *fmt, long a, long b)
{
	if (rm->hint[0] != '\0')
		return;		/* the first is the likely one */
	snprintf(rm->hint, sizeof rm->hint, fmt, a, b);
	rm->hint_step = step;
}

/* The guess at why event i's call came out elsewhere. */
static void
rm_why(const struct recording *rec, const struct rmodel *rm, char *b,
    size_t len)
{
	const char	*tun = getenv("GLIBC_TUNABLES");
	const char	*ver = gnu_get_libc_version();

	if (rm->hint[0] != '\0')
		snprintf(b, len, "%s", rm->hint);
	else if (strcmp(ver, "2.36") != 0)
		snprintf(b, len, "the C library here is glibc %s; the model "
		    "is 2.36's malloc", ver);
	else if (tun != NULL && strstr(tun, "malloc") != NULL)
		snprintf(b, len, "GLIBC_TUNABLES changes malloc's parameters "
		    "(%s); the model has glibc's defaults", tun);
	else if (!rec->traced && rm->ms != NULL &&
	    memsrc_replay_strays(rm->ms) > 0)
		snprintf(b, len, "ptrace was not permitted, so the program's "
		    "mmap calls were not seen: the model's mappings are not "
		    "the program's");
	else if (rm->ms != NULL && memsrc_replay_strays(rm->ms) > 0)
		snprintf(b, len, "the model mapped memory where the program "
		    "made no such mapping");
	else
		snprintf(b, len, "a call heapviz did not see (mallopt, or "
		    "libc calling its own malloc inside)");
}

/*
 * Count event i's call (judge), and compare: the model did it (ok) and
 * gave got where the program got real.  false: it did not agree.
 */
static bool
rm_count(struct recording *rec, struct rmodel *rm, size_t i, bool judge,
    bool ok, uint64_t got, uint64_t real, const void *p)
{
	const struct rev	*e = &rec->ev[i];
	struct model		*m = rm->m;
	bool			 same = ok && got == real;

	if (judge) {
		rm->v.calls++;
		if (same)
			rm->v.agree++;
	}
	if (same || !judge)
		return same;
	rm->v.diverged = true;
	rm->v.step = i + 1;
	call_only(rec, e, rm->v.call, sizeof rm->v.call);
	rm->v.real = real;
	rm->v.model = got;
	rm->v.refused = !ok;
	if (!ok && e->a0 != 0 && p == NULL)
		snprintf(rm->v.why, sizeof rm->v.why, "0x%llx is no block "
		    "the model gave out", X(e->a0));
	else if (!ok && m->ops->last_error(m) != NULL &&
	    m->ops->last_error(m)->says != NULL)
		snprintf(rm->v.why, sizeof rm->v.why, "the model's glibc "
		    "would abort here (\"%s\"), the program's went on",
		    m->ops->last_error(m)->says);
	else
		rm_why(rec, rm, rm->v.why, sizeof rm->v.why);
	return false;
}

/*
 * Apply event i (step i + 1) to the model.  Returns false when the model
 * stops being the program's there; judge: count and compare (the first
 * replay), else only apply.
 */
static bool
rm_apply(struct recording *rec, struct rmodel *rm, size_t i, bool judge)
{
	const struct rev	*e = &rec->ev[i];
	const struct rext	*x = rev_ext(rec, e);
	const struct rwhere	*w;
	struct model		*m = rm->m;
	const struct model_ops	*ops;
	uint64_t		 real, got = 0;
	void			*p = NULL, *r;
	bool			 failed, refused = false;
	long			 k;

	rm->ndec = 0;
	if (e->type == REV_EXEC) {
		rm_fresh(rec, rm, recording_mark(rec, i + 1)->heap_start);
		return rm->m != NULL;
	}
	if (e->type != REV_CALL || m == NULL)
		return true;
	ops = m->ops;
	w = &rec->wheres[e->where];
	failed = (e->flags & HVP_F_FAILED) != 0;
	real = failed ? 0 : x->result;

	if (w->tid != 0) {
		/* Another thread: its own arena, not modelled. */
		if (e->kind == HVP_FREE || e->kind == HVP_REALLOC) {
			k = aset_find(&rm->others, e->a0);
			if (k >= 0)
				aset_del(&rm->others, k);
			else if (e->a0 != 0 &&
			    (p = memsrc_to_host(rm->ms, e->a0, 1)) != NULL) {
				/*
				 * A block of the main arena.  Too big for a
				 * tcache, it goes back to the main arena as
				 * the model's free would put it; else into
				 * the thread's tcache, out of the model's
				 * sight.
				 */
				if (e->kind == HVP_FREE &&
				    ops->usable_size(m, p) > TCACHE_MAX_BYTES)
					return rm_count(rec, rm, i, judge,
					    ops->free(m, p) == 0, 0, 0, p);
				rm_hint(rm, i + 1, "at step %ld thread %ld "
				    "freed a block of the main arena: it went "
				    "to that thread's tcache, which the model "
				    "does not follow", (long)i + 1, w->tid);
			}
		}
		if (e->kind != HVP_FREE && e->kind != HVP_SBRK &&
		    e->kind != HVP_BRK && !failed)
			aset_add(&rm->others, real, w->tid);
		return true;
	}
	if (e->kind == HVP_SBRK || e->kind == HVP_BRK) {
		/* The program moved the break itself: so does the model's. */
		if (!failed) {
			if (e->kind == HVP_SBRK)
				memsrc_sbrk(rm->ms, (intptr_t)e->a0);
			else
				memsrc_brk(rm->ms, e->a0);
		}
		return true;
	}
	if ((e->kind == HVP_FREE || e->kind == HVP_REALLOC) && e->a0 != 0) {
		k = aset_find(&rm->others, e->a0);
		if (k >= 0) {
			/* A block of another arena. */
			rm_hint(rm, i + 1, "at step %ld the main thread freed "
			    "a block of thread %ld's arena: it went to the "
			    "main thread's tcache, which the model cannot "
			    "hold", (long)i + 1, rm->others.tid[k]);
			aset_del(&rm->others, k);
			if (e->kind == HVP_REALLOC && !failed && real != 0)
				aset_add(&rm->others, real,
				    rm->others.tid[k]);
			return true;
		}
		p = memsrc_to_host(rm->ms, e->a0, 1);
	}
	memsrc_replay_expect(rm->ms, rm->want, rm_expected(rec, rm, i));
	switch (e->kind) {
	case HVP_MALLOC:
		r = ops->malloc(m, e->a0);
		break;
	case HVP_CALLOC:
		r = ops->calloc(m, e->a0, x->a1);
		break;
	case HVP_REALLOC:
		r = e->a0 != 0 && p == NULL ? NULL : ops->realloc(m, p, x->a1);
		refused = e->a0 != 0 && p == NULL;
		break;
	case HVP_FREE:
		refused = (e->a0 != 0 && p == NULL) || ops->free(m, p) != 0;
		r = NULL;
		break;
	case HVP_MEMALIGN:
	case HVP_ALIGNED_ALLOC:
	case HVP_POSIX_MEMALIGN:
		r = ops->memalign(m, e->a0, x->a1);
		break;
	case HVP_VALLOC:
		r = ops->memalign(m, 4096, e->a0);
		break;
	case HVP_PVALLOC:
		r = ops->memalign(m, 4096, (e->a0 + 4095) & ~(uint64_t)4095);
		break;
	default:
		return true;
	}
	if (r != NULL)
		got = memsrc_to_display(rm->ms, r);
	return rm_count(rec, rm, i, judge, !refused, got, real, p);
}
static struct rmodel *
rm_of(struct recording *rec)
{
	if (rec->model == NULL) {
		rec->model = xcalloc(1, sizeof *rec->model);
		rec->model->valid_to = SIZE_MAX;
	}
	return rec->model;
}

/* The whole replay, comparing, in this process. */
static void
judge_here(struct recording *rec, struct rmodel *rm)
{
	size_t	i;

	rm_start(rec, rm);
	rm->judged = true;
	snprintf(rm->v.allocator, sizeof rm->v.allocator, "%s",
	    model_glibc.name);
	for (i = 0; i < rec->nev; i++) {
		if (!rm_apply(rec, rm, i, true)) {
			rm->valid_to = i + 1;
			break;
		}
		rm->step = i + 1;
	}
	/* No call seen (a static binary's malloc is its own): the model's
	 * empty heap would not be the program's. */
	if (rm->v.calls == 0)
		rm->valid_to = 0;
}

/* What the judge's child sends back. */
struct judge_msg {
	struct rverdict	v;
	size_t		valid_to;
};

/* The judge's verdict, sent from a child, or -1. */
static int
judge_send(int fd, const struct rmodel *rm)
{
	struct judge_msg	msg;

	memset(&msg, 0, sizeof msg);
	msg.v = rm->v;
	msg.valid_to = rm->valid_to;
	return fd_write_all(fd, &msg, sizeof msg);
}

/* The verdict from a child's descriptor, into rm; -1 if none came. */
static int
judge_take(int fd, pid_t pid, struct rmodel *rm)
{
	struct judge_msg	msg;
	int			st = fd_read_all(fd, &msg, sizeof msg);

	close(fd);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (st != 0)
		return -1;
	rm->v = msg.v;
	rm->valid_to = msg.valid_to;
	rm->judged = true;
	return 0;
}

/*
 * Judging while the trace runs.  A child forked before the program starts
 * is sent the recording's new parts each time heapviz has taken records
 * from the ring (the same records: events, their second halves, the
 * places, the system calls, the marks), through a pipe the trace never
 * waits on: what the pipe cannot take now goes with the next batch.  The
 * child replays the calls as they come, on the other core, so that at the
 * trace's end only the last batch is left to judge.  At the end the child
 * checks what it could not know at the start: that the heap it gave the
 * model was where the whole recording says the program's began, and that
 * the model's break never went where a heap sized from the whole
 * recording would have refused it.  Otherwise it judges again from the
 * start, as judge_here always does, so the verdict is the same either way.
 */
enum { JF_HEAD, JF_WHERE, JF_LOG, JF_EXT, JF_MARK, JF_EV, JF_END, JF_N };

struct jframe {
	uint32_t	type;
	uint32_t	n;		/* elements, or the bytes of JF_END */
};

struct jend {
	uint64_t	first_heap;
};

/* An event and its second half as the judge needs them (the pipe is the
 * cost: a third of the bytes of struct rev and struct rext). */
struct jev {
	uint8_t		type;		/* JEV_EXT: it has a second half */
	uint8_t		kind;
	uint16_t	flags;
	uint32_t	where;
	uint64_t	a0;
};
#define JEV_EXT		0x80

struct jext {
	uint64_t	a1, result;
};

static struct {
	pid_t		 pid;		/* 0: no child */
	int		 wfd, rfd;
	bool		 broken;	/* the pipe failed: judge at the end */
	bool		 headed;
	size_t		 sent[JF_N];	/* elements queued, by array */
	char		*buf;		/* queued, from off to len */
	size_t		 off, len;
} js;

#define JS_BUF		((size_t)256 << 10)
#define JS_READ		((size_t)1 << 20)
#define JUDGE_NICE	19
/* Events sent at a time, at least, while the trace runs: each batch
 * wakes the child. */
#define JS_BATCH	4096

static size_t
jf_size(unsigned type)
{
	switch (type) {
	case JF_HEAD:	return sizeof(bool);
	case JF_WHERE:	return sizeof(struct rwhere);
	case JF_LOG:	return sizeof(struct sysevent);
	case JF_EXT:	return sizeof(struct jext);
	case JF_MARK:	return sizeof(struct rmark);
	case JF_EV:	return sizeof(struct jev);
	default:	return 1;
	}
}

/* The child's side: append n elements to the array of type. */
static void
jc_append(struct recording *rec, unsigned type, const void *p, size_t n)
{
	static uint32_t	  given;	/* second halves given to events */
	void		**a;
	size_t		 *len, *cap, el, i;

	switch (type) {
	case JF_WHERE:
		a = (void **)&rec->wheres, len = &rec->nwheres,
		    cap = &rec->capwheres, el = sizeof *rec->wheres;
		break;
	case JF_LOG:
		a = (void **)&rec->log, len = &rec->nlog, cap = &rec->caplog,
		    el = sizeof *rec->log;
		break;
	case JF_EXT:
		a = (void **)&rec->ext, len = &rec->next, cap = &rec->capext,
		    el = sizeof *rec->ext;
		break;
	case JF_MARK:
		a = (void **)&rec->marks, len = &rec->nmarks,
		    cap = &rec->capmarks, el = sizeof *rec->marks;
		break;
	default:
		a = (void **)&rec->ev, len = &rec->nev, cap = &rec->capev,
		    el = sizeof *rec->ev;
		break;
	}
	if (*len + n > *cap) {
		*cap = *cap * 2 > *len + n ? *cap * 2 : *len + n + 1024;
		*a = xreallocarray(*a, *cap, el);
	}
	if (type == JF_EXT) {
		const struct jext	*j = p;
		struct rext		*x = &rec->ext[rec->next];

		for (i = 0; i < n; i++) {
			memset(&x[i], 0, sizeof x[i]);
			x[i].a1 = j[i].a1;
			x[i].result = j[i].result;
		}
	} else if (type == JF_EV) {
		const struct jev	*j = p;
		struct rev		*e = &rec->ev[rec->nev];

		/* The second halves come in the events' order. */
		for (i = 0; i < n; i++) {
			memset(&e[i], 0, sizeof e[i]);
			e[i].type = j[i].type & ~JEV_EXT;
			e[i].kind = j[i].kind;
			e[i].flags = j[i].flags;
			e[i].where = j[i].where;
			e[i].a0 = j[i].a0;
			if (j[i].type & JEV_EXT)
				e[i].ext = ++given;
		}
	} else
		memcpy((char *)*a + *len * el, p, n * el);
	*len += n;
}

/* The child's side: replay what has come, from step rm->step on. */
static void
jc_replay(struct recording *rec, struct rmodel *rm, bool *started,
    bool *stopped)
{
	size_t	i;

	if (!*started) {
		/* The heap's start is the first mark's, when it has one
		 * (the end's first_heap then; checked there); else only the
		 * end says, and the judging waits for it. */
		if (rec->nmarks == 0 || rec->marks[0].heap_start == 0)
			return;
		rec->first_heap = rec->marks[0].heap_start;
		rm->stream = true;
		rm_start(rec, rm);
		rm->judged = true;
		snprintf(rm->v.allocator, sizeof rm->v.allocator, "%s",
		    model_glibc.name);
		*started = true;
	}
	for (i = rm->step; !*stopped && i < rec->nev; i++) {
		if (!rm_apply(rec, rm, i, true)) {
			rm->valid_to = i + 1;
			*stopped = true;
			break;
		}
		rm->step = i + 1;
	}
}

/* The child's side: was the judgement made as the whole recording says? */
static bool
jc_sound(const struct recording *rec, struct rmodel *rm, bool started)
{
	size_t	i;

	if (!started || rm->lost)
		return false;
	if (rm->ms != NULL)
		rm_segment(rm);
	if (rm->nseg == 0 || rm->seg[0][0] != rec->first_heap)
		return false;
	for (i = 0; i < rm->nseg; i++)
		if (rm->seg[i][1] > heap_max(rec, rm->seg[i][0]))
			return false;
	return true;
}

/* The child's side: n bytes from the pipe, read a pipe's worth at a
 * time; -1 at its end. */
static int
jc_read(int fd, void *p, size_t n)
{
	static char	*b;
	static size_t	 off, len;
	size_t		 k;
	ssize_t		 r;

	if (b == NULL)
		b = xmalloc(JS_READ);
	while (n > 0) {
		if (off == len) {
			off = len = 0;
			if ((r = read(fd, b, JS_READ)) < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				return -1;
			len = (size_t)r;
		}
		k = len - off < n ? len - off : n;
		memcpy(p, b + off, k);
		p = (char *)p + k;
		off += k;
		n -= k;
	}
	return 0;
}

static void __attribute__((noreturn))
judge_child(const char *prog, int in, int out)
{
	struct recording	*rec = xcalloc(1, sizeof *rec);
	struct rmodel		*rm;
	struct jframe		 f;
	struct jend		 end;
	bool			 started = false, stopped = false;
	char			*p = NULL;
	size_t			 cap = 0, sz;
	int			 prio;

	signal(SIGINT, SIG_IGN);	/* Ctrl-C is the trace's */
	/*
	 * While the trace runs, the child takes only the time the program
	 * and heapviz leave: where they keep both cores busy (a program
	 * that does little but malloc) it would slow them both, and the
	 * events wait in the pipe and in heapviz's arrays instead.  (Back
	 * to heapviz's priority at the end where the system lets it.)
	 */
	prio = getpriority(PRIO_PROCESS, 0);
	(void)setpriority(PRIO_PROCESS, 0, JUDGE_NICE);
	rec->prog = xstrdup(prog);
	rm = rm_of(rec);
	for (;;) {
		if (jc_read(in, &f, sizeof f) != 0)
			_exit(1);	/* heapviz went away */
		sz = (size_t)f.n * jf_size(f.type);
		if (f.type >= JF_N || sz > ((size_t)1 << 30))
			_exit(1);
		if (sz > cap) {
			cap = sz;
			p = xrealloc(p, cap);
		}
		if (sz > 0 && jc_read(in, p, sz) != 0)
			_exit(1);
		if (f.type == JF_END) {
			(void)setpriority(PRIO_PROCESS, 0, prio);
			break;
		}
		if (f.type == JF_HEAD) {
			memcpy(&rec->traced, p, sizeof rec->traced);
			continue;
		}
		jc_append(rec, f.type, p, f.n);
		if (f.type == JF_EV)
			jc_replay(rec, rm, &started, &stopped);
	}
	if (sz != sizeof end)
		_exit(1);
	memcpy(&end, p, sizeof end);
	rec->first_heap = end.first_heap;
	if (!jc_sound(rec, rm, started)) {
		recording_model_free(rec);
		rm = rm_of(rec);
		judge_here(rec, rm);
	} else if (rm->v.calls == 0)
		rm->valid_to = 0;
	_exit(judge_send(out, rm) == 0 ? 0 : 1);
}

void
recording_judge_start(const char *prog)
{
	int	in[2], out[2];

	recording_judge_cancel();	/* a trace's that never ended */
	memset(&js, 0, sizeof js);
	if (pipe2(in, O_CLOEXEC) != 0)
		return;
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		return;
	}
	(void)fcntl(in[1], F_SETPIPE_SZ, 1 << 20);
	if ((js.pid = fork()) < 0) {
		js.pid = 0;
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		return;
	}
	if (js.pid == 0) {
		close(in[1]);
		close(out[0]);
		judge_child(prog, in[0], out[1]);
	}
	close(in[0]);
	close(out[1]);
	js.wfd = in[1];
	js.rfd = out[0];
	(void)fcntl(js.wfd, F_SETFL, O_NONBLOCK);
	js.buf = xmalloc(JS_BUF);
}

/* n elements of array a of type from the first, as the pipe carries
 * them, to b. */
static void
js_copy(unsigned type, char *b, const void *a, size_t first, size_t n)
{
	size_t	i;

	if (type == JF_EXT) {
		const struct rext	*x = (const struct rext *)a + first;
		struct jext		 j;

		for (i = 0; i < n; i++) {
			j.a1 = x[i].a1;
			j.result = x[i].result;
			memcpy(b + i * sizeof j, &j, sizeof j);
		}
	} else if (type == JF_EV) {
		const struct rev	*e = (const struct rev *)a + first;
		struct jev		 j;

		for (i = 0; i < n; i++) {
			j.type = (uint8_t)(e[i].type | (e[i].ext ? JEV_EXT : 0));
			j.kind = e[i].kind;
			j.flags = e[i].flags;
			j.where = e[i].where;
			j.a0 = e[i].a0;
			memcpy(b + i * sizeof j, &j, sizeof j);
		}
	} else
		memcpy(b, (const char *)a + first * jf_size(type),
		    n * jf_size(type));
}

/* Queue a frame of what array type has beyond what was sent; false when
 * the queue had no room for all of it. */
static bool
js_queue(unsigned type, const void *a, size_t have)
{
	size_t	el = jf_size(type), room, n;
	struct jframe f;

	if (js.sent[type] >= have)
		return true;
	if (js.len + sizeof f + el > JS_BUF)
		return false;
	room = (JS_BUF - js.len - sizeof f) / el;
	n = have - js.sent[type];
	if (n > room)
		n = room;
	f.type = type;
	f.n = (uint32_t)n;
	memcpy(js.buf + js.len, &f, sizeof f);
	js_copy(type, js.buf + js.len + sizeof f, a, js.sent[type], n);
	js.len += sizeof f + n * el;
	js.sent[type] += n;
	return js.sent[type] == have;
}

/* Write what is queued; false when the pipe failed.  A child that has
 * gone must not take heapviz with it: no SIGPIPE. */
static bool
js_flush(bool wait)
{
	sigset_t	pipe_set, old;
	struct timespec	now = { 0, 0 };
	ssize_t		w;
	bool		ok = true;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	while (js.off < js.len) {
		w = write(js.wfd, js.buf + js.off, js.len - js.off);
		if (w > 0) {
			js.off += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN && !wait)
			break;
		if (w < 0 && errno == EAGAIN) {
			struct pollfd	pfd = { .fd = js.wfd, .events = POLLOUT };

			(void)poll(&pfd, 1, -1);
			continue;
		}
		if (w < 0 && errno == EPIPE)
			sigtimedwait(&pipe_set, NULL, &now);
		ok = false;
		break;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (ok && js.off == js.len)
		js.off = js.len = 0;
	return ok;
}

/* Queue and write what the child has not had yet, as far as the pipe
 * takes it (all of it: wait). */
static void
js_feed(const struct recording *rec, bool wait)
{
	for (;;) {
		if (js.off == js.len) {
			js.off = js.len = 0;
			if (!js.headed) {
				struct jframe	f = { JF_HEAD, 1 };

				memcpy(js.buf, &f, sizeof f);
				memcpy(js.buf + sizeof f, &rec->traced,
				    sizeof rec->traced);
				js.len = sizeof f + sizeof rec->traced;
				js.headed = true;
			}
			/* What an event names goes before it. */
			if (js_queue(JF_WHERE, rec->wheres, rec->nwheres) &&
			    js_queue(JF_LOG, rec->log, rec->nlog) &&
			    js_queue(JF_EXT, rec->ext, rec->next) &&
			    js_queue(JF_MARK, rec->marks, rec->nmarks))
				(void)js_queue(JF_EV, rec->ev, rec->nev);
		}
		if (js.len == 0)
			return;
		if (!js_flush(wait)) {
			js.broken = true;
			return;
		}
		if (js.off < js.len)
			return;		/* the pipe is full: later */
	}
}

void
recording_judge_feed(const struct recording *rec)
{
	if (js.pid > 0 && !js.broken && (js.off < js.len ||
	    rec->nev - js.sent[JF_EV] >= JS_BATCH))
		js_feed(rec, false);
}

/* The end: the rest, then the verdict.  -1 when the child failed. */
static int
js_finish(struct recording *rec, struct rmodel *rm)
{
	struct jframe	f = { JF_END, sizeof(struct jend) };
	struct jend	end = { rec->first_heap };
	int		st = -1;

	if (!js.broken) {
		(void)fcntl(js.wfd, F_SETFL, 0);
		js_feed(rec, true);
	}
	if (!js.broken) {
		memcpy(js.buf, &f, sizeof f);
		memcpy(js.buf + sizeof f, &end, sizeof end);
		js.off = 0;
		js.len = sizeof f + sizeof end;
		if (!js_flush(true))
			js.broken = true;
	}
	if (!js.broken) {
		close(js.wfd);
		st = judge_take(js.rfd, js.pid, rm);
	} else {
		/* The child, if it is still there, reads the end of its pipe
		 * and goes. */
		close(js.wfd);
		close(js.rfd);
		while (waitpid(js.pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	free(js.buf);
	memset(&js, 0, sizeof js);
	return st;
}

void
recording_judge_cancel(void)
{
	if (js.pid <= 0)
		return;
	close(js.wfd);		/* the child reads the end of its pipe */
	close(js.rfd);
	while (waitpid(js.pid, NULL, 0) < 0 && errno == EINTR)
		;
	free(js.buf);
	memset(&js, 0, sizeof js);
}

/*
 * Judge in a child process, so that the model's copy of the program's
 * heap (tens of MiB for a big program) never adds to heapviz's memory:
 * the views replay it here only if they ask for the model.  The child
 * sends the verdict back through a pipe.  The child started with the
 * trace has judged most of it already; without it (or if it failed), one
 * forked now; where fork fails, here.
 */
void
recording_model_judge(struct recording *rec)
{
	struct rmodel	*rm = rm_of(rec);
	int		 fd[2];
	pid_t		 pid;

	if (js.pid > 0) {
		if (js_finish(rec, rm) == 0)
			return;
		rec->judge_failed = true;
	}
	if (pipe(fd) != 0 || (pid = fork()) < 0) {
		judge_here(rec, rm);
		return;
	}
	if (pid == 0) {
		close(fd[0]);
		judge_here(rec, rm);
		_exit(judge_send(fd[1], rm) == 0 ? 0 : 1);
	}
	close(fd[1]);
	if (judge_take(fd[0], pid, rm) != 0)
		judge_here(rec, rm);	/* the child failed: here, then */
}

const struct rverdict *
recording_verdict(const struct recording *rec)
{
	return rec->model != NULL && rec->model->judged ? &rec->model->v :
	    NULL;
}

struct model *
recording_model_at(struct recording *rec, size_t step,
    struct memsrc **ms)
{
	struct rmodel	*rm = rec->model;

	if (rm == NULL || !rm->judged || step >= rm->valid_to)
		return NULL;
	/* Back, or at the step without its decisions: from the start. */
	if (rm->m == NULL || step < rm->step ||
	    (step == rm->step && step > 0 && rm->dec_step != step))
		rm_start(rec, rm);
	while (rm->m != NULL && rm->step < step) {
		/*
		 * The decisions of the step shown, only: the model's hook
		 * costs (glibc's model walks a fastbin on each free it
		 * reports, to warn of a double free).
		 */
		bool	last = rm->step + 1 == step;

		rm->m->ops->set_hook(rm->m, last ? rm_on_decision : NULL,
		    last ? rm : NULL);
		if (!rm_apply(rec, rm, rm->step, false))
			return NULL;	/* cannot be: it agreed before */
		rm->step++;
		if (last)
			rm->dec_step = step;
	}
	if (rm->m == NULL)
		return NULL;
	*ms = rm->ms;
	return rm->m;
}

const struct decision *
recording_model_decisions(const struct recording *rec, size_t *n)
{
	*n = rec->model != NULL && rec->model->dec_step == rec->model->step ?
	    rec->model->ndec : 0;
	return *n > 0 ? rec->model->dec : NULL;
}

bool
recording_modelled(struct recording *rec, char *why, size_t len)
{
	const struct rverdict	*v = recording_verdict(rec);
	struct memsrc		*ms;
	size_t			 at = rec->cur.step;

	why[0] = '\0';
	if (v == NULL || v->calls == 0)
		return false;
	if (recording_model_at(rec, at, &ms) != NULL)
		return true;
	if (v->diverged && at >= v->step)
		snprintf(why, len, "the %s model follows %s only up to step "
		    "%zu (`goto %zu`): at step %zu %s returned 0x%llx where "
		    "the model's did not (%s)", v->allocator, rec->prog,
		    v->step - 1, v->step - 1, v->step, v->call, X(v->real),
		    v->why);
	return false;
}

void
recording_model_free(struct recording *rec)
{
	struct rmodel	*rm = rec->model;

	if (rm == NULL)
		return;
	if (rm->m != NULL)
		rm->m->ops->destroy(rm->m);
	memsrc_destroy(rm->ms);
	free(rm->others.v);
	free(rm->others.tid);
	free(rm->want);
	free(rm->dec);
	free(rm->seg);
	free(rm);
	rec->model = NULL;
}
