/*
 * test-session.c -- the command language through interp_exec, the same
 * entry point batch mode and the prompts use.  Every test also runs the
 * invariant checker on the heap after each command.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "interp.h"
#include "session.h"
#include "snapshot.h"
#include "tap.h"
#include "test-state.h"

static struct out_buf	ob;

/* Run one line; the text and errors it printed are in ob. */
static enum session_status
run(struct session *s, const char *line)
{
	enum session_status	st;
	struct snapshot		*snap;

	buf_reset(&ob.text);
	buf_reset(&ob.errors);
	st = interp_exec(s, line, &ob.out);
	snap = snapshot_take(s);
	if (snap->nviolations != 0 && getenv("EXPECT_DAMAGE") == NULL) {
		size_t	i;

		diag("after `%s` the checker found:", line);
		for (i = 0; i < snap->nviolations; i++)
			diag("  %s", snap->violations[i]);
	}
	snapshot_free(snap);
	return st;
}

static const char *
text(void)
{
	return ob.text.s ? ob.text.s : "";
}

static const char *
errors(void)
{
	return ob.errors.s ? ob.errors.s : "";
}

static const struct snap_chunk *
chunk_of(const struct snapshot *snap, const char *name)
{
	size_t	i;

	for (i = 0; i < snap->nchunks; i++) {
		if (snap->chunks[i].name != NULL &&
		    strcmp(snap->chunks[i].name, name) == 0)
			return &snap->chunks[i];
	}
	return NULL;
}

static void
test_chunk_sizes(void)
{
	struct session	*s = session_create();
	struct snapshot	*snap;
	static const struct { const char *cmd, *name; size_t size; } want[] = {
		{ "a = malloc 0", "a", 32 },
		{ "b = malloc 24", "b", 32 },
		{ "c = malloc 25", "c", 48 },
		{ "d = malloc 32", "d", 48 },
		{ "e = malloc 100", "e", 112 },
		{ "f = calloc 10 10", "f", 112 },
	};
	size_t	i;

	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		run(s, want[i].cmd);
	snap = snapshot_take(s);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct snap_chunk	*c = chunk_of(snap, want[i].name);

		ok(c != NULL && c->size == want[i].size,
		    "`%s` gives a %zu-byte chunk (got %llu)", want[i].cmd,
		    want[i].size, c ? (unsigned long long)c->size : 0ULL);
	}
	ok(snap->nviolations == 0, "checker clean after the size table");
	snapshot_free(snap);
	session_destroy(s);
}

static void
test_classic_addresses(void)
{
	struct session	*s = session_create();

	run(s, "malloc 32");
	ok(strstr(text(), "p1 = malloc(32) = 0x555555559010") != NULL,
	    "first malloc 32 is p1 at 0x555555559010: %s", text());
	ok(strstr(text(), "sbrk(0x1000) = 0x555555559000") != NULL,
	    "and it caused sbrk(0x1000) from the heap start");
	run(s, "malloc 32");
	run(s, "malloc 32");
	ok(strstr(text(), "p3 = malloc(32) = 0x555555559070") != NULL,
	    "third is p3 at 0x555555559070: %s", text());
	run(s, "free p2");
	ok(strstr(text(), "small bin 6") != NULL,
	    "freeing p2 (48 bytes) puts it in small bin 6: %s", text());
	run(s, "malloc 40");
	ok(strstr(text(), "p4 = malloc(40) = 0x555555559040") != NULL &&
	    strstr(text(), "reused a free chunk from small bin 6") != NULL,
	    "malloc 40 reuses p2's chunk from small bin 6: %s", text());
	ok(test_violations(s) == 0, "checker clean");
	session_destroy(s);
}

