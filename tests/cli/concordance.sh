#!/bin/sh
# selaras concordance: every unit containing a phrase (or all its words),
# highlighted, on either side and in either direction.
. "$TOP_SRCDIR/tests/cli/lib.sh"
db="$tmp/tm.db"
selaras add --db "$db" "$ID_TXT" "$EN_TXT" >/dev/null || fail "add failed"
tab=$(printf '\t')
id1=$(grep . "$DATA/article.id.sents" | sed -n 1p)
en1=$(grep . "$DATA/article.en.sents" | sed -n 1p)

# "Korea Utara" is in Indonesian sentences 1, 2, 4, 5 (twice) and 6; case does not matter
expect_status 0 "phrase" -- selaras concordance --db "$db" "korea utara"
[ "$(wc -l <"$tmp/out")" -eq 5 ] || fail "phrase: $(wc -l <"$tmp/out") units, expected 5"
[ "$(head -1 "$tmp/out" | cut -f1,2)" = "Presiden Rusia mengirim telegram kepada pemimpin [[Korea Utara]], menyatakan tahun 2025 mempunyai “makna khusus” bagi hubungan kedua negara.${tab}${en1}" ] ||
    fail "first unit: $(head -1 "$tmp/out")"
[ "$(grep -c '\[\[Korea Utara\]\].*\[\[Korea Utara\]\]' "$tmp/out")" -eq 1 ] || fail "sentence 5 should have two highlights"
head -1 "$tmp/out" | cut -f3 | grep -q 'article.id.txt$' || fail "document column: $(head -1 "$tmp/out")"

# the phrase needs its words in order; --words does not
expect_status 0 "phrase in order" -- selaras concordance --db "$db" "Putin mengatakan"
[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "'Putin mengatakan' as a phrase: $(cat "$tmp/out")"
expect_status 0 "words" -- selaras concordance --db "$db" --words "Putin mengatakan"
[ "$(wc -l <"$tmp/out")" -eq 2 ] || fail "--words: $(cat "$tmp/out")"
grep -q '^\[\[Putin\]\] juga \[\[mengatakan\]\], berkat' "$tmp/out" || fail "--words highlights: $(cat "$tmp/out")"

# the target side: "North Korean" in English sentences 1, 2, 5 and 6 (not "North Korea's")
expect_status 0 "target" -- selaras concordance --db "$db" --target "North Korean"
[ "$(wc -l <"$tmp/out")" -eq 4 ] || fail "--target: $(wc -l <"$tmp/out") units, expected 4"
[ "$(head -1 "$tmp/out" | cut -f1)" = "$id1" ] || fail "--target source column: $(head -1 "$tmp/out")"
head -1 "$tmp/out" | cut -f2 | grep -q '^The Russian president sent a telegram to the \[\[North Korean\]\] leader' ||
    fail "--target highlight: $(head -1 "$tmp/out")"

# the other direction, as JSON: byte offsets of the highlights
expect_status 0 "reversed json" -- selaras concordance --db "$db" --src-lang en --tgt-lang id --format json "north korean"
if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
assert len(m) == 4, len(m)
for u in m:
    assert u["reversed"] is True and u["side"] == "source" and u["src_lang"] == "en", u
    src = u["source"].encode("utf-8")
    assert u["highlights"], u
    for a, b in u["highlights"]:
        assert src[a:b].decode("utf-8").lower() == "north korean", (src[a:b], u)
assert m[0]["source"] == sys.argv[2] and m[0]["target"] == sys.argv[3], m[0]
' "$tmp/out" "$en1" "$id1" || fail "reversed json"
fi

expect_status 0 "limit" -- selaras concordance --db "$db" --limit 2 "Korea"
[ "$(wc -l <"$tmp/out")" -eq 2 ] || fail "--limit 2: $(wc -l <"$tmp/out")"
expect_status 0 "no match" -- selaras concordance --db "$db" "kucing hitam"
[ -s "$tmp/out" ] && fail "no match should print nothing: $(cat "$tmp/out")"
expect_status 0 "no match json" -- selaras concordance --db "$db" --format json "kucing hitam"
[ "$(cat "$tmp/out")" = "[]" ] || fail "empty json: $(cat "$tmp/out")"
expect_status 1 "no words" -- selaras concordance --db "$db" "“ ”"
expect_stderr "nothing to search for"
expect_status 2 "no phrase" -- selaras concordance --db "$db"
expect_status 1 "missing db" -- selaras concordance --db "$tmp/none.db" "Korea"
expect_stderr "none.db"
finish
