#!/bin/sh
# The HTML review page (align --format html, review --db): rendered by headless
# Chromium, and the rows of the rendered page checked against the beads of
# 'selaras align --format beads' and the sentences of 'selaras segment'.
# The screenshots stay in tests/tmp/review/.
. "$TOP_SRCDIR/tests/cli/lib.sh"
CHROMIUM=${CHROMIUM:-chromium}
if ! command -v "$CHROMIUM" >/dev/null 2>&1; then
    echo "SKIP: $CHROMIUM is not installed (./autogen.sh --test-deps installs it)"
    exit 77
fi
keep="$PWD/tests/tmp/review"
rm -rf "$keep" && mkdir -p "$keep" || exit 99
check="$TOP_SRCDIR/tests/cli/review-check.py"

# The browser gets a private profile and nothing to reach; the page needs nothing.
render() {  # render PAGE NAME [noshot]: DOM in $tmp/NAME.dom, screenshot in $keep/NAME.png
    HOME="$tmp/home" "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$tmp/profile" --dump-dom "file://$1" >"$tmp/$2.dom" 2>"$tmp/$2.chromium" ||
        fail "chromium could not render $1: $(tail -3 "$tmp/$2.chromium")"
    [ "${3:-}" = noshot ] && return
    HOME="$tmp/home" "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$tmp/profile" --hide-scrollbars --window-size=1280,1400 \
        --screenshot="$keep/$2.png" "file://$1" >/dev/null 2>&1
    [ -s "$keep/$2.png" ] || fail "no screenshot of $1"
}

static_checks() {  # nothing loaded from anywhere, no script
    grep -Eiq '<script|<link|<iframe|<img|[[:space:]](src|href)=|url\(|@import' "$1" &&
        fail "$1 refers to an outside resource or has a script"
    grep -q '<svg id="histogram"' "$1" || fail "$1 has no histogram"
}

# a pair with a paragraph only in the source (a 1-0 bead), and markup
# characters that must show as text
cp "$EN_TXT" "$tmp/a.en.txt"
python3 - "$ID_TXT" "$tmp/a.id.txt" <<'PY'
import sys
paras = open(sys.argv[1], encoding='utf-8').read().split('\n\n')
paras.insert(5, 'Sementara itu, harga cabai rawit di Pasar Induk Kramat Jati naik menjadi '
             'Rp75.000 per kilogram karena hujan deras yang terus mengguyur daerah sentra '
             'produksi di Jawa Barat selama dua pekan terakhir <script>alert(1)</script> & '
             '"kata pedagang".')
open(sys.argv[2], 'w', encoding='utf-8').write('\n\n'.join(paras))
PY
expect_status 0 "align --format html" -- selaras align --format html --low-score 0.6 "$tmp/a.id.txt" "$tmp/a.en.txt"
cp "$tmp/out" "$tmp/align.html"
cp "$tmp/align.html" "$keep/align.html"
static_checks "$tmp/align.html"
selaras align --format beads "$tmp/a.id.txt" "$tmp/a.en.txt" >"$tmp/beads" || fail "align --format beads failed"
grep -Eq '^	|		' "$tmp/beads" || fail "the test pair should give a 1-0 bead: $(cat "$tmp/beads")"
selaras segment --lang id "$tmp/a.id.txt" >"$tmp/id.sents" || fail "segment id failed"
selaras segment --lang en "$tmp/a.en.txt" >"$tmp/en.sents" || fail "segment en failed"
render "$tmp/align.html" align
python3 "$check" "$tmp/align.dom" "$tmp/beads" "$tmp/id.sents" "$tmp/en.sents" 0.6 >"$tmp/check.out" ||
    fail "align page: $(cat "$tmp/check.out")"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; "kata pedagang"' "$tmp/align.dom" ||
    fail "the markup in the text was not shown as text"

# presegmented input: the sentences are the lines themselves
printf 'Satu.\nDua dan tiga.\n\nEmpat.\n' >"$tmp/p.id"
printf 'One.\nTwo.\nThree.\n\nFour.\nFive, extra.\n' >"$tmp/p.en"
expect_status 0 "align --format html --presegmented" -- selaras align --presegmented --format html "$tmp/p.id" "$tmp/p.en"
cp "$tmp/out" "$tmp/pre.html"
selaras align --presegmented --format beads "$tmp/p.id" "$tmp/p.en" >"$tmp/pre.beads"
render "$tmp/pre.html" presegmented noshot
python3 "$check" "$tmp/presegmented.dom" "$tmp/pre.beads" "$tmp/p.id" "$tmp/p.en" 0.3 >"$tmp/check.out" ||
    fail "presegmented page: $(cat "$tmp/check.out")"

expect_status 2 "bad --low-score" -- selaras align --format html --low-score 2 "$tmp/a.id.txt" "$tmp/a.en.txt"
expect_stderr "from 0 to 1"

