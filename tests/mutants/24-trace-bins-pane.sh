# breaks: the full screen's Bins pane on a trace is titled as the
# session's own (empty) bins, not as the glibc model's view
# caught by: tests/tui-trace-glibc.sh
tests="tests/tui-trace-glibc.sh"
mutate src/tui.c 's{\t\tt->pane\[PANE_BINS\]\.title = t->bins_title;}{\t\t(void)t->bins_title;}'
