# breaks: real mode's start (the subject dies at the start of main)
# real mode's start: the subject dies at the start of its main.
# caught by: tests/real.sh tests/tui-real.sh
tests="tests/real.sh tests/tui-real.sh"
mutate src/subject.c 's{(\n\tms = memsrc_os_create\(&in_call, area)}{\n\t_exit(3);$1}'
