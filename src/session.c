/*
 * session.c -- the state the interpreter and the commands act on: which
 * engine runs it (engine.h) and its life (start afresh, change mode,
 * leave a trace), the allocator's calls through the engine, the names
 * (names.c), the memory the break covers that is not the allocator's,
 * and the decisions of the step.  The steps themselves are history.c's;
 * running lines is interp.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "model.h"
#include "session.h"
#include "session-internal.h"
#include "xmalloc.h"

/*
 * The engine under a fresh session: the log, then the engine's own (the
 * memory source, the allocator and the history).  -1 with a message in err when it cannot
 * start (a real subject).
 */
static int
engine_init(struct session *s, const struct engine_ops *e, bool aslr,
    char *err, size_t errlen, char *note, size_t notelen)
{
	if (s->model_ops == NULL)
		s->model_ops = model_list[0];
	s->log = evlog_create();
	s->eng = e;
	s->names.next_auto = 1;
	if (e->start(s, aslr, err, errlen, note, notelen) != 0) {
		evlog_destroy(s->log);
		s->log = NULL;
		return -1;
	}
	return 0;
}

/* Everything engine_init made, and all that grew from it. */
static void
engine_fini(struct session *s)
{
	session_leave(s);	/* a trace goes with the engine under it */
	s->eng->stop(s);
	evlog_destroy(s->log);
	s->log = NULL;
	s->names.n = 0;
	names_rehash(&s->names);
	s->nforeign = 0;
	s->stdio_ready = false;
	s->st.ndec = s->st.ndec_prev = 0;
	s->st.step = 0;
	s->st.log_base = s->st.log_mark = s->st.log_mark_prev = 0;
	s->st.last[0] = s->st.last_prev[0] = '\0';
	s->st.dropped = 0;
	s->st.pending = false;
}

struct session *
session_create(void)
{
	struct session	*s = xcalloc(1, sizeof *s);

	engine_init(s, &engine_sim, false, NULL, 0, NULL, 0);
	return s;
}

int
session_set_mode(struct session *s, const struct engine_ops *e, bool aslr,
    struct out *out)
{
	char	err[256], note[1024];

	/* A process runs only a model that can adopt its state, or that is
	 * the C library's malloc (the process calls its own). */
	if ((e->caps & ENGINE_PROCESS) && s->model_ops->adopt == NULL &&
	    !s->model_ops->libc) {
		out_kprintf(out, OUT_ERROR, "mode %s: real mode runs the "
		    "dlmalloc model; the %s model is simulated only "
		    "(`allocator dlmalloc` first)\n", e->name,
		    s->model_ops->short_name);
		return -1;
	}
	note[0] = '\0';
	engine_fini(s);
	if (engine_init(s, e, aslr, err, sizeof err, note,
	    sizeof note) != 0) {
		engine_init(s, &engine_sim, false, NULL, 0, NULL, 0);
		out_kprintf(out, OUT_ERROR, "mode %s: %s\n", e->name, err);
		out_kprintf(out, OUT_ERROR, "  heapviz goes on with a fresh "
		    "simulated heap\n");
		return -1;
	}
	if (note[0] != '\0')
		out_kprintf(out, OUT_NOTE, "%s\n", note);
	return 0;
}

bool
session_model_refused(struct session *s, const struct model_ops *ops,
    struct out *out)
{
	if ((s->eng->caps & ENGINE_PROCESS) && ops->adopt == NULL &&
	    !ops->libc) {
		out_kprintf(out, OUT_ERROR, "allocator %s: real mode runs the "
		    "dlmalloc model; `mode sim` first (the %s model is "
		    "simulated only)\n", ops->short_name, ops->short_name);
		return true;
	}
	return false;
}

int
session_set_model(struct session *s, const struct model_ops *ops,
    struct out *out)
{
	const struct engine_ops	*e = s->eng;

	if (session_model_refused(s, ops, out))
		return -1;
	if (e->caps & ENGINE_RECORDED)
		e = &engine_sim;	/* a recording has no allocator to swap */
	s->model_ops = ops;
	return session_set_mode(s, e, e->aslr != NULL && e->aslr(s), out);
}

const struct engine_ops *
session_engine(const struct session *s)
{
	return s->eng;
}

bool
session_is_in(const struct session *s, const struct engine_ops *e,
    bool aslr)
{
	bool	now = s->eng->aslr != NULL && s->eng->aslr(s);

	return s->eng == e && now == aslr;
}

