/*
 * test-matrix.c -- every command x every class of bad argument, speaking TAP.
 *
 * Generated from cmd_table, so a new command is covered the day it is
 * added.  Each command's usage string ("NAME|0xADDR|NULL SIZE", "NAME
 * [OFFSET] \"TEXT\"", ...) says what each argument is; from it the test
 * builds a full invocation and then, for every class, variants that must
 * be refused:
 *
 *   missing    one required argument fewer than the command takes
 *   extra      one argument more than it takes
 *   nonnum     a number argument that is not a number ("12abc")
 *   negative   a size, count or address that is negative ("-5"); the
 *              size arguments of the C allocation calls are converted as
 *              C converts them instead (see converted[])
 *   overflow   a number past 2^64 ("99999999999999999999999")
 *   unknown    a name nobody bound, a file or lesson that is not there,
 *              a key or option that does not exist
 *   dangling   a name whose block was freed, where using it is an error
 *   outside    an address outside the heap and every mapping
 *
 * A refused variant must return SESSION_ERROR, print an error that names
 * the command or the bad word, and leave `state --json` byte for byte as
 * it was.  A class that does not apply to a command is not a test: it is
 * listed as a "# not applicable" comment with the reason, and counted
 * apart on the last comment line.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "history.h"
#include "interp.h"
#include "render.h"
#include "session.h"
#include "snapshot.h"
#include "tap.h"
#include "test-state.h"

enum kind {
	K_NAME, K_SIZE, K_ADDR, K_SIGNED, K_TEXT, K_KEY, K_FILE, K_LESSON,
	K_COMMAND, K_LITERAL, K_OTHER,
};

struct param {
	enum kind	 kind;
	const char	*word;		/* the placeholder, "SIZE" */
	const char	*valid;		/* a value that parses */
	int		 addr_ok;	/* NAME|0xADDR: an address is allowed */
	int		 optional;	/* [WORD] */
};

static const struct {
	const char	*word;
	enum kind	 kind;
	const char	*valid;
} rules[] = {
	{ "NAME", K_NAME, "p1" },
	{ "SIZE", K_SIZE, "16" }, { "NMEMB", K_SIZE, "2" },
	{ "LEN", K_SIZE, "16" }, { "COUNT", K_SIZE, "4" },
	{ "BYTE", K_SIZE, "0x41" }, { "OFFSET", K_SIZE, "0" },
	{ "ALIGN", K_SIZE, "64" }, { "VAR", K_OTHER, "q1" },
	{ "N", K_SIZE, "1" }, { "STEP", K_SIZE, "1" }, { "VALUE", K_SIZE, "4096" },
	{ "ADDR", K_ADDR, "0x555555559000" },
	{ "0xADDR", K_ADDR, "0x555555559010" },
	{ "INCREMENT", K_SIGNED, "0" },
	{ "TEXT", K_TEXT, "\"x\"" },
	{ "KEY", K_KEY, "mmap_threshold" },
	{ "FILE", K_FILE, "x.hv" }, { "FILE.rep", K_FILE, "x.rep" },
	{ "LESSON", K_LESSON, "basics" },
	{ "COMMAND", K_COMMAND, "heap" },
};

/*
 * Where a class is accepted on purpose.  Anything not listed here must be
 * refused: a new command that accepts a freed name, say, fails this test
 * until someone says why it should.
 */
static const struct {
	const char	*cmd, *cls, *why;
} accepted[] = {
	{ "write", "dangling", "writing through a freed name is the "
	  "use-after-free lesson" },
	{ "fill", "dangling", "filling through a freed name is the "
	  "use-after-free lesson" },
	{ "show", "dangling", "show explains a dangling name" },
	{ "dump", "dangling", "dumping a freed block shows its links" },
	{ "help", "unknown", "help takes any word and says what it knows" },
	{ "try", "unknown", "try runs a command meant to fail and reports "
	  "success" },
};

/*
 * Where a negative size is not refused but converted, as C converts an
 * int argument to size_t: malloc(-5) asks for SIZE_MAX - 4 bytes.  The
 * call must say so, return NULL with ENOMEM and leave the heap as it was.
 */
static const char *const converted[] = {
	"malloc", "calloc", "realloc", "reallocarray",
};

static struct out_buf	ob;
static struct session	*S;

static int	not_applicable;

