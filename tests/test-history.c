/*
 * test-history.c -- going back and forth lands on exactly the state a
 * straight run had at that step: `state --json` compared byte for byte,
 * over long random sessions that cross many checkpoints; and at chosen
 * steps everything a user can see (every view command's output, through
 * interp_exec as the prompt runs it) after `goto` equals the straight
 * run's at that step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "interp.h"
#include "render.h"
#include "session.h"
#include "snapshot.h"
#include "tap.h"
#include "test-state.h"



static unsigned long rng_state;

static unsigned
rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* One random command line over names n0..n39. */
static void
random_line(char *buf, size_t len)
{
	static const unsigned sizes[] = { 0, 8, 24, 32, 100, 232, 256, 600,
	    1000, 4000, 70000, 300000 };
	unsigned	 id = rnd(40), sz = sizes[rnd(12)] + rnd(40);

	switch (rnd(20)) {
	case 0: case 1: case 2: case 3: case 4: case 5:
		snprintf(buf, len, "n%u = malloc %u", id, sz);
		break;
	case 6: case 7: case 8: case 9: case 10:
		snprintf(buf, len, "free n%u", id);
		break;
	case 11: case 12:
		snprintf(buf, len, "realloc n%u %u", id, sz);
		break;
	case 13:
		snprintf(buf, len, "n%u = calloc %u 4", id, sz / 4);
		break;
	case 14:
		snprintf(buf, len, "fill n%u %u 16", id, rnd(256));
		break;
	case 15:
		snprintf(buf, len, "sbrk %u", 16 * rnd(300));
		break;
	case 16:
		snprintf(buf, len, "printf \"x\"");
		break;
	case 17:
		snprintf(buf, len, "set trim_threshold %u", 4096 * (1 + rnd(600)));
		break;
	case 18:
		snprintf(buf, len, rnd(30) == 0 ? "reset" : "n%u = malloc 48",
		    id);
		break;
	default:
		snprintf(buf, len, "realloc n%u 0", id);
		break;
	}
}

/*
 * Every `every` lines (0: never) the line switches the allocator model
 * instead, the models in turn, so that going back and forth crosses the
 * switches and restores checkpoints taken on either model.
 */
static size_t switch_every;

static void
next_line(size_t i, char *buf, size_t len)
{
	if (switch_every != 0 && i % switch_every == switch_every - 1)
		snprintf(buf, len, "allocator %s",
		    model_list[(i / switch_every + 1) % 2]->short_name);
	else
		random_line(buf, len);
}

static void
run_seed(unsigned long seed, size_t nlines, size_t jumps)
{
	struct session	 *s = session_create();
	char		**want;
	char		  line[80];
	size_t		  i, steps, bad = 0, first_bad = 0;

	rng_state = seed;
	want = calloc(nlines + 1, sizeof *want);
	want[0] = test_state_json(s);
	for (i = 0; i < nlines; i++) {
		size_t	before = history_position(s);

		next_line(i, line, sizeof line);
		interp_exec(s, line, &out_null);
		if (history_position(s) != before) {
			free(want[history_position(s)]);
			want[history_position(s)] = test_state_json(s);
		}
	}
	steps = history_length(s);
	ok(steps > CHECKPOINT_EVERY && history_checkpoints(s) >= 2,
	    "seed %lu: %zu steps, %zu checkpoints%s", seed, steps,
	    history_checkpoints(s), switch_every ? ", switching allocator "
	    "model every few hundred" : "");
	/* The checkpoint after step 0 is on the other model. */
	if (switch_every != 0)
		ok(strstr(want[CHECKPOINT_EVERY], "\"allocator\":\"glibc") !=
		    NULL, "seed %lu: step %d (a checkpoint) is on the glibc "
		    "model", seed, CHECKPOINT_EVERY);
	for (i = 0; i < jumps; i++) {
		size_t	 n = rnd((unsigned)steps + 1);
		char	*got;

		if (i % 3 == 1)
			interp_exec(s, "back", &out_null);
		else if (i % 3 == 2)
			interp_exec(s, "forward", &out_null);
		else if (history_goto(s, n, &out_null) != 0)
			bad++;
		n = history_position(s);
		got = test_state_json(s);
		if (strcmp(got, want[n]) != 0 && bad++ == 0) {
			size_t	d = 0;

			first_bad = n;
			while (got[d] == want[n][d])
				d++;
			d = d > 60 ? d - 60 : 0;
			diag("step %zu, after %s: got ...%.160s", n,
			    i % 3 == 0 ? "goto" : i % 3 == 1 ? "back" :
			    "forward", got + d);
			diag("want ...%.160s", want[n] + d);
		}
		free(got);
	}
	if (!ok(bad == 0, "seed %lu: %zu jumps land on the straight run's "
	    "state", seed, jumps))
		diag("%zu mismatches, the first at step %zu", bad, first_bad);
	/* A fresh session replaying the recorded lines agrees too. */
	{
		struct session	*r;
		size_t		 k, n = steps / 2;
		char		*a, *b, **lines = calloc(n + 1, sizeof *lines);

		/*
		 * The fresh session only once the first is gone, so that its
		 * simulated memory is mapped at the display addresses too (the
		 * glibc model's safe-linked words are computed on them).
		 */
		history_goto(s, n, &out_null);
		b = test_state_json(s);
		for (k = 1; k <= n; k++)
			lines[k] = strdup(history_line(s, k));
		session_destroy(s);
		s = NULL;
		r = session_create();
		for (k = 1; k <= n; k++) {
			interp_exec(r, lines[k], &out_null);
			free(lines[k]);
		}
		free(lines);
		a = test_state_json(r);
		if (!ok(strcmp(a, b) == 0, "seed %lu: goto %zu equals replaying "
		    "its %zu lines in a fresh session", seed, n, n)) {
			size_t	d = 0;

			while (a[d] == b[d])
				d++;
			d = d > 60 ? d - 60 : 0;
			diag("replayed ...%.160s", a + d);
			diag("goto     ...%.160s", b + d);
		}
		free(a);
		free(b);
		session_destroy(r);
	}
	for (i = 0; i <= nlines; i++)
		free(want[i]);
	free(want);
	session_destroy(s);
}

