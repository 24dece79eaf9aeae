/*
 * memsrc-subject.h -- real mode: the allocator runs in a separate process
 * (heapviz-subject) on its own brk and mmap, and heapviz watches.
 *
 * The source starts the subject under ptrace (src/sysmon.c), sends it the
 * session's requests (src/subject-proto.h), logs every brk, mmap, munmap
 * and mremap the subject makes, from the kernel's side, with the cause the
 * session set, and after each request copies the subject's heap, its
 * mappings and the allocator's state into this process AT THE SAME
 * ADDRESSES.  The allocator it returns (memsrc_subject_alloc) is that
 * copy: the walker, the checker, the snapshot and `dump` read it exactly as
 * they read the simulation.  Nothing in this process ever changes it; the
 * subject does, and the copy follows.
 */
#ifndef HEAPVIZ_MEMSRC_SUBJECT_H
#define HEAPVIZ_MEMSRC_SUBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memsrc.h"
#include "model.h"
#include "subject-proto.h"

struct evlog;

/*
 * Start a subject running the model ops (its state is copied in through
 * ops->adopt), or, for a model that is the C library's own malloc
 * (ops->libc), a subject that calls its libc's malloc: then nothing is
 * copied, memsrc_subject_model is NULL, and memsrc_subject_read reads.  aslr keeps address randomisation on in it.  NULL with
 * a message in err when it cannot be started; *note gets a line to show
 * once (ptrace refused, and what heapviz does instead), or "".
 */
struct memsrc	*memsrc_subject_create(struct evlog *, const struct model_ops *,
		     bool aslr, char *err, size_t errlen, char *note,
		     size_t notelen);
bool		 memsrc_is_subject(const struct memsrc *);
/* The copy of the subject's allocator, good until the next request
 * (NULL while there is none). */
struct model	*memsrc_subject_model(struct memsrc *);
/* Where the allocator's decisions of each request are delivered. */
void		 memsrc_subject_set_hook(struct memsrc *, model_hook, void *);
/*
 * One request, as subject-proto.h lists them.  Returns the result and sets
 * errno from the subject; -1 with errno ESRCH when the subject is not
 * running (memsrc_subject_death says why).
 */
int64_t		 memsrc_subject_call(struct memsrc *, enum subj_op,
		     uint64_t a0, uint64_t a1, uint64_t a2,
		     const void *data, size_t len);
/*
 * Read the subject's memory (process_vm_readv, or through the pipe when
 * it is not traced); -1 when it cannot be read.
 */
int		 memsrc_subject_read(struct memsrc *, uint64_t addr, void *,
		     size_t);
/* What the subject said as it started (subject-proto.h). */
const struct subj_hello *memsrc_subject_hello(const struct memsrc *);
/* What the subject wrote to its stdout and stderr since the last call. */
size_t		 memsrc_subject_output(struct memsrc *, char *, size_t);
/* NULL while it runs; else "killed by SIGSEGV (core dumped)" and so on. */
const char	*memsrc_subject_death(const struct memsrc *);
/* A fresh subject in place of this one (same settings, log untouched). */
int		 memsrc_subject_restart(struct memsrc *, char *err,
		     size_t errlen);
bool		 memsrc_subject_traced(const struct memsrc *);
bool		 memsrc_subject_aslr(const struct memsrc *);
long		 memsrc_subject_pid(const struct memsrc *);

#endif
