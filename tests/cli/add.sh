#!/bin/sh
# selaras add: the sample pair goes into a fresh TM once, with provenance.
. "$TOP_SRCDIR/tests/cli/lib.sh"
db="$tmp/tm.db"
q() { sqlite3 -batch -noheader "$db" "$1"; }

expect_status 0 "add" -- selaras add --db "$db" --src-lang id --tgt-lang en "$ID_TXT" "$EN_TXT"
grep -q '10 pairs stored (10 new units, 0 already in the TM)' "$tmp/out" || fail "add summary: $(cat "$tmp/out")"

[ "$(q 'select count(*) from documents')" = 1 ] || fail "expected 1 document"
[ "$(q 'select count(*) from units')" = 10 ] || fail "expected 10 units"
[ "$(q "select src_path = '$ID_TXT' and tgt_path = '$EN_TXT' and src_lang = 'id' and tgt_lang = 'en' from documents")" = 1 ] ||
    fail "document row: $(q 'select * from documents')"
sha_id=$(sha256sum "$ID_TXT" | cut -d' ' -f1)
[ "$(q 'select src_sha256 from documents')" = "$sha_id" ] || fail "source checksum is not the SHA-256 of the file"
[ "$(q "select count(*) from documents where added_at glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'")" = 1 ] ||
    fail "added_at is not an ISO 8601 UTC time: $(q 'select added_at from documents')"
[ "$(q 'select count(*) from occurrences where score between 0 and 1')" = 10 ] || fail "every pair needs a score in [0,1]"

# the stored pairs are exactly the hand-written sentence pairs, in order
q "select s.text || char(9) || t.text from units u join segments s on s.id = u.src_segment
   join segments t on t.id = u.tgt_segment order by u.id" >"$tmp/stored"
grep . "$DATA/article.id.sents" >"$tmp/id"
grep . "$DATA/article.en.sents" >"$tmp/en"
paste "$tmp/id" "$tmp/en" >"$tmp/expected"
expect_same "$tmp/expected" "$tmp/stored" "stored units"

# adding the same pair again adds nothing and says so
expect_status 0 "re-add" -- selaras add --db "$db" "$ID_TXT" "$EN_TXT"
grep -q 'nothing added' "$tmp/out" || fail "re-add should say nothing was added: $(cat "$tmp/out")"
[ "$(q 'select count(*) from units')" = 10 ] || fail "re-add changed the unit count"
[ "$(q 'select count(*) from documents')" = 1 ] || fail "re-add changed the document count"

# the same texts under other names are the same document (content checksum)
cp "$ID_TXT" "$tmp/copy.id.txt"; cp "$EN_TXT" "$tmp/copy.en.txt"
expect_status 0 "re-add copies" -- selaras add --db "$db" "$tmp/copy.id.txt" "$tmp/copy.en.txt"
grep -q 'nothing added' "$tmp/out" || fail "copies of the same texts should add nothing"

# an edited translation is a new document: shared pairs are not duplicated
sed 's/The Russian leader expressed his confidence/The Russian leader voiced his confidence/' "$EN_TXT" >"$tmp/edited.en.txt"
expect_status 0 "add edited" -- selaras add --db "$db" "$ID_TXT" "$tmp/edited.en.txt"
grep -q '10 pairs stored (1 new units, 9 already in the TM)' "$tmp/out" || fail "edited add summary: $(cat "$tmp/out")"
[ "$(q 'select count(*) from units')" = 11 ] || fail "expected 11 units after the edited translation"
[ "$(q 'select count(*) from documents')" = 2 ] || fail "expected 2 documents"

# the default database: $SELARAS_DB, else ./selaras.db
(cd "$tmp" && SELARAS_DB="$tmp/env.db" selaras add "$ID_TXT" "$EN_TXT" >/dev/null 2>&1) || fail "add with SELARAS_DB"
[ -f "$tmp/env.db" ] || fail "SELARAS_DB was not used"
mkdir "$tmp/cwd"
(cd "$tmp/cwd" && selaras add "$ID_TXT" "$EN_TXT" >/dev/null 2>&1) || fail "add with the default database"
[ -f "$tmp/cwd/selaras.db" ] || fail "the default database is not ./selaras.db"
finish
