/*
 * model.h -- the allocator model: what heapviz needs from an allocator.
 *
 * A model is one allocator heapviz can show (dlmalloc 2.8.6 today; glibc's
 * ptmalloc2 next).  Everything above it -- the session, the snapshot, the
 * checker's report, `explain`, the panes -- reaches the allocator through
 * this table and nothing else, as the allocator reaches memory through
 * struct memsrc_ops.  Nothing above this line asks which model it has: what
 * differs between models (their bins, their special chunks, their words
 * for a decision) is declared by the model, as data or as an operation.
 *
 * Pointers in and out are host pointers (the session turns them into
 * display addresses through the memory source), as with the C calls.
 *
 * The vocabulary, model by model:
 *   bin classes  the kinds of places a free chunk can be.  A model
 *                declares them in a table; class 0 is always "no bin".
 *                dlmalloc: small[0..31], tree[0..31], dv, top.  glibc:
 *                tcache[0..63], fastbin[0..9], unsorted, small[..],
 *                large[..], last_remainder, top.
 *   decisions    what the model decided in an operation (which bin it
 *                searched, what it split, merged, asked the system for),
 *                as records whose `kind` only the model reads: it says
 *                them in words (summary, explain) and says which of them
 *                move chunks about too much to follow piecemeal.
 *   parameters   tunables by key (mmap_threshold, trim_threshold, checks).
 */
#ifndef HEAPVIZ_MODEL_H
#define HEAPVIZ_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct memsrc;
struct model;

/* ---- What a model declares. ---- */

/* The state of a chunk, as every view names it. */
enum model_chunk_state {
	MODEL_CHUNK_INUSE,
	MODEL_CHUNK_FREE,	/* in a bin (tcache and fastbin chunks too,
				 * though their in-use bit is set) */
	MODEL_CHUNK_TOP,
	MODEL_CHUNK_MMAPPED,
	MODEL_CHUNK_FENCE,	/* segment record and fenceposts */
	MODEL_CHUNK_DAMAGED,	/* a walk met a header it cannot trust */
};

/* The shape of a bin class. */
enum model_bin_shape {
	MODEL_BINS_NONE,	/* class 0: not in any bin */
	MODEL_BINS_LIST,	/* nbins lists of free chunks, each listed by
				 * bin_chunks in the order reuse takes them */
	MODEL_BINS_ONE,		/* one chunk the model names, at most: free
				 * (dv, glibc's last_remainder) or in use
				 * (glibc's tcache struct); read with
				 * special() */
	MODEL_BINS_TOP,		/* the top chunk, read with special() */
};

/*
 * One bin class.  Its chunks are labelled in two forms: short, as JSON and
 * the screen show them ("small[6]", "dv"), and words, as sentences say them
 * ("small bin 6", "the designated victim").
 */
struct model_bin_class {
	const char		*key;	/* "small", "dv": the short label and
					 * the JSON key */
	const char		*name;	/* "small bin", "designated victim" */
	const char		*words;	/* ONE, TOP: "the designated victim";
					 * LIST: NULL (name and index), or
					 * for a class of one bin its words
					 * ("the unsorted bin") */
	int			 nbins;	/* LIST: indexes 0..nbins-1; else 1 */
	enum model_bin_shape	 shape;
	int			 cap;	/* LIST: the most chunks a bin holds
					 * (glibc's tcache: 7); 0: no limit */
	const char		*first;	/* LIST: what its first chunk is to
					 * the allocator, where that needs
					 * saying ("next to be processed");
					 * NULL otherwise */
};

enum model_label {
	MODEL_LABEL_SHORT,	/* "small[6]", "tree[3]", "dv", "top" */
	MODEL_LABEL_WORDS,	/* "small bin 6", "the designated victim" */
};

