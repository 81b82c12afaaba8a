#!/usr/bin/env python3
"""Score 'selaras align' against the bead gold of the alignment sets in shared/corpora.

For every document pair DOC of a set, runs
    selaras align --src-lang id --tgt-lang en --presegmented --format beads \\
        DOC.id.sents DOC.en.sents
(the .sents files hold one unit per line and no paragraph marks; they are
passed as they are) and compares the beads with DOC.gold.tsv:

  strict bead P/R/F1  a predicted bead counts only when it is identical to a
                      gold bead (same source and target indices), 1-0 and 0-1
                      beads included;
  lax link P/R/F1     the sentence links (i, j) of every bead with both sides
                      (a 2-1 bead gives two links), predicted against gold.

Sets (read in place, never copied): align-pud-id-en/docs ('pud', 397 short
documents), align-pud-id-en/all ('pud-all', the same 1,000 pairs as one long
document; not counted in ALL, which would count PUD twice),
align-lohelp-id-en/docs and align-debref-id-en/docs (units are paragraphs).
Harder variants ('-hard' rows) are generated into a temporary folder with the
corpora's make_synthetic.py (joins adjacent sentences on one side and deletes
one side of some 1-1 beads; --cross-paragraph for lohelp/debref, whose units
are paragraphs); a second table gives their strict recall per gold bead type.

Speed: the time spent in selaras (one process per document) and the
sentences (source + target) aligned per second.

Exit status: 0 when scored, 77 when the corpora are absent (so 'make eval'
reports a skip), 1 on any other error.
"""
import argparse
import collections
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import evalcommon  # beside this script

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
TOP_SRCDIR = os.path.dirname(HERE)

# name, folder under corpora, counted in ALL, make_synthetic --cross-paragraph
SETS = (
    ("pud", "align-pud-id-en/docs", True, False),
    ("pud-all", "align-pud-id-en/all", False, False),
    ("lohelp", "align-lohelp-id-en/docs", True, True),
    ("debref", "align-debref-id-en/docs", True, True),
)
# the synthetic variants: pud from all/ (one long document, as in the corpora README)
HARD = (
    ("pud-all-hard", "align-pud-id-en/all", False),
    ("lohelp-hard", "align-lohelp-id-en/docs", True),
    ("debref-hard", "align-debref-id-en/docs", True),
)


def find_corpora(arg):
    return evalcommon.find_corpora(arg, 'align-pud-id-en')


find_selaras = evalcommon.find_selaras


def die(msg, code=1):
    print(f"align-score: {msg}", file=sys.stderr)
    sys.exit(code)


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n") if text else []


def parse_side(field):
    return tuple(int(x) for x in field.split(",") if x != "")


def read_gold(path):
    beads = []
    for line in read_lines(path):
        if "\t" not in line:
            if line.strip():
                die(f"{path}: bad gold line {line!r}")
            continue
        s, t = line.split("\t")[:2]
        beads.append((parse_side(s), parse_side(t)))
    return beads


def parse_beads(text, what, scores=None):
    beads = []
    for line in text.split("\n"):
        if not line:
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            die(f"{what}: unexpected output line {line!r}")
        beads.append((parse_side(parts[0]), parse_side(parts[1])))
        if scores is not None:
            scores.append(float(parts[2]))
    return beads


def links(beads):
    return {(i, j) for s, t in beads if s and t for i in s for j in t}


def btype(b):
    return f"{len(b[0])}-{len(b[1])}"


PRF = evalcommon.PRF


class Result:
    def __init__(self, name):
        self.name = name
        self.docs = 0
        self.n_src = self.n_tgt = 0
        self.n_gold = self.n_pred = 0
        self.strict = PRF()
        self.lax = PRF()
        self.seconds = 0.0
        self.by_type = collections.Counter()   # gold beads per type
        self.hit_type = collections.Counter()  # ... found exactly
        self.problems = 0                      # outputs not covering every sentence once
        self.calls = 0                         # selaras processes run
        self.scored = []                       # (score, correct) of predicted pairs
        self.scored_kinds = []                 # (score, correct, bead type)

    def update(self, o):
        self.docs += o.docs
        self.n_src += o.n_src
        self.n_tgt += o.n_tgt
        self.n_gold += o.n_gold
        self.n_pred += o.n_pred
        self.strict.update(o.strict)
        self.lax.update(o.lax)
        self.seconds += o.seconds
        self.by_type.update(o.by_type)
        self.hit_type.update(o.hit_type)
        self.problems += o.problems
        self.calls += o.calls
        self.scored += o.scored
        self.scored_kinds += o.scored_kinds


