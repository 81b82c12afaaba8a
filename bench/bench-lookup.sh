#!/bin/sh
# Lookup benchmark (make bench): a synthetic TM of BENCH_SCALE x 1,000,000
# units built from real sentence pairs of $SHARED_DIR/corpora with
# word-level edits, then exact lookup p50/p99, fuzzy top-5 p50/p99 and
# concordance p50 (ms), each beside a brute-force scan (baseline column;
# ratio = value / baseline), and the recall of the true top-1 (from an
# exhaustive scan) on 1,000 fuzzy queries, and the throughput of `selaras
# analyze` on a batch of articles (see below).  Rows:
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
"$engine" "$work/pairs.tsv" "$work/tm.db" "$units" 1000 || exit 1

# Analysis (issue 9): `selaras analyze` on a batch of articles of
# BENCH_SCALE x 10,000 sentences (at least 500), 500 to an article in
# paragraphs of 8: 40% held-out real sentences (the UD Indonesian GSD and
# CSUI treebanks, which the TM was not built from), 40% stored sentences with
# 1-3 word-level edits, 20% stored sentences as they are.  Rows: words/s of
# the whole command (segmenting, lookups at 50%, counting), wall and CPU.
sents=$("$py" -c "import sys; print(max(500, int(float(sys.argv[1]) * 10000)))" "$BENCH_SCALE")
mkdir "$work/articles" || exit 1
"$py" - "$SELARAS" "$work/tm.db" "$work/pairs.tsv" "$corp/seg-id-ud" "$work/articles" "$sents" <<'PY' || exit 1
import glob, os, random, resource, subprocess, sys, time
selaras, db, pairs_path, ud, outdir, total = sys.argv[1:]
total = int(total)
rng = random.Random(20261124)
stored = [line.split("\t", 1)[0] for line in open(pairs_path, encoding="utf-8")]
held = []
for path in sorted(glob.glob(os.path.join(ud, "gsd-*.sents")) + glob.glob(os.path.join(ud, "csui-*.sents"))):
    for line in open(path, encoding="utf-8"):
        words = line.split()
        if 3 <= len(words) <= 60:
            held.append(" ".join(words))
if not held:
    sys.exit("no held-out sentences in " + ud)
rng.shuffle(held)

def edited(sentence):
    w = sentence.split()
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(w))
        fresh = rng.choice(rng.choice(stored).split())
        op = rng.randrange(4)
        if op == 0 and len(w) > 3:
            del w[i]
        elif op == 1:
            w[i] = fresh
        elif op == 2:
            w.insert(i, fresh)
        elif op == 3 and i + 1 < len(w):
            w[i], w[i + 1] = w[i + 1], w[i]
    return " ".join(w)

files, made, h = [], 0, 0
while made < total:
    n = min(500, total - made)
    out = []
    for k in range(n):
        r = rng.random()
        if r < 0.4:
            out.append(held[h % len(held)])
            h += 1
        elif r < 0.8:
            out.append(edited(rng.choice(stored)))
        else:
            out.append(rng.choice(stored))
    paras = [" ".join(out[i:i + 8]) for i in range(0, n, 8)]
    path = os.path.join(outdir, "article%03d.id.txt" % len(files))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n\n".join(paras) + "\n")
    files.append(path)
    made += n

t0 = time.monotonic()
proc = subprocess.run([selaras, "analyze", "--db", db, "--src-lang", "id", "--tgt-lang", "en",
                       "--format", "csv"] + files, stdout=subprocess.PIPE, universal_newlines=True)
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
if proc.returncode != 0:
    sys.exit("selaras analyze failed")
words = segments = 0
for line in proc.stdout.splitlines():
    name, band, segs, w = line.rsplit(",", 3)
    if name == '"TOTAL"':
        segments += int(segs)
        words += int(w)
cpu = ru.ru_utime + ru.ru_stime
def row(metric, value, unit):
    print("lookup\t%s\t%.3f\t%s\t\t\t%d" % (metric, value, unit, ru.ru_maxrss))
row("analyze_sentences", segments, "segments")
row("analyze_words", words, "words")
row("analyze_rate", words / wall, "words/s")
row("analyze_rate_cpu", words / cpu, "words/s")
PY
