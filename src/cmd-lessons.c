/* cmd-lessons.c -- lessons: the lessons that come with heapviz. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "lesson.h"
#include "xmalloc.h"

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The first comment line of a lesson is its title. */
static void
title(const char *dir, const char *name, char *buf, size_t len)
{
	char	*path, line[256];
	FILE	*f;

	buf[0] = '\0';
	xasprintf(&path, "%s/%s", dir, name);
	if ((f = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL) {
			char	*p = line + strspn(line, " \t");

			if (*p != '#')
				continue;
			p += 1 + strspn(p + 1, " ");
			p[strcspn(p, "\r\n")] = '\0';
			snprintf(buf, len, "%s", p);
			break;
		}
		fclose(f);
	}
	free(path);
}

static enum session_status
cmd_lessons_exec(struct cmd_ctx *c)
{
	const char	*dir = lesson_dir();
	struct dirent	*de;
	char		**names = NULL, t[200];
	size_t		  n = 0, cap = 0, i;
	DIR		*d;

	if ((d = opendir(dir)) == NULL) {
		out_kprintf(c->out, OUT_ERROR, "lessons: cannot read %s (set "
		    "HEAPVIZ_EXAMPLES to the examples directory)\n", dir);
		return SESSION_ERROR;
	}
	while ((de = readdir(d)) != NULL) {
		size_t	len = strlen(de->d_name);

		if (len < 4 || strcmp(de->d_name + len - 3, ".hv") != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xreallocarray(names, cap, sizeof *names);
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, by_name);
	out_printf(c->out, "lessons (`open NAME` loads one):\n");
	for (i = 0; i < n; i++) {
		title(dir, names[i], t, sizeof t);
		out_printf(c->out, "  %-22.*s %s\n",
		    (int)(strlen(names[i]) - 3), names[i], t);
		free(names[i]);
	}
	free(names);
	return SESSION_OK;
}

const struct cmd_entry cmd_lessons_entry = {
	.name = "lessons",
	.usage = "",
	.summary = "list the lessons that come with heapviz",
	.help = "Lists the example lessons, each with its title; `open NAME` "
	    "loads one.",
	.args_min = 0,
	.args_max = 0,
	.flags = CMD_READONLY | CMD_PAGE | CMD_ON_TRACE,
	.exec = cmd_lessons_exec,
};
