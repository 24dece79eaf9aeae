/*
 * test-export.c -- the escapers every exported string goes through, and the
 * SVG renderer on a snapshot whose every string is hostile.
 *
 * The command language lets no markup into a name (names are C
 * identifiers), but the renderer must not rely on that: here names,
 * libc's regions, a trace's file names, the log's causes and the command
 * line hold markup, "]]>", quotes and invalid UTF-8, and the picture
 * must come out as text.  With an argument, the picture is also written
 * to that file (export.sh validates it with xmllint).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "export-svg.h"
#include "tap.h"
#include "xmalloc.h"

#define HOSTILE	"<script>x()</script></svg>]]><!--\"'&\xff\xc0\xaf\xed\xa0\x80"

static char *
xml(const char *s, size_t n)
{
	struct buf	b;

	buf_init(&b);
	export_xml_text(&b, s, n);
	buf_addc(&b, '\0');
	return b.s;
}

static char *
json(const char *s, size_t n)
{
	struct buf	b;

	buf_init(&b);
	export_json_string(&b, s, n);
	buf_addc(&b, '\0');
	return b.s;
}

/* Whether s is well-formed UTF-8 with no C0 control but tab and newline. */
static int
clean_utf8(const unsigned char *s)
{
	while (*s != '\0') {
		int	len = *s < 0x80 ? 1 : (*s & 0xe0) == 0xc0 ? 2 :
			    (*s & 0xf0) == 0xe0 ? 3 : (*s & 0xf8) == 0xf0 ? 4 : 0;

		if (len == 0 || (*s < 0x20 && *s != '\t' && *s != '\n'))
			return 0;
		for (int i = 1; i < len; i++)
			if ((s[i] & 0xc0) != 0x80)
				return 0;
		s += len;
	}
	return 1;
}

