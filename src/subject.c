/*
 * subject.c -- heapviz-subject, the process real mode runs the allocator
 * in.
 *
 * heapviz starts it (src/memsrc-subject.c), traces it, and sends it the
 * user's malloc/free/sbrk/printf as requests (src/subject-proto.h).  Here
 * the allocator core works on this process's own program break and mmap
 * area, so what heapviz shows is the kernel's truth.
 *
 * The rule that makes the printf demo come out right: nothing here may use
 * libc's malloc, or stdio, before the user asks for printf.  glibc's
 * malloc sets itself up on first use by moving the break by 0x21000; the
 * lesson is to watch that happen at the first printf and not before.  So
 * the allocator's state, and the few host-side arrays the core keeps (its
 * segment and mapped-chunk lists, through xmalloc.h), live in one static
 * area in .bss, handed out by a bump allocator below, and every message is
 * read and written with read(2) and write(2).  heapviz copies that area
 * (and the heap) into its own address space at the same addresses after
 * each request, and looks at the allocator there.
 *
 * Started with --libc (real mode with the glibc model), the subject runs
 * no allocator of its own: each request calls the C library's malloc,
 * calloc, realloc, free or memalign, so the heap is glibc's own.  heapviz
 * runs its glibc model beside it and reads this heap to compare.  The same
 * rule holds: nothing here mallocs before the first request, so the first
 * call meets a fresh glibc, exactly as the model does.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* dl_iterate_phdr */
#endif
#include <sys/stat.h>

#include <errno.h>
#include <stdbool.h>
#include <gnu/libc-version.h>
#include <link.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "fdio.h"
#include "memsrc-os.h"
#include "subject-proto.h"
#include "xmalloc.h"

#define AREA_SIZE	(1u << 20)

static char			area[AREA_SIZE] __attribute__((aligned(4096)));
static volatile uint32_t	in_call;
static struct memsrc_os_call	calls[SUBJ_MAX_SYS];
static struct subj_ev		evs[SUBJ_MAX_EV];
static size_t			nev, ev_dropped;
static char			data[SUBJ_MAX_TEXT + 1];
static struct memsrc		*ms;
static bool			 libc_mode;	/* --libc: glibc's malloc */
static uint64_t			 initial_break;

static void __attribute__((noreturn))
die(const char *what)
{
	static const char	pfx[] = "heapviz-subject: ";
	ssize_t			r;

	r = write(2, pfx, sizeof pfx - 1);
	r = write(2, what, strlen(what));
	r = write(2, "\n", 1);
	(void)r;
	_exit(70);
}

/* ---- Host-side memory for the core: a bump allocator in the area. ---- */

struct hdr {
	size_t	size;
	size_t	pad;
};

static void *
bump(size_t size)
{
	struct hdr	*h;

	if (size > AREA_SIZE)
		die("out of room for the allocator's own lists");
	h = memsrc_static(ms, sizeof *h + size);
	if (h == NULL)
		die("out of room for the allocator's own lists");
	h->size = size;
	return h + 1;
}

void *
xmalloc(size_t size)
{
	return bump(size ? size : 1);
}

void *
xcalloc(size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		die("host allocation overflows");
	n *= size;
	return bump(n != 0 ? n : 1);	/* .bss: zero already */
}

void *
xrealloc(void *p, size_t size)
{
	void	*q;

	if (p != NULL && ((struct hdr *)p - 1)->size >= size)
		return p;
	q = bump(size ? size : 1);
	if (p != NULL)
		memcpy(q, p, ((struct hdr *)p - 1)->size);
	return q;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		die("host allocation overflows");
	return xrealloc(p, n * size);
}

char *
xstrndup(const char *s, size_t n)
{
	size_t	len = strlen(s);
	char	*d;

	if (len > n)
		len = n;
	d = bump(len + 1);
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, SIZE_MAX);
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	(void)ret;
	(void)fmt;
	die("xasprintf is not available here");
}

