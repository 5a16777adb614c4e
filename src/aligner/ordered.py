"""Ordered mode: a monotone alignment of two versions of one text.

Translations and revised editions keep their order, so their paragraphs are
aligned by dynamic programming (as sentence aligners since Gale and Church
do) over paragraph similarities, allowing 1-1, 1-2, 2-1 and 2-2 merges,
longer 1-n runs where one version cuts the text into much shorter paragraphs
(a verse or a sentence a line), and paragraphs that one side lacks; a
paragraph far longer than the other version's (one that lost its breaks) is
cut into runs of sentences first (``version_units``). A merged
run is compared as one passage; ``boundaries`` then moves sentences across
the boundaries of consecutive pairs where the versions break paragraphs a
sentence apart. Whether two texts are versions at all is ``mode``'s
question. This module neither segments nor diffs.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from aligner import boundaries
from aligner.align import Candidate
from aligner.features import Features, paragraph_groups
from aligner.match import LEXICAL_WEIGHT

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from aligner.features import Matrix
    from aligner.segment import Segmented

    Array = npt.NDArray[np.float64]
    """Sums and cosines of runs, in double precision."""

BAND = 60
"""Paragraphs (of the side with the longer ones) either side of the diagonal
that the alignment may use."""
SKIP = -0.15
"""Score of leaving a paragraph unaligned: below what a real match earns."""
MERGE_GAIN = 0.0
"""How much more like the other side a merged run must be than any run it
contains less one end paragraph."""
MAX_MERGED = 12
"""Most paragraphs of one version matched as one against a paragraph of the
other, whatever the documents' size."""
MERGE_CELLS = 12_000_000
"""Beyond ``MAX_MERGED``, merges reach as far as the longest paragraph needs
(a gospel's five-thousand-character paragraph against a version set a verse
a line holds forty verses) while the gain matrices of all merge shapes
together stay within this many cells (48 MB)."""
MOST_MERGED = 64
"""Most paragraphs matched as one, however small the documents."""
MERGE_PENALTY = 0.05
"""Cost of a merge, against spurious merges."""
LENGTH_WEIGHT = 0.1
"""Weight of the length prior: versions of a paragraph have similar length."""


class ParagraphSims:
    """Similarities of the paragraphs of two documents, one to one and merged.

    A run of consecutive paragraphs is compared as one passage: its pooled
    vector is the sum of its paragraphs' (unnormalised) pooled vectors, so
    its cosine with a paragraph or a run of the other side follows from the
    paragraphs' cosines, their norms, and the dot products of neighbouring
    paragraphs of one side. Lexical (tf-idf) and semantic (embedding) cosines
    are combined as for sentences, with the hubness correction of each
    paragraph carried to the runs it is in.
    """

    def __init__(self, lexical: _Pooled, semantic: _Pooled | None) -> None:
        import numpy as np

        from aligner.match import CSLS_K

        self._lexical = lexical
        self._semantic = semantic
        self._cache: dict[tuple[int, int], Matrix] = {}
        self._hubs = (np.zeros(0), np.zeros(0))
        if semantic is not None and semantic.cos.size:
            # Each paragraph's mean similarity to its nearest paragraphs of
            # the other side (the hubness correction, as for sentences).
            cos = semantic.cos
            k_a, k_b = min(CSLS_K, cos.shape[1]), min(CSLS_K, cos.shape[0])
            self._hubs = (
                np.partition(cos, -k_a, axis=1)[:, -k_a:].mean(axis=1, dtype=np.float64),
                np.partition(cos, -k_b, axis=0)[-k_b:, :].mean(axis=0, dtype=np.float64),
            )
        self.score = self.merged(1, 1)
        """The one-to-one similarities: paragraphs of a by rows, of b by columns."""

    def forget(self, shape: tuple[int, int] | None = None) -> None:
        """Drop the merged similarities of one shape, or all but the one-to-one ones."""
        if shape is None:
            self._cache = {(1, 1): self.score}
        elif shape != (1, 1):
            self._cache.pop(shape, None)

    def merged(self, ka: int, kb: int) -> Matrix:
        """Similarity of each run of ``ka`` paragraphs of a with each run of ``kb`` of b.

        Row ``i``, column ``j``: paragraphs ``i .. i+ka-1`` against ``j .. j+kb-1``.
        """
        import numpy as np

        hit = self._cache.get((ka, kb))
        if hit is not None:
            return hit
        out = self._lexical.run_cos(ka, kb)
        if self._semantic is not None and out.size:
            hub_a, hub_b = _run_mean(self._hubs[0], ka), _run_mean(self._hubs[1], kb)
            csls = 2 * self._semantic.run_cos(ka, kb) - hub_a[:, None] - hub_b[None, :]
            out = LEXICAL_WEIGHT * out + (1 - LEXICAL_WEIGHT) * csls
        result: Matrix = out.astype(np.float32)
        self._cache[(ka, kb)] = result
        return result


