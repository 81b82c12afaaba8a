#!/usr/bin/env python3
"""Score 'selaras segment' against the sentence-boundary gold in shared/corpora.

Runs the segmenter on every evaluation text and compares the sentence ends it
finds inside each paragraph with the gold ends (boundary precision, recall,
F1).  The end of a paragraph is never counted: only boundaries *inside* a
paragraph are scored.

Sets (read in place from the corpora folder, never copied):
  seg-id-adjusted/id-ud-paragraphs.jsonl  each paragraph scored against
        ends_strict (the UD split) and ends_adjusted (plus sentence ends that
        UD GSD/CSUI keep inside one sentence), per corpus and overall;
  seg-id-ud/*, seg-en-ud/*, seg-en-gum/*  NAME.txt (one paragraph per line)
        against the internal ends in NAME.offsets.tsv.  Two extra F1 columns:
        'F1-sus' ignores predicted ends inside a gold sentence that
        NAME.suspects.tsv flags 'internal_boundary?' (a probable real sentence
        end the treebank kept inside one sentence), and 'F1-punct' scores only
        boundaries that follow . ! ? or an ellipsis (optionally followed by
        closing quotes/brackets), on both sides.

Every paragraph is written as one line of a temporary batch file (a file
without blank lines: every line is a paragraph, and a sentence never spans a
line break); the sentence offsets are recovered by locating each output
sentence in the paragraph text in order, ignoring whitespace.

Exit status: 0 when scored, 77 when the corpora are absent (so 'make eval'
reports a skip), 1 on any other error.
"""
import argparse
import bisect
import collections
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

import evalcommon  # beside this script

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
TOP_SRCDIR = os.path.dirname(HERE)

# ---------------------------------------------------------------- set-up


def find_corpora(arg):
    return evalcommon.find_corpora(arg, 'seg-id-ud')


find_selaras = evalcommon.find_selaras


def die(msg, code=1):
    print(f"seg-score: {msg}", file=sys.stderr)
    sys.exit(code)


