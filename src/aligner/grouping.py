"""Groups of parallel passages across documents, from pairwise pairs.

``build_groups`` clusters pairs (each joining passages of two documents) into
groups holding at most one passage per document, like the rows of a gospel
synopsis. Clustering is greedy average-link over the pairs, strongest first
(as progressive multiple-sequence aligners do): a passage joins a group only
when it links, on average, to the group's members, so two unrelated events
never join just because each loosely shares a third passage.

This module groups and marks passages; it never matches or scores them:
pairs come from ``aligner.compare`` and word differences from
``aligner.diff``.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections import defaultdict
from collections.abc import Sequence

from aligner.diff import word_diff
from aligner.documents import trimmed
from aligner.model import DiffOp, Document, Evidence, Group, Kind, Member, Pair, Span
from aligner.segment import STOPWORDS, Segmented, Word, segment
from aligner.spanindex import SpanIndex

SAME_PASSAGE = 0.5
"""Two spans of one document are one passage when they share this share of
the shorter one (a tight quotation inside a retold sentence counts)."""
JOIN = 0.3
"""Least average link (best pair score, 0 when no pair) between a passage and
a group's members for it to join; the same between two groups to merge."""
BETTER_BY = 0.03
"""A passage takes the place of its document's member in a group when it
links to the group's other members this much better on average (a score is
no finer than that: nearer, the member held stays)."""
MAX_GROWTH = 2.0
"""A member grows to the union of its overlapping spans only while the union
stays within this many times the longer of the two: no chain of overlaps may
stretch a member over a whole chapter."""


def to_global(pairs: Sequence[Pair], i: int, j: int) -> list[Pair]:
    """Pairs of the comparison of documents ``i`` and ``j``, with their indices."""
    return [p.in_documents(i, j) for p in pairs]


class Words:
    """The words of each document, segmenting each at most once."""

    def __init__(self, documents: Sequence[Document], segs: dict[int, Segmented] | None = None):
        self.documents = documents
        self.segs = dict(segs or {})
        self.starts: dict[int, list[int]] = {}

    def inside(self, doc: int, start: int, end: int) -> tuple[Word, ...]:
        """The whole words of document ``doc`` inside ``[start, end)``."""
        d = self.documents[doc]
        seg = self.segs.get(id(d))
        if seg is None:
            seg = self.segs[id(d)] = segment(d)
        starts = self.starts.get(doc)
        if starts is None:
            starts = self.starts[doc] = [w.start for w in seg.words]
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        while hi > lo and seg.words[hi - 1].end > end:
            hi -= 1  # a span cutting a word in two keeps only whole words
        return seg.words[lo:hi]

    def diff(self, a: Span, b: Span) -> tuple[DiffOp, ...]:
        """Word opcodes from span ``a`` to span ``b``, every range inside its span."""
        ops = word_diff(self.inside(a.doc, a.start, a.end), self.inside(b.doc, b.start, b.end))
        # A side without whole words gets its empty ranges at offset 0: pin them
        # to the span instead.
        return tuple(
            dataclasses.replace(
                op,
                a_start=min(max(op.a_start, a.start), a.end),
                a_end=min(max(op.a_end, a.start), a.end),
                b_start=min(max(op.b_start, b.start), b.end),
                b_end=min(max(op.b_end, b.start), b.end),
            )
            for op in ops
        )

    def table(self) -> tuple[Segmented, ...]:
        """The segmentations made so far (to hand to the next ``Words``)."""
        return tuple(self.segs.values())


# ---------------------------------------------------------------- clustering


