#!/bin/sh
# Bad input: a one-line message naming the file, a non-zero exit status, and
# the database exactly as it was.
. "$TOP_SRCDIR/tests/cli/lib.sh"
db="$tmp/tm.db"
selaras add --db "$db" "$ID_TXT" "$EN_TXT" >/dev/null || fail "add failed"
before=$(fingerprint "$db")

check_unchanged() {
    [ "$(fingerprint "$db")" = "$before" ] || fail "$1: the database changed"
    [ "$(sqlite3 "$db" 'pragma integrity_check')" = ok ] || fail "$1: integrity check failed"
    [ "$(sqlite3 "$db" 'select count(*) from units')" = 10 ] || fail "$1: unit count changed"
}
one_line() {
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$1: expected a one-line message, got: $(cat "$tmp/err")"
}

# bad_add DESCRIPTION EXPECTED_TEXT SRC TGT [options]
bad_add() {
    what=$1; text=$2; shift 2
    expect_status 1 "$what" -- selaras add --db "$db" "$@"
    expect_stderr "$text"
    one_line "$what"
    check_unchanged "$what"
}

bad_add "missing file" "$tmp/missing.txt: cannot open: No such file" "$tmp/missing.txt" "$EN_TXT"
mkdir "$tmp/adir"
bad_add "directory" "$tmp/adir: is a directory" "$ID_TXT" "$tmp/adir"
printf 'Ini kalimat pertama.\nDan ini \377 rusak.\n' >"$tmp/bad.txt"
bad_add "invalid UTF-8" "$tmp/bad.txt: invalid UTF-8 at byte offset 29 (line 2" "$tmp/bad.txt" "$EN_TXT"
: >"$tmp/empty.txt"
bad_add "empty file" "$tmp/empty.txt: the file is empty" "$tmp/empty.txt" "$EN_TXT"
printf '  \n\t\n\n' >"$tmp/blank.txt"
bad_add "whitespace only" "$tmp/blank.txt: the file is empty" "$ID_TXT" "$tmp/blank.txt"
printf 'a\000b\n' >"$tmp/nul.txt"
bad_add "NUL byte" "$tmp/nul.txt: NUL byte at byte offset 1" "$tmp/nul.txt" "$EN_TXT"
printf '\377\376I\000n\000i\000\n\000' >"$tmp/utf16.txt"
bad_add "UTF-16" "$tmp/utf16.txt: the file is UTF-16" "$tmp/utf16.txt" "$EN_TXT"
bad_add "unknown language" "unknown language code 'xx'" --src-lang xx "$ID_TXT" "$EN_TXT"
bad_add "malformed language" "malformed language code 'en US'" --tgt-lang "en US" "$ID_TXT" "$EN_TXT"

expect_status 1 "segment a missing file" -- selaras segment "$tmp/missing.txt"
expect_stderr "missing.txt: cannot open"
expect_status 1 "segment with an unknown language" -- selaras segment --lang qqq "$ID_TXT"
expect_stderr "unknown language code 'qqq'"
expect_status 1 "align an empty file" -- selaras align "$ID_TXT" "$tmp/empty.txt"
expect_stderr "empty.txt: the file is empty"

# no database is created when the input is bad
expect_status 1 "add bad input to a new TM" -- selaras add --db "$tmp/new.db" "$tmp/bad.txt" "$EN_TXT"
[ -e "$tmp/new.db" ] && fail "a database was created for bad input"

# a file that is not a selaras TM is refused and left untouched
echo "just some text, not a database" >"$tmp/notdb.db"
fp=$(fingerprint "$tmp/notdb.db")
expect_status 1 "not a database" -- selaras add --db "$tmp/notdb.db" "$ID_TXT" "$EN_TXT"
expect_stderr "$tmp/notdb.db: not a selaras translation memory"
one_line "not a database"
[ "$(fingerprint "$tmp/notdb.db")" = "$fp" ] || fail "the non-database file was changed"
expect_status 1 "stats on a non-database" -- selaras stats --db "$tmp/notdb.db"
expect_stderr "not a selaras translation memory"

sqlite3 "$tmp/other.db" 'create table t(x); insert into t values (1);'
fp=$(fingerprint "$tmp/other.db")
expect_status 1 "foreign SQLite database" -- selaras add --db "$tmp/other.db" "$ID_TXT" "$EN_TXT"
expect_stderr "^selaras: $tmp/other.db: not a selaras translation memory\$"
one_line "foreign SQLite database"
[ "$(fingerprint "$tmp/other.db")" = "$fp" ] || fail "the foreign database was changed"
[ "$(sqlite3 "$tmp/other.db" 'pragma integrity_check' 'select count(*) from t')" = "$(printf 'ok\n1')" ] ||
    fail "the foreign database is not as it was"
