#!/bin/sh
# TMX import throughput and peak memory of `selaras import` beside a bare
# libxml2 xmlTextReader loop over the same file (`xmllint --stream --noout`),
# in the same run.  The TMX holds 250,000 units (times BENCH_SCALE; 4 gives the
# 1,000,000 of issue 5, a few minutes on a busy 2-core machine) made
# from the real 1-1 sentence pairs of the shared alignment sets, cycled, with
# a pass number appended after the first pass so that every unit is new.
# Speeds are per CPU second (user + system), so other load on the machine
# matters less.  A second import of half the units shows whether memory
# grows with the file.  Rows follow the `make bench` contract:
# benchmark metric value unit baseline ratio peak_rss_kb.
set -u
: "${SELARAS:?}" "${TOP_SRCDIR:?}"
SHARED_DIR=${SHARED_DIR:-$TOP_SRCDIR/../shared}
BENCH_SCALE=${BENCH_SCALE:-1}
BENCH_TMP=${BENCH_TMP:-$(mktemp -d "${TMPDIR:-/tmp}/bench-import.XXXXXX")}
CORPORA=$SHARED_DIR/corpora
TIME=/usr/bin/time
XMLLINT=${XMLLINT:-xmllint}
skip() { echo "SKIP: bench-import: $*" >&2; exit 77; }
die() { echo "bench-import: $*" >&2; exit 1; }
[ -d "$CORPORA" ] || skip "no corpora in $CORPORA"
[ -x "$TIME" ] || skip "no GNU time at $TIME (apt-get install time)"
command -v "$XMLLINT" >/dev/null 2>&1 || skip "no xmllint (apt-get install libxml2-utils)"
mkdir -p "$BENCH_TMP" || die "cannot create $BENCH_TMP"

