#!/bin/sh
# tui-input.sh -- readline inside the full-screen view: tab completion of a
# name and of a command, Ctrl-C clears the line, history kept in
# $XDG_STATE_HOME/heapviz/history and searched with Ctrl-R, the F1 help
# overlay, focus with Tab on an empty line, Ctrl-D on an empty line quits.
. "$(dirname "$0")/tui-common.sh"

# The last line of the screen: the prompt line.
prompt_line() {
	tui_screen | sed -n '$p'
}
wait_prompt() {	# wait_prompt EXACT-TEXT
	i=0
	while [ $i -lt "$TUI_TIMEOUT" ]; do
		[ "$(prompt_line | sed 's/ *$//')" = "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

check "heapviz starts" tui_start_heapviz 80 24
tui_type "malloc 32"
tui_keys Enter
tui_wait p1 Heap
tui_type "free p"
tui_keys Tab
check "Tab completes a name: free p -> free p1" wait_prompt "heapviz> free p1"
tui_keys C-c
check "Ctrl-C clears the line" wait_prompt "heapviz>"
tui_type "mal"
tui_keys Tab
check "Tab completes a command: mal -> malloc" wait_prompt "heapviz> malloc"
tui_keys C-c
tui_type "set mmap_t"
tui_keys Tab
check "Tab completes a set key" wait_prompt "heapviz> set mmap_threshold"
tui_keys C-c
wait_prompt "heapviz>"
tui_type "mode r"
tui_keys Tab
check "Tab completes a mode: mode r -> mode real" wait_prompt "heapviz> mode real"
tui_keys C-c
wait_prompt "heapviz>"
tui_type "zoom m"
tui_keys Tab
check "Tab completes a pane: zoom m -> zoom map" wait_prompt "heapviz> zoom map"
tui_keys C-c
wait_prompt "heapviz>"
tui_type "allocator g"
tui_keys Tab
check "Tab completes a model: allocator g -> allocator glibc" \
    wait_prompt "heapviz> allocator glibc"
tui_keys C-c
wait_prompt "heapviz>"
tui_type "help zo"
tui_keys Tab
check "Tab completes a command after help: help zo -> help zoom" \
    wait_prompt "heapviz> help zoom"
tui_keys C-c
wait_prompt "heapviz>"

# The focused pane's title is in reverse video (SGR 7).
focus_is() {
	i=0
	while [ $i -lt "$TUI_TIMEOUT" ]; do
		tmuxc capture-pane -p -e -t hv 2>/dev/null |
		    grep -q "7m[^ ]* $1 " && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
check "the Heap pane has the focus at first" focus_is Heap
tui_keys Tab
check "Tab on an empty line moves the focus to Bins" focus_is Bins
tui_keys BTab
check "Shift-Tab moves it back" focus_is Heap
tui_keys F5
check "F5 focuses the Log" focus_is Log
tui_keys F1
check "F1 opens the help overlay" tui_wait "+ Help "
check "which lists the keys" tui_wait "Ctrl-R"
tui_keys Escape
check "Escape closes it" tui_wait_gone "+ Help "

tui_type "malloc 16"
tui_keys Enter
tui_wait p2 Heap
tui_keys C-d
check "Ctrl-D on an empty line quits" tui_wait_shell
check "the history file was written" \
    grep -q "malloc 16" "$tmp/state/heapviz/history"

tui_type '"$HEAPVIZ"'
tui_keys Enter
tui_wait "heapviz>"
tui_keys C-r
tui_type "malloc 1"
check "Ctrl-R finds a line from the last run" tui_wait "malloc 16"
tui_keys Enter
check "and runs it" tui_wait "p1 = malloc(16)"
tui_type "quit"
tui_keys Enter
check "quit returns to the shell" tui_wait_shell
tui_done