def documents(folder):
    names = sorted(f[:-len(".gold.tsv")] for f in os.listdir(folder) if f.endswith(".gold.tsv"))
    return [os.path.join(folder, n) for n in names]


def covers(beads, n_src, n_tgt):
    s = [i for b in beads for i in b[0]]
    t = [j for b in beads for j in b[1]]
    return s == list(range(n_src)) and t == list(range(n_tgt))


def run_tool(cmd):
    """Run an aligner; its stdout and the seconds it took."""
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sec = time.perf_counter() - t0
    if r.returncode != 0:
        die(f"{' '.join(cmd)} failed (exit {r.returncode}): "
            f"{r.stderr.decode('utf-8', 'replace').strip()}")
    return r.stdout.decode("utf-8"), sec


def score_set(name, folder, selaras, extra=(), hun=None):
    """Score every document of folder; hun (a Hunalign) aligns instead of selaras."""
    res = Result(name)
    for base in documents(folder):
        src, tgt, gold_path = base + ".id.sents", base + ".en.sents", base + ".gold.tsv"
        gold = read_gold(gold_path)
        n_src, n_tgt = len(read_lines(src)), len(read_lines(tgt))
        scores = []
        if hun:
            pred, sec = hun.align(src, tgt, n_src, n_tgt, scores)
        else:
            cmd = [selaras, "align", "--src-lang", "id", "--tgt-lang", "en", "--presegmented",
                   "--format", "beads", *extra, src, tgt]
            text, sec = run_tool(cmd)
            pred = parse_beads(text, base, scores)
        res.seconds += sec
        res.calls += 1
        if not covers(pred, n_src, n_tgt):
            res.problems += 1
        gset, pset = set(gold), set(pred)
        for b, sc in zip(pred, scores):
            if b[0] and b[1]:
                res.scored.append((sc, b in gset))
                res.scored_kinds.append((sc, b in gset, btype(b)))
        res.docs += 1
        res.n_src += n_src
        res.n_tgt += n_tgt
        res.n_gold += len(gold)
        res.n_pred += len(pred)
        res.strict.add(gset, pset)
        res.lax.add(links(gold), links(pred))
        for b in gold:
            res.by_type[btype(b)] += 1
            if b in pset:
                res.hit_type[btype(b)] += 1
    return res


# ---- hunalign, for the comparison: same inputs, its ladder read back as beads

WORD_RE = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]", re.UNICODE)


def tokenize(line):
    """hunalign wants tokens separated by spaces: words and punctuation apart."""
    return " ".join(WORD_RE.findall(line))


