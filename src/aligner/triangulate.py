"""Pairs a third account supports (triangulation).

When a group holds passages of documents A, B and C, and the pairwise engine
joined A~C and B~C but not A~B (or only below the reporting floor), the group
itself is evidence that A and B tell the same thing: ``supported_pairs`` adds
that pair. This module reads groups; it never matches or scores passages.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from aligner.grouping import SAME_PASSAGE, Words, overlap_share, to_global
from aligner.model import Document, Group, Member, Pair, Span

if TYPE_CHECKING:
    from aligner.synopsis import Synopsis

AGREE = 0.5
"""Two pairs agree on a passage of the third account when their spans there
share this share of the longer one (not merely of the shorter, as members do:
a tight quotation inside a long retelling is not agreement on one passage)."""


def supported_pairs(syn: Synopsis) -> dict[tuple[int, int], list[Pair]]:
    """Pairwise pairs, raised and completed by the groups (triangulation).

    For every document pair ``(i, j)`` with ``i < j``: the comparison's pairs at
    the floor, plus, for each group holding members in both ``i`` and ``j``
    that no such pair joins already, one pair when either

    - a weaker direct pair joins them (a third account raises it), or
    - a third member ``C`` has pairs at the floor with both, and those two
      pairs agree on ``C``'s passage (``A~C`` and ``B~C`` agree: ``A~B``).

    An added pair takes the group's score and kind, and the spans of the pairs
    it rests on.

    Returns:
        Pairs per document pair, spans with global document indices.
    """
    out: dict[tuple[int, int], list[Pair]] = {}
    for (i, j), c in zip(syn.doc_pairs(), syn.comparisons, strict=True):
        out[(i, j)] = to_global(c.pairs, i, j)
    words = syn.words()
    for g in syn.groups:
        for mi, mj in itertools.combinations(g.members, 2):
            have = out[(mi.doc, mj.doc)]
            if any(_joins(p, mi, mj) for p in have):
                continue
            weak = next((p for p in g.pairs if _joins(p, mi, mj)), None)
            spans = (weak.a, weak.b) if weak else _bridge(g, mi, mj, syn.options.min_score)
            if spans is not None:
                have.append(_inferred(syn.documents, spans[0], spans[1], g, words))
    for pairs in out.values():
        pairs.sort(key=lambda p: (p.a.start, p.b.start))
    return out


def _joins(p: Pair, mi: Member, mj: Member) -> bool:
    return (p.a.doc, p.b.doc) == (mi.doc, mj.doc) and (
        overlap_share((p.a.start, p.a.end), (mi.start, mi.end)) >= SAME_PASSAGE
        and overlap_share((p.b.start, p.b.end), (mj.start, mj.end)) >= SAME_PASSAGE
    )


def _bridge(g: Group, mi: Member, mj: Member, floor: float) -> tuple[Span, Span] | None:
    """Spans in ``mi`` and ``mj`` of two pairs agreeing on a third member."""
    best: tuple[float, Span, Span] | None = None
    for mc in g.members:
        if mc.doc in (mi.doc, mj.doc):
            continue
        for p in g.pairs:
            for q in g.pairs:
                left, right = _toward(p, mi, mc), _toward(q, mj, mc)
                if left is None or right is None or min(p.score, q.score) < floor:
                    continue
                (x, cx), (y, cy) = left, right
                if _agree(cx, cy) and (best is None or min(p.score, q.score) > best[0]):
                    best = (min(p.score, q.score), x, y)
    return (best[1], best[2]) if best else None


def _toward(p: Pair, m: Member, mc: Member) -> tuple[Span, Span] | None:
    """``p``'s spans as (in ``m``, in ``mc``) when ``p`` joins those members."""
    for x, y in ((p.a, p.b), (p.b, p.a)):
        if (x.doc, y.doc) == (m.doc, mc.doc) and x.overlaps(m.span) and y.overlaps(mc.span):
            return x, y
    return None


def _agree(x: Span, y: Span) -> bool:
    inter = min(x.end, y.end) - max(x.start, y.start)
    return inter > 0 and inter >= AGREE * max(len(x), len(y))


def _inferred(documents: Sequence[Document], a: Span, b: Span, g: Group, words: Words) -> Pair:
    return Pair(
        a=a,
        b=b,
        a_text=documents[a.doc].text[a.start : a.end],
        b_text=documents[b.doc].text[b.start : b.end],
        score=g.score,
        kind=g.kind,
        evidence=(),
        diff=words.diff(a, b),
    )
