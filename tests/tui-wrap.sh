#!/bin/sh
# tui-wrap.sh -- nothing cut off without a word, at 80x24: the explain
# overlay wraps at words (its text is `explain`'s, word for word); Right
# in an overlay does not close it; a long result ends in "… [F9: more]";
# the Memory map never cuts a number; the Lesson pane shows the narration
# above the next line, joined and wrapped.  F1 lists every key (Space/n,
# F6, Esc) and its strip legend draws what the strip draws, in colour
# and without; the Heap pane's border carries the legend.
. "$(dirname "$0")/tui-common.sh"

lessons=${top_srcdir:-$(dirname "$0")/..}/examples
case $lessons in /*) ;; *) lessons=$(pwd)/$lessons ;; esac

# The words of text, one line, spaces squeezed.
words() {
	tr -s ' \n' '  ' | sed 's/^ //; s/ $//'
}
# The box titled $1's inside, as words (markers and the box stripped).
pane_words() {
	tui_pane "$1" | sed 's/^[* ]//' | words
}
contains() {	# contains HAYSTACK NEEDLE
	case $1 in *"$2"*) return 0 ;; esac
	return 1
}
map_cuts_address() {	# a row of the Memory map whose address is cut
	tui_pane "Memory map" | grep -Eq '^.0x[0-9a-f]{0,11}([^0-9a-f]|$)'
}
lesson_reads_whole() {
	contains "$(pane_words Lesson)" \
	    "# printf is the program's first use of stdio."
}

check "heapviz starts at 80x24" tui_start_heapviz 80 24
tui_type "malloc 300000"
tui_keys Enter
check "a long result ends in '… [F9: more]'" tui_wait "? [F9: more]"
tui_type "explain"
tui_keys Enter
tui_wait "+ explain "
batch=$(printf 'malloc 300000\nexplain\n' | "$heapviz" 2>/dev/null |
    sed '1,/^step 1: malloc p1/{/^step 1: malloc p1/!d}' | words)
shown=$(pane_words explain)
check "the explain overlay shows a screenful (${#shown} characters)" \
    test "${#shown}" -gt 600
check "and they are explain's words, none cut" contains "$batch" "$shown"
check "and a line that is longer than the overlay goes on below" \
    tui_wait_re '^ +up to a multiple of 16' explain
tui_keys Right
sleep 0.3
check "Right in an overlay does not close it" tui_wait "+ explain "
tui_keys Escape
tui_wait_gone "+ explain "

# The Memory map at 80 columns: data is 8 KiB, as `map` says.
mapsize=$(printf 'map\n' | "$heapviz" 2>/dev/null | sed -n 's/.* data  *//p')
check "map says data is $mapsize" test "$mapsize" = "8 KiB"
check "the Memory map pane says so whole" tui_wait "data  $mapsize" \
    "Memory map"
check "and cuts no address in the map" eval '! map_cuts_address'
tui_type "quit"
tui_keys Enter
tui_wait_shell

# F1, in colour and without.
check "heapviz starts at 100x50" tui_start_heapviz 100 50
tui_type "malloc 32"
tui_keys Enter
tui_wait p1 Heap
check "the Heap pane's border has the strip's legend" \
    tui_wait "+- ? in use  ? free  ? top  ? not ours -"
tui_keys F1
tui_wait "+ Help "
check "F1 lists Space and n for a lesson" tui_wait "Space  n "
check "F1 lists F6 and zoom" tui_wait "F6 "
check "F1 lists Esc" tui_wait "Esc Enter q "
check "F1's strip legend has the colour strip's blocks" \
    tui_wait "? in use  ? free  ? top  ? not ours"
tui_keys Escape
tui_type "quit"
tui_keys Enter
tui_wait_shell
check "heapviz --no-color starts" tui_start_heapviz 100 50 --no-color
tui_type "malloc 32"
tui_keys Enter
tui_wait p1 Heap
check "without colour the strip draws letters" tui_wait_re '^[|]U+\.+' 
check "and the border's legend says them" \
    tui_wait "U in use  f free  . top  x not ours"
tui_keys F1
check "and F1's legend too" tui_wait "U in use  f free  . top  x not ours"
tui_keys Escape
tui_type "quit"
tui_keys Enter
tui_wait_shell

# The Lesson pane at 80x24: the narration before printf, whole.
check "heapviz opens printf-break at 80x24" \
    tui_start_heapviz 80 24 "'$lessons/printf-break.hv'"
tui_keys Space
tui_keys Space
check "before printf, the pane starts at its narration" \
    tui_wait "# printf is the program's" Lesson
check "wrapped at words, not cut at the pane's edge" lesson_reads_whole
tui_type "quit"
tui_keys Enter
check "quit returns to the shell" tui_wait_shell
tui_done
