#!/bin/sh
# Import a TMX written by OmegaT 3.6 itself (Debian omegat): TMX 1.1 with
# lang= attributes, a DOCTYPE naming tmx11.dtd, and OmegaT's tag shortcuts
# (<b0>) as text.  OmegaT's console-translate mode does not save
# project_save.tmx, so the file comes from its console-createpseudotranslatetmx
# mode, OmegaT's own TMX writer (targets are copies of the sources).
. "$TOP_SRCDIR/tests/cli/lib.sh"
JAVA=${JAVA:-java}
OMEGAT_JAR=${OMEGAT_JAR:-/usr/share/omegat/OmegaT.jar}
SQLITE3=${SQLITE3:-sqlite3}
if ! command -v "$JAVA" >/dev/null 2>&1 || [ ! -f "$OMEGAT_JAR" ]; then
    echo "SKIP: OmegaT not installed (apt-get install omegat, or set JAVA and OMEGAT_JAR)"
    exit 77
fi
command -v "$SQLITE3" >/dev/null 2>&1 || { echo "SKIP: no sqlite3 program"; exit 77; }

proj="$tmp/proj"
mkdir "$proj" "$proj/source" "$proj/target" "$proj/tm" "$proj/glossary" "$proj/dictionary" \
    "$proj/omegat" "$tmp/cfg" "$tmp/home" "$tmp/javatmp" || exit 99
sed -n '/^<?xml/,/^<\/omegat>/p' "$TOP_SRCDIR/tests/interop/omegat.sh" >"$proj/omegat.project"
grep -q '<source_lang>id</source_lang>' "$proj/omegat.project" || { echo "no project file in omegat.sh" >&2; exit 99; }
printf 'Saya makan nasi.\n\nHarga naik lima persen.\n' >"$proj/source/a.txt"
printf '<html><body><p>Dia <b>pergi</b> ke pasar.</p></body></html>\n' >"$proj/source/b.html"

timeout=
command -v timeout >/dev/null 2>&1 && timeout="timeout 600"
HOME="$tmp/home" $timeout "$JAVA" -Djava.awt.headless=true -Duser.home="$tmp/home" \
    -Djava.io.tmpdir="$tmp/javatmp" -Dfile.encoding=UTF-8 -XX:-UsePerfData \
    -jar "$OMEGAT_JAR" "$proj" --mode=console-createpseudotranslatetmx \
    --pseudotranslatetmx="$tmp/omegat.tmx" --pseudotranslatetype=equal \
    --config-dir="$tmp/cfg" --disable-project-locking --quiet >"$tmp/omegat.out" 2>&1 ||
    fail "OmegaT exited with status $?: $(tail -5 "$tmp/omegat.out")"
[ -s "$tmp/omegat.tmx" ] || { fail "OmegaT wrote no TMX"; finish; }
grep -q '<tmx version="1.1">' "$tmp/omegat.tmx" || fail "OmegaT's TMX is not version 1.1"
grep -q '<tuv lang="id">' "$tmp/omegat.tmx" || fail "OmegaT's TMX has no lang= tuv"
grep -q 'creationtool="OmegaT"' "$tmp/omegat.tmx" || fail "the TMX was not written by OmegaT"

db="$tmp/tm.db"
expect_status 0 "import OmegaT's TMX" -- selaras import --db "$db" "$tmp/omegat.tmx"
grep -q "3 units read, 3 pairs stored (3 new units, 0 already in the TM)" "$tmp/out" || fail "import: $(cat "$tmp/out")"
cat >"$tmp/want" <<'WANT'
id|en|Dia <b0>pergi</b0> ke pasar.
id|en|Harga naik lima persen.
id|en|Saya makan nasi.
WANT
"$SQLITE3" "$db" "select s.lang, t.lang, s.text from units u join segments s on s.id = u.src_segment
  join segments t on t.id = u.tgt_segment where s.text = t.text and s.markup = 0 order by s.text" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "the units of OmegaT's TMX"
expect_status 0 "import OmegaT's TMX again" -- selaras import --db "$db" "$tmp/omegat.tmx"
grep -q "nothing added" "$tmp/out" || fail "re-import: $(cat "$tmp/out")"
finish
