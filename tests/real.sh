#!/bin/sh
# real.sh -- real mode: the allocator in a traced subject process.
#
# The seed's two programs for real (the break moves by exactly 0x20; the
# first printf moves it by 0x21000 and the 32 bytes land above that), the
# kernel's brk lines attributed to printf, a malloc above the mmap
# threshold shows an mmap line, going back replays to the same addresses,
# a subject killed on purpose is reported and heapviz carries on, and with
# ptrace refused (HEAPVIZ_NO_PTRACE=1 simulates that) the break movement
# is still reported.
. "$(dirname "$0")/tap-common.sh"
command -v jq >/dev/null 2>&1 ||
    ci_skip_all "jq is not installed (apt-get install jq)"

# jqtest FILE DESCRIPTION FILTER: the filter must print true.
jqtest() {
	check "$2" [ "$(jq -e "$3" "$1" 2>&1)" = true ]
}

# Real mode needs a subject that starts.  Nothing it needs can be missing
# (without ptrace it falls back to /proc), so a subject that does not start
# is a broken heapviz: say why, once, and stop -- a failure, never a skip.
printf 'mode real\n' > "$tmp/probe.hv"
if ! "$heapviz" --batch "$tmp/probe.hv" > "$tmp/probe.out" 2>&1; then
	echo "Bail out! real mode does not start: $(head -n 1 "$tmp/probe.out")"
	exit 99
fi

# ---- The seed's first program: sbrk 0, sbrk 32, sbrk 0. ----
cat > "$tmp/seed1.hv" <<'HV'
mode real
sbrk 0
sbrk 32
sbrk 0
state --json
HV
"$heapviz" --batch "$tmp/seed1.hv" > "$tmp/seed1.out" 2>"$tmp/seed1.err"
check "seed 1 runs in real mode" [ $? = 0 ]
tail -n 1 "$tmp/seed1.out" > "$tmp/seed1.json"
jqtest "$tmp/seed1.json" "state --json says mode real" '.mode == "real"'
jqtest "$tmp/seed1.json" "the break moved by exactly 0x20" \
    '.break - .initial_break == 32'
jqtest "$tmp/seed1.json" "the kernel saw brk(start + 0x20) from the sbrk command" \
    '[.log[] | select(.call == "brk" and .kernel and .cause == "sbrk command" and .args[0] == .result)] | length == 1'
b0=$(sed -n 's/^sbrk(0) = \(0x[0-9a-f]*\).*/\1/p' "$tmp/seed1.out" | head -n 1)
b1=$(sed -n 's/^sbrk(0) = \(0x[0-9a-f]*\).*/\1/p' "$tmp/seed1.out" | tail -n 1)
check "the two sbrk(0) lines differ by 0x20 ($b0, $b1)" \
    [ $((b1 - b0)) = 32 ]
jqtest "$tmp/seed1.json" "program start is logged: ld.so's mmaps" \
    '[.log[] | select(.step == 0 and .call == "mmap")] | length > 0'

# ---- The seed's second program: printf between the sbrks. ----
cat > "$tmp/seed2.hv" <<'HV'
mode real
sbrk 0
printf "Initial program break\n"
sbrk 32
sbrk 0
state --json
HV
"$heapviz" --batch "$tmp/seed2.hv" > "$tmp/seed2.out" 2>"$tmp/seed2.err"
check "seed 2 runs in real mode" [ $? = 0 ]
tail -n 1 "$tmp/seed2.out" > "$tmp/seed2.json"
check "the subject's real printf printed the text" \
    grep -qx "Initial program break" "$tmp/seed2.out"
check "printf says libc moved the break by +0x21000" \
    grep -q "libc's malloc moved the break .*(+0x21000)" "$tmp/seed2.out"
start=$(jq .initial_break "$tmp/seed2.json")
got=$(sed -n 's/^sbrk(32) = \(0x[0-9a-f]*\);.*/\1/p' "$tmp/seed2.out")
check "the 32 bytes land 0x21000 above the first break" \
    [ $((got - start)) = $((0x21000)) ]
jqtest "$tmp/seed2.json" "the log has libc's brk, attributed to printf, not ours" \
    '[.log[] | select(.call == "brk" and .kernel and .foreign and (.cause | startswith("printf")) and .result - '"$start"' == 135168)] | length == 1'
