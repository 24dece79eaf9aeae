# breaks: explain's arithmetic (a 16-byte header in the padding sum)
# explain's arithmetic: the request plus a 16-byte header, where
# dlmalloc's is 8.
# caught by: tests/scripts/explain.hv
tests="tests/scripts/explain.hv"
mutate src/model-dlmalloc.c 's{(rounded up to a multiple of 16 = a %zu-byte chunk\\n",\n\t\t    bytes, bytes, bytes \+ )8, nb\);}{${1}16, nb);}'
