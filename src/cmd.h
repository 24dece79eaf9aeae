/*
 * cmd.h -- the command language.
 *
 * One command a file (cmd-NAME.c), each exporting one struct cmd_entry;
 * cmd.c holds the table, the tokenizer, lookup by exact name or unique
 * prefix, and the argument parsers the commands share.  Commands write only
 * through the struct out they are given and change the session only through
 * session_*().
 */
#ifndef HEAPVIZ_CMD_H
#define HEAPVIZ_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "out.h"
#include "session.h"

/*
 * What a command is, for everyone who treats commands differently: the
 * interpreter, a trace session, completion and the full screen read these
 * flags, never a list of names (as tmux's CMD_READONLY and friends).
 */
#define CMD_ASSIGNS	0x1	/* may stand after `NAME =` */
#define CMD_ALLOC	0x2	/* one allocator call: views follow its decisions */
#define CMD_READONLY	0x4	/* only looks: the session is as it was after it */
#define CMD_PAGE	0x8	/* its output is a page to read (an overlay) */
#define CMD_LESSON	0x10	/* moves through the open lesson (step, run) */
#define CMD_TAIL	0x20	/* the end of its output says most (run) */
#define CMD_ON_TRACE	0x40	/* allowed while the session is a recording */
#define CMD_NAME_ARG	0x80	/* its first argument is a name (completion) */
#define CMD_RAW		0x100	/* takes the rest of the line as typed (try) */
#define CMD_HELP	0x200	/* without arguments, the list of commands: the
				   full screen shows it as its help overlay */
