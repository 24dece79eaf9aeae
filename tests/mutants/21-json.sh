# breaks: JSON (a free chunk's bin and links left out of state --json)
# JSON: a free chunk's bin and links are left out of state --json.
# caught by: tests/json.sh tests/real.sh
tests="tests/json.sh tests/real.sh"
mutate src/render-json.c 's{if \(c->state == (\w+)_CHUNK_FREE\) \{\n\t\t\tbuf_printf\(b, ",\\"bin\\":"\);}{if (0 && c->state == ${1}_CHUNK_FREE) \{\n\t\t\tbuf_printf(b, ",\\"bin\\":");}'
