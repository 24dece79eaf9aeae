/*
 * test-fidelity.c -- replay reference sequences through the allocator core
 * and compare, op by op, with what the real dlmalloc 2.8.6 did.
 *
 * Each data file (tests/data/fidelity-*.txt) lists operations and, for each,
 * the result dlmalloc returned and where the break was afterwards, both as
 * offsets from the initial break.  The head comment of every data file says
 * how dlmalloc was configured and where the operations came from.  The line
 * format:
 *
 *	m ID SIZE -> RESULT brk=BRK		malloc
 *	c ID NMEMB SIZE -> RESULT brk=BRK	calloc
 *	r ID SIZE -> RESULT brk=BRK		realloc (block ID may be NULL)
 *	f ID brk=BRK				free (block ID may be NULL)
 *	s INCREMENT brk=BRK			someone else calls sbrk
 *
 * RESULT is a hex offset from the initial break, "mmap" (a chunk outside
 * the sbrk heap) or "null".  A NULL result from realloc leaves the block as
 * it was, except for realloc(p, 0), which frees p.
 *
 * For every file a fresh simulated memory source and allocator are made and
 * every operation is replayed; after every operation the results and the
 * break are compared and alloc_check() must find nothing.  The test also
 * writes a pattern into every block it gets and checks that the pattern
 * survives until the block is reallocated or freed, and that calloc zeroes.
 *
 * Usage: test-fidelity [FILE|DIR]...
 * Without arguments it reads $srcdir/tests/data (srcdir defaulting to ".").
 * A directory stands for its fidelity-*.txt files.  Output is TAP: one test
 * per file.
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
#include <sys/stat.h>

#include "alloc.h"
#include "memsrc.h"

#define MAXCHECK	4

struct block {
	unsigned char	*p;
	size_t		 size;		/* bytes the test may use */
	unsigned char	 tag;		/* the byte the block is filled with */
};

