"""What the evaluation scripts share: finding the corpora and the program."""
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
TOP_SRCDIR = os.path.dirname(HERE)


def find_corpora(arg, marker):
    """The corpora folder: --shared DIR, else $SHARED_DIR, else ../shared
    beside the source tree.  DIR may be the 'shared' folder or its 'corpora';
    the folder is recognised by make_synthetic.py or the subfolder marker."""
    base = arg or os.environ.get("SHARED_DIR") or os.path.join(
        os.path.dirname(TOP_SRCDIR), "shared")
    for cand in (os.path.join(base, "corpora"), base):
        if os.path.isfile(os.path.join(cand, "make_synthetic.py")) or \
                os.path.isdir(os.path.join(cand, marker)):
            return cand, base
    return None, base


def find_selaras(arg):
    """--selaras PATH, else $SELARAS, ./selaras, the source tree's, or PATH's."""
    cands = [arg] if arg else [os.environ.get("SELARAS"),
                               os.path.join(os.getcwd(), "selaras"),
                               os.path.join(TOP_SRCDIR, "selaras"),
                               shutil.which("selaras")]
    for c in cands:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return os.path.abspath(c)
    return None


class PRF:
    """True positives, false positives and false negatives of set matches."""
    __slots__ = ("tp", "fp", "fn")

    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, gold, pred):
        tp = len(gold & pred)
        self.tp += tp
        self.fp += len(pred) - tp
        self.fn += len(gold) - tp

    def update(self, other):
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def prf(self):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)
