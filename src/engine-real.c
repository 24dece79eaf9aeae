/*
 * engine-real.c -- the real mode: the allocator runs in a subject process
 * (subject.c) on that process's own brk and mmap, traced from outside
 * (memsrc-subject.c).  Each call is sent to it; its reply brings a copy of
 * the allocator's state back, which is what the views draw.
 *
 * A process can die (a write through a wild pointer, a signal): the engine
 * says so once, keeps the log of what it did, and refuses calls until
 * `restart` starts a new one and replays the history into it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "history.h"
#include "memsrc-subject.h"
#include "session.h"
#include "session-internal.h"
#include "xmalloc.h"

/*
 * With a model that is the C library's own malloc (glibc), real mode is
 * another thing: the subject calls its libc's malloc, calloc, realloc,
 * free and memalign, so its heap is glibc's own, and the model runs here
 * beside it, in step, on memory placed at the subject's very addresses
 * (memsrc_sim_create_at): its heap from the subject's initial break, its
 * state where the subject's main_arena is.  Each call goes to the model
 * first.  What the model refuses -- what glibc would abort on -- is never
 * sent: the subject lives on.  What it accepts is sent, and then the two
 * are compared word for word: the result, the break, main_arena, and for
 * every chunk the words glibc wrote itself (model_ops.words: headers,
 * links, the tcache's counts and entries; not what the program wrote).
 * The views draw the model, whose words were just found equal to the
 * real ones.  The comparison's tally is the engine's verify op.
 *
 * Two things cannot be the same by construction and are learnt instead:
 * tcache_key, drawn at random by the real glibc (it is read from the
 * first chunk the real tcache holds and given to the model), and where
 * the kernel puts a mapping (the model asks, through the hooks below,
 * for the highest gap in the subject's /proc/PID/maps that fits, as
 * Linux's top-down allocator picks it).
 */
struct lockstep {
	struct memsrc	*ms;		/* the model's memory */
	struct model	*m;
	bool		 in_model;	/* the model is at work: its break */
	bool		 key_known;	/* tcache_key learnt from the subject */
	bool		 checked;	/* compared during this command */
	bool		 refused;	/* the model refused: not sent */
	bool		 sbrked;	/* a command moved the break */
	bool		 same;		/* this command's comparison agreed */
	char		 what[300];	/* ... or its first difference */
	struct engine_verify v;
	/* Blocks the two placed apart, after a divergence: the subject is
	 * handed its own address for them, so it is not made to crash. */
	struct apart {
		uint64_t	 model, real;
	}		*apart;
	size_t		 napart, capapart;
};

/* What the engine keeps of the subject's end. */
struct real {
	bool		 death_told;	/* its end was said */
	bool		 refused;	/* a call found it gone */
	struct memsrc	*sub;		/* the subject */
	struct lockstep	*lock;		/* with a libc model: the model */
};

static struct real *
real_of(const struct session *s)
{
	return s->eng_data;
}

static struct memsrc *
sub_of(const struct session *s)
{
	return real_of(s)->sub;
}

/* ---- Where the subject's kernel would put a mapping. ---- */

#define MAX_RANGES	1024

struct range {
	uint64_t	lo, hi;
};

/* The subject's mappings above its break, in address order (not the
 * stack, nor anything above it). */
static size_t
mmap_area(struct memsrc *sub, struct range *r, size_t max)
{
	char		 path[64], line[512];
	FILE		*f;
	size_t		 n = 0;
	uint64_t	 brk = memsrc_break(sub);

	snprintf(path, sizeof path, "/proc/%ld/maps",
	    memsrc_subject_pid(sub));
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	while (n < max && fgets(line, sizeof line, f) != NULL) {
		unsigned long long	lo, hi;

		if (sscanf(line, "%llx-%llx", &lo, &hi) != 2)
			continue;
		if (strstr(line, "[stack]") != NULL)
			break;
		if (lo < brk)
			continue;
		r[n].lo = lo;
		r[n].hi = hi;
		n++;
	}
	fclose(f);
	return n;
}

/*
 * Linux's top-down choice: the highest gap between the mappings below
 * the libraries that fits len, else just below the lowest.  A mapping
 * growing (old) stays where the pages above it are free.
 */
