# breaks: the full screen's chunk state (every chunk drawn inuse, no bin)
# the full screen's chunk state: every chunk is drawn as inuse, a free one
# without its bin.
# caught by: tests/tui-panes.sh tests/tui-lesson.sh
tests="tests/tui-panes.sh tests/tui-lesson.sh"
mutate src/tui-heap.c 's{tui_line_printf\(&l, st, "%-5s ", tui_chunk_state\(c->state\)\);\n\tif \(c->state == ALLOC_CHUNK_FREE\) \{}{tui_line_printf(&l, st, "%-5s ", "inuse");\n\tif (0) \{}'
