"""The result model: frozen dataclasses shared by the engine and every front end.

Nothing here computes an alignment; this module only describes one. All
positions are half-open ``[start, end)`` Python ``str`` offsets into the
*original* text of a document, as ``Path.read_text()`` returns it.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["quotation", "retelling", "version"]
"""What a pair is: a shared quotation, the same event told in other words, or
the corresponding passages of two versions of one text (ordered mode)."""

Tag = Literal["equal", "replace", "insert", "delete"]
"""difflib's opcode vocabulary."""

EvidenceKind = Literal["phrase", "name", "date", "number", "rare", "word"]

KINDS: tuple[Kind, ...] = ("quotation", "retelling", "version")

SortKey = Literal["a", "b", "score", "changed"]
"""An order of pairs: by position in document a, in b, by score (highest
first), or most changed first (quotations and versions by the share of their
wording that differs; retellings, told in other words, after them)."""
SORT_KEYS: tuple[SortKey, ...] = ("a", "b", "score", "changed")


class AlignerError(Exception):
    """Base class of every error the engine raises on purpose."""


class DocumentError(AlignerError):
    """A document could not be read or decoded."""


class OptionsError(AlignerError):
    """An option has a value the engine cannot use."""


@dataclass(frozen=True, slots=True)
class Document:
    """One text to compare, with its original characters untouched."""

    text: str
    """The full text, exactly as read (offsets index into this)."""
    name: str
    """A short display name (the file name without folders)."""
    path: str | None = None
    """Where it was read from, or ``None`` for text given directly."""
    encoding: str = "utf-8"
    """The encoding the bytes were decoded with."""
    paragraph_starts: tuple[int, ...] = field(default=(), compare=False, repr=False)
    """Offsets where paragraphs start (filled by ``documents.make_document``)."""

    def __len__(self) -> int:
        return len(self.text)

    def paragraph_number(self, offset: int) -> int:
        """Return the 1-based number of the paragraph holding ``offset``."""
        if not self.paragraph_starts:
            return 1
        return max(1, bisect.bisect_right(self.paragraph_starts, offset))

    def paragraph_range(self, start: int, end: int) -> tuple[int, int]:
        """The 1-based numbers of the first and last paragraphs ``[start, end)`` lies in."""
        first = self.paragraph_number(start)
        return first, max(first, self.paragraph_number(end - 1))

    def paragraph_label(self, start: int, end: int) -> str:
        """The paragraphs ``[start, end)`` lies in: "12", or "12–14" across several."""
        first, last = self.paragraph_range(start, end)
        return str(first) if last == first else f"{first}–{last}"


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of one document."""

    doc: int
    """Index of the document in ``Comparison.documents``."""
    start: int
    """First character, inclusive."""
    end: int
    """Last character, exclusive."""

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """True when both spans are in one document and share a character."""
        return self.doc == other.doc and self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One opcode of a word-level diff between the two sides of a pair.

    Offsets are absolute offsets into the documents, like every span.
    An ``insert`` has an empty a-range, a ``delete`` an empty b-range.
    """

    tag: Tag
    """``equal``, ``replace``, ``insert`` or ``delete``."""
    a_start: int
    """Start of the range in document a."""
    a_end: int
    """End of the range in document a."""
    b_start: int
    """Start of the range in document b."""
    b_end: int
    """End of the range in document b."""
    chars: tuple[DiffOp, ...] = ()
    """Character-level opcodes when a ``replace`` swaps spelling variants."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """Something both passages share that explains why they were paired."""

    kind: EvidenceKind
    """``phrase`` (a run of shared words), ``name``, ``date`` (a month or day
    of the week, with the day and year both give: "December 25"), ``number``,
    ``rare`` word or ``word``."""
    term: str
    """The shared item as it reads in passage a."""
    weight: float
    """How much it counted, 0.0-1.0 (rarer items weigh more)."""
    a: tuple[tuple[int, int], ...]
    """Where it occurs in passage a (absolute offsets)."""
    b: tuple[tuple[int, int], ...]
    """Where it occurs in passage b (absolute offsets)."""


@dataclass(frozen=True, slots=True)
class Pair:
    """Two parallel passages, one in each of two documents."""

    a: Span
    """The passage in the first document."""
    b: Span
    """The passage in the second document."""
    a_text: str
    """``documents[a.doc].text[a.start:a.end]``."""
    b_text: str
    """``documents[b.doc].text[b.start:b.end]``."""
    score: float
    """Confidence, 0.0-1.0."""
    kind: Kind
    """``quotation``, ``retelling`` or ``version``."""
    evidence: tuple[Evidence, ...] = ()
    """What the passages share, strongest first."""
    diff: tuple[DiffOp, ...] = ()
    """Word-level opcodes from a to b, covering both passages."""
    by_hand: bool = False
    """Given by the reader (``Comparison.with_pair``), not found by the engine:
    its score is then the look-up's similarity, not the engine's confidence."""

    @property
    def changed(self) -> float:
        """Share of the wording the diff marks as changed, 0.0-1.0.

        The characters of deleted, inserted and replaced words on both sides
        (of a spelling variant, only its changed letters) over the characters
        of all words: 0.0 for the same wording, near 1.0
        for passages that share no words. It says how far a quotation or a
        version departs from the other side; retellings, told in other
        words, are mostly changed by nature. 0.0 for a pair without a diff.
        """
        total = same = 0
        for op in self.diff:
            total += op.a_end - op.a_start + op.b_end - op.b_start
            # A spelling variant ("colour" / "color") differs by its letters only.
            for part in op.chars or (op,):
                if part.tag == "equal":
                    same += part.a_end - part.a_start + part.b_end - part.b_start
        return 1.0 - same / total if total else 0.0

    def swapped(self) -> Pair:
        """The same pair seen from document b."""
        return Pair(
            a=self.b,
            b=self.a,
            a_text=self.b_text,
            b_text=self.a_text,
            score=self.score,
            kind=self.kind,
            evidence=tuple(Evidence(e.kind, e.term, e.weight, e.b, e.a) for e in self.evidence),
            diff=tuple(_swap_op(op) for op in self.diff),
            by_hand=self.by_hand,
        )

    def mirrored(self) -> Pair:
        """The same pair in the comparison of the two documents the other way
        round: ``swapped``, with document indices 0 and 1."""
        return self.swapped().in_documents(0, 1)

    def in_documents(self, a: int, b: int) -> Pair:
        """The same pair with its passages numbered as documents ``a`` and
        ``b`` of another list (a synopsis's, or a comparison's 0 and 1)."""
        return dataclasses.replace(
            self, a=Span(a, self.a.start, self.a.end), b=Span(b, self.b.start, self.b.end)
        )


def _swap_op(op: DiffOp) -> DiffOp:
    tag: Tag = {"insert": "delete", "delete": "insert"}.get(op.tag, op.tag)  # type: ignore[assignment]
    return DiffOp(
        tag, op.b_start, op.b_end, op.a_start, op.a_end, tuple(_swap_op(c) for c in op.chars)
    )


@dataclass(frozen=True, slots=True)
class Options:
    """Knobs of one comparison. Always passed keyword-only, as ``options=``."""

    min_score: float = 0.5
    """Drop pairs scoring below this. Scores are calibrated so that 0.5 is a
    sensible floor; lower it to see weaker candidates."""
    kinds: tuple[Kind, ...] = ("quotation", "retelling", "version")
    """Which kinds of pairs to report."""
    ordered: bool | None = None
    """``True``: monotone alignment of versions; ``False``: free order;
    ``None``: decide from the documents."""
    semantic: bool = True
    """Use static sentence embeddings as one of the signals, when available."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_score <= 1.0:
            raise OptionsError(f"min_score must be between 0 and 1, not {self.min_score}")
        for kind in self.kinds:
            if kind not in KINDS:
                raise OptionsError(f"unknown kind {kind!r}; choose from {', '.join(KINDS)}")


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything one comparison found: the documents and their parallel pairs."""

    documents: tuple[Document, ...]
    """The compared documents, in the order given."""
    pairs: tuple[Pair, ...]
    """Parallel passages, in order of position in the first document."""
    options: Options = Options()
    """The options used."""
    ordered: bool = False
    """Whether the monotone (versions) alignment was used."""
    timings: tuple[tuple[str, float], ...] = ()
    """Seconds spent per engine stage, in order."""
    notes: tuple[str, ...] = ()
    """What the reader should know about how the comparison was made
    (e.g. that documents too large were searched for quotations only)."""

    def __iter__(self) -> Iterator[Pair]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def text(self, span: Span) -> str:
        """The text of ``span``."""
        return self.documents[span.doc].text[span.start : span.end]

    def counts(self) -> dict[str, int]:
        """Number of pairs per kind."""
        out: dict[str, int] = {}
        for pair in self.pairs:
            out[pair.kind] = out.get(pair.kind, 0) + 1
        return out

    def coverage(self, doc: int) -> float:
        """Share of document ``doc``'s characters inside some pair, 0.0-1.0."""
        spans = sorted((s.start, s.end) for p in self.pairs for s in (p.a, p.b) if s.doc == doc)
        covered, reach = 0, 0
        for start, end in spans:
            start = max(start, reach)
            if end > start:
                covered += end - start
                reach = end
        length = len(self.documents[doc].text)
        return covered / length if length else 0.0

    def filtered(
        self, *, min_score: float = 0.0, kinds: tuple[Kind, ...] | None = None
    ) -> Comparison:
        """A copy holding only the pairs at ``min_score`` or above, of ``kinds``."""
        keep = tuple(
            p for p in self.pairs if p.score >= min_score and (kinds is None or p.kind in kinds)
        )
        return Comparison(
            self.documents, keep, self.options, self.ordered, self.timings, self.notes
        )

    def with_pair(self, pair: Pair) -> Comparison:
        """The reader's correction: a copy with ``pair`` (e.g. a stretch that
        ``aligner.find_parallels`` found) among the pairs, marked ``by_hand``,
        in order of position in the first document.

        Raises:
            AlignerError: a span is not a passage of its document, or its
                text is not what the document holds there.
        """
        for span, text in ((pair.a, pair.a_text), (pair.b, pair.b_text)):
            if not 0 <= span.doc < len(self.documents):
                raise AlignerError(f"no document {span.doc} in this comparison")
            doc = self.documents[span.doc]
            if not 0 <= span.start < span.end <= len(doc.text):
                raise AlignerError(
                    f"characters {span.start}-{span.end} are not a passage of {doc.name}"
                )
            if doc.text[span.start : span.end] != text:
                raise AlignerError(f"the text of {span.start}-{span.end} is not {doc.name}'s")
        if pair.a.doc == pair.b.doc:
            raise AlignerError("a pair joins passages of two documents")
        added = dataclasses.replace(pair, by_hand=True)
        key = (added.a.doc, added.a.start, added.b.start)
        at = next(
            (n for n, p in enumerate(self.pairs) if (p.a.doc, p.a.start, p.b.start) > key),
            len(self.pairs),
        )
        return dataclasses.replace(self, pairs=(*self.pairs[:at], added, *self.pairs[at:]))

    def without_pair(self, pair: Pair) -> Comparison:
        """The reader's correction: a copy without ``pair``.

        Raises:
            AlignerError: ``pair`` is not one of ``pairs``.
        """
        at = next((n for n, p in enumerate(self.pairs) if p is pair), None)
        if at is None:
            at = next((n for n, p in enumerate(self.pairs) if p == pair), None)
        if at is None:
            raise AlignerError("not a pair of this comparison")
        return dataclasses.replace(self, pairs=self.pairs[:at] + self.pairs[at + 1 :])

    def unaligned(self, doc: int) -> tuple[Span, ...]:
        """What document ``doc`` has outside every pair, a paragraph (or the
        part of one) at a time: for two versions, what the other one lacks.
        Headings, menus and a Project Gutenberg frame are left out."""
        from aligner.gaps import unaligned

        return unaligned(self, doc)

    def sorted(self, by: SortKey = "a") -> Comparison:
        """A copy with the pairs in the order ``by`` (see ``SortKey``); ``"a"``
        is the order the engine returns."""
        return dataclasses.replace(self, pairs=sort_pairs(self.pairs, by))

    def to_dict(self) -> dict[str, object]:
        """The canonical JSON-ready model (see the README)."""
        from aligner.export import to_dict

        return to_dict(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The comparison as JSON text."""
        from aligner.export import to_json

        return to_json(self, indent=indent)

    def to_markdown(self) -> str:
        """The comparison as GitHub-flavoured Markdown."""
        from aligner.export import to_markdown

        return to_markdown(self)

    def to_text(self) -> str:
        """The comparison as a plain-text report for the terminal."""
        from aligner.export import to_text

        return to_text(self)


def sort_pairs(pairs: tuple[Pair, ...], by: SortKey) -> tuple[Pair, ...]:
    """``pairs`` in the order ``by`` (see ``SortKey``)."""
    if by == "score":
        return tuple(sorted(pairs, key=lambda p: (-p.score, p.a.start, p.b.start)))
    if by == "changed":
        return tuple(
            sorted(pairs, key=lambda p: (p.kind == "retelling", -p.changed, p.a.start, p.b.start))
        )
    if by == "b":
        return tuple(sorted(pairs, key=lambda p: (p.b.start, p.a.start)))
    if by == "a":
        return tuple(sorted(pairs, key=lambda p: (p.a.start, p.b.start)))
    raise OptionsError(f"cannot sort pairs by {by!r}; choose from {', '.join(SORT_KEYS)}")


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
    by_hand: bool = False
    """Given by the reader (``Synopsis.with_member``), not found by the engine."""

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