static void
skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A class that does not apply: a comment, not a test point. */
static void
skip(const char *fmt, ...)
{
	va_list	ap;

	not_applicable++;
	printf("# not applicable: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Split a usage string into parameters; returns how many. */
static int
parse_usage(const char *usage, struct param *pv, int max)
{
	char	buf[256], *tok, *save;
	int	n = 0, alt = 0;

	snprintf(buf, sizeof buf, "%s", usage);
	for (tok = strtok_r(buf, " ", &save); tok != NULL && n < max;
	    tok = strtok_r(NULL, " ", &save)) {
		char		 w[64], *p, *q;
		struct param	*cur;
		size_t		 i;

		if (strcmp(tok, "|") == 0) {
			alt = 1;	/* "NAME | 0xADDR": one parameter */
			continue;
		}
		/* Strip [ ] " and a trailing "...". */
		for (p = tok, q = w; *p != '\0' && q < w + sizeof w - 1; p++)
			if (*p != '[' && *p != ']' && *p != '"')
				*q++ = *p;
		*q = '\0';
		if ((p = strstr(w, "...")) != NULL)
			*p = '\0';
		if (alt && n > 0) {
			alt = 0;
			if (strstr(w, "0xADDR") != NULL)
				pv[n - 1].addr_ok = 1;
			continue;
		}
		cur = &pv[n++];
		memset(cur, 0, sizeof *cur);
		cur->word = strdup(w);
		cur->optional = tok[0] == '[';
		if (strstr(w, "|0xADDR") != NULL) {
			cur->addr_ok = 1;
			*strchr((char *)cur->word, '|') = '\0';
		}
		cur->kind = K_OTHER;
		cur->valid = "1";
		for (i = 0; i < sizeof rules / sizeof rules[0]; i++)
			if (strcmp(rules[i].word, cur->word) == 0) {
				cur->kind = rules[i].kind;
				cur->valid = rules[i].valid;
			}
		if (cur->kind == K_OTHER && (islower((unsigned char)w[0]) ||
		    w[0] == '-')) {
			cur->kind = K_LITERAL;	/* [--json], [all] */
			cur->valid = cur->word;
		}
	}
	return n;
}

static const char *
accepted_why(const char *cmd, const char *cls)
{
	size_t	i;

	for (i = 0; i < sizeof accepted / sizeof accepted[0]; i++)
		if (strcmp(accepted[i].cmd, cmd) == 0 &&
		    strcmp(accepted[i].cls, cls) == 0)
			return accepted[i].why;
	return NULL;
}

/*
 * Run one bad line; it must be refused cleanly.  Returns 1 if it was,
 * and says why not in *why otherwise.
 */
static int
refused(const char *line, const char *cmd, const char *bad, char *why,
    size_t whylen)
{
	char			*before = test_state_json(S), *after;
	enum session_status	 st;
	int			 good = 1;

	buf_reset(&ob.text);
	buf_reset(&ob.errors);
	st = interp_exec(S, line, &ob.out);
	after = test_state_json(S);
	if (st != SESSION_ERROR) {
		snprintf(why, whylen, "`%s` returned %d, not an error", line,
		    (int)st);
		good = 0;
	} else if (ob.errors.len == 0) {
		snprintf(why, whylen, "`%s` failed without a message", line);
		good = 0;
	} else if (strstr(ob.errors.s, cmd) == NULL &&
	    (bad == NULL || strstr(ob.errors.s, bad) == NULL)) {
		snprintf(why, whylen, "`%s`: the error names neither %s nor "
		    "the bad word: %.80s", line, cmd, ob.errors.s);
		good = 0;
	} else if (strcmp(before, after) != 0) {
		snprintf(why, whylen, "`%s` changed the state", line);
		good = 0;
	} else if (test_violations(S) != 0) {
		snprintf(why, whylen, "`%s`: the checker finds damage", line);
		good = 0;
	}
	free(before);
	free(after);
	return good;
}

static int
is_converted(const char *cmd)
{
	size_t	i;

	for (i = 0; i < sizeof converted / sizeof converted[0]; i++)
		if (strcmp(converted[i], cmd) == 0)
			return 1;
	return 0;
}

/* The state from the heap's start to the names, mappings and foreign
 * memory, without the step number, the log and what is marked changed. */
static char *
heap_part(void)
{
	char	*j = test_state_json(S), *from, *to, *p, *q;
	size_t	 cl = strlen(",\"changed\":true");

	from = strstr(j, "\"heap_start\"");
	to = strstr(j, "\"log\"");
	if (from == NULL || to == NULL || to < from)
		return j;
	*to = '\0';
	memmove(j, from, (size_t)(to - from) + 1);
	for (p = q = j; *p != '\0'; ) {
		if (strncmp(p, ",\"changed\":true", cl) == 0) {
			p += cl;
			continue;
		}
		*q++ = *p++;
	}
	*q = '\0';
	return j;
}

/* Run a line whose negative size C converts; returns 1 if all is right. */
static int
converted_ok(const char *line, char *why, size_t whylen)
{
	char			*before = heap_part(), *after;
	enum session_status	 st;
	int			 good = 1;

	buf_reset(&ob.text);
	buf_reset(&ob.errors);
	st = interp_exec(S, line, &ob.out);
	after = heap_part();
	if (st != SESSION_OK || ob.errors.len != 0) {
		snprintf(why, whylen, "`%.100s` was refused: %.80s", line,
		    ob.errors.s != NULL ? ob.errors.s : "");
		good = 0;
	} else if (ob.text.s == NULL ||
	    strstr(ob.text.s, "-5 is SIZE_MAX - 4 as a size_t") == NULL) {
		snprintf(why, whylen, "`%.100s` does not say what -5 became",
		    line);
		good = 0;
	} else if (strstr(ob.text.s, "= NULL, errno ENOMEM") == NULL) {
		snprintf(why, whylen, "`%.100s` did not return NULL with ENOMEM",
		    line);
		good = 0;
	} else if (strcmp(before, after) != 0) {
		snprintf(why, whylen, "`%.100s` changed the heap", line);
		good = 0;
	}
	free(before);
	free(after);
	return good;
}

/* The line: the command and n parameters, with one replaced. */
static void
build(char *line, size_t len, const char *cmd, const struct param *pv,
    int n, int at, const char *with)
{
	int	i;

	snprintf(line, len, "%s", cmd);
	for (i = 0; i < n; i++) {
		size_t	l = strlen(line);

		/* Before the one tested, NAME|0xADDR takes the address form
		 * (dump's LEN goes only with an address). */
		snprintf(line + l, len - l, " %s", i == at ? with :
		    at > i && pv[i].addr_ok ? "0x555555559010" : pv[i].valid);
	}
}

static const char *const classes[] = {
	"missing", "extra", "nonnum", "negative", "overflow", "unknown",
	"dangling", "outside",
};

/* The bad word class cls puts in parameter p, or NULL if none applies. */
static const char *
bad_word(const char *cls, const struct param *p)
{
	int	number = p->kind == K_SIZE || p->kind == K_ADDR ||
		    p->kind == K_SIGNED;

	if (strcmp(cls, "nonnum") == 0)
		return number ? "12abc" : NULL;
	if (strcmp(cls, "negative") == 0)
		return p->kind == K_SIZE || p->kind == K_ADDR ? "-5" : NULL;
	if (strcmp(cls, "overflow") == 0)
		return number ? "99999999999999999999999" : NULL;
	if (strcmp(cls, "unknown") == 0) {
		switch (p->kind) {
		case K_NAME: case K_LESSON: case K_COMMAND: case K_KEY:
			return "nosuch";
		case K_FILE:
			return "/nonexistent-dir/nosuch";
		case K_LITERAL:
			return "--bogus";
		default:
			return NULL;
		}
	}
	if (strcmp(cls, "dangling") == 0)
		return p->kind == K_NAME ? "d1" : NULL;
	if (strcmp(cls, "outside") == 0) {
		if (strcmp(p->word, "OFFSET") == 0)
			return "0x40000000";	/* past everything mapped */
		return p->addr_ok || p->kind == K_ADDR ? "0x1000" : NULL;
	}
	return NULL;
}

static void
one(const struct cmd_entry *ce, const char *cls)
{
	struct param	pv[8];
	int		n = parse_usage(ce->usage, pv, 8), i, k, tried = 0;
	int		bad = 0, conv = 0;
	char		line[512], why[256] = "", reasons[256] = "";
	const char	*acc = accepted_why(ce->name, cls);

	if (acc != NULL) {
		skip("%s x %s: accepted on purpose: %s", ce->name, cls, acc);
		goto out;
	}
	if (strcmp(cls, "missing") == 0) {
		if (ce->args_min == 0) {
			skip("%s x missing: every argument is optional",
			    ce->name);
			goto out;
		}
		build(line, sizeof line, ce->name, pv, ce->args_min - 1, -1,
		    NULL);
		tried++;
		bad += !refused(line, ce->name, NULL, why, sizeof why);
	} else if (strcmp(cls, "extra") == 0) {
		if (ce->args_max < 0) {
			skip("%s x extra: takes any number of arguments",
			    ce->name);
			goto out;
		}
		build(line, sizeof line, ce->name, pv, ce->args_max, -1, NULL);
		strncat(line, " extra", sizeof line - strlen(line) - 1);
		tried++;
		bad += !refused(line, ce->name, "extra", why, sizeof why);
	} else {
		for (i = 0; i < n; i++) {
			const char	*w = bad_word(cls, &pv[i]);

			if (w == NULL) {
				size_t	l = strlen(reasons);

				snprintf(reasons + l, sizeof reasons - l, "%s%s%s",
				    l ? ", " : "", pv[i].word,
				    pv[i].kind == K_SIGNED ? " is signed: "
				    "negative is valid" : "");
				continue;
			}
			/*
			 * As many arguments as reach this one; all of them
			 * when a required one follows an optional one
			 * (write NAME [OFFSET] "TEXT").
			 */
			k = i + 1 > ce->args_min ? i + 1 : ce->args_min;
			if (pv[i].optional && i + 1 < n && !pv[i + 1].optional)
				k = n;
			build(line, sizeof line, ce->name, pv, k, i, w);
			tried++;
			if (strcmp(cls, "negative") == 0 && pv[i].kind ==
			    K_SIZE && is_converted(ce->name)) {
				conv++;
				if (!converted_ok(line, why, sizeof why))
					bad++;
			} else if (!refused(line, ce->name, w, why, sizeof why))
				bad++;
		}
		if (tried == 0) {
			skip("%s x %s: no argument of that kind (%s)", ce->name,
			    cls, n ? reasons : "no arguments");
			goto out;
		}
	}
	if (conv > 0)
		ok(bad == 0, "%s x %s: %d variant%s taken as C converts them "
		    "(NULL, ENOMEM, the heap unchanged), %d refused", ce->name,
		    cls, conv, conv == 1 ? "" : "s", tried - conv);
	else
		ok(bad == 0, "%s x %s: %d variant%s refused, state unchanged",
		    ce->name, cls, tried, tried == 1 ? "" : "s");
	if (bad)
		diag("%s", why);
out:
	for (i = 0; i < n; i++)
		free((char *)pv[i].word);
}

/*
 * The facts in the table hold: a CMD_READONLY command, run in full with
 * valid arguments, leaves the state and the step count as they were; a
 * CMD_ALLOC one makes a step; CMD_NAME_ARG is set exactly where the usage
 * begins with NAME.  A flag that lied would mislead the full screen (a
 * stale picture), completion and a trace session.
 */
static void
facts(const struct cmd_entry *ce)
{
	struct param		 pv[8];
	int			 n = parse_usage(ce->usage, pv, 8), i;
	bool			 name_first = n > 0 && pv[0].kind == K_NAME;
	char			 line[512], *before, *after;
	uint32_t		 step = history_step(S);

	ok(!(ce->flags & CMD_NAME_ARG) == !name_first, "%s: CMD_NAME_ARG "
	    "%s, and its usage (%s) %s with NAME", ce->name,
	    ce->flags & CMD_NAME_ARG ? "set" : "clear", ce->usage,
	    name_first ? "begins" : "does not begin");
	if (ce->flags & (CMD_READONLY | CMD_ALLOC)) {
		build(line, sizeof line, ce->name, pv, n, -1, NULL);
		before = test_state_json(S);
		buf_reset(&ob.text);
		buf_reset(&ob.errors);
		interp_exec(S, line, &ob.out);
		after = test_state_json(S);
		if (ce->flags & CMD_READONLY)
			ok(strcmp(before, after) == 0 && history_step(S) == step,
			    "%s: CMD_READONLY, and `%s` left the state and "
			    "the step as they were", ce->name, line);
		else
			ok(history_step(S) == step + 1 && ob.errors.len == 0,
			    "%s: CMD_ALLOC, and `%s` made one step", ce->name,
			    line);
		free(before);
		free(after);
	}
	for (i = 0; i < n; i++)
		free((char *)pv[i].word);
}

int
main(void)
{
	const struct cmd_entry	*const *e;
	size_t			 c;
	int			 ncmd = 0;

	out_buf_init(&ob);
	S = session_create();
	interp_exec(S, "malloc 32", &ob.out);
	interp_exec(S, "d1 = malloc 48", &ob.out);
	interp_exec(S, "malloc 100", &ob.out);
	interp_exec(S, "free d1", &ob.out);
	ok(session_lookup(S, "p1") != NULL && session_lookup(S, "d1") != NULL &&
	    !session_lookup(S, "d1")->live && test_violations(S) == 0,
	    "setup: p1 live, d1 dangling, the heap clean");
	for (e = cmd_table; *e != NULL; e++, ncmd++)
		for (c = 0; c < sizeof classes / sizeof classes[0]; c++)
			one(*e, classes[c]);
	for (e = cmd_table; *e != NULL; e++)
		facts(*e);
	ok(ncmd > 20, "%d commands in cmd_table, each against %zu classes",
	    ncmd, sizeof classes / sizeof classes[0]);
	session_destroy(S);
	out_buf_free(&ob);
	diag("%d command x class pairs not applicable (not test points)",
	    not_applicable);
	tap_done();
	return tap_exit();
}
