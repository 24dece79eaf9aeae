/*
 * export-common.c -- what the SVG and HTML writers share: the theme,
 * escaping text that came from a person or a program, the explanation and
 * narration of a step, and visiting the steps of a session and coming
 * back.  export.c, above both writers, chooses one and writes the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export-common.h"
#include "history.h"
#include "lesson.h"
#include "render.h"
#include "session.h"
#include "xmalloc.h"

int
export_parse_theme(const char *s, enum export_theme *t, const char *who,
    struct out *out)
{
	if (strcmp(s, "light") == 0)
		*t = EXPORT_LIGHT;
	else if (strcmp(s, "dark") == 0)
		*t = EXPORT_DARK;
	else {
		out_kprintf(out, OUT_ERROR, "%s: unknown theme %s (light or "
		    "dark)\n", who, s);
		return -1;
	}
	return 0;
}

/*
 * The length of the well-formed UTF-8 sequence at s (at most n bytes) of
 * a character XML allows, or 0: no overlong forms, no surrogates, nothing
 * past U+10FFFF, not U+FFFE or U+FFFF.
 */
static size_t
utf8_ok(const unsigned char *s, size_t n)
{
	uint32_t	cp;
	size_t		len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp == 0xfffe || cp == 0xffff)
		return 0;
	return len;
}

void
export_xml_text(struct buf *b, const char *s, size_t n)
{
	size_t	i, len;

	for (i = 0; i < n; i += len) {
		unsigned char	c = (unsigned char)s[i];

		len = 1;
		switch (c) {
		case '&':
			buf_add(b, "&amp;", 5);
			continue;
		case '<':
			buf_add(b, "&lt;", 4);
			continue;
		case '>':
			buf_add(b, "&gt;", 4);
			continue;
		case '"':
			buf_add(b, "&quot;", 6);
			continue;
		case '\'':
			buf_add(b, "&#39;", 5);
			continue;
		case '\t':
		case '\n':
			buf_addc(b, (char)c);
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			buf_add(b, "\xef\xbf\xbd", 3);
			continue;
		}
		if ((len = utf8_ok((const unsigned char *)s + i, n - i)) == 0) {
			buf_add(b, "\xef\xbf\xbd", 3);
			len = 1;
		} else
			buf_add(b, s + i, len);
	}
}

void
export_json_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t	i, len;

	buf_addc(b, '"');
	for (i = 0; i < n; i += len) {
		unsigned char	c = (unsigned char)s[i];

		len = 1;
		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (c == '\n')
			buf_add(b, "\\n", 2);
		else if (c == '\t')
			buf_add(b, "\\t", 2);
		else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' ||
		    c == '&') {
			char	esc[6] = { '\\', 'u', '0', '0', hex[c >> 4],
				    hex[c & 15] };

			buf_add(b, esc, 6);
		} else if ((len = utf8_ok((const unsigned char *)s + i,
		    n - i)) == 0) {
			buf_add(b, "\\ufffd", 6);
			len = 1;
		} else
			buf_add(b, s + i, len);
	}
	buf_addc(b, '"');
}

void
export_explain(const struct snapshot *snap, struct buf *b)
{
	struct out_buf	ob;

	out_buf_init(&ob);
	render_explain(snap, &ob.out);
	if (ob.text.len > 0)
		buf_add(b, ob.text.s, ob.text.len);
	out_buf_free(&ob);
}

static bool
comment_line(const char *line)
{
	return line[strspn(line, " \t")] == '#';
}

void
export_narration(const struct session *s, size_t n, struct buf *b)
{
	const struct lesson	*l = session_lesson(s);
	size_t			 at, first, i;

	if (l == NULL || n == 0 || n >= l->nmade || l->made[n] == 0)
		return;
	at = l->made[n] - 1;		/* the line that made step n */
	/* The comments just before it, as `step` shows them. */
	for (first = at; first > 0 && comment_line(l->lines[first - 1]);
	    first--)
		;
	for (i = first; i < at; i++) {
		const char	*c = l->lines[i] + strspn(l->lines[i], " \t") + 1;

		c += *c == ' ';
		buf_add(b, c, strlen(c));
		buf_addc(b, '\n');
	}
}

int
export_visit(struct session *s, size_t from, size_t to,
    int (*fn)(struct session *, size_t, void *), void *ctx, struct out *out)
{
	size_t	here = history_position(s), n, pos = 0;
	int	r = 0;

	if (session_lesson(s) != NULL)
		pos = session_lesson(s)->pos;
	for (n = from; n <= to && r == 0; n++) {
		if (history_goto(s, n, out) != 0)
			r = -1;
		else
			r = fn(s, n, ctx);
	}
	if (history_goto(s, here, out) != 0) {
		out_kprintf(out, OUT_ERROR, "export: could not come back to "
		    "step %zu\n", here);
		r = -1;
	}
	if (session_lesson(s) != NULL)
		session_lesson(s)->pos = pos;
	return r;
}
