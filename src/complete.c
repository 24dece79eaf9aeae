/* complete.c -- tab-completion candidates, with no terminal in sight. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "xmalloc.h"

struct list {
	char	**v;
	size_t	  n, cap;
};

static void
add(struct list *l, const char *word, const char *prefix)
{
	size_t	i;

	if (strncmp(word, prefix, strlen(prefix)) != 0)
		return;
	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], word) == 0)
			return;
	}
	if (l->n + 2 > l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = xstrdup(word);
	l->v[l->n] = NULL;
}

/* add() as a command's completion hook calls it. */
struct adder {
	struct list	*l;
	const char	*prefix;
};

static void
add_word(void *ctx, const char *word)
{
	struct adder	*ad = ctx;

	add(ad->l, word, ad->prefix);
}

char **
complete_candidates(struct session *s, const char *line, size_t start,
    const char *prefix)
{
	struct list	 l = { NULL, 0, 0 };
	char		 first[32] = "", **words = NULL, err[160];
	const char	*p = line;
	const struct cmd_entry *ce;
	int		 nw, i, arg;
	size_t		 n;

	/* Which word is this, and what command does the line run? */
	{
		char	*head = xstrndup(line, start);

		nw = cmd_tokenize(head, &words, err, sizeof err);
		free(head);
	}
	if (nw < 0)
		return NULL;
	i = 0;
	if (nw >= 2 && strcmp(words[1], "=") == 0)
		i = 2;
	if (nw > i)
		snprintf(first, sizeof first, "%s", words[i]);
	arg = nw - i;	/* 0: the command itself */
	cmd_free_words(words, nw);
	(void)p;

	if (arg == 0) {
		const struct cmd_entry	*const *e;

		for (e = cmd_table; *e != NULL; e++) {
			if (i == 2 && !((*e)->flags & CMD_ASSIGNS))
				continue;
			add(&l, (*e)->name, prefix);
		}
		return l.v;
	}
	ce = cmd_exact(first, strlen(first));
	if (ce == NULL)
		return l.v;
	if (ce->complete != NULL) {
		struct adder	 ad = { &l, prefix };

		ce->complete(arg, add_word, &ad);
		return l.v;
	}
	/* The commands whose first argument is a name. */
	if (arg == 1 && (ce->flags & CMD_NAME_ARG)) {
		const struct names	*nm = session_names(s);

		/* Live names first: those are what one usually means. */
		for (n = 0; n < nm->n; n++) {
			if (nm->v[n].live)
				add(&l, nm->v[n].name, prefix);
		}
		for (n = 0; n < nm->n; n++)
			add(&l, nm->v[n].name, prefix);
	}
	return l.v;
}
