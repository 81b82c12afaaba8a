#!/usr/bin/env python3
"""Check a review page as a browser rendered it (the DOM that
`chromium --dump-dom` prints) against the beads of `selaras align --format
beads` and the sentences of `selaras segment` (or the presegmented lines).

usage: review-check.py DOM BEADS SRC_SENTS TGT_SENTS THRESHOLD [--db]

SRC_SENTS/TGT_SENTS: one sentence per line, a blank line between paragraphs.
With --db, sentence texts may be missing (shown by number) when the page says
the files are gone.  Prints one line per problem; exit status 1 if any.
"""
import sys
from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows, self.counts, self.bins = [], {}, []
        self.scripts = 0
        self.note = False
        self.stack = []        # open elements: (tag, attrs)
        self.row = None
        self.cell = None       # 'num', 'shape', 'score', 'src', 'tgt'
        self.cells = 0
        self.span = None
        self.count_shape = None
        self.count_cell = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get('class') or '').split()
        if tag in ('script', 'link', 'iframe', 'img', 'object', 'embed'):
            self.scripts += 1
        if tag == 'p' and 'note' in cls:
            self.note = True
        if tag == 'rect' and 'bin' in cls:
            self.bins.append(int(a['data-count']))
        if tag == 'tr' and 'bead' in cls:
            self.row = {'cls': cls, 'shape_attr': a.get('data-shape'), 'src_idx': a.get('data-src'),
                        'tgt_idx': a.get('data-tgt'), 'num': '', 'shape': '', 'score': '',
                        'src': [], 'tgt': []}
            self.cells = 0
        elif tag == 'tr' and a.get('data-shape') is not None:
            self.count_shape, self.count_cell = a['data-shape'], 0
        if tag == 'td' and self.row is not None:
            self.cell = ['num', 'shape', 'score', 'src', 'tgt'][self.cells]
            self.cells += 1
            self.row[self.cell + '_newpar'] = 'newpar' in cls
        if tag == 'td' and self.count_shape is not None:
            self.count_cell += 1
        if tag == 'span' and 'sent' in cls and self.row is not None:
            self.span = {'i': a.get('data-i'), 'par': 'par' in cls, 'unknown': 'unknown' in cls,
                         'text': ''}
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == 'span' and self.span is not None:
            self.row[self.cell].append(self.span)
            self.span = None
        if tag == 'td':
            self.cell = None if self.row is not None else self.cell
        if tag == 'tr':
            if self.row is not None:
                self.rows.append(self.row)
            self.row = None
            self.count_shape = None
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.span is not None:
            self.span['text'] += data
        elif self.row is not None and self.cell in ('num', 'shape', 'score'):
            self.row[self.cell] += data
        elif self.count_shape is not None and self.count_cell == 2:
            self.counts[self.count_shape] = int(data)


def sentences(path):
    sents, starts, new_par = [], [], False
    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        if not line.strip():
            new_par = True
            continue
        starts.append(new_par and bool(sents))
        sents.append(line.strip())
        new_par = False
    return sents, starts


