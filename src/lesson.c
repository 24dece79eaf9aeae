/* lesson.c -- scripts stepped through one command at a time. */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history.h"
#include "interp.h"
#include "lesson.h"
#include "model.h"
#include "session.h"
#include "xmalloc.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/heapviz"
#endif

/*
 * A heapviz run from its build tree (_build/heapviz, or a test program in
 * _build/tests) has not been installed: its lessons are the ones in the
 * source tree it was configured from.  Any other heapviz uses PKGDATADIR.
 */
static bool
in_build_tree(void)
{
#ifdef HEAPVIZ_BUILDDIR
	char	 self[PATH_MAX], *build, *slash;
	ssize_t	 n;
	bool	 yes = false;

	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) <= 0)
		return false;
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return false;
	*slash = '\0';
	if ((build = realpath(HEAPVIZ_BUILDDIR, NULL)) == NULL)
		return false;
	if (strcmp(self, build) == 0)
		yes = true;
	else if ((slash = strrchr(self, '/')) != NULL &&
	    strcmp(slash, "/tests") == 0) {
		*slash = '\0';
		yes = strcmp(self, build) == 0;
	}
	free(build);
	return yes;
#else
	return false;
#endif
}

const char *
lesson_dir(void)
{
	const char	*env = getenv("HEAPVIZ_EXAMPLES");
#ifdef HEAPVIZ_SRCDIR
	static int	 built = -1;	/* the answer does not change */

	if (env != NULL && *env != '\0')
		return env;
	if (built < 0)
		built = in_build_tree();
	if (built)
		return HEAPVIZ_SRCDIR "/examples";
#else
	if (env != NULL && *env != '\0')
		return env;
#endif
	return PKGDATADIR "/examples";
}

const char *
lesson_name(const struct lesson *l)
{
	const char	*slash = strrchr(l->path, '/');

	return slash != NULL ? slash + 1 : l->path;
}

static bool
is_file(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *
lesson_find(const char *name)
{
	char	*path;

	if (is_file(name) || strchr(name, '/') != NULL)
		return xstrdup(name);
	xasprintf(&path, "%s/%s", lesson_dir(), name);
	if (is_file(path))
		return path;
	free(path);
	xasprintf(&path, "%s/%s.hv", lesson_dir(), name);
	if (is_file(path))
		return path;
	free(path);
	return xstrdup(name);
}

static void
lesson_free(struct lesson *l)
{
	size_t	i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->lines[i]);
	free(l->lines);
	free(l->made);
	free(l->path);
	free(l);
}

/* A step stands: the lesson marks its own after this; any other is not
 * its. */
static void
lesson_committed(struct session *s)
{
	struct lesson	*l = session_lesson(s);

	if (l != NULL && history_step(s) < l->nmade)
		l->made[history_step(s)] = 0;
}

/* The session becomes a recording: the lesson has no place on it. */
static void
lesson_recorded(struct session *s, struct out *out)
{
	out_kprintf(out, OUT_NOTE, "note: the lesson %s is closed\n",
	    lesson_name(session_lesson(s)));
	lesson_close(s);
}

static const struct session_watch lesson_watch = {
	.committed = lesson_committed,
	.recorded = lesson_recorded,
	.destroyed = lesson_close,
};

void
lesson_close(struct session *s)
{
	lesson_free(session_lesson(s));
	session_set_lesson(s, NULL);
	session_set_watch(s, NULL);
}

