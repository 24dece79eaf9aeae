/*
 * test-glibc-fidelity.c -- replay sequences recorded from this machine's
 * real glibc 2.36 through the glibc model, and compare op by op.
 *
 * The data (the .txt files in tests/data/glibc) come from the glibc-record harness,
 * run in a fresh process with address randomisation off by
 * tests/glibc-data.py; the head of each file says what it is.  Lines:
 *
 *	m ID SIZE -> RESULT brk=BRK		malloc
 *	c ID NMEMB SIZE -> RESULT brk=BRK	calloc
 *	r ID SIZE -> RESULT brk=BRK		realloc (ID may be NULL)
 *	a ID ALIGN SIZE -> RESULT brk=BRK	memalign
 *	f ID brk=BRK				free; ID becomes NULL
 *	F ID brk=BRK				free; ID stays (double frees)
 *	s INCREMENT brk=BRK			someone else calls sbrk
 *	o PARAM VALUE brk=BRK			mallopt(PARAM, VALUE): M_MXFAST
 *						(1), M_TRIM_THRESHOLD (-1),
 *						M_MMAP_THRESHOLD (-3),
 *						M_MMAP_MAX (-4)
 *	OP ... abort=MESSAGE			glibc printed MESSAGE, aborted
 *	OP ... signal=N				glibc crashed (SIGSEGV: 11)
 *
 * RESULT is a hex offset from the initial break, "mmap" (outside the sbrk
 * heap) or "null".
 *
 * Each file is replayed twice on a fresh sim source: once with a hook
 * listening (every decision emitted, the journal path everywhere, the
 * checker after every op) and once without (the model's fast paths).
 * Both must give every result and every break of the data.  An abort
 * must be refused with exactly glibc's message (a signal: as a crash),
 * and leave every byte of the source's memory as it was.  Blocks are
 * filled with a pattern that must survive until realloc or free; once a
 * file double-frees on purpose (F), blocks may alias and the patterns
 * are no longer checked, and once the model warns that glibc let a
 * double free through, the checker (which would rightly object) rests.
 *
 * Usage: test-glibc-fidelity [FILE|DIR]...  (default:
 * $srcdir/tests/data/glibc).  TAP, one test per file and pass.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glibc.h"
#include "memsrc.h"

struct block {
	unsigned char	*p;
	size_t		 size;
	unsigned char	 tag;
};

struct replay {
	unsigned long	 lineno;
	struct memsrc	*ms;
	struct glibc	*g;
	bool		 hooked;
	bool		 nopattern;	/* a file that double-frees on purpose */
	bool		 warned;	/* the model said glibc let one through */
	unsigned long	 events;
	struct block	*blk;
	size_t		 nblk;
	unsigned	 serial;
	char		 why[1024];
};

static void
fail(struct replay *r, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	n = snprintf(r->why, sizeof r->why, "line %lu: ", r->lineno);
	va_start(ap, fmt);
	vsnprintf(r->why + n, sizeof r->why - (size_t)n, fmt, ap);
	va_end(ap);
}

static void
count(void *ctx, const struct glibc_event *ev)
{
	struct replay	*r = ctx;

	r->events++;
	if (ev->kind == GEV_WARNING)
		r->warned = true;
}

static struct block *
block(struct replay *r, unsigned long id)
{
	if (id >= r->nblk) {
		size_t		 n = r->nblk ? r->nblk : 64;
		struct block	*nb;

		while (n <= id)
			n *= 2;
		nb = realloc(r->blk, n * sizeof *nb);
		if (nb == NULL)
			exit(99);
		memset(nb + r->nblk, 0, (n - r->nblk) * sizeof *nb);
		r->blk = nb;
		r->nblk = n;
	}
	return &r->blk[id];
}

static void
result_text(struct replay *r, const void *p, char *buf, size_t len)
{
	uint64_t	d;

	if (p == NULL) {
		snprintf(buf, len, "null");
		return;
	}
	d = memsrc_to_display(r->ms, p);
	if (d >= SIM_HEAP_START && d < memsrc_break(r->ms))
		snprintf(buf, len, "0x%" PRIx64, d - SIM_HEAP_START);
	else
		snprintf(buf, len, "mmap");
}