jqtest "$tmp/seed2.json" "libc's heap is listed as foreign memory" \
    '.foreign[0].who == "libc heap (stdout buffer)" and .foreign[0].end - .foreign[0].start == 135168'

# ---- Randomisation off: two subjects start their heaps at one place. ----
if grep -q "refused to turn address randomisation off" "$tmp/seed1.out" \
    "$tmp/seed1.err"; then
	ci_skip "two real-mode runs start at the same break" \
	    "$(grep -h -m 1 "refused to turn" "$tmp/seed1.out" "$tmp/seed1.err")"
else
	check "two real-mode runs start at the same break (personality took)" \
	    [ "$(jq .initial_break "$tmp/seed1.json")" = \
	      "$(jq .initial_break "$tmp/seed2.json")" ]
fi

# ---- A shell with malloc tunables set: the subject runs without them. ----
GLIBC_TUNABLES=glibc.malloc.top_pad=0 MALLOC_TOP_PAD_=65536 \
    "$heapviz" --batch "$tmp/seed2.hv" > "$tmp/tun.out" 2>&1
check "with GLIBC_TUNABLES and MALLOC_TOP_PAD_ set, printf still moves the break by +0x21000" \
    grep -q "libc's malloc moved the break .*(+0x21000)" "$tmp/tun.out"
