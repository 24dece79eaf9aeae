/*
 * out.h -- where commands and views write.
 *
 * Commands never print: they write to an output sink the caller supplies.
 * Batch mode's sink goes to stdout and stderr, the full-screen view's to its
 * result area, the tests' to a buffer.
 */
#ifndef HEAPVIZ_OUT_H
#define HEAPVIZ_OUT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum out_kind {
	OUT_TEXT,	/* a result or a view */
	OUT_NOTE,	/* a remark beside a result ("p1 leaked") */
	OUT_ERROR,	/* what went wrong */
	OUT_PROGRAM,	/* what the simulated program printed (printf) */
	OUT_NARRATION,	/* a lesson's comments, shown as its step runs */
};

struct out {
	void	 (*write)(void *ctx, enum out_kind, const char *, size_t);
	void	*ctx;
};

/* A sink that drops everything (replays, benchmarks). */
extern struct out out_null;

/* Whether anything written to out is read (false for out_null). */
bool	out_active(const struct out *);
void	out_write(struct out *, enum out_kind, const char *, size_t);
void	out_printf(struct out *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	out_kprintf(struct out *, enum out_kind, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	out_vkprintf(struct out *, enum out_kind, const char *, va_list)
	    __attribute__((format(printf, 3, 0)));

/* A growable string, and a sink that collects into one. */
struct buf {
	char	*s;
	size_t	 len, cap;
};

void	buf_init(struct buf *);
void	buf_free(struct buf *);
void	buf_reset(struct buf *);
void	buf_add(struct buf *, const char *, size_t);
void	buf_addc(struct buf *, char);
void	buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* The pieces of a reply without a format: a string; v in base 10 or 16. */
void	buf_add_str(struct buf *, const char *);
void	buf_add_uint(struct buf *, uint64_t v, int base);
/*
 * snprintf through the formatter buf_printf and out_printf use: the same
 * text, without stdio's set-up cost for the conversions heapviz uses.
 */
int	buf_snprintf(char *, size_t, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
int	buf_vsnprintf(char *, size_t, const char *, va_list)
	    __attribute__((format(printf, 3, 0)));
/* Appends s as a JSON string literal, quotes included. */
void	buf_json_string(struct buf *, const char *, size_t);

/*
 * A command's result as structured fields, beside its text, for batch
 * mode's --json: the session holds one while a line runs (NULL otherwise)
 * and the command adds what it knows.  Every call takes a NULL record and
 * does nothing.
 */
struct out_record {
	struct buf	 fields;	/* "key":value,"key":value */
	const char	*kind;		/* why it was refused: "double-free" */
	struct buf	 state;		/* state --json: the object */
};
void	out_record_init(struct out_record *);
void	out_record_reset(struct out_record *);
void	out_record_free(struct out_record *);
void	out_record_str(struct out_record *, const char *key, const char *);
void	out_record_uint(struct out_record *, const char *key, uint64_t);
void	out_record_int(struct out_record *, const char *key, int64_t);
void	out_record_null(struct out_record *, const char *key);
/* A value that is JSON already ("[...]", "true"). */
void	out_record_raw(struct out_record *, const char *key, const char *);
/* The first kind set stands: it names the first thing found wrong. */
void	out_record_kind(struct out_record *, const char *kind);

/* A sink that appends everything to a buffer (errors too). */
struct out_buf {
	struct out	 out;
	struct buf	 text;		/* OUT_TEXT, OUT_NOTE, OUT_PROGRAM */
	struct buf	 errors;	/* OUT_ERROR */
	struct buf	 narration;	/* OUT_NARRATION */
};
void	out_buf_init(struct out_buf *);
void	out_buf_free(struct out_buf *);

#endif
