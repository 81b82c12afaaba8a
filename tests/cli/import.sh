#!/bin/sh
# selaras import: TMX 1.1-1.4, UTF-8 and UTF-16, inline markup, props and
# notes kept, multilingual units, --skip-bad, deduplication, re-import, the
# round trip export -> import -> export, and JSON lines.
. "$TOP_SRCDIR/tests/cli/lib.sh"
SQLITE3=${SQLITE3:-sqlite3}
command -v "$SQLITE3" >/dev/null 2>&1 || { echo "SKIP: no sqlite3 program"; exit 77; }
TMX="$DATA/tmx"
q() { "$SQLITE3" "$db" "$1"; }

# ---- a TMX 1.4 file with inline markup, props, notes, dates
db="$tmp/tm.db"
expect_status 0 "import inline.tmx" -- selaras import --db "$db" "$TMX/inline.tmx"
expect_same /dev/null "$tmp/err" "stderr of a clean import"
grep -q "document 1: $TMX/inline.tmx: 4 units read, 3 pairs stored (3 new units, 0 already in the TM), 1 without the language pair" "$tmp/out" ||
    fail "import summary: $(cat "$tmp/out")"

cat >"$tmp/want" <<'WANT'
id|1|Presiden <bpt i="1" x="1">&lt;b&gt;</bpt>Joko Widodo<ept i="1">&lt;/b&gt;</ept> tiba di Jakarta.|Presiden Joko Widodo tiba di Jakarta.
en-gb|1|President <bpt i="1" x="1">&lt;b&gt;</bpt>Joko Widodo<ept i="1">&lt;/b&gt;</ept> arrived in Jakarta.|President Joko Widodo arrived in Jakarta.
id|1|Lihat <ph x="2">&lt;img src="peta.png"/&gt;</ph> peta <hi type="italic">di bawah</hi> ini.|Lihat peta di bawah ini.
en-gb|1|See the map <hi type="italic">below</hi> <ph x="2">&lt;img src="peta.png"/&gt;</ph>.|See the map below .
id|1|Harga naik <it pos="begin">&lt;span&gt;</it>5%<ut>&lt;/span&gt;</ut> pekan ini.|Harga naik 5% pekan ini.
en-gb|1|Prices rose <bpt i="3">&lt;a title="<sub>catatan</sub>"&gt;</bpt>5%<ept i="3">&lt;/a&gt;</ept> this week &amp; more.|Prices rose 5% this week & more.
WANT
q "select lang, markup, replace(replace(text, char(10), ' '), '        ', ''), norm from segments order by id" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "segments (stored text with markup, norm without)"

cat >"$tmp/want" <<'WANT'
0|berita-1|2024-01-05T08:15:00Z|budi|2024-01-06T09:00:00Z|sari|1-1|1.0
1|berita-2|||||1-1|1.0
2|berita-3|||||1-1|1.0
WANT
q "select position, tuid, creation_date, creation_id, change_date, change_id, bead, score from occurrences order by position" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "occurrences (tuid, dates, ids)"

cat >"$tmp/want" <<'WANT'
0|0|tu|note|||checked by the editor
0|1|tu|prop|x-domain||news
0|2|tu|prop|x-client|id|Koran
0|3|tgt|prop|x-reviewed||yes
WANT
q "select position, seq, level, kind, type, lang, value from annotations order by position, seq" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "props and notes"
[ "$(q "select kind || ' ' || src_lang || ' ' || tgt_lang || ' ' || length(src_sha256) from documents")" = "tmx *all* *all* 64" ] ||
    fail "the document row: $(q 'select * from documents')"
[ "$(q 'select src_sha256 from documents')" = "$(sha256sum <"$TMX/inline.tmx" | cut -d' ' -f1)" ] ||
    fail "the document's checksum is not the file's SHA-256"

# lookup matches on the text without markup
expect_status 0 "lookup of a tagged unit" -- selaras lookup --db "$db" --src-lang id --tgt-lang en-gb "Presiden Joko Widodo tiba di Jakarta."
grep -q "100%" "$tmp/out" || fail "no exact match for the text of a tagged segment: $(cat "$tmp/out")"

# ---- importing the same file again adds nothing (also under another name)
before=$(q 'select count(*) from units')/$(q 'select count(*) from occurrences')/$(q 'select count(*) from annotations')
cp "$TMX/inline.tmx" "$tmp/copy.tmx"
for f in "$TMX/inline.tmx" "$tmp/copy.tmx"; do
    expect_status 0 "import the same TMX again" -- selaras import --db "$db" "$f"
    grep -q "is already document 1; nothing added" "$tmp/out" || fail "re-import: $(cat "$tmp/out")"
