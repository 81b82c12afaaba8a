#!/bin/sh
# Alignment speed (source sentences per CPU second) and peak memory of
# `selaras align --presegmented` at 1k, 10k and 100k sentences per side
# (times BENCH_SCALE), against a textbook full-matrix Gale-Church DP
# (bench/gc-plain) on the same input in the same run.  The input is the
# documents of the shared alignment sets with 10% merges and 5% deletions
# (make_synthetic.py, fixed seed), concatenated, a blank line between
# documents, repeated as needed.  gc-plain needs 9 bytes per matrix cell; where
# that passes 2 GB it is not run and its columns say n/a.
. "$TOP_SRCDIR/bench/lib.sh"
sets="align-pud-id-en align-lohelp-id-en align-debref-id-en"
# shellcheck disable=SC2086
need_corpora $sets
GC_PLAIN=$BENCH_BINDIR/gc-plain
[ -x "$GC_PLAIN" ] || die "$GC_PLAIN is missing"
GC_MAX_MB=2048

# One pass over every document: pass.id / pass.en, a blank line after each.
: >"$BENCH_TMP/pass.id"
: >"$BENCH_TMP/pass.en"
for set in $sets; do
    docs=$CORPORA/$set/docs
    if command -v python3 >/dev/null 2>&1 &&
        python3 "$CORPORA/make_synthetic.py" --seed 11 --merge-rate 0.10 --delete-rate 0.05 \
            --cross-paragraph "$docs" "$BENCH_TMP/syn-$set" >/dev/null 2>&1; then
        docs=$BENCH_TMP/syn-$set
    else
        echo "make_synthetic.py failed for $set; using the unperturbed documents" >&2
    fi
    for g in "$docs"/*.gold.tsv; do
        d=${g%.gold.tsv}
        [ -s "$d.id.sents" ] && [ -s "$d.en.sents" ] || continue
        { grep -v '^[[:space:]]*$' "$d.id.sents" && echo; } >>"$BENCH_TMP/pass.id"
        { grep -v '^[[:space:]]*$' "$d.en.sents" && echo; } >>"$BENCH_TMP/pass.en"
    done
done
[ -s "$BENCH_TMP/pass.id" ] || die "no documents in the alignment sets"

# make_input N: whole documents from the passes until the source side has N
# sentences; prints the counts "SRC TGT"
make_input() {
    awk -v n="$1" -v sf="$BENCH_TMP/pass.id" -v tf="$BENCH_TMP/pass.en" \
        -v so="$BENCH_TMP/in.id" -v to="$BENCH_TMP/in.en" 'BEGIN {
        RS = ""
        while (ns < n) {
            if ((getline s < sf) <= 0 || (getline t < tf) <= 0) {
                close(sf); close(tf)
                if (++passes > 1000) break
                continue
            }
            print s "\n" > so
            print t "\n" > to
            ns += split(s, a, "\n")
            nt += split(t, a, "\n")
        }
        print ns, nt
    }'
}

for base in 1000 10000 100000; do
    n=$(scaled "$base" 20)
    read -r ns nt <<EOF_COUNTS
$(make_input "$n")
EOF_COUNTS
    label=$(awk -v n="$n" 'BEGIN { if (n >= 1000) printf "%gk", n / 1000; else print n }')
    # the small sizes are cheap enough to take the best of three
    reps=1
    [ "$base" -le 1000 ] && reps=3
    best "$reps" sl "$SELARAS" align --presegmented --format beads "$BENCH_TMP/in.id" "$BENCH_TMP/in.en" \
        >/dev/null || die "selaras align failed at $ns x $nt sentences"
    sl_speed=$(rate "$ns" "$sl_cpu" 0)
    gc_speed=n/a gc_rss_mb=n/a speed_ratio='' rss_ratio=''
    need_mb=$(awk -v a="$ns" -v b="$nt" 'BEGIN { printf "%d", (a + 1) * (b + 1) * 9 / 1048576 }')
    if [ "$need_mb" -le "$GC_MAX_MB" ]; then
        best "$reps" gc "$GC_PLAIN" -m "$GC_MAX_MB" "$BENCH_TMP/in.id" "$BENCH_TMP/in.en" >/dev/null ||
            die "gc-plain failed at $ns x $nt sentences"
        gc_speed=$(rate "$ns" "$gc_cpu" 0)
        gc_rss_mb=$(kb2mb "$gc_rss")
        speed_ratio=$(ratio "$sl_speed" "$gc_speed")
        rss_ratio=$(ratio "$sl_rss" "$gc_rss")
    fi
    row align "$label sent/side ($ns x $nt): speed" "$sl_speed" sent/s "$gc_speed" "$speed_ratio" "$sl_rss"
    row align "$label sent/side: peak RSS" "$(kb2mb "$sl_rss")" MB "$gc_rss_mb" "$rss_ratio" "$sl_rss"
done
