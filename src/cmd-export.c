/*
 * cmd-export.c -- export FILE.svg [STEP] | FILE.html [--theme light|dark]:
 * a step as a picture for slides, or every step as one web page.
 */
#include <string.h>

#include "cmd.h"
#include "export.h"

static enum session_status
cmd_export_exec(struct cmd_ctx *c)
{
	enum export_theme	 theme = EXPORT_LIGHT;
	const char		*file = NULL, *step_arg = NULL;
	size_t			 step = SIZE_MAX;
	int			 i;

	for (i = 0; i < c->argc; i++) {
		const char	*a = c->argv[i];

		if (strcmp(a, "--theme") == 0) {
			if (i + 1 == c->argc) {
				out_kprintf(c->out, OUT_ERROR, "export: "
				    "--theme needs light or dark\n");
				return SESSION_ERROR;
			}
			if (export_parse_theme(c->argv[++i], &theme, "export",
			    c->out) != 0)
				return SESSION_ERROR;
		} else if (strncmp(a, "--theme=", 8) == 0) {
			if (export_parse_theme(a + 8, &theme, "export",
			    c->out) != 0)
				return SESSION_ERROR;
		} else if (a[0] == '-' && a[1] == '-') {
			out_kprintf(c->out, OUT_ERROR, "export: unknown option "
			    "%s (the only one is --theme)\n", a);
			return SESSION_ERROR;
		} else if (file == NULL)
			file = a;
		else if (step_arg == NULL)
			step_arg = a;
		else {
			out_kprintf(c->out, OUT_ERROR, "export: one file and "
			    "at most one step: %s is one too many\n", a);
			return SESSION_ERROR;
		}
	}
	if (file == NULL || file[0] == '\0') {
		out_kprintf(c->out, OUT_ERROR, "export: which file? (export "
		    "FILE.svg [STEP] or export FILE.html)\n");
		return SESSION_ERROR;
	}
	if (step_arg != NULL &&
	    cmd_parse_size(c, step_arg, "step", &step) != 0)
		return SESSION_ERROR;
	if (export_file(c->s, file, step, theme, c->out) != 0)
		return SESSION_ERROR;
	return SESSION_OK;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "FILE.svg [STEP] | FILE.html [--theme light|dark]",
	.summary = "a step as an SVG picture, or every step as a web page",
	.help = "export FILE.svg draws the current step (or step STEP) as an "
	    "SVG 1.1 picture\nfor slides: the address space, the chunks as "
	    "boxes that follow their sizes,\nthe free bins with their links, "
	    "the step's system calls and a legend.\nStates have letters and "
	    "patterns as well as colours: it survives grey scale.\n\n"
	    "export FILE.html writes every step into one self-contained page "
	    "(no\nnetwork, nothing outside it): heap, bins, memory map, log, "
	    "explanation and\na lesson's narration, a step slider, the arrow "
	    "keys, and links to a step\nas FILE.html#step=12.  The session "
	    "stays at its step.\n\n--theme dark draws white on dark; light is "
	    "the default.",
	.args_min = 1,
	.args_max = 4,
	.flags = CMD_ON_TRACE,
	.exec = cmd_export_exec,
};
