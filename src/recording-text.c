/*
 * recording-text.c -- a recording's events in words: a call as C
 * ("malloc(32)"), where in the program it came from ("by libc's stdio
 * buffer (printf)"), the cause a system call is given while the program
 * runs (recording-run.c), and a step's line when the trace engine asks
 * for one.  It reads only the recording's own records, so the runner and
 * the replay (recording.c) both sit under it, never around it.
 */
#include <stdio.h>
#include <string.h>

#include "events.h"
#include "out.h"
#include "preload.h"
#include "recording.h"
#include "recording-internal.h"

#define X(v)		((unsigned long long)(v))

static const char *
call_name(unsigned kind)
{
	static const char *const names[HVP_NKINDS] = {
		[HVP_MALLOC] = "malloc", [HVP_CALLOC] = "calloc",
		[HVP_REALLOC] = "realloc", [HVP_FREE] = "free",
		[HVP_POSIX_MEMALIGN] = "posix_memalign",
		[HVP_MEMALIGN] = "memalign",
		[HVP_ALIGNED_ALLOC] = "aligned_alloc",
		[HVP_VALLOC] = "valloc", [HVP_PVALLOC] = "pvalloc",
		[HVP_SBRK] = "sbrk", [HVP_BRK] = "brk",
	};

	return kind < HVP_NKINDS && names[kind] != NULL ? names[kind] : "?";
}

/* "malloc(32)", "realloc(0x5555555592a0, 64)", "sbrk(-32)" */
static void
call_text(char *b, size_t len, unsigned kind, const uint64_t *a)
{
	const char	*n = call_name(kind);

	switch (kind) {
	case HVP_MALLOC:
	case HVP_VALLOC:
	case HVP_PVALLOC:
		snprintf(b, len, "%s(%llu)", n, X(a[0]));
		break;
	case HVP_CALLOC:
	case HVP_POSIX_MEMALIGN:
	case HVP_MEMALIGN:
	case HVP_ALIGNED_ALLOC:
		snprintf(b, len, "%s(%llu, %llu)", n, X(a[0]), X(a[1]));
		break;
	case HVP_REALLOC:
		snprintf(b, len, "%s(0x%llx, %llu)", n, X(a[0]), X(a[1]));
		break;
	case HVP_FREE:
	case HVP_BRK:
		snprintf(b, len, "%s(0x%llx)", n, X(a[0]));
		break;
	case HVP_SBRK:
		if ((int64_t)a[0] < 0)
			snprintf(b, len, "sbrk(-%lld)", -(long long)a[0]);
		else
			snprintf(b, len, "sbrk(%lld)", (long long)a[0]);
		break;
	default:
		snprintf(b, len, "%s()", n);
		break;
	}
}

/* libc functions that call malloc on a program's behalf, in words. */
static const struct {
	const char	*symbol, *what;
} libc_callers[] = {
	{ "_IO_file_doallocate", "libc's stdio buffer (printf)" },
	{ "_IO_doallocbuf", "libc's stdio buffer (printf)" },
	{ "__fopen_internal", "fopen's FILE" },
	{ "_IO_new_fopen", "fopen's FILE" },
	{ "fopen", "fopen's FILE" },
	{ "fdopen", "fdopen's FILE" },
	{ "opendir", "opendir" },
	{ "__alloc_dir", "opendir" },
	{ "setlocale", "setlocale" },
	{ "strdup", "strdup" },
	{ "__strdup", "strdup" },
	{ "getline", "getline" },
	{ "getdelim", "getline" },
	{ "qsort_r", "qsort" },
};

/* Where a call came from: "in PROG", "by libc's stdio buffer (printf)". */
static void
call_where(const struct recording *rec, char *b, size_t len, unsigned flags,
    const char *object, const char *symbol)
{
	size_t	i;

	if (flags & HVP_F_MAIN) {
		snprintf(b, len, "in %s", rec->prog);
		return;
	}
	for (i = 0; i < sizeof libc_callers / sizeof libc_callers[0]; i++) {
		if (strcmp(symbol, libc_callers[i].symbol) == 0) {
			snprintf(b, len, "by %s", libc_callers[i].what);
			return;
		}
	}
	if (*object != '\0' && *symbol != '\0')
		snprintf(b, len, "in %s (%s)", object, symbol);
	else if (*object != '\0')
		snprintf(b, len, "in %s", object);
	else
		snprintf(b, len, "in %s", rec->prog);
}