def read_lines(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read().split("\n")


def run_segment(selaras, lang, paragraphs, tmpdir, stats):
    """Segment paragraphs (one per line of a batch file); returns the list of
    output sentences (the output's own paragraph marks are not needed)."""
    path = os.path.join(tmpdir, "batch.txt")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for p in paragraphs:
            f.write(p + "\n")
    t0 = time.perf_counter()
    r = subprocess.run([selaras, "segment", "--lang", lang, path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stats["seconds"] += time.perf_counter() - t0
    if r.returncode != 0:
        die(f"'selaras segment --lang {lang}' failed (exit {r.returncode}): "
            f"{r.stderr.decode('utf-8', 'replace').strip()}")
    out = r.stdout.decode("utf-8")
    return [s for s in out.split("\n") if s.strip()]


class Locator:
    """Finds successive sentences in a list of paragraph strings, ignoring
    whitespace; yields (paragraph index, start, end) character offsets."""

    def __init__(self, paragraphs):
        self.pars = paragraphs
        self.compact = []
        self.index = []  # compact position -> offset in the paragraph
        for p in paragraphs:
            idx = [i for i, ch in enumerate(p) if not ch.isspace()]
            self.index.append(idx)
            self.compact.append("".join(p[i] for i in idx))
        self.p = 0
        self.c = 0
        self.skipped_chars = 0  # paragraph text that no sentence covered
        self.lost = []          # output sentences not found at all

    def locate(self, sent):
        key = "".join(ch for ch in sent if not ch.isspace())
        if not key:
            return None
        p, c = self.p, self.c
        while p < len(self.pars):
            comp = self.compact[p]
            if comp.startswith(key, c):
                k = c
            else:
                k = comp.find(key, c)
            if k >= 0:
                self.skipped_chars += k - c
                if p != self.p:
                    self.skipped_chars += len(self.compact[self.p]) - self.c
                self.p, self.c = p, k + len(key)
                idx = self.index[p]
                return p, idx[k], idx[k + len(key) - 1] + 1
            # a sentence never spans a line: try the next paragraph
            p, c = p + 1, 0
        self.lost.append(sent)
        return None


def predicted_ends(selaras, lang, paragraphs, tmpdir, stats):
    """Internal sentence ends per paragraph (list of sets of offsets)."""
    sents = run_segment(selaras, lang, paragraphs, tmpdir, stats)
    loc = Locator(paragraphs)
    ends = [set() for _ in paragraphs]
    for s in sents:
        r = loc.locate(s)
        if r is None:
            continue
        p, _, e = r
        ends[p].add(e)
    for p, text in enumerate(paragraphs):
        last = len(text.rstrip())
        ends[p] = {e for e in ends[p] if e < last}
    stats["sentences"] += len(sents)
    stats["lost"] += len(loc.lost)
    stats["skipped_chars"] += loc.skipped_chars
    if loc.lost:
        for s in loc.lost[:3]:
            print(f"seg-score: warning: output sentence not found in the input: {s[:80]!r}",
                  file=sys.stderr)
    return ends


# ---------------------------------------------------------------- scoring

CLOSERS = "\"'”’»)]}›"
FINAL = ".!?…"


def punct_end(text, e):
    """True when the boundary at e follows . ! ? … (closers skipped)."""
    i = e - 1
    while i >= 0 and text[i] in CLOSERS:
        i -= 1
    return i >= 0 and text[i] in FINAL


Score = evalcommon.PRF


class Errors:
    def __init__(self, limit, width):
        self.limit = limit
        self.width = width
        self.items = []

    def add(self, label, text, gold, pred, where):
        if not self.limit:
            return
        for e in sorted((gold ^ pred)):
            kind = "FN missed" if e in gold else "FP split "
            a = text[max(0, e - self.width):e].replace("\t", " ")
            b = text[e:e + self.width].replace("\t", " ")
            self.items.append((label, where, e, kind, a, b))

    def show(self, out):
        if not self.limit:
            return
        by = collections.OrderedDict()
        for it in self.items:
            by.setdefault(it[0], []).append(it)
        out.write(f"\n# first {self.limit} errors per scored set "
                  f"(FP split = spurious boundary, FN missed = gold boundary not found; "
                  f"'┃' marks the offset)\n")
        for label, items in by.items():
            out.write(f"\n## {label}: {len(items)} errors\n")
            for _, where, e, kind, a, b in items[:self.limit]:
                out.write(f"{kind} {where}@{e}\t…{a}┃{b}…\n")


# ---------------------------------------------------------------- the sets


def score_adjusted(corpora, selaras, tmpdir, rows, errors, stats):
    path = os.path.join(corpora, "seg-id-adjusted", "id-ud-paragraphs.jsonl")
    if not os.path.isfile(path):
        print(f"seg-score: note: {path} missing; set skipped", file=sys.stderr)
        return
    paras = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                paras.append(json.loads(line))
    texts = [" ".join(p["text"].split("\n")) for p in paras]
    ends = predicted_ends(selaras, "id", texts, tmpdir, stats)
    per = collections.OrderedDict()
    for p, text, pred in zip(paras, texts, ends):
        corp = p["corpus"]
        if corp not in per:
            per[corp] = {"strict": Score(), "adjusted": Score(), "n": 0,
                         "g_s": 0, "g_a": 0, "pred": 0}
        d = per[corp]
        gs, ga = set(p["ends_strict"]), set(p["ends_adjusted"])
        d["strict"].add(gs, pred)
        d["adjusted"].add(ga, pred)
        d["n"] += 1
        d["g_s"] += len(gs)
        d["g_a"] += len(ga)
        d["pred"] += len(pred)
        errors.add("seg-id-adjusted (vs ends_adjusted)", text, ga, pred, p["para_id"])
    tot = {"strict": Score(), "adjusted": Score(), "n": 0, "g_s": 0, "g_a": 0, "pred": 0}
    for corp, d in list(per.items()) + [("ALL", None)]:
        if d is None:
            d = tot
        else:
            for k in ("strict", "adjusted"):
                tot[k].update(d[k])
            for k in ("n", "g_s", "g_a", "pred"):
                tot[k] += d[k]
        for k, gk in (("strict", "g_s"), ("adjusted", "g_a")):
            sc = d[k]
            rows.append({"set": "seg-id-adjusted", "file": corp, "gold": f"ends_{k}",
                         "lang": "id", "paras": d["n"], "n_gold": d[gk], "n_pred": d["pred"],
                         "tp": sc.tp, "fp": sc.fp, "fn": sc.fn, "prf": sc.prf(),
                         "f1_sus": None, "f1_punct": None})


def load_suspects(path):
    out = set()
    if os.path.isfile(path):
        for line in read_lines(path):
            parts = line.split("\t")
            if len(parts) >= 2 and parts[1] == "internal_boundary?":
                out.add(parts[0])
    return out


def score_offsets_file(name, lang, base, selaras, tmpdir, errors, stats):
    with open(base + ".txt", encoding="utf-8", newline="") as f:
        whole = f.read()
    lines = whole.split("\n")
    starts, pos = [], 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln) + 1
    # paragraphs = non-empty lines; gold ends, line-relative, internal only
    keep = [i for i, ln in enumerate(lines) if ln.strip()]
    which = {li: k for k, li in enumerate(keep)}
    paragraphs = [lines[i] for i in keep]
    gold = [set() for _ in keep]
    suspect_spans = [[] for _ in keep]
    suspects = load_suspects(base + ".suspects.tsv")
    for line in read_lines(base + ".offsets.tsv"):
        if not line.strip():
            continue
        sid, _doc, _par, s, e = line.split("\t")[:5]
        s, e = int(s), int(e)
        li = bisect.bisect_right(starts, s) - 1
        k = which.get(li)
        if k is None:
            die(f"{base}.offsets.tsv: sentence {sid} starts on a blank line")
        rs, re_ = s - starts[li], e - starts[li]
        if re_ > len(lines[li]):
            die(f"{base}.offsets.tsv: sentence {sid} spans a line break")
        if re_ < len(lines[li].rstrip()):
            gold[k].add(re_)
        if sid in suspects:
            suspect_spans[k].append((rs, re_))
    pred = predicted_ends(selaras, lang, paragraphs, tmpdir, stats)
    sc, sc_sus, sc_punct = Score(), Score(), Score()
    n_gold = n_pred = 0
    for k, text in enumerate(paragraphs):
        g, p = gold[k], pred[k]
        sc.add(g, p)
        n_gold += len(g)
        n_pred += len(p)
        inside = {e for e in p for (a, b) in suspect_spans[k] if a < e < b}
        sc_sus.add(g, p - inside)
        sc_punct.add({e for e in g if punct_end(text, e)},
                     {e for e in p if punct_end(text, e)})
        errors.add(name, text, g, p, f"line{keep[k] + 1}")
    return {"paras": len(paragraphs), "n_gold": n_gold, "n_pred": n_pred,
            "tp": sc.tp, "fp": sc.fp, "fn": sc.fn, "prf": sc.prf(),
            "f1_sus": sc_sus.prf()[2], "f1_punct": sc_punct.prf()[2],
            "_scores": (sc, sc_sus, sc_punct)}


UD_SETS = (("seg-id-ud", "id"), ("seg-en-ud", "en"), ("seg-en-gum", "en"))


def score_ud(corpora, selaras, tmpdir, rows, errors, stats):
    # the English target is on web text: EWT (not PUD) and GUM together
    web = [Score(), Score(), Score()]
    web_agg = collections.Counter()
    for setname, lang in UD_SETS:
        d = os.path.join(corpora, setname)
        files = sorted(glob.glob(os.path.join(d, "*.offsets.tsv")))
        if not files:
            print(f"seg-score: note: {d} missing; set skipped", file=sys.stderr)
            continue
        tot = [Score(), Score(), Score()]
        agg = collections.Counter()
        for off in files:
            base = off[:-len(".offsets.tsv")]
            name = os.path.basename(base)
            r = score_offsets_file(f"{setname}/{name}", lang, base, selaras, tmpdir,
                                   errors, stats)
            scores = r.pop("_scores")
            for a, b in zip(tot, scores):
                a.update(b)
            for k in ("paras", "n_gold", "n_pred"):
                agg[k] += r[k]
            if setname == "seg-en-gum" or (setname == "seg-en-ud" and name.startswith("ewt")):
                for a, b in zip(web, scores):
                    a.update(b)
                for k in ("paras", "n_gold", "n_pred"):
                    web_agg[k] += r[k]
            r.update({"set": setname, "file": name, "gold": "offsets", "lang": lang})
            rows.append(r)
        rows.append({"set": setname, "file": "ALL", "gold": "offsets", "lang": lang,
                     "paras": agg["paras"], "n_gold": agg["n_gold"], "n_pred": agg["n_pred"],
                     "tp": tot[0].tp, "fp": tot[0].fp, "fn": tot[0].fn, "prf": tot[0].prf(),
                     "f1_sus": tot[1].prf()[2], "f1_punct": tot[2].prf()[2]})
    if web_agg["paras"]:
        rows.append({"set": "en-web", "file": "EWT+GUM", "gold": "offsets", "lang": "en",
                     "paras": web_agg["paras"], "n_gold": web_agg["n_gold"],
                     "n_pred": web_agg["n_pred"], "tp": web[0].tp, "fp": web[0].fp,
                     "fn": web[0].fn, "prf": web[0].prf(), "f1_sus": web[1].prf()[2],
                     "f1_punct": web[2].prf()[2]})


# ---------------------------------------------------------------- output

COLS = ("set", "file", "gold", "lang", "paras", "n_gold", "n_pred", "tp", "fp", "fn",
        "P", "R", "F1", "F1-sus", "F1-punct")


def cells(r):
    p, rc, f = r["prf"]
    opt = lambda v: "-" if v is None else f"{v:.4f}"
    return [r["set"], r["file"], r["gold"], r["lang"], str(r["paras"]), str(r["n_gold"]),
            str(r["n_pred"]), str(r["tp"]), str(r["fp"]), str(r["fn"]),
            f"{p:.4f}", f"{rc:.4f}", f"{f:.4f}", opt(r["f1_sus"]), opt(r["f1_punct"])]


def print_table(rows, fmt, out):
    table = [list(COLS)] + [cells(r) for r in rows]
    if fmt == "tsv":
        for row in table:
            out.write("\t".join(row) + "\n")
        return
    w = [max(len(row[i]) for row in table) for i in range(len(COLS))]
    for n, row in enumerate(table):
        out.write("  ".join(c.ljust(w[i]) if i < 4 else c.rjust(w[i])
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
    ap.add_argument("--errors", type=int, default=0, metavar="N",
                    help="also list the first N errors of every scored set, with context")
    ap.add_argument("--context", type=int, default=40, metavar="CHARS",
                    help="characters of context on each side of an error (default 40)")
    ap.add_argument("--sets", default="adjusted,ud",
                    help="comma-separated: adjusted (seg-id-adjusted), ud (seg-id-ud, "
                         "seg-en-ud, seg-en-gum); default both")
    args = ap.parse_args()

    corpora, tried = find_corpora(args.shared)
    if corpora is None:
        print(f"seg-score: SKIP: evaluation corpora not found in '{tried}' (give --shared DIR "
              "or set SHARED_DIR to the folder holding corpora/)", file=sys.stderr)
        return SKIP
    selaras = find_selaras(args.selaras)
    if selaras is None:
        die("selaras binary not found; give --selaras PATH")
    if not os.environ.get("SELARAS_DATADIR") and os.path.isdir(os.path.join(TOP_SRCDIR, "data")):
        os.environ["SELARAS_DATADIR"] = os.path.join(TOP_SRCDIR, "data")
    sets = {s.strip() for s in args.sets.split(",") if s.strip()}
    if not sets <= {"adjusted", "ud"}:
        die(f"--sets: unknown set in '{args.sets}'")

    rows = []
    errors = Errors(args.errors, args.context)
    stats = collections.Counter()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="selaras-seg-score.") as tmpdir:
        if "adjusted" in sets:
            score_adjusted(corpora, selaras, tmpdir, rows, errors, stats)
        if "ud" in sets:
            score_ud(corpora, selaras, tmpdir, rows, errors, stats)
    wall = time.perf_counter() - t0
    if not rows:
        print(f"seg-score: SKIP: no segmentation set found in {corpora}", file=sys.stderr)
        return SKIP
    out = sys.stdout
    if args.format == "text":
        out.write(f"# selaras segment: boundary P/R/F1 inside paragraphs ({selaras}; "
                  f"corpora {corpora})\n")
    print_table(rows, args.format, out)
    if args.format == "text":
        out.write(f"# {stats['sentences']} sentences segmented in {stats['seconds']:.2f} s "
                  f"of selaras time ({wall:.2f} s in all)")
        if stats["lost"] or stats["skipped_chars"]:
            out.write(f"; {stats['lost']} output sentences not found in the input, "
                      f"{stats['skipped_chars']} input characters not covered")
        out.write("\n")
    errors.show(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
