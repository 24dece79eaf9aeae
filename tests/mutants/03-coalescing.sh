# breaks: coalescing (a freed chunk never merges with a free one before it)
# coalescing: a chunk's PINUSE bit always reads as set, so a freed chunk
# never merges with the free chunk before it.
# caught by: tests/lessons/coalesce.hv tests/test-alloc
tests="tests/lessons/coalesce.hv tests/test-alloc"
mutate src/alloc-internal.h 's{(static inline bool ck_pinuse\(const struct chunk \*p\) \{ return )\(p->head & PINUSE\) != 0;}{${1}p != NULL;}'
