# tap-common.sh -- sourced by the shell tests (not a test): the program
# under test, a scratch directory that goes away, and TAP output.
#
#   check DESCRIPTION COMMAND...   one test point: COMMAND must succeed
#                                  (its output is not shown)
#   tap_done                       the plan; the exit status says whether
#                                  every point passed
# and skip_all, ci_skip_all, skip, ci_skip from skip-common.sh.
set -u
. "$(dirname "$0")/skip-common.sh"
heapviz=${HEAPVIZ:-./heapviz}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

check() {
	n=$((n + 1))
	desc=$1; shift
	if "$@" >/dev/null 2>&1; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		failed=$((failed + 1))
	fi
}

tap_done() {
	echo "1..$n"
	[ $failed = 0 ]
}
