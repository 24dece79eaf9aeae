/*
 * main.c -- heapviz: options, batch mode, and choosing the interface.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "compare.h"
#include "engine.h"
#include "export.h"
#include "lesson.h"
#include "interp.h"
#include "model.h"
#include "recording.h"
#include "render.h"
#include "repl.h"
#include "history.h"
#include "session.h"
#include "snapshot.h"
#include "tui.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"
#endif

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: heapviz [OPTION]... [LESSON]\n"
"See how a heap allocator works: a model of dlmalloc 2.8.6 (or of glibc\n"
"2.36's ptmalloc2) on a simulated address space, driven by commands such\n"
"as `malloc 32` and `free p1`.\n"
"\n"
"With a terminal, heapviz starts full screen; otherwise it reads commands\n"
"from standard input and prints plain-text results.  A LESSON (a script, or\n"
"a name from `lessons`) is opened to be stepped through: `step`, `run`.\n"
"\n"
"  -b, --batch=FILE   run the commands in FILE (- for standard input)\n"
"  -j, --json         in batch mode, print one JSON object per command\n"
"  -e, --echo         in batch mode, print each command before its result\n"
"  -x, --explain      in batch mode, explain what the allocator did after\n"
"                     every step\n"
"  -p, --plain        a line-mode prompt instead of the full screen\n"
"  -r, --real         real mode: the allocator runs in a traced process on\n"
"                     its own brk and mmap (as `mode real`)\n"
"      --aslr         in real mode, keep address randomisation on\n"
"      --allocator=NAME  the allocator model: dlmalloc (the default) or\n"
"                     glibc (as `allocator NAME`; real mode: dlmalloc)\n"
"      --compare=A,B  run every step on both models A and B (dlmalloc,\n"
"                     glibc) and say per step where each placed the block\n"
"                     and the first step where they differ (as `compare`);\n"
"                     a LESSON argument is then a script run in batch\n"
"      --trace PROGRAM [ARGS]...\n"
"                     run PROGRAM to its end, then step through its malloc\n"
"                     calls and brk/mmap system calls (the last option:\n"
"                     everything after it is the program's)\n"
"      --export=FILE  after the batch (or a LESSON run to its end, or a\n"
"                     trace), write FILE.svg (the last step) or FILE.html\n"
"                     (every step, one self-contained page); no full screen\n"
"      --theme=THEME  light (the default) or dark, for --export\n"
"      --no-color     no colours on the full screen (also NO_COLOR)\n"
"      --ascii        ASCII line drawing on the full screen\n"
"  -h, --help         show this help and exit\n"
"  -V, --version      show the version and exit\n"
"\n"
"Type `help` inside heapviz for the commands; heapviz(1) has the details.\n"
"The exit status is 0 when every command succeeded, 1 when one failed,\n"
"2 for a usage error.\n");
}

/* --compare A,B: two different models. */
static int
parse_compare(const char *arg, const struct model_ops **cmp)
{
	const char	*comma = strchr(arg, ',');
	char		 a[32];
	size_t		 n = comma != NULL ? (size_t)(comma - arg) : 0;

	if (comma == NULL || n >= sizeof a) {
		fprintf(stderr, "heapviz: --compare: two models, as A,B (for "
		    "example --compare dlmalloc,glibc)\n"
		    "Try 'heapviz --help' for more information.\n");
		return -1;
	}
	memcpy(a, arg, n);
	a[n] = '\0';
	cmp[0] = model_find(a);
	cmp[1] = model_find(comma + 1);
	if (cmp[0] == NULL || cmp[1] == NULL) {
		fprintf(stderr, "heapviz: --compare: no model named %s "
		    "(dlmalloc or glibc)\n"
		    "Try 'heapviz --help' for more information.\n",
		    cmp[0] == NULL ? a : comma + 1);
		return -1;
	}
	if (cmp[0] == cmp[1]) {
		fprintf(stderr, "heapviz: --compare: %s against itself would "
		    "say nothing: name two different models\n"
		    "Try 'heapviz --help' for more information.\n", a);
		return -1;
	}
	return 0;
}

