#!/bin/sh
# Bash completion: commands, options and option values come from the help.
. "$TOP_SRCDIR/tests/cli/lib.sh"
command -v bash >/dev/null 2>&1 || { echo "SKIP: no bash"; exit 77; }
mkdir "$tmp/work" "$tmp/work/articles" "$tmp/work/more"
: >"$tmp/work/news.db"
cd "$tmp/work" || exit 99
# complete WORDS...: what completing the last word offers, sorted, one line
complete_words() {
    bash -c '
        . "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _selaras
        printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort | tr "\n" " "' \
        sh "$TOP_SRCDIR/doc/completion/selaras" "$SELARAS" "$@"
}
check() {  # check "EXPECTED" WORDS...
    want=$1; shift
    got=$(complete_words "$@")
    [ "$got" = "$want" ] || fail "completing '$*': got '$got', expected '$want'"
}
check "add align analyze concordance delete dict export help import learn list-docs lookup merge pretranslate review segment stats " ""
check "add align analyze " a
check "segment " seg
check "add align analyze " help a
check "--help --version " --
check "--batch " add --b
check "--src-lang --src-suffix " add --src
check "--db --format --help " stats --
check "beads html json tsv " align --format ""
check "json " lookup --format j
check "text " stats --format t
check "en id " add --src-lang ""
check "en id " add -t ""
check "articles more " add --batch ""
check "news.db " add --db n
check "news.db " add --db news.db --src-lang id n
# a command's subcommand ('usage: selaras dict import ...'), then its options
check "import " dict ""
check "import " dict i
check "--db --help --src-lang --tgt-lang " dict import --
check "news.db " dict import --db n
# an OUT value is a file name
check "news.db " pretranslate -o n
check "news.db " pretranslate --output n
# --opt=value, which bash splits into '--opt', '=', 'value'
check "beads html json tsv " align --format =
check "json " align --format = j
check "en id " add --src-lang = ""
check "articles more " add --batch = ""
grep -q '^complete -F _selaras selaras$' "$TOP_SRCDIR/doc/completion/selaras" || fail "no complete line"
finish
