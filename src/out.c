/* out.c -- output sinks and growable strings. */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
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

/*
 * A formatter of our own for the conversions heapviz's messages use: %s %c
 * %d %i %u %x %X and %%, with the length modifiers hh h l ll z j t, a
 * field width and the - and 0 flags.  Every reply of the batch path (a
 * result line, its summary, the log's cause) goes through here, and
 * vsnprintf spends most of its time setting up a FILE for a few dozen
 * bytes.  Anything else (a precision, *, + or space, #, %f, %p, %ls, ...)
 * hands the whole format to vsnprintf, so the output is byte for byte
 * what vsnprintf would give.
 *
 * The text goes to a struct fbuf: a stack array first, the heap if it
 * grows past it (out_vkprintf), or a struct buf's own memory (buf_printf).
 */
struct fbuf {
	char	*s;
	size_t	 len, cap;
	bool	 heap;		/* s came from xmalloc and may be realloc'ed */
};

static void
fb_grow(struct fbuf *f, size_t more)
{
	size_t	need = f->len + more + 1, cap = f->cap ? f->cap : 128;
	char	*n;

	if (need <= f->cap)
		return;
	while (cap < need)
		cap *= 2;
	if (f->heap)
		n = xrealloc(f->s, cap);
	else {
		n = xmalloc(cap);
		if (f->len > 0)
			memcpy(n, f->s, f->len);
		f->heap = true;
	}
	f->s = n;
	f->cap = cap;
}

/*
 * The pieces of a reply are short: up to 16 bytes go as two overlapping
 * words, read and written within [s, s + n), not through a call.
 */
static inline void
copy_small(char *d, const char *s, size_t n)
{
	if (n > 16)
		memcpy(d, s, n);
	else if (n >= 8) {
		uint64_t	a, b;

		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4) {
		uint32_t	a, b;

		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
	} else {
		while (n-- > 0)
			*d++ = *s++;
	}
}

static inline void
fb_add(struct fbuf *f, const char *s, size_t n)
{
	if (f->len + n >= f->cap)
		fb_grow(f, n);
	copy_small(f->s + f->len, s, n);
	f->len += n;
}

static void
fb_pad(struct fbuf *f, char c, size_t n)
{
	if (f->len + n >= f->cap)
		fb_grow(f, n);
	memset(f->s + f->len, c, n);
	f->len += n;
}

/* One converted field, padded to width. */
static void
fb_field(struct fbuf *f, const char *sign, const char *s, size_t n,
    size_t width, bool left, bool zero)
{
	size_t	ns = strlen(sign), pad = width > n + ns ? width - n - ns : 0;

	if (pad > 0 && !left && !zero)
		fb_pad(f, ' ', pad);
	fb_add(f, sign, ns);
	if (pad > 0 && !left && zero)
		fb_pad(f, '0', pad);
	fb_add(f, s, n);
	if (pad > 0 && left)
		fb_pad(f, ' ', pad);
}

/*
 * Format into f.  Returns false, having used none of ap, for a format it
 * leaves to vsnprintf; f->len is then wherever it had got to.
 */
