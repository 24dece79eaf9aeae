#!/bin/sh
# suite.sh -- every test heapviz has, as CI runs them:
#   1. make check in _build (the normal build),
#   2. make check in _build-asan (built with -fsanitize=address,undefined),
#   3. make check-valgrind in _build (memcheck; skipped without valgrind),
#   4. each libFuzzer target for 60 s in _build-fuzz (clang, ASan+UBSan;
#      skipped without clang's libFuzzer),
#   5. make distcheck (the tarball builds, tests and installs cleanly).
# Ends with one line, `suite: N passed, N failed`, counted from the test
# results (every TAP test point, every script test; a fuzz run and
# distcheck count one each).
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

# Count a TAP stream's ok / not ok lines (skips count as passed).
count_tap() {
	p=$(grep -c '^ok ' "$1")
	f=$(grep -c '^not ok ' "$1")
	passed=$((passed + p))
	failed=$((failed + f))
}

echo "=== valgrind memcheck (the C tests, the fuzz replays, batch scripts)"
if command -v valgrind > /dev/null 2>&1; then
	make -C _build -s check-valgrind > _build/valgrind.log 2>&1
	cat _build/valgrind.log
	count_tap _build/valgrind.log
	grep -q '^1\.\.' _build/valgrind.log || {
		echo "suite: the valgrind run did not finish"
		failed=$((failed + 1))
	}
else
	echo "suite: valgrind skipped: not installed (apt-get install valgrind)"
fi

# Each libFuzzer target for FUZZ_SECONDS (60) under ASan+UBSan, from the
# seed corpus; a run counts as one test, passed when nothing crashed.
echo "=== fuzzing (clang, libFuzzer, ASan+UBSan)"
fuzz_ok=no
if command -v clang > /dev/null 2>&1; then
	mkdir -p _build-fuzz
	if [ -f _build-fuzz/Makefile ] ||
	    (cd _build-fuzz && ../configure CC=clang --enable-fuzzing \
	    > configure.out 2>&1); then
		make -C _build-fuzz -j2 tests/fuzz/fuzz-cmd \
		    tests/fuzz/fuzz-alloc > /dev/null && fuzz_ok=yes
	fi
fi
if [ $fuzz_ok = yes ]; then
	for t in cmd alloc; do
		if make -C _build-fuzz -s fuzz FUZZ_WHICH=$t \
		    FUZZ_SECONDS="${FUZZ_SECONDS:-60}" \
		    > _build-fuzz/fuzz-$t.log 2>&1; then
			passed=$((passed + 1))
			grep -E '^(Done|stat::number_of_executed_units|#[0-9]+.*DONE)' \
			    _build-fuzz/fuzz-$t.log | sed "s/^/fuzz-$t: /"
		else
			failed=$((failed + 1))
			echo "suite: fuzz-$t found a crash:"
			grep -E 'ERROR|SUMMARY|Test unit written' \
			    _build-fuzz/fuzz-$t.log | head -n 10
		fi
	done
else
	echo "suite: fuzzing skipped: clang with libFuzzer not found" \
	    "(apt-get install clang libclang-rt-14-dev)"
fi

echo "=== make distcheck"
if make -C _build -j2 distcheck; then
	passed=$((passed + 1))
else
	echo "suite: make distcheck failed"
	failed=$((failed + 1))
fi

echo "suite: $passed passed, $failed failed"
[ "$failed" = 0 ]
