# breaks: printf's 0x21000 in the simulation (a 64 KiB top pad)
# printf's 0x21000 in the simulation: the top pad glibc adds to its first
# heap is taken as 64 KiB instead of 128 KiB.
# caught by: tests/scripts/printf-demo.hv tests/lessons/printf-break.hv tests/json.sh
tests="tests/scripts/printf-demo.hv tests/lessons/printf-break.hv tests/json.sh"
mutate src/cmd-printf.c 's{#define GLIBC_TOP_PAD\t\t0x20000}{#define GLIBC_TOP_PAD\t\t0x10000}'
