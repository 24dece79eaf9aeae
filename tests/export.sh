#!/bin/sh
# export.sh -- `export FILE.svg [STEP]`, `export FILE.html` and --export:
# the SVG is well-formed XML, validates against the SVG 1.1 subset in
# export-svg.rng, holds every chunk's address and size (from state --json)
# and renders with rsvg-convert; the page carries every step as JSON that
# parses; a hostile session (markup, ]]>, quotes, invalid UTF-8 in printf
# text, lesson narration, a lesson's and a traced program's file name)
# comes out as text; bad arguments are refused with the session as it was;
# lessons, real mode, a trace and an empty session export.  The page in a
# browser is export-html.sh's.
. "$(dirname "$0")/tap-common.sh"
for tool in jq xmllint; do
	command -v $tool >/dev/null 2>&1 ||
	    ci_skip_all "$tool is not installed (quickstart.sh installs it)"
done
bin=${top_builddir:-.}
rng=${top_srcdir:-.}/tests/export-svg.rng

# The JSON data of a page (the one line of the hv-data element).
page_data() {
	sed -n '/<script type="application\/json" id="hv-data">/,/<\/script>/p' "$1" |
	    sed -e 's/.*<script type="application\/json" id="hv-data">//' \
		-e 's/<\/script>.*//'
}

# ---- A known script: each chunk's address and size in the picture. ----
cat > "$tmp/known.hv" <<'HV'
a = malloc 32
b = malloc 100
c = malloc 2000
free a
malloc 40
free b
printf "hi"
big = malloc 300K
state --json
export known.svg
export known-dark.svg --theme dark
export step2.svg 2
goto 2
export goto2.svg
state --json
goto 8
state --json
HV
(cd "$tmp" && "$heapviz" --batch known.hv) > "$tmp/known.out" 2>&1
check "the known script runs" [ $? = 0 ]
grep '^{' "$tmp/known.out" | sed -n 1p > "$tmp/s8.json"
grep '^{' "$tmp/known.out" | sed -n 2p > "$tmp/s2.json"
grep '^{' "$tmp/known.out" | sed -n 3p > "$tmp/s8b.json"
check "export says what it wrote" grep -q '^exported step 8 to known.svg ([0-9]* bytes)$' "$tmp/known.out"
check "the SVG is well-formed XML" xmllint --noout "$tmp/known.svg"
check "it validates against the SVG 1.1 subset" xmllint --noout --relaxng "$rng" "$tmp/known.svg"
check "the dark one validates too" xmllint --noout --relaxng "$rng" "$tmp/known-dark.svg"
check "the dark one is dark" grep -q 'fill="#15181d"' "$tmp/known-dark.svg"
check "it is SVG 1.1" grep -q '<svg xmlns="http://www.w3.org/2000/svg" version="1.1"' "$tmp/known.svg"
missing=0 count=0
for c in $(jq -r '.chunks[] | "\(.addr) \(.size)" | @base64' "$tmp/s8.json"); do
	set -- $(echo "$c" | base64 -d)
	count=$((count + 1))
	grep -q ">$(printf '0x%x' "$1")  $2 B<" "$tmp/known.svg" || missing=$((missing + 1))
done
check "every chunk's address and size is in it ($count chunks)" [ $count -ge 5 -a $missing = 0 ]
check "and each state's letter is drawn" sh -c "grep -c '>[UFTMS]</text>' '$tmp/known.svg' | grep -qv '^0$'"
check "the step's system call is beside it" grep -q '>mmap(NULL, 0x4c000) = 0x7ffff7f74000<' "$tmp/known.svg"
check "the free bins are drawn with arrows" grep -q 'marker-end="url(#hv-arrow)"' "$tmp/known.svg"
check "the program break is marked" grep -q ">program break 0x$(jq -r '.break' "$tmp/s8.json" | xargs printf '%x')<" "$tmp/known.svg"
check "there is a legend" grep -q '<title>legend</title>' "$tmp/known.svg"
check "export STEP draws that step as goto does" cmp "$tmp/step2.svg" "$tmp/goto2.svg"
check "and leaves the session where it was" cmp "$tmp/s8.json" "$tmp/s8b.json"
check "step 2 is the state of step 2" grep -q '>step 2: b = malloc 100<' "$tmp/step2.svg"
if command -v rsvg-convert >/dev/null 2>&1; then
	rsvg-convert "$tmp/known.svg" -o "$tmp/known.png" 2>"$tmp/rsvg.err"
	check "rsvg-convert renders it" [ $? = 0 -a -s "$tmp/known.png" -a ! -s "$tmp/rsvg.err" ]
	check "to a PNG" sh -c "head -c 8 '$tmp/known.png' | od -c | grep -q 'P   N   G'"
