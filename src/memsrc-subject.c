/*
 * memsrc-subject.c -- real mode's memory source: a subject process, traced,
 * and a copy of its memory at the same addresses (see memsrc-subject.h).
 *
 * A request goes like this.  The subject waits, stopped by ptrace at the
 * entry of its read(2) on the request pipe.  heapviz writes the request
 * and resumes it (that read, and one more for the request's data); every system call the subject makes then stops it twice
 * (entry, exit), and brk, mmap, munmap and mremap are logged with their
 * arguments and result, and with whether the allocator made them (its
 * memory source raises a flag in the subject's memory, read at the entry)
 * or someone else did: libc's malloc inside printf, or the user's sbrk.
 * When the subject is back at a read(2) after writing its reply, the reply
 * is in the pipe.
 * Then the copy: the allocator's static area, the heap up to the break,
 * and every segment or mapped chunk the allocator holds, each mapped here
 * at the subject's address with MAP_FIXED_NOREPLACE.
 *
 * Untraced (ptrace refused): the same, except that the log is what the
 * subject reports of its own calls plus what changed in its break and in
 * /proc/PID/maps over the request, and memory is read through the pipe.
 *
 * A subject that dies (a fault, libc's abort) is reaped and reported; the
 * copy keeps the last state it had, so the views still show it.  A
 * subject that takes more than ten seconds over one request is killed.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "events.h"
#include "fdio.h"
#include "memsrc-subject.h"
#include "sysmon.h"
#include "xmalloc.h"

#ifndef PKGLIBEXECDIR
#define PKGLIBEXECDIR "/usr/local/libexec/heapviz"
#endif

#define PAGE		((uint64_t)4096)
#define PAGE_UP(x)	(((x) + PAGE - 1) & ~(PAGE - 1))
#define PAGE_DOWN(x)	((x) & ~(PAGE - 1))
#define HEAP_MIRROR	(UINT64_C(1) << 30)	/* the copy of the brk heap */
#define TIMEOUT_S	10
#define MAX_MAPS	512

/* A piece of this process's memory that copies the subject's. */
struct mirror {
	uint64_t	start, len;	/* page-aligned */
	bool		seen;		/* the allocator holds it still */
	bool		fresh;		/* placed by this refresh */
};

struct subject {
	struct memsrc		 ms;
	struct evlog		*log;
	bool			 aslr;
	bool			 libc;		/* the subject calls libc's
						 * malloc: nothing to copy */
	struct sysmon		*mon;
	int			 cmd_fd, reply_fd, out_fd;
	struct subj_hello	 hello;
	uint64_t		 brk;
	uint64_t		 static_used;
	char			 glibc[64];
	model_hook		 hook;
	void			*hook_ctx;
	const struct model_ops	*ops;
	struct model		 model;		/* the copy, when alive */
	bool			 adopted;

	bool			 heap_mapped;
	uint64_t		 heap_copied;	/* bytes of the heap copied */
	bool			 static_mapped;
	struct mirror		*mirrors;
	size_t			 nmirrors;

	struct mapping		 maps[MAX_MAPS];
	size_t			 nmaps;

	char			*out;		/* the subject's output */
	size_t			 outlen, outcap;

	char			 death[256];
	bool			 dead;
	bool			 logged_start;
};

static const struct memsrc_ops subject_ops;

static struct subject *
subject_of(struct memsrc *ms)
{
	return (struct subject *)ms;
}

bool
memsrc_is_subject(const struct memsrc *ms)
{
	return ms != NULL && ms->ops == &subject_ops;
}

/* ---- Time limit. ---- */

static volatile pid_t		timed_pid;
static volatile sig_atomic_t	timed_out;

static void
on_alarm(int sig)
{
	(void)sig;
	if (timed_pid > 0) {
		timed_out = 1;
		kill(timed_pid, SIGKILL);
	}
}

static void
timer_start(struct subject *sj)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	timed_out = 0;
	timed_pid = sysmon_pid(sj->mon);
	alarm(TIMEOUT_S);
}

static void
timer_stop(void)
{
	alarm(0);
	timed_pid = 0;
}

/* ---- Pipes. ---- */

/* A subject that has gone must not take heapviz with it: no SIGPIPE. */
static int
write_all(int fd, const void *p, size_t len)
{
	sigset_t	 pipe_set, old;
	struct timespec	 now = { 0, 0 };
	int		 r;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	if ((r = fd_write_all(fd, p, len)) != 0 && errno == EPIPE)
		sigtimedwait(&pipe_set, NULL, &now);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}

/* Keep what the subject printed (its stdout and stderr share a pipe). */
static void
drain_output(struct subject *sj)
{
	char	buf[4096];
	ssize_t	n;

	if (sj->out_fd < 0)
		return;
	while ((n = read(sj->out_fd, buf, sizeof buf)) > 0) {
		if (sj->outlen + (size_t)n + 1 > sj->outcap) {
			sj->outcap = (sj->outlen + (size_t)n + 1) * 2;
			sj->out = xrealloc(sj->out, sj->outcap);
		}
		memcpy(sj->out + sj->outlen, buf, (size_t)n);
		sj->outlen += (size_t)n;
	}
}

static const char *
signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGABRT: return "SIGABRT";
	case SIGBUS: return "SIGBUS";
	case SIGILL: return "SIGILL";
	case SIGFPE: return "SIGFPE";
	case SIGKILL: return "SIGKILL";
	case SIGTERM: return "SIGTERM";
	case SIGTRAP: return "SIGTRAP";
	}
	return "a signal";
}

