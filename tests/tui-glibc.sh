#!/bin/sh
# tui-glibc.sh -- the full screen on the glibc model, at 80x24 and 160x50:
# the Bins pane lists the tcache bin a free put a chunk in, with its count
# out of 7, the unsorted bin's chunk, and the tcache struct; the Heap pane
# shows a tcache chunk as free (its in-use bit still set) and the first
# printf's stdout buffer as libc's chunk.
. "$(dirname "$0")/tui-common.sh"

for size in "80 24" "160 50"; do
	set -- $size
	at="at $1x$2"
	check "$at: heapviz --allocator glibc starts full screen" \
	    tui_start_heapviz "$1" "$2" "--allocator glibc"
	check "$at: the Bins pane is shown" tui_wait "+ Bins "

	tui_type "a = malloc 24"
	tui_keys Enter
	tui_wait "a = malloc(24)"
	tui_type "b = malloc 1100"
	tui_keys Enter
	tui_wait "b = malloc(1100)"
	tui_type "g = malloc 24"
	tui_keys Enter
	tui_wait "g = malloc(24)"
	tui_type "free a"
	tui_keys Enter
	check "$at: free a says the tcache took it" \
	    tui_wait "put in tcache bin 0 (1/7)"
	check "$at: the Bins pane shows tcache[0] with 1 of 7" \
	    tui_wait "1/7 chunks" Bins
	check "$at: and names the tcache struct" tui_wait "tcache_struct" Bins
	check "$at: the Heap pane shows a free in tcache[0]" \
	    tui_wait_re 'a~ +32 P- (free +)?tcache\[0\]' Heap
	tui_type "free b"
	tui_keys Enter
	check "$at: the Bins pane shows the unsorted bin" \
	    tui_wait "unsorted" Bins
	tui_type "quit"
	tui_keys Enter
	tui_wait_shell

	tui_type '"$HEAPVIZ" --allocator glibc'
	tui_keys Enter
	tui_wait "heapviz>"
	tui_type 'printf "hi"'
	tui_keys Enter
	check "$at: printf moves the break by +0x21000 in the Memory map" \
	    tui_wait "+0x21000" "Memory map"
	check "$at: the buffer is libc's chunk in the Heap pane" \
	    tui_wait "libc:stdout" Heap
	tui_type "quit"
	tui_keys Enter
	check "$at: quit returns to the shell" tui_wait_shell
done
tui_done
