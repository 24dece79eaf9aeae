/*
 * tui-input.c -- GNU Readline inside curses, through readline's callback
 * interface.
 *
 * Curses owns the terminal: it reads the keys (wget_wch in tui.c) and this
 * file turns each one into the bytes readline expects (arrows become
 * "\033[A" and so on, wide characters their UTF-8 bytes), queues them and
 * calls rl_callback_read_char until the queue is empty.  Readline reads the
 * queue through rl_getc_function / rl_input_available_hook and never touches
 * the terminal: its redisplay is ours (the line is drawn into the prompt
 * window from rl_display_prompt, rl_line_buffer and rl_point), preparing and
 * restoring the terminal are no-ops, a completion listing goes to the
 * result line, its bell is off, and anything it still writes goes to
 * /dev/null.  Because the redisplay function is not readline's own, readline
 * does not call tgetent and so leaves curses' terminal alone.
 *
 * History is kept in $XDG_STATE_HOME/heapviz/history (else
 * ~/.local/state/heapviz/history), appended to after every line; failing to
 * read or write it leaves one note on (held-back) stderr and nothing else.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <readline/readline.h>
#include <readline/history.h>

#include "complete.h"
#include "tui-input.h"
#include "tui-overlay.h"
#include "xmalloc.h"

#define HISTORY_MAX	1000

static struct tui	*in_tui;
/* What Enter does with a line: the screen hands it in (tui_exec). */
static void		(*in_run)(struct tui *, const char *);
static unsigned char	 q[512];
static size_t		 qhead, qlen;
static FILE		*devnull;
static char		*hist_path;
static bool		 hist_warned;

/* ---- The queue readline reads from. ---- */

static void
push(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n && qlen < sizeof q; i++) {
		q[(qhead + qlen) % sizeof q] = (unsigned char)s[i];
		qlen++;
	}
}

static int
in_getc(FILE *f)
{
	int	c;

	(void)f;
	if (qlen == 0)
		return 0;	/* never EOF: that would end the session */
	c = q[qhead];
	qhead = (qhead + 1) % sizeof q;
	qlen--;
	return c;
}

static int
in_avail(void)
{
	return qlen > 0;
}

static void
in_redisplay(void)
{
	/* tui_draw draws the line after every batch of keys. */
}

static void
in_prep(int meta)
{
	(void)meta;
}

static void
in_deprep(void)
{
}

/* ---- History. ---- */

static void
hist_warn(const char *what)
{
	if (hist_warned)
		return;
	hist_warned = true;
	fprintf(stderr, "heapviz: history %s: %s: %s (history not saved)\n",
	    what, hist_path, strerror(errno));
}

static void
mkdirs(char *path)
{
	char	*p;

	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
}

static void
hist_open(struct tui *t)
{
	const char	*x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int		 r;

	free(hist_path);
	hist_path = NULL;
	if (t->opts.history_file != NULL) {
		if (*t->opts.history_file == '\0')
			return;
		hist_path = xstrdup(t->opts.history_file);
	} else if (x != NULL && x[0] == '/')
		xasprintf(&hist_path, "%s/heapviz/history", x);
	else if (home != NULL && home[0] != '\0')
		xasprintf(&hist_path, "%s/.local/state/heapviz/history", home);
	else
		return;
	mkdirs(hist_path);
	r = read_history(hist_path);
	if (r != 0 && r != ENOENT) {
		errno = r;
		hist_warn("read");
	}
}

static void
hist_add(const char *line)
{
	HIST_ENTRY	*last;
	int		 r;

	last = history_length > 0 ? history_get(history_base +
	    history_length - 1) : NULL;
	if (last != NULL && strcmp(last->line, line) == 0)
		return;
	add_history(line);
	if (hist_path == NULL || hist_warned)
		return;
	r = append_history(1, hist_path);
	if (r == ENOENT)
		r = write_history(hist_path);
	if (r != 0) {
		errno = r;
		hist_warn("write");
	}
}

/* ---- Completion: the candidates come from complete.c. ---- */

static char	**cand;
static size_t	  cand_i;

