#!/bin/sh
# selaras lookup: exact match first at 100%, then fuzzy matches with a percentage.
. "$TOP_SRCDIR/tests/cli/lib.sh"
db="$tmp/tm.db"
selaras add --db "$db" "$ID_TXT" "$EN_TXT" >/dev/null || fail "add failed"
tab=$(printf '\t')
id6=$(grep . "$DATA/article.id.sents" | sed -n 7p)
en6=$(grep . "$DATA/article.en.sents" | sed -n 7p)

expect_status 0 "exact lookup" -- selaras lookup --db "$db" "$id6"
head -1 "$tmp/out" | grep -q "^100%${tab}${id6}${tab}${en6}${tab}${ID_TXT}${tab}20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-9:]*Z\$" || fail "exact match line: $(head -1 "$tmp/out")"

# extra spaces do not lose the exact match
spaced=$(echo "$id6" | sed 's/ / /g; s/^/  /')
expect_status 0 "exact lookup, spaces" -- selaras lookup --db "$db" "$spaced"
head -1 "$tmp/out" | grep -q "^100%${tab}" || fail "whitespace should not matter: $(head -1 "$tmp/out")"

# one word changed in the last sentence (33 tokens counting punctuation):
# 100 * (1 - 1/33) = 96.97, rounded down to 96%
q=$(grep . "$DATA/article.id.sents" | tail -1 | sed 's/melanjutkan/meneruskan/')
expect_status 0 "fuzzy lookup" -- selaras lookup --db "$db" "$q"
[ -s "$tmp/out" ] || fail "no fuzzy match"
[ "$(head -1 "$tmp/out" | cut -f1)" = "96%" ] || fail "fuzzy percent: $(head -1 "$tmp/out")"
head -1 "$tmp/out" | cut -f3 | grep -q '^The Russian leader expressed' || fail "fuzzy match target: $(head -1 "$tmp/out")"

expect_status 0 "high --min" -- selaras lookup --db "$db" --min 100 "$q"
[ -s "$tmp/out" ] && fail "--min 100 should drop fuzzy matches: $(cat "$tmp/out")"

expect_status 0 "limit" -- selaras lookup --db "$db" --min 0 --limit 3 "Putin mengatakan."
[ "$(wc -l <"$tmp/out")" -eq 3 ] || fail "--limit 3 gave $(wc -l <"$tmp/out") lines"

expect_status 0 "json" -- selaras lookup --db "$db" --format json "$id6"
if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
assert m[0]["percent"] == 100, m
assert m[0]["target"] == sys.argv[2], m[0]
for k in ("source", "score", "src_lang", "tgt_lang", "document", "unit"):
    assert k in m[0], k
' "$tmp/out" "$en6" || fail "json lookup output"
fi
# options may also follow the text
expect_status 0 "options after the text" -- selaras lookup "$id6" --db "$db" --limit 1
[ "$(wc -l <"$tmp/out")" -eq 1 ] && head -1 "$tmp/out" | grep -q "^100%${tab}" || fail "options after the text: $(cat "$tmp/out")"

expect_status 2 "bad --min" -- selaras lookup --db "$db" --min 120 "$q"
expect_stderr "min"

# the default limit is 5
expect_status 0 "default limit" -- selaras lookup --db "$db" --min 0 "Putin mengatakan."
[ "$(wc -l <"$tmp/out")" -eq 5 ] || fail "default limit gave $(wc -l <"$tmp/out") lines"

# the other direction: the English sentence finds its Indonesian original
expect_status 0 "reversed lookup" -- selaras lookup --db "$db" --src-lang en --tgt-lang id "$en6"
[ "$(head -1 "$tmp/out" | cut -f1-3)" = "100%${tab}${en6}${tab}${id6}" ] || fail "reversed: $(head -1 "$tmp/out")"
expect_status 0 "reversed json" -- selaras lookup --db "$db" --src-lang en --tgt-lang id --format json "$en6"
if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
assert m[0]["percent"] == 100 and m[0]["reversed"] is True, m[0]
assert m[0]["source"] == sys.argv[2] and m[0]["target"] == sys.argv[3], m[0]
assert m[0]["src_lang"] == "en" and m[0]["tgt_lang"] == "id", m[0]
assert m[0]["date"].endswith("Z"), m[0]
' "$tmp/out" "$en6" "$id6" || fail "reversed json"
fi

# --file: one query per line, blank lines skipped, each hit tagged with its line
printf '%s\n\n%s\nTidak ada yang seperti ini sama sekali di sini.\n' "$id6" "$q" >"$tmp/queries"
expect_status 0 "batch" -- selaras lookup --db "$db" --file "$tmp/queries" --limit 1
[ "$(cut -f1,2 "$tmp/out" | tr '\n' ' ')" = "1${tab}100% 3${tab}96% " ] || fail "batch lines: $(cut -f1,2 "$tmp/out")"
expect_status 0 "batch from stdin" -- sh -c "\"\$SELARAS\" lookup --db '$db' --file - --limit 1 --format json <'$tmp/queries'"
if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["line"] for r in rows] == [1, 3, 4], rows
assert rows[0]["matches"][0]["percent"] == 100 and rows[0]["query"] == sys.argv[2]
assert rows[1]["matches"][0]["percent"] == 96
assert rows[2]["matches"] == []
' "$tmp/out" "$id6" || fail "batch json"
fi
expect_status 2 "file and text" -- selaras lookup --db "$db" --file "$tmp/queries" "$q"
expect_stderr "not both"
expect_status 1 "missing file" -- selaras lookup --db "$db" --file "$tmp/nothere"
expect_stderr "nothere"
finish
