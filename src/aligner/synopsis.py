"""Synopsis of three or more accounts: groups of parallel passages.

``synopsis()`` runs the pairwise engine on every two documents and clusters
the pairs into groups, like the rows of a gospel synopsis: each group holds at
most one passage per document, and a document without the parallel is listed
as missing. Inside a group every member is diffed word by word against the
member of a base document, so the columns read as variants of one passage.

Clustering is greedy average-link over pairwise edges, strongest first (as
progressive multiple-sequence aligners do): a passage joins a group only when
it links, on average, to the group's members, so two unrelated events never
join just because each loosely shares a third passage. A weak pair (below the
reporting floor) can still join a group its partners support: that is how a
third account raises pairwise recall (``supported_pairs``).

This module never matches or scores passages itself: pairs come from
``aligner.compare`` and word differences from ``aligner.diff``.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import os
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from aligner import engine
from aligner.diff import word_diff
from aligner.documents import load_document
from aligner.model import (
    AlignerError,
    Comparison,
    DiffOp,
    Document,
    Evidence,
    Kind,
    Options,
    Pair,
    Span,
)
from aligner.segment import STOPWORDS, Segmented, Word, lending, segment, segment_all

Progress = Callable[[float], None]

GATHER_FLOOR = 0.3
"""Pairs down to this score are gathered as candidate edges: a weak pair may
join a group that other accounts support, but never forms a reported group
on its own."""
SAME_PASSAGE = 0.5
"""Two spans of one document are one passage when they share this share of
the shorter one (a tight quotation inside a retold sentence counts)."""
JOIN = 0.3
"""Least average link (best pair score, 0 when no pair) between a passage and
a group's members for it to join; the same between two groups to merge."""
MAX_GROWTH = 2.0
"""A member grows to the union of its overlapping spans only while the union
stays within this many times the longer of the two: no chain of overlaps may
stretch a member over a whole chapter."""