/* A traced program's progress, on stderr (a terminal), one line redrawn. */
static void
trace_progress(void *ctx, const char *line)
{
	(void)ctx;
	if (line != NULL)
		fprintf(stderr, "\r%s\033[K", line);
	else
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

struct batch {
	struct session	*s;
	bool		 json, echo, explain;
	bool		 compare;	/* --compare: --json says its steps */
	uint32_t	 step;		/* the step before the line ran */
	struct out_buf	 ob;		/* --json: one command's output */
	struct out_record rec;		/* --json: its structured result */
};

static void
batch_write(void *ctx, enum out_kind kind, const char *s, size_t n)
{
	struct batch	*b = ctx;

	if (b->json) {
		buf_add(kind == OUT_ERROR ? &b->ob.errors : &b->ob.text, s, n);
		return;
	}
	if (kind == OUT_ERROR) {
		fflush(stdout);
		fwrite(s, 1, n, stderr);
	} else
		fwrite(s, 1, n, stdout);
}

static void
batch_begin(void *ctx, unsigned line, const char *text)
{
	struct batch	*b = ctx;

	(void)line;
	b->step = history_step(b->s);
	if (b->json) {
		buf_reset(&b->ob.text);
		buf_reset(&b->ob.errors);
		out_record_reset(&b->rec);
		session_set_record(b->s, &b->rec);
	} else if (b->echo && text[0] != '\0')
		printf("heapviz> %s\n", text);
}

/*
 * --json's structured part: why a refused line was refused, the step and
 * the break after it, the system calls its steps made, what the command
 * recorded of its result, and state --json's object.
 */
static void
batch_json_result(struct batch *b, struct buf *j, const char *text,
    enum session_status st)
{
	struct snapshot	*snap = snapshot_take(b->s);
	const char	*kind = NULL;

	if (st == SESSION_ERROR) {
		kind = b->rec.kind;
		if (kind == NULL)
			kind = cmd_refusal_kind(b->s, text);
		if (kind == NULL)
			kind = "refused";
	}
	buf_printf(j, ",\"kind\":");
	if (kind != NULL)
		buf_json_string(j, kind, strlen(kind));
	else
		buf_printf(j, "null");
	buf_printf(j, ",\"step\":%u,\"break\":%llu,\"syscalls\":",
	    snap->step, (unsigned long long)snap->brk);
	if (snap->step > b->step)
		render_json_syscalls(snap, b->step, j);
	else
		buf_printf(j, "[]");
	buf_printf(j, ",\"result\":{");
	if (b->rec.fields.len > 0)
		buf_add(j, b->rec.fields.s, b->rec.fields.len);
	buf_printf(j, "}");
	if (b->rec.state.len > 0) {
		buf_printf(j, ",\"state\":");
		buf_add(j, b->rec.state.s, b->rec.state.len);
	}
	snapshot_free(snap);
}

/*
 * --compare --json: an object for each step the line made, with both
 * models' results, in place of the line's own; what went wrong goes to
 * standard error as words.
 */
static void
batch_compare_json(struct batch *b, enum session_status st)
{
	struct compare	*c = compare_of(b->s);
	struct buf	 j;
	size_t		 from, to, i;

	if (st == SESSION_ERROR && b->ob.errors.len > 0) {
		fflush(stdout);
		fwrite(b->ob.errors.s, 1, b->ob.errors.len, stderr);
	}
	if (c == NULL)
		return;
	compare_last_said(c, &from, &to);
	buf_init(&j);
	for (i = from + 1; i <= to; i++) {
		buf_reset(&j);
		compare_json_step(c, i, &j);
		buf_addc(&j, '\n');
		fwrite(j.s, 1, j.len, stdout);
	}
	buf_free(&j);
}

static void
batch_end(void *ctx, unsigned line, const char *text, enum session_status st)
{
	struct batch	*b = ctx;
	struct buf	 j;

	if (b->explain && history_step(b->s) != b->step &&
	    st != SESSION_QUIT) {
		struct snapshot	*snap = snapshot_take(b->s);
		struct out	 out = { batch_write, b };

		render_explain(snap, &out);
		snapshot_free(snap);
	}
	if (!b->json)
		return;
	session_set_record(b->s, NULL);
	if (b->compare) {
		batch_compare_json(b, st);
		return;
	}
	buf_init(&j);
	buf_printf(&j, "{\"line\":%u,\"command\":", line);
	buf_json_string(&j, text, strlen(text));
	buf_printf(&j, ",\"ok\":%s,\"output\":", st == SESSION_ERROR ?
	    "false" : "true");
	buf_json_string(&j, b->ob.text.s ? b->ob.text.s : "", b->ob.text.len);
	buf_printf(&j, ",\"error\":");
	if (b->ob.errors.len > 0)
		buf_json_string(&j, b->ob.errors.s, b->ob.errors.len);
	else
		buf_printf(&j, "null");
	batch_json_result(b, &j, text, st);
	buf_printf(&j, "}\n");
	fwrite(j.s, 1, j.len, stdout);
	buf_free(&j);
}

static int
run_batch(struct session *s, const char *path, bool json, bool echo,
    bool explain)
{
	struct batch		 b = { .s = s, .json = json, .echo = echo,
				     .explain = explain,
				     .compare = compare_of(s) != NULL };
	struct interp_hooks	 hooks = { batch_begin, batch_end, &b };
	struct out		 out = { batch_write, &b };
	enum session_status	 st;
	FILE			*f;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "heapviz: cannot open %s: %s\n", path,
		    strerror(errno));
		return 1;
	}
	out_buf_init(&b.ob);
	out_record_init(&b.rec);
	st = interp_source_stream(s, f, strcmp(path, "-") == 0 ? "stdin" :
	    path, &out, &hooks);
	out_buf_free(&b.ob);
	out_record_free(&b.rec);
	if (f != stdin)
		fclose(f);
	/* --compare's last word: where the two first parted. */
	if (b.compare && !json && compare_of(s) != NULL) {
		compare_sync(compare_of(s), s);
		compare_say_status(compare_of(s), &out);
	}
	return st == SESSION_ERROR ? 1 : 0;
}

