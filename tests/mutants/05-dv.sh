# breaks: the dv (malloc from the dv hands out all of it, never splits)
# the designated victim: malloc from the dv hands out the whole dv instead
# of splitting it, so the remainder is no longer the next dv.
# caught by: tests/lessons/split-dv.hv
tests="tests/lessons/split-dv.hv"
mutate src/alloc.c 's{(EMITM\(rec, a, AEV_DV_HIT, p, a->dvsize, NULL, 0, ALLOC_BIN_DV, 0\);\n\tif \()(rsize >= MIN_CHUNK\) \{)}{${1}0 && $2}'
