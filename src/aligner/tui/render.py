"""Turn the engine's precomputed opcodes and evidence into styled Rich ``Text``.

Document text goes through ``aligner.render.printable`` (same length, so
offsets hold): no control character or ANSI escape reaches the terminal.
Nothing here diffs or aligns: every highlighted range comes from
``Pair.diff`` (and ``DiffOp.chars``) or ``Pair.evidence``, which carry
absolute offsets into the documents. Each style keeps a non-colour cue
(strike, underline, bold, reverse) so that the highlighting survives
``NO_COLOR`` and monochrome terminals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rich.style import Style
from rich.text import Text

from aligner.model import Document, Pair
from aligner.render import flowed, printable

Side = Literal["a", "b"]


@dataclass(frozen=True)
class Palette:
    """The styles used to mark differences and evidence."""

    removed: Style = Style(color="red", strike=True)
    added: Style = Style(color="green", underline=True)
    changed: Style = Style(color="yellow", italic=True)
    char: Style = Style(bold=True, reverse=True)
    name: Style = Style(color="cyan", bold=True)
    date: Style = Style(color="magenta", bold=True)
    number: Style = Style(color="magenta", bold=True)
    rare: Style = Style(color="green", underline=True)
    phrase: Style = Style(color="yellow", underline=True)
    word: Style = Style(underline=True)

    def evidence(self, kind: str) -> Style:
        """The style of one kind of evidence."""
        style = getattr(self, kind, self.word)
        return style if isinstance(style, Style) else self.word


DEFAULT_PALETTE = Palette()


def _stylize(text: Text, style: Style, start: int, end: int, origin: int) -> None:
    """Stylize absolute range ``[start, end)`` of a passage that begins at ``origin``."""
    lo, hi = max(0, start - origin), min(len(text), end - origin)
    if hi > lo:
        text.stylize(style, lo, hi)


def diff_text(pair: Pair, side: Side, palette: Palette = DEFAULT_PALETTE) -> Text:
    """One side of ``pair`` with its word- and character-level differences marked.

    Args:
        pair: The pair to show; its ``diff`` holds absolute offsets.
        side: ``"a"`` (removed words struck through) or ``"b"`` (added underlined).
        palette: The styles to use.

    Returns:
        The passage text, styled.
    """
    span = pair.a if side == "a" else pair.b
    text = Text(printable(pair.a_text if side == "a" else pair.b_text))
    for op in pair.diff:
        start, end = (op.a_start, op.a_end) if side == "a" else (op.b_start, op.b_end)
        if op.tag == "equal" or end <= start:
            continue
        if op.tag == "replace":
            _stylize(text, palette.changed, start, end, span.start)
            for sub in op.chars:
                if sub.tag == "equal":
                    continue
                s, e = (sub.a_start, sub.a_end) if side == "a" else (sub.b_start, sub.b_end)
                _stylize(text, palette.char, s, e, span.start)
        else:
            style = palette.removed if op.tag == "delete" else palette.added
            _stylize(text, style, start, end, span.start)
    return text


def evidence_text(pair: Pair, side: Side, palette: Palette = DEFAULT_PALETTE) -> Text:
    """One side of ``pair`` with the shared evidence marked (phrases, names,
    dates, numbers, rare words).

    Used for retellings, which share few words: painting every other word as
    changed would hide what actually links the passages.
    """
    span = pair.a if side == "a" else pair.b
    text = Text(printable(pair.a_text if side == "a" else pair.b_text))
    # Weakest first, so the strongest evidence is applied last and wins.
    for ev in sorted(pair.evidence, key=lambda e: e.weight):
        for start, end in ev.a if side == "a" else ev.b:
            _stylize(text, palette.evidence(ev.kind), start, end, span.start)
    return text


def passage_text(
    pair: Pair, side: Side, palette: Palette = DEFAULT_PALETTE, doc: Document | None = None
) -> Text:
    """The right highlighting for ``pair``: evidence for retellings, the diff
    otherwise; with ``doc`` (the side's document), its lines wrapped inside a
    paragraph flow on (``flowed``)."""
    if pair.kind == "retelling" or not pair.diff:
        text = evidence_text(pair, side, palette)
    else:
        text = diff_text(pair, side, palette)
    if doc is not None and "\n" in text.plain:
        text.plain = flowed(text.plain, (pair.a if side == "a" else pair.b).start, doc)
    return text


_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s+[\"“‘'(\[]?[A-Z]|\s*$)")
"""The end of a sentence: final punctuation and closing quotes, then a capital
(so "p. 430" and "Vol. 3" do not end one)."""

Block = tuple[int, int, int, int]
"""``(a_start, a_end, b_start, b_end)``: parts of a pair shown on the same rows."""


def sentence_blocks(pair: Pair) -> list[Block]:
    """Cut ``pair`` into parts that start on the same row in both columns.

    Cuts fall at sentence ends inside the diff's ``equal`` runs, where both
    passages read alike, so a long quotation lines up sentence by sentence.
    Retellings (and pairs with no diff) stay one block.

    Returns:
        Absolute ranges covering both passages, in order.
    """
    cuts: list[tuple[int, int]] = []
    if pair.kind != "retelling":
        ends_a = [pair.a.start + m.end() for m in _SENTENCE_END.finditer(pair.a_text)]
        ends_b = [pair.b.start + m.end() for m in _SENTENCE_END.finditer(pair.b_text)]
        for op in pair.diff:
            if op.tag != "equal":
                continue
            in_a = [e for e in ends_a if op.a_start < e <= op.a_end]
            in_b = [e for e in ends_b if op.b_start < e <= op.b_end]
            if len(in_a) == len(in_b):
                cuts.extend(zip(in_a, in_b, strict=True))
    points = [(pair.a.start, pair.b.start)]
    for a, b in sorted(cuts):
        last_a, last_b = points[-1]
        if last_a < a < pair.a.end and last_b < b < pair.b.end:
            points.append((a, b))
    points.append((pair.a.end, pair.b.end))
    return [(a0, a1, b0, b1) for (a0, b0), (a1, b1) in zip(points, points[1:], strict=False)]


def legend(pair: Pair | None, palette: Palette = DEFAULT_PALETTE) -> Text:
    """A one-line key to the marks used for ``pair``."""
    parts: list[tuple[str, Style]]
    if pair is not None and (pair.kind == "retelling" or not pair.diff):
        parts = [
            ("shared:", Style(dim=True)),
            ("name", palette.name),
            ("date/number", palette.number),
            ("rare word", palette.rare),
            ("phrase", palette.phrase),
        ]
    else:
        parts = [
            ("removed", palette.removed),
            ("added", palette.added),
            ("changed", palette.changed),
            ("spelling", palette.char),
        ]
    out = Text(" ")
    for i, (label, style) in enumerate(parts):
        if i:
            out.append("  ")
        out.append(label, style)
    return out


def first_words(text: str, limit: int = 60) -> str:
    """The start of ``text`` on one line, cut at a word boundary, safe to print."""
    flat = printable(" ".join(text.split()))
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    return flat[: cut if cut > limit // 2 else limit] + "…"


def location(doc: Document, start: int, end: int) -> str:
    """A short location: the paragraphs ``[start, end)`` lies in ("¶12", "¶12–14")."""
    return f"¶{doc.paragraph_label(start, end)}"


def pair_summary(pair: Pair, docs: Iterable[Document]) -> str:
    """One line naming both locations of ``pair``, for notifications and copies."""
    a, b = tuple(docs)[:2]
    return (
        f"{a.name} {location(a, pair.a.start, pair.a.end)} ↔ "
        f"{b.name} {location(b, pair.b.start, pair.b.end)}"
    )
