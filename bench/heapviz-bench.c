/*
 * heapviz-bench.c -- the allocator core against glibc malloc on the CS:APP
 * malloc-lab traces (a benchmark, not a test: it prints figures).
 *
 * Each trace is replayed many times through each allocator, interleaved in
 * one run (round r runs every trace through every allocator, in an order
 * that rotates with r), and the table shows the median time per operation:
 *
 *   core         heapviz's allocator (src/alloc.c), strict checks on, no
 *                event hook, on the simulated memory source with no log.
 *                That source really uses the process's memory the way
 *                glibc does: the heap and the mappings are MAP_NORESERVE
 *                reservations whose pages the kernel supplies when first
 *                touched (page-granular growth), and trimming or unmapping
 *                gives pages back with madvise(MADV_DONTNEED), so touching
 *                them again faults fresh zero pages, as after brk/munmap.
 *   core+events  the same, recording every decision: the core writes a
 *                record (host pointers) per decision into a buffer of
 *                RECORDER_CAP records, handed on and reused when full.
 *   session      the batch path: the trace as command lines ("i3 = malloc
 *                100", "realloc i3 200", "free i3") run by interp_exec,
 *                with names, the log, decisions and whatever the session
 *                keeps per step; output goes to a sink that drops it.
 *   glibc        the system malloc.
 *   glibc-model  heapviz's model of glibc 2.36 (src/glibc.c), glibc's
 *                checks, no hook, on the same simulated source; measured
 *                against glibc on a table of its own (--glibc-model), in
 *                glibc's default settings, since it must place every chunk
 *                where glibc does.  Its footprint is the most of arena and
 *                mapped bytes (mallinfo2's arena + hblkhd), and glibc's the
 *                same, read in a fresh process of this program that runs
 *                nothing of malloc before the trace (--glibc-peak).  The
 *                times come from such a process too, one per trace
 *                (--glibc-time), on the process's CPU clock: in this one,
 *                the bench's loading has raised glibc's dynamic mmap and
 *                trim thresholds, so glibc would skip the trims and
 *                mappings (and their page faults) the model makes.
 *
 * Two settings, each in a process of its own (glibc's mallopt cannot be
 * undone): "trim off" (the headline: trimming off in both, both mmap
 * thresholds 256 KiB -- M_TRIM_THRESHOLD also freezes glibc's dynamic mmap
 * threshold, so it is set explicitly) and "default" (both allocators as
 * they come).  Peak footprint is what the allocator got from its memory
 * source at most (for glibc: the most of arena + mmapped bytes, less what
 * was in use before the trace, measured with mallinfo2 in a fresh child);
 * utilization is the trace's peak live payload over that.
 *
 * Instructions per operation come from callgrind (perf's hardware counters
 * are not available on these virtual machines): the bench runs itself
 * under `valgrind --tool=callgrind`, once per allocator, and reads the count
 * of the second (warm) of two samples of each trace.
 *
 * Usage:
 *   heapviz-bench [OPTIONS] [TRACE|DIR]...   the whole comparison
 *   heapviz-bench --alloc core|core+events|session|glibc|glibc-model
 *       [--default] TRACE...                  one allocator alone
 *   heapviz-bench --glibc-model [TRACE|DIR]... the glibc model against
 *       glibc: time, instructions and utilization per trace
 *   heapviz-bench --scaling [TRACE|DIR]...   the session at 10k, 100k, 1M
 *       operations alone (--scaling-runs N: median of N runs, 5)
 * Options: --rounds N (15), --session-rounds N (3), --no-instructions,
 *   --quick (fewer rounds, no session scaling).  Without traces it reads
 *   HEAPVIZ_TRACES or ../shared/traces beside the source tree.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "glibc.h"
#include "history.h"
#include "interp.h"
#include "memsrc.h"
#include "session.h"
#include "trace.h"
#include "bench.h"

#define BENCH_MMAP_THRESHOLD	(256 * 1024)
#define SAMPLE_OPS		20000	/* tiny traces repeat to this */

/* glibc-model is measured on its own table (--glibc-model). */
enum kind { K_CORE, K_EVENTS, K_SESSION, K_GLIBC, NKINDS,
	K_GMODEL = NKINDS, NALL };
static const char *const kind_name[NALL] = {
	"core", "core+events", "session", "glibc", "glibc-model",
};

struct btrace {
	char		 *path;
	char		 *name;
	struct trace	  t;
	char		**lines;	/* the trace as commands */
	unsigned	  reps;		/* replays per timed sample */
};

struct result {
	double		 ns[NKINDS];		/* median ns per op */
	double		 ir[NKINDS];		/* instructions per op, or 0 */
	size_t		 foot_core, foot_glibc;	/* peak footprint */
};

static struct btrace	*traces;
static size_t		 ntraces;
static int		 rounds = 15, session_rounds = 3, scaling_runs = 5;
static bool		 do_instructions = true, quick = false;
static const char	*self_path;

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "heapviz-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* ---- Traces. ---- */

