#!/bin/sh
# real-glibc.sh -- real mode on the real glibc: the subject calls its own
# libc's malloc family, the glibc model runs beside it at the same
# addresses, and after every call the two are compared word for word.
#
# Sequences around the tcache, fastbin, small, large and mmap thresholds,
# realloc (in place, moved, mremap'd, to 0), memalign and its two
# cousins, calloc, printf's stdout buffer (the 0x21000 break move), a
# foreign sbrk and mallopt: every call must be "verified against the real
# glibc", and state --json's "model" must count them all as agreeing.  A
# double free glibc aborts on is refused by the model and never reaches
# the subject, which lives on; a fastbin dup, which glibc lets through,
# goes through both and two mallocs return the same block; a `set` after
# it (mallopt, which consolidates the fastbins and aborts on the doubled
# chunk) is refused and unsent too.  With --aslr the mappings are still
# predicted where the kernel puts them.  Going back
# replays into a new subject and verifies again.  Breaking the model on
# purpose (HEAPVIZ_TEST_PERTURB, a test hook that makes one word of the
# model's heap 16 larger after the Nth call) must be named: the address,
# the field and both values.  The same runs untraced (HEAPVIZ_NO_PTRACE).
# `map` shows main_arena in libc.so.6's own data mapping.
. "$(dirname "$0")/tap-common.sh"
command -v jq >/dev/null 2>&1 ||
    ci_skip_all "jq is not installed (apt-get install jq)"
bin=${top_builddir:-.}
[ -x "$bin/tests/can-ptrace" ] ||
    ci_skip_all "$bin/tests/can-ptrace is not built (make check builds it)"
if ! why=$("$bin/tests/can-ptrace" 2>&1); then
	ci_skip_all "ptrace is not permitted here ($why)"
fi

printf 'allocator glibc\nmode real\n' > "$tmp/probe.hv"
if ! "$heapviz" --batch "$tmp/probe.hv" > "$tmp/probe.out" 2>&1; then
	echo "Bail out! real mode on glibc does not start:" \
	    "$(head -n 1 "$tmp/probe.out")"
	exit 99
fi

# jqtest FILE DESCRIPTION FILTER: the filter must print true.
jqtest() {
	check "$2" [ "$(jq -e "$3" "$1" 2>&1)" = true ]
}

# run NAME [ENV=VALUE...]: NAME.hv in real mode on glibc; NAME.out, and
# NAME.json (the last line, a state --json the script ends with).
run() {
	name=$1; shift
	env "$@" "$heapviz" --real --allocator glibc --batch "$tmp/$name.hv" \
	    > "$tmp/$name.out" 2>&1
	echo $? > "$tmp/$name.st"
	tail -n 1 "$tmp/$name.out" > "$tmp/$name.json"
}

# verified NAME CALLS [LINES]: it ran, each of CALLS calls was verified
# (LINES lines say so: a `set` or an `sbrk` is compared too, not
# counted), nothing differed, and state --json counts CALLS calls, all
# agreeing.
verified() {
	check "$1: heapviz exits 0" [ "$(cat "$tmp/$1.st")" = 0 ]
	check "$1: all ${3:-$2} calls say \"verified against the real glibc\"" \
	    [ "$(grep -c '^real glibc: verified against the real glibc' \
	    "$tmp/$1.out")" = "${3:-$2}" ]
	check "$1: nothing differs, the subject never died" \
	    sh -c "! grep -q 'differs\|the subject (pid\|not running' \
	    '$tmp/$1.out'"
	jqtest "$tmp/$1.json" "$1: state --json: model glibc-2.36, $2 calls, \
all agree, no divergence" \
	    ".model == {\"allocator\": \"glibc-2.36\", \"calls\": $2,
	    \"agree\": $2, \"first_divergence\": null}"
}

# ---- tcache and fastbins: seven fill a bin, the rest go to fastbins. ----
{
	for i in 1 2 3 4 5 6 7 8 9; do echo "a$i = malloc 24"; done
	echo "guard = malloc 24"
	for i in 1 2 3 4 5 6 7 8 9; do echo "free a$i"; done
	echo "x = malloc 24"
	echo "t1 = malloc 1032"		# the largest tcache size (0x410)
	echo "t2 = malloc 1033"		# the smallest past it
	echo "free t1"
	echo "free t2"
	echo "state --json"
} > "$tmp/tcache.hv"
run tcache
verified tcache 24
jqtest "$tmp/tcache.json" "tcache: bin 0 holds 6 (x took one back), 2 in \
fastbin 0" '.bins.tcache["0"] | length == 6'
jqtest "$tmp/tcache.json" "tcache: a 1032-byte block goes to tcache bin \
63, a 1033-byte one does not" \
    '(.bins.tcache["63"] | length) == 1 and
    ([.chunks[] | select(.name == "t2") | .bin] | .[0] != "tcache[64]")'

