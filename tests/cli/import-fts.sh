#!/bin/sh
# Writes (add, TMX and JSON-lines import, merge) fill the full-text index
# once at the commit instead of per segment through its trigger: afterwards
# the index must hold exactly the stored segments, the trigger must be back
# as it was, and a failed import must leave both untouched.
. "$TOP_SRCDIR/tests/cli/lib.sh"
SQLITE3=${SQLITE3:-sqlite3}
command -v "$SQLITE3" >/dev/null 2>&1 || { echo "SKIP: no sqlite3 program"; exit 77; }
db="$tmp/tm.db"
q() { "$SQLITE3" "$db" "$1"; }
# the index against its content table, row by row; an error if they differ
fts_ok() {
    out=$("$SQLITE3" "$db" "INSERT INTO segments_fts (segments_fts, rank) VALUES ('integrity-check', 1);
        SELECT count(*) = (SELECT count(*) FROM segments) FROM segments_fts_docsize" 2>&1)
    [ "$out" = 1 ] || fail "$1: full-text index differs from the segments: $out"
}
trigger() { q "select sql from sqlite_schema where type = 'trigger' and name = 'segments_fts_insert'"; }

# segments already there, indexed by the trigger
expect_status 0 "add" -- selaras add --db "$db" "$ID_TXT" "$EN_TXT"
want_trigger=$(trigger)
[ -n "$want_trigger" ] || fail "no segments_fts_insert trigger in a new TM"
fts_ok "after add"

expect_status 0 "import inline.tmx" -- selaras import --db "$db" "$DATA/tmx/inline.tmx"
fts_ok "after a TMX import"
[ "$(trigger)" = "$want_trigger" ] || fail "trigger after import: $(trigger)"
# words found only in the imported file, and in the earlier article
expect_status 0 "concordance on imported text" -- selaras concordance --db "$db" --src-lang id --tgt-lang en-gb "peta"
grep -q "peta" "$tmp/out" || fail "concordance does not find imported text: $(cat "$tmp/out")"
expect_status 0 "concordance on added text" -- selaras concordance --db "$db" "Vladimir Putin"
grep -q "Putin" "$tmp/out" || fail "concordance does not find added text: $(cat "$tmp/out")"

printf '%s\n' '{"id":"j","src":"Kucing hitam tidur.","tgt":"The black cat sleeps."}' >"$tmp/a.jsonl"
expect_status 0 "import --jsonl" -- selaras import --db "$db" --jsonl "$tmp/a.jsonl"
fts_ok "after a JSON-lines import"
[ "$(q "select count(*) from segments_fts where segments_fts match 'kucing'")" = 1 ] ||
    fail "the JSON-lines segment is not in the index"
[ "$(trigger)" = "$want_trigger" ] || fail "trigger after a JSON-lines import"

# a file that fails half way: nothing of it, index and trigger as before
before=$(q 'select count(*) from segments_fts_docsize')
sed 's/Lihat/Zebra Lihat/; s/<\/body>//' "$DATA/tmx/inline.tmx" >"$tmp/bad.tmx"
expect_status 1 "a broken TMX" -- selaras import --db "$db" "$tmp/bad.tmx"
[ "$(q 'select count(*) from segments_fts_docsize')" = "$before" ] || fail "failed import changed the index"
[ "$(trigger)" = "$want_trigger" ] || fail "trigger after a failed import"
fts_ok "after a failed import"

# the trigger works again for later writes
printf 'Anjing putih berlari.\n' >"$tmp/s.txt"
printf 'The white dog runs.\n' >"$tmp/t.txt"
expect_status 0 "add after imports" -- selaras add --db "$db" "$tmp/s.txt" "$tmp/t.txt"
[ "$(q "select count(*) from segments_fts where segments_fts match 'anjing'")" = 1 ] ||
    fail "a segment added after the imports is not indexed"
fts_ok "after a later add"

# merge goes through the same bulk path
expect_status 0 "merge" -- selaras merge --db "$tmp/merged.db" "$db"
db="$tmp/merged.db"
fts_ok "after merge"
[ "$(trigger)" = "$want_trigger" ] || fail "trigger after merge"
[ "$(q "select count(*) from segments_fts where segments_fts match 'anjing OR kucing'")" = 2 ] ||
    fail "merged segments are not in the index"
finish