class _Pooled:
    """One kind of paragraph vector of both documents: cosines, norms, neighbours.

    ``sums``, per paragraph the sum of its sentences' rows, are scaled to unit
    length in place. What runs of up to ``merge_limit`` paragraphs need of
    them is the dot product of each paragraph with its next few on its side.
    """

    def __init__(self, sums: tuple[Matrix, Matrix]) -> None:
        import numpy as np

        self._norms = [np.linalg.norm(m, axis=1).astype(np.float64) for m in sums]
        for m, norms in zip(sums, self._norms, strict=True):
            m /= np.where(norms == 0, 1.0, norms).astype(m.dtype)[:, None]  # in place: no copy
        self._units: tuple[Matrix, ...] = sums
        self.cos: Matrix = sums[0] @ sums[1].T
        self._near: list[list[Array]] = []
        self._corner = np.zeros((0, 0))

    def _prepare_runs(self) -> None:
        """What runs need, computed once and only when a run is asked for."""
        import numpy as np

        # Each paragraph's dot product with its next few on its side.
        limit = merge_limit(*self.cos.shape)
        self._near = [
            [
                np.einsum("ij,ij->i", m[:-offset], m[offset:], dtype=np.float64)
                * norms[:-offset]
                * norms[offset:]
                for offset in range(1, min(limit, len(m)))
            ]
            for m, norms in zip(self._units, self._norms, strict=True)
        ]
        # The dot products of the paragraphs' sums, summed over every corner
        # rectangle: a run's sum of them is four lookups.
        n, m = self.cos.shape
        self._corner = np.zeros((n + 1, m + 1))
        dots = self._norms[0][:, None] * self.cos * self._norms[1][None, :]
        np.cumsum(np.cumsum(dots, axis=0), axis=1, out=self._corner[1:, 1:])
        self._units = ()  # no longer needed: free them

    def run_cos(self, ka: int, kb: int) -> Array:
        """Cosine of each run of ``ka`` paragraphs of a with each run of ``kb`` of b."""
        import numpy as np

        n, m = self.cos.shape
        rows, cols = n - ka + 1, m - kb + 1
        if rows <= 0 or cols <= 0:
            return np.zeros((max(rows, 0), max(cols, 0)))
        if ka == kb == 1:
            return self.cos.astype(np.float64)
        if not self._corner.size:
            self._prepare_runs()
        c = self._corner
        num = c[ka:, kb:] - c[:rows, kb:] - c[ka:, :cols] + c[:rows, :cols]
        den = self._run_norm(0, ka)[:, None] * self._run_norm(1, kb)[None, :]
        out: Array = num / np.where(den == 0, 1.0, den)
        return out

    def _run_norm(self, side: int, k: int) -> Array:
        """Norm of the summed vector of each run of ``k`` paragraphs of one side."""
        import numpy as np

        count = len(self._norms[side]) - k + 1
        square = _run_sum(self._norms[side] ** 2, k)
        for offset in range(1, k):
            # Each pair of paragraphs ``offset`` apart inside a run, counted twice.
            square += 2 * _run_sum(self._near[side][offset - 1], k - offset)[:count]
        out: Array = np.sqrt(np.maximum(square, 0.0))
        return out


def _run_sum(values: Array, k: int) -> Array:
    """Sum of each ``k`` consecutive values."""
    import numpy as np

    total = np.concatenate(([0.0], np.cumsum(values, dtype=np.float64)))
    out: Array = total[k:] - total[:-k]
    return out


