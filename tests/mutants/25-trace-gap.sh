# breaks: the trace replay's gap (a removed chunk is not taken into it)
# trace replay: when a chunk is removed (an mmapped block freed, a block
# realloc moved) the gap does not take it in, so the chunks after it are
# read one place off and blocks the program holds are lost from the view.
# caught by: tests/trace.sh
tests="tests/trace.sh"
timeout=200
mutate src/recording.c 's{(\tgap_move\(st, i \+ 1\);\n)\tst->gap = i;\n}{$1}'
