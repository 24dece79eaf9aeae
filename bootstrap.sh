#!/bin/sh
# bootstrap.sh -- generate ./configure from configure.ac and Makefile.am.
# Run once after a fresh clone (quickstart.sh does).
set -eu
cd "$(dirname "$0")"
mkdir -p build-aux
# Automake does not install its TAP driver by itself.
if [ ! -f build-aux/tap-driver.sh ]; then
	cp "$(automake --print-libdir)/tap-driver.sh" build-aux/tap-driver.sh
fi
if [ ! -x configure ] || [ configure.ac -nt configure ] ||
    [ Makefile.am -nt Makefile.in ]; then
	autoreconf --install --force
fi