/* ---- Talking to heapviz. ---- */

static void
write_all(const void *p, size_t len)
{
	if (fd_write_all(SUBJ_REPLY_FD, p, len) != 0)
		_exit(0);	/* heapviz has gone */
}

/* 1 with the record, 0 at the end of the requests. */
static int
read_all(void *p, size_t len)
{
	return fd_read_all(SUBJ_CMD_FD, p, len) == 0;
}

static void
on_event(void *ctx, const struct model_event *e)
{
	struct subj_ev	*v;

	(void)ctx;
	if (nev == SUBJ_MAX_EV) {
		ev_dropped++;
		return;
	}
	v = &evs[nev++];
	v->kind = (uint32_t)e->kind;
	v->bin_kind = (int32_t)e->bin_class;
	v->bin = e->bin;
	v->chunk = (uint64_t)(uintptr_t)e->chunk;
	v->size = e->size;
	v->other = (uint64_t)(uintptr_t)e->other;
	v->other_size = e->other_size;
}

static void
reply(struct model *m, int64_t result, int err, const void *extra,
    size_t len)
{
	struct subj_reply	 r;
	struct subj_sys		 sys[SUBJ_MAX_SYS];
	const struct model_error *e = m != NULL ?
				    m->ops->last_error(m) : NULL;
	size_t			 i, n, dropped;

	memset(&r, 0, sizeof r);
	r.result = result;
	r.err = err;
	n = memsrc_os_calls(&dropped);
	for (i = 0; i < n; i++) {
		sys[i].call = (uint32_t)calls[i].call;
		sys[i].err = calls[i].err;
		memcpy(sys[i].args, calls[i].args, sizeof sys[i].args);
		sys[i].result = calls[i].result;
	}
	r.nev = (uint32_t)nev;
	r.nsys = (uint32_t)n;
	r.len = (uint32_t)len;
	r.truncated = (uint32_t)(ev_dropped + dropped);
	r.brk = (uint64_t)(uintptr_t)sbrk(0);
	r.static_used = memsrc_os_static_used();
	if (e != NULL && e->glibc != NULL)
		strlcopy(r.glibc, e->glibc, sizeof r.glibc);
	write_all(&r, sizeof r);
	write_all(evs, nev * sizeof *evs);
	write_all(sys, n * sizeof *sys);
	write_all(extra, len);
	nev = 0;
	ev_dropped = 0;
}

static int64_t
ptr_result(void *p)
{
	return (int64_t)(uintptr_t)p;
}

/*
 * --libc: the C library's own calls.  in_call is up around them, so that
 * heapviz logs the memory calls they make as the allocator's.
 */
static int
serve_libc(const struct subj_req *q, int64_t *result)
{
	void	*p;

	in_call = 1;
	switch (q->op) {
	case SUBJ_MALLOC:
		*result = ptr_result(malloc((size_t)q->a[0]));
		break;
	case SUBJ_CALLOC:
		*result = ptr_result(calloc((size_t)q->a[0], (size_t)q->a[1]));
		break;
	case SUBJ_REALLOC:
		*result = ptr_result(realloc((void *)(uintptr_t)q->a[0],
		    (size_t)q->a[1]));
		break;
	case SUBJ_REALLOCARRAY:
		*result = ptr_result(reallocarray((void *)(uintptr_t)q->a[0],
		    (size_t)q->a[1], (size_t)q->a[2]));
		break;
	case SUBJ_MEMALIGN:
		p = memalign((size_t)q->a[0], (size_t)q->a[1]);
		*result = ptr_result(p);
		break;
	case SUBJ_FREE:
		free((void *)(uintptr_t)q->a[0]);
		*result = 0;
		break;
	case SUBJ_SET:
		/* mallopt, as `set` means it: a threshold set by hand. */
		if (q->a[0] == SUBJ_KEY_MMAP_THRESHOLD)
			*result = mallopt(M_MMAP_THRESHOLD, (int)q->a[1]) ?
			    0 : -1;
		else if (q->a[0] == SUBJ_KEY_TRIM_THRESHOLD)
			*result = mallopt(M_TRIM_THRESHOLD, (int)q->a[1]) ?
			    0 : -1;
		else
			*result = 0;	/* heapviz's own checks: the model's */
		break;
	default:
		in_call = 0;
		return 0;
	}
	in_call = 0;
	return 1;
}

