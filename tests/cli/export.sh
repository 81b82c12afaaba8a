#!/bin/sh
# selaras export: TMX 1.4b, valid against the DTD, source tuv first, provenance props.
. "$TOP_SRCDIR/tests/cli/lib.sh"
db="$tmp/tm.db"
selaras add --db "$db" "$ID_TXT" "$EN_TXT" >/dev/null || fail "add failed"

expect_status 0 "export" -- selaras export --db "$db" -o "$tmp/out.tmx"
grep -q '10 translation units written' "$tmp/out" || fail "export summary: $(cat "$tmp/out")"
xmllint --noout --dtdvalid "$TMX_DTD" "$tmp/out.tmx" 2>"$tmp/xmllint.err" || fail "xmllint --dtdvalid failed"
[ -s "$tmp/xmllint.err" ] && fail "xmllint printed: $(cat "$tmp/xmllint.err")"
ls "$tmp" | grep -q 'tmp-' && fail "a temporary file was left behind: $(ls "$tmp")"

x() { xmllint --xpath "$1" "$tmp/out.tmx" 2>/dev/null; }
[ "$(x 'count(//tu)')" = 10 ] || fail "expected 10 tu"
[ "$(x 'string(/tmx/@version)')" = 1.4 ] || fail "tmx version"
for a in creationtool creationtoolversion segtype o-tmf adminlang srclang datatype creationdate; do
    [ -n "$(x "string(/tmx/header/@$a)")" ] || fail "header lacks $a"
done
[ "$(x 'string(/tmx/header/@srclang)')" = id ] || fail "header srclang should be id"
[ "$(x 'string(/tmx/header/@segtype)')" = sentence ] || fail "segtype should be sentence"
[ "$(x 'string(/tmx/header/@datatype)')" = plaintext ] || fail "datatype should be plaintext"
x 'string(/tmx/header/@creationdate)' | grep -Eq '^[0-9]{8}T[0-9]{6}Z$' || fail "creationdate syntax"
[ "$(x 'count(//tu[tuv[1]/@xml:lang="id" and tuv[2]/@xml:lang="en"])')" = 10 ] || fail "source tuv must come first"
[ "$(x 'count(//tu[prop[@type="x-document"] and prop[@type="x-score"]])')" = 10 ] || fail "x- provenance props missing"
[ "$(x 'count(//prop[not(starts-with(@type, "x-"))])')" = 0 ] || fail "props must use x- types"
[ "$(x 'count(//tu[@tuid])')" = 10 ] || fail "every tu needs a tuid"

# the segments are the sentences, unescaped once by the parser
grep . "$DATA/article.id.sents" | head -1 >"$tmp/first.expected"
x 'string(//tu[1]/tuv[1]/seg)' >"$tmp/first"
expect_same "$tmp/first.expected" "$tmp/first" "first source segment"

# standard output, one pair, no provenance
expect_status 0 "export stdout" -- selaras export --db "$db" --src-lang id --tgt-lang en --no-provenance
xmllint --noout --dtdvalid "$TMX_DTD" "$tmp/out" 2>"$tmp/xmllint.err" || fail "stdout TMX is not valid"
[ "$(xmllint --xpath 'count(//tu)' "$tmp/out")" = 10 ] || fail "stdout export: expected 10 tu"
[ "$(xmllint --xpath 'count(//prop)' "$tmp/out")" = 0 ] || fail "--no-provenance still wrote props"

# direction: en -> id writes the same units with the English side first
expect_status 0 "export en->id" -- selaras export --db "$db" --src-lang en --tgt-lang id -o "$tmp/en-id.tmx"
xmllint --noout --dtdvalid "$TMX_DTD" "$tmp/en-id.tmx" 2>"$tmp/xmllint.err" || fail "en-id TMX is not valid"
[ -s "$tmp/xmllint.err" ] && fail "xmllint printed: $(cat "$tmp/xmllint.err")"
y() { xmllint --xpath "$1" "$tmp/en-id.tmx" 2>/dev/null; }
[ "$(y 'string(/tmx/header/@srclang)')" = en ] || fail "en-id: header srclang should be en"
[ "$(y 'count(//tu[@srclang="en" and tuv[1]/@xml:lang="en" and tuv[2]/@xml:lang="id"])')" = 10 ] ||
    fail "en-id: every tu should have srclang en and the English tuv first"
