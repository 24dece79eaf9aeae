/*
 * engine-real.c -- the real mode: the allocator runs in a subject process
 * (subject.c) on that process's own brk and mmap, traced from outside
 * (memsrc-subject.c).  Each call is sent to it; its reply brings a copy of
 * the allocator's state back, which is what the views draw.
 *
 * A process can die (a write through a wild pointer, a signal): the engine
 * says so once, keeps the log of what it did, and refuses calls until
 * `restart` starts a new one and replays the history into it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "history.h"
#include "memsrc-subject.h"
#include "session.h"
#include "xmalloc.h"

/* What the engine keeps of the subject's end. */
struct real {
	bool	 death_told;	/* its end was said */
	bool	 refused;	/* a call found it gone */
};

static struct real *
real_of(const struct session *s)
{
	return s->eng_data;
}

static int
real_start(struct session *s, bool aslr, char *err, size_t errlen,
    char *note, size_t notelen)
{
	s->ms = memsrc_subject_create(s->log, s->model_ops, aslr, err,
	    errlen, note, notelen);
	if (s->ms == NULL)
		return -1;
	s->m = memsrc_subject_model(s->ms);
	memsrc_subject_set_hook(s->ms, session_on_decision, s);
	s->eng_data = xcalloc(1, sizeof(struct real));
	s->hist = history_create();
	/* Step 0, the fresh subject: going back replays from it. */
	history_checkpoint(s, 0);
	return 0;
}

static void
real_stop(struct session *s)
{
	history_destroy(s->hist);
	s->hist = NULL;
	s->m = NULL;		/* the subject's copy goes with it */
	memsrc_destroy(s->ms);
	s->ms = NULL;
	free(s->eng_data);
	s->eng_data = NULL;
}

/* One call in the subject; the copy of its allocator is refreshed. */
static int64_t
real_call(struct session *s, enum subj_op op, uint64_t a0, uint64_t a1,
    uint64_t a2, const void *data, size_t len)
{
	int64_t	r = memsrc_subject_call(s->ms, op, a0, a1, a2, data, len);
	int	err = errno;

	s->m = memsrc_subject_model(s->ms);
	if (r == -1 && err == ESRCH)
		real_of(s)->refused = true;
	errno = err;
	return r;
}

/* A pointer result; NULL with errno ESRCH when the subject is gone. */
static void *
real_ptr(struct session *s, enum subj_op op, uint64_t a0, uint64_t a1,
    uint64_t a2)
{
	int64_t	r = real_call(s, op, a0, a1, a2, NULL, 0);

	return r == -1 ? NULL : (void *)(uintptr_t)r;
}

static void *
real_malloc(struct session *s, size_t n)
{
	return real_ptr(s, SUBJ_MALLOC, n, 0, 0);
}

static void *
real_calloc(struct session *s, size_t nmemb, size_t size)
{
	return real_ptr(s, SUBJ_CALLOC, nmemb, size, 0);
}

static void *
real_realloc(struct session *s, void *p, size_t n)
{
	return real_ptr(s, SUBJ_REALLOC, (uint64_t)(uintptr_t)p, n, 0);
}

static void *
real_reallocarray(struct session *s, void *p, size_t nmemb, size_t size)
{
	return real_ptr(s, SUBJ_REALLOCARRAY, (uint64_t)(uintptr_t)p, nmemb,
	    size);
}

static int
real_free(struct session *s, void *p)
{
	return (int)real_call(s, SUBJ_FREE, (uint64_t)(uintptr_t)p, 0, 0,
	    NULL, 0);
}

static int
real_tune(struct session *s, enum session_tunable key, size_t value)
{
	enum subj_key	k = key == SESSION_MMAP_THRESHOLD ?
			    SUBJ_KEY_MMAP_THRESHOLD :
			    key == SESSION_TRIM_THRESHOLD ?
			    SUBJ_KEY_TRIM_THRESHOLD : SUBJ_KEY_CHECKS;

	return real_call(s, SUBJ_SET, k, value, 0, NULL, 0) == -1 ? -1 : 0;
}

/* The subject writes, mapped or not, and lives with it. */
static int
real_poke(struct session *s, uint64_t addr, const void *bytes, size_t len)
{
	size_t	done, piece;

	for (done = 0; done < len; done += piece) {
		piece = len - done < SUBJ_MAX_TEXT ? len - done : SUBJ_MAX_TEXT;
		if (real_call(s, SUBJ_WRITE, addr + done, 0, 0,
		    (const char *)bytes + done, piece) == -1)
			return -1;
	}
	return 0;
}

static int64_t
real_printf(struct session *s, const char *text, size_t len,
    struct out *out)
{
	char	buf[4096];
	size_t	n;
	int64_t	r = real_call(s, SUBJ_PRINTF, 0, 0, 0, text, len);
	int	err = errno;

	while ((n = memsrc_subject_output(s->ms, buf, sizeof buf)) > 0)
		out_write(out, OUT_PROGRAM, buf, n);
	errno = err;
	return r;
}

