# breaks: goto's restoration (the last-command record is not restored)
# goto's restoration: restoring a checkpoint leaves the last-command
# record of the step we came from, so explain describes the wrong step.
# caught by: tests/test-history
tests="tests/test-history"
mutate src/history.c 's{\n\tmemcpy\(s->st\.last, c->last, sizeof s->st\.last\);\n\ts->st\.step = \(uint32_t\)c->step;}{\n\ts->st.step = (uint32_t)c->step;}'
