/* cmd-dump.c -- dump NAME | dump 0xADDR LEN: a hex dump, headers marked. */
#include <ctype.h>
#include <stdio.h>

#include "cmd.h"
#include "render.h"

#define DUMP_MAX	65536

static enum session_status
cmd_dump_exec(struct cmd_ctx *c)
{
	struct session		*s = c->s;
	struct snapshot		*snap;
	struct binding		*b;
	uint64_t		 addr, a;
	size_t			 len = 64, i;
	const unsigned char	*host;

	if (isdigit((unsigned char)c->argv[0][0])) {
		if (cmd_parse_addr(c, c->argv[0], &addr) != 0)
			return SESSION_ERROR;
		if (c->argc == 2 &&
		    cmd_parse_size(c, c->argv[1], "length", &len) != 0)
			return SESSION_ERROR;
	} else {
		const struct snap_chunk	*ch;

		if (c->argc == 2) {
			out_kprintf(c->out, OUT_ERROR, "dump: a length goes "
			    "with an address, not a name (usage: dump NAME | "
			    "dump 0xADDR [LEN])\n");
			return SESSION_ERROR;
		}
		if ((b = cmd_get_name(c, c->argv[0])) == NULL)
			return SESSION_ERROR;
		if (b->mem == 0) {
			out_kprintf(c->out, OUT_ERROR, "dump: %s is NULL\n",
			    b->name);
			return SESSION_ERROR;
		}
		/* The whole chunk: its header, then its payload. */
		addr = b->mem - 16;
		snap = snapshot_take(s);
		ch = snapshot_find(snap, addr);
		len = ch != NULL && ch->addr == addr && ch->size <= DUMP_MAX ?
		    ch->size : b->request + 16;
		snapshot_free(snap);
	}
	if (len == 0 || len > DUMP_MAX) {
		out_kprintf(c->out, OUT_ERROR, "dump: length %zu is out of range "
		    "(1 to %d)\n", len, DUMP_MAX);
		return SESSION_ERROR;
	}
	host = session_host(s, addr, len);
	if (host == NULL) {
		out_kprintf(c->out, OUT_ERROR, "dump: 0x%llx..0x%llx is not all "
		    "in mapped memory\n", (unsigned long long)addr,
		    (unsigned long long)(addr + len));
		return SESSION_ERROR;
	}
	snap = snapshot_take(s);
	for (i = 0; i < len; i += 16) {
		const struct snap_chunk	*ch;
		size_t			 j;

		a = addr + i;
		out_printf(c->out, "0x%llx ", (unsigned long long)a);
		for (j = 0; j < 16; j++) {
			if (i + j < len)
				out_printf(c->out, "%s%02x", j == 8 ? "  " : " ",
				    host[i + j]);
			else
				out_printf(c->out, "%s  ", j == 8 ? "  " : " ");
		}
		out_printf(c->out, "  |");
		for (j = 0; j < 16 && i + j < len; j++)
			out_printf(c->out, "%c", isprint(host[i + j]) ?
			    host[i + j] : '.');
		out_printf(c->out, "|");
		ch = snapshot_find(snap, a);
		if (ch != NULL && ch->addr == a) {
			char	fl[64] = "";

			if (snap->model != NULL)
				snap->model->flag_names(ch->head, " ", false, fl,
				    sizeof fl);
			out_printf(c->out, "  <- chunk: prev_foot, head (size "
			    "%llu%s)", (unsigned long long)(ch->head & ~7ULL),
			    fl);
			if (ch->name)
				out_printf(c->out, " %s%s", ch->name,
				    ch->dangling ? "~" : "");
		} else if (ch != NULL && ch->addr + 16 == a &&
		    ch->state == MODEL_CHUNK_FREE)
			out_printf(c->out, "  <- fd, bk");
		out_printf(c->out, "\n");
	}
	snapshot_free(snap);
	return SESSION_OK;
}

const struct cmd_entry cmd_dump_entry = {
	.name = "dump",
	.usage = "NAME | 0xADDR [LEN]",
	.summary = "hex dump of a chunk (header marked) or of memory",
	.help = "dump NAME shows the whole chunk NAME lives in, from its "
	    "header; dump 0xADDR LEN\nshows LEN bytes (default 64) from "
	    "ADDR.  Rows that begin a chunk are marked\nwith its header, "
	    "free chunks' links too.",
	.args_min = 1,
	.args_max = 2,
	.flags = CMD_READONLY | CMD_PAGE | CMD_NAME_ARG,
	.trace_refusal = "the program's memory is not recorded in a trace",
	.exec = cmd_dump_exec,
};
