# breaks: glibc's safe-linking decoded (the views show the stored word as the pointer)
# glibc's safe-linking: the pointer a tcache or fastbin entry's fd word
# decodes to is taken to be the word itself, so `bins`, `heap` and the
# panes show the mangled word twice instead of where the list leads.
# caught by: tests/scripts/glibc-bins.hv tests/tui-glibc.sh
tests="tests/scripts/glibc-bins.hv tests/tui-glibc.sh"
mutate src/model-glibc.c 's{mc->fd_decoded = c->next;}{mc->fd_decoded = c->fd;}'
