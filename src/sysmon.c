/*
 * sysmon.c -- a program under ptrace, stopped at each system call.
 *
 * The child reports how its start went through a close-on-exec pipe: one
 * record saying whether PTRACE_TRACEME worked (and if not, errno), then,
 * only if execvp fails, a second with its errno.  A traced child stops
 * itself with SIGSTOP before exec, so the parent can set its options
 * (PTRACE_O_EXITKILL: the program dies with heapviz, never outlives it).
 *
 * Entry and exit stops are told apart with PTRACE_GET_SYSCALL_INFO rather
 * than by counting, so a missed stop (the execve that started it all) can
 * never swap them.
 *
 * The seccomp way (opts.seccomp).  After its SIGSTOP the child sets
 * no_new_privs and installs a filter of a few instructions: check the
 * architecture, then compare the call's number with each one asked for
 * (SECCOMP_RET_TRACE) and let everything else through
 * (SECCOMP_RET_ALLOW).  It reports 'F' (on) or 'f' and errno (refused)
 * before exec.  The parent resumes with PTRACE_CONT, so only a filtered
 * call stops (a PTRACE_EVENT_SECCOMP stop, at its entry); to see that
 * call's result it resumes that one thread with PTRACE_SYSCALL once and
 * gets the exit stop.  PTRACE_O_TRACECLONE/FORK/VFORK attach the threads
 * and children as they are made: the kernel fails a filtered call of a
 * process nobody traces with ENOSYS.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysmon.h"
#include "xmalloc.h"

#if defined(__x86_64__)
#define FILTER_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define FILTER_ARCH	AUDIT_ARCH_AARCH64
#endif

/* A thread or child followed in the seccomp way. */
struct tracee {
	pid_t		 tid;
	bool		 thread;	/* of the program's own process */
	bool		 started;	/* its first SIGSTOP was taken */
	bool		 want_exit;	/* resume to the call's exit stop */
	int		 sig;		/* to pass on at the next resume */
	long		 nr;		/* the call it is in */
	uint64_t	 args[6];
};

struct sysmon {
	pid_t	 pid;
	bool	 traced;
	bool	 seccomp;	/* asked for */
	bool	 filtered;	/* and on */
	struct tracee	*t;
	size_t		 nt, capt;
	pid_t		 held;	/* the thread sysmon_poll reported, stopped */
	char		 why_unfiltered[128];
	bool	 gone;		/* reaped */
	int	 pending_sig;	/* to pass on at the next resume */
	long	 last_nr;	/* of the last entry stop */
	int	 memfd;		/* /proc/PID/mem, when process_vm_* fails */
	char	 why[160];
	char	 why_aslr[160];
};

struct start_record {
	char	kind;		/* 'T' traced, 'N' not traced, 'E' exec failed,
				 * 'R' (before T or N) randomisation stays on */
	int	err;
};

static void
child_write(int fd, char kind, int err)
{
	struct start_record	r;
	ssize_t			n;

	/* Zeroed whole: the padding after kind goes down the pipe too. */
	memset(&r, 0, sizeof r);
	r.kind = kind;
	r.err = err;
	do
		n = write(fd, &r, sizeof r);
	while (n < 0 && errno == EINTR);
}

/* In the child: stop at the calls nrs, at no other.  0 or -1 (errno). */
static int
install_filter(const long *nrs, size_t n)
{
#ifdef FILTER_ARCH
	struct sock_filter	f[64];
	struct sock_fprog	prog;
	size_t			i, k = 0;

	if (n > 60) {
		errno = E2BIG;
		return -1;
	}
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, arch));
	/* Another architecture's calls (int 0x80): through, unseen. */
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    FILTER_ARCH, 1, 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr));
	for (i = 0; i < n; i++) {
		/* Equal: on to the next but one instruction, TRACE. */
		f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ |
		    BPF_K, (uint32_t)nrs[i], (uint8_t)(n - i), 0);
	}
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_TRACE);
	prog.len = (unsigned short)k;
	prog.filter = f;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
#else
	(void)nrs;
	(void)n;
	errno = ENOSYS;
	return -1;
#endif
}

static bool
is_tunable(const char *entry)
{
	return strncmp(entry, "GLIBC_TUNABLES=", 15) == 0 ||
	    (strncmp(entry, "MALLOC_", 7) == 0 && strchr(entry, '=') != NULL);
}

