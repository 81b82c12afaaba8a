#!/bin/sh
# selaras dict import, learn, and the aligner's refusal, --force and --min-score.
. "$TOP_SRCDIR/tests/cli/lib.sh"
db="$tmp/tm.db"
q() { sqlite3 -batch -noheader "$db" "$1"; }

# ---- a TSV dictionary
printf '# a comment\nkucing\tcat\nanjing\tdog\n\nburung\tbird\textra column\nkucing\tcat\n' >"$tmp/d.tsv"
expect_status 0 "dict import tsv" -- selaras dict import --db "$db" "$tmp/d.tsv"
grep -q '4 id-en word pairs read from .*, 3 new' "$tmp/out" || fail "tsv summary: $(cat "$tmp/out")"
[ "$(q "select group_concat(src_word || '=' || tgt_word, ' ') from (select * from dictionary order by src_word)")" = \
  "anjing=dog burung=bird kucing=cat" ] || fail "tsv rows: $(q 'select * from dictionary')"
expect_status 0 "dict import tsv again" -- selaras dict import --db "$db" "$tmp/d.tsv"
grep -q ', 0 new' "$tmp/out" || fail "re-import should add nothing: $(cat "$tmp/out")"

# a bad line: error with its number, database unchanged
before=$(fingerprint "$db")
printf 'rumah\thouse\npohon tree\n' >"$tmp/bad.tsv"
expect_status 1 "dict import bad tsv" -- selaras dict import --db "$db" "$tmp/bad.tsv"
expect_stderr "bad.tsv:2: no tab"
[ "$(fingerprint "$db")" = "$before" ] || fail "a failed import changed the database"
expect_status 1 "dict import missing" -- selaras dict import --db "$tmp/never.db" "$tmp/nothing.tsv"
expect_stderr "nothing.tsv: cannot read the dictionary"
[ -e "$tmp/never.db" ] && fail "a failed import created the database"
expect_status 2 "dict without action" -- selaras dict --db "$db"
expect_status 2 "dict unknown action" -- selaras dict export "$tmp/d.tsv"

# ---- a dictd database (FreeDict layout), written by hand: entries of 31
# and 41 bytes; offsets and lengths in dictd's base64 (A=0, f=31, p=41)
printf 'cat /kat/ <n>\nkucing\nan animal\nrun /ran/ <v>\n1. berlari 2.\nto move fast\n' >"$tmp/t.dict"
[ "$(wc -c <"$tmp/t.dict")" -eq 72 ] || fail "hand-made dictd data is not 72 bytes"
printf '00databaseinfo\tA\tA\ncat\tA\tf\nrun\tf\tp\n' >"$tmp/t.index"
expect_status 2 "dictd without languages" -- selaras dict import --db "$db" "$tmp/t.index"
expect_stderr "give --src-lang and --tgt-lang"
expect_status 0 "dictd import" -- selaras dict import --db "$db" --src-lang en --tgt-lang id "$tmp/t.index"
grep -q '2 en-id word pairs read' "$tmp/out" || fail "dictd summary: $(cat "$tmp/out")"
[ "$(q "select group_concat(src_word || '=' || tgt_word, ' ') from (select * from dictionary where src_lang = 'en' order by src_word)")" = \
  "cat=kucing run=berlari" ] || fail "dictd rows: $(q "select * from dictionary where src_lang = 'en'")"
# the same through gzip (.dict.dz is gzip with an extra header)
if command -v gzip >/dev/null; then
    mkdir "$tmp/dz"; cp "$tmp/t.index" "$tmp/dz/t.index"; gzip -c "$tmp/t.dict" >"$tmp/dz/t.dict.dz"
    expect_status 0 "dictd .dz import" -- selaras dict import --db "$tmp/dz.db" -s en -t id "$tmp/dz/t.dict.dz"
    grep -q '2 en-id word pairs read' "$tmp/out" || fail "dict.dz summary: $(cat "$tmp/out")"