done
[ "$(q 'select count(*) from units')/$(q 'select count(*) from occurrences')/$(q 'select count(*) from annotations')" = "$before" ] ||
    fail "re-importing changed the TM"
[ "$(q 'select count(*) from documents')" = 1 ] || fail "re-importing added a document"

# ---- TMX 1.1 with lang=, as UTF-16 with a byte order mark, and deduplication
cat >"$tmp/v11.tmx" <<'EOF2'
<?xml version="1.0" encoding="UTF-16"?>
<tmx version="1.1">
<header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="EN-US" srclang="ID" datatype="plaintext"/>
<body>
<tu><tuv lang="ID"><seg>Lihat <ph x="2">&lt;img src="peta.png"/&gt;</ph> peta <hi type="italic">di bawah</hi> ini.</seg></tuv>
<tuv lang="EN-GB"><seg>See the map <hi type="italic">below</hi> <ph x="2">&lt;img src="peta.png"/&gt;</ph>.</seg></tuv></tu>
<tu><tuv lang="ID"><seg>Kami tiba pukul 10.</seg></tuv><tuv lang="EN-GB"><seg>We arrived at ten.</seg></tuv></tu>
</body>
</tmx>
EOF2
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$tmp/v11.tmx"; } >"$tmp/v11-utf16.tmx" || exit 99
expect_status 0 "import TMX 1.1 in UTF-16" -- selaras import --db "$db" "$tmp/v11-utf16.tmx"
grep -q "2 units read, 2 pairs stored (1 new units, 1 already in the TM)" "$tmp/out" || fail "UTF-16 import: $(cat "$tmp/out")"
[ "$(q "select count(*) from segments where text = 'Kami tiba pukul 10.' and lang = 'id'")" = 1 ] ||
    fail "the UTF-16 unit is not stored with lang=id"
[ "$(q "select count(*) from occurrences where unit = 2")" = 2 ] || fail "the shared unit is not credited to both files"

# ---- multilingual units: srclang="*all*", pick the pair, either direction
cat >"$tmp/multi.tmx" <<'EOF2'
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"
 adminlang="en" srclang="*all*" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="en"><seg>Good morning.</seg></tuv><tuv xml:lang="id"><seg>Selamat pagi.</seg></tuv>
<tuv xml:lang="ms"><seg>Selamat pagi.</seg></tuv><tuv xml:lang="fr"><seg>Bonjour.</seg></tuv></tu>
<tu><tuv xml:lang="fr"><seg>Merci.</seg></tuv><tuv xml:lang="en-US"><seg>Thank you.</seg></tuv>
<tuv xml:lang="id-ID"><seg>Terima kasih.</seg></tuv></tu>
</body></tmx>
EOF2
db="$tmp/multi.db"
expect_status 0 "pick id -> en from multilingual units" -- selaras import --db "$db" --src-lang ID --tgt-lang en "$tmp/multi.tmx"
printf 'id|en|Selamat pagi.|Good morning.\nid-id|en-us|Terima kasih.|Thank you.\n' >"$tmp/want"
q "select s.lang, t.lang, s.text, t.text from units u join segments s on s.id = u.src_segment join segments t on t.id = u.tgt_segment order by u.id" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "the id->en pairs of the multilingual file"
expect_status 0 "the other direction is another document" -- selaras import --db "$db" --src-lang en --tgt-lang id "$tmp/multi.tmx"
grep -q "2 pairs stored (2 new units" "$tmp/out" || fail "en -> id: $(cat "$tmp/out")"
db="$tmp/multi-all.db"
expect_status 0 "every pair of the first tuv" -- selaras import --db "$db" "$tmp/multi.tmx"
grep -q "2 units read, 5 pairs stored" "$tmp/out" || fail "*all* without --src-lang: $(cat "$tmp/out")"

# ---- a bad unit: nothing imported, the line named; --skip-bad keeps the rest
cat >"$tmp/bad-unit.tmx" <<'EOF2'
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"
 adminlang="en" srclang="id" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="id"><seg>Satu.</seg></tuv><tuv xml:lang="en"><seg>One.</seg></tuv></tu>
