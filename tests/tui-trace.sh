#!/bin/sh
# tui-trace.sh -- `trace` on the full screen: while the program runs the
# result line shows its progress, Ctrl-C (a key: the screen is raw) stops
# it, and the recording made so far is the session; then the same from a
# shell with `heapviz --trace` in batch mode, where the progress line is
# on stderr (a terminal) and Ctrl-C is the terminal's SIGINT.
. "$(dirname "$0")/tui-common.sh"

check "heapviz starts full screen" tui_start_heapviz 160 40
tui_type "trace sleep 60"
tui_keys Enter
check "while sleep runs, the result line shows the trace's progress" \
    tui_wait "tracing sleep: "
check "and says how to stop it" tui_wait "(Ctrl-C stops it)"
tui_keys C-c
check "Ctrl-C stops the program: killed by SIGINT" \
    tui_wait "was killed by signal 2"
tui_keys F9
check "heapviz says so, and kept the trace" \
    tui_wait "interrupted by Ctrl-C; what it did up to then is recorded"
tui_keys Escape
tui_type "history"
tui_keys Enter
check "the recording is the session: history steps through it" \
    tui_wait "sleep was killed by signal 2 (Interrupt)"
tui_keys Escape
tui_type "quit"
tui_keys Enter
check "quit returns to the shell" tui_wait_shell

check "a shell for batch mode" tui_start 160 40
tui_wait_shell
tui_type "\"\$HEAPVIZ\" --trace sleep 60 < /dev/null > out.txt"
tui_keys Enter
check "batch mode on a terminal: the progress line on stderr" \
    tui_wait "tracing sleep: "
tui_keys C-c
check "Ctrl-C: heapviz ends the trace and returns to the shell" \
    tui_wait_shell
check "with the summary on its output" \
    tui_wait_file "$tmp/out.txt"
check "saying the program was stopped" \
    grep -q "^note: heapviz stopped sleep: interrupted by Ctrl-C" \
    "$tmp/out.txt"
check "and no progress line left in it" \
    sh -c "! grep -q 'tracing sleep' '$tmp/out.txt'"
tui_done