static uint64_t
lock_place(void *ctx, uint64_t old, size_t oldlen, size_t len)
{
	struct session	*s = ctx;
	struct range	 r[MAX_RANGES];
	size_t		 n = mmap_area(sub_of(s), r, MAX_RANGES), i;

	if (n == 0)
		return 0;
	if (old != 0) {
		for (i = 0; i < n; i++)
			if (r[i].lo < old + len && old + oldlen < r[i].hi)
				break;
		if (i == n)
			return old;
	}
	for (i = n - 1; i > 0; i--)
		if (r[i].lo - r[i - 1].hi >= len)
			return r[i].lo - len;
	return r[0].lo >= len ? r[0].lo - len : 0;
}

/* The break moved by a command (sbrk, brk): the subject's moves too. */
static int
lock_sbrk(void *ctx, intptr_t incr)
{
	struct session	*s = ctx;

	if (real_of(s)->lock->in_model || incr == 0)
		return 0;	/* the model's own, or only asking where */
	real_of(s)->lock->sbrked = true;
	if (memsrc_subject_call(sub_of(s), SUBJ_SBRK, (uint64_t)incr, 0, 0,
	    NULL, 0) == -1) {
		if (errno == ESRCH)
			real_of(s)->refused = true;
		return -1;
	}
	return 0;
}

static size_t
lock_mappings(void *ctx, struct mapping *out, size_t max)
{
	struct session	*s = ctx;

	return memsrc_mappings(sub_of(s), out, max);
}

/* The model, fresh, at the (fresh) subject's addresses. */
static int
lock_model(struct session *s, char *err, size_t errlen)
{
	struct lockstep			*l = real_of(s)->lock;
	const struct subj_hello		*h = memsrc_subject_hello(sub_of(s));
	struct memsrc_sim_hooks		 hooks;
	uint64_t			 data_at;
	struct range			 r[MAX_RANGES];
	size_t				 n;

	if (l->m != NULL)
		l->m->ops->destroy(l->m);
	if (l->ms != NULL)
		memsrc_destroy(l->ms);
	l->m = NULL;
	memset(&hooks, 0, sizeof hooks);
	hooks.ctx = s;
	hooks.place = lock_place;
	hooks.sbrk = lock_sbrk;
	hooks.mappings = lock_mappings;
	/* Where main_arena is, or just below the heap if it was not found. */
	data_at = h->main_arena != 0 ? h->main_arena : h->initial_break -
	    2 * SIM_PAGE_SIZE;
	n = mmap_area(sub_of(s), r, MAX_RANGES);
	l->ms = memsrc_sim_create_at(NULL, h->initial_break, data_at,
	    n > 0 ? r[n - 1].hi : 0, &hooks);
	if (l->ms == NULL) {
		snprintf(err, errlen, "cannot place the glibc model at the "
		    "subject's addresses (0x%llx, 0x%llx): heapviz has memory "
		    "of its own there (is it running with address "
		    "randomisation off?)", (unsigned long long)h->initial_break,
		    (unsigned long long)data_at);
		return -1;
	}
	if ((l->m = s->model_ops->create(l->ms)) == NULL) {
		snprintf(err, errlen, "the %s model could not be set up",
		    s->model_ops->short_name);
		return -1;
	}
	l->m->ops->set_hook(l->m, history_on_decision, s);
	l->key_known = false;
	l->napart = 0;
	memset(&l->v, 0, sizeof l->v);
	l->v.allocator = s->model_ops->name;
	s->ms = l->ms;
	s->m = l->m;
	return 0;
}

/* ---- The comparison. ---- */

/* The subject's memory, read once per comparison where it is the heap. */
struct seen {
	struct session	*s;
	struct lockstep	*l;
	uint64_t	 heap;		/* the heap's copy: [heap, heap + len) */
	unsigned char	*copy;
	size_t		 len;
	bool		 differs;
};

static int
real_word(struct seen *w, uint64_t addr, unsigned width, uint64_t *v)
{
	unsigned char	b[8] = { 0 };

	if (addr >= w->heap && addr - w->heap <= w->len &&
	    width <= w->len - (addr - w->heap))
		memcpy(b, w->copy + (addr - w->heap), width);
	else if (memsrc_subject_read(sub_of(w->s), addr, b, width) != 0)
		return -1;
	*v = 0;
	memcpy(v, b, width);
	return 0;
}

