#!/bin/sh
# tui-trace-glibc.sh -- a traced program on the full screen: the Bins pane
# is the glibc model's view of the program's heap (titled so) where the
# model follows it, and says no bins are known where none does (a static
# program); the hint is the recording's, not "malloc 32"; Space and n
# step forward through the recording.
. "$(dirname "$0")/tui-common.sh"
bin=$(cd "${top_builddir:-.}" && pwd)
prog=$bin/tests/trace-glibc
for p in tests/trace-glibc tests/trace-glibc-static tests/can-ptrace; do
	[ -x "$bin/$p" ] || ci_skip_all "$bin/$p is not built (make check builds it)"
done
if ! why=$("$bin/tests/can-ptrace" 2>&1); then
	ci_skip_all "ptrace is not permitted here ($why): the program's mmap calls are not seen"
fi

check "heapviz --trace trace-glibc dup starts full screen" \
    tui_start_heapviz 160 45 "--trace '$prog' dup"
check "the Bins pane is titled as the glibc model's view" \
    tui_wait "Bins: the glibc model's view"
check "the hint says how to step through the recording" \
    tui_wait "Space or n steps forward through the recording"
no_malloc_hint() { ! tui_screen | grep -q "malloc 32"; }
check "and not to type malloc 32" no_malloc_hint
tui_type "goto 30"
tui_keys Enter
check "goto 30" tui_wait "at step 30 of 48"
tui_keys Space
check "Space steps forward: step 31" tui_wait "at step 31 of 48"
tui_keys n
check "n steps forward: step 32" tui_wait "at step 32 of 48"
check "the Bins pane shows the program's tcache bin for 48 bytes, 6 of 7" \
    tui_wait_re "tcache\[1\] +48 bytes, 6/7 chunks" "Bins: the glibc model's view"
check "and its last freed block first" \
    tui_wait_re "^ *\*? *. p6~ +0x[0-9a-f]+ 48" "Bins: the glibc model's view"
check "the Heap pane has that block free in tcache[1]" \
    tui_wait_re "p6~ +48 P. free +tcache\[1\]" "Heap"
tui_type "goto 0"
tui_keys Enter
check "at step 0 the Heap pane says how to move on, not malloc 32" \
    tui_wait "no chunks at this step: Space or n steps forward" "Heap"

tui_type "trace $bin/tests/trace-glibc-static mix"
tui_keys Enter
check "a static program: its summary says the model has nothing to replay" \
    tui_wait "the glibc-2.36 model has no calls to replay"
tui_keys Escape
check "the Bins pane is titled not known" tui_wait "Bins: not known"
check "and says why instead of showing empty bins" \
    tui_wait "a trace records no bins, and no model" "Bins: not known"
tui_type "quit"
tui_keys Enter
check "quit returns to the shell" tui_wait_shell
tui_done