void
session_leave(struct session *s)
{
	if (s->eng->leave != NULL)
		s->eng->leave(s);
}

/*
 * The allocator's operations, wherever the engine runs it.  A mode that
 * runs no allocator (a recording) refuses them.
 */
#define ENGINE_CALL(s, op, fail, ...) do {				\
	if ((s)->eng->op == NULL) {					\
		errno = EPERM;						\
		return (fail);						\
	}								\
	return (s)->eng->op((s), __VA_ARGS__);				\
} while (0)

void *
session_malloc(struct session *s, size_t n)
{
	ENGINE_CALL(s, malloc, NULL, n);
}

void *
session_memalign(struct session *s, size_t alignment, size_t size)
{
	if (s->eng->memalign != NULL)
		return s->eng->memalign(s, alignment, size);
	if (s->eng->caps & ENGINE_LOCAL)
		return s->m->ops->memalign(s->m, alignment, size);
	errno = ENOSYS;		/* a subject has no such call yet */
	return NULL;
}

void *
session_calloc(struct session *s, size_t nmemb, size_t size)
{
	ENGINE_CALL(s, calloc, NULL, nmemb, size);
}

void *
session_realloc(struct session *s, void *p, size_t n)
{
	ENGINE_CALL(s, realloc, NULL, p, n);
}

void *
session_reallocarray(struct session *s, void *p, size_t nmemb, size_t size)
{
	ENGINE_CALL(s, reallocarray, NULL, p, nmemb, size);
}

int
session_free(struct session *s, void *p)
{
	ENGINE_CALL(s, free, -1, p);
}

int
session_tune(struct session *s, enum session_tunable key, size_t value)
{
	ENGINE_CALL(s, tune, -1, key, value);
}

int
session_poke(struct session *s, uint64_t addr, const void *bytes, size_t len)
{
	ENGINE_CALL(s, poke, -1, addr, bytes, len);
}

int64_t
session_printf_real(struct session *s, const char *text, size_t len,
    struct out *out)
{
	ENGINE_CALL(s, printf, -1, text, len, out);
}

long
session_pid(const struct session *s)
{
	return s->eng->pid != NULL ? s->eng->pid(s) : 0;
}

const char *
session_death(const struct session *s)
{
	return s->eng->death != NULL ? s->eng->death(s) : NULL;
}

int
session_restart(struct session *s, struct out *out)
{
	return s->eng->restart(s, out);
}

void
session_destroy(struct session *s)
{
	if (s == NULL)
		return;
	if (s->watch != NULL && s->watch->destroyed != NULL)
		s->watch->destroyed(s);
	if (s->compare_watch != NULL && s->compare_watch->destroyed != NULL)
		s->compare_watch->destroyed(s);
	engine_fini(s);
	names_free(&s->names);
	free(s->foreign);
	free(s->st.dec);
	free(s->st.dec_prev);
	buf_free(&s->reply);
	free(s);
}

struct binding *
session_lookup(struct session *s, const char *name)
{
	return names_lookup(&s->names, name);
}

struct binding *
session_lookup_mem(struct session *s, uint64_t mem, bool live)
{
	return names_lookup_mem(&s->names, mem, live);
}

struct binding *
session_bind(struct session *s, const char *name, uint64_t mem,
    size_t request)
{
	return names_bind(&s->names, name, mem, request, s->st.step);
}

const char *
session_next_name(struct session *s)
{
	return names_next(&s->names);
}

void
session_mark_freed(struct session *s, uint64_t mem)
{
	names_mark_freed(&s->names, mem, s->st.step);
}

uint64_t
session_disp(struct session *s, const void *p)
{
	return p == NULL ? 0 : memsrc_to_display(s->ms, p);
}

void *
session_host(struct session *s, uint64_t addr, size_t len)
{
	return memsrc_to_host(s->ms, addr, len);
}

void
session_add_foreign(struct session *s, uint64_t start, uint64_t end,
    const char *who)
{
	struct foreign	*f;

	if (s->nforeign > 0) {
		f = &s->foreign[s->nforeign - 1];
		if (f->end == start && strcmp(f->who, who) == 0) {
			f->end = end;
			return;
		}
	}
	if (s->nforeign == s->capforeign) {
		s->capforeign = s->capforeign ? s->capforeign * 2 : 4;
		s->foreign = xreallocarray(s->foreign, s->capforeign,
		    sizeof *s->foreign);
	}
	f = &s->foreign[s->nforeign++];
	f->start = start;
	f->end = end;
	snprintf(f->who, sizeof f->who, "%s", who);
}