static void
died(struct subject *sj, const struct sysmon_event *ev, bool timed_out)
{
	sj->dead = true;
	if (timed_out)
		snprintf(sj->death, sizeof sj->death, "did not answer within "
		    "%d seconds, so heapviz killed it", TIMEOUT_S);
	else if (ev->kind == SYSMON_KILLED)
		snprintf(sj->death, sizeof sj->death, "was killed by %s "
		    "(signal %d)%s", signal_name(ev->status), ev->status,
		    ev->core ? ", core dumped" : "");
	else
		snprintf(sj->death, sizeof sj->death, "exited with status %d",
		    ev->status);
	drain_output(sj);
}

/* ---- The log, from the kernel's side. ---- */

static void
log_kernel(struct subject *sj, long nr, const uint64_t *args, int64_t ret,
    bool ours)
{
	struct sysevent	*e;
	int64_t		 a[3] = { 0, 0, 0 };
	int64_t		 result = ret;
	int		 err = 0, nargs = 1;
	enum memsrc_call call;

	if (nr == SYS_brk) {
		call = MS_BRK;
		a[0] = (int64_t)args[0];
	} else if (nr == SYS_mmap) {
		call = MS_MMAP;
		a[0] = (int64_t)args[1];
		a[1] = (int64_t)args[0];
		nargs = 2;
	} else if (nr == SYS_munmap) {
		call = MS_MUNMAP;
		a[0] = (int64_t)args[0];
		a[1] = (int64_t)args[1];
		nargs = 2;
	} else if (nr == SYS_mremap) {
		call = MS_MREMAP;
		a[0] = (int64_t)args[0];
		a[1] = (int64_t)args[1];
		a[2] = (int64_t)args[2];
		nargs = 3;
	} else
		return;
	if (call != MS_BRK && ret < 0 && ret >= -4095) {
		err = (int)-ret;
		result = -1;
	}
	evlog_add(sj->log, call, nargs, a, result, err);
	e = &sj->log->v[sj->log->n - 1];
	e->kernel = true;
	if (!ours)
		e->foreign = true;
}

/*
 * Run the traced subject until it waits for the next request, logging its
 * memory calls.  0, or -1 if it died on the way.
 */
static int
run_traced(struct subject *sj)
{
	struct sysmon_event	ev;
	uint64_t		args[6];
	long			nr = -1;
	uint32_t		ours = 0;
	int			r = 0;
	bool			replied = false;

	timer_start(sj);
	for (;;) {
		if (sysmon_next(sj->mon, &ev) != 0) {
			memset(&ev, 0, sizeof ev);
			ev.kind = SYSMON_KILLED;
			ev.status = SIGKILL;
			died(sj, &ev, timed_out != 0);
			r = -1;
			break;
		}
		if (ev.kind == SYSMON_EXITED || ev.kind == SYSMON_KILLED) {
			died(sj, &ev, timed_out != 0);
			r = -1;
			break;
		}
		if (ev.kind == SYSMON_ENTRY) {
			/* Its reply written, it waits for the next request
			 * (a read before the reply is the request's data). */
			if (ev.nr == SYS_write && ev.args[0] == SUBJ_REPLY_FD)
				replied = true;
			if (ev.nr == SYS_read && ev.args[0] == SUBJ_CMD_FD &&
			    replied)
				break;
			nr = -1;
			if (sysmon_call_name(ev.nr) != NULL) {
				nr = ev.nr;
				memcpy(args, ev.args, sizeof args);
				ours = 0;
				if (sj->hello.in_call != 0)
					sysmon_read(sj->mon, sj->hello.in_call,
					    &ours, sizeof ours);
			}
		} else if (ev.kind == SYSMON_EXIT && nr >= 0 && ev.nr == nr) {
			log_kernel(sj, nr, args, ev.ret, ours != 0);
			nr = -1;
		}
	}
	timer_stop();
	return r;
}

/* Wait for the untraced subject's reply to start arriving. */
static int
wait_untraced(struct subject *sj)
{
	struct pollfd		p = { sj->reply_fd, POLLIN, 0 };
	struct sysmon_event	ev;
	int			r;

	do
		r = poll(&p, 1, TIMEOUT_S * 1000);
	while (r < 0 && errno == EINTR);
	if (r == 0) {
		kill(sysmon_pid(sj->mon), SIGKILL);
		memset(&ev, 0, sizeof ev);
		died(sj, &ev, true);
		return -1;
	}
	return 0;
}

/* The untraced subject's end, once its pipe has closed. */
static void
reap_untraced(struct subject *sj)
{
	struct sysmon_event	ev;
	int			i;

	memset(&ev, 0, sizeof ev);
	for (i = 0; i < 1000; i++) {
		if (sysmon_poll_end(sj->mon, &ev) != 0)
			break;
		usleep(1000);
	}
	if (ev.kind != SYSMON_EXITED && ev.kind != SYSMON_KILLED)
		ev.kind = SYSMON_EXITED;
	died(sj, &ev, false);
}

/* ---- /proc/PID/maps. ---- */

