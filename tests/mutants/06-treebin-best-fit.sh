# breaks: tree-bin best fit (the first chunk that fits is taken)
# Both tree searches, for small and for large requests, stop preferring a
# smaller remainder: tmalloc_small keeps the bin's root, tree_fit_large the
# first chunk it meets.
# caught by: tests/lessons/treebins.hv tests/test-alloc
tests="tests/lessons/treebins.hv tests/test-alloc"
mutate src/alloc.c 's{if \(trem < rsize\) \{(\n\t\t\trsize = trem;\n\t\t\tv = t;\n\t\t\}\n\t\}\n\tmem = take_tree_chunk)}{if (0 && trem < rsize) \{$1}' &&
mutate src/alloc.c 's{\t\t\tif \(trem < rsize\) \{\n\t\t\t\tv = t;}{\t\t\tif (v == NULL && trem < rsize) \{\n\t\t\t\tv = t;}' &&
mutate src/alloc.c 's{if \(trem < rsize\) \{(\n\t\t\trsize = trem;\n\t\t\tv = t;\n\t\t\}\n\t\tt = leftmost\(t\);)}{if (v == NULL && trem < rsize) \{$1}'
