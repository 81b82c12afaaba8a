#!/bin/sh
# Segmentation throughput of `selaras segment` against a bare ICU sentence
# BreakIterator loop (bench/icu-raw) over the same UTF-8 text (through a
# UTF-8 UText, and for reference through a UTF-16 copy, which selaras uses),
# and peak memory at two input sizes (it should not grow with the file).  The text is
# the real Indonesian (and English) prose of the shared corpora, repeated up
# to 50 MB x BENCH_SCALE (the smaller size is a fifth of that).
. "$TOP_SRCDIR/bench/lib.sh"
need_corpora seg-id-ud seg-en-ud align-pud-id-en align-lohelp-id-en align-debref-id-en
ICU_RAW=$BENCH_BINDIR/icu-raw
[ -x "$ICU_RAW" ] || die "$ICU_RAW is missing"

# make_text OUT BYTES FILE...: the files (a blank line between them) repeated
# and cut at a line end once OUT holds at least BYTES bytes
make_text() {
    out=$1 want=$2
    shift 2
    for f in "$@"; do
        cat "$f" && echo
    done >"$BENCH_TMP/base.txt" || die "cannot read the corpora"
    have=$(bytes "$BENCH_TMP/base.txt")
    [ "$have" -gt 0 ] || die "no text in the corpora"
    copies=$(((want + have - 1) / have))
    i=0
    while [ $i -lt "$copies" ]; do
        cat "$BENCH_TMP/base.txt"
        i=$((i + 1))
    done | LC_ALL=C awk -v max="$want" '{ print; n += length($0) + 1; if (n >= max) exit }' >"$out"
    rm -f "$BENCH_TMP/base.txt"
}

big=$(scaled 50000000 100000)
small=$((big / 5))

# lang_run LANG TEXT...: segment, then ICU, on a text of $big bytes
lang_run() {
    lang=$1
    shift
    make_text "$BENCH_TMP/big.txt" "$big" "$@"
    size=$(bytes "$BENCH_TMP/big.txt")
    best 3 sl "$SELARAS" segment --lang "$lang" "$BENCH_TMP/big.txt" >/dev/null ||
        die "selaras segment --lang $lang failed"
    best 3 icu "$ICU_RAW" "$BENCH_TMP/big.txt" "$lang" >/dev/null || die "icu-raw failed"
    best 3 icu16 "$ICU_RAW" "$BENCH_TMP/big.txt" "$lang" utf16 >/dev/null ||
        die "icu-raw utf16 failed"
    sl_mbs=$(mbps "$size" "$sl_cpu") icu_mbs=$(mbps "$size" "$icu_cpu")
    icu16_mbs=$(mbps "$size" "$icu16_cpu")
    row segment "$lang: throughput, $(mb "$size") MB" "$sl_mbs" MB/s "$icu_mbs" \
        "$(ratio "$sl_mbs" "$icu_mbs")" "$sl_rss"
    row segment "$lang: the same beside ICU over UTF-16" "$sl_mbs" MB/s "$icu16_mbs" \
        "$(ratio "$sl_mbs" "$icu16_mbs")" "$sl_rss"
    big_rss=$sl_rss big_size=$size
}

id_files=$(ls "$CORPORA"/seg-id-ud/*.txt "$CORPORA"/align-pud-id-en/docs/*.id.txt \
    "$CORPORA"/align-lohelp-id-en/docs/*.id.txt "$CORPORA"/align-debref-id-en/docs/*.id.txt)
en_files=$(ls "$CORPORA"/seg-en-ud/*.txt "$CORPORA"/align-pud-id-en/docs/*.en.txt \
    "$CORPORA"/align-lohelp-id-en/docs/*.en.txt "$CORPORA"/align-debref-id-en/docs/*.en.txt)

# shellcheck disable=SC2086 # the corpus file names have no spaces
lang_run id $id_files
# shellcheck disable=SC2086
make_text "$BENCH_TMP/small.txt" "$small" $id_files
size=$(bytes "$BENCH_TMP/small.txt")
measure small "$SELARAS" segment --lang id "$BENCH_TMP/small.txt" >/dev/null ||
    die "selaras segment failed on the small text"
row segment "id: peak RSS, $(mb "$size") MB input" "$(kb2mb "$small_rss")" MB "" "" "$small_rss"
row segment "id: peak RSS, $(mb "$big_size") MB input" "$(kb2mb "$big_rss")" MB "" "" "$big_rss"
rm -f "$BENCH_TMP/small.txt"

# shellcheck disable=SC2086
lang_run en $en_files
