#!/bin/sh
# suite.sh -- every test heapviz has, as CI runs them:
#   1. make check in _build (the normal build),
#   2. make check in _build-asan (built with -fsanitize=address,undefined),
#   3. make distcheck (the tarball builds, tests and installs cleanly).
# Ends with one line, `suite: N passed, N failed`, counted from the test
# results (every TAP test point, every script test; distcheck counts one).
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
passed=0
failed=0

# Add one test-suite.log's counts.
count() {
	log=$1
	if [ ! -f "$log" ]; then
		echo "suite: no $log: the build or the test run failed"
		failed=$((failed + 1))
		return
	fi
	p=$(sed -n 's/^# PASS: *//p' "$log" | head -n 1)
	x=$(sed -n 's/^# XFAIL: *//p' "$log" | head -n 1)
	f=$(sed -n 's/^# FAIL: *//p' "$log" | head -n 1)
	e=$(sed -n 's/^# ERROR: *//p' "$log" | head -n 1)
	u=$(sed -n 's/^# XPASS: *//p' "$log" | head -n 1)
	passed=$((passed + ${p:-0} + ${x:-0}))
	failed=$((failed + ${f:-0} + ${e:-0} + ${u:-0}))
}

./bootstrap.sh || exit 1

echo "=== make check (normal build)"
mkdir -p _build
[ -f _build/Makefile ] || (cd _build && ../configure) || exit 1
rm -f _build/test-suite.log
make -C _build -j2 && make -C _build -j2 check
count _build/test-suite.log

echo "=== make check (AddressSanitizer + UndefinedBehaviorSanitizer)"
mkdir -p _build-asan
[ -f _build-asan/Makefile ] ||
    (cd _build-asan && ../configure --enable-sanitizers) || exit 1
rm -f _build-asan/test-suite.log
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=0 \
    make -C _build-asan -j2 check
count _build-asan/test-suite.log

echo "=== make distcheck"
if make -C _build -j2 distcheck; then
	passed=$((passed + 1))
else
	echo "suite: make distcheck failed"
	failed=$((failed + 1))
fi

echo "suite: $passed passed, $failed failed"
[ "$failed" = 0 ]
