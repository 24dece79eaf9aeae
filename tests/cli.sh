#!/bin/sh
# cli.sh -- the command line: --help, --version, bad options, batch mode's
# exit status and line numbers, stdin, and a closed standard output.
. "$(dirname "$0")/tap-common.sh"

"$heapviz" --help > "$tmp/help"; st=$?
check "--help exits 0" [ $st = 0 ]
check "--help prints usage on stdout" grep -q '^Usage: heapviz' "$tmp/help"
check "--help lists --batch" grep -q -- '--batch=FILE' "$tmp/help"
"$heapviz" --version > "$tmp/version"; st=$?
check "--version exits 0" [ $st = 0 ]
check "--version names the program" grep -q '^heapviz [0-9]' "$tmp/version"
check "--version names both models" grep -q 'dlmalloc 2.8.6 and of glibc 2.36' "$tmp/version"
"$heapviz" --batch --json < /dev/null > "$tmp/out" 2> "$tmp/err"; st=$?
check "--batch followed by an option exits 2" [ $st = 2 ]
check "and says --batch took the option as its FILE" grep -q 'batch needs a FILE.*it got --json' "$tmp/err"
"$heapviz" --bogus > "$tmp/out" 2> "$tmp/err"; st=$?
check "an unknown option exits 2" [ $st = 2 ]
check "and says where to look" grep -q "Try 'heapviz --help'" "$tmp/err"
"$heapviz" one two > "$tmp/out" 2> "$tmp/err"; st=$?
check "two lessons at once exit 2" [ $st = 2 ]
"$heapviz" no-such-lesson < /dev/null > "$tmp/out" 2> "$tmp/err"; st=$?
check "a lesson that is not there exits 1" [ $st = 1 ]
check "and says so" grep -q 'cannot open no-such-lesson' "$tmp/err"
printf 'step\nstep\nstate --json\n' |
    "$heapviz" "$top_srcdir/examples/seed-sbrk.hv" > "$tmp/out" 2>&1; st=$?
check "a lesson named on the command line is stepped from stdin" \
    grep -q 'seed-sbrk.hv:6> sbrk 32' "$tmp/out"

printf 'malloc 32\nmalloc 32\n' | "$heapviz" > "$tmp/out" 2>&1; st=$?
check "stdin that is not a terminal runs as a batch" [ $st = 0 ]
check "and prints results" grep -q 'p2 = malloc(32) = 0x555555559040' "$tmp/out"

printf 'malloc 32\nfree nosuch\nmalloc 16\n' > "$tmp/bad.hv"
"$heapviz" --batch "$tmp/bad.hv" > "$tmp/out" 2> "$tmp/err"; st=$?
check "a failed command makes the exit status 1" [ $st = 1 ]
check "the error names the file and line" grep -q 'bad.hv:2: free: unknown name nosuch' "$tmp/err"
check "later lines still run" grep -q 'p2 = malloc(16)' "$tmp/out"

printf 'malloc 32\r\nmalloc 32\r\n' > "$tmp/crlf.hv"
"$heapviz" --batch "$tmp/crlf.hv" > "$tmp/out" 2>&1; st=$?
check "CRLF line endings are fine" [ $st = 0 ]
printf 'malloc 32\nmal\0loc\n' > "$tmp/nul.hv"
"$heapviz" --batch "$tmp/nul.hv" > "$tmp/out" 2> "$tmp/err"; st=$?
check "a NUL byte in a line is an error naming the line" grep -q 'nul.hv:2: the line holds a NUL byte' "$tmp/err"
printf 'malloc 32\nwrite p1 "half a str' > "$tmp/trunc.hv"
"$heapviz" --batch "$tmp/trunc.hv" > "$tmp/out" 2> "$tmp/err"; st=$?
check "a truncated script reports its last line" grep -q 'trunc.hv:2: unfinished string' "$tmp/err"
head -c 20000 /dev/zero | tr '\0' 'x' > "$tmp/long.hv"
"$heapviz" --batch "$tmp/long.hv" > "$tmp/out" 2> "$tmp/err"; st=$?
check "a 20000-character line is refused with a message" grep -q 'long.hv:1: line too long' "$tmp/err"
head -c 3000 /dev/urandom > "$tmp/junk.hv" 2>/dev/null
"$heapviz" --batch "$tmp/junk.hv" > /dev/null 2>&1; st=$?
check "binary junk does not crash heapviz (status $st)" [ $st -le 1 ]
"$heapviz" --batch "$tmp/missing.hv" > "$tmp/out" 2> "$tmp/err"; st=$?
check "a missing batch file exits 1" [ $st = 1 ]
check "and says why" grep -q 'cannot open' "$tmp/err"

