/* cmd-help.c -- help [COMMAND]. */
#include "cmd.h"

static enum session_status
cmd_help_exec(struct cmd_ctx *c)
{
	const struct cmd_entry	*const *e, *ce;

	if (c->argc == 1) {
		if ((ce = cmd_find(c->argv[0], c->out)) == NULL)
			return SESSION_ERROR;
		out_printf(c->out, "%s%s%s\n  %s\n\n%s\n", ce->name,
		    *ce->usage ? " " : "", ce->usage, ce->summary, ce->help);
		if (ce->flags & CMD_ASSIGNS)
			out_printf(c->out, "\nNAME = %s %s binds the result to "
			    "NAME.\n", ce->name, ce->usage);
		return SESSION_OK;
	}
	out_printf(c->out, "commands (any unique prefix works; `help COMMAND` "
	    "says more):\n");
	for (e = cmd_table; *e != NULL; e++)
		out_printf(c->out, "  %-13s %s\n", (*e)->name, (*e)->summary);
	out_printf(c->out, "NAME = malloc|calloc|realloc|reallocarray ... "
	    "names the result.\nNumbers: decimal or 0x hex, with K, M or G.  "
	    "# starts a comment.\n");
	return SESSION_OK;
}

static void
cmd_help_complete(int n, void (*add)(void *, const char *), void *ctx)
{
	const struct cmd_entry	*const *e;

	for (e = cmd_table; n == 1 && *e != NULL; e++)
		add(ctx, (*e)->name);
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.usage = "[COMMAND]",
	.summary = "list the commands, or explain one",
	.help = "help alone lists every command; help COMMAND explains it.",
	.args_min = 0,
	.args_max = 1,
	.flags = CMD_READONLY | CMD_PAGE | CMD_ON_TRACE | CMD_HELP,
	.exec = cmd_help_exec,
	.complete = cmd_help_complete,
};
