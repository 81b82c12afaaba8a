#!/bin/sh
# `selaras add` throughput: every real document pair of the shared alignment
# sets (PUD news articles, LibreOffice Help and Debian Reference chapters,
# 459 pairs) added one `selaras add` call each into a fresh TM, as a user's
# batch would.  BENCH_SCALE takes a share of them, or above 1 adds further
# copies (each made distinct by a first line) so that nothing is skipped as
# already present.  The baseline is the same loop through `selaras align`:
# segmenting and aligning each pair without a TM, so the ratio is the share
# of add's time that is not spent storing.
. "$TOP_SRCDIR/bench/lib.sh"
sets="align-pud-id-en align-lohelp-id-en align-debref-id-en"
# shellcheck disable=SC2086
need_corpora $sets

: >"$BENCH_TMP/all"
for set in $sets; do
    for s in "$CORPORA/$set"/docs/*.id.txt; do
        t=${s%.id.txt}.en.txt
        [ -s "$s" ] && [ -s "$t" ] && printf '%s\t%s\n' "$s" "$t" >>"$BENCH_TMP/all"
    done
done
total=$(wc -l <"$BENCH_TMP/all")
[ "$total" -gt 0 ] || die "no document pairs in the alignment sets"
want=$(scaled "$total" 5)

# The list of pairs to add; copies beyond the first pass are written out.
mkdir -p "$BENCH_TMP/copies"
awk -F '\t' -v want="$want" -v dir="$BENCH_TMP/copies" '
    { s[NR] = $1; t[NR] = $2 }
    END {
        for (i = 0; i < want; i++) {
            k = i % NR + 1
            pass = int(i / NR)
            if (pass == 0) { print s[k] "\t" t[k]; continue }
            cs = dir "/" i ".id.txt"; ct = dir "/" i ".en.txt"
            print "Salinan " pass "." > cs
            while ((getline line < s[k]) > 0) print line > cs
            close(s[k]); close(cs)
            print "Copy " pass "." > ct
            while ((getline line < t[k]) > 0) print line > ct
            close(t[k]); close(ct)
            print cs "\t" ct
        }
    }' "$BENCH_TMP/all" >"$BENCH_TMP/list" || die "cannot prepare the document list"
in_bytes=$(cut -f1,2 "$BENCH_TMP/list" | tr '\t' '\n' | xargs cat | wc -c)

db=$BENCH_TMP/add.db
measure add sh -c '
    while IFS="	" read -r s t; do
        "$SELARAS" add --db "$1" --src-lang id --tgt-lang en "$s" "$t" >/dev/null || exit 1
    done <"$2"' sh "$db" "$BENCH_TMP/list" || die "selaras add failed"
measure align sh -c '
    while IFS="	" read -r s t; do
        "$SELARAS" align --src-lang id --tgt-lang en "$s" "$t" >/dev/null || exit 1
    done <"$1"' sh "$BENCH_TMP/list" || die "selaras align failed"
align_rate=$(rate "$want" "$align_cpu" 1)
units=$("$SELARAS" stats --db "$db" --format json | sed -n 's/.*"units": *\([0-9]*\).*/\1/p')
db_bytes=$(bytes "$db")

add_rate=$(rate "$want" "$add_cpu" 1)
row add "$want documents: speed" "$add_rate" docs/s "$align_rate" "$(ratio "$add_rate" "$align_rate")" "$add_rss"
row add "$want documents: units stored" "$(rate "${units:-0}" "$add_cpu" 0)" units/s "" "" "$add_rss"
row add "$want documents: input read" "$(mbps "$in_bytes" "$add_cpu")" MB/s "" "" "$add_rss"
[ -n "$units" ] && [ "$units" -gt 0 ] &&
    row add "database size per unit ($units units)" "$((db_bytes / units))" bytes "" "" ""
exit 0
