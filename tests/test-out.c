/*
 * test-out.c -- heapviz's own formatter (buf_printf, out_printf,
 * buf_snprintf) gives exactly the text vsnprintf gives.
 */
#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "tap.h"

static int	checked, differed;

static void
compare(const char *what, const char *want, int nwant, const char *got,
    int ngot)
{
	checked++;
	/* The text may be cut to fit (snprintf) or hold a NUL (%c). */
	if (nwant != ngot || strcmp(want, got) != 0) {
		differed++;
		diag("%s: vsnprintf gave %d \"%s\", we gave %d \"%s\"", what,
		    nwant, want, ngot, got);
	}
}

/* Each format through snprintf, buf_snprintf, buf_printf and out_printf. */
#define CHECK(...) do {							\
	char		want_[2000], got_[2000];				\
	int		nw_, ng_;					\
	struct buf	b_;						\
	struct out_buf	ob_;						\
									\
	nw_ = snprintf(want_, sizeof want_, __VA_ARGS__);		\
	ng_ = buf_snprintf(got_, sizeof got_, __VA_ARGS__);		\
	compare(#__VA_ARGS__ " (buf_snprintf)", want_, nw_, got_, ng_);	\
	buf_init(&b_);							\
	buf_add(&b_, "x", 1);						\
	buf_printf(&b_, __VA_ARGS__);					\
	compare(#__VA_ARGS__ " (buf_printf)", want_, nw_, b_.s + 1,	\
	    (int)b_.len - 1);						\
	buf_free(&b_);							\
	out_buf_init(&ob_);						\
	out_printf(&ob_.out, __VA_ARGS__);				\
	compare(#__VA_ARGS__ " (out_printf)", want_, nw_,		\
	    ob_.text.s ? ob_.text.s : "", (int)ob_.text.len);		\
	out_buf_free(&ob_);						\
} while (0)

/* Not a constant, so that the compiler does not warn of it. */
static const char *volatile	nothing = NULL;
static volatile size_t		eight = 8;

static void
test_conversions(void)
{
	static const long long	sv[] = { 0, 1, -1, 9, 10, -10, 12345,
		INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN };
	static const unsigned long long uv[] = { 0, 1, 15, 16, 255, 4096,
		0x555555559ab0ULL, UINT32_MAX, UINT64_MAX };
	size_t	i;

	for (i = 0; i < sizeof sv / sizeof sv[0]; i++) {
		long long	v = sv[i];

		CHECK("%d", (int)v);
		CHECK("%i|%5d|%-5d|%05d", (int)v, (int)v, (int)v, (int)v);
		CHECK("%ld %lld %zd %jd %td", (long)v, v, (ssize_t)v,
		    (intmax_t)v, (ptrdiff_t)v);
		CHECK("%hd %hhd", (short)v, (signed char)v);
		CHECK("[%3lld] [%-22lld] [%022lld]", v, v, v);
	}
	for (i = 0; i < sizeof uv / sizeof uv[0]; i++) {
		unsigned long long	v = uv[i];

		CHECK("%u %x %X", (unsigned)v, (unsigned)v, (unsigned)v);
		CHECK("%llu %llx %llX", v, v, v);
		CHECK("%zu %zx %lu %lx", (size_t)v, (size_t)v,
		    (unsigned long)v, (unsigned long)v);
		CHECK("%hu %hhx %ju", (unsigned short)v, (unsigned char)v,
		    (uintmax_t)v);
		CHECK("0x%016llx 0x%012llx %9llu %08x %02x", v, v, v,
		    (unsigned)v, (unsigned)v & 0xff);
		CHECK("%-9llu|%-16llx|%20zu", v, v, (size_t)v);
	}
	CHECK("plain text, no conversions");
	CHECK("%s", "");
	CHECK("%s = %s = 0x%llx%s%s", "p1", "malloc(24)", 0x555555559ab0ULL,
	    ", ", "split from top");
	CHECK("[%5s] [%-5s] [%-14s] [%2s]", "ab", "ab", "abcdef", "abcdef");
	CHECK("%c%c%c|%3c|%-3c|", 'a', ' ', '~', 'x', 'y');
	CHECK("100%% %d%%", 5);
	CHECK("%s", nothing);
	CHECK("%.3s|%.*s|%-22.*s|", "abcdef", 2, "xyz", 4, "longer");
	CHECK("%.1f %.0f %5.2f", 1.25, 2.5, 3.14159);
	CHECK("%p", (void *)0);
	CHECK("%+d % d %#x %#o %o", 5, 5, 255, 8, 8);
	CHECK("%*d|%-*d|", 6, 42, 6, 42);
	CHECK("%3$s %1$s %2$s", "a", "b", "c");
}

static void
test_lengths(void)
{
	char	long_s[1000], want[1200], got[1200], small[8];
	int	nw, ng;

	memset(long_s, 'q', sizeof long_s - 1);
	long_s[sizeof long_s - 1] = '\0';
	/* Longer than every stack buffer on the way. */
	CHECK("<%s> %d <%s>", long_s + 500, 7, long_s + 600);
	nw = snprintf(want, sizeof want, "%s|%s", long_s + 100, "end");
	ng = buf_snprintf(got, sizeof got, "%s|%s", long_s + 100, "end");
	compare("buf_snprintf, 903 bytes", want, nw, got, ng);
	/* Cut to fit, the length of the whole still returned. */
	nw = snprintf(want, eight, "%s and %d", "truncated", 12345);
	ng = buf_snprintf(small, eight, "%s and %d", "truncated", 12345);
	compare("buf_snprintf into 8 bytes", want, nw, small, ng);
	nw = snprintf(want, eight, "%.2f and more", 3.14159);
	ng = buf_snprintf(small, eight, "%.2f and more", 3.14159);
	compare("buf_snprintf into 8 bytes, through vsnprintf", want, nw,
	    small, ng);
	ng = buf_snprintf(NULL, 0, "%s%d", "abc", 42);
	ok(ng == 5, "buf_snprintf into nothing counts the text (%d)", ng);
}

static void
test_nul(void)
{
	struct out_buf	ob;

	/* %c of NUL is a byte of the text, as with vsnprintf. */
	out_buf_init(&ob);
	out_printf(&ob.out, "a%cb", '\0');
	ok(ob.text.len == 3 && memcmp(ob.text.s, "a\0b", 3) == 0,
	    "out_printf keeps a NUL written by %%c");
	out_buf_free(&ob);
}

/* The pieces without a format: as %s, %llu and %llx. */
static void
test_pieces(void)
{
	static const unsigned long long v[] = { 0, 1, 9, 10, 15, 16, 4095,
		0x555555559ab0ULL, UINT64_MAX };
	struct buf	b;
	char		want[64];
	size_t		i;
	int		bad = 0;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		buf_init(&b);
		buf_add_str(&b, "at ");
		buf_add_uint(&b, v[i], 10);
		buf_add_str(&b, "/0x");
		buf_add_uint(&b, v[i], 16);
		snprintf(want, sizeof want, "at %llu/0x%llx", v[i], v[i]);
		if (strcmp(b.s, want) != 0 || b.len != strlen(want)) {
			bad++;
			diag("got %s, want %s", b.s, want);
		}
		buf_free(&b);
	}
	ok(bad == 0, "buf_add_str and buf_add_uint write what %%s, %%llu and "
	    "%%llx do");
}

int
main(void)
{
	test_conversions();
	test_lengths();
	test_nul();
	test_pieces();
	ok(differed == 0, "%d formats, each three ways: %d differ from "
	    "vsnprintf", checked / 3, differed);
	tap_done();
	return tap_exit();
}
