# breaks: a trace's glibc model starts 16 bytes above the program's
# initial break, so every block it places is 16 bytes off the real one
# caught by: tests/trace-glibc.sh
tests="tests/trace-glibc.sh"
timeout=200
mutate src/recording-model.c 's{rm_fresh\(rec, rm, rec->first_heap\);}{rm_fresh(rec, rm, rec->first_heap + 16);}'
