#!/bin/sh
# selaras import --jsonl: the JSON lines of `selaras align --jsonl` (see the
# cluster contract in README) go into the TM; bad lines are reported with
# their numbers and skipped; loading the same lines again adds nothing.
. "$TOP_SRCDIR/tests/cli/lib.sh"
SQLITE3=${SQLITE3:-sqlite3}
command -v "$SQLITE3" >/dev/null 2>&1 || { echo "SKIP: no sqlite3 program"; exit 77; }
db="$tmp/tm.db"
q() { "$SQLITE3" "$db" "$1"; }

cat >"$tmp/good.jsonl" <<'EOF2'
{"id":"berita-1","src":"Saya makan nasi.","tgt":"I eat rice.","score":0.97,"bead":"1-1","src_lang":"id","tgt_lang":"en","position":0}
{"id":"berita-1","src":"Dia pergi \"jauh\" sekali.","tgt":"She went \u0022far\u0022 \ud83d\ude00.","score":0.5,"bead":"2-1","src_lang":"id","tgt_lang":"en","position":2}

{"id":"berita-2","src":"Saya makan nasi.","tgt":"I eat rice.","score":0.9,"bead":"1-1","src_lang":"ID","tgt_lang":"en-US","position":0}
{"tgt":"We left.","src":"Kami pergi.","id":"berita-2","extra":[1]}
EOF2
expect_status 1 "a line with an array value" -- selaras import --db "$db" --jsonl "$tmp/good.jsonl"
expect_stderr "^selaras: $tmp/good.jsonl:5: values must be strings or numbers; line skipped\$"
sed -i 's/,"extra":\[1\]//' "$tmp/good.jsonl"
rm -f "$db" "$db-wal" "$db-shm"
expect_status 0 "good lines" -- selaras import --db "$db" --jsonl "$tmp/good.jsonl"
expect_same /dev/null "$tmp/err" "stderr"
grep -q "4 lines read, 4 pairs stored (4 new units, 0 already in the TM)" "$tmp/out" || fail "summary: $(cat "$tmp/out")"
# the last line names no languages: id -> en, so another document than
# berita-2 in id -> en-us
cat >"$tmp/want" <<'WANT'
berita-1|jsonl|id|en|0|Saya makan nasi.|I eat rice.|1-1|0.97
berita-1|jsonl|id|en|2|Dia pergi "jauh" sekali.|She went "far" 😀.|2-1|0.5
berita-2|jsonl|id|en-us|0|Saya makan nasi.|I eat rice.|1-1|0.9
berita-2|jsonl|id|en|0|Kami pergi.|We left.|1-1|1.0
WANT
q "select d.src_path, d.kind, s.lang, t.lang, o.position, s.text, t.text, o.bead, o.score from occurrences o
   join documents d on d.id = o.document join units u on u.id = o.unit join segments s on s.id = u.src_segment
   join segments t on t.id = u.tgt_segment order by o.document, o.position" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "documents, units and occurrences from JSON lines"

# the same lines again, from standard input: nothing added
before=$(q 'select count(*) from occurrences')
expect_status 0 "the same lines from stdin" -- sh -c "\"\$SELARAS\" import --db '$db' --jsonl - <'$tmp/good.jsonl'"
grep -q "4 lines read, 0 pairs stored (0 new units, 0 already in the TM), 4 of documents already in the TM" "$tmp/out" ||
    fail "second load: $(cat "$tmp/out")"
[ "$(q 'select count(*) from occurrences')" = "$before" ] || fail "loading again added occurrences"

# bad lines: each reported with its number, the good ones stored, exit status 1
printf '%s\n' \
    '{"id":"b","src":"Satu.","tgt":"One."}' \
    'not json' \
    '{"id":"b","src":"Dua."}' \
    '{"id":"b","src":"Tiga.","tgt":"Three.","score":1.5}' \
    '{"id":"b","src":"Empat.","tgt":"Four.","src_lang":"xx"}' \
    '{"id":"b","src":"Lima.","tgt":"Five.","position":0}' \
    '{"id":"b","src":"Enam.","tgt":"Six.","position":1.5}' \
    '{"id":"b","src":"Tujuh \ud800.","tgt":"Seven."}' \
    '{"id":"b","src":"Delapan.","tgt":"Eight."} trailing' \
    '{"id":"b","src":"Sembilan.","tgt":"Nine."}' >"$tmp/bad.jsonl"
