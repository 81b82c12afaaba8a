#!/bin/sh
# Run every executable bench/bench-*.sh and print one table of their results.
#
# Each benchmark prints TSV rows on stdout:
#   benchmark metric value unit baseline_value ratio peak_rss_kb
# and exits 0, or 77 to be reported as skipped.  It gets SELARAS, TOP_SRCDIR,
# SHARED_DIR, BENCH_SCALE, BENCH_TMP (its own empty scratch directory),
# SELARAS_DATADIR, BENCH_BINDIR (the built helpers) and PEAKRSS
# ("$PEAKRSS -o FILE CMD..." writes cpu_s, wall_s and peak_rss_kb to FILE).
# The rows go to $BENCH_RESULTS as TSV (with a header line); stderr of each
# benchmark goes to bench-logs/NAME.log beside it.  BENCH_ONLY='segment align'
# runs only those; BENCH_TIMEOUT (seconds, default 600) stops one that hangs;
# BENCH_TMPDIR says where the scratch directories go.
set -u

: "${SELARAS:?SELARAS must name the selaras binary}"
: "${TOP_SRCDIR:?TOP_SRCDIR must name the source tree}"
SHARED_DIR=${SHARED_DIR:-$TOP_SRCDIR/../shared}
BENCH_SCALE=${BENCH_SCALE:-1}
BENCH_BINDIR=${BENCH_BINDIR:-$(dirname "$SELARAS")/bench}
BENCH_RESULTS=${BENCH_RESULTS:-$PWD/bench-results.tsv}
BENCH_ONLY=${BENCH_ONLY:-}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-600}
SELARAS_DATADIR=${SELARAS_DATADIR:-$TOP_SRCDIR/data}
PEAKRSS=$BENCH_BINDIR/peakrss

case $BENCH_SCALE in
'' | *[!0-9.]* | *.*.* | .)
    echo "bench: BENCH_SCALE must be a positive number, not '$BENCH_SCALE'" >&2
    exit 2
    ;;
esac
if awk -v s="$BENCH_SCALE" 'BEGIN { exit !(s <= 0) }'; then
    echo "bench: BENCH_SCALE must be a positive number, not '$BENCH_SCALE'" >&2
    exit 2
fi
if [ ! -x "$PEAKRSS" ]; then
    echo "bench: $PEAKRSS is missing (run 'make bench', which builds it)" >&2
    exit 2
fi

# An uninstalled selaras is a libtool wrapper script that costs a shell start
# per run; time the real binary instead, with the wrapper's library path.
if head -c 400 "$SELARAS" 2>/dev/null | grep -q 'temporary wrapper script'; then
    real=$(dirname "$SELARAS")/.libs/$(basename "$SELARAS")
    libdir=$(sed -n 's/^ *LD_LIBRARY_PATH="\([^:"]*\):.*/\1/p' "$SELARAS" | head -n 1)
    if [ -x "$real" ] && [ -n "$libdir" ]; then
        SELARAS=$real
        LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
        export LD_LIBRARY_PATH
    fi
fi

# Scratch space: BENCH_TMPDIR, else /dev/shm when it has 8 GB free (the
# figures are CPU seconds, so the medium changes only how long the run
# takes: the TMs are built with a commit per document), else $TMPDIR or /tmp.
if [ -z "${BENCH_TMPDIR:-}" ]; then
    BENCH_TMPDIR=${TMPDIR:-/tmp}
    if [ -d /dev/shm ] && [ -w /dev/shm ] &&
        [ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')" -ge 8388608 ] 2>/dev/null; then
        BENCH_TMPDIR=/dev/shm
    fi
fi
tmp_root=$(mktemp -d "$BENCH_TMPDIR/selaras-bench.XXXXXX") || exit 2
child=
trap 'rm -rf "$tmp_root"' EXIT
# timeout(1) passes the signal on to the benchmark's whole process group.
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait; exit 130' INT TERM
logdir=$(dirname "$BENCH_RESULTS")/bench-logs
mkdir -p "$logdir" || exit 2
rows=$tmp_root/rows.tsv
: >"$rows"

export SELARAS TOP_SRCDIR SHARED_DIR BENCH_SCALE SELARAS_DATADIR BENCH_BINDIR PEAKRSS

timeout_cmd=
command -v timeout >/dev/null 2>&1 && timeout_cmd="timeout $BENCH_TIMEOUT"

failed=0
start_all=$(date +%s)
echo "bench: BENCH_SCALE=$BENCH_SCALE, SHARED_DIR=$SHARED_DIR" >&2
# The pipeline's order first, then any other benchmark by name.
order="segment align add import export lookup"
names=
for name in $order; do
    [ -f "$TOP_SRCDIR/bench/bench-$name.sh" ] && names="$names $name"
done
for script in "$TOP_SRCDIR"/bench/bench-*.sh; do
    name=$(basename "$script" .sh)
    name=${name#bench-}
    case " $order " in *" $name "*) ;; *) names="$names $name" ;; esac
