#!/bin/sh
# selaras align --jsonl: the JSON-lines contract of the cluster mode.
. "$TOP_SRCDIR/tests/cli/lib.sh"

# A text as a JSON string: backslashes and quotes escaped, lines joined by \n.
json_text() {
    awk 'BEGIN { ORS = "" } { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); if (NR > 1) print "\\n"; print }' "$1"
}
printf '{"id":"article","src":"%s","tgt":"%s"}\n' "$(json_text "$ID_TXT")" "$(json_text "$EN_TXT")" >"$tmp/in"

# the sample article: ten 1-1 beads, the hand-written sentence pairs in order
expect_status 0 "jsonl" -- selaras align --jsonl <"$tmp/in"
[ -s "$tmp/err" ] && fail "stderr should be empty: $(cat "$tmp/err")"
grep . "$DATA/article.id.sents" >"$tmp/id"; grep . "$DATA/article.en.sents" >"$tmp/en"
paste "$tmp/id" "$tmp/en" | awk -F '\t' '{ printf "{\"id\":\"article\",\"src\":\"%s\",\"tgt\":\"%s\",\"bead\":\"1-1\",\"src_lang\":\"id\",\"tgt_lang\":\"en\",\"position\":%d}\n", $1, $2, NR - 1 }' >"$tmp/want"
sed 's/,"score":[01]\.[0-9][0-9][0-9][0-9],/,/' "$tmp/out" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "jsonl output (without scores)"
# the scores are those of the ordinary alignment
sed 's/.*,"score":\([0-9.]*\),.*/\1/' "$tmp/out" >"$tmp/scores"
selaras align "$ID_TXT" "$EN_TXT" | cut -f3 >"$tmp/tsv-scores"
expect_same "$tmp/tsv-scores" "$tmp/scores" "jsonl scores"
# a file argument reads the same
expect_status 0 "jsonl FILE" -- selaras align --jsonl "$tmp/in"
sed 's/,"score":[01]\.[0-9][0-9][0-9][0-9],/,/' "$tmp/out" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "jsonl output from a file"

# bad lines are reported with their numbers and skipped; good ones still go through
{
    l() { printf '%s\n' "$1"; }
    l '{"id":"a","src":"Saya makan nasi.","tgt":"I eat rice."}'           # 1 good
    l '{"id":"b","src":"Saya makan nasi.","tgt":"I eat rice.",}'          # 2 trailing comma
    printf '{"id":"c","src":"Kata \377.","tgt":"Word."}\n'                # 3 invalid UTF-8
    l '{"id":"d","src":"\ud83d x.","tgt":"y."}'                           # 4 lone surrogate
    l '{"id":"e","src":"Saya."}'                                          # 5 no tgt
    l '{"id":"f","src":"Saya.","tgt":42}'                                 # 6 not a string
    l '["g","Saya.","I."]'                                                # 7 not an object
    l '{"id":"h","src":"Sa\u0000ya.","tgt":"I."}'                         # 8 NUL
    l '{"id":"i","src":"Saya.","tgt":"   "}'                              # 9 empty text
    l '{"id":"j","src":"Saya.","tgt":"I.","src_lang":"xx"}'               # 10 bad language
    l '{"id":"k","src":"Saya.","tgt":"I.","id":"k2"}'                     # 11 duplicate key
    printf '{"id":"l","src":"Tab\tmentah.","tgt":"Raw tab."}\n'           # 12 raw control char
    l ''                                                                  # 13 blank: skipped
    l '{"id":"m\"q","src":"Emoji \ud83d\ude00 dan \u201ckutipan\u201d.\nBaris dua.","tgt":"Emoji \uD83D\uDE00 and \u201cquotes\u201d.\nLine two.","tgt_lang":"EN-us","extra":[1,{"x":null}]}'  # 14 good
    l '{"id":"n","src":"\uDE00.","tgt":"x."}'                             # 15 lone low surrogate
} >"$tmp/bad.jsonl"
expect_status 1 "jsonl with bad lines" -- selaras align --jsonl <"$tmp/bad.jsonl"
for want in \
    "stdin:2: invalid JSON: column 56: trailing comma" \
    "stdin:3: invalid JSON: column 23: invalid UTF-8 (byte 0xff)" \
    "stdin:4: invalid JSON: column 18: high surrogate" \
    "stdin:5: no \"tgt\" member" \
    "stdin:6: \"tgt\" is not a string" \
    "stdin:7: expected an object" \
    "stdin:8: \"src\" holds a NUL character" \
    "stdin:9: document \"i\": the target text has no visible text" \
    "stdin:10: document \"j\": unknown language code 'xx'" \
    "stdin:11: invalid JSON: column 36: duplicate key" \
    "stdin:12: invalid JSON: column 21: control character U+0009" \
    "stdin:15: invalid JSON: column 18: lone low surrogate"; do
    grep -qF "selaras: $want" "$tmp/err" || fail "no report '$want'"
done
[ "$(wc -l <"$tmp/err")" -eq 12 ] || fail "expected 12 reports: $(cat "$tmp/err")"
grep -q '(line skipped)$' "$tmp/err" || fail "reports should say the line was skipped"
cat >"$tmp/want" <<'EOT'
{"id":"a","src":"Saya makan nasi.","tgt":"I eat rice.","bead":"1-1","src_lang":"id","tgt_lang":"en","position":0}
{"id":"m\"q","src":"Emoji 😀 dan “kutipan”.","tgt":"Emoji 😀 and “quotes”.","bead":"1-1","src_lang":"id","tgt_lang":"en-us","position":0}
{"id":"m\"q","src":"Baris dua.","tgt":"Line two.","bead":"1-1","src_lang":"id","tgt_lang":"en-us","position":1}
EOT
sed 's/,"score":[01]\.[0-9][0-9][0-9][0-9],/,/' "$tmp/out" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "good lines among bad ones"

# every output line is JSON that a strict reader accepts
if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    o = json.loads(line)
    assert sorted(o) == sorted(["id", "src", "tgt", "score", "bead", "src_lang", "tgt_lang", "position"]), (n, o)
    assert 0 <= o["score"] <= 1 and isinstance(o["position"], int), (n, o)
' "$tmp/out" || fail "output is not the JSON-lines contract"
fi

# \n\n in a text separates paragraphs, which are aligned paragraph by paragraph
printf '{"id":"p","src":"Satu.\\n\\nDua dua dua dua dua dua dua dua dua dua dua dua.","tgt":"One.\\n\\nTwo."}\n' |
    selaras align --jsonl >"$tmp/out" 2>"$tmp/err" || fail "paragraph input: $(cat "$tmp/err")"
[ "$(grep -c . "$tmp/out")" -eq 2 ] || fail "two beads expected: $(cat "$tmp/out")"
grep -q '"position":1}$' "$tmp/out" || fail "positions: $(cat "$tmp/out")"

# usage errors
expect_status 2 "jsonl with --format" -- selaras align --jsonl --format json
expect_stderr "neither"
expect_status 2 "jsonl with two files" -- selaras align --jsonl "$ID_TXT" "$EN_TXT"
expect_status 1 "jsonl, missing file" -- selaras align --jsonl "$tmp/nope.jsonl"
expect_stderr "nope.jsonl: cannot open"
expect_status 0 "jsonl, empty input" -- selaras align --jsonl </dev/null
[ -s "$tmp/out" ] && fail "empty input should give empty output"
finish