def _run_mean(values: Array, k: int) -> Array:
    return _run_sum(values, k) / k


def paragraph_scores(feats: Features) -> tuple[ParagraphSims, list[list[int]], list[list[int]]]:
    """Similarity of the paragraphs of a with those of b, one to one and merged.

    Returns:
        The similarities, and for each document the sentence indices of each
        of its (non-empty) paragraphs, in the rows'/columns' order.
    """
    groups = version_units(feats.segs)
    if feats.pooled:
        # Pooled already, paragraph by paragraph; _Pooled scales them in place
        # (ordered mode is their only reader).
        lexical = _Pooled(feats.rows)
    else:
        lexical = _Pooled((_pool(feats.rows[0], groups[0]), _pool(feats.rows[1], groups[1])))
    semantic = None
    if feats.vectors is not None:
        semantic = _Pooled((_pool(feats.vectors[0], groups[0]), _pool(feats.vectors[1], groups[1])))
    return ParagraphSims(lexical, semantic), groups[0], groups[1]


def version_units(segs: tuple[Segmented, Segmented]) -> tuple[list[list[int]], list[list[int]]]:
    """The units ordered mode aligns: each document's paragraphs
    (``paragraph_groups``), a paragraph far longer than the other document's
    cut into runs of sentences.

    A version without paragraph breaks (a text pasted as one line, an
    extraction that lost them) would otherwise be one unit against the other
    version's many. A cut paragraph's runs are a fraction of the other side's
    paragraphs, which the alignment merges back as it does a version cut a
    verse a line.
    """
    import statistics

    groups = [paragraph_groups(seg) for seg in segs]
    lengths = [[_span_length(seg, g) for g in gs] for seg, gs in zip(segs, groups, strict=True)]
    out = []
    for side in (0, 1):
        other = lengths[1 - side]
        unit = min(max(statistics.median(other), MIN_UNIT), MAX_UNIT) if other else MAX_UNIT
        seg = segs[side]
        cut: list[list[int]] = []
        for g, length in zip(groups[side], lengths[side], strict=True):
            if length <= CUT_RATIO * unit:
                cut.append(g)
                continue
            run: list[int] = []
            size = 0
            for k in g:
                run.append(k)
                size += seg.sentences[k].end - seg.sentences[k].start
                if size >= unit / RUNS_PER_UNIT:
                    cut.append(run)
                    run, size = [], 0
            if run:
                cut.append(run)
        out.append(cut)
    return out[0], out[1]


CUT_RATIO = MAX_MERGED
"""A paragraph this many times the other version's typical paragraph long
is cut: the alignment merges no more paragraphs than this against one."""
MIN_UNIT = 500
"""Characters: the least typical paragraph counted (against a version a
verse a line, a paragraph holds many)."""
MAX_UNIT = 2000
"""Characters: the most typical paragraph counted (against a version
without paragraph breaks, its one paragraph is not typical)."""
RUNS_PER_UNIT = 3
"""Runs a cut paragraph yields per paragraph of the other version."""


def _span_length(seg: Segmented, group: list[int]) -> int:
    return sum(seg.sentences[k].end - seg.sentences[k].start for k in group)


def _pool(rows: Matrix, groups: list[list[int]]) -> Matrix:
    """Per paragraph, the sum of its sentences' unit rows (a run adds these)."""
    import numpy as np

    out = np.zeros((len(groups), rows.shape[1]), dtype=np.float32)
    for g, members in enumerate(groups):
        out[g] = rows[members].sum(axis=0)
    result: Matrix = out
    return result


Move = tuple[int, int]
"""Paragraphs of a and of b one step of the alignment takes: (1, 0) skips
one of a; (0, 1), skipping one of b, is folded into each row."""
Gains = dict[Move, "Matrix"]


