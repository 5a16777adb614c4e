"""The pair view: the selected pair's two passages side by side, on the same rows.

Only the selected pair is rendered (never whole documents), so moving to the
next pair costs two small ``Text`` objects, whatever the documents' size.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from aligner.model import Document, Pair
from aligner.tui.render import Palette, legend, location, passage_text

_PARTS = ("removed", "added", "changed", "char", "name", "number", "rare", "phrase", "word")


class SideBySide(VerticalScroll):
    """Both passages of one pair in two columns that scroll together."""

    COMPONENT_CLASSES = {f"side-by-side--{part}" for part in _PARTS}

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.pair: Pair | None = None
        self._palette: Palette | None = None
        self._docs: tuple[Document, ...] = ()
        self._empty = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="passages"):
            yield Static(id="passage-a", classes="passage")
            yield Static(id="passage-b", classes="passage")

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
        side_a = self.query_one("#passage-a", Static)
        side_b = self.query_one("#passage-b", Static)
        if pair is None:
            side_a.update(Text(empty or "No pair selected.", style="italic"))
            side_b.update("")
        else:
            palette = self.palette
            side_a.update(self._side(pair, docs[0], "a", palette))
            side_b.update(self._side(pair, docs[1], "b", palette))
        self.scroll_home(animate=False)

    @staticmethod
    def _side(pair: Pair, doc: Document, side: str, palette: Palette) -> Text:
        span = pair.a if side == "a" else pair.b
        out = Text()
        out.append(f"{location(doc, span.start)} · {span.start:,}–{span.end:,}\n", style="dim")
        # append_text keeps the passage's own marks (Text + Text would spread "dim").
        out.append_text(passage_text(pair, "a" if side == "a" else "b", palette))
        return out

    def legend(self) -> Text:
        """The key to the marks of the selected pair."""
        return legend(self.pair, self.palette)