@dataclass(frozen=True, slots=True)
class Member:
    """One document's passage in a group."""

    doc: int
    """Index of the document in ``Synopsis.documents``."""
    start: int
    """First character, inclusive."""
    end: int
    """Last character, exclusive."""
    text: str
    """``documents[doc].text[start:end]``."""

    @property
    def span(self) -> Span:
        """The member as a ``Span``."""
        return Span(self.doc, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Group:
    """One parallel across documents: at most one passage per document."""

    members: tuple[Member, ...]
    """The passages, in order of document index (never two of one document)."""
    kind: Kind
    """``quotation`` when every pair inside is one, else ``retelling``
    (``version`` for ordered material)."""
    score: float
    """Confidence, 0.0-1.0: the best pair inside the group."""
    missing: tuple[int, ...]
    """Documents that lack the parallel."""
    diffs: tuple[tuple[DiffOp, ...], ...]
    """Per member, word opcodes from the base member (a) to it (b); empty for
    the base member itself and for every member when the base lacks the group."""
    pairs: tuple[Pair, ...] = ()
    """The pairwise pairs joining members (global document indices, ``a`` in
    the lower document), strongest first."""
    topic: tuple[str, ...] = ()
    """A few names, numbers and rare words the members share."""

    def member(self, doc: int) -> Member | None:
        """The member in document ``doc``, or ``None``."""
        return next((m for m in self.members if m.doc == doc), None)

    @property
    def docs(self) -> tuple[int, ...]:
        """The documents that have the parallel."""
        return tuple(m.doc for m in self.members)


@dataclass(frozen=True, slots=True)
class Synopsis:
    """All documents aligned together: pairwise comparisons and groups."""

    documents: tuple[Document, ...]
    """The documents, in the order given."""
    comparisons: tuple[Comparison, ...]
    """The pairwise comparisons, for document pairs (0, 1), (0, 2) ... (1, 2)
    ...; inside each, spans use the comparison's own doc indices 0 and 1
    (see ``comparison(i, j)`` for one in either order)."""
    groups: tuple[Group, ...]
    """Groups with two or more members at ``options.min_score`` or above, in
    order of position in the base document (groups it lacks come last)."""
    base: int = 0
    """The document every member is diffed against."""
    options: Options = Options()
    """The options used (``min_score`` is the reporting floor of groups)."""
    _segments: tuple[Segmented, ...] = field(default=(), compare=False, repr=False)
    """Segmentations kept for ``with_base`` (internal)."""

    def __iter__(self) -> Iterator[Group]:
        return iter(self.groups)

    def __len__(self) -> int:
        return len(self.groups)

    def doc_pairs(self) -> tuple[tuple[int, int], ...]:
        """The document pairs of ``comparisons``, in the same order."""
        return tuple(itertools.combinations(range(len(self.documents)), 2))

    def comparison(self, i: int, j: int) -> Comparison:
        """The pairwise comparison of documents ``i`` (as doc 0) and ``j`` (as doc 1)."""
        if i == j or not (0 <= i < len(self.documents) and 0 <= j < len(self.documents)):
            raise AlignerError(f"no comparison of documents {i} and {j}")
        c = self.comparisons[self.doc_pairs().index((min(i, j), max(i, j)))]
        if i < j:
            return c
        pairs = sorted((_flip(p) for p in c.pairs), key=lambda p: (p.a.start, p.b.start))
        return dataclasses.replace(
            c, documents=(c.documents[1], c.documents[0]), pairs=tuple(pairs)
        )

    def pairwise(self) -> Comparison:
        """Every pairwise pair in one ``Comparison`` over all documents."""
        pairs = [
            p
            for (i, j), c in zip(self.doc_pairs(), self.comparisons, strict=True)
            for p in _to_global(c.pairs, i, j)
        ]
        pairs.sort(key=lambda p: (p.a.doc, p.a.start, p.b.doc, p.b.start))
        return Comparison(self.documents, tuple(pairs), self.options)

    def with_base(self, base: int) -> Synopsis:
        """The same synopsis with members diffed against document ``base``."""
        _check_base(base, len(self.documents))
        words = _Words(self.documents, {id(seg.doc): seg for seg in self._segments})
        groups = tuple(
            dataclasses.replace(g, diffs=_diffs(g.members, base, words)) for g in self.groups
        )
        return dataclasses.replace(self, groups=_sorted(groups, base), base=base)

    def sorted_groups(self, by: Literal["position", "accounts"] = "position") -> tuple[Group, ...]:
        """The groups by position in the base document (their stored order), or
        by how many accounts share them (most first, then by position)."""
        if by == "position":
            return self.groups
        if by == "accounts":
            rank = {id(g): n for n, g in enumerate(self.groups)}
            return tuple(sorted(self.groups, key=lambda g: (-len(g.members), rank[id(g)])))
        raise AlignerError(f"cannot sort groups by {by!r}; choose position or accounts")

    def shown(self, group: Group, member: Member) -> Pair:
        """(base member, ``member``) as a ``Pair`` whose side ``b`` carries the marks
        reports show: for quotations the words the base lacks (from the diff),
        for retellings the content words shared with the base. Render it with
        ``render.mark_passage(pair, "b")``; unmarked when the member is the base
        or the base lacks the group."""
        words = _Words(self.documents, {id(seg.doc): seg for seg in self._segments})
        ops = group.diffs[group.members.index(member)]
        return _shown(group.member(self.base), member, ops, group.kind, words)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the comparison model over all documents, plus groups."""
        return _synopsis_dict(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The synopsis as JSON text."""
        from aligner.export import dumps

        return dumps(self.to_dict(), indent=indent)

    def to_markdown(self) -> str:
        """The synopsis as GitHub-flavoured Markdown."""
        return _synopsis_markdown(self)


# ---------------------------------------------------------------- the call


def synopsis(
    docs: Sequence[str | os.PathLike[str] | Document],
    *,
    options: Options | None = None,
    base: int = 0,
    progress: Progress | None = None,
    workers: int = 1,
) -> Synopsis:
    """Align ``docs`` together: every pairwise comparison, then groups.

    Args:
        docs: Two or more documents: paths, texts or loaded ``Document``s.
        options: Knobs of the comparisons; ``min_score`` is also the floor
            of the reported groups. Defaults to ``Options()``.
        base: The document every group member is diffed against.
        progress: Called with the share of work done, 0.0-1.0.
        workers: Processes comparing pairs, this one included (default 1).
            Two pay off only on an otherwise idle machine with two or more
            cores and a few hundred KB of text: a second process takes ~1.5 s
            to start, and on a busy machine the two only contend.

    Returns:
        The ``Synopsis``.

    Raises:
        AlignerError: fewer than two documents, or ``base`` out of range.
        DocumentError: a document cannot be read.
    """
    with engine.gc_paused():
        return _synopsis(docs, options or Options(), base, progress, workers)


def _synopsis(
    docs: Sequence[str | os.PathLike[str] | Document],
    options: Options,
    base: int,
    progress: Progress | None,
    workers: int,
) -> Synopsis:
    documents = tuple(load_document(d) for d in docs)
    if len(documents) < 2:
        raise AlignerError("a synopsis needs at least two documents")
    _check_base(base, len(documents))
    report = progress or (lambda _: None)
    report(0.0)
    gather = dataclasses.replace(options, min_score=min(options.min_score, GATHER_FLOOR))
    comparisons, segs = _pairwise(documents, gather, workers, report)
    edges = [
        p
        for (i, j), c in zip(_doc_pairs(documents), comparisons, strict=True)
        for p in _to_global(c.pairs, i, j)
    ]
    words = _Words(documents, segs)
    groups = build_groups(documents, edges, base=base, min_score=options.min_score, words=words)
    report(1.0)
    floor = tuple(_at_floor(c, options) for c in comparisons)
    return Synopsis(documents, floor, groups, base, options, words.table())


def _doc_pairs(documents: Sequence[Document]) -> list[tuple[int, int]]:
    return list(itertools.combinations(range(len(documents)), 2))


# A second process costs ~1.5 s to start (imports, word vectors): it takes
# no more than its share of the work, minus that much text.
PARALLEL_CHARS = 250_000


def _pairwise(
    documents: tuple[Document, ...], gather: Options, workers: int, report: Progress
) -> tuple[list[Comparison], dict[int, Segmented]]:
    """Compare every two documents, some pairs in a second process."""
    doc_pairs = _doc_pairs(documents)
    remote = _remote_share(documents, doc_pairs) if workers > 1 else []
    local = [p for p in doc_pairs if p not in remote]
    results: dict[tuple[int, int], Comparison] = {}
    pool, future = _start_remote(documents, remote, gather)
    try:
        segs = {id(d): seg for d, seg in zip(documents, segment_all(documents), strict=True)}
        with lending(segs.values()):
            for n, (i, j) in enumerate(local):
                results[(i, j)] = engine.compare(documents[i], documents[j], options=gather)
                report(0.9 * (n + 1) / len(doc_pairs))
            if future is not None:
                done = _remote_result(future, documents, remote, gather)
                for (i, j), c in zip(remote, done, strict=True):
                    # The worker's copies of the documents are equal: keep ours.
                    results[(i, j)] = dataclasses.replace(c, documents=(documents[i], documents[j]))
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
    report(0.95)
    return [results[p] for p in doc_pairs], segs


def _remote_share(
    documents: Sequence[Document], doc_pairs: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Pairs for the second process: greedy balance of an estimated cost."""
    size = [len(d.text) for d in documents]
    load = [0.0, float(PARALLEL_CHARS) / 2]  # the second process starts late
    remote = []
    for i, j in sorted(doc_pairs, key=lambda p: -(size[p[0]] + size[p[1]])):
        side = 0 if load[0] <= load[1] else 1
        load[side] += size[i] + size[j]
        if side:
            remote.append((i, j))
    return sorted(remote)


def _start_remote(
    documents: tuple[Document, ...], remote: list[tuple[int, int]], gather: Options
) -> tuple[Any, Any]:
    if not remote:
        return None, None
    import concurrent.futures
    import multiprocessing

    try:
        # spawn, not fork: the caller may be a threaded app (the TUI's worker).
        pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker
        )
        return pool, pool.submit(_compare_pairs, documents, remote, gather)
    except (OSError, RuntimeError):
        return None, None


def _remote_result(
    future: Any, documents: tuple[Document, ...], remote: list[tuple[int, int]], gather: Options
) -> list[Comparison]:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return list(future.result())
    except (BrokenProcessPool, OSError, RuntimeError):
        # No second process after all (killed, no spawn here): do it ourselves.
        return _compare_pairs(documents, remote, gather)


def _init_worker() -> None:
    # Two processes on two cores: a BLAS thread pool in each would only contend
    # (numpy is not imported yet in a fresh spawned process).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _compare_pairs(
    documents: tuple[Document, ...], doc_pairs: list[tuple[int, int]], options: Options
) -> list[Comparison]:
    """Compare the given pairs (runs in the second process, or as a fallback)."""
    needed = sorted({k for pair in doc_pairs for k in pair})
    with lending(segment_all([documents[k] for k in needed])):
        return [engine.compare(documents[i], documents[j], options=options) for i, j in doc_pairs]


def _check_base(base: int, n: int) -> None:
    if not 0 <= base < n:
        raise AlignerError(f"base must be a document index from 0 to {n - 1}, not {base}")


def _at_floor(c: Comparison, options: Options) -> Comparison:
    """``c`` as ``compare(..., options=options)`` would have returned it."""
    keep = tuple(p for p in c.pairs if p.score >= options.min_score)
    return dataclasses.replace(c, pairs=keep, options=options)


def _to_global(pairs: Sequence[Pair], i: int, j: int) -> list[Pair]:
    """Pairs of the comparison of documents ``i`` and ``j``, with their indices."""
    return [
        dataclasses.replace(p, a=Span(i, p.a.start, p.a.end), b=Span(j, p.b.start, p.b.end))
        for p in pairs
    ]


def _flip(p: Pair) -> Pair:
    s = p.swapped()
    return dataclasses.replace(s, a=Span(0, s.a.start, s.a.end), b=Span(1, s.b.start, s.b.end))


class _Words:
    """The words of each document, segmenting each at most once."""

    def __init__(self, documents: Sequence[Document], segs: dict[int, Segmented] | None = None):
        self.documents = documents
        self.segs = dict(segs or {})
        self.starts: dict[int, list[int]] = {}

    def inside(self, doc: int, start: int, end: int) -> tuple[Word, ...]:
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
        """The segmentations made so far (to hand to the next ``_Words``)."""
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
        if new != old:
            self.index.move(self, span.doc, old, new)
            self.spans[span.doc] = new


# Clusters are looked up by position: a grid of buckets per document keeps
# the lookup local (a scan of all clusters per pair would be quadratic).
_BUCKET = 2_000


class _Index:
    """Which clusters hold a span near a position, per document."""

    def __init__(self) -> None:
        self.buckets: dict[tuple[int, int], set[_Cluster]] = defaultdict(set)

    def move(
        self, c: _Cluster, doc: int, old: tuple[int, int] | None, new: tuple[int, int] | None
    ) -> None:
        if old is not None:
            for k in range(old[0] // _BUCKET, (old[1] - 1) // _BUCKET + 1):
                self.buckets[(doc, k)].discard(c)
        if new is not None:
            for k in range(new[0] // _BUCKET, (new[1] - 1) // _BUCKET + 1):
                self.buckets[(doc, k)].add(c)

    def near(self, span: Span) -> set[_Cluster]:
        out: set[_Cluster] = set()
        for k in range(span.start // _BUCKET, (span.end - 1) // _BUCKET + 1):
            out |= self.buckets.get((span.doc, k), set())
        return out

    def drop(self, c: _Cluster) -> None:
        for doc, span in c.spans.items():
            self.move(c, doc, span, None)


def _grown(old: tuple[int, int], new: tuple[int, int]) -> tuple[int, int]:
    union = (min(old[0], new[0]), max(old[1], new[1]))
    longest = max(old[1] - old[0], new[1] - new[0])
    return union if union[1] - union[0] <= MAX_GROWTH * longest else old


def _same(x: tuple[int, int], y: tuple[int, int]) -> float:
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
                if _same((p.a.start, p.a.end), x) >= SAME_PASSAGE
                and _same((p.b.start, p.b.end), y) >= SAME_PASSAGE
            ),
            default=0.0,
        )

    def average(self, left: dict[int, tuple[int, int]], right: dict[int, tuple[int, int]]) -> float:
        links = [self.link(i, x, j, y) for i, x in left.items() for j, y in right.items() if i != j]
        return sum(links) / len(links) if links else 0.0


def _find(index: _Index, span: Span) -> _Cluster | None:
    """The cluster whose member in ``span``'s document is the same passage."""
    best, share = None, SAME_PASSAGE
    # In creation order, so that set order never decides a tie (the newest wins).
    for c in sorted(index.near(span), key=lambda c: c.serial):
        if (s := _same(c.spans[span.doc], (span.start, span.end))) >= share:
            best, share = c, s
    return best


def _compatible(g: _Cluster, h: _Cluster) -> bool:
    """Two clusters may merge when every shared document holds one passage."""
    return all(_same(g.spans[d], h.spans[d]) >= SAME_PASSAGE for d in g.spans.keys() & h.spans)


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
            if (
                new.doc not in into.spans
                and graph.average(into.spans, {new.doc: (new.start, new.end)}) >= JOIN
            ):
                into.take(p.a)
                into.take(p.b)
                into.pairs.append(p)
    return clusters


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
    words: _Words | None = None,
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
    words = words or _Words(documents)
    edges = [p for p in pairs if p.a.doc != p.b.doc]
    out = []
    for c in _cluster(edges):
        if max(p.score for p in c.pairs) >= min_score:  # the group's score: diff only those kept
            out.append(_group(documents, c, base, words))
    return _sorted(tuple(out), base)


def _group(documents: Sequence[Document], c: _Cluster, base: int, words: _Words) -> Group:
    members = tuple(
        Member(d, s, e, documents[d].text[s:e]) for d, (s, e) in sorted(c.spans.items())
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
        diffs=_diffs(members, base, words),
        pairs=tuple(pairs),
        topic=_topic(pairs),
    )


def _diffs(members: Sequence[Member], base: int, words: _Words) -> tuple[tuple[DiffOp, ...], ...]:
    ref = next((m for m in members if m.doc == base), None)
    if ref is None:
        return tuple(() for _ in members)
    return tuple(() if m is ref else words.diff(ref.span, m.span) for m in members)


def _topic(pairs: Sequence[Pair], size: int = 4) -> tuple[str, ...]:
    weight: dict[str, float] = defaultdict(float)
    for p in pairs:
        for e in p.evidence:
            if e.kind in ("name", "number", "rare", "phrase"):
                weight[" ".join(e.term.split())] += e.weight * p.score
    if not weight:
        for p in pairs:
            for e in p.evidence:
                weight[" ".join(e.term.split())] += e.weight * p.score
    return tuple(sorted(weight, key=lambda t: (-weight[t], t))[:size])


def _sorted(groups: tuple[Group, ...], base: int) -> tuple[Group, ...]:
    def key(g: Group) -> tuple[int, int, int, int]:
        ref = g.member(base)
        first = g.members[0]
        return (0, ref.start, 0, 0) if ref else (1, first.doc, first.start, first.end)

    return tuple(sorted(groups, key=key))


# ------------------------------------------------------- triangulated pairs


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
        out[(i, j)] = _to_global(c.pairs, i, j)
    words = _Words(syn.documents, {id(seg.doc): seg for seg in syn._segments})
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
        _same((p.a.start, p.a.end), (mi.start, mi.end)) >= SAME_PASSAGE
        and _same((p.b.start, p.b.end), (mj.start, mj.end)) >= SAME_PASSAGE
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


def _inferred(documents: Sequence[Document], a: Span, b: Span, g: Group, words: _Words) -> Pair:
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


# ---------------------------------------------------------------- exports


def _synopsis_dict(syn: Synopsis) -> dict[str, Any]:
    from aligner.export import _op_dict, to_dict

    out = to_dict(syn.pairwise())
    out["base"] = syn.base
    out["groups"] = [
        {
            "kind": g.kind,
            "score": round(g.score, 4),
            "topic": list(g.topic),
            "missing": list(g.missing),
            "members": [
                {
                    "doc": m.doc,
                    "start": m.start,
                    "end": m.end,
                    "text": m.text,
                    "paragraph": syn.documents[m.doc].paragraph_number(m.start),
                    "diff": [_op_dict(op) for op in ops],
                }
                for m, ops in zip(g.members, g.diffs, strict=True)
            ],
        }
        for g in syn.groups
    ]
    return out


def _label(doc: int) -> str:
    """How the synopsis names document ``doc``: D1, D2 ..."""
    return f"D{doc + 1}"


def _synopsis_markdown(syn: Synopsis) -> str:
    from aligner.export import _md_name, escape_markdown

    docs = syn.documents
    lines = [f"# Synopsis of {len(docs)} accounts", ""]
    lines += ["| | Document | Characters | Groups |", "|---|---|--:|--:|"]
    for i, d in enumerate(docs):
        n = sum(1 for g in syn.groups if g.member(i))
        base = " (base)" if i == syn.base else ""
        lines.append(f"| {_label(i)} | {_md_name(d)}{base} | {len(d.text):,} | {n} |")
    lines.append("")
    if not syn.groups:
        return "\n".join(lines + ["No parallel passages found."]) + "\n"
    head = " | ".join(_label(i) for i in range(len(docs)))
    lines += [f"| # | Topic | Kind | Score | {head} |", "|--:|---|---|--:|" + "---|" * len(docs)]
    for n, g in enumerate(syn.groups, 1):
        where = " | ".join(
            f"¶ {docs[i].paragraph_number(m.start)}" if (m := g.member(i)) else "—"
            for i in range(len(docs))
        )
        topic = escape_markdown(", ".join(g.topic)) or "—"
        lines.append(f"| [{n}](#group-{n}) | {topic} | {g.kind} | {g.score:.2f} | {where} |")
    lines += ["", _legend(syn)]
    words = _Words(syn.documents, {id(seg.doc): seg for seg in syn._segments})
    sections = [_md_group(syn, n, g, words) for n, g in enumerate(syn.groups, 1)]
    return "\n\n".join(["\n".join(lines), *sections]) + "\n"


def _legend(syn: Synopsis) -> str:
    base = _label(syn.base)
    return (
        f"Differences are shown against the base account, {base}: in quotations **bold** "
        f"words are not in {base}'s passage; in retellings **bold** marks the content words "
        f"shared with it."
    )


def _md_group(syn: Synopsis, n: int, g: Group, words: _Words) -> str:
    from aligner.export import _md_name, _md_quote, escape_markdown

    title = escape_markdown(", ".join(g.topic)) or g.kind
    lines = [f"## Group {n}", "", f"{g.kind.capitalize()} (score {g.score:.2f}): {title}", ""]
    ref = g.member(syn.base)
    for m, ops in zip(g.members, g.diffs, strict=True):
        doc = syn.documents[m.doc]
        base = " · base" if m.doc == syn.base else ""
        lines.append(
            f"**{_label(m.doc)}** · {_md_name(doc)} · ¶ {doc.paragraph_number(m.start)}"
            f" · characters {m.start:,}–{m.end:,}{base}"
        )
        lines += ["", _md_quote(_shown(ref, m, ops, g.kind, words), "b"), ""]
    if g.missing:
        lines.append(
            "Not in: " + ", ".join(f"{_label(d)} ({_md_name(syn.documents[d])})" for d in g.missing)
        )
    return "\n".join(lines).rstrip()


def _shown(
    ref: Member | None, m: Member, ops: tuple[DiffOp, ...], kind: Kind, words: _Words
) -> Pair:
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
