#!/bin/sh
# selaras merge, list-docs and delete: merging shard TMs gives the TM of a
# single build (same units, same counts, provenance and props kept); list-docs
# shows every kind of document; delete removes a document and the units that
# only it yielded.
. "$TOP_SRCDIR/tests/cli/lib.sh"
SQLITE3=${SQLITE3:-sqlite3}
command -v "$SQLITE3" >/dev/null 2>&1 || { echo "SKIP: no sqlite3 program"; exit 77; }
TMX="$DATA/tmx"

cat >"$tmp/two.tmx" <<'EOF2'
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"
 adminlang="en" srclang="id" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="id"><seg>Lihat <ph x="2">&lt;img src="peta.png"/&gt;</ph> peta <hi type="italic">di bawah</hi> ini.</seg></tuv>
<tuv xml:lang="en-GB"><seg>See the map <hi type="italic">below</hi> <ph x="2">&lt;img src="peta.png"/&gt;</ph>.</seg></tuv></tu>
<tu><note>kedua</note><tuv xml:lang="id"><seg>Kami tiba pukul 10.</seg></tuv><tuv xml:lang="en-GB"><seg>We arrived at ten.</seg></tuv></tu>
</body></tmx>
EOF2
printf '%s\n' '{"id":"j1","src":"Kami tiba pukul 10.","tgt":"We arrived at ten.","src_lang":"id","tgt_lang":"en-gb","score":0.9}' \
    '{"id":"j1","src":"Satu lagi.","tgt":"One more."}' >"$tmp/j.jsonl"

# shard A: the article pair and inline.tmx; shard B: inline.tmx again, two.tmx, JSON lines
selaras add --db "$tmp/a.db" "$ID_TXT" "$EN_TXT" >/dev/null || fail "add to a.db"
selaras import --db "$tmp/a.db" "$TMX/inline.tmx" >/dev/null || fail "import to a.db"
selaras import --db "$tmp/b.db" "$TMX/inline.tmx" "$tmp/two.tmx" >/dev/null || fail "import to b.db"
selaras import --db "$tmp/b.db" --jsonl "$tmp/j.jsonl" >/dev/null || fail "jsonl to b.db"
# the same, in one TM
one="$tmp/one.db"
selaras add --db "$one" "$ID_TXT" "$EN_TXT" >/dev/null || fail "add to one.db"
selaras import --db "$one" "$TMX/inline.tmx" "$tmp/two.tmx" >/dev/null || fail "import to one.db"
selaras import --db "$one" --jsonl "$tmp/j.jsonl" >/dev/null || fail "jsonl to one.db"

m="$tmp/merged.db"
expect_status 0 "merge" -- selaras merge --db "$m" "$tmp/a.db" "$tmp/b.db"
grep -q "^$m: 5 documents merged (1 already there), 17 pairs (15 new units, 2 already in the TM)\$" "$tmp/out" ||
    fail "merge summary: $(cat "$tmp/out")"
# units with their documents, counts, scores and props: as in the single build
summary() {
    "$SQLITE3" "$1" "select s.lang, t.lang, s.markup, s.text, t.text,
        (select group_concat(d.kind || ':' || d.src_path || ':' || o.position || ':' || o.bead || ':' || o.score || ':' || ifnull(o.tuid, ''), ' ')
           from occurrences o join documents d on d.id = o.document where o.unit = u.id),
        (select group_concat(a.level || a.kind || ifnull(a.type, '') || '=' || a.value, ' ')
           from occurrences o join annotations a on a.document = o.document and a.position = o.position where o.unit = u.id)
      from units u join segments s on s.id = u.src_segment join segments t on t.id = u.tgt_segment
      order by s.text, t.text"
}
summary "$one" >"$tmp/one.txt"
summary "$m" >"$tmp/merged.txt"
expect_same "$tmp/one.txt" "$tmp/merged.txt" "the merged TM against a single build"
[ "$("$SQLITE3" "$one" 'select count(*) from units')" = 15 ] || fail "expected 15 units in the single build"
for db in "$one" "$m"; do
    "$SQLITE3" "$db" "select count(*) from documents; select count(*) from segments; select count(*) from annotations" >"$tmp/counts.$(basename "$db")"
done
expect_same "$tmp/counts.one.db" "$tmp/counts.merged.db" "document, segment and annotation counts"
# exports equal apart from dates and unit order
selaras export --db "$m" --no-provenance -o "$tmp/m.tmx" >/dev/null || fail "export merged"
selaras lookup --db "$m" --src-lang id --tgt-lang en-gb --format json "Kami tiba pukul 10." >"$tmp/lookup.json" || fail "lookup in merged"
grep -q '"percent":100' "$tmp/lookup.json" || fail "lookup in the merged TM: $(cat "$tmp/lookup.json")"

