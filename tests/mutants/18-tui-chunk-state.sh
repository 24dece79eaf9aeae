# breaks: the full screen's chunk state (every chunk drawn inuse, no bin)
# the full screen's chunk state: every chunk is drawn as inuse, a free one
# without its bin.
# caught by: tests/tui-panes.sh tests/tui-lesson.sh
tests="tests/tui-panes.sh tests/tui-lesson.sh"
mutate src/tui-heap.c 's{_state_name\(c->state\)\);\n\tif \(c->state == (\w+)_CHUNK_FREE\) \{}{_state_name(${1}_CHUNK_INUSE));\n\tif (0 && c->state == ${1}_CHUNK_FREE) \{}'