/* A chunk, as a walk reports it. */
struct model_chunk {
	void			*addr;		/* chunk (host) */
	void			*mem;		/* what malloc returned for it */
	size_t			 size;		/* chunk size from the header */
	size_t			 prev_foot;	/* raw field before the size */
	size_t			 head;		/* raw size field, with its bits */
	enum model_chunk_state	 state;
	int			 bin_class;	/* free chunks: a class, or 0 */
	int			 bin;		/* index within the class */
	void			*fd, *bk;	/* free chunks: the links */
	/* fd as the chunk's word holds it, where the model stores it
	 * mangled (glibc's safe-linking) and fd above is where it leads;
	 * fd_mangled false otherwise. */
	uint64_t		 fd_stored;
	bool			 fd_mangled;
	/* fd_mangled: the pointer the word decodes to (glibc's tcache:
	 * the next entry's payload), NULL at the end of the list. */
	void			*fd_decoded;
};

typedef void (*model_walk_fn)(void *ctx, const struct model_chunk *);

/*
 * A decision, as the model reports it while it works (host pointers).
 * Fields that do not apply are zero.  `kind` is the model's own numbering.
 */
struct model_event {
	int		 kind;
	void		*chunk;
	size_t		 size;
	void		*other;
	size_t		 other_size;
	int		 bin_class;
	int		 bin;
	int		 why;		/* the model's reason code, or 0 */
};
typedef void (*model_hook)(void *ctx, const struct model_event *);

/* A decision of the current step, in display addresses (the session's). */
struct decision {
	int		 kind;
	uint64_t	 chunk;
	size_t		 size;
	uint64_t	 other;
	size_t		 other_size;
	int		 bin_class;
	int		 bin;
	int		 why;
};

/* What follows a decision for the windowed view (decision_flags). */
#define MODEL_DEC_RELAYOUT	0x1	/* the heap's shape changed beyond
					 * the chunks named: walk it whole */
#define MODEL_DEC_MAPPING	0x2	/* a mapped chunk came or went */
#define MODEL_DEC_WARNING	0x4	/* let through with a warning: see
					 * the warning op */

/* What a free did, read off its decisions (for --json's records). */
#define MODEL_FREE_MERGED	8
struct model_free_result {
	size_t		 size;		/* the chunk freed; 0: unknown */
	uint64_t	 merged[MODEL_FREE_MERGED];	/* the free chunks */
	size_t		 nmerged;			/* it merged with */
	const char	*went;		/* a bin's short label, "top",
					 * "unmapped"; NULL: not said */
	char		 label[40];	/* went's storage, when a bin */
	size_t		 trimmed;	/* bytes given back to the system */
};

/* What explain's words need besides the decision. */
struct model_explain_ctx {
	size_t	mmap_threshold, trim_threshold;
	size_t	max_fast;	/* glibc's global_max_fast; 0: no such */
};

/* Parameters, by key (`set KEY VALUE`). */
enum model_param {
	MODEL_MMAP_THRESHOLD,	/* bytes; 0 means the default */
	MODEL_TRIM_THRESHOLD,	/* bytes; SIZE_MAX turns trimming off */
	MODEL_CHECKS,		/* enum model_checks */
	MODEL_TCACHE_KEY,	/* glibc's tcache_key, the word a chunk in
				 * the tcache holds to catch a double free:
				 * a real process draws it at random, and
				 * real mode tells the model the real one */
	MODEL_MXFAST,		/* mallopt's M_MXFAST: request bytes; param
				 * reads the largest fastbin chunk size */
	MODEL_MMAP_MAX,		/* mallopt's M_MMAP_MAX: mapped chunks at
				 * once; 0: no mmap */
};

/* One word a model's allocator wrote itself, for comparing (words op). */
struct model_word {
	size_t		 off;		/* from the chunk, or the state */
	unsigned	 width;		/* bytes: 2, 4 or 8 */
	char		 name[28];	/* "size", "fd", "counts[3]" */
};
/* The bit of a param in model_ops.params. */
#define MODEL_PARAM(k)	(1u << (k))

enum model_checks {
	MODEL_CHECKS_STRICT,	/* refuse an operation on a damaged heap */
	MODEL_CHECKS_OFF,	/* the allocator's own checks only: what it
				 * aborts on is refused, the rest goes
				 * through (model_ops.checks_own names it) */
};

