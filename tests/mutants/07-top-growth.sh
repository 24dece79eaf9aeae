# breaks: top growth (each extension asks for 4 KiB more than it needs)
# top growth: every extension of the heap asks for one granularity unit (4
# KiB) more than it needs.
# caught by: tests/scripts/basics.hv tests/lessons/seed-sbrk.hv
tests="tests/scripts/basics.hv tests/lessons/seed-sbrk.hv"
mutate src/alloc.c 's{(gran_align\(const struct alloc \*a, size_t s\)\n\{\n\treturn )\(s \+ a->granularity - 1\) & ~\(a->granularity - 1\);}{${1}((s + a->granularity - 1) & ~(a->granularity - 1)) + a->granularity;}'
