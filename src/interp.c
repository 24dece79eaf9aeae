/*
 * interp.c -- the interpreter: a line of the command language becomes a
 * command run on the session, and a file becomes its lines.
 *
 * For each line: the rest of the line to a CMD_RAW command (`try`), else
 * the words (cmd_tokenize), `NAME =`, the command looked up (cmd_find), its
 * argument count checked against its entry, what the engine allows (a
 * recording runs only CMD_ON_TRACE commands), and the command run; then
 * the engine's word on its process, and the step the command began joins
 * the history.  While a file runs, each error names FILE:LINE.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "engine.h"
#include "history.h"
#include "interp.h"
#include "session.h"
#include "session-internal.h"
#include "xmalloc.h"

#define SOURCE_DEPTH_MAX	16
#define LINE_MAX_CHARS		4096

/*
 * The CMD_RAW command the line's first word names exactly, with the rest
 * of the line after it, or NULL.  Every line asks, so the few commands
 * with the flag are picked out of the table once.
 */
static const struct cmd_entry *
raw_command(const char *line, const char **rest)
{
	static const struct cmd_entry	*raw[8];
	static size_t			 nraw;
	static bool			 known;
	const struct cmd_entry	*const *e;
	const char		*p;
	size_t			 i, n;

	if (!known) {
		for (e = cmd_table; *e != NULL && nraw < 8; e++)
			if ((*e)->flags & CMD_RAW)
				raw[nraw++] = *e;
		known = true;
	}
	p = line + strspn(line, " \t");
	n = strcspn(p, " \t");
	if (p[n] != ' ' && p[n] != '\t')
		return NULL;		/* nothing after it */
	for (i = 0; i < nraw; i++) {
		if (strncmp(raw[i]->name, p, n) == 0 && raw[i]->name[n] == '\0') {
			*rest = p + n + 1;
			return raw[i];
		}
	}
	return NULL;
}

