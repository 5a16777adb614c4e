"""Synopsis of three or more accounts: groups of parallel passages.

``synopsis()`` runs the pairwise engine on every two documents (some pairs in
a second process) and hands the pairs to ``grouping``, which clusters them
into groups, like the rows of a gospel synopsis: each group holds at most one
passage per document, and a document without the parallel is listed as
missing. Inside a group every member is diffed word by word against the
member of a base document, so the columns read as variants of one passage.

Pairs are gathered below the reporting floor (``GATHER_FLOOR``): a weak pair
can still join a group its partners support, which is how a third account
raises pairwise recall (``triangulate.supported_pairs``).

This module runs and holds; it never matches, scores or clusters passages.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from aligner import engine
from aligner.documents import load_document
from aligner.grouping import Words, build_groups, member_diffs, shown, sort_groups, to_global
from aligner.model import (
    AlignerError,
    Comparison,
    Document,
    Group,
    Kind,
    Member,
    Options,
    Pair,
    Span,
)
from aligner.parallel import segment_all
from aligner.segment import Segmented, lending

Progress = Callable[[float], None]

GATHER_FLOOR = 0.2
"""Pairs down to this score are gathered as candidate edges: a weak pair may
join a group that other accounts support, but never forms a reported group
on its own. It counts as a link too: where an account's passage pairs well
with one member of a group and weakly with the others, that weak pair is what
brings its average link up to ``grouping.JOIN`` (stop 21: the Berlin wire
report's Schabowski passage, 0.57 with the chapter and 0.25 with the memoir;
at 0.3 it stayed out)."""


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
        pairs = sorted((p.mirrored() for p in c.pairs), key=lambda p: (p.a.start, p.b.start))
        return dataclasses.replace(
            c, documents=(c.documents[1], c.documents[0]), pairs=tuple(pairs)
        )

    def pairwise(self) -> Comparison:
        """Every pairwise pair in one ``Comparison`` over all documents."""
        pairs = [
            p
            for (i, j), c in zip(self.doc_pairs(), self.comparisons, strict=True)
            for p in to_global(c.pairs, i, j)
        ]
        pairs.sort(key=lambda p: (p.a.doc, p.a.start, p.b.doc, p.b.start))
        return Comparison(self.documents, tuple(pairs), self.options)

    def words(self) -> Words:
        """The documents' words, reusing the segmentations the synopsis made."""
        return Words(self.documents, {id(seg.doc): seg for seg in self._segments})

    def with_base(self, base: int) -> Synopsis:
        """The same synopsis with members diffed against document ``base``."""
        _check_base(base, len(self.documents))
        words = self.words()
        groups = tuple(
            dataclasses.replace(g, diffs=member_diffs(g.members, base, words)) for g in self.groups
        )
        return dataclasses.replace(self, groups=sort_groups(groups, base), base=base)

    def with_member(self, group: Group, doc: int, start: int, end: int) -> Synopsis:
        """The reader's correction: ``group`` with document ``doc``'s passage
        ``[start, end)`` as its member there (added, or in place of the one it
        has), marked ``by_hand`` and diffed against the base.

        Raises:
            AlignerError: ``group`` is not one of ``groups``, ``doc`` is not a
                document, or the span is empty, blank or outside its text.
        """
        n = self._index_of(group)
        added = self._member(doc, start, end)
        members = tuple(sorted((*(m for m in group.members if m.doc != doc), added), key=_doc))
        return self._with_group(n, members)

    def with_group(
        self, spans: Sequence[Span], *, kind: Kind = "retelling", score: float = 0.0
    ) -> Synopsis:
        """The reader's correction: a new group of ``spans`` (two or more, in
        different documents), each member ``by_hand``, diffed against the base;
        ``score`` is what the reader gives it (e.g. a look-up's similarity).

        Raises:
            AlignerError: fewer than two documents, or a span that is no passage.
        """
        if len({s.doc for s in spans}) != len(spans) or len(spans) < 2:
            raise AlignerError("a group holds passages of two or more documents, one each")
        members = tuple(sorted((self._member(s.doc, s.start, s.end) for s in spans), key=_doc))
        held = {m.doc for m in members}
        words = self.words()
        group = Group(
            members,
            kind,
            score,
            tuple(d for d in range(len(self.documents)) if d not in held),
            member_diffs(members, self.base, words),
        )
        return dataclasses.replace(self, groups=sort_groups((*self.groups, group), self.base))

    def _member(self, doc: int, start: int, end: int) -> Member:
        """A passage the reader gives, checked."""
        if not 0 <= doc < len(self.documents):
            raise AlignerError(f"no document {doc}: the synopsis has {len(self.documents)}")
        text = self.documents[doc].text
        if not 0 <= start < end <= len(text):
            raise AlignerError(
                f"characters {start}-{end} are not a passage of {self.documents[doc].name}"
                f" ({len(text):,} characters)"
            )
        if not text[start:end].strip():
            raise AlignerError(f"characters {start}-{end} of {self.documents[doc].name} are blank")
        return Member(doc, start, end, text[start:end], by_hand=True)

    def without_member(self, group: Group, doc: int) -> Synopsis:
        """The reader's correction: ``group`` without its passage in document
        ``doc``; a group left with one passage is no group and goes.

        Raises:
            AlignerError: ``group`` is not one of ``groups`` or has no passage in ``doc``.
        """
        n = self._index_of(group)
        if group.member(doc) is None:
            raise AlignerError(f"the group has no passage in document {doc}")
        members = tuple(m for m in group.members if m.doc != doc)
        if len(members) < 2:
            return dataclasses.replace(self, groups=self.groups[:n] + self.groups[n + 1 :])
        return self._with_group(n, members)

    def _index_of(self, group: Group) -> int:
        for n, g in enumerate(self.groups):
            if g is group:
                return n
        for n, g in enumerate(self.groups):
            if g == group:
                return n
        raise AlignerError("not a group of this synopsis (a synopsis changed since?)")

    def _with_group(self, n: int, members: tuple[Member, ...]) -> Synopsis:
        """Group ``n`` with ``members``: its missing documents, diffs and
        pairs follow (the engine's pairs between the members it still has);
        its kind, score and topic stay (it stays in view at the same floor)."""
        words = self.words()
        held = {m.doc for m in members}
        old = self.groups[n]
        kept = {m.doc for m in members if m in old.members}
        pairs = tuple(p for p in old.pairs if {p.a.doc, p.b.doc} <= kept)
        group = dataclasses.replace(
            old,
            members=members,
            pairs=pairs,
            missing=tuple(d for d in range(len(self.documents)) if d not in held),
            diffs=member_diffs(members, self.base, words),
        )
        groups = (*self.groups[:n], group, *self.groups[n + 1 :])
        return dataclasses.replace(self, groups=sort_groups(groups, self.base))

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
        words = self.words()
        ops = group.diffs[group.members.index(member)]
        return shown(group.member(self.base), member, ops, group.kind, words)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the comparison model over all documents, plus groups."""
        from aligner.synopsis_report import synopsis_dict

        return synopsis_dict(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The synopsis as JSON text."""
        from aligner.export import dumps

        return dumps(self.to_dict(), indent=indent)

    def to_markdown(self) -> str:
        """The synopsis as GitHub-flavoured Markdown."""
        from aligner.synopsis_report import synopsis_markdown

        return synopsis_markdown(self)


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
        for p in to_global(c.pairs, i, j)
    ]
    words = Words(documents, segs)
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


def _doc(m: Member) -> int:
    return m.doc