else
	ci_skip "rsvg-convert renders it" "rsvg-convert is not installed"
	ci_skip "to a PNG" "rsvg-convert is not installed"
fi

# ---- The page of the same script. ----
printf 'a = malloc 32\nb = malloc 100\nfree a\n' > "$tmp/small.hv"
(cd "$tmp" && "$heapviz" --batch small.hv --export small.html) > "$tmp/small.out" 2>&1
check "--export FILE.html after a batch" grep -q '^exported steps 0 to 3 to small.html' "$tmp/small.out"
page_data "$tmp/small.html" > "$tmp/small.json"
check "the page's data parses as JSON" jq -e . "$tmp/small.json"
check "with every step, 0 to 3" [ "$(jq '.steps | length' "$tmp/small.json")" = 4 ]
check "a Content-Security-Policy forbids the network" grep -q "http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-" "$tmp/small.html"
check "nothing in the page points outside it" sh -c "! grep -Eiq '(src|href)=|https?:|url\\(' '$tmp/small.html'"
check "the viewer is in the page" grep -q 'export-viewer.js -- the viewer' "$tmp/small.html"
if command -v openssl >/dev/null 2>&1; then
	# The CSP's hash is the hash of the script the page holds.
	sed -n '/^<script>/,/^<\/script>/p' "$tmp/small.html" | sed -e '1s/^<script>//' > "$tmp/js"
	want=$(grep -o "script-src 'sha256-[^']*'" "$tmp/small.html" | sed "s/.*sha256-//; s/'//")
	# The script's text runs up to (not including) "</script>\n".
	head -c $(($(wc -c < "$tmp/js") - 10)) "$tmp/js" > "$tmp/js2"
	got=$(openssl dgst -sha256 -binary "$tmp/js2" | base64)
	check "the CSP hash is the script's SHA-256" [ "$want" = "$got" ]
else
	skip "the CSP hash is the script's SHA-256" "openssl is not installed"
fi

# ---- A hostile session: everything is text. ----
bad=$(printf '\377\376\300\257\355\240\200')	# stray, overlong, surrogate
cat > "$tmp/hostile.hv" <<HV
# <script>window.pwned=1</script> </svg> ]]> "q" 'a' & $bad
p = malloc 24
printf "</script><script>window.pwned=2</script></svg>]]><!-- \"' & $bad"
q = malloc 200
write q "<img src=x onerror=window.pwned=3> $bad"
free p
HV
mkdir -p "$tmp/h"
cp "$tmp/hostile.hv" "$tmp/h/<svg onload=window.pwned=4>'\"&]]>.hv"
(cd "$tmp/h" && HEAPVIZ_EXAMPLES=. "$heapviz" --export hostile.html \
    "<svg onload=window.pwned=4>'\"&]]>.hv") > "$tmp/hostile.out" 2>&1
check "a hostile lesson exports to a page" [ $? = 0 -a -s "$tmp/h/hostile.html" ]
(cd "$tmp/h" && printf 'open "<svg onload=window.pwned=4>'"'"'\\"&]]>.hv"\nrun\nback\nexport hostile.svg\nexport hostile3.svg 2\n' |
    HEAPVIZ_EXAMPLES=. "$heapviz") > "$tmp/hostile2.out" 2>&1
check "and to pictures" [ -s "$tmp/h/hostile.svg" -a -s "$tmp/h/hostile3.svg" ]
for f in hostile.svg hostile3.svg; do
	check "$f is well-formed" xmllint --noout "$tmp/h/$f"
	check "$f validates" xmllint --noout --relaxng "$rng" "$tmp/h/$f"
	check "$f holds no markup from the session" sh -c "! grep -Eq '<(script|img|svg onload)' '$tmp/h/$f'"
	check "$f has no event attributes" [ "$(xmllint --xpath 'count(//@*[starts-with(name(), "on")])' "$tmp/h/$f" 2>/dev/null)" = 0 ]
	if command -v iconv >/dev/null 2>&1; then
		check "$f is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$tmp/h/$f" -o /dev/null
	fi