grep . "$DATA/article.en.sents" | head -1 >"$tmp/first-en.expected"
y 'string(//tu[1]/tuv[1]/seg)' >"$tmp/first-en"
expect_same "$tmp/first-en.expected" "$tmp/first-en" "first source segment of en->id"
expect_status 2 "same language twice" -- selaras export --db "$db" --src-lang en --tgt-lang EN
expect_status 2 "one language only" -- selaras export --db "$db" --src-lang en

# filters: the scores, documents and dates are read back from the full export
scores=$(x '//tu/prop[@type="x-score"]/text()' | tr ' ' '\n' | grep .)
n_high=$(echo "$scores" | awk '$1 >= 0.99' | wc -l)
expect_status 0 "--min-score" -- selaras export --db "$db" --min-score 0.99
[ "$(xmllint --xpath 'count(//tu)' "$tmp/out")" = "$n_high" ] || fail "--min-score 0.99: expected $n_high units"
expect_status 2 "--min-score out of range" -- selaras export --db "$db" --min-score 1.5
expect_stderr "from 0 to 1"
printf 'Satu kalimat saja.\n' >"$tmp/b.id"; printf 'Only one sentence.\n' >"$tmp/b.en"
selaras add --db "$db" "$tmp/b.id" "$tmp/b.en" >/dev/null || fail "add of a second document failed"
expect_status 0 "--doc 2" -- selaras export --db "$db" --doc 2
[ "$(xmllint --xpath 'count(//tu)' "$tmp/out")" = 1 ] || fail "--doc 2: expected 1 unit"
[ "$(xmllint --xpath 'string(//tu/tuv[2]/seg)' "$tmp/out")" = "Only one sentence." ] || fail "--doc 2: wrong unit"
expect_status 0 "--doc 1" -- selaras export --db "$db" --doc 1
[ "$(xmllint --xpath 'count(//tu)' "$tmp/out")" = 10 ] || fail "--doc 1: expected 10 units"
expect_status 1 "--doc missing" -- selaras export --db "$db" --doc 9 -o "$tmp/doc9.tmx"
expect_stderr "no document with id 9"
[ -e "$tmp/doc9.tmx" ] && fail "a failed export left doc9.tmx"
today=$(date -u +%Y-%m-%d)
expect_status 0 "--since today" -- selaras export --db "$db" --since "$today"
[ "$(xmllint --xpath 'count(//tu)' "$tmp/out")" = 11 ] || fail "--since $today: expected 11 units"
expect_status 0 "--since in the future" -- selaras export --db "$db" --since 2999-01-01T00:00:00Z
[ "$(xmllint --xpath 'count(//tu)' "$tmp/out")" = 0 ] || fail "--since 2999: expected no unit"
xmllint --noout --dtdvalid "$TMX_DTD" "$tmp/out" 2>/dev/null || fail "an empty export is not valid"
expect_status 2 "--since garbage" -- selaras export --db "$db" --since yesterday
expect_stderr "not a date"

