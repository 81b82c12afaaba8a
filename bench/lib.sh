# Helpers for bench/bench-*.sh (sourced).  See bench/run.sh for the contract.

: "${SELARAS:?run through 'make bench'}" "${TOP_SRCDIR:?}" "${BENCH_TMP:?}" "${PEAKRSS:?}"
SHARED_DIR=${SHARED_DIR:-$TOP_SRCDIR/../shared}
BENCH_SCALE=${BENCH_SCALE:-1}
CORPORA=$SHARED_DIR/corpora

# skip REASON: exit 77 with the reason as the last line of the log
skip() {
    echo "$*" >&2
    exit 77
}

# die REASON: a real failure
die() {
    echo "$*" >&2
    exit 1
}

# need_corpora SET...: skip when ../shared/corpora or one of its sets is absent
need_corpora() {
    [ -d "$CORPORA" ] || skip "no corpora in $SHARED_DIR"
    for set in "$@"; do
        [ -d "$CORPORA/$set" ] || skip "no $set in $CORPORA"
    done
}

# scaled N [MIN]: N * BENCH_SCALE rounded, at least MIN (default 1)
scaled() {
    awk -v n="$1" -v s="$BENCH_SCALE" -v min="${2:-1}" \
        'BEGIN { v = int(n * s + 0.5); if (v < min) v = min; print v }'
}

# measure NAME CMD...: run CMD under peakrss (stdin, stdout and stderr as the
# caller redirects them); afterwards $NAME_cpu, $NAME_wall and $NAME_rss hold
# CPU seconds (user + system, the process and its children), wall seconds and
# peak RSS in kB.  Returns CMD's exit status.
measure() {
    _m_name=$1
    shift
    "$PEAKRSS" -o "$BENCH_TMP/.measure" "$@"
    _m_rc=$?
    if [ -s "$BENCH_TMP/.measure" ]; then
        IFS='	' read -r _m_cpu _m_wall _m_rss <"$BENCH_TMP/.measure"
    else
        _m_cpu='' _m_wall='' _m_rss=''
    fi
    eval "${_m_name}_cpu=\$_m_cpu ${_m_name}_wall=\$_m_wall ${_m_name}_rss=\$_m_rss"
    echo "measure $_m_name: cpu ${_m_cpu:-?} s, wall ${_m_wall:-?} s, peak RSS ${_m_rss:-?} kB, exit $_m_rc: $*" >&2
    return $_m_rc
}

# best N NAME CMD...: measure CMD N times (BENCH_REPEAT, if set, instead of
# N) and keep the least CPU time (with its wall time) and the largest peak
# RSS in $NAME_cpu, $NAME_wall and $NAME_rss: the least disturbed run on a
# shared machine.
best() {
    _b_n=${BENCH_REPEAT:-$1} _b_name=$2
    shift 2
    _b_cpu='' _b_wall='' _b_rss=0 _b_i=0
    while [ "$_b_i" -lt "$_b_n" ]; do
        measure _b1 "$@" || return $?
        if [ -z "$_b_cpu" ] || awk -v a="$_b1_cpu" -v b="$_b_cpu" 'BEGIN { exit !(a < b) }'; then
            _b_cpu=$_b1_cpu _b_wall=$_b1_wall
        fi
        [ "${_b1_rss:-0}" -gt "$_b_rss" ] && _b_rss=$_b1_rss
        _b_i=$((_b_i + 1))
    done
    eval "${_b_name}_cpu=\$_b_cpu ${_b_name}_wall=\$_b_wall ${_b_name}_rss=\$_b_rss"
}

# rate AMOUNT SECONDS [DECIMALS]: AMOUNT per second
rate() {
    awk -v a="$1" -v t="$2" -v d="${3:-1}" \
        'BEGIN { if (t < 0.001) t = 0.001; printf "%.*f\n", d, a / t }'
}

# ratio A B: A / B with two decimals (empty when B is empty or zero)
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b != "" && b + 0 > 0 && a != "") printf "%.2f\n", a / b }'
}

# mb BYTES: megabytes (10^6) with one decimal
mb() {
    awk -v b="$1" 'BEGIN { printf "%.1f\n", b / 1e6 }'
}

# bytes FILE
bytes() {
    wc -c <"$1" | tr -d ' '
}

# row BENCHMARK METRIC VALUE UNIT BASELINE RATIO PEAK_RSS_KB
row() {
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-}" "${6:-}" "${7:-}"
}

# mbps BYTES SECONDS: megabytes (10^6) per second, one decimal
mbps() {
    awk -v b="$1" -v t="$2" 'BEGIN { if (t < 0.001) t = 0.001; printf "%.1f\n", b / 1e6 / t }'
}

# kb2mb KB: kilobytes as megabytes (2^20), one decimal
kb2mb() {
    awk -v k="$1" 'BEGIN { printf "%.1f\n", k / 1024 }'
}
