/*
 * subject-proto.h -- what heapviz and the real-mode subject say to each
 * other.
 *
 * The subject (src/subject.c, installed as libexec/heapviz-subject) runs
 * the allocator core on its own brk and mmap.  heapviz writes requests to
 * its descriptor 3 and reads replies from its descriptor 4; its stdout and
 * stderr are pipes of their own.  Everything is fixed-size binary records
 * in the host's byte order (both ends are built from the same tree).
 *
 * At start the subject sends one struct subj_hello.  Then, for each
 * request, exactly one struct subj_reply followed by `nev` struct subj_ev
 * (the allocator's decisions), `nsys` struct subj_sys (the memory calls
 * the subject made itself, for when heapviz cannot trace it) and `len`
 * bytes of data (SUBJ_READ).
 */
#ifndef HEAPVIZ_SUBJECT_PROTO_H
#define HEAPVIZ_SUBJECT_PROTO_H

#include <stdint.h>

#define SUBJ_CMD_FD	3
#define SUBJ_REPLY_FD	4
#define SUBJ_MAGIC	UINT32_C(0x68767331)	/* "hvs1" */

/* The most of each the subject puts in one reply. */
#define SUBJ_MAX_EV	256
#define SUBJ_MAX_SYS	64
#define SUBJ_MAX_DATA	(1u << 20)
#define SUBJ_MAX_TEXT	8192

enum subj_op {
	SUBJ_MALLOC = 1,	/* a[0] size */
	SUBJ_CALLOC,		/* a[0] nmemb, a[1] size */
	SUBJ_REALLOC,		/* a[0] ptr, a[1] size */
	SUBJ_REALLOCARRAY,	/* a[0] ptr, a[1] nmemb, a[2] size */
	SUBJ_FREE,		/* a[0] ptr */
	SUBJ_SBRK,		/* a[0] increment (signed) */
	SUBJ_BRK,		/* a[0] address */
	SUBJ_PRINTF,		/* len bytes of text follow */
	SUBJ_SET,		/* a[0] enum subj_key, a[1] value */
	SUBJ_WRITE,		/* a[0] address; len bytes follow */
	SUBJ_READ,		/* a[0] address, a[1] length */
	SUBJ_STATUS,		/* nothing: just the reply's figures */
	SUBJ_MEMALIGN,		/* a[0] alignment, a[1] size (libc mode) */
};

enum subj_key {
	SUBJ_KEY_MMAP_THRESHOLD = 1,
	SUBJ_KEY_TRIM_THRESHOLD,
	SUBJ_KEY_CHECKS,
};

struct subj_req {
	uint32_t	op;
	uint32_t	len;		/* bytes of data after the record */
	uint64_t	a[3];
};

struct subj_hello {
	uint32_t	magic;
	uint32_t	pid;
	uint64_t	static_start;	/* the subject's state area (.bss) */
	uint64_t	static_len;
	uint64_t	alloc_state;	/* its struct alloc, inside that area */
	uint64_t	in_call;	/* address of the "our call" flag */
	uint64_t	initial_break;
	uint64_t	code_start;	/* where its program text is mapped */
	/*
	 * Started with --libc: the subject calls its C library's own malloc
	 * family instead of running the allocator core (no state area).
	 */
	uint32_t	libc_mode;
	uint32_t	pad;
	char		libc[32];	/* gnu_get_libc_version() */
	uint64_t	main_arena;	/* glibc's arena, found in libc's
					 * data by its self-pointer; 0 if not */
	uint64_t	stdout_buffer;	/* what stdio will malloc for stdout */
};

struct subj_reply {
	int64_t		result;		/* address, 0, or -1 */
	int32_t		err;		/* errno, 0 on success */
	uint32_t	nev;
	uint32_t	nsys;
	uint32_t	len;		/* bytes of data after the records */
	uint64_t	brk;		/* the break after the request */
	uint64_t	static_used;	/* bytes of the state area in use */
	uint32_t	truncated;	/* events or calls beyond the caps */
	uint32_t	pad;
	char		glibc[64];	/* the allocator's last refusal */
};

struct subj_ev {
	uint32_t	kind;		/* enum alloc_event_kind */
	int32_t		bin_kind;
	int32_t		bin;
	uint32_t	pad;
	uint64_t	chunk, size, other, other_size;
};

struct subj_sys {
	uint32_t	call;		/* enum memsrc_call */
	int32_t		err;
	int64_t		args[3];
	int64_t		result;
};

#endif
