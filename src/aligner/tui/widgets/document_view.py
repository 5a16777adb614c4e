"""The reading view of one whole document, virtualised with Textual's Line API.

The text is wrapped once per width into ``(start, end)`` line ranges (plain
offsets into the original text: no copy, no styling). Only the lines on
screen are styled and rendered, and each rendered line is cached until the
marks change, so a 200 KB document scrolls and repaints at the cost of one
screenful. Aligned passages get a gutter bar and normal text; unaligned text
is dimmed; the selected pair and search matches are marked on top.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from aligner.render import printable
from aligner.tui.widgets.coverage import merge

_DISPLAY = str.maketrans({"\t": " ", "\r": " ", "\x0b": " ", "\x0c": " "})
"""Characters a terminal would move the cursor for, shown as one space (same length)."""

GUTTER = 2
"""Cells left of the text: a bar marking aligned lines, then a space."""


def wrap_lines(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text`` at ``width`` cells, as ``(start, end)`` offsets.

    Every character of ``text`` except the newlines and the spaces a line is
    broken at belongs to exactly one line, in order. Wide characters (CJK)
    take two cells; a line without them is measured by its length.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        if not raw.isascii() and cell_len(raw) != len(raw):
            lines += _wrap_cells(text, start, end, width)
            continue
        while end - start > width:
            cut = text.rfind(" ", start, start + width + 1)
            if cut <= start:
                cut, nxt = start + width, start + width
            else:
                nxt = cut + 1
            lines.append((start, cut))
            start = nxt
        lines.append((start, end))
    return lines


def _wrap_cells(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """``wrap_lines`` for one line holding wide characters, counting cells."""
    lines: list[tuple[int, int]] = []
    cells, space, k = 0, -1, start
    while k < end:
        size = get_character_cell_size(text[k])
        if cells + size > width and k > start:
            if text[k] == " ":
                cut, nxt = k, k + 1
            elif space > start:
                cut, nxt = space, space + 1
            else:
                cut, nxt = k, k
            lines.append((start, cut))
            start = k = nxt
            cells, space = 0, -1
            continue
        if text[k] == " ":
            space = k
        cells += size
        k += 1
    lines.append((start, end))
    return lines


def _overlapping(
    spans: list[tuple[int, int]], starts: list[int], lo: int, hi: int
) -> Iterator[tuple[int, int]]:
    """The spans of a sorted, non-overlapping list that overlap ``[lo, hi)``."""
    i = max(0, bisect.bisect_right(starts, lo) - 1)
    while i < len(spans) and spans[i][0] < hi:
        if spans[i][1] > lo:
            yield spans[i]
        i += 1


class DocumentView(ScrollView, can_focus=True):
    """One document, wrapped, with its aligned passages marked."""

    COMPONENT_CLASSES = {
        "document-view--unaligned",
        "document-view--aligned",
        "document-view--selected",
        "document-view--gutter",
        "document-view--match",
        "document-view--current-match",
    }

    @dataclass
    class Scrolled(Message):
        """The user scrolled this view (not posted for programmatic scrolls)."""

        view: DocumentView
        """The view that scrolled."""
        offset: int
        """The character offset now on the reading row."""

    @dataclass
    class Clicked(Message):
        """The user clicked a place in the text."""

        view: DocumentView
        """The view clicked."""
        offset: int
        """The character offset at the start of the clicked line."""

    def __init__(self, side: int, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.side = side
        self.text = ""
        self.lines: list[tuple[int, int]] = [(0, 0)]
        self._line_starts: list[int] = [0]
        self._wrap_width = 0
        self._aligned: list[tuple[int, int]] = []
        self._aligned_starts: list[int] = []
        self.selected: tuple[int, int] | None = None
        self._matches: list[tuple[int, int]] = []
        self._match_starts: list[int] = []
        self.current_match: tuple[int, int] | None = None
        self._cache: dict[int, tuple[int, Style, tuple[int, int] | None, Strip]] = {}
        """Rendered lines: (width, widget style, selected span if the line
        shows it, strip). A line outside the selected passage stays good when
        the selection moves."""
        self._base: Style | None = None
        self._styles: dict[str, Style] = {}
        self._pending: tuple[int, int | None] | None = None
        self._programmatic = False

    # -- content and marks -------------------------------------------------

    def load(self, text: str, aligned: list[tuple[int, int]]) -> None:
        """Show ``text`` with the ``aligned`` character ranges marked."""
        self.text = text
        self.lines, self._line_starts = [(0, 0)], [0]
        self._wrap_width = 0
        self.set_aligned(aligned)
        self._rewrap()

    def set_aligned(self, aligned: list[tuple[int, int]]) -> None:
        """Replace the aligned ranges (after a filter change)."""
        self._aligned = merge(aligned)
        self._aligned_starts = [s for s, _ in self._aligned]
        self._invalidate()

    def set_selected(self, span: tuple[int, int] | None) -> None:
        """Mark the selected pair's passage."""
        if span != self.selected:
            self.selected = span
            self.refresh()  # cached lines know which selection they show

    def set_matches(self, matches: list[tuple[int, int]], current: tuple[int, int] | None) -> None:
        """Mark search matches, and the current one more strongly."""
        self._matches = sorted(matches)
        self._match_starts = [s for s, _ in self._matches]
        self.current_match = current
        self._invalidate()

    def _invalidate(self) -> None:
        self._cache.clear()
        self.refresh()

    # -- geometry ------------------------------------------------------------

    @property
    def reading_row(self) -> int:
        """The viewport row a followed passage is lined up on (a third of the way down)."""
        return max(0, self.scrollable_content_region.height // 3)

    def line_of(self, offset: int) -> int:
        """Index of the wrapped line holding ``offset``."""
        return max(0, bisect.bisect_right(self._line_starts, offset) - 1)

    def offset_at_row(self, row: int) -> int:
        """The character offset at the start of viewport row ``row``."""
        index = min(len(self.lines) - 1, max(0, round(self.scroll_y) + row))
        return self.lines[index][0]

    @contextmanager
    def programmatic(self) -> Iterator[None]:
        """Scroll without posting ``Scrolled`` (so followers do not lead)."""
        self._programmatic = True
        try:
            yield
        finally:
            self._programmatic = False

    def scroll_to_offset(self, offset: int, row: int | None = None) -> None:
        """Scroll so that ``offset`` sits on viewport ``row`` (default: the reading row)."""
        if not self._wrap_width:
            # Not laid out yet (just shown): scroll once the text is wrapped.
            self._pending = (offset, row)
            return
        row = self.reading_row if row is None else row
        with self.programmatic():
            self.scroll_to(
                y=max(0, self.line_of(offset) - row), animate=False, immediate=True, force=True
            )

    def _rewrap(self) -> None:
        if self.scrollable_content_region.width <= 0:
            return
        width = max(10, self.scrollable_content_region.width - GUTTER - 1)
        if width == self._wrap_width:
            return
        top = self.offset_at_row(0) if self._wrap_width else 0
        self._wrap_width = width
        self.lines = wrap_lines(self.text, width)
        self._line_starts = [s for s, _ in self.lines]
        self._cache.clear()
        self._size_virtual()
        if self._pending is not None:
            offset, row = self._pending
            self._pending = None
            self.scroll_to_offset(offset, row)
        else:
            with self.programmatic():
                self.scroll_to(y=self.line_of(top), animate=False, immediate=True, force=True)
        self.refresh()

    def _size_virtual(self) -> None:
        # Room below the last line, so that any line can reach the reading row.
        pad = max(0, self.scrollable_content_region.height - self.reading_row - 1)
        self.virtual_size = Size(self._wrap_width + GUTTER, len(self.lines) + pad)

    def on_resize(self) -> None:
        if self.scrollable_content_region.width <= 0:
            return
        self._rewrap()
        self._size_virtual()

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_y) + event.y
        if self.text and 0 <= index < len(self.lines):
            start, end = self.lines[index]
            offset = min(end, start + max(0, event.x - GUTTER))
            self.post_message(self.Clicked(self, offset))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if not self._programmatic and round(old_value) != round(new_value) and self.text:
            self.post_message(self.Scrolled(self, self.offset_at_row(self.reading_row)))

    # -- rendering -----------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base = None
        self._styles = {}
        self._cache.clear()

    def on_focus(self) -> None:
        self._base = None

    def on_blur(self) -> None:
        self._base = None

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        # Widget.rich_style walks the ancestors on every call: once per paint is enough.
        base = self._base
        if base is None:
            base = self._base = self.rich_style
        if index >= len(self.lines) or not self.text:
            return Strip.blank(width, base)
        return self._line(index, width, base, self.selected)

    def _line(self, index: int, width: int, base: Style, sel: tuple[int, int] | None) -> Strip:
        """Line ``index`` as it shows with ``sel`` selected, from the cache if
        it was made for the width, the widget's own style (which changes with
        focus) and that selection, where the line shows it."""
        start, end = self.lines[index]
        shown = (
            sel if sel is not None and sel[0] <= max(start, end - 1) and start < sel[1] else None
        )
        hit = self._cache.get(index)
        if hit is not None and hit[0] == width and hit[1] is base and hit[2] == shown:
            return hit[3]
        strip = self._render_index(index, width, base, shown)
        self._cache[index] = (width, base, shown, strip)
        return strip

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            component = f"document-view--{name}"
            if name == "unaligned":
                # A partial style would keep "50%" unblended: take the blended colour.
                style = Style(color=self.get_component_rich_style(component).color)
            else:
                style = self.get_component_rich_style(component, partial=True)
            self._styles[name] = style
        return style

    def _render_index(
        self, index: int, width: int, base: Style, sel: tuple[int, int] | None
    ) -> Strip:
        """Line ``index`` drawn, with ``sel`` the selected passage it shows (if any)."""
        start, end = self.lines[index]
        line = printable(self.text[start:end].translate(_DISPLAY))
        # The marks on this line, each (start, end, style) relative to it, in
        # the order they are laid on top of each other.
        marks: list[tuple[int, int, Style]] = []
        aligned_line = False
        for s, e in _overlapping(self._aligned, self._aligned_starts, start, max(end, start + 1)):
            aligned_line = True
            marks.append((max(s, start) - start, min(e, end) - start, self._style("aligned")))
        selected_line = sel is not None
        if sel is not None:
            marks.append((max(sel[0], start) - start, sel[1] - start, self._style("selected")))
        for s, e in _overlapping(self._matches, self._match_starts, start, end):
            name = "current-match" if (s, e) == self.current_match else "match"
            marks.append((max(s, start) - start, min(e, end) - start, self._style(name)))
        gutter_style = base + self._style("gutter")
        if selected_line:
            gutter = Segment("┃ ", gutter_style + Style(bold=True))
        elif aligned_line:
            gutter = Segment("│ ", gutter_style)
        else:
            gutter = Segment("  ", base)
        # Segments straight from the runs between marks' ends, on the widget's
        # own style and padded to the width: a screenful of lines costs a few
        # milliseconds, where rich.Text's render and Strip's crop took 40.
        cuts = sorted({0, len(line)} | {min(max(x, 0), len(line)) for m in marks for x in m[:2]})
        segments = [gutter]
        unaligned = base + self._style("unaligned")
        for a, b in itertools.pairwise(cuts):
            style = unaligned
            for s, e, mark in marks:
                if s <= a and b <= e:
                    style = style + mark
            segments.append(Segment(line[a:b], style))
        cells = GUTTER + cell_len(line)
        if cells < width:
            segments.append(Segment(" " * (width - cells), base))
        elif cells > width:  # wide characters: crop by cells
            return Strip(segments, cells).crop_extend(0, width, base)
        return Strip(segments, width)
