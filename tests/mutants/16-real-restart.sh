# breaks: restart (the new subject is replayed to one step short)
# restart (and going back in real mode): a new subject is replayed to one
# step short of where the session was.
# caught by: tests/real.sh
tests="tests/real.sh"
mutate src/history.c 's{return replay\(s, s->hist->cp\[0\].step, n, out\);}{return replay(s, s->hist->cp[0].step, n > 0 ? n - 1 : 0, out);}'