done

for name in $names; do
    script=$TOP_SRCDIR/bench/bench-$name.sh
    [ -f "$script" ] && [ -x "$script" ] || continue
    if [ -n "$BENCH_ONLY" ]; then
        case " $BENCH_ONLY " in
        *" $name "*) ;;
        *) continue ;;
        esac
    fi
    BENCH_TMP=$tmp_root/$name
    mkdir -p "$BENCH_TMP"
    export BENCH_TMP
    out=$tmp_root/$name.out
    printf 'bench: %-10s ... ' "$name" >&2
    t0=$(date +%s)
    $timeout_cmd "$script" >"$out" 2>"$logdir/$name.log" </dev/null &
    child=$!
    wait "$child"
    rc=$?
    child=
    t1=$(date +%s)
    rm -rf "$BENCH_TMP"
    case $rc in
    0)
        # Keep well-formed rows only: seven fields, benchmark and metric set.
        awk -F '\t' -v name="$name" -v logf="$logdir/$name.log" '
            NF == 7 && $1 != "" && $2 != "" { print; next }
            NF > 0 { printf "bench: %s: ignored malformed row: %s\n", name, $0 >> logf }
        ' "$out" >>"$rows"
        echo "done in $((t1 - t0)) s" >&2
        ;;
    77)
        printf '%s\tskipped\t\t\t\t\t\n' "$name" >>"$rows"
        echo "skipped ($(tail -n 1 "$logdir/$name.log"))" >&2
        ;;
    *)
        failed=1
        # Rows printed before the failure are still worth keeping.
        awk -F '\t' 'NF == 7 && $1 != "" && $2 != ""' "$out" >>"$rows"
        printf '%s\tFAILED (exit %s)\t\t\t\t\t\n' "$name" "$rc" >>"$rows"
        echo "FAILED with exit status $rc after $((t1 - t0)) s; see $logdir/$name.log" >&2
        tail -n 5 "$logdir/$name.log" | sed 's/^/    /' >&2
        ;;
    esac
done
end_all=$(date +%s)

{
    printf 'benchmark\tmetric\tvalue\tunit\tbaseline_value\tratio\tpeak_rss_kb\n'
    cat "$rows"
} >"$BENCH_RESULTS.tmp" && mv "$BENCH_RESULTS.tmp" "$BENCH_RESULTS"

# The table: peak RSS in MB for reading; the TSV keeps kB.
awk -F '\t' '
    function mb(kb) { return kb == "" ? "" : sprintf("%.1f", kb / 1024) }
    {
        n++
        for (i = 1; i <= 7; i++) cell[n, i] = $i
        if (n == 1) cell[n, 7] = "peak RSS MB"
        else cell[n, 7] = mb($7)
        for (i = 1; i <= 7; i++) if (length(cell[n, i]) > w[i]) w[i] = length(cell[n, i])
    }
    END {
        for (r = 1; r <= n; r++) {
            line = ""
            for (i = 1; i <= 7; i++) {
                # text columns left-aligned, numbers right-aligned
                fmt = (i <= 2 || i == 4) ? "%-" w[i] "s" : "%" w[i] "s"
                line = line (i > 1 ? "  " : "") sprintf(fmt, cell[r, i])
            }
            sub(/ +$/, "", line)
            print line
            if (r == 1) {
                rule = ""
                for (i = 1; i <= 7; i++) rule = rule (i > 1 ? "  " : "") sprintf("%" w[i] "s", "")
                gsub(/ /, "-", rule)
                print rule
            }
        }
    }
' "$BENCH_RESULTS"
echo "bench: $((end_all - start_all)) s in all; results in $BENCH_RESULTS" >&2
exit $failed
