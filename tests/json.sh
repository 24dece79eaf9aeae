#!/bin/sh
# json.sh -- `state --json` and --json batch output parse as JSON and hold
# what the design says they hold.
. "$(dirname "$0")/tap-common.sh"
command -v jq >/dev/null 2>&1 ||
    ci_skip_all "jq is not installed (apt-get install jq)"

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
# A key given twice parses, the last one winning: count them in the text.
check "p1's fd is given once" [ "$(grep -o '"name":"p1"[^}]*' "$tmp/state.json" | grep -o '"fd":' | wc -l)" = 1 ]
jqtest "and leads to its bin's head, in the data segment below the heap" '(.chunks[] | select(.name == "p1")).fd | . > 0 and . < 93824992251904'
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

# Structured results beside the text: an allocation, a free and where it
# went, the break and the system calls, refusals by kind, state as an
# object.
cat > "$tmp/r.hv" <<'HV'
malloc 32
q = malloc 100
free p1
free p1
free nosuch
malloc 12abc
mallok 3
malloc
free 0x555555559018
free q
printf "hi"
big = malloc 300000
free big
malloc -1
state --json
sbrk 0
sbrk 32
r = malloc 40
realloc r 200
HV
"$heapviz" --json --batch "$tmp/r.hv" > "$tmp/r.json" 2>&1
check "structured results: one object per line" jq -e -s 'length == 19' "$tmp/r.json"
rj() {	# rj DESCRIPTION FILTER: over the array of line objects
	check "$1" [ "$(jq -e -s ". as \$all | $2" "$tmp/r.json" 2>&1)" = true ]
}
rj "malloc gives name, address, chunk, chunk size, request, errno" \
    '.[0].result == {"name":"p1","call":"malloc(32)","address":93824992251920,"chunk":93824992251904,"chunk_size":48,"request":32,"errno":0,"errno_name":null}'
rj "with the break after it and the two sbrk calls it caused" \
    '.[0].break == 93824992256000 and ([.[0].syscalls[].call] == ["sbrk","sbrk"]) and .[0].syscalls[1].args == [4096]'
rj "a command that made no system call lists none" '.[1].syscalls == []'
rj "free says which chunk and where it went" \
    '.[2].result | .name == "p1" and .chunk == 93824992251904 and .chunk_size == 48 and .went == "small[6]" and .merged_with == []'
rj "a free that merges says with what, and that it went to top" \
    '.[9].result | .went == "top" and (.merged_with | length) == 2'
rj "a double free is refused as double-free" '.[3].ok == false and .[3].kind == "double-free" and (.[3].error | test("already freed"))'
rj "an unknown name as unknown-name" '.[4].kind == "unknown-name"'
rj "a bad number as bad-number" '.[5].kind == "bad-number"'
rj "an unknown command as unknown-command" '.[6].kind == "unknown-command"'
rj "a missing argument as bad-arguments" '.[7].kind == "bad-arguments"'
rj "a pointer into a block as invalid-pointer" '.[8].kind == "invalid-pointer"'
rj "a successful line has kind null" '[.[] | select(.ok) | .kind] | all(. == null)'
rj "printf: libc's sbrk of 0x21000 and the break after it" \
    '.[10].syscalls[0].args == [135168] and .[10].syscalls[0].foreign == true and .[10].break - .[0].break == 135168'
rj "a mapped malloc: its mmap call" '.[11].syscalls[0].call == "mmap" and .[11].result.name == "big"'
rj "its free: unmapped, with the munmap call" '.[12].result.went == "unmapped" and .[12].syscalls[0].call == "munmap"'
rj "malloc -1: NULL with ENOMEM, as fields" \
    '.[13].ok and .[13].result.address == null and .[13].result.errno_name == "ENOMEM" and .[13].result.errno == 12'
rj "sbrk 0 gives the break it read" '.[15].result == {"old_break":93824992391168,"increment":0}'
rj "sbrk 32 the break it moved and the increment" \
    '.[16].result.old_break == 93824992391168 and .[16].result.increment == 32 and .[16].break == 93824992391200 and .[16].result.errno == 0'
rj "realloc names the old address and the new block" \
    '.[18].result | .name == "r" and .old_address == ($all[17].result.address) and .chunk_size == 208 and .request == 200'
rj "state --json is an object, not a string in output" \
    '(.[14].state | type) == "object" and .[14].state.mode == "sim" and .[14].output == ""'
rj "whose break is the break every line reports" '.[14].state.break == .[14].break'

printf 'write p1 "\\xff\\xfe"\nmalloc 8\nwrite p1 "\\xc3\\x28 bad utf-8"\nprintf "\\x01\\x80"\nstate --json\n' | "$heapviz" --json > "$tmp/odd.json" 2>&1
check "odd bytes still give valid JSON" jq -e -s 'length == 5' "$tmp/odd.json"
if command -v iconv >/dev/null 2>&1; then
	check "and it is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$tmp/odd.json" -o /dev/null
fi

# glibc's safe-linked tcache: where each entry's fd leads, and the word as
# memory holds it (PROTECT_PTR on the display addresses).
printf 'allocator glibc\na = malloc 24\nb = malloc 24\nfree a\nfree b\nstate --json\n' |
    "$heapviz" --batch - | tail -n 1 > "$tmp/glibc.json"
check "glibc: b's fd is given once" [ "$(grep -o '"name":"b"[^}]*' "$tmp/glibc.json" | grep -o '"fd":' | wc -l)" = 1 ]
check "glibc: b's fd leads to a's chunk, stored as (0x5555555592c0 >> 12) ^ 0x5555555592a0" \
    jq -e '(.chunks[] | select(.name == "b")) | .fd == 93824992252560 and .fd_stored == 93802085795833' "$tmp/glibc.json"
check "glibc: a ends the list: fd null, stored 0x5555555592a0 >> 12" \
    jq -e '(.chunks[] | select(.name == "a")) | .fd == null and .fd_stored == 22906492249' "$tmp/glibc.json"

tap_done