static void
add_trace(const char *path)
{
	struct btrace	*b;
	char		 err[256];
	const char	*base = strrchr(path, '/');
	size_t		 i;

	traces = realloc(traces, (ntraces + 1) * sizeof *traces);
	if (traces == NULL)
		die("out of memory");
	b = &traces[ntraces];
	memset(b, 0, sizeof *b);
	if (trace_load(path, &b->t, err, sizeof err) != 0)
		die("%s", err);
	b->path = strdup(path);
	b->name = strdup(base != NULL ? base + 1 : path);
	if (strlen(b->name) > 4 && strcmp(b->name + strlen(b->name) - 4,
	    ".rep") == 0)
		b->name[strlen(b->name) - 4] = '\0';
	b->reps = b->t.nops >= SAMPLE_OPS ? 1 :
	    (unsigned)((SAMPLE_OPS + b->t.nops - 1) / b->t.nops);
	b->lines = calloc(b->t.nops, sizeof *b->lines);
	for (i = 0; i < b->t.nops; i++) {
		const struct trace_op	*op = &b->t.ops[i];
		char			 line[64];

		if (op->kind == 'a')
			snprintf(line, sizeof line, "i%u = malloc %u", op->id,
			    op->size);
		else if (op->kind == 'r')
			snprintf(line, sizeof line, "realloc i%u %u", op->id,
			    op->size);
		else
			snprintf(line, sizeof line, "free i%u", op->id);
		b->lines[i] = strdup(line);
	}
	ntraces++;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
add_path(const char *path)
{
	DIR		*d = opendir(path);
	struct dirent	*e;
	char		**names = NULL;
	size_t		 n = 0, i;

	if (d == NULL) {
		add_trace(path);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		size_t	len = strlen(e->d_name);

		if (len > 4 && strcmp(e->d_name + len - 4, ".rep") == 0) {
			names = realloc(names, (n + 1) * sizeof *names);
			if (names == NULL || asprintf(&names[n], "%s/%s", path,
			    e->d_name) < 0)
				die("out of memory");
			n++;
		}
	}
	closedir(d);
	if (n == 0)
		die("%s: no .rep traces there", path);
	qsort(names, n, sizeof *names, cmp_str);
	for (i = 0; i < n; i++) {
		add_trace(names[i]);
		free(names[i]);
	}
	free(names);
}

/* ---- The allocators. ---- */

/*
 * The decisions, as a consumer that reads them later keeps them: the core
 * writes host-pointer records into this buffer; when it is full they are
 * handed on (counted here) and the buffer is reused, as the session reuses
 * its per-step buffer.  Translating to display addresses is the reader's
 * cost, paid only for what it reads.
 */
#define RECORDER_CAP	1024

struct recorder {
	struct alloc_events	 ev;
	struct alloc_event	 v[RECORDER_CAP];
	size_t			 total;		/* records handed on */
};

static void
recorder_full(struct alloc_events *ev)
{
	struct recorder	*r = ev->ctx;

	r->total += ev->n;
	ev->n = 0;
}

struct core {
	struct memsrc	*ms;
	struct alloc	*a;
	struct recorder	*rec;
};

struct gmodel {
	struct memsrc	*ms;
	struct glibc	*g;
};

static void
gmodel_open(struct gmodel *m)
{
	m->ms = memsrc_sim_create(NULL);
	if (m->ms == NULL)
		die("cannot reserve the simulated address space");
	m->g = glibc_create(m->ms, NULL);
}

static void
gmodel_close(struct gmodel *m)
{
	glibc_destroy(m->g);
	memsrc_destroy(m->ms);
}

static void
core_open(struct core *c, bool events, bool trim_off)
{
	struct alloc_params	p = { 0, 0, ALLOC_CHECKS_STRICT };

	if (trim_off) {
		p.trim_threshold = SIZE_MAX;
		p.mmap_threshold = BENCH_MMAP_THRESHOLD;
	}
	memset(c, 0, sizeof *c);
	c->ms = memsrc_sim_create(NULL);
	if (c->ms == NULL)
		die("cannot reserve the simulated address space");
	c->a = alloc_create(c->ms, &p);
	if (events) {
		c->rec = calloc(1, sizeof *c->rec);
		if (c->rec == NULL)
			die("out of memory");
		c->rec->ev.v = c->rec->v;
		c->rec->ev.cap = RECORDER_CAP;
		c->rec->ev.full = recorder_full;
		c->rec->ev.ctx = c->rec;
		alloc_set_events(c->a, &c->rec->ev);
	}
}

static void
core_close(struct core *c)
{
	alloc_destroy(c->a);
	memsrc_destroy(c->ms);
	free(c->rec);
}

static void
null_write(void *ctx, enum out_kind kind, const char *s, size_t n)
{
	(void)ctx;
	(void)kind;
	(void)s;
	(void)n;
}

static struct out	null_out = { null_write, NULL };

static void
session_settings(struct session *s, bool trim_off)
{
	if (trim_off) {
		if (interp_exec(s, "set trim_threshold off", &null_out) !=
		    SESSION_OK ||
		    interp_exec(s, "set mmap_threshold 256K", &null_out) !=
		    SESSION_OK)
			die("session: `set` failed");
	}
}

static void
glibc_settings(bool trim_off)
{
	if (trim_off) {
		mallopt(M_TRIM_THRESHOLD, INT_MAX);
		mallopt(M_MMAP_THRESHOLD, BENCH_MMAP_THRESHOLD);
	}
}

/* The replays. */
#define REPLAY_BODY(MALLOC, REALLOC, FREE) do {				\
	size_t	i;							\
									\
	for (i = 0; i < t->nops; i++) {					\
		const struct trace_op	*op = &t->ops[i];		\
		void			*q;				\
									\
		switch (op->kind) {					\
		case 'a':						\
			if ((q = MALLOC(op->size)) == NULL)		\
				die("malloc(%u) failed", op->size);	\
			ptr[op->id] = q;				\
			break;						\
		case 'r':						\
			if ((q = REALLOC(ptr[op->id], op->size)) == NULL) \
				die("realloc(%u) failed", op->size);	\
			ptr[op->id] = q;				\
			break;						\
		default:						\
			FREE(ptr[op->id]);				\
			break;						\
		}							\
	}								\
} while (0)