def align_ordered(
    sims: ParagraphSims, feats: Features, groups_a: list[list[int]], groups_b: list[list[int]]
) -> list[Candidate]:
    """Monotone paragraph alignment covering both documents, its boundaries
    then moved sentence by sentence where the versions break paragraphs apart."""
    n, m = sims.score.shape
    lengths = [_lengths(feats, 0, groups_a), _lengths(feats, 1, groups_b)]
    gains = _all_gains(sims, lengths)
    moves: list[Move] = [(1, 0), *gains]
    # Versions keep one order: only cells near the diagonal are kept.
    back = _best_path(gains, moves, _bands(lengths, n, m), n, m)
    cells = []  # (first and past-last paragraph in a, the same in b, similarity)
    i, j = n, m
    while i > 0 or j > 0:
        k = int(back[i, j])
        di, dj = (0, 1) if k < 0 else moves[k]
        if di and dj:
            sim = _similarity(gains[(di, dj)][i - di, j - dj], lengths, i - di, j - dj, di, dj)
            cells.append((i - di, i, j - dj, j, sim))
        i, j = i - di, j - dj
    cells.reverse()
    runs = [
        ([s for g in groups_a[i0:i1] for s in g], [s for g in groups_b[j0:j1] for s in g])
        for i0, i1, j0, j1, _ in cells
    ]
    touching = [(x[1] == y[0], x[3] == y[2]) for x, y in zip(cells, cells[1:], strict=False)]
    runs = boundaries.refine(runs, touching, feats.segs)
    return [
        _candidate(feats, run, cell[4])
        for run, cell in zip(runs, cells, strict=True)
        if run[0] and run[1]
    ]


def _all_gains(sims: ParagraphSims, lengths: list[list[int]]) -> Gains:
    """What each merge shape earns at each cell, in the order the DP tries them.

    One version may cut its text into several times as many paragraphs as
    the other (a verse or a sentence a paragraph): merges reach that far.
    """
    limit = merge_limit(len(lengths[0]), len(lengths[1]))
    most_a = _most_merged(lengths[1], lengths[0], limit)
    most_b = _most_merged(lengths[0], lengths[1], limit)
    shapes = [(1, 1), (2, 2)]
    shapes += [(k, 1) for k in range(2, most_a + 1)] + [(1, k) for k in range(2, most_b + 1)]
    gains = {}
    for ka, kb in shapes:  # in this order, a merged run's shorter runs are done before it
        gains[(ka, kb)] = _gains(sims, lengths, ka, kb)
        if ka > 2 or kb > 2:  # what no later run needs: as many matrices again
            sims.forget((ka - 1, kb) if ka > 2 else (ka, kb - 1))
    sims.forget()
    return gains


def _best_path(
    gains: Gains, moves: list[Move], bands: list[tuple[int, int]], n: int, m: int
) -> npt.NDArray[np.int8]:
    """The DP's back pointers: per cell, the index of its best move (-1: a
    skipped paragraph of b). Row by row (a paragraph of a a row), each row's
    moves computed for all its columns at once."""
    import numpy as np

    best = np.full((n + 1, m + 1), -np.inf)
    back = np.zeros((n + 1, m + 1), dtype=np.int8)
    steps = np.arange(m + 1) * SKIP
    for i in range(n + 1):
        row = best[i]
        if i == 0:
            row[0] = 0.0
        for k, (di, dj) in enumerate(moves):
            if di > i or dj > m:
                continue
            prev = best[i - di]
            cand = prev[: m + 1 - dj] + (gains[(di, dj)][i - di] if dj else SKIP)
            better = cand > row[dj:]
            row[dj:][better] = cand[better]
            back[i, dj:][better] = k
        # Skipping paragraphs of b within the row: a running maximum.
        carried = np.maximum.accumulate(row - steps) + steps
        skipped = carried > row + 1e-9  # not the rounding of a cell's own value
        row[skipped] = carried[skipped]
        back[i][skipped] = -1
        lo, hi = bands[i]
        row[:lo] = -np.inf
        row[hi + 1 :] = -np.inf
    return back


def _similarity(gain: float, lengths: list[list[int]], i: int, j: int, di: int, dj: int) -> float:
    """The similarity of the runs from which ``_gains`` made ``gain``."""
    la, lb = sum(lengths[0][i : i + di]), sum(lengths[1][j : j + dj])
    merge = MERGE_PENALTY if di > 1 or dj > 1 else 0.0
    return float(gain) + merge + float(_length_cost(la, lb))


def _length_cost(la: Array | float, lb: Array | float) -> Array:
    """The length prior: versions of a passage have similar lengths (characters)."""
    import numpy as np

    cost: Array = LENGTH_WEIGHT * np.abs(np.log(np.maximum(la, 1.0) / np.maximum(lb, 1.0)))
    return cost