done
check "the printf text is shown as text" grep -q '&lt;/script&gt;&lt;script&gt;window.pwned=2' "$tmp/h/hostile3.svg"
check "invalid UTF-8 became U+FFFD" grep -q "$(printf '\357\277\275')" "$tmp/h/hostile3.svg"
page=$tmp/h/hostile.html
check "the hostile page has our two scripts and no other" [ "$(grep -o '<script' "$page" | wc -l)" = 2 ]
check "no </script in its data" [ "$(grep -o '</script' "$page" | wc -l)" = 2 ]
check "no markup from the session" sh -c "! grep -Eq '<(img|svg)|<!--' '$page'"
page_data "$page" > "$tmp/hostile.json"
check "its data parses" jq -e . "$tmp/hostile.json"
check "the narration is there, as text" sh -c "jq -r '.strs[]' '$tmp/hostile.json' | grep -qF '<script>window.pwned=1</script> </svg> ]]> \"q\" '\\''a'\\'' &'"
check "the printf line is there, as text" sh -c "jq -r '.strs[]' '$tmp/hostile.json' | grep -qF 'printf \"</script><script>window.pwned=2</script>'"
check "the lesson's name is there, as text" sh -c "jq -r '.lesson' '$tmp/hostile.json' | grep -qF '<svg onload=window.pwned=4>'"
if command -v iconv >/dev/null 2>&1; then
	check "the page is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$page" -o /dev/null
fi

# The renderer on a snapshot whose every string is hostile (test-export.c
# draws it): names no command can give, as a trace or a model might.
if [ -x "$bin/tests/test-export" ]; then
	"$bin/tests/test-export" "$tmp/names.svg" > /dev/null
	check "hostile names: the picture is well-formed" xmllint --noout "$tmp/names.svg"
	check "hostile names: it validates" xmllint --noout --relaxng "$rng" "$tmp/names.svg"
else
	ci_skip "hostile names: the picture is well-formed" "tests/test-export is not built"
fi

# ---- Bad arguments: a clear message, the session as it was, no file. ----
cat > "$tmp/bad.hv" <<'HV'
malloc 32
state --json
export x.txt
export x.html 1
export x.svg 9
export x.svg --theme pink
export x.svg 1 2
export x.svg --colour
export nodir/x.svg
export
state --json
HV
(cd "$tmp" && "$heapviz" --batch bad.hv) > "$tmp/bad.out" 2> "$tmp/bad.err"
check "bad exports fail" [ $? = 1 ]
check "each with its reason" [ "$(wc -l < "$tmp/bad.err")" = 8 ]
check "a wrong ending" grep -q 'must end in .svg (one step) or .html' "$tmp/bad.err"
check "STEP with a page" grep -q 'a page holds every step; STEP is for .svg' "$tmp/bad.err"
check "a step that does not exist" grep -q 'step 9 does not exist (steps go from 0 to 1)' "$tmp/bad.err"
check "an unknown theme" grep -q 'unknown theme pink (light or dark)' "$tmp/bad.err"
check "a directory that is not there" grep -q 'cannot write nodir/x.svg: No such file' "$tmp/bad.err"
check "the session is as it was" [ "$(grep '^{' "$tmp/bad.out" | uniq | wc -l)" = 1 ]
check "and no file was left" sh -c "! ls '$tmp'/x.* '$tmp'/*.tmp* 2>/dev/null"
"$heapviz" --theme dark < /dev/null > /dev/null 2>&1
check "--theme alone is a usage error" [ $? = 2 ]
"$heapviz" --export "$tmp/t.svg" --theme blue < /dev/null > /dev/null 2>&1
check "--theme blue is a usage error" [ $? = 2 ]

# ---- An empty session. ----
(cd "$tmp" && "$heapviz" --export empty.svg < /dev/null && "$heapviz" --export empty.html < /dev/null) > "$tmp/empty.out" 2>&1
check "an empty session exports" [ $? = 0 ]
check "its picture says so" grep -q '>step 0: the fresh heap<' "$tmp/empty.svg"
check "and validates" xmllint --noout --relaxng "$rng" "$tmp/empty.svg"
check "its page has one step" [ "$(page_data "$tmp/empty.html" | jq '.steps | length')" = 1 ]

