/*
 * fuzz-cmd.c -- libFuzzer target: the whole command interpreter fed
 * arbitrary text.
 *
 * Each input runs twice, once on each allocator model: in a fresh session
 * on the default (dlmalloc), then in one that starts with `allocator
 * glibc`.  It is split into lines (at '\n'; a NUL ends a line too, as the
 * batch reader refuses such lines) and run through interp_exec, with an
 * output sink that discards everything; the model's checker runs after
 * every line.  After the last line the state is rendered (text views and
 * JSON) and the checker run, so whatever the lines did to the heap is
 * walked once more.
 *
 * `source` must not reach files outside a scratch directory (the fuzzer
 * would find /dev/stdin and block): lines holding a '/' are skipped, and
 * the target runs in a directory of its own that holds a few scripts,
 * one of which sources itself.  Lines holding "tra" are skipped too:
 * `trace PROGRAM` runs a real program found in PATH.
 *
 *	make -C _build-fuzz fuzz			# 60 s each
 *	_build-fuzz/tests/fuzz/fuzz-cmd -dict=tests/fuzz/cmd.dict \
 *	    CORPUS_DIR tests/fuzz/corpus-cmd
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interp.h"
#include "render.h"
#include "session.h"
#include "snapshot.h"

static void
discard(void *ctx, enum out_kind kind, const char *s, size_t n)
{
	(void)ctx;
	(void)kind;
	(void)s;
	(void)n;
}

static void
put_file(const char *name, const char *text, size_t len)
{
	FILE	*f = fopen(name, "w");

	if (f == NULL)
		return;
	if (len == (size_t)-1)
		len = strlen(text);
	fwrite(text, 1, len, f);
	fclose(f);
}

static char	scratch[] = "/tmp/heapviz-fuzz-cmd.XXXXXX";
static int	home = -1;	/* where libFuzzer keeps its corpus */

static const char *const scratch_files[] = {
	"a", "self", "crlf", "bin", "trunc", NULL
};

static void
cleanup(void)
{
	const char *const	*f;

	if (chdir(scratch) != 0)
		return;
	for (f = scratch_files; *f != NULL; f++)
		unlink(*f);
	if (fchdir(home) == 0)
		rmdir(scratch);
}

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);


int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char bin[] = "malloc 32\n\x01\x02\0free p1\n\xff\xfe";

	(void)argc;
	(void)argv;
	/* `mode real` takes its failure path here: a traced process per
	 * input would be all the fuzzer measured. */
	setenv("HEAPVIZ_SUBJECT", "/nonexistent/heapviz-subject", 1);
	home = open(".", O_RDONLY | O_DIRECTORY);
	if (home < 0 || mkdtemp(scratch) == NULL || chdir(scratch) != 0)
		abort();
	put_file("a", "malloc 32\nmalloc 40\nfree p1\nwrite p2 40 \"AAAAAAAA\"\n"
	    "free p2\n", (size_t)-1);
	put_file("self", "malloc 16\nsource self\n", (size_t)-1);
	put_file("crlf", "malloc 100\r\nfree p1\r\n", (size_t)-1);
	put_file("bin", bin, sizeof bin - 1);
	put_file("trunc", "malloc 32\nwrite p1 \"half", (size_t)-1);
	if (fchdir(home) != 0)
		abort();
	atexit(cleanup);
	return 0;
}

static void
run(const uint8_t *data, size_t size, const char *first)
{
	struct out		 out = { discard, NULL };
	struct session		*s = session_create();
	struct snapshot		*snap;
	struct buf		 b;
	char			*line = malloc(size + 1);
	char			 viol[8][160];
	struct model		*m;
	size_t			 i = 0;

	if (line == NULL)
		abort();
	/* A start the fuzzer cannot take away: the session must be on the
	 * model asked for before the first line of the input. */
	if (first != NULL && (interp_exec(s, first, &out) != SESSION_OK ||
	    strcmp(session_model_ops(s)->short_name,
	    first + strlen("allocator ")) != 0))
		abort();
	while (i < size) {
		size_t	n = 0;

		while (i + n < size && data[i + n] != '\n' && data[i + n] != 0)
			n++;
		memcpy(line, data + i, n);
		line[n] = '\0';
		i += n + 1;
		if (memchr(line, '/', n) != NULL || strstr(line, "tra") != NULL)
			continue;
		if (interp_exec(s, line, &out) == SESSION_QUIT)
			break;
		if ((m = session_model(s)) != NULL)
			(void)m->ops->check(m, viol, 8);
	}
	free(line);

	snap = snapshot_take(s);
	render_heap(snap, &out);
	render_bins(snap, &out);
	render_map(snap, &out);
	render_log(snap, 0, &out);
	render_check(snap, &out);
	buf_init(&b);
	render_json_state(snap, &b);
	buf_free(&b);
	snapshot_free(snap);
	session_destroy(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (chdir(scratch) != 0)
		abort();
	run(data, size, NULL);
	run(data, size, "allocator glibc");
	if (fchdir(home) != 0)
		abort();
	return 0;
}