printf 'malloc 32\nquit\nmalloc 32\n' | "$heapviz" > "$tmp/out" 2>&1
check "quit stops a batch" [ "$(grep -c 'malloc(32)' "$tmp/out")" = 1 ]

if [ -w /dev/full ]; then
	printf 'malloc 32\nheap\n' | "$heapviz" > /dev/full 2> "$tmp/err"; st=$?
	check "a full stdout is a write error (status $st)" [ $st = 1 ]
	check "reported on stderr" grep -q 'write error' "$tmp/err"
	"$heapviz" --help > /dev/full 2>/dev/null; st=$?
	check "--help to a full stdout fails" [ $st = 1 ]
fi

# The lessons of a heapviz run from its build tree are the source tree's
# (as after ./quickstart.sh), from any directory; a copy elsewhere looks
# where an installed heapviz keeps them.
(cd "$tmp" && echo lessons | env -u HEAPVIZ_EXAMPLES "$heapviz") \
    > "$tmp/out" 2> "$tmp/err"; st=$?
check "an uninstalled heapviz lists its lessons (status $st)" [ $st = 0 ]
check "smallbin-reuse among them" grep -q '^  smallbin-reuse ' "$tmp/out"
(cd "$tmp" && printf 'open smallbin-reuse\nstep\n' |
    env -u HEAPVIZ_EXAMPLES "$heapviz") > "$tmp/out" 2> "$tmp/err"; st=$?
check "and opens one by name (status $st)" [ $st = 0 ]
check "whose first step runs" grep -q 'smallbin-reuse.hv:4> a = malloc 32' "$tmp/out"
# A session that opened a lesson saves as a script that reaches the same
# heap: the lesson's fresh heap is a reset there.
printf 'malloc 5\nopen smallbin-reuse\nrun\nsave %s\nheap\n' "$tmp/saved.hv" |
    "$heapviz" > "$tmp/out1" 2>&1
printf 'source %s\nheap\n' "$tmp/saved.hv" | "$heapviz" > "$tmp/out2" 2>&1; st=$?
check "a saved session with a lesson replays (status $st)" [ $st = 0 ]
check "its open is saved as a reset" grep -q '^reset  # open smallbin-reuse$' "$tmp/saved.hv"
check "and the replay reaches the same heap" \
    sh -c "grep -q '^heap 0x' '$tmp/out1' && [ \"\$(sed -n '/^heap 0x/,\$p' '$tmp/out1')\" = \"\$(sed -n '/^heap 0x/,\$p' '$tmp/out2')\" ]"
# --allocator: the model a session starts on; save writes it first.
printf 'malloc 24\nfree p1\nsave %s\nheap\n' "$tmp/g.hv" |
    "$heapviz" --allocator glibc > "$tmp/out1" 2>&1; st=$?
check "--allocator glibc runs the glibc model (status $st)" \
    grep -q 'put in tcache bin 0 (1/7)' "$tmp/out1"
check "save writes the model first" \
    sh -c "grep -v '^#' '$tmp/g.hv' | head -n 1 | grep -qx 'allocator glibc'"
"$heapviz" --batch "$tmp/g.hv" > "$tmp/out2" 2>&1; st=$?
check "and the saved script replays on it (status $st)" \
    grep -q 'put in tcache bin 0 (1/7)' "$tmp/out2"
