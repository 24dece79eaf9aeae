/*
 * tap.h -- just enough of the Test Anything Protocol for the C tests.
 *
 *	tap_done();			at the end: the plan comes last
 *	ok(cond, "what %d", x);		one test point
 *	is_u(got, want, "what");	compare unsigned numbers, say both
 *	is_s(got, want, "what");	compare strings, say both
 *	return tap_exit();
 */
#ifndef HEAPVIZ_TAP_H
#define HEAPVIZ_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int	tap_n, tap_failed;

static void
tap_done(void)
{
	printf("1..%d\n", tap_n);
}

static int __attribute__((format(printf, 2, 3)))
ok(int cond, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512], *p;

	tap_n++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* One line per test point: fold what a message quotes. */
	for (p = msg; *p != '\0'; p++) {
		if (*p == '\n' || *p == '#')
			*p = *p == '#' ? '%' : '|';
	}
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, msg);
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

static void __attribute__((format(printf, 1, 2), unused))
diag(const char *fmt, ...)
{
	va_list	ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#define is_u(got, want, ...) do {					\
	unsigned long long g_ = (unsigned long long)(got);		\
	unsigned long long w_ = (unsigned long long)(want);		\
	if (!ok(g_ == w_, __VA_ARGS__))					\
		diag("got 0x%llx (%llu), want 0x%llx (%llu)", g_, g_,	\
		    w_, w_);						\
} while (0)

#define is_s(got, want, ...) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (!ok(g_ != NULL && strcmp(g_, w_) == 0, __VA_ARGS__))	\
		diag("got \"%s\", want \"%s\"", g_ ? g_ : "(null)", w_);\
} while (0)

static int
tap_exit(void)
{
	return tap_failed ? 1 : 0;
}

#endif
