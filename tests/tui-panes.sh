#!/bin/sh
# tui-panes.sh -- the full-screen view at 80x24 and at 160x50: the four
# panes and the prompt appear; `malloc 32` shows p1 at its address in the
# Heap pane and an sbrk line in the Log pane; `free p1` after a guard
# allocation shows p1 in a bin; `printf "hi"` in a fresh session moves the
# break by 0x21000, shown in the Memory map and the Log.
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
	check "$at: malloc 32 shows p1 in the Heap pane" tui_wait p1 Heap
	check "$at: at its chunk address 0x555555559000" \
	    tui_wait_re '0x555555559000 (0x555555559010 )?p1 ' Heap
	check "$at: the Log pane shows the sbrk the malloc made" \
	    tui_wait sbrk Log
	check "$at: the result line says what malloc returned" \
	    tui_wait "p1 = malloc(32) = 0x555555559010"

	tui_type "malloc 32"
	tui_keys Enter
	tui_wait p2 Heap
	tui_type "free p1"
	tui_keys Enter
	check "$at: after free p1 (p2 guarding) p1 is in a bin" \
	    tui_wait "p1~" Bins
	check "$at: the Bins pane names the small bin" tui_wait "small[" Bins
	check "$at: the Heap pane shows p1 as free" tui_wait "p1~" Heap

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
