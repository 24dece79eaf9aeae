/*
 * recording-run.c -- `trace PROGRAM`: run a real program and record its
 * memory calls.  recording.c replays the recording and serves it to the
 * views and time travel; recording-text.c puts its events in words;
 * recording-internal.h is what they share.
 *
 * Recording.  The program runs under sysmon (ptrace) with a seccomp
 * filter that stops it only at brk, mmap, munmap, mremap, execve and the
 * library's getppid, with libheapviz-preload.so in LD_PRELOAD, its stdin
 * on /dev/null, its stdout and stderr in two unlinked temporary files
 * (shown afterwards, never on heapviz's screen; /dev/null with
 * --quiet-output), descriptor 3 the memfd of the record ring (preload.h)
 * and 4 one end of a socket pair for the library's handshake.
 *   - Between stops heapviz records what the ring holds as it comes, so
 *     the program rarely finds it full; a signalfd (SIGCHLD, SIGINT)
 *     wakes it for a stop or Ctrl-C, and a tick a few times a second
 *     shows the progress line.
 *   - At each stop the ring is drained first: every record the program
 *     wrote before the call comes before it, so the order is exact.  The
 *     library's getppid (the ring is full) is the exception: nothing is
 *     recorded there, so half the ring is read and the program goes on.
 *   - The library names where a call came from by a number, and sends
 *     the file and function behind each number once (a place record):
 *     heapviz keeps them by number, for the calls and their causes.
 *   - brk, mmap, munmap, mremap: at the exit stop the call becomes an
 *     event with the arguments of its entry and the kernel's result; the
 *     cause is read from the stopped thread's struct hvp_current in the
 *     ring (which malloc call is running, if any), and /proc/PID/maps is
 *     read (the program is standing still) for the memory map after it.
 *     The library's own mmap of the ring (descriptor 3, before HELLO) is
 *     left out.
 * Without ptrace the program runs untraced: the records are read as they
 * come, the break is the one libc reports in each record (a move becomes a
 * "brk" line of its own, inferred), and the map is read from /proc at the
 * library's handshakes, before main and at exit.
 *
 * Each event is applied to the replay state as it is recorded (rec_step,
 * which keeps the checkpoints), the program's output is shown once it has
 * ended, and the finished recording becomes the session at its last step.
 */
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "preload.h"
#include "engine.h"
#include "recording.h"
#include "recording-internal.h"
#include "session.h"
#include "sysmon.h"
#include "xmalloc.h"

#define PRELOAD_NAME	"libheapviz-preload.so"
#ifdef PKGLIBEXECDIR
#define PRELOAD_INSTALLED	PKGLIBEXECDIR "/" PRELOAD_NAME
#else
#define PRELOAD_INSTALLED	PRELOAD_NAME
#endif

#define X(v)		((unsigned long long)(v))
#define REC_CP_EVERY	1024		/* at least; see rec_step */
#define REC_FD		3		/* the ring's memfd, in the program */
#define INTERRUPT_GRACE	2.0		/* seconds from SIGINT to SIGKILL */
#define SYNC_FD		4		/* the handshake socket */
#define OUTPUT_SHOWN	(64 * 1024)	/* of each of stdout and stderr */
/* Where heapviz stops a program (`trace yes` must not fill the disk). */
#define OUTPUT_MAX	((off_t)64 << 20)
#define EVENTS_MAX	10000000

/* ---- While the program runs. ---- */
struct run {
	struct recording	*rec;
	struct sysmon		*m;
	pid_t			 pid;
	struct hvp_ring		*ring;		/* shared with the program */
	int			 ringfd;
	int			 syncfd;	/* our end of the socket pair */
	int			 sigfd;		/* SIGCHLD and SIGINT */
	bool			 hello, bye;
	uint64_t		 brk;		/* the break as last seen */
	size_t			 others;	/* records of other processes */
	int			 ofd, efd;	/* the program's output */
	char			 stopped[96];	/* why heapviz killed it */
	uint64_t		 lost;
	size_t			 counts[8];	/* brk mmap munmap mremap calls */
	bool			 bad;		/* a record made no sense */
	/* The places the library sent, by id - 1, and for each the place
	 * as the recording interned it for the first thread (index + 1). */
	struct place		*places;
	size_t			 nplaces, capplaces;
	/* Ctrl-C: SIGINT sent at, SIGKILL once the grace is over. */
	double			 start, interrupted, shown, ticked;
};

enum { C_BRK, C_MMAP, C_MUNMAP, C_MREMAP, C_CALL, C_SBRK };

struct place {
	struct hvp_place	p;
	uint32_t		where0;
};

/* ---- Memory maps. ---- */

static bool
mapset_same(const struct mapset *a, const struct mapset *b)
{
	size_t	i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		if (a->maps[i].start != b->maps[i].start ||
		    a->maps[i].end != b->maps[i].end ||
		    a->maps[i].kind != b->maps[i].kind ||
		    strcmp(a->names[i] ? a->names[i] : "",
		    b->names[i] ? b->names[i] : "") != 0)
			return false;
	}
	return true;
}

/* A hexadecimal number at p: past it, or NULL if there is none. */
static const char *
maps_hex(const char *p, unsigned long long *v)
{
	const char	*start = p;
	int		 d;

	for (*v = 0;; p++) {
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else
			break;
		*v = *v << 4 | (unsigned long long)d;
	}
	return p > start ? p : NULL;
}

/* Past the blanks at p, then past the field there and the blanks after. */
static const char *
maps_field(const char *p, const char **field, size_t *len)
{
	while (*p == ' ' || *p == '\t')
		p++;
	*field = p;
	while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n')
		p++;
	*len = (size_t)(p - *field);
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	return p;
}

/*
 * One line of /proc/PID/maps: "START-END PERMS OFFSET DEV INODE   NAME".
 * 0 with the range, the permissions and where the name starts; -1 if the
 * line is not one.  (By hand: sscanf was a tenth of heapviz's time on a
 * trace, the map being read at every system call.)
 */
static int
maps_line(const char *line, unsigned long long *a, unsigned long long *b,
    char perms[8], const char **name)
{
	const char	*p = line, *f;
	size_t		 len;
	int		 i;

	if ((p = maps_hex(p, a)) == NULL || *p++ != '-' ||
	    (p = maps_hex(p, b)) == NULL || (*p != ' ' && *p != '\t'))
		return -1;
	p = maps_field(p, &f, &len);
	if (len == 0)
		return -1;
	if (len > 7)
		len = 7;
	memcpy(perms, f, len);
	perms[len] = '\0';
	for (i = 0; i < 3; i++) {	/* offset, device, inode */
		p = maps_field(p, &f, &len);
		if (len == 0)
			return -1;
	}
	*name = p;
	return 0;
}

