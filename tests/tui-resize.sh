#!/bin/sh
# tui-resize.sh -- resizing relayouts at once: 160x50 -> 80x24 -> 20x5
# ("terminal too small") -> 100x30, with every pane back and the heap kept.
. "$(dirname "$0")/tui-common.sh"

# The right edge of the Heap pane's top border: where the layout put it.
heap_right() {
	tui_screen | awk '/^\+ Heap / { print index(substr($0, 2), "+") + 1;
	    exit }'
}
# Wait until the Heap pane's right edge has moved from $1.
wait_relayout() {
	i=0
	while [ $i -lt "$TUI_TIMEOUT" ]; do
		r=$(heap_right)
		[ -n "$r" ] && [ "$r" != "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
resize() {
	tmuxc resize-window -t hv -x "$1" -y "$2" 2>/dev/null ||
	    tmuxc resize-pane -t hv -x "$1" -y "$2"
}
all_panes() {
	for title in Heap Bins "Memory map" Log; do
		tui_wait "+ $title " || return 1
	done
	tui_wait "heapviz>"
}

check "heapviz starts at 160x50" tui_start_heapviz 160 50
tui_type "malloc 32"
tui_keys Enter
check "malloc 32 is shown" \
    tui_wait_re '0x555555559000 (0x555555559010 )?p1 ' Heap
before=$(heap_right)

resize 80 24
check "after resizing to 80x24 the layout changes" wait_relayout "$before"
check "all four panes and the prompt are there" all_panes
check "the heap is kept" \
    tui_wait_re '0x555555559000 (0x555555559010 )?p1 ' Heap
check "the screen is 80 columns wide" \
    sh -c "[ \$(tmux -L $sock display-message -p -t hv '#{window_width}') = 80 ]"
mid=$(heap_right)

resize 20 5
check "at 20x5 it says the terminal is too small" \
    tui_wait "terminal too small"

resize 100 30
check "grown to 100x30 the panes come back" all_panes
check "the layout is the one for 100 columns" wait_relayout "$mid"
check "the too-small notice is gone" tui_wait_gone "terminal too small"
tui_type "malloc 48"
tui_keys Enter
check "and commands still work: p2's 64-byte chunk in use" \
    tui_wait_re ' p2 +64 +P. +inuse' Heap
tui_done
