#!/bin/sh
# trace.sh -- `trace PROGRAM` and `heapviz --trace`: the seed's two sbrk
# programs, a malloc above the mmap threshold, time travel through a
# recording, a program that cannot start, one killed by a signal, the
# fallback when ptrace is not permitted, the aligned allocators
# (memalign, aligned_alloc, valloc, pvalloc, posix_memalign) by name, more
# records than the shared ring holds, holes in the heap filled block by
# block, the threads' ids, Ctrl-C (SIGINT)
# during a trace, and --quiet-output.
#
# The programs are built by `make check` in $top_builddir; the preload
# library is $HEAPVIZ_PRELOAD (the build tree's copy).  Addresses are not
# compared with fixed numbers (they depend on the kernel and libc), only
# with each other.
. "$(dirname "$0")/tap-common.sh"
bin=${top_builddir:-.}

# hv OUT [ENV=VALUE...] -- ARGS...: commands on stdin, output (stdout and
# stderr) in $tmp/OUT, exit status in $tmp/OUT.st.  A run that takes more
# than $hv_limit s (60; they take seconds) has hung: the test stops there.
hv_limit=60
hv() {
	out=$1; shift
	timeout --kill-after=5 "$hv_limit" env "$@" > "$tmp/$out" 2>&1
	st=$?
	echo $st > "$tmp/$out.st"
	if [ $st = 124 ] || [ $st = 137 ]; then
		echo "Bail out! heapviz hung ($hv_limit s): $*"
		exit 99
	fi
}

# The first address after "WHAT = " in a file: field of a history line.
first_result() {	# first_result FILE PATTERN
	grep -- "$2" "$1" | head -n 1 | sed 's/.* = \(0x[0-9a-f]*\).*/\1/'
}

for p in examples/sbrk-demo examples/sbrk-printf examples/big-malloc \
    tests/trace-abort tests/trace-threads tests/trace-aligned \
    tests/trace-many tests/trace-holes tests/can-ptrace; do
	if [ ! -x "$bin/$p" ]; then
		ci_skip_all "$bin/$p is not built (make check builds it)"
	fi
done

# ---- The seed's first program, traced. ----
printf 'history all\nlog\nstate --json\n' > "$tmp/cmds"
hv demo "$heapviz" --trace "$bin/examples/sbrk-demo" \
    < "$tmp/cmds"
# Whether the kernel's side can be checked is the machine's answer, not
# heapviz's: where ptrace works, heapviz must use it.
if why=$("$bin/tests/can-ptrace" 2>&1); then
	traced=yes
	why=
else
	traced=no
	why="ptrace is not permitted here ($why)"
fi
check "heapviz --trace sbrk-demo exits 0" [ "$(cat "$tmp/demo.st")" = 0 ]
if [ $traced = yes ]; then
	check "where the machine permits ptrace, heapviz uses it" \
	    sh -c "! grep -q 'ptrace is not permitted' '$tmp/demo'"
fi
check "it says how the program ended" \
    grep -q '^traced .*sbrk-demo (pid [0-9]*): exited with status 0' \
    "$tmp/demo"
check "the program's three sbrk calls are steps" \
    [ "$(grep -c ' sbrk([0-9]*) = 0x[0-9a-f]*   <- in sbrk-demo' \
    "$tmp/demo")" = 3 ]
b0=$(first_result "$tmp/demo" ' sbrk(0) = ')
b1=$(grep -- ' sbrk(0) = ' "$tmp/demo" | sed -n 2p |
    sed 's/.* = \(0x[0-9a-f]*\).*/\1/')
check "the break moves by exactly 0x20 between the sbrk(0)s ($b0, $b1)" \
    [ $((b1 - b0)) = 32 ]
check "the program's stdout is shown apart, marked" \
    grep -q "^  | Program break after sbrk: $b1" "$tmp/demo"
check "and never raw on heapviz's output" \
    sh -c "! grep -q '^Program break' '$tmp/demo'"
