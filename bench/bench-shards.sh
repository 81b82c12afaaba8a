#!/bin/sh
# Batch building and its sharded form: `selaras add --batch` of the LibreOffice
# help document pairs in one process, then the same pairs in two shards run by
# GNU parallel (-j 2), merged with `selaras merge`.  Baseline of the sharded
# rows: the single process.
# BENCH_SCALE repeats the corpus, rounded, at least once (copies with a
# marker line, so every copy is a new document).  Skips without the corpus or
# GNU parallel.
set -u
: "${SELARAS:?}" "${SHARED_DIR:?}" "${BENCH_TMP:?}"
docs="$SHARED_DIR/corpora/align-lohelp-id-en/docs"
[ -d "$docs" ] || { echo "bench-shards: no $docs" >&2; exit 77; }
parallel --version 2>/dev/null | grep -q 'GNU parallel' || { echo "bench-shards: no GNU parallel" >&2; exit 77; }
copies=$(awk -v s="${BENCH_SCALE:-1}" 'BEGIN { c = int(s + 0.5); print c < 1 ? 1 : c }')
w="$BENCH_TMP/shards"
rm -rf "$w" && mkdir -p "$w/corpus" || exit 1
c=1
while [ $c -le "$copies" ]; do
    for f in "$docs"/*.id.txt; do
        n=$(basename "$f" .id.txt)
        { echo "Salinan $c."; cat "$f"; } >"$w/corpus/$n-$c.id.txt"
        { echo "Copy $c."; cat "$docs/$n.en.txt"; } >"$w/corpus/$n-$c.en.txt"
    done
    c=$((c + 1))
done
total=$(ls "$w/corpus"/*.id.txt | wc -l)
(cd "$w/corpus" && ls *.id.txt | sed 's/\.id\.txt$//' | awk '{ print "corpus/" $0 ".id.txt\tcorpus/" $0 ".en.txt" }' |
    split -n r/2 --additional-suffix=.tsv - ../shard.)

now() { date +%s.%N; }
# Peak RSS (kB) through GNU time when it is there; the field stays empty otherwise.
timer=
[ -x /usr/bin/time ] && timer="/usr/bin/time -f %M -o"

t0=$(now)
${timer:+$timer "$w/single.time"} "$SELARAS" add --quiet --db "$w/single.db" --batch "$w/corpus" ||
    { echo "bench-shards: single build failed" >&2; exit 1; }
t1=$(now)
shard_time='{.}.time'  # a literal brace would end the ${...} below
parallel --will-cite -j 2 ${timer:+$timer $shard_time} "$SELARAS" add --quiet --db {.}.db --pairs {} \
    ::: "$w"/shard.*.tsv || { echo "bench-shards: a shard failed" >&2; exit 1; }
t2=$(now)
# the recipe ends with one TM: the merge is part of the sharded build's time
"$SELARAS" merge --db "$w/merged.db" "$w"/shard.*.db >/dev/null ||
    { echo "bench-shards: merge failed" >&2; exit 1; }
t3=$(now)
units() { sqlite3 -batch -noheader "$1" 'select count(*) from units' 2>/dev/null; }
if command -v sqlite3 >/dev/null 2>&1 && [ "$(units "$w/merged.db")" != "$(units "$w/single.db")" ]; then
    echo "bench-shards: the merged shards hold $(units "$w/merged.db") units, the single build $(units "$w/single.db")" >&2
    exit 1
fi

r1=$(cat "$w/single.time" 2>/dev/null | tail -n 1)
r2=$(cat "$w"/shard.*.time 2>/dev/null | awk '$1 + 0 > m { m = $1 + 0 } END { if (m) print m }')
awk -v n="$total" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v r1="$r1" -v r2="$r2" 'BEGIN {
    s = n / (b - a); p = n / (c - b); m = n / (d - b)
    printf "add-batch\tdocuments_per_s\t%.2f\tdocs/s\t\t\t%s\n", s, r1
    printf "add-2-shards\tdocuments_per_s\t%.2f\tdocs/s\t%.2f\t%.2f\t%s\n", p, s, p / s, r2
    printf "add-2-shards+merge\tdocuments_per_s\t%.2f\tdocs/s\t%.2f\t%.2f\t\n", m, s, m / s
}'
