#!/bin/sh
# Lookup benchmark (make bench): a synthetic TM of BENCH_SCALE x 1,000,000
# units built from real sentence pairs of $SHARED_DIR/corpora with
# word-level edits, then exact lookup p50/p99, fuzzy top-5 p50/p99 and
# concordance p50 (ms), each beside a brute-force scan (baseline column;
# ratio = value / baseline), and the recall of the true top-1 (from an
# exhaustive scan) on 1,000 fuzzy queries.  Rows:
# benchmark TAB metric TAB value TAB unit TAB baseline TAB ratio TAB peak_rss_kb
set -u
: "${SELARAS:?}" "${TOP_SRCDIR:?}"
SHARED_DIR=${SHARED_DIR:-$TOP_SRCDIR/../shared}
BENCH_SCALE=${BENCH_SCALE:-1}
BENCH_TMP=${BENCH_TMP:-${TMPDIR:-/tmp}}
corp="$SHARED_DIR/corpora"
engine="${BENCH_BINDIR:-$(dirname "$SELARAS")/bench}/bench-lookup"
py=/usr/bin/python3
[ -d "$corp/align-lohelp-id-en/docs" ] || { echo "SKIP: no corpora in $corp" >&2; exit 77; }
[ -x "$py" ] || { echo "SKIP: no $py" >&2; exit 77; }
[ -x "$engine" ] || { echo "SKIP: $engine is not built (make bench builds it)" >&2; exit 77; }
work=$(mktemp -d "$BENCH_TMP/bench-lookup.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

# Real pairs: the 1-1 beads of the alignment corpora, 3 to 60 words.
"$py" - "$corp" "$work/pairs.tsv" <<'PY' || exit 1
import glob, os, sys
corp, out = sys.argv[1:]
n = 0
with open(out, "w", encoding="utf-8") as f:
    for gold in sorted(glob.glob(os.path.join(corp, "align-*-id-en", "docs", "*.gold.tsv"))):
        base = gold[: -len(".gold.tsv")]
        ids = open(base + ".id.sents", encoding="utf-8").read().split("\n")
        ens = open(base + ".en.sents", encoding="utf-8").read().split("\n")
        for line in open(gold, encoding="utf-8"):
            s, _, t = line.rstrip("\n").partition("\t")
            if not s or not t or "," in s or "," in t:
                continue
            a, b = " ".join(ids[int(s)].split()), " ".join(ens[int(t)].split())
            if 3 <= len(a.split()) <= 60 and b:
                f.write(a + "\t" + b + "\n")
                n += 1
if n == 0:
    sys.exit("no pairs")
PY
units=$("$py" -c "import sys; print(max(1000, int(float(sys.argv[1]) * 1000000)))" "$BENCH_SCALE")
"$engine" "$work/pairs.tsv" "$work/tm.db" "$units" 1000