static void
test_branch(void)
{
	struct session	*s = session_create();
	struct out_buf	 ob;

	out_buf_init(&ob);
	interp_exec(s, "malloc 10", &out_null);
	interp_exec(s, "malloc 20", &out_null);
	interp_exec(s, "malloc 30", &out_null);
	interp_exec(s, "back 2", &out_null);
	interp_exec(s, "free p1", &ob.out);
	ok(strstr(ob.text.s ? ob.text.s : "", "2 later steps of the old "
	    "history were dropped") != NULL, "a new step after going back "
	    "says it dropped the future");
	ok(history_length(s) == 2 && history_position(s) == 2,
	    "the history is the new branch");
	buf_reset(&ob.text);
	buf_reset(&ob.errors);
	interp_exec(s, "back", &out_null);
	interp_exec(s, "free p1", &out_null);
	interp_exec(s, "back", &out_null);
	interp_exec(s, "free nosuch", &ob.out);
	ok(history_length(s) == 2, "a refused command keeps the future");
	ok(interp_exec(s, "forward", &out_null) == SESSION_OK &&
	    history_position(s) == 2, "and forward still reaches it");
	ok(interp_exec(s, "forward", &ob.out) == SESSION_ERROR,
	    "forward at the end is an error");
	ok(interp_exec(s, "goto 99", &ob.out) == SESSION_ERROR,
	    "goto past the end is an error");
	interp_exec(s, "reset", &out_null);
	ok(history_position(s) == 3, "reset is a step of its own");
	interp_exec(s, "back", &out_null);
	{
		struct snapshot	*snap = snapshot_take(s);

		ok(snap->nnames == 1 && !snap->names[0].live &&
		    snap->nlog == 2, "and back undoes it: the freed p1 and "
		    "the log return");
		snapshot_free(snap);
	}
	out_buf_free(&ob);
	session_destroy(s);
}

/*
 * The lines of a long history (more text than one of history.c's blocks
 * holds) survive new branches cut at many points, each keeping exactly the
 * lines before it.
 */