static size_t
read_maps(struct subject *sj, struct mapping *out, size_t max)
{
	char		 path[64], line[512], exe[PATH_MAX];
	const char	*base;
	FILE		*f;
	size_t		 n = 0;
	ssize_t		 len;
	uint64_t	 lo, hi, last_exe_end = 0;

	snprintf(path, sizeof path, "/proc/%ld/exe",
	    (long)sysmon_pid(sj->mon));
	len = readlink(path, exe, sizeof exe - 1);
	exe[len > 0 ? len : 0] = '\0';
	snprintf(path, sizeof path, "/proc/%ld/maps",
	    (long)sysmon_pid(sj->mon));
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	while (n < max && fgets(line, sizeof line, f) != NULL) {
		char		perms[8] = "", name[PATH_MAX];
		unsigned long long a, b, off;
		int		 consumed = 0;
		enum mapping_kind kind;

		name[0] = '\0';
		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s%n", &a, &b, perms,
		    &off, &consumed) < 4)
			continue;
		sscanf(line + consumed, " %4095[^\n]", name);
		lo = a;
		hi = b;
		base = "";
		if (strcmp(name, "[heap]") == 0)
			kind = MAPPING_HEAP;
		else if (strcmp(name, "[stack]") == 0)
			kind = MAPPING_STACK;
		else if (exe[0] != '\0' && strcmp(name, exe) == 0) {
			kind = strchr(perms, 'w') != NULL ? MAPPING_DATA :
			    MAPPING_CODE;
			last_exe_end = hi;
			base = strrchr(name, '/') + 1;
		} else if (name[0] == '\0' && lo == last_exe_end &&
		    strchr(perms, 'w') != NULL) {
			kind = MAPPING_DATA;	/* the rest of .bss */
			base = exe[0] != '\0' ? strrchr(exe, '/') + 1 : "";
		} else if (name[0] == '\0' && n > 0 && lo == out[n - 1].end &&
		    out[n - 1].kind == MAPPING_DATA && out[n - 1].name[0] !=
		    '\0' && out[n - 1].name[0] != '[' &&
		    strchr(perms, 'w') != NULL) {
			/* A library's .bss, right after its data. */
			kind = MAPPING_DATA;
			base = out[n - 1].name;
		} else if (name[0] == '\0')
			kind = MAPPING_MMAP;
		else if (strcmp(name, "[vvar]") == 0 ||
		    strncmp(name, "[vvar", 5) == 0 ||
		    strcmp(name, "[vsyscall]") == 0)
			continue;		/* the kernel's, not mapped */
		else {
			/* A library (libc, ld.so) or the vdso: the program's
			 * neighbours, by name. */
			kind = strchr(perms, 'w') != NULL ? MAPPING_DATA :
			    MAPPING_CODE;
			base = strrchr(name, '/') != NULL ?
			    strrchr(name, '/') + 1 : name;
		}
		/* One row per file and kind: its pieces run on. */
		if (n > 0 && out[n - 1].end == lo && out[n - 1].kind == kind &&
		    kind != MAPPING_MMAP && kind != MAPPING_HEAP &&
		    strcmp(out[n - 1].name, base) == 0) {
			out[n - 1].end = hi;
			continue;
		}
		out[n].start = lo;
		out[n].end = hi;
		out[n].kind = kind;
		strlcopy(out[n].name, base, sizeof out[n].name);
		n++;
	}
	fclose(f);
	return n;
}

/*
 * Untraced: what changed over a request, as far as /proc can tell: the
 * subject's own calls, then the break and the maps now (n of them) against
 * what they were (sj->brk is already the new break).
 */
static void
log_inferred(struct subject *sj, uint64_t old_brk,
    const struct subj_sys *own, size_t nown, const struct mapping *now,
    size_t n)
{
	size_t		 i, j;
	uint64_t	 args[6] = { 0 };
	struct sysevent	*e;
	int64_t		 a[3];
	uint64_t	 brk = old_brk;

	for (i = 0; i < nown; i++) {
		a[0] = own[i].args[0];
		a[1] = own[i].args[1];
		a[2] = own[i].args[2];
		evlog_add(sj->log, (enum memsrc_call)own[i].call,
		    own[i].call == MS_SBRK || own[i].call == MS_MMAP ? 1 :
		    own[i].call == MS_MUNMAP ? 2 : 3, a, own[i].result,
		    own[i].err);
		if (own[i].call == MS_SBRK && own[i].result != -1)
			brk += (uint64_t)own[i].args[0];
	}
	if (sj->brk != brk) {
		/* Someone else moved the break: libc, or the user's sbrk. */
		args[0] = sj->brk;
		log_kernel(sj, SYS_brk, args, (int64_t)sj->brk, false);
		e = &sj->log->v[sj->log->n - 1];
		e->inferred = true;
	}
	for (i = 0; i < n; i++) {
		if (now[i].kind != MAPPING_MMAP)
			continue;
		for (j = 0; j < sj->nmaps; j++)
			if (sj->maps[j].start == now[i].start &&
			    sj->maps[j].end == now[i].end)
				break;
		if (j < sj->nmaps)
			continue;
		for (j = 0; j < nown; j++)
			if (own[j].call == MS_MMAP &&
			    (uint64_t)own[j].result == now[i].start)
				break;
		if (j < nown)
			continue;
		args[0] = 0;
		args[1] = now[i].end - now[i].start;
		log_kernel(sj, SYS_mmap, args, (int64_t)now[i].start, false);
		sj->log->v[sj->log->n - 1].inferred = true;
	}
	for (j = 0; j < sj->nmaps; j++) {
		if (sj->maps[j].kind != MAPPING_MMAP)
			continue;
		for (i = 0; i < n; i++)
			if (now[i].start <= sj->maps[j].start &&
			    now[i].end >= sj->maps[j].end)
				break;
		if (i < n)
			continue;
		for (i = 0; i < nown; i++)
			if (own[i].call == MS_MUNMAP &&
			    (uint64_t)own[i].args[0] == sj->maps[j].start)
				break;
		if (i < nown)
			continue;
		args[0] = sj->maps[j].start;
		args[1] = sj->maps[j].end - sj->maps[j].start;
		log_kernel(sj, SYS_munmap, args, 0, false);
		sj->log->v[sj->log->n - 1].inferred = true;
	}
}

