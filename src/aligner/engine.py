"""The one call every front end uses: ``compare()``.

It runs the stages (load, segment, match, align, diff) and times them; it
holds no matching logic of its own and never imports Textual or Rich.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from aligner import align, match, mode, ordered, quotes
from aligner.diff import equal_words, word_diff
from aligner.documents import load_document, paragraph_spans, trimmed
from aligner.evidence import find_evidence
from aligner.features import Features, build_features
from aligner.model import Comparison, DiffOp, Document, Kind, Options, Pair, Span
from aligner.parallel import segment_all
from aligner.segment import Segmented, Word, words_in

if TYPE_CHECKING:
    from aligner.features import Matrix

Progress = Callable[[float], None]

SEGMENTED = 0.4
"""The share of work ``compare`` reports once both documents are segmented."""


def compare(
    a: str | os.PathLike[str] | Document,
    b: str | os.PathLike[str] | Document,
    *,
    options: Options | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Find the parallel passages of ``a`` and ``b``.

    Args:
        a: The first document: a path, its text, or a loaded ``Document``.
        b: The second document.
        options: Knobs of the comparison; defaults to ``Options()``.
        progress: Called with the share of work done, 0.0-1.0.

    Returns:
        The ``Comparison``: both documents and their parallel pairs.

    Raises:
        DocumentError: a document cannot be read.
    """
    with gc_paused():
        return _compare_any_order(a, b, options or Options(), progress)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector off while the engine builds its structures.

    Segmenting a book allocates millions of tuples, each allocation counting
    towards a collection that then walks every tracked object (a quarter of
    the segmenting time on a 13 MB text). The engine makes no reference cycles
    worth collecting in between; the collector's previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _compare_any_order(
    a: str | os.PathLike[str] | Document,
    b: str | os.PathLike[str] | Document,
    options: Options,
    progress: Progress | None,
) -> Comparison:
    clock = _Clock()
    docs = (load_document(a), load_document(b))
    clock.lap("load")
    if _canonical_key(docs[1]) < _canonical_key(docs[0]):
        # The result must not depend on argument order: align in one fixed
        # order and mirror, so that compare(b, a) is compare(a, b) swapped.
        flipped = _compare(docs[1], docs[0], options, progress, clock)
        pairs = sorted((p.mirrored() for p in flipped.pairs), key=lambda p: (p.a.start, p.b.start))
        return Comparison(
            docs, tuple(pairs), options, flipped.ordered, flipped.timings, flipped.notes
        )
    return _compare(docs[0], docs[1], options, progress, clock)


def _canonical_key(doc: Document) -> tuple[int, str]:
    return len(doc.text), hashlib.blake2b(doc.text.encode("utf-8", "surrogatepass")).hexdigest()


def _compare(
    doc_a: Document, doc_b: Document, options: Options, progress: Progress | None, clock: _Clock
) -> Comparison:
    """Align ``doc_a`` with ``doc_b`` (already in canonical order)."""
    report = progress or (lambda _: None)
    docs = (doc_a, doc_b)
    report(0.05)
    if doc_a.text == doc_b.text:
        return _identical(docs, options, clock)
    seg_a, seg_b = (
        segment_all(docs, first=_load_tables, meanwhile=_prepare)
        if options.semantic
        else segment_all(docs)
    )
    clock.lap("segment")
    report(SEGMENTED)
    cells = len(seg_a.sentences) * len(seg_b.sentences)
    dense = cells <= MAX_CELLS
    # Versions of one text are aligned paragraph by paragraph, which costs far
    # less than sentence by sentence: they are tried up to a larger size.
    lengths = (len(doc_a.text), len(doc_b.text))
    may_order = options.ordered is not False and (
        dense or (cells <= MAX_ORDERED_CELLS and mode.comparable(lengths))
    )
    feats = build_features(
        seg_a, seg_b, semantic=options.semantic, dense=dense or may_order, pooled=not dense
    )
    runs = match.find_runs(seg_a, seg_b)
    clock.lap("match")
    report(0.7)
    free = _Retellings(feats) if dense else None
    versions = _versions(feats, options, lengths, runs, free) if may_order else None
    in_order = versions is not None
    notes: tuple[str, ...] = ()
    if versions is not None:
        # A passage an edition moved is left out of the ordered pairs on both
        # sides: paired as the quotation it is, it is not listed as missing.
        cands = versions + quotes.left_out(runs, feats, versions)
    elif free is not None:
        cands = align.merge(quotes.select_runs(runs, feats, names=True) + free.windows, feats.segs)
        cands = align.pad(cands, free.scores[0], feats)
    else:
        notes = (
            f"documents too large to compare sentence by sentence ({cells:,} sentence pairs, "
            f"limit {MAX_CELLS:,}): shared quotations only",
        )
        cands = align.merge(quotes.select_runs(runs, feats))
    clock.lap("align")
    report(0.8)
    # Below the floor whatever its kind: no diff and evidence to compute.
    kept = [c for c in cands if _score(c) >= options.min_score]
    pairs = _drop_echoes([_pair(c, seg_a, seg_b, feats) for c in kept], kept, cands)
    pairs = _fold_nested([p for p in pairs if p.kind in options.kinds])
    if not in_order:
        pairs = _chained(pairs, seg_a, seg_b, feats)
        if free is not None:
            pairs = _without_passing_phrases(pairs, free.scores, feats)
    pairs.sort(key=lambda p: (p.a.start, p.b.start))
    clock.lap("diff")
    report(1.0)
    return Comparison(docs, tuple(pairs), options, in_order, tuple(clock.laps), notes)


