"""A one-row coverage strip: where in a document its aligned passages lie.

Each cell stands for an equal share of the document: ``█`` where some shown
pair covers it, ``·`` where none does, ``◆`` for the selected pair. Clicking
a cell asks the screen to jump to the pair nearest that place.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.message import Message
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

    def render(self) -> Text:
        width = self.size.width
        text = Text(no_wrap=True, overflow="crop")
        if not width or not self.length:
            return text
        covered = self.get_component_rich_style("coverage--covered", partial=True)
        empty = self.get_component_rich_style("coverage--empty", partial=True)
        chosen = self.get_component_rich_style("coverage--selected", partial=True)
        for cell in range(width):
            lo = cell * self.length // width
            hi = max(lo + 1, (cell + 1) * self.length // width)
            sel = self.selected
            if sel is not None and sel[0] < hi and lo < max(sel[1], sel[0] + 1):
                text.append("◆", chosen)
            elif self._covered(lo, hi):
                text.append("█", covered)
            else:
                text.append("·", empty)
        return text

    def on_click(self, event: events.Click) -> None:
        width = self.size.width
        if width and self.length:
            offset = min(self.length - 1, int((event.x + 0.5) * self.length / width))
            self.post_message(self.Jump(self, offset))
