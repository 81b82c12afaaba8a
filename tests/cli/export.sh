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

# an export that cannot be written leaves no file and fails
expect_status 1 "export into a missing directory" -- selaras export --db "$db" -o "$tmp/nodir/x.tmx"
expect_stderr "nodir/x.tmx"
[ -e "$tmp/nodir" ] && fail "export created something"
finish