/* ---- The copy. ---- */

static int
read_mem(struct subject *sj, uint64_t addr, void *buf, size_t len);

static int
copy_in(struct subject *sj, uint64_t addr, uint64_t len)
{
	uint64_t	done, piece;

	for (done = 0; done < len; done += piece) {
		piece = len - done < SUBJ_MAX_DATA ? len - done : SUBJ_MAX_DATA;
		if (read_mem(sj, addr + done,
		    (void *)(uintptr_t)(addr + done), (size_t)piece) != 0)
			return -1;
	}
	return 0;
}

/* Map [start, start + len) here at the same address, or fail. */
static int
place(uint64_t start, uint64_t len, bool noreserve)
{
	void	*p;

	p = mmap((void *)(uintptr_t)start, (size_t)len, PROT_READ |
	    PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE |
	    (noreserve ? MAP_NORESERVE : 0), -1, 0);
	if (p == MAP_FAILED)
		return -1;
	if ((uint64_t)(uintptr_t)p != start) {
		munmap(p, (size_t)len);
		errno = EEXIST;
		return -1;
	}
	return 0;
}

static bool
in_heap_mirror(const struct subject *sj, uint64_t start, uint64_t len)
{
	uint64_t	h = PAGE_DOWN(sj->hello.initial_break);

	return start >= h && start - h <= HEAP_MIRROR &&
	    len <= HEAP_MIRROR - (start - h);
}

/*
 * Make sure [start, start + len) has a copy here, mapped at the same
 * address: in the heap's reservation, or in a mirror of its own (new ones
 * are marked fresh, for undoing).  0, or -1 when the address is taken.
 */
static int
mirror_place(struct subject *sj, uint64_t start, uint64_t len, char *err,
    size_t errlen)
{
	uint64_t	lo = PAGE_DOWN(start), hi = PAGE_UP(start + len);
	size_t		i;

	if (in_heap_mirror(sj, lo, hi - lo))
		return 0;
	for (i = 0; i < sj->nmirrors; i++) {
		struct mirror	*m = &sj->mirrors[i];

		if (m->start == lo && m->len == hi - lo) {
			m->seen = true;
			return 0;
		}
	}
	if (place(lo, hi - lo, false) != 0) {
		snprintf(err, errlen, "could not be shown: it has memory at "
		    "0x%" PRIx64 ", where heapviz has memory of its own (is "
		    "heapviz itself running with address randomisation off?)",
		    lo);
		return -1;
	}
	sj->mirrors = xreallocarray(sj->mirrors, sj->nmirrors + 1,
	    sizeof *sj->mirrors);
	sj->mirrors[sj->nmirrors].start = lo;
	sj->mirrors[sj->nmirrors].len = hi - lo;
	sj->mirrors[sj->nmirrors].seen = true;
	sj->mirrors[sj->nmirrors].fresh = true;
	sj->nmirrors++;
	return 0;
}

/* Drop the mirrors nobody saw (or, undoing, the fresh ones). */
static void
mirror_prune(struct subject *sj, bool undo)
{
	size_t	i;

	for (i = 0; i < sj->nmirrors; ) {
		struct mirror	*m = &sj->mirrors[i];

		if (undo ? m->fresh : !m->seen) {
			munmap((void *)(uintptr_t)m->start, (size_t)m->len);
			*m = sj->mirrors[--sj->nmirrors];
		} else {
			m->fresh = false;
			i++;
		}
	}
}

/*
 * Bring the copy up to date with the subject.  In two moves, so that a
 * failure leaves the last picture whole: first the allocator's state and
 * a place for every region it holds (the old state is kept until every
 * place is found), then the bytes.
 */