class _Cluster:
    """A group being built: one span per document and the pairs inside."""

    def __init__(self, pair: Pair, index: _Index, serial: int) -> None:
        self.spans: dict[int, tuple[int, int]] = {}
        self.pairs: list[Pair] = [pair]
        self.index = index
        self.serial = serial
        """Creation order, for deterministic ties."""
        self.take(pair.a)
        self.take(pair.b)

    def take(self, span: Span) -> None:
        old = self.spans.get(span.doc)
        new = _grown(old, (span.start, span.end)) if old else (span.start, span.end)
        if old is not None and new != old:
            new = self._clipped(span.doc, old, new)
        if new != old:
            self.index.move(self, span.doc, old, new)
            self.spans[span.doc] = new

    def replace(self, span: Span) -> None:
        """``span`` in place of the member of its document, and without the
        pairs that joined that member."""
        old = self.spans[span.doc]
        new = (span.start, span.end)
        self.index.move(self, span.doc, old, new)
        self.spans[span.doc] = new
        gone = Span(span.doc, *old)
        self.pairs = [q for q in self.pairs if not (gone.overlaps(q.a) or gone.overlaps(q.b))]

    def _clipped(self, doc: int, old: tuple[int, int], new: tuple[int, int]) -> tuple[int, int]:
        """``new`` (this member grown from ``old``) without another group's
        retelling member that growing swallowed at either end: one sentence
        belongs to one parallel ("Lenin's death was a blow" before "the
        Testament was suppressed" told in one passage of a pair). A
        quotation inside a retelling stays inside it."""
        for other in sorted(self.index.near(Span(doc, *new)), key=lambda c: c.serial):
            held = other.spans[doc]
            inside = new[0] <= held[0] < held[1] <= new[1]
            had = held[0] < old[1] and old[0] < held[1]  # overlapped before growing
            quoted = all(p.kind == "quotation" for p in other.pairs)
            if other is self or not inside or had or quoted:
                continue
            if held[0] == new[0]:
                new = (held[1], new[1])
            elif held[1] == new[1]:
                new = (new[0], held[0])
        return new


class _Index:
    """Which clusters hold a span near a position, per document."""

    def __init__(self) -> None:
        self.spans: SpanIndex[_Cluster] = SpanIndex()

    def move(
        self, c: _Cluster, doc: int, old: tuple[int, int] | None, new: tuple[int, int] | None
    ) -> None:
        if old is not None:
            self.spans.discard(c, doc, old)
        if new is not None:
            self.spans.add(c, doc, new)

    def near(self, span: Span) -> set[_Cluster]:
        return self.spans.near(span.doc, (span.start, span.end))

    def drop(self, c: _Cluster) -> None:
        for doc, span in c.spans.items():
            self.move(c, doc, span, None)


def _grown(old: tuple[int, int], new: tuple[int, int]) -> tuple[int, int]:
    union = (min(old[0], new[0]), max(old[1], new[1]))
    longest = max(old[1] - old[0], new[1] - new[0])
    return union if union[1] - union[0] <= MAX_GROWTH * longest else old


def overlap_share(x: tuple[int, int], y: tuple[int, int]) -> float:
    """Shared share of the shorter span, 0.0-1.0."""
    inter = min(x[1], y[1]) - max(x[0], y[0])
    shorter = min(x[1] - x[0], y[1] - y[0])
    return inter / shorter if inter > 0 and shorter > 0 else 0.0


class _Graph:
    """Pairwise edges by document pair, to look up links between passages."""

    def __init__(self, edges: Sequence[Pair]) -> None:
        self.by_docs: dict[tuple[int, int], list[Pair]] = defaultdict(list)
        for p in edges:
            self.by_docs[(p.a.doc, p.b.doc)].append(p)
            self.by_docs[(p.b.doc, p.a.doc)].append(p.swapped())

    def link(self, i: int, x: tuple[int, int], j: int, y: tuple[int, int]) -> float:
        """Best score of a pair joining passage ``x`` of doc ``i`` and ``y`` of doc ``j``."""
        return max(
            (
                p.score
                for p in self.by_docs.get((i, j), ())
                if overlap_share((p.a.start, p.a.end), x) >= SAME_PASSAGE
                and overlap_share((p.b.start, p.b.end), y) >= SAME_PASSAGE
            ),
            default=0.0,
        )

    def average(self, left: dict[int, tuple[int, int]], right: dict[int, tuple[int, int]]) -> float:
        links = [self.link(i, x, j, y) for i, x in left.items() for j, y in right.items() if i != j]
        return sum(links) / len(links) if links else 0.0


def _find(index: _Index, span: Span) -> _Cluster | None:
    """The cluster whose member in ``span``'s document is the same passage:
    of those sharing ``SAME_PASSAGE`` of the shorter, the one sharing the
    most text (a one-sentence member inside the span is not it when another
    holds most of the span)."""
    best, most = None, 0
    # In creation order, so that set order never decides a tie (the newest wins).
    for c in sorted(index.near(span), key=lambda c: c.serial):
        member = c.spans[span.doc]
        if overlap_share(member, (span.start, span.end)) < SAME_PASSAGE:
            continue
        shared = min(member[1], span.end) - max(member[0], span.start)
        if shared >= most:
            best, most = c, shared
    return best


