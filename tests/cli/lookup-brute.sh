#!/bin/sh
# The index-backed lookup finds what a brute-force scan finds: on a TM built
# from real sentences (../shared/corpora), the top hit of `selaras lookup`
# has the best percentage that an independent Python scan over every source
# segment computes, for edited TM sentences, hand-made edits and sentences
# that are not in the TM.
. "$TOP_SRCDIR/tests/cli/lib.sh"
SHARED_DIR=${SHARED_DIR:-$TOP_SRCDIR/../shared}
corp="$SHARED_DIR/corpora"
py=/usr/bin/python3
if [ ! -f "$corp/align-pud-id-en/all/pud-all.id.txt" ] || [ ! -d "$corp/align-debref-id-en/docs" ] ||
    [ ! -f "$corp/seg-id-ud/gsd-test.sents" ]; then
    echo "SKIP: no corpora in $corp"
    exit 77
fi
[ -x "$py" ] || { echo "SKIP: no $py"; exit 77; }

db="$tmp/tm.db"
selaras add --db "$db" "$corp/align-pud-id-en/all/pud-all.id.txt" "$corp/align-pud-id-en/all/pud-all.en.txt" \
    >/dev/null || fail "add pud"
for d in $(cut -f1 "$corp/align-debref-id-en/index.tsv"); do
    selaras add --db "$db" "$corp/align-debref-id-en/docs/$d.id.txt" "$corp/align-debref-id-en/docs/$d.en.txt" \
        >/dev/null || fail "add debref $d"
done

# Queries: TM sources with random word-level edits, hand-made edits of
# chosen sentences, and held-out sentences (not in the TM).
"$py" - "$db" "$corp/seg-id-ud/gsd-test.sents" "$tmp/queries" <<'EOF' || fail "making queries"
import random, sqlite3, sys
db, held_out, out = sys.argv[1:]
con = sqlite3.connect(db)
sources = [r[0] for r in con.execute(
    "SELECT s.text FROM units u JOIN segments s ON s.id = u.src_segment ORDER BY u.id")]
rng = random.Random(20261124)
fillers = ["kemarin", "sangat", "yang", "Jakarta", "2019", "tidak", ",", "itu"]
def edit(words):
    w = list(words)
    for _ in range(rng.choice([1, 1, 2, 3])):
        op = rng.choice(["del", "sub", "ins", "case", "swap"])
        i = rng.randrange(len(w))
        if op == "del" and len(w) > 2:
            del w[i]
        elif op == "sub":
            w[i] = rng.choice(fillers)
        elif op == "ins":
            w.insert(i, rng.choice(fillers))
        elif op == "case":
            w[i] = w[i].upper() if w[i] != w[i].upper() else w[i].lower()
        elif op == "swap" and i + 1 < len(w):
            w[i], w[i + 1] = w[i + 1], w[i]
    return " ".join(w)
queries = []
for s in rng.sample([s for s in sources if len(s.split()) >= 4], 160):
    queries.append(edit(s.split()))
# hand-made: (TM unit number, what to do)
hand = [(3, lambda w: w[:-1] + ["juga."]),             # last word replaced
        (10, lambda w: w[1:]),                          # first word dropped
        (25, lambda w: ["Namun,"] + w),                 # a word added in front
        (40, lambda w: [x.lower() for x in w]),         # all lower case
        (55, lambda w: w[: len(w) // 2]),               # only the first half
        (70, lambda w: w + w[:2]),                      # words repeated
        (90, lambda w: [x.replace(".", "!") for x in w]),  # punctuation changed
        (120, lambda w: list(reversed(w)))]             # words reversed
for n, f in hand:
    queries.append(" ".join(f(sources[n].split())))
queries += [s for s in sources[200:210]]                # unchanged: 100%
queries += [l.strip() for l in open(held_out, encoding="utf-8") if l.strip()][:40]
with open(out, "w", encoding="utf-8") as f:
    for q in queries:
        f.write(q + "\n")
EOF

expect_status 0 "batch lookup" -- selaras lookup --db "$db" --file "$tmp/queries" --min 50 --limit 1 --format json
cp "$tmp/out" "$tmp/lookup.json"

PYTHONPATH="$TOP_SRCDIR/tests/cli" "$py" - "$db" "$tmp/queries" "$tmp/lookup.json" <<'EOF' || fail "lookup differs from the brute-force scan"
import json, sys
from tm_brute import best, load_sources, norm
db, queries, results = sys.argv[1:]
segs = load_sources(db)
rows = {r["line"]: r for r in (json.loads(l) for l in open(results, encoding="utf-8"))}
bad = checked = nonempty = 0
for line, q in enumerate(open(queries, encoding="utf-8"), 1):
    q = q.rstrip("\n")
    if not q.strip():
        continue
    top, top_norms = best(q, segs)
    matches = rows.get(line, {"matches": []})["matches"]
    checked += 1
    if top < 50:
        if matches:
            print("line %d: lookup found %d%%, brute force best is %d%%" % (line, matches[0]["percent"], top))
            bad += 1
        continue
    nonempty += 1
    if not matches:
        print("line %d: lookup found nothing, brute force %d%%: %r" % (line, top, q))
        bad += 1
    elif matches[0]["percent"] != top or norm(matches[0]["source"]) not in top_norms:
        print("line %d: lookup %d%% %r, brute force %d%% %r" % (
            line, matches[0]["percent"], matches[0]["source"], top, sorted(top_norms)[:1]))
        bad += 1
print("%d queries compared with a scan of %d segments, %d with a match >= 50%%, %d differ"
      % (checked, len(segs), nonempty, bad))
sys.exit(1 if bad or checked < 200 or nonempty < 150 else 0)
EOF
finish