static void
differ(struct seen *w, uint64_t addr, const char *field, uint64_t model,
    uint64_t real, bool unreadable)
{
	struct lockstep	*l = w->l;

	if (w->differs)
		return;			/* the first one is what is said */
	w->differs = true;
	if (unreadable)
		snprintf(l->what, sizeof l->what, "at 0x%llx, %s: the model "
		    "holds 0x%llx, the subject has no memory there",
		    (unsigned long long)addr, field,
		    (unsigned long long)model);
	else
		snprintf(l->what, sizeof l->what, "at 0x%llx, %s: the model "
		    "holds 0x%llx, the real glibc 0x%llx",
		    (unsigned long long)addr, field,
		    (unsigned long long)model, (unsigned long long)real);
	if (!l->v.diverged) {
		struct engine_divergence	*d = &l->v.first;

		l->v.diverged = true;
		d->step = history_step(w->s);
		strlcopy(d->line, w->s->exec_line ? w->s->exec_line : "",
		    sizeof d->line);
		d->addr = addr;
		strlcopy(d->field, field, sizeof d->field);
		d->model = model;
		d->real = real;
		d->unreadable = unreadable;
	}
}

/* The words of one chunk (c) or of the state (c NULL). */
static void
compare_words(struct seen *w, const struct model_chunk *c)
{
	struct model		*m = w->l->m;
	struct model_word	 words[160];
	void			*base = c != NULL ? c->addr : NULL;
	size_t			 n, i;
	char			 field[80];

	n = m->ops->words(m, c, &base, words, 160);
	for (i = 0; i < n && i < 160 && !w->differs; i++) {
		const unsigned char *hp = (const unsigned char *)base +
				    words[i].off;
		uint64_t	 addr = memsrc_to_display(w->l->ms, hp);
		uint64_t	 mv = 0, rv = 0;

		memcpy(&mv, hp, words[i].width);
		if (c != NULL)
			snprintf(field, sizeof field, "the %s of the chunk at "
			    "0x%llx", words[i].name, (unsigned long long)
			    memsrc_to_display(w->l->ms, c->addr));
		else
			snprintf(field, sizeof field, "main_arena.%s",
			    words[i].name);
		if (real_word(w, addr, words[i].width, &rv) != 0) {
			differ(w, addr, field, mv, 0, true);
			break;
		}
		if (mv != rv && !w->l->key_known && c != NULL &&
		    strcmp(words[i].name, "key") == 0 && mv ==
		    m->ops->param(m, MODEL_TCACHE_KEY)) {
			/* The real tcache_key, seen for the first time. */
			m->ops->set_param(m, MODEL_TCACHE_KEY, (size_t)rv);
			w->l->key_known = true;
			memcpy(&mv, hp, words[i].width);
		}
		if (mv != rv)
			differ(w, addr, field, mv, rv, false);
	}
}

static void
compare_chunk(void *ctx, const struct model_chunk *c)
{
	compare_words(ctx, c);
}

/*
 * A test hook (HEAPVIZ_TEST_PERTURB=N, documented as such): after the Nth
 * call, before the comparison, the model's word for the size of the chunk
 * it returned (or of top) is made 16 larger, so that the comparison has
 * a difference to find and name.
 */
static void
lock_perturb(struct session *s, uint64_t result)
{
	struct lockstep	*l = real_of(s)->lock;
	const char	*env = getenv("HEAPVIZ_TEST_PERTURB");
	size_t		 size, *word;
	void		*chunk;

	if (env == NULL || strtoul(env, NULL, 10) != l->v.calls + 1)
		return;
	if (result != 0)
		chunk = memsrc_to_host(l->ms, result - 16, 16);
	else
		chunk = l->m->ops->special(l->m, model_top_class(l->m->ops),
		    &size);
	if (chunk == NULL)
		return;
	word = (size_t *)chunk + 1;
	*word += 16;
}

/*
 * After a call both made: the result, the break, main_arena (where it
 * was found), then every chunk's own words.
 */
