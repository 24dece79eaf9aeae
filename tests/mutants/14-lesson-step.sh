# breaks: lesson stepping (each step skips a line)
# lesson stepping: each step moves two lines on, skipping one.
# caught by: tests/scripts/lesson-step.hv (tests/tui-lesson.sh too, but
# slowly: each of its waits runs to its time limit)
tests="tests/scripts/lesson-step.hv"
mutate src/lesson.c 's{\t\tl->made\[step\] = l->pos \+ 1;\n\t\}\n\tl->pos\+\+;}{\t\tl->made[step] = l->pos + 1;\n\t\}\n\tl->pos += 2;}'