static int
refresh(struct subject *sj, char *err, size_t errlen)
{
	struct model_segment	*rg;
	uint64_t		 heap = sj->hello.initial_break, upto;
	char			*state = (char *)(uintptr_t)sj->hello.static_start;
	char			*old;
	size_t			 n, i;

	old = xmalloc(sj->static_used ? sj->static_used : 1);
	memcpy(old, state, sj->static_used);
	if (copy_in(sj, sj->hello.static_start, sj->static_used) != 0) {
		snprintf(err, errlen, "could not be read (process_vm_readv)");
		goto undo;
	}
	sj->ops->adopt(&sj->model, (void *)(uintptr_t)sj->hello.alloc_state,
	    &sj->ms, sj->glibc);
	sj->adopted = true;
	for (i = 0; i < sj->nmirrors; i++)
		sj->mirrors[i].seen = sj->mirrors[i].fresh = false;
	n = sj->ops->regions(&sj->model, NULL, 0);
	rg = xcalloc(n ? n : 1, sizeof *rg);
	n = sj->ops->regions(&sj->model, rg, n);
	for (i = 0; i < n; i++) {
		if (mirror_place(sj, (uint64_t)(uintptr_t)rg[i].base,
		    rg[i].size, err, errlen) != 0) {
			free(rg);
			mirror_prune(sj, true);
			goto undo;
		}
	}

	/* The heap: all of it up to the break, libc's part too. */
	upto = sj->brk > heap ? sj->brk - heap : 0;
	if (upto > HEAP_MIRROR - (heap - PAGE_DOWN(heap)))
		upto = HEAP_MIRROR - (heap - PAGE_DOWN(heap));
	if (copy_in(sj, heap, upto) != 0) {
		free(rg);
		snprintf(err, errlen, "could not be read (its heap)");
		goto fail;
	}
	/* What the break gave back reads as zeros, as it would again. */
	if (sj->heap_copied > upto)
		madvise((void *)(uintptr_t)PAGE_UP(heap + upto),
		    (size_t)(PAGE_UP(heap + sj->heap_copied) -
		    PAGE_UP(heap + upto)), MADV_DONTNEED);
	sj->heap_copied = upto;
	for (i = 0; i < n; i++) {
		uint64_t	b = (uint64_t)(uintptr_t)rg[i].base;

		if (!in_heap_mirror(sj, PAGE_DOWN(b),
		    PAGE_UP(b + rg[i].size) - PAGE_DOWN(b)) &&
		    copy_in(sj, b, rg[i].size) != 0) {
			free(rg);
			snprintf(err, errlen, "could not be read (a mapping)");
			goto fail;
		}
	}
	free(rg);
	mirror_prune(sj, false);
	free(old);
	return 0;
undo:
	memcpy(state, old, sj->static_used);
	sj->ops->adopt(&sj->model, (void *)(uintptr_t)sj->hello.alloc_state,
	    &sj->ms, sj->glibc);
	sj->adopted = true;
fail:
	free(old);
	return -1;
}

/* ---- Requests. ---- */

/* Send one request and take its reply (records into *r, data into buf). */
static int
request(struct subject *sj, const struct subj_req *q, const void *data,
    struct subj_reply *r, struct subj_ev *ev, void *buf, size_t buflen)
{
	struct subj_sys	 sys[SUBJ_MAX_SYS];
	uint64_t	 old_brk = sj->brk;
	char		 discard[4096];
	size_t		 left;

	if (sj->dead) {
		errno = ESRCH;
		return -1;
	}
	if (write_all(sj->cmd_fd, q, sizeof *q) != 0 ||
	    (q->len > 0 && write_all(sj->cmd_fd, data, q->len) != 0)) {
		if (!sysmon_traced(sj->mon))
			reap_untraced(sj);
		errno = ESRCH;
		if (!sj->dead) {
			sj->dead = true;
			snprintf(sj->death, sizeof sj->death, "stopped "
			    "reading requests");
		}
		return -1;
	}
	if (sysmon_traced(sj->mon)) {
		if (run_traced(sj) != 0) {
			errno = ESRCH;
			return -1;
		}
	} else if (wait_untraced(sj) != 0) {
		errno = ESRCH;
		return -1;
	}
	if (fd_read_all(sj->reply_fd, r, sizeof *r) != 0 ||
	    r->nev > SUBJ_MAX_EV || r->nsys > SUBJ_MAX_SYS ||
	    fd_read_all(sj->reply_fd, ev, r->nev * sizeof *ev) != 0 ||
	    fd_read_all(sj->reply_fd, sys, r->nsys * sizeof *sys) != 0) {
		if (!sysmon_traced(sj->mon))
			reap_untraced(sj);
		else if (!sj->dead) {
			sj->dead = true;
			snprintf(sj->death, sizeof sj->death, "sent a broken "
			    "reply");
		}
		errno = ESRCH;
		return -1;
	}
	for (left = r->len; left > 0; ) {
		size_t	piece = left;
		void	*to = discard;

		if (buf != NULL && buflen >= r->len)
			to = (char *)buf + (r->len - left);
		else if (piece > sizeof discard)
			piece = sizeof discard;
		if (fd_read_all(sj->reply_fd, to, piece) != 0) {
			errno = ESRCH;
			return -1;
		}
		left -= piece;
	}
	sj->brk = r->brk;
	if (r->static_used <= sj->hello.static_len)
		sj->static_used = r->static_used;
	strlcopy(sj->glibc, r->glibc, sizeof sj->glibc);
	if (q->op != SUBJ_READ) {
		/* The map after the request: once, for the log and the view. */
		struct mapping	now[MAX_MAPS];
		size_t		n = read_maps(sj, now, MAX_MAPS);

		if (!sysmon_traced(sj->mon))
			log_inferred(sj, old_brk, sys, r->nsys, now, n);
		memcpy(sj->maps, now, n * sizeof *now);
		sj->nmaps = n;
	}
	drain_output(sj);
	return 0;
}

static int
read_mem(struct subject *sj, uint64_t addr, void *buf, size_t len)
{
	struct subj_req		q;
	struct subj_reply	r;
	struct subj_ev		ev[SUBJ_MAX_EV];

	if (sysmon_traced(sj->mon))
		return sysmon_read(sj->mon, addr, buf, len);
	memset(&q, 0, sizeof q);
	q.op = SUBJ_READ;
	q.a[0] = addr;
	q.a[1] = len;
	if (request(sj, &q, NULL, &r, ev, buf, len) != 0 || r.result != 0 ||
	    r.len != len)
		return -1;
	return 0;
}

