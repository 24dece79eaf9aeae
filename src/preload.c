/*
 * preload.c -- libheapviz-preload.so: report a traced program's malloc
 * calls to heapviz (see preload.h for the protocol and the ring).
 *
 * Rules this file keeps, because it runs inside someone else's malloc:
 *  - nothing here allocates or uses stdio; a report is a fixed-size
 *    record copied into the shared ring;
 *  - the real functions come from dlsym(RTLD_NEXT), and dlsym may itself
 *    call calloc before they are known: those few early requests are served
 *    from a static buffer and never freed;
 *  - a per-thread guard: a call made while one is being reported (libc's
 *    realloc calling malloc, dladdr) goes straight to the real function,
 *    unreported;
 *  - no system call of its own while the program runs, except when the
 *    ring is full (see preload.h), and getppid, gettid, fstat and the
 *    ring's mmap once at the start (heapviz leaves that mmap out of the
 *    trace: it maps descriptor HEAPVIZ_PRELOAD_FD); the break is read
 *    from libc's __curbrk, never with brk(0);
 *  - errno is what the real call left.
 *
 * Only the process heapviz started reports: children (their parent is not
 * heapviz) and forked copies keep quiet.  Built without sanitizers, as
 * position-independent code.
 */
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "preload.h"

#define EXPORT	__attribute__((visibility("default")))
#define CALLER	((uintptr_t)__builtin_return_address(0))

/* glibc's own record of the break (weak: another libc may not have it). */
extern void *__curbrk __attribute__((weak));

static void	*(*real_malloc)(size_t);
static void	*(*real_calloc)(size_t, size_t);
static void	*(*real_realloc)(void *, size_t);
static void	 (*real_free)(void *);
static int	 (*real_posix_memalign)(void **, size_t, size_t);
static void	*(*real_memalign)(size_t, size_t);
static void	*(*real_aligned_alloc)(size_t, size_t);
static void	*(*real_valloc)(size_t);
static void	*(*real_pvalloc)(size_t);
static void	*(*real_sbrk)(intptr_t);
static int	 (*real_brk)(void *);

/* 0: not started, 1: looking the real functions up, 2: ready. */
static volatile int	 state;
/* The report channel: -2 not known yet, -1 none, else the descriptor. */
static int		 chan = -2;
static int		 sync_fd = -1;
static int		 my_pid;
static int		 started;	/* the constructor ran */
static struct hvp_ring	*ring;
/* tail + nslots as a writer last read it: head may go up to there
 * without reading tail again (tail only grows: never too far). */
static uint64_t		 room_until;
static uint32_t		 next_place;	/* the last place id given */

#define TLS	__attribute__((tls_model("initial-exec")))
static __thread int			 busy TLS;
static __thread int			 my_tid TLS;
static __thread struct hvp_current	*my_cur TLS;

/* ---- The bootstrap buffer for dlsym's own calloc. ---- */
static unsigned char	 boot[8192] __attribute__((aligned(16)));
static size_t		 boot_used;

static void *
boot_alloc(size_t n)
{
	void	*p;

	n = (n + 15) & ~(size_t)15;
	if (n > sizeof boot - boot_used) {
		errno = ENOMEM;
		return NULL;
	}
	p = boot + boot_used;
	boot_used += n;
	return p;	/* static storage: already zero */
}

static int
in_boot(const void *p)
{
	return (const unsigned char *)p >= boot &&
	    (const unsigned char *)p < boot + sizeof boot;
}

/* ---- Small helpers that allocate nothing. ---- */
static int
env_int(const char *name, int *v)
{
	const char	*s = getenv(name);
	long		 n = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++)
		n = n * 10 + (*s - '0');
	if (*s != '\0' || n > 1 << 30)
		return -1;
	*v = (int)n;
	return 0;
}

static void
copy_str(char *dst, const char *src, size_t len)
{
	size_t	i = 0;

	if (src != NULL) {
		for (; src[i] != '\0' && i + 1 < len; i++)
			dst[i] = src[i];
	}
	dst[i] = '\0';
}

