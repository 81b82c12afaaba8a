#!/bin/sh
# selaras analyze and pretranslate on real data: a TM from part of
# align-pud-id-en, the held-out part and a document of stored sentences with
# small edits.  The bands equal those of an independent brute-force scan
# (tests/cli/tm_brute.py) over the TM's sources, and 100% sentences come
# back with their stored translation.
. "$TOP_SRCDIR/tests/cli/lib.sh"
SHARED_DIR=${SHARED_DIR:-$TOP_SRCDIR/../shared}
pud="$SHARED_DIR/corpora/align-pud-id-en"
py=/usr/bin/python3
[ -f "$pud/index.tsv" ] || { echo "SKIP: no corpora in $SHARED_DIR/corpora"; exit 77; }
[ -x "$py" ] || { echo "SKIP: no $py"; exit 77; }

# TM: the first 300 documents; held out: the other 97
cut -f1 "$pud/index.tsv" >"$tmp/docs"
for d in $(head -300 "$tmp/docs"); do cat "$pud/docs/$d.id.txt"; echo; done >"$tmp/tm.id.txt"
for d in $(head -300 "$tmp/docs"); do cat "$pud/docs/$d.en.txt"; echo; done >"$tmp/tm.en.txt"
for d in $(tail -n +301 "$tmp/docs"); do cat "$pud/docs/$d.id.txt"; echo; done >"$tmp/held.id.txt"
db="$tmp/tm.db"
selaras add --db "$db" "$tmp/tm.id.txt" "$tmp/tm.en.txt" >/dev/null || fail "add"

# A document of stored sentences: runs kept as they are (100% and 101%),
# sentences with one word changed or dropped, one repeated with an edit.
PYTHONPATH="$TOP_SRCDIR/tests/cli" "$py" - "$db" "$tmp/edited.id.txt" <<'EOF' || fail "making the edited document"
import random, sqlite3, sys
db, out = sys.argv[1:]
con = sqlite3.connect(db)
src = [r[0] for r in con.execute("SELECT s.text FROM units u JOIN segments s ON s.id = u.src_segment"
                                 " ORDER BY u.id") if len(r[0].split()) >= 8]
rng = random.Random(9)
def edit(s, k):
    w = s.split()
    for _ in range(k):
        i = rng.randrange(1, len(w) - 1)
        if rng.random() < 0.5:
            w[i] = "kemarin"
        else:
            del w[i]
    return " ".join(w)
again = edit(src[21], 1)
paras = [
    src[10:13],                                    # three stored in a row: 101% in the middle
    [src[20], again, src[22]],                     # 100%, fuzzy, 100%
    [edit(src[30], 2), edit(src[40], 3), src[50], edit(src[70], 5), edit(src[80], 4)],
    ["Kalimat ini sama sekali tidak ada di dalam memori terjemahan kami."],
    [again, src[60]],                              # a repetition of paragraph 2's edit
]
with open(out, "w", encoding="utf-8") as f:
    f.write("\n\n".join(" ".join(p) for p in paras) + "\n")
EOF

expect_status 0 "analyze" -- selaras analyze --db "$db" --format json "$tmp/held.id.txt" "$tmp/edited.id.txt"
cp "$tmp/out" "$tmp/analysis.json"
for f in held edited; do
    selaras segment --lang id "$tmp/$f.id.txt" >"$tmp/$f.sents" || fail "segment $f"
done

PYTHONPATH="$TOP_SRCDIR/tests/cli" "$py" - "$db" "$tmp/analysis.json" "$tmp/held.sents" "$tmp/edited.sents" <<'EOF' || fail "analysis differs from brute force"
import json, sys
from tm_brute import best, load_sources, norm, words
db, analysis = sys.argv[1:3]
segs = load_sources(db)
BANDS = ["101%", "100%", "repetition", "95-99%", "85-94%", "75-84%", "50-74%", "no match"]
def band(p):
    return ("100%" if p >= 100 else "95-99%" if p >= 95 else "85-94%" if p >= 85
            else "75-84%" if p >= 75 else "50-74%" if p >= 50 else "no match")
got = json.load(open(analysis, encoding="utf-8"))
seen = set()
total = {b: [0, 0] for b in BANDS}
bad = 0
for k, path in enumerate(sys.argv[3:]):
    sents = [l.rstrip("\n") for l in open(path, encoding="utf-8") if l.strip()]
    pct = [best(s, segs)[0] for s in sents]
    want = {b: [0, 0] for b in BANDS}
    for i, s in enumerate(sents):
        b = band(pct[i])
        if b == "100%":
            if len(sents) > 1 and (i == 0 or pct[i - 1] == 100) and (i + 1 == len(sents) or pct[i + 1] == 100):
                b = "101%"
        elif norm(s) in seen:
            b = "repetition"
        seen.add(norm(s))
        want[b][0] += 1
        want[b][1] += words(s)
    have = {x["band"]: [x["segments"], x["words"]] for x in got["files"][k]["bands"]}
    for b in BANDS:
        total[b][0] += want[b][0]
        total[b][1] += want[b][1]
        if have.get(b) != want[b]:
            print("%s: band %s: analyze %s, brute force %s" % (path, b, have.get(b), want[b]))
            bad += 1
    print("%s: %s" % (path.split("/")[-1], ", ".join("%s %d/%d" % (b, *want[b]) for b in BANDS)))