# the 1-1 pairs of the gold alignments, "source TAB target"
for g in "$CORPORA"/align-*-id-en/docs/*.gold.tsv; do
    [ -f "$g" ] || continue
    d=${g%.gold.tsv}
    awk -F '\t' -v sf="$d.id.sents" -v tf="$d.en.sents" '
        BEGIN { while ((getline l < sf) > 0) s[n++] = l; while ((getline l < tf) > 0) t[m++] = l }
        $1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ && s[$1] != "" && t[$2] != "" { print s[$1] "\t" t[$2] }' "$g"
done | awk -F '\t' '!seen[$0]++' >"$BENCH_TMP/pairs.tsv"
[ -s "$BENCH_TMP/pairs.tsv" ] || skip "no 1-1 sentence pairs in $CORPORA/align-*-id-en"

units=$(awk -v s="$BENCH_SCALE" 'BEGIN { n = int(250000 * s); print n < 1000 ? 1000 : n }')
# make_tmx N FILE: N units, each with a prop and a tuid, like a CAT tool's export
make_tmx() {
    awk -F '\t' -v want="$1" '
        function esc(x) { gsub(/&/, "\\&amp;", x); gsub(/</, "\\&lt;", x); gsub(/>/, "\\&gt;", x); return x }
        { s[NR] = esc($1); t[NR] = esc($2) }
        END {
            print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            print "<tmx version=\"1.4\">"
            print "  <header creationtool=\"bench\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"bench\" adminlang=\"en\" srclang=\"id\" datatype=\"plaintext\"/>"
            print "  <body>"
            for (i = 0; i < want; i++) {
                k = i % NR + 1; pass = int(i / NR)
                sfx = pass ? " (" pass ")" : ""
                printf "    <tu tuid=\"%d\" creationdate=\"20240101T000000Z\">\n      <prop type=\"x-bench\">%d</prop>\n", i + 1, pass
                printf "      <tuv xml:lang=\"id\">\n        <seg>%s%s</seg>\n      </tuv>\n", s[k], sfx
                printf "      <tuv xml:lang=\"en\">\n        <seg>%s%s</seg>\n      </tuv>\n    </tu>\n", t[k], sfx
            }
            print "  </body>"
            print "</tmx>"
        }' "$BENCH_TMP/pairs.tsv" >"$2" || die "cannot write $2"
}
make_tmx "$units" "$BENCH_TMP/full.tmx"
make_tmx $((units / 2)) "$BENCH_TMP/half.tmx"
bytes=$(wc -c <"$BENCH_TMP/full.tmx")

# run_timed NAME CMD...: CPU seconds in $cpu, peak RSS (kB) in $rss
run_timed() {
    name=$1; shift
    "$TIME" -f '%U %S %M' -o "$BENCH_TMP/$name.time" "$@" >"$BENCH_TMP/$name.out" 2>"$BENCH_TMP/$name.err" ||
        die "$name failed: $(tail -3 "$BENCH_TMP/$name.err")"
    read -r u s rss <"$BENCH_TMP/$name.time"
    cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { c = u + s; print (c > 0 ? c : 0.01) }')
}

run_timed reader "$XMLLINT" --stream --noout "$BENCH_TMP/full.tmx"
base_cpu=$cpu; base_rss=$rss
rm -f "$BENCH_TMP/tm.db" "$BENCH_TMP/tm.db-wal" "$BENCH_TMP/tm.db-shm"
run_timed import "$SELARAS" import --db "$BENCH_TMP/tm.db" "$BENCH_TMP/full.tmx"
imp_cpu=$cpu; imp_rss=$rss
grep -q "$units pairs stored ($units new units" "$BENCH_TMP/import.out" || die "unexpected import result: $(cat "$BENCH_TMP/import.out")"
rm -f "$BENCH_TMP/half.db" "$BENCH_TMP/half.db-wal" "$BENCH_TMP/half.db-shm"
run_timed half "$SELARAS" import --db "$BENCH_TMP/half.db" "$BENCH_TMP/half.tmx"
half_rss=$rss
db_bytes=$(wc -c <"$BENCH_TMP/tm.db")

# SQLite's own floor for the same units (bench/sqlite-floor.c): the bare rows
# (two segments and a unit, no index) and the FTS5 fill, CPU seconds each
floor_rows='' floor_fts=''
if [ -x "${BENCH_BINDIR:-}/sqlite-floor" ]; then
    "$BENCH_BINDIR/sqlite-floor" "$BENCH_TMP/pairs.tsv" "$units" "$BENCH_TMP/floor.db" >"$BENCH_TMP/floor.out" ||
        die "sqlite-floor failed"
    floor_rows=$(awk '$1 == "rows" { print $2 }' "$BENCH_TMP/floor.out")
    floor_fts=$(awk '$1 == "fts" { print $2 }' "$BENCH_TMP/floor.out")
fi

awk -v n="$units" -v b="$bytes" -v ic="$imp_cpu" -v bc="$base_cpu" -v ir="$imp_rss" -v br="$base_rss" \
    -v hr="$half_rss" -v dbb="$db_bytes" -v fr="$floor_rows" -v ff="$floor_fts" 'BEGIN {
    OFS = "\t"
    mb = b / 1e6
    print "import", "units_per_s", sprintf("%.0f", n / ic), "units/s", "", "", ir
    print "import", "MB_per_s", sprintf("%.1f", mb / ic), "MB/s", sprintf("%.1f", mb / bc), sprintf("%.2f", (mb / ic) / (mb / bc)), ir
    print "import", "peak_rss_half_file", hr, "kB", ir, sprintf("%.2f", hr / ir), hr
    print "import", "db_bytes_per_unit", sprintf("%.0f", dbb / n), "B", "", "", ""
    print "import", "tmx_MB", sprintf("%.1f", mb), "MB", "", "", br
    if (fr != "" && ff != "") {
        # the most an import that keeps a full-text index could reach here:
        # parsing (the bare reader) + the bare rows + the FTS5 fill, beside
        # the 100,000 units/s of issue 5
        print "import", "floor: bare SQLite rows alone", sprintf("%.0f", n / (fr > 0 ? fr : 0.001)), "units/s", "", "", ""
        print "import", "floor: FTS5 fill alone", sprintf("%.0f", n / (ff > 0 ? ff : 0.001)), "units/s", "", "", ""
        fl = n / (bc + fr + ff)
        print "import", "floor: reader + rows + FTS5", sprintf("%.0f", fl), "units/s", 100000, sprintf("%.2f", fl / 100000), ""
        print "import", "units_per_s against that floor", sprintf("%.0f", n / ic), "units/s", sprintf("%.0f", fl), sprintf("%.2f", (n / ic) / fl), ir
    }
}'
