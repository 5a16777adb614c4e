"""Ordered mode's last step: boundaries between consecutive version pairs.

Two versions of a text may break their paragraphs a sentence apart: one
ends a paragraph where the other's next paragraph has already begun.
Aligned paragraph by paragraph, both pairs would show that sentence as
deleted on one side and inserted in the next pair, a change nobody made.
``refine`` moves such sentences across the boundary between two pairs that
touch on that side, to where they agree with the other version's words, and
lets a pair take in the sentences of a paragraph the alignment skipped next
to it when they agree (the first half of a paragraph one version breaks in
two, left out of a merge).

This module only moves boundaries between passages already aligned; it
neither aligns paragraphs nor diffs them.
"""

from __future__ import annotations

from collections.abc import Sequence

from aligner.segment import Segmented

MAX_SHIFT = 3
"""Most sentences moved across one boundary."""
MIN_GAIN = 0.3
"""A move must bring this share of the moved sentences' words into agreement
(and two words at least): a translation agrees with itself on a few common
words wherever a sentence is put."""

Run = tuple[list[int], list[int]]
"""The sentence indices of one pair's passage in a and in b."""


def refine(
    runs: Sequence[Run], touching: Sequence[tuple[bool, bool]], segs: Sequence[Segmented]
) -> list[Run]:
    """Move sentences across pair boundaries where the wording agrees more.

    Args:
        runs: Each pair's sentences in a and in b, in document order.
        touching: For each pair and the next, whether their passages follow
            each other without a skipped paragraph, in a and in b; only there
            may a boundary move.
        segs: The two segmented documents.

    Returns:
        The runs, in the same order, with their boundaries moved; a run left
        with no sentence on a side is no pair any more (its other side is
        then unpaired).
    """
    words = [_Words(seg) for seg in segs]
    out = [(list(a), list(b)) for a, b in runs]
    for k in range(len(out) - 1):
        for side in (0, 1):
            if touching[k][side]:
                out[k], out[k + 1] = _best_boundary(out[k], out[k + 1], side, words)
    # A run left empty on one side is no pair: its other side is free to join.
    used = [{s for run in out if run[0] and run[1] for s in run[side]} for side in (0, 1)]
    for k, run in enumerate(out):
        if run[0] and run[1]:
            for side in (0, 1):
                out[k] = run = _absorb(run, side, used[side], words)
    return out


def _absorb(run: Run, side: int, used: set[int], words: Sequence[_Words]) -> Run:
    """``run`` taking in the unpaired sentences just before or after it on
    ``side`` (a paragraph the alignment skipped) where they agree with the
    other side's words: the start of a paragraph one version breaks in two."""
    sentences = words[side].seg.sentences

    def free(k: int) -> bool:
        return 0 <= k < len(sentences) and k not in used and not sentences[k].boiler

    for before in (True, False):
        edge = run[side][0] if before else run[side][-1]
        step = -1 if before else 1
        extra: list[int] = []
        while len(extra) < MAX_SHIFT and free(edge + step * (len(extra) + 1)):
            extra.append(edge + step * (len(extra) + 1))
        now, best, chosen = _agreement(run, words), 0.0, run
        for t in range(1, len(extra) + 1):
            taken = sorted(extra[:t])
            grown = _with(run, side, taken + run[side] if before else run[side] + taken)
            gain = _agreement(grown, words) - now
            if gain > best and _worth(gain, words[side].of(taken)):
                best, chosen = gain, grown
        if chosen is not run:
            used.update(chosen[side])
            run = chosen
    return run


class _Words:
    """The normalised words of each sentence of one document."""

    def __init__(self, seg: Segmented) -> None:
        self.seg = seg
        self.cache: dict[int, tuple[str, ...]] = {}

    def of(self, sentences: Sequence[int]) -> list[str]:
        out: list[str] = []
        for k in sentences:
            norms = self.cache.get(k)
            if norms is None:
                s = self.seg.sentences[k]
                norms = self.cache[k] = tuple(w.norm for w in self.seg.words[s.w0 : s.w1])
            out += norms
        return out


def _agreement(run: Run, words: Sequence[_Words]) -> int:
    """Words the two passages share in order (their longest common subsequence)."""
    from rapidfuzz.distance import LCSseq

    return int(LCSseq.similarity(words[0].of(run[0]), words[1].of(run[1])))


def _best_boundary(p: Run, q: Run, side: int, words: Sequence[_Words]) -> tuple[Run, Run]:
    """``p`` and ``q`` with the boundary on ``side`` where they agree most."""
    now = _agreement(p, words) + _agreement(q, words)
    best, chosen = 0.0, (p, q)
    joined = p[side] + q[side]
    cut = len(p[side])
    # A pair may give all its sentences on this side away: then it was no pair
    # (a paragraph the other version lacks, matched weakly for want of better).
    for new_cut in range(max(0, cut - MAX_SHIFT), min(len(joined), cut + MAX_SHIFT) + 1):
        if new_cut == cut:
            continue
        moved = joined[min(cut, new_cut) : max(cut, new_cut)]
        p2, q2 = _with(p, side, joined[:new_cut]), _with(q, side, joined[new_cut:])
        gain = _agreement(p2, words) + _agreement(q2, words) - now
        if gain > best and _worth(gain, words[side].of(moved)):
            best, chosen = gain, (p2, q2)
    return chosen


def _worth(gain: float, moved: list[str]) -> bool:
    """Whether moving the words ``moved`` makes ``gain`` more of them agree
    than a translation's common words would anywhere."""
    return gain >= max(2.0, MIN_GAIN * len(moved))


def _with(run: Run, side: int, sentences: list[int]) -> Run:
    return (sentences, run[1]) if side == 0 else (run[0], sentences)
