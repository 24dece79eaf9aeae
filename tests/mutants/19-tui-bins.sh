# breaks: the full screen's bins (a bin's chunks listed from its tail)
# the full screen's bins: a bin's chunks are listed from its tail, so the
# head the next malloc takes is drawn last.
# caught by: tests/tui-lesson.sh tests/tui-scroll.sh
tests="tests/tui-lesson.sh tests/tui-scroll.sh"
mutate src/tui-bins.c 's{a = ent\[j - ent_from\];}{a = ent[ent_n - 1 - (j - ent_from)];}'
