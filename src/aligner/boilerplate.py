"""Page furniture: paragraphs that are no part of an account's text.

Web pages saved as text keep their menus, share buttons, lists of related
links and endnotes. Their sentences are segmented like any other (offsets must
hold) but marked, so that they never make parallels. This module only judges
paragraphs; it never cuts them.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+(?:['’]\w+)*")
"""A word, for counting only: ``segment``'s pattern less its joining of words
hyphenated across a line end (this module cannot import ``segment``, which
imports it; a count differs by at most those few words)."""


def link_lists(blocks: list[str]) -> set[int]:
    """Paragraphs in runs of three or more short unpunctuated lines.

    Web pages end with lists of related links and titles ("Lessons of
    October - Introduction deals with German Revolution"); one such line
    may be a heading, three in a row are a list.
    """
    bare = [_word_count(b) < 16 and not re.search(r"[.!?…:;\"”]\s*$", b.strip()) for b in blocks]
    out: set[int] = set()
    start = 0
    for k in range(len(bare) + 1):
        if k == len(bare) or not bare[k]:
            if k - start >= 3:
                out.update(range(start, k))
            start = k + 1
    return out


def is_boilerplate(block: str) -> bool:
    """Short lines without sentence punctuation: menus, share buttons, headings."""
    stripped = block.strip()
    n_words = _word_count(stripped)
    if "|" in stripped and n_words < 12:
        return True
    if n_words < 8 and not re.search(r"[.!?…:;\"”]\s*$", stripped):
        return True
    return bool(
        re.match(r"^\[?\d{1,3}[.\]]\s", stripped) and n_words < 40 and _looks_like_note(stripped)
    )


def _word_count(block: str) -> int:
    """Words in ``block``; long blocks count as "many" without counting.

    Every test on it asks whether a block has fewer than 40 words, and a
    block of 1,200 characters has more unless it is one giant token.
    """
    return 1000 if len(block) > 1200 else len(_WORD.findall(block))


def _looks_like_note(block: str) -> bool:
    # Endnotes: "12. L. Trotsky, The Revolution Betrayed (London 1967), p 90."
    return bool(re.search(r"\bp{1,2}\.?\s?\d|\bibid\b|op\.\s?cit|\(\w+ \d{4}\)", block, re.I))
