"""Quotations: shared word runs made into tight, sentence-snapped passages.

A run of identical words (``match.find_runs``) is a quotation when its words
are rare enough and it is no stock phrase, no name or title and no pair of
differing numbers; it is carried on through a translation's variants and its
ends snap to nearby sentence boundaries. A shared name makes a retelling
candidate of its sentences instead. This module shapes candidates; it does
not choose among them.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator

from aligner import match
from aligner.align import Candidate, idf_scale, merge, overlaps, sentences_in
from aligner.boilerplate import is_citation
from aligner.caches import per_document
from aligner.features import Features
from aligner.match import Run
from aligner.segment import Segmented, Sentence, words_in
from aligner.spanindex import SpanIndex

STOCK_PHRASE_WORDS = 12
"""A run shorter than this whose every n-gram recurs elsewhere in the
documents is a stock phrase, not a quotation."""
SPILL = 3
"""Words of a neighbouring sentence a run may begin or end with and give
back ("...yet [will] not I. And Jesus saith unto him")."""
SNAP_KEEP = 4
"""Words a run must keep when it gives back a spill into another sentence."""
RUN_WEIGHT = 7.0
"""Summed rarity (idf) of matched words that makes a run a quotation."""
EXTEND_WORDS = 40
"""Words looked at beyond each end of a run when extending it."""
EXTEND_EQUAL = 0.4
"""Share of equal words an extension must keep."""
NAME_RUN_WORDS = 9
"""A run shorter than this whose content words are all capitalised in one
document is a name or a title ("People's Commissariat of Workers' and
Peasants' Inspection", "An Economic History of the USSR"), not a quotation."""


def select_runs(runs: list[Run], feats: Features, *, names: bool = False) -> list[Candidate]:
    """Runs rare enough to be quotations, snapped to sentence ends nearby.

    A short run that is a name or title (``NAME_RUN_WORDS``) is no
    quotation; with ``names`` its sentences are a retelling candidate
    instead (two passages naming "the People's Commissariat of Workers' and
    Peasants' Inspection" tell of one thing). A run whose two sides give
    numbers, none the same, is no quotation either, and a reference to a
    source ("(LCW, Vol. 25, p. 468.)") on either side makes no pair.
    """
    seg_a, seg_b = feats.segs
    out = []
    for run, weight in _rare(runs, feats):
        name = _is_name(run, feats)
        if name and not names:
            continue
        a0, a1, b0, b1 = _extend(seg_a, seg_b, run)
        a, b = _snap_together(seg_a, seg_b, _snap_words(seg_a, a0, a1), _snap_words(seg_b, b0, b1))
        if name:
            a, b = _sentences_around(seg_a, a), _sentences_around(seg_b, b)
        elif _numbers_differ(seg_a, a, seg_b, b):
            continue
        if is_citation(seg_a.doc.text[a[0] : a[1]]) or is_citation(seg_b.doc.text[b[0] : b[1]]):
            continue
        score = 1.0 - math.exp(-weight / RUN_WEIGHT)
        out.append(Candidate(a, b, score, "retelling" if name else "quotation"))
    return out


def left_out(runs: list[Run], feats: Features, pairs: list[Candidate]) -> list[Candidate]:
    """Quotations that lie outside ``pairs`` on both sides: in two versions
    aligned in order, a passage one of them moved elsewhere."""
    taken: SpanIndex[int] = SpanIndex()
    for n, p in enumerate(pairs):
        taken.add(n, 0, p.a)
        taken.add(n, 1, p.b)
    words = [seg.words for seg in feats.segs]

    def free(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return not any(overlaps(a, pairs[n].a) for n in taken.near(0, a)) and not any(
            overlaps(b, pairs[n].b) for n in taken.near(1, b)
        )

    outside = [
        r
        for r in runs
        if free(
            (words[0][r.a0].start, words[0][r.a1 - 1].end),
            (words[1][r.b0].start, words[1][r.b1 - 1].end),
        )
    ]
    return [c for c in merge(select_runs(outside, feats)) if free(c.a, c.b)]


def weighty(runs: list[Run], feats: Features) -> Iterator[tuple[Run, float]]:
    """The runs rare enough to be quotations (no stock phrases, no names), with their weight."""
    return ((run, weight) for run, weight in _rare(runs, feats) if not _is_name(run, feats))


def _rare(runs: list[Run], feats: Features) -> Iterator[tuple[Run, float]]:
    """The runs whose words are rare enough, stock phrases left out, with their weight."""
    words = feats.segs[0].words
    scale = idf_scale(feats)
    for run in runs:
        weight = (
            sum(feats.idf.get(w.stem, 0.0) for w in words[run.a0 : run.a1] if w.stem in feats.idf)
            * run.matched
            / max(run.a1 - run.a0, 1)
        ) * scale
        if weight >= RUN_WEIGHT and not (run.repeats > 2 and run.matched < STOCK_PHRASE_WORDS):
            yield run, weight


def _is_name(run: Run, feats: Features) -> bool:
    """Whether a short run is a name or title: its content words are all
    capitalised in one of the documents (``NAME_RUN_WORDS``)."""
    if run.matched >= NAME_RUN_WORDS:
        return False
    for seg, w0, w1 in ((feats.segs[0], run.a0, run.a1), (feats.segs[1], run.b0, run.b1)):
        content = [w for w in seg.words[w0:w1] if feats.variants.get(w.stem, w.stem) in feats.idf]
        if content and all(w.cap for w in content):
            return True
    return False


def _sentences_around(seg: Segmented, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` widened to the whole sentences it touches."""
    inside = sentences_in(seg, span)
    if not inside:
        return span
    return seg.sentences[inside[0]].start, seg.sentences[inside[-1]].end


def _numbers_differ(
    seg_a: Segmented, a: tuple[int, int], seg_b: Segmented, b: tuple[int, int]
) -> bool:
    """Whether both passages give numbers and share none: a quotation keeps
    its numbers in any translation, so "35 per cent of the pre-war level" and
    "18 per cent of the pre-war level" are two statements, and two citations
    of one book at pages 149 and 191 cite two passages. Note markers are no
    words, so they never count."""
    na, nb = _numbers(seg_a, a), _numbers(seg_b, b)
    return bool(na and nb and not na & nb)


def _numbers(seg: Segmented, span: tuple[int, int]) -> set[str]:
    """The numbers among the words of ``span`` (a cited page with its work)."""
    return {w.stem for w in words_in(seg.words, *span) if w.norm[:1].isdigit()}


def _extend(seg_a: Segmented, seg_b: Segmented, run: Run) -> tuple[int, int, int, int]:
    """Carry a run of identical words on through a translation's variants.

    Two translations of one quotation part and meet again ("has concentrated
    enormous power in his hands" / "has unlimited authority concentrated in
    his hands"). Beyond each end of the run, the next words of both sides
    are aligned (rapidfuzz opcodes on stems) and the run reaches to the last
    equal block that keeps at least ``EXTEND_EQUAL`` of the words equal,
    with no gap longer than ``MAX_GAP`` words, inside the paragraph.
    """
    a1, b1 = _reach(seg_a, seg_b, run.a1, run.b1, +1)
    a0, b0 = _reach(seg_a, seg_b, run.a0 - 1, run.b0 - 1, -1)
    return a0 + 1, a1, b0 + 1, b1


def _reach(seg_a: Segmented, seg_b: Segmented, i: int, j: int, step: int) -> tuple[int, int]:
    ta = _stretch(seg_a, i, step)
    tb = _stretch(seg_b, j, step)
    best_i, best_j, equal, seen = 0, 0, 0, 0
    for tag, x1, x2, y1, y2 in match.opcodes(ta, tb):
        if tag == "equal":
            equal += x2 - x1
            seen = max(x2, y2)
            if equal >= EXTEND_EQUAL * seen:
                best_i, best_j = x2, y2
        elif max(x2 - x1, y2 - y1) > match.MAX_GAP:
            break
    return i + step * best_i, j + step * best_j


def _stretch(seg: Segmented, start: int, step: int) -> list[str]:
    """Stems of up to ``EXTEND_WORDS`` words from ``start`` on, within the paragraph."""
    words = seg.words
    if not 0 <= start < len(words):
        return []
    starts = _paragraph_starts(seg)
    para = bisect.bisect_right(starts, words[start].start)
    lo, hi = (
        (starts[para - 1], starts[para]) if para < len(starts) else (starts[-1], len(seg.doc.text))
    )
    out: list[str] = []
    k = start
    while 0 <= k < len(words) and len(out) < EXTEND_WORDS and lo <= words[k].start < hi:
        out.append(words[k].stem)
        k += step
    return out


@per_document
def _paragraph_starts(seg: Segmented) -> list[int]:
    return [p[0] for p in seg.paragraphs]


def _snap_words(seg: Segmented, w0: int, w1: int) -> tuple[int, int]:
    """Word range -> characters, ends snapped to nearby sentence boundaries.

    An end within 3 words of its sentence's end reaches it; a run that spills
    up to ``SPILL`` words over into the next sentence ("...of the working
    class. The") or starts with the last words of the previous one gives
    them back.
    """
    first, last = _sentence_of(seg, w0), _sentence_of(seg, w1 - 1)
    if first is not None and last is not None:
        s = seg.sentences[last]
        if 0 < w1 - s.w0 <= SPILL and s.w0 - w0 >= SNAP_KEEP:
            w1 = s.w0
        s = seg.sentences[first]
        if 0 < s.w1 - w0 <= SPILL and w1 - s.w1 >= SNAP_KEEP:
            w0 = s.w1
    start, end = seg.words[w0].start, seg.words[w1 - 1].end
    first, last = _sentence_of(seg, w0), _sentence_of(seg, w1 - 1)
    if first is not None and w0 - seg.sentences[first].w0 <= 3:
        start = seg.sentences[first].start
    if last is not None and seg.sentences[last].w1 - w1 <= 3:
        end = seg.sentences[last].end
    return start, end


SNAP_ALONG = 6
"""Words one side of a quotation may reach back to its sentence's start (or
on to its end) when the other side starts (ends) with a sentence."""


def _snap_together(
    seg_a: Segmented, seg_b: Segmented, a: tuple[int, int], b: tuple[int, int]
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Both sides of a quotation start with a sentence when one does and the
    other's sentence began at most ``SNAP_ALONG`` words earlier ("Then one
    said unto him, Behold..." / "said unto him, Behold..."), and likewise
    end with one: a translation rarely starts a quoted sentence where the
    other's has already begun."""
    heads = [_words_before(seg_a, a[0]), _words_before(seg_b, b[0])]
    tails = [_words_after(seg_a, a[1]), _words_after(seg_b, b[1])]
    spans = [list(a), list(b)]
    for side, other in ((0, 1), (1, 0)):
        if heads[other][1] == 0 and 0 < heads[side][1] <= SNAP_ALONG:
            spans[side][0] = heads[side][0]
        if tails[other][1] == 0 and 0 < tails[side][1] <= SNAP_ALONG:
            spans[side][1] = tails[side][0]
    return (spans[0][0], spans[0][1]), (spans[1][0], spans[1][1])


def _words_before(seg: Segmented, start: int) -> tuple[int, int]:
    """The start of the sentence holding offset ``start``, and how many of
    its words lie before ``start``."""
    k = bisect.bisect_right(seg.sentence_ends, start)
    if k >= len(seg.sentences):
        return start, 0
    s = seg.sentences[k]
    return s.start, len(words_in(seg.words, s.start, start))


def _words_after(seg: Segmented, end: int) -> tuple[int, int]:
    """The end of the sentence holding offset ``end - 1``, and how many of
    its words begin after ``end`` (a quotation ends where a word does)."""
    k = bisect.bisect_right(seg.sentence_ends, end - 1)
    if k >= len(seg.sentences):
        return end, 0
    s = seg.sentences[k]
    return s.end, len(words_in(seg.words, end, s.end))


def _sentence_of(seg: Segmented, word: int) -> int | None:
    """Index of the sentence holding word ``word``, by bisection."""
    k = bisect.bisect_right(seg.sentences, word, key=_first_word) - 1
    if 0 <= k < len(seg.sentences) and seg.sentences[k].w0 <= word < seg.sentences[k].w1:
        return k
    return None


def _first_word(s: Sentence) -> int:
    return s.w0
