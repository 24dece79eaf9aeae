# breaks: compare following the session in time (back and goto leave
# both sides where they were)
# compare's sides run the new lines but never go to the session's step
# afterwards, so after goto 3 they still show step 6.
# caught by: tests/scripts/compare.hv
tests="tests/scripts/compare.hv"
mutate src/compare.c 's{\t\tif \(history_step\(c->side\[j\]\) != to\)\n\t\t\thistory_goto\(c->side\[j\], to, &out_null\);}{\t\t(void)to;}'
