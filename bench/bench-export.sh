#!/bin/sh
# TMX export throughput and peak memory of `selaras export` on a TM of 50k and
# then 250k units (times BENCH_SCALE), beside a bare libxml2 xmlTextWriter
# loop (bench/xml-raw) that writes the same units with the same elements from
# a flat file, in the same run.  MB/s is TMX bytes written per CPU second.
# The TM is built by bench/tm-fill through the library from the real sentence
# pairs of the shared alignment sets (cycled, with a pass number appended
# after the first pass so the units stay distinct), 100 pairs per document.
# BENCH_SCALE=4 exports a TM of 1,000,000 units; the default stops at 250k
# because building the TM (about 5,000 units per CPU second) costs far more
# than exporting it.  The last row compares the peak RSS at the two sizes:
# export's memory should not grow with the TM.
. "$TOP_SRCDIR/bench/lib.sh"
sets="align-pud-id-en align-lohelp-id-en align-debref-id-en"
# shellcheck disable=SC2086
need_corpora $sets
TM_FILL=$BENCH_BINDIR/tm-fill
XML_RAW=$BENCH_BINDIR/xml-raw
[ -x "$TM_FILL" ] && [ -x "$XML_RAW" ] || die "bench/tm-fill or bench/xml-raw is missing"

# The 1-1 beads of the gold alignments as "source TAB target" lines.
for set in $sets; do
    for g in "$CORPORA/$set"/docs/*.gold.tsv; do
        d=${g%.gold.tsv}
        awk -F '\t' -v sf="$d.id.sents" -v tf="$d.en.sents" '
            BEGIN {
                while ((getline l < sf) > 0) s[n++] = l
                while ((getline l < tf) > 0) t[m++] = l
            }
            $1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ && s[$1] != "" && t[$2] != "" { print s[$1] "\t" t[$2] }
        ' "$g"
    done
done >"$BENCH_TMP/pairs.tsv"
[ -s "$BENCH_TMP/pairs.tsv" ] || die "no 1-1 sentence pairs in the alignment sets"

db=$BENCH_TMP/tm.db
for base in 50000 250000; do
    want=$(scaled "$base" 100)
    units=$("$TM_FILL" fill "$db" "$BENCH_TMP/pairs.tsv" "$want" 100) || die "tm-fill failed"
    label=$(awk -v n="$want" 'BEGIN { if (n >= 1000) printf "%gk", n / 1000; else print n }')

    best 3 sl "$SELARAS" export --db "$db" -o "$BENCH_TMP/sl.tmx" >/dev/null || die "selaras export failed"
    sl_bytes=$(bytes "$BENCH_TMP/sl.tmx")
    rm -f "$BENCH_TMP/sl.tmx"

    "$TM_FILL" dump "$db" "$BENCH_TMP/units.tsv" || die "tm-fill dump failed"
    best 3 raw "$XML_RAW" "$BENCH_TMP/units.tsv" "$BENCH_TMP/raw.tmx" >/dev/null ||
        die "xml-raw failed"
    raw_bytes=$(bytes "$BENCH_TMP/raw.tmx")
    rm -f "$BENCH_TMP/units.tsv" "$BENCH_TMP/raw.tmx"

    sl_mbs=$(mbps "$sl_bytes" "$sl_cpu") raw_mbs=$(mbps "$raw_bytes" "$raw_cpu")
    row export "$label units ($units, $(mb "$sl_bytes") MB TMX): speed" "$sl_mbs" MB/s \
        "$raw_mbs" "$(ratio "$sl_mbs" "$raw_mbs")" "$sl_rss"
    row export "$label units: units/s" "$(rate "$units" "$sl_cpu" 0)" units/s \
        "$(rate "$units" "$raw_cpu" 0)" "$(ratio "$raw_cpu" "$sl_cpu")" "$sl_rss"
    row export "$label units: peak RSS" "$(kb2mb "$sl_rss")" MB "$(kb2mb "$raw_rss")" \
        "$(ratio "$sl_rss" "$raw_rss")" "$sl_rss"
    [ -n "${first_rss:-}" ] || first_rss=$sl_rss first_units=$units
done
row export "peak RSS at $units vs $first_units units" "$(kb2mb "$sl_rss")" MB \
    "$(kb2mb "$first_rss")" "$(ratio "$sl_rss" "$first_rss")" "$sl_rss"