check "state --json says mode trace" grep -q '^{"mode":"trace"' "$tmp/demo"
if [ $traced = yes ]; then
	b20=$(printf '0x%x' $((b0 + 32)))
	check "the kernel's brk to $b20 is caused by sbrk(32)" \
	    grep -q "brk($b20) = $b20 .*sbrk(32) in sbrk-demo" "$tmp/demo"
	check "sbrk(0)'s brk(NULL) query is logged with its cause" \
	    grep -q "brk(NULL) = $b0 .*sbrk(0) in sbrk-demo" "$tmp/demo"
	check "ld.so's mmaps before main are logged as ld.so's" \
	    grep -q "mmap(.*ld.so, starting sbrk-demo" "$tmp/demo"
else
	for d in "brk by sbrk(32)" "brk(NULL) by sbrk(0)" "ld.so's mmaps"; do
		ci_skip "$d" "$why"
	done
fi

printf 'heap\n' > "$tmp/cmds"
hv json "$heapviz" --json --trace "$bin/examples/sbrk-demo" < "$tmp/cmds"
check "with --json, what trace says is an object too (line 0)" \
    grep -q '^{"line":0,"command":"trace .*sbrk-demo","ok":true,"output":"traced ' \
    "$tmp/json"

# ---- Stepping through it. ----
steps=$(sed -n 's/^[ >] *\([0-9][0-9]*\)  sbrk(0) = .*/\1/p' "$tmp/demo")
s1=$(echo $steps | cut -d' ' -f1)
s2=$(echo $steps | cut -d' ' -f2)
printf 'goto %s\nheap\ngoto %s\nheap\nback 2\nheap\nforward 2\nhistory\n' \
    "$s2" "$s1" > "$tmp/cmds"
hv step "$heapviz" --trace "$bin/examples/sbrk-demo" < "$tmp/cmds"
check "goto to the second sbrk(0) (step $s2) shows the break 0x20 up" \
    grep -q "^heap .*, break $b1 (+0x20 since the start)" "$tmp/step"
check "goto to the first (step $s1) shows it where it started" \
    grep -q "^heap .*, break $b0 (+0x0 since the start)" "$tmp/step"
check "the 32 bytes show as sbrk's own memory" \
    grep -q "^ $b0 *32  ---  foreign .*sbrk(32) by sbrk-demo" "$tmp/step"
check "back and forward move through the steps" \
    grep -q "^>  *$s1  sbrk(0)" "$tmp/step"

# ---- The seed's second program: printf's malloc moves the break. ----
printf 'history all\nlog\n' > "$tmp/cmds"
hv printf "$heapviz" --trace "$bin/examples/sbrk-printf" < "$tmp/cmds"
p0=$(first_result "$tmp/printf" ' sbrk(0) = ')
p32=$(first_result "$tmp/printf" ' sbrk(32) = ')
check "sbrk(32) lands 0x21000 above the first break ($p0, $p32)" \
    [ $((p32 - p0)) = $((0x21000)) ]
check "the malloc inside printf is a step of its own" \
    grep -q "p1 = malloc([0-9]*) = 0x.*by libc's stdio buffer (printf)" \
    "$tmp/printf"
if [ $traced = yes ]; then
	j=$(printf '0x%x' $((p0 + 0x21000)))
	check "the brk to $j is attributed to printf's malloc" \
	    grep -q "brk($j) = $j .*malloc([0-9]*) by libc's stdio buffer (printf)" \
	    "$tmp/printf"
else
	ci_skip "the brk attributed to printf's malloc" "$why"
fi

# ---- Malloc tunables: the program keeps them; the summary names them. ----
printf 'history all\n' > "$tmp/cmds"
hv tun GLIBC_TUNABLES=glibc.malloc.top_pad=0 "$heapviz" --trace \
    "$bin/examples/sbrk-printf" < "$tmp/cmds"
