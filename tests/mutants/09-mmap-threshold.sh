# breaks: the mmap threshold (only 4x the threshold gets a mapping)
# the mmap threshold: only requests of four times the threshold get a
# mapping of their own.
# caught by: tests/lessons/mmap-threshold.hv tests/scripts/mmap-trim.hv
tests="tests/lessons/mmap-threshold.hv tests/scripts/mmap-trim.hv"
mutate src/alloc.c 's{if \(nb >= a->mmap_threshold && a->topsize != 0\) \{}{if (nb >= 4 * a->mmap_threshold && a->topsize != 0) \{}'
