#!/bin/sh
# Interoperability with translate-toolkit (Debian package translate-toolkit):
# its TMX reader (translate.storage.tmx) reads every unit of a TMX exported by
# selaras, and each source/target pair it sees is the pair that
# `selaras lookup` returns as the 100% match for that source, and the pair of
# hand-written sentences from tests/data/*.sents.
. "$TOP_SRCDIR/tests/cli/lib.sh"

# translate-toolkit is a Python 3 module; Debian installs it for /usr/bin/python3,
# which need not be the python3 first on PATH.  $PYTHON, if set, is tried first.
PY=
for p in ${PYTHON:-} /usr/bin/python3 python3; do
    command -v "$p" >/dev/null 2>&1 || continue
    if "$p" -c 'import translate' >/dev/null 2>&1; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
    echo "SKIP: translate-toolkit not installed: no python3 can import 'translate'" \
        "(apt-get install translate-toolkit python3-lxml)"
    exit 77
fi
# installed but broken (e.g. lxml missing) is a failure, not a skip
if ! "$PY" -c 'from translate.storage import tmx' 2>"$tmp/import.err"; then
    echo "FAIL: $PY has translate-toolkit but cannot import translate.storage.tmx:" >&2
    cat "$tmp/import.err" >&2
    exit 1
fi

db="$tmp/tm.db"
selaras add --db "$db" --src-lang id --tgt-lang en "$ID_TXT" "$EN_TXT" >"$tmp/add.out" 2>&1 ||
    fail "selaras add failed: $(cat "$tmp/add.out")"
expect_status 0 "selaras export" -- selaras export --db "$db" -o "$tmp/selaras.tmx"
[ -s "$tmp/selaras.tmx" ] || { fail "selaras export wrote no TMX"; finish; }

# ---- translate-toolkit reads the units: $tmp/units/N.src and N.tgt hold the
# exact strings of unit N (in file order), $tmp/units/count how many there are.
mkdir "$tmp/units" || exit 99
if ! "$PY" - "$tmp/selaras.tmx" "$tmp/units" >"$tmp/tt.out" 2>&1 <<'EOF'
import os, sys
from translate.storage import tmx

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
path, outdir = sys.argv[1], sys.argv[2]
store = tmx.tmxfile.parsefile(path)
bad = 0
for n, unit in enumerate(store.units, 1):
    # translate-toolkit takes the first tuv as the source, whatever srclang says:
    # check that the first one is Indonesian and the second English.
    langs = [tuv.get(XML_LANG) for tuv in unit.xmlelement.iter("{*}tuv", "tuv")]
    if langs != ["id", "en"]:
        print("unit %d: tuv languages %r, expected ['id', 'en']" % (n, langs))
        bad += 1
    for ext, text in (("src", unit.source), ("tgt", unit.target)):
        if not isinstance(text, str) or not text:
            print("unit %d: empty or missing %s: %r" % (n, ext, text))
            bad += 1
            text = text or ""
        with open(os.path.join(outdir, "%d.%s" % (n, ext)), "w", encoding="utf-8", newline="") as f:
            f.write(text)
with open(os.path.join(outdir, "count"), "w") as f:
    f.write("%d\n" % len(store.units))
sys.exit(1 if bad else 0)
EOF
then
    fail "translate-toolkit reading the TMX: $(cat "$tmp/tt.out")"
fi
n=$(cat "$tmp/units/count" 2>/dev/null)
[ "${n:-0}" -eq 10 ] || fail "translate-toolkit read ${n:-no} units, expected 10"

# ---- selaras lookup on each source, as JSON
i=1
while [ "$i" -le "${n:-0}" ]; do
    selaras lookup --db "$db" --format json --limit 1 -- "$(cat "$tmp/units/$i.src")" \
        >"$tmp/units/$i.json" 2>"$tmp/units/$i.err" ||
        fail "selaras lookup of unit $i failed: $(cat "$tmp/units/$i.err")"
    i=$((i + 1))
done

# ---- compare: translate-toolkit's pair == lookup's 100% match == the hand-written pair
if ! "$PY" - "$tmp/units" "${n:-0}" "$DATA/article.id.sents" "$DATA/article.en.sents" >"$tmp/cmp.out" 2>&1 <<'EOF'
import json, os, sys

outdir, n, id_sents, en_sents = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def read(name):
    with open(os.path.join(outdir, name), encoding="utf-8", newline="") as f:
        return f.read()
def sentences(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]

bad = 0
def problem(msg):
    global bad
    print(msg)
    bad += 1

units = [(read("%d.src" % i), read("%d.tgt" % i)) for i in range(1, n + 1)]
for i, (src, tgt) in enumerate(units, 1):
    try:
        matches = json.loads(read("%d.json" % i))
    except ValueError as e:
        problem("unit %d: selaras lookup printed invalid JSON: %s" % (i, e))
        continue
    if not isinstance(matches, list) or len(matches) != 1:
        problem("unit %d: expected exactly one match, got %r" % (i, matches))
        continue
    m = matches[0]
    if m.get("percent") != 100:
        problem("unit %d: best match is %r%%, not 100%%" % (i, m.get("percent")))
    if m.get("source") != src:
        problem("unit %d: lookup source %r != TMX source %r" % (i, m.get("source"), src))
    if m.get("target") != tgt:
        problem("unit %d: lookup target %r != TMX target %r" % (i, m.get("target"), tgt))

ids, ens = sentences(id_sents), sentences(en_sents)
if len(ids) != len(ens):
    problem("%s and %s hold %d and %d sentences" % (id_sents, en_sents, len(ids), len(ens)))
expected = list(zip(ids, ens))
for pair in expected:
    if pair not in units:
        problem("hand-written pair missing from the TMX: %r" % (pair,))
for pair in units:
    if pair not in expected:
        problem("TMX pair not among the hand-written pairs: %r" % (pair,))
if len(units) != len(expected):
    problem("TMX has %d units, the hand-written files %d pairs" % (len(units), len(expected)))
sys.exit(1 if bad else 0)
EOF
then
    fail "translate-toolkit's units do not match: $(cat "$tmp/cmp.out")"
fi
finish
