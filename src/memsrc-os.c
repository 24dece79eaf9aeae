/*
 * memsrc-os.c -- the memory source of a real process: its own program
 * break and mmap, as dlmalloc's CALL_MORECORE and CALL_MMAP use them.
 *
 * Only the real-mode subject uses it (src/subject.c).  Display addresses
 * are the real ones.  Around each call it makes, the source raises the
 * flag it was given, so that heapviz, tracing the process, can tell the
 * allocator's calls from libc's; and it keeps the calls it made, for when
 * heapviz cannot trace.  No allocation: the source lives in static memory.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "memsrc-os.h"

struct os {
	struct memsrc		 ms;
	volatile uint32_t	*in_call;
	char			*static_area;
	size_t			 static_len, static_used;
	uintptr_t		 heap_start;
	struct memsrc_os_call	*calls;
	size_t			 ncalls, maxcalls, dropped;
};

static struct os	the_os;

static void
note(enum memsrc_call call, int err, int64_t a0, int64_t a1, int64_t a2,
    int64_t result)
{
	struct os		*o = &the_os;
	struct memsrc_os_call	*c;

	if (o->ncalls == o->maxcalls) {
		o->dropped++;
		return;
	}
	c = &o->calls[o->ncalls++];
	c->call = call;
	c->err = err;
	c->args[0] = a0;
	c->args[1] = a1;
	c->args[2] = a2;
	c->result = result;
}

static void *
os_sbrk(struct memsrc *ms, intptr_t incr)
{
	void	*r;

	(void)ms;
	if (incr == 0)
		return sbrk(0);
	*the_os.in_call = 1;
	r = sbrk(incr);
	*the_os.in_call = 0;
	note(MS_SBRK, r == (void *)-1 ? errno : 0, incr, 0, 0,
	    r == (void *)-1 ? -1 : (int64_t)(uintptr_t)r);
	return r == (void *)-1 ? MEMSRC_FAIL : r;
}

static void *
os_mmap(struct memsrc *ms, size_t len)
{
	void	*p;

	(void)ms;
	*the_os.in_call = 1;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	*the_os.in_call = 0;
	note(MS_MMAP, p == MAP_FAILED ? errno : 0, (int64_t)len, 0, 0,
	    p == MAP_FAILED ? -1 : (int64_t)(uintptr_t)p);
	return p == MAP_FAILED ? MEMSRC_FAIL : p;
}

static int
os_munmap(struct memsrc *ms, void *p, size_t len)
{
	int	r;

	(void)ms;
	*the_os.in_call = 1;
	r = munmap(p, len);
	*the_os.in_call = 0;
	note(MS_MUNMAP, r != 0 ? errno : 0, (int64_t)(uintptr_t)p,
	    (int64_t)len, 0, r);
	return r;
}

static void *
os_mremap(struct memsrc *ms, void *old, size_t oldlen, size_t newlen,
    int flags)
{
	void	*p;

	(void)ms;
	*the_os.in_call = 1;
	p = mremap(old, oldlen, newlen, flags);
	*the_os.in_call = 0;
	note(MS_MREMAP, p == MAP_FAILED ? errno : 0, (int64_t)(uintptr_t)old,
	    (int64_t)oldlen, (int64_t)newlen,
	    p == MAP_FAILED ? -1 : (int64_t)(uintptr_t)p);
	return p == MAP_FAILED ? MEMSRC_FAIL : p;
}

static uint64_t
os_to_display(struct memsrc *ms, const void *p)
{
	(void)ms;
	return (uint64_t)(uintptr_t)p;
}

static void *
os_to_host(struct memsrc *ms, uint64_t addr, size_t len)
{
	uintptr_t	brk = (uintptr_t)sbrk(0);

	(void)ms;
	if (addr >= the_os.heap_start && addr <= brk && len <= brk - addr)
		return (void *)(uintptr_t)addr;
	return NULL;
}

static void *
os_static(struct memsrc *ms, size_t size)
{
	struct os	*o = &the_os;
	void		*p;

	(void)ms;
	size = (size + 15) & ~(size_t)15;
	if (size > o->static_len - o->static_used)
		return NULL;
	p = o->static_area + o->static_used;
	o->static_used += size;
	return p;
}

static const struct memsrc_ops os_ops = {
	.name = "real",
	.sbrk = os_sbrk,
	.mmap = os_mmap,
	.munmap = os_munmap,
	.mremap = os_mremap,
	.to_display = os_to_display,
	.to_host = os_to_host,
	.static_area = os_static,
};

struct memsrc *
memsrc_os_create(volatile uint32_t *in_call, void *static_area,
    size_t static_len, struct memsrc_os_call *calls, size_t maxcalls)
{
	struct os	*o = &the_os;

	memset(o, 0, sizeof *o);
	o->ms.ops = &os_ops;
	o->in_call = in_call;
	o->static_area = static_area;
	o->static_len = static_len;
	o->calls = calls;
	o->maxcalls = maxcalls;
	o->heap_start = (uintptr_t)sbrk(0);
	o->ms.initial_break = o->heap_start;
	return &o->ms;
}

size_t
memsrc_os_calls(size_t *dropped)
{
	size_t	n = the_os.ncalls;

	*dropped = the_os.dropped;
	the_os.ncalls = 0;
	the_os.dropped = 0;
	return n;
}

size_t
memsrc_os_static_used(void)
{
	return the_os.static_used;
}
