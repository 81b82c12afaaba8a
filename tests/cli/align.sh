#!/bin/sh
# selaras align on the sample pair: every sentence pairs 1-1 with its translation.
. "$TOP_SRCDIR/tests/cli/lib.sh"

grep . "$DATA/article.id.sents" >"$tmp/id"
grep . "$DATA/article.en.sents" >"$tmp/en"
n=$(wc -l <"$tmp/id")

expect_status 0 "align tsv" -- selaras align "$ID_TXT" "$EN_TXT"
cut -f1,2 "$tmp/out" >"$tmp/pairs"
paste "$tmp/id" "$tmp/en" >"$tmp/pairs.expected"
expect_same "$tmp/pairs.expected" "$tmp/pairs" "aligned pairs"
awk -F'\t' 'NF != 3 || $3 < 0 || $3 > 1 { bad = 1 } END { exit bad }' "$tmp/out" ||
    fail "tsv lines must have 3 fields and a score in [0,1]"

expect_status 0 "align beads" -- selaras align --format beads --src-lang id --tgt-lang en "$ID_TXT" "$EN_TXT"
cut -f1,2 "$tmp/out" >"$tmp/beads"
i=0; : >"$tmp/beads.expected"
while [ $i -lt "$n" ]; do printf '%d\t%d\n' $i $i >>"$tmp/beads.expected"; i=$((i + 1)); done
expect_same "$tmp/beads.expected" "$tmp/beads" "bead indices"

# --presegmented reads the hand-written sentence files; a deleted target
# sentence becomes a 1-0 bead in the beads format and disappears from tsv
expect_status 0 "align presegmented" -- selaras align --presegmented --format beads "$DATA/article.id.sents" "$DATA/article.en.sents"
cut -f1,2 "$tmp/out" >"$tmp/beads"
expect_same "$tmp/beads.expected" "$tmp/beads" "presegmented bead indices"
grep -v '^Russian authorities have pledged' "$DATA/article.en.sents" >"$tmp/en-minus.sents"
expect_status 0 "align with a deletion" -- selaras align --presegmented --format beads "$DATA/article.id.sents" "$tmp/en-minus.sents"
tab=$(printf '\t')
grep -q "^6${tab}${tab}0.0000\$" "$tmp/out" || fail "sentence 6 should be a 1-0 bead with score 0: $(cat "$tmp/out")"
grep -q "^7${tab}6${tab}" "$tmp/out" || fail "sentence 7 should pair with target 6"

# json: one object per bead, with indices, texts and score
expect_status 0 "align json" -- selaras align --format json "$ID_TXT" "$EN_TXT"
[ "$(wc -l <"$tmp/out")" -eq "$n" ] || fail "json: expected $n lines"
head -1 "$tmp/out" | grep -q '^{"src":\[0\],"tgt":\[0\],"source":"Presiden Rusia mengirim telegram' ||
    fail "json line 1: $(head -1 "$tmp/out")"
if command -v /usr/bin/python3 >/dev/null 2>&1; then
    /usr/bin/python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert set(o) == {"src", "tgt", "source", "target", "score"}, o
    assert 0 <= o["score"] <= 1
' "$tmp/out" || fail "json output does not parse"
fi
finish
