#!/bin/sh
# tui-class.sh -- the full screen as a class meets it: Esc at the prompt
# does no harm (the next command is read whole); F9 after `run` shows a
# lesson's narration before the command it belongs to, as plain mode does.
. "$(dirname "$0")/tui-common.sh"

lessons=${top_srcdir:-$(dirname "$0")/..}/examples
case $lessons in /*) ;; *) lessons=$(pwd)/$lessons ;; esac

# The line number of the first screen line holding TEXT (0: none).
line_of() {
	tui_screen | grep -n -F -- "$1" | sed -n '1s/:.*//p' | grep . || echo 0
}
before() {	# before A B: A is on the screen above B
	a=$(line_of "$1") b=$(line_of "$2")
	[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ "$a" -lt "$b" ]
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
tui_wait "+ Help "
tui_keys Escape
check "Esc still closes an overlay" tui_wait_gone "+ Help "
tui_type "malloc 24"
tui_keys Enter
check "and the next command after it runs whole" \
    tui_wait "p3 = malloc(24)"
tui_type "quit"
tui_keys Enter
tui_wait_shell

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
