#!/bin/sh
# Import a TMX written by translate-toolkit's po2tmx (Debian translate-toolkit):
# every translated PO entry becomes a unit, markup in the strings stays text,
# its notes are kept, and its wrong header srclang ("en" although the source
# is Indonesian) is overridden with --src-lang.
. "$TOP_SRCDIR/tests/cli/lib.sh"
PO2TMX=${PO2TMX:-/usr/bin/po2tmx}
SQLITE3=${SQLITE3:-sqlite3}
if [ ! -x "$PO2TMX" ]; then
    echo "SKIP: translate-toolkit not installed: no $PO2TMX (apt-get install translate-toolkit)"
    exit 77
fi
command -v "$SQLITE3" >/dev/null 2>&1 || { echo "SKIP: no sqlite3 program"; exit 77; }

cat >"$tmp/berita.po" <<'EOF2'
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

#: berita.html:1
msgid "Saya makan nasi."
msgstr "I eat rice."

# periksa lagi
#: berita.html:2
msgid "Dia <b>pergi</b> ke pasar & toko."
msgstr "She <b>went</b> to the market & shop."

msgid "Harga naik 5%  pekan ini."
msgstr "Prices rose 5% this week."

msgid "Belum diterjemahkan."
msgstr ""
EOF2
"$PO2TMX" -l en --source-language=id --comments=others --progress=none \
    "$tmp/berita.po" "$tmp/berita.tmx" >"$tmp/po2tmx.out" 2>&1 ||
    { fail "po2tmx failed: $(cat "$tmp/po2tmx.out")"; finish; }
grep -q 'creationtool="Translate Toolkit"' "$tmp/berita.tmx" || fail "po2tmx wrote no Translate Toolkit header"

db="$tmp/tm.db"
expect_status 0 "import po2tmx's TMX" -- selaras import --db "$db" --src-lang id --tgt-lang en "$tmp/berita.tmx"
grep -q "3 units read, 3 pairs stored (3 new units, 0 already in the TM)" "$tmp/out" || fail "import: $(cat "$tmp/out")"
cat >"$tmp/want" <<'WANT'
id|en|0|Saya makan nasi.|I eat rice.
id|en|0|Dia <b>pergi</b> ke pasar & toko.|She <b>went</b> to the market & shop.
id|en|0|Harga naik 5%  pekan ini.|Prices rose 5% this week.
WANT
"$SQLITE3" "$db" "select s.lang, t.lang, s.markup, s.text, t.text from units u join segments s on s.id = u.src_segment
  join segments t on t.id = u.tgt_segment order by u.id" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "the units of po2tmx's TMX"
[ "$("$SQLITE3" "$db" "select kind || ':' || value from annotations")" = "note:periksa lagi" ] ||
    fail "po2tmx's note was not kept: $("$SQLITE3" "$db" 'select * from annotations')"

# the text with markup-like characters matches as written; whitespace does not matter
expect_status 0 "lookup" -- selaras lookup --db "$db" --format json "Harga naik 5% pekan ini."
grep -q '"percent":100' "$tmp/out" || fail "no exact match across a double space: $(cat "$tmp/out")"

# exported again, the markup-like text is escaped once, and the note is back
expect_status 0 "export" -- selaras export --db "$db" -o "$tmp/again.tmx"
grep -q '<seg>Dia &lt;b&gt;pergi&lt;/b&gt; ke pasar &amp; toko.</seg>' "$tmp/again.tmx" || fail "re-export escapes differently"
grep -q '<note>periksa lagi</note>' "$tmp/again.tmx" || fail "re-export lost the note"

# without --src-lang the header's srclang ("en") decides, as TMX says
expect_status 0 "import following the header" -- selaras import --db "$tmp/en.db" "$tmp/berita.tmx"
[ "$("$SQLITE3" "$tmp/en.db" "select distinct s.lang from units u join segments s on s.id = u.src_segment")" = en ] ||
    fail "without --src-lang the source is not the header's srclang"
finish