int64_t
memsrc_subject_call(struct memsrc *ms, enum subj_op op, uint64_t a0,
    uint64_t a1, uint64_t a2, const void *data, size_t len)
{
	struct subject		*sj = subject_of(ms);
	struct subj_req		 q;
	struct subj_reply	 r;
	static struct subj_ev	 ev[SUBJ_MAX_EV];
	struct model_event	 e;
	char			 err[200];
	uint32_t		 i;

	if (len > SUBJ_MAX_TEXT) {
		errno = E2BIG;
		return -1;
	}
	memset(&q, 0, sizeof q);
	q.op = (uint32_t)op;
	q.len = (uint32_t)len;
	q.a[0] = a0;
	q.a[1] = a1;
	q.a[2] = a2;
	if (request(sj, &q, data, &r, ev, NULL, 0) != 0)
		return -1;
	/* The copy first: decisions point into it. */
	if (!sj->libc && refresh(sj, err, sizeof err) != 0) {
		sj->dead = true;
		snprintf(sj->death, sizeof sj->death, "%s", err);
		kill(sysmon_pid(sj->mon), SIGKILL);
		errno = ESRCH;
		return -1;
	}
	for (i = 0; i < r.nev && sj->hook != NULL; i++) {
		memset(&e, 0, sizeof e);
		e.kind = (int)ev[i].kind;
		e.bin_class = (int)ev[i].bin_kind;
		e.bin = ev[i].bin;
		e.chunk = (void *)(uintptr_t)ev[i].chunk;
		e.size = (size_t)ev[i].size;
		e.other = (void *)(uintptr_t)ev[i].other;
		e.other_size = (size_t)ev[i].other_size;
		sj->hook(sj->hook_ctx, &e);
	}
	errno = r.err;
	return r.result;
}

/* ---- Starting and stopping. ---- */

static const char *
subject_path(char *buf, size_t len)
{
	const char	*env = getenv("HEAPVIZ_SUBJECT");
	char		 self[PATH_MAX], *slash;
	ssize_t		 n;

	if (env != NULL && *env != '\0')
		return env;
	/* Beside heapviz (the build tree), else where it is installed. */
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			if (snprintf(buf, len, "%s/heapviz-subject", self) <
			    (int)len && access(buf, X_OK) == 0)
				return buf;
			if ((slash = strrchr(self, '/')) != NULL) {
				*slash = '\0';	/* tests/ -> the top */
				if (snprintf(buf, len, "%s/heapviz-subject",
				    self) < (int)len && access(buf, X_OK) == 0)
					return buf;
			}
		}
	}
	snprintf(buf, len, "%s/heapviz-subject", PKGLIBEXECDIR);
	return buf;
}

static void
close_fds(struct subject *sj)
{
	if (sj->cmd_fd >= 0)
		close(sj->cmd_fd);
	if (sj->reply_fd >= 0)
		close(sj->reply_fd);
	if (sj->out_fd >= 0)
		close(sj->out_fd);
	sj->cmd_fd = sj->reply_fd = sj->out_fd = -1;
}

static void
unmirror(struct subject *sj)
{
	size_t	i;

	for (i = 0; i < sj->nmirrors; i++)
		munmap((void *)(uintptr_t)sj->mirrors[i].start,
		    (size_t)sj->mirrors[i].len);
	sj->nmirrors = 0;
	if (sj->heap_mapped)
		munmap((void *)(uintptr_t)PAGE_DOWN(sj->hello.initial_break),
		    (size_t)HEAP_MIRROR);
	if (sj->static_mapped)
		munmap((void *)(uintptr_t)sj->hello.static_start,
		    (size_t)PAGE_UP(sj->hello.static_len));
	sj->heap_mapped = sj->static_mapped = false;
	sj->heap_copied = 0;
	sj->adopted = false;
}

static void
stop(struct subject *sj)
{
	sysmon_destroy(sj->mon);
	sj->mon = NULL;
	close_fds(sj);
	unmirror(sj);
}

/* Add a line to the start's note. */
static void
note_add(char *note, size_t notelen, const char *text)
{
	size_t	used;

	if (note == NULL || notelen == 0)
		return;
	used = strlen(note);
	if (used < notelen)
		snprintf(note + used, notelen - used, "%s%s", used ? "\n" : "",
		    text);
}

/* What the first start says about the subject's environment, once. */
static void
start_notes(struct subject *sj, char *note, size_t notelen)
{
	char	tun[512], line[700];

	sysmon_malloc_tunables(tun, sizeof tun);
	if (tun[0] != '\0') {
		snprintf(line, sizeof line, "note: the subject starts without "
		    "the malloc tunables set here (%s), so its heap is the "
		    "one the lessons show", tun);
		note_add(note, notelen, line);
	}
	if (sysmon_why_randomised(sj->mon)[0] != '\0') {
		snprintf(line, sizeof line, "note: %s: the subject's addresses "
		    "change from run to run and differ from the lessons'",
		    sysmon_why_randomised(sj->mon));
		note_add(note, notelen, line);
	}
}

