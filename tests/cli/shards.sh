#!/bin/sh
# The sharding recipe of the README: split a corpus of document pairs into N
# shards, build one TM per shard with GNU parallel, combine them with
# `selaras merge`, and check that the merged TM holds exactly what a
# single-process build holds (same units, documents and occurrences, same
# counts).
. "$TOP_SRCDIR/tests/cli/lib.sh"
if ! parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
    echo "SKIP: GNU parallel is not installed (Debian package parallel)"; exit 77
fi
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: no sqlite3 shell"; exit 77; }
shards=3

# The corpus: 24 document pairs cut from the hand-written sentence pairs
# (windows of 2-4 sentences; every other one with two sentences per line),
# the sample article itself, one edited translation and one exact duplicate
# under another name.
c="$tmp/corpus"
mkdir "$c"
grep . "$DATA/article.id.sents" >"$tmp/id"; cat "$tmp/id" "$tmp/id" >"$tmp/id2"
grep . "$DATA/article.en.sents" >"$tmp/en"; cat "$tmp/en" "$tmp/en" >"$tmp/en2"
k=0
while [ $k -lt 24 ]; do
    first=$((k % 10 + 1)); last=$((first + 1 + k % 3))
    for side in id en; do
        if [ $((k % 2)) -eq 1 ]; then
            sed -n "${first},${last}p" "$tmp/${side}2" | paste -d ' ' - - >"$c/doc$k.$side.txt"
        else
            sed -n "${first},${last}p" "$tmp/${side}2" >"$c/doc$k.$side.txt"
        fi
    done
    k=$((k + 1))