enum session_status
interp_exec(struct session *s, const char *line, struct out *out)
{
	const struct cmd_entry	*ce;
	struct cmd_ctx		 ctx;
	const char		*saved_line, *rest;
	char			 err[160], **argv = NULL;
	int			 argc, skip = 0;
	size_t			 dropped;
	enum session_status	 st;

	s->run = interp_exec;
	if (strlen(line) > LINE_MAX_CHARS) {
		out_kprintf(out, OUT_ERROR, "line too long (%zu characters; "
		    "the limit is %d)\n", strlen(line), LINE_MAX_CHARS);
		return SESSION_ERROR;
	}
	/*
	 * A command that takes the rest of the line as typed (`try CMD`)
	 * gets it before the words are split: the quoting stays.
	 */
	if ((ce = raw_command(line, &rest)) != NULL) {
		memset(&ctx, 0, sizeof ctx);
		ctx.s = s;
		ctx.out = out;
		ctx.line = line;
		ctx.rest = rest;
		return ce->exec(&ctx);
	}
	argc = cmd_tokenize(line, &argv, err, sizeof err);
	if (argc < 0) {
		out_kprintf(out, OUT_ERROR, "%s\n", err);
		return SESSION_ERROR;
	}
	if (argc == 0) {
		cmd_free_words(argv, argc);
		return SESSION_OK;
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.s = s;
	ctx.out = out;
	ctx.line = line;
	if (argc >= 2 && strcmp(argv[1], "=") == 0) {
		if (!names_valid(argv[0])) {
			out_kprintf(out, OUT_ERROR, "not a valid name: %s (a "
			    "name is a letter or _ then letters, digits or _, "
			    "at most %d characters)\n", argv[0],
			    NAMES_MAX - 1);
			cmd_free_words(argv, argc);
			return SESSION_ERROR;
		}
		if (argc == 2) {
			out_kprintf(out, OUT_ERROR, "%s = what? (for example "
			    "`%s = malloc 32`)\n", argv[0], argv[0]);
			cmd_free_words(argv, argc);
			return SESSION_ERROR;
		}
		ctx.assign = argv[0];
		skip = 2;
	}
	ce = cmd_find(argv[skip], out);
	if (ce == NULL) {
		cmd_free_words(argv, argc);
		return SESSION_ERROR;
	}
	if (ctx.assign != NULL && !(ce->flags & CMD_ASSIGNS)) {
		out_kprintf(out, OUT_ERROR, "%s: its result cannot be given a "
		    "name (only malloc, calloc, realloc and reallocarray "
		    "can)\n", ce->name);
		cmd_free_words(argv, argc);
		return SESSION_ERROR;
	}
	/* A trace session is a recording: nothing may change it. */
	if (!cmd_allowed(s, ce, out)) {
		cmd_free_words(argv, argc);
		return SESSION_ERROR;
	}
	ctx.argc = argc - skip - 1;
	ctx.argv = argv + skip + 1;
	saved_line = s->exec_line;
	s->exec_line = line;
	s->exec_depth++;
	if (ctx.argc < ce->args_min) {
		out_kprintf(out, OUT_ERROR, "%s: missing argument (usage: %s "
		    "%s)\n", ce->name, ce->name, ce->usage);
		st = SESSION_ERROR;
	} else if (ce->args_max >= 0 && ctx.argc > ce->args_max) {
		out_kprintf(out, OUT_ERROR, "%s: too many arguments, from "
		    "`%s` on (usage: %s%s%s)\n", ce->name,
		    ctx.argv[ce->args_max], ce->name,
		    *ce->usage ? " " : "", ce->usage);
		st = SESSION_ERROR;
	} else
		st = ce->exec(&ctx);
	if (s->eng->after != NULL && s->eng->after(s, out, line))
		st = SESSION_ERROR;
	history_commit_at(s, s->exec_depth);
	s->exec_depth--;
	s->exec_line = saved_line;
	if (s->exec_depth == 0 && (dropped = history_take_dropped(s)) > 0)
		out_kprintf(out, OUT_NOTE, "note: a new step after going back: "
		    "the %zu later step%s of the old history %s dropped\n",
		    dropped, dropped == 1 ? "" : "s",
		    dropped == 1 ? "was" : "were");
	if (!history_replaying(s) && s->compare_watch != NULL &&
	    s->compare_watch->line_done != NULL)
		s->compare_watch->line_done(s, out);
	cmd_free_words(argv, argc);
	return st;
}

/*
 * While a file runs, each error message is prefixed with FILE:LINE so the
 * user knows which line failed; continuation lines (indented) are not.
 */
struct where_out {
	struct out	 out;
	struct out	*inner;
	struct session	*s;
	int		 depth;		/* s->depth while this file runs */
	const char	*file;
	unsigned	 line;
};

static void
where_write(void *ctx, enum out_kind kind, const char *s, size_t n)
{
	struct where_out	*w = ctx;

	/* A file this one sources names its own lines. */
	if (kind == OUT_ERROR && n > 0 && s[0] != ' ' &&
	    w->s->depth == w->depth)
		out_kprintf(w->inner, OUT_ERROR, "%s:%u: ", w->file, w->line);
	out_write(w->inner, kind, s, n);
}

/* A line with no end in this many bytes is no script: stop reading. */
#define SOURCE_GIVE_UP	(1024 * 1024)

/*
 * One line of f into buf (LINE_MAX_CHARS + 2 bytes), without its newline
 * or trailing CRs.  Only the first LINE_MAX_CHARS + 1 bytes are kept; *len
 * is the whole length, so a line that is too long is reported with its
 * length, and a file with no newline at all (a binary, /dev/zero) cannot
 * take all memory: past SOURCE_GIVE_UP bytes the function returns 1.
 * Returns 0 for a line, -1 at the end of the file.
 */
static int
read_line(FILE *f, char *buf, size_t *len, bool *nul)
{
	size_t	n = 0, kept;
	int	c;

	*nul = false;
	while ((c = getc_unlocked(f)) != EOF && c != '\n') {
		if (c == '\0')
			*nul = true;
		if (n <= LINE_MAX_CHARS)
			buf[n] = (char)c;
		if (++n > SOURCE_GIVE_UP) {
			*len = n;
			return 1;
		}
	}
	if (c == EOF && n == 0)
		return -1;
	kept = n <= LINE_MAX_CHARS ? n : LINE_MAX_CHARS + 1;
	while (kept > 0 && buf[kept - 1] == '\r' && kept == n) {
		kept--;
		n--;
	}
	buf[kept] = '\0';
	*len = n;
	return 0;
}

enum session_status
interp_source_stream(struct session *s, FILE *f, const char *name,
    struct out *out, const struct interp_hooks *hooks)
{
	struct where_out	 w;
	char			*line = xmalloc(LINE_MAX_CHARS + 2);
	size_t			 n;
	bool			 nul;
	int			 got;
	const char		*ofile = s->file;
	unsigned		 oline = s->line, lineno = 0;
	enum session_status	 st = SESSION_OK, r;

	if (s->depth >= SOURCE_DEPTH_MAX) {
		out_kprintf(out, OUT_ERROR, "source: %s: files nested more "
		    "than %d deep (does a file source itself?)\n", name,
		    SOURCE_DEPTH_MAX);
		free(line);
		return SESSION_ERROR;
	}
	w.out.write = where_write;
	w.out.ctx = &w;
	w.inner = out;
	w.s = s;
	w.file = name;
	s->depth++;
	w.depth = s->depth;
	s->file = name;
	while ((got = read_line(f, line, &n, &nul)) != -1) {
		s->line = w.line = ++lineno;
		if (got == 1) {
			out_kprintf(&w.out, OUT_ERROR, "no end of line in %d "
			    "bytes: is this a binary file? (%s is not read "
			    "further)\n", SOURCE_GIVE_UP, name);
			st = SESSION_ERROR;
			break;
		}
		if (nul)
			line[0] = '\0';	/* reported below */
		if (hooks != NULL && hooks->begin != NULL)
			hooks->begin(hooks->ctx, lineno, line);
		if (nul) {
			out_kprintf(&w.out, OUT_ERROR, "the line holds a NUL "
			    "byte: is this a binary file?\n");
			r = SESSION_ERROR;
		} else if (n > LINE_MAX_CHARS) {
			out_kprintf(&w.out, OUT_ERROR, "line too long (%zu "
			    "characters; the limit is %d)\n", n,
			    LINE_MAX_CHARS);
			r = SESSION_ERROR;
		} else
			r = interp_exec(s, line, &w.out);
		if (hooks != NULL && hooks->end != NULL)
			hooks->end(hooks->ctx, lineno, line, r);
		if (r == SESSION_QUIT) {
			st = r;
			break;
		}
		if (r == SESSION_ERROR)
			st = SESSION_ERROR;
	}
	if (ferror(f)) {
		out_kprintf(out, OUT_ERROR, "%s: read error after line %u: "
		    "%s\n", name, lineno, strerror(errno));
		st = SESSION_ERROR;
	}
	free(line);
	s->depth--;
	s->file = ofile;
	s->line = oline;
	return st;
}

enum session_status
interp_source(struct session *s, const char *path, struct out *out)
{
	enum session_status	 st;
	FILE			*f;

	struct stat		 sb;

	f = fopen(path, "r");
	if (f == NULL) {
		out_kprintf(out, OUT_ERROR, "source: cannot open %s: %s\n",
		    path, strerror(errno));
		return SESSION_ERROR;
	}
	/* A directory, /dev/zero, a terminal: nothing a script comes in. */
	if (fstat(fileno(f), &sb) == 0 && !S_ISREG(sb.st_mode) &&
	    !S_ISFIFO(sb.st_mode)) {
		out_kprintf(out, OUT_ERROR, "source: %s is %s, not a file of "
		    "commands\n", path, S_ISDIR(sb.st_mode) ? "a directory" :
		    "a device");
		fclose(f);
		return SESSION_ERROR;
	}
	st = interp_source_stream(s, f, path, out, NULL);
	fclose(f);
	return st;
}