# review --db: the same page from the TM, while the files are where they were added from
db="$tmp/tm.db"
(cd "$tmp" && selaras add --db tm.db a.id.txt a.en.txt >/dev/null) || fail "add failed"
in_tmp() (cd "$tmp" && selaras "$@")  # relative paths, as a user would type them
expect_status 0 "review --db" -- in_tmp review --db tm.db --doc 1 --low-score 0.6 -o review.html
grep -q 'review page written to review.html' "$tmp/out" || fail "review summary: $(cat "$tmp/out")"
static_checks "$tmp/review.html"
grep -q 'class="note"' "$tmp/review.html" && fail "the files are there, yet the page has a note"
render "$tmp/review.html" review-db noshot
python3 "$check" "$tmp/review-db.dom" "$tmp/beads" "$tmp/id.sents" "$tmp/en.sents" 0.6 --db >"$tmp/check.out" ||
    fail "review page: $(cat "$tmp/check.out")"
# the same rows as the align page (only the title differs)
sed -n '/<tbody>/,/<\/tbody>/p' "$tmp/align.html" >"$tmp/align.rows"
sed -n '/<tbody>/,/<\/tbody>/p' "$tmp/review.html" >"$tmp/review.rows"
expect_same "$tmp/align.rows" "$tmp/review.rows" "the rows of review --db"

# ... and when the source file has gone: the stored beads, the rest by number
mv "$tmp/a.id.txt" "$tmp/moved.id.txt"
expect_status 0 "review --db, file gone" -- in_tmp review --db tm.db --doc 1 --low-score 0.6 -o gone.html
grep -q 'class="note"' "$tmp/gone.html" || fail "no note saying the file is gone"
render "$tmp/gone.html" review-db-file-gone
python3 "$check" "$tmp/review-db-file-gone.dom" "$tmp/beads" "$tmp/id.sents" "$tmp/en.sents" 0.6 --db >"$tmp/check.out" ||
    fail "review page without the file: $(cat "$tmp/check.out")"

# documents imported from a TMX file or JSON lines: their units, and a note
# that says so (not that a file has gone missing)
cat >"$tmp/two.tmx" <<'EOT'
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="sentence"
 o-tmf="test" adminlang="en" srclang="id" datatype="plaintext"/><body>
<tu><tuv xml:lang="id"><seg>Hujan turun.</seg></tuv><tuv xml:lang="en"><seg>It rained.</seg></tuv></tu>
<tu><tuv xml:lang="id"><seg>Kami pulang.</seg></tuv><tuv xml:lang="en"><seg>We went home.</seg></tuv></tu>
</body></tmx>
EOT
selaras import --db "$db" "$tmp/two.tmx" >/dev/null || fail "import of two.tmx"
printf '{"id":"berita-1","src":"Saya makan nasi.","tgt":"I eat rice.","score":0.9,"bead":"1-1","src_lang":"id","tgt_lang":"en","position":0}\n' >"$tmp/one.jsonl"
selaras import --db "$db" --jsonl "$tmp/one.jsonl" >/dev/null || fail "import --jsonl"
for doc in 2 3; do
    expect_status 0 "review of imported document $doc" -- selaras review --db "$db" --doc $doc -o "$tmp/imp$doc.html"
    static_checks "$tmp/imp$doc.html"
    grep -q 'no longer where it was added' "$tmp/imp$doc.html" &&
        fail "document $doc: the note says a file is missing: $(grep -o 'class="note">[^<]*' "$tmp/imp$doc.html")"
done
grep -q 'class="note">Document 2 was imported from the TMX file [^<]*two.tmx, which holds translation units only' \
    "$tmp/imp2.html" || fail "TMX document: $(grep -o 'class="note">[^<]*' "$tmp/imp2.html")"
grep -q 'class="note">Document 3 was imported from the JSON lines of document berita-1, ' "$tmp/imp3.html" ||
    fail "JSON-lines document: $(grep -o 'class="note">[^<]*' "$tmp/imp3.html")"
[ "$(grep -c '<tr class="bead' "$tmp/imp2.html")" -eq "$(${SQLITE3:-sqlite3} "$db" 'select count(*) from occurrences where document = 2')" ] ||
    fail "TMX document: one row per stored unit expected"
grep -q '<td class="text" lang="id"><span class="sent">Saya makan nasi.</span>' "$tmp/imp3.html" ||
    fail "JSON-lines document: the stored pair is not shown"

expect_status 1 "review of a missing document" -- selaras review --db "$db" --doc 5 -o "$tmp/none.html"
expect_stderr "no document with id 5"
[ -e "$tmp/none.html" ] && fail "a failed review left a file"
expect_status 2 "review without --doc" -- selaras review --db "$db"
before=$(cksum <"$db")
expect_status 1 "review onto the TM itself" -- selaras review --db "$db" --doc 1 -o "$db"
expect_stderr "is the translation memory itself"
[ "$(cksum <"$db")" = "$before" ] || fail "review -o onto the TM changed it"
: >"$tmp/real.html"
ln -s real.html "$tmp/link.html"
expect_status 0 "review through a symbolic link" -- selaras review --db "$db" --doc 1 -o "$tmp/link.html"
[ -L "$tmp/link.html" ] || fail "review replaced the symbolic link"
grep -q '</html>' "$tmp/real.html" || fail "the link's target did not get the page"
ls "$tmp" | grep -q 'tmp-' && fail "a temporary file was left behind: $(ls "$tmp")"
finish
