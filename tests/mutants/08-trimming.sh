# breaks: trimming (top is never given back)
# trimming: top is never given back to the system, however large.
# caught by: tests/lessons/top-trim.hv tests/scripts/mmap-trim.hv
tests="tests/lessons/top-trim.hv tests/scripts/mmap-trim.hv"
mutate src/alloc.c 's{(pad \+= TOP_FOOT;\n\t\tif \()(a->topsize > pad\) \{)}{${1}0 && $2}'
