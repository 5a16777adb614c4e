"""Which alignment two texts get: in order, as versions of one text, or in
free order, as accounts.

Translations and editions keep one order and match most of their paragraphs
confidently (``keeps_order``), and are of comparable length (``comparable``).
Accounts may follow one order too, one gospel retelling another, yet move
some material: the ordered alignment would lose it (``moves_material``).
This module decides; it neither aligns nor scores passages.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import TYPE_CHECKING

from aligner import quotes
from aligner.align import Candidate, sentences_in
from aligner.features import Features
from aligner.match import Run

if TYPE_CHECKING:
    from aligner.features import Matrix

ORDER_SHARE = 0.8
"""Share of confident paragraph matches that must be in order for auto mode."""
CONFIDENT = 0.3
"""Paragraph similarity counted as a confident match in ``keeps_order``."""
MIN_LENGTH_RATIO = 0.25
"""Versions and translations of one text are of comparable length: a text
under a quarter of the other's length (an article quoting a book, a summary)
is compared in free order, where its quotations are found in any order."""


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


def sentences_correspond(cands: list[Candidate], score: Matrix, feats: Features) -> bool:
    """Whether the pairs of an ordered alignment match sentence to sentence,
    as versions of one text do (a translation renders each sentence), rather
    than tell the same events in sentences of their own, as two accounts
    that keep one order do (two reports of a moon landing, told day by day).

    Per pair, the share of its shorter side's sentences that have a partner
    on the other side (each other's best inside the pair, ``score`` at least
    ``SENTENCE_MATCH``); their mean must reach ``CORRESPONDING``.

    Args:
        cands: The ordered alignment's pairs.
        score: Sentence-to-sentence similarity (``match.sentence_scores``).
        feats: The sentence features.
    """
    import numpy as np

    shares = []
    for c in cands:
        rows = list(sentences_in(feats.segs[0], c.a))
        cols = list(sentences_in(feats.segs[1], c.b))
        if not rows or not cols:
            continue
        block = score[np.ix_(rows, cols)]
        if block.shape[0] > block.shape[1]:
            block = block.T
        best_col, best_row = block.argmax(axis=1), block.argmax(axis=0)
        partnered = sum(
            best_row[j] == i and block[i, j] >= SENTENCE_MATCH for i, j in enumerate(best_col)
        )
        shares.append(partnered / block.shape[0])
    return not shares or sum(shares) / len(shares) >= CORRESPONDING


SENTENCE_MATCH = 0.3
"""Sentence score at which two sentences of an ordered pair correspond."""
CORRESPONDING = 0.35
"""Mean share of an ordered pair's sentences with a corresponding one, below
which two texts that keep one order are accounts, not versions. Measured:
translations 0.54-0.97 (Esther in the KJV against the WEB 0.97, against the
Bible in Basic English 0.54; Luke, KJV against Young's 0.88), Mark against
Matthew 0.55; two short accounts of the Moon landing 0.18, of the Titanic 0.15."""


def moves_material(
    runs: list[Run],
    windows: Callable[[], list[Candidate]] | None,
    feats: Features,
    cands: list[Candidate],
) -> bool:
    """Whether texts that keep one order are accounts that move some of it
    (one gospel retelling another), whose moved passages the ordered
    alignment would lose, rather than versions of one text.

    Counted per pair of the ordered alignment: the quotations (runs of rare
    shared words) and the retellings free order finds (scoring at least
    ``MOVED_FLOOR``) whose sides lie far apart in it (``_far``). Quotations
    are counted first; free order's retelling windows (``windows``, costly)
    are asked for only when they do not decide it, and only where free
    order is possible.

    Args:
        runs: The runs of shared words (``match.find_runs``).
        windows: Gives free order's retelling windows, or None.
        feats: The sentence features.
        cands: The ordered alignment's pairs, in order.
    """
    words_a, words_b = (seg.words for seg in feats.segs)
    places = ([c.a[0] for c in cands], [c.b[0] for c in cands])

    def enough(moved: int) -> bool:
        return moved >= MIN_MOVED and moved > MOVED_SHARE * len(cands)

    moved = sum(
        # A passage a text repeats (a decree read out twice) pairs crosswise.
        run.repeats <= 2 and _far(places, words_a[run.a0].start, words_b[run.b0].start)
        for run, _ in quotes.weighty(runs, feats)
    )
    if enough(moved) or windows is None:
        return enough(moved)
    moved += sum(c.score >= MOVED_FLOOR and _far(places, c.a[0], c.b[0]) for c in windows())
    return enough(moved)


def _far(places: tuple[list[int], list[int]], a: int, b: int) -> bool:
    """Whether offsets ``a`` and ``b`` lie two or more pairs apart in the
    ordered alignment (``places``: where its pairs start in a and in b).

    Each offset is placed at the last pair starting before it (text the
    alignment skipped belongs with the pair before it); neighbouring pairs
    count as one place (a boundary a sentence off).
    """
    return abs(bisect.bisect_right(places[0], a) - bisect.bisect_right(places[1], b)) > 1


MOVED_SHARE = 0.2
"""Moved quotations and retellings, per pair of the ordered alignment,
beyond which two texts are accounts that move material, not versions.
Measured: one gospel against another 0.42-1.53 (in one translation or two);
translations of one book (Esther, Mark, Matthew, Luke in the KJV and the WEB,
however paragraphed) 0.00-0.06."""
MIN_MOVED = 3
"""Fewest moved passages for that: in a short text one repeated phrase is a
large share."""
MOVED_FLOOR = 0.5
"""Score a free-order retelling needs to count as moved (the default floor)."""