static void
fill(struct replay *r, struct block *b)
{
	b->tag = (unsigned char)(r->serial++ % 251 + 1);
	/* blocks may alias free chunks: writing would damage the heap */
	if (b->p != NULL && b->size > 0 && !r->nopattern)
		memset(b->p, b->tag, b->size);
}

static bool
intact(struct replay *r, unsigned long id, const unsigned char *p, size_t n,
    unsigned char want, const char *what)
{
	size_t	i;

	if (r->nopattern)
		return true;
	for (i = 0; i < n; i++)
		if (p[i] != want) {
			fail(r, "block %lu: %s: byte %zu of %zu is 0x%02x, "
			    "expected 0x%02x", id, what, i, n, p[i], want);
			return false;
		}
	return true;
}

/* ---- The memory, to show a refusal changed nothing. ---- */

struct image {
	struct memsrc_range	 rg[256];
	size_t			 n;
	unsigned char		*bytes;
	uint64_t		 brk;
};

static void
image_take(struct replay *r, struct image *im)
{
	size_t	i, total = 0, off = 0;

	im->n = memsrc_ranges(r->ms, im->rg, 256);
	if (im->n > 256)
		im->n = 256;
	for (i = 0; i < im->n; i++)
		total += im->rg[i].len;
	im->bytes = malloc(total ? total : 1);
	if (im->bytes == NULL)
		exit(99);
	for (i = 0; i < im->n; i++) {
		memcpy(im->bytes + off, im->rg[i].host, im->rg[i].len);
		off += im->rg[i].len;
	}
	im->brk = memsrc_break(r->ms);
}

static bool
image_same(struct replay *r, struct image *im)
{
	struct memsrc_range	rg[256];
	size_t			n = memsrc_ranges(r->ms, rg, 256), i, off = 0;
	bool			same = n == im->n && im->brk ==
				    memsrc_break(r->ms);

	for (i = 0; same && i < n; i++) {
		if (rg[i].disp != im->rg[i].disp || rg[i].len != im->rg[i].len)
			same = false;
		else if (memcmp(rg[i].host, im->bytes + off, rg[i].len) != 0) {
			size_t	j;

			for (j = 0; j < rg[i].len; j++)
				if (rg[i].host[j] != im->bytes[off + j])
					break;
			fail(r, "the refusal changed memory at %#" PRIx64,
			    rg[i].disp + j);
			free(im->bytes);
			return false;
		}
		off += rg[i].len;
	}
	free(im->bytes);
	if (!same)
		fail(r, "the refusal changed the mappings or the break");
	return same;
}

/* ---- Parsing. ---- */

static bool
num(char **s, unsigned long long *v)
{
	char	*end;

	while (**s == ' ')
		(*s)++;
	if (**s < '0' || **s > '9')
		return false;
	errno = 0;
	*v = strtoull(*s, &end, 0);
	if (errno != 0 || end == *s)
		return false;
	*s = end;
	return true;
}

struct want {
	char		 res[64];
	uint64_t	 brk;
	char		 abort[160];	/* "" unless the op aborted */
	int		 signal;
};

static bool
expected(char *s, bool want_result, struct want *w)
{
	unsigned long long	v;
	size_t			n;

	memset(w, 0, sizeof *w);
	while (*s == ' ')
		s++;
	if (strncmp(s, "abort=", 6) == 0) {
		s += 6;
		n = strcspn(s, "\n");
		if (n == 0 || n >= sizeof w->abort)
			return false;
		memcpy(w->abort, s, n);
		return true;
	}
	if (strncmp(s, "signal=", 7) == 0) {
		s += 7;
		if (!num(&s, &v))
			return false;
		w->signal = (int)v;
		return true;
	}
	if (want_result) {
		if (strncmp(s, "->", 2) != 0)
			return false;
		s += 2;
		while (*s == ' ')
			s++;
		n = strcspn(s, " \n");
		if (n == 0 || n >= sizeof w->res)
			return false;
		memcpy(w->res, s, n);
		s += n;
		while (*s == ' ')
			s++;
	}
	if (strncmp(s, "brk=", 4) != 0)
		return false;
	s += 4;
	if (!num(&s, &v))
		return false;
	w->brk = v;
	while (*s == ' ' || *s == '\n' || *s == '\r')
		s++;
	return *s == '\0';
}

