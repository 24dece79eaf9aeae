#!/bin/sh
# trace-glibc.sh -- `heapviz --trace` replays the traced program's calls
# through the glibc model and compares every address: tests/trace-glibc
# (sizes around every threshold, realloc, memalign; a fastbin double free
# glibc lets through; a tcache double free it aborts on; a thread) must be
# placed call for call, and where the model follows, bins, explain, check
# and heap show its heap.  A static program (no calls seen) and malloc
# tunables (the model diverges, and says why) are the other side.
#
# Addresses are compared with each other, never with fixed numbers.
. "$(dirname "$0")/tap-common.sh"
bin=${top_builddir:-.}
prog=$bin/tests/trace-glibc

for p in tests/trace-glibc tests/trace-glibc-static tests/can-ptrace; do
	[ -x "$bin/$p" ] || ci_skip_all "$bin/$p is not built (make check builds it)"
done
command -v jq >/dev/null 2>&1 || ci_skip_all "jq is not installed"
# The model is handed the program's own mappings: only a traced run sees
# its mmap calls.
if ! why=$("$bin/tests/can-ptrace" 2>&1); then
	ci_skip_all "ptrace is not permitted here ($why): the program's mmap calls are not seen"
fi

# hv OUT ARGS...: commands on stdin; output in $tmp/OUT.
hv() {
	out=$1; shift
	timeout --kill-after=5 60 "$heapviz" "$@" > "$tmp/$out" 2>&1
	echo $? > "$tmp/$out.st"
}
# The JSON line of a run's output (the last `state --json`).
json() { grep '^{"mode"' "$tmp/$1" | tail -n 1; }
# The main thread's malloc-family calls among a run's steps.
main_calls() {
	grep -E '^ *>? *[0-9]+  (p[0-9]+ = )?(malloc|calloc|realloc|free|memalign|aligned_alloc|posix_memalign|valloc|pvalloc)\(' \
	    "$tmp/$1" | grep -vc '\[thread '
}

# ---- Every threshold, realloc, memalign: all placed. ----
printf 'history all\nstate --json\ncheck\n' > "$tmp/cmds"
hv mix --trace "$prog" mix < "$tmp/cmds"
calls=$(main_calls mix)
check "the mix program ran and exited 0" \
    grep -q '^traced .*trace-glibc (pid [0-9]*): exited with status 0' "$tmp/mix"
check "it made thousands of calls ($calls)" [ "$calls" -gt 3000 ]
check "the glibc model placed $calls of $calls calls at the real addresses" \
    grep -q "the glibc-2.36 model placed $calls of $calls calls at the real addresses" \
    "$tmp/mix"
j=$(json mix)
check "state --json: model.allocator is glibc-2.36" \
    [ "$(printf '%s' "$j" | jq -r .model.allocator)" = glibc-2.36 ]
check "state --json: model.calls = model.agree = $calls" \
    [ "$(printf '%s' "$j" | jq -r '"\(.model.calls) \(.model.agree)"')" = "$calls $calls" ]
check "state --json: model.first_divergence is null" \
    [ "$(printf '%s' "$j" | jq -c .model.first_divergence)" = null ]
check "state --json: the heap is the model's (the tcache struct first, a top)" \
    [ "$(printf '%s' "$j" | jq -r '[.chunks[0].size, (.chunks|map(select(.state=="top"))|length)]|@tsv')" = "$(printf '656\t1')" ]
check "check finds glibc's invariants hold at the end" \
    grep -q '^heap is consistent' "$tmp/mix"
# The mmapped blocks are at the program's own mapping addresses.
mm=$(grep -E 'malloc\(200000\) = 0x7' "$tmp/mix" | head -n 1 |
    sed 's/.* = \(0x[0-9a-f]*\).*/\1/')
check "a mapped block is at the program's mapping ($mm)" [ -n "$mm" ]

# ---- The fastbin dup: the same block comes back twice, and the model
# says so too. ----
dstep=$(printf 'history all\n' | "$heapviz" --trace "$prog" dup 2>/dev/null |
    grep -E '^ *>? *[0-9]+  free\(' | tail -n 1 | awk '{print $1}')
