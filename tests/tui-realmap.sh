#!/bin/sh
# tui-realmap.sh -- real mode shows the real map: `map` says the addresses
# are the program's real ones and names libc, ld.so and the program by
# file, as /proc/PID/maps has them; state --json carries the names; the
# Memory map pane (zoomed) shows them beside their sizes where it used to
# draw their ranges as free.
. "$(dirname "$0")/tui-common.sh"

printf 'mode real\n' | "$heapviz" --batch - >/dev/null 2>&1 || {
	echo "1..0 # SKIP real mode cannot start here"
	exit 0
}

text=$(printf 'mode real\nmalloc 32\nmap\n' | "$heapviz" 2>/dev/null)
has() {	# has TEXT: in the batch map
	printf '%s\n' "$text" | grep -F -q -- "$1"
}
check "map in real mode says the addresses are real" \
    has "(the program's real addresses)"
check "and no longer says display addresses" eval '! has "display addresses"'
check "it names libc" has "libc.so"
check "and ld.so" has "ld-linux"
check "and the program" has "heapviz-subject"
libc_row=$(printf '%s\n' "$text" | grep -F "libc.so" | grep -F " code " |
    head -n 1)
check "libc's code is a code mapping with its size ($libc_row)" \
    test -n "$libc_row"

if command -v jq >/dev/null 2>&1; then
	json=$(printf 'mode real\nstate --json\n' | "$heapviz" 2>/dev/null |
	    tail -n 1)
	check "state --json names libc's mappings" sh -c \
	    'printf "%s\n" "$1" | jq -e "[.mappings[] | select((.name // \"\") | startswith(\"libc\"))] | length > 0" >/dev/null' \
	    - "$json"
	check "and the heap has no file name" sh -c \
	    'printf "%s\n" "$1" | jq -e "[.mappings[] | select(.kind == \"heap\" and .name != null and .name != \"[heap]\")] | length == 0" >/dev/null' \
	    - "$json"
else
	n=$((n + 2))
	echo "ok $((n - 1)) # SKIP jq is not installed"
	echo "ok $n # SKIP jq is not installed"
fi

# The simulation keeps its display addresses and no file names.
sim=$(printf 'map\n' | "$heapviz" 2>/dev/null)
check "the simulation's map still says display addresses" sh -c \
    'printf "%s\n" "$1" | grep -q "(display addresses)"' - "$sim"

check "heapviz --real starts full screen" tui_start_heapviz 120 40 --real
tui_type "zoom map"
tui_keys Enter
check "the zoomed Memory map names libc" tui_wait "libc.so" "Memory map"
check "and ld.so" tui_wait "ld-linux" "Memory map"
check "and the program" tui_wait "heapviz-subject" "Memory map"
check "libc's code row has its size in KiB" \
    tui_wait_re '^.0x[0-9a-f]{12} . code +[0-9]+ KiB libc\.so' "Memory map"
tui_type "quit"
tui_keys Enter
check "quit returns to the shell" tui_wait_shell
tui_done
