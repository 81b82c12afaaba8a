#!/bin/sh
# Import TMX written by OmegaT 3.6 itself (Debian omegat): TMX 1.1 with lang=
# attributes, a DOCTYPE naming tmx11.dtd, comments, and OmegaT's tag
# shortcuts (<b0>) as text.
#
# 1. A real project_save.tmx.  selaras exports a TM into the project's
#    tm/auto/; OmegaT's console-translate mode applies it as the project's
#    translations but never saves the project (saveProject() needs the main
#    window), so a --script hook run after compiling calls the one step of
#    saveProject() that writes omegat/project_save.tmx, ProjectTMX.save().
#    Importing that file must give back the TM's pairs, the inline-tag unit
#    included, and not the untranslated sentence.
#    console-translate also exports the project's translations as TMX 1.4
#    with real inline tags (PROJECT-level2.tmx): its <bpt>/<ept> unit must be
#    stored with its markup and exported unchanged.
# 2. OmegaT's console-createpseudotranslatetmx mode (targets = sources).
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
mkdir "$proj" "$proj/source" "$proj/target" "$proj/tm" "$proj/tm/auto" "$proj/glossary" \
    "$proj/dictionary" "$proj/omegat" "$tmp/cfg" "$tmp/home" "$tmp/javatmp" || exit 99
sed -n '/^<?xml/,/^<\/omegat>/p' "$TOP_SRCDIR/tests/interop/omegat.sh" >"$proj/omegat.project"
grep -q '<source_lang>id</source_lang>' "$proj/omegat.project" || { echo "no project file in omegat.sh" >&2; exit 99; }
printf 'Saya makan nasi.\n\nHarga naik lima persen.\n' >"$proj/source/a.txt"
printf '<html><body><p>Dia <b>pergi</b> ke pasar.</p></body></html>\n' >"$proj/source/b.html"

timeout=
command -v timeout >/dev/null 2>&1 && timeout="timeout 600"
omegat() {
    HOME="$tmp/home" $timeout "$JAVA" -Djava.awt.headless=true -Duser.home="$tmp/home" \
        -Djava.io.tmpdir="$tmp/javatmp" -Dfile.encoding=UTF-8 -XX:-UsePerfData \
        -jar "$OMEGAT_JAR" "$proj" --config-dir="$tmp/cfg" --disable-project-locking --quiet "$@"
}

# ---- 1. project_save.tmx
# The TM: two pairs, one of them with OmegaT's shortcuts for the <b> of b.html
# (the form in which OmegaT shows, matches and stores that segment).
printf 'Saya makan nasi.\nDia <b0>pergi</b0> ke pasar.\n' >"$tmp/tm.id"
printf 'I eat rice.\nShe <b0>went</b0> to the market.\n' >"$tmp/tm.en"
selaras add --db "$tmp/src.db" --presegmented --force "$tmp/tm.id" "$tmp/tm.en" >"$tmp/add.out" 2>&1 ||
    fail "selaras add: $(cat "$tmp/add.out")"
selaras export --db "$tmp/src.db" --no-provenance -o "$proj/tm/auto/selaras.tmx" >"$tmp/export.out" 2>&1 ||
    fail "selaras export: $(cat "$tmp/export.out")"
cat >"$tmp/save.groovy" <<'EOF'
// Run by OmegaT after compiling (eventType COMPILE): write project_save.tmx
// with OmegaT's own writer, the step of saveProject() that needs no GUI.
if (eventType.toString() == "COMPILE") {
    def props = project.getProjectProperties()
    project.@projectTMX.save(props, props.getProjectInternal() + "project_save.tmx", true)
}
EOF
omegat --mode=console-translate --script="$tmp/save.groovy" >"$tmp/omegat.out" 2>&1 ||
    fail "OmegaT console-translate exited with status $?: $(tail -5 "$tmp/omegat.out")"