static void
test_long_lines(void)
{
	struct session	 *s = session_create();
	char		**want, line[80];
	size_t		  n = 12000, i, k, cuts = 0, bad = 0;

	want = calloc(n + 2, sizeof *want);
	for (i = 1; i <= n; i++) {
		snprintf(line, sizeof line, "%s%zu = malloc %zu",
		    i % 7 == 0 ? "a_longer_name_" : "x", i % 300, 16 + i % 50);
		interp_exec(s, line, &out_null);
		want[i] = strdup(line);
	}
	ok(history_length(s) == n, "%zu steps recorded", n);
	for (k = n - 1; k > 1000; k -= 997 + k % 13) {
		cuts++;
		history_goto(s, k, &out_null);
		snprintf(line, sizeof line, "cut%zu = malloc 8", k);
		interp_exec(s, line, &out_null);
		free(want[k + 1]);
		want[k + 1] = strdup(line);
		for (i = k + 2; i <= n && want[i] != NULL; i++) {
			free(want[i]);
			want[i] = NULL;
		}
		if (history_length(s) != k + 1)
			bad++;
		for (i = 1; i <= k + 1; i++) {
			const char	*got = history_line(s, i);

			if (got == NULL || strcmp(got, want[i]) != 0) {
				if (bad++ == 0)
					diag("after the cut at %zu, line %zu is "
					    "%s, not %s", k, i, got ? got :
					    "missing", want[i]);
				break;
			}
		}
	}
	ok(bad == 0, "%zu new branches each keep the lines before them", cuts);
	for (i = 0; i <= n + 1; i++)
		free(want[i]);
	free(want);
	session_destroy(s);
}

/*
 * A new branch from the middle of a long history makes checkpoints of its
 * own after the old ones past it were dropped; going anywhere then still
 * lands on what a straight run had there (the names too: checkpoints keep
 * them packed, found changed against the newest checkpoint's).
 */
static void
test_branch_checkpoints(void)
{
	struct session	 *s = session_create();
	size_t		  n = 3 * CHECKPOINT_EVERY, cut = n / 2, i, len;
	size_t		  bad = 0;
	char		**want, line[80];

	rng_state = 4242;
	want = calloc(2 * n + 2, sizeof *want);
	want[0] = test_state_json(s);
	while (history_length(s) < n) {
		random_line(line, sizeof line);
		interp_exec(s, line, &out_null);
		free(want[history_position(s)]);
		want[history_position(s)] = test_state_json(s);
	}
	history_goto(s, cut, &out_null);
	while (history_length(s) < cut + n) {
		random_line(line, sizeof line);
		interp_exec(s, line, &out_null);
		free(want[history_position(s)]);
		want[history_position(s)] = test_state_json(s);
	}
	len = history_length(s);
	for (i = 0; i < 200; i++) {
		size_t	 to = rnd((unsigned)len + 1);
		char	*got;

		history_goto(s, to, &out_null);
		got = test_state_json(s);
		if (strcmp(got, want[to]) != 0 && bad++ == 0)
			diag("goto %zu after the branch at %zu differs", to,
			    cut);
		free(got);
	}
	ok(bad == 0 && history_checkpoints(s) >= 3, "a branch at step %zu "
	    "with %zu checkpoints: 200 gotos land on the straight run's "
	    "state", cut, history_checkpoints(s));
	for (i = 0; i < 2 * n + 2; i++)
		free(want[i]);
	free(want);
	session_destroy(s);
}

/*
 * What a user sees at this moment: every view command's output (and its
 * error text), one after the other.  `history all` lists the steps after
 * this one too once they exist, so only its lines up to the marked one
 * count (in the straight run those are all of it); at step 0 the straight
 * run has none to list, and after `goto 0` listing those ahead is the
 * point, so there it is left out.
 */
static char *
views(struct session *s)
{
	static const char *const cmds[] = { "heap", "bins", "map", "log",
	    "explain", "history all", "state --json" };
	struct out_buf	 ob;
	struct buf	 all;
	char		 line[32];
	size_t		 i;

	buf_init(&all);
	for (i = 0; i < sizeof cmds / sizeof cmds[0] + 40; i++) {
		const char	*cmd = line;

		if (i < sizeof cmds / sizeof cmds[0])
			cmd = cmds[i];
		else
			snprintf(line, sizeof line, "show n%zu",
			    i - sizeof cmds / sizeof cmds[0]);
		out_buf_init(&ob);
		interp_exec(s, cmd, &ob.out);
		if (strcmp(cmd, "history all") == 0 &&
		    history_position(s) == 0) {
			out_buf_free(&ob);
			continue;
		}
		if (strcmp(cmd, "history all") == 0 && ob.text.s != NULL) {
			char	*m = ob.text.s[0] == '>' ? ob.text.s :
				    strstr(ob.text.s, "\n>");

			if (m != NULL && (m = strchr(m + 1, '\n')) != NULL)
				m[1] = '\0';
		}
		buf_printf(&all, "== %s\n%s%s", cmd,
		    ob.text.s ? ob.text.s : "", ob.errors.s ? ob.errors.s : "");
		out_buf_free(&ob);
	}
	return all.s;
}