static int
start(struct subject *sj, char *err, size_t errlen, char *note,
    size_t notelen)
{
	int			 cmd[2], rep[2], out[2], fds[5];
	char			 path[PATH_MAX], *argv[3];
	char			 libc_flag[] = "--libc";
	char			 fatal[] = "LIBC_FATAL_STDERR_=1";
	char			*env[] = { fatal, NULL };
	struct sysmon_opts	 o;
	struct sysmon_event	 ev;
	struct subj_hello	 h;

	sj->cmd_fd = sj->reply_fd = sj->out_fd = -1;
	sj->dead = false;
	sj->death[0] = '\0';
	if (pipe2(cmd, O_CLOEXEC) != 0 || pipe2(rep, O_CLOEXEC) != 0 ||
	    pipe2(out, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	fds[0] = -1;
	fds[1] = out[1];
	fds[2] = out[1];
	fds[SUBJ_CMD_FD] = cmd[0];
	fds[SUBJ_REPLY_FD] = rep[1];
	memset(&o, 0, sizeof o);
	o.aslr = sj->aslr;
	o.fds = fds;
	o.nfds = 5;
	o.env = env;
	/* The class demo is the documented one, whatever the shell set. */
	o.no_tunables = true;
	argv[0] = (char *)subject_path(path, sizeof path);
	argv[1] = sj->libc ? libc_flag : NULL;
	argv[2] = NULL;
	sj->mon = sysmon_spawn(argv, &o, err, errlen);
	close(cmd[0]);
	close(rep[1]);
	close(out[1]);
	sj->cmd_fd = cmd[1];
	sj->reply_fd = rep[0];
	sj->out_fd = out[0];
	fcntl(sj->out_fd, F_SETFL, O_NONBLOCK);
	if (sj->mon == NULL) {
		close_fds(sj);
		return -1;
	}
	if (note != NULL && notelen > 0)
		note[0] = '\0';
	/* Its start: ld.so mapping libc, libc setting itself up. */
	evlog_set_cause(sj->log, 0, true, "program start (ld.so, libc)");
	if (sysmon_traced(sj->mon)) {
		struct evlog	*keep = sj->log, scratch;

		if (sj->logged_start) {
			/* Restarts do the same again: log it once. */
			memset(&scratch, 0, sizeof scratch);
			sj->log = &scratch;
		}
		sj->hello.in_call = 0;
		if (run_traced(sj) != 0) {
			sj->log = keep;
			snprintf(err, errlen, "the subject %s: %s", sj->death,
			    argv[0]);
			stop(sj);
			return -1;
		}
		if (sj->log != keep) {
			free(scratch.v);
			sj->log = keep;
		}
	} else if (note != NULL && notelen > 0)
		snprintf(note, notelen, "note: %s: heapviz compares the "
		    "break and /proc/%ld/maps before and after each command "
		    "instead of tracing each call", sysmon_why_untraced(sj->mon),
		    (long)sysmon_pid(sj->mon));
	sj->logged_start = true;
	{
		int	pers = personality(0xffffffff);

		if (note != NULL && notelen > 0 && note[0] == '\0' &&
		    pers != -1 && (pers & ADDR_NO_RANDOMIZE))
			snprintf(note, notelen, "note: heapviz itself runs "
			    "with address randomisation off (setarch -R, or a "
			    "debugger): the subject's mappings may land where "
			    "heapviz has its own, and then cannot be shown");
	}
	start_notes(sj, note, notelen);
	if (fd_read_all(sj->reply_fd, &h, sizeof h) != 0 ||
	    h.magic != SUBJ_MAGIC) {
		if (!sysmon_traced(sj->mon) && sysmon_poll_end(sj->mon, &ev))
			(void)ev;
		snprintf(err, errlen, "%s did not start as a heapviz subject",
		    argv[0]);
		stop(sj);
		return -1;
	}
	sj->hello = h;
	sj->ms.initial_break = h.initial_break;
	sj->brk = h.initial_break;
	sj->static_used = 0;
	if (sj->libc) {
		/* Nothing to copy: heapviz reads the heap when it compares. */
		if (memsrc_subject_call(&sj->ms, SUBJ_STATUS, 0, 0, 0, NULL,
		    0) != 0) {
			snprintf(err, errlen, "the subject %s", sj->death);
			stop(sj);
			return -1;
		}
		return 0;
	}
	if (place(h.static_start, PAGE_UP(h.static_len), false) != 0 ||
	    !(sj->static_mapped = true) ||
	    place(PAGE_DOWN(h.initial_break), HEAP_MIRROR, true) != 0) {
		snprintf(err, errlen, "cannot copy the subject's memory into "
		    "heapviz at 0x%" PRIx64 ": the address is taken here (%s)",
		    (uint64_t)h.initial_break, strerror(errno));
		stop(sj);
		return -1;
	}
	sj->heap_mapped = true;
	if (memsrc_subject_call(&sj->ms, SUBJ_STATUS, 0, 0, 0, NULL, 0) != 0) {
		snprintf(err, errlen, "the subject %s", sj->death);
		stop(sj);
		return -1;
	}
	return 0;
}

struct memsrc *
memsrc_subject_create(struct evlog *log, const struct model_ops *ops,
    bool aslr, char *err, size_t errlen, char *note, size_t notelen)
{
	struct subject	*sj = xcalloc(1, sizeof *sj);

	sj->ops = ops;
	sj->libc = ops->libc;
	sj->ms.ops = &subject_ops;
	sj->ms.log = NULL;	/* the kernel's view is logged, not ours */
	sj->log = log;
	sj->aslr = aslr;
	if (start(sj, err, errlen, note, notelen) != 0) {
		free(sj->out);
		free(sj->mirrors);
		free(sj);
		return NULL;
	}
	return &sj->ms;
}

int
memsrc_subject_restart(struct memsrc *ms, char *err, size_t errlen)
{
	struct subject	*sj = subject_of(ms);

	stop(sj);
	sj->outlen = 0;
	return start(sj, err, errlen, NULL, 0);
}

int
memsrc_subject_read(struct memsrc *ms, uint64_t addr, void *buf, size_t len)
{
	struct subject	*sj = subject_of(ms);

	if (sj->dead) {
		errno = ESRCH;
		return -1;
	}
	return read_mem(sj, addr, buf, len);
}

const struct subj_hello *
memsrc_subject_hello(const struct memsrc *ms)
{
	return &((const struct subject *)ms)->hello;
}

struct model *
memsrc_subject_model(struct memsrc *ms)
{
	struct subject	*sj = subject_of(ms);

	return sj->adopted ? &sj->model : NULL;
}

void
memsrc_subject_set_hook(struct memsrc *ms, model_hook hook, void *ctx)
{
	subject_of(ms)->hook = hook;
	subject_of(ms)->hook_ctx = ctx;
}

size_t
memsrc_subject_output(struct memsrc *ms, char *buf, size_t len)
{
	struct subject	*sj = subject_of(ms);
	size_t		 n;

	drain_output(sj);
	n = sj->outlen < len ? sj->outlen : len;
	if (n == 0)
		return 0;
	memcpy(buf, sj->out, n);
	memmove(sj->out, sj->out + n, sj->outlen - n);
	sj->outlen -= n;
	return n;
}

const char *
memsrc_subject_death(const struct memsrc *ms)
{
	const struct subject	*sj = (const struct subject *)ms;

	return sj->dead ? sj->death : NULL;
}

bool
memsrc_subject_traced(const struct memsrc *ms)
{
	const struct subject	*sj = (const struct subject *)ms;

	return sj->mon != NULL && sysmon_traced(sj->mon);
}

bool
memsrc_subject_aslr(const struct memsrc *ms)
{
	return ((const struct subject *)ms)->aslr;
}

long
memsrc_subject_pid(const struct memsrc *ms)
{
	const struct subject	*sj = (const struct subject *)ms;

	return sj->mon != NULL ? (long)sysmon_pid(sj->mon) : 0;
}

/* ---- The memory source's operations. ---- */

static void *
subject_sbrk(struct memsrc *ms, intptr_t incr)
{
	struct subject	*sj = subject_of(ms);
	int64_t		 r;

	if (incr == 0)
		return (void *)(uintptr_t)sj->brk;
	r = memsrc_subject_call(ms, SUBJ_SBRK, (uint64_t)incr, 0, 0, NULL, 0);
	return r == -1 ? MEMSRC_FAIL : (void *)(uintptr_t)r;
}

static void *
subject_mmap(struct memsrc *ms, size_t len)
{
	(void)ms;
	(void)len;
	errno = ENOSYS;		/* the subject maps for itself */
	return MEMSRC_FAIL;
}

static int
subject_munmap(struct memsrc *ms, void *p, size_t len)
{
	(void)ms;
	(void)p;
	(void)len;
	errno = ENOSYS;
	return -1;
}

static void *
subject_mremap(struct memsrc *ms, void *p, size_t o, size_t n, int f)
{
	(void)ms;
	(void)p;
	(void)o;
	(void)n;
	(void)f;
	errno = ENOSYS;
	return MEMSRC_FAIL;
}

static uint64_t
subject_to_display(struct memsrc *ms, const void *p)
{
	(void)ms;
	return (uint64_t)(uintptr_t)p;
}

/* Only memory the copy holds: the heap, the state area, the mappings. */
static void *
subject_to_host(struct memsrc *ms, uint64_t addr, size_t len)
{
	struct subject	*sj = subject_of(ms);
	uint64_t	 heap = sj->hello.initial_break;
	size_t		 i;

	if (!sj->adopted)
		return NULL;
	if (addr >= heap && addr - heap <= sj->heap_copied &&
	    len <= sj->heap_copied - (addr - heap))
		return (void *)(uintptr_t)addr;
	if (addr >= sj->hello.static_start &&
	    addr - sj->hello.static_start <= sj->static_used &&
	    len <= sj->static_used - (addr - sj->hello.static_start))
		return (void *)(uintptr_t)addr;
	for (i = 0; i < sj->nmirrors; i++) {
		const struct mirror	*m = &sj->mirrors[i];

		if (addr >= m->start && addr - m->start <= m->len &&
		    len <= m->len - (addr - m->start))
			return (void *)(uintptr_t)addr;
	}
	return NULL;
}

static size_t
subject_mappings(struct memsrc *ms, struct mapping *out, size_t max)
{
	struct subject	*sj = subject_of(ms);
	size_t		 i;

	for (i = 0; i < sj->nmaps && i < max; i++)
		out[i] = sj->maps[i];
	return sj->nmaps;
}

static void
subject_destroy(struct memsrc *ms)
{
	struct subject	*sj = subject_of(ms);

	stop(sj);
	free(sj->out);
	free(sj->mirrors);
	free(sj);
}

static const struct memsrc_ops subject_ops = {
	.name = "real",
	.sbrk = subject_sbrk,
	.mmap = subject_mmap,
	.munmap = subject_munmap,
	.mremap = subject_mremap,
	.to_display = subject_to_display,
	.to_host = subject_to_host,
	.mappings = subject_mappings,
	.destroy = subject_destroy,
};
