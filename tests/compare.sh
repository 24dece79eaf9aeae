#!/bin/sh
# compare.sh -- `heapviz --compare A,B SCRIPT`: per step each model's
# result in words and, with --json, one object per step with both models'
# results; the first divergence; bad option values; compare refused in a
# trace (a recording).
. "$(dirname "$0")/tap-common.sh"
bin=${top_builddir:-.}
command -v jq >/dev/null 2>&1 ||
    ci_skip_all "jq is not installed (apt-get install jq)"

cat > "$tmp/s.hv" <<'HV'
sbrk 4096
a = malloc 32
b = malloc 100
big = malloc 1M
free a
c = malloc 24
heap
HV

# ---- Words. ----
"$heapviz" --compare dlmalloc,glibc "$tmp/s.hv" > "$tmp/text" 2>&1
check "--compare runs the script and exits 0" [ $? = 0 ]
check "a line per model for a placed block, with offset and address" \
    grep -q '^  step 2  dlmalloc: placed a at heap+0x1010 (0x55555555a010), chunk 48' "$tmp/text"
check "glibc's a sits after its 0x290 tcache struct" \
    grep -q '^          glibc:    placed a at heap+0x12a0 (0x55555555a2a0), chunk 48' "$tmp/text"
check "both mmap big: not a divergence" \
    sh -c "grep -A2 '^  step 4 ' '$tmp/text' | grep -q 'first divergence\|placed differently' && exit 1 || exit 0"
check "glibc's tcache struct is no divergence: a and b agree from the first block" \
    sh -c "grep -A2 '^  step [23] ' '$tmp/text' | grep -q 'first divergence\|placed differently' && exit 1 || exit 0"
check "the first divergence is step 6 (dlmalloc reuses a, glibc keeps it cached), marked once" \
    [ "$(grep -c '^  \*\* first divergence, step 6: c lands 0x0 past the first block on dlmalloc, 0xa0 past it on glibc$' "$tmp/text")" = 1 ]
check "a free says where each model put the chunk" \
    grep -q 'glibc:    freed a at heap+0x12a0 (0x55555555a2a0), chunk 48: put in tcache bin 1 (1/7)' "$tmp/text"
check "the last line says where they first parted" \
    sh -c "tail -n 1 '$tmp/text' | grep -q '^compare dlmalloc glibc: 6 steps on both; they first place a block differently at step 6 (\`c = malloc 24\`)$'"
"$heapviz" --compare glibc,dlmalloc "$tmp/s.hv" > "$tmp/text2" 2>&1
check "the order given is the order shown" \
    grep -q '^  step 2  glibc:    placed a at heap+0x12a0' "$tmp/text2"
printf 'big = malloc 1M\n' > "$tmp/big.hv"
"$heapviz" --compare dlmalloc,glibc "$tmp/big.hv" > "$tmp/text3" 2>&1
check "one mapped, the other not: a divergence, said so" \
    grep -q '^  \*\* first divergence, step 1: glibc mmaps big, dlmalloc places it in the heap$' "$tmp/text3"

# ---- JSON. ----
"$heapviz" --compare dlmalloc,glibc --json "$tmp/s.hv" > "$tmp/j" 2>&1
check "--compare --json exits 0" [ $? = 0 ]
check "one object per step (6), each valid JSON" \
    [ "$(jq -s 'length' "$tmp/j")" = 6 ]
jqs() {	# jqs DESCRIPTION FILTER (over the array of objects): true
	check "$1" [ "$(jq -s -e "$2" "$tmp/j" 2>&1)" = true ]
}
jqs "steps are numbered 1..6 with their lines" \
    '[.[].step] == [1,2,3,4,5,6] and .[1].line == "a = malloc 32"'
jqs "each step has both models, by full name" \
    'all(.[]; [.models[].allocator] == ["dlmalloc-2.8.6","glibc-2.36"])'
jqs "step 2: offsets 0x1010 and 0x12a0, same chunk size" \
    '.[1].models[0].offset == 4112 and .[1].models[1].offset == 4768 and .[1].models[0].chunk_size == 48 and .[1].models[1].chunk_size == 48'
jqs "step 2: the absolute address is heap_start + offset" \
    'all(.[1].models[]; .address == .heap_start + .offset)'
jqs "step 4: both mmapped, no offset, not diverged" \
    '.[3].diverged == false and all(.[3].models[]; .mmapped and .offset == null)'
jqs "from_first: each block's offset from that model's first block" \
    '[.[1,2,5] | [.models[].from_first]] == [[0,0],[48,48],[0,160]]'
jqs "diverged and first_divergence: first at step 6 only" \
    '[.[] | select(.first_divergence) | .step] == [6] and [.[] | select(.diverged) | .step] == [6]'
jqs "a free is no placement: not diverged, placed false" \
    '.[4].diverged == false and .[4].models[1].placed == false and .[4].models[1].did == "put in tcache bin 1 (1/7)"'
jqs "a step with no block has name null" \
    '.[0].models[0].name == null and .[0].models[0].made'

# ---- Bad option values. ----
for bad in dlmalloc dlmalloc,nosuch nosuch,glibc glibc,glibc ,; do
	"$heapviz" --compare "$bad" "$tmp/s.hv" > "$tmp/bad" 2>&1
	st=$?
	check "--compare $bad is a usage error (2)" [ $st = 2 ]
	check "--compare $bad says why" grep -q '^heapviz: --compare: ' "$tmp/bad"
done
"$heapviz" --compare dlmalloc,glibc --real "$tmp/s.hv" > "$tmp/bad" 2>&1
check "--compare with --real is a usage error" [ $? = 2 ]
check "and says compare runs simulated heaps" \
    grep -q 'runs simulated heaps: not with --real' "$tmp/bad"
"$heapviz" --compare dlmalloc,glibc --batch "$tmp/s.hv" "$tmp/s.hv" \
    > "$tmp/bad" 2>&1
check "--compare with --batch and a script is a usage error" [ $? = 2 ]

# ---- In a trace: refused, the session as it was. ----
demo="$bin/examples/sbrk-demo"
if [ -x "$demo" ]; then
	printf 'trace %s\ncompare\ncompare dlmalloc glibc\nstate --json\n' "$demo" |
	    "$heapviz" --batch - > "$tmp/tr" 2>&1
	check "compare in a trace is refused, exit 1" [ $? = 1 ]
	check "compare in a trace says why" \
	    grep -q "^stdin:2: compare: a trace's steps were made by a program, not by a model" "$tmp/tr"
	check "the session is still the trace after it" \
	    [ "$(tail -n 1 "$tmp/tr" | jq -r .mode)" = trace ]
	# Compare, then trace: the comparison ends with a note.
	printf 'compare\nmalloc 32\ntrace %s\n' "$demo" |
	    "$heapviz" --batch - > "$tmp/tr2" 2>&1
	check "a trace ends a comparison with a note" \
	    grep -q '^note: compare is off: a trace is a recording' "$tmp/tr2"
else
	ci_skip "$demo is not built (make check builds it)"
fi
tap_done