void
sysmon_malloc_tunables(char *buf, size_t len)
{
	size_t		  i, used = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (i = 0; environ != NULL && environ[i] != NULL; i++) {
		int	n;

		if (!is_tunable(environ[i]) || used >= len)
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
		    environ[i]);
		used += n > 0 ? (size_t)n : 0;
	}
}

/* In the child: the malloc tunables out of the environment. */
static void
drop_tunables(void)
{
	size_t		  i, j;

	for (i = j = 0; environ[i] != NULL; i++)
		if (!is_tunable(environ[i]))
			environ[j++] = environ[i];
	environ[j] = NULL;
}

/* In the child: never returns. */
static void
child_start(char *const argv[], const struct sysmon_opts *o, int report)
{
	int	*moved = NULL;
	size_t	 i;
	int	 null;

	/* Move the wanted descriptors out of the way, then into place. */
	if (o->nfds > 0) {
		moved = calloc(o->nfds, sizeof *moved);
		if (moved == NULL)
			_exit(127);
		for (i = 0; i < o->nfds; i++)
			moved[i] = o->fds[i] < 0 ? -1 :
			    fcntl(o->fds[i], F_DUPFD_CLOEXEC, 64);
	}
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (i = 0; i < o->nfds; i++) {
		int	from = moved[i] >= 0 ? moved[i] : null;

		if (from >= 0)
			dup2(from, (int)i);
	}
	free(moved);	/* an exec that fails ends this process with it */
	/* Everything else heapviz has open stays behind. */
	for (i = o->nfds < 3 ? 3 : o->nfds; i < 1024; i++) {
		if ((int)i != report)
			close((int)i);
	}
	if (o->no_tunables)
		drop_tunables();
	if (o->env != NULL) {
		for (i = 0; o->env[i] != NULL; i++)
			putenv(o->env[i]);
	}
	if (!o->aslr) {
		int		 was = personality(0xffffffff);
		const char	*deny = getenv("HEAPVIZ_NO_PERSONALITY");

		/* Refused (a seccomp filter, say; HEAPVIZ_NO_PERSONALITY=1
		 * simulates that), or taken and not kept. */
		if (deny != NULL && *deny != '\0' && strcmp(deny, "0") != 0)
			child_write(report, 'R', EPERM);
		else if (was == -1 ||
		    personality((unsigned long)was | ADDR_NO_RANDOMIZE) == -1)
			child_write(report, 'R', errno);
		else if (!(personality(0xffffffff) & ADDR_NO_RANDOMIZE))
			child_write(report, 'R', 0);
	}
	/* Its own process group: Ctrl-C at heapviz's prompt is heapviz's. */
	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	{
		const char	*deny = getenv("HEAPVIZ_NO_PTRACE");

		if (deny != NULL && *deny != '\0' && strcmp(deny, "0") != 0)
			child_write(report, 'N', EPERM);
		else if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
			child_write(report, 'N', errno);
		else {
			child_write(report, 'T', 0);
			raise(SIGSTOP);
			if (o->seccomp) {
				const char	*no = getenv("HEAPVIZ_NO_SECCOMP");

				/* HEAPVIZ_NO_SECCOMP=1: as if refused. */
				if (no != NULL && *no != '\0' &&
				    strcmp(no, "0") != 0) {
					errno = EPERM;
					child_write(report, 'f', errno);
				} else if (install_filter(o->nrs, o->nnrs) == 0)
					child_write(report, 'F', 0);
				else
					child_write(report, 'f', errno);
			}
		}
	}
	execvp(argv[0], argv);
	child_write(report, 'E', errno);
	_exit(127);
}

static int
read_record(int fd, struct start_record *r)
{
	ssize_t	n;

	do
		n = read(fd, r, sizeof *r);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof *r ? 0 : -1;
}

static void
reap(struct sysmon *m, int *status)
{
	int	st = 0;

	if (!m->gone) {
		while (waitpid(m->pid, &st, __WALL) < 0 && errno == EINTR)
			;
		m->gone = true;
	}
	if (status != NULL)
		*status = st;
}