static uint64_t
cur_brk(void)
{
	return &__curbrk != NULL ? (uint64_t)(uintptr_t)__curbrk : 0;
}

static void
resolve(void)
{
	if (state != 0)
		return;
	state = 1;
	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	real_posix_memalign = (int (*)(void **, size_t, size_t))
	    dlsym(RTLD_NEXT, "posix_memalign");
	real_memalign = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT,
	    "memalign");
	real_aligned_alloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT,
	    "aligned_alloc");
	real_valloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "valloc");
	real_pvalloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "pvalloc");
	real_sbrk = (void *(*)(intptr_t))dlsym(RTLD_NEXT, "sbrk");
	real_brk = (int (*)(void *))dlsym(RTLD_NEXT, "brk");
	state = 2;
}

/* This thread's id and current slot, looked up once per thread. */
static void
thread_init(void)
{
	uint32_t	k;

	if (my_tid != 0)
		return;
	my_tid = (int)syscall(SYS_gettid);
	k = __atomic_fetch_add(&ring->nthreads, 1, __ATOMIC_RELAXED);
	if (k < HVP_THREADS) {
		my_cur = &ring->cur[k];
		__atomic_store_n(&my_cur->tid, my_tid, __ATOMIC_RELEASE);
	}
}

/*
 * The next index of the ring, taken only once its slot is free, so that a
 * slot taken is written at once.  When the ring is full, one getppid call
 * (heapviz stops there and drains it); untraced, or if heapviz is behind,
 * short sleeps.  -1 after 10 s without room.
 */
static int
take_slot(uint64_t *idx)
{
	struct timespec	ts = { 0, 50000 };
	long		waited = 0;
	uint64_t	h = __atomic_load_n(&ring->head, __ATOMIC_RELAXED), t;

	for (;;) {
		if (h < __atomic_load_n(&room_until, __ATOMIC_ACQUIRE) ||
		    h - (t = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE)) <
		    ring->nslots) {
			if (__atomic_compare_exchange_n(&ring->head, &h, h + 1,
			    0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
				*idx = h;
				return 0;
			}
			continue;	/* another thread took it: h is new */
		}
		__atomic_store_n(&room_until, t + ring->nslots,
		    __ATOMIC_RELEASE);
		if (h < t + ring->nslots)
			continue;	/* room after all */
		if (waited == 0)
			syscall(SYS_getppid, (long)HVP_MAGIC);
		else
			nanosleep(&ts, NULL);
		if (++waited > 200000)
			return -1;
		h = __atomic_load_n(&ring->head, __ATOMIC_RELAXED);
	}
}

/* A slot to fill in place, all of it, then slot_done; NULL: heapviz is
 * gone or stuck, and the record is counted as lost. */
