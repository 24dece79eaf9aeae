/*
 * cmd.c -- the command table, the tokenizer and the argument parsers the
 * commands share, and the words that say what the allocator did.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "glibc.h"
#include "engine.h"
#include "history.h"
#include "render.h"
#include "xmalloc.h"

const struct cmd_entry *const cmd_table[] = {
	&cmd_malloc_entry,
	&cmd_calloc_entry,
	&cmd_realloc_entry,
	&cmd_reallocarray_entry,
	&cmd_memalign_entry,
	&cmd_aligned_alloc_entry,
	&cmd_posix_memalign_entry,
	&cmd_free_entry,
	&cmd_write_entry,
	&cmd_fill_entry,
	&cmd_dump_entry,
	&cmd_sbrk_entry,
	&cmd_brk_entry,
	&cmd_printf_entry,
	&cmd_heap_entry,
	&cmd_bins_entry,
	&cmd_map_entry,
	&cmd_log_entry,
	&cmd_show_entry,
	&cmd_state_entry,
	&cmd_set_entry,
	&cmd_check_entry,
	&cmd_help_entry,
	&cmd_reset_entry,
	&cmd_mode_entry,
	&cmd_allocator_entry,
	&cmd_compare_entry,
	&cmd_restart_entry,
	&cmd_source_entry,
	&cmd_load_entry,
	&cmd_back_entry,
	&cmd_forward_entry,
	&cmd_goto_entry,
	&cmd_history_entry,
	&cmd_explain_entry,
	&cmd_diff_entry,
	&cmd_open_entry,
	&cmd_step_entry,
	&cmd_run_entry,
	&cmd_pause_entry,
	&cmd_lessons_entry,
	&cmd_save_entry,
	&cmd_try_entry,
	&cmd_trace_entry,
	&cmd_export_entry,
	&cmd_zoom_entry,
	&cmd_quit_entry,
	NULL
};

/* Edit distance, for "did you mean". */
static size_t
distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j, d[32][32];

	if (la >= 32 || lb >= 32)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t	c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			d[i][j] = c;
		}
	}
	return d[la][lb];
}

bool
cmd_allowed(struct session *s, const struct cmd_entry *ce, struct out *out)
{
	char	why[400];

	if (!(session_engine(s)->caps & ENGINE_RECORDED) ||
	    (ce->flags & CMD_ON_TRACE))
		return true;
	why[0] = '\0';
	if ((ce->flags & CMD_ON_MODEL) && session_engine(s)->modelled != NULL) {
		if (session_engine(s)->modelled(s, why, sizeof why))
			return true;
	}
	if (why[0] != '\0')
		out_kprintf(out, OUT_ERROR, "%s: %s\n", ce->name, why);
	else if (ce->trace_refusal != NULL)
		out_kprintf(out, OUT_ERROR, "%s: %s (this session is a trace of "
		    "%s; `reset` leaves it for a fresh heap, `mode sim` for a "
		    "fresh simulated one)\n", ce->name, ce->trace_refusal,
		    session_engine(s)->program(s));
	else
		out_kprintf(out, OUT_ERROR, "%s: this session is a recording "
		    "of %s; it cannot be changed (`reset` leaves the trace for "
		    "a fresh heap, `mode sim` for a fresh simulated one)\n",
		    ce->name, session_engine(s)->program(s));
	return false;
}

const struct cmd_entry *
cmd_exact(const char *w, size_t n)
{
	const struct cmd_entry	*const *e;

	for (e = cmd_table; *e != NULL; e++) {
		if ((strlen((*e)->name) == n && strncmp((*e)->name, w, n) ==
		    0) || ((*e)->alias != NULL && strlen((*e)->alias) == n &&
		    strncmp((*e)->alias, w, n) == 0))
			return *e;
	}
	return NULL;
}

const struct cmd_entry *
cmd_find(const char *name, struct out *out)
{
	const struct cmd_entry	*const *e, *found = NULL, *near = NULL;
	size_t			 len = strlen(name), best = 3, n = 0;
	struct buf		 list;

	for (e = cmd_table; *e != NULL; e++) {
		if (strcmp((*e)->name, name) == 0 ||
		    ((*e)->alias != NULL && strcmp((*e)->alias, name) == 0))
			return *e;
	}
	buf_init(&list);
	for (e = cmd_table; *e != NULL; e++) {
		if (len > 0 && strncmp((*e)->name, name, len) == 0) {
			found = *e;
			buf_printf(&list, "%s%s", n++ ? ", " : "", (*e)->name);
		}
	}
	if (n == 1) {
		buf_free(&list);
		return found;
	}
	if (n > 1) {
		out_kprintf(out, OUT_ERROR, "ambiguous command: %s, could be: "
		    "%s\n", name, list.s);
		buf_free(&list);
		return NULL;
	}
	buf_free(&list);
	for (e = cmd_table; *e != NULL; e++) {
		size_t	d = distance(name, (*e)->name);

		if (d < best) {
			best = d;
			near = *e;
		}
	}
	if (near != NULL)
		out_kprintf(out, OUT_ERROR, "unknown command: %s (did you mean "
		    "`%s`? `help` lists them all)\n", name, near->name);
	else
		out_kprintf(out, OUT_ERROR, "unknown command: %s (`help` lists "
		    "the commands)\n", name);
	return NULL;
}