void
recording_call_cause(const struct recording *rec, char *b, size_t len, unsigned kind,
    const uint64_t *args, unsigned flags, const char *object,
    const char *symbol)
{
	char	text[64], where[96];
	char	obj[HVP_OBJECT_MAX], sym[HVP_SYMBOL_MAX];

	/* Strings that came from the program: terminate them. */
	memcpy(obj, object, sizeof obj);
	obj[sizeof obj - 1] = '\0';
	memcpy(sym, symbol, sizeof sym);
	sym[sizeof sym - 1] = '\0';
	call_text(text, sizeof text, kind, args);
	call_where(rec, where, sizeof where, flags, obj, sym);
	snprintf(b, len, "%s %s", text, where);
}

/* ---- A step's line, written when asked for. ---- */
/* Event i's line, "p3 = malloc(32) = 0x...   <- in prog", into b. */
static void
event_line(const struct recording *rec, size_t i, char *b,
    size_t len)
{
	const struct rev	*e = &rec->ev[i];
	const struct rext	*x = rev_ext(rec, e);
	const struct rwhere	*w;
	char			 text[64], res[48], where[96], thread[24];
	uint64_t		 args[3];
	struct buf		 lb;

	switch (e->type) {
	case REV_SYSCALL:
		buf_init(&lb);
		sysevent_text(&lb, &rec->log[e->where]);
		buf_printf(&lb, "   <- %s", rec->log[e->where].cause);
		snprintf(b, len, "%s", lb.s);
		buf_free(&lb);
		return;
	case REV_EXEC:
	case REV_END:
		snprintf(b, len, "%s", rec->texts[e->where]);
		return;
	}
	w = &rec->wheres[e->where];
	args[0] = e->a0;
	args[1] = x->a1;
	args[2] = 0;
	call_text(text, sizeof text, e->kind, args);
	if (e->flags & HVP_F_FAILED)
		snprintf(res, sizeof res, " = %s (%s)", e->kind == HVP_BRK ||
		    e->kind == HVP_POSIX_MEMALIGN ? "error" : e->kind ==
		    HVP_SBRK ? "(void *)-1" : "NULL",
		    strerror((int)x->prev_foot));
	else if (e->kind == HVP_FREE)
		res[0] = '\0';
	else if (e->kind == HVP_BRK)
		snprintf(res, sizeof res, " = %lld", (long long)x->result);
	else
		snprintf(res, sizeof res, " = 0x%llx", X(x->result));
	call_where(rec, where, sizeof where, w->flags, w->object, w->symbol);
	thread[0] = '\0';
	if (w->tid != 0)
		snprintf(thread, sizeof thread, " [thread %ld]",
		    (long)w->tid);
	if (e->name != 0)
		snprintf(b, len, "p%u = %s%s   <- %s%s", e->name, text, res,
		    where, thread);
	else
		snprintf(b, len, "%s%s   <- %s%s", text, res, where, thread);
}

/* The line the views show as the last command, at the current step. */
void
recording_last(struct recording *rec, char *buf, size_t len)
{
	const struct rstate	*st = &rec->cur;

	if (st->step == 0)
		snprintf(buf, len, "%s, as exec started it", rec->prog);
	else
		event_line(rec, st->step - 1, buf, len);
}

/* Step's line, in one of two buffers the recording keeps, in turn. */
const char *
recording_line(struct recording *rec, size_t step)
{
	char	*b;

	if (step == 0 || step > rec->nev)
		return NULL;
	/* Written when asked for; two in turn (diff asks for two). */
	b = rec->line[rec->nline++ & 1];
	event_line(rec, step - 1, b, sizeof rec->line[0]);
	return b;
}
