/*
 * cmd-trace.c -- trace PROGRAM [ARGS...]: run a real program and step
 * through what it did to its memory (recording-run.c and recording.c do
 * the work).
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "recording.h"
#include "xmalloc.h"

static enum session_status
cmd_trace_exec(struct cmd_ctx *c)
{
	char		**argv = xcalloc((size_t)c->argc + 1, sizeof *argv);
	int		  i, first = 0, r;
	unsigned	  flags = 0;

	if (strcmp(c->argv[0], "--quiet-output") == 0) {
		flags |= RECORDING_QUIET_OUTPUT;
		first = 1;
	}
	if (first >= c->argc) {
		out_kprintf(c->out, OUT_ERROR, "trace: --quiet-output needs a "
		    "program to run\n");
		free(argv);
		return SESSION_ERROR;
	}
	for (i = first; i < c->argc; i++)
		argv[i - first] = c->argv[i];
	r = recording_trace(c->s, argv, flags, c->out);
	free(argv);
	return r == 0 ? SESSION_OK : SESSION_ERROR;
}

const struct cmd_entry cmd_trace_entry = {
	.name = "trace",
	.usage = "[--quiet-output] PROGRAM [ARGS...]",
	.summary = "run a real program; step through its malloc calls and "
	    "brk/mmap",
	.help = "Runs PROGRAM (searched in PATH when it has no slash) to its "
	    "end under\nptrace, with heapviz's preload library in it, and "
	    "records in order every\nbrk, mmap, munmap and mremap system call "
	    "it makes (the kernel's arguments\nand result: the raw brk returns "
	    "the new break) and every malloc, calloc,\nrealloc, free, "
	    "posix_memalign, memalign, aligned_alloc, valloc and pvalloc\ncall "
	    "(with the size, the address returned and the chunk it landed in), "
	    "as\nwell as its own sbrk and brk calls.  The recording becomes the "
	    "session:\nstep k is the first k events, so back, forward, goto N "
	    "and history move\nthrough it, and heap, map, log, show NAME and "
	    "state --json show the\nprogram's break, blocks (named p1, p2... in "
	    "the order they were made;\nfreed ones dangling) and memory map at "
	    "that step.  The log names the call\nthat caused each system call "
	    "(\"malloc(1024) by libc's stdio buffer\n(printf)\"), or the "
	    "program itself and ld.so outside any malloc call.\nChunk headers "
	    "are as they were when the call returned.\n\nThe program's standard "
	    "input is /dev/null; its standard output and error\nare kept apart "
	    "and shown after the run (--quiet-output drops them).\nWhile it "
	    "runs a line shows the events so far; Ctrl-C stops it (SIGINT,\n"
	    "then SIGKILL 2 s later) and keeps what it did.  Only brk, mmap, "
	    "munmap,\nmremap and execve stop it (a seccomp filter); the malloc "
	    "calls come\nthrough shared memory, each with its thread (lines of "
	    "threads other than\nthe first say [thread TID]).\n\nThe glibc 2.36 model replays the "
	    "main arena's calls from the program's\nown initial break and "
	    "mappings and compares every address: the summary\nsays \"placed N "
	    "of N calls at the real addresses\", or where it first\ndiverged "
	    "and the likely why (state --json: \"model\").  Up to there bins,"
	    "\nexplain, check and heap show the model's heap, which is the "
	    "program's;\nother threads' blocks are marked with their thread.  "
	    "Commands that would\nchange the heap are refused in a trace; "
	    "`reset` leaves it for a fresh heap\nof the mode it was started "
	    "in, `mode sim` for a fresh simulated heap.\n"
	    "Where ptrace is not permitted (or HEAPVIZ_NO_PTRACE=1), the "
	    "program runs\nuntraced: the malloc calls are still recorded, the "
	    "break is read from libc\nat each of them, and the map from /proc "
	    "before main and at exit.",
	.args_min = 1,
	.args_max = -1,
	.flags = CMD_ON_TRACE,
	.exec = cmd_trace_exec,
};