done
cp "$ID_TXT" "$c/article.id.txt"; cp "$EN_TXT" "$c/article.en.txt"
cp "$ID_TXT" "$c/edited.id.txt"
sed 's/expressed his confidence/voiced his confidence/' "$EN_TXT" >"$c/edited.en.txt"
cp "$c/doc3.id.txt" "$c/zcopy.id.txt"; cp "$c/doc3.en.txt" "$c/zcopy.en.txt"
total=$(ls "$c"/*.id.txt | wc -l)
[ "$total" -eq 27 ] || fail "corpus has $total pairs, expected 27"

# A wrapper, so that parallel runs the binary under test (and valgrind if asked).
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${SELARAS_WRAPPER:-}" "$SELARAS" >"$tmp/sel"
chmod +x "$tmp/sel"

# 1. the single-process build
expect_status 0 "single build" -- "$tmp/sel" add --quiet --db "$tmp/single.db" --batch "$c"

# 2. the recipe: round-robin the pairs into shard directories (links), one
#    `selaras add --batch` per shard, run by GNU parallel
ls "$c"/*.id.txt | sed 's/\.id\.txt$//' | split -n r/$shards - "$tmp/list."
i=1
for list in "$tmp"/list.*; do
    mkdir "$tmp/shard$i"
    while read -r stem; do
        ln -s "$stem.id.txt" "$tmp/shard$i/"; ln -s "$stem.en.txt" "$tmp/shard$i/"
    done <"$list"
    i=$((i + 1))
done
[ $i -eq $((shards + 1)) ] || fail "split made $((i - 1)) shards, expected $shards"
parallel --will-cite -j 2 "$tmp/sel" add --quiet --db "$tmp/shard{}.db" --batch "$tmp/shard{}" \
    ::: $(seq $shards) >"$tmp/out" 2>"$tmp/err" || fail "parallel: a shard failed: $(cat "$tmp/err")"
[ -s "$tmp/err" ] && fail "shards wrote on stderr: $(cat "$tmp/err")"

# 2b. the same with lists of pairs instead of directories (the README's form):
#     the names in the lists are relative to the lists' directory
(cd "$c" && ls *.id.txt | sed 's/\.id\.txt$//' | awk '{ print $0 ".id.txt\t" $0 ".en.txt" }' |
    split -n r/$shards --additional-suffix=.tsv - "$tmp/plist.")
ls "$tmp"/plist.*.tsv >/dev/null 2>&1 || fail "no shard lists"
sed -i "s|^|../corpus/|; s|\t|\t../corpus/|" "$tmp"/plist.*.tsv
mkdir "$tmp/lists" && mv "$tmp"/plist.*.tsv "$tmp/lists/"
parallel --will-cite -j 2 "$tmp/sel" add --quiet --db {.}.db --pairs {} ::: "$tmp"/lists/plist.*.tsv \
    >"$tmp/out" 2>"$tmp/err" || fail "parallel with --pairs: a shard failed: $(cat "$tmp/err")"
n=1
for db in "$tmp"/lists/plist.*.db; do cp "$db" "$tmp/pshard$n.db"; n=$((n + 1)); done
[ $n -eq $((shards + 1)) ] || fail "--pairs made $((n - 1)) shard databases"

# 3. merge the shards of each form into one TM
expect_status 0 "merge the shards" -- "$tmp/sel" merge --db "$tmp/merged.db" \
    "$tmp/shard1.db" "$tmp/shard2.db" "$tmp/shard3.db"
# every document of the shards is merged or found already there (the duplicate
# pair, when round-robin put it into another shard than its original)
in_shards=0
for i in $(seq $shards); do
    in_shards=$((in_shards + $(sqlite3 -batch -noheader "$tmp/shard$i.db" 'select count(*) from documents')))
done
grep -q "^$tmp/merged.db: 26 documents merged ($((in_shards - 26)) already there), " "$tmp/out" ||
    fail "merge summary ($in_shards documents in the shards): $(cat "$tmp/out")"
# the --pairs shards in the other order: the order of the shards does not matter
expect_status 0 "merge the --pairs shards" -- "$tmp/sel" merge --db "$tmp/pmerged.db" \
    "$tmp/pshard3.db" "$tmp/pshard2.db" "$tmp/pshard1.db"

# 4. compare: the merged TMs equal the single build, row for row (no
#    deduplication here: a unit or document stored twice would show)
q() { sqlite3 -batch -noheader -separator '	' "$1" "$2"; }
UNITS="select s.lang, t.lang, s.text, t.text from units u
       join segments s on s.id = u.src_segment join segments t on t.id = u.tgt_segment"
DOCS="select src_sha256, tgt_sha256, src_lang, tgt_lang from documents"
OCC="select d.src_sha256, d.tgt_sha256, o.position, o.bead, o.score, s.text, t.text
     from occurrences o join documents d on d.id = o.document join units u on u.id = o.unit
     join segments s on s.id = u.src_segment join segments t on t.id = u.tgt_segment"
for what in UNITS DOCS OCC; do
    eval "sql=\$$what"
    q "$tmp/single.db" "$sql" | LC_ALL=C sort >"$tmp/single.$what"
    [ -s "$tmp/single.$what" ] || fail "single build has no $what"
    q "$tmp/merged.db" "$sql" | LC_ALL=C sort >"$tmp/merged.$what"
    expect_same "$tmp/single.$what" "$tmp/merged.$what" "$what of the merged shards"
    q "$tmp/pmerged.db" "$sql" | LC_ALL=C sort >"$tmp/pmerged.$what"
    expect_same "$tmp/single.$what" "$tmp/pmerged.$what" "$what of the merged --pairs shards"
    # and the shards together hold the same, so the merge neither lost nor invented rows
    for i in $(seq $shards); do q "$tmp/shard$i.db" "$sql"; done | LC_ALL=C sort -u >"$tmp/shards.$what"
    LC_ALL=C sort -u "$tmp/single.$what" >"$tmp/single-u.$what"
    expect_same "$tmp/single-u.$what" "$tmp/shards.$what" "$what of the shards"
done
# the same counts: every unit once, every document pair once (the duplicate is
# one document: the single build finds it in the same run, the merge across shards)
COUNTS="select (select count(*) from units) || ' ' || (select count(*) from documents) || ' ' ||
        (select count(*) from occurrences) || ' ' || (select count(*) from segments)"
want=$(q "$tmp/single.db" "$COUNTS")
[ "$(q "$tmp/merged.db" "$COUNTS")" = "$want" ] ||
    fail "counts (units documents occurrences segments): single $want, merged $(q "$tmp/merged.db" "$COUNTS")"
[ "$(q "$tmp/pmerged.db" "$COUNTS")" = "$want" ] ||
    fail "counts: single $want, merged --pairs shards $(q "$tmp/pmerged.db" "$COUNTS")"
[ "$(q "$tmp/single.db" 'select count(*) from documents')" -eq 26 ] ||
    fail "expected 26 documents (27 pairs, one a duplicate)"
for db in merged pmerged; do
    [ "$(q "$tmp/$db.db" 'pragma integrity_check')" = ok ] || fail "$db.db fails integrity_check"
done
# the edited translation gives a second unit for one source sentence
[ "$(q "$tmp/single.db" "select count(*) from units u join segments t on t.id = u.tgt_segment
     where t.text like '%voiced his confidence%'")" -eq 1 ] || fail "edited translation missing"

# 5. re-running the shards adds nothing, and merging them again neither
expect_status 0 "merge again" -- "$tmp/sel" merge --db "$tmp/merged.db" \
    "$tmp/shard1.db" "$tmp/shard2.db" "$tmp/shard3.db"
grep -q "^$tmp/merged.db: 0 documents merged ($in_shards already there), 0 pairs" "$tmp/out" ||
    fail "second merge: $(cat "$tmp/out")"
[ "$(q "$tmp/merged.db" "$COUNTS")" = "$want" ] || fail "merging the same shards again changed the counts"
parallel --will-cite -j 2 "$tmp/sel" add --db "$tmp/shard{}.db" --batch "$tmp/shard{}" \
    ::: $(seq $shards) >"$tmp/out" 2>"$tmp/err" || fail "second parallel run failed"
[ "$(grep -c '^documents added            0$' "$tmp/out")" -eq $shards ] ||
    fail "a second run added documents: $(cat "$tmp/out")"
finish