/*
 * What a check found.  `glibc` names the condition as glibc's message for
 * it does (the key of heapviz's account of the check), whichever model
 * found it; it is not a claim of what the model's allocator prints.
 * `says` is what the model's own allocator prints as it dies (NULL: it
 * prints nothing); segv: it would crash rather than abort; strict: the
 * refusal is heapviz's (strict checks), the allocator would go on.
 * `what` explains it in heapviz's words.
 */
struct model_error {
	const char	*glibc;
	const char	*says;
	char		 what[200];
	void		*chunk;		/* the chunk at fault, if known */
	bool		 segv;		/* the allocator would crash, not
					 * print */
	bool		 strict;	/* heapviz's own refusal (`set checks
					 * strict`), not the allocator's */
};

struct model_segment {
	void	*base;
	size_t	 size;
};

struct model_stats {
	size_t	footprint;	/* bytes obtained from the memory source */
	size_t	max_footprint;
	size_t	inuse;		/* bytes in in-use chunks (incl. mmapped) */
	size_t	free;		/* bytes in free chunks and top */
};

/* A bitmap of non-empty bins ("smallmap", "binmap[0]"), for the bins view. */
struct model_bitmap {
	const char	*name;
	uint32_t	 bits;
};

/*
 * A setting of the allocator the bins view shows beside the bins (glibc's
 * thresholds): "mmap_threshold", "131072 (0x20000), dynamic", and a note
 * on what it does.
 */
struct model_fact {
	const char	*key;
	char		 value[48];	/* "131072 (0x20000), dynamic" */
	char		 note[128];	/* what it means, for the text view */
};

/*
 * A piece of the allocator's own state in memory (glibc's main_arena), for
 * the memory map: where it lives (host) and what it is.
 */
struct model_object {
	const char	*name;		/* "main_arena" */
	const char	*words;		/* "struct malloc_state: ..." */
	const void	*addr;
	size_t		 size;
};

struct model_saved;
struct model_live;

/*
 * ---- The operations. ----
 *
 * Every op takes the model instance made by create (or adopt); the data
 * ops (classes, bin_range, decision words) need none.
 */
struct model_ops {
	const char	*name;		/* "dlmalloc-2.8.6" */
	const char	*short_name;	/* "dlmalloc" */
	/* The model is the C library's own malloc: stdio takes its buffers
	 * from it (the first printf mallocs stdout's buffer here) rather
	 * than from a second allocator beside it. */
	bool		 libc;

	/* The bin classes, class 0 first (MODEL_BINS_NONE). */
	const struct model_bin_class *classes;
	int		 nclasses;

	/*
	 * An allocator on the memory source, with default parameters.  The
	 * model keeps its own state where the source says (the simulated
	 * data segment), so that saving the source's bytes saves it.
	 */
	struct model	*(*create)(struct memsrc *);
	/* Frees the host-side state; the memory source owns the memory. */
	void		 (*destroy)(struct model *);
	/*
	 * Real mode: another process's allocator state, copied byte for byte
	 * to the same address with its memory, made fit to look inside
	 * (walk, check, bins; never to allocate).  Its memory source is src,
	 * its last refusal reads glibc.  `into` is storage the caller owns
	 * (never destroyed: the state is the other process's); returned.
	 * And the regions such a copy needs (every segment and mapped
	 * chunk, unordered).
	 */
	struct model	*(*adopt)(struct model *into, void *state,
			    struct memsrc *src, const char *glibc);
	size_t		 (*regions)(const struct model *,
			    struct model_segment *, size_t max);
	/* Where the state lives, for the real-mode subject to tell. */
	void		*(*state)(const struct model *);
	/*
	 * Real mode beside the real allocator (a libc model): the words of
	 * chunk c the allocator wrote itself -- its header, its links, the
	 * tcache's counts and entries; never the payload a program writes --
	 * as offsets from c->addr, at most max; how many.  With c NULL, the
	 * words of the allocator's own state (glibc's main_arena: bins, top,
	 * binmap), as offsets from *base, which is set to where that state
	 * is.  NULL op: the model cannot be compared.
	 */
	size_t		 (*words)(struct model *, const struct model_chunk *c,
			    void **base, struct model_word *, size_t max);