/*
 * --export: run the batch, or the lesson to its end (pauses and all, so a
 * page of a lesson has every step), then write the file.
 */
static int
run_export(struct session *s, const char *file, enum export_theme theme,
    const char *batch, bool json, bool echo, bool explain)
{
	struct batch	 b = { .s = s };
	struct out	 out = { batch_write, &b };
	bool		 paused;
	int		 status = 0;

	if (batch != NULL)
		status = run_batch(s, batch, json, echo, explain);
	else
		while (session_lesson(s) != NULL &&
		    lesson_step(s, &out_null, &paused))
			;
	if (export_file(s, file, SIZE_MAX, theme, &out) != 0)
		status = 1;
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "batch", required_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "echo", no_argument, NULL, 'e' },
		{ "explain", no_argument, NULL, 'x' },
		{ "plain", no_argument, NULL, 'p' },
		{ "real", no_argument, NULL, 'r' },
		{ "aslr", no_argument, NULL, 'R' },
		{ "allocator", required_argument, NULL, 'L' },
		{ "compare", required_argument, NULL, 'M' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "no-colour", no_argument, NULL, 'C' },
		{ "ascii", no_argument, NULL, 'A' },
		{ "export", required_argument, NULL, 'E' },
		{ "theme", required_argument, NULL, 'T' },
		{ "quiet-output", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*batch = NULL, *export = NULL, *theme_arg = NULL;
	const struct model_ops *model = NULL, *cmp[2] = { NULL, NULL };
	enum export_theme theme = EXPORT_LIGHT;
	bool		 json = false, echo = false, plain = false;
	bool		 explain = false;
	bool		 color = true, ascii = false;
	bool		 real = false, aslr = false;
	unsigned	 trace_flags = 0;
	struct session	*s;
	char		**trace = NULL;
	int		 c, i, status;

	/* Everything after --trace belongs to the program traced. */
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--trace") == 0) {
			trace = &argv[i + 1];
			argc = i;
			break;
		}
	}
	if (trace != NULL && *trace == NULL) {
		fprintf(stderr, "heapviz: --trace needs a program to run\n"
		    "Try 'heapviz --help' for more information.\n");
		return 2;
	}
	while ((c = getopt_long(argc, argv, "b:jexprhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			batch = optarg;
			/* "--batch --json": getopt took the option as FILE. */
			if (strncmp(optarg, "--", 2) == 0 && optarg[2] != '\0') {
				fprintf(stderr, "heapviz: --batch needs a FILE "
				    "(or - for standard input) before other "
				    "options; it got %s\n"
				    "Try 'heapviz --help' for more "
				    "information.\n", optarg);
				return 2;
			}
			break;
		case 'j':
			json = true;
			break;
		case 'e':
			echo = true;
			break;
		case 'x':
			explain = true;
			break;
		case 'p':
			plain = true;
			break;
		case 'r':
			real = true;
			break;
		case 'R':
			aslr = true;
			break;
		case 'L':
			if ((model = model_find(optarg)) == NULL) {
				fprintf(stderr, "heapviz: --allocator: no model "
				    "named %s (dlmalloc or glibc)\n"
				    "Try 'heapviz --help' for more "
				    "information.\n", optarg);
				return 2;
			}
			break;
		case 'M':
			if (parse_compare(optarg, cmp) != 0)
				return 2;
			break;
		case 'C':
			color = false;
			break;
		case 'A':
			ascii = true;
			break;
		case 'E':
			export = optarg;
			break;
		case 'T':
			theme_arg = optarg;
			break;
		case 'Q':
			trace_flags |= RECORDING_QUIET_OUTPUT;
			break;
		case 'h':
			usage(stdout);
			return fflush(stdout) != 0 || ferror(stdout) ? 1 : 0;
		case 'V':
			printf("heapviz %s\n"
			    "Teaching models of dlmalloc 2.8.6 and of glibc "
			    "2.36's malloc; not copies of them.\n",
			    PACKAGE_VERSION);
			return fflush(stdout) != 0 || ferror(stdout) ? 1 : 0;
		default:
			fprintf(stderr, "Try 'heapviz --help' for more "
			    "information.\n");
			return 2;
		}
	}
	if (optind + 1 < argc) {
		fprintf(stderr, "heapviz: one lesson at a time: %s is one too "
		    "many\nTry 'heapviz --help' for more information.\n",
		    argv[optind + 1]);
		return 2;
	}
	if (getenv("NO_COLOR") != NULL && *getenv("NO_COLOR") != '\0')
		color = false;

	if (trace != NULL && (optind < argc || real)) {
		fprintf(stderr, "heapviz: a trace is a session of its own: not "
		    "with %s\nTry 'heapviz --help' for more information.\n",
		    real ? "--real" : "a lesson");
		return 2;
	}
	if (trace_flags != 0 && trace == NULL) {
		fprintf(stderr, "heapviz: --quiet-output is for --trace (or "
		    "the trace command's own --quiet-output)\n"
		    "Try 'heapviz --help' for more information.\n");
		return 2;
	}
	if (theme_arg != NULL) {
		struct out	err = { batch_write, &(struct batch){ .s = NULL } };

		if (export == NULL) {
			fprintf(stderr, "heapviz: --theme is for --export\n"
			    "Try 'heapviz --help' for more information.\n");
			return 2;
		}
		if (export_parse_theme(theme_arg, &theme, "heapviz: --theme",
		    &err) != 0)
			return 2;
	}
	if (cmp[0] != NULL && (real || trace != NULL)) {
		fprintf(stderr, "heapviz: --compare runs simulated heaps: not "
		    "with %s\nTry 'heapviz --help' for more information.\n",
		    real ? "--real" : "--trace");
		return 2;
	}
	if (cmp[0] != NULL && optind < argc && batch != NULL) {
		fprintf(stderr, "heapviz: --compare runs one script: %s or "
		    "--batch %s, not both\nTry 'heapviz --help' for more "
		    "information.\n", argv[optind], batch);
		return 2;
	}
	if (aslr && !real) {
		fprintf(stderr, "heapviz: --aslr is for real mode: add --real\n"
		    "Try 'heapviz --help' for more information.\n");
		return 2;
	}
	if (model != NULL && real && model->adopt == NULL && !model->libc) {
		fprintf(stderr, "heapviz: real mode runs the dlmalloc model; "
		    "--allocator %s is simulated only\n", model->short_name);
		return 2;
	}
	s = session_create();
	if (model != NULL && model != session_model(s)->ops) {
		struct out	err = { batch_write, &(struct batch){ .s = s } };

		if (session_set_model(s, model, &err) != 0) {
			session_destroy(s);
			return 1;
		}
	}
	/* While a traced program runs: a progress line on a terminal. */
	if (isatty(STDERR_FILENO)) {
		static const struct recording_feedback	fb = {
			.progress = trace_progress,
		};

		recording_set_feedback(&fb);
	}
	if (real) {
		struct batch	 b = { .s = s };
		struct out	 err = { batch_write, &b };

		if (session_set_mode(s, &engine_real, aslr, &err) != 0) {
			session_destroy(s);
			return 1;
		}
	}
	if (trace != NULL) {
		/* With --json, what trace says is one object too (line 0). */
		struct batch	 b = { .s = s, .json = json };
		struct out	 out = { batch_write, &b };
		struct buf	 line;
		int		 r;

		out_buf_init(&b.ob);
		out_record_init(&b.rec);
		buf_init(&line);
		buf_printf(&line, "trace");
		for (i = 0; trace[i] != NULL; i++)
			buf_printf(&line, " %s", trace[i]);
		r = recording_trace(s, trace, trace_flags, &out);
		batch_end(&b, 0, line.s, r == 0 ? SESSION_OK : SESSION_ERROR);
		buf_free(&line);
		out_buf_free(&b.ob);
		out_record_free(&b.rec);
		if (r != 0) {
			session_destroy(s);
			return 1;
		}
	}
	if (cmp[0] != NULL) {
		struct out	err = { batch_write, &(struct batch){ .s = s } };

		if (compare_start(s, cmp[0], cmp[1], &err) != 0) {
			session_destroy(s);
			return 1;
		}
		/* The script is run, not opened as a lesson. */
		if (optind < argc)
			batch = argv[optind++];
	}
	if (optind < argc) {
		struct out	err = { batch_write, &(struct batch){ .s = s } };

		if (lesson_open(s, argv[optind], &err) != 0) {
			session_destroy(s);
			return 1;
		}
	}
	if (batch == NULL && (json || !isatty(STDIN_FILENO)) &&
	    (export == NULL || (session_lesson(s) == NULL && trace == NULL)))
		batch = "-";
	if (export != NULL)
		status = run_export(s, export, theme, batch, json, echo,
		    explain);
	else if (batch != NULL)
		status = run_batch(s, batch, json, echo, explain);
	else if (!plain && isatty(STDOUT_FILENO)) {
		struct tui_opts	o = { .color = color, .ascii = ascii };

		status = tui_run(s, &o);
		if (status == TUI_UNAVAILABLE)
			status = repl_run(s);
	} else
		status = repl_run(s);
	session_destroy(s);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "heapviz: write error on standard output: %s\n",
		    strerror(errno ? errno : EIO));
		return 1;
	}
	return status;
}
