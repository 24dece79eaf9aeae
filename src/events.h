/*
 * events.h -- the log of memory-source calls.
 *
 * One record per sbrk/brk/mmap/munmap/mremap, in the order they happened,
 * with display addresses, the result, errno and what caused the call.  The
 * session sets the cause before each command; the memory source appends.
 * Allocator decisions are not kept here: the session collects them per step
 * from the allocator's hook.
 */
#ifndef HEAPVIZ_EVENTS_H
#define HEAPVIZ_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define EVLOG_CAUSE_MAX 64

/* The calls a memory source makes (memsrc.h), as the log names them.  The
 * log is the lower of the two: the source includes this, not the other
 * way round. */
enum memsrc_call {
	MS_SBRK,
	MS_BRK,
	MS_MMAP,
	MS_MUNMAP,
	MS_MREMAP,
};

struct sysevent {
	uint64_t		seq;		/* 1, 2, ... in the whole log */
	enum memsrc_call	call;
	int			nargs;
	int64_t			args[6];	/* sim, real: 1-3; trace: all
						 * the kernel's (mmap: length,
						 * address, prot, flags, fd,
						 * offset) */
	int64_t			result;		/* display address, 0 or -1 */
	int			err;		/* errno, 0 on success */
	uint32_t		step;		/* the session step that caused it */
	bool			foreign;	/* not made by our allocator */
	bool			kernel;		/* real mode: the system call as
						 * the kernel saw it (brk returns
						 * the new break) */
	bool			inferred;	/* real mode untraced: read off
						 * the break and /proc, not seen */
	char			cause[EVLOG_CAUSE_MAX];
};

struct evlog {
	struct sysevent	*v;
	size_t		 n, cap;
	size_t		 valid;		/* entries kept beyond n (the future) */
	uint32_t	 step;
	bool		 foreign;
	char		 cause[EVLOG_CAUSE_MAX];
};

struct evlog	*evlog_create(void);
void		 evlog_destroy(struct evlog *);
/* What the calls from now on are caused by. */
void		 evlog_set_cause(struct evlog *, uint32_t step, bool foreign,
		     const char *);
void		 evlog_add(struct evlog *, enum memsrc_call, int nargs,
		     const int64_t *args, int64_t result, int err);
/*
 * Going back in time: the log's length becomes n.  Records beyond it are
 * kept, so going forward again (to n no larger than before) finds them;
 * evlog_drop_future forgets them when a new step starts another branch.
 */
void		 evlog_set_length(struct evlog *, size_t n);
void		 evlog_drop_future(struct evlog *);
const char	*evlog_call_name(enum memsrc_call);
struct buf;
/* The call as a line of C with its result, "mmap(NULL, 0x21000) =
 * 0x7f..." appended to the buf (the log, the explanations and a trace's
 * steps all write it so). */
void		 sysevent_text(struct buf *, const struct sysevent *);

#endif
