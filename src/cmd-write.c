/* cmd-write.c -- write NAME [OFFSET] "text": put bytes in a block. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "history.h"
#include "engine.h"

static void
state_of(void *ctx, const struct model_chunk *c)
{
	*(enum model_chunk_state *)ctx = c->state;
}

/*
 * Shared with fill: copy len bytes to the block's mem + off, anywhere in
 * memory the simulation owns, and say what the bytes landed on.
 */
enum session_status
cmd_put_bytes(struct cmd_ctx *c, struct binding *b, size_t off,
    const void *bytes, size_t len, const char *verb)
{
	struct session	*s = c->s;
	struct model	*m = session_model(s);
	uint64_t	 dst = b->mem + off;
	size_t		 usable;
	char		*host;

	if (off > SIM_HEAP_MAX || dst < b->mem) {
		out_kprintf(c->out, OUT_ERROR, "%s: offset %zu is far outside "
		    "any block\n", verb, off);
		return SESSION_ERROR;
	}
	if (b->mem == 0) {
		out_kprintf(c->out, OUT_ERROR, "%s: %s is NULL: writing through "
		    "it would crash the program (SIGSEGV)\n", verb, b->name);
		return SESSION_ERROR;
	}
	host = session_host(s, dst, len);
	if (host == NULL && (session_engine(s)->caps & ENGINE_PROCESS)) {
		/* Real mode: no guard; the subject really writes there. */
		out_kprintf(c->out, OUT_NOTE, "note: bytes 0x%llx..0x%llx are "
		    "not all in memory the heap has mapped; in real mode the "
		    "subject writes them anyway\n", (unsigned long long)dst,
		    (unsigned long long)(dst + len));
	} else if (host == NULL) {
		out_kprintf(c->out, OUT_ERROR, "%s: bytes 0x%llx..0x%llx are "
		    "not all in mapped memory; a real program would crash "
		    "here (SIGSEGV)\n", verb, (unsigned long long)dst,
		    (unsigned long long)(dst + len));
		return SESSION_ERROR;
	}
	history_begin(s, false, "%s %s", verb, b->name);
	if (session_poke(s, dst, bytes, len) != 0)
		return SESSION_ERROR;	/* real mode: the subject died */
	out_printf(c->out, "%s %zu byte%s at 0x%llx (%s+%zu)\n",
	    strcmp(verb, "fill") == 0 ? "filled" : "wrote", len,
	    len == 1 ? "" : "s", (unsigned long long)dst, b->name, off);
	if (!b->live)
		out_kprintf(c->out, OUT_NOTE, "note: %s was freed: this is a "
		    "use after free; the bytes may overwrite the free chunk's "
		    "links\n", b->name);
	usable = b->live ? m->ops->usable_size(m, session_host(s, b->mem, 1)) :
	    b->request;
	if (b->live && usable == 0) {
		/*
		 * The block's own header does not read as an in-use chunk:
		 * something overwrote it.  Go by what the allocator gave for
		 * the request: the header plus the request, rounded up to
		 * 16, at least 32 bytes.
		 */
		const uint64_t	*head = session_host(s, b->mem - 8, 8);
		size_t		 chunk = (b->request + 8 + 15) & ~(size_t)15;

		if (chunk < 32)
			chunk = 32;
		usable = chunk - 8;
		out_kprintf(c->out, OUT_NOTE, "note: %s's own header at 0x%llx "
		    "is damaged", b->name, (unsigned long long)(b->mem - 8));
		if (head != NULL)
			out_kprintf(c->out, OUT_NOTE, " (head 0x%llx)",
			    (unsigned long long)*head);
		out_kprintf(c->out, OUT_NOTE, ", so the allocator cannot tell "
		    "its size (`show %s`, `check`)", b->name);
		if (off + len > usable)
			out_kprintf(c->out, OUT_NOTE, "; going by the %zu bytes "
			    "asked for, the write runs %zu byte%s past its "
			    "end, over the next chunk's header at 0x%llx\n",
			    b->request, off + len - usable, off + len -
			    usable == 1 ? "" : "s",
			    (unsigned long long)(b->mem + usable));
		else
			out_kprintf(c->out, OUT_NOTE, "\n");
	} else if (b->live && off + len > usable) {
		void			*ch = session_host(s, b->mem - 16, 16);
		enum model_chunk_state	 st = MODEL_CHUNK_INUSE;
		bool			 mapped;
		uint64_t		 next;

		/* A mapped chunk has 16 bytes of header and ends in
		 * fenceposts, not in a next chunk: the model's walk says
		 * which it is. */
		if (ch != NULL)
			m->ops->walk_from(m, ch, 1, state_of, &st);
		mapped = st == MODEL_CHUNK_MMAPPED;
		next = b->mem - 16 + usable + (mapped ? 16 : 8);

		out_kprintf(c->out, OUT_NOTE, "note: that runs %zu byte%s past "
		    "the end of %s (%zu usable bytes)", off + len - usable,
		    off + len - usable == 1 ? "" : "s", b->name, usable);
		if (mapped && dst + len > next)
			out_kprintf(c->out, OUT_NOTE, ": over the fenceposts at "
			    "the end of its mapping, at 0x%llx%s\n",
			    (unsigned long long)next, dst + len > next + 32 ?
			    ", and past the mapping into the memory after it" :
			    "");
		else if (dst + len > next)
			out_kprintf(c->out, OUT_NOTE, ": the next chunk's "
			    "header at 0x%llx is overwritten (`show`, `dump` "
			    "and `check` show the damage)\n",
			    (unsigned long long)next);
		else
			out_kprintf(c->out, OUT_NOTE, "\n");
	} else if (b->live && off + len > b->request)
		out_kprintf(c->out, OUT_NOTE, "note: past the %zu bytes asked "
		    "for, but inside the chunk's padding\n", b->request);
	return SESSION_OK;
}

static enum session_status
cmd_write_exec(struct cmd_ctx *c)
{
	struct binding	*b;
	const char	*text;
	size_t		 off = 0;

	if ((b = cmd_get_name(c, c->argv[0])) == NULL)
		return SESSION_ERROR;
	if (c->argc == 3) {
		if (cmd_parse_size(c, c->argv[1], "offset", &off) != 0)
			return SESSION_ERROR;
		text = c->argv[2];
	} else
		text = c->argv[1];
	return cmd_put_bytes(c, b, off, text, cmd_word_len(text), "write");
}

const struct cmd_entry cmd_write_entry = {
	.name = "write",
	.usage = "NAME [OFFSET] \"TEXT\"",
	.summary = "write bytes into a block (past its end too)",
	.help = "Copies TEXT into the block NAME at OFFSET (default 0).  "
	    "Escapes work inside\nthe quotes: \\n \\t \\0 \\\\ \\\" \\xHH.  "
	    "Writing past the end of the block is\nallowed, to show what an "
	    "overflow does to the next chunk's header; it stays\ninside the "
	    "simulated memory.  Writing through a freed name is a use after\n"
	    "free, and is allowed too.",
	.args_min = 2,
	.args_max = 3,
	.flags = CMD_NAME_ARG,
	.exec = cmd_write_exec,
};