	/* Hand each decision to hook from now on (NULL: stop). */
	void		 (*set_hook)(struct model *, model_hook, void *ctx);

	/*
	 * The C calls.  NULL (or -1 from free) with errno ENOMEM on failure,
	 * including nmemb * size overflow; realloc(p, 0) frees p and returns
	 * NULL.  A check that fails refuses the operation: NULL or -1, errno
	 * EINVAL, the heap untouched, and last_error says what was found.
	 * free(NULL) does nothing and returns 0.
	 */
	void		*(*malloc)(struct model *, size_t);
	void		*(*calloc)(struct model *, size_t, size_t);
	void		*(*realloc)(struct model *, void *, size_t);
	void		*(*reallocarray)(struct model *, void *, size_t,
			    size_t);
	/* memalign(3): alignment, then size; the model says what it does
	 * with an alignment that is not a power of two. */
	void		*(*memalign)(struct model *, size_t, size_t);
	int		 (*free)(struct model *, void *);
	/* malloc_usable_size(3). */
	size_t		 (*usable_size)(struct model *, const void *);
	/* The last refusal (NULL: none yet). */
	const struct model_error *(*last_error)(struct model *);
	/* What the allocator let through in the last call that reported a
	 * MODEL_DEC_WARNING decision (a danger it does not check), in words;
	 * NULL when the model has no such thing (the op may be NULL). */
	const char	*(*warning)(struct model *);

	/*
	 * The parameters the model has (MODEL_PARAM bits); set_param of
	 * another fails with ENOTSUP.  checks_own: what `set checks` calls
	 * MODEL_CHECKS_OFF on this model ("off": dlmalloc, whose own checks
	 * are few; "glibc": glibc's, the default there).
	 */
	unsigned	 params;
	const char	*checks_own;
	/* -1 with errno EINVAL: a value the allocator refuses; ECANCELED:
	 * its checks refused the call (glibc's mallopt consolidates the
	 * fastbins first), last_error says why. */
	int		 (*set_param)(struct model *, enum model_param,
			    size_t);
	size_t		 (*param)(const struct model *, enum model_param);

	/*
	 * Looking inside.  walk: every chunk of every segment in address
	 * order, then every mapped chunk in address order; a header it
	 * cannot trust ends a segment as one DAMAGED chunk.  walk_from: the
	 * same from the chunk at p on, at most max chunks, returning how many
	 * (0: p is in no segment and no mapped chunk).  walk_mmapped: only
	 * the mapped chunks.
	 */
	void		 (*walk)(struct model *, model_walk_fn, void *);
	size_t		 (*walk_from)(struct model *, const void *p,
			    size_t max, model_walk_fn, void *);
	size_t		 (*walk_mmapped)(struct model *, model_walk_fn,
			    void *);
	size_t		 (*segments)(struct model *, struct model_segment *,
			    size_t max);
	/*
	 * A LIST class's bin i: its chunks in the order reuse takes them,
	 * at most max written to out; returns how many it holds in all (a
	 * loop, with checks off, is listed once).  bin_chunks_from: from
	 * position skip on, at most max, returning how many it wrote; count,
	 * if not 0, is how many the bin holds (known on a sound heap), so a
	 * position near the end may be reached from there.
	 */
	size_t		 (*bin_chunks)(struct model *, int cls, int i, void **out,
			    size_t max);
	size_t		 (*bin_chunks_from)(struct model *, int cls, int i,
			    size_t skip, size_t count, void **out, size_t max);
	/* The chunk sizes bin i of class cls holds: [lo, hi]. */
	void		 (*bin_range)(int cls, int i, size_t *lo, size_t *hi);
	/* A ONE or TOP class's chunk, or NULL; its size in *size. */
	void		*(*special)(const struct model *, int cls,
			    size_t *size);
	/* The bitmaps of non-empty bins, at most max; how many. */
	size_t		 (*bitmaps)(const struct model *, struct model_bitmap *,
			    size_t max);
	void		 (*stats)(struct model *, struct model_stats *);
	/* The settings the bins view lists after the bins, at most max;
	 * how many (the op may be NULL: none). */
	size_t		 (*facts)(const struct model *, struct model_fact *,
			    size_t max);
	/* Where the allocator's own state lives, at most max; how many
	 * (the op may be NULL: the map names none). */
	size_t		 (*objects)(const struct model *,
			    struct model_object *, size_t max);
	/* The invariants `check` verifies, in words, one a line, NULL
	 * after the last; `check` restates them on a sound heap (NULL: it
	 * says only how many chunks it checked). */
	const char *const *invariants;
	/*
	 * The model's invariants restated as code: writes up to max
	 * violations (one line each) and returns how many it found.  Never
	 * aborts and never reads outside memory the source mapped.
	 */
	size_t		 (*check)(struct model *, char (*)[160], size_t max);