def _gains(sims: ParagraphSims, lengths: list[list[int]], ka: int, kb: int) -> Matrix:
    """What matching each run of ``ka`` paragraphs of a with ``kb`` of b earns.

    A merge earns its run's similarity less ``MERGE_PENALTY``, and only when
    every paragraph merged in makes the run more like the other side: a
    paragraph the other version lacks is skipped, not absorbed. The run is
    tested against itself less its first and less its last paragraph, on
    each side that merges. Versions of a passage have similar lengths.
    """
    import numpy as np

    sim = sims.merged(ka, kb)
    rows, cols = sim.shape
    out = sim.copy()
    if ka > 1 or kb > 1:
        parts = []
        if ka > 1:
            less = sims.merged(ka - 1, kb)
            parts += [less[:rows, :cols], less[1 : rows + 1, :cols]]
        if kb > 1:
            less = sims.merged(ka, kb - 1)
            parts += [less[:rows, :cols], less[:rows, 1 : cols + 1]]
        out -= MERGE_PENALTY
        out[sim < np.maximum.reduce(parts) + MERGE_GAIN] = -np.inf
    run_a = _run_sum(np.asarray(lengths[0], dtype=np.float64), ka) if rows else np.zeros(0)
    run_b = _run_sum(np.asarray(lengths[1], dtype=np.float64), kb) if cols else np.zeros(0)
    out -= _length_cost(run_a[:, None], run_b[None, :]).astype(np.float32)
    return out


def merge_limit(n: int, m: int) -> int:
    """Most paragraphs matched as one, for documents of ``n`` and ``m`` paragraphs."""
    return max(MAX_MERGED, min(MOST_MERGED, MERGE_CELLS // max(n * m, 1) // 2))


def _most_merged(coarse: list[int], fine: list[int], limit: int) -> int:
    """Most paragraphs of the ``fine`` side matched as one against one of the
    ``coarse`` side (their lengths in characters): 2, unless the fine side
    cuts the text into clearly shorter paragraphs, then as many as the
    coarse side's longest paragraph holds (up to ``limit``: the runs of a
    version that lost its breaks fill the whole of a long paragraph)."""
    import statistics

    if len(coarse) < 2 or len(fine) < 2:
        return 2
    unit = statistics.median(fine) or 1
    if statistics.median(coarse) < 1.5 * unit:
        return 2
    return min(max(2, math.ceil(max(coarse) / unit) + 1), limit)


def _bands(lengths: list[list[int]], n: int, m: int) -> list[tuple[int, int]]:
    """The columns each row of the alignment visits (inclusive).

    Centred where the text before the row's paragraph ends in b at the same
    share of its length, and as wide as ``BAND`` paragraphs of the side with
    the longer paragraphs plus the share of text one side has more (an
    introduction the other lacks). The alignment costs the same whatever the
    band (each row is computed whole): it keeps a path from wandering.
    """
    import bisect
    import itertools

    total_a, total_b = sum(lengths[0]) or 1, sum(lengths[1]) or 1
    ends_b = list(itertools.accumulate(lengths[1]))
    extra = math.ceil(abs(total_a - total_b) / max(total_a, total_b) * m)
    width = math.ceil(BAND * max(1.0, m / max(n, 1))) + extra
    bands = []
    before = 0
    for i in range(n + 1):
        centre = bisect.bisect_left(ends_b, before / total_a * total_b)
        bands.append((max(0, centre - width), min(m, centre + width)))
        before += lengths[0][i] if i < n else 0
    return bands


def _lengths(feats: Features, side: int, groups: list[list[int]]) -> list[int]:
    return [_span_length(feats.segs[side], g) for g in groups]


def _candidate(feats: Features, run: boundaries.Run, sim: float) -> Candidate:
    sa, sb = feats.segs[0].sentences, feats.segs[1].sentences
    a = (sa[run[0][0]].start, sa[run[0][-1]].end)
    b = (sb[run[1][0]].start, sb[run[1][-1]].end)
    return Candidate(a, b, 1.0 / (1.0 + math.exp(-10.0 * (sim - 0.2))), "version")
