# breaks: printf's 0x21000 in real mode (the subject never calls printf)
# printf's 0x21000 in real mode: the subject writes the text with write(2)
# instead of calling the real printf, so libc's malloc never runs.
# caught by: tests/real.sh tests/tui-real.sh
tests="tests/real.sh tests/tui-real.sh"
mutate src/subject.c 's{result = printf\("%s", data\);}{result = (int)write(1, data, q->len);}'