# merging again adds nothing; a bad input changes nothing
fp=$(fingerprint "$m")
expect_status 0 "merge again" -- selaras merge --db "$m" "$tmp/a.db" "$tmp/b.db"
grep -q "0 documents merged (6 already there), 0 pairs" "$tmp/out" || fail "second merge: $(cat "$tmp/out")"
echo "not a database" >"$tmp/junk.db"
expect_status 1 "merge a non-TM" -- selaras merge --db "$m" "$tmp/a.db" "$tmp/junk.db"
expect_stderr "^selaras: $tmp/junk.db: not a selaras translation memory\$"
expect_status 1 "merge a missing TM" -- selaras merge --db "$m" "$tmp/none.db"
expect_stderr "$tmp/none.db: no such translation memory"
[ "$("$SQLITE3" "$m" 'select count(*) from units')" = 15 ] || fail "a failed merge changed the TM"
expect_status 2 "merge without inputs" -- selaras merge --db "$m"

# ---- list-docs
expect_status 0 "list-docs" -- selaras list-docs --db "$m"
cut -f1-5,7,8 "$tmp/out" >"$tmp/got"
printf 'id\tkind\tsrc_lang\ttgt_lang\tunits\tsrc_path\ttgt_path\n' >"$tmp/want"
printf '1\tpair\tid\ten\t10\t%s\t%s\n' "$ID_TXT" "$EN_TXT" >>"$tmp/want"
printf '2\ttmx\t*all*\t*all*\t3\t%s\t%s\n' "$TMX/inline.tmx" "$TMX/inline.tmx" >>"$tmp/want"
printf '3\ttmx\t*all*\t*all*\t2\t%s\t%s\n' "$tmp/two.tmx" "$tmp/two.tmx" >>"$tmp/want"
printf '4\tjsonl\tid\ten-gb\t1\tj1\tj1\n5\tjsonl\tid\ten\t1\tj1\tj1\n' >>"$tmp/want"
expect_same "$tmp/want" "$tmp/got" "list-docs TSV"
[ "$(cut -f9 "$tmp/out" | sed -n 3p)" = "$(sha256sum <"$TMX/inline.tmx" | cut -d' ' -f1)" ] || fail "list-docs: the TMX checksum"
expect_status 0 "list-docs json" -- selaras list-docs --db "$m" --format json
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert [x["id"] for x in d] == [1, 2, 3, 4, 5], d; assert d[2]["kind"] == "tmx" and d[2]["units"] == 2, d[2]' "$tmp/out" ||
        fail "list-docs JSON: $(cat "$tmp/out")"
fi

# ---- delete: two.tmx gave two units, which inline.tmx and the JSON lines gave too
expect_status 0 "delete" -- selaras delete --db "$m" --doc 3
grep -q "document 3 deleted: 0 units removed, 2 kept (another document also has them), 0 segments removed" "$tmp/out" ||
    fail "delete summary: $(cat "$tmp/out")"
[ "$("$SQLITE3" "$m" 'select count(*) from units')" = 15 ] || fail "units after delete"
[ "$("$SQLITE3" "$m" "select count(*) from annotations where value = 'kedua'")" = 0 ] || fail "the note of the deleted document stayed"
[ "$("$SQLITE3" "$m" "select count(*) from documents where id = 3")" = 0 ] || fail "the document stayed"
# now only the JSON lines give "Kami tiba pukul 10."
expect_status 0 "delete the JSON lines document" -- selaras delete --db "$m" --doc 4
grep -q "1 units removed, 0 kept (another document also has them), 2 segments removed" "$tmp/out" ||
    fail "delete 4: $(cat "$tmp/out")"
[ "$("$SQLITE3" "$m" "select count(*) from segments where text like 'Kami tiba%' or text like 'We arrived%'")" = 0 ] ||
    fail "unused segments stayed"
[ "$("$SQLITE3" "$m" 'pragma integrity_check')" = ok ] || fail "integrity check after delete"
[ "$("$SQLITE3" "$m" 'pragma foreign_key_check' | wc -l)" -eq 0 ] || fail "foreign keys after delete"
fp=$(fingerprint "$m")
expect_status 1 "delete a missing document" -- selaras delete --db "$m" --doc 99
expect_stderr "^selaras: $m: no document 99 ('selaras list-docs' lists them)\$"
[ "$(fingerprint "$m")" = "$fp" ] || fail "a failed delete changed the TM"
expect_status 2 "delete without --doc" -- selaras delete --db "$m"
expect_status 2 "delete --doc abc" -- selaras delete --db "$m" --doc abc
expect_status 1 "delete from a missing TM" -- selaras delete --db "$tmp/none.db" --doc 1
[ -e "$tmp/none.db" ] && fail "delete created a TM"
# deleting everything leaves an empty, consistent TM
for id in 1 2 5; do selaras delete --db "$m" --doc $id >/dev/null || fail "delete $id"; done
[ "$("$SQLITE3" "$m" 'select (select count(*) from units) + (select count(*) from segments) + (select count(*) from occurrences) + (select count(*) from annotations)')" = 0 ] ||
    fail "rows left after deleting every document"
finish
