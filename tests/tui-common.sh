# tui-common.sh -- shared by the tests/tui-*.sh tests (sourced, not a test).
#
# Drives the real heapviz inside a private tmux server and looks at the
# screen with capture-pane.  Everything waits by polling (up to
# TUI_TIMEOUT tenths of a second, 50 by default) instead of sleeping a
# fixed time, so the tests hold on a loaded CI machine.  Output is TAP.
#
#   tui_start COLS ROWS [COMMAND]   a new window running COMMAND (default: a
#                                   shell with the prompt "hvsh$ ")
#   tui_keys KEYS...                tmux send-keys
#   tui_type TEXT                   send TEXT literally
#   tui_screen                      the screen, box and other non-ASCII
#                                   glyphs turned into one ASCII byte each
#   tui_pane TITLE                  the inside of the box titled TITLE
#   tui_wait TEXT [TITLE]           wait until TEXT is on the screen (or in
#                                   the pane TITLE); false on time-out
#   tui_wait_re REGEX [TITLE]       the same for an extended regex: a row
#                                   with its meaning (name, size, state,
#                                   bin), not a word already on the screen
#   tui_wait_gone TEXT              wait until TEXT is gone; false on
#                                   time-out or when the screen cannot be
#                                   read at all
#   tui_wait_shell                  wait for the shell's fresh prompt
#   check DESCRIPTION COMMAND...    one TAP line
#   tui_done                        the plan, the exit status
# and skip_all, ci_skip_all, skip, ci_skip from skip-common.sh.
set -u
. "$(dirname "$0")/skip-common.sh"