t0=$(first_result "$tmp/tun" ' sbrk(0) = ')
t32=$(first_result "$tmp/tun" ' sbrk(32) = ')
check "with top_pad=0 the traced program's printf moves the break less ($t0, $t32)" \
    [ $((t32 - t0)) -lt $((0x21000)) ]
check "the summary names the tunable" \
    grep -q "^note: sbrk-printf ran with malloc tunables set (GLIBC_TUNABLES=glibc.malloc.top_pad=0)" \
    "$tmp/tun"
check "and says nothing of tunables when none is set" \
    sh -c "! grep -q tunables '$tmp/printf'"
hv pers HEAPVIZ_NO_PERSONALITY=1 "$heapviz" --trace \
    "$bin/examples/sbrk-demo" < /dev/null
check "a refused personality is reported" \
    grep -q "^note: the kernel refused to turn address randomisation off (personality: Operation not permitted): sbrk-demo's" \
    "$tmp/pers"

# ---- Above the mmap threshold: a mapping of its own. ----
printf 'history all\nlog\n' > "$tmp/cmds"
hv big "$heapviz" --trace "$bin/examples/big-malloc" < "$tmp/cmds"
check "malloc(200000) is a step" \
    grep -q 'p2 = malloc(200000) = 0x[0-9a-f]*   <- in big-malloc' "$tmp/big"
if [ $traced = yes ]; then
	check "and makes an anonymous mmap" \
	    grep -q 'mmap(NULL, 0x31000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0x0) = 0x.*malloc(200000) in big-malloc' \
	    "$tmp/big"
	check "which free gives back with munmap" \
	    grep -q 'munmap(0x[0-9a-f]*, 0x31000) = 0 .*free(0x[0-9a-f]*) in big-malloc' \
	    "$tmp/big"
	s=$(sed -n 's/^[ >] *\([0-9][0-9]*\)  p2 = malloc(200000).*/\1/p' \
	    "$tmp/big" | head -n 1)
	printf 'goto %s\nheap\nmap\n' "$s" > "$tmp/cmds"
	hv bigheap "$heapviz" --trace "$bin/examples/big-malloc" < "$tmp/cmds"
	check "at that step the heap view shows an mmapped chunk" \
	    grep -q 'mmapped  p2' "$tmp/bigheap"
else
	for d in "an anonymous mmap" "munmap by free" "an mmapped chunk"; do
		ci_skip "$d" "$why"
	done
fi

# ---- A trace session cannot be changed; reset leaves it. ----
printf 'malloc 32\nbins\nexplain\nsave x.hv\nreset\nmalloc 32\nstate --json\n' > "$tmp/cmds"
hv refuse "$heapviz" --trace "$bin/examples/sbrk-demo" < "$tmp/cmds"
check "malloc in a trace is refused, naming the way out" \
    grep -q 'malloc: this session is a recording of sbrk-demo; it cannot be changed (`reset` leaves the trace for a fresh heap, `mode sim` for' \
    "$tmp/refuse"
# bins and explain are the glibc model's, which follows the program
# (tests/trace-glibc.sh tests it): its tcache struct lies above the 32
# bytes the program took with sbrk, as glibc's did.
check "bins shows the glibc model's heap, above the program's own sbrk" \
    grep -q "^ tcache_struct: $(printf '0x%x' $((b0 + 32))) (656)" "$tmp/refuse"
check "explain at the end: the program's exit is no allocator decision" \
    grep -q "^- the allocator took no decision in this step" "$tmp/refuse"
check "save says why" \
    grep -q "save: a trace is not a script of commands (this session is a trace of sbrk-demo;" "$tmp/refuse"
check "after reset the session is the simulated one" \
    grep -q '^p1 = malloc(32) = 0x555555559010' "$tmp/refuse"
check "with mode sim" grep -q '^{"mode":"sim"' "$tmp/refuse"
check "a refused command makes the exit status 1" \
    [ "$(cat "$tmp/refuse.st")" = 1 ]