static void
escapers(void)
{
	char	*s;

	s = xml("<a href=\"x\">it's & ]]></a>", 26);
	is_s(s, "&lt;a href=&quot;x&quot;&gt;it&#39;s &amp; ]]&gt;&lt;/a&gt;",
	    "XML: markup, quotes, & and ]]> become entities");
	free(s);
	s = xml("caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80", 14);
	is_s(s, "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80",
	    "XML: valid UTF-8 passes");
	free(s);
	s = xml("a\xff" "b\xc0\xaf" "c\xed\xa0\x80" "d\xef\xbf\xbe" "e\xf4\x90"
	    "\x80\x80", 18);
	is_s(s, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd" "c\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd" "d\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "e\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	    "XML: stray, overlong, surrogate, U+FFFE, past U+10FFFF: U+FFFD");
	free(s);
	s = xml("x\x01y\x1b\x7fz\tq\n", 9);
	is_s(s, "x\xef\xbf\xbdy\xef\xbf\xbd\xef\xbf\xbdz\tq\n",
	    "XML: control characters XML forbids become U+FFFD");
	free(s);
	s = xml("a\0b", 3);
	is_s(s, "a\xef\xbf\xbd" "b", "XML: a NUL byte too");
	free(s);
	s = xml("abc\xe2\x86", 5);
	is_s(s, "abc\xef\xbf\xbd\xef\xbf\xbd", "XML: a character cut short");
	free(s);

	s = json("</script><!--\"\\&\n\t\x01\xff\xe2\x86\x92", 23);
	is_s(s, "\"\\u003c/script\\u003e\\u003c!--\\\"\\\\\\u0026\\n\\t"
	    "\\u0001\\ufffd\xe2\x86\x92\"",
	    "JSON: < > & as \\u escapes, quotes, controls, bad bytes");
	ok(strchr(s, '<') == NULL && strchr(s, '>') == NULL,
	    "JSON: no < or > left to end a script element");
	free(s);
}

/* The default model's small bins, found by name. */
static int
small_class(void)
{
	int	i;

	for (i = 1; i < model_dlmalloc.nclasses; i++)
		if (strcmp(model_dlmalloc.classes[i].key, "small") == 0)
			return i;
	return 0;
}

static void
hostile_svg(const char *path)
{
	struct snapshot		 snap;
	struct snap_chunk	 ch[4];
	struct snap_bin		 bin;
	struct mapping		 maps[2];
	const char		*mapnames[2] = { HOSTILE, NULL };
	struct snap_foreign	 fo;
	struct sysevent		 ev;
	uint64_t		 link = 0x555555559030;
	struct buf		 b;
	FILE			*f;

	memset(&snap, 0, sizeof snap);
	snap.model = &model_dlmalloc;
	memset(ch, 0, sizeof ch);
	ch[0].addr = 0x555555559000;
	ch[0].size = 48;
	ch[0].state = MODEL_CHUNK_INUSE;
	ch[0].name = HOSTILE;
	ch[0].changed = true;
	ch[1].addr = 0x555555559030;
	ch[1].size = 112;
	ch[1].state = MODEL_CHUNK_FREE;
	ch[1].bin_class = small_class();
	ch[1].bin = 14;
	ch[1].name = "\xff\xfe";
	ch[1].dangling = true;
	ch[2].addr = 0x5555555590a0;
	ch[2].size = 3920;
	ch[2].state = MODEL_CHUNK_TOP;
	ch[3].addr = 0x555555559ff0;
	ch[3].size = 16;
	ch[3].state = MODEL_CHUNK_DAMAGED;
	snap.chunks = ch;
	snap.nchunks = 4;
	bin.cls = small_class();
	bin.index = 14;
	bin.n = 1;
	bin.chunks = &link;
	bin.lo = bin.hi = 112;
	snap.bins = &bin;
	snap.nbins = 1;
	maps[0].start = 0x555555554000;
	maps[0].end = 0x555555557000;
	maps[0].kind = MAPPING_CODE;
	maps[1].start = 0x555555559000;
	maps[1].end = 0x55555555b000;
	maps[1].kind = MAPPING_HEAP;
	snap.maps = maps;
	snap.nmaps = 2;
	snap.map_names = mapnames;
	fo.start = 0x55555555a000;
	fo.end = 0x55555555b000;
	fo.who = HOSTILE;
	snap.foreign = &fo;
	snap.nforeign = 1;
	memset(&ev, 0, sizeof ev);
	ev.call = MS_SBRK;
	ev.nargs = 1;
	ev.args[0] = 4096;
	ev.result = 0x555555559000;
	strlcopy(ev.cause, HOSTILE, sizeof ev.cause);
	snap.log = &ev;
	snap.nlog = 1;
	snap.mode = "<b>mode</b>";
	snap.heap_start = snap.initial_brk = 0x555555559000;
	snap.brk = 0x55555555b000;
	snap.has_top = true;
	snap.top = 0x5555555590a0;
	snap.topsize = 3920;
	snap.step = 7;
	snap.last = HOSTILE;

	buf_init(&b);
	export_svg_render(&snap, "printf \"" HOSTILE "\"", EXPORT_DARK, &b);
	ok(b.len > 1000, "a picture of the hostile snapshot is drawn");
	ok(strstr(b.s, "<script") == NULL && strstr(b.s, "</svg>]]") == NULL &&
	    strstr(b.s, "<!--") == NULL && strstr(b.s, "<b>") == NULL,
	    "no markup from the snapshot's strings");
	ok(strstr(b.s, "&lt;script&gt;x()&lt;/script&gt;&lt;/svg&gt;]]&gt;"
	    "&lt;!--&quot;&#39;&amp;\xef\xbf\xbd") != NULL,
	    "the names are there as text");
	ok(clean_utf8((const unsigned char *)b.s),
	    "the picture is well-formed UTF-8 without control characters");
	ok(strstr(b.s, ">0x555555559000  48 B<") != NULL &&
	    strstr(b.s, ">0x555555559030  112 B<") != NULL,
	    "each chunk's address and size is drawn");
	ok(strstr(b.s, "\xef\xbf\xbd\xef\xbf\xbd~") != NULL,
	    "a name of invalid bytes is shown as two U+FFFD");
	if (path != NULL && (f = fopen(path, "w")) != NULL) {
		fwrite(b.s, 1, b.len, f);
		fclose(f);
	}
	buf_free(&b);
}

int
main(int argc, char **argv)
{
	escapers();
	hostile_svg(argc > 1 ? argv[1] : NULL);
	tap_done();
	return tap_exit();
}