/* Whether the refusal is the one glibc made. */
static bool
refused_as(struct replay *r, const struct want *w, const char *opt)
{
	const struct glibc_error	*e = glibc_last_error(r->g);

	if (w->signal != 0) {
		if (!e->segv) {
			fail(r, "%s: glibc crashed (signal %d); the model did "
			    "not refuse as a crash (%s)", opt, w->signal,
			    e->glibc ? e->glibc : e->what);
			return false;
		}
		return true;
	}
	if (e->glibc == NULL || strcmp(e->glibc, w->abort) != 0) {
		fail(r, "%s: glibc aborted with \"%s\"; the model %s \"%s\"",
		    opt, w->abort, e->glibc ? "said" : "did not refuse:",
		    e->glibc ? e->glibc : e->what);
		return false;
	}
	if (e->what[0] == '\0') {
		fail(r, "%s: the refusal gives no account", opt);
		return false;
	}
	return true;
}

/* ---- One operation. ---- */

static bool
step(struct replay *r, char *line, bool *ended)
{
	unsigned long long	 id = 0, x = 0, y = 0;
	long long		 inc = 0;
	char			 op = line[0], *s = line + 1, *end;
	char			 got[64], opt[128];
	struct want		 w;
	void			*p = NULL;
	struct block		*b = NULL;
	bool			 has_result = true, refused = false;
	struct image		 im;
	char			 msgs[4][160];
	size_t			 nv;
	int			 rc = 0;

	switch (op) {
	case 'm':
	case 'r':
		if (!num(&s, &id) || !num(&s, &x))
			goto syntax;
		snprintf(opt, sizeof opt, "%c %llu %llu", op, id, x);
		break;
	case 'c':
	case 'a':
		if (!num(&s, &id) || !num(&s, &x) || !num(&s, &y))
			goto syntax;
		snprintf(opt, sizeof opt, "%c %llu %llu %llu", op, id, x, y);
		break;
	case 'f':
	case 'F':
		if (!num(&s, &id))
			goto syntax;
		snprintf(opt, sizeof opt, "%c %llu", op, id);
		has_result = false;
		break;
	case 's':
		while (*s == ' ')
			s++;
		errno = 0;
		inc = strtoll(s, &end, 0);
		if (errno != 0 || end == s)
			goto syntax;
		s = end;
		snprintf(opt, sizeof opt, "s %lld", inc);
		has_result = false;
		break;
	case 'o':
		while (*s == ' ')
			s++;
		errno = 0;
		inc = strtoll(s, &end, 0);	/* the parameter */
		if (errno != 0 || end == s || !num(&end, &x))
			goto syntax;
		s = end;
		snprintf(opt, sizeof opt, "o %lld %llu", inc, x);
		has_result = false;
		break;
	default:
		goto syntax;
	}
	if (id > 1000000 || !expected(s, has_result, &w))
		goto syntax;
	if (op != 's' && op != 'o')
		b = block(r, (unsigned long)id);
	if (w.abort[0] != '\0' || w.signal != 0) {
		image_take(r, &im);
		*ended = true;
	}

	switch (op) {
	case 'm':
	case 'c':
	case 'a':
		if (op == 'm')
			p = glibc_malloc(r->g, (size_t)x);
		else if (op == 'a')
			p = glibc_memalign(r->g, (size_t)x, (size_t)y);
		else {
			p = glibc_calloc(r->g, (size_t)x, (size_t)y);
			if (p != NULL && !intact(r, (unsigned long)id, p,
			    (size_t)x * (size_t)y, 0, "calloc did not zero"))
				return false;
		}
		refused = p == NULL && errno == EINVAL;
		if (p != NULL) {
			b->p = p;
			b->size = op == 'a' ? (size_t)y : op == 'm' ?
			    (size_t)x : (size_t)x * (size_t)y;
			fill(r, b);
		}
		break;
	case 'r':
		if (b->p != NULL && !intact(r, (unsigned long)id, b->p,
		    b->size, b->tag, "damaged before realloc"))
			return false;
		errno = 0;
		p = glibc_realloc(r->g, b->p, (size_t)x);
		refused = p == NULL && errno == EINVAL;
		if (p != NULL) {
			size_t	keep = b->size < x ? b->size : (size_t)x;

			if (b->p != NULL && !intact(r, (unsigned long)id, p,
			    keep, b->tag, "realloc did not keep the contents"))
				return false;
			b->p = p;
			b->size = (size_t)x;
			fill(r, b);
		} else if (x == 0 && !refused) {
			b->p = NULL;
			b->size = 0;
		}
		break;
	case 'f':
	case 'F':
		if (op == 'F')
			r->nopattern = true;
		if (b->p != NULL && !intact(r, (unsigned long)id, b->p,
		    b->size, b->tag, "damaged before free"))
			return false;
		rc = glibc_free(r->g, b->p);
		refused = rc != 0;
		if (op == 'f') {
			b->p = NULL;
			b->size = 0;
		}
		break;
	case 'o':
		/* mallopt: each consolidates, whether it takes the value. */
		if (inc == 1)
			rc = glibc_set_mxfast(r->g, (size_t)x);
		else if (inc == -1)
			rc = glibc_set_trim_threshold(r->g, (size_t)x);
		else if (inc == -3)
			rc = glibc_set_mmap_threshold(r->g, (size_t)x);
		else if (inc == -4)
			rc = glibc_set_mmap_max(r->g, (size_t)x);
		else
			goto syntax;
		(void)rc;
		break;
	case 's':
		if (memsrc_sbrk(r->ms, (intptr_t)inc) == MEMSRC_FAIL) {
			fail(r, "%s: memsrc_sbrk failed: %s", opt,
			    strerror(errno));
			return false;
		}
		break;
	}

	if (w.abort[0] != '\0' || w.signal != 0) {
		if (!refused) {
			fail(r, "%s: glibc %s \"%s\"; the model went through", opt,
			    w.signal ? "crashed" : "aborted with",
			    w.signal ? "SIGSEGV" : w.abort);
			free(im.bytes);
			return false;
		}
		if (!refused_as(r, &w, opt)) {
			free(im.bytes);
			return false;
		}
		return image_same(r, &im);
	}
	if (refused) {
		const struct glibc_error *e = glibc_last_error(r->g);

		fail(r, "%s: refused (%s: %s); glibc went through", opt,
		    e->glibc ? e->glibc : "-", e->what);
		return false;
	}

	if (has_result) {
		result_text(r, p, got, sizeof got);
		if (strcmp(w.res, got) != 0 || w.brk != memsrc_break(r->ms) -
		    SIM_HEAP_START) {
			fail(r, "%s: expected -> %s brk=0x%" PRIx64 ", got -> "
			    "%s brk=0x%" PRIx64, opt, w.res, w.brk, got,
			    memsrc_break(r->ms) - SIM_HEAP_START);
			return false;
		}
	} else if (w.brk != memsrc_break(r->ms) - SIM_HEAP_START) {
		fail(r, "%s: expected brk=0x%" PRIx64 ", got brk=0x%" PRIx64,
		    opt, w.brk, memsrc_break(r->ms) - SIM_HEAP_START);
		return false;
	}

	if (r->hooked && !r->warned) {
		nv = glibc_check(r->g, msgs, 4);
		if (nv > 0) {
			fail(r, "%s: glibc_check found %zu violation%s; first: "
			    "%s", opt, nv, nv == 1 ? "" : "s", msgs[0]);
			return false;
		}
	}
	return true;

syntax:
	fail(r, "cannot parse: %.*s", (int)strcspn(line, "\n"), line);
	return false;
}