# A switch later on is a step of the saved script: the replay ends on the
# same step, model and heap, with the step before it on the first model.
printf 'malloc 24\nallocator glibc\nmalloc 24\nsave %s\nstate --json\n' \
    "$tmp/sw.hv" | "$heapviz" --allocator glibc > "$tmp/out1" 2>&1
printf 'source %s\nstate --json\nback\nallocator\n' "$tmp/sw.hv" |
    "$heapviz" > "$tmp/out2" 2>&1
check "a switch is saved as a step, after the starting model" \
    sh -c "[ \"\$(grep -v '^#' '$tmp/sw.hv' | tr '\n' ,)\" = 'allocator glibc,malloc 24,allocator glibc,malloc 24,' ]"
check "the saved session replays to the same state, step and model" \
    sh -c "grep -q '\"step\":3,.*\"allocator\":\"glibc-2.36\"' '$tmp/out1' && [ \"\$(grep '^{' '$tmp/out1')\" = \"\$(grep '^{' '$tmp/out2')\" ]"
check "and back from the switch there is the heap before it" \
    grep -q '^at step 2 of 3: allocator glibc' "$tmp/out2"
# A glibc session with every kind of bin, saved, replays to the same
# state byte for byte (the views and state --json).
printf '%s\n' 'allocator glibc' 'a = malloc 1300' 'b = malloc 24' \
    'c = memalign 64 100' 'free a' 'malloc 2000' 'printf "hi"' \
    'realloc b 4000' 'set mmap_threshold 4096' 'd = malloc 5000' 'free d' \
    'malloc 24' 'malloc 24' 'free p3' "save $tmp/gs.hv" \
    'heap' 'bins' 'state --json' | "$heapviz" > "$tmp/out1" 2>&1
printf 'heap\nbins\nstate --json\n' | cat "$tmp/gs.hv" - |
    "$heapviz" > "$tmp/out2" 2>&1
check "a saved glibc session replays to the same heap, bins and state" \
    sh -c "grep -q 'tcache' '$tmp/out1' && [ \"\$(sed -n '/^heap 0x/,\$p' '$tmp/out1')\" = \"\$(sed -n '/^heap 0x/,\$p' '$tmp/out2')\" ]"
"$heapviz" --allocator tcmalloc < /dev/null > "$tmp/out" 2> "$tmp/err"; st=$?
check "an unknown --allocator exits 2" [ $st = 2 ]
check "and names the models" grep -q 'dlmalloc or glibc' "$tmp/err"
echo 'state --json' | "$heapviz" --allocator glibc --real > "$tmp/out" \
    2> "$tmp/err"; st=$?
check "--allocator glibc --real runs real mode on the glibc model" \
    sh -c "[ $st = 0 ] && grep -q '\"mode\":\"real\".*\"allocator\":\"glibc-2.36\"' '$tmp/out'"
echo 'state --json' | "$heapviz" --allocator glibc > "$tmp/out" 2>&1
check "state --json names the allocator" \
    grep -q '"allocator":"glibc-2.36"' "$tmp/out"
# A lesson chooses its model in its first lines; later, `allocator` is
# refused and the lesson goes on on the model it started with.
printf '# late\nmalloc 16\nallocator glibc\nmalloc 16\n' > "$tmp/late.hv"
printf 'open %s\nrun\nstate --json\n' "$tmp/late.hv" |
    "$heapviz" > "$tmp/late.out" 2>&1
check "a lesson under way may not change allocator" \
    grep -q "allocator: a lesson is under way" "$tmp/late.out"
check "and stays on its model" \
    sh -c "tail -n 1 '$tmp/late.out' | grep -q '\"allocator\":\"dlmalloc-2.8.6\"'"

cp "$heapviz" "$tmp/heapviz-copy"
echo lessons | env -u HEAPVIZ_EXAMPLES "$tmp/heapviz-copy" > "$tmp/out" 2> "$tmp/err"
check "a heapviz outside the build tree does not look in the source tree" \
    sh -c "! grep -q 'smallbin-reuse' '$tmp/out' && grep -q 'share/heapviz/examples' '$tmp/err'"

tap_done
