#!/bin/sh
# Bad-input matrix, the database.  errors.sh has a file that is not SQLite,
# a foreign SQLite database, a missing directory and a read-only file; these
# are the others.
. "$TOP_SRCDIR/tests/cli/lib.sh"
. "$TOP_SRCDIR/tests/cli/bad-lib.sh"
db="$tmp/tm.db"
make_tm "$db"
q=$(grep . "$DATA/article.id.sents" | sed -n 2p)
printf 'Satu kalimat baru.\n' >"$tmp/new.id"
printf 'One new sentence.\n' >"$tmp/new.en"

# every command on a damaged file: one line that says so, the file untouched
damaged() {  # damaged WHAT FILE
    d_msg="$(basename "$2"): .*the file is damaged"
    row "$1, add" 1 "$d_msg" "$2" -- selaras add --db "$2" "$tmp/new.id" "$tmp/new.en"
    row "$1, lookup" 1 "$d_msg" "$2" -- selaras lookup --db "$2" "$q"
    row "$1, export" 1 "$d_msg" "$2" -- selaras export --db "$2" -o "$tmp/x.tmx"
    [ -e "$tmp/x.tmx" ] && fail "$1: export wrote a file"
    row "$1, stats" 1 "$d_msg" "$2" -- selaras stats --db "$2"
}
# truncated to its first two pages: the header is intact, the tables are not
size=$(wc -c <"$db")
head -c 8192 "$db" >"$tmp/trunc.db"
damaged "truncated" "$tmp/trunc.db"
# half a header
head -c 50 "$db" >"$tmp/stub.db"
row "truncated header, add" 1 "stub.db: .*the file is damaged" "$tmp/stub.db" -- \
    selaras add --db "$tmp/stub.db" "$tmp/new.id" "$tmp/new.en"
# every page but the first (the schema) overwritten with garbage
cp "$db" "$tmp/corrupt.db"
psize=$("$SQLITE3" "$db" 'pragma page_size')
awk -v n=$((size - psize)) 'BEGIN { for (i = 0; i < n; i++) printf "%c", 33 + (i * 7919) % 90 }' |
    dd of="$tmp/corrupt.db" bs="$psize" seek=1 conv=notrunc 2>/dev/null
[ "$(wc -c <"$tmp/corrupt.db")" -eq "$size" ] || fail "corrupting changed the size"
damaged "corrupted page" "$tmp/corrupt.db"

# a newer schema: refused by every command, untouched
cp "$db" "$tmp/newer.db"
"$SQLITE3" "$tmp/newer.db" 'pragma user_version = 9999'
for cmd in "add --db $tmp/newer.db $tmp/new.id $tmp/new.en" "lookup --db $tmp/newer.db Presiden" \
    "export --db $tmp/newer.db" "stats --db $tmp/newer.db"; do
    # shellcheck disable=SC2086
    row "newer schema, ${cmd%% *}" 1 "newer.db: created by a newer selaras (schema 9999" "$tmp/newer.db" -- selaras $cmd
done

# locked by another process for longer than the busy timeout (here 2 s,
# from $SELARAS_BUSY_TIMEOUT): the writer gives up with a message; readers
# are not blocked (WAL).  The lock is held until the add has returned (at
# most 2 minutes).
rm -f "$tmp/locked" "$tmp/release"
"$SQLITE3" "$db" 'begin exclusive' \
    "insert into documents (id, src_path, tgt_path, src_lang, tgt_lang, src_sha256, tgt_sha256, added_at, tool_version) values (999, 'a', 'b', 'id', 'en', 'x', 'y', 'z', 't')" \
    ".shell touch $tmp/locked; n=0; while [ ! -e $tmp/release ] && [ \$n -lt 1200 ]; do sleep 0.1; n=\$((n + 1)); done" \
    'rollback' >/dev/null 2>&1 &
