/*
 * sysmon.h -- run a program under ptrace and watch its system calls from
 * the kernel's side: the real-mode subject, and `trace PROGRAM`.
 *
 * sysmon_spawn forks and execs the program with address randomisation off
 * (unless asked to keep it), with the file descriptors the caller wants in
 * place, and stops it under ptrace before its first instruction.  The
 * caller then drives it with sysmon_next, which resumes the program and
 * returns at the next system-call entry or exit, or when it ends.
 *
 * Where ptrace is not permitted (a container without CAP_SYS_PTRACE, a
 * Yama policy, or HEAPVIZ_NO_PTRACE=1 in the environment, which simulates
 * the denial), the program still runs, untraced; sysmon_traced says so and
 * the caller falls back to watching the break and /proc/PID/maps.
 *
 * With opts.seccomp, the child installs a seccomp-BPF filter before it
 * execs: the calls listed stop it (SECCOMP_RET_TRACE), all others run
 * without a stop, and the caller drives it with sysmon_poll, which never
 * blocks.  Its threads and children inherit the filter, so they are
 * followed too (a filtered call with no tracer would fail): the threads'
 * stops are reported with their tid, the children's are resumed unseen.
 * Where the kernel refuses the filter (or HEAPVIZ_NO_SECCOMP=1 says to
 * act as if), every system call of the process's first thread stops, as
 * without it (sysmon_filtered says which).
 *
 * Otherwise only the process itself is followed, not threads or children
 * it makes.
 *
 * Address randomisation is turned off with personality(ADDR_NO_RANDOMIZE);
 * where that is refused (HEAPVIZ_NO_PERSONALITY=1 simulates it) the
 * program runs randomised and sysmon_why_randomised says why.
 */
#ifndef HEAPVIZ_SYSMON_H
#define HEAPVIZ_SYSMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sysmon;

struct sysmon_opts {
	bool		 aslr;		/* keep address randomisation on */
	/* Descriptors to install in the child: fds[i] becomes descriptor
	 * i (0, 1, 2, then 3...); -1 leaves /dev/null there. */
	const int	*fds;
	size_t		 nfds;
	/* Extra environment entries, "NAME=value" (NULL-terminated). */
	char *const	*env;
	/* Stop only at these system calls (a seccomp filter); see above. */
	bool		 seccomp;
	const long	*nrs;
	size_t		 nnrs;
	/* Drop glibc's malloc tunables (GLIBC_TUNABLES, MALLOC_*) from the
	 * program's environment. */
	bool		 no_tunables;
};

/*
 * The malloc tunables set in heapviz's environment, comma-separated
 * ("GLIBC_TUNABLES=glibc.malloc.top_pad=0, MALLOC_TOP_PAD_=65536"): they
 * change where glibc puts things.  Empty when none is set.
 */
void		 sysmon_malloc_tunables(char *buf, size_t len);

enum sysmon_kind {
	SYSMON_ENTRY,		/* entering call nr with args */
	SYSMON_EXIT,		/* leaving call nr: ret (-errno on failure) */
	SYSMON_EXITED,		/* the program ended: status is its exit code */
	SYSMON_KILLED,		/* killed by signal `status` */
};

struct sysmon_event {
	enum sysmon_kind	 kind;
	long			 nr;
	uint64_t		 args[6];
	int64_t			 ret;
	int			 status;
	bool			 core;		/* SYSMON_KILLED: dumped core */
	pid_t			 tid;		/* the thread stopped */
};

/*
 * Start argv[0] (searched in PATH when it has no slash).  NULL with a
 * message in err when it cannot be started at all.
 */
struct sysmon	*sysmon_spawn(char *const argv[], const struct sysmon_opts *,
		     char *err, size_t errlen);
bool		 sysmon_traced(const struct sysmon *);
/* Why the program is not traced (empty when it is). */
const char	*sysmon_why_untraced(const struct sysmon *);
/* Why address randomisation is still on though it was to be turned off
 * (personality(ADDR_NO_RANDOMIZE) refused); empty when it is off or was
 * kept on purpose. */
const char	*sysmon_why_randomised(const struct sysmon *);
pid_t		 sysmon_pid(const struct sysmon *);
/*
 * Resume and wait for the next stop.  0, or -1 when the program is not
 * traced or already gone.  A signal the program gets on its way is passed
 * on to it, so a fault kills it as it would untraced.
 */
int		 sysmon_next(struct sysmon *, struct sysmon_event *);
/* Whether the seccomp filter is on; if not (asked for), why. */
bool		 sysmon_filtered(const struct sysmon *);
const char	*sysmon_why_unfiltered(const struct sysmon *);
/*
 * opts.seccomp: resume the thread last reported and collect stops without
 * blocking.  1: ev is a stop (entry; exit, with the entry's arguments
 * again; or the end of the program), the thread stays stopped until the
 * next call; 0: nothing yet; -1: not traced or gone.  The threads' other
 * stops (signals, new threads, children's calls) are dealt with here.
 */
int		 sysmon_poll(struct sysmon *, struct sysmon_event *);
/* Untraced programs: wait for the end without blocking (0: still runs). */
int		 sysmon_poll_end(struct sysmon *, struct sysmon_event *);
/* Copy len bytes of the program's memory at addr; 0 or -1. */
int		 sysmon_read(struct sysmon *, uint64_t addr, void *, size_t);
int		 sysmon_write(struct sysmon *, uint64_t addr, const void *,
		     size_t);
/* Kill the program (if it still runs), reap it, free everything. */
void		 sysmon_destroy(struct sysmon *);

/* The calls heapviz logs, by number; NULL for any other. */
const char	*sysmon_call_name(long nr);

#endif
