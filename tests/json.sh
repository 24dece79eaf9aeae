#!/bin/sh
# json.sh -- `state --json` and --json batch output parse as JSON and hold
# what the design says they hold.
. "$(dirname "$0")/tap-common.sh"
if ! command -v jq >/dev/null 2>&1; then
	echo "1..0 # SKIP jq is not installed"
	exit 0
fi

jqtest() {	# jqtest DESCRIPTION FILTER: the filter must print true
	check "$1" [ "$(jq -e "$2" "$tmp/state.json" 2>&1)" = true ]
}

cat > "$tmp/s.hv" <<'HV'
malloc 32
g = malloc 16
malloc 100
free p1
printf "hi"
big = malloc 300000
state --json
HV
"$heapviz" --batch "$tmp/s.hv" | tail -n 1 > "$tmp/state.json"
check "state --json is one line of valid JSON" jq -e . "$tmp/state.json"
jqtest "mode is sim" '.mode == "sim"'
jqtest "heap_start is 0x555555559000" '.heap_start == 93824992251904'
jqtest "the break moved by the heap's page and printf's 0x21000" '.break - .initial_break == 4096 + 135168'
jqtest "chunks are in address order" '[.chunks[].addr] == ([.chunks[].addr] | sort)'
jqtest "p1 is free in small bin 6" '(.chunks[] | select(.name == "p1")) | .state == "free" and .bin == "small[6]"'
jqtest "bins.small holds p1's chunk" '.bins.small["6"] == [.names.p1.mem - 16]'
jqtest "names.p1 is dangling" '.names.p1.live == false'
jqtest "big is mmapped" '(.chunks[] | select(.name == "big")).state == "mmapped"'
jqtest "an mmap mapping is listed" '[.mappings[] | select(.kind == "mmap")] | length == 1'
jqtest "the log has the printf sbrk of 0x21000" '[.log[] | select(.call == "sbrk" and .args[0] == 135168 and .cause == "printf (libc stdio buffer)")] | length == 1'
jqtest "the log has the mmap" '[.log[] | select(.call == "mmap")] | length == 1'
jqtest "stats are numbers" '(.stats.footprint | type) == "number" and .stats.inuse > 300000'
jqtest "top is reported" '.bins.top.size > 0'
jqtest "no violations" '.violations == []'

printf 'malloc 32\nfree nosuch\n' | "$heapviz" --json > "$tmp/lines.json"
check "--json prints one object per command" [ "$(wc -l < "$tmp/lines.json")" = 2 ]
check "each parses" jq -e -s 'length == 2' "$tmp/lines.json"
check "the first succeeded" [ "$(jq -s '.[0].ok' "$tmp/lines.json")" = true ]
check "the second failed with its message" [ "$(jq -s '.[1].ok == false and (.[1].error | test("unknown name nosuch"))' "$tmp/lines.json")" = true ]

printf 'write p1 "\\xff\\xfe"\nmalloc 8\nwrite p1 "\\xc3\\x28 bad utf-8"\nprintf "\\x01\\x80"\nstate --json\n' | "$heapviz" --json > "$tmp/odd.json" 2>&1
check "odd bytes still give valid JSON" jq -e -s 'length == 5' "$tmp/odd.json"
if command -v iconv >/dev/null 2>&1; then
	check "and it is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$tmp/odd.json" -o /dev/null
fi

tap_done
