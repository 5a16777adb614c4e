"""Where another document tells a given passage: a ranked look-up.

``compare`` decides by itself which passages of two documents are parallel,
and a retelling in other words often escapes it: sentence by sentence, two
retellings share too little to be told from chance. A reader who knows the
passage they care about can ask instead. ``find_parallels`` ranks every
stretch of the other document (one to a few consecutive sentences of one
paragraph) by its similarity to the passage as a whole, with the mix of
tf-idf and word-vector cosines the engine scores sentences with, ranks the
best twenty again with the alignment of their words, and returns the best
few that do not overlap.

Asked this way, the question is no longer whether a parallel exists (the
reader expects one) but where it is, and a whole passage answers it far
better than its sentences one by one: on the sample accounts' gold events,
the partner is the first stretch offered for 57 % of the passages and among
the first five for 88 % (``bench/bench_lookup.py``).

This module ranks; it never decides that a pair is parallel.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from aligner.align import citations, sentences_in
from aligner.diff import word_diff
from aligner.documents import load_document, make_document, trimmed
from aligner.engine import QUOTED_SHARE
from aligner.evidence import find_evidence
from aligner.features import Features, build_features
from aligner.match import LEXICAL_WEIGHT, soft_overlap
from aligner.model import AlignerError, Comparison, DiffOp, Document, Options, Pair, Span
from aligner.segment import Segmented, Word, keep, segment, words_in

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from aligner.features import Matrix

    Vector = npt.NDArray[np.float64]

LIMIT = 5
"""Stretches returned by default."""
MAX_SENTENCES = 6
"""Longest stretch offered, in sentences."""
MIN_SENTENCES = 3
"""Stretches up to this many sentences are offered, however short the passage."""
RERANKED = 20
"""The best stretches by cosine that are ranked again with word alignment."""
SOFT_WEIGHT = 0.5
"""Weight of the word alignment (``match.soft_overlap``) in the final score."""
QUOTED_RUN = 4
"""Words in a row both sides share that count towards a quotation."""


def find_parallels(
    source: str | os.PathLike[str] | Document,
    target: str | os.PathLike[str] | Document,
    start: int = 0,
    end: int | None = None,
    *,
    limit: int = LIMIT,
) -> Comparison:
    """The stretches of ``target`` most like ``source[start:end]``, best first.

    Args:
        source: The document holding the passage: a path, its text, or a
            loaded ``Document``. Given as text, it may be the passage itself
            (``start`` and ``end`` then default to all of it).
        target: The document to search.
        start: Where the passage starts in ``source`` (a ``str`` index).
        end: Where it ends (default: the end of ``source``).
        limit: How many stretches to return, at most.

    Returns:
        A ``Comparison`` of ``source`` (doc 0) and ``target`` (doc 1) whose
        pairs all hold the passage on side a and one stretch of ``target`` on
        side b, most similar first. A pair's ``score`` is the similarity
        (0-1), not the engine's confidence that the two are parallel: the
        caller reads them and judges. Stretches of ``target`` that overlap
        the passage itself (the same document twice) are left out.

    Raises:
        AlignerError: the span is outside ``source``, holds no words or only
            stop words, or ``limit`` is below 1.
        DocumentError: a document cannot be read.
    """
    src, tgt = load_document(source), load_document(target)
    end = len(src.text) if end is None else end
    if limit < 1:
        raise AlignerError(f"limit must be 1 or more, not {limit}")
    if not 0 <= start < end <= len(src.text):
        raise AlignerError(f"passage {start}-{end} is not inside {src.name} (0-{len(src.text)})")
    query = _passage(src, start, end)
    if not query.words:
        raise AlignerError(f"passage {start}-{end} of {src.name} holds no words to look up")
    seg_t = _segmented(tgt)
    feats = build_features(query, seg_t)
    if not any(feats.bags[0]):
        raise AlignerError(
            f"passage {start}-{end} of {src.name} has only common words (the, of, and ...): "
            "give more of it"
        )
    exclude = (start, end) if src.text == tgt.text else None
    ranked = _ranked(feats, len(query.sentences), exclude, max(limit, RERANKED))
    a = trimmed(src.text, start, end)
    pairs = tuple(
        _pair(feats, query, seg_t, a, b, score) for b, score in _reranked(feats, ranked, limit)
    )
    return Comparison((src, tgt), pairs, Options(min_score=0.0))


def _segmented(doc: Document) -> Segmented:
    """The target segmented, and kept (``segment.keep``) for the next look-ups in it."""
    seg = segment(doc)
    keep(seg)
    return seg


def _passage(doc: Document, start: int, end: int) -> Segmented:
    """The words and sentences of ``doc[start:end]`` alone, at their offsets in ``doc``.

    Only the passage is segmented, not the whole document: the first
    look-up in a book costs the segmenting of the document searched only.
    As one side of the features, the passage keeps them a few dozen columns
    wide, however long the other document. Every sentence counts, even one
    that would be boilerplate in its document (a heading, a short line): the
    reader chose it.
    """
    seg = segment(make_document(doc.text[start:end], name=doc.name))
    words = tuple(w._replace(start=w.start + start, end=w.end + start) for w in seg.words)
    sentences = tuple(
        s._replace(start=s.start + start, end=s.end + start, boiler=False) for s in seg.sentences
    )
    paragraphs = tuple((a + start, b + start) for a, b in seg.paragraphs)
    return Segmented(doc, words, sentences, paragraphs, tuple(s.end for s in sentences))


def _ranked(
    feats: Features, passage_sentences: int, exclude: tuple[int, int] | None, limit: int
) -> list[tuple[tuple[int, int], float]]:
    """The ``limit`` best non-overlapping stretches of the target, with their
    similarity, best first."""
    import numpy as np

    seg = feats.segs[1]
    count = len(seg.sentences)
    longest = min(MAX_SENTENCES, max(MIN_SENTENCES, passage_sentences + 1), count)
    lexical = _Similarity(feats.rows[0].sum(axis=0), feats.rows[1], longest)
    semantic = None
    if feats.vectors is not None:
        semantic = _Similarity(feats.vectors[0].sum(axis=0), feats.vectors[1], longest)
    live = np.array([bool(bag) for bag in feats.bags[1]], dtype=bool)
    # A stretch never starts on a reference to a source ("(LCW, Vol. 33,
    # p. 430)"), which points at a passage and tells nothing: it may end on
    # one, after the quotation it gives.
    cited = citations(seg)
    opens = live & np.array([k not in cited for k in range(count)], dtype=bool)
    paragraph = np.array([s.paragraph for s in seg.sentences])
    starts = np.array([s.start for s in seg.sentences])
    ends = np.array([s.end for s in seg.sentences])
    scores, sizes, firsts = [], [], []
    for n in range(1, longest + 1):
        first = np.arange(count - n + 1)
        last = first + n - 1
        # One paragraph, starting and ending on sentences whose words count.
        ok = (paragraph[first] == paragraph[last]) & opens[first] & live[last]
        if exclude is not None:
            ok &= (starts[first] >= exclude[1]) | (ends[last] <= exclude[0])
        cosines = lexical.cosines(n)
        if semantic is not None:
            cosines = LEXICAL_WEIGHT * cosines + (1 - LEXICAL_WEIGHT) * semantic.cosines(n)
        keep = np.flatnonzero(ok)
        scores.append(cosines[keep])
        sizes.append(np.full(len(keep), n))
        firsts.append(keep)
    score, size, k0 = np.concatenate(scores), np.concatenate(sizes), np.concatenate(firsts)
    # Best first; of equal scores the shorter, then the earlier stretch.
    chosen: list[tuple[tuple[int, int], float]] = []
    for at in np.lexsort((k0, size, -score)).tolist():
        k, n = int(k0[at]), int(size[at])
        span = (int(starts[k]), int(ends[k + n - 1]))
        if not any(span[0] < b[1] and b[0] < span[1] for b, _ in chosen):
            chosen.append((span, float(score[at])))
            if len(chosen) == limit:
                break
    return chosen


def _reranked(
    feats: Features, ranked: list[tuple[tuple[int, int], float]], limit: int
) -> list[tuple[tuple[int, int], float]]:
    """The best stretches again, by their cosine and their word alignment.

    Pooled vectors blur a passage into one direction; aligning its words one
    by one with the stretch's (the same stem, or a near vector: "died" and
    "death") tells a retelling of the same event from one merely on the same
    theme. On the dev gold it puts an event's partner first for 57 % of
    passages instead of 52 %, among the first five for 88 % instead of 82 %.
    """
    passage = range(len(feats.segs[0].sentences))
    scored = [
        (
            span,
            (score + SOFT_WEIGHT * soft_overlap(feats, passage, sentences_in(feats.segs[1], span)))
            / (1 + SOFT_WEIGHT),
        )
        for span, score in ranked
    ]
    scored.sort(key=lambda x: (-x[1], x[0]))
    return scored[:limit]


class _Similarity:
    """Cosines of one query vector with the sum of each stretch of rows.

    A stretch's sum is never formed: its dot product with the query is a sum
    of the rows' products with it, and its squared norm the sum of the
    products of the rows it holds, which only rows at most ``longest - 1``
    apart need.
    """

    def __init__(self, query: Matrix, rows: Matrix, longest: int) -> None:
        import numpy as np

        norm = float(np.linalg.norm(query))
        wide = rows.astype(np.float64)
        self._dots = _cumsum(wide @ (query / norm if norm else query))
        n = len(wide)
        # near[d]: running sums of row k . row k + d, for d = 0 .. longest - 1
        self._near = [
            _cumsum(np.einsum("ij,ij->i", wide[: n - d], wide[d:])) for d in range(longest)
        ]

    def cosines(self, n: int) -> Vector:
        """Per stretch of ``n`` rows (by its first row), its cosine with the query."""
        import numpy as np

        count = len(self._dots) - n
        dot = self._dots[n:] - self._dots[:count]
        near = self._near[0]
        square = near[n:] - near[:count]
        for d in range(1, n):
            near = self._near[d]
            square = square + 2 * (near[n - d : n - d + count] - near[:count])
        out: Vector = np.where(square > 0, dot / np.sqrt(np.maximum(square, 1e-30)), 0.0)
        return out


def _cumsum(values: Vector) -> Vector:
    """Running sums with a leading 0: the sum of ``values[i:j]`` is ``out[j] - out[i]``."""
    import numpy as np

    out: Vector = np.concatenate(([0.0], np.cumsum(values, dtype=np.float64)))
    return out


def _quoted(diff: tuple[DiffOp, ...], words_a: tuple[Word, ...], words_b: tuple[Word, ...]) -> bool:
    """Most of the shorter side is in runs of ``QUOTED_RUN`` words the other has
    too: the engine's test for a quotation, without the short equal runs ("of
    the", "in") that any long stretch shares with a passage."""
    runs = (len(words_in(words_a, op.a_start, op.a_end)) for op in diff if op.tag == "equal")
    equal = sum(n for n in runs if n >= QUOTED_RUN)
    return equal >= 8 and equal >= QUOTED_SHARE * min(len(words_a), len(words_b))


def _pair(
    feats: Features,
    seg_s: Segmented,
    seg_t: Segmented,
    a: tuple[int, int],
    b: tuple[int, int],
    score: float,
) -> Pair:
    words_a = tuple(words_in(seg_s.words, *a))
    words_b = tuple(words_in(seg_t.words, *b))
    diff = word_diff(words_a, words_b)
    return Pair(
        a=Span(0, *a),
        b=Span(1, *b),
        a_text=seg_s.doc.text[a[0] : a[1]],
        b_text=seg_t.doc.text[b[0] : b[1]],
        score=round(min(max(score, 0.0), 1.0), 4),
        kind="quotation" if _quoted(diff, words_a, words_b) else "retelling",
        evidence=find_evidence(words_a, words_b, feats, diff),
        diff=diff,
    )
