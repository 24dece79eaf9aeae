/* events.c -- the log of memory-source calls. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "xmalloc.h"

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