static bool
fb_vformat(struct fbuf *f, const char *fmt, va_list ap)
{
	static const char lower[] = "0123456789abcdef";
	static const char upper[] = "0123456789ABCDEF";
	const char	*p = fmt, *q;

	for (;;) {
		char		 digits[24], *d, conv, c;
		const char	*sign = "", *s;
		bool		 left = false, zero = false;
		size_t		 width = 0, n;
		int		 lmod = 0;	/* 'H' hh, 'h', 'l', 'L' ll, ... */
		uint64_t	 u;
		int64_t		 v;

		q = strchrnul(p, '%');
		if (q > p)
			fb_add(f, p, (size_t)(q - p));
		if (*q == '\0')
			return true;
		p = q + 1;
		for (;; p++) {
			if (*p == '-')
				left = true;
			else if (*p == '0')
				zero = true;
			else
				break;
		}
		while (*p >= '0' && *p <= '9') {
			if (width > 100000)
				return false;
			width = width * 10 + (size_t)(*p++ - '0');
		}
		switch (*p) {
		case 'h':
			lmod = p[1] == 'h' ? 'H' : 'h';
			p += lmod == 'H' ? 2 : 1;
			break;
		case 'l':
			lmod = p[1] == 'l' ? 'L' : 'l';
			p += lmod == 'L' ? 2 : 1;
			break;
		case 'z': case 'j': case 't':
			lmod = *p++;
			break;
		}
		conv = *p++;
		switch (conv) {
		case '%':
			if (lmod != 0 || left || zero || width != 0)
				return false;
			fb_add(f, "%", 1);
			continue;
		case 's':
			if (lmod != 0 || zero)
				return false;
			s = va_arg(ap, const char *);
			if (s == NULL)
				s = "(null)";
			n = strlen(s);
			if (width == 0)
				fb_add(f, s, n);
			else
				fb_field(f, "", s, n, width, left, false);
			continue;
		case 'c':
			if (lmod != 0 || zero)
				return false;
			c = (char)(unsigned char)va_arg(ap, int);
			fb_field(f, "", &c, 1, width, left, false);
			continue;
		case 'd': case 'i':
			switch (lmod) {
			case 0: v = va_arg(ap, int); break;
			case 'H': v = (signed char)va_arg(ap, int); break;
			case 'h': v = (short)va_arg(ap, int); break;
			case 'l': v = va_arg(ap, long); break;
			case 'L': v = va_arg(ap, long long); break;
			case 'z': v = (int64_t)(ptrdiff_t)va_arg(ap, size_t);
				break;
			case 'j': v = va_arg(ap, intmax_t); break;
			default: v = va_arg(ap, ptrdiff_t); break;
			}
			if (v < 0) {
				sign = "-";
				u = (uint64_t)0 - (uint64_t)v;
			} else
				u = (uint64_t)v;
			break;
		case 'u': case 'x': case 'X':
			switch (lmod) {
			case 0: u = va_arg(ap, unsigned); break;
			case 'H': u = (unsigned char)va_arg(ap, unsigned);
				break;
			case 'h': u = (unsigned short)va_arg(ap, unsigned);
				break;
			case 'l': u = va_arg(ap, unsigned long); break;
			case 'L': u = va_arg(ap, unsigned long long); break;
			case 'z': u = va_arg(ap, size_t); break;
			case 'j': u = va_arg(ap, uintmax_t); break;
			default: u = (uint64_t)va_arg(ap, ptrdiff_t); break;
			}
			break;
		default:
			return false;
		}
		/* An integer: u, with sign. */
		d = digits + sizeof digits;
		if (conv == 'x' || conv == 'X') {
			const char	*hex = conv == 'x' ? lower : upper;

			do {
				*--d = hex[u & 15];
				u >>= 4;
			} while (u != 0);
		} else {
			do {
				*--d = (char)('0' + u % 10);
				u /= 10;
			} while (u != 0);
		}
		n = (size_t)(digits + sizeof digits - d);
		if (width == 0 && *sign == '\0')
			fb_add(f, d, n);
		else
			fb_field(f, sign, d, n, width, left, zero && !left);
	}
}

/* The whole format through vsnprintf, appended at f->len; false if it
 * failed (an encoding error). */
static bool
fb_vsnprintf(struct fbuf *f, const char *fmt, va_list ap)
{
	va_list	ap2;
	int	n;

	va_copy(ap2, ap);
	n = vsnprintf(f->s + f->len, f->cap - f->len, fmt, ap);
	if (n >= 0 && (size_t)n >= f->cap - f->len) {
		fb_grow(f, (size_t)n);
		n = vsnprintf(f->s + f->len, f->cap - f->len, fmt, ap2);
	}
	va_end(ap2);
	if (n < 0)
		return false;
	f->len += (size_t)n;
	return true;
}

/* Append fmt to f; the text is terminated.  False (and nothing added)
 * where vsnprintf would fail. */
static bool
fb_vprintf(struct fbuf *f, const char *fmt, va_list ap)
{
	size_t	start = f->len;
	va_list	ap2;
	bool	ok = true;

	if (f->cap == 0)
		fb_grow(f, 64);
	va_copy(ap2, ap);
	if (!fb_vformat(f, fmt, ap2)) {
		f->len = start;
		ok = fb_vsnprintf(f, fmt, ap);
	}
	va_end(ap2);
	f->s[f->len] = '\0';
	return ok;
}