static void
test_printf_demo(void)
{
	struct session	*s = session_create();

	run(s, "sbrk 0");
	ok(strstr(text(), "sbrk(0) = 0x555555559000") != NULL,
	    "sbrk 0 reads the initial break: %s", text());
	run(s, "printf \"x\"");
	ok(strstr(text(), "+0x21000") != NULL,
	    "the first printf moves the break by 0x21000: %s", text());
	run(s, "sbrk 32");
	ok(strstr(text(), "sbrk(32) = 0x55555557a000") != NULL,
	    "sbrk 32 then returns 0x21000 above the first break: %s",
	    text());
	run(s, "printf \"y\"");
	ok(strstr(text(), "the break stays at 0x55555557a020") != NULL,
	    "a second printf moves nothing: %s", text());
	run(s, "malloc 100");
	ok(strstr(text(), "= 0x55555557a030") != NULL &&
	    strstr(text(), "sbrk(0x1fe0)") != NULL,
	    "the allocator's heap starts at the break the user left, and its "
	    "first sbrk ends on a page: %s", text());
	ok(test_violations(s) == 0, "checker clean");
	session_destroy(s);

	/* The seed's first program: no printf, the break moves by 0x20. */
	s = session_create();
	run(s, "sbrk 0");
	run(s, "sbrk 32");
	ok(strstr(text(), "sbrk(32) = 0x555555559000; the break is now "
	    "0x555555559020") != NULL, "seed program 1: %s", text());
	session_destroy(s);
}

/* Bad input: a clear message, an error status, the state unchanged. */
static void
test_bad_input(void)
{
	static const struct { const char *line, *msg; } bad[] = {
		{ "mallok 32", "did you mean `malloc`" },
		{ "re 32", "ambiguous command: re, could be: realloc, "
		    "reallocarray, reset" },
		{ "malloc", "missing argument" },
		{ "malloc 1 2", "too many arguments" },
		{ "malloc -9223372036854775809", "below the smallest C integer" },
		{ "malloc 1e30", "is not a number" },
		{ "malloc 99999999999999999999999", "is too large" },
		{ "malloc 0x", "is not a number" },
		{ "fill p2 0x41 -3", "is negative" },
		{ "free nosuch", "unknown name nosuch" },
		{ "free p1", "already freed" },
		{ "free 0x1234", "not in the heap" },
		{ "realloc p1 10", "already freed" },
		{ "write nosuch \"x\"", "unknown name" },
		{ "write p2 \"unterminated", "closing \" is missing" },
		{ "write p2 \"\\q\"", "unknown escape" },
		{ "fill p2 256", "more than 255" },
		{ "dump 0x10 16", "not all in mapped memory" },
		{ "dump p2 16", "a length goes with an address" },
		{ "sbrk -0x100000", "refused" },
		{ "brk 0x1000", "outside the heap" },
		{ "set nosuch 1", "unknown key" },
		{ "set checks maybe", "strict or off" },
		{ "source /nonexistent/file.hv", "cannot open" },
		{ "state --xml", "unknown option" },
		{ "3x = malloc 1", "not a valid name" },
		{ "p9 = free p2", "cannot be given a name" },
		{ "help nosuch", "unknown command" },
	};
	struct session	*s = session_create();
	size_t		 i;
	char		*before, *after;

	run(s, "malloc 32");
	run(s, "malloc 32");
	run(s, "free p1");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		enum session_status	st;

		before = test_state_json(s);
		st = run(s, bad[i].line);
		after = test_state_json(s);
		ok(st == SESSION_ERROR && strstr(errors(), bad[i].msg) != NULL,
		    "`%s` is refused with \"%s\"", bad[i].line, bad[i].msg);
		if (strstr(errors(), bad[i].msg) == NULL)
			diag("said: %s", errors());
		ok(strcmp(before, after) == 0, "`%s` leaves the state as it "
		    "was", bad[i].line);
		free(before);
		free(after);
	}
	session_destroy(s);
}