printf 'mode\nmode sim\nstate --json\n' > "$tmp/cmds"
hv mode "$heapviz" --trace "$bin/examples/sbrk-demo" < "$tmp/cmds"
check "mode says a trace is on" \
    grep -q '^mode trace: a recording of sbrk-demo' "$tmp/mode"
check "mode sim leaves it for a fresh simulated heap" \
    grep -q '^{"mode":"sim","step":0,' "$tmp/mode"

# A lesson has no place on a recording: trace closes it, saying so.
printf 'open smallbin-reuse\nstep\ntrace %s\nreset\nstep\n' \
    "$bin/examples/sbrk-demo" > "$tmp/cmds"
hv lesson HEAPVIZ_EXAMPLES="${HEAPVIZ_EXAMPLES:-$top_srcdir/examples}" \
    "$heapviz" --batch - < "$tmp/cmds"
check "trace closes an open lesson and says so" \
    grep -q '^note: the lesson smallbin-reuse.hv is closed' "$tmp/lesson"
check "after it and reset, step finds no lesson" \
    grep -q 'step: no lesson is open' "$tmp/lesson"

# ---- Programs that cannot be started. ----
hv nostart "$heapviz" --trace "$tmp/no-such-program" < /dev/null
check "--trace of a missing program exits 1" \
    [ "$(cat "$tmp/nostart.st")" = 1 ]
check "and says why" \
    grep -q "^trace: cannot start $tmp/no-such-program: No such file or directory" \
    "$tmp/nostart"
printf '#!/bin/sh\n' > "$tmp/not-executable"
printf 'trace %s\nmalloc 16\n' "$tmp/not-executable" > "$tmp/cmds"
hv noexec "$heapviz" < "$tmp/cmds"
check "trace of a file that is not executable says so" \
    grep -q "trace: cannot start $tmp/not-executable: Permission denied" \
    "$tmp/noexec"
check "and the session carries on" grep -q '^p1 = malloc(16)' "$tmp/noexec"
check "with exit status 1" [ "$(cat "$tmp/noexec.st")" = 1 ]
hv noprog "$heapviz" --trace < /dev/null
check "--trace without a program is a usage error (2)" \
    [ "$(cat "$tmp/noprog.st")" = 2 ]

# ---- Killed by a signal. ----
printf 'trace %s\nhistory\nheap\nreset\nmalloc 16\n' \
    "$bin/tests/trace-abort" > "$tmp/cmds"
hv abort "$heapviz" < "$tmp/cmds"
check "a program killed by a signal is reported" \
    grep -q '^traced .*trace-abort (pid [0-9]*): was killed by signal 6 (Aborted)' \
    "$tmp/abort"
check "what it did first is kept" \
    grep -q '^ 0x[0-9a-f]*  *64  P--  inuse    p1' "$tmp/abort"
check "its stderr is shown apart" \
    grep -q '^  | about to abort with a block at 0x' "$tmp/abort"
check "heapviz carries on" grep -q '^p1 = malloc(16) = 0x555555559010' \
    "$tmp/abort"
check "and exits 0" [ "$(cat "$tmp/abort.st")" = 0 ]

# ---- A program that writes without end is stopped. ----
if command -v yes >/dev/null 2>&1; then
	hv yes "$heapviz" --trace yes < /dev/null
	check "trace yes is stopped once its output passes 64 MiB" \
	    grep -q '^note: heapviz stopped yes: its output passed 64 MiB' \
	    "$tmp/yes"
else
	ci_skip "trace yes is stopped" "yes is not installed"
fi

# ---- ptrace refused (simulated): the break movement is still there. ----
printf 'history all\nlog\nheap\nmap\n' > "$tmp/cmds"
hv deny HEAPVIZ_NO_PTRACE=1 "$heapviz" --trace "$bin/examples/sbrk-demo" \
    < "$tmp/cmds"
check "with ptrace refused heapviz says so once" \
    [ "$(grep -c 'ptrace is not permitted' "$tmp/deny")" = 1 ]
