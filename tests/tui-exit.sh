#!/bin/sh
# tui-exit.sh -- the terminal is always restored: `quit`, Ctrl-D, SIGTERM,
# SIGHUP, SIGINT and a crash (SIGSEGV) each leave the shell prompt back and
# `stty -a` as it was; a signal's exit status is 128 + its number; a diagnostic written while the screen was ours (an
# unwritable history file) is held back and shown after it.
. "$(dirname "$0")/tui-common.sh"

# Run heapviz from the shell in the window, with stty -a before and after.
run() {	# run TAG [ENV-ASSIGNMENTS]
	tui_wait_shell
	rm -f "$tmp/$1".*
	tui_type "stty -a > $1.before; ${2:-} sh -c 'echo \$\$ > $1.pid; exec \"\$HEAPVIZ\"'; echo \$? > $1.status; stty -a > $1.after"
	tui_keys Enter
	tui_wait "heapviz>"
}
same_stty() {
	tui_wait_file "$tmp/$1.after" && cmp -s "$tmp/$1.before" "$tmp/$1.after"
}
status_is() {
	tui_wait_file "$tmp/$1.status" && [ "$(cat "$tmp/$1.status")" = "$2" ]
}

check "a shell in the window" tui_start 80 24
tui_wait_shell

run quit
tui_type "malloc 32"
tui_keys Enter
tui_wait p1 Heap
tui_type "quit"
tui_keys Enter
check "quit: exit status 0" status_is quit 0
check "quit: stty settings unchanged" same_stty quit
check "quit: the shell prompt is back" tui_wait_shell
check "quit: the panes are gone" tui_wait_gone "+ Heap "

run ctrld
tui_keys C-d
check "Ctrl-D: exit status 0" status_is ctrld 0
check "Ctrl-D: stty settings unchanged" same_stty ctrld
check "Ctrl-D: the panes are gone" tui_wait_gone "+ Heap "

run term
tui_wait_file "$tmp/term.pid"
kill -TERM "$(cat "$tmp/term.pid")"
check "SIGTERM: exit status 143" status_is term 143
check "SIGTERM: stty settings unchanged" same_stty term
check "SIGTERM: the panes are gone" tui_wait_gone "+ Heap "

run hup
tui_wait_file "$tmp/hup.pid"
kill -HUP "$(cat "$tmp/hup.pid")"
check "SIGHUP: exit status 129" status_is hup 129
check "SIGHUP: stty settings unchanged" same_stty hup

run int
tui_wait_file "$tmp/int.pid"
kill -INT "$(cat "$tmp/int.pid")"
check "SIGINT: exit status 130" status_is int 130
check "SIGINT: stty settings unchanged" same_stty int

# A crash: the handler can only restore the terminal and die of the signal.
run segv
tui_wait_file "$tmp/segv.pid"
kill -SEGV "$(cat "$tmp/segv.pid")"
check "SIGSEGV: dies of it (status 139)" status_is segv 139
check "SIGSEGV: stty settings unchanged" same_stty segv
check "SIGSEGV: the panes are gone" tui_wait_gone "+ Heap "

run held "XDG_STATE_HOME=/dev/null/nowhere"
tui_type "malloc 8"
tui_keys Enter
tui_wait p1 Heap
check "a diagnostic is not drawn over the screen" \
    sh -c "! tmux -L $sock capture-pane -p -t hv | grep -q 'heapviz: history'"
tui_type "quit"
tui_keys Enter
check "held back: exit status 0" status_is held 0
check "and shown once the screen is restored" tui_wait "heapviz: history"
check "held: stty settings unchanged" same_stty held
tui_done
