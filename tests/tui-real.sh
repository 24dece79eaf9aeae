#!/bin/sh
# tui-real.sh -- real mode on the full screen: `heapviz --real`, then the
# seed's second program; the Memory map shows the break's +0x21000 jump,
# the Log shows the kernel's brk lines with their causes, and a subject
# killed on purpose leaves the screen and heapviz running.
. "$(dirname "$0")/tui-common.sh"

# A subject that does not start is a broken heapviz (real.sh says why):
# a failure, never a skip.
printf 'mode real\n' | "$HEAPVIZ" --batch - >/dev/null 2>&1 || {
	echo "Bail out! real mode does not start"
	exit 99
}
check "heapviz --real starts full screen" tui_start_heapviz 160 40 --real
check "the Memory map pane says it shows a real process" \
    tui_wait "+ Memory map (real process) "
tui_type "sbrk 0"
tui_keys Enter
tui_type 'printf "hi"'
tui_keys Enter
check "printf moves the real break by +0x21000 in the Memory map" \
    tui_wait "+0x21000" "Memory map"
check "the Log shows the kernel's brk, caused by printf" \
    tui_wait "printf (libc" Log
check "the Log line is a brk call" tui_wait "brk(0x" Log
tui_type "p1 = malloc 32"
tui_keys Enter
check "malloc 32 shows p1's 48-byte chunk in use in the Heap pane" \
    tui_wait_re ' p1 +48 +P. +inuse' Heap
tui_type 'write p1 0x10000000 "x"'
tui_keys Enter
check "a subject killed on purpose is reported" tui_wait "SIGSEGV"
tui_type "restart"
tui_keys Enter
check "restart brings a new subject" tui_wait "a new subject"
tui_type "quit"
tui_keys Enter
check "quit returns to the shell" tui_wait_shell
tui_done