	/*
	 * Going back in time: the model's own state (not the heap's bytes,
	 * which the memory source keeps).  It may live in the source's data
	 * segment, so restoring is in three moves: live_take what belongs to
	 * the running process, put the source's bytes back, then restore.
	 */
	struct model_saved *(*save)(const struct model *);
	struct model_live *(*live_take)(const struct model *);
	void		 (*restore)(struct model *, const struct model_saved *,
			    struct model_live *);
	size_t		 (*saved_bytes)(const struct model_saved *);
	void		 (*saved_free)(struct model_saved *);

	/*
	 * Decisions in words.  summary: the short phrase a command's reply
	 * line carries ("reused a free chunk from small bin 6"), added to b,
	 * or nothing for a decision the reply leaves out.  explain: the
	 * lines of `explain` for a step's n decisions ("- ...\n" each, with
	 * the arithmetic; a line may weigh several decisions).
	 */
	void		 (*summary)(const struct decision *, struct buf *b);
	void		 (*explain)(const struct decision *, size_t n,
			    const struct model_explain_ctx *, struct buf *b);
	/* MODEL_DEC_* for a decision kind. */
	unsigned	 (*decision_flags)(int kind);
	/* What the free of a step did, from its n decisions. */
	void		 (*free_result)(const struct decision *, size_t n,
			    struct model_free_result *);

	/*
	 * The flag bits of a chunk's size field, in the model's names.
	 * flag_heading is the heap view's flag column ("PCM"); flag_letters
	 * writes one letter or '-' under each for a chunk (no NUL).
	 * flag_names writes the names of the bits set in head, each after
	 * sep (" | CINUSE | PINUSE"); minor adds the bits of no meaning.
	 */
	const char	*flag_heading;
	void		 (*flag_letters)(uint64_t head, enum model_chunk_state,
			    char *out);
	void		 (*flag_names)(uint64_t head, const char *sep,
			    bool minor, char *buf, size_t len);
};

/* An instance: the ops, and the model's own state behind them. */
struct model {
	const struct model_ops	*ops;
	void			*impl;		/* the model's state */
	model_hook		 hook;		/* set_hook's */
	void			*hook_ctx;
	struct model_error	 err;		/* last_error's copy */
};

/* The models there are, the default first; NULL after the last. */
extern const struct model_ops *const model_list[];
extern const struct model_ops model_dlmalloc;
extern const struct model_ops model_glibc;
/* By short or full name; NULL if there is none. */
const struct model_ops *model_find(const char *);

/*
 * A bin label in either form, from the model's class table.  Class 0 (and
 * any class out of range) reads `none` in the short form, "no bin" in
 * words.  model_bin_words adds the words form to b.
 */
const char	*model_bin_label(const struct model_ops *, int cls, int i,
		    enum model_label, const char *none, char *buf,
		    size_t len);
void		 model_bin_words(const struct model_ops *, int cls, int i,
		    struct buf *b);
/* The class whose shape is TOP (0 if none). */
int		 model_top_class(const struct model_ops *);
/* The state's one name: "inuse", "free", "top", "mmapped", ... */
const char	*model_state_name(enum model_chunk_state);

#endif
