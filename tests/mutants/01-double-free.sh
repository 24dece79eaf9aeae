# breaks: the double-free refusal (a freed chunk can be freed again)
# the double-free refusal: free of a freed name, and the allocator's own
# checks (the chunk's CINUSE bit, the next chunk's PINUSE bit), let a free
# chunk be freed again.
# caught by: tests/scripts/double-free.hv tests/lessons/double-free.hv
tests="tests/scripts/double-free.hv tests/lessons/double-free.hv"
mutate src/cmd-free.c 's{if \(b != NULL && !b->live &&}{if (b != NULL && 0 &&}' &&
mutate src/alloc.c 's{if \(!ck_cinuse\(p\) && \(strict \|\| is_realloc\)\) \{}{if (0 && !ck_cinuse(p)) \{}' &&
mutate src/alloc.c 's{\n\tif \(!ck_pinuse\(next\)\) \{\n}{\n\tif (0 && !ck_pinuse(next)) \{\n}'