def _compatible(g: _Cluster, h: _Cluster) -> bool:
    """Two clusters may merge when every shared document holds one passage."""
    return all(
        overlap_share(g.spans[d], h.spans[d]) >= SAME_PASSAGE for d in g.spans.keys() & h.spans
    )


def _cluster(edges: Sequence[Pair]) -> list[_Cluster]:
    """Greedy average-link clustering of ``edges``, strongest first."""
    graph = _Graph(edges)
    index = _Index()
    clusters: list[_Cluster] = []
    serials = itertools.count()
    order = sorted(edges, key=lambda p: (-p.score, p.a.doc, p.a.start, p.b.doc, p.b.start))
    for p in order:
        cu, cv = _find(index, p.a), _find(index, p.b)
        if cu is None and cv is None:
            clusters.append(_Cluster(p, index, serial=next(serials)))
        elif cu is not None and cv is not None:
            if cu is cv:
                cu.take(p.a)
                cu.take(p.b)
                cu.pairs.append(p)
            elif _compatible(cu, cv) and graph.average(cu.spans, cv.spans) >= JOIN:
                index.drop(cv)
                _merge(cu, cv, p)
                clusters.remove(cv)
        else:
            into, new = (cu, p.b) if cu is not None else (cv, p.a)
            assert into is not None
            if new.doc not in into.spans:
                if graph.average(into.spans, {new.doc: (new.start, new.end)}) >= JOIN:
                    into.take(p.a)
                    into.take(p.b)
                    into.pairs.append(p)
            elif _links_better(graph, into, new):
                into.replace(new)
                into.take(p.a)
                into.take(p.b)
                into.pairs.append(p)
    return clusters


def _links_better(graph: _Graph, c: _Cluster, span: Span) -> bool:
    """Whether ``span``, of a document ``c`` already holds a passage of,
    links to ``c``'s other members ``BETTER_BY`` better on average than that
    passage does (in a group of three or more, where "other members" are
    more than the one pair that brought the passage in)."""
    held, place = c.spans[span.doc], (span.start, span.end)
    if len(c.spans) < 3 or overlap_share(held, place) > 0:
        return False
    others = {d: s for d, s in c.spans.items() if d != span.doc}
    mine = graph.average(others, {span.doc: place})
    return mine >= JOIN and mine >= graph.average(others, {span.doc: held}) + BETTER_BY


def _merge(into: _Cluster, other: _Cluster, p: Pair) -> None:
    for doc, span in other.spans.items():
        into.take(Span(doc, *span))
    into.take(p.a)
    into.take(p.b)
    into.pairs += other.pairs + [p]


def build_groups(
    documents: Sequence[Document],
    pairs: Sequence[Pair],
    *,
    base: int = 0,
    min_score: float = 0.5,
    words: Words | None = None,
) -> tuple[Group, ...]:
    """Cluster pairwise ``pairs`` (global document indices) into groups.

    Args:
        documents: All documents; ``Pair.a.doc``/``b.doc`` index them.
        pairs: Candidate pairs between two different documents, any score.
        base: The document members are diffed against.
        min_score: Groups scoring below this are dropped.
        words: Segmentations to reuse (internal).

    Returns:
        Groups of two or more members, in order of position in ``base``.
    """
    words = words or Words(documents)
    edges = [p for p in pairs if p.a.doc != p.b.doc]
    out = []
    for c in _cluster(edges):
        if max(p.score for p in c.pairs) >= min_score:  # the group's score: diff only those kept
            out.append(_group(documents, c, base, words))
    return sort_groups(tuple(out), base)


def _group(documents: Sequence[Document], c: _Cluster, base: int, words: Words) -> Group:
    members = tuple(
        Member(d, s, e, documents[d].text[s:e])
        for d, (s, e) in sorted(
            (d, _trimmed(documents[d].text, span)) for d, span in c.spans.items()
        )
    )
    pairs = sorted(
        (p if p.a.doc < p.b.doc else p.swapped() for p in c.pairs),
        key=lambda p: (-p.score, p.a.doc, p.b.doc),
    )
    kinds = {p.kind for p in pairs}
    kind: Kind = (
        "quotation"
        if kinds == {"quotation"}
        else ("version" if "version" in kinds and "retelling" not in kinds else "retelling")
    )
    return Group(
        members=members,
        kind=kind,
        score=round(max(p.score for p in pairs), 4),
        missing=tuple(d for d in range(len(documents)) if d not in c.spans),
        diffs=member_diffs(members, base, words),
        pairs=tuple(pairs),
        topic=_topic(pairs),
    )


