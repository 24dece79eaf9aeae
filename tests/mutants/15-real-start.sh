# breaks: real mode's start (the subject dies at the start of main)
# real mode's start: the subject dies at the start of its main.
# caught by: tests/real.sh tests/tui-real.sh tests/real-glibc.sh
tests="tests/real.sh tests/tui-real.sh tests/real-glibc.sh"
mutate src/subject.c 's{(\n\tlibc_mode = argc > 1)}{\n\t_exit(3);$1}'
