#!/bin/sh
# man.sh -- the manual page renders without a warning, and says what the
# program does: every option of --help, every command of `help`, one entry
# per file and per key.
. "$(dirname "$0")/tap-common.sh"

page=$top_srcdir/man/heapviz.1
command -v groff >/dev/null 2>&1 && command -v man >/dev/null 2>&1 ||
    ci_skip_all "groff or man is not installed (groff-base, man-db)"

# Warnings as errors: groff says nothing on stderr for a clean page.
LC_ALL=C.UTF-8 groff -ww -z -t -man "$page" > "$tmp/groff" 2>&1; st=$?
check "groff -ww renders the page (status $st)" [ $st = 0 ]
check "without a warning" [ ! -s "$tmp/groff" ]
[ -s "$tmp/groff" ] && sed 's/^/# /' "$tmp/groff"
MANWIDTH=80 LC_ALL=C.UTF-8 man -l "$page" > "$tmp/man" 2> "$tmp/manerr"; st=$?
check "man -l renders it (status $st)" [ $st = 0 ]
check "man -l says nothing on stderr" [ ! -s "$tmp/manerr" ]
# man joins hyphenated words across lines; undo that for the searches.
sed 's/\xe2\x80\x90$//' "$tmp/man" | tr -s ' ' > "$tmp/text"

sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' "$tmp/text" > "$tmp/synopsis"
check "the SYNOPSIS shows --real" grep -q -- '--real' "$tmp/synopsis"
check "the SYNOPSIS shows --aslr" grep -q -- '--aslr' "$tmp/synopsis"

"$heapviz" --help | grep -o -- '--[a-z][a-z-]*' | sort -u > "$tmp/opts"
missing=
for o in $(cat "$tmp/opts"); do
	grep -q -- "$o" "$tmp/text" || missing="$missing $o"
done
check "every option of --help is in the page:${missing:- yes}" [ -z "$missing" ]

echo help | "$heapviz" | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p' > "$tmp/cmds"
check "help lists commands" [ -s "$tmp/cmds" ]
missing=
for c in $(cat "$tmp/cmds"); do
	grep -Eq "^ +$c( |$)" "$tmp/text" || missing="$missing $c"
done
check "every command of help has an entry:${missing:- yes}" [ -z "$missing" ]

# Each file and each key is a tagged paragraph of its own: the tag starts
# its line, not run together with the previous entry's text.
for f in 'PKGDATADIR/examples/\*.hv' 'PKGLIBEXECDIR/heapviz-subject' \
    'PKGLIBEXECDIR/libheapviz-preload.so'; do
	check "FILES: $f is an entry of its own" grep -Eq "^ +$f( |$)" "$tmp/text"
done
for k in F1 F9 F10; do
	check "THE FULL SCREEN: $k is an entry of its own" grep -Eq "^ +$k( |$)" "$tmp/text"
done
tap_done