static void
lock_compare(struct session *s, uint64_t model_result, uint64_t real_result,
    bool counts)
{
	struct lockstep		*l = real_of(s)->lock;
	const struct subj_hello	*h = memsrc_subject_hello(sub_of(s));
	struct seen		 w;
	uint64_t		 mbrk = memsrc_break(l->ms);
	uint64_t		 rbrk = memsrc_break(sub_of(s));
	size_t			 done;

	memset(&w, 0, sizeof w);
	w.s = s;
	w.l = l;
	if (counts)
		lock_perturb(s, model_result);
	l->checked = true;
	l->what[0] = '\0';
	if (model_result != real_result)
		differ(&w, model_result, "the address returned", model_result,
		    real_result, false);
	if (mbrk != rbrk)
		differ(&w, rbrk, "the program break", mbrk, rbrk, false);
	/* The heap in one read, in pieces the subject can send. */
	w.heap = h->initial_break;
	w.len = rbrk > w.heap ? (size_t)(rbrk - w.heap) : 0;
	if (w.len > (64u << 20))
		w.len = 0;		/* too big to copy: word by word */
	w.copy = xmalloc(w.len ? w.len : 1);
	for (done = 0; done < w.len; ) {
		size_t	piece = w.len - done < SUBJ_MAX_DATA ? w.len - done :
			    SUBJ_MAX_DATA;

		if (memsrc_subject_read(sub_of(s), w.heap + done, w.copy +
		    done, piece) != 0) {
			w.len = 0;
			break;
		}
		done += piece;
	}
	if (h->main_arena != 0 && !w.differs)
		compare_words(&w, NULL);
	if (!w.differs)
		l->m->ops->walk(l->m, compare_chunk, &w);
	/*
	 * Every word the allocator owns agrees: what else differs is bytes
	 * no allocator wrote here (the text stdio put in its buffer).  The
	 * views are to show the real bytes, so the model's heap takes them.
	 */
	if (!w.differs && w.len > 0 && w.len == (size_t)(mbrk - w.heap) &&
	    memsrc_to_host(l->ms, w.heap, w.len) != NULL)
		memcpy(memsrc_to_host(l->ms, w.heap, w.len), w.copy, w.len);
	free(w.copy);
	l->same = !w.differs;
	if (counts) {
		l->v.calls++;
		if (l->same)
			l->v.agree++;
	}
}

/* ---- The calls, model first. ---- */

/* The subject's address for a block the model has at d. */
static uint64_t
to_real(struct lockstep *l, uint64_t d)
{
	size_t	i;

	for (i = 0; i < l->napart; i++)
		if (l->apart[i].model == d)
			return l->apart[i].real;
	return d;
}

/* What the two returned for one call: kept when they differ. */
static void
note_apart(struct lockstep *l, uint64_t model, uint64_t real)
{
	size_t	i;

	for (i = 0; i < l->napart; i++)
		if (l->apart[i].model == model) {
			l->apart[i] = l->apart[--l->napart];
			break;
		}
	if (model == real || model == 0 || real == 0)
		return;
	if (l->napart == l->capapart) {
		l->capapart = l->capapart ? l->capapart * 2 : 8;
		l->apart = xreallocarray(l->apart, l->capapart,
		    sizeof *l->apart);
	}
	l->apart[l->napart].model = model;
	l->apart[l->napart].real = real;
	l->napart++;
}

static void
lock_enter(struct lockstep *l)
{
	l->in_model = true;
	errno = 0;
}

static void
lock_leave(struct lockstep *l)
{
	l->in_model = false;
}

/*
 * The model has answered (r, errno err): send the call to the subject too,
 * unless the model refused it, and compare.  Returns the model's answer.
 */
static int64_t
lock_send(struct session *s, int64_t r, int err, enum subj_op op,
    uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct lockstep	*l = real_of(s)->lock;
	int64_t		 rr;
	int		 rerr;

	if ((op == SUBJ_FREE ? r == -1 : r == 0) && err == EINVAL) {
		/* What glibc would abort on (or heapviz's strict check). */
		l->refused = true;
		l->checked = false;
		errno = err;
		return r;
	}
	if (op == SUBJ_FREE || op == SUBJ_REALLOC || op == SUBJ_REALLOCARRAY)
		a0 = to_real(l, a0);
	rr = memsrc_subject_call(sub_of(s), op, a0, a1, a2, NULL, 0);
	rerr = errno;
	if (op != SUBJ_FREE && !(rr == -1 && rerr == ESRCH))
		note_apart(l, (uint64_t)r, (uint64_t)rr);
	if (rr == -1 && rerr == ESRCH) {
		real_of(s)->refused = true;
		errno = ESRCH;
		return op == SUBJ_FREE ? -1 : 0;
	}
	lock_compare(s, (uint64_t)r, (uint64_t)rr, true);
	errno = err;
	return r;
}

static bool
lock_gone(struct session *s)
{
	if (memsrc_subject_death(sub_of(s)) == NULL)
		return false;
	real_of(s)->refused = true;
	errno = ESRCH;
	return true;
}

static void *
lock_ptr(struct session *s, void *p, int err, enum subj_op op, uint64_t a0,
    uint64_t a1, uint64_t a2)
{
	return (void *)(uintptr_t)lock_send(s, (int64_t)session_disp(s, p),
	    err, op, a0, a1, a2) == NULL ? NULL : p;
}

static void *
lock_malloc(struct session *s, size_t n)
{
	struct lockstep	*l = real_of(s)->lock;
	void		*p;

	if (lock_gone(s))
		return NULL;
	lock_enter(l);
	p = l->m->ops->malloc(l->m, n);
	lock_leave(l);
	return lock_ptr(s, p, errno, SUBJ_MALLOC, n, 0, 0);
}