static const char *
real_death(const struct session *s)
{
	return memsrc_subject_death(s->ms);
}

/* The subject died: says so through out (true), or not (false). */
static bool
real_dead(struct session *s, struct out *out)
{
	const char	*death = memsrc_subject_death(s->ms);

	if (death == NULL)
		return false;
	out_kprintf(out, OUT_ERROR, "the subject is not running (it %s); "
	    "`restart` starts it again, `mode sim` leaves real mode\n", death);
	return true;
}

/*
 * After a command: if the subject died under it, say so once, with what
 * it printed, and take the command back from the history (its log lines
 * stay, to show what happened); a later command that needed it is refused.
 * True when the command failed for want of a subject.
 */
static bool
real_after(struct session *s, struct out *out, const char *line)
{
	const char	*death;
	char		 buf[4096];
	size_t		 n;
	bool		 refused = real_of(s)->refused;

	real_of(s)->refused = false;
	if ((death = memsrc_subject_death(s->ms)) == NULL)
		return false;
	if (s->pending) {
		/* No step happened: the subject died, or was dead. */
		s->pending = false;
		s->step--;
		s->ndec = 0;
	}
	if (real_of(s)->death_told) {
		if (refused)
			real_dead(s, out);
		return refused;
	}
	real_of(s)->death_told = true;
	while ((n = memsrc_subject_output(s->ms, buf, sizeof buf)) > 0)
		out_write(out, OUT_PROGRAM, buf, n);
	out_kprintf(out, OUT_ERROR, "the subject (pid %ld) %s during `%s`\n",
	    memsrc_subject_pid(s->ms), death, line);
	out_kprintf(out, OUT_ERROR, "  heapviz carries on: the views show "
	    "the heap as it was before that command, and the log keeps what "
	    "the subject did\n");
	out_kprintf(out, OUT_ERROR, "  `restart` starts a new subject and "
	    "replays the %u step%s before it; `mode sim` goes back to the "
	    "simulation\n", s->step, s->step == 1 ? "" : "s");
	return true;
}

static long
real_pid(const struct session *s)
{
	return memsrc_subject_pid(s->ms);
}

/*
 * A real process cannot be put back: the only checkpoint is step 0, a
 * fresh subject, and going back replays from it (with address
 * randomisation off, to the same addresses).
 */
static int
real_rewind(struct session *s, struct out *out)
{
	char	err[256];

	if (memsrc_subject_restart(s->ms, err, sizeof err) != 0) {
		out_kprintf(out, OUT_ERROR, "cannot start a new subject: %s\n",
		    err);
		return -1;
	}
	s->m = memsrc_subject_model(s->ms);
	real_of(s)->death_told = false;
	return 0;
}

static int
real_restart(struct session *s, struct out *out)
{
	if (history_replay_from_start(s, s->step, out) != 0)
		return -1;
	real_of(s)->death_told = false;
	return 0;
}

static bool
real_aslr(const struct session *s)
{
	return memsrc_subject_aslr(s->ms);
}

static void
real_describe(struct session *s, struct out *out, bool fresh)
{
	const char	*death = memsrc_subject_death(s->ms);

	if (fresh)
		out_printf(out, "mode real: a fresh heap in subject process "
		    "%ld, %s; its break starts at 0x%llx\n",
		    memsrc_subject_pid(s->ms), memsrc_subject_traced(s->ms) ?
		    "traced with ptrace" : "untraced",
		    (unsigned long long)s->ms->initial_break);
	else
		out_printf(out, "mode real: the allocator runs in subject "
		    "process %ld (%s, address randomisation %s)%s%s\n",
		    memsrc_subject_pid(s->ms), memsrc_subject_traced(s->ms) ?
		    "traced with ptrace" : "not traced: ptrace is refused here",
		    memsrc_subject_aslr(s->ms) ? "on" : "off",
		    death ? "; it " : "", death ? death : "");
}

/* A saved real session replays for real. */
static const char *
real_script_mode(const struct session *s)
{
	return real_aslr(s) ? "mode real --aslr" : "mode real";
}

static void
real_no_memory(char *why, size_t len)
{
	snprintf(why, len, "the kernel refused");
}

const struct engine_ops engine_real = {
	.name = "real",
	.caps = ENGINE_PROCESS,
	.start = real_start,
	.stop = real_stop,
	.malloc = real_malloc,
	.calloc = real_calloc,
	.realloc = real_realloc,
	.reallocarray = real_reallocarray,
	.free = real_free,
	.tune = real_tune,
	.poke = real_poke,
	.printf = real_printf,
	.after = real_after,
	.death = real_death,
	.pid = real_pid,
	.rewind = real_rewind,
	.restart = real_restart,
	.aslr = real_aslr,
	.describe = real_describe,
	.script_mode = real_script_mode,
	.no_memory = real_no_memory,
};