#define CORE_MALLOC(n)		alloc_malloc(a, (n))
#define CORE_REALLOC(p, n)	alloc_realloc(a, (p), (n))
#define CORE_FREE(p)		do {					\
	if (alloc_free(a, (p)) != 0)					\
		die("free refused: %s", alloc_last_error(a)->what);	\
} while (0)

static void __attribute__((noinline))
replay_core(struct alloc *a, const struct trace *t, void **ptr)
{
	REPLAY_BODY(CORE_MALLOC, CORE_REALLOC, CORE_FREE);
}

#define GM_MALLOC(n)		glibc_malloc(g, (n))
#define GM_REALLOC(p, n)	glibc_realloc(g, (p), (n))
#define GM_FREE(p)		do {					\
	if (glibc_free(g, (p)) != 0)					\
		die("free refused: %s", glibc_last_error(g)->what);	\
} while (0)

static void __attribute__((noinline))
replay_gmodel(struct glibc *g, const struct trace *t, void **ptr)
{
	REPLAY_BODY(GM_MALLOC, GM_REALLOC, GM_FREE);
}

static void __attribute__((noinline))
replay_glibc(const struct trace *t, void **ptr)
{
	REPLAY_BODY(malloc, realloc, free);
}

static void __attribute__((noinline))
replay_session(struct session *s, const struct btrace *b)
{
	size_t	i;

	for (i = 0; i < b->t.nops; i++)
		if (interp_exec(s, b->lines[i], &null_out) != SESSION_OK)
			die("%s: `%s` failed", b->name, b->lines[i]);
}

/* Everything one setting needs, made once and reused across rounds. */
struct rig {
	bool		 trim_off;
	struct core	 core, events;
	struct gmodel	 gm;
	struct session	*s;
	void		**ptr;
};

static void
rig_open(struct rig *r, bool trim_off, bool want[NALL])
{
	uint32_t	maxids = 1;
	size_t		i;

	memset(r, 0, sizeof *r);
	r->trim_off = trim_off;
	for (i = 0; i < ntraces; i++)
		if (traces[i].t.nids > maxids)
			maxids = traces[i].t.nids;
	r->ptr = calloc(maxids, sizeof *r->ptr);
	if (want[K_CORE])
		core_open(&r->core, false, trim_off);
	if (want[K_EVENTS])
		core_open(&r->events, true, trim_off);
	if (want[K_SESSION]) {
		r->s = session_create();
		session_settings(r->s, trim_off);
	}
	if (want[K_GLIBC])
		glibc_settings(trim_off);
	if (want[K_GMODEL])
		gmodel_open(&r->gm);
}

static void
rig_close(struct rig *r)
{
	if (r->core.a != NULL)
		core_close(&r->core);
	if (r->events.a != NULL)
		core_close(&r->events);
	if (r->gm.g != NULL)
		gmodel_close(&r->gm);
	session_destroy(r->s);
	free(r->ptr);
}

/* The clock samples read: wall time, or this process's CPU time (the
 * glibc-model timing child: page faults are the process's own system
 * time, while the waits of a shared machine are nobody's). */
static bool	sample_cpu;

