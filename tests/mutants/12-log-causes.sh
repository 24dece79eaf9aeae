# breaks: the log's causes (system calls logged without their command)
# the log's causes: every system call is logged without the command that
# caused it.
# caught by: tests/json.sh tests/real.sh tests/tui-panes.sh
tests="tests/json.sh tests/real.sh tests/tui-panes.sh"
mutate src/events.c 's{strlcopy\(log->cause, cause, sizeof log->cause\);}{strlcopy(log->cause, "", sizeof log->cause);}'