printf '{"id":"b","src":"Sepuluh \377.","tgt":"Ten."}\n' >>"$tmp/bad.jsonl"
expect_status 1 "bad lines" -- selaras import --db "$db" --jsonl "$tmp/bad.jsonl"
for want in '2: not a JSON object' '3: no "src" and "tgt" strings' '4: "score" must be a number from 0 to 1' \
    '5: an invalid language code' "6: position 0 of document 'b' given twice" '7: "position" must be a whole number' \
    '8: a lone surrogate in a \\u escape' '9: text after the object' '11: invalid UTF-8'; do
    expect_stderr "^selaras: $tmp/bad.jsonl:$want; line skipped\$"
done
[ "$(wc -l <"$tmp/err")" -eq 9 ] || fail "expected 9 lines of errors, got $(wc -l <"$tmp/err")"
grep -q "11 lines read, 2 pairs stored (2 new units, 0 already in the TM), 9 bad lines skipped" "$tmp/out" ||
    fail "summary of the bad lines: $(cat "$tmp/out")"
[ "$(q "select group_concat(t.text, ' ') from occurrences o join documents d on d.id = o.document
      join units u on u.id = o.unit join segments t on t.id = u.tgt_segment where d.src_path = 'b'")" = "One. Nine." ] ||
    fail "the good lines of bad.jsonl were not stored"
[ "$(q 'pragma integrity_check')" = ok ] || fail "integrity check"
# The cluster route gives the TM that `add` gives: `align --jsonl |
# import --jsonl` of two pairs (the sample article, and the same with an
# added paragraph that has no translation, a 1-0 bead that keeps its
# position) stores the same units and, per document, the same positions,
# bead shapes and scores (to the four decimals of the JSON lines).
json_text() {
    awk 'BEGIN { ORS = "" } { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); if (NR > 1) print "\\n"; print }' "$1"
}
mkdir "$tmp/rt"
cp "$ID_TXT" "$tmp/rt/a.id.txt"; cp "$EN_TXT" "$tmp/rt/a.en.txt"; cp "$EN_TXT" "$tmp/rt/b.en.txt"
sed '3a\
\
Sementara itu, harga cabai rawit di pasar induk naik menjadi Rp75.000 per kilogram karena hujan deras.' "$ID_TXT" >"$tmp/rt/b.id.txt"
for d in a b; do
    printf '{"id":"%s","src":"%s","tgt":"%s"}\n' "$d" "$(json_text "$tmp/rt/$d.id.txt")" "$(json_text "$tmp/rt/$d.en.txt")"
done >"$tmp/rt/pairs.jsonl"
selaras align --format beads "$tmp/rt/b.id.txt" "$tmp/rt/b.en.txt" | grep -q '^3		' ||
    fail "the second pair should give a 1-0 bead"
selaras align --jsonl <"$tmp/rt/pairs.jsonl" >"$tmp/rt/aligned.jsonl" || fail "align --jsonl"
expect_status 0 "import --jsonl of align --jsonl" -- selaras import --db "$tmp/rt/jsonl.db" --jsonl "$tmp/rt/aligned.jsonl"
expect_status 0 "add --batch of the same pairs" -- selaras add --db "$tmp/rt/add.db" --batch "$tmp/rt"
UNITS="select s.lang, t.lang, s.text, t.text from units u join segments s on s.id = u.src_segment
       join segments t on t.id = u.tgt_segment order by 1, 2, 3, 4"
OCC="select d.id, o.position, o.bead, printf('%.4f', o.score), s.text, t.text from occurrences o
     join documents d on d.id = o.document join units u on u.id = o.unit
     join segments s on s.id = u.src_segment join segments t on t.id = u.tgt_segment order by 1, 2"
for what in UNITS OCC; do
    eval "sql=\$$what"
    "$SQLITE3" "$tmp/rt/add.db" "$sql" >"$tmp/rt/add.$what"
    "$SQLITE3" "$tmp/rt/jsonl.db" "$sql" >"$tmp/rt/jsonl.$what"
    [ -s "$tmp/rt/add.$what" ] || fail "add stored no $what"
    expect_same "$tmp/rt/add.$what" "$tmp/rt/jsonl.$what" "$what of align --jsonl | import --jsonl"
done
"$SQLITE3" "$tmp/rt/jsonl.db" "select position from occurrences where document = 2 order by 1" | tr '\n' ' ' |
    grep -q '^0 1 2 4 ' || fail "the 1-0 bead's position should be skipped in document b"

expect_status 2 "--jsonl with two files" -- selaras import --db "$db" --jsonl "$tmp/good.jsonl" "$tmp/bad.jsonl"
finish
