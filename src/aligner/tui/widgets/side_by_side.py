"""The pair view: the selected pair's two passages side by side, on the same rows.

Only the selected pair is rendered (never whole documents), so moving to the
next pair costs two small ``Text`` objects, whatever the documents' size.
The passages go in a two-column table with one row per sentence block
(``render.sentence_blocks``), so a long quotation stays lined up sentence
by sentence even where one side has more words.
"""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from aligner.model import Document, Pair
from aligner.tui.render import Palette, legend, location, passage_text, sentence_blocks

_PARTS = ("removed", "added", "changed", "char", "name", "date", "number", "rare", "phrase", "word")


def _piece(text: Text, start: int, end: int) -> Text:
    """``text[start:end]`` with its marks, without the spaces it starts with."""
    plain = text.plain
    while start < end and plain[start].isspace():
        start += 1
    return text[start:end]


class SideBySide(VerticalScroll):
    """Both passages of one pair in two columns that scroll together."""

    COMPONENT_CLASSES = {f"side-by-side--{part}" for part in _PARTS}

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.pair: Pair | None = None
        self.texts: tuple[Text, Text] = (Text(), Text())
        """Both passages as shown, with their marks (for tests and copies)."""
        self._palette: Palette | None = None
        self._docs: tuple[Document, ...] = ()
        self._empty = ""

    def compose(self) -> ComposeResult:
        yield Static(id="passages")

    @property
    def palette(self) -> Palette:
        """The diff and evidence styles, from ``app.tcss`` component classes."""
        if self._palette is None:
            styles = {
                part: self.get_component_rich_style(f"side-by-side--{part}", partial=True)
                for part in _PARTS
            }
            self._palette = Palette(**styles)
        return self._palette

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if getattr(self, "_palette", None) is not None:
            # The theme changed: repaint the marks in its colours.
            self._palette = None
            if self._docs:
                self.call_later(self.show, self.pair, self._docs, empty=self._empty)

    def show(self, pair: Pair | None, docs: tuple[Document, ...], *, empty: str = "") -> None:
        """Render ``pair`` (or the ``empty`` message when there is none)."""
        self.pair, self._docs, self._empty = pair, docs, empty
        passages = self.query_one("#passages", Static)
        if pair is None:
            self.texts = (Text(), Text())
            passages.update(Text(empty or "No pair selected.", style="italic"))
        else:
            passages.update(self._table(pair, docs))
        self.scroll_home(animate=False)

    def _table(self, pair: Pair, docs: tuple[Document, ...]) -> Table:
        palette = self.palette
        a = passage_text(pair, "a", palette, docs[0])
        b = passage_text(pair, "b", palette, docs[1])
        self.texts = (a, b)
        table = Table(
            box=box.MINIMAL,
            show_header=False,
            show_edge=False,
            expand=True,
            padding=(0, 1),
            border_style="dim",
        )
        table.add_column(ratio=1)
        table.add_column(ratio=1)
        heads = [
            Text(
                f"{location(doc, span.start, span.end)} · {span.start:,}–{span.end:,}", style="dim"
            )
            for doc, span in ((docs[0], pair.a), (docs[1], pair.b))
        ]
        table.add_row(heads[0], heads[1])
        for a0, a1, b0, b1 in sentence_blocks(pair):
            piece_a = _piece(a, a0 - pair.a.start, a1 - pair.a.start)
            piece_b = _piece(b, b0 - pair.b.start, b1 - pair.b.start)
            table.add_row(piece_a, piece_b)
        return table

    def legend(self) -> Text:
        """The key to the marks of the selected pair."""
        return legend(self.pair, self.palette)
