"""Ordered mode: a monotone alignment of two versions of one text.

Translations and revised editions keep their order, so their paragraphs are
aligned by dynamic programming (as sentence aligners since Gale and Church
do) over paragraph similarities, allowing 1-1, 1-2, 2-1 and 2-2 merges and
paragraphs that one side lacks. The same similarities tell whether two
documents keep one order at all (``keeps_order``). This module neither
segments nor diffs.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from aligner.align import Candidate
from aligner.features import Features
from aligner.match import LEXICAL_WEIGHT

if TYPE_CHECKING:
    from aligner.features import Matrix

BAND = 60
"""Paragraphs either side of the proportional diagonal the alignment may use."""
SKIP = -0.15
"""Score of leaving a paragraph unaligned: below what a real match earns."""
MERGE_FLOOR = 0.3
"""Least similarity each paragraph of a merge needs with the other side."""
MERGE_PENALTY = 0.05
"""Cost of merging two paragraphs on one side, against spurious merges."""
LENGTH_WEIGHT = 0.1
"""Weight of the length prior: versions of a paragraph have similar length."""
ORDER_SHARE = 0.8
"""Share of confident paragraph matches that must be in order for auto mode."""
CONFIDENT = 0.3
"""Paragraph similarity counted as a confident match in ``keeps_order``."""
MIN_LENGTH_RATIO = 0.25
"""Versions and translations of one text are of comparable length: a text
under a quarter of the other's length (an article quoting a book, a summary)
is compared in free order, where its quotations are found in any order."""


def paragraph_scores(feats: Features) -> tuple[Matrix, list[list[int]], list[list[int]]]:
    """Similarity of every paragraph of a with every paragraph of b.

    Returns:
        The matrix, and for each document the sentence indices of each of
        its (non-empty) paragraphs, in the matrix's row/column order.
    """
    import numpy as np

    from aligner.match import csls

    groups = []
    for seg in feats.segs:
        by_par: dict[int, list[int]] = {}
        for k, s in enumerate(seg.sentences):
            if not s.boiler:
                by_par.setdefault(s.paragraph, []).append(k)
        groups.append(list(by_par.values()))
    rows = feats.rows
    mats = [_pool(r, g) for r, g in zip(rows, groups, strict=True)]
    score = mats[0] @ mats[1].T
    if feats.vectors is not None:
        vecs = [_pool(v, g) for v, g in zip(feats.vectors, groups, strict=True)]
        score = LEXICAL_WEIGHT * score + (1 - LEXICAL_WEIGHT) * csls(vecs[0] @ vecs[1].T)
    return score.astype(np.float32), groups[0], groups[1]


def _pool(rows: Matrix, groups: list[list[int]]) -> Matrix:
    import numpy as np

    out = np.zeros((len(groups), rows.shape[1]), dtype=np.float32)
    for g, members in enumerate(groups):
        out[g] = rows[members].sum(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: Matrix = out / norms
    return result


def keeps_order(score: Matrix, lengths: tuple[int, int]) -> bool:
    """True when the confident paragraph matches run in one order.

    Accounts that retell a story reorder it and match few paragraphs
    confidently; versions of one text match most paragraphs, in order, and
    are of comparable length (``lengths``: the documents' characters).
    """
    if score.size == 0 or not comparable(lengths):
        return False
    best = score.argmax(axis=1)
    confident = [(i, int(j)) for i, j in enumerate(best) if score[i, j] >= CONFIDENT]
    shorter = min(score.shape)
    if len(confident) < max(3, 0.5 * shorter):
        return False
    return _increasing(confident) >= ORDER_SHARE * len(confident)


def comparable(lengths: tuple[int, int]) -> bool:
    """True when two texts of these lengths (characters) may be versions of one."""
    return min(lengths) >= MIN_LENGTH_RATIO * max(lengths)


def _increasing(cells: list[tuple[int, int]]) -> int:
    """Length of the longest run of cells in one order on both axes.

    Rows increase; columns never go back (two rows may share one: a paragraph
    one version splits in two matches the same paragraph of the other).
    """
    import bisect

    tails: list[int] = []
    for _, j in sorted(cells):
        k = bisect.bisect_right(tails, j)
        if k == len(tails):
            tails.append(j)
        else:
            tails[k] = j
    return len(tails)


def align_ordered(
    score: Matrix, feats: Features, groups_a: list[list[int]], groups_b: list[list[int]]
) -> list[Candidate]:
    """Monotone paragraph alignment covering both documents."""
    n, m = score.shape
    lengths = [_lengths(feats, 0, groups_a), _lengths(feats, 1, groups_b)]
    width = BAND + abs(n - m)
    # Versions keep one order: only cells near the proportional diagonal are
    # visited, so long documents cost O(n * BAND), not O(n * m).
    bands = [_band(i, n, m, width) for i in range(n + 1)]
    # The band's cells as plain floats (and two more each side, for merges):
    # the loop reads a few at a time, millions of times, where numpy's
    # per-call cost would dominate.
    cells = _Cells(score, [(max(0, lo - 2), min(m, hi + 3)) for lo, hi in bands[:n]])
    moves = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2))
    best = [[-math.inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(bands[i][0], bands[i][1] + 1):
            here = best[i][j]
            if here == -math.inf:
                continue
            for di, dj in moves:
                ni, nj = i + di, j + dj
                if ni > n or nj > m:
                    continue
                gain = _gain(cells, lengths, i, j, di, dj)
                if here + gain > best[ni][nj]:
                    best[ni][nj] = here + gain
                    back[ni][nj] = (di, dj)
    out = []
    i, j = n, m
    while i > 0 or j > 0:
        di, dj = back[i][j]
        if di and dj:
            out.append(
                _candidate(
                    feats, groups_a[i - di : i], groups_b[j - dj : j], score, i - di, j - dj, di, dj
                )
            )
        i, j = i - di, j - dj
    out.reverse()
    return out


def _lengths(feats: Features, side: int, groups: list[list[int]]) -> list[int]:
    sents = feats.segs[side].sentences
    return [sum(sents[k].end - sents[k].start for k in g) for g in groups]


def _band(i: int, n: int, m: int, width: int) -> tuple[int, int]:
    """The columns row ``i`` of the alignment visits (inclusive)."""
    centre = i * m / n if n else 0
    return max(0, int(centre - width)), min(m, int(centre + width))


class _Cells:
    """Paragraph similarities near the diagonal, as plain floats by row."""

    def __init__(self, score: Matrix, spans: list[tuple[int, int]]) -> None:
        self.starts = [lo for lo, _ in spans]
        self.rows: list[list[float]] = [
            score[i, lo:hi].tolist() for i, (lo, hi) in enumerate(spans)
        ]

    def get(self, i: int, j: int) -> float:
        k = j - self.starts[i]
        row = self.rows[i]
        return row[k] if 0 <= k < len(row) else 0.0


def _gain(cells: _Cells, lengths: list[list[int]], i: int, j: int, di: int, dj: int) -> float:
    if not di or not dj:
        return SKIP
    if di == 1 and dj == 1:
        sim = cells.get(i, j)
    else:
        grid = [[cells.get(i + x, j + y) for y in range(dj)] for x in range(di)]
        # Every paragraph merged in must itself match the other side: a
        # paragraph the other version lacks is skipped, not absorbed.
        columns = zip(*grid, strict=True)
        if min(map(max, grid)) < MERGE_FLOOR or min(map(max, columns)) < MERGE_FLOOR:
            return -math.inf
        block = [x for row in grid for x in row]
        # A merge must beat its best 1-1 part by agreeing overall.
        sim = sum(block) / len(block) + 0.5 * max(block) - MERGE_PENALTY
    la = sum(lengths[0][i : i + di]) or 1
    lb = sum(lengths[1][j : j + dj]) or 1
    return sim - LENGTH_WEIGHT * abs(math.log(la / lb))


def _candidate(
    feats: Features,
    pars_a: list[list[int]],
    pars_b: list[list[int]],
    score: Matrix,
    i: int,
    j: int,
    di: int,
    dj: int,
) -> Candidate:
    sa, sb = feats.segs[0].sentences, feats.segs[1].sentences
    a = (sa[pars_a[0][0]].start, sa[pars_a[-1][-1]].end)
    b = (sb[pars_b[0][0]].start, sb[pars_b[-1][-1]].end)
    sim = float(score[i : i + di, j : j + dj].max())
    return Candidate(a, b, 1.0 / (1.0 + math.exp(-10.0 * (sim - 0.2))), "version")