struct replay {
	const char	*file;
	unsigned long	 lineno;
	struct memsrc	*ms;
	struct alloc	*a;
	struct block	*blk;
	size_t		 nblk;
	unsigned	 serial;
	char		 why[1024];	/* the diagnostic, when it fails */
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

static struct block *
block(struct replay *r, unsigned long id)
{
	if (id >= r->nblk) {
		size_t	 n = r->nblk ? r->nblk : 64;
		struct block *nb;

		while (n <= id)
			n *= 2;
		nb = realloc(r->blk, n * sizeof *nb);
		if (nb == NULL) {
			perror("realloc");
			exit(99);
		}
		memset(nb + r->nblk, 0, (n - r->nblk) * sizeof *nb);
		r->blk = nb;
		r->nblk = n;
	}
	return &r->blk[id];
}

/* Display-relative offsets and the break, as the data files spell them. */
static uint64_t
brk_offset(struct replay *r)
{
	return memsrc_break(r->ms) - SIM_HEAP_START;
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

/* ---- The pattern in every block. ---- */

static void
fill(struct replay *r, struct block *b)
{
	b->tag = (unsigned char)(r->serial++ % 251 + 1);
	if (b->p != NULL && b->size > 0)
		memset(b->p, b->tag, b->size);
}

/* Checks the first n bytes of b against its tag (or zero). */
static bool
intact(struct replay *r, unsigned long id, const unsigned char *p, size_t n,
    unsigned char want, const char *what)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (p[i] != want) {
			fail(r, "block %lu: %s: byte %zu of %zu is 0x%02x, "
			    "expected 0x%02x", id, what, i, n, p[i], want);
			return false;
		}
	}
	return true;
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

static bool
snum(char **s, long long *v)
{
	char	*end;

	while (**s == ' ')
		(*s)++;
	errno = 0;
	*v = strtoll(*s, &end, 0);
	if (errno != 0 || end == *s)
		return false;
	*s = end;
	return true;
}

/* Splits "-> RESULT brk=BRK" (want_result) or "brk=BRK". */
static bool
expected(char *s, bool want_result, char *res, size_t reslen, uint64_t *brk)
{
	unsigned long long	v;
	size_t			n;

	while (*s == ' ')
		s++;
	if (want_result) {
		if (strncmp(s, "->", 2) != 0)
			return false;
		s += 2;
		while (*s == ' ')
			s++;
		n = strcspn(s, " \n");
		if (n == 0 || n >= reslen)
			return false;
		memcpy(res, s, n);
		res[n] = '\0';
		s += n;
		while (*s == ' ')
			s++;
	}
	if (strncmp(s, "brk=", 4) != 0)
		return false;
	s += 4;
	if (!num(&s, &v))
		return false;
	*brk = v;
	while (*s == ' ' || *s == '\n' || *s == '\r')
		s++;
	return *s == '\0';
}

/* ---- One operation. ---- */

static bool
step(struct replay *r, char *line)
{
	unsigned long long	 id = 0, x = 0, y = 0;
	long long		 inc = 0;
	char			 op = line[0], *s = line + 1;
	char			 want[64], got[64], opt[128];
	uint64_t		 want_brk, got_brk;
	void			*p = NULL;
	struct block		*b = NULL;
	bool			 has_result = true;
	char			 msgs[MAXCHECK][160];
	size_t			 nv;

	switch (op) {
	case 'm':
		if (!num(&s, &id) || !num(&s, &x))
			goto syntax;
		snprintf(opt, sizeof opt, "m %llu %llu", id, x);
		break;
	case 'c':
		if (!num(&s, &id) || !num(&s, &x) || !num(&s, &y))
			goto syntax;
		snprintf(opt, sizeof opt, "c %llu %llu %llu", id, x, y);
		break;
	case 'r':
		if (!num(&s, &id) || !num(&s, &x))
			goto syntax;
		snprintf(opt, sizeof opt, "r %llu %llu", id, x);
		break;
	case 'f':
		if (!num(&s, &id))
			goto syntax;
		snprintf(opt, sizeof opt, "f %llu", id);
		has_result = false;
		break;
	case 's':
		if (!snum(&s, &inc))
			goto syntax;
		snprintf(opt, sizeof opt, "s %lld", inc);
		has_result = false;
		break;
	default:
		goto syntax;
	}
	if (id > 1000000)
		goto syntax;
	if (!expected(s, has_result, want, sizeof want, &want_brk))
		goto syntax;
	if (op != 's')
		b = block(r, (unsigned long)id);

	switch (op) {
	case 'm':
	case 'c':
		if (b->p != NULL) {
			fail(r, "%s: block %llu is still live (bad data)", opt,
			    id);
			return false;
		}
		if (op == 'm') {
			p = alloc_malloc(r->a, (size_t)x);
		} else {
			p = alloc_calloc(r->a, (size_t)x, (size_t)y);
			if (p != NULL && !intact(r, (unsigned long)id, p,
			    (size_t)x * (size_t)y, 0, "calloc did not zero"))
				return false;
		}
		if (p != NULL) {
			b->p = p;
			b->size = op == 'm' ? (size_t)x : (size_t)x * (size_t)y;
			fill(r, b);
		}
		break;
	case 'r':
		if (b->p != NULL && !intact(r, (unsigned long)id, b->p,
		    b->size, b->tag, "damaged before realloc"))
			return false;
		p = alloc_realloc(r->a, b->p, (size_t)x);
		if (p != NULL) {
			size_t	keep = b->size < x ? b->size : (size_t)x;

			if (b->p != NULL && !intact(r, (unsigned long)id, p,
			    keep, b->tag, "realloc did not keep the contents"))
				return false;
			b->p = p;
			b->size = (size_t)x;
			fill(r, b);
		} else if (x == 0 && b->p != NULL) {
			b->p = NULL;		/* realloc(p, 0) freed it */
			b->size = 0;
		}
		break;
	case 'f':
		if (b->p != NULL && !intact(r, (unsigned long)id, b->p,
		    b->size, b->tag, "damaged before free"))
			return false;
		if (alloc_free(r->a, b->p) != 0) {
			const struct alloc_error *e = alloc_last_error(r->a);

			fail(r, "%s: alloc_free refused: %s (%s)", opt,
			    e ? e->what : "?", e ? e->glibc : "?");
			return false;
		}
		b->p = NULL;
		b->size = 0;
		break;
	case 's':
		if (memsrc_sbrk(r->ms, (intptr_t)inc) == MEMSRC_FAIL) {
			fail(r, "%s: memsrc_sbrk failed: %s", opt,
			    strerror(errno));
			return false;
		}
		break;
	}

	got_brk = brk_offset(r);
	if (has_result) {
		result_text(r, p, got, sizeof got);
		if (strcmp(want, got) != 0 || want_brk != got_brk) {
			const struct alloc_error *e = alloc_last_error(r->a);

			fail(r, "%s: expected -> %s brk=0x%" PRIx64 ", got -> "
			    "%s brk=0x%" PRIx64 "%s%s", opt, want, want_brk,
			    got, got_brk, p == NULL && e ? "; last error: " : "",
			    p == NULL && e ? e->what : "");
			return false;
		}
	} else if (want_brk != got_brk) {
		fail(r, "%s: expected brk=0x%" PRIx64 ", got brk=0x%" PRIx64,
		    opt, want_brk, got_brk);
		return false;
	}

	nv = alloc_check(r->a, msgs, MAXCHECK);
	if (nv > 0) {
		fail(r, "%s: alloc_check found %zu violation%s; first: %s",
		    opt, nv, nv == 1 ? "" : "s", msgs[0]);
		return false;
	}
	return true;

syntax:
	fail(r, "cannot parse: %.*s", (int)strcspn(line, "\n"), line);
	return false;
}

/* ---- One file. ---- */

static bool
replay_file(const char *file, char *why, size_t whylen)
{
	struct replay	 r;
	FILE		*fp;
	char		 line[512];
	bool		 ok = true;
	unsigned long	 nops = 0;

	memset(&r, 0, sizeof r);
	r.file = file;
	fp = fopen(file, "r");
	if (fp == NULL) {
		snprintf(why, whylen, "cannot open: %s", strerror(errno));
		return false;
	}
	r.ms = memsrc_sim_create(NULL);
	if (r.ms == NULL) {
		snprintf(why, whylen, "memsrc_sim_create failed");
		fclose(fp);
		return false;
	}
	r.a = alloc_create(r.ms, NULL);
	if (r.a == NULL) {
		snprintf(why, whylen, "alloc_create failed");
		memsrc_destroy(r.ms);
		fclose(fp);
		return false;
	}
	while (fgets(line, sizeof line, fp) != NULL) {
		r.lineno++;
		if (line[0] == '#' || line[0] == '\n' || line[0] == '\0')
			continue;
		nops++;
		if (!step(&r, line)) {
			ok = false;
			break;
		}
	}
	if (ok && ferror(fp)) {
		snprintf(r.why, sizeof r.why, "read error");
		ok = false;
	}
	if (ok && nops == 0) {
		snprintf(r.why, sizeof r.why, "no operations");
		ok = false;
	}
	fclose(fp);
	alloc_destroy(r.a);
	memsrc_destroy(r.ms);
	free(r.blk);
	if (!ok)
		snprintf(why, whylen, "first divergence at %s", r.why);
	return ok;
}

/* ---- Arguments. ---- */

struct list {
	char	**v;
	size_t	  n, cap;
};

static void
add(struct list *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (l->v == NULL) {
			perror("realloc");
			exit(99);
		}
	}
	l->v[l->n] = strdup(s);
	if (l->v[l->n] == NULL) {
		perror("strdup");
		exit(99);
	}
	l->n++;
}

