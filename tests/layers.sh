#!/bin/sh
# layers.sh -- no file of src/ includes the header of a layer above its
# own, so that a lower layer never calls a higher one (README, "How it is
# built").  The layers, from the ground up, by file name:
#
#   1 core        alloc*, glibc* (the allocator models), model* (the
#                 seam the layers above reach a model through), events, out,
#                 xmalloc, strlcopy, fdio, trace (malloc-lab files),
#                 subject-proto.h, preload.h, and
#                 memsrc.h (the seam the core is handed memory through)
#   2 memory      memsrc*, sysmon, subject (the real-mode process),
#                 preload (inside a traced program)
#   3 engine      engine*, session (with session-internal.h), names,
#                 history, recording*
#   4 views       snapshot*, render*
#   5 commands    interp, cmd*, lesson, complete, export* (the pictures
#                 and pages `export` writes, stepping the session),
#                 compare (the session's steps on two models)
#   6 screen      tui*, repl, main
#
# A higher layer reaches down only through a function pointer it hands
# in (the session's run and watch hooks).  Any include that climbs fails
# the test; an exception would be listed in allowed below, with why.
. "$(dirname "$0")/tap-common.sh"
src=${top_srcdir:-.}/src

layer() {	# layer FILE (a name in src/): its layer's number
	case ${1%.*} in
	alloc*|glibc*|model*|events|out|xmalloc|strlcopy|fdio|trace|\
	subject-proto)
		echo 1 ;;
	memsrc) case $1 in *.h) echo 1 ;; *) echo 2 ;; esac ;;
	preload) case $1 in *.h) echo 1 ;; *) echo 2 ;; esac ;;
	memsrc*|sysmon|subject) echo 2 ;;
	engine*|session|session-internal|names|history|recording*) echo 3 ;;
	snapshot*|render*) echo 4 ;;
	interp|cmd*|lesson|complete|export*|compare) echo 5 ;;
	tui*|repl|main) echo 6 ;;
	*) echo 0 ;;
	esac
}

# FILE -> HEADER includes that climb on purpose, and why.
allowed="
"

unknown=
for f in "$src"/*.c "$src"/*.h; do
	b=${f##*/}
	[ "$(layer "$b")" = 0 ] && unknown="$unknown $b"
done
check "every file of src/ is in a layer (unplaced:${unknown:- none})" \
    [ -z "$unknown" ]

climbs=
for f in "$src"/*.c "$src"/*.h; do
	b=${f##*/}
	lf=$(layer "$b")
	for h in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
		lh=$(layer "$h")
		[ "$lh" -le "$lf" ] && continue
		printf '%s\n' "$allowed" | grep -q "^$b $h	" && continue
		climbs="$climbs $b->$h"
	done
done
check "no file includes a header of a higher layer (found:${climbs:- none})" \
    [ -z "$climbs" ]

# The session's fields are private to the files that own a part of it
# (session-internal.h says which); everyone else goes through functions.
owners='session.c history.c interp.c engine-sim.c engine-real.c
engine-trace.c'
peeks=
for f in "$src"/*.c "$src"/*.h "$src"/../tests/*.c "$src"/../tests/*.h \
    "$src"/../bench/*.c "$src"/../bench/*.h; do
	[ -f "$f" ] || continue
	b=${f##*/}
	grep -q '^#include "session-internal\.h"' "$f" || continue
	case " $(echo $owners) session-internal.h " in
	*" $b "*) ;;
	*) peeks="$peeks $b" ;;
	esac
done
check "only the session's owners include session-internal.h (found:${peeks:- none})" \
    [ -z "$peeks" ]

# Among the owners, the step's bookkeeping (struct step_state, s->st) is
# history.c's; session.c only makes it fresh, frees it, and reads whether
# history replays (session_record).
steps=$(grep -l -- '->st\.' "$src"/*.c | sed 's|.*/||' |
    grep -v '^history\.c$\|^session\.c$' | tr '\n' ' ')
check "the step's fields only in history.c and session.c (found: ${steps:-none})" \
    [ -z "$steps" ]

# The engine is the only place that knows the modes apart.
pat='memsrc_subject_\|memsrc_is_subject\|s->rec\b'
pat="$pat"'\|mode, "\|->name, "\(sim\|real\|trace\)"'
modes=$(grep -ln "$pat" \
    "$src"/*.c | sed 's|.*/||' | grep -v \
    '^engine-\|^memsrc-subject\.c$\|^recording-run\.c$\|^alloc-check\.c$' |
    tr '\n' ' ')
check "no mode test outside the engine (found: ${modes:-none})" \
    [ -z "$modes" ]

tap_done