/*
 * /proc/PID/maps as the views draw it: the heap left out (the break says
 * where it ends), the stack, anonymous mappings as mmap, files as code
 * (not writable) or data (writable), neighbours of one kind and file
 * merged.  0, or -1 if it cannot be read.
 */
static int
mapset_read(pid_t pid, struct mapset *ms)
{
	char	path[64], line[4096 + 128];
	size_t	cap = 0;
	FILE	*f;

	memset(ms, 0, sizeof *ms);
	snprintf(path, sizeof path, "/proc/%ld/maps", (long)pid);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		unsigned long long	 a, b;
		char			 perms[8], *name, *nl;
		const char		*base, *at;
		enum mapping_kind	 kind;

		if (maps_line(line, &a, &b, perms, &at) != 0)
			continue;
		name = line + (at - line);
		if ((nl = strchr(name, '\n')) != NULL)
			*nl = '\0';
		if (strcmp(name, "[heap]") == 0 ||
		    strcmp(name, "[vsyscall]") == 0 ||
		    strncmp(name, "[vvar", 5) == 0)
			continue;
		if (strcmp(name, "[stack]") == 0)
			kind = MAPPING_STACK;
		else if (*name == '\0')
			kind = MAPPING_MMAP;
		else if (name[0] == '[')
			kind = MAPPING_CODE;
		else
			kind = strchr(perms, 'w') ? MAPPING_DATA : MAPPING_CODE;
		base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
		/* The ring heapviz shares with the library: in the program's
		 * memory as much as the library is, named for what it is. */
		if (strncmp(name, "/memfd:heapviz-ring", 19) == 0)
			base = "heapviz's record ring";
		if (kind == MAPPING_STACK || kind == MAPPING_MMAP)
			base = "";
		if (ms->n > 0 && ms->maps[ms->n - 1].end == a &&
		    ms->maps[ms->n - 1].kind == kind && kind != MAPPING_MMAP &&
		    strcmp(ms->names[ms->n - 1] ? ms->names[ms->n - 1] : "",
		    base) == 0) {
			ms->maps[ms->n - 1].end = b;
			continue;
		}
		if (ms->n == cap) {
			cap = cap ? cap * 2 : 32;
			ms->maps = xreallocarray(ms->maps, cap,
			    sizeof *ms->maps);
			ms->names = xreallocarray(ms->names, cap,
			    sizeof *ms->names);
		}
		memset(&ms->maps[ms->n], 0, sizeof ms->maps[ms->n]);
		ms->maps[ms->n].start = a;
		ms->maps[ms->n].end = b;
		ms->maps[ms->n].kind = kind;
		ms->names[ms->n] = *base ? xstrdup(base) : NULL;
		ms->n++;
	}
	fclose(f);
	return 0;
}

/* The kernel's start of the heap (start_brk, field 47 of stat), or 0. */
static uint64_t
start_brk(pid_t pid)
{
	char			 path[64], buf[2048], *p;
	unsigned long long	 v = 0;
	int			 field;
	ssize_t			 n;
	int			 fd;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL)
		return 0;
	/* After the name: field 3, the state. */
	for (field = 2; *p != '\0' && field < 47; p++) {
		if (*p == ' ')
			field++;
	}
	if (field == 47)
		v = strtoull(p, NULL, 10);
	return v;
}

/* Keep the map as it is now if it differs from the last one kept. */
static size_t
rec_take_maps(struct recording *rec, pid_t pid)
{
	struct mapset	ms;

	if (mapset_read(pid, &ms) != 0)
		return rec->nsets ? rec->nsets - 1 : 0;
	if (rec->nsets > 0 && mapset_same(&ms, &rec->sets[rec->nsets - 1])) {
		recording_mapset_free(&ms);
		return rec->nsets - 1;
	}
	if (rec->nsets == rec->capsets) {
		rec->capsets = rec->capsets ? rec->capsets * 2 : 16;
		rec->sets = xreallocarray(rec->sets, rec->capsets,
		    sizeof *rec->sets);
	}
	rec->sets[rec->nsets++] = ms;
	return rec->nsets - 1;
}

/* ---- Building the recording. ---- */
static struct rev *
rec_add(struct recording *rec, enum rev_type type, uint64_t brk, size_t maps)
{
	struct rev	*e;
	struct rmark	*m = rec->nmarks ? &rec->marks[rec->nmarks - 1] : NULL;

	if (rec->nev == rec->capev) {
		rec->capev = rec->capev ? rec->capev + rec->capev / 2 : 1024;
		rec->ev = xreallocarray(rec->ev, rec->capev, sizeof *rec->ev);
	}
	e = &rec->ev[rec->nev++];
	memset(e, 0, sizeof *e);
	e->type = (uint8_t)type;
	/* The break, the map and the log: a mark where they change. */
	if (m == NULL || m->brk != brk || m->heap_start != rec->heap_start ||
	    m->maps != maps || m->nlog != rec->nlog) {
		if (rec->nmarks == rec->capmarks) {
			rec->capmarks = rec->capmarks ? rec->capmarks * 2 : 64;
			rec->marks = xreallocarray(rec->marks, rec->capmarks,
			    sizeof *rec->marks);
		}
		m = &rec->marks[rec->nmarks++];
		m->step = rec->nev;
		m->brk = brk;
		m->heap_start = rec->heap_start;
		m->maps = maps;
		m->nlog = rec->nlog;
	}
	return e;
}

/* A text of its own (exec, the end): its index. */
static uint32_t
rec_text(struct recording *rec, const char *text)
{
	rec->texts = xreallocarray(rec->texts, rec->ntexts + 1,
	    sizeof *rec->texts);
	rec->texts[rec->ntexts] = xstrdup(text);
	return (uint32_t)rec->ntexts++;
}

/*
 * Apply the event just added to the running state; checkpoint.  A
 * checkpoint costs its size; they are kept far enough apart that they
 * cost CP_BYTES_PER_STEP or less per step, at least REC_CP_EVERY apart.
 */
