"""An independent implementation of selaras' match percentage (README,
"Lookup and match percentages") and an exhaustive scan over a TM, for the
tests that compare the index-backed lookup with brute force."""
import sqlite3
import unicodedata

JOINERS = "-'\u2010\u2011\u2019"


def norm(s):
    return unicodedata.normalize("NFC", " ".join(s.split()))


def is_word(c):
    cat = unicodedata.category(c)
    return cat[0] in "LM" or cat == "Nd"


def tokens(s):
    out, i, n = [], 0, len(s)
    while i < n:
        if s[i].isspace():
            i += 1
            continue
        j = i + 1
        if is_word(s[i]):
            while j < n:
                if is_word(s[j]):
                    j += 1
                elif s[j] in JOINERS and j + 1 < n and is_word(s[j + 1]):
                    j += 2
                else:
                    break
        out.append(s[i:j])
        i = j
    return out


def words(s):
    return sum(1 for t in tokens(norm(s)) if is_word(t[0]))


def cost(a, b):  # in half words
    if a == b:
        return 0
    return 1 if a.lower() == b.lower() else 2


def percent(qn, qt, sn, st):
    if qn == sn:
        return 100
    if not qt or not st:
        return 0
    prev = [2 * j for j in range(len(st) + 1)]
    for i in range(1, len(qt) + 1):
        cur = [2 * i]
        for j in range(1, len(st) + 1):
            cur.append(min(prev[j] + 2, cur[j - 1] + 2, prev[j - 1] + cost(qt[i - 1], st[j - 1])))
        prev = cur
    longest = max(len(qt), len(st))
    return min(99, 100 * (2 * longest - prev[-1]) // (2 * longest))


def bag(ts):
    b = {}
    for t in ts:
        b[t.lower()] = b.get(t.lower(), 0) + 1
    return b


def load_sources(db, src="id", tgt="en"):
    """Distinct normalised sources of the units src -> tgt."""
    con = sqlite3.connect(db)
    segs = []
    for (n,) in con.execute(
            "SELECT DISTINCT s.norm FROM units u JOIN segments s ON s.id = u.src_segment"
            " JOIN segments t ON t.id = u.tgt_segment WHERE s.lang = ? AND t.lang = ?", (src, tgt)):
        ts = tokens(n)
        segs.append((n, ts, bag(ts)))
    con.close()
    return segs


def best(query, segs):
    """(best percent, set of normalised sources reaching it) over every
    segment; a segment is skipped only when an upper bound (length
    difference, shared case-folded words) shows it below the best so far."""
    qn = norm(query)
    qt = tokens(qn)
    qb = bag(qt)
    top, tops = -1, set()
    for sn, st, sb in segs:
        longest = max(len(qt), len(st), 1)
        if sn != qn and 100 * (longest - abs(len(qt) - len(st))) // longest < top:
            continue
        shared = sum(min(c, sb.get(t, 0)) for t, c in qb.items())
        if sn != qn and 100 * shared // longest < top:
            continue
        p = percent(qn, qt, sn, st)
        if p > top:
            top, tops = p, {sn}
        elif p == top:
            tops.add(sn)
    return top, tops