void
session_foreign_trim(struct session *s, uint64_t brk)
{
	size_t	i;

	for (i = s->nforeign; i > 0; i--) {
		struct foreign	*f = &s->foreign[i - 1];

		if (f->start >= brk) {
			memmove(f, f + 1, (s->nforeign - i) * sizeof *f);
			s->nforeign--;
		} else if (f->end > brk)
			f->end = brk;
	}
}

uint64_t
session_break_floor(struct session *s)
{
	struct model_segment	 segs[64];
	uint64_t		 floor = s->ms->initial_break;
	size_t			 i, n;

	n = s->m->ops->segments(s->m, segs, 64);
	for (i = 0; i < n && i < 64; i++) {
		uint64_t	end = session_disp(s, segs[i].base) +
				    segs[i].size;

		/* Only segments under the break (not mmapped ones) count. */
		if (end <= memsrc_break(s->ms) && end > floor)
			floor = end;
	}
	for (i = 0; i < s->nforeign; i++) {
		if (strcmp(s->foreign[i].who, "sbrk command") != 0 &&
		    s->foreign[i].end > floor)
			floor = s->foreign[i].end;
	}
	return floor;
}

/* ---- What the session holds. ---- */

struct model *
session_model(const struct session *s)
{
	return s->m;
}

struct memsrc *
session_memsrc(const struct session *s)
{
	return s->ms;
}

struct evlog *
session_log(const struct session *s)
{
	return s->log;
}

const struct model_ops *
session_model_ops(const struct session *s)
{
	return s->model_ops;
}

const struct model_ops *
session_pinned(const struct session *s)
{
	return s->pinned;
}

void
session_pin(struct session *s, const struct model_ops *ops)
{
	s->pinned = ops;
}

const struct names *
session_names(const struct session *s)
{
	return &s->names;
}

const struct foreign *
session_foreign(const struct session *s, size_t *n)
{
	*n = s->nforeign;
	return s->foreign;
}

bool
session_stdio_ready(const struct session *s)
{
	return s->stdio_ready;
}

void
session_set_stdio_ready(struct session *s)
{
	s->stdio_ready = true;
}

struct lesson *
session_lesson(const struct session *s)
{
	return s->lesson;
}

void
session_set_lesson(struct session *s, struct lesson *l)
{
	s->lesson = l;
}

void
session_set_watch(struct session *s, const struct session_watch *w)
{
	s->watch = w;
}

bool
session_in_lesson(const struct session *s)
{
	return s->in_lesson;
}

void
session_set_in_lesson(struct session *s, bool in)
{
	s->in_lesson = in;
}

bool
session_ui_panes(const struct session *s)
{
	return s->ui_panes;
}

void
session_ui_set_panes(struct session *s, bool on)
{
	s->ui_panes = on;
}

const char *
session_ui_request(const struct session *s)
{
	return s->ui_request;
}

void
session_ui_set_request(struct session *s, const char *req)
{
	snprintf(s->ui_request, sizeof s->ui_request, "%s", req);
}

struct compare *
session_compare(const struct session *s)
{
	return s->compare;
}

void
session_set_compare(struct session *s, struct compare *c,
    const struct session_watch *w)
{
	s->compare = c;
	s->compare_watch = w;
}

const struct history *
session_history(const struct session *s)
{
	return s->hist;
}

void
session_set_run(struct session *s, session_run_fn *run)
{
	s->run = run;
}

session_run_fn *
session_run(const struct session *s)
{
	return s->run;
}

const char *
session_exec_line(const struct session *s)
{
	return s->exec_line;
}

void
session_set_record(struct session *s, struct out_record *r)
{
	s->record = r;
}

/* The one read of the step's state outside history.c: calling
 * history_replaying from here would tie session.c and history.c in a
 * loop. */
struct out_record *
session_record(const struct session *s)
{
	return s->record != NULL && s->exec_depth == 1 && !s->st.replaying ?
	    s->record : NULL;
}

struct buf *
session_reply(struct session *s)
{
	return &s->reply;
}