static void *
lock_calloc(struct session *s, size_t nmemb, size_t size)
{
	struct lockstep	*l = real_of(s)->lock;
	void		*p;

	if (lock_gone(s))
		return NULL;
	lock_enter(l);
	p = l->m->ops->calloc(l->m, nmemb, size);
	lock_leave(l);
	return lock_ptr(s, p, errno, SUBJ_CALLOC, nmemb, size, 0);
}

static void *
lock_realloc(struct session *s, void *old, size_t n)
{
	struct lockstep	*l = real_of(s)->lock;
	uint64_t	 d = session_disp(s, old);
	void		*p;

	if (lock_gone(s))
		return NULL;
	lock_enter(l);
	p = l->m->ops->realloc(l->m, old, n);
	lock_leave(l);
	return lock_ptr(s, p, errno, SUBJ_REALLOC, d, n, 0);
}

static void *
lock_reallocarray(struct session *s, void *old, size_t nmemb, size_t size)
{
	struct lockstep	*l = real_of(s)->lock;
	uint64_t	 d = session_disp(s, old);
	void		*p;

	if (lock_gone(s))
		return NULL;
	lock_enter(l);
	p = l->m->ops->reallocarray(l->m, old, nmemb, size);
	lock_leave(l);
	return lock_ptr(s, p, errno, SUBJ_REALLOCARRAY, d, nmemb, size);
}

static void *
lock_memalign(struct session *s, size_t align, size_t size)
{
	struct lockstep	*l = real_of(s)->lock;
	void		*p;

	if (lock_gone(s))
		return NULL;
	lock_enter(l);
	p = l->m->ops->memalign(l->m, align, size);
	lock_leave(l);
	return lock_ptr(s, p, errno, SUBJ_MEMALIGN, align, size, 0);
}

static int
lock_free(struct session *s, void *p)
{
	struct lockstep	*l = real_of(s)->lock;
	uint64_t	 d = session_disp(s, p);
	int		 r;

	if (lock_gone(s))
		return -1;
	lock_enter(l);
	r = l->m->ops->free(l->m, p);
	lock_leave(l);
	return (int)lock_send(s, r, errno, SUBJ_FREE, d, 0, 0);
}

/* ---- The engine's operations. ---- */

static void	real_stop_parts(struct session *);

static int
real_start(struct session *s, bool aslr, char *err, size_t errlen,
    char *note, size_t notelen)
{
	struct memsrc	*sub;
	struct real	*r;

	sub = memsrc_subject_create(s->log, s->model_ops, aslr, err,
	    errlen, note, notelen);
	if (sub == NULL)
		return -1;
	r = xcalloc(1, sizeof *r);
	r->sub = sub;
	s->eng_data = r;
	if (s->model_ops->libc) {
		const struct subj_hello	*h = memsrc_subject_hello(sub);

		r->lock = xcalloc(1, sizeof *r->lock);
		if (lock_model(s, err, errlen) != 0) {
			real_stop_parts(s);
			return -1;
		}
		if (strcmp(h->libc, "2.36") != 0 && note != NULL) {
			size_t	used = strlen(note);

			snprintf(note + used, notelen - used, "%snote: the "
			    "subject's C library is glibc %s, the model is "
			    "%s: each command's comparison says where the two "
			    "differ", used ? "\n" : "", h->libc,
			    s->model_ops->name);
		}
	} else {
		s->ms = sub;
		s->m = memsrc_subject_model(sub);
		memsrc_subject_set_hook(sub, history_on_decision, s);
	}
	s->hist = history_create();
	/* Step 0, the fresh subject: going back replays from it. */
	history_checkpoint(s, 0);
	return 0;
}
static void
real_stop_parts(struct session *s)
{
	struct real	*r = real_of(s);

	if (r->lock != NULL) {
		if (r->lock->m != NULL)
			r->lock->m->ops->destroy(r->lock->m);
		if (r->lock->ms != NULL)
			memsrc_destroy(r->lock->ms);
		free(r->lock->apart);
		free(r->lock);
	}
	memsrc_destroy(r->sub);
	free(r);
	s->eng_data = NULL;
	s->m = NULL;		/* the subject's copy, or the model, goes */
	s->ms = NULL;
}

static void
real_stop(struct session *s)
{
	history_destroy(s->hist);
	s->hist = NULL;
	real_stop_parts(s);
}