struct sysmon *
sysmon_spawn(char *const argv[], const struct sysmon_opts *o, char *err,
    size_t errlen)
{
	struct sysmon		*m;
	struct start_record	 r;
	int			 p[2], st;
	pid_t			 pid;

	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return NULL;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return NULL;
	}
	if (pid == 0) {
		close(p[0]);
		child_start(argv, o, p[1]);
	}
	close(p[1]);
	m = xcalloc(1, sizeof *m);
	m->pid = pid;
	m->memfd = -1;
	m->last_nr = -1;
	if (read_record(p[0], &r) != 0)
		r.kind = 'E', r.err = ECHILD;
	if (r.kind == 'R') {
		snprintf(m->why_aslr, sizeof m->why_aslr, "the kernel refused "
		    "to turn address randomisation off (personality: %s)",
		    r.err ? strerror(r.err) : "not kept");
		if (read_record(p[0], &r) != 0)
			r.kind = 'E', r.err = ECHILD;
	}
	if (r.kind == 'T') {
		m->traced = true;
		/* The SIGSTOP it raised; then on to exec. */
		if (waitpid(pid, &st, __WALL) != pid || !WIFSTOPPED(st)) {
			snprintf(err, errlen, "%s: the traced child did not "
			    "stop", argv[0]);
			m->gone = true;
			close(p[0]);
			free(m);
			return NULL;
		}
		ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(long)
		    (PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL |
		    PTRACE_O_TRACEEXEC | (o->seccomp ? PTRACE_O_TRACESECCOMP |
		    PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
		    PTRACE_O_TRACEVFORK : 0)));
		ptrace(PTRACE_CONT, pid, NULL, NULL);
		for (;;) {
			if (waitpid(pid, &st, __WALL) < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			if (WIFSTOPPED(st) &&
			    (st >> 8) == (SIGTRAP | (PTRACE_EVENT_EXEC << 8)))
				break;		/* exec'd: stopped there */
			if (WIFSTOPPED(st)) {
				/* Not an event stop (the filter's, on
				 * execve): a signal to pass on. */
				ptrace(PTRACE_CONT, pid, NULL, (void *)(long)
				    ((st >> 16) != 0 ? 0 : WSTOPSIG(st)));
				continue;
			}
			m->gone = true;		/* exec failed: it exited */
			break;
		}
	} else if (r.kind == 'N') {
		snprintf(m->why, sizeof m->why, "ptrace is not permitted "
		    "here (%s)", strerror(r.err));
	}
	/* The filter, then anything more means execvp failed. */
	m->seccomp = o->seccomp && m->traced;
	if (m->seccomp && read_record(p[0], &r) == 0 && r.kind != 'E') {
		m->filtered = r.kind == 'F';
		if (!m->filtered)
			snprintf(m->why_unfiltered, sizeof m->why_unfiltered,
			    "the kernel refused a seccomp filter (%s)",
			    strerror(r.err));
		r.kind = 0;
		if (read_record(p[0], &r) != 0)
			r.kind = 0;
	} else if (!m->seccomp && read_record(p[0], &r) != 0)
		r.kind = 0;
	if (r.kind == 'E') {
		snprintf(err, errlen, "%s: %s", argv[0], strerror(r.err));
		reap(m, NULL);
		close(p[0]);
		free(m);
		return NULL;
	}
	close(p[0]);
	if (m->gone) {
		snprintf(err, errlen, "%s: could not be started", argv[0]);
		free(m);
		return NULL;
	}
	if (m->seccomp) {
		m->t = xcalloc(8, sizeof *m->t);
		m->capt = 8;
		m->nt = 1;
		m->t[0].tid = pid;
		m->t[0].thread = m->t[0].started = true;
		m->t[0].nr = -1;
		m->held = pid;	/* stopped at exec */
	}
	return m;
}

bool
sysmon_filtered(const struct sysmon *m)
{
	return m->filtered;
}

const char *
sysmon_why_unfiltered(const struct sysmon *m)
{
	return m->why_unfiltered;
}

bool
sysmon_traced(const struct sysmon *m)
{
	return m->traced;
}

const char *
sysmon_why_untraced(const struct sysmon *m)
{
	return m->why;
}

const char *
sysmon_why_randomised(const struct sysmon *m)
{
	return m->why_aslr;
}

pid_t
sysmon_pid(const struct sysmon *m)
{
	return m->pid;
}

static void
ended(struct sysmon *m, int st, struct sysmon_event *ev)
{
	m->gone = true;
	memset(ev, 0, sizeof *ev);
	if (WIFSIGNALED(st)) {
		ev->kind = SYSMON_KILLED;
		ev->status = WTERMSIG(st);
		ev->core = WCOREDUMP(st);
	} else {
		ev->kind = SYSMON_EXITED;
		ev->status = WEXITSTATUS(st);
	}
}

