#!/bin/sh
# Interoperability with OmegaT 3.6 (Debian package omegat): a TMX exported by
# selaras, put in an OmegaT project's tm/auto/, is applied as exact matches by
# OmegaT's headless console-translate mode.  OmegaT exits 0 even when it could
# not load the TMX, so the test compares the translated file, checks OmegaT's
# log and statistics, and keeps two sentences that are not in the TM (one of
# them a near miss of a TM sentence) as negative controls.
. "$TOP_SRCDIR/tests/cli/lib.sh"

JAVA=${JAVA:-java}
OMEGAT_JAR=${OMEGAT_JAR:-/usr/share/omegat/OmegaT.jar}
if ! command -v "$JAVA" >/dev/null 2>&1; then
    echo "SKIP: OmegaT not installed: no '$JAVA' (apt-get install omegat)"
    exit 77
fi
if [ ! -f "$OMEGAT_JAR" ]; then
    echo "SKIP: OmegaT not installed: no $OMEGAT_JAR (apt-get install omegat, or set OMEGAT_JAR)"
    exit 77
fi

# ---- the TM and its TMX, made by selaras
db="$tmp/tm.db"
selaras add --db "$db" --src-lang id --tgt-lang en "$ID_TXT" "$EN_TXT" >"$tmp/add.out" 2>&1 ||
    fail "selaras add failed: $(cat "$tmp/add.out")"
expect_status 0 "selaras export" -- selaras export --db "$db" -o "$tmp/selaras.tmx"
[ -s "$tmp/selaras.tmx" ] || { fail "selaras export wrote no TMX"; finish; }

# ---- the OmegaT project: all seven entries, or OmegaT exits 1
proj="$tmp/proj"
mkdir "$proj" "$proj/source" "$proj/target" "$proj/tm" "$proj/tm/auto" \
    "$proj/glossary" "$proj/dictionary" "$proj/omegat" "$tmp/cfg" "$tmp/home" "$tmp/javatmp" || exit 99
cp "$tmp/selaras.tmx" "$proj/tm/auto/selaras.tmx" || exit 99
cat >"$proj/omegat.project" <<'EOF'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>id</source_lang>
        <target_lang>en</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneIndonesianTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
        <sentence_seg>true</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
EOF

# Negative controls: a sentence absent from the TM, and the 8th TM sentence
# with one word changed (a 96% fuzzy match for selaras lookup; OmegaT must not apply it).
control1='Kalimat ini tidak ada di dalam memori terjemahan.'
control2=$(grep . "$DATA/article.id.sents" | sed -n 8p | sed 's/terencana/direncanakan/')
[ "$control2" != "$(grep . "$DATA/article.id.sents" | sed -n 8p)" ] || { echo "control2 is not a near miss" >&2; exit 99; }

# One sentence per paragraph, so OmegaT's own segmentation cannot interfere.
paragraphs() { awk 'NF { if (n++) print ""; print }'; }
{ grep . "$DATA/article.id.sents"; echo "$control1"; echo "$control2"; } | paragraphs >"$proj/source/ARTICLE.txt"
{ grep . "$DATA/article.en.sents"; echo "$control1"; echo "$control2"; } | paragraphs >"$tmp/expected.txt"
[ "$(grep -c . "$tmp/expected.txt")" -eq 12 ] || { echo "expected 12 paragraphs" >&2; exit 99; }

# ---- OmegaT, headless; every file it writes stays under $tmp
timeout=
command -v timeout >/dev/null 2>&1 && timeout="timeout 600"
HOME="$tmp/home" $timeout "$JAVA" -Djava.awt.headless=true -Duser.home="$tmp/home" \
    -Djava.io.tmpdir="$tmp/javatmp" -Dfile.encoding=UTF-8 -XX:-UsePerfData \
    -jar "$OMEGAT_JAR" "$proj" --mode=console-translate --config-dir="$tmp/cfg" \
    --disable-project-locking --quiet >"$tmp/omegat.out" 2>&1
status=$?
if [ "$status" -ne 0 ]; then
    fail "OmegaT exited with status $status"
    grep -v PLUGIN_LOAD_OK "$tmp/omegat.out" | tail -30 | sed 's/^/  omegat: /' >&2
fi

# OmegaT read the whole TMX without an error
log="$tmp/cfg/logs/OmegaT.log"
if [ ! -f "$log" ]; then
    fail "OmegaT wrote no log in $tmp/cfg/logs"
else
    grep -q 'TMXR_INFO_READING_COMPLETE' "$log" || fail "OmegaT's log does not say it read the TMX"
    if grep -q 'Error:' "$log"; then
        fail "OmegaT logged an error"
        grep 'Error:' "$log" | head -10 | sed 's/^/  omegat log: /' >&2
    fi
fi

# the target file: the English of every unit, in order; the controls unchanged
if [ -f "$proj/target/ARTICLE.txt" ]; then
    expect_same "$tmp/expected.txt" "$proj/target/ARTICLE.txt" "OmegaT's translation (target/ARTICLE.txt)"
else
    fail "OmegaT wrote no target/ARTICLE.txt"
fi

# OmegaT's own statistics: 12 segments (one per paragraph), 2 left untranslated
stats="$proj/omegat/project_stats.txt"
count() { awk -F'\t' -v row="$1" '$1 ~ "^" row ":" { gsub(/ /, "", $2); print $2; exit }' "$stats"; }
if [ -f "$stats" ]; then
    [ "$(count Total)" = 12 ] || fail "OmegaT counts $(count Total) segments, expected 12 (one per paragraph)"
    [ "$(count Remaining)" = 2 ] || fail "OmegaT leaves $(count Remaining) segments untranslated, expected 2 (the controls)"
else
    fail "OmegaT wrote no project_stats.txt"
fi
finish