heapviz=${HEAPVIZ:-./heapviz}
case $heapviz in
/*) ;;
*) heapviz=$(pwd)/$heapviz ;;
esac
TUI_TIMEOUT=${TUI_TIMEOUT:-50}
n=0 failed=0

command -v tmux >/dev/null 2>&1 ||
    ci_skip_all "tmux is not installed (apt-get install tmux)"
[ -x "$heapviz" ] || ci_skip_all "no heapviz binary at $heapviz"

tmp=$(mktemp -d) || exit 99
# The servers' sockets live in $tmp too, and go with it.
TMUX_TMPDIR=$tmp
export TMUX_TMPDIR
unset TMUX
# One private server per window started: a server being killed cannot take
# a new session at once.
nserver=0
sock=hvtest-$$-0
tmuxc() {
	tmux -u -L "$sock" -f /dev/null "$@"
}
tui_cleanup() {
	k=0
	while [ $k -le $nserver ]; do
		tmux -L "hvtest-$$-$k" -f /dev/null kill-server \
		    >/dev/null 2>&1
		k=$((k + 1))
	done
	rm -rf "$tmp"
}
trap tui_cleanup EXIT
trap 'exit 1' INT TERM HUP

mkdir -p "$tmp/home" "$tmp/state"
# What the shell in the window gets: a known prompt, our own history place.
cat > "$tmp/env.sh" <<EOF
PS1='hvsh\$ '
HOME='$tmp/home'
XDG_STATE_HOME='$tmp/state'
TERM=xterm-256color
LANG=C.UTF-8
LC_ALL=C.UTF-8
HEAPVIZ='$heapviz'
export PS1 HOME XDG_STATE_HOME TERM LANG LC_ALL HEAPVIZ
unset NO_COLOR
EOF

tui_start() {	# tui_start COLS ROWS [COMMAND]
	cols=$1 rows=$2
	shift 2
	cmd=${1:-"ENV= sh"}
	tmuxc kill-server >/dev/null 2>&1
	nserver=$((nserver + 1))
	sock=hvtest-$$-$nserver
	LANG=C.UTF-8 LC_ALL=C.UTF-8 tmuxc new-session -d -s hv -x "$cols" \
	    -y "$rows" "cd '$tmp' && . ./env.sh && $cmd" || return 1
	tmuxc set-option -g window-size manual >/dev/null 2>&1
	tmuxc set-option -g remain-on-exit on >/dev/null 2>&1
	return 0
}

tui_keys() {
	tmuxc send-keys -t hv "$@" 2>/dev/null
}

tui_type() {
	tmuxc send-keys -t hv -l "$1" 2>/dev/null
}

# Box drawing to + - |, any other multibyte character to one '?', so that
# awk can count columns in bytes.  Fails when tmux cannot capture the pane
# (then nothing is printed).
tui_screen() {
	tui_raw=$(tmuxc capture-pane -p -t hv 2>/dev/null) || return 1
	printf '%s\n' "$tui_raw" | LC_ALL=C sed \
	    -e 's/\xe2\x94[\x8c\x90\x94\x98]/+/g' \
	    -e 's/\xe2\x94\x80/-/g' \
	    -e 's/\xe2\x94\x82/|/g' \
	    -e 's/[\xf0-\xf7][\x80-\xbf][\x80-\xbf][\x80-\xbf]/?/g' \
	    -e 's/[\xe0-\xef][\x80-\xbf][\x80-\xbf]/?/g' \
	    -e 's/[\xc0-\xdf][\x80-\xbf]/?/g'
}

tui_pane() {	# the text inside the box whose top border says " TITLE "
	tui_screen | awk -v title="+ $1 " '
	c0 == 0 {
		i = index($0, title)
		if (i == 0)
			next
		c0 = i
		rest = substr($0, c0 + 1)
		j = index(rest, "+")
		c1 = j ? c0 + j : length($0) + 1
		next
	}
	{
		if (substr($0, c0, 1) == "+")
			exit
		print substr($0, c0 + 1, c1 - c0 - 1)
	}'
}

tui_wait() {	# tui_wait TEXT [TITLE]
	tui_wait_grep -F "$@"
}

tui_wait_re() {	# tui_wait_re REGEX [TITLE]
	tui_wait_grep -E "$@"
}

tui_wait_grep() {	# tui_wait_grep -F|-E PATTERN [TITLE]
	i=0
	while [ $i -lt "$TUI_TIMEOUT" ]; do
		if [ $# -ge 3 ]; then
			tui_pane "$3" | grep "$1" -q -- "$2" && return 0
		else
			tui_screen | grep "$1" -q -- "$2" && return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

tui_wait_gone() {	# tui_wait_gone TEXT
	i=0
	while [ $i -lt "$TUI_TIMEOUT" ]; do
		# A screen that cannot be read has nothing on it: not "gone".
		scr=$(tui_screen) || return 1
		printf '%s\n' "$scr" | grep -F -q -- "$1" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# Wait for the shell's fresh prompt: the last line that is not blank is
# exactly "hvsh$" (heapviz has exited and the shell reads again).
tui_wait_shell() {
	i=0
	while [ $i -lt "$TUI_TIMEOUT" ]; do
		[ "$(tui_screen | sed '/^ *$/d' | sed -n '$p' | sed 's/ *$//')" \
		    = 'hvsh$' ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# Wait for the file to exist (written by the shell in the window).
tui_wait_file() {
	i=0
	while [ $i -lt "$TUI_TIMEOUT" ]; do
		[ -s "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

check() {	# check DESCRIPTION COMMAND...
	n=$((n + 1))
	desc=$1
	shift
	if "$@"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		failed=$((failed + 1))
		echo "# screen at the failure:"
		tui_screen | sed 's/^/#   /'
	fi
}

tui_done() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
	exit $?
}

# Start heapviz in a fresh shell window and wait for its screen.
tui_start_heapviz() {	# COLS ROWS [ARGS]
	tui_start "$1" "$2" || return 1
	tui_wait_shell || return 1
	tui_type "\"\$HEAPVIZ\" ${3:-}"
	tui_keys Enter
	tui_wait 'heapviz>'
}
