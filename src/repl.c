/*
 * repl.c -- the line-mode prompt.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "complete.h"
#include "repl.h"
#include "session.h"
#include "interp.h"
#include "xmalloc.h"

static struct session	*repl_session;

static void
repl_write(void *ctx, enum out_kind kind, const char *s, size_t n)
{
	(void)ctx;
	if (kind == OUT_ERROR) {
		fflush(stdout);
		fwrite(s, 1, n, stderr);
	} else
		fwrite(s, 1, n, stdout);
}

static int
mkdirs(char *path)
{
	char	*p;

	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

char *
repl_history_path(void)
{
	const char	*state = getenv("XDG_STATE_HOME"), *home;
	char		*path;

	if (state != NULL && state[0] == '/')
		xasprintf(&path, "%s/heapviz/history", state);
	else if ((home = getenv("HOME")) != NULL && home[0] != '\0')
		xasprintf(&path, "%s/.local/state/heapviz/history", home);
	else
		return NULL;
	if (mkdirs(path) != 0) {
		free(path);
		return NULL;
	}
	return path;
}

static char **repl_matches;
static size_t repl_match_next;

static char *
repl_generator(const char *text, int state)
{
	(void)text;
	if (state == 0)
		repl_match_next = 0;
	if (repl_matches == NULL || repl_matches[repl_match_next] == NULL)
		return NULL;
	return xstrdup(repl_matches[repl_match_next++]);
}

static char **
repl_complete(const char *text, int start, int end)
{
	char	**m;
	size_t	  i;

	(void)end;
	rl_attempted_completion_over = 1;
	repl_matches = complete_candidates(repl_session, rl_line_buffer,
	    (size_t)start, text);
	m = rl_completion_matches(text, repl_generator);
	if (repl_matches != NULL) {
		for (i = 0; repl_matches[i] != NULL; i++)
			free(repl_matches[i]);
		free(repl_matches);
		repl_matches = NULL;
	}
	return m;
}

int
repl_run(struct session *s)
{
	struct out		 out = { repl_write, NULL };
	enum session_status	 st;
	char			*line, *hist;
	int			 status = 0;

	repl_session = s;
	rl_readline_name = "heapviz";
	rl_attempted_completion_function = repl_complete;
	rl_basic_word_break_characters = " \t=";
	hist = repl_history_path();
	if (hist != NULL)
		read_history(hist);	/* a missing file is fine */
	printf("heapviz: a model of dlmalloc on a simulated heap; `help` "
	    "lists the commands\n");
	while ((line = readline("heapviz> ")) != NULL) {
		if (line[0] != '\0')
			add_history(line);
		st = interp_exec(s, line, &out);
		free(line);
		fflush(stdout);
		if (st == SESSION_QUIT)
			break;
		status = st == SESSION_ERROR ? 1 : 0;
	}
	if (line == NULL)
		putchar('\n');
	if (hist != NULL) {
		if (write_history(hist) != 0)
			fprintf(stderr, "heapviz: could not save history to "
			    "%s\n", hist);
		free(hist);
	}
	(void)status;
	return 0;
}