grep -q 'Error:' "$tmp/omegat.out" && fail "OmegaT reported an error: $(grep -m 5 'Error:' "$tmp/omegat.out")"
save="$proj/omegat/project_save.tmx"
[ -s "$save" ] || { fail "OmegaT wrote no project_save.tmx: $(tail -5 "$tmp/omegat.out")"; finish; }
cp "$save" "$tmp/project_save.tmx"
grep -q '<tmx version="1.1">' "$save" || fail "project_save.tmx is not TMX 1.1"
grep -q '<!DOCTYPE tmx SYSTEM "tmx11.dtd">' "$save" || fail "project_save.tmx has no tmx11.dtd DOCTYPE"
grep -q '<tuv lang="id">' "$save" || fail "project_save.tmx has no lang= tuv"
grep -q 'creationtool="OmegaT"' "$save" || fail "project_save.tmx was not written by OmegaT"
grep -q 'Dia &lt;b0&gt;pergi&lt;/b0&gt; ke pasar.' "$save" || fail "no inline-tag unit in project_save.tmx: $(cat "$save")"
# OmegaT applied the TM: the translated HTML has the tags back
grep -q '<p>She <b>went</b> to the market.</p>' "$proj/target/b.html" ||
    fail "OmegaT did not apply the TM: $(cat "$proj/target/b.html")"

db="$tmp/save.db"
expect_status 0 "import project_save.tmx" -- selaras import --db "$db" "$save"
grep -q "2 units read, 2 pairs stored (2 new units, 0 already in the TM)" "$tmp/out" || fail "import: $(cat "$tmp/out")"
cat >"$tmp/want" <<'WANT'
id|en|Dia <b0>pergi</b0> ke pasar.|She <b0>went</b0> to the market.
id|en|Saya makan nasi.|I eat rice.
WANT
pairs() {
    "$SQLITE3" "$1" "select s.lang, t.lang, s.text, t.text from units u join segments s on s.id = u.src_segment
      join segments t on t.id = u.tgt_segment order by s.text"
}
pairs "$db" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "the units of OmegaT's project_save.tmx"
pairs "$tmp/src.db" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "the units of the TM OmegaT was given"
expect_status 0 "import project_save.tmx again" -- selaras import --db "$db" "$save"
grep -q "nothing added" "$tmp/out" || fail "re-import: $(cat "$tmp/out")"

# the level 2 export of the same run: OmegaT's tags as <bpt>/<ept>
l2="$proj/proj-level2.tmx"
if [ ! -s "$l2" ]; then
    fail "OmegaT wrote no proj-level2.tmx"
else
    cp "$l2" "$tmp/level2.tmx"
    grep -q '<tmx version="1.4">' "$l2" || fail "proj-level2.tmx is not TMX 1.4"
    expect_status 0 "import OmegaT's level 2 TMX" -- selaras import --db "$tmp/l2.db" "$l2"
    grep -q "2 units read, 2 pairs stored" "$tmp/out" || fail "level 2 import: $(cat "$tmp/out")"
    cat >"$tmp/want" <<'WANT'
en|1|She <bpt i="0" x="0">&lt;b0&gt;</bpt>went<ept i="0">&lt;/b0&gt;</ept> to the market.
en|0|I eat rice.
id|1|Dia <bpt i="0" x="0">&lt;b0&gt;</bpt>pergi<ept i="0">&lt;/b0&gt;</ept> ke pasar.
id|0|Saya makan nasi.
WANT
    "$SQLITE3" "$tmp/l2.db" "select lang, markup, text from segments order by lang, markup desc" >"$tmp/got"
    expect_same "$tmp/want" "$tmp/got" "the segments of OmegaT's level 2 TMX"
    expect_status 0 "export the level 2 units" -- selaras export --db "$tmp/l2.db" --no-provenance -o "$tmp/l2-out.tmx"
    grep '<seg>' "$l2" | sed 's/^ *//' >"$tmp/want"
    grep '<seg>' "$tmp/l2-out.tmx" | sed 's/^ *//' >"$tmp/got"
    expect_same "$tmp/want" "$tmp/got" "the segs of OmegaT's level 2 TMX after import and export"
fi

# ---- 2. console-createpseudotranslatetmx
omegat --mode=console-createpseudotranslatetmx --pseudotranslatetmx="$tmp/omegat.tmx" \
    --pseudotranslatetype=equal >"$tmp/omegat.out" 2>&1 ||
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
