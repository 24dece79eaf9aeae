#!/bin/sh
# quickstart.sh -- build heapviz on a fresh Debian machine and start it.
#
#   ./quickstart.sh          install what is missing, build, start heapviz
#   ./quickstart.sh test     install what is missing, build, run every test
#   ./quickstart.sh deps     print the Debian packages heapviz needs
#
# Packages are installed with apt-get when run as root; otherwise the exact
# sudo line is printed and nothing else happens.  The build lives in _build/.
set -eu
cd "$(dirname "$0")"

# What the build, the tests and the sanitizer runs need (clang with its
# libFuzzer runtime for the fuzz step, valgrind for the memcheck step, man
# and groff for the test that renders the manual page; xmllint,
# rsvg-convert, chromium and node for the export tests).
PACKAGES="build-essential autoconf automake pkg-config libreadline-dev
libncurses-dev tmux jq clang libclang-rt-14-dev valgrind man-db groff-base
libxml2-utils librsvg2-bin chromium nodejs"

# What `make bench-trace` (part of `make bench`) needs besides: the peer
# it is measured against and the timer.  Not the tests'; not installed here.
BENCH_PACKAGES="heaptrack hyperfine"

if [ "${1:-}" = deps ]; then
	echo $PACKAGES
	exit 0
fi
if [ "${1:-}" = bench-deps ]; then
	echo $BENCH_PACKAGES
	exit 0
fi

missing=
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	    grep -q '^install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		apt-get update
		DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
	else
		echo "heapviz needs these Debian packages:$missing"
		echo "Install them, then run this again:"
		echo "  sudo apt-get install -y$missing"
		exit 1
	fi
fi

./bootstrap.sh
if [ ! -f _build/Makefile ]; then
	mkdir -p _build
	(cd _build && ../configure)
fi
make -C _build -j2

case "${1:-}" in
test)
	exec tests/suite.sh
	;;
"")
	exec _build/heapviz
	;;
*)
	echo "usage: ./quickstart.sh [test|deps]" >&2
	exit 2
	;;
esac