static void
serve(struct model *m, const struct subj_req *q)
{
	int64_t	result = 0;
	void	*p;
	int	 err;

	errno = 0;
	if (libc_mode && serve_libc(q, &result)) {
		bool	ptr = q->op <= SUBJ_REALLOCARRAY ||
			    q->op == SUBJ_MEMALIGN;

		err = errno;
		if (result != -1 && !(result == 0 && ptr))
			err = 0;
		reply(m, result, err, NULL, 0);
		return;
	}
	switch (q->op) {
	case SUBJ_MALLOC:
		result = ptr_result(m->ops->malloc(m, (size_t)q->a[0]));
		break;
	case SUBJ_CALLOC:
		result = ptr_result(m->ops->calloc(m, (size_t)q->a[0],
		    (size_t)q->a[1]));
		break;
	case SUBJ_REALLOC:
		result = ptr_result(m->ops->realloc(m,
		    (void *)(uintptr_t)q->a[0], (size_t)q->a[1]));
		break;
	case SUBJ_REALLOCARRAY:
		result = ptr_result(m->ops->reallocarray(m,
		    (void *)(uintptr_t)q->a[0], (size_t)q->a[1],
		    (size_t)q->a[2]));
		break;
	case SUBJ_FREE:
		result = m->ops->free(m, (void *)(uintptr_t)q->a[0]);
		break;
	case SUBJ_SBRK:
		/* Never below where it started: that was libc's to keep. */
		if ((intptr_t)q->a[0] < 0 && (uintptr_t)sbrk(0) -
		    (uintptr_t)initial_break < -(uintptr_t)q->a[0]) {
			errno = EPERM;
			result = -1;
			break;
		}
		p = sbrk((intptr_t)q->a[0]);
		result = p == (void *)-1 ? -1 : ptr_result(p);
		break;
	case SUBJ_BRK:
		if (q->a[0] < initial_break) {
			errno = EPERM;
			result = -1;
			break;
		}
		result = brk((void *)(uintptr_t)q->a[0]);
		break;
	case SUBJ_PRINTF:
		/* The real thing: stdio's first use allocates its buffer. */
		data[q->len] = '\0';
		result = printf("%s", data);
		fflush(stdout);
		break;
	case SUBJ_SET:
		if (q->a[0] == SUBJ_KEY_MMAP_THRESHOLD)
			m->ops->set_param(m, MODEL_MMAP_THRESHOLD,
			    (size_t)q->a[1]);
		else if (q->a[0] == SUBJ_KEY_TRIM_THRESHOLD)
			m->ops->set_param(m, MODEL_TRIM_THRESHOLD,
			    (size_t)q->a[1]);
		else if (q->a[0] == SUBJ_KEY_CHECKS)
			m->ops->set_param(m, MODEL_CHECKS, (size_t)q->a[1]);
		break;
	case SUBJ_WRITE:
		memcpy((void *)(uintptr_t)q->a[0], data, q->len);
		break;
	case SUBJ_READ:
		if (q->a[1] > SUBJ_MAX_DATA) {
			reply(m, -1, EINVAL, NULL, 0);
			return;
		}
		reply(m, 0, 0, (const void *)(uintptr_t)q->a[0],
		    (size_t)q->a[1]);
		return;
	case SUBJ_STATUS:
		break;
	default:
		reply(m, -1, ENOSYS, NULL, 0);
		return;
	}
	err = errno;
	if (result != -1 && !(result == 0 && q->op <= SUBJ_REALLOCARRAY))
		err = 0;		/* it succeeded: errno means nothing */
	reply(m, result, err, NULL, 0);
}