# ---- small and large bins, the unsorted bin, consolidation. ----
cat > "$tmp/bins.hv" <<'HV'
s1 = malloc 200
g1 = malloc 16
s2 = malloc 1500
g2 = malloc 16
s3 = malloc 1600
g3 = malloc 16
l1 = malloc 3000
g4 = malloc 16
l2 = malloc 3100
g5 = malloc 16
free s1
free s2
free s3
free l1
free l2
big = malloc 4000
f1 = malloc 100
f2 = malloc 100
f3 = malloc 100
f4 = malloc 100
f5 = malloc 100
f6 = malloc 100
f7 = malloc 100
f8 = malloc 100
f9 = malloc 100
free f1
free f2
free f3
free f4
free f5
free f6
free f7
free f8
free f9
huge = malloc 70000
state --json
HV
run bins
verified bins 35
jqtest "$tmp/bins.json" "bins: the large bin holds chunks with their \
nextsize links compared (some large bin is not empty)" \
    '[.chunks[] | select(.bin // "" | startswith("large"))] | length > 0'

# ---- mmap, realloc, calloc, memalign, printf, sbrk, mallopt. ----
cat > "$tmp/more.hv" <<'HV'
printf "hello\n"
c1 = calloc 10 100
r1 = realloc c1 2000
r2 = realloc r1 100
m1 = memalign 64 100
m2 = aligned_alloc 4096 5000
posix_memalign m3 256 300
free m1
free m2
free m3
mm = malloc 300000
r3 = realloc mm 600000
free r3
mm2 = malloc 300000
free mm2
sbrk 4096
after = malloc 200000
z = malloc 50
z2 = realloc z 0
set mmap_threshold 65536
u = malloc 70000
free u
state --json
HV
run more
verified more 20 22
check "more: the first printf moves the break by +0x21000" \
    grep -q "^printf: first use of stdout: libc's malloc moved the break .*(+0x21000)" \
    "$tmp/more.out"
jqtest "$tmp/more.json" "more: stdout's buffer is a chunk of the model's \
heap, named libc:stdout (4096 bytes on a pipe: a 0x1010 chunk)" \
    '[.chunks[] | select(.name == "libc:stdout") | .size] == [4112]'
jqtest "$tmp/more.json" "more: and is not listed as foreign memory (only \
the sbrk command's page is)" \
    '[.foreign[].who] == ["sbrk command"]'
check "more: freeing a 300000-byte mapping raised the mmap threshold, as \
glibc did (both unmapped the same)" \
    grep -q 'the mmap threshold rose to' "$tmp/more.out"

# ---- A double free glibc catches: refused, the subject lives on. ----
cat > "$tmp/dfree.hv" <<'HV'
p = malloc 32
free p
try free p
q = malloc 2000
g = malloc 10
free q
try free q
r = malloc 32
mode
state --json
HV
run dfree
check "dfree: the tcache double free is refused with glibc's message" \
    grep -q 'glibc would abort here with "free(): double free detected in tcache 2"' \
    "$tmp/dfree.out"
check "dfree: a double free of a 2000-byte block, with glibc's message" \
    grep -q 'glibc would abort here with "double free or corruption (!prev)"' \
    "$tmp/dfree.out"
check "dfree: both times the subject was not asked" \
    [ "$(grep -c '^real glibc: not asked' "$tmp/dfree.out")" = 2 ]
check "dfree: the subject lives on (mode names no death, no SIGABRT)" \
    sh -c "! grep -q 'SIGABRT\|not running\|; it ' '$tmp/dfree.out'"
jqtest "$tmp/dfree.json" "dfree: the 6 calls made were all verified" \
    '.model.calls == 6 and .model.agree == 6'

# ---- A fastbin dup glibc does not catch: both bins hold it twice. ----
{
	for i in 1 2 3 4 5 6 7; do echo "t$i = malloc 40"; done
	echo "a = malloc 40"
	echo "b = malloc 40"
	for i in 1 2 3 4 5 6 7; do echo "free t$i"; done
	echo "free a"
	echo "free b"
	echo "free a"
	for i in 1 2 3 4 5 6 7; do echo "e$i = malloc 40"; done
	echo "d1 = malloc 40"
	echo "d2 = malloc 40"
	echo "d3 = malloc 40"
	echo "state --json"
} > "$tmp/dup.hv"
run dup
verified dup 29
check "dup: the model warns of the fastbin double free" \
    grep -q 'glibc checks only the bin.s head, so this double free goes through' \
    "$tmp/dup.out"