static void
test_double_free_and_overflow(void)
{
	struct session		*s = session_create();
	enum session_status	 st;
	char			*before, *after;

	run(s, "malloc 24");
	run(s, "malloc 24");
	run(s, "malloc 24");
	run(s, "free p2");
	before = test_state_json(s);
	st = run(s, "free p2");
	ok(st == SESSION_ERROR && strstr(errors(), "double free") != NULL,
	    "a double free is refused and named: %s", errors());
	after = test_state_json(s);
	ok(strcmp(before, after) == 0, "the double free changed nothing");
	free(before);
	free(after);
	st = run(s, "free 0x555555559018");
	ok(st == SESSION_ERROR &&
	    strstr(errors(), "check of the dlmalloc model failed") != NULL &&
	    strstr(errors(), "glibc would abort") == NULL &&
	    strstr(errors(), "must be the payload of a chunk") != NULL,
	    "freeing the middle of a block: dlmalloc's refusal, not in "
	    "glibc's name: %s", errors());
	/* glibc's words only as the glibc model's, run on the same steps. */
	ok(strstr(errors(), "  glibc would say: \"free(): invalid pointer\" "
	    "(the glibc model, run on this session's steps, aborts here)\n") !=
	    NULL && strstr(errors(), "glibc") == strstr(errors(),
	    "glibc would say"), "and glibc's words only as the glibc model's "
	    "replay gives them: %s", errors());

	/* An overflow from p1 over p3's neighbour's header. */
	setenv("EXPECT_DAMAGE", "1", 1);
	run(s, "fill p1 0x41 40");
	ok(strstr(text(), "header at 0x555555559020 is overwritten") != NULL,
	    "an overflow says which header it hit: %s", text());
	ok(test_violations(s) > 0, "the checker sees the damaged header");
	before = test_state_json(s);
	ok(run(s, "free p2") == SESSION_ERROR, "after the damage, the "
	    "damaged chunk's name is still refused");
	st = run(s, "free p1");
	ok(st == SESSION_ERROR && errors()[0] != '\0',
	    "freeing next to a damaged header is refused: %s", errors());
	after = test_state_json(s);
	ok(strcmp(before, after) == 0, "and nothing changed");
	free(before);
	free(after);
	run(s, "heap");
	ok(strstr(text(), "damaged") != NULL, "heap shows the damage");
	unsetenv("EXPECT_DAMAGE");
	session_destroy(s);
}

static void
test_c_semantics(void)
{
	struct session	*s = session_create();

	ok(run(s, "calloc 0x100000000 0x100000000") == SESSION_OK &&
	    strstr(text(), "= NULL, errno ENOMEM") != NULL,
	    "calloc overflow gives NULL and ENOMEM: %s", text());
	ok(run(s, "malloc 0xffffffffffffffff") == SESSION_OK &&
	    strstr(text(), "ENOMEM") != NULL, "malloc(SIZE_MAX) is ENOMEM");
	ok(run(s, "malloc 0x8000000000000000") == SESSION_OK &&
	    strstr(text(), "ENOMEM") != NULL,
	    "a request above PTRDIFF_MAX is ENOMEM");
	run(s, "malloc 100");
	ok(run(s, "reallocarray p1 0x100000000 0x100000000") == SESSION_OK &&
	    strstr(text(), "still valid") != NULL,
	    "reallocarray overflow leaves the block valid: %s", text());
	run(s, "realloc p1 0");
	ok(strstr(text(), "= NULL: the block was freed") != NULL,
	    "realloc p1 0 frees, as glibc: %s", text());
	ok(run(s, "free p1") == SESSION_ERROR, "so p1 is dangling after it");
	ok(run(s, "free NULL") == SESSION_OK, "free NULL is a no-op");
	run(s, "q = malloc 300000");
	ok(strstr(text(), "its own mapping") != NULL,
	    "300000 bytes is mmapped: %s", text());
	run(s, "log 1");
	ok(strstr(text(), "mmap(NULL, 0x") != NULL, "the log shows the mmap");
	run(s, "free q");
	run(s, "log 1");
	ok(strstr(text(), "munmap(0x7ffff") != NULL,
	    "freeing it munmaps: %s", text());
	ok(test_violations(s) == 0, "checker clean");
	session_destroy(s);
}