#define CP_BYTES_PER_STEP	4
static uint32_t
rec_step(struct recording *rec)
{
	uint32_t	 name = recording_apply(rec, &rec->cur, rec->nev - 1);
	size_t		 last = rec->ncps ? rec->cps[rec->ncps - 1].step : 0;
	size_t		 every = (rec->cur.n * sizeof *rec->cur.c +
			    rec->cur.nnames * sizeof *rec->cur.names +
			    rec->cur.nforeign * sizeof *rec->cur.foreign) /
			    CP_BYTES_PER_STEP;

	if (every < REC_CP_EVERY)
		every = REC_CP_EVERY;
	if (rec->cur.step >= last + every) {
		if (rec->ncps == rec->capcps) {
			rec->capcps = rec->capcps ? rec->capcps * 2 : 8;
			rec->cps = xreallocarray(rec->cps, rec->capcps,
			    sizeof *rec->cps);
		}
		recording_state_copy(&rec->cps[rec->ncps++], &rec->cur);
	}
	return name;
}

size_t
recording_bytes(const struct recording *rec)
{
	size_t	b = rec->nev * sizeof *rec->ev, i;

	/* What is used: what is reserved beyond is never touched. */
	b += rec->next * sizeof *rec->ext;
	b += rec->nmarks * sizeof *rec->marks;
	b += rec->nwheres * sizeof *rec->wheres;
	b += rec->where_slots * sizeof *rec->where_ix;
	b += rec->nlog * sizeof *rec->log;
	for (i = 0; i < rec->ncps; i++)
		b += rec->cps[i].cap * sizeof *rec->cps[i].c +
		    rec->cps[i].capnames * sizeof *rec->cps[i].names +
		    rec->cps[i].capforeign * sizeof *rec->cps[i].foreign;
	b += rec->ncps * sizeof *rec->cps;
	b += rec->cur.n * sizeof *rec->cur.c +
	    rec->cur.nnames * sizeof *rec->cur.names;
	return b;
}

/* ---- Where calls come from, interned. ---- */
static uint32_t
where_hash(const struct rwhere *w)
{
	uint32_t	h = 2166136261u ^ (uint32_t)w->tid ^
			    ((uint32_t)w->flags << 24);
	size_t		i;

	for (i = 0; i < sizeof w->object && w->object[i] != '\0'; i++)
		h = (h ^ (unsigned char)w->object[i]) * 16777619u;
	for (i = 0; i < sizeof w->symbol && w->symbol[i] != '\0'; i++)
		h = (h ^ (unsigned char)w->symbol[i]) * 16777619u;
	return h;
}

static bool
where_same(const struct rwhere *a, const struct rwhere *b)
{
	return a->tid == b->tid && a->flags == b->flags &&
	    strcmp(a->object, b->object) == 0 &&
	    strcmp(a->symbol, b->symbol) == 0;
}

/* Place id as the library sent it (an empty one if it did not). */
static struct place *
place_of(struct run *run, uint32_t id)
{
	static struct place	none;

	if (id == 0 || id > run->nplaces) {
		memset(&none, 0, sizeof none);
		return &none;
	}
	return &run->places[id - 1];
}

/* A place record: ids come in order, from 1 (a lost one leaves a gap). */
static void
place_add(struct run *run, const struct hvp_record *r)
{
	if (r->where == 0 || r->where > EVENTS_MAX) {
		run->bad = true;
		return;
	}
	if (r->where > run->capplaces) {
		size_t	cap = run->capplaces ? run->capplaces * 2 : 256;

		while (cap < r->where)
			cap *= 2;
		run->places = xreallocarray(run->places, cap,
		    sizeof *run->places);
		memset(run->places + run->capplaces, 0, (cap -
		    run->capplaces) * sizeof *run->places);
		run->capplaces = cap;
	}
	run->places[r->where - 1].p = r->place;
	run->places[r->where - 1].where0 = 0;
	if (r->where > run->nplaces)
		run->nplaces = r->where;
}

/* The index of place w among the recording's, added if new. */
static uint32_t
where_intern(struct recording *rec, const struct rwhere *wp)
{
	struct rwhere	w = *wp;
	size_t		i, mask;

	if (rec->nwheres * 2 >= rec->where_slots) {
		size_t	k;

		free(rec->where_ix);
		rec->where_slots = rec->where_slots ? rec->where_slots * 2 :
		    256;
		rec->where_ix = xcalloc(rec->where_slots,
		    sizeof *rec->where_ix);
		mask = rec->where_slots - 1;
		for (k = 0; k < rec->nwheres; k++) {
			i = where_hash(&rec->wheres[k]) & mask;
			while (rec->where_ix[i] != 0)
				i = (i + 1) & mask;
			rec->where_ix[i] = (uint32_t)k + 1;
		}
	}
	/* Calls come in runs from one place: the last one first. */
	if (rec->nwheres > 0 && rec->last_where < rec->nwheres &&
	    memcmp(&rec->wheres[rec->last_where], &w, sizeof w) == 0)
		return rec->last_where;
	mask = rec->where_slots - 1;
	for (i = where_hash(&w) & mask; rec->where_ix[i] != 0;
	    i = (i + 1) & mask) {
		if (where_same(&rec->wheres[rec->where_ix[i] - 1], &w))
			return rec->last_where = rec->where_ix[i] - 1;
	}
	if (rec->nwheres == rec->capwheres) {
		rec->capwheres = rec->capwheres ? rec->capwheres * 2 : 64;
		rec->wheres = xreallocarray(rec->wheres, rec->capwheres,
		    sizeof *rec->wheres);
	}
	rec->wheres[rec->nwheres] = w;
	rec->where_ix[i] = (uint32_t)++rec->nwheres;
	return rec->last_where = (uint32_t)rec->nwheres - 1;
}

static uint32_t
rec_where(struct run *run, const struct hvp_record *r)
{
	struct recording	*rec = run->rec;
	struct place		*pl = place_of(run, r->where);
	struct rwhere		 w;
	uint32_t		 k;

	/* The first thread's calls from a place: found once. */
	if (r->tid == (int32_t)run->pid && pl->where0 != 0)
		return pl->where0 - 1;
	memset(&w, 0, sizeof w);
	/* The first thread's calls: no thread to name. */
	w.tid = r->tid == (int32_t)run->pid ? 0 : r->tid;
	w.flags = r->flags & HVP_F_MAIN;
	memcpy(w.object, pl->p.object, sizeof w.object - 1);
	memcpy(w.symbol, pl->p.symbol, sizeof w.symbol - 1);
	k = where_intern(rec, &w);
	if (w.tid == 0 && r->where != 0 && r->where <= run->nplaces)
		pl->where0 = k + 1;
	return k;
}

