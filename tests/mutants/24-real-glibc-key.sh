# breaks: real mode on glibc never learns the real tcache_key
# real mode on the real glibc: the model keeps its own tcache_key, so the
# key word of every chunk in the tcache differs from the real one.
# caught by: tests/real-glibc.sh
tests="tests/real-glibc.sh"
mutate src/engine-real.c 's{if \(mv != rv && !w->l->key_known && c != NULL &&}{if (0 && mv != rv && !w->l->key_known && c != NULL &&}'