def _trimmed(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` without the blanks at its ends (where clipping left them),
    unless it holds nothing else."""
    start, end = trimmed(text, *span)
    return (start, end) if end > start else span


def member_diffs(
    members: Sequence[Member], base: int, words: Words
) -> tuple[tuple[DiffOp, ...], ...]:
    """Per member, word opcodes from the base document's member to it; all
    empty when the base document lacks the group."""
    ref = next((m for m in members if m.doc == base), None)
    if ref is None:
        return tuple(() for _ in members)
    return tuple(() if m is ref else words.diff(ref.span, m.span) for m in members)


def _topic(pairs: Sequence[Pair], size: int = 4) -> tuple[str, ...]:
    weight: dict[str, float] = defaultdict(float)
    for p in pairs:
        for e in p.evidence:
            if e.kind in ("name", "date", "number", "rare", "phrase"):
                weight[" ".join(e.term.split())] += e.weight * p.score
    if not weight:
        for p in pairs:
            for e in p.evidence:
                weight[" ".join(e.term.split())] += e.weight * p.score
    topic: list[str] = []
    for term in sorted(weight, key=lambda t: (-weight[t], t)):
        # Two accounts may spell one name two ways (Beelzebub, Beelzeboul): once.
        if any(_spellings(term, t) for t in topic):
            continue
        # A word of a phrase already listed adds nothing; a phrase takes the
        # place of the words of it listed before ("narrow", "horizon" and
        # "The narrow horizon of bourgeois": the phrase alone).
        words = _words(term)
        if any(words <= _words(t) for t in topic):
            continue
        inside = [k for k, t in enumerate(topic) if _words(t) <= words]
        if inside:
            topic[inside[0]] = term
            topic = [t for k, t in enumerate(topic) if k not in inside[1:]]
        else:
            topic.append(term)
        if len(topic) == size:
            break
    return tuple(topic)


def _words(term: str) -> set[str]:
    """The words of a topic term, case-folded, without the "…" of a cut phrase."""
    return {w for w in re.findall(r"\w+(?:['’]\w+)*", term.casefold())}


def _spellings(x: str, y: str) -> bool:
    """Whether ``x`` and ``y`` are one name spelled two ways (as ``features`` pairs them)."""
    from rapidfuzz import fuzz

    from aligner.features import VARIANT_LEN, VARIANT_RATIO

    return (
        x[:1].casefold() == y[:1].casefold()
        and min(len(x), len(y)) >= VARIANT_LEN
        and fuzz.ratio(x.casefold(), y.casefold()) >= VARIANT_RATIO
    )


def sort_groups(groups: tuple[Group, ...], base: int) -> tuple[Group, ...]:
    """By position in the base document; groups it lacks last, by their first member."""

    def key(g: Group) -> tuple[int, int, int, int]:
        ref = g.member(base)
        first = g.members[0]
        return (0, ref.start, 0, 0) if ref else (1, first.doc, first.start, first.end)

    return tuple(sorted(groups, key=key))


def shown(ref: Member | None, m: Member, ops: tuple[DiffOp, ...], kind: Kind, words: Words) -> Pair:
    """A pair (base member, member) whose side b renders ``m`` with its marks.

    Quotations mark what the member has that the base lacks (from the diff);
    retellings mark the content words both use, in any order (stop words would be
    noise).
    """
    a = ref or m
    if ref is None or ref is m:
        ops, kind = (), "retelling"  # nothing to compare with: no marks
    stems = {w.stem for w in words.inside(a.doc, a.start, a.end)} if ops else set()
    shared = tuple(
        Evidence("word", "", 0.0, (), ((w.start, w.end),))
        for w in words.inside(m.doc, m.start, m.end)
        if w.stem in stems and w.norm not in STOPWORDS and len(w.norm) > 2
    )
    return Pair(
        a.span,
        m.span,
        a.text,
        m.text,
        0.0,
        kind,
        evidence=shared if kind == "retelling" else (),
        diff=ops,
    )
