#!/bin/sh
# Man pages: one per command, built from the same text as `selaras help CMD`,
# and saying the same words once rendered; they format without warnings.
. "$TOP_SRCDIR/tests/cli/lib.sh"
builddir=$(dirname "$SELARAS")
commands=$(selaras --help | sed -n 's/^  \([a-z][a-z-]*\)  *[^ ].*/\1/p' | grep -vx help)
[ -n "$commands" ] || fail "no commands in selaras --help"

# Every command has its page (listed in nodist_man1_MANS), up to date.
for c in "" $commands; do
    page="$builddir/doc/selaras${c:+-$c}.1"
    if [ ! -f "$page" ]; then
        fail "no man page $page: add doc/selaras-$c.1 to nodist_man1_MANS in Makefile.am"
        continue
    fi
    selaras help --roff $c >"$tmp/roff" 2>"$tmp/err" || fail "help --roff $c failed"
    expect_same "$tmp/roff" "$page" "man page of '${c:-selaras}' (stale? run make)"
done
grep -q '^selaras\\-add \\- ' "$builddir/doc/selaras-add.1" || fail "selaras-add(1) has no NAME line"
for c in $commands; do
    c_re=$(printf '%s' "$c" | sed 's/-/\\\\-/g')  # roff escapes every hyphen
    grep -q "^\.BR selaras\\\\-$c_re (1)" "$builddir/doc/selaras.1" || fail "selaras(1) does not refer to selaras-$c(1)"
done
expect_status 2 "help --roff of an unknown command" -- selaras help --roff frobnicate
# the parts of a page, from the conventions of the help text
selaras help --roff add >"$tmp/add.1"
for want in '^\.TH SELARAS-ADD 1 ' '^\.SH SYNOPSIS$' \
    '^selaras add \[\\-\\-db FILE\] \[OPTIONS\] \\-\\-batch DIR | \\-\\-pairs LIST$' \
    '^\.SH DESCRIPTION$' '^\.SH OPTIONS$' '^\\-b, \\-\\-batch DIR$' '^\.SH EXAMPLES$' \
    '^selaras add \\-\\-db news\.db \\-\\-batch articles/$' '^\.BR selaras (1)$'; do
    grep -q -- "$want" "$tmp/add.1" || fail "selaras-add(1) has no line matching $want"
done
[ "$(grep -c '^\.TP$' "$tmp/add.1")" -eq 15 ] || fail "selaras-add(1) should have 15 option items"

if ! command -v groff >/dev/null 2>&1; then
    echo "groff not installed (Debian groff-base): rendering checks skipped" >&2
    finish
fi
# Words of a help text: without "usage:" and the "Heading:" lines.
help_words() {
    sed -e '1s/^usage: //' -e '/^[A-Z][A-Za-z0-9 -]*:$/d' "$1" | tr -s ' \t\n' '\n\n\n' | grep .
}
# Words of a rendered page: without the header and footer, the NAME and
# SEE ALSO sections, and the section headings.
man_words() {
    sed -e '1d' -e '$d' "$1" |
        awk '/^NAME$/ { skip = 1; next } /^SYNOPSIS$/ { skip = 0 } /^SEE ALSO$/ { skip = 1 } !skip' |
        sed -e '/^[A-Z][A-Z ]*$/d' | tr -s ' \t\n' '\n\n\n' | grep .
}
for c in "" $commands; do
    page="$builddir/doc/selaras${c:+-$c}.1"
    [ -f "$page" ] || continue
    LC_ALL=C.UTF-8 groff -man -ww -z "$page" 2>"$tmp/warn"
    [ -s "$tmp/warn" ] && fail "groff warns about $page: $(head -3 "$tmp/warn")"
    LC_ALL=C.UTF-8 groff -man -Tutf8 -P-cbou -rLL=100n "$page" 2>/dev/null | sed '/^$/d' >"$tmp/rendered"
    if [ -n "$c" ]; then selaras help "$c" >"$tmp/help"; else selaras --help >"$tmp/help"; fi
    help_words "$tmp/help" >"$tmp/hw"
    man_words "$tmp/rendered" >"$tmp/mw"
    expect_same "$tmp/hw" "$tmp/mw" "rendered man page of '${c:-selaras}' (words)"
done
# Options appear as ASCII hyphen-minus, so they can be searched and pasted.
LC_ALL=C.UTF-8 groff -man -Tutf8 -P-cbou "$builddir/doc/selaras-add.1" 2>/dev/null | grep -q -- '--batch DIR' ||
    fail "options in selaras-add(1) are not plain '--batch DIR'"
finish
