#!/bin/sh
# export-html.sh -- the page `export FILE.html` writes, in a real browser:
# headless Chromium driven over the DevTools protocol by
# export-chromium.js steps through a known session with the arrow keys,
# the panes' text is compared with `state --json` at several steps, a link
# to a step opens there, a screenshot is taken, and a hostile session's
# page runs nothing it carries.  No request may leave the page.  Skipped,
# with the reason, where Chromium or node is missing.
. "$(dirname "$0")/tap-common.sh"
chromium=${CHROMIUM:-}
if [ -z "$chromium" ]; then
	for c in chromium chromium-browser google-chrome; do
		if command -v $c >/dev/null 2>&1; then
			chromium=$c
			break
		fi
	done
fi
[ -n "$chromium" ] ||
    ci_skip_all "Chromium is not installed (quickstart.sh installs it)"
command -v node >/dev/null 2>&1 ||
    ci_skip_all "node is not installed (quickstart.sh installs it)"
driver=${top_srcdir:-.}/tests/export-chromium.js
out=${top_builddir:-.}

# ---- A known session: malloc, free, coalescing, printf, mmap. ----
cat > "$tmp/known.hv" <<'HV'
a = malloc 32
b = malloc 100
c = malloc 2000
free a
d = malloc 40
free b
free c
printf "hi"
big = malloc 300K
e = malloc 5000
free big
HV
# drive NAME STEPS: make NAME.html of $tmp/NAME.hv and state --json at
# each step, then step through the page in Chromium comparing them.
drive() {
	name=$1 steps=$2
	{
		cat "$tmp/$name.hv"
		echo "export $name.html"
		for s in $steps; do
			echo "goto $s"
			echo "state --json"
		done
	} > "$tmp/run.hv"
	(cd "$tmp" && "$heapviz" --batch run.hv) > "$tmp/run.out" 2>&1
	check "$name: the session and its page are made" [ $? = 0 -a -s "$tmp/$name.html" ]
	rm -rf "$tmp/want"
	mkdir "$tmp/want"
	i=0
	for s in $steps; do
		i=$((i + 1))
		grep '^{' "$tmp/run.out" | sed -n "${i}p" > "$tmp/want/$s.json"
	done
	CHROMIUM=$chromium node "$driver" step "$tmp/$name.html" "$tmp/want" \
	    "$out/export-html-$name.png" $steps > "$tmp/tap" 2>&1
	status=$?
	# The driver speaks TAP too: number its points after ours.
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*)
			n=$((n + 1))
			case $line in "not ok"*) failed=$((failed + 1)) ;; esac
			echo "$line" | sed "s/^\(not ok\|ok\) [0-9]* -/\1 $n - $name:/"
			;;
		"#"*) echo "$line" ;;
		esac
	done < "$tmp/tap"
	check "$name: the browser test ended cleanly" [ $status = 0 ]
}
drive known "0 1 4 6 8 9 11"

# ---- A longer session: 150 steps of mallocs and frees in a shuffled
# order, so that chunks split, merge and move between bins. ----
awk 'BEGIN {
	x = 17; live = 0; k = 0
	for (i = 0; i < 150; i++) {
		x = (x * 1103515245 + 12345) % 2147483648
		if (live > 0 && x % 100 < 45) {
			j = int(x / 100) % live + 1
			print "free " name[j]
			name[j] = name[live--]
		} else {
			split("16 24 32 48 64 100 200 500 1000 3000", sz, " ")
			name[++live] = "v" (++k)
			print name[live] " = malloc " sz[int(x / 7) % 10 + 1]
		}
	}
}' > "$tmp/long.hv"
drive long "0 1 37 64 90 121 150"

# ---- A hostile session: a lesson whose text is markup. ----
cat > "$tmp/hostile.hv" <<'HV'
# <script>window.pwned=1</script><img src=x onerror="window.pwned=1"> ]]>
p = malloc 24
printf "</script><script>window.pwned=2</script><svg onload=window.pwned=2>"
# </pre><iframe src="javascript:window.pwned=3"></iframe> '"&
q = malloc 200
write q "<img src=x onerror=window.pwned=4>"
free p
HV
(cd "$tmp" && HEAPVIZ_EXAMPLES=. "$heapviz" --export hostile.html hostile.hv) > /dev/null 2>&1
check "the hostile lesson's page is made" [ -s "$tmp/hostile.html" ]
CHROMIUM=$chromium node "$driver" page "$tmp/hostile.html" 2 \
    'printf "</script><script>window.pwned=2</script><svg onload=window.pwned=2>"' \
    > "$tmp/tap" 2>&1
status=$?
while IFS= read -r line; do
	case $line in
	"ok "*|"not ok "*)
		n=$((n + 1))
		case $line in "not ok"*) failed=$((failed + 1)) ;; esac
		echo "$line" | sed "s/^\(not ok\|ok\) [0-9]* -/\1 $n - hostile:/"
		;;
	"#"*) echo "$line" ;;
	esac
done < "$tmp/tap"
check "the hostile page's browser test ended cleanly" [ $status = 0 ]

# ---- A lesson's page: its narration and its line at a step. ----
examples=${HEAPVIZ_EXAMPLES:-${top_srcdir:-.}/examples}
(cd "$tmp" && HEAPVIZ_EXAMPLES=$examples "$heapviz" --export lesson.html coalesce) > /dev/null 2>&1
CHROMIUM=$chromium node "$driver" page "$tmp/lesson.html" 9 \
    'Freeing d: nothing free around it.' 'free d' > "$tmp/tap" 2>&1
status=$?
while IFS= read -r line; do
	case $line in
	"ok "*|"not ok "*)
		n=$((n + 1))
		case $line in "not ok"*) failed=$((failed + 1)) ;; esac
		echo "$line" | sed "s/^\(not ok\|ok\) [0-9]* -/\1 $n - lesson:/"
		;;
	"#"*) echo "$line" ;;
	esac
done < "$tmp/tap"
check "the lesson page's browser test ended cleanly" [ $status = 0 ]

tap_done