def dictd_pairs(index_path):
    """(english, indonesian) pairs of a FreeDict dictd database (.index beside
    .dict.dz or .dict): the first line of an entry is the headword, the next
    its translations (comma separated); a line starting "N. " is another
    sense's translations, other lines are glosses."""
    base = index_path[:-len(".index")] if index_path.endswith(".index") else index_path
    for suffix, opener in ((".dict.dz", gzip.open), (".dict", open)):
        if os.path.exists(base + suffix):
            with opener(base + suffix, "rb") as f:
                data = f.read()
            break
    else:
        die(f"{index_path}: no .dict.dz or .dict beside it")

    def b64(text):
        n = 0
        for ch in text:
            n = n * 64 + B64.index(ch)
        return n

    with open(base + ".index", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or parts[0].startswith("00database"):
                continue
            head, off, size = parts[0], b64(parts[1]), b64(parts[2])
            lines = data[off:off + size].decode("utf-8", "replace").split("\n")[1:]
            for k, text in enumerate(lines):
                sense = re.match(r"\s*\d+\.\s+", text)
                if k != 0 and not sense:
                    continue
                text = text[sense.end():] if sense else text
                text = re.sub(r"\s+\d+\.\s*$", "", text)
                for t in text.split(","):
                    t = t.strip()
                    if t:
                        yield head, t


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def hunalign_dictionary(path, out):
    """Write path (a dictd .index of English headwords, or an id<TAB>en TSV)
    as hunalign's dictionary for aligning Indonesian (source) with English
    (target): one "target @ source" phrase pair a line, tokenized like the
    text; returns the number of pairs."""
    if path.endswith((".index", ".dict", ".dict.dz")):
        pairs = ((id_, en) for en, id_ in dictd_pairs(path))
    else:
        with open(path, encoding="utf-8") as f:
            pairs = [tuple(l.rstrip("\n").split("\t")[:2]) for l in f if "\t" in l]
    seen = set()
    with open(out, "w", encoding="utf-8") as f:
        for id_, en in pairs:
            key = (tokenize(en.lower()), tokenize(id_.lower()))
            if key[0] and key[1] and key not in seen:
                seen.add(key)
                f.write(f"{key[0]} @ {key[1]}\n")
    return len(seen)


def ladder_beads(text, n_src, n_tgt, scores):
    """Beads from hunalign's ladder (rungs "i<TAB>j<TAB>score", ending at
    (n_src, n_tgt)): the sentences between two rungs form a bead, scored by
    the rung that opens it."""
    rungs = []
    for line in text.split("\n"):
        if line.strip():
            f = line.split("\t")
            rungs.append((int(f[0]), int(f[1]), float(f[2]) if len(f) > 2 else 0.0))
    if not rungs or rungs[0][:2] != (0, 0):
        rungs.insert(0, (0, 0, 0.0))
    if rungs[-1][:2] != (n_src, n_tgt):
        rungs.append((n_src, n_tgt, 0.0))
    beads = []
    for (i, j, sc), (i2, j2, _) in zip(rungs, rungs[1:]):
        if (i2, j2) == (i, j):
            continue
        beads.append((tuple(range(i, i2)), tuple(range(j, j2))))
        scores.append(sc)
    return beads


class Hunalign:
    """Runs hunalign on tokenized copies of the .sents files."""

    def __init__(self, binary, dictionary, tmp, args):
        self.binary, self.tmp, self.args = binary, tmp, args
        self.dic = os.path.join(tmp, "hunalign.dic")
        if dictionary:
            n = hunalign_dictionary(dictionary, self.dic)
            print(f"# hunalign dictionary: {n} phrase pairs from {dictionary}")
        else:
            open(self.dic, "w").close()  # hunalign needs a file; empty = none

    def align(self, src, tgt, n_src, n_tgt, scores):
        paths = []
        for side, path in (("src", src), ("tgt", tgt)):
            out = os.path.join(self.tmp, f"hun.{side}")
            with open(out, "w", encoding="utf-8") as f:
                for line in read_lines(path):
                    f.write(tokenize(line) + "\n")
            paths.append(out)
        text, sec = run_tool([self.binary, *self.args, self.dic, *paths])
        return ladder_beads(text, n_src, n_tgt, scores), sec


def learn(corpora, name, db, selaras):
    """Add every document of set NAME to the TM db, then 'selaras learn'."""
    folder = dict((s[0], s[1]) for s in SETS).get(name)
    if not folder:
        die(f"--learn: unknown set '{name}'")
    for base in documents(os.path.join(corpora, folder)):
        cmd = [selaras, "add", "--db", db, "--presegmented", "--src-lang", "id",
               "--tgt-lang", "en", base + ".id.sents", base + ".en.sents"]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 0:
            die(f"{' '.join(cmd)} failed: {r.stderr.decode('utf-8', 'replace').strip()}")
    r = subprocess.run([selaras, "learn", "--db", db], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if r.returncode != 0:
        die(f"selaras learn failed: {r.stderr.decode('utf-8', 'replace').strip()}")
    print(f"# learned on {name}: {r.stdout.decode('utf-8').strip()}")


BANDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001)


def reliability(results, fmt, out):
    """Per score band: pairs, mean predicted score, observed share correct."""
    rows = []
    for r in results:
        for lo, hi in zip(BANDS, BANDS[1:]):
            band = [(s, c) for s, c in r.scored if lo <= s < hi]
            if not band:
                continue
            pred = sum(s for s, _ in band) / len(band)
            obs = sum(1 for _, c in band if c) / len(band)
            rows.append([r.name, f"{lo:.2f}-{min(hi, 1):.2f}", str(len(band)), f"{pred:.3f}",
                         f"{obs:.3f}"])
        if r.scored:
            n = len(r.scored)
            brier = sum((s - (1 if c else 0)) ** 2 for s, c in r.scored) / n
            ece = 0.0
            for lo, hi in zip(BANDS, BANDS[1:]):
                band = [(s, c) for s, c in r.scored if lo <= s < hi]
                if band:
                    ece += abs(sum(s for s, _ in band) - sum(1 for _, c in band if c)) / n
            rows.append([r.name, "all", str(n), f"brier {brier:.4f}", f"ECE {ece:.4f}"])
    if fmt == "text":
        out.write("\n# reliability: predicted score against observed correctness (strict) of "
                  "predicted pairs\n")
    print_table(["set", "score band", "pairs", "mean score", "correct"], rows, fmt, out)


def make_hard(corpora, folder, outdir, cross, args):
    cmd = [sys.executable, os.path.join(corpora, "make_synthetic.py"),
           os.path.join(corpora, folder), outdir, "--seed", str(args.seed),
           "--merge-rate", str(args.merge_rate), "--delete-rate", str(args.delete_rate)]
    if cross:
        cmd.append("--cross-paragraph")
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        die(f"make_synthetic.py failed: {r.stderr.decode('utf-8', 'replace').strip()}")
    return " ".join(os.path.basename(c) if i < 2 else c for i, c in enumerate(cmd))


COLS = ("set", "docs", "src", "tgt", "gold", "pred", "bead-P", "bead-R", "bead-F1",
        "link-P", "link-R", "link-F1", "sec", "sent/s")


def cells(r):
    bp, br, bf = r.strict.prf()
    lp, lr, lf = r.lax.prf()
    n = r.n_src + r.n_tgt
    return [r.name, str(r.docs), str(r.n_src), str(r.n_tgt), str(r.n_gold), str(r.n_pred),
            f"{bp:.4f}", f"{br:.4f}", f"{bf:.4f}", f"{lp:.4f}", f"{lr:.4f}", f"{lf:.4f}",
            f"{r.seconds:.2f}", f"{n / r.seconds:.0f}" if r.seconds > 0 else "-"]


def mean_cells(name, rs):
    """A row of the means over seeds of P, R and F1 (counts and times summed)."""
    row = cells(rs[0])
    sums = [cells(r) for r in rs]
    for i, col in enumerate(COLS):
        if col in ("set",):
            continue
        vals = [float(c[i]) if c[i] != "-" else 0.0 for c in sums]
        if col.endswith(("-P", "-R", "-F1")):
            row[i] = f"{sum(vals) / len(vals):.4f}"
        elif col == "sent/s":
            sec = sum(r.seconds for r in rs)
            row[i] = f"{sum(r.n_src + r.n_tgt for r in rs) / sec:.0f}" if sec > 0 else "-"
        elif col == "sec":
            row[i] = f"{sum(vals):.2f}"
        else:
            row[i] = str(int(sum(vals)))
    row[0] = name
    return row


def print_table(header, rows, fmt, out):
    table = [list(header)] + rows
    if fmt == "tsv":
        for row in table:
            out.write("\t".join(row) + "\n")
        return
    w = [max(len(row[i]) for row in table) for i in range(len(header))]
    for n, row in enumerate(table):
        out.write("  ".join(c.ljust(w[i]) if i == 0 else c.rjust(w[i])
                            for i, c in enumerate(row)).rstrip() + "\n")
        if n == 0:
            out.write("  ".join("-" * x for x in w) + "\n")


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--selaras", metavar="PATH",
                    help="the selaras binary (default: $SELARAS, ./selaras, the source "
                         "tree's selaras, then PATH)")
    ap.add_argument("--shared", metavar="DIR",
                    help="folder holding corpora/ (default: $SHARED_DIR, else ../shared "
                         "beside the source tree)")
    ap.add_argument("--format", choices=("text", "tsv"), default="text",
                    help="table format (default text)")
    ap.add_argument("--sets", default="pud,pud-all,lohelp,debref",
                    help="comma-separated sets to score (default all: pud,pud-all,lohelp,debref)")
    ap.add_argument("--no-synthetic", action="store_true",
                    help="skip the synthetic harder variants")
    ap.add_argument("--seed", type=int, default=7, help="make_synthetic.py seed (default 7)")
    ap.add_argument("--seeds", metavar="LIST",
                    help="comma-separated seeds (e.g. 7,8,9): one synthetic variant per seed, "
                         "a row per seed and their mean (overrides --seed)")
    ap.add_argument("--tool", choices=("selaras", "hunalign"), default="selaras",
                    help="the aligner to score (default selaras); hunalign gets tokenized "
                         "copies of the same .sents files and, with --dict, the dictionary "
                         "converted to its format")
    ap.add_argument("--hunalign", metavar="PATH",
                    help="the hunalign binary (default: $HUNALIGN, then PATH)")
    ap.add_argument("--hunalign-args", default="-utf", metavar="ARGS",
                    help="arguments for hunalign before its files (default -utf)")
    ap.add_argument("--merge-rate", type=float, default=0.08,
                    help="make_synthetic.py merges per bead (default 0.08)")
    ap.add_argument("--delete-rate", type=float, default=0.04,
                    help="make_synthetic.py deletions per bead (default 0.04)")
    ap.add_argument("--db", metavar="FILE",
                    help="pass --db FILE to 'selaras align': use that TM's dictionaries and "
                         "learned word associations")
    ap.add_argument("--dict", metavar="FILE",
                    help="import this dictionary (a dictd .index of English headwords, e.g. "
                         "/usr/share/dictd/freedict-eng-ind.index, or an id<TAB>en TSV) into a "
                         "temporary TM and align with it")
    ap.add_argument("--learn", metavar="SET",
                    help="first build a TM from the gold pairs' texts of SET (e.g. lohelp) "
                         "with 'selaras add --presegmented', run 'selaras learn' on it and "
                         "align with that TM (a copy of --db, if given, plus what was learned)")
    ap.add_argument("--reliability", action="store_true",
                    help="print predicted score against observed correctness per score band")
    ap.add_argument("--align-args", default="", metavar="ARGS",
                    help="further arguments for 'selaras align' (split on spaces)")
    args = ap.parse_args()

    corpora, tried = find_corpora(args.shared)
    if corpora is None:
        print(f"align-score: SKIP: evaluation corpora not found in '{tried}' (give --shared DIR "
              "or set SHARED_DIR to the folder holding corpora/)", file=sys.stderr)
        return SKIP
    selaras = find_selaras(args.selaras)
    if selaras is None:
        die("selaras binary not found; give --selaras PATH")
    if not os.environ.get("SELARAS_DATADIR") and os.path.isdir(os.path.join(TOP_SRCDIR, "data")):
        os.environ["SELARAS_DATADIR"] = os.path.join(TOP_SRCDIR, "data")
    wanted = [s.strip() for s in args.sets.split(",") if s.strip()]
    known = {s[0] for s in SETS}
    if not set(wanted) <= known:
        die(f"--sets: unknown set in '{args.sets}' (known: {', '.join(s[0] for s in SETS)})")

    hun = None
    hun_tmp = None
    if args.tool == "hunalign":
        binary = args.hunalign or os.environ.get("HUNALIGN") or shutil.which("hunalign")
        if not binary or not os.access(binary, os.X_OK):
            print("align-score: SKIP: hunalign not found (install it, or give --hunalign PATH "
                  "or set HUNALIGN)", file=sys.stderr)
            return SKIP
        if args.learn or args.db:
            die("--learn and --db are selaras options; hunalign takes only --dict", 2)
        hun_tmp = tempfile.TemporaryDirectory(prefix="selaras-hunalign.")
        hun = Hunalign(binary, args.dict, hun_tmp.name, args.hunalign_args.split())
        args.dict = None
    seeds = [int(x) for x in args.seeds.split(",") if x.strip()] if args.seeds else [args.seed]

    learn_tmp = None
    if args.learn or args.dict:
        learn_tmp = tempfile.TemporaryDirectory(prefix="selaras-learn.")
        db = os.path.join(learn_tmp.name, "learn.db")
        if args.db:
            shutil.copyfile(args.db, db)
        if args.dict:
            langs = ["--src-lang", "en", "--tgt-lang", "id"] if args.dict.endswith(
                (".index", ".dict", ".dict.dz")) else ["--src-lang", "id", "--tgt-lang", "en"]
            r = subprocess.run([selaras, "dict", "import", "--db", db, *langs, args.dict],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if r.returncode != 0:
                die(f"selaras dict import failed: {r.stderr.decode('utf-8', 'replace').strip()}")
            print(f"# dictionary: {r.stdout.decode('utf-8').strip()}")
        if args.learn:
            learn(corpora, args.learn, db, selaras)
        args.db = db
    extra = (["--db", os.path.abspath(args.db)] if args.db else []) + args.align_args.split()

    t_start = time.perf_counter()
    results, total = [], Result("ALL")
    for name, folder, in_all, _cross in SETS:
        if name not in wanted:
            continue
        path = os.path.join(corpora, folder)
        if not os.path.isdir(path):
            print(f"align-score: note: {path} missing; set skipped", file=sys.stderr)
            continue
        r = score_set(name, path, selaras, extra, hun)
        results.append(r)
        if in_all:
            total.update(r)
    hard, hard_total, notes = [], Result("ALL-hard"), []
    per_seed = collections.OrderedDict()  # set name -> its result for every seed
    if not args.no_synthetic:
        with tempfile.TemporaryDirectory(prefix="selaras-align-score.") as tmp:
            for seed in seeds:
                args.seed = seed
                seed_total = Result("ALL-hard")
                for name, folder, cross in HARD:
                    if name[:-len("-hard")] not in wanted or \
                            not os.path.isdir(os.path.join(corpora, folder)):
                        continue
                    out = os.path.join(tmp, f"{name}.{seed}")
                    notes.append(make_hard(corpora, folder, out, cross, args))
                    label = name if len(seeds) == 1 else f"{name} s{seed}"
                    r = score_set(label, out, selaras, extra, hun)
                    hard.append(r)
                    hard_total.update(r)
                    seed_total.update(r)
                    per_seed.setdefault(name, []).append(r)
                if len(seeds) > 1 and len([n for n in per_seed if per_seed[n]]) > 1:
                    per_seed.setdefault("ALL-hard", []).append(seed_total)
    wall = time.perf_counter() - t_start
    if not results and not hard:
        print(f"align-score: SKIP: no alignment set found in {corpora}", file=sys.stderr)
        return SKIP

    out = sys.stdout
    rows = [cells(r) for r in results]
    if total.docs and sum(1 for n, _, a, _ in SETS if a and n in wanted) > 1:
        rows.append(cells(total))
    rows += [cells(r) for r in hard]
    if len(seeds) > 1:
        rows += [mean_cells(f"{name} mean", rs) for name, rs in per_seed.items()]
    elif len(hard) > 1:
        rows.append(cells(hard_total))
    if args.format == "text":
        out.write(f"# selaras align --presegmented: strict bead and lax link P/R/F1 "
                  f"({selaras}; corpora {corpora})\n")
    print_table(COLS, rows, args.format, out)

    # strict recall per gold bead type, for the sets that have more than 1-1
    types = sorted({t for r in hard + results for t in r.by_type if t != "1-1"} | {"1-1"},
                   key=lambda t: (t != "1-1", t))
    mixed = [r for r in results + hard + ([hard_total] if len(hard) > 1 else [])
             if set(r.by_type) - {"1-1"}]
    if mixed:
        trows = []
        for r in mixed:
            row = [r.name]
            for t in types:
                n = r.by_type.get(t, 0)
                row.append(f"{r.hit_type.get(t, 0)}/{n} {r.hit_type.get(t, 0) / n:.3f}"
                           if n else "-")
            trows.append(row)
        out.write("\n" if args.format == "text" else "")
        if args.format == "text":
            out.write("# strict recall per gold bead type (found/gold)\n")
        print_table(["set"] + [f"R {t}" for t in types], trows, args.format, out)

    if args.reliability:
        reliability(results + hard, args.format, out)

    if args.format == "text":
        n_all = sum(r.n_src + r.n_tgt for r in results + hard)
        sec = sum(r.seconds for r in results + hard)
        calls = sum(r.calls for r in results + hard)
        out.write(f"# {n_all} sentences aligned in {sec:.2f} s of selaras time "
                  f"({n_all / sec:.0f} sentences/s; {calls} selaras runs, "
                  f"{1000 * sec / calls:.1f} ms per run); whole run {wall:.2f} s\n")
        for n in notes:
            out.write(f"# synthetic: {n}\n")
        bad = sum(r.problems for r in results + hard)
        if bad:
            out.write(f"# WARNING: {bad} documents whose predicted beads do not cover "
                      f"every sentence exactly once, in order\n")
    if learn_tmp:
        learn_tmp.cleanup()
    if hun_tmp:
        hun_tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