# ---- A lesson: its narration beside each step. ----
examples=${HEAPVIZ_EXAMPLES:-${top_srcdir:-.}/examples}
(cd "$tmp" && HEAPVIZ_EXAMPLES=$examples "$heapviz" --export lesson.html coalesce) > "$tmp/lesson.out" 2>&1
check "heapviz --export runs a lesson to its end" [ $? = 0 ]
page_data "$tmp/lesson.html" > "$tmp/lesson.json"
steps=$( (cat "$examples/coalesce.hv"; echo "history all") | "$heapviz" --batch - 2>/dev/null | tail -n 1 | sed 's/^> *\([0-9]*\) .*/\1/')
check "with every step of it ($steps)" [ "$(jq '.steps | length' "$tmp/lesson.json")" = $((steps + 1)) ]
check "named after it" [ "$(jq -r .lesson "$tmp/lesson.json")" = coalesce.hv ]
first=$(grep -m 1 '^#' "$examples/coalesce.hv" | sed 's/^# *//')
check "the narration is carried" sh -c "jq -r '.strs[]' '$tmp/lesson.json' | grep -qF -- \"\$1\"" sh "$first"
check "at a step" [ "$(jq '[.steps[] | select(.r >= 0)] | length' "$tmp/lesson.json")" -ge 1 ]
check "each step's explanation is carried" [ "$(jq '[.steps[1:][] | select(.x >= 0)] | length' "$tmp/lesson.json")" = "$(($(jq '.steps | length' "$tmp/lesson.json") - 1))" ]

# Exporting in the middle of a lesson leaves it where it was: the next
# `step` runs the same line as without the export.
printf 'open coalesce\nstep\nstep\nstep\nexport mid.html\nexport mid.svg 1\nstep\nhistory\n' > "$tmp/mid.hv"
printf 'open coalesce\nstep\nstep\nstep\nstep\nhistory\n' > "$tmp/mid0.hv"
(cd "$tmp" && HEAPVIZ_EXAMPLES=$examples "$heapviz" --batch mid.hv | grep -v '^exported') > "$tmp/mid.out" 2>&1
(cd "$tmp" && HEAPVIZ_EXAMPLES=$examples "$heapviz" --batch mid0.hv) > "$tmp/mid0.out" 2>&1
check "exporting in a lesson leaves it where it was" cmp "$tmp/mid.out" "$tmp/mid0.out"
check "the page of a lesson part-way has its steps so far" [ "$(page_data "$tmp/mid.html" | jq '"\(.steps | length) \(.at)"')" = '"4 3"' ]

# ---- A trace: its steps are the recording. ----
if [ -x "$bin/examples/sbrk-printf" ] && [ -n "${HEAPVIZ_PRELOAD:-}" ]; then
	cp "$bin/examples/sbrk-printf" "$tmp/h/<b>x'\"&]]>"
	(cd "$tmp/h" && "$heapviz" --export trace.html --trace "./<b>x'\"&]]>") > "$tmp/trace.out" 2>&1
	st=$?
	if grep -q 'cannot trace\|not permitted' "$tmp/trace.out"; then
		ci_skip "a trace exports" "$(head -n 1 "$tmp/trace.out")"
	else
		check "a trace exports to a page" [ $st = 0 -a -s "$tmp/h/trace.html" ]
		page_data "$tmp/h/trace.html" > "$tmp/trace.json"
		nsteps=$(printf 'history all\n' | (cd "$tmp/h" && "$heapviz" --trace "./<b>x'\"&]]>") 2>/dev/null | grep -cE '^[ >] +[0-9]+  ')
		check "with the recording's steps ($nsteps)" [ "$(jq '.steps | length' "$tmp/trace.json")" = $((nsteps + 1)) ]
		check "in trace mode" [ "$(jq -r .mode "$tmp/trace.json")" = trace ]
		# The explanations are the glibc model's, which follows the
		# program: printf's malloc takes the break up by 0x21000.
		check "whose explanation of printf's malloc is the glibc model's 0x21000" sh -c "jq -r '.strs[.steps[].x]' '$tmp/trace.json' | grep -A2 '^step [0-9]*: p1 = malloc(4096)' | grep -q 'sysmalloc asks sbrk for 0x21000 bytes'"
		check "the program's hostile name is text" sh -c "! grep -Eq '<b>|<(img|svg)' '$tmp/h/trace.html'"
		(cd "$tmp/h" && "$heapviz" --export trace.svg --trace "./<b>x'\"&]]>") > /dev/null 2>&1
		check "and the trace's last step to a picture" xmllint --noout --relaxng "$rng" "$tmp/h/trace.svg"
		printf 'goto 14\nexport trace14.svg\nexport trace2.html\nhistory\n' |
		    (cd "$tmp/h" && "$heapviz" --trace "./<b>x'\"&]]>") > "$tmp/trace2.out" 2>&1
		check "export inside a trace session" [ $? = 0 -a -s "$tmp/h/trace14.svg" -a -s "$tmp/h/trace2.html" ]
		check "draws the step asked for" grep -q '>step 14: ' "$tmp/h/trace14.svg"
		check "and stays there" grep -q '^> *14 ' "$tmp/trace2.out"
	fi