static double
sample_clock(void)
{
	struct timespec	ts;

	if (!sample_cpu)
		return bench_now_ns();
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* One timed sample: reps replays of trace b; ns per op. */
static double
sample(struct rig *r, enum kind k, const struct btrace *b)
{
	double		t0, t1;
	unsigned	i;

	t0 = sample_clock();
	for (i = 0; i < b->reps; i++) {
		switch (k) {
		case K_CORE:
			replay_core(r->core.a, &b->t, r->ptr);
			break;
		case K_EVENTS:
			replay_core(r->events.a, &b->t, r->ptr);
			break;
		case K_GLIBC:
			replay_glibc(&b->t, r->ptr);
			break;
		case K_GMODEL:
			replay_gmodel(r->gm.g, &b->t, r->ptr);
			break;
		default:
			replay_session(r->s, b);
			break;
		}
	}
	t1 = sample_clock();
	return (t1 - t0) / ((double)b->reps * (double)b->t.nops);
}

/*
 * The same, under a name callgrind counts (--toggle-collect=measured).  The
 * counter keeps the compiler from folding it into sample().
 */
static volatile unsigned	nmeasured;

static double __attribute__((noinline))
measured(struct rig *r, enum kind k, const struct btrace *b)
{
	nmeasured++;
	return sample(r, k, b);
}

/* ---- Footprint. ---- */

static size_t
core_footprint(const struct btrace *b, bool trim_off)
{
	struct core		c;
	struct alloc_stats	st;
	void			**ptr = calloc(b->t.nids + 1, sizeof *ptr);

	core_open(&c, false, trim_off);
	replay_core(c.a, &b->t, ptr);
	alloc_stats(c.a, &st);
	core_close(&c);
	free(ptr);
	return st.max_footprint;
}

/* glibc's, in a fresh child: the most of arena + mmapped bytes. */
static size_t
glibc_footprint(const struct btrace *b, bool trim_off)
{
	int	fd[2];
	pid_t	pid;
	size_t	peak = 0;

	if (pipe(fd) != 0 || (pid = fork()) < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		void		**ptr = calloc(b->t.nids + 1, sizeof *ptr);
		struct mallinfo2 mi;
		size_t		 base, top = 0, i;

		close(fd[0]);
		glibc_settings(trim_off);
		malloc_trim(0);
		mi = mallinfo2();
		base = mi.uordblks + mi.hblkhd;
		for (i = 0; i < b->t.nops; i++) {
			const struct trace_op	*op = &b->t.ops[i];

			if (op->kind == 'a')
				ptr[op->id] = malloc(op->size);
			else if (op->kind == 'r')
				ptr[op->id] = realloc(ptr[op->id], op->size);
			else
				free(ptr[op->id]);
			mi = mallinfo2();
			if (mi.arena + mi.hblkhd > top)
				top = mi.arena + mi.hblkhd;
		}
		top = top > base ? top - base : 0;
		if (write(fd[1], &top, sizeof top) != sizeof top)
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	if (read(fd[0], &peak, sizeof peak) != sizeof peak)
		peak = 0;
	close(fd[0]);
	waitpid(pid, NULL, 0);
	return peak;
}

/* ---- Instructions, from callgrind. ---- */

/*
 * Runs `valgrind --tool=callgrind heapviz-bench --alloc K --count ...` and
 * reads one dump per trace (--dump-after the measured replay).  Fills
 * ir[trace] with instructions per op; false if valgrind is missing.
 */
static bool
callgrind(enum kind k, bool trim_off, double *ir)
{
	char		 dir[] = "/tmp/heapviz-bench.XXXXXX", cmd[8192], path[512];
	const char	*fn = "measured";
	size_t		 i, len;
	int		 rc;

	if (mkdtemp(dir) == NULL)
		return false;
	len = (size_t)snprintf(cmd, sizeof cmd, "valgrind --tool=callgrind "
	    "--callgrind-out-file=%s/cg --toggle-collect=%s --dump-after=%s "
	    "--dump-instr=no --compress-strings=no %s --alloc %s --count%s",
	    dir, fn, fn, self_path, kind_name[k], trim_off ? "" :
	    " --default");
	for (i = 0; i < ntraces && len < sizeof cmd - 600; i++)
		len += (size_t)snprintf(cmd + len, sizeof cmd - len, " '%s'",
		    traces[i].path);
	snprintf(cmd + len, sizeof cmd - len, " >/dev/null 2>%s/log", dir);
	rc = system(cmd);
	for (i = 0; i < ntraces; i++) {
		FILE		*f;
		char		 line[256];
		double		 total = 0;

		ir[i] = 0;
		/* Two dumps a trace: the warm-up's, then the measured one. */
		snprintf(path, sizeof path, "%s/cg.%zu", dir, 2 * i + 2);
		if (rc != 0 || (f = fopen(path, "r")) == NULL)
			continue;
		while (fgets(line, sizeof line, f) != NULL)
			if (strncmp(line, "totals:", 7) == 0 ||
			    strncmp(line, "summary:", 8) == 0)
				total = strtod(strchr(line, ':') + 1, NULL);
		fclose(f);
		unlink(path);
		ir[i] = total / ((double)traces[i].t.nops * traces[i].reps);
	}
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return false;
	return rc == 0;
}

/* ---- One setting, in its own process. ---- */

static void
print_table(const char *title, struct result *res, bool trim_off)
{
	double	ratio[256], evr[256];
	size_t	i, nr = 0;
	int	k;
	bool	have_ir = false;

	for (i = 0; i < ntraces; i++)
		if (res[i].ir[K_CORE] > 0)
			have_ir = true;
	printf("\n%s\n", title);
	printf("%-15s %6s | %7s %7s %7s %7s | %6s %6s |", "trace", "ops",
	    "core", "core+ev", "session", "glibc", "c/g", "ev/c");
	if (have_ir)
		printf(" %6s %6s %6s %6s |", "Ir:cor", "core+e", "sess",
		    "glibc");
	printf(" %9s %9s | %5s %5s\n", "peak KiB", "glibc KiB", "util",
	    "glibc");
	printf("%-15s %6s | %31s | %13s |", "", "", "ns per op (median)",
	    "time ratio");
	if (have_ir)
		printf(" %27s |", "instructions per op");
	printf(" %19s | %11s\n", "core     footprint", "utilization");
	for (i = 0; i < ntraces; i++) {
		const struct btrace	*b = &traces[i];
		struct result		*r = &res[i];

		printf("%-15.15s %6zu |", b->name, b->t.nops);
		for (k = 0; k < NKINDS; k++)
			printf(" %7.1f", r->ns[k]);
		printf(" | %6.2f %6.2f |", r->ns[K_CORE] / r->ns[K_GLIBC],
		    r->ns[K_EVENTS] / r->ns[K_CORE]);
		if (have_ir)
			printf(" %6.0f %6.0f %6.0f %6.0f |", r->ir[K_CORE],
			    r->ir[K_EVENTS], r->ir[K_SESSION], r->ir[K_GLIBC]);
		printf(" %9.1f %9.1f | %4.0f%% %4.0f%%\n",
		    (double)r->foot_core / 1024, (double)r->foot_glibc / 1024,
		    100.0 * (double)b->t.peak_payload / (double)r->foot_core,
		    r->foot_glibc ? 100.0 * (double)b->t.peak_payload /
		    (double)r->foot_glibc : 0.0);
	}
	{
		double	col[NKINDS][256], irc[NKINDS][256], uc[256], ug[256];
		double	worst = 0;
		size_t	nsl = 0;

		for (i = 0; i < ntraces; i++) {
			for (k = 0; k < NKINDS; k++) {
				col[k][i] = res[i].ns[k];
				irc[k][i] = res[i].ir[k];
			}
			ratio[nr] = res[i].ns[K_CORE] / res[i].ns[K_GLIBC];
			if (ratio[nr] > worst)
				worst = ratio[nr];
			if (ratio[nr] > 1)
				nsl++;
			evr[nr++] = res[i].ns[K_EVENTS] / res[i].ns[K_CORE];
			uc[i] = (double)traces[i].t.peak_payload /
			    (double)res[i].foot_core;
			ug[i] = res[i].foot_glibc ? (double)traces[i].t.peak_payload
			    / (double)res[i].foot_glibc : 0;
		}
		printf("%-15s %6s |", "median", "");
		for (k = 0; k < NKINDS; k++)
			printf(" %7.1f", bench_median(col[k], ntraces));
		printf(" | %6.2f %6.2f |", bench_median(ratio, nr), bench_median(evr, nr));
		if (have_ir)
			printf(" %6.0f %6.0f %6.0f %6.0f |",
			    bench_median(irc[K_CORE], ntraces),
			    bench_median(irc[K_EVENTS], ntraces),
			    bench_median(irc[K_SESSION], ntraces),
			    bench_median(irc[K_GLIBC], ntraces));
		printf(" %9s %9s | %4.0f%% %4.0f%%\n", "", "",
		    100 * bench_median(uc, ntraces), 100 * bench_median(ug, ntraces));
		printf("core/glibc: median %.2f, worst %.2f, %zu of %zu traces "
		    "slower than glibc; core+events/core median %.2f\n",
		    bench_median(ratio, nr), worst, nsl, nr, bench_median(evr, nr));
	}
	(void)trim_off;
}

static double
run_setting(bool trim_off)
{
	struct result	*res = calloc(ntraces, sizeof *res);
	bool		 want[NALL] = { true, true, true, true, false };
	double		*samp[NKINDS], ratio[256];
	struct rig	 r;
	size_t		 i, nr = 0;
	int		 round, k, j;

	/* Footprints first, before the timed rounds grow glibc's heap. */
	for (i = 0; i < ntraces; i++) {
		res[i].foot_core = core_footprint(&traces[i], trim_off);
		res[i].foot_glibc = glibc_footprint(&traces[i], trim_off);
	}
	if (do_instructions) {
		double	ir[256];

		for (k = 0; k < NKINDS; k++) {
			if (!callgrind((enum kind)k, trim_off, ir))
				break;
			for (i = 0; i < ntraces; i++)
				res[i].ir[k] = ir[i];
		}
	}
	rig_open(&r, trim_off, want);
	for (k = 0; k < NKINDS; k++)
		samp[k] = calloc(ntraces * (size_t)rounds, sizeof(double));
	/* A warm-up round, then the timed ones. */
	for (i = 0; i < ntraces; i++)
		for (k = 0; k < NKINDS; k++)
			sample(&r, (enum kind)k, &traces[i]);
	for (round = 0; round < rounds; round++) {
		for (i = 0; i < ntraces; i++) {
			for (j = 0; j < NKINDS; j++) {
				k = (j + round + (int)i) % NKINDS;
				if (k == K_SESSION && round >= session_rounds)
					continue;
				samp[k][i * (size_t)rounds + (size_t)round] =
				    sample(&r, (enum kind)k, &traces[i]);
			}
		}
	}
	for (i = 0; i < ntraces; i++) {
		for (k = 0; k < NKINDS; k++)
			res[i].ns[k] = bench_median(&samp[k][i * (size_t)rounds],
			    k == K_SESSION ? (size_t)session_rounds :
			    (size_t)rounds);
		ratio[nr++] = res[i].ns[K_CORE] / res[i].ns[K_GLIBC];
	}
	print_table(trim_off ? "trim off: trimming off in both, both mmap "
	    "thresholds 256 KiB (headline)" : "default settings (core: trim "
	    "2 MiB, mmap 256 KiB; glibc: its dynamic thresholds)", res,
	    trim_off);
	rig_close(&r);
	for (k = 0; k < NKINDS; k++)
		free(samp[k]);
	free(res);
	return bench_median(ratio, nr);
}

/* Runs run_setting in a child; returns the median ratio it found. */
static double
setting_in_child(bool trim_off)
{
	int	fd[2];
	pid_t	pid;
	double	ratio = 0;

	fflush(stdout);
	if (pipe(fd) != 0 || (pid = fork()) < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(fd[0]);
		ratio = run_setting(trim_off);
		fflush(stdout);
		if (write(fd[1], &ratio, sizeof ratio) != sizeof ratio)
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	if (read(fd[0], &ratio, sizeof ratio) != sizeof ratio)
		ratio = 0;
	close(fd[0]);
	waitpid(pid, NULL, 0);
	return ratio;
}

/* ---- The session at 10k, 100k and 1M operations. ---- */

/* CPU time of this process: what a command costs when others share it. */
static double
cpu_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/*
 * In a fresh child: count commands; wall ns per command, history bytes
 * per step, CPU ns per command.
 */
static void
scaling_child(size_t first, size_t n, size_t count, double got[3])
{
	struct session	*s = session_create();
	size_t		 done = 0, i = first, j = 0;
	double		 t0, c0;

	session_settings(s, true);
	c0 = cpu_ns();
	t0 = bench_now_ns();
	while (done < count) {
		const struct btrace	*b = &traces[i];

		if (interp_exec(s, b->lines[j], &null_out) != SESSION_OK)
			die("%s: `%s` failed", b->name, b->lines[j]);
		done++;
		if (++j == b->t.nops) {
			j = 0;
			if (++i == first + n)
				i = first;
		}
	}
	got[0] = (bench_now_ns() - t0) / (double)done;
	got[2] = (cpu_ns() - c0) / (double)done;
	got[1] = (double)history_bytes(s) / (double)history_length(s);
}

/*
 * Traces first .. first + n - 1 in turn (over and over) through one
 * session, 10k, 100k and 1M commands, each count in fresh children
 * (scaling_runs of them: the median is shown).
 */
static void
session_scaling_of(size_t first, size_t n, const char *title)
{
	static const size_t	counts[] = { 10000, 100000, 1000000 };
	size_t			c;
	int			r;

	printf("\nsession: %s, one session, trim off (median of %d runs)\n",
	    title, scaling_runs);
	printf("%10s %12s %10s %12s %10s %14s %14s\n", "ops", "ops/s",
	    "ns/op", "CPU ops/s", "CPU ns/op", "max RSS MiB",
	    "history B/step");
	for (c = 0; c < sizeof counts / sizeof counts[0]; c++) {
		double	ns[100], cpu[100], rss[100], bps = 0, m, mc;

		for (r = 0; r < scaling_runs; r++) {
			int	fd[2];
			pid_t	pid;
			double	got[3] = { 0, 0, 0 };
			struct rusage ru;
			int	status;

			fflush(stdout);
			if (pipe(fd) != 0 || (pid = fork()) < 0)
				die("fork: %s", strerror(errno));
			if (pid == 0) {
				close(fd[0]);
				scaling_child(first, n, counts[c], got);
				if (write(fd[1], got, sizeof got) != sizeof got)
					_exit(1);
				_exit(0);
			}
			close(fd[1]);
			if (read(fd[0], got, sizeof got) != sizeof got)
				got[0] = got[1] = got[2] = 0;
			close(fd[0]);
			wait4(pid, &status, 0, &ru);
			ns[r] = got[0];
			cpu[r] = got[2];
			rss[r] = (double)ru.ru_maxrss / 1024;
			bps = got[1];
		}
		m = bench_median(ns, (size_t)scaling_runs);
		mc = bench_median(cpu, (size_t)scaling_runs);
		printf("%10zu %12.0f %10.1f %12.0f %10.1f %14.1f %14.1f\n",
		    counts[c], m > 0 ? 1e9 / m : 0.0, m,
		    mc > 0 ? 1e9 / mc : 0.0, mc,
		    bench_median(rss, (size_t)scaling_runs), bps);
	}
}

static void
session_scaling(void)
{
	size_t	i, longest = 0;
	char	title[128];

	session_scaling_of(0, ntraces, "the traces in turn");
	/* The same trace over and over: the cost of a command, not a mix. */
	for (i = 1; i < ntraces; i++)
		if (traces[i].t.nops > traces[longest].t.nops)
			longest = i;
	snprintf(title, sizeof title, "%s over and over",
	    traces[longest].name);
	session_scaling_of(longest, 1, title);
}

/* ---- The glibc model against glibc (--glibc-model). ---- */

/*
 * glibc's peak footprint on a trace, in a process that has run nothing of
 * malloc before it (main calls this first): the trace read with read(2)
 * into static memory, the result written with write(2).
 */
static char	peak_in[1 << 22];
static void	*peak_ptr[1 << 17];

static int
glibc_peak_main(const char *path)
{
	char		*s, out[32];
	size_t		 n = 0, peak = 0;
	ssize_t		 got;
	int		 fd = open(path, O_RDONLY), line = 0, len;

	if (fd < 0)
		return 1;
	while (n < sizeof peak_in - 1 &&
	    (got = read(fd, peak_in + n, sizeof peak_in - 1 - n)) > 0)
		n += (size_t)got;
	close(fd);
	peak_in[n] = '\0';
	for (s = peak_in; *s != '\0'; s = strchr(s, '\n') ? strchr(s, '\n') +
	    1 : s + strlen(s)) {
		struct mallinfo2	mi;
		unsigned long		id, size;
		char			op = *s;

		if (line++ < 4 || (op != 'a' && op != 'r' && op != 'f'))
			continue;
		id = strtoul(s + 1, NULL, 10);
		if (id >= sizeof peak_ptr / sizeof peak_ptr[0])
			return 1;
		size = op == 'f' ? 0 : strtoul(strchr(s + 2, ' '), NULL, 10);
		if (op == 'a')
			peak_ptr[id] = malloc(size);
		else if (op == 'r')
			peak_ptr[id] = realloc(peak_ptr[id], size);
		else {
			free(peak_ptr[id]);
			peak_ptr[id] = NULL;
		}
		mi = mallinfo2();
		if (mi.arena + mi.hblkhd > peak)
			peak = mi.arena + mi.hblkhd;
	}
	len = snprintf(out, sizeof out, "%zu\n", peak);
	return write(1, out, (size_t)len) == len ? 0 : 1;
}

static size_t
glibc_fresh_peak(const struct btrace *b)
{
	char	 cmd[8192];
	FILE	*f;
	size_t	 peak = 0;

	snprintf(cmd, sizeof cmd, "'%s' --glibc-peak '%s'", self_path,
	    b->path);
	if ((f = popen(cmd, "r")) == NULL)
		return 0;
	if (fscanf(f, "%zu", &peak) != 1)
		peak = 0;
	pclose(f);
	return peak;
}

/*
 * The times, per trace, in a fresh process too (--glibc-time): the bench's
 * own loading frees mapped chunks of its own, which raises this process's
 * glibc mmap threshold (to between 512 KiB and 1 MiB, measured) and its
 * trim threshold with it, while the model starts from glibc's defaults;
 * glibc then neither maps nor trims where the model does, and the model
 * alone pays the page faults.  So each trace is timed in an exec of this
 * program that reads it with read(2) into static memory and parses it
 * without malloc; the model's own small host allocations (its state, the
 * journal) are all the malloc that runs before the trace.
 */
static struct trace_op	time_ops[1 << 20];

static int
glibc_time_main(const char *path, int nrounds)
{
	struct btrace	 b;
	struct rig	 r;
	bool		 want[NALL] = { false };
	double		 vm[1000], vg[1000];
	char		*s, out[64];
	size_t		 n = 0;
	ssize_t		 got;
	int		 fd = open(path, O_RDONLY), line = 0, len, round;

	if (fd < 0 || nrounds < 1 || nrounds > 1000)
		return 1;
	while (n < sizeof peak_in - 1 &&
	    (got = read(fd, peak_in + n, sizeof peak_in - 1 - n)) > 0)
		n += (size_t)got;
	close(fd);
	peak_in[n] = '\0';
	memset(&b, 0, sizeof b);
	b.t.ops = time_ops;
	for (s = peak_in; *s != '\0'; s = strchr(s, '\n') ? strchr(s, '\n') +
	    1 : s + strlen(s)) {
		struct trace_op	*op = &time_ops[b.t.nops];
		char		 kind = *s;

		if (line++ < 4 || (kind != 'a' && kind != 'r' && kind != 'f'))
			continue;
		if (b.t.nops == sizeof time_ops / sizeof time_ops[0])
			return 1;
		op->kind = kind;
		op->id = (uint32_t)strtoul(s + 1, NULL, 10);
		op->size = kind == 'f' ? 0 :
		    (uint32_t)strtoul(strchr(s + 2, ' '), NULL, 10);
		if (op->id + 1 > b.t.nids)
			b.t.nids = op->id + 1;
		b.t.nops++;
	}
	if (b.t.nops == 0)
		return 1;
	b.reps = b.t.nops >= SAMPLE_OPS ? 1 :
	    (unsigned)((SAMPLE_OPS + b.t.nops - 1) / b.t.nops);
	traces = &b;
	ntraces = 1;
	sample_cpu = true;
	want[K_GMODEL] = want[K_GLIBC] = true;
	rig_open(&r, false, want);
	sample(&r, K_GMODEL, &b);
	sample(&r, K_GLIBC, &b);
	for (round = 0; round < nrounds; round++) {
		if (round % 2 == 0) {
			vm[round] = sample(&r, K_GMODEL, &b);
			vg[round] = sample(&r, K_GLIBC, &b);
		} else {
			vg[round] = sample(&r, K_GLIBC, &b);
			vm[round] = sample(&r, K_GMODEL, &b);
		}
	}
	len = snprintf(out, sizeof out, "%.3f %.3f\n",
	    bench_median(vm, (size_t)nrounds), bench_median(vg,
	    (size_t)nrounds));
	return write(1, out, (size_t)len) == len ? 0 : 1;
}

static bool
glibc_fresh_times(const struct btrace *b, double *m, double *g)
{
	char	 cmd[8192];
	FILE	*f;
	bool	 ok;

	snprintf(cmd, sizeof cmd, "'%s' --glibc-time '%s' %d", self_path,
	    b->path, rounds);
	if ((f = popen(cmd, "r")) == NULL)
		return false;
	ok = fscanf(f, "%lf %lf", m, g) == 2;
	return pclose(f) == 0 && ok;
}

/* The model's: the most of arena and mapped bytes over the trace. */
static size_t
gmodel_peak(const struct btrace *b)
{
	struct gmodel	 m;
	void		**ptr = calloc(b->t.nids + 1, sizeof *ptr);
	size_t		 i, peak = 0, arena, mapped;

	gmodel_open(&m);
	for (i = 0; i < b->t.nops; i++) {
		const struct trace_op	*op = &b->t.ops[i];

		if (op->kind == 'a')
			ptr[op->id] = glibc_malloc(m.g, op->size);
		else if (op->kind == 'r')
			ptr[op->id] = glibc_realloc(m.g, ptr[op->id], op->size);
		else
			glibc_free(m.g, ptr[op->id]);
		glibc_memory(m.g, &arena, &mapped);
		if (arena + mapped > peak)
			peak = arena + mapped;
	}
	gmodel_close(&m);
	free(ptr);
	return peak;
}

static void
run_gmodel(void)
{
	double		 irm[256], irg[256], tr[256], irr[256], um[256], ug[256];
	bool		 have_ir = false;
	size_t		 i, same = 0;

	printf("glibc model against glibc 2.36: %zu traces, %d rounds, "
	    "default settings, medians\n", ntraces, rounds);
	memset(irm, 0, sizeof irm);
	memset(irg, 0, sizeof irg);
	if (do_instructions)
		have_ir = callgrind(K_GMODEL, false, irm) &&
		    callgrind(K_GLIBC, false, irg);
	printf("%-15s %6s | %7s %7s %6s |", "trace", "ops", "model", "glibc",
	    "m/g");
	if (have_ir)
		printf(" %7s %7s %6s |", "Ir:mod", "glibc", "m/g");
	printf(" %10s %10s | %5s %5s\n", "peak model", "peak glibc", "util",
	    "glibc");
	for (i = 0; i < ntraces; i++) {
		const struct btrace	*b = &traces[i];
		double			 m = 0, g = 1;
		size_t			 pm = gmodel_peak(b);
		size_t			 pg = glibc_fresh_peak(b);

		if (!glibc_fresh_times(b, &m, &g))
			die("%s: the timing child failed", b->name);
		tr[i] = m / g;
		irr[i] = irg[i] > 0 ? irm[i] / irg[i] : 0;
		um[i] = pm ? (double)b->t.peak_payload / (double)pm : 0;
		ug[i] = pg ? (double)b->t.peak_payload / (double)pg : 0;
		same += pm == pg;
		printf("%-15.15s %6zu | %7.1f %7.1f %6.2f |", b->name,
		    b->t.nops, m, g, tr[i]);
		if (have_ir)
			printf(" %7.0f %7.0f %6.2f |", irm[i], irg[i], irr[i]);
		printf(" %10zu %10zu | %4.0f%% %4.0f%%\n", pm, pg, 100 * um[i],
		    100 * ug[i]);
	}
	printf("median model/glibc: time %.2f", bench_median(tr, ntraces));
	if (have_ir)
		printf(", instructions %.2f", bench_median(irr, ntraces));
	printf("; peak footprint identical on %zu of %zu traces\n", same,
	    ntraces);
}

/* ---- One allocator alone (--alloc), for profiling. ---- */

static int
run_alone(enum kind k, bool trim_off, bool count)
{
	bool		want[NALL] = { false };
	struct rig	r;
	size_t		i;
	int		round;

	want[k == K_EVENTS ? K_EVENTS : k] = true;
	rig_open(&r, trim_off, want);
	for (i = 0; i < ntraces; i++) {
		double	v[1000];
		int	n = count ? 1 : rounds > 1000 ? 1000 : rounds;

		/*
		 * A warm-up sample first.  Counting, both go through
		 * measured() and callgrind dumps after each: the caller reads
		 * the second dump of each trace.
		 */
		if (count)
			measured(&r, k, &traces[i]);
		else
			sample(&r, k, &traces[i]);
		for (round = 0; round < n; round++)
			v[round] = count ? measured(&r, k, &traces[i]) :
			    sample(&r, k, &traces[i]);
		printf("%-15s %6zu ops %8.1f ns/op\n", traces[i].name,
		    traces[i].t.nops, bench_median(v, (size_t)n));
	}
	rig_close(&r);
	return 0;
}

int
main(int argc, char **argv)
{
	const char	*alone = NULL;
	bool		 trim_off = true, count = false, scaling_only = false;
	bool		 gmodel_only = false;
	double		 ratio;
	int		 i, k;

	/* First, before anything of malloc runs. */
	if (argc == 3 && strcmp(argv[1], "--glibc-peak") == 0)
		return glibc_peak_main(argv[2]);
	if (argc == 4 && strcmp(argv[1], "--glibc-time") == 0) {
		self_path = argv[0];
		return glibc_time_main(argv[2], atoi(argv[3]));
	}
	self_path = argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--alloc") == 0 && i + 1 < argc)
			alone = argv[++i];
		else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--session-rounds") == 0 &&
		    i + 1 < argc)
			session_rounds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--default") == 0)
			trim_off = false;
		else if (strcmp(argv[i], "--trim-off") == 0)
			trim_off = true;
		else if (strcmp(argv[i], "--count") == 0)
			count = true;
		else if (strcmp(argv[i], "--no-instructions") == 0)
			do_instructions = false;
		else if (strcmp(argv[i], "--quick") == 0)
			quick = true;
		else if (strcmp(argv[i], "--scaling") == 0)
			scaling_only = true;
		else if (strcmp(argv[i], "--glibc-model") == 0)
			gmodel_only = true;
		else if (strcmp(argv[i], "--scaling-runs") == 0 &&
		    i + 1 < argc)
			scaling_runs = atoi(argv[++i]);
		else if (argv[i][0] == '-') {
			fprintf(stderr, "usage: heapviz-bench [--rounds N] "
			    "[--session-rounds N] [--no-instructions] [--quick] "
			    "[TRACE|DIR]...\n       heapviz-bench --scaling "
			    "[TRACE|DIR]...\n       heapviz-bench --alloc "
			    "core|core+events|session|glibc|glibc-model "
			    "[--default] [--rounds N] TRACE...\n"
			    "       heapviz-bench --glibc-model [--rounds N] "
			    "[--no-instructions] [TRACE|DIR]...\n");
			return 2;
		} else
			add_path(argv[i]);
	}
	if (rounds < 1)
		rounds = 1;
	if (session_rounds < 1 || session_rounds > rounds)
		session_rounds = rounds < 3 ? rounds : 3;
	if (ntraces == 0) {
		const char	*env = getenv("HEAPVIZ_TRACES");

		add_path(env != NULL ? env : BENCH_TRACES_DIR);
	}
	if (scaling_runs < 1 || scaling_runs > 100)
		scaling_runs = 5;
	if (scaling_only) {
		session_scaling();
		return 0;
	}
	if (gmodel_only) {
		if (do_instructions &&
		    system("valgrind --version >/dev/null 2>&1") != 0)
			do_instructions = false;
		run_gmodel();
		return 0;
	}
	if (alone != NULL) {
		for (k = 0; k < NALL; k++)
			if (strcmp(alone, kind_name[k]) == 0)
				return run_alone((enum kind)k, trim_off, count);
		die("--alloc: %s is not one of core, core+events, session, "
		    "glibc, glibc-model", alone);
	}
	if (quick) {
		rounds = 5;
		session_rounds = 1;
	}
	if (do_instructions && system("valgrind --version >/dev/null 2>&1") != 0) {
		printf("instructions per op: valgrind not found, not measured "
		    "(perf stat -e instructions is not supported here)\n");
		do_instructions = false;
	}
	printf("heapviz-bench: %zu traces, %d rounds (session %d), medians\n",
	    ntraces, rounds, session_rounds);
	setting_in_child(false);
	ratio = setting_in_child(true);
	if (!quick)
		session_scaling();
	printf("core/glibc median time ratio: %.2f\n", ratio);
	return 0;
}