#define CMD_ON_MODEL	0x400	/* allowed on a recording where a model
				   follows the program (the model's views) */

struct cmd_ctx {
	struct session	*s;
	struct out	*out;
	int		 argc;		/* arguments after the command name */
	char		**argv;
	const char	*assign;	/* NAME from `NAME = cmd ...`, or NULL */
	const char	*line;		/* the whole line, for the log's cause */
	const char	*rest;		/* CMD_RAW: the line after the name */
};

struct cmd_entry {
	const char	*name;
	const char	*alias;		/* another exact name, or NULL */
	const char	*usage;		/* the arguments, "NAME SIZE" */
	const char	*summary;	/* one line for `help` */
	const char	*help;		/* more, for `help NAME` */
	int		 args_min;
	int		 args_max;	/* -1: any number */
	int		 flags;		/* CMD_* */
	/* Why a trace session refuses it (without CMD_ON_TRACE); NULL: it
	 * would change the recording. */
	const char	*trace_refusal;
	enum session_status (*exec)(struct cmd_ctx *);
	/* The words that may stand as argument n (1 is the first), for tab
	 * completion: each one handed to add.  NULL: none of its own (a
	 * CMD_NAME_ARG command completes names without it). */
	void		 (*complete)(int n, void (*add)(void *, const char *),
			     void *ctx);
};

extern const struct cmd_entry *const cmd_table[];

/* Exact name or alias, then a unique prefix; reports why not through out. */
const struct cmd_entry *cmd_find(const char *, struct out *);
/* Whether the session's mode lets the command run; if not, says why. */
bool		 cmd_allowed(struct session *, const struct cmd_entry *,
		     struct out *);
/* The first n bytes of w as an exact name or alias; NULL if none. */
const struct cmd_entry *cmd_exact(const char *w, size_t n);

/*
 * Split a line into words.  Double quotes group, with C escapes inside
 * (\n \t \\ \" \xHH \0); '#' outside quotes starts a comment.  Returns the
 * number of words, or -1 with a message in err.
 */
int		 cmd_tokenize(const char *, char ***, char *err, size_t);
void		 cmd_free_words(char **, int);
/* A word's length in bytes (a quoted word may hold NUL bytes). */
size_t		 cmd_word_len(const char *);

/*
 * Numbers: decimal or 0x hex, with an optional K, M or G suffix (powers of
 * 1024).  Each reports a clear error naming `what` and returns -1.
 */
int		 cmd_parse_size(struct cmd_ctx *, const char *, const char *what,
		     size_t *);
int		 cmd_parse_signed(struct cmd_ctx *, const char *, const char *what,
		     int64_t *);
/* A size argument of malloc, calloc, realloc...: a negative one is taken
 * as C converts it (-1 is SIZE_MAX), with a note saying so. */
int		 cmd_parse_csize(struct cmd_ctx *, const char *, const char *what,
		     size_t *);
int		 cmd_parse_addr(struct cmd_ctx *, const char *, uint64_t *);

/* A name that must be bound (live or dangling). */
struct binding	*cmd_get_name(struct cmd_ctx *, const char *);
/* NAME or 0xADDR or NULL: a pointer value the user means. */
int		 cmd_get_pointer(struct cmd_ctx *, const char *, uint64_t *,
		     struct binding **);

/*
 * Where this command's structured result goes (batch mode's --json), or
 * NULL: only the line the user gave records, not the lines a lesson, a
 * script or a replay runs inside it.
 */
struct out_record *cmd_record(struct cmd_ctx *);
/* Why a line was refused before any command ran, for --json's "kind":
 * "bad-string", "bad-name", "unknown-command", "bad-arguments", or NULL. */
const char	*cmd_refusal_kind(struct session *, const char *line);
/* An allocation's result fields: name, call, address (0: NULL), its chunk,
 * the request and errno. */
void		 cmd_record_alloc(struct cmd_ctx *, const char *name,
		     const char *call, uint64_t mem, size_t request, int err);

/* What the allocator did this step, in a few words ("reused ..."). */
void		 cmd_summary(struct session *, struct buf *);
/* The system calls this step caused, one indented line each. */
void		 cmd_explain_step(struct cmd_ctx *);
/* Explain an allocator error (alloc_last_error) through out; unchanged
 * says whether the refused step left the state as it was. */
void		 cmd_report_alloc_error(struct session *, struct out *,
		     const char *op, bool unchanged);
/* memalign, aligned_alloc and posix_memalign (posix: its rules and its
 * int result). */
enum session_status cmd_aligned_alloc(struct cmd_ctx *, const char *fn,
		     const char *name, const char *align, const char *size,
		     bool posix);
/* The model's warning, when this step let a danger through. */
void		 cmd_warn_step(struct cmd_ctx *);
/* Report a NULL result with errno. */
void		 cmd_report_null(struct cmd_ctx *, const char *call, int err);
/* Bind and report an allocation result (NULL: report errno). */
enum session_status cmd_alloc_result(struct cmd_ctx *, const char *name,
		     const char *call, void *, size_t request, int err);
/* Report a free that was done (its summary, its system calls). */
void		 cmd_free_result(struct cmd_ctx *, const char *what,
		     uint64_t addr);
enum session_status cmd_resize(struct cmd_ctx *, const char *,
		     const char *, size_t, size_t, bool);
enum session_status cmd_put_bytes(struct cmd_ctx *, struct binding *,
		     size_t, const void *, size_t, const char *);
/* Move the break by incr for the user (sbrk and brk). */
enum session_status cmd_move_break(struct cmd_ctx *, int64_t, bool is_brk,
		     uint64_t);
/* Move to step n and say where the session is (goto, back, forward). */
enum session_status cmd_move_to(struct cmd_ctx *, size_t);
void		 cmd_mark_freed(struct session *, uint64_t);
void		 cmd_dangling_error(struct cmd_ctx *, const char *,
		     struct binding *);
/* The name a new block gets: the assigned one or the next pN. */
const char	*cmd_target_name(struct cmd_ctx *);


#define CMD_DECLARE(x) extern const struct cmd_entry cmd_##x##_entry
CMD_DECLARE(malloc);
CMD_DECLARE(calloc);
CMD_DECLARE(realloc);
CMD_DECLARE(reallocarray);
CMD_DECLARE(free);
CMD_DECLARE(write);
CMD_DECLARE(fill);
CMD_DECLARE(dump);
CMD_DECLARE(sbrk);
CMD_DECLARE(brk);
CMD_DECLARE(printf);
CMD_DECLARE(mode);
CMD_DECLARE(restart);
CMD_DECLARE(heap);
CMD_DECLARE(bins);
CMD_DECLARE(map);
CMD_DECLARE(log);
CMD_DECLARE(show);
CMD_DECLARE(state);
CMD_DECLARE(set);
CMD_DECLARE(check);
CMD_DECLARE(help);
CMD_DECLARE(reset);
CMD_DECLARE(source);
CMD_DECLARE(load);
CMD_DECLARE(quit);
CMD_DECLARE(back);
CMD_DECLARE(forward);
CMD_DECLARE(goto);
CMD_DECLARE(history);
CMD_DECLARE(explain);
CMD_DECLARE(diff);
CMD_DECLARE(open);
CMD_DECLARE(step);
CMD_DECLARE(run);
CMD_DECLARE(pause);
CMD_DECLARE(lessons);
CMD_DECLARE(save);
CMD_DECLARE(try);
CMD_DECLARE(trace);
CMD_DECLARE(export);
CMD_DECLARE(zoom);
CMD_DECLARE(allocator);
CMD_DECLARE(compare);
CMD_DECLARE(memalign);
CMD_DECLARE(aligned_alloc);
CMD_DECLARE(posix_memalign);
#undef CMD_DECLARE

#endif
