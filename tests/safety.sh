#!/bin/sh
# safety.sh -- files and streams a class will feed heapviz: scripts run
# with `source` that are truncated, binary, have 10,000-character lines or
# CRLF endings, devices and directories given as scripts, a full or closed
# standard output, and history files that cannot be written.  Each must
# give a clear error naming the file and line, and the session goes on.
. "$(dirname "$0")/tap-common.sh"

# Run a batch script that sources FILE, then allocates: the allocation
# shows the session went on.
run_source() {	# run_source FILE
	printf 'malloc 32\nsource %s\nafter = malloc 48\n' "$1" > "$tmp/main.hv"
	timeout 20 "$heapviz" --batch "$tmp/main.hv" > "$tmp/out" 2> "$tmp/err"
	st=$?
}

printf 'malloc 100\r\nfree p2\r\nheap\r\n' > "$tmp/crlf.hv"
run_source "$tmp/crlf.hv"
check "source: CRLF line endings run as usual (status $st)" [ $st = 0 ]
check "source: CRLF: every line ran" grep -q '^free(p2)' "$tmp/out"

printf 'malloc 16\nwrite p2 "half a str' > "$tmp/trunc.hv"
run_source "$tmp/trunc.hv"
check "source: a truncated file is an error (status $st)" [ $st = 1 ]
check "source: the error names the file and its last line" \
    grep -q 'trunc.hv:2: unfinished string' "$tmp/err"
check "source: the session goes on after it" grep -q '^after = malloc(48)' "$tmp/out"

printf 'malloc 16\n\177ELF\002\001\001\000\000\000junk\nmalloc 24\n' > "$tmp/bin.hv"
head -c 2000 /dev/urandom >> "$tmp/bin.hv" 2>/dev/null
printf '\nmalloc 8\n' >> "$tmp/bin.hv"
run_source "$tmp/bin.hv"
check "source: a binary file does not crash heapviz (status $st)" [ $st -le 1 ]
check "source: its NUL byte is reported with file and line" \
    grep -q 'bin.hv:2: the line holds a NUL byte' "$tmp/err"
check "source: the lines after it still run" grep -q 'malloc(24)' "$tmp/out"
check "source: and the session goes on" grep -q '^after = malloc(48)' "$tmp/out"

{ printf 'malloc 16\nwrite p2 "'; head -c 10000 /dev/zero | tr '\0' 'x'
  printf '"\nmalloc 24\n'; } > "$tmp/long.hv"
run_source "$tmp/long.hv"
check "source: a 10,000-character line is refused, with its length" \
    grep -q 'long.hv:2: line too long (10011 characters; the limit is 4096)' "$tmp/err"
check "source: the line after it runs" grep -q 'malloc(24)' "$tmp/out"

head -c 3000000 /dev/zero | tr '\0' 'y' > "$tmp/noeol.hv"
run_source "$tmp/noeol.hv"
check "source: 3 MB without a newline: given up, not read into memory" \
    grep -q 'noeol.hv:1: no end of line in 1048576 bytes' "$tmp/err"
check "source: and the session goes on" grep -q '^after = malloc(48)' "$tmp/out"

run_source /dev/zero
check "source /dev/zero is refused at once (status $st)" [ $st = 1 ]
check "source /dev/zero: says why" grep -q 'source: /dev/zero is a device' "$tmp/err"
check "source /dev/zero: the session goes on" grep -q '^after = malloc(48)' "$tmp/out"
run_source "$tmp"
check "source of a directory says so" grep -q 'is a directory, not a file of commands' "$tmp/err"

timeout 20 "$heapviz" --batch /dev/zero > "$tmp/out" 2> "$tmp/err"; st=$?
check "--batch /dev/zero stops with an error (status $st)" [ $st = 1 ]
check "--batch /dev/zero: says why" grep -q 'no end of line' "$tmp/err"

printf 'malloc 32\nstate --json\n' > "$tmp/x.hv"
"$heapviz" --batch "$tmp/x.hv" >&- 2> "$tmp/err"; st=$?
check "a closed standard output is a write error (status $st)" [ $st = 1 ]
check "reported on stderr" grep -q 'write error' "$tmp/err"
if [ -w /dev/full ]; then
	"$heapviz" --batch "$tmp/x.hv" --json > /dev/full 2> "$tmp/err"; st=$?
	check "--json to a full stdout is a write error (status $st)" [ $st = 1 ]
fi

# History that cannot be written: where the file should be, a directory;
# where its directory should be, a file.  The session must not stop.
mkdir -p "$tmp/state/heapviz/history"
printf 'malloc 32\nmalloc 64\n' | XDG_STATE_HOME="$tmp/state" \
    timeout 20 "$heapviz" --plain > "$tmp/out" 2> "$tmp/err"; st=$?
check "--plain: an unwritable history file does not stop it (status $st)" [ $st = 0 ]
check "--plain: both commands ran" grep -q 'p2 = malloc(64)' "$tmp/out"
: > "$tmp/afile"
printf 'malloc 32\n' | XDG_STATE_HOME="$tmp/afile" \
    timeout 20 "$heapviz" --plain > "$tmp/out" 2> "$tmp/err"; st=$?
check "--plain: a history directory that cannot be made is fine (status $st)" [ $st = 0 ]
check "--plain: the command ran" grep -q 'p1 = malloc(32)' "$tmp/out"

tap_done
