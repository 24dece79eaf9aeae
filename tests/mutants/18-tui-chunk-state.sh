# breaks: the full screen's chunk state (every chunk drawn inuse, no bin)
# the full screen's chunk state: every chunk is drawn as inuse, a free one
# without its bin.
# caught by: tests/tui-panes.sh tests/tui-lesson.sh
tests="tests/tui-panes.sh tests/tui-lesson.sh"
mutate src/tui-heap.c 's{render_state_name\(c->state\)\);\n\tif \(c->state == ALLOC_CHUNK_FREE\) \{}{"inuse");\n\tif (0) \{}'