void
cmd_free_words(char **argv, int argc)
{
	/* The words live in the block that argv starts (cmd_tokenize). */
	(void)argc;
	free(argv);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * The words and the array of pointers to them are one allocation: argv
 * first, room for as many words as the line can hold (each but the last
 * needs a byte after it), then each word with its length before it.  A
 * word is never longer than the text it came from, so the line's length
 * bounds the bytes.
 */
int
cmd_tokenize(const char *line, char ***argvp, char *err, size_t errlen)
{
	const char	*p = line;
	size_t		 len = strlen(line), maxw = len / 2 + 1;
	char		**argv, *w;
	int		 argc = 0;

	*argvp = NULL;
	argv = xmalloc((maxw + 1) * sizeof *argv +
	    maxw * (sizeof(size_t) + 1) + len + 1);
	w = (char *)(argv + maxw + 1);
	for (;;) {
		bool	 quoted = false;
		char	*start, *q;
		size_t	 wlen;

		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		start = w + sizeof(size_t);
		q = start;
		while (*p != '\0' && (quoted ||
		    (*p != ' ' && *p != '\t' && *p != '\r' && *p != '#'))) {
			if (*p == '"') {
				quoted = !quoted;
				p++;
				continue;
			}
			if (quoted && *p == '\\') {
				int	hi, lo;

				p++;
				switch (*p) {
				case 'n': *q++ = '\n'; break;
				case 't': *q++ = '\t'; break;
				case 'r': *q++ = '\r'; break;
				case '0': *q++ = '\0'; break;
				case '\\': *q++ = '\\'; break;
				case '"': *q++ = '"'; break;
				case 'x':
					hi = hexval((unsigned char)p[1]);
					lo = hi < 0 ? -1 :
					    hexval((unsigned char)p[2]);
					if (hi < 0 || lo < 0) {
						snprintf(err, errlen, "bad "
						    "escape: \\x wants two hex "
						    "digits");
						goto fail;
					}
					*q++ = (char)(hi * 16 + lo);
					p += 2;
					break;
				case '\0':
					snprintf(err, errlen, "unfinished "
					    "string: a \\ at the end of the "
					    "line");
					goto fail;
				default:
					snprintf(err, errlen, "unknown escape "
					    "\\%c in a string (known: \\n \\t "
					    "\\r \\0 \\\\ \\\" \\xHH)", *p);
					goto fail;
				}
				p++;
				continue;
			}
			/* A run of ordinary bytes goes in at once. */
			{
				size_t	span = quoted ? strcspn(p, "\"\\") :
					    strcspn(p, " \t\r#\"");

				if (span == 0)
					span = 1;
				memcpy(q, p, span);
				q += span;
				p += span;
			}
		}
		if (quoted) {
			snprintf(err, errlen, "unfinished string: the closing "
			    "\" is missing");
			goto fail;
		}
		/* Keep the length: strings may hold NUL bytes. */
		wlen = (size_t)(q - start);
		memcpy(w, &wlen, sizeof wlen);
		*q++ = '\0';
		argv[argc++] = start;
		w = q;
	}
	argv[argc] = NULL;
	*argvp = argv;
	return argc;
fail:
	free(argv);
	return -1;
}

size_t
cmd_word_len(const char *word)
{
	size_t	len;

	/* A word may hold NUL bytes: its length is kept just before it. */
	memcpy(&len, word - sizeof len, sizeof len);
	return len;
}

/* Parse an unsigned number with an optional K/M/G suffix. */
static int
parse_number(const char *s, uint64_t *out, const char **why)
{
	const char	*p = s;
	uint64_t	 v = 0, mul = 1;
	int		 base = 10, digits = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; *p != '\0'; p++) {
		int	d = hexval((unsigned char)*p);

		if (d < 0 || d >= base)
			break;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) {
			*why = "too large";
			return -1;
		}
		v = v * (uint64_t)base + (uint64_t)d;
		digits++;
	}
	if (digits == 0) {
		*why = "not a number";
		return -1;
	}
	switch (*p) {
	case 'k': case 'K': mul = UINT64_C(1) << 10; p++; break;
	case 'm': case 'M': mul = UINT64_C(1) << 20; p++; break;
	case 'g': case 'G': mul = UINT64_C(1) << 30; p++; break;
	}
	if (*p != '\0') {
		*why = "not a number";
		return -1;
	}
	if (v > UINT64_MAX / mul) {
		*why = "too large";
		return -1;
	}
	*out = v * mul;
	return 0;
}

