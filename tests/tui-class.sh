#!/bin/sh
# tui-class.sh -- the full screen as a class meets it: Esc at the prompt
# does no harm (the next command is read whole); on a damaged heap the Bins
# pane shows top where state --json has it; the Heap and Bins panes give
# chunk addresses, the ones `bins` gives; F9 after `run` shows a lesson's
# narration before the command it belongs to, as plain mode does.
. "$(dirname "$0")/tui-common.sh"

lessons=${top_srcdir:-$(dirname "$0")/..}/examples
case $lessons in /*) ;; *) lessons=$(pwd)/$lessons ;; esac

# The line number of the first line of screen text $scr holding TEXT (0:
# none).
line_of() {
	printf '%s\n' "$scr" | grep -n -F -- "$1" | sed -n '1s/:.*//p' |
	    grep . || echo 0
}
# before A B: A is on the screen above B, both on the same capture.  The
# screen may still be drawing (F9's overlay): try until TUI_TIMEOUT says
# it never will be.
before() {
	i=0
	while [ $i -lt "$TUI_TIMEOUT" ]; do
		if scr=$(tui_screen); then
			a=$(line_of "$1") b=$(line_of "$2")
			[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ "$a" -lt "$b" ] &&
			    return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

check "heapviz starts at 80x24" tui_start_heapviz 80 24

# ---- Esc at the prompt. ----
tui_keys Escape
sleep 0.3
tui_type "malloc 8"
tui_keys Enter
check "Esc, then malloc 8: the whole command runs" \
    tui_wait "p1 = malloc(8)"
check "and nothing was eaten from it" tui_wait_gone "unknown command"
tui_type "mall"
tui_keys Escape
sleep 0.3
tui_type "oc 16"
tui_keys Enter
check "Esc in the middle of a line keeps the line" \
    tui_wait "p2 = malloc(16)"
tui_type "help"
tui_keys Enter
check "help typed opens the help overlay, the keys first (CMD_HELP)" \
    tui_wait "Shift-Tab        focus the previous pane"
tui_keys Escape
check "Esc still closes an overlay" tui_wait_gone "+ Help "
tui_type "malloc 24"
tui_keys Enter
check "and the next command after it runs whole" \
    tui_wait "p3 = malloc(24)"
tui_keys C-r
tui_type "oc 2"
tui_wait "malloc 24"
tui_keys Escape
sleep 0.3
tui_type "0"
check "in Ctrl-R's search Esc ends the search: a key after it edits the line" \
    tui_wait "heapviz> mall0oc 24"
tui_keys C-c
tui_type "quit"
tui_keys Enter
tui_wait_shell

# ---- One truth: the panes name chunks as the text views and JSON do. ----
# What state --json says, from batch mode, to compare with the screen.
damage='malloc 24
malloc 24
write p1 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"'
json_top=$(printf '%s\nstate --json\n' "$damage" | "$heapviz" 2>/dev/null |
    tail -n 1 | jq -r '.bins.top.addr')
top_hex=$(printf '0x%x' "$json_top")
check "state --json gives top on the damaged heap ($top_hex)" \
    test "$top_hex" = 0x555555559040
check "heapviz starts at 160x50" tui_start_heapviz 160 50
printf '%s\n' "$damage" | while IFS= read -r l; do
	tui_type "$l"
	tui_keys Enter
done
tui_wait "wrote 32 bytes"
check "the Bins pane shows top where state --json has it" \
    tui_wait "top      $top_hex 3952" Bins
top_row_names_p2() {
	tui_pane Bins | grep "top " | grep -q p2
}
check "and not p2's name beside it (p2's chunk is not top)" \
    eval '! top_row_names_p2'
tui_type "quit"
tui_keys Enter
tui_wait_shell

# A free chunk and top: the Heap and Bins panes give the chunk addresses
# `bins` and `heap` give, at 80 columns as at 160.
views='malloc 32
malloc 32
free p1'
bins_text=$(printf '%s\nbins\n' "$views" | "$heapviz" 2>/dev/null)
p1_chunk=$(printf '%s\n' "$bins_text" | sed -n 's/.*: \(0x[0-9a-f]*\) (p1~.*/\1/p')
top_chunk=$(printf '%s\n' "$bins_text" | sed -n 's/^ top: \(0x[0-9a-f]*\) .*/\1/p')
check "bins names p1's chunk and top ($p1_chunk, $top_chunk)" \
    test "$p1_chunk" = 0x555555559000 -a "$top_chunk" = 0x555555559060
for size in "80 24" "160 50"; do
	set -- $size
	at="at $1x$2"
	tui_start_heapviz "$1" "$2"
	printf '%s\n' "$views" | while IFS= read -r l; do
		tui_type "$l"
		tui_keys Enter
	done
	check "$at: the Heap pane's first column is headed chunk" \
	    tui_wait_re '^ ?chunk ' Heap
	check "$at: p1's row there starts with its chunk address" \
	    tui_wait_re "^.$p1_chunk (0x[0-9a-f]+ )?p1~" Heap
	check "$at: the Bins pane lists p1 at that address" \
	    tui_wait_re "p1~ +$p1_chunk " Bins
	check "$at: and top at the address bins gives" \
	    tui_wait "top      $top_chunk " Bins
	check "$at: the Bins pane's border says what its numbers are" \
	    tui_wait "+- chunk addresses, bytes -"
	tui_type "quit"
	tui_keys Enter
	tui_wait_shell
done

# ---- F9 after run: narration in its place. ----
check "heapviz opens the coalesce lesson at 160x50" \
    tui_start_heapviz 160 50 "'$lessons/coalesce.hv'"
tui_type "run"
tui_keys Enter
tui_wait "paused: "
tui_keys F9
check "F9 shows what run did" tui_wait "coalesce.hv:11> free b"
check "the first narration comes before the first command" \
    before "| Coalescing" "coalesce.hv:4> a = malloc 100"
check "the narration of free b comes after the commands before it" \
    before "coalesce.hv:9> guard = malloc 8" "| Freeing b"
check "and before free b itself" \
    before "| Freeing b" "coalesce.hv:11> free b"
tui_keys Escape
tui_type "quit"
tui_keys Enter
check "quit returns to the shell" tui_wait_shell
tui_done