static struct hvp_record *
slot_take(uint64_t *idx)
{
	struct hvp_record	*r;

	if (take_slot(idx) != 0) {
		__atomic_fetch_add(&ring->lost, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	r = &ring->slot[*idx & (ring->nslots - 1)].r;
	r->magic = HVP_MAGIC;
	r->pid = my_pid;
	r->tid = my_tid;
	r->seq = *idx + 1;
	r->lost = __atomic_load_n(&ring->lost, __ATOMIC_RELAXED);
	return r;
}

static void
slot_done(uint64_t idx)
{
	__atomic_store_n(&ring->slot[idx & (ring->nslots - 1)].stamp, idx + 1,
	    __ATOMIC_RELEASE);
}

/* HELLO or BYE: nothing but the break. */
static void
put_mark(enum hvp_kind kind)
{
	struct hvp_record	*r;
	uint64_t		 idx;

	if ((r = slot_take(&idx)) == NULL)
		return;
	r->kind = (uint16_t)kind;
	r->flags = 0;
	r->err = 0;
	r->where = 0;
	memset(&r->args, 0, sizeof r->args);
	r->result = r->usable = r->head = r->prev_foot = 0;
	r->brk_before = r->brk_after = cur_brk();
	slot_done(idx);
}

static void
wait_for_heapviz(void)
{
	char	c;

	if (sync_fd >= 0) {
		while (read(sync_fd, &c, 1) < 0 && errno == EINTR)
			;
	}
}

static void
forked_child(void)
{
	chan = -1;	/* a copy of the program, not the program */
	sync_fd = -1;
	my_tid = 0;
	my_cur = NULL;
}

/*
 * The channel, found the first time it is needed once the environment can
 * be read.  The first record is HELLO.
 */
static int
channel(void)
{
	struct stat		st;
	void			*p;
	int			fd, parent;

	if (chan != -2) {
		if (chan >= 0 && my_tid == 0)
			thread_init();
		return chan;
	}
	if (env_int("HEAPVIZ_PRELOAD_FD", &fd) != 0) {
		/* Before libc set the environment up: try again later. */
		if (started)
			chan = -1;
		return -1;
	}
	if (env_int("HEAPVIZ_PRELOAD_PARENT", &parent) == 0 &&
	    getppid() != parent) {
		chan = -1;	/* a child of the traced program */
		return -1;
	}
	/* The ring heapviz made: its mmap is left out of the trace. */
	if (fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof *ring ||
	    (p = mmap(NULL, sizeof *ring, PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0)) == MAP_FAILED) {
		chan = -1;
		return -1;
	}
	ring = p;
	if (ring->magic != HVP_MAGIC ||
	    (ring->nslots & (ring->nslots - 1)) != 0 ||
	    ring->nslots > HVP_RING_SLOTS || ring->nslots == 0) {
		chan = -1;
		return -1;
	}
	chan = fd;
	if (env_int("HEAPVIZ_PRELOAD_SYNC", &fd) == 0)
		sync_fd = fd;
	my_pid = (int)getpid();
	thread_init();
	pthread_atfork(NULL, NULL, forked_child);
	put_mark(HVP_HELLO);
	wait_for_heapviz();
	return chan;
}

/*
 * Where a call came from, by its return address: dladdr is far slower
 * than the rest of a report, so each address is looked up once, its
 * answer sent to heapviz as a place record with a new id, and the id kept
 * in a table indexed by address.  Threads share it: each entry has a
 * version, odd while it is written, and a reader that sees it change or
 * odd looks the address up itself (and sends a place of its own).
 */
struct where_entry {
	uint64_t	ver;
	uintptr_t	caller;
	uint32_t	id;
	uint16_t	flags;
};
#define WHERE_ENTRIES	4096
static struct where_entry	where_cache[WHERE_ENTRIES];

/* Look caller up; send its place; its id (0 if it could not be sent). */
static uint32_t
where_lookup(uintptr_t caller, uint16_t *flags)
{
	Dl_info			 info;
	struct link_map		*lm = NULL;
	const char		*base = NULL, *p;
	struct hvp_record	*r;
	uint64_t		 idx;
	uint32_t		 id;

	*flags = 0;
	if (dladdr1((void *)caller, &info, (void **)&lm,
	    RTLD_DL_LINKMAP) != 0) {
		if (lm != NULL && lm->l_name != NULL && lm->l_name[0] == '\0')
			*flags |= HVP_F_MAIN;
		base = info.dli_fname;
		for (p = base; p != NULL && *p != '\0'; p++) {
			if (*p == '/')
				base = p + 1;
		}
	} else
		info.dli_sname = NULL;
	if ((r = slot_take(&idx)) == NULL)
		return 0;
	id = __atomic_add_fetch(&next_place, 1, __ATOMIC_RELAXED);
	r->kind = HVP_WHERE;
	r->flags = *flags;
	r->err = 0;
	r->where = id;
	memset(&r->place, 0, sizeof r->place);
	copy_str(r->place.object, base, sizeof r->place.object);
	copy_str(r->place.symbol, info.dli_sname, sizeof r->place.symbol);
	slot_done(idx);
	return id;
}

static uint32_t
where(uintptr_t caller, uint16_t *flags)
{
	struct where_entry	*e = &where_cache[(caller >> 2) %
				    WHERE_ENTRIES];
	uint64_t		 v = __atomic_load_n(&e->ver, __ATOMIC_ACQUIRE);
	uint32_t		 id;

	if ((v & 1) == 0 && e->caller == caller) {
		id = e->id;
		*flags = e->flags;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&e->ver, __ATOMIC_RELAXED) == v)
			return id;
	}
	id = where_lookup(caller, flags);
	/* Keep the answer, unless another thread is writing this entry. */
	if (id == 0 || (v & 1) != 0 || !__atomic_compare_exchange_n(&e->ver,
	    &v, v + 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return id;
	e->caller = caller;
	e->id = id;
	e->flags = *flags;
	__atomic_store_n(&e->ver, v + 2, __ATOMIC_RELEASE);
	return id;
}

/* One call being reported: what is known before the real call. */
struct call {
	int		on;	/* 0: not reported (nested, no channel) */
	uint16_t	kind;
	uint16_t	flags;
	uint32_t	where;
	uint64_t	a0, a1;
	uint64_t	brk_before;
};

static void
begin(struct call *c, enum hvp_kind kind, uint64_t a0, uint64_t a1,
    uintptr_t caller)
{
	c->on = 0;
	if (busy)
		return;
	busy = 1;
	if (channel() < 0) {
		busy = 0;
		return;
	}
	c->on = 1;
	c->kind = (uint16_t)kind;
	c->a0 = a0;
	c->a1 = a1;
	c->where = where(caller, &c->flags);
	c->brk_before = cur_brk();
	/* What heapviz reads when the call makes a system call. */
	if (my_cur != NULL) {
		my_cur->args[0] = a0;
		my_cur->args[1] = a1;
		my_cur->args[2] = 0;
		my_cur->flags = c->flags;
		my_cur->where = c->where;
		__atomic_store_n(&my_cur->kind, (uint32_t)kind,
		    __ATOMIC_RELEASE);
	}
}

static void
end(struct call *c, void *result, int failed, int err)
{
	struct hvp_record	*r;
	uint64_t		 w[2] = { 0, 0 }, usable = 0, idx;

	if (!c->on)
		return;
	if (my_cur != NULL)
		__atomic_store_n(&my_cur->kind, HVP_NONE, __ATOMIC_RELEASE);
	if (result != NULL && !failed && c->kind != HVP_SBRK &&
	    c->kind != HVP_BRK && c->kind != HVP_FREE) {
		usable = malloc_usable_size(result);
		/* The chunk header before the block (glibc's layout), if
		 * reading it cannot leave the block's page. */
		if (((uintptr_t)result & 0xfff) >= 16)
			memcpy(w, (const char *)result - 16, sizeof w);
	}
	if ((r = slot_take(&idx)) != NULL) {
		r->kind = c->kind;
		r->flags = c->flags | (failed ? HVP_F_FAILED : 0);
		r->err = failed ? err : 0;
		r->where = c->where;
		r->args[0] = c->a0;
		r->args[1] = c->a1;
		r->args[2] = 0;
		r->result = (uint64_t)(uintptr_t)result;
		r->usable = usable;
		r->prev_foot = w[0];
		r->head = w[1];
		r->brk_before = c->brk_before;
		r->brk_after = cur_brk();
		slot_done(idx);
	}
	busy = 0;
}

#define READY()	do { if (state != 2) resolve(); } while (0)

/* The end of a call that returns a block or NULL with errno, reported
 * with errno as the call left it. */
static void *
ended(struct call *c, void *p)
{
	int	e = errno;

	end(c, p, p == NULL, e);
	errno = e;
	return p;
}

EXPORT void *
malloc(size_t n)
{
	struct call	c;

	if (state == 1)
		return boot_alloc(n);
	READY();
	begin(&c, HVP_MALLOC, n, 0, CALLER);
	return ended(&c, real_malloc(n));
}

EXPORT void *
calloc(size_t nmemb, size_t size)
{
	struct call	c;

	if (state == 1) {
		if (size != 0 && nmemb > SIZE_MAX / size)
			return NULL;
		return boot_alloc(nmemb * size);
	}
	READY();
	begin(&c, HVP_CALLOC, nmemb, size, CALLER);
	return ended(&c, real_calloc(nmemb, size));
}

EXPORT void *
realloc(void *old, size_t n)
{
	struct call	c;
	void		*p;
	int		 e;

	if (state == 1)
		return in_boot(old) || old == NULL ? boot_alloc(n) : NULL;
	READY();
	if (in_boot(old)) {
		/* A bootstrap block moves to the real heap, unreported. */
		p = real_malloc(n);
		if (p != NULL)
			memcpy(p, old, n < (size_t)(boot + sizeof boot -
			    (unsigned char *)old) ? n : (size_t)(boot +
			    sizeof boot - (unsigned char *)old));
		return p;
	}
	begin(&c, HVP_REALLOC, (uintptr_t)old, n, CALLER);
	p = real_realloc(old, n);
	e = errno;
	/* realloc(p, 0) frees and may return NULL: not a failure. */
	end(&c, p, p == NULL && n != 0, e);
	errno = e;
	return p;
}

EXPORT void
free(void *p)
{
	struct call	c;
	int		e = errno;

	if (in_boot(p) || state == 1)
		return;
	READY();
	begin(&c, HVP_FREE, (uintptr_t)p, 0, CALLER);
	real_free(p);
	end(&c, NULL, 0, 0);
	errno = e;
}

EXPORT int
posix_memalign(void **out, size_t align, size_t n)
{
	struct call	c;
	void		*p = NULL;
	int		 r, e;

	if (state == 1)
		return ENOMEM;
	READY();
	begin(&c, HVP_POSIX_MEMALIGN, align, n, CALLER);
	e = errno;
	r = real_posix_memalign(&p, align, n);
	end(&c, r == 0 ? p : NULL, r != 0, r);
	errno = e;
	if (r == 0)
		*out = p;
	return r;
}

/* memalign, aligned_alloc, valloc, pvalloc: the shape of malloc. */
#define ALIGNED(fn, kind, real)						\
EXPORT void *								\
fn(size_t align, size_t n)						\
{									\
	struct call	c;						\
									\
	if (state == 1)							\
		return NULL;						\
	READY();							\
	begin(&c, kind, align, n, CALLER);				\
	return ended(&c, real(align, n));				\
}
ALIGNED(memalign, HVP_MEMALIGN, real_memalign)
ALIGNED(aligned_alloc, HVP_ALIGNED_ALLOC, real_aligned_alloc)

#define PAGED(fn, kind, real)						\
EXPORT void *								\
fn(size_t n)								\
{									\
	struct call	c;						\
									\
	if (state == 1)							\
		return NULL;						\
	READY();							\
	begin(&c, kind, n, 0, CALLER);				\
	return ended(&c, real(n));					\
}
PAGED(valloc, HVP_VALLOC, real_valloc)
PAGED(pvalloc, HVP_PVALLOC, real_pvalloc)

/* The program's own break calls: the seed's demos make them. */
EXPORT void *
sbrk(intptr_t incr)
{
	struct call	c;
	void		*p;
	int		 e;

	READY();
	begin(&c, HVP_SBRK, (uint64_t)incr, 0, CALLER);
	p = real_sbrk(incr);
	e = errno;
	end(&c, p, p == (void *)-1, e);
	errno = e;
	return p;
}

EXPORT int
brk(void *addr)
{
	struct call	c;
	int		r, e;

	READY();
	begin(&c, HVP_BRK, (uintptr_t)addr, 0, CALLER);
	r = real_brk(addr);
	e = errno;
	end(&c, (void *)(intptr_t)r, r != 0, e);
	errno = e;
	return r;
}

__attribute__((constructor)) static void
preload_start(void)
{
	READY();
	started = 1;
	busy = 1;
	channel();
	busy = 0;
}

__attribute__((destructor)) static void
preload_stop(void)
{
	if (chan < 0)
		return;
	busy = 1;
	if (my_tid == 0)
		thread_init();
	put_mark(HVP_BYE);
	wait_for_heapviz();
	chan = -1;
}