have = {x["band"]: [x["segments"], x["words"]] for x in got["total"]["bands"]}
for b in BANDS:
    if have.get(b) != total[b]:
        print("total: band %s: analyze %s, brute force %s" % (b, have.get(b), total[b]))
        bad += 1
# the edited document must exercise the bands it was made for
ed = {x["band"]: x["segments"] for x in got["files"][1]["bands"]}
for b in ("101%", "100%", "repetition", "no match"):
    if not ed[b]:
        print("edited document: nothing in band %s" % b)
        bad += 1
if sum(ed[b] for b in ("95-99%", "85-94%", "75-84%", "50-74%")) < 3:
    print("edited document: too few fuzzy matches")
    bad += 1
sys.exit(1 if bad else 0)
EOF

# the same analysis as CSV and text
expect_status 0 "analyze csv" -- selaras analyze --db "$db" --format csv "$tmp/edited.id.txt"
[ "$(head -1 "$tmp/out")" = "file,band,segments,words" ] || fail "csv header: $(head -1 "$tmp/out")"
[ "$(wc -l <"$tmp/out")" -eq 17 ] || fail "csv rows: $(wc -l <"$tmp/out")"
grep -q '^"TOTAL",101%,' "$tmp/out" || fail "csv total rows"
expect_status 0 "analyze text" -- selaras analyze --db "$db" "$tmp/edited.id.txt"
grep -q '^TOTAL$' "$tmp/out" || fail "text total"

# pretranslate: every 100% sentence gets its stored translation
expect_status 0 "pretranslate json" -- selaras pretranslate --db "$db" --format json "$tmp/edited.id.txt"
PYTHONPATH="$TOP_SRCDIR/tests/cli" "$py" - "$db" "$tmp/out" "$tmp/edited.sents" <<'EOF' || fail "pretranslate"
import json, sqlite3, sys
from tm_brute import best, load_sources, norm
db, result, sents = sys.argv[1:]
segs = load_sources(db)
con = sqlite3.connect(db)
stored = {}
for s, t in con.execute("SELECT s.norm, t.text FROM units u JOIN segments s ON s.id = u.src_segment"
                        " JOIN segments t ON t.id = u.tgt_segment"):
    stored.setdefault(s, set()).add(t)
rows = json.load(open(result, encoding="utf-8"))
sents = [l.rstrip("\n") for l in open(sents, encoding="utf-8") if l.strip()]
assert [r["sentence"] for r in rows] == sents, "sentences differ from selaras segment"
exact = 0
for r in rows:
    p = best(r["sentence"], segs)[0]
    m = r["match"]
    if p < 75:
        assert m is None, r
        continue
    assert m and m["percent"] == p, (r, p)
    if p == 100:
        exact += 1
        assert m["target"] in stored[norm(r["sentence"])], r
        assert m["document"].endswith("tm.id.txt"), r
assert exact >= 5, exact
EOF

# the draft keeps the paragraphs and marks what the TM does not cover
expect_status 0 "pretranslate text" -- selaras pretranslate --db "$db" --format text -o "$tmp/draft.txt" "$tmp/edited.id.txt"
[ -s "$tmp/out" ] && fail "with -o nothing goes to stdout"
[ "$(grep -c . "$tmp/draft.txt")" -eq 5 ] || fail "draft paragraphs: $(grep -c . "$tmp/draft.txt")"
grep -q '^\[\[id: Kalimat ini sama sekali tidak ada di dalam memori terjemahan kami.\]\]$' "$tmp/draft.txt" ||
    fail "untranslated sentence not marked: $(cat "$tmp/draft.txt")"
expect_status 0 "pretranslate tsv" -- selaras pretranslate --db "$db" "$tmp/edited.id.txt"
[ "$(wc -l <"$tmp/out")" -eq "$(grep -c . "$tmp/edited.sents")" ] || fail "tsv: one line per sentence"
[ "$(awk -F'\t' '$3 == "-"' "$tmp/out" | wc -l)" -ge 1 ] || fail "tsv: no '-' for the sentence without a match"

# errors: no file, missing article, unwritable output
expect_status 2 "analyze without files" -- selaras analyze --db "$db"
expect_status 1 "analyze missing file" -- selaras analyze --db "$db" "$tmp/nothere.txt"
expect_stderr "nothere.txt"
expect_status 1 "pretranslate bad output" -- selaras pretranslate --db "$db" -o "$tmp/no/dir/out.txt" "$tmp/edited.id.txt"
expect_stderr "no/dir/out.txt"
finish