static void
rec_syscall(struct run *run, enum memsrc_call call, int nargs,
    const uint64_t *args, int64_t ret, const char *cause, bool foreign,
    size_t maps)
{
	struct recording	*rec = run->rec;
	struct sysevent		*l;
	struct rev		*e;
	int			 i;

	if (rec->nlog == rec->caplog) {
		rec->caplog = rec->caplog ? rec->caplog * 2 : 64;
		rec->log = xreallocarray(rec->log, rec->caplog,
		    sizeof *rec->log);
	}
	l = &rec->log[rec->nlog];
	memset(l, 0, sizeof *l);
	l->seq = rec->nlog + 1;
	l->call = call;
	l->nargs = nargs;
	for (i = 0; i < nargs && i < (int)(sizeof l->args /
	    sizeof l->args[0]); i++)
		l->args[i] = (int64_t)args[i];
	if (call == MS_MMAP) {
		/* Length first, then the address, as real mode logs them. */
		l->args[0] = (int64_t)args[1];
		l->args[1] = (int64_t)args[0];
		l->args[4] = (int)args[4];	/* the descriptor: -1, not 2^32-1 */
	}
	l->kernel = true;	/* brk returns the new break */
	if (ret < 0 && ret > -4096) {
		l->result = -1;
		l->err = (int)-ret;
	} else
		l->result = ret;
	l->step = (uint32_t)(rec->nev + 1);
	l->foreign = foreign;
	strlcopy(l->cause, cause, sizeof l->cause);
	if (call == MS_BRK && l->err == 0)
		run->brk = (uint64_t)ret;
	rec->nlog++;
	e = rec_add(rec, REV_SYSCALL, run->brk, maps);
	e->where = (uint32_t)rec->nlog - 1;
	rec_step(rec);
	run->counts[call == MS_BRK ? C_BRK : call == MS_MMAP ? C_MMAP :
	    call == MS_MUNMAP ? C_MUNMAP : C_MREMAP]++;
}

static void
rec_call(struct run *run, const struct hvp_record *r)
{
	struct recording	*rec = run->rec;
	struct rev		*e;

	if (!rec->traced) {
		char		cause[160];
		uint64_t	args[1];

		recording_call_cause(rec, cause, sizeof cause, r->kind, r->args,
		    r->flags, place_of(run, r->where)->p.object,
		    place_of(run, r->where)->p.symbol);
		/* The break as libc saw it: a move becomes a line. */
		if (r->brk_before != 0 && r->brk_before != run->brk &&
		    run->brk != 0) {
			char	c2[192];

			args[0] = r->brk_before;
			snprintf(c2, sizeof c2, "%s itself [inferred]",
			    rec->prog);
			rec_syscall(run, MS_BRK, 1, args,
			    (int64_t)r->brk_before, c2, true,
			    rec->nsets ? rec->nsets - 1 : 0);
		} else if (r->brk_before != 0)
			run->brk = r->brk_before;
		if (r->brk_after != 0 && r->brk_after != run->brk) {
			char	c2[192];

			args[0] = r->brk_after;
			snprintf(c2, sizeof c2, "%s [inferred]", cause);
			rec_syscall(run, MS_BRK, 1, args,
			    (int64_t)r->brk_after, c2, false,
			    rec->nsets ? rec->nsets - 1 : 0);
		}
	}
	e = rec_add(rec, REV_CALL, run->brk, rec->nsets ? rec->nsets - 1 : 0);
	e->kind = (uint8_t)r->kind;
	e->flags = r->flags;
	e->where = rec_where(run, r);
	e->a0 = r->args[0];
	if (r->kind != HVP_FREE) {
		struct rext	*x;
		uint64_t	 hsize = r->head & ~(uint64_t)7;

		if (rec->next == rec->capext) {
			rec->capext = rec->capext ? rec->capext +
			    rec->capext / 2 : 1024;
			rec->ext = xreallocarray(rec->ext, rec->capext,
			    sizeof *rec->ext);
		}
		x = &rec->ext[rec->next++];
		e->ext = (uint32_t)rec->next;
		x->a1 = r->args[1];
		x->result = r->result;
		x->prev_foot = r->prev_foot;
		x->head = r->head;
		if (r->flags & HVP_F_FAILED) {
			x->head = 0;
			x->prev_foot = (uint64_t)r->err;
		} else if (!(hsize >= 32 && hsize >= r->usable &&
		    hsize - r->usable <= 16 && hsize < (UINT64_C(1) << 46))) {
			/* The header could not be read, or is not glibc's:
			 * the size malloc_usable_size gives. */
			x->head = r->usable + 8;
			e->flags |= REV_F_RAWSIZE;
		}
	}
	e->name = rec_step(rec);
	run->counts[r->kind == HVP_SBRK || r->kind == HVP_BRK ? C_SBRK :
	    C_CALL]++;
}

