/* events.c -- the log of memory-source calls. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "out.h"
#include "xmalloc.h"

#define X(v) ((unsigned long long)(v))

struct evlog *
evlog_create(void)
{
	return xcalloc(1, sizeof(struct evlog));
}

void
evlog_destroy(struct evlog *log)
{
	if (log == NULL)
		return;
	free(log->v);
	free(log);
}

void
evlog_set_cause(struct evlog *log, uint32_t step, bool foreign,
    const char *cause)
{
	log->step = step;
	log->foreign = foreign;
	strlcopy(log->cause, cause, sizeof log->cause);
}

void
evlog_add(struct evlog *log, enum memsrc_call call, int nargs,
    const int64_t *args, int64_t result, int err)
{
	struct sysevent	*e;
	int		 i;

	if (log->n == log->cap) {
		log->cap = log->cap ? log->cap * 2 : 64;
		log->v = xreallocarray(log->v, log->cap, sizeof *log->v);
	}
	e = &log->v[log->n++];
	memset(e, 0, sizeof *e);
	e->seq = log->n;
	e->call = call;
	e->nargs = nargs > 6 ? 6 : nargs;
	for (i = 0; i < e->nargs; i++)
		e->args[i] = args[i];
	e->result = result;
	e->err = err;
	e->step = log->step;
	e->foreign = log->foreign;
	memcpy(e->cause, log->cause, sizeof e->cause);
}

void
evlog_set_length(struct evlog *log, size_t n)
{
	if (log->n > log->valid)
		log->valid = log->n;
	if (n <= log->valid)
		log->n = n;
}

void
evlog_drop_future(struct evlog *log)
{
	log->valid = log->n;
}

const char *
evlog_call_name(enum memsrc_call call)
{
	switch (call) {
	case MS_SBRK:
		return "sbrk";
	case MS_BRK:
		return "brk";
	case MS_MMAP:
		return "mmap";
	case MS_MUNMAP:
		return "munmap";
	case MS_MREMAP:
		return "mremap";
	}
	return "?";
}

static const char *
errno_name(int e)
{
	switch (e) {
	case 0:
		return "";
	case 12:
		return "ENOMEM";
	case 22:
		return "EINVAL";
	}
	return "error";
}

/*
 * mmap as the kernel got it, from a trace's six arguments: length and
 * address first (as real mode logs them), then protection, flags, the
 * descriptor and the offset.
 */
static void
mmap_args_text(struct buf *b, const int64_t *a)
{
	int	prot = (int)a[2], flags = (int)a[3];

	if (a[1] == 0)
		buf_printf(b, "mmap(NULL, 0x%llx, ", X(a[0]));
	else
		buf_printf(b, "mmap(0x%llx, 0x%llx, ", X(a[1]), X(a[0]));
	if (prot == 0)
		buf_printf(b, "PROT_NONE");
	else
		buf_printf(b, "%s%s%s%s%s", prot & 1 ? "PROT_READ" : "",
		    prot & 1 && prot & 6 ? "|" : "", prot & 2 ? "PROT_WRITE" :
		    "", prot & 2 && prot & 4 ? "|" : "", prot & 4 ? "PROT_EXEC" :
		    "");
	buf_printf(b, ", %s%s%s%s, %d, 0x%llx)", flags & 2 ? "MAP_PRIVATE" :
	    "MAP_SHARED", flags & 0x10 ? "|MAP_FIXED" : "", flags & 0x20 ?
	    "|MAP_ANONYMOUS" : "", flags & 0x800 ? "|MAP_DENYWRITE" : "",
	    (int)a[4], X(a[5]));
}

void
sysevent_text(struct buf *b, const struct sysevent *e)
{
	const char	*name = evlog_call_name(e->call);

	switch (e->call) {
	case MS_SBRK:
		if (e->args[0] < 0)
			buf_printf(b, "sbrk(-0x%llx)", X(-(uint64_t)e->args[0]));
		else
			buf_printf(b, "sbrk(0x%llx)", X(e->args[0]));
		break;
	case MS_BRK:
		if (e->kernel && e->args[0] == 0)
			buf_printf(b, "brk(NULL)");
		else
			buf_printf(b, "brk(0x%llx)", X(e->args[0]));
		break;
	case MS_MMAP:
		if (e->kernel && e->nargs == 6)	/* a trace: all six */
			mmap_args_text(b, e->args);
		else if (e->kernel && e->nargs > 1 && e->args[1] != 0)
			buf_printf(b, "mmap(0x%llx, 0x%llx)", X(e->args[1]),
			    X(e->args[0]));
		else
			buf_printf(b, "mmap(NULL, 0x%llx)", X(e->args[0]));
		break;
	case MS_MUNMAP:
		buf_printf(b, "munmap(0x%llx, 0x%llx)", X(e->args[0]),
		    X(e->args[1]));
		break;
	case MS_MREMAP:
		if (e->nargs == 5)
			buf_printf(b, "mremap(0x%llx, 0x%llx, 0x%llx, 0x%llx, "
			    "0x%llx)", X(e->args[0]), X(e->args[1]),
			    X(e->args[2]), X(e->args[3]), X(e->args[4]));
		else
			buf_printf(b, "mremap(0x%llx, 0x%llx, 0x%llx, "
			    "MREMAP_MAYMOVE)", X(e->args[0]), X(e->args[1]),
			    X(e->args[2]));
		break;
	default:
		buf_printf(b, "%s()", name);
		break;
	}
	if (e->result == -1)
		buf_printf(b, " = -1 %s", errno_name(e->err));
	else if (e->call == MS_MUNMAP || (e->call == MS_BRK && !e->kernel))
		buf_printf(b, " = %lld", (long long)e->result);
	else
		buf_printf(b, " = 0x%llx", X(e->result));
	if (e->inferred)
		buf_printf(b, " (read off /proc, not traced)");
}
