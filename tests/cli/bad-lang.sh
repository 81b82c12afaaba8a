#!/bin/sh
# Bad-input matrix, language codes.  errors.sh has an unknown and a
# malformed code given to add; these are the other commands and shapes, and
# codes that do not match what the TM holds.
. "$TOP_SRCDIR/tests/cli/lib.sh"
. "$TOP_SRCDIR/tests/cli/bad-lib.sh"
db="$tmp/tm.db"
make_tm "$db"
q="Presiden Rusia Vladimir Putin mengatakan."

row "unknown, segment" 1 "unknown language code 'zz'" "$db" -- selaras segment --lang zz "$ID_TXT"
row "unknown, align" 1 "unknown language code 'qqq'" "$db" -- selaras align --tgt-lang qqq "$ID_TXT" "$EN_TXT"
row "unknown, lookup" 1 "unknown language code 'xx'" "$db" -- selaras lookup --db "$db" --src-lang xx "$q"
row "unknown, export" 1 "unknown language code 'zz-ID'" "$db" -- selaras export --db "$db" --src-lang zz-ID --tgt-lang en
row "unknown region is fine, primary not" 1 "unknown language code 'qq-US'" "$db" -- selaras add --db "$db" --tgt-lang qq-US "$ID_TXT" "$EN_TXT"
for code in "" "-" "e" "english" "en-" "en--us" "1d" "id en" "id;drop table units" "x-klingon" \
    "en-abcdefghi" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" "íd"; do
    row "malformed '$code'" 1 "malformed language code '$code'" "$db" -- \
        selaras add --db "$db" --src-lang "$code" "$ID_TXT" "$EN_TXT"
done
row "malformed, lookup" 1 "malformed language code 'en_'" "$db" -- selaras lookup --db "$db" --tgt-lang en_ "$q"

# codes that are valid but do not match the TM (which holds id -> en)
row "pair not in the TM, lookup" 1 "tm.db: no translation units for ms -> de (the TM holds id -> en)" "$db" -- \
    selaras lookup --db "$db" --src-lang ms --tgt-lang de "$q"
# the stored pair read the other way round is not a mismatch
row "reversed pair, lookup" 0 "" "$db" -- \
    selaras lookup --db "$db" --src-lang en --tgt-lang id "Russian President Vladimir Putin said."
row "pair not in the TM, export" 1 "no translation units for fr -> en (the TM holds id -> en)" "$db" -- \
    selaras export --db "$db" --src-lang fr --tgt-lang en -o "$tmp/fr.tmx"
[ -e "$tmp/fr.tmx" ] && fail "export of a missing pair wrote a file"
ls "$tmp" | grep -q 'tmp-' && fail "export of a missing pair left a temporary file"
# a tag that only differs in case or separator is the same pair
row "case and separator" 0 "" "$db" -- selaras lookup --db "$db" --src-lang ID --tgt-lang EN "$q"
# an empty TM has no pair to mismatch: no matches, no error
cp "$db" "$tmp/empty.db"
"$SQLITE3" "$tmp/empty.db" 'delete from occurrences; delete from units; delete from segments; delete from documents'
row "empty TM" 0 "" "$tmp/empty.db" -- selaras lookup --db "$tmp/empty.db" --src-lang ms --tgt-lang de "$q"
[ -s "$tmp/out" ] && fail "empty TM gave matches: $(cat "$tmp/out")"

# adding the texts under other codes is a different pair, not a mismatch
expect_status 0 "same texts, new pair" -- selaras add --db "$db" --src-lang ms --tgt-lang en-GB "$ID_TXT" "$EN_TXT"
[ "$(db_state "$db")" = "ok 20" ] || fail "new pair: $(db_state "$db")"
row "pair list" 1 "no translation units for fr -> de (the TM holds id -> en, ms -> en-gb)" "$db" -- \
    selaras lookup --db "$db" --src-lang fr --tgt-lang de "$q"
finish