static void
ack(struct run *run)
{
	if (run->syncfd >= 0)
		(void)send(run->syncfd, "k", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void
handle_record(struct run *run, const struct hvp_record *r)
{
	struct recording	*rec = run->rec;

	if (r->kind == HVP_NONE)
		return;		/* a slot given up on (counted as lost) */
	if (r->magic != HVP_MAGIC) {
		run->bad = true;
		return;
	}
	if (r->pid != (int32_t)run->pid) {
		run->others++;
		return;
	}
	run->lost = r->lost;
	switch (r->kind) {
	case HVP_HELLO:
		run->hello = true;
		if (!rec->traced) {
			/* Before main, standing still: the map and heap. */
			rec->heap_start = start_brk(run->pid);
			if (run->brk == 0)
				run->brk = r->brk_after ? r->brk_after :
				    rec->heap_start;
			rec_take_maps(rec, run->pid);
		}
		ack(run);
		break;
	case HVP_WHERE:
		place_add(run, r);
		break;
	case HVP_BYE:
		run->bye = true;
		if (!rec->traced) {
			if (r->brk_after != 0 && r->brk_after != run->brk) {
				uint64_t	a[1] = { r->brk_after };
				char		c2[192];

				snprintf(c2, sizeof c2, "%s exiting "
				    "[inferred]", rec->prog);
				rec_syscall(run, MS_BRK, 1, a,
				    (int64_t)r->brk_after, c2, true,
				    rec->nsets ? rec->nsets - 1 : 0);
			}
			rec_take_maps(rec, run->pid);
		}
		ack(run);
		break;
	default:
		if (r->kind > HVP_BYE && r->kind <= HVP_BRK)
			rec_call(run, r);
		else
			run->bad = true;
		break;
	}
}

/* ---- The ring. ---- */
static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Record what the ring holds, in order, max records at most.  At a stop
 * (wait), a slot taken but not written yet (another thread between its
 * two steps) is waited for, briefly: a thread stopped by a signal there
 * must not hold heapviz.  Returns the number of records taken.
 */
static size_t
drain_max(struct run *run, bool wait, size_t max)
{
	struct hvp_ring	*ring = run->ring;
	uint64_t	 tail = ring->tail, head;
	double		 until = 0;
	size_t		 n = 0;

	for (;;) {
		struct hvp_slot		*sl = &ring->slot[tail &
					    (ring->nslots - 1)];
		struct hvp_record	 r;

		if (__atomic_load_n(&sl->stamp, __ATOMIC_ACQUIRE) != tail + 1) {
			/* head only at a stop: the program writes its line
			 * at every call, and a read pulls it over here. */
			if (!wait)
				break;
			head = __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE);
			if (head <= tail)
				break;
			if (until == 0)
				until = now() + 0.002;
			else if (now() > until)
				break;
			continue;
		}
		memcpy(&r, &sl->r, sizeof r);
		__atomic_store_n(&ring->tail, ++tail, __ATOMIC_RELEASE);
		handle_record(run, &r);
		if (++n >= max)
			break;
	}
	return n;
}

static size_t
drain(struct run *run, bool wait)
{
	return drain_max(run, wait, SIZE_MAX);
}

/* What made the system call thread tid is stopped in. */
static void
syscall_cause(struct run *run, pid_t tid, char *b, size_t len,
    bool *foreign)
{
	struct recording	*rec = run->rec;
	struct hvp_current	 cur;
	uint32_t		 i, n;

	*foreign = true;
	if (!run->hello) {
		snprintf(b, len, "ld.so, starting %s", rec->prog);
		return;
	}
	if (run->bye) {
		snprintf(b, len, "%s exiting", rec->prog);
		return;
	}
	n = __atomic_load_n(&run->ring->nthreads, __ATOMIC_ACQUIRE);
	for (i = 0; i < n && i < HVP_THREADS; i++) {
		if (run->ring->cur[i].tid != (int32_t)tid)
			continue;
		/* The thread is stopped: its slot stands still. */
		memcpy(&cur, &run->ring->cur[i], sizeof cur);
		if (cur.kind > HVP_BYE && cur.kind <= HVP_BRK) {
			recording_call_cause(rec, b, len, cur.kind, cur.args, cur.flags,
			    place_of(run, cur.where)->p.object,
			    place_of(run, cur.where)->p.symbol);
			*foreign = cur.kind == HVP_SBRK || cur.kind == HVP_BRK;
			return;
		}
		break;
	}
	snprintf(b, len, "%s itself (no malloc call)", rec->prog);
}

static enum memsrc_call
tracked(long nr, int *nargs)
{
	switch (nr) {
	case SYS_brk:
		*nargs = 1;
		return MS_BRK;
	case SYS_mmap:
		*nargs = 6;
		return MS_MMAP;
	case SYS_munmap:
		*nargs = 2;
		return MS_MUNMAP;
	case SYS_mremap:
		*nargs = 5;
		return MS_MREMAP;
	}
	*nargs = 0;
	return MS_SBRK;		/* not one of ours */
}

/* The process runs a new program (traced: at execve's exit stop). */
static void
rec_exec(struct run *run)
{
	struct recording	*rec = run->rec;
	char			 path[64], exe[PATH_MAX], line[PATH_MAX + 96];
	ssize_t			 n;
	const char		*base;

	run->hello = run->bye = false;
	snprintf(path, sizeof path, "/proc/%ld/exe", (long)run->pid);
	if ((n = readlink(path, exe, sizeof exe - 1)) > 0) {
		exe[n] = '\0';
		base = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;
		free(rec->prog);
		rec->prog = xstrndup(base, strnlen(base, 30));
	}
	rec->heap_start = start_brk(run->pid);
	run->brk = rec->heap_start;
	snprintf(line, sizeof line, "execve: the process now runs %s, with a "
	    "heap of its own at 0x%llx", rec->prog, X(rec->heap_start));
	rec_add(rec, REV_EXEC, run->brk, rec_take_maps(rec, run->pid))->where =
	    rec_text(rec, line);
	rec_step(rec);
}

/*
 * A program that writes without end, or makes more events than a session
 * can hold, is stopped (killed) and the recording ends there.
 */
static void
check_limits(struct run *run)
{
	struct stat	so, se;

	if (run->stopped[0] != '\0')
		return;
	if (run->ofd < 0 || run->efd < 0)
		so.st_size = se.st_size = 0;
	else if (fstat(run->ofd, &so) != 0 || fstat(run->efd, &se) != 0)
		so.st_size = se.st_size = 0;
	if (run->rec->nev > EVENTS_MAX)
		snprintf(run->stopped, sizeof run->stopped, "more than %d "
		    "events", EVENTS_MAX);
	else if (so.st_size + se.st_size > OUTPUT_MAX)
		snprintf(run->stopped, sizeof run->stopped, "its output passed "
		    "%lld MiB", (long long)(OUTPUT_MAX >> 20));
	else
		return;
	kill(run->pid, SIGKILL);
}

/* ---- Waiting for the program, and the user. ---- */
static struct recording_feedback	feedback;

void
recording_set_feedback(const struct recording_feedback *fb)
{
	if (fb != NULL)
		feedback = *fb;
	else
		memset(&feedback, 0, sizeof feedback);
}

/* Stop the program: SIGINT first, SIGKILL if it is still there later. */
static void
interrupt(struct run *run)
{
	if (run->interrupted == 0) {
		run->interrupted = now();
		if (run->stopped[0] == '\0')
			snprintf(run->stopped, sizeof run->stopped,
			    "interrupted by Ctrl-C");
		kill(-run->pid, SIGINT);
		kill(run->pid, SIGINT);
	} else
		kill(run->pid, SIGKILL);	/* twice: now */
}

/* A few times a second: the progress line, Ctrl-C, the limits. */
static void
tick(struct run *run)
{
	double	t = now();
	char	line[160];

	/* Twenty times a second at most: the checks make system calls. */
	if (t < run->ticked + 0.05)
		return;
	run->ticked = t;
	check_limits(run);
	if (run->interrupted != 0 && t > run->interrupted + INTERRUPT_GRACE)
		kill(run->pid, SIGKILL);
	if (feedback.interrupted != NULL && feedback.interrupted(feedback.ctx))
		interrupt(run);
	if (feedback.progress == NULL || t < run->shown + 0.25)
		return;
	run->shown = t;
	snprintf(line, sizeof line, "tracing %s: %zu events, break 0x%llx, "
	    "%.1f s%s", run->rec->prog, run->rec->nev, X(run->brk),
	    t - run->start, run->interrupted != 0 ? " (stopping)" :
	    " (Ctrl-C stops it)");
	feedback.progress(feedback.ctx, line);
}

/* Sleep until a signal (a stop, Ctrl-C) or ms milliseconds pass. */
static void
nap(struct run *run, int ms)
{
	struct signalfd_siginfo	si;
	struct pollfd		p;

	p.fd = run->sigfd;
	p.events = POLLIN;
	p.revents = 0;
	if (poll(&p, run->sigfd >= 0 ? 1 : 0, ms) <= 0)
		return;
	while (read(run->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGINT)
			interrupt(run);
	}
}

/* One stop of one of the program's threads. */
static void
on_stop(struct run *run, const struct sysmon_event *ev)
{
	char		cause[160];
	bool		foreign;
	int		nargs;

	/*
	 * The library's getppid: the ring is full.  No call of the program's
	 * is being recorded here, so there is no order to keep: half of
	 * the ring is room enough to go on with, and heapviz reads the rest
	 * while the program runs, rather than with it standing still.
	 */
	if (ev->nr == SYS_getppid) {
		if (ev->kind == SYSMON_ENTRY)
			drain_max(run, false, run->ring->nslots / 2);
		return;
	}
	/* What the program did before this call comes first. */
	drain(run, true);
	if (ev->kind == SYSMON_ENTRY)
		return;
	if ((tracked(ev->nr, &nargs), nargs > 0) && !(ev->nr == SYS_mmap &&
	    !run->hello && (int)ev->args[4] == REC_FD)) {
		enum memsrc_call	call = tracked(ev->nr, &nargs);

		syscall_cause(run, ev->tid, cause, sizeof cause, &foreign);
		rec_syscall(run, call, nargs, ev->args, ev->ret, cause,
		    foreign, rec_take_maps(run->rec, run->pid));
	} else if ((ev->nr == SYS_execve || ev->nr == SYS_execveat) &&
	    ev->ret == 0 && ev->tid == run->pid)
		rec_exec(run);
}

/* Traced: the stops until the program ends, the ring between them. */
static void
run_traced(struct run *run, struct sysmon_event *end)
{
	struct sysmon_event	ev;
	int			idle = 0, r;
	size_t			n, k;

	while ((r = sysmon_poll(run->m, &ev)) >= 0) {
		if (r == 1) {
			if (ev.kind == SYSMON_EXITED ||
			    ev.kind == SYSMON_KILLED) {
				*end = ev;
				break;
			}
			on_stop(run, &ev);
			idle = 0;
			continue;
		}
		/* While records come, take them before looking for a stop
		 * again (a system call), a ring's worth or so at a time. */
		n = 0;
		while ((k = drain(run, false)) > 0 && (n += k) < HVP_RING_SLOTS)
			;
		if (n > 0)
			recording_judge_feed(run->rec);
		if (n > 0)
			idle = 0;
		else if (idle < 8)
			idle++;
		tick(run);
		/* Records coming: look again at once; else sleep longer. */
		if (idle > 0)
			nap(run, idle < 4 ? 0 : idle);
	}
	drain(run, false);
}

/* Untraced: read the records as they come until the program ends. */
static void
run_untraced(struct run *run, struct sysmon_event *end)
{
	for (;;) {
		if (drain(run, false) == 0)
			nap(run, 5);
		else
			recording_judge_feed(run->rec);
		tick(run);
		if (sysmon_poll_end(run->m, end) != 0)
			break;
	}
	drain(run, false);
}

/*
 * The preload library: $HEAPVIZ_PRELOAD, else the one beside heapviz (a
 * build tree), else the installed one.  Caller frees.
 */
static char *
preload_path(void)
{
	const char	*env = getenv("HEAPVIZ_PRELOAD");
	char		 self[PATH_MAX], *p, *path;
	ssize_t		 n;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) > 0) {
		self[n] = '\0';
		if ((p = strrchr(self, '/')) != NULL) {
			p[1] = '\0';
			xasprintf(&path, "%s%s", self, PRELOAD_NAME);
			if (access(path, R_OK) == 0)
				return path;
			free(path);
		}
	}
	return xstrdup(PRELOAD_INSTALLED);
}

