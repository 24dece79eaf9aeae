#!/bin/sh
# mutants.sh -- the mutation check: each deliberate breakage in
# tests/mutants/*.sh must make the tests meant to catch it fail.
#
#   make check-mutants                 (from a build directory), or
#   top_srcdir=.. sh ../tests/mutants.sh [NAME...]
#
# The source is copied once into a scratch directory ($MUTANTS_DIR, by
# default mutants-work/ in the build directory) and built there once; each
# mutant then edits that copy, the build is redone incrementally, only the
# tests its file names run (make check TESTS=...), and the edited files are
# put back.  A mutant whose tests still pass survived: the check fails.  So
# does a mutant that no longer applies (its pattern is not found exactly
# once: fix the mutant after a refactor, never skip it), or does not build.
# First the union of the named tests must pass on the unmutated copy, or
# every "kill" would mean nothing.
#
# A mutant is a shell fragment (sourced; paths are the source tree's) whose
# comments say what it breaks and which tests catch it:
#
#   # breaks: the double-free refusal (free of a free chunk goes through)
#   # caught by: tests/scripts/double-free.hv tests/test-alloc
#   tests="tests/scripts/double-free.hv tests/test-alloc"
#   mutate src/alloc.c 's{PATTERN}{REPLACEMENT}'
#
# timeout=SECONDS in a mutant limits its tests (default 600): a mutant that
# makes a test hang counts as caught when the limit ends it.
# mutate FILE PERL-SUBSTITUTION applies s{}{} to the whole file (perl -0777,
# so a pattern may span lines) and fails unless it matched exactly once.
# Speaks TAP, one point per mutant; the last comment gives the wall time.
set -u
# What would change the results (see suite.sh).
for v in $(env | sed -n 's/^\(HV_REGEN\|HEAPVIZ_[A-Za-z0-9_]*\|GLIBC_TUNABLES\|MALLOC_[A-Za-z0-9_]*\)=.*/\1/p'); do
	unset "$v"
done
top_srcdir=$(cd "${top_srcdir:-..}" && pwd)
work=${MUTANTS_DIR:-$(pwd)/mutants-work}
jobs=${MUTANTS_JOBS:--j2}
start=$(date +%s)

if [ $# -gt 0 ]; then
	list=
	for m in "$@"; do
		list="$list $top_srcdir/tests/mutants/$m.sh"
	done
else
	list=$(ls "$top_srcdir"/tests/mutants/*.sh)
fi
[ -n "$list" ] || { echo "Bail out! no mutants in $top_srcdir/tests/mutants"; exit 99; }

# The scratch copy: the source without build directories; refreshed with
# rsync-like care so that unchanged files keep their times (and objects).
mkdir -p "$work/src" "$work/orig"
(cd "$top_srcdir" && tar cf - --exclude='./_build*' --exclude=./.git \
    --exclude='./mutants-work' --exclude=./autom4te.cache .) |
    (cd "$work/orig" && tar xf - --touch 2>/dev/null) ||
    { echo "Bail out! cannot copy the source to $work"; exit 99; }
# Copy into src/ only what differs, so a second run rebuilds little.
(cd "$work/orig" && find . -type f) | while read -r f; do
	cmp -s "$work/orig/$f" "$work/src/$f" 2>/dev/null && continue
	mkdir -p "$work/src/$(dirname "$f")"
	cp -p "$work/orig/$f" "$work/src/$f"
done
mkdir -p "$work/build"
cd "$work/build" || exit 99
if [ ! -f Makefile ]; then
	../src/configure -q > configure.log 2>&1 ||
	    { echo "Bail out! configure failed in $work/build"; exit 99; }
fi
make -s $jobs > build.log 2>&1 ||
    { echo "Bail out! the unmutated copy does not build"; tail build.log; exit 99; }

# mutate FILE SUBST: exactly one match, or the mutant is broken.
mutate() {
	[ -f "$work/src/$1" ] || { echo "$1: no such file"; return 1; }
	echo "$1" >> "$work/touched"
	MUT_S=$2 perl -0777 -i -pe '
	    $n = eval "\$_ =~ $ENV{MUT_S}g";
	    die "bad substitution: $@" if $@;
	    END { exit($n == 1 ? 0 : 3) }' "$work/src/$1" && return 0
	echo "$1: the pattern of $2 does not match exactly once"
	return 1
}

# Put the files a mutant edited back (with a new time: rebuilt next).
restore() {
	[ -f "$work/touched" ] || return 0
	while read -r f; do
		cp "$work/orig/$f" "$work/src/$f"
	done < "$work/touched"
	rm -f "$work/touched"
}
rm -f "$work/touched"

# The baseline: every named test passes unmutated.
all=
for m in $list; do
	[ -f "$m" ] || { echo "Bail out! no mutant $m"; exit 99; }
	all="$all $(sed -n 's/^tests="\(.*\)"$/\1/p' "$m")"
done
all=$(printf '%s\n' $all | sort -u | tr '\n' ' ')
make -s $jobs >> build.log 2>&1
if ! make -s $jobs check TESTS="$all" > baseline.log 2>&1; then
	echo "Bail out! unmutated, the mutants' tests fail:"
	grep -E '^(FAIL|ERROR)' baseline.log | head -n 20
	exit 99
fi

n=0 failed=0
for m in $list; do
	n=$((n + 1))
	name=$(basename "$m" .sh)
	what=$(sed -n 's/^# breaks: //p' "$m" | head -n 1)
	t0=$(date +%s)
	tests= timeout=600
	if ! . "$m" > "$work/$name.apply" 2>&1; then
		echo "not ok $n - $name: does not apply ($what)"
		sed 's/^/# /' "$work/$name.apply"
		failed=$((failed + 1))
		restore
		continue
	fi
	if [ -z "$tests" ]; then
		echo "not ok $n - $name: names no tests"
		failed=$((failed + 1))
		restore
		continue
	fi
	if ! make -s $jobs > "$work/$name.build" 2>&1; then
		echo "not ok $n - $name: does not build ($what)"
		grep -m 5 'error' "$work/$name.build" | sed 's/^/# /'
		failed=$((failed + 1))
		restore
		continue
	fi
	rm -f test-suite.log
	if timeout --kill-after=10 "$timeout" make -s $jobs check \
	    TESTS="$tests" > "$work/$name.check" 2>&1; then
		echo "not ok $n - $name survived: $what; $tests all pass"
		failed=$((failed + 1))
	else
		by=$(sed -n 's/^\(FAIL\|ERROR\): \([^ ]*\).*/\2/p' \
		    "$work/$name.check" | sort -u | tr '\n' ' ' | sed 's/ $//')
		[ $(($(date +%s) - t0)) -ge "$timeout" ] &&
		    by="${by:+$by, }the ${timeout} s limit (a test hung)"
		echo "ok $n - $name caught by ${by:-the build of the tests} ($(($(date +%s) - t0)) s): $what"
	fi
	restore
done
# Leave the copy as it was, built.
make -s $jobs > /dev/null 2>&1
echo "# mutation check: $n mutants, $failed not caught or broken, $(($(date +%s) - start)) s wall time"
echo "1..$n"
[ $failed = 0 ]
