/* out.c -- output sinks and growable strings. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "xmalloc.h"

struct out out_null = { NULL, NULL };

bool
out_active(const struct out *out)
{
	return out != NULL && out->write != NULL;
}

void
out_write(struct out *out, enum out_kind kind, const char *s, size_t n)
{
	if (out != NULL && out->write != NULL)
		out->write(out->ctx, kind, s, n);
}

void
out_vkprintf(struct out *out, enum out_kind kind, const char *fmt, va_list ap)
{
	char	 small[256], *s = small;
	va_list	 ap2;
	int	 n;

	if (!out_active(out))
		return;		/* nobody reads it: do not format it */
	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof small, fmt, ap);
	if (n < 0) {
		va_end(ap2);
		return;
	}
	if ((size_t)n >= sizeof small) {
		s = xmalloc((size_t)n + 1);
		vsnprintf(s, (size_t)n + 1, fmt, ap2);
	}
	va_end(ap2);
	out_write(out, kind, s, (size_t)n);
	if (s != small)
		free(s);
}

void
out_kprintf(struct out *out, enum out_kind kind, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	out_vkprintf(out, kind, fmt, ap);
	va_end(ap);
}

void
out_printf(struct out *out, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	out_vkprintf(out, OUT_TEXT, fmt, ap);
	va_end(ap);
}

void
buf_init(struct buf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
}

void
buf_free(struct buf *b)
{
	free(b->s);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s != NULL)
		b->s[0] = '\0';
}

static void
buf_grow(struct buf *b, size_t more)
{
	size_t	need = b->len + more + 1;

	if (need <= b->cap)
		return;
	while (b->cap < need)
		b->cap = b->cap ? b->cap * 2 : 128;
	b->s = xrealloc(b->s, b->cap);
}

void
buf_add(struct buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;
	size_t	room;
	int	n;

	buf_grow(b, 64);
	room = b->cap - b->len;
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->len, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->s[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

/* The length of the valid UTF-8 sequence at s, or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t		len, i;
	uint32_t	cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

void
buf_json_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t	i;

	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char	c = (unsigned char)s[i];

		switch (c) {
		case '"':
			buf_add(b, "\\\"", 2);
			break;
		case '\\':
			buf_add(b, "\\\\", 2);
			break;
		case '\n':
			buf_add(b, "\\n", 2);
			break;
		case '\t':
			buf_add(b, "\\t", 2);
			break;
		case '\r':
			buf_add(b, "\\r", 2);
			break;
		default:
			if (c >= 0x80) {
				size_t	len = utf8_len((const unsigned char *)
				    s + i, n - i);

				/* Valid UTF-8 passes; a stray byte is U+FFFD. */
				if (len == 0)
					buf_add(b, "\\ufffd", 6);
				else {
					buf_add(b, s + i, len);
					i += len - 1;
				}
			} else if (c < 0x20 || c == 0x7f) {
				char	esc[6] = { '\\', 'u', '0', '0',
				    hex[c >> 4], hex[c & 15] };

				buf_add(b, esc, 6);
			} else
				buf_addc(b, (char)c);
		}
	}
	buf_addc(b, '"');
}

static void
out_buf_write(void *ctx, enum out_kind kind, const char *s, size_t n)
{
	struct out_buf	*ob = ctx;

	buf_add(kind == OUT_ERROR ? &ob->errors : kind == OUT_NARRATION ?
	    &ob->narration : &ob->text, s, n);
}

void
out_buf_init(struct out_buf *ob)
{
	buf_init(&ob->text);
	buf_init(&ob->errors);
	buf_init(&ob->narration);
	ob->out.write = out_buf_write;
	ob->out.ctx = ob;
}

void
out_buf_free(struct out_buf *ob)
{
	buf_free(&ob->text);
	buf_free(&ob->errors);
	buf_free(&ob->narration);
}
