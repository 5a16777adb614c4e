"""What the compare screen shows, apart from the widgets: filters, order, search.

Plain Python with no Textual import, so the rules (which pairs pass the
filters, where search matches lie, which pair a place belongs to) are easy to
test and cheap to run on every key press.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from aligner.model import KINDS, SORT_KEYS, Comparison, Kind, Pair, SortKey, sort_pairs

Listing = Literal["search", "unpaired", "stretches"]
"""What the matches are: a search's hits, the unpaired passages (``u``), or
the stretches a look-up (``w``) found."""

KIND_CYCLE: tuple[Kind | None, ...] = (None, *KINDS)
SCORE_STEP = 0.05


@dataclass(frozen=True)
class Match:
    """One search hit."""

    side: int
    """0 for document a, 1 for document b."""
    start: int
    """First character."""
    end: int
    """End, exclusive."""


def find_matches(comparison: Comparison, query: str) -> list[Match]:
    """Every case-insensitive occurrence of ``query`` in both documents, a's first."""
    if not query.strip():
        return []
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    return [
        Match(side, m.start(), m.end())
        for side, doc in enumerate(comparison.documents[:2])
        for m in pattern.finditer(doc.text)
    ]


def span_of(pair: Pair, side: int) -> tuple[int, int]:
    """The ``(start, end)`` of ``pair`` in document ``side``."""
    span = pair.a if side == 0 else pair.b
    return span.start, span.end


def pair_at(pairs: tuple[Pair, ...], side: int, offset: int) -> Pair | None:
    """The pair whose passage in ``side`` holds ``offset`` (the shortest if several)."""
    best: Pair | None = None
    for pair in pairs:
        start, end = span_of(pair, side)
        if start <= offset < end and (
            best is None or end - start < len(best.a if side == 0 else best.b)
        ):
            best = pair
    return best


def nearest_pair(pairs: tuple[Pair, ...], side: int, offset: int) -> Pair | None:
    """The pair holding ``offset`` in ``side``, else the one whose passage is nearest."""
    if not pairs:
        return None
    hit = pair_at(pairs, side, offset)
    if hit is not None:
        return hit

    def distance(pair: Pair) -> int:
        start, end = span_of(pair, side)
        return start - offset if start > offset else offset - end + 1

    return min(pairs, key=distance)


@dataclass
class ViewState:
    """Filters, order and search of the compare screen."""

    min_score: float = 0.0
    kind: Kind | None = None
    sort: SortKey = "a"
    query: str = ""
    listing: Listing = "search"
    """What the matches are."""
    matches: list[Match] = field(default_factory=list)
    match_index: int = -1
    passage: Match | None = None
    """With ``listing == "stretches"``: the passage they were looked up for."""

    def shown(self, comparison: Comparison) -> tuple[Pair, ...]:
        """The pairs passing the filters, in list order."""
        kept = tuple(
            p
            for p in comparison.pairs
            # The reader's own pairs stay whatever the floor: their score is a similarity.
            if (p.score >= self.min_score - 1e-9 or p.by_hand)
            and (self.kind is None or p.kind == self.kind)
        )
        return sort_pairs(kept, self.sort)

    def step_score(self, delta: int) -> None:
        """Raise or lower the minimum score by one step, within 0-1."""
        value = round(self.min_score + delta * SCORE_STEP, 2)
        self.min_score = min(1.0, max(0.0, value))

    def cycle_kind(self) -> None:
        """Show all kinds, then each kind alone, in turn."""
        self.kind = KIND_CYCLE[(KIND_CYCLE.index(self.kind) + 1) % len(KIND_CYCLE)]

    def cycle_sort(self) -> None:
        """Order by position in a, position in b, score, then most changed."""
        self.sort = SORT_KEYS[(SORT_KEYS.index(self.sort) + 1) % len(SORT_KEYS)]

    def search(self, comparison: Comparison, query: str) -> Match | None:
        """Run a new search; return the first match."""
        self.query, self.listing, self.passage = query, "search", None
        self.matches = find_matches(comparison, query)
        self.match_index = 0 if self.matches else -1
        return self.current_match

    def unpaired(self, comparison: Comparison) -> Match | None:
        """Go through what no pair holds, as matches (for two versions: what
        one has and the other lacks), a's first; return the first."""
        self.query, self.listing, self.passage = "", "unpaired", None
        self.matches = [
            Match(side, s.start, s.end) for side in (0, 1) for s in comparison.unaligned(side)
        ]
        self.match_index = 0 if self.matches else -1
        return self.current_match

    def stretches(self, found: Comparison, side: int, rank: int) -> Match | None:
        """Go through the stretches of a look-up (``aligner.find_parallels``) of a
        passage of document ``side`` in the other, best first, from ``rank``."""
        self.query, self.listing = "", "stretches"
        first = found.pairs[0].a if found.pairs else None
        self.passage = Match(side, first.start, first.end) if first is not None else None
        self.matches = [Match(1 - side, p.b.start, p.b.end) for p in found.pairs]
        self.match_index = rank if 0 <= rank < len(self.matches) else -1
        return self.current_match

    @property
    def match_label(self) -> str:
        """How the status line names the matches: the search, ``unpaired`` or ``stretch``."""
        if self.listing == "search":
            return f"“{self.query}”"
        return "unpaired" if self.listing == "unpaired" else "stretch"

    def step_match(self, delta: int) -> Match | None:
        """Move to the next (``1``) or previous (``-1``) match, wrapping around."""
        if not self.matches:
            return None
        self.match_index = (self.match_index + delta) % len(self.matches)
        return self.current_match

    @property
    def current_match(self) -> Match | None:
        """The match the user is on."""
        if 0 <= self.match_index < len(self.matches):
            return self.matches[self.match_index]
        return None

    def clear_search(self) -> None:
        """Forget the search."""
        self.query, self.matches, self.match_index = "", [], -1
        self.listing, self.passage = "search", None
