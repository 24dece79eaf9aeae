/*
 * cmd-printf.c -- printf "text": the program's first use of stdio.
 *
 * The first printf makes libc's own allocator (a second allocator in the
 * same process) allocate: glibc 2.26 and later first set up the thread's
 * tcache (a 0x290-byte chunk), and finding no heap yet it extends the break
 * by that chunk plus its 128 KiB top pad plus a minimum chunk, rounded up to
 * a page: 0x290 + 0x20000 + 0x20 -> 0x21000.  The stdout buffer then comes
 * out of that top.  If the break is not 16-byte aligned, glibc skips to the
 * next 16 bytes, and it asks for more to end on a page boundary, as its
 * sysmalloc does.  Later printfs reuse the buffer and move nothing.
 */
#include <stdint.h>
#include <stdio.h>

#include "cmd.h"
#include "history.h"
#include "engine.h"

#define X(v) ((unsigned long long)(v))

#define GLIBC_TCACHE_CHUNK	0x290
#define GLIBC_TOP_PAD		0x20000
#define GLIBC_MINSIZE		0x20
/* What glibc's stdio asks for stdout's buffer on a pipe or a file (its
 * st_blksize; BUFSIZ's 1024 where the block size is not known). */
#define STDOUT_BUFFER		1024
/* The buffer's name: not one a command can type, so it stays libc's. */
#define STDOUT_BUFFER_NAME	"libc:stdout"

/*
 * A model that is libc's own malloc: stdout's buffer is malloc'ed from it,
 * so the first printf is the model at work (on a fresh glibc heap: the
 * tcache struct, the buffer's chunk and the 128 KiB top pad, page-rounded:
 * 0x21000).  The buffer is bound to a name no command can type.
 */
static enum session_status
printf_model(struct cmd_ctx *c, const char *text, size_t len)
{
	struct session	*s = c->s;
	uint64_t	 old = memsrc_break(session_memsrc(s)), now, mem;
	void		*p;
	struct buf	 line;

	history_begin(s, false, "printf (libc stdio buffer)");
	p = session_malloc(s, STDOUT_BUFFER);
	if (p == NULL) {
		out_kprintf(c->out, OUT_ERROR, "printf: libc's malloc(%d) for "
		    "stdout's buffer failed; printf fails\n", STDOUT_BUFFER);
		history_abort(s);
		return SESSION_ERROR;
	}
	mem = session_disp(s, p);
	session_bind(s, STDOUT_BUFFER_NAME, mem, STDOUT_BUFFER);
	session_set_stdio_ready(s);
	now = memsrc_break(session_memsrc(s));
	out_write(c->out, OUT_PROGRAM, text, len);
	buf_init(&line);
	buf_printf(&line, "%sprintf: first use of stdout: libc's malloc(%d) "
	    "for its buffer = 0x%llx (%s)", len && text[len - 1] == '\n' ?
	    "" : "\n", STDOUT_BUFFER, X(mem), STDOUT_BUFFER_NAME);
	if (now != old)
		buf_printf(&line, "; the break moved from 0x%llx to 0x%llx "
		    "(+0x%llx)", X(old), X(now), X(now - old));
	buf_add(&line, " (`explain` says why)\n", 22);
	out_write(c->out, OUT_TEXT, line.s, line.len);
	buf_free(&line);
	cmd_explain_step(c);
	return SESSION_OK;
}

/*
 * Real mode: the subject calls the real printf("%s", TEXT), and the log
 * shows what libc's malloc did about it, from the kernel's side.
 */
static enum session_status
printf_real(struct cmd_ctx *c, const char *text, size_t len)
{
	struct session	*s = c->s;
	uint64_t	 old = memsrc_break(session_memsrc(s)), now;
	bool		 first = !session_stdio_ready(s);
	int64_t		 r;

	history_begin(s, true, "printf (libc%s)", first ? " stdio buffer" :
	    "");
	r = session_printf_real(s, text, len, c->out);
	if (r < 0 && session_death(s) != NULL)
		return SESSION_ERROR;		/* said by the session */
	session_set_stdio_ready(s);
	now = memsrc_break(session_memsrc(s));
	if (len == 0 || text[len - 1] != '\n')
		out_printf(c->out, "\n");
	if (now > old) {
		/* libc's own heap, unless the model is libc's malloc itself
		 * (real mode on glibc): then it is the model's heap. */
		if (!session_model(s)->ops->libc)
			session_add_foreign(s, old, now,
			    "libc heap (stdout buffer)");
		out_printf(c->out, "printf: %slibc's malloc moved the break "
		    "from 0x%llx to 0x%llx (+0x%llx)%s; the brk calls in the "
		    "log are libc's own\n", first ? "first use of stdout: " :
		    "", X(old), X(now), X(now - old), first ? " for its "
		    "tcache and stdout's buffer" : "");
	} else
		out_printf(c->out, "printf: the break stays at 0x%llx%s\n",
		    X(now), first ? " (libc found room without moving it)" :
		    ": stdout's buffer exists already");
	cmd_explain_step(c);
	return SESSION_OK;
}