check "the trace still completes" \
    grep -q '^traced .*sbrk-demo (pid [0-9]*): exited with status 0' \
    "$tmp/deny"
d0=$(first_result "$tmp/deny" ' sbrk(0) = ')
d20=$(printf '0x%x' $((d0 + 32)))
check "the break moving by 0x20 is reported ($d0 -> $d20)" \
    grep -q "brk($d20) = $d20 .*sbrk(32) in sbrk-demo \[inferred\]" \
    "$tmp/deny"
check "the malloc calls are still recorded" \
    grep -q "p1 = malloc([0-9]*) = 0x.*by libc's stdio buffer (printf)" \
    "$tmp/deny"
check "and the map read from /proc" grep -q 'data .*sbrk-demo' "$tmp/deny"
check "the ring heapviz shares with the program is named in the map" \
    grep -q "data .* heapviz's record ring" "$tmp/deny"

# ---- seccomp refused (simulated): every call stops, the same trace. ----
if [ $traced = yes ]; then
	printf 'history all\nlog\n' > "$tmp/cmds"
	hv nosec HEAPVIZ_NO_SECCOMP=1 "$heapviz" --trace \
	    "$bin/examples/sbrk-demo" < "$tmp/cmds"
	check "with the seccomp filter refused heapviz says so once" \
	    [ "$(grep -c 'refused a seccomp filter' "$tmp/nosec")" = 1 ]
	check "and the brk made by sbrk(32) is still there, with its cause" \
	    grep -q "brk($b20) = $b20 .*sbrk(32) in sbrk-demo" "$tmp/nosec"
	printf 'history all\n' > "$tmp/cmds"
	hv nosecmany HEAPVIZ_NO_SECCOMP=1 HEAPVIZ_TRACE_RING=16 "$heapviz" \
	    --trace "$bin/tests/trace-many" < "$tmp/cmds"
	check "and a ring of 16 still brings all 20000 mallocs" \
	    [ "$(grep -c ' = malloc([0-9]*) = 0x.*<- in trace-many$' \
	    "$tmp/nosecmany")" = 20000 ]
else
	for d in "seccomp refused said once" "seccomp refused: brk" \
	    "seccomp refused: ring"; do
		skip "$d" "ptrace is not permitted here"
	done
fi

# ---- Threads: their calls arrive while the main thread waits. ----
# (Programs of many calls: a longer limit, for the sanitizer builds.)
hv_limit=150
hv threads "$heapviz" --trace "$bin/tests/trace-threads" < /dev/null
check "a program whose threads call malloc while main waits finishes" \
    grep -q '^traced .*trace-threads (pid [0-9]*): exited with status 0' \
    "$tmp/threads"
check "with every call of its threads recorded" \
    grep -q 'malloc-family calls 2[4-9][0-9][0-9][0-9];' "$tmp/threads"

# ---- Each record carries its thread: four threads, four ids. ----
printf 'history all\n' > "$tmp/cmds"
hv tids "$heapviz" --trace "$bin/tests/trace-threads" < "$tmp/cmds"
pid=$(sed -n 's/^traced .*(pid \([0-9]*\)).*/\1/p' "$tmp/tids")
grep -o '<- in trace-threads \[thread [0-9]*\]$' "$tmp/tids" |
    sed 's/.*thread \([0-9]*\).*/\1/' | sort | uniq -c > "$tmp/tids.n"
check "the threads' calls name four threads" \
    [ "$(wc -l < "$tmp/tids.n")" = 4 ]
check "each with its 3000 malloc and 3000 free calls (or more)" \
    sh -c "! awk '\$1 < 6000' '$tmp/tids.n' | grep -q ."
check "none of them the first thread (pid $pid)" \
    sh -c "! awk '{ print \$2 }' '$tmp/tids.n' | grep -qx '$pid'"