static void
number_error(struct cmd_ctx *c, const char *s, const char *what,
    const char *why)
{
	out_record_kind(cmd_record(c), "bad-number");
	if (strcmp(why, "too large") == 0)
		out_kprintf(c->out, OUT_ERROR, "%s: %s %s is too large (the "
		    "largest is 0xffffffffffffffff)\n", c->argv[-1], what, s);
	else
		out_kprintf(c->out, OUT_ERROR, "%s: %s %s is not a number (use "
		    "decimal or 0x hex, with an optional K, M or G suffix)\n",
		    c->argv[-1], what, s);
}

int
cmd_parse_size(struct cmd_ctx *c, const char *s, const char *what,
    size_t *out)
{
	const char	*why;
	uint64_t	 v;

	if (s[0] == '-') {
		const char	*why2;
		uint64_t	 v2;

		if (parse_number(s + 1, &v2, &why2) == 0) {
			out_record_kind(cmd_record(c), "bad-number");
			out_kprintf(c->out, OUT_ERROR, "%s: %s %s is negative "
			    "(a size counts bytes: 0 or more)\n", c->argv[-1],
			    what, s);
			return -1;
		}
	}
	if (parse_number(s, &v, &why) != 0) {
		number_error(c, s, what, why);
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

/*
 * A size_t argument of a C allocation call.  C converts a negative
 * argument to size_t modulo 2^64, so malloc(-1) asks for SIZE_MAX bytes
 * (and gets NULL with ENOMEM); heapviz does the same and says so.  The
 * magnitude must fit a long long, as a C constant of that value would.
 */
int
cmd_parse_csize(struct cmd_ctx *c, const char *s, const char *what,
    size_t *out)
{
	const char	*why;
	uint64_t	 v;

	if (s[0] != '-')
		return cmd_parse_size(c, s, what, out);
	if (parse_number(s + 1, &v, &why) != 0) {
		number_error(c, s, what, why);
		return -1;
	}
	if (v > (UINT64_C(1) << 63)) {
		out_record_kind(cmd_record(c), "bad-number");
		out_kprintf(c->out, OUT_ERROR, "%s: %s %s is below the "
		    "smallest C integer, -9223372036854775808\n", c->argv[-1],
		    what, s);
		return -1;
	}
	*out = (size_t)(0 - v);
	if (v == 1)
		out_kprintf(c->out, OUT_NOTE, "note: %s is SIZE_MAX as a "
		    "size_t (%zu), as C converts it\n", s, *out);
	else if (v != 0)
		out_kprintf(c->out, OUT_NOTE, "note: %s is SIZE_MAX - %llu as "
		    "a size_t (%zu), as C converts it\n", s,
		    (unsigned long long)(v - 1), *out);
	return 0;
}

int
cmd_parse_signed(struct cmd_ctx *c, const char *s, const char *what,
    int64_t *out)
{
	const char	*why;
	uint64_t	 v;
	bool		 neg = s[0] == '-';

	if (parse_number(s + (neg || s[0] == '+'), &v, &why) != 0) {
		number_error(c, s, what, why);
		return -1;
	}
	if (v > (uint64_t)INT64_MAX + neg) {
		out_record_kind(cmd_record(c), "bad-number");
		out_kprintf(c->out, OUT_ERROR, "%s: %s %s is out of range (it "
		    "must fit in a signed 64-bit number)\n", c->argv[-1], what,
		    s);
		return -1;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

int
cmd_parse_addr(struct cmd_ctx *c, const char *s, uint64_t *out)
{
	const char	*why;

	if (parse_number(s, out, &why) != 0) {
		number_error(c, s, "address", why);
		return -1;
	}
	return 0;
}

struct binding *
cmd_get_name(struct cmd_ctx *c, const char *name)
{
	struct binding	*b = session_lookup(c->s, name);

	if (b != NULL)
		return b;
	out_record_kind(cmd_record(c), names_valid(name) ?
	    "unknown-name" : "bad-name");
	if (!names_valid(name))
		out_kprintf(c->out, OUT_ERROR, "%s: %s is not a name (names "
		    "look like p1 or buf)\n", c->argv[-1], name);
	else if (session_names(c->s)->n == 0)
		out_kprintf(c->out, OUT_ERROR, "%s: unknown name %s (no names "
		    "are bound yet: `malloc 32` binds p1)\n", c->argv[-1],
		    name);
	else
		out_kprintf(c->out, OUT_ERROR, "%s: unknown name %s (`state "
		    "--json` or `heap` shows the bound names)\n", c->argv[-1],
		    name);
	return NULL;
}

int
cmd_get_pointer(struct cmd_ctx *c, const char *arg, uint64_t *addr,
    struct binding **bp)
{
	*bp = NULL;
	if (strcmp(arg, "NULL") == 0 || strcmp(arg, "0") == 0) {
		*addr = 0;
		return 0;
	}
	if (isdigit((unsigned char)arg[0]))
		return cmd_parse_addr(c, arg, addr);
	*bp = cmd_get_name(c, arg);
	if (*bp == NULL)
		return -1;
	*addr = (*bp)->mem;
	return 0;
}

const char *
cmd_target_name(struct cmd_ctx *c)
{
	return c->assign != NULL ? c->assign : session_next_name(c->s);
}

/*
 * What each of glibc's integrity checks tests and what a student most
 * likely did to trip it, keyed by glibc's message (model_error.glibc).
 */
static const struct {
	const char	*glibc;
	const char	*check;
	const char	*cause;
} alloc_checks_explained[] = {
	{ "free(): invalid pointer",
	  "a pointer given to free must be the payload of a chunk: 16-byte "
	  "aligned, at a chunk's start, in the heap or a mapping",
	  "the pointer points into the middle of a block, or never came from "
	  "malloc" },
	{ "realloc(): invalid pointer",
	  "a pointer given to realloc must be the payload of an in-use chunk",
	  "the pointer points into the middle of a block, never came from "
	  "malloc, or its block was freed already" },
	{ "munmap_chunk(): invalid pointer",
	  "a mapped chunk's header must describe its own mapping",
	  "something wrote over this chunk's header -- an overflow from the "
	  "block before, or an underflow -- and with both INUSE bits clear it "
	  "looks like a mapped chunk" },
	{ "free(): invalid size",
	  "the chunk's size field must be at least 32 and a multiple of 16",
	  "an overflow from the block before wrote over this chunk's size "
	  "field" },
	{ "realloc(): invalid old size",
	  "the block's own size field must be sane before realloc resizes it",
	  "an overflow from the block before wrote over this chunk's size "
	  "field" },
	{ "double free or corruption (out)",
	  "the chunk after the one being freed must lie inside the heap",
	  "this chunk's size field was made larger (an overflow from the block "
	  "before), so it reaches past the heap" },
	{ "double free or corruption (top)",
	  "the chunk being freed must not be top, the free space at the end",
	  "the pointer is top's: a block that was freed already and merged "
	  "into top, or one that was never allocated" },
	{ "double free or corruption (!prev)",
	  "the next chunk's PINUSE bit must say this chunk is in use",
	  "this block was freed already (a double free), or an overflow "
	  "cleared the PINUSE bit in the next chunk's header" },
	{ "free(): invalid next size (normal)",
	  "the next chunk's size field must be sane (32 or more, a multiple of "
	  "16, inside the heap)",
	  "an overflow from this block ran on into the next chunk's header" },
	{ "realloc(): invalid next size",
	  "the next chunk's size field must be sane before realloc grows into "
	  "it",
	  "an overflow from this block ran on into the next chunk's header" },
	{ "corrupted size vs. prev_size",
	  "a free chunk's footer (the next chunk's prev_size) must equal its "
	  "size",
	  "an overflow from the block before a free chunk's neighbour, or a "
	  "write through a dangling pointer, changed the size or the footer" },
	{ "corrupted size vs. prev_size while consolidating",
	  "when PINUSE is clear, prev_size must lead back to a free chunk of "
	  "exactly that size",
	  "an overflow from the block before wrote this chunk's prev_size and "
	  "cleared its PINUSE bit (a forged free chunk)" },
	{ "corrupted double-linked list",
	  "a free chunk's neighbours in its bin must point back at it "
	  "(fd->bk == p and bk->fd == p)",
	  "a write through a dangling pointer (a use after free) changed the "
	  "fd or bk link of a freed block" },
	{ "corrupted double-linked list (not small)",
	  "a free tree chunk's links and tree pointers must point back at it",
	  "a write through a dangling pointer (a use after free) changed the "
	  "links of a large freed block" },
	{ "malloc(): smallbin double linked list corrupted",
	  "the first chunk of a small bin must link back to the bin's head",
	  "a write through a dangling pointer (a use after free) changed the "
	  "bk link of a freed block" },
	{ "malloc(): memory corruption",
	  "a free chunk taken from a bin must have the size its bin stands "
	  "for, and a footer that agrees",
	  "a use after free or an overflow wrote over a free chunk's header" },
	{ "malloc(): invalid size (unsorted)",
	  "the designated victim's header must agree with the size the "
	  "allocator recorded",
	  "a use after free or an overflow wrote over the free chunk that "
	  "small requests are carved from" },
	{ "malloc(): corrupted top size",
	  "top's size field must agree with the size the allocator recorded",
	  "an overflow from the last block ran on into top's header (the "
	  "first step of the House of Force)" },
	{ GLIBC_SYSMALLOC_ASSERT,
	  "before it grows top, glibc asserts that top is at least 32 bytes "
	  "with PREV_INUSE set and ends on a page boundary",
	  "an overflow from the last block ran on into top's header and made "
	  "its size small" },
};

/*
 * What the C library's own allocator says at this step, when the session
 * runs another model: the session's steps and then the line being run,
 * replayed on a scratch session on the libc model, with that model's own
 * checks whatever `set checks` the steps made.  Its abort message if the
 * line is refused there (and no step before it was: the process would
 * have died already), else NULL.  A switch of model in the steps starts
 * the scratch afresh on the libc model, as the steps' heap started afresh.
 */
#define LIBC_REPLAY_MAX	20000	/* steps; beyond, say nothing */

static bool
scratch_refused(struct session *r, struct out_buf *ob, const char **says)
{
	const struct model_error	*e = session_model(r)->ops->last_error(session_model(r));

	if (ob->errors.s == NULL || ob->errors.s[0] == '\0' || e == NULL ||
	    e->says == NULL || strstr(ob->errors.s, e->says) == NULL)
		return false;
	*says = e->says;
	return true;
}

/* Nothing allocated and no names: a program that has not started. */
static bool
fresh(struct session *r)
{
	struct model_stats	st;

	session_model(r)->ops->stats(session_model(r), &st);
	return st.footprint == 0 && session_names(r)->n == 0;
}

static bool
libc_says(struct session *s, struct out *out, char *says, size_t len,
    const char **who)
{
	const struct model_ops	*libc = NULL;
	struct session		*r;
	struct out_buf		 ob;
	const char		*line = session_exec_line(s), *msg = NULL;
	size_t			 k, n = history_position(s), ck;
	bool			 dead = false, found = false;

	for (k = 0; model_list[k] != NULL; k++)
		if (model_list[k]->libc)
			libc = model_list[k];
	if (libc == NULL || session_model_ops(s) == libc || line == NULL ||
	    session_run(s) == NULL || history_replaying(s) || !out_active(out) ||
	    n > LIBC_REPLAY_MAX ||
	    (n > 0 && history_line(s, n) == NULL))
		return false;
	r = session_create();
	if (session_set_model(r, libc, &out_null) != 0) {
		session_destroy(r);
		return false;
	}
	session_pin(r, libc);	/* a switch in the steps: afresh, on libc */
	session_set_run(r, session_run(s)); /* the interpreter running this line */
	ck = session_model(r)->ops->param(session_model(r), MODEL_CHECKS);
	for (k = 1; k <= n + 1; k++) {
		const char	*l = k <= n ? history_line(s, k) : line;

		/* As `save` writes it: a lesson's opening is a fresh heap. */
		if (strncmp(l, "open ", 5) == 0)
			l = "reset";
		out_buf_init(&ob);
		session_run(r)(r, l, &ob.out);
		if (k <= n && scratch_refused(r, &ob, &msg))
			dead = true;
		else if (k <= n && fresh(r))
			dead = false;		/* a new program (reset) */
		else if (k > n && !dead && scratch_refused(r, &ob, &msg)) {
			strlcopy(says, msg, len);
			found = true;
		}
		out_buf_free(&ob);
		session_tune(r, SESSION_CHECKS, ck);
	}
	*who = libc->short_name;
	session_destroy(r);
	return found;
}

/* "  glibc would say: ..." under a refusal, where it would. */
static void
libc_quote(struct session *s, struct out *out)
{
	char		 says[160];
	const char	*who;

	if (libc_says(s, out, says, sizeof says, &who))
		out_kprintf(out, OUT_ERROR, "  %s would say: \"%s\" (the %s "
		    "model, run on this session's steps, aborts here)\n", who,
		    says, who);
}

void
cmd_report_alloc_error(struct session *s, struct out *out, const char *op,
    bool unchanged)
{
	struct model			*m = session_model(s);
	const struct model_error	*e = m->ops->last_error(m);
	const char			*who = m->ops->short_name;
	struct out_record		*r = session_record(s);
	size_t				 i;

	if (e == NULL) {
		out_kprintf(out, OUT_ERROR, "%s: refused by the allocator's "
		    "checks\n", op);
		return;
	}
	/* For --json: what kind of refusal, from the condition's name. */
	if (r != NULL)
		out_record_kind(r, e->glibc == NULL ?
		    "heap-corruption" : strstr(e->glibc, "invalid pointer") ?
		    "invalid-pointer" : strstr(e->glibc, "double free") ?
		    "double-free" : "heap-corruption");
	/* What the model's own allocator would do: its words, or none. */
	if (e->says != NULL)
		out_kprintf(out, OUT_ERROR, "%s: %s would abort here with "
		    "\"%s\"\n", op, who, e->says);
	else if (e->segv)
		out_kprintf(out, OUT_ERROR, "%s: %s would crash here (a "
		    "segmentation fault: it follows a pointer into memory that "
		    "is not mapped)\n", op, who);
	else if (e->strict)
		out_kprintf(out, OUT_ERROR, "%s: refused by heapviz's own check "
		    "(checks strict); %s would go on here\n", op, who);
	else
		out_kprintf(out, OUT_ERROR, "%s: a check of the %s model "
		    "failed (%s calls abort(), with no message, when its "
		    "checks fail)\n", op, who, who);
	if (e->chunk != NULL)
		out_kprintf(out, OUT_ERROR, "  chunk 0x%llx: %s\n",
		    (unsigned long long)session_disp(s, e->chunk), e->what);
	else
		out_kprintf(out, OUT_ERROR, "  %s\n", e->what);
	for (i = 0; i < sizeof alloc_checks_explained /
	    sizeof alloc_checks_explained[0]; i++) {
		if (e->glibc == NULL ||
		    strcmp(alloc_checks_explained[i].glibc, e->glibc) != 0)
			continue;
		out_kprintf(out, OUT_ERROR, "  the check: %s\n",
		    alloc_checks_explained[i].check);
		out_kprintf(out, OUT_ERROR, "  likely cause: %s\n",
		    alloc_checks_explained[i].cause);
		break;
	}
	libc_quote(s, out);
	if (unchanged)
		out_kprintf(out, OUT_ERROR, "  heapviz refused the operation; "
		    "the heap is unchanged (`check` lists what is damaged)\n");
	else
		out_kprintf(out, OUT_ERROR, "  heapviz refused the operation, "
		    "but the allocator had already asked the system for memory "
		    "(see `log`)\n");
}

void
cmd_report_null(struct cmd_ctx *c, const char *call, int err)
{
	out_printf(c->out, "%s = NULL, errno %s (%s)\n", call,
	    err == ENOMEM ? "ENOMEM" : err == EINVAL ? "EINVAL" : "?",
	    strerror(err));
}

/* After a state-changing command: why, in words, then its system calls. */
void
cmd_explain_step(struct cmd_ctx *c)
{
	const struct evlog	*log = session_log(c->s);
	size_t			 base = history_log_base(c->s);
	size_t			 mark = history_log_mark(c->s);
	size_t			 i;

	if (!out_active(c->out))
		return;
	for (i = mark < base ? base : mark; i < log->n; i++) {
		struct buf	b;

		buf_init(&b);
		sysevent_text(&b, &log->v[i]);
		out_kprintf(c->out, OUT_NOTE, "  %s\n", b.s);
		buf_free(&b);
	}
}

/* What the allocator let through this step, with its warning. */
void
cmd_warn_step(struct cmd_ctx *c)
{
	struct model		*m = session_model(c->s);
	const struct decision	*dec;
	const char		*w;
	size_t			 i, ndec;

	if (m->ops->warning == NULL)
		return;
	dec = history_decisions(c->s, &ndec);
	for (i = 0; i < ndec; i++) {
		if (!(m->ops->decision_flags(dec[i].kind) &
		    MODEL_DEC_WARNING))
			continue;
		if ((w = m->ops->warning(m)) != NULL)
			out_kprintf(c->out, OUT_NOTE, "warning: %s\n", w);
		return;
	}
}

/* What the allocator decided this step, in the model's short phrases. */
void
cmd_summary(struct session *s, struct buf *b)
{
	size_t			 i, at, sep, ndec;
	const struct decision	*dec = history_decisions(s, &ndec);
	bool			 said = false;

	for (i = 0; i < ndec; i++) {
		at = b->len;
		sep = said ? 2 : 0;
		if (said)
			buf_add(b, "; ", 2);
		session_model(s)->ops->summary(&dec[i], b);
		if (b->len == at + sep)
			b->len = at;	/* the model left this one out */
		else
			said = true;
	}
}

/*
 * The end of a result line begun in line: SEP and the step's summary (or
 * neither, when there is nothing to summarise), the newline; then it is
 * written, and the explanation after it.
 */
static void
reply_end(struct cmd_ctx *c, struct buf *line, const char *sep)
{
	size_t	at, n = strlen(sep);

	buf_add(line, sep, n);
	at = line->len;
	cmd_summary(c->s, line);
	if (line->len == at)
		line->len -= n;
	buf_add(line, "\n", 1);
	out_write(c->out, OUT_TEXT, line->s, line->len);
	cmd_warn_step(c);
	cmd_explain_step(c);
}

/*
 * The end of malloc, calloc, realloc and reallocarray: bind the name and
 * say what happened, or say why nothing did.
 */
enum session_status
cmd_alloc_result(struct cmd_ctx *c, const char *name, const char *call,
    void *p, size_t request, int err)
{
	struct session	*s = c->s;
	struct binding	*old;
	struct buf	*line;
	uint64_t	 mem;

	if (p == NULL) {
		if (err == ESRCH && session_death(s) != NULL)
			return SESSION_ERROR;	/* the subject died: said */
		struct model		*m = session_model(s);
		const struct model_error *e = err == EINVAL ?
					   m->ops->last_error(m) : NULL;

		if (e != NULL) {
			cmd_report_alloc_error(s, c->out, call,
			    history_abort(s));
			return SESSION_ERROR;
		}
		cmd_record_alloc(c, name, call, 0, request, err);
		cmd_report_null(c, call, err);
		cmd_explain_step(c);
		return SESSION_OK;
	}
	mem = session_disp(s, p);
	old = session_lookup(s, name);
	if (old != NULL && old->live && old->mem != mem &&
	    session_lookup_mem(s, old->mem, true) == old)
		out_kprintf(c->out, OUT_NOTE, "note: %s held 0x%llx; nothing "
		    "names that block now (a leak)\n", name,
		    (unsigned long long)old->mem);
	session_bind(s, name, mem, request);
	if (!out_active(c->out))
		return SESSION_OK;	/* a replay: no words needed */
	cmd_record_alloc(c, name, call, mem, request, 0);
	/*
	 * "NAME = CALL = 0xMEM[, SUMMARY]\n", built where the session keeps
	 * its replies, piece by piece: one of these a command.
	 */
	line = session_reply(s);
	buf_reset(line);
	buf_add_str(line, name);
	buf_add(line, " = ", 3);
	buf_add_str(line, call);
	buf_add(line, " = 0x", 5);
	buf_add_uint(line, mem, 16);
	reply_end(c, line, ", ");
	return SESSION_OK;
}

/*
 * memalign, aligned_alloc and posix_memalign: ALIGN and SIZE parsed (no
 * negative numbers: an alignment is no count C converts), the call made
 * through the model's memalign, the name bound as malloc binds it.
 * posix: POSIX's rule first, an alignment that is a power of two and a
 * multiple of sizeof(void *), else EINVAL and nothing allocated.
 */
enum session_status
cmd_aligned_alloc(struct cmd_ctx *c, const char *fn, const char *name,
    const char *align_arg, const char *size_arg, bool posix)
{
	char	call[96];
	size_t	align, size;
	void	*p;

	if (cmd_parse_size(c, align_arg, "alignment", &align) != 0 ||
	    cmd_parse_size(c, size_arg, "size", &size) != 0)
		return SESSION_ERROR;
	if (!(session_engine(c->s)->caps & ENGINE_LOCAL) &&
	    !session_model(c->s)->ops->libc) {
		out_kprintf(c->out, OUT_ERROR, "%s: not in real mode with the "
		    "dlmalloc model (its subject takes malloc, calloc, realloc "
		    "and free; `allocator glibc` calls the real libc's)\n", fn);
		return SESSION_ERROR;
	}
	if (posix)
		buf_snprintf(call, sizeof call, "posix_memalign(&%s, %zu, %zu)",
		    name, align, size);
	else
		buf_snprintf(call, sizeof call, "%s(%zu, %zu)", fn, align,
		    size);
	if (posix && (align == 0 || (align & (align - 1)) != 0 ||
	    align % sizeof(void *) != 0)) {
		out_printf(c->out, "%s = EINVAL: the alignment must be a power "
		    "of two and a multiple of %zu; nothing allocated, %s not "
		    "set\n", call, sizeof(void *), name);
		return SESSION_OK;
	}
	history_begin(c->s, false, "%s %s", fn, name);
	errno = 0;
	p = session_memalign(c->s, align, size);
	if (posix && p == NULL && errno == ENOMEM) {
		cmd_record_alloc(c, name, call, 0, size, ENOMEM);
		out_printf(c->out, "%s = ENOMEM; %s not set\n", call, name);
		cmd_explain_step(c);
		return SESSION_OK;
	}
	return cmd_alloc_result(c, name, call, p, size, errno);
}

/* ---- Structured results (batch mode's --json). ---- */

struct out_record *
cmd_record(struct cmd_ctx *c)
{
	return session_record(c->s);
}

/* The chunk of the block at mem, as its header says. */
static void
record_chunk(struct cmd_ctx *c, struct out_record *r, uint64_t mem)
{
	const uint64_t	*head = session_host(c->s, mem - 8, 8);

	out_record_uint(r, "chunk", mem - 16);
	if (head != NULL)
		out_record_uint(r, "chunk_size", *head & ~(uint64_t)7);
	else
		out_record_null(r, "chunk_size");
}

void
cmd_record_alloc(struct cmd_ctx *c, const char *name, const char *call,
    uint64_t mem, size_t request, int err)
{
	struct out_record	*r = cmd_record(c);

	if (r == NULL)
		return;
	out_record_str(r, "name", mem != 0 ? name : NULL);
	out_record_str(r, "call", call);
	if (mem != 0) {
		out_record_uint(r, "address", mem);
		record_chunk(c, r, mem);
	} else {
		out_record_null(r, "address");
		out_record_null(r, "chunk");
		out_record_null(r, "chunk_size");
	}
	out_record_uint(r, "request", request);
	out_record_int(r, "errno", mem != 0 ? 0 : err);
	out_record_str(r, "errno_name", mem != 0 || err == 0 ? NULL :
	    err == ENOMEM ? "ENOMEM" : err == EINVAL ? "EINVAL" : "?");
}

/* Where a freed chunk went, from the step's decisions. */
static void
record_free(struct cmd_ctx *c, const char *what, uint64_t addr)
{
	struct out_record	*r = cmd_record(c);
	struct session		*s = c->s;
	struct buf		 merged;
	struct model_free_result fr;
	const struct decision	*dec;
	size_t			 ndec;
	size_t			 i, size;

	if (r == NULL)
		return;
	/* The model reads its own decisions. */
	dec = history_decisions(s, &ndec);
	session_model(s)->ops->free_result(dec, ndec, &fr);
	size = fr.size;
	buf_init(&merged);
	buf_addc(&merged, '[');
	for (i = 0; i < fr.nmerged; i++) {
		if (i > 0)
			buf_addc(&merged, ',');
		buf_add_uint(&merged, fr.merged[i], 10);
	}
	buf_addc(&merged, ']');
	out_record_str(r, "name", what[0] == '0' && what[1] == 'x' ? NULL :
	    what);
	out_record_uint(r, "address", addr);
	out_record_uint(r, "chunk", addr - 16);
	if (size != 0)
		out_record_uint(r, "chunk_size", size);
	else
		out_record_null(r, "chunk_size");
	out_record_str(r, "went", fr.went);
	out_record_raw(r, "merged_with", merged.s);
	out_record_uint(r, "trimmed", fr.trimmed);
	buf_free(&merged);
}

/*
 * Why a line was refused before its command ran: the checks interp_exec
 * makes, made again on the same words.
 */
const char *
cmd_refusal_kind(struct session *s, const char *line)
{
	const struct cmd_entry	*ce;
	char			 err[160], **argv = NULL;
	const char		*kind = NULL;
	int			 argc, skip = 0, nargs;
	struct out_buf		 ob;

	(void)s;
	argc = cmd_tokenize(line, &argv, err, sizeof err);
	if (argc < 0)
		return "bad-string";
	if (argc >= 2 && strcmp(argv[1], "=") == 0) {
		if (!names_valid(argv[0]) || argc == 2) {
			cmd_free_words(argv, argc);
			return "bad-name";
		}
		skip = 2;
	}
	if (argc > skip) {
		out_buf_init(&ob);
		ce = cmd_find(argv[skip], &ob.out);
		nargs = argc - skip - 1;
		if (ce == NULL)
			kind = strstr(ob.errors.s != NULL ? ob.errors.s : "",
			    "ambiguous") != NULL ? "ambiguous-command" :
			    "unknown-command";
		else if (skip == 2 && !(ce->flags & CMD_ASSIGNS))
			kind = "bad-name";
		else if (nargs < ce->args_min ||
		    (ce->args_max >= 0 && nargs > ce->args_max))
			kind = "bad-arguments";
		out_buf_free(&ob);
	}
	cmd_free_words(argv, argc);
	return kind;
}

/* The end of a free that was done: "free(WHAT) at 0xADDR[: SUMMARY]\n". */
void
cmd_free_result(struct cmd_ctx *c, const char *what, uint64_t addr)
{
	struct session	*s = c->s;
	struct buf	*line = session_reply(s);

	if (!out_active(c->out))
		return;
	record_free(c, what, addr);
	buf_reset(line);
	buf_add(line, "free(", 5);
	buf_add_str(line, what);
	buf_add(line, ") at 0x", 7);
	buf_add_uint(line, addr, 16);
	reply_end(c, line, ": ");
}

/* Every live name bound to mem is dangling from now on. */
void
cmd_mark_freed(struct session *s, uint64_t mem)
{
	session_mark_freed(s, mem);
}

/* A freed name used again: explain, refuse. */
void
cmd_dangling_error(struct cmd_ctx *c, const char *op, struct binding *b)
{
	struct binding	*now = session_lookup_mem(c->s, b->mem, true);

	out_record_kind(cmd_record(c), strcmp(op, "free") == 0 ?
	    "double-free" : "use-after-free");
	out_kprintf(c->out, OUT_ERROR, "%s %s: %s (0x%llx) was already freed "
	    "at step %u%s%s%s\n", op, b->name, b->name,
	    (unsigned long long)b->mem, b->step,
	    now ? "; that address now belongs to " : "",
	    now ? now->name : "", now ? " (a use after free)" : "");
	out_kprintf(c->out, OUT_ERROR, "  %s: heapviz refused it (its own "
	    "check, with checks strict: `set checks off` lets %s decide); the "
	    "heap is unchanged\n", strcmp(op, "free") == 0 ? "a double free" :
	    "a use after free", session_model(c->s)->ops->short_name);
	libc_quote(c->s, c->out);
}