static enum session_status
cmd_printf_exec(struct cmd_ctx *c)
{
	struct session	*s = c->s;
	const char	*text = c->argv[0];
	uint64_t	 old, size, start, end, correction = 0;

	if (session_engine(s)->caps & ENGINE_PROCESS)
		return printf_real(c, text, cmd_word_len(text));
	if (session_stdio_ready(s)) {
		out_write(c->out, OUT_PROGRAM, text, cmd_word_len(text));
		out_printf(c->out, "%sprintf: stdout's buffer exists already; "
		    "the break stays at 0x%llx\n",
		    cmd_word_len(text) && text[cmd_word_len(text) - 1] == '\n' ?
		    "" : "\n", X(memsrc_break(session_memsrc(s))));
		return SESSION_OK;
	}
	if (session_model(s)->ops->libc)
		return printf_model(c, text, cmd_word_len(text));
	old = memsrc_break(session_memsrc(s));
	size = (GLIBC_TCACHE_CHUNK + GLIBC_TOP_PAD + GLIBC_MINSIZE +
	    SIM_PAGE_SIZE - 1) & ~(uint64_t)(SIM_PAGE_SIZE - 1);
	history_begin(s, true, "printf (libc stdio buffer)");
	if (memsrc_sbrk(session_memsrc(s), (intptr_t)size) == MEMSRC_FAIL) {
		out_kprintf(c->out, OUT_ERROR, "printf: libc's malloc could not "
		    "extend the break (the simulated heap is full); printf "
		    "fails\n");
		return SESSION_ERROR;
	}
	start = old;
	if (start & 15) {
		correction = 16 - (start & 15);
		start += correction;
	}
	end = old + size + correction;
	if (end & (SIM_PAGE_SIZE - 1))
		correction += SIM_PAGE_SIZE - (end & (SIM_PAGE_SIZE - 1));
	if (correction > 0)
		memsrc_sbrk(session_memsrc(s), (intptr_t)correction);
	end = memsrc_break(session_memsrc(s));
	session_add_foreign(s, old, end, "libc heap (stdout buffer)");
	session_set_stdio_ready(s);
	out_write(c->out, OUT_PROGRAM, text, cmd_word_len(text));
	out_printf(c->out, "%sprintf: first use of stdout: libc's malloc moved "
	    "the break from 0x%llx to 0x%llx (+0x%llx) for its tcache and "
	    "stdout's buffer\n", cmd_word_len(text) &&
	    text[cmd_word_len(text) - 1] == '\n' ? "" : "\n", X(old), X(end),
	    X(end - old));
	cmd_explain_step(c);
	return SESSION_OK;
}

const struct cmd_entry cmd_printf_entry = {
	.name = "printf",
	.usage = "\"TEXT\"",
	.summary = "print TEXT; the first printf makes libc's malloc move the "
	    "break",
	.help = "Prints TEXT (escapes such as \\n work; format directives "
	    "are not expanded).\nThe first use of stdio makes libc's own "
	    "allocator take a stdout buffer: the\nbreak moves by 0x21000 "
	    "(its tcache, 0x290, plus glibc's 128 KiB top pad and\na minimum "
	    "chunk, rounded up to a page).  Our allocator then finds the "
	    "break\nmoved and starts a new segment above libc's heap.  With "
	    "the glibc model,\nthat allocator is the model itself: the buffer "
	    "is its malloc(1024), shown as\nthe chunk libc:stdout.",
	.args_min = 1,
	.args_max = 1,
	.exec = cmd_printf_exec,
};