static bool
replay_file(const char *file, bool hooked, char *why, size_t whylen,
    unsigned long *nops)
{
	struct replay	 r;
	FILE		*fp;
	char		 line[512];
	bool		 ok = true, ended = false;

	memset(&r, 0, sizeof r);
	r.hooked = hooked;
	*nops = 0;
	fp = fopen(file, "r");
	if (fp == NULL) {
		snprintf(why, whylen, "cannot open: %s", strerror(errno));
		return false;
	}
	r.ms = memsrc_sim_create(NULL);
	r.g = glibc_create(r.ms, NULL);
	if (hooked)
		glibc_set_hook(r.g, count, &r);
	while (fgets(line, sizeof line, fp) != NULL) {
		r.lineno++;
		if (line[0] == '#' || line[0] == '\n' || line[0] == '\0')
			continue;
		if (ended) {
			snprintf(r.why, sizeof r.why, "line %lu: an op after "
			    "the abort", r.lineno);
			ok = false;
			break;
		}
		(*nops)++;
		if (!step(&r, line, &ended)) {
			ok = false;
			break;
		}
	}
	if (ok && *nops == 0) {
		snprintf(r.why, sizeof r.why, "no operations");
		ok = false;
	}
	if (ok && hooked && r.events == 0) {
		snprintf(r.why, sizeof r.why, "the hook heard nothing");
		ok = false;
	}
	fclose(fp);
	glibc_destroy(r.g);
	memsrc_destroy(r.ms);
	free(r.blk);
	if (!ok)
		snprintf(why, whylen, "%s", r.why);
	return ok;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	char		**files = NULL, why[1100], dir[4096];
	size_t		  nfiles = 0, cap = 0, i;
	int		  a, failed = 0, t = 0;
	unsigned long	  nops, total = 0;
	const char	 *srcdir = getenv("srcdir");

	for (a = 1; a <= argc; a++) {
		const char	*arg;
		DIR		*d;
		struct dirent	*de;

		if (argc > 1 && a == argc)
			break;
		if (argc == 1) {
			snprintf(dir, sizeof dir, "%s/tests/data/glibc",
			    srcdir ? srcdir : ".");
			arg = dir;
		} else
			arg = argv[a];
		d = opendir(arg);
		if (d == NULL) {
			if (nfiles == cap) {
				cap = cap ? cap * 2 : 64;
				files = realloc(files, cap * sizeof *files);
			}
			files[nfiles++] = strdup(arg);
		} else {
			while ((de = readdir(d)) != NULL) {
				size_t	n = strlen(de->d_name);
				char	*f;

				if (n < 5 || strcmp(de->d_name + n - 4,
				    ".txt") != 0)
					continue;
				if (nfiles == cap) {
					cap = cap ? cap * 2 : 64;
					files = realloc(files, cap *
					    sizeof *files);
				}
				f = malloc(strlen(arg) + n + 2);
				sprintf(f, "%s/%s", arg, de->d_name);
				files[nfiles++] = f;
			}
			closedir(d);
		}
		if (argc == 1)
			break;
	}
	qsort(files, nfiles, sizeof *files, cmp_str);
	printf("1..%zu\n", 2 * nfiles);
	for (i = 0; i < nfiles; i++) {
		int	pass;

		for (pass = 0; pass < 2; pass++) {
			bool	ok = replay_file(files[i], pass == 0, why,
			    sizeof why, &nops);

			t++;
			if (pass == 0)
				total += nops;
			if (ok)
				printf("ok %d - %s (%s, %lu ops)\n", t,
				    files[i], pass == 0 ? "hooked, checked" :
				    "fast paths", nops);
			else {
				printf("not ok %d - %s (%s): %s\n", t, files[i],
				    pass == 0 ? "hooked" : "fast", why);
				failed++;
			}
		}
		free(files[i]);
	}
	printf("# %zu files, %lu operations\n", nfiles, total);
	free(files);
	return failed ? 1 : 0;
}