int
lesson_open(struct session *s, const char *name, struct out *out)
{
	struct lesson	*l;
	char		*path = lesson_find(name), *line = NULL;
	size_t		 cap = 0, lcap = 0;
	ssize_t		 n;
	unsigned	 lineno = 0;
	FILE		*f;

	if ((f = fopen(path, "r")) == NULL) {
		out_kprintf(out, OUT_ERROR, "open: cannot open %s: %s (`lessons` "
		    "lists the lessons that come with heapviz)\n", path,
		    strerror(errno));
		free(path);
		return -1;
	}
	l = xcalloc(1, sizeof *l);
	l->path = path;
	while ((n = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (memchr(line, '\0', (size_t)n) != NULL) {
			out_kprintf(out, OUT_ERROR, "open: %s:%u: the line holds "
			    "a NUL byte: is this a binary file?\n", path,
			    lineno);
			goto fail;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (l->n == lcap) {
			lcap = lcap ? lcap * 2 : 32;
			l->lines = xreallocarray(l->lines, lcap,
			    sizeof *l->lines);
		}
		l->lines[l->n++] = xstrdup(line);
	}
	free(line);
	fclose(f);
	lesson_close(s);
	session_set_lesson(s, l);
	session_set_watch(s, &lesson_watch);
	return 0;
fail:
	free(line);
	fclose(f);
	lesson_free(l);
	return -1;
}

static bool
blank(const char *line)
{
	return line[strspn(line, " \t")] == '\0';
}

static bool
comment(const char *line)
{
	return line[strspn(line, " \t")] == '#';
}

static bool
is_pause(const char *line)
{
	const char	*p = line + strspn(line, " \t");

	return strncmp(p, "pause", 5) == 0 && blank(p + 5);
}

void
lesson_mode(const struct lesson *l, bool *real, bool *aslr,
    const struct model_ops **model)
{
	size_t		 i;
	const char	*p;

	*real = *aslr = false;
	*model = model_list[0];
	for (i = 0; i < l->n; i++) {
		p = l->lines[i] + strspn(l->lines[i], " \t");
		if (blank(p) || comment(p) || is_pause(p))
			continue;
		if (strncmp(p, "allocator", 9) == 0 && (p[9] == ' ' ||
		    p[9] == '\t')) {
			/* `allocator NAME`: the lesson's model. */
			char		 name[32];
			size_t		 n;
			const struct model_ops *ops;

			p += 9 + strspn(p + 9, " \t");
			n = strcspn(p, " \t#\r\n");
			if (n == 0 || n >= sizeof name)
				return;
			memcpy(name, p, n);
			name[n] = '\0';
			if ((ops = model_find(name)) != NULL)
				*model = ops;
			continue;
		}
		if (strncmp(p, "mode", 4) != 0 || (p[4] != ' ' && p[4] != '\t'))
			return;
		p += 4 + strspn(p + 4, " \t");
		if (strncmp(p, "real", 4) == 0 && (blank(p + 4) ||
		    p[4] == ' ' || p[4] == '\t' || p[4] == '#')) {
			*real = true;
			p += 4 + strspn(p + 4, " \t");
			*aslr = strncmp(p, "--aslr", 6) == 0;
		}
	}
}

bool
lesson_step(struct session *s, struct out *out, bool *paused)
{
	struct lesson	*l = session_lesson(s);
	size_t		 first = 0, i, before;
	bool		 narrated = false;

	*paused = false;
	/* Gone back to before the lesson's fresh heap: forward to it. */
	if (history_position(s) < l->start && l->start <= history_length(s)) {
		if (history_goto(s, l->start, out) != 0)
			return false;
		lesson_follow(s);
		out_kprintf(out, OUT_NOTE, "note: forward to step %zu, where "
		    "%s starts on a fresh heap\n", l->start, lesson_name(l));
	}
	/* Narration: the comments just before the command. */
	while (l->pos < l->n) {
		const char	*line = l->lines[l->pos];

		if (blank(line)) {
			narrated = false;
			l->pos++;
			continue;
		}
		if (comment(line)) {
			if (!narrated)
				first = l->pos;
			narrated = true;
			l->pos++;
			continue;
		}
		if (is_pause(line)) {
			l->pos++;
			*paused = true;
			return l->pos < l->n;
		}
		break;
	}
	if (l->pos >= l->n)
		return false;
	if (narrated) {
		for (i = first; i < l->pos; i++) {
			const char	*c = l->lines[i] + strspn(l->lines[i],
					    " \t") + 1;

			out_kprintf(out, OUT_NARRATION, "| %s\n",
			    c + (*c == ' '));
		}
	}
	out_kprintf(out, OUT_NOTE, "%s:%zu> %s\n", lesson_name(l), l->pos + 1,
	    l->lines[l->pos]);
	before = history_position(s);
	/* Its lines may not step it themselves. */
	session_set_in_lesson(s, true);
	if (before < history_length(s) && before + 1 < l->nmade &&
	    l->made[before + 1] == l->pos + 1 &&
	    history_forward_shown(s, out) == 0) {
		/* After `back`: the step this line made is still ahead. */
		out_kprintf(out, OUT_NOTE, "note: step %zu of %zu again, from "
		    "the history%s\n", history_position(s),
		    history_length(s), history_position(s) <
		    history_length(s) ? ": the later steps are kept" : "");
	} else
		interp_exec(s, l->lines[l->pos], out);
	session_set_in_lesson(s, false);
	l = session_lesson(s);	/* the line may have opened another */
	if (l == NULL)
		return false;
	if (history_position(s) != before) {
		size_t	step = history_position(s);

		if (step >= l->nmade) {
			size_t	ncap = step + 64;

			l->made = xreallocarray(l->made, ncap, sizeof *l->made);
			memset(l->made + l->nmade, 0,
			    (ncap - l->nmade) * sizeof *l->made);
			l->nmade = ncap;
		}
		l->made[step] = l->pos + 1;
	}
	l->pos++;
	return true;
}

size_t
lesson_next(const struct lesson *l)
{
	size_t	i;

	for (i = l->pos; i < l->n; i++) {
		if (!blank(l->lines[i]) && !comment(l->lines[i]))
			return i;
	}
	return l->n;
}

void
lesson_follow(struct session *s)
{
	struct lesson	*l = session_lesson(s);
	size_t		 step;

	if (l == NULL)
		return;
	/* Just after the line that made the latest step we are past. */
	for (step = history_position(s); step > 0; step--) {
		if (step < l->nmade && l->made[step] != 0) {
			l->pos = l->made[step];
			return;
		}
	}
	l->pos = 0;
}
