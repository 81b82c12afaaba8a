#!/bin/sh
# make install into a staging directory, then check that everything the
# README promises is there and works from there: the program and library,
# headers and selaras.pc, the language data, a man page per command, and the
# bash completion; then make uninstall leaves no file behind.
# Run from a configured build directory: sh tests/install-check.sh SRCDIR
set -u
srcdir=${1:-.}
stage=$(mktemp -d) || exit 1
trap 'rm -rf "$stage"' EXIT
failures=0
fail() { echo "install-check: $*" >&2; failures=$((failures + 1)); }

make install DESTDIR="$stage" >"$stage.log" 2>&1 || {
    cat "$stage.log" >&2; rm -f "$stage.log"; echo "install-check: make install failed" >&2; exit 1; }
rm -f "$stage.log"

prefix=$(sed -n 's/^prefix = //p' Makefile)
root=$stage$prefix
bin=$root/bin/selaras
[ -x "$bin" ] || fail "no program at $bin"
ls "$root"/lib/libselaras.so* >/dev/null 2>&1 || fail "no shared library in $root/lib"
[ -f "$root/include/selaras/selaras.h" ] || fail "no public header in $root/include/selaras"
[ -f "$root/lib/pkgconfig/selaras.pc" ] || fail "no selaras.pc"
for f in "$srcdir"/data/*.abbrev; do
    [ -f "$root/share/selaras/$(basename "$f")" ] || fail "language data $(basename "$f") not installed"
done
[ -f "$root/share/bash-completion/completions/selaras" ] || fail "no bash completion"

export LD_LIBRARY_PATH="$root/lib" SELARAS_DATADIR="$root/share/selaras"
commands=$("$bin" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')
[ -n "$commands" ] || fail "the installed program lists no commands"
[ -f "$root/share/man/man1/selaras.1" ] || fail "no selaras(1)"
for c in $commands; do
    [ "$c" = help ] && continue
    page=$root/share/man/man1/selaras-$c.1
    if [ ! -f "$page" ]; then
        fail "no man page selaras-$c(1)"
    elif ! sed 's/\\-/-/g' "$page" | grep -q -- "$c"; then
        fail "selaras-$c(1) does not name its command"
    fi
done

# the installed data is the one the installed program reads: Jl. keeps its
# sentence together only with the Indonesian abbreviation list
out=$(printf 'Kantornya di Jl. Merdeka. Dia datang.\n' | "$bin" segment --lang id) ||
    fail "the installed selaras cannot segment"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] || fail "installed segmenter gave: $out"

make uninstall DESTDIR="$stage" >/dev/null 2>&1 || fail "make uninstall failed"
left=$(find "$stage" -type f | head -5)
[ -z "$left" ] || fail "make uninstall left files behind: $left"

[ "$failures" -eq 0 ] && echo "install-check: ok ($(echo $commands | wc -w) commands)"
exit "$((failures > 0))"
