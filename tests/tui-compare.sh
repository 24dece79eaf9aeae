#!/bin/sh
# tui-compare.sh -- the full screen while `compare` runs, at 120x40 and
# 160x50: the Heap pane holds both models' heaps side by side (each chunk
# by offset from its own heap start, each side's bins in a line), its
# frame names the first divergence (measured from each side's first
# block, so glibc's tcache struct is none); back and goto move both sides; a
# 20x5 terminal says it is too small and the panes come back; `compare
# off` gives the one heap back; Tab completes the command's models.
. "$(dirname "$0")/tui-common.sh"

resize() {
	tmuxc resize-window -t hv -x "$1" -y "$2" 2>/dev/null ||
	    tmuxc resize-pane -t hv -x "$1" -y "$2"
}
run() {
	tui_type "$1"
	tui_keys Enter
}
P="Heap: dlmalloc | glibc"
no_divergence_shown() {	# fails when the screen cannot be read, too
	scr=$(tui_screen) || return 1
	case $scr in *"first divergence"*) return 1 ;; esac
	return 0
}

for size in "120 40" "160 50"; do
	set -- $size
	at="at $1x$2"
	check "$at: heapviz starts full screen" tui_start_heapviz "$1" "$2"
	tui_type "compare dlmalloc g"
	tui_keys Tab
	check "$at: Tab completes a model: compare dlmalloc g -> glibc" \
	    tui_wait "heapviz> compare dlmalloc glibc"
	tui_keys C-c
	tui_wait_gone "compare dlmalloc glibc"
	run "compare glibc"
	check "$at: compare turns the Heap pane into both models' heaps" \
	    tui_wait "+ $P "
	run "malloc 32"
	check "$at: dlmalloc's p1 at +0x0 of its heap, 48 in use (left)" \
	    tui_wait_re '^[* ]\+0x0 +48 inuse p1 +\|' "$P"
	check "$at: glibc's p1 at +0x290, after the tcache struct (right)" \
	    tui_wait_re '\|[* ]\+0x290 +48 inuse p1 *$' "$P"
	run "malloc 100"
	run "free p1"
	check "$at: each side's bins in a line: small[6] and tcache[1]" \
	    tui_wait_re '^ bins: small\[6\] 1 +\| bins: tcache\[1\] 1' "$P"
	check "$at: both say what the step did with p1" \
	    tui_wait_re 'p1 freed: \+0x10 \(chunk 48\) +\| p1 freed: \+0x2a0 \(chunk 48\)' "$P"
	check "$at: blocks alike from each side's first: no divergence yet" \
	    no_divergence_shown
	run "malloc 24"
	check "$at: dlmalloc reuses p1's chunk, glibc keeps it cached (right)" \
	    tui_wait_re '\|[* ]\+0x330 +32 inuse p3 *$' "$P"
	check "$at: the frame names the first divergence" \
	    tui_wait "first divergence at step 4"
	run "back"
	check "$at: back moves both sides to step 3" \
	    tui_wait_re '^ dlmalloc-2.8.6 . step 3 +\| glibc-2.36 . step 3' "$P"
	run "back"
	check "$at: back again: p1 in use again on both" \
	    tui_wait_re '\|[* ]\+0x290 +48 inuse p1 *$' "$P"
	run "goto 4"
	check "$at: goto 4: both at step 4, marked as the first divergence" \
	    tui_wait_re '^ first divergence here +\| first divergence here' "$P"
	run "goto 3"
	check "$at: goto 3: the free on both again" \
	    tui_wait_re '^ bins: small\[6\] 1 +\| bins: tcache\[1\] 1' "$P"

	resize 20 5
	check "$at: at 20x5 it says the terminal is too small" \
	    tui_wait "terminal too small"
	resize "$1" "$2"
	check "$at: grown again, the two heaps come back" \
	    tui_wait_re '\|[* ]\+0x290 +48 free +p1~' "$P"

	run "compare off"
	check "$at: compare off gives the one Heap pane back" \
	    tui_wait_re '0x555555559000 (0x555555559010 )?p1~ ' Heap
	run "quit"
	check "$at: quit returns to the shell" tui_wait_shell
done
tui_done
