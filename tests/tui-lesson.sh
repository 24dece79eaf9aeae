#!/bin/sh
# tui-lesson.sh -- a lesson in the full screen: `heapviz LESSON` opens it
# in a Lesson pane with the next line marked; Space and n step through it
# and show the narration; back moves the lesson back, and Space then makes
# the step ahead again without dropping the later ones (Space does that
# without a lesson too); explain and history open in the overlay.  Each
# wait is for what only the step can draw: the chunk's row with its size
# and state, the bin with its head, the marker on its new line.
. "$(dirname "$0")/tui-common.sh"

# The first chunk listed under small[6] in the Bins pane (its head) is NAME.
bin_head_is() {
	i=0
	while [ $i -lt "$TUI_TIMEOUT" ]; do
		tui_pane Bins | grep -A1 'small\[6\] *48 bytes, 2 chunks' |
		    sed -n 2p | grep -q " $1~ " && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

lesson=${top_srcdir:-$(dirname "$0")/..}/examples/smallbin-reuse.hv
case $lesson in /*) ;; *) lesson=$(pwd)/$lesson ;; esac

for size in "80 24" "160 50"; do
	set -- $size
	at="at $1x$2"
	check "$at: heapviz opens the lesson" \
	    tui_start_heapviz "$1" "$2" "'$lesson'"
	check "$at: the Lesson pane is shown" tui_wait "+ Lesson "
	check "$at: with the first command marked" \
	    tui_wait "? a = malloc 32" Lesson
	tui_keys Space
	check "$at: Space runs the first command: a's chunk in use" \
	    tui_wait_re '0x555555559000 +(0x555555559010 +)?a +48 +PC +inuse' Heap
	check "$at: and the result line says what it did" \
	    tui_wait "a = malloc(32) = 0x555555559010"
	tui_type "n"
	check "$at: n runs the next one: g1's chunk in use" \
	    tui_wait_re '0x555555559030 +(0x555555559040 +)?g1 +32 +PC +inuse' Heap
	check "$at: the marker moves to the third command" \
	    tui_wait "? b = malloc 32" Lesson
	tui_type "back"
	tui_keys Enter
	check "$at: back undoes a step" tui_wait "at step 1 of 2"
	check "$at: and the marker goes back with it" \
	    tui_wait "? g1 = malloc 8" Lesson
	tui_keys Space
	check "$at: Space after back makes the step ahead again" \
	    tui_wait "? b = malloc 32" Lesson
	tui_keys F9
	check "$at: from the history, as F9 shows" \
	    tui_wait "note: step 2 of 2 again, from the history" step
	tui_keys Escape
	tui_type "back"
	tui_keys Enter
	check "$at: and back undoes it again" tui_wait "at step 1 of 2"
	check "$at: the marker back on the second command" \
	    tui_wait "? g1 = malloc 8" Lesson
	tui_type "run"
	tui_keys Enter
	check "$at: run stops at the pause: a's chunk free in small[6]" \
	    tui_wait_re '0x555555559000 +(0x555555559010 +)?a~ +48 +P- +(free +)?small\[6\]' Heap
	check "$at: the Bins pane has small[6] with c's chunk at its head" \
	    bin_head_is c
	check "$at: and says it paused" tui_wait "paused: "
	tui_type "explain"
	tui_keys Enter
	check "$at: explain opens in the overlay" tui_wait "step 8: free c"
	tui_keys Escape
	tui_type "quit"
	tui_keys Enter
	check "$at: quit returns to the shell" tui_wait_shell
done

# Without a lesson, Space after back makes the step ahead again too.
check "no lesson: heapviz starts" tui_start_heapviz 80 24
tui_type "malloc 32"
tui_keys Enter
tui_type "malloc 48"
tui_keys Enter
check "no lesson: two steps made" tui_wait p2 Heap
tui_type "back"
tui_keys Enter
check "no lesson: back undoes one" tui_wait "at step 1 of 2"
tui_keys Space
check "no lesson: Space makes it again, as it ran" \
    tui_wait "p2 = malloc(48) = 0x555555559040"
check "no lesson: p2 is back in the Heap pane" tui_wait p2 Heap
tui_type "history"
tui_keys Enter
check "no lesson: the history kept both steps" tui_wait "2  malloc 48"
tui_keys Escape
tui_type "quit"
tui_keys Enter
check "no lesson: quit returns to the shell" tui_wait_shell
tui_done