static int
bystr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's fidelity-*.txt files, sorted; false if it cannot be read. */
static bool
add_dir(struct list *l, const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*e;
	size_t		 first = l->n, len;
	char		 path[4096];

	if (d == NULL)
		return false;
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (strncmp(e->d_name, "fidelity-", 9) != 0 || len < 4 ||
		    strcmp(e->d_name + len - 4, ".txt") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		add(l, path);
	}
	closedir(d);
	qsort(l->v + first, l->n - first, sizeof *l->v, bystr);
	return true;
}

static const char *
base(const char *path)
{
	const char	*s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int
main(int argc, char **argv)
{
	struct list	 files = { NULL, 0, 0 };
	struct stat	 st;
	char		 dir[4096], why[1200];
	const char	*srcdir;
	size_t		 i;
	int		 failed = 0;

	if (argc < 2) {
		srcdir = getenv("srcdir");
		snprintf(dir, sizeof dir, "%s/tests/data",
		    srcdir && *srcdir ? srcdir : ".");
		/* The data ships with the source: not finding it is a
		 * broken test setup (srcdir unset?), never a skip. */
		if (!add_dir(&files, dir)) {
			printf("Bail out! cannot read %s (set srcdir)\n", dir);
			return 99;
		}
	}
	for (i = 1; i < (size_t)argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (!add_dir(&files, argv[i])) {
				fprintf(stderr, "%s: cannot read\n", argv[i]);
				return 99;
			}
		} else
			add(&files, argv[i]);
	}
	if (files.n == 0) {
		printf("Bail out! no data files\n");
		return 99;
	}

	printf("1..%zu\n", files.n);
	fflush(stdout);
	for (i = 0; i < files.n; i++) {
		if (replay_file(files.v[i], why, sizeof why))
			printf("ok %zu - %s\n", i + 1, base(files.v[i]));
		else {
			printf("not ok %zu - %s: %s\n", i + 1,
			    base(files.v[i]), why);
			failed++;
		}
		fflush(stdout);
		free(files.v[i]);
	}
	free(files.v);
	return failed ? 1 : 0;
}
