#!/bin/sh
# tui-panes.sh -- the full-screen view at 80x24 and at 160x50: the four
# panes and the prompt appear; `malloc 32` shows p1's row in the Heap pane
# (address, name, size, in use) and the sbrk the malloc made in the Log
# pane; `free p1` after a guard allocation shows p1's row as free in small
# bin 6 and the bin holding it; `printf "hi"` in a fresh session moves the
# break by 0x21000, shown in the Memory map and the Log.  Every wait is for
# text that only the action can put there (the empty Log pane says "no
# sbrk/brk/mmap calls yet"; "p1~" marks a freed name in any state).
. "$(dirname "$0")/tui-common.sh"

for size in "80 24" "160 50"; do
	set -- $size
	at="at $1x$2"
	check "$at: heapviz starts full screen" tui_start_heapviz "$1" "$2"
	for title in Heap Bins "Memory map" Log; do
		check "$at: the $title pane is shown" tui_wait "+ $title "
	done
	check "$at: the prompt is shown" tui_wait "heapviz>"

	tui_type "malloc 32"
	tui_keys Enter
	check "$at: malloc 32 shows p1's row in the Heap pane: chunk 0x555555559000, 48 bytes, in use" \
	    tui_wait_re '0x555555559000 +(0x555555559010 +)?p1 +48 +PC +inuse' Heap
	check "$at: the Log pane shows the sbrk the malloc made, caused by it" \
	    tui_wait_re 'sbrk\(0x1000\) = 0x555555559000 +\? malloc' Log
	check "$at: the result line says what malloc returned" \
	    tui_wait "p1 = malloc(32) = 0x555555559010"

	tui_type "malloc 32"
	tui_keys Enter
	tui_wait_re '0x555555559030 +(0x555555559040 +)?p2 +48 +.C +inuse' Heap
	tui_type "free p1"
	tui_keys Enter
	check "$at: after free p1 (p2 guarding) the Heap pane shows p1's chunk free in small[6]" \
	    tui_wait_re '0x555555559000 +(0x555555559010 +)?p1~ +48 +P- +(free +)?small\[6\]' Heap
	check "$at: and p2's row says its neighbour below is free" \
	    tui_wait_re '0x555555559030 +(0x555555559040 +)?p2 +48 +-C +inuse' Heap
	check "$at: the Bins pane shows small bin 6 with one 48-byte chunk" \
	    tui_wait_re 'small\[6\] +48 bytes, 1 chunk' Bins
	check "$at: holding p1's chunk" \
	    tui_wait_re 'p1~ +0x555555559000 +48' Bins

	tui_type "quit"
	tui_keys Enter
	tui_wait_shell

	# A fresh session: the first printf moves the break by 0x21000.
	tui_type '"$HEAPVIZ"'
	tui_keys Enter
	tui_wait "heapviz>"
	tui_type 'printf "hi"'
	tui_keys Enter
	check "$at: printf moves the break by +0x21000 in the Memory map" \
	    tui_wait "+0x21000" "Memory map"
	check "$at: the Log pane shows sbrk(0x21000)" \
	    tui_wait "sbrk(0x21000)" Log
	check "$at: the Heap pane shows libc's memory as not ours" \
	    tui_wait "not ours" Heap
	tui_type "quit"
	tui_keys Enter
	check "$at: quit returns to the shell" tui_wait_shell
done
tui_done