printf 'history all\ngoto %s\nbins\nexplain\nheap\n' "$dstep" > "$tmp/cmds"
hv dup --trace "$prog" dup < "$tmp/cmds"
calls=$(main_calls dup)
check "fastbin dup: the model placed $calls of $calls calls" \
    grep -q "model placed $calls of $calls calls at the real addresses" "$tmp/dup"
check "fastbin dup: the program got one block twice" \
    grep -q '^  | dup: the same block twice' "$tmp/dup"
dup=$(grep -E '^ *>? *[0-9]+  free\(' "$tmp/dup" | tail -n 1 |
    sed 's/.*free(\(0x[0-9a-f]*\)).*/\1/')
check "after the second free of $dup, bins lists fastbin 1 with it" \
    grep -Eq "^ fastbin +1 .*$(printf '0x%x' $((dup - 16)))" "$tmp/dup"
check "explain tells the free went to the fastbin" \
    grep -Eq '^- .*fastbin' "$tmp/dup"
check "heap shows the tcache chunks as free in their tcache bin" \
    grep -Eq ' free +p[0-9]+ +~ tcache bin 1 ' "$tmp/dup"

# ---- A tcache double free: glibc aborts; the trace shows it. ----
printf 'bins\nstate --json\n' > "$tmp/cmds"
hv t2 --trace "$prog" tcache2 < "$tmp/cmds"
check "tcache double free: the program was killed by SIGABRT" \
    grep -q 'was killed by signal 6 (Aborted)' "$tmp/t2"
check "and glibc's message is in its standard error" \
    grep -q '^  | free(): double free detected in tcache 2' "$tmp/t2"
check "the model placed both calls before it" \
    grep -q 'model placed 2 of 2 calls at the real addresses' "$tmp/t2"
check "bins shows the block in tcache bin 5, where the second free found it" \
    grep -Eq '^ tcache bin +5 \(112 bytes, 1/7\): 0x[0-9a-f]+ \(p1~' "$tmp/t2"

# ---- A thread: its calls are in its own arena, marked, not modelled. ----
printf 'history all\nheap\nstate --json\n' > "$tmp/cmds"
hv th --trace "$prog" thread < "$tmp/cmds"
calls=$(main_calls th)
tcalls=$(grep -E '^ *>? *[0-9]+  (p[0-9]+ = )?(malloc|free)\(.*\[thread [0-9]+\]' "$tmp/th" | wc -l)
check "thread: the thread made calls ($tcalls), marked with its id" [ "$tcalls" -ge 30 ]
# The main arena's calls: the main thread's, and the thread's free of
# the main thread's 2000-byte block (too big for its tcache, it goes
# back to the main arena).
arena=$((calls + 1))
check "thread: the model placed the main arena's $arena of $arena calls" \
    grep -q "model placed $arena of $arena calls at the real addresses" "$tmp/th"
j=$(json th)
check "state --json: model.calls counts only the main arena's ($arena)" \
    [ "$(printf '%s' "$j" | jq -r .model.calls)" = "$arena" ]
tid=$(grep -o '\[thread [0-9]*\]' "$tmp/th" | head -n 1 | tr -dc 0-9)
check "state --json: the thread's blocks carry \"thread\": $tid" \
    [ "$(printf '%s' "$j" | jq "[.chunks[] | select(.thread == $tid)] | length")" -ge 20 ]
check "heap marks the thread's arena" \
    grep -q "\[thread $tid's arena\]" "$tmp/th"

# ---- No calls seen: a static program. ----
printf 'bins\nstate --json\n' > "$tmp/cmds"
hv st --trace "$bin/tests/trace-glibc-static" mix < "$tmp/cmds"
check "static: the model says it has no calls to replay" \
    grep -q 'model has no calls to replay (a statically linked' "$tmp/st"
check "static: bins is refused, not an empty pretence" \
    grep -q '^stdin:1: bins: a trace records no bins' "$tmp/st"
check "static: state --json model.calls is 0" \
    [ "$(json st | jq -r .model.calls)" = 0 ]