check "the first thread's own calls name no thread" \
    grep -q "p[0-9]* = malloc([0-9]*) = 0x[0-9a-f]*   <- by libc's stdio buffer (printf)$" \
    "$tmp/tids"

# ---- More records than the ring holds: all there, in order. ----
printf 'history all\n' > "$tmp/cmds"
for ring in 16 ""; do
	hv many$ring HEAPVIZ_TRACE_RING=$ring "$heapviz" --trace \
	    "$bin/tests/trace-many" < "$tmp/cmds"
	what="trace-many${ring:+ (a ring of $ring records)}"
	check "$what: its 20000 malloc calls are all recorded" \
	    [ "$(grep -c ' = malloc([0-9]*) = 0x.*<- in trace-many$' \
	    "$tmp/many$ring")" = 20000 ]
	check "$what: in the order it made them (sizes 1, 2, 3...)" \
	    sh -c "grep ' = malloc([0-9]*) = 0x.*<- in trace-many\$' \
	    '$tmp/many$ring' | sed 's/.*malloc(\([0-9]*\)).*/\1/' |
	    awk '\$1 != NR { bad = 1 } END { exit bad }'"
	check "$what: the 19950 frees too" \
	    [ "$(grep -c '  free(0x[0-9a-f]*)   <- in trace-many$' \
	    "$tmp/many$ring")" = 19950 ]
	check "$what: none lost" \
	    sh -c "! grep -q 'could not be reported' '$tmp/many$ring'"
	if [ $traced = yes ]; then
		# A brk caused by malloc(N) comes right before malloc(N).
		check "$what: each brk a malloc made comes just before it" \
		    sh -c "awk '/brk\\(0x.*<- malloc\\([0-9]*\\) in trace-many/ {
			    n = \$0; sub(/.*<- malloc\\(/, \"\", n);
			    sub(/\\).*/, \"\", n); want = n; seen++; next }
			want != \"\" { if (index(\$0, \"= malloc(\" want \")\") == 0)
			    bad = 1; want = \"\" }
			END { exit bad || seen < 3 }' '$tmp/many$ring'"
	else
		skip "$what: brk before its malloc" "ptrace is not permitted here"
	fi
done

# ---- Holes in the heap filled block after block (as perl does). ----
# Every block the program still holds at the end (it prints them) is in
# use in the recording's last step, reached straight and by time travel
# (goto 1 and back to the end: a checkpoint restored, the rest replayed).
printf 'state --json\n' > "$tmp/cmds"
hv holes "$heapviz" --trace "$bin/tests/trace-holes" < "$tmp/cmds"
last=$(sed -n 's/^  \([0-9]*\) events as steps 1 to .*/\1/p' "$tmp/holes")
printf 'goto 1\ngoto %s\nstate --json\n' "${last:-1}" > "$tmp/cmds"
hv holes2 "$heapviz" --trace "$bin/tests/trace-holes" < "$tmp/cmds"
sed -n 's/^  | \([0-9][0-9]*\)$/\1/p' "$tmp/holes" | sort > "$tmp/holes.held"
for f in holes holes2; do
	grep '^{' "$tmp/$f" | tail -n 1 |
	    grep -o '"mem":[0-9]*,"size":[0-9]*,"state":"inuse"' |
	    sed 's/"mem":\([0-9]*\),.*/\1/' | sort > "$tmp/$f.inuse"
done
check "trace-holes: it holds some hundreds of blocks at the end" \
    [ "$(wc -l < "$tmp/holes.held")" -gt 200 ]
check "trace-holes: each of them is in use at the last step" \
    [ -z "$(comm -23 "$tmp/holes.held" "$tmp/holes.inuse")" ]
check "trace-holes: the same after goto 1 and goto $last" \
    [ -z "$(comm -23 "$tmp/holes.held" "$tmp/holes2.inuse")" ]

# ---- More names than the session holds: the views name the rest. ----
# Past 65536 names a trace's session keeps only the recent ones; the heap
# view still names an old live block (p1) from the recording's own list.
printf 'heap\nreset\n' > "$tmp/cmds"
hv names "$heapviz" --trace "$bin/tests/trace-many" 70000 < "$tmp/cmds"
check "70000 names: the heap view still names p1, the oldest block" \
    grep -q '  inuse  *p1 ' "$tmp/names"
check "and heapviz leaves the trace cleanly (status 0)" \
    [ "$(cat "$tmp/names.st")" = 0 ]

# ---- Ctrl-C: SIGINT to heapviz stops the program, keeps the trace. ----
"$heapviz" --trace sleep 60 < /dev/null > "$tmp/int" 2>&1 &
hvpid=$!
# Wait until sleep runs under heapviz (its process, then a moment).
i=0
while [ $i -lt 100 ] && ! pgrep -P $hvpid sleep >/dev/null 2>&1; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.3
kill -INT $hvpid
wait $hvpid
echo $? > "$tmp/int.st"
check "Ctrl-C during a trace: heapviz carries on and exits 0" \
    [ "$(cat "$tmp/int.st")" = 0 ]
check "the program was stopped by SIGINT" \
    grep -q '^traced sleep (pid [0-9]*): was killed by signal 2' "$tmp/int"
check "heapviz says it stopped it and kept the trace" \
    grep -q '^note: heapviz stopped sleep: interrupted by Ctrl-C; what it did up to then is recorded' \
    "$tmp/int"
check "with the summary" grep -q '^  [0-9]* events as steps 1 to' "$tmp/int"

# ---- --quiet-output: the program's output dropped. ----
hv quiet "$heapviz" --quiet-output --trace "$bin/examples/sbrk-demo" \
    < /dev/null
check "--quiet-output: the trace is there" \
    grep -q '^traced .*sbrk-demo (pid [0-9]*): exited with status 0' \
    "$tmp/quiet"
check "--quiet-output: the program's output is not" \
    sh -c "! grep -q 'standard output\\|Program break' '$tmp/quiet'"
printf 'trace --quiet-output %s\ntrace --quiet-output\n' \
    "$bin/examples/sbrk-demo" > "$tmp/cmds"
hv quiet2 "$heapviz" < "$tmp/cmds"
check "trace --quiet-output PROGRAM: the same" \
    sh -c "grep -q '^traced ' '$tmp/quiet2' &&
    ! grep -q 'standard output' '$tmp/quiet2'"
check "trace --quiet-output alone: needs a program" \
    grep -q 'trace: --quiet-output needs a program to run' "$tmp/quiet2"
hv quiet3 "$heapviz" --quiet-output < /dev/null
check "--quiet-output without --trace is a usage error (2)" \
    [ "$(cat "$tmp/quiet3.st")" = 2 ]

# ---- The aligned allocators: each recorded by name, its block aligned. ----
printf 'history all\n' > "$tmp/cmds"
hv aligned "$heapviz" --trace "$bin/tests/trace-aligned" < "$tmp/cmds"
for call in 'memalign(64, 100)' 'aligned_alloc(256, 512)' 'valloc(200)' \
    'pvalloc(300)' 'posix_memalign(128, 40)'; do
	case $call in
	memalign*) align=64 ;;
	aligned_alloc*) align=256 ;;
	posix*) align=128 ;;
	*) align=4096 ;;
	esac
	addr=$(first_result "$tmp/aligned" " = $call = ")
	# An empty address counts as 1: never aligned.
	check "trace-aligned: $call recorded, aligned to $align ($addr)" \
	    [ $((${addr:-1} % align)) = 0 ]
done
check "trace-aligned: its five blocks freed" \
    [ "$(grep -c ' free(0x[0-9a-f]*)   <- in trace-aligned' \
    "$tmp/aligned")" = 5 ]

printf 'help trace\n' | "$heapviz" > "$tmp/help" 2>&1
check "help trace explains it" grep -q '^trace \[--quiet-output\] PROGRAM \[ARGS...\]' "$tmp/help"

tap_done