/* Say where two texts first differ, a line of each. */
static void
diag_first_difference(const char *got, const char *want)
{
	size_t	d = 0, a;

	while (got[d] != '\0' && got[d] == want[d])
		d++;
	for (a = d; a > 0 && got[a - 1] != '\n'; a--)
		;
	diag("got:  %.*s", (int)strcspn(got + a, "\n"), got + a);
	diag("want: %.*s", (int)strcspn(want + a, "\n"), want + a);
}

static void
time_travel_views(unsigned long seed, size_t nlines)
{
	struct session	 *s = session_create();
	char		**want, line[80], cmd[40];
	size_t		  i, steps, n, tried = 0, bad = 0;

	rng_state = seed;
	want = calloc(nlines + 1, sizeof *want);
	want[0] = views(s);
	for (i = 0; i < nlines; i++) {
		size_t	before = history_position(s);

		next_line(i, line, sizeof line);
		interp_exec(s, line, &out_null);
		n = history_position(s);
		/* Every 97th step, and those beside each checkpoint. */
		if (n != before && (n % 97 == 0 ||
		    n % CHECKPOINT_EVERY <= 1 ||
		    n % CHECKPOINT_EVERY == CHECKPOINT_EVERY - 1)) {
			free(want[n]);
			want[n] = views(s);
		}
	}
	steps = history_length(s);
	/* Down from the end, then up again: goto crosses checkpoints both
	 * ways. */
	for (i = 0; i < 2 * (steps + 1); i++) {
		char	*got;

		n = i <= steps ? steps - i : i - steps - 1;
		if (want[n] == NULL)
			continue;
		snprintf(cmd, sizeof cmd, "goto %zu", n);
		interp_exec(s, cmd, &out_null);
		got = views(s);
		tried++;
		if (strcmp(got, want[n]) != 0 && bad++ == 0) {
			diag("after %s:", cmd);
			diag_first_difference(got, want[n]);
		}
		free(got);
	}
	ok(bad == 0 && tried > 20, "seed %lu: at %zu steps of %zu, every view "
	    "after goto is the straight run's, byte for byte (%zu differ)%s",
	    seed, tried, steps, bad, switch_every ? ", across allocator "
	    "switches" : "");
	for (i = 0; i <= nlines; i++)
		free(want[i]);
	free(want);
	session_destroy(s);
}

/* explain names the step it explains, at a reset and at step 0 too. */
static void
test_explain_steps(void)
{
	struct session	*s = session_create();
	struct out_buf	 ob;

	out_buf_init(&ob);
	interp_exec(s, "explain", &ob.out);
	is_s(ob.text.s, "nothing to explain: no step yet\n",
	    "explain in a fresh session");
	out_buf_free(&ob);
	interp_exec(s, "malloc 32", &out_null);
	interp_exec(s, "reset", &out_null);
	out_buf_init(&ob);
	interp_exec(s, "explain", &ob.out);
	is_s(ob.text.s, "step 2: reset\n- the allocator took no decision in "
	    "this step\n", "explain right after reset names the reset");
	out_buf_free(&ob);
	interp_exec(s, "goto 0", &out_null);
	out_buf_init(&ob);
	interp_exec(s, "explain", &ob.out);
	is_s(ob.text.s, "nothing to explain: no step yet\n",
	    "explain after goto 0, steps ahead");
	out_buf_free(&ob);
	session_destroy(s);
}

int
main(int argc, char **argv)
{
	size_t	lines = argc > 1 ? strtoul(argv[1], NULL, 10) : 4000;
	int	seeds = argc > 2 ? atoi(argv[2]) : 4, k;

	test_branch();
	test_explain_steps();
	test_long_lines();
	test_branch_checkpoints();
	for (k = 1; k <= seeds; k++)
		run_seed((unsigned long)k * 7919, lines, 300);
	time_travel_views(104729, lines < 2200 ? lines : 2200);
	/* The same across allocator switches: a switch is a step, and each
	 * checkpoint is restored onto the model it was taken on. */
	switch_every = 257;
	run_seed(15485863, lines < 3000 ? lines : 3000, 200);
	time_travel_views(32452843, lines < 2200 ? lines : 2200);
	switch_every = 0;
	tap_done();
	return tap_exit();
}