# ---- Tunables: the model diverges, says where and why. ----
printf 'bins\nstate --json\n' > "$tmp/cmds"
GLIBC_TUNABLES=glibc.malloc.tcache_count=0 hv tun --trace "$prog" mix < "$tmp/cmds"
j=$(json tun)
s=$(printf '%s' "$j" | jq -r .model.first_divergence.step)
check "tunables: the summary names the step it diverged at ($s)" \
    grep -q "then diverged at step $s: " "$tmp/tun"
printf '%s' "$j" | jq -r .model.first_divergence.why > "$tmp/why"
check "tunables: the likely why names GLIBC_TUNABLES" \
    grep -q GLIBC_TUNABLES "$tmp/why"
check "tunables: first_divergence has the real and the model's address" \
    [ "$(printf '%s' "$j" | jq '.model.first_divergence | (.real > 0) and (.model > 0) and (.real != .model)')" = true ]
check "tunables: agree < calls" \
    [ "$(printf '%s' "$j" | jq '.model.agree < .model.calls')" = true ]
check "tunables: bins past the divergence says up to which step it follows" \
    grep -q "^stdin:1: bins: the glibc-2.36 model follows trace-glibc only up to step $((s - 1))" "$tmp/tun"
printf 'goto %s\nbins\n' "$((s - 1))" > "$tmp/cmds"
GLIBC_TUNABLES=glibc.malloc.tcache_count=0 hv tun2 --trace "$prog" mix < "$tmp/cmds"
check "tunables: at the step before, bins works" \
    grep -q '^ top: 0x' "$tmp/tun2"

# ---- Untraced (ptrace refused): the mappings are not seen. ----
printf 'state --json\n' > "$tmp/cmds"
HEAPVIZ_NO_PTRACE=1 hv np --trace "$prog" mix < "$tmp/cmds"
json np | jq -r .model.first_divergence.why > "$tmp/why"
check "untraced: the model diverges at the first mapped block" \
    grep -Eq 'then diverged at step [0-9]+: malloc\(200000\)' "$tmp/np"
check "untraced: and says the program's mmap calls were not seen" \
    grep -q "ptrace was not permitted, so the program's mmap calls were not seen" "$tmp/why"

# ---- The judge runs beside the program, not after it. ----
# side OUT: trace `wait`, running FIRST (a command) once the program is
# under heapviz, with $judge its judging child; then let it finish.
side() {
	out=$1; shift
	rm -f "$tmp/go"
	printf 'history all\n' | "$heapviz" --trace "$prog" wait "$tmp/go" \
	    > "$tmp/$out" 2>&1 &
	hvpid=$!
	i=0
	while [ $i -lt 100 ] && ! pgrep -P $hvpid -x trace-glibc >/dev/null 2>&1; do
		sleep 0.1
		i=$((i + 1))
	done
	judge=$(pgrep -P $hvpid -x heapviz)
	"$@"
	touch "$tmp/go"
	wait $hvpid
	echo $? > "$tmp/$out.st"
}
judge_note='judge, started with the trace, failed: it judged again at the end'
side beside true
calls=$(main_calls beside)
check "while the program runs, heapviz judges it in a child of its own" \
    [ -n "$judge" ]
check "beside: the model placed $calls of $calls calls (two mixes)" \
    grep -q "the glibc-2.36 model placed $calls of $calls calls at the real addresses" \
    "$tmp/beside"
check "beside: no word of a failed judge" \
    sh -c "! grep -q '$judge_note' '$tmp/beside'"
kill_judge() { [ -n "$judge" ] && kill "$judge"; }
side killed kill_judge
check "the judging child killed mid-trace: heapviz says so once" \
    [ "$(grep -c "$judge_note" "$tmp/killed")" = 1 ]
check "and judges at the end: the same $calls of $calls calls" \
    grep -q "the glibc-2.36 model placed $calls of $calls calls at the real addresses" \
    "$tmp/killed"
check "and exits 0" [ "$(cat "$tmp/killed.st")" = 0 ]

tap_done