class _Retellings:
    """Free order's sentence scores and retelling windows, computed once when
    first asked for (by the test for moved material, or by free order)."""

    def __init__(self, feats: Features) -> None:
        self._feats = feats

    @functools.cached_property
    def scores(self) -> tuple[Matrix, Matrix]:
        return match.sentence_scores(self._feats)

    @functools.cached_property
    def windows(self) -> list[align.Candidate]:
        return align.select_windows(*self.scores, self._feats)


def _versions(
    feats: Features,
    options: Options,
    lengths: tuple[int, int],
    runs: list[match.Run],
    free: _Retellings | None,
) -> list[align.Candidate] | None:
    """The documents aligned in order as versions of one text, or ``None``
    when they are to be compared in free order."""
    sims, groups_a, groups_b = ordered.paragraph_scores(feats)
    if options.ordered is None and not mode.keeps_order(sims.score, lengths):
        return None
    cands = ordered.align_ordered(sims, feats, groups_a, groups_b)
    if (
        options.ordered is None
        and free is not None
        and not mode.sentences_correspond(cands, free.scores[0], feats)
    ):
        return None  # accounts telling one story in one order, in sentences of their own
    windows = (lambda: free.windows) if free is not None else None
    if options.ordered is None and mode.moves_material(runs, windows, feats, cands):
        return None
    return cands


def _load_tables() -> None:
    """While the other process segments the larger share: load the word
    vectors and the word frequencies."""
    from aligner import embed, lexicon

    lexicon.available()
    embed.load()


def _prepare(segs: list[Segmented]) -> None:
    """While the other process segments: work out what the documents
    segmented here contribute."""
    from aligner.features import prepare

    for seg in segs:
        prepare(seg)


MAX_CELLS = 4_000_000
"""Most sentence pairs scored densely (a 16 MB float matrix; a few are held
at once). Beyond it, e.g. a book against a book, only shared quotations are
searched, which costs time and memory linear in the documents."""
MAX_ORDERED_CELLS = 400_000_000
"""Most sentence pairs (about 20,000 sentences a side, 2 MB) for which two
texts of comparable length are still tried as versions of one text. Beyond
``MAX_CELLS`` their tf-idf rows are built paragraph by paragraph (a
sentence's row exists only inside its paragraph's sum), so memory grows with
the paragraphs and the vocabulary, not with the sentences."""


