# Helpers for the bad-input matrix (tests/cli/bad-*.sh), sourced after lib.sh.
# Each row runs one command on a TM holding the sample article pair and
# checks the exit status, the message and that the TM is exactly as it was.
SQLITE3=${SQLITE3:-sqlite3}
command -v "$SQLITE3" >/dev/null 2>&1 || { echo "SKIP: no sqlite3 shell"; exit 77; }

# make_tm FILE: a TM with the 10 units of the sample pair
make_tm() {
    "$SELARAS" add --db "$1" "$ID_TXT" "$EN_TXT" >/dev/null 2>&1 || fail "cannot make $1"
}

# db_state FILE: integrity check result and unit count, e.g. "ok 10", read
# from a copy (the sqlite3 shell leaves -wal and -shm files beside a
# damaged database, which would change the next row's conditions)
db_state() {
    rm -f "$tmp/state.db" "$tmp/state.db-wal" "$tmp/state.db-shm"
    cp "$1" "$tmp/state.db" || return
    "$SQLITE3" "$tmp/state.db" 'pragma integrity_check' 'select count(*) from units' 2>&1 |
        tr '\n' ' ' | sed 's/ $//'
    rm -f "$tmp/state.db" "$tmp/state.db-wal" "$tmp/state.db-shm"
}

# row WHAT STATUS MESSAGE DB -- CMD...: CMD must exit with STATUS and print
# MESSAGE (a grep pattern, '' for none) as its only stderr line; DB must keep
# its bytes, pass the integrity check and keep its unit count.
row() {
    r_what=$1 r_status=$2 r_msg=$3 r_db=$4
    shift 5
    r_fp=$(fingerprint "$r_db")
    r_state=$(db_state "$r_db")
    expect_status "$r_status" "$r_what" -- "$@"
    if [ -n "$r_msg" ]; then
        grep -q -- "$r_msg" "$tmp/err" || fail "$r_what: stderr lacks '$r_msg': $(cat "$tmp/err")"
        [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$r_what: expected one line on stderr: $(cat "$tmp/err")"
        grep -q '^selaras: ' "$tmp/err" || fail "$r_what: message must start with 'selaras: '"
    fi
    [ "$(fingerprint "$r_db")" = "$r_fp" ] || fail "$r_what: the database file changed"
    [ "$(db_state "$r_db")" = "$r_state" ] || fail "$r_what: database state $(db_state "$r_db"), was $r_state"
    for f in "$r_db-wal" "$r_db-shm" "$r_db-journal"; do
        [ -e "$f" ] && fail "$r_what: $f left behind"
    done
    return 0
}

# run_as_nobody CMD...: permissions do not bind root, so drop to nobody then
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
    as_nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
    as_nobody=""
fi
