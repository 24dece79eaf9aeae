#!/bin/sh
# run-hv.sh SCRIPT.hv -- run a heapviz script in batch mode, echoing each
# command, and compare everything it prints (stdout and stderr, in order)
# and its exit status with SCRIPT.out beside it.
#
# The first line of SCRIPT.out may say `# exit: N` (default 0).
# With HV_REGEN=1 the .out file is rewritten instead (then review the diff);
# never under CI=true, where it would turn every script test into a pass.
set -u
script=$1
dir=$(dirname "$script")
base=$(basename "$script" .hv)
expected="$dir/$base.out"
heapviz=${HEAPVIZ:-./heapviz}
case $heapviz in /*) ;; *) heapviz=$(pwd)/$heapviz ;; esac

actual=$(cd "$dir" && "$heapviz" --batch "$base.hv" --echo 2>&1; echo "# exit: $?")
status=$(printf '%s\n' "$actual" | tail -n 1)
body=$(printf '%s\n' "$actual" | sed '$d')

if [ "${HV_REGEN:-0}" = 1 ] && [ "${CI:-}" = true ]; then
	echo "Bail out! HV_REGEN=1 under CI=true: refusing to rewrite $expected"
	exit 99
fi
if [ "${HV_REGEN:-0}" = 1 ]; then
	{
		[ "$status" = "# exit: 0" ] || printf '%s\n' "$status"
		printf '%s\n' "$body"
	} > "$expected"
	echo "regenerated $expected"
	exit 0
fi

want_status="# exit: 0"
want_body=$(cat "$expected")
case $(head -n 1 "$expected") in
"# exit: "*)
	want_status=$(head -n 1 "$expected")
	want_body=$(sed 1d "$expected")
	;;
esac

fail=0
if [ "$status" != "$want_status" ]; then
	echo "$base: exit status: got '$status', want '$want_status'"
	fail=1
fi
if [ "$body" != "$want_body" ]; then
	echo "$base: output differs from $expected:"
	printf '%s\n' "$want_body" > "${TMPDIR:-/tmp}/hv-want.$$"
	printf '%s\n' "$body" > "${TMPDIR:-/tmp}/hv-got.$$"
	diff -u "${TMPDIR:-/tmp}/hv-want.$$" "${TMPDIR:-/tmp}/hv-got.$$"
	rm -f "${TMPDIR:-/tmp}/hv-want.$$" "${TMPDIR:-/tmp}/hv-got.$$"
	fail=1
fi
[ $fail = 0 ] && echo "$base: output and exit status as expected"
exit $fail
