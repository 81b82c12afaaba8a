# Shared set-up for the end-to-end tests: sourced by each tests/cli/*.sh.
# The environment comes from AM_TESTS_ENVIRONMENT (SELARAS, TOP_SRCDIR, ...).
set -u
: "${SELARAS:?run through make check}" "${TOP_SRCDIR:?run through make check}"
DATA="$TOP_SRCDIR/tests/data"
ID_TXT="$TOP_SRCDIR/tm/article.id.txt"
EN_TXT="$TOP_SRCDIR/tm/article.en.txt"
unset SELARAS_DB
tmp=$(mktemp -d "${TMPDIR:-/tmp}/selaras-test.XXXXXX") || exit 99
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
failures=0

# Run the real binary (under valgrind when SELARAS_WRAPPER says so).
selaras() {
    ${SELARAS_WRAPPER:-} "$SELARAS" "$@"
}

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# expect_status CODE DESCRIPTION -- CMD...: runs CMD, stdout in $tmp/out, stderr in $tmp/err
# (its variables are prefixed: sh has no locals, and tests have their own)
expect_status() {
    es_want=$1; es_what=$2; shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    es_got=$?
    if [ "$es_got" -ne "$es_want" ]; then
        fail "$es_what: exit status $es_got, expected $es_want"
        sed 's/^/  stderr: /' "$tmp/err" >&2
    fi
}

expect_stderr() {
    if ! grep -q -- "$1" "$tmp/err"; then
        fail "stderr does not contain '$1'"
        sed 's/^/  stderr: /' "$tmp/err" >&2
    fi
}

expect_same() {  # expect_same EXPECTED_FILE ACTUAL_FILE WHAT
    if ! cmp -s "$1" "$2"; then
        fail "$3 differs from $1"
        diff -u "$1" "$2" | head -40 >&2
    fi
}

# A fingerprint of a file's bytes, to prove a database was left untouched.
fingerprint() {
    if [ -e "$1" ]; then cksum <"$1"; else echo missing; fi
}

finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$failures check(s) failed" >&2
        exit 1
    fi
    exit 0
}