int
sysmon_next(struct sysmon *m, struct sysmon_event *ev)
{
	struct __ptrace_syscall_info	info;
	int				st;
	long				r;

	if (!m->traced || m->gone)
		return -1;
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, m->pid, NULL,
		    (void *)(long)m->pending_sig) != 0 && errno == ESRCH &&
		    kill(m->pid, 0) != 0 && errno == ESRCH)
			return -1;
		m->pending_sig = 0;
		r = waitpid(m->pid, &st, __WALL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			m->gone = true;
			return -1;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			ended(m, st, ev);
			return 0;
		}
		if (!WIFSTOPPED(st))
			continue;
		if (WSTOPSIG(st) != (SIGTRAP | 0x80)) {
			/* An event stop (exec) or a signal to pass on. */
			if ((st >> 16) == 0)
				m->pending_sig = WSTOPSIG(st);
			continue;
		}
		memset(&info, 0, sizeof info);
		if (ptrace(PTRACE_GET_SYSCALL_INFO, m->pid,
		    (void *)sizeof info, &info) <= 0)
			continue;
		memset(ev, 0, sizeof *ev);
		if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
			ev->kind = SYSMON_ENTRY;
			ev->nr = (long)info.entry.nr;
			memcpy(ev->args, info.entry.args, sizeof ev->args);
			m->last_nr = ev->nr;
			return 0;
		}
		if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
			ev->kind = SYSMON_EXIT;
			ev->nr = m->last_nr;
			ev->ret = info.exit.rval;
			m->last_nr = -1;
			return 0;
		}
	}
}

/* ---- The seccomp way: every thread and child, without blocking. ---- */
static struct tracee *
tracee_find(struct sysmon *m, pid_t tid)
{
	size_t	i;

	for (i = 0; i < m->nt; i++) {
		if (m->t[i].tid == tid)
			return &m->t[i];
	}
	return NULL;
}

static struct tracee *
tracee_add(struct sysmon *m, pid_t tid)
{
	struct tracee	*t;
	char		 path[64];

	if (m->nt == m->capt) {
		m->capt *= 2;
		m->t = xreallocarray(m->t, m->capt, sizeof *m->t);
	}
	t = &m->t[m->nt++];
	memset(t, 0, sizeof *t);
	t->tid = tid;
	t->nr = -1;
	/* A thread of the program's process, or a child process. */
	snprintf(path, sizeof path, "/proc/%ld/task/%ld", (long)m->pid,
	    (long)tid);
	t->thread = access(path, F_OK) == 0;
	return t;
}

static void
tracee_remove(struct sysmon *m, pid_t tid)
{
	struct tracee	*t = tracee_find(m, tid);

	if (t != NULL)
		*t = m->t[--m->nt];
}

/* Whether this thread's calls are reported (the filtered ones). */
static bool
reported(const struct sysmon *m, const struct tracee *t)
{
	return t->thread && (m->filtered || t->tid == m->pid);
}

static void
resume(struct sysmon *m, struct tracee *t)
{
	int	req;

	/* Unfiltered, the first thread stops at every call. */
	if (t->want_exit || (!m->filtered && t->tid == m->pid))
		req = PTRACE_SYSCALL;
	else
		req = PTRACE_CONT;
	ptrace(req, t->tid, NULL, (void *)(long)t->sig);
	t->sig = 0;
}

/* One stop of thread t (status st): 1 if ev is to be reported. */
static int
on_stop(struct sysmon *m, struct tracee *t, int st, struct sysmon_event *ev)
{
	struct __ptrace_syscall_info	info;
	int				event = st >> 16, sig = WSTOPSIG(st);

	if (!t->started && sig == SIGSTOP && event == 0) {
		t->started = true;	/* a new thread's first stop */
		return 0;
	}
	if (event != 0 && event != PTRACE_EVENT_SECCOMP)
		return 0;	/* clone, fork, exec: carry on as before */
	if (event == 0 && sig != (SIGTRAP | 0x80)) {
		t->sig = sig;	/* a signal for it */
		return 0;
	}
	memset(&info, 0, sizeof info);
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof info,
	    &info) <= 0)
		return 0;
	memset(ev, 0, sizeof *ev);
	ev->tid = t->tid;
	switch (info.op) {
	case PTRACE_SYSCALL_INFO_SECCOMP:
	case PTRACE_SYSCALL_INFO_ENTRY:
		t->nr = info.op == PTRACE_SYSCALL_INFO_SECCOMP ?
		    (long)info.seccomp.nr : (long)info.entry.nr;
		memcpy(t->args, info.op == PTRACE_SYSCALL_INFO_SECCOMP ?
		    info.seccomp.args : info.entry.args, sizeof t->args);
		t->want_exit = m->filtered;
		ev->kind = SYSMON_ENTRY;
		ev->nr = t->nr;
		memcpy(ev->args, t->args, sizeof ev->args);
		return reported(m, t);
	case PTRACE_SYSCALL_INFO_EXIT:
		t->want_exit = false;
		ev->kind = SYSMON_EXIT;
		ev->nr = t->nr;
		memcpy(ev->args, t->args, sizeof ev->args);
		ev->ret = info.exit.rval;
		t->nr = -1;
		return reported(m, t);
	}
	return 0;
}

