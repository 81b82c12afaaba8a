#!/bin/sh
# selaras add --batch / --pairs: pairing by name, bad pairs skipped, summary,
# exit status, re-runs add nothing; progress only on a terminal.
. "$TOP_SRCDIR/tests/cli/lib.sh"
db="$tmp/tm.db"
q() { sqlite3 -batch -noheader "$1" "$2"; }
d="$tmp/docs"
mkdir "$d"
cp "$ID_TXT" "$d/a.id.txt"; cp "$EN_TXT" "$d/a.en.txt"
grep . "$DATA/article.id.sents" | head -3 >"$d/b.id.txt"   # three pairs already in a
grep . "$DATA/article.en.sents" | head -3 >"$d/b.en.txt"
printf 'Kata \377 rusak.\n' >"$d/c.id.txt"; cp "$d/b.en.txt" "$d/c.en.txt"
cp "$d/b.id.txt" "$d/e.id.txt"; printf ' \n\n' >"$d/e.en.txt"
cp "$d/b.id.txt" "$d/d.id.txt"                              # no partner
echo "not a document" >"$d/notes.txt"

# the first run: a and b go in, c and e fail, d is reported
expect_status 1 "batch with bad pairs" -- selaras add --db "$db" --batch "$d"
cat >"$tmp/want" <<EOT
database                   $db
documents added            2
documents already present  0
documents failed           2
files without a partner    1
pairs stored               13
units new                  10
units already in the TM    3
EOT
expect_same "$tmp/want" "$tmp/out" "first batch summary"
expect_stderr "^selaras: $d/c.id.txt: invalid UTF-8 at byte offset 5 .*(pair skipped)$"
expect_stderr "^selaras: $d/e.en.txt: .*(pair skipped)$"
expect_stderr "^selaras: $d/d.id.txt: no $d/d.en.txt beside it (file skipped)$"
[ "$(wc -l <"$tmp/err")" -eq 3 ] || fail "stderr should hold the three reports only: $(cat "$tmp/err")"
[ "$(q "$db" 'select count(*) from documents')" = 2 ] || fail "expected 2 documents"
[ "$(q "$db" 'select count(*) from units')" = 10 ] || fail "expected 10 units"
# the units are the hand-written sentence pairs of the sample article
q "$db" "select s.text || char(9) || t.text from units u join segments s on s.id = u.src_segment
   join segments t on t.id = u.tgt_segment order by u.id" >"$tmp/stored"