void
out_vkprintf(struct out *out, enum out_kind kind, const char *fmt, va_list ap)
{
	char		small[256];
	struct fbuf	f = { small, 0, sizeof small, false };

	if (!out_active(out))
		return;		/* nobody reads it: do not format it */
	if (fb_vprintf(&f, fmt, ap))
		out_write(out, kind, f.s, f.len);
	if (f.heap)
		free(f.s);
}

int
buf_vsnprintf(char *dst, size_t size, const char *fmt, va_list ap)
{
	char		spare[1];
	struct fbuf	f = { size > 0 ? dst : spare, 0, size > 0 ? size : 1,
			    false };
	bool		ok = fb_vprintf(&f, fmt, ap);
	size_t		n = f.len;

	/* Past the end of dst, it went on in the heap: keep what fits. */
	if (f.heap) {
		if (size > 0) {
			memcpy(dst, f.s, size - 1);
			dst[size - 1] = '\0';
		}
		free(f.s);
	}
	return !ok || n > INT_MAX ? -1 : (int)n;
}

int
buf_snprintf(char *dst, size_t size, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = buf_vsnprintf(dst, size, fmt, ap);
	va_end(ap);
	return n;
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
	if (b->len + n >= b->cap)
		buf_grow(b, n);
	copy_small(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
buf_add_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_add_uint(struct buf *b, uint64_t v, int base)
{
	static const char digits[] = "0123456789abcdef";
	char	t[24], *d = t + sizeof t;

	do {
		*--d = digits[base == 16 ? v & 15 : v % 10];
		v = base == 16 ? v >> 4 : v / 10;
	} while (v != 0);
	buf_add(b, d, (size_t)(t + sizeof t - d));
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	struct fbuf	f = { b->s, b->len, b->cap, true };
	va_list		ap;

	va_start(ap, fmt);
	fb_vprintf(&f, fmt, ap);
	va_end(ap);
	b->s = f.s;
	b->len = f.len;
	b->cap = f.cap;
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

/* ---- Structured results. ---- */

void
out_record_init(struct out_record *r)
{
	buf_init(&r->fields);
	buf_init(&r->state);
	r->kind = NULL;
}

void
out_record_reset(struct out_record *r)
{
	buf_reset(&r->fields);
	buf_reset(&r->state);
	r->kind = NULL;
}

void
out_record_free(struct out_record *r)
{
	buf_free(&r->fields);
	buf_free(&r->state);
}

static void
record_key(struct out_record *r, const char *key)
{
	if (r->fields.len > 0)
		buf_addc(&r->fields, ',');
	buf_json_string(&r->fields, key, strlen(key));
	buf_addc(&r->fields, ':');
}

void
out_record_str(struct out_record *r, const char *key, const char *v)
{
	if (r == NULL)
		return;
	record_key(r, key);
	if (v == NULL)
		buf_add(&r->fields, "null", 4);
	else
		buf_json_string(&r->fields, v, strlen(v));
}

void
out_record_uint(struct out_record *r, const char *key, uint64_t v)
{
	if (r == NULL)
		return;
	record_key(r, key);
	buf_add_uint(&r->fields, v, 10);
}

void
out_record_int(struct out_record *r, const char *key, int64_t v)
{
	if (r == NULL)
		return;
	record_key(r, key);
	if (v < 0) {
		buf_addc(&r->fields, '-');
		buf_add_uint(&r->fields, 0 - (uint64_t)v, 10);
	} else
		buf_add_uint(&r->fields, (uint64_t)v, 10);
}

void
out_record_null(struct out_record *r, const char *key)
{
	if (r == NULL)
		return;
	record_key(r, key);
	buf_add(&r->fields, "null", 4);
}

void
out_record_raw(struct out_record *r, const char *key, const char *json)
{
	if (r == NULL)
		return;
	record_key(r, key);
	buf_add_str(&r->fields, json);
}

void
out_record_kind(struct out_record *r, const char *kind)
{
	if (r != NULL && r->kind == NULL)
		r->kind = kind;
}
