# breaks: small-bin reuse order (FIFO instead of LIFO)
# small-bin reuse order: a freed chunk goes to the tail of its small bin
# instead of the head, so the bin is FIFO, not LIFO, and malloc reuses the
# oldest free chunk instead of the newest.
# caught by: tests/lessons/smallbin-reuse.hv tests/tui-lesson.sh
tests="tests/lessons/smallbin-reuse.hv tests/tui-lesson.sh"
tail='{ struct chunk *l = f == b ? b : b->bk; b->bk = p; l->fd = p; p->bk = l; p->fd = b; }'
mutate src/alloc.c "s{\tb->fd = p;\n\tf->bk = p;\n\tp->fd = f;\n\tp->bk = b;\n(\tEMIT\(a, AEV_BIN_INSERT)}{\t$tail\n\${1}}" &&
mutate src/alloc.c "s{\tb->fd = p;\n\tf->bk = p;\n\tp->fd = f;\n\tp->bk = b;\n(\tEMITR\(rec, a, AEV_BIN_INSERT)}{\t$tail\n\${1}}"