int
sysmon_poll(struct sysmon *m, struct sysmon_event *ev)
{
	struct tracee	*t;
	pid_t		 tid;
	int		 st;

	if (!m->traced || m->gone || !m->seccomp)
		return -1;
	if (m->held != 0) {
		if ((t = tracee_find(m, m->held)) != NULL)
			resume(m, t);
		m->held = 0;
	}
	for (;;) {
		tid = waitpid(-1, &st, WNOHANG | __WALL);
		if (tid < 0 && errno == EINTR)
			continue;
		if (tid < 0) {
			m->gone = true;
			return -1;
		}
		if (tid == 0)
			return 0;
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (tid == m->pid) {
				ended(m, st, ev);
				ev->tid = tid;
				return 1;
			}
			tracee_remove(m, tid);
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		if ((t = tracee_find(m, tid)) == NULL)
			t = tracee_add(m, tid);
		if (on_stop(m, t, st, ev)) {
			m->held = tid;
			return 1;
		}
		resume(m, t);
	}
}

int
sysmon_poll_end(struct sysmon *m, struct sysmon_event *ev)
{
	int	st;
	pid_t	r;

	if (m->gone)
		return -1;
	r = waitpid(m->pid, &st, WNOHANG | __WALL);
	if (r != m->pid)
		return 0;
	if (WIFEXITED(st) || WIFSIGNALED(st)) {
		ended(m, st, ev);
		return 1;
	}
	return 0;
}

static int
mem_fd(struct sysmon *m)
{
	char	path[64];

	if (m->memfd < 0) {
		snprintf(path, sizeof path, "/proc/%ld/mem", (long)m->pid);
		m->memfd = open(path, O_RDWR | O_CLOEXEC);
	}
	return m->memfd;
}

/* Copy between here and the program's memory, whichever way asked. */
static int
transfer(struct sysmon *m, uint64_t addr, void *buf, size_t len, bool out)
{
	struct iovec	local = { buf, len };
	struct iovec	remote = { (void *)(uintptr_t)addr, len };
	ssize_t		n;
	int		fd;

	if (len == 0)
		return 0;
	if (m->gone)
		return -1;
	n = out ? process_vm_writev(m->pid, &local, 1, &remote, 1, 0) :
	    process_vm_readv(m->pid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	if ((fd = mem_fd(m)) < 0)
		return -1;
	n = out ? pwrite(fd, buf, len, (off_t)addr) :
	    pread(fd, buf, len, (off_t)addr);
	return n == (ssize_t)len ? 0 : -1;
}

int
sysmon_read(struct sysmon *m, uint64_t addr, void *buf, size_t len)
{
	return transfer(m, addr, buf, len, false);
}

int
sysmon_write(struct sysmon *m, uint64_t addr, const void *buf, size_t len)
{
	return transfer(m, addr, (void *)(uintptr_t)buf, len, true);
}

void
sysmon_destroy(struct sysmon *m)
{
	size_t	i;

	if (m == NULL)
		return;
	if (!m->gone) {
		kill(m->pid, SIGKILL);
		reap(m, NULL);
	}
	/* Children still running would fail their filtered calls once
	 * nobody traces them: they go with the program. */
	for (i = 0; i < m->nt; i++) {
		if (!m->t[i].thread && kill(m->t[i].tid, SIGKILL) == 0)
			waitpid(m->t[i].tid, NULL, __WALL);
	}
	if (m->memfd >= 0)
		close(m->memfd);
	free(m->t);
	free(m);
}

const char *
sysmon_call_name(long nr)
{
	switch (nr) {
	case SYS_brk:
		return "brk";
	case SYS_mmap:
		return "mmap";
	case SYS_munmap:
		return "munmap";
	case SYS_mremap:
		return "mremap";
	}
	return NULL;
}
