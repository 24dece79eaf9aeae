#!/bin/sh
# trace-bench.sh -- heapviz --trace against heaptrack and the plain run.
#
# Three programs: perl filling a hash of 100,000 entries (issue 15's), a C
# program making 1,000,000 malloc/free pairs (bench/trace-pairs.c), and
# python3 on a JSON workload.  Each is run plain, under `heaptrack -o FILE`
# and under `heapviz --quiet-output --trace`, with hyperfine: the medians
# of RUNS runs (5 unless set), one warm-up.  Then the events heapviz
# recorded, events per second, and heapviz's peak resident memory above
# its size at start: VmHWM of heapviz's own process at its exit (a small
# library preloaded into it prints it; GNU time's %M would count the
# traced program too), less that of a heapviz that only starts and quits.
# Last, time travel over the two long recordings: 50 `goto`s to random
# steps after the trace, against the trace alone (hyperfine, medians),
# and the difference per goto.
#
# Needs heaptrack, hyperfine, GNU time (/usr/bin/time), perl, python3, cc.
# Usage: bench/trace-bench.sh [HEAPVIZ]   (default: ./heapviz; make bench)
set -u
heapviz=${1:-${HEAPVIZ:-./heapviz}}
runs=${RUNS:-5}
srcdir=$(cd "$(dirname "$0")" && pwd)

for t in heaptrack hyperfine perl python3 cc jq; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "trace-bench: $t is missing: skipped (the bench needs" \
		    "heaptrack, hyperfine, jq, perl, python3, cc)"
		exit 0
	fi
done
# The interpreters themselves, not a wrapper that PATH may find first
# (pyenv's python3 is a shell script that runs several programs before
# python: heapviz follows each of them, heaptrack's preload does not).
perl=$(command -v perl)
python3=$(command -v python3)
for p in /usr/bin/perl /usr/bin/python3; do
	[ -x "$p" ] || continue
	case $p in */perl) perl=$p ;; *) python3=$p ;; esac
done
[ -x "$heapviz" ] || { echo "trace-bench: no heapviz at $heapviz" >&2; exit 1; }
case $heapviz in /*) ;; *) heapviz=$(pwd)/$heapviz ;; esac

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/trace-pairs" "$srcdir/trace-pairs.c" || exit 1
# Peak RSS of the process it is loaded in, to stderr at exit, in KiB.
cat > "$tmp/hwm.c" <<'C'
#include <stdio.h>
#include <string.h>
__attribute__((destructor)) static void
hwm(void)
{
	char	line[256];
	FILE	*f = fopen("/proc/self/status", "r");

	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "VmHWM:", 6) == 0)
			fprintf(stderr, "hwm %s", line + 6);
	if (f != NULL)
		fclose(f);
}
C
cc -O2 -shared -fPIC -o "$tmp/hwm.so" "$tmp/hwm.c" || exit 1
hwm() {	# hwm COMMAND...: heapviz's peak RSS in KiB
	LD_PRELOAD=$tmp/hwm.so "$@" 2>&1 > /dev/null < /dev/null |
	    sed -n 's/^hwm[[:space:]]*\([0-9]*\) kB/\1/p' | tail -n 1
}
cat > "$tmp/hash.pl" <<'PL'
my %h; $h{$_} = [$_, "x$_"] for (1..100000);
PL
cat > "$tmp/json-load.py" <<'PY'
import json
d = [{"id": i, "name": "item%d" % i, "tags": ["a", "b", str(i)]}
     for i in range(50000)]
s = json.dumps(d)
assert len(json.loads(s)) == 50000
PY

echo "trace-bench: $(uname -sr), $(nproc) cores, medians of $runs runs"
printf '%-8s %9s %10s %10s %8s %8s %10s %9s %9s %9s\n' program plain \
    heaptrack heapviz hv/ht hv/plain events "Mevents/s" "Mev/s+" "RSS+MiB"
# The RSS of a heapviz that starts and quits.
base=$(hwm "$heapviz")

bench() {	# bench NAME COMMAND...
	name=$1; shift
	cmd=$*
	hyperfine -N -r "$runs" -w 1 --export-json "$tmp/$name.json" \
	    --command-name plain "$cmd" \
	    --command-name heaptrack "heaptrack -o $tmp/$name.ht $cmd" \
	    --command-name heapviz \
	    "$heapviz --quiet-output --trace $cmd" \
	    > "$tmp/$name.hf" 2>&1 || { echo "$name: $cmd"; cat "$tmp/$name.hf"; return 1; }
	m() { jq -r ".results[] | select(.command == \"$1\") | .median" \
	    "$tmp/$name.json"; }
	plain=$(m plain) ht=$(m heaptrack) hv=$(m heapviz)
	rss=$(hwm "$heapviz" --quiet-output --trace "$@")
	events=$("$heapviz" --quiet-output --trace "$@" < /dev/null |
	    sed -n 's/^  \([0-9]*\) events as steps.*/\1/p')
	eval "events_$name=$events"
	awk -v n="$name" -v p="$plain" -v t="$ht" -v v="$hv" -v e="$events" \
	    -v r="$rss" -v b="$base" 'BEGIN {
		printf "%-8s %8.3fs %9.3fs %9.3fs %7.2fx %7.1fx %10d %9.2f %9.2f %9.1f\n",
		    n, p, t, v, v / t, v / p, e, e / v / 1e6,
		    (v > p ? e / (v - p) / 1e6 : 0), (r - b) / 1024 }'
}

bench perl "$perl" "$tmp/hash.pl"
bench pairs "$tmp/trace-pairs"
bench python "$python3" "$tmp/json-load.py"
echo "(hv/ht: heapviz's time over heaptrack's; Mevents/s: events over" \
    "heapviz's wall time; Mev/s+: over what heapviz adds to the plain run;" \
    "RSS+MiB: heapviz's peak resident memory above its start," \
    "$((base / 1024)) MiB)"

gotos() {	# gotos NAME COMMAND...: the time of one goto in its recording
	name=$1; shift
	eval "max=\$events_$name"
	awk -v max="$max" 'BEGIN { srand(15); for (i = 0; i < 50; i++)
	    printf "goto %d\n", int(rand() * max) + 1 }' > "$tmp/gotos"
	hyperfine -N -r "$runs" -w 1 --export-json "$tmp/$name-goto.json" \
	    --command-name with "sh -c 'exec $heapviz --quiet-output --trace $* < $tmp/gotos > /dev/null'" \
	    --command-name without "sh -c 'exec $heapviz --quiet-output --trace $* < /dev/null > /dev/null'" \
	    > "$tmp/$name-goto.hf" 2>&1 || { cat "$tmp/$name-goto.hf"; return 1; }
	# Wall time (median), and CPU time (user + system, mean).
	j() { jq -r ".results[] | select(.command == \"$1\") | $2" \
	    "$tmp/$name-goto.json"; }
	awk -v n="$name" -v e="$max" -v w="$(j with .median)" \
	    -v o="$(j without .median)" \
	    -v cw="$(j with '.user + .system')" \
	    -v co="$(j without '.user + .system')" 'BEGIN {
		printf "goto in the %s recording (%d steps): %.1f ms wall, " \
		    "%.1f ms CPU each (50 gotos and the trace: %.3fs, the " \
		    "trace alone: %.3fs)\n", n, e, (w - o) / 50 * 1000,
		    (cw - co) / 50 * 1000, w, o }'
}
gotos perl "$perl" "$tmp/hash.pl"
gotos pairs "$tmp/trace-pairs"
