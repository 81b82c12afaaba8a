#!/bin/sh
# make bench's driver (bench/run.sh) and its peak-RSS helper (bench/peakrss),
# run on stand-in benchmarks whose rows are known.
. "$TOP_SRCDIR/tests/cli/lib.sh"
bindir=$(dirname "$SELARAS")/bench
PEAKRSS=$bindir/peakrss
[ -x "$PEAKRSS" ] || { echo "SKIP: $PEAKRSS not built" >&2; exit 77; }

# ---- peakrss
num='^[0-9]+\.[0-9]{3}	[0-9]+\.[0-9]{3}	[0-9]+$'
expect_status 3 "peakrss passes the exit status on" -- "$PEAKRSS" -o "$tmp/m" sh -c 'exit 3'
grep -Eq "$num" "$tmp/m" || fail "peakrss line: $(cat "$tmp/m")"
expect_status 137 "peakrss reports a killed command as 128 + signal" -- \
    "$PEAKRSS" -o "$tmp/m" sh -c 'kill -KILL $$'
expect_status 127 "peakrss on a missing command" -- "$PEAKRSS" -o "$tmp/m" "$tmp/no-such-program"
expect_status 2 "peakrss without a command" -- "$PEAKRSS" -o "$tmp/m"
# dd touches a 64 MB buffer; the grandchild's memory and CPU count too
expect_status 0 "peakrss on a grandchild" -- "$PEAKRSS" -o "$tmp/m" \
    sh -c 'dd if=/dev/zero of=/dev/null bs=64M count=2 2>/dev/null; i=0
           while [ $i -lt 100000 ]; do i=$((i + 1)); done'
IFS='	' read -r cpu _ rss <"$tmp/m"
[ "${rss:-0}" -ge 60000 ] || fail "peak RSS of dd with a 64 MB buffer: ${rss:-none} kB"
awk -v c="${cpu:-0}" 'BEGIN { exit !(c > 0.001) }' || fail "CPU time of a busy loop: ${cpu:-none}"
expect_status 0 "peakrss writes to stderr without -o" -- "$PEAKRSS" true
grep -Eq "$num" "$tmp/err" || fail "peakrss on stderr: $(cat "$tmp/err")"

# ---- the driver, on a stand-in source tree
top=$tmp/top
mkdir -p "$top/bench"
cp "$TOP_SRCDIR/bench/run.sh" "$TOP_SRCDIR/bench/lib.sh" "$top/bench/"
cat >"$top/bench/bench-alpha.sh" <<EOS
#!/bin/sh
. "\$TOP_SRCDIR/bench/lib.sh"
[ -d "\$BENCH_TMP" ] && [ -z "\$(ls -A "\$BENCH_TMP")" ] || die "BENCH_TMP is not an empty directory"
echo "\$BENCH_TMP" >"$tmp/alpha-tmp"
touch "\$BENCH_TMP/scratch"
measure m sh -c 'exit 0' || die "measure failed"
[ -n "\$m_cpu" ] && [ -n "\$m_rss" ] || die "measure set nothing"
best 2 b sh -c 'exit 0' || die "best failed"
[ -n "\$b_cpu" ] && [ "\$b_rss" -gt 0 ] || die "best set nothing"
best 2 c sh -c 'exit 4'
[ \$? -eq 4 ] || die "best hid a failure"
row alpha speed 12.5 MB/s 25.0 "\$(ratio 12.5 25.0)" 1024
echo "not a row"
row alpha scale "\$BENCH_SCALE" x "" "" ""
row alpha shared "\$SHARED_DIR" path "" "" ""
row alpha n "\$(scaled 1000)" count "" "" ""
EOS
printf '#!/bin/sh\necho "no data here" >&2\nexit 77\n' >"$top/bench/bench-skip.sh"
printf '#!/bin/sh\nprintf "broken\\tpartial\\t1\\tx\\t\\t\\t\\n"\nexit 3\n' >"$top/bench/bench-broken.sh"
printf '#!/bin/sh\nprintf "notexec\\tx\\t1\\tx\\t\\t\\t\\n"\n' >"$top/bench/bench-notexec.sh"
chmod +x "$top/bench/bench-alpha.sh" "$top/bench/bench-skip.sh" "$top/bench/bench-broken.sh"

run_driver() {
    SELARAS=$SELARAS TOP_SRCDIR=$top SHARED_DIR=/some/shared BENCH_BINDIR=$bindir \
        BENCH_RESULTS=$tmp/results.tsv BENCH_TMPDIR=$tmp "$@" sh "$top/bench/run.sh"
}

expect_status 1 "driver with a failing benchmark" -- run_driver env BENCH_SCALE=0.5
printf '%s\n' \
    'benchmark	metric	value	unit	baseline_value	ratio	peak_rss_kb' \
    'alpha	speed	12.5	MB/s	25.0	0.50	1024' \
    'alpha	scale	0.5	x			' \
    'alpha	shared	/some/shared	path			' \
    'alpha	n	500	count			' \
    'broken	partial	1	x			' \
    'broken	FAILED (exit 3)					' \
    'skip	skipped					' >"$tmp/expected.tsv"
expect_same "$tmp/expected.tsv" "$tmp/results.tsv" "bench-results.tsv"
grep -Eq '^alpha +speed +12\.5 +MB/s +25\.0 +0\.50 +1\.0$' "$tmp/out" ||
    fail "table row for alpha: $(cat "$tmp/out")"
grep -Eq '^skip +skipped$' "$tmp/out" || fail "table row for the skipped benchmark"
grep -q 'skip .*skipped (no data here)' "$tmp/err" || fail "skip reason on stderr: $(cat "$tmp/err")"
grep -q 'ignored malformed row: not a row' "$tmp/bench-logs/alpha.log" ||
    fail "malformed row not logged"
alpha_tmp=$(cat "$tmp/alpha-tmp" 2>/dev/null)
[ -n "$alpha_tmp" ] && [ ! -e "$alpha_tmp" ] || fail "BENCH_TMP '$alpha_tmp' left behind"
for d in "$tmp"/selaras-bench.*; do
    [ -e "$d" ] && fail "the driver's scratch directory $d was left behind"
done

expect_status 0 "driver with BENCH_ONLY" -- run_driver env BENCH_ONLY=alpha
[ "$(cut -f1 "$tmp/results.tsv" | sort -u | tr '\n' ' ')" = "alpha benchmark " ] ||
    fail "BENCH_ONLY=alpha ran: $(cut -f1 "$tmp/results.tsv" | tr '\n' ' ')"
grep -q '^alpha	n	1000	count' "$tmp/results.tsv" || fail "BENCH_SCALE default is not 1"

expect_status 2 "driver with a bad BENCH_SCALE" -- run_driver env BENCH_SCALE=abc
expect_stderr "BENCH_SCALE must be a positive number"
expect_status 2 "driver with BENCH_SCALE=0" -- run_driver env BENCH_SCALE=0
finish
