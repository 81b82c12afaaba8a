#!/usr/bin/env python3
"""Fit the aligner's score calibration (data/align.calibration).

Runs 'selaras align --format beads' without any calibration file on the
synthetic hard variant of a training set (default lohelp, seed 11: not the
seed 7 that align-score.py reports on) and fits, per bead class (1-1 pairs
and merges), a logistic model of strict bead correctness on the logit of the
raw score: P(correct) = 1 / (1 + exp(-(a + b * logit(raw)))).  Writes the
file given with --out (default: print it).

    python3 eval/align-calibrate.py --selaras ../build/selaras --out data/align.calibration
"""
import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
score = __import__("align-score")


def logit(p):
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def fit(xs, ys, iters=50):
    """Logistic regression y ~ a + b x by Newton's method (2 parameters)."""
    a, b = 0.0, 1.0
    for _ in range(iters):
        ga = gb = haa = hab = hbb = 0.0
        for x, y in zip(xs, ys):
            p = 1 / (1 + math.exp(-(a + b * x)))
            w = p * (1 - p)
            ga += y - p
            gb += (y - p) * x
            haa += w
            hab += w * x
            hbb += w * x * x
        haa += 1e-6
        hbb += 1e-6
        det = haa * hbb - hab * hab
        if det <= 0:
            break
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        a, b = a + da, b + db
        if abs(da) + abs(db) < 1e-9:
            break
    return a, b


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--selaras", required=True)
    ap.add_argument("--shared")
    ap.add_argument("--set", default="lohelp", help="training set (default lohelp)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out")
    args = ap.parse_args()
    corpora, tried = score.find_corpora(args.shared)
    if corpora is None:
        print(f"align-calibrate: SKIP: no corpora in {tried}", file=sys.stderr)
        return 77
    folder = dict((s[0], s[1]) for s in score.SETS)[args.set]
    cross = dict((s[0], s[3]) for s in score.SETS)[args.set]
    with tempfile.TemporaryDirectory(prefix="selaras-calibrate.") as tmp:
        # the data files without a calibration: raw scores
        data = os.path.join(tmp, "data")
        shutil.copytree(os.path.join(score.TOP_SRCDIR, "data"), data)
        # an empty file, not none: selaras would find the installed or
        # source tree's one further down its data path
        with open(os.path.join(data, "align.calibration"), "w") as f:
            f.write("# no calibration: raw scores\n")
        os.environ["SELARAS_DATADIR"] = data
        ns = argparse.Namespace(seed=args.seed, merge_rate=0.08, delete_rate=0.04)
        out = os.path.join(tmp, "hard")
        score.make_hard(corpora, folder, out, cross, ns)
        r = score.score_set(args.set + "-hard", out, os.path.abspath(args.selaras))
    classes = {"one": ([], []), "merge": ([], [])}
    for sc, ok, kind in r.scored_kinds:
        xs, ys = classes["one" if kind == "1-1" else "merge"]
        xs.append(logit(sc))
        ys.append(1 if ok else 0)
    lines = [f"# Score calibration, fitted by eval/align-calibrate.py on {args.set}-hard "
             f"(make_synthetic.py seed {args.seed}, 8% merges, 4% deletions):",
             "# CLASS A B  ->  score = 1 / (1 + exp(-(A + B * logit(raw score))))"]
    for name, (xs, ys) in classes.items():
        a, b = fit(xs, ys)
        lines.append(f"{name} {a:.4f} {b:.4f}  # {len(xs)} pairs, {sum(ys)} correct")
    text = "\n".join(lines) + "\n"
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
