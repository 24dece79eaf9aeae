/*
 * lesson.h -- a script opened to be stepped through in class.
 *
 * `open FILE` loads a script without running it; `step` runs its next
 * command, showing the comment lines just before it as narration; `run`
 * goes on to the end or to the next `pause` line.  Going back in time moves
 * the lesson back with it.
 */
#ifndef HEAPVIZ_LESSON_H
#define HEAPVIZ_LESSON_H

#include <stdbool.h>
#include <stddef.h>

struct session;
struct out;

struct lesson {
	char		 *path;
	char		**lines;
	size_t		  n;
	size_t		  pos;		/* the next line to look at */
	size_t		 *made;		/* made[step]: line + 1, or 0 */
	size_t		  nmade;
	size_t		  start;	/* the step of its fresh heap */
};

/* Where lessons are: $HEAPVIZ_EXAMPLES, else beside the source for a
 * heapviz run from its build tree, else the installed examples. */
const char	*lesson_dir(void);
/* FILE as given, else NAME or NAME.hv in lesson_dir(); caller frees. */
char		*lesson_find(const char *);

/* The file name without its directory, for messages. */
const char	*lesson_name(const struct lesson *);
int		 lesson_open(struct session *, const char *, struct out *);
void		 lesson_close(struct session *);
/*
 * The mode the lesson asks for: a `mode real [--aslr]` or `mode sim` line
 * as its first command; without one, the simulated heap its narration
 * was written for.
 */
struct model_ops;
/* The mode and the allocator model a lesson asks for in its first lines
 * (`mode real [--aslr]`, `allocator NAME`); dlmalloc and sim otherwise. */
void		 lesson_mode(const struct lesson *, bool *real, bool *aslr,
		     const struct model_ops **);
/* Run the next command; false when the lesson is over. */
bool		 lesson_step(struct session *, struct out *, bool *paused);
/* The line that runs (or pauses) next, n when the lesson is over. */
size_t		 lesson_next(const struct lesson *);
/* After going back or forth: put the lesson where the session is. */
void		 lesson_follow(struct session *);

#endif
