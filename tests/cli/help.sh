#!/bin/sh
# --help for everything; help CMD and CMD --help agree; usage errors exit 2.
. "$TOP_SRCDIR/tests/cli/lib.sh"
commands="segment align add export lookup stats import merge list-docs delete concordance review analyze pretranslate dict learn"
# and every command that --help lists
commands="$commands $(selaras --help | sed -n 's/^  \([a-z][a-z-]*\)  *[^ ].*/\1/p' | grep -vx help |
    grep -vxF "$(echo "$commands" | tr ' ' '\n')")"

expect_status 0 "--help" -- selaras --help
for c in $commands; do
    grep -q "^  $c " "$tmp/out" || fail "--help does not list $c"
done
expect_status 0 "--version" -- selaras --version
grep -Eq '^selaras [0-9]+\.[0-9]+\.[0-9]+' "$tmp/out" || fail "--version: $(cat "$tmp/out")"

for c in $commands; do
    expect_status 0 "help $c" -- selaras help "$c"
    cp "$tmp/out" "$tmp/help.$c"
    grep -q "^usage: selaras $c" "$tmp/help.$c" || fail "help $c has no usage line"
    grep -q "^Examples\?:" "$tmp/help.$c" || fail "help $c has no example"
    expect_status 0 "$c --help" -- selaras "$c" --help
    expect_same "$tmp/help.$c" "$tmp/out" "'$c --help'"
    expect_status 2 "$c --bogus" -- selaras "$c" --bogus
    expect_stderr "selaras $c: unknown option"
done

# learn shares the TM options' table but has no formats
expect_status 2 "learn --format" -- selaras learn --db "$tmp/learn.db" --format json
expect_stderr "selaras learn: unknown option '--format'"
[ -e "$tmp/learn.db" ] && fail "learn --format created the database"

expect_status 2 "no command" -- selaras
expect_status 2 "unknown command" -- selaras frobnicate
expect_stderr "unknown command 'frobnicate'"
expect_status 0 "unique prefix" -- selaras seg --help
grep -q '^usage: selaras segment' "$tmp/out" || fail "prefix 'seg' should run segment"
expect_status 2 "ambiguous prefix" -- selaras a
expect_stderr "ambiguous command 'a', could be: align add"
expect_status 2 "align with one file" -- selaras align "$ID_TXT"
expect_stderr "give two files"
finish