def main():
    dom, beads_path, src_path, tgt_path, threshold = sys.argv[1:6]
    db = '--db' in sys.argv[6:]
    low = float(threshold)
    page = Page()
    page.feed(open(dom, encoding='utf-8').read())
    src, src_par = sentences(src_path)
    tgt, tgt_par = sentences(tgt_path)
    beads = [line.rstrip('\n').split('\t') for line in open(beads_path, encoding='utf-8')]
    problems = []
    if page.scripts:
        problems.append('the page has %d script/link/embedded elements' % page.scripts)
    if db and page.note:
        # without the files, unpaired sentences after the last stored bead are unknown
        while len(beads) > len(page.rows) and not (beads[-1][0] and beads[-1][1]):
            beads.pop()
    if len(page.rows) != len(beads):
        problems.append('%d rows rendered, %d beads' % (len(page.rows), len(beads)))
    shapes, paired = {}, 0
    for n, (row, bead) in enumerate(zip(page.rows, beads)):
        s_idx, t_idx, score = bead
        si = [int(x) for x in s_idx.split(',')] if s_idx else []
        ti = [int(x) for x in t_idx.split(',')] if t_idx else []
        shape = '%d-%d' % (len(si), len(ti))
        shapes[shape] = shapes.get(shape, 0) + 1
        where = 'row %d' % n
        if row['num'].strip() != str(n):
            problems.append('%s: number cell shows %r' % (where, row['num']))
        if (row['src_idx'], row['tgt_idx']) != (s_idx, t_idx):
            problems.append('%s: sentences %r/%r, bead %r/%r' % (where, row['src_idx'],
                                                                 row['tgt_idx'], s_idx, t_idx))
        if row['shape'].strip() != shape:
            problems.append('%s: shape cell %r, bead %s' % (where, row['shape'], shape))
        if row['score'].strip() != score:
            problems.append('%s: score cell %r, bead %s' % (where, row['score'], score))
        is_paired = bool(si and ti)
        paired += is_paired
        want_cls = 'unpaired' if not is_paired else 'low' if float(score) < low else None
        got_cls = 'unpaired' if 'unpaired' in row['cls'] else 'low' if 'low' in row['cls'] else None
        if want_cls != got_cls:
            problems.append('%s: highlighted as %r, expected %r' % (where, got_cls, want_cls))
        for side, idx, sents, pars in (('src', si, src, src_par), ('tgt', ti, tgt, tgt_par)):
            spans = row[side]
            if db and len(spans) == 1 and len(idx) > 1 and page.note:
                # without the files the TM's joined text stands for the merged sentences
                if spans[0]['text'] != ' '.join(sents[i] for i in idx):
                    problems.append('%s %s: %r' % (where, side, spans[0]['text']))
                continue
            if len(spans) != len(idx):
                problems.append('%s %s: %d sentences shown, bead has %d' %
                                (where, side, len(spans), len(idx)))
                continue
            for span, i in zip(spans, idx):
                if span['unknown'] and db and page.note and not (si and ti):
                    if str(i) not in span['text']:
                        problems.append('%s %s: placeholder %r lacks the number %d' %
                                        (where, side, span['text'], i))
                    continue
                if span['text'] != sents[i]:
                    problems.append('%s %s: sentence %d shown as %r, expected %r' %
                                    (where, side, i, span['text'], sents[i]))
                if not page.note and span['par'] != pars[i]:
                    problems.append('%s %s: sentence %d paragraph mark %s, expected %s' %
                                    (where, side, i, span['par'], pars[i]))
    for shape, count in shapes.items():
        if page.counts.get(shape) != count:
            problems.append('summary: %s counted %r, beads have %d' %
                            (shape, page.counts.get(shape), count))
    if sum(page.bins) != paired:
        problems.append('histogram holds %d beads, %d are paired' % (sum(page.bins), paired))
    if len(page.bins) != 10:
        problems.append('histogram has %d bins' % len(page.bins))
    else:
        # bin k holds the paired scores in [k/10, (k+1)/10), 1.0 in the last;
        # a score printed on an edge (0.3000) may have been just below it
        sure, maybe = [0] * 10, [0] * 10
        for s_idx, t_idx, score in beads:
            if not (s_idx and t_idx):
                continue
            v = float(score) * 10
            k = min(9, int(v))
            if 1 <= round(v) <= 9 and abs(v - round(v)) < 0.0006:
                maybe[round(v) - 1] += 1
                maybe[round(v)] += 1
            else:
                sure[k] += 1
        for k, n in enumerate(page.bins):
            if not sure[k] <= n <= sure[k] + maybe[k]:
                problems.append('histogram bin %d holds %d beads, the scores put %d%s there' %
                                (k, n, sure[k], ' to %d' % (sure[k] + maybe[k]) if maybe[k] else ''))
    for p in problems:
        print(p)
    print('%d rows checked, %d problems' % (len(page.rows), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