else
	ci_skip "a trace exports" "examples/sbrk-printf or the preload library is not built"
fi

# ---- The glibc model: its own bins, drawn from what the model declares. ----
printf 'allocator glibc\na = malloc 24\nb = malloc 24\nc = malloc 100\nfree a\nfree b\nstate --json\nexport glibc.svg\nexport glibc.html\n' > "$tmp/glibc.hv"
(cd "$tmp" && "$heapviz" --batch glibc.hv) > "$tmp/glibc.out" 2>&1
check "a glibc-model session exports" [ $? = 0 -a -s "$tmp/glibc.svg" -a -s "$tmp/glibc.html" ]
check "its picture validates" xmllint --noout --relaxng "$rng" "$tmp/glibc.svg"
grep '^{' "$tmp/glibc.out" > "$tmp/glibc-state.json"
missing=0 count=0
for c in $(jq -r '.chunks[] | "\(.addr) \(.size)" | @base64' "$tmp/glibc-state.json"); do
	set -- $(echo "$c" | base64 -d)
	count=$((count + 1))
	grep -q ">$(printf '0x%x' "$1")  $2 B<" "$tmp/glibc.svg" || missing=$((missing + 1))
done
check "every glibc chunk's address and size is in it ($count chunks)" [ $count = 5 -a $missing = 0 ]
# b was freed last, so it heads tcache[0]: the arrow chain reads b, then a.
check "the tcache bin is drawn, last freed first" sh -c "tr -d '\n' < '$tmp/glibc.svg' | grep -q '>tcache\[0\]<.*>0x5555555592b0<.*>0x555555559290<'"
check "freed chunks are free and in tcache[0], as state --json says" [ "$(grep -c '~ · free · tcache\[0\]' "$tmp/glibc.svg")" = "$(jq '[.chunks[] | select(.bin == "tcache[0]")] | length' "$tmp/glibc-state.json")" ]
page_data "$tmp/glibc.html" > "$tmp/glibc-page.json"
check "its page carries every step" [ "$(jq -r '.steps | length' "$tmp/glibc-page.json")" = 6 ]
check "and glibc's words for them" grep -q 'tcache bin 0 (0x20-byte chunks) has room' "$tmp/glibc-page.json"
# The tcache struct is in use but libc's: named as `heap` names it, in
# the picture beside its state and in the page's bin column.
check "the picture names the tcache struct" sh -c "tr -d '\n' < '$tmp/glibc.svg' | grep -q '>0x555555559000  656 B</text><text[^>]*>in use · the tcache_perthread_struct (libc&#39;s)<'"
check "only that chunk" [ "$(grep -c 'in use · the tcache_perthread_struct' "$tmp/glibc.svg")" = 1 ]
check "the page names it too" grep -q '"tcache_struct"' "$tmp/glibc-page.json"

# ---- Real mode. ----
printf 'mode real\n' > "$tmp/probe.hv"
if "$heapviz" --batch "$tmp/probe.hv" > "$tmp/probe.out" 2>&1; then
	printf 'mode real\nmalloc 32\nprintf "hi"\nmalloc 300K\nfree p1\nexport real.svg 2\nexport real.html\nstate --json\n' > "$tmp/real.hv"
	(cd "$tmp" && "$heapviz" --batch real.hv) > "$tmp/real.out" 2>&1
	check "a real-mode session exports" [ $? = 0 -a -s "$tmp/real.svg" -a -s "$tmp/real.html" ]
	check "its picture validates" xmllint --noout --relaxng "$rng" "$tmp/real.svg"
	page_data "$tmp/real.html" > "$tmp/real.json"
	check "its page is in real mode with every step" [ "$(jq -r '"\(.mode) \(.steps | length)"' "$tmp/real.json")" = "real 5" ]
	check "and the session is at its last step after" [ "$(grep '^{' "$tmp/real.out" | jq .step)" = 4 ]
else
	ci_skip "a real-mode session exports" "real mode cannot start here: $(head -n 1 "$tmp/probe.out")"
fi

tap_done