/* One call in the subject; the copy of its allocator is refreshed. */
static int64_t
real_call(struct session *s, enum subj_op op, uint64_t a0, uint64_t a1,
    uint64_t a2, const void *data, size_t len)
{
	int64_t	r = memsrc_subject_call(sub_of(s), op, a0, a1, a2, data, len);
	int	err = errno;

	if (real_of(s)->lock == NULL)
		s->m = memsrc_subject_model(sub_of(s));
	if (r == -1 && err == ESRCH)
		real_of(s)->refused = true;
	errno = err;
	return r;
}

/* A pointer result; NULL with errno ESRCH when the subject is gone. */
static void *
real_ptr(struct session *s, enum subj_op op, uint64_t a0, uint64_t a1,
    uint64_t a2)
{
	int64_t	r = real_call(s, op, a0, a1, a2, NULL, 0);

	return r == -1 ? NULL : (void *)(uintptr_t)r;
}

static void *
real_malloc(struct session *s, size_t n)
{
	if (real_of(s)->lock != NULL)
		return lock_malloc(s, n);
	return real_ptr(s, SUBJ_MALLOC, n, 0, 0);
}

static void *
real_calloc(struct session *s, size_t nmemb, size_t size)
{
	if (real_of(s)->lock != NULL)
		return lock_calloc(s, nmemb, size);
	return real_ptr(s, SUBJ_CALLOC, nmemb, size, 0);
}

static void *
real_realloc(struct session *s, void *p, size_t n)
{
	if (real_of(s)->lock != NULL)
		return lock_realloc(s, p, n);
	return real_ptr(s, SUBJ_REALLOC, (uint64_t)(uintptr_t)p, n, 0);
}

static void *
real_reallocarray(struct session *s, void *p, size_t nmemb, size_t size)
{
	if (real_of(s)->lock != NULL)
		return lock_reallocarray(s, p, nmemb, size);
	return real_ptr(s, SUBJ_REALLOCARRAY, (uint64_t)(uintptr_t)p, nmemb,
	    size);
}

/* The dlmalloc subject has no memalign: ENOSYS. */
static void *
real_memalign(struct session *s, size_t align, size_t size)
{
	if (real_of(s)->lock != NULL)
		return lock_memalign(s, align, size);
	errno = ENOSYS;
	return NULL;
}

static int
real_free(struct session *s, void *p)
{
	if (real_of(s)->lock != NULL)
		return lock_free(s, p);
	return (int)real_call(s, SUBJ_FREE, (uint64_t)(uintptr_t)p, 0, 0,
	    NULL, 0);
}

static int
real_tune(struct session *s, enum session_tunable key, size_t value)
{
	struct lockstep	*l = real_of(s)->lock;
	enum subj_key	 k = key == SESSION_MMAP_THRESHOLD ?
			    SUBJ_KEY_MMAP_THRESHOLD :
			    key == SESSION_TRIM_THRESHOLD ?
			    SUBJ_KEY_TRIM_THRESHOLD : SUBJ_KEY_CHECKS;

	if (key == SESSION_MXFAST || key == SESSION_MMAP_MAX) {
		errno = ENOTSUP;	/* not sent to a subject (yet) */
		return -1;
	}
	if (l != NULL) {
		enum model_param	p = key == SESSION_MMAP_THRESHOLD ?
					    MODEL_MMAP_THRESHOLD :
					    key == SESSION_TRIM_THRESHOLD ?
					    MODEL_TRIM_THRESHOLD : MODEL_CHECKS;

		/* The model's answer stands: mallopt's, or heapviz's checks;
		 * what glibc would abort on is not sent. */
		if (l->m->ops->set_param(l->m, p, value) != 0) {
			l->refused = errno == ECANCELED;
			return -1;
		}
		if (key == SESSION_CHECKS)
			return 0;
		/* `set X 0` is heapviz's "the default": glibc's own value. */
		value = l->m->ops->param(l->m, p);
		if (real_call(s, SUBJ_SET, k, value, 0, NULL, 0) == -1)
			return -1;
		/* mallopt consolidates the fastbins first: compare. */
		lock_compare(s, 0, 0, false);
		return 0;
	}
	return real_call(s, SUBJ_SET, k, value, 0, NULL, 0) == -1 ? -1 : 0;
}

/* The subject writes, mapped or not, and lives with it; with a model
 * beside it, the model's memory gets the same bytes where it has them. */