grep . "$DATA/article.id.sents" >"$tmp/id"; grep . "$DATA/article.en.sents" >"$tmp/en"
paste "$tmp/id" "$tmp/en" >"$tmp/expected"
expect_same "$tmp/expected" "$tmp/stored" "units after the batch"
[ "$(q "$db" "select src_path || ' ' || tgt_path || ' ' || src_lang || tgt_lang from documents order by id")" = \
  "$d/a.id.txt $d/a.en.txt iden
$d/b.id.txt $d/b.en.txt iden" ] || fail "document rows: $(q "$db" 'select * from documents')"

# the same batch again adds nothing and the database is unchanged
before=$(fingerprint "$db")
expect_status 1 "batch again" -- selaras add --db "$db" --batch "$d" --verbose
grep -q '^documents added            0$' "$tmp/out" || fail "re-run added something: $(cat "$tmp/out")"
grep -q '^documents already present  2$' "$tmp/out" || fail "re-run: $(cat "$tmp/out")"
grep -q "^$d/a.id.txt: already document 1; nothing added$" "$tmp/out" || fail "--verbose line: $(cat "$tmp/out")"
[ "$(fingerprint "$db")" = "$before" ] || fail "re-running the batch changed the database"

# once the bad pairs are gone the exit status is 0 (an unpaired file alone is not a failure)
rm "$d/c.id.txt" "$d/c.en.txt" "$d/e.id.txt" "$d/e.en.txt"
expect_status 0 "clean batch" -- selaras add --db "$db" --batch "$d/"
grep -q '^documents failed           0$' "$tmp/out" || fail "clean batch: $(cat "$tmp/out")"
rm "$d/d.id.txt"
# not a terminal: stderr stays empty, no progress
expect_status 0 "clean batch, no terminal" -- selaras add --db "$db" --batch "$d"
[ -s "$tmp/err" ] && fail "stderr should be empty when it is not a terminal: $(od -c "$tmp/err" | head -3)"
expect_status 0 "quiet" -- selaras add --db "$db" --batch "$d" --quiet
[ -s "$tmp/out" ] && fail "--quiet printed: $(cat "$tmp/out")"
[ -s "$tmp/err" ] && fail "--quiet printed on stderr: $(cat "$tmp/err")"

# --pairs: names relative to the list's directory, comments, a bad line, a missing file
mkdir "$tmp/lists" "$tmp/elsewhere"
printf '# source\ttarget\n../docs/b.id.txt\t../docs/b.en.txt\n\nno tab here\n%s\t../docs/a.en.txt\nmissing.id.txt\t../docs/a.en.txt\n' \
    "$d/a.id.txt" >"$tmp/lists/pairs.tsv"
(cd "$tmp/elsewhere" && selaras add --db "$tmp/p.db" --pairs ../lists/pairs.tsv >"$tmp/pairs.out" 2>"$tmp/pairs.err")
[ $? -eq 1 ] || fail "pairs list: exit status should be 1"
grep -q '^documents added            2$' "$tmp/pairs.out" || fail "pairs list: $(cat "$tmp/pairs.out")"
grep -q '^documents failed           1$' "$tmp/pairs.out" || fail "pairs list: $(cat "$tmp/pairs.out")"
grep -q '^bad list lines             1$' "$tmp/pairs.out" || fail "pairs list: $(cat "$tmp/pairs.out")"
grep -q "^selaras: ../lists/pairs.tsv:4: expected two file names separated by a tab (line skipped)$" "$tmp/pairs.err" ||
    fail "bad list line report: $(cat "$tmp/pairs.err")"
grep -q "^selaras: ../lists/missing.id.txt: .*(pair skipped)$" "$tmp/pairs.err" || fail "missing file report: $(cat "$tmp/pairs.err")"
[ "$(q "$tmp/p.db" 'select src_path from documents order by id')" = "../lists/../docs/b.id.txt
$d/a.id.txt" ] || fail "paths from the list: $(q "$tmp/p.db" 'select src_path from documents')"
printf '%s\t%s\n' "$d/b.id.txt" "$d/b.en.txt" | selaras add --db "$tmp/stdin.db" --pairs - >"$tmp/out" 2>"$tmp/err" ||
    fail "--pairs - (standard input)"
grep -q '^pairs stored               3$' "$tmp/out" || fail "--pairs -: $(cat "$tmp/out")"

# suffixes: derived from the languages, or given
mkdir "$tmp/rev" "$tmp/custom"
cp "$d/b.en.txt" "$tmp/rev/x.en.txt"; cp "$d/b.id.txt" "$tmp/rev/x.id.txt"
expect_status 0 "languages give the suffixes" -- selaras add --db "$tmp/rev.db" --src-lang en --tgt-lang id --batch "$tmp/rev"
[ "$(q "$tmp/rev.db" "select src_path || ' ' || src_lang from documents")" = "$tmp/rev/x.en.txt en" ] ||
    fail "reversed languages: $(q "$tmp/rev.db" 'select * from documents')"
cp "$d/b.id.txt" "$tmp/custom/berita1_ind.txt"; cp "$d/b.en.txt" "$tmp/custom/berita1_eng.txt"
expect_status 0 "custom suffixes" -- selaras add --db "$tmp/c.db" --batch "$tmp/custom" --src-suffix _ind.txt --tgt-suffix _eng.txt
[ "$(q "$tmp/c.db" 'select count(*) from units')" = 3 ] || fail "custom suffixes: $(cat "$tmp/out")"

# subdirectories only with --recursive (hidden ones never)
mkdir -p "$tmp/tree/2024/01" "$tmp/tree/.old"
cp "$d/b.id.txt" "$tmp/tree/top.id.txt"; cp "$d/b.en.txt" "$tmp/tree/top.en.txt"
cp "$ID_TXT" "$tmp/tree/2024/01/deep.id.txt"; cp "$EN_TXT" "$tmp/tree/2024/01/deep.en.txt"
printf 'Kata \377.\n' >"$tmp/tree/.old/bad.id.txt"; cp "$d/b.en.txt" "$tmp/tree/.old/bad.en.txt"
expect_status 0 "batch without --recursive" -- selaras add --db "$tmp/tree.db" --batch "$tmp/tree"
grep -q '^documents added            1$' "$tmp/out" || fail "top level only: $(cat "$tmp/out")"
expect_status 0 "batch --recursive" -- selaras add --db "$tmp/tree.db" --batch "$tmp/tree" -r
grep -q '^documents added            1$' "$tmp/out" || fail "--recursive: $(cat "$tmp/out")"
grep -q '^documents already present  1$' "$tmp/out" || fail "--recursive: $(cat "$tmp/out")"
[ "$(q "$tmp/tree.db" "select src_path from documents order by id")" = "$tmp/tree/top.id.txt
$tmp/tree/2024/01/deep.id.txt" ] || fail "recursive paths: $(q "$tmp/tree.db" 'select src_path from documents')"
expect_status 2 "--recursive without --batch" -- selaras add --db "$db" -r "$ID_TXT" "$EN_TXT"

# errors that stop before the database is touched
mkdir "$tmp/empty"
expect_status 1 "no pairs" -- selaras add --db "$tmp/none.db" --batch "$tmp/empty"
expect_stderr "no document pairs found"
expect_status 1 "missing directory" -- selaras add --db "$tmp/none.db" --batch "$tmp/nowhere"
expect_stderr "nowhere: cannot read the directory"
expect_status 1 "missing list" -- selaras add --db "$tmp/none.db" --pairs "$tmp/nowhere.tsv"
[ -e "$tmp/none.db" ] && fail "a failed batch created the database"
echo "not a database" >"$tmp/text.db"
before=$(fingerprint "$tmp/text.db")
expect_status 1 "batch into a file that is not a TM" -- selaras add --db "$tmp/text.db" --batch "$d"
expect_stderr "text.db: .*not a selaras"
[ "$(fingerprint "$tmp/text.db")" = "$before" ] || fail "a foreign file was changed"
[ -s "$tmp/out" ] && fail "no summary expected when the TM cannot be opened: $(cat "$tmp/out")"
expect_status 0 "verbose lines for added pairs" -- selaras add --db "$tmp/v.db" --batch "$d" --verbose
grep -q "^$d/a.id.txt: document 1: 10 pairs stored (10 new units, 0 already in the TM)$" "$tmp/out" ||
    fail "--verbose line: $(cat "$tmp/out")"
grep -q "^$d/b.id.txt: document 2: 3 pairs stored (0 new units, 3 already in the TM)$" "$tmp/out" ||
    fail "--verbose line: $(cat "$tmp/out")"
expect_status 2 "batch and files" -- selaras add --db "$db" --batch "$d" "$ID_TXT" "$EN_TXT"
expect_stderr "not both"
expect_status 2 "equal suffixes" -- selaras add --db "$db" --batch "$d" --src-suffix .txt --tgt-suffix .txt
expect_status 2 "suffix without batch" -- selaras add --db "$db" --src-suffix .txt "$ID_TXT" "$EN_TXT"

# the aligner options of one pair apply to every document of a batch
pairs_of() {
    q "$1" "select s.text || char(9) || t.text from units u join segments s on s.id = u.src_segment
            join segments t on t.id = u.tgt_segment order by s.text, t.text"
}
# --srx: rules.srx ends an Indonesian sentence at ';' (the built-in rules do not)
mkdir "$tmp/srx"
printf 'Dia datang; kami pulang.\n' >"$tmp/srx/s.id.txt"
printf 'He came.\nWe went home.\n' >"$tmp/srx/s.en.txt"
expect_status 0 "batch --srx" -- selaras add --db "$tmp/srx.db" --batch "$tmp/srx" --srx "$DATA/rules.srx"
printf 'Dia datang;\tHe came.\nkami pulang.\tWe went home.\n' >"$tmp/want"
pairs_of "$tmp/srx.db" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "units of batch --srx"
expect_status 0 "batch without --srx" -- selaras add --db "$tmp/nosrx.db" --batch "$tmp/srx"
printf 'Dia datang; kami pulang.\tHe came. We went home.\n' >"$tmp/want"
pairs_of "$tmp/nosrx.db" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "units of the batch with the built-in rules"
# a bad SRX file stops the batch before the database is created
printf '<srx version="2.0"><body><languagerules><languagerule languagerulename="a">\n<rule><beforebreak>(x</beforebreak></rule></languagerule></languagerules><maprules><languagemap languagepattern=".*" languagerulename="a"/></maprules></body></srx>\n' >"$tmp/re.srx"
expect_status 1 "batch with a bad SRX file" -- selaras add --db "$tmp/badsrx.db" --batch "$tmp/srx" --srx "$tmp/re.srx"
expect_stderr "re.srx:2: bad regular expression"
[ -e "$tmp/badsrx.db" ] && fail "a batch with a bad SRX file created the database"
before=$(fingerprint "$tmp/srx.db")
expect_status 1 "batch with a bad SRX file, existing TM" -- selaras add --db "$tmp/srx.db" --pairs - --srx "$tmp/re.srx" <<EOT
$tmp/srx/s.id.txt	$tmp/srx/s.en.txt
EOT
[ "$(fingerprint "$tmp/srx.db")" = "$before" ] || fail "a batch with a bad SRX file changed the TM"

# --presegmented: one sentence per line, never split (the source line holds two)
mkdir "$tmp/pre"
printf 'Hujan turun. Kami pulang.\n' >"$tmp/pre/p.id.txt"
printf 'It rained.\nWe went home.\n' >"$tmp/pre/p.en.txt"
expect_status 0 "batch --presegmented" -- selaras add --db "$tmp/pre.db" --batch "$tmp/pre" --presegmented
printf 'Hujan turun. Kami pulang.\tIt rained. We went home.\n' >"$tmp/want"
pairs_of "$tmp/pre.db" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "units of batch --presegmented"

# --force: a pair that does not look like a translation is reported and
# skipped (the others go in), or aligned with --force
mkdir "$tmp/unrel"
cp "$tmp/srx/s.id.txt" "$tmp/srx/s.en.txt" "$tmp/unrel/"
printf 'Hujan turun.\n' >"$tmp/unrel/x.id.txt"
for i in 1 2 3 4 5 6 7 8 9 10; do
    echo "Sentence number $i of a long English text about something else entirely."
done >"$tmp/unrel/x.en.txt"
expect_status 1 "batch with an unrelated pair" -- selaras add --db "$tmp/unrel.db" --batch "$tmp/unrel"
expect_stderr "^selaras: $tmp/unrel/x.id.txt, $tmp/unrel/x.en.txt: the texts do not look like translations of each other: .*(pair skipped; use --force to align it anyway)$"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "one report expected: $(cat "$tmp/err")"
cat >"$tmp/want" <<EOT
database                   $tmp/unrel.db
documents added            1
documents already present  0
documents failed           1
  of which unrelated       1
files without a partner    0
pairs stored               1
units new                  1
units already in the TM    0
EOT
expect_same "$tmp/want" "$tmp/out" "summary with an unrelated pair"
[ "$(q "$tmp/unrel.db" 'select src_path from documents')" = "$tmp/unrel/s.id.txt" ] ||
    fail "only the related pair should be stored: $(q "$tmp/unrel.db" 'select src_path from documents')"
expect_status 0 "batch --force" -- selaras add --db "$tmp/unrel.db" --batch "$tmp/unrel" --force
grep -q '^documents added            1$' "$tmp/out" || fail "--force: $(cat "$tmp/out")"
grep -q '^documents already present  1$' "$tmp/out" || fail "--force: $(cat "$tmp/out")"
[ "$(q "$tmp/unrel.db" 'select count(*) from documents')" = 2 ] || fail "--force did not store the pair"

# --min-score: per document exactly what `add --min-score` stores for the
# pair alone; 1 keeps nothing (no score reaches 1).  The threshold is the
# median score of the sample article's pairs, so it splits them whatever
# the aligner's calibration.
mkdir "$tmp/min"
cp "$d/a.id.txt" "$d/a.en.txt" "$d/b.id.txt" "$d/b.en.txt" "$tmp/min/"
thr=$("$SELARAS" align --format json "$d/a.id.txt" "$d/a.en.txt" | grep -o '"score":[0-9.]*' |
    cut -d: -f2 | sort -n | awk '{ v[NR] = $1 } END { print v[int(NR / 2) + 1] }')
[ -n "$thr" ] || fail "no scores from align --format json"
expect_status 0 "batch --min-score $thr" -- selaras add --db "$tmp/min.db" --batch "$tmp/min" --min-score $thr
for n in a b; do
    expect_status 0 "add --min-score $thr $n" -- selaras add --db "$tmp/min1.db" --min-score $thr \
        "$tmp/min/$n.id.txt" "$tmp/min/$n.en.txt"
done
pairs_of "$tmp/min1.db" >"$tmp/want"
pairs_of "$tmp/min.db" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "units of batch --min-score against add --min-score"
OCC="select d.src_path, o.position, o.score from occurrences o join documents d on d.id = o.document order by 1, 2"
q "$tmp/min1.db" "$OCC" >"$tmp/want"
q "$tmp/min.db" "$OCC" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "occurrences of batch --min-score against add --min-score"
kept=$(q "$tmp/min.db" 'select count(*) from occurrences')
[ "$kept" -gt 0 ] && [ "$kept" -lt 13 ] || fail "--min-score $thr kept $kept of 13 pairs"
[ "$(q "$tmp/min.db" "select count(*) from occurrences where score < $thr")" = 0 ] ||
    fail "a pair below --min-score was stored"
expect_status 0 "batch --min-score 1" -- selaras add --db "$tmp/min2.db" --batch "$tmp/min" --min-score 1
grep -q '^documents added            2$' "$tmp/out" || fail "--min-score 1: $(cat "$tmp/out")"
grep -q '^pairs stored               0$' "$tmp/out" || fail "--min-score 1: $(cat "$tmp/out")"
expect_status 2 "batch --min-score out of range" -- selaras add --db "$tmp/min3.db" --batch "$tmp/min" --min-score 2
[ -e "$tmp/min3.db" ] && fail "a refused --min-score created the database"

# kill -9 in the middle of a batch: the documents finished stay, each whole
# (its own transaction), and running the batch again adds exactly the rest,
# giving what one uninterrupted run gives
mkdir "$tmp/many"
k=1
while [ $k -le 40 ]; do
    { cat "$ID_TXT"; echo; echo "Catatan nomor $k untuk arsip redaksi."; } >"$tmp/many/n$k.id.txt"
    { cat "$EN_TXT"; echo; echo "Note number $k for the newsroom archive."; } >"$tmp/many/n$k.en.txt"
    k=$((k + 1))
done
selaras add --db "$tmp/whole.db" --batch "$tmp/many" --quiet || fail "uninterrupted batch"
per_doc=$(q "$tmp/whole.db" 'select count(*) from occurrences where document = 1')
[ "$per_doc" -ge 10 ] || fail "a document of the big batch stores $per_doc pairs"
${SELARAS_WRAPPER:-} "$SELARAS" add --db "$tmp/cut.db" --batch "$tmp/many" --quiet 2>/dev/null &
pid=$!
n=0
while [ "$n" -lt 3 ] && kill -0 "$pid" 2>/dev/null; do
    [ -e "$tmp/cut.db" ] || continue  # (the sqlite3 shell would create it)
    n=$(q "$tmp/cut.db" 'select count(*) from documents' 2>/dev/null) || n=0
    n=${n:-0}
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ "$(q "$tmp/cut.db" 'pragma integrity_check')" = ok ] || fail "the interrupted batch's TM fails integrity_check"
done_docs=$(q "$tmp/cut.db" 'select count(*) from documents')
[ "$done_docs" -ge 3 ] || fail "the interrupted batch kept $done_docs documents"
echo "kill -9 after $done_docs of 40 documents"
q "$tmp/cut.db" "select d.id, count(o.unit) from documents d left join occurrences o on o.document = d.id
    group by d.id having count(o.unit) != $per_doc" >"$tmp/partial"
[ -s "$tmp/partial" ] && fail "documents stored in part by the interrupted batch: $(cat "$tmp/partial")"
expect_status 0 "the interrupted batch again" -- selaras add --db "$tmp/cut.db" --batch "$tmp/many"
grep -q "^documents added            $((40 - done_docs))\$" "$tmp/out" || fail "re-run after the kill: $(cat "$tmp/out")"
grep -q "^documents already present  $done_docs\$" "$tmp/out" || fail "re-run after the kill: $(cat "$tmp/out")"
DUMP="select d.src_path, o.position, o.bead, o.score, s.text, t.text from occurrences o
      join documents d on d.id = o.document join units u on u.id = o.unit
      join segments s on s.id = u.src_segment join segments t on t.id = u.tgt_segment order by 1, 2"
q "$tmp/whole.db" "$DUMP" >"$tmp/want"
q "$tmp/cut.db" "$DUMP" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "the TM of the interrupted and resumed batch"

# on a terminal (script(1) gives the command one) the progress line is drawn with \r
# (skipped where script(1) is missing or no pseudo-terminal can be opened)
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
    printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${SELARAS_WRAPPER:-}" "$SELARAS" >"$tmp/sel"
    chmod +x "$tmp/sel"
    script -qec "$tmp/sel add --db $tmp/tty.db --batch $d" /dev/null >"$tmp/tty" 2>&1 ||
        fail "batch under script failed: $(cat "$tmp/tty")"
    grep -q "$(printf '\r')2/2 documents (100%)  13 pairs  [0-9.]* docs/s  ETA 0:00:00" "$tmp/tty" ||
        fail "no final progress line on a terminal: $(od -c "$tmp/tty" | head -20)"
    grep -q "$(printf '\r')0/2 documents (0%)  0 pairs" "$tmp/tty" || fail "no initial progress line"
    grep -q '^documents added            2' "$tmp/tty" || fail "no summary on a terminal"
    script -qec "$tmp/sel add --db $tmp/tty.db --batch $d --quiet" /dev/null >"$tmp/tty" 2>&1
    [ -s "$tmp/tty" ] && fail "--quiet on a terminal printed: $(od -c "$tmp/tty" | head -5)"
else
    echo "no script(1) or no pseudo-terminal: the terminal checks were not run" >&2
fi
finish