def _identical(docs: tuple[Document, Document], options: Options, clock: _Clock) -> Comparison:
    """The same text twice: every paragraph is its own version, all equal.

    Answered without segmenting, so that a file given twice (however large
    or repetitive) costs a scan of its paragraphs.
    """
    text = docs[0].text
    pairs = []
    for start, end in _blocks(text):
        op = DiffOp("equal", start, end, start, end)
        pairs.append(
            Pair(
                Span(0, start, end),
                Span(1, start, end),
                text[start:end],
                text[start:end],
                1.0,
                "version",
                (),
                (op,),
            )
        )
    clock.lap("align")
    keep = tuple(p for p in pairs if p.score >= options.min_score and p.kind in options.kinds)
    return Comparison(docs, keep, options, True, tuple(clock.laps))


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraphs of ``text`` without their surrounding blanks."""
    out = []
    for start, end in paragraph_spans(text):
        start, end = trimmed(text, start, end)
        if end > start:
            out.append((start, end))
    return out


def _pair(
    c: align.Candidate,
    seg_a: Segmented,
    seg_b: Segmented,
    feats: object,
) -> Pair:
    words_a = tuple(words_in(seg_a.words, *c.a))
    words_b = tuple(words_in(seg_b.words, *c.b))
    kind: Kind = c.kind  # type: ignore[assignment]
    diff = word_diff(words_a, words_b)
    if kind == "retelling" and _mostly_same_words(diff, words_a, words_b):
        # Told "in other words" that are mostly the same words: a quotation.
        kind = "quotation"
    return Pair(
        a=Span(0, *c.a),
        b=Span(1, *c.b),
        a_text=seg_a.doc.text[c.a[0] : c.a[1]],
        b_text=seg_b.doc.text[c.b[0] : c.b[1]],
        score=_score(c),
        kind=kind,
        evidence=find_evidence(words_a, words_b, feats, diff),  # type: ignore[arg-type]
        diff=diff,
    )


def _chained(pairs: list[Pair], seg_a: Segmented, seg_b: Segmented, feats: Features) -> list[Pair]:
    """The pairs, those that continue each other (``align.chain``) as one."""
    by_spans = {((p.a.start, p.a.end), (p.b.start, p.b.end)): p for p in pairs}
    cands = [align.Candidate(a, b, p.score, p.kind) for (a, b), p in by_spans.items()]
    return [
        by_spans.get((c.a, c.b)) or _pair(c, seg_a, seg_b, feats) for c in align.chain(cands, feats)
    ]


PASSING_CHARS = 80
"""A quotation shorter than this on either side may be a passing phrase."""
PASSING_AGREEMENT = 0.05
"""How much (``align.seeding_rank``) the sentences holding such a quotation
must agree."""


def _without_passing_phrases(
    pairs: list[Pair], scores: tuple[Matrix, Matrix], feats: Features
) -> list[Pair]:
    """Drop short quotations whose sentences tell different things.

    A few words both accounts use ("the cultural level of the masses", "the
    system of War Communism was", "with a loud voice, and said") in
    sentences that otherwise disagree are a turn of phrase, not a quotation.
    A short quotation joined into a longer pair (``_chained``) stays in it.
    """
    rank = None  # computed once, and only when a short quotation needs it
    out = []
    for p in pairs:
        if p.kind == "quotation" and min(len(p.a), len(p.b)) < PASSING_CHARS:
            rank = align.seeding_rank(*scores) if rank is None else rank
            rows = align.sentences_in(feats.segs[0], (p.a.start, p.a.end))
            cols = align.sentences_in(feats.segs[1], (p.b.start, p.b.end))
            agree = max((float(rank[i, j]) for i in rows for j in cols), default=1.0)
            if agree < PASSING_AGREEMENT:
                continue
        out.append(p)
    return out


def _score(c: align.Candidate) -> float:
    return round(min(max(c.score, 0.0), 1.0), 4)


def _drop_echoes(
    pairs: list[Pair], kept: list[align.Candidate], cands: list[align.Candidate]
) -> list[Pair]:
    """Drop retelling windows that turned out quotations around a quotation.

    Such a window is the tight quotation it holds plus the narration around
    it: as a second quotation it would only repeat the first. ``pairs`` are
    made from ``kept``, some of all the ``cands``.
    """
    found = [(c.a, c.b) for c in cands if c.kind == "quotation"]
    return [
        p
        for p, c in zip(pairs, kept, strict=True)
        if c.kind == "quotation"
        or p.kind != "quotation"
        or not any(align.overlaps(c.a, a) and align.overlaps(c.b, b) for a, b in found)
    ]


def _fold_nested(pairs: list[Pair]) -> list[Pair]:
    """Drop quotations that are a detail of a retelling on both sides.

    Such a quotation lies inside the retelling and makes up less than half of
    it on each side: the retelling shows the same words with the narration
    around them, and lists them as a shared phrase. Listed twice, one parallel
    would cost the reader two stops. A quotation that is most of a retelling
    on either side is the heart of it, and stays a pair of its own.
    """
    retellings = [p for p in pairs if p.kind == "retelling"]

    def detail(x: Span, y: Span) -> bool:
        inside = min(x.end, y.end) - max(x.start, y.start) >= NESTED_SHARE * len(x)
        return inside and len(x) < DETAIL_SHARE * len(y)

    return [
        p
        for p in pairs
        if p.kind != "quotation"
        or not any(detail(p.a, r.a) and detail(p.b, r.b) for r in retellings)
    ]


NESTED_SHARE = 0.8
"""Share of a quotation's characters, on each side, that a retelling must
cover for the quotation to be folded into it."""
DETAIL_SHARE = 0.5
"""A folded quotation is shorter than this share of the retelling, on each side."""

QUOTED_SHARE = 0.5
"""Share of the shorter passage's words that the diff finds equal, in order,
for a pair to count as a quotation rather than a retelling."""


def _mostly_same_words(
    diff: tuple[DiffOp, ...], words_a: tuple[Word, ...], words_b: tuple[Word, ...]
) -> bool:
    equal = equal_words(diff, words_a)
    return equal >= 8 and equal >= QUOTED_SHARE * min(len(words_a), len(words_b))


class _Clock:
    def __init__(self) -> None:
        self.laps: list[tuple[str, float]] = []
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps.append((name, round(now - self._t, 4)))
        self._t = now