static void
cand_free(void)
{
	size_t	i;

	if (cand == NULL)
		return;
	for (i = 0; cand[i] != NULL; i++)
		free(cand[i]);
	free(cand);
	cand = NULL;
}

static char *
cand_gen(const char *text, int state)
{
	(void)text;		/* complete_candidates matched the prefix */
	if (state == 0)
		cand_i = 0;
	if (cand == NULL || cand[cand_i] == NULL)
		return NULL;
	return xstrdup(cand[cand_i++]);
}

static char **
complete(const char *text, int start, int end)
{
	char	**m;
	size_t	  i = 0;

	(void)end;
	while (rl_line_buffer[i] == ' ' || rl_line_buffer[i] == '\t')
		i++;
	if (strncmp(rl_line_buffer + i, "source", 6) == 0 &&
	    (rl_line_buffer[i + 6] == ' ' || rl_line_buffer[i + 6] == '\t') &&
	    (size_t)start > i + 6) {
		rl_attempted_completion_over = 0;	/* file names */
		return NULL;
	}
	rl_attempted_completion_over = 1;
	cand_free();
	cand = complete_candidates(in_tui->s, rl_line_buffer, (size_t)start,
	    text);
	m = rl_completion_matches(text, cand_gen);
	cand_free();
	return m;
}

/* A listing goes to the result line, never to the terminal. */
static void
show_matches(char **m, int n, int max)
{
	struct buf	b;
	int		i;

	(void)max;
	buf_init(&b);
	buf_printf(&b, "%d completions:", n);
	for (i = 1; i <= n; i++)
		buf_printf(&b, " %s", m[i]);
	tui_set_result(in_tui, b.s, b.len, false);
	buf_free(&b);
}

/* ---- Lines. ---- */

static void
on_line(char *line)
{
	const char	*p;

	if (line == NULL) {		/* Ctrl-D on an empty line */
		in_tui->quit = true;
		in_tui->status = 0;
		return;
	}
	for (p = line; *p == ' ' || *p == '\t'; p++)
		;
	if (*p != '\0')
		hist_add(line);
	in_run(in_tui, line);
	free(line);
}

void
tui_input_init(struct tui *t, void (*run)(struct tui *, const char *))
{
	in_tui = t;
	in_run = run;
	qhead = qlen = 0;
	hist_warned = false;
	rl_readline_name = "heapviz";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
#if RL_READLINE_VERSION >= 0x0603
	rl_change_environment = 0;
#endif
	rl_getc_function = in_getc;
	rl_input_available_hook = in_avail;
	rl_redisplay_function = in_redisplay;
	rl_prep_term_function = in_prep;
	rl_deprep_term_function = in_deprep;
	if (devnull == NULL)
		devnull = fopen("/dev/null", "w");
	rl_instream = stdin;
	rl_outstream = devnull != NULL ? devnull : stderr;
	rl_attempted_completion_function = complete;
	rl_completion_display_matches_hook = show_matches;
	rl_basic_word_break_characters = " \t=";
	rl_initialize();
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("show-all-if-ambiguous", "on");
	rl_variable_bind("enable-bracketed-paste", "off");
	rl_bind_keyseq("\033[3~", rl_delete);
	using_history();
	stifle_history(HISTORY_MAX);
	hist_open(t);
	rl_callback_handler_install(t->prompt, on_line);
}

void
tui_input_fini(struct tui *t)
{
	(void)t;
	rl_callback_handler_remove();
	if (hist_path != NULL && !hist_warned)
		history_truncate_file(hist_path, HISTORY_MAX);
	free(hist_path);
	hist_path = NULL;
	cand_free();
	clear_history();
	if (devnull != NULL) {
		rl_outstream = NULL;
		fclose(devnull);
		devnull = NULL;
	}
	in_tui = NULL;
	in_run = NULL;
}

bool
tui_input_empty(void)
{
	return rl_end == 0 && !RL_ISSTATE(RL_STATE_ISEARCH |
	    RL_STATE_NSEARCH | RL_STATE_NUMERICARG | RL_STATE_MULTIKEY |
	    RL_STATE_METANEXT);
}

