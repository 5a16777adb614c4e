"""Which stored spans lie near a position: a grid of buckets per document.

Finding the stored spans that overlap a new one by scanning them all makes
merging n candidates (or clustering n pairs) quadratic: two 2 MB texts of
repeated sentences give 35,000 quotation candidates, and a scan each took
minutes. A span is filed under every ``BUCKET`` characters it touches, so a
lookup reads the few buckets the new span touches. This module stores and
looks up keys; callers decide what overlapping means.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Generic, TypeVar

K = TypeVar("K")

BUCKET = 2_000
"""Characters per bucket."""


class SpanIndex(Generic[K]):
    """Keys filed by the character spans they hold, per document."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[int, int], set[K]] = defaultdict(set)

    def add(self, key: K, doc: int, span: tuple[int, int]) -> None:
        """File ``key`` under every bucket ``span`` of document ``doc`` touches."""
        for k in _touched(span):
            self._buckets[(doc, k)].add(key)

    def discard(self, key: K, doc: int, span: tuple[int, int]) -> None:
        """Unfile ``key`` from the buckets of ``span`` (as added)."""
        for k in _touched(span):
            self._buckets[(doc, k)].discard(key)

    def near(self, doc: int, span: tuple[int, int]) -> set[K]:
        """The keys filed in a bucket that ``span`` touches: every key whose
        span overlaps it, and some that only come close."""
        out: set[K] = set()
        for k in _touched(span):
            out |= self._buckets.get((doc, k), set())
        return out


def _touched(span: tuple[int, int]) -> range:
    return range(span[0] // BUCKET, (max(span[1], span[0] + 1) - 1) // BUCKET + 1)
