#!/bin/sh
# valgrind.sh -- the C tests, the fuzz replays and some batch scripts under
# valgrind's memcheck: no invalid read or write, no use of uninitialised
# memory, no definite leak.  Speaks TAP, one test point per run; skips
# (exit 77) when valgrind is not installed.
#
#   make check-valgrind          or, from a build directory:
#   top_srcdir=.. sh ../tests/valgrind.sh
#
# The simulated memory reserves 1 GiB + 4 GiB of address space with
# MAP_NORESERVE (and at fixed addresses where it can): valgrind copes; when
# it cannot place them there, they go anywhere and only the views translate.
# The long randomized runs are shortened (HV_TEST_SEEDS, test-diff's
# arguments): valgrind is some 50 times slower.
set -u
top_srcdir=${top_srcdir:-..}
heapviz=${HEAPVIZ:-./heapviz}
if ! command -v valgrind > /dev/null 2>&1; then
	echo "1..0 # SKIP valgrind is not installed (apt-get install valgrind)"
	exit 77
fi
vg="valgrind -q --error-exitcode=97 --leak-check=full
    --show-leak-kinds=definite --errors-for-leak-kinds=definite"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
# srcdir: where test-fidelity finds tests/data (make check sets it too).
srcdir=$top_srcdir
export HV_TEST_SEEDS=10 HV_UNDER_VALGRIND=1 top_srcdir srcdir

# run DESCRIPTION WANT COMMAND...: WANT is the exit status the command
# must end with ("tap": 0, with no `not ok` line and no bail-out in what
# it printed).  A memcheck error, or any other status, fails the point.
run() {
	n=$((n + 1))
	desc=$1 want=$2; shift 2
	# shellcheck disable=SC2086
	$vg "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
	st=$?
	wantst=$want
	[ "$want" = tap ] && wantst=0
	if [ $st = 97 ] || grep -q '^==[0-9]*==' "$tmp/err"; then
		echo "not ok $n - valgrind: $desc"
		sed 's/^/# /' "$tmp/err" | head -n 40
		failed=$((failed + 1))
	elif [ "$want" = tap ] &&
	    grep -q -E '^(not ok|Bail out!)' "$tmp/out"; then
		echo "not ok $n - $desc: failing tests under valgrind"
		grep -E '^(not ok|Bail out!)' "$tmp/out" | head -n 20 |
		    sed 's/^/# /'
		failed=$((failed + 1))
	elif [ "$st" != "$wantst" ]; then
		echo "not ok $n - $desc: exit status $st under valgrind"
		tail -n 5 "$tmp/err" | sed 's/^/# /'
		failed=$((failed + 1))
	else
		echo "ok $n - valgrind: $desc"
	fi
}

for t in tests/test-*; do
	case $t in *.o|*.log|*.trs|*.c) continue ;; esac
	[ -x "$t" ] || continue
	case $t in
	*/test-diff) run "$t 40 600" tap "$t" 40 600 ;;
	*) run "$t" tap "$t" ;;
	esac
done
for t in tests/fuzz/replay-cmd tests/fuzz/replay-alloc; do
	[ -x "$t" ] && run "$t (fuzz regressions and seeds)" tap "$t"
done
for s in basics realloc calloc overflow double-free mmap-trim \
    checks-off-demo corrupt-unlink corrupt-mmap fuzz-found \
    glibc-tcache glibc-fastbin-dup glibc-consolidate glibc-mmap \
    glibc-printf glibc-time-travel; do
	f=$top_srcdir/tests/scripts/$s.hv
	[ -f "$f" ] || continue
	# The exit status its .out file expects (`# exit: N`, else 0).
	want=$(sed -n '1s/^# exit: //p' "${f%.hv}.out")
	run "heapviz --batch $s.hv" "${want:-0}" "$heapviz" --batch "$f"
done
[ -f "$top_srcdir/tests/scripts/basics.hv" ] &&
    run "heapviz --batch basics.hv --json" 0 "$heapviz" --batch \
    "$top_srcdir/tests/scripts/basics.hv" --json
echo "1..$n"
[ $failed = 0 ]
