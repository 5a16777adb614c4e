"""A one-row coverage strip: where in a document its aligned passages lie.

Each cell stands for an equal share of the document: ``█`` where some shown
pair covers it, ``·`` where none does, ``◆`` for the selected pair. Clicking
a cell asks the screen to jump to the pair nearest that place.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

from rich.segment import Segment
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping union of ``spans``."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


class CoverageStrip(Widget):
    """The coverage of one document by the pairs shown."""

    DEFAULT_CSS = "CoverageStrip { height: 1; }"
    COMPONENT_CLASSES = {"coverage--covered", "coverage--selected", "coverage--empty"}

    @dataclass
    class Jump(Message):
        """The user clicked the strip."""

        strip: CoverageStrip
        """The strip that was clicked."""
        offset: int
        """The character offset the clicked cell stands for."""

    def __init__(self, side: int, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.side = side
        self.length = 0
        self._starts: list[int] = []
        self._spans: list[tuple[int, int]] = []
        self.selected: tuple[int, int] | None = None

    def show(self, length: int, spans: list[tuple[int, int]]) -> None:
        """Show ``spans`` (character ranges) of a document ``length`` characters long."""
        self.length = length
        self._spans = merge(spans)
        self._starts = [s for s, _ in self._spans]
        self.refresh()

    def select(self, span: tuple[int, int] | None) -> None:
        """Mark the selected pair's span."""
        if span != self.selected:
            self.selected = span
            self.refresh()

    def _covered(self, lo: int, hi: int) -> bool:
        i = bisect.bisect_right(self._starts, hi - 1) - 1
        return i >= 0 and self._spans[i][1] > lo

    def render_line(self, y: int) -> Strip:
        """The strip as runs of equal cells, each run one segment.

        Cell by cell, a 200-column strip was 200 styled spans for Textual to
        turn into content again at every selection; a few runs are as many
        segments.
        """
        width = self.size.width
        if y or not width or not self.length:
            return Strip.blank(width, self.rich_style)
        cells = [
            self._cell(c * self.length // width, (c + 1) * self.length // width)
            for c in range(width)
        ]
        styles = {
            "◆": self.get_component_rich_style("coverage--selected", partial=True),
            "█": self.get_component_rich_style("coverage--covered", partial=True),
            "·": self.get_component_rich_style("coverage--empty", partial=True),
        }
        base = self.rich_style
        segments = [
            Segment(char * len(list(run)), base + styles[char])
            for char, run in itertools.groupby(cells)
        ]
        return Strip(segments, width)

    def _cell(self, lo: int, hi: int) -> str:
        hi = max(lo + 1, hi)
        sel = self.selected
        if sel is not None and sel[0] < hi and lo < max(sel[1], sel[0] + 1):
            return "◆"
        return "█" if self._covered(lo, hi) else "·"

    def on_click(self, event: events.Click) -> None:
        width = self.size.width
        if width and self.length:
            offset = min(self.length - 1, int((event.x + 0.5) * self.length / width))
            self.post_message(self.Jump(self, offset))
