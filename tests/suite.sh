#!/bin/sh
# suite.sh -- every test heapviz has, as CI runs them:
#   1. make check in _build (the normal build),
#   2. make check in _build-asan (built with -fsanitize=address,undefined),
#   3. make check-valgrind in _build (memcheck),
#   4. each libFuzzer target for FUZZ_SECONDS (60) s in _build-fuzz (clang,
#      ASan+UBSan), from seed 1 and for at most 20,000 inputs
#      (FUZZ_EXTRA), so that a run finds what the same run finds on any
#      machine: a crash in CI is one anybody can reproduce; open-ended
#      fuzzing is `make fuzz` without them,
#   5. make distcheck (the tarball builds, tests and installs cleanly),
#   6. under CI=true, make check-mutants (each deliberate breakage in
#      tests/mutants/ must be caught; MUTANTS=yes runs it outside CI too).
# Ends with one line, `suite: N passed, N failed, N skipped`, counted from
# the test results (every TAP test point, every script test; a fuzz run,
# distcheck and the mutation check count one each), then the reason of
# every skip.
#
# Under CI=true a skip for something CI installs or its machine provides
# (tmux, jq, valgrind, clang's libFuzzer, ptrace, the real-mode subject) is
# a failure; the tests say so themselves (tests/skip-common.sh).
#
# The caller's HV_REGEN, HEAPVIZ_*, GLIBC_TUNABLES and MALLOC_* do not reach
# the tests: they would change (or, HV_REGEN, overwrite) what is checked.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
passed=0
failed=0
skipped=0
ci=no
[ "${CI:-}" = true ] && ci=yes
skips=$top/_build/suite-skips.txt

# The environment that changes results: cleared, and said so.
cleared=$(env | sed -n 's/^\(HV_REGEN\|HEAPVIZ_[A-Za-z0-9_]*\|GLIBC_TUNABLES\|MALLOC_[A-Za-z0-9_]*\)=.*/\1/p')
for v in $cleared; do
	unset "$v"
done
[ -n "$cleared" ] && echo "suite: cleared from the environment:" $cleared

# A skip of something CI provides (outside the tests): a failure under CI.
ci_skip() {	# ci_skip REASON...
	if [ $ci = yes ]; then
		echo "suite: FAIL (CI=true, so not a skip): $*"
		failed=$((failed + 1))
	else
		echo "suite: skipped: $*"
		echo "suite.sh: $*" >> "$skips"
		skipped=$((skipped + 1))
	fi
}

# Add one test-suite.log's counts; list its skips with their reasons.
count() {
	log=$1
	if [ ! -f "$log" ]; then
		echo "suite: no $log: the build or the test run failed"
		failed=$((failed + 1))
		return
	fi
	p=$(sed -n 's/^# PASS: *//p' "$log" | head -n 1)
	x=$(sed -n 's/^# XFAIL: *//p' "$log" | head -n 1)
	k=$(sed -n 's/^# SKIP: *//p' "$log" | head -n 1)
	f=$(sed -n 's/^# FAIL: *//p' "$log" | head -n 1)
	e=$(sed -n 's/^# ERROR: *//p' "$log" | head -n 1)
	u=$(sed -n 's/^# XPASS: *//p' "$log" | head -n 1)
	passed=$((passed + ${p:-0} + ${x:-0}))
	skipped=$((skipped + ${k:-0}))
	failed=$((failed + ${f:-0} + ${e:-0} + ${u:-0}))
	# Each skipped point's line in the per-test logs: "SKIP: test N - why".
	dir=$(dirname "$log")
	find "$dir/tests" -name '*.log' -exec grep -h '^SKIP: ' {} + \
	    2>/dev/null | sed "s|^|$(basename "$dir"): |" >> "$skips"
}

./bootstrap.sh || exit 1
mkdir -p _build
: > "$skips"

echo "=== make check (normal build)"
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

# Count a TAP stream's ok / not ok / skipped lines and bail-outs.
count_tap() {
	p=$(grep '^ok ' "$1" | grep -c -v '# SKIP')
	k=$(grep -c '^ok .*# SKIP' "$1")
	f=$(grep -c -E '^(not ok |Bail out!)' "$1")
	passed=$((passed + p))
	skipped=$((skipped + k))
	failed=$((failed + f))
	grep '^ok .*# SKIP' "$1" | sed "s|^|$(basename "$1"): |" >> "$skips"
}

echo "=== valgrind memcheck (the C tests, the fuzz replays, batch scripts)"
if command -v valgrind > /dev/null 2>&1; then
	make -C _build -s check-valgrind > _build/valgrind.log 2>&1
	cat _build/valgrind.log
	count_tap _build/valgrind.log
	grep -q '^1\.\.[1-9]' _build/valgrind.log || {
		echo "suite: the valgrind run did not finish"
		failed=$((failed + 1))
	}
else
	ci_skip "valgrind is not installed (apt-get install valgrind)"
fi

# Each libFuzzer target for FUZZ_SECONDS (60) under ASan+UBSan, from the
# seed corpus; a run counts as one test, passed when nothing crashed.
# No clang or no libFuzzer runtime (configure says which) is a skip; a
# target that does not build is a failure.
echo "=== fuzzing (clang, libFuzzer, ASan+UBSan)"
fuzz_ok=no
if ! command -v clang > /dev/null 2>&1; then
	ci_skip "fuzzing: clang is not installed" \
	    "(apt-get install clang libclang-rt-14-dev)"
else
	mkdir -p _build-fuzz
	if [ -f _build-fuzz/Makefile ] ||
	    (cd _build-fuzz && ../configure CC=clang --enable-fuzzing \
	    > configure.out 2>&1); then
		if make -C _build-fuzz -j2 tests/fuzz/fuzz-cmd \
		    tests/fuzz/fuzz-alloc > _build-fuzz/build.log 2>&1; then
			fuzz_ok=yes
		else
			echo "suite: the fuzz targets do not build:"
			grep -E 'error|Error' _build-fuzz/build.log | head -n 20
			failed=$((failed + 1))
		fi
	else
		tail -n 3 _build-fuzz/configure.out
		rm -f _build-fuzz/Makefile
		ci_skip "fuzzing: clang cannot link libFuzzer here" \
		    "(apt-get install libclang-rt-14-dev)"
	fi
fi
if [ $fuzz_ok = yes ]; then
	for t in cmd alloc; do
		if make -C _build-fuzz -s fuzz FUZZ_WHICH=$t \
		    FUZZ_SECONDS="${FUZZ_SECONDS:-60}" \
		    FUZZ_EXTRA="${FUZZ_EXTRA:--seed=1 -runs=20000}" \
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
fi

echo "=== make distcheck"
if make -C _build -j2 distcheck; then
	passed=$((passed + 1))
else
	echo "suite: make distcheck failed"
	failed=$((failed + 1))
fi

if [ $ci = yes ] || [ "${MUTANTS:-no}" = yes ]; then
	echo "=== make check-mutants (every deliberate breakage is caught)"
	if make -C _build check-mutants; then
		passed=$((passed + 1))
	else
		echo "suite: make check-mutants failed"
		failed=$((failed + 1))
	fi
fi

if [ -s "$skips" ]; then
	echo "suite: the skips and their reasons:"
	sed 's/^/  /' "$skips"
fi
echo "suite: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