<tu><tuv><seg>Dua.</seg></tuv><tuv xml:lang="en"><seg>Two.</seg></tuv></tu>
<tu creationdate="yesterday"><tuv xml:lang="id"><seg>Tiga.</seg></tuv><tuv xml:lang="en"><seg>Three.</seg></tuv></tu>
<tu><tuv xml:lang="id"><seg>Empat.</seg></tuv><tuv xml:lang="en"><seg>Four.</seg></tuv></tu>
</body></tmx>
EOF2
db="$tmp/bad.db"
selaras import --db "$db" "$TMX/inline.tmx" >/dev/null || fail "import into bad.db"
fp=$(fingerprint "$db")
expect_status 1 "a file with a bad unit" -- selaras import --db "$db" "$tmp/bad-unit.tmx"
expect_stderr "^selaras: $tmp/bad-unit.tmx:6: a tuv without a language (xml:lang or lang); nothing was imported (--skip-bad imports the other units)\$"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "more than one line of error"
[ "$(fingerprint "$db")" = "$fp" ] || fail "a failed import changed the TM"
expect_status 1 "--skip-bad" -- selaras import --db "$db" --skip-bad "$tmp/bad-unit.tmx"
expect_stderr "^selaras: $tmp/bad-unit.tmx:6: a tuv without a language (xml:lang or lang)\$"
expect_stderr "^selaras: $tmp/bad-unit.tmx:7: creationdate 'yesterday' is not a TMX date (YYYYMMDDThhmmssZ)\$"
grep -q "4 units read, 2 pairs stored (2 new units, 0 already in the TM), 2 bad units skipped" "$tmp/out" ||
    fail "--skip-bad summary: $(cat "$tmp/out")"
[ "$(q "select group_concat(t.text, ' ') from units u join segments t on t.id = u.tgt_segment where u.id > 3")" = "One. Four." ] ||
    fail "--skip-bad stored the wrong units"

# ---- round trip: export -> import into an empty TM -> export is the same
db="$tmp/rt.db"
selaras add --db "$db" "$ID_TXT" "$EN_TXT" >/dev/null || fail "add"
selaras import --db "$db" "$TMX/inline.tmx" >/dev/null || fail "import for the round trip"
expect_status 0 "export 1" -- selaras export --db "$db" -o "$tmp/rt1.tmx"
expect_status 0 "import the export" -- selaras import --db "$tmp/rt2.db" "$tmp/rt1.tmx"
grep -q "13 units read, 13 pairs stored (13 new units" "$tmp/out" || fail "round-trip import: $(cat "$tmp/out")"
expect_status 0 "export 2" -- selaras export --db "$tmp/rt2.db" -o "$tmp/rt2.tmx"
sed '/<header /s/creationdate="[0-9TZ]*"//' "$tmp/rt1.tmx" >"$tmp/rt1.cmp"
sed '/<header /s/creationdate="[0-9TZ]*"//' "$tmp/rt2.tmx" >"$tmp/rt2.cmp"
expect_same "$tmp/rt1.cmp" "$tmp/rt2.cmp" "the TMX exported after export -> import"
grep -q '<note>checked by the editor</note>' "$tmp/rt2.tmx" || fail "the note did not survive the round trip"
grep -q '<prop type="x-client" xml:lang="id">Koran</prop>' "$tmp/rt2.tmx" || fail "the prop did not survive"
grep -q 'creationid="budi" changedate="20240106T090000Z" changeid="sari"' "$tmp/rt2.tmx" || fail "tu attributes did not survive"
grep -q '<seg>Presiden <bpt i="1" x="1">&lt;b&gt;</bpt>Joko Widodo<ept i="1">&lt;/b&gt;</ept> tiba di Jakarta.</seg>' "$tmp/rt2.tmx" ||
    fail "the inline markup did not survive"
if [ -n "${XMLLINT:-}" ] && [ -n "${TMX_DTD:-}" ]; then
    "$XMLLINT" --noout --dtdvalid "$TMX_DTD" "$tmp/rt2.tmx" 2>"$tmp/xmllint.err" || fail "xmllint rejects the re-export"
    expect_same /dev/null "$tmp/xmllint.err" "xmllint's stderr"
fi
expect_status 0 "import the export again" -- selaras import --db "$tmp/rt2.db" "$tmp/rt1.tmx"
grep -q "already document 1; nothing added" "$tmp/out" || fail "second import of the export: $(cat "$tmp/out")"

# ---- usage
expect_status 2 "no file" -- selaras import --db "$db"
expect_status 1 "unknown language" -- selaras import --db "$db" --src-lang xx "$TMX/inline.tmx"
expect_stderr "unknown language code 'xx'"
finish