check "heapviz says once that it removed them, naming both" \
    [ "$(grep -c "^note: the subject starts without the malloc tunables set here (.*GLIBC_TUNABLES=glibc.malloc.top_pad=0" "$tmp/tun.out")" = 1 -a \
      "$(grep -c "starts without .*MALLOC_TOP_PAD_=65536" "$tmp/tun.out")" = 1 ]
check "and says nothing of tunables when none is set" \
    sh -c "! grep -q tunables '$tmp/seed2.out' '$tmp/seed2.err'"
tail -n 1 "$tmp/tun.out" > "$tmp/tun.json"
jqtest "$tmp/tun.json" "the state is the untuned one's" \
    "[.break, .initial_break] == $(jq -c '[.break, .initial_break]' "$tmp/seed2.json")"

# ---- personality(ADDR_NO_RANDOMIZE) refused (simulated): said, once. ----
HEAPVIZ_NO_PERSONALITY=1 "$heapviz" --batch "$tmp/seed1.hv" \
    > "$tmp/pers.out" 2>&1
check "a refused personality is reported once" \
    [ "$(grep -c "^note: the kernel refused to turn address randomisation off (personality: Operation not permitted)" "$tmp/pers.out")" = 1 ]
check "and real mode still runs" grep -q "^mode real: a fresh heap" \
    "$tmp/pers.out"

# ---- The allocator around libc's heap; mmap; explain. ----
cat > "$tmp/alloc.hv" <<'HV'
mode real
p1 = malloc 32
p2 = malloc 32
free p1
printf "x"
big = malloc 300000
p3 = malloc 40000
check
state --json
HV
"$heapviz" --batch "$tmp/alloc.hv" > "$tmp/alloc.out" 2>"$tmp/alloc.err"
check "malloc, free, printf and a big malloc run" [ $? = 0 ]
tail -n 1 "$tmp/alloc.out" > "$tmp/alloc.json"
jqtest "$tmp/alloc.json" "p1 is at the subject's first break + 16" \
    '.names.p1.mem == .initial_break + 16'
jqtest "$tmp/alloc.json" "p1's freed chunk is in small bin 6" \
    '(.chunks[] | select(.name == "p1")) | .state == "free" and .bin == "small[6]"'
jqtest "$tmp/alloc.json" "the malloc above the mmap threshold made an mmap the kernel saw" \
    '[.log[] | select(.call == "mmap" and .kernel and .cause == "malloc big" and (.foreign | not))] | length == 1'
jqtest "$tmp/alloc.json" "big is an mmapped chunk at that mapping" \
    '(.chunks[] | select(.name == "big")).addr == ([.log[] | select(.cause == "malloc big")][0].result)'
jqtest "$tmp/alloc.json" "p3 starts a new segment above libc's heap" \
    '.names.p3.mem > .foreign[0].end - 1'
jqtest "$tmp/alloc.json" "the checker finds the real heap consistent" \
    '.violations == []'
check "the heap was reported consistent" \
    grep -q "heap is consistent" "$tmp/alloc.out"

# ---- Going back replays to the same addresses. ----
cat > "$tmp/back.hv" <<'HV'
mode real
p1 = malloc 32
printf "x"
p2 = malloc 100
show p2
back
back
forward
forward
show p2
HV
"$heapviz" --batch "$tmp/back.hv" > "$tmp/back.out" 2>"$tmp/back.err"
check "back and forward run in real mode" [ $? = 0 ]
first=$(grep -m 1 "^p2 " "$tmp/back.out")
check "after back, back, forward, forward p2 is where it was" \
    [ "$(grep "^p2 " "$tmp/back.out" | tail -n 1)" = "$first" ]

# ---- save: a real session's script replays for real, to the same state. ----
printf 'mode real\np1 = malloc 32\nprintf "x"\np2 = malloc 100\nsave %s\nstate --json\n' \
    "$tmp/saved.hv" | "$heapviz" 2>/dev/null | tail -n 1 > "$tmp/saved-a.json"
check "the saved script starts real mode" grep -qx "mode real" "$tmp/saved.hv"
printf 'source %s\nstate --json\n' "$tmp/saved.hv" | "$heapviz" 2>/dev/null |
    tail -n 1 > "$tmp/saved-b.json"
check "sourcing it reaches the same names and break" \
    [ "$(jq -c '[.mode, .names, .break]' "$tmp/saved-a.json")" = \
      "$(jq -c '[.mode, .names, .break]' "$tmp/saved-b.json")" ]

# ---- A subject killed on purpose. ----
cat > "$tmp/crash.hv" <<'HV'
mode real
p1 = malloc 32
write p1 0x10000000 "boom"
heap
malloc 64
restart
p2 = malloc 64
state --json
HV
"$heapviz" --batch "$tmp/crash.hv" > "$tmp/crash.out" 2>"$tmp/crash.err"
status=$?
check "a failed command makes the exit status 1 (not a crash: $status)" \
    [ $status = 1 ]
check "the death is reported with the signal and the command" \
    grep -q "was killed by SIGSEGV (signal 11) during \`write p1 0x10000000" \
    "$tmp/crash.err"
check "heapviz offers to restart" grep -q "restart" "$tmp/crash.err"
check "the views still show the last heap" grep -q "inuse    p1" "$tmp/crash.out"
check "a command needing the subject says it is not running" \
    grep -q "the subject is not running" "$tmp/crash.err"
check "restart brings a new subject to the step before the crash" \
    grep -q "^restart: a new subject (pid [0-9]*), brought to step 1" \
    "$tmp/crash.out"
tail -n 1 "$tmp/crash.out" > "$tmp/crash.json"
jqtest "$tmp/crash.json" "after restart p1 is back and p2 follows it" \
    '.names.p1.live and .names.p2.mem == .names.p1.mem + 48'

# ---- ptrace refused: the fallback still reports the break. ----
HEAPVIZ_NO_PTRACE=1 "$heapviz" --batch "$tmp/seed2.hv" > "$tmp/np.out" \
    2>"$tmp/np.err"
check "without ptrace real mode still runs" [ $? = 0 ]
check "heapviz says once that ptrace is not permitted" \
    [ "$(cat "$tmp/np.out" "$tmp/np.err" | grep -c "ptrace is not permitted")" = 1 ]
tail -n 1 "$tmp/np.out" > "$tmp/np.json"
jqtest "$tmp/np.json" "the printf's break movement is logged, read off /proc" \
    '[.log[] | select(.call == "brk" and .inferred and (.cause | startswith("printf")) and .result - .args[0] == 0)] | length == 1'
jqtest "$tmp/np.json" "and it is 0x21000" \
    '([.log[] | select(.inferred and .call == "brk")][0].result) - .initial_break == 135168'
check "the 32 bytes still land 0x21000 up" \
    grep -q "(+0x21000)" "$tmp/np.out"

# ---- The real-mode lesson, run through and stepped. ----
top_srcdir=${top_srcdir:-..}
"$heapviz" --batch "$top_srcdir/examples/printf-real.hv" > "$tmp/lesson.out" 2>&1
check "the printf-real lesson runs straight through" [ $? = 0 ]
check "and shows libc's brk of 0x21000 attributed to printf" \
    grep -q "step 1: printf (libc stdio buffer)" "$tmp/lesson.out"
printf 'open %s\nrun\nrun\nrun\nstate --json\n' \
    "$top_srcdir/examples/printf-real.hv" | "$heapviz" 2>/dev/null |
    tail -n 1 > "$tmp/lesson.json"
jqtest "$tmp/lesson.json" "opened and run as a lesson it reaches real mode, 0x21000 + 0x20 + our heap up" \
    '.mode == "real" and .foreign[0].end - .initial_break == 135168 and .names.p1.live'
printf 'open %s\nrun\nrun\nmode sim\n' "$top_srcdir/examples/printf-real.hv" |
    "$heapviz" > "$tmp/lesson2.out" 2>&1
check "a lesson under way may not change mode" \
    grep -q "mode: a lesson is under way" "$tmp/lesson2.out"
# Opened after other steps, a real-mode lesson starts afresh in real mode,
# and a simulated one opened then returns to the simulated heap.
printf 'malloc 100\nopen %s\nrun\nrun\nopen smallbin-reuse\nstep\nstate --json\n' \
    "$top_srcdir/examples/printf-real.hv" |
    HEAPVIZ_EXAMPLES="$top_srcdir/examples" "$heapviz" > "$tmp/lesson3.out" 2>&1
check "open after other steps switches to the mode the lesson asks for" \
    grep -q "^mode real: printf-real.hv asks for a real process" "$tmp/lesson3.out"
check "whose own mode line then finds it on" \
    grep -q "^mode real: the lesson started in it already" "$tmp/lesson3.out"
check "and its printf moves the real break by 0x21000" \
    grep -q "(+0x21000)" "$tmp/lesson3.out"
tail -n 1 "$tmp/lesson3.out" > "$tmp/lesson3.json"
jqtest "$tmp/lesson3.json" "a simulated lesson opened next is back on the simulated heap" \
    '.mode == "sim" and .names.a.mem == 93824992251920'

# ---- Modes, options and bad input. ----
printf 'mode\nmode real\nmode\nmode sim\nmode\n' > "$tmp/mode.hv"
"$heapviz" --batch "$tmp/mode.hv" > "$tmp/mode.out" 2>&1
check "mode says sim, then real with a pid, then sim" \
    [ "$(grep -c "^mode sim" "$tmp/mode.out")" = 3 ]
check "mode real says traced with ptrace" \
    grep -q "^mode real: the allocator runs in subject process [0-9]* (traced with ptrace" "$tmp/mode.out"
printf 'mode bogus\n' | "$heapviz" > "$tmp/bad1" 2>&1
check "mode bogus is refused by name" grep -q "mode: sim or real, not bogus" "$tmp/bad1"
printf 'mode real --fast\n' | "$heapviz" > "$tmp/bad2" 2>&1
check "an unknown mode option is refused" grep -q "unknown option --fast" "$tmp/bad2"
printf 'restart\n' | "$heapviz" > "$tmp/bad3" 2>&1
check "restart in sim mode explains itself" grep -q "no subject to restart" "$tmp/bad3"
printf 'mode real\nsbrk -4096\nsbrk 0\n' | "$heapviz" > "$tmp/bad4" 2>&1
check "the break may not go below where the subject started" \
    grep -q "may not go below" "$tmp/bad4"
"$heapviz" --aslr --batch /dev/null > "$tmp/bad5" 2>&1
check "--aslr without --real is a usage error" [ $? = 2 ]
printf 'state --json\n' | "$heapviz" --real --aslr > "$tmp/aslr.json" 2>&1
jqtest "$tmp/aslr.json" "--real --aslr runs a subject" '.mode == "real"'
printf 'sbrk 0\n' | HEAPVIZ_SUBJECT=/nonexistent "$heapviz" --real \
    > "$tmp/bad6" 2>&1
check "a missing subject program is a clear error, exit 1" [ $? = 1 ]
check "naming the program" grep -q "/nonexistent" "$tmp/bad6"

tap_done