/* ---- Where glibc keeps its arena. ---- */

/*
 * glibc's main_arena is not an exported symbol, but it points at itself:
 * its `next` field holds its own address from the start (one arena, a
 * circle of one), and attached_threads is 1.  Those two words, at their
 * offsets in struct malloc_state of glibc 2.36, are looked for in the
 * writable data of libc.  Nothing here mallocs (dl_iterate_phdr does not).
 */
#define ARENA_NEXT	0x870	/* offsetof(struct malloc_state, next) */
#define ARENA_THREADS	0x880	/* ... attached_threads */

static int
find_arena(struct dl_phdr_info *info, size_t size, void *ctx)
{
	uint64_t	*found = ctx;
	int		 i;

	(void)size;
	if (info->dlpi_name == NULL || strstr(info->dlpi_name, "libc.so") ==
	    NULL)
		return 0;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr)	*ph = &info->dlpi_phdr[i];
		uintptr_t		 lo, hi, a;

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W))
			continue;
		lo = (info->dlpi_addr + ph->p_vaddr + 7) & ~(uintptr_t)7;
		hi = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
		for (a = lo + ARENA_NEXT; a + ARENA_THREADS - ARENA_NEXT + 8 <=
		    hi; a += 8) {
			if (*(uintptr_t *)a == a - ARENA_NEXT &&
			    *(uintptr_t *)(a + ARENA_THREADS - ARENA_NEXT) ==
			    1) {
				*found = a - ARENA_NEXT;
				return 1;
			}
		}
	}
	return 0;
}

/* What glibc's stdio will malloc for stdout's buffer (_IO_file_doallocate:
 * BUFSIZ, or the file's block size when that is smaller). */
static uint64_t
stdout_buffer(void)
{
	struct stat	st;

	if (fstat(1, &st) == 0 && st.st_blksize > 0 && st.st_blksize < BUFSIZ)
		return (uint64_t)st.st_blksize;
	return BUFSIZ;
}

int
main(int argc, char **argv)
{
	struct subj_hello	 h;
	struct subj_req		 q;
	struct model		*m = NULL;

	libc_mode = argc > 1 && strcmp(argv[1], "--libc") == 0;
	initial_break = (uint64_t)(uintptr_t)sbrk(0);
	memset(&h, 0, sizeof h);
	if (!libc_mode) {
		ms = memsrc_os_create(&in_call, area, sizeof area, calls,
		    SUBJ_MAX_SYS);
		m = model_list[0]->create(ms);
		if (m == NULL)
			die("the allocator could not be set up");
		m->ops->set_hook(m, on_event, NULL);
		h.static_start = (uint64_t)(uintptr_t)area;
		h.static_len = sizeof area;
		h.alloc_state = (uint64_t)(uintptr_t)m->ops->state(m);
	} else {
		h.libc_mode = 1;
		strlcopy(h.libc, gnu_get_libc_version(), sizeof h.libc);
		dl_iterate_phdr(find_arena, &h.main_arena);
		h.stdout_buffer = stdout_buffer();
	}
	h.magic = SUBJ_MAGIC;
	h.pid = (uint32_t)getpid();
	h.in_call = (uint64_t)(uintptr_t)&in_call;
	h.initial_break = initial_break;
	h.code_start = (uint64_t)(uintptr_t)&main;
	write_all(&h, sizeof h);

	while (read_all(&q, sizeof q)) {
		if (q.len > SUBJ_MAX_TEXT)
			die("request too long");
		if (q.len > 0 && !read_all(data, q.len))
			break;
		serve(m, &q);
	}
	return 0;
}
