# breaks: the interior-pointer refusal (any address passes as a chunk start)
# the interior-pointer refusal: every address counts as the start of a
# chunk, so free of a pointer into the middle of a block is no longer
# refused as "not the payload of any chunk".
# caught by: tests/scripts/corrupt-invalid-pointer.hv
tests="tests/scripts/corrupt-invalid-pointer.hv"
mutate src/alloc.c 's{(not_a_chunk_start\(const struct alloc \*a, const struct seg \*s,\n    const struct chunk \*p\)\n\{\n)}{${1}\tif (p != NULL)\n\t\treturn false;\n}'
