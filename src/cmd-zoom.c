/*
 * cmd-zoom.c -- zoom: one pane of the full screen on the whole screen, for
 * a projector, and back.  The command only leaves the request in the
 * session (ui_request); the full screen, which alone knows its panes'
 * windows, carries it out after the line.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

/* The panes, by the names `zoom` takes (the full screen's titles). */
static const struct {
	const char	*name, *title;
} panes[] = {
	{ "heap", "Heap" },
	{ "bins", "Bins" },
	{ "map", "Memory map" },
	{ "log", "Log" },
	{ "lesson", "Lesson" },
};

static enum session_status
cmd_zoom_exec(struct cmd_ctx *c)
{
	const char	*arg = c->argc > 0 ? c->argv[0] : NULL;
	size_t		 i, n, found = SIZE_MAX, len;

	if (arg != NULL && strcmp(arg, "off") == 0) {
		if (session_ui_panes(c->s))
			session_ui_set_request(c->s, "zoom off");
		out_printf(c->out, "zoom: every pane again\n");
		return SESSION_OK;
	}
	if (arg != NULL) {
		n = sizeof panes / sizeof panes[0];
		len = strlen(arg);
		for (i = 0; i < n; i++) {
			if (strncmp(arg, panes[i].name, len) != 0 || len == 0)
				continue;
			if (found != SIZE_MAX && strcmp(arg,
			    panes[found].name) != 0) {
				out_kprintf(c->out, OUT_ERROR, "zoom: %s could "
				    "be %s or %s\n", arg, panes[found].name,
				    panes[i].name);
				return SESSION_ERROR;
			}
			found = i;
		}
		if (found == SIZE_MAX) {
			out_kprintf(c->out, OUT_ERROR, "zoom: no pane called "
			    "%s (the panes: heap, bins, map, log, lesson; "
			    "`zoom off` shows them all)\n", arg);
			return SESSION_ERROR;
		}
		if (strcmp(panes[found].name, "lesson") == 0 &&
		    session_lesson(c->s) == NULL) {
			out_kprintf(c->out, OUT_ERROR, "zoom: no lesson is "
			    "open, so there is no Lesson pane (`open LESSON` "
			    "opens one)\n");
			return SESSION_ERROR;
		}
	}
	if (!session_ui_panes(c->s)) {
		out_kprintf(c->out, OUT_NOTE, "zoom: only the full screen has "
		    "panes to zoom; here it does nothing\n");
		return SESSION_OK;
	}
	if (found != SIZE_MAX) {
		char	req[32];

		snprintf(req, sizeof req, "zoom %s", panes[found].name);
		session_ui_set_request(c->s, req);
		out_printf(c->out, "zoom: the %s pane fills the screen "
		    "(`zoom` or F6 again: every pane)\n", panes[found].title);
	} else {
		session_ui_set_request(c->s, "zoom");
		out_printf(c->out, "zoom: the focused pane fills the screen, "
		    "or every pane shows again (F6 does the same)\n");
	}
	return SESSION_OK;
}

static void
cmd_zoom_complete(int n, void (*add)(void *, const char *), void *ctx)
{
	size_t	i;

	for (i = 0; n == 1 && i < sizeof panes / sizeof panes[0]; i++)
		add(ctx, panes[i].name);
	if (n == 1)
		add(ctx, "off");
}

const struct cmd_entry cmd_zoom_entry = {
	.name = "zoom",
	.usage = "[heap|bins|map|log|lesson|off]",
	.summary = "full screen: one pane on the whole screen, and back (F6)",
	.help = "With a pane's name, that pane fills the screen (for a "
	    "projector, or a\nterminal with a large font); without one, the "
	    "focused pane does, or, if\none already does, every pane shows "
	    "again; `zoom off` shows every pane.\nTab and F2-F5 move the "
	    "zoom to another pane.  F6 zooms the focused pane\nand back.  "
	    "Outside the full screen it does nothing.",
	.args_min = 0,
	.args_max = 1,
	.flags = CMD_READONLY | CMD_ON_TRACE,
	.exec = cmd_zoom_exec,
	.complete = cmd_zoom_complete,
};
