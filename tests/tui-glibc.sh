#!/bin/sh
# tui-glibc.sh -- the full screen on the glibc model, at 80x24 and 160x50:
# the Bins pane lists the tcache bin a free put a chunk in, with its count
# out of 7 and each entry's safe-linked word, the unsorted bin's next to be
# processed, the tcache struct and the thresholds (dynamic, then fixed by
# a set); the Heap pane shows a tcache chunk as free (its in-use bit still
# set) with its word and names the tcache struct; the Memory map shows
# main_arena; the first printf's stdout buffer is libc's chunk.
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

	# Each pane alone, so that every row is whole at either size; the
	# zoom's title is what only the zoom draws.
	tui_type "zoom bins"
	tui_keys Enter
	tui_wait_re 'Bins . F6/Esc'
	check "$at: a tcache entry's next word, as stored and decoded" \
	    tui_wait_re '. a~ +0x555555559290 32 fd=0x555555559 next=NULL *$' Bins
	check "$at: the unsorted bin's next to be processed is marked" \
	    tui_wait_re '. b~ +0x5555555592b0 1120 next to be processed *$' Bins
	check "$at: the mmap threshold, dynamic, after the bins" \
	    tui_wait_re '^ mmap_threshold 131072 \(0x20000\), dynamic *$' Bins
	check "$at: and global_max_fast" \
	    tui_wait_re '^ global_max_fast 0x80 *$' Bins
	tui_type "zoom heap"
	tui_keys Enter
	tui_wait_re 'Heap . F6/Esc'
	check "$at: the Heap pane names the tcache struct" \
	    tui_wait_re '0x555555559000 +(0x555555559010 +)?- +656 P- inuse +tcache_struct *$' Heap
	check "$at: and gives a tcache chunk's next word" \
	    tui_wait_re 'a~ +32 P- (free +)?tcache\[0\] +fd=0x555555559 next=NULL *$' Heap
	tui_type "zoom map"
	tui_keys Enter
	tui_wait_re 'Memory map . F6/Esc'
	check "$at: the Memory map shows main_arena under data" \
	    tui_wait_re '0x555555557000 . +main_arena 2200 bytes *$' "Memory map"
	tui_type "set mmap_threshold 200000"
	tui_keys Enter
	tui_type "zoom bins"
	tui_keys Enter
	check "$at: a set makes the mmap threshold fixed" \
	    tui_wait_re '^ mmap_threshold 200000 \(0x30d40\), fixed *$' Bins
	tui_type "zoom off"
	tui_keys Enter
	tui_wait_gone "F6/Esc"
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