static void
test_write_and_calloc_dirty(void)
{
	struct session	*s = session_create();
	struct snapshot	*snap;

	run(s, "malloc 64");
	run(s, "malloc 16");
	run(s, "fill p1 0xff");
	run(s, "free p1");
	run(s, "calloc 4 16");
	ok(strstr(text(), "p3 = calloc(4, 16) = 0x555555559010") != NULL,
	    "calloc reuses p1's dirty chunk: %s", text());
	run(s, "dump p3");
	ok(strstr(text(), "ff") == NULL || strstr(text(), "00 00 00 00 00 00 "
	    "00 00  00 00 00 00 00 00 00 00") != NULL, "calloc zeroed it");
	snap = snapshot_take(s);
	ok(snap->nviolations == 0, "checker clean");
	snapshot_free(snap);
	session_destroy(s);
}

static void
test_reset_and_names(void)
{
	struct session	*s = session_create();

	run(s, "buf = malloc 10");
	ok(strstr(text(), "buf = malloc(10)") != NULL, "NAME = malloc binds");
	run(s, "buf = malloc 10");
	ok(strstr(text(), "leak") != NULL, "rebinding a live name notes the "
	    "leak: %s", text());
	run(s, "reset");
	run(s, "malloc 1");
	ok(strstr(text(), "p1 = malloc(1) = 0x555555559010") != NULL,
	    "after reset, names and addresses start again: %s", text());
	ok(run(s, "quit") == SESSION_QUIT, "quit quits");
	ok(run(s, "# just a comment") == SESSION_OK, "a comment is fine");
	ok(run(s, "   ") == SESSION_OK, "so is a blank line");
	session_destroy(s);
}

/*
 * The address index answers as a walk over every name would: the newest
 * live binding at an address, the newest of any, and a free marks every
 * live one there.  Random binds (new names, names bound again at the same
 * or another address) and frees over a few addresses, so that the lists
 * at each grow long.
 */
static void
test_name_index(void)
{
	struct session	*s = session_create();
	unsigned long	 x = 12345;
	size_t		 op, bad = 0, i;

	for (op = 0; op < 20000; op++) {
		char		name[16];
		uint64_t	mem;
		unsigned	r;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		r = (unsigned)(x >> 8);
		mem = 0x1000 + 0x10 * (r % 7);
		if (r % 3 == 0)
			session_mark_freed(s, mem);
		else {
			snprintf(name, sizeof name, "n%u", (r >> 4) % (op <
			    10000 ? 3000 : 40));
			session_bind(s, name, mem, 1);
		}
		for (mem = 0x1000; mem < 0x1000 + 0x10 * 7; mem += 0x10) {
			struct binding	*want_live = NULL, *want_any = NULL;

			for (i = 0; i < session_names(s)->n; i++) {
				if (session_names(s)->v[i].mem != mem)
					continue;
				want_any = &session_names(s)->v[i];
				if (session_names(s)->v[i].live)
					want_live = &session_names(s)->v[i];
			}
			if (session_lookup_mem(s, mem, true) != want_live ||
			    session_lookup_mem(s, mem, false) != want_any) {
				if (bad++ == 0)
					diag("op %zu: address 0x%llx answers "
					    "differently", op,
					    (unsigned long long)mem);
			}
		}
	}
	ok(bad == 0, "the address index agrees with a walk over %zu names "
	    "through 20000 binds and frees", session_names(s)->n);
	session_destroy(s);
}

int
main(void)
{
	out_buf_init(&ob);
	test_chunk_sizes();
	test_classic_addresses();
	test_printf_demo();
	test_bad_input();
	test_double_free_and_overflow();
	test_c_semantics();
	test_write_and_calloc_dirty();
	test_reset_and_names();
	test_name_index();
	out_buf_free(&ob);
	tap_done();
	return tap_exit();
}