# a character XML forbids: refused with the unit named, or dropped with --sanitize
cdb="$tmp/ctrl.db"
printf 'Ada karakter \001 kontrol. Kalimat kedua.\n' >"$tmp/c.id"
printf 'A control \001 character. Second sentence.\n' >"$tmp/c.en"
selaras add --db "$cdb" "$tmp/c.id" "$tmp/c.en" >/dev/null || fail "add with a control character failed"
expect_status 1 "forbidden character" -- selaras export --db "$cdb" -o "$tmp/c.tmx"
expect_stderr "unit 1: the source text has a character XML forbids"
[ -e "$tmp/c.tmx" ] && fail "a refused export left c.tmx"
expect_status 0 "--sanitize" -- selaras export --db "$cdb" --sanitize -o "$tmp/c.tmx"
expect_stderr "dropped 2 characters XML forbids from 1 unit"
xmllint --noout --dtdvalid "$TMX_DTD" "$tmp/c.tmx" 2>"$tmp/xmllint.err" || fail "sanitized TMX is not valid"
[ -s "$tmp/xmllint.err" ] && fail "xmllint printed: $(cat "$tmp/xmllint.err")"

# an interrupted export leaves nothing under the final name: a write that fails
# at the file size limit (selaras ignores SIGXFSZ to report it; kill -9 is
# tested in kill.sh).  The TM must export to more than the limit (128
# blocks), its reading to stay under.
bdb="$tmp/big.db"
awk 'BEGIN { for (i = 1; i <= 400; i++) printf "Kalimat nomor %d menceritakan harga beras di pasar tradisional yang naik tajam pekan ini.\n\n", i }' >"$tmp/big.id"
awk 'BEGIN { for (i = 1; i <= 400; i++) printf "Sentence number %d tells of rice prices at the traditional market rising sharply this week.\n\n", i }' >"$tmp/big.en"
selaras add --db "$bdb" "$tmp/big.id" "$tmp/big.en" >/dev/null || fail "add of the big pair failed"
selaras export --db "$bdb" -o "$tmp/big.tmx" >/dev/null || fail "export of the big TM failed"
[ "$(wc -c <"$tmp/big.tmx")" -gt 200000 ] || fail "the big export is too small for the limit test"
cp "$tmp/big.tmx" "$tmp/keep.tmx"
(ulimit -f 128; exec "$SELARAS" export --db "$bdb" -o "$tmp/keep.tmx") >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] || fail "an export over the file size limit should fail with status 1"
expect_stderr "keep.tmx: write failed at unit"
cmp -s "$tmp/big.tmx" "$tmp/keep.tmx" || fail "a failed export changed the existing keep.tmx"
ls "$tmp" | grep -q 'tmp-' && fail "a failed export left a temporary file: $(ls "$tmp")"
# targets that renaming would replace: a FIFO (like /dev/null, not a regular
# file) is written in place, a symbolic link is followed and stays a link
mkfifo "$tmp/fifo" || fail "mkfifo failed"
timeout 60 cat "$tmp/fifo" >"$tmp/from-fifo" &
reader=$!
expect_status 0 "export into a FIFO" -- selaras export --db "$db" -o "$tmp/fifo"
wait $reader
[ -p "$tmp/fifo" ] || fail "the export replaced the FIFO"
xmllint --noout --dtdvalid "$TMX_DTD" "$tmp/from-fifo" 2>/dev/null || fail "the TMX read from the FIFO is not valid"
: >"$tmp/real.tmx"
ln -s real.tmx "$tmp/link.tmx"
expect_status 0 "export through a symbolic link" -- selaras export --db "$db" -o "$tmp/link.tmx"
[ -L "$tmp/link.tmx" ] || fail "the export replaced the symbolic link"
xmllint --noout --dtdvalid "$TMX_DTD" "$tmp/real.tmx" 2>/dev/null || fail "the link's target is not the valid TMX"
mkdir "$tmp/adir"
expect_status 1 "export onto a directory" -- selaras export --db "$db" -o "$tmp/adir"
expect_stderr "is a directory"

# an export that cannot be written leaves no file and fails
expect_status 1 "export into a missing directory" -- selaras export --db "$db" -o "$tmp/nodir/x.tmx"
expect_stderr "nodir/x.tmx"
[ -e "$tmp/nodir" ] && fail "export created something"
finish