static int
real_poke(struct session *s, uint64_t addr, const void *bytes, size_t len)
{
	struct lockstep	*l = real_of(s)->lock;
	size_t		 done, piece;
	void		*host;

	if (l != NULL && (host = memsrc_to_host(l->ms, addr, len)) != NULL)
		memcpy(host, bytes, len);
	for (done = 0; done < len; done += piece) {
		piece = len - done < SUBJ_MAX_TEXT ? len - done : SUBJ_MAX_TEXT;
		if (real_call(s, SUBJ_WRITE, addr + done, 0, 0,
		    (const char *)bytes + done, piece) == -1)
			return -1;
	}
	if (l != NULL)
		lock_compare(s, 0, 0, false);
	return 0;
}

/*
 * The program's printf.  With the model beside it, the model first
 * mallocs what stdio will malloc for stdout's buffer (its size as the
 * subject's stdout has it), bound to a name no command can type.
 */
static int64_t
real_printf(struct session *s, const char *text, size_t len,
    struct out *out)
{
	struct lockstep	*l = real_of(s)->lock;
	char		 buf[4096];
	size_t		 n;
	int64_t		 r;
	int		 err;
	void		*p = NULL;

	if (l != NULL && !s->stdio_ready) {
		uint64_t	size = memsrc_subject_hello(sub_of(s))->
				    stdout_buffer;

		if (lock_gone(s))
			return -1;
		lock_enter(l);
		p = l->m->ops->malloc(l->m, (size_t)size);
		lock_leave(l);
		if (p == NULL) {
			l->refused = errno == EINVAL;
			return -1;
		}
		session_bind(s, "libc:stdout", session_disp(s, p),
		    (size_t)size);
	}
	r = real_call(s, SUBJ_PRINTF, 0, 0, 0, text, len);
	err = errno;
	while ((n = memsrc_subject_output(sub_of(s), buf, sizeof buf)) > 0)
		out_write(out, OUT_PROGRAM, buf, n);
	if (l != NULL && !(r == -1 && err == ESRCH))
		lock_compare(s, 0, 0, p != NULL);
	errno = err;
	return r;
}

static const char *
real_death(const struct session *s)
{
	return memsrc_subject_death(sub_of(s));
}

/* The subject died: says so through out (true), or not (false). */
static bool
real_dead(struct session *s, struct out *out)
{
	const char	*death = memsrc_subject_death(sub_of(s));

	if (death == NULL)
		return false;
	out_kprintf(out, OUT_ERROR, "the subject is not running (it %s); "
	    "`restart` starts it again, `mode sim` leaves real mode\n", death);
	return true;
}

/* What the comparison of this command found, said once after it. */
static void
lock_tell(struct session *s, struct out *out)
{
	struct lockstep	*l = real_of(s)->lock;

	if (l == NULL)
		return;
	if (l->sbrked && !l->refused) {
		/* The break the command moved: compared once it has. */
		lock_compare(s, 0, 0, false);
	}
	l->sbrked = false;
	if (l->refused)
		out_printf(out, "real glibc: not asked -- the model says glibc "
		    "would abort here, so the subject was spared the call and "
		    "lives on\n");
	else if (l->checked && l->same)
		out_printf(out, "real glibc: verified against the real glibc "
		    "(%lu of %lu calls agree)\n", l->v.agree, l->v.calls);
	else if (l->checked)
		out_kprintf(out, OUT_ERROR, "real glibc: differs %s\n",
		    l->what);
	l->refused = l->checked = false;
}

/*
 * After a command: if the subject died under it, say so once, with what
 * it printed, and take the command back from the history (its log lines
 * stay, to show what happened); a later command that needed it is refused.
 * True when the command failed for want of a subject.
 */
static bool
real_after(struct session *s, struct out *out, const char *line)
{
	const char	*death;
	char		 buf[4096];
	size_t		 n;
	bool		 refused = real_of(s)->refused;

	real_of(s)->refused = false;
	if ((death = memsrc_subject_death(sub_of(s))) == NULL) {
		lock_tell(s, out);
		return false;
	}
	if (real_of(s)->lock != NULL)
		real_of(s)->lock->checked = real_of(s)->lock->refused = false;
	history_cancel(s);	/* no step happened: the subject died */
	if (real_of(s)->death_told) {
		if (refused)
			real_dead(s, out);
		return refused;
	}
	real_of(s)->death_told = true;
	while ((n = memsrc_subject_output(sub_of(s), buf, sizeof buf)) > 0)
		out_write(out, OUT_PROGRAM, buf, n);
	out_kprintf(out, OUT_ERROR, "the subject (pid %ld) %s during `%s`\n",
	    memsrc_subject_pid(sub_of(s)), death, line);
	if (real_of(s)->lock != NULL)
		out_kprintf(out, OUT_ERROR, "  the glibc model did not see "
		    "that coming: it differs from the real glibc here\n");
	out_kprintf(out, OUT_ERROR, "  heapviz carries on: the views show "
	    "the heap as it was before that command, and the log keeps what "
	    "the subject did\n");
	out_kprintf(out, OUT_ERROR, "  `restart` starts a new subject and "
	    "replays the %u step%s before it; `mode sim` goes back to the "
	    "simulation\n", history_step(s), history_step(s) == 1 ? "" : "s");
	return true;
}