bool
tui_input_searching(void)
{
	return RL_ISSTATE(RL_STATE_ISEARCH | RL_STATE_NSEARCH) != 0;
}

void
tui_input_cancel(struct tui *t)
{
	qlen = 0;
#if RL_READLINE_VERSION >= 0x0700
	rl_callback_sigcleanup();
#endif
	rl_callback_handler_remove();
	rl_callback_handler_install(t->prompt, on_line);
	using_history();
	tui_set_result(t, "", 0, false);
}

void
tui_input_key(struct tui *t, int ret, wint_t wc)
{
	char		 mb[MB_LEN_MAX];
	const char	*seq = NULL;
	mbstate_t	 ps;
	size_t		 n;

	if (ret == KEY_CODE_YES) {
		switch (wc) {
		case KEY_LEFT:
			seq = "\033[D";
			break;
		case KEY_RIGHT:
			seq = "\033[C";
			break;
		case KEY_UP:
			seq = "\033[A";
			break;
		case KEY_DOWN:
			seq = "\033[B";
			break;
		case KEY_HOME:
			seq = "\033[H";
			break;
		case KEY_END:
			seq = "\033[F";
			break;
		case KEY_DC:
			seq = "\033[3~";
			break;
		case KEY_BACKSPACE:
			seq = "\177";
			break;
		case KEY_ENTER:
			seq = "\r";
			break;
		default:
			return;		/* a key readline has no use for */
		}
		push(seq, strlen(seq));
	} else {
		memset(&ps, 0, sizeof ps);
		n = wcrtomb(mb, (wchar_t)wc, &ps);
		if (n == (size_t)-1)
			return;
		push(mb, n);
	}
	while (qlen > 0 && !t->quit)
		rl_callback_read_char();
}

/* The prompt line: prompt, then the part of the line around the cursor. */
void
tui_input_draw(struct tui *t)
{
	WINDOW		*w = t->input;
	const char	*pr = rl_display_prompt != NULL ? rl_display_prompt :
			    t->prompt;
	char		 pbuf[256];
	int		 pw, avail, cw = 0, off = 0, x, width;
	size_t		 i, k;
	mbstate_t	 ps;
	wchar_t		 wc;

	/* Drop readline's invisible-text markers. */
	for (i = 0, k = 0; pr[i] != '\0' && k + 1 < sizeof pbuf; i++)
		if (pr[i] != RL_PROMPT_START_IGNORE &&
		    pr[i] != RL_PROMPT_END_IGNORE)
			pbuf[k++] = pr[i];
	pbuf[k] = '\0';
	werase(w);
	wmove(w, 0, 0);
	wattrset(w, tui_attr(t, TS_TITLE));
	pw = tui_put(w, pbuf, t->cols - 8 > 0 ? t->cols - 8 : t->cols);
	wattrset(w, A_NORMAL);
	avail = t->cols - pw - 1;
	if (avail < 1)
		return;

	/* Columns before the cursor. */
	memset(&ps, 0, sizeof ps);
	for (i = 0; i < (size_t)rl_point && i < (size_t)rl_end; i += k) {
		k = mbrtowc(&wc, rl_line_buffer + i, (size_t)rl_end - i, &ps);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ps, 0, sizeof ps);
			k = 1;
			width = 1;
		} else if ((width = wcwidth(wc)) < 0)
			width = 1;
		cw += width;
	}
	if (cw >= avail)
		off = cw - avail + 1;

	/* Skip off columns, then draw what fits. */
	memset(&ps, 0, sizeof ps);
	x = 0;
	for (i = 0; i < (size_t)rl_end; i += k) {
		k = mbrtowc(&wc, rl_line_buffer + i, (size_t)rl_end - i, &ps);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ps, 0, sizeof ps);
			k = 1;
			wc = L'?';
		}
		if ((width = wcwidth(wc)) < 0) {
			wc = L'?';
			width = 1;
		}
		if (x < off) {
			x += width;
			continue;
		}
		if (x - off + width > avail)
			break;
		waddnwstr(w, &wc, 1);
		x += width;
	}
	wmove(w, 0, pw + cw - off);
}