jqtest "$tmp/dup.json" "dup: the first and third malloc after it return \
the same block, in the real glibc too" \
    '.names.d1.mem == .names.d3.mem and .names.d1.mem != .names.d2.mem'

# ---- mallopt after the dup: glibc consolidates the fastbins first and
# ---- aborts on the doubled chunk; the model refuses it, unsent. ----
{
	cat "$tmp/dup.hv" | sed '/^e1 = /,$d'
	echo "try set mmap_threshold 65536"
	echo "mode"
	echo "state --json"
} > "$tmp/mallopt.hv"
run mallopt
check "mallopt: set after a fastbin dup is refused with glibc's message" \
    grep -q 'set mmap_threshold 65536 (mallopt): glibc would abort here with "malloc_consolidate(): invalid chunk size"' \
    "$tmp/mallopt.out"
check "mallopt: the subject was not asked, and lives on" \
    sh -c "grep -q '^real glibc: not asked' '$tmp/mallopt.out' &&
    ! grep -q 'SIGABRT\|not running\|; it ' '$tmp/mallopt.out'"
jqtest "$tmp/mallopt.json" "mallopt: the threshold is unchanged" \
    '.settings.mmap_threshold == 131072'

# ---- Going back replays into a new subject, verified again. ----
cat > "$tmp/back.hv" <<'HV'
p = malloc 100
q = malloc 200
free p
back
back
forward
free q
state --json
HV
run back
check "back: heapviz exits 0" [ "$(cat "$tmp/back.st")" = 0 ]
jqtest "$tmp/back.json" "back: after going back, the replayed calls and \
the new one were verified (3 calls, all agree)" \
    '.model.calls == 3 and .model.agree == 3 and
    .model.first_divergence == null'

# ---- The model broken on purpose: the difference is named. ----
cat > "$tmp/perturb.hv" <<'HV'
p = malloc 32
q = malloc 100
free p
state --json
HV
run perturb HEAPVIZ_TEST_PERTURB=2
check "perturb: without the hook, the same script verifies" \
    sh -c "'$heapviz' --real --allocator glibc --batch '$tmp/perturb.hv' |
    grep -c '^real glibc: verified' | grep -qx 3"
check "perturb: the second call's result line names the address, the \
field and both values" \
    grep -q '^.*real glibc: differs at 0x[0-9a-f]*8, the size of the chunk at 0x[0-9a-f]*0: the model holds 0x81, the real glibc 0x71$' \
    "$tmp/perturb.out"
check "perturb: the first call was still verified" \
    [ "$(grep -c '^real glibc: verified' "$tmp/perturb.out")" = 1 ]
jqtest "$tmp/perturb.json" "perturb: state --json's first_divergence is \
step 2, malloc 100, the size word, 0x81 against 0x71" \
    '.model.calls == 3 and .model.agree == 1 and
    .model.first_divergence.step == 2 and
    .model.first_divergence.call == "q = malloc 100" and
    (.model.first_divergence.why | test("^the size of the chunk at 0x[0-9a-f]+ differs from the real glibc.s$")) and
    (.model.first_divergence.field | test("^the size of the chunk")) and
    .model.first_divergence.model == 129 and
    .model.first_divergence.real == 113'

# ---- With address randomisation on: predicted where the kernel puts
# ---- mappings, at whatever addresses they are. ----
cat > "$tmp/aslr.hv" <<'HV'
p = malloc 32
free p
big = malloc 300000
free big
b2 = malloc 200000
b3 = realloc b2 400000
free b3
state --json
HV
"$heapviz" --real --aslr --allocator glibc --batch "$tmp/aslr.hv" \
    > "$tmp/aslr.out" 2>&1
echo $? > "$tmp/aslr.st"
tail -n 1 "$tmp/aslr.out" > "$tmp/aslr.json"
verified aslr 7

# ---- Untraced (ptrace refused): the memory is read through the pipe. ----
run tcache HEAPVIZ_NO_PTRACE=1
verified tcache 24

# ---- The views on a real process: main_arena where libc keeps it. ----
printf 'a = malloc 24\nb = malloc 24\nfree a\nfree b\nmap\nbins\n' > "$tmp/views.hv"
run views
check "views: map puts main_arena (0x898 bytes) inside libc.so.6's data" \
    awk '/ data .* libc\.so\.6$/ { libc = 1; next }
	libc && /^   0x[0-9a-f]+-0x[0-9a-f]+  main_arena  2200 bytes/ { ok = 1 }
	{ libc = 0 } END { exit !ok }' "$tmp/views.out"
check "views: bins gives the real tcache's words, decoded" \
    grep -Eq '^   0x[0-9a-f]+ next 0x[0-9a-f]+, stored 0x[0-9a-f]+$' "$tmp/views.out"

tap_done
