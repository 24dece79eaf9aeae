#!/bin/sh
# tui-zoom.sh -- zoom for a projector: `zoom bins` puts the Bins pane on
# the whole screen, F6 brings every pane back and zooms the focused one,
# Tab moves the zoom; a wrong pane name is refused with the names; outside
# the full screen `zoom` says it does nothing; a terminal too small for
# four panes (a large font) shows one pane, not "too small".
. "$(dirname "$0")/tui-common.sh"

lessons=${top_srcdir:-$(dirname "$0")/..}/examples
case $lessons in /*) ;; *) lessons=$(pwd)/$lessons ;; esac

four_panes() {
	for title in Heap Bins "Memory map" Log; do
		tui_screen | grep -F -q "+ $title " || return 1
	done
}
only_pane() {	# only_pane TITLE: TITLE's box and no other pane's
	tui_screen | grep -F -q "+ $1 " || return 1
	for title in Heap Bins "Memory map" Log Lesson; do
		[ "$title" = "$1" ] && continue
		tui_screen | grep -F -q "+ $title " && return 1
	done
	return 0
}
wait_for() {	# wait_for COMMAND...: until it succeeds
	i=0
	while [ $i -lt "$TUI_TIMEOUT" ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

check "heapviz starts at 80x24" tui_start_heapviz 80 24
tui_type "malloc 32"
tui_keys Enter
tui_wait p1 Heap
tui_type "zoom bins"
tui_keys Enter
check "zoom bins: the Bins pane alone fills the screen" \
    wait_for only_pane Bins
check "its title says how back" tui_wait "+ Bins ? F6/Esc: every pane "
check "it is the whole width" tui_wait_re '^\+ Bins .*-{20}\+$'
check "and still shows top" tui_wait "top      0x555555559030" Bins
tui_keys F6
check "F6: every pane again" wait_for four_panes
tui_keys F5
tui_keys F6
check "F5 then F6: the Log zoomed" wait_for only_pane Log
tui_keys Tab
check "Tab moves the zoom to the next pane (Heap)" wait_for only_pane Heap
tui_type "zoom"
tui_keys Enter
check "zoom without a name goes back to every pane" wait_for four_panes
tui_type "zoom log"
tui_keys Enter
wait_for only_pane Log
tui_keys Escape
check "Esc on an empty line goes back too" wait_for four_panes
tui_type "zoom xyz"
tui_keys Enter
check "zoom xyz is refused with the pane names" \
    tui_wait "zoom: no pane called xyz (the panes: heap, bins, map, log"
check "and the layout is left as it was" four_panes
tui_type "zoom lesson"
tui_keys Enter
check "zoom lesson without a lesson says there is none" \
    tui_wait "no lesson is open"
tui_type "zoom m"
tui_keys Enter
check "zoom takes a prefix: zoom m is the Memory map" \
    wait_for only_pane "Memory map"
tui_type "zoom off"
tui_keys Enter
check "zoom off: every pane" wait_for four_panes
tui_type "quit"
tui_keys Enter
tui_wait_shell

# A large font: 50x14 has no room for four panes.
check "heapviz starts at 50x14" tui_start_heapviz 50 14
check "one pane, not 'terminal too small'" wait_for only_pane Heap
check "its title says Tab goes on" tui_wait "+ Heap ? Tab: next pane "
tui_keys Tab
check "Tab shows the next pane" wait_for only_pane Bins
tui_type "quit"
tui_keys Enter
tui_wait_shell

# A lesson, zoomed: the narration at the projector's width.
check "heapviz opens printf-break at 80x24" \
    tui_start_heapviz 80 24 "'$lessons/printf-break.hv'"
tui_type "zoom lesson"
tui_keys Enter
check "zoom lesson: the Lesson pane alone" wait_for only_pane Lesson
check "with a narration paragraph whole" tui_wait \
    "stdout's buffer comes out" Lesson
tui_type "quit"
tui_keys Enter
tui_wait_shell

# Outside the full screen.
out=$(printf 'zoom\nzoom bins\nzoom xyz\n' | "$heapviz" 2>&1)
st=$?
check "batch: zoom says it does nothing here" \
    sh -c 'printf "%s\n" "$1" | grep -q "zoom: only the full screen has panes"' \
    - "$out"
check "batch: a wrong pane name is still an error" \
    sh -c 'printf "%s\n" "$1" | grep -q "no pane called xyz"' - "$out"
check "batch: exit status 1 for the error line" test "$st" -ne 0
tui_done
