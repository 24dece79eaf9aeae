/* trace.c -- reading malloc-lab traces (see trace.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "xmalloc.h"

/* Ids and operations beyond these are surely not a trace for a class. */
#define TRACE_MAX_IDS	(UINT32_C(1) << 24)
#define TRACE_MAX_OPS	(UINT32_C(1) << 26)

struct cursor {
	const char	*p, *end;
	uint32_t	 line;
};

/* The next line (without its newline), or NULL at the end. */
static const char *
next_line(struct cursor *c, size_t *len)
{
	const char	*s = c->p, *nl;

	if (c->p >= c->end)
		return NULL;
	nl = memchr(s, '\n', (size_t)(c->end - s));
	*len = (size_t)((nl != NULL ? nl : c->end) - s);
	c->p = nl != NULL ? nl + 1 : c->end;
	c->line++;
	if (*len > 0 && s[*len - 1] == '\r')
		(*len)--;
	return s;
}

static bool
blank(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* A decimal number at *pp (after blanks), at most max; advances *pp. */
static bool
number(const char **pp, const char *end, uint64_t max, uint64_t *out)
{
	const char	*p = *pp;
	uint64_t	 v = 0;
	int		 digits = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (p < end && *p >= '0' && *p <= '9') {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > max)
			return false;
		p++;
		digits++;
	}
	if (digits == 0 || (p < end && *p != ' ' && *p != '\t'))
		return false;
	*pp = p;
	*out = v;
	return true;
}

static int __attribute__((format(printf, 4, 5)))
fail(char *err, size_t errlen, uint32_t line, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	n = snprintf(err, errlen, "line %u: ", line);
	if (n < 0 || (size_t)n >= errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *const header_names[4] = {
	"the suggested heap size", "the number of block ids",
	"the number of operations", "the weight",
};

int
trace_parse(const char *text, size_t len, struct trace *t, char *err,
    size_t errlen)
{
	struct cursor	 c = { text, text + len, 0 };
	uint64_t	 hdr[4];
	const char	*s, *p, *end;
	size_t		 n, nops = 0, live = 0, peak = 0;
	uint32_t	*sizes = NULL;	/* live size + 1 per id, 0: not live */
	struct trace_op	*ops = NULL;
	int		 i;

	if (memchr(text, '\0', len) != NULL)
		return fail(err, errlen, 1, "the file holds a NUL byte: it is "
		    "not a trace");
	for (i = 0; i < 4; i++) {
		static const uint64_t	max[4] = { UINT64_C(1) << 40,
		    TRACE_MAX_IDS, TRACE_MAX_OPS, UINT64_C(1) << 40 };

		do
			s = next_line(&c, &n);
		while (s != NULL && blank(s, n));
		if (s == NULL)
			return fail(err, errlen, c.line, "the trace ends in its "
			    "header: %s is missing (a trace starts with 4 "
			    "numbers)", header_names[i]);
		p = s;
		end = s + n;
		if (!number(&p, end, max[i], &hdr[i]) || !blank(p,
		    (size_t)(end - p)))
			return fail(err, errlen, c.line, "%s should be one "
			    "number up to %llu, not \"%.*s\"", header_names[i],
			    (unsigned long long)max[i], (int)(n > 40 ? 40 : n),
			    s);
	}
	sizes = xcalloc(hdr[1] ? (size_t)hdr[1] : 1, sizeof *sizes);
	ops = xreallocarray(NULL, hdr[2] ? (size_t)hdr[2] : 1, sizeof *ops);
	while ((s = next_line(&c, &n)) != NULL) {
		struct trace_op	 op;
		uint64_t	 id, size = 0;

		if (blank(s, n))
			continue;
		p = s;
		end = s + n;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		op.kind = *p++;
		op.line = c.line;
		if ((op.kind != 'a' && op.kind != 'r' && op.kind != 'f') ||
		    (p < end && *p != ' ' && *p != '\t')) {
			fail(err, errlen, c.line, "\"%.*s\" is not an "
			    "operation (a ID SIZE, r ID SIZE or f ID)",
			    (int)(n > 40 ? 40 : n), s);
			goto bad;
		}
		if (nops == hdr[2]) {
			fail(err, errlen, c.line, "more operations than the "
			    "%llu the header announces",
			    (unsigned long long)hdr[2]);
			goto bad;
		}
		if (!number(&p, end, UINT32_MAX, &id)) {
			fail(err, errlen, c.line, "%c: the block id is missing "
			    "or not a number", op.kind);
			goto bad;
		}
		if (id >= hdr[1]) {
			fail(err, errlen, c.line, "%c %llu: the id is out of "
			    "range (the header says ids 0 to %llu)", op.kind,
			    (unsigned long long)id,
			    (unsigned long long)hdr[1] - 1);
			goto bad;
		}
		if (op.kind != 'f' && !number(&p, end, UINT32_MAX - 1,
		    &size)) {
			fail(err, errlen, c.line, "%c %llu: the size is missing "
			    "or not a number below 4G", op.kind,
			    (unsigned long long)id);
			goto bad;
		}
		if (!blank(p, (size_t)(end - p))) {
			fail(err, errlen, c.line, "%c %llu: unexpected \"%.*s\" "
			    "at the end of the line", op.kind,
			    (unsigned long long)id, (int)(end - p > 20 ? 20 :
			    end - p), p);
			goto bad;
		}
		if (op.kind == 'a' && sizes[id] != 0) {
			fail(err, errlen, c.line, "a %llu: block %llu is "
			    "already allocated", (unsigned long long)id,
			    (unsigned long long)id);
			goto bad;
		}
		if (op.kind != 'a' && sizes[id] == 0) {
			fail(err, errlen, c.line, "%c %llu: block %llu is not "
			    "allocated", op.kind, (unsigned long long)id,
			    (unsigned long long)id);
			goto bad;
		}
		if (sizes[id] != 0)
			live -= sizes[id] - 1;
		sizes[id] = op.kind == 'f' ? 0 : (uint32_t)size + 1;
		live += size;
		if (live > peak)
			peak = live;
		op.id = (uint32_t)id;
		op.size = (uint32_t)size;
		ops[nops++] = op;
	}
	if (nops != hdr[2]) {
		fail(err, errlen, c.line, "the trace ends after %zu operations; "
		    "the header announces %llu", nops,
		    (unsigned long long)hdr[2]);
		goto bad;
	}
	free(sizes);
	t->heap_size = (size_t)hdr[0];
	t->nids = (uint32_t)hdr[1];
	t->weight = (size_t)hdr[3];
	t->ops = ops;
	t->nops = nops;
	t->peak_payload = peak;
	return 0;
bad:
	free(sizes);
	free(ops);
	return -1;
}

int
trace_load(const char *path, struct trace *t, char *err, size_t errlen)
{
	FILE	*f = fopen(path, "rb");
	char	*text = NULL, msg[200];
	size_t	 len = 0, cap = 0, r;
	int	 rc;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			text = xrealloc(text, cap);
		}
		r = fread(text + len, 1, cap - len, f);
		len += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error: %s", path,
		    strerror(errno));
		fclose(f);
		free(text);
		return -1;
	}
	fclose(f);
	rc = trace_parse(text, len, t, msg, sizeof msg);
	if (rc != 0)
		snprintf(err, errlen, "%s:%s", path, msg + 5);
	free(text);
	return rc;
}

void
trace_free(struct trace *t)
{
	free(t->ops);
	t->ops = NULL;
	t->nops = 0;
}
