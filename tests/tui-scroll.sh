#!/bin/sh
# tui-scroll.sh -- the full screen on a heap of 1,500 blocks, which the
# panes show a screenful at a time: Home, PgDn and End reach the first, the
# middle and the last chunk in the Heap pane; End and Home in the Bins pane
# reach both ends of a bin of 375 chunks; a malloc shows the chunk it took;
# a write over the next chunk's header shows the damage (damaged) and `check`
# reports it; `trace` shows the recorded program's heap instead.
. "$(dirname "$0")/tui-common.sh"

script=$tmp/big.hv
i=1
while [ $i -le 1500 ]; do
	printf 'n%04d = malloc 24\n' $i
	i=$((i + 1))
done >"$script"
i=1
while [ $i -le 1500 ]; do
	printf 'free n%04d\n' $i
	i=$((i + 4))
done >>"$script"

check "heapviz starts at 160x50" tui_start_heapviz 160 50
tui_type "source $script"
tui_keys Enter
# The output opens in the overlay: close it.
tui_wait "+ source " && tui_keys Escape
check "the last block of the script is shown" tui_wait "n1497~" Heap

tui_keys Home
check "Home: the first chunk is at the top of the Heap pane" \
    tui_wait "n0001~" Heap
check "and the rows further down are not shown" tui_wait_gone n0400
k=0
while [ $k -lt 20 ]; do
	tui_keys NPage
	k=$((k + 1))
done
check "PgDn: further down the heap" tui_wait n0450 Heap
check "and the first chunk is off the screen" tui_wait_gone "n0001~"
tui_keys End
check "End: the last chunk and top" tui_wait n1500 Heap
check "and top after it" tui_wait " top " Heap

tui_keys F3
tui_keys End
check "Bins pane, End: the bin's last entry (the first freed)" \
    tui_wait "n0001~" Bins
tui_keys Home
check "Bins pane, Home: the bin maps again" tui_wait smallmap Bins
check "and the bin's head (the last freed)" tui_wait "n1497~" Bins

tui_keys F2
tui_type "malloc 24"
tui_keys Enter
check "a malloc takes the last freed chunk and shows it" \
    tui_wait "p1 = malloc(24)"
check "in the Heap pane: p1's 32-byte chunk in use" \
    tui_wait_re ' p1 +32 +P. +inuse' Heap

tui_keys Home
tui_type 'write n0002 24 "AAAAAAAAAAAAAAAAAAAAAAAA"'
tui_keys Enter
check "a write over the next chunk's header shows it damaged" \
    tui_wait damaged Heap
tui_type "check"
tui_keys Enter
check "and check reports it" tui_wait "problem"
# In the overlay if it is long: close it.
tui_screen | grep -q "+ check " && tui_keys Escape

# `trace`: the panes show the recorded program's heap instead.
prog=$(pwd)/examples/big-malloc
if [ -x "$prog" ]; then
	tui_type "trace $prog"
	tui_keys Enter
	check "trace: the traced program's heap in the Heap pane" \
	    tui_wait "p1~" Heap
	check "and not the heap before it" tui_wait_gone damaged
	tui_screen | grep -q "+ trace " && tui_keys Escape
else
	ci_skip "trace: the traced program's heap" "no $prog (make check builds it)"
fi
tui_type "quit"
tui_keys Enter
check "quit returns to the shell" tui_wait_shell
tui_done