# selaras's own tables but another application's id, or tables of the
# same names that are not selaras's: both refused, untouched
cp "$db" "$tmp/appid.db"
sqlite3 "$tmp/appid.db" 'pragma application_id = 1234'
sqlite3 "$tmp/fake.db" 'create table units (id integer primary key, x); create table documents (id); pragma user_version = 3'
for f in appid fake; do
    fp=$(fingerprint "$tmp/$f.db")
    for cmd in "add --db $tmp/$f.db $ID_TXT $EN_TXT" "lookup --db $tmp/$f.db Presiden" "stats --db $tmp/$f.db" \
        "export --db $tmp/$f.db -o $tmp/$f.tmx" "import --db $tmp/$f.db $DATA/tmx/inline.tmx"; do
        # shellcheck disable=SC2086
        expect_status 1 "$f.db: ${cmd%% *}" -- selaras $cmd
        expect_stderr "^selaras: $tmp/$f.db: not a selaras translation memory\$"
        one_line "$f.db: ${cmd%% *}"
    done
    [ "$(fingerprint "$tmp/$f.db")" = "$fp" ] || fail "$f.db was changed"
    [ -e "$tmp/$f.tmx" ] && fail "$f.db: a TMX was written"
done
[ "$(sqlite3 "$tmp/appid.db" 'pragma integrity_check' 'select count(*) from units')" = "$(printf 'ok\n10')" ] ||
    fail "appid.db is not as it was"
# a directory or a FIFO where the TM should be
mkdir "$tmp/dir.db"
mkfifo "$tmp/fifo.db"
for f in dir.db fifo.db; do
    for cmd in "add --db $tmp/$f $ID_TXT $EN_TXT" "lookup --db $tmp/$f Presiden" "stats --db $tmp/$f"; do
        # shellcheck disable=SC2086
        expect_status 1 "$f: ${cmd%% *}" -- timeout 60 ${SELARAS_WRAPPER:-} "$SELARAS" $cmd
        one_line "$f: ${cmd%% *}"
    done
done
expect_stderr "^selaras: $tmp/fifo.db: not a regular file, not a translation memory\$"
[ -d "$tmp/dir.db" ] && [ -z "$(ls "$tmp/dir.db")" ] || fail "something was written into dir.db"
[ -p "$tmp/fifo.db" ] || fail "the FIFO was replaced"

# a database path that cannot be created
expect_status 1 "database in a missing directory" -- selaras add --db "$tmp/nodir/tm.db" "$ID_TXT" "$EN_TXT"
expect_stderr "$tmp/nodir/tm.db"
one_line "database in a missing directory"

# a database the user may not write (permissions do not bind root, so drop to nobody)
cp "$db" "$tmp/ro.db"
sed "s/expressed his confidence/voiced his confidence/" "$EN_TXT" >"$tmp/edited.en.txt"
chmod 0444 "$tmp/ro.db"
chmod 0555 "$tmp"
as_user=""
if [ "$(id -u)" -eq 0 ]; then
    as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
    $as_user test -x "$SELARAS" ||
        fail "user nobody cannot run $SELARAS: make its directories world-readable for this test"
fi
fp=$(fingerprint "$tmp/ro.db")
$as_user ${SELARAS_WRAPPER:-} "$SELARAS" add --db "$tmp/ro.db" "$ID_TXT" "$tmp/edited.en.txt" >"$tmp/ro.out" 2>"$tmp/ro.err"
st=$?
chmod 0755 "$tmp"
[ "$st" -eq 1 ] || fail "read-only database: exit status $st, expected 1 ($(cat "$tmp/ro.err"))"
grep -q "^selaras: $tmp/ro.db: cannot open the translation memory" "$tmp/ro.err" ||
    fail "read-only database: message must name the file: $(cat "$tmp/ro.err")"
[ "$(wc -l <"$tmp/ro.err")" -eq 1 ] || fail "read-only database: expected a one-line message: $(cat "$tmp/ro.err")"
[ "$(fingerprint "$tmp/ro.db")" = "$fp" ] || fail "the read-only database was changed"
[ "$(sqlite3 -readonly "$tmp/ro.db" 'pragma integrity_check' 'select count(*) from units')" = "$(printf 'ok\n10')" ] ||
    fail "the read-only database is not as it was"
finish
