# skip-common.sh -- sourced by tap-common.sh and tui-common.sh (not a
# test): skips that say why, and that CI does not accept.
#
#   skip_all REASON          the whole test cannot run here: a plan of 0
#                            naming the reason, exit 0
#   ci_skip_all REASON       the same, for something CI installs or its
#                            machine provides (tmux, jq, ptrace, the real
#                            mode subject, ...): under CI=true it is a
#                            failure (Bail out!), not a skip
#   skip DESCRIPTION REASON  one test point skipped, naming the reason
#   ci_skip DESCRIPTION REASON   the same; under CI=true a failing point
# Both per-point forms use and bump $n (and ci_skip $failed).
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

ci_skip_all() {
	if [ "${CI:-}" = true ]; then
		echo "Bail out! $1 (a skip, and CI=true: CI provides this)"
		exit 99
	fi
	skip_all "$1"
}

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

ci_skip() {
	n=$((n + 1))
	if [ "${CI:-}" = true ]; then
		echo "not ok $n - $1: $2 (a skip, and CI=true: CI provides this)"
		failed=$((failed + 1))
	else
		echo "ok $n - $1 # SKIP $2"
	fi
}