/* The ring's size: HVP_RING_SLOTS, or less with HEAPVIZ_TRACE_RING (a
 * power of two from 4: the tests fill a small ring on purpose). */
static uint32_t
ring_slots(void)
{
	const char	*e = getenv("HEAPVIZ_TRACE_RING");
	unsigned long	 n;

	if (e == NULL || *e == '\0')
		return HVP_RING_SLOTS;
	n = strtoul(e, NULL, 10);
	if (n < 4 || n > HVP_RING_SLOTS || (n & (n - 1)) != 0)
		return HVP_RING_SLOTS;
	return (uint32_t)n;
}

/* An unlinked temporary file for the program's output. */
static int
temp_file(void)
{
	const char	*dir = getenv("TMPDIR");
	char		*path;
	int		 fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	xasprintf(&path, "%s/heapviz-trace.XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	free(path);
	return fd;
}

/* The program's output, kept apart: shown after the run, marked. */
static void
show_output(struct out *out, int fd, const char *prog, const char *what)
{
	char	*buf = xmalloc(OUTPUT_SHOWN + 1), *p, *nl;
	ssize_t	 n;
	off_t	 size = lseek(fd, 0, SEEK_END);
	size_t	 got = 0, lines = 0;

	if (size <= 0) {
		free(buf);
		return;
	}
	lseek(fd, 0, SEEK_SET);
	while (got < OUTPUT_SHOWN && (n = read(fd, buf + got,
	    OUTPUT_SHOWN - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	for (p = buf; *p != '\0'; p = nl + 1) {
		lines++;
		if ((nl = strchr(p, '\n')) == NULL)
			break;
	}
	out_kprintf(out, OUT_NOTE, "%s's %s (%lld byte%s, kept apart from "
	    "heapviz's):\n", prog, what, (long long)size, size == 1 ? "" :
	    "s");
	for (p = buf; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		out_kprintf(out, OUT_PROGRAM, "  | %.*s\n", nl ? (int)(nl - p) :
		    (int)strlen(p), p);
		if (nl == NULL)
			break;
	}
	if ((off_t)got < size)
		out_kprintf(out, OUT_NOTE, "  ... (%lld more bytes not shown)\n",
		    (long long)(size - (off_t)got));
	free(buf);
}

static const char *
signal_name(int sig)
{
	const char	*d = strsignal(sig);

	return d != NULL ? d : "unknown signal";
}

/* The program kept the malloc tunables it was given: say which. */
static void
tunables_note(struct out *out, const char *prog)
{
	char	tun[512];

	sysmon_malloc_tunables(tun, sizeof tun);
	if (tun[0] != '\0')
		out_kprintf(out, OUT_NOTE, "note: %s ran with malloc tunables "
		    "set (%s): they change where glibc puts things\n", prog,
		    tun);
}

/*
 * The glibc model replays the main thread's calls: the line saying
 * whether it placed every one where the program's malloc did.
 */
static void
model_note(struct recording *rec, struct out *out, bool hello)
{
	const struct rverdict	*v;
	char			 got[32];

	recording_model_judge(rec);
	if (rec->judge_failed)
		out_kprintf(out, OUT_NOTE, "note: the glibc model's judge, "
		    "started with the trace, failed: it judged again at the "
		    "end\n");
	v = recording_verdict(rec);
	if (v == NULL)
		return;
	if (v->calls == 0) {
		out_printf(out, "  the %s model has no calls to replay%s: its "
		    "bins are not shown\n", v->allocator, hello ? "" :
		    " (a statically linked program's malloc is not seen)");
		return;
	}
	if (!v->diverged) {
		out_printf(out, "  the %s model placed %zu of %zu calls at the "
		    "real addresses (the main arena's; bins, explain and "
		    "check show its heap)\n", v->allocator, v->agree, v->calls);
		return;
	}
	if (v->refused)
		snprintf(got, sizeof got, "refused it");
	else if (v->model == 0)
		snprintf(got, sizeof got, "NULL");
	else
		snprintf(got, sizeof got, "0x%llx", X(v->model));
	out_printf(out, "  the %s model placed %zu of %zu calls at the real "
	    "addresses, then diverged at step %zu: %s returned 0x%llx, the "
	    "model %s\n", v->allocator, v->agree, v->calls, v->step, v->call,
	    X(v->real), got);
	out_printf(out, "  likely why: %s; bins and explain follow the "
	    "model up to step %zu\n", v->why, v->step - 1);
}

int
recording_trace(struct session *s, char *const argv[], unsigned flags,
    struct out *out)
{
	/* The calls that stop the program; getppid is the library's when
	 * the ring is full (preload.h). */
	static const long	 nrs[] = { SYS_brk, SYS_mmap, SYS_munmap,
				    SYS_mremap, SYS_execve, SYS_execveat,
				    SYS_getppid };
	struct recording	*rec;
	struct run		 run;
	struct sysmon_opts	 o;
	struct sysmon_event	 end;
	char			*preload = preload_path();
	const char		*old = getenv("LD_PRELOAD"), *base;
	char			*env[5], err[256], line[160];
	int			 fds[5], sp[2], ofd = -1, efd = -1, nenv = 0;
	int			 ringfd;
	bool			 have_preload;
	struct hvp_ring		*ring = MAP_FAILED;
	sigset_t		 sigs, oldsigs;
	size_t			 i;

	base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	{
		char	*prog = xstrndup(base, strnlen(base, 30));

		/* Before any descriptor of the trace's is open. */
		recording_judge_start(prog);
		free(prog);
	}
	have_preload = access(preload, R_OK) == 0;
	if (!(flags & RECORDING_QUIET_OUTPUT)) {
		ofd = temp_file();
		efd = temp_file();
	}
	ringfd = memfd_create("heapviz-ring", MFD_CLOEXEC);
	if (ringfd >= 0 && ftruncate(ringfd, sizeof *ring) == 0)
		ring = mmap(NULL, sizeof *ring, PROT_READ | PROT_WRITE,
		    MAP_SHARED, ringfd, 0);
	if ((!(flags & RECORDING_QUIET_OUTPUT) && (ofd < 0 || efd < 0)) ||
	    ring == MAP_FAILED) {
		out_kprintf(out, OUT_ERROR, "trace: cannot make a temporary "
		    "file or the shared ring for %s: %s\n", argv[0],
		    strerror(errno));
		if (ofd >= 0)
			close(ofd);
		if (efd >= 0)
			close(efd);
		if (ringfd >= 0)
			close(ringfd);
		free(preload);
		recording_judge_cancel();
		return -1;
	}
	ring->magic = HVP_MAGIC;
	ring->nslots = ring_slots();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) != 0)
		sp[0] = sp[1] = -1;
	fds[0] = -1;
	fds[1] = ofd;		/* -1 (quiet): /dev/null */
	fds[2] = efd;
	fds[3] = ringfd;
	fds[4] = sp[1];
	if (have_preload) {
		if (old != NULL && *old != '\0')
			xasprintf(&env[nenv++], "LD_PRELOAD=%s:%s", preload,
			    old);
		else
			xasprintf(&env[nenv++], "LD_PRELOAD=%s", preload);
	}
	xasprintf(&env[nenv++], "HEAPVIZ_PRELOAD_FD=%d", REC_FD);
	xasprintf(&env[nenv++], "HEAPVIZ_PRELOAD_SYNC=%d", SYNC_FD);
	xasprintf(&env[nenv++], "HEAPVIZ_PRELOAD_PARENT=%ld", (long)getpid());
	env[nenv] = NULL;
	memset(&o, 0, sizeof o);
	o.fds = fds;
	o.nfds = 5;
	o.env = env;
	o.seccomp = true;
	o.nrs = nrs;
	o.nnrs = sizeof nrs / sizeof nrs[0];

	rec = xcalloc(1, sizeof *rec);
	rec->prog = xstrndup(base, strnlen(base, 30));
	memset(&run, 0, sizeof run);
	run.rec = rec;
	run.ring = ring;
	run.ringfd = ringfd;
	run.syncfd = sp[0];
	run.ofd = ofd;
	run.efd = efd;
	run.start = now();
	run.m = sysmon_spawn(argv, &o, err, sizeof err);
	if (sp[1] >= 0)
		close(sp[1]);
	for (i = 0; i < (size_t)nenv; i++)
		free(env[i]);
	if (run.m == NULL) {
		out_kprintf(out, OUT_ERROR, "trace: cannot start %s\n", err);
		if (sp[0] >= 0)
			close(sp[0]);
		if (ofd >= 0)
			close(ofd);
		if (efd >= 0)
			close(efd);
		munmap(ring, sizeof *ring);
		close(ringfd);
		recording_free(rec);
		free(preload);
		recording_judge_cancel();
		return -1;
	}
	/* A stop, or Ctrl-C, wakes the loop: taken through a descriptor,
	 * blocked meanwhile. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGCHLD);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, &oldsigs);
	run.sigfd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	run.pid = sysmon_pid(run.m);
	rec->traced = sysmon_traced(run.m);
	if (sysmon_why_randomised(run.m)[0] != '\0')
		out_kprintf(out, OUT_NOTE, "note: %s: %s's addresses change "
		    "from run to run\n", sysmon_why_randomised(run.m),
		    rec->prog);
	memset(&end, 0, sizeof end);
	end.kind = SYSMON_EXITED;
	end.status = -1;
	if (rec->traced) {
		if (!sysmon_filtered(run.m))
			out_kprintf(out, OUT_NOTE, "trace: %s: %s stops at "
			    "every system call, which is slower\n",
			    sysmon_why_unfiltered(run.m), rec->prog);
		/* Stopped at exec: the program as the kernel loaded it. */
		rec->heap_start = start_brk(run.pid);
		run.brk = rec->heap_start;
		rec_take_maps(rec, run.pid);
		run_traced(&run, &end);
	} else {
		out_kprintf(out, OUT_NOTE, "trace: %s: heapviz sees no system "
		    "calls; the break is read from libc at each malloc call "
		    "(brk lines marked [inferred]), the map from /proc/%ld/maps "
		    "before main and at exit\n", sysmon_why_untraced(run.m),
		    (long)run.pid);
		run_untraced(&run, &end);
		if (!run.hello) {
			rec->heap_start = 0;
			rec_take_maps(rec, run.pid);
		}
	}
	sysmon_destroy(run.m);
	if (feedback.progress != NULL)
		feedback.progress(feedback.ctx, NULL);
	if (run.sigfd >= 0) {
		struct signalfd_siginfo	si;

		/* A Ctrl-C not taken yet is the trace's, not heapviz's. */
		while (read(run.sigfd, &si, sizeof si) > 0)
			;
		close(run.sigfd);
	}
	sigprocmask(SIG_SETMASK, &oldsigs, NULL);
	run.lost = ring->lost;
	munmap(ring, sizeof *ring);
	close(ringfd);
	if (sp[0] >= 0)
		close(sp[0]);
	if (rec->heap_start == 0)
		rec->heap_start = run.brk;
	rec->first_heap = rec->nmarks > 0 && rec->marks[0].heap_start != 0 ?
	    rec->marks[0].heap_start : rec->heap_start;

	/* The end, a step of its own. */
	if (end.kind == SYSMON_KILLED)
		snprintf(line, sizeof line, "%s was killed by signal %d (%s)%s",
		    rec->prog, end.status, signal_name(end.status),
		    end.core ? ", core dumped" : "");
	else if (end.status >= 0)
		snprintf(line, sizeof line, "%s exited with status %d",
		    rec->prog, end.status);
	else
		snprintf(line, sizeof line, "%s ended", rec->prog);
	rec_add(rec, REV_END, run.brk, rec->nsets ? rec->nsets - 1 :
	    0)->where = rec_text(rec, line);
	rec_step(rec);

	out_printf(out, "traced %s (pid %ld): %s\n", argv[0], (long)run.pid,
	    line + strlen(rec->prog) + 1);
	if (run.stopped[0] != '\0')
		out_kprintf(out, OUT_NOTE, "note: heapviz stopped %s: %s; what "
		    "it did up to then is recorded\n", rec->prog, run.stopped);
	else if (end.kind == SYSMON_KILLED)
		out_kprintf(out, OUT_NOTE, "note: %s died by a signal; what it "
		    "did up to then is recorded\n", rec->prog);
	out_printf(out, "  %zu events as steps 1 to %zu: system calls brk %zu, "
	    "mmap %zu, munmap %zu, mremap %zu; malloc-family calls %zu; its "
	    "own sbrk/brk calls %zu\n", rec->nev, rec->nev, run.counts[C_BRK],
	    run.counts[C_MMAP], run.counts[C_MUNMAP], run.counts[C_MREMAP],
	    run.counts[C_CALL], run.counts[C_SBRK]);
	{
		size_t	b = recording_bytes(rec);

		out_printf(out, "  kept in %.1f %s (%zu bytes a step, "
		    "checkpoints included)\n", b < 1048576 ? (double)b / 1024 :
		    (double)b / 1048576, b < 1048576 ? "KiB" : "MiB",
		    b / rec->nev);
	}
	out_printf(out, "  the break moved from 0x%llx to 0x%llx (%s0x%llx)\n",
	    X(rec->heap_start), X(run.brk), run.brk >= rec->heap_start ? "+" :
	    "-", X(run.brk >= rec->heap_start ? run.brk - rec->heap_start :
	    rec->heap_start - run.brk));
	if (!have_preload)
		out_kprintf(out, OUT_NOTE, "note: the preload library %s is "
		    "missing: malloc calls were not recorded (set "
		    "HEAPVIZ_PRELOAD)\n", preload);
	else if (!run.hello)
		out_kprintf(out, OUT_NOTE, "note: %s reported no malloc calls: "
		    "a statically linked program ignores LD_PRELOAD\n",
		    rec->prog);
	if (run.lost > 0)
		out_kprintf(out, OUT_NOTE, "note: %llu malloc calls could not "
		    "be reported\n", X(run.lost));
	if (run.bad)
		out_kprintf(out, OUT_NOTE, "note: some records from the "
		    "preload library made no sense and were skipped\n");
	if (run.others > 0)
		out_kprintf(out, OUT_NOTE, "note: %zu calls by other processes "
		    "(children of %s) are not part of the trace\n", run.others,
		    rec->prog);
	tunables_note(out, rec->prog);
	model_note(rec, out, run.hello);
	free(preload);
	free(run.places);
	if (ofd >= 0) {
		show_output(out, ofd, rec->prog, "standard output");
		close(ofd);
	}
	if (efd >= 0) {
		show_output(out, efd, rec->prog, "standard error");
		close(efd);
	}

	recording_state_settle(&rec->cur);
	engine_trace_enter(s, rec, out);
	out_printf(out, "at step %zu of %zu: %s\n", rec->nev, rec->nev, line);
	out_printf(out, "  back, forward, goto N and history step through "
	    "it; heap, map, log and show NAME look; reset leaves it\n");
	return 0;
}
