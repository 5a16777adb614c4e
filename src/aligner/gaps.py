"""What one version has and the other lacks: text outside every pair.

Two versions of a text aligned in order cover each other almost whole; what
is left over is news to an editor or a translator (a paragraph cut, a
preface added, a sentence dropped). ``unaligned`` lists it paragraph by
paragraph, without what is no part of the text (a Project Gutenberg frame,
headings, menus). It reads a finished comparison; it never pairs passages.
"""

from __future__ import annotations

import re

from aligner.boilerplate import body, is_boilerplate
from aligner.documents import paragraph_spans, trimmed
from aligner.model import Comparison, Span

MIN_WORDS = 3
"""Fewer words left over (a heading, a verse number) are not reported."""
_WORD = re.compile(r"\w+")


def unaligned(comparison: Comparison, doc: int) -> tuple[Span, ...]:
    """The stretches of document ``doc`` that no pair covers, one per
    paragraph (or part of one), in order.

    Each is trimmed of surrounding blanks, holds at least ``MIN_WORDS``
    words and is not boilerplate; text outside a Project Gutenberg frame is
    left out.
    """
    text = comparison.documents[doc].text
    covered = sorted((s.start, s.end) for p in comparison.pairs for s in (p.a, p.b) if s.doc == doc)
    first, last = body(text)
    out: list[Span] = []
    k = 0
    for start, end in paragraph_spans(text):
        start, end = max(start, first), min(end, last)
        while k < len(covered) and covered[k][1] <= start:
            k += 1
        at = start
        for c_start, c_end in covered[k:]:
            if c_start >= end:
                break
            _keep(text, doc, at, min(c_start, end), out)
            at = max(at, c_end)
        _keep(text, doc, at, end, out)
    return tuple(out)


def _keep(text: str, doc: int, start: int, end: int, out: list[Span]) -> None:
    start, end = trimmed(text, start, end)
    piece = text[start:end]
    if len(_WORD.findall(piece)) >= MIN_WORDS and not is_boilerplate(piece):
        out.append(Span(doc, start, end))