locker=$!
n=0
while [ ! -e "$tmp/locked" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
[ -e "$tmp/locked" ] || fail "the locking process did not start"
SELARAS_BUSY_TIMEOUT=2
export SELARAS_BUSY_TIMEOUT
expect_status 1 "locked, add" -- selaras add --db "$db" "$tmp/new.id" "$tmp/new.en"
expect_stderr "^selaras: $db: the database is locked by another process (wait until it has finished and try again)\$"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "locked, add: expected one line on stderr: $(cat "$tmp/err")"
expect_status 0 "locked, lookup" -- selaras lookup --db "$db" "$q"
grep -q '^100%' "$tmp/out" || fail "lookup during a lock: $(cat "$tmp/out" "$tmp/err")"
touch "$tmp/release"
wait $locker
unset SELARAS_BUSY_TIMEOUT

# a lock shorter than the busy timeout is waited out: the add succeeds
cp "$db" "$tmp/wait.db"
rm -f "$tmp/locked"
"$SQLITE3" "$tmp/wait.db" 'begin exclusive' ".shell touch $tmp/locked; sleep 2" 'rollback' >/dev/null 2>&1 &
locker=$!
n=0
while [ ! -e "$tmp/locked" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
[ -e "$tmp/locked" ] || fail "the second locking process did not start"
export SELARAS_BUSY_TIMEOUT=30
expect_status 0 "add waits out a 2 s lock" -- selaras add --db "$tmp/wait.db" "$tmp/new.id" "$tmp/new.en"
wait $locker
[ "$(db_state "$tmp/wait.db")" = "ok 11" ] || fail "after waiting out the lock: $(db_state "$tmp/wait.db")"

# a bad busy timeout is a usage error, before anything is opened
export SELARAS_BUSY_TIMEOUT=soon
expect_status 2 "bad SELARAS_BUSY_TIMEOUT" -- selaras stats --db "$db"
expect_stderr "SELARAS_BUSY_TIMEOUT='soon' is not a number of seconds"
unset SELARAS_BUSY_TIMEOUT
row "after the lock" 0 "" "$db" -- selaras stats --db "$db"
[ "$(db_state "$db")" = "ok 10" ] || fail "after the lock: $(db_state "$db")"

# disk full, 1: a file size limit.  The add of 2000 new pairs needs far more
# than 64 KB of journal; the limit makes the write fail (EFBIG).
awk 'BEGIN { for (i = 1; i <= 2000; i++) printf "Kalimat nomor %d berisi kata-kata yang cukup panjang.\n\n", i }' >"$tmp/many.id"
awk 'BEGIN { for (i = 1; i <= 2000; i++) printf "Sentence number %d holds quite a few long words.\n\n", i }' >"$tmp/many.en"
row "file size limit, add" 1 "tm.db: cannot .*\(File too large\|writing to the disk failed\).*free some space and try again" "$db" -- \
    sh -c 'ulimit -f 64 && exec "$@"' sh ${SELARAS_WRAPPER:-} "$SELARAS" add --db "$db" "$tmp/many.id" "$tmp/many.en"
cp "$db" "$tmp/big.db"
"$SELARAS" add --db "$tmp/big.db" "$tmp/many.id" "$tmp/many.en" >/dev/null || fail "add of 2000 pairs"
row "file size limit, export" 1 "big.tmx: .*File too large" "$tmp/big.db" -- \
    sh -c 'ulimit -f 200 && exec "$@"' sh ${SELARAS_WRAPPER:-} "$SELARAS" export --db "$tmp/big.db" -o "$tmp/big.tmx"
[ -e "$tmp/big.tmx" ] && fail "a partial export is under the final name"
ls "$tmp" | grep -q 'tmx.tmp-' && fail "a partial export was left behind: $(ls "$tmp")"

# disk full, 2: a 1 MB file system, when this user may mount one in a
# private mount namespace (root in most containers)
if command -v unshare >/dev/null 2>&1 && unshare -m sh -c "mount -t tmpfs -o size=1m none '$tmp'" 2>/dev/null; then
    cp "$db" "$tmp/full.db"
    cp "$tmp/full.db" "$tmp/full.before"
    # shellcheck disable=SC2016
    unshare -m sh -c 'mkdir "$1/mnt" && mount -t tmpfs -o size=1m none "$1/mnt" && cp "$1/full.db" "$1/mnt/" &&
        cd "$1/mnt" && ${SELARAS_WRAPPER:-} "$SELARAS" add --db full.db "$1/many.id" "$1/many.en" 2>"$1/full.err";
        echo $? >"$1/full.status"; cp full.db "$1/full.db"; ls >"$1/full.ls";
        ${SELARAS_WRAPPER:-} "$SELARAS" export --db "$1/big.db" -o big.tmx 2>"$1/fullx.err"; echo $? >"$1/fullx.status";
        ls >>"$1/full.ls"' sh "$tmp"
    [ "$(cat "$tmp/full.status")" = 1 ] || fail "full disk, add: status $(cat "$tmp/full.status")"
    grep -q "full.db: cannot .*: the disk is full (free some space and try again)" "$tmp/full.err" ||
        grep -q "full.db: cannot .*No space left on device (free some space and try again)" "$tmp/full.err" ||
        fail "full disk, add: $(cat "$tmp/full.err")"
    cmp -s "$tmp/full.before" "$tmp/full.db" || fail "full disk, add: the database changed"
    [ "$(db_state "$tmp/full.db")" = "ok 10" ] || fail "full disk, add: $(db_state "$tmp/full.db")"
    [ "$(cat "$tmp/fullx.status")" = 1 ] || fail "full disk, export: status $(cat "$tmp/fullx.status")"
    grep -q "big.tmx: .*No space left on device" "$tmp/fullx.err" || fail "full disk, export: $(cat "$tmp/fullx.err")"
    [ "$(grep -c . "$tmp/full.ls")" -eq 2 ] || fail "full disk: files left behind: $(cat "$tmp/full.ls")"
else
    echo "note: cannot mount a small tmpfs here; disk full is tested with ulimit -f only"
fi
finish
