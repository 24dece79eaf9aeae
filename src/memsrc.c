/*
 * memsrc.c -- the calls every memory source shares: forwarding to the
 * source's operations and recording each call in the event log.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "memsrc.h"

static void
record(struct memsrc *ms, enum memsrc_call call, int nargs, int64_t a0,
    int64_t a1, int64_t a2, int64_t result, int err)
{
	int64_t	args[3] = { a0, a1, a2 };

	if (ms->log != NULL)
		evlog_add(ms->log, call, nargs, args, result, err);
}

/* A failed call always leaves a reason in errno. */
static void
fail_errno(void)
{
	if (errno == 0)
		errno = ENOMEM;
}

/*
 * Each wrapper leaves errno as it found it when the call succeeds (free()
 * must not change errno, even when it trims) and sets it when it fails.
 */
void *
memsrc_sbrk(struct memsrc *ms, intptr_t incr)
{
	void	*old;
	int	 saved = errno;

	errno = 0;
	old = ms->ops->sbrk(ms, incr);
	if (old == MEMSRC_FAIL) {
		fail_errno();
		record(ms, MS_SBRK, 1, incr, 0, 0, -1, errno);
	} else {
		errno = saved;
		record(ms, MS_SBRK, 1, incr, 0, 0,
		    (int64_t)ms->ops->to_display(ms, old), 0);
	}
	return old;
}

int
memsrc_brk(struct memsrc *ms, uint64_t addr)
{
	uint64_t	 cur = memsrc_break(ms);
	void		*old;
	int		 saved = errno;

	/* brk(2) is sbrk by another name: move by the difference. */
	errno = 0;
	old = ms->ops->sbrk(ms, (intptr_t)(addr - cur));
	if (old == MEMSRC_FAIL) {
		fail_errno();
		record(ms, MS_BRK, 1, (int64_t)addr, 0, 0, -1, errno);
		return -1;
	}
	errno = saved;
	record(ms, MS_BRK, 1, (int64_t)addr, 0, 0, 0, 0);
	return 0;
}

void
memsrc_zero(struct memsrc *ms, void *p, size_t len)
{
	if (ms->ops->zero != NULL)
		ms->ops->zero(ms, p, len);
	else
		memset(p, 0, len);
}

uint64_t
memsrc_break(struct memsrc *ms)
{
	void	*cur = ms->ops->sbrk(ms, 0);

	return ms->ops->to_display(ms, cur);
}

void *
memsrc_mmap(struct memsrc *ms, size_t len)
{
	void	*p;
	int	 saved = errno;

	errno = 0;
	p = ms->ops->mmap(ms, len);
	if (p == MEMSRC_FAIL) {
		fail_errno();
		record(ms, MS_MMAP, 1, (int64_t)len, 0, 0, -1, errno);
	} else {
		errno = saved;
		record(ms, MS_MMAP, 1, (int64_t)len, 0, 0,
		    (int64_t)ms->ops->to_display(ms, p), 0);
	}
	return p;
}

int
memsrc_munmap(struct memsrc *ms, void *addr, size_t len)
{
	uint64_t	disp = ms->ops->to_display(ms, addr);
	int		r, saved = errno;

	errno = 0;
	r = ms->ops->munmap(ms, addr, len);
	if (r != 0) {
		if (errno == 0)
			errno = EINVAL;
	} else
		errno = saved;
	record(ms, MS_MUNMAP, 2, (int64_t)disp, (int64_t)len, 0, r,
	    r ? errno : 0);
	return r;
}

void *
memsrc_mremap(struct memsrc *ms, void *old, size_t oldlen, size_t newlen,
    int flags)
{
	uint64_t	 disp = ms->ops->to_display(ms, old);
	void		*p;
	int		 saved = errno;

	errno = 0;
	p = ms->ops->mremap(ms, old, oldlen, newlen, flags);
	if (p == MEMSRC_FAIL) {
		fail_errno();
		record(ms, MS_MREMAP, 3, (int64_t)disp, (int64_t)oldlen,
		    (int64_t)newlen, -1, errno);
	} else {
		errno = saved;
		record(ms, MS_MREMAP, 3, (int64_t)disp, (int64_t)oldlen,
		    (int64_t)newlen, (int64_t)ms->ops->to_display(ms, p), 0);
	}
	return p;
}

uint64_t
memsrc_to_display(struct memsrc *ms, const void *p)
{
	return ms->ops->to_display(ms, p);
}

void *
memsrc_to_host(struct memsrc *ms, uint64_t addr, size_t len)
{
	return ms->ops->to_host(ms, addr, len);
}

size_t
memsrc_mappings(struct memsrc *ms, struct mapping *out, size_t max)
{
	return ms->ops->mappings(ms, out, max);
}

void *
memsrc_static(struct memsrc *ms, size_t size)
{
	if (ms->ops->static_area == NULL)
		return NULL;
	return ms->ops->static_area(ms, size);
}

size_t
memsrc_ranges(struct memsrc *ms, struct memsrc_range *out, size_t max)
{
	return ms->ops->ranges ? ms->ops->ranges(ms, out, max) : 0;
}

void
memsrc_get_layout(struct memsrc *ms, struct memsrc_layout *l)
{
	l->brk = memsrc_break(ms);
	l->n = 0;
	l->maps = NULL;
	if (ms->ops->get_layout)
		ms->ops->get_layout(ms, l);
}

void
memsrc_set_layout(struct memsrc *ms, const struct memsrc_layout *l)
{
	if (ms->ops->set_layout)
		ms->ops->set_layout(ms, l);
}

void
memsrc_layout_free(struct memsrc_layout *l)
{
	free(l->maps);
	l->maps = NULL;
	l->n = 0;
}

bool
memsrc_identity(struct memsrc *ms)
{
	void	*brk = ms->ops->sbrk(ms, 0);

	return (uint64_t)(uintptr_t)brk == ms->ops->to_display(ms, brk);
}

void
memsrc_destroy(struct memsrc *ms)
{
	if (ms != NULL)
		ms->ops->destroy(ms);
}