fi

# ---- refusal of texts that cannot be translations of each other
printf 'Hujan turun.\n' >"$tmp/one.id"
for i in 1 2 3 4 5 6 7 8 9 10; do echo "Sentence number $i of a long English text about something else entirely."; done >"$tmp/ten.en"
expect_status 3 "align unrelated" -- selaras align --presegmented "$tmp/one.id" "$tmp/ten.en"
expect_stderr "do not look like translations"
expect_stderr "use --force"
[ -s "$tmp/out" ] && fail "a refused alignment printed beads"
expect_status 0 "align --force" -- selaras align --presegmented --force --format beads "$tmp/one.id" "$tmp/ten.en"
[ "$(wc -l <"$tmp/out")" -ge 10 ] || fail "forced alignment should cover the 10 target lines"
expect_status 3 "add unrelated" -- selaras add --db "$tmp/new.db" --presegmented "$tmp/one.id" "$tmp/ten.en"
[ -e "$tmp/new.db" ] && fail "a refused add created the database"
: >"$tmp/empty"
# an empty file is an input error before any alignment
expect_status 1 "align empty side" -- selaras align "$ID_TXT" "$tmp/empty"
expect_stderr "empty"

# ---- --min-score: pairs below it become unmatched sentences, never units
expect_status 2 "bad --min-score" -- selaras align --min-score 2 "$ID_TXT" "$EN_TXT"
expect_status 0 "align --min-score 1" -- selaras align --min-score 1 "$ID_TXT" "$EN_TXT"
[ -s "$tmp/out" ] && fail "no pair scores 1 or more, yet: $(head -2 "$tmp/out")"
expect_status 0 "add --min-score 1" -- selaras add --db "$tmp/min.db" --min-score 1 "$ID_TXT" "$EN_TXT"
grep -q ' 0 pairs stored' "$tmp/out" || fail "add --min-score 1: $(cat "$tmp/out")"

# 1-0 / 0-1 beads are reported but never stored: drop a sentence of the
# translation, and the TM holds exactly the pairs with both sides
sed '0,/Putin/{/Putin/d}' "$EN_TXT" >"$tmp/short.en"
expect_status 0 "align beads" -- selaras align --format beads "$ID_TXT" "$tmp/short.en"
both=$(awk -F '\t' '$1 != "" && $2 != ""' "$tmp/out" | wc -l)
one=$(awk -F '\t' '$1 == "" || $2 == ""' "$tmp/out" | wc -l)
[ "$one" -ge 1 ] || fail "expected an unmatched sentence after the deletion"
expect_status 0 "add with a deletion" -- selaras add --db "$tmp/del.db" "$ID_TXT" "$tmp/short.en"
[ "$(sqlite3 -batch -noheader "$tmp/del.db" 'select count(*) from occurrences')" = "$both" ] ||
    fail "stored pairs differ from the beads with both sides ($both)"

# ---- align --db uses the dictionary; learn stores associations
expect_status 0 "align --db" -- selaras align --db "$db" "$ID_TXT" "$EN_TXT"
expect_status 1 "align --db missing" -- selaras align --db "$tmp/none.db" "$ID_TXT" "$EN_TXT"
expect_status 0 "add for learning" -- selaras add --db "$db" "$ID_TXT" "$EN_TXT"
expect_status 0 "learn" -- selaras learn --db "$db" --min-pairs 1 --min-score 0
grep -q 'word pairs learned from 10 id-en units' "$tmp/out" || fail "learn summary: $(cat "$tmp/out")"
[ "$(q "select count(*) from word_associations where src_word = 'putin' and tgt_word = 'putin'")" = 1 ] ||
    fail "learn should pair putin with putin"
expect_status 2 "learn bad option" -- selaras learn --db "$db" --min-pairs 0
expect_status 1 "learn no db" -- selaras learn --db "$tmp/none.db"

finish