static long
real_pid(const struct session *s)
{
	return memsrc_subject_pid(sub_of(s));
}

/*
 * A real process cannot be put back: the only checkpoint is step 0, a
 * fresh subject, and going back replays from it (with address
 * randomisation off, to the same addresses).  The model beside it starts
 * afresh with it.
 */
static int
real_rewind(struct session *s, struct out *out)
{
	char	err[256];

	if (memsrc_subject_restart(sub_of(s), err, sizeof err) != 0) {
		out_kprintf(out, OUT_ERROR, "cannot start a new subject: %s\n",
		    err);
		return -1;
	}
	if (real_of(s)->lock != NULL) {
		if (lock_model(s, err, sizeof err) != 0) {
			out_kprintf(out, OUT_ERROR, "%s\n", err);
			return -1;
		}
	} else
		s->m = memsrc_subject_model(sub_of(s));
	real_of(s)->death_told = false;
	return 0;
}

static int
real_restart(struct session *s, struct out *out)
{
	if (history_replay_from_start(s, history_step(s), out) != 0)
		return -1;
	real_of(s)->death_told = false;
	return 0;
}

static bool
real_aslr(const struct session *s)
{
	return memsrc_subject_aslr(sub_of(s));
}

static void
real_describe(struct session *s, struct out *out, bool fresh)
{
	struct memsrc	*sub = sub_of(s);
	const char	*death = memsrc_subject_death(sub);
	char		 arena[64];

	if (fresh)
		out_printf(out, "mode real: a fresh heap in subject process "
		    "%ld, %s; its break starts at 0x%llx\n",
		    memsrc_subject_pid(sub), memsrc_subject_traced(sub) ?
		    "traced with ptrace" : "untraced",
		    (unsigned long long)sub->initial_break);
	else
		out_printf(out, "mode real: the allocator runs in subject "
		    "process %ld (%s, address randomisation %s)%s%s\n",
		    memsrc_subject_pid(sub), memsrc_subject_traced(sub) ?
		    "traced with ptrace" : "not traced: ptrace is refused here",
		    memsrc_subject_aslr(sub) ? "on" : "off",
		    death ? "; it " : "", death ? death : "");
	if (memsrc_subject_hello(sub)->main_arena != 0)
		snprintf(arena, sizeof arena, "at 0x%llx", (unsigned long long)
		    memsrc_subject_hello(sub)->main_arena);
	else
		snprintf(arena, sizeof arena, "not found in libc's data: "
		    "its links cannot agree");
	if (real_of(s)->lock != NULL)
		out_printf(out, "  it calls its own C library's malloc (glibc "
		    "%s, main_arena %s); the %s model runs beside it and is "
		    "compared with it word for word after each command\n",
		    memsrc_subject_hello(sub)->libc, arena, s->model_ops->name);
}

/* A saved real session replays for real. */
static const char *
real_script_mode(const struct session *s)
{
	return real_aslr(s) ? "mode real --aslr" : "mode real";
}

static void
real_no_memory(char *why, size_t len)
{
	snprintf(why, len, "the kernel refused");
}

/* The tally of the model beside the real glibc, or NULL (dlmalloc). */
static const struct engine_verify *
real_verify(const struct session *s)
{
	const struct lockstep	*l = real_of(s)->lock;

	return l != NULL ? &l->v : NULL;
}

const struct engine_ops engine_real = {
	.name = "real",
	.caps = ENGINE_PROCESS,
	.start = real_start,
	.stop = real_stop,
	.malloc = real_malloc,
	.calloc = real_calloc,
	.realloc = real_realloc,
	.reallocarray = real_reallocarray,
	.memalign = real_memalign,
	.free = real_free,
	.tune = real_tune,
	.poke = real_poke,
	.printf = real_printf,
	.after = real_after,
	.death = real_death,
	.pid = real_pid,
	.rewind = real_rewind,
	.restart = real_restart,
	.aslr = real_aslr,
	.describe = real_describe,
	.script_mode = real_script_mode,
	.no_memory = real_no_memory,
	.verify = real_verify,
};
